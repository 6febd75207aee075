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
