//! `GET /v1/embed/{brand}?product=..&locale=..`: the loader with the
//! widget's first paint in the same response. A page that loads the loader
//! from this URL, instead of the static `/embed.js`, paints its first
//! testimonials after one request to the edge instead of two in a row (the
//! loader, then its data): a round trip less before the first testimonial,
//! on the path every first visit takes.
//!
//! The body is the deployed build's `/embed.js` (read once per isolate
//! through the `ASSETS` binding) with its first-paint slot
//! (`kindred_core::assets::LOADER_FIRST_PAINT_SLOT`) filled with
//! `{"query", "text"}`: the first-paint query the loader will make for this
//! tag (`product`, `locale` as the UI's language, `lang` as the page's, as
//! widget/loader/embed.js `request` writes them) and
//! `GET /v1/widget/{brand}`'s answer to it (`super::widget::answer`, the
//! same copies). The loader uses it only if it would ask that very query;
//! otherwise (a page whose tag says no `locale`, context tags, a referral
//! link on the page's URL) it asks as the static loader does.
//!
//! The answer is written in only for a page of one of the brand's allowed
//! origins (the request's `Origin`, sent for a `<script crossorigin>`), as
//! `GET /v1/widget` answers only them; a page of another origin gets
//! `{"refused": its origin}` there instead (the loader warns, naming the
//! brand's `allowed_origins`, and asks nothing); for any other request, and when the
//! answer cannot be made (no such brand, D1 unreachable), the loader is
//! served as it is, and it asks for its data itself (and reports what is
//! wrong, as it does from `/embed.js`). A script is never answered with an
//! error for what the page's tag says: the loader explains it in the
//! console.
//!
//! The answer is awaited for at most [`ANSWER_BUDGET_MS`]; past it the
//! loader comes alone. Through a shop's own origin (a proxy path) the
//! browser sends no `Origin` for a same-origin script, so there this tag
//! brings the loader alone: use `/embed.js` there.
//!
//! Caching: `no-cache` (revalidated on every view, as the first paint's
//! data is), `Vary: Origin`. The loader's code comes again with each
//! response (about 12 KB brotli) where `/embed.js` would come from the
//! browser's cache for five minutes: the price of the round trip saved.

use super::widget::{answer, asked_in};
use super::Ctx;
use crate::cors;
use crate::errors::{EdgeError, EdgeResult};
use crate::http::set_header;
use kindred_core::assets::{LOADER_FIRST_PAINT_SLOT, LOADER_PATH};
use kindred_core::{BrandId, ProductId};
use std::rc::Rc;
use worker::{Env, Request, Response, ResponseBuilder, Url};

/// The deployed build's loader, read once per isolate (a deploy starts new
/// isolates). Errors: the `ASSETS` binding missing or failing, or a loader
/// without its first-paint slot.
async fn loader(env: &Env) -> EdgeResult<Rc<str>> {
    thread_local! {
        static LOADER: std::cell::RefCell<Option<Rc<str>>> = const { std::cell::RefCell::new(None) };
    }
    if let Some(text) = LOADER.with(|l| l.borrow().clone()) {
        return Ok(text);
    }
    let mut r = crate::store::archive::static_file(env, LOADER_PATH, "the loader").await?.ok_or_else(|| EdgeError::store("the loader", "not among the static assets"))?;
    let text = r.text().await.map_err(|e| EdgeError::store("the loader", e))?;
    if !text.contains(LOADER_FIRST_PAINT_SLOT) {
        return Err(EdgeError::internal("the loader", "no first-paint slot (a build older than this worker)"));
    }
    let text: Rc<str> = text.into();
    LOADER.with(|l| *l.borrow_mut() = Some(text.clone()));
    Ok(text)
}

/// The first-paint query the loader makes for a tag with these URL
/// parameters (`kindred_core::widget::loader_query`); `None` without a
/// valid `locale` (the loader then takes the page's `<html lang>`, which the
/// edge cannot know) or with a malformed `product`.
fn tag_query(product: Option<&str>, locale: Option<&str>) -> Option<String> {
    let lang = locale.filter(|l| kindred_core::widget::is_language_tag(l))?;
    let product = match product.filter(|p| !p.is_empty()) {
        Some(p) => Some(ProductId::parse(p).ok()?),
        None => None,
    };
    Some(kindred_core::widget::loader_query(product.as_ref(), crate::markup::locale(lang).unwrap_or("en"), lang))
}

