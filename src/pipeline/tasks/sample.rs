//! `sample`: the rows the model is fitted on — a seeded sample (dask-ml's "fit on a
//! sample, predict on everything", `ParallelPostFit`) or the whole dataset.

use std::sync::Arc;

use crate::data::row_sample::sample_rows;
use crate::data::{Blobs, ChunkedMatrix};
use crate::monitor::Monitor;
use crate::pipeline::engine::plan::Plan;
use crate::pipeline::error::PipelineError;
use crate::pipeline::memo::fingerprint::{Fingerprint, FingerprintHasher};

/// The training set.
#[derive(Debug, Clone)]
pub enum Training {
    /// The whole dataset, shared with `generate`'s output (no copy, no bytes of its own).
    Full(Arc<Blobs>),
    /// A sample of rows, copied.
    Sample(Arc<ChunkedMatrix>),
}

impl Training {
    /// The rows.
    pub fn x(&self) -> &ChunkedMatrix {
        match self {
            Training::Full(b) => &b.x,
            Training::Sample(x) => x,
        }
    }

    /// The rows' sample weights, if the dataset has them (a plan with weights never draws a
    /// sample: [`crate::pipeline::Plan`] refuses `fit_sample` then).
    pub fn weights(&self) -> Option<&[f64]> {
        match self {
            Training::Full(b) => b.weights.as_deref(),
            Training::Sample(_) => None,
        }
    }
}

/// Draws `m` rows without replacement ([`sample_rows`], keyed by the k-means seed).
pub fn sample(
    plan: &Plan,
    data: &Arc<Blobs>,
    monitor: &dyn Monitor,
) -> Result<Arc<ChunkedMatrix>, PipelineError> {
    let inputs = plan.inputs();
    let n = data.x.n_rows();
    let m = inputs.fit_sample.map_or(n, |m| m.min(n));
    monitor.checkpoint()?;
    let (x, _) = sample_rows(&data.x, m, inputs.kmeans_seed)?;
    monitor.checkpoint()?;
    Ok(Arc::new(x))
}

/// Fingerprint of a drawn sample.
pub fn fingerprint(x: &ChunkedMatrix) -> Fingerprint {
    let mut h = FingerprintHasher::new("sample");
    h.word(x.n_rows() as u64);
    h.word(x.n_cols() as u64);
    h.f32s(x.as_slice());
    h.finish()
}

/// Fingerprint of the pass-through training set: the dataset's own, re-labelled so it
/// never collides with a drawn sample.
pub fn pass_through_fingerprint(dataset: Fingerprint) -> Fingerprint {
    let mut h = FingerprintHasher::new("sample: whole dataset");
    h.fingerprint(dataset);
    h.finish()
}
