//! What the user chooses before an import: the format (or detection), the CSV delimiter
//! and header (or detection), the columns, standardisation, and the chunking.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::error::ImportError;
use super::number_format::{DecimalMark, NumberFormat, Thousands};
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
    /// The decimal mark (pandas' `decimal`), detected with the thousands separator when
    /// `None`.
    pub decimal: Option<DecimalMark>,
    /// The thousands separator (pandas' `thousands`), detected when `None`.
    pub thousands: Option<Thousands>,
    /// 0-based columns of the file to keep, in this order; every numeric column of the
    /// preview when `None` (every column for `.npy`).
    pub columns: Option<Vec<usize>>,
    /// A 0-based column holding each row's true class (integers or strings, coded in order
    /// of first appearance): excluded from the features and used as ground truth.
    pub truth_column: Option<usize>,
    /// A 0-based column holding each row's sample weight (a finite number ≥ 0): excluded
    /// from the features, passed to the seeding, Lloyd and the inertia as scikit-learn's
    /// `sample_weight`.
    pub weight_column: Option<usize>,
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
            decimal: None,
            thousands: None,
            columns: None,
            truth_column: None,
            weight_column: None,
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
        if let (Some(DecimalMark::Point), Some(Thousands::Point))
        | (Some(DecimalMark::Comma), Some(Thousands::Comma)) = (self.decimal, self.thousands)
        {
            let t = self.thousands.unwrap_or_default();
            return Err(ImportError::BadOption {
                name: "thousands",
                value: t.name().into(),
                allowed: "a separator other than the decimal mark".into(),
            });
        }
        if let (Some(c), Some(t)) = (&self.columns, self.truth_column)
            && c.contains(&t)
        {
            return Err(ImportError::BadOption {
                name: "truth_column",
                value: (t + 1).to_string(),
                allowed: "a column not imported as a feature".into(),
            });
        }
        if let (Some(c), Some(w)) = (&self.columns, self.weight_column)
            && c.contains(&w)
        {
            return Err(ImportError::BadOption {
                name: "weight_column",
                value: (w + 1).to_string(),
                allowed: "a column not imported as a feature".into(),
            });
        }
        if let Some(w) = self.weight_column
            && self.truth_column == Some(w)
        {
            return Err(ImportError::BadOption {
                name: "weight_column",
                value: (w + 1).to_string(),
                allowed: "a column other than the truth column".into(),
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

impl ImportOptions {
    /// The columns read for something other than features: the truth and weight columns.
    pub fn not_features(&self) -> Vec<usize> {
        self.truth_column
            .into_iter()
            .chain(self.weight_column)
            .collect()
    }

    /// The number formats the sniffer may choose from: the given mark and separator, or
    /// every candidate agreeing with the one that is given.
    pub fn number_formats(&self) -> Vec<NumberFormat> {
        let mut out: Vec<NumberFormat> = NumberFormat::CANDIDATES
            .into_iter()
            .filter(|f| self.decimal.is_none_or(|d| d == f.decimal))
            .filter(|f| self.thousands.is_none_or(|t| t == f.thousands))
            .collect();
        if out.is_empty()
            && let (Some(decimal), Some(thousands)) = (self.decimal, self.thousands)
        {
            out.push(NumberFormat { decimal, thousands });
        }
        out
    }
}
