//! What the user chooses before an import: the format (or detection), the CSV delimiter
//! and header (or detection), the columns, standardisation, and the chunking.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::error::ImportError;
use crate::data::chunked_matrix::DEFAULT_CHUNK_ROWS;

/// Default bytes of CSV text per parse task: large enough to amortise a rayon task, small
/// enough to give every thread work and progress a useful grain.
pub const DEFAULT_PARSE_CHUNK_BYTES: usize = 1 << 20;

/// A file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileFormat {
    /// Delimited text (CSV, TSV, whitespace-separated).
    Csv,
    /// NumPy's `.npy` binary format.
    Npy,
}

impl FileFormat {
    /// The format of a file: `.npy` by its magic string, otherwise text.
    pub fn detect(head: &[u8]) -> Self {
        if head.starts_with(super::npy::MAGIC) {
            FileFormat::Npy
        } else {
            FileFormat::Csv
        }
    }
}

/// A CSV field separator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Delimiter {
    /// `,`
    Comma,
    /// `;` (spreadsheets in locales with a decimal comma)
    Semicolon,
    /// Tab (TSV).
    Tab,
    /// One or more spaces (whitespace-separated columns, as `numpy.loadtxt` reads).
    Space,
}

impl Delimiter {
    /// Every delimiter, in the order detection prefers them on a tie.
    pub const ALL: [Delimiter; 4] = [
        Delimiter::Comma,
        Delimiter::Semicolon,
        Delimiter::Tab,
        Delimiter::Space,
    ];

    /// The separating byte.
    pub fn byte(self) -> u8 {
        match self {
            Delimiter::Comma => b',',
            Delimiter::Semicolon => b';',
            Delimiter::Tab => b'\t',
            Delimiter::Space => b' ',
        }
    }

    /// A short name (the value of the page's select).
    pub fn name(self) -> &'static str {
        match self {
            Delimiter::Comma => "comma",
            Delimiter::Semicolon => "semicolon",
            Delimiter::Tab => "tab",
            Delimiter::Space => "space",
        }
    }

    /// The delimiter called `name` (see [`Delimiter::name`]).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.name() == name)
    }
}

impl fmt::Display for Delimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Options of an import; `None` means "detect" (or "every numeric column").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImportOptions {
    /// CSV delimiter, detected when `None`.
    pub delimiter: Option<Delimiter>,
    /// Whether the first CSV row is a header, detected when `None`.
    pub header: Option<bool>,
    /// 0-based columns of the file to keep, in this order; every numeric column of the
    /// preview when `None` (every column for `.npy`).
    pub columns: Option<Vec<usize>>,
    /// Standardise every kept column to mean 0 and variance 1 (z-score with the population
    /// variance, as scikit-learn's `StandardScaler`).
    pub standardise: bool,
    /// Rows per chunk of the resulting matrix.
    pub chunk_rows: usize,
    /// Bytes of CSV text per parse task (results do not depend on it).
    pub parse_chunk_bytes: usize,
}

impl Default for ImportOptions {
    fn default() -> Self {
        Self {
            delimiter: None,
            header: None,
            columns: None,
            standardise: false,
            chunk_rows: DEFAULT_CHUNK_ROWS,
            parse_chunk_bytes: DEFAULT_PARSE_CHUNK_BYTES,
        }
    }
}

impl ImportOptions {
    /// Checks the sizes; the error names the option and its allowed range.
    pub fn check(&self) -> Result<(), ImportError> {
        if let Err(e) = crate::limits::CHUNK_ROWS.check_usize(self.chunk_rows) {
            return Err(ImportError::BadOption {
                name: e.name,
                value: e.value,
                allowed: e.allowed,
            });
        }
        if self.parse_chunk_bytes == 0 {
            return Err(ImportError::BadOption {
                name: "parse_chunk_bytes",
                value: "0".into(),
                allowed: format!("1 ..= {}", usize::MAX),
            });
        }
        if let Some(c) = &self.columns
            && c.is_empty()
        {
            return Err(ImportError::BadOption {
                name: "columns",
                value: "none".into(),
                allowed: "at least one column".into(),
            });
        }
        Ok(())
    }
}
