//! The referral program in D1. Coupon hand-out is one UPDATE that picks and
//! marks a row in the same statement, inside a batch (a transaction), so two
//! concurrent requests can never receive the same code.

use super::Metered;
use super::{int, opt, stmt};
use crate::errors::{EdgeError, EdgeResult};
use kindred_core::page::After;
use kindred_core::referral::{BoardRow, ConversionStatus, ConversionView, ReferrerStats, RewardState, RewardView};
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};


fn n32(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

#[derive(Debug, Clone, Deserialize)]
pub struct ReferrerRow {
    pub id: String,
    pub brand_id: String,
    pub code: String,
    pub name: String,
    pub canonical_email: String,
    pub member_token: Option<String>,
    pub identity_sub: Option<String>,
    /// Their personal note for friends, its status and when it was written.
    pub note: Option<String>,
    pub note_status: Option<String>,
    pub note_at: Option<i64>,
}

impl ReferrerRow {
    /// The note as its writer sees it (`None` without one).
    pub fn note_view(&self) -> Option<kindred_core::referral::NoteView> {
        let status = kindred_core::testimonial::Status::parse(self.note_status.as_deref()?).ok()?;
        Some(kindred_core::referral::NoteView { text: self.note.clone()?, status, written_at: self.note_at.unwrap_or_default() })
    }

    /// The note a friend may read: approved only.
    pub fn approved_note(&self) -> Option<String> {
        self.note.clone().filter(|_| self.note_status.as_deref() == Some("approved"))
    }
}

/// The shopper a referrer's own change is for: their browser's member
/// token and brand identity subject, as the referrer was found by
/// ([`referrer_of`]); a change is written only while the row is still theirs.
#[derive(Debug, Clone, Copy)]
pub struct Holder<'a> {
    pub member: Option<&'a str>,
    pub identity: Option<&'a str>,
}

/// Writes the referrer's (`id`) own changes in one transaction, while it is
/// still `holder`'s (`sql::SET_REFERRER_NAME`, `sql::SET_NOTE`): a new
/// `name`, and their note with its status or its removal (`Some(None)`).
/// `Ok(None)` when the row is no longer theirs (erased, or moved to another
/// browser, meanwhile: nothing written); else when the note was written,
/// when `note` set one.
///
/// # Errors
/// `unavailable` when D1 fails (nothing is written).
pub async fn edit(db: &D1Database, id: &str, holder: Holder<'_>, name: Option<&str>, note: Option<Option<(&str, kindred_core::testimonial::Status)>>, now: i64) -> EdgeResult<Option<Option<i64>>> {
    #[derive(Deserialize)]
    struct At {
        note_at: Option<i64>,
    }
    let mut writes = Vec::new();
    if let Some(name) = name {
        writes.push(stmt(db, sql::SET_REFERRER_NAME, &[id.into(), name.into(), opt(holder.member), opt(holder.identity)])?);
    }
    if let Some(note) = note {
        let (text, status) = match note {
            Some((t, s)) => (t.into(), s.as_str().into()),
            None => (JsValue::NULL, JsValue::NULL),
        };
        writes.push(stmt(db, sql::SET_NOTE, &[id.into(), text, status, int(now), opt(holder.member), opt(holder.identity)])?);
    }
    if writes.is_empty() {
        return Ok(Some(None));
    }
    let done = super::batch(db, writes).await.map_err(|e| EdgeError::store("edit referrer", e))?;
    // Both statements carry the same guard: the first tells for both.
    if !super::first_wrote(&done) {
        return Ok(None);
    }
    let at = match (note.is_some(), done.last()) {
        (true, Some(r)) => r.results::<At>().map_err(|e| EdgeError::store("edit referrer", e))?.into_iter().next().and_then(|a| a.note_at),
        _ => None,
    };
    Ok(Some(at))
}

/// A page of brand `brand`'s notes with `status`, newest first, after
/// `after` (`(written_at, code)` of the last note seen).
///
/// # Errors
/// `unavailable` when D1 fails.
pub async fn note_queue(
    db: &D1Database,
    brand: &str,
    status: kindred_core::testimonial::Status,
    after: Option<(i64, String)>,
    limit: u32,
) -> EdgeResult<Vec<kindred_core::referral::AdminNote>> {
    let (at, code) = after.unwrap_or((i64::MAX, String::new()));
    stmt(db, sql::NOTE_QUEUE, &[brand.into(), status.as_str().into(), int(at), code.into(), limit.into()])?
        .all_rows()
        .await
        .map_err(|e| EdgeError::store("note queue", e))?
        .results()
        .map_err(|e| EdgeError::store("note rows", e))
}

/// Brand `brand`'s referrer `code` with their note, for the brand; `None`
/// when there is no such referrer or they have no note.
///
/// # Errors
/// `unavailable` when D1 fails.
pub async fn admin_note(db: &D1Database, brand: &str, code: &str) -> EdgeResult<Option<kindred_core::referral::AdminNote>> {
    stmt(db, sql::NOTE_BY_CODE, &[brand.into(), code.into()])?.first_row().await.map_err(|e| EdgeError::store("note", e))
}

/// A moderator's decision on a note, made only if its words are still the
/// ones written at `seen` (when given). Whether it was made.
///
/// # Errors
/// `unavailable` when D1 fails.
pub async fn decide_note(
    db: &D1Database,
    brand: &str,
    code: &str,
    rejection: Option<&kindred_core::moderation::Rejection>,
    seen: Option<i64>,
) -> EdgeResult<bool> {
    let status = if rejection.is_some() { "rejected" } else { "approved" };
    let reason = opt(rejection.map(|r| r.reason.as_str()));
    let note = opt(rejection.and_then(|r| r.note.as_deref()));
    let r = stmt(db, sql::DECIDE_NOTE, &[brand.into(), code.into(), status.into(), reason, note, seen.map_or(JsValue::NULL, int)])?
        .run_metered()
        .await
        .map_err(|e| EdgeError::store("decide note", e))?;
    Ok(super::changed(&r) > 0)
}

use kindred_core::sql::{self, REFERRER_COLUMNS};

/// The referrer's own best published testimonial for `brand`
/// (`kindred_core::sql::referrer_voice`): by their brand identity when they
/// joined signed in, else by the member token and email they joined with.
///
/// # Errors
/// `unavailable` when D1 fails.
pub async fn referrer_voice(db: &D1Database, brand: &str, r: &ReferrerRow) -> EdgeResult<Option<kindred_core::widget::TestimonialView>> {
    let (member, identity) = match (&r.identity_sub, &r.member_token) {
        (Some(sub), _) => (None, Some(sub.as_str())),
        (None, Some(token)) => (Some(token.as_str()), None),
        (None, None) => return Ok(None),
    };
    let row: Option<super::testimonials::FeedRow> = stmt(db, sql::referrer_voice(), &[brand.into(), opt(member), opt(identity), r.canonical_email.as_str().into()])?
        .first_row()
        .await
        .map_err(|e| EdgeError::store("referrer voice", e))?;
    Ok(row.map(super::testimonials::FeedRow::into_view))
}

