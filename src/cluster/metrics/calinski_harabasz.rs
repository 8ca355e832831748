//! Calinski–Harabasz score (Caliński & Harabasz 1974), scikit-learn's
//! `calinski_harabasz_score`: between-cluster over within-cluster dispersion, scaled by
//! `(n − k)/(k − 1)`.

use super::super::error::ClusterError;
use super::super::kernel::sq_dist;
use super::centroids::Centroids;
use crate::data::ChunkedMatrix;

/// The Calinski–Harabasz score of `labels` on `x` (higher is better).
pub fn calinski_harabasz(x: &ChunkedMatrix, labels: &[u32]) -> Result<f64, ClusterError> {
    let c = Centroids::of(x, labels)?;
    let (n, d, k) = (x.n_rows(), x.n_cols(), c.n_labels);
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
    let scale = c.scales.dist;
    use rayon::prelude::*;
    let intra: i128 = x
        .par_chunks()
        .map(|ch| {
            (0..ch.rows())
                .map(|r| {
                    let l = c.labels[ch.start_row + r] as usize;
                    scale.fix(sq_dist(ch.row(r), &c.means[l * d..(l + 1) * d])) as i128
                })
                .sum::<i128>()
        })
        .collect::<Vec<_>>()
        .into_iter()
        .sum();
    let intra = scale.value(intra);
    Ok(if intra == 0.0 {
        1.0
    } else {
        extra * (n - k) as f64 / (intra * (k as f64 - 1.0))
    })
}
