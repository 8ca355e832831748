//! The engine: one memo store, one job log and one progress record shared by every
//! scenario, evaluated on whatever rayon pool calls it.
//!
//! `Engine` is `Send + Sync`: the page keeps it in an `Arc`, evaluates on a rayon worker,
//! and reads [`Engine::progress`], [`Engine::try_jobs`] and [`Engine::try_memory`] from the
//! main thread while it runs; none of those ever waits. Locks are held only to look up,
//! insert or append, never while a task computes.
//!
//! Split by operation, as salsa splits its engine: a request is validated into a [`plan`],
//! queued on the view [`lane`] where the newest wins, walked by one [`run`] from the nodes
//! it asks for, and handed back as an [`evaluation`] (ARCHITECTURE.md §2, §5).

pub mod evaluation;
pub mod lane;
pub mod plan;
pub mod run;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, TryLockError};

use crate::pipeline::engine::evaluation::{
    DatasetSummary, Evaluation, EvaluationSummary, FitSummary, ViewSummary,
};
use crate::pipeline::engine::lane::{Lane, Ticket};
use crate::pipeline::engine::plan::Plan;
use crate::pipeline::engine::run::Run;
use crate::pipeline::error::PipelineError;
use crate::pipeline::graph::TaskId;
use crate::pipeline::jobs::clock::Clock;
use crate::pipeline::jobs::job::{Job, JobRecord, JobStatus};
use crate::pipeline::jobs::log::{DEFAULT_JOB_CAPACITY, JobLog};
use crate::pipeline::jobs::progress::{Progress, ProgressSnapshot};
use crate::pipeline::memo::fingerprint::Fingerprint;
use crate::pipeline::memo::store::{Lookup, MemoStore, MemoryUse};
use crate::pipeline::tasks::NodeValue;

/// A whole scenario: the model, its scores, the picture, the dataset's profile and, last,
/// the internal indices, which a first delivery leaves off (ARCHITECTURE.md §2).
const VIEW_TARGETS: [TaskId; 5] = [
    TaskId::Fit,
    TaskId::Render,
    TaskId::Metrics,
    TaskId::Profile,
    TaskId::Quality,
];
/// The same with the replay step's labels, when one is shown (asking for them otherwise
/// would load the final labels' upstream values, which a reused picture does not need).
const REPLAY_TARGETS: [TaskId; 6] = [
    TaskId::Fit,
    TaskId::Replay,
    TaskId::Render,
    TaskId::Metrics,
    TaskId::Profile,
    TaskId::Quality,
];

/// What `plan` asks for, whole or without the internal indices.
fn view_targets(plan: &Plan, quality: bool) -> &'static [TaskId] {
    let all: &'static [TaskId] = match plan.inputs().replay_step {
        Some(_) => &REPLAY_TARGETS,
        None => &VIEW_TARGETS,
    };
    if quality { all } else { &all[..all.len() - 1] }
}
/// What a sweep asks for, and what follows a first delivery: no picture.
pub(crate) const SCORE_TARGETS: [TaskId; 3] = [TaskId::Fit, TaskId::Metrics, TaskId::Quality];

/// Which part of a submitted request an evaluation hands back (ARCHITECTURE.md §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// Everything: model, scores, internal indices and picture ([`Engine::evaluate`]).
    Whole,
    /// The picture and the cheap scores, the internal indices only if held: the page's
    /// first delivery, shown while the indices are still to come
    /// ([`EvaluationSummary::quality_pending`]). On a million points of two features the
    /// indices cost as much as the fit.
    First,
    /// The internal indices that a first delivery left pending: the model and scores come
    /// from the store, so only `quality` runs. No picture.
    Quality,
}

impl Delivery {
    /// The nodes this delivery of `plan` evaluates.
    fn targets(self, plan: &Plan) -> &'static [TaskId] {
        match self {
            Delivery::Whole => view_targets(plan, true),
            Delivery::First => view_targets(plan, false),
            Delivery::Quality => &SCORE_TARGETS,
        }
    }
}

/// The scenario engine.
pub struct Engine {
    clock: Arc<dyn Clock>,
    store: Mutex<MemoStore>,
    log: JobLog,
    progress: Progress,
    lane: Lane,
    last_output: Mutex<[Option<Fingerprint>; TaskId::COUNT]>,
    next_job: AtomicU64,
    next_evaluation: AtomicU64,
    imported: crate::pipeline::graph::imported::ImportedRegistry,
}

