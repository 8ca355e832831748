//! The pipeline graph (Taipy's picture of a scenario): the input nodes grouped by the
//! step that reads them, every task node with its state — running with progress, pending
//! (the internal indices, after the result), fresh, reused, backdated, stale, idle, failed — and its time, and under each task the data
//! node it writes, in the same state. Clicking a node, or Enter or Space on it, opens the
//! deck of its task (an input's first reader).

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::format;
use super::staged::Later;
use super::state::{AppState, RunState};
use crate::pipeline::display::graph_layout::{
    DATA_HEIGHT, GROUP_PAD, GraphLayout, NODE_HEIGHT, NODE_WIDTH, NodeRef,
};
use crate::pipeline::display::input_marks::{InputMark, input_marks};
use crate::pipeline::display::staleness::stale_tasks;
use crate::pipeline::graph::input_groups::InputGroup;
use crate::pipeline::graph::inputs::InputId;
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

/// Each input node's mark against the shown result (provided as context by the page).
#[derive(Clone, Copy)]
pub(super) struct InputMarks(pub Memo<[InputMark; InputId::COUNT]>);

impl InputMarks {
    /// The memo of [`input_marks`] over `state`; invalid inputs mark none.
    pub(super) fn new(state: AppState) -> Self {
        InputMarks(Memo::new(move |_| {
            let now = state.inputs.with(Plan::new);
            let shown = state
                .shown
                .with(|s| s.as_ref().and_then(|s| Plan::new(&s.inputs).ok()));
            now.map_or([InputMark::Same; InputId::COUNT], |now| {
                input_marks(&now, shown.as_ref())
            })
        }))
    }
}

/// A focused node opens `deck` from the keyboard, as a button does.
fn open_on_key(state: AppState, deck: TaskId) -> impl Fn(web_sys::KeyboardEvent) {
    move |ev: web_sys::KeyboardEvent| {
        if matches!(ev.key().as_str(), "Enter" | " ") {
            ev.prevent_default();
            state.deck.set(deck);
        }
    }
}

/// The id of a data node's element: `data-` and its name, dashed.
fn data_node_id(t: TaskId) -> String {
    format!("data-{}", t.spec().output.replace(' ', "-"))
}

/// Every focusable node's element id, in the order the arrow keys walk them: the inputs
/// group by group, then each task followed by its data node.
fn focus_order() -> Vec<String> {
    let inputs = InputGroup::ALL
        .into_iter()
        .flat_map(|g| g.inputs().iter().map(|i| format!("input-{}", i.name())));
    let tasks = TaskId::ALL
        .into_iter()
        .flat_map(|t| [format!("node-{}", t.name()), data_node_id(t)]);
    inputs.chain(tasks).collect()
}

/// The graph is one stop in the tab order (a toolbar with a roving tab stop, the ARIA
/// pattern for a group of many buttons): arrow keys move between its nodes, Home and End go
/// to the first and last, and the node left focused is where Tab comes back to.
fn move_focus(ev: &web_sys::KeyboardEvent, order: &[String], current: RwSignal<String>) {
    let at = order
        .iter()
        .position(|id| *id == current.get_untracked())
        .unwrap_or(0);
    let next = match ev.key().as_str() {
        "ArrowRight" | "ArrowDown" => (at + 1).min(order.len() - 1),
        "ArrowLeft" | "ArrowUp" => at.saturating_sub(1),
        "Home" => 0,
        "End" => order.len() - 1,
        _ => return,
    };
    ev.prevent_default();
    if let Some(el) = document()
        .get_element_by_id(&order[next])
        .and_then(|e| e.dyn_into::<web_sys::SvgElement>().ok())
    {
        let _ = el.focus();
    }
}

