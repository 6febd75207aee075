//! Groups, members, invites, threads, replies, reactions, reports and blocks
//! in D1. Access rules are applied by the routes (with core's `can_read`);
//! every query here is scoped to a brand or to a group the route resolved.

use super::Metered;
use super::{changes, int, opt, stmt};
use crate::errors::{EdgeError, EdgeResult};
use kindred_core::sql::{self, REPLY_COLUMNS, THREAD_COLUMNS};
use kindred_core::community::{GroupModeration, NewGroup, PostKind, PostStatus, Restriction, Role, Visibility};
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};


async fn first<T: for<'a> Deserialize<'a>>(stmt: D1PreparedStatement, what: &'static str) -> EdgeResult<Option<T>> {
    stmt.first_row().await.map_err(|e| EdgeError::store(what, e))
}

async fn all<T: for<'a> Deserialize<'a>>(stmt: D1PreparedStatement, what: &'static str) -> EdgeResult<Vec<T>> {
    stmt.all_rows().await.map_err(|e| EdgeError::store(what, e))?.results().map_err(|e| EdgeError::store(what, e))
}

/// Whether `stmt` (a `SELECT 1 AS found ...`) finds a row.
async fn exists(stmt: D1PreparedStatement, what: &'static str) -> EdgeResult<bool> {
    #[derive(Deserialize)]
    struct Found {
        #[allow(dead_code)]
        found: i64,
    }
    Ok(first::<Found>(stmt, what).await?.is_some())
}

#[derive(Debug, Clone, Deserialize)]
pub struct GroupRow {
    pub id: String,
    pub name: String,
    pub description: String,
    pub visibility: Visibility,
    pub moderation: GroupModeration,
    pub product_id: Option<String>,
    pub members: i64,
    #[serde(default)]
    pub tag: Option<String>,
}

pub async fn group(db: &D1Database, brand: &str, id: &str) -> EdgeResult<Option<GroupRow>> {
    first(stmt(db, format!("SELECT {} FROM groups WHERE brand_id = ?1 AND id = ?2", sql::GROUP_COLUMNS), &[brand.into(), id.into()])?, "group").await
}

/// A group's settings as stored: the six columns an admin writes, bound
/// in one order for every statement that writes or compares them.
fn settings(g: &NewGroup) -> [JsValue; 6] {
    [g.name.as_str().into(), g.description.as_str().into(), g.visibility.as_str().into(), g.moderation.as_str().into(), opt(g.product.as_deref()), opt(g.tag.as_deref())]
}

/// Writes a group's settings `now` if they are still `then` (a compare and
/// swap: `routes::community::update_group` merges again when another
/// change came first). Answers whether it wrote.
///
/// # Errors
/// `unavailable` when D1 fails.
pub async fn update_group(db: &D1Database, brand: &str, id: &str, then: &NewGroup, now: &NewGroup) -> EdgeResult<bool> {
    let args: Vec<JsValue> = [brand.into(), id.into()].into_iter().chain(settings(now)).chain(settings(then)).collect();
    let n = changes(
        stmt(
            db,
            "UPDATE groups SET name = ?3, description = ?4, visibility = ?5, moderation = ?6, product_id = ?7, tag = ?8 \
             WHERE brand_id = ?1 AND id = ?2 AND name = ?9 AND description = ?10 AND visibility = ?11 AND moderation = ?12 \
             AND product_id IS ?13 AND tag IS ?14",
            &args,
        )?,
        "update group",
    )
    .await?;
    Ok(n == 1)
}

/// A brand's groups, oldest first (at most `sql::GROUPS_MAX`).
pub async fn groups(db: &D1Database, brand: &str) -> EdgeResult<Vec<GroupRow>> {
    all(stmt(db, sql::GROUPS, &[brand.into(), int(sql::GROUPS_MAX)])?, "groups").await
}

pub async fn create_group(db: &D1Database, id: &str, brand: &str, g: &NewGroup, now: i64) -> EdgeResult<()> {
    let args: Vec<JsValue> = [id.into(), brand.into(), int(now)].into_iter().chain(settings(g)).collect();
    changes(
        stmt(db, "INSERT INTO groups (id, brand_id, created_at, name, description, visibility, moderation, product_id, tag) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", &args)?,
        "create group",
    )
    .await?;
    Ok(())
}

#[derive(Debug, Clone, Deserialize)]
pub struct MemberRow {
    pub group_id: String,
    pub role: Role,
    pub unread: i64,
    /// The name they joined under (read by [`membership`] only).
    #[serde(default)]
    pub display_name: String,
}

