//! CSV records and fields (RFC 4180 plus what real files do): records end at `\n` outside
//! double quotes, a trailing `\r` is dropped (CRLF), fields are split at the delimiter
//! outside quotes, surrounding spaces are trimmed, `""` inside a quoted field is one
//! quote, and with the space delimiter runs of spaces separate one field (as
//! `numpy.loadtxt` reads whitespace-separated text).
//!
//! A record's quote state starts even: the parallel parser splits the file only where the
//! count of quotes since the start is even, so every chunking sees the same records.

use std::borrow::Cow;

/// The UTF-8 byte-order mark, skipped at the start of a file.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One record: its bytes (without the line end) and the 1-based line it starts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record<'a> {
    /// The record's bytes, without `\n` or a trailing `\r`.
    pub bytes: &'a [u8],
    /// 1-based line of the file where it starts.
    pub line: u64,
}

impl Record<'_> {
    /// Whether the record holds only spaces and tabs (a blank line, skipped).
    pub fn is_blank(&self) -> bool {
        self.bytes.iter().all(|&b| b == b' ' || b == b'\t')
    }

    /// Whether the record is a comment: its first byte other than a space or tab is `#`
    /// (as `numpy.savetxt` writes its header and pandas reads with `comment='#'`; only
    /// whole lines, so a `#` inside a field stays text).
    pub fn is_comment(&self) -> bool {
        self.bytes
            .iter()
            .find(|&&b| b != b' ' && b != b'\t')
            .is_some_and(|&b| b == b'#')
    }

    /// Whether the record holds no data: blank or a comment.
    pub fn is_skipped(&self) -> bool {
        self.is_blank() || self.is_comment()
    }
}

/// Iterates the records of `bytes`, numbering lines from `first_line`.
#[derive(Debug, Clone)]
pub struct Records<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: u64,
}

impl<'a> Records<'a> {
    /// Records of `bytes`, whose first byte is on line `first_line`.
    pub fn new(bytes: &'a [u8], first_line: u64) -> Self {
        Self {
            bytes,
            pos: 0,
            line: first_line,
        }
    }

    /// Byte offset of the next record.
    pub fn offset(&self) -> usize {
        self.pos
    }
}

impl<'a> Iterator for Records<'a> {
    type Item = Record<'a>;

    fn next(&mut self) -> Option<Record<'a>> {
        let b = self.bytes;
        if self.pos >= b.len() {
            return None;
        }
        let (start, line) = (self.pos, self.line);
        let mut quoted = false;
        let mut i = start;
        // Jump from quote to line end with a SIMD search instead of testing every byte;
        // with neither left, the record runs to the end.
        loop {
            let Some(off) = memchr::memchr2(b'"', b'\n', &b[i..]) else {
                i = b.len();
                break;
            };
            i += off;
            if b[i] == b'"' {
                quoted = !quoted;
            } else {
                self.line += 1;
                if !quoted {
                    break;
                }
            }
            i += 1;
        }
        self.pos = (i + 1).min(b.len());
        let mut end = i;
        if end > start && b[end - 1] == b'\r' {
            end -= 1;
        }
        Some(Record {
            bytes: &b[start..end],
            line,
        })
    }
}

/// One field of a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field<'a> {
    /// The field's bytes, trimmed; for a quoted field, between the quotes (still escaped).
    pub raw: &'a [u8],
    /// Whether it was quoted (so `""` inside means `"`).
    pub quoted: bool,
}

impl<'a> Field<'a> {
    /// The field's text, unescaped; invalid UTF-8 is replaced, never an error.
    pub fn text(&self) -> Cow<'a, str> {
        let s = String::from_utf8_lossy(self.raw);
        if self.quoted && s.contains("\"\"") {
            Cow::Owned(s.replace("\"\"", "\""))
        } else {
            s
        }
    }

    /// The field as a number (see [`parse_number`]).
    pub fn number(&self) -> Number {
        parse_number(self.raw)
    }
}

fn is_pad(b: u8, delimiter: u8) -> bool {
    (b == b' ' || b == b'\t') && b != delimiter
}

