//! Parsing CSV text in parallel: the text is cut into byte ranges at line ends outside
//! quotes (the count of `"` since the start is even there, so no quoted field is split),
//! each range is parsed on the rayon pool into rows of the chosen columns, and the ranges'
//! rows and bad rows are joined in file order — so the result is the same for every
//! chunking and thread count (the approach of ParaText and of simdcsv's two-pass split).

use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use super::csv_records::{Field, Number, Record, Records, split_fields, split_unquoted};
use super::error::ImportError;
use super::number_format::NumberFormat;
use super::options::{Delimiter, ImportOptions};
use super::report::{BadReason, BadRow, ChunkRows, shorten};
use crate::monitor::{Monitor, TaskKind, run_chunk};

/// Byte ranges of `data` (which starts at a record boundary) of about `target` bytes,
/// each ending just after a `\n` outside quotes, or at the end.
pub fn split_ranges(data: &[u8], target: usize) -> Vec<Range<usize>> {
    let target = target.max(1);
    let mut out = Vec::new();
    let mut start = 0;
    while start < data.len() {
        let cand = start.saturating_add(target).min(data.len());
        if cand == data.len() {
            out.push(start..cand);
            break;
        }
        let mut odd = memchr::memchr_iter(b'"', &data[start..cand]).count() % 2 == 1;
        let mut i = cand;
        while i < data.len() {
            match data[i] {
                b'"' => odd = !odd,
                b'\n' if !odd => break,
                _ => {}
            }
            i += 1;
        }
        let end = (i + 1).min(data.len());
        out.push(start..end);
        start = end;
    }
    out
}

/// Non-blank records in `data` (the exact row count of a small file).
pub fn count_records(data: &[u8], _options: &ImportOptions) -> u64 {
    Records::new(data, 1).filter(|r| !r.is_skipped()).count() as u64
}

/// What the parser needs to know about the layout.
#[derive(Debug, Clone)]
pub struct Layout<'c> {
    /// The separator.
    pub delimiter: Delimiter,
    /// Fields every row must have.
    pub n_fields: usize,
    /// 0-based fields to keep, in order.
    pub columns: &'c [usize],
    /// How numbers are written.
    pub format: NumberFormat,
    /// A 0-based field holding each row's class, kept as text.
    pub truth: Option<usize>,
    /// A 0-based field holding each row's sample weight.
    pub weight: Option<usize>,
    /// 1-based line of `data`'s first byte.
    pub first_line: u64,
}

/// Parses `data` (the text after any header) into chunk results in file order.
pub(crate) fn parse(
    data: &[u8],
    layout: &Layout,
    chunk_bytes: usize,
    monitor: &dyn Monitor,
) -> Result<Vec<ChunkRows>, ImportError> {
    let ranges = split_ranges(data, chunk_bytes);
    let newlines: Vec<u64> = ranges
        .par_iter()
        .map(|r| memchr::memchr_iter(b'\n', &data[r.clone()]).count() as u64)
        .collect();
    let mut first_lines = Vec::with_capacity(ranges.len());
    let mut line = layout.first_line;
    for n in &newlines {
        first_lines.push(line);
        line += n;
    }
    let total = data.len() as u64;
    let done = AtomicU64::new(0);
    let chunks: Vec<ChunkRows> = ranges
        .par_iter()
        .zip(first_lines.par_iter())
        .enumerate()
        .map(|(c, (range, &first))| {
            if monitor.is_cancelled() {
                return ChunkRows::default();
            }
            let out = run_chunk(monitor, TaskKind::Parse, c, || {
                parse_range(&data[range.clone()], first, layout)
            });
            let len = range.len() as u64;
            monitor.progress(done.fetch_add(len, Ordering::Relaxed) + len, total);
            out
        })
        .collect();
    monitor.checkpoint()?;
    Ok(chunks)
}

fn parse_range(text: &[u8], first_line: u64, layout: &Layout) -> ChunkRows {
    let mut out = ChunkRows::default();
    let mut fields: Vec<Field> = Vec::with_capacity(layout.n_fields);
    let delimiter = layout.delimiter.byte();
    if delimiter != b' ' && memchr::memchr(b'"', text).is_none() {
        // No quote in the range (most files): lines end at every `\n`, found by one SIMD
        // scan, and fields at every delimiter.
        let mut start = 0;
        let mut line = first_line;
        for end in memchr::memchr_iter(b'\n', text).chain(std::iter::once(text.len())) {
            if end == text.len() && start >= end {
                break;
            }
            let mut bytes = &text[start..end];
            if let [rest @ .., b'\r'] = bytes {
                bytes = rest;
            }
            let rec = Record { bytes, line };
            (start, line) = (end + 1, line + 1);
            if rec.is_skipped() {
                continue;
            }
            split_unquoted(rec.bytes, delimiter, &mut fields);
            take_row(&mut out, &fields, rec, layout);
        }
    } else {
        for rec in Records::new(text, first_line) {
            if rec.is_skipped() {
                continue;
            }
            split_fields(rec.bytes, delimiter, &mut fields);
            take_row(&mut out, &fields, rec, layout);
        }
    }
    out
}

