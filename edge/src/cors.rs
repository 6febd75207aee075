//! CORS for brand-scoped public routes: a response is readable only by the
//! brand's allowed origins. One validated origin is echoed (browsers reject a
//! list) and `Vary: Origin` keeps caches from mixing answers.

use crate::http::{empty, set_header};
use kindred_core::Origin;
use worker::{Request, Response};

const MAX_AGE_SECONDS: &str = "600";

/// The caller's `Origin` header, if it sent one.
pub fn request_origin(req: &Request) -> Option<String> {
    req.headers().get("origin").ok().flatten()
}

/// Whether the request's origin may read this brand's responses. `None` when
/// it sent no origin (server-to-server) or one not on the list.
pub fn allowed(req: &Request, allowed: &[Origin]) -> Option<Origin> {
    request_origin(req).and_then(|o| Origin::is_allowed(&o, allowed))
}

/// Adds CORS headers to a brand-scoped response.
///
/// `Access-Control-Allow-Credentials: true` lets the loader send its
/// requests with the credentials mode of the `<script>` that fetched it (a
/// tag without `crossorigin` is credentialed): browsers keep credentialed
/// and uncredentialed requests on separate connections, so matching it puts
/// the first paint's data on the loader's connection instead of a new one
/// (a TCP and TLS handshake). The edge neither reads nor sets cookies and
/// never answers `*` here (browsers refuse it with credentials): a
/// brand-scoped answer names one of the brand's allowed origins, and an
/// error (`routes::handle`) names any origin, as errors carry no brand data
/// and no cookie-dependent content. So credentials give a page nothing it
/// could not read without them.
pub fn apply(resp: &mut Response, origin: Option<&Origin>) {
    set_header(resp, "vary", "Origin");
    if let Some(o) = origin {
        set_header(resp, "access-control-allow-origin", o.as_str());
        set_header(resp, "access-control-allow-credentials", "true");
        set_header(resp, "access-control-expose-headers", &format!("retry-after, x-kindred-cache, {}", kindred_core::session::BOOKMARK_HEADER));
    }
}

/// Answers a preflight for an allowed origin; `methods` are those routed at
/// the path (`kindred_core::api::allow_header`).
pub fn preflight_ok(origin: &Origin, methods: &str) -> Response {
    let mut resp = empty(204);
    apply(&mut resp, Some(origin));
    set_header(&mut resp, "access-control-allow-methods", methods);
    // Exactly the headers the shopper API reads (one list, in `request`).
    set_header(&mut resp, "access-control-allow-headers", &crate::request::SHOPPER_HEADERS.join(", "));
    set_header(&mut resp, "access-control-max-age", MAX_AGE_SECONDS);
    resp
}
