//! "Your data" in D1: binds and runs `kindred_core::privacy::sql` (the
//! statements and their rules live there, beside the plan test's view of
//! them). One batch of reads gathers what is held for a shopper; one batch
//! (one transaction) erases it. Photos' objects are queued in
//! `object_deletes` by that same transaction, so R2 follows even if the
//! request ends early ([`drain_object_deletes`]).

use super::Metered;
use super::{int, opt, stmt};
use crate::errors::{EdgeError, EdgeResult};
use kindred_core::privacy::sql;
use kindred_core::privacy::{mask_email, ErasurePolicy, HeldPost, HeldReferrer, HeldTestimonial, ShopperData};
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement, D1Result};

/// Whose data: the brand and the shopper's keys.
#[derive(Debug, Clone, Copy)]
pub struct Whose<'a> {
    pub brand: &'a str,
    pub member: Option<&'a str>,
    pub sub: Option<&'a str>,
}

/// `sql` with as many of (brand, member token, customer id, now) bound as it names.
fn bind(db: &D1Database, sql: &str, w: &Whose<'_>, now: i64) -> EdgeResult<D1PreparedStatement> {
    let params: [JsValue; 4] = [w.brand.into(), opt(w.member), opt(w.sub), int(now)];
    stmt(db, sql, params.get(..sql::params_used(sql)).unwrap_or(&params))
}

