//! Guessing how a CSV file is laid out from its first bytes, as Python's `csv.Sniffer`
//! does: the delimiter that splits the sample into the most consistent number of fields
//! (ties broken by how many fields read as numbers, then by comma, semicolon, tab, space),
//! and a header when the first row has text where the rows below have numbers.

use super::csv_records::{BOM, Field, Number, Records, split_fields};
use super::number_format::NumberFormat;
use super::options::{Delimiter, ImportOptions};
use super::text::Encoding;

/// Records read to guess the delimiter and header.
pub const SNIFF_RECORDS: usize = 50;

/// The sampled records, already split.
#[derive(Debug, Clone)]
pub struct Sample {
    /// Fields of each non-blank, non-comment record, as text.
    pub rows: Vec<Vec<String>>,
    /// Fields of each record as in the file (trimmed, between any quotes).
    pub raw: Vec<Vec<Vec<u8>>>,
    /// 1-based line of each record.
    pub lines: Vec<u64>,
    /// Byte offset just past each record (line end included).
    pub ends: Vec<usize>,
    /// Offset of the first byte after the byte-order mark.
    pub start: usize,
}

impl Sample {
    /// Whether each field reads as a finite number in `format`.
    pub fn numeric(&self, format: NumberFormat) -> Vec<Vec<bool>> {
        self.raw
            .iter()
            .map(|r| {
                r.iter()
                    .map(|f| matches!(format.parse(f), Number::Value(_)))
                    .collect()
            })
            .collect()
    }
}

/// The non-blank, non-comment records of `head` (at most [`SNIFF_RECORDS`]) split by
/// `delimiter`, their text decoded as `encoding`. When `complete` is false, the last record
/// may be cut short and is dropped.
pub fn sample(head: &[u8], delimiter: Delimiter, complete: bool, encoding: Encoding) -> Sample {
    let start = if head.starts_with(BOM) { BOM.len() } else { 0 };
    let body = &head[start..];
    let mut records = Records::new(body, 1);
    let mut s = Sample {
        rows: Vec::new(),
        raw: Vec::new(),
        lines: Vec::new(),
        ends: Vec::new(),
        start,
    };
    let mut fields: Vec<Field> = Vec::new();
    while s.rows.len() < SNIFF_RECORDS {
        let Some(r) = records.next() else { break };
        let end = records.offset();
        let cut = !complete && end == body.len() && !body.ends_with(b"\n");
        if cut {
            break;
        }
        if r.is_skipped() {
            continue;
        }
        split_fields(r.bytes, delimiter.byte(), &mut fields);
        s.rows
            .push(fields.iter().map(|f| text(f, encoding)).collect());
        s.raw.push(fields.iter().map(|f| f.raw.to_vec()).collect());
        s.lines.push(r.line);
        s.ends.push(start + end);
    }
    s
}

fn text(f: &Field, encoding: Encoding) -> String {
    let s = encoding.decode(f.raw);
    if f.quoted && s.contains("\"\"") {
        s.replace("\"\"", "\"")
    } else {
        s.into_owned()
    }
}

/// How a file separates its fields and writes its numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dialect {
    /// The field separator.
    pub delimiter: Delimiter,
    /// The decimal mark and thousands separator.
    pub format: NumberFormat,
}

/// The number formats in the order the sniffer prefers them on a tie for `delimiter`: in a
/// comma-separated file a quoted `"1,234"` is more likely Excel's thousands than a decimal
/// comma; with any other separator, a decimal comma is the likelier reading.
fn preferred(formats: &[NumberFormat], delimiter: Delimiter) -> Vec<NumberFormat> {
    let mut out = formats.to_vec();
    if delimiter == Delimiter::Comma {
        out.sort_by_key(|f| {
            (
                *f != NumberFormat::PLAIN,
                f.thousands != super::number_format::Thousands::Comma,
            )
        });
    }
    out
}

