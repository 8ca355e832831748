//! Reading and writing matrices and labels as `.npy` or CSV. Matrices are read by the
//! same importer as the page ([`crate::data::import`]: delimiter and header detection,
//! bad rows excluded and reported by line and column); labels are read and everything is
//! written through `npyz` and `csv`, chosen by the file extension.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::Path;

use npyz::WriterBuilder;

use super::CliError;
use crate::data::ChunkedMatrix;
use crate::data::import::{
    DEFAULT_SLICE_BYTES, ImportError, ImportOptions, ImportReport, Imported, SNIFF_BYTES,
    StreamImport,
};
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
///
/// The file is read in slices of [`DEFAULT_SLICE_BYTES`], as the page reads one, so a fit
/// from a file holds its values plus a bounded buffer, never the file's bytes beside them
/// (ARCHITECTURE.md §12).
pub fn read_imported(path: &str, options: &ImportOptions) -> Result<Imported, CliError> {
    let io = |e: std::io::Error| CliError::run(format!("{path}: {e}"));
    let refused = |e: ImportError| CliError::run(format!("{path}: {e}"));
    let mut file = File::open(path).map_err(io)?;
    let len = file.metadata().map_err(io)?.len();
    let mut slice = vec![0u8; DEFAULT_SLICE_BYTES];
    let got = fill(&mut file, &mut slice).map_err(io)?;
    let mut stream = StreamImport::new(
        &slice[..got.min(SNIFF_BYTES)],
        len,
        options,
        None,
        Some(DEFAULT_SLICE_BYTES),
    )
    .map_err(refused)?;
    let mut got = got;
    while got > 0 {
        stream.push(&slice[..got], &Unmonitored).map_err(refused)?;
        got = fill(&mut file, &mut slice).map_err(io)?;
    }
    stream.finish(&Unmonitored).map_err(refused)
}

/// Reads until `buf` is full or the file ends; the bytes read.
fn fill(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match file.read(&mut buf[got..])? {
            0 => break,
            n => got += n,
        }
    }
    Ok(got)
}

/// Reads integer labels (`.npy` of any integer type, or one per CSV line). An `.npy` file
/// is converted value by value as it is read, so 10M `int64` labels never sit in memory
/// beside their `u32` copy.
pub fn read_labels(path: &str) -> Result<Vec<u32>, CliError> {
    if is_npy(path) {
        let npy = open_npy(path)?;
        let code = type_code(&npy);
        return match &code[1..] {
            "i8" => labels_of::<i64>(path, npy),
            "i4" => labels_of::<i32>(path, npy),
            "u4" => labels_of::<u32>(path, npy),
            "u8" => labels_of::<u64>(path, npy),
            _ => Err(CliError::run(format!(
                "{path}: dtype {code} is not supported for labels (expected integers)"
            ))),
        };
    }
    let text = std::fs::read_to_string(path).map_err(|e| CliError::run(format!("{path}: {e}")))?;
    let mut out = Vec::new();
    for (line, t) in text.lines().enumerate() {
        let t = t.trim();
        if t.is_empty() || (line == 0 && t.parse::<i64>().is_err()) {
            continue;
        }
        let v = t.parse::<i64>().map_err(|_| {
            CliError::run(format!(
                "{path}: line {}: `{t}` is not an integer label",
                line + 1
            ))
        })?;
        out.push(label(path, out.len(), v)?);
    }
    Ok(out)
}

/// The labels of an `.npy` file of integer type `T`, converted as they are read.
fn labels_of<T>(path: &str, npy: npyz::NpyFile<BufReader<File>>) -> Result<Vec<u32>, CliError>
where
    T: npyz::Deserialize + Into<i128>,
{
    let err = |e: std::io::Error| CliError::run(format!("{path}: {e}"));
    let mut out = Vec::with_capacity(npy.len() as usize);
    let values = npy
        .data::<T>()
        .map_err(|e| CliError::run(format!("{path}: {e}")))?;
    for v in values {
        out.push(label(path, out.len(), v.map_err(err)?)?);
    }
    Ok(out)
}

/// One label, or an error naming its row and the allowed range.
fn label(path: &str, row: usize, v: impl Into<i128>) -> Result<u32, CliError> {
    let v = v.into();
    u32::try_from(v).map_err(|_| {
        CliError::run(format!(
            "{path}: label {v} at row {row} is out of range 0 ..= {}",
            u32::MAX
        ))
    })
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
pub fn write_labels(
    path: &str,
    len: usize,
    labels: impl Iterator<Item = u32>,
) -> Result<(), CliError> {
    let err = |e: std::io::Error| CliError::run(format!("{path}: {e}"));
    let mut f = BufWriter::new(File::create(path).map_err(err)?);
    if is_npy(path) {
        let mut w = npyz::WriteOptions::new()
            .default_dtype()
            .shape(&[len as u64])
            .writer(f)
            .begin_nd()
            .map_err(err)?;
        w.extend(labels.map(|l| l as i32)).map_err(err)?;
        w.finish().map_err(err)
    } else {
        for l in labels {
            writeln!(f, "{l}").map_err(err)?;
        }
        f.flush().map_err(err)
    }
}
