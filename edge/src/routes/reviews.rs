//! Purchase-linked review requests (`kindred_core::review_request`): the
//! brand's server reports an order and gets one signed, single-use review
//! link per product (optionally sent to its `review_webhook_url` N days
//! later); the customer can opt out from a link in the email; a review
//! written through a link is a "Verified purchase" (`testimonials::submit`).

use super::Ctx;
use crate::auth;
use crate::errors::{EdgeError, EdgeResult};
use crate::http::{edge_origin, json_response, set_header};
use crate::request::{json, query, random};
use crate::store::{brands::Brand, now_ms, reviews as store};
use kindred_core::auth::hex;
use kindred_core::review_request::{self as rr, NewOrder, ReviewLink, ReviewRequests, ValidOrder};
use kindred_core::{ApiError, BrandId, ErrorCode};
use worker::{Request, Response};

const BODY_MAX: usize = 16 * 1024;

/// What review, opt-out and referral links (`kindred_core::referral::LINK_PURPOSE`)
/// are signed with: the brand's link key (migration 0043; never shown, so
/// replacing the identity secret leaves links already emailed working),
/// else, for a brand made before it, its identity secret.
pub(crate) fn secret(brand: &Brand) -> EdgeResult<&[u8]> {
    brand
        .link_secret
        .as_deref()
        .or(brand.identity_secret.as_deref())
        .map(str::as_bytes)
        .filter(|s| s.len() >= kindred_core::limits::IDENTITY_SECRET_MIN_BYTES)
        .ok_or_else(|| EdgeError::api(ErrorCode::Conflict, "this brand has no key to sign links with"))
}

pub(crate) fn row_id() -> EdgeResult<String> {
    Ok(hex(&random::<12>()?))
}


/// `POST /v1/admin/brands/{brand}/orders`: 201 with the links of a new
/// order, 200 with those of an order reported before (same links, whatever
/// the body says now).
///
/// # Errors
/// `validation_failed` (see `NewOrder::validate`; `send_after_days` without
/// a `review_webhook_url`; no page to send customers to), `conflict` (no
/// identity secret).
pub async fn order(req: &mut Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let id = BrandId::parse(brand)?;
    let db = cx.db()?;
    let found = auth::brand_admin(req, &db, &id).await?;
    let body: NewOrder = json(req, BODY_MAX).await?;
    let now = now_ms();
    let order = body.validate(now)?;
    let secret = secret(&found)?;
    let edge = edge_origin(req);
    let answer = |status: u16, row: &store::OrderRow, links: Vec<ReviewLink>, opted_out: bool, send_at: Option<i64>| -> EdgeResult<Response> {
        let opt_out = rr::token(secret, "opt-out", &id, &row.id).map(|t| format!("{edge}/reviews/{}/opt-out?token={t}", id.as_str()));
        let body = ReviewRequests { order_id: row.order_id.clone(), opted_out, links: if opted_out { Vec::new() } else { links }, opt_out_url: opt_out, send_at };
        let mut resp = json_response(status, &body);
        set_header(&mut resp, "cache-control", "no-store");
        Ok(resp)
    };
    if let Some(row) = store::find_order(&db, &id, &order.order_id).await? {
        let links = links(&db, &found, &id, secret, &row.id).await?;
        let opted_out = store::opted_out(&db, &id, &rr::keys(row.email.as_deref(), row.customer.as_deref())).await?;
        let send_at = row.send_at.filter(|_| !opted_out);
        return answer(200, &row, links, opted_out, send_at);
    }
    let who = order.who();
    let row = row_id()?;
    let opted_out = store::opted_out(&db, &id, &rr::keys(order.email.as_deref(), order.customer.as_deref())).await?;
    let requests: Vec<(String, String)> = order.products.iter().map(|p| Ok((row_id()?, p.as_str().to_owned()))).collect::<EdgeResult<_>>()?;
    let delivery = match order.send_after_days.filter(|_| !opted_out) {
        None => None,
        Some(days) => {
            let url = found.config.review_webhook_url.clone().ok_or_else(|| {
                EdgeError::Api(ApiError::field(ErrorCode::ValidationFailed, "send_after_days", "set review_webhook_url in the settings to have the links sent"))
            })?;
            let at = schedule(order.ordered_at, days);
            let preview: Vec<ReviewLink> = requests
                .iter()
                .map(|(rid, product)| link(secret, &id, rid, product, None, page_for(&found, product).as_deref(), now + rr::LINK_TTL_MS, None))
                .collect::<EdgeResult<_>>()?;
            let opt_out_url = rr::token(secret, "opt-out", &id, &row).map(|t| format!("{edge}/reviews/{}/opt-out?token={t}", id.as_str()));
            let payload = webhook_payload(&order, &preview, opt_out_url.as_deref())?;
            Some((row_id()?, url, payload, at))
        }
    };
    let stored = store::insert_order(&db, store::NewOrderRows {
        brand: &id,
        row: &row,
        order: &order,
        who: &who,
        requests: &requests,
        expires_at: now + rr::LINK_TTL_MS,
        delivery: delivery.as_ref().map(|(d, u, p, at)| (d.as_str(), u.as_str(), p.as_str(), *at)),
        now,
    })
    .await?;
    // Lost a race with the same order id: answer what the winner stored.
    let status = if stored { 201 } else { 200 };
    let row = store::find_order(&db, &id, &order.order_id).await?.ok_or_else(|| EdgeError::api(ErrorCode::Conflict, "the order changed meanwhile: try again"))?;
    let links = links(&db, &found, &id, secret, &row.id).await?;
    answer(status, &row, links, opted_out, delivery.map(|d| d.3))
}

