//! The pipeline graph (Taipy's DAG view): every task node with its state — running with
//! progress, fresh, reused, backdated, stale, idle, failed — and its time. Clicking a node
//! opens its deck.

use leptos::prelude::*;

use super::format;
use super::state::{AppState, RunState};
use crate::pipeline::display::graph_layout::{GraphLayout, NODE_HEIGHT, NODE_WIDTH};
use crate::pipeline::display::staleness::stale_tasks;
use crate::pipeline::graph::{TASKS, TaskId};
use crate::pipeline::jobs::progress::ProgressSnapshot;
use crate::pipeline::{NodeState, Plan};

/// Which task nodes are stale, computed once per change for the graph and the decks
/// (provided as context by the page).
#[derive(Clone, Copy)]
pub(super) struct StaleNodes(pub Memo<[bool; TaskId::COUNT]>);

impl StaleNodes {
    /// The memo of [`stale_nodes`] over `state`.
    pub(super) fn new(state: AppState) -> Self {
        StaleNodes(Memo::new(move |_| stale_nodes(&state)))
    }
}

/// Tasks whose shown result a run of the edited inputs would not keep, by the engine's
/// memo keys. Invalid inputs mark none: no evaluation would start, and the run state says
/// why.
fn stale_nodes(state: &AppState) -> [bool; TaskId::COUNT] {
    let plan = state.inputs.with(Plan::new);
    state.shown.with(|shown| match (shown, plan) {
        (Some(shown), Ok(plan)) => stale_tasks(&plan, &shown.outcome.meta.summary.nodes),
        _ => [false; TaskId::COUNT],
    })
}

/// The DAG.
#[component]
pub fn PipelineView() -> impl IntoView {
    let state = expect_context::<AppState>();
    let layout = GraphLayout::new();
    let (width, height) = (layout.width, layout.height);
    let edges: Vec<(TaskId, TaskId)> = TASKS
        .iter()
        .flat_map(|s| s.upstream.iter().map(move |&u| (u, s.id)))
        .collect();

    let StaleNodes(stale) = expect_context::<StaleNodes>();
    // The progress of node `t` while it runs.
    let running = move |t: TaskId| -> Option<ProgressSnapshot> {
        let p = state.live.get()?.progress;
        (state.shown_run.get() == RunState::Running && p.running && p.task == Some(t)).then_some(p)
    };
    let node_state = move |t: TaskId| -> (String, String) {
        let run = state.shown_run.get();
        if let Some(p) = running(t) {
            let pct = p.percent().unwrap_or(0);
            return ("running".into(), format!("running {pct}%"));
        }
        if stale.get()[t.index()] {
            return (
                "stale".into(),
                if run == RunState::Running {
                    "queued".into()
                } else {
                    "stale".into()
                },
            );
        }
        if let RunState::Failed(_) = run {
            return ("failed".into(), "failed".into());
        }
        let Some(shown) = state.shown.get() else {
            return ("idle".into(), "—".into());
        };
        let report = shown.outcome.meta.summary.node(t).clone();
        match report.state {
            NodeState::Computed => (
                "fresh".into(),
                format!("computed {}", format::ms(report.ms)),
            ),
            NodeState::Backdated => (
                "backdated".into(),
                format!("same output {}", format::ms(report.ms)),
            ),
            NodeState::Reused | NodeState::Known => ("reused".into(), "reused".into()),
            NodeState::PassThrough => ("pass".into(), "pass-through".into()),
            NodeState::Idle => ("idle".into(), "not needed".into()),
        }
    };

    view! {
        <svg id="pipeline" class="pipeline" viewBox=format!("0 0 {width} {height}") role="img" aria-label="Pipeline graph">
            <defs>
                <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
                    <path d="M 0 0 L 10 5 L 0 10 z" class="edge-head" />
                </marker>
            </defs>
            {edges.into_iter().map(|(from, to)| {
                let e = layout.edge(from, to);
                let ((x1, y1), (x2, y2), mid) = (e.start, e.end, e.bend_x());
                view! { <path class="edge" marker-end="url(#arrow)" d=format!("M {x1} {y1} C {mid} {y1}, {mid} {y2}, {x2} {y2}") /> }
            }).collect_view()}
            {TaskId::ALL.into_iter().map(|t| {
                let (x, y) = layout.position(t);
                let spec = t.spec();
                let title = format!(
                    "{} (v{}) → {}; reads {}",
                    t.name(),
                    spec.version,
                    spec.output,
                    spec.inputs.iter().map(|i| i.name()).chain(spec.upstream.iter().map(|u| u.name())).collect::<Vec<_>>().join(", ")
                );
                view! {
                    <g
                        class=move || format!("node node-{} {}", node_state(t).0, if state.deck.get() == t { "selected" } else { "" })
                        id=format!("node-{}", t.name())
                        data-state=move || node_state(t).0
                        transform=format!("translate({x} {y})")
                        on:click=move |_| state.deck.set(t)
                        on:keydown=move |ev: web_sys::KeyboardEvent| {
                            // A focused node opens its deck from the keyboard, as a button does.
                            if matches!(ev.key().as_str(), "Enter" | " ") {
                                ev.prevent_default();
                                state.deck.set(t);
                            }
                        }
                        tabindex="0"
                        role="button"
                    >
                        <title>{title}</title>
                        <rect width=NODE_WIDTH.to_string() height=NODE_HEIGHT.to_string() rx="6" />
                        <text x="10" y="19" class="node-name">{t.name()}</text>
                        <text x="10" y="36" class="node-detail">{move || node_state(t).1}</text>
                        {move || running(t).and_then(|p| p.percent()).map(|pct| view! {
                            <rect class="node-progress" x="6" y=(NODE_HEIGHT - 7.0).to_string() height="3" rx="1.5"
                                width=format!("{:.1}", (NODE_WIDTH - 12.0) * pct as f64 / 100.0)
                                role="progressbar" aria-label=format!("{} progress", t.name())
                                aria-valuemin="0" aria-valuemax="100" aria-valuenow=pct.to_string() />
                        })}
                    </g>
                }
            }).collect_view()}
        </svg>
    }
}
