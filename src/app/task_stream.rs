//! The task stream (the Dask dashboard's view): one lane per worker thread, one bar per
//! chunk task of the latest evaluation, coloured by task kind, with a summary of wall time
//! and how busy each thread was.
//!
//! Drawn on a canvas rather than as DOM nodes: a fit runs thousands of chunk tasks, and
//! thousands of elements would cost the main thread more than the compute it shows.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::format;
use super::state::{AppState, Theme};
use crate::monitor::TaskKind;
use crate::pipeline::task_record::TaskRecord;

const WIDTH: f64 = 760.0;
const LANE_H: f64 = 22.0;
const LABEL_W: f64 = 70.0;

/// Bar colour of each task kind (the legend uses the same).
pub fn kind_colour(kind: TaskKind) -> &'static str {
    match kind {
        TaskKind::Generate => "#8c6bb1",
        TaskKind::Seed => "#e6550d",
        TaskKind::Lloyd => "#3182bd",
        TaskKind::Predict => "#31a354",
        TaskKind::Metrics => "#de2d26",
        TaskKind::Parse => "#756bb1",
        TaskKind::Render => "#969696",
    }
}

/// The chunk tasks of the newest evaluation in the job log.
fn latest_tasks(state: &AppState) -> Vec<TaskRecord> {
    state.jobs.with(|jobs| {
        let Some(latest) = jobs.iter().map(|j| j.evaluation).max() else {
            return Vec::new();
        };
        jobs.iter()
            .filter(|j| j.evaluation == latest)
            .flat_map(|j| j.tasks.iter().copied())
            .collect()
    })
}

/// Per-thread busy time and the stream's extent.
#[derive(Debug, Clone, PartialEq)]
struct StreamStats {
    lanes: usize,
    start: f64,
    end: f64,
    busy: Vec<f64>,
}

fn stats(tasks: &[TaskRecord]) -> Option<StreamStats> {
    let start = tasks
        .iter()
        .map(|t| t.start_ms)
        .fold(f64::INFINITY, f64::min);
    let end = tasks
        .iter()
        .map(|t| t.end_ms)
        .fold(f64::NEG_INFINITY, f64::max);
    if !start.is_finite() {
        return None;
    }
    let lanes = tasks.iter().map(|t| t.thread + 1).max().unwrap_or(1);
    let mut busy = vec![0.0; lanes];
    for t in tasks {
        busy[t.thread] += t.end_ms - t.start_ms;
    }
    Some(StreamStats {
        lanes,
        start,
        end,
        busy,
    })
}

fn draw(canvas: &web_sys::HtmlCanvasElement, tasks: &[TaskRecord], s: &StreamStats, theme: Theme) {
    let Some(ctx) = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
    else {
        return;
    };
    let height = s.lanes as f64 * LANE_H + 18.0;
    canvas.set_height(height as u32);
    ctx.clear_rect(0.0, 0.0, WIDTH, height);
    let fg = if theme == Theme::Dark {
        "#c8cdd6"
    } else {
        "#3c4048"
    };
    ctx.set_fill_style_str(fg);
    ctx.set_font("12px sans-serif");
    for lane in 0..s.lanes {
        let _ = ctx.fill_text(&format!("thread {lane}"), 4.0, lane as f64 * LANE_H + 15.0);
    }
    let span = (s.end - s.start).max(1e-3);
    let scale = (WIDTH - LABEL_W - 4.0) / span;
    // A 10M-row run has tens of thousands of chunk tasks: drawing each as a rectangle
    // would cost a canvas call per task on every poll. Instead every pixel column of a lane
    // takes the colour of the kind that covered most of it, and runs of equal columns are
    // one rectangle: at most a few hundred calls, whatever the number of tasks.
    let columns = (WIDTH - LABEL_W - 4.0).ceil() as usize;
    let kinds = TaskKind::ALL.len();
    let mut cover = vec![0f32; s.lanes * columns * kinds];
    for t in tasks {
        let (x0, x1) = ((t.start_ms - s.start) * scale, (t.end_ms - s.start) * scale);
        let kind = TaskKind::ALL.iter().position(|&k| k == t.kind).unwrap_or(0);
        let first = (x0.floor().max(0.0) as usize).min(columns - 1);
        let last = (x1.ceil().max(1.0) as usize).min(columns);
        for col in first..last.max(first + 1) {
            // Overlap of [x0, x1] with this column, at least a sliver so short tasks show.
            let overlap = (x1.min(col as f64 + 1.0) - x0.max(col as f64)).max(0.05);
            cover[(t.thread * columns + col) * kinds + kind] += overlap as f32;
        }
    }
    for lane in 0..s.lanes {
        let y = lane as f64 * LANE_H + 3.0;
        let mut run: Option<(usize, usize)> = None; // (kind, first column)
        for col in 0..=columns {
            let dominant = (col < columns)
                .then(|| {
                    let c = &cover[(lane * columns + col) * kinds..][..kinds];
                    (0..kinds)
                        .filter(|&k| c[k] > 0.0)
                        .max_by(|&a, &b| c[a].total_cmp(&c[b]))
                })
                .flatten();
            if run.map(|r| r.0) != dominant {
                if let Some((kind, from)) = run {
                    ctx.set_fill_style_str(kind_colour(TaskKind::ALL[kind]));
                    ctx.fill_rect(LABEL_W + from as f64, y, (col - from) as f64, LANE_H - 6.0);
                }
                run = dominant.map(|k| (k, col));
            }
        }
    }
    ctx.set_fill_style_str(fg);
    let _ = ctx.fill_text("0", LABEL_W, height - 3.0);
    let wall = format::ms(s.end - s.start);
    let _ = ctx.fill_text(&wall, WIDTH - 8.0 * wall.len() as f64, height - 3.0);
}

