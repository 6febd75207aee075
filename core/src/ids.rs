//! Identifiers that arrive from the outside (path segments, `data-*` attributes)
//! and the rules they must follow before they reach storage or a cache key.

use crate::error::{ApiError, ErrorCode};
use serde::{Deserialize, Serialize};

/// A brand's public slug, e.g. `acme`: 2 to 40 of `a-z`, `0-9` and `-`,
/// not starting or ending with `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct BrandId(String);

impl BrandId {
    pub const MAX_LEN: usize = 40;
    /// The rule in words: [`Self::parse`]'s error message, and the loader's
    /// warning for a `data-brand` that breaks it.
    pub const RULE: &'static str = "a brand id is 2-40 lowercase letters, digits or '-'";

    /// [`Self::parse`]'s rule as a regular expression in the syntax
    /// JavaScript and the `regex` crate share: the loader (`embed.js`, filled
    /// in by `cargo xtask build`) checks `data-brand` with it before asking
    /// the edge, so the two cannot disagree (a test holds them equal).
    pub fn pattern() -> String {
        format!("^[a-z0-9][a-z0-9-]{{0,{}}}[a-z0-9]$", Self::MAX_LEN - 2)
    }

    pub fn parse(raw: &str) -> Result<Self, ApiError> {
        let ok_len = (2..=Self::MAX_LEN).contains(&raw.len());
        let ok_chars = raw.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        let ok_edges = !raw.starts_with('-') && !raw.ends_with('-');
        if ok_len && ok_chars && ok_edges {
            Ok(Self(raw.to_owned()))
        } else {
            Err(ApiError::field(ErrorCode::BadRequest, "brand", Self::RULE))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A product id as the brand's store knows it (SKU, handle): 1 to 64 of
/// ASCII letters, digits, `.`, `_` and `-`. Case is kept: stores differ.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct ProductId(String);

impl ProductId {
    pub const MAX_LEN: usize = 64;
    /// The rule in words: [`Self::parse`]'s error message, and the loader's
    /// warning for a `data-product` that breaks it.
    pub const RULE: &'static str = "a product id is 1-64 letters, digits, '.', '_' or '-'";

    /// [`Self::parse`]'s rule as a regular expression (see
    /// [`BrandId::pattern`]): the loader leaves out a `data-product` that
    /// breaks it (the widget is then brand-wide) rather than ask for an
    /// answer the edge would refuse.
    pub fn pattern() -> String {
        format!("^[A-Za-z0-9._-]{{1,{}}}$", Self::MAX_LEN)
    }

    pub fn parse(raw: &str) -> Result<Self, ApiError> {
        let ok_len = (1..=Self::MAX_LEN).contains(&raw.len());
        let ok_chars = raw.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
        if ok_len && ok_chars {
            Ok(Self(raw.to_owned()))
        } else {
            Err(ApiError::field(ErrorCode::BadRequest, "product", Self::RULE))
        }
    }

    /// A product id sent as a member of a JSON body (`field` names it):
    /// as [`ProductId::parse`], but refused as `validation_failed` (422),
    /// as every other body member is; `parse`'s 400 is for a URL's path or
    /// query.
    pub fn in_body(raw: &str, field: &str) -> Result<Self, ApiError> {
        Self::parse(raw).map_err(|e| ApiError::field(ErrorCode::ValidationFailed, field, e.message))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

macro_rules! string_newtype {
    ($t:ty) => {
        impl TryFrom<String> for $t {
            type Error = ApiError;
            fn try_from(s: String) -> Result<Self, ApiError> {
                Self::parse(&s)
            }
        }
        impl From<$t> for String {
            fn from(v: $t) -> String {
                v.0
            }
        }
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}
string_newtype!(BrandId);
string_newtype!(ProductId);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn brand_examples() {
        for ok in ["acme", "a1", "blue-bottle", "x".repeat(40).as_str()] {
            assert!(BrandId::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["", "a", "Acme", "-acme", "acme-", "ac me", "acme/x", "ac%20", "é-brand", &"x".repeat(41)] {
            let err = BrandId::parse(bad).unwrap_err();
            assert_eq!(err.code, ErrorCode::BadRequest, "{bad}");
        }
    }

    #[test]
    fn product_examples() {
        for ok in ["sku-42", "SKU_42.v2", "1"] {
            assert!(ProductId::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["", "a b", "a/b", "a?b", "<script>", &"p".repeat(65)] {
            assert!(ProductId::parse(bad).is_err(), "{bad}");
        }
    }

    proptest! {
        /// The loader's check (the patterns) and the edge's (`parse`) take
        /// the same ids: near the lengths' edges, with every kind of
        /// character either of them cares about.
        #[test]
        fn the_loaders_patterns_take_what_parse_takes(s in "[a-zA-Z0-9._~ /%-]{0,70}", pad in 0usize..70) {
            let brand = regex::Regex::new(&BrandId::pattern()).unwrap();
            let product = regex::Regex::new(&ProductId::pattern()).unwrap();
            for candidate in [s.clone(), s.to_ascii_lowercase(), format!("{s}{}", "a".repeat(pad)), "a".repeat(pad), format!("-{}", "b".repeat(pad))] {
                prop_assert_eq!(brand.is_match(&candidate), BrandId::parse(&candidate).is_ok(), "brand {:?}", candidate);
                prop_assert_eq!(product.is_match(&candidate), ProductId::parse(&candidate).is_ok(), "product {:?}", candidate);
            }
        }
    }

    #[test]
    fn serde_rejects_invalid_ids() {
        assert!(serde_json::from_str::<BrandId>("\"Not Valid\"").is_err());
        let id: BrandId = serde_json::from_str("\"acme\"").unwrap();
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"acme\"");
    }

    proptest! {
        // Whatever a client sends, an accepted id is safe to put in a cache key
        // or a URL path without escaping.
        #[test]
        fn accepted_ids_are_url_and_key_safe(s in "\\PC{0,80}") {
            if let Ok(id) = BrandId::parse(&s) {
                prop_assert!(id.as_str().bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
            }
            if let Ok(id) = ProductId::parse(&s) {
                prop_assert!(id.as_str().bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b)));
                prop_assert!(!id.as_str().contains(':'));
            }
        }
    }
}
