//! The referral program: a shopper signs up for a personal code and share
//! link, friends arrive through `/r/{code}` and claim their offer, the brand's
//! server reports purchases, and referrers are rewarded (coupon from the
//! pool, signed webhook, or both). Fraud rules live in core.

use super::public::{Access, Public, WriteKind};
use super::Ctx;
use crate::auth;
use crate::errors::{EdgeError, EdgeResult};
use crate::http::{edge_origin, json_response, set_header};
use super::admin::no_store;
use crate::request::{json, new_id, query, random};
use crate::store::referrals::{self as store, NewConversion, NewReferrer, ReferrerRow, RewardPlan};
use crate::store::cache::{self, CodeCopy};
use crate::store::now_ms;
use kindred_core::brand::BrandConfig;
use kindred_core::referral::{
    canonical_email, decide, is_self_referral, tier, Claim, LinkRequest, LinkTransfer, LINK_PARAM, LINK_PURPOSE, ClaimState, ClaimView, ConversionList, ConversionSignals, ConversionStatus, CouponPools, CouponUpload,
    CouponsAdded, Decision, ReferrerList,
    Party, PurchaseReport, ReferralCode, ReferrerSignup, ReferrerView, RewardKind,
    note_initial_status, NoteQueue, ReferrerPatch, CONVERSIONS_PAGE, REFERRERS_PAGE,
};
use kindred_core::review_request as rr;
use kindred_core::testimonial::Status;
use kindred_core::{page, ApiError, BrandId, ErrorCode};
use worker::{console_warn, D1Database, Request, Response, ResponseBuilder};

const BODY_MAX: usize = 8 * 1024;

/// How many times a purchase is decided again when the facts it was
/// decided on changed before it was written (`store::Filed::Stale`): each
/// such round means another report of the same buyer or code was written,
/// so this many reports of one moment go through; the next answers 429
/// with `Retry-After` (not 409: for this idempotent route that would read
/// as "already reported", and the order would be dropped, helper-101).
/// Each round is two D1 calls: ten keep a report well under the Workers
/// Free plan's 50 subrequests.
const CONVERSION_TRIES: usize = 10;

/// The share link of `code`: `/r/{code}` on the edge's own origin.
fn share_url(req: &Request, code: &str) -> String {
    format!("{}/r/{code}", edge_origin(req))
}

async fn view(db: &D1Database, req: &Request, cfg: &BrandConfig, r: &ReferrerRow) -> EdgeResult<ReferrerView> {
    let (stats, testimonials) = store::stats(db, r).await?;
    let reached = tier(&cfg.referral.tiers, stats.purchases, testimonials).map(|t| t.name.clone());
    Ok(ReferrerView { name: r.name.clone(), code: r.code.clone(), share_url: share_url(req, &r.code), stats, tier: reached, note: r.note_view() })
}


/// An email that has a referral link already, typed by someone who does not
/// hold it: one answer whoever holds it, so it never says whether its
/// owner signed in (a 409 alone cannot be avoided: a new email gets its
/// link at once).
fn taken() -> EdgeError {
    EdgeError::Api(ApiError::field(ErrorCode::Conflict, "email", "this email already has a referral link: open it where it was made (signed in, or in the browser it was made in)"))
}

/// `POST /v1/brands/{brand}/referrers`: join the program; the same person
/// (email) always gets the same code.
///
/// # Errors
/// 409 `conflict` on `email` when the email has a link someone else holds.
pub async fn signup(req: &mut Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let mut p = Public::load(req, cx, brand, Access::Write).await?;
    let body: ReferrerSignup = json(req, BODY_MAX).await?;
    if body.website.as_deref().is_some_and(|w| !w.trim().is_empty()) {
        return Err(EdgeError::api(ErrorCode::ValidationFailed, "please try again"));
    }
    let name = kindred_core::text::person_name(&body.name, "name", kindred_core::referral::REFERRER_NAME_MAX)?;
    let email = kindred_core::email::parse(&body.email)?;
    p.identify(body.identity.as_deref())?;
    let (member, identity) = (p.shopper.member.clone(), p.shopper.sub().map(str::to_owned));
    let now = now_ms();
    p.rate_limit(cx, WriteKind::Action).await?;
    let canonical = canonical_email(&email);
    if let Some(existing) = store::referrer_by_email(&p.db, p.id.as_str(), &canonical).await? {
        // Same person again: the code, never someone else's stats.
        if kindred_core::referral::owns(existing.identity_sub.as_deref(), existing.member_token.as_deref(), identity.as_deref(), member.as_deref()) {
            return Ok(p.json(200, &view(&p.db, req, &p.brand.config, &existing).await?));
        }
        // Anyone may type an email, so a code made signed out under one is
        // no proof of owning it: the customer the brand's identity says owns
        // that email (its signed `email`) takes the code, with what its
        // friends did, unless they already have a code of their own.
        let vouched = p.shopper.identity.as_ref().and_then(|c| c.email.as_deref()).is_some_and(|e| canonical_email(e) == canonical);
        if let (true, None, Some(sub)) = (vouched, &existing.identity_sub, identity.as_deref()) {
            if store::referrer_of(&p.db, p.id.as_str(), None, Some(sub)).await?.is_none() && store::vouched_owner_takes(&p.db, &existing.id, sub, member.as_deref(), &name, &email).await? {
                let row = store::referrer_by_code(&p.db, &existing.code).await?.ok_or_else(|| EdgeError::internal("signup", "referrer vanished"))?;
                return Ok(p.json(200, &view(&p.db, req, &p.brand.config, &row).await?));
            }
        }
        return Err(taken());
    }
    // One code per person: a shopper who already has one (this browser or
    // this sign-in) gets it back, whatever email they typed this time.
    if let Some(mine) = store::referrer_of(&p.db, p.id.as_str(), member.as_deref(), identity.as_deref()).await? {
        return Ok(p.json(200, &view(&p.db, req, &p.brand.config, &mine).await?));
    }
    // A fresh code; on the rare collision, another.
    for _ in 0..3 {
        let code = ReferralCode::from_random(&random::<8>()?);
        let id = new_id()?;
        let created = store::create_referrer(
            &p.db,
            NewReferrer {
                id: &id,
                brand: p.id.as_str(),
                code: code.as_str(),
                name: &name,
                email: &email,
                canonical: &canonical,
                member: member.as_deref(),
                identity: identity.as_deref(),
                // Only a usable address: without one, every client shares a key.
                client: p.network.as_ref().map(|_| p.client.as_str()),
                now,
            },
        )
        .await?;
        if created == store::Created::Held {
            // Made meanwhile by another request of this shopper's: that one
            // (erased or moved again since: another try).
            if let Some(mine) = store::referrer_of(&p.db, p.id.as_str(), member.as_deref(), identity.as_deref()).await? {
                return Ok(p.json(200, &view(&p.db, req, &p.brand.config, &mine).await?));
            }
            continue;
        }
        if created == store::Created::Yes {
            let kv = cx.kv()?;
            cache::put_code_copy(&kv, code.as_str(), &CodeCopy { brand: p.id.to_string(), landing_url: p.brand.config.referral_landing() }).await;
            let row = store::referrer_by_code(&p.db, code.as_str()).await?.ok_or_else(|| EdgeError::internal("signup", "referrer vanished"))?;
            return Ok(p.json(201, &view(&p.db, req, &p.brand.config, &row).await?));
        }
        if store::referrer_by_email(&p.db, p.id.as_str(), &canonical).await?.is_some() {
            return Err(taken());
        }
    }
    Err(EdgeError::internal("signup", "could not find a free code"))
}

