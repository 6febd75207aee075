//! Feeds and share pages (`kindred_core::syndication`): the testimonials
//! whose authors agreed to their reuse, for readers outside the widget.
//!
//! The JSON Feed, Atom and Merchant Center documents are built by core (pure
//! and tested natively); the two HTML views, the share page and the email
//! snippet, are rendered here with the widget's and the edge's words
//! (`crate::markup::i18n`), every value escaped. Neither ships in the
//! widget: the loader and the wasm never carry them.
//!
//! Answers are cacheable for five minutes (`Cache-Control: public`), the
//! delay within which a withdrawn consent leaves caches downstream; the
//! edge itself reads D1's primary on every request (a withdrawal holds on
//! the next read: `kindred_core::session::reads_from_primary`), bounded
//! by `sql::syndication` and by the `READ_BURST` guard per client.

use super::public::{Access, Public};
use super::Ctx;
use crate::errors::{EdgeError, EdgeResult};
use crate::http::{escape_html, set_header};
use crate::request::query;
use crate::store::syndication as store;
use kindred_core::syndication::{self as syn, Channel, Entry, Filter, Format};
use kindred_core::ErrorCode;
use kindred_widget::i18n::{Arg, I18n};
use worker::{Request, Response, ResponseBuilder};

/// How long readers and caches may keep an answer, seconds.
const MAX_AGE: u32 = 300;
/// Characters of a testimonial's text in an email, a wall or a link preview.
const EXCERPT: usize = 280;

/// Who publishes, and where things are, for `p`'s brand as this request
/// reached the edge; `feed_url` makes the document's own URL from the
/// edge's base URL.
fn channel(req: &Request, p: &Public, feed_url: impl FnOnce(&str) -> String, subject: Option<String>) -> EdgeResult<Channel> {
    let edge = edge_base(req);
    Ok(Channel {
        brand_id: p.id.to_string(),
        brand_name: p.brand.config.name.clone(),
        feed_url: feed_url(&edge),
        edge,
        home_page_url: p.brand.config.referral_landing(),
        subject,
    })
}

/// The edge's base URL as this request reached it, ending in `/`.
fn edge_base(req: &Request) -> String {
    format!("{}/", crate::http::edge_origin(req))
}

/// `url` with `?locale=` for a language other than English.
fn with_locale(url: String, locale: &str) -> String {
    if locale == "en" {
        url
    } else {
        format!("{url}{}locale={locale}", if url.contains('?') { '&' } else { '?' })
    }
}

fn locale_of(pairs: &[(String, String)]) -> &'static str {
    let asked = pairs.iter().find(|(k, _)| k == "locale").map(|(_, v)| v.as_str()).unwrap_or_default();
    crate::markup::locale(asked).unwrap_or("en")
}

fn accent(p: &Public) -> &str {
    let a = p.brand.config.accent.as_str();
    if kindred_core::widget::is_hex_color(a) {
        a
    } else {
        kindred_core::widget::DEFAULT_ACCENT
    }
}

/// The CSP of everything HTML here: no script at all, styles inline,
/// images from the edge (photos), no framing.
const PAGE_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

fn respond(body: String, content_type: &str, p: &Public) -> Response {
    let mut resp = ResponseBuilder::new().with_status(200).fixed(body.into_bytes());
    set_header(&mut resp, "content-type", content_type);
    set_header(&mut resp, "cache-control", &format!("public, max-age={MAX_AGE}"));
    set_header(&mut resp, "x-content-type-options", "nosniff");
    if content_type.starts_with("text/html") {
        set_header(&mut resp, "content-security-policy", PAGE_CSP);
        set_header(&mut resp, "referrer-policy", "strict-origin-when-cross-origin");
    }
    crate::cors::apply(&mut resp, p.origin.as_ref());
    resp
}

