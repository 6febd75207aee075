//! Background work, run by the cron trigger (and nudged after the requests
//! that create it): approving held conversions past their deadline and
//! delivering signed webhooks with retries and backoff.

use crate::errors::EdgeResult;
use crate::store::referrals::{self as store, Delivery};
use crate::store::{brands, now_ms};
use kindred_core::referral::{sign_webhook, webhook_backoff};
use kindred_core::BrandId;
use wasm_bindgen::JsValue;
use worker::{console_warn, D1Database, Fetch, Headers, Method, Request, RequestInit};

async fn attempt(d: &Delivery, secret: &str) -> Result<u16, String> {
    let headers = Headers::new();
    let now_s = now_ms() / 1000;
    let _ = headers.set("content-type", "application/json");
    let _ = headers.set("kindred-event", &d.event);
    let _ = headers.set("kindred-delivery", &d.id);
    let _ = headers.set("kindred-signature", &sign_webhook(secret.as_bytes(), now_s, &d.payload));
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_headers(headers).with_body(Some(JsValue::from_str(&d.payload)));
    let req = Request::new_with_init(&d.url, &init).map_err(|e| e.to_string())?;
    let resp = Fetch::Request(req).send().await.map_err(|e| e.to_string())?;
    Ok(resp.status_code())
}

/// Sends every due delivery (of one brand, or all); failures are scheduled
/// again with backoff, and given up after the last retry.
pub async fn deliver_due(db: &D1Database, brand: Option<&str>) -> EdgeResult<u32> {
    let mut delivered = 0;
    for d in store::due_deliveries(db, now_ms(), brand).await? {
        let secret = brands::find(db, &BrandId::parse(&d.brand_id)?).await?.and_then(|b| b.config.webhook_secret).unwrap_or_default();
        let attempts = d.attempts + 1;
        let outcome = attempt(&d, &secret).await;
        let (status, code, error) = match outcome {
            Ok(s) if (200..300).contains(&s) => ("delivered", Some(s), None),
            Ok(s) => ("pending", Some(s), Some(format!("answered {s}"))),
            Err(e) => ("pending", None, Some(e)),
        };
        if status == "delivered" {
            delivered += 1;
            store::delivery_result(db, &d.id, "delivered", attempts, code, None, now_ms()).await?;
            continue;
        }
        match webhook_backoff(u32::try_from(attempts).unwrap_or(u32::MAX)) {
            Some(wait) => store::delivery_result(db, &d.id, "pending", attempts, code, error.as_deref(), now_ms() + wait * 1000).await?,
            None => {
                console_warn!("webhook {} to {} failed for good: {error:?}", d.id, d.url);
                store::delivery_result(db, &d.id, "failed", attempts, code, error.as_deref(), now_ms()).await?
            }
        }
    }
    Ok(delivered)
}
