//! Fitting: validate the data, seed, iterate, and return everything the page's decks show.

use ndarray::Array2;

use super::error::ClusterError;
use super::labels::{Labels, on_words};
use super::lloyd::{Convergence, lloyd};
use super::params::ValidKMeansParams;
use super::predict::{Prediction, predict};
use super::seeding::{SeedingStats, SeedingTrace, seed_centres};
use super::summary::Summary;
use crate::data::ChunkedMatrix;
use crate::limits::LimitError;
use crate::monitor::{Monitor, Unmonitored};

/// A fitted k-means model.
#[derive(Debug, Clone, PartialEq)]
pub struct KMeansFit {
    /// Final centres, `k × d`.
    pub centres: Array2<f64>,
    /// The centres seeding produced, `k × d`.
    pub initial_centres: Array2<f64>,
    /// Label of every row, against `centres`, in the narrowest word for k.
    pub labels: Labels,
    /// `Σ w·‖x − c_label‖²` against `centres` (scikit-learn's `inertia_`).
    pub inertia: f64,
    /// Lloyd iterations run (scikit-learn's `n_iter_`).
    pub n_iter: usize,
    /// The cost of each iteration's assignment step, against the centres it started from:
    /// the convergence curve.
    pub inertia_curve: Vec<f64>,
    /// How the iterations ended.
    pub convergence: Convergence,
    /// Empty clusters relocated over all iterations.
    pub relocated: usize,
    /// What seeding did.
    pub seeding: SeedingStats,
    /// The candidates seeding drew, round by round (for the replay).
    pub seeding_trace: SeedingTrace,
    /// The centres after each iteration, from the seeds: `(n_iter + 1) × k × d` row-major.
    /// Step `i`'s centres are those a fit with `max_iter = i` returns from the same seeds.
    pub centre_history: Vec<f64>,
    /// Rows whose label changed between consecutive steps of `centre_history` (see
    /// [`LloydOutcome::moved`](super::lloyd::LloydOutcome::moved)).
    pub moved: Vec<u64>,
}

impl KMeansFit {
    /// Number of clusters.
    pub fn k(&self) -> usize {
        self.centres.nrows()
    }

    /// Rows per cluster.
    pub fn cluster_sizes(&self) -> Vec<u64> {
        on_words!(&self.labels, l => super::metrics::cluster_sizes(l, self.k()))
    }

    /// Steps of [`KMeansFit::centre_history`]: `n_iter + 1`.
    pub fn history_steps(&self) -> usize {
        self.centre_history.len() / self.centres.len().max(1)
    }

    /// The centres after `step` iterations (`k × d` row-major), clamped to the last step.
    pub fn centres_at(&self, step: usize) -> &[f64] {
        let kd = self.centres.len();
        let step = step.min(self.history_steps().saturating_sub(1));
        &self.centre_history[step * kd..(step + 1) * kd]
    }

    /// Labels and inertia of any dataset against the fitted centres (dask-ml's
    /// `ParallelPostFit`: fit on a sample, predict on everything).
    pub fn predict(&self, x: &ChunkedMatrix) -> Result<Prediction, ClusterError> {
        predict(x, self.centres.view(), None)
    }
}

impl ValidKMeansParams {
    /// Fits on `x` with optional per-row `weights`.
    pub fn fit(
        &self,
        x: &ChunkedMatrix,
        weights: Option<&[f64]>,
    ) -> Result<KMeansFit, ClusterError> {
        self.fit_monitored(x, weights, &Unmonitored)
    }

    /// Fits on `x`, reporting chunk tasks and progress to `monitor` and stopping with
    /// [`ClusterError::Cancelled`] at the next chunk or iteration once it cancels.
    pub fn fit_monitored(
        &self,
        x: &ChunkedMatrix,
        weights: Option<&[f64]>,
        monitor: &dyn Monitor,
    ) -> Result<KMeansFit, ClusterError> {
        let p = &self.0;
        let summary = Summary::of(x, weights)?;
        if p.k > summary.n {
            return Err(ClusterError::Limit(LimitError::out_of_range(
                "k",
                p.k.to_string(),
                format!("1 ..= n_samples ({})", summary.n),
            )));
        }
        monitor.checkpoint()?;
        let tol_abs = summary.absolute_tol(x, p.tol);
        let seeding = seed_centres(x, weights, &summary, p.k, &p.init, p.seed, p.tol, monitor)?;
        let d = x.n_cols();
        let initial = Array2::from_shape_vec((p.k, d), seeding.centres.clone())
            .expect("seeding returns k × d values");
        let out = lloyd(
            x,
            weights,
            &summary,
            seeding.centres,
            p.max_iter,
            tol_abs,
            p.algorithm,
            monitor,
        )?;
        Ok(KMeansFit {
            centres: Array2::from_shape_vec((p.k, d), out.centres).expect("k × d values"),
            initial_centres: initial,
            labels: out.labels,
            inertia: out.inertia,
            n_iter: out.n_iter,
            inertia_curve: out.curve,
            convergence: out.convergence,
            relocated: out.relocated,
            seeding: seeding.stats,
            seeding_trace: seeding.trace,
            centre_history: out.history,
            moved: out.moved,
        })
    }
}
