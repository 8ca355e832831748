//! The `f32` ranking for few features (d ≤ [`MAX_D`]): W1's d = 2 and its neighbours.
//!
//! The tiled kernel of [`kernel`](super::kernel) is built for many features; with two,
//! its transposition into a scratch buffer and its per-tile bookkeeping cost more than
//! the arithmetic. Here the feature count is a compile-time constant, so a block of
//! [`LANES`] rows is read as stored (row-major) and transposed in registers, and each
//! centre is a broadcast of `d` constants: per row and centre, `d` multiply-adds and four
//! selects on full vectors (AVX2 + FMA natively, `simd128` in wasm — the code is plain
//! fixed-size array loops, no intrinsics). The ranking value is the same expanded form
//! `‖c‖² − 2 x·c` with the same rounding bound, so [`Ranking::certify`] applies unchanged.

use std::simd::cmp::SimdPartialOrd;
use std::simd::num::SimdInt;
use std::simd::{Select, Simd};

use super::kernel::{CentreSet, LANES, Ranking, Unfused};

/// The largest feature count with a dedicated routine.
pub const MAX_D: usize = 4;

/// Rows ranked together: one AVX2 register (two `simd128` registers) of `f32` per
/// quantity, so the whole state of a half-block stays in registers.
const HALF: usize = 8;
type F = Simd<f32, HALF>;

/// A vector multiply-add, fused or not (the rounding bound covers both).
trait VecMulAdd {
    fn mul_add(a: F, b: F, c: F) -> F;
}

impl VecMulAdd for Unfused {
    #[inline(always)]
    fn mul_add(a: F, b: F, c: F) -> F {
        a * b + c
    }
}

#[cfg(target_arch = "x86_64")]
impl VecMulAdd for super::kernel::Fused {
    #[inline(always)]
    fn mul_add(a: F, b: F, c: F) -> F {
        std::simd::StdFloat::mul_add(a, b, c)
    }
}

#[inline(always)]
fn approx_rows<const D: usize, M: VecMulAdd>(cs: &CentreSet, rows: &[f32], a: &mut Ranking) {
    const H: usize = LANES / HALF;
    let rows = &rows[..LANES * D];
    let centres = cs.values_f32();
    let norms = &cs.norms_f32()[..centres.len() / D];
    let xt: [[F; D]; H] = std::array::from_fn(|h| {
        std::array::from_fn(|j| {
            F::from_array(std::array::from_fn(|l| rows[(h * HALF + l) * D + j]))
        })
    });
    let mut xn = [F::splat(0.0); H];
    for h in 0..H {
        for &xj in &xt[h] {
            xn[h] = M::mul_add(xj, xj, xn[h]);
        }
    }
    // An `f32` compare gives a 32-bit lane mask, which selects the winner's index in an
    // `i32` vector directly. Both half-blocks advance together: their compare-select chains
    // are independent, which hides the latency of each.
    let mut best = [F::splat(f32::INFINITY); H];
    let mut second = [F::splat(f32::INFINITY); H];
    let mut idx = [Simd::<i32, HALF>::splat(0); H];
    for (c, (cv, &cn)) in centres.chunks_exact(D).zip(norms).enumerate() {
        let ci = Simd::<i32, HALF>::splat(c as i32);
        for h in 0..H {
            let mut acc = F::splat(0.0);
            for j in 0..D {
                acc = M::mul_add(xt[h][j], F::splat(cv[j]), acc);
            }
            let v = M::mul_add(F::splat(-2.0), acc, F::splat(cn));
            // Branch-free, as in the tiled kernel: the runner-up is min(second, max(best, v)).
            // Plain compare-selects, not simd_min/max: the values are never NaN.
            let better = v.simd_lt(best[h]);
            let hi = better.select(best[h], v);
            second[h] = hi.simd_lt(second[h]).select(hi, second[h]);
            idx[h] = better.select(ci, idx[h]);
            best[h] = better.select(v, best[h]);
        }
    }
    let (mut best_all, mut second_all, mut idx_all) =
        ([0.0f32; LANES], [0.0f32; LANES], [0u32; LANES]);
    for h in 0..H {
        let span = h * HALF..(h + 1) * HALF;
        xn[h].copy_to_slice(&mut a.xn[span.clone()]);
        best[h].copy_to_slice(&mut best_all[span.clone()]);
        second[h].copy_to_slice(&mut second_all[span.clone()]);
        let i: Simd<u32, HALF> = idx[h].cast();
        i.copy_to_slice(&mut idx_all[span]);
    }
    a.certify(cs, best_all, second_all, idx_all);
}

