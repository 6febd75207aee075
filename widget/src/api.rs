//! Everything the widget asks of the edge, in one place. Requests go to the
//! edge the loader came from; errors come back as core's `ApiError`, so the
//! UI can show the server's message next to the right field.

use kindred_core::photo::PhotoView;
use kindred_core::testimonial::{FeedQuery, NewTestimonial, Submitted};
use kindred_core::widget::FeedPage;
use kindred_core::{ApiError, ErrorBody, ErrorCode};
use crate::json::{self, FromJs};
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use crate::i18n::{Arg, I18n};
use web_sys::{AbortController, Headers, RequestInit, RequestMode, Response};

/// Where this widget lives: which edge, which brand, which product.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The edge's base URL, ending in `/`.
    pub edge: String,
    pub brand: String,
    pub product: Option<String>,
    /// The shopper's language as the page states it (a BCP 47 tag: the
    /// tag's `data-locale`, else `<html lang>`, else the browser's first
    /// language), sent with a testimonial as the language it is written in
    /// (`kindred_core::context::written_in`).
    pub lang: Option<String>,
}

impl FromJs for Config {
    fn from_js(v: &JsValue) -> Result<Self, String> {
        Ok(Config { edge: json::field(v, "edge")?, brand: json::field(v, "brand")?, product: json::field(v, "product")?, lang: json::field(v, "lang")? })
    }
}

impl Config {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.edge, path.trim_start_matches('/'))
    }
}

/// Decodes JSON text: the browser's JSON.parse reads it and serde maps the
/// result onto our types (no JSON parser ships in the wasm).
pub fn decode<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    let value = js_sys::JSON::parse(text).map_err(|_| "not JSON".to_owned())?;
    serde_wasm_bindgen::from_value(value).map_err(|e| e.to_string())
}

/// A JSON object of string fields, written by the browser's JSON.stringify.
fn json_body(fields: &[(&str, &str)]) -> String {
    js_sys::JSON::stringify(&json::object_of(fields)).ok().and_then(|s| s.as_string()).unwrap_or_default()
}

fn offline(e: JsValue) -> ApiError {
    let detail = e.as_string().or_else(|| js_sys::Error::from(e).message().as_string()).unwrap_or_default();
    ApiError::new(ErrorCode::Unavailable, format!("Could not reach the server. Check your connection and try again. {detail}").trim_end().to_owned())
}

/// What a shopper reads for an error, in the widget's locale: by its code
/// (the edge's messages are English, for developers); a field's problem
/// names the rule and its limits (core's constants).
pub fn error_text(i: I18n, e: &ApiError) -> String {
    use kindred_core::testimonial::{BODY_MAX, BODY_MIN, NAME_MAX, TAGS_MAX, TAG_MAX, TITLE_MAX};
    let n = |v: usize| Arg::Number(v as f64);
    if e.code == ErrorCode::ValidationFailed {
        match e.field.as_deref().unwrap_or_default() {
            "display_name" | "name" if e.message.ends_with(kindred_core::text::NOT_AN_ADDRESS) => return i.t("error-name-address"),
            "display_name" | "name" => return i.f("error-name", &[("max", n(NAME_MAX))]),
            "email" => return i.t("error-email"),
            "rating" => return i.t("error-rating"),
            "title" => return i.f("error-title", &[("max", n(TITLE_MAX))]),
            "body" => return i.f("error-body", &[("min", n(BODY_MIN)), ("max", n(BODY_MAX))]),
            "tags" => return i.f("error-tags", &[("count", n(TAGS_MAX)), ("max", n(TAG_MAX))]),
            "note" => return i.f("error-note", &[("max", n(kindred_core::referral::REFERRER_NOTE_MAX))]),
            _ => {}
        }
    }
    if e.field.as_deref() == Some("invite") {
        return i.t("error-invite");
    }
    // Joining the referral program with an email that has a link already.
    if e.code == ErrorCode::Conflict && e.field.as_deref() == Some("email") {
        return i.t("error-email-taken");
    }
    i.t(match e.code {
        ErrorCode::RateLimited => "error-busy",
        ErrorCode::Unavailable => "error-offline",
        ErrorCode::PayloadTooLarge => "error-too-large",
        ErrorCode::UnsupportedMediaType => "error-photo-type",
        ErrorCode::IdentityExpired | ErrorCode::IdentityInvalid | ErrorCode::Unauthorized => "error-sign-in",
        ErrorCode::Forbidden => "error-forbidden",
        ErrorCode::Conflict => "error-conflict",
        ErrorCode::AlreadyVoted => "error-already-voted",
        ErrorCode::ValidationFailed | ErrorCode::BadRequest | ErrorCode::InvalidJson => "error-invalid",
        _ => "error-generic",
    })
}

