//! A fit gives the same bits for 1, 2 and 4 threads and for three chunk sizes, with every
//! seeding; Hamerly gives exactly Lloyd's result.

mod common;

use blobscale::cluster::metrics::{calinski_harabasz, davies_bouldin, silhouette_score};
use blobscale::cluster::{Algorithm, Init, KMeansFit, KMeansParams, ParallelInit};
use blobscale::data::{BlobsParams, Centers, ChunkedMatrix};
use common::{every_init, generate, with_threads};

fn data(chunk_rows: usize) -> (ChunkedMatrix, Vec<u32>) {
    let b = generate(
        BlobsParams::new(20_011)
            .n_features(5)
            .centers(Centers::Count(9))
            .cluster_std(2.5)
            .seed(21)
            .chunk_rows(chunk_rows),
    );
    (b.x, b.labels)
}

fn fit_with(threads: usize, x: &ChunkedMatrix, init: &Init, algorithm: Algorithm) -> KMeansFit {
    with_threads(threads, || {
        KMeansParams::new(9)
            .init(init.clone())
            .algorithm(algorithm)
            .seed(4)
            .check()
            .unwrap()
            .fit(x, None)
            .unwrap()
    })
}

fn bits(f: &KMeansFit) -> (Vec<u64>, Vec<u32>, u64, usize, Vec<u64>, Vec<u64>) {
    (
        f.centres.iter().map(|v| v.to_bits()).collect(),
        f.labels.as_u32().into_owned(),
        f.inertia.to_bits(),
        f.n_iter,
        f.inertia_curve.iter().map(|v| v.to_bits()).collect(),
        f.seeding
            .cost_per_round
            .iter()
            .map(|v| v.to_bits())
            .collect(),
    )
}

#[test]
fn fits_are_bit_identical_for_any_threads_and_chunking() {
    for init in &every_init() {
        let mut reference = None;
        for chunk_rows in [333, 4096, 20_011] {
            let (x, _) = data(chunk_rows);
            for threads in [1, 2, 4] {
                let got = bits(&fit_with(threads, &x, init, Algorithm::Lloyd));
                match &reference {
                    None => reference = Some(got),
                    Some(r) => assert!(
                        *r == got,
                        "{init:?}: chunk_rows {chunk_rows}, {threads} threads differ"
                    ),
                }
            }
        }
    }
}

#[test]
fn hamerly_equals_lloyd() {
    let (x, _) = data(1000);
    for init in [Init::Random, Init::KMeansParallel(ParallelInit::default())] {
        for threads in [1, 3] {
            let a = fit_with(threads, &x, &init, Algorithm::Lloyd);
            let b = fit_with(threads, &x, &init, Algorithm::Hamerly);
            assert_eq!(bits(&a).0, bits(&b).0, "centres");
            assert_eq!(a.labels, b.labels);
            assert_eq!(a.n_iter, b.n_iter);
            assert_eq!(a.inertia.to_bits(), b.inertia.to_bits());
            assert_eq!(a.inertia_curve, b.inertia_curve);
        }
    }
}

#[test]
fn metrics_are_bit_identical_for_any_threads_and_chunking() {
    let mut reference = None;
    for chunk_rows in [333, 20_011] {
        let (x, labels) = data(chunk_rows);
        for threads in [1, 4] {
            let got = with_threads(threads, || {
                (
                    calinski_harabasz(&x, &labels).unwrap().to_bits(),
                    davies_bouldin(&x, &labels).unwrap().to_bits(),
                    silhouette_score(&x, &labels, Some(500), 3)
                        .unwrap()
                        .to_bits(),
                )
            });
            match reference {
                None => reference = Some(got),
                Some(r) => assert_eq!(r, got),
            }
        }
    }
}