/// `POST /v1/brands/{brand}/referrers/link-requests`: "email me my link"
/// (`kindred_core::referral::LinkRequest`). 202 for any well-formed
/// address, answered before anything is looked up: the lookup, the rule
/// (`kindred_core::referral::link_email`), the brand's hourly ceiling and
/// the delivery are this response's `wait_until` work ([`send_link`]), so
/// the answer says nothing of whether the address has a link. Nothing is
/// sent for a brand without `referral.webhook_url` or `landing_url` (its
/// widget does not offer it: `ReferralPublic::links_by_email`).
///
/// # Errors
/// 422 on `email` (not an address); 429 past the client's limits.
pub async fn request_link(req: &mut Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let p = Public::load(req, cx, brand, Access::Write).await?;
    let body: LinkRequest = json(req, BODY_MAX).await?;
    let email = kindred_core::email::parse(&body.email)?;
    p.rate_limit(cx, WriteKind::Action).await?;
    let mut resp = crate::http::empty(202);
    crate::cors::apply(&mut resp, p.origin.as_ref());
    set_header(&mut resp, "cache-control", "no-store");
    let referral = &p.brand.config.referral;
    let (Some(url), Some(landing), Ok(key)) = (referral.webhook_url.clone(), referral.landing_url.clone(), super::reviews::secret(&p.brand)) else {
        return Ok(resp);
    };
    let link = LinkEmail { url, landing, key: key.to_vec(), origin: edge_origin(req), ceiling: p.brand.config.rate_limits.per_brand };
    let (db, env, brand_id, canonical) = (p.db, cx.env.clone(), p.id, canonical_email(&email));
    cx.wait_until(async move {
        match send_link(&db, &brand_id, &canonical, &link, now_ms()).await {
            Ok(true) => crate::jobs::enqueue(&env, brand_id.as_str()).await,
            Ok(false) => {}
            Err(e) => console_warn!("a referral link's email for {} was not sent: {}", brand_id.as_str(), e.into_api_error()),
        }
    });
    Ok(resp)
}

/// What the email of a referral link needs from the brand.
struct LinkEmail {
    /// `referral.webhook_url`.
    url: String,
    /// `referral.landing_url`, where the widget's referral panel is.
    landing: String,
    /// The key links are signed with (`reviews::secret`).
    key: Vec<u8>,
    /// The edge's origin (share URLs).
    origin: String,
    /// Link emails an hour for the brand (`rate_limits.per_brand`).
    ceiling: u32,
}

