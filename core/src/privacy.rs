//! "Your data": what Kindred holds about one shopper of one brand, handed
//! to them, and erased on their word (issue 17 part 5).
//!
//! The rules this follows (GDPR, Regulation (EU) 2016/679):
//! - **Access and portability** (Art. 15, 20): `GET /v1/brands/{brand}/me/data`
//!   answers [`ShopperData`], everything held for the caller's member token
//!   and/or brand-signed identity, as JSON (the widget offers it as a file).
//!   Email addresses are shown masked ([`mask_email`]): public endpoints
//!   never return an email whole (a member token is a device's secret, not
//!   proof of owning the address); the brand can hand over the full record.
//! - **Erasure** (Art. 17): `DELETE` on the same path removes, in one D1
//!   batch (one transaction): testimonials (or anonymises them, when the
//!   brand's [`ErasurePolicy`] says so), their earlier versions and consent
//!   log, photos (rows, and the R2 objects right after), helpful votes,
//!   the referrer record (the code stops working; its clicks and rewards
//!   still waiting for a code go, the brand's conversions keep their
//!   orders without the referrer),
//!   group memberships, invites made, threads and replies (or anonymised),
//!   reactions, reports made, the brand's purchase records for the signed-in
//!   customer (review orders and requests), webhook deliveries and stored
//!   answers that quoted any of it, and the read copies in KV.
//! - **Telling recipients** (Art. 19): the brand's `privacy.webhook_url`
//!   gets `shopper.erased` naming what went (ids, the customer id if signed
//!   in) so it can erase its own copies; its payload is cleared once the
//!   delivery ends (delivered or given up).
//! - **Kept on purpose** ([`HOLDERS`] says which and why, Art. 17(3)): the
//!   brand's blocks of abusive members and removals from groups,
//!   do-not-contact opt-outs, and the
//!   keyed hash of the address a welcome offer was claimed from (so erasing
//!   does not unlock a second welcome offer; dropped after 365 days by the
//!   retention job), and a keyed hash of each erased testimonial's id (so a
//!   partner brand's export holding a copy does not bring it back into any
//!   brand of the edge: `import::erasure_tombstone`).
//!
//! What a shopper is known by: their member token (`X-Kindred-Member`,
//! raw in `testimonials.member_token`, `helpful_votes.voter`,
//! `referrers.member_token`, `referral_claims.member_token`; `m:<token>` as
//! a community member key) and, when the brand vouched for them, their
//! customer id (`identity_sub`; `id:<sub>` as a member key; `s:<sub>` in
//! review orders). Not their email: anyone can type an email.

use serde::{Deserialize, Serialize};

/// What happens to a shopper's words when they erase their data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErasurePolicy {
    /// Testimonials, threads and replies are deleted (replies others wrote
    /// in the shopper's threads go with them, as on most forums).
    #[default]
    Delete,
    /// Testimonials, threads and replies stay, without author: no name,
    /// email, token or customer id, no photos, no earlier versions, and no
    /// consent to reuse (an anonymous text leaves the brand's site no more).
    /// The widget shows them as by a former customer.
    Anonymise,
}

impl ErasurePolicy {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Delete => "delete",
            Self::Anonymise => "anonymise",
        }
    }
}

/// The brand's privacy settings (`privacy` in the brand's settings).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PrivacyConfig {
    /// Where `shopper.erased` is sent (signed like every webhook), so the
    /// brand erases its own copies (GDPR Art. 19). `null`: not sent.
    #[serde(default)]
    pub webhook_url: Option<String>,
    /// What erasure does to a shopper's words (default `delete`).
    #[serde(default)]
    pub erasure: ErasurePolicy,
}

/// One of the shopper's testimonials as held.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeldTestimonial {
    pub id: String,
    pub product: Option<String>,
    pub author_name: String,
    /// Masked (`a•••@example.com`), `null` if none was given.
    pub email: Option<String>,
    pub rating: u8,
    pub title: Option<String>,
    pub body: String,
    pub tags: Vec<String>,
    /// `pending`, `approved` or `rejected`.
    pub status: String,
    /// Photo URLs on the edge.
    pub photos: Vec<String>,
    /// When the author agreed to its reuse, unix ms; `null`: not agreed.
    pub reuse_consent_at: Option<i64>,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    /// Earlier versions, oldest first: `{at, rating, title, body, tags}`.
    pub earlier_versions: Vec<serde_json::Value>,
    /// Grants and withdrawals of consent: `{granted, via, at}`.
    pub consent_log: Vec<serde_json::Value>,
}

