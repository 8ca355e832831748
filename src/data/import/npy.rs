//! NumPy's `.npy` format, version 1, 2 and 3 (NEP 1,
//! <https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html>): the magic
//! string, a version, a little-endian header length (2 bytes in v1, 4 in v2/v3), a Python
//! dict literal `{'descr': '<f8', 'fortran_order': False, 'shape': (n, d), }`, then the
//! raw values. Little- and big-endian floats, signed and unsigned integers and booleans,
//! C and Fortran order, 1-D (one column) and 2-D arrays are read; everything else is
//! refused with what was found.

use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use super::error::ImportError;
use super::report::{BadReason, BadRow, ChunkRows};
use crate::monitor::{Monitor, TaskKind, run_chunk};

/// The first six bytes of every `.npy` file.
pub const MAGIC: &[u8] = b"\x93NUMPY";

/// The kind of an element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// IEEE float (`f`).
    Float,
    /// Signed integer (`i`).
    Int,
    /// Unsigned integer (`u`).
    Uint,
    /// Boolean (`b`), one byte.
    Bool,
}

/// An element type: kind, size and byte order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dtype {
    /// The kind.
    pub kind: Kind,
    /// Bytes per element.
    pub size: usize,
    /// Big-endian (`>`); little-endian or a single byte otherwise.
    pub big_endian: bool,
}

impl Dtype {
    /// Reads a NumPy type string such as `<f8`, `>i4`, `|u1` or `|b1`.
    pub fn parse(descr: &str) -> Result<Self, ImportError> {
        let bad = || {
            ImportError::Npy(format!(
                "dtype '{descr}' is not supported (expected a float, integer or boolean: <f4, <f8, <i4, <i8, |u1, …)"
            ))
        };
        let b = descr.as_bytes();
        if b.len() < 3 {
            return Err(bad());
        }
        let big_endian = match b[0] {
            b'<' | b'|' => false,
            b'>' => true,
            // Native order: every target this runs on is little-endian.
            b'=' => cfg!(target_endian = "big"),
            _ => return Err(bad()),
        };
        let size: usize = descr[2..].parse().map_err(|_| bad())?;
        let kind = match (b[1], size) {
            (b'f', 4 | 8) => Kind::Float,
            (b'i', 1 | 2 | 4 | 8) => Kind::Int,
            (b'u', 1 | 2 | 4 | 8) => Kind::Uint,
            (b'b', 1) => Kind::Bool,
            _ => return Err(bad()),
        };
        Ok(Self {
            kind,
            size,
            big_endian,
        })
    }

    /// The element at the start of `b` (at least `size` bytes), as `f64`.
    #[inline]
    pub fn read(&self, b: &[u8]) -> f64 {
        let mut w = [0u8; 8];
        w[..self.size].copy_from_slice(&b[..self.size]);
        if self.big_endian {
            w[..self.size].reverse();
        }
        let bits = u64::from_le_bytes(w);
        match (self.kind, self.size) {
            (Kind::Float, 4) => f32::from_bits(bits as u32) as f64,
            (Kind::Float, _) => f64::from_bits(bits),
            (Kind::Int, s) => {
                let shift = 64 - 8 * s as u32;
                (((bits << shift) as i64) >> shift) as f64
            }
            (Kind::Uint | Kind::Bool, _) => bits as f64,
        }
    }
}

/// A parsed `.npy` header.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    /// Format version (major, minor).
    pub version: (u8, u8),
    /// The element type string as written (`<f8`).
    pub descr: String,
    /// The element type.
    pub dtype: Dtype,
    /// Column-major (Fortran) layout.
    pub fortran_order: bool,
    /// Rows.
    pub rows: u64,
    /// Columns (1 for a 1-D array).
    pub columns: u64,
    /// Offset of the first value.
    pub data_offset: usize,
}

impl Header {
    /// Bytes of values the header promises (saturating).
    pub fn data_bytes(&self) -> u64 {
        self.rows
            .saturating_mul(self.columns)
            .saturating_mul(self.dtype.size as u64)
    }
}

