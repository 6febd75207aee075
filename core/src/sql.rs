//! The statements a shopper's request runs against D1, in one place, so the
//! HTTP suite can hold each to its plan (`EXPLAIN QUERY PLAN` against the
//! migrated local D1: no `SCAN` of a table that grows, no `USE TEMP B-TREE`
//! over an unbounded set) and the edge's store runs exactly these texts.
//!
//! D1 bills by rows read (Cloudflare D1 pricing: "rows read" counts every
//! row a query scans, index entries included), so every statement here reads
//! a number of rows bounded by its page or limit, whatever the size of the
//! brand's data: the migration `0009_bounded_reads.sql` gives each one the
//! index or counter it needs. Parameters are `?1..?N`, bound by the store.

use crate::testimonial::{FeedQuery, Sort};

/// A bound parameter, as D1 takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Text(String),
    Int(i64),
    Null,
}

/// SQL text with its parameters (`?1` is `params[0]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub sql: String,
    pub params: Vec<Value>,
}

/// The columns the public feed selects from `testimonials t`: never the email.
pub const FEED_COLUMNS: &str = "t.id, t.author_name, t.rating, t.title, t.body, t.tags, t.photos, t.verified_buyer, \
     t.ambassador, t.featured, t.helpful_count, t.created_at, t.seq, t.incentivised, t.verified_purchase, \
     t.reply_body, t.reply_at, t.reply_edited_at, t.edited_at, (t.import_source IS NOT NULL AND t.import_source != 'kindred') AS imported, t.lang";

/// The `feed_entries` column each sort orders by first (then newest, then
/// `seq`: the cursor's tie-breakers); each order has its own b-tree (the
/// table's key, `feed_highest`, `feed_helpful`).
pub fn sort_column(sort: Sort) -> &'static str {
    match sort {
        Sort::Newest => "featured",
        Sort::Highest => "rating",
        Sort::Helpful => "helpful_count",
    }
}

fn feed_sql(sort: Sort, cursor: bool) -> String {
    let col = sort_column(sort);
    let after = if cursor { format!(" AND (f.{col}, f.created_at, f.seq) < (?5, ?6, ?7)") } else { String::new() };
    let limit = if cursor { "?8" } else { "?5" };
    // The facet's id is read once, by key. CROSS JOIN keeps `feed_entries`
    // outside: the page is found in its b-tree, then each of its rows is
    // read from `testimonials` by `seq`. The brand and status checks are the
    // truth's word: an entry never shows another brand's testimonial or one
    // that is not approved, even while a counter repair is pending.
    format!(
        "SELECT {FEED_COLUMNS} FROM feed_entries f CROSS JOIN testimonials t ON t.seq = f.seq \
         WHERE f.facet = (SELECT id FROM feed_facets WHERE brand_id = ?1 AND scope = ?2 AND tag = ?3 AND stars = ?4){after} \
         AND t.brand_id = ?1 AND t.status = 'approved' \
         ORDER BY f.{col} DESC, f.created_at DESC, f.seq DESC LIMIT {limit}"
    )
}

/// One page of the public feed and one row more (to know whether there is a
/// next page): approved testimonials of the brand (or of its product), of a
/// tag and/or a star rating, in the query's sort, after its cursor. Reads
/// `2 × (limit + 1)` rows at most: the page's index entries and their rows.
pub fn feed(brand: &str, q: &FeedQuery) -> Statement {
    let mut params = vec![
        Value::Text(brand.to_owned()),
        Value::Text(q.product.as_ref().map(|p| p.as_str().to_owned()).unwrap_or_default()),
        Value::Text(q.tag.clone().unwrap_or_default()),
        Value::Int(q.rating.map_or(0, i64::from)),
    ];
    if let Some(c) = &q.cursor {
        params.extend([Value::Int(c.key), Value::Int(c.created_at), Value::Int(c.seq)]);
    }
    params.push(Value::Int(i64::from(q.limit) + 1));
    Statement { sql: feed_sql(q.sort, q.cursor.is_some()), params }
}

/// The columns syndication adds to [`FEED_COLUMNS`]: when it became
/// reusable, the product (its name and page from `products p`, when the
/// brand gave them) and whether a review request led to it.
pub const SYNDICATION_EXTRA: &str = "t.listed_at, t.product_id, p.name AS product_name, p.url AS product_url, \
     (t.review_request IS NOT NULL) AS solicited";

/// Reusable testimonials for a feed (`crate::syndication`): of the brand
/// `?1` (and product `?2`, when `product`), published and consented, the
/// newest `?3` by `listed_at` through the partial index made for them
/// (`?3` is the page when nothing is filtered, else
/// [`crate::syndication::WALK`]); of those, the ones with `?4`+ stars,
/// with photos when `?5` is 1, with tag `?6` (`''`: any), `?7` of them in
/// `order`; each page's products are read for those `?7` rows only.
pub fn syndication_sql(product: bool, order: crate::syndication::Order) -> String {
    let (index, scope) = if product {
        ("testimonials_reusable_by_product", " AND product_id = ?2")
    } else {
        ("testimonials_reusable", " AND ?2 = ''")
    };
    let order = match order {
        crate::syndication::Order::Newest => "listed_at DESC, seq DESC",
        crate::syndication::Order::Top => "rating DESC, helpful_count DESC, listed_at DESC, seq DESC",
    };
    let outer = order.split(", ").map(|c| format!("t.{c}")).collect::<Vec<_>>().join(", ");
    format!(
        "SELECT {FEED_COLUMNS}, {SYNDICATION_EXTRA} FROM (\
         SELECT * FROM (SELECT * FROM testimonials INDEXED BY {index} \
         WHERE brand_id = ?1{scope} AND status = 'approved' AND reuse_consent_at IS NOT NULL \
         ORDER BY listed_at DESC LIMIT ?3) AS w \
         WHERE w.rating >= ?4 AND (?5 = 0 OR w.photos != '[]') \
         AND (?6 = '' OR EXISTS (SELECT 1 FROM json_each(w.tags) WHERE value = ?6)) \
         ORDER BY {order} LIMIT ?7) AS t \
         LEFT JOIN products p ON p.brand_id = t.brand_id AND p.id = t.product_id \
         ORDER BY {outer}"
    )
}

/// [`syndication_sql`] with its parameters bound for `f` (one row more
/// than `f.limit`, to know whether there are more).
pub fn syndication(brand: &str, f: &crate::syndication::Filter, order: crate::syndication::Order) -> Statement {
    let take = i64::from(f.limit) + 1;
    // Newest first without a filter: the page is the newest rows.
    let walk = if order == crate::syndication::Order::Newest && !f.filters() { take } else { i64::from(crate::syndication::WALK).max(take) };
    Statement {
        sql: syndication_sql(f.product.is_some(), order),
        params: vec![
            Value::Text(brand.to_owned()),
            Value::Text(f.product.as_ref().map(|p| p.as_str().to_owned()).unwrap_or_default()),
            Value::Int(walk),
            Value::Int(i64::from(f.min_rating)),
            Value::Int(i64::from(f.photos)),
            Value::Text(f.tag.clone().unwrap_or_default()),
            Value::Int(take),
        ],
    }
}

/// One reusable testimonial by id (`?2`) for its share page, if it is the
/// brand's (`?1`), published and its author agreed to its reuse.
pub fn shared_testimonial() -> String {
    format!(
        "SELECT {FEED_COLUMNS}, {SYNDICATION_EXTRA} \
         FROM testimonials t LEFT JOIN products p ON p.brand_id = t.brand_id AND p.id = t.product_id \
         WHERE t.id = ?2 AND t.brand_id = ?1 AND t.status = 'approved' AND t.reuse_consent_at IS NOT NULL"
    )
}

/// `(rating, n)` for stars 1..5 of a scope (`?1` brand, `?2` product or ''
/// for the whole brand): the rating histogram, five counter rows.
pub const RATING_COUNTS: &str =
    "SELECT stars AS rating, n FROM feed_facets WHERE brand_id = ?1 AND scope = ?2 AND tag = '' AND stars BETWEEN 1 AND 5";

/// The scope's most used tags (`?3` of them), most used first.
pub const TOP_TAGS: &str = "SELECT tag, n FROM feed_facets WHERE brand_id = ?1 AND scope = ?2 AND stars = 0 AND tag != '' AND n > 0 \
     ORDER BY n DESC, tag LIMIT ?3";

/// The stored "what reviews mention" summary of a scope (`?1` brand, `?2`
/// product or ''): `summary`, `core::aspects::AspectSummary` as JSON.
pub const ASPECTS: &str = "SELECT summary FROM review_aspects WHERE brand_id = ?1 AND scope = ?2";

/// The cron job's next scopes to rebuild (`?1` of them), failed ones last.
pub const ASPECTS_DUE: &str = "SELECT brand_id, scope, gen FROM review_aspects_due ORDER BY attempts LIMIT ?1";

/// A brand's (`?1`) published reviews, newest first, at most `?2`, each
/// cut to `?3` characters: the brand-wide summary's input.
pub const ASPECTS_BRAND_REVIEWS: &str = "SELECT rating, substr(title, 1, ?3) AS title, substr(body, 1, ?3) AS body FROM testimonials \
     WHERE brand_id = ?1 AND status = 'approved' ORDER BY created_at DESC LIMIT ?2";

/// A product's (`?1` brand, `?4` product) published reviews, as above.
pub const ASPECTS_PRODUCT_REVIEWS: &str = "SELECT rating, substr(title, 1, ?3) AS title, substr(body, 1, ?3) AS body FROM testimonials \
     WHERE brand_id = ?1 AND product_id = ?4 AND status = 'approved' ORDER BY created_at DESC LIMIT ?2";

/// `n` = 1 when the brand has a group (one index entry read, not a count).
pub const HAS_GROUPS: &str = "SELECT EXISTS (SELECT 1 FROM groups WHERE brand_id = ?1) AS n";

/// A group's columns with its member count (a counter, `groups.member_count`).
macro_rules! group_columns {
    () => {
        "id, brand_id, name, description, visibility, moderation, product_id, member_count AS members, tag"
    };
}
pub const GROUP_COLUMNS: &str = group_columns!();

/// The most groups a brand's list shows (`GROUPS`).
pub const GROUPS_MAX: i64 = 200;

/// A brand's groups, oldest first, at most `?2`.
pub const GROUPS: &str = concat!("SELECT ", group_columns!(), " \
     FROM groups WHERE brand_id = ?1 ORDER BY created_at LIMIT ?2");

/// The most unread threads counted per group; the widget shows "99+" above
/// it. A counter per member would cost a write per member on every post, so
/// unread threads are counted through `threads_by_activity`, up to the cap.
pub const UNREAD_CAP: i64 = 100;