/// The caller's memberships in a brand's groups, with unread thread counts
/// (each at most `sql::UNREAD_CAP`), by all their `keys` (one or two, the
/// one that says who they are first: `Caller::keys`), none the brand took
/// them out of (`sql::MEMBERSHIPS`).
pub async fn memberships(db: &D1Database, brand: &str, keys: &[String]) -> EdgeResult<Vec<MemberRow>> {
    let Some(first_key) = keys.first() else { return Ok(Vec::new()) };
    let other = keys.get(1).unwrap_or(first_key);
    let mut rows: Vec<MemberRow> = all(stmt(db, sql::MEMBERSHIPS, &[brand.into(), first_key.as_str().into(), int(sql::UNREAD_CAP), other.as_str().into()])?, "memberships").await?;
    // Under both keys (joined signed out, then signed in): one is enough.
    rows.sort_by(|a, b| a.group_id.cmp(&b.group_id));
    rows.dedup_by(|a, b| a.group_id == b.group_id);
    Ok(rows)
}

#[derive(Deserialize)]
struct MembershipRow {
    group_id: String,
    member_key: String,
    display_name: String,
    role: Role,
    unread: i64,
    removed: i64,
    unlinked: i64,
}

/// The caller's membership of `group` by any of their `keys` (one or two,
/// the one that says who they are first; `sql::MEMBERSHIP`). `None` for a
/// caller the brand took out of it: their browser's token is then barred
/// too (`bar_browser`). A signed-in caller's token that joined signed out
/// is noted as theirs (`alt_key`), so a removal or a block by their
/// customer id reaches that membership as well.
pub async fn membership(db: &D1Database, group: &str, keys: &[String]) -> EdgeResult<Option<MemberRow>> {
    let Some(first_key) = keys.first() else { return Ok(None) };
    let other = keys.get(1).unwrap_or(first_key);
    let mut rows: Vec<MembershipRow> = all(stmt(db, sql::MEMBERSHIP, &[group.into(), first_key.as_str().into(), other.as_str().into()])?, "membership").await?;
    // Theirs as the customer before their browser's.
    let Some(m) = rows.iter().position(|r| r.member_key.starts_with("id:")).or((!rows.is_empty()).then_some(0)).map(|i| rows.swap_remove(i)) else {
        return Ok(None);
    };
    if m.removed != 0 {
        bar_browser(db, group, keys).await?;
        return Ok(None);
    }
    if m.unlinked != 0 {
        changes(
            stmt(db, "UPDATE group_members SET alt_key = ?3 WHERE group_id = ?1 AND member_key = ?2 AND alt_key IS NULL", &[group.into(), other.as_str().into(), first_key.as_str().into()])?,
            "link keys",
        )
        .await?;
    }
    Ok(Some(MemberRow { group_id: m.group_id, role: m.role, unread: m.unread, display_name: m.display_name }))
}

/// A removed customer's browser: `keys` is a signed-in caller's customer id
/// (removed from `group`) and their token; the token is barred by the same
/// removal (lifted with it), its membership of the group goes and its
/// invite links stop working, so signing out does not let them back in. A
/// token is a browser, perhaps shared: only a customer's removal reaches
/// it, never the other way round.
async fn bar_browser(db: &D1Database, group: &str, keys: &[String]) -> EdgeResult<()> {
    if let [who, token] = keys {
        if who.starts_with("id:") {
            let s = vec![
                stmt(db, "INSERT OR IGNORE INTO group_removals (group_id, brand_id, member_key, via, named, created_at) \
                     SELECT group_id, brand_id, ?3, via, named, created_at FROM group_removals WHERE group_id = ?1 AND member_key = ?2", &[group.into(), who.as_str().into(), token.as_str().into()])?,
                stmt(db, "DELETE FROM group_members WHERE group_id = ?1 AND member_key = ?2", &[group.into(), token.as_str().into()])?,
                stmt(db, "UPDATE invites SET revoked = 1 WHERE group_id = ?1 AND created_by = ?2", &[group.into(), token.as_str().into()])?,
            ];
            super::batch(db, s).await.map_err(|e| EdgeError::store("bar browser", e))?;
        }
    }
    Ok(())
}

pub async fn add_member(db: &D1Database, group: &str, key: &str, name: &str, verified: bool, now: i64) -> EdgeResult<()> {
    changes(
        stmt(db, "INSERT INTO group_members (group_id, member_key, display_name, verified, joined_at, last_seen_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5) \
             ON CONFLICT(group_id, member_key) DO UPDATE SET display_name = excluded.display_name", &[group.into(), key.into(), name.into(), int(i64::from(verified)), int(now)])?,
        "join",
    )
    .await?;
    Ok(())
}

