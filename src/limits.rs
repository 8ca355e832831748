//! One table of parameter limits: every numeric parameter's kind, range, default and the
//! peer whose meaning it follows, defined once. The core's validation
//! ([`BlobsParams::check`](crate::data::BlobsParams::check),
//! [`KMeansParams::check`](crate::cluster::KMeansParams::check),
//! [`Plan::new`](crate::pipeline::Plan::new)), the page's number fields and the CLI's value
//! parsers and help all read it, so a value is refused in the same words everywhere
//! (scikit-learn keeps one `_parameter_constraints` table for the same reason).
//!
//! A limit's range is what every entry point accepts. A control may *offer* less (the k
//! slider stops at 30, the samples slider at 50 million) without accepting less: a shared
//! link or the CLI can still ask for any value in range. Bounds that depend on the data
//! (k ≤ rows, a feature index < columns) narrow a limit with [`Limit::up_to`].

use std::fmt;

/// Whole numbers or reals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bounds {
    /// Whole numbers in `min ..= max`.
    Whole {
        /// Smallest accepted value.
        min: u64,
        /// Largest accepted value.
        max: u64,
    },
    /// Finite reals in `min ..= max`.
    Real {
        /// Smallest accepted value.
        min: f64,
        /// Largest accepted value.
        max: f64,
    },
}

/// One parameter's row of the table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limit {
    /// The name every message uses: the field of the scenario's inputs, scikit-learn's
    /// parameter name where there is one.
    pub name: &'static str,
    /// The command-line option (without `--`), when the CLI offers it.
    pub cli: Option<&'static str>,
    /// The accepted range.
    pub bounds: Bounds,
    /// A value outside the range that is also accepted, and what it means (0 skips the
    /// silhouette score).
    pub off: Option<(u64, &'static str)>,
    /// The default, as the core's builders set it.
    pub default: Option<f64>,
    /// What the parameter means, and the peer whose meaning it follows.
    pub meaning: &'static str,
}

/// Largest seed: seeds travel through JSON and JavaScript numbers (saved sessions, shared
/// links, the page's number boxes), which hold whole numbers exactly up to 2⁵³ − 1.
pub const MAX_SEED: u64 = (1 << 53) - 1;

/// `n_samples`: rows of generated blobs.
pub const N_SAMPLES: Limit = Limit {
    name: "n_samples",
    cli: Some("n-samples"),
    bounds: Bounds::Whole {
        min: 1,
        max: 200_000_000,
    },
    off: None,
    default: Some(100.0),
    meaning: "rows of the blobs dataset (scikit-learn make_blobs n_samples); the page also \
              refuses a dataset that would not fit in wasm's 4 GiB",
};

/// `n_features`: columns of generated blobs.
pub const N_FEATURES: Limit = Limit {
    name: "n_features",
    cli: Some("n-features"),
    bounds: Bounds::Whole { min: 1, max: 4096 },
    off: None,
    default: Some(2.0),
    meaning: "columns of the blobs dataset (make_blobs n_features)",
};

/// `centers`: how many blobs are generated.
pub const CENTERS: Limit = Limit {
    name: "centers",
    cli: Some("centers"),
    bounds: Bounds::Whole {
        min: 1,
        max: 100_000,
    },
    off: None,
    default: Some(3.0),
    meaning: "number of blobs (make_blobs centers)",
};

/// `cluster_std`: standard deviation of every blob.
pub const CLUSTER_STD: Limit = Limit {
    name: "cluster_std",
    cli: Some("cluster-std"),
    bounds: Bounds::Real { min: 0.0, max: 1e6 },
    off: None,
    default: Some(1.0),
    meaning: "standard deviation of each blob (make_blobs cluster_std)",
};

/// `data_seed`: the dataset's seed.
pub const DATA_SEED: Limit = Limit {
    name: "data_seed",
    cli: Some("data-seed"),
    bounds: Bounds::Whole {
        min: 0,
        max: MAX_SEED,
    },
    off: None,
    default: Some(0.0),
    meaning: "seed of the dataset (make_blobs random_state); the same seed gives the same \
              bits for any thread count and chunk size",
};

/// `chunk_rows`: rows per chunk of the dataset.
pub const CHUNK_ROWS: Limit = Limit {
    name: "chunk_rows",
    cli: Some("chunk-rows"),
    bounds: Bounds::Whole {
        min: 1,
        max: 1 << 24,
    },
    off: None,
    default: Some(16_384.0),
    meaning: "rows per chunk, the unit of parallel work (a dask array's chunks)",
};

