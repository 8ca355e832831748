//! Values written into generated Python source: literals Python reads back exactly, and
//! comment text that cannot end its comment.
//!
//! Strings become JSON string literals, which are valid Python literals with the same
//! value (`\"`, `\\`, `\n`, `\uXXXX` mean the same in both; serde_json never writes `\/`).
//! Floats use Rust's shortest round-trip form, which Python's `float()` parses to the same
//! double (Python's own `repr` is shortest round-trip too, David Gay's algorithm).

/// A Python string literal with the value `s`.
pub fn py_str(s: &str) -> String {
    serde_json::to_string(s).expect("strings serialise")
}

/// A Python float literal with the value `v` (`float('inf')`, `float('nan')` when not
/// finite).
pub fn py_float(v: f64) -> String {
    if v.is_nan() {
        "float('nan')".into()
    } else if v.is_infinite() {
        if v > 0.0 {
            "float('inf')"
        } else {
            "-float('inf')"
        }
        .into()
    } else {
        format!("{v:?}")
    }
}

/// A Python list of floats.
pub fn py_floats(values: &[f64]) -> String {
    let items: Vec<String> = values.iter().map(|&v| py_float(v)).collect();
    format!("[{}]", items.join(", "))
}

/// `text` made safe for one `#` comment line: control characters (a newline would end the
/// comment and start code) become spaces.
pub fn comment_text(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped() {
        assert_eq!(py_str("plain"), "\"plain\"");
        assert_eq!(py_str("a \"b\"\\c\nd"), r#""a \"b\"\\c\nd""#);
        assert_eq!(py_str("é"), "\"é\"");
        assert_eq!(py_str("\u{7}"), r#""\u0007""#);
    }

    #[test]
    fn floats_read_back_exactly() {
        assert_eq!(py_float(1.0), "1.0");
        assert_eq!(py_float(1e-4), "0.0001");
        assert_eq!(py_float(1e-20), "1e-20");
        assert_eq!(py_float(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(py_float(-f64::INFINITY), "-float('inf')");
        assert_eq!(py_floats(&[1.5, -2.0]), "[1.5, -2.0]");
    }

    #[test]
    fn comments_cannot_break_out() {
        assert_eq!(comment_text("a\nimport os\r\tb"), "a import os  b");
    }
}
