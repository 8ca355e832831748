//! Per-label centroids and sizes, the common input of Calinski–Harabasz and Davies–Bouldin,
//! and the one pass over the rows that both scores need.

use std::borrow::Cow;

use super::super::error::ClusterError;
use super::super::fixed_sum::FixedScale;
use super::super::kernel::sq_dist;
use super::super::partial_sums::{PartialSums, Scales};
use super::super::summary::Summary;
use super::{check_labels, check_number_of_labels, encode};
use crate::data::ChunkedMatrix;

/// Dense labels, their count, centroid per label (`n_labels × d`, row-major), rows per
/// label, and the scales used.
pub struct Centroids<'a> {
    /// Labels re-encoded as `0..n_labels` (borrowed when they already are).
    pub labels: Cow<'a, [u32]>,
    /// Number of distinct labels.
    pub n_labels: usize,
    /// Centroids, row-major.
    pub means: Vec<f64>,
    /// Rows per label.
    pub sizes: Vec<u64>,
    /// Fixed-point scales of the dataset.
    pub scales: Scales,
}

impl<'a> Centroids<'a> {
    /// Computes centroids after scikit-learn's label checks.
    pub fn of(x: &ChunkedMatrix, labels: &'a [u32]) -> Result<Self, ClusterError> {
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
                p.add_unit_rows(
                    &scales,
                    c.values,
                    &dense[c.start_row..c.start_row + c.rows()],
                );
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

/// The within-cluster dispersion both centroid scores need, from one pass over the rows.
pub struct Dispersion {
    /// `Σ ‖x − c_label‖²` over every row (Calinski–Harabasz's within-cluster sum).
    pub squared: f64,
    /// Per label, the mean of `‖x − c_label‖` over its rows (Davies–Bouldin's `s_i`).
    pub mean_distance: Vec<f64>,
}

impl Centroids<'_> {
    /// Both within-cluster sums, each term fixed-point (so chunking and threads do not
    /// change a bit), from one distance per row.
    pub fn dispersion(&self, x: &ChunkedMatrix) -> Dispersion {
        let (d, k) = (x.n_cols(), self.n_labels);
        let squared_scale = self.scales.dist;
        // A distance is at most the square root of the largest squared distance.
        let distance_scale =
            FixedScale::for_bound((squared_scale.value(i64::MAX as i128) / 4.0).sqrt());
        use rayon::prelude::*;
        let parts: Vec<(i128, Vec<i128>)> = x
            .par_chunks()
            .map(|ch| {
                let (mut squared, mut distance) = (0i128, vec![0i128; k]);
                for r in 0..ch.rows() {
                    let l = self.labels[ch.start_row + r] as usize;
                    let e = sq_dist(ch.row(r), &self.means[l * d..(l + 1) * d]);
                    squared += squared_scale.fix(e) as i128;
                    distance[l] += distance_scale.fix(e.sqrt()) as i128;
                }
                (squared, distance)
            })
            .collect();
        let squared = squared_scale.value(parts.iter().map(|p| p.0).sum());
        let mean_distance = (0..k)
            .map(|l| {
                distance_scale.value(parts.iter().map(|p| p.1[l]).sum()) / self.sizes[l] as f64
            })
            .collect();
        Dispersion {
            squared,
            mean_distance,
        }
    }
}
