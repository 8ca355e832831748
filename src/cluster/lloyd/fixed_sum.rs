//! Order-independent sums: every term is rounded once to a fixed-point integer and the
//! integers are added exactly, so a sum is the same bits for any chunk size, any thread
//! count and any order of combination — the idea of reproducible summation (Demmel &
//! Nguyen, "Fast reproducible floating-point summation", ARITH 2013; ReproBLAS), here in
//! its simplest form because every term has a known bound.
//!
//! A term bounded by `B` is scaled by the power of two `2^(61 − ⌈log₂ B⌉)`, so it fits in
//! an `i64` with two bits to spare; 2^66 terms of that size still fit in the `i128` sum.
//! The rounding is truncation of one term at a time, at 2⁻⁶¹ of the bound — far below
//! the `f64` rounding of a sequential sum.

use std::simd::Select;
use std::simd::cmp::SimdPartialOrd;

/// A power-of-two scale for terms of magnitude at most a known bound.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FixedScale {
    scale: f64,
    inv: f64,
}

/// Bits of a term's fixed-point value under [`FixedScale::for_bound`].
const WIDE_BITS: i32 = 61;
/// Bits of a term's fixed-point value under [`FixedScale::narrow`].
const NARROW_BITS: i32 = 45;

/// `2^e` for `e` in the normal range of `f64`.
fn pow2(e: i32) -> f64 {
    let e = e.clamp(-1022, 1023);
    f64::from_bits(((e + 1023) as u64) << 52)
}

impl FixedScale {
    /// A scale for terms with `|term| <= bound`. The exponent is read from the bits of
    /// `bound`, so the scale is the same on every target.
    pub fn for_bound(bound: f64) -> Self {
        let e = if bound.is_finite() && bound > 0.0 {
            // bound < 2^e for the biased exponent; subnormals take the smallest e.
            ((bound.to_bits() >> 52) & 0x7ff) as i32 - 1022
        } else {
            0
        };
        let shift = (WIDE_BITS - e).clamp(-1000, 1000);
        Self {
            scale: pow2(shift),
            inv: pow2(-shift),
        }
    }

    /// The term as a fixed-point integer (truncated toward zero). `|term|` must not
    /// exceed the bound the scale was made for (callers derive bounds from the data's
    /// largest magnitude), and must not be NaN.
    #[inline(always)]
    pub fn fix(&self, term: f64) -> i64 {
        let v = term * self.scale;
        debug_assert!(
            v.abs() < 9.2e18,
            "term {term} exceeds the fixed-point bound"
        );
        if v.abs() < 9.2e18 {
            // SAFETY: finite and within i64 range, checked just above; the branch is
            // always taken for in-bound terms and lets the compiler drop the saturation.
            unsafe { v.to_int_unchecked::<i64>() }
        } else {
            v as i64
        }
    }

    /// The term as a fixed-point integer held in an `f64` (rounded to nearest, by the
    /// `1.5·2⁵²` trick, which needs no conversion instruction and vectorises). Only for
    /// scales made by [`FixedScale::narrow`], whose terms stay below 2⁴⁵: up to 2⁸ of them
    /// add up exactly in an `f64` before they are moved into an integer sum.
    #[inline(always)]
    pub fn round_f64(&self, term: f64) -> f64 {
        const MAGIC: f64 = 6_755_399_441_055_744.0;
        (term * self.scale + MAGIC) - MAGIC
    }

    /// A scale for terms `|term| <= bound` whose fixed-point values stay below 2⁴⁵, for
    /// [`FixedScale::round_f64`].
    pub fn narrow(bound: f64) -> Self {
        let wide = Self::for_bound(bound);
        Self {
            scale: wide.scale * pow2(NARROW_BITS - WIDE_BITS),
            inv: wide.inv * pow2(WIDE_BITS - NARROW_BITS),
        }
    }

    /// A fixed-point sum back as `f64` (correctly rounded).
    #[inline]
    pub fn value(&self, sum: i128) -> f64 {
        sum as f64 * self.inv
    }
}

/// `Σ fix(term)` over blocks of eight non-negative terms, the same integer as adding
/// [`FixedScale::fix`] one term at a time, in vector arithmetic: a fixed-point value
/// `0 ≤ v < 2⁶³` splits exactly into `h·2³² + l` with `h = ⌊v·2⁻³²⌋` and `0 ≤ l < 2³²`
/// (`v − h·2³²` is a multiple of `ulp(v)` below 2³², so it is representable), and
/// `trunc(v) = h·2³² + ⌊l⌋`. Both parts are integers below 2³² that add exactly in `f64`
/// lanes for 2²¹ blocks; the lanes move into an `i128` well before that.
#[derive(Debug, Clone, Copy)]
pub struct BlockFixSum {
    scale: f64,
    hi: std::simd::Simd<f64, 8>,
    lo: std::simd::Simd<f64, 8>,
    pending: u32,
    total: i128,
}

