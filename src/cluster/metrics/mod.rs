//! Clustering metrics with scikit-learn's definitions (`sklearn.metrics`): inertia, cluster
//! sizes, adjusted Rand index, silhouette (on a seeded sample), Calinski–Harabasz and
//! Davies–Bouldin. Per-cluster sums are exact fixed-point sums, so scores do not depend on
//! chunking or threads.

pub mod adjusted_rand;
pub mod calinski_harabasz;
pub mod centroids;
pub mod davies_bouldin;
pub mod silhouette;

pub use adjusted_rand::adjusted_rand_index;
pub use calinski_harabasz::calinski_harabasz;
pub use davies_bouldin::davies_bouldin;
pub use silhouette::silhouette_score;

use ndarray::ArrayView2;

use super::error::ClusterError;
use super::kernel::sq_dist;
use super::partial_sums::Scales;
use super::summary::Summary;
use crate::data::ChunkedMatrix;

/// Calinski–Harabasz and Davies–Bouldin together: one set of centroids and one pass over
/// the rows for both (the same bits as computing each alone).
pub fn calinski_harabasz_and_davies_bouldin(
    x: &ChunkedMatrix,
    labels: &[u32],
) -> Result<(f64, f64), ClusterError> {
    let c = centroids::Centroids::of(x, labels)?;
    let dispersion = c.dispersion(x);
    Ok((
        calinski_harabasz::score(&c, &dispersion),
        davies_bouldin::score(&c, &dispersion),
    ))
}

/// Rows per label, for labels `0..k` (labels ≥ k are ignored).
pub fn cluster_sizes(labels: &[u32], k: usize) -> Vec<u64> {
    let mut sizes = vec![0u64; k];
    for &l in labels {
        if let Some(s) = sizes.get_mut(l as usize) {
            *s += 1;
        }
    }
    sizes
}

/// `Σ w·‖x − c_label‖²` for given labels (scikit-learn's `_inertia`).
pub fn inertia(
    x: &ChunkedMatrix,
    centres: ArrayView2<'_, f64>,
    labels: &[u32],
    weights: Option<&[f64]>,
) -> Result<f64, ClusterError> {
    check_labels(x, labels)?;
    if centres.ncols() != x.n_cols() {
        return Err(ClusterError::Inconsistent {
            what: "centres must have one value per feature",
            expected: x.n_cols(),
            got: centres.ncols(),
        });
    }
    let k = centres.nrows();
    if let Some(&bad) = labels.iter().find(|&&l| l as usize >= k) {
        return Err(ClusterError::OutOfRange {
            name: "label",
            value: bad.to_string(),
            allowed: format!("0 ..= {}", k.saturating_sub(1)),
        });
    }
    let values: Vec<f64> = centres.iter().copied().collect();
    let summary = Summary::of(x, weights)?.covering(&values);
    let scale = Scales::new(&summary).dist;
    let d = x.n_cols();
    use rayon::prelude::*;
    let total: i128 = x
        .par_chunks()
        .map(|c| {
            let mut s = 0i128;
            for r in 0..c.rows() {
                let i = c.start_row + r;
                let l = labels[i] as usize;
                let w = weights.map_or(1.0, |w| w[i]);
                s += scale.fix(w * sq_dist(c.row(r), &values[l * d..(l + 1) * d])) as i128;
            }
            s
        })
        .collect::<Vec<_>>()
        .into_iter()
        .sum();
    Ok(scale.value(total))
}

/// One label per row.
pub(crate) fn check_labels(x: &ChunkedMatrix, labels: &[u32]) -> Result<(), ClusterError> {
    if labels.len() != x.n_rows() {
        return Err(ClusterError::Inconsistent {
            what: "labels need one value per row",
            expected: x.n_rows(),
            got: labels.len(),
        });
    }
    Ok(())
}

/// Labels re-encoded as `0..n_labels` in increasing order of the original values
/// (scikit-learn's `LabelEncoder`), with the number of labels. Labels are usually
/// `0..k`: a presence table indexed by value finds the distinct values in one pass (no
/// sort of n labels); sparse large values fall back to sorting the distinct ones.
pub(crate) fn encode(labels: &[u32]) -> (Vec<u32>, usize) {
    let max = labels.iter().copied().max().unwrap_or(0) as usize;
    if max <= labels.len().max(1 << 16) {
        let mut code = vec![0u32; max + 1];
        for &l in labels {
            code[l as usize] = 1;
        }
        let mut next = 0u32;
        for c in code.iter_mut() {
            let present = *c;
            *c = next;
            next += present;
        }
        let out = labels.iter().map(|&l| code[l as usize]).collect();
        return (out, next as usize);
    }
    let mut values: Vec<u32> = labels.to_vec();
    values.sort_unstable();
    values.dedup();
    let code = |l: u32| values.binary_search(&l).expect("label present") as u32;
    (labels.iter().map(|&l| code(l)).collect(), values.len())
}

/// scikit-learn's `check_number_of_labels`: `2 ≤ n_labels ≤ n_samples − 1`.
pub(crate) fn check_number_of_labels(n_labels: usize, n: usize) -> Result<(), ClusterError> {
    if n_labels < 2 || n_labels + 1 > n {
        return Err(ClusterError::OutOfRange {
            name: "number of labels",
            value: n_labels.to_string(),
            allowed: format!("2 ..= n_samples − 1 ({})", n.saturating_sub(1)),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::encode;

    #[test]
    fn encode_is_the_rank_of_each_value_for_dense_and_sparse_labels() {
        assert_eq!(encode(&[5, 2, 5, 9, 2]), (vec![1, 0, 1, 2, 0], 3));
        // Values far above n take the sorting path; the codes are the same ranks.
        assert_eq!(
            encode(&[4_000_000_000, 7, 4_000_000_000, 3]),
            (vec![2, 1, 2, 0], 3)
        );
        assert_eq!(encode(&[]), (vec![], 0));
    }
}
