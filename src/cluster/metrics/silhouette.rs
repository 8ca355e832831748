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
    let (lab, k) = encode(&sub);
    check_number_of_labels(k, rows.len())?;
    let sizes = super::cluster_sizes(&lab, k);
    let d = x.n_cols();
    let sil: Vec<f64> = (0..rows.len())
        .into_par_iter()
        .map(|i| {
            let xi = x.row(rows[i]);
            let mut sums = vec![0.0f64; k];
            for (j, &rj) in rows.iter().enumerate() {
                let xj = x.row(rj);
                let mut s = 0.0f64;
                for t in 0..d {
                    let u = xi[t] as f64 - xj[t] as f64;
                    s += u * u;
                }
                sums[lab[j] as usize] += s.sqrt();
            }
            let own = lab[i] as usize;
            if sizes[own] <= 1 {
                return 0.0;
            }
            let a = sums[own] / (sizes[own] - 1) as f64;
            let b = (0..k)
                .filter(|&l| l != own)
                .map(|l| sums[l] / sizes[l] as f64)
                .fold(f64::INFINITY, f64::min);
            let m = a.max(b);
            if m > 0.0 { (b - a) / m } else { 0.0 }
        })
        .collect();
    Ok(sil.iter().sum::<f64>() / sil.len() as f64)
}
