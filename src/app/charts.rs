//! Small SVG charts for the decks: a line for curves, bars for counts, small histograms
//! for the dataset's features.

use leptos::prelude::*;

use super::format;
use crate::pipeline::dataset_profile::FeatureHistogram;

const W: f64 = 320.0;
const H: f64 = 120.0;
const PAD: f64 = 26.0;

/// A line through `values` (x = index), with the first and last values labelled.
pub fn line_chart(id: &'static str, values: &[f64], x_label: &'static str) -> impl IntoView {
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    let lo = finite.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = finite.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let span = if hi > lo { hi - lo } else { 1.0 };
    let n = values.len().max(2) - 1;
    let points: String = values
        .iter()
        .enumerate()
        .filter(|(_, v)| v.is_finite())
        .map(|(i, v)| {
            let x = PAD + (W - 2.0 * PAD) * i as f64 / n as f64;
            let y = H - PAD - (H - 2.0 * PAD) * (v - lo) / span;
            format!("{x:.1},{y:.1}")
        })
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
    let hi = values.iter().copied().fold(0.0, f64::max).max(1e-12);
    let n = values.len().max(1);
    let bw = (W - 2.0 * PAD) / n as f64;
    let bars = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let h = (H - 2.0 * PAD) * v / hi;
            view! {
                <rect class=class_of(i) x=format!("{:.1}", PAD + i as f64 * bw + bw * 0.1) y=format!("{:.1}", H - PAD - h)
                    width=format!("{:.1}", bw * 0.8) height=format!("{h:.1}")>
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
    let hi = h.counts.iter().copied().max().unwrap_or(0).max(1) as f64;
    let n = h.counts.len().max(1);
    let bw = HIST_W / n as f64;
    let bars = h
        .counts
        .iter()
        .enumerate()
        .filter(|(_, c)| **c > 0)
        .map(|(i, &c)| {
            let height = (HIST_H - 14.0) * c as f64 / hi;
            let width = HIST_W / n as f64;
            let left = h.lo + (h.hi - h.lo) * i as f64 / n as f64;
            let right = left + (h.hi - h.lo) / n as f64;
            view! {
                <rect class="bar-plain" x=format!("{:.2}", i as f64 * bw) y=format!("{:.2}", HIST_H - 14.0 - height)
                    width=format!("{:.2}", width * 0.9) height=format!("{height:.2}")>
                    <title>{format!("[{left:.3}, {right:.3}): {}", format::thousands(c))}</title>
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
