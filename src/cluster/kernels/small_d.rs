//! The `f32` ranking for few features (d ≤ [`MAX_D`]): W1's d = 2 and its neighbours.
//!
//! The tiled kernel of [`kernel`](crate::cluster::kernels::general) is built for many features; with two,
//! its transposition into a scratch buffer and its per-tile bookkeeping cost more than
//! the arithmetic. Here the feature count is a compile-time constant, so a block of
//! [`LANES`] rows is read as stored (row-major) and transposed in registers, and each
//! centre is a broadcast of `d` constants: per row and centre, `d` multiply-adds and five
//! compare/select operations on full vectors (AVX2 + FMA natively, `simd128` in wasm — the
//! code is `std::simd` portable vectors of eight `f32`, no `core::arch` intrinsics, so one
//! source serves every target). The ranking value is the same expanded form
//! `‖c‖² − 2 x·c` with the same rounding bound, so `Ranking::certify` applies unchanged.

use std::simd::cmp::{SimdPartialEq, SimdPartialOrd};
use std::simd::num::SimdInt;
use std::simd::{Select, Simd};

use crate::cluster::kernels::general::{CentreSet, LANES, Ranking, Unfused};
use crate::cluster::lloyd::fixed_sum::BlockFixSum;

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
impl VecMulAdd for crate::cluster::kernels::general::Fused {
    #[inline(always)]
    fn mul_add(a: F, b: F, c: F) -> F {
        std::simd::StdFloat::mul_add(a, b, c)
    }
}

/// One block's ranking, still in registers: per half-block `‖x‖²`, best and runner-up
/// ranking values and the winner's index.
struct Ranked {
    xn: [F; H],
    best: [F; H],
    second: [F; H],
    idx: [Simd<i32, HALF>; H],
}

/// Half-blocks per block.
const H: usize = LANES / HALF;

#[inline(always)]
fn rank_block<const D: usize, M: VecMulAdd>(cs: &CentreSet, rows: &[f32]) -> Ranked {
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
            // ‖c‖² + Σ xⱼ·(−2cⱼ) in one multiply-add chain (the −2 is folded into the
            // stored centres, exactly): d + 1 terms whose magnitudes sum to at most
            // 2‖c‖² + ‖x‖², so the error stays inside the certified bound.
            let mut v = F::splat(cn);
            for j in 0..D {
                v = M::mul_add(xt[h][j], F::splat(cv[j]), v);
            }
            // Branch-free, as in the tiled kernel: the runner-up is min(second, max(best, v)).
            // Plain compare-selects, not simd_min/max: the values are never NaN.
            let better = v.simd_lt(best[h]);
            let hi = better.select(best[h], v);
            second[h] = hi.simd_lt(second[h]).select(hi, second[h]);
            idx[h] = better.select(ci, idx[h]);
            best[h] = better.select(v, best[h]);
        }
    }
    Ranked {
        xn,
        best,
        second,
        idx,
    }
}

/// Stores a ranking held in registers into `a` and certifies it.
#[inline(always)]
fn store(cs: &CentreSet, r: &Ranked, a: &mut Ranking) {
    let (mut best_all, mut second_all, mut idx_all) =
        ([0.0f32; LANES], [0.0f32; LANES], [0u32; LANES]);
    for h in 0..H {
        let span = h * HALF..(h + 1) * HALF;
        r.xn[h].copy_to_slice(&mut a.xn[span.clone()]);
        r.best[h].copy_to_slice(&mut best_all[span.clone()]);
        r.second[h].copy_to_slice(&mut second_all[span.clone()]);
        let i: Simd<u32, HALF> = r.idx[h].cast();
        i.copy_to_slice(&mut idx_all[span]);
    }
    a.certify(cs, best_all, second_all, idx_all);
}

#[inline(always)]
fn approx_rows<const D: usize, M: VecMulAdd>(cs: &CentreSet, rows: &[f32], a: &mut Ranking) {
    store(cs, &rank_block::<D, M>(cs, rows), a);
}

/// What a fused scan hands back for a block with rows to look at: the block's index,
/// the rows that moved to a certified new winner (bit `l`), the rows whose winner is
/// uncertified (the visitor labels them), the labels before the scan, and the block's
/// labels (certified winners already written).
pub(crate) type Visit<'v> = &'v mut dyn FnMut(usize, u32, u32, &[u32; LANES], &mut [u32]);