async fn one_referrer(stmt: D1PreparedStatement) -> EdgeResult<Option<ReferrerRow>> {
    stmt.first_row().await.map_err(|e| EdgeError::store("referrer lookup", e))
}

pub async fn referrer_by_code(db: &D1Database, code: &str) -> EdgeResult<Option<ReferrerRow>> {
    one_referrer(stmt(db, sql::REFERRER_BY_CODE, &[code.into()])?).await
}

pub async fn referrer_by_email(db: &D1Database, brand: &str, canonical: &str) -> EdgeResult<Option<ReferrerRow>> {
    one_referrer(
        stmt(db, format!("SELECT {REFERRER_COLUMNS} FROM referrers WHERE brand_id = ?1 AND canonical_email = ?2"), &[brand.into(), canonical.into()])?,
    )
    .await
}

/// The shopper's own referral: by brand identity first, else by member token.
pub async fn referrer_of(db: &D1Database, brand: &str, member: Option<&str>, identity: Option<&str>) -> EdgeResult<Option<ReferrerRow>> {
    if let Some(sub) = identity {
        let r = one_referrer(
            stmt(db, sql::REFERRER_BY_IDENTITY, &[brand.into(), sub.into()])?,
        )
        .await?;
        if r.is_some() {
            return Ok(r);
        }
    }
    match member {
        Some(m) => {
            one_referrer(
                stmt(db, sql::REFERRER_BY_MEMBER, &[brand.into(), m.into()])?,
            )
            .await
        }
        None => Ok(None),
    }
}

pub struct NewReferrer<'a> {
    pub id: &'a str,
    pub brand: &'a str,
    pub code: &'a str,
    pub name: &'a str,
    pub email: &'a str,
    pub canonical: &'a str,
    pub member: Option<&'a str>,
    pub identity: Option<&'a str>,
    /// The keyed hash of the address they signed up from (`Public::client`),
    /// kept `kindred_core::referral::REFERRER_CLIENT_KEEP_MS`; `None`
    /// without a usable address (all of those share one key).
    pub client: Option<&'a str>,
    pub now: i64,
}

/// Gives the code made signed out under an email to the customer the brand
/// vouches owns that email (`identity`, with `member` their browser's
/// token), under the name and spelling of the email they typed (the board
/// shows the name: never the one the other person chose); `Ok(false)` if it
/// was made signed in meanwhile (no longer anyone's to take), or they hold
/// one made signed in already (`sql::VOUCHED_OWNER_TAKES`).
pub async fn vouched_owner_takes(db: &D1Database, id: &str, identity: &str, member: Option<&str>, name: &str, email: &str) -> EdgeResult<bool> {
    let take = stmt(db, sql::VOUCHED_OWNER_TAKES, &[
        id.into(),
        identity.into(),
        opt(member),
        name.into(),
        email.into(),
    ])?;
    Ok(super::changes(take, "referrer owner").await? > 0)
}

/// The referrer "Email me my link" would send the link of
/// (`sql::LINK_TARGET`), with its last request.
#[derive(Debug, Clone, Deserialize)]
pub struct LinkTarget {
    pub id: String,
    /// Its approved referred purchases (`referral::link_email_bucket`).
    pub purchases: u32,
    pub link_request_id: Option<String>,
    pub link_issued_at: Option<i64>,
    pub link_requested_at: Option<i64>,
}

impl LinkTarget {
    /// Its last link, for `referral::link_email`.
    pub fn last(&self) -> Option<kindred_core::referral::LastLink<'_>> {
        Some(kindred_core::referral::LastLink { id: self.link_request_id.as_deref()?, issued_at: self.link_issued_at?, emailed_at: self.link_requested_at? })
    }
}

/// # Errors
/// When D1 fails.
pub async fn link_target(db: &D1Database, brand: &str, canonical: &str) -> EdgeResult<Option<LinkTarget>> {
    stmt(db, sql::LINK_TARGET, &[brand.into(), canonical.into()])?.first_row().await.map_err(|e| EdgeError::store("referral link target", e))
}

/// The email of a referral link, as [`request_link`] records it.
pub struct LinkRequestRow<'a> {
    pub target: &'a LinkTarget,
    /// The request id the email's token signs (the last one again while it
    /// works, else new: `referral::link_email`).
    pub id: &'a str,
    /// The webhook delivery's id.
    pub delivery: &'a str,
    /// Where `referral.link_requested` goes (`referral.webhook_url`).
    pub url: &'a str,
    /// The link the email carries (the landing page with the token).
    pub link_url: &'a str,
    /// The edge's origin, for the referrer's share URL.
    pub origin: &'a str,
    pub now: i64,
}

/// Records the link's email and schedules it (`sql::REQUEST_LINK`, one
/// batch: the guards are there). `Ok(true)` when a delivery was scheduled.
///
/// # Errors
/// When D1 fails.
pub async fn request_link(db: &D1Database, r: LinkRequestRow<'_>) -> EdgeResult<bool> {
    use kindred_core::referral::{LINK_EVERY_MS, LINK_TTL_MS};
    let [take, schedule] = sql::REQUEST_LINK;
    let take = stmt(db, take, &[r.target.id.as_str().into(), opt(r.target.link_request_id.as_deref()), r.id.into(), int(r.now), int(r.now - LINK_EVERY_MS)])?;
    let schedule = stmt(db, schedule, &[
        r.target.id.as_str().into(),
        r.delivery.into(),
        r.url.into(),
        r.origin.into(),
        r.id.into(),
        int(r.now),
        r.link_url.into(),
        // Its first email's 24 hours: the same link sent again keeps them.
        int(r.target.last().filter(|l| l.id == r.id).map_or(r.now, |l| l.issued_at) + LINK_TTL_MS),
    ])?;
    let results = super::batch(db, vec![take, schedule]).await.map_err(|e| EdgeError::store("referral link request", e))?;
    Ok(super::first_wrote(&results))
}

