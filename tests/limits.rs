//! One table of limits, three entry points: for every numeric parameter the core (its
//! builders' `check` and `Plan::new`), the CLI (its value parsers, through the real binary)
//! and the page (the `Limit::parse` its number fields call) refuse the same values with the
//! same message. The browser test checks one of them on the real page (`e2e/run.mjs`).

use std::process::Command;

use blobscale::cluster::{Init, KMeansParams, Oversampling, ParallelInit, Recluster, Rounds};
use blobscale::data::BlobsParams;
use blobscale::limits::{self, Limit};
use blobscale::pipeline::{Plan, ScenarioInputs};

/// The CLI's stderr for `args`, which must be refused as a bad command line.
fn cli_refusal(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_blobscale"))
        .args(args)
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    err
}

/// The core's message for a value, or `None` when the core takes no such value (a fraction
/// for a count, text for a number).
type Core = fn(f64) -> Result<(), String>;

fn kmeans(p: KMeansParams) -> Result<(), String> {
    p.check().map(|_| ()).map_err(|e| e.to_string())
}

fn parallel(f: impl FnOnce(&mut ParallelInit)) -> KMeansParams {
    let mut p = ParallelInit::default();
    f(&mut p);
    KMeansParams::new(3).init(Init::KMeansParallel(p))
}

fn plan(f: impl FnOnce(&mut ScenarioInputs)) -> Result<(), String> {
    let mut i = ScenarioInputs::default();
    f(&mut i);
    Plan::new(&i).map(|_| ()).map_err(|e| e.to_string())
}

fn blobs(p: BlobsParams) -> Result<(), String> {
    p.check().map(|_| ()).map_err(|e| e.to_string())
}

/// Each parameter: its row, the command line that sets it (the value goes last) and the
/// core's check of it.
fn cases() -> Vec<(Limit, Vec<&'static str>, Core)> {
    vec![
        (
            limits::N_SAMPLES,
            vec!["generate", "--out", "x.npy", "--n-samples"],
            |v| blobs(BlobsParams::new(v as usize)),
        ),
        (
            limits::N_FEATURES,
            vec!["generate", "--out", "x.npy", "--n-features"],
            |v| blobs(BlobsParams::new(10).n_features(v as usize)),
        ),
        (
            limits::CENTERS,
            vec!["generate", "--out", "x.npy", "--centers"],
            |v| blobs(BlobsParams::new(10).centers(blobscale::data::Centers::Count(v as usize))),
        ),
        (
            limits::CLUSTER_STD,
            vec!["generate", "--out", "x.npy", "--cluster-std"],
            |v| blobs(BlobsParams::new(10).cluster_std(v)),
        ),
        (
            limits::DATA_SEED,
            vec!["generate", "--out", "x.npy", "--data-seed"],
            |v| blobs(BlobsParams::new(10).seed(v as u64)),
        ),
        (
            limits::CHUNK_ROWS,
            vec!["generate", "--out", "x.npy", "--chunk-rows"],
            |v| blobs(BlobsParams::new(10).chunk_rows(v as usize)),
        ),
        (limits::K, vec!["fit", "--k"], |v| {
            kmeans(KMeansParams::new(v as usize))
        }),
        (limits::MAX_ITER, vec!["fit", "--max-iter"], |v| {
            kmeans(KMeansParams::new(3).max_iter(v as usize))
        }),
        (limits::TOL, vec!["fit", "--tol"], |v| {
            kmeans(KMeansParams::new(3).tol(v))
        }),
        (limits::KMEANS_SEED, vec!["fit", "--seed"], |v| {
            kmeans(KMeansParams::new(3).seed(v as u64))
        }),
        (limits::OVERSAMPLING, vec!["fit", "--oversampling"], |v| {
            kmeans(parallel(|p| p.oversampling = Oversampling::PerCluster(v)))
        }),
        (limits::ROUNDS, vec!["fit", "--rounds"], |v| {
            kmeans(parallel(|p| p.rounds = Rounds::Fixed(v as usize)))
        }),
        (
            limits::RECLUSTER_N_INIT,
            vec!["fit", "--recluster-n-init"],
            |v| {
                kmeans(parallel(|p| {
                    p.recluster = Recluster::Weighted { n_init: v as usize }
                }))
            },
        ),
        (
            limits::FIT_SAMPLE,
            vec!["dask-script", "--fit-sample"],
            |v| plan(|i| i.fit_sample = Some(v as usize)),
        ),
        (
            limits::SILHOUETTE_SAMPLE,
            vec!["score", "--labels", "l.npy", "--silhouette-sample"],
            |v| plan(|i| i.silhouette_sample = v as usize),
        ),
        (limits::CANVAS_SIDE, vec!["pipeline", "--width"], |v| {
            plan(|i| i.width = v as u32)
        }),
        (
            limits::CANVAS_SIDE.named("height"),
            vec!["pipeline", "--height"],
            |v| plan(|i| i.height = v as u32),
        ),
    ]
}

/// Numbers just outside the range (none below a minimum of 0, which the types hold).
fn outside(l: &Limit) -> Vec<f64> {
    let mut v = vec![l.max() + if l.is_whole() { 1.0 } else { l.max() }];
    if l.min() > 0.0 {
        v.push(if l.is_whole() {
            l.min() - 1.0
        } else {
            -l.min()
        });
    }
    if l.off.is_some() {
        v.push(1.0);
    }
    v
}

#[test]
fn page_cli_and_core_refuse_the_same_values_in_the_same_words() {
    let mut checked = 0;
    for (limit, cli, core) in cases() {
        for value in outside(&limit) {
            let typed = format!("{value}");
            let page = limit.parse(&typed).unwrap_err().to_string();
            assert!(page.contains("is out of range"), "{page}");
            let core = core(value).unwrap_err();
            assert_eq!(core, page, "core and page differ for {}", limit.name);
            let err = cli_refusal(&[&cli[..], &[typed.as_str()]].concat());
            assert!(
                err.contains(&page),
                "CLI {cli:?} {typed}: `{err}` lacks `{page}`"
            );
            checked += 1;
        }
        // Values the core's types cannot hold are refused by the page and the CLI alike.
        let typed = if limit.is_whole() { "2.5" } else { "abc" };
        let page = limit.parse(typed).unwrap_err().to_string();
        let err = cli_refusal(&[&cli[..], &[typed]].concat());
        assert!(err.contains(&page), "CLI {cli:?} {typed}: `{err}`");
    }
    assert!(checked >= 30, "{checked} refusals checked");
}

#[test]
fn help_shows_each_options_range() {
    let out = Command::new(env!("CARGO_BIN_EXE_blobscale"))
        .args(["fit", "--help"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8(out.stdout).unwrap();
    // clap wraps long lines: compare with the whitespace folded.
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    for l in [
        limits::K,
        limits::MAX_ITER,
        limits::TOL,
        limits::N_SAMPLES,
        limits::OVERSAMPLING,
        limits::ROUNDS,
        limits::KMEANS_SEED,
    ] {
        let want = format!("Allowed {}", l.allowed());
        assert!(
            help.contains(&want),
            "`{want}` missing in fit --help:\n{help}"
        );
    }
}
