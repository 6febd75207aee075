//! Shoppers and testimonials: the feed's further pages, submissions (with
//! verified-buyer identity, photos, idempotency, honeypot) and helpful votes.

use super::public::{Access, Public, WriteKind};
use super::{widget, Ctx};
use crate::errors::{EdgeError, EdgeResult};
use crate::request::{idempotency_key, json, new_id, query};
use crate::store::{now_ms, testimonials as store};
use kindred_core::testimonial::{FeedQuery, NewTestimonial, Status, Submitted, BODY_BYTES_MAX};
use kindred_core::consent::ConsentVia;
use kindred_core::{ApiError, ErrorCode};
use worker::{Request, Response};

/// `GET /v1/brands/{brand}/testimonials?product&tag&rating&sort&cursor&limit`
pub async fn feed(req: &Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let p = Public::load(req, cx, brand, Access::Read).await?;
    let pairs = query(req)?;
    let q = FeedQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
    let page = store::feed(&p.db, &p.id, &q).await?;
    Ok(p.json(200, &page))
}

/// The testimonial `id` if the caller wrote it (the member token or the
/// identity it was written with), for `what` its author alone may do.
///
/// # Errors
/// `not_found`; `forbidden` for anyone else, the brand included.
async fn authored(p: &Public, id: &str, what: &str) -> EdgeResult<store::AuthorRow> {
    let row = store::author_row(&p.db, &p.id, id).await?.ok_or_else(|| EdgeError::api(ErrorCode::NotFound, "no such testimonial for this brand"))?;
    let by_member = p.shopper.member.is_some() && row.member_token == p.shopper.member;
    let by_identity = p.shopper.sub().is_some() && row.identity_sub.as_deref() == p.shopper.sub();
    if !by_member && !by_identity {
        return Err(EdgeError::api(ErrorCode::Forbidden, format!("only its author can {what} a testimonial (the member token or identity it was written with)")));
    }
    Ok(row)
}

/// `POST /v1/brands/{brand}/testimonials/{id}/consent` (`kindred_core::consent`):
/// its author grants or withdraws consent to reuse beyond the brand's site.
pub async fn consent(req: &mut Request, cx: &Ctx, brand: &str, id: &str) -> EdgeResult<Response> {
    let mut p = Public::load(req, cx, brand, Access::Write).await?;
    let body: kindred_core::consent::ReuseConsent = json(req, BODY_BYTES_MAX).await?;
    p.identify(body.identity.as_deref())?;
    // Counted before the author check: refused guesses cost their budget too.
    p.rate_limit(cx, WriteKind::Action).await?;
    authored(&p, id, "give or withdraw consent for").await?;
    let given_at = store::set_reuse_consent(&p.db, &p.id, id, body.reuse, ConsentVia::Author, Some(&p.client), now_ms())
        .await?
        .ok_or_else(|| EdgeError::api(ErrorCode::NotFound, "no such testimonial for this brand"))?;
    Ok(p.json(200, &kindred_core::consent::ConsentState { id: id.to_owned(), reuse: given_at.is_some(), given_at }))
}

