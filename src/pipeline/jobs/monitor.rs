//! The [`Monitor`] a running job hands the core: it appends chunk tasks to the job,
//! publishes progress, and cancels when the caller's flag is set or a newer request has
//! made the job stale.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::monitor::{Monitor, TaskKind};
use crate::pipeline::jobs::clock::Clock;
use crate::pipeline::jobs::job::Job;
use crate::pipeline::jobs::progress::Progress;
use crate::pipeline::jobs::task_record::TaskRecord;

/// Monitor of one running job.
pub struct JobMonitor<'a> {
    /// Timestamps.
    pub clock: &'a dyn Clock,
    /// The job chunk tasks are appended to.
    pub job: &'a Job,
    /// Where progress goes.
    pub progress: &'a Progress,
    /// The caller's cancel flag.
    pub cancel: &'a AtomicBool,
    /// Whether a newer request made this job stale.
    pub stale: &'a (dyn Fn() -> bool + Sync),
}

impl Monitor for JobMonitor<'_> {
    fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed) || (self.stale)()
    }

    fn task_started(&self, _kind: TaskKind, _chunk: usize) -> u64 {
        self.clock.now_ms().to_bits()
    }

    fn task_finished(&self, kind: TaskKind, chunk: usize, token: u64) {
        self.job.push_task(TaskRecord {
            kind,
            chunk,
            thread: rayon::current_thread_index().unwrap_or(0),
            start_ms: f64::from_bits(token),
            end_ms: self.clock.now_ms(),
        });
    }

    fn progress(&self, done: u64, total: u64) {
        self.progress.report(done, total);
    }
}
