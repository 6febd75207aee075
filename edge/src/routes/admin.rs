//! The admin API: brands moderate and configure with their admin key; the
//! operator creates brands. Every brand route checks that the key's brand is
//! the brand in the path, and every query is scoped to that brand.

use super::{widget, Ctx};
use crate::auth;
use crate::errors::{EdgeError, EdgeResult};
use crate::http::{empty, json_response, set_header};
use crate::request::{json, merge_patch, query, random};
use crate::store::{brands, now_ms, testimonials as store};
use kindred_core::auth::{admin_key, hex, key_hash, proxy_key};
use kindred_core::reply::ReplySubject;
use kindred_core::brand::{overlap_ms, BrandConfig, BrandCreated, BrandSecret, NewBrand, ProxyKeyCreated, RateLimits, SecretRotated, SecretState, SecretsState};
use kindred_core::testimonial::{ModerationMode, Status, PAGE_DEFAULT, PAGE_MAX};
use kindred_core::{ApiError, BrandId, ErrorCode};
use worker::{D1Database, Request, Response};

const ADMIN_BODY_MAX: usize = 16 * 1024;

pub(super) fn no_store(mut resp: Response) -> Response {
    set_header(&mut resp, "cache-control", "no-store");
    resp
}

/// `POST /v1/admin/brands` (operator key)
pub async fn create_brand(req: &mut Request, cx: &Ctx) -> EdgeResult<Response> {
    auth::operator(req, &cx.env)?;
    let body: NewBrand = json(req, ADMIN_BODY_MAX).await?;
    let (id, name, allowed_origins) = body.validate()?;
    let config = BrandConfig {
        id: id.to_string(),
        name,
        accent: kindred_core::widget::DEFAULT_ACCENT.into(),
        incentive_copy: None,
        allowed_origins,
        moderation: ModerationMode::AllPending,
        max_hold_days: Default::default(),
        review_incentive: None,
        rate_limits: RateLimits::default(),
        referral: Default::default(),
        webhook_secret: Some(new_secret(&id, BrandSecret::WebhookSecret)?),
        community_webhook_url: None,
        privacy: kindred_core::privacy::PrivacyConfig::default(),
        review_webhook_url: None,
        review_page_url: None,
    };
    let key = new_secret(&id, BrandSecret::AdminKey)?;
    let identity_secret = new_secret(&id, BrandSecret::IdentitySecret)?;
    // Review and opt-out links' own key: the edge's alone, never answered.
    let link_secret = hex(&random::<32>()?);
    if !brands::create(&cx.db()?, &config, &key_hash(&key), &identity_secret, &link_secret, now_ms()).await? {
        return Err(EdgeError::Api(ApiError::field(ErrorCode::Conflict, "id", format!("brand '{id}' already exists"))));
    }
    let created = BrandCreated { brand: config, admin_key: key, identity_secret };
    Ok(no_store(json_response(201, &created)))
}

/// A fresh value of one of `brand`'s secrets: an admin key
/// (`kindred_core::auth::admin_key`, 32 random bytes), an identity secret
/// (32 random bytes as hex) or a webhook secret (`whsec_` and 24).
///
/// # Errors
/// `internal` when the platform has no randomness.
fn new_secret(brand: &BrandId, which: BrandSecret) -> EdgeResult<String> {
    Ok(match which {
        BrandSecret::AdminKey => admin_key(brand, &random::<32>()?),
        BrandSecret::IdentitySecret => hex(&random::<32>()?),
        BrandSecret::WebhookSecret => format!("whsec_{}", hex(&random::<24>()?)),
    })
}

/// `POST /v1/admin/brands/{brand}/secrets/{secret}?keep_previous_hours=N`:
/// the brand replaces one of its secrets (`kindred_core::brand::SecretRotated`),
/// the old one working on for N hours (0 to 168; none: it stops at once).
///
/// # Errors
/// `unauthorized` / `forbidden` (not this brand's admin key),
/// `bad_request` on `keep_previous_hours`, `brand_not_found`,
/// `unavailable` when D1 fails, `internal` without randomness.
pub async fn rotate_secret(req: &Request, cx: &Ctx, brand: &str, secret: &str) -> EdgeResult<Response> {
    let id = BrandId::parse(brand)?;
    let db = cx.db()?;
    auth::brand_admin_current(req, &db, &id).await?;
    let which = BrandSecret::parse(secret).ok_or_else(|| EdgeError::api(ErrorCode::RouteNotFound, "the secrets are admin_key, identity_secret and webhook_secret"))?;
    let keep = query(req)?.into_iter().find(|(k, _)| k == "keep_previous_hours").map(|(_, v)| v);
    replace_secret(&db, &id, which, overlap_ms(keep.as_deref())?).await
}

