//! "Your data": a shopper reads and erases what Kindred holds for their
//! member token and/or brand-signed identity (`kindred_core::privacy` has
//! the rules; `store::privacy` the statements).

use super::public::{Access, Public, WriteKind};
use super::Ctx;
use crate::errors::{EdgeError, EdgeResult};
use crate::request::new_id;
use crate::store::privacy::{self as store, Whose};
use crate::store::{cache, now_ms};
use kindred_core::privacy::{ErasurePolicy, ShopperData};
use worker::{Request, Response};

fn whose(p: &Public) -> EdgeResult<Whose<'_>> {
    p.shopper.require_known()?;
    Ok(Whose { brand: p.id.as_str(), member: p.shopper.member.as_deref(), sub: p.shopper.sub() })
}

/// `GET /v1/brands/{brand}/me/data`: everything held, as JSON.
pub async fn get(req: &Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let p = Public::load(req, cx, brand, Access::Read).await?;
    let w = whose(&p)?;
    crate::store::ratelimit::read_burst(cx, &format!("r:{}:{}", p.id, p.client)).await?;
    let now = now_ms();
    let mut data = store::collect(&p.db, &w, p.brand.config.privacy.erasure, now).await?;
    // A photo not open to everyone (a private group's, a post waiting for
    // moderation) by a signed URL, as the thread views give it
    // (`community::photo_grant`); one a moderator hid or deleted keeps its
    // plain URL, which opens for nobody but the brand.
    use kindred_core::community::{photo_grant, PostStatus};
    for t in &mut data.threads {
        let status = [PostStatus::Pending, PostStatus::Visible].into_iter().find(|s| s.as_str() == t.status);
        let Some(to) = status.and_then(|s| photo_grant(s, t.private, true)) else { continue };
        if let Some(photo) = t.photo.as_mut() {
            if let Some(url) = kindred_core::photo::signed_url(&cx.client_secret(), to, &photo.id, now) {
                photo.url = url;
            }
        }
    }
    let mut resp = p.json(200, &data);
    crate::http::set_header(&mut resp, "content-disposition", &format!("inline; filename=\"kindred-{}-your-data.json\"", p.id));
    Ok(resp)
}

/// `DELETE /v1/brands/{brand}/me/data`: erases it all; answers what went.
pub async fn erase(req: &Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let p = Public::load(req, cx, brand, Access::Write).await?;
    let w = whose(&p)?;
    p.rate_limit(cx, WriteKind::Action).await?;
    let now = now_ms();
    let policy = p.brand.config.privacy.erasure;
    let held = store::collect(&p.db, &w, policy, now).await?;
    let receipt = held.receipt(policy, now);
    let notice = match (&p.brand.config.privacy.webhook_url, held.is_empty()) {
        (Some(url), false) => Some((new_id()?, url.clone(), notice_payload(&held, policy.as_str(), now).to_string())),
        _ => None,
    };
    let secret = cx.client_secret();
    // Under `delete` only: under `anonymise` the testimonials stay. Edge-wide:
    // no brand of this edge imports a partner's copy of them again.
    let tombstones: Vec<String> = match policy {
        ErasurePolicy::Delete => held.testimonials.iter().map(|t| kindred_core::import::erasure_tombstone(&secret, &t.id)).collect(),
        ErasurePolicy::Anonymise => Vec::new(),
    };
    let gone = store::erase(&p.db, &w, policy, notice.as_ref().map(|(i, u, pl)| (i.as_str(), u.as_str(), pl.as_str())), &tombstones, now).await?;
    super::widget::forget_isolate(&p.id);

    // After the transaction, outside D1: the photos' objects (queued in
    // the same transaction, so the cron job finishes what a failure here
    // leaves), the codes' copies, and the first-paint copies that showed
    // the shopper (never served again: the copy version moved). In the
    // background: the answer does not wait for R2 or KV.
    let (kv, bucket) = (cx.kv()?, cx.media()?);
    let db = cx.env.d1("DB").map_err(|e| EdgeError::internal("D1 binding", e))?;
    let brand_id = p.id.clone();
    let with_content = !held.testimonials.is_empty();
    let deliver = notice.is_some().then(|| cx.env.clone());
    cx.wait_until(async move {
        if let Err(e) = store::drain_object_deletes(&db, &bucket, &kv, Some(gone.objects)).await {
            worker::console_warn!("erased photos stay queued for the cron job: {}", e.into_api_error());
        }
        let mut keys: Vec<String> = gone.codes.iter().map(|c| cache::code_key(c)).collect();
        if with_content {
            // The plain first pages and the ones ordered for a context.
            let mut pages = vec![cache::widget_key(&brand_id, None)];
            pages.extend(gone.products.iter().filter_map(|p| kindred_core::ProductId::parse(p).ok()).map(|p| cache::widget_key(&brand_id, Some(&p))));
            keys.extend(cache::with_context_keys(&kv, pages).await);
        }
        cache::delete_keys(&kv, &keys).await;
        if let Some(env) = deliver {
            crate::jobs::enqueue(&env, brand_id.as_str()).await;
        }
    });
    Ok(p.json(200, &receipt))
}

/// `shopper.erased`: what went, so the brand erases its own copies (GDPR
/// Art. 19). Names ids and the brand's own customer id, never the member
/// token (a device's secret) or an email. Cleared once delivered.
fn notice_payload(held: &ShopperData, policy: &str, now: i64) -> serde_json::Value {
    let ids = |v: &[kindred_core::privacy::HeldPost]| v.iter().map(|x| x.id.clone()).collect::<Vec<_>>();
    serde_json::json!({
        "event": "shopper.erased",
        "brand": held.brand,
        "customer": held.identity,
        "policy": policy,
        "testimonials": held.testimonials.iter().map(|t| t.id.clone()).collect::<Vec<_>>(),
        "threads": ids(&held.threads),
        "replies": ids(&held.replies),
        "referral_codes": held.referrers.iter().map(|r| r.code.clone()).collect::<Vec<_>>(),
        "orders": held.orders.iter().filter_map(|o| o.get("order_id").cloned()).collect::<Vec<_>>(),
        "erased_at": now,
    })
}
