//! What an import did: rows kept, columns, and every bad row counted — the first few shown
//! with their line, column and text (Orange's and pandas' `on_bad_lines="warn"` made
//! explicit: a row is never dropped without being counted).

use std::fmt;

use serde::{Deserialize, Serialize};

/// Bad rows listed in full in a report; the rest are counted.
pub const MAX_LISTED_BAD_ROWS: usize = 20;

/// Longest offending text kept for a bad row, in characters.
pub const MAX_BAD_TEXT_CHARS: usize = 80;

/// Why a row was excluded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum BadReason {
    /// The row has another number of fields than the header (or first row).
    FieldCount {
        /// Fields expected.
        expected: usize,
        /// Fields found.
        found: usize,
    },
    /// A chosen column holds nothing.
    Empty,
    /// A chosen column holds text that is not a number.
    NotANumber,
    /// A chosen column holds NaN or an infinity, or a number beyond `f32`'s range.
    NotFinite,
    /// A sample weight below zero.
    NegativeWeight,
}

impl fmt::Display for BadReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BadReason::FieldCount { expected, found } => {
                write!(f, "{found} fields, expected {expected}")
            }
            BadReason::Empty => f.write_str("missing value"),
            BadReason::NotANumber => f.write_str("not a number"),
            BadReason::NotFinite => f.write_str("not a finite number"),
            BadReason::NegativeWeight => f.write_str("a negative weight"),
        }
    }
}

/// One excluded row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BadRow {
    /// 1-based line of the file where the row starts (CSV), or 1-based row of the array
    /// (`.npy`).
    pub line: u64,
    /// 1-based column of the file (not of the chosen columns) where the problem is.
    pub column: usize,
    /// The offending text (the field, or the whole row for a wrong field count),
    /// shortened to [`MAX_BAD_TEXT_CHARS`].
    pub text: String,
    /// Why.
    pub reason: BadReason,
}

impl fmt::Display for BadRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: '{}' — {}",
            self.line, self.column, self.text, self.reason
        )
    }
}

/// The outcome of an import.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ImportReport {
    /// Rows kept.
    pub rows: usize,
    /// Columns kept (the chosen ones).
    pub columns: usize,
    /// Names of the kept columns (header fields, or `column <i>`).
    pub column_names: Vec<String>,
    /// The first [`MAX_LISTED_BAD_ROWS`] excluded rows, in file order.
    pub bad_rows: Vec<BadRow>,
    /// Every excluded row.
    pub bad_count: u64,
    /// Whether values were standardised (z-score per column).
    pub standardised: bool,
    /// Kept columns with zero variance: left centred at 0, not scaled (scikit-learn's
    /// `StandardScaler` semantics), listed so the user knows.
    pub constant_columns: Vec<String>,
    /// The column read as ground truth, if any.
    #[serde(default)]
    pub truth_column: Option<String>,
    /// Classes found in it.
    #[serde(default)]
    pub classes: usize,
    /// The column read as sample weights, if any.
    #[serde(default)]
    pub weight_column: Option<String>,
    /// The sum of the kept rows' weights (the rows when unweighted).
    #[serde(default)]
    pub total_weight: f64,
}

impl ImportReport {
    /// `"and N more"` for the bad rows not listed, or `None`.
    pub fn unlisted_bad(&self) -> Option<u64> {
        let more = self.bad_count - self.bad_rows.len() as u64;
        (more > 0).then_some(more)
    }
}

/// Shortens `text` to [`MAX_BAD_TEXT_CHARS`] characters, marking the cut.
/// Line ends and other control characters (a quoted field may hold them) become spaces, so
/// a bad row is shown on one line.
pub fn shorten(text: &str) -> String {
    let text: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().count() <= MAX_BAD_TEXT_CHARS {
        text
    } else {
        let mut s: String = text.chars().take(MAX_BAD_TEXT_CHARS - 1).collect();
        s.push('…');
        s
    }
}

