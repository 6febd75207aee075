//! The URL space: requests are matched against `kindred_core::api::ROUTES`
//! (the one route table, which also makes the OpenAPI document, the README's
//! table and the authorization matrix) and dispatched on its operation. Each
//! feature's handlers live in their own file; this module turns every error
//! into the JSON envelope.

mod admin;
mod community;
mod disclosure;
mod embed;
mod analytics;
mod export;
mod imports;
mod frame;
mod health;
mod photos;
mod privacy;
mod public;
mod referrals;
mod reviews;
mod syndication;
mod testimonials;
mod widget;

use crate::errors::{EdgeError, EdgeResult};
use kindred_core::api::{self, Op, Resolved};
use kindred_core::community::PostKind;
use kindred_core::ErrorCode;
use worker::{kv::KvStore, Context, D1Database, Env, Request, Response};

/// Everything a handler may need besides the request.
pub struct Ctx {
    pub env: Env,
    /// The request's context; `None` in the cron job.
    pub ctx: Option<Context>,
    /// The bookmark the client sent (`kindred_core::session`), if well formed.
    bookmark: Option<String>,
    /// This request's D1 session, made on first use.
    session: std::cell::RefCell<Option<wasm_bindgen::JsValue>>,
    /// Whether that session may start on any replica (set once the route is
    /// known: `kindred_core::session::starts_on_any_replica`).
    any_replica: std::cell::Cell<bool>,
}

