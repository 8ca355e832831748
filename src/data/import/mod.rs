//! Your own data: CSV and `.npy` files into a [`ChunkedMatrix`] (ARCHITECTURE.md §12).
//!
//! Two steps, as in Orange's File widget: [`sniff`] previews the first bytes (format,
//! delimiter, header, column names, numeric columns, first rows, estimated size) so the
//! user can adjust the options and pick columns; [`import`] checks the size against the
//! caller's memory budget *before* parsing, then parses in parallel chunks with progress
//! and cancellation through a [`Monitor`], excludes bad rows and reports every one of them
//! ([`ImportReport`]), and optionally standardises each column.
//!
//! ```
//! use blobscale::data::import::{import, ImportOptions};
//! use blobscale::monitor::Unmonitored;
//!
//! let csv = b"x,y,label\n1,2,a\n3,oops,b\n5,6,c\n";
//! let out = import(csv, &ImportOptions::default(), None, &Unmonitored)?;
//! assert_eq!((out.matrix.n_rows(), out.matrix.n_cols()), (2, 2));
//! assert_eq!(out.report.bad_count, 1);
//! assert_eq!(out.report.bad_rows[0].to_string(), "line 3, column 2: 'oops' — not a number");
//! # Ok::<(), blobscale::data::import::ImportError>(())
//! ```

pub mod budget;
pub mod centres;
pub mod csv_parse;
pub mod csv_records;
pub mod csv_sniff;
pub mod error;
pub mod npy;
pub mod number_format;
pub mod options;
pub mod preview;
pub mod report;
pub mod standardise;
pub mod text;
pub mod truth;

pub use budget::{check_fits, required_bytes};
pub use centres::parse_centres;
pub use error::ImportError;
pub use number_format::{DecimalMark, NumberFormat, Thousands};
pub use options::{Delimiter, FileFormat, ImportOptions};
pub use preview::{PREVIEW_ROWS, Preview, SNIFF_BYTES, sniff};
pub use report::{BadReason, BadRow, ImportReport};
pub use truth::Truth;

use crate::data::ChunkedMatrix;
use crate::data::blobs::MAX_FEATURES;
use crate::monitor::Monitor;

/// A parsed file.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// The kept rows of the chosen columns.
    pub matrix: ChunkedMatrix,
    /// What was kept and what was excluded.
    pub report: ImportReport,
    /// The options in effect (detected delimiter and header, chosen columns): importing
    /// the same bytes with these gives the same matrix.
    pub options: ImportOptions,
    /// The classes from the truth column, when one was chosen.
    pub truth: Option<Truth>,
}

/// Parses a whole file. With `budget`, a file whose import would need more bytes than
/// that (see [`required_bytes`]) is refused before any value is parsed.
pub fn import(
    bytes: &[u8],
    options: &ImportOptions,
    budget: Option<u64>,
    monitor: &dyn Monitor,
) -> Result<Imported, ImportError> {
    options.check()?;
    let preview = sniff(bytes, bytes.len() as u64, options)?;
    if let Some(refusal) = preview.refusal(options) {
        return Err(refusal);
    }
    let resolved = preview.resolved(options);
    let columns = resolved.columns.clone().unwrap_or_default();
    let truth = options.truth_column;
    if let Some(&bad) = columns
        .iter()
        .chain(truth.iter())
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
    let need = preview.required_bytes(columns.len());
    if let Some(budget) = budget {
        check_fits(need, budget, preview.estimated_rows, columns.len() as u64)?;
    }
    let chunks = match preview.format {
        FileFormat::Npy => {
            let header = npy::parse_header(&bytes[..bytes.len().min(SNIFF_BYTES)])?;
            npy::convert(bytes, &header, &columns, truth, options.chunk_rows, monitor)?
        }
        FileFormat::Csv => {
            let layout = csv_parse::Layout {
                delimiter: preview.delimiter.unwrap_or(Delimiter::Comma),
                n_fields: preview.n_fields,
                columns: &columns,
                format: preview.number_format.unwrap_or_default(),
                truth,
                first_line: preview.data_line,
            };
            csv_parse::parse(
                &bytes[preview.data_offset.min(bytes.len())..],
                &layout,
                options.parse_chunk_bytes,
                monitor,
            )?
        }
    };
    let report::Merged {
        mut values,
        rows,
        bad: bad_rows,
        bad_count,
        truth: labels,
        classes,
    } = report::merge(chunks);
    let d = columns.len();
    let constant = if options.standardise && rows > 0 {
        standardise::standardise(&mut values, d)
    } else {
        Vec::new()
    };
    let names: Vec<String> = columns
        .iter()
        .map(|&j| preview.column_names[j].clone())
        .collect();
    let report = ImportReport {
        rows,
        columns: d,
        constant_columns: constant.iter().map(|&j| names[j].clone()).collect(),
        column_names: names,
        bad_rows,
        bad_count,
        standardised: options.standardise,
        truth_column: truth.map(|t| preview.column_names[t].clone()),
        classes: classes.len(),
    };
    if rows == 0 {
        return Err(ImportError::NoValidRows(Box::new(report)));
    }
    let matrix = ChunkedMatrix::from_vec(values, rows, d, options.chunk_rows)?;
    let encoding = if preview.latin1 {
        text::Encoding::Latin1
    } else {
        text::Encoding::Utf8
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
        options: resolved,
        truth,
    })
}
