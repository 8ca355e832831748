//! An import fed slice by slice, as the browser reads a file (`Blob.slice`) and the CLI
//! could read a pipe: each slice is parsed as it arrives and only the parsed `f32` values
//! are kept, so an import never holds the file's text and its values at once
//! (ARCHITECTURE.md §12).
//!
//! A CSV slice is cut at its last line end outside quotes (the quote count from the last
//! cut is even there, as the parallel parser cuts its ranges); the unfinished record is
//! carried into the next slice. A C-order `.npy` slice is cut at a row boundary. Rows,
//! bad rows, class codes and weights are appended in file order, so feeding any slicing
//! gives the result [`super::import`] gives for the whole file.
//!
//! Peak memory: the parsed values (reserved once from the preview's row estimate) plus the
//! slice being parsed, the carried record, and that slice's parsed rows before they are
//! appended — [`StreamImport::buffer_bound`] bytes for slices of `s` bytes. A Fortran-order
//! `.npy` file stores each column whole, so it cannot be cut by rows: it is carried whole and
//! converted at the end.

use super::csv_parse;
use super::error::ImportError;
use super::npy::{self, Header};
use super::options::{Delimiter, FileFormat, ImportOptions};
use super::preview::{Preview, SNIFF_BYTES, sniff};
use super::report::{ChunkRows, ImportReport};
use super::text::Encoding;
use super::truth::Truth;
use super::{Imported, standardise};
use crate::data::ChunkedMatrix;
use crate::data::blobs::MAX_FEATURES;
use crate::monitor::{Monitor, TaskKind};

/// Bytes a browser reads per slice: large enough that a slice keeps every thread busy,
/// small enough to be a bounded buffer.
pub const DEFAULT_SLICE_BYTES: usize = 8 << 20;

/// An import in progress.
#[derive(Debug)]
pub struct StreamImport {
    preview: Preview,
    options: ImportOptions,
    resolved: ImportOptions,
    columns: Vec<usize>,
    npy: Option<Header>,
    /// Bytes of the stream still to skip (byte-order mark, header, `.npy` header).
    skip: u64,
    /// An unfinished record (CSV) or row (`.npy`), or a whole Fortran-order file.
    carry: Vec<u8>,
    /// 1-based line of `carry`'s first byte (CSV), or rows converted so far (`.npy`).
    position: u64,
    received: u64,
    /// What has been parsed so far, appended in file order.
    parsed: ChunkRows,
}

impl StreamImport {
    /// Starts an import of a file of `file_len` bytes whose first bytes are `head` (at least
    /// the preview's [`SNIFF_BYTES`], or the whole file), to be fed in slices of `slice`
    /// bytes (`None`: the caller holds the whole file and feeds it at once). With `budget`,
    /// a file whose import would need more bytes than that is refused here, before any
    /// value is parsed.
    pub fn new(
        head: &[u8],
        file_len: u64,
        options: &ImportOptions,
        budget: Option<u64>,
        slice: Option<usize>,
    ) -> Result<Self, ImportError> {
        options.check()?;
        let head = &head[..head.len().min(SNIFF_BYTES)];
        let preview = sniff(head, file_len, options)?;
        if let Some(refusal) = preview.refusal(options) {
            return Err(refusal);
        }
        let resolved = preview.resolved(options);
        let columns = resolved.columns.clone().unwrap_or_default();
        if let Some(&bad) = columns
            .iter()
            .chain(options.truth_column.iter())
            .chain(options.weight_column.iter())
            .find(|&&j| j >= preview.n_fields)
        {
            return Err(ImportError::BadOption {
                name: "column",
                value: (bad + 1).to_string(),
                allowed: format!("1 ..= {} (the file's columns)", preview.n_fields),
            });
        }
        if columns.len() > MAX_FEATURES {
            return Err(ImportError::BadOption {
                name: "columns",
                value: columns.len().to_string(),
                allowed: format!("1 ..= {MAX_FEATURES}"),
            });
        }
        let need = match slice {
            None => preview.required_bytes(columns.len()),
            Some(s) => super::budget::streamed_bytes(
                s as u64,
                preview.estimated_rows,
                columns.len() as u64,
            ),
        };
        if let Some(budget) = budget {
            super::check_fits(need, budget, preview.estimated_rows, columns.len() as u64)?;
        }
        let npy = match preview.format {
            FileFormat::Npy => Some(npy::parse_header(head)?),
            FileFormat::Csv => None,
        };
        // Reserve the values once (a growing vector would briefly hold twice its size);
        // an estimate short by a few rows only costs one growth at the end.
        let estimate = (preview.estimated_rows as usize)
            .saturating_add(preview.estimated_rows as usize / 64 + 16)
            .saturating_mul(columns.len());
        let reserve = match budget {
            Some(b) => estimate.min((b / 4) as usize),
            None => estimate.min(1 << 28),
        };
        let mut parsed = ChunkRows::default();
        parsed.values.reserve_exact(reserve);
        Ok(Self {
            skip: preview.data_offset as u64,
            position: if npy.is_some() { 0 } else { preview.data_line },
            preview,
            options: options.clone(),
            resolved,
            columns,
            npy,
            carry: Vec::new(),
            received: 0,
            parsed,
        })
    }