impl Ctx {
    /// Work that may finish after the response (KV refills, clicks, webhooks).
    pub fn wait_until<F: std::future::Future<Output = ()> + 'static>(&self, f: F) {
        if let Some(c) = &self.ctx {
            c.wait_until(f);
        }
    }

    /// A context for a request, with the client's D1 bookmark.
    fn request(env: Env, ctx: Context, req: &Request) -> Ctx {
        let bookmark = crate::request::header(req, kindred_core::session::BOOKMARK_HEADER).filter(|b| kindred_core::session::is_bookmark(b));
        Ctx { env, ctx: Some(ctx), bookmark, session: Default::default(), any_replica: Default::default() }
    }

    /// The key for `kindred_core::limits::client_hash`: the
    /// `KINDRED_CLIENT_SECRET` secret if set (32 bytes or more), else one derived from the
    /// `KINDRED_OPERATOR_KEY` secret (its keyed hash of a fixed label), so
    /// every deployment that can create brands has one without another
    /// step. With neither, addresses are hashed under an empty key (still
    /// never stored raw, but reversible by guessing): logged.
    pub fn client_secret(&self) -> Vec<u8> {
        // Derived once per isolate: secrets only change with a deploy, which
        // starts new isolates.
        thread_local! {
            static SECRET: std::cell::OnceCell<Vec<u8>> = const { std::cell::OnceCell::new() };
        }
        SECRET.with(|s| s.get_or_init(|| self.read_client_secret()).clone())
    }

    fn read_client_secret(&self) -> Vec<u8> {
        // Shorter than the hash's own length is no key (RFC 2104 section 3).
        if let Ok(s) = self.env.secret("KINDRED_CLIENT_SECRET").map(|s| s.to_string()) {
            if s.len() >= kindred_core::limits::IDENTITY_SECRET_MIN_BYTES {
                return s.into_bytes();
            }
            worker::console_warn!("KINDRED_CLIENT_SECRET is shorter than 32 bytes: ignored");
        }
        match self.env.secret("KINDRED_OPERATOR_KEY") {
            Ok(op) => kindred_core::limits::client_hash(op.to_string().as_bytes(), "kindred client secret v1").into_bytes(),
            Err(_) => {
                worker::console_warn!("no KINDRED_CLIENT_SECRET nor KINDRED_OPERATOR_KEY: client addresses are hashed without a key");
                Vec::new()
            }
        }
    }

    /// A context for the cron job and the queue consumers: no session.
    pub fn background(env: Env) -> Ctx {
        Ctx { env, ctx: None, bookmark: None, session: Default::default(), any_replica: Default::default() }
    }

    /// D1 for this request: every statement of a request runs in one D1
    /// session (Sessions API), started at the client's bookmark if it sent
    /// one (`kindred_core::session`: it then reads its own writes on any
    /// replica), else on any replica for a shopper's read and on the
    /// primary for everything else (`session::starts_on_any_replica`). The
    /// cron job and queue consumers use the database itself (the primary).
    ///
    /// The session is handed out as a `D1Database`: workers-rs calls
    /// `prepare` and `batch` structurally (worker-sys declares them
    /// `structural`), and a session object answers both, so every store
    /// function works on it unchanged. Nothing on a request path calls the
    /// database-only `exec` or `dump` (clippy's disallowed-methods).
    pub fn db(&self) -> EdgeResult<D1Database> {
        use wasm_bindgen::JsCast;
        let db = self.env.d1("DB").map_err(|e| EdgeError::internal("D1 binding", e))?;
        if self.ctx.is_none() {
            return Ok(db);
        }
        let mut slot = self.session.borrow_mut();
        if slot.is_none() {
            let fallback = if self.any_replica.get() { "first-unconstrained" } else { "first-primary" };
            let anchor = self.bookmark.as_deref().unwrap_or(fallback);
            match db.with_session(Some(anchor)) {
                Ok(session) => *slot = Some(session.into()),
                // A runtime without sessions: the database itself.
                Err(_) => return Ok(db),
            }
        }
        Ok(slot.as_ref().map_or(db, |s| D1Database::unchecked_from_js(s.clone())))
    }

    /// The bookmark of this request's D1 session after its statements, for
    /// the answer (`None` if it used no D1).
    fn bookmark_out(&self) -> Option<String> {
        use wasm_bindgen::JsCast;
        let s = self.session.borrow().clone()?;
        worker::D1DatabaseSession::unchecked_from_js(s).get_bookmark().ok().flatten().filter(|b| kindred_core::session::is_bookmark(b))
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
    let cx = Ctx::request(env, ctx, &req);
    // The method as sent: worker's `Method` reads any method it does not
    // know (`QUERY`, `FOO`) as GET, which would serve them as reads.
    let method = req.inner().method();
    let metered = cx.env.var("D1_METER").is_ok_and(|v| v.to_string() == "on");
    crate::store::meter::reset();
    let result = if method.eq_ignore_ascii_case("OPTIONS") {
        preflight(&req, &cx, &segments).await
    } else {
        match api::resolve(api::Method::parse(&method), &segments) {
            Resolved::Route(route, params) => {
                cx.any_replica.set(kindred_core::session::starts_on_any_replica(route));
                dispatch(&mut req, &cx, route.op, &params).await
            }
            Resolved::WrongMethod(allowed) => Err(EdgeError::MethodNotAllowed { allow: api::allow_header(&allowed) }),
            Resolved::NotFound => Err(not_found(api::Method::parse(&method), &segments)),
        }
    };
    let mut resp = match result {
        Ok(resp) => resp,
        Err(e) => {
            let mut resp = e.into_response();
            // Errors carry no brand data, so any page may read them: the
            // widget can then tell "unknown brand" from "network down".
            let origin = crate::cors::request_origin(&req).and_then(|o| kindred_core::Origin::parse(&o).ok());
            crate::cors::apply(&mut resp, origin.as_ref());
            resp
        }
    };
    if let Some(b) = cx.bookmark_out() {
        let _ = resp.headers_mut().set(kindred_core::session::BOOKMARK_HEADER, &b);
    }
    let used = crate::store::meter::take();
    if metered {
        // What D1 did for this request (`store::meter`), as W3C Server
        // Timing metrics: `d1-read;desc=N` rows read, `d1-write;desc=N`
        // rows written, `d1-statements;desc=N`. Local runs only (the
        // `D1_METER` var); the bench and the tests read it.
        let value = format!("d1-read;desc={}, d1-write;desc={}, d1-statements;desc={}", used.rows_read, used.rows_written, used.statements);
        let _ = resp.headers_mut().set("Server-Timing", &value);
    }
    resp
}

/// 404 `route_not_found` for a path no route has: naming what a segment
/// may be when only it missed a route of the method (`api::near_miss`: an
/// import's source typed as its label, `Judge.me`; a misspelt action),
/// else where the API is.
fn not_found(method: Option<api::Method>, segments: &[&str]) -> EdgeError {
    match api::near_miss(method, segments) {
        Some((name, allowed)) => EdgeError::api(ErrorCode::RouteNotFound, format!("no such {name}: it is one of {}", allowed.join(", "))),
        None => EdgeError::api(ErrorCode::RouteNotFound, "no such route; the API lives under /v1"),
    }
}

