//! The pipeline graph (Taipy's DAG view): every task node with its state — running with
//! progress, fresh, reused, backdated, stale, idle, failed — and its time. Clicking a node
//! opens its deck.

use leptos::prelude::*;

use super::format;
use super::state::{AppState, RunState};
use crate::pipeline::NodeState;
use crate::pipeline::graph::{TASKS, TaskId};
use crate::pipeline::inputs::InputId;

const NODE_W: f64 = 112.0;
const NODE_H: f64 = 46.0;
const COL_GAP: f64 = 34.0;
const ROW_GAP: f64 = 14.0;

/// Column of each task: one more than its deepest upstream task.
fn depths() -> [usize; TaskId::COUNT] {
    let mut d = [0; TaskId::COUNT];
    for spec in &TASKS {
        d[spec.id.index()] = spec
            .upstream
            .iter()
            .map(|u| d[u.index()] + 1)
            .max()
            .unwrap_or(0);
    }
    d
}

/// Node positions (top-left corners) and the SVG's size.
fn layout() -> ([(f64, f64); TaskId::COUNT], f64, f64) {
    let d = depths();
    let mut rows = [0usize; TaskId::COUNT];
    let mut pos = [(0.0, 0.0); TaskId::COUNT];
    for t in TaskId::ALL {
        let col = d[t.index()];
        let row = rows[col];
        rows[col] += 1;
        pos[t.index()] = (
            8.0 + col as f64 * (NODE_W + COL_GAP),
            8.0 + row as f64 * (NODE_H + ROW_GAP),
        );
    }
    let cols = d.iter().max().map_or(1, |m| m + 1);
    let max_rows = rows.iter().copied().max().unwrap_or(1);
    (
        pos,
        16.0 + cols as f64 * (NODE_W + COL_GAP) - COL_GAP,
        16.0 + max_rows as f64 * (NODE_H + ROW_GAP) - ROW_GAP,
    )
}

/// Tasks whose result no longer matches the edited inputs.
fn stale_tasks(state: &AppState) -> [bool; TaskId::COUNT] {
    let mut stale = [false; TaskId::COUNT];
    let Some(shown) = state.shown.get() else {
        return stale;
    };
    let now = state.inputs.get().values();
    let then = shown.inputs.values();
    let changed = |i: &InputId| now[i.index()] != then[i.index()];
    for spec in &TASKS {
        stale[spec.id.index()] =
            spec.inputs.iter().any(changed) || spec.upstream.iter().any(|u| stale[u.index()]);
    }
    stale
}

/// The DAG.
#[component]
pub fn PipelineView() -> impl IntoView {
    let state = expect_context::<AppState>();
    let (pos, width, height) = layout();
    let edges: Vec<(TaskId, TaskId)> = TASKS
        .iter()
        .flat_map(|s| s.upstream.iter().map(move |&u| (u, s.id)))
        .collect();

    let stale = Memo::new(move |_| stale_tasks(&state));
    let node_state = move |t: TaskId| -> (String, String) {
        let run = state.shown_run.get();
        if run == RunState::Running
            && let Some(live) = state.live.get()
            && live.progress.running
            && live.progress.task == Some(t)
        {
            let p = &live.progress;
            let pct = (100 * p.done).checked_div(p.total).unwrap_or(0);
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
                let (fx, fy) = pos[from.index()];
                let (tx, ty) = pos[to.index()];
                let (x1, y1, x2, y2) = (fx + NODE_W, fy + NODE_H / 2.0, tx, ty + NODE_H / 2.0);
                let mid = (x1 + x2) / 2.0;
                view! { <path class="edge" marker-end="url(#arrow)" d=format!("M {x1} {y1} C {mid} {y1}, {mid} {y2}, {x2} {y2}") /> }
            }).collect_view()}
            {TaskId::ALL.into_iter().map(|t| {
                let (x, y) = pos[t.index()];
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
                        tabindex="0"
                        role="button"
                    >
                        <title>{title}</title>
                        <rect width=NODE_W.to_string() height=NODE_H.to_string() rx="6" />
                        <text x="10" y="19" class="node-name">{t.name()}</text>
                        <text x="10" y="36" class="node-detail">{move || node_state(t).1}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
    }
}
