//! `ChunkedMatrix`: an n × d matrix of `f32` in row chunks, dask.array's row-chunked array.
//!
//! Values are stored contiguously row-major; chunks are row ranges over that buffer, so a
//! chunk is a zero-copy slice and the whole matrix is one `ndarray` view. Work is scheduled
//! per chunk and partial results are combined in chunk order, which is why results do not
//! depend on how many threads ran them.

use std::sync::OnceLock;

use ndarray::ArrayView2;
use rayon::prelude::*;

use super::error::DataError;
use crate::limits::LimitError;

/// Default rows per chunk. 16,384 rows × d columns keeps a chunk of a 2-D dataset at
/// 128 KiB (inside L2) and gives 61 chunks for a million rows: enough to balance two
/// to sixteen threads. Benchmarked in `benches/`.
pub const DEFAULT_CHUNK_ROWS: usize = 16_384;

/// Largest chunk size accepted.
pub const MAX_CHUNK_ROWS: usize = crate::limits::CHUNK_ROWS.whole_max() as usize;

/// Chunks per rayon job in chunk loops (`with_max_len`): one, so that any chunk can be
/// stolen. Left to itself rayon splits a loop into about four pieces per thread, and a
/// piece a thread has started is never split again: when the threads run at unequal speed
/// (in the browser they share two cores with the page, the compositor and V8's compiler),
/// the faster one ran out of work with a quarter of the loop left on the other. Results do
/// not change: every chunk loop combines per-chunk results in chunk order or with
/// order-independent sums.
pub const CHUNKS_PER_JOB: usize = 1;

/// One chunk: a block of consecutive rows.
#[derive(Debug, Clone, Copy)]
pub struct Chunk<'a> {
    /// Position of the chunk in chunk order.
    pub index: usize,
    /// Row number of the chunk's first row in the whole matrix.
    pub start_row: usize,
    /// Number of columns.
    pub n_cols: usize,
    /// The chunk's values, row-major, `rows() × n_cols` long.
    pub values: &'a [f32],
}

impl<'a> Chunk<'a> {
    /// Rows in this chunk.
    pub fn rows(&self) -> usize {
        self.values.len().checked_div(self.n_cols).unwrap_or(0)
    }

    /// Row `r` of this chunk (0-based within the chunk).
    pub fn row(&self, r: usize) -> &'a [f32] {
        &self.values[r * self.n_cols..(r + 1) * self.n_cols]
    }

    /// The chunk as an `ndarray` view.
    pub fn view(&self) -> ArrayView2<'a, f32> {
        ArrayView2::from_shape((self.rows(), self.n_cols), self.values)
            .expect("chunk length is a multiple of n_cols")
    }
}

/// Finiteness, magnitude and range of a matrix's values: what every order-independent sum
/// needs before it starts (its fixed-point scale), and what the plot's bounds and the
/// dataset's histograms need — computed once per matrix, by its generator when it has one.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueScan {
    /// Row-major index of the first NaN or infinite value.
    pub first_non_finite: Option<usize>,
    /// Largest magnitude (NaN ignored, ∞ if a value is infinite; 0 when empty).
    pub max_abs: f32,
    /// `(min, max)` of each column, NaN ignored (`(∞, −∞)` for a column of no number).
    pub ranges: Vec<(f32, f32)>,
}

impl ValueScan {
    /// The scan of no values.
    pub(crate) fn empty(d: usize) -> Self {
        Self {
            first_non_finite: None,
            max_abs: 0.0,
            ranges: vec![(f32::INFINITY, f32::NEG_INFINITY); d],
        }
    }

