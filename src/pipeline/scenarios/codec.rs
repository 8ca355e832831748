//! Scenarios as text: a versioned JSON document for the whole book (saved in the browser,
//! exported as a file) and a compact URL-safe string for one scenario (shared as a link).
//!
//! The URL form is `1.` followed by the unpadded base64url of a JSON object holding only
//! the inputs that differ from [`ScenarioInputs::default`] (plus the name), so a link for
//! "k = 8" stays a few dozen characters. The leading number is the format version: a link
//! from a newer build is refused with a clear message instead of being misread.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

use crate::pipeline::graph::inputs::{InputId, ScenarioInputs};
use crate::pipeline::scenarios::scenario::{ScenarioBook, ScenarioError};

/// The `format` field of a saved book.
pub const FORMAT: &str = "blobscale-scenarios";
/// The format version this build writes and reads.
pub const VERSION: u64 = 1;
/// Longest scenario string or document accepted, in bytes (explicit centres make long
/// strings; nothing legitimate comes near this).
pub const MAX_TEXT_BYTES: usize = 4 << 20;
/// Name given to a shared scenario whose string carries none.
pub const DEFAULT_SHARED_NAME: &str = "shared scenario";

/// The book as a versioned JSON document.
pub fn book_to_json(book: &ScenarioBook) -> String {
    let book = serde_json::to_value(book).expect("a book always serialises");
    serde_json::to_string_pretty(&versioned(FORMAT, VERSION, "book", book))
        .expect("JSON values serialise")
}

/// Reads a book written by [`book_to_json`].
pub fn book_from_json(text: &str) -> Result<ScenarioBook, ScenarioError> {
    let book = versioned_payload(text, FORMAT, VERSION, "book")?;
    let book: ScenarioBook = serde_json::from_value(book).map_err(malformed)?;
    book.validate()?;
    Ok(book)
}

/// `{"format": format, "version": version, field: payload}`: the envelope of every document
/// the page saves, so a reader can refuse a newer version before looking inside.
pub(crate) fn versioned(format: &str, version: u64, field: &str, payload: Value) -> Value {
    let mut doc = Map::new();
    doc.insert("format".into(), format.into());
    doc.insert("version".into(), version.into());
    doc.insert(field.into(), payload);
    Value::Object(doc)
}

/// The payload of a document written by [`versioned`], after checking its length, format
/// and version (an unknown version names both).
pub(crate) fn versioned_payload(
    text: &str,
    format: &str,
    version: u64,
    field: &str,
) -> Result<Value, ScenarioError> {
    check_length(text)?;
    let doc: Value = serde_json::from_str(text).map_err(malformed)?;
    let Value::Object(mut doc) = doc else {
        return Err(ScenarioError::Malformed("expected a JSON object".into()));
    };
    if doc.get("format") != Some(&Value::from(format)) {
        return Err(ScenarioError::Malformed(format!(
            "not a {field} document (format must be \"{format}\")"
        )));
    }
    match doc.get("version").and_then(Value::as_u64) {
        Some(v) if v == version => {}
        Some(found) => {
            return Err(ScenarioError::UnsupportedVersion {
                found,
                supported: version,
            });
        }
        None => return Err(ScenarioError::Malformed("missing version number".into())),
    }
    doc.remove(field)
        .ok_or_else(|| ScenarioError::Malformed(format!("missing {field}")))
}

/// One scenario as a compact URL-safe string.
pub fn scenario_to_url(name: &str, inputs: &ScenarioInputs) -> String {
    let defaults = ScenarioInputs::default().values();
    let mut diff = Map::new();
    diff.insert("name".into(), name.into());
    for ((id, value), (_, default)) in inputs.values().into_iter().zip(defaults) {
        if value != default {
            diff.insert(id.name().into(), value);
        }
    }
    let json = serde_json::to_vec(&Value::Object(diff)).expect("JSON values serialise");
    format!("{VERSION}.{}", URL_SAFE_NO_PAD.encode(json))
}

/// Reads a string written by [`scenario_to_url`]: the name and the inputs.
pub fn scenario_from_url(text: &str) -> Result<(String, ScenarioInputs), ScenarioError> {
    check_length(text)?;
    let (version, payload) = text
        .trim()
        .split_once('.')
        .ok_or_else(|| ScenarioError::Malformed("expected <version>.<base64url payload>".into()))?;
    let version: u64 = version
        .parse()
        .map_err(|_| ScenarioError::Malformed(format!("bad version number {version:?}")))?;
    if version != VERSION {
        return Err(ScenarioError::UnsupportedVersion {
            found: version,
            supported: VERSION,
        });
    }
    let json = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|e| ScenarioError::Malformed(format!("payload is not base64url: {e}")))?;
    let Value::Object(mut diff) = serde_json::from_slice(&json).map_err(malformed)? else {
        return Err(ScenarioError::Malformed(
            "payload is not a JSON object".into(),
        ));
    };
    let name = match diff.remove("name") {
        None => DEFAULT_SHARED_NAME.to_owned(),
        Some(Value::String(s)) => s,
        Some(_) => return Err(ScenarioError::Malformed("name must be a string".into())),
    };
    let Value::Object(mut merged) =
        serde_json::to_value(ScenarioInputs::default()).expect("inputs serialise")
    else {
        unreachable!("a struct serialises to a JSON object")
    };
    for (key, value) in diff {
        if !InputId::ALL.iter().any(|id| id.name() == key) {
            return Err(ScenarioError::Malformed(format!(
                "unknown parameter {key:?}"
            )));
        }
        merged.insert(key, value);
    }
    let inputs = serde_json::from_value(Value::Object(merged)).map_err(malformed)?;
    Ok((name, inputs))
}

fn check_length(text: &str) -> Result<(), ScenarioError> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(ScenarioError::Malformed(format!(
            "{} bytes is longer than the {MAX_TEXT_BYTES} accepted",
            text.len()
        )));
    }
    Ok(())
}

fn malformed(e: serde_json::Error) -> ScenarioError {
    ScenarioError::Malformed(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_inputs_make_a_short_link() {
        let s = scenario_to_url("k", &ScenarioInputs::default());
        assert!(s.len() < 20, "{s}");
        let (name, inputs) = scenario_from_url(&s).unwrap();
        assert_eq!(name, "k");
        assert_eq!(inputs, ScenarioInputs::default());
    }
}
