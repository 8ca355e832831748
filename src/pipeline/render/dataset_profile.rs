//! A dataset's profile for its deck (Flyte Decks' dataset view): per-feature histograms and
//! the first rows with their labels.
//!
//! Two chunk-parallel passes: per-feature minimum and maximum, then bin counts. Both merges
//! (min/max, integer sums) are exact and order-independent, so the profile is the same for
//! any chunk size and thread count. Bins follow `numpy.histogram`: equal widths over
//! `[min, max]`, the last bin closed; a constant feature gets the range `min ± 0.5`.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::data::ChunkedMatrix;
use crate::monitor::{Monitor, TaskKind, run_chunk};
use crate::pipeline::error::PipelineError;

/// Bins per histogram.
pub const HISTOGRAM_BINS: usize = 40;
/// Features that get a histogram (the first ones).
pub const MAX_HISTOGRAMS: usize = 16;
/// Rows shown in the first-rows table.
pub const FIRST_ROWS: usize = 10;
/// Interleaved histogram copies per chunk (see the counting pass).
const LANES: usize = 4;

/// One feature's histogram.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureHistogram {
    /// The feature (column).
    pub feature: usize,
    /// Left edge of the first bin.
    pub lo: f64,
    /// Right edge of the last bin.
    pub hi: f64,
    /// Rows per bin (non-finite values are counted in `non_finite` instead).
    pub counts: Vec<u64>,
    /// Rows whose value is NaN or infinite.
    pub non_finite: u64,
}

/// The first rows of the dataset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FirstRow {
    /// Row number.
    pub row: usize,
    /// Every feature.
    pub values: Vec<f32>,
    /// The true label, when known.
    pub label: Option<u32>,
}

/// What the dataset deck shows beyond the shape.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatasetProfile {
    /// Rows profiled (all of them).
    pub n_samples: usize,
    /// Features of the dataset (histograms cover at most [`MAX_HISTOGRAMS`]).
    pub n_features: usize,
    /// Histograms of the first features.
    pub histograms: Vec<FeatureHistogram>,
    /// The first rows.
    pub first_rows: Vec<FirstRow>,
}