/// `GET /v1/admin/brands/{brand}/secrets`: until when each replaced
/// secret still works (`kindred_core::brand::SecretsState`).
///
/// # Errors
/// `unauthorized` / `forbidden`, `brand_not_found`, `unavailable`.
pub async fn get_secrets(req: &Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let id = BrandId::parse(brand)?;
    let found = auth::brand_admin(req, &cx.db()?, &id).await?;
    let now = now_ms();
    let state = SecretsState {
        admin_key: SecretState::of(&found.previous_admin_key_hash, now),
        identity_secret: SecretState::of(&found.previous_identity_secret, now),
        webhook_secret: SecretState::of(&found.previous_webhook_secret, now),
    };
    Ok(no_store(json_response(200, &state)))
}

/// `DELETE /v1/admin/brands/{brand}/secrets/{secret}/previous`: the
/// replaced value of `secret` stops now (`brands::end_previous`); the
/// current admin key only.
///
/// # Errors
/// `unauthorized` / `forbidden` (the replaced key too), `brand_not_found`,
/// `unavailable`.
pub async fn end_secret_overlap(req: &Request, cx: &Ctx, brand: &str, secret: &str) -> EdgeResult<Response> {
    let id = BrandId::parse(brand)?;
    let db = cx.db()?;
    auth::brand_admin_current(req, &db, &id).await?;
    let which = BrandSecret::parse(secret).ok_or_else(|| EdgeError::api(ErrorCode::RouteNotFound, "the secrets are admin_key, identity_secret and webhook_secret"))?;
    brands::end_previous(&db, &id, which).await?;
    Ok(empty(204))
}

/// `POST /v1/admin/brands/{brand}/admin-key` (operator key): a new admin
/// key for a brand that lost its own, or whose key is in the wrong hands
/// (who could otherwise replace it first and keep the brand out). The
/// brand's proxy keys end too (a thief may have made one).
///
/// # Errors
/// `unauthorized` / `forbidden` (not the operator key), `brand_not_found`,
/// `unavailable`, `internal` without randomness.
pub async fn reset_admin_key(req: &Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    auth::operator(req, &cx.env)?;
    let id = BrandId::parse(brand)?;
    let db = cx.db()?;
    // In the wrong hands: the old key stops now (never an overlap).
    let answer = replace_secret(&db, &id, BrandSecret::AdminKey, 0).await?;
    // Whoever held the key could make a proxy key with it (and so speak
    // for any shopper's address): those end with the key.
    brands::delete_proxy_keys(&db, &id).await?;
    Ok(answer)
}

/// Stores a fresh value of `which` in place of the brand's (the admin key
/// as its hash), the old one working on for `keep_ms`, and answers it,
/// once.
async fn replace_secret(db: &D1Database, id: &BrandId, which: BrandSecret, keep_ms: i64) -> EdgeResult<Response> {
    let value = new_secret(id, which)?;
    let stored = if which == BrandSecret::AdminKey { key_hash(&value) } else { value.clone() };
    let now = now_ms();
    if !brands::replace_secret(db, id, which, &stored, keep_ms, now).await? {
        return Err(brands::not_found(id));
    }
    let previous_until = (keep_ms > 0).then_some(now + keep_ms);
    Ok(no_store(json_response(201, &SecretRotated { secret: which, value, previous_until })))
}

/// `POST /v1/admin/brands/{brand}/proxy-key`: a new proxy key for the
/// brand (see `kindred_core::auth::proxy_key`), shown once; the one it
/// replaces is still taken for `kindred_core::brand::PROXY_KEY_OVERLAP_MS`.
///
/// # Errors
/// `unauthorized` / `forbidden` (not this brand's admin key),
/// `brand_not_found`, `unavailable` when D1 fails, `internal` when the
/// platform has no randomness.
pub async fn create_proxy_key(req: &Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let id = BrandId::parse(brand)?;
    let db = cx.db()?;
    auth::brand_admin_current(req, &db, &id).await?;
    let key = proxy_key(&random::<32>()?);
    let now = now_ms();
    let stored = brands::make_proxy_key(&db, &id, &key_hash(&key), now).await?.ok_or_else(|| brands::not_found(&id))?;
    Ok(no_store(json_response(201, &ProxyKeyCreated { proxy_key: key, previous_until: stored.state(now).previous_until })))
}