/// Sends the link of the referrer of `canonical`, if it has one held by a
/// browser, by `kindred_core::referral::link_email` (nothing within 10
/// minutes of the last email; the same link while it works, 24 hours from
/// its first email, so asking again never ends the link its owner was
/// sent), within the brand's
/// hourly ceiling (helper-82: one brand's mail is no way to reach
/// strangers in bulk). `Ok(true)` when a delivery was scheduled.
async fn send_link(db: &D1Database, brand: &BrandId, canonical: &str, link: &LinkEmail, now: i64) -> EdgeResult<bool> {
    use kindred_core::referral::{link_email, LinkEmail as Rule};
    let Some(target) = store::link_target(db, brand.as_str(), canonical).await? else {
        return Ok(false);
    };
    let id = match link_email(target.last(), now) {
        Rule::Wait => return Ok(false),
        Rule::Again(id) => id.to_owned(),
        Rule::New => super::reviews::row_id()?,
    };
    let bucket = kindred_core::referral::link_email_bucket(brand.as_str(), target.purchases);
    if crate::store::ratelimit::hit(db, &[(bucket, link.ceiling)], None, now).await.is_err() {
        console_warn!("{}: past this hour's {} referral link emails (purchases {}); this one is not sent", brand.as_str(), link.ceiling, target.purchases);
        return Ok(false);
    }
    let token = rr::token(&link.key, LINK_PURPOSE, brand, &id).ok_or_else(|| EdgeError::internal("link email", "no key to sign with"))?;
    let link_url = rr::with_query(&link.landing, LINK_PARAM, &token);
    let delivery = new_id()?;
    let row = store::LinkRequestRow { target: &target, id: &id, delivery: &delivery, url: &link.url, link_url: &link_url, origin: &link.origin, now };
    store::request_link(db, row).await
}

/// `POST /v1/brands/{brand}/referrers/me/link`: the emailed token
/// (`kindred_core::referral::LinkTransfer`) moves its referral link to
/// this browser's member token (`store::open_link`), once; answers the
/// referrer's view as `GET .../referrers/me` would from now on.
///
/// # Errors
/// 422 `validation_failed` on `token` (malformed, forged, used, expired,
/// erased, or its link taken by the customer who owns the address);
/// 409 `conflict` on `token` when this shopper holds another referral
/// link; 429 past the client's limits.
pub async fn open_link(req: &mut Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let p = Public::load(req, cx, brand, Access::Write).await?;
    let member = p.shopper.require_member("opening a referral link")?.to_owned();
    let body: LinkTransfer = json(req, BODY_MAX).await?;
    let gone = || EdgeError::Api(ApiError::field(ErrorCode::ValidationFailed, "token", "this link no longer works (already used, or expired): ask for a new one"));
    let request = rr::verify(&body.token, super::reviews::secret(&p.brand).map_err(|_| gone())?, LINK_PURPOSE, &p.id, "token")?;
    p.rate_limit(cx, WriteKind::Action).await?;
    let now = now_ms();
    let Some(row) = store::open_link(&p.db, p.id.as_str(), &request, &member, p.shopper.sub(), now).await? else {
        // Which of the two it was (a second read, on the refusal only).
        let mine = store::referrer_of(&p.db, p.id.as_str(), Some(&member), p.shopper.sub()).await?;
        if mine.is_some() && store::link_request_live(&p.db, p.id.as_str(), &request, now).await? {
            return Err(EdgeError::Api(ApiError::field(ErrorCode::Conflict, "token", "this browser has a referral link of its own: open this link in another browser")));
        }
        return Err(gone());
    };
    Ok(p.json(200, &view(&p.db, req, &p.brand.config, &row).await?))
}

/// `GET /v1/brands/{brand}/referrers/me`: the shopper's own code and stats, or `null`.
pub async fn me(req: &Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let p = Public::load(req, cx, brand, Access::Read).await?;
    p.shopper.require_known()?;
    let (member, identity) = (p.shopper.member.as_deref(), p.shopper.sub());
    // Not having joined is a normal state, not an error: `null` (a 404 would
    // print a console error on every product page view).
    match store::referrer_of(&p.db, p.id.as_str(), member, identity).await? {
        Some(r) => Ok(p.json(200, &view(&p.db, req, &p.brand.config, &r).await?)),
        None => Ok(p.json(200, &serde_json::Value::Null)),
    }
}

/// `PATCH /v1/brands/{brand}/referrers/me`: the referrer changes the name
/// friends and the ambassadors' board see, and writes, changes or removes
/// their personal note for friends (`ReferrerPatch`), in one transaction.
/// A name is checked as at joining and shows at once (it was never
/// moderated); new note words start in `note_initial_status` (by the
/// brand's moderation mode and whether the referrer is signed in with the
/// brand's identity); the same name or words again change nothing (a
/// decision on a note stands) and count against no limit.
///
/// # Errors
/// 404 `not_found` before they join; 422 on `name` or `note`; 429 past the
/// write budget.
pub async fn edit(req: &mut Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let p = Public::load(req, cx, brand, Access::Write).await?;
    p.shopper.require_known()?;
    let patch = crate::request::merge_patch(req, BODY_MAX).await?;
    let change = ReferrerPatch::changes(&patch)?;
    let (member, identity) = (p.shopper.member.as_deref(), p.shopper.sub());
    let mut mine = store::referrer_of(&p.db, p.id.as_str(), member, identity)
        .await?
        .ok_or_else(|| EdgeError::api(ErrorCode::NotFound, "join the referral program first: your name and note go with your link"))?;
    // The same words again change nothing.
    let name = change.name.filter(|n| *n != mine.name);
    let note = change.note.filter(|n| *n != mine.note);
    if name.is_none() && note.is_none() {
        return Ok(p.json(200, &view(&p.db, req, &p.brand.config, &mine).await?));
    }
    // Words shown on the brand's pages: counted as content, like a review.
    let admitted = p.rate_limit(cx, WriteKind::Content).await?;
    let status = note.as_ref().map(|_| {
        // Verified: the referral is tied to the identity this request proves
        // (not only found through the browser's token).
        let verified = identity.is_some() && mine.identity_sub.as_deref() == identity;
        // A surge (the brand's hourly ceiling passed): publish nothing unseen.
        if admitted.brand_surge { Status::Pending } else { note_initial_status(p.brand.config.moderation, verified) }
    });
    let written = note.as_ref().zip(status).map(|(n, s)| n.as_deref().map(|t| (t, s)));
    let holder = store::Holder { member, identity };
    let note_at = store::edit(&p.db, &mine.id, holder, name.as_deref(), written, now_ms())
        .await?
        .ok_or_else(|| EdgeError::api(ErrorCode::NotFound, "this referral link is no longer this browser's (erased, or moved to another browser): join again"))?;
    if let Some(name) = name {
        // Where the board rides in the first paint, migration 0050's
        // trigger moved the copy version; this isolate's copies go now.
        if p.brand.config.referral.leaderboard {
            super::widget::forget_isolate(&p.id);
        }
        mine.name = name;
    }
    if let Some((note, status)) = note.zip(status) {
        mine.note_status = note.as_ref().map(|_| status.as_str().to_owned());
        mine.note_at = note_at;
        mine.note = note;
    }
    Ok(p.json(200, &view(&p.db, req, &p.brand.config, &mine).await?))
}