impl Engine {
    /// An engine timestamping with `clock` and keeping at most `budget_bytes` of outputs.
    pub fn new(clock: Arc<dyn Clock>, budget_bytes: usize) -> Self {
        Self {
            clock,
            store: Mutex::new(MemoStore::new(budget_bytes)),
            log: JobLog::new(DEFAULT_JOB_CAPACITY),
            progress: Progress::default(),
            lane: Lane::default(),
            last_output: Mutex::new([None; TaskId::COUNT]),
            next_job: AtomicU64::new(1),
            next_evaluation: AtomicU64::new(1),
            imported: Default::default(),
        }
    }

    /// The same engine keeping the last `jobs` jobs in its log.
    pub fn with_job_capacity(mut self, jobs: usize) -> Self {
        self.log = JobLog::new(jobs);
        self
    }

    /// Makes `plan` the newest request of the view lane: jobs of older requests that
    /// compute something it does not need stop at their next chunk or iteration. Only
    /// atomics: safe to call from the page's main thread.
    pub fn submit(&self, plan: Plan) -> Ticket {
        self.lane.submit(plan)
    }

    /// Evaluates a submitted request whole ([`Delivery::Whole`]).
    pub fn evaluate(
        &self,
        ticket: &Ticket,
        cancel: &AtomicBool,
    ) -> Result<Evaluation, PipelineError> {
        self.deliver(ticket, cancel, Delivery::Whole)
    }

    /// Evaluates the [`Delivery`] asked for of a submitted request. Returns
    /// [`PipelineError::Superseded`] rather than a result a newer submission has made
    /// stale, and [`PipelineError::Cancelled`] once `cancel` is set.
    pub fn deliver(
        &self,
        ticket: &Ticket,
        cancel: &AtomicBool,
        delivery: Delivery,
    ) -> Result<Evaluation, PipelineError> {
        let targets = delivery.targets(ticket.plan());
        self.evaluate_targets(ticket.plan(), Some(ticket), cancel, targets, 0, 1)
    }

    /// Evaluates `plan` outside the view lane (comparisons, exports): newer submissions do
    /// not cancel it; only `cancel` does.
    pub fn evaluate_detached(
        &self,
        plan: &Plan,
        cancel: &AtomicBool,
    ) -> Result<Evaluation, PipelineError> {
        self.evaluate_targets(plan, None, cancel, view_targets(plan, true), 0, 1)
    }

    /// Progress of the evaluation that reported last. Atomics only.
    pub fn progress(&self) -> ProgressSnapshot {
        self.progress.snapshot()
    }

    /// Tells `listener` of every progress change (the first listener set stays). For an
    /// engine whose thread cannot be polled; it is called on the computing thread, so it
    /// must be cheap (throttle inside).
    pub fn on_progress(&self, listener: crate::pipeline::jobs::progress::ProgressListener) {
        self.progress.listen(listener);
    }

    /// Every job in the log, oldest first (waits for writers; not for the main thread).
    pub fn jobs(&self) -> Vec<JobRecord> {
        self.log.records()
    }

    /// Jobs with id ≥ `from_id`, oldest first (waits for writers; not for the main thread).
    pub fn jobs_since(&self, from_id: u64) -> Vec<JobRecord> {
        self.log.records_since(from_id)
    }

    /// Jobs with id ≥ `from_id`, or `None` if a worker holds the log this instant. Never
    /// blocks: for the page's main thread.
    pub fn try_jobs(&self, from_id: u64) -> Option<Vec<JobRecord>> {
        self.log.try_records(from_id)
    }

    /// Memory use of the store (waits for writers; not for the main thread).
    pub fn memory(&self) -> MemoryUse {
        self.lock_store().memory()
    }

    /// Memory use of the store, or `None` if a worker holds it this instant.
    pub fn try_memory(&self) -> Option<MemoryUse> {
        match self.store.try_lock() {
            Ok(s) => Some(s.memory()),
            Err(TryLockError::Poisoned(p)) => Some(p.into_inner().memory()),
            Err(TryLockError::WouldBlock) => None,
        }
    }

    /// Changes the store's budget, evicting at once if needed.
    pub fn set_budget(&self, budget_bytes: usize) {
        self.lock_store().set_budget(budget_bytes);
    }

    /// Empties the store (the job log is kept).
    pub fn clear(&self) {
        self.lock_store().clear();
    }

    /// Keys of the values held, with their tasks, least recently used first.
    pub fn held(&self) -> Vec<(Fingerprint, TaskId)> {
        self.lock_store().held()
    }