/// The caller's memberships in the brand's (`?1`) groups, each with its
/// unread threads counted up to `?3` (`UNREAD_CAP`). The caller is known by
/// up to two keys: `?2` the one that says who they are (`id:<customer>`
/// when the brand vouched for them, else `m:<member token>`) and `?4` the
/// other (their browser's token; `?2` again when there is none). A
/// membership under either counts, unless the brand took them out of the
/// group (`group_removals`) under `?2`.
pub const MEMBERSHIPS: &str = "SELECT m.group_id, m.role, m.last_seen_at, \
     (SELECT COUNT(*) FROM (SELECT 1 FROM threads t WHERE t.group_id = m.group_id AND t.status = 'visible' \
       AND t.last_activity_at > m.last_seen_at LIMIT ?3)) AS unread \
     FROM group_members m JOIN groups g ON g.id = m.group_id WHERE m.member_key IN (?2, ?4) AND g.brand_id = ?1 \
       AND NOT EXISTS (SELECT 1 FROM group_removals r WHERE r.group_id = m.group_id AND r.member_key = ?2)";

/// The caller's membership of group `?1`, by either of their keys (`?2`
/// the one that says who they are, `?3` the other, as in
/// [`MEMBERSHIPS`]): at most two rows, `member_key` says which (the
/// `id:` one is theirs before their browser's). `removed` is 1 when
/// the brand took them out of it under `?2`; `unlinked` is 1 when a
/// signed-in caller's token holds a membership not yet noted as theirs
/// (`alt_key`: joined signed out, so a removal by their customer id
/// reaches it).
pub const MEMBERSHIP: &str = "SELECT m.group_id, m.member_key, m.display_name, m.role, m.last_seen_at, 0 AS unread, \
     EXISTS (SELECT 1 FROM group_removals r WHERE r.group_id = ?1 AND r.member_key = ?2) AS removed, \
     EXISTS (SELECT 1 FROM group_members u WHERE u.group_id = ?1 AND u.member_key = ?3 AND ?3 <> ?2 AND ?2 LIKE 'id:%' AND u.alt_key IS NULL) AS unlinked \
     FROM group_members m WHERE m.group_id = ?1 AND m.member_key IN (?2, ?3)";

/// A list of the brand's decisions about members in `$table`
/// (`member_blocks` or `group_removals`) for `$scope` = `?1` (its brand or
/// its group): one row per decision (the key it reached the member by,
/// `via`, and the name the brand gave them, `named`), as
/// [`crate::community::Restriction`], newest first (then by name, down),
/// at most `?2`, from the page's cursor on (older than `?3`, or as old with
/// a name below `?4`; the first page: `i64::MAX`, `''`), with the name on the post
/// named, else on a membership under the key, else on a post written
/// signed in by that customer (the brand sees those by customer id
/// anyway); never a name a customer used signed out, which would tie
/// their customer id to a browser. Decisions named by a customer id, a
/// post or `legacy:` are listed; never one named by a member token (an
/// API client may still name one `m:<token>`).
macro_rules! restrictions {
    ($table:literal, $scope:literal) => {
        concat!(
            "SELECT named AS member_key, MIN(created_at) AS created_at, \
             COALESCE((SELECT NULLIF(t.author_name, '') FROM threads t WHERE named LIKE 'post:%' AND t.id = substr(named, 6)), \
               (SELECT NULLIF(p.author_name, '') FROM replies p WHERE named LIKE 'post:%' AND p.id = substr(named, 6)), \
               (SELECT m.display_name FROM group_members m WHERE m.member_key = via AND +m.brand_id = r.brand_id LIMIT 1), \
               (SELECT NULLIF(t.author_name, '') FROM threads t WHERE via LIKE 'id:%' AND t.brand_id = r.brand_id AND t.author_key = via LIMIT 1)) AS name \
             FROM ", $table, " r WHERE r.", $scope, " = ?1 AND (named LIKE 'post:%' OR named LIKE 'id:%' OR named LIKE 'legacy:%') \
             GROUP BY via, named HAVING MIN(created_at) < ?3 OR (MIN(created_at) = ?3 AND named < ?4) \
             ORDER BY created_at DESC, named DESC LIMIT ?2"
        )
    };
}

/// A page of brand `?1`'s report queue (`crate::community::ReportList`):
/// open reports grouped by post, reported from the most networks first
/// (`network_group`: a post's reports from one network share one, kept
/// after the network's hash is forgotten; a report without one, written
/// before they were kept, is a network of its own), then the most
/// reported, then first reported, then by id; `?2` posts from the
/// `?3`rd on (`crate::community::parse_report_cursor`: an offset, so a
/// cursor says nothing of a post's networks, helper-94), each with its
/// words, author and group, its latest reason, all its reasons (joined by
/// U+001F: `crate::community::ReportEntry::reasons`) and its reports.
/// The grouping reads the brand's open reports (`reports_export`,
/// brand_id) on every page, so an offset costs what a key would: a
/// decision on a post resolves them.
pub const REPORT_QUEUE: &str = "SELECT q.id, q.group_id, COALESCE(g.name, '') AS group_name, q.target_type, q.target_id, \
     COALESCE(t.title, '') AS title, substr(COALESCE(t.body, rp.body, ''), 1, 280) AS excerpt, \
     COALESCE(t.author_name, rp.author_name, '') AS author_name, q.reason, q.reasons, q.created_at, q.reports \
     FROM (SELECT MIN(id) AS id, group_id, target_type, target_id, MIN(created_at) AS created_at, COUNT(*) AS reports, \
     COUNT(DISTINCT COALESCE(network_group, id)) AS networks, group_concat(reason, char(31)) AS reasons, \
     (SELECT l.reason FROM reports l WHERE l.target_id = reports.target_id AND l.resolved = 0 ORDER BY l.created_at DESC, l.id DESC LIMIT 1) AS reason \
     FROM reports WHERE brand_id = ?1 AND resolved = 0 GROUP BY target_id \
     ORDER BY networks DESC, reports DESC, created_at, target_id LIMIT ?2 OFFSET ?3) AS q \
     LEFT JOIN threads t ON q.target_type = 'thread' AND t.id = q.target_id \
     LEFT JOIN replies rp ON q.target_type = 'reply' AND rp.id = q.target_id \
     LEFT JOIN groups g ON g.id = q.group_id \
     ORDER BY q.networks DESC, q.reports DESC, q.created_at, q.target_id";

/// Files a report (`?1` id, `?2` brand, `?3` group, `?4` `thread` or
/// `reply`, `?5` post, `?6` reporter, `?7` reason, `?8` at, `?9` the
/// keyed hash of its network or NULL), once per member and post
/// (`UNIQUE (target_id, reporter)`); its `network_group` is that of the
/// post's open reports from the same network, else its own id.
pub const INSERT_REPORT: &str = "INSERT OR IGNORE INTO reports \
     (id, brand_id, group_id, target_type, target_id, reporter, reason, created_at, network, network_group) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, \
     COALESCE((SELECT MIN(o.network_group) FROM reports o WHERE o.target_id = ?5 AND o.network = ?9 AND o.resolved = 0), ?1))";

/// The brand's (`?1`) blocks ([`restrictions`]).
pub const BLOCKS: &str = restrictions!("member_blocks", "brand_id");

/// The removals from group `?1` ([`restrictions`]).
pub const REMOVALS: &str = restrictions!("group_removals", "group_id");

/// Lifting decisions in `$table` for `$scope` = `?1` (each statement reads
/// through its own index): those the brand made under the name `?2` (a
/// post, or `legacy:<id>`), or every one that reached the member by the key
/// `?2` (a customer id). Naming a post lifts only the decisions made by
/// naming that post, so lifting tells the brand nothing about who wrote
/// which anonymous post.
macro_rules! lift {
    ($table:literal, $scope:literal) => {
        [concat!("DELETE FROM ", $table, " WHERE ", $scope, " = ?1 AND named = ?2"), concat!("DELETE FROM ", $table, " WHERE ", $scope, " = ?1 AND via = ?2")]
    };
}

/// [`lift`] statements for the brand's blocks: by name, by a customer's key.
pub const UNBLOCK: [&str; 2] = lift!("member_blocks", "brand_id");

/// [`lift`] statements for a group's removals, as [`UNBLOCK`].
pub const READMIT: [&str; 2] = lift!("group_removals", "group_id");

/// Thread columns.
macro_rules! thread_columns {
    () => {
        "id, group_id, author_key, author_name, title, body, photo, status, pinned, reply_count, last_activity_at, created_at, \
         reply_body, reply_at, reply_edited_at"
    };
}
pub const THREAD_COLUMNS: &str = thread_columns!();

/// A group's (`?1`) threads the viewer (`?2`) may see, pinned first, then by
/// latest activity, after the cursor `(?3 pinned, ?4 activity, ?5 id)`, at
/// most `?6`: the visible ones through `threads_by_group` and the viewer's
/// own pending ones through `threads_pending_by_author`, each arm limited to
/// the page, so the final sort orders at most two pages.
pub const THREADS: &str = concat!("SELECT ", thread_columns!(), " FROM (\
     SELECT * FROM (SELECT * FROM threads WHERE group_id = ?1 AND status = 'visible' AND (pinned, last_activity_at, id) < (?3, ?4, ?5) \
       ORDER BY pinned DESC, last_activity_at DESC, id DESC LIMIT ?6) \
     UNION ALL \
     SELECT * FROM (SELECT * FROM threads WHERE group_id = ?1 AND status = 'pending' AND author_key = ?2 AND (pinned, last_activity_at, id) < (?3, ?4, ?5) \
       ORDER BY pinned DESC, last_activity_at DESC, id DESC LIMIT ?6)) \
     ORDER BY pinned DESC, last_activity_at DESC, id DESC LIMIT ?6");

/// A group's (`?1`) posts with status `$status` (threads as
/// `<title>: <body>`, and replies), in `$time, id` order `$dir` from the
/// cursor `(?2 time, ?3 id)` on (`$cmp`), at most `?4`
/// ([`crate::community::QueuedPost`]'s columns, `at` the time ordered by).
/// Each arm reads at most a page through its partial index
/// (`{threads,replies}_{status}_by_group`, migrations 0044 and 0046), so
/// the final sort orders at most two pages.
macro_rules! group_queue {
    ($status:literal, $time:literal, $cmp:literal, $dir:literal) => {
        concat!(
            "SELECT kind, id, author_key, author_name, body, created_at, hidden_at FROM (\
             SELECT * FROM (SELECT 'thread' AS kind, id, author_key, author_name, title || ': ' || body AS body, created_at, hidden_at, ", $time, " AS at FROM threads \
               WHERE group_id = ?1 AND status = '", $status, "' AND (", $time, ", id) ", $cmp, " (?2, ?3) ORDER BY ", $time, " ", $dir, ", id ", $dir, " LIMIT ?4) \
             UNION ALL \
             SELECT * FROM (SELECT 'reply' AS kind, id, author_key, author_name, body, created_at, hidden_at, ", $time, " AS at FROM replies \
               WHERE group_id = ?1 AND status = '", $status, "' AND (", $time, ", id) ", $cmp, " (?2, ?3) ORDER BY ", $time, " ", $dir, ", id ", $dir, " LIMIT ?4)) \
             ORDER BY at ", $dir, ", id ", $dir, " LIMIT ?4"
        )
    };
}

