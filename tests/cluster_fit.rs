//! End-to-end fits on blobs: every seeding recovers well-separated blobs, the fit result
//! is self-consistent, and the page's statistics are filled in.

mod common;

use blobscale::cluster::metrics::{adjusted_rand_index, inertia};
use blobscale::cluster::{Convergence, Init, KMeansParams, ParallelInit, predict};
use blobscale::data::{Blobs, BlobsParams, Centers};
use common::generate;

fn blobs(n: usize, d: usize, c: usize, seed: u64) -> Blobs {
    generate(
        BlobsParams::new(n)
            .n_features(d)
            .centers(Centers::Count(c))
            .center_box(-40.0, 40.0)
            .seed(seed)
            .chunk_rows(1000),
    )
}

#[test]
fn every_seeding_recovers_separated_blobs() {
    let b = blobs(6000, 3, 4, 7);
    // Random seeding may legitimately end in a local minimum; the D² seedings should not.
    for init in [
        Init::KMeansPlusPlus {
            n_local_trials: None,
        },
        Init::KMeansParallel(ParallelInit::default()),
        Init::KMeansParallel(ParallelInit::dask_ml()),
    ] {
        let fit = KMeansParams::new(4)
            .init(init.clone())
            .seed(3)
            .check()
            .unwrap()
            .fit(&b.x, None)
            .unwrap();
        let ari = adjusted_rand_index(&b.labels, &fit.labels.as_u32()).unwrap();
        assert!(ari > 0.99, "{init:?}: ARI {ari}");
        assert_eq!(fit.inertia_curve.len(), fit.n_iter);
        assert!(fit.n_iter >= 1);
        // The returned inertia and labels agree with the returned centres.
        let again = predict(&b.x, fit.centres.view(), None).unwrap();
        assert_eq!(again.labels, fit.labels);
        assert_eq!(again.inertia, fit.inertia);
        let direct = inertia(&b.x, fit.centres.view(), &fit.labels.as_u32(), None).unwrap();
        assert!((direct - fit.inertia).abs() <= 1e-9 * direct);
        assert_eq!(fit.cluster_sizes().iter().sum::<u64>(), 6000);
    }
}

#[test]
fn convergence_curve_does_not_increase() {
    let b = blobs(20_000, 2, 10, 1);
    let fit = KMeansParams::new(10)
        .init(Init::Random)
        .tol(0.0)
        .seed(5)
        .check()
        .unwrap()
        .fit(&b.x, None)
        .unwrap();
    for w in fit.inertia_curve.windows(2) {
        assert!(w[1] <= w[0] * (1.0 + 1e-12), "{:?}", fit.inertia_curve);
    }
    assert_eq!(fit.convergence, Convergence::Strict);
    // After strict convergence the last assignment cost is the inertia (the curve comes
    // from the exact sums by an identity, the inertia from exact distances).
    let last = *fit.inertia_curve.last().unwrap();
    assert!(
        (last - fit.inertia).abs() <= 1e-12 * fit.inertia,
        "{last} vs {}",
        fit.inertia
    );
}

#[test]
fn kmeans_parallel_reports_rounds() {
    let b = blobs(10_000, 2, 5, 2);
    let fit = KMeansParams::new(5)
        .seed(1)
        .check()
        .unwrap()
        .fit(&b.x, None)
        .unwrap();
    let s = &fit.seeding;
    assert_eq!(s.method, "k-means||");
    assert_eq!(s.candidates_per_round.len(), s.cost_per_round.len());
    assert_eq!(s.candidates_per_round.iter().sum::<usize>(), s.n_candidates);
    assert!(s.n_candidates > 5 && s.padded == 0);
    assert!(s.cost_per_round.last() < s.cost_per_round.first());
    assert!(s.recluster_inertia.is_some());
}

#[test]
fn dask_preset_reports_padding_instead_of_hiding_it() {
    // ℓ = 2 per round and round(ln φ) rounds cannot find 40 candidates on small data.
    let b = blobs(500, 2, 40, 4);
    let fit = KMeansParams::new(40)
        .init(Init::KMeansParallel(ParallelInit::dask_ml()))
        .check()
        .unwrap()
        .fit(&b.x, None)
        .unwrap();
    let s = &fit.seeding;
    assert!(s.n_candidates < 40, "{s:?}");
    assert_eq!(s.padded, 40 - s.n_candidates);
    assert_eq!(s.candidates_per_round[0], 1);
}