/// A request in flight that can be cancelled (e.g. when filters change).
#[derive(Clone)]
pub struct Abort(Option<AbortController>);

impl Abort {
    pub fn new() -> Self {
        Self(AbortController::new().ok())
    }
    pub fn cancel(&self) {
        if let Some(c) = &self.0 {
            c.abort();
        }
    }
}

impl Default for Abort {
    fn default() -> Self {
        Self::new()
    }
}

/// Inside the edge's frame fallback: the origin of the page that embeds the
/// frame, which frame.js reads from the browser (`location.ancestorOrigins`
/// or the referrer) into `data-kindred-embedder`. The edge accepts the
/// frame's writes only for a brand's allowed embedder. `None` elsewhere.
fn embedder() -> Option<String> {
    web_sys::window()?.document()?.document_element()?.get_attribute("data-kindred-embedder")
}

thread_local! {
    /// The newest D1 bookmark a write answered (`kindred_core::session`):
    /// sent with every request after it, so the shopper reads their own
    /// writes whichever replica answers. Reads never set it: until the
    /// shopper writes, requests carry no extra header (a plain GET needs no
    /// CORS preflight). Kept in the tab's sessionStorage for
    /// [`BOOKMARK_KEEP_MS`], so a reload right after a write still reads it.
    static BOOKMARK: std::cell::RefCell<Option<String>> = std::cell::RefCell::new(stored_bookmark());
}

/// How long a bookmark is worth keeping across reloads: far longer than
/// replicas lag behind the primary (seconds), short enough that an old tab
/// stops paying for preflights. Whole milliseconds: formatting or parsing
/// an `f64` would pull Rust's float code (about 20 KB) into the main module.
const BOOKMARK_KEEP_MS: u64 = 10 * 60 * 1000;

fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}
const BOOKMARK_KEY: &str = "kindred.bookmark";

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

/// The bookmark this tab kept, if it is recent (stored as `"<ms> <bookmark>"`).
fn stored_bookmark() -> Option<String> {
    let text = session_storage()?.get_item(BOOKMARK_KEY).ok()??;
    let (at, b) = text.split_once(' ')?;
    let fresh = at.parse::<u64>().is_ok_and(|at| now_ms().saturating_sub(at) < BOOKMARK_KEEP_MS);
    (fresh && kindred_core::session::is_bookmark(b)).then(|| b.to_owned())
}

fn remember_bookmark(resp: &Response) {
    use kindred_core::session::{is_bookmark, BOOKMARK_HEADER};
    let Some(b) = resp.headers().get(BOOKMARK_HEADER).ok().flatten().filter(|b| is_bookmark(b)) else {
        return;
    };
    BOOKMARK.with(|slot| {
        let mut slot = slot.borrow_mut();
        // Bookmarks order lexically: keep the newest.
        if slot.as_deref().is_none_or(|old| b.as_str() > old) {
            if let Some(s) = session_storage() {
                let _ = s.set_item(BOOKMARK_KEY, &format!("{} {b}", now_ms()));
            }
            *slot = Some(b);
        }
    });
}

/// How long a read may take before the widget gives up on it, ms. A fetch
/// has no deadline of its own: an answer that stalls (a captive portal, a
/// dropped mobile link, a proxy that holds the connection) left the control
/// that asked waiting for ever (helper-101: a returning referrer's panel
/// said "Loading" for good). Given up, it is "Could not reach the server",
/// and the shopper may try again.
pub const READ_DEADLINE_MS: u32 = 20_000;

/// As [`READ_DEADLINE_MS`], for a write: its body may be a phone's photo
/// going up a slow link (10 MB at 1 Mbit/s takes 80 s).
pub const WRITE_DEADLINE_MS: u32 = 120_000;

