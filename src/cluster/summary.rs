//! One validating pass over the input before any clustering: finiteness, the largest
//! magnitude (which fixes the scales of every order-independent sum, see
//! [`fixed_sum`](super::lloyd::fixed_sum)), the weights, and scikit-learn's tolerance base, the
//! mean per-feature variance.

use rayon::prelude::*;

use super::error::ClusterError;
use super::lloyd::fixed_sum::FixedScale;
use crate::data::{ChunkedMatrix, DataError};
use crate::limits::LimitError;

/// What the core needs to know about a dataset before clustering it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// Rows.
    pub n: usize,
    /// Features.
    pub d: usize,
    /// Largest `|x|` over all values (and over the explicit centres, when given).
    pub max_abs: f64,
    /// Largest sample weight (1 when unweighted).
    pub max_weight: f64,
    /// Sum of weights (n when unweighted).
    pub total_weight: f64,
}

impl Summary {
    /// Validates `x` and `weights` and measures them. The error names the first bad value.
    pub fn of(x: &ChunkedMatrix, weights: Option<&[f64]>) -> Result<Self, ClusterError> {
        let d = x.n_cols();
        let n = x.n_rows();
        if n == 0 {
            return Err(ClusterError::Limit(LimitError::out_of_range(
                "n_samples",
                "0",
                "at least 1",
            )));
        }
        // Cached on the matrix: seeding, fitting and scoring one dataset share one pass.
        let scan = x.value_scan();
        if let Some(i) = scan.first_non_finite {
            return Err(DataError::NotFinite {
                name: "x",
                value: x.as_slice()[i].to_string(),
                row: i / d,
                col: i % d,
            }
            .into());
        }
        let max_abs = scan.max_abs as f64;
        let (max_weight, total_weight) = match weights {
            None => (1.0, n as f64),
            Some(w) => {
                if w.len() != n {
                    return Err(ClusterError::Inconsistent {
                        what: "sample_weight needs one value per row",
                        expected: n,
                        got: w.len(),
                    });
                }
                if let Some(i) = w.iter().position(|v| !(v.is_finite() && *v >= 0.0)) {
                    return Err(ClusterError::Limit(LimitError::out_of_range(
                        "sample_weight",
                        format!("{} at row {i}", w[i]),
                        "finite and ≥ 0",
                    )));
                }
                let max = w.iter().fold(0.0f64, |m, &v| m.max(v));
                let scale = FixedScale::for_bound(max);
                let total = scale.value(w.iter().map(|&v| scale.fix(v) as i128).sum());
                if total <= 0.0 {
                    return Err(ClusterError::Limit(LimitError::out_of_range(
                        "sum of sample_weight",
                        total,
                        "> 0",
                    )));
                }
                (max, total)
            }
        };
        Ok(Self {
            n,
            d,
            max_abs,
            max_weight,
            total_weight,
        })
    }

    /// The same summary with `max_abs` raised to cover extra points (explicit centres).
    pub fn covering(mut self, values: &[f64]) -> Self {
        self.max_abs = values.iter().fold(self.max_abs, |m, v| m.max(v.abs()));
        self
    }

    /// Scale for weighted coordinates `w·x`.
    pub fn coord_scale(&self) -> FixedScale {
        FixedScale::for_bound(self.max_weight * self.max_abs)
    }

    /// Scale for weights.
    pub fn weight_scale(&self) -> FixedScale {
        FixedScale::for_bound(self.max_weight)
    }

    /// Scale for weighted squared distances `w·‖x − c‖²` between points and centres inside
    /// the data's bounding cube.
    pub fn dist_scale(&self) -> FixedScale {
        let span = 2.0 * self.max_abs;
        FixedScale::for_bound(self.max_weight * self.d as f64 * span * span * (1.0 + 1e-9))
    }

    /// scikit-learn's `_tolerance`: `tol · mean(var(X, axis=0))`, unweighted. The mean
    /// variance is kept on `x` ([`ChunkedMatrix::mean_variance_with`]): refitting the same
    /// data with another k reads it once.
    pub fn absolute_tol(&self, x: &ChunkedMatrix, tol: f64) -> f64 {
        if tol == 0.0 {
            return 0.0;
        }
        x.mean_variance_with(|| mean_variance(x)) * tol
    }
}

