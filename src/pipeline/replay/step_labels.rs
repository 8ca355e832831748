//! A replay step's labels: every row of the dataset labelled against the step's centres
//! by the parallel predict pass, with the rows that changed label since the step before.
//!
//! Only the shown step's labels exist; the memo store keeps recent steps as it keeps any
//! node's output (its key holds the fit's fingerprint and the step), so stepping back and
//! forth recomputes nothing, and no fit stores n labels per iteration.

use ndarray::ArrayView2;
use rayon::prelude::*;

use crate::cluster::{KMeansFit, predict_monitored};
use crate::data::Blobs;
use crate::monitor::Monitor;
use crate::pipeline::error::PipelineError;
use crate::pipeline::memo::fingerprint::{Fingerprint, FingerprintHasher};
use crate::pipeline::replay::timeline::{StepKind, step_kind};

/// The labels of one replay step.
#[derive(Debug, Clone, PartialEq)]
pub struct StepLabels {
    /// The global step (clamped to the timeline).
    pub step: usize,
    /// What it shows.
    pub kind: StepKind,
    /// Label of every row against the step's centres (`None` for seeding rounds, which
    /// have no k centres yet).
    pub labels: Option<Vec<u32>>,
    /// One bit per row, set when its label differs from the step before (empty for
    /// seeding rounds and for the seeds' first labelling).
    pub changed: Vec<u64>,
    /// Rows whose label changed (the set bits of `changed`).
    pub moved: u64,
    /// Inertia of every row against the step's centres (`None` for seeding rounds).
    pub inertia: Option<f64>,
}

impl StepLabels {
    /// Whether row `i` changed label at this step.
    pub fn changed(&self, i: usize) -> bool {
        self.changed
            .get(i / 64)
            .is_some_and(|w| w >> (i % 64) & 1 == 1)
    }

    /// Bytes held.
    pub fn bytes(&self) -> usize {
        self.labels.as_ref().map_or(0, |l| l.len() * 4) + self.changed.len() * 8 + 64
    }

    /// Fingerprint of the step and its labels.
    pub fn fingerprint(&self) -> Fingerprint {
        let mut h = FingerprintHasher::new("replay step");
        h.word(self.step as u64);
        h.json(&self.kind);
        if let Some(l) = &self.labels {
            h.u32s(l);
        }
        h.u64s(&self.changed);
        h.f64s(&[self.inertia.unwrap_or(f64::NAN)]);
        h.finish()
    }
}

/// Labels every row of `data` for global step `step` of `fit`'s replay.
pub fn step_labels(
    data: &Blobs,
    fit: &KMeansFit,
    step: usize,
    monitor: &dyn Monitor,
) -> Result<StepLabels, PipelineError> {
    let (step, kind) = step_kind(fit, step);
    let StepKind::Lloyd { iteration } = kind else {
        return Ok(StepLabels {
            step,
            kind,
            labels: None,
            changed: Vec::new(),
            moved: 0,
            inertia: None,
        });
    };
    let label = |i: usize| -> Result<_, PipelineError> {
        let (k, d) = fit.centres.dim();
        let c = ArrayView2::from_shape((k, d), fit.centres_at(i)).expect("k × d values");
        Ok(predict_monitored(
            &data.x,
            c,
            data.weights.as_deref(),
            monitor,
        )?)
    };
    let now = label(iteration)?;
    let changed = if iteration == 0 {
        Vec::new()
    } else {
        let before = label(iteration - 1)?.labels;
        now.labels
            .par_chunks(64)
            .zip(before.par_chunks(64))
            .map(|(a, b)| {
                a.iter()
                    .zip(b)
                    .enumerate()
                    .fold(0u64, |w, (j, (x, y))| w | (((x != y) as u64) << j))
            })
            .collect()
    };
    let moved = changed.iter().map(|w| w.count_ones() as u64).sum();
    Ok(StepLabels {
        step,
        kind,
        labels: Some(now.labels),
        changed,
        moved,
        inertia: Some(now.inertia),
    })
}