/// The delimiter and number format that read `head` best, as Python's `csv.Sniffer` picks a
/// delimiter, extended to the number format: the delimiter whose most frequent field count
/// (more than one field) covers the most records, then the (delimiter, format) pair under
/// which the most fields read as numbers; ties go to comma, semicolon, tab, space, and to
/// plain numbers. A delimiter, decimal mark or thousands separator given in `options` is
/// kept.
pub fn detect_dialect(
    head: &[u8],
    complete: bool,
    encoding: Encoding,
    options: &ImportOptions,
) -> Dialect {
    let formats = options.number_formats();
    let delimiters: Vec<Delimiter> = match options.delimiter {
        Some(d) => vec![d],
        None => Delimiter::ALL.to_vec(),
    };
    let mut best: Option<((u64, u64, usize, usize), Dialect)> = None;
    for (rank, &d) in delimiters.iter().enumerate() {
        let s = sample(head, d, complete, encoding);
        if s.rows.is_empty() {
            continue;
        }
        let mut counts: Vec<usize> = s.rows.iter().map(Vec::len).collect();
        counts.sort_unstable();
        // The most frequent field count and how many rows have it.
        let (mut mode, mut mode_n, mut run) = (0, 0, 0);
        for (i, &c) in counts.iter().enumerate() {
            run = if i > 0 && counts[i - 1] == c {
                run + 1
            } else {
                1
            };
            if run > mode_n {
                (mode, mode_n) = (c, run);
            }
        }
        if mode < 2 && options.delimiter.is_none() {
            continue;
        }
        let consistency = (mode_n as u64 * 1000) / s.rows.len() as u64;
        let fields: usize = s.raw.iter().map(Vec::len).sum();
        for (f_rank, format) in preferred(&formats, d).into_iter().enumerate() {
            let numbers = s.numeric(format).iter().flatten().filter(|&&n| n).count();
            let numeric = (numbers as u64 * 1000) / fields.max(1) as u64;
            let key = (consistency, numeric, usize::MAX - rank, usize::MAX - f_rank);
            if best.as_ref().is_none_or(|(k, _)| key > *k) {
                best = Some((
                    key,
                    Dialect {
                        delimiter: d,
                        format,
                    },
                ));
            }
        }
    }
    best.map_or(
        Dialect {
            delimiter: options.delimiter.unwrap_or(Delimiter::Comma),
            format: formats.first().copied().unwrap_or_default(),
        },
        |(_, d)| d,
    )
}

