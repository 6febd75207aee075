//! Photos: uploaded raw (one per request) before the testimonial or thread
//! that uses them, recognised by their bytes, bounded in size and stripped
//! of metadata (`kindred_core::photo::clean`), stored in R2
//! (`store::media`). Shoppers see a photo once what it belongs to is
//! approved; until then the brand's moderators (admin key) do, and a
//! thread's author by a URL given to them.

use super::public::{Access, Public, WriteKind};
use super::Ctx;
use crate::errors::{EdgeError, EdgeResult};
use crate::http::set_header;
use crate::request::{body_bytes, new_id, query};
use crate::store::{media, now_ms};
use kindred_core::photo::{clean, signed_url_left, PhotoView, SignedFor, MAX_BYTES};
use kindred_core::testimonial::is_photo_id;
use kindred_core::{BrandId, ErrorCode};
use worker::{Request, Response, ResponseBuilder};

fn max_bytes(cx: &Ctx) -> usize {
    cx.env.var("PHOTO_MAX_BYTES").ok().and_then(|v| v.to_string().parse().ok()).unwrap_or(MAX_BYTES)
}

/// `POST /v1/brands/{brand}/photos` with the image as the body: answers the
/// photo's id, URL and size as shown (orientation applied).
///
/// # Errors
/// `payload_too_large`, `unsupported_media_type` (not JPEG, PNG or WebP),
/// `validation_failed` (field `photo`: over the size limits), `rate_limited`.
pub async fn upload(req: &mut Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let p = Public::load(req, cx, brand, Access::Write).await?;
    // Counted before the body is read and parsed (a flood costs no work),
    // against the client's own limits only: an upload is not content until
    // a testimonial or thread uses it, so it never moves the brand's surge.
    p.rate_limit(cx, WriteKind::Action).await?;
    let bytes = body_bytes(req, max_bytes(cx)).await?;
    let photo = clean(&bytes)?;
    let now = now_ms();
    let id = new_id()?;
    media::put(&cx.media()?, &p.db, &id, p.id.as_str(), &photo, now).await?;
    let view = PhotoView { url: format!("/v1/photos/{id}"), id, width: photo.width, height: photo.height };
    Ok(p.json(201, &view))
}

/// `GET /v1/photos/{id}`: public once its testimonial is approved or its
/// thread visible (cached briefly, so a later rejection takes effect within
/// minutes). Other photos open from a URL the edge gave out (`?expires=&sig=`,
/// `kindred_core::photo::signed_url`, 1 to 2 hours), kept in the browser's
/// cache only: one given to a private group's members opens its thread's
/// photo while the thread is shown; one given to a thread's author (their
/// post waiting for moderation, their data download) while the thread is
/// shown or waiting, not once a moderator hid or deleted it. Otherwise only
/// the brand's admin key (never cached) opens a photo. Anyone else gets
/// 404, as for a photo that does not exist.
pub async fn get(req: &Request, cx: &Ctx, id: &str) -> EdgeResult<Response> {
    let missing = || EdgeError::api(ErrorCode::NotFound, "no such photo");
    if !is_photo_id(id) {
        return Err(missing());
    }
    let db = cx.db()?;
    let access = media::access(&db, id).await?.ok_or_else(missing)?;
    let cache = if access.public && !access.members_only {
        "public, max-age=300".to_owned()
    } else {
        let q = query(req).map_err(|_| missing())?;
        let value = |k: &str| q.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        match signed_url_left(&cx.client_secret(), id, value("expires"), value("sig"), now_ms()) {
            Some((SignedFor::Author, left)) if access.authors => format!("private, max-age={}", left.min(300)),
            Some((SignedFor::Members, left)) if access.public => format!("private, max-age={}", left.min(300)),
            _ => {
                let brand = BrandId::parse(&access.brand_id)?;
                crate::auth::brand_admin(req, &db, &brand).await.map_err(|_| missing())?;
                "private, no-store".to_owned()
            }
        }
    };
    let bytes = media::bytes(&cx.media()?, &cx.kv()?, &db, id).await?.ok_or_else(missing)?;
    let mut resp = ResponseBuilder::new().with_status(200).fixed(bytes);
    set_header(&mut resp, "content-type", access.kind.content_type());
    set_header(&mut resp, "cache-control", &cache);
    set_header(&mut resp, "x-content-type-options", "nosniff");
    set_header(&mut resp, "cross-origin-resource-policy", "cross-origin");
    set_header(&mut resp, "content-security-policy", "default-src 'none'");
    Ok(resp)
}
