//! Isotropic Gaussian blobs with the semantics of `sklearn.datasets.make_blobs` (and
//! `dask_ml.datasets.make_blobs`), generated chunk-parallel with ground-truth labels.
//!
//! Like scikit-learn: centres given as a count are drawn uniformly in `center_box`; sample
//! counts per centre are `n / c`, the first `n % c` centres taking one more; each sample is
//! its centre plus `N(0, cluster_std²)` noise per feature; `shuffle` permutes the rows.
//! Unlike scikit-learn, every draw is keyed by `(seed, purpose, index)`
//! ([`KeyedStream`]), so the same seed gives the same dataset for every chunk size and
//! thread count, natively and in wasm. Values match scikit-learn in distribution, not bit
//! for bit (NumPy's generator is sequential).

use std::sync::atomic::{AtomicU64, Ordering};

use ndarray::Array2;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::chunked_matrix::{CHUNKS_PER_JOB, ChunkedMatrix, DEFAULT_CHUNK_ROWS, ValueScan};
use super::error::DataError;
use super::keyed_stream::{KeyedStream, Purpose, StreamFamily, stream_key};
use super::normal::StandardNormal;
use super::permutation::Permutation;
use crate::limits;
use crate::limits::LimitError;
use crate::monitor::{Cancelled, Monitor, TaskKind, Unmonitored, run_chunk};

/// Largest `n_samples` accepted ([`limits::N_SAMPLES`]; the browser's 4 GiB wasm memory
/// is checked separately).
pub const MAX_SAMPLES: usize = limits::N_SAMPLES.whole_max() as usize;
/// Largest `n_features` accepted ([`limits::N_FEATURES`]).
pub const MAX_FEATURES: usize = limits::N_FEATURES.whole_max() as usize;
/// Largest number of centres accepted ([`limits::CENTERS`]).
pub const MAX_CENTERS: usize = limits::CENTERS.whole_max() as usize;

/// Where the blob centres come from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Centers {
    /// This many centres, uniform in `center_box`.
    Count(usize),
    /// Explicit centres, one row each (`n_features` is taken from them).
    Points(Vec<Vec<f64>>),
}

/// Standard deviation of the blobs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClusterStd {
    /// One value for every centre.
    Scalar(f64),
    /// One value per centre.
    PerCenter(Vec<f64>),
}

/// Unchecked parameters of a blobs dataset (the builder); [`BlobsParams::check`] validates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlobsParams {
    /// Number of samples (rows).
    pub n_samples: usize,
    /// Number of features (columns); ignored when `centers` are explicit points.
    pub n_features: usize,
    /// Centres as a count or as explicit points.
    pub centers: Centers,
    /// Standard deviation, scalar or per centre.
    pub cluster_std: ClusterStd,
    /// Bounding box `(low, high)` for centres drawn at random.
    pub center_box: (f64, f64),
    /// Whether rows are shuffled (otherwise grouped by centre, as scikit-learn does).
    pub shuffle: bool,
    /// The seed of every random stream.
    pub seed: u64,
    /// Rows per chunk.
    pub chunk_rows: usize,
}

impl Default for BlobsParams {
    /// scikit-learn's defaults: 100 samples, 2 features, 3 centres, std 1, box (-10, 10).
    fn default() -> Self {
        Self {
            n_samples: 100,
            n_features: 2,
            centers: Centers::Count(3),
            cluster_std: ClusterStd::Scalar(1.0),
            center_box: (-10.0, 10.0),
            shuffle: true,
            seed: 0,
            chunk_rows: DEFAULT_CHUNK_ROWS,
        }
    }
}

