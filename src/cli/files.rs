//! Reading and writing matrices and labels as `.npy` or CSV. Matrices are read by the
//! same importer as the page ([`crate::data::import`]: delimiter and header detection,
//! bad rows excluded and reported by line and column); labels are read and everything is
//! written through `npyz` and `csv`, chosen by the file extension.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::Path;

use npyz::WriterBuilder;

use super::CliError;
use crate::data::ChunkedMatrix;
use crate::data::import::{ImportOptions, ImportReport, Imported, import};
use crate::monitor::Unmonitored;

fn is_npy(path: &str) -> bool {
    Path::new(path)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("npy"))
}

fn open_npy(path: &str) -> Result<npyz::NpyFile<BufReader<File>>, CliError> {
    let f = File::open(path).map_err(|e| CliError::run(format!("{path}: {e}")))?;
    npyz::NpyFile::new(BufReader::new(f)).map_err(|e| CliError::run(format!("{path}: {e}")))
}

fn type_code(npy: &npyz::NpyFile<BufReader<File>>) -> String {
    match npy.dtype() {
        npyz::DType::Plain(ts) => ts.to_string(),
        other => format!("{other:?}"),
    }
}

/// Rows per chunk of a small matrix read whole (centres): one chunk holds any of them.
pub const MATRIX_FILE_CHUNK_ROWS: usize = 1 << 20;

/// Reads a matrix every row of which must be valid (centres): as [`read_data`] with the
/// detected layout, but the first bad row is an error naming its line and column.
pub fn read_matrix(path: &str, chunk_rows: usize) -> Result<ChunkedMatrix, CliError> {
    let options = ImportOptions {
        chunk_rows,
        ..ImportOptions::default()
    };
    let (x, report) = read_data(path, &options)?;
    match report.bad_rows.first() {
        None => Ok(x),
        Some(b) => Err(CliError::run(format!("{path}: {b}"))),
    }
}

/// Reads an n × d data matrix from a `.npy` file (any float, integer or boolean dtype, C or
/// Fortran order, 1-D or 2-D) or a CSV file, with the page's importer. Rows that cannot be
/// read are excluded and listed in the report; a file with no readable row is an error.
pub fn read_data(
    path: &str,
    options: &ImportOptions,
) -> Result<(ChunkedMatrix, ImportReport), CliError> {
    let out = read_imported(path, options)?;
    Ok((out.matrix, out.report))
}

/// As [`read_data`], with the classes of a truth column when `options` names one. Every
/// refusal is the page's message, prefixed with the path.
pub fn read_imported(path: &str, options: &ImportOptions) -> Result<Imported, CliError> {
    let bytes = std::fs::read(path).map_err(|e| CliError::run(format!("{path}: {e}")))?;
    import(&bytes, options, None, &Unmonitored).map_err(|e| CliError::run(format!("{path}: {e}")))
}

/// Reads integer labels (`.npy` of any integer type, or one per CSV line).
pub fn read_labels(path: &str) -> Result<Vec<u32>, CliError> {
    let raw: Vec<i64> = if is_npy(path) {
        let npy = open_npy(path)?;
        let code = type_code(&npy);
        let err = |e: std::io::Error| CliError::run(format!("{path}: {e}"));
        match &code[1..] {
            "i8" => npy.into_vec::<i64>().map_err(err)?,
            "i4" => npy
                .into_vec::<i32>()
                .map_err(err)?
                .into_iter()
                .map(i64::from)
                .collect(),
            "u4" => npy
                .into_vec::<u32>()
                .map_err(err)?
                .into_iter()
                .map(i64::from)
                .collect(),
            "u8" => npy
                .into_vec::<u64>()
                .map_err(err)?
                .into_iter()
                .map(|v| v.min(i64::MAX as u64) as i64)
                .collect(),
            _ => {
                return Err(CliError::run(format!(
                    "{path}: dtype {code} is not supported for labels (expected integers)"
                )));
            }
        }
    } else {
        let text =
            std::fs::read_to_string(path).map_err(|e| CliError::run(format!("{path}: {e}")))?;
        let mut out = Vec::new();
        for (line, t) in text.lines().enumerate() {
            let t = t.trim();
            if t.is_empty() || (line == 0 && t.parse::<i64>().is_err()) {
                continue;
            }
            out.push(t.parse::<i64>().map_err(|_| {
                CliError::run(format!(
                    "{path}: line {}: `{t}` is not an integer label",
                    line + 1
                ))
            })?);
        }
        out
    };
    raw.into_iter()
        .enumerate()
        .map(|(i, v)| {
            u32::try_from(v).map_err(|_| {
                CliError::run(format!(
                    "{path}: label {v} at row {i} is out of range 0 ..= {}",
                    u32::MAX
                ))
            })
        })
        .collect()
}

/// Writes an n × d matrix of `f64` values (`.npy` float64, or CSV).
pub fn write_matrix_f64(path: &str, values: &[f64], n: usize, d: usize) -> Result<(), CliError> {
    let err = |e: std::io::Error| CliError::run(format!("{path}: {e}"));
    if is_npy(path) {
        let f = BufWriter::new(File::create(path).map_err(err)?);
        let mut w = npyz::WriteOptions::new()
            .default_dtype()
            .shape(&[n as u64, d as u64])
            .writer(f)
            .begin_nd()
            .map_err(err)?;
        w.extend(values.iter().copied()).map_err(err)?;
        w.finish().map_err(err)
    } else {
        write_csv_rows(path, values.chunks(d.max(1)))
    }
}

/// Writes an n × d matrix of `f32` values (`.npy` float32, or CSV).
pub fn write_matrix_f32(path: &str, x: &ChunkedMatrix) -> Result<(), CliError> {
    let err = |e: std::io::Error| CliError::run(format!("{path}: {e}"));
    if is_npy(path) {
        let f = BufWriter::new(File::create(path).map_err(err)?);
        let mut w = npyz::WriteOptions::new()
            .default_dtype()
            .shape(&[x.n_rows() as u64, x.n_cols() as u64])
            .writer(f)
            .begin_nd()
            .map_err(err)?;
        w.extend(x.as_slice().iter().copied()).map_err(err)?;
        w.finish().map_err(err)
    } else {
        write_csv_rows(path, x.as_slice().chunks(x.n_cols()))
    }
}

fn write_csv_rows<'a, T: std::fmt::Display + 'a>(
    path: &str,
    rows: impl Iterator<Item = &'a [T]>,
) -> Result<(), CliError> {
    let err = |e: csv::Error| CliError::run(format!("{path}: {e}"));
    let mut w = csv::WriterBuilder::new().from_path(path).map_err(err)?;
    for row in rows {
        w.write_record(row.iter().map(|v| v.to_string()))
            .map_err(err)?;
    }
    w.flush().map_err(|e| CliError::run(format!("{path}: {e}")))
}

/// Writes labels (`.npy` int32, or one per CSV line).
pub fn write_labels(path: &str, labels: &[u32]) -> Result<(), CliError> {
    let err = |e: std::io::Error| CliError::run(format!("{path}: {e}"));
    let mut f = BufWriter::new(File::create(path).map_err(err)?);
    if is_npy(path) {
        let mut w = npyz::WriteOptions::new()
            .default_dtype()
            .shape(&[labels.len() as u64])
            .writer(f)
            .begin_nd()
            .map_err(err)?;
        w.extend(labels.iter().map(|&l| l as i32)).map_err(err)?;
        w.finish().map_err(err)
    } else {
        for l in labels {
            writeln!(f, "{l}").map_err(err)?;
        }
        f.flush().map_err(err)
    }
}
