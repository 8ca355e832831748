//! Points rasterised into an RGBA pixel buffer, chunk-parallel, at a cost independent of the
//! canvas: the page blits the buffer and draws axes and overlays on top (ARCHITECTURE.md §3).
//!
//! Each pixel keeps how many points fall in it and the smallest row index among them; the
//! colour is that row's cluster, the brightness grows with log(count) as in datashader's
//! "eq_hist"-free log shading. Both merges (sum, min) are associative and commutative, so
//! the image is identical for any chunking and thread count.
//!
//! A single pixel per point is unreadable when there are few points (150 rows of a flower
//! data set are a few dozen faint dots), so when at most [`MARKER_MAX_POINTS`] fall inside
//! the window each is drawn as a marker instead: a disc in its cluster's colour with a
//! darker rim, larger the fewer the points ([`marker_radius`]), as a scatter plot in
//! matplotlib draws them. The count is taken from the same pixel sums, so zooming into a
//! large data set switches to markers once the window holds few enough points. Markers are
//! painted in descending row order, so the smallest row ends on top whatever the chunking.

use std::sync::Mutex;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::data::ChunkedMatrix;
use crate::limits::LimitError;
use crate::monitor::{Monitor, TaskKind, run_chunk};
use crate::pipeline::error::PipelineError;

/// Data-space rectangle mapped onto a `width × height` pixel grid (y grows upwards).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Viewport {
    /// Data range shown horizontally.
    pub x: (f64, f64),
    /// Data range shown vertically.
    pub y: (f64, f64),
    /// Pixels across.
    pub width: u32,
    /// Pixels down.
    pub height: u32,
}

/// A data-space rectangle chosen by zooming and panning (the `view` input); the pixel size
/// comes from the `width` and `height` inputs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ViewWindow {
    /// Data range shown horizontally, `(left, right)`.
    pub x: (f64, f64),
    /// Data range shown vertically, `(bottom, top)`.
    pub y: (f64, f64),
}

/// Largest magnitude of a window edge: far beyond any dataset, small enough that spans and
/// pixel scales stay finite.
pub const MAX_VIEW_COORDINATE: f64 = 1e15;

impl ViewWindow {
    /// Refuses a window that is empty, inverted, not finite or absurdly far out, naming it.
    pub fn check(&self) -> Result<(), PipelineError> {
        for (name, (lo, hi)) in [("view.x", self.x), ("view.y", self.y)] {
            let ok = lo.is_finite()
                && hi.is_finite()
                && lo.abs() <= MAX_VIEW_COORDINATE
                && hi.abs() <= MAX_VIEW_COORDINATE
                && hi - lo > f64::EPSILON * lo.abs().max(hi.abs()).max(1e-300);
            if !ok {
                return Err(PipelineError::Limit(LimitError::out_of_range(
                    name,
                    format!("({lo}, {hi})"),
                    format!(
                        "finite (low, high) with low < high, each within ±{MAX_VIEW_COORDINATE:e}"
                    ),
                )));
            }
        }
        Ok(())
    }
}

/// Tableau 10 followed by its light variants (Tableau 20): distinct hues for up to 20
/// clusters, then repeating.
pub const PALETTE: [[u8; 3]; 20] = [
    [31, 119, 180],
    [255, 127, 14],
    [44, 160, 44],
    [214, 39, 40],
    [148, 103, 189],
    [140, 86, 75],
    [227, 119, 194],
    [127, 127, 127],
    [188, 189, 34],
    [23, 190, 207],
    [174, 199, 232],
    [255, 187, 120],
    [152, 223, 138],
    [255, 152, 150],
    [197, 176, 213],
    [196, 156, 148],
    [247, 182, 210],
    [199, 199, 199],
    [219, 219, 141],
    [158, 218, 229],
];

/// The colour of cluster `label`.
pub fn colour(label: u32) -> [u8; 3] {
    PALETTE[label as usize % PALETTE.len()]
}

/// The colour of points that have no cluster yet (a replay's seeding rounds).
pub const UNLABELLED: [u8; 3] = [150, 150, 150];

/// The colour that marks rows whose label just changed (a replay's Lloyd steps): gold, in
/// no cluster's palette and readable on both themes' backgrounds.
pub const CHANGED: [u8; 3] = [255, 200, 0];