/// `GET /v1/admin/brands/{brand}/proxy-key`: whether the brand has one
/// (`kindred_core::brand::ProxyKeyState`), never the key.
///
/// # Errors
/// `unauthorized` / `forbidden`, `brand_not_found`, `unavailable`.
pub async fn get_proxy_key(req: &Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let id = BrandId::parse(brand)?;
    let found = auth::brand_admin(req, &cx.db()?, &id).await?;
    Ok(no_store(json_response(200, &found.proxy_keys.state(now_ms()))))
}

/// `DELETE /v1/admin/brands/{brand}/proxy-key`: the brand has no proxy key
/// any more, nor the one it replaced; a request that sends one is refused.
/// Deleting none is fine.
///
/// # Errors
/// `unauthorized` / `forbidden`, `brand_not_found`, `unavailable`.
pub async fn delete_proxy_key(req: &Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let id = BrandId::parse(brand)?;
    let db = cx.db()?;
    auth::brand_admin_current(req, &db, &id).await?;
    brands::delete_proxy_keys(&db, &id).await?;
    Ok(empty(204))
}

/// The settings' entity tag: their `settings_version` (RFC 9110 section 8.8.3).
fn etag(version: i64) -> String {
    format!("\"s{version}\"")
}

fn with_etag(mut resp: Response, version: i64) -> Response {
    set_header(&mut resp, "etag", &etag(version));
    no_store(resp)
}

/// `GET /v1/admin/brands/{brand}`: the settings, with an `ETag`. To a
/// replaced admin key still working (`keep_previous_hours`), without the
/// webhook secret: only the current key reads a secret, so a thief holding
/// the old key never learns the one the brand replaced it with.
pub async fn get_brand(req: &Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let id = BrandId::parse(brand)?;
    let (mut found, current) = auth::admin_key(req, &cx.db()?, &id).await?;
    if !current {
        found.config.webhook_secret = None;
    }
    Ok(with_etag(json_response(200, &found.config), found.settings_version))
}

/// How many times a patch is merged again after losing a race with
/// another change to the same brand's settings (each loss means another
/// patch landed, so this many concurrent patches always all land).
const PATCH_ATTEMPTS: usize = 12;

/// `PATCH /v1/admin/brands/{brand}`: a JSON Merge Patch (RFC 7396) over the
/// settings (see `BrandConfig::merge_patch`). The merge is written only if
/// the settings did not change since they were read; otherwise it is merged
/// again over the newer ones, so concurrent patches of different fields
/// both land. With `If-Match` (an `ETag` from `GET`), a patch over settings
/// that changed since is refused (412) instead. Every first-paint copy
/// follows at once (the copy version moves in the same statement). The
/// current admin key only (`auth::brand_admin_current`).
///
/// # Errors
/// `validation_failed` naming the field; `precondition_failed`; `conflict`
/// when the settings kept changing through every attempt; `forbidden` for
/// a replaced admin key.
pub async fn update_brand(req: &mut Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let id = BrandId::parse(brand)?;
    let db = cx.db()?;
    let mut found = auth::brand_admin_current(req, &db, &id).await?;
    let if_match = crate::request::header(req, "if-match");
    let patch = merge_patch(req, ADMIN_BODY_MAX).await?;
    for _ in 0..PATCH_ATTEMPTS {
        if if_match.as_deref().is_some_and(|tag| tag.trim() != "*" && tag.split(',').all(|t| t.trim() != etag(found.settings_version))) {
            return Err(EdgeError::api(ErrorCode::PreconditionFailed, "the settings changed since this ETag: read them again"));
        }
        let mut config = found.config.merge_patch(&patch, crate::jobs::target_policy(&cx.env))?;
        // A patch that changes nothing (`{}`, values as they are) writes
        // nothing: the ETag a client holds stays good (RFC 9110 8.8.3).
        let unchanged = config == found.config;
        if !unchanged && config.webhook_secret.is_none() {
            config.webhook_secret = Some(format!("whsec_{}", hex(&random::<24>()?)));
        }
        if unchanged || brands::update(&db, &config, found.settings_version).await? {
            // Tiers changed, or sent again (a retry after a failure here
            // sets them right): every badge follows them.
            if config.referral.tiers != found.config.referral.tiers || patch.pointer("/referral/tiers").is_some() {
                crate::store::referrals::reset_ambassadors(&db, id.as_str()).await?;
                super::widget::changed(&db, &id).await?;
            }
            if unchanged {
                return Ok(with_etag(json_response(200, &config), found.settings_version));
            }
            super::widget::forget_isolate(&id);
            return Ok(with_etag(json_response(200, &config), found.settings_version + 1));
        }
        // Lost the race: let the winner's neighbours pass (jittered), then
        // merge again over what they wrote.
        let jitter = u64::from(random::<1>()?[0] % 40) + 5;
        worker::Delay::from(std::time::Duration::from_millis(jitter)).await;
        found = brands::require(&db, &id).await?;
    }
    Err(EdgeError::api(ErrorCode::Conflict, "the settings kept changing while this patch was applied: try again"))
}

