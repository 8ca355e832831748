//! The pinned dataset natively: same digest as committed (and as the browser computes in
//! `tests/web.rs`), for any thread count and chunk size.
//!
//! `BLOBSCALE_WRITE_DIGEST=1 cargo test --test reproducible_data` rewrites the fixture; do
//! that only when the generator's output is meant to change, and say so in the commit.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{digest, pinned_digest, pinned_params};

#[test]
fn generated_data_matches_the_pinned_digest() {
    let blobs = pinned_params().check().unwrap().generate();
    let got = digest(&blobs);
    if std::env::var_os("BLOBSCALE_WRITE_DIGEST").is_some() {
        std::fs::write("tests/fixtures/blobs_digest.txt", format!("{got}\n")).unwrap();
    }
    assert_eq!(got, pinned_digest());
}

#[test]
fn digest_is_the_same_for_any_thread_count_and_chunk_size() {
    for threads in [1, 3] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        for chunk in [1, 333, 1 << 20] {
            let b = pool.install(|| {
                pinned_params()
                    .chunk_rows(chunk)
                    .check()
                    .unwrap()
                    .generate()
            });
            assert_eq!(
                digest(&b),
                pinned_digest(),
                "{threads} threads, chunk {chunk}"
            );
        }
    }
}