/// How points are coloured.
#[derive(Debug, Clone, Copy)]
pub struct Paint<'a> {
    /// One label per row, or `None` for every point in `unlabelled`.
    pub labels: Option<&'a [u32]>,
    /// The colour of every point when there are no labels.
    pub unlabelled: [u8; 3],
    /// One bit per row: rows to mark in [`CHANGED`] (a ring around their marker, or their
    /// density pixel).
    pub changed: Option<&'a [u64]>,
}

impl<'a> Paint<'a> {
    /// Coloured by `labels`, or all in the first palette colour.
    pub fn labels(labels: Option<&'a [u32]>) -> Self {
        Self {
            labels,
            unlabelled: PALETTE[0],
            changed: None,
        }
    }

    fn fill(&self, row: u32) -> [u8; 3] {
        self.labels
            .map_or(self.unlabelled, |l| colour(l[row as usize]))
    }

    fn is_changed(&self, row: u32) -> bool {
        self.changed.is_some_and(|c| {
            c.get(row as usize / 64)
                .is_some_and(|w| w >> (row % 64) & 1 == 1)
        })
    }
}

/// Pixels of an RGBA raster that some point fell in (the rest are transparent).
pub fn lit_pixels(rgba: &[u8]) -> usize {
    rgba.chunks(4).filter(|p| p[3] > 0).count()
}

/// Per-feature `(min, max)` of two columns, padded by 5 % on each side, chunk-parallel.
/// Degenerate ranges are widened to ±0.5 so a constant feature still has a visible axis.
pub fn bounds(x: &ChunkedMatrix, fx: usize, fy: usize) -> ((f64, f64), (f64, f64)) {
    // The matrix's scan holds each column's range (NaN ignored, like `bounds_of`); minima
    // of `f32` values widen to the same `f64` minima.
    let r = &x.value_scan().ranges;
    let (cx, cy) = (r[fx], r[fy]);
    (
        padded(cx.0 as f64, cx.1 as f64),
        padded(cy.0 as f64, cy.1 as f64),
    )
}

/// The padded `(min, max)` of each coordinate of `point(row)` over every row (see
/// [`bounds`]); min and max are order-independent, so any chunking gives the same box.
pub fn bounds_of<P>(x: &ChunkedMatrix, point: P) -> ((f64, f64), (f64, f64))
where
    P: Fn(&[f32]) -> (f64, f64) + Sync,
{
    let init = || {
        [
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ]
    };
    let b = x
        .par_chunks()
        .map(|c| {
            let mut b = init();
            for r in 0..c.rows() {
                let (u, v) = point(c.row(r));
                b[0] = b[0].min(u);
                b[1] = b[1].max(u);
                b[2] = b[2].min(v);
                b[3] = b[3].max(v);
            }
            b
        })
        .reduce(init, |a, b| {
            [
                a[0].min(b[0]),
                a[1].max(b[1]),
                a[2].min(b[2]),
                a[3].max(b[3]),
            ]
        });
    (padded(b[0], b[1]), padded(b[2], b[3]))
}

/// `(lo, hi)` widened by 5 % each side (or ±0.5 around a single value; (−1, 1) when empty).
fn padded(lo: f64, hi: f64) -> (f64, f64) {
    if !(lo.is_finite() && hi.is_finite()) {
        return (-1.0, 1.0);
    }
    let span = hi - lo;
    if span <= f64::EPSILON * hi.abs().max(1.0) {
        (lo - 0.5, hi + 0.5)
    } else {
        (lo - 0.05 * span, hi + 0.05 * span)
    }
}

/// Per pixel: how many points fall in it, and the smallest row index among them; and the
/// points themselves as `(row, x, y)` while there are few enough to be markers.
type PixelSums = (Vec<u32>, Vec<u32>, Vec<(u32, u32, u32)>, Vec<bool>);

/// Most points in the window that are drawn as markers; above it, the density raster.
///
/// At 20,000 points on a 600 × 400 canvas, markers of radius 2.5 (21 pixels each) already
/// cover the canvas almost twice over, so more points only hide each other and the density
/// shading says more. Measured with `cargo bench --bench render` (2 threads, two runs):
/// 20,000 markers take 3.3 ms, the density raster of 20,001 points 1.1–1.4 ms and of 1M
/// points 11–14 ms, so the switch never makes a render slow.
pub const MARKER_MAX_POINTS: usize = 20_000;

