//! Who may call the admin API. Brand routes take the brand's admin key
//! (`Authorization: Bearer kr_sk_<brand>_...`); creating brands takes the
//! operator key (the `KINDRED_OPERATOR_KEY` secret). Keys are compared as
//! SHA-256 hashes in constant time.

use crate::errors::{EdgeError, EdgeResult};
use crate::request::header;
use crate::store::brands::{self, Brand};
use kindred_core::auth::{constant_time_eq, key_brand, key_hash, key_matches};
use kindred_core::{BrandId, ErrorCode};
use worker::{D1Database, Env, Request};

fn bearer(req: &Request) -> EdgeResult<String> {
    let value = header(req, "authorization").ok_or_else(|| {
        EdgeError::api(ErrorCode::Unauthorized, "send the brand's admin key as Authorization: Bearer <key>")
    })?;
    // The scheme is case-insensitive (RFC 9110 section 11.1).
    match value.trim().split_once(' ') {
        Some((scheme, key)) if scheme.eq_ignore_ascii_case("bearer") && !key.trim().is_empty() => Ok(key.trim().to_owned()),
        _ => Err(EdgeError::api(ErrorCode::Unauthorized, "the Authorization header must be 'Bearer <key>'")),
    }
}

/// Checks the caller holds `brand`'s admin key and returns the brand. A key
/// of another brand is refused with 403 whether or not `brand` exists, so
/// keys cannot probe which brands exist.
pub async fn brand_admin(req: &Request, db: &D1Database, brand: &BrandId) -> EdgeResult<Brand> {
    let key = bearer(req)?;
    let Some(claimed) = key_brand(&key) else {
        return Err(EdgeError::api(ErrorCode::Unauthorized, "that is not a Kindred admin key"));
    };
    if &claimed != brand {
        return Err(EdgeError::api(ErrorCode::Forbidden, "this key belongs to another brand"));
    }
    let found = brands::require(db, brand).await?;
    // The current key, or the one it replaced while that still works
    // (`keep_previous_hours`); each compared in constant time.
    let current = found.secret_key_hash.as_deref().is_some_and(|h| key_matches(&key, h));
    let previous = found.previous_admin_key_hash.live(crate::store::now_ms()).is_some_and(|h| key_matches(&key, h));
    if current || previous {
        Ok(found)
    } else {
        Err(EdgeError::api(ErrorCode::Unauthorized, "the admin key is not valid (revoked or mistyped)"))
    }
}

/// Checks the caller holds the operator key. Without the secret configured,
/// brand creation over HTTP is off.
pub fn operator(req: &Request, env: &Env) -> EdgeResult<()> {
    let key = bearer(req)?;
    let Ok(secret) = env.secret("KINDRED_OPERATOR_KEY") else {
        return Err(EdgeError::api(
            ErrorCode::Forbidden,
            "brand creation is disabled: set the KINDRED_OPERATOR_KEY secret to enable it",
        ));
    };
    let expected = secret.to_string();
    if expected.len() < 16 {
        return Err(EdgeError::api(ErrorCode::Forbidden, "the operator key configured on this edge is too short"));
    }
    if constant_time_eq(key_hash(&key).as_bytes(), key_hash(&expected).as_bytes()) {
        Ok(())
    } else {
        Err(EdgeError::api(ErrorCode::Unauthorized, "the operator key is not valid"))
    }
}
