//! Where a command's data come from: a file (`--input`) or generated blobs (the
//! `make_blobs` options), with ground-truth labels when known.

use std::time::Instant;

use serde_json::{Value, json};

use super::CliError;
use super::args::{DataOptions, ImportArgs, SourceArgs};
use super::files::{read_imported, read_labels};
use crate::data::import::ImportOptions;
use crate::data::{BlobsParams, Centers, ChunkedMatrix};

/// Loaded or generated data.
pub struct Source {
    /// The samples.
    pub x: ChunkedMatrix,
    /// Ground truth, when generated or given with `--truth` or `--truth-column`.
    pub truth: Option<Vec<u32>>,
    /// Sample weights, when read with `--weight-column`.
    pub weights: Option<Vec<f64>>,
    /// Number of generated centres (the default k), when generated.
    pub n_centers: Option<usize>,
    /// Seconds spent loading or generating.
    pub seconds: f64,
    /// A JSON description.
    pub describe: Value,
}

/// Reads `--input` (and `--truth`) or generates blobs from the data options.
pub fn load(args: &SourceArgs) -> Result<Source, CliError> {
    let chunk_rows = args.chunk.chunk_rows;
    let t0 = Instant::now();
    let mut weights = None;
    let (x, mut truth, n_centers, describe) = match &args.input {
        Some(path) => {
            let options = import_options(&args.import, chunk_rows);
            let out = read_imported(path, &options)?;
            let (x, report) = (out.matrix, out.report);
            if report.bad_count > 0 {
                // Never silently: the JSON carries the report, stderr says it in one line.
                eprintln!(
                    "{path}: {} bad row(s) excluded, the first: {}",
                    report.bad_count, report.bad_rows[0]
                );
            }
            let truth = out.truth.map(|t| t.labels);
            weights = out.weights;
            (x, truth, None, json!({ "source": path, "import": report }))
        }
        None => {
            let p = blobs_params(&args.data, chunk_rows);
            let c = match p.centers {
                Centers::Count(c) => c,
                Centers::Points(ref v) => v.len(),
            };
            let b = p.check()?.generate();
            let describe = json!({ "source": "blobs", "blobs": p });
            (b.x, Some(b.labels), Some(c), describe)
        }
    };
    if let (Some(path), Some(_)) = (&args.truth, &args.import.truth_column) {
        return Err(CliError::usage(format!(
            "--truth {path} and --truth-column both give ground truth: choose one"
        )));
    }
    if let Some(path) = &args.truth {
        let t = read_labels(path)?;
        if t.len() != x.n_rows() {
            return Err(CliError::run(format!(
                "{path}: {} labels for {} rows",
                t.len(),
                x.n_rows()
            )));
        }
        truth = Some(t);
    }
    let seconds = t0.elapsed().as_secs_f64();
    let mut describe = describe;
    describe["n_samples"] = json!(x.n_rows());
    describe["n_features"] = json!(x.n_cols());
    describe["chunk_rows"] = json!(x.chunk_rows());
    describe["bytes"] = json!(x.nbytes());
    Ok(Source {
        x,
        truth,
        weights,
        n_centers,
        seconds,
        describe,
    })
}

/// The import options given on the command line: `--delimiter`, `--header`, `--decimal`,
/// `--thousands` (each detected when absent), `--columns` (every numeric column when
/// absent), `--truth-column`, `--weight-column`, `--standardise`.
pub fn import_options(args: &ImportArgs, chunk_rows: usize) -> ImportOptions {
    ImportOptions {
        delimiter: args.delimiter,
        header: args.header,
        decimal: args.decimal,
        thousands: args.thousands,
        truth_column: args.truth_column,
        weight_column: args.weight_column,
        columns: args.columns.clone(),
        standardise: args.standardise,
        chunk_rows,
        ..ImportOptions::default()
    }
}

/// The blobs parameters given by the data options.
pub fn blobs_params(args: &DataOptions, chunk_rows: usize) -> BlobsParams {
    BlobsParams::new(args.n_samples)
        .n_features(args.n_features)
        .centers(Centers::Count(args.centers))
        .cluster_std(args.cluster_std)
        .seed(args.data_seed)
        .chunk_rows(chunk_rows)
        .shuffle(!args.no_shuffle)
        .center_box(args.center_box.0, args.center_box.1)
}
