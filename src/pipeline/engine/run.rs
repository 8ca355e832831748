//! One evaluation: a demand-driven walk of the graph from the nodes it is asked for.
//!
//! Like salsa's `fetch`, a node's output fingerprint is settled before its value is needed:
//! the memo key of a node depends on its upstream output fingerprints, which the store keeps
//! even after evicting values. So a node is loaded or computed only when something
//! downstream misses; when the render is cached, a dataset evicted long ago is never
//! regenerated. Every store hit and every computation leaves a job in the log.
//!
//! No lock is held while a task computes: the store is locked to look up and to insert.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::pipeline::engine::Engine;
use crate::pipeline::engine::evaluation::{NodeReport, NodeState};
use crate::pipeline::engine::lane::Ticket;
use crate::pipeline::engine::plan::Plan;
use crate::pipeline::error::PipelineError;
use crate::pipeline::graph::TaskId;
use crate::pipeline::jobs::job::{Job, JobStatus};
use crate::pipeline::jobs::monitor::JobMonitor;
use crate::pipeline::memo::fingerprint::Fingerprint;
use crate::pipeline::memo::key::memo_key;
use crate::pipeline::memo::store::Lookup;
use crate::pipeline::tasks::{self, NodeValue};

#[derive(Debug, Clone)]
struct Slot {
    key: Option<Fingerprint>,
    output: Fingerprint,
    value: Option<NodeValue>,
    state: NodeState,
    ms: f64,
    job: Option<u64>,
}

/// The state of one evaluation in progress.
pub struct Run<'e> {
    engine: &'e Engine,
    plan: &'e Plan,
    ticket: Option<&'e Ticket>,
    cancel: &'e AtomicBool,
    evaluation: u64,
    slots: [Option<Slot>; TaskId::COUNT],
}

impl<'e> Run<'e> {
    /// An evaluation of `plan`, on the view lane when `ticket` is given.
    pub fn new(
        engine: &'e Engine,
        plan: &'e Plan,
        ticket: Option<&'e Ticket>,
        cancel: &'e AtomicBool,
        evaluation: u64,
    ) -> Self {
        Self {
            engine,
            plan,
            ticket,
            cancel,
            evaluation,
            slots: Default::default(),
        }
    }

    /// Whether a newer request on the view lane no longer needs `task`'s output from us.
    pub fn is_stale(&self, task: TaskId) -> bool {
        self.ticket
            .is_some_and(|t| self.engine.lane().is_stale(t, task))
    }

    /// `Err` when this evaluation should stop before or after `task`.
    pub fn check(&self, task: TaskId) -> Result<(), PipelineError> {
        if self.cancel.load(Ordering::Relaxed) {
            Err(PipelineError::Cancelled)
        } else if self.is_stale(task) {
            Err(PipelineError::Superseded)
        } else {
            Ok(())
        }
    }

    /// The value of `task`, loading or computing it and whatever it needs.
    pub fn value(&mut self, task: TaskId) -> Result<NodeValue, PipelineError> {
        self.output(task)?;
        if let Some(v) = self.slot(task).value.clone() {
            return Ok(v);
        }
        let upstream = self.upstream_values(task)?;
        if tasks::passes_through(task, self.plan) {
            let v = tasks::pass_through_value(task, &upstream);
            self.slots[task.index()].as_mut().expect("settled").value = Some(v.clone());
            return Ok(v);
        }
        // Known by fingerprint only: the value was evicted, so recompute it. A store hit
        // is possible too, if a concurrent evaluation stored it meanwhile.
        let key = self.slot(task).key.expect("computed nodes have keys");
        let expected = self.slot(task).output;
        if let Lookup::Value(_, v) = self.engine.lookup(key) {
            let job = self.reused_job(task, key);
            let slot = self.slots[task.index()].as_mut().expect("settled");
            slot.value = Some(v.clone());
            slot.state = NodeState::Reused;
            slot.job = Some(job);
            return Ok(v);
        }
        self.compute(task, key, upstream, Some(expected))
    }

