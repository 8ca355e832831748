//! Jobs: one record per task-node evaluation (Taipy's jobs), with the per-chunk task
//! records behind the task-stream view.
//!
//! A running job is shared between the worker threads that append its chunk tasks and
//! readers on other threads. Readers on the browser's main thread must never block (a
//! contended lock there would have to `Atomics.wait`, which the main thread may not), so
//! they use [`Job::try_record`], which gives up instead of waiting.

use std::collections::VecDeque;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::pipeline::graph::TaskId;
use crate::pipeline::jobs::task_record::TaskRecord;
use crate::pipeline::memo::fingerprint::Fingerprint;

/// Chunk-task records kept per job: the most recent ones, since the task stream scrolls
/// with time (a 10M-row, 300-iteration fit runs tens of thousands of chunk tasks).
pub const MAX_TASKS_PER_JOB: usize = 4096;

/// How a job ended, or that it has not yet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum JobStatus {
    /// Computing.
    Running,
    /// Computed and stored. `backdated`: the output equals the one this node produced
    /// before, so nothing downstream was invalidated.
    Completed {
        /// Output equal to the node's previous one.
        backdated: bool,
    },
    /// Taken from the memo store.
    Reused,
    /// Stopped by a cancel flag or a newer request; nothing was stored.
    Cancelled,
    /// The task failed.
    Failed {
        /// Why.
        message: String,
    },
}

/// A job as the page and tests read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobRecord {
    /// Job id, increasing.
    pub id: u64,
    /// The evaluation that ran it.
    pub evaluation: u64,
    /// The task node.
    pub task: TaskId,
    /// Its memo key.
    pub key: Fingerprint,
    /// Status.
    pub status: JobStatus,
    /// Start, ms on the engine's clock.
    pub start_ms: f64,
    /// End, ms (`None` while running).
    pub end_ms: Option<f64>,
    /// Chunk tasks, oldest first (at most [`MAX_TASKS_PER_JOB`], the most recent).
    pub tasks: Vec<TaskRecord>,
    /// Chunk tasks dropped from the front to respect the bound.
    pub dropped_tasks: u64,
}

#[derive(Debug)]
struct JobState {
    status: JobStatus,
    end_ms: Option<f64>,
    tasks: VecDeque<TaskRecord>,
    dropped_tasks: u64,
}

/// A job, live or finished.
#[derive(Debug)]
pub struct Job {
    id: u64,
    evaluation: u64,
    task: TaskId,
    key: Fingerprint,
    start_ms: f64,
    state: Mutex<JobState>,
}

impl Job {
    /// A job that starts now with `status`.
    pub fn new(
        id: u64,
        evaluation: u64,
        task: TaskId,
        key: Fingerprint,
        start_ms: f64,
        status: JobStatus,
    ) -> Self {
        let end_ms = (status != JobStatus::Running).then_some(start_ms);
        Self {
            id,
            evaluation,
            task,
            key,
            start_ms,
            state: Mutex::new(JobState {
                status,
                end_ms,
                tasks: VecDeque::new(),
                dropped_tasks: 0,
            }),
        }
    }

    /// Job id.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// Appends a chunk task (from a worker thread).
    pub fn push_task(&self, record: TaskRecord) {
        let mut s = self.lock();
        if s.tasks.len() == MAX_TASKS_PER_JOB {
            s.tasks.pop_front();
            s.dropped_tasks += 1;
        }
        s.tasks.push_back(record);
    }

    /// Ends the job.
    pub fn finish(&self, status: JobStatus, end_ms: f64) {
        let mut s = self.lock();
        s.status = status;
        s.end_ms = Some(end_ms);
    }

    /// Whether the job is still running.
    pub fn is_running(&self) -> bool {
        self.lock().status == JobStatus::Running
    }

    /// Number of chunk tasks held.
    pub fn task_count(&self) -> usize {
        self.lock().tasks.len()
    }

    /// A snapshot, waiting for the worker threads if they hold the job.
    pub fn record(&self) -> JobRecord {
        self.snapshot(&self.lock())
    }

    /// A snapshot, or `None` if a worker thread holds the job right now.
    pub fn try_record(&self) -> Option<JobRecord> {
        match self.state.try_lock() {
            Ok(s) => Some(self.snapshot(&s)),
            Err(std::sync::TryLockError::Poisoned(p)) => Some(self.snapshot(&p.into_inner())),
            Err(std::sync::TryLockError::WouldBlock) => None,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, JobState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn snapshot(&self, s: &JobState) -> JobRecord {
        JobRecord {
            id: self.id,
            evaluation: self.evaluation,
            task: self.task,
            key: self.key,
            status: s.status.clone(),
            start_ms: self.start_ms,
            end_ms: s.end_ms,
            tasks: s.tasks.iter().copied().collect(),
            dropped_tasks: s.dropped_tasks,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitor::TaskKind;

    #[test]
    fn keeps_the_most_recent_tasks_and_counts_the_rest() {
        let job = Job::new(1, 1, TaskId::Fit, Fingerprint(0), 0.0, JobStatus::Running);
        for chunk in 0..MAX_TASKS_PER_JOB + 10 {
            job.push_task(TaskRecord {
                kind: TaskKind::Lloyd,
                chunk,
                thread: 0,
                start_ms: 0.0,
                end_ms: 1.0,
            });
        }
        let r = job.try_record().unwrap();
        assert_eq!(r.tasks.len(), MAX_TASKS_PER_JOB);
        assert_eq!(r.dropped_tasks, 10);
        assert_eq!(r.tasks[0].chunk, 10);
        assert_eq!(r.end_ms, None);
        job.finish(JobStatus::Cancelled, 5.0);
        assert_eq!(job.record().end_ms, Some(5.0));
        assert!(!job.is_running());
    }
}