pub async fn set_role(db: &D1Database, group: &str, key: &str, role: Role) -> EdgeResult<bool> {
    Ok(changes(stmt(db, "UPDATE group_members SET role = ?3 WHERE group_id = ?1 AND member_key = ?2", &[group.into(), key.into(), role.as_str().into()])?, "role").await? > 0)
}

/// The caller (by any of their one or two `keys`) has read `group` now.
pub async fn mark_seen(db: &D1Database, group: &str, keys: &[String], now: i64) -> EdgeResult<()> {
    let Some(first_key) = keys.first() else { return Ok(()) };
    let other = keys.get(1).unwrap_or(first_key);
    changes(
        stmt(db, "UPDATE group_members SET last_seen_at = ?3 WHERE group_id = ?1 AND member_key IN (?2, ?4)", &[group.into(), first_key.as_str().into(), int(now), other.as_str().into()])?,
        "seen",
    )
    .await?;
    Ok(())
}

/// Whether the brand blocked the caller, judged by the key that says who
/// they are (`keys[0]`); a blocked customer's browser is blocked with them.
pub async fn is_blocked(db: &D1Database, brand: &str, keys: &[String]) -> EdgeResult<bool> {
    let Some(who) = keys.first() else { return Ok(false) };
    let hit = exists(stmt(db, "SELECT 1 AS found FROM member_blocks WHERE brand_id = ?1 AND member_key = ?2", &[brand.into(), who.as_str().into()])?, "block").await?;
    if hit {
        if let [who, token] = keys {
            if who.starts_with("id:") {
                // Barred by the customer's own blocks, lifted with them.
                changes(
                    stmt(db, "INSERT OR IGNORE INTO member_blocks (brand_id, member_key, via, named, created_at) \
                         SELECT brand_id, ?3, via, named, created_at FROM member_blocks WHERE brand_id = ?1 AND member_key = ?2", &[brand.into(), who.as_str().into(), token.as_str().into()])?,
                    "block browser",
                )
                .await?;
            }
        }
    }
    Ok(hit)
}

/// Blocks the member `key` under every key it reaches ([`reached`]: a
/// customer's browsers they joined with signed out), each row `via` the
/// key and `named` as the brand named them (`id:..` or `post:..`).
pub async fn block(db: &D1Database, brand: &str, key: &str, named: &str, now: i64) -> EdgeResult<()> {
    let s = reached(db, brand, key)
        .await?
        .iter()
        .map(|k| stmt(db, "INSERT OR IGNORE INTO member_blocks (brand_id, member_key, via, named, created_at) VALUES (?1, ?2, ?3, ?4, ?5)", &[brand.into(), k.as_str().into(), key.into(), named.into(), int(now)]))
        .collect::<EdgeResult<Vec<_>>>()?;
    super::batch(db, s).await.map_err(|e| EdgeError::store("block", e))?;
    Ok(())
}

