//! Who may call the admin API. Brand routes take the brand's admin key
//! (`Authorization: Bearer kr_sk_<brand>_...`); creating brands takes the
//! operator key (the `KINDRED_OPERATOR_KEY` secret). Keys are compared as
//! SHA-256 hashes in constant time.

use crate::errors::{EdgeError, EdgeResult};
use crate::request::header;
use crate::store::brands::{self, Brand};
use kindred_core::auth::{constant_time_eq, key_brand, key_hash};
use kindred_core::brand::KeyMatch;
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

/// Checks the caller holds `brand`'s admin key and returns the brand: the
/// current key, or the one it replaced while that still works
/// (`keep_previous_hours`). A key of another brand is refused with 403
/// whether or not `brand` exists, so keys cannot probe which brands exist.
///
/// # Errors
/// `unauthorized` (no key, not an admin key, revoked), `forbidden`
/// (another brand's), `brand_not_found`, `unavailable`.
pub async fn brand_admin(req: &Request, db: &D1Database, brand: &BrandId) -> EdgeResult<Brand> {
    Ok(admin_key(req, db, brand).await?.0)
}

/// [`brand_admin`] for the routes that manage the brand's secrets, proxy
/// keys and settings, and those that delete testimonials (one, or an
/// import's) or community posts: the current admin key only. A replaced key kept working for
/// the brand's integrations (decisions, which can be taken back, replies,
/// orders, imports, exports) must not mint a key of its own (a thief
/// holding it would lock the brand out, or keep a proxy key past the
/// overlap), change where webhooks go or which origins and identities the
/// brand trusts, nor delete reviews for good (helper-81: a bulk rejection
/// then deletions did what the refused undo would have).
///
/// # Errors
/// As [`brand_admin`]; `forbidden` for the replaced key.
pub async fn brand_admin_current(req: &Request, db: &D1Database, brand: &BrandId) -> EdgeResult<Brand> {
    match admin_key(req, db, brand).await? {
        (found, true) => Ok(found),
        (_, false) => Err(EdgeError::api(
            ErrorCode::Forbidden,
            "this admin key was replaced: it works on for your integrations until its time, but only the new key manages settings, secrets and proxy keys and deletes testimonials and posts",
        )),
    }
}

/// The brand, and whether the key sent is its current admin key (`false`:
/// the replaced one, still working: [`brand_admin`]'s checks).
///
/// # Errors
/// As [`brand_admin`].
pub async fn admin_key(req: &Request, db: &D1Database, brand: &BrandId) -> EdgeResult<(Brand, bool)> {
    let key = bearer(req)?;
    let Some(claimed) = key_brand(&key) else {
        return Err(EdgeError::api(ErrorCode::Unauthorized, "that is not a Kindred admin key"));
    };
    if &claimed != brand {
        return Err(EdgeError::api(ErrorCode::Forbidden, "this key belongs to another brand"));
    }
    let found = brands::require(db, brand).await?;
    match KeyMatch::of(&key, found.secret_key_hash.as_deref(), &found.previous_admin_key_hash, crate::store::now_ms()) {
        Some(which) => Ok((found, which == KeyMatch::Current)),
        None => Err(EdgeError::api(ErrorCode::Unauthorized, "the admin key is not valid (revoked or mistyped)")),
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