/// When the links of an order placed at `ordered_at` are sent, `days` later.
fn schedule(ordered_at: i64, days: u16) -> i64 {
    ordered_at.saturating_add(i64::from(days) * kindred_core::moderation::DAY_MS)
}

/// The `review.requested` webhook's body: what the brand's mailer needs.
fn webhook_payload(order: &ValidOrder, links: &[ReviewLink], opt_out_url: Option<&str>) -> EdgeResult<String> {
    serde_json::to_string(&serde_json::json!({
        "event": "review.requested",
        "order_id": order.order_id,
        "email": order.email,
        "customer": order.customer,
        "links": links,
        "opt_out_url": opt_out_url,
    }))
    .map_err(|e| EdgeError::internal("encode review request", e))
}

#[allow(clippy::too_many_arguments)]
fn link(secret: &[u8], brand: &BrandId, id: &str, product: &str, product_url: Option<&str>, landing: Option<&str>, expires_at: i64, used_at: Option<i64>) -> EdgeResult<ReviewLink> {
    let token = rr::token(secret, "review", brand, id).ok_or_else(|| EdgeError::api(ErrorCode::Conflict, "this brand has no key to sign review links with"))?;
    // `landing` is the brand's `review_page_url` with the product filled in,
    // else its referral landing page (see `page_for`).
    let page = product_url.or(landing).ok_or_else(|| {
        EdgeError::Api(ApiError::field(ErrorCode::ValidationFailed, "products", "Kindred knows no page to send customers to: add allowed_origins or referral.landing_url"))
    })?;
    Ok(ReviewLink { product: product.to_owned(), url: rr::with_query(page, rr::QUERY_PARAM, &token), token, expires_at, used_at })
}

async fn links(db: &worker::D1Database, brand: &Brand, id: &BrandId, secret: &[u8], row: &str) -> EdgeResult<Vec<ReviewLink>> {
    store::requests(db, id, row)
        .await?
        .into_iter()
        .map(|r| {
            let page = page_for(brand, &r.product_id);
            link(secret, id, &r.id, &r.product_id, r.product_url.as_deref().filter(|u| kindred_core::referral::is_http_url(u)), page.as_deref(), r.expires_at, r.used_at)
        })
        .collect()
}

/// Where a product's review link lands when Kindred knows no page of the
/// product: the brand's `review_page_url` with `{product}` filled in, else
/// its referral landing page (the widget there reviews the link's product).
fn page_for(brand: &Brand, product: &str) -> Option<String> {
    brand.config.product_page(product, None).or_else(|| brand.config.referral_landing())
}

