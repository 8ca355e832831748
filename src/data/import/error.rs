//! Why an import failed. Each message names the value, the limit, or the place in the file.

use thiserror::Error;

use super::number_format::NumberFormat;
use super::options::Delimiter;
use super::report::{BadRow, ImportReport};
use crate::data::DataError;

/// An import that could not produce a matrix. Rows that are merely bad are not errors:
/// they are excluded and listed in the [`ImportReport`].
#[derive(Debug, Error, Clone, PartialEq)]
pub enum ImportError {
    /// The file holds no bytes (or only a byte-order mark and blank lines).
    #[error("the file is empty")]
    Empty,
    /// The bytes are not text in UTF-8 or Latin-1 (and not a `.npy` file).
    #[error("not a text file: {what}, at byte {offset}")]
    NotText {
        /// 0-based byte offset where it stops being text.
        offset: u64,
        /// What was found, and what to do.
        what: String,
    },
    /// Nothing below the header, or only comments and blank lines.
    #[error("{}", no_data_rows(.header))]
    NoDataRows {
        /// The header's column names, if the file has a header.
        header: Vec<String>,
    },
    /// No column reads as numbers with the delimiter and number format in effect.
    #[error("{}", no_numeric_column(.examples, *.delimiter, *.format))]
    NoNumericColumn {
        /// Columns and the first value in each that is not a number.
        examples: Vec<(String, String)>,
        /// The delimiter in effect.
        delimiter: Delimiter,
        /// The number format in effect.
        format: NumberFormat,
    },
    /// The data would not fit in the memory available, found before parsing.
    #[error(
        "the file needs about {need_mib} MiB to import ({rows} rows × {columns} columns), only {room_mib} MiB fit"
    )]
    TooLarge {
        /// Bytes needed, in MiB (rounded up).
        need_mib: u64,
        /// Bytes available, in MiB (rounded down).
        room_mib: u64,
        /// Rows the size was computed for (estimated for CSV, from the header for `.npy`).
        rows: u64,
        /// Columns the size was computed for.
        columns: u64,
    },
    /// An option is outside its allowed range.
    #[error("{name} = {value} is out of range: allowed {allowed}")]
    BadOption {
        /// The option.
        name: &'static str,
        /// The rejected value.
        value: String,
        /// What is allowed.
        allowed: String,
    },
    /// A `.npy` file whose header or size is not what NumPy writes.
    #[error("not a readable .npy file: {0}")]
    Npy(String),
    /// Every data row was bad; the report lists them.
    #[error("no valid data rows: {} bad row(s), the first at line {}", .0.bad_count, .0.bad_rows.first().map_or(0, |b| b.line))]
    NoValidRows(Box<ImportReport>),
    /// A value of a starting centre is not a finite number.
    #[error("a starting centre cannot be read: {0}")]
    BadCentre(BadRow),
    /// The import was cancelled through its monitor.
    #[error("import cancelled")]
    Cancelled,
    /// The matrix could not be built.
    #[error(transparent)]
    Data(#[from] DataError),
}

impl From<crate::monitor::Cancelled> for ImportError {
    fn from(_: crate::monitor::Cancelled) -> Self {
        ImportError::Cancelled
    }
}

/// `text` on one line: a quoted field may hold line ends, and a message is one line.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn no_data_rows(header: &[String]) -> String {
    if header.is_empty() {
        "no data rows: the file holds only comments and blank lines".into()
    } else {
        format!(
            "no data rows: the file holds a header ({}) and nothing below it",
            one_line(&header.join(", "))
        )
    }
}

fn no_numeric_column(
    examples: &[(String, String)],
    delimiter: Delimiter,
    format: NumberFormat,
) -> String {
    let held: Vec<String> = examples
        .iter()
        .map(|(c, v)| format!("'{}' holds '{}'", one_line(c), one_line(v)))
        .collect();
    format!(
        "no numeric column ({}): check the delimiter (now {delimiter}) and the number format (now {format})",
        if held.is_empty() {
            "every value is empty".to_string()
        } else {
            held.join(", ")
        }
    )
}
