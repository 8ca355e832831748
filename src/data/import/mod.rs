//! Your own data: CSV and `.npy` files into a [`ChunkedMatrix`] (ARCHITECTURE.md §12).
//!
//! Two steps, as in Orange's File widget: [`sniff`] previews the first bytes (format,
//! delimiter, header, column names, numeric columns, first rows, estimated size) so the
//! user can adjust the options and pick columns; [`import`] checks the size against the
//! caller's memory budget *before* parsing, then parses in parallel chunks with progress
//! and cancellation through a [`Monitor`], excludes bad rows and reports every one of them
//! ([`ImportReport`]), and optionally standardises each column.
//!
//! ```
//! use blobscale::data::import::{import, ImportOptions};
//! use blobscale::monitor::Unmonitored;
//!
//! let csv = b"x,y,label\n1,2,a\n3,oops,b\n5,6,c\n";
//! let out = import(csv, &ImportOptions::default(), None, &Unmonitored)?;
//! assert_eq!((out.matrix.n_rows(), out.matrix.n_cols()), (2, 2));
//! assert_eq!(out.report.bad_count, 1);
//! assert_eq!(out.report.bad_rows[0].to_string(), "line 3, column 2: 'oops' — not a number");
//! # Ok::<(), blobscale::data::import::ImportError>(())
//! ```

pub mod budget;
pub mod centres;
pub mod csv_parse;
pub mod csv_records;
pub mod csv_sniff;
pub mod error;
pub mod npy;
pub mod number_format;
pub mod options;
pub mod preview;
pub mod report;
pub mod standardise;
pub mod stream;
pub mod text;
pub mod truth;

pub use budget::{check_fits, required_bytes, streamed_bytes};
pub use centres::parse_centres;
pub use error::ImportError;
pub use number_format::{DecimalMark, NumberFormat, Thousands};
pub use options::{Delimiter, FileFormat, ImportOptions};
pub use preview::{PREVIEW_ROWS, Preview, SNIFF_BYTES, sniff};
pub use report::{BadReason, BadRow, ImportReport};
pub use stream::{DEFAULT_SLICE_BYTES, StreamImport};
pub use truth::Truth;

use crate::data::ChunkedMatrix;
use crate::monitor::Monitor;

/// A parsed file.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// The kept rows of the chosen columns.
    pub matrix: ChunkedMatrix,
    /// What was kept and what was excluded.
    pub report: ImportReport,
    /// The options in effect (detected delimiter and header, chosen columns): importing
    /// the same bytes with these gives the same matrix.
    pub options: ImportOptions,
    /// The classes from the truth column, when one was chosen.
    pub truth: Option<Truth>,
    /// Each kept row's sample weight, when a weight column was chosen.
    pub weights: Option<Vec<f64>>,
}

/// Parses a whole file: one slice of a [`StreamImport`]. With `budget`, a file whose
/// import would need more bytes than that (see [`required_bytes`]) is refused before any
/// value is parsed.
pub fn import(
    bytes: &[u8],
    options: &ImportOptions,
    budget: Option<u64>,
    monitor: &dyn Monitor,
) -> Result<Imported, ImportError> {
    let mut s = StreamImport::new(bytes, bytes.len() as u64, options, budget, None)?;
    s.push(bytes, monitor)?;
    s.finish(monitor)
}
