//! The Worker's fetch handler (wasm32 only).

use kindred_core::card::Card;
use kindred_core::{ApiError, ErrorCode};
use worker::{event, Context, Env, Method, Request, Response, Result};

/// A card's JSON is a few KB; anything much larger is not one.
const BODY_MAX: usize = 16 * 1024;

fn error(e: ApiError) -> Result<Response> {
    let status = e.status();
    Ok(Response::from_json(&e.into_body())?.with_status(status))
}

#[event(fetch)]
async fn fetch(mut req: Request, _env: Env, _ctx: Context) -> Result<Response> {
    if req.method() != Method::Post || req.path() != "/render" {
        return error(ApiError::new(ErrorCode::RouteNotFound, "POST /render with a card"));
    }
    let bytes = req.bytes().await?;
    if bytes.len() > BODY_MAX {
        return error(ApiError::new(ErrorCode::PayloadTooLarge, "a card is at most 16 KB of JSON"));
    }
    let card: Card = match serde_json::from_slice(&bytes) {
        Ok(c) => c,
        Err(e) => return error(ApiError::new(ErrorCode::ValidationFailed, format!("not a card: {e}"))),
    };
    match crate::render::render(&card) {
        Ok(png) => {
            let mut res = Response::from_bytes(png)?;
            res.headers_mut().set("Content-Type", "image/png")?;
            Ok(res)
        }
        Err(crate::render::RenderError::Invalid(i)) => error(ApiError::field(ErrorCode::ValidationFailed, i.field, i.message)),
        Err(crate::render::RenderError::Encode(m)) => error(ApiError::new(ErrorCode::Internal, m)),
    }
}