impl BlobsParams {
    /// Default parameters with `n_samples` rows.
    pub fn new(n_samples: usize) -> Self {
        Self {
            n_samples,
            ..Self::default()
        }
    }
    /// Sets `n_features`.
    pub fn n_features(mut self, d: usize) -> Self {
        self.n_features = d;
        self
    }
    /// Sets the centres.
    pub fn centers(mut self, centers: Centers) -> Self {
        self.centers = centers;
        self
    }
    /// Sets a scalar `cluster_std`.
    pub fn cluster_std(mut self, std: f64) -> Self {
        self.cluster_std = ClusterStd::Scalar(std);
        self
    }
    /// Sets `center_box`.
    pub fn center_box(mut self, low: f64, high: f64) -> Self {
        self.center_box = (low, high);
        self
    }
    /// Sets `shuffle`.
    pub fn shuffle(mut self, shuffle: bool) -> Self {
        self.shuffle = shuffle;
        self
    }
    /// Sets the seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
    /// Sets rows per chunk.
    pub fn chunk_rows(mut self, chunk_rows: usize) -> Self {
        self.chunk_rows = chunk_rows;
        self
    }

    /// Validates every parameter; the error names the value and the allowed range.
    pub fn check(&self) -> Result<ValidBlobsParams, DataError> {
        limits::N_SAMPLES.check_usize(self.n_samples)?;
        limits::CHUNK_ROWS.check_usize(self.chunk_rows)?;
        limits::DATA_SEED.check_whole(self.seed)?;
        let (lo, hi) = self.center_box;
        if !(lo.is_finite() && hi.is_finite() && lo < hi) {
            return Err(DataError::Limit(LimitError::out_of_range(
                "center_box",
                format!("({lo}, {hi})"),
                "finite (low, high) with low < high",
            )));
        }
        let (n_features, n_centers) = match &self.centers {
            Centers::Count(c) => {
                limits::N_FEATURES.check_usize(self.n_features)?;
                limits::CENTERS.check_usize(*c)?;
                (self.n_features, *c)
            }
            Centers::Points(points) => {
                limits::CENTERS.check_usize(points.len())?;
                let d = points[0].len();
                limits::N_FEATURES
                    .named("n_features of centres")
                    .check_usize(d)?;
                for (row, p) in points.iter().enumerate() {
                    if p.len() != d {
                        return Err(DataError::Inconsistent {
                            what: "every centre must have the same number of features",
                            expected: d,
                            got: p.len(),
                        });
                    }
                    if let Some(col) = p.iter().position(|v| !v.is_finite()) {
                        return Err(DataError::NotFinite {
                            name: "centers",
                            value: p[col].to_string(),
                            row,
                            col,
                        });
                    }
                }
                (d, points.len())
            }
        };
        crate::limits::check_between(
            "n_samples × n_features",
            self.n_samples.saturating_mul(n_features),
            1,
            MAX_SAMPLES * 4,
        )?;
        let stds = match &self.cluster_std {
            ClusterStd::Scalar(s) => vec![*s; n_centers],
            ClusterStd::PerCenter(v) => {
                if v.len() != n_centers {
                    return Err(DataError::Inconsistent {
                        what: "cluster_std needs one value per centre",
                        expected: n_centers,
                        got: v.len(),
                    });
                }
                v.clone()
            }
        };
        for &s in &stds {
            limits::CLUSTER_STD.check_f64(s)?;
        }
        let centers = match &self.centers {
            Centers::Points(points) => {
                Array2::from_shape_fn((n_centers, n_features), |(c, j)| points[c][j])
            }
            Centers::Count(_) => Array2::from_shape_fn((n_centers, n_features), |(c, j)| {
                let mut s =
                    KeyedStream::new(self.seed, Purpose::Centers, (c * n_features + j) as u64);
                lo + (hi - lo) * s.uniform()
            }),
        };
        Ok(ValidBlobsParams {
            params: self.clone(),
            n_features,
            centers,
            stds,
        })
    }
}

/// Checked blobs parameters with the centres resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidBlobsParams {
    params: BlobsParams,
    n_features: usize,
    centers: Array2<f64>,
    stds: Vec<f64>,
}

