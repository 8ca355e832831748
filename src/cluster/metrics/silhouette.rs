//! Silhouette coefficient (Rousseeuw 1987), scikit-learn's `silhouette_score`: for each
//! row, `(b − a)/max(a, b)` with `a` its mean distance to the rest of its cluster and `b`
//! its smallest mean distance to another cluster; 0 for rows alone in their cluster.
//! It costs O(m²·d), so it is computed on a seeded sample of m rows, drawn by a keyed
//! permutation (`(seed, Sample, 0)`) as scikit-learn draws `permutation(n)[:m]`.

use rayon::prelude::*;

use super::super::error::ClusterError;
use super::{check_labels, check_number_of_labels, encode};
use crate::data::ChunkedMatrix;
use crate::data::Purpose;
use crate::data::keyed_stream::stream_key;
use crate::data::permutation::Permutation;

/// The mean silhouette of `labels` on `x`, on all rows (`sample_size = None`) or on a
/// seeded sample of `sample_size` rows.
pub fn silhouette_score(
    x: &ChunkedMatrix,
    labels: &[u32],
    sample_size: Option<usize>,
    seed: u64,
) -> Result<f64, ClusterError> {
    check_labels(x, labels)?;
    let n = x.n_rows();
    let rows: Vec<usize> = match sample_size {
        None => (0..n).collect(),
        Some(m) => {
            if m < 2 || m > n {
                return Err(ClusterError::OutOfRange {
                    name: "sample_size",
                    value: m.to_string(),
                    allowed: format!("2 ..= n_samples ({n})"),
                });
            }
            let perm = Permutation::new(n as u64, stream_key(seed, Purpose::Sample, 0));
            (0..m).map(|i| perm.apply(i as u64) as usize).collect()
        }
    };
    let sub: Vec<u32> = rows.iter().map(|&i| labels[i]).collect();
    let (lab, sizes) = encode(&sub);
    let k = sizes.len();
    check_number_of_labels(k, rows.len())?;
    let d = x.n_cols();
    let m = rows.len();
    // The sample grouped by cluster (stable, so each cluster keeps sample order) and stored
    // by column: the distances from one row to all others are then d vector passes, and
    // each cluster's sum is over a contiguous range.
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by_key(|&j| lab[j]);
    let mut starts = vec![0usize; k + 1];
    for l in 0..k {
        starts[l + 1] = starts[l] + sizes[l] as usize;
    }
    let mut cols = vec![0.0f64; d * m];
    for (p, &j) in order.iter().enumerate() {
        for (t, &v) in x.row(rows[j]).iter().enumerate() {
            cols[t * m + p] = v as f64;
        }
    }
    let sil: Vec<f64> = (0..m)
        .into_par_iter()
        .map_init(
            || vec![0.0f64; m],
            |dist, i| {
                let own = lab[i] as usize;
                if sizes[own] <= 1 {
                    return 0.0;
                }
                dist.fill(0.0);
                for (t, &v) in x.row(rows[i]).iter().enumerate() {
                    let xt = v as f64;
                    for (s, &c) in dist.iter_mut().zip(&cols[t * m..(t + 1) * m]) {
                        let u = xt - c;
                        *s += u * u;
                    }
                }
                let sums: Vec<f64> = (0..k)
                    .map(|l| sum_sqrt(&dist[starts[l]..starts[l + 1]]))
                    .collect();
                let a = sums[own] / (sizes[own] - 1) as f64;
                let b = (0..k)
                    .filter(|&l| l != own)
                    .map(|l| sums[l] / sizes[l] as f64)
                    .fold(f64::INFINITY, f64::min);
                let mx = a.max(b);
                if mx > 0.0 { (b - a) / mx } else { 0.0 }
            },
        )
        .collect();
    Ok(sil.iter().sum::<f64>() / sil.len() as f64)
}

/// `Σ √v` with eight interleaved partial sums (a fixed order, so it vectorises and gives
/// the same bits on every target and thread count).
fn sum_sqrt(v: &[f64]) -> f64 {
    let mut acc = [0.0f64; 8];
    let mut it = v.chunks_exact(8);
    for c in &mut it {
        for l in 0..8 {
            acc[l] += c[l].sqrt();
        }
    }
    for (l, &r) in it.remainder().iter().enumerate() {
        acc[l] += r.sqrt();
    }
    ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]))
}