/// A post in a group: a thread (with `title`) or a reply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeldPost {
    pub id: String,
    pub group: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub author_name: String,
    pub body: String,
    pub status: String,
    pub created_at: i64,
    /// A thread's photo. One not open to everyone (a private group's, a post
    /// waiting for moderation) by a URL signed when the data was read, as
    /// the thread views give it (`crate::community::photo_grant`), which
    /// opens it for 1 to 2 hours; one a moderator hid or deleted by its
    /// plain URL, which opens for the brand only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo: Option<crate::photo::PhotoView>,
    /// Posted in a private group (members only).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub private: bool,
}

/// The shopper's referrer record: their code, what it did, their rewards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeldReferrer {
    pub code: String,
    pub name: String,
    /// Masked.
    pub email: String,
    pub clicks: i64,
    pub friends: i64,
    pub purchases: i64,
    /// `{coupon_code, state, created_at}`.
    pub rewards: Vec<serde_json::Value>,
    pub created_at: i64,
    /// Their personal note for friends, and where it stands
    /// (`pending`, `approved`, `rejected`); absent without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note_status: Option<String>,
}

/// `GET /v1/brands/{brand}/me/data`: everything Kindred holds for this
/// member token and/or identity at this brand. Times are unix ms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShopperData {
    pub brand: String,
    /// When this was read, unix ms.
    pub generated_at: i64,
    /// Whether a member token was asked about (the token itself is not
    /// repeated).
    pub member_token: bool,
    /// The brand's customer id, when a valid identity was sent.
    pub identity: Option<String>,
    /// What an erasure would do to testimonials, threads and replies (the
    /// brand's `privacy.erasure`), so the shopper is told before they ask.
    pub erasure: ErasurePolicy,
    pub testimonials: Vec<HeldTestimonial>,
    /// Testimonials this shopper marked helpful: `{testimonial_id, at}`.
    pub helpful_votes: Vec<serde_json::Value>,
    /// Referral records (one per email the shopper joined with; usually one).
    pub referrers: Vec<HeldReferrer>,
    /// Welcome offers claimed as a referred friend: `{coupon_code, at}`.
    pub claims: Vec<serde_json::Value>,
    /// Groups joined: `{group, group_name, display_name, role, joined_at}`.
    pub memberships: Vec<serde_json::Value>,
    pub threads: Vec<HeldPost>,
    pub replies: Vec<HeldPost>,
    /// `{target_id, kind, at}`.
    pub reactions: Vec<serde_json::Value>,
    /// Reports made: `{target_type, target_id, reason, at}`.
    pub reports: Vec<serde_json::Value>,
    /// Group invite links made: `{group, expires_at, uses}`.
    pub invites: Vec<serde_json::Value>,
    /// Purchase records the brand sent for this customer (signed in only):
    /// `{order_id, ordered_at}`.
    pub orders: Vec<serde_json::Value>,
    /// What the brand decided about this shopper, kept after an erasure
    /// ([`HOLDERS`]): a block from posting (`{kind: "blocked", at}`) and
    /// removals from groups (`{kind: "removed", group, group_name, at}`).
    #[serde(default)]
    pub restrictions: Vec<serde_json::Value>,
}

impl ShopperData {
    /// Whether nothing an erasure takes is held (`restrictions` stay).
    pub fn is_empty(&self) -> bool {
        self.testimonials.is_empty()
            && self.helpful_votes.is_empty()
            && self.referrers.is_empty()
            && self.claims.is_empty()
            && self.memberships.is_empty()
            && self.threads.is_empty()
            && self.replies.is_empty()
            && self.reactions.is_empty()
            && self.reports.is_empty()
            && self.invites.is_empty()
            && self.orders.is_empty()
    }

    /// What an erasure of this would report.
    pub fn receipt(&self, policy: ErasurePolicy, at: i64) -> Erased {
        let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        Erased {
            policy,
            testimonials: n(self.testimonials.len()),
            photos: n(self.testimonials.iter().map(|t| t.photos.len()).sum()),
            helpful_votes: n(self.helpful_votes.len()),
            referrers: n(self.referrers.len()),
            memberships: n(self.memberships.len()),
            threads: n(self.threads.len()),
            replies: n(self.replies.len()),
            reactions: n(self.reactions.len()),
            reports: n(self.reports.len()),
            orders: n(self.orders.len()),
            erased_at: at,
        }
    }
}

