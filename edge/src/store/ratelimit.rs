//! Fixed-window rate limits for public writes, counted in D1 (the counters
//! must agree across isolates, which an in-memory count would not).

use super::int;
use crate::errors::{EdgeError, EdgeResult};
use worker::D1Database;

const WINDOW_MS: i64 = 3_600_000;

/// Counts one write against each `(bucket, limit)`; refuses with 429 and the
/// seconds until the window resets if any bucket is over its limit.
pub async fn hit(db: &D1Database, buckets: &[(String, u32)], now: i64) -> EdgeResult<()> {
    let window = now - now.rem_euclid(WINDOW_MS);
    let mut statements = Vec::with_capacity(buckets.len() + 1);
    for (bucket, _) in buckets {
        statements.push(
            db.prepare(
                "INSERT INTO rate_limits (bucket, window_start, count) VALUES (?1, ?2, 1) \
                 ON CONFLICT(bucket, window_start) DO UPDATE SET count = count + 1 RETURNING count",
            )
            .bind(&[bucket.as_str().into(), int(window)])
            .map_err(|e| EdgeError::internal("bind rate limit", e))?,
        );
    }
    // Old windows are dead weight; dropping them here keeps the table small.
    statements.push(
        db.prepare("DELETE FROM rate_limits WHERE window_start < ?1")
            .bind(&[int(window - WINDOW_MS)])
            .map_err(|e| EdgeError::internal("bind rate limit", e))?,
    );
    let results = db.batch(statements).await.map_err(|e| EdgeError::store("rate limit", e))?;
    #[derive(serde::Deserialize)]
    struct Count {
        count: i64,
    }
    for ((_, limit), res) in buckets.iter().zip(&results) {
        let count = res.results::<Count>().map_err(|e| EdgeError::store("rate limit rows", e))?.first().map_or(0, |c| c.count);
        if count > i64::from(*limit) {
            let retry_after = ((window + WINDOW_MS - now) / 1000).max(1) as u64;
            return Err(EdgeError::RateLimited { retry_after });
        }
    }
    Ok(())
}
