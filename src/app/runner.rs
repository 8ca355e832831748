//! Starts the compute threads, sends the scenario to the engine whenever it changes (or
//! when Run is pressed), and polls live progress while an evaluation runs.

use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use leptos::prelude::*;

use super::state::{AppState, RunState, Shown};
use crate::pipeline::{Delivery, ScenarioInputs};
use crate::web::WebError;
use crate::web::compute::{self, Outcome};
use crate::web::environment::now_ms;
use crate::web::latest::Latest;

/// A running job's progress is first read once it has run this long (the page shows
/// progress for every job over 100 ms), then at most this often: ten updates a second.
const PROGRESS_EVERY_MS: f64 = 100.0;

/// How long after a result the memory for the next evaluation is prepared.
#[cfg(feature = "threads")]
const PREPARE_AFTER: Duration = Duration::from_millis(150);

/// How often the page checks whether progress is due.
const POLL_TICK: Duration = Duration::from_millis(25);

type Request = (ScenarioInputs, u64, usize, Delivery);
type Reply = (
    Result<Outcome, WebError>,
    ScenarioInputs,
    f64,
    f64,
    Delivery,
);

/// Wires the compute bridge to `state`. Call once, inside the page component.
///
/// A change is evaluated in two deliveries (ARCHITECTURE.md §2): first the picture, the
/// model and the cheap scores, shown as soon as they exist; then, once that frame is
/// painted, the internal indices, which the graph and the quality deck mark as pending
/// until they arrive. Both go through one [`Latest`], so the next change cancels either.
pub fn install(state: AppState) {
    // The runner is needed inside its own delivery (to ask for the indices), so it is
    // reached through a cell set once it exists.
    let again: Rc<std::cell::OnceCell<Latest<Request, Reply>>> = Rc::default();
    let again_in_deliver = again.clone();
    let runner: Latest<Request, Reply> = Latest::new(
        |(inputs, jobs_from, threads, delivery): Request, cancel| async move {
            let requested_ms = now_ms();
            let result = match compute::plan(&inputs, threads) {
                Ok(plan) => compute::evaluate(plan, jobs_from, cancel, delivery).await,
                Err(e) => Err(e),
            };
            (result, inputs, requested_ms, now_ms(), delivery)
        },
        move |(result, inputs, requested_ms, received_ms, delivery)| match (result, delivery) {
            (Ok(outcome), Delivery::Quality) => {
                state.merge_jobs(outcome.meta.jobs.clone());
                state.shown.update(|shown| {
                    if let Some(shown) = shown.as_mut()
                        && shown.inputs == inputs
                        && let Some(summary) = shown
                            .outcome
                            .meta
                            .summary
                            .with_quality_of(&outcome.meta.summary)
                    {
                        let mut whole = (*shown.outcome).clone();
                        whole.meta.summary = summary;
                        whole.meta.memory = outcome.meta.memory;
                        shown.outcome = Arc::new(whole);
                    }
                });
            }
            (Ok(outcome), _) => {
                let pending = outcome.meta.summary.quality_pending();
                let runner = again_in_deliver.clone();
                let jobs = outcome.meta.jobs.clone();
                let shown = Shown {
                    outcome: Arc::new(outcome),
                    inputs,
                    requested_ms,
                    received_ms,
                };
                // The picture now; everything else once that frame is painted.
                state.picture.set(Some(shown.clone()));
                request_animation_frame(move || {
                    set_timeout(
                        move || {
                            super::speedup::record(&shown.inputs, &shown.outcome.meta.summary);
                            #[cfg(feature = "threads")]
                            prepare_when_idle(state, shown.inputs.clone());
                            state.merge_jobs(jobs);
                            let asked = shown.inputs.clone();
                            state.shown.set(Some(shown));
                            state.live.set(compute::live());
                            state.set_run(RunState::Done);
                            if let (true, Some(r), Some(threads)) =
                                (pending, runner.get(), state.threads.get_untracked())
                            {
                                let jobs_from = state.next_job_id();
                                r.submit((asked, jobs_from, threads, Delivery::Quality));
                            }
                        },
                        Duration::ZERO,
                    )
                });
            }
            (Err(e), _) => state.set_run(RunState::Failed(e.to_string())),
        },
    );
    let _ = again.set(runner.clone());
    let runner = StoredValue::new_local(runner);

    // The workers start once the page is built: they and the first evaluation would
    // otherwise take the two cores from the main thread while it builds the page.
    let super::staged::MountStage(stage) = expect_context();
    Effect::new(move |started: Option<bool>| {
        if started == Some(true) || stage.get() < super::staged::LAST_STAGE {
            return started.unwrap_or(false);
        }
        leptos::task::spawn_local(start_threads(state));
        true
    });

    // A change of any input (with auto-run on) or a press of Run asks for an evaluation.
    Effect::new(move |previous: Option<u64>| {
        let requests = state.run_requests.get();
        let inputs = state.inputs.get();
        let auto = state.auto_run.get();
        let Some(threads) = state.threads.get() else {
            return requests;
        };
        let pressed = previous.is_some_and(|p| p != requests);
        if !(auto || pressed) {
            state.set_run(RunState::Idle);
            return requests;
        }
        state.set_run(RunState::Running);
        let jobs_from = state.next_job_id();
        runner.with_value(|r| r.submit((inputs, jobs_from, threads, Delivery::First)));
        requests
    });

    // Live progress and running jobs, and the running state itself (`shown_run`). A read
    // re-renders the status line, the graph and the task stream, and on a two-core machine
    // that main-thread work (with its style, paint and compositing) is taken from the
    // compute threads: reading at 20 Hz from a job's start made a 1M-point job about a
    // fifth slower than not reading at all.
    let busy_since = Rc::new(Cell::new(None::<f64>));
    let last_read = Rc::new(Cell::new(f64::NEG_INFINITY));
    let poll = move || {
        if state.run.get_untracked() != RunState::Running && !state.sweeping.get_untracked() {
            busy_since.set(None);
            return;
        }
        let now = now_ms();
        let since = busy_since.get().unwrap_or(now);
        busy_since.set(Some(since));
        if now - since < PROGRESS_EVERY_MS || now - last_read.get() < PROGRESS_EVERY_MS {
            return;
        }
        last_read.set(now);
        if state.run.get_untracked() == RunState::Running
            && state.shown_run.get_untracked() != RunState::Running
        {
            state.shown_run.set(RunState::Running);
        }
        let live = compute::live();
        state.live.maybe_update(|l| {
            let changed = *l != live;
            if changed {
                *l = live;
            }
            changed
        });
        let from = state.jobs.with_untracked(|j| j.last().map_or(0, |j| j.id));
        if let Some(jobs) = compute::jobs_since(from) {
            state.merge_jobs(jobs);
        }
    };
    if let Ok(handle) = set_interval_with_handle(poll, POLL_TICK) {
        on_cleanup(move || handle.clear());
    }
}

