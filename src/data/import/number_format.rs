//! How a file writes its numbers: the decimal mark and the thousands separator, as
//! pandas' `read_csv(decimal=…, thousands=…)` takes them. Spreadsheets in most of Europe
//! write `1.234,5` (and then separate fields with `;`), Excel in English `"1,234.5"`,
//! Swiss files `1'234.5`, French ones `1 234,5` (often with a no-break space).
//!
//! Unlike pandas, a thousands separator is only read where it groups digits in threes
//! (`1,234` and `12,345,678`, not `1,5`): that is what lets the sniffer tell a decimal
//! comma from a thousands comma, and keeps `1,5` from silently becoming fifteen.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::csv_records::{Number, parse_number};
use super::options::Delimiter;

/// The decimal mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum DecimalMark {
    /// `1.5`
    #[default]
    Point,
    /// `1,5`
    Comma,
}

/// The thousands separator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Thousands {
    /// None: `1234.5`.
    #[default]
    None,
    /// `1,234.5`
    Comma,
    /// `1.234,5`
    Point,
    /// `1 234,5`, with a space, a no-break space or a narrow no-break space.
    Space,
    /// `1'234.5`
    Apostrophe,
}

impl DecimalMark {
    /// Both marks.
    pub const ALL: [DecimalMark; 2] = [DecimalMark::Point, DecimalMark::Comma];

    /// The mark's byte.
    pub fn byte(self) -> u8 {
        match self {
            DecimalMark::Point => b'.',
            DecimalMark::Comma => b',',
        }
    }

    /// A short name (the page's select, the CLI's `--decimal`).
    pub fn name(self) -> &'static str {
        match self {
            DecimalMark::Point => "point",
            DecimalMark::Comma => "comma",
        }
    }

    /// The mark called `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.name() == name)
    }
}

impl Thousands {
    /// Every separator.
    pub const ALL: [Thousands; 5] = [
        Thousands::None,
        Thousands::Comma,
        Thousands::Point,
        Thousands::Space,
        Thousands::Apostrophe,
    ];

    /// A short name (the page's select, the CLI's `--thousands`).
    pub fn name(self) -> &'static str {
        match self {
            Thousands::None => "none",
            Thousands::Comma => "comma",
            Thousands::Point => "point",
            Thousands::Space => "space",
            Thousands::Apostrophe => "apostrophe",
        }
    }

    /// The separator called `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.name() == name)
    }

    /// The separator's ASCII byte (a plain space for [`Thousands::Space`]), if any.
    pub fn byte(self) -> Option<u8> {
        match self {
            Thousands::None => None,
            Thousands::Comma => Some(b','),
            Thousands::Point => Some(b'.'),
            Thousands::Space => Some(b' '),
            Thousands::Apostrophe => Some(b'\''),
        }
    }

    /// The length of the separator starting at `s[i..]`, if one starts there.
    fn at(self, s: &[u8], i: usize) -> Option<usize> {
        let b = *s.get(i)?;
        match self {
            Thousands::None => None,
            Thousands::Comma => (b == b',').then_some(1),
            Thousands::Point => (b == b'.').then_some(1),
            Thousands::Apostrophe => (b == b'\'').then_some(1),
            Thousands::Space => {
                if b == b' ' || b == 0xA0 {
                    // A space, or a no-break space as Latin-1 writes it.
                    Some(1)
                } else if s[i..].starts_with("\u{a0}".as_bytes()) {
                    Some(2)
                } else if s[i..].starts_with("\u{202f}".as_bytes()) {
                    Some(3)
                } else {
                    None
                }
            }
        }
    }
}

impl fmt::Display for DecimalMark {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Display for Thousands {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A decimal mark with a thousands separator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub struct NumberFormat {
    /// The decimal mark.
    pub decimal: DecimalMark,
    /// The thousands separator.
    pub thousands: Thousands,
}

impl NumberFormat {
    /// `1234.5`: what most software writes.
    pub const PLAIN: NumberFormat = NumberFormat {
        decimal: DecimalMark::Point,
        thousands: Thousands::None,
    };

    /// The formats the sniffer tries, in the order it prefers them on a tie.
    pub const CANDIDATES: [NumberFormat; 7] = [
        NumberFormat::PLAIN,
        NumberFormat {
            decimal: DecimalMark::Comma,
            thousands: Thousands::None,
        },
        NumberFormat {
            decimal: DecimalMark::Point,
            thousands: Thousands::Comma,
        },
        NumberFormat {
            decimal: DecimalMark::Comma,
            thousands: Thousands::Point,
        },
        NumberFormat {
            decimal: DecimalMark::Comma,
            thousands: Thousands::Space,
        },
        NumberFormat {
            decimal: DecimalMark::Point,
            thousands: Thousands::Space,
        },
        NumberFormat {
            decimal: DecimalMark::Point,
            thousands: Thousands::Apostrophe,
        },
    ];

