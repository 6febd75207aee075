//! Analytics (`kindred_core::analytics` has the rules and the SQL):
//! `POST /v1/brands/{brand}/events` queues what the widget saw and answers
//! at once; the `kindred-events` queue's consumer adds a batch's counts in
//! one D1 statement; `GET /v1/admin/brands/{brand}/analytics` reads the
//! counters of a range.

use super::public::{Access, Public};
use super::Ctx;
use crate::auth;
use crate::errors::{EdgeError, EdgeResult};
use crate::http::json_response;
use crate::request::{body_bytes, query};
use crate::store::{now_ms, stmt, Metered};
use kindred_core::analytics::{EventBatch, Range, ADD, BODY_BYTES_MAX, SQL};
use kindred_core::{BrandId, ErrorCode};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use worker::{console_warn, D1Database, Request, Response};

/// The `EVENTS` queue's message: counts to add for one brand on one day.
#[derive(Debug, Serialize, Deserialize)]
pub struct Counted {
    pub brand: String,
    pub day: String,
    /// (`dim`, event) pairs, each one more.
    pub counts: Vec<(String, String)>,
}

fn today(now_ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(now_ms).map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()
}

/// `POST /v1/brands/{brand}/events`
pub async fn count(req: &mut Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let p = Public::load(req, cx, brand, Access::Write).await?;
    // Browsers send Origin with every such POST: a request without one is a
    // script, not a widget seen by a shopper. One with an Origin passed
    // `Public::load`'s check: an allowed origin, or the edge's own frame
    // fallback naming an allowed embedding page.
    if crate::cors::request_origin(req).is_none() {
        return Err(EdgeError::api(ErrorCode::Forbidden, "events come from the brand's own pages (an allowed Origin)"));
    }
    crate::store::ratelimit::read_burst(cx, &format!("e:{}:{}", p.id, p.client)).await?;
    // The loader sends a string, so text/plain: JSON all the same.
    let bytes = body_bytes(req, BODY_BYTES_MAX).await?;
    let batch: EventBatch = kindred_core::error::from_json(&bytes)?;
    let counts = batch.counts()?;
    let message = Counted { brand: p.id.as_str().to_owned(), day: today(now_ms()), counts: counts.into_iter().map(|(d, e)| (d, e.to_owned())).collect() };
    match cx.env.queue("EVENTS") {
        Ok(q) => {
            if let Err(e) = q.send(&message).await {
                // Indicative counts: one lost is not worth failing the page's beacon.
                console_warn!("events for {} not queued: {e}", message.brand);
            }
        }
        Err(_) => console_warn!("no EVENTS queue: browser events are not counted"),
    }
    let mut resp = crate::http::empty(202);
    crate::cors::apply(&mut resp, p.origin.as_ref());
    Ok(resp)
}

/// The `EVENTS` queue's consumer: a batch's counts summed per counter and
/// added in one statement.
///
/// # Errors
/// When D1 fails (the queue delivers the batch again).
pub async fn add_counts(db: &D1Database, messages: Vec<Counted>) -> EdgeResult<()> {
    let mut sums: BTreeMap<(String, String, String, String), i64> = BTreeMap::new();
    for m in messages {
        for (dim, event) in m.counts {
            *sums.entry((m.brand.clone(), dim, m.day.clone(), event)).or_default() += 1;
        }
    }
    if sums.is_empty() {
        return Ok(());
    }
    let rows: Vec<serde_json::Value> = sums.into_iter().map(|((b, d, day, e), n)| serde_json::json!({ "b": b, "d": d, "day": day, "e": e, "n": n })).collect();
    let rows = serde_json::to_string(&rows).map_err(|e| EdgeError::internal("encode counts", e))?;
    stmt(db, ADD, &[rows.into()])?.run_metered().await.map_err(|e| EdgeError::store("add counts", e))?;
    Ok(())
}

/// `GET /v1/admin/brands/{brand}/analytics`
pub async fn report(req: &Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let brand_id = BrandId::parse(brand)?;
    let db = cx.db()?;
    auth::brand_admin(req, &db, &brand_id).await?;
    let pairs = query(req)?;
    let today = chrono::DateTime::from_timestamp_millis(now_ms()).map(|d| d.date_naive()).unwrap_or_default();
    let range = Range::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())), today)?;
    #[derive(Deserialize)]
    struct Row {
        day: String,
        dim: String,
        event: String,
        n: i64,
    }
    let (from, to) = (range.from.format("%Y-%m-%d").to_string(), range.to.format("%Y-%m-%d").to_string());
    let rows: Vec<Row> = stmt(&db, SQL, &[brand_id.as_str().into(), from.into(), to.into(), range.product.as_deref().unwrap_or("").into()])?
        .all_rows()
        .await
        .map_err(|e| EdgeError::store("analytics", e))?
        .results()
        .map_err(|e| EdgeError::store("analytics rows", e))?;
    let rows: Vec<(String, String, String, i64)> = rows.into_iter().map(|r| (r.day, r.dim, r.event, r.n)).collect();
    Ok(super::admin::no_store(json_response(200, &range.build(&rows))))
}

/// The cron job: keeps who was active today and yesterday only (needed
/// only to count each member once a day).
///
/// # Errors
/// When D1 fails.
pub async fn prune_active(db: &D1Database) -> EdgeResult<()> {
    let cutoff = today(now_ms() - 86_400_000);
    stmt(db, "DELETE FROM daily_active WHERE day < ?1", &[cutoff.into()])?.run_metered().await.map_err(|e| EdgeError::store("prune daily_active", e))?;
    Ok(())
}