/// A CORS preflight: answered for the brand's allowed origins on paths with
/// a cross-origin route (`kindred_core::api::Route::cors`), allowing the
/// methods routed there.
async fn preflight(req: &Request, cx: &Ctx, segments: &[&str]) -> EdgeResult<Response> {
    let methods = api::methods_at(segments);
    if methods.is_empty() {
        return Err(not_found(None, segments));
    }
    let Some(brand) = api::cors_brand(segments) else {
        return Err(EdgeError::MethodNotAllowed { allow: api::allow_header(&methods) });
    };
    widget::preflight(req, cx, brand, &api::allow_header(&methods)).await
}

/// Calls the handler of an operation with the route's path parameters (in
/// template order; see `kindred_core::api::ROUTES`). Exhaustive: a route
/// without a handler does not compile.
async fn dispatch(req: &mut Request, cx: &Ctx, op: Op, p: &[&str]) -> EdgeResult<Response> {
    let at = |i: usize| p.get(i).copied().unwrap_or_default();
    let (brand, a, b) = (at(0), at(1), at(2));
    match op {
        Op::Health => Ok(health::get()),
        Op::OpenApi => health::openapi(&cx.env).await,
        // `/assets/{build}/{file}` and `/assets/{build}/i18n/{file}`.
        Op::GetArchivedFile => crate::store::archive::serve(&cx.env, brand, a).await,
        Op::GetArchivedCatalogue => crate::store::archive::serve(&cx.env, brand, &format!("i18n/{a}")).await,
        Op::GetWidget => widget::get(req, cx, brand).await,
        Op::GetEmbed => embed::get(req, cx, brand).await,
        Op::Frame => frame::get(req, cx, brand).await,
        Op::GetDisclosure => disclosure::json(req, cx, brand).await,
        Op::DisclosurePage => disclosure::page(req, cx, brand).await,
        Op::ListTestimonials => testimonials::feed(req, cx, brand).await,
        Op::SubmitTestimonial => testimonials::submit(req, cx, brand).await,
        Op::VoteHelpful => testimonials::vote(req, cx, brand, a).await,
        Op::EditTestimonial => testimonials::edit(req, cx, brand, a).await,
        Op::SetReuseConsent => testimonials::consent(req, cx, brand, a).await,
        Op::GetFeed => syndication::feed(req, cx, brand, a).await,
        Op::SharePage => syndication::share_page(req, cx, brand, a).await,
        Op::ShareCard => syndication::share_card(req, cx, brand, a).await,
        Op::WallPage => syndication::wall(req, cx, brand).await,
        Op::UploadPhoto => photos::upload(req, cx, brand).await,
        // `/v1/photos/{id}`: the one parameter is the photo's id.
        Op::GetPhoto => photos::get(req, cx, brand).await,
        Op::JoinReferrals => referrals::signup(req, cx, brand).await,
        Op::MyReferrals => referrals::me(req, cx, brand).await,
        Op::EditReferrer => referrals::edit(req, cx, brand).await,
        Op::RequestReferralLink => referrals::request_link(req, cx, brand).await,
        Op::OpenReferralLink => referrals::open_link(req, cx, brand).await,
        Op::MyData => privacy::get(req, cx, brand).await,
        Op::EraseMyData => privacy::erase(req, cx, brand).await,
        Op::ClaimReferral => referrals::claim(req, cx, brand).await,
        Op::ListAmbassadors => referrals::leaderboard(req, cx, brand).await,
        // `/r/{code}`: the one parameter is the code.
        Op::FollowReferral => referrals::redirect(req, cx, brand).await,
        Op::ListGroups => community::list(req, cx, brand).await,
        Op::CountUnread => community::unread(req, cx, brand).await,
        Op::JoinGroup => community::join(req, cx, brand, a).await,
        Op::LeaveGroup => community::leave(req, cx, brand, a).await,
        Op::ListThreads => community::threads(req, cx, brand, a).await,
        Op::StartThread => community::start_thread(req, cx, brand, a).await,
        Op::InviteToGroup => community::member_invite(req, cx, brand, a).await,
        Op::GetThread => community::get_thread(req, cx, brand, a).await,
        Op::ReplyToThread => community::reply(req, cx, brand, a).await,
        Op::PinThread => community::pin(req, cx, brand, a, true).await,
        Op::UnpinThread => community::pin(req, cx, brand, a, false).await,
        Op::ReactToThread => community::react(req, cx, brand, PostKind::Thread, a).await,
        Op::ReactToReply => community::react(req, cx, brand, PostKind::Reply, a).await,
        Op::ReportThread => community::report(req, cx, brand, PostKind::Thread, a).await,
        Op::ReportReply => community::report(req, cx, brand, PostKind::Reply, a).await,
        Op::CreateBrand => admin::create_brand(req, cx).await,
        Op::CreateProxyKey => admin::create_proxy_key(req, cx, brand).await,
        Op::RotateSecret => admin::rotate_secret(req, cx, brand, a).await,
        Op::GetSecrets => admin::get_secrets(req, cx, brand).await,
        Op::EndSecretOverlap => admin::end_secret_overlap(req, cx, brand, a).await,
        Op::ResetAdminKey => admin::reset_admin_key(req, cx, brand).await,
        Op::GetProxyKey => admin::get_proxy_key(req, cx, brand).await,
        Op::DeleteProxyKey => admin::delete_proxy_key(req, cx, brand).await,
        Op::GetSettings => admin::get_brand(req, cx, brand).await,
        Op::UpdateSettings => admin::update_brand(req, cx, brand).await,
        Op::ListQueue => admin::list(req, cx, brand).await,
        Op::ModerateTestimonial => admin::moderate(req, cx, brand, a, b).await,
        Op::RejectTestimonial => admin::reject(req, cx, brand, a).await,
        Op::BulkModerate => admin::bulk(req, cx, brand).await,
        Op::ImportTestimonials => imports::import(req, cx, brand).await,
        Op::CountEvents => analytics::count(req, cx, brand).await,
        Op::GetAnalytics => analytics::report(req, cx, brand).await,
        Op::ImportStatus => imports::status(req, cx, brand).await,
        Op::ImportPhotos => imports::photos(req, cx, brand).await,
        Op::UndoImport => imports::undo(req, cx, brand, a).await,
        Op::DeleteTestimonial => admin::delete(req, cx, brand, a).await,
        Op::GetLedger => admin::ledger(req, cx, brand).await,
        Op::ExportData => export::page(req, cx, brand, a).await,
        Op::ReportOrder => reviews::order(req, cx, brand).await,
        Op::SetReply => admin::set_reply(req, cx, brand, a).await,
        Op::DeleteReply => admin::delete_reply(req, cx, brand, a).await,
        Op::GetReply => admin::reply_history(req, cx, brand, a).await,
        Op::WithdrawConsent => admin::withdraw_consent(req, cx, brand, a).await,
        Op::ListGroupThreads => community::admin_threads(req, cx, brand, a).await,
        Op::SetThreadReply => community::set_brand_reply(req, cx, brand, a).await,
        Op::DeleteThreadReply => community::delete_brand_reply(req, cx, brand, a).await,
        Op::GetThreadReply => community::brand_reply_history(req, cx, brand, a).await,
        Op::OptOutPage => reviews::opt_out(req, cx, brand, false).await,
        Op::OptOut => reviews::opt_out(req, cx, brand, true).await,
        Op::ReportConversion => referrals::report(req, cx, brand).await,
        Op::ListConversions => referrals::list_conversions(req, cx, brand).await,
        Op::DecideConversion => referrals::decide_conversion(req, cx, brand, a, b).await,
        Op::AddCoupons => referrals::add_coupons(req, cx, brand).await,
        Op::ListCoupons => referrals::coupons(req, cx, brand).await,
        Op::ListReferrers => referrals::referrers(req, cx, brand).await,
        Op::ListReferrerNotes => referrals::notes(req, cx, brand).await,
        Op::ApproveReferrerNote => referrals::decide_note(req, cx, brand, a, true).await,
        Op::RejectReferrerNote => referrals::decide_note(req, cx, brand, a, false).await,
        Op::ListDeliveries => referrals::webhooks(req, cx, brand).await,
        Op::CreateGroup => community::create_group(req, cx, brand).await,
        Op::ListAllGroups => community::admin_groups(req, cx, brand).await,
        Op::UpdateGroup => community::update_group(req, cx, brand, a).await,
        Op::CreateInvite => community::admin_invite(req, cx, brand, a).await,
        Op::MakeLead => community::make_lead(req, cx, brand, a).await,
        Op::RemoveMember => community::remove_member(req, cx, brand, a).await,
        Op::ListRemovals => community::removals(req, cx, brand, a).await,
        Op::ReadmitMember => community::readmit(req, cx, brand, a).await,
        Op::ListPendingPosts => community::queue(req, cx, brand, a, kindred_core::community::PostQueue::Pending).await,
        Op::ListHiddenPosts => community::queue(req, cx, brand, a, kindred_core::community::PostQueue::Hidden).await,
        Op::RevokeInvite => community::revoke_invite(req, cx, brand, a).await,
        Op::BlockMember => community::block(req, cx, brand).await,
        Op::ListBlocks => community::blocks(req, cx, brand).await,
        Op::UnblockMember => community::unblock(req, cx, brand).await,
        Op::ListReports => community::reports(req, cx, brand).await,
        Op::ModerateThread => community::moderate(req, cx, brand, PostKind::Thread, a, b).await,
        Op::ModerateReply => community::moderate(req, cx, brand, PostKind::Reply, a, b).await,
    }
}

