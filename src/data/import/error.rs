//! Why an import failed. Each message names the value, the limit, or the place in the file.

use thiserror::Error;

use super::report::ImportReport;
use crate::data::DataError;

/// An import that could not produce a matrix. Rows that are merely bad are not errors:
/// they are excluded and listed in the [`ImportReport`].
#[derive(Debug, Error, Clone, PartialEq)]
pub enum ImportError {
    /// The file holds no bytes (or only a byte-order mark and blank lines).
    #[error("the file is empty")]
    Empty,
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