/// `POST /v1/brands/{brand}/testimonials`
pub async fn submit(req: &mut Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let mut p = Public::load(req, cx, brand, Access::Write).await?;
    // A key names one shopper's retries, never another's: it is scoped to
    // the member token, or the client's address without one (as Stripe
    // scopes keys to the account that sent them). Two shoppers who both
    // send "1" each get their own testimonial.
    let key = idempotency_key(req)?.map(|k| match &p.shopper.member {
        Some(m) => format!("m:{m}:{k}"),
        None => format!("a:{}:{k}", p.client),
    });
    let body: NewTestimonial = json(req, BODY_BYTES_MAX).await?;
    let now = now_ms();
    let fingerprint = body.fingerprint();

    if let Some(k) = &key {
        if let Some(stored) = crate::store::idempotency::lookup(&p.db, p.id.as_str(), k).await? {
            return replay(&p, stored, &fingerprint);
        }
    }
    // A bot filled the hidden field: look accepted, keep nothing.
    if body.is_bot() {
        // The same shape a real answer has, so a bot cannot tell.
        let fake = Submitted { id: new_id()?, status: Status::Pending, verified_buyer: false, incentivised: p.brand.config.review_incentive.is_some(), verified_purchase: false };
        return Ok(p.json(201, &fake));
    }
    let mut valid = body.validate()?;
    p.identify(body.identity.as_deref())?;
    // Consent is only given where it can be withdrawn: by the member token
    // or identity the review is written with (kindred_core::consent).
    if valid.reuse_consent && p.shopper.member.is_none() && p.shopper.identity.is_none() {
        return Err(EdgeError::Api(ApiError::field(
            ErrorCode::ValidationFailed,
            "reuse_consent",
            "consent to reuse needs the shopper's member token (X-Kindred-Member) or identity, so they can withdraw it",
        )));
    }
    p.burst(cx).await?;
    let verified = p.shopper.identity.is_some();
    let photos = store::unattached_photos(&p.db, &p.id, &valid.photos).await?;
    if photos.len() != valid.photos.len() {
        return Err(EdgeError::Api(ApiError::field(
            ErrorCode::ValidationFailed,
            "photos",
            "a photo is unknown, belongs to another brand or is already used; upload it again",
        )));
    }
    let review_request = match body.review_token.as_deref() {
        Some(token) => {
            // A refusal here tells whether the address is the order's: each
            // guess counts against the client's own limits (not the brand's
            // ceiling), or a forwarded link would let anyone try addresses
            // until one is the buyer's (helper-90: 45 guesses in seconds).
            let checked = super::reviews::check_token(&p.db, &p.brand, &p.id, token, &valid.email, p.shopper.sub(), now).await;
            let (request, product) = match checked {
                Ok(found) => found,
                Err(refused) => {
                    p.count(cx, WriteKind::Action).await?;
                    return Err(refused);
                }
            };
            valid.product = Some(kindred_core::ProductId::parse(&product)?);
            Some(request)
        }
        None => None,
    };
    // Counted once nothing above refused it (`Public::count`).
    let admitted = p.count(cx, WriteKind::Content).await?;
    // A verified purchase is as verified as a signed-in buyer for the
    // "auto-approve verified" mode.
    let mut status = p.brand.config.moderation.initial_status(valid.rating, verified || review_request.is_some());
    // A surge (the brand's hourly ceiling passed): publish nothing unseen.
    if admitted.brand_surge && status == Status::Approved {
        status = Status::Pending;
    }
    let incentivised = p.brand.config.review_incentive.is_some();
    let answer = Submitted { id: new_id()?, status, verified_buyer: verified, incentivised, verified_purchase: review_request.is_some() };
    let answer_json = serde_json::to_string(&answer).map_err(|e| EdgeError::internal("encode answer", e))?;
    let written = store::insert(
        &p.db,
        store::Insert {
            id: &answer.id,
            brand: &p.id,
            t: &valid,
            photos: &photos,
            status,
            verified,
            incentivised,
            review_request: review_request.as_deref(),
            identity_sub: p.shopper.sub(),
            member: p.shopper.member.as_deref(),
            client: &p.client,
            now,
            idempotency: key.as_deref().map(|k| (k, answer_json.as_str(), fingerprint.as_str())),
        },
    )
    .await?;
    if !written {
        // A retry that overlapped the first request (same idempotency key):
        // the photo went with the first, whose answer is the retry's.
        if let Some(k) = &key {
            if let Some(stored) = crate::store::idempotency::lookup(&p.db, p.id.as_str(), k).await? {
                return replay(&p, stored, &fingerprint);
            }
        }
        return Err(EdgeError::Api(ApiError::field(ErrorCode::Conflict, "photos", "a photo was just attached to another post; upload it again")));
    }
    if status == Status::Approved {
        widget::forget_isolate(&p.id);
    }
    Ok(p.json(201, &answer))
}

