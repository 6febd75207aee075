//! Reading what clients send: bodies with size and type limits, the client's
//! address, the shopper's member token, idempotency keys. Every refusal is a
//! clear 4xx.
//!
//! The request headers the shopper API reads are named once, in
//! [`SHOPPER_HEADERS`]; CORS preflights allow exactly that list, so a header
//! the API reads can never be one browsers refuse to send.

use crate::errors::{EdgeError, EdgeResult};
use kindred_core::ErrorCode;
use serde::de::DeserializeOwned;
use worker::Request;

/// The shopper's anonymous member token (16-64 of `[A-Za-z0-9_-]`).
pub const MEMBER_HEADER: &str = "x-kindred-member";
/// A brand-signed identity token (see `kindred_core::auth`).
pub const IDENTITY_HEADER: &str = "x-kindred-identity";
/// The page that embeds the edge's frame fallback (set by the frame itself).
pub const EMBEDDER_HEADER: &str = "x-kindred-embedder";
/// Retried writes carry the same key (1-100 visible ASCII characters).
pub const IDEMPOTENCY_HEADER: &str = "idempotency-key";

/// The brand's proxy key ([`kindred_core::auth::proxy_key`]), sent by a
/// proxy of the brand's own in front of the edge: never by a browser (not
/// in [`SHOPPER_HEADERS`], so no cross-origin page can send it).
pub const PROXY_KEY_HEADER: &str = "x-kindred-proxy-key";
/// The shopper's address as that proxy saw it: one IPv4 or IPv6 address,
/// read only beside a valid [`PROXY_KEY_HEADER`].
pub const CLIENT_IP_HEADER: &str = "x-kindred-client-ip";

/// Every request header a browser may send to the shopper API besides the
/// CORS-safelisted ones; the preflight's `Access-Control-Allow-Headers`.
pub const SHOPPER_HEADERS: [&str; 6] = ["content-type", IDEMPOTENCY_HEADER, MEMBER_HEADER, IDENTITY_HEADER, EMBEDDER_HEADER, kindred_core::session::BOOKMARK_HEADER];

pub fn header(req: &Request, name: &str) -> Option<String> {
    req.headers().get(name).ok().flatten()
}

/// Refuses a body whose declared length is over `max` before reading it.
fn check_declared_length(req: &Request, max: usize) -> EdgeResult<()> {
    if let Some(len) = header(req, "content-length").and_then(|v| v.trim().parse::<u64>().ok()) {
        if len > max as u64 {
            return Err(too_large(max));
        }
    }
    Ok(())
}

fn too_large(max: usize) -> EdgeError {
    EdgeError::api(ErrorCode::PayloadTooLarge, format!("the body is larger than {max} bytes"))
}