/// Moves the referrer whose live link request is `request` to `member`
/// (`sql::OPEN_LINK`; `identity`: the shopper's brand identity subject, if
/// signed in): the referrer as moved, or `Ok(None)` when the link does not
/// work, or the shopper holds another link.
///
/// # Errors
/// When D1 fails.
pub async fn open_link(db: &D1Database, brand: &str, request: &str, member: &str, identity: Option<&str>, now: i64) -> EdgeResult<Option<ReferrerRow>> {
    one_referrer(stmt(db, sql::OPEN_LINK, &[brand.into(), request.into(), member.into(), int(now - kindred_core::referral::LINK_TTL_MS), opt(identity)])?).await
}

/// Whether link request `request` still works (`sql::LINK_REQUEST_LIVE`).
///
/// # Errors
/// When D1 fails.
pub async fn link_request_live(db: &D1Database, brand: &str, request: &str, now: i64) -> EdgeResult<bool> {
    let found: Option<serde_json::Value> = stmt(db, sql::LINK_REQUEST_LIVE, &[brand.into(), request.into(), int(now - kindred_core::referral::LINK_TTL_MS)])?
        .first_row()
        .await
        .map_err(|e| EdgeError::store("referral link request", e))?;
    Ok(found.is_some())
}

/// What [`create_referrer`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Created {
    /// The referrer is in.
    Yes,
    /// The email (or, rarely, the code) is taken.
    Taken,
    /// The shopper holds a link already (made meanwhile by another request).
    Held,
}

/// Inserts a referrer (`sql::INSERT_REFERRER`).
///
/// # Errors
/// `unavailable` when D1 fails.
pub async fn create_referrer(db: &D1Database, r: NewReferrer<'_>) -> EdgeResult<Created> {
    let res = stmt(db, sql::INSERT_REFERRER, &[r.id.into(), r.brand.into(), r.code.into(), r.name.into(), r.email.into(), r.canonical.into(), opt(r.member), opt(r.identity), int(r.now), opt(r.client)])?
        .run_metered()
        .await;
    match res {
        Ok(done) if super::changed(&done) > 0 => Ok(Created::Yes),
        Ok(_) => Ok(Created::Held),
        Err(e) if super::is_unique_violation(&e, "referrers") => Ok(Created::Taken),
        Err(e) => Err(EdgeError::store("create referrer", e)),
    }
}

#[derive(Deserialize)]
struct Count {
    n: i64,
}

#[derive(Deserialize)]
struct RewardRow {
    coupon_code: Option<String>,
    state: RewardState,
    created_at: i64,
}

fn count(res: &worker::D1Result) -> EdgeResult<u32> {
    Ok(res.results::<Count>().map_err(|e| EdgeError::store("count", e))?.first().map_or(0, |c| n32(c.n)))
}

/// Clicks, friends, purchases and rewards of one referrer (one round trip).
pub async fn stats(db: &D1Database, referrer: &ReferrerRow) -> EdgeResult<(ReferrerStats, u32)> {
    let r: JsValue = referrer.id.as_str().into();
    let own = owner_params(referrer);
    let results = super::batch(db, vec![
            stmt(db, sql::REFERRER_COUNTS, std::slice::from_ref(&r))?,
            stmt(db, sql::REFERRER_REWARDS, &[r])?,
            stmt(db, sql::AUTHOR_TESTIMONIALS, &[own[0].clone(), own[1].clone(), own[2].clone(), own[3].clone(), int(sql::AUTHOR_TESTIMONIALS_CAP)])?,
        ])
        .await
        .map_err(|e| EdgeError::store("referrer stats", e))?;
    let [counts, rewards, testimonials] = results.as_slice() else {
        return Err(EdgeError::internal("referrer stats", "short batch"));
    };
    #[derive(Deserialize)]
    struct Counts {
        clicks: i64,
        friends: i64,
        purchases: i64,
    }
    let counts = counts.results::<Counts>().map_err(|e| EdgeError::store("referrer counts", e))?.into_iter().next().unwrap_or(Counts { clicks: 0, friends: 0, purchases: 0 });
    let rewards = rewards
        .results::<RewardRow>()
        .map_err(|e| EdgeError::store("rewards", e))?
        .into_iter()
        .map(|r| RewardView { coupon_code: r.coupon_code, state: r.state, created_at: r.created_at })
        .collect();
    Ok((ReferrerStats { clicks: n32(counts.clicks), friends: n32(counts.friends), purchases: n32(counts.purchases), rewards }, count(testimonials)?))
}

/// One visit through a referral link, as the redirect queues it.
#[derive(Debug, Clone, serde::Serialize, Deserialize)]
pub struct Click {
    pub code: String,
    /// Unix ms.
    pub at: i64,
    /// The visit: a keyed hash of the code and the visitor's address
    /// (`kindred_core::limits::client_hash`: neither can be read from it,
    /// so nothing of a referrer whose data is erased stays in the window);
    /// `None` in a click queued before clicks named one (each counted).
    #[serde(default)]
    pub client: Option<String>,
}

/// How long one visitor's clicks on one link count once: an hour, in ms.
pub const CLICK_WINDOW_MS: i64 = 3_600_000;

/// Adds a batch of clicks to the referrers' counters: one `UPDATE` per code
/// in the batch (one D1 batch in all), however many hits it holds. A
/// visitor counts once per link per hour ([`CLICK_WINDOW_MS`]: a window
/// in `rate_limits` under `k:<client>`, pruned with the others;
/// helper-88: 200 hits from one address made 200 clicks); each click still
/// moves the code's latest click (`last_click_at`, the attribution
/// window's fallback start).
pub async fn record_clicks(db: &D1Database, clicks: &[Click]) -> EdgeResult<()> {
    // Each visitor's first click on a code in its hour, once per batch.
    let mut visits: Vec<(String, i64)> = Vec::new();
    for c in clicks {
        if let Some(client) = &c.client {
            let key = (format!("k:{client}"), c.at - c.at.rem_euclid(CLICK_WINDOW_MS));
            if !visits.contains(&key) {
                visits.push(key);
            }
        }
    }
    let mut new_visits: Vec<&(String, i64)> = Vec::new();
    if !visits.is_empty() {
        let inserts = visits
            .iter()
            .map(|(bucket, window)| stmt(db, "INSERT INTO rate_limits (bucket, window_start, count) VALUES (?1, ?2, 1) ON CONFLICT (bucket, window_start) DO NOTHING", &[bucket.as_str().into(), int(*window)]))
            .collect::<EdgeResult<Vec<_>>>()?;
        let results = super::batch(db, inserts).await.map_err(|e| EdgeError::store("click visitors", e))?;
        new_visits = visits.iter().zip(&results).filter(|(_, r)| super::changed(r) > 0).map(|(v, _)| v).collect();
    }
    let mut per_code: Vec<(&str, i64, i64)> = Vec::new();
    for c in clicks {
        // A click without a visitor counts; one with counts if its visit
        // is new, once.
        let counts = match &c.client {
            None => true,
            Some(client) => {
                let key = (format!("k:{client}"), c.at - c.at.rem_euclid(CLICK_WINDOW_MS));
                match new_visits.iter().position(|v| **v == key) {
                    Some(i) => {
                        new_visits.swap_remove(i);
                        true
                    }
                    None => false,
                }
            }
        };
        match per_code.iter_mut().find(|(code, _, _)| *code == c.code) {
            Some(entry) => {
                entry.1 += i64::from(counts);
                entry.2 = entry.2.max(c.at);
            }
            None => per_code.push((&c.code, i64::from(counts), c.at)),
        }
    }
    if per_code.is_empty() {
        return Ok(());
    }
    let statements = per_code
        .iter()
        .map(|(code, n, last)| {
            stmt(
                db,
                "UPDATE referrers SET clicks = clicks + ?2, last_click_at = MAX(COALESCE(last_click_at, 0), ?3) WHERE code = ?1",
                &[(*code).into(), int(*n), int(*last)],
            )
        })
        .collect::<EdgeResult<Vec<_>>>()?;
    super::batch(db, statements).await.map_err(|e| EdgeError::store("record clicks", e))?;
    Ok(())
}

