//! Points rasterised into an RGBA pixel buffer, chunk-parallel, at a cost independent of the
//! canvas: the page blits the buffer and draws axes and overlays on top (ARCHITECTURE.md §3).
//!
//! Each pixel keeps how many points fall in it and the smallest row index among them; the
//! colour is that row's cluster, the brightness grows with log(count) as in datashader's
//! "eq_hist"-free log shading. Both merges (sum, min) are associative and commutative, so
//! the image is identical for any chunking and thread count.

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

/// Per pixel: how many points fall in it, and the smallest row index among them.
type PixelSums = (Vec<u32>, Vec<u32>);

/// Rasterises columns `fx`, `fy` of `x` into `viewport`, coloured by `labels` (one per row;
/// `None` draws every point in the first palette colour). Returns `width × height × 4`
/// RGBA bytes, transparent where no point falls.
pub fn rasterise(
    x: &ChunkedMatrix,
    fx: usize,
    fy: usize,
    labels: Option<&[u32]>,
    viewport: &Viewport,
    monitor: &dyn Monitor,
) -> Vec<u8> {
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
) -> Vec<u8>
where
    P: Fn(&[f32]) -> (f64, f64) + Sync,
{
    let (w, h) = (viewport.width as usize, viewport.height as usize);
    let sx = w as f64 / (viewport.x.1 - viewport.x.0);
    let sy = h as f64 / (viewport.y.1 - viewport.y.0);
    let empty = || (vec![0u32; w * h], vec![u32::MAX; w * h]);
    // One pair of pixel buffers per thread, not per chunk or rayon split: each is w·h·8
    // bytes to zero and to merge. Chunks stay single stealable jobs, so a thread slowed by
    // a side-by-side job (the scores) leaves its share to the other; any grouping gives
    // the same picture (sums and minima).
    let slots: Vec<Mutex<Option<PixelSums>>> = (0..=rayon::current_num_threads())
        .map(|_| Mutex::new(None))
        .collect();
    x.par_chunks().for_each(|c| {
        // The last slot where rayon runs the loop on a thread outside any pool.
        let slot =
            rayon::current_thread_index().map_or(slots.len() - 1, |i| i.min(slots.len() - 1));
        // Uncontended: a thread holds only its own slot, and nothing inside can steal.
        let mut guard = slots[slot].lock().unwrap_or_else(|e| e.into_inner());
        let (counts, first) = guard.get_or_insert_with(empty);
        run_chunk(monitor, TaskKind::Render, c.index, || {
            for r in 0..c.rows() {
                let (u, v) = point(c.row(r));
                let px = ((u - viewport.x.0) * sx).floor();
                let py = ((viewport.y.1 - v) * sy).floor();
                if px >= 0.0 && py >= 0.0 && (px as usize) < w && (py as usize) < h {
                    let p = py as usize * w + px as usize;
                    counts[p] += 1;
                    first[p] = first[p].min((c.start_row + r) as u32);
                }
            }
        });
    });
    let (counts, first) = slots
        .into_iter()
        .filter_map(|s| s.into_inner().unwrap_or_else(|e| e.into_inner()))
        .reduce(|(mut ca, mut fa), (cb, fb)| {
            for (a, b) in ca.iter_mut().zip(&cb) {
                *a += b;
            }
            for (a, b) in fa.iter_mut().zip(&fb) {
                *a = (*a).min(*b);
            }
            (ca, fa)
        })
        .unwrap_or_else(empty);
    let max = counts.iter().copied().max().unwrap_or(0).max(1);
    let log_max = ((1 + max) as f64).ln();
    let alpha = |count: u32| (110.0 + 145.0 * ((1 + count) as f64).ln() / log_max).round() as u8;
    // Most pixels hold few points: look their alpha up instead of taking a logarithm each.
    let table: Vec<u8> = (0..=max.min(4096)).map(alpha).collect();
    let mut out = vec![0u8; w * h * 4];
    out.par_chunks_mut(4 * w)
        .zip(counts.par_chunks(w).zip(first.par_chunks(w)))
        .for_each(|(line, (counts, first))| {
            for ((px, &count), &row) in line.chunks_exact_mut(4).zip(counts).zip(first) {
                if count == 0 {
                    continue;
                }
                let label = labels.map_or(0, |l| l[row as usize]);
                let [r, g, b] = colour(label);
                let a = table
                    .get(count as usize)
                    .copied()
                    .unwrap_or_else(|| alpha(count));
                px.copy_from_slice(&[r, g, b, a]);
            }
        });
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

    #[test]
    fn image_is_identical_for_any_chunking_and_threads() {
        let blobs = BlobsParams::new(20_000).seed(5).check().unwrap().generate();
        let (bx, by) = bounds(&blobs.x, 0, 1);
        let vp = Viewport {
            x: bx,
            y: by,
            width: 64,
            height: 48,
        };
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let a = one.install(|| rasterise(&blobs.x, 0, 1, Some(&blobs.labels), &vp, &Unmonitored));
        let x2 = blobs.x.clone().with_chunk_rows(333).unwrap();
        let b = rasterise(&x2, 0, 1, Some(&blobs.labels), &vp, &Unmonitored);
        assert_eq!(a, b);
        assert!(a.chunks(4).filter(|p| p[3] > 0).count() > 100);
    }

    #[test]
    fn a_point_lands_in_the_right_pixel_with_its_colour() {
        let x = ChunkedMatrix::from_vec(vec![0.25, 0.75, 0.9, 0.1], 2, 2, 1).unwrap();
        let vp = Viewport {
            x: (0.0, 1.0),
            y: (0.0, 1.0),
            width: 4,
            height: 4,
        };
        let img = rasterise(&x, 0, 1, Some(&[2, 3]), &vp, &Unmonitored);
        let at = |px: usize, py: usize| &img[(py * 4 + px) * 4..(py * 4 + px) * 4 + 4];
        assert_eq!(&at(1, 1)[..3], &PALETTE[2]);
        assert_eq!(&at(3, 3)[..3], &PALETTE[3]);
        assert_eq!(at(0, 0)[3], 0);
        assert_eq!(img.chunks(4).filter(|p| p[3] > 0).count(), 2);
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
