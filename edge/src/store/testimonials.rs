//! Testimonials in D1: the public feed (filtered, sorted, cursor-paged),
//! submissions, moderation and helpful votes.

use super::Metered;
use super::{int, opt, stmt};
use crate::errors::{EdgeError, EdgeResult};
use kindred_core::photo::PhotoView;
use kindred_core::testimonial::{AdminTestimonial, Cursor, FeedQuery, Sort, Status, ValidTestimonial};
use kindred_core::widget::{FeedPage, TestimonialView};
use kindred_core::BrandId;
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{console_warn, D1Database, D1PreparedStatement};

#[derive(Deserialize)]
pub struct FeedRow {
    pub id: String,
    pub author_name: String,
    pub rating: i64,
    pub title: String,
    pub body: String,
    pub tags: String,
    pub photos: String,
    pub verified_buyer: i64,
    pub ambassador: i64,
    pub featured: i64,
    pub helpful_count: i64,
    pub created_at: i64,
    /// The feed's tie-breaker (`testimonials.seq`), for the next cursor.
    pub seq: i64,
}

fn json_list<T: serde::de::DeserializeOwned>(id: &str, what: &str, json: &str) -> Vec<T> {
    serde_json::from_str(json).unwrap_or_else(|e| {
        console_warn!("testimonial {id}: {what} is not a JSON list: {e}");
        Vec::new()
    })
}

fn clamp_u8(n: i64) -> u8 {
    u8::try_from(n.clamp(1, 5)).unwrap_or(5)
}

fn clamp_u32(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

impl FeedRow {
    pub fn into_view(self) -> TestimonialView {
        TestimonialView {
            tags: json_list(&self.id, "tags", &self.tags),
            photos: json_list(&self.id, "photos", &self.photos),
            rating: clamp_u8(self.rating),
            helpful_count: clamp_u32(self.helpful_count),
            id: self.id,
            author_name: self.author_name,
            title: self.title,
            body: self.body,
            verified_buyer: self.verified_buyer != 0,
            ambassador: self.ambassador != 0,
            featured: self.featured != 0,
            created_at: self.created_at,
        }
    }
}

/// The feed query (`kindred_core::sql::feed`): approved only, filtered,
/// one row more than a page (to know whether there is a next page).
pub fn feed_statement(db: &D1Database, brand: &BrandId, q: &FeedQuery) -> EdgeResult<D1PreparedStatement> {
    super::prepared(db, &kindred_core::sql::feed(brand.as_str(), q))
}

/// Turns the rows of `feed_statement` into a page with its next cursor.
pub fn feed_page(rows: Vec<FeedRow>, q: &FeedQuery) -> FeedPage {
    let limit = q.limit as usize;
    let next_cursor = if rows.len() > limit {
        limit.checked_sub(1).and_then(|i| rows.get(i)).map(|r| {
            let key = match q.sort {
                Sort::Newest => r.featured,
                Sort::Highest => r.rating,
                Sort::Helpful => r.helpful_count,
            };
            Cursor { sort: q.sort, key, created_at: r.created_at, seq: r.seq }.encode()
        })
    } else {
        None
    };
    let testimonials = rows.into_iter().take(limit).map(FeedRow::into_view).collect();
    FeedPage { testimonials, next_cursor }
}

pub async fn feed(db: &D1Database, brand: &BrandId, q: &FeedQuery) -> EdgeResult<FeedPage> {
    let rows = feed_statement(db, brand, q)?
        .all_rows()
        .await
        .map_err(|e| EdgeError::store("feed query", e))?
        .results::<FeedRow>()
        .map_err(|e| EdgeError::store("feed rows", e))?;
    Ok(feed_page(rows, q))
}

/// Photos uploaded for this brand and not yet attached, among `ids`.
pub async fn unattached_photos(db: &D1Database, brand: &BrandId, ids: &[String]) -> EdgeResult<Vec<PhotoView>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    #[derive(Deserialize)]
    struct Row {
        id: String,
        width: i64,
        height: i64,
    }
    let args: Vec<JsValue> = ids.iter().map(|i| JsValue::from_str(i)).collect();
    let rows: Vec<Row> = super::all_in(
        db,
        &[brand.as_str().into()],
        &args,
        |list| format!("SELECT id, width, height FROM photos WHERE brand_id = ?1 AND testimonial_id IS NULL AND thread_id IS NULL AND id IN ({list})"),
        "photos lookup",
    )
    .await?;
    // Keep the shopper's order.
    Ok(ids
        .iter()
        .filter_map(|id| rows.iter().find(|r| &r.id == id))
        .map(|r| PhotoView {
            id: r.id.clone(),
            url: format!("/v1/photos/{}", r.id),
            width: clamp_u32(r.width),
            height: clamp_u32(r.height),
        })
        .collect())
}