/// A group's posts awaiting approval, oldest first, after the cursor
/// ([`group_queue`] by `created_at`; `i64::MIN` and '' for the first page).
pub const PENDING_POSTS: &str = group_queue!("pending", "created_at", ">", "ASC");

/// A group's hidden posts, hidden last first, before the cursor
/// ([`group_queue`] by `hidden_at`; `i64::MAX` and '' for the first page).
pub const HIDDEN_POSTS: &str = group_queue!("hidden", "hidden_at", "<", "DESC");

/// Reply columns.
macro_rules! reply_columns {
    () => {
        "id, thread_id, group_id, author_key, author_name, body, status, created_at"
    };
}
pub const REPLY_COLUMNS: &str = reply_columns!();

/// A thread's (`?1`) replies the viewer (`?2`) may see, newest first,
/// before `(?3 created_at, ?4 id)` (`i64::MAX` and '' for the newest), at
/// most `?5`: the visible ones through `replies_by_thread_status` and the
/// viewer's own pending ones through `replies_pending_by_author`, each arm
/// limited to the page (hidden replies are never read).
pub const REPLIES: &str = concat!("SELECT ", reply_columns!(), " FROM (\
     SELECT * FROM (SELECT * FROM replies WHERE thread_id = ?1 AND status = 'visible' AND (created_at, id) < (?3, ?4) \
       ORDER BY created_at DESC, id DESC LIMIT ?5) \
     UNION ALL \
     SELECT * FROM (SELECT * FROM replies WHERE thread_id = ?1 AND status = 'pending' AND author_key = ?2 AND (created_at, id) < (?3, ?4) \
       ORDER BY created_at DESC, id DESC LIMIT ?5)) \
     ORDER BY created_at DESC, id DESC LIMIT ?5");

/// Reaction counts (counters, `reaction_counts`) of the targets in `list`
/// (placeholders), e.g. `"?1, ?2"`.
pub fn reaction_counts(list: &str) -> String {
    format!("SELECT target_id, kind, n FROM reaction_counts WHERE target_id IN ({list}) AND n > 0 ORDER BY target_id, kind")
}

/// The reactions the caller turned on among posts: `(target_id, kind)` of
/// the posts in `?1` (a JSON array of ids: a thread and its page of
/// replies) by any of the member keys in `?2` (a JSON array: who they are
/// and the member token they may have reacted with before). The primary
/// key (target_id, member_key, kind) finds each pair; one statement
/// whatever the page's length (D1 binds at most 100 parameters). In no
/// order (an ORDER BY would sort in a temporary b-tree: the caller sorts).
pub const REACTED: &str = "SELECT target_id, kind FROM reactions \
     WHERE target_id IN (SELECT value FROM json_each(?1)) AND member_key IN (SELECT value FROM json_each(?2))";

/// Takes back the reaction `?3` on post `?1` under any of the member keys
/// in `?2` (a JSON array: the shopper's keys), through the primary key.
pub const UNREACT: &str = "DELETE FROM reactions WHERE target_id = ?1 AND kind = ?3 AND member_key IN (SELECT value FROM json_each(?2))";

/// Turns member `?2`'s reaction `?3` on post `?1` on at `?4` (ms), unless
/// one of the shopper's keys (`?5`, a JSON list) has it on already (a
/// reaction asked for as a state: `community::React::on`).
pub const REACT_ON: &str = "INSERT OR IGNORE INTO reactions (target_id, member_key, kind, created_at) SELECT ?1, ?2, ?3, ?4 \
     WHERE NOT EXISTS (SELECT 1 FROM reactions WHERE target_id = ?1 AND kind = ?3 AND member_key IN (SELECT value FROM json_each(?5)))";

/// Right after [`UNREACT`], in its batch (one transaction): turns the
/// reaction `?3` on post `?1` on under key `?2` at `?4` (ms) if `UNREACT`
/// took none back. SQLite's `changes()` is the rows the previous statement
/// changed itself (<https://sqlite.org/lang_corefunc.html#changes>), so a
/// tap is one toggle whatever runs beside it (helper-100: six taps at once,
/// each a read then a write, ended on).
pub const REACT_UNLESS_TAKEN_BACK: &str = "INSERT OR IGNORE INTO reactions (target_id, member_key, kind, created_at) SELECT ?1, ?2, ?3, ?4 WHERE changes() = 0";

/// The counts of a brand's conversions the fraud rules decide a purchase
/// on (`crate::referral::ConversionSignals`), as three scalar subqueries:
/// `$brand` and `$buyer` (the buyer's canonical address) give their
/// earlier purchases without a referral (`already_customer`) and their
/// referred ones not rejected (`already_referred`); `$referrer` and
/// `$since` (ms) the code's conversions not rejected since then (the
/// velocity rule's day). Through `conversions_by_referee` and
/// `conversions_by_referrer`.
macro_rules! conversion_counts {
    ($brand:literal, $buyer:literal, $referrer:literal, $since:literal) => {
        [
            concat!("(SELECT COUNT(*) FROM conversions WHERE brand_id = ", $brand, " AND referee_canonical = ", $buyer, " AND referrer_id IS NULL)"),
            concat!("(SELECT COUNT(*) FROM conversions WHERE brand_id = ", $brand, " AND referee_canonical = ", $buyer, " AND referrer_id IS NOT NULL AND status != 'rejected')"),
            concat!("(SELECT COUNT(*) FROM conversions WHERE referrer_id = ", $referrer, " AND status != 'rejected' AND created_at >= ", $since, ")"),
        ]
    };
}

/// The counts a purchase's fraud rules read (`conversion_counts!`): brand
/// `?1`, buyer `?2` (NULL: none), referrer `?3`, since `?4` (ms): one row,
/// `earlier_purchases`, `earlier_referred`, `code_conversions`.
pub fn conversion_facts() -> String {
    let [purchases, referred, code] = conversion_counts!("?1", "?2", "?3", "?4");
    format!("SELECT {purchases} AS earlier_purchases, {referred} AS earlier_referred, {code} AS code_conversions")
}

/// Files a purchase (`?1` id, `?2` brand, `?3` order, `?4` referrer or
/// NULL, `?5` the buyer's canonical address or NULL, `?6` amount in minor
/// units, `?7` currency, `?8` status, `?9` reason, `?10` hold until, `?11`
/// now, ms) decided on the counts `?12`, `?13`, `?14` that
/// [`conversion_facts`] read (since `?11` less a day), only if they are
/// still those: a purchase reported at the same moment as another of the
/// same buyer or code was decided on counts that did not have it
/// (helper-100: ten orders at once were all approved, past the day's
/// limit; one friend's six at once earned six rewards). Nothing is written
/// then (no row changed), and the caller decides again on the new counts.
/// `?12` NULL: a purchase without a code, decided on nothing. The order
/// id's UNIQUE index still turns a second report of the order away.
pub fn insert_conversion() -> String {
    let [purchases, referred, code] = conversion_counts!("?2", "?5", "?4", "?11 - 86400000");
    format!(
        "INSERT INTO conversions (id, brand_id, order_id, referrer_id, referee_canonical, amount_minor, currency, status, reason, hold_until, created_at, decided_at) \
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, CASE WHEN ?8 = 'held' THEN NULL ELSE ?11 END \
         WHERE ?12 IS NULL OR ({purchases} = ?12 AND {referred} = ?13 AND {code} = ?14)"
    )
}

/// A conversion as the admin routes show it (`referral::ConversionView`):
/// its referrer's code and its reward beside it.
pub const CONVERSION_SELECT: &str = "SELECT c.id, c.order_id, c.referrer_id, c.status, c.reason, c.hold_until, c.created_at, r.code, c.amount_minor, c.currency, \
     w.coupon_code, w.state AS reward_state, w.created_at AS reward_created_at \
     FROM conversions c LEFT JOIN referrers r ON r.id = c.referrer_id LEFT JOIN rewards w ON w.conversion_id = c.id";

/// The `"{ms}.{key}"` page after `?2` (ms) and `?3` (key) of a list newest
/// first (`crate::page`), `$at` and `$key` its columns: the range on
/// `$at` seeks in the index, the row value leaves out the entries of that
/// same moment already shown.
macro_rules! after {
    ($at:literal, $key:literal) => {
        concat!(" AND ", $at, " <= ?2 AND (", $at, ", ", $key, ") < (?2, ?3) ORDER BY ", $at, " DESC, ", $key, " DESC LIMIT ?4")
    };
}

/// A page of brand `?1`'s conversions, newest first, after `?2`, `?3`
/// (`crate::page`), `?4` rows; with `by_status`, only those with status
/// `?5`. Through `conversions_listed` and `conversions_listed_by_status`
/// (migration 0055; helper-100: the list stopped at 200 without a cursor,
/// and held conversions past it were approved at their deadline unseen).
pub fn conversions_page(by_status: bool) -> String {
    let status = if by_status { " AND c.status = ?5" } else { "" };
    format!("{CONVERSION_SELECT} WHERE c.brand_id = ?1{status}{}", after!("c.created_at", "c.id"))
}

/// A page of brand `?1`'s referrers with their counts, newest first, after
/// `?2`, `?3` (ms, code; `crate::page`), `?4` rows. Through
/// `referrers_listed` (migration 0055).
pub const REFERRERS_PAGE: &str = concat!(
    "SELECT code, name, email, created_at, clicks, friends, purchases FROM referrers WHERE brand_id = ?1",
    after!("created_at", "code")
);

/// The columns of a webhook delivery (`webhook::Delivery`).
pub const DELIVERY_COLUMNS: &str = "id, brand_id, event, url, payload, attempts, status, last_status, last_error, last_duration_ms, last_attempt_at, next_attempt_at, created_at";

/// A page of brand `?1`'s webhook delivery log, newest first, after `?2`,
/// `?3` (ms, id; `crate::page`), `?4` rows; with `by_status`, only those
/// with status `?5`. Through `deliveries_listed` and
/// `deliveries_listed_by_status` (migration 0055).
pub fn deliveries_page(by_status: bool) -> String {
    let status = if by_status { " AND status = ?5" } else { "" };
    format!("SELECT {DELIVERY_COLUMNS} FROM webhook_deliveries WHERE brand_id = ?1{status}{}", after!("created_at", "id"))
}

/// Adds codes `?3` (a JSON list, no two alike but for case:
/// `referral::CouponUpload::validate`) to brand `?1`'s pool `?2` at `?4`
/// (ms), each unless the brand holds it already, in either pool and in
/// any case (a code is one coupon, and shops read codes without case:
/// `referral::same_coupon`); answers the codes added. Through
/// `coupons_by_code_nocase` (migration 0057). One bound list, whatever
/// the upload's size (D1: 100 bound parameters a statement).
pub const ADD_COUPONS: &str = "INSERT OR IGNORE INTO coupons (brand_id, kind, code, created_at) \
     SELECT ?1, ?2, value, ?4 FROM json_each(?3) j \
     WHERE NOT EXISTS (SELECT 1 FROM coupons c WHERE c.brand_id = ?1 AND c.code = j.value COLLATE NOCASE) RETURNING code";

