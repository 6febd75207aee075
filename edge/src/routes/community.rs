//! Micro-communities: interest groups (public or private), threads, replies,
//! reactions, reports, invites, unread counts; brand moderation and blocks.
//! Content of a private group reaches members only, on every route.

use super::public::{Access, Public, WriteKind};
use super::Ctx;
use crate::auth;
use crate::errors::{EdgeError, EdgeResult};
use crate::http::json_response;
use crate::request::{json, new_id, query};
use crate::store::community::{self as store, GroupRow, NewPost, ReplyRow, ThreadRow};
use crate::store::{now_ms, referrals};
use kindred_core::community::{
    parse_report_cursor, parse_restriction_cursor, report_cursor, REPORTS_PAGE, BlockList, Readmitted, RemovalList, Removed, Restriction, Unblocked, RESTRICTIONS_MAX,
    author_ref, can_join, can_read, invite_problem, Blocked, GroupList, GroupModeration, GroupView, Invite, Join, LeadMade, MemberRef, MemberTarget, NewGroup,
    parse_queue_cursor, HiddenPosts, PostQueue, QUEUE_PAGE,
    NewInvite, NewReply, NewThread, PendingPosts, Pinned, PostModerated, React, Reactions, ReplyView, Report, ReportList, Reported,
    PostKind, PostStatus, Role, ThreadList, ThreadPage, ThreadView, Unread, Visibility,
};
use kindred_core::photo::PhotoView;
use kindred_core::reply::{NewBrandReply, ReplySubject};
use kindred_core::{ApiError, BrandId, ErrorCode};
use worker::{Request, Response};

const BODY_MAX: usize = 16 * 1024;
const PAGE: u32 = 20;
/// Replies per page of a thread (newest page first; `earlier_cursor` pages back).
const REPLIES_PAGE: u32 = 50;

/// Who is calling, as the community knows them: their member key
/// (`id:<customer>` when the brand vouched for them, else `m:<member token>`)
/// and every key they may be known by, the one that says who they are
/// first (`Shopper::keys`). The shopper itself is `p.shopper`.
struct Caller {
    key: String,
    keys: Vec<String>,
}

/// The community's keys for the shopper `Public` resolved.
fn caller(p: &Public) -> Option<Caller> {
    let keys = p.shopper.keys();
    keys.first().cloned().map(|key| Caller { key, keys })
}

fn need_caller(c: Option<Caller>) -> EdgeResult<Caller> {
    c.ok_or_else(|| EdgeError::api(ErrorCode::BadRequest, "send the shopper's member token (X-Kindred-Member) or an identity token"))
}

fn no_group() -> EdgeError {
    EdgeError::api(ErrorCode::NotFound, "no such group")
}

fn private() -> EdgeError {
    EdgeError::api(ErrorCode::Forbidden, "this group is private: join it with an invite to read it")
}

async fn load_group(p: &Public, id: &str) -> EdgeResult<GroupRow> {
    store::group(&p.db, p.id.as_str(), id).await?.ok_or_else(no_group)
}

/// The caller's membership of a group, if any (none once the brand took
/// them out of it).
async fn member_of(p: &Public, g: &GroupRow, c: Option<&Caller>) -> EdgeResult<Option<store::MemberRow>> {
    let Some(c) = c else { return Ok(None) };
    store::membership(&p.db, &g.id, &c.keys).await
}

/// Reads of a group's content: public to all, private to members.
async fn readable(p: &Public, g: &GroupRow, c: Option<&Caller>) -> EdgeResult<Option<store::MemberRow>> {
    let m = member_of(p, g, c).await?;
    // A customer the brand took out, seen signed in on another browser:
    // that browser is kept out with them (`store::is_removed`), whether the
    // group is private or public.
    if let Some(c) = c.filter(|c| m.is_none() && c.keys.len() > 1 && c.key.starts_with("id:")) {
        store::is_removed(&p.db, &g.id, &c.keys).await?;
    }
    if can_read(g.visibility, m.is_some()) {
        Ok(m)
    } else {
        Err(private())
    }
}

async fn not_blocked(p: &Public, c: &Caller) -> EdgeResult<()> {
    if store::is_blocked(&p.db, p.id.as_str(), &c.keys).await? {
        return Err(EdgeError::api(ErrorCode::Forbidden, "you can no longer post in this brand's community"));
    }
    Ok(())
}

/// Group leads are members the brand made leads, and the brand's
/// ambassadors, unless the brand took them out of the group.
async fn is_lead(p: &Public, g: &str, c: &Caller, m: Option<&store::MemberRow>) -> EdgeResult<bool> {
    if m.is_some_and(|m| m.role == Role::Lead) {
        return Ok(true);
    }
    if store::is_removed(&p.db, g, &c.keys).await? {
        return Ok(false);
    }
    let Some(r) = referrals::referrer_of(&p.db, p.id.as_str(), p.shopper.member.as_deref(), p.shopper.sub()).await? else {
        return Ok(false);
    };
    let (stats, testimonials) = referrals::stats(&p.db, &r).await?;
    Ok(kindred_core::referral::tier(&p.brand.config.referral.tiers, stats.purchases, testimonials).is_some())
}

fn group_view(g: GroupRow, m: Option<&store::MemberRow>) -> GroupView {
    GroupView {
        visibility: g.visibility,
        members: u32::try_from(g.members).unwrap_or(0),
        member: m.is_some(),
        unread: m.map_or(0, |m| u32::try_from(m.unread).unwrap_or(0)),
        id: g.id,
        name: g.name,
        description: g.description,
        product: g.product_id,
        tag: g.tag,
    }
}

fn reactions_for(id: &str, counts: &[(String, String, u32)]) -> Vec<(String, u32)> {
    counts.iter().filter(|(t, _, _)| t == id).map(|(_, k, n)| (k.clone(), *n)).collect()
}

/// Who looks at a group's threads, for their photos' URLs (an `<img>`
/// carries no member token, so a photo that is not public to everyone is
/// given by a signed URL, `kindred_core::photo::signed_url`). The brand's
/// own views take none (the console fetches photos with its key).
struct Viewing<'a> {
    /// The deployment's secret.
    secret: Vec<u8>,
    /// A private group: its members get signed URLs.
    private: bool,
    /// The shopper's member key: their own thread, before it is shown, gets
    /// a URL signed for its author.
    viewer: Option<&'a str>,
    /// All the shopper's keys: a post by any of them is theirs (`mine`).
    keys: &'a [String],
}