    /// Scans whole rows `values` (`d` per row) whose first value has row-major index
    /// `offset`. Blocks of `k` rows (at least sixteen values) are folded lane by lane — lane
    /// `i` always holds column `i % d`; for `d` dividing 16 the lanes are one 16-lane vector.
    pub(crate) fn of(values: &[f32], d: usize, offset: usize) -> Self {
        if 16 % d == 0 {
            return Self::of_16_lanes(values, d, offset);
        }
        let lanes = 16usize.div_ceil(d) * d;
        let mut lo = vec![f32::INFINITY; lanes];
        let mut hi = vec![f32::NEG_INFINITY; lanes];
        let mut big = vec![0.0f32; lanes];
        let mut first_non_finite = None;
        let mut fold = |block: &[f32], at: usize| {
            let mut finite = true;
            for (((l, h), m), &v) in lo.iter_mut().zip(&mut hi).zip(&mut big).zip(block) {
                // Compare-selects, which skip a NaN (it compares false) like f32::min/max
                // but lower to one instruction each in wasm, whose own min/max propagate
                // NaN. NaN also fails `<=`, as does ±∞.
                let a = v.abs();
                *l = if v < *l { v } else { *l };
                *h = if v > *h { v } else { *h };
                *m = if a > *m { a } else { *m };
                finite &= a <= f32::MAX;
            }
            if !finite && first_non_finite.is_none() {
                let i = block
                    .iter()
                    .position(|v| !v.is_finite())
                    .expect("a value failed");
                first_non_finite = Some(offset + at + i);
            }
        };
        let mut blocks = values.chunks_exact(lanes);
        for (b, block) in (&mut blocks).enumerate() {
            fold(block, b * lanes);
        }
        let rest = blocks.remainder();
        fold(rest, values.len() - rest.len());
        Self::from_lanes(&lo, &hi, &big, d, first_non_finite)
    }

    /// [`ValueScan::of`] for `d` dividing 16: sixteen-lane vectors, whatever the target
    /// (the generic loop's lane vectors of run-time length do not vectorise in wasm).
    fn of_16_lanes(values: &[f32], d: usize, offset: usize) -> Self {
        use std::simd::prelude::*;
        let mut lo = f32x16::splat(f32::INFINITY);
        let mut hi = f32x16::splat(f32::NEG_INFINITY);
        let mut big = f32x16::splat(0.0);
        let limit = f32x16::splat(f32::MAX);
        let mut first_non_finite = None;
        let mut blocks = values.chunks_exact(16);
        for (b, block) in (&mut blocks).enumerate() {
            let v = f32x16::from_slice(block);
            // Compare-selects, not simd_min/max: those follow f32::min/max's NaN rule,
            // which wasm's own min/max do not, and are scalarised there. A NaN compares
            // false, so it is skipped just the same.
            lo = v.simd_lt(lo).select(v, lo);
            hi = v.simd_gt(hi).select(v, hi);
            let a = v.abs();
            big = a.simd_gt(big).select(a, big);
            if first_non_finite.is_none() && !a.simd_le(limit).all() {
                let i = block
                    .iter()
                    .position(|v| !v.is_finite())
                    .expect("a lane failed");
                first_non_finite = Some(offset + b * 16 + i);
            }
        }
        let (mut lo, mut hi, mut big) = (lo.to_array(), hi.to_array(), big.to_array());
        let rest = blocks.remainder();
        for (i, &v) in rest.iter().enumerate() {
            lo[i] = if v < lo[i] { v } else { lo[i] };
            hi[i] = if v > hi[i] { v } else { hi[i] };
            big[i] = if v.abs() > big[i] { v.abs() } else { big[i] };
            if first_non_finite.is_none() && !v.is_finite() {
                first_non_finite = Some(offset + values.len() - rest.len() + i);
            }
        }
        Self::from_lanes(&lo, &hi, &big, d, first_non_finite)
    }

    /// Folds per-lane minima, maxima and magnitudes (lane `i` holding column `i % d`).
    fn from_lanes(
        lo: &[f32],
        hi: &[f32],
        big: &[f32],
        d: usize,
        first_non_finite: Option<usize>,
    ) -> Self {
        let ranges = (0..d)
            .map(|j| {
                lo.iter()
                    .zip(hi)
                    .skip(j)
                    .step_by(d)
                    .fold((f32::INFINITY, f32::NEG_INFINITY), |(a, b), (&l, &h)| {
                        (a.min(l), b.max(h))
                    })
            })
            .collect();
        Self {
            first_non_finite,
            max_abs: big.iter().fold(0.0f32, |m, &v| m.max(v)),
            ranges,
        }
    }

