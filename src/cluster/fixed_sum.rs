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

#[cfg(test)]
mod tests {
    use super::*;

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