/// `DELETE /v1/brands/{brand}/me/data`: what went. Erasing again answers
/// zeros (it is idempotent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Erased {
    /// What was done to testimonials, threads and replies.
    pub policy: ErasurePolicy,
    pub testimonials: u32,
    /// Photos of those testimonials (thread photos go with their threads).
    pub photos: u32,
    pub helpful_votes: u32,
    /// Referrer records emptied (their codes stop working).
    pub referrers: u32,
    pub memberships: u32,
    pub threads: u32,
    pub replies: u32,
    pub reactions: u32,
    pub reports: u32,
    pub orders: u32,
    /// unix ms.
    pub erased_at: i64,
}

/// `a•••@example.com`: the first character of the local part, the domain.
pub fn mask_email(email: &str) -> String {
    match email.rsplit_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}\u{2022}\u{2022}\u{2022}@{domain}")
        }
        None => "\u{2022}\u{2022}\u{2022}".into(),
    }
}

/// The SQL of "Your data", one home for the edge (which binds it) and the
/// plan test (which checks each statement reads through an index). Every
/// statement binds `?1` the brand, `?2` the member token and `?3` the
/// identity's customer id (NULL when absent: it matches nothing), and the
/// erasure `?4` now (unix ms); D1 wants exactly as many values as the
/// highest `?N` a statement names ([`params_used`]).
///
/// Whose rows: a row written signed in (`identity_sub` set) belongs to that
/// customer only; one written without belongs to the member token it was
/// written with. So on a shared computer a token does not reach what
/// another customer wrote signed in. Community rows are keyed `m:<token>`
/// or `id:<sub>`.
pub mod sql {
    use super::ErasurePolicy;

    const KEYS: &str = "('m:' || ?2, 'id:' || ?3)";

    fn mine(table: &str) -> String {
        format!("SELECT id FROM {table} WHERE brand_id = ?1 AND member_token = ?2 AND identity_sub IS NULL \
                 UNION ALL SELECT id FROM {table} WHERE brand_id = ?1 AND identity_sub = ?3")
    }

    fn my_posts(table: &str) -> String {
        format!("SELECT id FROM {table} WHERE brand_id = ?1 AND author_key IN {KEYS}")
    }

    const MY_ORDERS: &str = "SELECT id FROM review_orders WHERE brand_id = ?1 AND who = 's:' || ?3 \
         UNION ALL SELECT id FROM review_orders WHERE brand_id = ?1 AND customer = ?3";

    /// How many bound values `sql` takes: the highest `?N` it names.
    pub fn params_used(sql: &str) -> usize {
        (1..=9).rev().find(|n| sql.contains(&format!("?{n}"))).unwrap_or(0)
    }

