//! The native command-line tool: generate or read data (CSV, `.npy`), fit, predict, score
//! and export, printing one JSON object per run so scripts can compare blobscale with
//! scikit-learn and dask-ml (DESIGN §7). Errors are one line on stderr and a non-zero
//! exit code: 2 for a bad command line, 1 for anything that fails while running.

mod args;
mod dask_script_command;
mod data_source;
mod files;
mod fit_command;
mod generate_command;
mod pipeline_command;
mod predict_command;
mod score_command;
mod stage_clock;

use args::Args;

/// What went wrong, as the one line the user sees, and whether it was the command line.
#[derive(Debug)]
pub(crate) struct CliError {
    message: String,
    usage: bool,
}

impl CliError {
    /// A bad command line (exit code 2).
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            usage: true,
        }
    }
    /// A failure while running (exit code 1).
    pub(crate) fn run(message: impl std::fmt::Display) -> Self {
        Self {
            message: message.to_string(),
            usage: false,
        }
    }
}

impl From<crate::cluster::ClusterError> for CliError {
    fn from(e: crate::cluster::ClusterError) -> Self {
        CliError::run(e)
    }
}

impl From<crate::data::DataError> for CliError {
    fn from(e: crate::data::DataError) -> Self {
        CliError::run(e)
    }
}

const USAGE: &str = "\
blobscale — how k-means scales (native CLI)

USAGE:
  blobscale generate --out FILE [--labels-out FILE] [DATA OPTIONS]
  blobscale fit      [--input FILE | DATA OPTIONS] [--k K] [FIT OPTIONS] [--truth FILE]
                     [--labels-out FILE] [--centres-out FILE]
  blobscale predict  --input FILE --centres FILE [--labels-out FILE]
  blobscale score    --input FILE --labels FILE [--truth FILE] [--silhouette-sample M] [--seed S]
  blobscale pipeline [DATA OPTIONS] [--k K] [FIT OPTIONS] [--width W] [--height H] [--repeat N]
                     (the page's whole evaluation, natively, with each node's time; runs use
                      data seeds S, S+1, …)
  blobscale dask-script [--scenario FILE [--name NAME] | DATA OPTIONS FIT OPTIONS --fit-sample M
                     | --input FILE [--delimiter D] [--header yes|no] [--columns 1,3]
                       [--standardise yes|no] FIT OPTIONS]
                     [--scheduler ADDRESS] [--evaluate]   (prints the page's dask-ml script)

DATA OPTIONS (blobs, scikit-learn's make_blobs):
  --n-samples N (100)  --n-features D (2)  --centers C (3)  --cluster-std S (1.0)
  --center-box LO,HI (-10,10)  --no-shuffle  --data-seed S (0)  --chunk-rows R (16384)

FIT OPTIONS:
  --k K (default: the number of centres)  --init random|k-means++|k-means|||dask-ml|FILE
  --oversampling F (× k, 2)  --rounds R (2)  --recluster-n-init N (8)
  --max-iter N (300)  --tol T (1e-4)  --algorithm lloyd|hamerly  --seed S (0)
  --threads N (all cores)

FILES: .npy (float32/float64 matrices, integer labels) or .csv (no header, or a header
line that is skipped; labels one per line). Output is one JSON object on stdout.
";

/// Runs the CLI with `args` (program name excluded) and returns the process exit code.
pub fn run(args: impl Iterator<Item = std::ffi::OsString>) -> i32 {
    match run_inner(args) {
        Ok(json) => {
            println!("{json}");
            0
        }
        Err(e) => {
            eprintln!("blobscale: error: {}", e.message);
            if e.usage {
                eprintln!("run `blobscale help` for usage");
                2
            } else {
                1
            }
        }
    }
}

fn run_inner(args: impl Iterator<Item = std::ffi::OsString>) -> Result<String, CliError> {
    let mut args = Args::parse(args)?;
    let Some(command) = args.command.clone() else {
        return Err(CliError::usage(
            "missing command (generate, fit, predict, score, pipeline)",
        ));
    };
    if command == "help" || args.flag("help") {
        print!("{USAGE}");
        std::process::exit(0);
    }
    if let Some(t) = args.opt::<usize>("threads")? {
        if t == 0 {
            return Err(CliError::usage(
                "--threads = 0 is out of range: allowed 1 ..= 1024",
            ));
        }
        rayon::ThreadPoolBuilder::new()
            .num_threads(t)
            .build_global()
            .map_err(CliError::run)?;
    }
    let out = match command.as_str() {
        "generate" => generate_command::run(&mut args)?,
        "fit" => fit_command::run(&mut args)?,
        "predict" => predict_command::run(&mut args)?,
        "score" => score_command::run(&mut args)?,
        "pipeline" => pipeline_command::run(&mut args)?,
        "dask-script" => {
            let script = dask_script_command::run(&mut args)?;
            args.finish()?;
            return Ok(script);
        }
        other => {
            return Err(CliError::usage(format!(
                "unknown command `{other}` (expected generate, fit, predict, score or pipeline)"
            )));
        }
    };
    args.finish()?;
    Ok(serde_json::to_string_pretty(&out).expect("JSON values serialise"))
}
