//! `blobscale dask-script`: print the dask-ml script the page exports for a scenario, given
//! as a `scenario.json` file (the page's export, or bare inputs), as data and fit options,
//! or as a data file (`--input`, read with the page's importer and its options) and fit
//! options. With `--evaluate`, the scenario is first run natively — generated data through
//! the same scenario engine as the page, a file by the same k-means — and its inertia is
//! written into the script's header, so a check can compare the two
//! (scripts/check-dask-export.sh).

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use super::CliError;
use super::args::DaskScriptArgs;
use super::data_source::{blobs_params, import_options};
use super::fit_command::params;
use crate::data::Centers;
use crate::data::import::{FileFormat, import};
use crate::monitor::Unmonitored;
use crate::pipeline::export::{DaskScriptOptions, DataFile, dask_script};
use crate::pipeline::jobs::clock::NoClock;
use crate::pipeline::scenarios::codec::book_from_json;
use crate::pipeline::{Engine, Plan, ScenarioInputs};

/// The memo budget of the one evaluation `--evaluate` runs: it keeps nothing for later.
const EVALUATE_BUDGET_BYTES: usize = 64 << 20;

/// Runs the command; returns the script.
pub fn run(args: DaskScriptArgs) -> Result<String, CliError> {
    let (name, inputs, file) = match (&args.scenario, &args.source.input) {
        (Some(path), _) => {
            let (name, inputs) = read_scenario(path, args.name.clone())?;
            (name, inputs, None)
        }
        (None, Some(path)) => {
            let (inputs, file) = read_file(&args, path)?;
            (
                args.name.clone().unwrap_or(path.clone()),
                inputs,
                Some(file),
            )
        }
        (None, None) => (
            args.name.clone().unwrap_or_else(|| "command line".into()),
            inputs_from_options(&args)?,
            None,
        ),
    };
    let (expected_inertia, data_file) = match file {
        None if args.evaluate => {
            let plan = Plan::new(&inputs).map_err(CliError::run)?;
            let engine = Engine::new(Arc::new(NoClock), EVALUATE_BUDGET_BYTES);
            let ev = engine
                .evaluate_detached(&plan, &AtomicBool::new(false))
                .map_err(CliError::run)?;
            (Some(ev.summary.metrics.inertia), None)
        }
        None => (None, None),
        Some((x, weights, data_file)) => {
            let inertia = if args.evaluate {
                let fit = inputs
                    .kmeans_params()
                    .check()?
                    .fit(&x, weights.as_deref())?;
                Some(fit.inertia)
            } else {
                None
            };
            (inertia, Some(data_file))
        }
    };
    let options = DaskScriptOptions {
        name: Some(name),
        scheduler: args.scheduler,
        expected_inertia,
        data_file,
    };
    dask_script(&inputs, &options).map_err(CliError::run)
}

/// A file's rows, sample weights, and how the script must read it.
type ImportedFile = (crate::data::ChunkedMatrix, Option<Vec<f64>>, DataFile);

/// A data file read with the page's importer (`--delimiter`, `--header`, `--columns`,
/// `--standardise`, as `fit --input` reads them), and the fit options.
fn read_file(
    args: &DaskScriptArgs,
    path: &str,
) -> Result<(ScenarioInputs, ImportedFile), CliError> {
    let chunk_rows = args.source.chunk.chunk_rows;
    let options = import_options(&args.source.import, chunk_rows);
    let bytes = std::fs::read(path).map_err(|e| CliError::run(format!("{path}: {e}")))?;
    let out = import(&bytes, &options, None, &Unmonitored)
        .map_err(|e| CliError::run(format!("{path}: {e}")))?;
    if args.fit_sample.is_some() {
        return Err(CliError::usage(
            "--fit-sample with --input: export the scenario from the page instead",
        ));
    }
    let rows = out.matrix.n_rows();
    let inputs = ScenarioInputs {
        n_samples: rows,
        n_features: out.matrix.n_cols(),
        chunk_rows,
        ..fit_inputs(args, None)?
    };
    let name = std::path::Path::new(path)
        .file_name()
        .map_or(path.to_string(), |n| n.to_string_lossy().into_owned());
    let file = DataFile {
        name,
        format: FileFormat::detect(&bytes),
        options: out.options,
        rows,
    };
    Ok((inputs, (out.matrix, out.weights, file)))
}

/// A scenario file: the page's `scenario.json` (a saved book; the scenario called `name`,
/// or its first) or a bare JSON object of every input.
fn read_scenario(path: &str, name: Option<String>) -> Result<(String, ScenarioInputs), CliError> {
    let text = std::fs::read_to_string(path).map_err(|e| CliError::run(format!("{path}: {e}")))?;
    if let Ok(inputs) = serde_json::from_str::<ScenarioInputs>(&text) {
        return Ok((name.unwrap_or_else(|| path.to_string()), inputs));
    }
    let book = book_from_json(&text).map_err(|e| CliError::run(format!("{path}: {e}")))?;
    let scenario = match &name {
        Some(n) => book.scenarios().iter().find(|s| &s.name == n),
        None => book.scenarios().first(),
    }
    .ok_or_else(|| {
        CliError::run(format!(
            "{path}: no scenario{}",
            name.map_or(String::new(), |n| format!(" named {n:?}"))
        ))
    })?;
    Ok((scenario.name.clone(), scenario.inputs.clone()))
}