/// `GET /v1/admin/brands/{brand}/testimonials?status=pending&cursor=&limit=`
pub async fn list(req: &Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let id = BrandId::parse(brand)?;
    let db = cx.db()?;
    auth::brand_admin(req, &db, &id).await?;
    let mut status = Status::Pending;
    let mut cursor = None;
    let mut limit = PAGE_DEFAULT * 2;
    let mut filter = kindred_core::moderation::QueueFilter::default();
    for (k, v) in query(req)? {
        if filter.read(&k, &v)? {
            continue;
        }
        match k.as_str() {
            "status" => status = Status::parse(&v)?,
            "cursor" if !v.is_empty() => {
                let parsed = v.split_once('.').filter(|(_, i)| !i.is_empty()).and_then(|(t, i)| Some((t.parse::<i64>().ok()?, i.to_owned())));
                cursor = Some(parsed.ok_or_else(|| EdgeError::Api(ApiError::field(ErrorCode::BadRequest, "cursor", "bad cursor")))?);
            }
            "limit" => {
                limit = v.parse().ok().filter(|n| (1..=PAGE_MAX).contains(n)).ok_or_else(|| {
                    EdgeError::Api(ApiError::field(ErrorCode::BadRequest, "limit", format!("limit is 1 to {PAGE_MAX}")))
                })?
            }
            _ => {}
        }
    }
    let (items, next) = store::list_admin(&db, &id, status, &filter, cursor, limit).await?;
    Ok(no_store(json_response(200, &kindred_core::testimonial::Queue { testimonials: items, next_cursor: next })))
}

/// `POST /v1/admin/brands/{brand}/testimonials/{id}/{approve|feature|unfeature}`
pub async fn moderate(req: &Request, cx: &Ctx, brand: &str, id: &str, action: &str) -> EdgeResult<Response> {
    let decision = match action {
        "approve" => store::Decision::Approve,
        "feature" => store::Decision::Feature(true),
        "unfeature" => store::Decision::Feature(false),
        _ => return Err(EdgeError::api(ErrorCode::RouteNotFound, "actions are approve, feature and unfeature (reject has its own route)")),
    };
    let brand_id = BrandId::parse(brand)?;
    let db = cx.db()?;
    auth::brand_admin(req, &db, &brand_id).await?;
    let before = store::get_admin(&db, &brand_id, id).await?.ok_or_else(not_found)?;
    if matches!(decision, store::Decision::Feature(true)) && before.status != Status::Approved {
        return Err(EdgeError::api(ErrorCode::Conflict, "only approved testimonials can be featured"));
    }
    decide(cx, &db, &brand_id, id, decision, seen_edit(req)?).await
}

/// `?seen_edit=<edited_at>`: the author's last edit as the moderator saw it
/// (0 for none), so a decision never lands on words edited since.
///
/// # Errors
/// `bad_request` on `seen_edit` when it is not a whole number from 0.
fn seen_edit(req: &Request) -> EdgeResult<Option<i64>> {
    seen(req, "seen_edit", "seen_edit is the edited_at you saw (unix ms), or 0 if it had none")
}

