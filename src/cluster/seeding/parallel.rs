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

use crate::cluster::chunk_tasks::{map_chunks, map_chunks_mut, map_chunks_mut2};
use crate::cluster::error::ClusterError;
use crate::cluster::kernels::general::{CentreSet, LANES, Ranking, sq_dist};
use crate::cluster::labels::{LabelWidth, LabelWord, Labels, on_words};
use crate::cluster::lloyd::fixed_sum::{BlockFixSum, FixedScale};
use crate::cluster::lloyd::lloyd;
use crate::cluster::params::{
    Algorithm, DEFAULT_MAX_ITER, FirstCenter, Oversampling, ParallelInit, Recluster, Rounds,
};
use crate::cluster::seeding::plus_plus::{first_row, kmeans_plus_plus};
use crate::cluster::seeding::random::random_rows;
use crate::cluster::seeding::{Seeding, SeedingStats, SeedingTrace};
use crate::cluster::summary::Summary;
use crate::data::keyed_stream::stream_key;
use crate::data::{Chunk, ChunkedMatrix, KeyedStream, Purpose};
use crate::limits::LimitError;
use crate::monitor::{Monitor, TaskKind, Unmonitored};

/// Stream index of the first-centre draw; rounds use indices `1..`.
const FIRST_DRAW: u64 = 0;
/// Offset of the recluster restarts' seeds in the `InitParallel` index space.
const RECLUSTER_INDEX: u64 = 1 << 40;

/// Candidates so far: their values, the round that drew each, and a set of their bit
/// patterns (for de-duplication).
struct Candidates {
    d: usize,
    values: Vec<f32>,
    round: Vec<u32>,
    seen: HashSet<Vec<u32>>,
}

impl Candidates {
    fn len(&self) -> usize {
        self.values.len() / self.d
    }

    /// The candidates' values in `f64`, `m × d`.
    fn as_f64(&self) -> Vec<f64> {
        self.values.iter().map(|&v| v as f64).collect()
    }

    /// Adds `row`, drawn in `round`, unless an equal row is already a candidate; returns
    /// whether it was added.
    fn push(&mut self, row: &[f32], round: u32) -> bool {
        let key: Vec<u32> = row.iter().map(|v| v.to_bits()).collect();
        if self.seen.insert(key) {
            self.values.extend_from_slice(row);
            self.round.push(round);
            true
        } else {
            false
        }
    }
}

/// What an update pass also does while each row's new distance is in registers.
#[derive(Debug, Clone, Copy)]
struct Extras {
    /// Draw for this round's sampling (stream index = round) with oversampling `ℓ`.
    sample: Option<(u64, f64)>,
    /// Count the rows nearest to each candidate (unweighted only).
    count: bool,
}

/// One update pass's results: the potential, and what [`Extras`] asked for.
struct Pass {
    phi: f64,
    draws: Option<Vec<ChunkDraws>>,
    counts: Option<Vec<u64>>,
}

/// The rows of one chunk that the next round may pick, found before `φ` is known.
///
/// A row is picked when `u < ℓ·w·d²/φ`, i.e. when its threshold `t = ℓ·w·d²/u` exceeds
/// `φ`. Each chunk keeps its rows of largest `t` (at most `2 · keep`) and the largest
/// `t` it dropped; once `φ` is known, the kept rows are tested with the exact rule, and a
/// chunk that dropped a row with `t` near `φ` is scanned again ([`sample_chunk`]). So the
/// candidates are exactly those of a separate sampling pass, without that pass.
struct ChunkDraws {
    start_row: usize,
    rows: usize,
    keep: usize,
    kept: Vec<(f64, usize)>,
    dropped_max: f64,
}

impl ChunkDraws {
    fn new(start_row: usize, rows: usize, keep: usize) -> Self {
        Self {
            start_row,
            rows,
            keep,
            kept: Vec::with_capacity(2 * keep),
            dropped_max: 0.0,
        }
    }

    /// Offers row `i` with mass `ℓ·w·d²` and uniform draw `u`.
    #[inline(always)]
    fn offer(&mut self, i: usize, mass: f64, u: f64) {
        // `t > dropped_max` without a division; `u = 0` gives `t = ∞`. Once a chunk has
        // filled its list, most rows fail this test: only the test is inlined.
        if mass > self.dropped_max * u {
            self.keep_row(i, mass / u);
        }
    }

    #[inline(never)]
    fn keep_row(&mut self, i: usize, t: f64) {
        self.kept.push((t, i));
        if self.kept.len() == 2 * self.keep {
            let k = self.keep;
            self.kept
                .select_nth_unstable_by(k, |a, b| b.0.total_cmp(&a.0));
            self.dropped_max = self.dropped_max.max(self.kept[k].0);
            self.kept.truncate(k);
        }
    }
}

