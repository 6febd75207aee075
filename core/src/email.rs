//! Email addresses as shoppers type them. Kept private: stored for the brand,
//! never returned by a public route.

use crate::error::{ApiError, ErrorCode};

/// Trims and lowercases the domain, then checks the address has the shape
/// `local@domain.tld` with sane lengths. Deliberately permissive about the
/// local part: the brand, not us, decides what an address is worth.
pub fn parse(raw: &str) -> Result<String, ApiError> {
    let bad = || ApiError::field(ErrorCode::ValidationFailed, "email", "enter an email address like name@example.com");
    let s = raw.trim();
    if s.is_empty() {
        return Err(ApiError::field(ErrorCode::ValidationFailed, "email", "Email is required"));
    }
    if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';' | '"')) {
        return Err(bad());
    }
    let (local, domain) = s.rsplit_once('@').ok_or_else(bad)?;
    let labels_ok = domain.split('.').count() >= 2
        && domain.split('.').all(|l| !l.is_empty() && l.len() <= 63 && !l.starts_with('-') && !l.ends_with('-'));
    if local.is_empty() || local.len() > 64 || local.contains('@') || !labels_ok {
        return Err(bad());
    }
    Ok(format!("{local}@{}", domain.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_normalises() {
        assert_eq!(parse(" Ana.R+shoes@Example.COM ").unwrap(), "Ana.R+shoes@example.com");
        assert!(parse("x@a.io").is_ok());
    }

    #[test]
    fn refuses() {
        for bad in ["", "ana", "ana@", "@x.io", "ana@localhost", "a b@x.io", "a@x..io", "a@-x.io", "<a@x.io>", "a@b@x.io"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        assert!(parse(&format!("{}@x.io", "a".repeat(65))).is_err());
    }
}
