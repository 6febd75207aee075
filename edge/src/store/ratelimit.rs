//! Write limits for public routes, in two layers, so that one client can
//! never spend another's budget:
//!
//! 1. [`burst`]: the platform's Rate Limiting binding (`WRITE_BURST` in
//!    wrangler.toml; `[[ratelimits]]`, simulated locally by `wrangler dev`),
//!    keyed by brand and client (reads that walk many rows have their own,
//!    `READ_BURST`: [`read_burst`]). It cuts a flood before any D1 work. Its
//!    limit is fixed in configuration and its counts are per Cloudflare
//!    location and approximate, so it is a guard, not the brand's quota.
//! 2. [`hit`]: the brand's hourly per-client limits, counted in D1 (they must
//!    agree across isolates and locations), checked and counted in one
//!    statement: a request over any of the client's buckets is refused and
//!    counted nowhere. New content is also counted in a brand-wide bucket
//!    that refuses nobody: past the brand's ceiling the write still goes
//!    ahead, flagged as a surge (new content then waits for moderation).
//!
//! Old windows are deleted by the cron job (`prune`), not on the write path.

use super::Metered;
use super::{int, stmt};
use crate::errors::{EdgeError, EdgeResult};
use crate::routes::Ctx;
use serde::Deserialize;
use worker::{console_warn, D1Database, RateLimiter};

/// The hourly window, ms.
const WINDOW_MS: i64 = 3_600_000;
/// The burst guard's period, seconds (must match wrangler.toml's `period`).
const BURST_PERIOD_S: u64 = 10;

/// What an admitted write learns.
#[derive(Debug, Clone, Copy)]
pub struct Admitted {
    /// The brand's accepted writes this hour are past its ceiling.
    pub brand_surge: bool,
}

/// The burst guard: refuses with 429 when this key made more writes in the
/// last period than the binding allows. Without the binding (an old
/// configuration) or when it fails, the D1 limits alone apply.
///
/// # Errors
/// `rate_limited` with `Retry-After` = the period.
pub async fn burst(cx: &Ctx, key: &str) -> EdgeResult<()> {
    guard(cx, "WRITE_BURST", key).await
}

/// The same guard for reads that walk many rows (feeds, the hosted wall,
/// share pages: up to `kindred_core::syndication::WALK` rows each), on its
/// own binding (`READ_BURST`, 120 per 10 s per brand and client), so reading
/// never spends a shopper's write budget.
///
/// # Errors
/// `rate_limited` with `Retry-After` = the period.
pub async fn read_burst(cx: &Ctx, key: &str) -> EdgeResult<()> {
    guard(cx, "READ_BURST", key).await
}

/// The guard for drawing share cards (about 100 ms of CPU each in the card
/// renderer), on its own binding (`CARD_BURST`, 30 per 10 s), keyed by the
/// client alone (`Public::scoped`): one address walking every brand's cards
/// is held to it across brands (an address a brand's proxy named, within
/// that brand). Checked only when a card is not in the data centre's
/// cache.
///
/// # Errors
/// `rate_limited` with `Retry-After` = the period.
pub async fn card_burst(cx: &Ctx, client: &str) -> EdgeResult<()> {
    guard(cx, "CARD_BURST", &format!("card:{client}")).await
}

async fn guard(cx: &Ctx, binding: &str, key: &str) -> EdgeResult<()> {
    let Ok(limiter) = cx.env.get_binding::<RateLimiter>(binding) else {
        return Ok(());
    };
    match limiter.limit(key.to_owned()).await {
        Ok(outcome) if !outcome.success => Err(EdgeError::RateLimited { retry_after: BURST_PERIOD_S }),
        Ok(_) => Ok(()),
        Err(e) => {
            console_warn!("rate limiter unavailable, D1 limits only: {e}");
            Ok(())
        }
    }
}

