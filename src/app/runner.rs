//! Starts the compute threads, sends the scenario to the engine whenever it changes (or
//! when Run is pressed), and polls live progress while an evaluation runs.

use std::sync::Arc;
use std::time::Duration;

use leptos::prelude::*;

use super::state::{AppState, RunState, Shown};
use crate::pipeline::ScenarioInputs;
use crate::web::compute::{self, Outcome};
use crate::web::environment::now_ms;
use crate::web::latest::Latest;

type Reply = (Result<Outcome, String>, ScenarioInputs, f64, f64);

/// Wires the compute bridge to `state`. Call once, inside the page component.
pub fn install(state: AppState) {
    let runner: Latest<(ScenarioInputs, u64, usize), Reply> = Latest::new(
        |(inputs, jobs_from, threads): (ScenarioInputs, u64, usize), cancel| async move {
            let requested_ms = now_ms();
            let result = match compute::plan(&inputs, threads) {
                Ok(plan) => compute::evaluate(plan, jobs_from, cancel).await,
                Err(e) => Err(e),
            };
            (result, inputs, requested_ms, now_ms())
        },
        move |(result, inputs, requested_ms, received_ms)| match result {
            Ok(outcome) => {
                super::speedup::record(&inputs, &outcome.meta.summary);
                state.merge_jobs(outcome.meta.jobs.clone());
                state.shown.set(Some(Shown {
                    outcome: Arc::new(outcome),
                    inputs,
                    requested_ms,
                    received_ms,
                }));
                state.live.set(compute::live());
                state.run.set(RunState::Done);
            }
            Err(e) => state.run.set(RunState::Failed(e)),
        },
    );
    let runner = StoredValue::new_local(runner);

    leptos::task::spawn_local(async move {
        #[cfg(feature = "threads")]
        let started = crate::web::pool::start(crate::web::environment::requested_threads()).await;
        #[cfg(not(feature = "threads"))]
        let started: Result<usize, String> = Ok(1);
        match started {
            Ok(n) => state.threads.set(Some(n)),
            Err(e) => state.run.set(RunState::Failed(e)),
        }
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
            state.run.set(RunState::Idle);
            return requests;
        }
        state.run.set(RunState::Running);
        let jobs_from = state
            .jobs
            .with_untracked(|j| j.last().map_or(0, |j| j.id + 1));
        runner.with_value(|r| r.submit((inputs, jobs_from, threads)));
        requests
    });

    // Live progress and running jobs, a few times a frame's worth, only while running.
    let poll = move || {
        if state.run.get_untracked() != RunState::Running && !state.sweeping.get_untracked() {
            return;
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
    if let Ok(handle) = set_interval_with_handle(poll, Duration::from_millis(50)) {
        on_cleanup(move || handle.clear());
    }
}
