//! The plain assignment pass: one read of every chunk labels its rows against the current
//! centres, fused with the M-step's sums (scikit-learn's `lloyd_iter_chunked_dense`).
//!
//! Because the sums are exact ([`partial_sums`](super::partial_sums)), an iteration after
//! the first only moves the rows whose label changed ([`Pass::Delta`]): the result is
//! bit-identical to summing afresh, and a converging fit touches few rows.

use super::chunk_tasks::map_chunks_mut;
use super::kernel::CentreSet;
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
        let row = |r: usize| &chunk.values[r * d..(r + 1) * d];
        match (pass, w) {
            (Pass::Full, None) => {
                cs.for_each_nearest(false, chunk.values, &mut scratch, |r, l, _, _| {
                    p.changed += (lab[r] != l) as u64;
                    lab[r] = l;
                    p.add_row(scales, row(r), 1.0, l, 1.0);
                })
            }
            (Pass::Full, Some(w)) => {
                cs.for_each_nearest(false, chunk.values, &mut scratch, |r, l, _, _| {
                    p.changed += (lab[r] != l) as u64;
                    lab[r] = l;
                    p.add_row(scales, row(r), w[r], l, 1.0);
                })
            }
            (Pass::Delta, _) => {
                cs.for_each_nearest(false, chunk.values, &mut scratch, |r, l, _, _| {
                    let old = lab[r];
                    if old != l {
                        let wr = w.map_or(1.0, |w| w[r]);
                        p.changed += 1;
                        p.add_row(scales, row(r), wr, old, -1.0);
                        p.add_row(scales, row(r), wr, l, 1.0);
                        lab[r] = l;
                    }
                })
            }
            (Pass::Cost, _) => {
                cs.for_each_nearest(true, chunk.values, &mut scratch, |r, l, dist, _| {
                    p.changed += (lab[r] != l) as u64;
                    lab[r] = l;
                    p.add_cost(scales, w.map_or(1.0, |w| w[r]), dist);
                })
            }
        }
        p
    })?;
    Ok(PartialSums::merge_all(k, d, parts))
}