    pub(crate) fn evaluate_targets(
        &self,
        plan: &Plan,
        ticket: Option<&Ticket>,
        cancel: &AtomicBool,
        targets: &[TaskId],
        step: u32,
        steps: u32,
    ) -> Result<Evaluation, PipelineError> {
        let evaluation = self.next_evaluation.fetch_add(1, Ordering::Relaxed);
        let start_ms = self.clock.now_ms();
        self.progress.begin(evaluation, step, steps);
        let mut run = Run::new(self, plan, ticket, cancel, evaluation);
        let values: Result<Vec<NodeValue>, PipelineError> = run
            .compute_side_by_side(targets)
            .and_then(|()| targets.iter().map(|&t| run.value(t)).collect())
            .and_then(|v| {
                // The result may only leave if nothing newer has changed what it shows.
                targets.iter().try_for_each(|&t| run.check(t))?;
                Ok(v)
            });
        self.progress.end(evaluation);
        let values = values?;
        // Indices already held cost nothing to show: a first delivery takes them along.
        let held_quality = if targets.contains(&TaskId::Quality) {
            None
        } else {
            run.held_value(TaskId::Quality)
        };
        let pick = |task: TaskId| {
            targets
                .iter()
                .position(|&t| t == task)
                .map(|i| &values[i])
                .or(match task {
                    TaskId::Quality => held_quality.as_ref(),
                    _ => None,
                })
        };
        let Some(NodeValue::Model(fit)) = pick(TaskId::Fit) else {
            unreachable!("every evaluation asks for the model")
        };
        let Some(NodeValue::Metrics(metrics)) = pick(TaskId::Metrics) else {
            unreachable!("every evaluation asks for the metrics")
        };
        let step = match pick(TaskId::Replay) {
            Some(NodeValue::Step(s)) => s.step(),
            _ => None,
        };
        let (view, pixels) = match pick(TaskId::Render) {
            Some(NodeValue::Raster(r)) => {
                (Some(ViewSummary::of(plan, fit, r, step)), r.pixels.clone())
            }
            _ => (None, Vec::new()),
        };
        Ok(Evaluation {
            summary: EvaluationSummary {
                evaluation,
                ticket: ticket.map(Ticket::id),
                nodes: run.reports(),
                dataset: DatasetSummary::of(plan),
                fit: FitSummary::of(fit),
                metrics: match pick(TaskId::Quality) {
                    Some(NodeValue::Quality(q)) => (**metrics).clone().with_quality(q),
                    _ => (**metrics).clone(),
                },
                view,
                profile: match pick(TaskId::Profile) {
                    Some(NodeValue::Profile(p)) => Some((**p).clone()),
                    _ => None,
                },
                threads: rayon::current_num_threads(),
                start_ms,
                end_ms: self.clock.now_ms(),
            },
            pixels,
        })
    }

    pub(crate) fn imported_registry(&self) -> &crate::pipeline::graph::imported::ImportedRegistry {
        &self.imported
    }

    pub(crate) fn clock(&self) -> &dyn Clock {
        &*self.clock
    }

    pub(crate) fn lane(&self) -> &Lane {
        &self.lane
    }

    pub(crate) fn progress_handle(&self) -> &Progress {
        &self.progress
    }

    pub(crate) fn lookup(&self, key: Fingerprint) -> Lookup {
        self.lock_store().lookup(key)
    }

    /// Stores a completed output; `false` if the key was known with another output.
    pub(crate) fn store(
        &self,
        key: Fingerprint,
        task: TaskId,
        output: Fingerprint,
        value: &NodeValue,
    ) -> bool {
        self.lock_store().insert(key, task, output, value.clone())
    }

    /// Records `task`'s newest output; whether it equals the previous one (backdating).
    pub(crate) fn note_output(&self, task: TaskId, output: Fingerprint) -> bool {
        let mut last = self.last_output.lock().unwrap_or_else(|e| e.into_inner());
        let previous = last[task.index()].replace(output);
        previous == Some(output)
    }

    pub(crate) fn new_job(
        &self,
        evaluation: u64,
        task: TaskId,
        key: Fingerprint,
        start_ms: f64,
        status: JobStatus,
    ) -> Arc<Job> {
        let id = self.next_job.fetch_add(1, Ordering::Relaxed);
        let job = Arc::new(Job::new(id, evaluation, task, key, start_ms, status));
        self.log.push(job.clone());
        job
    }

    fn lock_store(&self) -> MutexGuard<'_, MemoStore> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Engine>();
        check::<Ticket>();
    }
}