    /// The reads behind `GET .../me/data`, in the order the edge reads their
    /// results (one batch).
    pub fn collect() -> Vec<(&'static str, String)> {
        let t = mine("testimonials");
        vec![
            ("privacy testimonials", format!("SELECT id, product_id, author_name, author_email, rating, title, body, tags, status, photos, reuse_consent_at, created_at, edited_at \
                FROM testimonials WHERE id IN ({t})")),
            ("privacy edits", format!("SELECT testimonial_id, at, rating, title, body, tags FROM testimonial_edits WHERE testimonial_id IN ({t})")),
            ("privacy consent log", format!("SELECT testimonial_id, granted, via, at FROM reuse_consent_log WHERE testimonial_id IN ({t})")),
            ("privacy votes", "SELECT json_group_array(json_object('testimonial_id', v.testimonial_id, 'at', v.created_at)) AS j FROM helpful_votes v \
                WHERE v.voter = ?2 AND EXISTS (SELECT 1 FROM testimonials t WHERE t.id = v.testimonial_id AND t.brand_id = ?1)".into()),
            ("privacy referrers", format!("SELECT r.code, r.name, r.email, r.clicks, r.friends, r.purchases, r.created_at, r.note, r.note_status, \
                (SELECT json_group_array(json_object('coupon_code', w.coupon_code, 'state', w.state, 'created_at', w.created_at)) FROM rewards w WHERE w.referrer_id = r.id) AS rewards \
                FROM referrers r WHERE r.id IN ({})", mine("referrers"))),
            ("privacy claims", "SELECT json_group_array(json_object('coupon_code', coupon_code, 'at', created_at)) AS j FROM referral_claims WHERE brand_id = ?1 AND member_token = ?2".into()),
            ("privacy memberships", format!("SELECT json_group_array(json_object('group', m.group_id, 'group_name', (SELECT name FROM groups g WHERE g.id = m.group_id), \
                'display_name', m.display_name, 'role', m.role, 'joined_at', m.joined_at)) AS j \
                FROM group_members m WHERE m.member_key IN {KEYS} AND EXISTS (SELECT 1 FROM groups g WHERE g.id = m.group_id AND g.brand_id = ?1)")),
            ("privacy threads", format!("SELECT json_group_array(json_object('id', id, 'group', group_id, 'title', title, 'author_name', author_name, 'body', body, 'status', status, 'created_at', created_at, \
                'photo', json(photo), 'private', json(CASE WHEN EXISTS (SELECT 1 FROM groups g WHERE g.id = threads.group_id AND g.visibility = 'private') THEN 'true' ELSE 'false' END))) AS j \
                FROM threads WHERE brand_id = ?1 AND author_key IN {KEYS}")),
            ("privacy replies", format!("SELECT json_group_array(json_object('id', id, 'group', group_id, 'thread', thread_id, 'author_name', author_name, 'body', body, 'status', status, 'created_at', created_at)) AS j \
                FROM replies WHERE brand_id = ?1 AND author_key IN {KEYS}")),
            ("privacy reactions", format!("SELECT json_group_array(json_object('target_id', r.target_id, 'kind', r.kind, 'at', r.created_at)) AS j FROM reactions r \
                WHERE r.member_key IN {KEYS} AND (EXISTS (SELECT 1 FROM threads t WHERE t.id = r.target_id AND t.brand_id = ?1) \
                OR EXISTS (SELECT 1 FROM replies p WHERE p.id = r.target_id AND p.brand_id = ?1))")),
            ("privacy reports", format!("SELECT json_group_array(json_object('target_type', target_type, 'target_id', target_id, 'reason', reason, 'at', created_at)) AS j \
                FROM reports WHERE brand_id = ?1 AND reporter IN {KEYS}")),
            ("privacy invites", format!("SELECT json_group_array(json_object('group', group_id, 'expires_at', expires_at, 'uses', uses)) AS j FROM invites WHERE brand_id = ?1 AND created_by IN {KEYS}")),
            ("privacy orders", format!("SELECT json_group_array(json_object('order_id', order_id, 'ordered_at', ordered_at)) AS j FROM review_orders WHERE id IN ({MY_ORDERS})")),
            // What the brand decided about them: two reads, one index each
            // (by their keys: `+` keeps the grouping from choosing the
            // brand-wide key), one entry per decision however many of
            // their keys it reached.
            ("privacy blocks", format!("SELECT json_group_array(json_object('kind', 'blocked', 'at', at)) AS j \
                FROM (SELECT MIN(created_at) AS at FROM member_blocks WHERE brand_id = ?1 AND member_key IN {KEYS} GROUP BY +via, +named)")),
            ("privacy removals", format!("SELECT json_group_array(json_object('kind', 'removed', 'group', group_id, 'group_name', (SELECT name FROM groups g WHERE g.id = group_id), 'at', at)) AS j \
                FROM (SELECT r.group_id, MIN(r.created_at) AS at FROM group_removals r WHERE r.member_key IN {KEYS} AND r.brand_id = ?1 GROUP BY r.group_id, r.via, r.named)")),
        ]
    }

