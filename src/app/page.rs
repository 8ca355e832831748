//! The page: parameters, the canvas, the pipeline graph, the task stream, the decks and
//! the status bar.

use leptos::prelude::*;

use super::controls::{Controls, QuickControls};
use super::decks::Decks;
use super::export_panel::ExportPanel;
use super::format;
use super::pipeline_view::PipelineView;
use super::plot::{PLOT_HEIGHT, PLOT_WIDTH, PlotCanvas};
use super::runner;
use super::scenario_panel::ScenarioPanel;
use super::scenarios;
use super::staged::{Later, MountStage, advance};
use super::state::{AppState, RunState, Shown, Theme};
use super::status_bar::StatusBar;
use super::sweep_panel::SweepPanel;
use super::task_stream::TaskStream;
use crate::data::Centers;
use crate::pipeline::ScenarioInputs;
use crate::pipeline::display::task_stream::{evaluation_tasks, kind_times, tasks_per_thread};
use crate::pipeline::render::raster::{PALETTE, lit_pixels};
use crate::web::environment::{Flavour, cross_origin_isolated};

/// The demo's starting point: W1 of the benchmarks (a million points, 2 features), five
/// clusters on one coupled slider.
fn default_inputs() -> ScenarioInputs {
    ScenarioInputs {
        n_samples: 1_000_000,
        centers: Centers::Count(5),
        k: 5,
        data_seed: 42,
        width: PLOT_WIDTH,
        height: PLOT_HEIGHT,
        ..ScenarioInputs::default()
    }
}

/// Machine-readable facts about the shown result, for scripts and the browser tests.
fn result_json(state: &AppState, shown: &Shown) -> String {
    let s = &shown.outcome.meta.summary;
    // Untracked: the JSON is rebuilt when a result is shown, not on every progress poll.
    let tasks = state
        .jobs
        .with_untracked(|jobs| evaluation_tasks(jobs, s.evaluation));
    let tasks_per_thread = tasks_per_thread(&tasks, s.threads);
    // Per task kind: busy ms per thread, the span from first start to last end, and the
    // count — what the task stream summary shows, for scripts comparing threads.
    let task_ms: serde_json::Map<String, serde_json::Value> = kind_times(&tasks, s.threads)
        .into_iter()
        .map(|(k, t)| {
            let busy: Vec<f64> = t.busy_ms.iter().map(|&b| format::tenths(b)).collect();
            (
                k.to_string(),
                serde_json::json!({ "busy": busy, "span": format::tenths(t.span_ms), "n": t.count }),
            )
        })
        .collect();
    let nodes: serde_json::Map<String, serde_json::Value> = s
        .nodes
        .iter()
        .map(|n| {
            (
                n.task.name().to_string(),
                serde_json::to_value(n.state).unwrap_or_default(),
            )
        })
        .collect();
    let node_ms: serde_json::Map<String, serde_json::Value> = s
        .nodes
        .iter()
        .map(|n| (n.task.name().to_string(), n.ms.into()))
        .collect();
    serde_json::json!({
        "flavour": Flavour::current().name(),
        "cross_origin_isolated": cross_origin_isolated(),
        "threads": s.threads,
        "evaluation": s.evaluation,
        "k": shown.inputs.k,
        "n_samples": s.dataset.n_samples,
        "n_features": s.dataset.n_features,
        "n_chunks": s.dataset.n_chunks,
        "nodes": nodes,
        "node_ms": node_ms,
        "tasks_per_thread": tasks_per_thread,
        "task_ms": task_ms,
        "inertia": s.metrics.inertia,
        "adjusted_rand": s.metrics.adjusted_rand,
        "quality_pending": s.quality_pending(),
        "silhouette": s.metrics.silhouette,
        "davies_bouldin": s.metrics.davies_bouldin,
        "n_iter": s.fit.n_iter,
        "centres": s.fit.centres,
        "trained_on": s.fit.trained_on,
        "scenario": state.book.with_untracked(|b| b.get(state.current.get_untracked()).map(|s| s.name.clone()).ok()),
        "job_started_ms": shown.requested_ms,
        "job_ended_ms": shown.received_ms,
        "engine_ms": s.end_ms - s.start_ms,
        "lit_pixels": lit_pixels(&shown.outcome.pixels),
        "points": s.view.as_ref().map(|v| v.points),
        "window": s.view.as_ref().map(|v| [v.viewport.x.0, v.viewport.x.1, v.viewport.y.0, v.viewport.y.1]),
        "palette": PALETTE,
        "replay_steps": s.fit.timeline.len(),
        "seeding_steps": crate::pipeline::replay::timeline::seeding_count(&s.fit.timeline),
        "replay": s.view.as_ref().and_then(|v| v.replay.as_ref()).map(|f| serde_json::json!({
            "step": f.step,
            "kind": f.kind,
            "moved": f.moved,
            "inertia": f.inertia,
            "labels_digest": f.labels_digest,
            "candidates": f.candidates.len(),
            "centres": f.centres.len(),
        })),
    })
    .to_string()
}

/// What a screen reader hears when a run ends: the result in one line, or the error.
fn announcement(state: &AppState) -> String {
    match state.shown_run.get() {
        RunState::Done => state
            .shown
            .with(|s| {
                s.as_ref().map(|s| {
                    let o = &s.outcome.meta.summary;
                    format!(
                        "Done. k = {}, inertia {}, adjusted Rand index {}, {} iterations, {} end to end.",
                        o.fit.k,
                        format::score(Some(o.metrics.inertia)),
                        format::score(Some(o.metrics.adjusted_rand)),
                        o.fit.n_iter,
                        format::ms(s.received_ms - s.requested_ms),
                    )
                })
            })
            .unwrap_or_default(),
        RunState::Failed(e) => format!("Error: {e}"),
        _ => String::new(),
    }
}