/// A generated dataset with its ground truth.
#[derive(Debug, Clone, PartialEq)]
pub struct Blobs {
    /// The samples.
    pub x: ChunkedMatrix,
    /// The index of the centre each sample was drawn around.
    pub labels: Vec<u32>,
    /// The true centres, `n_centers × n_features`.
    pub centers: Array2<f64>,
    /// Per-row sample weights (an imported file's weights column, scikit-learn's
    /// `sample_weight`); `None`: every row weighs 1. Generated blobs have none.
    pub weights: Option<Vec<f64>>,
}

impl ValidBlobsParams {
    /// The parameters as given.
    pub fn params(&self) -> &BlobsParams {
        &self.params
    }
    /// Number of features of the dataset.
    pub fn n_features(&self) -> usize {
        self.n_features
    }
    /// The resolved centres.
    pub fn centers(&self) -> &Array2<f64> {
        &self.centers
    }
    /// Bytes the generated dataset will hold (values and labels).
    pub fn nbytes(&self) -> usize {
        self.params.n_samples * (self.n_features * 4 + 4)
    }

    /// Which centre each unshuffled position belongs to (scikit-learn's block layout).
    fn layout(&self) -> CentreLayout {
        let n = self.params.n_samples as u64;
        let c = self.centers.nrows() as u64;
        let (base, extra) = (n / c, n % c);
        CentreLayout {
            extra,
            big: extra * (base + 1),
            first: Divisor::new(base + 1),
            rest: Divisor::new(base.max(1)),
        }
    }

    /// Generates the dataset with all available threads.
    pub fn generate(&self) -> Blobs {
        self.generate_monitored(&Unmonitored)
            .expect("an unmonitored run is never cancelled")
    }

