//! The referral program in D1. Coupon hand-out is one UPDATE that picks and
//! marks a row in the same statement, inside a batch (a transaction), so two
//! concurrent requests can never receive the same code.

use super::{int, opt};
use crate::errors::{EdgeError, EdgeResult};
use kindred_core::referral::{ConversionView, ReferrerStats, RewardView};
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

fn bind(e: worker::Error) -> EdgeError {
    EdgeError::internal("bind referral query", e)
}

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
}

const REFERRER_COLUMNS: &str = "id, brand_id, code, name, canonical_email, member_token, identity_sub";

async fn one_referrer(stmt: D1PreparedStatement) -> EdgeResult<Option<ReferrerRow>> {
    stmt.first(None).await.map_err(|e| EdgeError::store("referrer lookup", e))
}

pub async fn referrer_by_code(db: &D1Database, code: &str) -> EdgeResult<Option<ReferrerRow>> {
    one_referrer(db.prepare(format!("SELECT {REFERRER_COLUMNS} FROM referrers WHERE code = ?1")).bind(&[code.into()]).map_err(bind)?).await
}

pub async fn referrer_by_email(db: &D1Database, brand: &str, canonical: &str) -> EdgeResult<Option<ReferrerRow>> {
    one_referrer(
        db.prepare(format!("SELECT {REFERRER_COLUMNS} FROM referrers WHERE brand_id = ?1 AND canonical_email = ?2"))
            .bind(&[brand.into(), canonical.into()])
            .map_err(bind)?,
    )
    .await
}

