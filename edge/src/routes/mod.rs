//! The URL space, built in one place. Each feature's handlers live in their
//! own file; this module only matches method and path and turns every error
//! into the JSON envelope.

mod admin;
mod community;
mod frame;
mod health;
mod photos;
mod public;
mod referrals;
mod testimonials;
mod widget;

use crate::errors::{EdgeError, EdgeResult};
use kindred_core::ErrorCode;
use worker::{kv::KvStore, Context, D1Database, Env, Method, Request, Response};

/// Everything a handler may need besides the request.
pub struct Ctx {
    pub env: Env,
    /// The request's context; `None` in the cron job.
    pub ctx: Option<Context>,
}

impl Ctx {
    /// Work that may finish after the response (KV refills, clicks, webhooks).
    pub fn wait_until<F: std::future::Future<Output = ()> + 'static>(&self, f: F) {
        if let Some(c) = &self.ctx {
            c.wait_until(f);
        }
    }

    pub fn db(&self) -> EdgeResult<D1Database> {
        self.env.d1("DB").map_err(|e| EdgeError::internal("D1 binding", e))
    }

    pub fn kv(&self) -> EdgeResult<KvStore> {
        self.env.kv("KV").map_err(|e| EdgeError::internal("KV binding", e))
    }

    /// The R2 bucket for photos (`MEDIA`).
    pub fn media(&self) -> EdgeResult<worker::Bucket> {
        self.env.bucket("MEDIA").map_err(|e| EdgeError::internal("R2 binding", e))
    }
}

pub async fn handle(mut req: Request, env: Env, ctx: Context) -> Response {
    let path = req.path();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let cx = Ctx { env, ctx: Some(ctx) };
    let method = req.method();
    match route(&mut req, &cx, method, &segments).await {
        Ok(resp) => resp,
        Err(e) => {
            let mut resp = e.into_response();
            // Errors carry no brand data, so any page may read them: the
            // widget can then tell "unknown brand" from "network down".
            let origin = crate::cors::request_origin(&req).and_then(|o| kindred_core::Origin::parse(&o).ok());
            crate::cors::apply(&mut resp, origin.as_ref());
            resp
        }
    }
}

