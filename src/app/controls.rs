//! Controls for every pipeline input. Each writes one field of the scenario's inputs;
//! out-of-range values are refused at the control with the reason.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::fields::{NumberField, Slider};
use super::state::AppState;
use crate::cluster::params::HAMERLY_MIN_FEATURES;
use crate::cluster::{Algorithm, Init, Oversampling, ParallelInit, Rounds};
use crate::data::{Centers, ClusterStd};
use crate::limits;
use crate::pipeline::ScenarioInputs;
use crate::pipeline::render::projection::{MAX_PCA_FEATURES, Projection};
use crate::web::browser_storage;
use crate::web::environment::{Flavour, hardware_concurrency};

/// Dataset sizes offered by the samples slider (log scale).
pub const SAMPLE_STEPS: [usize; 15] = [
    1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000, 2_000_000,
    5_000_000, 10_000_000, 20_000_000, 50_000_000,
];
/// Largest k and number of true centres offered.
pub const MAX_CLUSTERS: i64 = 30;
const CHUNK_CHOICES: [usize; 6] = [1_024, 4_096, 16_384, 65_536, 262_144, 1_048_576];

fn parallel(inputs: &ScenarioInputs) -> Option<ParallelInit> {
    match &inputs.init {
        Init::KMeansParallel(p) if *p != ParallelInit::dask_ml() => Some(*p),
        _ => None,
    }
}

fn centre_count(inputs: &ScenarioInputs) -> usize {
    match &inputs.centers {
        Centers::Count(c) => *c,
        Centers::Points(p) => p.len(),
    }
}

/// A fresh seed from the browser's random source.
fn new_seed() -> u64 {
    (js_sys::Math::random() * 1e9).floor() as u64
}

/// Worker threads (1 ..= the cores the browser reports). The pool's size is fixed when its
/// workers start (wasm-bindgen-rayon builds one global pool per page), so a change reloads
/// the page with `?threads=N`; scenarios are saved first, so nothing is lost.
#[component]
fn ThreadsField() -> impl IntoView {
    let state = expect_context::<AppState>();
    let threaded = Flavour::current() == Flavour::Threaded;
    let cores = if threaded { hardware_concurrency() } else { 1 };
    let error = RwSignal::new(None::<String>);
    view! {
        <div class="field">
            <label for="threads">"Threads"</label>
            <select id="threads" disabled=!threaded on:change=move |ev| {
                if let Ok(n) = event_target_value(&ev).parse::<usize>()
                    && let Err(e) = browser_storage::reload_with_threads(n)
                {
                    error.set(Some(e.to_string()));
                }
            }>
                {(1..=cores).map(|n| view! {
                    <option value=n.to_string() selected=move || state.threads.get() == Some(n)>{n.to_string()}</option>
                }).collect_view()}
            </select>
            <span class="hint muted">
                {if threaded {
                    format!("of {cores} cores; changing restarts the workers")
                } else {
                    "single-threaded build: one worker".to_string()
                }}
            </span>
            {move || error.get().map(|e| view! { <span id="threads-error" class="error">{e}</span> })}
        </div>
    }
}

