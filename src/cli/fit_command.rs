//! `blobscale fit`: seed and fit k-means, print the model, timings per stage and (when the
//! truth is known) the ARI; optionally export labels and centres.

use std::time::Instant;

use serde_json::{Value, json};

use super::CliError;
use super::args::Args;
use super::data_source::load;
use super::files::{read_matrix, write_labels, write_matrix_f64};
use super::stage_clock::{StageClock, peak_rss_mib};
use crate::cluster::metrics::adjusted_rand_index;
use crate::cluster::{
    Algorithm, Init, KMeansParams, Oversampling, ParallelInit, Recluster, Rounds,
};
use crate::monitor::TaskKind;

/// The fit parameters given on the command line.
pub(super) fn params(args: &mut Args, default_k: Option<usize>) -> Result<KMeansParams, CliError> {
    let k = match (args.opt::<usize>("k")?, default_k) {
        (Some(k), _) | (None, Some(k)) => k,
        (None, None) => return Err(CliError::usage("missing --k (required with --input)")),
    };
    let mut parallel = ParallelInit::default();
    if let Some(f) = args.opt::<f64>("oversampling")? {
        parallel.oversampling = Oversampling::PerCluster(f);
    }
    if let Some(r) = args.opt::<usize>("rounds")? {
        parallel.rounds = Rounds::Fixed(r);
    }
    if let Some(n) = args.opt::<usize>("recluster-n-init")? {
        parallel.recluster = Recluster::Weighted { n_init: n };
    }
    let init = match args.string("init").as_deref() {
        None | Some("k-means||") => Init::KMeansParallel(parallel),
        Some("dask-ml") => Init::KMeansParallel(ParallelInit::dask_ml()),
        Some("k-means++") => Init::KMeansPlusPlus {
            n_local_trials: None,
        },
        Some("random") => Init::Random,
        Some(path) => {
            let c = read_matrix(path, 1 << 20)?;
            Init::Centers(
                c.as_slice()
                    .chunks(c.n_cols())
                    .map(|r| r.iter().map(|&v| v as f64).collect())
                    .collect(),
            )
        }
    };
    let algorithm = match args.string("algorithm").as_deref() {
        None | Some("lloyd") => Algorithm::Lloyd,
        Some("hamerly") => Algorithm::Hamerly,
        Some(other) => {
            return Err(CliError::usage(format!(
                "--algorithm = {other}: expected lloyd or hamerly"
            )));
        }
    };
    Ok(KMeansParams::new(k)
        .init(init)
        .max_iter(args.get("max-iter", crate::cluster::params::DEFAULT_MAX_ITER)?)
        .tol(args.get("tol", crate::cluster::params::DEFAULT_TOL)?)
        .algorithm(algorithm)
        .seed(args.get("seed", 0)?))
}

/// Runs the command.
pub fn run(args: &mut Args) -> Result<Value, CliError> {
    let labels_out = args.string("labels-out");
    let centres_out = args.string("centres-out");
    let src = load(args)?;
    let params = params(args, src.n_centers)?;
    let valid = params.check()?;
    let clock = StageClock::start();
    let fit = valid.fit_monitored(&src.x, None, &clock)?;
    let fit_s = clock.elapsed();
    let seeding_s = clock.first_task(TaskKind::Lloyd).unwrap_or(fit_s);
    let t_export = Instant::now();
    let (k, d) = (fit.k(), src.x.n_cols());
    if let Some(path) = &labels_out {
        write_labels(path, &fit.labels)?;
    }
    if let Some(path) = &centres_out {
        write_matrix_f64(path, fit.centres.as_slice().expect("standard layout"), k, d)?;
    }
    let export_s = t_export.elapsed().as_secs_f64();
    let ari = match &src.truth {
        Some(t) => Some(adjusted_rand_index(t, &fit.labels)?),
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
        "cluster_sizes": fit.cluster_sizes(),
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
