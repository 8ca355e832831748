//! Ground truth from a column of the file: each row's class (integers or strings, as
//! scikit-learn's loaders return `target`), coded in order of first appearance, so the
//! adjusted Rand index and the true centres can be shown for a user's data as they are for
//! generated blobs.

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use crate::data::ChunkedMatrix;

/// The classes of an imported file's rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Truth {
    /// The column's name.
    pub column: String,
    /// The classes, by code (their text in the file).
    pub classes: Vec<String>,
    /// The code of each kept row's class.
    pub labels: Vec<u32>,
}

impl Truth {
    /// The true centres: the mean of each class's rows (summed in `f64`), `classes × d`.
    /// A class with no kept row cannot occur: classes are only coded from kept rows.
    pub fn centres(&self, x: &ChunkedMatrix) -> Array2<f64> {
        let (k, d) = (self.classes.len(), x.n_cols());
        let mut sums = Array2::<f64>::zeros((k, d));
        let mut counts = vec![0u64; k];
        for (row, &label) in x.as_slice().chunks_exact(d.max(1)).zip(&self.labels) {
            let c = label as usize;
            counts[c] += 1;
            for (s, &v) in sums.row_mut(c).iter_mut().zip(row) {
                *s += f64::from(v);
            }
        }
        for (mut r, &n) in sums.rows_mut().into_iter().zip(&counts) {
            r /= n.max(1) as f64;
        }
        sums
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn centres_are_class_means() {
        let x = ChunkedMatrix::from_vec(vec![0.0, 0.0, 2.0, 4.0, 10.0, 10.0], 3, 2, 2).unwrap();
        let t = Truth {
            column: "class".into(),
            classes: vec!["a".into(), "b".into()],
            labels: vec![0, 0, 1],
        };
        let c = t.centres(&x);
        assert_eq!(c.row(0).to_vec(), vec![1.0, 2.0]);
        assert_eq!(c.row(1).to_vec(), vec![10.0, 10.0]);
    }
}