    /// Generates the dataset, reporting each chunk to `monitor` and stopping between chunks
    /// when it cancels.
    pub fn generate_monitored(&self, monitor: &dyn Monitor) -> Result<Blobs, Cancelled> {
        let p = &self.params;
        let d = self.n_features;
        let perm = Permutation::new(p.n_samples as u64, stream_key(p.seed, Purpose::Shuffle, 0));
        let total = p.n_samples.div_ceil(p.chunk_rows) as u64;
        let done = AtomicU64::new(0);
        let layout = self.layout();
        let noise = StreamFamily::new(p.seed, Purpose::Noise);
        let normal = StandardNormal::new();
        let centres = self.centers.as_slice().expect("standard layout");
        // Written in place, chunk by chunk, never zeroed first: in wasm a zeroed buffer is
        // cleared inside the allocator's global lock, which stalls every thread that
        // allocates meanwhile — the page's main thread included — for the whole memset
        // (≈ 120 MB for 10M × 2).
        let (len, n) = (p.n_samples * d, p.n_samples);
        let mut values: Vec<f32> = Vec::with_capacity(len);
        let mut labels: Vec<u32> = Vec::with_capacity(n);
        let scans: Vec<Option<ValueScan>> = values.spare_capacity_mut()[..len]
            .par_chunks_mut(p.chunk_rows * d)
            .zip(labels.spare_capacity_mut()[..n].par_chunks_mut(p.chunk_rows))
            .with_max_len(CHUNKS_PER_JOB)
            .enumerate()
            .map(|(chunk, (out, out_labels))| {
                if monitor.is_cancelled() {
                    return None;
                }
                let start = chunk * p.chunk_rows;
                let scan = run_chunk(monitor, TaskKind::Generate, chunk, || {
                    // In blocks, one step at a time: each row's shuffle, key and draws are
                    // long chains of dependent multiplications, and a short loop over
                    // independent rows lets the processor run several rows' chains at once.
                    let mut sources = [0u64; BLOCK];
                    let mut keys = [0u64; BLOCK];
                    let mut centre_of = [0u32; BLOCK];
                    let rows = out.chunks_mut(d * BLOCK).zip(out_labels.chunks_mut(BLOCK));
                    for (b, (out, out_labels)) in rows.enumerate() {
                        let first = start + b * BLOCK;
                        let m = out_labels.len();
                        let js = &mut sources[..m];
                        if p.shuffle {
                            perm.apply_block(first as u64, js);
                        } else {
                            for (j, i) in js.iter_mut().zip(first as u64..) {
                                *j = i;
                            }
                        }
                        for ((key, c), &j) in keys.iter_mut().zip(&mut centre_of).zip(&*js) {
                            // Keyed by the unshuffled position: shuffling only reorders rows.
                            *key = noise.key(j);
                            *c = layout.centre_of(j) as u32;
                        }
                        for (label, &c) in out_labels.iter_mut().zip(&centre_of) {
                            label.write(c);
                        }
                        // Draw `t` of a row is its stream's draw `t` while every earlier
                        // one stood at the ziggurat's first try (the usual case, computed
                        // for the whole block feature by feature); a row where one did not
                        // is drawn again from its start by the full sampler.
                        let mut redo = [false; BLOCK];
                        for t in 0..d {
                            let rows = out.chunks_mut(d).zip(&keys).zip(&centre_of).zip(&mut redo);
                            for (((row, &key), &c), redo) in rows {
                                let c = c as usize;
                                let (z, ok) = normal.first_try(KeyedStream::bits_at(key, t as u64));
                                *redo |= !ok;
                                row[t].write((centres[c * d + t] + self.stds[c] * z) as f32);
                            }
                        }
                        let rows = out.chunks_mut(d).zip(&keys).zip(&centre_of).zip(&redo);
                        for (((row, &key), &c), _) in rows.filter(|r| *r.1) {
                            let c = c as usize;
                            let std = self.stds[c];
                            let centre = &centres[c * d..(c + 1) * d];
                            let mut s = KeyedStream::from_key(key);
                            for (v, &m) in row.iter_mut().zip(centre) {
                                v.write((m + std * normal.sample(&mut s)) as f32);
                            }
                        }
                    }
                    // SAFETY: every value of the chunk was written just above (each row
                    // feature by feature, redone rows again in full).
                    let written: &[f32] = unsafe {
                        std::slice::from_raw_parts(out.as_ptr().cast::<f32>(), out.len())
                    };
                    // Scanned while the chunk is in cache: the fit's scale, the plot's
                    // bounds and the histograms then need no pass of their own.
                    ValueScan::of(written, d, start * d)
                });
                let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                monitor.progress(n, total);
                Some(scan)
            })
            .collect();
        monitor.checkpoint()?;
        if done.load(Ordering::Relaxed) != total {
            return Err(Cancelled);
        }
        // SAFETY: every chunk ran (`done == total`), and a chunk writes each value and label
        // of its rows (`centre` has `d` values, `row` is `d` long).
        unsafe {
            values.set_len(len);
            labels.set_len(n);
        }
        let scan = scans
            .iter()
            .flatten()
            .fold(ValueScan::empty(d), ValueScan::then);
        let x = ChunkedMatrix::from_vec(values, p.n_samples, d, p.chunk_rows)
            .expect("checked parameters give a valid shape")
            .with_scan(scan);
        Ok(Blobs {
            x,
            labels,
            centers: self.centers.clone(),
            weights: None,
        })
    }
}

/// Rows generated one step at a time (see the generation loop).
const BLOCK: usize = 64;

/// scikit-learn's block layout of unshuffled positions: the first `extra` centres take
/// `base + 1` rows each, the others `base`.
#[derive(Debug, Clone, Copy)]
struct CentreLayout {
    extra: u64,
    big: u64,
    first: Divisor,
    rest: Divisor,
}

impl CentreLayout {
    /// The centre of unshuffled position `j`.
    #[inline]
    fn centre_of(&self, j: u64) -> u64 {
        if j < self.big {
            self.first.quotient(j)
        } else {
            self.extra + self.rest.quotient(j - self.big)
        }
    }
}