/// Which of codes `?3` (a JSON list) brand `?1` holds in a pool other than
/// `?2`, in any case, named as `?3` spells them; through
/// `coupons_by_code_nocase`.
pub const COUPONS_IN_OTHER_POOL: &str = "SELECT j.value AS code FROM json_each(?3) j \
     WHERE EXISTS (SELECT 1 FROM coupons c WHERE c.brand_id = ?1 AND c.code = j.value COLLATE NOCASE AND c.kind != ?2)";

/// A referrer's (`?1`) counters: clicks, friends, purchases.
pub const REFERRER_COUNTS: &str = "SELECT clicks, friends, purchases FROM referrers WHERE id = ?1";

/// The newest rewards of a referrer (`?1`), at most 50.
pub const REFERRER_REWARDS: &str = "SELECT coupon_code, state, created_at FROM rewards WHERE referrer_id = ?1 ORDER BY created_at DESC LIMIT 50";

/// The most approved testimonials counted for an ambassador tier; a tier
/// may not ask for more (`referral::TIER_TESTIMONIALS_MAX`).
pub const AUTHOR_TESTIMONIALS_CAP: i64 = 100;

/// Which of brand `?1`'s approved testimonials are a referrer's own, as
/// [`referrer_voice`] finds them (and `crate::privacy` "mine"): with a
/// brand identity (`?2` its `sub`, `?3` NULL), those written under it;
/// without one (`?2` NULL, `?3` their member token, `?4` the canonical
/// email they joined with), those written in the same browser, without an
/// identity, with that email. Never by an email alone: anyone can type an
/// ambassador's email into the review form.
///
/// A macro, so the statements below are `concat!`ed constants: `SELECT seq`
/// of those testimonials, as two arms joined by `UNION ALL`, each read
/// through its own partial index (`testimonials_voice_by_identity`,
/// `testimonials_voice_by_member`). As one `WHERE` with an `OR`, SQLite
/// planned a walk of every approved testimonial of the brand (bound
/// parameters leave it no way to drop an arm). Its four arguments are what
/// stands for the brand, the identity, the member token and the canonical
/// email: `?1` to `?4` (the caller binds `?3` NULL when `?2` is set, so
/// the member arm finds nothing for a signed-in referrer), or a referrer
/// `r`'s columns (the member arm then asks that `r` has no identity).
macro_rules! referrers_own {
    () => {
        referrers_own!(guard = "", "?1", "?2", "?3", "?4")
    };
    ($brand:literal, $identity:literal, $member:literal, $email:literal) => {
        referrers_own!(guard = concat!($identity, " IS NULL AND "), $brand, $identity, $member, $email)
    };
    (guard = $guard:expr, $brand:literal, $identity:literal, $member:literal, $email:literal) => {
        concat!(
            "SELECT seq FROM testimonials WHERE ", own_arm!(identity, "", $brand, $identity),
            " UNION ALL SELECT seq FROM testimonials WHERE ", own_arm!(member, "", $guard, $brand, $member, $email)
        )
    };
}

/// One arm of `referrers_own!`'s rule, as a condition on testimonial
/// columns prefixed `$t` (`"t."`, or `""`): `identity`, written under the
/// referrer's brand identity; `member`, for a referrer without one
/// (`$guard` says so, or is empty where the caller binds no member token
/// then), written in their browser with their email and no identity.
macro_rules! own_arm {
    (identity, $t:literal, $brand:literal, $identity:literal) => {
        concat!($t, "brand_id = ", $brand, " AND ", $t, "status = 'approved' AND ", $t, "identity_sub = ", $identity)
    };
    (member, $t:literal, $guard:expr, $brand:literal, $member:literal, $email:literal) => {
        concat!(
            $guard, $t, "brand_id = ", $brand, " AND ", $t, "status = 'approved' AND ", $t, "member_token = ", $member,
            " AND ", $t, "identity_sub IS NULL AND ", $t, "author_email_canonical = ", $email
        )
    };
}

/// A referrer `r`'s own approved testimonials (`referrers_own!`), counted
/// up to [`AUTHOR_TESTIMONIALS_CAP`]: as [`AUTHOR_TESTIMONIALS`] counts them
/// for a referrer bound as parameters.
macro_rules! referrers_count {
    () => {
        concat!("(SELECT COUNT(*) FROM (", referrers_own!("r.brand_id", "r.identity_sub", "r.member_token", "r.canonical_email"), " LIMIT 100))")
    };
}

/// Whether referrer `r` (of the enclosing statement) reaches one of the
/// tiers in `$tiers` (a JSON array of `crate::referral::Tier`, the
/// brand's as its row holds them: `brand_tiers!`): `crate::referral::tier`'s rule, both
/// thresholds met, by their approved referred purchases (`r.purchases`)
/// and their own approved testimonials (`referrers_count!`).
macro_rules! reaches_tier {
    ($tiers:expr) => {
        concat!(
            "EXISTS (SELECT 1 FROM json_each(", $tiers, ") k WHERE r.purchases >= json_extract(k.value, '$.referrals') \
             AND json_extract(k.value, '$.testimonials') <= ", referrers_count!(), ")"
        )
    };
}

/// The approved testimonials (`seq`) of the referrers `r` that
/// `$referrers` picks and who reach a tier of `$tiers` (`reaches_tier!`):
/// where an ambassador badge belongs. One arm per `own_arm!`, each named
/// its index (the planner, left alone, read the identity arm through
/// `testimonials_holds`: every approved testimonial of the brand).
macro_rules! ambassadors_reviews {
    ($tiers:expr, $referrers:expr) => {
        concat!(
            "SELECT t.seq FROM referrers r JOIN testimonials t INDEXED BY testimonials_voice_by_identity ON ",
            own_arm!(identity, "t.", "r.brand_id", "r.identity_sub"),
            " WHERE ", $referrers, " AND ", reaches_tier!($tiers),
            " UNION ALL SELECT t.seq FROM referrers r JOIN testimonials t INDEXED BY testimonials_voice_by_member ON ",
            own_arm!(member, "t.", "r.identity_sub IS NULL AND ", "r.brand_id", "r.member_token", "r.canonical_email"),
            " WHERE ", $referrers, " AND ", reaches_tier!($tiers)
        )
    };
}

/// The referrers who wrote brand `?1`'s testimonial `?2` (whatever its
/// status), by `referrers_own!`'s rule read from the review's side: one
/// arm per author index of `referrers`.
macro_rules! review_owners {
    () => {
        "SELECT r1.id FROM testimonials x JOIN referrers r1 ON r1.brand_id = x.brand_id AND r1.identity_sub = x.identity_sub \
         WHERE x.brand_id = ?1 AND x.id = ?2 \
         UNION ALL SELECT r2.id FROM testimonials x JOIN referrers r2 ON r2.brand_id = x.brand_id AND r2.member_token = x.member_token \
         AND r2.identity_sub IS NULL AND r2.canonical_email = x.author_email_canonical \
         WHERE x.brand_id = ?1 AND x.id = ?2 AND x.identity_sub IS NULL"
    };
}

/// Brand `?1`'s ambassador tiers as its row holds them when the statement
/// runs (a JSON array of `crate::referral::Tier`), or `$default` (bound to
/// `crate::referral::default_tiers` as JSON) for a brand that never set
/// them, as `ReferralConfig` reads its row: the badge statements read them
/// there, not from the request, so an approval that commits after a tier
/// change (made through another isolate, or read from a replica behind
/// the primary) badges by the new tiers.
macro_rules! brand_tiers {
    ($default:literal) => {
        concat!("COALESCE((SELECT json_extract(referral_config, '$.tiers') FROM brands WHERE id = ?1), ", $default, ")")
    };
}

/// With each approval of brand `?1`'s testimonial `?2`, in its batch:
/// when the referrers who wrote it (`review_owners!`) reach a tier of the
/// brand's (`brand_tiers!`, `?3` the default tiers), every approved testimonial of theirs gets
/// the ambassador badge. So an ambassador's new review has it from its
/// first view, and the review that completes a tier's testimonials gives
/// it to the others too.
pub const MARK_AMBASSADOR_OF_REVIEW: &str =
    concat!("UPDATE testimonials SET ambassador = 1 WHERE ambassador = 0 AND seq IN (", ambassadors_reviews!(brand_tiers!("?3"), concat!("r.id IN (", review_owners!(), ")")), ")");


/// Gives or takes the ambassador badge on a referrer's own approved
/// testimonials (`referrers_own!`, `?1` to `?4`) as referrer `?5` reaches
/// a tier of brand `?1`'s or not (`reaches_tier!`), by the tiers its row
/// holds when this runs (`brand_tiers!`, `?6` the default tiers): after a
/// change that can move a referrer across a tier (a purchase approved, a
/// review rejected, an edit that holds one again), so a tier change that
/// lands while such a request runs cannot leave badges by the old tiers.
/// Only the testimonials whose badge is wrong are written (`1 - ambassador`
/// flips one whose badge differs from whether the referrer reaches a tier:
/// the count is 0 or 1, `r.id` being unique).
pub const JUDGE_AMBASSADOR: &str = concat!(
    "UPDATE testimonials SET ambassador = 1 - ambassador WHERE seq IN (",
    referrers_own!(),
    ") AND ambassador <> (SELECT COUNT(*) FROM referrers r WHERE r.id = ?5 AND ",
    reaches_tier!(brand_tiers!("?6")),
    ")"
);

/// Brand `?1`'s ambassador badges taken away (with [`MARK_AMBASSADORS`],
/// in one batch, when its tiers change).
pub const CLEAR_AMBASSADORS: &str = "UPDATE testimonials SET ambassador = 0 WHERE brand_id = ?1 AND ambassador = 1";

/// Brand `?1`'s ambassador badges as its tiers (`brand_tiers!`, as stored
/// when this runs; `?2` the default tiers) give them, after [`CLEAR_AMBASSADORS`]: on every
/// approved testimonial of each referrer who reaches a tier, found among
/// the referrers with at least the tiers' lowest `referrals` approved
/// purchases (none without tiers).
pub const MARK_AMBASSADORS: &str = concat!(
    "UPDATE testimonials SET ambassador = 1 WHERE ambassador = 0 AND seq IN (",
    ambassadors_reviews!(brand_tiers!("?2"), concat!("r.brand_id = ?1 AND r.purchases >= (SELECT MIN(json_extract(value, '$.referrals')) FROM json_each(", brand_tiers!("?2"), "))")),
    ")"
);

/// A referrer's approved testimonials (`referrers_own!`, `?1` to `?4`),
/// counted up to `?5` (`AUTHOR_TESTIMONIALS_CAP`).
pub const AUTHOR_TESTIMONIALS: &str = concat!("SELECT COUNT(*) AS n FROM (", referrers_own!(), " LIMIT ?5)");