/// Whom a lift of a block or a removal names (`sql::UNBLOCK`).
pub enum Lift<'a> {
    /// A customer id (or an API client's member token): every decision
    /// that reached them by it.
    Key(&'a str),
    /// `post:<id>` or `legacy:<id>`: the decisions made under that name.
    Named(&'a str),
}

/// Runs a [`Lift`] with `stmts` (`sql::UNBLOCK` or `sql::READMIT`) in
/// `scope` (the brand, or the group); whether anything was lifted.
async fn lift(db: &D1Database, stmts: [&str; 2], scope: &str, who: Lift<'_>, what: &'static str) -> EdgeResult<bool> {
    let (sql, by) = match who {
        Lift::Named(named) => (stmts[0], named),
        Lift::Key(key) => (stmts[1], key),
    };
    Ok(changes(stmt(db, sql, &[scope.into(), by.into()])?, what).await? > 0)
}

/// Lifts the brand's blocks `who` names, with every key they reached;
/// whether there was one.
pub async fn unblock(db: &D1Database, brand: &str, who: Lift<'_>) -> EdgeResult<bool> {
    lift(db, sql::UNBLOCK, brand, who, "unblock").await
}

/// A page of the brand's blocks, one per decision (`sql::BLOCKS`), from
/// `after` (a [`kindred_core::community::parse_restriction_cursor`]) on:
/// at most `limit`.
pub async fn blocks(db: &D1Database, brand: &str, after: Option<(i64, String)>, limit: u32) -> EdgeResult<Vec<Restriction>> {
    restrictions(db, sql::BLOCKS, brand, after, limit, "blocks").await
}

/// A page of the removals from `group`, as [`blocks`] (`sql::REMOVALS`).
pub async fn removals(db: &D1Database, group: &str, after: Option<(i64, String)>, limit: u32) -> EdgeResult<Vec<Restriction>> {
    restrictions(db, sql::REMOVALS, group, after, limit, "removals").await
}

async fn restrictions(db: &D1Database, sql: &str, scope: &str, after: Option<(i64, String)>, limit: u32, what: &'static str) -> EdgeResult<Vec<Restriction>> {
    let (at, named) = after.unwrap_or((i64::MAX, String::new()));
    all(stmt(db, sql, &[scope.into(), int(i64::from(limit)), int(at), named.as_str().into()])?, what).await
}

/// The keys a removal or a block of `key` reaches: `key`, and for a
/// customer (`id:`) the tokens of the browsers they joined the brand's
/// groups with signed out (`alt_key`, noted when they later came signed
/// in; at most 20). A token reaches only itself: a browser may be shared,
/// and its token says nothing of who else used it.
async fn reached(db: &D1Database, brand: &str, key: &str) -> EdgeResult<Vec<String>> {
    let mut keys = vec![key.to_owned()];
    if key.starts_with("id:") {
        #[derive(Deserialize)]
        struct Key {
            member_key: String,
        }
        let tokens: Vec<Key> = all(stmt(db, "SELECT DISTINCT member_key FROM group_members WHERE alt_key = ?2 AND brand_id = ?1 LIMIT 20", &[brand.into(), key.into()])?, "linked keys").await?;
        keys.extend(tokens.into_iter().map(|k| k.member_key).filter(|k| k != key));
    }
    Ok(keys)
}

/// Takes the member `key` out of `group` under every key it reaches
/// ([`reached`]), bars each (`group_removals`, `via` the key named) and
/// revokes the invite links they made for the group, in one transaction.
pub async fn remove_member(db: &D1Database, brand: &str, group: &str, key: &str, named: &str, now: i64) -> EdgeResult<()> {
    let keys = reached(db, brand, key).await?;
    let mut s = Vec::new();
    for k in &keys {
        s.push(stmt(db, "DELETE FROM group_members WHERE group_id = ?1 AND member_key = ?2", &[group.into(), k.as_str().into()])?);
        s.push(stmt(
            db,
            "INSERT OR IGNORE INTO group_removals (group_id, brand_id, member_key, via, named, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            &[group.into(), brand.into(), k.as_str().into(), key.into(), named.into(), int(now)],
        )?);
        s.push(stmt(db, "UPDATE invites SET revoked = 1 WHERE group_id = ?1 AND created_by = ?2", &[group.into(), k.as_str().into()])?);
    }
    super::batch(db, s).await.map_err(|e| EdgeError::store("remove member", e))?;
    Ok(())
}

/// Lifts the removals from `group` that `who` names, with every key they
/// reached; whether there was one. Naming another post of the same
/// shopper lifts nothing, so a readmission tells the brand nothing about
/// who wrote what.
pub async fn readmit(db: &D1Database, group: &str, who: Lift<'_>) -> EdgeResult<bool> {
    lift(db, sql::READMIT, group, who, "readmit").await
}

/// Whether the brand took the caller out of `group`, judged by the key that
/// says who they are (`keys[0]`); a removed customer's browser is barred
/// with them ([`bar_browser`]).
pub async fn is_removed(db: &D1Database, group: &str, keys: &[String]) -> EdgeResult<bool> {
    let Some(who) = keys.first() else { return Ok(false) };
    let hit = exists(stmt(db, "SELECT 1 AS found FROM group_removals WHERE group_id = ?1 AND member_key = ?2", &[group.into(), who.as_str().into()])?, "removal").await?;
    if hit {
        bar_browser(db, group, keys).await?;
    }
    Ok(hit)
}

/// Every membership of `keys` in `group` goes (a shopper who leaves);
/// whether there was one.
pub async fn leave(db: &D1Database, group: &str, keys: &[String]) -> EdgeResult<bool> {
    let mut left = false;
    for k in keys {
        left |= changes(stmt(db, "DELETE FROM group_members WHERE group_id = ?1 AND member_key = ?2", &[group.into(), k.as_str().into()])?, "leave").await? > 0;
    }
    Ok(left)
}

/// The member key of the author of the brand's thread or reply `post`.
pub async fn author_of(db: &D1Database, brand: &str, post: &str) -> EdgeResult<Option<String>> {
    #[derive(Deserialize)]
    struct Author {
        author_key: String,
    }
    let row: Option<Author> = first(
        stmt(db, "SELECT author_key FROM threads WHERE brand_id = ?1 AND id = ?2 UNION ALL SELECT author_key FROM replies WHERE brand_id = ?1 AND id = ?2 LIMIT 1", &[brand.into(), post.into()])?,
        "post author",
    )
    .await?;
    Ok(row.map(|r| r.author_key))
}

#[derive(Debug, Clone, Deserialize)]
pub struct InviteRow {
    pub group_id: String,
    pub brand_id: String,
    pub expires_at: i64,
    pub single_use: i64,
    pub uses: i64,
    pub revoked: i64,
}

pub async fn invite(db: &D1Database, token: &str) -> EdgeResult<Option<InviteRow>> {
    first(
        stmt(db, "SELECT token, group_id, brand_id, expires_at, single_use, uses, revoked FROM invites WHERE token = ?1", &[token.into()])?,
        "invite",
    )
    .await
}

pub async fn create_invite(db: &D1Database, token: &str, group: &str, brand: &str, by: &str, expires_at: i64, single_use: bool, now: i64) -> EdgeResult<()> {
    changes(
        stmt(db, "INSERT INTO invites (token, group_id, brand_id, created_by, expires_at, single_use, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", &[token.into(), group.into(), brand.into(), by.into(), int(expires_at), int(i64::from(single_use)), int(now)])?,
        "create invite",
    )
    .await?;
    Ok(())
}

/// Uses an invite once; `false` if it is revoked, expired or used up (checked
/// and counted in one statement, so a single-use invite admits one person).
pub async fn use_invite(db: &D1Database, token: &str, now: i64) -> EdgeResult<bool> {
    Ok(changes(
        stmt(db, "UPDATE invites SET uses = uses + 1 WHERE token = ?1 AND revoked = 0 AND expires_at > ?2 AND (single_use = 0 OR uses = 0)", &[token.into(), int(now)])?,
        "use invite",
    )
    .await?
        > 0)
}

pub async fn revoke_invite(db: &D1Database, brand: &str, token: &str) -> EdgeResult<bool> {
    Ok(changes(stmt(db, "UPDATE invites SET revoked = 1 WHERE brand_id = ?1 AND token = ?2", &[brand.into(), token.into()])?, "revoke").await? > 0)
}

#[derive(Debug, Clone, Deserialize)]
pub struct ThreadRow {
    pub id: String,
    pub group_id: String,
    pub author_key: String,
    pub author_name: String,
    pub title: String,
    pub body: String,
    pub photo: Option<String>,
    pub status: PostStatus,
    pub pinned: i64,
    pub reply_count: i64,
    pub last_activity_at: i64,
    pub created_at: i64,
    pub reply_body: Option<String>,
    pub reply_at: Option<i64>,
    pub reply_edited_at: Option<i64>,
}


pub async fn thread(db: &D1Database, brand: &str, id: &str) -> EdgeResult<Option<ThreadRow>> {
    first(stmt(db, format!("SELECT {THREAD_COLUMNS} FROM threads WHERE brand_id = ?1 AND id = ?2"), &[brand.into(), id.into()])?, "thread").await
}

/// A group's threads: visible ones, plus the viewer's own pending ones;
/// pinned first, then by latest activity. `cursor` = (pinned, activity, id).
pub async fn threads(db: &D1Database, group: &str, viewer: Option<&str>, cursor: Option<(i64, i64, String)>, limit: u32) -> EdgeResult<Vec<ThreadRow>> {
    let (p, t, i) = cursor.unwrap_or((2, i64::MAX, String::new()));
    all(stmt(db, sql::THREADS, &[group.into(), opt(viewer), int(p), int(t), i.as_str().into(), int(i64::from(limit) + 1)])?, "threads").await
}

#[derive(Debug, Clone, Deserialize)]
pub struct ReplyRow {
    pub id: String,
    pub group_id: String,
    pub author_key: String,
    pub author_name: String,
    pub body: String,
    pub status: PostStatus,
    pub created_at: i64,
}


pub async fn reply(db: &D1Database, brand: &str, id: &str) -> EdgeResult<Option<ReplyRow>> {
    first(stmt(db, format!("SELECT {REPLY_COLUMNS} FROM replies WHERE brand_id = ?1 AND id = ?2"), &[brand.into(), id.into()])?, "reply").await
}

/// Where a page of replies ends: `(created_at, id)` of its oldest reply.
pub type ReplyCursor = (i64, String);

/// The newest `limit` replies of a thread the viewer may see, older than
/// `before` when given, oldest first, and the cursor of the page before them
/// (`None` when this page reaches the thread's first reply). Reads at most
/// `2 × (limit + 1)` rows (the visible replies through `replies_by_thread_status`, the viewer's pending ones through `replies_pending_by_author`; `sql::REPLIES`).
pub async fn replies(db: &D1Database, thread: &str, viewer: Option<&str>, before: Option<&ReplyCursor>, limit: u32) -> EdgeResult<(Vec<ReplyRow>, Option<ReplyCursor>)> {
    // No cursor: from the newest (a bound above every reply).
    let (at, id) = before.map_or((int(i64::MAX), JsValue::from_str("")), |(t, i)| (int(*t), JsValue::from_str(i)));
    let mut rows: Vec<ReplyRow> = all(stmt(db, sql::REPLIES, &[thread.into(), opt(viewer), at, id, int(i64::from(limit) + 1)])?, "replies").await?;
    let earlier = if rows.len() > limit as usize {
        rows.truncate(limit as usize);
        rows.last().map(|r| (r.created_at, r.id.clone()))
    } else {
        None
    };
    rows.reverse();
    Ok((rows, earlier))
}

pub struct NewPost<'a> {
    pub id: &'a str,
    pub brand: &'a str,
    pub group: &'a str,
    pub author_key: &'a str,
    pub author_name: &'a str,
    pub status: PostStatus,
    pub now: i64,
    /// (event, url, payload, delivery id) when the brand wants to hear of it.
    pub notify: Option<(&'a str, &'a str, String, String)>,
    /// (scoped `Idempotency-Key`, request fingerprint) when the client sent
    /// one: remembered with the post, in its batch, naming it.
    pub key: Option<(&'a str, &'a str)>,
}