/// Splits a record into fields at `delimiter`, appending to `out` (cleared first).
pub fn split_fields<'a>(record: &'a [u8], delimiter: u8, out: &mut Vec<Field<'a>>) {
    out.clear();
    let n = record.len();
    let collapse = delimiter == b' ';
    // With the space delimiter any run of spaces and tabs separates.
    let at_delim = |b: u8| b == delimiter || (collapse && b == b'\t');
    let mut i = 0;
    if collapse {
        while i < n && (record[i] == b' ' || record[i] == b'\t') {
            i += 1;
        }
        if i == n {
            return;
        }
    }
    loop {
        while i < n && is_pad(record[i], delimiter) {
            i += 1;
        }
        let field;
        if i < n && record[i] == b'"' {
            let start = i + 1;
            let mut j = start;
            let mut close = n;
            while j < n {
                if record[j] == b'"' {
                    if j + 1 < n && record[j + 1] == b'"' {
                        j += 2;
                        continue;
                    }
                    close = j;
                    break;
                }
                j += 1;
            }
            field = Field {
                raw: &record[start..close],
                quoted: true,
            };
            // Anything between the closing quote and the delimiter is ignored, as
            // Python's csv module keeps it but no number can be made of it anyway.
            i = close.saturating_add(1).min(n);
            while i < n && !at_delim(record[i]) {
                i += 1;
            }
        } else {
            let start = i;
            while i < n && !at_delim(record[i]) {
                i += 1;
            }
            let mut end = i;
            while end > start && is_pad(record[end - 1], delimiter) {
                end -= 1;
            }
            field = Field {
                raw: &record[start..end],
                quoted: false,
            };
        }
        out.push(field);
        if i >= n {
            return;
        }
        // At a delimiter.
        i += 1;
        if collapse {
            while i < n && (record[i] == b' ' || record[i] == b'\t') {
                i += 1;
            }
            if i == n {
                return;
            }
        }
    }
}

/// Splits a record holding no quote into fields at `delimiter` (not the space delimiter),
/// trimmed as [`split_fields`] trims them; appends to `out` (cleared first).
pub fn split_unquoted<'a>(record: &'a [u8], delimiter: u8, out: &mut Vec<Field<'a>>) {
    out.clear();
    let mut start = 0;
    for (i, &b) in record.iter().enumerate() {
        if b == delimiter {
            out.push(trimmed(&record[start..i], delimiter));
            start = i + 1;
        }
    }
    out.push(trimmed(&record[start..], delimiter));
}

fn trimmed(mut field: &[u8], delimiter: u8) -> Field<'_> {
    while let [first, rest @ ..] = field
        && is_pad(*first, delimiter)
    {
        field = rest;
    }
    while let [rest @ .., last] = field
        && is_pad(*last, delimiter)
    {
        field = rest;
    }
    Field {
        raw: field,
        quoted: false,
    }
}

/// A field read as a number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    /// A finite `f32`.
    Value(f32),
    /// Nothing there.
    Empty,
    /// Text that is not a number.
    NotANumber,
    /// NaN, an infinity, or beyond `f32`'s range.
    NotFinite,
}

/// Reads a decimal number (Rust's `f64` grammar: `1`, `-2.5`, `.5`, `1e-3`, `+4`), rounded
/// to `f32`. NaN, infinities and values that overflow `f32` are [`Number::NotFinite`].
pub fn parse_number(raw: &[u8]) -> Number {
    if raw.is_empty() {
        return Number::Empty;
    }
    if let Some(v) = plain_decimal(raw) {
        // At most 15 digits: never beyond f32's range.
        return Number::Value(v as f32);
    }
    let Ok(s) = std::str::from_utf8(raw) else {
        return Number::NotANumber;
    };
    match s.parse::<f64>() {
        Ok(v) => {
            let f = v as f32;
            if f.is_finite() {
                Number::Value(f)
            } else {
                Number::NotFinite
            }
        }
        Err(_) => Number::NotANumber,
    }
}

/// Exact powers of ten up to 10^15 (every one is an `f64` without rounding).
const POW10: [f64; 16] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];

