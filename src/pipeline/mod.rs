//! The scenario engine: data nodes, task nodes, memo store, jobs (DESIGN §4), and the
//! computations the page renders from.
//!
//! Taipy's model — input data nodes ([`inputs`]), task nodes ([`graph`], [`tasks`]),
//! scenarios ([`scenario`]) and jobs ([`job`]) — with salsa's memo semantics: outputs keyed
//! by content ([`memo_key`]), equal outputs backdated, values evicted least-recently-used
//! by bytes ([`memo_store`]). Sweeps ([`sweep`]) share upstream nodes as dask-ml's merged
//! grid search does. Plain Rust + rayon; no web dependency. Time comes in through
//! [`clock::Clock`].

pub mod clock;
pub mod compare;
pub mod engine;
pub mod error;
pub mod evaluation;
pub mod fingerprint;
pub mod frame;
pub mod graph;
pub mod inputs;
pub mod job;
pub mod job_log;
pub mod job_monitor;
pub mod lane;
pub mod memo_key;
pub mod memo_store;
pub mod plan;
pub mod progress;
pub mod raster;
pub mod run;
pub mod scenario;
pub mod scenario_codec;
pub mod sweep;
pub mod task_record;
pub mod tasks;

pub use engine::Engine;
pub use error::PipelineError;
pub use evaluation::{Evaluation, EvaluationSummary, NodeState};
pub use graph::{TaskId, pipeline_graph};
pub use inputs::{InputId, ScenarioInputs};
pub use lane::Ticket;
pub use plan::Plan;
