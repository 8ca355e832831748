//! `labels.csv`: one row per dataset row, in dataset order, with its cluster.
//!
//! By default each line holds the row's features and then its label (`x0,…,x{d-1},label`):
//! the dataset was generated (or parsed) inside the browser, so a bare label column would
//! be useless to a user who wants to plot or join the clusters — with the features,
//! `pandas.read_csv("labels.csv")` gives the points and their clusters in one table.
//! [`LabelsLayout::LabelsOnly`] writes only the `label` column, for a user who already holds
//! the rows (an imported file) and wants the smallest download.
//!
//! Values are written with Rust's shortest round-trip formatting, so parsing a value back as
//! `float32` gives the very bits the page clustered. Chunks are formatted in parallel, a
//! bounded batch at a time, and written in chunk order: the output is the only large buffer.

use std::io::Write;

use rayon::prelude::*;

use super::csv_field::{column_names, escape_field, header_line};
use super::error::ExportError;
use crate::data::ChunkedMatrix;

/// Which columns `labels.csv` has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LabelsLayout {
    /// `x0,…,x{d-1},label`: the row's features, then its cluster.
    #[default]
    WithFeatures,
    /// `label` only.
    LabelsOnly,
}

/// Chunks formatted per batch and per thread: enough to keep every thread busy, few enough
/// that the formatted batch stays small next to the output.
const CHUNKS_PER_THREAD: usize = 2;

/// An estimate of the file's size in bytes, for refusing an export that would not fit
/// before formatting anything: about 10 characters per value with its comma (blobs values
/// of magnitude 0.01 … 10 000 in shortest form) and 3 per label with its line feed.
pub fn labels_csv_size_hint(n_rows: usize, n_cols: usize, layout: LabelsLayout) -> u64 {
    let per_row = match layout {
        LabelsLayout::WithFeatures => n_cols as u64 * 10 + 3,
        LabelsLayout::LabelsOnly => 3,
    };
    n_rows as u64 * per_row + 16 * (n_cols as u64 + 1)
}

/// An imported file's ground truth, written as a last column after the label.
#[derive(Debug, Clone, Copy)]
pub struct TruthColumn<'a> {
    /// The column's name in the file.
    pub name: &'a str,
    /// Each row's class code.
    pub codes: &'a [u32],
    /// The classes as the file wrote them, by code.
    pub classes: &'a [String],
}

/// Writes `labels.csv` for `x` and `labels` (one per row) to `out`; `names` overrides the
/// feature names (an imported file's header), quoted as RFC 4180 requires; `truth` adds the
/// file's classes as a last column. Returns the bytes written.
pub fn write_labels_csv<W: Write>(
    out: &mut W,
    x: &ChunkedMatrix,
    labels: &[u32],
    layout: LabelsLayout,
    names: Option<&[String]>,
    truth: Option<TruthColumn>,
) -> Result<u64, ExportError> {
    if labels.len() != x.n_rows() {
        return Err(ExportError::Inconsistent {
            what: "labels.csv needs one label per row",
            expected: x.n_rows(),
            got: labels.len(),
        });
    }
    if let Some(t) = truth
        && (t.codes.len() != x.n_rows() || t.codes.iter().any(|&c| c as usize >= t.classes.len()))
    {
        return Err(ExportError::Inconsistent {
            what: "labels.csv needs one known class per row",
            expected: x.n_rows(),
            got: t.codes.len(),
        });
    }
    let d = x.n_cols();
    let names = column_names(names, d, "labels.csv needs one column name per feature")?;
    let last = truth.map(|t| t.name);
    let header = match layout {
        LabelsLayout::WithFeatures => header_line(
            names
                .iter()
                .map(String::as_str)
                .chain(["label"])
                .chain(last),
        ),
        LabelsLayout::LabelsOnly => header_line(["label"].into_iter().chain(last)),
    };
    let classes: Option<Vec<String>> = truth.map(|t| {
        t.classes
            .iter()
            .map(|c| escape_field(c).into_owned())
            .collect()
    });
    let truth = truth.map(|t| (t.codes, classes.as_deref().unwrap_or_default()));
    out.write_all(header.as_bytes())?;
    let mut written = header.len() as u64;
    let batch = (rayon::current_num_threads() * CHUNKS_PER_THREAD).max(1);
    let n_chunks = x.n_chunks();
    for first in (0..n_chunks).step_by(batch) {
        let parts: Vec<Vec<u8>> = (first..(first + batch).min(n_chunks))
            .into_par_iter()
            .map(|c| format_chunk(x, labels, c, layout, truth))
            .collect();
        for part in parts {
            out.write_all(&part)?;
            written += part.len() as u64;
        }
    }
    Ok(written)
}

