//! The scenario book's life in the page (Taipy's scenario management): restored at start
//! from the browser's storage and a shared link, kept in step with the edited inputs, saved
//! on every change, and each scenario's result computed in the background while the page
//! is idle, so switching is instant and a comparison has every plot.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use leptos::prelude::*;

use super::state::{AppState, Kept, RunState, Shown};
use crate::pipeline::ScenarioInputs;
use crate::pipeline::scenarios::codec::scenario_from_url;
use crate::pipeline::scenarios::session::{
    SavedResult, Session, session_from_json, session_to_json,
};
use crate::web::browser_storage::{self, SESSION_KEY, UNREADABLE_KEY};
use crate::web::compute;
use crate::web::environment::now_ms;

/// Name of the scenario a first visit starts with.
pub const FIRST_NAME: &str = "Scenario 1";

/// The session to start with: the saved one (or a fresh one holding `defaults`), with a
/// shared link's scenario added and opened. The message says what could not be restored.
pub fn restore(defaults: ScenarioInputs) -> (Session, Option<String>) {
    let mut notices = Vec::new();
    let saved = match browser_storage::load(SESSION_KEY) {
        Ok(Some(text)) => {
            match session_from_json(&text) {
                Ok(s) => Some(s),
                Err(e) => {
                    // Keep what the user made: a session this build cannot read is moved aside,
                    // not overwritten by the next save.
                    let kept = browser_storage::save(UNREADABLE_KEY, &text).is_ok();
                    notices.push(format!(
                    "Saved scenarios could not be read ({e}){}.",
                    if kept {
                        format!("; they are kept in this browser's storage under \"{UNREADABLE_KEY}\"")
                    } else {
                        String::new()
                    }
                ));
                    None
                }
            }
        }
        Ok(None) => None,
        Err(e) => {
            notices.push(e.to_string());
            None
        }
    };
    let mut session = saved.unwrap_or_default();
    if session.book.scenarios().is_empty() {
        match session.book.create(FIRST_NAME, defaults) {
            Ok(id) => session.current = id,
            Err(e) => notices.push(e.to_string()),
        }
    }
    if let Some(code) = browser_storage::take_shared() {
        match scenario_from_url(&code).and_then(|(name, inputs)| session.open_shared(&name, inputs))
        {
            Ok(_) => {}
            Err(e) => notices.push(format!("The shared link could not be opened: {e}.")),
        }
    }
    let notice = (!notices.is_empty()).then(|| notices.join(" "));
    (session, notice)
}

/// Puts `session` into `state` and wires saving, result keeping and background filling.
/// Call once, inside the page component, before the runner.
pub fn install(state: AppState, session: Session, notice: Option<String>) {
    let Session {
        book,
        current,
        results,
    } = session;
    state.book.set(book);
    state.current.set(current);
    state.results.set(
        results
            .into_iter()
            .map(|(id, saved)| {
                (
                    id,
                    Kept {
                        saved,
                        outcome: None,
                    },
                )
            })
            .collect(),
    );
    state.notice.set(notice);

    // Edits go to the open scenario.
    Effect::new(move |_| {
        let inputs = state.inputs.get();
        let id = state.current.get_untracked();
        state.book.maybe_update(|b| match b.get(id) {
            Ok(s) if s.inputs != inputs => b.set_inputs(id, inputs).is_ok(),
            _ => false,
        });
    });

    // A shown result belongs to every scenario with exactly its inputs.
    Effect::new(move |_| {
        let Some(shown) = state.shown.get() else {
            return;
        };
        keep(state, &shown.inputs, shown.outcome.clone());
    });

    // Saved on every change: nothing the user made is lost on reload.
    Effect::new(move |_| {
        let mut session = Session {
            book: state.book.get(),
            current: state.current.get(),
            results: state.results.with(|r| {
                r.iter()
                    .map(|(id, k)| (*id, k.saved.clone()))
                    .collect::<BTreeMap<_, _>>()
            }),
        };
        session.prune();
        if let Err(e) = browser_storage::save(SESSION_KEY, &session_to_json(&session)) {
            state.notice.set(Some(e.to_string()));
        }
    });

    install_filler(state);
}

