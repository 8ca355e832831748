//! `fit`: Lloyd (or Hamerly) iterations from the seeded centres.
//!
//! The fit is asked to start from the `seed` node's centres (`Init::Centers`), which is the
//! same computation `fit_monitored` does after seeding; the seeding's own statistics are then
//! put back, so the model reports how it was really seeded.

use std::sync::Arc;

use crate::cluster::seeding::Seeding;
use crate::cluster::{Init, KMeansFit, KMeansParams};
use crate::monitor::Monitor;
use crate::pipeline::engine::plan::Plan;
use crate::pipeline::error::PipelineError;
use crate::pipeline::memo::fingerprint::{Fingerprint, FingerprintHasher};

use super::sample::Training;

/// Fits on the training set from `seeding`'s centres.
pub fn fit(
    plan: &Plan,
    training: &Training,
    seeding: &Seeding,
    monitor: &dyn Monitor,
) -> Result<Arc<KMeansFit>, PipelineError> {
    let p = plan.inputs().kmeans_params();
    let d = training.x().n_cols();
    let rows = seeding.centres.chunks(d).map(<[f64]>::to_vec).collect();
    let mut fit = KMeansParams {
        init: Init::Centers(rows),
        ..p
    }
    .check()?
    .fit_monitored(training.x(), training.weights(), monitor)?;
    fit.seeding = seeding.stats.clone();
    fit.seeding_trace = seeding.trace.clone();
    Ok(Arc::new(fit))
}

/// Fingerprint of everything the model holds.
pub fn fingerprint(f: &KMeansFit) -> Fingerprint {
    let mut h = FingerprintHasher::new("model");
    h.f64s(f.centres.as_slice().expect("contiguous"));
    h.f64s(f.initial_centres.as_slice().expect("contiguous"));
    h.labels(&f.labels);
    h.f64s(&[f.inertia]);
    h.word(f.n_iter as u64);
    h.f64s(&f.inertia_curve);
    h.json(&f.convergence);
    h.word(f.relocated as u64);
    h.json(&f.seeding);
    h.f64s(&f.seeding_trace.candidates);
    h.u32s(&f.seeding_trace.round);
    h.f64s(&f.seeding_trace.weight);
    h.f64s(&f.centre_history);
    h.u64s(&f.moved);
    h.finish()
}

/// Bytes held.
pub fn bytes(f: &KMeansFit) -> usize {
    (f.centres.len()
        + f.initial_centres.len()
        + f.inertia_curve.len()
        + f.centre_history.len()
        + f.moved.len()
        + f.seeding_trace.candidates.len()
        + f.seeding_trace.weight.len())
        * 8
        + f.labels.len() * f.labels.word_bytes()
        + f.seeding_trace.round.len() * 4
        + 128
}
