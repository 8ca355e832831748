//! The replay's controls under the plot: play, pause, step back and forward, scrub; the
//! shown step's caption; and the inertia of every Lloyd step with the shown one ringed.
//!
//! A step is one more input of the scenario (`replay_step`), so it is computed like any
//! evaluation, off the main thread in both builds, and a step seen before comes from the
//! memo store (ARCHITECTURE.md §13).

use std::time::Duration;

use leptos::prelude::*;

use super::charts::marked_line_chart;
use super::state::{AppState, RunState};
use crate::pipeline::ScenarioInputs;
use crate::pipeline::display::replay_caption::step_caption;
use crate::pipeline::replay::timeline::{StepKind, seeding_count};

/// Time each step stays on screen while playing, after it is drawn.
const PLAY_STEP: Duration = Duration::from_millis(450);
/// The same for a reader who has asked the system for reduced motion: each picture holds
/// long enough to be read rather than seen as an animation.
const PLAY_STEP_REDUCED: Duration = Duration::from_millis(1500);

/// How long a step stays on screen while playing ([`PLAY_STEP`], or
/// [`PLAY_STEP_REDUCED`] under `prefers-reduced-motion`).
fn play_step() -> Duration {
    let reduced = web_sys::window()
        .and_then(|w| {
            w.match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        })
        .is_some_and(|m| m.matches());
    if reduced {
        PLAY_STEP_REDUCED
    } else {
        PLAY_STEP
    }
}

/// The inputs without the replay step and the view: what makes a new fit.
fn fit_inputs(i: &ScenarioInputs) -> ScenarioInputs {
    ScenarioInputs {
        replay_step: None,
        view: None,
        ..i.clone()
    }
}

