//! `POST /v1/admin/brands/{brand}/imports`: reviews from another platform,
//! a chunk at a time (`kindred_core::import` has the rules and the SQL),
//! and their photos, fetched by URL in the background (the `IMPORTS`
//! queue, `kindred-imports`): a chunk never waits on someone else's CDN,
//! and a slow or dead photo never fails an import.
//!
//! One chain of queue messages fetches a brand's photos at a time (a lease
//! in `import_runs`), a few at once, with a backoff between attempts, so a
//! 10,000-row import never sends hundreds of requests at once to the
//! platform it came from.

use super::{widget, Ctx};
use crate::auth;
use crate::errors::{EdgeError, EdgeResult};
use crate::http::json_response;
use crate::request::{json, new_id};
use crate::store::{batch, int, now_ms, stmt, Metered};
use futures_util::future::{join_all, select, Either};
use futures_util::StreamExt;
use kindred_core::import::{sql, ImportChunk, ImportPhotos, ImportResult, ImportStatus, ImportUndone, ImportedFile, PhotoFailure, Source, BODY_BYTES_MAX, PHOTO_ATTEMPTS, UNDO_PAGE};
use kindred_core::photo::{clean, PhotoView, MAX_BYTES};
use kindred_core::testimonial::Status;
use kindred_core::BrandId;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::time::Duration;
use worker::{console_warn, AbortController, D1Database, D1PreparedStatement, D1Result, Delay, Env, Fetch, Request, RequestInit, RequestRedirect, Response};

/// Photos one queue message fetches (each a fetch, an R2 put and a D1
/// batch: well under the Workers limit on subrequests per invocation).
const PHOTOS_PER_RUN: i64 = 6;
/// How long one photo may take, redirects and body included, ms.
const PHOTO_DEADLINE_MS: u64 = 20_000;
/// Redirects a photo URL may take (each checked like the first URL).
const PHOTO_REDIRECTS: usize = 3;
/// Bytes of rows per D1 statement: well under D1's 2 MB per bound value.
const STATEMENT_BYTES: usize = 512 * 1024;

/// The `IMPORTS` queue's message: fetch some of this brand's photos.
#[derive(Debug, Serialize, Deserialize)]
pub struct FetchPhotos {
    pub brand: String,
}

