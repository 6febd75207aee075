//! Photos: uploaded raw (one per request) before the testimonial that uses
//! them, recognised by their bytes, stored in KV, served immutable.

use super::public::{Access, Public, WriteKind};
use super::Ctx;
use crate::errors::{EdgeError, EdgeResult};
use crate::http::set_header;
use crate::request::{body_bytes, new_id};
use crate::store::{cache, int, now_ms, stmt};
use kindred_core::photo::{sniff, ImageKind, PhotoView, MAX_BYTES};
use kindred_core::testimonial::is_photo_id;
use kindred_core::ErrorCode;
use worker::{Request, Response, ResponseBuilder};

fn max_bytes(cx: &Ctx) -> usize {
    cx.env.var("PHOTO_MAX_BYTES").ok().and_then(|v| v.to_string().parse().ok()).unwrap_or(MAX_BYTES)
}

/// `POST /v1/brands/{brand}/photos` with the image as the body.
pub async fn upload(req: &mut Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let p = Public::load(req, cx, brand, Access::Write).await?;
    let bytes = body_bytes(req, max_bytes(cx)).await?;
    let Some(image) = sniff(&bytes) else {
        return Err(EdgeError::api(ErrorCode::UnsupportedMediaType, "photos must be JPEG, PNG or WebP images"));
    };
    let now = now_ms();
    p.rate_limit(cx, WriteKind::Content).await?;
    let id = new_id()?;
    let kv = cx.kv()?;
    cache::put_photo(&kv, &id, &bytes, image.kind.content_type()).await?;
    stmt(&p.db, "INSERT INTO photos (id, brand_id, content_type, bytes, width, height, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", &[
            id.as_str().into(),
            p.id.as_str().into(),
            image.kind.content_type().into(),
            int(bytes.len() as i64),
            int(i64::from(image.width)),
            int(i64::from(image.height)),
            int(now),
        ])?
        .run()
        .await
        .map_err(|e| EdgeError::store("insert photo", e))?;
    let view = PhotoView { url: format!("/v1/photos/{id}"), id, width: image.width, height: image.height };
    Ok(p.json(201, &view))
}

/// `GET /v1/photos/{id}`
pub async fn get(cx: &Ctx, id: &str) -> EdgeResult<Response> {
    let missing = || EdgeError::api(ErrorCode::NotFound, "no such photo");
    if !is_photo_id(id) {
        return Err(missing());
    }
    let (bytes, ct) = cache::get_photo(&cx.kv()?, id).await?.ok_or_else(missing)?;
    // Only types we recognised at upload are ever served.
    let kind = ImageKind::from_content_type(&ct).ok_or_else(missing)?;
    let mut resp = ResponseBuilder::new().with_status(200).fixed(bytes);
    set_header(&mut resp, "content-type", kind.content_type());
    set_header(&mut resp, "cache-control", "public, max-age=31536000, immutable");
    set_header(&mut resp, "x-content-type-options", "nosniff");
    set_header(&mut resp, "cross-origin-resource-policy", "cross-origin");
    set_header(&mut resp, "content-security-policy", "default-src 'none'");
    Ok(resp)
}
