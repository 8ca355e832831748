//! Hamerly's accelerated assignment ("Making k-means even faster", SDM 2010): each row
//! keeps a lower bound on its distance to every centre but its own; when the exact
//! distance to its own centre is below that bound, or below half the distance from its
//! centre to the nearest other centre, no other centre can be closer and the row skips
//! the k-centre kernel.
//!
//! To give exactly plain Lloyd's labels, the distance to the own centre is recomputed
//! exactly (it doubles as the upper bound, so no upper bound is stored), and a row only
//! skips when its centre wins by a relative margin far above `f64` rounding, so the exact
//! argmin is certainly the same centre. Lower bounds are stored as `f32` rounded down.

use rayon::prelude::*;

use crate::cluster::kernels::assign_pass::Pass;
use crate::cluster::kernels::general::{CentreSet, LANES, Nearest, sq_dist};
use crate::cluster::labels::LabelWord;
use crate::cluster::lloyd::partial_sums::{PartialSums, Scales};
use crate::data::{CHUNKS_PER_JOB, ChunkedMatrix};
use crate::monitor::{Cancelled, Monitor, TaskKind, run_chunk};

/// Relative safety margin of a skip test (≫ `f64` rounding of a distance, ≪ any gap that matters).
const SKIP_MARGIN: f64 = 1e-9;

/// Centre geometry a Hamerly pass needs.
#[derive(Debug, Clone)]
pub struct Motion {
    /// The centre that moved most and the largest and second-largest shifts.
    top: (usize, f64, f64),
    /// Half the distance from each centre to its nearest other centre (lower bounds).
    half_gap: Vec<f64>,
}

impl Motion {
    /// The motion from `previous` centres (none in the first iteration) to `cs`.
    pub fn new(previous: Option<&[f64]>, cs: &CentreSet) -> Self {
        let (k, d) = (cs.k(), cs.d());
        let shift: Vec<f64> = match previous {
            None => vec![0.0; k],
            Some(p) => (0..k)
                .map(|c| {
                    let mut s = 0.0;
                    for j in 0..d {
                        let t = cs.row(c)[j] - p[c * d + j];
                        s += t * t;
                    }
                    s.sqrt() * (1.0 + SKIP_MARGIN)
                })
                .collect(),
        };
        let mut top = (0usize, 0.0f64, 0.0f64);
        for (c, &s) in shift.iter().enumerate() {
            if s > top.1 {
                top = (c, s, top.1);
            } else if s > top.2 {
                top.2 = s;
            }
        }
        let half_gap = (0..k)
            .map(|a| {
                let mut m = f64::INFINITY;
                for b in 0..k {
                    if b != a {
                        let mut s = 0.0;
                        for j in 0..d {
                            let t = cs.row(a)[j] - cs.row(b)[j];
                            s += t * t;
                        }
                        m = m.min(s);
                    }
                }
                0.5 * m.sqrt() * (1.0 - SKIP_MARGIN)
            })
            .collect();
        Self { top, half_gap }
    }

    /// The largest shift of any centre other than `a`.
    #[inline]
    fn max_other_shift(&self, a: usize) -> f64 {
        if a == self.top.0 {
            self.top.2
        } else {
            self.top.1
        }
    }
}

/// Stores a lower bound rounded downwards.
#[inline]
fn store_lower(l: f64) -> f32 {
    ((l * (1.0 - 1e-6)) as f32).max(0.0)
}

/// A Hamerly pass: labels ([`LabelWord::NONE`] = none yet) and `lower` bounds are updated in
/// place; `pass` is [`Pass::Full`] or [`Pass::Delta`] as for [`assign_pass`](crate::cluster::kernels::assign_pass::assign_pass).
#[allow(clippy::too_many_arguments)]
pub fn hamerly_pass<L: LabelWord>(
    x: &ChunkedMatrix,
    weights: Option<&[f64]>,
    cs: &CentreSet,
    motion: &Motion,
    labels: &mut [L],
    lower: &mut [f32],
    scales: &Scales,
    pass: Pass,
    monitor: &dyn Monitor,
) -> Result<PartialSums, Cancelled> {
    let (k, d) = (cs.k(), cs.d());
    let rows = x.chunk_rows();
    let parts: Vec<Option<PartialSums>> = labels
        .par_chunks_mut(rows)
        .zip(lower.par_chunks_mut(rows))
        .zip(x.par_chunks())
        .with_max_len(CHUNKS_PER_JOB)
        .map(|((lab, low), chunk)| {
            if monitor.is_cancelled() {
                return None;
            }
            Some(run_chunk(monitor, TaskKind::Lloyd, chunk.index, || {
                L::with_u32s(lab, |lab| {
                    let mut p = PartialSums::new(k, d);
                    let mut scratch = cs.scratch();
                    let w = weights.map(|w| &w[chunk.start_row..chunk.start_row + chunk.rows()]);
                    let weight = |r: usize| w.map_or(1.0, |w| w[r]);
                    // Records row r's label; in a delta pass only a change moves sums.
                    let settle = |p: &mut PartialSums, lab: &mut [u32], r: usize, label: u32| {
                        let old = lab[r];
                        if old != label {
                            p.changed += 1;
                            if pass == Pass::Delta {
                                p.add_row(scales, chunk.row(r), weight(r), old, -1.0);
                            }
                            lab[r] = label;
                            if pass == Pass::Delta {
                                p.add_row(scales, chunk.row(r), weight(r), label, 1.0);
                            }
                        }
                        if pass == Pass::Full {
                            p.add_row(scales, chunk.row(r), weight(r), label, 1.0);
                        }
                    };
                    let mut pending = [0usize; LANES];
                    let mut n_pending = 0;
                    let mut out = [Nearest::default(); LANES];
                    let mut flush = |pending: &[usize],
                                     p: &mut PartialSums,
                                     lab: &mut [u32],
                                     low: &mut [f32]| {
                        let mut block: [&[f32]; LANES] = [&[]; LANES];
                        for (l, &r) in pending.iter().enumerate() {
                            block[l] = chunk.row(r);
                        }
                        cs.nearest_block(&block[..pending.len()], &mut scratch, &mut out);
                        for (l, &r) in pending.iter().enumerate() {
                            low[r] = store_lower(out[l].second_lb.sqrt());
                            settle(p, lab, r, out[l].label);
                        }
                    };
                    for r in 0..chunk.rows() {
                        let a = lab[r];
                        if a != u32::MAX {
                            let a = a as usize;
                            let dist = sq_dist(chunk.row(r), cs.row(a));
                            let upper = dist.sqrt() * (1.0 + SKIP_MARGIN);
                            let l = low[r] as f64 - motion.max_other_shift(a);
                            if upper < l.max(motion.half_gap[a]) {
                                low[r] = store_lower(l);
                                settle(&mut p, lab, r, a as u32);
                                continue;
                            }
                        }
                        pending[n_pending] = r;
                        n_pending += 1;
                        if n_pending == LANES {
                            flush(&pending, &mut p, lab, low);
                            n_pending = 0;
                        }
                    }
                    flush(&pending[..n_pending], &mut p, lab, low);
                    p
                })
            }))
        })
        .collect();
    monitor.checkpoint()?;
    let parts: Vec<PartialSums> = parts
        .into_iter()
        .map(|p| p.ok_or(Cancelled))
        .collect::<Result<_, _>>()?;
    Ok(PartialSums::merge_all(k, d, parts))
}