impl BlockFixSum {
    /// Blocks added to the lanes before they move into the total.
    const FLUSH_EVERY: u32 = 1 << 16;

    /// An empty sum at `scale`.
    pub fn new(scale: &FixedScale) -> Self {
        Self {
            scale: scale.scale,
            hi: std::simd::Simd::splat(0.0),
            lo: std::simd::Simd::splat(0.0),
            pending: 0,
            total: 0,
        }
    }

    /// Adds eight non-negative terms within the scale's bound.
    #[inline(always)]
    pub fn add(&mut self, terms: &[f64]) {
        type G = std::simd::Simd<f64, 8>;
        const TWO32: f64 = 4_294_967_296.0;
        // ⌊x⌋ for 0 ≤ x < 2⁵¹ by adds and a select (no rounding instruction before SSE4.1):
        // the nearest integer by the 1.5·2⁵² trick, less one where that rounded up.
        let floor = |x: G| {
            const MAGIC: f64 = 6_755_399_441_055_744.0;
            let r = (x + G::splat(MAGIC)) - G::splat(MAGIC);
            r.simd_gt(x).select(r - G::splat(1.0), r)
        };
        let v = G::from_slice(&terms[..8]) * G::splat(self.scale);
        let h = floor(v * G::splat(1.0 / TWO32));
        let l = floor(v - h * G::splat(TWO32));
        self.hi += h;
        self.lo += l;
        self.pending += 1;
        if self.pending == Self::FLUSH_EVERY {
            self.flush();
        }
    }

    fn flush(&mut self) {
        let (hi, lo) = (self.hi.to_array(), self.lo.to_array());
        for (h, l) in hi.into_iter().zip(lo) {
            self.total += ((h as i128) << 32) + l as i128;
        }
        self.hi = std::simd::Simd::splat(0.0);
        self.lo = std::simd::Simd::splat(0.0);
        self.pending = 0;
    }

    /// The integer sum of every term added.
    pub fn total(mut self) -> i128 {
        self.flush();
        self.total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The vector sum equals the scalar one term by term, up to terms at the bound and
    /// values whose fixed-point form exceeds 2⁵³ (where `f64` spacing exceeds 1).
    #[test]
    fn block_sums_equal_term_by_term_sums() {
        for bound in [1e-3, 1.0, 7.5, 3.3e12] {
            let s = FixedScale::for_bound(bound);
            let terms: Vec<f64> = (0..8 * 1000)
                .map(|i| bound * ((i as f64 * 0.618_033_988_75).fract()))
                .chain([
                    bound,
                    0.0,
                    bound * 0.5,
                    f64::MIN_POSITIVE,
                    1e-300,
                    bound,
                    0.0,
                    0.0,
                ])
                .collect();
            let mut b = BlockFixSum::new(&s);
            for t in terms.chunks(8) {
                b.add(t);
            }
            let scalar: i128 = terms.iter().map(|&t| s.fix(t) as i128).sum();
            assert_eq!(b.total(), scalar, "bound {bound}");
        }
    }

    #[test]
    fn sums_do_not_depend_on_order_and_are_accurate() {
        let terms: Vec<f64> = (0..10_000)
            .map(|i| ((i * 7919) % 1000) as f64 * 0.001 - 0.5)
            .collect();
        let s = FixedScale::for_bound(0.5);
        let fwd: i128 = terms.iter().map(|&t| s.fix(t) as i128).sum();
        let rev: i128 = terms.iter().rev().map(|&t| s.fix(t) as i128).sum();
        assert_eq!(fwd, rev);
        let exact: f64 = terms.iter().sum();
        assert!(
            (s.value(fwd) - exact).abs() < 1e-9,
            "{} vs {exact}",
            s.value(fwd)
        );
    }

    #[test]
    fn terms_at_the_bound_fit() {
        for b in [1e-30, 0.75, 1.0, 3.0, 1e300] {
            let s = FixedScale::for_bound(b);
            let q = s.fix(b);
            assert!(q > 0 && q < i64::MAX / 2, "{b}: {q}");
            assert!((s.value(q as i128) - b).abs() <= b * 1e-15);
            assert_eq!(s.fix(-b), -q);
        }
        let z = FixedScale::for_bound(0.0);
        assert_eq!(z.fix(0.0), 0);
    }

    #[test]
    fn narrow_terms_add_exactly_in_f64() {
        let s = FixedScale::narrow(10.0);
        let q = s.round_f64(10.0);
        assert!(q < (1u64 << 45) as f64 && q > (1u64 << 43) as f64);
        assert_eq!(q.fract(), 0.0);
        assert_eq!(s.round_f64(-10.0), -q);
        let terms: Vec<f64> = (0..256)
            .map(|i| s.round_f64(10.0 - i as f64 * 0.0731))
            .collect();
        let fwd: f64 = terms.iter().sum();
        let rev: f64 = terms.iter().rev().sum();
        assert_eq!(fwd, rev);
        assert_eq!(fwd as i128, terms.iter().map(|&t| t as i128).sum::<i128>());
    }
}