    /// The erasure, in one batch (one transaction). Statements that find
    /// the shopper's rows through their testimonials, threads or referrer
    /// records run before the statements that remove or re-key those.
    /// Named results the edge reads: `privacy object keys` (photos'
    /// objects, queued in `object_deletes` for R2), `privacy codes`
    /// (referral codes' KV copies), `privacy products` (first-paint copies
    /// to drop).
    pub fn erase(policy: ErasurePolicy) -> Vec<(&'static str, String)> {
        let t = mine("testimonials");
        let r = mine("referrers");
        let (threads, replies) = (my_posts("threads"), my_posts("replies"));
        let mut all = vec![
            ("privacy object keys", format!("INSERT OR IGNORE INTO object_deletes (key, at) \
                SELECT 'photos/' || id, ?4 FROM photos WHERE testimonial_id IN ({t}) UNION ALL SELECT 'photos/' || id, ?4 FROM photos WHERE thread_id IN ({threads}) RETURNING key")),
            ("privacy photos", format!("DELETE FROM photos WHERE testimonial_id IN ({t})")),
            ("privacy thread photos", format!("DELETE FROM photos WHERE thread_id IN ({threads})")),
            ("privacy codes", format!("SELECT code AS id FROM referrers WHERE id IN ({r})")),
            ("privacy products", format!("SELECT product_id AS id FROM testimonials WHERE id IN ({t}) AND product_id IS NOT NULL")),
            // Deliveries that quote them (the log is kept 30 days).
            ("privacy deliveries", format!("DELETE FROM webhook_deliveries WHERE brand_id = ?1 AND json_valid(payload) AND ( \
                json_extract(payload, '$.testimonial_id') IN ({t}) \
                OR json_extract(payload, '$.thread.id') IN ({threads}) \
                OR json_extract(payload, '$.reply_id') IN ({replies}) \
                OR json_extract(payload, '$.referrer.code') IN (SELECT code FROM referrers WHERE id IN ({r})) \
                OR id IN (SELECT delivery_id FROM review_orders WHERE id IN ({MY_ORDERS}) AND delivery_id IS NOT NULL))")),
            // Stored answers: keyed by their token, or quoting their testimonials (kept a day).
            ("privacy answers by key", "DELETE FROM idempotency_keys WHERE brand_id = ?1 AND key > 'm:' || ?2 || ':' AND key < 'm:' || ?2 || ';'".into()),
            ("privacy answers", format!("DELETE FROM idempotency_keys WHERE brand_id = ?1 AND json_valid(response) AND json_extract(response, '$.id') IN ({t})")),
            // Their acts on others' content.
            ("privacy reactions", format!("DELETE FROM reactions WHERE member_key IN {KEYS} AND (EXISTS (SELECT 1 FROM threads t WHERE t.id = reactions.target_id AND t.brand_id = ?1) \
                OR EXISTS (SELECT 1 FROM replies p WHERE p.id = reactions.target_id AND p.brand_id = ?1))")),
            ("privacy reports", format!("DELETE FROM reports WHERE brand_id = ?1 AND reporter IN {KEYS}")),
            // Who was active today or yesterday (kept two days, for analytics).
            ("privacy activity", format!("DELETE FROM daily_active WHERE brand_id = ?1 AND member_key IN {KEYS}")),
            ("privacy invites", format!("DELETE FROM invites WHERE brand_id = ?1 AND created_by IN {KEYS}")),
            ("privacy memberships", format!("DELETE FROM group_members WHERE member_key IN {KEYS} AND EXISTS (SELECT 1 FROM groups g WHERE g.id = group_members.group_id AND g.brand_id = ?1)")),
            // The browsers a removal of their customer id reached: the link
            // between those tokens and the customer goes with the customer's
            // erasure; the customer's own removal stays (kept, below).
            // Only by the customer's own erasure: a token's erasure keeps its bar.
            ("privacy removal links", format!("DELETE FROM group_removals WHERE brand_id = ?1 AND member_key LIKE 'm:%' AND via LIKE 'id:%' AND via IN {KEYS}")),
            // The same for the browsers a block of their customer id reached.
            ("privacy block links", format!("DELETE FROM member_blocks WHERE brand_id = ?1 AND member_key LIKE 'm:%' AND via LIKE 'id:%' AND via IN {KEYS}")),
            // Their other key noted on a membership under a key they did not send.
            ("privacy membership links", format!("UPDATE group_members SET alt_key = NULL WHERE alt_key IN {KEYS} AND EXISTS (SELECT 1 FROM groups g WHERE g.id = group_members.group_id AND g.brand_id = ?1)")),
            ("privacy votes", "DELETE FROM helpful_votes WHERE voter = ?2 AND EXISTS (SELECT 1 FROM testimonials t WHERE t.id = helpful_votes.testimonial_id AND t.brand_id = ?1)".into()),
            // Their testimonials' history.
            ("privacy edits", format!("DELETE FROM testimonial_edits WHERE testimonial_id IN ({t})")),
            ("privacy consent log", format!("DELETE FROM reuse_consent_log WHERE testimonial_id IN ({t})")),
            ("privacy review links", format!("UPDATE review_requests SET testimonial_id = NULL WHERE id IN (SELECT review_request FROM testimonials WHERE id IN ({t}) AND review_request IS NOT NULL)")),
        ];
        match policy {
            ErasurePolicy::Delete => {
                // Their posts, and replies in their threads (which go with them).
                let posts = format!("{threads} UNION ALL SELECT id FROM replies WHERE thread_id IN ({threads}) UNION ALL {replies}");
                all.push(("privacy post reactions", format!("DELETE FROM reactions WHERE target_id IN ({posts})")));
                all.push(("privacy post reaction counts", format!("DELETE FROM reaction_counts WHERE target_id IN ({posts})")));
                all.push(("privacy post reports", format!("DELETE FROM reports WHERE target_id IN ({posts})")));
                all.push(("privacy replies", format!("DELETE FROM replies WHERE id IN ({replies})")));
                all.push(("privacy threads", format!("DELETE FROM threads WHERE id IN ({threads})")));
                all.push(("privacy testimonials", format!("DELETE FROM testimonials WHERE id IN ({t})")));
            }
            ErasurePolicy::Anonymise => {
                // `gone:<id>`: no key a shopper can present matches it.
                all.push(("privacy anonymise replies", format!("UPDATE replies SET author_key = 'gone:' || id, author_name = '' WHERE id IN ({replies})")));
                all.push(("privacy anonymise threads", format!("UPDATE threads SET author_key = 'gone:' || id, author_name = '', photo = NULL WHERE id IN ({threads})")));
                all.push(("privacy anonymise testimonials", format!("UPDATE testimonials SET author_name = '', author_email = NULL, author_email_canonical = NULL, member_token = NULL, \
                    identity_sub = NULL, photos = '[]', reuse_consent_at = NULL, review_request = NULL, ambassador = 0, reject_note = NULL WHERE id IN ({t})")));
            }
        }
        // The referrer record stays as a nameless tombstone (its code stops
        // working): deleting it would take its friends' claims with it, and
        // with them what stops one address claiming a welcome offer twice.
        all.push(("privacy clicks", format!("DELETE FROM referral_clicks WHERE code IN (SELECT code FROM referrers WHERE id IN ({r}))")));
        // Rewards still waiting for a code are lost (the shopper is told so):
        // a code uploaded later never goes to a referrer who is gone.
        all.push(("privacy waiting rewards", format!("DELETE FROM rewards WHERE referrer_id IN ({r}) AND state = 'pending_coupon'")));
        // With the link request: an emailed link opens nothing (helper-82:
        // it tied the erased referrer to the browser that opened it).
        all.push(("privacy referrers", format!("UPDATE referrers SET name = '', email = 'gone:' || id, canonical_email = 'gone:' || id, member_token = NULL, identity_sub = NULL, \
            code = 'gone-' || id, note = NULL, note_status = NULL, note_at = NULL, note_reject_reason = NULL, note_reject_note = NULL, client = NULL, client_at = NULL, \
            link_request_id = NULL, link_issued_at = NULL, link_requested_at = NULL WHERE id IN ({r})")));
        // Offers they claimed as a friend: unlinked from the token; the
        // address's keyed hash stays for the attribution window.
        all.push(("privacy claims", "UPDATE referral_claims SET member_token = 'gone:' || id WHERE brand_id = ?1 AND member_token = ?2".into()));
        all.push(("privacy orders", format!("DELETE FROM review_orders WHERE id IN ({MY_ORDERS})")));
        all
    }

