//! Why an export produced no file.

use crate::pipeline::PipelineError;

/// Why an export failed. Every message names the value and what was expected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ExportError {
    /// The scenario could not be evaluated (bad inputs, cancelled, …).
    #[error(transparent)]
    Pipeline(#[from] PipelineError),
    /// Inputs of different lengths were given together.
    #[error("{what}: expected {expected}, got {got}")]
    Inconsistent {
        /// What disagrees.
        what: &'static str,
        /// The expected count.
        expected: usize,
        /// The count given.
        got: usize,
    },
    /// The output would not fit where it has to be built.
    #[error(
        "{what} would be about {mib} MiB, more than the {limit_mib} MiB an export may take{hint}"
    )]
    TooLarge {
        /// The file.
        what: &'static str,
        /// Its estimated size.
        mib: u64,
        /// The limit.
        limit_mib: u64,
        /// What to do instead.
        hint: &'static str,
    },
    /// Writing failed.
    #[error("could not write the export: {0}")]
    Io(String),
}

impl From<std::io::Error> for ExportError {
    fn from(e: std::io::Error) -> Self {
        ExportError::Io(e.to_string())
    }
}
