//! Errors of the clustering core. Each names the bad value and the allowed range, as the
//! data layer's errors do.

use thiserror::Error;

use crate::data::DataError;
use crate::monitor::Cancelled;

/// Why parameters were rejected or a fit, predict or score could not run.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum ClusterError {
    /// A parameter is outside its row of the limits table.
    #[error(transparent)]
    Limit(crate::limits::LimitError),
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

impl From<crate::limits::LimitError> for ClusterError {
    fn from(e: crate::limits::LimitError) -> Self {
        ClusterError::Limit(e)
    }
}

impl From<Cancelled> for ClusterError {
    fn from(_: Cancelled) -> Self {
        ClusterError::Cancelled
    }
}
