//! `POST /v1/admin/brands/{brand}/imports`: reviews from another platform,
//! a chunk at a time (`kindred_core::import` has the rules and the SQL),
//! and their photos, fetched by URL in the background (the `IMPORTS`
//! queue, `kindred-imports`): a chunk never waits on someone else's CDN,
//! and a slow or dead photo never fails an import.

use super::{widget, Ctx};
use crate::auth;
use crate::errors::{EdgeError, EdgeResult};
use crate::http::json_response;
use crate::request::{json, new_id};
use crate::store::{batch, int, now_ms, stmt, Metered};
use futures_util::future::{join_all, select, Either};
use kindred_core::import::{sql, ImportChunk, ImportResult, ImportStatus, PhotoFailure, BODY_BYTES_MAX};
use kindred_core::photo::{clean, PhotoView, MAX_BYTES};
use kindred_core::testimonial::Status;
use kindred_core::BrandId;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::time::Duration;
use worker::{console_warn, AbortController, D1Database, Delay, Env, Fetch, Request, Response};

/// Photos one queue message fetches (each a fetch, an R2 put and a D1
/// batch: well under the Workers limit on subrequests per invocation).
const PHOTOS_PER_RUN: i64 = 6;
/// Attempts before a photo whose fetch failed is given up.
const PHOTO_ATTEMPTS: i64 = 3;
/// How long a photo fetch may take, ms.
const PHOTO_TIMEOUT_MS: u64 = 10_000;

/// The `IMPORTS` queue's message: fetch some of this brand's photos.
#[derive(Debug, Serialize, Deserialize)]
pub struct FetchPhotos {
    pub brand: String,
}

/// `POST /v1/admin/brands/{brand}/imports`
pub async fn import(req: &mut Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let brand_id = BrandId::parse(brand)?;
    let db = cx.db()?;
    auth::brand_admin(req, &db, &brand_id).await?;
    let chunk: ImportChunk = json(req, BODY_BYTES_MAX).await?;
    let reader = chunk.reader(crate::jobs::target_policy(&cx.env))?;
    let now = now_ms();
    let mut result = ImportResult { received: u32::try_from(chunk.records.len()).unwrap_or(u32::MAX), ..Default::default() };
    let mut rows = Vec::new();
    let mut photos = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut any_approved = false;
    for (i, record) in chunk.records.iter().enumerate() {
        let r = match reader.read(i, record, now) {
            Ok(r) => r,
            Err(e) => {
                result.failed.push(e);
                continue;
            }
        };
        if !seen.insert(r.source_id.clone()) {
            result.already += 1; // the same review twice in one chunk
            continue;
        }
        let tid = new_id()?;
        any_approved |= r.status == Status::Approved;
        // A review rejected at the source keeps no photos (as a rejection here).
        if !r.photo_urls.is_empty() && r.status != Status::Rejected {
            photos.push(json!({ "sid": r.source_id, "tid": tid, "urls": r.photo_urls }));
        }
        let tags = serde_json::to_string(&r.tags).map_err(|e| EdgeError::internal("encode tags", e))?;
        rows.push(json!({
            "tid": tid, "sid": r.source_id, "product": r.product, "name": r.display_name,
            "canonical": kindred_core::referral::canonical_email(&r.email), "email": r.email,
            "rating": r.rating, "title": r.title, "body": r.body, "tags": tags, "status": r.status.as_str(),
            "created_at": r.created_at, "reply": r.reply.as_ref().map(|(t, _)| t), "reply_at": r.reply.as_ref().map(|(_, at)| at),
        }));
    }
    if !rows.is_empty() {
        let source = reader.source.as_str();
        let note = format!("Rejected on {} before the import", reader.source.label());
        let encode = |v: &Vec<Value>| serde_json::to_string(v).map_err(|e| EdgeError::internal("encode import", e));
        let mut statements = Vec::new();
        if !photos.is_empty() {
            statements.push(stmt(&db, sql::QUEUE_PHOTOS, &[brand_id.as_str().into(), source.into(), encode(&photos)?.into(), int(now)])?);
        }
        let insert_at = statements.len();
        statements.push(stmt(&db, sql::INSERT, &[brand_id.as_str().into(), source.into(), encode(&rows)?.into(), int(now), note.as_str().into()])?);
        let results = batch(&db, statements).await.map_err(|e| EdgeError::store("import chunk", e))?;
        #[derive(Deserialize)]
        struct Inserted {
            import_source_id: String,
        }
        let inserted: Vec<Inserted> = results
            .get(insert_at)
            .map(|r| r.results::<Inserted>())
            .transpose()
            .map_err(|e| EdgeError::store("import rows", e))?
            .unwrap_or_default();
        result.imported = u32::try_from(inserted.len()).unwrap_or(u32::MAX);
        result.already += u32::try_from(rows.len() - inserted.len().min(rows.len())).unwrap_or(0);
        let new: std::collections::HashSet<&str> = inserted.iter().map(|i| i.import_source_id.as_str()).collect();
        result.photos_queued = photos
            .iter()
            .filter(|p| p["sid"].as_str().is_some_and(|s| new.contains(s)))
            .map(|p| p["urls"].as_array().map_or(0, Vec::len) as u32)
            .sum();
        if result.imported > 0 && any_approved {
            widget::changed(&db, &brand_id).await?;
        }
        if result.photos_queued > 0 {
            enqueue(&cx.env, brand_id.as_str()).await;
        }
    }
    Ok(super::admin::no_store(json_response(200, &result)))
}