/// The brand's (`?1`) top `?2` referrers by approved purchases (`n`), each
/// with their own approved testimonials (`testimonials`, up to 100:
/// `AUTHOR_TESTIMONIALS_CAP`; whose, as `referrers_own!`), as an ambassador tier counts them
/// (`crate::referral::tier`, through `crate::referral::board`). Nothing
/// (one brand row read) unless the brand shows its board, so the first
/// paint's batch may always carry it; never an erased referrer (its name
/// is blanked, `crate::privacy`).
pub const LEADERBOARD: &str = concat!(
    "SELECT r.name, r.purchases AS n, ",
    referrers_count!(),
    " AS testimonials \
     FROM referrers r WHERE r.brand_id = ?1 AND r.purchases > 0 AND r.name <> '' \
     AND EXISTS (SELECT 1 FROM brands b WHERE b.id = ?1 AND json_valid(b.referral_config) AND json_extract(b.referral_config, '$.leaderboard') = 1) \
     ORDER BY r.purchases DESC, r.created_at LIMIT ?2"
);

/// Entries `GET /v1/brands/{brand}/ambassadors` lists ([`LEADERBOARD`]'s `?2`).
pub const LEADERBOARD_LISTED: i64 = 10;

/// The referrer's best published testimonial (brand `?1`): most stars,
/// then newest. Whose it is follows [`crate::privacy`]'s rule for "mine":
/// with a brand identity (`?3`), the testimonials written under it; without
/// one, those written in the same browser (member token `?2`) without an
/// identity and with the email the referrer joined with (canonical, `?4`),
/// so another customer who wrote on a shared device, or someone who joins
/// with a stranger's token, borrows nothing. The edge binds one of the two
/// (the other NULL). Each arm reads one row through its own partial index
/// (`testimonials_voice_by_member`, `testimonials_voice_by_identity`,
/// migration 0028); the sort orders at most two.
pub fn referrer_voice() -> String {
    format!(
        "SELECT {FEED_COLUMNS} FROM testimonials t WHERE t.seq IN (\
         SELECT seq FROM (SELECT seq FROM testimonials WHERE brand_id = ?1 AND member_token = ?2 AND identity_sub IS NULL \
         AND author_email_canonical = ?4 AND status = 'approved' ORDER BY rating DESC, created_at DESC LIMIT 1) \
         UNION SELECT seq FROM (SELECT seq FROM testimonials WHERE brand_id = ?1 AND identity_sub = ?3 AND status = 'approved' \
         ORDER BY rating DESC, created_at DESC LIMIT 1)) \
         ORDER BY t.rating DESC, t.created_at DESC, t.seq DESC LIMIT 1"
    )
}

/// A scope's published testimonials written in language `?3` (brand `?1`,
/// product `?2` when `product`), the first `?4` in the feed's default order
/// (featured, then newest): one page read through
/// `testimonials_in_language(_by_product)` (migration 0029), for a first
/// page in the shopper's language (`crate::context`).
pub fn in_language(product: bool) -> String {
    let (index, scope) = if product {
        ("testimonials_in_language_by_product", " AND t.product_id = ?2 AND t.product_id IS NOT NULL")
    } else {
        ("testimonials_in_language", " AND ?2 = ''")
    };
    format!(
        "SELECT {FEED_COLUMNS} FROM testimonials t INDEXED BY {index} \
         WHERE t.brand_id = ?1{scope} AND t.lang = ?3 AND t.status = 'approved' AND t.lang IS NOT NULL \
         ORDER BY t.featured DESC, t.created_at DESC LIMIT ?4"
    )
}

/// The languages a scope's published testimonials are written in (brand
/// `?1`, product `?2` when `product`), alphabetical, at most `?3`: one
/// index seek per language (each step asks for the smallest language after
/// the last), so a scope with a million testimonials in two languages
/// reads three index entries.
pub fn languages(product: bool) -> String {
    let (index, scope) = if product {
        ("testimonials_in_language_by_product", " AND product_id = ?2 AND product_id IS NOT NULL")
    } else {
        ("testimonials_in_language", " AND ?2 = ''")
    };
    let next = |after: &str| {
        format!("(SELECT MIN(lang) FROM testimonials INDEXED BY {index} WHERE brand_id = ?1{scope} AND status = 'approved' AND lang IS NOT NULL{after})")
    };
    format!(
        "WITH RECURSIVE l(lang) AS (SELECT {first} UNION ALL SELECT {step} FROM l WHERE l.lang IS NOT NULL LIMIT ?3 + 1) \
         SELECT lang FROM l WHERE lang IS NOT NULL",
        first = next(""),
        step = next(" AND lang > l.lang"),
    )
}

/// The tag of group `?2` of brand `?1`, for a visitor who arrived with its
/// invite `?3` at `?4` (unix ms): a public group's always, a private
/// group's only with an invite that still works (`crate::community::invite_problem`'s
/// rules), so an invite-less guess at a private group's id learns nothing.
pub const GROUP_CONTEXT_TAG: &str = "SELECT g.tag FROM groups g WHERE g.id = ?2 AND g.brand_id = ?1 AND g.tag IS NOT NULL \
     AND (g.visibility = 'public' OR EXISTS (SELECT 1 FROM invites i WHERE i.token = ?3 AND i.group_id = g.id \
     AND i.revoked = 0 AND i.expires_at > ?4 AND (i.single_use = 0 OR i.uses = 0)))";

/// Referrer columns.
macro_rules! referrer_columns {
    () => {
        "id, brand_id, code, name, canonical_email, member_token, identity_sub, note, note_status, note_at"
    };
}
pub const REFERRER_COLUMNS: &str = referrer_columns!();

/// The referrers who wrote brand `?1`'s testimonial `?2`
/// (`review_owners!`): after a change that may take a referrer below
/// their tier (the review rejected, deleted, or edited back to a hold),
/// each is judged again (`crate::referral::tier`) and marked or unmarked.
pub const REVIEW_OWNERS: &str = concat!("SELECT ", referrer_columns!(), " FROM referrers WHERE id IN (", review_owners!(), ")");

/// Columns of a referrer's note as the brand moderates it
/// (`crate::referral::AdminNote`).
macro_rules! note_columns {
    () => {
        "code, name, email, note, note_status AS status, note_at AS written_at, note_reject_reason AS reject_reason, note_reject_note AS reject_note"
    };
}

/// The note queue: brand `?1`'s notes with status `?2`, newest first,
/// after the cursor `(?3 written_at, ?4 code)` (`i64::MAX` and `''` for the
/// first page), `?5` rows, read along `referrers_notes`.
pub const NOTE_QUEUE: &str = concat!("SELECT ", note_columns!(), " FROM referrers INDEXED BY referrers_notes \
     WHERE brand_id = ?1 AND note_status = ?2 AND note IS NOT NULL AND (note_at < ?3 OR (note_at = ?3 AND code > ?4)) \
     ORDER BY note_at DESC, code LIMIT ?5");

/// Brand `?1`'s referrer `?2` (code), with their note, for the brand.
pub const NOTE_BY_CODE: &str = concat!("SELECT ", note_columns!(), " FROM referrers WHERE code = ?2 AND brand_id = ?1 AND note IS NOT NULL");

/// A moderator's decision on the note of brand `?1`'s referrer `?2`
/// (code): status `?3`, reason `?4` and the brand's note `?5` (NULL on an
/// approval), only while the words are the ones written at `?6` (the
/// moderator's `seen`; NULL: whatever they are).
pub const DECIDE_NOTE: &str = "UPDATE referrers SET note_status = ?3, note_reject_reason = ?4, note_reject_note = ?5 \
     WHERE code = ?2 AND brand_id = ?1 AND note IS NOT NULL AND (?6 IS NULL OR note_at = ?6)";

/// "Referrer row `referrers` is the shopper's": made signed in by their
/// brand identity `$s` (NULL matches nothing), or held signed out by their
/// browser's member token `$m`, as `REFERRER_BY_IDENTITY` and
/// `REFERRER_BY_MEMBER` found it. Written into the statement that changes
/// the row, so an erasure (which takes both away) or a move to another
/// browser between the read and the write wins (helper-84: a rename in
/// flight wrote an erased referrer's name back onto the board).
macro_rules! held_by {
    ($m:literal, $s:literal) => {
        concat!("(identity_sub = ", $s, " OR (identity_sub IS NULL AND member_token = ", $m, "))")
    };
}

/// The referrer `?1` (id) writes note `?2` with status `?3` at `?4`, unix
/// ms (`?2` and `?3` NULL: no note), if it is still the shopper's
/// ([`held_by`]: member token `?5`, brand identity `?6`); a decision made
/// on earlier words goes with them. `note_at` names the words' version for
/// a moderator's `seen`, so it always moves forward (two versions in one
/// millisecond differ); answers it (no row: no longer the shopper's).
pub const SET_NOTE: &str = concat!(
    "UPDATE referrers SET note = ?2, note_status = ?3, \
     note_at = CASE WHEN ?2 IS NULL THEN NULL ELSE MAX(?4, COALESCE(note_at, 0) + 1) END, \
     note_reject_reason = NULL, note_reject_note = NULL WHERE id = ?1 AND ",
    held_by!("?5", "?6"),
    " RETURNING note_at"
);

/// The referrer `?1`'s new name `?2` (`PATCH .../referrers/me`), checked
/// by `crate::text::person_name`, if it is still the shopper's
/// ([`held_by`]: member token `?3`, brand identity `?4`). Where the
/// ambassadors' board in the first paint's copies can show it, migration
/// 0050's trigger moves the brand's copy version.
pub const SET_REFERRER_NAME: &str = concat!("UPDATE referrers SET name = ?2 WHERE id = ?1 AND ", held_by!("?3", "?4"));

/// Where the cron job's maintenance (migration 0051) stands for tasks
/// whose names start with `?1` (`addresses:`): `task`, `version`, `cursor`,
/// `done`. A range of the primary key: a handful of rows.
pub const MAINTENANCE: &str = "SELECT task, version, cursor, done FROM maintenance WHERE task >= ?1 AND task < ?1 || char(127)";

/// Records where task `?1` stands: rules `?2`, the last id read `?3`, done `?4` (0 or 1).
pub const MAINTENANCE_SET: &str = "INSERT INTO maintenance (task, version, cursor, done) VALUES (?1, ?2, ?3, ?4) \
     ON CONFLICT (task) DO UPDATE SET version = ?2, cursor = ?3, done = ?4";

/// A column of stored addresses the cron job reads again by today's rules
/// (`crate::email::reread`, once per `crate::email::RULES`).
#[derive(Debug, Clone, Copy)]
pub struct StoredAddresses {
    /// Its name in `maintenance` (migration 0051).
    pub task: &'static str,
    /// A page of rows after cursor `?1` (`''` first), `?2` rows, in the
    /// cursor's order: `id` (the next cursor), `stored` (the address as
    /// stored), `canonical` (its canonical form as stored).
    pub select: &'static str,
    /// The update of one row: `?1` its id, `?2` the address read again,
    /// `?3` its canonical form, `?4` the address as read (a row changed
    /// meanwhile is left).
    pub update: &'static str,
    /// The table keeps only the canonical form: `stored` is it, and only
    /// `?3` is written.
    pub canonical_only: bool,
}

