//! Small SVG charts for the decks: a line for curves, bars for counts, small histograms
//! for the dataset's features.

use leptos::prelude::*;

use super::format;
use crate::pipeline::display::chart_layout::{ChartFrame, histogram_bars};
use crate::pipeline::render::dataset_profile::FeatureHistogram;

const W: f64 = 320.0;
const H: f64 = 120.0;
const PAD: f64 = 26.0;
const FRAME: ChartFrame = ChartFrame {
    width: W,
    height: H,
    pad: PAD,
};

/// A line through `values` (x = index), with the first and last values labelled.
pub fn line_chart(id: &'static str, values: &[f64], x_label: &'static str) -> impl IntoView {
    let points: String = FRAME
        .line(values)
        .iter()
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect::<Vec<_>>()
        .join(" ");
    view! {
        <svg id=id class="chart" viewBox=format!("0 0 {W} {H}") data-points=values.len().to_string()>
            <line class="axis" x1=PAD.to_string() y1=(H - PAD).to_string() x2=(W - PAD).to_string() y2=(H - PAD).to_string() />
            <polyline class="series" points=points />
            <text class="axis-label" x=PAD.to_string() y="14">{format::score(values.first().copied())}</text>
            <text class="axis-label" x=(W - PAD).to_string() y="14" text-anchor="end">{format::score(values.last().copied())}</text>
            <text class="axis-label" x=(W / 2.0).to_string() y=(H - 6.0).to_string() text-anchor="middle">{x_label}</text>
        </svg>
    }
}

/// Bars of `values`, each coloured with `class_of(index)`.
pub fn bar_chart(
    id: &'static str,
    values: &[f64],
    class_of: impl Fn(usize) -> String,
) -> impl IntoView {
    let (hi, bars) = FRAME.bars(values);
    let bars = bars
        .iter()
        .zip(values)
        .enumerate()
        .map(|(i, (b, v))| {
            view! {
                <rect class=class_of(i) x=format!("{:.1}", b.x) y=format!("{:.1}", b.y)
                    width=format!("{:.1}", b.width) height=format!("{:.1}", b.height)>
                    <title>{format!("{i}: {}", format::score(Some(*v)))}</title>
                </rect>
            }
        })
        .collect_view();
    view! {
        <svg id=id class="chart" viewBox=format!("0 0 {W} {H}") data-bars=values.len().to_string()>
            <line class="axis" x1=PAD.to_string() y1=(H - PAD).to_string() x2=(W - PAD).to_string() y2=(H - PAD).to_string() />
            {bars}
            <text class="axis-label" x=PAD.to_string() y="14">{format!("max {}", format::score(Some(hi)))}</text>
        </svg>
    }
}

/// Width and height of one small histogram.
const HIST_W: f64 = 160.0;
const HIST_H: f64 = 72.0;

/// One feature's histogram as a small SVG of bars, with its range underneath.
pub fn histogram(h: &FeatureHistogram) -> impl IntoView {
    let bars = histogram_bars(&h.counts, (h.lo, h.hi), HIST_W, HIST_H - 14.0)
        .into_iter()
        .map(|b| {
            view! {
                <rect class="bar-plain" x=format!("{:.2}", b.bar.x) y=format!("{:.2}", b.bar.y)
                    width=format!("{:.2}", b.bar.width) height=format!("{:.2}", b.bar.height)>
                    <title>{format!("[{:.3}, {:.3}): {}", b.left, b.right, format::thousands(b.count))}</title>
                </rect>
            }
        })
        .collect_view();
    view! {
        <figure class="histogram" data-feature=h.feature.to_string() data-bins=h.counts.len().to_string()>
            <svg class="chart" viewBox=format!("0 0 {HIST_W} {HIST_H}")>
                <line class="axis" x1="0" y1=(HIST_H - 14.0).to_string() x2=HIST_W.to_string() y2=(HIST_H - 14.0).to_string() />
                {bars}
                <text class="axis-label" x="0" y=(HIST_H - 2.0).to_string()>{format!("{:.2}", h.lo)}</text>
                <text class="axis-label" x=HIST_W.to_string() y=(HIST_H - 2.0).to_string() text-anchor="end">{format!("{:.2}", h.hi)}</text>
            </svg>
            <figcaption>
                {format!("feature {}", h.feature)}
                {(h.non_finite > 0).then(|| format!(" · {} not finite", format::thousands(h.non_finite)))}
            </figcaption>
        </figure>
    }
}

/// Histograms of the profiled features, in a grid.
pub fn histograms(id: &'static str, hs: &[FeatureHistogram]) -> impl IntoView {
    view! {
        <div id=id class="histograms" data-count=hs.len().to_string()>
            {hs.iter().map(histogram).collect_view()}
        </div>
    }
}

/// A line through `values` with the point at `mark` ringed (the replay's convergence chart).
pub fn marked_line_chart(
    id: &'static str,
    values: &[f64],
    mark: Option<usize>,
) -> impl IntoView + use<> {
    let line = FRAME.line(values);
    let points: String = line
        .iter()
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect::<Vec<_>>()
        .join(" ");
    let ring = mark.and_then(|m| line.get(m).map(|&p| (m, p))).map(|(m, (x, y))| {
        view! { <circle class="replay-mark" data-step=m.to_string() cx=format!("{x:.1}") cy=format!("{y:.1}") r="5" /> }
    });
    view! {
        <svg id=id class="chart" viewBox=format!("0 0 {W} {H}") data-points=values.len().to_string()
            role="img" aria-label="Inertia at each Lloyd step, the shown step ringed">
            <line class="axis" x1=PAD.to_string() y1=(H - PAD).to_string() x2=(W - PAD).to_string() y2=(H - PAD).to_string() />
            <polyline class="series" points=points />
            {ring}
            <text class="axis-label" x=PAD.to_string() y="14">{format::score(values.first().copied())}</text>
            <text class="axis-label" x=(W - PAD).to_string() y="14" text-anchor="end">{format::score(values.last().copied())}</text>
            <text class="axis-label" x=(W / 2.0).to_string() y=(H - 6.0).to_string() text-anchor="middle">"Lloyd step (0: the seeds)"</text>
        </svg>
    }
}
