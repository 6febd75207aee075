//! Secrets and signatures: brand admin keys (random, shown once, stored as a
//! SHA-256 hash, compared in constant time) and brand-signed identity tokens
//! (HMAC-SHA256 with the brand's identity secret, with an expiry), and
//! proxy keys ([`proxy_key`]: random, stored hashed like admin keys).

use crate::error::{ApiError, ErrorCode};
use crate::ids::BrandId;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Admin keys look like `kr_sk_acme_<64 hex>`: the brand is readable so a key
/// used on another brand's routes is refused (403) before any comparison.
pub const KEY_PREFIX: &str = "kr_sk_";

/// Builds an admin key from 32 random bytes.
pub fn admin_key(brand: &BrandId, random: &[u8; 32]) -> String {
    format!("{KEY_PREFIX}{brand}_{}", hex(random))
}

/// The brand an admin key claims, if it has the key's shape.
pub fn key_brand(key: &str) -> Option<BrandId> {
    let rest = key.strip_prefix(KEY_PREFIX)?;
    let (brand, secret) = rest.rsplit_once('_')?;
    if secret.len() != 64 || !secret.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    BrandId::parse(brand).ok()
}

/// What is stored instead of the key.
pub fn key_hash(key: &str) -> String {
    hex(&Sha256::digest(key.as_bytes()))
}

/// Compares two byte strings in time that depends only on their lengths.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Whether `key` is the one whose hash is `stored_hash`.
pub fn key_matches(key: &str, stored_hash: &str) -> bool {
    constant_time_eq(key_hash(key).as_bytes(), stored_hash.as_bytes())
}

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}

/// The latest expiry an identity token may carry, in seconds after now:
/// a year (tokens are meant to last a session; see [`verify_identity`]).
pub const IDENTITY_EXP_MAX_S: i64 = 366 * 24 * 3600;

/// The claims a brand signs about one of its customers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityClaims {
    /// The brand that signed.
    pub brand: String,
    /// The brand's own, stable customer id.
    pub sub: String,
    /// Expiry, unix seconds.
    pub exp: i64,
    /// Optional display name and email, to prefill forms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

type HmacSha256 = Hmac<Sha256>;

fn mac(secret: &[u8], payload: &str) -> Option<Vec<u8>> {
    let mut m = HmacSha256::new_from_slice(secret).ok()?;
    m.update(payload.as_bytes());
    Some(m.finalize().into_bytes().to_vec())
}

/// Signs claims: `base64url(json) + "." + base64url(hmac)`. Brands do this on
/// their server (any language can: it is plain HMAC-SHA256).
pub fn sign_identity(claims: &IdentityClaims, secret: &[u8]) -> Option<String> {
    let json = serde_json::to_vec(claims).ok()?;
    let payload = B64.encode(json);
    let sig = B64.encode(mac(secret, &payload)?);
    Some(format!("{payload}.{sig}"))
}

/// Verifies a token for `brand` at `now` (unix seconds) against the brand's
/// identity secret.
///
/// Fails closed: a secret shorter than
/// [`IDENTITY_SECRET_MIN_BYTES`](crate::limits::IDENTITY_SECRET_MIN_BYTES)
/// (an empty one included) verifies nothing, so a token signed with an empty
/// key is never accepted.
///
/// # Errors
/// `identity_invalid` (malformed, bad signature, no usable secret),
/// `identity_expired`, `forbidden` (signed for another brand).
pub fn verify_identity(token: &str, secret: &[u8], brand: &BrandId, now: i64) -> Result<IdentityClaims, ApiError> {
    let invalid = |why: &str| {
        ApiError::field(ErrorCode::IdentityInvalid, "identity", format!("the identity token is not valid: {why}"))
    };
    if secret.len() < crate::limits::IDENTITY_SECRET_MIN_BYTES {
        return Err(invalid("this brand has no identity secret set up"));
    }
    if token.len() > 4096 {
        return Err(invalid("too long"));
    }
    let (payload, sig) = token.split_once('.').ok_or_else(|| invalid("malformed"))?;
    let sig = B64.decode(sig).map_err(|_| invalid("malformed signature"))?;
    let expected = mac(secret, payload).ok_or_else(|| invalid("no secret"))?;
    if !constant_time_eq(&sig, &expected) {
        return Err(invalid("bad signature"));
    }
    let json = B64.decode(payload).map_err(|_| invalid("malformed payload"))?;
    // A JSON object (RFC 7519 section 7.2, step 10), every member where it
    // is named: never read by position (`crate::error::from_json`).
    let claims: IdentityClaims = crate::error::from_json(&json).map_err(|e| invalid(&format!("malformed claims ({})", e.message)))?;
    if claims.brand != brand.as_str() {
        return Err(ApiError::field(ErrorCode::Forbidden, "identity", "the identity token was signed for another brand"));
    }
    if claims.exp <= now {
        return Err(ApiError::field(ErrorCode::IdentityExpired, "identity", "the identity token has expired"));
    }
    // A sign-in is short-lived: an expiry past a year is a mistake (most
    // often milliseconds, JavaScript's `Date.now()`, where RFC 7519's
    // NumericDate counts seconds), and would make the token good forever.
    if claims.exp > now.saturating_add(IDENTITY_EXP_MAX_S) {
        return Err(invalid("exp is more than a year ahead: it counts seconds since 1970 (RFC 7519 NumericDate), not milliseconds"));
    }
    if claims.sub.trim().is_empty() || claims.sub.len() > 200 {
        return Err(invalid("bad subject"));
    }
    // The customer id becomes a key (`id:<sub>`) in memberships, blocks
    // and exports: a control character, an invisible one or a line break
    // in it is a mistake (helper-88: a NUL was taken; helper-90: U+2028,
    // U+202E, a lone U+200B).
    if claims.sub.chars().any(|c| c.is_control() || crate::text::is_default_ignorable(c) || (c.is_whitespace() && c != ' ')) {
        return Err(invalid("bad subject: control, invisible or line-breaking characters"));
    }
    // An email that is not an address vouches for nothing and prefills
    // nothing: left out rather than refusing the customer's sign-in.
    let mut claims = claims;
    claims.email = claims.email.filter(|e| crate::email::parse(e).is_ok());
    Ok(claims)
}

