//! The scenario engine: data nodes, task nodes, memo store, jobs (ARCHITECTURE.md §4–§7), and the
//! computations the page renders from.
//!
//! Taipy's model — input data nodes ([`inputs`]), task nodes ([`graph`], [`tasks`]),
//! scenarios ([`scenario`]) and jobs ([`job`]) — with salsa's memo semantics: outputs keyed
//! by content ([`memo_key`]), equal outputs backdated, values evicted least-recently-used
//! by bytes ([`memo_store`]). Sweeps ([`sweep`]) share upstream nodes as dask-ml's merged
//! grid search does. Plain Rust + rayon; no web dependency. Time comes in through
//! [`clock::Clock`].
//!
//! What the page shows is computed here too, so the components only turn it into views:
//! which graph nodes are stale ([`staleness`], by the engine's own memo keys), the graph's
//! layout ([`graph_layout`]), the task stream's statistics and lanes ([`task_stream`]), the
//! canvas's zoom and pan ([`navigation`]), the small charts' geometry ([`chart_layout`]),
//! measured speed-ups ([`speedup`]) and numbers for people ([`number_format`]).
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
//! use blobscale::pipeline::clock::NoClock;
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

pub mod chart_layout;
pub mod clock;
pub mod compare;
pub mod dataset_profile;
pub mod engine;
pub mod error;
pub mod evaluation;
pub mod export;
pub mod fingerprint;
pub mod graph;
pub mod graph_layout;
pub mod imported;
pub mod inputs;
pub mod job;
pub mod job_log;
pub mod job_monitor;
pub mod lane;
pub mod memo_key;
pub mod memo_store;
pub mod navigation;
pub mod number_format;
pub mod plan;
pub mod progress;
pub mod projection;
pub mod raster;
pub mod run;
pub mod scenario;
pub mod scenario_codec;
pub mod session;
pub mod speedup;
pub mod staleness;
pub mod sweep;
pub mod task_record;
pub mod task_stream;
pub mod tasks;

pub use engine::Engine;
pub use error::PipelineError;
pub use evaluation::{Evaluation, EvaluationSummary, NodeState};
pub use graph::{TaskId, pipeline_graph};
pub use inputs::{InputId, ScenarioInputs};
pub use lane::Ticket;
pub use plan::Plan;
