//! Adjusted Rand index (Hubert & Arabie 1985) as scikit-learn computes it
//! (`adjusted_rand_score` via `pair_confusion_matrix`), with exact integer pair counts.

use std::collections::HashMap;

use rayon::prelude::*;

use super::super::error::ClusterError;
use super::{COUNT_BLOCK, add_counts, max_label};

/// ARI of two labelings of the same rows: 1 for identical partitions, about 0 for
/// independent ones.
pub fn adjusted_rand_index(truth: &[u32], pred: &[u32]) -> Result<f64, ClusterError> {
    if truth.len() != pred.len() {
        return Err(ClusterError::Inconsistent {
            what: "both labelings need one value per row",
            expected: truth.len(),
            got: pred.len(),
        });
    }
    let n = truth.len() as i128;
    let (ka, kb) = if truth.is_empty() {
        (0, 0)
    } else {
        (max_label(truth) as usize + 1, max_label(pred) as usize + 1)
    };
    // Dense counts when the contingency table is small (the usual case), a map otherwise.
    let (cells, rows, cols): (Vec<i128>, Vec<i128>, Vec<i128>) = if ka * kb <= 1 << 24 {
        // Counted in u64 (a row is one increment), widened once for the pair counts; one
        // table per thread when the table is small next to the rows.
        let count = |mut cells: Vec<u64>, (ta, pb): (&[u32], &[u32])| {
            for (&a, &b) in ta.iter().zip(pb) {
                cells[a as usize * kb + b as usize] += 1;
            }
            cells
        };
        let cells = if truth.len() > COUNT_BLOCK && ka * kb <= truth.len() / 64 {
            truth
                .par_chunks(COUNT_BLOCK)
                .zip(pred.par_chunks(COUNT_BLOCK))
                .fold(|| vec![0u64; ka * kb], count)
                .reduce(|| vec![0u64; ka * kb], add_counts)
        } else {
            count(vec![0u64; ka * kb], (truth, pred))
        };
        let (mut rows, mut cols) = (vec![0i128; ka], vec![0i128; kb]);
        for (i, &c) in cells.iter().enumerate() {
            rows[i / kb] += c as i128;
            cols[i % kb] += c as i128;
        }
        (cells.into_iter().map(|c| c as i128).collect(), rows, cols)
    } else {
        let mut cells: HashMap<(u32, u32), i128> = HashMap::new();
        let mut rows: HashMap<u32, i128> = HashMap::new();
        let mut cols: HashMap<u32, i128> = HashMap::new();
        for (&a, &b) in truth.iter().zip(pred) {
            *cells.entry((a, b)).or_default() += 1;
            *rows.entry(a).or_default() += 1;
            *cols.entry(b).or_default() += 1;
        }
        (
            cells.into_values().collect(),
            rows.into_values().collect(),
            cols.into_values().collect(),
        )
    };
    let sq = |m: &mut dyn Iterator<Item = i128>| m.map(|v| v * v).sum::<i128>();
    let sum_sq = sq(&mut cells.iter().copied());
    let tp = sum_sq - n;
    let fp = sq(&mut cols.iter().copied()) - sum_sq;
    let fn_ = sq(&mut rows.iter().copied()) - sum_sq;
    let tn = n * n - fp - fn_ - sum_sq;
    if fn_ == 0 && fp == 0 {
        return Ok(1.0);
    }
    let num = 2.0 * (tp * tn - fn_ * fp) as f64;
    let den = ((tp + fn_) * (fn_ + tn) + (tp + fp) * (fp + tn)) as f64;
    Ok(num / den)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        assert_eq!(
            adjusted_rand_index(&[0, 0, 1, 1], &[1, 1, 0, 0]).unwrap(),
            1.0
        );
        // sklearn: adjusted_rand_score([0, 0, 1, 2], [0, 0, 1, 1]) = 0.5714285714285715
        let v = adjusted_rand_index(&[0, 0, 1, 2], &[0, 0, 1, 1]).unwrap();
        assert!((v - 0.5714285714285715).abs() < 1e-15, "{v}");
        // sklearn: adjusted_rand_score([0, 0, 1, 1], [0, 1, 0, 1]) = -0.5
        assert_eq!(
            adjusted_rand_index(&[0, 0, 1, 1], &[0, 1, 0, 1]).unwrap(),
            -0.5
        );
    }
}
