//! Calinski–Harabasz score (Caliński & Harabasz 1974), scikit-learn's
//! `calinski_harabasz_score`: between-cluster over within-cluster dispersion, scaled by
//! `(n − k)/(k − 1)`.

use super::super::error::ClusterError;
use super::centroids::{Centroids, Dispersion};
use crate::data::ChunkedMatrix;

/// The Calinski–Harabasz score of `labels` on `x` (higher is better).
pub fn calinski_harabasz(x: &ChunkedMatrix, labels: &[u32]) -> Result<f64, ClusterError> {
    let c = Centroids::of(x, labels)?;
    Ok(score(&c, &c.dispersion(x)))
}

/// The score from the centroids and their dispersion.
pub(super) fn score(c: &Centroids, dispersion: &Dispersion) -> f64 {
    let (k, d) = (c.n_labels, c.means.len() / c.n_labels);
    let n: u64 = c.sizes.iter().sum();
    let mut mean = vec![0.0f64; d];
    for l in 0..k {
        for (m, v) in mean.iter_mut().zip(&c.means[l * d..(l + 1) * d]) {
            *m += v * c.sizes[l] as f64;
        }
    }
    for m in &mut mean {
        *m /= n as f64;
    }
    let mut extra = 0.0;
    for l in 0..k {
        let s: f64 = (0..d).map(|j| (c.means[l * d + j] - mean[j]).powi(2)).sum();
        extra += c.sizes[l] as f64 * s;
    }
    let intra = dispersion.squared;
    if intra == 0.0 {
        1.0
    } else {
        extra * (n as usize - k) as f64 / (intra * (k as f64 - 1.0))
    }
}
