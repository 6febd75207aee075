//! Reading what clients send: bodies with size and type limits, the client's
//! address, the shopper's member token, idempotency keys. Every refusal is a
//! clear 4xx.

use crate::errors::{EdgeError, EdgeResult};
use kindred_core::ErrorCode;
use serde::de::DeserializeOwned;
use worker::Request;

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

/// The raw body, at most `max` bytes.
pub async fn body_bytes(req: &mut Request, max: usize) -> EdgeResult<Vec<u8>> {
    check_declared_length(req, max)?;
    let bytes = req.bytes().await.map_err(|e| EdgeError::api(ErrorCode::BadRequest, format!("could not read the body: {e}")))?;
    if bytes.len() > max {
        return Err(too_large(max));
    }
    Ok(bytes)
}

/// A JSON body of type `T`: `application/json`, at most `max` bytes.
pub async fn json<T: DeserializeOwned>(req: &mut Request, max: usize) -> EdgeResult<T> {
    let ct = header(req, "content-type").unwrap_or_default().to_ascii_lowercase();
    if !ct.starts_with("application/json") {
        return Err(EdgeError::api(ErrorCode::UnsupportedMediaType, "send the body as application/json"));
    }
    let bytes = body_bytes(req, max).await?;
    serde_json::from_slice(&bytes).map_err(|e| EdgeError::api(ErrorCode::InvalidJson, format!("invalid JSON body: {e}")))
}

/// The client's address as Cloudflare reports it (local runs: loopback).
pub fn client_ip(req: &Request) -> String {
    header(req, "cf-connecting-ip").unwrap_or_else(|| "unknown".to_owned())
}

/// The shopper's anonymous member token (`X-Kindred-Member`), if well formed.
pub fn member_token(req: &Request) -> EdgeResult<Option<String>> {
    match header(req, "x-kindred-member") {
        None => Ok(None),
        Some(t) if (16..=64).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') => Ok(Some(t)),
        Some(_) => Err(EdgeError::Api(kindred_core::ApiError::field(
            ErrorCode::BadRequest,
            "x-kindred-member",
            "the member token is 16-64 letters, digits, '-' or '_'",
        ))),
    }
}

/// `Idempotency-Key`, if sent: 1 to 100 visible ASCII characters.
pub fn idempotency_key(req: &Request) -> EdgeResult<Option<String>> {
    match header(req, "idempotency-key") {
        None => Ok(None),
        Some(k) if (1..=100).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()) => Ok(Some(k)),
        Some(_) => Err(EdgeError::Api(kindred_core::ApiError::field(
            ErrorCode::BadRequest,
            "idempotency-key",
            "the idempotency key is 1-100 visible ASCII characters",
        ))),
    }
}

/// A query-string parameter (first occurrence).
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
