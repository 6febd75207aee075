//! What shoppers type, made safe to store and show: Unicode NFC, no control
//! or invisible formatting characters, trimmed, length-checked in characters
//! (not bytes). Text is always rendered as text, so markup needs no escaping
//! here; it is kept as the person typed it.

use crate::error::{ApiError, ErrorCode};

/// Bidi overrides and zero-width characters that can disguise text.
fn is_invisible_format(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// Normalises a field. `multiline` keeps single line breaks and at most one
/// blank line in a row; otherwise all whitespace runs become one space.
pub fn normalize(raw: &str, multiline: bool) -> String {
    #[cfg(feature = "nfc")]
    let nfc: String = unicode_normalization::UnicodeNormalization::nfc(raw).collect();
    #[cfg(not(feature = "nfc"))]
    let nfc = raw;
    let mut out = String::with_capacity(nfc.len());
    let mut newlines = 0usize;
    let mut space = false;
    for c in nfc.chars() {
        if c == '\n' && multiline {
            newlines += 1;
            space = false;
            continue;
        }
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if c.is_control() || is_invisible_format(c) {
            continue;
        }
        if !out.is_empty() {
            if newlines > 0 {
                out.push_str(if newlines > 1 { "\n\n" } else { "\n" });
            } else if space {
                out.push(' ');
            }
        }
        newlines = 0;
        space = false;
        out.push(c);
    }
    out
}

/// Normalises and checks length in characters; `field` names the error.
pub fn field(raw: &str, field: &str, min: usize, max: usize, multiline: bool) -> Result<String, ApiError> {
    let s = normalize(raw, multiline);
    let n = s.chars().count();
    if n < min {
        let message = if min == 1 {
            format!("{} is required", label(field))
        } else {
            format!("{} needs at least {min} characters", label(field))
        };
        return Err(ApiError::field(ErrorCode::ValidationFailed, field, message));
    }
    if n > max {
        return Err(ApiError::field(
            ErrorCode::ValidationFailed,
            field,
            format!("{} can be at most {max} characters (got {n})", label(field)),
        ));
    }
    Ok(s)
}

fn label(field: &str) -> String {
    let mut s = field.replace('_', " ");
    if let Some(first) = s.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn collapses_and_strips() {
        assert_eq!(normalize("  Hello \t  world  ", false), "Hello world");
        assert_eq!(normalize("a\u{0}b\u{202E}c\u{200B}d", false), "abcd");
        assert_eq!(normalize("line1\n\n\n\nline2\nline3", true), "line1\n\nline2\nline3");
        assert_eq!(normalize("line1\nline2", false), "line1 line2");
        // NFC: e + combining acute becomes é.
        #[cfg(feature = "nfc")]
        assert_eq!(normalize("e\u{301}", false), "\u{e9}");
        assert_eq!(normalize("<b>hi</b>", false), "<b>hi</b>");
    }

    #[test]
    fn lengths_count_characters() {
        assert!(field("éééé", "title", 1, 4, false).is_ok());
        let e = field("ééééé", "title", 1, 4, false).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("title"));
        assert_eq!(e.code, ErrorCode::ValidationFailed);
        let e = field("   ", "display_name", 1, 10, false).unwrap_err();
        assert_eq!(e.message, "Display name is required");
    }

    proptest! {
        #[test]
        fn normalized_text_is_stable_and_clean(s in "\\PC{0,200}|[\\s\\S]{0,200}") {
            let once = normalize(&s, true);
            prop_assert_eq!(normalize(&once, true), once.clone());
            prop_assert!(!once.chars().any(|c| (c.is_control() && c != '\n') || is_invisible_format(c)));
            prop_assert_eq!(once.trim(), once.as_str());
        }
    }
}