/// One request; the answer's text if it succeeded. Not generic, so the
/// request's async state machine exists once in the wasm, not once per type.
/// Given up after [`READ_DEADLINE_MS`] or [`WRITE_DEADLINE_MS`].
async fn send_text(method: &str, url: &str, headers: &[(&str, &str)], body: Option<&JsValue>, abort: Option<&Abort>) -> Result<String, ApiError> {
    let init = RequestInit::new();
    init.set_method(method);
    init.set_mode(RequestMode::Cors);
    init.set_credentials(web_sys::RequestCredentials::Omit);
    let h = Headers::new().map_err(offline)?;
    for (k, v) in headers {
        h.set(k, v).map_err(offline)?;
    }
    if let Some(e) = embedder() {
        h.set("x-kindred-embedder", &e).map_err(offline)?;
    }
    if let Some(b) = BOOKMARK.with(|b| b.borrow().clone()) {
        h.set(kindred_core::session::BOOKMARK_HEADER, &b).map_err(offline)?;
    }
    init.set_headers(&h);
    if let Some(b) = body {
        init.set_body(b);
    }
    // The caller's controller (a newer request cancels an older one) or one
    // of its own: either way the deadline aborts it, answer and body.
    let controller = abort.and_then(|a| a.0.clone()).or_else(|| AbortController::new().ok());
    if let Some(c) = &controller {
        init.set_signal(Some(&c.signal()));
    }
    let late = std::rc::Rc::new(std::cell::Cell::new(false));
    // Dropped when this returns: a request that ended is not aborted.
    let _deadline = controller.map(|c| {
        let late = late.clone();
        let ms = if method == "GET" { READ_DEADLINE_MS } else { WRITE_DEADLINE_MS };
        gloo::timers::callback::Timeout::new(ms, move || {
            late.set(true);
            c.abort();
        })
    });
    let failed = |e: JsValue| if late.get() { offline(JsValue::from_str("The server did not answer in time.")) } else { offline(e) };
    let window = web_sys::window().ok_or_else(|| offline(JsValue::from_str("no window")))?;
    let resp: Response = JsFuture::from(window.fetch_with_str_and_init(url, &init)).await.map_err(failed)?.unchecked_into();
    let text = JsFuture::from(resp.text().map_err(failed)?).await.map_err(failed)?.as_string().unwrap_or_default();
    if method != "GET" {
        remember_bookmark(&resp);
    }
    if resp.ok() {
        Ok(text)
    } else {
        Err(json::parse::<ErrorBody>(&text).map(|b| b.error).unwrap_or_else(|_| {
            ApiError::new(ErrorCode::Unavailable, format!("The server answered {}. Please try again.", resp.status()))
        }))
    }
}

/// An answer read with serde (the chunks' types).
fn answer<T: DeserializeOwned>(text: Result<String, ApiError>) -> Result<T, ApiError> {
    decode(&text?).map_err(|e| ApiError::new(ErrorCode::Internal, format!("unexpected answer: {e}")))
}

/// An answer read without serde (the main module's types, see json.rs).
fn answer_js<T: FromJs>(text: Result<String, ApiError>) -> Result<T, ApiError> {
    json::parse(&text?).map_err(|e| ApiError::new(ErrorCode::Internal, format!("unexpected answer: {e}")))
}

async fn send<T: DeserializeOwned>(method: &str, url: &str, headers: &[(&str, &str)], body: Option<&JsValue>, abort: Option<&Abort>) -> Result<T, ApiError> {
    answer(send_text(method, url, headers, body, abort).await)
}

fn query_string(q: &FeedQuery) -> String {
    let mut parts = vec![format!("sort={}", q.sort.as_str()), format!("limit={}", q.limit)];
    let enc = |s: &str| String::from(js_sys::encode_uri_component(s));
    if let Some(p) = &q.product {
        parts.push(format!("product={}", enc(p.as_str())));
    }
    if let Some(t) = &q.tag {
        parts.push(format!("tag={}", enc(t)));
    }
    if let Some(r) = q.rating {
        parts.push(format!("rating={r}"));
    }
    if let Some(c) = &q.cursor {
        parts.push(format!("cursor={}", enc(&c.encode())));
    }
    parts.join("&")
}

/// A page of approved testimonials.
pub async fn feed(cfg: &Config, q: &FeedQuery, abort: &Abort) -> Result<FeedPage, ApiError> {
    let url = cfg.url(&format!("v1/brands/{}/testimonials?{}", cfg.brand, query_string(q)));
    answer_js(send_text("GET", &url, &[], None, Some(abort)).await)
}