    /// The preview the import follows (detected delimiter, number format, header).
    pub fn preview(&self) -> &Preview {
        &self.preview
    }

    /// Bytes held besides the parsed values while slices of `slice` bytes are fed: the
    /// slice joined to the carried record, and the slice's parsed rows before they are
    /// appended (at most 4 bytes a value, one value per 2 bytes of text). A carried record
    /// longer than a slice adds its length (a single record of megabytes is not a table).
    pub fn buffer_bound(slice: usize) -> usize {
        // The working text (carry + slice ≤ 2 slices) and its parsed values (≤ 2 × text).
        2 * slice + 4 * slice
    }

    /// Bytes fed so far.
    pub fn received(&self) -> u64 {
        self.received
    }

    /// Parses the next `slice` of the file. Progress is reported in bytes of the whole
    /// file; cancellation stops between slices and between parse chunks.
    pub fn push(&mut self, slice: &[u8], monitor: &dyn Monitor) -> Result<(), ImportError> {
        monitor.checkpoint()?;
        let mut slice = slice;
        self.received += slice.len() as u64;
        if self.skip > 0 {
            let s = (self.skip as usize).min(slice.len());
            slice = &slice[s..];
            self.skip -= s as u64;
        }
        let total = self.preview.file_len;
        let progress = ProgressFrom {
            inner: monitor,
            base: self.received - slice.len() as u64,
            total,
        };
        match &self.npy {
            None => self.push_csv(slice, false, &progress)?,
            Some(_) => self.push_npy(slice, false, &progress)?,
        }
        monitor.progress(self.received.min(total), total);
        Ok(())
    }

    /// Parses what is carried and returns the import.
    pub fn finish(mut self, monitor: &dyn Monitor) -> Result<Imported, ImportError> {
        let progress = ProgressFrom {
            inner: monitor,
            base: self.received,
            total: self.preview.file_len,
        };
        match &self.npy {
            None => self.push_csv(&[], true, &progress)?,
            Some(h) => {
                let expected = h.data_bytes();
                let got = self.received.saturating_sub(h.data_offset as u64);
                if got < expected {
                    return Err(ImportError::Npy(format!(
                        "truncated: shape ({}, {}) of {} needs {expected} bytes of data, the file holds {got}",
                        h.rows, h.columns, h.descr
                    )));
                }
                self.push_npy(&[], true, &progress)?;
            }
        }
        monitor.checkpoint()?;
        self.assemble()
    }

    fn push_csv(
        &mut self,
        slice: &[u8],
        last: bool,
        monitor: &dyn Monitor,
    ) -> Result<(), ImportError> {
        let working: std::borrow::Cow<[u8]> = if self.carry.is_empty() {
            slice.into()
        } else {
            let mut w = std::mem::take(&mut self.carry);
            w.extend_from_slice(slice);
            w.into()
        };
        let cut = if last {
            working.len()
        } else {
            last_record_end(&working)
        };
        if cut > 0 {
            let layout = csv_parse::Layout {
                delimiter: self.preview.delimiter.unwrap_or(Delimiter::Comma),
                n_fields: self.preview.n_fields,
                columns: &self.columns,
                format: self.preview.number_format.unwrap_or_default(),
                truth: self.options.truth_column,
                weight: self.options.weight_column,
                first_line: self.position,
            };
            let text = &working[..cut];
            let chunks = csv_parse::parse(text, &layout, self.options.parse_chunk_bytes, monitor)?;
            self.parsed.append(chunks, 0);
            self.position += memchr::memchr_iter(b'\n', text).count() as u64;
        }
        self.carry = working[cut..].to_vec();
        Ok(())
    }

