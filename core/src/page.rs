//! Keyset pages of the admin lists, newest first.
//!
//! A page ends at its last entry; the next page's `cursor` names that entry
//! as `"{ms}.{key}"`: its time (ms since the epoch) and a key unique among
//! entries of that time, both of which the list shows anyway (the cursor
//! tells the brand nothing the page did not). An entry written between two
//! reads neither shifts the next page nor repeats on it, as an offset
//! would; the statement seeks to the cursor through an index (the walk
//! costs one page, however deep).

use crate::error::{ApiError, ErrorCode};

/// Where a page starts: after the entry at `at` (ms) with key `key`, in
/// the list's order. [`After::START`] is before the newest entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct After {
    pub at: i64,
    pub key: String,
}

impl After {
    /// Before every entry of a list newest first whose keys are compared
    /// `(at, key) < (?, ?)`: no entry is written at `i64::MAX`.
    pub const START: (i64, &'static str) = (i64::MAX, "");

    /// `(at, key)` to bind: the cursor's, or [`After::START`].
    pub fn bind(after: Option<&Self>) -> (i64, &str) {
        after.map_or(Self::START, |a| (a.at, a.key.as_str()))
    }
}

/// The cursor of a page that ends at the entry `(at, key)`.
pub fn cursor(at: i64, key: &str) -> String {
    format!("{at}.{key}")
}

/// The next page's cursor: `page` was read with one row more than `size`
/// (which shows whether there is a next page) and is cut to `size`; the
/// cursor names its last entry by `(at, key)` of `of`. `None` on the last
/// page.
pub fn next<T>(page: &mut Vec<T>, size: usize, of: impl Fn(&T) -> (i64, &str)) -> Option<String> {
    let more = page.len() > size;
    page.truncate(size);
    more.then(|| page.last().map(|last| {
        let (at, key) = of(last);
        cursor(at, key)
    }))
    .flatten()
}

/// Reads a [`cursor`]; `valid` says whether its key is one the list gives.
///
/// # Errors
/// `bad_request` naming `cursor` when it is not one this API gave.
pub fn parse(raw: &str, valid: impl Fn(&str) -> bool) -> Result<After, ApiError> {
    let bad = || ApiError::field(ErrorCode::BadRequest, "cursor", "cursor is the next_cursor of the previous page");
    let (at, key) = raw.split_once('.').ok_or_else(bad)?;
    let at: i64 = at.parse().map_err(|_| bad())?;
    if !valid(key) {
        return Err(bad());
    }
    Ok(After { at, key: key.to_owned() })
}

/// Whether `key` is one of the edge's ids (`ids::new_id`'s hex, or the
/// dashed and underscored ids of older rows): at most 64 ASCII letters,
/// digits, `-` and `_`.
pub fn is_id(key: &str) -> bool {
    !key.is_empty() && key.len() <= 64 && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_and_nothing_else_passes() {
        let c = cursor(1_700_000_000_000, "ab12");
        assert_eq!(parse(&c, is_id).unwrap(), After { at: 1_700_000_000_000, key: "ab12".into() });
        for bad in ["", "12", "x.ab", "12.", "12.a b", "12.a'b", "1.2.3"] {
            let e = parse(bad, is_id).unwrap_err();
            assert_eq!(e.code, ErrorCode::BadRequest, "{bad}");
        }
        assert_eq!(After::bind(None), After::START);
    }

    #[test]
    fn next_cuts_the_extra_row_and_names_the_last() {
        let mut rows = vec![(3, "c"), (2, "b"), (1, "a")];
        assert_eq!(next(&mut rows, 2, |r| (r.0, r.1)), Some("2.b".to_owned()));
        assert_eq!(rows.len(), 2);
        let mut rows = vec![(3, "c"), (2, "b")];
        assert_eq!(next(&mut rows, 2, |r| (r.0, r.1)), None);
    }
}
