//! k-means parameters in the linfa pattern: an unchecked builder ([`KMeansParams`]), a
//! [`KMeansParams::check`] that names any bad value and its allowed range, and the
//! validated [`ValidKMeansParams`] that fits. Defaults follow scikit-learn's `KMeans`
//! (`max_iter = 300`, `tol = 1e-4`, Lloyd) except the seeding, which is k-means||
//! (Bahmani et al., "Scalable k-means++", VLDB 2012) as in Spark MLlib and dask-ml.

use serde::{Deserialize, Serialize};

use super::error::ClusterError;
use crate::limits;

/// Largest number of clusters accepted ([`limits::K`]).
pub const MAX_K: usize = limits::K.whole_max() as usize;
/// Largest `max_iter` accepted ([`limits::MAX_ITER`]).
pub const MAX_ITER_LIMIT: usize = limits::MAX_ITER.whole_max() as usize;
/// scikit-learn's default `max_iter`.
pub const DEFAULT_MAX_ITER: usize = 300;
/// scikit-learn's default `tol`.
pub const DEFAULT_TOL: f64 = 1e-4;
/// Default k-means|| rounds, as in Spark MLlib (`initializationSteps = 2`). Measured with
/// `blobscale fit --rounds R` on W1–W3, five seeds each, ℓ = 2k: one round misses blobs
/// on W1 and W2 (ARI 0.6–0.92); two rounds find every blob of W2 and W3 (ARI 1.0, the
/// same inertia for every seed) at 60–70 % of the seeding time of three rounds.
pub const DEFAULT_ROUNDS: usize = 2;
/// Default oversampling ℓ as a multiple of k (Spark MLlib and Bahmani et al. use 2k).
pub const DEFAULT_OVERSAMPLING: f64 = 2.0;
/// Default number of weighted k-means++ + Lloyd restarts on the k-means|| candidates.
/// Restarts are cheap (the candidates are ≈ rounds·ℓ points) and avoid the local minima a
/// single greedy k-means++ falls into when k is large.
pub const DEFAULT_RECLUSTER_N_INIT: usize = 8;

/// The Lloyd variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Algorithm {
    /// Plain Lloyd: every point is compared with every centre in every iteration.
    #[default]
    Lloyd,
    /// Hamerly's bounds ("Making k-means even faster", SDM 2010): a point whose lower bound
    /// to its second-closest centre exceeds its distance to its own skips the comparison.
    /// Gives exactly the labels, centres and iteration count of [`Algorithm::Lloyd`].
    Hamerly,
}

/// Features from which Hamerly's bounds pay for themselves against the blocked Lloyd pass.
///
/// Measured on W1–W3 and two more blob sets, 20 iterations from random seeds, 2 threads
/// (docs/performance.md, diary of 2026-12-07): Hamerly took 4.0× Lloyd's time at 2 features,
/// 1.8× at 8 and 1.6× at 16, and 0.72× at 32 and 0.55× at 64. Below this count Lloyd ranks a
/// whole block of rows against every centre in a few vector instructions, so skipping
/// centres row by row saves less than keeping the bounds costs.
pub const HAMERLY_MIN_FEATURES: usize = 32;

impl Algorithm {
    /// Whether the page offers the variant for data of `n_features` features: Lloyd always,
    /// Hamerly from [`HAMERLY_MIN_FEATURES`], where it is the faster of the two. Both give
    /// the same result, so this is a matter of speed only and a scenario that asks for
    /// Hamerly still runs it.
    pub fn offered(self, n_features: usize) -> bool {
        match self {
            Algorithm::Lloyd => true,
            Algorithm::Hamerly => n_features >= HAMERLY_MIN_FEATURES,
        }
    }

    /// Every variant's name, as the page's menu and the CLI's `--algorithm` spell it.
    pub const NAMES: [&'static str; 2] = ["lloyd", "hamerly"];

    /// The variant's name.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Lloyd => "lloyd",
            Algorithm::Hamerly => "hamerly",
        }
    }

    /// The variant called `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "lloyd" => Some(Algorithm::Lloyd),
            "hamerly" => Some(Algorithm::Hamerly),
            _ => None,
        }
    }
}

/// How many candidates k-means|| samples per round (ℓ).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Oversampling {
    /// ℓ = factor · k (Spark MLlib, Bahmani et al.).
    PerCluster(f64),
    /// ℓ fixed, whatever k is (dask-ml's `oversampling_factor`).
    Absolute(f64),
}

/// How many k-means|| rounds run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rounds {
    /// This many rounds.
    Fixed(usize),
    /// `round(ln φ)` rounds, φ the cost after the first centre (dask-ml's `max_iter=None`).
    LnCost,
}

/// How k-means|| picks its first centre.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FirstCenter {
    /// Uniformly at random (by sample weight), as in Bahmani et al.
    Random,
    /// This row (dask-ml always takes row 0).
    Row(usize),
}