/// `GET /r/{code}`: sends the friend to the brand's landing page with the
/// code (`BrandConfig::referral_landing`: the landing URL, else the first
/// allowed origin) and counts the click. The landing page is read from D1,
/// the truth, on every hit (one query, two rows), so a changed
/// `landing_url` applies to the next click. The KV copy (code -> brand and
/// landing) is read only when D1 fails, so links keep working through a D1
/// outage; it is rewritten once per isolate and settings version, never
/// per hit.
pub async fn redirect(req: &Request, cx: &Ctx, raw: &str) -> EdgeResult<Response> {
    let unknown = || EdgeError::api(ErrorCode::NotFound, "no such referral code");
    let code = ReferralCode::from_link(raw).map_err(|_| unknown())?;
    let kv = cx.kv()?;
    let found = match cx.db() {
        Ok(db) => crate::store::brands::by_referral_code(&db, code.as_str()).await,
        Err(e) => Err(e),
    };
    let landing = match found {
        Ok(Some(brand)) => {
            let fresh = CodeCopy { brand: brand.config.id.clone(), landing_url: brand.config.referral_landing() };
            if copy_is_new(code.as_str(), brand.settings_version) {
                let (kv, code) = (kv.clone(), code.to_string());
                let copy = fresh.clone();
                cx.wait_until(async move { cache::put_code_copy(&kv, &code, &copy).await });
            }
            fresh.landing_url
        }
        Ok(None) => return Err(unknown()),
        Err(e) => match cache::get_code_copy(&kv, code.as_str()).await {
            Some(c) => {
                console_warn!("D1 failed for code {code}, answering from the KV copy: {}", e.into_api_error());
                c.landing_url
            }
            _ => return Err(e),
        },
    };
    let Some(landing) = landing else {
        return Err(EdgeError::api(ErrorCode::NotFound, "this brand has no landing page or allowed origin for referrals"));
    };
    // The code joins the landing page's own query (before any #fragment).
    let mut target = worker::Url::parse(&landing).map_err(|_| EdgeError::api(ErrorCode::NotFound, "this brand's landing page is not a valid URL"))?;
    target.query_pairs_mut().append_pair("kindred_ref", code.as_str());
    let target = target.to_string();
    // The click is queued after answering and counted in batches by the
    // queue consumer: no D1 write per hit, and a hiccup loses a count, not the friend.
    // The visit, keyed (never the address, nor the code: an erased
    // referrer's code stays nowhere): one count an hour each.
    let visitor = kindred_core::limits::client_key(crate::request::connecting_address(req).as_deref());
    let client = kindred_core::limits::client_hash(&cx.client_secret(), &format!("click:{code}:{visitor}"));
    let click = store::Click { code: code.to_string(), at: now_ms(), client: Some(client) };
    cx.wait_until(queue_click(cx.env.clone(), click));
    let mut resp = ResponseBuilder::new().with_status(302).empty();
    set_header(&mut resp, "location", &target);
    set_header(&mut resp, "cache-control", "no-store");
    set_header(&mut resp, "referrer-policy", "no-referrer");
    Ok(resp)
}


/// Whether this isolate has not yet written the KV copy of `code` at the
/// brand's `version` (and notes that it now will).
fn copy_is_new(code: &str, version: i64) -> bool {
    use std::cell::RefCell;
    use std::collections::HashMap;
    thread_local! {
        static WRITTEN: RefCell<HashMap<String, i64>> = RefCell::new(HashMap::new());
    }
    WRITTEN.with(|w| {
        let mut w = w.borrow_mut();
        if w.get(code) == Some(&version) {
            return false;
        }
        if w.len() >= 4096 {
            w.clear();
        }
        w.insert(code.to_owned(), version);
        true
    })
}

/// Sends a click to the `CLICKS` queue. A click the queue refuses is
/// dropped with a warning (a lost count, never a D1 write per hit); only a
/// deployment without the queue binding (an old configuration) writes the
/// click to D1 directly.
async fn queue_click(env: worker::Env, click: store::Click) {
    match env.queue("CLICKS") {
        Ok(q) => {
            if let Err(e) = q.send(&click).await {
                console_warn!("click for {} dropped: the queue refused it ({e})", click.code);
            }
        }
        Err(e) => {
            console_warn!("no CLICKS queue ({e}); writing the click for {} directly", click.code);
            if let Ok(db) = env.d1("DB") {
                if let Err(e) = store::record_clicks(&db, std::slice::from_ref(&click)).await {
                    console_warn!("click for {} not recorded: {}", click.code, e.into_api_error());
                }
            }
        }
    }
}

