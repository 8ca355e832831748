//! Errors of the data layer. Each names the bad value and the allowed range.

use thiserror::Error;

/// Why a dataset could not be built, generated or read.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum DataError {
    /// A parameter is outside its row of the limits table.
    #[error(transparent)]
    Limit(#[from] crate::limits::LimitError),
    /// A value buffer does not hold `n_rows × n_cols` values.
    #[error(
        "matrix buffer holds {len} values, but {n_rows} rows × {n_cols} columns need {expected}"
    )]
    ShapeMismatch {
        /// Values supplied.
        len: usize,
        /// Rows requested.
        n_rows: usize,
        /// Columns requested.
        n_cols: usize,
        /// `n_rows × n_cols`.
        expected: usize,
    },
    /// Explicit centres or per-centre standard deviations do not agree in size.
    #[error("{what}: expected {expected}, got {got}")]
    Inconsistent {
        /// Which inputs disagree.
        what: &'static str,
        /// What the other inputs imply.
        expected: usize,
        /// What was given.
        got: usize,
    },
    /// A value is NaN or infinite.
    #[error("{name} must be finite, got {value} at row {row}, column {col}")]
    NotFinite {
        /// Which input.
        name: &'static str,
        /// The value, formatted.
        value: String,
        /// Row of the value (0-based).
        row: usize,
        /// Column of the value (0-based).
        col: usize,
    },
}