/// A table whose stored interest tags the cron job reads again by today's
/// `crate::testimonial::normalize_tags` (`crate::testimonial::TAG_RULES`).
pub struct StoredTags {
    /// Its name in `maintenance` (migration 0051).
    pub task: &'static str,
    /// A page of rows after cursor `?1` (`''` first), `?2` rows, by `id`:
    /// `id`, `brand` (its brand), `stored` (its tags as a JSON array),
    /// `shown` (1 where the brand's first paints may show it), `lang` (a
    /// testimonial's language, `crate::testimonial::normalize_tags_in`).
    pub select: &'static str,
    /// The update of one row: `?1` its id, `?2` the tags read again (a
    /// JSON array), `?3` the tags as read (a row changed meanwhile is left).
    pub update: &'static str,
}

/// The stored tags the cron job reads again: testimonials' (the feed's
/// facets follow by migration 0009's triggers) and groups' (a group's one
/// tag, as a list of one; none once it reads as empty). The history of
/// replaced versions (`testimonial_edits`) keeps its tags as they were.
pub const REREAD_TAGS: [StoredTags; 2] = [
    StoredTags {
        task: "tags:testimonials",
        select: "SELECT id, brand_id AS brand, tags AS stored, status = 'approved' AS shown, lang FROM testimonials WHERE id > ?1 ORDER BY id LIMIT ?2",
        update: "UPDATE testimonials SET tags = ?2 WHERE id = ?1 AND tags = ?3",
    },
    StoredTags {
        task: "tags:groups",
        select: "SELECT id, brand_id AS brand, json_array(tag) AS stored, 1 AS shown, NULL AS lang FROM groups WHERE id > ?1 AND tag IS NOT NULL ORDER BY id LIMIT ?2",
        update: "UPDATE groups SET tag = json_extract(?2, '$[0]') WHERE id = ?1 AND json_array(tag) = ?3",
    },
];

/// The stored addresses the cron job reads again: referrers, testimonials'
/// authors, conversions' friends, review orders and do-not-contact
/// opt-outs (helper-85: an opt-out stored in an older form stopped
/// matching the customer's address, who was asked for reviews again). A
/// referrer whose new form another of the brand's referrers holds (two
/// links for one person, made before the rules saw it) is left for a person
/// to merge (`OR IGNORE`: the brand's UNIQUE canonical address); an opt-out
/// whose new form is there already is left beside it (both say the same).
pub const REREAD_ADDRESSES: [StoredAddresses; 5] = [
    StoredAddresses {
        task: "addresses:referrers",
        select: "SELECT id, email AS stored, canonical_email AS canonical FROM referrers WHERE id > ?1 ORDER BY id LIMIT ?2",
        update: "UPDATE OR IGNORE referrers SET email = ?2, canonical_email = ?3 WHERE id = ?1 AND email = ?4",
        canonical_only: false,
    },
    StoredAddresses {
        task: "addresses:testimonials",
        select: "SELECT id, author_email AS stored, author_email_canonical AS canonical FROM testimonials WHERE id > ?1 AND author_email IS NOT NULL ORDER BY id LIMIT ?2",
        update: "UPDATE testimonials SET author_email = ?2, author_email_canonical = ?3 WHERE id = ?1 AND author_email = ?4",
        canonical_only: false,
    },
    StoredAddresses {
        task: "addresses:conversions",
        select: "SELECT id, referee_canonical AS stored, referee_canonical AS canonical FROM conversions WHERE id > ?1 AND referee_canonical IS NOT NULL ORDER BY id LIMIT ?2",
        update: "UPDATE conversions SET referee_canonical = ?3 WHERE id = ?1 AND referee_canonical = ?4 AND ?2 IS NOT NULL",
        canonical_only: true,
    },
    StoredAddresses {
        task: "addresses:review_orders",
        select: "SELECT id, email AS stored, substr(who, 3) AS canonical FROM review_orders WHERE id > ?1 AND email IS NOT NULL AND who LIKE 'e:%' ORDER BY id LIMIT ?2",
        update: "UPDATE review_orders SET email = ?2, who = 'e:' || ?3 WHERE id = ?1 AND email = ?4 AND who LIKE 'e:%'",
        canonical_only: false,
    },
    // By its primary key (brand, who), the cursor `brand || char(31) || who`.
    StoredAddresses {
        task: "addresses:review_opt_outs",
        select: "SELECT brand_id || char(31) || who AS id, substr(who, 3) AS stored, substr(who, 3) AS canonical FROM review_opt_outs \
                 WHERE (brand_id, who) > (substr(?1, 1, instr(?1, char(31)) - 1), substr(?1, instr(?1, char(31)) + 1)) AND who LIKE 'e:%' \
                 ORDER BY brand_id, who LIMIT ?2",
        update: "UPDATE OR IGNORE review_opt_outs SET who = 'e:' || ?3 \
                 WHERE brand_id = substr(?1, 1, instr(?1, char(31)) - 1) AND who = 'e:' || ?4 AND ?2 IS NOT NULL",
        canonical_only: true,
    },
];

/// The referrer whose link "Email me my link" would send: brand `?1`'s,
/// of canonical email `?2`, held by a browser (`identity_sub IS NULL`: one
/// made signed in opens wherever its customer signs in), with its last
/// link (`link_request_id`, `link_issued_at`, `link_requested_at`: its
/// first and last email) for `crate::referral::link_email`, and its
/// approved referred purchases for `crate::referral::link_email_bucket`.
pub const LINK_TARGET: &str = "SELECT id, purchases, link_request_id, link_issued_at, link_requested_at FROM referrers \
     WHERE brand_id = ?1 AND canonical_email = ?2 AND identity_sub IS NULL";

/// The email of a referral link, one batch: `[0]` makes `?3` the link of
/// referrer `?1` as emailed at `?4` (unix ms; first emailed then, unless it
/// is the same link again), only if its last request is
/// still `?2` (as [`LINK_TARGET`] read it; NULL for none) and none was
/// emailed since `?5` (`?4` less `crate::referral::LINK_EVERY_MS`): of two
/// requests at once one writes, and one email goes. `[1]` schedules its
/// `referral.link_requested` webhook (delivery `?2`, to `?3`) from the row
/// `[0]` wrote (`?1`, request `?5` at `?6`): the email goes to the address
/// the link was made for, never to the one typed now, and carries no
/// words the requester chose (their name is not in it: helper-82). `?4`
/// the edge's origin (the share URL), `?7` the emailed link, `?8` when it
/// stops working (bound as numbers: the payload's times are cast to
/// integers, as every webhook's are).
pub const REQUEST_LINK: [&str; 2] = [
    "UPDATE referrers SET link_issued_at = CASE WHEN link_request_id IS ?3 THEN link_issued_at ELSE ?4 END, link_request_id = ?3, link_requested_at = ?4 \
     WHERE id = ?1 AND identity_sub IS NULL AND link_request_id IS ?2 AND (link_requested_at IS NULL OR link_requested_at <= ?5)",
    "INSERT INTO webhook_deliveries (id, brand_id, event, url, payload, next_attempt_at, created_at) \
     SELECT ?2, brand_id, 'referral.link_requested', ?3, json_object('event', 'referral.link_requested', 'brand', brand_id, \
       'referrer', json_object('code', code, 'email', email, 'share_url', ?4 || '/r/' || code), \
       'link_url', ?7, 'expires_at', CAST(?8 AS INTEGER), 'created_at', CAST(?6 AS INTEGER)), ?6, ?6 \
     FROM referrers WHERE id = ?1 AND link_request_id = ?5 AND link_requested_at = ?6",
];

/// "The shopper holds no referral link of brand `$b` but row `$me`": none
/// made signed in by their brand identity `$s` (NULL matches nothing), none
/// held signed out by their browser's member token `$m` (as
/// `REFERRER_BY_IDENTITY` and `REFERRER_BY_MEMBER` find one). Written into
/// the statement that makes or moves a link, so two requests at once (a
/// join in one tab, an emailed link opened in another) never leave one
/// shopper holding two: D1 runs one write at a time.
macro_rules! holds_no_link {
    ($b:literal, $m:literal, $s:literal, $me:literal) => {
        concat!(
            "NOT EXISTS (SELECT 1 FROM referrers h WHERE h.brand_id = ", $b, " AND h.identity_sub = ", $s, " AND h.id <> ", $me, ") \
             AND NOT EXISTS (SELECT 1 FROM referrers h WHERE h.brand_id = ", $b, " AND h.member_token = ", $m, " AND h.identity_sub IS NULL AND h.id <> ", $me, ")"
        )
    };
}

/// The assignments that send a referrer's note back to the brand's queue
/// when a link moves to another holder ([`OPEN_LINK`],
/// [`VOUCHED_OWNER_TAKES`]): whoever held the link before may not be its
/// owner (someone who typed her address), and friends would read their
/// words above the offer as hers. The note stays, for the owner to keep,
/// change or remove in the panel; a published one waits again (pending),
/// and every note becomes a new version (`note_at` one millisecond on), so
/// a moderator's decision on what they read before the move, pending or
/// published, is refused as stale (helper-86: a pending note was approved
/// under the new holder's link). A rejected note stays rejected. A note
/// whose link stays in the same browser is untouched (`$m`: the parameter
/// of the member token the link moves to).
macro_rules! note_waits_again {
    ($m:literal) => {
        concat!(
            "note_at = CASE WHEN note IS NOT NULL AND member_token IS NOT ", $m, " THEN note_at + 1 ELSE note_at END, \
             note_status = CASE WHEN note_status = 'approved' AND member_token IS NOT ", $m, " THEN 'pending' ELSE note_status END"
        )
    };
}

/// The customer the brand vouches owns the address (`?2`, their identity
/// subject; `?3` their browser's member token) takes the referrer `?1` made
/// signed out under it, with their name `?4` and spelling of the address
/// `?5`: not if it was made signed in meanwhile, nor if they hold a link
/// made signed in already (`holds_no_link`'s identity part, in the
/// statement: two sign-ins at once never leave them two).
pub const VOUCHED_OWNER_TAKES: &str = concat!("UPDATE referrers SET identity_sub = ?2, member_token = ?3, name = ?4, email = ?5, ",
    note_waits_again!("?3"),
    " WHERE id = ?1 AND identity_sub IS NULL \
     AND NOT EXISTS (SELECT 1 FROM referrers h WHERE h.brand_id = referrers.brand_id AND h.identity_sub = ?2 AND h.id <> referrers.id)");