/// Whether the first sampled row is a header: some field of it is text while the rows
/// below mostly hold numbers in that column; with no rows below, when it holds no number.
/// When no row below holds a number at all, when its fields are distinct and none is empty
/// (pandas' `header="infer"` takes the first row then too, and the names make a refusal
/// readable). `numeric` is [`Sample::numeric`] in the file's format.
pub fn detect_header(s: &Sample, numeric: &[Vec<bool>]) -> bool {
    let Some(first) = numeric.first() else {
        return false;
    };
    let below = &numeric[1..];
    if below.is_empty() {
        return first.iter().all(|&n| !n);
    }
    if below.iter().flatten().all(|&n| !n) {
        let names = &s.rows[0];
        let distinct: std::collections::HashSet<&String> = names.iter().collect();
        return first.iter().all(|&n| !n)
            && names.iter().all(|n| !n.is_empty())
            && distinct.len() == names.len();
    }
    (0..first.len()).any(|j| {
        let text = !first[j] && !s.rows[0][j].is_empty();
        let present: Vec<bool> = below.iter().filter_map(|r| r.get(j).copied()).collect();
        let numbers = present.iter().filter(|&&n| n).count();
        text && numbers > 0 && numbers * 2 >= present.len()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detect_delimiter(head: &[u8], complete: bool) -> Delimiter {
        detect_dialect(head, complete, Encoding::Utf8, &ImportOptions::default()).delimiter
    }

    #[test]
    fn delimiters_are_detected() {
        assert_eq!(detect_delimiter(b"a,b\n1,2\n3,4\n", true), Delimiter::Comma);
        assert_eq!(
            detect_delimiter(b"a;b\n1;2\n3;4\n", true),
            Delimiter::Semicolon
        );
        assert_eq!(detect_delimiter(b"a\tb\n1\t2\n", true), Delimiter::Tab);
        assert_eq!(detect_delimiter(b"1.5  2.5\n3 4\n", true), Delimiter::Space);
        // Spaces after commas: both split in three, but only the comma gives numbers.
        assert_eq!(
            detect_delimiter(b"1, 2, 3\n4, 5, 6\n", true),
            Delimiter::Comma
        );
        assert_eq!(detect_delimiter(b"1\n2\n", true), Delimiter::Comma);
    }

    fn header(text: &[u8]) -> bool {
        let s = sample(text, Delimiter::Comma, true, Encoding::Utf8);
        detect_header(&s, &s.numeric(NumberFormat::PLAIN))
    }

    #[test]
    fn headers_are_detected() {
        assert!(header(b"x,y\n1,2\n3,4\n"));
        assert!(!header(b"1,2\n3,4\n"));
        // A text column with numbers beside it is data, not a header.
        assert!(!header(b"a,1\nb,2\n"));
        assert!(header(b"\xEF\xBB\xBFname,v\nq,1\n"));
        let s = sample(
            b"\xEF\xBB\xBFname,v\nq,1\n",
            Delimiter::Comma,
            true,
            Encoding::Utf8,
        );
        assert_eq!(s.start, 3);
        // Comment lines are not records.
        let s = sample(
            b"# made by hand\nx,y\n# note\n1,2\n",
            Delimiter::Comma,
            true,
            Encoding::Utf8,
        );
        assert_eq!((s.rows.len(), s.lines.clone()), (2, vec![2, 4]));
    }

    #[test]
    fn a_cut_last_record_is_dropped() {
        let s = sample(b"1,2\n3,4\n5,", Delimiter::Comma, false, Encoding::Utf8);
        assert_eq!(s.rows.len(), 2);
        let s = sample(b"1,2\n3,4\n5,", Delimiter::Comma, true, Encoding::Utf8);
        assert_eq!(s.rows.len(), 3);
    }

    fn dialect(text: &str) -> (Delimiter, NumberFormat) {
        let d = detect_dialect(
            text.as_bytes(),
            true,
            Encoding::Utf8,
            &ImportOptions::default(),
        );
        (d.delimiter, d.format)
    }

    #[test]
    fn decimal_commas_and_thousands_are_detected_with_the_delimiter() {
        use super::super::number_format::{DecimalMark as D, Thousands as T};
        let f = |decimal, thousands| NumberFormat { decimal, thousands };
        assert_eq!(
            dialect("a;b\n1,5;2,25\n3,5;4,75\n"),
            (Delimiter::Semicolon, f(D::Comma, T::None))
        );
        assert_eq!(
            dialect("a;b\n1.234,5;2\n12.345,25;4\n"),
            (Delimiter::Semicolon, f(D::Comma, T::Point))
        );
        assert_eq!(
            dialect("a,b\n\"1,234.5\",2\n\"12,345.25\",4\n"),
            (Delimiter::Comma, f(D::Point, T::Comma))
        );
        assert_eq!(
            dialect("a,b\n1.5,2\n3.25,4\n"),
            (Delimiter::Comma, NumberFormat::PLAIN)
        );
        // Integers alone read plainly.
        assert_eq!(
            dialect("1;2\n3;4\n"),
            (Delimiter::Semicolon, NumberFormat::PLAIN)
        );
        // A given decimal mark is kept.
        let comma = ImportOptions {
            decimal: Some(D::Comma),
            ..ImportOptions::default()
        };
        let d = detect_dialect(b"1;2\n3;4\n", true, Encoding::Utf8, &comma);
        assert_eq!(d.format.decimal, D::Comma);
    }
}