/// Rows kept and rows excluded: by one chunk of work, or by a whole import, to which the
/// chunks are appended in file order ([`ChunkRows::append`]).
#[derive(Debug, Default)]
pub(crate) struct ChunkRows {
    /// Kept values, row-major.
    pub values: Vec<f32>,
    /// Kept rows.
    pub rows: usize,
    /// The first bad rows.
    pub bad: Vec<BadRow>,
    /// Every bad row.
    pub bad_count: u64,
    /// The class of each kept row, coded in this chunk's order of first appearance.
    pub truth: Vec<u32>,
    /// This chunk's classes, by code.
    pub classes: Vec<Vec<u8>>,
    /// The sample weight of each kept row, when a weight column is read.
    pub weights: Vec<f64>,
    codes: std::collections::HashMap<Vec<u8>, u32>,
}

impl ChunkRows {
    /// Counts a bad row, keeping it if fewer than [`MAX_LISTED_BAD_ROWS`] are kept.
    pub fn bad(&mut self, row: impl FnOnce() -> BadRow) {
        if self.bad.len() < MAX_LISTED_BAD_ROWS {
            self.bad.push(row());
        }
        self.bad_count += 1;
    }

    /// Appends chunk results in file order, renumbering each chunk's class codes so a
    /// class's code is its rank of first appearance in the whole file. Bad rows of a
    /// `.npy` block are numbered from `row_offset`.
    pub fn append(&mut self, chunks: Vec<ChunkRows>, row_offset: u64) {
        for c in chunks {
            self.values.extend_from_slice(&c.values);
            self.rows += c.rows;
            self.bad_count += c.bad_count;
            for mut b in c.bad {
                if self.bad.len() < MAX_LISTED_BAD_ROWS {
                    b.line += row_offset;
                    self.bad.push(b);
                }
            }
            let global: Vec<u32> = c
                .classes
                .into_iter()
                .map(|class| {
                    let next = self.classes.len() as u32;
                    *self.codes.entry(class.clone()).or_insert_with(|| {
                        self.classes.push(class);
                        next
                    })
                })
                .collect();
            self.truth
                .extend(c.truth.iter().map(|&t| global[t as usize]));
            self.weights.extend_from_slice(&c.weights);
        }
    }

    /// Records the class of the row being kept.
    pub fn class_of(&mut self, class: &[u8]) {
        let code = match self.codes.get(class) {
            Some(&c) => c,
            None => {
                let c = self.classes.len() as u32;
                self.codes.insert(class.to_vec(), c);
                self.classes.push(class.to_vec());
                c
            }
        };
        self.truth.push(code);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_rows_read_as_the_page_shows_them() {
        let b = BadRow {
            line: 7,
            column: 2,
            text: "abc".into(),
            reason: BadReason::NotANumber,
        };
        assert_eq!(b.to_string(), "line 7, column 2: 'abc' — not a number");
        let f = BadReason::FieldCount {
            expected: 3,
            found: 2,
        };
        assert_eq!(f.to_string(), "2 fields, expected 3");
    }

    #[test]
    fn long_text_is_shortened() {
        let s = shorten(&"x".repeat(200));
        assert_eq!(s.chars().count(), MAX_BAD_TEXT_CHARS);
        assert!(s.ends_with('…'));
        assert_eq!(shorten("ab"), "ab");
    }

    #[test]
    fn appending_keeps_the_first_bad_rows_of_the_file() {
        let row = |line| BadRow {
            line,
            column: 1,
            text: String::new(),
            reason: BadReason::Empty,
        };
        let mut a = ChunkRows::default();
        for l in 0..15 {
            a.bad(|| row(l));
        }
        let mut b = ChunkRows::default();
        for l in 100..130 {
            b.bad(|| row(l));
        }
        let mut m = ChunkRows::default();
        m.append(vec![a, b], 0);
        assert_eq!(m.bad_count, 45);
        assert_eq!(m.bad.len(), MAX_LISTED_BAD_ROWS);
        assert_eq!(m.bad[14].line, 14);
        assert_eq!(m.bad[15].line, 100);
    }
}