/// Submits a testimonial. `key` makes retries safe.
pub async fn submit(cfg: &Config, t: &NewTestimonial, member: &str, key: &str) -> Result<Submitted, ApiError> {
    let body = serde_json::to_string(t).map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
    let url = cfg.url(&format!("v1/brands/{}/testimonials", cfg.brand));
    let headers = [("content-type", "application/json"), ("x-kindred-member", member), ("idempotency-key", key)];
    send("POST", &url, &headers, Some(&JsValue::from_str(&body)), None).await
}

/// Edits the shopper's own testimonial (the edge checks the member token).
pub async fn edit(cfg: &Config, id: &str, member: &str, edit: &kindred_core::edit::TestimonialEdit) -> Result<kindred_core::edit::Edited, ApiError> {
    let body = serde_json::to_string(edit).map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
    let url = cfg.url(&format!("v1/brands/{}/testimonials/{id}", cfg.brand));
    send("PATCH", &url, &[("content-type", "application/json"), ("x-kindred-member", member)], Some(&JsValue::from_str(&body)), None).await
}

/// Its author grants or withdraws consent to reuse (`kindred_core::consent`).
pub async fn set_consent(cfg: &Config, id: &str, member: &str, reuse: bool) -> Result<kindred_core::consent::ConsentState, ApiError> {
    let change = kindred_core::consent::ReuseConsent { reuse, identity: crate::identity() };
    let body = serde_json::to_string(&change).map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
    let url = cfg.url(&format!("v1/brands/{}/testimonials/{id}/consent", cfg.brand));
    send("POST", &url, &[("content-type", "application/json"), ("x-kindred-member", member)], Some(&JsValue::from_str(&body)), None).await
}

/// Uploads one photo (the file is sent as is; the edge checks its bytes).
pub async fn upload_photo(cfg: &Config, file: &web_sys::File) -> Result<PhotoView, ApiError> {
    let url = cfg.url(&format!("v1/brands/{}/photos", cfg.brand));
    let ct = file.type_();
    let ct = if ct.is_empty() { "application/octet-stream".to_owned() } else { ct };
    send("POST", &url, &[("content-type", &ct)], Some(file.as_ref()), None).await
}

struct Voted {
    helpful_count: u32,
}

impl FromJs for Voted {
    fn from_js(v: &JsValue) -> Result<Self, String> {
        json::field(v, "helpful_count").map(|helpful_count| Voted { helpful_count })
    }
}

/// Marks a testimonial helpful; returns the new count.
pub async fn vote(cfg: &Config, id: &str, member: &str) -> Result<u32, ApiError> {
    let url = cfg.url(&format!("v1/brands/{}/testimonials/{id}/helpful", cfg.brand));
    answer_js::<Voted>(send_text("POST", &url, &[("x-kindred-member", member)], None, None).await).map(|v| v.helpful_count)
}

fn member_headers(member: &str) -> Vec<(&'static str, String)> {
    let mut h = vec![("x-kindred-member", member.to_owned())];
    if let Some(t) = crate::identity() {
        h.push(("x-kindred-identity", t));
    }
    h
}

async fn send_owned<T: DeserializeOwned>(method: &str, url: &str, headers: &[(&str, String)], body: Option<String>) -> Result<T, ApiError> {
    answer(send_owned_text(method, url, headers, body).await)
}

async fn send_owned_text(method: &str, url: &str, headers: &[(&str, String)], body: Option<String>) -> Result<String, ApiError> {
    let h: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let body = body.map(|b| JsValue::from_str(&b));
    send_text(method, url, &h, body.as_ref(), None).await
}

/// This shopper's referral link and stats, if they joined.
pub async fn my_referral(cfg: &Config, member: &str) -> Result<Option<kindred_core::referral::ReferrerView>, ApiError> {
    let url = cfg.url(&format!("v1/brands/{}/referrers/me", cfg.brand));
    send_owned("GET", &url, &member_headers(member), None).await
}

/// Everything the brand holds for this shopper, as the edge's JSON text
/// (`kindred_core::privacy::ShopperData`), kept as text for the download.
pub async fn my_data(cfg: &Config, member: &str) -> Result<String, ApiError> {
    let url = cfg.url(&format!("v1/brands/{}/me/data", cfg.brand));
    send_owned_text("GET", &url, &member_headers(member), None).await
}