    /// The value of `task` if the store holds it and every node it reads is already
    /// settled; nothing is loaded or computed for it otherwise (its node stays idle).
    pub fn held_value(&mut self, task: TaskId) -> Option<NodeValue> {
        if let Some(s) = &self.slots[task.index()] {
            return s.value.clone();
        }
        let upstream: Option<Vec<Fingerprint>> = task
            .spec()
            .upstream
            .iter()
            .map(|u| self.slots[u.index()].as_ref().map(|s| s.output))
            .collect();
        let key = memo_key(task, self.plan, &upstream?);
        let Lookup::Value(output, v) = self.engine.lookup(key) else {
            return None;
        };
        self.reuse(task, key, output, v.clone());
        Some(v)
    }

    /// Settles `task` with a value found in the store, logging a reused job.
    fn reuse(&mut self, task: TaskId, key: Fingerprint, output: Fingerprint, value: NodeValue) {
        let job = self.reused_job(task, key);
        self.slots[task.index()] = Some(Slot {
            key: Some(key),
            output,
            value: Some(value),
            state: NodeState::Reused,
            ms: 0.0,
            job: Some(job),
        });
    }

    /// Reports of every node, in graph order.
    pub fn reports(&self) -> Vec<NodeReport> {
        TaskId::ALL
            .iter()
            .map(|&task| match &self.slots[task.index()] {
                Some(s) => NodeReport {
                    task,
                    state: s.state,
                    key: s.key,
                    output: Some(s.output),
                    ms: s.ms,
                    job: s.job,
                },
                None => NodeReport {
                    task,
                    state: NodeState::Idle,
                    key: None,
                    output: None,
                    ms: 0.0,
                    job: None,
                },
            })
            .collect()
    }

    fn slot(&self, task: TaskId) -> &Slot {
        self.slots[task.index()].as_ref().expect("settled")
    }

    /// Settles `task`'s output fingerprint: from its upstream fingerprints if it passes
    /// through, from the store if its key is known, by computing it otherwise.
    fn output(&mut self, task: TaskId) -> Result<Fingerprint, PipelineError> {
        if let Some(s) = &self.slots[task.index()] {
            return Ok(s.output);
        }
        let mut upstream = Vec::new();
        for &u in task.spec().upstream {
            upstream.push(self.output(u)?);
        }
        if tasks::passes_through(task, self.plan) {
            self.slots[task.index()] = Some(Slot {
                key: None,
                output: tasks::pass_through_fingerprint(task, &upstream),
                value: None,
                state: NodeState::PassThrough,
                ms: 0.0,
                job: None,
            });
            return Ok(self.slot(task).output);
        }
        let key = memo_key(task, self.plan, &upstream);
        match self.engine.lookup(key) {
            Lookup::Value(output, v) => self.reuse(task, key, output, v),
            Lookup::Fingerprint(output) => {
                self.slots[task.index()] = Some(Slot {
                    key: Some(key),
                    output,
                    value: None,
                    state: NodeState::Known,
                    ms: 0.0,
                    job: None,
                });
            }
            Lookup::Miss => {
                let upstream = self.upstream_values(task)?;
                self.compute(task, key, upstream, None)?;
            }
        }
        Ok(self.slot(task).output)
    }

    fn upstream_values(&mut self, task: TaskId) -> Result<Vec<NodeValue>, PipelineError> {
        task.spec()
            .upstream
            .iter()
            .map(|&u| self.value(u))
            .collect()
    }

    fn reused_job(&self, task: TaskId, key: Fingerprint) -> u64 {
        let now = self.engine.clock().now_ms();
        let job = self
            .engine
            .new_job(self.evaluation, task, key, now, JobStatus::Reused);
        job.id()
    }

    /// Runs `task` as a job and stores its output. `expected` is the output fingerprint
    /// already used for downstream keys, when the value is recomputed after eviction.
    fn compute(
        &mut self,
        task: TaskId,
        key: Fingerprint,
        upstream: Vec<NodeValue>,
        expected: Option<Fingerprint>,
    ) -> Result<NodeValue, PipelineError> {
        let slot = self.run_job(task, key, upstream, expected)?;
        let value = slot.value.clone().expect("a computed slot holds its value");
        self.slots[task.index()] = Some(slot);
        Ok(value)
    }