/// The value of `[+-]digits[.digits]` with at most 15 digits in all — what most files
/// hold — in one step: the digits form an integer below 2^53 and 10^fraction is exact, so
/// one IEEE division gives the correctly rounded value (Clinger 1990, the fast path of
/// every correct decimal reader, std's included), the same bits `str::parse::<f64>` gives.
/// Anything else is `None`, for std's reader.
fn plain_decimal(raw: &[u8]) -> Option<f64> {
    let (negative, digits) = match raw.first()? {
        b'-' => (true, &raw[1..]),
        b'+' => (false, &raw[1..]),
        _ => (false, raw),
    };
    if digits.len() > 16 {
        return None;
    }
    let (mut mantissa, mut count, mut fraction) = (0u64, 0usize, None::<usize>);
    for &b in digits {
        match b {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + u64::from(b - b'0');
                count += 1;
                if let Some(f) = fraction.as_mut() {
                    *f += 1;
                }
            }
            b'.' if fraction.is_none() => fraction = Some(0),
            _ => return None,
        }
    }
    if count == 0 || count > 15 {
        return None;
    }
    let v = mantissa as f64 / POW10[fraction.unwrap_or(0)];
    Some(if negative { -v } else { v })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// The one-division path reads every short decimal exactly as std's reader does
        /// (fails if the division is replaced by a multiplication by 0.1^fraction).
        #[test]
        fn short_decimals_read_as_std_reads_them(raw in "[+-]?[0-9]{0,9}[.]?[0-9]{0,9}") {
            let std = raw.parse::<f64>().ok();
            if let Some(v) = plain_decimal(raw.as_bytes()) {
                prop_assert_eq!(Some(v.to_bits()), std.map(f64::to_bits), "{}", raw);
            }
        }
    }

    fn fields(rec: &str, d: u8) -> Vec<String> {
        let mut out = Vec::new();
        split_fields(rec.as_bytes(), d, &mut out);
        out.iter().map(|f| f.text().into_owned()).collect()
    }

    #[test]
    fn records_handle_crlf_quotes_and_line_numbers() {
        let text = b"a,b\r\n\"x\ny\",2\n\n3,4";
        let r: Vec<_> = Records::new(text, 1).collect();
        assert_eq!(r.len(), 4);
        assert_eq!(r[0].bytes, b"a,b");
        assert_eq!(r[1].bytes, b"\"x\ny\",2");
        assert_eq!((r[1].line, r[2].line, r[3].line), (2, 4, 5));
        assert!(r[2].is_blank());
        assert_eq!(r[3].bytes, b"3,4");
        let comment = Record {
            bytes: b"  # x,y",
            line: 1,
        };
        assert!(comment.is_comment() && comment.is_skipped() && !comment.is_blank());
        assert!(
            !Record {
                bytes: b"1,#2",
                line: 1
            }
            .is_skipped()
        );
    }

    proptest! {
        /// Without quotes, the quick split gives what the general one gives.
        #[test]
        fn the_quick_split_is_the_general_one(rec in "[0-9a ,;\t.-]{0,30}", d in proptest::sample::select(vec![b',', b';', b'\t'])) {
            let (mut a, mut b) = (Vec::new(), Vec::new());
            split_fields(rec.as_bytes(), d, &mut a);
            split_unquoted(rec.as_bytes(), d, &mut b);
            prop_assert_eq!(a, b);
        }
    }

    #[test]
    fn fields_are_trimmed_unquoted_and_split() {
        assert_eq!(fields(" 1 , 2,3", b','), ["1", "2", "3"]);
        assert_eq!(fields("\"a,\"\"b\"\"\",2", b','), ["a,\"b\"", "2"]);
        assert_eq!(fields("1,2,", b','), ["1", "2", ""]);
        assert_eq!(fields("  1   2\t3  ", b' '), ["1", "2", "3"]);
        assert_eq!(fields("1\t\t3", b'\t'), ["1", "", "3"]);
        assert_eq!(fields("", b','), [""]);
        assert!(fields("   ", b' ').is_empty());
    }

    #[test]
    fn numbers_reject_text_and_non_finite_values() {
        assert_eq!(parse_number(b"1.5"), Number::Value(1.5));
        assert_eq!(parse_number(b"-2e3"), Number::Value(-2000.0));
        assert_eq!(parse_number(b""), Number::Empty);
        assert_eq!(parse_number(b"abc"), Number::NotANumber);
        assert_eq!(parse_number(b"NaN"), Number::NotFinite);
        assert_eq!(parse_number(b"-inf"), Number::NotFinite);
        assert_eq!(parse_number(b"1e39"), Number::NotFinite);
        assert_eq!(parse_number(b"\xff"), Number::NotANumber);
    }
}
