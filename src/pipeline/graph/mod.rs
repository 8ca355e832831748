//! The pipeline declared once, as data: task nodes, the input nodes each reads, the task
//! nodes each depends on, and each task's version (Taipy's task configs; salsa's queries).
//!
//! The engine evaluates from this table and the page draws it, so the picture cannot drift
//! from what runs. Bump a task's `version` whenever its function changes meaning: the
//! version is part of every memo key, so old entries stop matching.
//!
//! The input data nodes live beside it: the parameters ([`inputs`]) and a user's file
//! standing in for the generated blobs ([`imported`]).

pub mod imported;
pub mod input_groups;
pub mod inputs;

use serde::{Deserialize, Serialize};

use crate::pipeline::graph::inputs::InputId;

/// A task node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskId {
    /// Generate the blobs dataset.
    Generate,
    /// Draw the seeded sample the model is fitted on (or pass the dataset through).
    Sample,
    /// Seed the initial centres (random, k-means++ or k-means||).
    Seed,
    /// Lloyd (or Hamerly) iterations from the seeded centres.
    Fit,
    /// Label every row against the fitted centres (or pass the fit's labels through).
    Predict,
    /// Inertia, cluster sizes, ARI: the scores one pass over the labels gives.
    Metrics,
    /// Silhouette, Calinski–Harabasz, Davies–Bouldin: the internal indices, which the page
    /// may show after the result.
    Quality,
    /// Per-feature histograms and the first rows of the dataset (its deck).
    Profile,
    /// The plane the canvas shows: two features, or a PCA fitted to the dataset.
    Project,
    /// Label every row for the replay step shown (or pass the final labels through).
    Replay,
    /// Rasterise the projected points coloured by cluster, in the zoom window.
    Render,
}

/// How a task node is wired and versioned.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TaskSpec {
    /// The node.
    pub id: TaskId,
    /// Function version, part of every memo key.
    pub version: u32,
    /// The data node it writes.
    pub output: &'static str,
    /// Input nodes it reads.
    pub inputs: &'static [InputId],
    /// Task nodes whose outputs it reads.
    pub upstream: &'static [TaskId],
}

use InputId as I;

/// Every task, in a topological order (each after everything it reads).
pub const TASKS: [TaskSpec; TaskId::COUNT] = [
    TaskSpec {
        id: TaskId::Generate,
        version: 1,
        output: "dataset",
        inputs: &[
            I::NSamples,
            I::NFeatures,
            I::Centers,
            I::ClusterStd,
            I::CenterBox,
            I::Shuffle,
            I::DataSeed,
            I::ChunkRows,
            I::Source,
        ],
        upstream: &[],
    },
    TaskSpec {
        id: TaskId::Sample,
        version: 1,
        output: "training set",
        inputs: &[I::FitSample, I::KmeansSeed],
        upstream: &[TaskId::Generate],
    },
    TaskSpec {
        id: TaskId::Seed,
        version: 1,
        output: "seeds",
        inputs: &[I::K, I::Init, I::Tol, I::KmeansSeed],
        upstream: &[TaskId::Sample],
    },
    TaskSpec {
        id: TaskId::Fit,
        version: 1,
        output: "model",
        inputs: &[I::K, I::MaxIter, I::Tol, I::Algorithm, I::KmeansSeed],
        upstream: &[TaskId::Sample, TaskId::Seed],
    },
    TaskSpec {
        id: TaskId::Predict,
        version: 1,
        output: "labels",
        inputs: &[],
        upstream: &[TaskId::Generate, TaskId::Sample, TaskId::Fit],
    },
    TaskSpec {
        id: TaskId::Metrics,
        version: 2,
        output: "scores",
        inputs: &[],
        upstream: &[TaskId::Generate, TaskId::Fit, TaskId::Predict],
    },
    TaskSpec {
        id: TaskId::Quality,
        version: 1,
        output: "indices",
        inputs: &[I::SilhouetteSample, I::DataSeed],
        upstream: &[TaskId::Generate, TaskId::Predict],
    },
    TaskSpec {
        id: TaskId::Profile,
        version: 1,
        output: "profile",
        inputs: &[],
        upstream: &[TaskId::Generate],
    },
    TaskSpec {
        id: TaskId::Project,
        version: 1,
        output: "axes",
        inputs: &[I::Projection, I::FeatureX, I::FeatureY],
        upstream: &[TaskId::Generate],
    },
    TaskSpec {
        id: TaskId::Replay,
        version: 1,
        output: "step labels",
        inputs: &[I::ReplayStep],
        upstream: &[TaskId::Generate, TaskId::Fit, TaskId::Predict],
    },
    TaskSpec {
        id: TaskId::Render,
        version: 3,
        output: "picture",
        inputs: &[I::Width, I::Height, I::View],
        upstream: &[TaskId::Generate, TaskId::Replay, TaskId::Project],
    },
];