/// A moderator's `seen`-style guard from the query string: the version
/// (unix ms) they read, under `name`; `None` when not sent.
///
/// # Errors
/// 400 on `name` (with `message`) when it is not a whole number from 0.
pub(super) fn seen(req: &Request, name: &str, message: &str) -> EdgeResult<Option<i64>> {
    match query(req)?.into_iter().find(|(k, _)| k == name) {
        None => Ok(None),
        Some((_, v)) => v.parse::<i64>().ok().filter(|n| *n >= 0).map(Some).ok_or_else(|| EdgeError::Api(ApiError::field(ErrorCode::BadRequest, name, message))),
    }
}

/// `POST /v1/admin/brands/{brand}/testimonials/{id}/reject` with a
/// `Rejection` (a reason from the fixed list; `kindred_core::moderation`).
pub async fn reject(req: &mut Request, cx: &Ctx, brand: &str, id: &str) -> EdgeResult<Response> {
    let brand_id = BrandId::parse(brand)?;
    let db = cx.db()?;
    auth::brand_admin(req, &db, &brand_id).await?;
    let rejection = rejection(req).await?;
    let seen = seen_edit(req)?;
    store::get_admin(&db, &brand_id, id).await?.ok_or_else(not_found)?;
    decide(cx, &db, &brand_id, id, store::Decision::Reject(&rejection), seen).await
}

/// A rejection's body (`kindred_core::moderation::Rejection`), checked.
///
/// # Errors
/// 422 on `reason` when there is no body at all (the reasons listed);
/// as `json` and `Rejection::validate` otherwise.
pub(super) async fn rejection(req: &mut Request) -> EdgeResult<kindred_core::moderation::Rejection> {
    if crate::request::header(req, "content-type").is_none() {
        let reasons: Vec<&str> = kindred_core::moderation::RejectReason::ALL.iter().map(|r| r.as_str()).collect();
        return Err(EdgeError::Api(ApiError::field(
            ErrorCode::ValidationFailed,
            "reason",
            format!("a rejection needs a reason: send {{\"reason\": ...}} as JSON, one of {}", reasons.join(", ")),
        )));
    }
    Ok(json::<kindred_core::moderation::Rejection>(req, ADMIN_BODY_MAX).await?.validate()?)
}

async fn decide(cx: &Ctx, db: &D1Database, brand_id: &BrandId, id: &str, decision: store::Decision<'_>, seen: Option<i64>) -> EdgeResult<Response> {
    let after = apply(cx, db, brand_id, id, decision, seen).await?;
    widget::changed(db, brand_id).await?;
    Ok(no_store(json_response(200, &after)))
}

/// One decision on one testimonial, without telling the widget (the
/// caller does, once): the testimonial as it is now. The ambassador badge
/// follows the brand's tiers as stored: an approval gives it in its own
/// batch; a rejection judges the review's authors again (it may take them
/// below their tier).
///
/// # Errors
/// `not_found`; `conflict` when its author edited it after `seen`, or when
/// rejecting one already rejected (its reason stands: the ledger counts it).
async fn apply(cx: &Ctx, db: &D1Database, brand_id: &BrandId, id: &str, decision: store::Decision<'_>, seen: Option<i64>) -> EdgeResult<kindred_core::testimonial::AdminTestimonial> {
    let rejected = matches!(decision, store::Decision::Reject(_));
    if !store::moderate(db, brand_id, id, decision, seen, now_ms()).await? {
        return Err(match store::get_admin(db, brand_id, id).await? {
            Some(t) if rejected && t.status == Status::Rejected => EdgeError::api(ErrorCode::Conflict, "already rejected: its reason stands"),
            Some(_) => EdgeError::api(ErrorCode::Conflict, "its author edited it since you loaded it: reload and read it again"),
            None => not_found(),
        });
    }
    if rejected {
        // A rejected testimonial's photos are never shown: they go now.
        crate::store::media::drop_testimonial_photos(&cx.media()?, db, brand_id.as_str(), &[id]).await?;
        let owners = crate::store::referrals::review_owners(db, brand_id.as_str(), id).await?;
        crate::store::referrals::judge_ambassadors(db, &owners).await?;
    }
    store::get_admin(db, brand_id, id).await?.ok_or_else(not_found)
}

