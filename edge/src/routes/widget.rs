//! `GET /v1/widget/{brand}?product=..`: the widget's first paint in one
//! request. Served from a KV copy when there is one; built from D1 (and the
//! copy refreshed in the background) when there is not.

use super::Ctx;
use crate::cors;
use crate::errors::{EdgeError, EdgeResult};
use crate::http::{raw_json, set_header};
use crate::store::{brands, cache, isolate, widget};
use worker::console_warn;
use kindred_core::{BrandId, ErrorCode, ProductId};
use worker::{Request, Response};

fn product_param(req: &Request) -> EdgeResult<Option<ProductId>> {
    let url = req.url().map_err(|e| EdgeError::api(ErrorCode::BadRequest, format!("bad URL: {e}")))?;
    let raw = url.query_pairs().find(|(k, _)| k == "product").map(|(_, v)| v.into_owned());
    match raw.as_deref() {
        None | Some("") => Ok(None),
        Some(p) => Ok(Some(ProductId::parse(p)?)),
    }
}

fn no_brand(brand: &BrandId) -> EdgeError {
    EdgeError::api(ErrorCode::BrandNotFound, format!("no brand '{brand}'"))
}

pub async fn get(req: &Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let brand = BrandId::parse(brand)?;
    let product = product_param(req)?;
    let kv = cx.kv()?;
    let key = cache::widget_key(&brand, product.as_ref());

    let now = js_sys::Date::now();
    if let Some(e) = isolate::get(&key, now) {
        return Ok(respond(req, e.json.as_bytes().to_vec(), &e.origins, "isolate"));
    }
    let isolate_ttl = isolate_ttl(cx);
    if let Some((json, meta)) = cache::get_widget(&kv, &key).await {
        let resp = respond(req, json.as_bytes().to_vec(), &meta.origins, "hit");
        isolate::put(&key, json.into(), meta.origins.into(), now, isolate_ttl);
        return Ok(resp);
    }

    let db = cx.db()?;
    let (found, payload) = widget::load(&db, &brand, product.as_ref()).await?.ok_or_else(|| no_brand(&brand))?;
    let json = serde_json::to_string(&payload).map_err(|e| EdgeError::internal("encode payload", e))?;

    let meta = cache::WidgetMeta { origins: found.config.allowed_origins };
    if !payload.worth_copying(product.is_some()) {
        return Ok(respond(req, json.into_bytes(), &meta.origins, "uncached"));
    }
    let ttl = cache_ttl(cx);
    let resp = respond(req, json.clone().into_bytes(), &meta.origins, "miss");
    isolate::put(&key, json.as_str().into(), meta.origins.clone().into(), now, isolate_ttl);
    // Refresh the copy after answering: the shopper does not wait for KV.
    cx.wait_until(async move {
        cache::put_widget(&kv, &key, &json, &meta, ttl).await;
    });
    Ok(resp)
}

fn respond(req: &Request, body: Vec<u8>, origins: &[kindred_core::Origin], cache_state: &str) -> Response {
    let mut resp = raw_json(200, body);
    cors::apply(&mut resp, cors::allowed(req, origins).as_ref());
    // Revalidate every time: right after moderation the next view is fresh.
    set_header(&mut resp, "cache-control", "no-cache");
    set_header(&mut resp, "x-kindred-cache", cache_state);
    resp
}

fn isolate_ttl(cx: &Ctx) -> f64 {
    cx.env.var("ISOLATE_CACHE_MS").ok().and_then(|v| v.to_string().parse::<f64>().ok()).unwrap_or(1000.0)
}

fn cache_ttl(cx: &Ctx) -> u64 {
    cx.env.var("WIDGET_CACHE_TTL").ok().and_then(|v| v.to_string().parse::<u64>().ok()).unwrap_or(3600)
}

/// Rebuilds the KV copies a change touched (brand-wide, and the product's)
/// from D1 before the change is acknowledged, so the next view shows it.
/// Failures only cost a cache miss later: they are logged, not returned.
pub async fn refresh(cx: &Ctx, brand: &BrandId, product: Option<&ProductId>) {
    let (Ok(kv), Ok(db)) = (cx.kv(), cx.db()) else {
        return;
    };
    cache::forget_widget(&kv, brand, product).await;
    isolate::forget(&cache::widget_key(brand, None));
    if let Some(p) = product {
        isolate::forget(&cache::widget_key(brand, Some(p)));
    }
    let ttl = cache_ttl(cx);
    let scopes = match product {
        Some(p) => vec![None, Some(p)],
        None => vec![None],
    };
    for p in scopes {
        match widget::load(&db, brand, p).await {
            Ok(Some((found, payload))) => match serde_json::to_string(&payload) {
                Ok(json) => {
                    let meta = cache::WidgetMeta { origins: found.config.allowed_origins };
                    cache::put_widget(&kv, &cache::widget_key(brand, p), &json, &meta, ttl).await;
                }
                Err(e) => console_warn!("encode payload for {brand}: {e}"),
            },
            Ok(None) => {}
            Err(e) => console_warn!("rebuilding the widget copy for {brand} failed: {}", e.into_api_error()),
        }
    }
}

pub async fn preflight(req: &Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let brand = BrandId::parse(brand)?;
    let db = cx.db()?;
    let found = brands::find(&db, &brand).await?.ok_or_else(|| no_brand(&brand))?;
    match cors::allowed(req, &found.config.allowed_origins) {
        Some(origin) => Ok(cors::preflight_ok(&origin)),
        None => Err(EdgeError::api(
            ErrorCode::OriginNotAllowed,
            "this origin is not on the brand's allowed origins",
        )),
    }
}
