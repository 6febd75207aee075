//! Web origins (`scheme://host[:port]`) as brands list them and browsers send
//! them. CORS decisions compare normalised origins, so `https://Shop.Example:443`
//! on the allow list matches the browser's `https://shop.example`.

use crate::error::{ApiError, ErrorCode};
use serde::{Deserialize, Serialize};

/// A normalised origin: lowercase scheme and host, default port dropped,
/// no path, query or fragment.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct Origin(String);

impl Origin {
    /// Parses an origin such as `https://shop.example` or `http://127.0.0.1:8080`.
    /// A trailing `/` is tolerated (people paste it); any other path is refused.
    pub fn parse(raw: &str) -> Result<Self, ApiError> {
        let invalid = || {
            ApiError::field(
                ErrorCode::ValidationFailed,
                "origin",
                format!("'{}' is not an origin like https://shop.example", truncate(raw, 80)),
            )
        };
        let raw = raw.trim();
        let raw = raw.strip_suffix('/').unwrap_or(raw);
        let (scheme, rest) = raw.split_once("://").ok_or_else(invalid)?;
        let scheme = scheme.to_ascii_lowercase();
        let default_port = match scheme.as_str() {
            "https" => "443",
            "http" => "80",
            _ => return Err(invalid()),
        };
        if rest.is_empty() || rest.contains(['/', '?', '#', '@', ' ', '\\']) {
            return Err(invalid());
        }
        let (host, port) = match rest.rsplit_once(':') {
            // An IPv6 literal's colons sit inside brackets.
            Some((h, p)) if !p.contains(']') => (h, Some(p)),
            _ => (rest, None),
        };
        if host.is_empty()
            || !host.bytes().all(|b| b.is_ascii_alphanumeric() || b"-.[]:".contains(&b))
        {
            return Err(invalid());
        }
        let host = host.to_ascii_lowercase();
        match port {
            None => Ok(Self(format!("{scheme}://{host}"))),
            Some(p) => {
                let n: u16 = p.parse().map_err(|_| invalid())?;
                if n == 0 {
                    return Err(invalid());
                }
                if p == default_port {
                    Ok(Self(format!("{scheme}://{host}")))
                } else {
                    Ok(Self(format!("{scheme}://{host}:{n}")))
                }
            }
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether a browser's `Origin` header is on the allow list. A header that
    /// does not parse (including `null`) is never allowed.
    pub fn is_allowed(header: &str, allowed: &[Origin]) -> Option<Origin> {
        let o = Origin::parse(header).ok()?;
        allowed.contains(&o).then_some(o)
    }
}

fn truncate(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

impl TryFrom<String> for Origin {
    type Error = ApiError;
    fn try_from(s: String) -> Result<Self, ApiError> {
        Self::parse(&s)
    }
}

impl From<Origin> for String {
    fn from(o: Origin) -> String {
        o.0
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn normalises() {
        let cases = [
            ("https://Shop.Example", "https://shop.example"),
            ("https://shop.example:443", "https://shop.example"),
            ("https://shop.example/", "https://shop.example"),
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
            ("http://localhost:80", "http://localhost"),
            ("HTTP://[::1]:3000", "http://[::1]:3000"),
        ];
        for (raw, want) in cases {
            assert_eq!(Origin::parse(raw).unwrap().as_str(), want, "{raw}");
        }
    }

    #[test]
    fn refuses_non_origins() {
        for bad in ["", "null", "shop.example", "ftp://x", "https://", "https://a/b", "https://a?x", "https://u@a", "https://a:0", "https://a:99999", "javascript:alert(1)"] {
            assert!(Origin::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn allow_list_matching() {
        let allowed = vec![Origin::parse("https://shop.example").unwrap()];
        assert!(Origin::is_allowed("https://shop.example", &allowed).is_some());
        assert!(Origin::is_allowed("https://SHOP.example:443", &allowed).is_some());
        assert!(Origin::is_allowed("http://shop.example", &allowed).is_none());
        assert!(Origin::is_allowed("https://shop.example.evil", &allowed).is_none());
        assert!(Origin::is_allowed("null", &allowed).is_none());
    }

    proptest! {
        #[test]
        fn parse_is_idempotent(s in "(https?)://[a-zA-Z0-9.-]{1,20}(:[0-9]{1,5})?/?") {
            if let Ok(o) = Origin::parse(&s) {
                let again = Origin::parse(o.as_str()).unwrap();
                prop_assert_eq!(again, o);
            }
        }

        #[test]
        fn never_panics(s in "\\PC{0,60}") {
            let _ = Origin::parse(&s);
        }
    }
}