/// The fit options exactly as `blobscale fit` reads them (`--k`, `--init` including a
/// centres file, `--oversampling`, `--rounds`, `--max-iter`, `--tol`, `--algorithm`,
/// `--seed`), plus `--fit-sample`, over the default inputs.
fn fit_inputs(args: &DaskScriptArgs, default_k: Option<usize>) -> Result<ScenarioInputs, CliError> {
    let p = params(&args.fit, default_k)?;
    Ok(ScenarioInputs {
        k: p.k,
        init: p.init,
        max_iter: p.max_iter,
        tol: p.tol,
        algorithm: p.algorithm,
        kmeans_seed: p.seed,
        fit_sample: args.fit_sample,
        ..ScenarioInputs::default()
    })
}

/// Inputs from the data options (as `fit` and `generate` read them) and the fit options.
fn inputs_from_options(args: &DaskScriptArgs) -> Result<ScenarioInputs, CliError> {
    let blobs = blobs_params(&args.source.data, args.source.chunk.chunk_rows);
    let n_centers = match &blobs.centers {
        Centers::Count(c) => *c,
        Centers::Points(p) => p.len(),
    };
    Ok(ScenarioInputs {
        n_samples: blobs.n_samples,
        n_features: blobs.n_features,
        centers: blobs.centers,
        cluster_std: blobs.cluster_std,
        center_box: blobs.center_box,
        shuffle: blobs.shuffle,
        data_seed: blobs.seed,
        chunk_rows: blobs.chunk_rows,
        ..fit_inputs(args, Some(n_centers))?
    })
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::super::args::{Cli, Command};
    use super::*;

    fn parse(s: &str) -> DaskScriptArgs {
        let cli = Cli::try_parse_from(std::iter::once("blobscale").chain(s.split_whitespace()))
            .unwrap_or_else(|e| panic!("{e}"));
        match cli.command {
            Command::DaskScript(a) => a,
            other => panic!("not dask-script: {other:?}"),
        }
    }

    #[test]
    fn options_become_the_script_parameters() {
        let a = parse(
            "dask-script --n-samples 5000 --centers 4 --data-seed 9 --k 3 --init k-means++ --fit-sample 900 --scheduler tcp://h:1",
        );
        let s = run(a).unwrap();
        for line in [
            "N_SAMPLES = 5000\n",
            "DATA_SEED = 9\n",
            "K = 3\n",
            "INIT = \"k-means++\"\n",
            "FIT_SAMPLE = 900\n",
            "SCHEDULER = \"tcp://h:1\"",
        ] {
            assert!(s.contains(line), "{line:?} missing");
        }
        assert!(!s.contains("blobscale's inertia"));
    }

    #[test]
    fn evaluate_writes_the_engines_inertia_into_the_header() {
        let a = parse("dask-script --n-samples 3000 --centers 3 --data-seed 4 --evaluate");
        let s = run(a).unwrap();
        let line = s
            .lines()
            .find(|l| l.starts_with("# blobscale's inertia"))
            .expect("inertia line");
        let written: f64 = line.rsplit(' ').next().unwrap().parse().unwrap();
        // The same scenario fitted directly by the core, not through the engine: the header
        // must carry this fit's inertia, to the digits the script prints.
        let data = crate::data::BlobsParams::new(3000)
            .seed(4)
            .check()
            .unwrap()
            .generate();
        let fit = ScenarioInputs::default()
            .kmeans_params()
            .check()
            .unwrap()
            .fit(&data.x, None)
            .unwrap();
        assert!(
            (written - fit.inertia).abs() <= 1e-9 * fit.inertia,
            "header {written}, fit {}",
            fit.inertia
        );
    }

    #[test]
    fn a_file_is_read_with_the_importers_options_and_evaluated() {
        let dir = std::env::temp_dir().join(format!("blobscale-dask-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("pts.csv");
        let mut text = String::from("id;a;b\n");
        for i in 0..400 {
            let c = if i % 2 == 0 { 0.0 } else { 50.0 };
            text.push_str(&format!(
                "{i};{};{}\n",
                c + (i % 7) as f64,
                c - (i % 5) as f64
            ));
        }
        text.push_str("400;oops;1\n");
        std::fs::write(&path, text).unwrap();
        let a = parse(&format!(
            "dask-script --input {} --delimiter semicolon --columns 3,2 --k 2 --evaluate",
            path.display()
        ));
        let s = run(a).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        for line in [
            "DATA_FILE = \"pts.csv\"\n",
            "DELIMITER = \";\"\n",
            "HEADER = True\n",
            "COLUMNS = [2, 1]",
            "N_SAMPLES = 400  # rows blobscale kept",
        ] {
            assert!(s.contains(line), "{line:?} missing in\n{s}");
        }
        assert!(s.contains("# blobscale's inertia for this scenario (every row): "));
        let e = run(parse("dask-script --input x.csv")).unwrap_err();
        assert!(e.message.starts_with("x.csv"), "{}", e.message);
    }

    #[test]
    fn bad_options_are_named() {
        // As in `fit`, an --init that names no method is a file of initial centres.
        let e = run(parse("dask-script --init bogus")).unwrap_err();
        assert!(e.message.starts_with("bogus: "), "{}", e.message);
        let e = Cli::try_parse_from(["blobscale", "dask-script", "--max-iter", "0"]).unwrap_err();
        assert!(
            e.to_string().contains("max_iter = 0 is out of range"),
            "{e}"
        );
        let e = run(parse("dask-script --scenario /nonexistent.json")).unwrap_err();
        assert!(e.message.starts_with("/nonexistent.json"), "{}", e.message);
    }
}