/// Rows kept per chunk: several times the expected picks of a chunk of average mass.
fn keep_per_chunk(ell: f64, chunk_rows: usize, n: usize) -> usize {
    let expected = ell * chunk_rows as f64 / n as f64;
    (4.0 * expected).ceil().clamp(32.0, 1e6) as usize
}

/// Whether row `i` at squared distance `dist` is picked in `round` — the one sampling rule
/// (Bahmani et al., step 4), shared by the fused and the separate pass.
#[inline]
fn picks(s: &mut KeyedStream, i: usize, w: f64, dist: f32, per_cost: f64) -> bool {
    s.seek(i as u64);
    s.uniform() < per_cost * w * dist as f64
}

/// The fewest features for which [`NearestCandidate`] keeps each row's distance.
const KEEP_DIST_MIN_D: usize = 8;

/// Each row's nearest candidate so far, in the narrowest word that holds the candidates'
/// indices, and from [`KEEP_DIST_MIN_D`] features on its squared distance too.
///
/// With few features the distance is recomputed where it is needed ([`dist_to`]), so the
/// state is 1–2 bytes a row where a stored `(f32, u32)` pair took 8: at 10M rows of two
/// features that pair alone was as large as the data. With many, recomputing it cost an
/// exact distance per row and pass (a fifth of W3's update pass) while keeping it costs at
/// most an eighth of the data. The kept value is the exact distance rounded to `f32`, the
/// bits a recomputation gives.
struct NearestCandidate {
    labels: Labels,
    dist: Option<Vec<f32>>,
}

impl NearestCandidate {
    fn new(n: usize, d: usize) -> Self {
        use crate::cluster::lloyd::filled;
        NearestCandidate {
            labels: Labels::U8(filled(n, 0u8)),
            dist: (d >= KEEP_DIST_MIN_D).then(|| filled(n, f32::INFINITY)),
        }
    }

    /// Widens the words, if needed, to hold candidate indices below `m`.
    fn hold(&mut self, m: usize) {
        let wider = match (&self.labels, LabelWidth::for_k(m)) {
            (Labels::U8(v), LabelWidth::U16) => Labels::U16(v.iter().map(|&c| c as u16).collect()),
            (Labels::U8(v), LabelWidth::U32) => Labels::U32(v.iter().map(|&c| c as u32).collect()),
            (Labels::U16(v), LabelWidth::U32) => Labels::U32(v.iter().map(|&c| c as u32).collect()),
            _ => return,
        };
        self.labels = wider;
    }
}

/// The state's squared distance of `row` to candidate `c` of `c64` (`m × d`, `f64`): the
/// exact [`sq_dist`] rounded to `f32` (plenty for sampling weights), the same bits the
/// update pass compared and kept.
#[inline]
fn dist_to(row: &[f32], c64: &[f64], c: u32) -> f32 {
    let d = row.len();
    sq_dist(row, &c64[c as usize * d..(c as usize + 1) * d]) as f32
}

/// The rows of one chunk picked in `round`, by scanning every row.
#[allow(clippy::too_many_arguments)]
fn sample_chunk<L: LabelWord>(
    seed: u64,
    round: u64,
    weights: Option<&[f64]>,
    c: Chunk<'_>,
    near: &[L],
    c64: &[f64],
    per_cost: f64,
    out: &mut Vec<usize>,
) {
    let mut s = KeyedStream::new(seed, Purpose::InitParallel, round);
    for (r, &a) in near.iter().enumerate() {
        let i = c.start_row + r;
        let dist = dist_to(c.row(r), c64, a.to_label());
        if picks(&mut s, i, weights.map_or(1.0, |w| w[i]), dist, per_cost) {
            out.push(i);
        }
    }
}

