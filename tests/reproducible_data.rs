//! The pinned dataset natively: same digest as committed (and as the browser computes in
//! `tests/web.rs`), for any thread count and chunk size.
//!
//! `BLOBSCALE_WRITE_DIGEST=1 cargo test --test reproducible_data` rewrites the fixture; do
//! that only when the generator's output is meant to change, and say so in the commit.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{digest, generate, pinned_digest, pinned_params, with_threads};

#[test]
fn generated_data_matches_the_pinned_digest() {
    let blobs = generate(pinned_params());
    let got = digest(&blobs);
    if std::env::var_os("BLOBSCALE_WRITE_DIGEST").is_some() {
        std::fs::write("tests/fixtures/blobs_digest.txt", format!("{got}\n")).unwrap();
    }
    assert_eq!(got, pinned_digest());
}

#[test]
fn digest_is_the_same_for_any_thread_count_and_chunk_size() {
    for threads in [1, 3] {
        for chunk in [1, 333, 1 << 20] {
            let b = with_threads(threads, || generate(pinned_params().chunk_rows(chunk)));
            assert_eq!(
                digest(&b),
                pinned_digest(),
                "{threads} threads, chunk {chunk}"
            );
        }
    }
}
