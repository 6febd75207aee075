//! The caller of every public, brand-scoped route, resolved in one place:
//! the brand, whether the request's origin may read and write, the shopper
//! (member token and verified identity) and the client the write limits
//! count against. Handlers receive a [`Public`] and never read these headers
//! themselves.

use super::Ctx;
use crate::cors;
use crate::errors::{EdgeError, EdgeResult};
use crate::request::{connecting_address, header, member_token, CLIENT_IP_HEADER, EMBEDDER_HEADER, IDENTITY_HEADER, PROXY_KEY_HEADER};
use crate::store::brands::{self, Brand};
use crate::store::{now_ms, ratelimit};
use kindred_core::auth::{verify_identity, IdentityClaims};
use kindred_core::limits::{address_limit, client_hash, client_key, network_key, wider_blocks};
use kindred_core::{ApiError, BrandId, ErrorCode, Origin};
use worker::{D1Database, Request, Response};

/// What a route does with the brand's data: reads answer any origin (only
/// allowed origins may read the response); writes refuse an origin the brand
/// does not allow.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
}

/// The shopper behind a request. Anonymous shoppers carry a random member
/// token (`X-Kindred-Member`); shoppers the brand knows also carry a token
/// the brand signed (`X-Kindred-Identity`, or the body's `identity` field on
/// sign-up forms), verified here and only here.
#[derive(Default)]
pub struct Shopper {
    pub member: Option<String>,
    pub identity: Option<IdentityClaims>,
}

impl Shopper {
    /// The brand's customer id, when the brand vouched for this shopper.
    pub fn sub(&self) -> Option<&str> {
        self.identity.as_ref().map(|c| c.sub.as_str())
    }

    /// Every key the community knows this shopper by: `id:<customer>` first
    /// (the stronger), then `m:<member token>`. Empty for a stranger.
    pub fn keys(&self) -> Vec<String> {
        let mut keys = Vec::new();
        if let Some(s) = self.sub() {
            keys.push(format!("id:{s}"));
        }
        if let Some(m) = &self.member {
            keys.push(format!("m:{m}"));
        }
        keys
    }

    /// `Ok` when the shopper sent a member token or a valid identity; a
    /// 400 saying what to send otherwise (routes about "me").
    pub fn require_known(&self) -> EdgeResult<()> {
        if self.member.is_none() && self.identity.is_none() {
            return Err(EdgeError::api(ErrorCode::BadRequest, "send the member token (X-Kindred-Member) or an identity token (X-Kindred-Identity)"));
        }
        Ok(())
    }

    /// The member token, or a 400 saying what needs it.
    pub fn require_member(&self, what: &str) -> EdgeResult<&str> {
        self.member.as_deref().ok_or_else(|| {
            EdgeError::Api(ApiError::field(
                ErrorCode::BadRequest,
                crate::request::MEMBER_HEADER,
                format!("{what} needs the shopper's member token (X-Kindred-Member)"),
            ))
        })
    }
}

/// A brand-scoped public request, checked.
pub struct Public {
    pub id: BrandId,
    pub brand: Brand,
    pub db: D1Database,
    /// The caller's origin if the brand allows it (echoed in CORS headers).
    pub origin: Option<Origin>,
    pub shopper: Shopper,
    /// The key the client's limits count under: the keyed hash
    /// (`client_hash`) of its address, IPv6 by its /64. Never the address.
    pub client: String,
    /// The wider IPv6 blocks the client also counts against (hashed the
    /// same way), with the factor of its budget each gets (empty for IPv4).
    pub wider: Vec<(String, u32)>,
    /// The keyed hash of the client's network (`network_key`: its IPv4 /24
    /// or IPv6 /48), `None` without a usable address.
    pub network: Option<String>,
    /// Whether the address came from the brand's own proxy
    /// (`X-Kindred-Client-IP`, vouched for by its proxy key): one brand's
    /// word, so it counts within that brand only (see [`Public::scoped`]).
    pub via_proxy: bool,
}

/// What a write creates, for the brand's surge ceiling: content (testimonials,
/// threads, replies, photos) counts toward it and is held for moderation past
/// it; actions (votes, reactions, joins, claims, reports) count only against
/// the client's own limits, so a flood of cheap actions from many addresses
/// cannot hold every shopper's new content.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum WriteKind {
    Content,
    Action,
}