/// `mean(var(X, axis=0))` from exact fixed-point sums (the same for any chunking), on
/// scales set by `x`'s own largest magnitude, so it depends on the values only.
fn mean_variance(x: &ChunkedMatrix) -> f64 {
    let d = x.n_cols();
    let max_abs = x.value_scan().max_abs as f64;
    // Narrow scales: each value and square is rounded to a 45-bit integer held in an
    // `f64`, 2⁸ of them add exactly in `f64`, then move into `i128` — no integer
    // conversion per value, and the same sums for any chunking or grouping.
    let s1 = FixedScale::narrow(max_abs);
    let s2 = FixedScale::narrow(max_abs * max_abs);
    let parts: Vec<(Vec<i128>, Vec<i128>)> = x
        .par_chunks()
        .map(|c| column_sums_of(c.values, d, &s1, &s2))
        .collect();
    let n = x.n_rows() as f64;
    let mut var_sum = 0.0;
    for j in 0..d {
        let a: i128 = parts.iter().map(|p| p.0[j]).sum();
        let b: i128 = parts.iter().map(|p| p.1[j]).sum();
        let mean = s1.value(a) / n;
        var_sum += (s2.value(b) / n - mean * mean).max(0.0);
    }
    var_sum / d as f64
}

/// Per column, `Σ round(v)` and `Σ round(v²)` over whole rows `values` of `d` features:
/// [`column_sums`] with the smallest register width for `d ≤ 8`, a row at a time beyond.
fn column_sums_of(
    values: &[f32],
    d: usize,
    s1: &FixedScale,
    s2: &FixedScale,
) -> (Vec<i128>, Vec<i128>) {
    match d {
        1 | 2 | 4 | 8 => column_sums::<8>(values, d, s1, s2),
        3 | 6 => column_sums::<24>(values, d, s1, s2),
        5 => column_sums::<40>(values, d, s1, s2),
        7 => column_sums::<56>(values, d, s1, s2),
        _ => column_sums_by_row(values, d, s1, s2),
    }
}

/// Per column, `Σ round(v)` and `Σ round(v²)` over whole rows `values`, with `W` running
/// sums over the flat values (`W` a multiple of `d`, so sum `l` only ever holds column
/// `l mod d`): registers instead of a `d`-long accumulator per step, which the processor
/// (and wasm SIMD) can add several at a time. Each sum takes at most 2⁸ terms before it
/// moves into `i128`, so every addition is exact and the totals equal
/// [`column_sums_by_row`]'s.
fn column_sums<const W: usize>(
    values: &[f32],
    d: usize,
    s1: &FixedScale,
    s2: &FixedScale,
) -> (Vec<i128>, Vec<i128>) {
    debug_assert!(W.is_multiple_of(d) && values.len().is_multiple_of(d));
    let (mut a, mut b) = (vec![0i128; d], vec![0i128; d]);
    let mut flush = |fa: &[f64; W], fb: &[f64; W]| {
        for l in 0..W {
            a[l % d] += fa[l] as i128;
            b[l % d] += fb[l] as i128;
        }
    };
    for block in values.chunks(W << 8) {
        let (mut fa, mut fb) = ([0.0f64; W], [0.0f64; W]);
        let mut steps = block.chunks_exact(W);
        for step in &mut steps {
            for l in 0..W {
                let v = step[l] as f64;
                fa[l] += s1.round_f64(v);
                fb[l] += s2.round_f64(v * v);
            }
        }
        // The tail is whole rows: its value `l` is in column `l mod d` too.
        for (l, &v) in steps.remainder().iter().enumerate() {
            let v = v as f64;
            fa[l] += s1.round_f64(v);
            fb[l] += s2.round_f64(v * v);
        }
        flush(&fa, &fb);
    }
    (a, b)
}