/// The caller, held to the read guard (`READ_BURST`) before any D1 read
/// of the testimonials.
async fn reader(req: &Request, cx: &Ctx, brand: &str) -> EdgeResult<Public> {
    let p = Public::load(req, cx, brand, Access::Read).await?;
    crate::store::ratelimit::read_burst(cx, &format!("r:{}:{}", p.id, p.client)).await?;
    Ok(p)
}

/// `GET /v1/brands/{brand}/feeds/{format}`
pub async fn feed(req: &Request, cx: &Ctx, brand: &str, format: &str) -> EdgeResult<Response> {
    let format = Format::parse(format).ok_or_else(|| EdgeError::api(ErrorCode::RouteNotFound, "feeds are json, atom, merchant or email"))?;
    let p = reader(req, cx, brand).await?;
    let pairs = query(req)?;
    let filter = Filter::from_pairs(format, pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
    let mut entries = store::reusable(&p.db, &p.id, &filter, format.order(), &p.brand.config).await?;
    let more = entries.len() > filter.limit as usize;
    entries.truncate(filter.limit as usize);
    let mut own = filter.query(format);
    let locale = locale_of(&pairs);
    if format == Format::Email && locale != "en" {
        own.push_str(if own.is_empty() { "?" } else { "&" });
        own.push_str("locale=");
        own.push_str(locale);
    }
    let subject = match (&filter.product, &filter.tag) {
        (Some(id), _) => Some(entries.iter().find_map(|e| e.product.as_ref().and_then(|p| p.name.clone())).unwrap_or_else(|| id.to_string())),
        (None, Some(tag)) => Some(format!("#{tag}")),
        (None, None) => None,
    };
    let ch = channel(req, &p, |edge| format!("{edge}v1/brands/{}/feeds/{}{own}", p.id, format.as_str()), subject)?;
    let body = match format {
        Format::Json => syn::json_feed(&ch, &entries),
        Format::Atom => syn::atom(&ch, &entries, crate::store::now_ms()),
        Format::Merchant => syn::merchant(&ch, &entries),
        Format::Email => email(&ch, &entries, accent(&p), crate::markup::i18n(&cx.env, locale).await?, locale),
    };
    let mut resp = respond(body, format.content_type(), &p);
    if more && format == Format::Merchant {
        // Google deletes what a full feed lacks: say so rather than be quiet.
        set_header(&mut resp, "kindred-feed-truncated", &format!("more than {} reviews: register one feed per product (?product=)", syn::MERCHANT_MAX));
    }
    Ok(resp)
}

/// The badges' words, as a card shows them (`Badge` in core: one rule
/// for the widget and every page here).
fn badge_words(i: I18n, e: &Entry) -> Vec<String> {
    e.t.badges().into_iter().map(|b| i.t(b.message())).collect()
}

/// The email snippet: one table row per testimonial (stars, title, an
/// excerpt, the first photo, the author, their badges and a link to the
/// share page in the same language), inline styles only, as email clients
/// strip `<style>`; long words wrap rather than widen the mail.
fn email(ch: &Channel, entries: &[Entry], accent: &str, i: I18n, locale: &'static str) -> String {
    let dir = kindred_core::i18n::direction(locale);
    let mut h = format!(
        "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\" lang=\"{locale}\" dir=\"{dir}\" \
         style=\"border-collapse:collapse;max-width:600px;font-family:Arial,Helvetica,sans-serif;color:#1f2328\">"
    );
    for e in entries {
        let t = &e.t;
        let share = escape_html(&with_locale(ch.share_url(&t.id), locale));
        h.push_str("<tr><td style=\"padding:16px 0;border-bottom:1px solid #d0d7de;overflow-wrap:anywhere;word-break:break-word\">");
        h.push_str(&format!(
            "<div role=\"img\" aria-label=\"{}\" style=\"color:{accent};font-size:18px;letter-spacing:2px\">{}</div>",
            escape_html(&i.f("stars-label", &[("rating", Arg::Text(&i.rating(f32::from(t.rating))))])),
            syn::star_glyphs(t.rating),
        ));
        if !t.title.trim().is_empty() {
            h.push_str(&format!("<div dir=\"auto\" style=\"font-weight:bold;font-size:16px;margin:4px 0\">{}</div>", escape_html(&t.title)));
        }
        // Line breaks as `<br>`: mail clients (Outlook's Word engine) ignore `white-space`.
        h.push_str(&format!("<div dir=\"auto\" style=\"font-size:15px;line-height:1.5\">{}</div>", escape_html(&syn::excerpt(&t.body, EXCERPT)).replace('\n', "<br>")));
        if let Some(ph) = t.photos.first() {
            let width = 160u32;
            let height = (u64::from(ph.height) * u64::from(width) / u64::from(ph.width.max(1))).min(480);
            h.push_str(&format!(
                "<img src=\"{}\" width=\"{width}\" height=\"{height}\" alt=\"{}\" style=\"display:block;border:0;margin-top:8px;height:auto;max-width:100%\">",
                escape_html(&ch.photo_url(ph)),
                escape_html(&i.f("photo-alt", &[("name", Arg::Text(&t.author_name))])),
            ));
        }
        h.push_str(&format!("<div style=\"font-size:13px;color:#57606a;margin-top:8px\"><span dir=\"auto\">{}</span>", escape_html(&t.author_name)));
        for b in badge_words(i, e) {
            h.push_str(&format!(" · {}", escape_html(&b)));
        }
        h.push_str(&format!(" · <a href=\"{share}\" style=\"color:{accent}\">{}</a></div></td></tr>", escape_html(&i.t("feed-read-more"))));
    }
    h.push_str("</table>");
    h
}

/// The share page's and the share card's rule: `id` published and its
/// author's consent to reuse held (read through the `READ_BURST` guard),
/// with the language asked for (`?locale=`).
///
/// # Errors
/// 404 when there is nothing to share; 429 past `READ_BURST`; 400 for a
/// malformed query.
async fn shared_entry(req: &Request, cx: &Ctx, brand: &str, id: &str) -> EdgeResult<(Public, Entry, &'static str)> {
    let p = reader(req, cx, brand).await?;
    let e = store::shared(&p.db, &p.id, id, &p.brand.config)
        .await?
        .ok_or_else(|| EdgeError::api(ErrorCode::NotFound, "no testimonial to share here: it is not published, or its author has not agreed to its reuse"))?;
    let locale = locale_of(&query(req)?);
    Ok((p, e, locale))
}

/// `GET /t/{brand}/{id}`
pub async fn share_page(req: &Request, cx: &Ctx, brand: &str, id: &str) -> EdgeResult<Response> {
    let (p, e, locale) = shared_entry(req, cx, brand, id).await?;
    let ch = channel(req, &p, |_| String::new(), None)?;
    let card = cx.env.service("CARDS").is_ok();
    let html = share_html(&ch, &e, accent(&p), crate::markup::i18n(&cx.env, locale).await?, locale, card);
    Ok(respond(html, "text/html; charset=utf-8", &p))
}

/// How long the data centre's cache keeps a drawn card, seconds. Safe to
/// be long: the key carries the card's version (a changed text, name,
/// badge or accent is a new key), and publication and consent are read
/// from D1 before every lookup.
const CARD_CACHE_S: u32 = 86_400;

/// `GET /t/{brand}/{id}/card.png`: the share card, drawn by the card
/// renderer (`kindred-cards`) behind the `CARDS` service binding.
///
/// The share page's rule first (published, consent to reuse: read from
/// D1's primary on every request, so a withdrawal or an erasure holds at
/// once here; caches downstream keep a card at most [`MAX_AGE`]). Then
/// `If-None-Match` (304), then the data centre's cache (Cache API, under
/// the card's URL and version, [`CARD_CACHE_S`]; it works on a custom
/// domain, not on `workers.dev`), then the renderer, held per client by
/// `CARD_BURST`. When the renderer is missing or fails, the first photo
/// stands in (302) so a preview still has an image.
///
/// # Errors
/// 404 when there is nothing to share; 429 past `READ_BURST` or
/// `CARD_BURST`; 503 `unavailable` when the renderer fails and the
/// testimonial has no photo.
pub async fn share_card(req: &Request, cx: &Ctx, brand: &str, id: &str) -> EdgeResult<Response> {
    let (p, e, locale) = shared_entry(req, cx, brand, id).await?;
    let card = card_of(&p, &e, crate::markup::i18n(&cx.env, locale).await?, locale);
    let version = card.version();
    let etag = format!("\"{version}\"");
    let png_response = |bytes: Vec<u8>, max_age: u32| {
        let mut resp = ResponseBuilder::new().with_status(200).fixed(bytes);
        set_header(&mut resp, "content-type", "image/png");
        set_header(&mut resp, "cache-control", &format!("public, max-age={max_age}"));
        set_header(&mut resp, "etag", &etag);
        set_header(&mut resp, "x-content-type-options", "nosniff");
        resp
    };
    // RFC 9110 13.1.2: weak comparison, `*` matches any current card.
    let matches = req.headers().get("if-none-match").ok().flatten().is_some_and(|v| v.split(',').any(|t| {
        let t = t.trim();
        t == "*" || t.trim_start_matches("W/") == etag
    }));
    if matches {
        let mut resp = ResponseBuilder::new().with_status(304).empty();
        set_header(&mut resp, "etag", &etag);
        set_header(&mut resp, "cache-control", &format!("public, max-age={MAX_AGE}"));
        return Ok(resp);
    }
    let ch = channel(req, &p, |_| String::new(), None)?;
    let key = format!("{}?v={version}", ch.card_url(id));
    let cache = worker::Cache::default();
    if let Ok(Some(mut hit)) = cache.get(key.as_str(), true).await {
        if let Ok(bytes) = hit.bytes().await {
            return Ok(png_response(bytes, MAX_AGE));
        }
    }
    // Past the guard, or when the renderer fails, the first photo (if any)
    // stands in: a crawler that asked for many cards at once still gets an
    // image for each preview.
    let drawn = match crate::store::ratelimit::card_burst(cx, &p.scoped()).await {
        Ok(()) => draw_card(cx, &card).await,
        Err(limited) => Err(limited),
    };
    let bytes = match drawn {
        Ok(bytes) => bytes,
        Err(err) => {
            return match e.t.photos.first() {
                Some(ph) => {
                    // Logged (a renderer failure) before the redirect.
                    let _ = err.into_api_error();
                    let mut resp = ResponseBuilder::new().with_status(302).empty();
                    set_header(&mut resp, "location", &ch.photo_url(ph));
                    set_header(&mut resp, "cache-control", "no-store");
                    Ok(resp)
                }
                None => Err(err),
            };
        }
    };
    // A failed put only means the next crawler's request draws it again.
    let stored = png_response(bytes.clone(), CARD_CACHE_S);
    match &cx.ctx {
        Some(ctx) => ctx.wait_until(async move {
            let _ = cache.put(key.as_str(), stored).await;
        }),
        None => {
            let _ = cache.put(key.as_str(), stored).await;
        }
    }
    Ok(png_response(bytes, MAX_AGE))
}

/// The card for `e` on `p`'s share page in `locale`.
fn card_of(p: &Public, e: &Entry, i: I18n, locale: &'static str) -> kindred_core::card::Card {
    let t = &e.t;
    kindred_core::card::Card::new(
        &p.brand.config.name,
        accent(p),
        t.rating,
        &t.title,
        &t.body,
        &t.author_name,
        badge_words(i, e),
        kindred_core::i18n::direction(locale) == "rtl",
    )
}

/// Asks the card renderer to draw `card`: the PNG's bytes.
///
/// # Errors
/// `unavailable` (logged) when there is no `CARDS` binding or the renderer
/// fails or refuses.
async fn draw_card(cx: &Ctx, card: &kindred_core::card::Card) -> EdgeResult<Vec<u8>> {
    let fetcher = cx.env.service("CARDS").map_err(|e| EdgeError::store("share card: no CARDS service binding (deploy kindred-cards)", e))?;
    let json = serde_json::to_string(card).map_err(|e| EdgeError::internal("share card: encode", e))?;
    let headers = worker::Headers::new();
    let _ = headers.set("content-type", "application/json");
    let mut init = worker::RequestInit::new();
    init.with_method(worker::Method::Post).with_headers(headers).with_body(Some(wasm_bindgen::JsValue::from_str(&json)));
    let call = Request::new_with_init("https://kindred-cards.internal/render", &init).map_err(|e| EdgeError::internal("share card: request", e))?;
    let mut drawn = fetcher.fetch_request(call).await.map_err(|e| EdgeError::store("share card: renderer", e))?;
    if drawn.status_code() != 200 {
        let said = drawn.text().await.unwrap_or_default();
        return Err(EdgeError::store("share card: renderer refused", format!("{} {said}", drawn.status_code())));
    }
    drawn.bytes().await.map_err(|e| EdgeError::store("share card: renderer body", e))
}

/// The date of `unix_ms` in `locale`'s words ("1 December 2026"), by
/// workerd's `Intl`.
fn long_date(unix_ms: i64, locale: &str) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(unix_ms as f64));
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"long".into());
    let _ = js_sys::Reflect::set(&options, &"timeZone".into(), &"UTC".into());
    String::from(date.to_locale_date_string(locale, &options))
}