/// How the k-means|| candidates are reduced to k centres.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recluster {
    /// Weighted greedy k-means++ then weighted Lloyd on the candidates, each candidate
    /// weighted by the points closest to it (Bahmani et al., step 8); the best of `n_init`
    /// restarts by weighted inertia.
    Weighted {
        /// Restarts.
        n_init: usize,
    },
    /// Unweighted k-means++ then Lloyd on the candidates, once (what dask-ml does).
    Unweighted,
}

/// Parameters of k-means|| seeding.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ParallelInit {
    /// Candidates sampled per round.
    pub oversampling: Oversampling,
    /// Number of rounds.
    pub rounds: Rounds,
    /// The first centre.
    pub first: FirstCenter,
    /// Reduction of the candidates to k centres.
    pub recluster: Recluster,
}

impl Default for ParallelInit {
    fn default() -> Self {
        Self {
            oversampling: Oversampling::PerCluster(DEFAULT_OVERSAMPLING),
            rounds: Rounds::Fixed(DEFAULT_ROUNDS),
            first: FirstCenter::Random,
            recluster: Recluster::Weighted {
                n_init: DEFAULT_RECLUSTER_N_INIT,
            },
        }
    }
}

impl ParallelInit {
    /// dask-ml's `init_scalable` choices (dask-ml 2025.1, `dask_ml/cluster/k_means.py`):
    /// ℓ = 2 points per round whatever k is, `round(ln φ)` rounds, row 0 as the first
    /// centre and an unweighted recluster. Unlike dask-ml, fewer candidates than k are
    /// reported in [`SeedingStats::padded`](super::SeedingStats::padded).
    pub fn dask_ml() -> Self {
        Self {
            oversampling: Oversampling::Absolute(2.0),
            rounds: Rounds::LnCost,
            first: FirstCenter::Row(0),
            recluster: Recluster::Unweighted,
        }
    }
}

/// How the initial centres are chosen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Init {
    /// k distinct rows chosen uniformly (scikit-learn's `init="random"`).
    Random,
    /// Greedy k-means++ (Arthur & Vassilvitskii 2007; scikit-learn's `_kmeans_plusplus`):
    /// each step samples `n_local_trials` candidates by D² and keeps the one that lowers
    /// the potential most. `None` means scikit-learn's `2 + ⌊ln k⌋`.
    KMeansPlusPlus {
        /// Candidates tried per step.
        n_local_trials: Option<usize>,
    },
    /// k-means|| (Bahmani et al. 2012).
    KMeansParallel(ParallelInit),
    /// Explicit centres, one row each (k rows of d values).
    Centers(Vec<Vec<f64>>),
}

impl Default for Init {
    fn default() -> Self {
        Init::KMeansParallel(ParallelInit::default())
    }
}

impl Init {
    /// The seeding methods offered by name (the page's menu, the CLI's `--init`), each
    /// with what people read: explicit centres come from a file or a paste instead.
    pub const NAMED: [(&'static str, &'static str); 4] = [
        ("k-means||", "k-means|| (Spark, ℓ = 2k)"),
        ("dask-ml", "k-means|| as dask-ml (ℓ = 2)"),
        ("k-means++", "k-means++ (scikit-learn)"),
        ("random", "random rows"),
    ];

    /// The method's name: one of [`Init::NAMED`], or `explicit` for given centres.
    pub fn name(&self) -> &'static str {
        match self {
            Init::Random => "random",
            Init::KMeansPlusPlus { .. } => "k-means++",
            Init::KMeansParallel(p) if *p == ParallelInit::dask_ml() => "dask-ml",
            Init::KMeansParallel(_) => "k-means||",
            Init::Centers(_) => "explicit",
        }
    }

    /// The method called `name`, with its defaults; `parallel` is the k-means|| set-up
    /// used for `k-means||`.
    pub fn from_name(name: &str, parallel: ParallelInit) -> Option<Self> {
        match name {
            "k-means||" => Some(Init::KMeansParallel(parallel)),
            "dask-ml" => Some(Init::KMeansParallel(ParallelInit::dask_ml())),
            "k-means++" => Some(Init::KMeansPlusPlus {
                n_local_trials: None,
            }),
            "random" => Some(Init::Random),
            _ => None,
        }
    }
}

/// Unchecked k-means parameters (the builder).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KMeansParams {
    /// Number of clusters.
    pub k: usize,
    /// Seeding.
    pub init: Init,
    /// Most Lloyd iterations.
    pub max_iter: usize,
    /// Tolerance on the squared centre shift, relative to the mean feature variance
    /// (scikit-learn's meaning); 0 stops only on unchanged labels or `max_iter`.
    pub tol: f64,
    /// Lloyd variant.
    pub algorithm: Algorithm,
    /// Seed of every random stream.
    pub seed: u64,
}