    /// Settles what `targets` need one node at a time (lazily, as [`Run::value`] does),
    /// then computes the targets still missing side by side: nodes that need the same
    /// finished upstream and
    /// not each other (the scores, the picture and the dataset profile after a fit) run
    /// as parallel jobs, as dask runs independent tasks of a graph, instead of one after
    /// the other, each leaving threads idle in its serial parts. A target found in the
    /// store, or needing another target, is left to [`Run::value`].
    pub fn compute_side_by_side(&mut self, targets: &[TaskId]) -> Result<(), PipelineError> {
        let mut ready = Vec::new();
        for &t in targets {
            if self.slots[t.index()].is_some() || tasks::passes_through(t, self.plan) {
                continue;
            }
            // Upstream outputs first, lazily (as `output` does): a target found in the
            // store must not make its evicted upstream values come back.
            let mut fingerprints = Vec::new();
            for &u in t.spec().upstream {
                fingerprints.push(self.output(u)?);
            }
            if self.slots[t.index()].is_some() {
                // Settled meanwhile as another target's upstream.
                continue;
            }
            let key = memo_key(t, self.plan, &fingerprints);
            if !matches!(self.engine.lookup(key), Lookup::Miss) {
                continue;
            }
            let upstream = self.upstream_values(t)?;
            ready.push((t, key, upstream));
        }
        // A later target's upstream may have needed an earlier one (Fit, for Render).
        ready.retain(|(t, _, _)| self.slots[t.index()].is_none());
        if ready.len() < 2 {
            return Ok(());
        }
        use rayon::prelude::*;
        let this = &*self;
        let done: Vec<(TaskId, Result<Slot, PipelineError>)> = ready
            .into_par_iter()
            .map(|(t, key, upstream)| (t, this.run_job(t, key, upstream, None)))
            .collect();
        // Every finished job keeps its slot; the first error in target order is returned.
        let mut first_error = None;
        for (t, r) in done {
            match r {
                Ok(slot) => self.slots[t.index()] = Some(slot),
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        first_error.map_or(Ok(()), Err)
    }

    /// Runs `task` as a job and stores its output in the memo store; returns its slot.
    fn run_job(
        &self,
        task: TaskId,
        key: Fingerprint,
        upstream: Vec<NodeValue>,
        expected: Option<Fingerprint>,
    ) -> Result<Slot, PipelineError> {
        self.check(task)?;
        let clock = self.engine.clock();
        let start = clock.now_ms();
        let job: Arc<Job> =
            self.engine
                .new_job(self.evaluation, task, key, start, JobStatus::Running);
        self.engine.progress_handle().task(self.evaluation, task);
        let stale = || self.is_stale(task);
        let monitor = JobMonitor {
            clock,
            job: &job,
            progress: self.engine.progress_handle(),
            cancel: self.cancel,
            stale: &stale,
        };
        // An imported dataset is not computed: the engine hands over the registered matrix.
        let result = match self.engine.imported_value(task, self.plan) {
            Some(imported) => imported,
            None => tasks::run(task, self.plan, &upstream, &monitor),
        };
        drop(upstream);
        let end = clock.now_ms();
        let value = match result {
            Ok(v) => v,
            Err(e) if e.is_cancellation() => {
                job.finish(JobStatus::Cancelled, end);
                // The monitor stops a task for the caller's flag or for staleness only. By now
                // a still newer request may need this lineage again, so re-checking staleness
                // could miss why it stopped: without the flag, it was superseded.
                return Err(if self.cancel.load(Ordering::Relaxed) {
                    PipelineError::Cancelled
                } else {
                    PipelineError::Superseded
                });
            }
            Err(e) => {
                job.finish(
                    JobStatus::Failed {
                        message: e.to_string(),
                    },
                    end,
                );
                return Err(e);
            }
        };
        let output = value.fingerprint();
        if expected.is_some_and(|f| f != output) || !self.engine.store(key, task, output, &value) {
            job.finish(
                JobStatus::Failed {
                    message: "not deterministic".into(),
                },
                end,
            );
            return Err(PipelineError::Nondeterministic { task: task.name() });
        }
        let backdated = self.engine.note_output(task, output);
        job.finish(JobStatus::Completed { backdated }, end);
        Ok(Slot {
            key: Some(key),
            output,
            value: Some(value),
            state: if backdated {
                NodeState::Backdated
            } else {
                NodeState::Computed
            },
            ms: end - start,
            job: Some(job.id()),
        })
    }
}