impl<'a> Viewing<'a> {
    fn of(cx: &Ctx, g: &GroupRow, viewer: Option<&'a Caller>) -> Self {
        Viewing {
            secret: cx.client_secret(),
            private: g.visibility == Visibility::Private,
            viewer: viewer.map(|c| c.key.as_str()),
            keys: viewer.map_or(&[], |c| c.keys.as_slice()),
        }
    }

    /// The URL to give for `t`'s photo `id`; `None`: its plain URL (public,
    /// or no secret configured, which only the admin key then opens).
    fn photo_url(&self, t: &ThreadRow, id: &str) -> Option<String> {
        // Own as the thread list and page decide it (the caller's first key).
        let own = self.viewer == Some(t.author_key.as_str());
        let to = kindred_core::community::photo_grant(t.status, self.private, own)?;
        kindred_core::photo::signed_url(&self.secret, to, id, now_ms())
    }
}

/// A thread as shown; to a shopper (`viewing`), its photo by the URL
/// [`Viewing::photo_url`] gives.
fn thread_view(t: ThreadRow, counts: &[(String, String, u32)], viewing: Option<&Viewing>) -> ThreadView {
    let photo = t.photo.as_deref().and_then(|p| serde_json::from_str::<PhotoView>(p).ok()).map(|mut v| {
        if let Some(url) = viewing.and_then(|w| w.photo_url(&t, &v.id)) {
            v.url = url;
        }
        v
    });
    ThreadView {
        mine: viewing.is_some_and(|w| w.keys.contains(&t.author_key)),
        brand_reply: crate::store::replies::reply(t.reply_body, t.reply_at, t.reply_edited_at),
        reactions: reactions_for(&t.id, counts),
        photo,
        pinned: t.pinned != 0,
        reply_count: u32::try_from(t.reply_count).unwrap_or(0),
        id: t.id,
        group_id: t.group_id,
        author_name: kindred_core::text::public_name(&t.author_name),
        title: t.title,
        body: t.body,
        status: t.status,
        last_activity_at: t.last_activity_at,
        created_at: t.created_at,
    }
}

/// A reply as shown to the shopper with `keys` (none: the brand).
fn reply_view(r: ReplyRow, counts: &[(String, String, u32)], keys: &[String]) -> ReplyView {
    ReplyView { mine: keys.contains(&r.author_key), reactions: reactions_for(&r.id, counts), id: r.id, author_name: kindred_core::text::public_name(&r.author_name), body: r.body, status: r.status, created_at: r.created_at }
}

/// `GET /v1/brands/{brand}/groups`: public groups, and private ones the caller belongs to.
pub async fn list(req: &Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let p = Public::load(req, cx, brand, Access::Read).await?;
    let c = caller(&p);
    let mine = match &c {
        Some(c) => store::memberships(&p.db, p.id.as_str(), &c.keys).await?,
        None => Vec::new(),
    };
    let groups: Vec<GroupView> = store::groups(&p.db, p.id.as_str())
        .await?
        .into_iter()
        .filter_map(|g| {
            let m = mine.iter().find(|m| m.group_id == g.id);
            can_read(g.visibility, m.is_some()).then(|| group_view(g.clone(), m))
        })
        .collect();
    Ok(p.json(200, &GroupList { groups }))
}

/// `GET /v1/brands/{brand}/community/unread`: unread counts, for polling.
pub async fn unread(req: &Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let p = Public::load(req, cx, brand, Access::Read).await?;
    let c = need_caller(caller(&p))?;
    let mut counts = Unread::default();
    for m in store::memberships(&p.db, p.id.as_str(), &c.keys).await? {
        counts.unread.insert(m.group_id, u32::try_from(m.unread).unwrap_or(0));
    }
    Ok(p.json(200, &counts))
}

/// `POST /v1/brands/{brand}/groups/{group}/join`
pub async fn join(req: &mut Request, cx: &Ctx, brand: &str, group: &str) -> EdgeResult<Response> {
    let p = Public::load(req, cx, brand, Access::Write).await?;
    let c = need_caller(caller(&p))?;
    let body: Join = json(req, BODY_MAX).await?;
    let name = kindred_core::text::person_name(&body.display_name, "display_name", kindred_core::community::MEMBER_NAME_MAX)?;
    let mut g = load_group(&p, group).await?;
    not_blocked(&p, &c).await?;
    p.rate_limit(cx, WriteKind::Action).await?;
    let now = now_ms();
    if member_of(&p, &g, Some(&c)).await?.is_none() {
        if store::is_removed(&p.db, &g.id, &c.keys).await? {
            return Err(EdgeError::api(ErrorCode::Forbidden, "the brand took you out of this group"));
        }
        let mut invited = false;
        if let Some(token) = body.invite.as_deref().filter(|t| !t.is_empty()) {
            let bad = |m: &str| EdgeError::Api(ApiError::field(ErrorCode::Forbidden, "invite", m));
            let inv = store::invite(&p.db, token).await?.ok_or_else(|| bad("this invite does not exist"))?;
            if inv.brand_id != p.id.as_str() || inv.group_id != g.id {
                return Err(bad("this invite is for another group"));
            }
            if let Some(why) = invite_problem(inv.expires_at, inv.revoked != 0, inv.single_use != 0, inv.uses, now) {
                return Err(bad(why));
            }
            if !store::use_invite(&p.db, token, now).await? {
                return Err(bad("this invite was already used"));
            }
            invited = true;
        }
        let verified = p.shopper.identity.is_some();
        if !can_join(g.visibility, verified, invited) {
            return Err(EdgeError::api(ErrorCode::Forbidden, "this group is private: you need an invite or a verified account"));
        }
        store::add_member(&p.db, &g.id, &c.key, &name, verified, now).await?;
        // The answer counts the new member (helper-88: it said 0 after the
        // first join, read before it).
        g = load_group(&p, group).await?;
    }
    let m = member_of(&p, &g, Some(&c)).await?;
    Ok(p.json(200, &group_view(g, m.as_ref())))
}

/// `POST /v1/brands/{brand}/groups/{group}/leave`: every membership the
/// caller has in the group goes; their posts stay.
pub async fn leave(req: &Request, cx: &Ctx, brand: &str, group: &str) -> EdgeResult<Response> {
    let p = Public::load(req, cx, brand, Access::Write).await?;
    let c = need_caller(caller(&p))?;
    let g = load_group(&p, group).await?;
    p.rate_limit(cx, WriteKind::Action).await?;
    let left = store::leave(&p.db, &g.id, &c.keys).await?;
    // A private group is described to its members only, as by the list.
    if !left && !can_read(g.visibility, false) {
        return Err(private());
    }
    // The count as it is now, not as loaded before the leave.
    let g = load_group(&p, group).await?;
    Ok(p.json(200, &group_view(g, None)))
}