/// The `CLICKS` queue's consumer: counts a batch of clicks in one D1 batch.
///
/// # Errors
/// When D1 fails: the batch is retried by the queue.
pub async fn count_clicks(db: &D1Database, clicks: &[store::Click]) -> EdgeResult<()> {
    store::record_clicks(db, clicks).await
}

/// `POST /v1/brands/{brand}/referrals/claim`: the friend's widget opens the offer.
pub async fn claim(req: &mut Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let p = Public::load(req, cx, brand, Access::Write).await?;
    let member = p.shopper.require_member("claiming")?.to_owned();
    let body: Claim = json(req, BODY_MAX).await?;
    let code = ReferralCode::parse(&body.code)?;
    let unknown = || EdgeError::Api(ApiError::field(ErrorCode::NotFound, "code", "this referral code does not exist for this brand"));
    let referrer = store::referrer_by_code(&p.db, code.as_str()).await?.ok_or_else(unknown)?;
    if referrer.brand_id != p.id.as_str() {
        return Err(unknown());
    }
    let me = Party { canonical_email: None, member_token: Some(member.clone()), identity_sub: p.shopper.sub().map(str::to_owned) };
    let them = Party { canonical_email: None, member_token: referrer.member_token.clone(), identity_sub: referrer.identity_sub.clone() };
    if is_self_referral(&them, &me) {
        return Err(EdgeError::Api(ApiError::field(ErrorCode::ValidationFailed, "code", "this is your own referral link: share it with friends")));
    }
    let cfg = &p.brand.config.referral;
    let now = now_ms();
    // One welcome offer per friend and brand within the attribution window:
    // a client that rotates member tokens or claims many codes gets its first
    // claim back, never a new coupon (friends behind one address share it).
    let since = now - i64::from(cfg.window_days) * 86_400_000;
    let claimed = match store::existing_claim(&p.db, p.id.as_str(), &referrer.id, &member, &p.client, since).await? {
        Some(c) => c,
        None => {
            p.rate_limit(cx, WriteKind::Action).await?;
            store::claim(&p.db, &new_id()?, p.id.as_str(), &referrer.id, &member, &p.client, p.network.as_deref(), cfg.static_coupon.as_deref(), now, since).await?
        }
    };
    let state = if claimed.coupon_code.is_some() || !store::has_pool(&p.db, p.id.as_str(), "referee").await? { ClaimState::Ok } else { ClaimState::PoolExhausted };
    // What the public may see of the name (a row stored before the address
    // rule may hold one), then its first word.
    let shown = kindred_core::text::public_name(&referrer.name);
    let first_name = shown.split_whitespace().next().unwrap_or_default().to_owned();
    // The referrer's own words above the offer: an excerpt, no photos, no
    // reply, and their first name only (as the offer names them).
    let voice = store::referrer_voice(&p.db, p.id.as_str(), &referrer).await?.map(|mut t| {
        t.author_name = first_name.clone();
        t.body = kindred_core::syndication::excerpt(&t.body, kindred_core::referral::VOICE_EXCERPT);
        t.photos.clear();
        t.reply = None;
        t
    });
    Ok(p.json(
        200,
        &ClaimView {
            referrer_name: first_name,
            offer: cfg.referee_offer.clone(),
            coupon_code: claimed.coupon_code,
            state,
            expires_at: claimed.created_at + i64::from(cfg.window_days) * 86_400_000,
            voice,
            note: referrer.approved_note(),
        },
    ))
}

/// `GET /v1/brands/{brand}/ambassadors`: top referrers, display names only.
pub async fn leaderboard(req: &Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let p = Public::load(req, cx, brand, Access::Read).await?;
    if !p.brand.config.referral.leaderboard {
        return Err(EdgeError::api(ErrorCode::NotFound, "this brand does not show a leaderboard"));
    }
    let entries = kindred_core::referral::board(store::leaderboard(&p.db, p.id.as_str()).await?, &p.brand.config.referral.tiers);
    Ok(p.json(200, &entries))
}

/// The reward for an approved conversion, per the brand's settings.
fn reward_plan<'a>(cfg: &'a BrandConfig, ids: &'a (String, String, String), referrer: &'a str, conversion: &'a str, now: i64) -> RewardPlan<'a> {
    let (reward_id, delivery_id, payload) = ids;
    let r = &cfg.referral;
    let coupon = matches!(r.reward, RewardKind::Coupon | RewardKind::Both);
    let webhook = match (r.reward, r.webhook_url.as_deref()) {
        (RewardKind::Webhook | RewardKind::Both, Some(url)) => Some((delivery_id.as_str(), url, payload.as_str())),
        _ => None,
    };
    RewardPlan { id: reward_id, brand: &cfg.id, referrer, conversion, coupon, webhook, now }
}

fn webhook_payload(brand: &str, reward_id: &str, conversion: &str, order_id: &str, amount: i64, currency: &str, referrer: &ReferrerRow, now: i64) -> String {
    serde_json::json!({
        "event": "reward.issued",
        "brand": brand,
        "reward_id": reward_id,
        "conversion": { "id": conversion, "order_id": order_id, "amount_minor": amount, "currency": currency },
        "referrer": { "code": referrer.code, "name": referrer.name },
        "created_at": now,
    })
    .to_string()
}