/// A new referrer (`POST .../referrers`): `?1` id, `?2` brand, `?3` code,
/// `?4` name, `?5` email as typed, `?6` canonical, `?7` member token, `?8`
/// brand identity subject, `?9` now, `?10` the client key (its time is
/// kept only with it). Writes nothing when the shopper holds a link already
/// (`holds_no_link`; the join answers that one); fails on a UNIQUE
/// constraint when the email (or, rarely, the code) is taken.
pub const INSERT_REFERRER: &str = concat!(
    "INSERT INTO referrers (id, brand_id, code, name, email, canonical_email, member_token, identity_sub, created_at, client, client_at) \
     SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, CASE WHEN ?10 IS NULL THEN NULL ELSE ?9 END WHERE ",
    holds_no_link!("?2", "?7", "?8", "?1")
);

/// Opening an emailed link: brand `?1`'s referrer whose link request `?2`
/// was first emailed after `?4` (now less `crate::referral::LINK_TTL_MS`) moves to
/// member token `?3` and the request ends (its token works once), unless
/// the customer the brand's identity vouches owns its address took it
/// meanwhile, or the shopper holds another referrer (`holds_no_link`, with
/// `?5` their brand identity subject, NULL signed out). Answers the
/// referrer as moved (no second read).
pub const OPEN_LINK: &str = concat!("UPDATE referrers SET member_token = ?3, link_request_id = NULL, link_issued_at = NULL, link_requested_at = NULL, ",
    note_waits_again!("?3"),
    " WHERE brand_id = ?1 AND link_request_id = ?2 AND link_issued_at > ?4 AND identity_sub IS NULL AND ",
    holds_no_link!("?1", "?3", "?5", "referrers.id"),
    " RETURNING ", referrer_columns!());

/// Whether brand `?1`'s link request `?2` still works (first emailed after `?3`).
pub const LINK_REQUEST_LIVE: &str = "SELECT 1 AS live FROM referrers WHERE brand_id = ?1 AND link_request_id = ?2 AND link_issued_at > ?3";

/// A referrer by code (`?1`).
pub const REFERRER_BY_CODE: &str = concat!("SELECT ", referrer_columns!(), " FROM referrers WHERE code = ?1");

/// The shopper's own referral by brand identity (`?1` brand, `?2` subject).
pub const REFERRER_BY_IDENTITY: &str = concat!("SELECT ", referrer_columns!(), " FROM referrers \
     WHERE brand_id = ?1 AND identity_sub = ?2 ORDER BY created_at LIMIT 1");

/// The shopper's own referral by member token (`?1` brand, `?2` token):
/// one made signed out on that browser. One made signed in is its
/// customer's alone (by [`REFERRER_BY_IDENTITY`]): on a shared browser the
/// token never reaches another customer's code, stats, reward coupons or
/// note.
pub const REFERRER_BY_MEMBER: &str = concat!("SELECT ", referrer_columns!(), " FROM referrers \
     WHERE brand_id = ?1 AND member_token = ?2 AND identity_sub IS NULL ORDER BY created_at LIMIT 1");

/// The friend's claim on a code: this member's on this referrer (`?2`
/// referrer, `?3` member), else this client's (`?4`) on any of the brand's
/// (`?1`) codes since `?5`. Each branch is read through its own index; the
/// sort orders the at most two rows they find.
pub const EXISTING_CLAIM: &str = "SELECT coupon_code, created_at FROM referral_claims WHERE brand_id = ?1 \
     AND ((referrer_id = ?2 AND member_token = ?3) OR (client = ?4 AND created_at >= ?5)) \
     ORDER BY (referrer_id = ?2 AND member_token = ?3) DESC, created_at LIMIT 1";

/// Records a friend's claim (`?1` id, `?2` brand, `?3` referrer, `?4`
/// member, `?5` client, `?6` now, ms) unless this member has one on this
/// code or this client one on any of the brand's codes since `?7`; with
/// `?8` its network's keyed hash and how many claims on the code came from
/// that network in the hour up to it (read through
/// `referral_claims_by_network`), and whether the referrer signed up from
/// this client since `?9` (their row, by key).
pub const INSERT_CLAIM: &str = "INSERT INTO referral_claims (id, brand_id, referrer_id, member_token, client, created_at, network, network_claims, from_referrer) \
     SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?8, CASE WHEN ?8 IS NULL THEN NULL ELSE 1 + (SELECT COUNT(*) FROM referral_claims \
       INDEXED BY referral_claims_by_network WHERE referrer_id = ?3 AND network = ?8 AND created_at >= ?6 - 3600000) END, \
       (SELECT COUNT(*) FROM referrers WHERE id = ?3 AND client = ?5 AND client_at >= ?9) \
     WHERE NOT EXISTS \
     (SELECT 1 FROM referral_claims WHERE brand_id = ?2 AND ((referrer_id = ?3 AND member_token = ?4) OR (client = ?5 AND created_at >= ?7)))";

/// The claim of the friend who was given pool coupon `?3` (in any case, as
/// the shop may report it: `referral::same_coupon`) of brand `?1` on
/// referrer `?2`'s code: when it was made, its network count and whether
/// it came from the referrer's address. Through `coupons_by_code_nocase`
/// and the claims' primary key. Of two codes uploaded before that rule
/// that differ only in case, the one spelled as reported (helper-105).
pub const CLAIM_BY_COUPON: &str = "SELECT c.created_at, c.network_claims, c.from_referrer FROM coupons k JOIN referral_claims c ON c.id = k.assigned_to \
     WHERE k.brand_id = ?1 AND k.code = ?3 COLLATE NOCASE AND k.kind = 'referee' AND c.referrer_id = ?2 ORDER BY k.code = ?3 DESC LIMIT 1";

/// Rewards of brand `?1` waiting for a code of the reward pool
/// (`pending_coupon`), the oldest first, at most `?2`; read through
/// `rewards_waiting` (migration 0041), which holds only those.
pub const WAITING_REWARDS: &str = "SELECT id FROM rewards INDEXED BY rewards_waiting WHERE brand_id = ?1 AND state = 'pending_coupon' ORDER BY created_at, id LIMIT ?2";

/// The cron job: claims made before `?1` forget their network's hash, at
/// most 1,000 a run (`kindred_core::referral::CLAIM_NETWORK_KEEP_MS`).
pub const FORGET_CLAIM_NETWORKS: &str = "UPDATE referral_claims SET network = NULL WHERE rowid IN \
     (SELECT rowid FROM referral_claims INDEXED BY referral_claims_network_age WHERE network IS NOT NULL AND created_at < ?1 LIMIT 1000)";

/// The cron job: open reports filed before `?1` forget their network's
/// hash, at most 1,000 a run (`crate::community::REPORT_NETWORK_KEEP_MS`).
pub const FORGET_REPORT_NETWORKS: &str = "UPDATE reports SET network = NULL WHERE rowid IN \
     (SELECT rowid FROM reports INDEXED BY reports_network_age WHERE network IS NOT NULL AND created_at < ?1 LIMIT 1000)";

/// The cron job: referrers who signed up before `?1` forget their address's
/// hash, at most 1,000 a run (`kindred_core::referral::REFERRER_CLIENT_KEEP_MS`).
pub const FORGET_REFERRER_CLIENTS: &str = "UPDATE referrers SET client = NULL, client_at = NULL WHERE rowid IN \
     (SELECT rowid FROM referrers INDEXED BY referrers_client_age WHERE client IS NOT NULL AND client_at < ?1 LIMIT 1000)";

/// Hands the next available coupon of a pool (`?1` brand, `?2` kind, the
/// oldest first) to `?3` at `?4`, in one statement (so two claims never get
/// the same code); reads one row through `coupons_next`. Callers may add
/// conditions after it (`AND ...`).
pub const TAKE_COUPON: &str = "UPDATE coupons SET assigned_to = ?3, assigned_at = ?4 \
     WHERE brand_id = ?1 AND code = (SELECT code FROM coupons WHERE brand_id = ?1 AND kind = ?2 AND assigned_to IS NULL \
     ORDER BY created_at, code LIMIT 1) AND assigned_to IS NULL";

/// Counts one write in each bucket of `?2` (a JSON list of `[bucket,
/// limit]`; limit null for a ceiling that refuses nobody) for the window
/// starting at `?1`, unless a bucket with a limit is full; returns the
/// counted buckets (none when refused). Each bucket is read by its key:
/// the CROSS JOIN keeps the list outside, or the planner may walk every
/// bucket of the window through `rate_limits_by_window` (one more row per
/// client that wrote this hour, on every write: the bench found it).
pub const RATE_LIMIT_HIT: &str = "INSERT INTO rate_limits (bucket, window_start, count) \
     SELECT json_extract(value, '$[0]'), ?1, 1 FROM json_each(?2) \
     WHERE NOT EXISTS (SELECT 1 FROM json_each(?2) AS l CROSS JOIN rate_limits AS r \
       ON r.bucket = json_extract(l.value, '$[0]') AND r.window_start = ?1 \
       WHERE r.count >= json_extract(l.value, '$[1]')) \
     ON CONFLICT(bucket, window_start) DO UPDATE SET count = count + 1 \
     RETURNING bucket, count";

/// `n` = 1 when the brand (`?1`) has coupons of kind `?2` at all.
pub const HAS_POOL: &str = "SELECT EXISTS (SELECT 1 FROM coupons WHERE brand_id = ?1 AND kind = ?2) AS n";

/// Deletes brand `?1`'s testimonials `?2` (a JSON array of ids, any
/// number: D1 binds at most 100 parameters to a statement) with their
/// helpful votes and reply history, in this order in one batch. Each
/// finds the rows by id: `+brand_id` keeps the planner off the brand's
/// indexes (with `brand_id = ?1` it walked every testimonial of the brand
/// for each deletion, helper-79). Triggers keep the rest (the feed, the
/// aspects, the moderation ledger, an imported one's tombstone). The last
/// answers the ids it deleted (D1's `changes` counts the triggers' rows
/// too).
pub const DELETE_TESTIMONIALS: [&str; 3] = [
    "DELETE FROM helpful_votes WHERE testimonial_id IN (SELECT id FROM testimonials WHERE +brand_id = ?1 AND id IN (SELECT value FROM json_each(?2)))",
    "DELETE FROM testimonial_reply_log WHERE +brand_id = ?1 AND testimonial_id IN (SELECT value FROM json_each(?2))",
    "DELETE FROM testimonials WHERE +brand_id = ?1 AND id IN (SELECT value FROM json_each(?2)) RETURNING id",
];

/// The photos of brand `?1`'s testimonials `?2` (a JSON array of ids):
/// their rows deleted (answering their ids, for their bytes in R2) and the
/// testimonials' lists emptied, by id as [`DELETE_TESTIMONIALS`].
pub const DROP_PHOTOS: [&str; 2] = [
    "DELETE FROM photos WHERE +brand_id = ?1 AND testimonial_id IN (SELECT value FROM json_each(?2)) RETURNING id",
    "UPDATE testimonials SET photos = '[]' WHERE +brand_id = ?1 AND id IN (SELECT value FROM json_each(?2))",
];

