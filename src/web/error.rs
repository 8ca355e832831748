//! Why a call into the browser bridge gave no result: one error type for every function
//! the page calls in [`super`].
//!
//! The kinds the page acts on or the bridge itself decides are variants — a cancellation,
//! a newer request, a scenario too large for wasm memory, an import already running.
//! Errors of the core (a parameter out of range, a file that does not parse) and of the
//! browser (a refused storage, an unreachable worker) arrive as their message, since
//! their words are what the page shows. The type is serialisable so that the
//! single-threaded build's compute worker can post it back as it is: a cancellation in the
//! worker is a cancellation on the page.
//!
//! The messages are the page's words, which the browser tests and users read: they must
//! not change with the type.

use std::fmt::Display;

use serde::{Deserialize, Serialize};

use crate::data::import::ImportError;
use crate::pipeline::PipelineError;
use crate::pipeline::export::ExportError;

/// Why a request made of the browser bridge failed or stopped.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WebError {
    /// Stopped before it finished: its cancel flag was set, or its job on the worker pool
    /// ended without answering.
    #[error("cancelled")]
    Cancelled,
    /// A newer request of the page changed what it computes, so its result would be stale.
    #[error("superseded by a newer request")]
    Superseded,
    /// The running import was asked to stop.
    #[error("import cancelled")]
    ImportCancelled,
    /// The import's job on the worker pool ended without answering.
    #[error("the import stopped")]
    ImportStopped,
    /// Another import is running; imports run one at a time.
    #[error("an import is already running")]
    ImportRunning,
    /// The scenario needs more wasm memory than is free, measured before any work.
    #[error(
        "n_samples = {n_samples} needs about {need_mib} MiB, but only {free_mib} MiB of the browser's {limit_mib} MiB of wasm memory are free: choose fewer samples or features"
    )]
    NoRoom {
        /// Rows asked for.
        n_samples: usize,
        /// MiB the evaluation would hold at its peak.
        need_mib: u64,
        /// MiB free.
        free_mib: u64,
        /// wasm32's ceiling, MiB.
        limit_mib: u64,
    },
    /// `labels.csv` would be larger than an export may take here.
    #[error(
        "labels.csv would be about {size_mib} MiB, more than the {limit_mib} MiB an export may take here: export the labels only, or fewer samples"
    )]
    ExportTooLarge {
        /// Estimated size, MiB.
        size_mib: u64,
        /// What an export may take, MiB.
        limit_mib: u64,
    },
    /// A saved scenario names an imported file this browser no longer keeps.
    #[error("the file is not kept in this browser: import it again")]
    NotKept,
    /// The copy of an import kept in this browser parses to other data than the scenario
    /// names.
    #[error("the kept copy of '{name}' no longer gives the same data: import it again")]
    KeptCopyDiffers {
        /// The file's name.
        name: String,
    },
    /// The dask-ml script of an imported scenario needs the file, which is no longer kept.
    #[error("{name} is no longer kept in this browser: import it again to export its script")]
    ScriptFileGone {
        /// The file's name.
        name: String,
    },
    /// The threaded build's workers cannot share memory with this page.
    #[error("this page is not cross-origin isolated, so Web Workers cannot share memory")]
    NotIsolated,
    /// The engine refused or failed the request.
    #[error("{message}")]
    Engine {
        /// The engine's words.
        message: String,
    },
    /// The file could not be imported.
    #[error("{message}")]
    Import {
        /// The importer's words.
        message: String,
    },
    /// The export could not be made.
    #[error("{message}")]
    Export {
        /// The exporter's words.
        message: String,
    },
    /// The single-threaded build's compute worker could not be started or reached, or
    /// sent what the page could not read.
    #[error("{message}")]
    Worker {
        /// What went wrong.
        message: String,
    },
    /// The browser refused or failed a call.
    #[error("{message}")]
    Browser {
        /// What was being done, and the browser's words.
        message: String,
    },
}

impl WebError {
    /// Whether the request was stopped (by its flag, a newer request or the user) rather
    /// than failing.
    pub fn is_cancellation(&self) -> bool {
        matches!(
            self,
            WebError::Cancelled | WebError::Superseded | WebError::ImportCancelled
        )
    }

    /// A browser failure, in words saying what was being done and why.
    pub(crate) fn browser(message: impl Into<String>) -> Self {
        WebError::Browser {
            message: message.into(),
        }
    }

    /// A failure to start, reach or understand the compute worker (which only the
    /// single-threaded build has).
    #[cfg(not(feature = "threads"))]
    pub(crate) fn worker(message: impl Into<String>) -> Self {
        WebError::Worker {
            message: message.into(),
        }
    }

    /// An export that could not be made, for the core's errors other than [`ExportError`].
    pub(crate) fn export(e: impl Display) -> Self {
        WebError::Export {
            message: e.to_string(),
        }
    }
}

impl From<PipelineError> for WebError {
    fn from(e: PipelineError) -> Self {
        match e {
            PipelineError::Cancelled => WebError::Cancelled,
            PipelineError::Superseded => WebError::Superseded,
            e => WebError::Engine {
                message: e.to_string(),
            },
        }
    }
}

impl From<ImportError> for WebError {
    fn from(e: ImportError) -> Self {
        match e {
            ImportError::Cancelled => WebError::ImportCancelled,
            e => WebError::Import {
                message: e.to_string(),
            },
        }
    }
}

impl From<ExportError> for WebError {
    fn from(e: ExportError) -> Self {
        match e {
            ExportError::Pipeline(p) => p.into(),
            e => WebError::export(e),
        }
    }
}
