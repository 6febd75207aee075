//! Webhook deliveries: signed, with a timeout, retried with backoff, and
//! isolated per brand so one brand's slow endpoint never delays another's.
//!
//! A change that creates deliveries (a reward, a community post) writes them
//! to D1 and sends one message naming the brand to the `DELIVERIES` queue
//! (Cloudflare Queues; `wrangler dev` runs it locally). The consumer handles
//! the brands of a batch concurrently (at most 5 a batch, `wrangler.toml`),
//! each brand's due deliveries one after another (a lease in D1, so nothing
//! is sent twice at once), each attempt abandoned after
//! [`DELIVERY_TIMEOUT_MS`](kindred_core::webhook::DELIVERY_TIMEOUT_MS). So
//! an invocation never has more than 5 requests open (Workers allow 6
//! simultaneous connections per invocation; more would wait for a slot,
//! and a hanging brand could then hold another's), and a brand with a
//! hanging endpoint only delays itself. The cron job only queues brands
//! whose retries are due. Every target is checked again before sending
//! (`kindred_core::webhook::check_target`), and redirects are not followed
//! (a 3xx is a failed attempt), so a checked URL cannot send the request on.

use crate::errors::EdgeResult;
use crate::store::referrals::{self as store, Attempted, Delivery};
use crate::store::{brands, now_ms};
use futures_util::future::{join_all, select, Either};
use kindred_core::referral::{sign_webhook_with, webhook_backoff};
use kindred_core::webhook::{check_target, DeliveryStatus, TargetPolicy, DELIVERY_TIMEOUT_MS};
use kindred_core::BrandId;
use serde::{Deserialize, Serialize};
use std::time::Duration;
use wasm_bindgen::JsValue;
use worker::{console_warn, AbortController, D1Database, Delay, Env, Fetch, Headers, Method, Request, RequestInit, RequestRedirect};

/// Deliveries one worker takes for a brand at a time (sent one by one).
const CLAIM: i64 = 5;
/// A claimed delivery is not taken again before this (longer than an attempt).
const LEASE_MS: i64 = 60_000;
/// A message stops claiming more of its brand's deliveries after this long
/// (the rest go in the next message or cron run), ms.
const BRAND_BUDGET_MS: i64 = 20_000;

/// The message that asks for a brand's due deliveries.
#[derive(Debug, Serialize, Deserialize)]
pub struct DeliverBrand {
    pub brand: String,
}

/// Where webhooks may go: plain `http` to loopback only when the edge runs
/// locally (`WEBHOOK_LOOPBACK_HTTP = "allow"`, set by `cargo xtask` for
/// `wrangler dev`, never in `wrangler.toml`).
pub fn target_policy(env: &Env) -> TargetPolicy {
    let allow = env.var("WEBHOOK_LOOPBACK_HTTP").map(|v| v.to_string() == "allow").unwrap_or(false);
    TargetPolicy { loopback_http: allow }
}

/// Asks for the brand's due deliveries to be sent: a queue message, or, in
/// a deployment without the `DELIVERIES` queue (an old configuration), at
/// once in this request's `wait_until`.
pub async fn enqueue(env: &Env, brand: &str) {
    match env.queue("DELIVERIES") {
        Ok(q) => {
            if let Err(e) = q.send(&DeliverBrand { brand: brand.to_owned() }).await {
                // The cron job picks the deliveries up within a minute.
                console_warn!("deliveries for {brand} not queued ({e}); the cron job will send them");
            }
        }
        Err(_) => {
            if let Ok(db) = env.d1("DB") {
                deliver_brand(env, &db, brand).await;
            }
        }
    }
}

/// Records one webhook delivery of `event` to `url`, due now, for the
/// delivery loop (the log, retries and signatures are the same as every
/// webhook's). The caller asks for it to be sent with [`enqueue`].
///
/// # Errors
/// When D1 fails.
pub async fn schedule(db: &D1Database, brand: &str, event: &str, url: &str, payload: &str, now: i64) -> EdgeResult<()> {
    let id = crate::request::new_id()?;
    crate::store::stmt(db, "INSERT INTO webhook_deliveries (id, brand_id, event, url, payload, next_attempt_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)", &[
        id.as_str().into(),
        brand.into(),
        event.into(),
        url.into(),
        payload.into(),
        crate::store::int(now),
    ])?
    .run()
    .await
    .map_err(|e| crate::errors::EdgeError::store("schedule webhook", e))?;
    Ok(())
}

/// The cron job: queues every brand with deliveries due (retries).
///
/// # Errors
/// When D1 fails.
pub async fn enqueue_due(env: &Env, db: &D1Database) -> EdgeResult<usize> {
    let due = store::brands_with_due(db, now_ms()).await?;
    join_all(due.iter().map(|b| enqueue(env, b))).await;
    Ok(due.len())
}

/// The `DELIVERIES` queue's consumer: every brand of the batch at once
/// (a brand named by several messages, once).
pub async fn consume(env: &Env, mut brands: Vec<String>) {
    let Ok(db) = env.d1("DB") else {
        console_warn!("no D1 binding: deliveries wait for the next run");
        return;
    };
    brands.sort();
    brands.dedup();
    join_all(brands.iter().map(|b| deliver_brand(env, &db, b))).await;
}

