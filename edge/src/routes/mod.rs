//! The URL space, built in one place. Each feature's handlers live in their
//! own file; this module only matches method and path and turns every error
//! into the JSON envelope.

mod health;
mod widget;

use crate::errors::{EdgeError, EdgeResult};
use kindred_core::ErrorCode;
use worker::{Context, Env, Method, Request, Response};

/// Everything a handler may need besides the request.
pub struct Ctx {
    pub env: Env,
    pub ctx: Context,
}

pub async fn handle(req: Request, env: Env, ctx: Context) -> Response {
    let path = req.path();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let cx = Ctx { env, ctx };
    match route(&req, &cx, req.method(), &segments).await {
        Ok(resp) => resp,
        Err(e) => {
            let mut resp = e.into_response();
            // Errors carry no brand data, so any page may read them: the
            // widget can then tell "unknown brand" from "network down".
            let origin = crate::cors::request_origin(&req).and_then(|o| kindred_core::Origin::parse(&o).ok());
            crate::cors::apply(&mut resp, origin.as_ref());
            resp
        }
    }
}

async fn route(req: &Request, cx: &Ctx, method: Method, segments: &[&str]) -> EdgeResult<Response> {
    use Method::{Get, Head, Options};
    match (method, segments) {
        (Get | Head, ["healthz"]) => Ok(health::get()),
        (Get | Head, ["v1", "widget", brand]) => widget::get(req, cx, brand).await,
        (Options, ["v1", "widget", brand]) => widget::preflight(req, cx, brand).await,
        (_, ["healthz"] | ["v1", "widget", _]) => Err(EdgeError::api(
            ErrorCode::MethodNotAllowed,
            "this route does not accept that method",
        )),
        _ => Err(EdgeError::api(ErrorCode::RouteNotFound, "no such route; the API lives under /v1")),
    }
}
