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
use kindred_core::{context, BrandId, ErrorCode, ProductId};
use std::rc::Rc;
use worker::{D1Database, Request, Response};

/// What a first-paint request asks for, read from its URL once.
pub struct Asked {
    product: Option<ProductId>,
    /// With `?locale=`: the first view's markup, in that UI locale (a
    /// language tag; one Kindred does not ship is English). Without it, no
    /// markup.
    markup: Option<&'static str>,
    /// The visitor's context (`?context=`, `?ref=`, `?group=`/`?invite=`,
    /// `?lang=`; `kindred_core::context`): what the first page puts first.
    context: context::Asked,
}

fn asked(req: &Request) -> EdgeResult<Asked> {
    let url = req.url().map_err(|e| EdgeError::api(ErrorCode::BadRequest, format!("bad URL: {e}")))?;
    asked_in(&url)
}

/// What the first-paint query of `url` asks for (`product`, `locale` and
/// the visitor's context), as `GET /v1/widget/{brand}` reads it.
///
/// # Errors
/// `bad_request` (400) for a malformed `product` (`ProductId::parse`).
pub fn asked_in(url: &worker::Url) -> EdgeResult<Asked> {
    let param = |name: &str| url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
    let product = match param("product").as_deref() {
        None | Some("") => None,
        Some(p) => Some(ProductId::parse(p)?),
    };
    let markup = param("locale").map(|l| markup::locale(&l).unwrap_or("en"));
    let pairs: Vec<(String, String)> = url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    let context = context::Asked::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    Ok(Asked { product, markup, context })
}

/// The payload JSON with its first view's markup added in `i18n`'s locale
/// (and the build it was rendered for, `build`), or as it was without one.
fn with_markup(json: &str, payload: Option<WidgetPayload>, brand: &BrandId, asked: &Asked, i18n: Option<kindred_widget::i18n::I18n>, build: Option<String>) -> EdgeResult<String> {
    let Some(i18n) = i18n else { return Ok(json.to_owned()) };
    let mut payload = match payload {
        Some(p) => p,
        None => decode(json)?,
    };
    // The render reads the same clock (workerd's does not move without I/O).
    payload.markup_at = Some(js_sys::Date::now() as i64);
    let html = markup::first_view(payload.clone(), brand, asked.product.as_ref(), i18n);
    payload.markup = Some(html);
    payload.markup_build = build;
    serde_json::to_string(&payload).map_err(|e| EdgeError::internal("encode payload", e))
}

fn decode(json: &str) -> EdgeResult<WidgetPayload> {
    serde_json::from_str::<WidgetPayload>(json).map_err(|e| EdgeError::internal("decode payload copy", e))
}

fn no_brand(brand: &BrandId) -> EdgeError {
    EdgeError::api(ErrorCode::BrandNotFound, format!("no brand '{brand}'"))
}

/// The brand's copy version in D1 now (`brands::copy_version`); errors:
/// `brand_not_found` (404) for no such brand, a store error otherwise.
async fn copy_version(db: &D1Database, brand: &BrandId) -> EdgeResult<i64> {
    brands::copy_version(db, brand).await?.ok_or_else(|| no_brand(brand))
}

/// A first page's data (no markup), and whether it may be kept as a copy.
struct Data {
    json: String,
    /// Decoded, when it was built here (a copy is decoded only if needed).
    payload: Option<WidgetPayload>,
    meta: cache::WidgetMeta,
    /// `hit` (from KV), `miss` (built, copy refreshed) or `uncached`.
    state: &'static str,
}

impl Data {
    fn payload(&mut self) -> EdgeResult<WidgetPayload> {
        match self.payload.take() {
            Some(p) => Ok(p),
            None => decode(&self.json),
        }
    }
}

/// What the isolate keeps of a scope's plain first page to choose a
/// visitor's order without reading it (its tag chips and languages).
#[derive(serde::Serialize, serde::Deserialize)]
struct Facts {
    tags: Vec<String>,
    languages: Vec<String>,
}

