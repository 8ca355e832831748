//! What a task reads from upstream, by the task that produced it rather than by position.
//!
//! The engine hands a task its upstream outputs in the order of its spec's `upstream`
//! ([`crate::pipeline::graph::TASKS`]). Reading them by index would tie every task
//! function to that order a second time; here a value is found by its producer, so the
//! graph table is the only place the order is written. Each data node has one producer,
//! so the producer also fixes the value's kind: `model()` is `fit`'s output, always a
//! model. A read of a producer the spec does not list panics naming the missing edge, and
//! `tasks::tests::every_task_reads_only_what_its_spec_lists` runs every task to catch one.

use std::sync::Arc;

use crate::cluster::KMeansFit;
use crate::cluster::seeding::Seeding;
use crate::data::Blobs;
use crate::pipeline::graph::TaskId;
use crate::pipeline::render::projection::Axes;

use super::NodeValue;
use super::predict::LabelSet;
use super::replay::StepView;
use super::sample::Training;

/// The upstream outputs of one task (values, or their fingerprints), readable by producer.
#[derive(Debug, Clone, Copy)]
pub struct Upstream<'a, T> {
    task: TaskId,
    values: &'a [T],
}

impl<'a, T> Upstream<'a, T> {
    /// `values` of `task`'s upstream tasks, in its spec's order (as the engine gathers them).
    pub fn new(task: TaskId, values: &'a [T]) -> Self {
        assert_eq!(
            values.len(),
            task.spec().upstream.len(),
            "{} reads {} upstream outputs",
            task.name(),
            task.spec().upstream.len()
        );
        Self { task, values }
    }

    /// The output of `producer`. Panics when the graph has no edge `producer → task`.
    pub fn of(&self, producer: TaskId) -> &'a T {
        let slot = self
            .task
            .spec()
            .upstream
            .iter()
            .position(|&u| u == producer)
            .unwrap_or_else(|| {
                panic!(
                    "{} does not read {}: add the edge to graph::TASKS",
                    self.task.name(),
                    producer.name()
                )
            });
        &self.values[slot]
    }
}

impl<'a> Upstream<'a, NodeValue> {
    /// `generate`'s dataset.
    pub fn dataset(&self) -> &'a Arc<Blobs> {
        match self.of(TaskId::Generate) {
            NodeValue::Dataset(b) => b,
            other => unreachable!("generate gave {other:?}"),
        }
    }

    /// `sample`'s training set.
    pub fn training(&self) -> &'a Training {
        match self.of(TaskId::Sample) {
            NodeValue::Training(t) => t,
            other => unreachable!("sample gave {other:?}"),
        }
    }

    /// `seed`'s initial centres.
    pub fn seeding(&self) -> &'a Seeding {
        match self.of(TaskId::Seed) {
            NodeValue::Seeding(s) => s,
            other => unreachable!("seed gave {other:?}"),
        }
    }

    /// `fit`'s model.
    pub fn model(&self) -> &'a Arc<KMeansFit> {
        match self.of(TaskId::Fit) {
            NodeValue::Model(f) => f,
            other => unreachable!("fit gave {other:?}"),
        }
    }

    /// `predict`'s labels.
    pub fn labels(&self) -> &'a LabelSet {
        match self.of(TaskId::Predict) {
            NodeValue::Labels(l) => l,
            other => unreachable!("predict gave {other:?}"),
        }
    }

    /// `replay`'s labels of the shown step.
    pub fn step_view(&self) -> &'a StepView {
        match self.of(TaskId::Replay) {
            NodeValue::Step(s) => s,
            other => unreachable!("replay gave {other:?}"),
        }
    }

    /// `project`'s plane.
    pub fn axes(&self) -> &'a Arc<Axes> {
        match self.of(TaskId::Project) {
            NodeValue::Axes(a) => a,
            other => unreachable!("project gave {other:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_found_by_producer_whatever_the_spec_order() {
        // Render reads generate, predict and project: each name finds its own slot.
        let up = Upstream::new(TaskId::Render, &["dataset", "labels", "axes"]);
        for (i, &producer) in TaskId::Render.spec().upstream.iter().enumerate() {
            assert_eq!(*up.of(producer), ["dataset", "labels", "axes"][i]);
        }
    }

    #[test]
    #[should_panic(expected = "render does not read seed")]
    fn a_producer_without_an_edge_is_named() {
        Upstream::new(TaskId::Render, &[1, 2, 3]).of(TaskId::Seed);
    }

    #[test]
    #[should_panic(expected = "fit reads 2 upstream outputs")]
    fn the_count_must_match_the_spec() {
        Upstream::new(TaskId::Fit, &[1]);
    }
}
