//! The `f32` ranking for few features (d ≤ [`MAX_D`]): W1's d = 2 and its neighbours.
//!
//! The tiled kernel of [`kernel`](crate::cluster::kernels::general) is built for many features; with two,
//! its transposition into a scratch buffer and its per-tile bookkeeping cost more than
//! the arithmetic. Here the feature count is a compile-time constant, so a block of
//! [`LANES`] rows is read as stored (row-major) and transposed in registers, and each
//! centre is a broadcast of `d` constants: per row and centre, `d` multiply-adds and five
//! compare/select operations on full vectors (AVX-512 or AVX2 + FMA natively, `simd128` in
//! wasm — the code is `std::simd` portable vectors of `W` `f32`, no `core::arch`
//! intrinsics, so one source serves every target: sixteen rows per register with AVX-512,
//! eight otherwise). The ranking value is the same expanded form
//! `‖c‖² − 2 x·c` with the same rounding bound, so `Ranking::certify` applies unchanged.

use std::simd::cmp::{SimdPartialEq, SimdPartialOrd};
use std::simd::num::SimdInt;
use std::simd::{Select, Simd};

use crate::cluster::kernels::general::{CentreSet, LANES, Ranking, Unfused};
use crate::cluster::lloyd::fixed_sum::BlockFixSum;

/// The largest feature count with a dedicated routine.
pub const MAX_D: usize = 4;

/// Rows ranked together without AVX-512: one AVX2 register (two `simd128` registers) of
/// `f32` per quantity, so the whole state of a half-block stays in registers.
const HALF: usize = 8;

/// Groups of `w` rows per block: two of eight, or one of sixteen. The arrays below hold
/// two either way (a length of `LANES / W` would need generic constant expressions).
const fn groups(w: usize) -> usize {
    LANES / w
}

/// A vector multiply-add, fused or not (the rounding bound covers both).
trait VecMulAdd {
    fn mul_add<const W: usize>(a: Simd<f32, W>, b: Simd<f32, W>, c: Simd<f32, W>) -> Simd<f32, W>;
}

impl VecMulAdd for Unfused {
    #[inline(always)]
    fn mul_add<const W: usize>(a: Simd<f32, W>, b: Simd<f32, W>, c: Simd<f32, W>) -> Simd<f32, W> {
        a * b + c
    }
}

#[cfg(target_arch = "x86_64")]
impl VecMulAdd for crate::cluster::kernels::general::Fused {
    #[inline(always)]
    fn mul_add<const W: usize>(a: Simd<f32, W>, b: Simd<f32, W>, c: Simd<f32, W>) -> Simd<f32, W> {
        std::simd::StdFloat::mul_add(a, b, c)
    }
}

/// One block's ranking, still in registers: per group of `W` rows `‖x‖²`, best and
/// runner-up ranking values and the winner's index (the first `LANES / W` groups).
struct Ranked<const W: usize> {
    xn: [Simd<f32, W>; 2],
    best: [Simd<f32, W>; 2],
    second: [Simd<f32, W>; 2],
    idx: [Simd<i32, W>; 2],
}

