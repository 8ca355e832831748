//! `replay`: the labels the canvas colours by. With no replay step chosen, `predict`'s
//! labels pass through; with one, every row is labelled against that step's centres
//! ([`crate::pipeline::replay::step_labels`]), keyed by the fit's fingerprint and the step
//! like any memoised node.

use std::sync::Arc;

use crate::cluster::KMeansFit;
use crate::data::Blobs;
use crate::monitor::Monitor;
use crate::pipeline::engine::plan::Plan;
use crate::pipeline::error::PipelineError;
use crate::pipeline::memo::fingerprint::{Fingerprint, FingerprintHasher};
use crate::pipeline::replay::step_labels::{StepLabels, step_labels};

use super::predict::LabelSet;

/// What the canvas is coloured by.
#[derive(Debug, Clone)]
pub enum StepView {
    /// The final labels (no replay step chosen).
    Final(LabelSet),
    /// A replay step's labels.
    Step(Arc<StepLabels>),
}

impl StepView {
    /// One label per row, if the step has k centres.
    pub fn labels(&self) -> Option<&[u32]> {
        match self {
            StepView::Final(l) => Some(l.labels()),
            StepView::Step(s) => s.labels.as_deref(),
        }
    }

    /// The replay step, if one is shown.
    pub fn step(&self) -> Option<&StepLabels> {
        match self {
            StepView::Final(_) => None,
            StepView::Step(s) => Some(s),
        }
    }
}

/// Labels every row for the plan's replay step.
pub fn replay(
    plan: &Plan,
    data: &Blobs,
    model: &KMeansFit,
    monitor: &dyn Monitor,
) -> Result<Arc<StepLabels>, PipelineError> {
    let step = plan.inputs().replay_step.unwrap_or(usize::MAX);
    Ok(Arc::new(step_labels(data, model, step, monitor)?))
}

/// Fingerprint of the pass-through value: `predict`'s labels, forwarded.
pub fn pass_through_fingerprint(labels: Fingerprint) -> Fingerprint {
    let mut h = FingerprintHasher::new("replay: the final labels");
    h.fingerprint(labels);
    h.finish()
}