/// Profiles `x` (labels optional), reporting one task per chunk of the counting pass.
pub fn profile(
    x: &ChunkedMatrix,
    labels: Option<&[u32]>,
    monitor: &dyn Monitor,
) -> Result<DatasetProfile, PipelineError> {
    let d = x.n_cols();
    let f = d.min(MAX_HISTOGRAMS);
    if d == 0 {
        return Ok(DatasetProfile {
            n_samples: x.n_rows(),
            n_features: 0,
            histograms: Vec::new(),
            first_rows: Vec::new(),
        });
    }
    // Column ranges come from the matrix's scan (written by the generator for blobs).
    let ranges = &x.value_scan().ranges[..f];
    monitor.checkpoint()?;
    // Blocks of `k` whole rows (at least 16 values): lane i always holds column i % d.
    let k = 16usize.div_ceil(d);
    let lanes = k * d;
    let edges: Vec<(f64, f64)> = ranges
        .iter()
        .map(|&(lo, hi)| {
            if !(lo.is_finite() && hi.is_finite()) {
                (0.0, 1.0)
            } else if lo == hi {
                (lo as f64 - 0.5, hi as f64 + 0.5)
            } else {
                (lo as f64, hi as f64)
            }
        })
        .collect();
    let scale: Vec<f64> = edges
        .iter()
        .map(|(lo, hi)| HISTOGRAM_BINS as f64 / (hi - lo))
        .collect();
    // The counting pass works on the same blocks of `k` rows: bins are computed for a
    // whole block at once (vectorised), then counted. Each lane knows its column's left
    // edge and scale and where its count goes: one of four interleaved copies (by row,
    // since consecutive rows of a blob fall in the same bin and one copy would make every
    // increment wait for the previous one), or a discard slot for columns past the first
    // MAX_HISTOGRAMS.
    const B1: usize = HISTOGRAM_BINS + 1;
    let stride = f * B1;
    let discard = LANES * stride;
    let lane_lo: Vec<f32> = (0..lanes)
        .map(|i| edges.get(i % d).map_or(0.0, |e| e.0 as f32))
        .collect();
    let lane_scale: Vec<f32> = (0..lanes)
        .map(|i| scale.get(i % d).map_or(0.0, |&s| s as f32))
        .collect();
    let lane_slot: Vec<usize> = (0..lanes)
        .map(|i| {
            let col = i % d;
            if col < f {
                ((i / d) % LANES) * stride + col * B1
            } else {
                discard
            }
        })
        .collect();
    let counts = x
        .par_chunks()
        .map(|c| {
            run_chunk(monitor, TaskKind::Metrics, c.index, || {
                let mut copies = vec![0u32; discard + B1];
                if monitor.is_cancelled() {
                    return vec![0u64; stride];
                }
                let mut bins = vec![0u32; lanes];
                for block in c.values.chunks(lanes) {
                    let lanes_in = lane_lo.iter().zip(&lane_scale);
                    for ((b, &v), (&lo, &sc)) in bins.iter_mut().zip(block).zip(lanes_in) {
                        // f32 arithmetic and a saturating cast; the last bin is closed.
                        let t = ((v - lo) * sc) as u32;
                        *b = if v.is_finite() {
                            t.min(HISTOGRAM_BINS as u32 - 1)
                        } else {
                            HISTOGRAM_BINS as u32
                        };
                    }
                    for (&b, &slot) in bins.iter().zip(&lane_slot).take(block.len()) {
                        copies[slot + b as usize] += 1;
                    }
                }
                let mut h = vec![0u64; stride];
                for copy in copies[..discard].chunks_exact(stride) {
                    h.iter_mut().zip(copy).for_each(|(a, &b)| *a += b as u64);
                }
                h
            })
        })
        .reduce(
            || vec![0u64; f * (HISTOGRAM_BINS + 1)],
            |mut a, b| {
                a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
                a
            },
        );
    monitor.checkpoint()?;
    let histograms = (0..f)
        .map(|j| {
            let h = &counts[j * (HISTOGRAM_BINS + 1)..(j + 1) * (HISTOGRAM_BINS + 1)];
            FeatureHistogram {
                feature: j,
                lo: edges[j].0,
                hi: edges[j].1,
                counts: h[..HISTOGRAM_BINS].to_vec(),
                non_finite: h[HISTOGRAM_BINS],
            }
        })
        .collect();
    let first_rows = (0..x.n_rows().min(FIRST_ROWS))
        .map(|r| FirstRow {
            row: r,
            values: x.row(r).to_vec(),
            label: labels.and_then(|l| l.get(r).copied()),
        })
        .collect();
    Ok(DatasetProfile {
        n_samples: x.n_rows(),
        n_features: d,
        histograms,
        first_rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::BlobsParams;
    use crate::monitor::Unmonitored;

    #[test]
    fn counts_follow_numpy_edges() {
        // numpy.histogram([0, 1, 2, 3, 4], bins=40): 0 in bin 0, 1 in bin 10, 2 in bin 20,
        // 3 in bin 30, and the maximum 4 in the closed last bin 39.
        let x = ChunkedMatrix::from_vec(
            vec![0.0, 7.0, 1.0, 7.0, 2.0, 7.0, 3.0, 7.0, 4.0, f32::NAN],
            5,
            2,
            2,
        )
        .unwrap();
        let p = profile(&x, Some(&[0, 1, 0, 1, 0]), &Unmonitored).unwrap();
        let h = &p.histograms[0];
        assert_eq!((h.lo, h.hi), (0.0, 4.0));
        for (b, &c) in h.counts.iter().enumerate() {
            assert_eq!(c, u64::from([0, 10, 20, 30, 39].contains(&b)), "bin {b}");
        }
        // A constant column spans ±0.5 and fills the middle bin; the NaN is set apart.
        let h = &p.histograms[1];
        assert_eq!((h.lo, h.hi), (6.5, 7.5));
        assert_eq!(h.counts[20], 4);
        assert_eq!(h.non_finite, 1);
        assert_eq!(p.first_rows.len(), 5);
        assert_eq!(p.first_rows[1].values, vec![1.0, 7.0]);
        assert_eq!(p.first_rows[1].label, Some(1));
    }

    #[test]
    fn profile_is_identical_for_any_chunking_and_threads() {
        let b = BlobsParams::new(30_000)
            .n_features(20)
            .seed(3)
            .check()
            .unwrap()
            .generate();
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let a = one.install(|| profile(&b.x, Some(&b.labels), &Unmonitored).unwrap());
        let x2 = b.x.clone().with_chunk_rows(777).unwrap();
        let c = profile(&x2, Some(&b.labels), &Unmonitored).unwrap();
        assert_eq!(a, c);
        assert_eq!(a.histograms.len(), MAX_HISTOGRAMS);
        assert_eq!(a.first_rows.len(), FIRST_ROWS);
        assert_eq!(a.first_rows[9].values.len(), 20);
        for h in &a.histograms {
            assert_eq!(h.counts.iter().sum::<u64>(), 30_000);
        }
    }
}