/// `POST /v1/admin/brands/{brand}/testimonials/bulk`: each item decided as
/// it would be alone (the same checks, the same ledger; a rejection never
/// rewrites an earlier one's reason), one outcome each; the widget is told
/// once. A store failure stops the batch with 503: the items before it are
/// decided (and the widget told), deciding them again changes nothing.
pub async fn bulk(req: &mut Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    use kindred_core::moderation::{BulkAction, BulkDecision, BulkOutcome, BulkResult};
    let brand_id = BrandId::parse(brand)?;
    let db = cx.db()?;
    auth::brand_admin(req, &db, &brand_id).await?;
    let body: BulkDecision = json(req, ADMIN_BODY_MAX).await?;
    let (items, rejection) = body.validate()?;
    let mut results: Vec<BulkOutcome> = Vec::with_capacity(items.len());
    for item in items {
        let decided = match (body.action, &rejection) {
            (BulkAction::Reject, Some(r)) => apply(cx, &db, &brand_id, &item.id, store::Decision::Reject(r), item.seen_edit).await,
            _ => apply(cx, &db, &brand_id, &item.id, store::Decision::Approve, item.seen_edit).await,
        };
        let outcome = match decided {
            Ok(after) => BulkOutcome { id: item.id, status: Some(after.status), error: None },
            Err(EdgeError::Api(e)) => BulkOutcome { id: item.id, status: None, error: Some(e) },
            Err(other) => {
                // What was decided before the failure shows at once all the same.
                if results.iter().any(|o| o.status.is_some()) {
                    let _ = widget::changed(&db, &brand_id).await;
                }
                return Err(other);
            }
        };
        results.push(outcome);
    }
    widget::changed(&db, &brand_id).await?;
    Ok(no_store(json_response(200, &BulkResult { results })))
}

/// `GET /v1/admin/brands/{brand}/moderation/ledger`
pub async fn ledger(req: &Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let brand_id = BrandId::parse(brand)?;
    let db = cx.db()?;
    let found = auth::brand_admin(req, &db, &brand_id).await?;
    let rows = store::ledger(&db, &brand_id).await?;
    let ledger = kindred_core::moderation::ModerationLedger::from_counts(found.config.moderation, found.config.max_hold_days, rows);
    Ok(no_store(json_response(200, &ledger)))
}

/// `DELETE /v1/admin/brands/{brand}/testimonials/{id}`: only a rejected
/// testimonial (rejected for a reason first), so deleting is never a way
/// around fair moderation; it stays counted in the ledger. The current
/// admin key only (`auth::brand_admin_current`): a deletion cannot be
/// undone (its tombstone keeps an import from bringing it back), a
/// rejection can. A review written on the brand's pages leaves its
/// edge-wide tombstone too (`kindred_core::import::erasure_tombstone`): no
/// brand of the edge imports a partner's copy of it, whether its author
/// asked or the brand decided, so an import cannot tell an erasure from a
/// moderation (helper-110: answered apart, they were an oracle of who asked
/// to be erased; helper-109: a third brand got an erased review back, with
/// its author's name). `?erasure=true`, a deletion at its author's request
/// (one who wrote to the brand rather than erasing through the widget), of
/// a copy imported from a Kindred export does the same for the review it
/// copies (its first home; helper-110).
///
/// # Errors
/// `bad_request` naming `erasure` for a value other than `true` or
/// `false`; `conflict` for one not rejected; `not_found`.
pub async fn delete(req: &Request, cx: &Ctx, brand: &str, id: &str) -> EdgeResult<Response> {
    let brand_id = BrandId::parse(brand)?;
    let asked = match crate::request::query(req)?.into_iter().find(|(k, _)| k == "erasure").map(|(_, v)| v).as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(EdgeError::Api(kindred_core::ApiError::field(ErrorCode::BadRequest, "erasure", "erasure is true (deleted at its author's request) or false"))),
    };
    let db = cx.db()?;
    auth::brand_admin_current(req, &db, &brand_id).await?;
    let found = store::get_admin(&db, &brand_id, id).await?.ok_or_else(not_found)?;
    if found.status != Status::Rejected {
        return Err(EdgeError::api(ErrorCode::Conflict, "only a rejected testimonial can be deleted: reject it first, for a reason (a shopper's erasure request is `other` with a note, then deleted with ?erasure=true)"));
    }
    crate::store::media::drop_testimonial_photos(&cx.media()?, &db, brand_id.as_str(), &[id]).await?;
    let secret = cx.client_secret();
    let tombstone = kindred_core::import::tombstone(&secret, brand_id.as_str(), id);
    let mut erased = vec![kindred_core::import::erasure_tombstone(&secret, id)];
    if asked {
        if let Some(home) = store::kindred_first_home(&db, &brand_id, id).await? {
            erased.push(kindred_core::import::erasure_tombstone(&secret, &home));
        }
    }
    store::delete(&db, &brand_id, &[id], &[tombstone], &erased).await?;
    widget::changed(&db, &brand_id).await?;
    Ok(empty(204))
}

