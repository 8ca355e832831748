//! Whether a file is text the importer can read, and how its bytes become text: UTF-8, or
//! else Latin-1 (ISO 8859-1, which older spreadsheets and Windows tools still write), as
//! pandas reads with `encoding="latin-1"`. Numbers are ASCII in both; only column names
//! and label strings differ.
//!
//! Anything else is refused with where it stops being text: a byte that no text holds (a
//! NUL or another control byte), a byte-order mark of UTF-16 or UTF-32, or the signature of
//! a format people mistake for CSV (an Excel workbook, a zip or gzip archive, a PDF).

use std::borrow::Cow;

/// How a file's text is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// UTF-8 (ASCII included).
    #[default]
    Utf8,
    /// Latin-1: every byte is the character of that code point.
    Latin1,
}

impl Encoding {
    /// The name people know it by.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Latin1 => "Latin-1",
        }
    }

    /// `bytes` as text.
    pub fn decode(self, bytes: &[u8]) -> Cow<'_, str> {
        match self {
            Encoding::Utf8 => String::from_utf8_lossy(bytes),
            Encoding::Latin1 => match std::str::from_utf8(bytes) {
                Ok(s) if s.is_ascii() => Cow::Borrowed(s),
                _ => Cow::Owned(bytes.iter().map(|&b| b as char).collect()),
            },
        }
    }
}

/// Where and why a file is not text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotText {
    /// 0-based byte offset.
    pub offset: u64,
    /// What was found there, and what to do, for people.
    pub what: String,
}

/// Signatures of binary formats that arrive renamed `.csv` or by mistake, and what to do.
const SIGNATURES: [(&[u8], &str); 8] = [
    (
        b"PK\x03\x04",
        "a zip archive or an Excel workbook (.xlsx): save the sheet as CSV",
    ),
    (
        b"\xD0\xCF\x11\xE0",
        "an Excel 97–2003 workbook (.xls) or another Office file: save the sheet as CSV",
    ),
    (b"\x1F\x8B", "a gzip-compressed file: decompress it first"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"PAR1", "a Parquet file: write it as CSV or .npy"),
    (b"SQLite format 3\0", "an SQLite database"),
    (b"\x00\x00\xFE\xFF", "UTF-32 text: save it as UTF-8"),
];

/// The encoding of a file whose first bytes are `head`, or where it stops being text.
/// `complete` says whether `head` is the whole file (otherwise a multi-byte character cut
/// at its end is no evidence against UTF-8).
pub fn check(head: &[u8], complete: bool) -> Result<Encoding, NotText> {
    for (magic, what) in SIGNATURES {
        if head.starts_with(magic) {
            return Err(NotText {
                offset: 0,
                what: what.to_string(),
            });
        }
    }
    if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        return Err(NotText {
            offset: 0,
            what: "UTF-16 text (its byte-order mark): save it as UTF-8".into(),
        });
    }
    if let Some(i) = head.iter().position(|&b| is_control(b)) {
        // NULs between ASCII letters are UTF-16 written without a byte-order mark.
        let pairs = head.len() / 2;
        let utf16 = pairs >= 2
            && head
                .chunks_exact(2)
                .filter(|p| (p[0] == 0) != (p[1] == 0))
                .count()
                * 10
                >= pairs * 9;
        return Err(NotText {
            offset: i as u64,
            what: if utf16 {
                "UTF-16 text without a byte-order mark: save it as UTF-8".into()
            } else {
                format!("binary content (byte 0x{:02X})", head[i])
            },
        });
    }
    match std::str::from_utf8(head) {
        Ok(_) => Ok(Encoding::Utf8),
        // Cut inside a character at the end of the head, and valid before it.
        Err(e) if !complete && e.error_len().is_none() => Ok(Encoding::Utf8),
        Err(_) => Ok(Encoding::Latin1),
    }
}

/// A byte that text files do not hold: C0 controls other than tab, line feed, form feed and
/// carriage return, and DEL.
fn is_control(b: u8) -> bool {
    (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C)) || b == 0x7F
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_and_latin1_are_text() {
        assert_eq!(check(b"a,b\n1,2\n", true), Ok(Encoding::Utf8));
        assert_eq!(check("x,é\n1,2\n".as_bytes(), true), Ok(Encoding::Utf8));
        assert_eq!(check(b"x,\xe9\n1,2\n", true), Ok(Encoding::Latin1));
        assert_eq!(Encoding::Latin1.decode(b"caf\xe9"), "café");
        // A head cut inside "é" is still UTF-8; the same bytes as a whole file are not.
        assert_eq!(check(b"caf\xc3", false), Ok(Encoding::Utf8));
        assert_eq!(check(b"caf\xc3", true), Ok(Encoding::Latin1));
    }

    #[test]
    fn binaries_and_other_encodings_say_where_and_what() {
        let e = check(b"a,b\n1,\x002\n", true).unwrap_err();
        assert_eq!(
            (e.offset, e.what.as_str()),
            (6, "binary content (byte 0x00)")
        );
        let e = check(b"PK\x03\x04rest", true).unwrap_err();
        assert!(e.what.contains("Excel workbook") && e.offset == 0, "{e:?}");
        let e = check(b"\xff\xfea\x00,\x00b\x00", true).unwrap_err();
        assert!(e.what.starts_with("UTF-16"), "{e:?}");
        let e = check(b"a\x00,\x00b\x00\n\x001\x00", true).unwrap_err();
        assert!(e.what.contains("without a byte-order mark"), "{e:?}");
        let e = check(b"\x1f\x8b\x08", true).unwrap_err();
        assert!(e.what.contains("gzip"), "{e:?}");
    }
}
