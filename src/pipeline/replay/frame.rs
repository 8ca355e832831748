//! What the canvas draws over the points at a replay step, projected on the plot's plane:
//! the candidates drawn so far (sized by weight), the centres with short trails, and the
//! step's cost and moved rows.

use serde::{Deserialize, Serialize};

use crate::cluster::KMeansFit;
use crate::pipeline::memo::fingerprint::FingerprintHasher;
use crate::pipeline::render::projection::Axes;
use crate::pipeline::replay::step_labels::StepLabels;
use crate::pipeline::replay::timeline::StepKind;

/// Earlier positions a centre's trail shows.
pub const TRAIL_STEPS: usize = 4;

/// A seeding candidate on the plane.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrameCandidate {
    /// Projected position.
    pub at: [f64; 2],
    /// The round that drew it.
    pub round: u32,
    /// Its weight as a share of the largest candidate weight, when known.
    pub weight: Option<f64>,
}

/// One replay step as the canvas draws it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplayFrame {
    /// The global step shown.
    pub step: usize,
    /// What it shows.
    #[serde(flatten)]
    pub kind: StepKind,
    /// The candidates drawn up to this round (seeding steps and the seeds' step).
    pub candidates: Vec<FrameCandidate>,
    /// Projected centres at this step (Lloyd steps).
    pub centres: Vec<[f64; 2]>,
    /// Each centre's earlier positions, oldest first, up to [`TRAIL_STEPS`].
    pub trails: Vec<Vec<[f64; 2]>>,
    /// Rows of the whole dataset that changed label at this step.
    pub moved: u64,
    /// Inertia of the whole dataset against this step's centres.
    pub inertia: Option<f64>,
    /// Digest of this step's labels ([`labels_digest`]), to compare with a fit run with
    /// `max_iter` = the iteration.
    pub labels_digest: Option<String>,
}

/// A short digest of a label vector: equal digests mean equal labels (the CLI's `fit`
/// prints the same for its labels).
pub fn labels_digest(labels: &[u32]) -> String {
    let mut h = FingerprintHasher::new("labels digest");
    h.u32s(labels);
    format!("{:016x}", h.finish().low64())
}

/// [`labels_digest`] of a fit's labels, in whatever word they are stored.
pub fn labels_digest_of(labels: &crate::cluster::Labels) -> String {
    let mut h = FingerprintHasher::new("labels digest");
    h.labels(labels);
    format!("{:016x}", h.finish().low64())
}

impl ReplayFrame {
    /// The frame of `step` of `fit` on `axes`.
    pub fn of(fit: &KMeansFit, step: &StepLabels, axes: &Axes) -> Self {
        let d = fit.centres.ncols();
        let project = |values: &[f64]| -> Vec<[f64; 2]> {
            values
                .chunks(d.max(1))
                .map(|r| {
                    let (u, v) = axes.point_f64(r);
                    [u, v]
                })
                .collect()
        };
        let trace = &fit.seeding_trace;
        let up_to = match step.kind {
            StepKind::Seeding { round } => Some(round as u32),
            StepKind::Lloyd { iteration: 0 } => Some(u32::MAX),
            StepKind::Lloyd { .. } => None,
        };
        let heaviest = trace.weight.iter().copied().fold(0.0f64, f64::max);
        let candidates = match up_to {
            None => Vec::new(),
            Some(r) => project(&trace.candidates)
                .into_iter()
                .enumerate()
                .filter(|&(i, _)| trace.round[i] <= r)
                .map(|(i, at)| FrameCandidate {
                    at,
                    round: trace.round[i],
                    weight: (heaviest > 0.0).then(|| trace.weight[i] / heaviest),
                })
                .collect(),
        };
        let (centres, trails) = match step.kind {
            StepKind::Seeding { .. } => (Vec::new(), Vec::new()),
            StepKind::Lloyd { iteration } => {
                let now = project(fit.centres_at(iteration));
                let from = iteration.saturating_sub(TRAIL_STEPS);
                let earlier: Vec<Vec<[f64; 2]>> = (from..iteration)
                    .map(|i| project(fit.centres_at(i)))
                    .collect();
                let trails = (0..now.len())
                    .map(|c| earlier.iter().map(|e| e[c]).collect())
                    .collect();
                (now, trails)
            }
        };
        Self {
            step: step.step,
            kind: step.kind,
            candidates,
            centres,
            trails,
            moved: step.moved,
            inertia: step.inertia,
            labels_digest: step.labels.as_deref().map(labels_digest),
        }
    }
}