/// How long (ms; 60 s) after it was built an answer this isolate built may
/// be served again past its unchecked lifetime (`ISOLATE_CACHE_MS`), each
/// time after one D1 read finds the brand's copy version where it was.
/// Bounded so that what the payload derives from the clock alone is at
/// most this old; the loader writes relative dates again from `markup_at`
/// in any case.
const RENDER_REUSE_MS: f64 = 60_000.0;

/// Answers from, in order: this isolate's memory (served without a check
/// for at most `ISOLATE_CACHE_MS` after it was built or last checked), an
/// answer this isolate built less than [`RENDER_REUSE_MS`] ago at the copy
/// version D1 still has (one D1 read: no KV read, no render), the KV copy
/// if it was built at the brand's current copy version, or D1 (and then
/// refreshes the copy in the background). The version is read from D1 in
/// the same request before anything kept is served past its second
/// (beside the KV read, or beside the visitor's tags when those are read),
/// so a copy is never served after a change it depends on (see
/// [`changed`]). An answer is served or revalidated only beside facts
/// (the scope's tags and languages, which chose its order) from its own
/// copy version.
///
/// A visitor's context (`kindred_core::context`) that the scope's
/// testimonials have orders the first page for it: that order is a copy of
/// its own beside the plain one (`cache::context_key`), built from the
/// plain copy and one D1 batch; a context they do not have is the plain
/// answer, from its copy. Every cache (isolate, KV) is keyed by the order
/// chosen, never by what was asked, so invented contexts add no entry. A
/// failure while ordering is logged and answered with the plain page.
///
/// `x-kindred-cache` says which: `isolate`, `revalidated`, `hit` (KV),
/// `miss` (built from D1, copy refreshed) or `uncached` (built, not kept).
pub async fn get(req: &Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let brand = BrandId::parse(brand)?;
    let asked = asked(req)?;
    let a = answer(cx, &brand, &asked).await?;
    Ok(respond(req, a.json.as_bytes().to_vec(), &a.origins, a.cache))
}

/// A first paint's answer ([`get`]'s body) and what goes with it.
pub struct Answer {
    /// The `WidgetPayload` JSON (with its markup when `locale` was asked).
    pub json: Rc<str>,
    /// The brand's allowed origins (its CORS).
    pub origins: Rc<[kindred_core::Origin]>,
    /// Where it came from (`x-kindred-cache`).
    pub cache: &'static str,
}