    /// Every statement, for the plan test.
    pub fn all() -> Vec<(&'static str, String)> {
        let mut v = collect();
        v.extend(erase(ErasurePolicy::Delete));
        v.extend(erase(ErasurePolicy::Anonymise).into_iter().filter(|(n, _)| n.starts_with("privacy anonymise ")));
        v
    }
}

/// What becomes of a column that can hold something of a shopper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Deleted or emptied by every erasure.
    Erased,
    /// The shopper's words: deleted, or kept without their author when the
    /// brand's [`ErasurePolicy`] is `anonymise`.
    ByPolicy,
    /// Kept, for the reason given (GDPR Art. 17(3), or not the shopper's).
    Kept(&'static str),
}

/// A column that can hold something of a shopper, and its fate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holder {
    pub table: &'static str,
    pub column: &'static str,
    pub fate: Fate,
}

const fn erased(table: &'static str, column: &'static str) -> Holder {
    Holder { table, column, fate: Fate::Erased }
}

const fn by_policy(table: &'static str, column: &'static str) -> Holder {
    Holder { table, column, fate: Fate::ByPolicy }
}

const fn kept(table: &'static str, column: &'static str, why: &'static str) -> Holder {
    Holder { table, column, fate: Fate::Kept(why) }
}

const BRANDS_OWN: &str = "the brand's own words or records, not the shopper's (a brand's reply may still name its author: the brand's to edit)";