/// Splits rows into JSON lists of at most [`STATEMENT_BYTES`] each.
fn packed(rows: &[Value]) -> EdgeResult<Vec<String>> {
    let mut out = Vec::new();
    let mut current: Vec<&Value> = Vec::new();
    let mut size = 0;
    for r in rows {
        let n = r.to_string().len();
        if !current.is_empty() && size + n > STATEMENT_BYTES {
            out.push(serde_json::to_string(&current).map_err(|e| EdgeError::internal("encode import", e))?);
            current.clear();
            size = 0;
        }
        current.push(r);
        size += n + 1;
    }
    if !current.is_empty() {
        out.push(serde_json::to_string(&current).map_err(|e| EdgeError::internal("encode import", e))?);
    }
    Ok(out)
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
    let mut seen = HashSet::new();
    let mut any_approved = false;
    let secret = cx.client_secret();
    let mut read = Vec::new();
    for (i, record) in chunk.records.iter().enumerate() {
        match reader.read(i, record, now) {
            Ok((r, warnings)) => read.push((i, r, warnings)),
            Err(e) => result.failed.push(e),
        }
    }
    // A Kindred record's first home, where this edge holds it, must be
    // the review it says (`kindred_core::import::first_home`).
    // One its author erased (on this edge) is said, not counted as `already`.
    let claims: Vec<Value> = read.iter().enumerate().filter(|(_, (_, r, _))| r.source == Source::Kindred)
        .map(|(n, (_, r, _))| json!({ "n": n, "id": r.source_id, "name": r.display_name, "rating": r.rating, "title": r.title, "body": r.body,
            "erased": kindred_core::import::erasure_tombstone(&secret, &r.source_id) }))
        .collect();
    let mut same: HashMap<usize, (bool, bool)> = HashMap::new();
    let mut gone: HashSet<usize> = HashSet::new();
    if !claims.is_empty() {
        #[derive(Deserialize)]
        struct Home {
            n: usize,
            same: Option<i64>,
            erased: Option<i64>,
        }
        let mut statements = Vec::new();
        for list in packed(&claims)? {
            statements.push(stmt(&db, sql::FIRST_HOMES, &[list.clone().into()])?);
            statements.push(stmt(&db, sql::ERASED_HOMES, &[list.into()])?);
        }
        for (k, r) in batch(&db, statements).await.map_err(|e| EdgeError::store("import first homes", e))?.into_iter().enumerate() {
            for h in r.results::<Home>().map_err(|e| EdgeError::store("import first homes", e))? {
                // FIRST_HOMES's, then ERASED_HOMES's (`n` alone), per list.
                if k % 2 == 0 {
                    same.insert(h.n, (h.same.unwrap_or(0) != 0, h.erased.unwrap_or(0) != 0));
                } else {
                    gone.insert(h.n);
                }
            }
        }
    }
    for (n, (i, mut r, mut warnings)) in read.into_iter().enumerate() {
        let row = reader.first_row.saturating_add(u32::try_from(i).unwrap_or(u32::MAX));
        if gone.contains(&n) {
            let field = if r.kindred_via_id.is_some() { "import_source_id" } else { "id" };
            result.failed.push(kindred_core::import::RowError { row, source_id: Some(r.source_id), field: field.into(), message: "not imported: this review is no longer available where it was first written".into() });
            continue;
        }
        if let Some(&(s, erased)) = same.get(&n) {
            match kindred_core::import::first_home(&mut r, s, erased, row) {
                Ok(w) => warnings.extend(w),
                Err(e) => {
                    result.failed.push(e);
                    continue;
                }
            }
        }
        if !seen.insert((r.source, r.source_id.clone())) {
            result.already += 1; // the same review twice in one chunk
            continue;
        }
        result.warnings.extend(warnings);
        let tid = new_id()?;
        any_approved |= r.status == Status::Approved;
        let src = r.source.as_str();
        // A Kindred record's tombstone here, had the brand written it (`sql::not_own!`).
        // and its erasure's, had its author erased it in any brand of this edge.
        let kindred = r.source == Source::Kindred;
        let gone = kindred.then(|| kindred_core::import::tombstone(&secret, brand_id.as_str(), &r.source_id));
        let erased = kindred.then(|| kindred_core::import::erasure_tombstone(&secret, &r.source_id));
        // A review rejected at the source keeps no photos (as a rejection here).
        if !r.photo_urls.is_empty() && r.status != Status::Rejected {
            photos.push(json!({ "src": src, "sid": r.source_id, "oid": r.kindred_via_id, "gone": gone, "erased": erased, "tid": tid, "urls": r.photo_urls }));
        }
        let tags = serde_json::to_string(&r.tags).map_err(|e| EdgeError::internal("encode tags", e))?;
        rows.push(json!({
            "tid": tid, "src": src, "sid": r.source_id, "oid": r.kindred_via_id, "gone": gone, "erased": erased, "product": r.product, "name": r.display_name,
            "canonical": kindred_core::referral::canonical_email(&r.email), "email": r.email,
            "rating": r.rating, "title": r.title, "body": r.body, "tags": tags, "status": r.status.as_str(),
            "created_at": r.created_at, "reply": r.reply.as_ref().map(|(t, _)| t), "reply_at": r.reply.as_ref().map(|(_, at)| at),
            "note": format!("Rejected on {} before the import", r.source.label()),
        }));
    }
    if !rows.is_empty() {
        let mut statements = Vec::new();
        for list in packed(&photos)? {
            statements.push(stmt(&db, sql::QUEUE_PHOTOS, &[brand_id.as_str().into(), list.into(), int(now)])?);
        }
        let first_insert = statements.len();
        for list in packed(&rows)? {
            let file = reader.file.as_deref().map_or(wasm_bindgen::JsValue::NULL, Into::into);
            statements.push(stmt(&db, sql::INSERT, &[brand_id.as_str().into(), list.into(), int(now), reader.source.as_str().into(), file])?);
        }
        let inserts = first_insert..statements.len();
        if any_approved {
            // Published at once: the brand's first-paint copies follow, in
            // the same transaction (a retry finds them `already`).
            statements.push(crate::store::brands::copy_version_bump(&db, brand_id.as_str())?);
        }
        let results = batch(&db, statements).await.map_err(|e| EdgeError::store("import chunk", e))?;
        #[derive(Deserialize)]
        struct Inserted {
            import_source: String,
            import_source_id: String,
        }
        let mut new: HashSet<(String, String)> = HashSet::new();
        for r in results.get(inserts).unwrap_or_default() {
            for i in r.results::<Inserted>().map_err(|e| EdgeError::store("import rows", e))? {
                new.insert((i.import_source, i.import_source_id));
            }
        }
        result.imported = u32::try_from(new.len()).unwrap_or(u32::MAX);
        result.already += u32::try_from(rows.len().saturating_sub(new.len())).unwrap_or(0);
        let is_new = |p: &Value| new.contains(&(p["src"].as_str().unwrap_or_default().to_owned(), p["sid"].as_str().unwrap_or_default().to_owned()));
        result.photos_queued = photos.iter().filter(|p| is_new(p)).map(|p| p["urls"].as_array().map_or(0, Vec::len) as u32).sum();
        if result.imported > 0 && any_approved {
            widget::forget_isolate(&brand_id);
        }
        if result.photos_queued > 0 {
            start(&cx.env, &db, brand_id.as_str()).await;
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
    struct PerFile {
        source: String,
        file: String,
        n: i64,
    }
    let b = || -> Vec<wasm_bindgen::JsValue> { vec![brand_id.as_str().into()] };
    let listed = kindred_core::import::FILES_LISTED;
    let mut statements = vec![
        stmt(&db, sql::COUNTS, &b())?,
        stmt(&db, sql::FILE_COUNTS, &[brand_id.as_str().into(), int(i64::try_from(listed).unwrap_or(i64::MAX) + 1)])?,
    ];
    statements.extend(photo_statements(&db, &brand_id)?);
    let results = batch(&db, statements).await.map_err(|e| EdgeError::store("import status", e))?;
    let read = |e| EdgeError::store("import status rows", e);
    let mut out = ImportStatus::default();
    if let Some(r) = results.first() {
        for s in r.results::<PerSource>().map_err(read)? {
            out.imported.insert(s.source, json!(s.n));
        }
    }
    if let Some(r) = results.get(1) {
        let files = r.results::<PerFile>().map_err(read)?;
        out.files_more = files.len() > listed;
        out.files = files.into_iter().take(listed)
            .map(|f| ImportedFile { source: f.source, file: f.file, testimonials: u32::try_from(f.n).unwrap_or(0) })
            .collect();
    }
    let photos = photo_results(results.get(2..).unwrap_or_default())?;
    (out.photos_pending, out.photos_failed) = (photos.pending, photos.failed);
    Ok(super::admin::no_store(json_response(200, &out)))
}

/// `GET /v1/admin/brands/{brand}/imports/photos`: the photos part of the
/// status, without its counts (the console polls it while photos are
/// fetched).
pub async fn photos(req: &Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let brand_id = BrandId::parse(brand)?;
    let db = cx.db()?;
    auth::brand_admin(req, &db, &brand_id).await?;
    let results = batch(&db, photo_statements(&db, &brand_id)?).await.map_err(|e| EdgeError::store("import photos", e))?;
    Ok(super::admin::no_store(json_response(200, &photo_results(&results)?)))
}

/// The two reads of the brand's import photos: those still to fetch (a
/// count) and the latest 50 that failed; read by [`photo_results`].
fn photo_statements(db: &D1Database, brand: &BrandId) -> EdgeResult<Vec<D1PreparedStatement>> {
    Ok(vec![
        stmt(db, "SELECT COUNT(*) AS n FROM import_photos WHERE state IN ('pending', 'fetching') AND brand_id = ?1", &[brand.as_str().into()])?,
        stmt(db, "SELECT testimonial_id, url, error FROM import_photos WHERE state = 'failed' AND brand_id = ?1 ORDER BY rowid DESC LIMIT 50", &[brand.as_str().into()])?,
    ])
}

fn photo_results(results: &[D1Result]) -> EdgeResult<ImportPhotos> {
    #[derive(Deserialize)]
    struct Pending {
        n: i64,
    }
    let read = |e| EdgeError::store("import photo rows", e);
    let mut out = ImportPhotos::default();
    if let Some(r) = results.first() {
        out.pending = r.results::<Pending>().map_err(read)?.first().map_or(0, |p| u32::try_from(p.n).unwrap_or(0));
    }
    if let Some(r) = results.get(1) {
        out.failed = r.results::<PhotoFailure>().map_err(read)?;
    }
    Ok(out)
}

/// `DELETE /v1/admin/brands/{brand}/imports/{source}[?file=]`: undoes an
/// import, the testimonials that came through `source` (the file imported: a
/// Kindred export's reviews first written on Judge.me go with `kindred`),
/// or, with `file`, only those that came in that file
/// (`kindred_core::import::ImportChunk::file`; a name no testimonial has
/// deletes nothing and answers `done`),
/// [`UNDO_PAGE`] a call (`kindred_core::import::ImportUndone`),
/// in one batch: their photo rows (`media::drop_photos`; in the same batch,
/// so a photo fetched meanwhile finds its testimonial gone and stays
/// unattached, for the cron job), their source (`sql::UNMARK`: their
/// deletion leaves no tombstone, so the file imports again, while one the
/// brand deleted meanwhile keeps its own), the testimonials with their
/// votes and reply history; then the photos' bytes. `deleted` counts what this call deleted (a call
/// racing another finds some gone). Calling again after a failure goes on
/// where it stopped.
///
/// # Errors
/// `unauthorized` / `forbidden` (a replaced admin key too), `brand_not_found`,
/// `validation_failed` on `file` (blank, or longer than any file's name), `unavailable`.
pub async fn undo(req: &Request, cx: &Ctx, brand: &str, source: &str) -> EdgeResult<Response> {
    use crate::store::media;
    #[derive(Deserialize)]
    struct Next {
        id: String,
    }
    let brand_id = BrandId::parse(brand)?;
    let db = cx.db()?;
    // Deleting a whole source is the brand's own act, not an integration's
    // routine: never by a replaced key still working (helper-80).
    auth::brand_admin_current(req, &db, &brand_id).await?;
    let file = crate::request::query(req)?.into_iter().find(|(k, _)| k == "file").map(|(_, v)| v);
    let mut args = vec![brand.into(), source.into(), int(i64::from(UNDO_PAGE) + 1)];
    let next_sql = match file {
        // As stored: the import normalised it the same way. A blank one is
        // refused, never read as "the whole source".
        Some(f) => {
            let f = kindred_core::text::field(&f, "file", 1, kindred_core::import::FILE_MAX, false)?;
            args.push(f.into());
            sql::UNDO_NEXT_OF_FILE
        }
        None => sql::UNDO_NEXT,
    };
    let next: Vec<Next> = stmt(&db, next_sql, &args)?
        .all_rows()
        .await
        .and_then(|r| r.results())
        .map_err(|e| EdgeError::store("import undo", e))?;
    let page = &next[..next.len().min(UNDO_PAGE as usize)];
    let mut deleted = 0_usize;
    if !page.is_empty() {
        let ids = crate::store::id_list(&page.iter().map(|n| n.id.as_str()).collect::<Vec<_>>())?;
        let mut statements = vec![media::drop_photos(&db, brand, &ids)?, stmt(&db, sql::UNMARK, &[brand.into(), ids.clone()])?];
        statements.extend(crate::store::testimonials::delete_statements(&db, &brand_id, &ids)?);
        let results = batch(&db, statements).await.map_err(|e| EdgeError::store("import undo", e))?;
        if let Some(photos) = results.first() {
            media::delete_dropped(&cx.media()?, photos).await?;
        }
        // The testimonials' own statement (the last of `delete_statements`,
        // after the photos' and `UNMARK`) answers the ids it deleted.
        if let Some(r) = results.get(1 + kindred_core::sql::DELETE_TESTIMONIALS.len()) {
            deleted = r.results::<Value>().map_err(|e| EdgeError::store("import undo rows", e))?.len();
        }
        if deleted > 0 {
            widget::changed(&db, &brand_id).await?;
        }
    }
    let undone = ImportUndone { deleted: u32::try_from(deleted).unwrap_or(UNDO_PAGE), done: next.len() <= page.len() };
    Ok(super::admin::no_store(json_response(200, &undone)))
}

/// Starts the brand's photo chain unless one runs (its lease is held).
async fn start(env: &Env, db: &D1Database, brand: &str) {
    #[derive(Deserialize)]
    struct Held {
        #[allow(dead_code)]
        brand_id: String,
    }
    let got = match stmt(db, sql::LEASE, &[brand.into(), int(now_ms())]) {
        Ok(s) => s.all_rows().await.and_then(|r| r.results::<Held>()).map(|r| !r.is_empty()),
        Err(_) => return,
    };
    match got {
        Ok(true) => enqueue(env, brand).await,
        Ok(false) => {}
        Err(e) => console_warn!("import photos for {brand}: lease not taken ({e}); the cron job will start them"),
    }
}

/// Queues the next run of the brand's photo chain (its lease is held).
async fn enqueue(env: &Env, brand: &str) {
    match env.queue("IMPORTS") {
        Ok(q) => {
            if let Err(e) = q.send(&FetchPhotos { brand: brand.to_owned() }).await {
                console_warn!("import photos for {brand} not queued ({e}); the cron job will start them");
            }
        }
        Err(_) => console_warn!("no IMPORTS queue: import photos wait for the cron job"),
    }
}

/// The cron job: brands with photos due and no chain running (a lost
/// message, a run that died, retries whose time came) are started again.
///
/// # Errors
/// When D1 fails.
pub async fn enqueue_waiting(env: &Env, db: &D1Database) -> EdgeResult<usize> {
    #[derive(Deserialize)]
    struct Row {
        brand_id: String,
    }
    let now = now_ms();
    let rows: Vec<Row> = stmt(
        db,
        "SELECT DISTINCT brand_id FROM import_photos WHERE (state = 'pending' AND COALESCE(retry_at, 0) <= ?1) OR (state = 'fetching' AND claimed_at < ?1 - 120000) LIMIT 20",
        &[int(now)],
    )?
    .all_rows()
    .await
    .map_err(|e| EdgeError::store("waiting import photos", e))?
    .results()
    .map_err(|e| EdgeError::store("waiting import photos rows", e))?;
    for r in &rows {
        start(env, db, &r.brand_id).await;
    }
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
/// cap, `photo::clean`, R2), attaches them, and queues the next run while
/// more are due (else ends the chain: the cron job starts it again when
/// delayed retries come due).
pub async fn fetch_photos(env: &Env, brand: &str) {
    let Ok(db) = env.d1("DB") else { return };
    let Ok(bucket) = env.bucket("MEDIA") else {
        console_warn!("no MEDIA bucket: import photos wait");
        return;
    };
    let now = now_ms();
    // The chain's lease lasts while it runs; runs that never finished give up.
    for (sql, params) in [
        ("UPDATE import_runs SET until = ?2 + 60000 WHERE brand_id = ?1", vec![brand.into(), int(now)]),
        (sql::GIVE_UP, vec![brand.into(), int(now), int(PHOTO_ATTEMPTS)]),
    ] {
        if let Ok(s) = stmt(&db, sql, &params) {
            if let Err(e) = s.run_metered().await {
                console_warn!("import photos for {brand}: {e}");
            }
        }
    }
    let claimed: Vec<Claimed> = match stmt(&db, sql::CLAIM_PHOTOS, &[int(now), brand.into(), int(PHOTOS_PER_RUN), int(PHOTO_ATTEMPTS)]) {
        Ok(s) => match s.all_rows().await.and_then(|r| r.results()) {
            Ok(rows) => rows,
            Err(e) => {
                console_warn!("claiming import photos for {brand} failed: {e}");
                return;
            }
        },
        Err(_) => return,
    };
    let policy = crate::jobs::target_policy(env);
    let fetched = join_all(claimed.iter().map(|c| fetch_one(&c.url, policy))).await;
    let mut attached = false;
    for (c, got) in claimed.iter().zip(fetched) {
        let outcome = match got {
            Ok(bytes) => store_one(&bucket, &db, brand, c, &bytes, now).await,
            Err(e) => Err(e),
        };
        let mine = [int(c.n), int(now)];
        let done = match &outcome {
            Ok(()) => {
                attached = true;
                stmt(&db, "DELETE FROM import_photos WHERE rowid = ?1 AND claimed_at = ?2", &mine)
            }
            Err(Failure::Retry(e, after)) if c.attempts < PHOTO_ATTEMPTS => {
                // 30 s, then 2 min (or what the host asked for).
                let wait = after.unwrap_or(30_000 * 4_i64.pow(u32::try_from(c.attempts.saturating_sub(1)).unwrap_or(0)));
                stmt(&db, "UPDATE import_photos SET state = 'pending', error = ?3, retry_at = ?2 + ?4 WHERE rowid = ?1 AND claimed_at = ?2", &[int(c.n), int(now), e.as_str().into(), int(wait)])
            }
            Err(Failure::Retry(e, _) | Failure::Final(e)) => stmt(&db, "UPDATE import_photos SET state = 'failed', error = ?3 WHERE rowid = ?1 AND claimed_at = ?2", &[int(c.n), int(now), e.as_str().into()]),
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
    #[derive(Deserialize)]
    struct Due {
        n: i64,
    }
    let due = stmt(&db, "SELECT COUNT(*) AS n FROM import_photos WHERE brand_id = ?1 AND state = 'pending' AND COALESCE(retry_at, 0) <= ?2", &[brand.into(), int(now_ms())])
        .ok()
        .map(|s| s.first_row::<Due>());
    let more = match due {
        Some(f) => f.await.ok().flatten().is_some_and(|d| d.n > 0),
        None => false,
    };
    if more {
        enqueue(env, brand).await;
    } else if let Ok(s) = stmt(&db, "DELETE FROM import_runs WHERE brand_id = ?1", &[brand.into()]) {
        let _ = s.run_metered().await;
    }
}

enum Failure {
    /// The network or the other side, maybe for a moment; the host may
    /// say when to come back (ms).
    Retry(String, Option<i64>),
    /// Not an image Kindred takes, too large, not allowed: never better.
    Final(String),
}

/// Fetches a photo: each redirect checked like the URL itself, the body
/// read up to [`MAX_BYTES`], all within [`PHOTO_DEADLINE_MS`].
async fn fetch_one(url: &str, policy: kindred_core::webhook::TargetPolicy) -> Result<Vec<u8>, Failure> {
    let controller = AbortController::default();
    let signal = controller.signal();
    let work = Box::pin(async {
        let mut url = url.to_owned();
        for _ in 0..=PHOTO_REDIRECTS {
            kindred_core::webhook::check_target(&url, policy).map_err(|e| Failure::Final(e.replace("webhook", "photo")))?;
            let mut init = RequestInit::new();
            init.with_redirect(RequestRedirect::Manual);
            let req = Request::new_with_init(&url, &init).map_err(|e| Failure::Final(e.to_string()))?;
            let fetch = Fetch::Request(req);
            let mut resp = fetch.send_with_signal(&signal).await.map_err(|e| Failure::Retry(e.to_string(), None))?;
            let status = resp.status_code();
            let header = |name: &str| resp.headers().get(name).ok().flatten();
            match status {
                301 | 302 | 303 | 307 | 308 => {
                    let to = header("location").ok_or_else(|| Failure::Final(format!("HTTP {status} without a Location")))?;
                    url = url::Url::parse(&url).and_then(|u| u.join(&to)).map(String::from).map_err(|e| Failure::Final(format!("redirect to {to:?}: {e}")))?;
                    continue;
                }
                200 => {}
                408 | 429 | 500..=599 => {
                    let after = header("retry-after").and_then(|s| s.trim().parse::<i64>().ok()).map(|s| s.clamp(1, 3600) * 1000);
                    return Err(Failure::Retry(format!("HTTP {status}"), after));
                }
                s => return Err(Failure::Final(format!("HTTP {s}"))),
            }
            let too_large = || Failure::Final(format!("over {} MB", MAX_BYTES / (1024 * 1024)));
            if header("content-length").and_then(|l| l.parse::<usize>().ok()).is_some_and(|l| l > MAX_BYTES) {
                return Err(too_large());
            }
            let mut stream = resp.stream().map_err(|e| Failure::Retry(e.to_string(), None))?;
            let mut bytes = Vec::new();
            while let Some(chunk) = stream.next().await {
                let chunk = chunk.map_err(|e| Failure::Retry(e.to_string(), None))?;
                if bytes.len() + chunk.len() > MAX_BYTES {
                    return Err(too_large());
                }
                bytes.extend_from_slice(&chunk);
            }
            return Ok(bytes);
        }
        Err(Failure::Final(format!("more than {PHOTO_REDIRECTS} redirects")))
    });
    let deadline = Box::pin(Delay::from(Duration::from_millis(PHOTO_DEADLINE_MS)));
    let outcome = match select(work, deadline).await {
        Either::Left((outcome, _)) => outcome,
        Either::Right(_) => {
            controller.abort();
            Err(Failure::Retry(format!("not fetched within {} s", PHOTO_DEADLINE_MS / 1000), None))
        }
    };
    outcome
}

async fn store_one(bucket: &worker::Bucket, db: &D1Database, brand: &str, c: &Claimed, bytes: &[u8], now: i64) -> Result<(), Failure> {
    let photo = clean(bytes).map_err(|e| Failure::Final(e.message))?;
    let retry = |m: String| Failure::Retry(m, None);
    let id = new_id().map_err(|e| retry(e.into_api_error().message))?;
    crate::store::media::put(bucket, db, &id, brand, &photo, now).await.map_err(|e| retry(e.into_api_error().message))?;
    let view = PhotoView { url: format!("/v1/photos/{id}"), id: id.clone(), width: photo.width, height: photo.height };
    let view = serde_json::to_string(&view).map_err(|e| Failure::Final(e.to_string()))?;
    let statements = vec![
        stmt(db, sql::ATTACH, &[id.as_str().into(), c.testimonial_id.as_str().into(), brand.into(), view.into(), int(c.n), int(now)]),
        stmt(db, sql::ATTACH_ROW, &[id.as_str().into(), c.testimonial_id.as_str().into(), brand.into()]),
    ];
    let statements: Vec<_> = statements.into_iter().collect::<EdgeResult<_>>().map_err(|e| retry(e.into_api_error().message))?;
    batch(db, statements).await.map_err(|e| retry(e.to_string()))?;
    Ok(())
}
