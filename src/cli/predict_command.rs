//! `blobscale predict`: label a dataset against centres read from a file.

use std::time::Instant;

use ndarray::ArrayView2;
use serde_json::{Value, json};

use super::CliError;
use super::args::PredictArgs;
use super::data_source::load;
use super::files::{MATRIX_FILE_CHUNK_ROWS, read_matrix, write_labels};
use crate::cluster::metrics::{adjusted_rand_index, cluster_sizes};
use crate::cluster::predict;

/// Runs the command.
pub fn run(args: PredictArgs) -> Result<Value, CliError> {
    let PredictArgs {
        source,
        centres,
        labels_out,
    } = args;
    let src = load(&source)?;
    let c = read_matrix(&centres, MATRIX_FILE_CHUNK_ROWS)?;
    let centres: Vec<f64> = c.as_slice().iter().map(|&v| v as f64).collect();
    let view = ArrayView2::from_shape((c.n_rows(), c.n_cols()), &centres).expect("n × d values");
    let t0 = Instant::now();
    let p = predict(&src.x, view, src.weights.as_deref())?;
    let seconds = t0.elapsed().as_secs_f64();
    if let Some(path) = &labels_out {
        write_labels(path, p.labels.len(), p.labels.iter().copied())?;
    }
    let ari = match &src.truth {
        Some(t) => Some(adjusted_rand_index(t, &p.labels)?),
        None => None,
    };
    Ok(json!({
        "command": "predict",
        "data": src.describe,
        "threads": rayon::current_num_threads(),
        "inertia": p.inertia,
        "cluster_sizes": cluster_sizes(&p.labels, c.n_rows()),
        "labels_file": labels_out,
        "ari": ari,
        "timings_s": { "load": src.seconds, "predict": seconds },
    }))
}