/// `GET /v1/admin/brands/{brand}/imports`
pub async fn status(req: &Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let brand_id = BrandId::parse(brand)?;
    let db = cx.db()?;
    auth::brand_admin(req, &db, &brand_id).await?;
    #[derive(Deserialize)]
    struct PerSource {
        source: String,
        n: i64,
    }
    #[derive(Deserialize)]
    struct Pending {
        n: i64,
    }
    let b = || -> Vec<wasm_bindgen::JsValue> { vec![brand_id.as_str().into()] };
    let results = batch(&db, vec![
        stmt(&db, "SELECT import_source AS source, COUNT(*) AS n FROM testimonials WHERE brand_id = ?1 AND import_source IS NOT NULL GROUP BY import_source", &b())?,
        stmt(&db, "SELECT COUNT(*) AS n FROM import_photos WHERE state IN ('pending', 'fetching') AND brand_id = ?1", &b())?,
        stmt(&db, "SELECT testimonial_id, url, error FROM import_photos WHERE state = 'failed' AND brand_id = ?1 ORDER BY rowid DESC LIMIT 50", &b())?,
    ])
    .await
    .map_err(|e| EdgeError::store("import status", e))?;
    let read = |e| EdgeError::store("import status rows", e);
    let mut out = ImportStatus::default();
    if let Some(r) = results.first() {
        for s in r.results::<PerSource>().map_err(read)? {
            out.imported.insert(s.source, json!(s.n));
        }
    }
    if let Some(r) = results.get(1) {
        out.photos_pending = r.results::<Pending>().map_err(read)?.first().map_or(0, |p| u32::try_from(p.n).unwrap_or(0));
    }
    if let Some(r) = results.get(2) {
        out.photos_failed = r.results::<PhotoFailure>().map_err(read)?;
    }
    Ok(super::admin::no_store(json_response(200, &out)))
}

/// Asks for the brand's import photos to be fetched: a queue message, or,
/// without the `IMPORTS` queue (an old configuration), the cron job's next
/// run.
pub async fn enqueue(env: &Env, brand: &str) {
    match env.queue("IMPORTS") {
        Ok(q) => {
            if let Err(e) = q.send(&FetchPhotos { brand: brand.to_owned() }).await {
                console_warn!("import photos for {brand} not queued ({e}); the cron job will start them");
            }
        }
        Err(_) => console_warn!("no IMPORTS queue: import photos wait for the cron job"),
    }
}

/// The cron job: brands whose import photos have waited over two minutes
/// (a lost message, a run that died) are queued again.
///
/// # Errors
/// When D1 fails.
pub async fn enqueue_waiting(env: &Env, db: &D1Database) -> EdgeResult<usize> {
    #[derive(Deserialize)]
    struct Row {
        brand_id: String,
    }
    let cutoff = now_ms() - 120_000;
    let rows: Vec<Row> = stmt(db, "SELECT DISTINCT brand_id FROM import_photos WHERE (state = 'pending' AND created_at < ?1) OR (state = 'fetching' AND claimed_at < ?1) LIMIT 20", &[int(cutoff)])?
        .all_rows()
        .await
        .map_err(|e| EdgeError::store("waiting import photos", e))?
        .results()
        .map_err(|e| EdgeError::store("waiting import photos rows", e))?;
    join_all(rows.iter().map(|r| enqueue(env, &r.brand_id))).await;
    Ok(rows.len())
}

#[derive(Deserialize)]
struct Claimed {
    n: i64,
    testimonial_id: String,
    url: String,
    attempts: i64,
}