/// `GET /v1/brands/{brand}/groups/{group}/threads?cursor=`
pub async fn threads(req: &Request, cx: &Ctx, brand: &str, group: &str) -> EdgeResult<Response> {
    let p = Public::load(req, cx, brand, Access::Read).await?;
    let c = caller(&p);
    let g = load_group(&p, group).await?;
    let m = readable(&p, &g, c.as_ref()).await?;
    let cursor = thread_cursor(req)?;
    let viewer = c.as_ref().map(|c| c.key.as_str());
    let mut rows = store::threads(&p.db, &g.id, viewer, cursor, PAGE).await?;
    let next = next_thread_cursor(&mut rows);
    let counts = store::reaction_counts(&p.db, &rows.iter().map(|t| t.id.clone()).collect::<Vec<_>>()).await?;
    if let (Some(_), Some(c)) = (&m, &c) {
        store::mark_seen(&p.db, &g.id, &c.keys, now_ms()).await?;
    }
    let viewing = Viewing::of(cx, &g, c.as_ref());
    let list: Vec<ThreadView> = rows.into_iter().map(|t| thread_view(t, &counts, Some(&viewing))).collect();
    Ok(p.json(200, &ThreadList { group: group_view(g, m.as_ref()), threads: list, next_cursor: next }))
}

/// `cursor=<pinned>.<last_activity_at>.<id>`, as `next_cursor` gave it.
fn thread_cursor(req: &Request) -> EdgeResult<Option<(i64, i64, String)>> {
    match query(req)?.into_iter().find(|(k, _)| k == "cursor").map(|(_, v)| v).filter(|v| !v.is_empty()) {
        Some(v) => {
            let mut parts = v.splitn(3, '.');
            let parsed = (|| Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?, parts.next()?.to_owned())))();
            Ok(Some(parsed.ok_or_else(|| EdgeError::Api(ApiError::field(ErrorCode::BadRequest, "cursor", "bad cursor")))?))
        }
        None => Ok(None),
    }
}

/// Cuts a page read with one row extra to `PAGE`; the next page's cursor.
fn next_thread_cursor(rows: &mut Vec<ThreadRow>) -> Option<String> {
    if rows.len() > PAGE as usize {
        rows.truncate(PAGE as usize);
        rows.last().map(|t| format!("{}.{}.{}", t.pinned, t.last_activity_at, t.id))
    } else {
        None
    }
}

fn notify(p: &Public, event: &'static str, payload: serde_json::Value) -> EdgeResult<Option<(&'static str, String, String, String)>> {
    Ok(match &p.brand.config.community_webhook_url {
        Some(url) => Some((event, url.clone(), payload.to_string(), new_id()?)),
        None => None,
    })
}

/// `POST /v1/brands/{brand}/groups/{group}/threads`
pub async fn start_thread(req: &mut Request, cx: &Ctx, brand: &str, group: &str) -> EdgeResult<Response> {
    let p = Public::load(req, cx, brand, Access::Write).await?;
    let c = need_caller(caller(&p))?;
    let body: NewThread = json(req, BODY_MAX).await?;
    let (title, text) = body.validate()?;
    // The photo is not part of it: a retry uploads its photo again.
    let key = post_key(req, &c, "thread", kindred_core::community::post_fingerprint(group, &[&title, &text]))?;
    if let Some(first) = replayed(&p, key.as_ref()).await? {
        let t = store::thread(&p.db, p.id.as_str(), &first).await?.ok_or_else(gone_since)?;
        let g = load_group(&p, &t.group_id).await?;
        return Ok(replay(p.json(201, &thread_view(t, &[], Some(&Viewing::of(cx, &g, Some(&c)))))));
    }
    let g = load_group(&p, group).await?;
    let m = member_of(&p, &g, Some(&c)).await?.ok_or_else(|| EdgeError::api(ErrorCode::Forbidden, "join the group to post"))?;
    not_blocked(&p, &c).await?;
    p.burst(cx).await?;
    let now = now_ms();
    let photo = match &body.photo {
        Some(id) => {
            let found = crate::store::testimonials::unattached_photos(&p.db, &p.id, std::slice::from_ref(id)).await?;
            let view = found.into_iter().next().ok_or_else(|| EdgeError::Api(ApiError::field(ErrorCode::ValidationFailed, "photo", "unknown photo; upload it again")))?;
            Some((view.id.clone(), serde_json::to_string(&view).map_err(|e| EdgeError::internal("encode photo", e))?))
        }
        None => None,
    };
    // Counted once nothing above refused it (`Public::count`).
    let admitted = p.count(cx, WriteKind::Content).await?;
    let status = post_status(&g, &m, admitted);
    let id = new_id()?;
    let name = display_name(&m);
    let notice = notify(&p, "community.thread", serde_json::json!({
        "event": "community.thread", "brand": p.id.as_str(), "group": {"id": g.id, "name": g.name},
        "thread": {"id": id, "title": title}, "author_name": name, "status": status, "created_at": now,
    }))?;
    let post = NewPost {
        id: &id, brand: p.id.as_str(), group: &g.id, author_key: &c.key, author_name: &name, status, now,
        notify: notice.as_ref().map(|(e, u, pl, i)| (*e, u.as_str(), pl.clone(), i.clone())),
        key: key.as_ref().map(|(k, f)| (k.as_str(), f.as_str())),
    };
    if !store::insert_thread(&p.db, post, &title, &text, photo.as_ref().map(|(id, view)| (id.as_str(), view.as_str()))).await? {
        return Err(EdgeError::Api(ApiError::field(ErrorCode::Conflict, "photo", "this photo was just attached to another post; upload it again")));
    }
    deliver_soon(cx, &p);
    let t = store::thread(&p.db, p.id.as_str(), &id).await?.ok_or_else(|| EdgeError::internal("thread", "vanished"))?;
    Ok(p.json(201, &thread_view(t, &[], Some(&Viewing::of(cx, &g, Some(&c))))))
}

/// A new post's `Idempotency-Key`, if sent (`request::idempotency_key`),
/// scoped to the caller and the kind of post (one shopper's retries, never
/// another's), with the request's fingerprint
/// (`kindred_core::community::post_fingerprint`).
///
/// # Errors
/// `bad_request` for a key that is not 1-100 visible ASCII characters.
fn post_key(req: &Request, c: &Caller, kind: &str, fingerprint: String) -> EdgeResult<Option<(String, String)>> {
    Ok(crate::request::idempotency_key(req)?.map(|k| (format!("{kind}:{}:{k}", c.key), fingerprint)))
}