/// The stored answer of an earlier request with the same idempotency key,
/// as that request answered it (201), marked `Idempotent-Replay: true`.
///
/// # Errors
/// 422 `validation_failed` naming `Idempotency-Key` when the key was first
/// sent with another submission (`fingerprint`, see
/// `NewTestimonial::fingerprint`): answering the first one's result would
/// lose this one without a word.
fn replay(p: &Public, stored: crate::store::idempotency::Idempotent, fingerprint: &str) -> EdgeResult<Response> {
    stored.same_request(fingerprint, "review")?;
    let mut resp = crate::http::raw_json(201, stored.response.into_bytes());
    crate::cors::apply(&mut resp, p.origin.as_ref());
    crate::http::set_header(&mut resp, "idempotent-replay", "true");
    Ok(resp)
}

/// `POST /v1/brands/{brand}/testimonials/{id}/helpful`, once per shopper.
pub async fn vote(req: &Request, cx: &Ctx, brand: &str, id: &str) -> EdgeResult<Response> {
    let p = Public::load(req, cx, brand, Access::Write).await?;
    let voter = p.shopper.require_member("voting")?;
    p.rate_limit(cx, WriteKind::Action).await?;
    match store::vote(&p.db, &p.id, id, voter, now_ms()).await? {
        None => Err(EdgeError::api(ErrorCode::AlreadyVoted, "you already found this helpful")),
        // The vote's batch moved the copy version: the next first paint
        // shows the new count (rebuilt on that view, not here).
        Some(count) => {
            widget::forget_isolate(&p.id);
            Ok(p.json(200, &kindred_core::testimonial::HelpfulVote { id: id.to_owned(), helpful_count: count }))
        }
    }
}

/// `PATCH /v1/brands/{brand}/testimonials/{id}`: its author edits it
/// (`kindred_core::edit`).
///
/// # Errors
/// `forbidden` unless the caller's member token or identity is the one it
/// was written with; `not_found`; `conflict` once rejected;
/// `validation_failed` as a submission.
pub async fn edit(req: &mut Request, cx: &Ctx, brand: &str, id: &str) -> EdgeResult<Response> {
    let mut p = Public::load(req, cx, brand, Access::Write).await?;
    let body: kindred_core::edit::TestimonialEdit = json(req, BODY_BYTES_MAX).await?;
    p.identify(body.identity.as_deref())?;
    // Counted before the author check: refused guesses cost their budget too.
    let admitted = p.rate_limit(cx, WriteKind::Content).await?;
    let row = authored(&p, id, "edit").await?;
    let before_status = Status::parse(&row.status).unwrap_or(Status::Pending);
    if before_status == Status::Rejected {
        return Err(EdgeError::api(ErrorCode::Conflict, "this testimonial was rejected; it cannot be edited"));
    }
    let before = row.editable(id);
    let outcome = body.apply(&before)?;
    let mut status = outcome.status_after(before_status, p.brand.config.moderation, row.verified_buyer != 0 || row.verified_purchase != 0);
    // A surge (the brand's hourly ceiling passed): changed words wait, as a
    // new submission's would.
    if admitted.brand_surge && outcome.words_changed && status == Status::Approved {
        status = Status::Pending;
    }
    let now = now_ms();
    if !store::edit(&p.db, &p.id, id, &row, &before, &outcome, status, now).await? {
        return Err(EdgeError::api(ErrorCode::Conflict, "the testimonial changed meanwhile (moderated or edited): reload and edit again"));
    }
    if before_status != status {
        // Published by the edit, or held again: the authors' ambassador
        // badge follows (they may reach their tier now, or fall below it).
        let owners = crate::store::referrals::review_owners(&p.db, p.id.as_str(), id).await?;
        crate::store::referrals::judge_ambassadors(&p.db, &owners).await?;
    }
    if before_status == Status::Approved || status == Status::Approved {
        widget::changed(&p.db, &p.id).await?;
    }
    Ok(p.json(200, &kindred_core::edit::Edited { id: id.to_owned(), status, edited_at: now }))
}