/// The first paint for `asked`, from the nearest copy that is current
/// ([`get`] says how). Errors: `brand_not_found`, store errors.
pub async fn answer(cx: &Ctx, brand: &BrandId, asked: &Asked) -> EdgeResult<Answer> {
    let brand = brand.clone();
    let product = asked.product.clone();
    let key = cache::widget_key(&brand, product.as_ref());
    // The answer with markup, per order and locale (its URLs are relative:
    // the same for every origin it is asked through); under the data's key,
    // so whatever drops the data drops it too.
    let answer_key = |order: Option<&context::Context>| {
        let order = order.map(context::Context::key).unwrap_or_default();
        match &asked.markup {
            Some(locale) => format!("{key}#{order}#{locale}"),
            None => format!("{key}#{order}"),
        }
    };
    let facts_key = format!("{key}#facts");
    let personal = asked.context.wants_tag() || asked.context.lang.is_some();
    let now = js_sys::Date::now();
    let isolate_ttl = isolate_ttl(cx);

    // The scope's facts as this isolate last built them (within their
    // lifetime, or past it and to be revalidated with the answer).
    let known = if personal {
        isolate::get(&facts_key, now, RENDER_REUSE_MS).and_then(|e| serde_json::from_str::<Facts>(&e.json).ok().map(|f| (f, e)))
    } else {
        None
    };
    let known_fresh = known.as_ref().filter(|(_, e)| e.is_fresh(now));
    // The visitor's candidate tags (D1 only for a referral code or a group,
    // and not for a scope known to have no tags). Without fresh facts the
    // copy version is read in any case (to revalidate or to check the KV
    // copy): it is read beside the tags, not after them.
    let mut read_version = None;
    let candidates = if asked.context.wants_tag() && known_fresh.is_none_or(|(f, _)| !f.tags.is_empty()) {
        let db = cx.db()?;
        let tags = async {
            widget::context_tags(&db, &brand, &asked.context, now as i64).await.unwrap_or_else(|e| {
                worker::console_warn!("first paint: the visitor's context was not read ({}): the plain order", e.into_api_error());
                Vec::new()
            })
        };
        if known_fresh.is_some() {
            tags.await
        } else {
            let (tags, version) = futures_util::future::join(tags, copy_version(&db, &brand)).await;
            read_version = Some(version?);
            tags
        }
    } else {
        Vec::new()
    };
    let choose = |tags: &[String], languages: &[String]| {
        context::choose(candidates.iter().map(String::as_str), tags, asked.context.lang.as_deref(), languages)
    };
    // The answer built here for the order the facts choose: served as it is
    // within its lifetime (and the facts' too), or kept to revalidate.
    let mut reusable = None;
    if !personal || known.is_some() {
        let order = known.as_ref().and_then(|(f, _)| choose(&f.tags, &f.languages));
        let answer = answer_key(order.as_ref());
        // Serve or revalidate an answer only beside facts from its own version.
        let same_version = |e: &isolate::Entry| known.as_ref().is_none_or(|(_, f)| f.version == e.version);
        if let Some(e) = isolate::get(&answer, now, RENDER_REUSE_MS).filter(same_version) {
            if e.is_fresh(now) && (!personal || known_fresh.is_some()) {
                return Ok(Answer { json: e.json, origins: e.origins, cache: "isolate" });
            }
            reusable = Some((answer, e));
        }
    }

    let db = cx.db()?;
    if let Some((answer, e)) = reusable {
        let version = match read_version {
            Some(version) => version,
            None => copy_version(&db, &brand).await?,
        };
        if version == e.version {
            isolate::renew(&answer, version, now, isolate_ttl);
            if personal {
                isolate::renew(&facts_key, version, now, isolate_ttl);
            }
            return Ok(Answer { json: e.json, origins: e.origins, cache: "revalidated" });
        }
        read_version = Some(version);
    }

    let kv = cx.kv()?;
    let (copy, version) = match read_version {
        Some(version) => (cache::get_widget(&kv, &key).await, version),
        None => {
            let (copy, version) = futures_util::future::join(cache::get_widget(&kv, &key), copy_version(&db, &brand)).await;
            (copy, version?)
        }
    };
    let mut data = match copy.filter(|(_, meta)| meta.version == version) {
        Some((json, meta)) => Data { json, payload: None, meta, state: "hit" },
        None => {
            let (found, payload) = widget::load(&db, &brand, product.as_ref()).await?.ok_or_else(|| no_brand(&brand))?;
            let json = serde_json::to_string(&payload).map_err(|e| EdgeError::internal("encode payload", e))?;
            // The version read with the data: a change after it makes this copy old.
            let meta = cache::WidgetMeta { origins: found.config.allowed_origins, version: found.copy_version };
            let state = if payload.worth_copying(product.is_some()) { "miss" } else { "uncached" };
            if state == "miss" {
                let (kv, key, json, meta) = (kv.clone(), key.clone(), json.clone(), meta.clone());
                let ttl = cache_ttl(cx);
                // Refresh the copy after answering: the shopper does not wait for KV.
                cx.wait_until(async move { cache::put_widget(&kv, &key, &json, &meta, ttl).await });
            }
            Data { json, payload: Some(payload), meta, state }
        }
    };

    let mut order = None;
    if personal {
        let payload = data.payload()?;
        if data.state != "uncached" {
            if let Ok(facts) = serde_json::to_string(&Facts { tags: payload.tags.clone(), languages: payload.languages.clone() }) {
                isolate::put(&facts_key, facts.into(), data.meta.origins.clone().into(), data.meta.version, now, isolate_ttl);
            }
        }
        order = choose(&payload.tags, &payload.languages);
        data.payload = Some(payload);
        if let Some(chosen) = order.clone() {
            match in_context(cx, &db, &kv, &brand, asked, &mut data, chosen).await {
                Ok(ordered) => data = ordered,
                Err(e) => {
                    worker::console_warn!("first paint: the ordered page was not built ({}): the plain order", e.into_api_error());
                    order = None;
                }
            }
        }
    }
    // Without its words the first view is not drawn (the data still is: the
    // live widget draws it when its wasm comes).
    let i18n = match asked.markup {
        Some(locale) => markup::i18n(&cx.env, locale).await.map_err(|e| worker::console_warn!("first paint without markup: {}", e.into_api_error())).ok(),
        None => None,
    };
    let build = match i18n {
        Some(_) => crate::store::archive::deployed_build(&cx.env, crate::store::now_ms()).await,
        None => None,
    };
    // An answer whose markup was left out (its catalogue unread) is not
    // kept: the next request tries again.
    let whole = asked.markup.is_none() || i18n.is_some();
    let json: Rc<str> = with_markup(&data.json, data.payload, &brand, asked, i18n, build)?.into();
    let origins: Rc<[kindred_core::Origin]> = data.meta.origins.into();
    if data.state != "uncached" && whole {
        isolate::put(&answer_key(order.as_ref()), json.clone(), origins.clone(), data.meta.version, now, isolate_ttl);
    }
    Ok(Answer { json, origins, cache: data.state })
}

