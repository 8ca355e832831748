//! The first step of an import: what the file looks like from its first bytes — format,
//! detected delimiter and header, column names, which columns are numeric, the first rows
//! and an estimate of the rows — so the user can adjust the options and pick columns
//! before anything big is read (Orange's File widget and pandas' `read_csv(nrows=…)`
//! preview).

use serde::{Deserialize, Serialize};

use super::budget::required_bytes;
use super::csv_sniff::{detect_dialect, detect_header, sample};
use super::error::ImportError;
use super::npy;
use super::number_format::NumberFormat;
use super::options::{Delimiter, FileFormat, ImportOptions};
use super::text::{self, Encoding};
use crate::data::blobs::MAX_FEATURES;

/// Bytes of the file a preview reads.
pub const SNIFF_BYTES: usize = 64 << 10;
/// Data rows a preview shows.
pub const PREVIEW_ROWS: usize = 10;

/// What a file looks like, and the options that were detected or given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Preview {
    /// The format.
    pub format: FileFormat,
    /// The CSV delimiter in effect (`None` for `.npy`).
    pub delimiter: Option<Delimiter>,
    /// Whether the first CSV row is a header, in effect.
    pub header: bool,
    /// The decimal mark and thousands separator in effect (`None` for `.npy`).
    pub number_format: Option<NumberFormat>,
    /// How the text is encoded (UTF-8 for `.npy`).
    #[serde(default)]
    pub latin1: bool,
    /// Fields per row (columns of the array for `.npy`).
    pub n_fields: usize,
    /// A name per column: header fields, or `column 1`, `column 2`, ….
    pub column_names: Vec<String>,
    /// Whether each column held numbers in the sampled rows.
    pub numeric: Vec<bool>,
    /// The first sampled value of each column that is not a number, if any (what a
    /// refusal for "no numeric column" shows).
    pub first_text: Vec<Option<String>>,
    /// A column that only numbers the rows 0, 1, 2, … under an empty header (the index
    /// pandas' `to_csv` writes): not a feature unless chosen.
    pub row_index: Option<usize>,
    /// The first data rows, as text.
    pub rows: Vec<Vec<String>>,
    /// Data rows: exact for `.npy` and for a CSV read whole, otherwise estimated from the
    /// sampled rows' mean length.
    pub estimated_rows: u64,
    /// Bytes of the whole file.
    pub file_len: u64,
    /// Byte offset of the first data row (past the byte-order mark and the header).
    pub data_offset: usize,
    /// 1-based line of the first data row.
    pub data_line: u64,
    /// The `.npy` element type (`<f8`), if any.
    pub dtype: Option<String>,
}

impl Preview {
    /// The columns imported when the user picks none: every numeric one but a row index.
    pub fn default_columns(&self) -> Vec<usize> {
        self.default_columns_besides(&[])
    }

    /// [`Preview::default_columns`] without the `excluded` ones (the truth and weight
    /// columns).
    pub fn default_columns_besides(&self, excluded: &[usize]) -> Vec<usize> {
        (0..self.n_fields)
            .filter(|&j| self.numeric[j] && Some(j) != self.row_index && !excluded.contains(&j))
            .collect()
    }

    /// Why `options` cannot import this file, found from the preview alone: no data rows
    /// below the header, or no column chosen and none numeric (naming each column's first
    /// value that is not a number). `None` when an import can start.
    pub fn refusal(&self, options: &ImportOptions) -> Option<ImportError> {
        if self.estimated_rows == 0 && self.rows.is_empty() {
            return Some(ImportError::NoDataRows {
                header: if self.header {
                    self.column_names.clone()
                } else {
                    Vec::new()
                },
            });
        }
        let chosen = options
            .columns
            .clone()
            .unwrap_or_else(|| self.default_columns_besides(&options.not_features()));
        if !chosen.is_empty() {
            return None;
        }
        let any_numeric = (0..self.n_fields).any(|j| self.numeric[j]);
        if any_numeric {
            return Some(ImportError::BadOption {
                name: "columns",
                value: "none".into(),
                allowed: "at least one column: tick a column to import".into(),
            });
        }
        Some(ImportError::NoNumericColumn {
            examples: (0..self.n_fields)
                .filter(|j| !options.not_features().contains(j))
                .filter_map(|j| {
                    let v = self.first_text[j].clone()?;
                    Some((self.column_names[j].clone(), v))
                })
                .take(4)
                .collect(),
            format: self.number_format.unwrap_or_default(),
            delimiter: self.delimiter.unwrap_or(Delimiter::Comma),
        })
    }

    /// Bytes the import of `columns` columns will need at its peak (see
    /// [`required_bytes`]).
    pub fn required_bytes(&self, columns: usize) -> u64 {
        required_bytes(self.file_len, self.estimated_rows, columns as u64)
    }

    /// The options this preview resolved (delimiter and header fixed), with `base`'s
    /// columns, standardisation and chunking.
    pub fn resolved(&self, base: &ImportOptions) -> ImportOptions {
        ImportOptions {
            delimiter: self.delimiter,
            header: Some(self.header),
            decimal: self.number_format.map(|f| f.decimal),
            thousands: self.number_format.map(|f| f.thousands),
            columns: Some(
                base.columns
                    .clone()
                    .unwrap_or_else(|| self.default_columns_besides(&base.not_features())),
            ),
            ..base.clone()
        }
    }
}

