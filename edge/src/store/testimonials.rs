//! Testimonials in D1: the public feed (filtered, sorted, cursor-paged),
//! submissions, moderation and helpful votes.

use super::Metered;
use super::{int, opt, stmt};
use crate::errors::{EdgeError, EdgeResult};
use kindred_core::consent::ConsentVia;
use kindred_core::photo::PhotoView;
use kindred_core::moderation::{MaxHold, PublishedVia, RejectReason, Rejection};
use super::replies::reply;
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
    pub incentivised: i64,
    pub verified_purchase: i64,
    pub reply_body: Option<String>,
    pub reply_at: Option<i64>,
    pub reply_edited_at: Option<i64>,
    pub edited_at: Option<i64>,
    /// Imported from another platform (`core::sql::FEED_COLUMNS`).
    #[serde(default)]
    pub imported: i64,
    /// Written in (`testimonials.lang`), when known.
    #[serde(default)]
    pub lang: Option<String>,
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
    /// The row as the public sees it: every public testimonial view (the
    /// widget, feeds, share pages, JSON-LD) is made here, the author's
    /// name through `text::public_name` (older rows may hold an address).
    pub fn into_view(self) -> TestimonialView {
        TestimonialView {
            tags: json_list(&self.id, "tags", &self.tags),
            photos: json_list(&self.id, "photos", &self.photos),
            rating: clamp_u8(self.rating),
            helpful_count: clamp_u32(self.helpful_count),
            id: self.id,
            author_name: kindred_core::text::public_name(&self.author_name),
            title: self.title,
            body: self.body,
            verified_buyer: self.verified_buyer != 0,
            ambassador: self.ambassador != 0,
            featured: self.featured != 0,
            incentivised: self.incentivised != 0,
            verified_purchase: self.verified_purchase != 0,
            reply: reply(self.reply_body, self.reply_at, self.reply_edited_at),
            edited_at: self.edited_at,
            imported: self.imported != 0,
            lang: self.lang,
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
    pub incentivised: bool,
    /// The purchase-linked review request this was written through, if
    /// any: marked used in the same batch; a concurrent submission through
    /// the same link fails its whole batch on the unique
    /// `testimonials.review_request` (answered `conflict`).
    pub review_request: Option<&'a str>,
    pub identity_sub: Option<&'a str>,
    pub member: Option<&'a str>,
    /// The client's keyed hash (`Public::client`), for the consent log.
    pub client: &'a str,
    pub now: i64,
    /// (key, response JSON) to remember for retries.
    /// (key, the answer, the submission's fingerprint) to keep for retries.
    pub idempotency: Option<(&'a str, &'a str, &'a str)>,
}

/// Inserts a testimonial with everything that goes with it, in one batch
/// (one transaction). The testimonial is written only if each of its photos
/// is still free by then (two submissions sent at once with one photo: the
/// second is refused, `false`); what goes with it (the review request's
/// use, the consent log, the photos' attachment, the stored answer for
/// retries) is written only with it.
pub async fn insert(db: &D1Database, i: Insert<'_>) -> EdgeResult<bool> {
    let tags = serde_json::to_string(&i.t.tags).map_err(|e| EdgeError::internal("encode tags", e))?;
    let photos = serde_json::to_string(i.photos).map_err(|e| EdgeError::internal("encode photos", e))?;
    let photo_ids = super::id_list(&i.photos.iter().map(|p| p.id.as_str()).collect::<Vec<_>>())?;
    let moderated = if i.status == Status::Pending { JsValue::NULL } else { int(i.now) };
    let mut statements = Vec::new();
    statements.push(stmt(db, "INSERT INTO testimonials (id, brand_id, product_id, author_name, author_email, rating, title, body, \
             tags, photos, verified_buyer, identity_sub, member_token, status, created_at, moderated_at, author_email_canonical, \
             published_via, incentivised, verified_purchase, review_request, held_since, reuse_consent_at, lang) \
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20 IS NOT NULL, ?20, ?15, \
             CASE WHEN ?21 THEN ?15 END, ?22 \
             WHERE ?23 = (SELECT COUNT(*) FROM photos WHERE brand_id = ?2 AND testimonial_id IS NULL AND thread_id IS NULL AND id IN (SELECT value FROM json_each(?24)))", &[
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
            if i.status == Status::Approved { PublishedVia::Auto.as_str().into() } else { JsValue::NULL },
            int(i64::from(i.incentivised)),
            opt(i.review_request),
            int(i64::from(i.t.reuse_consent)),
            opt(i.t.lang.as_deref()),
            int(i.photos.len() as i64),
            photo_ids,
        ])?);
    // Each of the following only if the testimonial was written.
    if let Some(request) = i.review_request {
        statements.push(stmt(db, "UPDATE review_requests SET used_at = ?3, testimonial_id = ?4 WHERE id = ?1 AND brand_id = ?2 AND used_at IS NULL \
             AND EXISTS (SELECT 1 FROM testimonials WHERE id = ?4)", &[
            request.into(),
            i.brand.as_str().into(),
            int(i.now),
            i.id.into(),
        ])?);
    }
    if i.t.reuse_consent {
        statements.push(stmt(db, "INSERT INTO reuse_consent_log (brand_id, testimonial_id, granted, via, client, at) SELECT ?1, ?2, 1, 'form', ?3, ?4 \
             WHERE EXISTS (SELECT 1 FROM testimonials WHERE id = ?2)", &[i.brand.as_str().into(), i.id.into(), i.client.into(), int(i.now)])?);
    }
    for p in i.photos {
        statements.push(stmt(
            db,
            "UPDATE photos SET testimonial_id = ?1 WHERE id = ?2 AND brand_id = ?3 AND testimonial_id IS NULL AND thread_id IS NULL AND EXISTS (SELECT 1 FROM testimonials WHERE id = ?1)",
            &[i.id.into(), p.id.as_str().into(), i.brand.as_str().into()],
        )?);
    }
    if i.status == Status::Approved {
        // Published at once: the brand's first-paint copies follow.
        statements.push(super::brands::copy_version_bump(db, i.brand.as_str())?);
        // The ambassador badge when its author is a referrer who reaches
        // one of the brand's tiers (as stored when the batch runs).
        statements.push(super::referrals::mark_ambassador_of_review(db, i.brand.as_str(), i.id)?);
    }
    if let Some((key, response, request)) = i.idempotency {
        statements.push(super::idempotency::remember(db, i.brand.as_str(), key, request, ("testimonials", i.id), super::idempotency::Remembered::Answer(response), i.now)?);
    }
    let results = super::batch(db, statements).await.map_err(|e| {
        if super::idempotency::in_flight(&e) {
            EdgeError::api(kindred_core::ErrorCode::Conflict, "a submission with this idempotency key is in progress")
        } else if super::is_unique_violation(&e, "testimonials") && e.to_string().contains("testimonials.review_request") {
            EdgeError::Api(kindred_core::ApiError::field(kindred_core::ErrorCode::Conflict, "review_token", "a review was already written through this link"))
        } else {
            EdgeError::store("insert testimonial", e)
        }
    })?;
    Ok(super::first_wrote(&results))
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
    published_via: Option<String>,
    reject_reason: Option<String>,
    reject_note: Option<String>,
    incentivised: i64,
    verified_purchase: i64,
    reply_body: Option<String>,
    reply_at: Option<i64>,
    reply_edited_at: Option<i64>,
    edited_at: Option<i64>,
    reuse_consent_at: Option<i64>,
    max_hold_days: i64,
    held_since: Option<i64>,
    import_source: Option<String>,
    import_via: Option<String>,
}

/// With the brand's maximum hold, for `hold_ends_at`.
const ADMIN_COLUMNS: &str = "t.id, t.product_id, t.author_name, t.author_email, t.rating, t.title, t.body, t.tags, t.photos, \
     t.verified_buyer, t.featured, t.helpful_count, t.status, t.created_at, t.published_via, t.reject_reason, t.reject_note, \
     t.incentivised, t.verified_purchase, t.reply_body, t.reply_at, t.reply_edited_at, b.max_hold_days, t.held_since, t.edited_at, t.reuse_consent_at, t.import_source, t.import_via";

impl AdminRow {
    fn into_admin(self) -> AdminTestimonial {
        let status = Status::parse(&self.status).unwrap_or(Status::Pending);
        AdminTestimonial {
            tags: json_list(&self.id, "tags", &self.tags),
            photos: json_list(&self.id, "photos", &self.photos),
            status,
            published_via: self.published_via.as_deref().and_then(PublishedVia::parse).filter(|_| status == Status::Approved),
            reject_reason: self.reject_reason.as_deref().and_then(RejectReason::parse).filter(|_| status == Status::Rejected),
            reject_note: self.reject_note.filter(|_| status == Status::Rejected),
            incentivised: self.incentivised != 0,
            verified_purchase: self.verified_purchase != 0,
            reply: reply(self.reply_body, self.reply_at, self.reply_edited_at),
            edited_at: self.edited_at,
            reuse_consent_at: self.reuse_consent_at,
            hold_ends_at: (status == Status::Pending).then(|| MaxHold::from_column(self.max_hold_days).ends_at(self.held_since.unwrap_or(self.created_at))),
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
            imported_via: self.import_via.filter(|via| self.import_source.as_ref() != Some(via)),
            imported_from: self.import_source,
        }
    }
}

/// One of the brand's testimonials, any status (moderation).
pub async fn get_admin(db: &D1Database, brand: &BrandId, id: &str) -> EdgeResult<Option<AdminTestimonial>> {
    let row: Option<AdminRow> = stmt(db, format!("SELECT {ADMIN_COLUMNS} FROM testimonials t JOIN brands b ON b.id = t.brand_id WHERE t.brand_id = ?1 AND t.id = ?2"), &[brand.as_str().into(), id.into()])?
        .first_row()
        .await
        .map_err(|e| EdgeError::store("get testimonial", e))?;
    Ok(row.map(AdminRow::into_admin))
}

/// Where the brand's testimonial `id` was first written, when it came in a
/// Kindred export: that review's id (`import_source_id`), else `None`.
///
/// # Errors
/// `unavailable` when D1 fails.
pub async fn kindred_first_home(db: &D1Database, brand: &BrandId, id: &str) -> EdgeResult<Option<String>> {
    #[derive(serde::Deserialize)]
    struct Home {
        sid: String,
    }
    let row: Option<Home> = stmt(db, "SELECT import_source_id AS sid FROM testimonials WHERE brand_id = ?1 AND id = ?2 AND import_source = 'kindred'", &[brand.as_str().into(), id.into()])?
        .first_row()
        .await
        .map_err(|e| EdgeError::store("first home", e))?;
    Ok(row.map(|h| h.sid))
}

/// The moderation queue: a brand's testimonials in `status`, newest first.
pub async fn list_admin(
    db: &D1Database,
    brand: &BrandId,
    status: Status,
    filter: &kindred_core::moderation::QueueFilter,
    cursor: Option<(i64, String)>,
    limit: u32,
) -> EdgeResult<(Vec<AdminTestimonial>, Option<String>)> {
    use kindred_core::moderation::{Bound, QUEUE_WALK};
    let (t, i) = cursor.unwrap_or((i64::MAX, String::new()));
    let mut params: Vec<JsValue> = vec![brand.as_str().into(), status.as_str().into(), int(t), int(i64::from(limit) + 1), i.into()];
    // The status's rows from the cursor on, newest first, through
    // `testimonials_moderation`: all of them unfiltered (the page's LIMIT
    // stops the walk), at most QUEUE_WALK when a filter looks through them.
    let window = |n: &str| {
        format!(
            "SELECT * FROM testimonials WHERE brand_id = ?1 AND status = ?2 AND (created_at, id) < (?3, ?5) \
             ORDER BY created_at DESC, id DESC LIMIT {n}"
        )
    };
    let (conds, values) = filter.sql(6);
    params.extend(values.into_iter().map(|v| match v {
        Bound::Text(s) => JsValue::from_str(&s),
        Bound::Int(n) => int(n),
    }));
    let filtered = filter.is_set();
    let page_sql = if filtered {
        format!("SELECT {ADMIN_COLUMNS} FROM ({}) t JOIN brands b ON b.id = t.brand_id WHERE {conds} ORDER BY t.created_at DESC, t.id DESC LIMIT ?4", window(&QUEUE_WALK.to_string()))
    } else {
        format!("SELECT {ADMIN_COLUMNS} FROM ({}) t JOIN brands b ON b.id = t.brand_id ORDER BY t.created_at DESC, t.id DESC", window("?4"))
    };
    let mut statements = vec![stmt(db, page_sql, &params)?];
    if filtered {
        // The walk's last row, which exists only when the walk was cut
        // short (the index alone answers it).
        let end = format!(
            "SELECT created_at, id FROM testimonials WHERE brand_id = ?1 AND status = ?2 AND (created_at, id) < (?3, ?5) \
             ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET {}",
            QUEUE_WALK - 1
        );
        // The window names ?1-?3 and ?5: D1 takes as many values as the highest.
        statements.push(stmt(db, end, params.get(..5).unwrap_or(&params))?);
    }
    let results = super::batch(db, statements).await.map_err(|e| EdgeError::store("list testimonials", e))?;
    let rows: Vec<AdminRow> = results.first().map(|r| r.results()).transpose().map_err(|e| EdgeError::store("list rows", e))?.unwrap_or_default();
    let mut items: Vec<AdminTestimonial> = rows.into_iter().map(AdminRow::into_admin).collect();
    let next = if items.len() > limit as usize {
        items.truncate(limit as usize);
        items.last().map(|t| format!("{}.{}", t.created_at, t.id))
    } else if filtered {
        #[derive(Deserialize)]
        struct End {
            created_at: i64,
            id: String,
        }
        let end: Option<End> = results.get(1).map(|r| r.results::<End>()).transpose().map_err(|e| EdgeError::store("list walk", e))?.and_then(|v| v.into_iter().next());
        end.map(|e| format!("{}.{}", e.created_at, e.id))
    } else {
        None
    };
    Ok((items, next))
}

/// A moderator's decision on one testimonial.
pub enum Decision<'a> {
    Approve,
    Reject(&'a Rejection),
    Feature(bool),
}

/// Applies a moderator's decision to one of the brand's testimonials: an
/// approval is `published_via = moderator` (unless it was already
/// published, which keeps how); a rejection stores its reason and note and
/// unfeatures.
///
/// `seen_edit` is the author's last edit (`edited_at`, 0 for none) as the
/// moderator saw it: when given, the decision applies only if the author
/// has not edited since, in the same statement, so nobody approves words
/// they never read. Returns whether it applied (`false`: edited since, a
/// rejection of one already rejected, or no such testimonial).
///
/// An approval gives the ambassador badge in the same batch when the
/// author is a referrer who reaches one of the brand's tiers (as stored
/// when the batch runs: `referrals::mark_ambassador_of_review`).
pub async fn moderate(db: &D1Database, brand: &BrandId, id: &str, decision: Decision<'_>, seen_edit: Option<i64>, now: i64) -> EdgeResult<bool> {
    let (b, t, at, seen): (JsValue, JsValue, JsValue, JsValue) = (brand.as_str().into(), id.into(), int(now), seen_edit.map_or(JsValue::NULL, int));
    const GUARD: &str = "brand_id = ?1 AND id = ?2 AND (?4 IS NULL OR COALESCE(edited_at, 0) = ?4) RETURNING id";
    let s = match decision {
        Decision::Approve => stmt(db, format!("UPDATE testimonials SET published_via = CASE WHEN status = 'approved' THEN published_via ELSE 'moderator' END, \
             status = 'approved', reject_reason = NULL, reject_note = NULL, moderated_at = ?3 WHERE {GUARD}"), &[b, t, at, seen])?,
        // A rejection's reason is on record (the moderation ledger counts
        // it): a second rejection never rewrites it.
        Decision::Reject(r) => stmt(db, format!("UPDATE testimonials SET status = 'rejected', featured = 0, published_via = NULL, reject_reason = ?5, \
             reject_note = ?6, moderated_at = ?3 WHERE status != 'rejected' AND {GUARD}"), &[b, t, at, seen, r.reason.as_str().into(), opt(r.note.as_deref())])?,
        // Featuring is not a moderation decision: `moderated_at` stays.
        Decision::Feature(f) => stmt(db, format!("UPDATE testimonials SET featured = ?3 WHERE {GUARD}"), &[b, t, int(i64::from(f)), seen])?,
    };
    #[derive(Deserialize)]
    struct Row {
        #[allow(dead_code)]
        id: String,
    }
    let mut statements = vec![s];
    if let Decision::Approve = decision {
        statements.push(super::referrals::mark_ambassador_of_review(db, brand.as_str(), id)?);
    }
    let results = super::batch(db, statements).await.map_err(|e| EdgeError::store("moderate", e))?;
    let rows: Vec<Row> = match results.into_iter().next() {
        Some(r) => r.results().map_err(|e| EdgeError::store("moderate rows", e))?,
        None => Vec::new(),
    };
    Ok(!rows.is_empty())
}

/// The cron job's half of fair moderation (`kindred_core::moderation`):
/// publishes up to `SWEEP_BATCH` pending testimonials whose brand's maximum
/// hold (counted from `held_since`) has ended by `now`, moves those brands'
/// copy versions in the same batch, and returns what it published as
/// `(brand, testimonial)` pairs. The subquery walks each brand's pending
/// testimonials by the `testimonials_holds` index.
pub async fn publish_overdue(db: &D1Database, now: i64) -> EdgeResult<Vec<(String, String)>> {
    use kindred_core::moderation::{DAY_MS, SWEEP_BATCH};
    #[derive(Deserialize)]
    struct Row {
        brand_id: String,
        id: String,
    }
    let results = super::batch(db, vec![
        stmt(db, "UPDATE testimonials SET status = 'approved', published_via = 'max_hold', moderated_at = ?1 \
             WHERE id IN (SELECT t.id FROM brands b JOIN testimonials t ON t.brand_id = b.id AND t.status = 'pending' \
                          AND t.held_since <= ?1 - b.max_hold_days * ?2 LIMIT ?3) AND status = 'pending' \
             RETURNING brand_id, id", &[int(now), int(DAY_MS), int(i64::from(SWEEP_BATCH))])?,
        stmt(db, "UPDATE brands SET copy_version = copy_version + 1 WHERE id IN \
             (SELECT brand_id FROM testimonials WHERE status = 'approved' AND published_via = 'max_hold' AND moderated_at = ?1)", &[int(now)])?,
    ])
    .await
    .map_err(|e| EdgeError::store("publish overdue", e))?;
    let rows: Vec<Row> = match results.into_iter().next() {
        Some(r) => r.results().map_err(|e| EdgeError::store("publish overdue rows", e))?,
        None => Vec::new(),
    };
    Ok(rows.into_iter().map(|r| (r.brand_id, r.id)).collect())
}

/// The per-star moderation ledger's counter rows: `(rating, status, cause, n)`.
pub async fn ledger(db: &D1Database, brand: &BrandId) -> EdgeResult<Vec<(i64, String, String, i64)>> {
    #[derive(Deserialize)]
    struct Row {
        rating: i64,
        status: String,
        cause: String,
        n: i64,
    }
    let rows: Vec<Row> = stmt(db, "SELECT rating, status, cause, n FROM moderation_ledger WHERE brand_id = ?1 AND n > 0", &[brand.as_str().into()])?
        .all_rows()
        .await
        .map_err(|e| EdgeError::store("ledger", e))?
        .results()
        .map_err(|e| EdgeError::store("ledger rows", e))?;
    Ok(rows.into_iter().map(|r| (r.rating, r.status, r.cause, r.n)).collect())
}

/// Deletes the brand's testimonials `ids` with their votes and reply
/// history, and leaves their `tombstones` (`kindred_core::import::
/// tombstone`: a partner's export does not bring them back) and their
/// `erased` ones (`kindred_core::import::erasure_tombstone`: nor into any
/// brand of the edge), in one batch (`delete_statements`; their photos go first:
/// `media::drop_testimonial_photos`).
pub async fn delete(db: &D1Database, brand: &BrandId, ids: &[&str], tombstones: &[String], erased: &[String]) -> EdgeResult<()> {
    let mut statements = delete_statements(db, brand, &super::id_list(ids)?)?;
    statements.push(bury(db, brand.as_str(), tombstones)?);
    if !erased.is_empty() {
        statements.push(bury_erased(db, erased)?);
    }
    super::batch(db, statements).await.map_err(|e| EdgeError::store("delete testimonials", e))?;
    Ok(())
}

/// The statement that leaves brand `brand`'s `tombstones`
/// (`kindred_core::import::sql::BURY`), for the batch that deletes them.
pub fn bury(db: &D1Database, brand: &str, tombstones: &[String]) -> EdgeResult<D1PreparedStatement> {
    let list = serde_json::to_string(tombstones).map_err(|e| EdgeError::internal("tombstone list", e))?;
    stmt(db, kindred_core::import::sql::BURY, &[brand.into(), list.into()])
}

/// The statement that leaves the edge's erasure tombstones `erased`
/// (`kindred_core::import::sql::BURY_ERASED`), for the batch that deletes
/// those testimonials.
pub fn bury_erased(db: &D1Database, erased: &[String]) -> EdgeResult<D1PreparedStatement> {
    let list = serde_json::to_string(erased).map_err(|e| EdgeError::internal("tombstone list", e))?;
    stmt(db, kindred_core::import::sql::BURY_ERASED, &[list.into()])
}

/// The statements that delete the brand's testimonials `ids` (a
/// `store::id_list`) with their votes and reply history, for one batch
/// (`sql::DELETE_TESTIMONIALS`; the last deletes the testimonials).
pub fn delete_statements(db: &D1Database, brand: &BrandId, ids: &JsValue) -> EdgeResult<Vec<D1PreparedStatement>> {
    kindred_core::sql::DELETE_TESTIMONIALS.iter().map(|sql| stmt(db, *sql, &[brand.as_str().into(), ids.clone()])).collect()
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

/// What an edit needs to know of a testimonial: who wrote it and its
/// editable part.
#[derive(Deserialize)]
pub struct AuthorRow {
    pub member_token: Option<String>,
    pub identity_sub: Option<String>,
    pub status: String,
    pub rating: i64,
    pub title: String,
    pub body: String,
    pub tags: String,
    pub verified_buyer: i64,
    pub verified_purchase: i64,
    pub edited_at: Option<i64>,
    /// Written in (`kindred_core::context::written_in`), when known.
    #[serde(default)]
    pub lang: Option<String>,
}

impl AuthorRow {
    pub fn editable(&self, id: &str) -> kindred_core::edit::Editable {
        kindred_core::edit::Editable { rating: clamp_u8(self.rating), title: self.title.clone(), body: self.body.clone(), tags: json_list(id, "tags", &self.tags), lang: self.lang.clone() }
    }
}

pub async fn author_row(db: &D1Database, brand: &BrandId, id: &str) -> EdgeResult<Option<AuthorRow>> {
    stmt(db, "SELECT member_token, identity_sub, status, rating, title, body, tags, verified_buyer, verified_purchase, edited_at, lang \
         FROM testimonials WHERE brand_id = ?1 AND id = ?2", &[brand.as_str().into(), id.into()])?
    .first_row()
    .await
    .map_err(|e| EdgeError::store("testimonial author", e))
}

/// Saves an author's edit if the testimonial is still as `read` (status and
/// `edited_at`: a moderation or another edit in between makes it
/// `Ok(false)`): the previous version into `testimonial_edits`, the new one
/// with `edited_at` and `status` (changed words: a new hold, not featured),
/// in one batch, both statements under the same condition; the feed's
/// facets follow by trigger.
#[allow(clippy::too_many_arguments)]
pub async fn edit(db: &D1Database, brand: &BrandId, id: &str, read: &AuthorRow, before: &kindred_core::edit::Editable, o: &kindred_core::edit::Outcome, status: Status, now: i64) -> EdgeResult<bool> {
    let (b, t): (JsValue, JsValue) = (brand.as_str().into(), id.into());
    let (was, was_edited): (JsValue, JsValue) = (read.status.as_str().into(), read.edited_at.map_or(JsValue::NULL, int));
    let tags = |v: &[String]| serde_json::to_string(v).map_err(|e| EdgeError::internal("encode tags", e));
    let results = super::batch(db, vec![
        stmt(db, "INSERT INTO testimonial_edits (brand_id, testimonial_id, at, rating, title, body, tags) \
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 WHERE EXISTS (SELECT 1 FROM testimonials WHERE brand_id = ?1 AND id = ?2 AND status = ?8 AND edited_at IS ?9)", &[
            b.clone(),
            t.clone(),
            int(now),
            int(i64::from(before.rating)),
            before.title.as_str().into(),
            before.body.as_str().into(),
            tags(&before.tags)?.into(),
            was.clone(),
            was_edited.clone(),
        ])?,
        stmt(db, "UPDATE testimonials SET rating = ?3, title = ?4, body = ?5, tags = ?6, edited_at = ?7, lang = ?12, \
             held_since = CASE WHEN ?8 = 'pending' AND ?9 THEN ?7 ELSE held_since END, \
             published_via = CASE WHEN ?8 != 'approved' THEN NULL WHEN ?9 THEN 'auto' ELSE published_via END, \
             featured = CASE WHEN ?9 THEN 0 ELSE featured END, \
             status = ?8 WHERE brand_id = ?1 AND id = ?2 AND status = ?10 AND edited_at IS ?11", &[
            b,
            t,
            int(i64::from(o.after.rating)),
            o.after.title.as_str().into(),
            o.after.body.as_str().into(),
            tags(&o.after.tags)?.into(),
            int(now),
            status.as_str().into(),
            int(i64::from(o.words_changed)),
            was,
            was_edited,
            // The new words keep the language only if their letters still fit it.
            super::opt(kindred_core::context::written_in(read.lang.as_deref(), &format!("{}\n{}", o.after.title, o.after.body)).as_deref()),
        ])?,
    ])
    .await
    .map_err(|e| EdgeError::store("edit testimonial", e))?;
    let changed = results.get(1).map_or(0, super::changed);
    Ok(changed > 0)
}

/// Grants or withdraws consent to reuse (`kindred_core::consent`): the
/// state and its log entry (how, by which client) in one batch. A grant
/// keeps the first time it was given. Returns when it was given (inner
/// `None`: withdrawn), or `None` for no such testimonial.
pub async fn set_reuse_consent(db: &D1Database, brand: &BrandId, id: &str, reuse: bool, via: ConsentVia, client: Option<&str>, now: i64) -> EdgeResult<Option<Option<i64>>> {
    let (b, t): (JsValue, JsValue) = (brand.as_str().into(), id.into());
    let results = super::batch(db, vec![
        stmt(db, "UPDATE testimonials SET reuse_consent_at = CASE WHEN ?3 THEN COALESCE(reuse_consent_at, ?4) END WHERE brand_id = ?1 AND id = ?2 \
             RETURNING reuse_consent_at", &[b.clone(), t.clone(), int(i64::from(reuse)), int(now)])?,
        stmt(db, "INSERT INTO reuse_consent_log (brand_id, testimonial_id, granted, via, client, at) SELECT ?1, ?2, ?3, ?5, ?6, ?4 \
             WHERE EXISTS (SELECT 1 FROM testimonials WHERE brand_id = ?1 AND id = ?2)", &[b, t, int(i64::from(reuse)), int(now), via.as_str().into(), opt(client)])?,
    ])
    .await
    .map_err(|e| EdgeError::store("reuse consent", e))?;
    #[derive(Deserialize)]
    struct Row {
        reuse_consent_at: Option<i64>,
    }
    let row: Option<Row> = match results.into_iter().next() {
        Some(r) => r.results().map_err(|e| EdgeError::store("reuse consent row", e))?.into_iter().next(),
        None => None,
    };
    Ok(row.map(|r| r.reuse_consent_at))
}
