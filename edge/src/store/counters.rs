//! The repair of counters and feed entries: the cron job recomputes them for
//! a few brands per run, oldest check first, and reports what had drifted.
//!
//! Triggers keep them in the same transaction as every change that moves
//! them (`migrations/0009_bounded_reads.sql`), so drift means a bug or a
//! hand edit of the database; this job finds it, fixes it, logs it and
//! stores the amount on the brand (`counters_drift`: rows fixed, or -1 when
//! the check itself failed, which does not hold up the other brands). A repair reads the
//! brand's whole data (it is the one place that may): it runs in the cron
//! job, never on a shopper request, and each brand at most once per
//! [`CHECK_EVERY_MS`].

use super::{int, stmt};
use crate::errors::{EdgeError, EdgeResult};
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::D1Database;

/// How often each brand is checked, ms (a day).
pub const CHECK_EVERY_MS: i64 = 86_400_000;

/// Brands checked per cron run (every minute: 1,440 brands a day at 1).
pub const BRANDS_PER_RUN: i64 = 2;

/// What one repair found and fixed, in rows.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Drift {
    /// Helpful counts that differed from the votes.
    pub helpful: u64,
    /// Feed entries missing, stale or left over.
    pub feed_entries: u64,
    /// Facet counts (histogram, tags, totals) that differed.
    pub feed_counts: u64,
    /// Group member counts.
    pub members: u64,
    /// Thread reply counts.
    pub replies: u64,
    /// Reaction counts.
    pub reactions: u64,
    /// Referrer friend and purchase counts.
    pub referrers: u64,
}

impl Drift {
    pub fn total(&self) -> u64 {
        self.helpful + self.feed_entries + self.feed_counts + self.members + self.replies + self.reactions + self.referrers
    }
}

#[derive(Deserialize)]
struct N {
    n: i64,
}

async fn count(db: &D1Database, sql: &str, brand: &JsValue, what: &'static str) -> EdgeResult<u64> {
    use super::Metered;
    let row: Option<N> = stmt(db, sql, std::slice::from_ref(brand))?.first_row().await.map_err(|e| EdgeError::store(what, e))?;
    Ok(row.map_or(0, |r| u64::try_from(r.n).unwrap_or(0)))
}

fn changes(results: &[worker::D1Result]) -> u64 {
    results.iter().map(|r| super::changed(r) as u64).sum()
}

