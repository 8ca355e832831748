//! The page: the seed demo's "number of clusters" slider, the canvas, the run summary and
//! the status bar.

use std::sync::Arc;

use leptos::prelude::*;

use super::plot::{self, CANVAS_HEIGHT, CANVAS_WIDTH, PLOT_HEIGHT, PLOT_WIDTH};
use super::status_bar::StatusBar;
use crate::data::{BlobsParams, Centers};
use crate::pipeline::frame::{Frame, FrameRequest};
use crate::web::environment::{Flavour, cross_origin_isolated, now_ms};
use crate::web::jobs;
use crate::web::latest::Latest;

/// Points in the default dataset: W1 of the benchmarks, a million rows.
const DEFAULT_SAMPLES: usize = 1_000_000;
/// The slider's range, as in the Taipy + Dask demo.
const K_RANGE: std::ops::RangeInclusive<usize> = 1..=10;
const DEFAULT_SEED: u64 = 42;

#[derive(Debug, Clone, PartialEq)]
enum RunState {
    Starting,
    Running,
    Done,
    Failed(String),
}

impl RunState {
    fn key(&self) -> &'static str {
        match self {
            RunState::Starting => "starting",
            RunState::Running => "running",
            RunState::Done => "done",
            RunState::Failed(_) => "failed",
        }
    }
}

/// A completed job as the page shows it.
#[derive(Debug, Clone)]
struct Shown {
    frame: Arc<Frame>,
    k: usize,
    started_ms: f64,
    ended_ms: f64,
}

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

fn result_json(shown: &Shown, threads: Option<usize>) -> String {
    let s = &shown.frame.summary;
    let first = s
        .tasks
        .iter()
        .map(|t| t.start_ms)
        .fold(f64::INFINITY, f64::min);
    let last = s
        .tasks
        .iter()
        .map(|t| t.end_ms)
        .fold(f64::NEG_INFINITY, f64::max);
    serde_json::json!({
        "flavour": Flavour::current().name(),
        "cross_origin_isolated": cross_origin_isolated(),
        "threads": threads,
        "k": shown.k,
        "n_samples": s.n_samples,
        "n_features": s.n_features,
        "n_chunks": s.n_chunks,
        "tasks_per_thread": s.tasks_per_thread,
        "generate_ms": s.generate_ms,
        "render_ms": s.render_ms,
        "job_started_ms": shown.started_ms,
        "job_ended_ms": shown.ended_ms,
        "tasks_started_ms": first,
        "tasks_ended_ms": last,
        "lit_pixels": shown.frame.pixels.chunks(4).filter(|p| p[3] > 0).count(),
    })
    .to_string()
}

/// The whole page.
#[component]
pub fn Page() -> impl IntoView {
    let (k, set_k) = signal(5usize);
    let (threads, set_threads) = signal(None::<usize>);
    let (state, set_state) = signal(RunState::Starting);
    let shown = RwSignal::new(None::<Shown>);
    let canvas = NodeRef::<leptos::html::Canvas>::new();

    let runner = Latest::new(
        move |(req, k): (FrameRequest, usize), cancel| async move {
            let started_ms = now_ms();
            let result = jobs::run_frame(req, cancel).await;
            (result, k, started_ms, now_ms())
        },
        move |(result, k, started_ms, ended_ms)| match result {
            Ok(frame) => {
                shown.set(Some(Shown {
                    frame: Arc::new(frame),
                    k,
                    started_ms,
                    ended_ms,
                }));
                set_state.set(RunState::Done);
            }
            Err(e) => set_state.set(RunState::Failed(e)),
        },
    );
    let runner = StoredValue::new_local(runner);

    leptos::task::spawn_local(async move {
        #[cfg(feature = "threads")]
        let started =
            crate::web::pool::start(crate::web::environment::hardware_concurrency()).await;
        #[cfg(not(feature = "threads"))]
        let started: Result<usize, String> = Ok(1);
        match started {
            Ok(n) => set_threads.set(Some(n)),
            Err(e) => set_state.set(RunState::Failed(e)),
        }
    });

    // Every change of k, once the threads are up, asks for a new frame.
    Effect::new(move |_| {
        if threads.get().is_none() {
            return;
        }
        let k = k.get();
        set_state.set(RunState::Running);
        let req = FrameRequest {
            blobs: BlobsParams::new(DEFAULT_SAMPLES)
                .centers(Centers::Count(k))
                .seed(DEFAULT_SEED),
            width: PLOT_WIDTH,
            height: PLOT_HEIGHT,
        };
        runner.with_value(|r| r.submit((req, k)));
    });

    Effect::new(move |_| {
        if let (Some(s), Some(c)) = (shown.get(), canvas.get())
            && let Err(e) = plot::draw(&c, &s.frame)
        {
            set_state.set(RunState::Failed(e));
        }
    });

    let on_k = move |ev| match event_target_value(&ev).parse::<usize>() {
        Ok(v) if K_RANGE.contains(&v) => set_k.set(v),
        _ => set_state.set(RunState::Failed(format!(
            "number of clusters = {} is out of range: allowed {} ..= {}",
            event_target_value(&ev),
            K_RANGE.start(),
            K_RANGE.end()
        ))),
    };

    view! {
        <header class="top">
            <h1>"blobscale"</h1>
            <p class="tagline">"How k-means scales — in your browser, on every core."</p>
        </header>
        <main class="layout">
            <section class="controls" aria-label="Parameters">
                <label for="k">"Number of clusters: " <strong id="k-value">{move || k.get()}</strong></label>
                <input
                    id="k"
                    type="range"
                    min=K_RANGE.start().to_string()
                    max=K_RANGE.end().to_string()
                    step="1"
                    prop:value=move || k.get().to_string()
                    on:input=on_k
                />
                <p class="hint">
                    {format!("{} points, 2 features, seed {DEFAULT_SEED}. ", thousands(DEFAULT_SAMPLES))}
                    "Moving the slider regenerates the blobs off the main thread."
                </p>
            </section>
            <section class="figure">
                <canvas
                    id="plot"
                    node_ref=canvas
                    width=CANVAS_WIDTH.to_string()
                    height=CANVAS_HEIGHT.to_string()
                ></canvas>
                <p id="status" data-state=move || state.get().key() role="status">
                    {move || match state.get() {
                        RunState::Starting => "Starting…".to_string(),
                        RunState::Running => "Computing…".to_string(),
                        RunState::Done => "Done.".to_string(),
                        RunState::Failed(e) => format!("Error: {e}"),
                    }}
                </p>
                <p id="summary">
                    {move || shown.get().map(|s| {
                        let f = &s.frame.summary;
                        format!(
                            "{} points × {} features in {} chunks: generated in {:.0} ms, drawn in {:.0} ms. Chunk tasks per thread: {}.",
                            thousands(f.n_samples),
                            f.n_features,
                            f.n_chunks,
                            f.generate_ms,
                            f.render_ms,
                            f.tasks_per_thread.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(" · "),
                        )
                    })}
                </p>
                <details>
                    <summary>"Run details (JSON)"</summary>
                    <pre id="result">{move || shown.get().map(|s| result_json(&s, threads.get()))}</pre>
                </details>
            </section>
        </main>
        <StatusBar threads=threads />
    }
}
