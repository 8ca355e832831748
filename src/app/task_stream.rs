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
use crate::pipeline::display::speedup::speedup;
use crate::pipeline::display::task_stream::{StreamStats, lane_runs, stream_tasks};
use crate::pipeline::jobs::task_record::TaskRecord;

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
    for run in lane_runs(tasks, s, WIDTH - LABEL_W - 4.0) {
        ctx.set_fill_style_str(kind_colour(run.kind));
        ctx.fill_rect(
            LABEL_W + run.from as f64,
            run.lane as f64 * LANE_H + 3.0,
            (run.to - run.from) as f64,
            LANE_H - 6.0,
        );
    }
    ctx.set_fill_style_str(fg);
    let _ = ctx.fill_text("0", LABEL_W, height - 3.0);
    let wall = format::ms(s.span_ms());
    let _ = ctx.fill_text(&wall, WIDTH - 8.0 * wall.len() as f64, height - 3.0);
}

/// "Speed-up over one thread" for the shown scenario, or how to measure it.
fn speedup_note(state: &AppState) -> String {
    let Some(shown) = state.shown.get() else {
        return String::new();
    };
    let threads = shown.outcome.meta.summary.threads;
    match super::speedup::measured(&shown.inputs, threads) {
        Some((one, n)) => format!(
            " Speed-up over one thread: {:.2}× ({} on 1 thread, {} on {threads}; whole runs, nothing reused).",
            speedup(one, n),
            format::ms(one),
            format::ms(n)
        ),
        None if threads > 1 => " Speed-up over one thread: not measured yet for this scenario — run it once with Threads = 1.".to_string(),
        None => String::new(),
    }
}

/// Lanes and bars.
#[component]
pub fn TaskStream() -> impl IntoView {
    let state = expect_context::<AppState>();
    let tasks = Memo::new(move |_| {
        state.shown.with(|shown| {
            let summary = shown.as_ref().map(|s| &s.outcome.meta.summary);
            state.jobs.with(|jobs| stream_tasks(jobs, summary))
        })
    });
    let summary = Memo::new(move |_| tasks.with(|t| StreamStats::of(t)));
    // Read from storage when the shown result changes, not on every progress poll.
    let speedup_text = Memo::new(move |_| speedup_note(&state));
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
                        format!(
                            "{} chunk tasks on {} thread{} in {} wall time; busy {}; {:.2} threads' worth of work per unit of wall time.",
                            tasks.with(|t| t.len()),
                            s.lanes,
                            if s.lanes == 1 { "" } else { "s" },
                            format::ms(s.wall_ms()),
                            s.busy_fractions().iter().enumerate().map(|(i, f)| format!("thread {i} {:.0} %", 100.0 * f)).collect::<Vec<_>>().join(", "),
                            s.parallelism(),
                        ) + &speedup_text.get()
                    }
                }}
            </p>
        </div>
    }
}
