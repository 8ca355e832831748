//! The task functions, one file each, and the value type every data node holds.
//!
//! Each task is a pure function of the plan's inputs and its upstream outputs (Taipy's
//! task nodes). Outputs are shared behind `Arc`s, so the memo store, a running evaluation
//! and the page can hold the same dataset without copies.

pub mod fit;
pub mod generate;
pub mod metrics;
pub mod predict;
pub mod profile;
pub mod project;
pub mod render;
pub mod sample;
pub mod seed;

use std::sync::Arc;

use crate::cluster::KMeansFit;
use crate::cluster::seeding::Seeding;
use crate::data::Blobs;
use crate::monitor::Monitor;

use super::dataset_profile::DatasetProfile;
use super::error::PipelineError;
use super::fingerprint::Fingerprint;
use super::graph::TaskId;
use super::plan::Plan;
use super::projection::Axes;
pub use metrics::Metrics;
pub use predict::LabelSet;
pub use render::Raster;
pub use sample::Training;

/// The output of a task node.
#[derive(Debug, Clone)]
pub enum NodeValue {
    /// `generate`'s dataset.
    Dataset(Arc<Blobs>),
    /// `sample`'s training set.
    Training(Training),
    /// `seed`'s initial centres.
    Seeding(Arc<Seeding>),
    /// `fit`'s model.
    Model(Arc<KMeansFit>),
    /// `predict`'s labels.
    Labels(LabelSet),
    /// `metrics`' scores.
    Metrics(Arc<Metrics>),
    /// `profile`'s histograms and first rows.
    Profile(Arc<DatasetProfile>),
    /// `project`'s plane.
    Axes(Arc<Axes>),
    /// `render`'s raster.
    Raster(Arc<Raster>),
}

impl NodeValue {
    /// Bytes this value holds of its own (pass-through values share their upstream's and
    /// count zero), for the memo store's budget.
    pub fn bytes(&self) -> usize {
        match self {
            NodeValue::Dataset(b) => generate::bytes(b),
            NodeValue::Training(Training::Sample(x)) => x.nbytes(),
            NodeValue::Training(Training::Full(_)) => 0,
            NodeValue::Seeding(s) => seed::bytes(s),
            NodeValue::Model(f) => fit::bytes(f),
            NodeValue::Labels(LabelSet::Predicted(p)) => predict::bytes(p),
            NodeValue::Labels(LabelSet::FromFit(_)) => 0,
            NodeValue::Metrics(m) => metrics::bytes(m),
            NodeValue::Profile(p) => profile::bytes(p),
            NodeValue::Axes(a) => project::bytes(a),
            NodeValue::Raster(r) => render::bytes(r),
        }
    }

    /// The content fingerprint of a computed value.
    pub fn fingerprint(&self) -> Fingerprint {
        match self {
            NodeValue::Dataset(b) => generate::fingerprint(b),
            NodeValue::Training(Training::Sample(x)) => sample::fingerprint(x),
            NodeValue::Training(Training::Full(b)) => {
                sample::pass_through_fingerprint(generate::fingerprint(b))
            }
            NodeValue::Seeding(s) => seed::fingerprint(s),
            NodeValue::Model(f) => fit::fingerprint(f),
            NodeValue::Labels(LabelSet::Predicted(p)) => predict::fingerprint(p),
            NodeValue::Labels(LabelSet::FromFit(f)) => {
                predict::pass_through_fingerprint(fit::fingerprint(f))
            }
            NodeValue::Metrics(m) => metrics::fingerprint(m),
            NodeValue::Profile(p) => profile::fingerprint(p),
            NodeValue::Axes(a) => project::fingerprint(a),
            NodeValue::Raster(r) => render::fingerprint(r),
        }
    }

    fn dataset(&self) -> &Arc<Blobs> {
        match self {
            NodeValue::Dataset(b) => b,
            other => unreachable!("expected a dataset, got {other:?}"),
        }
    }
    fn training(&self) -> &Training {
        match self {
            NodeValue::Training(t) => t,
            other => unreachable!("expected a training set, got {other:?}"),
        }
    }
    fn model(&self) -> &Arc<KMeansFit> {
        match self {
            NodeValue::Model(f) => f,
            other => unreachable!("expected a model, got {other:?}"),
        }
    }
    fn labels(&self) -> &LabelSet {
        match self {
            NodeValue::Labels(l) => l,
            other => unreachable!("expected labels, got {other:?}"),
        }
    }
    fn axes(&self) -> &Arc<Axes> {
        match self {
            NodeValue::Axes(a) => a,
            other => unreachable!("expected axes, got {other:?}"),
        }
    }
    fn seeding(&self) -> &Seeding {
        match self {
            NodeValue::Seeding(s) => s,
            other => unreachable!("expected a seeding, got {other:?}"),
        }
    }
}

/// Whether `task` only forwards an upstream value under `plan` (no sample drawn, so the
/// training set is the dataset and the labels are the fit's).
pub fn passes_through(task: TaskId, plan: &Plan) -> bool {
    matches!(task, TaskId::Sample | TaskId::Predict) && !plan.fits_on_sample()
}

/// The fingerprint of a pass-through task's output, from its upstream output fingerprints
/// (in spec order).
pub fn pass_through_fingerprint(task: TaskId, upstream: &[Fingerprint]) -> Fingerprint {
    match task {
        TaskId::Sample => sample::pass_through_fingerprint(upstream[0]),
        TaskId::Predict => predict::pass_through_fingerprint(upstream[2]),
        other => unreachable!("{other:?} never passes through"),
    }
}

/// The value of a pass-through task, from its upstream values (in spec order).
pub fn pass_through_value(task: TaskId, upstream: &[NodeValue]) -> NodeValue {
    match task {
        TaskId::Sample => NodeValue::Training(Training::Full(upstream[0].dataset().clone())),
        TaskId::Predict => NodeValue::Labels(LabelSet::FromFit(upstream[2].model().clone())),
        other => unreachable!("{other:?} never passes through"),
    }
}

/// Runs `task` on its upstream values (in spec order), reporting to `monitor`.
pub fn run(
    task: TaskId,
    plan: &Plan,
    upstream: &[NodeValue],
    monitor: &dyn Monitor,
) -> Result<NodeValue, PipelineError> {
    Ok(match task {
        TaskId::Generate => NodeValue::Dataset(generate::generate(plan, monitor)?),
        TaskId::Sample => NodeValue::Training(Training::Sample(sample::sample(
            plan,
            upstream[0].dataset(),
            monitor,
        )?)),
        TaskId::Seed => NodeValue::Seeding(seed::seed(plan, upstream[0].training(), monitor)?),
        TaskId::Fit => NodeValue::Model(fit::fit(
            plan,
            upstream[0].training(),
            upstream[1].seeding(),
            monitor,
        )?),
        TaskId::Predict => NodeValue::Labels(LabelSet::Predicted(predict::predict(
            upstream[0].dataset(),
            upstream[2].model(),
            monitor,
        )?)),
        TaskId::Metrics => NodeValue::Metrics(metrics::metrics(
            plan,
            upstream[0].dataset(),
            upstream[1].model(),
            upstream[2].labels(),
            monitor,
        )?),
        TaskId::Profile => NodeValue::Profile(profile::profile(upstream[0].dataset(), monitor)?),
        TaskId::Project => NodeValue::Axes(project::project(plan, upstream[0].dataset(), monitor)?),
        TaskId::Render => NodeValue::Raster(render::render(
            plan,
            upstream[0].dataset(),
            upstream[1].labels(),
            upstream[2].axes(),
            monitor,
        )?),
    })
}