/// The page styles shared by the share page and the wall (inline: the
/// pages' CSP allows no other source); `accent` is a validated `#rrggbb`.
fn page_style(accent: &str) -> String {
    format!(
        "<style>body{{font:16px/1.6 system-ui,sans-serif;color:#1f2328;background:#f6f8fa;margin:0;padding:24px 16px}}\
         main{{max-width:640px;margin:0 auto}}main.wall{{max-width:1120px}}\
         .card{{background:#fff;border-top:4px solid {accent};border-radius:8px;padding:20px 24px;overflow-wrap:anywhere;overflow:clip;margin:0 0 16px}}\
         .wall .cards{{columns:3 300px;column-gap:16px}}.wall .card{{break-inside:avoid}}\
         .stars{{color:{accent};font-size:1.4rem;letter-spacing:2px;margin:0}}h1{{font-size:1.5rem;line-height:1.3;margin:8px 0 16px}}\
         .card h1,.card h2{{font-size:1.2rem;line-height:1.3;margin:8px 0}}\
         .photos{{display:flex;flex-wrap:wrap;gap:8px;margin:12px 0}}.photos img{{max-width:100%;height:auto;border-radius:6px}}\
         .meta{{color:#57606a;font-size:.9rem}}.badge{{color:#1a7f37;font-weight:600}}\
         .tags{{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:6px;margin:8px 0}}.tags li{{background:#eaeef2;border-radius:12px;padding:2px 10px;font-size:.85rem}}\
         .chips{{display:flex;flex-wrap:wrap;gap:8px;margin:0 0 20px;padding:0;list-style:none}}\
         .chips a{{display:inline-block;max-width:100%;overflow-wrap:anywhere;min-height:24px;padding:4px 12px;border:1px solid {accent};border-radius:16px;color:{accent};text-decoration:none}}\
         .chips a[aria-current]{{background:{accent};color:#fff}}\
         .go{{display:inline-block;background:{accent};color:#fff;text-decoration:none;padding:10px 16px;border-radius:6px;min-height:24px}}\
         a{{color:{accent}}}</style>"
    )
}

