//! The URL space, built in one place. Each feature's handlers live in their
//! own file; this module only matches method and path and turns every error
//! into the JSON envelope.

mod admin;
mod health;
mod photos;
mod public;
mod testimonials;
mod widget;

use crate::errors::{EdgeError, EdgeResult};
use kindred_core::ErrorCode;
use worker::{kv::KvStore, Context, D1Database, Env, Method, Request, Response};

/// Everything a handler may need besides the request.
pub struct Ctx {
    pub env: Env,
    pub ctx: Context,
}

impl Ctx {
    pub fn db(&self) -> EdgeResult<D1Database> {
        self.env.d1("DB").map_err(|e| EdgeError::internal("D1 binding", e))
    }

    pub fn kv(&self) -> EdgeResult<KvStore> {
        self.env.kv("KV").map_err(|e| EdgeError::internal("KV binding", e))
    }
}

pub async fn handle(mut req: Request, env: Env, ctx: Context) -> Response {
    let path = req.path();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let cx = Ctx { env, ctx };
    let method = req.method();
    match route(&mut req, &cx, method, &segments).await {
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

async fn route(req: &mut Request, cx: &Ctx, method: Method, segments: &[&str]) -> EdgeResult<Response> {
    use Method::{Delete, Get, Head, Options, Patch, Post};
    match (method, segments) {
        (Get | Head, ["healthz"]) => Ok(health::get()),

        // Public, brand-scoped: the widget calls these from brands' pages.
        (Get | Head, ["v1", "widget", brand]) => widget::get(req, cx, brand).await,
        (Get | Head, ["v1", "brands", brand, "testimonials"]) => testimonials::feed(req, cx, brand).await,
        (Post, ["v1", "brands", brand, "testimonials"]) => testimonials::submit(req, cx, brand).await,
        (Post, ["v1", "brands", brand, "testimonials", id, "helpful"]) => testimonials::vote(req, cx, brand, id).await,
        (Post, ["v1", "brands", brand, "photos"]) => photos::upload(req, cx, brand).await,
        (Get | Head, ["v1", "photos", id]) => photos::get(cx, id).await,
        (Options, ["v1", "widget", brand] | ["v1", "brands", brand, ..]) => widget::preflight(req, cx, brand).await,

        // Admin: brand key (or operator key to create brands).
        (Post, ["v1", "admin", "brands"]) => admin::create_brand(req, cx).await,
        (Get, ["v1", "admin", "brands", brand]) => admin::get_brand(req, cx, brand).await,
        (Patch, ["v1", "admin", "brands", brand]) => admin::update_brand(req, cx, brand).await,
        (Get, ["v1", "admin", "brands", brand, "testimonials"]) => admin::list(req, cx, brand).await,
        (Post, ["v1", "admin", "brands", brand, "testimonials", id, action]) => {
            admin::moderate(req, cx, brand, id, action).await
        }
        (Delete, ["v1", "admin", "brands", brand, "testimonials", id]) => admin::delete(req, cx, brand, id).await,

        (_, path) if is_route(path) => {
            Err(EdgeError::api(ErrorCode::MethodNotAllowed, "this route does not accept that method"))
        }
        _ => Err(EdgeError::api(ErrorCode::RouteNotFound, "no such route; the API lives under /v1")),
    }
}

/// Whether some method is routed at this path (for 405 versus 404).
fn is_route(segments: &[&str]) -> bool {
    matches!(
        segments,
        ["healthz"]
            | ["v1", "widget", _]
            | ["v1", "brands", _, "testimonials"]
            | ["v1", "brands", _, "testimonials", _, "helpful"]
            | ["v1", "brands", _, "photos"]
            | ["v1", "photos", _]
            | ["v1", "admin", "brands"]
            | ["v1", "admin", "brands", _]
            | ["v1", "admin", "brands", _, "testimonials"]
            | ["v1", "admin", "brands", _, "testimonials", _]
            | ["v1", "admin", "brands", _, "testimonials", _, _]
    )
}