impl TaskId {
    /// Number of task nodes.
    pub const COUNT: usize = 11;

    /// Every task, in evaluation order.
    pub const ALL: [TaskId; Self::COUNT] = [
        TaskId::Generate,
        TaskId::Sample,
        TaskId::Seed,
        TaskId::Fit,
        TaskId::Predict,
        TaskId::Metrics,
        TaskId::Quality,
        TaskId::Profile,
        TaskId::Project,
        TaskId::Replay,
        TaskId::Render,
    ];

    /// Position in [`TaskId::ALL`] and [`TASKS`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The node id in the graph.
    pub fn name(self) -> &'static str {
        match self {
            TaskId::Generate => "generate",
            TaskId::Sample => "sample",
            TaskId::Seed => "seed",
            TaskId::Fit => "fit",
            TaskId::Predict => "predict",
            TaskId::Metrics => "metrics",
            TaskId::Quality => "quality",
            TaskId::Profile => "profile",
            TaskId::Project => "project",
            TaskId::Replay => "replay",
            TaskId::Render => "render",
        }
    }

    /// How it is wired.
    pub fn spec(self) -> &'static TaskSpec {
        &TASKS[self.index()]
    }
}

/// Whether a graph node holds a parameter or runs a function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    /// An input data node (a parameter).
    Input,
    /// A task node.
    Task,
}

/// One node of the graph as the page draws it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraphNode {
    /// Stable id (`"k"`, `"fit"`).
    pub id: String,
    /// Label for people (`"number of clusters"`, `"fit → model"`).
    pub name: String,
    /// Input or task.
    pub kind: NodeKind,
    /// Task version (`None` for inputs).
    pub version: Option<u32>,
}

/// A directed edge `from → to`, by node id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphEdge {
    /// The node read.
    pub from: String,
    /// The node reading it.
    pub to: String,
}

/// The whole pipeline as data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PipelineGraph {
    /// Inputs first, then tasks in evaluation order.
    pub nodes: Vec<GraphNode>,
    /// Every edge.
    pub edges: Vec<GraphEdge>,
}

/// The graph the engine evaluates, for the page to draw.
pub fn pipeline_graph() -> PipelineGraph {
    let mut nodes: Vec<GraphNode> = InputId::ALL
        .iter()
        .map(|i| GraphNode {
            id: i.name().into(),
            name: i.label().into(),
            kind: NodeKind::Input,
            version: None,
        })
        .collect();
    let mut edges = Vec::new();
    for t in &TASKS {
        nodes.push(GraphNode {
            id: t.id.name().into(),
            name: format!("{} → {}", t.id.name(), t.output),
            kind: NodeKind::Task,
            version: Some(t.version),
        });
        let from = t
            .inputs
            .iter()
            .map(|i| i.name())
            .chain(t.upstream.iter().map(|u| u.name()));
        edges.extend(from.map(|f| GraphEdge {
            from: f.into(),
            to: t.id.name().into(),
        }));
    }
    PipelineGraph { nodes, edges }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tasks_are_listed_in_topological_order() {
        for (i, t) in TASKS.iter().enumerate() {
            assert_eq!(t.id.index(), i);
            assert!(t.upstream.iter().all(|u| u.index() < i), "{:?}", t.id);
        }
    }

    #[test]
    fn every_input_feeds_some_task_and_edges_name_nodes() {
        let g = pipeline_graph();
        for i in InputId::ALL {
            assert!(
                g.edges.iter().any(|e| e.from == i.name()),
                "{i:?} is unused"
            );
        }
        for e in &g.edges {
            assert!(g.nodes.iter().any(|n| n.id == e.from));
            assert!(
                g.nodes
                    .iter()
                    .any(|n| n.id == e.to && n.kind == NodeKind::Task)
            );
        }
        assert_eq!(g.nodes.len(), InputId::COUNT + TaskId::COUNT);
    }
}
