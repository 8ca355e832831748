//! Empty-cluster relocation with scikit-learn's semantics (`_relocate_empty_clusters_dense`):
//! each empty cluster takes one of the points farthest from their assigned centre, and
//! that point's weight and coordinates move from its old cluster's sums to the empty one.
//! Labels are not changed here (the next assignment pass does that). Unlike
//! scikit-learn's `argpartition`, the choice is fully ordered — farther first, then lower
//! row — so it does not depend on chunking or threads.

use rayon::prelude::*;

use crate::cluster::kernels::general::{CentreSet, sq_dist};
use crate::cluster::labels::LabelWord;
use crate::cluster::lloyd::partial_sums::{PartialSums, Scales};
use crate::data::ChunkedMatrix;

/// `(distance, row)` sorted farther first, then by row.
fn order(a: &(f64, usize), b: &(f64, usize)) -> std::cmp::Ordering {
    b.0.total_cmp(&a.0).then(a.1.cmp(&b.1))
}

/// The `m` rows farthest from their assigned centre.
pub fn farthest_rows<L: LabelWord>(
    x: &ChunkedMatrix,
    labels: &[L],
    cs: &CentreSet,
    m: usize,
) -> Vec<usize> {
    let d = x.n_cols();
    let per_chunk: Vec<Vec<(f64, usize)>> = x
        .par_chunks()
        .map(|c| {
            let mut top: Vec<(f64, usize)> = Vec::with_capacity(m + 1);
            for (r, row) in c.values.chunks_exact(d).enumerate() {
                let i = c.start_row + r;
                let dist = sq_dist(row, cs.row(labels[i].to_label() as usize));
                if top.len() < m || order(&(dist, i), &top[top.len() - 1]).is_lt() {
                    let pos = top.partition_point(|e| order(e, &(dist, i)).is_lt());
                    top.insert(pos, (dist, i));
                    top.truncate(m);
                }
            }
            top
        })
        .collect();
    let mut all: Vec<(f64, usize)> = per_chunk.into_iter().flatten().collect();
    all.sort_by(order);
    all.into_iter().take(m).map(|e| e.1).collect()
}

/// Moves one far point into each empty cluster of `sums`; returns the rows used.
pub fn relocate_empty<L: LabelWord>(
    x: &ChunkedMatrix,
    weights: Option<&[f64]>,
    labels: &[L],
    cs: &CentreSet,
    sums: &mut PartialSums,
    scales: &Scales,
) -> Vec<usize> {
    let d = x.n_cols();
    let empty: Vec<usize> = (0..sums.weights.len())
        .filter(|&c| sums.weights[c] == 0)
        .collect();
    if empty.is_empty() {
        return Vec::new();
    }
    let far = farthest_rows(x, labels, cs, empty.len());
    for (&e, &i) in empty.iter().zip(&far) {
        let w = weights.map_or(1.0, |w| w[i]);
        let old = labels[i].to_label() as usize;
        let row = x.row(i);
        for (j, &v) in row.iter().enumerate() {
            let q = scales.coord.round_f64(w * v as f64) as i128;
            sums.sums[old * d + j] -= q;
            sums.sums[e * d + j] = q;
        }
        let qw = scales.weight.round_f64(w) as i128;
        sums.weights[old] -= qw;
        sums.weights[e] = qw;
    }
    far
}
