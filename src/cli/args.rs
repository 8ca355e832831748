//! The command line, declared with clap's derive: every numeric option is parsed by its row
//! of the limits table ([`crate::limits`]), so `--max-iter 0` is refused in the words the
//! page and the core use, and `--help` shows each option's range and default.

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand};

use crate::cluster::Algorithm;
use crate::cluster::sample_fit::{FAISS_REFINE_PASSES, FAISS_ROWS_PER_CENTRE};
use crate::data::import::{DecimalMark, Delimiter, Thousands};
use crate::limits::{self, Limit};

/// A value parser for one row of the limits table, as `usize`.
fn whole(limit: Limit) -> impl Fn(&str) -> Result<usize, String> + Clone + Send + Sync + 'static {
    move |raw| limit.parse_usize(raw).map_err(|e| e.to_string())
}

/// A value parser for one row of the limits table, as `u64` (seeds).
fn seed(limit: Limit) -> impl Fn(&str) -> Result<u64, String> + Clone + Send + Sync + 'static {
    move |raw| limit.parse_u64(raw).map_err(|e| e.to_string())
}

/// A value parser for one row of the limits table, as `f64`.
fn real(limit: Limit) -> impl Fn(&str) -> Result<f64, String> + Clone + Send + Sync + 'static {
    move |raw| limit.parse(raw).map_err(|e| e.to_string())
}

/// `yes` or `no` (also `true` / `false`).
fn yes_no(raw: &str) -> Result<bool, String> {
    match raw {
        "yes" | "true" => Ok(true),
        "no" | "false" => Ok(false),
        _ => Err(format!("{raw}: expected yes or no")),
    }
}

/// `LOW,HIGH`.
fn pair(raw: &str) -> Result<(f64, f64), String> {
    let parts: Vec<f64> = raw
        .split(',')
        .map(|v| v.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|e| format!("{raw}: {e}"))?;
    match parts[..] {
        [lo, hi] => Ok((lo, hi)),
        _ => Err(format!("{raw}: expected LOW,HIGH")),
    }
}

/// One 1-based column number of `--columns 1,3`, returned 0-based.
fn column(raw: &str) -> Result<usize, String> {
    match raw.trim().parse::<usize>() {
        Ok(i) if i >= 1 => Ok(i - 1),
        _ => Err(format!(
            "{raw}: expected 1-based column numbers such as 1,3"
        )),
    }
}

fn delimiter() -> impl TypedValueParser<Value = Delimiter> {
    PossibleValuesParser::new(Delimiter::ALL.map(|d| d.name()))
        .map(|s| Delimiter::from_name(&s).expect("a listed name"))
}

fn decimal() -> impl TypedValueParser<Value = DecimalMark> {
    PossibleValuesParser::new(DecimalMark::ALL.map(|d| d.name()))
        .map(|s| DecimalMark::from_name(&s).expect("a listed name"))
}

fn thousands() -> impl TypedValueParser<Value = Thousands> {
    PossibleValuesParser::new(Thousands::ALL.map(|t| t.name()))
        .map(|s| Thousands::from_name(&s).expect("a listed name"))
}

fn algorithm() -> impl TypedValueParser<Value = Algorithm> {
    PossibleValuesParser::new(Algorithm::NAMES)
        .map(|s| Algorithm::from_name(&s).expect("a listed name"))
}