/// Every D1 column that identifies or quotes a shopper. A test reads the
/// live schema and fails for a column whose name looks like one
/// ([`SUSPECT_COLUMNS`]) and is not listed here, so a new table cannot
/// hold shoppers' data the erasure does not know of.
pub const HOLDERS: &[Holder] = &[
    erased("testimonials", "author_name"),
    erased("testimonials", "author_email"),
    erased("testimonials", "author_email_canonical"),
    erased("testimonials", "member_token"),
    erased("testimonials", "identity_sub"),
    erased("testimonials", "photos"),
    erased("testimonials", "reject_note"),
    erased("testimonials", "review_request"),
    by_policy("testimonials", "title"),
    by_policy("testimonials", "body"),
    by_policy("testimonials", "reject_reason"),
    kept("testimonials", "reply_body", BRANDS_OWN),
    kept("testimonial_reply_log", "body", BRANDS_OWN),
    erased("testimonial_edits", "title"),
    erased("testimonial_edits", "body"),
    erased("reuse_consent_log", "client"),
    erased("helpful_votes", "voter"),
    erased("idempotency_keys", "key"),
    erased("idempotency_keys", "response"),
    erased("idempotency_keys", "request"),
    kept("testimonial_tombstones", "digest", "a keyed hash of a deleted testimonial's brand and id (import::tombstone), so a partner's export does not bring it back: not reversible without the deployment's secret, nothing of the shopper"),
    kept("erasure_tombstones", "digest", "a keyed hash of an erased testimonial's id (import::erasure_tombstone), so no brand of the edge imports a partner's copy of it again: not reversible without the deployment's secret, nothing of the shopper"),
    kept("object_deletes", "key", "an object's R2 key while its deletion is pending; gone once R2 confirms"),
    erased("referrers", "name"),
    erased("referrers", "email"),
    erased("referrers", "canonical_email"),
    erased("referrers", "member_token"),
    erased("referrers", "identity_sub"),
    erased("referrers", "note"),
    erased("referrers", "note_status"),
    erased("referrers", "note_at"),
    erased("referrers", "note_reject_reason"),
    erased("referrers", "note_reject_note"),
    erased("referrers", "client"),
    erased("referrers", "client_at"),
    erased("referral_clicks", "client"),
    erased("referral_claims", "member_token"),
    kept("referral_claims", "network_claims", "how many claims on the code came from the claim's network in the hour up to it: a count, no address"),
    kept("referral_claims", "from_referrer", "whether the claim came from the address its referrer signed up from in the day before: a flag, no address"),
    kept("referral_claims", "network", "a keyed hash of the /24 or /48 a welcome offer went to, for the one-network rule; dropped after a day"),
    kept("referral_claims", "client", "a keyed hash of the address a welcome offer went to, so erasing does not unlock a second offer; dropped after 365 days"),
    kept("conversions", "order_id", BRANDS_OWN),
    kept("conversions", "reason", BRANDS_OWN),
    kept("coupons", "assigned_to", "a claim or reward id, nothing of the shopper once those go"),
    kept("groups", "member_count", "a count, nobody's"),
    erased("group_members", "member_key"),
    erased("group_members", "display_name"),
    erased("group_members", "alt_key"),
    erased("invites", "created_by"),
    erased("invites", "token"),
    by_policy("threads", "author_key"),
    by_policy("threads", "author_name"),
    by_policy("threads", "title"),
    by_policy("threads", "body"),
    erased("threads", "photo"),
    kept("threads", "reply_body", BRANDS_OWN),
    kept("thread_reply_log", "body", BRANDS_OWN),
    by_policy("replies", "author_key"),
    by_policy("replies", "author_name"),
    by_policy("replies", "body"),
    erased("reactions", "member_key"),
    erased("daily_active", "member_key"),
    erased("reports", "reporter"),
    erased("reports", "reason"),
    erased("reports", "network"),
    erased("reports", "network_group"),
    kept("member_blocks", "member_key", "the brand's block of an abusive member (GDPR Art. 17(3)(e): defence of legal claims, and Art. 21(1) legitimate interest)"),
    kept("member_blocks", "via", "the key of the member the brand named, so lifting the block (POST .../unblocks) lifts what it reached; a block of a customer that reached a browser's token goes with an erasure"),
    kept("member_blocks", "named", "how the brand named the member (their customer id or a post's id, never a member token), so the brand can list its blocks and lift one"),
    kept("group_removals", "named", "how the brand named the member (their customer id or a post's id, never a member token), so the brand can list its removals and readmit one"),
    kept("group_removals", "member_key", "the brand's removal of a member from a group, so erasing does not let them back in (GDPR Art. 17(3)(e) and Art. 21(1), as blocks)"),
    kept("group_removals", "via", "the key of the member the brand named (a post's author), so a readmission lifts what that removal reached; a removal of a customer that reached a browser's token goes with an erasure"),
    erased("review_orders", "order_id"),
    erased("review_orders", "who"),
    erased("review_orders", "email"),
    erased("review_orders", "customer"),
    kept("review_opt_outs", "who", "a do-not-contact record: erasing it would start review requests again"),
    erased("webhook_deliveries", "payload"),
    kept("rate_limits", "bucket", "keyed hashes of client addresses and member tokens, expired within the hour"),
];