impl Public {
    /// Resolves the caller. For writes, a browser origin the brand does not
    /// allow is refused outright; so is a write from the edge's own frame
    /// fallback unless the page embedding the frame is allowed (reads just
    /// get no CORS headers). A member token or identity token that is sent
    /// must be valid.
    ///
    /// # Errors
    /// `bad_request` (malformed id or member token, a proxy's client
    /// address that is not one), `brand_not_found`, `origin_not_allowed`,
    /// `identity_invalid` / `identity_expired` / `forbidden` for identity
    /// tokens, `forbidden` for a proxy key that is not the brand's,
    /// `unavailable` when D1 fails.
    pub async fn load(req: &Request, cx: &Ctx, raw_brand: &str, access: Access) -> EdgeResult<Self> {
        let id = BrandId::parse(raw_brand)?;
        let member = member_token(req)?;
        let db = cx.db()?;
        let brand = brands::require(&db, &id).await?;
        let allowed = &brand.config.allowed_origins;
        let origin = cors::allowed(req, allowed);
        if access == Access::Write {
            check_write_origin(req, allowed, origin.is_some())?;
        }
        let (addr, via_proxy) = client_address(req, &brand)?;
        // Only keyed hashes of the address go anywhere from here.
        let secret = cx.client_secret();
        let client = client_hash(&secret, &client_key(addr.as_deref()));
        let wider = wider_blocks(addr.as_deref()).into_iter().map(|(block, factor)| (client_hash(&secret, &block), factor)).collect();
        let network = network_key(addr.as_deref()).map(|n| client_hash(&secret, &n));
        let mut p = Self { id, brand, db, origin, shopper: Shopper { member, identity: None }, client, wider, network, via_proxy };
        p.identify(header(req, IDENTITY_HEADER).as_deref())?;
        Ok(p)
    }

    /// Verifies an identity token the brand signed and makes it the
    /// shopper's identity; an empty or absent token changes nothing. Fails
    /// closed: a brand without a usable identity secret verifies nothing.
    ///
    /// # Errors
    /// `identity_invalid`, `identity_expired`, `forbidden` (another brand's).
    pub fn identify(&mut self, token: Option<&str>) -> EdgeResult<()> {
        let Some(token) = token.filter(|t| !t.is_empty()) else {
            return Ok(());
        };
        let secret = self.brand.identity_secret.as_deref().unwrap_or_default();
        let now = now_ms();
        let verify = |s: &str| verify_identity(token, s.as_bytes(), &self.id, now / 1000);
        // Not signed with the current secret: perhaps with the one it
        // replaced, while that still works (`keep_previous_hours`); its
        // answer stands unless that one does not know the token either.
        let claims = match (verify(secret), self.brand.previous_identity_secret.live(now)) {
            (Err(e), Some(previous)) if e.code == ErrorCode::IdentityInvalid => verify(previous).map_err(|p| if p.code == ErrorCode::IdentityInvalid { e } else { p })?,
            (answer, _) => answer?,
        };
        self.shopper.identity = Some(claims);
        Ok(())
    }

    /// The client's key for a limit that spans brands (the share cards'
    /// CPU guard): the client itself, or, for an address a brand's proxy
    /// named, the client within that brand (one brand's proxy key must not
    /// spend a shopper's budget with every other brand).
    pub fn scoped(&self) -> String {
        if self.via_proxy {
            format!("{}:{}", self.id, self.client)
        } else {
            self.client.clone()
        }
    }

    /// Counts one write against this client's limits (see
    /// [`ratelimit::hit`]): its address (IPv6: its /64, /56 and /48) and its
    /// member token; refused writes count nowhere. Content also counts in
    /// the brand's bucket; the answer says whether the brand as a whole is
    /// past its hourly ceiling (a surge: new content then waits for
    /// moderation instead of being refused). [`Self::burst`], then
    /// [`Self::count`].
    ///
    /// # Errors
    /// `rate_limited` (429 with `Retry-After`) when this client is over its
    /// own limit; `unavailable` when D1 fails.
    pub async fn rate_limit(&self, cx: &Ctx, kind: WriteKind) -> EdgeResult<ratelimit::Admitted> {
        self.burst(cx).await?;
        self.count(cx, kind).await
    }

    /// The platform's limiter ([`ratelimit::burst`]): a flood is cut
    /// without touching D1. A write whose checks read D1 before it is
    /// counted calls this first, then [`Self::count`].
    ///
    /// # Errors
    /// `rate_limited` (429 with `Retry-After`).
    pub async fn burst(&self, cx: &Ctx) -> EdgeResult<()> {
        ratelimit::burst(cx, &format!("{}:{}", self.id, self.client)).await
    }

