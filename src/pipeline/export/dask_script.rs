//! `blobscale_dask.py`: a Python script that reproduces a scenario with dask-ml on a Dask
//! cluster — the scale-out path for users who outgrow one browser (ARCHITECTURE.md §12).
//!
//! The script generates the data with `dask_ml.datasets.make_blobs` from the scenario's
//! parameters and its *true centres* (passed explicitly: blobscale's keyed generator is not
//! NumPy's, so centres drawn from the seed would differ), so the rows are an equivalent
//! draw from the same distribution, not the same bytes. It then fits
//! `dask_ml.cluster.KMeans` (dask-ml 2025.1, `dask_ml/cluster/k_means.py`) with the same
//! seeding choice, k, max_iter, tolerance and seed on float32 data — on a seeded sample
//! followed by predict on every row when the scenario fits on a sample (dask-ml's
//! `ParallelPostFit` pattern) — and prints one JSON line
//! `{"inertia": …, "n_iter": …, "seconds": …}`, the inertia recomputed in float64 from the
//! labels and centres over every row (the page's metrics inertia).
//!
//! For a scenario on an imported file ([`DataFile`]), the script reads the same file with
//! pandas or NumPy — same delimiter, header, columns and standardisation, bad rows excluded
//! — instead of generating blobs.
//!
//! Where dask-ml's semantics differ from blobscale's, the script converts or says so:
//! - `oversampling_factor` is ℓ itself in dask-ml (`p = ℓ·d²/φ` in `_sample_points`), while
//!   blobscale's ℓ is usually a multiple of k: the script passes ℓ.
//! - dask-ml's `tol` is absolute on the squared centre shift; blobscale's (scikit-learn's)
//!   is relative to the mean feature variance: the script multiplies by the variance.
//! - dask-ml's k-means|| always starts from row 0 and reclusters the candidates unweighted;
//!   its `init_max_iter` caps `round(ln φ)` rounds; its k-means++ is scikit-learn's greedy
//!   one with `2 + ln k` trials; it runs plain Lloyd (`algorithm="full"`; Hamerly gives
//!   Lloyd's result). These are noted in the script's header.

use std::fmt::Write as _;

use super::python_literal::{comment_text, py_float, py_floats, py_str};
use crate::cluster::{Algorithm, FirstCenter, Init, Oversampling, Recluster, Rounds};
use crate::data::ClusterStd;
use crate::data::import::{Delimiter, FileFormat, ImportOptions, NumberFormat, Thousands};
use crate::limits::LimitError;
use crate::pipeline::{PipelineError, Plan, ScenarioInputs};

/// Versions the project runs the exported script with (`scripts/requirements-dask-export.txt`).
pub const TESTED_WITH: &str =
    "dask 2026.8.0, distributed 2026.8.0, dask-ml 2025.1.0, scikit-learn 1.9.1, numpy 2.4.6";

/// What the script says besides the scenario.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DaskScriptOptions {
    /// The scenario's name, for the header.
    pub name: Option<String>,
    /// A scheduler address used when `--scheduler` is not given (`None`: the script starts
    /// a `dask.distributed.LocalCluster`).
    pub scheduler: Option<String>,
    /// blobscale's inertia for the scenario, quoted in the header for comparison.
    pub expected_inertia: Option<f64>,
    /// The imported file the scenario's data came from (`None`: generated blobs).
    pub data_file: Option<DataFile>,
}

/// An imported file, as the script must read it to get the rows blobscale clustered.
#[derive(Debug, Clone, PartialEq)]
pub struct DataFile {
    /// The file's name; the script looks for it next to itself, or takes `--data PATH`.
    pub name: String,
    /// CSV or `.npy`.
    pub format: FileFormat,
    /// The options in effect: detected delimiter and header, chosen columns, standardisation
    /// ([`crate::data::import::Imported::options`]).
    pub options: ImportOptions,
    /// Rows blobscale kept (rows with a missing or non-numeric value are excluded).
    pub rows: usize,
}

/// How the scenario's seeding maps to dask-ml's `KMeans` arguments.
struct SeedingArgs {
    init: String,
    oversampling_factor: f64,
    init_max_iter: String,
    notes: Vec<String>,
}

