//! Photos: the bytes in R2 (`MEDIA`, the platform's object store, local under
//! `wrangler dev`), stripped of metadata before they are stored
//! (`kindred_core::photo::clean`); who may see them, in D1.
//!
//! A photo is public only once what it belongs to is public (an approved
//! testimonial, a visible thread); before that the brand's moderators see
//! it (with the admin key), and a thread's author by a URL given to them
//! (`kindred_core::photo::SignedFor::Author`). Unattached uploads are deleted by the cron
//! job after [`UNATTACHED_TTL_MS`]; a rejected or deleted testimonial's
//! photos go at once.

use super::Metered;
use super::{int, stmt};
use crate::errors::{EdgeError, EdgeResult};
use kindred_core::photo::{Cleaned, ImageKind};
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{console_warn, kv::KvStore, Bucket, D1Database, D1PreparedStatement, D1Result, HttpMetadata};

/// Uploads never attached to a testimonial or thread are deleted after this, ms.
pub const UNATTACHED_TTL_MS: i64 = 24 * 3_600_000;

fn key(id: &str) -> String {
    format!("photos/{id}")
}

/// Stores the cleaned bytes in R2 and the photo's row in D1 (unattached).
///
/// # Errors
/// `unavailable` when R2 or D1 fails (nothing is left half-written: the row
/// is written only after the bytes).
pub async fn put(bucket: &Bucket, db: &D1Database, id: &str, brand: &str, photo: &Cleaned, now: i64) -> EdgeResult<()> {
    put_object(bucket, id, photo).await?;
    let row = stmt(db, "INSERT INTO photos (id, brand_id, content_type, bytes, width, height, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", &[
        id.into(),
        brand.into(),
        photo.kind.content_type().into(),
        int(photo.bytes.len() as i64),
        int(i64::from(photo.width)),
        int(i64::from(photo.height)),
        int(now),
    ])?
    .run_metered()
    .await;
    if let Err(e) = row {
        // No row, no photo: the object would never be served or pruned.
        if let Err(d) = bucket.delete(key(id)).await {
            console_warn!("photo {id}: row failed and the object stays: {d}");
        }
        return Err(EdgeError::store("insert photo", e));
    }
    Ok(())
}

/// The cleaned bytes in R2, typed.
async fn put_object(bucket: &Bucket, id: &str, photo: &Cleaned) -> EdgeResult<()> {
    let meta = HttpMetadata { content_type: Some(photo.kind.content_type().to_owned()), ..Default::default() };
    bucket.put(key(id), photo.bytes.clone()).http_metadata(meta).execute().await.map_err(|e| EdgeError::store("photo put", e))?;
    Ok(())
}

/// Who may see a photo.
pub struct Access {
    pub brand_id: String,
    pub kind: ImageKind,
    /// Its testimonial is approved or its thread is visible.
    pub public: bool,
    /// It belongs to a thread of a private group: only a URL signed for the
    /// group's members (`kindred_core::photo::signed_url`, 1 to 2 hours),
    /// one signed for its author, or the brand's admin key opens it, and no
    /// shared cache may keep it.
    pub members_only: bool,
    /// It belongs to a thread that is shown or waits for moderation: a URL
    /// signed for its author opens it. Not one a moderator hid or deleted,
    /// nor a testimonial's photo.
    pub authors: bool,
}

/// The photo's brand, type and whether it is public; `None` if unknown.
pub async fn access(db: &D1Database, id: &str) -> EdgeResult<Option<Access>> {
    #[derive(Deserialize)]
    struct Row {
        brand_id: String,
        content_type: String,
        public: i64,
        members_only: i64,
        authors: i64,
    }
    let row: Option<Row> = stmt(db, "SELECT p.brand_id, p.content_type, \
           (COALESCE(t.status = 'approved', 0) OR COALESCE(th.status = 'visible', 0)) AS public, \
           COALESCE(g.visibility = 'private', 0) AS members_only, \
           COALESCE(th.status IN ('visible', 'pending'), 0) AS authors \
         FROM photos p LEFT JOIN testimonials t ON t.id = p.testimonial_id LEFT JOIN threads th ON th.id = p.thread_id \
         LEFT JOIN groups g ON g.id = th.group_id \
         WHERE p.id = ?1", &[id.into()])?
    .first_row()
    .await
    .map_err(|e| EdgeError::store("photo lookup", e))?;
    Ok(row.and_then(|r| {
        let kind = ImageKind::from_content_type(&r.content_type)?;
        Some(Access { brand_id: r.brand_id, kind, public: r.public != 0, members_only: r.members_only != 0, authors: r.authors != 0 })
    }))
}