/// The post's `Idempotency-Key`, remembered with the post's id only if
/// the post (in `table`) was written (`store::idempotency`); a retry is
/// answered with that post (`routes::community::replayed`).
fn key_statement(db: &D1Database, p: &NewPost<'_>, table: &str) -> EdgeResult<Option<D1PreparedStatement>> {
    p.key.map(|(key, request)| super::idempotency::remember(db, p.brand, key, request, (table, p.id), super::idempotency::Remembered::Id, p.now)).transpose()
}

/// A post's batch refused: the same `Idempotency-Key` sent twice at once
/// is the first still on its way (409, as a testimonial's).
fn post_error(e: worker::Error, what: &'static str) -> EdgeError {
    if super::idempotency::in_flight(&e) {
        EdgeError::api(kindred_core::ErrorCode::Conflict, "a post with this idempotency key is on its way")
    } else {
        EdgeError::store(what, e)
    }
}

/// The post's webhook delivery, queued only if the post was written (its
/// batch may have refused it: a thread gone, a photo taken meanwhile).
fn notify_statement(db: &D1Database, p: &NewPost<'_>) -> EdgeResult<Option<D1PreparedStatement>> {
    match &p.notify {
        Some((event, url, payload, id)) => Ok(Some(stmt(
            db,
            "INSERT INTO webhook_deliveries (id, brand_id, event, url, payload, next_attempt_at, created_at) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?6 \
             WHERE EXISTS (SELECT 1 FROM threads WHERE id = ?7) OR EXISTS (SELECT 1 FROM replies WHERE id = ?7)",
            &[id.as_str().into(), p.brand.into(), (*event).into(), (*url).into(), payload.as_str().into(), int(p.now), p.id.into()],
        )?)),
        None => Ok(None),
    }
}

