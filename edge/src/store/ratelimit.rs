//! Write limits for public routes, in two layers, so that one client can
//! never spend another's budget:
//!
//! 1. [`burst`]: the platform's Rate Limiting binding (`WRITE_BURST` in
//!    wrangler.toml; `[[ratelimits]]`, simulated locally by `wrangler dev`),
//!    keyed by brand and client. It cuts a flood before any D1 work. Its
//!    limit is fixed in configuration and its counts are per Cloudflare
//!    location and approximate, so it is a guard, not the brand's quota.
//! 2. [`hit`]: the brand's hourly per-client limits, counted in D1 (they must
//!    agree across isolates and locations). The client's own buckets are read
//!    first; a request over any of them is refused and counted nowhere.
//!    Only accepted writes are counted, also in a brand-wide bucket that
//!    refuses nobody: past the brand's ceiling the write still goes ahead,
//!    flagged as a surge (new content then waits for moderation).
//!
//! Old windows are deleted by the cron job (`prune`), not on the write path.

use super::{int, stmt};
use crate::errors::{EdgeError, EdgeResult};
use crate::routes::Ctx;
use kindred_core::limits::{admit, Budget};
use serde::Deserialize;
use wasm_bindgen::JsValue;
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
    let Ok(limiter) = cx.env.get_binding::<RateLimiter>("WRITE_BURST") else {
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
/// limit)`) has room this hour, then counts it in `own` and in `brand`.
///
/// # Errors
/// `rate_limited` with `Retry-After` = seconds to the window's end when an
/// own bucket is full (nothing is counted); `unavailable` when D1 fails.
pub async fn hit(db: &D1Database, own: &[(String, u32)], brand: (String, u32), now: i64) -> EdgeResult<Admitted> {
    let window = now - now.rem_euclid(WINDOW_MS);
    #[derive(Deserialize)]
    struct Row {
        bucket: String,
        count: i64,
    }
    let names: Vec<JsValue> = own.iter().map(|(b, _)| JsValue::from_str(b)).collect();
    let used: Vec<Row> = super::all_in(
        db,
        &[int(window)],
        &names,
        |list| format!("SELECT bucket, count FROM rate_limits WHERE window_start = ?1 AND bucket IN ({list})"),
        "rate limit",
    )
    .await?;
    let budgets: Vec<Budget> = own
        .iter()
        .map(|(bucket, limit)| {
            let n = used.iter().find(|r| &r.bucket == bucket).map_or(0, |r| r.count);
            Budget { used: u32::try_from(n).unwrap_or(u32::MAX), limit: *limit }
        })
        .collect();
    if !admit(&budgets) {
        let retry_after = ((window + WINDOW_MS - now) / 1000).max(1) as u64;
        return Err(EdgeError::RateLimited { retry_after });
    }
    let count = |bucket: &str| {
        stmt(
            db,
            "INSERT INTO rate_limits (bucket, window_start, count) VALUES (?1, ?2, 1) \
             ON CONFLICT(bucket, window_start) DO UPDATE SET count = count + 1 RETURNING count",
            &[bucket.into(), int(window)],
        )
    };
    let mut statements = vec![count(&brand.0)?];
    for (bucket, _) in own {
        statements.push(count(bucket)?);
    }
    let results = db.batch(statements).await.map_err(|e| EdgeError::store("rate limit", e))?;
    #[derive(Deserialize)]
    struct Count {
        count: i64,
    }
    let brand_count = results
        .first()
        .map(|r| r.results::<Count>().map_err(|e| EdgeError::store("rate limit rows", e)))
        .transpose()?
        .and_then(|rows| rows.first().map(|c| c.count))
        .unwrap_or(0);
    Ok(Admitted { brand_surge: brand_count > i64::from(brand.1) })
}

/// Deletes windows that ended (the cron job). Returns how many rows went.
pub async fn prune(db: &D1Database, now: i64) -> EdgeResult<usize> {
    let window = now - now.rem_euclid(WINDOW_MS);
    let result = stmt(db, "DELETE FROM rate_limits WHERE window_start < ?1", &[int(window)])?
        .run()
        .await
        .map_err(|e| EdgeError::store("prune rate limits", e))?;
    Ok(result.meta().ok().flatten().and_then(|m| m.changes).unwrap_or(0))
}