#[derive(Deserialize)]
pub struct ClaimRow {
    pub coupon_code: Option<String>,
    pub created_at: i64,
}

/// The friend's claim: the one this member token made on this referrer's
/// code, else the one made from this client (see
/// `kindred_core::limits::client_key`) on any of the brand's codes since
/// `since` (the attribution window). One welcome offer per friend and
/// brand, so claiming many codes (or rotating member tokens) takes no more.
pub async fn existing_claim(db: &D1Database, brand: &str, referrer: &str, member: &str, client: &str, since: i64) -> EdgeResult<Option<ClaimRow>> {
    stmt(
        db,
        sql::EXISTING_CLAIM,
        &[brand.into(), referrer.into(), member.into(), client.into(), int(since)],
    )?
    .first_row()
    .await
    .map_err(|e| EdgeError::store("claim lookup", e))
}


/// Records a friend's claim and hands them a coupon from the pool (or the
/// static code). Returns the claim; `coupon_code` is `None` when the pool is
/// dry. One batch (a D1 transaction, run serially): the claim is inserted
/// only if this member and this client have none on this code, and a coupon
/// is taken only for an inserted claim, so concurrent claims from one client
/// (rotating member tokens) share one coupon.
/// A friend's claim on `referrer`'s code: `client` and `network` are the
/// keyed hashes of its address and of its network (`Public::network`).
#[allow(clippy::too_many_arguments)]
pub async fn claim(db: &D1Database, id: &str, brand: &str, referrer: &str, member: &str, client: &str, network: Option<&str>, static_coupon: Option<&str>, now: i64, since: i64) -> EdgeResult<ClaimRow> {
    super::batch(db, vec![
        stmt(
            db,
            sql::INSERT_CLAIM,
            &[id.into(), brand.into(), referrer.into(), member.into(), client.into(), int(now), int(since), opt(network), int(now - kindred_core::referral::REFERRER_CLIENT_KEEP_MS)],
        )?,
        stmt(
            db,
            format!("{} AND EXISTS (SELECT 1 FROM referral_claims WHERE id = ?3)", sql::TAKE_COUPON),
            &[brand.into(), "referee".into(), id.into(), int(now)],
        )?,
        stmt(
            db,
            "UPDATE referral_claims SET coupon_code = COALESCE((SELECT code FROM coupons WHERE brand_id = ?2 AND assigned_to = ?1), ?3) WHERE id = ?1",
            &[id.into(), brand.into(), opt(static_coupon)],
        )?,
    ])
    .await
    .map_err(|e| EdgeError::store("claim", e))?;
    existing_claim(db, brand, referrer, member, client, since).await?.ok_or_else(|| EdgeError::internal("claim", "claim vanished"))
}

/// The claim of the friend who holds pool coupon `coupon` on `referrer`'s
/// code, if one did (the pool's row names the claim it went to; a static
/// coupon is every friend's, and names none).
pub struct BuyerClaim {
    /// When they claimed it, ms.
    pub created_at: i64,
    /// Claims on the code from their network in the hour up to theirs, as
    /// counted then (`None` without a usable address).
    pub network_claims: Option<u32>,
    /// Whether they claimed from the address the referrer signed up from,
    /// in the day after (`referral_claims.from_referrer`).
    pub from_referrer: bool,
}

pub async fn claim_by_coupon(db: &D1Database, brand: &str, referrer: &str, coupon: &str) -> EdgeResult<Option<BuyerClaim>> {
    #[derive(Deserialize)]
    struct Row {
        created_at: i64,
        network_claims: Option<i64>,
        from_referrer: Option<i64>,
    }
    let row: Option<Row> = stmt(db, sql::CLAIM_BY_COUPON, &[brand.into(), referrer.into(), coupon.into()])?
        .first_row()
        .await
        .map_err(|e| EdgeError::store("claim by coupon", e))?;
    Ok(row.map(|r| BuyerClaim {
        created_at: r.created_at,
        network_claims: r.network_claims.map(|n| u32::try_from(n).unwrap_or(u32::MAX)),
        from_referrer: r.from_referrer.unwrap_or(0) > 0,
    }))
}

/// Whether the brand has any friend coupons at all (to tell "dry" from "none").
pub async fn has_pool(db: &D1Database, brand: &str, kind: &str) -> EdgeResult<bool> {
    let c: Option<Count> = stmt(db, sql::HAS_POOL, &[brand.into(), kind.into()])?
        .first_row()
        .await
        .map_err(|e| EdgeError::store("pool", e))?;
    Ok(c.is_some_and(|c| c.n > 0))
}

/// Hands reward codes to the rewards that waited for one (`pending_coupon`:
/// approved while the reward pool was dry), the oldest first, 50 a batch,
/// until none waits or the pool is dry again. Returns how many were issued.
/// The referrer's panel shows the code from then on; the `reward.issued`
/// webhook, if any, went out at the approval.
pub async fn issue_waiting_rewards(db: &D1Database, brand: &str, now: i64) -> EdgeResult<u32> {
    #[derive(Deserialize)]
    struct Waiting {
        id: String,
    }
    let mut issued = 0;
    loop {
        let waiting: Vec<Waiting> = stmt(db, sql::WAITING_REWARDS, &[brand.into(), int(50)])?
            .all_rows()
            .await
            .map_err(|e| EdgeError::store("waiting rewards", e))?
            .results()
            .map_err(|e| EdgeError::store("waiting reward rows", e))?;
        if waiting.is_empty() {
            return Ok(issued);
        }
        let mut statements = Vec::with_capacity(waiting.len() * 2);
        for w in &waiting {
            statements.extend(issue_reward_coupon(db, brand, &w.id, now)?);
        }
        let results = super::batch(db, statements).await.map_err(|e| EdgeError::store("issue waiting rewards", e))?;
        // Every other statement hands out a code: its changed rows count them.
        let given: u32 = results.iter().step_by(2).map(|r| super::changed(r) as u32).sum();
        issued += given;
        if (given as usize) < waiting.len() {
            return Ok(issued);
        }
    }
}