/// Reads the header from the first bytes of a file.
pub fn parse_header(head: &[u8]) -> Result<Header, ImportError> {
    let err = |m: String| ImportError::Npy(m);
    if !head.starts_with(MAGIC) {
        return Err(err("the file does not start with \\x93NUMPY".into()));
    }
    if head.len() < 10 {
        return Err(err(format!(
            "{} bytes is too short for a header",
            head.len()
        )));
    }
    let version = (head[6], head[7]);
    let (len, start): (usize, usize) = match version.0 {
        1 => (u16::from_le_bytes([head[8], head[9]]) as usize, 10),
        2 | 3 => {
            if head.len() < 12 {
                return Err(err(format!(
                    "{} bytes is too short for a header",
                    head.len()
                )));
            }
            (
                u32::from_le_bytes([head[8], head[9], head[10], head[11]]) as usize,
                12,
            )
        }
        v => {
            return Err(err(format!(
                "format version {v} is not supported (1, 2 or 3)"
            )));
        }
    };
    let end = start.saturating_add(len);
    if end > head.len() {
        return Err(err(format!(
            "the header claims {len} bytes, but only {} follow",
            head.len() - start
        )));
    }
    let text =
        std::str::from_utf8(&head[start..end]).map_err(|_| err("the header is not text".into()))?;
    let dict = parse_dict(text).map_err(|m| err(format!("header {text:?}: {m}")))?;
    let mut descr = None;
    let mut fortran = None;
    let mut shape = None;
    for (key, value) in dict {
        match (key.as_str(), value) {
            ("descr", Literal::Str(s)) => descr = Some(s),
            ("descr", _) => {
                return Err(err("structured (record) dtypes are not supported".into()));
            }
            ("fortran_order", Literal::Bool(b)) => fortran = Some(b),
            ("shape", Literal::Tuple(t)) => shape = Some(t),
            (k, _) => return Err(err(format!("unexpected header entry '{k}'"))),
        }
    }
    let descr = descr.ok_or_else(|| err("the header has no 'descr'".into()))?;
    let fortran_order = fortran.ok_or_else(|| err("the header has no 'fortran_order'".into()))?;
    let shape = shape.ok_or_else(|| err("the header has no 'shape'".into()))?;
    let (rows, columns) = match shape[..] {
        [n] => (n, 1),
        [n, d] => (n, d),
        _ => {
            return Err(err(format!(
                "expected a 1-D or 2-D array, got shape {shape:?}"
            )));
        }
    };
    let dtype = Dtype::parse(&descr)?;
    Ok(Header {
        version,
        descr,
        dtype,
        fortran_order,
        rows,
        columns,
        data_offset: end,
    })
}

#[derive(Debug, Clone, PartialEq)]
enum Literal {
    Str(String),
    Bool(bool),
    Tuple(Vec<u64>),
}

/// Parses the dict literal NumPy writes (string keys; string, boolean or integer-tuple
/// values).
fn parse_dict(text: &str) -> Result<Vec<(String, Literal)>, String> {
    let mut p = Cursor {
        s: text.trim().as_bytes(),
        i: 0,
    };
    p.expect(b'{')?;
    let mut out = Vec::new();
    loop {
        p.skip_ws();
        if p.eat(b'}') {
            break;
        }
        let key = p.string()?;
        p.skip_ws();
        p.expect(b':')?;
        p.skip_ws();
        let value = match p.peek() {
            Some(b'\'' | b'"') => Literal::Str(p.string()?),
            Some(b'(') => Literal::Tuple(p.tuple()?),
            Some(b'T') if p.word("True") => Literal::Bool(true),
            Some(b'F') if p.word("False") => Literal::Bool(false),
            Some(b'[') => return Err("structured (record) dtypes are not supported".into()),
            _ => return Err(format!("cannot read the value of '{key}'")),
        };
        out.push((key, value));
        p.skip_ws();
        if !p.eat(b',') {
            p.skip_ws();
            p.expect(b'}')?;
            break;
        }
    }
    Ok(out)
}

