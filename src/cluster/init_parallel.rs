//! k-means|| seeding (Bahmani, Moseley, Vattani, Kumar & Vassilvitskii, "Scalable
//! k-means++", VLDB 2012), the seeding of Spark MLlib and dask-ml.
//!
//! One centre is chosen first; then each round keeps every row independently with
//! probability `min(1, ℓ·w·d²(x)/φ)` — one pass over the data for ℓ candidates, where
//! k-means++ needs k passes. Each row's draw is keyed by `(seed, InitParallel, round)` at
//! counter = row, so the candidates do not depend on chunking or threads. After a round
//! only the distances to the new candidates are computed (the min-distance update of
//! Bahmani et al. §3.5), candidates equal to earlier ones are dropped, and each candidate
//! is weighted by the rows closest to it (step 7). The candidates are then reclustered to
//! k centres (step 8): weighted greedy k-means++ then weighted Lloyd, best of a few
//! restarts — or, for the dask-ml preset, dask-ml's unweighted recluster.

use std::collections::HashSet;

use super::chunk_tasks::map_chunks_mut;
use super::error::ClusterError;
use super::fixed_sum::{BlockFixSum, FixedScale};
use super::init_plus_plus::{first_row, kmeans_plus_plus};
use super::init_random::random_rows;
use super::kernel::{CentreSet, LANES, Ranking};
use super::lloyd::lloyd;
use super::params::{
    Algorithm, DEFAULT_MAX_ITER, FirstCenter, Oversampling, ParallelInit, Recluster, Rounds,
};
use super::seeding::{Seeding, SeedingStats};
use super::summary::Summary;
use crate::data::keyed_stream::stream_key;
use crate::data::{ChunkedMatrix, KeyedStream, Purpose};
use crate::monitor::{Monitor, TaskKind, Unmonitored};

/// Stream index of the first-centre draw; rounds use indices `1..`.
const FIRST_DRAW: u64 = 0;
/// Offset of the recluster restarts' seeds in the `InitParallel` index space.
const RECLUSTER_INDEX: u64 = 1 << 40;

/// Candidates so far: their values and a set of their bit patterns (for de-duplication).
struct Candidates {
    d: usize,
    values: Vec<f32>,
    seen: HashSet<Vec<u32>>,
}

impl Candidates {
    fn len(&self) -> usize {
        self.values.len() / self.d
    }

    /// Adds `row` unless an equal row is already a candidate; returns whether it was added.
    fn push(&mut self, row: &[f32]) -> bool {
        let key: Vec<u32> = row.iter().map(|v| v.to_bits()).collect();
        if self.seen.insert(key) {
            self.values.extend_from_slice(row);
            true
        } else {
            false
        }
    }
}

/// Lowers each row's distance and updates its nearest candidate with candidates `from..`
/// of `cands`; returns the new potential `φ = Σ w·d²`, summed in the same pass.
fn update_nearest(
    x: &ChunkedMatrix,
    weights: Option<&[f64]>,
    cands: &Candidates,
    from: usize,
    state: &mut [(f32, u32)],
    scale: &FixedScale,
    monitor: &dyn Monitor,
) -> Result<f64, ClusterError> {
    let d = x.n_cols();
    let new: Vec<f64> = cands.values[from * d..].iter().map(|&v| v as f64).collect();
    if new.is_empty() {
        return Ok(potential(weights, state, scale));
    }
    let cs = CentreSet::new(new, d);
    let parts = map_chunks_mut(x, state, TaskKind::Seed, monitor, |c, st| {
        let mut scratch = cs.scratch();
        let mut a = Ranking::default();
        let (mut labels, mut dists) = ([0u32; LANES], [0.0f64; LANES]);
        let blocks = c.values.chunks(d * LANES).zip(st.chunks_mut(LANES));
        for (block, st) in blocks {
            cs.rank(block, &mut scratch, &mut a);
            cs.exact_of_block(&a, block, &mut labels, &mut dists);
            for (l, s) in st.iter_mut().enumerate() {
                // Selects, not branches: whether a new candidate is nearer is close to a
                // coin flip in the early rounds.
                let nearer = dists[l] < s.0 as f64;
                s.0 = if nearer { dists[l] as f32 } else { s.0 };
                s.1 = if nearer { from as u32 + labels[l] } else { s.1 };
            }
        }
        let w = weights.map(|w| &w[c.start_row..c.start_row + c.rows()]);
        match w {
            None => unit_potential(st, scale),
            Some(w) => st
                .iter()
                .zip(w)
                .map(|(s, &w)| scale.fix(w * s.0 as f64) as i128)
                .sum::<i128>(),
        }
    })?;
    Ok(scale.value(parts.into_iter().sum()))
}

