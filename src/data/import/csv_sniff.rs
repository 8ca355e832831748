//! Guessing how a CSV file is laid out from its first bytes, as Python's `csv.Sniffer`
//! does: the delimiter that splits the sample into the most consistent number of fields
//! (ties broken by how many fields read as numbers, then by comma, semicolon, tab, space),
//! and a header when the first row has text where the rows below have numbers.

use super::csv_records::{BOM, Field, Number, Records, split_fields};
use super::options::Delimiter;

/// Records read to guess the delimiter and header.
pub const SNIFF_RECORDS: usize = 50;

/// The sampled records, already split.
#[derive(Debug, Clone)]
pub struct Sample {
    /// Fields of each non-blank record, as text.
    pub rows: Vec<Vec<String>>,
    /// Whether each field read as a finite number.
    pub numeric: Vec<Vec<bool>>,
    /// 1-based line of each record.
    pub lines: Vec<u64>,
    /// Byte offset just past each record (line end included).
    pub ends: Vec<usize>,
    /// Offset of the first byte after the byte-order mark.
    pub start: usize,
}

/// The non-blank records of `head` (at most [`SNIFF_RECORDS`]) split by `delimiter`. When
/// `complete` is false, the last record may be cut short and is dropped.
pub fn sample(head: &[u8], delimiter: Delimiter, complete: bool) -> Sample {
    let start = if head.starts_with(BOM) { BOM.len() } else { 0 };
    let body = &head[start..];
    let mut records = Records::new(body, 1);
    let mut s = Sample {
        rows: Vec::new(),
        numeric: Vec::new(),
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
        if r.is_blank() {
            continue;
        }
        split_fields(r.bytes, delimiter.byte(), &mut fields);
        s.rows
            .push(fields.iter().map(|f| f.text().into_owned()).collect());
        s.numeric.push(
            fields
                .iter()
                .map(|f| matches!(f.number(), Number::Value(_)))
                .collect(),
        );
        s.lines.push(r.line);
        s.ends.push(start + end);
    }
    s
}

/// The delimiter that splits `head` most consistently into more than one field; comma
/// when every candidate gives one field.
pub fn detect_delimiter(head: &[u8], complete: bool) -> Delimiter {
    let mut best: Option<((u64, u64, usize), Delimiter)> = None;
    for (rank, d) in Delimiter::ALL.into_iter().enumerate() {
        let s = sample(head, d, complete);
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
        if mode < 2 {
            continue;
        }
        let consistency = (mode_n as u64 * 1000) / s.rows.len() as u64;
        let fields: usize = s.numeric.iter().map(Vec::len).sum();
        let numbers = s.numeric.iter().flatten().filter(|&&n| n).count();
        let numeric = (numbers as u64 * 1000) / fields.max(1) as u64;
        let key = (consistency, numeric, usize::MAX - rank);
        if best.as_ref().is_none_or(|(k, _)| key > *k) {
            best = Some((key, d));
        }
    }
    best.map_or(Delimiter::Comma, |(_, d)| d)
}

/// Whether the first sampled row is a header: some field of it is text while the rows
/// below mostly hold numbers in that column; with no rows below, when it holds no number.
pub fn detect_header(s: &Sample) -> bool {
    let Some(first) = s.numeric.first() else {
        return false;
    };
    let below = &s.numeric[1..];
    if below.is_empty() {
        return first.iter().all(|&n| !n);
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

    #[test]
    fn headers_are_detected() {
        let s = sample(b"x,y\n1,2\n3,4\n", Delimiter::Comma, true);
        assert!(detect_header(&s));
        let s = sample(b"1,2\n3,4\n", Delimiter::Comma, true);
        assert!(!detect_header(&s));
        // A text column with numbers beside it is data, not a header.
        let s = sample(b"a,1\nb,2\n", Delimiter::Comma, true);
        assert!(!detect_header(&s));
        let s = sample(b"\xEF\xBB\xBFname,v\nq,1\n", Delimiter::Comma, true);
        assert_eq!(s.start, 3);
        assert!(detect_header(&s));
    }

    #[test]
    fn a_cut_last_record_is_dropped() {
        let s = sample(b"1,2\n3,4\n5,", Delimiter::Comma, false);
        assert_eq!(s.rows.len(), 2);
        let s = sample(b"1,2\n3,4\n5,", Delimiter::Comma, true);
        assert_eq!(s.rows.len(), 3);
    }
}
