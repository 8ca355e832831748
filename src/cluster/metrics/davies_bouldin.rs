//! Davies–Bouldin index (Davies & Bouldin 1979), scikit-learn's `davies_bouldin_score`:
//! the mean over clusters of the worst ratio of summed mean intra-cluster distances to
//! centroid distance.

use super::super::error::ClusterError;
use super::centroids::{Centroids, Dispersion};
use crate::data::ChunkedMatrix;

/// The Davies–Bouldin index of `labels` on `x` (lower is better, 0 at best).
pub fn davies_bouldin(x: &ChunkedMatrix, labels: &[u32]) -> Result<f64, ClusterError> {
    let c = Centroids::of(x, labels)?;
    Ok(score(&c, &c.dispersion(x)))
}

/// The index from the centroids and their dispersion.
pub(super) fn score(c: &Centroids, dispersion: &Dispersion) -> f64 {
    let (k, d) = (c.n_labels, c.means.len() / c.n_labels);
    let intra = &dispersion.mean_distance;
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
        return 0.0;
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
    total / k as f64
}