/// The shopper's own referral: by brand identity first, else by member token.
pub async fn referrer_of(db: &D1Database, brand: &str, member: Option<&str>, identity: Option<&str>) -> EdgeResult<Option<ReferrerRow>> {
    if let Some(sub) = identity {
        let r = one_referrer(
            db.prepare(format!("SELECT {REFERRER_COLUMNS} FROM referrers WHERE brand_id = ?1 AND identity_sub = ?2 ORDER BY created_at LIMIT 1"))
                .bind(&[brand.into(), sub.into()])
                .map_err(bind)?,
        )
        .await?;
        if r.is_some() {
            return Ok(r);
        }
    }
    match member {
        Some(m) => {
            one_referrer(
                db.prepare(format!("SELECT {REFERRER_COLUMNS} FROM referrers WHERE brand_id = ?1 AND member_token = ?2 ORDER BY created_at LIMIT 1"))
                    .bind(&[brand.into(), m.into()])
                    .map_err(bind)?,
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
    pub now: i64,
}

/// Inserts a referrer; `Ok(false)` if this email (or, rarely, the code) is taken.
pub async fn create_referrer(db: &D1Database, r: NewReferrer<'_>) -> EdgeResult<bool> {
    let res = db
        .prepare(
            "INSERT INTO referrers (id, brand_id, code, name, email, canonical_email, member_token, identity_sub, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )
        .bind(&[r.id.into(), r.brand.into(), r.code.into(), r.name.into(), r.email.into(), r.canonical.into(), opt(r.member), opt(r.identity), int(r.now)])
        .map_err(bind)?
        .run()
        .await;
    match res {
        Ok(_) => Ok(true),
        Err(e) if e.to_string().contains("UNIQUE") => Ok(false),
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
    state: String,
    created_at: i64,
}

fn count(res: &worker::D1Result) -> EdgeResult<u32> {
    Ok(res.results::<Count>().map_err(|e| EdgeError::store("count", e))?.first().map_or(0, |c| n32(c.n)))
}

/// Clicks, friends, purchases and rewards of one referrer (one round trip).
pub async fn stats(db: &D1Database, referrer: &ReferrerRow) -> EdgeResult<(ReferrerStats, u32)> {
    let r: JsValue = referrer.id.as_str().into();
    let results = db
        .batch(vec![
            db.prepare("SELECT COUNT(*) AS n FROM referral_clicks WHERE code = ?1").bind(&[referrer.code.as_str().into()]).map_err(bind)?,
            db.prepare("SELECT COUNT(*) AS n FROM referral_claims WHERE referrer_id = ?1").bind(&[r.clone()]).map_err(bind)?,
            db.prepare("SELECT COUNT(*) AS n FROM conversions WHERE referrer_id = ?1 AND status = 'approved'").bind(&[r.clone()]).map_err(bind)?,
            db.prepare("SELECT coupon_code, state, created_at FROM rewards WHERE referrer_id = ?1 ORDER BY created_at DESC LIMIT 50").bind(&[r]).map_err(bind)?,
            db.prepare("SELECT COUNT(*) AS n FROM testimonials WHERE brand_id = ?1 AND author_email_canonical = ?2 AND status = 'approved'")
                .bind(&[referrer.brand_id.as_str().into(), referrer.canonical_email.as_str().into()])
                .map_err(bind)?,
        ])
        .await
        .map_err(|e| EdgeError::store("referrer stats", e))?;
    let [clicks, friends, purchases, rewards, testimonials] = results.as_slice() else {
        return Err(EdgeError::internal("referrer stats", "short batch"));
    };
    let rewards = rewards
        .results::<RewardRow>()
        .map_err(|e| EdgeError::store("rewards", e))?
        .into_iter()
        .map(|r| RewardView { coupon_code: r.coupon_code, state: r.state, created_at: r.created_at })
        .collect();
    Ok((ReferrerStats { clicks: count(clicks)?, friends: count(friends)?, purchases: count(purchases)?, rewards }, count(testimonials)?))
}

pub async fn record_click(db: &D1Database, code: &str, brand: &str, client: &str, now: i64) -> EdgeResult<()> {
    db.prepare("INSERT INTO referral_clicks (code, brand_id, client, created_at) VALUES (?1, ?2, ?3, ?4)")
        .bind(&[code.into(), brand.into(), client.into(), int(now)])
        .map_err(bind)?
        .run()
        .await
        .map_err(|e| EdgeError::store("record click", e))?;
    Ok(())
}

#[derive(Deserialize)]
pub struct ClaimRow {
    pub coupon_code: Option<String>,
    pub created_at: i64,
}

pub async fn existing_claim(db: &D1Database, referrer: &str, member: &str) -> EdgeResult<Option<ClaimRow>> {
    db.prepare("SELECT coupon_code, created_at FROM referral_claims WHERE referrer_id = ?1 AND member_token = ?2")
        .bind(&[referrer.into(), member.into()])
        .map_err(bind)?
        .first(None)
        .await
        .map_err(|e| EdgeError::store("claim lookup", e))
}

/// Claims from one client on one code in the last hour.
pub async fn recent_claims_from(db: &D1Database, referrer: &str, client: &str, since: i64) -> EdgeResult<u32> {
    let c: Option<Count> = db
        .prepare("SELECT COUNT(*) AS n FROM referral_claims WHERE referrer_id = ?1 AND client = ?2 AND created_at >= ?3")
        .bind(&[referrer.into(), client.into(), int(since)])
        .map_err(bind)?
        .first(None)
        .await
        .map_err(|e| EdgeError::store("claim velocity", e))?;
    Ok(c.map_or(0, |c| n32(c.n)))
}

/// The statement that hands the next available coupon of `kind` to `owner`.
fn take_coupon(db: &D1Database, brand: &str, kind: &str, owner: &str, now: i64) -> EdgeResult<D1PreparedStatement> {
    db.prepare(
        "UPDATE coupons SET assigned_to = ?3, assigned_at = ?4 \
         WHERE brand_id = ?1 AND code = (SELECT code FROM coupons WHERE brand_id = ?1 AND kind = ?2 AND assigned_to IS NULL \
         ORDER BY created_at, code LIMIT 1) AND assigned_to IS NULL",
    )
    .bind(&[brand.into(), kind.into(), owner.into(), int(now)])
    .map_err(bind)
}

/// Records a friend's claim and hands them a coupon from the pool (or the
/// static code). Returns the coupon, `None` when the pool is dry. A second
/// claim by the same friend returns the first one's coupon.
pub async fn claim(db: &D1Database, id: &str, brand: &str, referrer: &str, member: &str, client: &str, static_coupon: Option<&str>, now: i64) -> EdgeResult<ClaimRow> {
    let result = db
        .batch(vec![
            db.prepare("INSERT INTO referral_claims (id, brand_id, referrer_id, member_token, client, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
                .bind(&[id.into(), brand.into(), referrer.into(), member.into(), client.into(), int(now)])
                .map_err(bind)?,
            take_coupon(db, brand, "referee", id, now)?,
            db.prepare("UPDATE referral_claims SET coupon_code = COALESCE((SELECT code FROM coupons WHERE brand_id = ?2 AND assigned_to = ?1), ?3) WHERE id = ?1")
                .bind(&[id.into(), brand.into(), opt(static_coupon)])
                .map_err(bind)?,
        ])
        .await;
    if let Err(e) = result {
        if !e.to_string().contains("UNIQUE") {
            return Err(EdgeError::store("claim", e));
        }
    }
    existing_claim(db, referrer, member).await?.ok_or_else(|| EdgeError::internal("claim", "claim vanished"))
}

/// Whether the brand has any friend coupons at all (to tell "dry" from "none").
pub async fn has_pool(db: &D1Database, brand: &str, kind: &str) -> EdgeResult<bool> {
    let c: Option<Count> = db
        .prepare("SELECT COUNT(*) AS n FROM coupons WHERE brand_id = ?1 AND kind = ?2")
        .bind(&[brand.into(), kind.into()])
        .map_err(bind)?
        .first(None)
        .await
        .map_err(|e| EdgeError::store("pool", e))?;
    Ok(c.is_some_and(|c| c.n > 0))
}

/// Adds coupons; existing codes are left alone. Returns how many were new.
pub async fn add_coupons(db: &D1Database, brand: &str, kind: &str, codes: &[String], now: i64) -> EdgeResult<u32> {
    let mut added = 0;
    for chunk in codes.chunks(50) {
        let statements = chunk
            .iter()
            .map(|c| {
                db.prepare("INSERT OR IGNORE INTO coupons (brand_id, kind, code, created_at) VALUES (?1, ?2, ?3, ?4)")
                    .bind(&[brand.into(), kind.into(), c.as_str().into(), int(now)])
                    .map_err(bind)
            })
            .collect::<EdgeResult<Vec<_>>>()?;
        for r in db.batch(statements).await.map_err(|e| EdgeError::store("add coupons", e))? {
            added += r.meta().ok().flatten().and_then(|m| m.changes).unwrap_or(0) as u32;
        }
    }
    Ok(added)
}

#[derive(Deserialize, serde::Serialize)]
pub struct PoolRow {
    pub kind: String,
    pub available: i64,
    pub assigned: i64,
}

pub async fn pools(db: &D1Database, brand: &str) -> EdgeResult<Vec<PoolRow>> {
    db.prepare(
        "SELECT kind, SUM(assigned_to IS NULL) AS available, SUM(assigned_to IS NOT NULL) AS assigned \
         FROM coupons WHERE brand_id = ?1 GROUP BY kind",
    )
    .bind(&[brand.into()])
    .map_err(bind)?
    .all()
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
    pub status: String,
    pub reason: Option<String>,
    pub hold_until: Option<i64>,
    pub code: Option<String>,
    pub coupon_code: Option<String>,
    pub reward_state: Option<String>,
    pub reward_created_at: Option<i64>,
}

const CONVERSION_SELECT: &str = "SELECT c.id, c.order_id, c.referrer_id, c.status, c.reason, c.hold_until, r.code, \
     w.coupon_code, w.state AS reward_state, w.created_at AS reward_created_at \
     FROM conversions c LEFT JOIN referrers r ON r.id = c.referrer_id LEFT JOIN rewards w ON w.conversion_id = c.id";

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
        }
    }
}

pub async fn conversion_by_order(db: &D1Database, brand: &str, order: &str) -> EdgeResult<Option<ConversionRow>> {
    db.prepare(format!("{CONVERSION_SELECT} WHERE c.brand_id = ?1 AND c.order_id = ?2"))
        .bind(&[brand.into(), order.into()])
        .map_err(bind)?
        .first(None)
        .await
        .map_err(|e| EdgeError::store("conversion lookup", e))
}

pub async fn conversion_by_id(db: &D1Database, brand: &str, id: &str) -> EdgeResult<Option<ConversionRow>> {
    db.prepare(format!("{CONVERSION_SELECT} WHERE c.brand_id = ?1 AND c.id = ?2"))
        .bind(&[brand.into(), id.into()])
        .map_err(bind)?
        .first(None)
        .await
        .map_err(|e| EdgeError::store("conversion lookup", e))
}

pub async fn conversions(db: &D1Database, brand: &str, status: Option<&str>) -> EdgeResult<Vec<ConversionView>> {
    let rows: Vec<ConversionRow> = db
        .prepare(format!("{CONVERSION_SELECT} WHERE c.brand_id = ?1 AND (?2 IS NULL OR c.status = ?2) ORDER BY c.created_at DESC LIMIT 200"))
        .bind(&[brand.into(), opt(status)])
        .map_err(bind)?
        .all()
        .await
        .map_err(|e| EdgeError::store("conversions", e))?
        .results()
        .map_err(|e| EdgeError::store("conversion rows", e))?;
    Ok(rows.into_iter().map(ConversionRow::view).collect())
}

/// The facts the fraud rules need about a purchase.
pub struct Facts {
    pub earlier_purchases: u32,
    pub earlier_referred: u32,
    pub code_conversions_24h: u32,
    pub last_touch: Option<i64>,
}

pub async fn facts(db: &D1Database, brand: &str, referee: Option<&str>, referrer: &ReferrerRow, now: i64) -> EdgeResult<Facts> {
    let r = opt(referee);
    let results = db
        .batch(vec![
            db.prepare("SELECT COUNT(*) AS n FROM conversions WHERE brand_id = ?1 AND referee_canonical = ?2 AND referrer_id IS NULL")
                .bind(&[brand.into(), r.clone()])
                .map_err(bind)?,
            db.prepare("SELECT COUNT(*) AS n FROM conversions WHERE brand_id = ?1 AND referee_canonical = ?2 AND referrer_id IS NOT NULL AND status != 'rejected'")
                .bind(&[brand.into(), r])
                .map_err(bind)?,
            db.prepare("SELECT COUNT(*) AS n FROM conversions WHERE referrer_id = ?1 AND status != 'rejected' AND created_at >= ?2")
                .bind(&[referrer.id.as_str().into(), int(now - 86_400_000)])
                .map_err(bind)?,
            db.prepare(
                "SELECT MAX(t) AS n FROM (SELECT MAX(created_at) AS t FROM referral_clicks WHERE code = ?1 \
                 UNION ALL SELECT MAX(created_at) FROM referral_claims WHERE referrer_id = ?2)",
            )
            .bind(&[referrer.code.as_str().into(), referrer.id.as_str().into()])
            .map_err(bind)?,
        ])
        .await
        .map_err(|e| EdgeError::store("fraud facts", e))?;
    let [a, b, c, d] = results.as_slice() else {
        return Err(EdgeError::internal("fraud facts", "short batch"));
    };
    #[derive(Deserialize)]
    struct MaybeCount {
        n: Option<i64>,
    }
    let last_touch = d.results::<MaybeCount>().map_err(|e| EdgeError::store("touch", e))?.first().and_then(|m| m.n);
    Ok(Facts { earlier_purchases: count(a)?, earlier_referred: count(b)?, code_conversions_24h: count(c)?, last_touch })
}

pub struct NewConversion<'a> {
    pub id: &'a str,
    pub brand: &'a str,
    pub order_id: &'a str,
    pub referrer: Option<&'a str>,
    pub referee: Option<&'a str>,
    pub amount_minor: i64,
    pub currency: &'a str,
    pub status: &'a str,
    pub reason: Option<&'a str>,
    pub hold_until: Option<i64>,
    pub now: i64,
}

/// Inserts a conversion; `Ok(false)` if the order was reported already.
pub async fn insert_conversion(db: &D1Database, c: NewConversion<'_>, reward: Option<RewardPlan<'_>>) -> EdgeResult<bool> {
    let mut statements = vec![db
        .prepare(
            "INSERT INTO conversions (id, brand_id, order_id, referrer_id, referee_canonical, amount_minor, currency, status, reason, hold_until, created_at, decided_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, CASE WHEN ?8 = 'held' THEN NULL ELSE ?11 END)",
        )
        .bind(&[
            c.id.into(),
            c.brand.into(),
            c.order_id.into(),
            opt(c.referrer),
            opt(c.referee),
            int(c.amount_minor),
            c.currency.into(),
            c.status.into(),
            opt(c.reason),
            c.hold_until.map_or(JsValue::NULL, int),
            int(c.now),
        ])
        .map_err(bind)?];
    if let Some(plan) = reward {
        statements.extend(reward_statements(db, &plan)?);
    }
    match db.batch(statements).await {
        Ok(_) => Ok(true),
        Err(e) if e.to_string().contains("UNIQUE constraint failed: conversions") => Ok(false),
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

fn reward_statements(db: &D1Database, p: &RewardPlan<'_>) -> EdgeResult<Vec<D1PreparedStatement>> {
    let state = if p.coupon { "pending_coupon" } else { "webhook" };
    let mut s = vec![db
        .prepare("INSERT INTO rewards (id, brand_id, referrer_id, conversion_id, state, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        .bind(&[p.id.into(), p.brand.into(), p.referrer.into(), p.conversion.into(), state.into(), int(p.now)])
        .map_err(bind)?];
    if p.coupon {
        s.push(take_coupon(db, p.brand, "reward", p.id, p.now)?);
        s.push(
            db.prepare(
                "UPDATE rewards SET coupon_code = (SELECT code FROM coupons WHERE brand_id = ?2 AND assigned_to = ?1), \
                 state = CASE WHEN EXISTS (SELECT 1 FROM coupons WHERE brand_id = ?2 AND assigned_to = ?1) THEN 'issued' ELSE 'pending_coupon' END \
                 WHERE id = ?1",
            )
            .bind(&[p.id.into(), p.brand.into()])
            .map_err(bind)?,
        );
    }
    if let Some((id, url, payload)) = p.webhook {
        s.push(
            db.prepare("INSERT INTO webhook_deliveries (id, brand_id, event, url, payload, next_attempt_at, created_at) VALUES (?1, ?2, 'reward.issued', ?3, ?4, ?5, ?5)")
                .bind(&[id.into(), p.brand.into(), url.into(), payload.into(), int(p.now)])
                .map_err(bind)?,
        );
    }
    Ok(s)
}

/// Moves a held conversion to approved (issuing its reward) or rejected.
/// `Ok(false)` if it was no longer held (someone else decided first).
pub async fn decide_held(db: &D1Database, brand: &str, id: &str, approve: bool, reason: Option<&str>, reward: Option<RewardPlan<'_>>, now: i64) -> EdgeResult<bool> {
    let status = if approve { "approved" } else { "rejected" };
    let changed = db
        .prepare("UPDATE conversions SET status = ?3, reason = COALESCE(?4, reason), decided_at = ?5 WHERE brand_id = ?1 AND id = ?2 AND status = 'held'")
        .bind(&[brand.into(), id.into(), status.into(), opt(reason), int(now)])
        .map_err(bind)?
        .run()
        .await
        .map_err(|e| EdgeError::store("decide conversion", e))?
        .meta()
        .ok()
        .flatten()
        .and_then(|m| m.changes)
        .unwrap_or(0);
    if changed == 0 {
        return Ok(false);
    }
    if let (true, Some(plan)) = (approve, reward) {
        db.batch(reward_statements(db, &plan)?).await.map_err(|e| EdgeError::store("issue reward", e))?;
    }
    Ok(true)
}

#[derive(Deserialize)]
pub struct DueHold {
    pub id: String,
    pub brand_id: String,
}

pub async fn due_holds(db: &D1Database, now: i64) -> EdgeResult<Vec<DueHold>> {
    db.prepare("SELECT id, brand_id FROM conversions WHERE status = 'held' AND hold_until <= ?1 LIMIT 100")
        .bind(&[int(now)])
        .map_err(bind)?
        .all()
        .await
        .map_err(|e| EdgeError::store("due holds", e))?
        .results()
        .map_err(|e| EdgeError::store("due hold rows", e))
}

#[derive(Debug, Deserialize, serde::Serialize)]
pub struct Delivery {
    pub id: String,
    pub brand_id: String,
    pub event: String,
    pub url: String,
    pub payload: String,
    pub attempts: i64,
    pub status: String,
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub next_attempt_at: i64,
}

const DELIVERY_COLUMNS: &str = "id, brand_id, event, url, payload, attempts, status, last_status, last_error, next_attempt_at";

pub async fn due_deliveries(db: &D1Database, now: i64, brand: Option<&str>) -> EdgeResult<Vec<Delivery>> {
    db.prepare(format!(
        "SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ?1 AND (?2 IS NULL OR brand_id = ?2) ORDER BY next_attempt_at LIMIT 50"
    ))
    .bind(&[int(now), opt(brand)])
    .map_err(bind)?
    .all()
    .await
    .map_err(|e| EdgeError::store("due deliveries", e))?
    .results()
    .map_err(|e| EdgeError::store("delivery rows", e))
}

pub async fn deliveries(db: &D1Database, brand: &str) -> EdgeResult<Vec<Delivery>> {
    db.prepare(format!("SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE brand_id = ?1 ORDER BY created_at DESC LIMIT 100"))
        .bind(&[brand.into()])
        .map_err(bind)?
        .all()
        .await
        .map_err(|e| EdgeError::store("deliveries", e))?
        .results()
        .map_err(|e| EdgeError::store("delivery rows", e))
}

pub async fn delivery_result(db: &D1Database, id: &str, status: &str, attempts: i64, last_status: Option<u16>, error: Option<&str>, next: i64) -> EdgeResult<()> {
    db.prepare("UPDATE webhook_deliveries SET status = ?2, attempts = ?3, last_status = ?4, last_error = ?5, next_attempt_at = ?6 WHERE id = ?1")
        .bind(&[id.into(), status.into(), int(attempts), last_status.map_or(JsValue::NULL, |s| int(i64::from(s))), opt(error), int(next)])
        .map_err(bind)?
        .run()
        .await
        .map_err(|e| EdgeError::store("delivery result", e))?;
    Ok(())
}

/// Marks the person's testimonials with the ambassador badge.
pub async fn mark_ambassador(db: &D1Database, brand: &str, canonical: &str) -> EdgeResult<bool> {
    let changed = db
        .prepare("UPDATE testimonials SET ambassador = 1 WHERE brand_id = ?1 AND author_email_canonical = ?2 AND ambassador = 0")
        .bind(&[brand.into(), canonical.into()])
        .map_err(bind)?
        .run()
        .await
        .map_err(|e| EdgeError::store("ambassador badge", e))?
        .meta()
        .ok()
        .flatten()
        .and_then(|m| m.changes)
        .unwrap_or(0);
    Ok(changed > 0)
}

#[derive(Deserialize)]
struct LeaderRow {
    name: String,
    n: i64,
}

pub async fn leaderboard(db: &D1Database, brand: &str) -> EdgeResult<Vec<(String, u32)>> {
    let rows: Vec<LeaderRow> = db
        .prepare(
            "SELECT r.name, COUNT(c.id) AS n FROM referrers r JOIN conversions c ON c.referrer_id = r.id AND c.status = 'approved' \
             WHERE r.brand_id = ?1 GROUP BY r.id ORDER BY n DESC, r.created_at LIMIT 10",
        )
        .bind(&[brand.into()])
        .map_err(bind)?
        .all()
        .await
        .map_err(|e| EdgeError::store("leaderboard", e))?
        .results()
        .map_err(|e| EdgeError::store("leaderboard rows", e))?;
    Ok(rows.into_iter().map(|r| (r.name, n32(r.n))).collect())
}

/// All referrers of a brand with their counts (admin).
pub async fn referrers(db: &D1Database, brand: &str) -> EdgeResult<Vec<serde_json::Value>> {
    #[derive(Deserialize)]
    struct Row {
        code: String,
        name: String,
        email: String,
        clicks: i64,
        friends: i64,
        purchases: i64,
        created_at: i64,
    }
    let rows: Vec<Row> = db
        .prepare(
            "SELECT r.code, r.name, r.email, r.created_at, \
             (SELECT COUNT(*) FROM referral_clicks k WHERE k.code = r.code) AS clicks, \
             (SELECT COUNT(*) FROM referral_claims m WHERE m.referrer_id = r.id) AS friends, \
             (SELECT COUNT(*) FROM conversions c WHERE c.referrer_id = r.id AND c.status = 'approved') AS purchases \
             FROM referrers r WHERE r.brand_id = ?1 ORDER BY r.created_at DESC LIMIT 500",
        )
        .bind(&[brand.into()])
        .map_err(bind)?
        .all()
        .await
        .map_err(|e| EdgeError::store("referrers", e))?
        .results()
        .map_err(|e| EdgeError::store("referrer rows", e))?;
    Ok(rows
        .into_iter()
        .map(|r| serde_json::json!({"code": r.code, "name": r.name, "email": r.email, "clicks": r.clicks, "friends": r.friends, "purchases": r.purchases, "created_at": r.created_at}))
        .collect())
}