/// Photos stored before R2 lived in KV (`photo:{id}`), unstripped. They
/// are moved on their first read ([`bytes`]) and by the cron job
/// ([`migrate_from_kv`]): cleaned like a new upload, put in R2, their row
/// updated (size as shown) and the KV blob deleted. One that no longer
/// passes the pipeline is deleted.
async fn migrate_one(kv: &KvStore, bucket: &Bucket, db: &D1Database, id: &str) -> EdgeResult<Option<Vec<u8>>> {
    let legacy = format!("photo:{id}");
    let Some(raw) = kv.get(&legacy).bytes().await.map_err(|e| EdgeError::store("legacy photo", e))? else {
        return Ok(None);
    };
    let kept = match kindred_core::photo::clean(&raw) {
        Ok(photo) => {
            put_object(bucket, id, &photo).await?;
            stmt(db, "UPDATE photos SET content_type = ?2, bytes = ?3, width = ?4, height = ?5 WHERE id = ?1", &[
                id.into(),
                photo.kind.content_type().into(),
                int(photo.bytes.len() as i64),
                int(i64::from(photo.width)),
                int(i64::from(photo.height)),
            ])?
            .run_metered()
            .await
            .map_err(|e| EdgeError::store("photo row", e))?;
            Some(photo.bytes)
        }
        Err(_) => {
            stmt(db, "DELETE FROM photos WHERE id = ?1", &[id.into()])?.run_metered().await.map_err(|e| EdgeError::store("photo row", e))?;
            None
        }
    };
    kv.delete(&legacy).await.map_err(|e| EdgeError::store("legacy photo delete", e))?;
    Ok(kept)
}

/// The cron job: moves up to `limit` photos from KV to R2 (see [`migrate_one`]).
///
/// # Errors
/// When KV, R2 or D1 fails (the rest wait for the next run).
pub async fn migrate_from_kv(kv: &KvStore, bucket: &Bucket, db: &D1Database, limit: u64) -> EdgeResult<usize> {
    let page = kv.list().prefix("photo:".to_owned()).limit(limit).execute().await.map_err(|e| EdgeError::store("legacy photos", e))?;
    let mut moved = 0;
    for k in &page.keys {
        if let Some(id) = k.name.strip_prefix("photo:") {
            migrate_one(kv, bucket, db, id).await?;
            moved += 1;
        }
    }
    Ok(moved)
}

/// The photo's bytes from R2 (or, for a photo stored before R2, moved
/// from KV on this first read).
pub async fn bytes(bucket: &Bucket, kv: &KvStore, db: &D1Database, id: &str) -> EdgeResult<Option<Vec<u8>>> {
    let Some(object) = bucket.get(key(id)).execute().await.map_err(|e| EdgeError::store("photo get", e))? else {
        return migrate_one(kv, bucket, db, id).await;
    };
    let Some(body) = object.body() else { return Ok(None) };
    Ok(Some(body.bytes().await.map_err(|e| EdgeError::store("photo body", e))?))
}

/// The statement that attaches a photo to a new thread (in the thread's batch).
pub fn attach_to_thread(db: &D1Database, photo: &str, thread: &str, brand: &str) -> EdgeResult<worker::D1PreparedStatement> {
    stmt(db, "UPDATE photos SET thread_id = ?1 WHERE id = ?2 AND brand_id = ?3 AND testimonial_id IS NULL AND thread_id IS NULL", &[thread.into(), photo.into(), brand.into()])
}

/// The ids a `DELETE … RETURNING id` removed.
#[derive(Deserialize)]
struct Gone {
    id: String,
}