    /// [`Self::rate_limit`] without the burst guard: for content, called
    /// once every check that may refuse it has passed (an unknown photo, a
    /// spent review link), so a refused post never counts in the brand's
    /// hourly ceiling (helper-88: twelve refused reviews held the next
    /// genuine one for moderation, a surge the brand could not see).
    ///
    /// # Errors
    /// As [`Self::rate_limit`].
    pub async fn count(&self, cx: &Ctx, kind: WriteKind) -> EdgeResult<ratelimit::Admitted> {
        let limits = self.brand.config.rate_limits;
        let address = address_limit(limits.per_client, self.shopper.member.is_some());
        let mut own = vec![(format!("a:{}:{}", self.id, self.client), address)];
        for (block, factor) in &self.wider {
            own.push((format!("a:{}:{block}", self.id), address.saturating_mul(*factor)));
        }
        if let Some(m) = &self.shopper.member {
            // Keyed like addresses: a member token is a device's secret and
            // never sits in the limits table (`kindred_core::privacy`).
            own.push((format!("m:{}:{}", self.id, client_hash(&cx.client_secret(), &format!("member:{m}"))), limits.per_client));
        }
        let brand = (kind == WriteKind::Content).then(|| (format!("b:{}", self.id), limits.per_brand));
        ratelimit::hit(&self.db, &own, brand, now_ms()).await
    }

    /// A JSON response with this request's CORS headers.
    pub fn json<T: serde::Serialize>(&self, status: u16, body: &T) -> Response {
        let mut resp = crate::http::json_response(status, body);
        cors::apply(&mut resp, self.origin.as_ref());
        crate::http::set_header(&mut resp, "cache-control", "no-store");
        resp
    }
}

/// The shopper's address, which limits and moderation's per-client rules
/// count, and whether the brand's proxy named it: the connecting client's
/// (`CF-Connecting-IP`), or, from a proxy or CDN path of the brand's own
/// that sends the brand's proxy key (`X-Kindred-Proxy-Key`, taken as
/// `kindred_core::brand::ProxyKeys::accepts` says), the address it passes
/// on (`X-Kindred-Client-IP`). Without that, every shopper behind such a
/// proxy would be one client: one abusive shopper would spend every
/// other's budget. Either header without the other is refused, as is a key
/// that is not the brand's, rather than ignored: a misconfigured or revoked
/// proxy shows at once instead of silently pooling its shoppers. Browsers
/// cannot send either header cross-origin (neither is in
/// `request::SHOPPER_HEADERS`, which the preflight allows). The widget's
/// first paint (`GET /v1/widget/{brand}`), which counts no client, does
/// not read them.
///
/// # Errors
/// `forbidden` (the key is not this brand's), `bad_request` (the key
/// without exactly one IPv4 or IPv6 address beside it, or an address
/// without the key).
fn client_address(req: &Request, brand: &Brand) -> EdgeResult<(Option<String>, bool)> {
    let named = header(req, CLIENT_IP_HEADER);
    let Some(key) = header(req, PROXY_KEY_HEADER) else {
        if named.is_some() {
            return Err(EdgeError::Api(ApiError::field(
                ErrorCode::BadRequest,
                PROXY_KEY_HEADER,
                "X-Kindred-Client-IP is read only beside the brand's proxy key (X-Kindred-Proxy-Key): the proxy sends both",
            )));
        }
        return Ok((connecting_address(req), false));
    };
    if !brand.proxy_keys.accepts(&key, now_ms()) {
        return Err(EdgeError::Api(ApiError::field(
            ErrorCode::Forbidden,
            PROXY_KEY_HEADER,
            "X-Kindred-Proxy-Key is not this brand's proxy key (make one with POST /v1/admin/brands/{brand}/proxy-key)",
        )));
    }
    match named.and_then(|a| a.trim().parse::<std::net::IpAddr>().ok()) {
        Some(ip) => Ok((Some(ip.to_string()), true)),
        None => Err(EdgeError::Api(ApiError::field(
            ErrorCode::BadRequest,
            CLIENT_IP_HEADER,
            "a proxy that sends the proxy key sends the shopper's address too: X-Kindred-Client-IP, one IPv4 or IPv6 address (no port, no list)",
        ))),
    }
}

/// Who may write: a request without `Origin` (not a browser: the brand's
/// server, a script; held by rate limits), an allowed origin, or the edge's
/// own frame fallback embedded by an allowed origin. The frame is our own
/// page and names its embedder (`X-Kindred-Embedder`, read from the browser's
/// `location.ancestorOrigins` or referrer); `frame-ancestors` keeps every
/// other site from framing it, and a cross-origin page cannot send that
/// header without a preflight, which is answered for allowed origins only.
fn check_write_origin(req: &Request, allowed: &[Origin], origin_allowed: bool) -> EdgeResult<()> {
    let refused = |m: &str| Err(EdgeError::api(ErrorCode::OriginNotAllowed, m.to_owned()));
    let Some(sent) = cors::request_origin(req) else {
        return Ok(());
    };
    if origin_allowed {
        return Ok(());
    }
    let own = req.url().ok().map(|u| u.origin().ascii_serialization());
    if own.as_deref() == Some(sent.as_str()) {
        return match header(req, EMBEDDER_HEADER).and_then(|e| Origin::is_allowed(&e, allowed)) {
            Some(_) => Ok(()),
            None => refused("the page that embeds this widget is not on the brand's allowed origins"),
        };
    }
    refused("this origin is not on the brand's allowed origins")
}
