//! `centroids.csv`: one row per cluster — its index, how many rows it holds, and its centre
//! (`cluster,size,x0,…,x{d-1}`), the table of the fit deck. Centres are written as `f64` in
//! shortest round-trip form, so they read back exactly.

use std::io::Write;

use ndarray::Array2;

use super::csv_field::{column_names, header_line};
use super::error::ExportError;

/// Writes `centroids.csv` for `centres` (`k × d`) and `sizes` (rows per cluster); `names`
/// overrides the feature names. Returns the bytes written.
pub fn write_centroids_csv<W: Write>(
    out: &mut W,
    centres: &Array2<f64>,
    sizes: &[u64],
    names: Option<&[String]>,
) -> Result<u64, ExportError> {
    let (k, d) = centres.dim();
    if sizes.len() != k {
        return Err(ExportError::Inconsistent {
            what: "centroids.csv needs one size per cluster",
            expected: k,
            got: sizes.len(),
        });
    }
    let names = column_names(names, d, "centroids.csv needs one column name per feature")?;
    let mut text = header_line(
        ["cluster", "size"]
            .into_iter()
            .chain(names.iter().map(String::as_str)),
    );
    for (c, (row, size)) in centres.rows().into_iter().zip(sizes).enumerate() {
        text.push_str(&format!("{c},{size}"));
        for v in row {
            text.push_str(&format!(",{v:?}"));
        }
        text.push('\n');
    }
    out.write_all(text.as_bytes())?;
    Ok(text.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_row_per_cluster_with_size_and_centre() {
        let centres =
            Array2::from_shape_vec((2, 3), vec![0.1, -2.0, 3.5, 1e-20, 4.0, -0.25]).unwrap();
        let mut out = Vec::new();
        let n = write_centroids_csv(&mut out, &centres, &[7, 3], None).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(n as usize, text.len());
        assert_eq!(
            text,
            "cluster,size,x0,x1,x2\n0,7,0.1,-2.0,3.5\n1,3,1e-20,4.0,-0.25\n"
        );
        let back: f64 = text
            .lines()
            .nth(2)
            .unwrap()
            .split(',')
            .nth(2)
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(back, 1e-20);
    }

    #[test]
    fn sizes_must_match_clusters_and_names_are_quoted() {
        let centres = Array2::zeros((2, 1));
        let e = write_centroids_csv(&mut Vec::new(), &centres, &[1], None).unwrap_err();
        assert_eq!(
            e.to_string(),
            "centroids.csv needs one size per cluster: expected 2, got 1"
        );
        let mut out = Vec::new();
        write_centroids_csv(&mut out, &centres, &[1, 1], Some(&["a \"b\"".into()])).unwrap();
        assert!(
            String::from_utf8(out)
                .unwrap()
                .starts_with("cluster,size,\"a \"\"b\"\"\"\n")
        );
    }
}