/// After an approval: the referrer's count moved, so for a brand that shows
/// its ambassadors' board the approval's own statements moved the copy
/// version if the board can show it (migration 0032's trigger), and this
/// isolate's first-paint copies go in any case (`widget::forget_isolate`;
/// where the version did not move, the next view takes the KV copy); and
/// the referrer may have reached an ambassador tier.
async fn after_approval(db: &D1Database, cfg: &BrandConfig, referrer: &ReferrerRow) {
    if cfg.referral.shows_board() {
        if let Ok(brand) = BrandId::parse(&cfg.id) {
            super::widget::forget_isolate(&brand);
        }
    }
    let result = async {
        if store::judge_ambassadors(db, std::slice::from_ref(referrer)).await? {
            super::widget::changed(db, &BrandId::parse(&cfg.id)?).await?;
        }
        Ok::<(), EdgeError>(())
    }
    .await;
    if let Err(e) = result {
        console_warn!("ambassador update for {} failed: {}", referrer.code, e.into_api_error());
    }
}

/// `POST /v1/admin/brands/{brand}/conversions`: the brand reports a purchase.
pub async fn report(req: &mut Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let id = BrandId::parse(brand)?;
    let db = cx.db()?;
    let found = auth::brand_admin(req, &db, &id).await?;
    let body: PurchaseReport = json(req, BODY_MAX).await?;
    let purchase = body.validate()?;
    if let Some(existing) = store::conversion_by_order(&db, id.as_str(), &purchase.order_id).await? {
        return Ok(json_response(200, &existing.view()));
    }
    let now = now_ms();
    let referee = purchase.referee_email.as_deref().map(canonical_email);
    let cfg = &found.config;
    let conversion_id = new_id()?;

    let Some(code) = &purchase.code else {
        // A purchase without a code: no referral, but remembered, so a later
        // "referred" purchase by the same customer is recognised.
        let c = NewConversion {
            id: &conversion_id, brand: id.as_str(), order_id: &purchase.order_id, referrer: None, referee: referee.as_deref(),
            amount_minor: purchase.amount_minor, currency: &purchase.currency, status: ConversionStatus::Rejected, reason: Some("no_referral"), hold_until: None, now,
        };
        let filed = store::insert_conversion(&db, c, None, None).await?;
        return answer(&db, id.as_str(), &purchase.order_id, if filed == store::Filed::New { 201 } else { 200 }).await;
    };
    let unknown = || EdgeError::Api(ApiError::field(ErrorCode::NotFound, "code", "this referral code does not exist for this brand"));
    let referrer = store::referrer_by_code(&db, code.as_str()).await?.ok_or_else(unknown)?;
    if referrer.brand_id != id.as_str() {
        return Err(unknown());
    }
    // The buyer's own claim, when the pool coupon they used names it.
    let claim = match &purchase.coupon_code {
        Some(coupon) => store::claim_by_coupon(&db, id.as_str(), &referrer.id, coupon).await?,
        None => None,
    };
    let reward_id = new_id()?;
    let ids = (reward_id.clone(), new_id()?, webhook_payload(&cfg.id, &reward_id, &conversion_id, &purchase.order_id, purchase.amount_minor, &purchase.currency, &referrer, now));
    // Decided on the facts as read, written only if they still hold as it
    // is (`store::Filed::Stale`: another purchase of this buyer or on this
    // code was written first), else decided again on the new facts. A try
    // fails only because another report was written, so reports sent at
    // one moment all go through, one per round.
    for _ in 0..CONVERSION_TRIES {
        let facts = store::facts(&db, id.as_str(), referee.as_deref(), &referrer, now).await?;
        let signals = ConversionSignals {
            self_referral: referee.as_deref() == Some(referrer.canonical_email.as_str()),
            already_customer: facts.earlier_purchases > 0,
            already_referred: facts.earlier_referred > 0,
            code_conversions_24h: facts.code_conversions_24h + 1,
            // Their claim's network as counted when they claimed, else the
            // code's busiest network in the last hour.
            claims_from_ip_1h: claim.as_ref().and_then(|c| c.network_claims).unwrap_or(facts.claims_from_one_network_1h),
            claimed_from_referrer_address: claim.as_ref().is_some_and(|c| c.from_referrer),
        };
        // The window runs from this friend's own touch when the report says it
        // (the claim of the coupon they used, their arrival), else from the
        // code's latest (`kindred_core::referral::touch`).
        let touched = kindred_core::referral::touch(claim.as_ref().map(|c| c.created_at), purchase.referred_at, facts.last_touch, now);
        let expired = touched.is_some_and(|t| !kindred_core::referral::within_window(t, now, cfg.referral.window_days));
        let (status, reason, hold_until) = match decide(&signals, &cfg.referral.velocity) {
            Decision::Reject(r) => (ConversionStatus::Rejected, Some(serde_json::to_value(r).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()), None),
            _ if expired => (ConversionStatus::Rejected, Some("attribution_expired".to_owned()), None),
            Decision::Hold(why) => (ConversionStatus::Held, Some(why.to_owned()), Some(now + i64::from(cfg.referral.hold_hours) * 3_600_000)),
            Decision::Approve => (ConversionStatus::Approved, None, None),
        };
        let plan = (status == ConversionStatus::Approved).then(|| reward_plan(cfg, &ids, &referrer.id, &conversion_id, now));
        let c = NewConversion {
            id: &conversion_id, brand: id.as_str(), order_id: &purchase.order_id, referrer: Some(&referrer.id), referee: referee.as_deref(),
            amount_minor: purchase.amount_minor, currency: &purchase.currency, status, reason: reason.as_deref(), hold_until, now,
        };
        let filed = store::insert_conversion(&db, c, Some(&facts), plan).await?;
        if filed == store::Filed::Stale {
            continue;
        }
        if filed == store::Filed::New && status == ConversionStatus::Approved {
            after_approval(&db, cfg, &referrer).await;
            deliver_soon(cx, id.as_str());
        }
        return answer(&db, id.as_str(), &purchase.order_id, if filed == store::Filed::New { 201 } else { 200 }).await;
    }
    Err(EdgeError::RateLimited { retry_after: 1 })
}