async fn route(req: &mut Request, cx: &Ctx, method: Method, segments: &[&str]) -> EdgeResult<Response> {
    use Method::{Delete, Get, Head, Options, Patch, Post};
    match (method, segments) {
        (Get | Head, ["healthz"]) => Ok(health::get()),

        // Public, brand-scoped: the widget calls these from brands' pages.
        (Get | Head, ["v1", "widget", brand]) => widget::get(req, cx, brand).await,
        (Get | Head, ["v1", "brands", brand, "testimonials"]) => testimonials::feed(req, cx, brand).await,
        (Post, ["v1", "brands", brand, "testimonials"]) => testimonials::submit(req, cx, brand).await,
        (Post, ["v1", "brands", brand, "testimonials", id, "helpful"]) => testimonials::vote(req, cx, brand, id).await,
        (Post, ["v1", "brands", brand, "photos"]) => photos::upload(req, cx, brand).await,
        (Get | Head, ["v1", "photos", id]) => photos::get(req, cx, id).await,
        (Post, ["v1", "brands", brand, "referrers"]) => referrals::signup(req, cx, brand).await,
        (Get, ["v1", "brands", brand, "referrers", "me"]) => referrals::me(req, cx, brand).await,
        (Post, ["v1", "brands", brand, "referrals", "claim"]) => referrals::claim(req, cx, brand).await,
        (Get, ["v1", "brands", brand, "ambassadors"]) => referrals::leaderboard(req, cx, brand).await,
        (Get | Head, ["r", code]) => referrals::redirect(cx, code).await,
        (Get | Head, ["frame", brand]) => frame::get(req, cx, brand).await,
        (Get, ["v1", "brands", brand, "groups"]) => community::list(req, cx, brand).await,
        (Get, ["v1", "brands", brand, "community", "unread"]) => community::unread(req, cx, brand).await,
        (Post, ["v1", "brands", brand, "groups", group, "join"]) => community::join(req, cx, brand, group).await,
        (Get, ["v1", "brands", brand, "groups", group, "threads"]) => community::threads(req, cx, brand, group).await,
        (Post, ["v1", "brands", brand, "groups", group, "threads"]) => community::start_thread(req, cx, brand, group).await,
        (Post, ["v1", "brands", brand, "groups", group, "invites"]) => community::member_invite(req, cx, brand, group).await,
        (Get, ["v1", "brands", brand, "threads", thread]) => community::get_thread(req, cx, brand, thread).await,
        (Post, ["v1", "brands", brand, "threads", thread, "replies"]) => community::reply(req, cx, brand, thread).await,
        (Post, ["v1", "brands", brand, "threads", thread, "pin"]) => community::pin(req, cx, brand, thread, true).await,
        (Post, ["v1", "brands", brand, "threads", thread, "unpin"]) => community::pin(req, cx, brand, thread, false).await,
        (Post, ["v1", "brands", brand, kind @ ("threads" | "replies"), id, "reactions"]) => community::react(req, cx, brand, kind, id).await,
        (Post, ["v1", "brands", brand, kind @ ("threads" | "replies"), id, "report"]) => community::report(req, cx, brand, kind, id).await,
        (Options, ["v1", "widget", brand] | ["v1", "brands", brand, ..]) => widget::preflight(req, cx, brand).await,

        // Admin: brand key (or operator key to create brands).
        (Post, ["v1", "admin", "brands"]) => admin::create_brand(req, cx).await,
        (Get, ["v1", "admin", "brands", brand]) => admin::get_brand(req, cx, brand).await,
        (Patch, ["v1", "admin", "brands", brand]) => admin::update_brand(req, cx, brand).await,
        (Get, ["v1", "admin", "brands", brand, "testimonials"]) => admin::list(req, cx, brand).await,
        (Post, ["v1", "admin", "brands", brand, "testimonials", id, action]) => {
            admin::moderate(req, cx, brand, id, action).await
        }
        (Delete, ["v1", "admin", "brands", brand, "testimonials", id]) => admin::delete(req, cx, brand, id).await,
        (Post, ["v1", "admin", "brands", brand, "conversions"]) => referrals::report(req, cx, brand).await,
        (Get, ["v1", "admin", "brands", brand, "conversions"]) => referrals::list_conversions(req, cx, brand).await,
        (Post, ["v1", "admin", "brands", brand, "conversions", id, action]) => {
            referrals::decide_conversion(req, cx, brand, id, action).await
        }
        (Post, ["v1", "admin", "brands", brand, "coupons"]) => referrals::add_coupons(req, cx, brand).await,
        (Get, ["v1", "admin", "brands", brand, "coupons"]) => referrals::coupons(req, cx, brand).await,
        (Get, ["v1", "admin", "brands", brand, "referrers"]) => referrals::referrers(req, cx, brand).await,
        (Get, ["v1", "admin", "brands", brand, "webhooks"]) => referrals::webhooks(req, cx, brand).await,
        (Post, ["v1", "admin", "brands", brand, "groups"]) => community::create_group(req, cx, brand).await,
        (Get, ["v1", "admin", "brands", brand, "groups"]) => community::admin_groups(req, cx, brand).await,
        (Post, ["v1", "admin", "brands", brand, "groups", group, "invites"]) => community::admin_invite(req, cx, brand, group).await,
        (Post, ["v1", "admin", "brands", brand, "groups", group, "leads"]) => community::make_lead(req, cx, brand, group).await,
        (Get, ["v1", "admin", "brands", brand, "groups", group, "pending"]) => community::pending(req, cx, brand, group).await,
        (Delete, ["v1", "admin", "brands", brand, "invites", token]) => community::revoke_invite(req, cx, brand, token).await,
        (Post, ["v1", "admin", "brands", brand, "blocks"]) => community::block(req, cx, brand).await,
        (Get, ["v1", "admin", "brands", brand, "reports"]) => community::reports(req, cx, brand).await,
        (Post, ["v1", "admin", "brands", brand, kind @ ("threads" | "replies"), id, action]) => {
            community::moderate(req, cx, brand, kind, id, action).await
        }

        (_, path) if is_route(path) => {
            Err(EdgeError::api(ErrorCode::MethodNotAllowed, "this route does not accept that method"))
        }
        _ => Err(EdgeError::api(ErrorCode::RouteNotFound, "no such route; the API lives under /v1")),
    }
}

