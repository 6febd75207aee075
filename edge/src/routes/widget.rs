//! `GET /v1/widget/{brand}?product=..&locale=..`: the widget's first paint
//! in one request: its data and, with `locale`, its markup (rendered by the
//! widget's own components, `crate::markup`). The data is served from a KV
//! copy while it is current; built from D1 (and the copy refreshed in the
//! background) when it is not. The markup is rendered from that data and
//! kept in this isolate's memory beside it.

use super::Ctx;
use crate::cors;
use crate::errors::{EdgeError, EdgeResult};
use crate::http::{raw_json, set_header};
use crate::markup;
use crate::store::{brands, cache, isolate, widget};
use kindred_core::widget::WidgetPayload;
use kindred_core::{BrandId, ErrorCode, ProductId};
use worker::{D1Database, Request, Response};

/// What a first-paint request asks for, read from its URL once.
struct Asked {
    product: Option<ProductId>,
    /// With `?locale=`: the first view's markup, in that UI locale (a
    /// language tag; one Kindred does not ship is English), with photo URLs
    /// under the edge's base URL as the loader sees it (the request's origin
    /// and `/`). Without it, no markup.
    markup: Option<(&'static str, String)>,
}

fn asked(req: &Request) -> EdgeResult<Asked> {
    let url = req.url().map_err(|e| EdgeError::api(ErrorCode::BadRequest, format!("bad URL: {e}")))?;
    let param = |name: &str| url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
    let product = match param("product").as_deref() {
        None | Some("") => None,
        Some(p) => Some(ProductId::parse(p)?),
    };
    let markup = param("locale").map(|l| (markup::locale(&l).unwrap_or("en"), format!("{}/", url.origin().ascii_serialization())));
    Ok(Asked { product, markup })
}

/// The payload JSON with its first view's markup added, or as it was when
/// none was asked for.
fn with_markup(json: &str, payload: Option<WidgetPayload>, brand: &BrandId, asked: &Asked) -> EdgeResult<String> {
    let Some((locale, edge)) = &asked.markup else { return Ok(json.to_owned()) };
    let mut payload = match payload {
        Some(p) => p,
        None => serde_json::from_str::<WidgetPayload>(json).map_err(|e| EdgeError::internal("decode payload copy", e))?,
    };
    let html = markup::first_view(payload.clone(), edge, brand, asked.product.as_ref(), locale);
    payload.markup = Some(html);
    serde_json::to_string(&payload).map_err(|e| EdgeError::internal("encode payload", e))
}

fn no_brand(brand: &BrandId) -> EdgeError {
    EdgeError::api(ErrorCode::BrandNotFound, format!("no brand '{brand}'"))
}

/// Answers from, in order: this isolate's memory (at most
/// `ISOLATE_CACHE_MS` old), the KV copy if it was built at the brand's
/// current copy version, or D1 (and then refreshes the copy in the
/// background). The version is read from D1 beside the KV read, so a copy
/// is never served after a change it depends on (see [`changed`]).
pub async fn get(req: &Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let brand = BrandId::parse(brand)?;
    let asked = asked(req)?;
    let product = asked.product.clone();
    let kv = cx.kv()?;
    let key = cache::widget_key(&brand, product.as_ref());
    // The answer with markup, per locale and edge origin; under the data's
    // key, so whatever drops the data drops it too.
    let answer_key = match &asked.markup {
        Some((locale, edge)) => format!("{key}#{locale}#{edge}"),
        None => key.clone(),
    };

    let now = js_sys::Date::now();
    if let Some(e) = isolate::get(&answer_key, now) {
        return Ok(respond(req, e.json.as_bytes().to_vec(), &e.origins, "isolate"));
    }
    let isolate_ttl = isolate_ttl(cx);
    let db = cx.db()?;
    let (copy, version) = futures_util::future::join(cache::get_widget(&kv, &key), brands::copy_version(&db, &brand)).await;
    let version = version?.ok_or_else(|| no_brand(&brand))?;
    if let Some((json, meta)) = copy.filter(|(_, meta)| meta.version == version) {
        let answer = with_markup(&json, None, &brand, &asked)?;
        let resp = respond(req, answer.as_bytes().to_vec(), &meta.origins, "hit");
        isolate::put(&answer_key, answer.into(), meta.origins.into(), now, isolate_ttl);
        return Ok(resp);
    }

    let (found, payload) = widget::load(&db, &brand, product.as_ref()).await?.ok_or_else(|| no_brand(&brand))?;
    let json = serde_json::to_string(&payload).map_err(|e| EdgeError::internal("encode payload", e))?;

    // The version read with the data: a change after it makes this copy old.
    let meta = cache::WidgetMeta { origins: found.config.allowed_origins, version: found.copy_version };
    let worth_copying = payload.worth_copying(product.is_some());
    let answer = with_markup(&json, Some(payload), &brand, &asked)?;
    if !worth_copying {
        return Ok(respond(req, answer.into_bytes(), &meta.origins, "uncached"));
    }
    let ttl = cache_ttl(cx);
    let resp = respond(req, answer.as_bytes().to_vec(), &meta.origins, "miss");
    isolate::put(&answer_key, answer.into(), meta.origins.clone().into(), now, isolate_ttl);
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

/// Marks every first-paint copy of the brand as old after a change they
/// show (settings, moderation, new approved content, votes, groups,
/// ambassadors): moves the brand's copy version in D1 and drops this
/// isolate's entries. Changes made in one D1 batch put the bump in that
/// batch instead (`brands::copy_version_bump`). Nothing is rebuilt here:
/// the next view rebuilds its copy (so a burst of votes costs one rebuild
/// per viewed product, not one per vote); other isolates' memory copies live
/// at most `ISOLATE_CACHE_MS`.
///
/// # Errors
/// `unavailable` when D1 fails (the change is then reported as failed, so
/// the caller retries rather than leaving a stale copy behind).
pub async fn changed(db: &D1Database, brand: &BrandId) -> EdgeResult<()> {
    brands::bump_copy_version(db, brand).await?;
    forget_isolate(brand);
    Ok(())
}

/// Drops this isolate's memory copies of the brand's first paints (for a
/// change whose statement already moved the copy version).
pub fn forget_isolate(brand: &BrandId) {
    isolate::forget(&cache::brand_prefix(brand));
}

/// A CORS preflight on a brand's path: allowed for the brand's origins,
/// with `methods` (those routed at the path).
///
/// # Errors
/// `brand_not_found`, `origin_not_allowed`.
pub async fn preflight(req: &Request, cx: &Ctx, brand: &str, methods: &str) -> EdgeResult<Response> {
    let brand = BrandId::parse(brand)?;
    let db = cx.db()?;
    let found = brands::find(&db, &brand).await?.ok_or_else(|| no_brand(&brand))?;
    match cors::allowed(req, &found.config.allowed_origins) {
        Some(origin) => Ok(cors::preflight_ok(&origin, methods)),
        None => Err(EdgeError::api(
            ErrorCode::OriginNotAllowed,
            "this origin is not on the brand's allowed origins",
        )),
    }
}