/// The signature of a fused scan; returns the certified rows whose label changed.
pub(crate) type Scan = fn(&CentreSet, &[f32], &mut [u32], bool, Visit<'_>) -> u64;

/// Ranks whole blocks in registers and writes certified winners; a block leaves
/// registers only when it has an uncertified row, or (with `report_moves`, the delta
/// pass of a Lloyd iteration after the first) a row whose label changed.
#[inline(always)]
fn scan_rows<const D: usize, M: VecMulAdd>(
    cs: &CentreSet,
    rows: &[f32],
    labels: &mut [u32],
    report_moves: bool,
    visit: Visit<'_>,
) -> u64 {
    let mut changed = 0u64;
    let blocks = rows
        .chunks_exact(LANES * D)
        .zip(labels.chunks_exact_mut(LANES));
    for (b, (block, lab)) in blocks.enumerate() {
        let r = rank_block::<D, M>(cs, block);
        let old: [u32; LANES] = lab[..LANES].try_into().expect("a full block");
        let (mut moved, mut unsure) = (0u32, 0u32);
        for h in 0..H {
            let span = h * HALF..(h + 1) * HALF;
            let was = Simd::<u32, HALF>::from_slice(&old[span.clone()]);
            let new = r.idx[h].cast::<u32>();
            let sure = cs.certified(r.xn[h], r.best[h], r.second[h]);
            moved |= ((sure & new.simd_ne(was)).to_bitmask() as u32) << (h * HALF);
            unsure |= ((!sure).to_bitmask() as u32) << (h * HALF);
            sure.cast::<i32>()
                .select(new, was)
                .copy_to_slice(&mut lab[span]);
        }
        changed += moved.count_ones() as u64;
        if !report_moves {
            moved = 0;
        }
        if moved | unsure != 0 {
            visit(b, moved, unsure, &old, lab);
        }
    }
    changed
}

/// Exact [`sq_dist`](crate::cluster::kernels::general::sq_dist) of each row of a full row-major block to
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

/// The unit-weight cost `Σ sq_dist(x, c_label)` of full row-major blocks, added to `sum`.
#[inline(always)]
fn cost_rows<const D: usize>(c64: &[f64], rows: &[f32], labels: &[u32], sum: &mut BlockFixSum) {
    let mut dists = [0.0f64; LANES];
    let blocks = rows.chunks_exact(LANES * D).zip(labels.chunks_exact(LANES));
    for (block, lab) in blocks {
        exact_dists::<D>(
            c64,
            block,
            lab.try_into().expect("a full block"),
            &mut dists,
        );
        for t in dists.chunks_exact(8) {
            sum.add(t);
        }
    }
}

/// The signature of a unit-weight block cost routine.
pub(crate) type CostRows = fn(&[f64], &[f32], &[u32], &mut BlockFixSum);

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

/// The signature of a row-major ranking routine.
pub(crate) type Rank = fn(&CentreSet, &[f32], &mut Ranking);

/// Routine `d` (1-based: the tables list d = 1 ..= MAX_D in order) of `fast` when the CPU
/// has AVX2 and FMA, else of `plain`.
fn pick<T: Copy>(d: usize, fast: [T; MAX_D], plain: [T; MAX_D]) -> Option<T> {
    #[cfg(target_arch = "x86_64")]
    let fast_ok =
        std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma");
    #[cfg(not(target_arch = "x86_64"))]
    let fast_ok = false;
    let table = if fast_ok { fast } else { plain };
    (1..=MAX_D).contains(&d).then(|| table[d - 1])
}

/// A function choosing, by feature count, the AVX2 + FMA routine when the CPU has them
/// (x86-64 only) and the plain one otherwise.
macro_rules! selector {
    ($name:ident, $ty:ty, [$($fast:ident),*], [$($plain:ident),*], $doc:literal) => {
        #[doc = $doc]
        pub(crate) fn $name(d: usize) -> Option<$ty> {
            #[cfg(target_arch = "x86_64")]
            let fast = [$($fast as $ty),*];
            #[cfg(not(target_arch = "x86_64"))]
            let fast = [$($plain as $ty),*];
            pick(d, fast, [$($plain as $ty),*])
        }
    };
}

macro_rules! routines {
    ($($d:literal => $plain:ident, $avx2:ident, $checked:ident,
        $splain:ident, $savx2:ident, $schecked:ident,
        $cplain:ident, $cavx2:ident, $cchecked:ident;)*) => {
        $(
            fn $plain(cs: &CentreSet, rows: &[f32], a: &mut Ranking) {
                approx_rows::<$d, Unfused>(cs, rows, a)
            }

            #[cfg(target_arch = "x86_64")]
            #[target_feature(enable = "avx2,fma")]
            fn $avx2(cs: &CentreSet, rows: &[f32], a: &mut Ranking) {
                approx_rows::<$d, crate::cluster::kernels::general::Fused>(cs, rows, a)
            }

            #[cfg(target_arch = "x86_64")]
            fn $checked(cs: &CentreSet, rows: &[f32], a: &mut Ranking) {
                // SAFETY: only selected by `routine` when the CPU has AVX2 and FMA.
                unsafe { $avx2(cs, rows, a) }
            }

            fn $splain(
                cs: &CentreSet,
                rows: &[f32],
                labels: &mut [u32],
                report_moves: bool,
                visit: Visit<'_>,
            ) -> u64 {
                scan_rows::<$d, Unfused>(cs, rows, labels, report_moves, visit)
            }

            #[cfg(target_arch = "x86_64")]
            #[target_feature(enable = "avx2,fma")]
            fn $savx2(
                cs: &CentreSet,
                rows: &[f32],
                labels: &mut [u32],
                report_moves: bool,
                visit: Visit<'_>,
            ) -> u64 {
                scan_rows::<$d, crate::cluster::kernels::general::Fused>(cs, rows, labels, report_moves, visit)
            }

            fn $cplain(c64: &[f64], rows: &[f32], labels: &[u32], sum: &mut BlockFixSum) {
                cost_rows::<$d>(c64, rows, labels, sum)
            }

            #[cfg(target_arch = "x86_64")]
            #[target_feature(enable = "avx2,fma")]
            fn $cavx2(c64: &[f64], rows: &[f32], labels: &[u32], sum: &mut BlockFixSum) {
                cost_rows::<$d>(c64, rows, labels, sum)
            }

            #[cfg(target_arch = "x86_64")]
            fn $cchecked(c64: &[f64], rows: &[f32], labels: &[u32], sum: &mut BlockFixSum) {
                // SAFETY: only selected by `cost_routine` when the CPU has AVX2 and FMA.
                unsafe { $cavx2(c64, rows, labels, sum) }
            }

            #[cfg(target_arch = "x86_64")]
            fn $schecked(
                cs: &CentreSet,
                rows: &[f32],
                labels: &mut [u32],
                report_moves: bool,
                visit: Visit<'_>,
            ) -> u64 {
                // SAFETY: only selected by `scan_routine` when the CPU has AVX2 and FMA.
                unsafe { $savx2(cs, rows, labels, report_moves, visit) }
            }
        )*

        selector!(routine, Rank, [$($checked),*], [$($plain),*],
            "The row-major ranking routine for `d` features on this CPU, if `d ≤ MAX_D`.");
        selector!(cost_routine, CostRows, [$($cchecked),*], [$($cplain),*],
            "The unit-weight block cost for `d` features on this CPU, if `d ≤ MAX_D`.");
        selector!(scan_routine, Scan, [$($schecked),*], [$($splain),*],
            "The fused scan for `d` features on this CPU, if `d ≤ MAX_D`.");
    };
}

routines! {
    1 => plain1, avx2_1, checked1, scan_plain1, scan_avx2_1, scan_checked1,
        cost_plain1, cost_avx2_1, cost_checked1;
    2 => plain2, avx2_2, checked2, scan_plain2, scan_avx2_2, scan_checked2,
        cost_plain2, cost_avx2_2, cost_checked2;
    3 => plain3, avx2_3, checked3, scan_plain3, scan_avx2_3, scan_checked3,
        cost_plain3, cost_avx2_3, cost_checked3;
    4 => plain4, avx2_4, checked4, scan_plain4, scan_avx2_4, scan_checked4,
        cost_plain4, cost_avx2_4, cost_checked4;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::kernels::general::sq_dist;

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
