//! Progress, per-chunk task records and cooperative cancellation for core computations.
//!
//! The core calls a [`Monitor`] between chunks and iterations; the pipeline implements it to
//! fill its job log (the Dask dashboard's task stream) and to cancel stale work. [`Unmonitored`]
//! makes every hook a no-op, so a plain `fit` pays one virtual call per chunk and nothing else.

use std::fmt;

/// What kind of work one chunk task does; the task stream colours bars by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    /// Generating rows of a synthetic dataset.
    Generate,
    /// A pass of seeding (k-means++ step, k-means|| round, or candidate weighting).
    Seed,
    /// A Lloyd iteration over one chunk (assignment fused with partial sums).
    Lloyd,
    /// Predicting labels for one chunk.
    Predict,
    /// Computing metrics.
    Metrics,
    /// Parsing a chunk of an imported file.
    Parse,
    /// Projecting or rasterising points for display.
    Render,
}

impl TaskKind {
    /// Every kind, in display order.
    pub const ALL: [TaskKind; 7] = [
        TaskKind::Generate,
        TaskKind::Seed,
        TaskKind::Lloyd,
        TaskKind::Predict,
        TaskKind::Metrics,
        TaskKind::Parse,
        TaskKind::Render,
    ];

    /// A short lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            TaskKind::Generate => "generate",
            TaskKind::Seed => "seed",
            TaskKind::Lloyd => "lloyd",
            TaskKind::Predict => "predict",
            TaskKind::Metrics => "metrics",
            TaskKind::Parse => "parse",
            TaskKind::Render => "render",
        }
    }
}

/// The computation was cancelled through its [`Monitor`]; nothing it produced is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cancelled;

impl fmt::Display for Cancelled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("cancelled")
    }
}

impl std::error::Error for Cancelled {}

/// Hooks the core calls while it works. Every method has a do-nothing default.
///
/// Implementations must be cheap and thread-safe: `task_started`/`task_finished` run on the
/// worker thread that executes the chunk (read `rayon::current_thread_index()` there).
pub trait Monitor: Sync {
    /// Whether the work should stop at the next chunk or iteration boundary.
    fn is_cancelled(&self) -> bool {
        false
    }
    /// A chunk task is about to run; the returned token is handed back to `task_finished`.
    fn task_started(&self, _kind: TaskKind, _chunk: usize) -> u64 {
        0
    }
    /// A chunk task finished.
    fn task_finished(&self, _kind: TaskKind, _chunk: usize, _token: u64) {}
    /// Overall progress of the current stage, as `done` of `total` units.
    fn progress(&self, _done: u64, _total: u64) {}

    /// `Err(Cancelled)` when cancelled: the core's checkpoint between chunks and iterations.
    fn checkpoint(&self) -> Result<(), Cancelled> {
        if self.is_cancelled() {
            Err(Cancelled)
        } else {
            Ok(())
        }
    }
}

/// A [`Monitor`] that records nothing and never cancels.
#[derive(Debug, Clone, Copy, Default)]
pub struct Unmonitored;

impl Monitor for Unmonitored {}

/// Runs `f` as a recorded chunk task through a `dyn Monitor`.
pub fn run_chunk<R>(
    monitor: &dyn Monitor,
    kind: TaskKind,
    chunk: usize,
    f: impl FnOnce() -> R,
) -> R {
    let token = monitor.task_started(kind, chunk);
    let out = f();
    monitor.task_finished(kind, chunk, token);
    out
}
