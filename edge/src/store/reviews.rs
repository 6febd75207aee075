//! Purchase-linked review requests in D1 (`kindred_core::review_request`):
//! orders, one request row per (order, product), opt-outs.

use super::Metered;
use super::{int, opt, stmt};
use crate::errors::{EdgeError, EdgeResult};
use kindred_core::BrandId;
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::D1Database;

/// An order as stored.
#[derive(Debug, Deserialize)]
pub struct OrderRow {
    pub id: String,
    pub order_id: String,
    pub email: Option<String>,
    pub customer: Option<String>,
    pub send_at: Option<i64>,
}

/// One product's request as stored, with its product page if Kindred knows it.
#[derive(Debug, Deserialize)]
pub struct RequestRow {
    pub id: String,
    pub product_id: String,
    pub expires_at: i64,
    pub used_at: Option<i64>,
    pub product_url: Option<String>,
}

pub async fn find_order(db: &D1Database, brand: &BrandId, order_id: &str) -> EdgeResult<Option<OrderRow>> {
    stmt(db, "SELECT id, order_id, email, customer, send_at FROM review_orders WHERE brand_id = ?1 AND order_id = ?2", &[brand.as_str().into(), order_id.into()])?
        .first_row()
        .await
        .map_err(|e| EdgeError::store("find order", e))
}

pub async fn order_by_row(db: &D1Database, brand: &BrandId, row: &str) -> EdgeResult<Option<OrderRow>> {
    stmt(db, "SELECT id, order_id, email, customer, send_at FROM review_orders WHERE brand_id = ?1 AND id = ?2", &[brand.as_str().into(), row.into()])?
        .first_row()
        .await
        .map_err(|e| EdgeError::store("find order", e))
}

pub async fn requests(db: &D1Database, brand: &BrandId, order_row: &str) -> EdgeResult<Vec<RequestRow>> {
    stmt(db, "SELECT r.id, r.product_id, r.expires_at, r.used_at, p.url AS product_url FROM review_requests r \
         LEFT JOIN products p ON p.brand_id = r.brand_id AND p.id = r.product_id \
         WHERE r.brand_id = ?1 AND r.order_row = ?2 ORDER BY r.rowid", &[brand.as_str().into(), order_row.into()])?
    .all_rows()
    .await
    .map_err(|e| EdgeError::store("order requests", e))?
    .results()
    .map_err(|e| EdgeError::store("order request rows", e))
}

/// Whether the customer known by any of `keys` (`review_request::keys`,
/// at most two) opted out.
pub async fn opted_out(db: &D1Database, brand: &BrandId, keys: &[String]) -> EdgeResult<bool> {
    #[derive(Deserialize)]
    struct Row {
        n: i64,
    }
    let first = keys.first().map(String::as_str).unwrap_or_default();
    let second = keys.get(1).map(String::as_str).unwrap_or(first);
    let row: Option<Row> = stmt(db, "SELECT COUNT(*) AS n FROM review_opt_outs WHERE brand_id = ?1 AND who IN (?2, ?3)", &[brand.as_str().into(), first.into(), second.into()])?
        .first_row()
        .await
        .map_err(|e| EdgeError::store("opt-out lookup", e))?;
    Ok(row.is_some_and(|r| r.n > 0))
}

/// A new order with its requests (and its scheduled webhook, if any), in one
/// batch. `Ok(false)` when another request stored the same order id first.
pub struct NewOrderRows<'a> {
    pub brand: &'a BrandId,
    pub row: &'a str,
    pub order: &'a kindred_core::review_request::ValidOrder,
    pub who: &'a str,
    /// (request id, product id) for each product.
    pub requests: &'a [(String, String)],
    pub expires_at: i64,
    /// (delivery id, url, payload JSON, when) of the review.requested webhook.
    pub delivery: Option<(&'a str, &'a str, &'a str, i64)>,
    pub now: i64,
}

