//! Per-label centroids and sizes, the common input of Calinski–Harabasz and Davies–Bouldin,
//! and the one pass over the rows that both scores need.

use std::borrow::Cow;

use super::super::error::ClusterError;
use super::super::summary::Summary;
use super::{check_labels, check_number_of_labels, encode};
use crate::cluster::kernels::general::sq_dist;
use crate::cluster::lloyd::fixed_sum::FixedScale;
use crate::cluster::lloyd::partial_sums::{PartialSums, Scales};
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
        let (dense, sizes) = encode(labels);
        let n_labels = sizes.len();
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
        // Narrow scales (fixed-point values below 2⁴⁵, rounded with an add, no conversion
        // instruction): 2⁸ of them add exactly in an `f64` before moving into an `i128`,
        // so the sums are exact and the same for any chunking. A squared distance between
        // two points of the data's box is at most d·(2·max|x|)²; centroids lie in the box.
        let span = 2.0 * x.value_scan().max_abs as f64;
        let bound = d as f64 * span * span * (1.0 + 1e-9);
        let squared_scale = FixedScale::narrow(bound);
        let distance_scale = FixedScale::narrow(bound.sqrt());
        const EXACT_TERMS: u32 = 1 << 8;
        use rayon::prelude::*;
        let parts: Vec<(i128, Vec<i128>)> = x
            .par_chunks()
            .map(|ch| {
                let (mut squared, mut distance) = (0i128, vec![0i128; k]);
                let (mut sq_acc, mut sq_n) = (0.0f64, 0u32);
                let (mut acc, mut acc_n) = (vec![0.0f64; k], vec![0u32; k]);
                let labels = &self.labels[ch.start_row..ch.start_row + ch.rows()];
                for (row, &l) in ch.values.chunks_exact(d).zip(labels) {
                    let l = l as usize;
                    let e = sq_dist(row, &self.means[l * d..(l + 1) * d]);
                    sq_acc += squared_scale.round_f64(e);
                    sq_n += 1;
                    if sq_n == EXACT_TERMS {
                        squared += sq_acc as i128;
                        (sq_acc, sq_n) = (0.0, 0);
                    }
                    acc[l] += distance_scale.round_f64(e.sqrt());
                    acc_n[l] += 1;
                    if acc_n[l] == EXACT_TERMS {
                        distance[l] += acc[l] as i128;
                        (acc[l], acc_n[l]) = (0.0, 0);
                    }
                }
                squared += sq_acc as i128;
                for (t, a) in distance.iter_mut().zip(&acc) {
                    *t += *a as i128;
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
