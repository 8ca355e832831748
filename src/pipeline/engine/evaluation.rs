//! What one evaluation hands the page: the state of every node, the dataset, fit and
//! metrics summaries, the projected centres, and the raster's pixels.
//!
//! Everything except the pixels is serde-serialisable, so it can cross a worker boundary
//! as JSON or be saved; the pixels stay a plain `Vec<u8>` to be blitted as they are.

use serde::{Deserialize, Serialize};

use crate::cluster::{Convergence, KMeansFit, SeedingStats};
use crate::pipeline::engine::plan::Plan;
use crate::pipeline::graph::TaskId;
use crate::pipeline::memo::fingerprint::Fingerprint;
use crate::pipeline::render::dataset_profile::DatasetProfile;
use crate::pipeline::render::projection::Axes;
use crate::pipeline::render::raster::{PointStyle, Viewport};
use crate::pipeline::replay::frame::ReplayFrame;
use crate::pipeline::replay::step_labels::StepLabels;
use crate::pipeline::replay::timeline::{TimelineStep, timeline};
use crate::pipeline::tasks::{Metrics, Raster};

/// What happened to a task node in one evaluation (the pipeline view's node colours).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeState {
    /// Computed, with an output new to this node.
    Computed,
    /// Recomputed, with an output equal to the node's previous one: dependents stay valid.
    Backdated,
    /// Taken from the memo store.
    Reused,
    /// Forwarded its upstream value (no sample drawn, so no separate training set or
    /// prediction).
    PassThrough,
    /// Its output's fingerprint was known and its value was not needed: everything
    /// downstream was reused.
    Known,
    /// Not needed by this evaluation (a sweep does not render).
    Idle,
}

/// One task node in one evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeReport {
    /// The node.
    pub task: TaskId,
    /// What happened.
    pub state: NodeState,
    /// Memo key (`None` for pass-through and idle nodes).
    pub key: Option<Fingerprint>,
    /// Output fingerprint (`None` for idle nodes).
    pub output: Option<Fingerprint>,
    /// Compute time, ms (0 unless computed).
    pub ms: f64,
    /// Its job in the log, if one ran or was reused.
    pub job: Option<u64>,
}

/// The dataset's shape and memory, known from the parameters alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatasetSummary {
    /// Rows.
    pub n_samples: usize,
    /// Columns.
    pub n_features: usize,
    /// Rows per chunk.
    pub chunk_rows: usize,
    /// Chunks.
    pub n_chunks: usize,
    /// Bytes of values and labels.
    pub nbytes: u64,
    /// Whether the dataset has ground truth: generated blobs do; an imported file has no
    /// true labels or centres, so its adjusted Rand index is absent (older documents
    /// without the field read as `true`).
    #[serde(default = "has_truth")]
    pub ground_truth: bool,
}

fn has_truth() -> bool {
    true
}

impl DatasetSummary {
    /// The summary of `plan`'s dataset.
    pub fn of(plan: &Plan) -> Self {
        let p = plan.inputs();
        Self {
            n_samples: plan.n_rows(),
            n_features: plan.n_features(),
            chunk_rows: p.chunk_rows,
            n_chunks: plan.n_rows().div_ceil(p.chunk_rows),
            nbytes: plan.dataset_bytes(),
            ground_truth: plan.has_ground_truth(),
        }
    }
}

/// The model without its labels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FitSummary {
    /// Clusters.
    pub k: usize,
    /// Inertia on the rows it was fitted on.
    pub inertia: f64,
    /// Lloyd iterations.
    pub n_iter: usize,
    /// Cost of each iteration: the convergence curve.
    pub inertia_curve: Vec<f64>,
    /// How the iterations ended.
    pub convergence: Convergence,
    /// Empty clusters relocated.
    pub relocated: usize,
    /// Rows per cluster among the rows it was fitted on (for every row, see
    /// [`Metrics::cluster_sizes`]).
    pub cluster_sizes: Vec<u64>,
    /// What seeding did.
    pub seeding: SeedingStats,
    /// Rows it was fitted on.
    pub trained_on: usize,
    /// The fitted centres, one row of every feature per cluster (what a shared link must
    /// reproduce, and what the centroids export writes).
    #[serde(default)]
    pub centres: Vec<Vec<f64>>,
    /// The replay's steps: each seeding round, the seeds, each iteration (empty in older
    /// saved results).
    #[serde(default)]
    pub timeline: Vec<TimelineStep>,
}

impl FitSummary {
    /// The summary of `fit`.
    pub fn of(fit: &KMeansFit) -> Self {
        Self {
            k: fit.k(),
            inertia: fit.inertia,
            n_iter: fit.n_iter,
            inertia_curve: fit.inertia_curve.clone(),
            convergence: fit.convergence,
            relocated: fit.relocated,
            cluster_sizes: fit.cluster_sizes(),
            seeding: fit.seeding.clone(),
            trained_on: fit.labels.len(),
            centres: fit.centres.rows().into_iter().map(|r| r.to_vec()).collect(),
            timeline: timeline(fit),
        }
    }
}