/// The lines of chunk `c`.
fn format_chunk(
    x: &ChunkedMatrix,
    labels: &[u32],
    c: usize,
    layout: LabelsLayout,
    truth: Option<(&[u32], &[String])>,
) -> Vec<u8> {
    let chunk = x.chunk(c);
    let rows = chunk.rows();
    let mut buf =
        Vec::with_capacity(labels_csv_size_hint(rows, chunk.n_cols, layout).min(64 << 20) as usize);
    for r in 0..rows {
        if layout == LabelsLayout::WithFeatures {
            for v in chunk.row(r) {
                // Writing to a Vec cannot fail.
                let _ = write!(buf, "{v},");
            }
        }
        let i = chunk.start_row + r;
        match truth {
            Some((codes, classes)) => {
                let _ = writeln!(buf, "{},{}", labels[i], classes[codes[i] as usize]);
            }
            None => {
                let _ = writeln!(buf, "{}", labels[i]);
            }
        }
    }
    buf
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matrix() -> ChunkedMatrix {
        let values: Vec<f32> = (0..10).map(|i| i as f32 * 0.5 - 1.0).collect();
        ChunkedMatrix::from_vec(values, 5, 2, 2).unwrap()
    }

    #[test]
    fn a_truth_column_follows_the_label_with_the_files_classes() {
        let mut out = Vec::new();
        let classes = ["setosa".to_string(), "a,b".to_string()];
        let truth = TruthColumn {
            name: "species",
            codes: &[0, 1, 0, 1, 1],
            classes: &classes,
        };
        write_labels_csv(
            &mut out,
            &matrix(),
            &[2, 1, 0, 1, 2],
            LabelsLayout::LabelsOnly,
            None,
            Some(truth),
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "label,species\n2,setosa\n1,\"a,b\"\n0,setosa\n1,\"a,b\"\n2,\"a,b\"\n"
        );
    }

    #[test]
    fn features_then_label_in_row_order() {
        let mut out = Vec::new();
        let n = write_labels_csv(
            &mut out,
            &matrix(),
            &[0, 1, 2, 1, 0],
            LabelsLayout::WithFeatures,
            None,
            None,
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(n as usize, text.len());
        assert_eq!(
            text,
            "x0,x1,label\n-1,-0.5,0\n0,0.5,1\n1,1.5,2\n2,2.5,1\n3,3.5,0\n"
        );
    }

    #[test]
    fn labels_only_and_named_columns() {
        let mut out = Vec::new();
        write_labels_csv(
            &mut out,
            &matrix(),
            &[4, 3, 2, 1, 0],
            LabelsLayout::LabelsOnly,
            None,
            None,
        )
        .unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "label\n4\n3\n2\n1\n0\n");
        let mut out = Vec::new();
        let names = ["width, cm".to_string(), "h".to_string()];
        write_labels_csv(
            &mut out,
            &matrix(),
            &[0; 5],
            LabelsLayout::WithFeatures,
            Some(&names),
            None,
        )
        .unwrap();
        assert!(
            String::from_utf8(out)
                .unwrap()
                .starts_with("\"width, cm\",h,label\n")
        );
    }

    #[test]
    fn values_read_back_bit_for_bit() {
        let values = vec![
            0.1f32,
            -3.402_823_5e38,
            1.0e-30,
            7.0,
            f32::MIN_POSITIVE,
            123.456,
        ];
        let x = ChunkedMatrix::from_vec(values.clone(), 3, 2, 1).unwrap();
        let mut out = Vec::new();
        write_labels_csv(
            &mut out,
            &x,
            &[0, 1, 2],
            LabelsLayout::WithFeatures,
            None,
            None,
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        let back: Vec<f32> = text
            .lines()
            .skip(1)
            .flat_map(|l| {
                let f: Vec<&str> = l.split(',').collect();
                f[..2]
                    .iter()
                    .map(|v| v.parse::<f32>().unwrap())
                    .collect::<Vec<_>>()
            })
            .collect();
        assert_eq!(
            back.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
            values.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
        );
    }

    #[test]
    fn wrong_lengths_are_named() {
        let e = write_labels_csv(
            &mut Vec::new(),
            &matrix(),
            &[0; 4],
            LabelsLayout::LabelsOnly,
            None,
            None,
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "labels.csv needs one label per row: expected 5, got 4"
        );
        let e = write_labels_csv(
            &mut Vec::new(),
            &matrix(),
            &[0; 5],
            LabelsLayout::WithFeatures,
            Some(&["a".to_string()]),
            None,
        )
        .unwrap_err();
        assert!(e.to_string().contains("one column name per feature"), "{e}");
    }

    #[test]
    fn many_chunks_keep_their_order() {
        let n = 10_007;
        let values: Vec<f32> = (0..n).map(|i| i as f32).collect();
        let x = ChunkedMatrix::from_vec(values, n, 1, 13).unwrap();
        let labels: Vec<u32> = (0..n as u32).map(|i| i % 7).collect();
        let mut out = Vec::new();
        write_labels_csv(
            &mut out,
            &x,
            &labels,
            LabelsLayout::WithFeatures,
            None,
            None,
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.lines().count(), n + 1);
        for (i, line) in text.lines().skip(1).enumerate() {
            assert_eq!(line, format!("{i},{}", i % 7));
        }
        let hint = labels_csv_size_hint(n, 1, LabelsLayout::WithFeatures);
        assert!(hint >= text.len() as u64, "{hint} < {}", text.len());
    }
}