/// Recomputes every counter and feed entry of one brand from the rows they
/// count; returns the drift it fixed.
///
/// # Errors
/// `unavailable` when D1 fails (nothing is half-fixed: each fix is one batch).
pub async fn repair_brand(db: &D1Database, brand: &str) -> EdgeResult<Drift> {
    let b = JsValue::from_str(brand);
    let one = std::slice::from_ref(&b);
    let mut drift = Drift::default();

    // Sort keys first: the entries copy them.
    let fixed = super::batch(db, vec![stmt(
        db,
        "UPDATE testimonials SET helpful_count = (SELECT COUNT(*) FROM helpful_votes v WHERE v.testimonial_id = testimonials.id) \
         WHERE brand_id = ?1 AND helpful_count != (SELECT COUNT(*) FROM helpful_votes v WHERE v.testimonial_id = testimonials.id)",
        one,
    )?])
    .await
    .map_err(|e| EdgeError::store("repair helpful counts", e))?;
    drift.helpful = changes(&fixed);

    // Approved testimonials without their feed key get one (MAX + rowid:
    // above every key given, distinct per row).
    let keyed = super::batch(db, vec![stmt(
        db,
        "UPDATE testimonials SET seq = (SELECT COALESCE(MAX(seq), 0) FROM testimonials) + rowid \
         WHERE brand_id = ?1 AND status = 'approved' AND seq IS NULL",
        one,
    )?])
    .await
    .map_err(|e| EdgeError::store("repair feed keys", e))?;
    drift.feed_entries = changes(&keyed);

    // The entries as they should be (from the testimonials) and as they are.
    let expected = "SELECT scope, tag, stars, featured, created_at, seq, rating, helpful_count FROM testimonial_facets WHERE brand_id = ?1";
    let actual = "SELECT f.scope, f.tag, f.stars, e.featured, e.created_at, e.seq, e.rating, e.helpful_count \
         FROM feed_facets f JOIN feed_entries e ON e.facet = f.id WHERE f.brand_id = ?1";
    drift.feed_entries += count(
        db,
        &format!("SELECT (SELECT COUNT(*) FROM ({expected} EXCEPT {actual})) + (SELECT COUNT(*) FROM ({actual} EXCEPT {expected})) AS n"),
        &b,
        "feed entry drift",
    )
    .await?;
    if drift.feed_entries > 0 {
        super::batch(db, vec![
            stmt(db, "DELETE FROM feed_entries WHERE facet IN (SELECT id FROM feed_facets WHERE brand_id = ?1)", one)?,
            stmt(db, "INSERT OR IGNORE INTO feed_facets (brand_id, scope, tag, stars, n) SELECT DISTINCT brand_id, scope, tag, stars, 0 FROM testimonial_facets WHERE brand_id = ?1", one)?,
            stmt(
                db,
                "INSERT INTO feed_entries (facet, featured, created_at, seq, rating, helpful_count) \
                 SELECT f.id, v.featured, v.created_at, v.seq, v.rating, v.helpful_count FROM testimonial_facets v \
                 CROSS JOIN feed_facets f ON f.brand_id = v.brand_id AND f.scope = v.scope AND f.tag = v.tag AND f.stars = v.stars WHERE v.brand_id = ?1",
                one,
            )?,
        ])
        .await
        .map_err(|e| EdgeError::store("repair feed entries", e))?;
    }

    // Each facet's count, from its entries.
    let entries = "(SELECT COUNT(*) FROM feed_entries e WHERE e.facet = feed_facets.id)";
    let fixed = super::batch(db, vec![stmt(db, format!("UPDATE feed_facets SET n = {entries} WHERE brand_id = ?1 AND n != {entries}"), one)?])
        .await
        .map_err(|e| EdgeError::store("repair feed counts", e))?;
    drift.feed_counts = changes(&fixed);

    let members = "(SELECT COUNT(*) FROM group_members m WHERE m.group_id = groups.id)";
    let replies = "(SELECT COUNT(*) FROM replies r WHERE r.thread_id = threads.id AND r.status = 'visible')";
    let friends = "(SELECT COUNT(*) FROM referral_claims c WHERE c.referrer_id = referrers.id)";
    let purchases = "(SELECT COUNT(*) FROM conversions c WHERE c.referrer_id = referrers.id AND c.status = 'approved')";
    // The brand's threads and replies: the targets of its reactions.
    let targets = "SELECT t.id FROM threads t JOIN groups g ON g.id = t.group_id WHERE g.brand_id = ?1 \
         UNION ALL SELECT r.id FROM replies r JOIN threads t ON t.id = r.thread_id JOIN groups g ON g.id = t.group_id WHERE g.brand_id = ?1";
    let reactions_expected = format!("SELECT target_id, kind, COUNT(*) AS n FROM reactions WHERE target_id IN ({targets}) GROUP BY target_id, kind");
    let reactions_actual = format!("SELECT target_id, kind, n FROM reaction_counts WHERE target_id IN ({targets}) AND n != 0");
    let reaction_drift = count(
        db,
        &format!(
            "SELECT (SELECT COUNT(*) FROM ({reactions_expected} EXCEPT {reactions_actual})) \
             + (SELECT COUNT(*) FROM ({reactions_actual} EXCEPT {reactions_expected})) AS n"
        ),
        &b,
        "reaction drift",
    )
    .await?;
    let mut fixes = vec![
        stmt(db, format!("UPDATE groups SET member_count = {members} WHERE brand_id = ?1 AND member_count != {members}"), one)?,
        stmt(
            db,
            format!("UPDATE threads SET reply_count = {replies} WHERE group_id IN (SELECT id FROM groups WHERE brand_id = ?1) AND reply_count != {replies}"),
            one,
        )?,
        stmt(
            db,
            format!("UPDATE referrers SET friends = {friends}, purchases = {purchases} WHERE brand_id = ?1 AND (friends != {friends} OR purchases != {purchases})"),
            one,
        )?,
    ];
    if reaction_drift > 0 {
        fixes.push(stmt(db, format!("DELETE FROM reaction_counts WHERE target_id IN ({targets})"), one)?);
        fixes.push(stmt(db, format!("INSERT INTO reaction_counts (target_id, kind, n) {reactions_expected}"), one)?);
    }
    let fixed = super::batch(db, fixes).await.map_err(|e| EdgeError::store("repair community and referral counts", e))?;
    let per = |i: usize| fixed.get(i).map_or(0, |r| changes(std::slice::from_ref(r)));
    drift.members = per(0);
    drift.replies = per(1);
    drift.referrers = per(2);
    drift.reactions = reaction_drift;
    Ok(drift)
}

/// Repairs the brands whose last check is oldest (at most
/// [`BRANDS_PER_RUN`], each at most once per [`CHECK_EVERY_MS`]); a brand
/// with drift gets its first-paint copies rebuilt (its copy version moves).
/// Returns the brands with drift.
///
/// # Errors
/// `unavailable` when D1 fails.
pub async fn repair_due(db: &D1Database, now: i64) -> EdgeResult<Vec<(String, Drift)>> {
    use super::Metered;
    #[derive(Deserialize)]
    struct Due {
        id: String,
    }
    let due: Vec<Due> = stmt(
        db,
        "SELECT id FROM brands WHERE counters_checked_at <= ?1 ORDER BY counters_checked_at, id LIMIT ?2",
        &[int(now - CHECK_EVERY_MS), int(BRANDS_PER_RUN)],
    )?
    .all_rows()
    .await
    .map_err(|e| EdgeError::store("brands due a counter check", e))?
    .results()
    .map_err(|e| EdgeError::store("brands due a counter check", e))?;
    let mut drifted = Vec::new();
    for d in due {
        let drift = match repair_brand(db, &d.id).await {
            Ok(drift) => drift,
            Err(e) => {
                // Marked checked (drift -1: the check failed) so the next
                // brands get their turn; it is tried again in a day.
                worker::console_warn!("counter check failed for brand {}: {}", d.id, e.into_api_error());
                super::batch(db, vec![stmt(db, "UPDATE brands SET counters_checked_at = ?2, counters_drift = -1 WHERE id = ?1", &[d.id.as_str().into(), int(now)])?])
                    .await
                    .map_err(|e| EdgeError::store("counter check", e))?;
                continue;
            }
        };
        let total = i64::try_from(drift.total()).unwrap_or(i64::MAX);
        let mut done = vec![stmt(db, "UPDATE brands SET counters_checked_at = ?2, counters_drift = ?3 WHERE id = ?1", &[d.id.as_str().into(), int(now), int(total)])?];
        if total > 0 {
            done.push(super::brands::copy_version_bump(db, &d.id)?);
            drifted.push((d.id, drift));
        }
        super::batch(db, done).await.map_err(|e| EdgeError::store("counter check", e))?;
    }
    Ok(drifted)
}