/// What an upload of coupon codes came to.
pub struct CouponsStored {
    pub added: u32,
    pub already: u32,
    /// Left out: the brand holds them in the other pool.
    pub in_other_pool: Vec<String>,
}

/// Adds coupons (`sql::ADD_COUPONS`, one statement); codes the brand
/// holds already are left alone, and those in the other pool named
/// (`sql::COUPONS_IN_OTHER_POOL`). New reward codes go to the rewards
/// waiting for one first ([`issue_waiting_rewards`]).
pub async fn add_coupons(db: &D1Database, brand: &str, kind: &str, codes: &[String], now: i64) -> EdgeResult<CouponsStored> {
    #[derive(Deserialize)]
    struct Code {
        code: String,
    }
    let list = |codes: &[&str]| super::id_list(codes);
    let all: Vec<&str> = codes.iter().map(String::as_str).collect();
    let added: Vec<Code> = stmt(db, sql::ADD_COUPONS, &[brand.into(), kind.into(), list(&all)?, int(now)])?
        .all_rows()
        .await
        .map_err(|e| EdgeError::store("add coupons", e))?
        .results()
        .map_err(|e| EdgeError::store("added coupons", e))?;
    let new: std::collections::HashSet<&str> = added.iter().map(|a| a.code.as_str()).collect();
    let left: Vec<&str> = all.into_iter().filter(|c| !new.contains(c)).collect();
    let in_other_pool: Vec<String> = if left.is_empty() {
        Vec::new()
    } else {
        let found: Vec<Code> = stmt(db, sql::COUPONS_IN_OTHER_POOL, &[brand.into(), kind.into(), list(&left)?])?
            .all_rows()
            .await
            .map_err(|e| EdgeError::store("coupons in other pool", e))?
            .results()
            .map_err(|e| EdgeError::store("coupons in other pool rows", e))?;
        let found: std::collections::HashSet<&str> = found.iter().map(|f| f.code.as_str()).collect();
        // In the upload's order.
        left.iter().filter(|c| found.contains(*c)).map(|c| (*c).to_owned()).collect()
    };
    let stored = CouponsStored { added: added.len() as u32, already: (left.len() - in_other_pool.len()) as u32, in_other_pool };
    if kind == "reward" && stored.added > 0 {
        issue_waiting_rewards(db, brand, now).await?;
    }
    Ok(stored)
}

pub use kindred_core::referral::CouponPool as PoolRow;

pub async fn pools(db: &D1Database, brand: &str) -> EdgeResult<Vec<PoolRow>> {
    stmt(db, "SELECT kind, SUM(assigned_to IS NULL) AS available, SUM(assigned_to IS NOT NULL) AS assigned \
         FROM coupons WHERE brand_id = ?1 GROUP BY kind", &[brand.into()])?
    .all_rows()
    .await
    .map_err(|e| EdgeError::store("pools", e))?
    .results()
    .map_err(|e| EdgeError::store("pool rows", e))
}

#[derive(Debug, Clone, Deserialize)]
pub struct ConversionRow {
    pub id: String,
    pub order_id: String,
    pub referrer_id: Option<String>,
    pub status: ConversionStatus,
    pub reason: Option<String>,
    pub hold_until: Option<i64>,
    /// When it was reported, ms since the epoch.
    pub created_at: i64,
    pub code: Option<String>,
    pub coupon_code: Option<String>,
    pub reward_state: Option<RewardState>,
    pub reward_created_at: Option<i64>,
    /// The order's value as reported, in minor units of `currency`.
    pub amount_minor: i64,
    pub currency: String,
}

use kindred_core::sql::CONVERSION_SELECT;

impl ConversionRow {
    pub fn view(self) -> ConversionView {
        ConversionView {
            id: self.id,
            order_id: self.order_id,
            status: self.status,
            reason: self.reason,
            referrer_code: self.code,
            reward: self.reward_state.map(|state| RewardView { coupon_code: self.coupon_code, state, created_at: self.reward_created_at.unwrap_or(0) }),
            hold_until: self.hold_until,
            created_at: self.created_at,
        }
    }
}

pub async fn conversion_by_order(db: &D1Database, brand: &str, order: &str) -> EdgeResult<Option<ConversionRow>> {
    stmt(db, format!("{CONVERSION_SELECT} WHERE c.brand_id = ?1 AND c.order_id = ?2"), &[brand.into(), order.into()])?
        .first_row()
        .await
        .map_err(|e| EdgeError::store("conversion lookup", e))
}

pub async fn conversion_by_id(db: &D1Database, brand: &str, id: &str) -> EdgeResult<Option<ConversionRow>> {
    stmt(db, format!("{CONVERSION_SELECT} WHERE c.brand_id = ?1 AND c.id = ?2"), &[brand.into(), id.into()])?
        .first_row()
        .await
        .map_err(|e| EdgeError::store("conversion lookup", e))
}

/// A page of the brand's conversions (`sql::conversions_page`): `limit`
/// rows after `after` (`kindred_core::page`), only those with `status` if
/// given.
pub async fn conversions(db: &D1Database, brand: &str, status: Option<ConversionStatus>, after: Option<&After>, limit: u32) -> EdgeResult<Vec<ConversionView>> {
    let (at, key) = After::bind(after);
    let mut bound = vec![brand.into(), int(at), key.into(), limit.into()];
    bound.extend(status.map(|s| JsValue::from(s.as_str())));
    let rows: Vec<ConversionRow> = stmt(db, sql::conversions_page(status.is_some()), &bound)?
        .all_rows()
        .await
        .map_err(|e| EdgeError::store("conversions", e))?
        .results()
        .map_err(|e| EdgeError::store("conversion rows", e))?;
    Ok(rows.into_iter().map(ConversionRow::view).collect())
}