/// The queue consumer, for both queues (a Worker has one `queue` handler;
/// the batch names its queue):
/// - `kindred-clicks`: counts a batch of referral clicks. A failure fails the
///   whole batch, which the queue then delivers again (counts are added only
///   on success).
/// - `kindred-events`: what widgets saw (`analytics::add_counts`), one D1
///   statement a batch; a failure fails the batch, which is delivered again.
/// - `kindred-imports`: each message names a brand whose imported reviews'
///   photos wait to be fetched (`imports::fetch_photos`, a few at a time;
///   failures are recorded per photo, never retried by the queue).
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
    } else if batch.queue().contains("events") {
        let messages = bodies.into_iter().filter_map(|b| serde_json::from_value::<analytics::Counted>(b).ok()).collect();
        let db = env.d1("DB")?;
        analytics::add_counts(&db, messages).await.map_err(|e| worker::Error::RustError(e.into_api_error().message))?;
    } else if batch.queue().contains("imports") {
        let mut brands: Vec<String> = bodies.into_iter().filter_map(|b| serde_json::from_value::<imports::FetchPhotos>(b).ok()).map(|m| m.brand).collect();
        brands.sort();
        brands.dedup();
        for b in brands {
            imports::fetch_photos(env, &b).await;
        }
    } else {
        let clicks: Vec<crate::store::referrals::Click> = bodies.into_iter().filter_map(|b| serde_json::from_value(b).ok()).collect();
        let db = env.d1("DB")?;
        referrals::count_clicks(&db, &clicks).await.map_err(|e| worker::Error::RustError(e.into_api_error().message))?;
    }
    batch.ack_all();
    Ok(())
}