/// Admits one write if every bucket in `own` (the client's: `(bucket,
/// limit)`) has room this hour, and counts it in `own` and in `brand` (if
/// given: `(bucket, ceiling)`), in one statement: D1 runs a database's
/// statements one at a time, so the check and the count cannot interleave
/// with another request's, and concurrent writes from one client can never
/// pass its limit. The buckets travel as one JSON parameter (`json_each`),
/// so any number of them binds two parameters.
///
/// # Errors
/// `rate_limited` with `Retry-After` = seconds to the window's end when an
/// own bucket is full (nothing is counted); `unavailable` when D1 fails.
pub async fn hit(db: &D1Database, own: &[(String, u32)], brand: Option<(String, u32)>, now: i64) -> EdgeResult<Admitted> {
    let window = now - now.rem_euclid(WINDOW_MS);
    // [bucket, limit]; the brand's ceiling refuses nobody, so its limit is null.
    let mut buckets: Vec<serde_json::Value> = own.iter().map(|(b, l)| serde_json::json!([b, l])).collect();
    if let Some((b, _)) = &brand {
        buckets.push(serde_json::json!([b, null]));
    }
    let list = serde_json::Value::Array(buckets).to_string();
    #[derive(Deserialize)]
    struct Count {
        bucket: String,
        count: i64,
    }
    let counted: Vec<Count> = stmt(
        db,
        kindred_core::sql::RATE_LIMIT_HIT,
        &[int(window), list.into()],
    )?
    .all_rows()
    .await
    .map_err(|e| EdgeError::store("rate limit", e))?
    .results()
    .map_err(|e| EdgeError::store("rate limit rows", e))?;
    if counted.is_empty() {
        let retry_after = ((window + WINDOW_MS - now) / 1000).max(1) as u64;
        return Err(EdgeError::RateLimited { retry_after });
    }
    let brand_surge = brand.is_some_and(|(b, ceiling)| counted.iter().any(|c| c.bucket == b && c.count > i64::from(ceiling)));
    Ok(Admitted { brand_surge })
}

/// Deletes windows that ended (the cron job). Returns how many rows went.
///
/// Idempotency keys go after [`IDEMPOTENCY_KEEP_MS`], and referral claims
/// lose their client's keyed hash after
/// `kindred_core::referral::CLAIM_CLIENT_KEEP_MS` and their network's after
/// `kindred_core::referral::CLAIM_NETWORK_KEEP_MS`, open reports their
/// network's after `kindred_core::community::REPORT_NETWORK_KEEP_MS`, referrers their sign-up
/// address's after `kindred_core::referral::REFERRER_CLIENT_KEEP_MS`, and ended webhook
/// deliveries after `kindred_core::webhook::DELIVERY_LOG_KEEP_MS`, in the
/// same batch.
pub async fn prune(db: &D1Database, now: i64) -> EdgeResult<usize> {
    let window = now - now.rem_euclid(WINDOW_MS);
    let results = super::batch(db, vec![
        stmt(db, "DELETE FROM rate_limits WHERE window_start < ?1", &[int(window)])?,
        stmt(db, "DELETE FROM idempotency_keys WHERE created_at < ?1", &[int(now - IDEMPOTENCY_KEEP_MS)])?,
        stmt(
            db,
            // At most 1,000 a run, so a backlog never stalls the batch.
            "UPDATE referral_claims SET client = 'erased' WHERE rowid IN \
             (SELECT rowid FROM referral_claims WHERE client != 'erased' AND created_at < ?1 LIMIT 1000)",
            &[int(now - kindred_core::referral::CLAIM_CLIENT_KEEP_MS)],
        )?,
        stmt(
            db,
            kindred_core::sql::FORGET_CLAIM_NETWORKS,
            &[int(now - kindred_core::referral::CLAIM_NETWORK_KEEP_MS)],
        )?,
        stmt(
            db,
            kindred_core::sql::FORGET_REPORT_NETWORKS,
            &[int(now - kindred_core::community::REPORT_NETWORK_KEEP_MS)],
        )?,
        stmt(
            db,
            kindred_core::sql::FORGET_REFERRER_CLIENTS,
            &[int(now - kindred_core::referral::REFERRER_CLIENT_KEEP_MS)],
        )?,
        // The delivery log (payloads name shoppers), 1,000 a run.
        stmt(
            db,
            "DELETE FROM webhook_deliveries WHERE id IN \
             (SELECT id FROM webhook_deliveries WHERE status != 'pending' AND created_at < ?1 LIMIT 1000)",
            &[int(now - kindred_core::webhook::DELIVERY_LOG_KEEP_MS)],
        )?,
    ])
    .await
    .map_err(|e| EdgeError::store("prune rate limits", e))?;
    Ok(results.first().map_or(0, super::changed))
}

/// How long a submission's `Idempotency-Key` answers retries, ms: a day, as
/// Stripe keeps its keys (a retry is minutes away, not days).
pub const IDEMPOTENCY_KEEP_MS: i64 = 24 * 60 * 60 * 1000;
