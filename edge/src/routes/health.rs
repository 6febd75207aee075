//! `GET /healthz`: a constant answer that touches no storage. Load balancers
//! use it, and benchmarks use it as the baseline for every other route.
//! `GET /v1/openapi.json`: the API's OpenAPI 3.1 document, made by the build
//! script from core's route table and types.

use crate::http::raw_json;
use worker::Response;

pub fn get() -> Response {
    raw_json(200, br#"{"ok":true,"service":"kindred-edge"}"#.to_vec())
}

/// The OpenAPI document, readable from any origin (it is public and holds
/// no brand data); cached for 5 minutes.
pub fn openapi() -> Response {
    let mut resp = raw_json(200, include_str!(concat!(env!("OUT_DIR"), "/openapi.json")).as_bytes().to_vec());
    crate::http::set_header(&mut resp, "access-control-allow-origin", "*");
    crate::http::set_header(&mut resp, "cache-control", "public, max-age=300");
    resp
}