    fn push_npy(
        &mut self,
        slice: &[u8],
        last: bool,
        monitor: &dyn Monitor,
    ) -> Result<(), ImportError> {
        let h = self.npy.as_ref().expect("an .npy import");
        let (row_bytes, total) = ((h.columns as usize).max(1) * h.dtype.size, h.rows);
        if h.fortran_order {
            self.carry.extend_from_slice(slice);
            if last {
                let (carry, rows) = (std::mem::take(&mut self.carry), total - self.position);
                let take = (rows as usize * row_bytes).min(carry.len());
                self.convert_npy(&carry[..take], rows, monitor)?;
            }
            return Ok(());
        }
        // Rows are converted straight from the slice; only a row cut by the slice's end is
        // copied, so the file's bytes are never held twice.
        let mut slice = slice;
        if !self.carry.is_empty() {
            let need = (row_bytes - self.carry.len()).min(slice.len());
            self.carry.extend_from_slice(&slice[..need]);
            slice = &slice[need..];
            if self.carry.len() == row_bytes {
                let carry = std::mem::take(&mut self.carry);
                self.convert_npy(&carry, 1, monitor)?;
            }
        }
        let rows = ((slice.len() / row_bytes) as u64).min(total - self.position);
        let take = rows as usize * row_bytes;
        self.convert_npy(&slice[..take], rows, monitor)?;
        if self.position < total {
            self.carry.extend_from_slice(&slice[take..]);
        }
        Ok(())
    }

    /// Converts `rows` whole rows of `.npy` data and appends them.
    fn convert_npy(
        &mut self,
        bytes: &[u8],
        rows: u64,
        monitor: &dyn Monitor,
    ) -> Result<(), ImportError> {
        if rows == 0 {
            return Ok(());
        }
        let block = Header {
            rows,
            data_offset: 0,
            ..self.npy.clone().expect("an .npy import")
        };
        let chunks = npy::convert(
            bytes,
            &block,
            &self.columns,
            self.options.truth_column,
            self.options.weight_column,
            self.options.chunk_rows,
            monitor,
        )?;
        self.parsed.append(chunks, self.position);
        self.position += rows;
        Ok(())
    }

    fn assemble(self) -> Result<Imported, ImportError> {
        let ChunkRows {
            mut values,
            rows,
            bad,
            bad_count,
            truth: labels,
            classes,
            weights,
            ..
        } = self.parsed;
        let preview = self.preview;
        let options = self.options;
        let d = self.columns.len();
        let truth = options.truth_column;
        let constant = if options.standardise && rows > 0 {
            standardise::standardise(&mut values, d)
        } else {
            Vec::new()
        };
        let names: Vec<String> = self
            .columns
            .iter()
            .map(|&j| preview.column_names[j].clone())
            .collect();
        let report = ImportReport {
            rows,
            columns: d,
            constant_columns: constant.iter().map(|&j| names[j].clone()).collect(),
            column_names: names,
            bad_rows: bad,
            bad_count,
            standardised: options.standardise,
            truth_column: truth.map(|t| preview.column_names[t].clone()),
            classes: classes.len(),
            weight_column: options
                .weight_column
                .map(|w| preview.column_names[w].clone()),
            total_weight: if options.weight_column.is_some() {
                weights.iter().sum()
            } else {
                rows as f64
            },
        };
        if rows == 0 {
            return Err(ImportError::NoValidRows(Box::new(report)));
        }
        let matrix = ChunkedMatrix::from_vec(values, rows, d, options.chunk_rows)?;
        let encoding = if preview.latin1 {
            Encoding::Latin1
        } else {
            Encoding::Utf8
        };
        let truth = truth.map(|t| Truth {
            column: preview.column_names[t].clone(),
            classes: classes
                .iter()
                .map(|c| encoding.decode(c).into_owned())
                .collect(),
            labels,
        });
        Ok(Imported {
            matrix,
            report,
            options: self.resolved,
            truth,
            weights: options.weight_column.map(|_| weights),
        })
    }
}

/// Just past the last `\n` outside quotes in `text` (which starts at a record boundary), or
/// 0 when no record ends in it.
fn last_record_end(text: &[u8]) -> usize {
    if memchr::memchr(b'"', text).is_none() {
        return memchr::memrchr(b'\n', text).map_or(0, |i| i + 1);
    }
    let mut odd = false;
    let mut end = 0;
    for (i, &b) in text.iter().enumerate() {
        match b {
            b'"' => odd = !odd,
            b'\n' if !odd => end = i + 1,
            _ => {}
        }
    }
    end
}