/// The parameter panel.
#[component]
pub fn Controls() -> impl IntoView {
    let state = expect_context::<AppState>();
    let inputs = state.inputs;
    let edit = move |f: &dyn Fn(&mut ScenarioInputs)| inputs.update(|i| f(i));
    // "Your own centres" is chosen before any are given: the seeding stays as it is until
    // the field below applies them.
    let own = RwSignal::new(inputs.with_untracked(|i| matches!(i.init, Init::Centers(_))));

    let wide = fold_open_when_wide();
    view! {
        <details class="fold controls-fold" id="parameters" prop:open=move || wide.get()>
        <summary>"All parameters"</summary>
        <section class="controls panel" aria-label="Parameters">
            <h2>"Dataset"</h2>
            <NumberField
                id="n-features"
                label="Features"
                limit=limits::N_FEATURES
                step="1"
                value=Signal::derive(move || inputs.with(|i| i.n_features) as f64)
                set=Callback::new(move |v: f64| edit(&|i| {
                    i.n_features = v as usize;
                    i.feature_x = i.feature_x.min(i.n_features - 1);
                    i.feature_y = i.feature_y.min(i.n_features - 1);
                    // New axes: the zoom window no longer applies, and PCA needs two features.
                    i.view = None;
                    if !(2..=MAX_PCA_FEATURES).contains(&i.n_features) {
                        i.projection = Projection::Features;
                    }
                }))
            />
            <Show when=move || !state.coupled.get()>
                <Slider
                    id="centers"
                    label=Signal::derive(|| "True centres".to_string())
                    min=1
                    max=MAX_CLUSTERS
                    value=Signal::derive(move || inputs.with(centre_count) as i64)
                    display=Signal::derive(move || inputs.with(centre_count).to_string())
                    set=Callback::new(move |v: i64| edit(&|i| i.centers = Centers::Count(v as usize)))
                />
            </Show>
            <Slider
                id="cluster-std"
                label=Signal::derive(|| "Cluster std".to_string())
                min=1
                max=50
                value=Signal::derive(move || inputs.with(|i| match i.cluster_std { ClusterStd::Scalar(s) => (s * 10.0).round() as i64, _ => 10 }))
                display=Signal::derive(move || inputs.with(|i| match &i.cluster_std { ClusterStd::Scalar(s) => format!("{s:.1}"), _ => "per centre".into() }))
                set=Callback::new(move |v: i64| edit(&|i| i.cluster_std = ClusterStd::Scalar(v as f64 / 10.0)))
            />
            <div class="row">
                <NumberField
                    id="data-seed"
                    label="Data seed"
                    limit=limits::DATA_SEED
                    step="1"
                    value=Signal::derive(move || inputs.with(|i| i.data_seed) as f64)
                    set=Callback::new(move |v: f64| edit(&|i| i.data_seed = v as u64))
                />
                <button id="new-seed" type="button" on:click=move |_| { let s = new_seed(); edit(&|i| i.data_seed = s) }>"New seed"</button>
            </div>
            <div class="field">
                <label for="chunk-rows">"Rows per chunk"</label>
                <select id="chunk-rows" on:change=move |ev| {
                    if let Ok(v) = event_target_value(&ev).parse::<usize>() { edit(&|i| i.chunk_rows = v) }
                }>
                    {CHUNK_CHOICES.iter().map(|&c| view! {
                        <option value=c.to_string() selected=move || inputs.with(|i| i.chunk_rows == c)>{super::format::thousands(c as u64)}</option>
                    }).collect_view()}
                </select>
            </div>
            <ThreadsField />

            <h2>"k-means"</h2>
            <label class="check">
                <input id="coupled" type="checkbox" prop:checked=move || state.coupled.get()
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        state.coupled.set(on);
                        if on { edit(&|i| i.centers = Centers::Count(i.k)) }
                    } />
                " One slider for centres and k (as in the demo)"
            </label>
            <div class="field">
                <label for="init">"Seeding"</label>
                <select id="init" on:change=move |ev| {
                    let name = event_target_value(&ev);
                    own.set(name == "explicit");
                    if let Some(init) = Init::from_name(&name, ParallelInit::default()) {
                        edit(&|i| i.init = init.clone())
                    }
                }>
                    {Init::NAMED
                        .into_iter()
                        .map(|(v, text)| view! { <option value=v selected=move || !own.get() && inputs.with(|i| i.init.name() == v)>{text}</option> })
                        .collect_view()}
                    <option value="explicit" selected=move || own.get()>"your own centres"</option>
                </select>
            </div>
            <Show when=move || own.get()>
                <super::own_centres::OwnCentres />
            </Show>
            <Show when=move || inputs.with(parallel).is_some()>
                <div class="row">
                    <NumberField
                        id="oversampling"
                        label="ℓ / k"
                        limit=limits::OVERSAMPLING
                        step="0.5"
                        value=Signal::derive(move || inputs.with(|i| match parallel(i).map(|p| p.oversampling) { Some(Oversampling::PerCluster(f)) => f, _ => 2.0 }))
                        set=Callback::new(move |v: f64| edit(&|i| if let Some(mut p) = parallel(i) { p.oversampling = Oversampling::PerCluster(v); i.init = Init::KMeansParallel(p) }))
                    />
                    <NumberField
                        id="rounds"
                        label="Rounds"
                        limit=limits::ROUNDS
                        step="1"
                        value=Signal::derive(move || inputs.with(|i| match parallel(i).map(|p| p.rounds) { Some(Rounds::Fixed(r)) => r as f64, _ => 5.0 }))
                        set=Callback::new(move |v: f64| edit(&|i| if let Some(mut p) = parallel(i) { p.rounds = Rounds::Fixed(v as usize); i.init = Init::KMeansParallel(p) }))
                    />
                </div>
            </Show>
            <div class="field">
                <label for="algorithm">"Algorithm"</label>
                <select id="algorithm" on:change=move |ev| {
                    if let Some(a) = Algorithm::from_name(&event_target_value(&ev)) {
                        edit(&|i| i.algorithm = a)
                    }
                }>
                    <option value=Algorithm::Lloyd.name() selected=move || inputs.with(|i| i.algorithm == Algorithm::Lloyd)>"Lloyd"</option>
                    <option value=Algorithm::Hamerly.name() selected=move || inputs.with(|i| i.algorithm == Algorithm::Hamerly)
                        disabled=move || inputs.with(|i| !Algorithm::Hamerly.offered(i.n_features))>
                        {move || if inputs.with(|i| Algorithm::Hamerly.offered(i.n_features)) {
                            "Hamerly (same labels, fewer distances)".to_string()
                        } else {
                            format!("Hamerly (slower than Lloyd below {HAMERLY_MIN_FEATURES} features)")
                        }}
                    </option>
                </select>
            </div>
            <div class="row">
                <NumberField
                    id="max-iter"
                    label="max_iter"
                    limit=limits::MAX_ITER
                    step="1"
                    value=Signal::derive(move || inputs.with(|i| i.max_iter) as f64)
                    set=Callback::new(move |v: f64| edit(&|i| i.max_iter = v as usize))
                />
                <NumberField
                    id="tol"
                    label="tol"
                    limit=limits::TOL
                    step="any"
                    value=Signal::derive(move || inputs.with(|i| i.tol))
                    set=Callback::new(move |v: f64| edit(&|i| i.tol = v))
                />
            </div>
            <NumberField
                id="kmeans-seed"
                label="k-means seed"
                limit=limits::KMEANS_SEED
                step="1"
                value=Signal::derive(move || inputs.with(|i| i.kmeans_seed) as f64)
                set=Callback::new(move |v: f64| edit(&|i| i.kmeans_seed = v as u64))
            />
            <label class="check">
                <input id="fit-sample-on" type="checkbox" prop:checked=move || inputs.with(|i| i.fit_sample.is_some())
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        edit(&|i| i.fit_sample = on.then(|| (i.n_samples / 10).max(1_000).min(i.n_samples)))
                    } />
                " Fit on a sample, predict every row"
            </label>
            <Show when=move || inputs.with(|i| i.fit_sample.is_some())>
                <NumberField
                    id="fit-sample"
                    label="Sample rows"
                    limit=limits::FIT_SAMPLE
                    max=Signal::derive(move || inputs.with(|i| i.n_samples) as f64)
                    step="1"
                    value=Signal::derive(move || inputs.with(|i| i.fit_sample.unwrap_or(0)) as f64)
                    set=Callback::new(move |v: f64| edit(&|i| i.fit_sample = Some(v as usize)))
                />
            </Show>

            <h2>"View"</h2>
            <div class="field">
                <label for="projection">"Projection"</label>
                <select id="projection" on:change=move |ev| {
                    let p = if event_target_value(&ev) == "pca" { Projection::Pca } else { Projection::Features };
                    edit(&|i| { i.projection = p; i.view = None; })
                }>
                    <option value="features" selected=move || inputs.with(|i| i.projection == Projection::Features)>"Two features"</option>
                    <option value="pca" disabled=move || inputs.with(|i| !(2..=MAX_PCA_FEATURES).contains(&i.n_features))
                        selected=move || inputs.with(|i| i.projection == Projection::Pca)>"PCA (first two components)"</option>
                </select>
            </div>
            <div class="row">
                {[("feature-x", "x feature", true), ("feature-y", "y feature", false)].into_iter().map(|(id, label, is_x)| view! {
                    <div class="field">
                        <label for=id>{label}</label>
                        <select id=id disabled=move || inputs.with(|i| i.projection == Projection::Pca) on:change=move |ev| {
                            if let Ok(f) = event_target_value(&ev).parse::<usize>() {
                                edit(&|i| { if is_x { i.feature_x = f } else { i.feature_y = f }; i.view = None; })
                            }
                        }>
                            {move || (0..inputs.with(|i| i.n_features)).map(|f| view! {
                                <option value=f.to_string() selected=move || inputs.with(|i| if is_x { i.feature_x == f } else { i.feature_y == f })>{format!("feature {f}")}</option>
                            }).collect_view()}
                        </select>
                    </div>
                }).collect_view()}
            </div>

            <label class="check">
                <input id="show-centres" type="checkbox" prop:checked=move || state.overlays.get()
                    on:change=move |ev| state.overlays.set(event_target_checked(&ev)) />
                " Show centres and legend"
            </label>
        </section>
        </details>
    }
}