/// Keeps a record's chosen fields as a row, or counts it as a bad row naming its line,
/// column and reason.
fn take_row(out: &mut ChunkRows, fields: &[Field], rec: Record, layout: &Layout) {
    if fields.len() != layout.n_fields {
        out.bad(|| BadRow {
            line: rec.line,
            column: fields.len().min(layout.n_fields) + 1,
            text: shorten(&String::from_utf8_lossy(rec.bytes)),
            reason: BadReason::FieldCount {
                expected: layout.n_fields,
                found: fields.len(),
            },
        });
        return;
    }
    let mark = out.values.len();
    let mut bad = None;
    for &j in layout.columns {
        match layout.format.parse(fields[j].raw) {
            Number::Value(v) => out.values.push(v),
            Number::Empty => bad = Some((j, BadReason::Empty)),
            Number::NotANumber => bad = Some((j, BadReason::NotANumber)),
            Number::NotFinite => bad = Some((j, BadReason::NotFinite)),
        }
        if bad.is_some() {
            break;
        }
    }
    let mut weight = None;
    if bad.is_none()
        && let Some(w) = layout.weight
    {
        match layout.format.parse(fields[w].raw) {
            Number::Value(v) if v >= 0.0 => weight = Some(f64::from(v)),
            Number::Value(_) => bad = Some((w, BadReason::NegativeWeight)),
            Number::Empty => bad = Some((w, BadReason::Empty)),
            Number::NotANumber => bad = Some((w, BadReason::NotANumber)),
            Number::NotFinite => bad = Some((w, BadReason::NotFinite)),
        }
    }
    if bad.is_none()
        && let Some(t) = layout.truth
    {
        if fields[t].raw.is_empty() {
            bad = Some((t, BadReason::Empty));
        } else {
            out.class_of(fields[t].raw);
        }
    }
    if bad.is_none()
        && let Some(w) = weight
    {
        out.weights.push(w);
    }
    match bad {
        None => out.rows += 1,
        Some((j, reason)) => {
            out.values.truncate(mark);
            out.bad(|| BadRow {
                line: rec.line,
                column: j + 1,
                text: shorten(&fields[j].text()),
                reason,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_end_at_line_ends_outside_quotes() {
        let data = b"1,\"a\nb\"\n2,3\n4,5\n";
        for target in 1..data.len() + 2 {
            let r = split_ranges(data, target);
            assert_eq!(r.first().unwrap().start, 0);
            assert_eq!(r.last().unwrap().end, data.len());
            for w in r.windows(2) {
                assert_eq!(w[0].end, w[1].start);
            }
            // Never inside the quoted field.
            assert!(r.iter().all(|x| x.end != 5), "{target}: {r:?}");
        }
    }

    #[test]
    fn bad_rows_name_line_column_text_and_reason() {
        let layout = Layout {
            delimiter: Delimiter::Comma,
            n_fields: 3,
            columns: &[0, 2],
            format: NumberFormat::PLAIN,
            truth: None,
            weight: None,
            first_line: 2,
        };
        let text = b"1,x,2\n3,4\n5,6,abc\n\n7,8,NaN\n9,,10\n";
        let out = parse_range(text, 2, &layout);
        assert_eq!(out.rows, 2);
        assert_eq!(out.values, vec![1.0, 2.0, 9.0, 10.0]);
        let shown: Vec<String> = out.bad.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "line 3, column 3: '3,4' — 2 fields, expected 3",
                "line 4, column 3: 'abc' — not a number",
                "line 6, column 3: 'NaN' — not a finite number",
            ]
        );
        assert_eq!(out.bad_count, 3);
    }

    #[test]
    fn classes_are_coded_in_order_of_first_appearance_across_chunks() {
        let layout = Layout {
            delimiter: Delimiter::Semicolon,
            n_fields: 2,
            columns: &[0],
            format: NumberFormat {
                decimal: super::super::number_format::DecimalMark::Comma,
                thousands: super::super::number_format::Thousands::None,
            },
            truth: Some(1),
            weight: None,
            first_line: 1,
        };
        let text = b"1,5;b\n2;a\n3;\n4,25;b\nx;c\n5;c\n";
        for chunk in 1..text.len() + 1 {
            let chunks = parse(text, &layout, chunk, &crate::monitor::Unmonitored).unwrap();
            let mut merged = ChunkRows::default();
            merged.append(chunks, 0);
            assert_eq!(merged.values, vec![1.5, 2.0, 4.25, 5.0], "{chunk}");
            assert_eq!(merged.truth, vec![0, 1, 0, 2], "{chunk}");
            assert_eq!(
                merged.classes,
                vec![b"b".to_vec(), b"a".to_vec(), b"c".to_vec()]
            );
            assert_eq!(merged.bad_count, 2);
        }
    }
}