/// The post a retry's key wrote the first time (a lost answer: helper-104,
/// a reply the widget gave up on after its deadline, sent again, was
/// posted twice), if any.
///
/// # Errors
/// 422 naming `idempotency-key` when the key came with other words.
async fn replayed(p: &Public, key: Option<&(String, String)>) -> EdgeResult<Option<String>> {
    let Some((key, fingerprint)) = key else { return Ok(None) };
    let Some(stored) = crate::store::idempotency::lookup(&p.db, p.id.as_str(), key).await? else { return Ok(None) };
    stored.same_request(fingerprint, "post")?;
    let first: serde_json::Value = serde_json::from_str(&stored.response).map_err(|e| EdgeError::internal("stored post", e))?;
    Ok(first["id"].as_str().map(str::to_owned))
}

/// The post a retried key wrote was removed since.
fn gone_since() -> EdgeError {
    EdgeError::api(ErrorCode::NotFound, "the post this Idempotency-Key sent was removed since")
}

/// An answer given again for a retried key: says so.
fn replay(mut resp: Response) -> Response {
    crate::http::set_header(&mut resp, "idempotent-replay", "true");
    resp
}

/// A new post waits for moderation in a pre-moderated group (leads excepted)
/// and during a surge (the brand's hourly ceiling passed).
fn post_status(g: &GroupRow, m: &store::MemberRow, admitted: crate::store::ratelimit::Admitted) -> PostStatus {
    if admitted.brand_surge || (g.moderation == GroupModeration::Pre && m.role != Role::Lead) {
        PostStatus::Pending
    } else {
        PostStatus::Visible
    }
}

/// The name a member posts under: the one they joined with.
fn display_name(m: &store::MemberRow) -> String {
    if m.display_name.is_empty() {
        "Member".to_owned()
    } else {
        m.display_name.clone()
    }
}

/// `GET /v1/brands/{brand}/threads/{thread}?before=`: the thread and its
/// newest replies, oldest first, up to 50; `earlier_cursor` (or `null`)
/// fetches the 50 before them; `reacted`, the caller's own reactions on
/// those posts.
pub async fn get_thread(req: &Request, cx: &Ctx, brand: &str, thread: &str) -> EdgeResult<Response> {
    let p = Public::load(req, cx, brand, Access::Read).await?;
    let c = caller(&p);
    let t = store::thread(&p.db, p.id.as_str(), thread).await?.ok_or_else(|| EdgeError::api(ErrorCode::NotFound, "no such thread"))?;
    let g = load_group(&p, &t.group_id).await?;
    readable(&p, &g, c.as_ref()).await?;
    let viewer = c.as_ref().map(|c| c.key.clone());
    let visible = t.status == PostStatus::Visible || (t.status == PostStatus::Pending && viewer.as_deref() == Some(t.author_key.as_str()));
    if !visible {
        return Err(EdgeError::api(ErrorCode::NotFound, "this thread was removed"));
    }
    let before = match query(req)?.into_iter().find(|(k, _)| k == "before").map(|(_, v)| v).filter(|v| !v.is_empty()) {
        Some(v) => Some(parse_reply_cursor(&v)?),
        None => None,
    };
    let (replies, earlier) = store::replies(&p.db, &t.id, viewer.as_deref(), before.as_ref(), REPLIES_PAGE).await?;
    let mut ids: Vec<String> = replies.iter().map(|r| r.id.clone()).collect();
    ids.push(t.id.clone());
    let counts = store::reaction_counts(&p.db, &ids).await?;
    let keys = c.as_ref().map_or(&[][..], |c| c.keys.as_slice());
    // An earlier page's answer says nothing of the thread's own (it may
    // come after a toggle of the thread's: helper-97).
    let own_posts = if before.is_some() { ids.split_last().map_or(&[][..], |(_, replies)| replies) } else { &ids[..] };
    let reacted = store::reacted(&p.db, own_posts, keys).await?;
    let replies: Vec<ReplyView> = replies.into_iter().map(|r| reply_view(r, &counts, keys)).collect();
    let earlier_cursor = earlier.map(|(at, id)| format!("{at}.{id}"));
    Ok(p.json(200, &ThreadPage { thread: thread_view(t, &counts, Some(&Viewing::of(cx, &g, c.as_ref()))), replies, earlier_cursor, reacted }))
}

/// `before=<created_at>.<id>`, as `earlier_cursor` gave it.
fn parse_reply_cursor(v: &str) -> EdgeResult<store::ReplyCursor> {
    let bad = || EdgeError::Api(ApiError::field(ErrorCode::BadRequest, "before", "bad cursor: pass earlier_cursor as it came"));
    let (at, id) = v.split_once('.').ok_or_else(bad)?;
    let at = at.parse::<i64>().map_err(|_| bad())?;
    if id.is_empty() || id.len() > 64 || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return Err(bad());
    }
    Ok((at, id.to_owned()))
}

/// `POST /v1/brands/{brand}/threads/{thread}/replies`
pub async fn reply(req: &mut Request, cx: &Ctx, brand: &str, thread: &str) -> EdgeResult<Response> {
    let p = Public::load(req, cx, brand, Access::Write).await?;
    let c = need_caller(caller(&p))?;
    let body: NewReply = json(req, BODY_MAX).await?;
    let text = body.validate()?;
    let key = post_key(req, &c, "reply", kindred_core::community::post_fingerprint(thread, &[&text]))?;
    if let Some(first) = replayed(&p, key.as_ref()).await? {
        let r = store::reply(&p.db, p.id.as_str(), &first).await?.ok_or_else(gone_since)?;
        return Ok(replay(p.json(201, &reply_view(r, &[], &c.keys))));
    }
    let t = store::thread(&p.db, p.id.as_str(), thread).await?.ok_or_else(|| EdgeError::api(ErrorCode::NotFound, "no such thread"))?;
    let g = load_group(&p, &t.group_id).await?;
    let m = member_of(&p, &g, Some(&c)).await?;
    if !can_read(g.visibility, m.is_some()) {
        return Err(private());
    }
    let m = m.ok_or_else(|| EdgeError::api(ErrorCode::Forbidden, "join the group to reply"))?;
    if t.status != PostStatus::Visible {
        return Err(EdgeError::api(ErrorCode::Conflict, "this thread was removed; replies are closed"));
    }
    not_blocked(&p, &c).await?;
    let admitted = p.rate_limit(cx, WriteKind::Content).await?;
    let now = now_ms();
    let status = post_status(&g, &m, admitted);
    let id = new_id()?;
    let name = display_name(&m);
    let notice = notify(&p, "community.reply", serde_json::json!({
        "event": "community.reply", "brand": p.id.as_str(), "group": {"id": g.id, "name": g.name},
        "thread": {"id": t.id, "title": t.title}, "reply_id": id, "author_name": name, "status": status, "created_at": now,
    }))?;
    let post = NewPost {
        id: &id, brand: p.id.as_str(), group: &g.id, author_key: &c.key, author_name: &name, status, now,
        notify: notice.as_ref().map(|(e, u, pl, i)| (*e, u.as_str(), pl.clone(), i.clone())),
        key: key.as_ref().map(|(k, f)| (k.as_str(), f.as_str())),
    };
    if !store::insert_reply(&p.db, post, &t.id, &text).await? {
        return Err(EdgeError::api(ErrorCode::Conflict, "this thread was removed; replies are closed"));
    }
    deliver_soon(cx, &p);
    let r = store::reply(&p.db, p.id.as_str(), &id).await?.ok_or_else(|| EdgeError::internal("reply", "vanished"))?;
    Ok(p.json(201, &reply_view(r, &[], &c.keys)))
}