/// Records `outcome` as the result of every scenario whose inputs are `inputs`.
fn keep(state: AppState, inputs: &ScenarioInputs, outcome: Arc<compute::Outcome>) {
    let ids: Vec<u64> = state.book.with_untracked(|b| {
        b.scenarios()
            .iter()
            .filter(|s| &s.inputs == inputs)
            .map(|s| s.id)
            .collect()
    });
    if ids.is_empty() {
        return;
    }
    state.results.update(|r| {
        for id in ids {
            r.insert(
                id,
                Kept {
                    saved: SavedResult {
                        inputs: inputs.clone(),
                        summary: outcome.meta.summary.clone(),
                    },
                    outcome: Some(outcome.clone()),
                },
            );
        }
    });
}

/// Whether scenario `id` with `inputs` has a computed (not only saved) result.
fn has_outcome(results: &BTreeMap<u64, Kept>, id: u64, inputs: &ScenarioInputs) -> bool {
    results
        .get(&id)
        .is_some_and(|k| k.outcome.is_some() && &k.saved.inputs == inputs)
}

/// While the page is idle, computes the scenarios that have no result in this page yet,
/// the compared ones first, one at a time; the page's own next request cancels it.
fn install_filler(state: AppState) {
    let cancel: StoredValue<Option<Arc<AtomicBool>>> = StoredValue::new(None);

    Effect::new(move |_| {
        if state.run.get() == RunState::Running || state.sweeping.get() {
            cancel.with_value(|c| {
                if let Some(c) = c {
                    c.store(true, Ordering::Relaxed);
                }
            });
        }
    });

    Effect::new(move |_| {
        let idle = state.run.get() == RunState::Done && !state.sweeping.get();
        if !idle || state.filling.get().is_some() {
            return;
        }
        let Some(threads) = state.threads.get() else {
            return;
        };
        let current = state.current.get();
        let comparing = state.comparing.get();
        let failed = state.fill_errors.get();
        let next = state.book.with(|b| {
            state.results.with(|r| {
                b.scenarios()
                    .iter()
                    .filter(|s| s.id != current && !failed.contains_key(&s.id))
                    .filter(|s| !has_outcome(r, s.id, &s.inputs))
                    .min_by_key(|s| !comparing.contains(&s.id))
                    .map(|s| (s.id, s.inputs.clone()))
            })
        });
        let Some((id, inputs)) = next else {
            return;
        };
        let flag = Arc::new(AtomicBool::new(false));
        cancel.set_value(Some(flag.clone()));
        state.filling.set(Some(id));
        leptos::task::spawn_local(async move {
            let result = match compute::plan(&inputs, threads) {
                Ok(plan) => compute::evaluate_detached(plan, flag.clone()).await,
                Err(e) => Err(e),
            };
            match result {
                Ok(outcome) => keep(state, &inputs, Arc::new(outcome)),
                // Stopped for the page's own request: tried again when idle.
                Err(e) if e.is_cancellation() || flag.load(Ordering::Relaxed) => {}
                Err(e) => state.fill_errors.update(|f| {
                    f.insert(id, e);
                }),
            }
            state.filling.set(None);
        });
    });
}

/// Opens scenario `id` in the main view; its kept result is shown at once while the
/// engine confirms it (from the memo store when cached).
pub fn open(state: AppState, id: u64) {
    let Ok(inputs) = state
        .book
        .with_untracked(|b| b.get(id).map(|s| s.inputs.clone()))
    else {
        return;
    };
    state.current.set(id);
    let kept = state
        .results
        .with_untracked(|r| r.get(&id).filter(|k| k.saved.inputs == inputs).cloned());
    if let Some(outcome) = kept.and_then(|k| k.outcome) {
        let now = now_ms();
        let shown = Some(Shown {
            outcome,
            inputs: inputs.clone(),
            requested_ms: now,
            received_ms: now,
        });
        state.picture.set(shown.clone());
        state.shown.set(shown);
    }
    state.inputs.set(inputs);
}

