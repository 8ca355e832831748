//! Seeding: the initial centres and what the seeding did, for the page's decks.

pub mod d2_sampling;
pub mod parallel;
pub mod plus_plus;
pub mod random;

use serde::{Deserialize, Serialize};

use crate::cluster::error::ClusterError;
use crate::cluster::params::Init;
use crate::cluster::seeding::parallel::kmeans_parallel;
use crate::cluster::seeding::plus_plus::kmeans_plus_plus;
use crate::cluster::seeding::random::random_rows;
use crate::cluster::summary::Summary;
use crate::data::ChunkedMatrix;
use crate::monitor::Monitor;

/// What a seeding did.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SeedingStats {
    /// `"random"`, `"k-means++"`, `"k-means||"` or `"explicit"`.
    pub method: String,
    /// New centres (k-means++: 1 per step) or new candidates (k-means||) per round; the
    /// first entry is the first centre.
    pub candidates_per_round: Vec<usize>,
    /// The potential `φ = Σ w·d²(x)` after each round or step.
    pub cost_per_round: Vec<f64>,
    /// Distinct k-means|| candidates before reclustering (k for the other methods).
    pub n_candidates: usize,
    /// Rows added at random because the rounds found fewer than k distinct candidates.
    pub padded: usize,
    /// Weighted inertia of the reclustered candidates (k-means|| only).
    pub recluster_inertia: Option<f64>,
}

/// Every candidate a seeding considered, with the round that drew it and its weight: what
/// the page's replay shows of the seeding, one step per round (ARCHITECTURE.md §13).
///
/// For k-means|| these are Bahmani et al.'s candidates, weighted by the rows closest to
/// each (their step 7) when a recluster ran; for k-means++ each step's chosen centre; for
/// random seeding the k rows drawn at once; empty for explicit centres.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SeedingTrace {
    /// Candidates, `len(round) × d` row-major.
    pub candidates: Vec<f64>,
    /// The round (index into [`SeedingStats::candidates_per_round`]) that drew each; rows
    /// added to make up k distinct candidates carry one past the last round.
    pub round: Vec<u32>,
    /// Weight of each candidate (the rows closest to it), or empty when no recluster
    /// needed them.
    pub weight: Vec<f64>,
}

impl SeedingTrace {
    /// A trace of `centres` (`k × d`) where centre `i` was drawn in round `round(i)`.
    pub fn of_centres(centres: &[f64], d: usize, round: impl Fn(usize) -> u32) -> Self {
        let k = centres.len().checked_div(d).unwrap_or(0);
        Self {
            candidates: centres.to_vec(),
            round: (0..k).map(round).collect(),
            weight: Vec::new(),
        }
    }

    /// Number of candidates.
    pub fn len(&self) -> usize {
        self.round.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.round.is_empty()
    }
}

/// Initial centres (`k × d`, row-major) and what produced them.
#[derive(Debug, Clone, PartialEq)]
pub struct Seeding {
    /// The centres.
    pub centres: Vec<f64>,
    /// The statistics.
    pub stats: SeedingStats,
    /// The candidates each round drew.
    pub trace: SeedingTrace,
}

/// Seeds `k` centres on `x`.
#[allow(clippy::too_many_arguments)]
pub fn seed_centres(
    x: &ChunkedMatrix,
    weights: Option<&[f64]>,
    summary: &Summary,
    k: usize,
    init: &Init,
    seed: u64,
    tol: f64,
    monitor: &dyn Monitor,
) -> Result<Seeding, ClusterError> {
    let d = x.n_cols();
    match init {
        Init::Random => {
            let rows = random_rows(x.n_rows(), k, seed, 0);
            let centres: Vec<f64> = rows
                .iter()
                .flat_map(|&i| x.row(i).iter().map(|&v| v as f64))
                .collect();
            Ok(Seeding {
                trace: SeedingTrace::of_centres(&centres, d, |_| 0),
                centres,
                stats: SeedingStats {
                    method: "random".into(),
                    candidates_per_round: vec![k],
                    n_candidates: k,
                    ..Default::default()
                },
            })
        }
        Init::KMeansPlusPlus { n_local_trials } => {
            kmeans_plus_plus(x, weights, summary, k, *n_local_trials, seed, monitor)
        }
        Init::KMeansParallel(p) => kmeans_parallel(x, weights, summary, k, p, seed, tol, monitor),
        Init::Centers(rows) => {
            if rows[0].len() != d {
                return Err(ClusterError::Inconsistent {
                    what: "explicit centres must have one value per feature",
                    expected: d,
                    got: rows[0].len(),
                });
            }
            Ok(Seeding {
                centres: rows.iter().flatten().copied().collect(),
                stats: SeedingStats {
                    method: "explicit".into(),
                    n_candidates: k,
                    ..Default::default()
                },
                trace: SeedingTrace::default(),
            })
        }
    }
}
