//! The k sweep (dask-ml's merged grid search, Orange's "pick k by a score"): one family of
//! scenarios over a range of k (and seeds) sharing the cached dataset, with elbow,
//! silhouette, Calinski–Harabasz and Davies–Bouldin curves and the best k by each marked.
//! Clicking a k opens that scenario in the main view.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use leptos::prelude::*;

use super::fields::NumberField;
use super::format;
use super::scenarios;
use super::state::AppState;
use crate::limits;
use crate::pipeline::ScenarioInputs;
use crate::pipeline::display::chart_layout::ChartFrame;
use crate::pipeline::scenarios::sweep::{SweepRow, SweepSpec, SweepTable};
use crate::web::compute;
use crate::web::environment::Flavour;

const W: f64 = 300.0;
const H: f64 = 130.0;
const PAD: f64 = 28.0;
const FRAME: ChartFrame = ChartFrame {
    width: W,
    height: H,
    pad: PAD,
};

/// One criterion's curve over k, with its best k ringed.
fn criterion_chart(
    id: &'static str,
    title: &'static str,
    rows: &[SweepRow],
    value: fn(&SweepRow) -> Option<f64>,
    best: Option<usize>,
) -> impl IntoView + use<> {
    let pts: Vec<(usize, f64)> = rows
        .iter()
        .filter_map(|r| value(r).map(|v| (r.k, v)))
        .collect();
    let (k0, k1) = (
        rows.first().map_or(0, |r| r.k),
        rows.last().map_or(1, |r| r.k),
    );
    let scale = FRAME.series((k0 as f64, k1 as f64), pts.iter().map(|p| p.1));
    let xy = move |k: usize, v: f64| scale.at(k as f64, v);
    let line = pts
        .iter()
        .map(|&(k, v)| {
            let (x, y) = xy(k, v);
            format!("{x:.1},{y:.1}")
        })
        .collect::<Vec<_>>()
        .join(" ");
    let marker = best
        .and_then(|b| pts.iter().find(|p| p.0 == b))
        .map(|&(k, v)| {
            let (x, y) = xy(k, v);
            view! { <circle class="best" cx=format!("{x:.1}") cy=format!("{y:.1}") r="6" /> }
        });
    view! {
        <figure class="sweep-chart">
            <figcaption>{title} " — best k: " <strong id=format!("{id}-best")>{best.map_or("—".to_string(), |k| k.to_string())}</strong></figcaption>
            <svg id=id class="chart" viewBox=format!("0 0 {W} {H}")>
                <line class="axis" x1=PAD.to_string() y1=(H - PAD).to_string() x2=(W - PAD).to_string() y2=(H - PAD).to_string() />
                <polyline class="series" points=line />
                {pts.iter().map(|&(k, v)| { let (x, y) = xy(k, v); view! { <circle class="dot" cx=format!("{x:.1}") cy=format!("{y:.1}") r="2.5" /> } }).collect_view()}
                {marker}
                <text class="axis-label" x=PAD.to_string() y=(H - 8.0).to_string()>{format!("k = {k0}")}</text>
                <text class="axis-label" x=(W - PAD).to_string() y=(H - 8.0).to_string() text-anchor="end">{format!("k = {k1}")}</text>
            </svg>
        </figure>
    }
}