/// Whether the folded parts of the page are open: always on a wide window, where nothing is
/// folded and the fold's summary is hidden; closed at first on a narrow one (a phone), where
/// the plot and the quick controls come first. Follows the window across the breakpoint.
pub(super) fn fold_open_when_wide() -> RwSignal<bool> {
    let narrow = web_sys::window().and_then(|w| w.match_media(NARROW_QUERY).ok().flatten());
    let open = RwSignal::new(!narrow.as_ref().is_some_and(|m| m.matches()));
    if let Some(m) = narrow {
        let on_change = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::MediaQueryListEvent)>::new(
            move |ev: web_sys::MediaQueryListEvent| {
                if !ev.matches() {
                    open.set(true);
                }
            },
        );
        let _ = m.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
        on_change.forget();
    }
    open
}

/// The window width below which the page is laid out in one column (style/main.css).
pub(super) const NARROW_QUERY: &str = "(max-width: 820px)";

/// The controls a first visit needs, beside the plot: how many points, how many clusters,
/// and Run (with whether every change runs by itself).
#[component]
pub fn QuickControls() -> impl IntoView {
    let state = expect_context::<AppState>();
    let inputs = state.inputs;
    let edit = move |f: &dyn Fn(&mut ScenarioInputs)| inputs.update(|i| f(i));
    let samples_index = Signal::derive(move || {
        let n = inputs.with(|i| i.n_samples);
        SAMPLE_STEPS
            .iter()
            .position(|&s| s >= n)
            .unwrap_or(SAMPLE_STEPS.len() - 1) as i64
    });
    let k_label = Signal::derive(move || {
        if state.coupled.get() {
            "Clusters (true centres and k)".to_string()
        } else {
            "k (clusters to find)".to_string()
        }
    });
    view! {
        <div class="quick" role="group" aria-label="Quick controls">
            <Slider
                id="samples"
                label=Signal::derive(|| "Samples".to_string())
                min=0
                max={SAMPLE_STEPS.len() as i64 - 1}
                value=samples_index
                display=Signal::derive(move || super::format::thousands(inputs.with(|i| i.n_samples) as u64))
                set=Callback::new(move |v: i64| edit(&|i| i.n_samples = SAMPLE_STEPS[v as usize]))
            />
            <Slider
                id="k"
                label=k_label
                min=1
                max=MAX_CLUSTERS
                value=Signal::derive(move || inputs.with(|i| i.k) as i64)
                display=Signal::derive(move || inputs.with(|i| i.k).to_string())
                set=Callback::new(move |v: i64| {
                    let coupled = state.coupled.get_untracked();
                    edit(&|i| {
                        i.k = v as usize;
                        if coupled { i.centers = Centers::Count(v as usize) }
                    })
                })
            />
            <div class="run-row">
                <label class="check">
                    <input id="auto-run" type="checkbox" prop:checked=move || state.auto_run.get()
                        on:change=move |ev| state.auto_run.set(event_target_checked(&ev)) />
                    " Run on change"
                </label>
                <button id="run" type="button" class="primary" on:click=move |_| state.run_requests.update(|n| *n += 1)>"Run"</button>
            </div>
        </div>
    }
}
