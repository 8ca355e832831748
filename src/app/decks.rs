//! Decks (Flyte Decks): one panel per task node with what that node produced — tables,
//! curves and bars — opened by clicking the node in the pipeline graph.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::charts::{bar_chart, histograms, line_chart};
use super::format;
use super::state::{AppState, Shown};
use crate::cluster::Convergence;
use crate::pipeline::display::explanation;
use crate::pipeline::engine::evaluation::ViewSummary;
use crate::pipeline::graph::TaskId;
use crate::pipeline::jobs::job::JobStatus;
use crate::pipeline::render::dataset_profile::{DatasetProfile, HISTOGRAM_BINS};

fn row(name: &'static str, value: String) -> impl IntoView {
    view! { <tr><th scope="row">{name}</th><td>{value}</td></tr> }
}

fn centres_table(id: &'static str, centres: &[[f64; 2]], v: &ViewSummary) -> impl IntoView {
    let name = |label: &str, f: usize| {
        if label.is_empty() {
            format!("feature {f}")
        } else {
            label.to_string()
        }
    };
    let (x, y) = (name(&v.x_label, v.feature_x), name(&v.y_label, v.feature_y));
    view! {
        <table id=id class="centres">
            <thead><tr><th>"#"</th><th>{x}</th><th>{y}</th></tr></thead>
            <tbody>
                {centres.iter().enumerate().map(|(i, c)| view! {
                    <tr><td><span class=format!("swatch cluster-{}", i % 20)></span>{i.to_string()}</td><td>{format!("{:.4}", c[0])}</td><td>{format!("{:.4}", c[1])}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// The first rows, every feature, with the true label.
fn first_rows_table(p: &DatasetProfile) -> impl IntoView {
    let d = p.n_features;
    view! {
        <div class="table-scroll">
            <table id="deck-first-rows" class="first-rows">
                <thead><tr>
                    <th>"row"</th>
                    {(0..d).map(|j| view! { <th>{format!("f{j}")}</th> }).collect_view()}
                    <th>"label"</th>
                </tr></thead>
                <tbody>
                    {p.first_rows.iter().map(|r| view! {
                        <tr>
                            <td>{r.row.to_string()}</td>
                            {r.values.iter().map(|v| view! { <td>{format!("{v:.4}")}</td> }).collect_view()}
                            <td>{r.label.map_or("—".to_string(), |l| l.to_string())}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Histograms and first rows, or why they are missing.
fn profile_view(p: Option<&DatasetProfile>) -> AnyView {
    match p {
        None => view! { <p class="muted">"No profile in this result (saved before profiles, or a sweep)."</p> }.into_any(),
        Some(p) => view! {
            <h3>{if p.n_features > p.histograms.len() {
                format!("Histograms of the first {} of {} features ({HISTOGRAM_BINS} bins over [min, max])", p.histograms.len(), p.n_features)
            } else {
                format!("Histograms ({HISTOGRAM_BINS} bins over [min, max])")
            }}</h3>
            {histograms("deck-histograms", &p.histograms)}
            <h3>{format!("First {} rows", p.first_rows.len())}</h3>
            {first_rows_table(p)}
        }.into_any(),
    }
}

/// What the canvas's plane is.
fn axes_facts(v: &ViewSummary) -> impl IntoView + use<> {
    let ratio = v.explained_variance_ratio;
    view! {
        <table id="deck-axes" class="facts">
            {row("horizontal", v.x_label.clone())}
            {row("vertical", v.y_label.clone())}
            {ratio.map(|r| row("variance explained by the plane", format!("{:.1} %", 100.0 * (r[0] + r[1]))))}
        </table>
    }
}

/// The deck of `task` for a shown result; only the job line follows the job log (it
/// changes on every progress poll, the rest only with the result).
fn deck_body(
    task: TaskId,
    shown: &Shown,
    stale: Signal<bool>,
    job_line: impl Fn() -> String + Send + Sync + 'static,
) -> AnyView {
    let s = &shown.outcome.meta.summary;
    let d = &s.dataset;
    let f = &s.fit;
    let m = &s.metrics;
    let report = s.node(task);
    let facts = format!("{:?} · {}", report.state, format::ms(report.ms));
    let state = report.state;
    let pending = task == TaskId::Quality && s.quality_pending();
    let header = view! {
        <p id="deck-caption" class="deck-caption">{explanation::caption(task, &shown.inputs)}</p>
        <p id="deck-reason" class="deck-reason" data-stale=move || stale.get().to_string()>
            {move || explanation::reason(state, stale.get(), pending)}
        </p>
        <p class="deck-meta">{move || format!("{facts} · {}", job_line())}</p>
    };
    let body = match task {
        TaskId::Generate => view! {
            <table class="facts">
                {row("samples", format::thousands(d.n_samples as u64))}
                {row("features", d.n_features.to_string())}
                {row("chunks", format!("{} × {} rows", d.n_chunks, format::thousands(d.chunk_rows as u64)))}
                {row("memory", format::bytes(d.nbytes))}
                {row("data seed", shown.inputs.data_seed.to_string())}
            </table>
            <h3>"True centres"</h3>
            {s.view.as_ref().map(|v| centres_table("deck-true-centres", &v.true_centres, v))}
            {profile_view(s.profile.as_ref())}
        }.into_any(),
        TaskId::Profile => view! {
            <table class="facts">
                {row("rows profiled", format::thousands(d.n_samples as u64))}
                {row("how", "two chunk-parallel passes (min/max, then bin counts), memoised with the dataset".to_string())}
            </table>
            {profile_view(s.profile.as_ref())}
        }.into_any(),
        TaskId::Project => view! {
            <p class="muted">"Two chosen features, or the first two principal components (covariance in one chunk-parallel pass, Jacobi eigenvectors, scikit-learn's sign convention)."</p>
            {s.view.as_ref().map(axes_facts)}
        }.into_any(),
        TaskId::Sample => view! {
            <table class="facts">
                {row("fitted on", format!("{} of {} rows", format::thousands(f.trained_on as u64), format::thousands(d.n_samples as u64)))}
                {row("mode", if f.trained_on < d.n_samples { "seeded sample, then predict every row (dask-ml ParallelPostFit)".into() } else { "whole dataset".to_string() })}
            </table>
        }.into_any(),
        TaskId::Seed => {
            let st = &f.seeding;
            let candidates: Vec<f64> = st.candidates_per_round.iter().map(|&c| c as f64).collect();
            view! {
                <table class="facts">
                    {row("method", st.method.clone())}
                    {row("rounds", st.candidates_per_round.len().saturating_sub(1).to_string())}
                    {row("distinct candidates", format::thousands(st.n_candidates as u64))}
                    {row("padded at random", st.padded.to_string())}
                    {row("recluster inertia", format::score(st.recluster_inertia))}
                </table>
                <h3>"Candidates per round"</h3>
                {bar_chart("deck-candidates", &candidates, |_| "bar-plain".to_string())}
                <h3>"Cost φ after each round"</h3>
                {line_chart("deck-seed-cost", &st.cost_per_round, "round")}
            }.into_any()
        }
        TaskId::Fit => {
            let sizes: Vec<f64> = m.cluster_sizes.iter().map(|&c| c as f64).collect();
            view! {
                <table class="facts">
                    {row("k", f.k.to_string())}
                    {row("iterations", f.n_iter.to_string())}
                    {row("stopped by", match f.convergence {
                        Convergence::Strict => "no label changed".to_string(),
                        Convergence::Tolerance => format!("centre shift ≤ tol ({})", shown.inputs.tol),
                        Convergence::MaxIter => format!("max_iter ({})", shown.inputs.max_iter),
                    })}
                    {row("inertia (training rows)", format::score(Some(f.inertia)))}
                    {row("empty clusters relocated", f.relocated.to_string())}
                </table>
                <h3>"Convergence: inertia per iteration"</h3>
                {line_chart("deck-convergence", &f.inertia_curve, "iteration")}
                <h3>"Cluster sizes"</h3>
                {bar_chart("deck-sizes", &sizes, |i| format!("cluster-{}", i % 20))}
                <h3>"Centroids"</h3>
                {s.view.as_ref().map(|v| centres_table("deck-centroids", &v.fitted_centres, v))}
            }.into_any()
        }
        TaskId::Predict => view! {
            <table class="facts">
                {row("rows labelled", format::thousands(d.n_samples as u64))}
                {row("how", if f.trained_on < d.n_samples { "chunk-parallel predict against the fitted centres".to_string() } else { "labels come from the fit itself".to_string() })}
            </table>
        }.into_any(),
        TaskId::Metrics => view! {
            <table id="deck-metrics" class="facts">
                {row("inertia", format::score(Some(m.inertia)))}
                {row("adjusted Rand index (vs true blobs)", format::score(Some(m.adjusted_rand)))}
            </table>
        }.into_any(),
        TaskId::Quality => {
            // Pending until the indices arrive, after the picture (ARCHITECTURE.md §2).
            let index = |v: Option<f64>| if s.quality_pending() { "pending…".to_string() } else { format::score(v) };
            view! {
                <table id="deck-quality" class="facts" data-pending=s.quality_pending().to_string()>
                    {row("silhouette (sample)", index(m.silhouette))}
                    {row("Calinski–Harabasz", index(m.calinski_harabasz))}
                    {row("Davies–Bouldin", index(m.davies_bouldin))}
                </table>
            }.into_any()
        }
        TaskId::Replay => view! {
            <table id="deck-replay" class="facts">
                {row("steps", format!("{} ({} seeding, the seeds, {} Lloyd)", f.timeline.len(), f.seeding.candidates_per_round.len(), f.n_iter))}
                {row("shown", s.view.as_ref().and_then(|v| v.replay.as_ref()).map_or("the final labels".to_string(), |r| format!("step {} of {}", r.step + 1, f.timeline.len())))}
                {s.view.as_ref().and_then(|v| v.replay.as_ref()).map(|r| view! {
                    {row("rows changed at this step", format::thousands(r.moved))}
                    {row("inertia at this step (every row)", format::score(r.inertia))}
                    {row("label digest", r.labels_digest.clone().unwrap_or_else(|| "no labels yet".to_string()))}
                })}
            </table>
        }.into_any(),
        TaskId::Render => view! {
            <table class="facts">
                {s.view.as_ref().map(|v| view! {
                    {row("plot area", format!("{} × {} px", v.viewport.width, v.viewport.height))}
                    {row("x range", format!("{:.3} … {:.3}", v.viewport.x.0, v.viewport.x.1))}
                    {row("y range", format!("{:.3} … {:.3}", v.viewport.y.0, v.viewport.y.1))}
                    {row("window", if v.zoomed { "zoomed or panned".to_string() } else { "the data's bounds".to_string() })}
                })}
                {row("points drawn", format::thousands(d.n_samples as u64))}
            </table>
        }.into_any(),
    };
    view! { {header} {body} }.into_any()
}

/// The open deck, with a tab per node.
#[component]
pub fn Decks() -> impl IntoView {
    let state = expect_context::<AppState>();
    let super::pipeline_view::StaleNodes(stale) = expect_context();
    view! {
        <section class="decks panel" aria-labelledby="decks-heading">
            <h2 id="decks-heading">"Decks"</h2>
            <div class="tabs" role="tablist" aria-label="Deck of a pipeline node"
                on:keydown=move |ev: web_sys::KeyboardEvent| {
                    // The ARIA tabs pattern: arrows move along the tabs and open each
                    // (automatic activation), Home and End go to the ends.
                    let at = state.deck.get_untracked().index();
                    let last = TaskId::COUNT - 1;
                    let next = match ev.key().as_str() {
                        "ArrowRight" => if at == last { 0 } else { at + 1 },
                        "ArrowLeft" => if at == 0 { last } else { at - 1 },
                        "Home" => 0,
                        "End" => last,
                        _ => return,
                    };
                    ev.prevent_default();
                    let t = TaskId::ALL[next];
                    state.deck.set(t);
                    if let Some(el) = document()
                        .get_element_by_id(&format!("deck-tab-{}", t.name()))
                        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
                    {
                        let _ = el.focus();
                    }
                }>
                {TaskId::ALL.into_iter().map(|t| view! {
                    <button type="button" role="tab" id=format!("deck-tab-{}", t.name())
                        aria-selected=move || (state.deck.get() == t).to_string()
                        aria-controls="deck"
                        tabindex=move || if state.deck.get() == t { "0" } else { "-1" }
                        class:active=move || state.deck.get() == t
                        on:click=move |_| state.deck.set(t)>{t.name()}</button>
                }).collect_view()}
            </div>
            <div id="deck" class="deck" data-deck=move || state.deck.get().name()
                role="tabpanel" tabindex="0"
                aria-labelledby=move || format!("deck-tab-{}", state.deck.get().name())>
                {move || {
                    let task = state.deck.get();
                    match state.shown.get() {
                        None => view! { <p class="muted">"Nothing computed yet."</p> }.into_any(),
                        Some(shown) => {
                            let id = shown.outcome.meta.summary.node(task).job;
                            let job_line = move || state.jobs.with(|jobs| {
                                jobs.iter().find(|j| Some(j.id) == id).map_or("no job".to_string(), |j| {
                                    let status = match &j.status {
                                        JobStatus::Running => "running".to_string(),
                                        JobStatus::Completed { backdated: true } => "completed, backdated".to_string(),
                                        JobStatus::Completed { .. } => "completed".to_string(),
                                        JobStatus::Reused => "reused from cache".to_string(),
                                        JobStatus::Cancelled => "cancelled".to_string(),
                                        JobStatus::Failed { message } => format!("failed: {message}"),
                                    };
                                    format!("job {} {status}, {} chunk tasks", j.id, j.tasks.len() as u64 + j.dropped_tasks)
                                })
                            });
                            let stale = Signal::derive(move || stale.get()[task.index()]);
                            deck_body(task, &shown, stale, job_line)
                        }
                    }
                }}
            </div>
        </section>
    }
}