async fn answer(db: &D1Database, brand: &str, order: &str, status: u16) -> EdgeResult<Response> {
    let row = store::conversion_by_order(db, brand, order).await?.ok_or_else(|| EdgeError::internal("conversion", "vanished"))?;
    Ok(json_response(status, &row.view()))
}

/// A list's `status` filter, read by `parse`, and its page's `cursor`
/// (`kindred_core::page`, keys `valid`).
///
/// # Errors
/// `bad_request` naming `status` or `cursor` for one the list does not know.
pub(super) fn list_query<S>(req: &Request, parse: impl Fn(&str) -> Result<S, kindred_core::error::ApiError>, valid: fn(&str) -> bool) -> EdgeResult<(Option<S>, Option<page::After>)> {
    let (mut status, mut after) = (None, None);
    for (k, v) in query(req)? {
        match k.as_str() {
            "status" => status = Some(parse(&v)?),
            "cursor" => after = Some(page::parse(&v, valid)?),
            _ => {}
        }
    }
    Ok((status, after))
}

/// `GET /v1/admin/brands/{brand}/conversions?status=held&cursor=…`: a page,
/// newest first.
pub async fn list_conversions(req: &Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let id = BrandId::parse(brand)?;
    let db = cx.db()?;
    auth::brand_admin(req, &db, &id).await?;
    let (status, after) = list_query(req, ConversionStatus::parse, page::is_id)?;
    let mut conversions = store::conversions(&db, id.as_str(), status, after.as_ref(), CONVERSIONS_PAGE + 1).await?;
    let next_cursor = page::next(&mut conversions, CONVERSIONS_PAGE as usize, |c| (c.created_at, c.id.as_str()));
    Ok(no_store(json_response(200, &ConversionList { conversions, next_cursor })))
}

/// Approves (with its reward) or rejects a held conversion.
async fn settle(cx: &Ctx, db: &D1Database, cfg: &BrandConfig, conversion: &str, approve: bool, reason: Option<&str>) -> EdgeResult<bool> {
    let row = store::conversion_by_id(db, &cfg.id, conversion).await?.ok_or_else(|| EdgeError::api(ErrorCode::NotFound, "no such conversion"))?;
    let referrer = match &row.referrer_id {
        Some(r) => store::referrer_by_code(db, row.code.as_deref().unwrap_or_default()).await?.filter(|x| &x.id == r),
        None => None,
    };
    let now = now_ms();
    let reward_id = new_id()?;
    let ids = match &referrer {
        Some(r) => (reward_id.clone(), new_id()?, webhook_payload(&cfg.id, &reward_id, conversion, &row.order_id, row.amount_minor, &row.currency, r, now)),
        None => (reward_id.clone(), String::new(), String::new()),
    };
    let plan = referrer.as_ref().filter(|_| approve).map(|r| reward_plan(cfg, &ids, &r.id, conversion, now));
    let changed = store::decide_held(db, &cfg.id, conversion, approve, reason, plan, now).await?;
    if changed && approve {
        if let Some(r) = &referrer {
            after_approval(db, cfg, r).await;
        }
        deliver_soon(cx, &cfg.id);
    }
    Ok(changed)
}

/// `POST /v1/admin/brands/{brand}/conversions/{id}/approve|reject`
pub async fn decide_conversion(req: &Request, cx: &Ctx, brand: &str, conversion: &str, action: &str) -> EdgeResult<Response> {
    let approve = match action {
        "approve" => true,
        "reject" => false,
        _ => return Err(EdgeError::api(ErrorCode::RouteNotFound, "actions are approve and reject")),
    };
    let id = BrandId::parse(brand)?;
    let db = cx.db()?;
    let found = auth::brand_admin(req, &db, &id).await?;
    // The decision's reason replaces the hold's, either way (helper-103: an
    // approval kept "unusually many conversions" as if still held).
    let reason = Some(if approve { "approved_by_brand" } else { "rejected_by_brand" });
    if !settle(cx, &db, &found.config, conversion, approve, reason).await? {
        return Err(EdgeError::api(ErrorCode::Conflict, "only held conversions can be approved or rejected"));
    }
    let row = store::conversion_by_id(&db, id.as_str(), conversion).await?.ok_or_else(|| EdgeError::api(ErrorCode::NotFound, "no such conversion"))?;
    Ok(json_response(200, &row.view()))
}