/// How the points of a picture were drawn.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(tag = "style", rename_all = "snake_case")]
pub enum PointStyle {
    /// One pixel per point, shaded by how many fall in it.
    #[default]
    Density,
    /// One disc per point.
    Markers {
        /// Disc radius in pixels.
        radius: f64,
        /// Points inside the window (each one marker).
        visible: usize,
    },
}

/// A rasterised picture.
#[derive(Debug, Clone, PartialEq)]
pub struct Picture {
    /// `width × height × 4` RGBA bytes, transparent where no point falls.
    pub pixels: Vec<u8>,
    /// Markers or density.
    pub style: PointStyle,
}

/// Marker radius for `visible` points on a `width × height` canvas: about a fifth of the
/// spacing the points would have if spread evenly, between 2.5 and 5.5 pixels (a disc of
/// radius 2.5 is 21 pixels, the smallest that shows its colour).
pub fn marker_radius(visible: usize, width: u32, height: u32) -> f64 {
    let spacing = (width as f64 * height as f64 / visible.max(1) as f64).sqrt();
    ((spacing / 5.0).floor() + 0.5).clamp(2.5, 5.5)
}

/// Rasterises columns `fx`, `fy` of `x` into `viewport`, coloured by `labels` (one per row;
/// `None` draws every point in the first palette colour): markers when few points are in
/// the window, the density raster otherwise.
pub fn rasterise(
    x: &ChunkedMatrix,
    fx: usize,
    fy: usize,
    labels: Option<&[u32]>,
    viewport: &Viewport,
    monitor: &dyn Monitor,
) -> Picture {
    rasterise_of(
        x,
        |row| (row[fx] as f64, row[fy] as f64),
        labels,
        viewport,
        monitor,
    )
}

/// Rasterises `point(row)` of every row of `x` into `viewport` (see [`rasterise`]); generic
/// so two plain columns and a PCA projection each get their own tight loop.
pub fn rasterise_of<P>(
    x: &ChunkedMatrix,
    point: P,
    labels: Option<&[u32]>,
    viewport: &Viewport,
    monitor: &dyn Monitor,
) -> Picture
where
    P: Fn(&[f32]) -> (f64, f64) + Sync,
{
    rasterise_painted(x, point, &Paint::labels(labels), viewport, monitor)
}