/// Everything a submission writes, in one atomic batch.
pub struct Insert<'a> {
    pub id: &'a str,
    pub brand: &'a BrandId,
    pub t: &'a ValidTestimonial,
    pub photos: &'a [PhotoView],
    pub status: Status,
    pub verified: bool,
    pub identity_sub: Option<&'a str>,
    pub member: Option<&'a str>,
    pub now: i64,
    /// (key, response JSON) to remember for retries.
    pub idempotency: Option<(&'a str, &'a str)>,
}

pub async fn insert(db: &D1Database, i: Insert<'_>) -> EdgeResult<()> {
    let tags = serde_json::to_string(&i.t.tags).map_err(|e| EdgeError::internal("encode tags", e))?;
    let photos = serde_json::to_string(i.photos).map_err(|e| EdgeError::internal("encode photos", e))?;
    let moderated = if i.status == Status::Pending { JsValue::NULL } else { int(i.now) };
    let mut statements = vec![stmt(db, "INSERT INTO testimonials (id, brand_id, product_id, author_name, author_email, rating, title, body, \
             tags, photos, verified_buyer, identity_sub, member_token, status, created_at, moderated_at, author_email_canonical) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)", &[
            i.id.into(),
            i.brand.as_str().into(),
            opt(i.t.product.as_ref().map(|p| p.as_str())),
            i.t.display_name.as_str().into(),
            i.t.email.as_str().into(),
            int(i64::from(i.t.rating)),
            i.t.title.as_str().into(),
            i.t.body.as_str().into(),
            tags.into(),
            photos.into(),
            int(i64::from(i.verified)),
            opt(i.identity_sub),
            opt(i.member),
            i.status.as_str().into(),
            int(i.now),
            moderated,
            kindred_core::referral::canonical_email(&i.t.email).into(),
        ])?];
    for p in i.photos {
        statements.push(
            stmt(db, "UPDATE photos SET testimonial_id = ?1 WHERE id = ?2 AND brand_id = ?3 AND testimonial_id IS NULL AND thread_id IS NULL", &[i.id.into(), p.id.as_str().into(), i.brand.as_str().into()])?,
        );
    }
    if i.status == Status::Approved {
        // Published at once: the brand's first-paint copies follow.
        statements.push(super::brands::copy_version_bump(db, i.brand.as_str())?);
    }
    if let Some((key, response)) = i.idempotency {
        statements.push(
            stmt(db, "INSERT INTO idempotency_keys (brand_id, key, response, created_at) VALUES (?1, ?2, ?3, ?4)", &[i.brand.as_str().into(), key.into(), response.into(), int(i.now)])?,
        );
    }
    super::batch(db, statements).await.map_err(|e| {
        if super::is_unique_violation(&e, "idempotency_keys") {
            EdgeError::api(kindred_core::ErrorCode::Conflict, "a submission with this idempotency key is in progress")
        } else {
            EdgeError::store("insert testimonial", e)
        }
    })?;
    Ok(())
}

#[derive(Deserialize)]
struct Response {
    response: String,
}

/// The stored answer for an idempotency key, if this key was used before.
pub async fn idempotent_response(db: &D1Database, brand: &BrandId, key: &str) -> EdgeResult<Option<String>> {
    stmt(db, "SELECT response FROM idempotency_keys WHERE brand_id = ?1 AND key = ?2", &[brand.as_str().into(), key.into()])?
        .first_row::<Response>()
        .await
        .map(|r| r.map(|r| r.response))
        .map_err(|e| EdgeError::store("idempotency lookup", e))
}

#[derive(Deserialize)]
struct AdminRow {
    id: String,
    product_id: Option<String>,
    author_name: String,
    author_email: Option<String>,
    rating: i64,
    title: String,
    body: String,
    tags: String,
    photos: String,
    verified_buyer: i64,
    featured: i64,
    helpful_count: i64,
    status: String,
    created_at: i64,
}

const ADMIN_COLUMNS: &str = "id, product_id, author_name, author_email, rating, title, body, tags, photos, \
     verified_buyer, featured, helpful_count, status, created_at";

impl AdminRow {
    fn into_admin(self) -> AdminTestimonial {
        AdminTestimonial {
            tags: json_list(&self.id, "tags", &self.tags),
            photos: json_list(&self.id, "photos", &self.photos),
            status: Status::parse(&self.status).unwrap_or(Status::Pending),
            rating: clamp_u8(self.rating),
            helpful_count: clamp_u32(self.helpful_count),
            id: self.id,
            product: self.product_id,
            author_name: self.author_name,
            author_email: self.author_email,
            title: self.title,
            body: self.body,
            verified_buyer: self.verified_buyer != 0,
            featured: self.featured != 0,
            created_at: self.created_at,
        }
    }
}

/// One of the brand's testimonials, any status (moderation).
pub async fn get_admin(db: &D1Database, brand: &BrandId, id: &str) -> EdgeResult<Option<AdminTestimonial>> {
    let row: Option<AdminRow> = stmt(db, format!("SELECT {ADMIN_COLUMNS} FROM testimonials WHERE brand_id = ?1 AND id = ?2"), &[brand.as_str().into(), id.into()])?
        .first_row()
        .await
        .map_err(|e| EdgeError::store("get testimonial", e))?;
    Ok(row.map(AdminRow::into_admin))
}