/// Reports a slice's parse progress as progress through the whole file.
struct ProgressFrom<'m> {
    inner: &'m dyn Monitor,
    base: u64,
    total: u64,
}

impl Monitor for ProgressFrom<'_> {
    fn is_cancelled(&self) -> bool {
        self.inner.is_cancelled()
    }
    fn task_started(&self, kind: TaskKind, chunk: usize) -> u64 {
        self.inner.task_started(kind, chunk)
    }
    fn task_finished(&self, kind: TaskKind, chunk: usize, token: u64) {
        self.inner.task_finished(kind, chunk, token)
    }
    fn progress(&self, done: u64, _total: u64) {
        self.inner
            .progress((self.base + done).min(self.total), self.total);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitor::Unmonitored;

    #[test]
    fn records_end_at_the_last_line_end_outside_quotes() {
        assert_eq!(last_record_end(b"1,2\n3,4\n5,"), 8);
        assert_eq!(last_record_end(b"1,\"a\nb\n"), 0);
        assert_eq!(last_record_end(b"1,\"a\nb\"\n2"), 8);
        assert_eq!(last_record_end(b"abc"), 0);
    }

    #[test]
    fn any_slicing_gives_the_whole_file_import() {
        let mut text = String::from("\u{feff}x;y;class\n# a note\n");
        for i in 0..500 {
            text.push_str(&format!("{},{};\"{}\";c{}\n", i / 7, i % 10, i * 3, i % 4));
            if i % 97 == 0 {
                text.push_str("oops;1;c9\n");
            }
        }
        let bytes = text.as_bytes();
        let o = ImportOptions {
            truth_column: Some(2),
            parse_chunk_bytes: 300,
            ..ImportOptions::default()
        };
        let whole = super::super::import(bytes, &o, None, &Unmonitored).unwrap();
        for slice in [1, 7, 64, 1000, bytes.len()] {
            let mut s =
                StreamImport::new(bytes, bytes.len() as u64, &o, None, Some(slice)).unwrap();
            for part in bytes.chunks(slice) {
                s.push(part, &Unmonitored).unwrap();
            }
            let got = s.finish(&Unmonitored).unwrap();
            assert_eq!(got.matrix.as_slice(), whole.matrix.as_slice(), "{slice}");
            assert_eq!(got.report, whole.report, "{slice}");
            assert_eq!(got.truth, whole.truth, "{slice}");
        }
    }
    /// An `.npy` v1 file of `rows × 3` little-endian `f64` values `i·3 + j`.
    fn npy_file(rows: usize, fortran: bool) -> Vec<u8> {
        let dict = format!(
            "{{'descr': '<f8', 'fortran_order': {}, 'shape': ({rows}, 3), }}",
            if fortran { "True" } else { "False" }
        );
        let pad = (64 - (10 + dict.len() + 1) % 64) % 64;
        let header = format!("{dict}{}\n", " ".repeat(pad));
        let mut out = b"\x93NUMPY\x01\x00".to_vec();
        out.extend_from_slice(&(header.len() as u16).to_le_bytes());
        out.extend_from_slice(header.as_bytes());
        let value = |i: usize, j: usize| (i * 3 + j) as f64;
        for a in 0..if fortran { 3 } else { rows } {
            for b in 0..if fortran { rows } else { 3 } {
                let v = if fortran { value(b, a) } else { value(a, b) };
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        out
    }

    #[test]
    fn npy_rows_cut_anywhere_by_slices_come_out_whole_and_in_order() {
        let rows = 101;
        let expected: Vec<f32> = (0..rows * 3).map(|v| v as f32).collect();
        for fortran in [false, true] {
            let bytes = npy_file(rows, fortran);
            // 1 byte, a part of a row, exactly a row, several rows and a part, the file.
            for slice in [1, 5, 24, 100, bytes.len()] {
                let o = ImportOptions::default();
                let mut s =
                    StreamImport::new(&bytes, bytes.len() as u64, &o, None, Some(slice)).unwrap();
                for part in bytes.chunks(slice) {
                    s.push(part, &Unmonitored).unwrap();
                }
                let got = s.finish(&Unmonitored).unwrap();
                assert_eq!(got.matrix.as_slice(), &expected[..], "{slice} {fortran}");
                assert_eq!(got.report.rows, rows, "{slice} {fortran}");
            }
        }
    }
}