/// One testimonial as the edge's pages show it: stars, its title as
/// `heading` (`h1` on its share page, `h2` on a wall), its paragraphs,
/// photos, the author with their badge and the date, its tags; on a wall,
/// a link to its share page.
fn card_html(ch: &Channel, e: &Entry, i: I18n, locale: &'static str, heading: &str, link: bool) -> String {
    let t = &e.t;
    let mut h = format!(
        "<article class=\"card\"><p class=\"stars\" role=\"img\" aria-label=\"{}\">{}</p>",
        escape_html(&i.f("stars-label", &[("rating", Arg::Text(&i.rating(f32::from(t.rating))))])),
        syn::star_glyphs(t.rating),
    );
    if !t.title.trim().is_empty() {
        h.push_str(&format!("<{heading} dir=\"auto\">{}</{heading}>", escape_html(&t.title)));
    }
    for para in t.body.split("\n\n").filter(|s| !s.trim().is_empty()) {
        h.push_str(&format!("<p class=\"text\" dir=\"auto\">{}</p>", escape_html(para.trim()).replace('\n', "<br>")));
    }
    if !t.photos.is_empty() {
        h.push_str("<div class=\"photos\">");
        for ph in &t.photos {
            h.push_str(&format!(
                "<img src=\"{}\" width=\"{}\" height=\"{}\" loading=\"lazy\" alt=\"{}\">",
                escape_html(&ch.photo_url(ph)),
                ph.width,
                ph.height,
                escape_html(&i.f("photo-alt", &[("name", Arg::Text(&t.author_name))])),
            ));
        }
        h.push_str("</div>");
    }
    h.push_str(&format!("<p class=\"meta\"><span dir=\"auto\">{}</span>", escape_html(&t.author_name)));
    for b in badge_words(i, e) {
        h.push_str(&format!(" <span class=\"badge\">{}</span>", escape_html(&b)));
    }
    h.push_str(&format!(" · <time datetime=\"{}\">{}</time>", syn::rfc3339(t.created_at), escape_html(&long_date(t.created_at, locale))));
    if link {
        h.push_str(&format!(" · <a href=\"{}\">{}</a>", escape_html(&with_locale(ch.share_url(&t.id), locale)), escape_html(&i.t("share-link"))));
    }
    h.push_str("</p>");
    if !t.tags.is_empty() {
        h.push_str(&format!("<ul class=\"tags\" aria-label=\"{}\">", escape_html(&i.t("tags-label"))));
        for tag in &t.tags {
            h.push_str(&format!("<li dir=\"auto\">{}</li>", escape_html(tag)));
        }
        h.push_str("</ul>");
    }
    h.push_str("</article>");
    h
}