struct Cursor<'a> {
    s: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn skip_ws(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.i += 1;
        }
    }
    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn expect(&mut self, b: u8) -> Result<(), String> {
        if self.eat(b) {
            Ok(())
        } else {
            Err(format!("expected '{}' at byte {}", b as char, self.i))
        }
    }
    fn word(&mut self, w: &str) -> bool {
        if self.s[self.i..].starts_with(w.as_bytes()) {
            self.i += w.len();
            true
        } else {
            false
        }
    }
    fn string(&mut self) -> Result<String, String> {
        let q = self.peek().filter(|&b| b == b'\'' || b == b'"');
        let q = q.ok_or_else(|| format!("expected a quoted string at byte {}", self.i))?;
        self.i += 1;
        let start = self.i;
        while self.peek().is_some_and(|b| b != q) {
            self.i += 1;
        }
        let s = String::from_utf8_lossy(&self.s[start..self.i]).into_owned();
        self.expect(q)?;
        Ok(s)
    }
    fn tuple(&mut self) -> Result<Vec<u64>, String> {
        self.expect(b'(')?;
        let mut out = Vec::new();
        loop {
            self.skip_ws();
            if self.eat(b')') {
                return Ok(out);
            }
            let start = self.i;
            while self.peek().is_some_and(|b| b.is_ascii_digit()) {
                self.i += 1;
            }
            // A trailing `L` is how Python 2 wrote long integers.
            let digits = std::str::from_utf8(&self.s[start..self.i]).unwrap_or("");
            self.eat(b'L');
            out.push(
                digits
                    .parse::<u64>()
                    .map_err(|_| format!("bad dimension at byte {start}"))?,
            );
            self.skip_ws();
            if !self.eat(b',') {
                self.skip_ws();
                self.expect(b')')?;
                return Ok(out);
            }
        }
    }
}

/// Little-endian `float32`, `<f4`.
const F32_LE: Dtype = Dtype {
    kind: Kind::Float,
    size: 4,
    big_endian: false,
};

