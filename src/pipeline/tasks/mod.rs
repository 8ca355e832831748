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
pub mod quality;
pub mod render;
pub mod replay;
pub mod sample;
pub mod seed;
pub mod upstream;

use std::sync::Arc;

use crate::cluster::KMeansFit;
use crate::cluster::seeding::Seeding;
use crate::data::Blobs;
use crate::monitor::Monitor;

use crate::pipeline::engine::plan::Plan;
use crate::pipeline::error::PipelineError;
use crate::pipeline::graph::TaskId;
use crate::pipeline::memo::fingerprint::Fingerprint;
use crate::pipeline::render::dataset_profile::DatasetProfile;
use crate::pipeline::render::projection::Axes;
pub use metrics::Metrics;
pub use predict::LabelSet;
pub use quality::Quality;
pub use render::Raster;
pub use replay::StepView;
pub use sample::Training;
pub use upstream::Upstream;

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
    /// `quality`'s internal indices.
    Quality(Arc<Quality>),
    /// `profile`'s histograms and first rows.
    Profile(Arc<DatasetProfile>),
    /// `project`'s plane.
    Axes(Arc<Axes>),
    /// `replay`'s labels of the shown step.
    Step(StepView),
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
            NodeValue::Labels(LabelSet::FromFit { labels, .. }) => labels.len() * 4,
            NodeValue::Metrics(m) => metrics::bytes(m),
            NodeValue::Quality(q) => quality::bytes(q),
            NodeValue::Profile(p) => profile::bytes(p),
            NodeValue::Axes(a) => project::bytes(a),
            NodeValue::Step(StepView::Final(_)) => 0,
            NodeValue::Step(StepView::Step(s)) => s.bytes(),
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
            NodeValue::Labels(LabelSet::FromFit { model, .. }) => {
                predict::pass_through_fingerprint(fit::fingerprint(model))
            }
            NodeValue::Metrics(m) => metrics::fingerprint(m),
            NodeValue::Quality(q) => quality::fingerprint(q),
            NodeValue::Profile(p) => profile::fingerprint(p),
            NodeValue::Axes(a) => project::fingerprint(a),
            NodeValue::Step(StepView::Final(l)) => {
                replay::pass_through_fingerprint(NodeValue::Labels(l.clone()).fingerprint())
            }
            NodeValue::Step(StepView::Step(s)) => s.fingerprint(),
            NodeValue::Raster(r) => render::fingerprint(r),
        }
    }
}

/// Whether `task` only forwards an upstream value under `plan` (no sample drawn, so the
/// training set is the dataset and the labels are the fit's; no replay step chosen, so the
/// canvas shows the final labels).
pub fn passes_through(task: TaskId, plan: &Plan) -> bool {
    match task {
        TaskId::Sample | TaskId::Predict => !plan.fits_on_sample(),
        TaskId::Replay => plan.inputs().replay_step.is_none(),
        _ => false,
    }
}

/// The fingerprint of a pass-through task's output, from its upstream output fingerprints
/// (in spec order).
pub fn pass_through_fingerprint(task: TaskId, upstream: &[Fingerprint]) -> Fingerprint {
    let up = Upstream::new(task, upstream);
    match task {
        TaskId::Sample => sample::pass_through_fingerprint(*up.of(TaskId::Generate)),
        TaskId::Predict => predict::pass_through_fingerprint(*up.of(TaskId::Fit)),
        TaskId::Replay => replay::pass_through_fingerprint(*up.of(TaskId::Predict)),
        other => unreachable!("{other:?} never passes through"),
    }
}

/// The value of a pass-through task, from its upstream values (in spec order).
pub fn pass_through_value(task: TaskId, upstream: &[NodeValue]) -> NodeValue {
    let up = Upstream::new(task, upstream);
    match task {
        TaskId::Sample => NodeValue::Training(Training::Full(up.dataset().clone())),
        TaskId::Predict => NodeValue::Labels(LabelSet::from_fit(up.model().clone())),
        TaskId::Replay => NodeValue::Step(StepView::Final(up.labels().clone())),
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
    let up = Upstream::new(task, upstream);
    Ok(match task {
        TaskId::Generate => NodeValue::Dataset(generate::generate(plan, monitor)?),
        TaskId::Sample => NodeValue::Training(Training::Sample(sample::sample(
            plan,
            up.dataset(),
            monitor,
        )?)),
        TaskId::Seed => NodeValue::Seeding(seed::seed(plan, up.training(), monitor)?),
        TaskId::Fit => NodeValue::Model(fit::fit(plan, up.training(), up.seeding(), monitor)?),
        TaskId::Predict => NodeValue::Labels(LabelSet::Predicted(predict::predict(
            up.dataset(),
            up.model(),
            monitor,
        )?)),
        TaskId::Metrics => NodeValue::Metrics(metrics::metrics(
            up.dataset(),
            up.model(),
            up.labels(),
            monitor,
        )?),
        TaskId::Quality => {
            NodeValue::Quality(quality::quality(plan, up.dataset(), up.labels(), monitor)?)
        }
        TaskId::Profile => NodeValue::Profile(profile::profile(up.dataset(), monitor)?),
        TaskId::Project => NodeValue::Axes(project::project(plan, up.dataset(), monitor)?),
        TaskId::Replay => NodeValue::Step(StepView::Step(replay::replay(
            plan,
            up.dataset(),
            up.model(),
            monitor,
        )?)),
        TaskId::Render => NodeValue::Raster(render::render(
            plan,
            up.dataset(),
            up.step_view(),
            up.axes(),
            monitor,
        )?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitor::Unmonitored;
    use crate::pipeline::graph::TASKS;
    use crate::pipeline::graph::inputs::ScenarioInputs;

    /// Runs the graph by hand, each task on the values its spec lists: every read of
    /// [`Upstream`] happens once, so an edge a task reads but the graph lacks panics here.
    #[test]
    fn every_task_reads_only_what_its_spec_lists() {
        let small = ScenarioInputs {
            n_samples: 600,
            chunk_rows: 100,
            silhouette_sample: 50,
            width: 16,
            height: 12,
            ..ScenarioInputs::default()
        };
        for (fit_sample, replay_step) in [(None, None), (Some(200), None), (None, Some(3))] {
            let plan = Plan::new(&ScenarioInputs {
                fit_sample,
                replay_step,
                ..small.clone()
            })
            .unwrap();
            let mut values: Vec<Option<NodeValue>> = vec![None; TaskId::COUNT];
            let mut fingerprints = [Fingerprint::default(); TaskId::COUNT];
            for spec in &TASKS {
                let task = spec.id;
                let upstream: Vec<NodeValue> = spec
                    .upstream
                    .iter()
                    .map(|u| values[u.index()].clone().expect("topological order"))
                    .collect();
                let (value, fingerprint) = if passes_through(task, &plan) {
                    let up: Vec<Fingerprint> = spec
                        .upstream
                        .iter()
                        .map(|u| fingerprints[u.index()])
                        .collect();
                    (
                        pass_through_value(task, &upstream),
                        pass_through_fingerprint(task, &up),
                    )
                } else {
                    let v = run(task, &plan, &upstream, &Unmonitored).unwrap();
                    let f = v.fingerprint();
                    (v, f)
                };
                // A forwarded value's fingerprint is the one the engine keys downstream by.
                assert_eq!(value.fingerprint(), fingerprint, "{task:?}");
                fingerprints[task.index()] = fingerprint;
                values[task.index()] = Some(value);
            }
            assert!(matches!(
                values[TaskId::Render.index()],
                Some(NodeValue::Raster(_))
            ));
        }
    }
}