/// A visible thread or reply of this brand, readable by the caller: its
/// group, the caller's membership and the post's author key.
async fn target(p: &Public, kind: PostKind, id: &str, c: Option<&Caller>) -> EdgeResult<(GroupRow, Option<store::MemberRow>, String)> {
    let (group_id, author) = match kind {
        PostKind::Thread => store::thread(&p.db, p.id.as_str(), id).await?.filter(|t| t.status == PostStatus::Visible).map(|t| (t.group_id, t.author_key)),
        PostKind::Reply => store::reply(&p.db, p.id.as_str(), id).await?.filter(|r| r.status == PostStatus::Visible).map(|r| (r.group_id, r.author_key)),
    }
    .ok_or_else(|| EdgeError::api(ErrorCode::NotFound, "no such post"))?;
    let g = load_group(p, &group_id).await?;
    let m = readable(p, &g, c).await?;
    Ok((g, m, author))
}

/// `POST /v1/brands/{brand}/threads|replies/{id}/reactions` (toggles).
pub async fn react(req: &mut Request, cx: &Ctx, brand: &str, kind: PostKind, id: &str) -> EdgeResult<Response> {
    let p = Public::load(req, cx, brand, Access::Write).await?;
    let c = need_caller(caller(&p))?;
    let body: React = json(req, BODY_MAX).await?;
    let reaction = body.validate()?.to_owned();
    let (_, m, _) = target(&p, kind, id, Some(&c)).await?;
    if m.is_none() {
        return Err(EdgeError::api(ErrorCode::Forbidden, "join the group to react"));
    }
    not_blocked(&p, &c).await?;
    p.rate_limit(cx, WriteKind::Action).await?;
    let now = now_ms();
    let on = match body.on {
        Some(on) => store::set_reaction(&p.db, id, &c.keys, &reaction, on, now).await?,
        None => store::react(&p.db, id, &c.keys, &reaction, now).await?,
    };
    let counts = store::reaction_counts(&p.db, &[id.to_owned()]).await?;
    Ok(p.json(200, &Reactions { on, reactions: reactions_for(id, &counts) }))
}

/// `POST /v1/brands/{brand}/{threads|replies}/{id}/report`
pub async fn report(req: &mut Request, cx: &Ctx, brand: &str, kind: PostKind, id: &str) -> EdgeResult<Response> {
    let p = Public::load(req, cx, brand, Access::Write).await?;
    let c = need_caller(caller(&p))?;
    let body: Report = json(req, BODY_MAX).await?;
    let reason = body.validate()?.as_str();
    let (g, _, author) = target(&p, kind, id, Some(&c)).await?;
    // One's own post is edited or left, not reported to the brand
    // (helper-92: an author could report their own words).
    if c.keys.contains(&author) {
        return Err(EdgeError::api(ErrorCode::Forbidden, "this is your own post: it cannot be reported"));
    }
    // A blocked member's reports went on counting (helper-92).
    not_blocked(&p, &c).await?;
    p.rate_limit(cx, WriteKind::Action).await?;
    let now = now_ms();
    store::report(&p.db, &new_id()?, p.id.as_str(), &g.id, kind, id, &c.key, &reason, p.network.as_deref(), now).await?;
    Ok(p.json(202, &Reported { reported: true }))
}

/// `POST /v1/brands/{brand}/threads/{thread}/pin|unpin` (group leads).
pub async fn pin(req: &Request, cx: &Ctx, brand: &str, thread: &str, on: bool) -> EdgeResult<Response> {
    let p = Public::load(req, cx, brand, Access::Write).await?;
    let c = need_caller(caller(&p))?;
    let (g, m, _) = target(&p, PostKind::Thread, thread, Some(&c)).await?;
    if !is_lead(&p, &g.id, &c, m.as_ref()).await? {
        return Err(EdgeError::api(ErrorCode::Forbidden, "only group leads and ambassadors pin threads"));
    }
    not_blocked(&p, &c).await?;
    p.rate_limit(cx, WriteKind::Action).await?;
    store::moderate(&p.db, p.id.as_str(), PostKind::Thread, thread, None, Some(on), now_ms()).await?;
    Ok(p.json(200, &Pinned { pinned: on }))
}

/// `POST /v1/brands/{brand}/groups/{group}/invites` (group leads and ambassadors).
pub async fn member_invite(req: &mut Request, cx: &Ctx, brand: &str, group: &str) -> EdgeResult<Response> {
    let p = Public::load(req, cx, brand, Access::Write).await?;
    let c = need_caller(caller(&p))?;
    let body: NewInvite = json(req, BODY_MAX).await?;
    body.validate()?;
    let g = load_group(&p, group).await?;
    let m = readable(&p, &g, Some(&c)).await?;
    if !is_lead(&p, &g.id, &c, m.as_ref()).await? {
        return Err(EdgeError::api(ErrorCode::Forbidden, "only group leads and ambassadors create invites"));
    }
    not_blocked(&p, &c).await?;
    p.rate_limit(cx, WriteKind::Action).await?;
    let invite = make_invite(&p.db, p.id.as_str(), &g.id, &c.key, &body).await?;
    Ok(p.json(201, &invite))
}