/// The facts the fraud rules need about a purchase.
#[derive(Clone, Copy)]
pub struct Facts {
    pub earlier_purchases: u32,
    pub earlier_referred: u32,
    pub code_conversions_24h: u32,
    pub last_touch: Option<i64>,
    /// The most claims on the code from one network in the last hour.
    pub claims_from_one_network_1h: u32,
}

pub async fn facts(db: &D1Database, brand: &str, referee: Option<&str>, referrer: &ReferrerRow, now: i64) -> EdgeResult<Facts> {
    let r = opt(referee);
    let results = super::batch(db, vec![
            stmt(db, sql::conversion_facts(), &[brand.into(), r, referrer.id.as_str().into(), int(now - 86_400_000)])?,
            stmt(db, "SELECT MAX(t) AS n FROM (SELECT last_click_at AS t FROM referrers WHERE code = ?1 \
                 UNION ALL SELECT MAX(created_at) FROM referral_claims WHERE referrer_id = ?2)", &[referrer.code.as_str().into(), referrer.id.as_str().into()])?,
            // The busiest network's claims on this code in the last hour.
            stmt(db, "SELECT MAX(n) AS n FROM (SELECT COUNT(*) AS n FROM referral_claims INDEXED BY referral_claims_by_network \
                 WHERE referrer_id = ?1 AND network IS NOT NULL AND created_at >= ?2 GROUP BY network)", &[referrer.id.as_str().into(), int(now - 3_600_000)])?,
        ])
        .await
        .map_err(|e| EdgeError::store("fraud facts", e))?;
    let [counts, d, e] = results.as_slice() else {
        return Err(EdgeError::internal("fraud facts", "short batch"));
    };
    #[derive(Deserialize)]
    struct MaybeCount {
        n: Option<i64>,
    }
    #[derive(Deserialize)]
    struct Counts {
        earlier_purchases: i64,
        earlier_referred: i64,
        code_conversions: i64,
    }
    let counts = counts.results::<Counts>().map_err(|e| EdgeError::store("fraud counts", e))?.into_iter().next().ok_or_else(|| EdgeError::internal("fraud facts", "no counts"))?;
    let n = |v: i64| u32::try_from(v).unwrap_or(u32::MAX);
    let last_touch = d.results::<MaybeCount>().map_err(|e| EdgeError::store("touch", e))?.first().and_then(|m| m.n);
    let busiest = e.results::<MaybeCount>().map_err(|e| EdgeError::store("claims by network", e))?.first().and_then(|m| m.n).unwrap_or(0);
    Ok(Facts {
        earlier_purchases: n(counts.earlier_purchases),
        earlier_referred: n(counts.earlier_referred),
        code_conversions_24h: n(counts.code_conversions),
        last_touch,
        claims_from_one_network_1h: u32::try_from(busiest).unwrap_or(u32::MAX),
    })
}

pub struct NewConversion<'a> {
    pub id: &'a str,
    pub brand: &'a str,
    pub order_id: &'a str,
    pub referrer: Option<&'a str>,
    pub referee: Option<&'a str>,
    pub amount_minor: i64,
    pub currency: &'a str,
    pub status: ConversionStatus,
    pub reason: Option<&'a str>,
    pub hold_until: Option<i64>,
    pub now: i64,
}

/// What became of a conversion sent to [`insert_conversion`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filed {
    /// Written, with its reward if it has one.
    New,
    /// The order was reported already: nothing written.
    Already,
    /// The facts it was decided on changed meanwhile (another purchase of
    /// the buyer or on the code came first): nothing written; decide again.
    Stale,
}

/// Inserts a conversion and its reward in one batch (one transaction),
/// only if the `facts` it was decided on still hold (`sql::insert_conversion`;
/// `None`: a purchase without a code).
pub async fn insert_conversion(db: &D1Database, c: NewConversion<'_>, facts: Option<&Facts>, reward: Option<RewardPlan<'_>>) -> EdgeResult<Filed> {
    let seen = |f: fn(&Facts) -> u32| facts.map_or(JsValue::NULL, |x| int(i64::from(f(x))));
    let mut statements = vec![stmt(db, sql::insert_conversion(), &[
            c.id.into(),
            c.brand.into(),
            c.order_id.into(),
            opt(c.referrer),
            opt(c.referee),
            int(c.amount_minor),
            c.currency.into(),
            c.status.as_str().into(),
            opt(c.reason),
            c.hold_until.map_or(JsValue::NULL, int),
            int(c.now),
            seen(|f| f.earlier_purchases),
            seen(|f| f.earlier_referred),
            seen(|f| f.code_conversions_24h),
        ])?];
    if let Some(plan) = reward {
        statements.extend(reward_statements(db, &plan, "EXISTS (SELECT 1 FROM conversions WHERE id = ?4)")?);
    }
    match super::batch(db, statements).await {
        Ok(results) if super::first_wrote(&results) => Ok(Filed::New),
        Ok(_) => Ok(Filed::Stale),
        Err(e) if super::is_unique_violation(&e, "conversions") => Ok(Filed::Already),
        Err(e) => Err(EdgeError::store("insert conversion", e)),
    }
}

/// How to reward a referrer for one approved conversion.
pub struct RewardPlan<'a> {
    pub id: &'a str,
    pub brand: &'a str,
    pub referrer: &'a str,
    pub conversion: &'a str,
    pub coupon: bool,
    /// (delivery id, url, JSON payload) when a webhook goes out.
    pub webhook: Option<(&'a str, &'a str, &'a str)>,
    pub now: i64,
}

/// The statements that hand reward `reward` the next code of the brand's
/// reward pool, if there is one, and set its state from what it got
/// (`issued`, or `pending_coupon` while the pool is dry). One home for a
/// reward's coupon: at its conversion, and when codes are uploaded later.
fn issue_reward_coupon(db: &D1Database, brand: &str, reward: &str, now: i64) -> EdgeResult<[D1PreparedStatement; 2]> {
    Ok([
        // Only a reward still waiting takes a code: two uploads at once read
        // the same waiting list, and the second finds it served.
        stmt(db, format!("{} AND EXISTS (SELECT 1 FROM rewards WHERE id = ?3 AND state = 'pending_coupon')", sql::TAKE_COUPON), &[brand.into(), "reward".into(), reward.into(), int(now)])?,
        stmt(db, "UPDATE rewards SET coupon_code = (SELECT code FROM coupons WHERE brand_id = ?2 AND assigned_to = ?1), \
             state = CASE WHEN EXISTS (SELECT 1 FROM coupons WHERE brand_id = ?2 AND assigned_to = ?1) THEN 'issued' ELSE 'pending_coupon' END \
             WHERE id = ?1", &[reward.into(), brand.into()])?,
    ])
}

