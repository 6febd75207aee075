//! kindred-edge: the one Cloudflare Worker behind every Kindred widget.
//!
//! `routes` owns the URL space (one file per feature), `store` owns D1 queries
//! and KV copies, `errors` turns every failure into the JSON error envelope,
//! `cors` decides which brand origins may read a response.

mod auth;
mod cors;
mod errors;
mod http;
mod jobs;
mod markup;
mod request;
mod routes;
mod store;

use worker::{event, Context, Env, MessageBatch, Request, Response, Result, ScheduleContext, ScheduledEvent};

#[event(fetch)]
async fn fetch(req: Request, env: Env, ctx: Context) -> Result<Response> {
    Ok(routes::handle(req, env, ctx).await)
}

#[event(scheduled)]
async fn scheduled(_event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    routes::run_jobs(env).await;
}

/// Both queues: `CLICKS` (referral clicks, counted in batches) and
/// `DELIVERIES` (webhooks, per brand); see `routes::consume_queue`.
#[event(queue)]
async fn queue(batch: MessageBatch<serde_json::Value>, env: Env, _ctx: Context) -> Result<()> {
    routes::consume_queue(&env, &batch).await
}