impl KMeansParams {
    /// Defaults with `k` clusters.
    pub fn new(k: usize) -> Self {
        Self {
            k,
            init: Init::default(),
            max_iter: DEFAULT_MAX_ITER,
            tol: DEFAULT_TOL,
            algorithm: Algorithm::default(),
            seed: 0,
        }
    }
    /// Sets the seeding.
    pub fn init(mut self, init: Init) -> Self {
        self.init = init;
        self
    }
    /// Sets `max_iter`.
    pub fn max_iter(mut self, max_iter: usize) -> Self {
        self.max_iter = max_iter;
        self
    }
    /// Sets `tol`.
    pub fn tol(mut self, tol: f64) -> Self {
        self.tol = tol;
        self
    }
    /// Sets the Lloyd variant.
    pub fn algorithm(mut self, algorithm: Algorithm) -> Self {
        self.algorithm = algorithm;
        self
    }
    /// Sets the seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Validates every parameter that does not depend on the data.
    pub fn check(&self) -> Result<ValidKMeansParams, ClusterError> {
        limits::K.check_usize(self.k)?;
        limits::MAX_ITER.check_usize(self.max_iter)?;
        limits::TOL.check_f64(self.tol)?;
        limits::KMEANS_SEED.check_whole(self.seed)?;
        match &self.init {
            Init::Random => {}
            Init::KMeansPlusPlus { n_local_trials } => {
                if let Some(t) = n_local_trials {
                    limits::N_LOCAL_TRIALS.check_usize(*t)?;
                }
            }
            Init::KMeansParallel(p) => {
                match p.oversampling {
                    Oversampling::PerCluster(f) => {
                        limits::OVERSAMPLING.check_f64(f)?;
                    }
                    Oversampling::Absolute(l) => {
                        limits::OVERSAMPLING_ABSOLUTE.check_f64(l)?;
                    }
                }
                if let Rounds::Fixed(r) = p.rounds {
                    limits::ROUNDS.check_usize(r)?;
                }
                if let Recluster::Weighted { n_init } = p.recluster {
                    limits::RECLUSTER_N_INIT.check_usize(n_init)?;
                }
            }
            Init::Centers(rows) => {
                if rows.len() != self.k {
                    return Err(ClusterError::Inconsistent {
                        what: "explicit centres must have one row per cluster",
                        expected: self.k,
                        got: rows.len(),
                    });
                }
                let d = rows[0].len();
                if d == 0 {
                    return Err(ClusterError::Inconsistent {
                        what: "explicit centres need at least one feature",
                        expected: 1,
                        got: 0,
                    });
                }
                for (row, c) in rows.iter().enumerate() {
                    if c.len() != d {
                        return Err(ClusterError::Inconsistent {
                            what: "every centre must have the same number of features",
                            expected: d,
                            got: c.len(),
                        });
                    }
                    if let Some(col) = c.iter().position(|v| !v.is_finite()) {
                        return Err(ClusterError::Data(crate::data::DataError::NotFinite {
                            name: "centres",
                            value: c[col].to_string(),
                            row,
                            col,
                        }));
                    }
                }
            }
        }
        Ok(ValidKMeansParams(self.clone()))
    }
}

/// Checked k-means parameters; fit with [`ValidKMeansParams::fit`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValidKMeansParams(pub(crate) KMeansParams);

impl ValidKMeansParams {
    /// The parameters as given.
    pub fn params(&self) -> &KMeansParams {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hamerly_is_offered_from_the_features_where_it_is_faster() {
        for d in [1, 2, 16, HAMERLY_MIN_FEATURES - 1] {
            assert!(Algorithm::Lloyd.offered(d));
            assert!(!Algorithm::Hamerly.offered(d), "d = {d}");
        }
        for d in [HAMERLY_MIN_FEATURES, 64, 4096] {
            assert!(Algorithm::Hamerly.offered(d), "d = {d}");
        }
    }

    #[test]
    fn errors_name_value_and_range() {
        let e = KMeansParams::new(0).check().unwrap_err();
        assert_eq!(e.to_string(), "k = 0 is out of range: allowed 1 ..= 100000");
        let e = KMeansParams::new(3).tol(-1.0).check().unwrap_err();
        assert!(e.to_string().contains("tol = -1"), "{e}");
        let e = KMeansParams::new(2)
            .init(Init::Centers(vec![vec![0.0, 1.0]]))
            .check()
            .unwrap_err();
        assert!(e.to_string().contains("expected 2, got 1"), "{e}");
        let e = KMeansParams::new(1)
            .init(Init::Centers(vec![vec![0.0, f64::NAN]]))
            .check()
            .unwrap_err();
        assert!(e.to_string().contains("column 1"), "{e}");
    }

    #[test]
    fn names_round_trip() {
        for (name, _) in Init::NAMED {
            let init = Init::from_name(name, ParallelInit::default()).unwrap();
            assert_eq!(init.name(), name);
        }
        assert_eq!(Init::from_name("bogus", ParallelInit::default()), None);
        for name in Algorithm::NAMES {
            assert_eq!(Algorithm::from_name(name).unwrap().name(), name);
        }
    }

    #[test]
    fn params_round_trip_through_json() {
        let p = KMeansParams::new(5)
            .init(Init::KMeansParallel(ParallelInit::dask_ml()))
            .algorithm(Algorithm::Hamerly)
            .seed(9);
        let s = serde_json::to_string(&p).unwrap();
        let back: KMeansParams = serde_json::from_str(&s).unwrap();
        assert_eq!(p, back);
    }
}