/// The status line with its progress bar, the result in one line, and the live region
/// that announces each result or error to a screen reader.
#[component]
fn ResultLines() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <p id="status" data-state=move || state.run.get().key() class:busy=move || state.shown_run.get() == RunState::Running>
            {move || match state.shown_run.get() {
                RunState::Starting => "Starting threads…".to_string(),
                RunState::Idle => "Parameters changed: press Run.".to_string(),
                RunState::Running => match state.live.get().filter(|l| l.progress.running) {
                    Some(l) => format!(
                        "Computing {}… {}",
                        l.progress.task.map_or("", |t| t.name()),
                        if l.progress.total > 0 { format!("{} of {}", l.progress.done, l.progress.total) } else { String::new() }
                    ),
                    None => "Computing…".to_string(),
                },
                RunState::Done => "Done.".to_string(),
                RunState::Failed(e) => format!("Error: {e}"),
            }}
        </p>
        {move || {
            let p = state.live.get().map(|l| l.progress).filter(|p| p.running && p.total > 0)?;
            (state.shown_run.get() == RunState::Running).then(|| {
                let task = p.task.map_or("the evaluation", |t| t.name());
                view! {
                    <progress id="run-progress" class="run-progress" max=p.total.to_string() value=p.done.to_string()
                        data-task=task aria-label=format!("Progress of {task}")>
                        {format!("{} %", p.percent().unwrap_or(0))}
                    </progress>
                }
            })
        }}
        <p id="summary">
            {move || state.shown.get().map(|s| {
                let o = &s.outcome.meta.summary;
                format!(
                    "{} points × {} features, k = {}: {} iterations, inertia {}, ARI {} — {} in the engine, {} end to end.",
                    format::thousands(o.dataset.n_samples as u64),
                    o.dataset.n_features,
                    o.fit.k,
                    o.fit.n_iter,
                    format::score(Some(o.metrics.inertia)),
                    format::score(Some(o.metrics.adjusted_rand)),
                    format::ms(o.end_ms - o.start_ms),
                    format::ms(s.received_ms - s.requested_ms),
                )
            })}
        </p>
        <p id="announce" class="visually-hidden" role="status" aria-atomic="true">{move || announcement(&state)}</p>
    }
}

/// The whole page.
#[component]
pub fn Page() -> impl IntoView {
    let (session, notice) = scenarios::restore(default_inputs());
    let inputs = session
        .current_inputs()
        .cloned()
        .unwrap_or_else(default_inputs);
    let state = AppState::new(inputs);
    provide_context(state);
    provide_context(super::pipeline_view::StaleNodes::new(state));
    provide_context(super::pipeline_view::InputMarks::new(state));
    let stage = RwSignal::new(0u8);
    provide_context(MountStage(stage));
    // The scenario book and the runner are wired up in tasks of their own (app/staged.rs).
    let owner = Owner::current().expect("the page is mounted under an owner");
    let later = owner.clone();
    set_timeout(
        move || owner.with(|| scenarios::install(state, session, notice)),
        std::time::Duration::ZERO,
    );
    set_timeout(
        move || later.with(|| runner::install(state)),
        std::time::Duration::ZERO,
    );
    advance(stage);

    Effect::new(move |_| {
        let theme = state.theme.get();
        if let Some(body) = document().body() {
            let _ = body.set_attribute(
                "data-theme",
                if theme == Theme::Dark {
                    "dark"
                } else {
                    "light"
                },
            );
        }
    });

    view! {
        <a class="skip-link" href="#plot">"Skip to plot"</a>
        <header class="top">
            <div>
                <h1>"blobscale"</h1>
                <p class="tagline">"How k-means scales — in your browser, on every core."</p>
            </div>
            <button id="theme" type="button" on:click=move |_| state.theme.update(|t| *t = if *t == Theme::Dark { Theme::Light } else { Theme::Dark })>
                {move || if state.theme.get() == Theme::Dark { "Light theme" } else { "Dark theme" }}
            </button>
        </header>
        <main class="layout">
            <section class="figure panel" aria-label="Plot and result">
                <Later stage=1><QuickControls /></Later>
                <Later stage=2><PlotCanvas /></Later>
                <Later stage=3><super::replay_panel::ReplayPanel /></Later>
                <Later stage=4><ResultLines /></Later>
            </section>
            <div class="sidebar">
                <Later stage=5><Controls /></Later>
                <Later stage=6><super::import_panel::ImportPanel /></Later>
            </div>
            <div class="rest">
                <section class="panel" aria-labelledby="pipeline-heading">
                    <h2 id="pipeline-heading">"Pipeline"</h2>
                    <Later stage=7><PipelineView /></Later>
                    <p class="legend">"Inputs, grouped by the step that reads them, feed the task nodes; under each task is the data node it writes. An edited input is orange; a dashed node is stale: the next run recomputes it. Tab to the graph, then arrow keys move between nodes and Enter opens one."</p>
                    <h2>"Task stream"</h2>
                    <Later stage=9><TaskStream /></Later>
                </section>
                <Later stage=10><ScenarioPanel /></Later>
                <Later stage=11><Decks /></Later>
                <Later stage=12><SweepPanel /></Later>
                <Later stage=13><ExportPanel /></Later>
                <Later stage=14>
                    <section class="panel" aria-label="Run details">
                        <details>
                            <summary>"Run details (JSON)"</summary>
                            <pre id="result">{move || state.shown.get().map(|s| result_json(&state, &s))}</pre>
                        </details>
                    </section>
                </Later>
            </div>
        </main>
        <Later stage=15><StatusBar /><super::offline::UpdateNotice /></Later>
    }
}