/// `POST /v1/admin/brands/{brand}/coupons` and `GET` for the pools' state.
pub async fn add_coupons(req: &mut Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let id = BrandId::parse(brand)?;
    let db = cx.db()?;
    auth::brand_admin(req, &db, &id).await?;
    let body: CouponUpload = json(req, 128 * 1024).await?;
    let codes = body.validate()?;
    let stored = store::add_coupons(&db, id.as_str(), body.kind.as_str(), &codes, now_ms()).await?;
    Ok(json_response(201, &CouponsAdded { added: stored.added, already: stored.already, in_other_pool: stored.in_other_pool, pools: store::pools(&db, id.as_str()).await? }))
}

pub async fn coupons(req: &Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let id = BrandId::parse(brand)?;
    let db = cx.db()?;
    auth::brand_admin(req, &db, &id).await?;
    Ok(json_response(200, &CouponPools { pools: store::pools(&db, id.as_str()).await? }))
}

/// `GET /v1/admin/brands/{brand}/referrers`
pub async fn referrers(req: &Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let id = BrandId::parse(brand)?;
    let db = cx.db()?;
    auth::brand_admin(req, &db, &id).await?;
    let (_, after) = list_query(req, |_| Ok(()), ReferralCode::is_stored)?;
    let mut referrers = store::referrers(&db, id.as_str(), after.as_ref(), REFERRERS_PAGE + 1).await?;
    let next_cursor = page::next(&mut referrers, REFERRERS_PAGE as usize, |r| (r.created_at, r.code.as_str()));
    Ok(no_store(json_response(200, &ReferrerList { referrers, next_cursor })))
}

/// Notes per page of the brand's note queue.
const NOTE_PAGE: u32 = 50;

/// `GET /v1/admin/brands/{brand}/referrers/notes`: referrers' notes with
/// `status` (default `pending`), newest first, a page at a time.
pub async fn notes(req: &Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let id = BrandId::parse(brand)?;
    let db = cx.db()?;
    auth::brand_admin(req, &db, &id).await?;
    let (status, after) = list_query(req, Status::parse, ReferralCode::is_stored)?;
    let mut notes = store::note_queue(&db, id.as_str(), status.unwrap_or(Status::Pending), after.map(|a| (a.at, a.key)), NOTE_PAGE + 1).await?;
    let next_cursor = page::next(&mut notes, NOTE_PAGE as usize, |n| (n.written_at, n.code.as_str()));
    Ok(no_store(json_response(200, &NoteQueue { notes, next_cursor })))
}

/// `POST /v1/admin/brands/{brand}/referrers/{code}/note/approve` (and
/// `/reject` with a `Rejection`): the note as it is now.
///
/// # Errors
/// 404 without such a referrer or note; 409 when `seen` is not when its
/// words were written (the referrer rewrote it); 422 on a bad rejection.
pub async fn decide_note(req: &mut Request, cx: &Ctx, brand: &str, code: &str, approve: bool) -> EdgeResult<Response> {
    let id = BrandId::parse(brand)?;
    let db = cx.db()?;
    auth::brand_admin(req, &db, &id).await?;
    let rejection = if approve { None } else { Some(super::admin::rejection(req).await?) };
    let seen = super::admin::seen(req, "seen", "seen is the note's written_at you read (unix ms)")?;
    let no_note = || EdgeError::api(ErrorCode::NotFound, "this referrer has no note");
    let code = ReferralCode::parse(code).map_err(|_| no_note())?;
    if !store::decide_note(&db, id.as_str(), code.as_str(), rejection.as_ref(), seen).await? {
        store::admin_note(&db, id.as_str(), code.as_str()).await?.ok_or_else(no_note)?;
        return Err(EdgeError::api(ErrorCode::Conflict, "the referrer rewrote this note since you loaded it: read it again"));
    }
    Ok(no_store(json_response(200, &store::admin_note(&db, id.as_str(), code.as_str()).await?.ok_or_else(no_note)?)))
}

/// `GET /v1/admin/brands/{brand}/webhooks?status=failed&cursor=…`: a page
/// of the delivery log, newest first.
pub async fn webhooks(req: &Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    use kindred_core::webhook::{DeliveryLog, DeliveryStatus, DELIVERIES_PAGE};
    let id = BrandId::parse(brand)?;
    let db = cx.db()?;
    auth::brand_admin(req, &db, &id).await?;
    let (status, after) = list_query(req, DeliveryStatus::parse, page::is_id)?;
    let mut deliveries = store::deliveries(&db, id.as_str(), status, after.as_ref(), DELIVERIES_PAGE + 1).await?;
    let next_cursor = page::next(&mut deliveries, DELIVERIES_PAGE as usize, |d| (d.created_at, d.id.as_str()));
    Ok(no_store(json_response(200, &DeliveryLog { deliveries, next_cursor })))
}

/// Queues the brand's due webhooks after the response is sent.
fn deliver_soon(cx: &Ctx, brand: &str) {
    let (env, brand) = (cx.env.clone(), brand.to_owned());
    cx.wait_until(async move { crate::jobs::enqueue(&env, &brand).await });
}

/// Approves held conversions whose deadline passed (the cron job).
pub async fn approve_due_holds(ctx_for: &Ctx) -> EdgeResult<u32> {
    let db = ctx_for.db()?;
    let mut n = 0;
    for hold in store::due_holds(&db, now_ms()).await? {
        let Some(found) = crate::store::brands::find(&db, &BrandId::parse(&hold.brand_id)?).await? else { continue };
        if settle(ctx_for, &db, &found.config, &hold.id, true, Some("auto_approved_after_deadline")).await? {
            n += 1;
        }
    }
    Ok(n)
}
