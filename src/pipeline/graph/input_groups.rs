//! The input nodes grouped as the graph draws them (Taipy's picture of a scenario: the
//! parameters of each step beside the task that reads them): the dataset's, the seeding's,
//! the fit's, the scores' and the view's parameters.
//!
//! Every input belongs to exactly one group. A group is joined to every task that reads
//! any of its inputs, so the picture's edges are the engine's reads in [`TASKS`], only
//! bundled.

use serde::Serialize;

use crate::pipeline::graph::inputs::InputId;
use crate::pipeline::graph::{TASKS, TaskId};

/// A group of input nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InputGroup {
    /// The blobs' parameters, or the imported file standing in for them.
    Dataset,
    /// How many centres, how they are seeded, and the k-means seed.
    Seeding,
    /// The Lloyd iterations: their limit, tolerance and variant, and the fit-on-a-sample
    /// size.
    Fit,
    /// What the quality scores are computed on.
    Scores,
    /// What the canvas shows: the plane, the replay step, the size and the zoom.
    View,
}

use InputId as I;

impl InputGroup {
    /// Number of groups.
    pub const COUNT: usize = 5;

    /// Every group, in the order the graph draws them.
    pub const ALL: [InputGroup; Self::COUNT] = [
        InputGroup::Dataset,
        InputGroup::Seeding,
        InputGroup::Fit,
        InputGroup::Scores,
        InputGroup::View,
    ];

    /// Position in [`InputGroup::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The node id in the graph.
    pub fn name(self) -> &'static str {
        match self {
            InputGroup::Dataset => "dataset",
            InputGroup::Seeding => "seeding",
            InputGroup::Fit => "fit",
            InputGroup::Scores => "scores",
            InputGroup::View => "view",
        }
    }

    /// The heading the graph shows over the group.
    pub fn title(self) -> &'static str {
        match self {
            InputGroup::Dataset => "dataset parameters",
            InputGroup::Seeding => "seeding",
            InputGroup::Fit => "fit",
            InputGroup::Scores => "scores",
            InputGroup::View => "view",
        }
    }

    /// Its input nodes, in the order they are drawn.
    pub fn inputs(self) -> &'static [InputId] {
        match self {
            InputGroup::Dataset => &[
                I::Source,
                I::NSamples,
                I::NFeatures,
                I::Centers,
                I::ClusterStd,
                I::CenterBox,
                I::Shuffle,
                I::DataSeed,
                I::ChunkRows,
            ],
            InputGroup::Seeding => &[I::K, I::Init, I::KmeansSeed],
            InputGroup::Fit => &[I::MaxIter, I::Tol, I::Algorithm, I::FitSample],
            InputGroup::Scores => &[I::SilhouetteSample],
            InputGroup::View => &[
                I::Projection,
                I::FeatureX,
                I::FeatureY,
                I::ReplayStep,
                I::Width,
                I::Height,
                I::View,
            ],
        }
    }

    /// The group `input` is drawn in.
    pub fn of(input: InputId) -> InputGroup {
        Self::ALL
            .into_iter()
            .find(|g| g.inputs().contains(&input))
            .expect("every input is in a group")
    }

    /// The tasks that read any of its inputs, in graph order.
    pub fn readers(self) -> Vec<TaskId> {
        TASKS
            .iter()
            .filter(|t| t.inputs.iter().any(|i| self.inputs().contains(i)))
            .map(|t| t.id)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_input_is_in_exactly_one_group() {
        for i in InputId::ALL {
            let n = InputGroup::ALL
                .iter()
                .filter(|g| g.inputs().contains(&i))
                .count();
            assert_eq!(n, 1, "{i:?}");
            assert!(InputGroup::of(i).inputs().contains(&i));
        }
        for (n, g) in InputGroup::ALL.iter().enumerate() {
            assert_eq!(g.index(), n);
        }
    }

    #[test]
    fn a_group_joins_exactly_the_tasks_that_read_its_inputs() {
        for t in &TASKS {
            for i in t.inputs {
                assert!(
                    InputGroup::of(*i).readers().contains(&t.id),
                    "{i:?} → {:?}",
                    t.id
                );
            }
        }
        for g in InputGroup::ALL {
            for t in g.readers() {
                assert!(t.spec().inputs.iter().any(|i| InputGroup::of(*i) == g));
            }
        }
        assert_eq!(
            InputGroup::Seeding.readers(),
            [TaskId::Sample, TaskId::Seed, TaskId::Fit]
        );
        assert_eq!(
            InputGroup::View.readers(),
            [TaskId::Project, TaskId::Replay, TaskId::Render]
        );
    }
}
