//! The AVX-512 register tile of the blocked ranking: [`LANES`] (16) rows in one 512-bit
//! register × [`WIDE_GROUP`] (8) centres, so a tile keeps eight independent multiply-add
//! chains in flight, as the AVX2 tile does with two 256-bit registers × four centres.
//!
//! The AVX2 routines compiled for AVX-512 as they are keep only four chains (one register
//! per centre), which does not cover the FMA latency: measured, they ran no faster than
//! AVX2 (`docs/performance.md`, 2026-12-07 evening). And the generic array loops of
//! [`general`](crate::cluster::kernels::general) did not vectorise with eight centres; this
//! tile is therefore written with explicit `std::simd` vectors, which lower to `zmm`
//! multiply-adds with a broadcast centre operand.
//!
//! Only the `f32` ranking changes: the certificate and the exact fallback are those of
//! [`Ranking::certify`], so labels are the same bits as with any other tile
//! (`src/cluster/README.md` §1–§3).

use std::simd::cmp::SimdPartialOrd;
use std::simd::{Select, Simd, StdFloat};

use crate::cluster::kernels::general::{CentreSet, LANES, Ranking};

/// Centres per AVX-512 register tile.
pub(crate) const WIDE_GROUP: usize = 8;

type V = Simd<f32, LANES>;
type U = Simd<u32, LANES>;

/// Whether this CPU runs the AVX-512 tile (AVX-512 F for the registers, FMA for fused
/// multiply-adds).
pub(crate) fn available() -> bool {
    std::arch::is_x86_feature_detected!("avx512f")
        && std::arch::is_x86_feature_detected!("avx2")
        && std::arch::is_x86_feature_detected!("fma")
}

/// `x·c` for the 16 rows of a transposed block and each centre of tile `g` (8 centres
/// packed feature by feature in [`CentreSet::tiles_f32`]).
#[inline(always)]
fn tile_dots(cs: &CentreSet, xt: &[f32], g: usize) -> [V; WIDE_GROUP] {
    let d = cs.d();
    let tile = &cs.tiles_f32()[g * d * WIDE_GROUP..(g + 1) * d * WIDE_GROUP];
    let mut acc = [V::splat(0.0); WIDE_GROUP];
    for (xv, cv) in xt.chunks_exact(LANES).zip(tile.chunks_exact(WIDE_GROUP)) {
        let x = V::from_slice(xv);
        for (q, acc) in acc.iter_mut().enumerate() {
            *acc = x.mul_add(V::splat(cv[q]), *acc);
        }
    }
    acc
}

/// `‖x‖²` of each row of a transposed block.
#[inline(always)]
fn row_norms(xt: &[f32]) -> V {
    xt.chunks_exact(LANES).fold(V::splat(0.0), |n, xv| {
        let x = V::from_slice(xv);
        x.mul_add(x, n)
    })
}

#[inline(always)]
fn approx_wide(cs: &CentreSet, xt: &[f32], a: &mut Ranking) {
    let xn = row_norms(xt);
    let (mut best, mut second, mut idx) = (
        V::splat(f32::INFINITY),
        V::splat(f32::INFINITY),
        U::splat(0),
    );
    let norms = cs.norms_f32();
    for g in 0..cs.padded_k() / WIDE_GROUP {
        let acc = tile_dots(cs, xt, g);
        for (q, dots) in acc.iter().enumerate() {
            let c = g * WIDE_GROUP + q;
            let v = dots.mul_add(V::splat(-2.0), V::splat(norms[c]));
            // The runner-up is min(second, max(best, v)), as in the AVX2 tile; comparisons
            // and selects (one `vmaxps` / `vminps` each), where `simd_max` would add NaN
            // handling the finite inputs do not need.
            let hi = v.simd_gt(best).select(v, best);
            second = hi.simd_lt(second).select(hi, second);
            let lower = v.simd_lt(best);
            idx = lower.select(U::splat(c as u32), idx);
            best = lower.select(v, best);
        }
    }
    a.xn = xn.to_array();
    a.certify(cs, best.to_array(), second.to_array(), idx.to_array());
}

/// Asks for the block two blocks past `values` (the rows a pass reaches next) to be
/// brought into L1 while this one is ranked.
#[inline(always)]
fn prefetch_ahead(values: &[f32]) {
    use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
    let ahead = values.as_ptr().wrapping_add(2 * values.len()) as *const i8;
    for line in (0..values.len() * 4).step_by(64) {
        // SAFETY: a prefetch never faults, whatever the address.
        unsafe { _mm_prefetch::<_MM_HINT_T0>(ahead.wrapping_add(line)) };
    }
}

/// The ranking of a transposed block (the `approx` routine of [`CentreSet`]).
#[target_feature(enable = "avx512f,avx2,fma")]
fn approx_avx512(cs: &CentreSet, xt: &[f32], a: &mut Ranking) {
    approx_wide(cs, xt, a)
}

/// The ranking of a full row-major block, transposed first.
#[target_feature(enable = "avx512f,avx2,fma")]
fn approx_block_avx512(cs: &CentreSet, values: &[f32], xt: &mut [f32], a: &mut Ranking) {
    prefetch_ahead(values);
    crate::cluster::kernels::general::transpose_block(values, cs.d(), xt);
    approx_wide(cs, xt, a)
}

/// [`CentreSet::within_block`] on the wide tile: the same threshold, one mask per centre
/// straight from the vector comparison.
#[target_feature(enable = "avx512f,avx2,fma")]
fn within_avx512(
    cs: &CentreSet,
    values: &[f32],
    xt: &mut [f32],
    bound: &[f64; LANES],
    masks: &mut [u32],
) {
    crate::cluster::kernels::general::transpose_block(values, cs.d(), xt);
    let xn = row_norms(xt);
    let thr = V::from_array(cs.within_thresholds(&xn.to_array(), bound));
    let norms = cs.norms_f32();
    for g in 0..cs.padded_k() / WIDE_GROUP {
        let acc = tile_dots(cs, xt, g);
        for (q, dots) in acc.iter().enumerate() {
            let c = g * WIDE_GROUP + q;
            if c >= cs.k() {
                break;
            }
            let v = dots.mul_add(V::splat(-2.0), V::splat(norms[c])) + xn;
            masks[c] = v.simd_le(thr).to_bitmask() as u32;
        }
    }
}

/// The `approx` routine, behind the detection of [`available`].
pub(crate) fn approx(cs: &CentreSet, xt: &[f32], a: &mut Ranking) {
    // SAFETY: `CentreSet` selects the wide routines only when `available()` held.
    unsafe { approx_avx512(cs, xt, a) }
}

/// The `approx_block` routine, behind the detection of [`available`].
pub(crate) fn approx_block(cs: &CentreSet, values: &[f32], xt: &mut [f32], a: &mut Ranking) {
    // SAFETY: as for `approx`.
    unsafe { approx_block_avx512(cs, values, xt, a) }
}

/// The `within_block` routine, behind the detection of [`available`].
pub(crate) fn within(
    cs: &CentreSet,
    values: &[f32],
    xt: &mut [f32],
    bound: &[f64; LANES],
    masks: &mut [u32],
) {
    // SAFETY: as for `approx`.
    unsafe { within_avx512(cs, values, xt, bound, masks) }
}
