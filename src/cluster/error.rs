//! Errors of the clustering core. Each names the bad value and the allowed range, as the
//! data layer's errors do.

use thiserror::Error;

use crate::data::DataError;
use crate::monitor::Cancelled;

/// Why parameters were rejected or a fit, predict or score could not run.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum ClusterError {
    /// A numeric parameter is outside its allowed range.
    #[error("{name} = {value} is out of range: allowed {allowed}")]
    OutOfRange {
        /// Parameter name as the user sees it.
        name: &'static str,
        /// The rejected value, formatted.
        value: String,
        /// The allowed range, formatted.
        allowed: String,
    },
    /// Two inputs disagree in size (data and weights, data and centres, labels and data).
    #[error("{what}: expected {expected}, got {got}")]
    Inconsistent {
        /// Which inputs disagree.
        what: &'static str,
        /// What the other inputs imply.
        expected: usize,
        /// What was given.
        got: usize,
    },
    /// The input data are invalid (for example a NaN or an infinite value).
    #[error(transparent)]
    Data(#[from] DataError),
    /// The work was cancelled through its monitor.
    #[error("cancelled")]
    Cancelled,
}

impl From<Cancelled> for ClusterError {
    fn from(_: Cancelled) -> Self {
        ClusterError::Cancelled
    }
}

/// Checks `lo <= value <= hi` and names the range otherwise.
pub(crate) fn check_range<T: PartialOrd + std::fmt::Display>(
    name: &'static str,
    value: T,
    lo: T,
    hi: T,
) -> Result<T, ClusterError> {
    if value >= lo && value <= hi {
        Ok(value)
    } else {
        Err(ClusterError::OutOfRange {
            name,
            value: value.to_string(),
            allowed: format!("{lo} ..= {hi}"),
        })
    }
}

/// Checks that a float is finite and within `lo ..= hi`.
pub(crate) fn check_float(
    name: &'static str,
    value: f64,
    lo: f64,
    hi: f64,
) -> Result<f64, ClusterError> {
    if value.is_finite() && value >= lo && value <= hi {
        Ok(value)
    } else {
        Err(ClusterError::OutOfRange {
            name,
            value: value.to_string(),
            allowed: format!("finite, {lo} ..= {hi}"),
        })
    }
}
