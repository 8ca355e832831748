//! Your own starting centres: k rows of d numbers, pasted or from a small file, read by
//! the same importer as the data (any delimiter, decimal mark and header), as
//! scikit-learn's `KMeans(init=ndarray)` takes an array of shape `(n_clusters, n_features)`.

use super::error::ImportError;
use super::options::ImportOptions;
use crate::monitor::Unmonitored;

/// Reads `text` as exactly `k` centres of `d` values each. Every value must be a finite
/// number: a centre cannot be dropped the way a bad data row is.
pub fn parse_centres(text: &[u8], k: usize, d: usize) -> Result<Vec<Vec<f64>>, ImportError> {
    let out = super::import(text, &ImportOptions::default(), None, &Unmonitored)?;
    if let Some(bad) = out.report.bad_rows.first() {
        return Err(ImportError::BadCentre(bad.clone()));
    }
    let rows = out.matrix.n_rows();
    if rows != k {
        return Err(ImportError::BadOption {
            name: "centres",
            value: format!("{rows} rows"),
            allowed: format!("exactly k = {k} rows, one centre each"),
        });
    }
    let width = out.matrix.n_cols();
    if width != d {
        return Err(ImportError::BadOption {
            name: "values per centre",
            value: width.to_string(),
            allowed: format!("exactly {d} (the data's columns)"),
        });
    }
    Ok(out
        .matrix
        .as_slice()
        .chunks_exact(d)
        .map(|r| r.iter().map(|&v| f64::from(v)).collect())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn k_rows_of_d_values_in_any_dialect() {
        let c = parse_centres(b"1.5;2\n3;4,5\n", 2, 2);
        // A decimal comma in one row and a point in the other is no dialect: refused.
        assert!(c.is_err(), "{c:?}");
        let c = parse_centres(b"x;y\n1,5;2\n3;4,5\n", 2, 2).unwrap();
        assert_eq!(c, vec![vec![1.5, 2.0], vec![3.0, 4.5]]);
        let c = parse_centres(b"5.1,3.5\n", 1, 2).unwrap();
        assert_eq!(c[0][0], f64::from(5.1f32));
    }

    #[test]
    fn the_count_and_width_are_checked_against_k_and_the_data() {
        let e = parse_centres(b"1,2\n3,4\n", 3, 2).unwrap_err();
        assert_eq!(
            e.to_string(),
            "centres = 2 rows is out of range: allowed exactly k = 3 rows, one centre each"
        );
        let e = parse_centres(b"1,2\n3,4\n", 2, 4).unwrap_err();
        assert_eq!(
            e.to_string(),
            "values per centre = 2 is out of range: allowed exactly 4 (the data's columns)"
        );
        let e = parse_centres(b"1,2\n3,oops\n", 2, 2).unwrap_err();
        assert_eq!(
            e.to_string(),
            "a starting centre cannot be read: line 2, column 2: 'oops' — not a number"
        );
        assert!(parse_centres(b"", 2, 2).is_err());
    }
}