/// The cron job (every minute), each step logged and independent of the
/// others: held conversions past their deadline approved; rate-limit
/// windows, unattached photos and daily activity pruned; testimonials past
/// their maximum hold published; imports and due webhooks queued; counters
/// checked (`store::counters`); erased objects deleted; review summaries
/// rebuilt within their time budget; and last, with no deadline, the
/// widget's files archived (`store::archive`).
/// The ambassador badges for `reviews`, just published by the cron job for
/// `brand`: each as a moderator's approval gives it
/// (`store::referrals::mark_ambassador_of_review`), in one batch.
async fn badges_for_published(db: &D1Database, brand: &kindred_core::BrandId, reviews: &[&str]) -> EdgeResult<()> {
    if reviews.is_empty() {
        return Ok(());
    }
    let statements = reviews.iter().map(|t| crate::store::referrals::mark_ambassador_of_review(db, brand.as_str(), t)).collect::<EdgeResult<Vec<_>>>()?;
    crate::store::batch(db, statements).await.map_err(|e| EdgeError::store("ambassador badges", e))?;
    Ok(())
}

pub async fn run_jobs(env: Env) {
    let started = crate::store::now_ms();
    let cx = Ctx::background(env);
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
        match crate::store::testimonials::publish_overdue(&db, crate::store::now_ms()).await {
            Ok(published) if !published.is_empty() => {
                worker::console_log!("published {} testimonials whose maximum hold ended", published.len());
                let mut seen: Vec<&String> = Vec::new();
                for (b, _) in &published {
                    if seen.contains(&b) {
                        continue;
                    }
                    seen.push(b);
                    if let Ok(id) = kindred_core::BrandId::parse(b) {
                        let reviews: Vec<&str> = published.iter().filter(|(of, _)| of == b).map(|(_, t)| t.as_str()).collect();
                        if let Err(e) = badges_for_published(&db, &id, &reviews).await {
                            worker::console_warn!("brand {b}: ambassador badges not given after publishing: {}", e.into_api_error());
                        }
                        if let Err(e) = widget::changed(&db, &id).await {
                            worker::console_warn!("brand {b}: widget copies not refreshed after publishing: {}", e.into_api_error());
                        }
                    }
                }
            }
            Ok(_) => {}
            Err(e) => worker::console_warn!("publishing testimonials past their maximum hold failed: {}", e.into_api_error()),
        }
        match crate::store::addresses::reread_stored(&db).await {
            Ok(r) if r.rewritten + r.left > 0 => worker::console_log!("stored addresses read again by today's rules: {} of {} rewritten, {} referrers left to merge", r.rewritten, r.read, r.left),
            Ok(_) => {}
            Err(e) => worker::console_warn!("reading stored addresses again failed: {}", e.into_api_error()),
        }
        match crate::store::tags::reread_stored(&db).await {
            Ok((read, rewritten)) if rewritten > 0 => worker::console_log!("stored tags read again by today's rules: {rewritten} of {read} rewritten"),
            Ok(_) => {}
            Err(e) => worker::console_warn!("reading stored tags again failed: {}", e.into_api_error()),
        }
        if let Err(e) = analytics::prune_active(&db).await {
            worker::console_warn!("pruning daily activity failed: {}", e.into_api_error());
        }
        match imports::enqueue_waiting(&cx.env, &db).await {
            Ok(n) if n > 0 => worker::console_log!("queued import photos again for {n} brands"),
            Ok(_) => {}
            Err(e) => worker::console_warn!("restarting import photos failed: {}", e.into_api_error()),
        }
        match crate::store::counters::repair_due(&db, crate::store::now_ms()).await {
            Ok(drifted) => {
                for (brand, drift) in drifted {
                    worker::console_warn!("counter drift repaired for brand {brand}: {drift:?}");
                }
            }
            Err(e) => worker::console_warn!("checking counters failed: {}", e.into_api_error()),
        }
        if let Err(e) = crate::jobs::enqueue_due(&cx.env, &db).await {
            worker::console_warn!("queueing due webhook deliveries failed: {}", e.into_api_error());
        }
        // Objects an erasure queued that R2 has not confirmed deleted.
        if let (Ok(bucket), Ok(kv)) = (cx.media(), cx.kv()) {
            if let Err(e) = crate::store::privacy::drain_object_deletes(&db, &bucket, &kv, None).await {
                worker::console_warn!("deleting queued objects failed: {}", e.into_api_error());
            }
        }
        // Last: the heaviest job, within its own time budget.
        match crate::store::aspects::refresh_due(&db, started).await {
            Ok(brands) => {
                for b in brands {
                    if let Ok(id) = kindred_core::BrandId::parse(&b) {
                        widget::forget_isolate(&id);
                    }
                }
            }
            Err(e) => worker::console_warn!("rebuilding review summaries failed: {}", e.into_api_error()),
        }
    }
    // The deployed build's widget files, kept for pages loaded before the
    // next deploy (`store::archive`): once a build (a few seconds), after
    // the jobs that have a deadline.
    match crate::store::archive::archive_current(&cx.env, crate::store::now_ms()).await {
        Ok(a) => {
            if a.files > 0 || a.deleted_builds > 0 {
                worker::console_log!("widget build {}: archived {} files, deleted {} builds past their time", a.build, a.files, a.deleted_builds);
            }
            if !a.missing.is_empty() {
                worker::console_warn!("widget build {}: the static assets lack {:?} of its manifest: not archived", a.build, a.missing);
            }
        }
        Err(e) => worker::console_warn!("archiving the widget's files failed: {}", e.into_api_error()),
    }
}