/// Inserts a thread; `photo` is its photo's id and view (JSON), attached in
/// the same batch (one transaction); `false` (nothing written) when that
/// photo is no longer free by then (two posts sent at once with it).
pub async fn insert_thread(db: &D1Database, p: NewPost<'_>, title: &str, body: &str, photo: Option<(&str, &str)>) -> EdgeResult<bool> {
    let (photo_id, photo) = (photo.map(|(id, _)| id), photo.map(|(_, view)| view));
    let mut s = vec![stmt(
        db,
        "INSERT INTO threads (id, group_id, brand_id, author_key, author_name, title, body, photo, status, last_activity_at, created_at) \
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10 \
         WHERE ?11 IS NULL OR EXISTS (SELECT 1 FROM photos WHERE id = ?11 AND brand_id = ?3 AND testimonial_id IS NULL AND thread_id IS NULL)",
        &[p.id.into(), p.group.into(), p.brand.into(), p.author_key.into(), p.author_name.into(), title.into(), body.into(), opt(photo), p.status.as_str().into(), int(p.now), opt(photo_id)],
    )?];
    if let Some(id) = photo_id {
        s.push(super::media::attach_to_thread(db, id, p.id, p.brand)?);
    }
    s.push(stmt(db, "UPDATE group_members SET last_seen_at = ?3 WHERE group_id = ?1 AND member_key = ?2", &[p.group.into(), p.author_key.into(), int(p.now)])?);
    s.extend(notify_statement(db, &p)?);
    s.extend(key_statement(db, &p, "threads")?);
    let results = super::batch(db, s).await.map_err(|e| post_error(e, "insert thread"))?;
    Ok(super::first_wrote(&results))
}

