//! Small response helpers shared by the routes.

use serde::Serialize;
use worker::{Headers, Response, ResponseBuilder};

/// A JSON response. Serialising our own types cannot fail in practice; if it
/// ever did, the client still gets a JSON error rather than a broken body.
pub fn json_response<T: Serialize>(status: u16, body: &T) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_else(|_| {
        br#"{"error":{"code":"internal","message":"could not encode the response"}}"#.to_vec()
    });
    raw_json(status, bytes)
}

/// A response whose body is already-encoded JSON (e.g. a KV copy).
pub fn raw_json(status: u16, bytes: Vec<u8>) -> Response {
    let headers = Headers::new();
    // Setting a well-formed header name and value on a fresh Headers cannot fail.
    let _ = headers.set("content-type", "application/json; charset=utf-8");
    let _ = headers.set("x-content-type-options", "nosniff");
    ResponseBuilder::new().with_status(status).with_headers(headers).fixed(bytes)
}

/// An empty response with a status, e.g. 204 for a CORS preflight.
pub fn empty(status: u16) -> Response {
    ResponseBuilder::new().with_status(status).empty()
}

/// Sets a header on a response we built; our header names and values are
/// always valid, so a failure here is ignored rather than failing the request.
pub fn set_header(resp: &mut Response, name: &str, value: &str) {
    let _ = resp.headers_mut().set(name, value);
}

/// A page the edge renders itself (no script on it): HTML with `cache`
/// (`Cache-Control`) and a CSP of `default-src 'none'` with inline styles,
/// no framing, plus `extra_csp` directives (e.g. `form-action 'self'`).
pub fn html_page(html: String, cache: &str, extra_csp: &str) -> Response {
    let mut resp = ResponseBuilder::new().with_status(200).fixed(html.into_bytes());
    set_header(&mut resp, "content-type", "text/html; charset=utf-8");
    set_header(&mut resp, "cache-control", cache);
    set_header(&mut resp, "content-security-policy", &format!("default-src 'none'; style-src 'unsafe-inline'; {extra_csp}frame-ancestors 'none'"));
    set_header(&mut resp, "x-content-type-options", "nosniff");
    set_header(&mut resp, "referrer-policy", "no-referrer");
    resp
}

/// Text for HTML element content and quoted attribute values
/// (`kindred_core::text::escape_markup`, shared with the feeds' XML).
pub fn escape_html(s: &str) -> String {
    kindred_core::text::escape_markup(s)
}

/// The edge's origin as this request reached it (`https://reviews.example`,
/// no trailing slash): share links, review links, feeds and their emails
/// name it. On Cloudflare the request's host is the route the Worker is
/// served on (another host never reaches it), so no setting repeats it.
/// Empty for a URL the runtime cannot parse (never seen).
pub fn edge_origin(req: &worker::Request) -> String {
    req.url().map(|u| u.origin().ascii_serialization()).unwrap_or_default()
}