/// Rasterises `point(row)` of every row of `x` into `viewport`, coloured by `paint`.
pub fn rasterise_painted<P>(
    x: &ChunkedMatrix,
    point: P,
    paint: &Paint<'_>,
    viewport: &Viewport,
    monitor: &dyn Monitor,
) -> Picture
where
    P: Fn(&[f32]) -> (f64, f64) + Sync,
{
    let marks = paint.changed.is_some();
    let (w, h) = (viewport.width as usize, viewport.height as usize);
    let sx = w as f64 / (viewport.x.1 - viewport.x.0);
    let sy = h as f64 / (viewport.y.1 - viewport.y.0);
    // The pixel a point falls in, if it is inside the window.
    let pixel = |row: &[f32]| {
        let (u, v) = point(row);
        let px = ((u - viewport.x.0) * sx).floor();
        let py = ((viewport.y.1 - v) * sy).floor();
        (px >= 0.0 && py >= 0.0 && (px as usize) < w && (py as usize) < h)
            .then_some((px as usize, py as usize))
    };
    let empty = || {
        let changed = if marks {
            vec![false; w * h]
        } else {
            Vec::new()
        };
        (
            vec![0u32; w * h],
            vec![u32::MAX; w * h],
            Vec::new(),
            changed,
        )
    };
    // One pair of pixel buffers per thread, not per chunk or rayon split: each is w·h·8
    // bytes to zero and to merge. Chunks stay single stealable jobs, so a thread slowed by
    // a side-by-side job (the scores) leaves its share to the other; any grouping gives
    // the same picture (sums and minima). Each thread also keeps the points it placed, up
    // to the marker limit: if the window holds few enough for markers, no thread reached
    // it, so every point is kept and no second pass over the data is needed.
    let slots: Vec<Mutex<Option<PixelSums>>> = (0..=rayon::current_num_threads())
        .map(|_| Mutex::new(None))
        .collect();
    x.par_chunks().for_each(|c| {
        // The last slot where rayon runs the loop on a thread outside any pool.
        let slot =
            rayon::current_thread_index().map_or(slots.len() - 1, |i| i.min(slots.len() - 1));
        // Uncontended: a thread holds only its own slot, and nothing inside can steal.
        let mut guard = slots[slot].lock().unwrap_or_else(|e| e.into_inner());
        let (counts, first, kept, changed) = guard.get_or_insert_with(empty);
        run_chunk(monitor, TaskKind::Render, c.index, || {
            for r in 0..c.rows() {
                if let Some((px, py)) = pixel(c.row(r)) {
                    let p = py * w + px;
                    let row = (c.start_row + r) as u32;
                    counts[p] += 1;
                    first[p] = first[p].min(row);
                    if marks && paint.is_changed(row) {
                        changed[p] = true;
                    }
                    if kept.len() < MARKER_MAX_POINTS {
                        kept.push((row, px as u32, py as u32));
                    }
                }
            }
        });
    });
    let (counts, first, kept, changed) = slots
        .into_iter()
        .filter_map(|s| s.into_inner().unwrap_or_else(|e| e.into_inner()))
        .reduce(|(mut ca, mut fa, mut ka, mut xa), (cb, fb, kb, xb)| {
            for (a, b) in ca.iter_mut().zip(&cb) {
                *a += b;
            }
            for (a, b) in fa.iter_mut().zip(&fb) {
                *a = (*a).min(*b);
            }
            for (a, b) in xa.iter_mut().zip(&xb) {
                *a |= b;
            }
            ka.extend(kb);
            (ca, fa, ka, xa)
        })
        .unwrap_or_else(empty);
    let visible: usize = counts.iter().map(|&c| c as usize).sum();
    if visible > 0 && visible <= MARKER_MAX_POINTS {
        let radius = marker_radius(visible, viewport.width, viewport.height);
        let pixels = markers(kept, paint, w, h, radius);
        return Picture {
            pixels,
            style: PointStyle::Markers { radius, visible },
        };
    }
    let max = counts.iter().copied().max().unwrap_or(0).max(1);
    let log_max = ((1 + max) as f64).ln();
    let alpha = |count: u32| (110.0 + 145.0 * ((1 + count) as f64).ln() / log_max).round() as u8;
    // Most pixels hold few points: look their alpha up instead of taking a logarithm each.
    let table: Vec<u8> = (0..=max.min(4096)).map(alpha).collect();
    let mut out = vec![0u8; w * h * 4];
    out.par_chunks_mut(4 * w)
        .zip(counts.par_chunks(w).zip(first.par_chunks(w)))
        .enumerate()
        .for_each(|(y, (line, (counts, first)))| {
            // Only a replay step marks pixels; otherwise there is no flag buffer at all.
            let changed = marks.then(|| &changed[y * w..(y + 1) * w]);
            let pixels = line.chunks_exact_mut(4).zip(counts).zip(first);
            for (x, ((px, &count), &row)) in pixels.enumerate() {
                if count == 0 {
                    continue;
                }
                let moved = changed.is_some_and(|c| c[x]);
                let [r, g, b] = if moved { CHANGED } else { paint.fill(row) };
                let a = table
                    .get(count as usize)
                    .copied()
                    .unwrap_or_else(|| alpha(count));
                px.copy_from_slice(&[r, g, b, a]);
            }
        });
    Picture {
        pixels: out,
        style: PointStyle::Density,
    }
}