/// The document around a page's `head` extras and `body`.
fn page(locale: &'static str, title: &str, head: &str, body: &str, accent: &str) -> String {
    format!(
        "<!doctype html><html lang=\"{locale}\" dir=\"{dir}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title>{head}{style}</head>\
         <body>{body}</body></html>",
        dir = kindred_core::i18n::direction(locale),
        title = escape_html(title),
        style = page_style(accent),
    )
}

/// A testimonial's share page: its card, a link to the product's page
/// when known (else the brand's site), and the tags link previews read
/// (Open Graph, Twitter cards); `card`: whether the share card renderer is
/// deployed (its PNG is then the preview's image).
fn share_html(ch: &Channel, e: &Entry, accent: &str, i: I18n, locale: &'static str, card: bool) -> String {
    let t = &e.t;
    // Each language's page is its own (crawlers fetch og:url for the preview).
    let url = escape_html(&with_locale(ch.share_url(&t.id), locale));
    let preview_title = format!("{} {}", syn::star_glyphs(t.rating), if t.title.trim().is_empty() { &t.author_name } else { &t.title });
    let page_title = i.f("share-on", &[("name", Arg::Text(&t.author_name)), ("brand", Arg::Text(&ch.brand_name))]);
    let description = escape_html(&syn::excerpt(&t.body, EXCERPT));
    let preview_title = escape_html(&preview_title);
    let mut head = format!(
        "<link rel=\"canonical\" href=\"{url}\">\
         <meta property=\"og:type\" content=\"article\"><meta property=\"og:url\" content=\"{url}\">\
         <meta property=\"og:site_name\" content=\"{}\"><meta property=\"og:title\" content=\"{preview_title}\">\
         <meta property=\"og:description\" content=\"{description}\"><meta name=\"description\" content=\"{description}\">\
         <meta name=\"twitter:title\" content=\"{preview_title}\"><meta name=\"twitter:description\" content=\"{description}\">",
        escape_html(&ch.brand_name),
    );
    // The share card when the renderer is deployed; else the first photo.
    let image = match card {
        // The card is text: its alt says what it says.
        true => Some((with_locale(ch.card_url(&t.id), locale), kindred_core::card::WIDTH, kindred_core::card::HEIGHT, card_alt(e, i))),
        false => t.photos.first().map(|ph| (ch.photo_url(ph), ph.width, ph.height, i.f("photo-alt", &[("name", Arg::Text(&t.author_name))]))),
    };
    match image {
        Some((src, width, height, alt)) => head.push_str(&format!(
            "<meta property=\"og:image\" content=\"{src}\"><meta property=\"og:image:width\" content=\"{width}\">\
             <meta property=\"og:image:height\" content=\"{height}\"><meta property=\"og:image:alt\" content=\"{alt}\">\
             <meta name=\"twitter:card\" content=\"summary_large_image\"><meta name=\"twitter:image\" content=\"{src}\">\
             <meta name=\"twitter:image:alt\" content=\"{alt}\">",
            src = escape_html(&src),
            alt = escape_html(&alt),
        )),
        None => head.push_str("<meta name=\"twitter:card\" content=\"summary\">"),
    }
    let mut body = format!("<main>{}", card_html(ch, e, i, locale, "h1", false));
    let product_page = e.product.as_ref().and_then(|p| p.url.as_deref()).or(ch.home_page_url.as_deref());
    if let Some(href) = product_page {
        let text = match e.product.as_ref().and_then(|p| p.name.as_deref()) {
            Some(name) => i.f("share-see-product", &[("product", Arg::Text(name))]),
            None => i.f("share-visit", &[("brand", Arg::Text(&ch.brand_name))]),
        };
        body.push_str(&format!("<p><a class=\"go\" href=\"{}\">{}</a></p>", escape_html(href), escape_html(&text)));
    }
    body.push_str("</main>");
    page(locale, &page_title, &head, &body, accent)
}