async fn run(db: &D1Database, statements: &[(&'static str, String)], w: &Whose<'_>, now: i64, what: &'static str) -> EdgeResult<Vec<(&'static str, D1Result)>> {
    let bound = statements.iter().map(|(_, s)| bind(db, s, w, now)).collect::<EdgeResult<Vec<_>>>()?;
    let results = super::batch(db, bound).await.map_err(|e| EdgeError::store(what, e))?;
    Ok(statements.iter().map(|(n, _)| *n).zip(results).collect())
}

fn rows<T: serde::de::DeserializeOwned>(results: &[(&'static str, D1Result)], name: &str) -> EdgeResult<Vec<T>> {
    match results.iter().find(|(n, _)| *n == name) {
        Some((_, r)) => r.results().map_err(|e| EdgeError::store("shopper data rows", e)),
        None => Ok(Vec::new()),
    }
}

#[derive(Deserialize)]
struct TestimonialRow {
    id: String,
    product_id: Option<String>,
    author_name: String,
    author_email: Option<String>,
    rating: i64,
    title: Option<String>,
    body: String,
    tags: Option<String>,
    status: String,
    photos: Option<String>,
    reuse_consent_at: Option<i64>,
    created_at: i64,
    edited_at: Option<i64>,
}

#[derive(Deserialize)]
struct EditRow {
    testimonial_id: String,
    at: i64,
    rating: Option<i64>,
    title: Option<String>,
    body: Option<String>,
    tags: Option<String>,
}

#[derive(Deserialize)]
struct ConsentRow {
    testimonial_id: String,
    granted: i64,
    via: String,
    at: i64,
}

#[derive(Deserialize)]
struct List {
    j: Option<String>,
}

#[derive(Deserialize)]
struct ReferrerRow {
    code: String,
    name: String,
    email: String,
    clicks: i64,
    friends: i64,
    purchases: i64,
    created_at: i64,
    rewards: Option<String>,
    note: Option<String>,
    note_status: Option<String>,
}

fn json_list<T: serde::de::DeserializeOwned>(j: Option<String>) -> Vec<T> {
    j.and_then(|j| serde_json::from_str(&j).ok()).unwrap_or_default()
}

/// Everything held for the shopper at this brand, read in one batch.
///
/// # Errors
/// `unavailable` when D1 fails.
pub async fn collect(db: &D1Database, w: &Whose<'_>, erasure: ErasurePolicy, now: i64) -> EdgeResult<ShopperData> {
    let r = run(db, &sql::collect(), w, now, "read shopper data").await?;
    let list = |name: &str| -> EdgeResult<Option<String>> { Ok(rows::<List>(&r, name)?.into_iter().next().and_then(|l| l.j)) };
    let mut edits: Vec<EditRow> = rows(&r, "privacy edits")?;
    edits.sort_by_key(|e| e.at);
    let mut consents: Vec<ConsentRow> = rows(&r, "privacy consent log")?;
    consents.sort_by_key(|c| c.at);
    let mut testimonial_rows: Vec<TestimonialRow> = rows(&r, "privacy testimonials")?;
    testimonial_rows.sort_by_key(|t| t.created_at);
    let testimonials = testimonial_rows
        .into_iter()
        .map(|t| {
            let photos: Vec<kindred_core::photo::PhotoView> = json_list(t.photos);
            HeldTestimonial {
                earlier_versions: edits
                    .iter()
                    .filter(|e| e.testimonial_id == t.id)
                    .map(|e| {
                        let tags: serde_json::Value = e.tags.as_deref().and_then(|j| serde_json::from_str(j).ok()).unwrap_or(serde_json::Value::Null);
                        serde_json::json!({"at": e.at, "rating": e.rating, "title": e.title, "body": e.body, "tags": tags})
                    })
                    .collect(),
                consent_log: consents
                    .iter()
                    .filter(|c| c.testimonial_id == t.id)
                    .map(|c| serde_json::json!({"granted": c.granted == 1, "via": c.via, "at": c.at}))
                    .collect(),
                id: t.id,
                product: t.product_id,
                author_name: t.author_name,
                email: t.author_email.as_deref().map(mask_email),
                rating: u8::try_from(t.rating).unwrap_or(0),
                title: t.title,
                body: t.body,
                tags: json_list(t.tags),
                status: t.status,
                photos: photos.into_iter().map(|p| p.url).collect(),
                reuse_consent_at: t.reuse_consent_at,
                created_at: t.created_at,
                edited_at: t.edited_at,
            }
        })
        .collect();
    let referrers: Vec<ReferrerRow> = rows(&r, "privacy referrers")?;
    Ok(ShopperData {
        brand: w.brand.to_owned(),
        generated_at: now,
        member_token: w.member.is_some(),
        identity: w.sub.map(str::to_owned),
        erasure,
        testimonials,
        helpful_votes: json_list(list("privacy votes")?),
        referrers: referrers
            .into_iter()
            .map(|r| HeldReferrer {
                code: r.code,
                name: r.name,
                email: mask_email(&r.email),
                clicks: r.clicks,
                friends: r.friends,
                purchases: r.purchases,
                rewards: json_list(r.rewards),
                created_at: r.created_at,
                note: r.note,
                note_status: r.note_status,
            })
            .collect(),
        claims: json_list(list("privacy claims")?),
        memberships: json_list(list("privacy memberships")?),
        threads: json_list::<HeldPost>(list("privacy threads")?),
        replies: json_list::<HeldPost>(list("privacy replies")?),
        reactions: json_list(list("privacy reactions")?),
        reports: json_list(list("privacy reports")?),
        invites: json_list(list("privacy invites")?),
        orders: json_list(list("privacy orders")?),
        // One entry per decision (the statements group a decision's rows).
        restrictions: {
            let mut all: Vec<serde_json::Value> = json_list(list("privacy blocks")?);
            all.extend(json_list::<serde_json::Value>(list("privacy removals")?));
            all
        },
    })
}

#[derive(Deserialize)]
struct Id {
    id: String,
}

#[derive(Deserialize)]
struct Key {
    key: String,
}

/// What the erasure hands on to the work outside D1.
pub struct ErasedKeys {
    /// R2 keys of the photos whose rows went (queued in `object_deletes`).
    pub objects: Vec<String>,
    /// The referral codes that stopped working (their KV copies go).
    pub codes: Vec<String>,
    /// Products whose first-paint copies showed the shopper's testimonials.
    pub products: Vec<String>,
}

/// Erases everything held for the shopper in one transaction
/// (`kindred_core::privacy::sql::erase`), moves the brand's copy version,
/// and records `notice` (a `shopper.erased` delivery: `(id, url, payload)`)
/// and, when the policy deletes their testimonials, their `tombstones`
/// (`kindred_core::import::erasure_tombstone`: no brand of the edge
/// imports a partner's copy of them again) in the same batch.
///
/// # Errors
/// `unavailable` when D1 fails (then nothing was erased).
pub async fn erase(db: &D1Database, w: &Whose<'_>, policy: ErasurePolicy, notice: Option<(&str, &str, &str)>, tombstones: &[String], now: i64) -> EdgeResult<ErasedKeys> {
    let statements = sql::erase(policy);
    let mut bound = statements.iter().map(|(_, s)| bind(db, s, w, now)).collect::<EdgeResult<Vec<_>>>()?;
    bound.push(super::brands::copy_version_bump(db, w.brand)?);
    if policy == ErasurePolicy::Delete && !tombstones.is_empty() {
        bound.push(super::testimonials::bury_erased(db, tombstones)?);
    }
    if let Some((id, url, payload)) = notice {
        bound.push(stmt(db, "INSERT INTO webhook_deliveries (id, brand_id, event, url, payload, next_attempt_at, created_at) VALUES (?1, ?2, 'shopper.erased', ?3, ?4, ?5, ?5)", &[
            id.into(),
            w.brand.into(),
            url.into(),
            payload.into(),
            int(now),
        ])?);
    }
    let results = super::batch(db, bound).await.map_err(|e| EdgeError::store("erase shopper data", e))?;
    let named: Vec<(&'static str, D1Result)> = statements.iter().map(|(n, _)| *n).zip(results).collect();
    let ids = |name: &str| -> EdgeResult<Vec<String>> { Ok(rows::<Id>(&named, name)?.into_iter().map(|i| i.id).collect()) };
    let mut products = ids("privacy products")?;
    products.sort();
    products.dedup();
    Ok(ErasedKeys {
        objects: rows::<Key>(&named, "privacy object keys")?.into_iter().map(|k| k.key).collect(),
        codes: ids("privacy codes")?,
        products,
    })
}

/// Deletes queued objects from R2 (and a legacy KV copy of a photo), then
/// their queue rows: `keys`, or (for the cron job) the oldest 500 queued.
/// An object R2 fails to delete stays queued for the next run.
///
/// # Errors
/// `unavailable` when D1 fails.
pub async fn drain_object_deletes(db: &D1Database, bucket: &worker::Bucket, kv: &worker::kv::KvStore, keys: Option<Vec<String>>) -> EdgeResult<usize> {
    let keys = match keys {
        Some(k) => k,
        None => stmt(db, "SELECT key FROM object_deletes ORDER BY at LIMIT 500", &[])?
            .all_rows()
            .await
            .map_err(|e| EdgeError::store("queued object deletes", e))?
            .results::<Key>()
            .map_err(|e| EdgeError::store("queued object deletes", e))?
            .into_iter()
            .map(|k| k.key)
            .collect(),
    };
    if keys.is_empty() {
        return Ok(0);
    }
    let ids: Vec<String> = keys.iter().filter_map(|k| k.strip_prefix("photos/")).map(str::to_owned).collect();
    if !super::media::drop_objects(bucket, kv, &ids).await {
        return Ok(0);
    }
    // At most 100 bound values a statement (D1): in chunks.
    for chunk in keys.chunks(100) {
        let marks = (1..=chunk.len()).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
        let values: Vec<JsValue> = chunk.iter().map(|k| JsValue::from_str(k)).collect();
        stmt(db, format!("DELETE FROM object_deletes WHERE key IN ({marks})"), &values)?
            .run_metered()
            .await
            .map_err(|e| EdgeError::store("object deletes done", e))?;
    }
    Ok(keys.len())
}