/// The statements that write reward `p`, its coupon and its webhook, each
/// only if the one before it was written. `written` is the SQL condition
/// that the conversion's own statement, earlier in the same batch, took
/// effect (it may name `?4`, the conversion's id): a conversion's insert
/// is skipped when the facts it was decided on changed, and a decision
/// when another came first, and the batch goes on.
fn reward_statements(db: &D1Database, p: &RewardPlan<'_>, written: &str) -> EdgeResult<Vec<D1PreparedStatement>> {
    let state = if p.coupon { RewardState::PendingCoupon } else { RewardState::Webhook }.as_str();
    let mut s = vec![stmt(db, format!("INSERT INTO rewards (id, brand_id, referrer_id, conversion_id, state, created_at) \
         SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE {written}"), &[p.id.into(), p.brand.into(), p.referrer.into(), p.conversion.into(), state.into(), int(p.now)])?];
    if p.coupon {
        s.extend(issue_reward_coupon(db, p.brand, p.id, p.now)?);
    }
    if let Some((id, url, payload)) = p.webhook {
        s.push(
            stmt(db, "INSERT INTO webhook_deliveries (id, brand_id, event, url, payload, next_attempt_at, created_at) \
                 SELECT ?1, ?2, 'reward.issued', ?3, ?4, ?5, ?5 WHERE EXISTS (SELECT 1 FROM rewards WHERE id = ?6)", &[id.into(), p.brand.into(), url.into(), payload.into(), int(p.now), p.id.into()])?,
        );
    }
    Ok(s)
}

/// Moves a held conversion to approved (issuing its reward) or rejected,
/// in one batch (one transaction): an invocation that dies midway leaves
/// it held, to be decided again, never approved without its reward.
/// `Ok(false)` if it was no longer held (someone else decided first; then
/// nothing is written).
pub async fn decide_held(db: &D1Database, brand: &str, id: &str, approve: bool, reason: Option<&str>, reward: Option<RewardPlan<'_>>, now: i64) -> EdgeResult<bool> {
    let status = if approve { ConversionStatus::Approved } else { ConversionStatus::Rejected }.as_str();
    let mut statements = vec![stmt(db, "UPDATE conversions SET status = ?3, reason = COALESCE(?4, reason), decided_at = ?5 WHERE brand_id = ?1 AND id = ?2 AND status = 'held'", &[
        brand.into(),
        id.into(),
        status.into(),
        opt(reason),
        int(now),
    ])?];
    if let (true, Some(plan)) = (approve, reward) {
        // SQLite's `changes()`: the rows the statement just before (this
        // decision) changed, its triggers' rows not counted.
        statements.extend(reward_statements(db, &plan, "changes() > 0")?);
    }
    let results = super::batch(db, statements).await.map_err(|e| EdgeError::store("decide conversion", e))?;
    Ok(super::first_wrote(&results))
}

#[derive(Deserialize)]
pub struct DueHold {
    pub id: String,
    pub brand_id: String,
}

pub async fn due_holds(db: &D1Database, now: i64) -> EdgeResult<Vec<DueHold>> {
    stmt(db, "SELECT id, brand_id FROM conversions WHERE status = 'held' AND hold_until <= ?1 LIMIT 100", &[int(now)])?
        .all_rows()
        .await
        .map_err(|e| EdgeError::store("due holds", e))?
        .results()
        .map_err(|e| EdgeError::store("due hold rows", e))
}

pub use kindred_core::webhook::Delivery;

use kindred_core::sql::DELIVERY_COLUMNS;

/// Takes up to `limit` of the brand's due deliveries for this worker: their
/// next attempt moves to `lease_until`, in one statement, so a delivery is
/// attempted by one worker at a time (another message for the same brand,
/// or the cron job, sees it as not due). An attempt that dies with its
/// worker is retried when the lease ends.
pub async fn claim_due(db: &D1Database, brand: &str, now: i64, lease_until: i64, limit: i64) -> EdgeResult<Vec<Delivery>> {
    stmt(db, format!(
        "UPDATE webhook_deliveries SET next_attempt_at = ?3 WHERE id IN (\
           SELECT id FROM webhook_deliveries WHERE brand_id = ?1 AND status = 'pending' AND next_attempt_at <= ?2 \
           ORDER BY next_attempt_at LIMIT ?4) RETURNING {DELIVERY_COLUMNS}"
    ), &[brand.into(), int(now), int(lease_until), int(limit)])?
    .all_rows()
    .await
    .map_err(|e| EdgeError::store("claim deliveries", e))?
    .results()
    .map_err(|e| EdgeError::store("delivery rows", e))
}

/// Brands with deliveries due (the cron job queues one message per brand).
pub async fn brands_with_due(db: &D1Database, now: i64) -> EdgeResult<Vec<String>> {
    #[derive(Deserialize)]
    struct Row {
        brand_id: String,
    }
    let rows: Vec<Row> = stmt(db, "SELECT DISTINCT brand_id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ?1 LIMIT 500", &[int(now)])?
        .all_rows()
        .await
        .map_err(|e| EdgeError::store("due brands", e))?
        .results()
        .map_err(|e| EdgeError::store("due brand rows", e))?;
    Ok(rows.into_iter().map(|r| r.brand_id).collect())
}

/// A page of the brand's delivery log (`sql::deliveries_page`): `limit`
/// rows after `after` (`kindred_core::page`), only those with `status` if
/// given.
pub async fn deliveries(db: &D1Database, brand: &str, status: Option<kindred_core::webhook::DeliveryStatus>, after: Option<&After>, limit: u32) -> EdgeResult<Vec<Delivery>> {
    let (at, key) = After::bind(after);
    let mut bound = vec![brand.into(), int(at), key.into(), limit.into()];
    bound.extend(status.map(|s| JsValue::from(s.as_str())));
    stmt(db, sql::deliveries_page(status.is_some()), &bound)?
        .all_rows()
        .await
        .map_err(|e| EdgeError::store("deliveries", e))?
        .results()
        .map_err(|e| EdgeError::store("delivery rows", e))
}

/// What one attempt came to.
pub struct Attempted<'a> {
    pub status: kindred_core::webhook::DeliveryStatus,
    pub attempts: i64,
    pub http_status: Option<u16>,
    pub error: Option<&'a str>,
    pub started_at: i64,
    pub duration_ms: i64,
    pub next_attempt_at: i64,
    /// Where the attempt went (the brand's endpoint may have moved since
    /// the delivery was queued).
    pub url: &'a str,
}