/// Every statement above with a name, for the plan tests. A statement a
/// shopper request (or the cron job) runs on a table that grows belongs
/// here.
pub fn shopper_reads() -> Vec<(&'static str, String)> {
    let mut all = vec![
        ("rating counts", RATING_COUNTS.to_owned()),
        ("top tags", TOP_TAGS.to_owned()),
        ("has groups", HAS_GROUPS.to_owned()),
        ("aspects", ASPECTS.to_owned()),
        // The cron job's, on tables that grow as well.
        ("aspects due", ASPECTS_DUE.to_owned()),
        ("aspects brand reviews", ASPECTS_BRAND_REVIEWS.to_owned()),
        ("aspects product reviews", ASPECTS_PRODUCT_REVIEWS.to_owned()),
        ("groups", GROUPS.to_owned()),
        ("memberships", MEMBERSHIPS.to_owned()),
        ("membership", MEMBERSHIP.to_owned()),
        // The brand's lists of its decisions about members.
        ("blocks", BLOCKS.to_owned()),
        ("removals", REMOVALS.to_owned()),
        ("unblock by name", UNBLOCK[0].to_owned()),
        ("unblock by key", UNBLOCK[1].to_owned()),
        ("readmit by name", READMIT[0].to_owned()),
        ("readmit by key", READMIT[1].to_owned()),
        ("threads", THREADS.to_owned()),
        ("replies", REPLIES.to_owned()),
        // A group's moderation queues (the brand's console).
        ("pending posts", PENDING_POSTS.to_owned()),
        ("hidden posts", HIDDEN_POSTS.to_owned()),
        // Testimonials deleted by their ids (a rejection's photos, a
        // deletion, an import's undo): never a walk of the brand's.
        ("delete testimonials votes", DELETE_TESTIMONIALS[0].to_owned()),
        ("delete testimonials replies", DELETE_TESTIMONIALS[1].to_owned()),
        ("delete testimonials", DELETE_TESTIMONIALS[2].to_owned()),
        ("drop photos", DROP_PHOTOS[0].to_owned()),
        ("drop photos list", DROP_PHOTOS[1].to_owned()),
        // An import's undo (the brand's console), a page at a time.
        ("import undo next", crate::import::sql::UNDO_NEXT.to_owned()),
        ("import unmark", crate::import::sql::UNMARK.to_owned()),
        ("import counts", crate::import::sql::COUNTS.to_owned()),
        ("import undo next of file", crate::import::sql::UNDO_NEXT_OF_FILE.to_owned()),
        ("import file counts", crate::import::sql::FILE_COUNTS.to_owned()),
        ("import first homes", crate::import::sql::FIRST_HOMES.to_owned()),
        ("import erased homes", crate::import::sql::ERASED_HOMES.to_owned()),
        ("reaction counts", reaction_counts("?1, ?2, ?3")),
        ("reacted", REACTED.to_owned()),
        ("unreact", UNREACT.to_owned()),
        ("react unless taken back", REACT_UNLESS_TAKEN_BACK.to_owned()),
        // A purchase's fraud facts, and its insert guarded by them.
        ("conversion facts", conversion_facts()),
        ("insert conversion", insert_conversion()),
        ("referrer counts", REFERRER_COUNTS.to_owned()),
        ("referrer rewards", REFERRER_REWARDS.to_owned()),
        ("judge ambassador", JUDGE_AMBASSADOR.to_owned()),
        ("mark ambassador of review", MARK_AMBASSADOR_OF_REVIEW.to_owned()),
        ("review owners", REVIEW_OWNERS.to_owned()),
        ("clear ambassadors", CLEAR_AMBASSADORS.to_owned()),
        ("mark ambassadors", MARK_AMBASSADORS.to_owned()),
        ("author testimonials", AUTHOR_TESTIMONIALS.to_owned()),
        ("leaderboard", LEADERBOARD.to_owned()),
        ("referrer by code", REFERRER_BY_CODE.to_owned()),
        ("referrer by identity", REFERRER_BY_IDENTITY.to_owned()),
        ("referrer by member", REFERRER_BY_MEMBER.to_owned()),
        ("existing claim", EXISTING_CLAIM.to_owned()),
        ("insert claim", INSERT_CLAIM.to_owned()),
        ("claim by coupon", CLAIM_BY_COUPON.to_owned()),
        ("forget claim networks", FORGET_CLAIM_NETWORKS.to_owned()),
        ("forget report networks", FORGET_REPORT_NETWORKS.to_owned()),
        ("insert report", INSERT_REPORT.to_owned()),
        ("forget referrer clients", FORGET_REFERRER_CLIENTS.to_owned()),
        ("waiting rewards", WAITING_REWARDS.to_owned()),
        ("referrer voice", referrer_voice()),
        // The brand's note queue and decisions, and the referrer's writes.
        ("note queue", NOTE_QUEUE.to_owned()),
        ("react on", REACT_ON.to_owned()),
        ("add coupons", ADD_COUPONS.to_owned()),
        ("coupons in other pool", COUPONS_IN_OTHER_POOL.to_owned()),
        // The brand's other lists, a page at a time.
        ("conversions page", conversions_page(false)),
        ("conversions page by status", conversions_page(true)),
        ("referrers page", REFERRERS_PAGE.to_owned()),
        ("deliveries page", deliveries_page(false)),
        ("deliveries page by status", deliveries_page(true)),
        ("note by code", NOTE_BY_CODE.to_owned()),
        ("decide note", DECIDE_NOTE.to_owned()),
        ("set note", SET_NOTE.to_owned()),
        ("set referrer name", SET_REFERRER_NAME.to_owned()),
        // "Email me my link" and its link opened.
        ("link target", LINK_TARGET.to_owned()),
        ("request link", REQUEST_LINK[0].to_owned()),
        ("schedule link email", REQUEST_LINK[1].to_owned()),
        ("open link", OPEN_LINK.to_owned()),
        ("insert referrer", INSERT_REFERRER.to_owned()),
        ("vouched owner takes", VOUCHED_OWNER_TAKES.to_owned()),
        // The cron job's addresses read again, a page by id.
        ("maintenance", MAINTENANCE.to_owned()),
        ("reread referrers", REREAD_ADDRESSES[0].select.to_owned()),
        ("reread testimonials", REREAD_ADDRESSES[1].select.to_owned()),
        ("reread conversions", REREAD_ADDRESSES[2].select.to_owned()),
        ("reread review orders", REREAD_ADDRESSES[3].select.to_owned()),
        ("reread opt-outs", REREAD_ADDRESSES[4].select.to_owned()),
        ("reread testimonial tags", REREAD_TAGS[0].select.to_owned()),
        ("reread group tags", REREAD_TAGS[1].select.to_owned()),
        ("link request live", LINK_REQUEST_LIVE.to_owned()),
        ("in language brand", in_language(false)),
        ("in language product", in_language(true)),
        ("languages brand", languages(false)),
        ("languages product", languages(true)),
        ("group context tag", GROUP_CONTEXT_TAG.to_owned()),
        ("has pool", HAS_POOL.to_owned()),
        ("take coupon", TAKE_COUPON.to_owned()),
        ("rate limit", RATE_LIMIT_HIT.to_owned()),
        ("shared testimonial", shared_testimonial()),
        ("syndication brand newest", syndication_sql(false, crate::syndication::Order::Newest)),
        ("syndication brand top", syndication_sql(false, crate::syndication::Order::Top)),
        ("syndication product newest", syndication_sql(true, crate::syndication::Order::Newest)),
        ("syndication product top", syndication_sql(true, crate::syndication::Order::Top)),
    ];
    // "Your data": one shopper's rows, read and erased.
    all.extend(crate::privacy::sql::all());
    for sort in [Sort::Newest, Sort::Highest, Sort::Helpful] {
        for cursor in [false, true] {
            let name = match (sort, cursor) {
                (Sort::Newest, false) => "feed newest",
                (Sort::Newest, true) => "feed newest after cursor",
                (Sort::Highest, false) => "feed highest",
                (Sort::Highest, true) => "feed highest after cursor",
                (Sort::Helpful, false) => "feed helpful",
                (Sort::Helpful, true) => "feed helpful after cursor",
            };
            all.push((name, feed_sql(sort, cursor)));
        }
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testimonial::Cursor;

    #[test]
    fn the_board_counts_testimonials_as_far_as_a_tier_may_ask() {
        assert!(LEADERBOARD.contains(&format!("LIMIT {AUTHOR_TESTIMONIALS_CAP})")), "{LEADERBOARD}");
    }

    #[test]
    fn syndication_reads_the_page_alone_when_nothing_is_filtered() {
        use crate::syndication::{Filter, Order, WALK};
        let f = Filter { product: None, tag: None, min_rating: 1, photos: false, limit: 20 };
        let s = syndication("acme", &f, Order::Newest);
        assert_eq!(s.params.len(), 7);
        assert!(s.sql.contains("?7") && !s.sql.contains("?8") && s.sql.contains("INDEXED BY testimonials_reusable "));
        assert_eq!((s.params[2].clone(), s.params[6].clone()), (Value::Int(21), Value::Int(21)), "the walk is the page");
        let top = syndication("acme", &f, Order::Top);
        assert_eq!(top.params[2], Value::Int(i64::from(WALK)), "the best need the whole walk");
        let tagged = syndication("acme", &Filter { tag: Some("vegan".into()), ..f.clone() }, Order::Newest);
        assert_eq!(tagged.params[2], Value::Int(i64::from(WALK)));
        assert!(syndication("acme", &Filter { product: Some(crate::ids::ProductId::parse("p1").unwrap()), ..f }, Order::Newest).sql.contains("testimonials_reusable_by_product"));
    }

    #[test]
    fn feed_binds_every_placeholder_it_uses() {
        let q = FeedQuery { limit: 10, ..Default::default() };
        let s = feed("acme", &q);
        assert_eq!(s.params.len(), 5);
        assert!(s.sql.contains("LIMIT ?5") && !s.sql.contains("?6"));
        assert_eq!(s.params[1], Value::Text(String::new()), "no product: the brand-wide scope");
        assert_eq!(s.params[3], Value::Int(0), "no rating: any");
        let q = FeedQuery {
            tag: Some("vegan".into()),
            rating: Some(4),
            sort: Sort::Helpful,
            cursor: Some(Cursor { sort: Sort::Helpful, key: 3, created_at: 9, seq: 41 }),
            limit: 20,
            ..Default::default()
        };
        let s = feed("acme", &q);
        assert_eq!(s.params.len(), 8);
        assert!(s.sql.contains("(f.helpful_count, f.created_at, f.seq) < (?5, ?6, ?7)") && s.sql.contains("LIMIT ?8"));
        assert_eq!(s.params[6], Value::Int(41));
        assert_eq!(s.params[7], Value::Int(21));
    }

    #[test]
    fn tiers_never_ask_for_more_testimonials_than_are_counted() {
        assert_eq!(i64::from(crate::referral::TIER_TESTIMONIALS_MAX), AUTHOR_TESTIMONIALS_CAP);
    }

    #[test]
    fn every_statement_is_formatted() {
        for (name, sql) in shopper_reads() {
            assert!(!sql.contains("{"), "{name}: unformatted template");
        }
    }
}