/// `φ = Σ w·d²` over rows, as an order-independent sum.
/// `Σ fix(d)` over the rows' distances, eight per vector add ([`BlockFixSum`]: the same
/// integer as adding them one by one; distances are never negative).
fn unit_potential(state: &[(f32, u32)], scale: &FixedScale) -> i128 {
    let mut sum = BlockFixSum::new(scale);
    let mut blocks = state.chunks_exact(8);
    for b in &mut blocks {
        let terms: [f64; 8] = std::array::from_fn(|l| b[l].0 as f64);
        sum.add(&terms);
    }
    let tail: i128 = blocks
        .remainder()
        .iter()
        .map(|s| scale.fix(s.0 as f64) as i128)
        .sum();
    sum.total() + tail
}

fn potential(weights: Option<&[f64]>, state: &[(f32, u32)], scale: &FixedScale) -> f64 {
    use rayon::prelude::*;
    let total: i128 = state
        .par_chunks(1 << 14)
        .enumerate()
        .map(|(c, st)| {
            if weights.is_none() {
                return unit_potential(st, scale);
            }
            st.iter()
                .enumerate()
                .map(|(r, s)| {
                    let w = weights.map_or(1.0, |w| w[(c << 14) + r]);
                    scale.fix(w * s.0 as f64) as i128
                })
                .sum::<i128>()
        })
        .collect::<Vec<i128>>()
        .into_iter()
        .sum();
    scale.value(total)
}

