//! D² sampling (Arthur & Vassilvitskii 2007): draw a row with probability proportional to
//! `w·v`, where `v` is its squared distance to the nearest chosen centre. The inclusive
//! prefix sums are taken over fixed-point terms (see [`fixed_sum`](crate::cluster::lloyd::fixed_sum)), so
//! the row drawn is the same for any chunking and any thread count: per-chunk totals find
//! the chunk, a scan inside it finds the row (numpy's `searchsorted` on `stable_cumsum`).

use crate::cluster::lloyd::fixed_sum::FixedScale;
use crate::data::{CHUNKS_PER_JOB, ChunkedMatrix};

/// Total of `fix(w·v)` over each chunk's rows.
pub fn chunk_totals(
    x: &ChunkedMatrix,
    weights: Option<&[f64]>,
    values: &[f64],
    scale: &FixedScale,
) -> Vec<i128> {
    use rayon::prelude::*;
    values
        .par_chunks(x.chunk_rows())
        .with_max_len(CHUNKS_PER_JOB)
        .enumerate()
        .map(|(c, v)| {
            let start = c * x.chunk_rows();
            v.iter()
                .enumerate()
                .map(|(r, &d)| scale.fix(weights.map_or(1.0, |w| w[start + r]) * d) as i128)
                .sum()
        })
        .collect()
}

/// The fixed-point target for a uniform draw `u ∈ [0, 1)` over `total`.
pub fn target(u: f64, total: i128) -> i128 {
    ((u * total as f64) as i128).clamp(0, (total - 1).max(0))
}

/// The first row whose inclusive prefix sum exceeds `target` (the last row if none does).
pub fn pick(
    x: &ChunkedMatrix,
    weights: Option<&[f64]>,
    values: &[f64],
    scale: &FixedScale,
    totals: &[i128],
    target: i128,
) -> usize {
    let mut before = 0i128;
    for (c, &t) in totals.iter().enumerate() {
        if before + t > target {
            let start = c * x.chunk_rows();
            let end = (start + x.chunk_rows()).min(values.len());
            for (i, &v) in values[start..end].iter().enumerate() {
                before += scale.fix(weights.map_or(1.0, |w| w[start + i]) * v) as i128;
                if before > target {
                    return start + i;
                }
            }
        }
        before += t;
    }
    values.len() - 1
}
