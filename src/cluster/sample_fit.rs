//! Fit on a sample, then refine on every row.
//!
//! faiss's `Kmeans` trains on at most `max_points_per_centroid = 256` rows per centre and
//! then assigns everything: on large, well-clustered data that is most of the quality for a
//! fraction of the time. The sample's centres miss what the rows left out would have moved,
//! so the preset here follows the sample fit with full Lloyd passes over every row, seeded
//! by the sample's centres: each pass is one assignment pass plus an update, and the
//! result is a true fit of the whole data (labels, inertia and centres consistent), only
//! started from a better place than a seeding.

use serde::Serialize;

use super::error::ClusterError;
use super::fit::KMeansFit;
use super::params::{Init, ValidKMeansParams};
use crate::data::ChunkedMatrix;
use crate::data::row_sample::sample_rows;
use crate::limits::{self, LimitError};
use crate::monitor::Monitor;

/// Rows per centre faiss trains on by default (`max_points_per_centroid`).
pub const FAISS_ROWS_PER_CENTRE: usize = 256;

/// Full Lloyd passes after the sample fit in the faiss-style preset.
pub const FAISS_REFINE_PASSES: usize = 1;

/// Most restarts of the sample fit.
pub const MAX_RESTARTS: usize = 8;

/// How a fit trains on a sample before refining on all rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SampleFit {
    /// Rows drawn for the sample fit (all rows when the data have no more).
    pub rows: usize,
    /// Lloyd passes over every row from the sample's centres afterwards (at least 1).
    pub refine_passes: usize,
    /// Fits of the sample from different seeds, the one of least inertia on the sample
    /// kept (scikit-learn's `n_init`, on the sample only).
    pub restarts: usize,
}

impl SampleFit {
    /// `rows` sampled rows of `n`, then `refine_passes` passes, restarting the sample fit
    /// as often as fits in the time of about one pass over every row: a small sample can
    /// land in a local minimum (two centres sharing a blob, one holding two) that the
    /// passes over every row cannot leave, and restarts on it are cheap.
    pub fn new(rows: usize, refine_passes: usize, n: usize) -> Self {
        // A sample fit costs some forty passes over the sample (seeding and iterations).
        let restarts = (n / rows.max(1) / 40).clamp(1, MAX_RESTARTS);
        SampleFit {
            rows,
            refine_passes,
            restarts,
        }
    }

    /// faiss's default training size, `256·k` rows of `n`, then [`FAISS_REFINE_PASSES`]
    /// passes.
    pub fn faiss(k: usize, n: usize) -> Self {
        Self::new(
            FAISS_ROWS_PER_CENTRE.saturating_mul(k),
            FAISS_REFINE_PASSES,
            n,
        )
    }
}

/// A fit trained on a sample and refined on every row.
#[derive(Debug, Clone)]
pub struct SampledFit {
    /// Rows the sample fit trained on.
    pub sample_rows: usize,
    /// Fits of the sample run: the plan's restarts, or one when every seed would give the
    /// same fit (explicit centres) or there was no sample.
    pub restarts: usize,
    /// The fit of the sample (its labels, inertia and seeding are the sample's); `None`
    /// when the sample would have been every row.
    pub sample: Option<KMeansFit>,
    /// The fit of every row, started from the sample's centres (its `initial_centres`).
    pub fit: KMeansFit,
}

impl ValidKMeansParams {
    /// Fits on a sample of `plan.rows` rows ([`sample_rows`], keyed by the k-means seed,
    /// with their weights; restart `r` seeds the fit with `seed + r`), then runs
    /// `plan.refine_passes` Lloyd iterations over all of `x` from the sample's centres,
    /// under the same tolerance and algorithm. When the sample would be all the rows this
    /// is an ordinary fit.
    pub fn fit_on_sample(
        &self,
        x: &ChunkedMatrix,
        weights: Option<&[f64]>,
        plan: SampleFit,
        monitor: &dyn Monitor,
    ) -> Result<SampledFit, ClusterError> {
        let p = self.params();
        limits::FIT_SAMPLE.check_usize(plan.rows)?;
        if plan.rows < p.k {
            return Err(ClusterError::Limit(LimitError::out_of_range(
                "fit_sample",
                plan.rows.to_string(),
                format!("at least k = {}", p.k),
            )));
        }
        limits::MAX_ITER
            .named("refine_passes")
            .check_usize(plan.refine_passes)?;
        if plan.rows >= x.n_rows() {
            let fit = self.fit_monitored(x, weights, monitor)?;
            return Ok(SampledFit {
                sample_rows: x.n_rows(),
                restarts: 1,
                sample: None,
                fit,
            });
        }
        let (sample, picked) = sample_rows(x, plan.rows, p.seed)?;
        let sample_weights: Option<Vec<f64>> =
            weights.map(|w| picked.iter().map(|&r| w[r]).collect());
        let restarts = match p.init {
            Init::Centers(_) => 1,
            _ => plan.restarts.clamp(1, MAX_RESTARTS),
        };
        let mut on_sample: Option<KMeansFit> = None;
        for r in 0..restarts {
            let seed = (p.seed + r as u64) % (limits::MAX_SEED + 1);
            let restart = super::KMeansParams { seed, ..p.clone() }.check()?;
            let fit = restart.fit_monitored(&sample, sample_weights.as_deref(), monitor)?;
            if on_sample
                .as_ref()
                .is_none_or(|best| fit.inertia < best.inertia)
            {
                on_sample = Some(fit);
            }
        }
        let on_sample = on_sample.expect("at least one restart");
        let refine = super::KMeansParams {
            init: Init::Centers(on_sample.centres.outer_iter().map(|c| c.to_vec()).collect()),
            max_iter: plan.refine_passes,
            ..p.clone()
        }
        .check()?;
        let fit = refine.fit_monitored(x, weights, monitor)?;
        Ok(SampledFit {
            sample_rows: sample.n_rows(),
            restarts,
            sample: Some(on_sample),
            fit,
        })
    }
}