    /// The scan of these values followed by `next`'s (row-major order).
    pub(crate) fn then(mut self, next: &Self) -> Self {
        self.first_non_finite = self.first_non_finite.or(next.first_non_finite);
        self.max_abs = self.max_abs.max(next.max_abs);
        for (a, b) in self.ranges.iter_mut().zip(&next.ranges) {
            *a = (a.0.min(b.0), a.1.max(b.1));
        }
        self
    }
}

/// An n × d `f32` matrix split into row chunks of `chunk_rows` rows (the last may be shorter).
///
/// The values never change after construction, so their [`ValueScan`] is kept once computed:
/// seeding, fitting and scoring the same dataset each need it, and each pass is a full read.
/// So is the mean feature variance behind scikit-learn's tolerance, which every fit of the
/// dataset (each k of a slider or a sweep) would otherwise read the data again for.
#[derive(Debug, Clone)]
pub struct ChunkedMatrix {
    values: Vec<f32>,
    n_rows: usize,
    n_cols: usize,
    chunk_rows: usize,
    scan: OnceLock<ValueScan>,
    mean_variance: OnceLock<f64>,
}

impl PartialEq for ChunkedMatrix {
    /// Equal shape, chunking and values (whether the scan is cached does not matter).
    fn eq(&self, other: &Self) -> bool {
        (self.n_rows, self.n_cols, self.chunk_rows)
            == (other.n_rows, other.n_cols, other.chunk_rows)
            && self.values == other.values
    }
}

impl ChunkedMatrix {
    /// Wraps a row-major buffer. `n_cols` must be at least 1 and `chunk_rows` within
    /// `1 ..= MAX_CHUNK_ROWS`.
    pub fn from_vec(
        values: Vec<f32>,
        n_rows: usize,
        n_cols: usize,
        chunk_rows: usize,
    ) -> Result<Self, DataError> {
        crate::limits::check_between("n_cols", n_cols, 1, usize::MAX)?;
        crate::limits::CHUNK_ROWS.check_usize(chunk_rows)?;
        let expected = values_len(n_rows, n_cols)?;
        if values.len() != expected {
            return Err(DataError::ShapeMismatch {
                len: values.len(),
                n_rows,
                n_cols,
                expected,
            });
        }
        Ok(Self {
            values,
            n_rows,
            n_cols,
            chunk_rows,
            scan: OnceLock::new(),
            mean_variance: OnceLock::new(),
        })
    }

    /// Builds a matrix chunk by chunk in parallel: `fill(chunk_index, start_row, rows)`
    /// writes the chunk's row-major values into the slice it is given.
    pub fn par_build(
        n_rows: usize,
        n_cols: usize,
        chunk_rows: usize,
        fill: impl Fn(usize, usize, &mut [f32]) + Sync,
    ) -> Result<Self, DataError> {
        let mut m = Self::from_vec(Vec::new(), 0, n_cols, chunk_rows)?;
        let len = values_len(n_rows, n_cols)?;
        m.values = vec![0.0; len];
        m.n_rows = n_rows;
        m.values
            .par_chunks_mut(chunk_rows * n_cols)
            .with_max_len(CHUNKS_PER_JOB)
            .enumerate()
            .for_each(|(i, out)| fill(i, i * chunk_rows, out));
        Ok(m)
    }

    /// The same values with another chunk size (no copy).
    pub fn with_chunk_rows(mut self, chunk_rows: usize) -> Result<Self, DataError> {
        self.chunk_rows = crate::limits::CHUNK_ROWS.check_usize(chunk_rows)?;
        Ok(self)
    }

    /// Number of rows (samples).
    pub fn n_rows(&self) -> usize {
        self.n_rows
    }

    /// Number of columns (features).
    pub fn n_cols(&self) -> usize {
        self.n_cols
    }

