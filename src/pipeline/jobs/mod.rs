//! Jobs, as Taipy records them: one [`job`] per task-node evaluation with its per-chunk
//! [`task_record`]s, kept in a bounded [`log`]; the [`monitor`] a running job hands the core;
//! the running evaluation's [`progress`], written by workers and polled by the page; and
//! the [`clock`] that stamps them, natively and in the browser (ARCHITECTURE.md §6).
//!
//! Reference: Taipy's jobs (<https://docs.taipy.io/en/latest/userman/scenario_features/>),
//! the Dask dashboard's task stream for the per-chunk records.

pub mod clock;
pub mod job;
pub mod log;
pub mod monitor;
pub mod progress;
pub mod task_record;