/// Adds a reply unless the thread is gone; `false` if it was deleted or hidden
/// in the meantime (checked in the same statement).
pub async fn insert_reply(db: &D1Database, p: NewPost<'_>, thread: &str, body: &str) -> EdgeResult<bool> {
    let mut s = vec![
        stmt(db, "INSERT INTO replies (id, thread_id, group_id, brand_id, author_key, author_name, body, status, created_at) \
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 FROM threads WHERE id = ?2 AND status = 'visible'", &[p.id.into(), thread.into(), p.group.into(), p.brand.into(), p.author_key.into(), p.author_name.into(), body.into(), p.status.as_str().into(), int(p.now)])?,
        // `reply_count` follows by trigger (`replies_on_insert`).
        stmt(db, "UPDATE threads SET last_activity_at = ?3 WHERE id = ?1 AND ?2 = 'visible'", &[thread.into(), p.status.as_str().into(), int(p.now)])?,
        stmt(db, "UPDATE group_members SET last_seen_at = ?3 WHERE group_id = ?1 AND member_key = ?2", &[p.group.into(), p.author_key.into(), int(p.now)])?,
    ];
    s.extend(notify_statement(db, &p)?);
    s.extend(key_statement(db, &p, "replies")?);
    let results = super::batch(db, s).await.map_err(|e| post_error(e, "insert reply"))?;
    Ok(super::first_wrote(&results))
}

/// Sets a reaction on or off, as asked (`community::React::on`), under
/// any of the shopper's keys; returns `on`.
pub async fn set_reaction(db: &D1Database, target: &str, keys: &[String], kind: &str, on: bool, now: i64) -> EdgeResult<bool> {
    let Some(key) = keys.first() else {
        return Err(EdgeError::internal("react", "a caller without a key"));
    };
    let list = super::id_list(&keys.iter().map(String::as_str).collect::<Vec<_>>())?;
    let s = if on {
        stmt(db, sql::REACT_ON, &[target.into(), key.as_str().into(), kind.into(), int(now), list])?
    } else {
        stmt(db, sql::UNREACT, &[target.into(), list, kind.into()])?
    };
    super::changes(s, "set reaction").await?;
    Ok(on)
}

/// Toggles a reaction; returns whether it is now on.
pub async fn react(db: &D1Database, target: &str, keys: &[String], kind: &str, now: i64) -> EdgeResult<bool> {
    let Some(key) = keys.first() else {
        return Err(EdgeError::internal("react", "a caller without a key"));
    };
    // Taken back under whichever of the shopper's keys it was turned on
    // with (`sql::UNREACT`): one turned on as a guest shows pressed to the
    // signed-in shopper (`reacted`), and a tap must take it off (helper-97:
    // it added a second one under the identity's key). In one batch, one
    // transaction: taken back, or else turned on (taps at once each toggle
    // once, `sql::REACT_UNLESS_TAKEN_BACK`).
    let list = super::id_list(&keys.iter().map(String::as_str).collect::<Vec<_>>())?;
    let results = super::batch(db, vec![
        stmt(db, sql::UNREACT, &[target.into(), list, kind.into()])?,
        stmt(db, sql::REACT_UNLESS_TAKEN_BACK, &[target.into(), key.as_str().into(), kind.into(), int(now)])?,
    ])
    .await
    .map_err(|e| EdgeError::store("react", e))?;
    Ok(results.first().is_some_and(|r| super::changed(r) == 0))
}

/// Reaction counts for some targets: (target, kind, count).
pub async fn reaction_counts(db: &D1Database, targets: &[String]) -> EdgeResult<Vec<(String, String, u32)>> {
    if targets.is_empty() {
        return Ok(Vec::new());
    }
    #[derive(Deserialize)]
    struct Row {
        target_id: String,
        kind: String,
        n: i64,
    }
    let args: Vec<JsValue> = targets.iter().map(|t| JsValue::from_str(t)).collect();
    // A page's worth of ids, but any length works: D1 binds at most 100 per statement.
    let rows: Vec<Row> = super::all_in(
        db,
        &[],
        &args,
        sql::reaction_counts,
        "reactions",
    )
    .await?;
    Ok(rows.into_iter().map(|r| (r.target_id, r.kind, u32::try_from(r.n).unwrap_or(0))).collect())
}

