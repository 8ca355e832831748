//! The plain assignment pass, fused with the partial sums: one read of every chunk labels
//! its rows against the current centres and accumulates the M-step's sums, the cost and
//! the label changes (the E- and M-step inputs of scikit-learn's `lloyd_iter_chunked_dense`).

use rayon::prelude::*;

use super::kernel::CentreSet;
use super::partial_sums::{PartialSums, Scales};
use crate::data::ChunkedMatrix;
use crate::monitor::{Cancelled, Monitor, TaskKind, run_chunk};

/// Labels every row (writing `labels`) and returns the merged sums, or `Cancelled`.
pub fn assign_pass(
    x: &ChunkedMatrix,
    weights: Option<&[f64]>,
    cs: &CentreSet,
    labels: &mut [u32],
    scales: &Scales,
    kind: TaskKind,
    monitor: &dyn Monitor,
) -> Result<PartialSums, Cancelled> {
    let (k, d) = (cs.k(), cs.d());
    let parts: Vec<Option<PartialSums>> = labels
        .par_chunks_mut(x.chunk_rows())
        .zip(x.par_chunks())
        .map(|(lab, chunk)| {
            if monitor.is_cancelled() {
                return None;
            }
            Some(run_chunk(monitor, kind, chunk.index, || {
                let mut p = PartialSums::new(k, d);
                let mut scratch = cs.scratch();
                let w = weights.map(|w| &w[chunk.start_row..chunk.start_row + chunk.rows()]);
                cs.for_each_nearest(chunk.values, &mut scratch, |r, o| {
                    p.changed += (lab[r] != o.label) as u64;
                    lab[r] = o.label;
                    p.add(
                        scales,
                        chunk.row(r),
                        w.map_or(1.0, |w| w[r]),
                        o.label,
                        o.dist,
                    );
                });
                p
            }))
        })
        .collect();
    monitor.checkpoint()?;
    let parts: Vec<PartialSums> = parts
        .into_iter()
        .map(|p| p.ok_or(Cancelled))
        .collect::<Result<_, _>>()?;
    Ok(PartialSums::merge_all(k, d, &parts))
}