/// `GET|POST /reviews/{brand}/opt-out?token=`: a page with one button (GET,
/// which mail scanners fetch, changes nothing), and the opt-out itself (POST).
pub async fn opt_out(req: &Request, cx: &Ctx, brand: &str, confirm: bool) -> EdgeResult<Response> {
    let id = BrandId::parse(brand)?;
    let db = cx.db()?;
    let found = crate::store::brands::require(&db, &id).await?;
    let token = query(req)?.into_iter().find(|(k, _)| k == "token").map(|(_, v)| v).unwrap_or_default();
    // A query parameter: a bad one is `bad_request`, as every query's is.
    let row = rr::verify(&token, secret(&found)?, "opt-out", &id, "token").map_err(|e| EdgeError::Api(ApiError::field(ErrorCode::BadRequest, "token", e.message)))?;
    let order = store::order_by_row(&db, &id, &row).await?.ok_or_else(|| EdgeError::api(ErrorCode::NotFound, "no such order"))?;
    let name = crate::http::escape_html(&found.config.name);
    let keys = rr::keys(order.email.as_deref(), order.customer.as_deref());
    let body = if confirm {
        store::opt_out(&db, &id, &keys, now_ms()).await?;
        format!("<h1>Done</h1><p>{name} will not ask you for reviews again.</p>")
    } else if store::opted_out(&db, &id, &keys).await? {
        format!("<h1>Done</h1><p>{name} will not ask you for reviews again.</p>")
    } else {
        format!(
            "<h1>Stop review requests</h1><p>{name} asks customers for a review after an order. Stop these emails?</p>\
             <form method=\"post\"><button type=\"submit\">Stop review requests from {name}</button></form>"
        )
    };
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Review requests</title><style>body{{font:16px/1.6 system-ui,sans-serif;margin:0 auto;padding:24px 20px;max-width:560px}}\
         button{{font:inherit;padding:8px 16px}}</style></head><body><main>{body}</main></body></html>"
    );
    Ok(crate::http::html_page(html, "no-store", "form-action 'self'; "))
}

/// A submission's review token, checked: `(request id, product id)`. The
/// link decides the product (the page it lands on may show another, or
/// none); the reviewer must use the order's email when the brand gave one,
/// so a link forwarded, or a brand posting orders for its own reviews,
/// does not make a verified purchase of someone else's words.
///
/// # Errors
/// `validation_failed` on `review_token` (malformed or forged, unknown,
/// expired, or the customer opted out), on `email` (not the order's), or on
/// `identity` (an order with a customer id and no email needs that customer
/// signed in); `conflict` on `review_token` when already used.
pub async fn check_token(db: &worker::D1Database, brand: &Brand, id: &BrandId, token: &str, email: &str, sub: Option<&str>, now: i64) -> EdgeResult<(String, String)> {
    let bad = |msg: &str| EdgeError::Api(ApiError::field(ErrorCode::ValidationFailed, "review_token", msg));
    let request = rr::verify(token, secret(brand).map_err(|_| bad("this review link is not valid"))?, "review", id, "review_token")?;
    let found = crate::store::reviews::request(db, id, &request).await?.ok_or_else(|| bad("this review link is not valid"))?;
    if found.used_at.is_some() {
        return Err(EdgeError::Api(ApiError::field(ErrorCode::Conflict, "review_token", "a review was already written through this link")));
    }
    if found.expires_at <= now {
        return Err(bad("this review link has expired"));
    }
    let canonical = kindred_core::referral::canonical_email;
    match (found.email.as_deref(), found.customer.as_deref()) {
        (Some(e), _) if canonical(e) != canonical(email) => {
            return Err(EdgeError::Api(ApiError::field(ErrorCode::ValidationFailed, "email", "use the email address you ordered with")));
        }
        (None, Some(customer)) if sub != Some(customer) => {
            return Err(EdgeError::Api(ApiError::field(ErrorCode::ValidationFailed, "identity", "sign in to the shop as the customer who ordered")));
        }
        _ => {}
    }
    Ok((request, found.product_id))
}
