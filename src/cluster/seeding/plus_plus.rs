//! Greedy k-means++ with scikit-learn's semantics (`sklearn.cluster._kmeans._kmeans_plusplus`,
//! after Arthur & Vassilvitskii 2007): the first centre is drawn by weight; each further
//! step draws `2 + ⌊ln k⌋` candidates by D² sampling and keeps the one that leaves the
//! smallest potential `Σ w·min(d², d²_candidate)`.

use crate::cluster::chunk_tasks::{map_chunks, map_chunks_mut};
use crate::cluster::error::ClusterError;
use crate::cluster::kernels::assign_pass::bits;
use crate::cluster::kernels::general::{CentreSet, LANES, sq_dist};
use crate::cluster::lloyd::fixed_sum::FixedScale;
use crate::cluster::seeding::d2_sampling::{chunk_totals, pick, target};
use crate::cluster::seeding::{Seeding, SeedingStats, SeedingTrace};
use crate::cluster::summary::Summary;
use crate::data::{Chunk, ChunkedMatrix, KeyedStream, Purpose};
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
    // Which chosen centre each row's `closest` is the distance to: the triangle inequality
    // on it rules out most rows before any distance is computed.
    let mut nearest = vec![0u32; x.n_rows()];
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
        let reach = Reach::new(&centres, d, &cands, x);
        // The potential after adding each candidate: the current one less what the rows
        // it takes over gain. In fixed point the difference is exact, so this is the sum
        // of `fix(w·min(d², d²_candidate))` over every row, bit for bit.
        let sweeps: Vec<Sweep> = map_chunks(x, TaskKind::Seed, monitor, |c| {
            let rows = c.start_row..c.start_row + c.rows();
            let w = weights.map(|w| &w[rows.clone()]);
            reach.sweep(c, &closest[rows.clone()], &nearest[rows], w, &scale)
        })?;
        let pot: Vec<i128> = (0..trials)
            .map(|t| total - sweeps.iter().map(|g| g.gain[t]).sum::<i128>())
            .collect();
        let best = (0..trials)
            .min_by_key(|&t| (pot[t], t))
            .expect("at least one trial");
        let chosen = reach.candidate(best).to_vec();
        // The chosen candidate takes over the rows the sweep marked; each chunk's total
        // drops by exactly the gain counted there, so the totals stay the sums `pick` walks.
        let taken: Vec<(i128, Vec<u32>)> =
            map_chunks_mut(x, &mut closest, TaskKind::Seed, monitor, |c, cl| {
                let w = weights.map(|w| &w[c.start_row..c.start_row + c.rows()]);
                let (mut gain, mut rows) = (0i128, Vec::new());
                for (b, mask) in sweeps[c.index].taken(best).enumerate() {
                    for r in bits(mask).map(|l| b * LANES + l) {
                        let dist = reach.set.dist(c.row(r), &chosen);
                        let w = w.map_or(1.0, |w| w[r]);
                        gain += (scale.fix(w * cl[r]) - scale.fix(w * dist)) as i128;
                        cl[r] = dist;
                        rows.push(r as u32);
                    }
                }
                (gain, rows)
            })?;
        for ((total, (gain, rows)), c) in totals.iter_mut().zip(taken).zip(x.chunks()) {
            *total -= gain;
            for r in rows {
                nearest[c.start_row + r as usize] = step as u32;
            }
        }
        centres.extend_from_slice(&chosen);
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

/// Copies one row, eight values per vector: a `copy_from_slice` of a row's few dozen
/// bytes is a call to `memmove`, which cost more than the gather it served.
#[inline(always)]
fn copy_row(out: &mut [f32], row: &[f32]) {
    type V = std::simd::Simd<f32, 8>;
    let mut o8 = out.chunks_exact_mut(8);
    let mut r8 = row.chunks_exact(8);
    for (o, r) in (&mut o8).zip(&mut r8) {
        V::from_slice(r).copy_to_slice(o);
    }
    for (o, &r) in o8.into_remainder().iter_mut().zip(r8.remainder()) {
        *o = r;
    }
}

/// One chunk's sweep over a step's candidates.
struct Sweep {
    /// What each candidate would gain, in fixed point.
    gain: Vec<i128>,
    /// Block-major, candidate-minor: bit `l` of entry `b·trials + t` is set when candidate
    /// `t` takes over row `b·LANES + l`.
    taken: Vec<u32>,
    trials: usize,
}

impl Sweep {
    /// Candidate `t`'s mask of each block.
    fn taken(&self, t: usize) -> impl Iterator<Item = u32> + '_ {
        self.taken.iter().skip(t).step_by(self.trials).copied()
    }
}

/// The step's candidates and, for each chosen centre `a` and candidate `t`, the largest
/// `closest` a row nearest to `a` can have and still be certain that `t` does not take it
/// over.
///
/// By the triangle inequality `‖x − t‖ ≥ ‖a − t‖ − ‖x − a‖`, so a row with
/// `‖x − a‖² ≤ ‖a − t‖² / 4` is no nearer to `t` than to `a` (Elkan 2003, lemma 1; Raff
/// 2021 applies it to k-means++). The bound is shrunk by `1 + 2⁻¹⁰`, far beyond the
/// rounding of the `f64` distances, so that "no nearer" survives the rounding: a row ruled
/// out would have computed `d² ≥ closest` and left both the gain and `closest` as they are.
struct Reach {
    d: usize,
    trials: usize,
    /// The candidates' rows, `trials × d`.
    rows: Vec<f64>,
    /// The same, packed for the blocked filter.
    set: CentreSet,
    /// `‖a − t‖² / (4·(1 + 2⁻¹⁰))`, centre-major.
    limit: Vec<f64>,
    /// The smallest limit of each centre over the candidates.
    limit_all: Vec<f64>,
}