/// After a result has been shown, and if the page is still idle then, has the worker pool
/// fault in the memory the next evaluation of this size will take
/// ([`compute::prepare_memory`]): the time it saves in that evaluation would otherwise be
/// spent in page faults while every thread is busy. Then, once per page, small evaluations
/// get V8 to optimise the pipeline's code before the user's next run
/// ([`compute::warm_up`]).
#[cfg(feature = "threads")]
fn prepare_when_idle(state: AppState, inputs: ScenarioInputs) {
    let later = move || {
        let idle =
            state.run.get_untracked() != RunState::Running && !state.sweeping.get_untracked();
        if let (true, Some(threads)) = (idle, state.threads.get_untracked()) {
            leptos::task::spawn_local(async move {
                compute::prepare_memory(&inputs, threads).await;
                compute::warm_up(&inputs).await;
            });
        }
    };
    // Once the result's frame is drawn: the main thread has its own work until then.
    set_timeout(later, PREPARE_AFTER);
}

/// Starts the compute threads (the worker pool, or nothing in the single-threaded build)
/// and records how many there are, or why they could not start.
async fn start_threads(state: AppState) {
    #[cfg(feature = "threads")]
    let started = crate::web::pool::start(crate::web::environment::requested_threads()).await;
    #[cfg(not(feature = "threads"))]
    let started: Result<usize, WebError> = Ok(1);
    match started {
        Ok(n) => state.threads.set(Some(n)),
        Err(e) => state.set_run(RunState::Failed(e.to_string())),
    }
}
