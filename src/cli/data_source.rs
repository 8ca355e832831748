//! Where a command's data come from: a file (`--input`) or generated blobs (the
//! `make_blobs` options), with ground-truth labels when known.

use std::time::Instant;

use serde_json::{Value, json};

use super::CliError;
use super::args::Args;
use super::files::{read_data, read_labels};
use crate::data::import::{Delimiter, ImportOptions};
use crate::data::{BlobsParams, Centers, ChunkedMatrix, DEFAULT_CHUNK_ROWS};

/// Loaded or generated data.
pub struct Source {
    /// The samples.
    pub x: ChunkedMatrix,
    /// Ground truth, when generated or given with `--truth`.
    pub truth: Option<Vec<u32>>,
    /// Number of generated centres (the default k), when generated.
    pub n_centers: Option<usize>,
    /// Seconds spent loading or generating.
    pub seconds: f64,
    /// A JSON description.
    pub describe: Value,
}

/// Reads `--input` (and `--truth`) or generates blobs from the data options.
pub fn load(args: &mut Args) -> Result<Source, CliError> {
    let chunk_rows = args.get("chunk-rows", DEFAULT_CHUNK_ROWS)?;
    let t0 = Instant::now();
    let (x, mut truth, n_centers, describe) = match args.string("input") {
        Some(path) => {
            let options = import_options(args, chunk_rows)?;
            let (x, report) = read_data(&path, &options)?;
            if report.bad_count > 0 {
                // Never silently: the JSON carries the report, stderr says it in one line.
                eprintln!(
                    "{path}: {} bad row(s) excluded, the first: {}",
                    report.bad_count, report.bad_rows[0]
                );
            }
            (x, None, None, json!({ "source": path, "import": report }))
        }
        None => {
            let p = blobs_params(args)?;
            let c = match p.centers {
                Centers::Count(c) => c,
                Centers::Points(ref v) => v.len(),
            };
            let b = p.check()?.generate();
            let describe = json!({ "source": "blobs", "blobs": p });
            (b.x, Some(b.labels), Some(c), describe)
        }
    };
    if let Some(path) = args.string("truth") {
        let t = read_labels(&path)?;
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
        n_centers,
        seconds,
        describe,
    })
}

/// The import options given on the command line: `--delimiter comma|semicolon|tab|space`,
/// `--header yes|no` (both detected when absent), `--columns 1,3` (1-based; every
/// numeric column when absent), `--standardise yes|no`.
pub fn import_options(args: &mut Args, chunk_rows: usize) -> Result<ImportOptions, CliError> {
    let yes_no = |name: &str, v: String| match v.as_str() {
        "yes" | "true" => Ok(true),
        "no" | "false" => Ok(false),
        _ => Err(CliError::usage(format!(
            "--{name} = {v}: expected yes or no"
        ))),
    };
    let delimiter = match args.string("delimiter") {
        None => None,
        Some(d) => Some(Delimiter::from_name(&d).ok_or_else(|| {
            CliError::usage(format!(
                "--delimiter = {d}: expected comma, semicolon, tab or space"
            ))
        })?),
    };
    let header = args
        .string("header")
        .map(|v| yes_no("header", v))
        .transpose()?;
    let standardise = args
        .string("standardise")
        .map(|v| yes_no("standardise", v))
        .transpose()?
        .unwrap_or(false);
    let columns = match args.string("columns") {
        None => None,
        Some(c) => Some(
            c.split(',')
                .map(|v| match v.trim().parse::<usize>() {
                    Ok(i) if i >= 1 => Ok(i - 1),
                    _ => Err(CliError::usage(format!(
                        "--columns = {c}: expected 1-based column numbers such as 1,3"
                    ))),
                })
                .collect::<Result<Vec<_>, _>>()?,
        ),
    };
    Ok(ImportOptions {
        delimiter,
        header,
        columns,
        standardise,
        chunk_rows,
        ..ImportOptions::default()
    })
}

/// The blobs parameters given by the data options.
pub fn blobs_params(args: &mut Args) -> Result<BlobsParams, CliError> {
    let mut p = BlobsParams::new(args.get("n-samples", 100)?)
        .n_features(args.get("n-features", 2)?)
        .centers(Centers::Count(args.get("centers", 3)?))
        .cluster_std(args.get("cluster-std", 1.0)?)
        .seed(args.get("data-seed", 0)?)
        .chunk_rows(args.get("chunk-rows", DEFAULT_CHUNK_ROWS)?)
        .shuffle(!args.flag("no-shuffle"));
    if let Some(b) = args.string("center-box") {
        let parts: Vec<f64> = b
            .split(',')
            .map(|v| v.trim().parse::<f64>())
            .collect::<Result<_, _>>()
            .map_err(|e| CliError::usage(format!("--center-box = {b}: {e}")))?;
        let [lo, hi] = parts[..] else {
            return Err(CliError::usage(format!(
                "--center-box = {b}: expected LOW,HIGH"
            )));
        };
        p = p.center_box(lo, hi);
    }
    Ok(p)
}