/// Erases everything the brand holds for this shopper.
pub async fn erase_my_data(cfg: &Config, member: &str) -> Result<(), ApiError> {
    let url = cfg.url(&format!("v1/brands/{}/me/data", cfg.brand));
    send_owned_text("DELETE", &url, &member_headers(member), None).await.map(|_| ())
}

/// Joins the referral program.
pub async fn join_referrals(cfg: &Config, member: &str, name: &str, email: &str) -> Result<kindred_core::referral::ReferrerView, ApiError> {
    let url = cfg.url(&format!("v1/brands/{}/referrers", cfg.brand));
    let body = serde_json::json!({ "name": name, "email": email, "identity": crate::identity() }).to_string();
    let mut h = member_headers(member);
    h.push(("content-type", "application/json".into()));
    send_owned("POST", &url, &h, Some(body)).await
}

/// "Email me my link": asks the brand to email the referral link of
/// `email` to that address (202 whatever the address: the edge says
/// nothing of whether it has one).
pub async fn request_referral_link(cfg: &Config, member: &str, email: &str) -> Result<(), ApiError> {
    let url = cfg.url(&format!("v1/brands/{}/referrers/link-requests", cfg.brand));
    let body = serde_json::json!({ "email": email }).to_string();
    // With the member token: its budget, not a shared address's (helper-82).
    let mut h = member_headers(member);
    h.push(("content-type", "application/json".into()));
    send_owned_text("POST", &url, &h, Some(body)).await.map(|_| ())
}

/// Moves the referral link an emailed `token` (`?kindred_link=`) names to
/// this browser; answers it as `my_referral` will from now on.
pub async fn open_referral_link(cfg: &Config, member: &str, token: &str) -> Result<kindred_core::referral::ReferrerView, ApiError> {
    let url = cfg.url(&format!("v1/brands/{}/referrers/me/link", cfg.brand));
    let mut h = member_headers(member);
    h.push(("content-type", "application/json".into()));
    send_owned("POST", &url, &h, Some(serde_json::json!({ "token": token }).to_string())).await
}

/// The referrer's name as friends see it, and their note for friends
/// (`Some`) or its removal (`None`), in one merge patch (the edge changes
/// only what differs).
pub async fn edit_referrer(cfg: &Config, member: &str, name: &str, note: Option<&str>) -> Result<kindred_core::referral::ReferrerView, ApiError> {
    let url = cfg.url(&format!("v1/brands/{}/referrers/me", cfg.brand));
    let mut h = member_headers(member);
    h.push(("content-type", "application/merge-patch+json".into()));
    send_owned("PATCH", &url, &h, Some(serde_json::json!({ "name": name, "note": note }).to_string())).await
}

/// A friend opens the offer behind a referral code.
pub async fn claim(cfg: &Config, member: &str, code: &str) -> Result<kindred_core::referral::ClaimView, ApiError> {
    let url = cfg.url(&format!("v1/brands/{}/referrals/claim", cfg.brand));
    let mut h = member_headers(member);
    h.push(("content-type", "application/json".into()));
    send_owned("POST", &url, &h, Some(json_body(&[("code", code)]))).await
}

/// Community calls: every one carries the member token (and identity).
pub mod community {
    use super::{answer, member_headers, send_owned_text, Config};
    use kindred_core::community::{GroupView, ReplyView, ThreadPage, ThreadView};
    use kindred_core::ApiError;
    use serde::Deserialize;

    fn url(cfg: &Config, path: &str) -> String {
        cfg.url(&format!("v1/brands/{}/{path}", cfg.brand))
    }

    async fn call_text(cfg: &Config, member: &str, method: &str, path: &str, body: Option<serde_json::Value>) -> Result<String, ApiError> {
        let mut h = member_headers(member);
        if body.is_some() {
            h.push(("content-type", "application/json".into()));
        }
        send_owned_text(method, &url(cfg, path), &h, body.map(|b| b.to_string())).await
    }

    async fn call<T: serde::de::DeserializeOwned>(cfg: &Config, member: &str, method: &str, path: &str, body: Option<serde_json::Value>) -> Result<T, ApiError> {
        answer(call_text(cfg, member, method, path, body).await)
    }

