//! Shared by the native and the in-browser reproducibility tests.

use blobscale::data::{Blobs, BlobsParams, Centers};

/// The pinned dataset: uneven sizes, odd feature count, a chunk size that splits rows
/// unevenly, shuffled — everything that could make two targets disagree.
pub fn pinned_params() -> BlobsParams {
    BlobsParams::new(100_003)
        .n_features(3)
        .centers(Centers::Count(7))
        .cluster_std(1.5)
        .seed(20_261_122)
        .chunk_rows(4_099)
}

/// FNV-1a over the bits of every value and label: equal digests mean equal datasets.
pub fn digest(b: &Blobs) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: [u8; 4]| {
        for byte in bytes {
            h ^= byte as u64;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    b.x.as_slice()
        .iter()
        .for_each(|v| eat(v.to_bits().to_le_bytes()));
    b.labels.iter().for_each(|l| eat(l.to_le_bytes()));
    format!("{h:016x}")
}

/// The digest committed in `tests/fixtures/blobs_digest.txt`.
pub fn pinned_digest() -> &'static str {
    include_str!("../fixtures/blobs_digest.txt").trim()
}
