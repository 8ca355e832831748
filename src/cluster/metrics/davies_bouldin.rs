//! Davies–Bouldin index (Davies & Bouldin 1979), scikit-learn's `davies_bouldin_score`:
//! the mean over clusters of the worst ratio of summed mean intra-cluster distances to
//! centroid distance.

use super::super::error::ClusterError;
use super::super::fixed_sum::FixedScale;
use super::super::kernel::sq_dist;
use super::centroids::Centroids;
use crate::data::ChunkedMatrix;

/// The Davies–Bouldin index of `labels` on `x` (lower is better, 0 at best).
pub fn davies_bouldin(x: &ChunkedMatrix, labels: &[u32]) -> Result<f64, ClusterError> {
    let c = Centroids::of(x, labels)?;
    let (d, k) = (x.n_cols(), c.n_labels);
    let bound = (c.scales.dist.value(i64::MAX as i128) / 4.0).sqrt();
    let scale = FixedScale::for_bound(bound);
    use rayon::prelude::*;
    let parts: Vec<Vec<i128>> = x
        .par_chunks()
        .map(|ch| {
            let mut acc = vec![0i128; k];
            for r in 0..ch.rows() {
                let l = c.labels[ch.start_row + r] as usize;
                acc[l] +=
                    scale.fix(sq_dist(ch.row(r), &c.means[l * d..(l + 1) * d]).sqrt()) as i128;
            }
            acc
        })
        .collect();
    let intra: Vec<f64> = (0..k)
        .map(|l| scale.value(parts.iter().map(|p| p[l]).sum()) / c.sizes[l] as f64)
        .collect();
    let centre = |l: usize| &c.means[l * d..(l + 1) * d];
    let dist = |a: usize, b: usize| -> f64 {
        centre(a)
            .iter()
            .zip(centre(b))
            .map(|(u, v)| (u - v) * (u - v))
            .sum::<f64>()
            .sqrt()
    };
    let all_close_zero_intra = intra.iter().all(|v| v.abs() <= 1e-8);
    let all_close_zero_centres = (0..k).all(|a| (0..k).all(|b| dist(a, b) <= 1e-8));
    if all_close_zero_intra || all_close_zero_centres {
        return Ok(0.0);
    }
    let mut total = 0.0;
    for a in 0..k {
        let mut worst = 0.0f64;
        for b in 0..k {
            let cd = dist(a, b);
            let cd = if cd == 0.0 { f64::INFINITY } else { cd };
            worst = worst.max((intra[a] + intra[b]) / cd);
        }
        total += worst;
    }
    Ok(total / k as f64)
}