    /// Rows per chunk.
    pub fn chunk_rows(&self) -> usize {
        self.chunk_rows
    }

    /// Number of chunks.
    pub fn n_chunks(&self) -> usize {
        self.n_rows.div_ceil(self.chunk_rows)
    }

    /// Bytes held by the values.
    pub fn nbytes(&self) -> usize {
        self.values.len() * std::mem::size_of::<f32>()
    }

    /// All values, row-major.
    pub fn as_slice(&self) -> &[f32] {
        &self.values
    }

    /// Gives the buffer back.
    pub fn into_vec(self) -> Vec<f32> {
        self.values
    }

    /// Row `i`.
    pub fn row(&self, i: usize) -> &[f32] {
        &self.values[i * self.n_cols..(i + 1) * self.n_cols]
    }

    /// The whole matrix as an `ndarray` view.
    pub fn view(&self) -> ArrayView2<'_, f32> {
        ArrayView2::from_shape((self.n_rows, self.n_cols), &self.values)
            .expect("buffer length is n_rows × n_cols")
    }

    /// Chunk `index`.
    pub fn chunk(&self, index: usize) -> Chunk<'_> {
        let start = index * self.chunk_rows;
        let end = (start + self.chunk_rows).min(self.n_rows);
        Chunk {
            index,
            start_row: start,
            n_cols: self.n_cols,
            values: &self.values[start * self.n_cols..end * self.n_cols],
        }
    }

    /// Chunks in order.
    pub fn chunks(&self) -> impl ExactSizeIterator<Item = Chunk<'_>> + '_ {
        (0..self.n_chunks()).map(move |i| self.chunk(i))
    }

    /// Chunks as a rayon parallel iterator; `collect` keeps chunk order.
    ///
    /// Every chunk is its own stealable job ([`CHUNKS_PER_JOB`]).
    pub fn par_chunks(&self) -> impl IndexedParallelIterator<Item = Chunk<'_>> + '_ {
        (0..self.n_chunks())
            .into_par_iter()
            .with_max_len(CHUNKS_PER_JOB)
            .map(move |i| self.chunk(i))
    }

    /// The values' [`ValueScan`], from one parallel pass the first time it is asked for
    /// (or from the generator that wrote them, see `ChunkedMatrix::with_scan`).
    pub fn value_scan(&self) -> &ValueScan {
        // Never `get_or_init` around the pass: it runs on the rayon pool, and a pool thread
        // blocked on a `Once` that another pool job is filling can deadlock the pool.
        // Threads that race here compute the same value; the first one kept wins.
        if let Some(scan) = self.scan.get() {
            return scan;
        }
        let d = self.n_cols;
        let scan = self
            .par_chunks()
            .map(|c| ValueScan::of(c.values, d, c.start_row * d))
            .collect::<Vec<_>>()
            .iter()
            .fold(ValueScan::empty(d), ValueScan::then);
        self.scan.get_or_init(|| scan)
    }

    /// The mean feature variance kept for these values, computed by `compute` (a full pass)
    /// the first time. `compute` must depend on the values only.
    pub fn mean_variance_with(&self, compute: impl FnOnce() -> f64) -> f64 {
        // As in `value_scan`: no `get_or_init` around a pass that runs on the rayon pool.
        if let Some(v) = self.mean_variance.get() {
            return *v;
        }
        let v = compute();
        *self.mean_variance.get_or_init(|| v)
    }

    /// The matrix with its scan given by whoever wrote the values (it must be
    /// [`ValueScan::of`] them, chunk by chunk in order, as [`ChunkedMatrix::value_scan`]
    /// would compute it).
    pub(crate) fn with_scan(self, scan: ValueScan) -> Self {
        debug_assert_eq!(scan.ranges.len(), self.n_cols);
        let _ = self.scan.set(scan);
        self
    }

    /// The first NaN or infinite value, as `Err(NotFinite)`.
    pub fn check_finite(&self, name: &'static str) -> Result<(), DataError> {
        match self.value_scan().first_non_finite {
            None => Ok(()),
            Some(i) => Err(DataError::NotFinite {
                name,
                value: self.values[i].to_string(),
                row: i / self.n_cols,
                col: i % self.n_cols,
            }),
        }
    }
}

