//! Per-chunk task records: which worker thread ran which chunk of which task, and when.
//!
//! This is the data behind the task-stream view (the Dask dashboard's "task stream"): one
//! lane per worker thread, one bar per chunk task.

use serde::{Deserialize, Serialize};

use crate::monitor::TaskKind;

/// One chunk task as it ran.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TaskRecord {
    /// What the task did.
    pub kind: TaskKind,
    /// Chunk index within its pass.
    pub chunk: usize,
    /// rayon worker index (0 when the work ran outside a pool).
    pub thread: usize,
    /// Start, milliseconds on the engine's clock.
    pub start_ms: f64,
    /// End, milliseconds on the engine's clock.
    pub end_ms: f64,
}
