//! `GET /frame/{brand}`: the widget in a page of the edge's own origin, for
//! host pages whose Content-Security-Policy blocks WebAssembly (the loader
//! falls back to an iframe of this page).
//!
//! The page belongs to the brand's storefronts only: it is served with
//! `Content-Security-Policy: frame-ancestors <the brand's allowed origins>`
//! (`'none'` when it has none), so no other site can frame it, hidden or
//! not. Its writes are same-origin; `public::Public` accepts them only when
//! the embedding page (which the frame reports) is an allowed origin.

use super::public::{Access, Public};
use super::Ctx;
use crate::errors::EdgeResult;
use crate::http::set_header;
use worker::{Request, Response, ResponseBuilder};

const PAGE: &str = include_str!("../../frame/frame.html");

/// The CSP `frame-ancestors` source list for these origins (CSP Level 2,
/// "frame-ancestors"; origins are already validated scheme://host[:port]).
fn frame_ancestors(origins: &[kindred_core::Origin]) -> String {
    if origins.is_empty() {
        return "frame-ancestors 'none'".to_owned();
    }
    let list: Vec<&str> = origins.iter().map(kindred_core::Origin::as_str).collect();
    format!("frame-ancestors {}", list.join(" "))
}

pub async fn get(req: &Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let p = Public::load(req, cx, brand, Access::Read).await?;
    let mut resp = ResponseBuilder::new().with_status(200).fixed(PAGE.as_bytes().to_vec());
    set_header(&mut resp, "content-type", "text/html; charset=utf-8");
    set_header(&mut resp, "content-security-policy", &frame_ancestors(&p.brand.config.allowed_origins));
    // Allowed origins change: check every time.
    set_header(&mut resp, "cache-control", "no-cache");
    set_header(&mut resp, "x-content-type-options", "nosniff");
    set_header(&mut resp, "referrer-policy", "no-referrer");
    Ok(resp)
}
