//! Why an evaluation produced no result.

use crate::cluster::ClusterError;
use crate::data::DataError;

/// Why an evaluation, a sweep or a plan failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PipelineError {
    /// A dataset parameter was invalid.
    #[error(transparent)]
    Data(#[from] DataError),
    /// A clustering parameter was invalid or the fit failed.
    #[error(transparent)]
    Cluster(ClusterError),
    /// A parameter is outside its row of the limits table.
    #[error(transparent)]
    Limit(#[from] crate::limits::LimitError),
    /// The caller's cancel flag was set.
    #[error("cancelled")]
    Cancelled,
    /// A newer request changed what this one computes; its result would be stale.
    #[error("superseded by a newer request")]
    Superseded,
    /// The scenario names an imported dataset this engine does not hold (the page was
    /// reloaded, or the file was imported in another browser).
    #[error("imported dataset '{name}' is not loaded: import the file again")]
    NotLoaded {
        /// The file's name.
        name: String,
    },
    /// A task produced a different output for a key already known with another output:
    /// a task is not deterministic, and its version must change with its code.
    #[error("task {task} is not deterministic: same key, different output")]
    Nondeterministic {
        /// The task.
        task: &'static str,
    },
}

impl From<ClusterError> for PipelineError {
    fn from(e: ClusterError) -> Self {
        match e {
            ClusterError::Cancelled => PipelineError::Cancelled,
            e => PipelineError::Cluster(e),
        }
    }
}

impl From<crate::monitor::Cancelled> for PipelineError {
    fn from(_: crate::monitor::Cancelled) -> Self {
        PipelineError::Cancelled
    }
}

impl PipelineError {
    /// Whether the error is a cancellation (by flag or by a newer request), not a failure.
    pub fn is_cancellation(&self) -> bool {
        matches!(self, PipelineError::Cancelled | PipelineError::Superseded)
    }
}