async fn make_invite(db: &worker::D1Database, brand: &str, group: &str, by: &str, body: &NewInvite) -> EdgeResult<Invite> {
    let token = format!("inv_{}", new_id()?);
    let now = now_ms();
    let expires_at = now + i64::from(body.expires_in_hours) * 3_600_000;
    store::create_invite(db, &token, group, brand, by, expires_at, body.single_use, now).await?;
    Ok(Invite { token, group_id: group.to_owned(), expires_at, single_use: body.single_use })
}

fn deliver_soon(cx: &Ctx, p: &Public) {
    if p.brand.config.community_webhook_url.is_none() {
        return;
    }
    let (env, brand) = (cx.env.clone(), p.id.to_string());
    cx.wait_until(async move { crate::jobs::enqueue(&env, &brand).await });
}

// ---- Admin ----

async fn admin_brand(req: &Request, cx: &Ctx, brand: &str) -> EdgeResult<(BrandId, worker::D1Database)> {
    let id = BrandId::parse(brand)?;
    let db = cx.db()?;
    auth::brand_admin(req, &db, &id).await?;
    Ok((id, db))
}

/// `POST /v1/admin/brands/{brand}/groups`
pub async fn create_group(req: &mut Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let (id, db) = admin_brand(req, cx, brand).await?;
    let body: NewGroup = json(req, BODY_MAX).await?;
    let group = body.validate()?;
    let gid = new_id()?;
    store::create_group(&db, &gid, id.as_str(), &group, now_ms()).await?;
    let g = store::group(&db, id.as_str(), &gid).await?.ok_or_else(no_group)?;
    // The widget's payload says whether the brand has groups.
    super::widget::changed(&db, &id).await?;
    Ok(json_response(201, &group_view(g, None)))
}

/// `PATCH /v1/admin/brands/{brand}/groups/{group}`: a JSON merge patch
/// over the group as `NewGroup` (`NewGroup::merge_patch`).
pub async fn update_group(req: &mut Request, cx: &Ctx, brand: &str, group: &str) -> EdgeResult<Response> {
    let (id, db) = admin_brand(req, cx, brand).await?;
    let patch = crate::request::merge_patch(req, BODY_MAX).await?;
    // Written only if the group is still as it was read; else merged again
    // onto what is there now (two patches at once both count: a tag set in
    // one tab never puts back the visibility another tab just changed).
    let mut attempts = 0;
    let g = loop {
        let g = store::group(&db, id.as_str(), group).await?.ok_or_else(no_group)?;
        let was = NewGroup { name: g.name.clone(), description: g.description.clone(), visibility: g.visibility, moderation: g.moderation, product: g.product_id.clone(), tag: g.tag.clone() };
        let next = was.merge_patch(&patch)?;
        if store::update_group(&db, id.as_str(), group, &was, &next).await? {
            break store::group(&db, id.as_str(), group).await?.ok_or_else(no_group)?;
        }
        attempts += 1;
        if attempts == 3 {
            return Err(EdgeError::api(ErrorCode::Conflict, "the group kept changing while this patch was applied: try again"));
        }
    };
    // First paints that a group's tag orders (its invite) start over.
    super::widget::changed(&db, &id).await?;
    Ok(json_response(200, &group_view(g, None)))
}

/// `GET /v1/admin/brands/{brand}/groups`: every group, private ones included.
pub async fn admin_groups(req: &Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let (id, db) = admin_brand(req, cx, brand).await?;
    let groups: Vec<GroupView> = store::groups(&db, id.as_str()).await?.into_iter().map(|g| group_view(g, None)).collect();
    Ok(json_response(200, &GroupList { groups }))
}

/// `POST /v1/admin/brands/{brand}/groups/{group}/invites`
pub async fn admin_invite(req: &mut Request, cx: &Ctx, brand: &str, group: &str) -> EdgeResult<Response> {
    let (id, db) = admin_brand(req, cx, brand).await?;
    let body: NewInvite = json(req, BODY_MAX).await?;
    body.validate()?;
    store::group(&db, id.as_str(), group).await?.ok_or_else(no_group)?;
    Ok(json_response(201, &make_invite(&db, id.as_str(), group, "brand", &body).await?))
}

/// `DELETE /v1/admin/brands/{brand}/invites/{token}`
pub async fn revoke_invite(req: &Request, cx: &Ctx, brand: &str, token: &str) -> EdgeResult<Response> {
    let (id, db) = admin_brand(req, cx, brand).await?;
    if !store::revoke_invite(&db, id.as_str(), token).await? {
        return Err(EdgeError::api(ErrorCode::NotFound, "no such invite"));
    }
    Ok(crate::http::empty(204))
}

/// The member an admin route's body names (`kindred_core::community::MemberRef`):
/// the body as sent, and the member key it resolves to (a post's author's
/// for `post:<id>`). 404 for a post the brand does not have.
async fn member_named(req: &mut Request, db: &worker::D1Database, brand: &BrandId) -> EdgeResult<(MemberRef, String)> {
    let body: MemberRef = json(req, BODY_MAX).await?;
    let key = match body.validate()? {
        MemberTarget::Key(k) => k.to_owned(),
        MemberTarget::AuthorOf(post) => store::author_of(db, brand.as_str(), post)
            .await?
            .ok_or_else(|| EdgeError::Api(ApiError::field(ErrorCode::NotFound, "member_key", "no such thread or reply")))?,
        MemberTarget::Legacy(_) => {
            return Err(EdgeError::Api(ApiError::field(ErrorCode::ValidationFailed, "member_key", "a legacy: name only lifts the decision it names; name the member as id:<customer> or post:<id>")))
        }
    };
    // An anonymised post's author erased their data: nobody to act on.
    if !(key.starts_with("id:") || key.starts_with("m:")) {
        return Err(EdgeError::Api(ApiError::field(ErrorCode::Conflict, "member_key", "this post's author erased their data: there is nobody to act on")));
    }
    Ok((body, key))
}

/// What a readmission or an unblock lifts, as the request names it
/// ([`store::Lift`]): a post (or a `legacy:` decision) by its name, even
/// once the post is gone or its author erased their data; a customer by
/// their key.
fn lift_of(body: &MemberRef) -> EdgeResult<store::Lift<'_>> {
    Ok(match body.validate()? {
        MemberTarget::Key(k) => store::Lift::Key(k),
        MemberTarget::AuthorOf(_) | MemberTarget::Legacy(_) => store::Lift::Named(&body.member_key),
    })
}

