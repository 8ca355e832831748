//! Reading and writing matrices and labels as `.npy` (through `npyz`) or CSV (through
//! `csv`), chosen by the file extension. Errors name the file and, for CSV, the row and
//! column of the bad value.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::Path;

use npyz::WriterBuilder;

use super::CliError;
use crate::data::ChunkedMatrix;

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

/// Reads an n × d matrix (`.npy` float32/float64, 1-D or 2-D C order; or CSV).
pub fn read_matrix(path: &str, chunk_rows: usize) -> Result<ChunkedMatrix, CliError> {
    let (values, n, d) = if is_npy(path) {
        let npy = open_npy(path)?;
        let shape = npy.shape().to_vec();
        if npy.order() != npyz::Order::C {
            return Err(CliError::run(format!(
                "{path}: Fortran-ordered arrays are not supported; save with np.ascontiguousarray"
            )));
        }
        let (n, d) = match shape.as_slice() {
            [n] => (*n as usize, 1),
            [n, d] => (*n as usize, *d as usize),
            s => {
                return Err(CliError::run(format!(
                    "{path}: expected a 1-D or 2-D array, got shape {s:?}"
                )));
            }
        };
        let code = type_code(&npy);
        let err = |e: std::io::Error| CliError::run(format!("{path}: {e}"));
        let values: Vec<f32> = match &code[1..] {
            "f4" => npy.into_vec::<f32>().map_err(err)?,
            "f8" => npy
                .into_vec::<f64>()
                .map_err(err)?
                .into_iter()
                .map(|v| v as f32)
                .collect(),
            _ => {
                return Err(CliError::run(format!(
                    "{path}: dtype {code} is not supported (expected float32 or float64)"
                )));
            }
        };
        (values, n, d)
    } else {
        read_csv_matrix(path)?
    };
    Ok(ChunkedMatrix::from_vec(values, n, d, chunk_rows)?)
}

fn read_csv_matrix(path: &str) -> Result<(Vec<f32>, usize, usize), CliError> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(|e| CliError::run(format!("{path}: {e}")))?;
    let mut values = Vec::new();
    let mut d = None;
    let mut n = 0;
    for (line, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| CliError::run(format!("{path}: {e}")))?;
        let parsed: Vec<Result<f32, _>> = rec.iter().map(|f| f.parse::<f32>()).collect();
        if line == 0 && parsed.iter().any(|p| p.is_err()) {
            // A header line: skipped.
            continue;
        }
        match d {
            None => d = Some(rec.len()),
            Some(d) if d != rec.len() => {
                return Err(CliError::run(format!(
                    "{path}: line {} has {} columns, expected {d}",
                    line + 1,
                    rec.len()
                )));
            }
            _ => {}
        }
        for (col, (p, raw)) in parsed.into_iter().zip(rec.iter()).enumerate() {
            let v = p.map_err(|_| {
                CliError::run(format!(
                    "{path}: line {}, column {}: `{raw}` is not a number",
                    line + 1,
                    col + 1
                ))
            })?;
            values.push(v);
        }
        n += 1;
    }
    let d = d.ok_or_else(|| CliError::run(format!("{path}: no data rows")))?;
    Ok((values, n, d))
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