/// blobscale — how k-means scales, natively: generate or read data (CSV, .npy), fit,
/// predict, score and export, printing one JSON object per run so scripts can compare
/// blobscale with scikit-learn and dask-ml.
#[derive(Debug, Parser)]
#[command(name = "blobscale", version, about, long_about = None)]
#[command(
    after_help = "Errors are one line on stderr; exit code 2 for a bad command line, \
                        1 for anything that fails while running."
)]
pub(crate) struct Cli {
    /// Worker threads.
    #[arg(long, global = true, value_parser = whole(limits::THREADS), help = limits::THREADS.help())]
    pub threads: Option<usize>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Write a blobs dataset (scikit-learn's make_blobs) and its labels to files.
    Generate(GenerateArgs),
    /// Seed and fit k-means; print the model, timings per stage and the ARI when the truth
    /// is known.
    Fit(FitArgs),
    /// Label a dataset against centres read from a file.
    Predict(PredictArgs),
    /// Metrics of given labels: silhouette, Calinski–Harabasz, Davies–Bouldin, ARI.
    Score(ScoreArgs),
    /// The page's whole evaluation natively (generate, seed, fit, metrics, profile,
    /// projection, raster), with each node's time.
    Pipeline(PipelineArgs),
    /// Print the dask-ml script the page exports for a scenario.
    DaskScript(DaskScriptArgs),
}

/// Generated blobs (scikit-learn's `make_blobs`).
#[derive(Debug, Clone, Args)]
pub(crate) struct DataOptions {
    /// Rows.
    #[arg(long, default_value = "100", value_parser = whole(limits::N_SAMPLES), help = limits::N_SAMPLES.help())]
    pub n_samples: usize,
    /// Columns.
    #[arg(long, default_value = "2", value_parser = whole(limits::N_FEATURES), help = limits::N_FEATURES.help())]
    pub n_features: usize,
    /// Blobs.
    #[arg(long, default_value = "3", value_parser = whole(limits::CENTERS), help = limits::CENTERS.help())]
    pub centers: usize,
    /// Standard deviation of each blob.
    #[arg(long, allow_negative_numbers = true, default_value = "1.0", value_parser = real(limits::CLUSTER_STD), help = limits::CLUSTER_STD.help())]
    pub cluster_std: f64,
    /// The box blob centres are drawn in.
    #[arg(long, value_name = "LOW,HIGH", default_value = "-10,10", value_parser = pair, allow_hyphen_values = true)]
    pub center_box: (f64, f64),
    /// Keep rows in blob order (make_blobs shuffle=False).
    #[arg(long)]
    pub no_shuffle: bool,
    /// Seed of the dataset.
    #[arg(long, default_value = "0", value_parser = seed(limits::DATA_SEED), help = limits::DATA_SEED.help())]
    pub data_seed: u64,
}

/// Rows per chunk, shared by generated and imported data.
#[derive(Debug, Clone, Args)]
pub(crate) struct ChunkOption {
    /// Rows per chunk.
    #[arg(long, default_value = "16384", value_parser = whole(limits::CHUNK_ROWS), help = limits::CHUNK_ROWS.help())]
    pub chunk_rows: usize,
}

/// How a CSV or `.npy` file is read (the page's importer; detected when absent).
#[derive(Debug, Clone, Args)]
pub(crate) struct ImportArgs {
    /// The CSV field delimiter.
    #[arg(long, value_parser = delimiter())]
    pub delimiter: Option<Delimiter>,
    /// Whether the first line is a header.
    #[arg(long, value_name = "yes|no", value_parser = yes_no)]
    pub header: Option<bool>,
    /// The decimal mark (pandas' `decimal`).
    #[arg(long, value_parser = decimal())]
    pub decimal: Option<DecimalMark>,
    /// The thousands separator (pandas' `thousands`).
    #[arg(long, value_parser = thousands())]
    pub thousands: Option<Thousands>,
    /// A column (1-based) holding each row's class, integers or strings: ground truth for
    /// the adjusted Rand index, not a feature.
    #[arg(long, value_name = "N", value_parser = column)]
    pub truth_column: Option<usize>,
    /// A column (1-based) holding each row's sample weight (≥ 0), as scikit-learn's
    /// `sample_weight`: not a feature; the seeding, Lloyd and the inertia weigh each row.
    #[arg(long, value_name = "N", value_parser = column)]
    pub weight_column: Option<usize>,
    /// Columns to use, 1-based (every numeric column when absent).
    #[arg(long, value_name = "1,3", value_delimiter = ',', value_parser = column)]
    pub columns: Option<Vec<usize>>,
    /// Standardise every column to mean 0 and variance 1.
    #[arg(long, value_name = "yes|no", value_parser = yes_no, default_value = "no", action = clap::ArgAction::Set)]
    pub standardise: bool,
}

/// Where a command's data come from: `--input FILE` or generated blobs.
#[derive(Debug, Clone, Args)]
pub(crate) struct SourceArgs {
    /// A data file (.npy float32/float64 matrix, or .csv); generated blobs when absent.
    #[arg(long, value_name = "FILE")]
    pub input: Option<String>,
    /// Ground-truth labels, one per row (.npy integers or .csv).
    #[arg(long, value_name = "FILE")]
    pub truth: Option<String>,
    #[command(flatten)]
    pub import: ImportArgs,
    #[command(flatten)]
    pub data: DataOptions,
    #[command(flatten)]
    pub chunk: ChunkOption,
}

/// k-means.
#[derive(Debug, Clone, Args)]
pub(crate) struct FitOptions {
    /// Clusters to find (default: the number of generated centres; required with --input).
    #[arg(long, value_parser = whole(limits::K), help = limits::K.help())]
    pub k: Option<usize>,
    /// Seeding: k-means||, dask-ml, k-means++, random, or a file of initial centres
    /// (scikit-learn's init=ndarray).
    #[arg(long, value_name = "METHOD|FILE", default_value = "k-means||")]
    pub init: String,
    /// k-means|| candidates per round, × k.
    #[arg(long, allow_negative_numbers = true, value_parser = real(limits::OVERSAMPLING), help = limits::OVERSAMPLING.help())]
    pub oversampling: Option<f64>,
    /// k-means|| rounds.
    #[arg(long, value_parser = whole(limits::ROUNDS), help = limits::ROUNDS.help())]
    pub rounds: Option<usize>,
    /// Restarts of the recluster of the k-means|| candidates.
    #[arg(long, value_parser = whole(limits::RECLUSTER_N_INIT), help = limits::RECLUSTER_N_INIT.help())]
    pub recluster_n_init: Option<usize>,
    /// Most Lloyd iterations.
    #[arg(long, default_value = "300", value_parser = whole(limits::MAX_ITER), help = limits::MAX_ITER.help())]
    pub max_iter: usize,
    /// Relative tolerance.
    #[arg(long, allow_negative_numbers = true, default_value = "0.0001", value_parser = real(limits::TOL), help = limits::TOL.help())]
    pub tol: f64,
    /// The Lloyd variant.
    #[arg(long, default_value = "lloyd", value_parser = algorithm())]
    pub algorithm: Algorithm,
    /// Seed of k-means.
    #[arg(long, default_value = "0", value_parser = seed(limits::KMEANS_SEED), help = limits::KMEANS_SEED.help())]
    pub seed: u64,
}

/// `blobscale generate`.
#[derive(Debug, Args)]
pub(crate) struct GenerateArgs {
    /// The data file to write (.npy or .csv).
    #[arg(long, value_name = "FILE")]
    pub out: String,
    /// Where to write the true labels.
    #[arg(long, value_name = "FILE")]
    pub labels_out: Option<String>,
    #[command(flatten)]
    pub data: DataOptions,
    #[command(flatten)]
    pub chunk: ChunkOption,
}

/// `blobscale fit`.
#[derive(Debug, Args)]
pub(crate) struct FitArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    #[command(flatten)]
    pub fit: FitOptions,
    /// Where to write the labels.
    #[arg(long, value_name = "FILE")]
    pub labels_out: Option<String>,
    /// Where to write the centres.
    #[arg(long, value_name = "FILE")]
    pub centres_out: Option<String>,
    /// Train on a seeded sample first: this many rows, or `faiss` for faiss's default of
    /// 256 rows per centre; then --refine-passes Lloyd passes over every row.
    #[arg(long, value_name = "ROWS|faiss", value_parser = sample_size)]
    pub fit_sample: Option<SampleSize>,
    /// Lloyd passes over every row after a --fit-sample fit (1 to 10000).
    #[arg(long, default_value_t = FAISS_REFINE_PASSES, requires = "fit_sample", value_parser = whole(limits::MAX_ITER.named("refine-passes")))]
    pub refine_passes: usize,
}