pub async fn delivery_result(db: &D1Database, id: &str, a: &Attempted<'_>) -> EdgeResult<()> {
    // A `shopper.erased` notice names an erased customer: its payload is
    // kept only until the delivery ends (`kindred_core::privacy`).
    stmt(db, "UPDATE webhook_deliveries SET status = ?2, attempts = ?3, last_status = ?4, last_error = ?5, next_attempt_at = ?6, \
              last_attempt_at = ?7, last_duration_ms = ?8, url = ?9, \
              payload = CASE WHEN event = 'shopper.erased' AND ?2 != 'pending' THEN '{}' ELSE payload END WHERE id = ?1", &[
        id.into(),
        a.status.as_str().into(),
        int(a.attempts),
        a.http_status.map_or(JsValue::NULL, |s| int(i64::from(s))),
        opt(a.error),
        int(a.next_attempt_at),
        int(a.started_at),
        int(a.duration_ms),
        a.url.into(),
    ])?
    .run_metered()
    .await
    .map_err(|e| EdgeError::store("delivery result", e))?;
    Ok(())
}

/// `sql::AUTHOR_TESTIMONIALS`' and `sql::JUDGE_AMBASSADOR`'s `?1` to `?4`:
/// the referrer's brand, and their identity, or their browser and email
/// (whose testimonials are theirs: `kindred_core::sql`'s `referrers_own!`).
/// The member token is bound only without an identity: the statements'
/// member arm relies on it.
fn owner_params(r: &ReferrerRow) -> [JsValue; 4] {
    let identity = r.identity_sub.as_deref();
    let member = if identity.is_some() { None } else { r.member_token.as_deref() };
    [r.brand_id.as_str().into(), opt(identity), opt(member), r.canonical_email.as_str().into()]
}

/// The statement that gives the ambassador badge to the author of brand
/// `brand`'s testimonial `id` (and to their other approved ones) when
/// they are a referrer who reaches one of the brand's tiers, read from its
/// row when the statement runs; for the batch that approves it
/// (`sql::MARK_AMBASSADOR_OF_REVIEW`).
pub fn mark_ambassador_of_review(db: &D1Database, brand: &str, id: &str) -> EdgeResult<D1PreparedStatement> {
    stmt(db, sql::MARK_AMBASSADOR_OF_REVIEW, &[brand.into(), id.into(), default_tiers()?.into()])
}

/// `kindred_core::referral::default_tiers` as JSON: the tiers of a brand
/// whose stored settings never named any (`sql`'s `brand_tiers!`).
fn default_tiers() -> EdgeResult<String> {
    serde_json::to_string(&kindred_core::referral::default_tiers()).map_err(|e| EdgeError::internal("encode tiers", e))
}

/// The brand's ambassador badges set again from its tiers as stored
/// (after they changed): all taken away, then given to each referrer's
/// approved testimonials whose author reaches a tier, in one batch
/// (`sql::CLEAR_AMBASSADORS`, `sql::MARK_AMBASSADORS`).
pub async fn reset_ambassadors(db: &D1Database, brand: &str) -> EdgeResult<()> {
    let statements = vec![stmt(db, sql::CLEAR_AMBASSADORS, &[brand.into()])?, stmt(db, sql::MARK_AMBASSADORS, &[brand.into(), default_tiers()?.into()])?];
    super::batch(db, statements).await.map_err(|e| EdgeError::store("ambassador badges", e))?;
    Ok(())
}

/// The referrers who wrote brand `brand`'s testimonial `id`, whatever its
/// status (`sql::REVIEW_OWNERS`): usually none, at most one per arm.
pub async fn review_owners(db: &D1Database, brand: &str, id: &str) -> EdgeResult<Vec<ReferrerRow>> {
    stmt(db, sql::REVIEW_OWNERS, &[brand.into(), id.into()])?
        .all_rows()
        .await
        .map_err(|e| EdgeError::store("review owners", e))?
        .results()
        .map_err(|e| EdgeError::store("review owner rows", e))
}

/// Judges each of `owners` again against the brand's tiers as its row
/// holds them when the statement runs, and gives or takes their reviews'
/// ambassador badge (`sql::JUDGE_AMBASSADOR`, one statement each): after
/// a change that can move a referrer across a tier: a purchase approved,
/// one of their reviews rejected or held again (or published) by an edit;
/// an approval's own batch only ever gives it. Returns whether a badge
/// moved.
pub async fn judge_ambassadors(db: &D1Database, owners: &[ReferrerRow]) -> EdgeResult<bool> {
    let mut moved = false;
    let defaults: JsValue = default_tiers()?.into();
    for r in owners {
        let [brand, identity, member, email] = owner_params(r);
        let params = [brand, identity, member, email, r.id.as_str().into(), defaults.clone()];
        moved |= super::changes(stmt(db, sql::JUDGE_AMBASSADOR, &params)?, "ambassador badge").await? > 0;
    }
    Ok(moved)
}

/// A row of `sql::LEADERBOARD`.
#[derive(Deserialize)]
pub(crate) struct LeaderRow {
    name: String,
    n: i64,
    testimonials: i64,
}

impl LeaderRow {
    /// The row as `kindred_core::referral::board` takes it.
    pub(crate) fn entry(self) -> BoardRow {
        BoardRow { name: self.name, referrals: n32(self.n), testimonials: n32(self.testimonials) }
    }
}

/// The brand's top referrers, most approved referred purchases first, as
/// `kindred_core::referral::board` takes them (at most
/// `sql::LEADERBOARD_LISTED`; none when the brand does not show its board).
pub async fn leaderboard(db: &D1Database, brand: &str) -> EdgeResult<Vec<BoardRow>> {
    let rows: Vec<LeaderRow> = stmt(db, sql::LEADERBOARD, &[brand.into(), int(sql::LEADERBOARD_LISTED)])?
        .all_rows()
        .await
        .map_err(|e| EdgeError::store("leaderboard", e))?
        .results()
        .map_err(|e| EdgeError::store("leaderboard rows", e))?;
    Ok(rows.into_iter().map(LeaderRow::entry).collect())
}

/// A page of the brand's referrers with their counts (admin,
/// `sql::REFERRERS_PAGE`): `limit` rows after `after`
/// (`kindred_core::page`).
pub async fn referrers(db: &D1Database, brand: &str, after: Option<&After>, limit: u32) -> EdgeResult<Vec<kindred_core::referral::ReferrerSummary>> {
    let (at, key) = After::bind(after);
    stmt(db, sql::REFERRERS_PAGE, &[brand.into(), int(at), key.into(), limit.into()])?
        .all_rows()
        .await
        .map_err(|e| EdgeError::store("referrers", e))?
        .results()
        .map_err(|e| EdgeError::store("referrer rows", e))
}
