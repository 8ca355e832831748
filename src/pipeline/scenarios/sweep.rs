//! Sweeps: a range of k (and optionally of seeds) evaluated as a family of scenarios that
//! share their upstream nodes — dask-ml's merged grid search, where candidates with the same
//! upstream parameters share one fitted prefix. Here the sharing falls out of the memo
//! store: every member has the same `generate` key, so the dataset is generated once.

use std::ops::RangeInclusive;
use std::sync::atomic::AtomicBool;

use serde::{Deserialize, Serialize};

use crate::limits;
use crate::pipeline::engine::evaluation::NodeState;
use crate::pipeline::engine::plan::Plan;
use crate::pipeline::engine::{Engine, SCORE_TARGETS};
use crate::pipeline::error::PipelineError;
use crate::pipeline::graph::TaskId;
use crate::pipeline::graph::inputs::ScenarioInputs;

/// Most scenarios one sweep may hold ([`limits::SWEEP_SIZE`]).
pub const MAX_SWEEP: usize = limits::SWEEP_SIZE.whole_max() as usize;

/// What to sweep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepSpec {
    /// Every other input.
    pub base: ScenarioInputs,
    /// Values of k.
    pub ks: Vec<usize>,
    /// k-means seeds (each k is fitted once per seed; the best inertia stands for k).
    pub seeds: Vec<u64>,
}

impl SweepSpec {
    /// k over `ks` with the base's seed.
    pub fn k_range(base: ScenarioInputs, ks: RangeInclusive<usize>) -> Self {
        let seeds = vec![base.kmeans_seed];
        Self {
            base,
            ks: ks.collect(),
            seeds,
        }
    }

    /// The same sweep over these seeds.
    pub fn with_seeds(mut self, seeds: Vec<u64>) -> Self {
        self.seeds = seeds;
        self
    }

    /// The members, seed by seed, k by k.
    pub fn scenarios(&self) -> Vec<ScenarioInputs> {
        self.seeds
            .iter()
            .flat_map(|&seed| {
                self.ks.iter().map(move |&k| ScenarioInputs {
                    k,
                    kmeans_seed: seed,
                    ..self.base.clone()
                })
            })
            .collect()
    }
}

/// Scores of one member.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepRow {
    /// Clusters.
    pub k: usize,
    /// k-means seed.
    pub seed: u64,
    /// Inertia on every row.
    pub inertia: f64,
    /// Silhouette (higher is better).
    pub silhouette: Option<f64>,
    /// Calinski–Harabasz (higher is better).
    pub calinski_harabasz: Option<f64>,
    /// Davies–Bouldin (lower is better).
    pub davies_bouldin: Option<f64>,
    /// Adjusted Rand index against the generating blobs (NaN, `null` in JSON, for an
    /// imported dataset).
    #[serde(with = "crate::pipeline::graph::imported::nan_as_null")]
    pub adjusted_rand: f64,
    /// Lloyd iterations.
    pub n_iter: usize,
    /// The evaluation that produced it (its jobs are in the log).
    pub evaluation: u64,
    /// Whether this member computed the dataset (rather than reusing the family's): in a
    /// sweep at most the first member does.
    #[serde(default)]
    pub generated: bool,
}

/// The best k by each criterion (`None` when no member defines it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BestK {
    /// The elbow of the inertia curve: inertia always falls with k, so its best k is where
    /// the curve bends most (the point farthest below the chord from the first to the last
    /// k, after scaling both axes to [0, 1] — the "kneedle" rule of Satopää et al. 2011).
    pub inertia_elbow: Option<usize>,
    /// Highest silhouette.
    pub silhouette: Option<usize>,
    /// Highest Calinski–Harabasz.
    pub calinski_harabasz: Option<usize>,
    /// Lowest Davies–Bouldin.
    pub davies_bouldin: Option<usize>,
}

/// The sweep's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepTable {
    /// Every member, in evaluation order.
    pub rows: Vec<SweepRow>,
    /// For each k (ascending), the member with the lowest inertia.
    pub per_k: Vec<SweepRow>,
    /// The best k by each criterion, from `per_k`.
    pub best: BestK,
}