/// How long (ms) the script waits for the first paint's answer before it
/// goes without it: KV and D1 answer in tens of ms; a slower store must not
/// hold the shop's page (an async script delays its load event) for long.
const ANSWER_BUDGET_MS: u64 = 300;

/// `GET /v1/embed/{brand}`: see the module docs. Errors: only when the
/// loader itself cannot be read (`internal`, `unavailable`).
pub async fn get(req: &Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let text = loader(&cx.env).await?;
    let url = req.url().map_err(|e| EdgeError::internal("request URL", e))?;
    // The page asking (a `<script crossorigin>` sends its Origin); none for
    // no page, or a same-origin proxy path.
    let page = cors::request_origin(req).and_then(|o| kindred_core::Origin::parse(&o).ok());
    let slot = match first_paint_slot(req, cx, brand, &url, page.as_ref()).await {
        Ok(slot) => slot,
        Err(e) => {
            worker::console_warn!("embed: the first paint was not written in ({}): the loader asks for it", e.into_api_error());
            None
        }
    };
    let body = slot.map_or_else(|| text.to_string(), |slot| text.replacen(LOADER_FIRST_PAINT_SLOT, &slot, 1));
    let mut resp = ResponseBuilder::new().with_status(200).fixed(body.into_bytes());
    set_header(&mut resp, "content-type", "text/javascript; charset=utf-8");
    set_header(&mut resp, "x-content-type-options", "nosniff");
    set_header(&mut resp, "cache-control", "no-cache");
    // The page's origin echoed, with credentials: a tag with
    // crossorigin="use-credentials" runs too, with the answer or without
    // it (the loader alone carries nothing of the brand's). No Origin (no
    // page, or a same-origin proxy path): `*`, as `/embed.js` is served.
    cors::apply(&mut resp, page.as_ref());
    if page.is_none() {
        set_header(&mut resp, "access-control-allow-origin", "*");
    }
    Ok(resp)
}

/// What goes into the loader's first-paint slot for `page`: the first
/// paint (`{"query", "text"}`) for one of the brand's allowed origins,
/// `{"refused": origin}` for another (the loader says so in one warning
/// rather than ask and be refused); `None` when the tag's URL says too
/// little (no valid `locale`) or no page asked (no `Origin`: a tag without
/// `crossorigin`, or not a browser), and then nothing is read.
async fn first_paint_slot(req: &Request, cx: &Ctx, brand: &str, url: &Url, page: Option<&kindred_core::Origin>) -> EdgeResult<Option<String>> {
    let param = |name: &str| url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
    let Some(query) = tag_query(param("product").as_deref(), param("locale").as_deref()) else { return Ok(None) };
    let Some(page) = page else { return Ok(None) };
    let brand = BrandId::parse(brand)?;
    let first = Url::parse(&format!("https://edge.invalid/?{query}")).map_err(|e| EdgeError::internal("first-paint query", e))?;
    let asked = asked_in(&first)?;
    // An async script holds the page's load event until it runs: a first
    // paint not made within the budget is the loader's to ask for.
    let made = std::pin::pin!(answer(cx, &brand, &asked));
    let budget = std::pin::pin!(worker::Delay::from(std::time::Duration::from_millis(ANSWER_BUDGET_MS)));
    let found = match futures_util::future::select(made, budget).await {
        futures_util::future::Either::Left((found, _)) => found?,
        futures_util::future::Either::Right(_) => {
            worker::console_warn!("embed: no first paint within {ANSWER_BUDGET_MS} ms: the loader asks for it");
            return Ok(None);
        }
    };
    Ok(Some(match cors::allowed(req, &found.origins) {
        Some(_) => kindred_core::widget::loader_slot(&query, &found.json),
        None => kindred_core::widget::loader_refused_slot(page.as_str()),
    }))
}