/// `POST /v1/admin/brands/{brand}/groups/{group}/leads` `{"member_key": "post:..."}`
pub async fn make_lead(req: &mut Request, cx: &Ctx, brand: &str, group: &str) -> EdgeResult<Response> {
    let (id, db) = admin_brand(req, cx, brand).await?;
    let (body, key) = member_named(req, &db, &id).await?;
    store::group(&db, id.as_str(), group).await?.ok_or_else(no_group)?;
    if !store::set_role(&db, group, &key, Role::Lead).await? {
        return Err(EdgeError::api(ErrorCode::NotFound, "that member is not in this group"));
    }
    Ok(json_response(200, &LeadMade { member_key: body.member_key, role: Role::Lead }))
}

/// `POST /v1/admin/brands/{brand}/groups/{group}/removals` `{"member_key": "post:..."}`
pub async fn remove_member(req: &mut Request, cx: &Ctx, brand: &str, group: &str) -> EdgeResult<Response> {
    let (id, db) = admin_brand(req, cx, brand).await?;
    let (body, key) = member_named(req, &db, &id).await?;
    store::group(&db, id.as_str(), group).await?.ok_or_else(no_group)?;
    store::remove_member(&db, id.as_str(), group, &key, &body.member_key, now_ms()).await?;
    Ok(json_response(200, &Removed { member_key: body.member_key }))
}

/// `POST /v1/admin/brands/{brand}/groups/{group}/readmissions` `{"member_key": "post:..."}`
pub async fn readmit(req: &mut Request, cx: &Ctx, brand: &str, group: &str) -> EdgeResult<Response> {
    let (id, db) = admin_brand(req, cx, brand).await?;
    // A post by the name the removal was made under (even once the post is
    // gone or its author erased their data), a customer by their key.
    let body: MemberRef = json(req, BODY_MAX).await?;
    let lift = lift_of(&body)?;
    store::group(&db, id.as_str(), group).await?.ok_or_else(no_group)?;
    let readmitted = store::readmit(&db, group, lift).await?;
    Ok(json_response(200, &Readmitted { member_key: body.member_key, readmitted }))
}

/// `POST /v1/admin/brands/{brand}/blocks` `{"member_key": "post:..."}`
pub async fn block(req: &mut Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let (id, db) = admin_brand(req, cx, brand).await?;
    let (body, key) = member_named(req, &db, &id).await?;
    store::block(&db, id.as_str(), &key, &body.member_key, now_ms()).await?;
    Ok(json_response(200, &Blocked { blocked: body.member_key }))
}

/// A page of a list of decisions ([`RESTRICTIONS_MAX`] at most): the
/// request's `cursor`, read (400 for one this API did not give), and the
/// page's entries with the next page's cursor, from `page` asked for one
/// more entry than a page holds.
async fn restriction_page<F, Fut>(req: &Request, page: F) -> EdgeResult<(Vec<Restriction>, Option<String>)>
where
    F: FnOnce(Option<(i64, String)>, u32) -> Fut,
    Fut: std::future::Future<Output = EdgeResult<Vec<Restriction>>>,
{
    let after = query(req)?.into_iter().find(|(k, _)| k == "cursor").map(|(_, v)| parse_restriction_cursor(&v)).transpose()?;
    let mut entries = page(after, RESTRICTIONS_MAX + 1).await?;
    let next_cursor = kindred_core::page::next(&mut entries, RESTRICTIONS_MAX as usize, |r| (r.created_at, r.member_key.as_str()));
    Ok((entries, next_cursor))
}

/// `GET /v1/admin/brands/{brand}/blocks?cursor`
pub async fn blocks(req: &Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let (id, db) = admin_brand(req, cx, brand).await?;
    let (blocks, next_cursor) = restriction_page(req, |after, limit| store::blocks(&db, id.as_str(), after, limit)).await?;
    Ok(json_response(200, &BlockList { blocks, next_cursor }))
}

/// `POST /v1/admin/brands/{brand}/unblocks` `{"member_key": "post:..."}`:
/// as a readmission, by the key or by the name the block was made under.
pub async fn unblock(req: &mut Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let (id, db) = admin_brand(req, cx, brand).await?;
    let body: MemberRef = json(req, BODY_MAX).await?;
    let unblocked = store::unblock(&db, id.as_str(), lift_of(&body)?).await?;
    Ok(json_response(200, &Unblocked { member_key: body.member_key, unblocked }))
}

/// `GET /v1/admin/brands/{brand}/groups/{group}/removals?cursor`
pub async fn removals(req: &Request, cx: &Ctx, brand: &str, group: &str) -> EdgeResult<Response> {
    let (id, db) = admin_brand(req, cx, brand).await?;
    store::group(&db, id.as_str(), group).await?.ok_or_else(no_group)?;
    let (removals, next_cursor) = restriction_page(req, |after, limit| store::removals(&db, group, after, limit)).await?;
    Ok(json_response(200, &RemovalList { removals, next_cursor }))
}

/// `GET /v1/admin/brands/{brand}/reports?cursor`: a page of the report
/// queue and the next page's cursor.
pub async fn reports(req: &Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let (id, db) = admin_brand(req, cx, brand).await?;
    let offset = query(req)?.into_iter().find(|(k, _)| k == "cursor").map(|(_, v)| parse_report_cursor(&v)).transpose()?.unwrap_or(0);
    let mut reports = store::reports(&db, id.as_str(), offset, REPORTS_PAGE + 1).await?;
    let more = reports.len() > REPORTS_PAGE as usize;
    reports.truncate(REPORTS_PAGE as usize);
    let next_cursor = more.then(|| report_cursor(offset, reports.len()));
    Ok(json_response(200, &ReportList { reports, next_cursor }))
}

/// `GET /v1/admin/brands/{brand}/groups/{group}/pending?cursor` (posts
/// awaiting approval, oldest first) and `.../hidden?cursor` (posts a
/// moderator hid, newest first): a page of [`QUEUE_PAGE`] and the next
/// page's cursor.
///
/// # Errors
/// `not_found` for a group the brand does not have; `bad_request` naming
/// `cursor` for one this API did not give.
pub async fn queue(req: &Request, cx: &Ctx, brand: &str, group: &str, queue: PostQueue) -> EdgeResult<Response> {
    let (id, db) = admin_brand(req, cx, brand).await?;
    store::group(&db, id.as_str(), group).await?.ok_or_else(no_group)?;
    let after = query(req)?.into_iter().find(|(k, _)| k == "cursor").map(|(_, v)| parse_queue_cursor(&v)).transpose()?;
    let mut posts = store::queued_posts(&db, group, queue, after, QUEUE_PAGE + 1).await?;
    let next_cursor = kindred_core::page::next(&mut posts, QUEUE_PAGE as usize, |p| (queue.cursor_time(p), p.id.as_str()));
    // Never the author's member token: the brand names them by the post.
    for post in &mut posts {
        post.author_key = author_ref(&post.author_key, &post.id);
    }
    Ok(super::admin::no_store(match queue {
        PostQueue::Pending => json_response(200, &PendingPosts { pending: posts, next_cursor }),
        PostQueue::Hidden => json_response(200, &HiddenPosts { hidden: posts, next_cursor }),
    }))
}