/// Lanes and bars.
/// "Speed-up over one thread" for the shown scenario, or how to measure it.
fn speedup_note(state: &AppState) -> String {
    let Some(shown) = state.shown.get() else {
        return String::new();
    };
    let threads = shown.outcome.meta.summary.threads;
    match super::speedup::measured(&shown.inputs, threads) {
        Some((one, n)) => format!(
            " Speed-up over one thread: {:.2}× ({} on 1 thread, {} on {threads}; whole runs, nothing reused).",
            one / n.max(1e-9),
            format::ms(one),
            format::ms(n)
        ),
        None if threads > 1 => " Speed-up over one thread: not measured yet for this scenario — run it once with Threads = 1.".to_string(),
        None => String::new(),
    }
}

#[component]
pub fn TaskStream() -> impl IntoView {
    let state = expect_context::<AppState>();
    let tasks = Memo::new(move |_| latest_tasks(&state));
    let summary = Memo::new(move |_| tasks.with(|t| stats(t)));
    // Read from storage when the shown result changes, not on every progress poll.
    let speedup = Memo::new(move |_| speedup_note(&state));
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    Effect::new(move |_| {
        let theme = state.theme.get();
        if let (Some(c), Some(s)) = (canvas.get(), summary.get()) {
            tasks.with(|t| draw(&c, t, &s, theme));
        }
    });
    let kinds = move || {
        tasks.with(|t| {
            TaskKind::ALL
                .into_iter()
                .filter(|k| t.iter().any(|x| x.kind == *k))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div class="task-stream">
            <canvas id="task-stream" node_ref=canvas width=WIDTH.to_string() height="40"
                data-lanes=move || summary.get().map_or(0, |s| s.lanes).to_string()
                data-tasks=move || tasks.with(|t| t.len()).to_string()></canvas>
            <p class="legend">
                {move || kinds().into_iter().map(|k| view! {
                    <span class="swatch" style=format!("background:{}", kind_colour(k))></span><span>{k.name()}</span>
                }).collect_view()}
            </p>
            <p id="stream-summary">
                {move || match summary.get() {
                    None => "No chunk tasks yet.".to_string(),
                    Some(s) => {
                        let wall = (s.end - s.start).max(1e-9);
                        format!(
                            "{} chunk tasks on {} thread{} in {} wall time; busy {}; {:.2} threads' worth of work per unit of wall time.",
                            tasks.with(|t| t.len()),
                            s.lanes,
                            if s.lanes == 1 { "" } else { "s" },
                            format::ms(wall),
                            s.busy.iter().enumerate().map(|(i, b)| format!("thread {i} {:.0} %", 100.0 * b / wall)).collect::<Vec<_>>().join(", "),
                            s.busy.iter().sum::<f64>() / wall,
                        ) + &speedup.get()
                    }
                }}
            </p>
        </div>
    }
}
