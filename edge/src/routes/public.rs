//! What every public, brand-scoped route shares: the brand lookup, the CORS
//! decision, the origin check on writes and the write rate limit.

use super::Ctx;
use crate::cors;
use crate::errors::{EdgeError, EdgeResult};
use crate::request::client_ip;
use crate::store::brands::{self, Brand};
use crate::store::ratelimit;
use kindred_core::{BrandId, ErrorCode, Origin};
use worker::{D1Database, Request, Response};

/// A brand-scoped public request, checked.
pub struct Public {
    pub id: BrandId,
    pub brand: Brand,
    pub db: D1Database,
    /// The caller's origin if the brand allows it (echoed in CORS headers).
    pub origin: Option<Origin>,
}

impl Public {
    /// Looks the brand up. For writes, a browser origin the brand does not
    /// allow is refused outright (reads just get no CORS headers).
    pub async fn load(req: &Request, cx: &Ctx, raw_brand: &str, write: bool) -> EdgeResult<Self> {
        let id = BrandId::parse(raw_brand)?;
        let db = cx.db()?;
        let brand = brands::require(&db, &id).await?;
        let origin = cors::allowed(req, &brand.config.allowed_origins);
        // The edge's own pages (the iframe fallback) are same-origin: no CORS needed.
        let own = req.url().ok().and_then(|u| Origin::parse(&u.origin().ascii_serialization()).ok());
        let same_origin = own.is_some() && cors::request_origin(req).and_then(|o| Origin::parse(&o).ok()) == own;
        if write && origin.is_none() && !same_origin && cors::request_origin(req).is_some() {
            return Err(EdgeError::api(ErrorCode::OriginNotAllowed, "this origin is not on the brand's allowed origins"));
        }
        Ok(Self { id, brand, db, origin })
    }

    /// Counts a write against the client's and the brand's hourly limits.
    pub async fn rate_limit(&self, req: &Request, now: i64) -> EdgeResult<()> {
        let limits = self.brand.config.rate_limits;
        let buckets = [
            (format!("w:{}:{}", self.id, client_ip(req)), limits.per_client),
            (format!("w:{}", self.id), limits.per_brand),
        ];
        ratelimit::hit(&self.db, &buckets, now).await
    }

    /// A JSON response with this request's CORS headers.
    pub fn json<T: serde::Serialize>(&self, status: u16, body: &T) -> Response {
        let mut resp = crate::http::json_response(status, body);
        cors::apply(&mut resp, self.origin.as_ref());
        crate::http::set_header(&mut resp, "cache-control", "no-store");
        resp
    }
}