/// The DAG.
#[component]
pub fn PipelineView() -> impl IntoView {
    let state = expect_context::<AppState>();
    let layout = GraphLayout::new();
    let (width, height) = (layout.width, layout.height);
    let StaleNodes(stale) = expect_context::<StaleNodes>();
    let InputMarks(marks) = expect_context::<InputMarks>();
    let order = StoredValue::new(focus_order());
    let tab_stop = RwSignal::new(format!("node-{}", TaskId::Generate.name()));
    let stop = move |id: String| move || if tab_stop.get() == id { "0" } else { "-1" };
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
        let pending = state.shown.with(|s| {
            s.as_ref()
                .is_some_and(|s| t == TaskId::Quality && s.outcome.meta.summary.quality_pending())
        });
        if pending {
            return ("pending".into(), "pending…".into());
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
        <svg id="pipeline" class="pipeline" viewBox=format!("0 0 {width} {height}") role="toolbar"
            aria-label="Pipeline graph: inputs, tasks and the data they write"
            on:keydown=move |ev: web_sys::KeyboardEvent| order.with_value(|o| move_focus(&ev, o, tab_stop))>
            <defs>
                <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
                    <path d="M 0 0 L 10 5 L 0 10 z" class="edge-head" />
                </marker>
            </defs>
            {layout.edges().into_iter().map(|e| {
                let class = match (e.from, e.to) {
                    (NodeRef::Group(_), _) => "edge edge-input",
                    (NodeRef::Task(_), _) => "edge edge-output",
                    _ => "edge",
                };
                view! { <path class=class marker-end="url(#arrow)" d=e.path() /> }
            }).collect_view()}
            // The input nodes are built a stage after the rest (app/staged.rs).
            <Later stage=8>
                {InputGroup::ALL.into_iter().map(|g| {
                    let r = layout.groups[g.index()];
                    view! {
                        <g class="input-group" id=format!("group-{}", g.name())>
                            <rect x=r.x.to_string() y=r.y.to_string() width=r.width.to_string() height=r.height.to_string() rx="8" />
                            <text x=(r.x + GROUP_PAD).to_string() y=(r.y + 12.0).to_string() class="group-title">{g.title()}</text>
                        </g>
                    }
                }).collect_view()}
                {InputId::ALL.into_iter().map(|i| {
                    let r = layout.inputs[i.index()];
                    let readers: Vec<TaskId> = TASKS.iter().filter(|t| t.inputs.contains(&i)).map(|t| t.id).collect();
                    let first = readers[0];
                    let read_by = readers.iter().map(|t| t.name()).collect::<Vec<_>>().join(", ");
                    let mark = move || marks.get()[i.index()];
                    let title = move || {
                        let value = state.inputs.with(|s| s.values()[i.index()].1.to_string());
                        let value: String = if value.chars().count() > 60 {
                            value.chars().take(59).chain(['…']).collect()
                        } else {
                            value
                        };
                        let note = match mark() {
                            InputMark::Edited => "; edited since the shown run",
                            InputMark::Unread => "; not read: a file is the data",
                            InputMark::Same => "",
                        };
                        format!("{} ({}) = {value}; read by {read_by}{note}", i.label(), i.name())
                    };
                    view! {
                        <g class=move || format!("input-node input-{}", mark().name())
                            id=format!("input-{}", i.name())
                            data-state=move || mark().name()
                            on:click=move |_| state.deck.set(first)
                            on:keydown=open_on_key(state, first)
                            on:focus=move |_| tab_stop.set(format!("input-{}", i.name()))
                            tabindex=stop(format!("input-{}", i.name())) role="button">
                            <title>{title}</title>
                            <rect x=r.x.to_string() y=r.y.to_string() width=r.width.to_string() height=r.height.to_string() rx="9" />
                            <text x=(r.x + GROUP_PAD).to_string() y=(r.y + 13.0).to_string()>{i.name()}</text>
                        </g>
                    }
                }).collect_view()}
            </Later>
            {TaskId::ALL.into_iter().map(|t| {
                let r = layout.data[t.index()];
                let output = t.spec().output;
                view! {
                    <g class=move || format!("data-node data-{}", node_state(t).0)
                        id=data_node_id(t)
                        data-state=move || node_state(t).0
                        on:click=move |_| state.deck.set(t)
                        on:keydown=open_on_key(state, t)
                        on:focus=move |_| tab_stop.set(data_node_id(t))
                        tabindex=stop(data_node_id(t)) role="button">
                        <title>{move || format!("{output}: written by {} ({})", t.name(), node_state(t).1)}</title>
                        <rect x=r.x.to_string() y=r.y.to_string() width=r.width.to_string() height=DATA_HEIGHT.to_string() rx=(DATA_HEIGHT / 2.0).to_string() />
                        <text x=(r.x + r.width / 2.0).to_string() y=(r.y + 15.0).to_string() text-anchor="middle">{output}</text>
                    </g>
                }
            }).collect_view()}
            {TaskId::ALL.into_iter().map(|t| {
                let r = layout.tasks[t.index()];
                let (x, y) = (r.x, r.y);
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
                        on:keydown=open_on_key(state, t)
                        on:focus=move |_| tab_stop.set(format!("node-{}", t.name()))
                        tabindex=stop(format!("node-{}", t.name()))
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