/// The `IMPORTS` queue's consumer: fetches up to [`PHOTOS_PER_RUN`] of the
/// brand's photos at once, stores each through the upload pipeline (size
/// cap, `photo::clean`, R2), attaches them in their order, and queues the
/// brand again while more wait.
pub async fn fetch_photos(env: &Env, brand: &str) {
    let Ok(db) = env.d1("DB") else { return };
    let Ok(bucket) = env.bucket("MEDIA") else {
        console_warn!("no MEDIA bucket: import photos wait");
        return;
    };
    let now = now_ms();
    let claimed: Vec<Claimed> = match stmt(&db, sql::CLAIM_PHOTOS, &[int(now), brand.into(), int(PHOTOS_PER_RUN)]) {
        Ok(s) => match s.all_rows().await.and_then(|r| r.results()) {
            Ok(rows) => rows,
            Err(e) => {
                console_warn!("claiming import photos for {brand} failed: {e}");
                return;
            }
        },
        Err(_) => return,
    };
    if claimed.is_empty() {
        return;
    }
    let policy = crate::jobs::target_policy(env);
    let fetched = join_all(claimed.iter().map(|c| fetch_one(&c.url, policy))).await;
    let mut attached = false;
    for (c, got) in claimed.iter().zip(fetched) {
        let outcome = match got {
            Ok(bytes) => store_one(&bucket, &db, brand, c, &bytes, now).await,
            Err(e) => Err(e),
        };
        let done = match &outcome {
            Ok(()) => {
                attached = true;
                stmt(&db, "DELETE FROM import_photos WHERE rowid = ?1", &[int(c.n)])
            }
            Err(Failure::Retry(e)) if c.attempts < PHOTO_ATTEMPTS => stmt(&db, "UPDATE import_photos SET state = 'pending', error = ?2 WHERE rowid = ?1", &[int(c.n), e.as_str().into()]),
            Err(Failure::Retry(e) | Failure::Final(e)) => stmt(&db, "UPDATE import_photos SET state = 'failed', error = ?2 WHERE rowid = ?1", &[int(c.n), e.as_str().into()]),
        };
        if let Ok(s) = done {
            if let Err(e) = s.run_metered().await {
                console_warn!("import photo {}: state not saved: {e}", c.n);
            }
        }
    }
    if attached {
        if let Ok(b) = BrandId::parse(brand) {
            if let Err(e) = widget::changed(&db, &b).await {
                console_warn!("import photos for {brand}: copies not renewed: {}", e.into_api_error());
            }
        }
    }
    // More may wait: the next message takes them.
    enqueue(env, brand).await;
}

enum Failure {
    /// The network or the other side, maybe for a moment.
    Retry(String),
    /// Not an image Kindred takes, too large, not allowed: never better.
    Final(String),
}

async fn fetch_one(url: &str, policy: kindred_core::webhook::TargetPolicy) -> Result<Vec<u8>, Failure> {
    kindred_core::webhook::check_target(url, policy).map_err(|e| Failure::Final(e.replace("webhook", "photo")))?;
    let controller = AbortController::default();
    let signal = controller.signal();
    let req = Request::new(url, worker::Method::Get).map_err(|e| Failure::Final(e.to_string()))?;
    let fetch = Fetch::Request(req);
    let send = Box::pin(fetch.send_with_signal(&signal));
    let timeout = Box::pin(Delay::from(Duration::from_millis(PHOTO_TIMEOUT_MS)));
    let mut resp = match select(send, timeout).await {
        Either::Left((Ok(r), _)) => r,
        Either::Left((Err(e), _)) => return Err(Failure::Retry(e.to_string())),
        Either::Right(_) => {
            controller.abort();
            return Err(Failure::Retry(format!("no answer within {} s", PHOTO_TIMEOUT_MS / 1000)));
        }
    };
    match resp.status_code() {
        200 => {}
        s @ (408 | 429 | 500..=599) => return Err(Failure::Retry(format!("HTTP {s}"))),
        s => return Err(Failure::Final(format!("HTTP {s}"))),
    }
    let too_large = || Failure::Final(format!("over {} MB", MAX_BYTES / (1024 * 1024)));
    if resp.headers().get("content-length").ok().flatten().and_then(|l| l.parse::<usize>().ok()).is_some_and(|l| l > MAX_BYTES) {
        controller.abort();
        return Err(too_large());
    }
    let bytes = resp.bytes().await.map_err(|e| Failure::Retry(e.to_string()))?;
    if bytes.len() > MAX_BYTES {
        return Err(too_large());
    }
    Ok(bytes)
}

async fn store_one(bucket: &worker::Bucket, db: &D1Database, brand: &str, c: &Claimed, bytes: &[u8], now: i64) -> Result<(), Failure> {
    let photo = clean(bytes).map_err(|e| Failure::Final(e.message))?;
    let id = new_id().map_err(|e| Failure::Retry(e.into_api_error().message))?;
    crate::store::media::put(bucket, db, &id, brand, &photo, now).await.map_err(|e| Failure::Retry(e.into_api_error().message))?;
    let view = PhotoView { url: format!("/v1/photos/{id}"), id: id.clone(), width: photo.width, height: photo.height };
    let view = serde_json::to_string(&view).map_err(|e| Failure::Final(e.to_string()))?;
    let statements = vec![
        stmt(db, "UPDATE photos SET testimonial_id = ?2 WHERE id = ?1 AND brand_id = ?3 AND testimonial_id IS NULL", &[id.as_str().into(), c.testimonial_id.as_str().into(), brand.into()]),
        stmt(db, sql::ATTACH, &[id.as_str().into(), c.testimonial_id.as_str().into(), brand.into(), view.into()]),
    ];
    let statements: Vec<_> = statements.into_iter().collect::<EdgeResult<_>>().map_err(|e| Failure::Retry(e.into_api_error().message))?;
    batch(db, statements).await.map_err(|e| Failure::Retry(e.to_string()))?;
    Ok(())
}