/// Adds a scenario holding the current inputs under a fresh name and opens it.
pub fn create(state: AppState) -> Result<(), String> {
    let inputs = state.inputs.get_untracked();
    let name = state.book.with_untracked(|b| {
        (b.scenarios().len() + 1..)
            .map(|n| format!("Scenario {n}"))
            .find(|n| b.scenarios().iter().all(|s| &s.name != n))
            .unwrap_or_default()
    });
    let id = state
        .book
        .try_update(|b| b.create(&name, inputs))
        .ok_or("the page is closing")?
        .map_err(|e| e.to_string())?;
    keep_copy(state, state.current.get_untracked(), id);
    open(state, id);
    Ok(())
}

/// Copies scenario `id` (name "… (copy)") and opens the copy.
pub fn duplicate(state: AppState, id: u64) -> Result<(), String> {
    let copy = state
        .book
        .try_update(|b| b.duplicate(id))
        .ok_or("the page is closing")?
        .map_err(|e| e.to_string())?;
    keep_copy(state, id, copy);
    open(state, copy);
    Ok(())
}

/// A new scenario with the same inputs as `from` shares its result.
fn keep_copy(state: AppState, from: u64, to: u64) {
    state.results.update(|r| {
        if let Some(k) = r.get(&from).cloned() {
            r.insert(to, k);
        }
    });
}

/// Renames scenario `id`.
pub fn rename(state: AppState, id: u64, name: &str) -> Result<(), String> {
    state
        .book
        .try_update(|b| b.rename(id, name))
        .ok_or("the page is closing")?
        .map_err(|e| e.to_string())
}

/// Deletes scenario `id` and returns it for an undo; the last scenario cannot be deleted
/// (the page always edits one).
pub fn delete(
    state: AppState,
    id: u64,
) -> Result<crate::pipeline::scenarios::scenario::Scenario, String> {
    if state.book.with_untracked(|b| b.scenarios().len()) <= 1 {
        return Err("the last scenario cannot be deleted: create another first".into());
    }
    let removed = state
        .book
        .try_update(|b| b.delete(id))
        .ok_or("the page is closing")?
        .map_err(|e| e.to_string())?;
    state.comparing.update(|c| {
        c.remove(&id);
    });
    if state.current.get_untracked() == id
        && let Some(first) = state
            .book
            .with_untracked(|b| b.scenarios().first().map(|s| s.id))
    {
        open(state, first);
    }
    Ok(removed)
}

/// Opens the scenario named `name` holding `inputs`, creating it if the book has none:
/// how a sweep's k becomes a scenario of its own without overwriting the one being edited.
pub fn open_variant(state: AppState, name: &str, inputs: ScenarioInputs) -> Result<(), String> {
    let existing = state.book.with_untracked(|b| {
        b.scenarios()
            .iter()
            .find(|s| s.name == name && s.inputs == inputs)
            .map(|s| s.id)
    });
    let id = match existing {
        Some(id) => id,
        None => state
            .book
            .try_update(|b| b.create(name, inputs))
            .ok_or("the page is closing")?
            .map_err(|e| e.to_string())?,
    };
    open(state, id);
    Ok(())
}

/// Puts a deleted scenario back (under a new id) and opens it.
pub fn undelete(
    state: AppState,
    scenario: crate::pipeline::scenarios::scenario::Scenario,
) -> Result<(), String> {
    let id = state
        .book
        .try_update(|b| b.create(&scenario.name, scenario.inputs))
        .ok_or("the page is closing")?
        .map_err(|e| e.to_string())?;
    keep_copy(state, scenario.id, id);
    open(state, id);
    Ok(())
}
