//! The scenario engine: data nodes, task nodes, memo store, jobs (ARCHITECTURE.md §4–§7), and the
//! computations the page renders from.
//!
//! Taipy's model — input data nodes and task nodes declared once ([`graph`]), the task
//! functions ([`tasks`]), scenarios ([`scenarios`]) and jobs ([`jobs`]) — with salsa's memo
//! semantics ([`memo`]): outputs keyed by content, equal outputs backdated, values evicted
//! least-recently-used by bytes. The [`engine`] validates a request into a plan and walks the
//! graph from the nodes it asks for. Sweeps share upstream nodes as dask-ml's merged grid
//! search does. Plain Rust + rayon; no web dependency. Time comes in through
//! [`jobs::clock::Clock`].
//!
//! The canvas's picture is made in [`render`]; what else the page shows (staleness, graph
//! layout, task-stream statistics, zoom and pan, chart geometry, speed-ups, number
//! formats) is computed in [`display`], so the components only turn it into views. Files
//! leave through [`export`].
//!
//! References: Taipy's data nodes, tasks, scenarios and jobs
//! (<https://docs.taipy.io/en/latest/userman/scenario_features/>); the salsa book's
//! revisions, backdating and LRU (<https://salsa-rs.github.io/salsa/>); dask-ml's merged
//! grid search (<https://ml.dask.org/hyper-parameter-search.html>).
//!
//! ```
//! use std::sync::Arc;
//! use std::sync::atomic::AtomicBool;
//! use blobscale::pipeline::{Engine, Plan, ScenarioInputs, NodeState, TaskId};
//! use blobscale::pipeline::jobs::clock::NoClock;
//!
//! let engine = Engine::new(Arc::new(NoClock), 256 << 20);
//! let inputs = ScenarioInputs { n_samples: 5_000, width: 32, height: 32, ..Default::default() };
//! // On the UI thread: validate and submit (atomics only; never blocks).
//! let ticket = engine.submit(Plan::new(&inputs)?);
//! // On a rayon worker: evaluate; a newer `submit` stops the jobs it makes stale.
//! let ev = engine.evaluate(&ticket, &AtomicBool::new(false))?;
//! assert_eq!(ev.pixels.len(), 32 * 32 * 4);
//! // Changing only k reuses the dataset.
//! let ticket = engine.submit(Plan::new(&ScenarioInputs { k: 5, ..inputs })?);
//! let ev = engine.evaluate(&ticket, &AtomicBool::new(false))?;
//! assert_eq!(ev.summary.node(TaskId::Generate).state, NodeState::Reused);
//! # Ok::<(), blobscale::pipeline::PipelineError>(())
//! ```

pub mod display;
pub mod engine;
pub mod error;
pub mod export;
pub mod graph;
pub mod jobs;
pub mod memo;
pub mod render;
pub mod replay;
pub mod scenarios;
pub mod tasks;

pub use engine::evaluation::{Evaluation, EvaluationSummary, NodeState};
pub use engine::lane::Ticket;
pub use engine::plan::Plan;
pub use engine::{Delivery, Engine};
pub use error::PipelineError;
pub use graph::inputs::{InputId, ScenarioInputs};
pub use graph::{TaskId, pipeline_graph};
