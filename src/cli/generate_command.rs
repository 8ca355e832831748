//! `blobscale generate`: write a blobs dataset (and its labels) to files.

use std::time::Instant;

use serde_json::{Value, json};

use super::CliError;
use super::args::GenerateArgs;
use super::data_source::blobs_params;
use super::files::{write_labels, write_matrix_f32};

/// Runs the command.
pub fn run(args: GenerateArgs) -> Result<Value, CliError> {
    let GenerateArgs {
        out,
        labels_out,
        data,
        chunk,
    } = args;
    let p = blobs_params(&data, chunk.chunk_rows);
    let t0 = Instant::now();
    let b = p.check()?.generate();
    let generate = t0.elapsed().as_secs_f64();
    let t1 = Instant::now();
    write_matrix_f32(&out, &b.x)?;
    if let Some(path) = &labels_out {
        write_labels(path, b.labels.len(), b.labels.iter().copied())?;
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
