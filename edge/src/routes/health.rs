//! `GET /healthz`: a constant answer that touches no storage. Load balancers
//! use it, and benchmarks use it as the baseline for every other route.
//! `GET /v1/openapi.json`: the API's OpenAPI 3.1 document, made by xtask's
//! build from core's route table and types and kept among the static
//! assets (`kindred_core::assets::OPENAPI_PATH`), not in the Worker.

use crate::errors::{EdgeError, EdgeResult};
use crate::http::raw_json;
use worker::{Env, Response};

pub fn get() -> Response {
    raw_json(200, br#"{"ok":true,"service":"kindred-edge"}"#.to_vec())
}

/// The OpenAPI document, readable from any origin (it is public and holds
/// no brand data); cached for 5 minutes; read through the `ASSETS`
/// binding. Errors: the binding missing or without the file
/// (`unavailable`).
pub async fn openapi(env: &Env) -> EdgeResult<Response> {
    let what = "the OpenAPI document";
    let mut r = crate::store::archive::static_file(env, kindred_core::assets::OPENAPI_PATH, what).await?.ok_or_else(|| EdgeError::store(what, "not among the static assets"))?;
    let bytes = r.bytes().await.map_err(|e| EdgeError::store("the OpenAPI document", e))?;
    let mut resp = raw_json(200, bytes);
    crate::http::set_header(&mut resp, "access-control-allow-origin", "*");
    crate::http::set_header(&mut resp, "cache-control", "public, max-age=300");
    Ok(resp)
}
