//! One CSV field, quoted as RFC 4180 says (<https://www.rfc-editor.org/rfc/rfc4180>, §2.6
//! and §2.7): a field holding a comma, a double quote, a carriage return or a line feed is
//! enclosed in double quotes, with each double quote doubled. Only header names can need
//! it (numbers never do), e.g. the column names of an imported file.

use std::borrow::Cow;

/// `field` as it must appear in a CSV line.
pub fn escape_field(field: &str) -> Cow<'_, str> {
    if field.contains([',', '"', '\r', '\n']) {
        Cow::Owned(format!("\"{}\"", field.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(field)
    }
}

/// A header line (with its line feed) from column names.
pub fn header_line<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let mut line = names
        .into_iter()
        .map(escape_field)
        .collect::<Vec<_>>()
        .join(",");
    line.push('\n');
    line
}

/// The default feature names `x0 … x{d-1}`, the names scikit-learn gives unnamed columns in
/// `get_feature_names_out`.
pub fn feature_names(d: usize) -> Vec<String> {
    (0..d).map(|j| format!("x{j}")).collect()
}

/// The given column names for `d` features, or [`feature_names`] when none are given; a
/// count other than `d` is refused (`file` names the export in the message).
pub fn column_names<'a>(
    names: Option<&'a [String]>,
    d: usize,
    what: &'static str,
) -> Result<Cow<'a, [String]>, super::ExportError> {
    match names {
        Some(n) if n.len() != d => Err(super::ExportError::Inconsistent {
            what,
            expected: d,
            got: n.len(),
        }),
        Some(n) => Ok(Cow::Borrowed(n)),
        None => Ok(Cow::Owned(feature_names(d))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_fields_stay_as_they_are() {
        assert!(matches!(escape_field("x0"), Cow::Borrowed("x0")));
        assert_eq!(escape_field("petal length (cm)"), "petal length (cm)");
    }

    #[test]
    fn commas_quotes_and_newlines_are_quoted() {
        assert_eq!(escape_field("a,b"), "\"a,b\"");
        assert_eq!(escape_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(escape_field("two\nlines"), "\"two\nlines\"");
        assert_eq!(escape_field("cr\r"), "\"cr\r\"");
        assert_eq!(header_line(["a", "b,c", "label"]), "a,\"b,c\",label\n");
    }
}