/// What the canvas shows besides the pixels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ViewSummary {
    /// The data rectangle of the pixels.
    pub viewport: Viewport,
    /// Feature shown horizontally.
    pub feature_x: usize,
    /// Feature shown vertically.
    pub feature_y: usize,
    /// Horizontal axis title ("feature 0", "PC1 (62 %)"); empty in older saved results.
    #[serde(default)]
    pub x_label: String,
    /// Vertical axis title.
    #[serde(default)]
    pub y_label: String,
    /// Explained variance ratio of the two components when the plane is a PCA.
    #[serde(default)]
    pub explained_variance_ratio: Option<[f64; 2]>,
    /// Whether the window was zoomed or panned (`false`: the data's bounds).
    #[serde(default)]
    pub zoomed: bool,
    /// Whether the points were drawn as markers or as a density raster.
    #[serde(default)]
    pub points: PointStyle,
    /// Generating centres, projected.
    pub true_centres: Vec<[f64; 2]>,
    /// Fitted centres, projected.
    pub fitted_centres: Vec<[f64; 2]>,
    /// Seeded centres, projected.
    pub initial_centres: Vec<[f64; 2]>,
    /// The replay step shown (`None`: the final labels; older results read as `None`).
    #[serde(default)]
    pub replay: Option<ReplayFrame>,
}

impl ViewSummary {
    /// Projects the centres of `plan` and `fit` on the plane of `raster`.
    pub fn of(plan: &Plan, fit: &KMeansFit, raster: &Raster, step: Option<&StepLabels>) -> Self {
        let (fx, fy) = (plan.inputs().feature_x, plan.inputs().feature_y);
        let axes = &*raster.axes;
        let project = |m: &ndarray::Array2<f64>| {
            m.rows()
                .into_iter()
                .map(|r| {
                    let (u, v) = axes.point_f64(&r.to_vec());
                    [u, v]
                })
                .collect()
        };
        let [x_label, y_label] = axes.labels();
        Self {
            viewport: raster.viewport,
            feature_x: fx,
            feature_y: fy,
            x_label,
            y_label,
            explained_variance_ratio: match axes {
                Axes::Pca(p) => Some(p.explained_variance_ratio),
                Axes::Features { .. } => None,
            },
            zoomed: plan.inputs().view.is_some(),
            points: raster.style,
            true_centres: if plan.has_ground_truth() {
                project(&plan.true_centres())
            } else {
                Vec::new()
            },
            fitted_centres: project(&fit.centres),
            initial_centres: project(&fit.initial_centres),
            replay: step.map(|s| ReplayFrame::of(fit, s, axes)),
        }
    }
}

/// Everything about an evaluation except the pixels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvaluationSummary {
    /// Evaluation id (the `evaluation` of its jobs).
    pub evaluation: u64,
    /// Submission number on the view lane (`None` for detached evaluations).
    pub ticket: Option<u64>,
    /// Every task node, in graph order.
    pub nodes: Vec<NodeReport>,
    /// The dataset.
    pub dataset: DatasetSummary,
    /// The model.
    pub fit: FitSummary,
    /// The scores.
    pub metrics: Metrics,
    /// The canvas overlay (`None` when the evaluation did not render).
    pub view: Option<ViewSummary>,
    /// Histograms and first rows of the dataset (`None` when the evaluation did not
    /// profile it, as in a sweep, or in older saved results).
    #[serde(default)]
    pub profile: Option<DatasetProfile>,
    /// Threads in the pool that ran it.
    pub threads: usize,
    /// Start, ms on the engine's clock.
    pub start_ms: f64,
    /// End, ms.
    pub end_ms: f64,
}

impl EvaluationSummary {
    /// The report of one node.
    pub fn node(&self, task: TaskId) -> &NodeReport {
        &self.nodes[task.index()]
    }

    /// Whether the internal indices are still to come: the evaluation was a first
    /// delivery ([`crate::pipeline::Delivery::First`]) and did not hold them, so
    /// the silhouette, Calinski–Harabasz and Davies–Bouldin in [`Self::metrics`] are
    /// unknown rather than undefined.
    pub fn quality_pending(&self) -> bool {
        self.node(TaskId::Quality).state == NodeState::Idle
    }

    /// This first delivery completed by `later`, the same scenario's evaluation of its
    /// internal indices ([`crate::pipeline::Delivery::Quality`]): the indices and
    /// the `quality` node's report are taken from it; every other node keeps what this
    /// evaluation did to it, so the graph still shows what the user's change recomputed.
    /// `None` when `later` is another scenario's (its model differs) or brings no indices.
    pub fn with_quality_of(&self, later: &EvaluationSummary) -> Option<EvaluationSummary> {
        let same_labels = [TaskId::Fit, TaskId::Metrics]
            .iter()
            .all(|&t| later.node(t).output == self.node(t).output);
        if !same_labels || later.quality_pending() {
            return None;
        }
        let mut out = self.clone();
        let q = TaskId::Quality.index();
        out.nodes[q] = later.nodes[q].clone();
        out.metrics = out.metrics.with_quality(&later.metrics.quality());
        out.end_ms = later.end_ms;
        Some(out)
    }
}

/// A finished evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// Everything but the pixels.
    pub summary: EvaluationSummary,
    /// `width × height` RGBA pixels (empty when the evaluation did not render).
    pub pixels: Vec<u8>,
}
