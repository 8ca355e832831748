//! Progress of the running evaluation, written by worker threads and read by the page's
//! main thread on a timer (`app/runner.rs`: checked every 25 ms, first read once a run has
//! lasted 100 ms, then at most every 100 ms). Only atomics: the reader never blocks the
//! writer and never waits itself. Fields are read one by one, so a snapshot taken while a
//! job switches nodes may mix the two; the next read corrects it.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering::Relaxed};

use serde::{Deserialize, Serialize};

use crate::pipeline::graph::TaskId;

const NO_TASK: u32 = u32::MAX;

/// Live progress counters.
#[derive(Debug)]
pub struct Progress {
    evaluation: AtomicU64,
    task: AtomicU32,
    done: AtomicU64,
    total: AtomicU64,
    step: AtomicU32,
    steps: AtomicU32,
    running: AtomicBool,
    listener: OnceLock<Listener>,
}

/// A function told of every progress change: how progress leaves a thread that cannot be
/// polled (the single-threaded build's compute worker posts it to the page).
pub type ProgressListener = Box<dyn Fn(ProgressSnapshot) + Send + Sync>;

struct Listener(ProgressListener);

impl std::fmt::Debug for Listener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Listener")
    }
}

/// What [`Progress`] held at one instant.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ProgressSnapshot {
    /// The evaluation last reporting.
    pub evaluation: u64,
    /// The task node it is computing, if any.
    pub task: Option<TaskId>,
    /// Units of the current stage done (chunks, iterations: whatever the core reports).
    pub done: u64,
    /// Units of the current stage.
    pub total: u64,
    /// Scenario being evaluated within a sweep (0-based; 0 outside sweeps).
    pub step: u32,
    /// Scenarios in the sweep (1 outside sweeps).
    pub steps: u32,
    /// Whether an evaluation is running.
    pub running: bool,
}

impl Default for Progress {
    fn default() -> Self {
        Self {
            evaluation: AtomicU64::new(0),
            task: AtomicU32::new(NO_TASK),
            done: AtomicU64::new(0),
            total: AtomicU64::new(0),
            step: AtomicU32::new(0),
            steps: AtomicU32::new(1),
            running: AtomicBool::new(false),
            listener: OnceLock::new(),
        }
    }
}

impl Progress {
    /// An evaluation starts (step `step` of `steps`).
    pub fn begin(&self, evaluation: u64, step: u32, steps: u32) {
        self.evaluation.store(evaluation, Relaxed);
        self.step.store(step, Relaxed);
        self.steps.store(steps, Relaxed);
        self.task.store(NO_TASK, Relaxed);
        self.running.store(true, Relaxed);
        self.notify();
    }

    /// A task node starts computing.
    pub fn task(&self, evaluation: u64, task: TaskId) {
        self.evaluation.store(evaluation, Relaxed);
        self.done.store(0, Relaxed);
        self.total.store(0, Relaxed);
        self.task.store(task.index() as u32, Relaxed);
        self.notify();
    }

    /// The core reports `done` of `total`.
    pub fn report(&self, done: u64, total: u64) {
        self.total.store(total, Relaxed);
        self.done.store(done, Relaxed);
        self.notify();
    }

    /// The evaluation ended.
    pub fn end(&self, evaluation: u64) {
        if self.evaluation.load(Relaxed) == evaluation {
            self.task.store(NO_TASK, Relaxed);
            self.running.store(false, Relaxed);
            self.notify();
        }
    }

    /// Sets the listener told of every change; only the first call takes effect.
    pub fn listen(&self, listener: ProgressListener) {
        let _ = self.listener.set(Listener(listener));
    }

    fn notify(&self) {
        if let Some(Listener(f)) = self.listener.get() {
            f(self.snapshot());
        }
    }

    /// The counters now.
    pub fn snapshot(&self) -> ProgressSnapshot {
        let task = self.task.load(Relaxed);
        ProgressSnapshot {
            evaluation: self.evaluation.load(Relaxed),
            task: TaskId::ALL.get(task as usize).copied(),
            done: self.done.load(Relaxed),
            total: self.total.load(Relaxed),
            step: self.step.load(Relaxed),
            steps: self.steps.load(Relaxed),
            running: self.running.load(Relaxed),
        }
    }
}

impl ProgressSnapshot {
    /// Percent of the current stage done, rounded down; `None` while its size is unknown.
    pub fn percent(&self) -> Option<u64> {
        percent(self.done, self.total)
    }
}

/// `done` of `total` in whole percent, rounded down; `None` when `total` is 0 (unknown).
pub fn percent(done: u64, total: u64) -> Option<u64> {
    // In 128 bits: byte counts of a large file times 100 overflow 64.
    (total > 0).then(|| (u128::from(done) * 100 / u128::from(total)) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_rounds_down_and_knows_when_the_total_is_unknown() {
        assert_eq!(percent(0, 10), Some(0));
        assert_eq!(percent(999, 1000), Some(99));
        assert_eq!(percent(1000, 1000), Some(100));
        assert_eq!(percent(5, 0), None);
        assert_eq!(percent(u64::MAX / 2, u64::MAX), Some(49));
        assert_eq!(percent(u64::MAX, u64::MAX), Some(100));
        let p = Progress::default();
        p.report(3, 4);
        assert_eq!(p.snapshot().percent(), Some(75));
    }
}