/// [`column_sums`] for any `d`, a row at a time.
fn column_sums_by_row(
    values: &[f32],
    d: usize,
    s1: &FixedScale,
    s2: &FixedScale,
) -> (Vec<i128>, Vec<i128>) {
    let (mut a, mut b) = (vec![0i128; d], vec![0i128; d]);
    let (mut fa, mut fb) = (vec![0.0f64; d], vec![0.0f64; d]);
    for rows in values.chunks(d << 8) {
        for row in rows.chunks_exact(d) {
            for j in 0..d {
                let v = row[j] as f64;
                fa[j] += s1.round_f64(v);
                fb[j] += s2.round_f64(v * v);
            }
        }
        for j in 0..d {
            a[j] += fa[j] as i128;
            b[j] += fb[j] as i128;
        }
        fa.fill(0.0);
        fb.fill(0.0);
    }
    (a, b)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn rejects_non_finite_values_and_bad_weights() {
        let x = ChunkedMatrix::from_vec(vec![1.0, 2.0, f32::INFINITY, 0.0], 2, 2, 1).unwrap();
        let e = Summary::of(&x, None).unwrap_err();
        assert!(e.to_string().contains("row 1, column 0"), "{e}");
        let x = ChunkedMatrix::from_vec(vec![1.0, -3.0], 2, 1, 1).unwrap();
        let s = Summary::of(&x, None).unwrap();
        assert_eq!(s.max_abs, 3.0);
        let e = Summary::of(&x, Some(&[1.0])).unwrap_err();
        assert!(e.to_string().contains("expected 2, got 1"), "{e}");
        let e = Summary::of(&x, Some(&[1.0, -1.0])).unwrap_err();
        assert!(e.to_string().contains("-1 at row 1"), "{e}");
        let e = Summary::of(&x, Some(&[0.0, 0.0])).unwrap_err();
        assert!(e.to_string().contains("sum of sample_weight"), "{e}");
    }

    #[test]
    fn tolerance_is_mean_variance_times_tol() {
        let x = ChunkedMatrix::from_vec(vec![0.0, 10.0, 2.0, 10.0, 4.0, 10.0], 3, 2, 2).unwrap();
        let s = Summary::of(&x, None).unwrap();
        // var = [8/3, 0]; mean = 4/3
        assert!((s.absolute_tol(&x, 1.0) - 4.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn mean_variance_is_kept_on_the_matrix_and_independent_of_the_summary() {
        let values: Vec<f32> = (0..300).map(|i| ((i * 37) % 101) as f32 * 0.25).collect();
        let x = ChunkedMatrix::from_vec(values.clone(), 100, 3, 7).unwrap();
        let s = Summary::of(&x, None).unwrap();
        let first = s.absolute_tol(&x, 1e-4);
        // Kept: a second fit with another tol scales the same variance.
        assert_eq!(s.absolute_tol(&x, 2e-4), first * 2.0);
        assert_eq!(
            x.mean_variance_with(|| unreachable!("computed twice")) * 1e-4,
            first
        );
        // Same value from a summary widened by explicit centres, and on a fresh matrix with
        // other chunks.
        let wide = Summary::of(&x, None).unwrap().covering(&[1e6]);
        assert_eq!(wide.absolute_tol(&x, 1e-4), first);
        let y = ChunkedMatrix::from_vec(values, 100, 3, 64).unwrap();
        assert_eq!(wide.absolute_tol(&y, 1e-4), first);
    }

    proptest! {
        /// The register sums are the row-by-row sums to the last unit, for every width,
        /// over several 2⁸-step blocks and with values of mixed magnitude.
        #[test]
        fn register_column_sums_equal_row_by_row_sums(
            d in 1usize..=8,
            rows in 0usize..2500,
            seed in any::<u64>(),
            spread in 0i32..20,
        ) {
            let mut s = crate::data::KeyedStream::new(seed, crate::data::Purpose::Noise, 0);
            // Magnitudes over `spread` binades: the smallest round to few units.
            let mut value = || {
                let exponent = s.uniform().mul_add(spread as f64, -4.0) as i32;
                ((s.uniform() - 0.5) * 2f64.powi(exponent)) as f32
            };
            let values: Vec<f32> = (0..rows * d).map(|_| value()).collect();
            let max_abs = values.iter().fold(1e-30f64, |m, v| m.max(v.abs() as f64));
            let s1 = FixedScale::narrow(max_abs);
            let s2 = FixedScale::narrow(max_abs * max_abs);
            let fast = column_sums_of(&values, d, &s1, &s2);
            prop_assert_eq!(fast, column_sums_by_row(&values, d, &s1, &s2));
        }
    }
}