/// The first page ordered for `chosen`: from its own KV copy at the plain
/// copy's version, else built (`store::widget::in_context`) and copied in
/// the background. An order that is the plain page's is kept as that (with
/// no `context`), so asking for it again reads no more of D1.
async fn in_context(cx: &Ctx, db: &D1Database, kv: &worker::kv::KvStore, brand: &BrandId, asked: &Asked, plain: &mut Data, chosen: context::Context) -> EdgeResult<Data> {
    let key = cache::context_key(&cache::widget_key(brand, asked.product.as_ref()), &chosen);
    if plain.state == "hit" {
        if let Some((json, meta)) = cache::get_widget(kv, &key).await.filter(|(_, m)| m.version == plain.meta.version) {
            return Ok(Data { json, payload: None, meta, state: "hit" });
        }
    }
    // On an error the caller answers `plain`, decoded again from its JSON.
    let ordered = widget::in_context(db, brand, asked.product.as_ref(), plain.payload()?, chosen).await?;
    let json = serde_json::to_string(&ordered).map_err(|e| EdgeError::internal("encode payload", e))?;
    let state = if plain.state == "uncached" { "uncached" } else { "miss" };
    if state == "miss" {
        let (kv, json, meta, ttl) = (kv.clone(), json.clone(), plain.meta.clone(), cache_ttl(cx));
        cx.wait_until(async move { cache::put_widget(&kv, &key, &json, &meta, ttl).await });
    }
    Ok(Data { json, payload: Some(ordered), meta: plain.meta.clone(), state })
}

fn respond(req: &Request, body: Vec<u8>, origins: &[kindred_core::Origin], cache_state: &str) -> Response {
    let mut resp = raw_json(200, body);
    cors::apply(&mut resp, cors::allowed(req, origins).as_ref());
    // Revalidate every time: right after moderation the next view is fresh.
    set_header(&mut resp, "cache-control", "no-cache");
    set_header(&mut resp, "x-kindred-cache", cache_state);
    resp
}

/// `ISOLATE_CACHE_MS` (default 1000; 0 turns the isolate's copies off), a
/// finite value within 0..=[`RENDER_REUSE_MS`].
fn isolate_ttl(cx: &Ctx) -> f64 {
    let ms = cx.env.var("ISOLATE_CACHE_MS").ok().and_then(|v| v.to_string().parse::<f64>().ok()).filter(|v| v.is_finite());
    ms.unwrap_or(1000.0).clamp(0.0, RENDER_REUSE_MS)
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
/// per viewed product, not one per vote); other isolates serve their memory
/// copies without a check for at most `ISOLATE_CACHE_MS` more.
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