fn seeding_args(inputs: &ScenarioInputs) -> SeedingArgs {
    let k = inputs.k as f64;
    match &inputs.init {
        Init::KMeansParallel(p) => {
            let ell = match p.oversampling {
                Oversampling::PerCluster(f) => f * k,
                Oversampling::Absolute(a) => a,
            };
            let mut notes = vec![match p.oversampling {
                Oversampling::PerCluster(f) => format!(
                    "k-means||: l = {} x k = {} candidates per round; dask-ml's oversampling_factor is l itself, not a multiple of k.",
                    py_float(f),
                    py_float(ell)
                ),
                Oversampling::Absolute(_) => format!(
                    "k-means||: l = {} candidates per round (dask-ml's oversampling_factor).",
                    py_float(ell)
                ),
            }];
            let init_max_iter = match p.rounds {
                Rounds::Fixed(r) => {
                    notes.push(format!(
                        "{r} rounds; dask-ml runs min(init_max_iter, round(ln phi)) rounds."
                    ));
                    r.to_string()
                }
                Rounds::LnCost => {
                    notes.push("round(ln phi) rounds, as dask-ml does by default.".into());
                    "None".into()
                }
            };
            if p.first != FirstCenter::Row(0) {
                notes.push(
                    "blobscale draws the first centre at random; dask-ml always starts from row 0."
                        .into(),
                );
            }
            if let Recluster::Weighted { n_init } = p.recluster {
                notes.push(format!(
                    "blobscale reclusters the candidates weighted by the rows closest to each (best of {n_init}); dask-ml reclusters them unweighted with scikit-learn's KMeans."
                ));
            }
            SeedingArgs {
                init: py_str("k-means||"),
                oversampling_factor: ell,
                init_max_iter,
                notes,
            }
        }
        Init::KMeansPlusPlus { n_local_trials } => SeedingArgs {
            init: py_str("k-means++"),
            oversampling_factor: 2.0,
            init_max_iter: "None".into(),
            notes: vec![match n_local_trials {
                None => "greedy k-means++ with 2 + ln k trials per step: scikit-learn's, called directly (dask-ml 2025.1's own call fails with current scikit-learn).".into(),
                Some(n) => format!(
                    "blobscale tries {n} candidates per k-means++ step; dask-ml uses scikit-learn's 2 + ln k."
                ),
            }],
        },
        Init::Random => SeedingArgs {
            init: py_str("random"),
            oversampling_factor: 2.0,
            init_max_iter: "None".into(),
            notes: vec!["k distinct rows chosen at random.".into()],
        },
        Init::Centers(rows) => SeedingArgs {
            init: format!(
                "np.array([{}], dtype=np.float64)",
                rows.iter()
                    .map(|r| py_floats(r))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            oversampling_factor: 2.0,
            init_max_iter: "None".into(),
            notes: vec!["explicit initial centres.".into()],
        },
    }
}

/// The Python script reproducing `inputs` with dask-ml; fails on inputs the page would
/// refuse, naming the value.
pub fn dask_script(
    inputs: &ScenarioInputs,
    extra: &DaskScriptOptions,
) -> Result<String, PipelineError> {
    let plan = Plan::new(inputs)?;
    if let (Some(source), None) = (inputs.imported(), &extra.data_file) {
        // A script generating blobs for it would cluster other data.
        return Err(PipelineError::Limit(LimitError::out_of_range(
            "data source",
            format!(
                "the imported file {:?} without its import options",
                source.name
            ),
            "generated blobs, or the file with the options it was imported with",
        )));
    }
    let centres = plan.blobs().centers();
    let seeding = seeding_args(inputs);
    let mut s = String::new();
    let name = extra.name.as_deref().unwrap_or("scenario");
    // Writing to a String cannot fail.
    let _ = writeln!(s, "#!/usr/bin/env python3");
    let _ = writeln!(
        s,
        "# blobscale {name}, reproduced with dask-ml on a Dask cluster.",
        name = comment_text(&format!("scenario \"{name}\""))
    );
    let _ = writeln!(
        s,
        "# Exported by blobscale {}. Prints one JSON line: {{\"inertia\": ..., \"n_iter\": ..., \"seconds\": ...}}.",
        env!("CARGO_PKG_VERSION")
    );
    s.push_str(HEADER);
    let _ = writeln!(s, "#   {TESTED_WITH}.");
    s.push_str(match extra.data_file {
        None => DATA_NOTE,
        Some(_) => FILE_NOTE,
    });
    for note in &seeding.notes {
        let _ = writeln!(s, "#   - {}", comment_text(note));
    }
    if inputs.algorithm == Algorithm::Hamerly {
        let _ = writeln!(
            s,
            "#   - blobscale ran Hamerly's bounds, which give Lloyd's result; dask-ml runs Lloyd (\"full\")."
        );
    }
    let n_rows = extra
        .data_file
        .as_ref()
        .map_or(inputs.n_samples, |f| f.rows);
    if let Some(m) = inputs.fit_sample.filter(|&m| m < n_rows) {
        let _ = writeln!(
            s,
            "#   - fitted on a seeded sample of {m} rows, then every row predicted (dask-ml's ParallelPostFit pattern); the sample is drawn with NumPy, not blobscale's keyed permutation."
        );
    }
    if let Some(inertia) = extra.expected_inertia {
        let _ = writeln!(
            s,
            "# blobscale's inertia for this scenario (every row): {}",
            py_float(inertia)
        );
    }
    s.push_str(IMPORTS);
    s.push_str("# The scenario, in blobscale's parameter names.\n");
    match &extra.data_file {
        None => blobs_constants(&mut s, inputs, centres),
        Some(f) => file_constants(&mut s, f),
    }
    let _ = writeln!(s, "CHUNK_ROWS = {}", inputs.chunk_rows);
    let _ = writeln!(s, "K = {}", inputs.k);
    let _ = writeln!(s, "INIT = {}", seeding.init);
    let _ = writeln!(
        s,
        "OVERSAMPLING_FACTOR = {}",
        py_float(seeding.oversampling_factor)
    );
    let _ = writeln!(s, "INIT_MAX_ITER = {}", seeding.init_max_iter);
    let _ = writeln!(s, "MAX_ITER = {}", inputs.max_iter);
    let _ = writeln!(
        s,
        "TOL = {}  # relative to the mean feature variance (scikit-learn's meaning)",
        py_float(inputs.tol)
    );
    let _ = writeln!(s, "KMEANS_SEED = {}", inputs.kmeans_seed);
    let _ = writeln!(
        s,
        "FIT_SAMPLE = {}",
        match inputs.fit_sample {
            Some(m) => m.to_string(),
            None => "None".into(),
        }
    );
    let _ = writeln!(
        s,
        "SCHEDULER = {}  # or run with --scheduler tcp://HOST:8786",
        match &extra.scheduler {
            Some(a) => py_str(a),
            None => "None".into(),
        }
    );
    s.push_str(match extra.data_file {
        None => LOAD_BLOBS,
        Some(_) => LOAD_FILE,
    });
    s.push_str(MAIN);
    Ok(s)
}

/// The dataset parameters of generated blobs.
fn blobs_constants(s: &mut String, inputs: &ScenarioInputs, centres: &ndarray::Array2<f64>) {
    let _ = writeln!(s, "N_SAMPLES = {}", inputs.n_samples);
    let centre_rows: Vec<String> = centres
        .rows()
        .into_iter()
        .map(|r| format!("    {},", py_floats(&r.to_vec())))
        .collect();
    let _ = writeln!(
        s,
        "# The true centres ({} x {}), as the page generated them.\nCENTERS = np.array([\n{}\n], dtype=np.float64)",
        centres.nrows(),
        centres.ncols(),
        centre_rows.join("\n")
    );
    let std = match &inputs.cluster_std {
        ClusterStd::Scalar(v) => py_float(*v),
        ClusterStd::PerCenter(v) => py_floats(v),
    };
    let _ = writeln!(s, "CLUSTER_STD = {std}");
    let _ = writeln!(
        s,
        "CENTER_BOX = ({}, {})  # unused: the centres are given",
        py_float(inputs.center_box.0),
        py_float(inputs.center_box.1)
    );
    let _ = writeln!(
        s,
        "SHUFFLE = {}",
        if inputs.shuffle { "True" } else { "False" }
    );
    let _ = writeln!(s, "DATA_SEED = {}", inputs.data_seed);
    let _ = writeln!(s, "DATA_FILE = None");
}

/// How to read the imported file.
fn file_constants(s: &mut String, f: &DataFile) {
    let o = &f.options;
    let _ = writeln!(s, "DATA_FILE = {}", py_str(&f.name));
    let _ = writeln!(
        s,
        "FORMAT = {}",
        py_str(match f.format {
            FileFormat::Csv => "csv",
            FileFormat::Npy => "npy",
        })
    );
    let delimiter = match o.delimiter {
        None => "None  # detected by pandas".to_string(),
        Some(Delimiter::Space) => "r\"\\s+\"  # one or more spaces".to_string(),
        Some(d) => py_str(&(d.byte() as char).to_string()),
    };
    let _ = writeln!(s, "DELIMITER = {delimiter}");
    let _ = writeln!(
        s,
        "HEADER = {}",
        match o.header {
            Some(true) => "True",
            Some(false) => "False",
            None => "None  # detected by pandas",
        }
    );
    let columns = match &o.columns {
        Some(c) => format!(
            "[{}]  # 0-based, in this order",
            c.iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None => "None  # every column".into(),
    };
    let _ = writeln!(s, "COLUMNS = {columns}");
    let format = NumberFormat {
        decimal: o.decimal.unwrap_or_default(),
        thousands: o.thousands.unwrap_or_default(),
    };
    let _ = writeln!(
        s,
        "DECIMAL = {}",
        py_str(&(format.decimal.byte() as char).to_string())
    );
    let thousands: &[&str] = match format.thousands {
        Thousands::None => &[],
        Thousands::Comma => &[","],
        Thousands::Point => &["."],
        Thousands::Space => &[" ", "\u{a0}", "\u{202f}"],
        Thousands::Apostrophe => &["'"],
    };
    let _ = writeln!(
        s,
        "THOUSANDS = [{}]  # separators dropped from numbers",
        thousands
            .iter()
            .map(|t| py_str(t))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(
        s,
        "WEIGHT_COLUMN = {}",
        o.weight_column.map_or("None".to_string(), |w| format!(
            "{w}  # 0-based: each row's sample weight"
        ))
    );
    let _ = writeln!(
        s,
        "TRUTH_COLUMN = {}",
        o.truth_column.map_or("None".to_string(), |t| format!(
            "{t}  # 0-based: each row's class, for the adjusted Rand index"
        ))
    );
    let _ = writeln!(
        s,
        "STANDARDISE = {}",
        if o.standardise { "True" } else { "False" }
    );
    let _ = writeln!(s, "N_SAMPLES = {}  # rows blobscale kept", f.rows);
}

const HEADER: &str = r#"#
# Run:
#   python3 blobscale_dask.py                                # a dask.distributed LocalCluster here
#   python3 blobscale_dask.py --scheduler tcp://HOST:8786    # an existing Dask cluster
# Needs dask[distributed], dask-ml, scikit-learn, numpy and pandas; blobscale tests it with
"#;

const DATA_NOTE: &str = r#"#
# The data: dask_ml.datasets.make_blobs with the scenario's n_samples, cluster_std, chunks =
# chunk_rows and random_state = the data seed, and the scenario's true centres passed
# explicitly (blobscale's keyed generator is not NumPy's, so centres drawn from the seed would
# differ). The rows are an equivalent draw from the same distribution, not the same bytes as
# in the browser: inertia agrees to sampling noise (well under 1 % from 100,000 rows), not to
# the last digit. (With explicit centres dask-ml seeds chunk i with random_state = i.)
# The model: dask_ml.cluster.KMeans on float32 with the same k, max_iter, tol and seed.
#   - seconds = fit + predict + inertia, after the data are generated and held by the workers.
"#;

const FILE_NOTE: &str = r#"#
# The data: the file the scenario imported, read with the same delimiter, header, columns and
# standardisation; rows with a missing or non-numeric value are excluded, as blobscale does.
# The rows are the same, so inertia agrees closely (float32 parsing and summation order aside).
# The model: dask_ml.cluster.KMeans on float32 with the same k, max_iter, tol and seed.
#   - seconds = fit + predict + inertia, after the data are held by the workers.
"#;

const IMPORTS: &str = r#"
import argparse
import json
import os
import time

import numpy as np
import dask.array as da
from dask.distributed import Client, LocalCluster, wait
from dask_ml.cluster import KMeans
from dask_ml.datasets import make_blobs

"#;

const LOAD_BLOBS: &str = r#"

def load_data(path):
    """The dataset as a float32 dask array of CHUNK_ROWS-row chunks, and its true labels."""
    d = CENTERS.shape[1]
    x, y = make_blobs(
        n_samples=N_SAMPLES,
        n_features=d,
        centers=CENTERS,
        cluster_std=CLUSTER_STD,
        center_box=CENTER_BOX,
        shuffle=SHUFFLE,
        random_state=DATA_SEED % 2**32,  # NumPy seeds are 32-bit
        chunks=(CHUNK_ROWS, d),
    )
    return x.astype(np.float32), y, None
"#;

const LOAD_FILE: &str = r##"

def load_data(path):
    """The file as blobscale imported it, as a float32 dask array of CHUNK_ROWS-row chunks: the
    same columns in the same order, rows with a missing or non-numeric value excluded (blobscale
    lists them), the same standardisation (z-scores with the population standard deviation, as
    scikit-learn's StandardScaler; a constant column is centred, not scaled). The file is read
    by this process (it fit in a browser tab) and its chunks are spread over the workers.
    With TRUTH_COLUMN, also each kept row's class, coded in order of first appearance as
    blobscale codes it (pandas.factorize); with WEIGHT_COLUMN, each kept row's sample weight
    (rows with a missing or negative weight excluded, as blobscale does); otherwise None.

    Numbers are read with DECIMAL and THOUSANDS as blobscale detected them. blobscale reads a
    thousands separator only between groups of three digits; this reader drops it anywhere,
    which differs only on values blobscale reports as bad rows."""
    import sys
    import pandas as pd
    truth = None
    weights = None
    if FORMAT == "npy":
        values = np.load(path)
        values = values.reshape(-1, 1) if values.ndim == 1 else values
        if WEIGHT_COLUMN is not None:
            weights = values[:, WEIGHT_COLUMN].astype(np.float64)
        if TRUTH_COLUMN is not None:
            truth = np.array([str(v) for v in values[:, TRUTH_COLUMN].astype(np.float64)], dtype=object)
        if COLUMNS is not None:
            values = values[:, COLUMNS]
        values = values.astype(np.float64)
    else:
        header = "infer" if HEADER is None else (0 if HEADER else None)
        wanted = None
        if COLUMNS is not None:
            extra = {c for c in (TRUTH_COLUMN, WEIGHT_COLUMN) if c is not None}
            wanted = sorted(set(COLUMNS) | extra)
        # Column names are not used, so undecodable bytes (Latin-1 text) only need to stay
        # distinct, which surrogateescape keeps them.
        frame = pd.read_csv(path, sep=DELIMITER, header=header, usecols=wanted, dtype=str,
                            keep_default_na=False, engine="python", on_bad_lines="skip",
                            comment="#", encoding="utf-8-sig", encoding_errors="surrogateescape")
        at = (lambda c: wanted.index(c)) if wanted is not None else (lambda c: c)
        features = COLUMNS if COLUMNS is not None else [
            c for c in range(frame.shape[1]) if c not in (TRUTH_COLUMN, WEIGHT_COLUMN)]

        def number(column):
            text = column.str.strip()
            for mark in THOUSANDS:
                text = text.str.replace(mark, "", regex=False)
            if DECIMAL != ".":
                text = text.str.replace(DECIMAL, ".", regex=False)
            return pd.to_numeric(text, errors="coerce")

        values = frame.iloc[:, [at(c) for c in features]].apply(number).to_numpy(np.float64)
        if TRUTH_COLUMN is not None:
            truth = frame.iloc[:, at(TRUTH_COLUMN)].str.strip().to_numpy(dtype=object)
        if WEIGHT_COLUMN is not None:
            weights = number(frame.iloc[:, at(WEIGHT_COLUMN)]).to_numpy(np.float64)
    keep = np.isfinite(values).all(axis=1)
    if weights is not None:
        keep &= np.isfinite(weights) & (weights >= 0)
    if truth is not None:
        keep &= truth != ""
        truth = pd.factorize(truth[keep])[0]
    if weights is not None:
        weights = weights[keep]
    values = values[keep]
    if STANDARDISE:
        values = values - values.mean(axis=0)
        std = values.std(axis=0)
        values = values / np.where(std > 0, std, 1.0)
    if len(values) != N_SAMPLES:
        print(f"warning: {len(values)} rows read, blobscale kept {N_SAMPLES}", file=sys.stderr)
    x = da.from_array(values.astype(np.float32), chunks=(CHUNK_ROWS, values.shape[1]))
    return x, truth, weights
"##;

const MAIN: &str = r#"

def squared_distances(xb, lb, centres):
    """Squared distance of each row of a block to its assigned centre, in float64."""
    diff = xb.astype(np.float64) - centres[lb]
    return np.einsum("ij,ij->i", diff, diff)


def initial_centres(x):
    """INIT for dask-ml's KMeans. For k-means++, dask-ml 2025.1 calls a private scikit-learn
    function whose signature changed (it fails with scikit-learn >= 1.3), so this runs the same
    computation — scikit-learn's greedy k-means++ on the rows, with the same seed — through the
    public function and hands dask-ml the centres."""
    if isinstance(INIT, str) and INIT == "k-means++":
        from sklearn.cluster import kmeans_plusplus
        centres, _ = kmeans_plusplus(x.compute(), K, random_state=KMEANS_SEED % 2**32)
        return centres
    return INIT


def main():
    parser = argparse.ArgumentParser(description="blobscale scenario on dask-ml")
    parser.add_argument("--scheduler", default=SCHEDULER,
                        help="address of a running Dask scheduler (default: start a LocalCluster)")
    parser.add_argument("--data", default=DATA_FILE,
                        help="the imported file (default: DATA_FILE, here or next to this script)")
    parser.add_argument("--workers", type=int, default=None,
                        help="LocalCluster worker processes (default: dask's choice for this machine)")
    args = parser.parse_args()
    if args.scheduler:
        client = Client(args.scheduler)
    else:
        client = Client(LocalCluster(n_workers=args.workers, dashboard_address=None))
    with client:
        path = args.data
        if path is not None and not os.path.exists(path):
            beside = os.path.join(os.path.dirname(os.path.abspath(__file__)), path)
            path = beside if os.path.exists(beside) else path
        x, truth, weights = load_data(path)
        x = x.persist()
        wait(x)
        # dask-ml compares the squared centre shift with tol as given; blobscale (like
        # scikit-learn) scales it by the mean feature variance.
        tol = TOL * float(x.var(axis=0, dtype=np.float64).mean().compute())
        start = time.perf_counter()
        x_fit = x
        if FIT_SAMPLE is not None and FIT_SAMPLE < len(x):
            rng = np.random.RandomState(KMEANS_SEED % 2**32)
            rows = np.sort(rng.choice(len(x), FIT_SAMPLE, replace=False))
            x_fit = x[rows].rechunk((CHUNK_ROWS, x.shape[1])).persist()
        if weights is not None:
            # dask-ml's KMeans.fit takes no sample_weight (2025.1: fit(X, y=None)), so the
            # weighted model is scikit-learn's KMeans on the gathered rows (they fit in a
            # browser tab), seeded by greedy k-means++ with the weights, tol as blobscale's.
            from sklearn.cluster import KMeans as SkKMeans
            model = SkKMeans(n_clusters=K, init="k-means++", n_init=1, max_iter=MAX_ITER,
                             tol=TOL, random_state=KMEANS_SEED % 2**32, algorithm="lloyd")
            model.fit(x.compute(), sample_weight=weights)
        else:
            model = KMeans(
                n_clusters=K,
                init=initial_centres(x_fit),
                oversampling_factor=OVERSAMPLING_FACTOR,
                init_max_iter=INIT_MAX_ITER,
                max_iter=MAX_ITER,
                tol=tol,
                random_state=KMEANS_SEED % 2**32,
            )
            model.fit(x_fit)
        # Every row against the final centres (dask-ml's predict), and the inertia in
        # float64 from those labels: dask-ml's own inertia_ is not always squared.
        if weights is not None:
            labels = da.from_array(model.predict(x.compute()), chunks=(CHUNK_ROWS,))
        else:
            labels = model.predict(x)
        centres = np.asarray(model.cluster_centers_, dtype=np.float64)
        d2 = da.blockwise(squared_distances, "i", x, "ij", labels, "i", centres, None,
                          dtype=np.float64, concatenate=True)
        if weights is not None:
            inertia = float((d2.compute() * weights).sum())
        else:
            inertia = float(d2.sum().compute())
        seconds = time.perf_counter() - start
        adjusted_rand = None
        if truth is not None:
            from sklearn.metrics import adjusted_rand_score
            adjusted_rand = float(adjusted_rand_score(np.asarray(truth), labels.compute()))
    print(json.dumps({"inertia": inertia, "n_iter": int(model.n_iter_), "seconds": seconds,
                      "adjusted_rand": adjusted_rand}))


if __name__ == "__main__":
    main()
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::ParallelInit;
    use crate::data::Centers;

    fn inputs() -> ScenarioInputs {
        ScenarioInputs {
            n_samples: 200_000,
            centers: Centers::Count(4),
            k: 4,
            data_seed: 7,
            chunk_rows: 10_000,
            kmeans_seed: 3,
            max_iter: 77,
            tol: 1e-5,
            ..ScenarioInputs::default()
        }
    }

    #[test]
    fn carries_the_scenario_parameters() {
        let i = inputs();
        let s = dask_script(&i, &DaskScriptOptions::default()).unwrap();
        for line in [
            "N_SAMPLES = 200000",
            "DATA_SEED = 7",
            "CHUNK_ROWS = 10000",
            "K = 4",
            "INIT = \"k-means||\"",
            "OVERSAMPLING_FACTOR = 8.0",
            "INIT_MAX_ITER = 2",
            "MAX_ITER = 77",
            "TOL = 1e-5",
            "KMEANS_SEED = 3",
            "FIT_SAMPLE = None",
            "CLUSTER_STD = 1.0",
            "SHUFFLE = True",
            "SCHEDULER = None",
        ] {
            assert!(
                s.lines().any(|l| l.starts_with(line)),
                "missing {line:?} in\n{s}"
            );
        }
        // The true centres, exactly as the page generates them.
        let centres = Plan::new(&i).unwrap().blobs().centers().clone();
        for row in centres.rows() {
            assert!(
                s.contains(&py_floats(&row.to_vec())),
                "centre {row} missing"
            );
        }
        assert!(s.contains("equivalent draw"));
        assert!(s.contains("LocalCluster("));
        assert!(s.contains("json.dumps({\"inertia\""));
        assert!(s.contains("astype(np.float32)"));
    }

    #[test]
    fn each_seeding_maps_to_dask_ml() {
        let pp = ScenarioInputs {
            init: Init::KMeansPlusPlus {
                n_local_trials: None,
            },
            ..inputs()
        };
        let s = dask_script(&pp, &DaskScriptOptions::default()).unwrap();
        assert!(s.contains("INIT = \"k-means++\""));
        let random = ScenarioInputs {
            init: Init::Random,
            ..inputs()
        };
        assert!(
            dask_script(&random, &DaskScriptOptions::default())
                .unwrap()
                .contains("INIT = \"random\"")
        );
        let dask = ScenarioInputs {
            init: Init::KMeansParallel(ParallelInit::dask_ml()),
            ..inputs()
        };
        let s = dask_script(&dask, &DaskScriptOptions::default()).unwrap();
        assert!(s.contains("OVERSAMPLING_FACTOR = 2.0\n"));
        assert!(s.contains("INIT_MAX_ITER = None\n"));
        assert!(!s.contains("always starts from row 0"));
        let explicit = ScenarioInputs {
            k: 2,
            init: Init::Centers(vec![vec![0.5, 1.0], vec![-2.0, 3.0]]),
            ..inputs()
        };
        let s = dask_script(&explicit, &DaskScriptOptions::default()).unwrap();
        assert!(s.contains("INIT = np.array([[0.5, 1.0], [-2.0, 3.0]], dtype=np.float64)"));
    }

    #[test]
    fn sample_fits_per_centre_stds_and_options() {
        let i = ScenarioInputs {
            fit_sample: Some(20_000),
            cluster_std: ClusterStd::PerCenter(vec![0.5, 1.0, 1.5, 2.0]),
            algorithm: Algorithm::Hamerly,
            ..inputs()
        };
        let opts = DaskScriptOptions {
            name: Some("evil\nimport shutil\"".into()),
            scheduler: Some("tcp://10.0.0.1:8786".into()),
            expected_inertia: Some(12345.5),
            data_file: None,
        };
        let s = dask_script(&i, &opts).unwrap();
        assert!(s.contains("FIT_SAMPLE = 20000\n"));
        assert!(s.contains("CLUSTER_STD = [0.5, 1.0, 1.5, 2.0]\n"));
        assert!(s.contains("SCHEDULER = \"tcp://10.0.0.1:8786\""));
        assert!(s.contains("12345.5"));
        assert!(s.contains("Hamerly"));
        // The name cannot end its comment line and start code.
        assert!(!s.lines().any(|l| l.starts_with("import shutil")), "{s}");
        assert!(
            s.lines()
                .nth(1)
                .unwrap()
                .starts_with("# blobscale scenario \"evil import shutil\"\"")
        );
    }

    #[test]
    fn an_imported_file_is_read_with_its_options() {
        let file = DataFile {
            name: "my \"points\".csv".into(),
            format: FileFormat::Csv,
            options: ImportOptions {
                delimiter: Some(Delimiter::Semicolon),
                header: Some(true),
                columns: Some(vec![3, 1]),
                standardise: true,
                ..ImportOptions::default()
            },
            rows: 9_876,
        };
        let opts = DaskScriptOptions {
            data_file: Some(file.clone()),
            ..DaskScriptOptions::default()
        };
        let s = dask_script(&inputs(), &opts).unwrap();
        for line in [
            "DATA_FILE = \"my \\\"points\\\".csv\"\n",
            "FORMAT = \"csv\"\n",
            "DELIMITER = \";\"\n",
            "HEADER = True\n",
            "COLUMNS = [3, 1]  # 0-based, in this order\n",
            "STANDARDISE = True\n",
            "N_SAMPLES = 9876  # rows blobscale kept\n",
            "K = 4\n",
        ] {
            assert!(s.contains(line), "missing {line:?} in\n{s}");
        }
        assert!(
            !s.contains("CENTERS"),
            "a file scenario has no generated centres"
        );
        assert!(s.contains("pd.read_csv("));
        let npy = DaskScriptOptions {
            data_file: Some(DataFile {
                format: FileFormat::Npy,
                options: ImportOptions {
                    delimiter: Some(Delimiter::Space),
                    ..ImportOptions::default()
                },
                ..file
            }),
            ..DaskScriptOptions::default()
        };
        let s = dask_script(&inputs(), &npy).unwrap();
        assert!(s.contains("FORMAT = \"npy\"\n"));
        assert!(s.contains("COLUMNS = None  # every column\n"));
        assert!(s.contains("DELIMITER = r\"\\s+\""));
    }

    #[test]
    fn an_imported_source_needs_its_file_options() {
        let source = crate::pipeline::graph::imported::ImportedSource {
            content: crate::pipeline::memo::fingerprint::Fingerprint(7),
            name: "mine.csv".into(),
            rows: 1_000,
            columns: 2,
            column_names: vec!["a".into(), "b".into()],
            standardised: false,
            truth: None,
            weight_column: None,
        };
        let i = ScenarioInputs {
            source: crate::pipeline::graph::imported::DataSource::Imported(source),
            fit_sample: None,
            ..inputs()
        };
        let e = dask_script(&i, &DaskScriptOptions::default()).unwrap_err();
        assert!(
            e.to_string()
                .contains("\"mine.csv\" without its import options"),
            "{e}"
        );
        let file = DataFile {
            name: "mine.csv".into(),
            format: FileFormat::Csv,
            options: ImportOptions::default(),
            rows: 1_000,
        };
        let s = dask_script(
            &i,
            &DaskScriptOptions {
                data_file: Some(file),
                ..DaskScriptOptions::default()
            },
        )
        .unwrap();
        assert!(s.contains("DATA_FILE = \"mine.csv\"\n"));
    }

    #[test]
    fn refuses_what_the_page_refuses() {
        let e = dask_script(
            &ScenarioInputs {
                max_iter: 0,
                ..inputs()
            },
            &DaskScriptOptions::default(),
        )
        .unwrap_err();
        assert!(e.to_string().starts_with("max_iter = 0"), "{e}");
    }
}
