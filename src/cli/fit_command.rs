//! `blobscale fit`: seed and fit k-means, print the model, timings per stage and (when the
//! truth is known) the ARI; optionally export labels and centres.

use std::time::Instant;

use serde_json::{Value, json};

use super::CliError;
use super::args::{FitArgs, FitOptions};
use super::data_source::load;
use super::files::{MATRIX_FILE_CHUNK_ROWS, read_matrix, write_labels, write_matrix_f64};
use super::stage_clock::{StageClock, peak_rss_mib};
use crate::cluster::metrics::adjusted_rand_index;
use crate::cluster::{
    Init, KMeansParams, Oversampling, ParallelInit, Recluster, Rounds, SampleFit,
};
use crate::monitor::TaskKind;

/// The fit parameters given on the command line; `default_k` is the number of generated
/// centres, when the data were generated.
pub(super) fn params(
    args: &FitOptions,
    default_k: Option<usize>,
) -> Result<KMeansParams, CliError> {
    let Some(k) = args.k.or(default_k) else {
        return Err(CliError::usage("missing --k (required with --input)"));
    };
    let mut parallel = ParallelInit::default();
    if let Some(f) = args.oversampling {
        parallel.oversampling = Oversampling::PerCluster(f);
    }
    if let Some(r) = args.rounds {
        parallel.rounds = Rounds::Fixed(r);
    }
    if let Some(n) = args.recluster_n_init {
        parallel.recluster = Recluster::Weighted { n_init: n };
    }
    let init = match Init::from_name(&args.init, parallel) {
        Some(init) => init,
        // Anything that names no method is a file of initial centres, one per row.
        None => {
            let c = read_matrix(&args.init, MATRIX_FILE_CHUNK_ROWS)?;
            Init::Centers(
                c.as_slice()
                    .chunks(c.n_cols())
                    .map(|r| r.iter().map(|&v| v as f64).collect())
                    .collect(),
            )
        }
    };
    Ok(KMeansParams::new(k)
        .init(init)
        .max_iter(args.max_iter)
        .tol(args.tol)
        .algorithm(args.algorithm)
        .seed(args.seed))
}

/// Runs the command. With `--fit-sample` the seeding time is the sample's seeding and the
/// Lloyd time covers the sample's iterations and the passes over every row.
pub fn run(args: FitArgs) -> Result<Value, CliError> {
    let FitArgs {
        source,
        fit,
        labels_out,
        centres_out,
        fit_sample,
        refine_passes,
    } = args;
    let src = load(&source)?;
    let params = params(&fit, src.n_centers)?;
    let valid = params.check()?;
    let clock = StageClock::start();
    let (fit, sample) = match fit_sample {
        None => (
            valid.fit_monitored(&src.x, src.weights.as_deref(), &clock)?,
            Value::Null,
        ),
        Some(size) => {
            let plan = SampleFit::new(size.rows(params.k), refine_passes, src.x.n_rows());
            let s = valid.fit_on_sample(&src.x, src.weights.as_deref(), plan, &clock)?;
            let sample = json!({
                "rows": s.sample_rows,
                "refine_passes": plan.refine_passes,
                "restarts": s.restarts,
                "n_iter": s.sample.as_ref().map(|f| f.n_iter),
                "inertia": s.sample.as_ref().map(|f| f.inertia),
                "seeding": s.sample.as_ref().map(|f| &f.seeding),
            });
            (s.fit, sample)
        }
    };
    let fit_s = clock.elapsed();
    let seeding_s = clock.first_task(TaskKind::Lloyd).unwrap_or(fit_s);
    let t_export = Instant::now();
    let (k, d) = (fit.k(), src.x.n_cols());
    if let Some(path) = &labels_out {
        write_labels(path, fit.labels.len(), fit.labels.iter())?;
    }
    if let Some(path) = &centres_out {
        write_matrix_f64(path, fit.centres.as_slice().expect("standard layout"), k, d)?;
    }
    let export_s = t_export.elapsed().as_secs_f64();
    let ari = match &src.truth {
        Some(t) => Some(adjusted_rand_index(t, &fit.labels.as_u32())?),
        None => None,
    };
    Ok(json!({
        "command": "fit",
        "data": src.describe,
        "threads": rayon::current_num_threads(),
        "params": params,
        "k": k,
        "inertia": fit.inertia,
        "n_iter": fit.n_iter,
        "convergence": fit.convergence,
        "relocated": fit.relocated,
        "inertia_curve": fit.inertia_curve,
        "seeding": fit.seeding,
        "sample": sample,
        "cluster_sizes": fit.cluster_sizes(),
        "labels_digest": crate::pipeline::replay::frame::labels_digest_of(&fit.labels),
        "centres": fit.centres.outer_iter().map(|r| r.to_vec()).collect::<Vec<_>>(),
        "labels_file": labels_out,
        "centres_file": centres_out,
        "ari": ari,
        "timings_s": {
            "load": src.seconds,
            "fit": fit_s,
            "seeding": seeding_s,
            "lloyd": fit_s - seeding_s,
            "export": export_s,
        },
        "peak_rss_mib": peak_rss_mib(),
    }))
}
