//! Numbers for people, as the page shows them: thousands separators, bytes, milliseconds,
//! scores.
//!
//! Plain functions of their arguments, kept in the core so the exact text the page shows
//! (and the browser tests read) is tested natively.

/// `1234567` → `"1,234,567"`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Bytes in the largest unit that keeps the number ≥ 1 (binary units).
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = n as f64;
    let mut unit = 0;
    while v >= 1024.0 && unit + 1 < UNITS.len() {
        v /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[unit])
    }
}

/// Milliseconds with sensible precision.
pub fn ms(v: f64) -> String {
    if v < 10.0 {
        format!("{v:.1} ms")
    } else if v < 10_000.0 {
        format!("{v:.0} ms")
    } else {
        format!("{:.1} s", v / 1000.0)
    }
}

/// A score with four significant digits, or "—" when absent.
pub fn score(v: Option<f64>) -> String {
    match v {
        Some(v) if v.is_finite() => {
            if v != 0.0 && (v.abs() >= 1e5 || v.abs() < 1e-3) {
                format!("{v:.4e}")
            } else {
                format!("{v:.4}")
            }
        }
        _ => "—".into(),
    }
}

/// `v` rounded to one decimal, for machine-readable timings that should not carry the
/// clock's noise digits.
pub fn tenths(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped_by_three() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(u64::MAX), "18,446,744,073,709,551,615");
    }

    #[test]
    fn bytes_take_the_largest_unit_at_least_one() {
        assert_eq!(bytes(0), "0 B");
        assert_eq!(bytes(1023), "1023 B");
        assert_eq!(bytes(1024), "1.0 KiB");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(bytes(1 << 30), "1.0 GiB");
        assert_eq!(bytes(4 << 30), "4.0 GiB");
        // Beyond the last unit the number grows instead.
        assert_eq!(bytes(1 << 60), "1048576.0 TiB");
    }

    #[test]
    fn milliseconds_switch_precision_then_unit() {
        assert_eq!(ms(0.0), "0.0 ms");
        assert_eq!(ms(9.94), "9.9 ms");
        assert_eq!(ms(10.0), "10 ms");
        assert_eq!(ms(9_999.0), "9999 ms");
        assert_eq!(ms(10_000.0), "10.0 s");
        assert_eq!(ms(83_240.0), "83.2 s");
    }

    #[test]
    fn scores_are_fixed_or_scientific_and_absent_ones_a_dash() {
        assert_eq!(score(Some(0.0)), "0.0000");
        assert_eq!(score(Some(0.5)), "0.5000");
        assert_eq!(score(Some(-12.34567)), "-12.3457");
        assert_eq!(score(Some(123_456.0)), "1.2346e5");
        assert_eq!(score(Some(0.000_25)), "2.5000e-4");
        assert_eq!(score(None), "—");
        assert_eq!(score(Some(f64::NAN)), "—");
        assert_eq!(score(Some(f64::INFINITY)), "—");
    }

    #[test]
    fn tenths_round_half_away_from_zero() {
        assert_eq!(tenths(1.25), 1.3);
        assert_eq!(tenths(1.24), 1.2);
        assert_eq!(tenths(-0.06), -0.1);
        assert_eq!(tenths(7.0), 7.0);
    }
}