/// Exact [`sq_dist`](super::kernel::sq_dist) of each row of a full row-major block to
/// centre `labels[l]`, eight rows per `f64` vector. `sq_dist` sums squares in four
/// interleaved partial sums combined as `(s₀ + s₁) + (s₂ + s₃)`; for d ≤ 4 each partial
/// sum is one square (or zero), which is exactly what this computes, so the bits match.
#[inline(always)]
fn exact_dists<const D: usize>(
    c64: &[f64],
    rows: &[f32],
    labels: &[u32; LANES],
    out: &mut [f64; LANES],
) {
    type G = Simd<f64, HALF>;
    let rows = &rows[..LANES * D];
    for h in 0..LANES / HALF {
        let mut sq = [G::splat(0.0); 4];
        for (j, s) in sq.iter_mut().enumerate().take(D) {
            let x = G::from_array(std::array::from_fn(|l| rows[(h * HALF + l) * D + j] as f64));
            let c = G::from_array(std::array::from_fn(|l| {
                c64[labels[h * HALF + l] as usize * D + j]
            }));
            let t = x - c;
            *s = t * t;
        }
        let dist = (sq[0] + sq[1]) + (sq[2] + sq[3]);
        dist.copy_to_slice(&mut out[h * HALF..(h + 1) * HALF]);
    }
}

/// [`exact_dists`] for the block's feature count, if it has a dedicated routine.
#[inline(always)]
pub(crate) fn exact_block(
    c64: &[f64],
    d: usize,
    rows: &[f32],
    labels: &[u32; LANES],
    out: &mut [f64; LANES],
) -> bool {
    match d {
        1 => exact_dists::<1>(c64, rows, labels, out),
        2 => exact_dists::<2>(c64, rows, labels, out),
        3 => exact_dists::<3>(c64, rows, labels, out),
        4 => exact_dists::<4>(c64, rows, labels, out),
        _ => return false,
    }
    true
}

macro_rules! routines {
    ($($d:literal => $plain:ident, $avx2:ident, $checked:ident;)*) => {
        $(
            fn $plain(cs: &CentreSet, rows: &[f32], a: &mut Ranking) {
                approx_rows::<$d, Unfused>(cs, rows, a)
            }

            #[cfg(target_arch = "x86_64")]
            #[target_feature(enable = "avx2,fma")]
            fn $avx2(cs: &CentreSet, rows: &[f32], a: &mut Ranking) {
                approx_rows::<$d, super::kernel::Fused>(cs, rows, a)
            }

            #[cfg(target_arch = "x86_64")]
            fn $checked(cs: &CentreSet, rows: &[f32], a: &mut Ranking) {
                // SAFETY: only selected by `routine` when the CPU has AVX2 and FMA.
                unsafe { $avx2(cs, rows, a) }
            }
        )*

        /// The row-major ranking routine for `d` features on this CPU, if `d ≤ MAX_D`.
        pub(crate) fn routine(d: usize) -> Option<fn(&CentreSet, &[f32], &mut Ranking)> {
            #[cfg(target_arch = "x86_64")]
            {
                if std::arch::is_x86_feature_detected!("avx2")
                    && std::arch::is_x86_feature_detected!("fma")
                {
                    return match d {
                        $($d => Some($checked as fn(&CentreSet, &[f32], &mut Ranking)),)*
                        _ => None,
                    };
                }
            }
            match d {
                $($d => Some($plain as fn(&CentreSet, &[f32], &mut Ranking)),)*
                _ => None,
            }
        }
    };
}

routines! {
    1 => plain1, avx2_1, checked1;
    2 => plain2, avx2_2, checked2;
    3 => plain3, avx2_3, checked3;
    4 => plain4, avx2_4, checked4;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::kernel::sq_dist;

    /// Every d ≤ MAX_D, full and partial blocks, with rows placed on the bisector of two
    /// centres (ties and uncertified winners): labels equal the exact argmin.
    #[test]
    fn small_d_labels_equal_the_exact_argmin() {
        for d in 1..=MAX_D {
            let (n, k) = (LANES * 5 + 3, 7);
            let mut s = crate::data::KeyedStream::new(d as u64, crate::data::Purpose::Sample, 0);
            let c: Vec<f64> = (0..k * d).map(|_| s.uniform() * 20.0 - 10.0).collect();
            let mut x: Vec<f32> = (0..n * d)
                .map(|_| (s.uniform() * 24.0 - 12.0) as f32)
                .collect();
            for r in (0..n).step_by(4) {
                for j in 0..d {
                    x[r * d + j] = ((c[j] + c[d + j]) / 2.0) as f32;
                }
            }
            let cs = CentreSet::new(c.clone(), d);
            assert!(routine(d).is_some());
            let mut scratch = cs.scratch();
            cs.for_each_nearest(true, &x, &mut scratch, |r, got, dist, _| {
                let row = &x[r * d..(r + 1) * d];
                let mut best = (0u32, f64::INFINITY);
                for (i, cr) in c.chunks(d).enumerate() {
                    let e = sq_dist(row, cr);
                    if e < best.1 {
                        best = (i as u32, e);
                    }
                }
                assert_eq!(got, best.0, "d {d} row {r}");
                assert_eq!(dist, best.1, "d {d} row {r}");
            });
        }
        assert!(routine(MAX_D + 1).is_none());
    }
}