/// Whether some method is routed at this path (for 405 versus 404).
fn is_route(segments: &[&str]) -> bool {
    matches!(
        segments,
        ["healthz"]
            | ["v1", "widget", _]
            | ["v1", "brands", _, "testimonials"]
            | ["v1", "brands", _, "testimonials", _, "helpful"]
            | ["v1", "brands", _, "photos"]
            | ["v1", "photos", _]
            | ["v1", "admin", "brands"]
            | ["v1", "admin", "brands", _]
            | ["v1", "admin", "brands", _, "testimonials"]
            | ["v1", "admin", "brands", _, "testimonials", _]
            | ["v1", "admin", "brands", _, "testimonials", _, _]
            | ["v1", "brands", _, "referrers"]
            | ["v1", "brands", _, "referrers", "me"]
            | ["v1", "brands", _, "referrals", "claim"]
            | ["v1", "brands", _, "ambassadors"]
            | ["r", _]
            | ["frame", _]
            | ["v1", "admin", "brands", _, "conversions" | "coupons" | "referrers" | "webhooks"]
            | ["v1", "admin", "brands", _, "conversions", _, _]
            | ["v1", "brands", _, "groups"]
            | ["v1", "brands", _, "community", "unread"]
            | ["v1", "brands", _, "groups", _, "join" | "threads" | "invites"]
            | ["v1", "brands", _, "threads", _]
            | ["v1", "brands", _, "threads", _, "replies" | "pin" | "unpin" | "reactions" | "report"]
            | ["v1", "brands", _, "replies", _, "reactions" | "report"]
            | ["v1", "admin", "brands", _, "groups" | "blocks" | "reports"]
            | ["v1", "admin", "brands", _, "groups", _, "invites" | "leads" | "pending"]
            | ["v1", "admin", "brands", _, "invites", _]
            | ["v1", "admin", "brands", _, "threads" | "replies", _, _]
    )
}

/// The queue consumer, for both queues (a Worker has one `queue` handler;
/// the batch names its queue):
/// - `kindred-clicks`: counts a batch of referral clicks. A failure fails the
///   whole batch, which the queue then delivers again (counts are added only
///   on success).
/// - `kindred-deliveries`: each message names a brand whose webhooks are
///   due; all are sent at once (`jobs::consume`), and the messages are
///   acknowledged: deliveries keep their own retry schedule in D1.
///
/// # Errors
/// When the clicks cannot be counted (the batch is retried).
pub async fn consume_queue(env: &Env, batch: &worker::MessageBatch<serde_json::Value>) -> worker::Result<()> {
    let bodies: Vec<serde_json::Value> = batch.messages()?.into_iter().map(|m| m.body().clone()).collect();
    if batch.queue().contains("deliveries") {
        let brands = bodies.into_iter().filter_map(|b| serde_json::from_value::<crate::jobs::DeliverBrand>(b).ok()).map(|m| m.brand).collect();
        crate::jobs::consume(env, brands).await;
    } else {
        let clicks: Vec<crate::store::referrals::Click> = bodies.into_iter().filter_map(|b| serde_json::from_value(b).ok()).collect();
        let db = env.d1("DB")?;
        referrals::count_clicks(&db, &clicks).await.map_err(|e| worker::Error::RustError(e.into_api_error().message))?;
    }
    batch.ack_all();
    Ok(())
}

/// The cron job: held conversions past their deadline, due webhooks.
pub async fn run_jobs(env: Env) {
    let cx = Ctx { env, ctx: None };
    match referrals::approve_due_holds(&cx).await {
        Ok(n) if n > 0 => worker::console_log!("auto-approved {n} held conversions"),
        Ok(_) => {}
        Err(e) => worker::console_warn!("auto-approving held conversions failed: {}", e.into_api_error()),
    }
    if let Ok(db) = cx.db() {
        if let Err(e) = crate::store::ratelimit::prune(&db, crate::store::now_ms()).await {
            worker::console_warn!("pruning rate-limit windows failed: {}", e.into_api_error());
        }
        if let Ok(bucket) = cx.media() {
            match crate::store::media::prune_unattached(&bucket, &db, crate::store::now_ms()).await {
                Ok(n) if n > 0 => worker::console_log!("deleted {n} photos never attached"),
                Ok(_) => {}
                Err(e) => worker::console_warn!("pruning unattached photos failed: {}", e.into_api_error()),
            }
            if let Ok(kv) = cx.kv() {
                match crate::store::media::migrate_from_kv(&kv, &bucket, &db, 50).await {
                    Ok(n) if n > 0 => worker::console_log!("moved {n} photos from KV to R2, stripped"),
                    Ok(_) => {}
                    Err(e) => worker::console_warn!("moving photos to R2 failed: {}", e.into_api_error()),
                }
            }
        }
        if let Err(e) = crate::jobs::enqueue_due(&cx.env, &db).await {
            worker::console_warn!("queueing due webhook deliveries failed: {}", e.into_api_error());
        }
    }
}
