//! The native command-line tool: generate or read data (CSV, `.npy`), fit, predict, score
//! and export, printing one JSON object per run so scripts can compare blobscale with
//! scikit-learn and dask-ml (ARCHITECTURE.md §12). Errors are one line on stderr and a non-zero
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

use clap::Parser;

use args::{Cli, Command};

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

/// Runs the CLI with `args` (program name excluded) and returns the process exit code.
pub fn run(args: impl Iterator<Item = std::ffi::OsString>) -> i32 {
    let cli = match Cli::try_parse_from(std::iter::once("blobscale".into()).chain(args)) {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with 0; a bad command line to stderr with 2.
            let _ = e.print();
            return e.exit_code();
        }
    };
    match run_command(cli) {
        Ok(text) => {
            println!("{text}");
            0
        }
        Err(e) => {
            eprintln!("blobscale: error: {}", e.message);
            if e.usage { 2 } else { 1 }
        }
    }
}

fn run_command(cli: Cli) -> Result<String, CliError> {
    if let Some(t) = cli.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(t)
            .build_global()
            .map_err(CliError::run)?;
    }
    let out = match cli.command {
        Command::Generate(a) => generate_command::run(a)?,
        Command::Fit(a) => fit_command::run(a)?,
        Command::Predict(a) => predict_command::run(a)?,
        Command::Score(a) => score_command::run(a)?,
        Command::Pipeline(a) => pipeline_command::run(a)?,
        Command::DaskScript(a) => return dask_script_command::run(a),
    };
    Ok(serde_json::to_string_pretty(&out).expect("JSON values serialise"))
}