/// `POST /v1/admin/brands/{brand}/{threads|replies}/{id}/{approve|hide|delete|pin|unpin}`.
/// A deletion cannot be taken back (a hidden post can be approved again):
/// it takes the current admin key (`auth::brand_admin_current`), as
/// deleting a testimonial does.
pub async fn moderate(req: &Request, cx: &Ctx, brand: &str, kind: PostKind, id: &str, action: &str) -> EdgeResult<Response> {
    let (brand_id, db) = if action == "delete" {
        let (id, db) = (BrandId::parse(brand)?, cx.db()?);
        auth::brand_admin_current(req, &db, &id).await?;
        (id, db)
    } else {
        admin_brand(req, cx, brand).await?
    };
    let (status, pinned) = match (kind, action) {
        (_, "approve") => (Some(PostStatus::Visible), None),
        (_, "hide") => (Some(PostStatus::Hidden), None),
        (_, "delete") => (Some(PostStatus::Deleted), None),
        (PostKind::Thread, "pin") => (None, Some(true)),
        (PostKind::Thread, "unpin") => (None, Some(false)),
        _ => return Err(EdgeError::api(ErrorCode::RouteNotFound, "actions are approve, hide, delete (and pin, unpin for threads)")),
    };
    if !store::moderate(&db, brand_id.as_str(), kind, id, status, pinned, now_ms()).await? {
        return Err(EdgeError::api(ErrorCode::NotFound, "no such post for this brand"));
    }
    Ok(json_response(200, &PostModerated { id: id.to_owned(), status, pinned }))
}

fn no_thread() -> EdgeError {
    EdgeError::api(ErrorCode::NotFound, "no such thread")
}

/// `GET /v1/admin/brands/{brand}/groups/{group}/threads`: the group's
/// visible threads (private groups too), a page at a time.
pub async fn admin_threads(req: &Request, cx: &Ctx, brand: &str, group: &str) -> EdgeResult<Response> {
    let (brand_id, db) = admin_brand(req, cx, brand).await?;
    let g = store::group(&db, brand_id.as_str(), group).await?.ok_or_else(no_group)?;
    let cursor = thread_cursor(req)?;
    let mut rows = store::threads(&db, &g.id, None, cursor, PAGE).await?;
    let next = next_thread_cursor(&mut rows);
    let counts = store::reaction_counts(&db, &rows.iter().map(|t| t.id.clone()).collect::<Vec<_>>()).await?;
    let list: Vec<ThreadView> = rows.into_iter().map(|t| thread_view(t, &counts, None)).collect();
    Ok(super::admin::no_store(json_response(200, &ThreadList { group: group_view(g, None), threads: list, next_cursor: next })))
}

/// `POST /v1/admin/brands/{brand}/threads/{id}/reply`: the brand's public
/// reply under a visible thread, new or edited; the author is told by
/// webhook.
///
/// # Errors
/// `not_found` (no such thread, or deleted), `conflict` (pending or
/// hidden), `validation_failed` on `body`.
pub async fn set_brand_reply(req: &mut Request, cx: &Ctx, brand: &str, id: &str) -> EdgeResult<Response> {
    let brand_id = BrandId::parse(brand)?;
    let db = cx.db()?;
    let found = auth::brand_admin(req, &db, &brand_id).await?;
    let body: NewBrandReply = json(req, BODY_MAX).await?;
    let text = body.validate()?;
    let before = store::thread(&db, brand_id.as_str(), id).await?.filter(|t| t.status != PostStatus::Deleted).ok_or_else(no_thread)?;
    ReplySubject::Thread.require_shown(before.status == PostStatus::Visible)?;
    let now = now_ms();
    let author_identity = before.author_key.strip_prefix("id:").map(str::to_owned);
    crate::store::replies::set_reply(&db, ReplySubject::Thread, &brand_id, id, Some(&text), before.reply_body.is_some(), now).await?;
    let after = store::thread(&db, brand_id.as_str(), id).await?.ok_or_else(no_thread)?;
    let counts = store::reaction_counts(&db, std::slice::from_ref(&after.id)).await?;
    let view = thread_view(after, &counts, None);
    if let Some(url) = &found.config.community_webhook_url {
        // The author's identity subject if they were signed in; a member
        // token is a shopper's secret and never leaves Kindred.
        let payload = serde_json::json!({
            "event": ReplySubject::Thread.event(), "brand": brand_id.as_str(),
            "thread": {"id": view.id, "group_id": view.group_id, "title": view.title},
            "author_name": view.author_name, "author_identity": author_identity,
            "reply": view.brand_reply,
        });
        crate::jobs::schedule(&db, brand_id.as_str(), ReplySubject::Thread.event(), url, &payload.to_string(), now).await?;
        let (env, brand) = (cx.env.clone(), brand_id.to_string());
        cx.wait_until(async move { crate::jobs::enqueue(&env, &brand).await });
    }
    Ok(super::admin::no_store(json_response(200, &view)))
}

/// `DELETE /v1/admin/brands/{brand}/threads/{id}/reply`
pub async fn delete_brand_reply(req: &Request, cx: &Ctx, brand: &str, id: &str) -> EdgeResult<Response> {
    let (brand_id, db) = admin_brand(req, cx, brand).await?;
    let before = store::thread(&db, brand_id.as_str(), id).await?.ok_or_else(no_thread)?;
    crate::store::replies::set_reply(&db, ReplySubject::Thread, &brand_id, id, None, before.reply_body.is_some(), now_ms()).await?;
    Ok(crate::http::empty(204))
}

/// `GET /v1/admin/brands/{brand}/threads/{id}/reply`
pub async fn brand_reply_history(req: &Request, cx: &Ctx, brand: &str, id: &str) -> EdgeResult<Response> {
    let (brand_id, db) = admin_brand(req, cx, brand).await?;
    let t = store::thread(&db, brand_id.as_str(), id).await?.ok_or_else(no_thread)?;
    let shown = crate::store::replies::reply(t.reply_body, t.reply_at, t.reply_edited_at);
    let history = crate::store::replies::reply_history(&db, ReplySubject::Thread, &brand_id, shown, id).await?;
    Ok(super::admin::no_store(json_response(200, &history)))
}