/// The size of `fit --fit-sample`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SampleSize {
    /// This many rows.
    Rows(usize),
    /// faiss's default, 256 rows per centre.
    Faiss,
}

impl SampleSize {
    /// Rows drawn for `k` clusters.
    pub(crate) fn rows(self, k: usize) -> usize {
        match self {
            SampleSize::Rows(rows) => rows,
            SampleSize::Faiss => FAISS_ROWS_PER_CENTRE.saturating_mul(k),
        }
    }
}

/// `faiss` or a number of rows within [`limits::FIT_SAMPLE`].
fn sample_size(raw: &str) -> Result<SampleSize, String> {
    if raw == "faiss" {
        return Ok(SampleSize::Faiss);
    }
    whole(limits::FIT_SAMPLE)(raw)
        .map(SampleSize::Rows)
        .map_err(|e| format!("{e} (or faiss: {FAISS_ROWS_PER_CENTRE} rows per centre)"))
}

/// `blobscale predict`.
#[derive(Debug, Args)]
pub(crate) struct PredictArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// The centres, one per row (.npy or .csv).
    #[arg(long, value_name = "FILE")]
    pub centres: String,
    /// Where to write the labels.
    #[arg(long, value_name = "FILE")]
    pub labels_out: Option<String>,
}

/// `blobscale score`.
#[derive(Debug, Args)]
pub(crate) struct ScoreArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// The labels to score, one per row.
    #[arg(long, value_name = "FILE")]
    pub labels: String,
    /// Rows the silhouette is computed on (5000 when there are more rows).
    #[arg(long, value_parser = whole(limits::SILHOUETTE_SAMPLE), help = limits::SILHOUETTE_SAMPLE.help())]
    pub silhouette_sample: Option<usize>,
    /// Seed of the silhouette sample.
    #[arg(long, default_value = "0", value_parser = seed(limits::KMEANS_SEED))]
    pub seed: u64,
}

