//! The job log: a ring buffer of the most recent jobs, so a long session's memory stays
//! bounded however many evaluations it runs.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, TryLockError};

use crate::pipeline::jobs::job::{Job, JobRecord};

/// Jobs kept by default.
pub const DEFAULT_JOB_CAPACITY: usize = 256;
/// Chunk-task records kept over all finished jobs (≈ 40 bytes each): older jobs go first.
pub const MAX_LOGGED_TASKS: usize = 65_536;

/// The most recent jobs, oldest first.
#[derive(Debug)]
pub struct JobLog {
    capacity: usize,
    jobs: Mutex<VecDeque<Arc<Job>>>,
}

impl JobLog {
    /// A log keeping the last `capacity` jobs (at least one).
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            jobs: Mutex::new(VecDeque::new()),
        }
    }

    /// Appends a job, dropping the oldest beyond the capacity or the task budget.
    pub fn push(&self, job: Arc<Job>) {
        let mut jobs = self.jobs.lock().unwrap_or_else(|e| e.into_inner());
        jobs.push_back(job);
        while jobs.len() > self.capacity {
            jobs.pop_front();
        }
        let mut tasks: usize = jobs.iter().map(|j| j.task_count()).sum();
        while tasks > MAX_LOGGED_TASKS && jobs.len() > 1 && !jobs[0].is_running() {
            tasks -= jobs[0].task_count();
            jobs.pop_front();
        }
    }

    /// Every job kept, oldest first.
    pub fn records(&self) -> Vec<JobRecord> {
        self.records_since(0)
    }

    /// Jobs with id ≥ `from_id`, oldest first: only those are copied with their tasks
    /// (the log keeps hundreds of jobs; an evaluation hands back its own few).
    pub fn records_since(&self, from_id: u64) -> Vec<JobRecord> {
        let jobs: Vec<Arc<Job>> = self
            .jobs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .filter(|j| j.id() >= from_id)
            .cloned()
            .collect();
        jobs.iter().map(|j| j.record()).collect()
    }

    /// Jobs with id ≥ `from_id`, oldest first, without ever blocking: `None` when a worker
    /// holds the log or one of those jobs this instant (ask again next frame).
    pub fn try_records(&self, from_id: u64) -> Option<Vec<JobRecord>> {
        let jobs: Vec<Arc<Job>> = match self.jobs.try_lock() {
            Ok(j) => j.iter().filter(|j| j.id() >= from_id).cloned().collect(),
            Err(TryLockError::Poisoned(p)) => p
                .into_inner()
                .iter()
                .filter(|j| j.id() >= from_id)
                .cloned()
                .collect(),
            Err(TryLockError::WouldBlock) => return None,
        };
        jobs.iter().map(|j| j.try_record()).collect()
    }

    /// Number of jobs kept.
    pub fn len(&self) -> usize {
        self.jobs.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Whether no job is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::graph::TaskId;
    use crate::pipeline::jobs::job::JobStatus;
    use crate::pipeline::memo::fingerprint::Fingerprint;

    #[test]
    fn keeps_only_the_last_jobs() {
        let log = JobLog::new(3);
        for id in 1..=5 {
            log.push(Arc::new(Job::new(
                id,
                id,
                TaskId::Generate,
                Fingerprint(0),
                0.0,
                JobStatus::Reused,
            )));
        }
        let ids: Vec<u64> = log.records().iter().map(|r| r.id).collect();
        assert_eq!(ids, [3, 4, 5]);
        let from_4: Vec<u64> = log.try_records(4).unwrap().iter().map(|r| r.id).collect();
        assert_eq!(from_4, [4, 5]);
        let since_4: Vec<u64> = log.records_since(4).iter().map(|r| r.id).collect();
        assert_eq!(since_4, [4, 5]);
    }
}