fn not_found() -> EdgeError {
    EdgeError::api(ErrorCode::NotFound, "no such testimonial for this brand")
}

/// `POST /v1/admin/brands/{brand}/testimonials/{id}/reply`: sets the
/// brand's public reply (or edits it); the reviewer hears of it through
/// `review_webhook_url` (`review.replied`) when the brand set one.
pub async fn set_reply(req: &mut Request, cx: &Ctx, brand: &str, id: &str) -> EdgeResult<Response> {
    let brand_id = BrandId::parse(brand)?;
    let db = cx.db()?;
    let found = auth::brand_admin(req, &db, &brand_id).await?;
    let body: kindred_core::reply::NewBrandReply = json(req, ADMIN_BODY_MAX).await?;
    let text = body.validate()?;
    let before = store::get_admin(&db, &brand_id, id).await?.ok_or_else(not_found)?;
    ReplySubject::Testimonial.require_shown(before.status == Status::Approved)?;
    let now = now_ms();
    crate::store::replies::set_reply(&db, ReplySubject::Testimonial, &brand_id, id, Some(&text), before.reply.is_some(), now).await?;
    widget::forget_isolate(&brand_id);
    let after = store::get_admin(&db, &brand_id, id).await?.ok_or_else(not_found)?;
    if let Some(url) = &found.config.review_webhook_url {
        let payload = serde_json::json!({
            "event": ReplySubject::Testimonial.event(),
            "testimonial_id": after.id,
            "product": after.product,
            "author_name": after.author_name,
            "email": after.author_email,
            "reply": after.reply,
        });
        crate::jobs::schedule(&db, brand_id.as_str(), ReplySubject::Testimonial.event(), url, &payload.to_string(), now).await?;
        let (env, brand) = (cx.env.clone(), brand_id.to_string());
        cx.wait_until(async move { crate::jobs::enqueue(&env, &brand).await });
    }
    Ok(no_store(json_response(200, &after)))
}

/// `DELETE /v1/admin/brands/{brand}/testimonials/{id}/reply`
pub async fn delete_reply(req: &Request, cx: &Ctx, brand: &str, id: &str) -> EdgeResult<Response> {
    let brand_id = BrandId::parse(brand)?;
    let db = cx.db()?;
    auth::brand_admin(req, &db, &brand_id).await?;
    let before = store::get_admin(&db, &brand_id, id).await?.ok_or_else(not_found)?;
    crate::store::replies::set_reply(&db, ReplySubject::Testimonial, &brand_id, id, None, before.reply.is_some(), now_ms()).await?;
    widget::forget_isolate(&brand_id);
    Ok(empty(204))
}

/// `GET /v1/admin/brands/{brand}/testimonials/{id}/reply`
pub async fn reply_history(req: &Request, cx: &Ctx, brand: &str, id: &str) -> EdgeResult<Response> {
    let brand_id = BrandId::parse(brand)?;
    let db = cx.db()?;
    auth::brand_admin(req, &db, &brand_id).await?;
    let t = store::get_admin(&db, &brand_id, id).await?.ok_or_else(not_found)?;
    Ok(no_store(json_response(200, &crate::store::replies::reply_history(&db, ReplySubject::Testimonial, &brand_id, t.reply, id).await?)))
}

/// `DELETE /v1/admin/brands/{brand}/testimonials/{id}/consent`: the brand
/// withdraws its author's consent to reuse on their behalf
/// (`kindred_core::consent`); it can never give it.
pub async fn withdraw_consent(req: &Request, cx: &Ctx, brand: &str, id: &str) -> EdgeResult<Response> {
    let brand_id = BrandId::parse(brand)?;
    let db = cx.db()?;
    auth::brand_admin(req, &db, &brand_id).await?;
    let via = kindred_core::consent::ConsentVia::Brand;
    store::set_reuse_consent(&db, &brand_id, id, false, via, None, now_ms()).await?.ok_or_else(not_found)?;
    Ok(no_store(json_response(200, &kindred_core::consent::ConsentState { id: id.to_owned(), reuse: false, given_at: None })))
}