/// The share card's text alternative: its stars, title, excerpt, author
/// and labels (an incentive's disclosure included).
fn card_alt(e: &Entry, i: I18n) -> String {
    let t = &e.t;
    let stars = i.f("stars-label", &[("rating", Arg::Text(&i.rating(f32::from(t.rating))))]);
    let labels = badge_words(i, e).join(", ");
    [stars, t.title.trim().to_owned(), syn::excerpt(t.body.trim(), EXCERPT), format!("— {}", t.author_name), labels]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Tags to filter a wall by: those on its testimonials, most used first,
/// at most this many.
const WALL_CHIPS: usize = 12;

/// `GET /wall/{brand}`
pub async fn wall(req: &Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let p = reader(req, cx, brand).await?;
    let pairs = query(req)?;
    let mut filter = Filter::from_pairs(Format::Json, pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
    if !pairs.iter().any(|(k, _)| k == "limit") {
        filter.limit = syn::ITEMS_MAX;
    }
    let mut entries = store::reusable(&p.db, &p.id, &filter, syn::Order::Newest, &p.brand.config).await?;
    entries.truncate(filter.limit as usize);
    // The chips come from the unfiltered-by-tag wall, so choosing one
    // leaves the others to go back to.
    let chips_from = if filter.tag.is_some() {
        let all = Filter { tag: None, ..filter.clone() };
        store::reusable(&p.db, &p.id, &all, syn::Order::Newest, &p.brand.config).await?
    } else {
        entries.clone()
    };
    let locale = locale_of(&pairs);
    let ch = channel(req, &p, |_| String::new(), None)?;
    let html = wall_html(&ch, &entries, &chips_from, &filter, accent(&p), crate::markup::i18n(&cx.env, locale).await?, locale);
    Ok(respond(html, "text/html; charset=utf-8", &p))
}

/// A brand's (or product's) wall: a heading, chips for its tags, its
/// testimonials in columns, and its feeds announced in `<head>`.
fn wall_html(ch: &Channel, entries: &[Entry], chips_from: &[Entry], f: &Filter, accent: &str, i: I18n, locale: &'static str) -> String {
    let base = format!("{}wall/{}", ch.edge, ch.brand_id);
    let with_tag = |tag: Option<&str>| {
        // The wall's own limit is not carried over (links show the default).
        let g = Filter { tag: tag.map(str::to_owned), limit: syn::ITEMS_DEFAULT, ..f.clone() };
        let mut q = g.query(Format::Json);
        if locale != "en" {
            q.push_str(if q.is_empty() { "?" } else { "&" });
            q.push_str("locale=");
            q.push_str(locale);
        }
        format!("{base}{q}")
    };
    let product_name = f.product.as_ref().map(|id| entries.iter().chain(chips_from).find_map(|e| e.product.as_ref().and_then(|p| p.name.clone())).unwrap_or_else(|| id.to_string()));
    let title = match &product_name {
        Some(name) => i.f("wall-title-product", &[("product", Arg::Text(name)), ("brand", Arg::Text(&ch.brand_name))]),
        None => i.f("wall-title", &[("brand", Arg::Text(&ch.brand_name))]),
    };
    let feeds = format!("{}v1/brands/{}/feeds/", ch.edge, ch.brand_id);
    let own = Filter { limit: syn::ITEMS_DEFAULT, ..f.clone() }.query(Format::Atom);
    let head = format!(
        "<link rel=\"alternate\" type=\"application/atom+xml\" href=\"{}\"><link rel=\"alternate\" type=\"application/feed+json\" href=\"{}\">",
        escape_html(&format!("{feeds}atom{own}")),
        escape_html(&format!("{feeds}json{own}")),
    );
    let mut body = format!("<main class=\"wall\"><h1 dir=\"auto\">{}</h1>", escape_html(&title));
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for tag in chips_from.iter().flat_map(|e| e.t.tags.iter()) {
        match counts.iter_mut().find(|(t, _)| *t == tag.as_str()) {
            Some((_, n)) => *n += 1,
            None => counts.push((tag.as_str(), 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    if !counts.is_empty() {
        body.push_str(&format!("<nav aria-label=\"{}\"><ul class=\"chips\">", escape_html(&i.t("tags-label"))));
        let current = |on: bool| if on { " aria-current=\"page\"" } else { "" };
        body.push_str(&format!("<li><a href=\"{}\"{}>{}</a></li>", escape_html(&with_tag(None)), current(f.tag.is_none()), escape_html(&i.t("wall-all"))));
        for (tag, _) in counts.into_iter().take(WALL_CHIPS) {
            body.push_str(&format!(
                "<li><a dir=\"auto\" href=\"{}\"{}>{}</a></li>",
                escape_html(&with_tag(Some(tag))),
                current(f.tag.as_deref() == Some(tag)),
                escape_html(tag),
            ));
        }
        body.push_str("</ul></nav>");
    }
    if entries.is_empty() {
        body.push_str(&format!("<p>{}</p>", escape_html(&i.t("wall-empty"))));
    } else {
        body.push_str("<div class=\"cards\">");
        for e in entries {
            body.push_str(&card_html(ch, e, i, locale, "h2", true));
        }
        body.push_str("</div>");
    }
    body.push_str("</main>");
    page(locale, &title, &head, &body, accent)
}
