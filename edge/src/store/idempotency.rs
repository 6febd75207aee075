//! Idempotency keys (the `Idempotency-Key` request header, IETF
//! draft-ietf-httpapi-idempotency-key-header): a shopper's write sent
//! again after its answer was lost is answered as the first was, never
//! written twice. A key is remembered a day (`ratelimit::
//! IDEMPOTENCY_KEEP_MS`, table `idempotency_keys`) with what the first
//! request answered and its fingerprint, in the write's own batch, and
//! only if the write happened. One home for testimonials and community
//! posts.

use super::{int, stmt, Metered};
use crate::errors::{EdgeError, EdgeResult};
use kindred_core::{ApiError, ErrorCode};
use serde::Deserialize;
use worker::{D1Database, D1PreparedStatement};

/// The first answer given under an idempotency key, and the fingerprint
/// of what it answered (`None` for keys stored before fingerprints).
#[derive(Deserialize)]
pub struct Idempotent {
    pub response: String,
    pub request: Option<String>,
}

impl Idempotent {
    /// Whether the retry is the request the key first came with.
    ///
    /// # Errors
    /// 422 `validation_failed` naming `Idempotency-Key` when the key was
    /// first sent with another `what` (`fingerprint` differs): answering the
    /// first one's result would lose this one without a word.
    pub fn same_request(&self, fingerprint: &str, what: &str) -> EdgeResult<()> {
        if self.request.as_deref().is_some_and(|first| first != fingerprint) {
            return Err(EdgeError::Api(ApiError::field(
                ErrorCode::ValidationFailed,
                crate::request::IDEMPOTENCY_HEADER,
                format!("this Idempotency-Key was sent with another {what}: send a new key with a new {what}"),
            )));
        }
        Ok(())
    }
}

/// What a key remembers of the first answer.
pub enum Remembered<'a> {
    /// The whole answer, given again as it was (a testimonial's).
    Answer(&'a str),
    /// The id of the row written, answered as it is at the retry (a
    /// post's: `{"id": ...}`).
    Id,
}

/// The stored answer for brand `brand`'s (scoped) `key`, if it was used.
///
/// # Errors
/// `unavailable` when D1 fails.
pub async fn lookup(db: &D1Database, brand: &str, key: &str) -> EdgeResult<Option<Idempotent>> {
    stmt(db, "SELECT response, request FROM idempotency_keys WHERE brand_id = ?1 AND key = ?2", &[brand.into(), key.into()])?
        .first_row::<Idempotent>()
        .await
        .map_err(|e| EdgeError::store("idempotency lookup", e))
}

/// The statement that remembers `key` (with the request's `fingerprint`
/// and `what` of the answer) for the batch that writes row `id` of
/// `table`, only if that row is there when it runs (the batch wrote it).
///
/// # Errors
/// `internal` when the statement cannot be bound.
pub fn remember(db: &D1Database, brand: &str, key: &str, fingerprint: &str, (table, id): (&str, &str), what: Remembered<'_>, now: i64) -> EdgeResult<D1PreparedStatement> {
    let written = format!("WHERE EXISTS (SELECT 1 FROM {table} WHERE id = ?5)");
    match what {
        Remembered::Answer(answer) => stmt(db, format!("INSERT INTO idempotency_keys (brand_id, key, response, created_at, request) SELECT ?1, ?2, ?6, ?3, ?4 {written}"), &[
            brand.into(),
            key.into(),
            int(now),
            fingerprint.into(),
            id.into(),
            answer.into(),
        ]),
        Remembered::Id => stmt(db, format!("INSERT INTO idempotency_keys (brand_id, key, response, created_at, request) SELECT ?1, ?2, json_object('id', ?5), ?3, ?4 {written}"), &[
            brand.into(),
            key.into(),
            int(now),
            fingerprint.into(),
            id.into(),
        ]),
    }
}

/// Whether a batch was refused because its key is being remembered by
/// another request (the same key sent twice at once: the first is still on
/// its way; answered 409 `conflict` by the caller).
pub fn in_flight(e: &worker::Error) -> bool {
    super::is_unique_violation(e, "idempotency_keys")
}
