//! `blobscale generate`: write a blobs dataset (and its labels) to files.

use std::time::Instant;

use serde_json::{Value, json};

use super::CliError;
use super::args::Args;
use super::data_source::blobs_params;
use super::files::{write_labels, write_matrix_f32};

/// Runs the command.
pub fn run(args: &mut Args) -> Result<Value, CliError> {
    let out = args.required("out")?;
    let labels_out = args.string("labels-out");
    let p = blobs_params(args)?;
    let t0 = Instant::now();
    let b = p.check()?.generate();
    let generate = t0.elapsed().as_secs_f64();
    let t1 = Instant::now();
    write_matrix_f32(&out, &b.x)?;
    if let Some(path) = &labels_out {
        write_labels(path, &b.labels)?;
    }
    Ok(json!({
        "command": "generate",
        "blobs": p,
        "out": out,
        "labels_file": labels_out,
        "centers": b.centers.outer_iter().map(|r| r.to_vec()).collect::<Vec<_>>(),
        "timings_s": { "generate": generate, "export": t1.elapsed().as_secs_f64() },
    }))
}