/// `⌊j / q⌋` for `j < 2³²` by Lemire's multiply-shift (Lemire, Kaser & Kurz, "Faster
/// remainder by direct computation", 2019): with `m = ⌈2⁶⁴ / q⌉`, `⌊j / q⌋ = ⌊j·m / 2⁶⁴⌋`
/// for every 32-bit `j`. A 64-bit integer division takes tens of cycles once per generated
/// row (wasm's lowers to the same instruction), and float conversions are long sequences
/// in wasm; here `j·m` is formed from two 32 × 32-bit products, exactly.
#[derive(Debug, Clone, Copy)]
struct Divisor {
    /// `⌈2⁶⁴ / q⌉` (unused when `q = 1`).
    m: u64,
    one: bool,
}

impl Divisor {
    fn new(q: u64) -> Self {
        assert!(q > 0 && q < 1 << 32, "divisor {q} out of 1 ..= 2³² − 1");
        Self {
            m: if q == 1 {
                0
            } else {
                (u64::MAX / q).wrapping_add(1)
            },
            one: q == 1,
        }
    }

    /// `⌊j / q⌋`, exact for `j < 2³²` (every row index: `MAX_SAMPLES` is below it).
    #[inline]
    fn quotient(&self, j: u64) -> u64 {
        debug_assert!(j < 1 << 32);
        if self.one {
            return j;
        }
        // ⌊j·m / 2⁶⁴⌋ = ⌊(j·m_hi + ⌊j·m_lo / 2³²⌋) / 2³²⌋; neither product nor the sum
        // overflows for j < 2³².
        let (hi, lo) = (self.m >> 32, self.m & 0xFFFF_FFFF);
        (j * hi + ((j * lo) >> 32)) >> 32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn divisor_quotients_are_exact() {
        for q in [1u64, 2, 3, 7, 125_000, 999_983, 1 << 31, (1 << 32) - 1] {
            let d = Divisor::new(q);
            let near = |m: u64| [m.saturating_sub(1), m, m + 1];
            for m in [0u64, 1, 2, 1000, 123_456, 1 << 20, 1 << 31] {
                let Some(mq) = m.checked_mul(q).filter(|&v| v < 1 << 32) else {
                    continue;
                };
                for j in near(mq).into_iter().chain(near(m)).filter(|&j| j < 1 << 32) {
                    assert_eq!(d.quotient(j), j / q, "{j} / {q}");
                }
            }
        }
    }

    #[test]
    fn divisor_quotients_are_exact_for_scattered_32_bit_values() {
        for q in [3u64, 10, 125_001, 2_000_003, 199_999_999] {
            let d = Divisor::new(q);
            for i in 0..20_000u64 {
                let j = (i * 2_654_435_761) % (1 << 32);
                assert_eq!(d.quotient(j), j / q, "{j} / {q}");
            }
        }
    }

    #[test]
    fn layout_gives_scikit_learn_block_sizes() {
        for (n, c) in [(10u64, 3u64), (2, 5), (1_000_003, 8), (7, 7), (100, 1)] {
            let v = BlobsParams::new(n as usize)
                .centers(Centers::Count(c as usize))
                .check()
                .unwrap();
            let layout = v.layout();
            let (base, extra) = (n / c, n % c);
            for j in (0..n.min(5000)).chain(n.saturating_sub(5000)..n) {
                let expect = if j < extra * (base + 1) {
                    j / (base + 1)
                } else {
                    extra + (j - extra * (base + 1)) / base
                };
                assert_eq!(layout.centre_of(j), expect, "n {n} c {c} j {j}");
            }
        }
    }

    #[test]
    fn sizes_per_centre_follow_scikit_learn() {
        let b = BlobsParams::new(10)
            .centers(Centers::Count(3))
            .shuffle(false)
            .check()
            .unwrap()
            .generate();
        assert_eq!(b.labels, vec![0, 0, 0, 0, 1, 1, 1, 2, 2, 2]);
    }

    #[test]
    fn same_seed_same_data_for_any_chunking() {
        let base = BlobsParams::new(5000).n_features(3).seed(11);
        let a = base.clone().chunk_rows(7).check().unwrap().generate();
        let b = base.clone().chunk_rows(4096).check().unwrap().generate();
        assert_eq!(a.x.as_slice(), b.x.as_slice());
        assert_eq!(a.labels, b.labels);
        let c = base.seed(12).check().unwrap().generate();
        assert_ne!(a.x.as_slice(), c.x.as_slice());
    }

    #[test]
    fn the_generator_scan_is_the_scan_of_the_values() {
        for (n, d, chunk) in [(1usize, 1usize, 1usize), (999, 3, 64), (5000, 2, 4096)] {
            let b = BlobsParams::new(n)
                .n_features(d)
                .seed(8)
                .chunk_rows(chunk)
                .check()
                .unwrap()
                .generate();
            let fresh = ChunkedMatrix::from_vec(b.x.as_slice().to_vec(), n, d, chunk).unwrap();
            assert_eq!(b.x.value_scan(), fresh.value_scan(), "n {n} d {d}");
        }
    }

    #[test]
    fn shuffle_only_reorders() {
        let base = BlobsParams::new(999).n_features(5).seed(3);
        let a = base.clone().check().unwrap().generate();
        let b = base.shuffle(false).check().unwrap().generate();
        let mut ra: Vec<Vec<u32>> = (0..999)
            .map(|i| a.x.row(i).iter().map(|v| v.to_bits()).collect())
            .collect();
        let mut rb: Vec<Vec<u32>> = (0..999)
            .map(|i| b.x.row(i).iter().map(|v| v.to_bits()).collect())
            .collect();
        assert_ne!(ra, rb);
        ra.sort();
        rb.sort();
        assert_eq!(ra, rb);
    }

    #[test]
    fn samples_scatter_around_their_centre() {
        let b = BlobsParams::new(20_000)
            .centers(Centers::Points(vec![vec![0.0, 0.0], vec![50.0, -50.0]]))
            .cluster_std(2.0)
            .check()
            .unwrap()
            .generate();
        for c in 0..2 {
            let rows: Vec<&[f32]> = (0..20_000)
                .filter(|&i| b.labels[i] == c)
                .map(|i| b.x.row(i))
                .collect();
            assert_eq!(rows.len(), 10_000);
            let mean0 = rows.iter().map(|r| r[0] as f64).sum::<f64>() / rows.len() as f64;
            let var0 = rows
                .iter()
                .map(|r| (r[0] as f64 - mean0).powi(2))
                .sum::<f64>()
                / rows.len() as f64;
            assert!(
                (mean0 - b.centers[[c as usize, 0]]).abs() < 0.1,
                "mean {mean0}"
            );
            assert!((var0 - 4.0).abs() < 0.2, "var {var0}");
        }
    }

    #[test]
    fn bad_parameters_name_value_and_range() {
        let e = BlobsParams::new(0).check().unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("n_samples = 0 is out of range: allowed 1 ..= {MAX_SAMPLES}")
        );
        let e = BlobsParams::new(10).cluster_std(-1.0).check().unwrap_err();
        assert!(e.to_string().contains("cluster_std = -1"), "{e}");
        let e = BlobsParams::new(10)
            .center_box(5.0, 5.0)
            .check()
            .unwrap_err();
        assert!(e.to_string().contains("center_box"), "{e}");
        let mut p = BlobsParams::new(10);
        p.cluster_std = ClusterStd::PerCenter(vec![1.0]);
        assert!(
            p.check()
                .unwrap_err()
                .to_string()
                .contains("expected 3, got 1")
        );
        let e = BlobsParams::new(10)
            .centers(Centers::Points(vec![vec![0.0, f64::NAN]]))
            .check()
            .unwrap_err();
        assert!(e.to_string().contains("NaN"), "{e}");
    }
}