    /// Whether the mark and the separator can be told apart from each other and from the
    /// field separator `delimiter` (a comma mark in a comma-separated file is readable only
    /// inside quotes, which real files do: Excel quotes `"1,5"`).
    pub fn is_consistent(&self) -> bool {
        !matches!(
            (self.decimal, self.thousands),
            (DecimalMark::Point, Thousands::Point) | (DecimalMark::Comma, Thousands::Comma)
        )
    }

    /// Whether a field separated by `delimiter` may use this format unquoted.
    pub fn fits(&self, delimiter: Delimiter) -> bool {
        let d = delimiter.byte();
        self.decimal.byte() != d && self.thousands.byte() != Some(d)
    }

    /// Reads a field (already trimmed and unquoted) as a number.
    pub fn parse(&self, raw: &[u8]) -> Number {
        if *self == NumberFormat::PLAIN {
            return parse_number(raw);
        }
        if raw.is_empty() {
            return Number::Empty;
        }
        match self.normalise(raw) {
            Some(text) => match text.parse::<f64>() {
                Ok(v) if (v as f32).is_finite() => Number::Value(v as f32),
                Ok(_) => Number::NotFinite,
                Err(_) => Number::NotANumber,
            },
            // Words such as NaN or inf are classified as the plain reader does.
            None if raw.iter().any(u8::is_ascii_alphabetic) => match parse_number(raw) {
                Number::NotFinite => Number::NotFinite,
                _ => Number::NotANumber,
            },
            None => Number::NotANumber,
        }
    }

    /// The field rewritten in Rust's number grammar (`-1234.5e3`), or `None` when it is not
    /// a number in this format: an optional sign, digits (grouped in threes by the
    /// separator, or not grouped at all), an optional decimal mark with digits, an optional
    /// exponent.
    fn normalise(&self, s: &[u8]) -> Option<String> {
        let mut out = String::with_capacity(s.len());
        let mut i = 0;
        if matches!(s.first(), Some(b'+' | b'-')) {
            out.push(s[0] as char);
            i = 1;
        }
        // The integer part: digits, with separators only between groups of three.
        let mut group = 0usize;
        let mut groups = 0usize;
        let mut digits = 0usize;
        while i < s.len() {
            let b = s[i];
            if b.is_ascii_digit() {
                out.push(b as char);
                group += 1;
                digits += 1;
                i += 1;
            } else if let Some(len) = self.thousands.at(s, i) {
                let first_ok = groups == 0 && (1..=3).contains(&group);
                let next_ok = groups > 0 && group == 3;
                if !(first_ok || next_ok) {
                    return None;
                }
                groups += 1;
                group = 0;
                i += len;
            } else {
                break;
            }
        }
        if groups > 0 && group != 3 {
            return None;
        }
        // The fraction.
        let mut fraction = 0usize;
        if i < s.len() && s[i] == self.decimal.byte() {
            out.push('.');
            i += 1;
            while i < s.len() && s[i].is_ascii_digit() {
                out.push(s[i] as char);
                fraction += 1;
                i += 1;
            }
        }
        if digits + fraction == 0 {
            return None;
        }
        // The exponent.
        if i < s.len() && (s[i] == b'e' || s[i] == b'E') {
            out.push('e');
            i += 1;
            if i < s.len() && (s[i] == b'+' || s[i] == b'-') {
                out.push(s[i] as char);
                i += 1;
            }
            let start = i;
            while i < s.len() && s[i].is_ascii_digit() {
                out.push(s[i] as char);
                i += 1;
            }
            if i == start {
                return None;
            }
        }
        (i == s.len()).then_some(out)
    }
}

impl fmt::Display for NumberFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "decimal {}, thousands {}", self.decimal, self.thousands)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn f(decimal: DecimalMark, thousands: Thousands) -> NumberFormat {
        NumberFormat { decimal, thousands }
    }