/// The moderation queue: a brand's testimonials in `status`, newest first.
pub async fn list_admin(
    db: &D1Database,
    brand: &BrandId,
    status: Status,
    cursor: Option<(i64, String)>,
    limit: u32,
) -> EdgeResult<(Vec<AdminTestimonial>, Option<String>)> {
    let (t, i) = cursor.unwrap_or((i64::MAX, String::new()));
    let rows: Vec<AdminRow> = stmt(db, format!(
            "SELECT {ADMIN_COLUMNS} FROM testimonials WHERE brand_id = ?1 AND status = ?2 \
             AND (?5 = '' OR created_at < ?3 OR (created_at = ?3 AND id < ?5)) \
             ORDER BY created_at DESC, id DESC LIMIT ?4"
        ), &[brand.as_str().into(), status.as_str().into(), int(t), int(i64::from(limit) + 1), i.into()])?
        .all_rows()
        .await
        .map_err(|e| EdgeError::store("list testimonials", e))?
        .results()
        .map_err(|e| EdgeError::store("list rows", e))?;
    let mut items: Vec<AdminTestimonial> = rows.into_iter().map(AdminRow::into_admin).collect();
    let next = if items.len() > limit as usize {
        items.truncate(limit as usize);
        items.last().map(|t| format!("{}.{}", t.created_at, t.id))
    } else {
        None
    };
    Ok((items, next))
}

/// Sets status and/or featured on one of the brand's testimonials.
pub async fn moderate(db: &D1Database, brand: &BrandId, id: &str, status: Option<Status>, featured: Option<bool>, now: i64) -> EdgeResult<()> {
    let status = status.map_or(JsValue::NULL, |s| s.as_str().into());
    let featured = featured.map_or(JsValue::NULL, |f| int(i64::from(f)));
    stmt(db, "UPDATE testimonials SET status = COALESCE(?3, status), featured = COALESCE(?4, featured), \
         moderated_at = ?5 WHERE brand_id = ?1 AND id = ?2", &[brand.as_str().into(), id.into(), status, featured, int(now)])?
    .run_metered()
    .await
    .map_err(|e| EdgeError::store("moderate", e))?;
    Ok(())
}

/// Deletes one of the brand's testimonials with its votes (its photos go
/// first: `media::drop_testimonial_photos`).
pub async fn delete(db: &D1Database, brand: &BrandId, id: &str) -> EdgeResult<()> {
    let b: JsValue = brand.as_str().into();
    let t: JsValue = id.into();
    super::batch(db, vec![
        stmt(db, "DELETE FROM helpful_votes WHERE testimonial_id = ?2 AND EXISTS (SELECT 1 FROM testimonials WHERE id = ?2 AND brand_id = ?1)", &[b.clone(), t.clone()])?,
        stmt(db, "DELETE FROM testimonials WHERE brand_id = ?1 AND id = ?2", &[b, t])?,
    ])
    .await
    .map_err(|e| EdgeError::store("delete testimonial", e))?;
    Ok(())
}

/// Records a helpful vote; `Ok(None)` if this voter already voted. Returns
/// the new count.
pub async fn vote(db: &D1Database, brand: &BrandId, id: &str, voter: &str, now: i64) -> EdgeResult<Option<u32>> {
    let result = super::batch(db, vec![
            stmt(db, "INSERT INTO helpful_votes (testimonial_id, voter, created_at) \
                 SELECT id, ?3, ?4 FROM testimonials WHERE brand_id = ?1 AND id = ?2 AND status = 'approved'", &[brand.as_str().into(), id.into(), voter.into(), int(now)])?,
            // `helpful_count` follows by trigger (`votes_on_insert`).
            // The first paint shows helpful counts: its copies follow (only
            // for a vote on an approved testimonial, which the first paint shows).
            stmt(db, "UPDATE brands SET copy_version = copy_version + 1 WHERE id = ?1 \
                 AND EXISTS (SELECT 1 FROM testimonials WHERE id = ?2 AND brand_id = ?1 AND status = 'approved')", &[brand.as_str().into(), id.into()])?,
        ])
        .await;
    if let Err(e) = result {
        return if super::is_unique_violation(&e, "helpful_votes") {
            Ok(None)
        } else {
            Err(EdgeError::store("vote", e))
        };
    }
    #[derive(Deserialize)]
    struct Count {
        helpful_count: i64,
    }
    let count: Option<i64> = stmt(db, "SELECT helpful_count FROM testimonials WHERE brand_id = ?1 AND id = ?2 AND status = 'approved'", &[brand.as_str().into(), id.into()])?
        .first_row::<Count>()
        .await
        .map_err(|e| EdgeError::store("vote count", e))?
        .map(|c| c.helpful_count);
    match count {
        Some(n) => Ok(Some(clamp_u32(n))),
        None => Err(EdgeError::api(kindred_core::ErrorCode::NotFound, "no such approved testimonial")),
    }
}
