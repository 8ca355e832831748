//! Greedy k-means++ with scikit-learn's semantics (`sklearn.cluster._kmeans._kmeans_plusplus`,
//! after Arthur & Vassilvitskii 2007): the first centre is drawn by weight; each further
//! step draws `2 + ⌊ln k⌋` candidates by D² sampling and keeps the one that leaves the
//! smallest potential `Σ w·min(d², d²_candidate)`.

use crate::cluster::chunk_tasks::map_chunks_mut;
use crate::cluster::error::ClusterError;
use crate::cluster::kernels::general::sq_dist;
use crate::cluster::lloyd::fixed_sum::FixedScale;
use crate::cluster::seeding::d2_sampling::{chunk_totals, pick, target};
use crate::cluster::seeding::{Seeding, SeedingStats, SeedingTrace};
use crate::cluster::summary::Summary;
use crate::data::{ChunkedMatrix, KeyedStream, Purpose};
use crate::monitor::{Monitor, TaskKind};

/// scikit-learn's number of local trials: `2 + ⌊ln k⌋`.
pub fn default_trials(k: usize) -> usize {
    2 + libm::log(k as f64) as usize
}

/// Draws the first centre: uniformly, or by weight.
pub(crate) fn first_row(
    x: &ChunkedMatrix,
    weights: Option<&[f64]>,
    summary: &Summary,
    s: &mut KeyedStream,
) -> usize {
    match weights {
        None => s.below(x.n_rows() as u64) as usize,
        Some(w) => {
            let ones = vec![1.0; x.n_rows()];
            let scale = summary.weight_scale();
            let totals = chunk_totals(x, Some(w), &ones, &scale);
            let total: i128 = totals.iter().sum();
            pick(
                x,
                Some(w),
                &ones,
                &scale,
                &totals,
                target(s.uniform(), total),
            )
        }
    }
}

/// Greedy k-means++ on `x` (`k ≤ n`).
pub fn kmeans_plus_plus(
    x: &ChunkedMatrix,
    weights: Option<&[f64]>,
    summary: &Summary,
    k: usize,
    n_local_trials: Option<usize>,
    seed: u64,
    monitor: &dyn Monitor,
) -> Result<Seeding, ClusterError> {
    let d = x.n_cols();
    let trials = n_local_trials.unwrap_or_else(|| default_trials(k));
    let scale: FixedScale = summary.dist_scale();
    let mut s = KeyedStream::new(seed, Purpose::InitPlusPlus, 0);
    let first = first_row(x, weights, summary, &mut s);
    let mut centres: Vec<f64> = x.row(first).iter().map(|&v| v as f64).collect();
    let mut closest = vec![0.0f64; x.n_rows()];
    let c0 = centres.clone();
    map_chunks_mut(x, &mut closest, TaskKind::Seed, monitor, |c, out| {
        for (r, o) in out.iter_mut().enumerate() {
            *o = sq_dist(c.row(r), &c0);
        }
    })?;
    let mut totals = chunk_totals(x, weights, &closest, &scale);
    let mut stats = SeedingStats {
        method: "k-means++".into(),
        candidates_per_round: vec![1],
        cost_per_round: vec![scale.value(totals.iter().sum())],
        n_candidates: k,
        ..Default::default()
    };
    for step in 1..k {
        monitor.checkpoint()?;
        let total: i128 = totals.iter().sum();
        let mut s = KeyedStream::new(seed, Purpose::InitPlusPlus, step as u64);
        let cands: Vec<usize> = (0..trials)
            .map(|_| {
                pick(
                    x,
                    weights,
                    &closest,
                    &scale,
                    &totals,
                    target(s.uniform(), total),
                )
            })
            .collect();
        let cand_rows: Vec<Vec<f64>> = cands
            .iter()
            .map(|&i| x.row(i).iter().map(|&v| v as f64).collect())
            .collect();
        // Potential after adding each candidate, summed per chunk.
        let pots: Vec<Vec<i128>> =
            map_chunks_mut(x, &mut closest, TaskKind::Seed, monitor, |c, cl| {
                let mut p = vec![0i128; trials];
                for (r, &old) in cl.iter().enumerate() {
                    let w = weights.map_or(1.0, |w| w[c.start_row + r]);
                    for (t, cr) in cand_rows.iter().enumerate() {
                        let dist = sq_dist(c.row(r), cr).min(old);
                        p[t] += scale.fix(w * dist) as i128;
                    }
                }
                p
            })?;
        let pot: Vec<i128> = (0..trials)
            .map(|t| pots.iter().map(|p| p[t]).sum())
            .collect();
        let best = (0..trials)
            .min_by_key(|&t| (pot[t], t))
            .expect("at least one trial");
        let chosen = &cand_rows[best];
        map_chunks_mut(x, &mut closest, TaskKind::Seed, monitor, |c, cl| {
            for (r, o) in cl.iter_mut().enumerate() {
                *o = o.min(sq_dist(c.row(r), chosen));
            }
        })?;
        totals = chunk_totals(x, weights, &closest, &scale);
        centres.extend_from_slice(chosen);
        stats.candidates_per_round.push(1);
        stats.cost_per_round.push(scale.value(pot[best]));
        monitor.progress(step as u64, k as u64);
    }
    debug_assert_eq!(centres.len(), k * d);
    Ok(Seeding {
        trace: SeedingTrace::of_centres(&centres, d, |i| i as u32),
        centres,
        stats,
    })
}