/// The replay panel.
#[component]
pub fn ReplayPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let timeline = Memo::new(move |_| {
        state.shown.with(|s| {
            s.as_ref()
                .map(|s| s.outcome.meta.summary.fit.timeline.clone())
                .unwrap_or_default()
        })
    });
    let requested = Memo::new(move |_| state.inputs.with(|i| i.replay_step));
    // The replay step the shown result draws, if any.
    let frame = Memo::new(move |_| {
        state.shown.with(|s| {
            s.as_ref()
                .and_then(|s| s.outcome.meta.summary.view.as_ref()?.replay.clone())
        })
    });
    let last = move || timeline.with(|t| t.len().saturating_sub(1));
    // The step the controls show: the requested one, or the end (the final labels).
    let current = move || requested.get().unwrap_or_else(last).min(last());
    let playing = RwSignal::new(false);
    let scheduled = StoredValue::new(false);

    let go = move |step: Option<usize>| {
        if state.inputs.with_untracked(|i| i.replay_step) == step {
            return;
        }
        state.inputs.update(|i| i.replay_step = step);
        // A step is asked for even with run-on-change off: it is what the user pressed.
        if !state.auto_run.get_untracked() {
            state.run_requests.update(|r| *r += 1);
        }
    };
    let step_to = move |s: usize| go(Some(s.min(last())));
    let back = move || {
        playing.set(false);
        step_to(current().saturating_sub(1));
    };
    let forward = move || {
        playing.set(false);
        step_to(current() + 1);
    };
    let toggle = move || {
        if playing.get_untracked() {
            playing.set(false);
        } else {
            // From the end, play starts again from the first step.
            if requested.get_untracked().is_none_or(|s| s >= last()) {
                go(Some(0));
            }
            playing.set(true);
        }
    };

    // A new fit starts with its final labels: an old step index means another step there.
    Effect::new(move |previous: Option<ScenarioInputs>| {
        let now = state.inputs.with(fit_inputs);
        if previous.is_some_and(|p| p != now) && requested.get_untracked().is_some() {
            playing.set(false);
            state.inputs.update(|i| i.replay_step = None);
        }
        now
    });

    // Playing: once the shown result is the requested step, show it a moment, then ask for
    // the next; stop at the end.
    Effect::new(move |_| {
        let run = state.run.get();
        let on = playing.get();
        let shown_step = frame.with(|f| f.as_ref().map(|f| f.step));
        if on && matches!(run, RunState::Failed(_)) {
            // A step that failed says why in the status line; playing on would hide it.
            playing.set(false);
            return;
        }
        if !on || run != RunState::Done || scheduled.get_value() {
            return;
        }
        let Some(want) = requested.get_untracked() else {
            return;
        };
        if shown_step != Some(want) {
            return;
        }
        if want >= last() {
            playing.set(false);
            return;
        }
        scheduled.set_value(true);
        set_timeout(
            move || {
                scheduled.set_value(false);
                if playing.get_untracked() && requested.get_untracked() == Some(want) {
                    go(Some(want + 1));
                }
            },
            play_step(),
        );
    });

    let caption = move || {
        frame.with(|f| {
            timeline.with(|t| match f {
                Some(f) => step_caption(t, f.step, Some(f)),
                None if !t.is_empty() => format!(
                    "The fitted result. Press play to replay its {} steps: the seeding's rounds, \
                 the seeds, then each Lloyd iteration.",
                    t.len()
                ),
                None => String::new(),
            })
        })
    };
    let lloyd_costs = move || {
        timeline.with(|t| {
            t.iter()
                .filter(|s| matches!(s.kind, StepKind::Lloyd { .. }))
                .filter_map(|s| s.cost)
                .collect::<Vec<f64>>()
        })
    };
    let lloyd_mark = move || current().checked_sub(timeline.with(|t| seeding_count(t)));

    view! {
        <div id="replay" class="replay" role="group" aria-label="Replay of the fit"
            data-steps=move || timeline.with(Vec::len).to_string()
            data-step=move || requested.get().map_or("final".to_string(), |s| s.to_string())
            data-playing=move || playing.get().to_string()
            on:keydown=move |ev: web_sys::KeyboardEvent| {
                // Keys on the group; the slider keeps its own arrow keys.
                let on_slider = ev.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(t).ok()).is_some();
                match ev.key().as_str() {
                    "ArrowLeft" if !on_slider => { ev.prevent_default(); back() }
                    "ArrowRight" if !on_slider => { ev.prevent_default(); forward() }
                    "k" | "K" => { ev.prevent_default(); toggle() }
                    _ => {}
                }
            }>
            <div class="replay-controls">
                <button id="replay-back" type="button" title="Step back (←)" aria-label="Step back"
                    prop:disabled=move || timeline.with(Vec::is_empty) || (current() == 0)
                    on:click=move |_| back()>"◀"</button>
                <button id="replay-play" type="button" aria-label=move || if playing.get() { "Pause replay" } else { "Play replay" }
                    title="Play or pause (K)" aria-pressed=move || playing.get().to_string()
                    prop:disabled=move || timeline.with(Vec::is_empty)
                    on:click=move |_| toggle()>{move || if playing.get() { "❚❚ Pause" } else { "▶ Play" }}</button>
                <button id="replay-forward" type="button" title="Step forward (→)" aria-label="Step forward"
                    prop:disabled=move || timeline.with(Vec::is_empty) || (current() >= last())
                    on:click=move |_| forward()>"▶▶"</button>
                <label class="replay-scrub">
                    <span class="visually-hidden">"Replay step"</span>
                    <input id="replay-step" type="range" min="0" max=move || last().to_string()
                        prop:value=move || current().to_string()
                        aria-valuetext=move || format!("step {} of {}", current() + 1, last() + 1)
                        prop:disabled=move || timeline.with(Vec::is_empty)
                        on:input=move |ev| {
                            playing.set(false);
                            if let Ok(s) = event_target_value(&ev).parse::<usize>() { step_to(s) }
                        } />
                </label>
                <span id="replay-position" class="replay-position">{move || format!("{} / {}", current() + 1, last() + 1)}</span>
                <button id="replay-end" type="button" title="Show the fitted result"
                    prop:disabled=move || requested.get().is_none()
                    on:click=move |_| { playing.set(false); go(None) }>"Result"</button>
            </div>
            <p id="replay-caption" class="replay-caption" aria-live="polite">{caption}</p>
            {move || {
                let costs = lloyd_costs();
                (costs.len() > 1).then(move || marked_line_chart("replay-chart", &costs, lloyd_mark()))
            }}
        </div>
    }
}