/// `k`: clusters to find.
pub const K: Limit = Limit {
    name: "k",
    cli: Some("k"),
    bounds: Bounds::Whole {
        min: 1,
        max: 100_000,
    },
    off: None,
    default: None,
    meaning: "clusters to find, at most the rows fitted (scikit-learn KMeans n_clusters)",
};

/// `max_iter`: most Lloyd iterations.
pub const MAX_ITER: Limit = Limit {
    name: "max_iter",
    cli: Some("max-iter"),
    bounds: Bounds::Whole {
        min: 1,
        max: 10_000,
    },
    off: None,
    default: Some(300.0),
    meaning: "most Lloyd iterations (scikit-learn KMeans max_iter)",
};

/// `tol`: the relative tolerance.
pub const TOL: Limit = Limit {
    name: "tol",
    cli: Some("tol"),
    bounds: Bounds::Real { min: 0.0, max: 1.0 },
    off: None,
    default: Some(1e-4),
    meaning: "stop when the squared centre shift is below tol × the mean feature variance \
              (scikit-learn KMeans tol); 0 stops only on unchanged labels",
};

/// `seed`: the k-means seed.
pub const KMEANS_SEED: Limit = Limit {
    name: "kmeans_seed",
    cli: Some("seed"),
    bounds: Bounds::Whole {
        min: 0,
        max: MAX_SEED,
    },
    off: None,
    default: Some(0.0),
    meaning: "seed of the seeding and of the fit-on-a-sample draw (KMeans random_state)",
};

/// ℓ / k: k-means|| candidates per round, per cluster.
pub const OVERSAMPLING: Limit = Limit {
    name: "oversampling (× k)",
    cli: Some("oversampling"),
    bounds: Bounds::Real {
        min: 0.1,
        max: 100.0,
    },
    off: None,
    default: Some(2.0),
    meaning: "k-means|| candidates sampled per round, as a multiple of k (ℓ = 2k in \
              Bahmani et al. 2012 and Spark MLlib)",
};

/// ℓ: k-means|| candidates per round, whatever k is.
pub const OVERSAMPLING_ABSOLUTE: Limit = Limit {
    name: "oversampling",
    cli: None,
    bounds: Bounds::Real { min: 0.1, max: 1e6 },
    off: None,
    default: None,
    meaning: "k-means|| candidates sampled per round (dask-ml's oversampling_factor, 2)",
};

/// k-means|| rounds.
pub const ROUNDS: Limit = Limit {
    name: "rounds",
    cli: Some("rounds"),
    bounds: Bounds::Whole { min: 1, max: 100 },
    off: None,
    default: Some(2.0),
    meaning: "k-means|| rounds (Spark MLlib initializationSteps, 2)",
};

/// Restarts of the recluster of the k-means|| candidates.
pub const RECLUSTER_N_INIT: Limit = Limit {
    name: "recluster n_init",
    cli: Some("recluster-n-init"),
    bounds: Bounds::Whole { min: 1, max: 1000 },
    off: None,
    default: Some(8.0),
    meaning: "weighted k-means++ + Lloyd restarts on the k-means|| candidates (Bahmani \
              et al., step 8)",
};

/// Candidates per greedy k-means++ step.
pub const N_LOCAL_TRIALS: Limit = Limit {
    name: "n_local_trials",
    cli: None,
    bounds: Bounds::Whole {
        min: 1,
        max: 10_000,
    },
    off: None,
    default: None,
    meaning: "candidates tried per greedy k-means++ step (scikit-learn's 2 + ⌊ln k⌋ when \
              unset)",
};

/// Rows of the fit-on-a-sample draw.
pub const FIT_SAMPLE: Limit = Limit {
    name: "fit_sample",
    cli: Some("fit-sample"),
    bounds: Bounds::Whole {
        min: 1,
        max: 200_000_000,
    },
    off: None,
    default: None,
    meaning: "fit on a seeded sample of this many rows, then label every row (dask-ml \
              ParallelPostFit); a size ≥ the rows fits on everything",
};