/// Deletes the photos of the brand's `testimonials` (ids, any number):
/// their rows (returning their ids) and the testimonials' lists in one
/// batch (`sql::DROP_PHOTOS`), then their bytes. Returns how many went.
///
/// # Errors
/// `unavailable` when D1 fails (R2 failures are logged: a row-less object is
/// never served).
pub async fn drop_testimonial_photos(bucket: &Bucket, db: &D1Database, brand: &str, testimonials: &[&str]) -> EdgeResult<usize> {
    let ids = super::id_list(testimonials)?;
    let results = super::batch(db, vec![drop_photos(db, brand, &ids)?, stmt(db, kindred_core::sql::DROP_PHOTOS[1], &[brand.into(), ids])?])
        .await
        .map_err(|e| EdgeError::store("drop photos", e))?;
    match results.first() {
        Some(r) => delete_dropped(bucket, r).await,
        None => Ok(0),
    }
}

/// The statement that deletes the photo rows of the brand's testimonials
/// `ids` (a `store::id_list`) and answers their ids, for a batch whose result
/// goes to [`delete_dropped`] (`sql::DROP_PHOTOS`).
pub fn drop_photos(db: &D1Database, brand: &str, ids: &JsValue) -> EdgeResult<D1PreparedStatement> {
    stmt(db, kindred_core::sql::DROP_PHOTOS[0], &[brand.into(), ids.clone()])
}

/// Deletes from R2 the bytes of the photos a [`drop_photos`] statement
/// answered; how many.
///
/// # Errors
/// `unavailable` when its rows cannot be read.
pub async fn delete_dropped(bucket: &Bucket, result: &D1Result) -> EdgeResult<usize> {
    let gone: Vec<Gone> = result.results().map_err(|e| EdgeError::store("dropped photos", e))?;
    let ids: Vec<String> = gone.into_iter().map(|g| g.id).collect();
    delete_objects(bucket, &ids).await;
    Ok(ids.len())
}

/// Deletes photos' objects whose rows are gone: from R2, and a legacy KV
/// copy if one was never moved. `false` when R2 failed (the caller keeps
/// them queued; a row-less object is never served meanwhile).
pub async fn drop_objects(bucket: &Bucket, kv: &KvStore, ids: &[String]) -> bool {
    let keys: Vec<String> = ids.iter().map(|id| key(id)).collect();
    for chunk in keys.chunks(1000) {
        if let Err(e) = bucket.delete_multiple(chunk.to_vec()).await {
            console_warn!("deleting {} photo objects failed (retried by the cron job): {e}", chunk.len());
            return false;
        }
    }
    let legacy = ids.iter().map(|id| async move {
        if let Err(e) = kv.delete(&format!("photo:{id}")).await {
            console_warn!("deleting legacy photo copy {id} failed: {e}");
        }
    });
    futures_util::future::join_all(legacy).await;
    true
}

async fn delete_objects(bucket: &Bucket, ids: &[String]) {
    let keys: Vec<String> = ids.iter().map(|id| key(id)).collect();
    // R2 deletes up to 1,000 keys per call (Cloudflare R2 limits).
    for chunk in keys.chunks(1000) {
        if let Err(e) = bucket.delete_multiple(chunk.to_vec()).await {
            console_warn!("deleting {} photo objects failed: {e}", chunk.len());
        }
    }
}

/// The cron job: deletes uploads never attached within the TTL (at most
/// 500 a run), in one statement, so a photo attached meanwhile stays.
/// Returns how many went.
///
/// # Errors
/// `unavailable` when D1 fails.
pub async fn prune_unattached(bucket: &Bucket, db: &D1Database, now: i64) -> EdgeResult<usize> {
    let gone: Vec<Gone> = stmt(db, "DELETE FROM photos WHERE id IN (SELECT id FROM photos WHERE testimonial_id IS NULL AND thread_id IS NULL \
           AND created_at < ?1 LIMIT 500) RETURNING id", &[int(now - UNATTACHED_TTL_MS)])?
        .all_rows()
        .await
        .map_err(|e| EdgeError::store("prune photos", e))?
        .results()
        .map_err(|e| EdgeError::store("pruned photos", e))?;
    let ids: Vec<String> = gone.into_iter().map(|g| g.id).collect();
    delete_objects(bucket, &ids).await;
    Ok(ids.len())
}