impl Engine {
    /// Evaluates every member of `spec` (model and scores, no picture), outside the view
    /// lane. Parameters are all checked before any work starts.
    pub fn sweep(
        &self,
        spec: &SweepSpec,
        cancel: &AtomicBool,
    ) -> Result<SweepTable, PipelineError> {
        let members = spec.scenarios();
        limits::SWEEP_SEEDS.check_usize(spec.seeds.len())?;
        limits::SWEEP_SIZE.check_usize(members.len())?;
        let plans = members
            .iter()
            .map(Plan::new)
            .collect::<Result<Vec<_>, _>>()?;
        let steps = plans.len() as u32;
        let mut rows = Vec::with_capacity(plans.len());
        for (step, plan) in plans.iter().enumerate() {
            let e =
                self.evaluate_targets(plan, None, cancel, &SCORE_TARGETS, step as u32, steps)?;
            let m = &e.summary.metrics;
            rows.push(SweepRow {
                k: plan.inputs().k,
                seed: plan.inputs().kmeans_seed,
                inertia: m.inertia,
                silhouette: m.silhouette,
                calinski_harabasz: m.calinski_harabasz,
                davies_bouldin: m.davies_bouldin,
                adjusted_rand: m.adjusted_rand,
                n_iter: e.summary.fit.n_iter,
                evaluation: e.summary.evaluation,
                generated: matches!(
                    e.summary.node(TaskId::Generate).state,
                    NodeState::Computed | NodeState::Backdated
                ),
            });
        }
        Ok(table(rows))
    }
}

/// Builds the table from the members' rows.
pub fn table(rows: Vec<SweepRow>) -> SweepTable {
    let mut per_k: Vec<SweepRow> = Vec::new();
    for r in &rows {
        match per_k.iter_mut().find(|b| b.k == r.k) {
            Some(b) if r.inertia < b.inertia => *b = r.clone(),
            Some(_) => {}
            None => per_k.push(r.clone()),
        }
    }
    per_k.sort_by_key(|r| r.k);
    let best_by = |score: fn(&SweepRow) -> Option<f64>, higher: bool| {
        per_k
            .iter()
            .filter_map(|r| score(r).filter(|v| v.is_finite()).map(|v| (r.k, v)))
            .reduce(|a, b| {
                let better = if higher { b.1 > a.1 } else { b.1 < a.1 };
                if better { b } else { a }
            })
            .map(|(k, _)| k)
    };
    let best = BestK {
        inertia_elbow: elbow(&per_k),
        silhouette: best_by(|r| r.silhouette, true),
        calinski_harabasz: best_by(|r| r.calinski_harabasz, true),
        davies_bouldin: best_by(|r| r.davies_bouldin, false),
    };
    SweepTable { rows, per_k, best }
}

/// The kneedle elbow of inertia against k (at least three ks, inertia not flat).
fn elbow(per_k: &[SweepRow]) -> Option<usize> {
    let (first, last) = (per_k.first()?, per_k.last()?);
    let (dk, di) = ((last.k - first.k) as f64, first.inertia - last.inertia);
    if per_k.len() < 3 || di.abs() <= f64::EPSILON * first.inertia.abs() {
        return None;
    }
    per_k
        .iter()
        .map(|r| {
            let x = (r.k - first.k) as f64 / dk;
            let y = (first.inertia - r.inertia) / di;
            (r.k, y - x)
        })
        .filter(|&(_, gap)| gap > 0.0)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(k, _)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(k: usize, seed: u64, inertia: f64, sil: f64) -> SweepRow {
        SweepRow {
            k,
            seed,
            inertia,
            silhouette: Some(sil),
            calinski_harabasz: Some(-inertia),
            davies_bouldin: Some(sil),
            adjusted_rand: 0.0,
            n_iter: 1,
            generated: false,
            evaluation: 0,
        }
    }

    #[test]
    fn best_k_by_each_criterion_and_best_seed_per_k() {
        // An L-shaped inertia curve bending at k = 4.
        let rows = vec![
            row(2, 0, 1000.0, 0.5),
            row(3, 0, 600.0, 0.6),
            row(4, 0, 200.0, 0.8),
            row(4, 1, 150.0, 0.7),
            row(5, 0, 180.0, 0.4),
            row(6, 0, 170.0, 0.3),
        ];
        let t = table(rows);
        assert_eq!(
            t.per_k.iter().map(|r| r.k).collect::<Vec<_>>(),
            [2, 3, 4, 5, 6]
        );
        assert_eq!(t.per_k[2].seed, 1);
        assert_eq!(t.best.inertia_elbow, Some(4));
        assert_eq!(t.best.silhouette, Some(4));
        assert_eq!(t.best.calinski_harabasz, Some(4));
        assert_eq!(t.best.davies_bouldin, Some(6));
    }

    #[test]
    fn no_elbow_on_two_points_or_a_flat_curve() {
        assert_eq!(
            table(vec![row(2, 0, 5.0, 0.1), row(3, 0, 1.0, 0.2)])
                .best
                .inertia_elbow,
            None
        );
        let flat = (2..6).map(|k| row(k, 0, 1.0, 0.1)).collect();
        assert_eq!(table(flat).best.inertia_elbow, None);
    }
}
