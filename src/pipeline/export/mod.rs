//! Results out: labels and centroids as CSV, the scenario and the job log as
//! JSON, and a Python script that reproduces the scenario with dask-ml on a Dask cluster —
//! the scale-out path for users who outgrow one browser (ARCHITECTURE.md §12).
//!
//! Everything here is plain Rust and returns bytes; the browser bridge
//! (`web::export_bridge`) turns them into downloads and the CLI prints the script. Large
//! outputs are formatted chunk by chunk straight into the caller's writer: a 10M-row labels
//! file never exists twice in memory.
//!
//! - [`labels`]: every row's cluster, by chunk-parallel predict against the fitted centres
//!   (dask-ml's `ParallelPostFit.predict`), on the engine's memoised dataset and model.
//! - [`labels_csv`], [`centroids_csv`], [`csv_field`]: RFC 4180 CSV
//!   (<https://www.rfc-editor.org/rfc/rfc4180>), the dialect pandas' `read_csv` reads by
//!   default.
//! - [`job_log_json`], [`scenario_json`](mod@scenario_json): the job log with its per-chunk task records, and
//!   the scenario in the versioned format of [`crate::pipeline::scenarios::codec`].
//! - [`dask_script`](mod@dask_script), [`python_literal`]: the dask-ml script.

pub mod centroids_csv;
pub mod csv_field;
pub mod dask_script;
pub mod error;
pub mod job_log_json;
pub mod labels;
pub mod labels_csv;
pub mod python_literal;
pub mod scenario_json;

pub use centroids_csv::write_centroids_csv;
pub use dask_script::{DaskScriptOptions, DataFile, dask_script};
pub use error::ExportError;
pub use job_log_json::{BuildInfo, write_job_log_json};
pub use labels::{Assignment, FittedScenario};
pub use labels_csv::{LabelsLayout, write_labels_csv};
pub use scenario_json::scenario_json;