/// Rows the silhouette score is computed on.
pub const SILHOUETTE_SAMPLE: Limit = Limit {
    name: "silhouette_sample",
    cli: Some("silhouette-sample"),
    bounds: Bounds::Whole {
        min: 2,
        max: 200_000_000,
    },
    off: Some((0, "skip")),
    default: Some(2_000.0),
    meaning: "rows the silhouette score is computed on (scikit-learn silhouette_score \
              sample_size); it costs O(m²·d)",
};

/// Canvas width and height.
pub const CANVAS_SIDE: Limit = Limit {
    name: "width",
    cli: Some("width"),
    bounds: Bounds::Whole { min: 1, max: 4096 },
    off: None,
    default: Some(640.0),
    meaning: "canvas width or height, pixels",
};

/// The feature shown on an axis.
pub const FEATURE_INDEX: Limit = Limit {
    name: "feature_x",
    cli: None,
    bounds: Bounds::Whole { min: 0, max: 4095 },
    off: None,
    default: Some(0.0),
    meaning: "the feature (column, from 0) shown horizontally or vertically, below the \
              dataset's columns",
};

/// Seeds per k of a sweep.
pub const SWEEP_SEEDS: Limit = Limit {
    name: "seeds per k",
    cli: None,
    bounds: Bounds::Whole { min: 1, max: 32 },
    off: None,
    default: Some(1.0),
    meaning: "k-means seeds each k of a sweep is fitted with; the best inertia stands for \
              k (scikit-learn KMeans n_init)",
};

/// Scenarios of one sweep.
pub const SWEEP_SIZE: Limit = Limit {
    name: "sweep size (ks × seeds)",
    cli: None,
    bounds: Bounds::Whole { min: 1, max: 1024 },
    off: None,
    default: None,
    meaning: "scenarios one sweep evaluates (dask-ml's grid search over n_clusters)",
};

/// Worker threads of the CLI.
pub const THREADS: Limit = Limit {
    name: "threads",
    cli: Some("threads"),
    bounds: Bounds::Whole { min: 1, max: 1024 },
    off: None,
    default: None,
    meaning: "rayon threads (all cores when unset); the page offers 1 ..= the cores the \
              browser reports",
};

/// Evaluations of `blobscale pipeline`.
pub const REPEAT: Limit = Limit {
    name: "repeat",
    cli: Some("repeat"),
    bounds: Bounds::Whole { min: 1, max: 1000 },
    off: None,
    default: Some(1.0),
    meaning: "evaluations of the pipeline command, on data seeds S, S+1, …",
};

/// Every row of the table, in the order the docs list them.
pub const ALL: [&Limit; 23] = [
    &N_SAMPLES,
    &N_FEATURES,
    &CENTERS,
    &CLUSTER_STD,
    &DATA_SEED,
    &CHUNK_ROWS,
    &K,
    &MAX_ITER,
    &TOL,
    &KMEANS_SEED,
    &OVERSAMPLING,
    &OVERSAMPLING_ABSOLUTE,
    &ROUNDS,
    &RECLUSTER_N_INIT,
    &N_LOCAL_TRIALS,
    &FIT_SAMPLE,
    &SILHOUETTE_SAMPLE,
    &CANVAS_SIDE,
    &FEATURE_INDEX,
    &SWEEP_SEEDS,
    &SWEEP_SIZE,
    &THREADS,
    &REPEAT,
];

/// Why a value was refused; its message names the parameter, the value and the range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{name} = {value} {problem}: allowed {allowed}")]
pub struct LimitError {
    /// The parameter's name.
    pub name: &'static str,
    /// The refused value as given (a typed text is quoted when it is not a number).
    pub value: String,
    /// What is wrong with it.
    pub problem: Problem,
    /// The allowed range.
    pub allowed: String,
}

impl LimitError {
    /// A value outside a range that no single row of the table holds: one that depends on
    /// other values (k ≤ n_samples, a label below k, a product of parameters). The message
    /// reads as the table's do.
    pub fn out_of_range(
        name: &'static str,
        value: impl fmt::Display,
        allowed: impl fmt::Display,
    ) -> Self {
        LimitError {
            name,
            value: value.to_string(),
            problem: Problem::OutOfRange,
            allowed: allowed.to_string(),
        }
    }
}

/// Checks `lo ..= hi` for a range derived from other values, refusing with the table's
/// message.
pub fn check_between<T: PartialOrd + fmt::Display>(
    name: &'static str,
    value: T,
    lo: T,
    hi: T,
) -> Result<T, LimitError> {
    if value >= lo && value <= hi {
        Ok(value)
    } else {
        Err(LimitError::out_of_range(
            name,
            value,
            format!("{lo} ..= {hi}"),
        ))
    }
}