    #[test]
    fn european_english_swiss_and_french_numbers() {
        use DecimalMark as D;
        use Thousands as T;
        let v = |fmt: NumberFormat, s: &str| fmt.parse(s.as_bytes());
        assert_eq!(v(f(D::Comma, T::None), "1,5"), Number::Value(1.5));
        assert_eq!(v(f(D::Comma, T::None), "-0,25"), Number::Value(-0.25));
        assert_eq!(v(f(D::Comma, T::Point), "1.234,5"), Number::Value(1234.5));
        assert_eq!(
            v(f(D::Comma, T::Point), "12.345.678"),
            Number::Value(12_345_678.0)
        );
        assert_eq!(v(f(D::Point, T::Comma), "1,234.5"), Number::Value(1234.5));
        assert_eq!(v(f(D::Point, T::Comma), "1234.5"), Number::Value(1234.5));
        assert_eq!(
            v(f(D::Point, T::Apostrophe), "1'234.5"),
            Number::Value(1234.5)
        );
        assert_eq!(v(f(D::Comma, T::Space), "1 234,5"), Number::Value(1234.5));
        assert_eq!(
            v(f(D::Comma, T::Space), "1\u{a0}234,5"),
            Number::Value(1234.5)
        );
        assert_eq!(
            v(f(D::Comma, T::Space), "1\u{202f}234,5"),
            Number::Value(1234.5)
        );
        assert_eq!(
            f(D::Comma, T::Space).parse(b"1\xa0234,5"),
            Number::Value(1234.5)
        );
        assert_eq!(v(f(D::Comma, T::None), "1,5e3"), Number::Value(1500.0));
        assert_eq!(v(f(D::Comma, T::None), ",5"), Number::Value(0.5));
    }

    #[test]
    fn separators_that_do_not_group_in_threes_are_not_numbers() {
        use DecimalMark as D;
        use Thousands as T;
        let v = |fmt: NumberFormat, s: &str| fmt.parse(s.as_bytes());
        // `1,5` is not fifteen.
        assert_eq!(v(f(D::Point, T::Comma), "1,5"), Number::NotANumber);
        assert_eq!(v(f(D::Point, T::Comma), "1234,567"), Number::NotANumber);
        assert_eq!(v(f(D::Point, T::Comma), "1,2345"), Number::NotANumber);
        assert_eq!(v(f(D::Point, T::Comma), ",234"), Number::NotANumber);
        // A point in a decimal-comma file is no decimal mark.
        assert_eq!(v(f(D::Comma, T::None), "1.5"), Number::NotANumber);
        assert_eq!(v(f(D::Comma, T::None), "NaN"), Number::NotFinite);
        assert_eq!(v(f(D::Comma, T::None), "abc"), Number::NotANumber);
        assert_eq!(v(f(D::Comma, T::None), ""), Number::Empty);
        assert_eq!(v(f(D::Comma, T::None), "1,5e"), Number::NotANumber);
        assert_eq!(v(f(D::Comma, T::None), "-"), Number::NotANumber);
        assert_eq!(v(f(D::Comma, T::None), "1e39"), Number::NotFinite);
    }

    #[test]
    fn formats_say_whether_they_fit_a_delimiter() {
        assert!(NumberFormat::PLAIN.fits(Delimiter::Comma));
        let comma = f(DecimalMark::Comma, Thousands::None);
        assert!(!comma.fits(Delimiter::Comma) && comma.fits(Delimiter::Semicolon));
        assert!(!f(DecimalMark::Comma, Thousands::Comma).is_consistent());
        assert!(
            NumberFormat::CANDIDATES
                .iter()
                .all(NumberFormat::is_consistent)
        );
        assert_eq!(
            Thousands::from_name("apostrophe"),
            Some(Thousands::Apostrophe)
        );
        assert_eq!(DecimalMark::from_name("comma"), Some(DecimalMark::Comma));
    }

    proptest! {
        /// The plain format reads every field exactly as the plain reader does.
        #[test]
        fn the_plain_format_is_the_plain_reader(raw in proptest::collection::vec(any::<u8>(), 0..24)) {
            prop_assert_eq!(NumberFormat::PLAIN.parse(&raw), parse_number(&raw));
        }

        /// A number written in any candidate format reads back as the plain reader reads
        /// its plain form.
        #[test]
        fn every_format_reads_what_it_writes(v in -1e9..1e9f64, which in 0..7usize) {
            let fmt = NumberFormat::CANDIDATES[which];
            let plain = format!("{v:.3}");
            let (int, frac) = plain.split_once('.').unwrap();
            let (sign, int) = int.strip_prefix('-').map_or(("", int), |i| ("-", i));
            let sep = match fmt.thousands {
                Thousands::None => "",
                Thousands::Comma => ",",
                Thousands::Point => ".",
                Thousands::Space => " ",
                Thousands::Apostrophe => "'",
            };
            let mut grouped = String::new();
            for (n, c) in int.chars().enumerate() {
                if n > 0 && (int.len() - n) % 3 == 0 {
                    grouped.push_str(sep);
                }
                grouped.push(c);
            }
            let written = format!("{sign}{grouped}{}{frac}", fmt.decimal.byte() as char);
            prop_assert_eq!(fmt.parse(written.as_bytes()), parse_number(plain.as_bytes()), "{}", written);
        }

        /// Arbitrary bytes never panic, in any format.
        #[test]
        fn arbitrary_bytes_never_panic(raw in proptest::collection::vec(any::<u8>(), 0..32), which in 0..7usize) {
            let _ = NumberFormat::CANDIDATES[which].parse(&raw);
        }
    }
}
