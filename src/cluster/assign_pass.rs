//! The plain assignment pass: one read of every chunk labels its rows against the current
//! centres, fused with the M-step's sums (scikit-learn's `lloyd_iter_chunked_dense`).
//!
//! Because the sums are exact ([`partial_sums`](super::partial_sums)), an iteration after
//! the first only moves the rows whose label changed ([`Pass::Delta`]): the result is
//! bit-identical to summing afresh, and a converging fit touches few rows.

use super::chunk_tasks::map_chunks_mut;
use super::kernel::{CentreSet, LANES, Ranking};
use super::partial_sums::{PartialSums, Scales};
use crate::data::ChunkedMatrix;
use crate::monitor::{Cancelled, Monitor, TaskKind};

/// What a pass accumulates besides the labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    /// Sums, weights and norms of every row (labels before the pass are ignored).
    Full,
    /// Only the changes: rows whose label changed leave their old cluster and join the new.
    Delta,
    /// The exact cost `Σ w·sq_dist(x, c_label)`, no sums (predict and final inertia).
    Cost,
}

/// Labels every row (writing `labels`) and returns the merged sums, or `Cancelled`.
#[allow(clippy::too_many_arguments)]
pub fn assign_pass(
    x: &ChunkedMatrix,
    weights: Option<&[f64]>,
    cs: &CentreSet,
    labels: &mut [u32],
    scales: &Scales,
    pass: Pass,
    kind: TaskKind,
    monitor: &dyn Monitor,
) -> Result<PartialSums, Cancelled> {
    let (k, d) = (cs.k(), cs.d());
    let parts = map_chunks_mut(x, labels, kind, monitor, |chunk, lab| {
        let mut p = PartialSums::new(k, d);
        let mut scratch = cs.scratch();
        let w = weights.map(|w| &w[chunk.start_row..chunk.start_row + chunk.rows()]);
        let mut a = Ranking::default();
        let (mut labels, mut dists) = ([0u32; LANES], [0.0f64; LANES]);
        let blocks = chunk.values.chunks(d * LANES).zip(lab.chunks_mut(LANES));
        for (b, (block, lab)) in blocks.enumerate() {
            cs.rank(block, &mut scratch, &mut a);
            let row = |l: usize| &block[l * d..(l + 1) * d];
            let weight = |l: usize| w.map_or(1.0, |w| w[b * LANES + l]);
            match pass {
                // Unweighted, the weight is a constant the compiler folds away.
                Pass::Full if w.is_none() => {
                    for (l, old) in lab.iter_mut().enumerate() {
                        let label = cs.label_of(&a, l, row(l));
                        p.changed += (*old != label) as u64;
                        *old = label;
                        p.add_row(scales, row(l), 1.0, label, 1.0);
                    }
                }
                Pass::Full => {
                    for (l, old) in lab.iter_mut().enumerate() {
                        let label = cs.label_of(&a, l, row(l));
                        p.changed += (*old != label) as u64;
                        *old = label;
                        p.add_row(scales, row(l), weight(l), label, 1.0);
                    }
                }
                Pass::Delta => {
                    // Most rows keep a certified label: find the others with a few
                    // vector compares and only visit them.
                    let mut need = attention(&a, lab);
                    while need != 0 {
                        let l = need.trailing_zeros() as usize;
                        need &= need - 1;
                        let label = cs.label_of(&a, l, row(l));
                        let old = lab[l];
                        if old != label {
                            p.changed += 1;
                            p.move_row(scales, row(l), weight(l), old, label);
                            lab[l] = label;
                        }
                    }
                }
                Pass::Cost => {
                    cs.exact_of_block(&a, block, &mut labels, &mut dists);
                    for (l, old) in lab.iter_mut().enumerate() {
                        p.changed += (*old != labels[l]) as u64;
                        *old = labels[l];
                        p.add_cost(scales, weight(l), dists[l]);
                    }
                }
            }
        }
        p
    })?;
    Ok(PartialSums::merge_all(k, d, parts))
}

/// Bit `l` set when row `l` of a ranked block needs a look: its winner is not certified,
/// or differs from its current label.
#[inline(always)]
fn attention(a: &Ranking, lab: &[u32]) -> u32 {
    let mut need = 0u32;
    for (l, ((&sure, &idx), &old)) in a.sure.iter().zip(&a.idx).zip(lab).enumerate() {
        need |= (((sure == 0) | (idx != old)) as u32) << l;
    }
    need
}