/// How many values an `n_rows × n_cols` matrix holds, refused when that overflows.
fn values_len(n_rows: usize, n_cols: usize) -> Result<usize, DataError> {
    n_rows.checked_mul(n_cols).ok_or_else(|| {
        DataError::Limit(LimitError::out_of_range(
            "n_rows × n_cols",
            format!("{n_rows} × {n_cols}"),
            format!("at most {}", usize::MAX),
        ))
    })
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cover_every_row_once() {
        let m = ChunkedMatrix::from_vec((0..30).map(|v| v as f32).collect(), 10, 3, 4).unwrap();
        assert_eq!(m.n_chunks(), 3);
        let rows: Vec<usize> = m.chunks().map(|c| c.rows()).collect();
        assert_eq!(rows, vec![4, 4, 2]);
        assert_eq!(m.chunk(2).start_row, 8);
        assert_eq!(m.chunk(2).row(1), &[27.0, 28.0, 29.0]);
        assert_eq!(m.view().shape(), &[10, 3]);
    }

    #[test]
    fn shape_and_range_errors_name_the_values() {
        let e = ChunkedMatrix::from_vec(vec![0.0; 5], 2, 3, 4).unwrap_err();
        assert!(e.to_string().contains("5 values"), "{e}");
        let e = ChunkedMatrix::from_vec(vec![], 0, 3, 0).unwrap_err();
        assert!(e.to_string().contains("chunk_rows = 0"), "{e}");
    }

    #[test]
    fn scans_find_ranges_magnitude_and_the_first_non_finite_value() {
        for d in [1usize, 2, 3, 5, 16, 17] {
            let n = 101;
            let values: Vec<f32> = (0..n * d)
                .map(|i| ((i * 37 % 101) as f32 - 50.0) * 0.5)
                .collect();
            let m = ChunkedMatrix::from_vec(values.clone(), n, d, 8).unwrap();
            let scan = m.value_scan().clone();
            assert_eq!(scan.first_non_finite, None);
            assert_eq!(
                scan.max_abs,
                values.iter().fold(0.0f32, |a, v| a.max(v.abs()))
            );
            for j in 0..d {
                let col = values.iter().skip(j).step_by(d);
                let lo = col.clone().fold(f32::INFINITY, |a, &v| a.min(v));
                let hi = col.fold(f32::NEG_INFINITY, |a, &v| a.max(v));
                assert_eq!(scan.ranges[j], (lo, hi), "d {d} column {j}");
            }
            let mut bad = values;
            bad[n * d - 2] = f32::INFINITY;
            bad[n * d / 2 + 1] = f32::NAN;
            let m = ChunkedMatrix::from_vec(bad, n, d, 8).unwrap();
            assert_eq!(
                m.value_scan().first_non_finite,
                Some(n * d / 2 + 1),
                "d {d}"
            );
            assert_eq!(m.value_scan().max_abs, f32::INFINITY);
        }
    }

    #[test]
    fn non_finite_values_are_located() {
        let m = ChunkedMatrix::from_vec(vec![0.0, 1.0, f32::NAN, 2.0], 2, 2, 1).unwrap();
        let e = m.check_finite("x").unwrap_err();
        assert_eq!(
            e,
            DataError::NotFinite {
                name: "x",
                value: "NaN".into(),
                row: 1,
                col: 0
            }
        );
    }

    #[test]
    fn par_build_fills_in_chunk_order() {
        let m = ChunkedMatrix::par_build(7, 2, 3, |_, start, out| {
            for (r, row) in out.chunks_mut(2).enumerate() {
                row.fill((start + r) as f32);
            }
        })
        .unwrap();
        assert_eq!(m.row(6), &[6.0, 6.0]);
        assert_eq!(m.row(3), &[3.0, 3.0]);
    }
}