/// The reactions any of `keys` turned on among `targets` (post ids):
/// `(target_id, kind)`, sorted, each once (`sql::REACTED`; two keys of
/// one shopper may have turned on the same).
pub async fn reacted(db: &D1Database, targets: &[String], keys: &[String]) -> EdgeResult<Vec<(String, String)>> {
    if targets.is_empty() || keys.is_empty() {
        return Ok(Vec::new());
    }
    #[derive(Deserialize)]
    struct Row {
        target_id: String,
        kind: String,
    }
    let list = |v: &[String]| super::id_list(&v.iter().map(String::as_str).collect::<Vec<_>>());
    let rows: Vec<Row> = all(stmt(db, sql::REACTED, &[list(targets)?, list(keys)?])?, "reacted").await?;
    let mut pairs: Vec<(String, String)> = rows.into_iter().map(|r| (r.target_id, r.kind)).collect();
    pairs.sort();
    pairs.dedup();
    Ok(pairs)
}

/// Files `reporter`'s report of a post, once per member and post; `network`
/// is the keyed hash of the network it came from (`Public::network`;
/// `sql::INSERT_REPORT`).
pub async fn report(db: &D1Database, id: &str, brand: &str, group: &str, kind: PostKind, target: &str, reporter: &str, reason: &str, network: Option<&str>, now: i64) -> EdgeResult<()> {
    changes(
        stmt(db, sql::INSERT_REPORT, &[id.into(), brand.into(), group.into(), kind.as_str().into(), target.into(), reporter.into(), reason.into(), int(now), opt(network)])?,
        "report",
    )
    .await?;
    Ok(())
}

pub use kindred_core::community::{PostQueue, QueuedPost, ReportEntry as ReportRow};

/// `limit` posts of the brand's report queue from the `offset`th on
/// (`sql::REPORT_QUEUE`).
pub async fn reports(db: &D1Database, brand: &str, offset: u32, limit: u32) -> EdgeResult<Vec<ReportRow>> {
    all(stmt(db, sql::REPORT_QUEUE, &[brand.into(), int(i64::from(limit)), int(i64::from(offset))])?, "reports").await
}

/// Moderates a thread or reply of the brand at `now` (Unix ms). A status
/// change (the brand's decision) resolves its reports; a pin alone (which
/// group leads may do) leaves them in the brand's queue. Hiding notes when
/// (`hidden_at`: the hidden queue's order). Deleting a thread deletes its
/// replies that wait for a moderator or are hidden, in the same batch:
/// they leave the queues, and none is shown again under a deleted thread.
pub async fn moderate(db: &D1Database, brand: &str, kind: PostKind, id: &str, status: Option<PostStatus>, pinned: Option<bool>, now: i64) -> EdgeResult<bool> {
    let table = kind.table();
    let set_pinned = if kind == PostKind::Thread { ", pinned = COALESCE(?5, pinned)" } else { "" };
    let mut args: Vec<JsValue> = vec![brand.into(), id.into(), opt(status.map(PostStatus::as_str)), int(now)];
    if table == "threads" {
        args.push(pinned.map_or(JsValue::NULL, |p| int(i64::from(p))));
    }
    let mut statements = vec![
        stmt(db, format!("UPDATE {table} SET status = COALESCE(?3, status), hidden_at = CASE WHEN ?3 = 'hidden' THEN ?4 ELSE hidden_at END{set_pinned} \
             WHERE brand_id = ?1 AND id = ?2 AND status != 'deleted'"), &args)?,
        stmt(db, "UPDATE reports SET resolved = 1, network = NULL WHERE brand_id = ?1 AND target_id = ?2 AND ?3 IS NOT NULL", &[brand.into(), id.into(), opt(status.map(PostStatus::as_str))])?,
    ];
    if kind == PostKind::Thread && status == Some(PostStatus::Deleted) {
        statements.push(stmt(db, "UPDATE replies SET status = 'deleted' WHERE thread_id = ?2 AND status IN ('pending', 'hidden') \
             AND EXISTS (SELECT 1 FROM threads WHERE id = ?2 AND brand_id = ?1 AND status = 'deleted')", &[brand.into(), id.into()])?);
    }
    let results = super::batch(db, statements).await.map_err(|e| EdgeError::store("moderate post", e))?;
    // A reply's thread keeps its count by trigger (`replies_on_status`).
    Ok(super::first_wrote(&results))
}

/// A page of a group's moderation queue from the cursor `after` (the
/// queue's time and id of the last post of the previous page:
/// `PostQueue::cursor`) on, at most `limit` posts (`PostQueue::sql`: at
/// most two pages read). The author as stored (a member key): callers
/// name them by [`kindred_core::community::author_ref`] before it leaves.
pub async fn queued_posts(db: &D1Database, group: &str, queue: PostQueue, after: Option<(i64, String)>, limit: u32) -> EdgeResult<Vec<QueuedPost>> {
    let (sql, from) = queue.sql();
    let (at, id) = after.unwrap_or((from, String::new()));
    all(stmt(db, sql, &[group.into(), int(at), id.as_str().into(), int(i64::from(limit))])?, "moderation queue").await
}

