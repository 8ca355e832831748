//! Per-chunk task records: which worker thread ran which chunk of which task, and when.
//!
//! This is the data behind the task-stream view (the Dask dashboard's "task stream"): one
//! lane per worker thread, one bar per chunk task.

use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::clock::Clock;
use crate::monitor::{Monitor, TaskKind};

/// One chunk task as it ran.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TaskRecord {
    /// What the task did.
    pub kind: TaskKind,
    /// Chunk index within its pass.
    pub chunk: usize,
    /// rayon worker index (0 when the work ran outside a pool).
    pub thread: usize,
    /// Start, milliseconds on the recorder's clock.
    pub start_ms: f64,
    /// End, milliseconds on the recorder's clock.
    pub end_ms: f64,
}

/// A [`Monitor`] that records every chunk task with its thread and times.
pub struct TaskRecorder<'c> {
    clock: &'c dyn Clock,
    records: Mutex<Vec<TaskRecord>>,
    cancel: Option<&'c (dyn Fn() -> bool + Sync)>,
}

impl<'c> TaskRecorder<'c> {
    /// A recorder timestamping with `clock`.
    pub fn new(clock: &'c dyn Clock) -> Self {
        Self {
            clock,
            records: Mutex::new(Vec::new()),
            cancel: None,
        }
    }

    /// The same recorder, cancelling when `cancel` returns true.
    pub fn with_cancel(mut self, cancel: &'c (dyn Fn() -> bool + Sync)) -> Self {
        self.cancel = Some(cancel);
        self
    }

    /// Every record so far, sorted by start time.
    pub fn records(&self) -> Vec<TaskRecord> {
        let mut r = self
            .records
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        r.sort_by(|a, b| a.start_ms.total_cmp(&b.start_ms));
        r
    }
}

impl Monitor for TaskRecorder<'_> {
    fn is_cancelled(&self) -> bool {
        self.cancel.is_some_and(|f| f())
    }

    fn task_started(&self, _kind: TaskKind, _chunk: usize) -> u64 {
        self.clock.now_ms().to_bits()
    }

    fn task_finished(&self, kind: TaskKind, chunk: usize, token: u64) {
        let record = TaskRecord {
            kind,
            chunk,
            thread: rayon::current_thread_index().unwrap_or(0),
            start_ms: f64::from_bits(token),
            end_ms: self.clock.now_ms(),
        };
        self.records
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(record);
    }
}

/// Chunk tasks per thread, indexed by thread (length = highest thread index + 1).
pub fn tasks_per_thread(records: &[TaskRecord]) -> Vec<u32> {
    let lanes = records.iter().map(|r| r.thread + 1).max().unwrap_or(0);
    let mut counts = vec![0u32; lanes];
    for r in records {
        counts[r.thread] += 1;
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::BlobsParams;
    use crate::pipeline::clock::MonotonicClock;

    #[test]
    fn records_every_chunk_with_its_thread() {
        let clock = MonotonicClock::default();
        let recorder = TaskRecorder::new(&clock);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let params = BlobsParams::new(10_000).chunk_rows(500).check().unwrap();
        pool.install(|| params.generate_monitored(&recorder))
            .unwrap();
        let records = recorder.records();
        assert_eq!(records.len(), 20);
        assert!(
            records
                .iter()
                .all(|r| r.kind == TaskKind::Generate && r.end_ms >= r.start_ms)
        );
        let per_thread = tasks_per_thread(&records);
        assert_eq!(per_thread.iter().sum::<u32>(), 20);
        assert!(per_thread.len() <= 2);
    }

    #[test]
    fn cancellation_stops_generation() {
        let clock = MonotonicClock::default();
        let cancel = || true;
        let recorder = TaskRecorder::new(&clock).with_cancel(&cancel);
        let params = BlobsParams::new(10_000).chunk_rows(500).check().unwrap();
        assert!(params.generate_monitored(&recorder).is_err());
        assert!(recorder.records().is_empty());
    }
}
