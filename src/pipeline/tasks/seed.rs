//! `seed`: the initial centres, a node of its own so that changing only `max_iter` or the
//! Lloyd variant reuses the (for k-means||, costly) seeding. `tol` is one of its inputs,
//! because k-means|| reclusters its candidates with Lloyd runs that stop on it, so a new
//! `tol` reseeds (the other methods ignore it and give the same centres again).

use std::sync::Arc;

use crate::cluster::seeding::{Seeding, seed_centres};
use crate::cluster::summary::Summary;
use crate::monitor::Monitor;
use crate::pipeline::engine::plan::Plan;
use crate::pipeline::error::PipelineError;
use crate::pipeline::memo::fingerprint::{Fingerprint, FingerprintHasher};

use super::sample::Training;

/// Seeds `k` centres on the training set with the plan's method and seed.
pub fn seed(
    plan: &Plan,
    training: &Training,
    monitor: &dyn Monitor,
) -> Result<Arc<Seeding>, PipelineError> {
    let p = plan.inputs().kmeans_params();
    let x = training.x();
    let weights = training.weights();
    let summary = Summary::of(x, weights)?;
    monitor.checkpoint()?;
    let s = seed_centres(x, weights, &summary, p.k, &p.init, p.seed, p.tol, monitor)?;
    Ok(Arc::new(s))
}

/// Fingerprint of the centres and statistics.
pub fn fingerprint(s: &Seeding) -> Fingerprint {
    let mut h = FingerprintHasher::new("seeding");
    h.f64s(&s.centres);
    h.json(&s.stats);
    h.f64s(&s.trace.candidates);
    h.u32s(&s.trace.round);
    h.f64s(&s.trace.weight);
    h.finish()
}

/// Bytes held.
pub fn bytes(s: &Seeding) -> usize {
    (s.centres.len() + s.trace.candidates.len() + s.trace.weight.len()) * 8
        + s.trace.round.len() * 4
        + 64
        + s.stats.cost_per_round.len() * 16
}