/// Converts the values of a file whose header is `h` into rows of the chosen `columns`,
/// `chunk_rows` rows per task. Rows holding NaN, infinities or values beyond `f32` are
/// excluded and reported (by 1-based row and column). With `truth`, that column's value
/// (as text, so `1` and `1.5` are two classes) is each kept row's class; with `weight`,
/// that column's value is its sample weight (finite, at least 0).
pub(crate) fn convert(
    bytes: &[u8],
    h: &Header,
    columns: &[usize],
    truth: Option<usize>,
    weight: Option<usize>,
    chunk_rows: usize,
    monitor: &dyn Monitor,
) -> Result<Vec<ChunkRows>, ImportError> {
    let avail = bytes.len().saturating_sub(h.data_offset) as u64;
    if h.data_bytes() > avail {
        return Err(ImportError::Npy(format!(
            "truncated: shape ({}, {}) of {} needs {} bytes of data, the file holds {avail}",
            h.rows,
            h.columns,
            h.descr,
            h.data_bytes()
        )));
    }
    let (n, d, size) = (h.rows as usize, h.columns as usize, h.dtype.size);
    let data = &bytes[h.data_offset..];
    let n_chunks = n.div_ceil(chunk_rows);
    let done = AtomicU64::new(0);
    let chunks: Vec<ChunkRows> = (0..n_chunks)
        .into_par_iter()
        .map(|c| {
            let mut out = ChunkRows::default();
            if monitor.is_cancelled() {
                return out;
            }
            run_chunk(monitor, TaskKind::Parse, c, || {
                let rows = c * chunk_rows..((c + 1) * chunk_rows).min(n);
                out.values.reserve(rows.len() * columns.len());
                // The common file (little-endian `float32`, C order, every column a
                // feature) is a copy: decoded a word at a time and checked once, which
                // vectorises; only a chunk holding a non-finite value takes the row loop.
                let plain = h.dtype == F32_LE
                    && !h.fortran_order
                    && truth.is_none()
                    && weight.is_none()
                    && columns.iter().copied().eq(0..d);
                if plain {
                    let raw = &data[rows.start * d * 4..rows.end * d * 4];
                    out.values.extend(
                        raw.chunks_exact(4)
                            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])),
                    );
                    if out.values.iter().all(|v| v.is_finite()) {
                        out.rows = rows.len();
                        return;
                    }
                    out.values.clear();
                }
                for i in rows.clone() {
                    let mark = out.values.len();
                    let mut bad = None;
                    let at = |j: usize| {
                        if h.fortran_order {
                            j * n + i
                        } else {
                            i * d + j
                        }
                    };
                    for &j in columns {
                        let v = h.dtype.read(&data[at(j) * size..]);
                        let f = v as f32;
                        if !f.is_finite() {
                            bad = Some((j, v));
                            break;
                        }
                        out.values.push(f);
                    }
                    let mut w = None;
                    if bad.is_none()
                        && let Some(c) = weight
                    {
                        let v = h.dtype.read(&data[at(c) * size..]);
                        if v.is_finite() && v >= 0.0 {
                            w = Some(v);
                        } else {
                            bad = Some((c, v));
                        }
                    }
                    if bad.is_none()
                        && let Some(t) = truth
                    {
                        let v = h.dtype.read(&data[at(t) * size..]);
                        if v.is_finite() {
                            out.class_of(v.to_string().as_bytes());
                        } else {
                            bad = Some((t, v));
                        }
                    }
                    if bad.is_none()
                        && let Some(w) = w
                    {
                        out.weights.push(w);
                    }
                    match bad {
                        None => out.rows += 1,
                        Some((j, v)) => {
                            out.values.truncate(mark);
                            out.bad(|| BadRow {
                                line: i as u64 + 1,
                                column: j + 1,
                                text: v.to_string(),
                                reason: if v.is_finite() {
                                    BadReason::NegativeWeight
                                } else {
                                    BadReason::NotFinite
                                },
                            });
                        }
                    }
                }
                let total =
                    done.fetch_add(rows.len() as u64, Ordering::Relaxed) + rows.len() as u64;
                monitor.progress(total, n as u64);
            });
            out
        })
        .collect();
    monitor.checkpoint()?;
    Ok(chunks)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn npy(version: u8, dict: &str, data: &[u8]) -> Vec<u8> {
        let mut h = dict.as_bytes().to_vec();
        let pre = if version == 1 { 10 } else { 12 };
        while !(pre + h.len() + 1).is_multiple_of(64) {
            h.push(b' ');
        }
        h.push(b'\n');
        let mut out = MAGIC.to_vec();
        out.extend([version, 0]);
        if version == 1 {
            out.extend((h.len() as u16).to_le_bytes());
        } else {
            out.extend((h.len() as u32).to_le_bytes());
        }
        out.extend(h);
        out.extend(data);
        out
    }

    #[test]
    fn headers_of_every_version_are_read() {
        for v in [1, 2, 3] {
            let f = npy(
                v,
                "{'descr': '>i4', 'fortran_order': True, 'shape': (3, 2), }",
                &[],
            );
            let h = parse_header(&f).unwrap();
            assert_eq!((h.rows, h.columns, h.fortran_order), (3, 2, true));
            assert_eq!(h.dtype, Dtype::parse(">i4").unwrap());
            assert_eq!(h.data_offset % 64, 0);
        }
        let f = npy(
            1,
            "{'descr': '<f8', 'fortran_order': False, 'shape': (5,), }",
            &[],
        );
        assert_eq!(parse_header(&f).unwrap().columns, 1);
    }

    #[test]
    fn bad_headers_say_what_they_found() {
        let f = npy(
            1,
            "{'descr': '<c16', 'fortran_order': False, 'shape': (5,), }",
            &[],
        );
        assert!(
            parse_header(&f)
                .unwrap_err()
                .to_string()
                .contains("'<c16' is not supported")
        );
        let f = npy(
            1,
            "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2, 2), }",
            &[],
        );
        assert!(
            parse_header(&f)
                .unwrap_err()
                .to_string()
                .contains("1-D or 2-D")
        );
        let f = npy(
            1,
            "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }",
            &[],
        );
        assert!(
            parse_header(&f)
                .unwrap_err()
                .to_string()
                .contains("structured")
        );
        let f = npy(9, "{}", &[]);
        assert!(
            parse_header(&f)
                .unwrap_err()
                .to_string()
                .contains("version 9")
        );
        assert!(parse_header(b"\x93NUMPY\x01\x00\xff\xff{").is_err());
    }

    #[test]
    fn elements_are_read_in_either_byte_order() {
        let be = Dtype::parse(">f4").unwrap();
        assert_eq!(be.read(&1.5f32.to_be_bytes()), 1.5);
        let le = Dtype::parse("<i2").unwrap();
        assert_eq!(le.read(&(-3i16).to_le_bytes()), -3.0);
        let u = Dtype::parse("|u1").unwrap();
        assert_eq!(u.read(&[200]), 200.0);
        let i8 = Dtype::parse(">i8").unwrap();
        assert_eq!(i8.read(&(-7i64).to_be_bytes()), -7.0);
    }
}