/// The raw body, at most `max` bytes. A declared `Content-Length` over `max`
/// is refused before reading; a body without one (chunked) is read as it
/// streams and refused as soon as it passes `max`, so no client makes the
/// worker hold more than `max` bytes.
///
/// # Errors
/// `payload_too_large` (413) past `max`; `bad_request` if the body breaks off.
pub async fn body_bytes(req: &mut Request, max: usize) -> EdgeResult<Vec<u8>> {
    use futures_util::StreamExt;
    check_declared_length(req, max)?;
    let broken = |e: worker::Error| EdgeError::api(ErrorCode::BadRequest, format!("could not read the body: {e}"));
    let mut stream = match req.stream() {
        Ok(s) => s,
        // No body at all.
        Err(_) => return Ok(Vec::new()),
    };
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(broken)?;
        if bytes.len() + chunk.len() > max {
            return Err(too_large(max));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// The request's media type: its `Content-Type` without parameters
/// (`; charset=utf-8`), lowercase (RFC 9110 8.3.1); `""` without one.
fn media_type(req: &Request) -> String {
    header(req, "content-type").unwrap_or_default().split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

/// A JSON body of type `T`: `application/json`, at most `max` bytes.
///
/// # Errors
/// `unsupported_media_type` (415), `payload_too_large` (413), and
/// `kindred_core::error::from_json`'s: `invalid_json` (400) for a body
/// that is not JSON, `validation_failed` (422, with `field`) for one that
/// does not fit `T`.
pub async fn json<T: DeserializeOwned + serde::Serialize>(req: &mut Request, max: usize) -> EdgeResult<T> {
    if media_type(req) != "application/json" {
        return Err(EdgeError::api(ErrorCode::UnsupportedMediaType, "send the body as application/json"));
    }
    let bytes = body_bytes(req, max).await?;
    Ok(kindred_core::error::from_json(&bytes)?)
}

/// A JSON Merge Patch body (RFC 7396): `application/merge-patch+json`, or
/// `application/json` as most clients send it.
///
/// # Errors
/// `unsupported_media_type`, `payload_too_large`, `invalid_json`.
pub async fn merge_patch(req: &mut Request, max: usize) -> EdgeResult<serde_json::Value> {
    if !matches!(media_type(req).as_str(), "application/merge-patch+json" | "application/json") {
        return Err(EdgeError::api(ErrorCode::UnsupportedMediaType, "send the patch as application/merge-patch+json (RFC 7396)"));
    }
    let bytes = body_bytes(req, max).await?;
    serde_json::from_slice(&bytes).map_err(|e| EdgeError::api(ErrorCode::InvalidJson, format!("invalid JSON body: {e}")))
}

/// The connecting client's address as Cloudflare reports it
/// (`CF-Connecting-IP`, which Cloudflare sets on every request it proxies,
/// overwriting a client's own). Behind a brand's own proxy that is the
/// proxy's: `routes::public` resolves the shopper's address from it and
/// the proxy's headers. Limits key it with
/// `kindred_core::limits::{client_key, wider_blocks}`.
pub fn connecting_address(req: &Request) -> Option<String> {
    header(req, "cf-connecting-ip")
}

/// The shopper's anonymous member token (`X-Kindred-Member`), if well formed.
pub fn member_token(req: &Request) -> EdgeResult<Option<String>> {
    match header(req, MEMBER_HEADER) {
        None => Ok(None),
        Some(t) if (16..=64).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') => Ok(Some(t)),
        Some(_) => Err(EdgeError::Api(kindred_core::ApiError::field(
            ErrorCode::BadRequest,
            MEMBER_HEADER,
            "the member token is 16-64 letters, digits, '-' or '_'",
        ))),
    }
}

/// `Idempotency-Key`, if sent: 1 to 100 visible ASCII characters.
pub fn idempotency_key(req: &Request) -> EdgeResult<Option<String>> {
    match header(req, IDEMPOTENCY_HEADER) {
        None => Ok(None),
        Some(k) if (1..=100).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()) => Ok(Some(k)),
        Some(_) => Err(EdgeError::Api(kindred_core::ApiError::field(
            ErrorCode::BadRequest,
            IDEMPOTENCY_HEADER,
            "the idempotency key is 1-100 visible ASCII characters",
        ))),
    }
}

/// The query string's parameters, decoded (`application/x-www-form-urlencoded`).
/// Escapes that are not UTF-8 (`?tag=%FF`) read as U+FFFD, as the URL
/// Standard decodes them: pages linked from elsewhere (the wall, a share
/// page) get third parties' tracking parameters in older encodings, which
/// must not turn them into errors; a value Kindred reads finds nothing.
///
/// # Errors
/// `bad_request` for a URL that does not parse.
pub fn query(req: &Request) -> EdgeResult<Vec<(String, String)>> {
    let url = req.url().map_err(|e| EdgeError::api(ErrorCode::BadRequest, format!("bad URL: {e}")))?;
    Ok(url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect())
}

/// Random bytes from the platform's CSPRNG.
pub fn random<const N: usize>() -> EdgeResult<[u8; N]> {
    use wasm_bindgen::JsCast;
    let mut buf = [0u8; N];
    let crypto = js_sys::Reflect::get(&js_sys::global(), &"crypto".into())
        .map_err(|_| EdgeError::internal("crypto", "no crypto global"))?
        .unchecked_into::<web_sys::Crypto>();
    crypto
        .get_random_values_with_u8_array(&mut buf)
        .map_err(|_| EdgeError::internal("crypto", "getRandomValues failed"))?;
    Ok(buf)
}

/// A new random id: 32 lowercase hex characters.
pub fn new_id() -> EdgeResult<String> {
    Ok(kindred_core::auth::hex(&random::<16>()?))
}
