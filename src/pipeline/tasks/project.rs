//! `project`: the plane the canvas shows (see [`crate::pipeline::render::projection`]) — two
//! features at no cost, or a PCA fitted to every row, memoised with the dataset so zooming
//! and panning reuse it.

use std::sync::Arc;

use crate::data::Blobs;
use crate::monitor::Monitor;
use crate::pipeline::engine::plan::Plan;
use crate::pipeline::error::PipelineError;
use crate::pipeline::memo::fingerprint::{Fingerprint, FingerprintHasher};
use crate::pipeline::render::projection::{self, Axes};

/// The axes `plan` asks for on `data`.
pub fn project(
    plan: &Plan,
    data: &Blobs,
    monitor: &dyn Monitor,
) -> Result<Arc<Axes>, PipelineError> {
    let p = plan.inputs();
    Ok(Arc::new(projection::axes(
        p.projection,
        p.feature_x,
        p.feature_y,
        &data.x,
        monitor,
    )?))
}

/// Fingerprint of the axes.
pub fn fingerprint(a: &Axes) -> Fingerprint {
    let mut h = FingerprintHasher::new("axes");
    h.json(a);
    h.finish()
}

/// Bytes held.
pub fn bytes(a: &Axes) -> usize {
    match a {
        Axes::Features { .. } => 16,
        Axes::Pca(p) => 3 * p.mean.len() * 8 + 64,
    }
}
