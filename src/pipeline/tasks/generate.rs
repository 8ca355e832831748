//! `generate`: the blobs dataset (ARCHITECTURE.md §9).

use std::sync::Arc;

use crate::data::Blobs;
use crate::monitor::Monitor;
use crate::pipeline::engine::plan::Plan;
use crate::pipeline::error::PipelineError;
use crate::pipeline::memo::fingerprint::{Fingerprint, FingerprintHasher};

/// Generates the dataset of `plan`.
pub fn generate(plan: &Plan, monitor: &dyn Monitor) -> Result<Arc<Blobs>, PipelineError> {
    Ok(Arc::new(plan.blobs().generate_monitored(monitor)?))
}

/// Fingerprint of a dataset's values, shape, labels and centres — not of its chunking,
/// which changes how it is processed but not what it is (so a new chunk size is backdated).
pub fn fingerprint(b: &Blobs) -> Fingerprint {
    let mut h = FingerprintHasher::new("dataset");
    h.word(b.x.n_rows() as u64);
    h.word(b.x.n_cols() as u64);
    h.f32s(b.x.as_slice());
    h.u32s(&b.labels);
    h.f64s(b.centers.as_slice().expect("centres are contiguous"));
    if let Some(w) = &b.weights {
        h.bytes(b"weights");
        h.f64s(w);
    }
    h.finish()
}

/// Bytes held.
pub fn bytes(b: &Blobs) -> usize {
    b.x.nbytes()
        + b.labels.len() * 4
        + b.centers.len() * 8
        + b.weights.as_ref().map_or(0, |w| w.len() * 8)
}