/// Draws a disc of `radius` for every kept point (at most [`MARKER_MAX_POINTS`]), filled
/// with its cluster's colour, with a rim one pixel wide at 55 % of that colour so touching
/// discs stay apart (two pixels of [`CHANGED`] for a row whose label just changed); in
/// descending row order, so the smallest row ends on top.
fn markers(
    mut points: Vec<(u32, u32, u32)>,
    paint: &Paint<'_>,
    w: usize,
    h: usize,
    radius: f64,
) -> Vec<u8> {
    // Threads kept their points in whatever order they took chunks; rows are unique.
    points.sort_unstable_by_key(|&(row, _, _)| std::cmp::Reverse(row));
    let reach = radius.floor() as isize;
    let (outer, inner) = (radius * radius, (radius - 1.0) * (radius - 1.0));
    let mut out = vec![0u8; w * h * 4];
    for (row, px, py) in points {
        let (px, py) = (px as usize, py as usize);
        let fill = paint.fill(row);
        let (rim, inner) = if paint.is_changed(row) {
            (CHANGED, (radius - 2.0).max(0.0).powi(2))
        } else {
            (fill.map(|c| (c as f64 * 0.55).round() as u8), inner)
        };
        for dy in -reach..=reach {
            let y = py as isize + dy;
            if y < 0 || y >= h as isize {
                continue;
            }
            for dx in -reach..=reach {
                let x = px as isize + dx;
                let d2 = (dx * dx + dy * dy) as f64;
                if x < 0 || x >= w as isize || d2 > outer {
                    continue;
                }
                let [r, g, b] = if d2 > inner { rim } else { fill };
                let i = (y as usize * w + x as usize) * 4;
                out[i..i + 4].copy_from_slice(&[r, g, b, 255]);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::BlobsParams;
    use crate::monitor::Unmonitored;

    #[test]
    fn column_bounds_from_the_scan_equal_the_row_by_row_bounds() {
        for (n, chunk) in [(1usize, 1usize), (3, 2), (1001, 64), (20_000, 4096)] {
            let blobs = BlobsParams::new(n)
                .n_features(1 + n % 3)
                .seed(n as u64)
                .chunk_rows(chunk)
                .check()
                .unwrap()
                .generate();
            for (fx, fy) in [(0, blobs.x.n_cols() - 1), (blobs.x.n_cols() - 1, 0), (0, 0)] {
                let fast = bounds(&blobs.x, fx, fy);
                let rows = bounds_of(&blobs.x, |r| (r[fx] as f64, r[fy] as f64));
                assert_eq!(fast, rows, "n {n} chunk {chunk} ({fx}, {fy})");
            }
        }
    }

    /// The same picture on one thread with the default chunks and on the pool with 333-row
    /// chunks.
    fn both_ways(n: usize, w: u32, h: u32) -> (Picture, Picture) {
        let blobs = BlobsParams::new(n).seed(5).check().unwrap().generate();
        let (bx, by) = bounds(&blobs.x, 0, 1);
        let vp = Viewport {
            x: bx,
            y: by,
            width: w,
            height: h,
        };
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let a = one.install(|| rasterise(&blobs.x, 0, 1, Some(&blobs.labels), &vp, &Unmonitored));
        let x2 = blobs.x.clone().with_chunk_rows(333).unwrap();
        let b = rasterise(&x2, 0, 1, Some(&blobs.labels), &vp, &Unmonitored);
        (a, b)
    }

    #[test]
    fn density_image_is_identical_for_any_chunking_and_threads() {
        let (a, b) = both_ways(MARKER_MAX_POINTS + 30_000, 64, 48);
        assert_eq!(a.style, PointStyle::Density);
        assert_eq!(a, b);
        assert!(lit_pixels(&a.pixels) > 100);
    }

    #[test]
    fn marker_image_is_identical_for_any_chunking_and_threads() {
        let (a, b) = both_ways(MARKER_MAX_POINTS, 120, 90);
        assert!(
            matches!(a.style, PointStyle::Markers { visible, .. } if visible == MARKER_MAX_POINTS),
            "{:?}",
            a.style
        );
        assert_eq!(a, b);
    }

    /// Discs of one palette colour, at least 9 pixels each (4-connected regions): what a
    /// person sees as coloured markers. Single pixels never count.
    fn markers_by_colour(img: &[u8], w: usize) -> Vec<usize> {
        let h = img.len() / 4 / w;
        let at = |p: usize| [img[p * 4], img[p * 4 + 1], img[p * 4 + 2], img[p * 4 + 3]];
        let mut seen = vec![false; w * h];
        let mut found = vec![0; PALETTE.len()];
        for start in 0..w * h {
            let c = at(start);
            let Some(label) = PALETTE.iter().position(|p| c == [p[0], p[1], p[2], 255]) else {
                continue;
            };
            if seen[start] {
                continue;
            }
            let (mut stack, mut size) = (vec![start], 0);
            seen[start] = true;
            while let Some(p) = stack.pop() {
                size += 1;
                let (x, y) = (p % w, p / w);
                let near = [
                    (x > 0).then(|| p - 1),
                    (x + 1 < w).then(|| p + 1),
                    (y > 0).then(|| p - w),
                    (y + 1 < h).then(|| p + w),
                ];
                for q in near.into_iter().flatten() {
                    if !seen[q] && at(q) == c {
                        seen[q] = true;
                        stack.push(q);
                    }
                }
            }
            if size >= 9 {
                found[label] += 1;
            }
        }
        found
    }

    #[test]
    fn a_small_data_set_is_drawn_as_one_coloured_marker_per_point() {
        // 150 rows in three groups of 50, each a 10 × 5 grid: no two markers touch.
        let mut values = Vec::new();
        let mut labels = Vec::new();
        for g in 0..3 {
            for i in 0..50 {
                values.push((g * 12 + i % 10) as f32);
                values.push((g * 3 + i / 10) as f32);
                labels.push(g as u32);
            }
        }
        let x = ChunkedMatrix::from_vec(values, 150, 2, 16).unwrap();
        let (bx, by) = bounds(&x, 0, 1);
        let vp = Viewport {
            x: bx,
            y: by,
            width: 640,
            height: 400,
        };
        let pic = rasterise(&x, 0, 1, Some(&labels), &vp, &Unmonitored);
        assert!(matches!(
            pic.style,
            PointStyle::Markers { visible: 150, .. }
        ));
        let found = markers_by_colour(&pic.pixels, 640);
        assert_eq!(&found[..4], &[50, 50, 50, 0], "markers by colour");
    }

    #[test]
    fn a_marker_is_a_disc_with_a_rim_and_the_first_row_on_top() {
        // Rows 0 and 1 share a place; row 2 stands apart.
        let x =
            ChunkedMatrix::from_vec(vec![0.25, 0.75, 0.25, 0.75, 0.875, 0.125], 3, 2, 1).unwrap();
        let vp = Viewport {
            x: (0.0, 1.0),
            y: (0.0, 1.0),
            width: 40,
            height: 40,
        };
        let pic = rasterise(&x, 0, 1, Some(&[2, 3, 4]), &vp, &Unmonitored);
        let r = marker_radius(3, 40, 40);
        assert_eq!(
            pic.style,
            PointStyle::Markers {
                radius: r,
                visible: 3
            }
        );
        assert_eq!(r, 4.5);
        let at = |px: usize, py: usize| &pic.pixels[(py * 40 + px) * 4..(py * 40 + px) * 4 + 4];
        let rim = |c: [u8; 3]| c.map(|v| (v as f64 * 0.55).round() as u8);
        assert_eq!(
            at(10, 10),
            &[PALETTE[2][0], PALETTE[2][1], PALETTE[2][2], 255]
        );
        assert_eq!(&at(14, 10)[..3], &rim(PALETTE[2]));
        assert_eq!(at(15, 10)[3], 0);
        assert_eq!(&at(35, 35)[..3], &PALETTE[4]);
        assert_eq!(&at(35, 31)[..3], &rim(PALETTE[4]));
        assert_eq!(at(0, 0)[3], 0);
    }

    #[test]
    fn zooming_into_a_large_data_set_switches_to_markers() {
        let blobs = BlobsParams::new(100_000)
            .seed(3)
            .check()
            .unwrap()
            .generate();
        let (bx, by) = bounds(&blobs.x, 0, 1);
        let full = Viewport {
            x: bx,
            y: by,
            width: 300,
            height: 200,
        };
        let draw = |vp: &Viewport| rasterise(&blobs.x, 0, 1, Some(&blobs.labels), vp, &Unmonitored);
        assert_eq!(draw(&full).style, PointStyle::Density);
        let (u, v) = (blobs.x.row(0)[0] as f64, blobs.x.row(0)[1] as f64);
        let zoomed = Viewport {
            x: (u - 0.1, u + 0.1),
            y: (v - 0.1, v + 0.1),
            ..full
        };
        match draw(&zoomed).style {
            PointStyle::Markers { visible, .. } => {
                assert!((1..MARKER_MAX_POINTS).contains(&visible))
            }
            s => panic!("zoomed window drawn as {s:?}"),
        }
    }

    #[test]
    fn markers_shrink_as_points_grow_and_stay_legible() {
        let radii: Vec<f64> = [1, 10, 150, 1_000, 5_000, MARKER_MAX_POINTS]
            .iter()
            .map(|&n| marker_radius(n, 640, 400))
            .collect();
        assert!(radii.windows(2).all(|p| p[0] >= p[1]), "{radii:?}");
        assert_eq!(radii[0], 5.5);
        assert_eq!(*radii.last().unwrap(), 2.5);
    }

    #[test]
    fn rows_that_changed_label_are_marked_in_both_styles() {
        // Two spots; only the last row (alone on the second spot) changed label.
        let vp = Viewport {
            x: (0.0, 1.0),
            y: (0.0, 1.0),
            width: 40,
            height: 40,
        };
        for n in [10, MARKER_MAX_POINTS + 1] {
            let mut values = [0.25f32, 0.75].repeat(n - 1);
            values.extend([0.875, 0.125]);
            let labels = vec![1u32; n];
            let mut changed = vec![0u64; n.div_ceil(64)];
            changed[(n - 1) / 64] |= 1 << ((n - 1) % 64);
            let x = ChunkedMatrix::from_vec(values, n, 2, 1024).unwrap();
            let paint = Paint {
                labels: Some(&labels),
                unlabelled: UNLABELLED,
                changed: Some(&changed),
            };
            let point = |r: &[f32]| (r[0] as f64, r[1] as f64);
            let pic = rasterise_painted(&x, point, &paint, &vp, &Unmonitored);
            let gold = |px: usize, py: usize| {
                let i = (py * 40 + px) * 4;
                pic.pixels[i..i + 3] == CHANGED
            };
            // (0.875, 0.125) is pixel (35, 35); (0.25, 0.75) is pixel (10, 10).
            let marked = match pic.style {
                PointStyle::Markers { radius, .. } => gold(35 + radius.floor() as usize, 35),
                PointStyle::Density => gold(35, 35),
            };
            assert!(marked, "n = {n}: the changed row is not marked");
            assert!(!gold(10, 10), "n = {n}: an unchanged row is marked");
            let plain = rasterise_of(&x, point, Some(&labels), &vp, &Unmonitored);
            assert!(
                !plain.pixels.chunks(4).any(|p| p[..3] == CHANGED),
                "n = {n}"
            );
        }
    }

    #[test]
    fn a_point_lands_in_the_right_pixel_with_its_colour() {
        // Enough points for the density raster: all but the last on one spot.
        let n = MARKER_MAX_POINTS + 1;
        let mut values = [0.25f32, 0.75].repeat(n - 1);
        values.extend([0.9, 0.1]);
        let mut labels = vec![2u32; n - 1];
        labels.push(3);
        let x = ChunkedMatrix::from_vec(values, n, 2, 1024).unwrap();
        let vp = Viewport {
            x: (0.0, 1.0),
            y: (0.0, 1.0),
            width: 4,
            height: 4,
        };
        let pic = rasterise(&x, 0, 1, Some(&labels), &vp, &Unmonitored);
        assert_eq!(pic.style, PointStyle::Density);
        let img = &pic.pixels;
        let at = |px: usize, py: usize| &img[(py * 4 + px) * 4..(py * 4 + px) * 4 + 4];
        assert_eq!(&at(1, 1)[..3], &PALETTE[2]);
        assert_eq!(at(1, 1)[3], 255, "the densest pixel is opaque");
        assert_eq!(&at(3, 3)[..3], &PALETTE[3]);
        assert!(at(3, 3)[3] < 255, "a lone point is fainter");
        assert_eq!(at(0, 0)[3], 0);
        assert_eq!(lit_pixels(img), 2);
    }

    #[test]
    fn view_windows_must_be_finite_and_ordered() {
        let ok = ViewWindow {
            x: (-1.0, 1.0),
            y: (2.0, 2.5),
        };
        assert!(ok.check().is_ok());
        let e = ViewWindow {
            x: (1.0, 1.0),
            ..ok
        }
        .check()
        .unwrap_err();
        assert!(
            e.to_string().starts_with("view.x = (1, 1) is out of range"),
            "{e}"
        );
        let e = ViewWindow {
            y: (0.0, f64::INFINITY),
            ..ok
        }
        .check()
        .unwrap_err();
        assert!(e.to_string().starts_with("view.y = (0, inf)"), "{e}");
    }

    #[test]
    fn bounds_pad_and_survive_constant_columns() {
        let x = ChunkedMatrix::from_vec(vec![0.0, 3.0, 10.0, 3.0], 2, 2, 1).unwrap();
        let (bx, by) = bounds(&x, 0, 1);
        assert_eq!(bx, (-0.5, 10.5));
        assert_eq!(by, (2.5, 3.5));
    }

    #[test]
    fn lit_pixels_are_the_opaque_ones() {
        assert_eq!(lit_pixels(&[0, 0, 0, 0, 9, 9, 9, 1, 1, 2, 3, 255]), 2);
        assert_eq!(lit_pixels(&[]), 0);
    }
}