/// k-means|| seeding of `k` centres.
#[allow(clippy::too_many_arguments)]
pub fn kmeans_parallel(
    x: &ChunkedMatrix,
    weights: Option<&[f64]>,
    summary: &Summary,
    k: usize,
    p: &ParallelInit,
    seed: u64,
    tol: f64,
    monitor: &dyn Monitor,
) -> Result<Seeding, ClusterError> {
    let (n, d) = (x.n_rows(), x.n_cols());
    let scale = summary.dist_scale();
    let first = match p.first {
        FirstCenter::Random => {
            let mut s = KeyedStream::new(seed, Purpose::InitParallel, FIRST_DRAW);
            first_row(x, weights, summary, &mut s)
        }
        FirstCenter::Row(r) => {
            if r >= n {
                return Err(ClusterError::OutOfRange {
                    name: "first centre row",
                    value: r.to_string(),
                    allowed: format!("0 ..= {}", n - 1),
                });
            }
            r
        }
    };
    let mut cands = Candidates {
        d,
        values: Vec::new(),
        seen: HashSet::new(),
    };
    cands.push(x.row(first));
    // Squared distance to the nearest candidate (f32 is plenty for sampling weights and
    // halves the memory) and that candidate's index.
    let mut state = super::lloyd::filled(n, (f32::INFINITY, 0u32));
    let mut phi = update_nearest(x, weights, &cands, 0, &mut state, &scale, monitor)?;
    let ell = match p.oversampling {
        Oversampling::PerCluster(f) => f * k as f64,
        Oversampling::Absolute(l) => l,
    };
    let rounds = match p.rounds {
        Rounds::Fixed(r) => r,
        // dask-ml: `int(np.round(np.log(cost)))`.
        Rounds::LnCost => {
            if phi > 0.0 {
                libm::round(libm::log(phi)).max(0.0) as usize
            } else {
                0
            }
        }
    };
    let mut stats = SeedingStats {
        method: "k-means||".into(),
        candidates_per_round: vec![1],
        cost_per_round: vec![phi],
        ..Default::default()
    };
    for round in 1..=rounds {
        monitor.checkpoint()?;
        if phi <= 0.0 {
            break;
        }
        let picked: Vec<Vec<usize>> =
            map_chunks_mut(x, &mut state, TaskKind::Seed, monitor, |c, st| {
                let mut s = KeyedStream::new(seed, Purpose::InitParallel, round as u64);
                let mut out = Vec::new();
                let per_cost = ell / phi;
                for (r, &(dist, _)) in st.iter().enumerate() {
                    let i = c.start_row + r;
                    let w = weights.map_or(1.0, |w| w[i]);
                    s.seek(i as u64);
                    if s.uniform() < per_cost * w * dist as f64 {
                        out.push(i);
                    }
                }
                out
            })?;
        let from = cands.len();
        for i in picked.into_iter().flatten() {
            cands.push(x.row(i));
        }
        phi = update_nearest(x, weights, &cands, from, &mut state, &scale, monitor)?;
        stats.candidates_per_round.push(cands.len() - from);
        stats.cost_per_round.push(phi);
        monitor.progress(round as u64, rounds as u64);
    }
    stats.n_candidates = cands.len();
    if cands.len() < k {
        // Too few distinct candidates (few rounds, small ℓ, or few distinct rows): add
        // random rows, distinct when possible, and say so.
        let from = cands.len();
        let extra = random_rows(n, n.min(4 * k + 64), seed, 1);
        for &i in &extra {
            if cands.len() == k {
                break;
            }
            cands.push(x.row(i));
        }
        let mut i = 0;
        while cands.len() < k {
            cands
                .values
                .extend_from_slice(x.row(extra[i % extra.len()]));
            i += 1;
        }
        stats.padded = cands.len() - from;
        update_nearest(x, weights, &cands, from, &mut state, &scale, monitor)?;
    }
    let m = cands.len();
    if m == k {
        return Ok(Seeding {
            centres: cands.values.iter().map(|&v| v as f64).collect(),
            stats,
        });
    }
    // Candidate weights: the weight of the rows closest to each (Bahmani et al., step 7).
    let wscale = summary.weight_scale();
    let parts: Vec<Vec<i128>> = map_chunks_mut(x, &mut state, TaskKind::Seed, monitor, |c, st| {
        match weights {
            // Unweighted, every row adds the same term: count, then scale once.
            None => {
                let mut count = vec![0u64; m];
                for &(_, o) in st.iter() {
                    count[o as usize] += 1;
                }
                let unit = wscale.fix(1.0) as i128;
                count.iter().map(|&n| n as i128 * unit).collect()
            }
            Some(w) => {
                let mut acc = vec![0i128; m];
                for (&(_, o), &w) in st.iter().zip(&w[c.start_row..]) {
                    acc[o as usize] += wscale.fix(w) as i128;
                }
                acc
            }
        }
    })?;
    drop(state);
    let cand_w: Vec<f64> = (0..m)
        .map(|c| wscale.value(parts.iter().map(|p| p[c]).sum()))
        .collect();
    let cx = ChunkedMatrix::from_vec(cands.values, m, d, x.chunk_rows())?;
    let (centres, inertia) = match p.recluster {
        Recluster::Weighted { n_init } => {
            recluster(&cx, Some(&cand_w), k, n_init, seed, tol, monitor)?
        }
        Recluster::Unweighted => recluster(&cx, None, k, 1, seed, tol, monitor)?,
    };
    stats.recluster_inertia = Some(inertia);
    Ok(Seeding { centres, stats })
}

/// The best of `n_init` k-means++ + Lloyd runs on the candidates, by (weighted) inertia.
fn recluster(
    cx: &ChunkedMatrix,
    weights: Option<&[f64]>,
    k: usize,
    n_init: usize,
    seed: u64,
    tol: f64,
    monitor: &dyn Monitor,
) -> Result<(Vec<f64>, f64), ClusterError> {
    let summary = Summary::of(cx, weights)?;
    let tol_abs = summary.absolute_tol(cx, tol);
    let mut best: Option<(Vec<f64>, f64)> = None;
    for attempt in 0..n_init as u64 {
        monitor.checkpoint()?;
        let s = stream_key(seed, Purpose::InitParallel, RECLUSTER_INDEX + attempt);
        let init = kmeans_plus_plus(cx, weights, &summary, k, None, s, &Unmonitored)?;
        let out = lloyd(
            cx,
            weights,
            &summary,
            init.centres,
            DEFAULT_MAX_ITER,
            tol_abs,
            Algorithm::Lloyd,
            &Unmonitored,
        )?;
        if best.as_ref().is_none_or(|b| out.inertia < b.1) {
            best = Some((out.centres, out.inertia));
        }
    }
    Ok(best.expect("n_init ≥ 1"))
}