pub async fn insert_order(db: &D1Database, n: NewOrderRows<'_>) -> EdgeResult<bool> {
    let b: JsValue = n.brand.as_str().into();
    let mut statements = vec![stmt(db, "INSERT INTO review_orders (id, brand_id, order_id, who, email, customer, ordered_at, delivery_id, created_at, send_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", &[
        n.row.into(),
        b.clone(),
        n.order.order_id.as_str().into(),
        n.who.into(),
        opt(n.order.email.as_deref()),
        opt(n.order.customer.as_deref()),
        int(n.order.ordered_at),
        opt(n.delivery.map(|d| d.0)),
        int(n.now),
        n.delivery.map_or(JsValue::NULL, |d| int(d.3)),
    ])?];
    // One statement per product: 7 parameters each, far from D1's 100.
    for (id, product) in n.requests {
        statements.push(stmt(db, "INSERT INTO review_requests (id, brand_id, order_row, product_id, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)", &[
            id.as_str().into(),
            b.clone(),
            n.row.into(),
            product.as_str().into(),
            int(n.expires_at),
        ])?);
    }
    if let Some((id, url, payload, at)) = n.delivery {
        statements.push(stmt(db, "INSERT INTO webhook_deliveries (id, brand_id, event, url, payload, next_attempt_at, created_at) \
             VALUES (?1, ?2, 'review.requested', ?3, ?4, ?5, ?6)", &[id.into(), b, url.into(), payload.into(), int(at), int(n.now)])?);
    }
    match super::batch(db, statements).await {
        Ok(_) => Ok(true),
        Err(e) if super::is_unique_violation(&e, "review_orders") => Ok(false),
        Err(e) => Err(EdgeError::store("insert order", e)),
    }
}

/// A review request, as a submission checks it.
#[derive(Debug, Deserialize)]
pub struct Request {
    pub product_id: String,
    pub expires_at: i64,
    pub used_at: Option<i64>,
    /// The order's email, if the brand gave one.
    pub email: Option<String>,
    /// The order's customer id, if the brand gave one.
    pub customer: Option<String>,
}

/// A request by id, with its order's email.
pub async fn request(db: &D1Database, brand: &BrandId, id: &str) -> EdgeResult<Option<Request>> {
    stmt(db, "SELECT r.product_id, r.expires_at, r.used_at, o.email, o.customer FROM review_requests r JOIN review_orders o ON o.id = r.order_row \
         WHERE r.brand_id = ?1 AND r.id = ?2", &[brand.as_str().into(), id.into()])?
    .first_row()
    .await
    .map_err(|e| EdgeError::store("review request", e))
}

/// The customer known by `keys` (`review_request::keys`: email and/or
/// customer id) asks not to be asked again: remembered under every key;
/// the scheduled review.requested webhooks and unused links of every order
/// known by any of them stop. Idempotent.
pub async fn opt_out(db: &D1Database, brand: &BrandId, keys: &[String], now: i64) -> EdgeResult<()> {
    let b: JsValue = brand.as_str().into();
    let mut statements = Vec::new();
    for key in keys {
        let w: JsValue = key.as_str().into();
        statements.push(stmt(db, "INSERT INTO review_opt_outs (brand_id, who, created_at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING", &[b.clone(), w.clone(), int(now)])?);
        statements.push(stmt(db, "UPDATE webhook_deliveries SET status = 'failed', last_error = 'the customer opted out of review requests' \
             WHERE brand_id = ?1 AND event = 'review.requested' AND status = 'pending' \
             AND id IN (SELECT delivery_id FROM review_orders WHERE brand_id = ?1 AND who = ?2 AND delivery_id IS NOT NULL)", &[b.clone(), w.clone()])?);
        statements.push(stmt(db, "UPDATE review_requests SET expires_at = MIN(expires_at, ?3) WHERE brand_id = ?1 AND used_at IS NULL \
             AND order_row IN (SELECT id FROM review_orders WHERE brand_id = ?1 AND who = ?2)", &[b.clone(), w, int(now)])?);
    }
    super::batch(db, statements).await.map_err(|e| EdgeError::store("opt out", e))?;
    Ok(())
}