/// `blobscale pipeline`.
#[derive(Debug, Args)]
pub(crate) struct PipelineArgs {
    #[command(flatten)]
    pub data: DataOptions,
    #[command(flatten)]
    pub chunk: ChunkOption,
    #[command(flatten)]
    pub fit: FitOptions,
    /// Canvas width, pixels.
    #[arg(long, default_value = "640", value_parser = whole(limits::CANVAS_SIDE), help = limits::CANVAS_SIDE.help())]
    pub width: usize,
    /// Canvas height, pixels.
    #[arg(long, default_value = "480", value_parser = whole(limits::CANVAS_SIDE.named("height")), help = limits::CANVAS_SIDE.named("height").help())]
    pub height: usize,
    /// Evaluations, on data seeds S, S+1, …
    #[arg(long, default_value = "1", value_parser = whole(limits::REPEAT), help = limits::REPEAT.help())]
    pub repeat: usize,
}

/// `blobscale dask-script`.
#[derive(Debug, Args)]
pub(crate) struct DaskScriptArgs {
    /// A scenario.json (the page's export, or bare inputs).
    #[arg(long, value_name = "FILE", conflicts_with = "input")]
    pub scenario: Option<String>,
    /// The scenario's name (in a scenario file: which scenario).
    #[arg(long)]
    pub name: Option<String>,
    #[command(flatten)]
    pub source: SourceArgs,
    #[command(flatten)]
    pub fit: FitOptions,
    /// Fit on a seeded sample of this many rows, then predict every row.
    #[arg(long, value_parser = whole(limits::FIT_SAMPLE), help = limits::FIT_SAMPLE.help())]
    pub fit_sample: Option<usize>,
    /// The Dask scheduler the script connects to.
    #[arg(long, value_name = "ADDRESS")]
    pub scheduler: Option<String>,
    /// Run the scenario natively first and write its inertia into the script's header.
    #[arg(long)]
    pub evaluate: bool,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn the_declaration_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn options_parse_into_typed_values() {
        let cli = Cli::try_parse_from([
            "blobscale",
            "fit",
            "--k",
            "3",
            "--tol=0.5",
            "--no-shuffle",
            "--center-box",
            "-5,5",
            "--algorithm",
            "hamerly",
        ])
        .unwrap();
        let Command::Fit(a) = cli.command else {
            panic!("fit")
        };
        assert_eq!(a.fit.k, Some(3));
        assert_eq!(a.fit.tol, 0.5);
        assert!(a.source.data.no_shuffle);
        assert_eq!(a.source.data.center_box, (-5.0, 5.0));
        assert_eq!(a.fit.algorithm, Algorithm::Hamerly);
        assert_eq!(a.fit.max_iter, 300);
        assert!(!a.source.import.standardise);
        let cli = Cli::try_parse_from([
            "blobscale",
            "fit",
            "--standardise",
            "yes",
            "--header",
            "no",
            "--columns",
            "3,1",
        ])
        .unwrap();
        let Command::Fit(a) = cli.command else {
            panic!("fit")
        };
        assert!(a.source.import.standardise);
        assert_eq!(a.source.import.header, Some(false));
        assert_eq!(a.source.import.columns, Some(vec![2, 0]));
    }

    #[test]
    fn refusals_use_the_limits_tables_words() {
        let e = Cli::try_parse_from(["blobscale", "fit", "--max-iter", "0"]).unwrap_err();
        assert!(
            e.to_string()
                .contains("max_iter = 0 is out of range: allowed 1 ..= 10000"),
            "{e}"
        );
        let e = Cli::try_parse_from(["blobscale", "fit", "--bogus", "1"]).unwrap_err();
        assert_eq!(e.kind(), clap::error::ErrorKind::UnknownArgument);
    }
}