impl Reach {
    fn new(centres: &[f64], d: usize, cands: &[usize], x: &ChunkedMatrix) -> Self {
        let rows: Vec<f64> = cands
            .iter()
            .flat_map(|&i| x.row(i).iter().map(|&v| v as f64))
            .collect();
        let shrink = 4.0 * (1.0 + 1.0 / 1024.0);
        let trials = cands.len();
        let set = CentreSet::new(rows.clone(), d);
        // Every centre is a data row, so it is exact in f32. One buffer for all of them, and
        // the set's build of `sq_dist` (same bits): this runs once per step, over every
        // centre chosen so far, and on k-means||'s candidates eight times over.
        let mut a32 = vec![0.0f32; d];
        let mut limit = Vec::with_capacity(centres.len() / d * trials);
        for a in centres.chunks_exact(d) {
            for (o, &v) in a32.iter_mut().zip(a) {
                *o = v as f32;
            }
            limit.extend(rows.chunks_exact(d).map(|t| set.dist(&a32, t) / shrink));
        }
        let limit_all = limit
            .chunks_exact(trials)
            .map(|l| l.iter().copied().fold(f64::INFINITY, f64::min))
            .collect();
        Reach {
            d,
            trials,
            set,
            rows,
            limit,
            limit_all,
        }
    }

    /// The gain of every candidate over one chunk, and the rows each takes over. The rows
    /// some candidate may reach are gathered, [`LANES`] at a time, into a block for the
    /// blocked `f32` filter ([`CentreSet::within_block`]), which tests all candidates at
    /// once; only the rows it flags get an exact distance. Gathering rows, not testing whole
    /// blocks of the chunk, matters because rows come in random order: with half the rows
    /// reachable, almost every block of the chunk holds one.
    fn sweep(
        &self,
        c: Chunk<'_>,
        closest: &[f64],
        nearest: &[u32],
        w: Option<&[f64]>,
        scale: &FixedScale,
    ) -> Sweep {
        let (d, trials) = (self.d, self.trials);
        let mut gain = vec![0i128; trials];
        let mut taken = vec![0u32; closest.len().div_ceil(LANES) * trials];
        let (mut scratch, mut masks) = (self.set.scratch(), vec![0u32; trials]);
        // The gathered rows and their `closest`. One slot past the block takes the row being
        // tested, so the gather needs no branch; values are copied once a block is full.
        let mut rows = [0usize; LANES + 1];
        let mut block = vec![0.0f32; LANES * d];
        let mut bound = [0.0f64; LANES + 1];
        let mut n = 0;
        let exact = |r: usize, t: usize, gain: &mut [i128], taken: &mut [u32]| {
            let (old, dist) = (closest[r], self.set.dist(c.row(r), self.candidate(t)));
            if dist < old {
                let w = w.map_or(1.0, |w| w[r]);
                gain[t] += (scale.fix(w * old) - scale.fix(w * dist)) as i128;
                taken[(r / LANES) * trials + t] |= 1 << (r % LANES);
            }
        };
        for (r, (&old, &a)) in closest.iter().zip(nearest).enumerate() {
            rows[n] = r;
            bound[n] = old;
            n += !self.out_of_reach_of_all(a, old) as usize;
            if n == LANES {
                for (out, &r) in block.chunks_exact_mut(d).zip(&rows) {
                    copy_row(out, c.row(r));
                }
                let bound: &[f64; LANES] = bound[..LANES].try_into().expect("LANES bounds");
                self.set
                    .within_block(&block, &mut scratch, bound, &mut masks);
                for (t, &mask) in masks.iter().enumerate() {
                    for l in bits(mask) {
                        exact(rows[l], t, &mut gain, &mut taken);
                    }
                }
                n = 0;
            }
        }
        // The last gathered rows: each candidate's own limit, then the exact distance.
        for &r in &rows[..n] {
            for t in 0..trials {
                if !self.out_of_reach(nearest[r], t, closest[r]) {
                    exact(r, t, &mut gain, &mut taken);
                }
            }
        }
        Sweep {
            gain,
            taken,
            trials,
        }
    }

    fn candidate(&self, t: usize) -> &[f64] {
        &self.rows[t * self.d..(t + 1) * self.d]
    }

    /// Whether candidate `t` certainly cannot take over a row nearest to centre `a` at
    /// squared distance `closest`.
    #[inline]
    fn out_of_reach(&self, a: u32, t: usize, closest: f64) -> bool {
        closest <= self.limit[a as usize * self.trials + t]
    }

    /// The same for every candidate at once.
    #[inline]
    fn out_of_reach_of_all(&self, a: u32, closest: f64) -> bool {
        closest <= self.limit_all[a as usize]
    }
}
