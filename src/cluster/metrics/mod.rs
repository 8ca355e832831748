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

use std::borrow::Cow;

use ndarray::ArrayView2;

use super::error::ClusterError;
use super::kernels::general::sq_dist;
use super::lloyd::partial_sums::Scales;
use super::summary::Summary;
use crate::data::ChunkedMatrix;
use crate::limits::LimitError;

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
pub fn cluster_sizes<L: crate::cluster::labels::LabelWord>(labels: &[L], k: usize) -> Vec<u64> {
    use rayon::prelude::*;
    let count = |mut sizes: Vec<u64>, block: &[L]| {
        for &l in block {
            if let Some(s) = sizes.get_mut(l.to_label() as usize) {
                *s += 1;
            }
        }
        sizes
    };
    if labels.len() <= COUNT_BLOCK {
        return count(vec![0; k], labels);
    }
    // One table per thread (fold), not per block: k may be large.
    labels
        .par_chunks(COUNT_BLOCK)
        .fold(|| vec![0u64; k], count)
        .reduce(|| vec![0u64; k], add_counts)
}

/// Labels per parallel counting task: big enough that a task outweighs its table.
pub(crate) const COUNT_BLOCK: usize = 1 << 16;

/// `a + b`, element by element.
pub(crate) fn add_counts(mut a: Vec<u64>, b: Vec<u64>) -> Vec<u64> {
    for (x, y) in a.iter_mut().zip(&b) {
        *x += y;
    }
    a
}

/// The largest label (0 for none), in parallel for long labelings.
pub(crate) fn max_label(labels: &[u32]) -> u32 {
    use rayon::prelude::*;
    if labels.len() <= COUNT_BLOCK {
        return labels.iter().copied().max().unwrap_or(0);
    }
    labels
        .par_chunks(COUNT_BLOCK)
        .map(|b| b.iter().copied().max().unwrap_or(0))
        .max()
        .unwrap_or(0)
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
        return Err(ClusterError::Limit(LimitError::out_of_range(
            "label",
            bad,
            format!("0 ..= {}", k.saturating_sub(1)),
        )));
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
/// (scikit-learn's `LabelEncoder`), with the rows of each (their count is the number of
/// labels). Labels are usually
/// `0..k`: a count table indexed by value finds the distinct values in one parallel pass
/// (no sort of n labels), and labels that are already dense are borrowed, not copied;
/// sparse large values fall back to sorting the distinct ones.
pub(crate) fn encode(labels: &[u32]) -> (Cow<'_, [u32]>, Vec<u64>) {
    use rayon::prelude::*;
    let max = max_label(labels) as usize;
    if max <= labels.len().max(1 << 16) {
        let counts = cluster_sizes(labels, max + 1);
        // A fitted model's labels are usually already 0..k with every label used.
        if counts.iter().all(|&c| c > 0) {
            return (Cow::Borrowed(labels), counts);
        }
        let mut next = 0u32;
        let code: Vec<u32> = counts
            .iter()
            .map(|&c| {
                let code = next;
                next += u32::from(c > 0);
                code
            })
            .collect();
        let out = labels.par_iter().map(|&l| code[l as usize]).collect();
        return (
            Cow::Owned(out),
            counts.into_iter().filter(|&c| c > 0).collect(),
        );
    }
    let mut values: Vec<u32> = labels.to_vec();
    values.sort_unstable();
    values.dedup();
    let code = |l: u32| values.binary_search(&l).expect("label present") as u32;
    let out: Vec<u32> = labels.iter().map(|&l| code(l)).collect();
    let sizes = cluster_sizes(&out, values.len());
    (Cow::Owned(out), sizes)
}

/// scikit-learn's `check_number_of_labels`: `2 ≤ n_labels ≤ n_samples − 1`.
pub(crate) fn check_number_of_labels(n_labels: usize, n: usize) -> Result<(), ClusterError> {
    if n_labels < 2 || n_labels + 1 > n {
        return Err(ClusterError::Limit(LimitError::out_of_range(
            "number of labels",
            n_labels,
            format!("2 ..= n_samples − 1 ({})", n.saturating_sub(1)),
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::{cluster_sizes, encode};

    #[test]
    fn encode_is_the_rank_of_each_value_for_dense_and_sparse_labels() {
        let owned = |(codes, sizes): (Cow<'_, [u32]>, Vec<u64>)| (codes.into_owned(), sizes);
        assert_eq!(
            owned(encode(&[5, 2, 5, 9, 2])),
            (vec![1, 0, 1, 2, 0], vec![2, 2, 1])
        );
        // Values far above n take the sorting path; the codes are the same ranks.
        assert_eq!(
            owned(encode(&[4_000_000_000, 7, 4_000_000_000, 3])),
            (vec![2, 1, 2, 0], vec![1, 1, 2])
        );
        assert_eq!(owned(encode(&[])), (vec![], vec![]));
        // Already dense: borrowed, not copied.
        let (codes, sizes) = encode(&[1, 0, 2, 1]);
        assert!(matches!(codes, Cow::Borrowed(_)));
        assert_eq!(sizes, vec![1, 2, 1]);
        // Long labelings take the parallel paths and give the same codes.
        let long: Vec<u32> = (0..300_000u32).map(|i| (i % 7) * 3 + 5).collect();
        let (codes, sizes) = encode(&long);
        assert_eq!(
            sizes,
            vec![42_858, 42_857, 42_857, 42_857, 42_857, 42_857, 42_857]
        );
        assert!(codes.iter().zip(&long).all(|(&c, &l)| c == (l - 5) / 3));
    }

    #[test]
    fn cluster_sizes_count_in_parallel_and_ignore_labels_out_of_range() {
        let labels: Vec<u32> = (0..500_000u32).map(|i| i % 5).collect();
        assert_eq!(cluster_sizes(&labels, 4), vec![100_000; 4]);
        assert_eq!(cluster_sizes(&labels[..10], 6), vec![2, 2, 2, 2, 2, 0]);
    }
}