/// Sends the brand's due deliveries one by one (`CLAIM` leased at a time)
/// until none is due or the brand's time budget is spent.
pub async fn deliver_brand(env: &Env, db: &D1Database, brand: &str) {
    let started = now_ms();
    let policy = target_policy(env);
    let (config, previous) = match BrandId::parse(brand) {
        Ok(id) => match brands::find(db, &id).await {
            Ok(Some(b)) => (b.config, b.previous_webhook_secret),
            Ok(None) => return,
            Err(e) => {
                console_warn!("deliveries for {brand}: {}", e.into_api_error());
                return;
            }
        },
        Err(_) => return,
    };
    let secret = match config.webhook_secret.as_deref() {
        Some(s) if !s.is_empty() => s,
        // Never sign with an empty key: wait for the brand's secret.
        _ => return,
    };
    // Signed with the secret the current one replaced too, while it still
    // works (`keep_previous_hours`): receivers move to the new one in
    // their own time.
    let secrets: Vec<&str> = std::iter::once(secret).chain(previous.live(started).filter(|p| !p.is_empty())).collect();
    let secret = secrets.as_slice();
    while now_ms() - started < BRAND_BUDGET_MS {
        let now = now_ms();
        let claimed = match store::claim_due(db, brand, now, now + LEASE_MS, CLAIM).await {
            Ok(c) => c,
            Err(e) => {
                console_warn!("claiming deliveries for {brand}: {}", e.into_api_error());
                return;
            }
        };
        if claimed.is_empty() {
            return;
        }
        for d in &claimed {
            // Where the brand's settings send this event now (see
            // `BrandConfig::webhook_url_for`): a moved endpoint gets the
            // retries, a removed one nothing more.
            match config.webhook_url_for(&d.event) {
                Some(None) => given_up(db, d, "the brand removed this event's endpoint from its settings").await,
                Some(Some(url)) if url != d.url => deliver_one(db, &Delivery { url: url.to_owned(), ..d.clone() }, secret, policy).await,
                _ => deliver_one(db, d, secret, policy).await,
            }
        }
    }
}

/// A delivery ended without an attempt: failed, `why` as its error.
async fn given_up(db: &D1Database, d: &Delivery, why: &str) {
    let now = now_ms();
    let record = Attempted { status: DeliveryStatus::Failed, attempts: d.attempts, http_status: None, error: Some(why), started_at: now, duration_ms: 0, next_attempt_at: now, url: &d.url };
    if let Err(e) = store::delivery_result(db, &d.id, &record).await {
        console_warn!("recording delivery {}: {}", d.id, e.into_api_error());
    }
}

/// One attempt and its record (with the URL it went to): delivered,
/// retried later with backoff, or given up after the last retry. Signed
/// with each of `secrets` (the brand's webhook secret, and the one it
/// replaced while that still works).
async fn deliver_one(db: &D1Database, d: &Delivery, secrets: &[&str], policy: TargetPolicy) {
    let started_at = now_ms();
    let outcome = match check_target(&d.url, policy) {
        Ok(()) => attempt(d, secrets).await,
        Err(why) => Err(format!("refused target: {why}")),
    };
    let duration_ms = now_ms() - started_at;
    let attempts = d.attempts + 1;
    let (http_status, error) = match &outcome {
        Ok(s) if (200..300).contains(s) => (Some(*s), None),
        Ok(s) => (Some(*s), Some(format!("answered {s}"))),
        Err(e) => (None, Some(e.clone())),
    };
    let delivered = error.is_none();
    let refused = error.as_deref().is_some_and(|e| e.starts_with("refused target"));
    let retry = if delivered || refused { None } else { webhook_backoff(u32::try_from(attempts).unwrap_or(u32::MAX)) };
    let (status, next_attempt_at) = match (delivered, retry) {
        (true, _) => (DeliveryStatus::Delivered, started_at),
        (false, Some(wait)) => (DeliveryStatus::Pending, now_ms() + wait.saturating_mul(1000)),
        (false, None) => (DeliveryStatus::Failed, started_at),
    };
    if status == DeliveryStatus::Failed {
        console_warn!("webhook {} to {} failed for good: {error:?}", d.id, d.url);
    }
    let record = Attempted { status, attempts, http_status, error: error.as_deref(), started_at, duration_ms, next_attempt_at, url: &d.url };
    if let Err(e) = store::delivery_result(db, &d.id, &record).await {
        // The lease ends and the attempt is made again: at-least-once.
        console_warn!("recording delivery {}: {}", d.id, e.into_api_error());
    }
}

/// POSTs the signed payload; gives up after the timeout.
async fn attempt(d: &Delivery, secrets: &[&str]) -> Result<u16, String> {
    let headers = Headers::new();
    let now_s = now_ms() / 1000;
    let _ = headers.set("content-type", "application/json");
    let _ = headers.set("kindred-event", &d.event);
    let _ = headers.set("kindred-delivery", &d.id);
    let keys: Vec<&[u8]> = secrets.iter().map(|s| s.as_bytes()).collect();
    let _ = headers.set("kindred-signature", &sign_webhook_with(&keys, now_s, &d.payload));
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_headers(headers)
        .with_body(Some(JsValue::from_str(&d.payload)))
        .with_redirect(RequestRedirect::Manual);
    let req = Request::new_with_init(&d.url, &init).map_err(|e| e.to_string())?;
    let controller = AbortController::default();
    let signal = controller.signal();
    let fetch = Fetch::Request(req);
    let send = Box::pin(fetch.send_with_signal(&signal));
    let timeout = Box::pin(Delay::from(Duration::from_millis(DELIVERY_TIMEOUT_MS)));
    let outcome = match select(send, timeout).await {
        Either::Left((Ok(resp), _)) => Ok(resp.status_code()),
        Either::Left((Err(e), _)) => Err(e.to_string()),
        Either::Right(_) => Err(format!("no answer within {} s", DELIVERY_TIMEOUT_MS / 1000)),
    };
    if outcome.is_err() {
        controller.abort();
    }
    outcome
}