/// Previews a file from its first bytes `head` (at most [`SNIFF_BYTES`] are looked at)
/// and its full length, honouring the delimiter and header in `options` when given.
pub fn sniff(head: &[u8], file_len: u64, options: &ImportOptions) -> Result<Preview, ImportError> {
    let head = &head[..head.len().min(SNIFF_BYTES)];
    if head.is_empty() {
        return Err(ImportError::Empty);
    }
    match FileFormat::detect(head) {
        FileFormat::Npy => sniff_npy(head, file_len),
        FileFormat::Csv => sniff_csv(head, file_len, options),
    }
}

fn sniff_csv(head: &[u8], file_len: u64, options: &ImportOptions) -> Result<Preview, ImportError> {
    let complete = head.len() as u64 >= file_len;
    let encoding = text::check(head, complete).map_err(|e| ImportError::NotText {
        offset: e.offset,
        what: e.what,
    })?;
    let dialect = detect_dialect(head, complete, encoding, options);
    let delimiter = dialect.delimiter;
    let s = sample(head, delimiter, complete, encoding);
    if s.rows.is_empty() {
        let only_bom_and_blanks = head.iter().skip(s.start).all(|b| b.is_ascii_whitespace());
        return Err(if only_bom_and_blanks {
            ImportError::Empty
        } else {
            ImportError::NoDataRows { header: Vec::new() }
        });
    }
    let numeric_fields = s.numeric(dialect.format);
    let header = options
        .header
        .unwrap_or_else(|| detect_header(&s, &numeric_fields));
    let n_fields = s.rows[0].len();
    let first_data = usize::from(header);
    let column_names: Vec<String> = (0..n_fields)
        .map(|j| match (header, s.rows[0].get(j)) {
            (true, Some(name)) if !name.is_empty() => name.clone(),
            _ => format!("column {}", j + 1),
        })
        .collect();
    let data = &numeric_fields[first_data..];
    let numeric: Vec<bool> = (0..n_fields)
        .map(|j| {
            let present: Vec<bool> = data.iter().filter_map(|r| r.get(j).copied()).collect();
            let numbers = present.iter().filter(|&&n| n).count();
            numbers > 0 && numbers * 2 >= present.len()
        })
        .collect();
    let first_text = (0..n_fields)
        .map(|j| {
            data.iter()
                .zip(&s.rows[first_data..])
                .find(|(n, r)| {
                    !n.get(j).copied().unwrap_or(true) && r.get(j).is_some_and(|v| !v.is_empty())
                })
                .map(|(_, r)| r[j].clone())
        })
        .collect();
    let row_index = (header && n_fields > 1 && s.rows[0][0].is_empty() && numeric[0])
        .then(|| {
            let counts = s.rows[first_data..]
                .iter()
                .enumerate()
                .all(|(i, r)| r.first().is_some_and(|v| *v == i.to_string()));
            counts.then_some(0)
        })
        .flatten();
    let (data_offset, data_line) = if header {
        (s.ends[0], s.lines.get(1).copied().unwrap_or(s.lines[0] + 1))
    } else {
        (s.start, 1)
    };
    let sampled = s.rows.len() - first_data;
    let estimated_rows = if complete || sampled == 0 {
        // Read whole (or nothing below the header to measure): count what is there.
        if complete {
            super::csv_parse::count_records(&head[data_offset..], options)
        } else {
            0
        }
    } else {
        // Mean row length over every complete record of the head, not only the sampled
        // ones: early rows are often shorter (small ids) than the file's average.
        let last = head.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let span = &head[data_offset.min(last)..last];
        let rows = super::csv_parse::count_records(span, options).max(1);
        let per_row = span.len() as f64 / rows as f64;
        ((file_len - data_offset as u64) as f64 / per_row.max(1.0)).ceil() as u64
    };
    Ok(Preview {
        format: FileFormat::Csv,
        delimiter: Some(delimiter),
        header,
        number_format: Some(dialect.format),
        latin1: encoding == Encoding::Latin1,
        n_fields,
        column_names,
        numeric,
        first_text,
        row_index,
        rows: s.rows[first_data..]
            .iter()
            .take(PREVIEW_ROWS)
            .cloned()
            .collect(),
        estimated_rows,
        file_len,
        data_offset,
        data_line,
        dtype: None,
    })
}

fn sniff_npy(head: &[u8], file_len: u64) -> Result<Preview, ImportError> {
    let h = npy::parse_header(head)?;
    if !(1..=MAX_FEATURES as u64).contains(&h.columns) {
        return Err(ImportError::Npy(format!(
            "shape ({}, {}): {} columns is out of range: allowed 1 ..= {MAX_FEATURES}",
            h.rows, h.columns, h.columns
        )));
    }
    let d = h.columns as usize;
    let size = h.dtype.size;
    let shown = (h.rows as usize).min(PREVIEW_ROWS);
    let mut rows = Vec::new();
    for i in 0..shown {
        let row: Option<Vec<String>> = (0..d)
            .map(|j| {
                let at = if h.fortran_order {
                    j.checked_mul(h.rows as usize)?.checked_add(i)?
                } else {
                    i.checked_mul(d)?.checked_add(j)?
                };
                let off = h.data_offset.checked_add(at.checked_mul(size)?)?;
                head.get(off..off + size)
                    .map(|b| h.dtype.read(b).to_string())
            })
            .collect();
        match row {
            Some(r) => rows.push(r),
            None => break,
        }
    }
    Ok(Preview {
        format: FileFormat::Npy,
        delimiter: None,
        header: false,
        number_format: None,
        latin1: false,
        n_fields: d,
        column_names: (1..=d).map(|j| format!("column {j}")).collect(),
        numeric: vec![true; d],
        first_text: vec![None; d],
        row_index: None,
        rows,
        estimated_rows: h.rows,
        file_len,
        data_offset: h.data_offset,
        data_line: 1,
        dtype: Some(h.descr),
    })
}