    /// A new post, with its `Idempotency-Key` (`key`): the same words sent
    /// again after a lost answer (the deadline, `READ_DEADLINE_MS`'s kin)
    /// are answered with the post the first try wrote.
    async fn post<T: serde::de::DeserializeOwned>(cfg: &Config, member: &str, path: &str, body: serde_json::Value, key: &str) -> Result<T, ApiError> {
        let mut h = member_headers(member);
        h.push(("content-type", "application/json".into()));
        h.push(("idempotency-key", key.to_owned()));
        answer(send_owned_text("POST", &url(cfg, path), &h, Some(body.to_string())).await)
    }

    #[derive(Deserialize)]
    struct Groups {
        groups: Vec<GroupView>,
    }

    pub async fn groups(cfg: &Config, member: &str) -> Result<Vec<GroupView>, ApiError> {
        call::<Groups>(cfg, member, "GET", "groups", None).await.map(|g| g.groups)
    }

    #[derive(Deserialize)]
    struct Unread {
        unread: std::collections::HashMap<String, u32>,
    }

    pub async fn unread(cfg: &Config, member: &str) -> Result<u32, ApiError> {
        call::<Unread>(cfg, member, "GET", "community/unread", None).await.map(|u| u.unread.values().sum())
    }

    pub async fn join(cfg: &Config, member: &str, group: &str, name: &str, invite: Option<&str>) -> Result<GroupView, ApiError> {
        call(cfg, member, "POST", &format!("groups/{group}/join"), Some(serde_json::json!({ "display_name": name, "invite": invite }))).await
    }

    /// Every membership this shopper has in `group` goes (their posts stay).
    pub async fn leave(cfg: &Config, member: &str, group: &str) -> Result<GroupView, ApiError> {
        call(cfg, member, "POST", &format!("groups/{group}/leave"), None).await
    }

    #[derive(Deserialize)]
    pub struct Threads {
        pub group: GroupView,
        pub threads: Vec<ThreadView>,
    }

    pub async fn threads(cfg: &Config, member: &str, group: &str) -> Result<Threads, ApiError> {
        call(cfg, member, "GET", &format!("groups/{group}/threads"), None).await
    }

    pub async fn start(cfg: &Config, member: &str, group: &str, title: &str, body: &str, photo: Option<&str>, key: &str) -> Result<ThreadView, ApiError> {
        let body = serde_json::json!({ "title": title, "body": body, "photo": photo });
        post(cfg, member, &format!("groups/{group}/threads"), body, key).await
    }

    /// The thread and its newest replies, or with `before` (an
    /// `earlier_cursor`) the page of replies before those, with the
    /// shopper's own reactions on them.
    pub async fn thread(cfg: &Config, member: &str, id: &str, before: Option<&str>) -> Result<ThreadPage, ApiError> {
        let path = match before {
            Some(c) => format!("threads/{id}?before={}", js_sys::encode_uri_component(c)),
            None => format!("threads/{id}"),
        };
        call(cfg, member, "GET", &path, None).await
    }

    pub async fn reply(cfg: &Config, member: &str, thread: &str, body: &str, key: &str) -> Result<ReplyView, ApiError> {
        post(cfg, member, &format!("threads/{thread}/replies"), serde_json::json!({ "body": body }), key).await
    }

    #[derive(Deserialize)]
    pub struct Reacted {
        /// Whether this member's reaction is now on.
        #[serde(default)]
        pub on: bool,
        pub reactions: Vec<(String, u32)>,
    }

    /// `kind` is `threads` or `replies`; `on` the state the shopper asked
    /// for (a retry after a lost answer leaves it so; a toggle would undo it).
    pub async fn react(cfg: &Config, member: &str, kind: &str, id: &str, reaction: &str, on: bool) -> Result<Reacted, ApiError> {
        call(cfg, member, "POST", &format!("{kind}/{id}/reactions"), Some(serde_json::json!({ "kind": reaction, "on": on }))).await
    }

    /// `kind` is `threads` or `replies`; `reason` one of
    /// `kindred_core::community::REPORT_REASONS`.
    pub async fn report(cfg: &Config, member: &str, kind: &str, id: &str, reason: kindred_core::moderation::RejectReason) -> Result<(), ApiError> {
        call_text(cfg, member, "POST", &format!("{kind}/{id}/report"), Some(serde_json::json!({ "reason": reason.as_str() }))).await.map(|_| ())
    }
}