/// The rows picked in `round` (in row order): from the fused pass's kept rows when it ran,
/// by a separate pass otherwise.
#[allow(clippy::too_many_arguments)]
fn pick_rows<L: LabelWord>(
    x: &ChunkedMatrix,
    weights: Option<&[f64]>,
    near: &[L],
    c64: &[f64],
    draws: Option<Vec<ChunkDraws>>,
    seed: u64,
    round: u64,
    ell: f64,
    phi: f64,
    monitor: &dyn Monitor,
) -> Result<Vec<usize>, ClusterError> {
    let per_cost = ell / phi;
    let Some(draws) = draws else {
        let picked = map_chunks(x, TaskKind::Seed, monitor, |c| {
            let mut out = Vec::new();
            let near = &near[c.start_row..c.start_row + c.rows()];
            sample_chunk(seed, round, weights, c, near, c64, per_cost, &mut out);
            out
        })?;
        return Ok(picked.into_iter().flatten().collect());
    };
    let mut out = Vec::new();
    let mut s = KeyedStream::new(seed, Purpose::InitParallel, round);
    for mut c in draws {
        // A row the exact rule picks has t ≥ φ·(1 − 2⁻⁵⁰); one dropped below φ·(1 − 10⁻⁹)
        // cannot be picked.
        if c.dropped_max >= phi * (1.0 - 1e-9) {
            let chunk = x.chunk(c.start_row / x.chunk_rows());
            let near = &near[c.start_row..c.start_row + c.rows];
            sample_chunk(seed, round, weights, chunk, near, c64, per_cost, &mut out);
            continue;
        }
        c.kept.sort_unstable_by_key(|&(_, i)| i);
        for (_, i) in c.kept {
            let w = weights.map_or(1.0, |w| w[i]);
            let dist = dist_to(x.row(i), c64, near[i].to_label());
            if picks(&mut s, i, w, dist, per_cost) {
                out.push(i);
            }
        }
    }
    Ok(out)
}

/// Lowers each row's distance and updates its nearest candidate with candidates `from..`
/// of `cands`; returns the new potential `φ = Σ w·d²`, summed in the same pass, and the
/// [`Extras`] asked for. With no new candidate there is no pass and no extras. Each row's
/// current distance is read from `dist` when the state keeps it, and recomputed from its
/// nearest candidate otherwise ([`NearestCandidate`]).
/// `chunk` is one build of the chunk update ([`UpdateJob::best`]).
#[allow(clippy::too_many_arguments)]
fn update_nearest<L: LabelWord>(
    chunk: ChunkRoutine<L>,
    x: &ChunkedMatrix,
    weights: Option<&[f64]>,
    cands: &Candidates,
    from: usize,
    near: &mut [L],
    dist: Option<&mut [f32]>,
    scale: &FixedScale,
    seed: u64,
    extras: Extras,
    monitor: &dyn Monitor,
) -> Result<Pass, ClusterError> {
    let d = x.n_cols();
    let m = cands.len();
    debug_assert!(m == 0 || m - 1 <= L::MAX_LABEL as usize);
    let new: Vec<f64> = cands.values[from * d..].iter().map(|&v| v as f64).collect();
    if new.is_empty() {
        return Ok(Pass {
            phi: potential(x, weights, near, &cands.as_f64(), scale, monitor)?,
            draws: None,
            counts: None,
        });
    }
    let count = extras.count && weights.is_none();
    let keep = extras
        .sample
        .map(|(_, ell)| keep_per_chunk(ell, x.chunk_rows(), x.n_rows()));
    let cs = CentreSet::new(new, d);
    // The candidates before this pass, for recomputing each row's current distance (kept
    // distances need none).
    let old_set = (from > 0 && dist.is_none()).then(|| {
        CentreSet::new(
            cands.values[..from * d].iter().map(|&v| v as f64).collect(),
            d,
        )
    });
    let job = UpdateJob {
        cs: &cs,
        old_set: old_set.as_ref(),
        weights,
        scale,
        keep,
        sample: extras.sample,
        seed,
        count_m: count.then_some(m),
        from: from as u32,
    };
    let parts = match dist {
        Some(dist) => map_chunks_mut2(x, near, dist, TaskKind::Seed, monitor, |c, near, dist| {
            chunk(&job, c, near, dist)
        })?,
        None => map_chunks_mut(x, near, TaskKind::Seed, monitor, |c, near| {
            chunk(&job, c, near, &mut [])
        })?,
    };
    let phi = scale.value(parts.iter().map(|p| p.0).sum());
    let counts = count.then(|| {
        let mut total = vec![0u64; m];
        for p in &parts {
            for (t, n) in total.iter_mut().zip(p.2.as_ref().expect("counted")) {
                *t += n;
            }
        }
        total
    });
    let draws = keep.map(|_| parts.into_iter().map(|p| p.1.expect("sampled")).collect());
    Ok(Pass { phi, draws, counts })
}

/// What one update pass shares between its chunks: the new candidates, the old ones, and
/// what the pass also does ([`Extras`]).
struct UpdateJob<'a> {
    cs: &'a CentreSet,
    old_set: Option<&'a CentreSet>,
    weights: Option<&'a [f64]>,
    scale: &'a FixedScale,
    keep: Option<usize>,
    sample: Option<(u64, f64)>,
    seed: u64,
    /// The number of candidates, when the rows nearest each are counted.
    count_m: Option<usize>,
    from: u32,
}