/// Sweep controls, curves and table.
#[component]
pub fn SweepPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let k_from = RwSignal::new(2.0);
    let k_to = RwSignal::new(12.0);
    let seeds = RwSignal::new(1.0);
    let table = RwSignal::new(None::<SweepTable>);
    let error = RwSignal::new(None::<String>);
    // The running sweep's cancel flag (Stop sets it).
    let cancel = StoredValue::new(Arc::new(AtomicBool::new(false)));
    // Where the last sweep was stopped: (scenario reached, scenarios).
    let stopped = RwSignal::new(None::<(u32, u32)>);
    let stoppable = Flavour::current() == Flavour::Threaded;

    let run = move |_| {
        let (from, to) = (
            k_from.get_untracked() as usize,
            k_to.get_untracked() as usize,
        );
        if from > to {
            error.set(Some(format!(
                "k from = {from} is above k to = {to}: allowed from ≤ to"
            )));
            return;
        }
        let base = state.inputs.get_untracked();
        let base_seed = base.kmeans_seed;
        let spec = SweepSpec::k_range(base, from..=to).with_seeds(
            (0..seeds.get_untracked() as u64)
                .map(|s| base_seed + s)
                .collect(),
        );
        error.set(None);
        stopped.set(None);
        state.sweeping.set(true);
        let flag = Arc::new(AtomicBool::new(false));
        cancel.set_value(flag.clone());
        leptos::task::spawn_local(async move {
            let result = compute::sweep(spec, flag).await;
            state.sweeping.set(false);
            match result {
                Ok(t) => table.set(Some(t)),
                Err(e) if e.is_cancellation() => stopped.set(Some(
                    state
                        .live
                        .get_untracked()
                        .map_or((0, 0), |l| (l.progress.step + 1, l.progress.steps)),
                )),
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    // A clicked k opens as a scenario of its own (reused when clicked again), so the
    // scenario being edited keeps its parameters.
    let open_k = move |k: usize| {
        state.coupled.set(false);
        let base = state.inputs.get_untracked();
        let base_name = state.book.with_untracked(|b| {
            b.get(state.current.get_untracked())
                .map(|s| s.name.clone())
                .unwrap_or_default()
        });
        let base_name = base_name
            .split(" · sweep k = ")
            .next()
            .unwrap_or_default()
            .to_string();
        let name: String = format!("{base_name} · sweep k = {k}")
            .chars()
            .take(crate::pipeline::scenarios::scenario::MAX_NAME_CHARS)
            .collect();
        if let Err(e) = scenarios::open_variant(state, &name, ScenarioInputs { k, ..base }) {
            error.set(Some(e));
        }
    };

    view! {
        <section class="panel sweep" aria-label="k sweep">
            <h2>"k sweep"</h2>
            <div class="row">
                <NumberField id="sweep-from" label="k from" limit=limits::K.named("k from") step="1"
                    value=Signal::derive(move || k_from.get()) set=Callback::new(move |v| k_from.set(v)) />
                <NumberField id="sweep-to" label="k to" limit=limits::K.named("k to") step="1"
                    value=Signal::derive(move || k_to.get()) set=Callback::new(move |v| k_to.set(v)) />
                <NumberField id="sweep-seeds" label="seeds per k" limit=limits::SWEEP_SEEDS step="1"
                    value=Signal::derive(move || seeds.get()) set=Callback::new(move |v| seeds.set(v)) />
                <button id="run-sweep" type="button" class="primary" disabled=move || state.sweeping.get() on:click=run>"Run sweep"</button>
                <button id="stop-sweep" type="button" disabled=move || !(stoppable && state.sweeping.get())
                    title=if stoppable { "Stop the sweep at the next chunk" } else { "The single-threaded build computes in one worker that cannot be interrupted" }
                    on:click=move |_| cancel.with_value(|c| c.store(true, Ordering::Relaxed))>"Stop"</button>
            </div>
            {move || {
                let p = state.live.get().map(|l| l.progress).filter(|p| p.steps > 1)?;
                state.sweeping.get().then(|| view! {
                    <progress id="sweep-progress" max=p.steps.to_string() value=p.step.to_string()
                        aria-label="Sweep progress">{format!("{} of {}", p.step, p.steps)}</progress>
                })
            }}
            <p id="sweep-status" class="muted" data-generated=move || table.with(|t| t.as_ref().map_or(0, |t| t.rows.iter().filter(|r| r.generated).count())).to_string() data-state=move || if state.sweeping.get() { "running" } else if stopped.with(|s| s.is_some()) { "stopped" } else if table.with(|t| t.is_some()) { "done" } else { "idle" }>
                {move || {
                    if let Some(e) = error.get() {
                        return format!("Error: {e}");
                    }
                    if let Some((at, of)) = stopped.get() {
                        return format!(
                            "Sweep stopped at scenario {at} of {of}: nothing of it is shown, and the members it finished stay in the memo store."
                        );
                    }
                    if state.sweeping.get() {
                        return match state.live.get().map(|l| l.progress).filter(|p| p.steps > 1) {
                            Some(p) => format!("Sweeping: scenario {} of {}…", p.step + 1, p.steps),
                            None => "Sweeping…".to_string(),
                        };
                    }
                    match table.get() {
                        Some(t) => {
                            let generated = t.rows.iter().filter(|r| r.generated).count();
                            format!(
                                "{} scenarios on one dataset ({}). Click a k to open it as a scenario.",
                                t.rows.len(),
                                match generated {
                                    0 => "reused from the memo store by every member".to_string(),
                                    1 => format!("generated once, reused by the other {}", t.rows.len() - 1),
                                    n => format!("generated {n} times"),
                                }
                            )
                        }
                        None => "Fits every k in the range on the current dataset (generated once).".to_string(),
                    }
                }}
            </p>
            {move || table.get().map(|t| {
                let b = t.best;
                view! {
                    <div class="sweep-charts">
                        {criterion_chart("sweep-elbow", "Inertia (elbow)", &t.per_k, |r| Some(r.inertia), b.inertia_elbow)}
                        {criterion_chart("sweep-silhouette", "Silhouette (higher is better)", &t.per_k, |r| r.silhouette, b.silhouette)}
                        {criterion_chart("sweep-ch", "Calinski–Harabasz (higher is better)", &t.per_k, |r| r.calinski_harabasz, b.calinski_harabasz)}
                        {criterion_chart("sweep-db", "Davies–Bouldin (lower is better)", &t.per_k, |r| r.davies_bouldin, b.davies_bouldin)}
                    </div>
                    <table id="sweep-table" class="facts sweep-table">
                        <thead><tr><th>"k"</th><th>"inertia"</th><th>"silhouette"</th><th>"CH"</th><th>"DB"</th><th>"ARI"</th><th>"iterations"</th></tr></thead>
                        <tbody>
                            {t.per_k.iter().map(|r| {
                                let k = r.k;
                                let best = [b.inertia_elbow, b.silhouette, b.calinski_harabasz, b.davies_bouldin].contains(&Some(k));
                                view! {
                                    <tr class:best=best data-k=k.to_string() on:click=move |_| open_k(k)>
                                        <td><button type="button" class="link" aria-label=format!("Open the scenario with k = {k}")>{k.to_string()}</button></td>
                                        <td>{format::score(Some(r.inertia))}</td>
                                        <td>{format::score(r.silhouette)}</td>
                                        <td>{format::score(r.calinski_harabasz)}</td>
                                        <td>{format::score(r.davies_bouldin)}</td>
                                        <td>{format::score(Some(r.adjusted_rand))}</td>
                                        <td>{r.n_iter.to_string()}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }
            })}
        </section>
    }
}