/// Column names that suggest a shopper's data (the schema test's net).
pub const SUSPECT_COLUMNS: &[&str] = &[
    "author", "member", "voter", "email", "customer", "identity", "client", "reporter", "created_by", "display_name", "who", "payload", "response",
    "assigned_to", "body", "title", "reason", "photo", "order_id", "review_request", "note", "key", "token", "bucket",
];

/// Whether the schema test should ask about `table.column`.
pub fn suspect(table: &str, column: &str) -> bool {
    // The brand's own settings and keys are not a shopper's; nor D1's tables.
    if table == "brands" || table.starts_with("_cf") || table.starts_with("sqlite") || table == "d1_migrations" {
        return false;
    }
    SUSPECT_COLUMNS.iter().any(|s| column.contains(s))
}

/// The fate of `table.column`, if listed.
pub fn fate(table: &str, column: &str) -> Option<Fate> {
    HOLDERS.iter().find(|h| h.table == table && h.column == column).map(|h| h.fate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_masked_by_character_not_byte() {
        assert_eq!(mask_email("ana@example.com"), "a\u{2022}\u{2022}\u{2022}@example.com");
        assert_eq!(mask_email("\u{0632}\u{0647}\u{0631}\u{0627}@example.ir"), "\u{0632}\u{2022}\u{2022}\u{2022}@example.ir");
        assert_eq!(mask_email("nope"), "\u{2022}\u{2022}\u{2022}");
    }

    #[test]
    fn policy_reads_and_defaults() {
        let c: PrivacyConfig = serde_json::from_str("{}").unwrap_or_default();
        assert_eq!(c.erasure, ErasurePolicy::Delete);
        let c: Result<PrivacyConfig, _> = serde_json::from_str(r#"{"erasure":"anonymise","webhook_url":"https://hooks.example/p"}"#);
        assert!(matches!(c, Ok(PrivacyConfig { erasure: ErasurePolicy::Anonymise, .. })));
        assert!(serde_json::from_str::<PrivacyConfig>(r#"{"erasure":"shred"}"#).is_err());
    }

    #[test]
    fn the_net_catches_shopper_columns_and_spares_the_brands() {
        assert!(suspect("threads", "author_key"));
        assert!(suspect("new_table", "member_key"));
        assert!(!suspect("brands", "identity_secret"));
        assert!(!suspect("testimonials", "rating"));
        for h in HOLDERS {
            assert!(fate(h.table, h.column).is_some());
        }
    }
}
