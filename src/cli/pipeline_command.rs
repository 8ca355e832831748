//! `blobscale pipeline`: the page's whole evaluation, natively — generate, seed, fit,
//! metrics, dataset profile, projection and raster, through the same engine the page runs
//! in its workers — with each node's time. It is the native side of the browser benchmark's
//! like-for-like comparison (the same work on the same data), and a quick way to see what
//! the page will show for a scenario without a browser. As in the page, the picture and
//! the cheap scores come first and the internal indices after them: `first_ms` is what the
//! page's result waits for, `total_ms` includes the indices.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use serde_json::{Map, Value, json};

use super::CliError;
use super::args::PipelineArgs;
use super::data_source::blobs_params;
use super::fit_command::params;
use crate::pipeline::jobs::clock::MonotonicClock;
use crate::pipeline::{Delivery, Engine, Plan, ScenarioInputs};

/// Runs the command: `--repeat N` evaluates N times on data seeds `S, S+1, …` (each a new
/// dataset, as the benchmark's runs are) and reports every evaluation.
pub fn run(args: PipelineArgs) -> Result<Value, CliError> {
    let blobs = blobs_params(&args.data, args.chunk.chunk_rows);
    let km = params(&args.fit, Some(args.data.centers))?;
    let (width, height, repeat) = (args.width as u32, args.height as u32, args.repeat);
    let engine = Engine::new(Arc::new(MonotonicClock::default()), 4 << 30);
    let mut runs = Vec::new();
    for r in 0..repeat as u64 {
        let inputs = ScenarioInputs {
            n_samples: blobs.n_samples,
            n_features: blobs.n_features,
            centers: blobs.centers.clone(),
            cluster_std: blobs.cluster_std.clone(),
            center_box: blobs.center_box,
            shuffle: blobs.shuffle,
            data_seed: blobs.seed.wrapping_add(r),
            chunk_rows: blobs.chunk_rows,
            k: km.k,
            init: km.init.clone(),
            max_iter: km.max_iter,
            tol: km.tol,
            algorithm: km.algorithm,
            kmeans_seed: km.seed,
            width,
            height,
            ..ScenarioInputs::default()
        };
        let plan = Plan::new(&inputs).map_err(CliError::run)?;
        let never = AtomicBool::new(false);
        let t0 = Instant::now();
        let ticket = engine.submit(plan);
        let first = engine
            .deliver(&ticket, &never, Delivery::First)
            .map_err(CliError::run)?;
        let first_ms = t0.elapsed().as_secs_f64() * 1e3;
        let later = engine
            .deliver(&ticket, &never, Delivery::Quality)
            .map_err(CliError::run)?;
        let total_ms = t0.elapsed().as_secs_f64() * 1e3;
        let whole = first
            .summary
            .with_quality_of(&later.summary)
            .unwrap_or(later.summary);
        let s = &whole;
        let node_ms: Map<String, Value> = s
            .nodes
            .iter()
            .map(|n| (n.task.name().to_string(), n.ms.into()))
            .collect();
        runs.push(json!({
            "data_seed": inputs.data_seed,
            "first_ms": first_ms,
            "total_ms": total_ms,
            "node_ms": node_ms,
            "inertia": s.fit.inertia,
            "n_iter": s.fit.n_iter,
            "adjusted_rand": s.metrics.adjusted_rand,
            "silhouette": s.metrics.silhouette,
        }));
    }
    Ok(json!({
        "command": "pipeline",
        "threads": rayon::current_num_threads(),
        "blobs": blobs,
        "params": km,
        "width": width,
        "height": height,
        "runs": runs,
    }))
}