#[inline(always)]
fn rank_block<const D: usize, M: VecMulAdd, const W: usize>(
    cs: &CentreSet,
    rows: &[f32],
) -> Ranked<W> {
    let h_n = groups(W);
    let rows = &rows[..LANES * D];
    let centres = cs.values_f32();
    let norms = &cs.norms_f32()[..centres.len() / D];
    let mut xt = [[Simd::<f32, W>::splat(0.0); D]; 2];
    for (h, xh) in xt.iter_mut().enumerate().take(h_n) {
        for (j, xj) in xh.iter_mut().enumerate() {
            let mut lanes = [0.0f32; W];
            for (l, v) in lanes.iter_mut().enumerate() {
                *v = rows[(h * W + l) * D + j];
            }
            *xj = Simd::from_array(lanes);
        }
    }
    let mut xn = [Simd::<f32, W>::splat(0.0); 2];
    for h in 0..h_n {
        for &xj in &xt[h] {
            xn[h] = M::mul_add(xj, xj, xn[h]);
        }
    }
    // An `f32` compare gives a 32-bit lane mask, which selects the winner's index in an
    // `i32` vector directly. With eight rows a vector, both half-blocks advance together:
    // their compare-select chains are independent, which hides the latency of each.
    let mut best = [Simd::<f32, W>::splat(f32::INFINITY); 2];
    let mut second = [Simd::<f32, W>::splat(f32::INFINITY); 2];
    let mut idx = [Simd::<i32, W>::splat(0); 2];
    for (c, (cv, &cn)) in centres.chunks_exact(D).zip(norms).enumerate() {
        let ci = Simd::<i32, W>::splat(c as i32);
        for h in 0..h_n {
            // ‖c‖² + Σ xⱼ·(−2cⱼ) in one multiply-add chain (the −2 is folded into the
            // stored centres, exactly): d + 1 terms whose magnitudes sum to at most
            // 2‖c‖² + ‖x‖², so the error stays inside the certified bound.
            let mut v = Simd::<f32, W>::splat(cn);
            for j in 0..D {
                v = M::mul_add(xt[h][j], Simd::<f32, W>::splat(cv[j]), v);
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
fn store<const W: usize>(cs: &CentreSet, r: &Ranked<W>, a: &mut Ranking) {
    let (mut best_all, mut second_all, mut idx_all) =
        ([0.0f32; LANES], [0.0f32; LANES], [0u32; LANES]);
    for h in 0..groups(W) {
        let span = h * W..(h + 1) * W;
        r.xn[h].copy_to_slice(&mut a.xn[span.clone()]);
        r.best[h].copy_to_slice(&mut best_all[span.clone()]);
        r.second[h].copy_to_slice(&mut second_all[span.clone()]);
        let i: Simd<u32, W> = r.idx[h].cast();
        i.copy_to_slice(&mut idx_all[span]);
    }
    a.certify(cs, best_all, second_all, idx_all);
}

#[inline(always)]
fn approx_rows<const D: usize, M: VecMulAdd, const W: usize>(
    cs: &CentreSet,
    rows: &[f32],
    a: &mut Ranking,
) {
    store(cs, &rank_block::<D, M, W>(cs, rows), a);
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
fn scan_rows<const D: usize, M: VecMulAdd, const W: usize>(
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
        let r = rank_block::<D, M, W>(cs, block);
        let old: [u32; LANES] = lab[..LANES].try_into().expect("a full block");
        let (mut moved, mut unsure) = (0u32, 0u32);
        for h in 0..groups(W) {
            let span = h * W..(h + 1) * W;
            let was = Simd::<u32, W>::from_slice(&old[span.clone()]);
            let new = r.idx[h].cast::<u32>();
            let sure = cs.certified(r.xn[h], r.best[h], r.second[h]);
            moved |= ((sure & new.simd_ne(was)).to_bitmask() as u32) << (h * W);
            unsure |= ((!sure).to_bitmask() as u32) << (h * W);
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

/// Which build of the routines a [`CentreSet`] uses: the instruction sets of the general
/// kernel's routines it goes with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tier {
    /// Eight rows per vector, unfused (SSE2 natively, `simd128` in wasm).
    Plain,
    /// Eight rows per AVX2 register, fused multiply-adds.
    #[cfg(target_arch = "x86_64")]
    Avx2,
    /// Sixteen rows per AVX-512 register, fused multiply-adds.
    #[cfg(target_arch = "x86_64")]
    Avx512,
}

/// The routines of one feature count in every tier.
struct Builds {
    rank: [Rank; 3],
    scan: [Scan; 3],
    cost: [CostRows; 3],
}

impl Tier {
    /// The build to hand out for this tier: its own where the CPU has its instruction sets,
    /// the plain one otherwise, so that no caller can reach a routine the CPU cannot run.
    fn index(self) -> usize {
        #[cfg(target_arch = "x86_64")]
        {
            let avx2 = std::arch::is_x86_feature_detected!("avx2")
                && std::arch::is_x86_feature_detected!("fma");
            match self {
                Tier::Avx512 if avx2 && std::arch::is_x86_feature_detected!("avx512f") => 2,
                Tier::Avx2 if avx2 => 1,
                _ => 0,
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        0
    }
}

/// One tier's ranking, scan and cost for `$d` features: `$m` multiply-adds, `$w` rows a
/// vector, each function carrying the attributes `$a` (its target features).
macro_rules! tier {
    ($d:literal, $m:ty, $w:expr, [$(#[$a:meta])*], $rank:ident, $scan:ident, $cost:ident) => {
        $(#[$a])*
        pub(super) fn $rank(cs: &CentreSet, rows: &[f32], a: &mut Ranking) {
            approx_rows::<$d, $m, { $w }>(cs, rows, a)
        }

        $(#[$a])*
        pub(super) fn $scan(
            cs: &CentreSet,
            rows: &[f32],
            labels: &mut [u32],
            report_moves: bool,
            visit: Visit<'_>,
        ) -> u64 {
            scan_rows::<$d, $m, { $w }>(cs, rows, labels, report_moves, visit)
        }

        $(#[$a])*
        pub(super) fn $cost(c64: &[f64], rows: &[f32], labels: &[u32], sum: &mut BlockFixSum) {
            cost_rows::<$d>(c64, rows, labels, sum)
        }
    };
}

macro_rules! routines {
    ($($d:literal => $m:ident;)*) => {
        $(
            /// The routines for this feature count, one per [`Tier`].
            mod $m {
                use super::*;
                #[cfg(target_arch = "x86_64")]
                use crate::cluster::kernels::general::Fused;

                mod plain {
                    use super::*;
                    tier!($d, Unfused, HALF, [], rank, scan, cost);
                }
                use plain::{cost as cost_plain, rank as rank_plain, scan as scan_plain};

                #[cfg(target_arch = "x86_64")]
                tier!($d, Fused, HALF, [#[target_feature(enable = "avx2,fma")]],
                    rank_avx2, scan_avx2, cost_avx2);
                #[cfg(target_arch = "x86_64")]
                tier!($d, Fused, LANES, [#[target_feature(enable = "avx512f,avx2,fma")]],
                    rank_avx512, scan_avx512, cost_avx512);

                /// Every tier's routines; [`Tier::index`] hands a tier out only where the CPU
                /// has it.
                pub(super) fn builds() -> Builds {
                    #[cfg(target_arch = "x86_64")]
                    {
                        // SAFETY (every closure): entries 1 and 2 are only reached through
                        // `Tier::index`, which checks that the CPU has their sets.
                        Builds {
                            rank: [
                                rank_plain,
                                |cs, rows, a| unsafe { rank_avx2(cs, rows, a) },
                                |cs, rows, a| unsafe { rank_avx512(cs, rows, a) },
                            ],
                            scan: [
                                scan_plain,
                                |cs, rows, l, m, v| unsafe { scan_avx2(cs, rows, l, m, v) },
                                |cs, rows, l, m, v| unsafe { scan_avx512(cs, rows, l, m, v) },
                            ],
                            cost: [
                                cost_plain,
                                |c, rows, l, s| unsafe { cost_avx2(c, rows, l, s) },
                                |c, rows, l, s| unsafe { cost_avx512(c, rows, l, s) },
                            ],
                        }
                    }
                    #[cfg(not(target_arch = "x86_64"))]
                    Builds {
                        rank: [rank_plain; 3],
                        scan: [scan_plain; 3],
                        cost: [cost_plain; 3],
                    }
                }
            }
        )*

        /// The routines for `d` features in every tier, if `d ≤ MAX_D`.
        fn builds(d: usize) -> Option<Builds> {
            match d {
                $($d => Some($m::builds()),)*
                _ => None,
            }
        }
    };
}

routines! {
    1 => d1;
    2 => d2;
    3 => d3;
    4 => d4;
}

/// The row-major ranking for `d` features in `tier`, if `d ≤ MAX_D`.
pub(crate) fn routine(d: usize, tier: Tier) -> Option<Rank> {
    builds(d).map(|b| b.rank[tier.index()])
}

/// The fused scan for `d` features in `tier`, if `d ≤ MAX_D`.
pub(crate) fn scan_routine(d: usize, tier: Tier) -> Option<Scan> {
    builds(d).map(|b| b.scan[tier.index()])
}

/// The unit-weight block cost for `d` features in `tier`, if `d ≤ MAX_D`.
pub(crate) fn cost_routine(d: usize, tier: Tier) -> Option<CostRows> {
    builds(d).map(|b| b.cost[tier.index()])
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
            assert!(routine(d, Tier::Plain).is_some());
            // Plain, AVX2 and AVX-512 builds, as far as the CPU has them.
            for (build, cs) in CentreSet::every_build(&c, d).into_iter().enumerate() {
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
                    assert_eq!(got, best.0, "d {d} build {build} row {r}");
                    assert_eq!(dist, best.1, "d {d} build {build} row {r}");
                });
            }
        }
        assert!(routine(MAX_D + 1, Tier::Plain).is_none());
    }
}
