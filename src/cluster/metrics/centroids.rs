//! Per-label centroids and sizes, the common input of Calinski–Harabasz and Davies–Bouldin.

use super::super::error::ClusterError;
use super::super::partial_sums::{PartialSums, Scales};
use super::super::summary::Summary;
use super::{check_labels, check_number_of_labels, encode};
use crate::data::ChunkedMatrix;

/// Dense labels, their count, centroid per label (`n_labels × d`, row-major), rows per
/// label, and the scales used.
pub struct Centroids {
    /// Labels re-encoded as `0..n_labels`.
    pub labels: Vec<u32>,
    /// Number of distinct labels.
    pub n_labels: usize,
    /// Centroids, row-major.
    pub means: Vec<f64>,
    /// Rows per label.
    pub sizes: Vec<u64>,
    /// Fixed-point scales of the dataset.
    pub scales: Scales,
}

impl Centroids {
    /// Computes centroids after scikit-learn's label checks.
    pub fn of(x: &ChunkedMatrix, labels: &[u32]) -> Result<Self, ClusterError> {
        check_labels(x, labels)?;
        let summary = Summary::of(x, None)?;
        let (dense, n_labels) = encode(labels);
        check_number_of_labels(n_labels, x.n_rows())?;
        let scales = Scales::new(&summary);
        let d = x.n_cols();
        use rayon::prelude::*;
        let parts: Vec<PartialSums> = x
            .par_chunks()
            .map(|c| {
                let mut p = PartialSums::new(n_labels, d);
                for r in 0..c.rows() {
                    p.add_row(&scales, c.row(r), 1.0, dense[c.start_row + r], 1.0);
                }
                p
            })
            .collect();
        let sums = PartialSums::merge_all(n_labels, d, parts);
        let means = sums.means(&scales, &vec![0.0; n_labels * d]);
        let sizes = super::cluster_sizes(&dense, n_labels);
        Ok(Self {
            labels: dense,
            n_labels,
            means,
            sizes,
            scales,
        })
    }
}
