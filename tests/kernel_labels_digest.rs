//! The assignment kernels give the labels and inertia committed in
//! `tests/fixtures/labels_digests.txt`, bit for bit, on overlapping blobs (many rows need
//! the exact fallback) for feature counts on every kernel path: the register routines of
//! d ≤ 4, the tiled kernel with and without whole groups of eight features, and d = 64.
//! A faster kernel must rank the same way; these digests were made by the kernel before
//! the blocked one (`src/cluster/README.md` §1–§3 is the argument that they cannot move).
//!
//! `BLOBSCALE_WRITE_DIGEST=1 cargo test --test kernel_labels_digest` rewrites the fixture;
//! do that only when labels are meant to change, and say why in the commit.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use blobscale::cluster::{Algorithm, Init, KMeansParams};
use blobscale::data::{BlobsParams, Centers};
use blobscale::pipeline::replay::frame::labels_digest;
use common::{generate, with_threads};

/// (rows, features, blobs and k, seeding, algorithm, weighted)
fn cases() -> Vec<(usize, usize, usize, Init, Algorithm, bool)> {
    let mut out = Vec::new();
    for (n, d, k) in [
        (6_007, 1, 5),
        (6_007, 2, 8),
        (6_007, 3, 7),
        (6_007, 4, 9),
        (6_007, 5, 13),
        (6_007, 8, 16),
        (6_007, 13, 33),
        (6_007, 16, 32),
        (4_001, 24, 40),
        (3_001, 64, 100),
    ] {
        out.push((n, d, k, Init::Random, Algorithm::Lloyd, false));
        out.push((n, d, k, Init::default(), Algorithm::Lloyd, false));
    }
    out.push((6_007, 16, 32, Init::default(), Algorithm::Hamerly, false));
    out.push((3_001, 64, 100, Init::default(), Algorithm::Hamerly, false));
    // k-means++ prunes the rows a candidate cannot take over; the seeding it picks must
    // not move, weighted or not.
    let plus_plus = || Init::KMeansPlusPlus {
        n_local_trials: None,
    };
    for (n, d, k) in [
        (6_007, 2, 8),
        (6_007, 5, 13),
        (6_007, 16, 32),
        (3_001, 64, 100),
    ] {
        out.push((n, d, k, plus_plus(), Algorithm::Lloyd, false));
    }
    out.push((6_007, 16, 32, plus_plus(), Algorithm::Lloyd, true));
    out.push((3_001, 64, 100, plus_plus(), Algorithm::Lloyd, true));
    // k-means|| with weights (its potential and candidate weights sum `w·d²` and `w`).
    out.push((6_007, 5, 13, Init::default(), Algorithm::Lloyd, true));
    out.push((3_001, 64, 100, Init::default(), Algorithm::Lloyd, true));
    // More than 255 clusters: labels past one byte, and k-means|| candidates past two
    // (ℓ = 2k per round), for both algorithms.
    out.push((6_007, 3, 300, Init::default(), Algorithm::Lloyd, false));
    out.push((6_007, 3, 300, Init::Random, Algorithm::Hamerly, false));
    out
}

fn digests() -> String {
    let mut lines = String::new();
    for (n, d, k, init, algorithm, weighted) in cases() {
        let b = generate(
            BlobsParams::new(n)
                .n_features(d)
                .centers(Centers::Count(k))
                .cluster_std(4.0)
                .seed(d as u64)
                .chunk_rows(1_000),
        );
        let weights: Option<Vec<f64>> =
            weighted.then(|| (0..n).map(|i| 1.0 + (i % 7) as f64 * 0.5).collect());
        let fit = with_threads(2, || {
            KMeansParams::new(k)
                .init(init.clone())
                .algorithm(algorithm)
                .seed(7)
                .check()
                .unwrap()
                .fit(&b.x, weights.as_deref())
                .unwrap()
        });
        lines.push_str(&format!(
            "{n}x{d} k={k} {}{} {:?}: labels {} inertia {:016x} iterations {}\n",
            init.name(),
            if weighted { " weighted" } else { "" },
            algorithm,
            labels_digest(&fit.labels.as_u32()),
            fit.inertia.to_bits(),
            fit.n_iter
        ));
    }
    lines
}

#[test]
fn labels_and_inertia_match_the_committed_digests() {
    let got = digests();
    let path = "tests/fixtures/labels_digests.txt";
    if std::env::var_os("BLOBSCALE_WRITE_DIGEST").is_some() {
        std::fs::write(path, &got).unwrap();
    }
    let want = std::fs::read_to_string(path).unwrap();
    for (g, w) in got.lines().zip(want.lines()) {
        assert_eq!(g, w);
    }
    assert_eq!(got.lines().count(), want.lines().count());
}