/// Proxy keys look like `kr_px_<64 hex>`.
pub const PROXY_KEY_PREFIX: &str = "kr_px_";

/// A brand's proxy key from 32 random bytes: what a proxy or CDN path of
/// the brand's own in front of the edge sends (`X-Kindred-Proxy-Key`) to
/// vouch for the shopper's address it passes on (`X-Kindred-Client-IP`),
/// so limits count each shopper rather than the proxy's one address.
/// Random, shown once, stored as [`key_hash`] and checked with
/// [`key_matches`], like an admin key; a brand has none until it asks for
/// one; a new one replaces the old, which is still taken for
/// [`PROXY_KEY_OVERLAP_MS`](crate::brand::PROXY_KEY_OVERLAP_MS)
/// ([`ProxyKeys`](crate::brand::ProxyKeys) holds the rule); deleting it
/// ends both. It is a secret of its own: it signs nothing, but whoever has
/// it can name any address for the brand's shoppers, which lifts every
/// per-address limit of that brand.
///
/// ```
/// use kindred_core::auth::{key_hash, key_matches, proxy_key};
/// let key = proxy_key(&[7; 32]);
/// assert!(key.starts_with("kr_px_") && key.len() == 6 + 64);
/// assert!(key_matches(&key, &key_hash(&key)));
/// assert!(!key_matches(&proxy_key(&[8; 32]), &key_hash(&key)));
/// ```
pub fn proxy_key(random: &[u8; 32]) -> String {
    format!("{PROXY_KEY_PREFIX}{}", hex(random))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    fn brand(s: &str) -> BrandId {
        BrandId::parse(s).unwrap()
    }

    fn claims(exp: i64) -> IdentityClaims {
        IdentityClaims { brand: "acme".into(), sub: "cust-1".into(), exp, name: Some("Ana".into()), email: None }
    }

    #[test]
    fn admin_keys_round_trip() {
        let key = admin_key(&brand("acme"), &[7u8; 32]);
        assert!(key.starts_with("kr_sk_acme_"));
        assert_eq!(key_brand(&key), Some(brand("acme")));
        let h = key_hash(&key);
        assert!(key_matches(&key, &h));
        assert!(!key_matches(&admin_key(&brand("acme"), &[8u8; 32]), &h));
        assert_eq!(key_brand("kr_sk_acme_short"), None);
        assert_eq!(key_brand("Bearer whatever"), None);
        // A brand id with '-' and '_'-free secret still parses.
        let k2 = admin_key(&brand("blue-bottle"), &[1u8; 32]);
        assert_eq!(key_brand(&k2), Some(brand("blue-bottle")));
    }

    #[test]
    fn identity_tokens_verify() {
        let t = sign_identity(&claims(2_000), SECRET).unwrap();
        let c = verify_identity(&t, SECRET, &brand("acme"), 1_000).unwrap();
        assert_eq!(c.sub, "cust-1");
    }

    #[test]
    fn identity_claims_signed_as_a_list_are_not_read_by_position() {
        // Signed with the brand's own secret, yet not a claims object (RFC
        // 7519 section 7.2): the email that vouches for an address is never
        // taken from the fifth place of a list (helper-86).
        for claims in [r#"["acme","cust-9",2000,"Arr","arr@example.com"]"#, r#"{"brand":"acme","sub":"cust-9","exp":2000,"email":["arr@example.com"]}"#] {
            let payload = B64.encode(claims);
            let t = format!("{payload}.{}", B64.encode(mac(SECRET, &payload).unwrap()));
            assert_eq!(verify_identity(&t, SECRET, &brand("acme"), 1_000).unwrap_err().code, ErrorCode::IdentityInvalid, "{claims}");
        }
    }

    #[test]
    fn identity_tokens_are_refused_when_forged_expired_or_foreign() {
        let t = sign_identity(&claims(2_000), SECRET).unwrap();
        let e = verify_identity(&t, b"another-secret-of-thirty-two-bytes", &brand("acme"), 1_000).unwrap_err();
        assert_eq!(e.code, ErrorCode::IdentityInvalid);
        let e = verify_identity(&t, SECRET, &brand("acme"), 2_000).unwrap_err();
        assert_eq!(e.code, ErrorCode::IdentityExpired);
        let e = verify_identity(&t, SECRET, &brand("globex"), 1_000).unwrap_err();
        assert_eq!(e.code, ErrorCode::Forbidden);
        // Tampered claims with the old signature.
        let (_, sig) = t.split_once('.').unwrap();
        let mut forged = claims(9_999);
        forged.sub = "admin".into();
        let payload = B64.encode(serde_json::to_vec(&forged).unwrap());
        let e = verify_identity(&format!("{payload}.{sig}"), SECRET, &brand("acme"), 1_000).unwrap_err();
        assert_eq!(e.code, ErrorCode::IdentityInvalid);
        // Milliseconds where seconds go, or a subject that is only a space
        // (helper-87): refused, saying why.
        let now = 1_800_000_000;
        let mut ms = claims((now + 600) * 1_000);
        let e = verify_identity(&sign_identity(&ms, SECRET).unwrap(), SECRET, &brand("acme"), now).unwrap_err();
        assert!(e.code == ErrorCode::IdentityInvalid && e.message.contains("seconds"), "{e:?}");
        ms.exp = now + IDENTITY_EXP_MAX_S;
        assert!(verify_identity(&sign_identity(&ms, SECRET).unwrap(), SECRET, &brand("acme"), now).is_ok(), "a year ahead is fine");
        for bad in ["a\u{0}b", "cust\n1", "\u{85}", "a\u{2028}b", "\u{202E}cust", "\u{200B}", "\u{2066}\u{2069}", "\u{FEFF}1", "\u{E0001}"] {
            let c = IdentityClaims { sub: bad.into(), ..claims(2_000) };
            assert_eq!(verify_identity(&sign_identity(&c, SECRET).unwrap(), SECRET, &brand("acme"), 1_000).unwrap_err().code, ErrorCode::IdentityInvalid, "{bad:?}");
        }
        let odd = IdentityClaims { email: Some("not an email".into()), ..claims(2_000) };
        assert_eq!(verify_identity(&sign_identity(&odd, SECRET).unwrap(), SECRET, &brand("acme"), 1_000).unwrap().email, None, "an email that is not an address is left out");
        let fine = IdentityClaims { email: Some("ana@example.com".into()), ..claims(2_000) };
        assert_eq!(verify_identity(&sign_identity(&fine, SECRET).unwrap(), SECRET, &brand("acme"), 1_000).unwrap().email.as_deref(), Some("ana@example.com"));
        let blank = IdentityClaims { sub: " ".into(), ..claims(2_000) };
        assert_eq!(verify_identity(&sign_identity(&blank, SECRET).unwrap(), SECRET, &brand("acme"), 1_000).unwrap_err().code, ErrorCode::IdentityInvalid);
        for junk in ["", ".", "abc", "a.b.c", "%%%.###"] {
            assert!(verify_identity(junk, SECRET, &brand("acme"), 1_000).is_err(), "{junk}");
        }
    }

    #[test]
    fn a_missing_or_short_secret_verifies_nothing() {
        // The fault this guards: brands without a secret accepted tokens
        // signed with the empty key.
        for secret in [&b""[..], b"short", &SECRET[..31]] {
            let t = sign_identity(&claims(2_000), secret).unwrap();
            let e = verify_identity(&t, secret, &brand("acme"), 1_000).unwrap_err();
            assert_eq!(e.code, ErrorCode::IdentityInvalid);
        }
    }

    proptest! {
        #[test]
        fn garbage_tokens_never_verify(s in "\\PC{0,300}") {
            prop_assert!(verify_identity(&s, SECRET, &brand("acme"), 0).is_err());
        }

        #[test]
        fn constant_time_eq_agrees_with_eq(a in proptest::collection::vec(any::<u8>(), 0..40), b in proptest::collection::vec(any::<u8>(), 0..40)) {
            prop_assert_eq!(constant_time_eq(&a, &b), a == b);
        }
    }
}