/// What is wrong with a refused value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// A number outside the range.
    OutOfRange,
    /// A fraction where only whole numbers are accepted.
    NotWhole,
    /// Text that is not a number.
    NotANumber,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Problem::OutOfRange => "is out of range",
            Problem::NotWhole => "is not a whole number",
            Problem::NotANumber => "is not a number",
        })
    }
}

/// Formats a real as people type it: no exponent for ordinary magnitudes.
fn real(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

impl Limit {
    /// The same limit under another name (canvas `height` shares `width`'s row).
    pub const fn named(self, name: &'static str) -> Limit {
        Limit { name, ..self }
    }

    /// The limit with its upper bound lowered to `max` when that is smaller (k ≤ rows, a
    /// feature index ≤ columns − 1).
    pub fn up_to(self, max: f64) -> Limit {
        let bounds = match self.bounds {
            Bounds::Whole { min, max: m } => Bounds::Whole {
                min,
                max: m.min(max.max(0.0) as u64),
            },
            Bounds::Real { min, max: m } => Bounds::Real {
                min,
                max: m.min(max),
            },
        };
        Limit { bounds, ..self }
    }

    /// The smallest accepted value (of the range).
    pub fn min(&self) -> f64 {
        match self.bounds {
            Bounds::Whole { min, .. } => min as f64,
            Bounds::Real { min, .. } => min,
        }
    }

    /// The largest accepted value.
    pub fn max(&self) -> f64 {
        match self.bounds {
            Bounds::Whole { max, .. } => max as f64,
            Bounds::Real { max, .. } => max,
        }
    }

    /// The largest accepted whole value (for `usize` constants derived from the table).
    pub const fn whole_max(&self) -> u64 {
        match self.bounds {
            Bounds::Whole { max, .. } => max,
            Bounds::Real { max, .. } => max as u64,
        }
    }

    /// Whether only whole numbers are accepted.
    pub fn is_whole(&self) -> bool {
        matches!(self.bounds, Bounds::Whole { .. })
    }

    /// The allowed range as every message writes it: `1 ..= 10000`, `0 (skip) or 2 ..= 9`.
    pub fn allowed(&self) -> String {
        let range = format!("{} ..= {}", real(self.min()), real(self.max()));
        match self.off {
            Some((v, what)) => format!("{v} ({what}) or {range}"),
            None => range,
        }
    }

    /// The refusal of `value`, already formatted.
    pub fn refuse(&self, value: impl fmt::Display, problem: Problem) -> LimitError {
        LimitError {
            name: self.name,
            value: value.to_string(),
            problem,
            allowed: self.allowed(),
        }
    }

    fn accepts(&self, v: f64) -> bool {
        self.off.is_some_and(|(o, _)| v == o as f64) || (v >= self.min() && v <= self.max())
    }

    /// Checks a whole number.
    pub fn check_whole(&self, v: u64) -> Result<u64, LimitError> {
        let inside = self.off.is_some_and(|(o, _)| v == o)
            || match self.bounds {
                Bounds::Whole { min, max } => (min..=max).contains(&v),
                Bounds::Real { .. } => self.accepts(v as f64),
            };
        if inside {
            Ok(v)
        } else {
            Err(self.refuse(v, Problem::OutOfRange))
        }
    }

    /// Checks a `usize` (counts and sizes).
    pub fn check_usize(&self, value: usize) -> Result<usize, LimitError> {
        self.check_whole(value as u64).map(|_| value)
    }

    /// Checks a real: finite, in range, and whole when the limit is.
    pub fn check_f64(&self, value: f64) -> Result<f64, LimitError> {
        if !value.is_finite() || !self.accepts(value) {
            return Err(self.refuse(real(value), Problem::OutOfRange));
        }
        if self.is_whole() && value.fract() != 0.0 {
            return Err(self.refuse(real(value), Problem::NotWhole));
        }
        Ok(value)
    }

    /// Parses what a person typed (a number box, a command-line option) and checks it.
    pub fn parse(&self, raw: &str) -> Result<f64, LimitError> {
        let t = raw.trim();
        match t.parse::<f64>() {
            // Whole numbers beyond 2⁵³ lose digits as f64: compare them exactly.
            Ok(_) if self.is_whole() && t.parse::<u64>().is_ok() => {
                let v: u64 = t.parse().expect("checked");
                self.check_whole(v).map(|v| v as f64)
            }
            Ok(v) if v.is_finite() => self.check_f64(v).map_err(|e| LimitError {
                value: t.to_string(),
                ..e
            }),
            _ => Err(self.refuse(format!("\"{t}\""), Problem::NotANumber)),
        }
    }

    /// Parses a whole number into `u64` (the CLI's value parser for counts and seeds).
    pub fn parse_u64(&self, raw: &str) -> Result<u64, LimitError> {
        let v = self.parse(raw)?;
        // Digits are read exactly (seeds near 2⁵³); `3.0` or `1e3` came through the f64,
        // which `parse` has checked is whole and in range.
        Ok(raw.trim().parse::<u64>().unwrap_or(v as u64))
    }

    /// Parses a whole number into `usize`.
    pub fn parse_usize(&self, raw: &str) -> Result<usize, LimitError> {
        self.parse_u64(raw).map(|v| v as usize)
    }

    /// One line of help: the meaning, the range and the default.
    pub fn help(&self) -> String {
        let default = self
            .default
            .map_or(String::new(), |d| format!("; default {}", real(d)));
        format!("{}. Allowed {}{default}", self.meaning, self.allowed())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_value_and_the_range() {
        assert_eq!(
            MAX_ITER.check_usize(0).unwrap_err().to_string(),
            "max_iter = 0 is out of range: allowed 1 ..= 10000"
        );
        assert_eq!(
            MAX_ITER.parse("2.5").unwrap_err().to_string(),
            "max_iter = 2.5 is not a whole number: allowed 1 ..= 10000"
        );
        assert_eq!(
            TOL.parse("abc").unwrap_err().to_string(),
            "tol = \"abc\" is not a number: allowed 0 ..= 1"
        );
        assert_eq!(
            TOL.check_f64(f64::NAN).unwrap_err().to_string(),
            "tol = NaN is out of range: allowed 0 ..= 1"
        );
        assert_eq!(
            SILHOUETTE_SAMPLE.check_usize(1).unwrap_err().to_string(),
            "silhouette_sample = 1 is out of range: allowed 0 (skip) or 2 ..= 200000000"
        );
        assert_eq!(SILHOUETTE_SAMPLE.check_usize(0), Ok(0));
        assert_eq!(
            K.up_to(7.0).check_usize(8).unwrap_err().to_string(),
            "k = 8 is out of range: allowed 1 ..= 7"
        );
    }

    #[test]
    fn parsing_accepts_the_range_and_exact_large_seeds() {
        assert_eq!(K.parse(" 30 "), Ok(30.0));
        assert_eq!(DATA_SEED.parse_u64("9007199254740991"), Ok(MAX_SEED));
        assert!(DATA_SEED.parse("9007199254740992").is_err());
        assert_eq!(TOL.parse("1e-4"), Ok(1e-4));
        assert!(K.parse("1e400").is_err());
        assert_eq!(K.parse_usize("3.0"), Ok(3));
        assert_eq!(MAX_ITER.parse_usize("1e3"), Ok(1000));
        assert!(K.parse_usize("-1").is_err());
    }

    #[test]
    fn every_row_is_well_formed() {
        let mut names: Vec<_> = ALL.iter().map(|l| l.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), ALL.len(), "names are unique");
        for l in ALL {
            assert!(l.min() <= l.max(), "{}", l.name);
            if let Some(d) = l.default {
                assert!(l.check_f64(d).is_ok(), "{}'s default is in range", l.name);
            }
            assert!(l.help().contains(&l.allowed()), "{}", l.name);
        }
    }

    #[test]
    fn derived_ranges_refuse_with_the_tables_message() {
        assert_eq!(check_between("n_cols", 3usize, 1, 8), Ok(3));
        let e = check_between("n_cols", 0usize, 1, 8).unwrap_err();
        assert_eq!(e.to_string(), "n_cols = 0 is out of range: allowed 1 ..= 8");
        let e = LimitError::out_of_range("k", 7, "1 ..= n_samples (5)");
        assert_eq!(
            e.to_string(),
            "k = 7 is out of range: allowed 1 ..= n_samples (5)"
        );
    }
}