/// One chunk's share of an update pass: its part of `φ` (fixed point), its draws and its
/// counts.
type ChunkPart = (i128, Option<ChunkDraws>, Option<Vec<u64>>);

/// The update of one chunk, compiled once per instruction set ([`UpdateJob::all_on_this_cpu`]).
type ChunkRoutine<L> = fn(&UpdateJob<'_>, Chunk<'_>, &mut [L], &mut [f32]) -> ChunkPart;

impl UpdateJob<'_> {
    /// Every build of the chunk update this CPU runs, slowest first. The pass around the
    /// kernels (the old distances, the selects, the draws' hashes and the fixed-point
    /// sums) is most of a pass when `d` is small, and compiled for SSE2 it ran on
    /// two-value registers. The wider builds run the same operations, and no sum is fused,
    /// so every build gives the same bits.
    fn all_on_this_cpu<L: LabelWord>() -> Vec<ChunkRoutine<L>> {
        let plain: ChunkRoutine<L> = |job, c, near, dist| job.chunk(c, near, dist);
        #[cfg(target_arch = "x86_64")]
        {
            let mut all = vec![plain];
            if std::arch::is_x86_feature_detected!("avx2") {
                all.push(|job, c, near, dist| {
                    // SAFETY: listed only when the CPU has AVX2.
                    unsafe { job.chunk_avx2(c, near, dist) }
                });
            }
            // `avx512f` implies `fma` to the compiler, so the CPU must have that too.
            if std::arch::is_x86_feature_detected!("avx512f")
                && std::arch::is_x86_feature_detected!("avx512dq")
                && std::arch::is_x86_feature_detected!("avx2")
                && std::arch::is_x86_feature_detected!("fma")
            {
                all.push(|job, c, near, dist| {
                    // SAFETY: listed only when the CPU has AVX-512 F and DQ, AVX2 and FMA.
                    unsafe { job.chunk_avx512(c, near, dist) }
                });
            }
            all
        }
        #[cfg(not(target_arch = "x86_64"))]
        vec![plain]
    }

    /// The fastest build of the chunk update on this CPU.
    fn best<L: LabelWord>() -> ChunkRoutine<L> {
        *Self::all_on_this_cpu()
            .last()
            .expect("the plain build runs anywhere")
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn chunk_avx2<L: LabelWord>(
        &self,
        c: Chunk<'_>,
        near: &mut [L],
        dist: &mut [f32],
    ) -> ChunkPart {
        self.chunk(c, near, dist)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx512dq,avx2")]
    fn chunk_avx512<L: LabelWord>(
        &self,
        c: Chunk<'_>,
        near: &mut [L],
        dist: &mut [f32],
    ) -> ChunkPart {
        self.chunk(c, near, dist)
    }

    /// Updates the rows of chunk `c`: their nearest candidates `near` and, unless it is
    /// empty, their kept distances `dist` ([`NearestCandidate`]).
    #[inline(always)]
    fn chunk<L: LabelWord>(&self, c: Chunk<'_>, near: &mut [L], dist: &mut [f32]) -> ChunkPart {
        let kept = !dist.is_empty();
        let (cs, d, weights, scale) = (self.cs, c.n_cols, self.weights, self.scale);
        let mut scratch = cs.scratch();
        let mut a = Ranking::default();
        let (mut labels, mut dists) = ([0u32; LANES], [0.0f64; LANES]);
        let (mut old_idx, mut old_dists) = ([0u32; LANES], [0.0f64; LANES]);
        let mut draws = self.keep.map(|k| ChunkDraws::new(c.start_row, c.rows(), k));
        let family = self
            .sample
            .map(|(round, _)| stream_key(self.seed, Purpose::InitParallel, round));
        let ell = self.sample.map_or(0.0, |(_, ell)| ell);
        let mut unit = BlockFixSum::new(scale);
        let (mut phi, mut counts) = (0i128, self.count_m.map(|m| vec![0u64; m]));
        let blocks = c.values.chunks(d * LANES).zip(near.chunks_mut(LANES));
        for (b, (block, near)) in blocks.enumerate() {
            let rows = near.len();
            let first = c.start_row + b * LANES;
            let mut cur = [f32::INFINITY; LANES];
            let span = b * LANES..b * LANES + rows;
            if kept {
                cur[..rows].copy_from_slice(&dist[span.clone()]);
            } else if let Some(old) = self.old_set {
                for (o, &v) in old_idx.iter_mut().zip(near.iter()) {
                    *o = v.to_label();
                }
                if rows == LANES {
                    old.exact_dists_of_block(block, &old_idx, &mut old_dists);
                } else {
                    for l in 0..rows {
                        old_dists[l] =
                            sq_dist(&block[l * d..(l + 1) * d], old.row(old_idx[l] as usize));
                    }
                }
                for l in 0..rows {
                    cur[l] = old_dists[l] as f32;
                }
            }
            cs.rank(block, &mut scratch, &mut a);
            cs.exact_of_block(&a, block, &mut labels, &mut dists);
            take_nearer(&mut cur, near, &dists, &labels, self.from);
            if kept {
                dist[span].copy_from_slice(&cur[..rows]);
            }
            if let (Some(draws), Some(key)) = (draws.as_mut(), family) {
                // The block's draws first, in a loop of their own with no branch, so the
                // hashes run side by side.
                let mut u = [0.0f64; LANES];
                for (l, u) in u.iter_mut().enumerate() {
                    *u = KeyedStream::uniform_at(key, (first + l) as u64);
                }
                for (l, &dist) in cur[..rows].iter().enumerate() {
                    let i = first + l;
                    let w = weights.map_or(1.0, |w| w[i]);
                    draws.offer(i, ell * w * dist as f64, u[l]);
                }
            }
            if let Some(counts) = counts.as_mut() {
                for n in near.iter() {
                    counts[n.to_label() as usize] += 1;
                }
            }
            match weights {
                None if rows == LANES => {
                    for half in cur.chunks_exact(8) {
                        let mut terms = [0.0f64; 8];
                        for (t, &v) in terms.iter_mut().zip(half) {
                            *t = v as f64;
                        }
                        unit.add(&terms);
                    }
                }
                None => {
                    phi += cur[..rows]
                        .iter()
                        .map(|&v| scale.fix(v as f64) as i128)
                        .sum::<i128>();
                }
                Some(w) => {
                    let w = &w[first..];
                    phi += cur[..rows]
                        .iter()
                        .zip(w)
                        .map(|(&v, &w)| scale.fix(w * v as f64) as i128)
                        .sum::<i128>();
                }
            }
        }
        (phi + unit.total(), draws, counts)
    }
}

/// Moves each row of a block (`near`, at most [`LANES`] rows) whose exact distance to its
/// nearest new candidate (`dists`, `labels` counted from `from`) is below its current one
/// (`cur`, in `f32`) to that candidate.
///
/// Whole-vector selects: whether a new candidate is nearer is close to a coin flip in the
/// early rounds, and the per-row form compiled to a branch that mispredicted about as often
/// (a quarter of W1's seeding pass).
#[inline(always)]
fn take_nearer<L: LabelWord>(
    cur: &mut [f32; LANES],
    near: &mut [L],
    dists: &[f64; LANES],
    labels: &[u32; LANES],
    from: u32,
) {
    use std::simd::cmp::SimdPartialOrd;
    use std::simd::num::SimdFloat;
    use std::simd::{Select, Simd};
    // A loop, not `array::from_fn`: that closure stayed a call inside the wider builds.
    let mut old = [0u32; LANES];
    for (o, n) in old.iter_mut().zip(near.iter()) {
        *o = n.to_label();
    }
    let (d64, c32) = (
        Simd::from_array(*dists),
        Simd::<f32, LANES>::from_array(*cur),
    );
    let nearer = d64.simd_lt(c32.cast::<f64>()).cast::<i32>();
    *cur = nearer.select(d64.cast::<f32>(), c32).to_array();
    let moved = Simd::from_array(*labels) + Simd::splat(from);
    let to = nearer.select(moved, Simd::from_array(old)).to_array();
    for (n, &t) in near.iter_mut().zip(&to) {
        *n = L::from_label(t);
    }
}

/// Rows nearest to each of `m` candidates.
fn count_nearest<L: LabelWord>(near: &[L], m: usize) -> Vec<u64> {
    let mut count = vec![0u64; m];
    for &o in near {
        count[o.to_label() as usize] += 1;
    }
    count
}

/// The weight of the rows nearest to each of `m` candidates, as an order-independent sum.
fn candidate_weights<L: LabelWord>(
    x: &ChunkedMatrix,
    weights: Option<&[f64]>,
    near: &[L],
    m: usize,
    wscale: &FixedScale,
    monitor: &dyn Monitor,
) -> Result<Vec<f64>, ClusterError> {
    let parts: Vec<Vec<i128>> = map_chunks(x, TaskKind::Seed, monitor, |c| {
        let near = &near[c.start_row..c.start_row + c.rows()];
        match weights {
            None => {
                let unit = wscale.fix(1.0) as i128;
                count_nearest(near, m)
                    .iter()
                    .map(|&n| n as i128 * unit)
                    .collect()
            }
            Some(w) => {
                let mut acc = vec![0i128; m];
                for (&o, &w) in near.iter().zip(&w[c.start_row..]) {
                    acc[o.to_label() as usize] += wscale.fix(w) as i128;
                }
                acc
            }
        }
    })?;
    Ok((0..m)
        .map(|c| wscale.value(parts.iter().map(|p| p[c]).sum()))
        .collect())
}

/// `φ = Σ w·d²` over rows, as an order-independent sum, from each row's nearest of the
/// candidates `c64`.
fn potential<L: LabelWord>(
    x: &ChunkedMatrix,
    weights: Option<&[f64]>,
    near: &[L],
    c64: &[f64],
    scale: &FixedScale,
    monitor: &dyn Monitor,
) -> Result<f64, ClusterError> {
    let parts = map_chunks(x, TaskKind::Seed, monitor, |c| {
        (0..c.rows())
            .map(|r| {
                let i = c.start_row + r;
                let w = weights.map_or(1.0, |w| w[i]);
                scale.fix(w * dist_to(c.row(r), c64, near[i].to_label()) as f64) as i128
            })
            .sum::<i128>()
    })?;
    Ok(scale.value(parts.into_iter().sum()))
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
                return Err(ClusterError::Limit(LimitError::out_of_range(
                    "first centre row",
                    r,
                    format!("0 ..= {}", n - 1),
                )));
            }
            r
        }
    };
    let mut cands = Candidates {
        d,
        values: Vec::new(),
        round: Vec::new(),
        seen: HashSet::new(),
    };
    cands.push(x.row(first), 0);
    let mut near = NearestCandidate::new(n, d);
    let ell = match p.oversampling {
        Oversampling::PerCluster(f) => f * k as f64,
        Oversampling::Absolute(l) => l,
    };
    // Each update pass also draws the next round's rows and, when it may be the last,
    // counts the rows nearest each candidate: three passes for two rounds, not six.
    let extras = |next_round: usize, rounds: Option<usize>| Extras {
        sample: (rounds.is_none_or(|r| next_round <= r)).then_some((next_round as u64, ell)),
        count: rounds.is_some_and(|r| next_round > r),
    };
    let fixed_rounds = match p.rounds {
        Rounds::Fixed(r) => Some(r),
        Rounds::LnCost => None,
    };
    let update = |cands: &Candidates, from: usize, near: &mut NearestCandidate, extras: Extras| {
        near.hold(cands.len());
        on_words!(&mut near.labels, v => update_nearest(
            UpdateJob::best(), x, weights, cands, from, v, near.dist.as_deref_mut(), &scale, seed,
            extras, monitor,
        ))
    };
    let mut pass = update(&cands, 0, &mut near, extras(1, fixed_rounds))?;
    let rounds = match p.rounds {
        Rounds::Fixed(r) => r,
        // dask-ml: `int(np.round(np.log(cost)))`.
        Rounds::LnCost => {
            if pass.phi > 0.0 {
                libm::round(libm::log(pass.phi)).max(0.0) as usize
            } else {
                0
            }
        }
    };
    let mut stats = SeedingStats {
        method: "k-means||".into(),
        candidates_per_round: vec![1],
        cost_per_round: vec![pass.phi],
        ..Default::default()
    };
    for round in 1..=rounds {
        monitor.checkpoint()?;
        if pass.phi <= 0.0 {
            break;
        }
        let c64 = cands.as_f64();
        let picked = on_words!(&near.labels, v => pick_rows(
            x,
            weights,
            v,
            &c64,
            pass.draws.take(),
            seed,
            round as u64,
            ell,
            pass.phi,
            monitor,
        ))?;
        let from = cands.len();
        for i in picked {
            cands.push(x.row(i), round as u32);
        }
        pass = update(&cands, from, &mut near, extras(round + 1, Some(rounds)))?;
        stats.candidates_per_round.push(cands.len() - from);
        stats.cost_per_round.push(pass.phi);
        monitor.progress(round as u64, rounds as u64);
    }
    stats.n_candidates = cands.len();
    if cands.len() < k {
        // Too few distinct candidates (few rounds, small ℓ, or few distinct rows): add
        // random rows, distinct when possible, and say so.
        let from = cands.len();
        let padding = stats.candidates_per_round.len() as u32;
        let extra = random_rows(n, n.min(4 * k + 64), seed, 1);
        for &i in &extra {
            if cands.len() == k {
                break;
            }
            cands.push(x.row(i), padding);
        }
        let mut i = 0;
        while cands.len() < k {
            cands
                .values
                .extend_from_slice(x.row(extra[i % extra.len()]));
            cands.round.push(padding);
            i += 1;
        }
        stats.padded = cands.len() - from;
        let no_extras = Extras {
            sample: None,
            count: false,
        };
        update(&cands, from, &mut near, no_extras)?;
        pass.counts = None;
    }
    let m = cands.len();
    if m == k {
        let centres: Vec<f64> = cands.values.iter().map(|&v| v as f64).collect();
        return Ok(Seeding {
            trace: SeedingTrace {
                candidates: centres.clone(),
                round: cands.round,
                weight: Vec::new(),
            },
            centres,
            stats,
        });
    }
    // Candidate weights: the weight of the rows closest to each (Bahmani et al., step 7).
    let wscale = summary.weight_scale();
    let cand_w: Vec<f64> = match pass.counts.take().filter(|c| c.len() == m) {
        // Unweighted, every row adds the same term: count, then scale once.
        Some(counts) => {
            let unit = wscale.fix(1.0) as i128;
            counts
                .iter()
                .map(|&c| wscale.value(c as i128 * unit))
                .collect()
        }
        None => {
            on_words!(&near.labels, v => candidate_weights(x, weights, v, m, &wscale, monitor))?
        }
    };
    drop(near);
    let trace = SeedingTrace {
        candidates: cands.values.iter().map(|&v| v as f64).collect(),
        round: cands.round,
        weight: cand_w.clone(),
    };
    let cx = ChunkedMatrix::from_vec(cands.values, m, d, x.chunk_rows())?;
    let (centres, inertia) = match p.recluster {
        Recluster::Weighted { n_init } => {
            recluster(&cx, Some(&cand_w), k, n_init, seed, tol, monitor)?
        }
        Recluster::Unweighted => recluster(&cx, None, k, 1, seed, tol, monitor)?,
    };
    stats.recluster_inertia = Some(inertia);
    Ok(Seeding {
        centres,
        stats,
        trace,
    })
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
    use rayon::prelude::*;
    let summary = Summary::of(cx, weights)?;
    let tol_abs = summary.absolute_tol(cx, tol);
    monitor.checkpoint()?;
    // The candidates are a single chunk, so one restart keeps one thread busy; the
    // restarts run side by side instead (a tenth of W3's seeding when they ran in turn).
    // Each has its own stream, and the best is chosen in restart order below, so the
    // result is the same for any thread count.
    let outcomes: Vec<Result<(Vec<f64>, f64), ClusterError>> = (0..n_init as u64)
        .into_par_iter()
        .map(|attempt| {
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
            Ok((out.centres, out.inertia))
        })
        .collect();
    let mut best: Option<(Vec<f64>, f64)> = None;
    for out in outcomes {
        let out = out?;
        if best.as_ref().is_none_or(|b| out.1 < b.1) {
            best = Some(out);
        }
    }
    monitor.checkpoint()?;
    Ok(best.expect("n_init ≥ 1"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{BlobsParams, Centers};

    /// The nearest-candidate store widens when the candidates outgrow its word, keeping
    /// every index.
    #[test]
    fn nearest_candidates_widen_without_losing_an_index() {
        let mut near = NearestCandidate::new(3, 2);
        near.labels = Labels::U8(vec![0, 7, 254]);
        near.hold(255);
        assert_eq!(near.labels, Labels::U8(vec![0, 7, 254]));
        near.hold(256);
        assert_eq!(near.labels, Labels::U16(vec![0, 7, 254]));
        near.hold(70_000);
        assert_eq!(near.labels, Labels::U32(vec![0, 7, 254]));
    }

    /// Every build of the chunk update (plain, AVX2, AVX-512 where the CPU has them) gives
    /// the same nearest candidates, potential, draws and counts, weighted or not, in a
    /// first pass and in one after new candidates, whether it recomputes the old distances
    /// or reads the kept ones ([`NearestCandidate`]; a fit keeps them only from 8 features,
    /// the test keeps them at 2 too). The kernels' own builds are tested with the kernels.
    #[test]
    fn every_build_of_the_update_gives_the_same_pass() {
        let builds = UpdateJob::all_on_this_cpu::<u8>();
        // Two features take the small-d kernels, nine the tiled ones.
        for (d, weighted) in [(2, false), (2, true), (9, false), (9, true)] {
            let data = BlobsParams::new(5_000 + LANES / 2)
                .n_features(d)
                .seed(11)
                .chunk_rows(1024)
                .check()
                .unwrap()
                .generate();
            let x = &data.x;
            let w: Vec<f64> = (0..x.n_rows()).map(|i| 0.5 + (i % 7) as f64).collect();
            let weights = weighted.then_some(&w[..]);
            let summary = Summary::of(x, weights).unwrap();
            let scale = summary.dist_scale();
            let outcome = |chunk: ChunkRoutine<u8>, keep: bool| {
                let mut cands = Candidates {
                    d,
                    values: Vec::new(),
                    round: Vec::new(),
                    seen: HashSet::new(),
                };
                cands.push(x.row(3), 0);
                let mut near = vec![0u8; x.n_rows()];
                let mut dist = vec![f32::INFINITY; x.n_rows()];
                let mut seen = Vec::new();
                for (from, round) in [(0, 1), (1, 2)] {
                    let extras = Extras {
                        sample: Some((round, 20.0)),
                        count: true,
                    };
                    let pass = update_nearest(
                        chunk,
                        x,
                        weights,
                        &cands,
                        from,
                        &mut near,
                        keep.then_some(&mut dist[..]),
                        &scale,
                        5,
                        extras,
                        &Unmonitored,
                    )
                    .unwrap();
                    let draws: Vec<_> = pass
                        .draws
                        .unwrap()
                        .into_iter()
                        .map(|c| (c.kept, c.dropped_max.to_bits()))
                        .collect();
                    seen.push((pass.phi.to_bits(), draws, pass.counts, near.clone()));
                    for r in [10, 400, 2_000, 4_999] {
                        cands.push(x.row(r), round as u32);
                    }
                }
                seen
            };
            let plain = outcome(builds[0], false);
            for (b, &build) in builds.iter().enumerate() {
                for keep in [false, true] {
                    assert!(
                        outcome(build, keep) == plain,
                        "build {b} differs, keeping distances {keep}, d = {d}, weighted: {weighted}"
                    );
                }
            }
        }
    }

    /// The rows the fused pass keeps give exactly the picks of a separate sampling pass,
    /// also when chunks hold more picks than they keep (and are scanned again).
    #[test]
    fn fused_draws_pick_the_rows_a_separate_pass_picks() {
        // Unshuffled, one far blob of ten: rows far from the first candidate fill two chunks
        // of twenty, which then hold far more picks than an average chunk (and than they
        // keep, for ℓ ≥ 100).
        let mut centres = vec![vec![0.0, 0.0, 0.0]; 10];
        centres[7] = vec![1000.0, -1000.0, 1000.0];
        let data = BlobsParams::new(20_480)
            .centers(Centers::Points(centres))
            .seed(4)
            .shuffle(false)
            .chunk_rows(1024)
            .check()
            .unwrap()
            .generate();
        let x = &data.x;
        let summary = Summary::of(x, None).unwrap();
        let scale = summary.dist_scale();
        let mut cands = Candidates {
            d: 3,
            values: Vec::new(),
            round: Vec::new(),
            seen: HashSet::new(),
        };
        cands.push(x.row(17), 0);
        let mut rescanned = 0;
        for ell in [0.5, 16.0, 100.0, 400.0, 5000.0] {
            let mut near = vec![0u8; x.n_rows()];
            let extras = Extras {
                sample: Some((1, ell)),
                count: false,
            };
            let pass = update_nearest(
                UpdateJob::best(),
                x,
                None,
                &cands,
                0,
                &mut near,
                None,
                &scale,
                9,
                extras,
                &Unmonitored,
            )
            .unwrap();
            let draws = pass.draws.unwrap();
            rescanned += draws
                .iter()
                .filter(|c| c.dropped_max >= pass.phi * (1.0 - 1e-9))
                .count();
            let c64 = cands.as_f64();
            let fused = pick_rows(
                x,
                None,
                &near,
                &c64,
                Some(draws),
                9,
                1,
                ell,
                pass.phi,
                &Unmonitored,
            )
            .unwrap();
            let separate = pick_rows(
                x,
                None,
                &near,
                &c64,
                None,
                9,
                1,
                ell,
                pass.phi,
                &Unmonitored,
            )
            .unwrap();
            assert_eq!(fused, separate, "ℓ = {ell}");
            assert!(!separate.is_empty() || ell < 1.0);
        }
        assert!(
            rescanned > 0,
            "no chunk was scanned again: the fallback is untested"
        );
    }
}
