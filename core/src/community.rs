//! Micro-communities: interest groups, threads, replies, reactions and
//! invites. Who may read and who may join are decided here, once.

use crate::error::{ApiError, ErrorCode};
use crate::text;
use serde::{Deserialize, Serialize};

pub const GROUP_NAME_MAX: usize = 60;
pub const GROUP_DESCRIPTION_MAX: usize = 500;
pub const THREAD_TITLE_MAX: usize = 120;
pub const POST_BODY_MAX: usize = 5000;
/// A member's display name in a group.
pub const MEMBER_NAME_MAX: usize = 40;
/// An invite link lives 1 hour to 30 days.
pub const INVITE_HOURS_MAX: u32 = 720;
/// The longest member key (`m:<token>` or `id:<customer>`).
pub const MEMBER_KEY_MAX: usize = 220;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    #[default]
    Public,
    Private,
}

/// Pre-moderation: posts wait for the brand. Post-moderation: posts show at
/// once and can be hidden after a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum GroupModeration {
    Pre,
    #[default]
    Post,
}

impl GroupModeration {
    /// The stored and wire form.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pre => "pre",
            Self::Post => "post",
        }
    }
}

impl Visibility {
    /// The stored and wire form.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::Private => "private",
        }
    }
}

/// The state of a thread or reply, as stored and as shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PostStatus {
    /// Awaiting the brand's approval (pre-moderated group, or a surge);
    /// shown to its author only.
    Pending,
    #[default]
    Visible,
    /// Hidden by the brand.
    Hidden,
    /// Deleted by the brand (never shown, never moderated again).
    Deleted,
}

impl PostStatus {
    /// The stored and wire form.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Visible => "visible",
            Self::Hidden => "hidden",
            Self::Deleted => "deleted",
        }
    }
}

/// What a post is: a thread, or a reply in one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PostKind {
    Thread,
    Reply,
}

impl PostKind {
    /// The stored and wire form (`thread`, `reply`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Thread => "thread",
            Self::Reply => "reply",
        }
    }

    /// The table its posts live in.
    pub const fn table(self) -> &'static str {
        match self {
            Self::Thread => "threads",
            Self::Reply => "replies",
        }
    }
}

/// A member's role in a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    #[default]
    Member,
    /// Pins threads, makes invites; posts unmoderated in pre-moderated groups.
    Lead,
}

impl Role {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Member => "member",
            Self::Lead => "lead",
        }
    }
}

/// Which signed URL a thread's photo is given by to a shopper
/// (`crate::photo::signed_url`: an `<img>` sends no member token), for a
/// thread in `status`, in a private group or not, seen by its author (`own`)
/// or not: the author's own post waiting for moderation, `Author`; a shown
/// thread of a private group, `Members`; otherwise none (a public photo, or
/// one not theirs to see). The edge's thread views and the data download
/// both ask here.
pub fn photo_grant(status: PostStatus, private: bool, own: bool) -> Option<crate::photo::SignedFor> {
    use crate::photo::SignedFor;
    match status {
        PostStatus::Pending if own => Some(SignedFor::Author),
        PostStatus::Visible if private => Some(SignedFor::Members),
        _ => None,
    }
}

/// Whether someone may read a group's threads and replies.
pub fn can_read(visibility: Visibility, is_member: bool) -> bool {
    visibility == Visibility::Public || is_member
}

/// Whether someone may join: public groups are open; private ones need a
/// brand-verified identity or a valid invite.
pub fn can_join(visibility: Visibility, verified: bool, valid_invite: bool) -> bool {
    visibility == Visibility::Public || verified || valid_invite
}

impl NewGroup {
    /// This group with an RFC 7396 JSON merge patch applied (members left
    /// out stay; `null` clears `description`, `product` and `tag`), checked
    /// and normalised as a new group is ([`Self::validate`]). `name`, `visibility` and `moderation` cannot be
    /// cleared (a `null` visibility must not quietly make a private group
    /// public).
    ///
    /// # Errors
    /// `bad_request` when the patch is not a JSON object; `validation_failed`
    /// naming the member: unknown, cleared, or a bad value.
    pub fn merge_patch(&self, patch: &serde_json::Value) -> Result<Self, ApiError> {
        let serde_json::Value::Object(members) = patch else {
            return Err(ApiError::field(ErrorCode::ValidationFailed, "", "a group patch is a JSON object (RFC 7396 merge patch)"));
        };
        for (key, value) in members {
            if value.is_null() && matches!(key.as_str(), "name" | "visibility" | "moderation") {
                return Err(ApiError::field(ErrorCode::ValidationFailed, key, format!("{key} cannot be cleared")));
            }
        }
        let mut doc = serde_json::to_value(self).map_err(|e| ApiError::new(ErrorCode::Internal, format!("group: {e}")))?;
        json_patch::merge(&mut doc, patch);
        let merged: NewGroup = serde_path_to_error::deserialize(doc).map_err(crate::error::shape_error)?;
        // An object sent as a list was read by position: refused where it is.
        if let Some(path) = serde_json::to_value(&merged).ok().and_then(|read| crate::error::positional(patch, &read)) {
            return Err(ApiError::field(ErrorCode::ValidationFailed, &path, format!("{path}: an object, not a list")));
        }
        merged.validate()
    }
}

/// The group to offer a shopper who just wrote a review (issue 15, part 1:
/// review, then referral, then group): among `groups` (as the shopper sees
/// them), one they may join by themselves (public) and are not in, whose
/// tag is one of the review's `tags` (the review's first tag that a group
/// has wins), else one about the review's `product`. `None`: nothing fits,
/// nothing is offered.
pub fn suggest<'a>(groups: &'a [GroupView], product: Option<&str>, tags: &[String]) -> Option<&'a GroupView> {
    let open = || groups.iter().filter(|g| g.visibility == Visibility::Public && !g.member);
    tags.iter()
        .find_map(|t| open().find(|g| g.tag.as_deref() == Some(t.as_str())))
        .or_else(|| product.and_then(|p| open().find(|g| g.product.as_deref() == Some(p))))
}

/// Why an invite does not work.
pub fn invite_problem(expires_at: i64, revoked: bool, single_use: bool, uses: i64, now: i64) -> Option<&'static str> {
    if revoked {
        Some("this invite was revoked")
    } else if expires_at <= now {
        Some("this invite has expired")
    } else if single_use && uses > 0 {
        Some("this invite was already used")
    } else {
        None
    }
}

/// `POST /v1/admin/brands/{brand}/groups`
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewGroup {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub visibility: Visibility,
    #[serde(default)]
    pub moderation: GroupModeration,
    #[serde(default)]
    pub product: Option<String>,
    /// The group's interest: a testimonial tag (normalised as one,
    /// `crate::testimonial::normalize_tags`). A visitor arriving with the
    /// group's invite sees testimonials with it first (`crate::context`).
    #[serde(default)]
    pub tag: Option<String>,
}

impl NewGroup {
    /// The group checked and normalised for storage: name and description
    /// as text fields, the product id checked, the tag as a testimonial's.
    ///
    /// # Errors
    /// `validation_failed` naming the field (`name`, `description`,
    /// `product`, `tag`).
    pub fn validate(&self) -> Result<Self, ApiError> {
        let name = text::field(&self.name, "name", 1, GROUP_NAME_MAX, false)?;
        let description = text::field(&self.description, "description", 0, GROUP_DESCRIPTION_MAX, true)?;
        let product = match self.product.as_deref().filter(|p| !p.is_empty()) {
            Some(p) => Some(crate::ProductId::in_body(p, "product")?),
            None => None,
        };
        let tag = crate::testimonial::normalize_tags(&self.tag.iter().cloned().collect::<Vec<_>>())
            .map_err(|e| ApiError::field(ErrorCode::ValidationFailed, "tag", e.message))?
            .pop();
        Ok(Self { name, description, visibility: self.visibility, moderation: self.moderation, product: product.map(|p| p.as_str().to_owned()), tag })
    }
}

/// A group as shoppers see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupView {
    pub id: String,
    pub name: String,
    pub description: String,
    pub visibility: Visibility,
    #[serde(default)]
    pub product: Option<String>,
    /// Its interest tag, if the brand gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    pub members: u32,
    /// Whether the caller belongs to it.
    pub member: bool,
    /// Threads with activity since the caller last looked, counted up to
    /// `sql::UNREAD_CAP` (100): show "99+" from there.
    pub unread: u32,
}

/// `POST .../groups/{group}/join`
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Join {
    pub display_name: String,
    #[serde(default)]
    pub invite: Option<String>,
}

/// `POST .../groups/{group}/threads`
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewThread {
    pub title: String,
    pub body: String,
    #[serde(default)]
    pub photo: Option<String>,
}

impl NewThread {
    pub fn validate(&self) -> Result<(String, String), ApiError> {
        let title = text::field(&self.title, "title", 1, THREAD_TITLE_MAX, false)?;
        let body = text::field(&self.body, "body", 1, POST_BODY_MAX, true)?;
        if let Some(p) = &self.photo {
            if !crate::testimonial::is_photo_id(p) {
                return Err(ApiError::field(ErrorCode::ValidationFailed, "photo", "unknown photo id"));
            }
        }
        Ok((title, body))
    }
}

/// `POST .../threads/{thread}/replies`
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewReply {
    pub body: String,
}

/// What an `Idempotency-Key` on a new thread or reply stands for: its
/// place (the group or thread) and words, hashed (SHA-256, 16 bytes, hex).
/// The same key sent with other words is refused, not answered with the
/// first post (as a testimonial's: `NewTestimonial::fingerprint`).
pub fn post_fingerprint(place: &str, words: &[&str]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for part in std::iter::once(place).chain(words.iter().copied()) {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    crate::auth::hex(&h.finalize()[..16])
}

impl NewReply {
    pub fn validate(&self) -> Result<String, ApiError> {
        text::field(&self.body, "body", 1, POST_BODY_MAX, true)
    }
}

/// Reactions shoppers can leave; the widget draws them.
pub const REACTIONS: [&str; 4] = ["like", "love", "helpful", "celebrate"];

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct React {
    pub kind: String,
    /// The state wanted: `true` on, `false` off, whatever it was (a retry
    /// after a lost answer leaves it as asked). Without it the reaction
    /// toggles, and such a retry undoes the first tap (helper-104).
    #[serde(default)]
    pub on: Option<bool>,
}

impl React {
    pub fn validate(&self) -> Result<&str, ApiError> {
        REACTIONS
            .iter()
            .find(|k| **k == self.kind)
            .copied()
            .ok_or_else(|| ApiError::field(ErrorCode::ValidationFailed, "kind", "a reaction is like, love, helpful or celebrate"))
    }
}

/// What a shopper may say is wrong with a post, in the order the widget
/// offers them: the brand's own reasons for rejecting a testimonial
/// ([`RejectReason`](crate::moderation::RejectReason)) but `duplicate`,
/// which a shopper cannot tell. A report's [`Report::reason`] is one of
/// these; the console shows them in the moderator's words.
pub const REPORT_REASONS: [crate::moderation::RejectReason; 5] = {
    use crate::moderation::RejectReason as R;
    [R::Spam, R::Offensive, R::PersonalData, R::OffTopic, R::Other]
};

/// `POST /v1/brands/{brand}/{threads|replies}/{id}/report`: why the
/// member reports the post.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// One of [`REPORT_REASONS`]' names: `spam`, `offensive`,
    /// `personal_data`, `off_topic`, `other`.
    pub reason: String,
}

impl Report {
    /// The reason, one of [`REPORT_REASONS`]. A name, never free text:
    /// any member may report, and the brand's moderators read it
    /// (helper-91: a report whose reason read "Spam · 1 report(s) ·
    /// checked by Kindred: keep" passed for the console's own words).
    ///
    /// # Errors
    /// `validation_failed` on `reason` for anything else.
    pub fn validate(&self) -> Result<crate::moderation::RejectReason, ApiError> {
        REPORT_REASONS.into_iter().find(|r| r.as_str() == self.reason).ok_or_else(|| {
            ApiError::field(ErrorCode::ValidationFailed, "reason", "a report's reason is spam, offensive, personal_data, off_topic or other")
        })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewInvite {
    /// Hours until it expires (1 to 720).
    #[serde(deserialize_with = "crate::error::whole")]
    pub expires_in_hours: u32,
    #[serde(default)]
    pub single_use: bool,
}

impl NewInvite {
    pub fn validate(&self) -> Result<(), ApiError> {
        if (1..=INVITE_HOURS_MAX).contains(&self.expires_in_hours) {
            Ok(())
        } else {
            Err(ApiError::field(ErrorCode::ValidationFailed, "expires_in_hours", format!("expires_in_hours is 1 to {INVITE_HOURS_MAX}")))
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ThreadView {
    pub id: String,
    pub group_id: String,
    pub author_name: String,
    pub title: String,
    pub body: String,
    #[serde(default)]
    pub photo: Option<crate::photo::PhotoView>,
    pub pinned: bool,
    pub reply_count: u32,
    pub reactions: Vec<(String, u32)>,
    /// The brand's public reply under the opening post (`crate::reply`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand_reply: Option<crate::reply::BrandReply>,
    /// `visible` or, for the author and moderators, `pending`.
    pub status: PostStatus,
    pub last_activity_at: i64,
    pub created_at: i64,
    /// Whether the shopper asking wrote it (one of their member or identity
    /// keys is its author's): the widget offers no Report on it, which the
    /// edge refuses. Always `false` in the brand's views.
    #[serde(default)]
    pub mine: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReplyView {
    pub id: String,
    pub author_name: String,
    pub body: String,
    pub reactions: Vec<(String, u32)>,
    pub status: PostStatus,
    pub created_at: i64,
    /// Whether the shopper asking wrote it, as [`ThreadView::mine`].
    #[serde(default)]
    pub mine: bool,
}

/// Groups (`GET /v1/brands/{brand}/groups`, and every group for the admin).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupList {
    pub groups: Vec<GroupView>,
}

/// Unread threads per group id, for the groups the shopper belongs to,
/// each counted up to `sql::UNREAD_CAP` (100), so the count reads a bounded
/// number of rows however busy the group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Unread {
    pub unread: std::collections::BTreeMap<String, u32>,
}

/// A page of a group's threads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ThreadList {
    pub group: GroupView,
    pub threads: Vec<ThreadView>,
    /// Pass as `cursor` for the next page; `null` on the last.
    pub next_cursor: Option<String>,
}

/// A thread with a page of its replies (oldest first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ThreadPage {
    pub thread: ThreadView,
    pub replies: Vec<ReplyView>,
    /// Pass as `before` for the replies before these; `null` at the start.
    pub earlier_cursor: Option<String>,
    /// The reactions the caller turned on among this page's posts (the
    /// thread's and these replies'), as `[post id, kind]` sorted: their buttons
    /// are drawn pressed (a tab that did not press them, or a reload,
    /// knew nothing of them: helper-95). Empty for a caller without a
    /// member token or identity.
    #[serde(default)]
    pub reacted: Vec<(String, String)>,
}

/// An invite link's token (the brand's page with
/// `?kindred_group=<group_id>&kindred_invite=<token>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invite {
    pub token: String,
    pub group_id: String,
    /// ms since the epoch.
    pub expires_at: i64,
    pub single_use: bool,
}

/// Whether a thread is pinned now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Pinned {
    pub pinned: bool,
}

/// A reaction toggled: whether the shopper's is on now, and the counts
/// (`[[reaction, count], ...]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reactions {
    pub on: bool,
    pub reactions: Vec<(String, u32)>,
}

/// A report was taken (`202`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reported {
    pub reported: bool,
}

/// A member as the brand's admin routes name them (`member_key`, at most
/// 220 characters): `id:<customer>` for a shopper the brand vouched for,
/// or `post:<thread or reply id>` for the author of a post the brand sees
/// (the pending queue, the report queue, a group's threads). A shopper
/// without an identity is known to the community by their member token, a
/// bearer credential the brand is never shown (`kindred_core::export`), so
/// `post:` is how the brand points at them. `m:<member token>` is still
/// taken from a caller who holds one. `legacy:<id>` names a block the
/// brand made before decisions kept their names (`GET .../blocks`), to
/// lift it; nothing else takes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MemberRef {
    pub member_key: String,
}

/// Who a [`MemberRef`] points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberTarget<'a> {
    /// A member key as the community stores it (`id:..`, `m:..`).
    Key(&'a str),
    /// The author of this thread or reply (its id).
    AuthorOf(&'a str),
    /// A decision from before decisions kept their names, by the name its
    /// list gives it (`legacy:<id>`): only lifting takes it.
    Legacy(&'a str),
}

impl MemberRef {
    /// # Errors
    /// `validation_failed` naming `member_key` when it is none of the forms
    /// above, or longer than 220 characters.
    pub fn validate(&self) -> Result<MemberTarget<'_>, ApiError> {
        let k = self.member_key.as_str();
        let bad = || ApiError::field(ErrorCode::ValidationFailed, "member_key", "a member looks like id:<customer> or post:<thread or reply id>");
        let target = if let Some(post) = k.strip_prefix("post:") {
            (!post.is_empty()).then_some(MemberTarget::AuthorOf(post))
        } else if k.strip_prefix("legacy:").is_some_and(|rest| !rest.is_empty()) {
            Some(MemberTarget::Legacy(k))
        } else if k.strip_prefix("id:").or_else(|| k.strip_prefix("m:")).is_some_and(|rest| !rest.is_empty()) {
            Some(MemberTarget::Key(k))
        } else {
            None
        };
        target.filter(|_| k.len() <= MEMBER_KEY_MAX).ok_or_else(bad)
    }
}

/// How a shopper's member key is shown to the brand: an `id:<customer>`
/// key as it is (the brand's own customer id), anyone else as the author of
/// `post` (`post:<id>`), never their member token.
pub fn author_ref(author_key: &str, post: &str) -> String {
    if author_key.starts_with("id:") {
        author_key.to_owned()
    } else {
        format!("post:{post}")
    }
}

/// `POST /v1/admin/brands/{brand}/groups/{group}/removals`: the member is
/// out of the group and may not join it again, with an invite or an
/// identity, until the brand readmits them (`POST .../readmissions`). The
/// answer does not say whether they were in it: after an earlier removal,
/// that would tell whether the two named the same person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Removed {
    /// As the request named them.
    pub member_key: String,
}

/// `POST /v1/admin/brands/{brand}/groups/{group}/readmissions`: a removal
/// lifted (`readmitted`: whether there was one). The member is not put
/// back: they may join again as anyone may.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Readmitted {
    pub member_key: String,
    pub readmitted: bool,
}

/// A member made a group lead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeadMade {
    pub member_key: String,
    pub role: Role,
}

/// A member blocked from posting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Blocked {
    pub blocked: String,
}

/// `POST /v1/admin/brands/{brand}/unblocks`: the blocks `member_key` names
/// lifted (`unblocked`: whether there was any).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Unblocked {
    pub member_key: String,
    pub unblocked: bool,
}

/// One decision the brand took about a member and keeps until it lifts it:
/// a block (`GET .../blocks`) or a removal from a group (`GET
/// .../groups/{group}/removals`). One entry per decision, however many of
/// the member's keys (browsers) it reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Restriction {
    /// The member as the brand named them (`id:<customer>` or
    /// `post:<thread or reply id>`): what lifts the decision (`POST
    /// .../unblocks`, `POST .../readmissions`), even once that post is gone
    /// or its author erased their data. Never a member token.
    pub member_key: String,
    /// Their name on the post named, else in one of the brand's groups;
    /// `null` when neither is known any more.
    pub name: Option<String>,
    /// When the brand decided, ms since the Unix epoch.
    pub created_at: i64,
}

/// How many decisions a page of the lists below holds, newest first.
pub const RESTRICTIONS_MAX: u32 = 200;

/// `GET /v1/admin/brands/{brand}/blocks`: a page of the brand's blocks,
/// newest first (at most [`RESTRICTIONS_MAX`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BlockList {
    pub blocks: Vec<Restriction>,
    /// The next page's `cursor` ([`restriction_cursor`]), `null` on the
    /// last page.
    pub next_cursor: Option<String>,
}

/// `GET /v1/admin/brands/{brand}/groups/{group}/removals`: a page of the
/// members taken out of the group, newest first (at most
/// [`RESTRICTIONS_MAX`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RemovalList {
    pub removals: Vec<Restriction>,
    /// As [`BlockList::next_cursor`].
    pub next_cursor: Option<String>,
}

/// A page of [`BlockList`] or [`RemovalList`] ends at its last entry: the
/// next page's cursor is `"{created_at}.{member_key}"` (`crate::page`; the
/// decision's name, which the list shows anyway). Reads one:
/// `(created_at, member_key)`, the page goes on with decisions older than
/// that, or as old with a smaller name.
///
/// # Errors
/// `bad_request` naming `cursor` when it is not one this API gave.
pub fn parse_restriction_cursor(raw: &str) -> Result<(i64, String), ApiError> {
    let after = crate::page::parse(raw, |named| MemberRef { member_key: named.to_owned() }.validate().is_ok())?;
    Ok((after.at, after.key))
}


/// How many posts a page of a group's moderation queue holds
/// ([`PendingPosts`], [`HiddenPosts`]).
pub const QUEUE_PAGE: u32 = 50;

/// A post in one of a group's moderation queues: awaiting approval in a
/// pre-moderated group ([`PendingPosts`]), or hidden by a moderator
/// ([`HiddenPosts`]). `POST .../{threads|replies}/{id}/approve` shows it,
/// `.../delete` deletes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueuedPost {
    pub kind: PostKind,
    pub id: String,
    /// Who wrote it, as the admin routes take a member
    /// ([`MemberRef`]): `id:<customer>` for a signed-in author, else
    /// `post:<id>` ([`author_ref`]).
    pub author_key: String,
    pub author_name: String,
    /// A thread's is `<title>: <body>`.
    pub body: String,
    /// When it was written, ms since the Unix epoch.
    pub created_at: i64,
    /// When a moderator last hid it (ms since the Unix epoch): the hidden
    /// queue's order; `null` for a post never hidden.
    pub hidden_at: Option<i64>,
}

/// `GET /v1/admin/brands/{brand}/groups/{group}/pending`: a page of the
/// group's posts awaiting approval, oldest first (at most [`QUEUE_PAGE`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PendingPosts {
    pub pending: Vec<QueuedPost>,
    /// The next page's `cursor` ([`PostQueue::cursor`]), `null` on the last page.
    pub next_cursor: Option<String>,
}

/// `GET /v1/admin/brands/{brand}/groups/{group}/hidden`: a page of the
/// group's hidden posts (threads and replies), hidden last first (at most
/// [`QUEUE_PAGE`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HiddenPosts {
    pub hidden: Vec<QueuedPost>,
    /// As [`PendingPosts::next_cursor`].
    pub next_cursor: Option<String>,
}

/// One of a group's moderation queues: what it reads and in which order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostQueue {
    /// [`PendingPosts`]: awaiting approval, oldest first.
    Pending,
    /// [`HiddenPosts`]: hidden by a moderator, hidden last first.
    Hidden,
}

impl PostQueue {
    /// Its statement (`crate::sql::PENDING_POSTS`, `crate::sql::HIDDEN_POSTS`)
    /// and the time its first page starts from (`?2`, with `''` as `?3`).
    pub fn sql(self) -> (&'static str, i64) {
        match self {
            Self::Pending => (crate::sql::PENDING_POSTS, i64::MIN),
            Self::Hidden => (crate::sql::HIDDEN_POSTS, i64::MAX),
        }
    }

    /// A page ends at its last post: the next page's cursor is
    /// `"{time}.{id}"` (`crate::page`), the time the queue is ordered by
    /// (`created_at`, `hidden_at`; what the page showed), which this gives.
    pub fn cursor_time(self, post: &QueuedPost) -> i64 {
        match self {
            Self::Pending => post.created_at,
            Self::Hidden => post.hidden_at.unwrap_or(post.created_at),
        }
    }
}

/// Reads a queue's cursor ([`PostQueue::cursor_time`]): `(time, id)`, where the next page
/// starts (after it in the queue's order).
///
/// # Errors
/// `bad_request` naming `cursor` when it is not one this API gave.
pub fn parse_queue_cursor(raw: &str) -> Result<(i64, String), ApiError> {
    let after = crate::page::parse(raw, crate::page::is_id)?;
    Ok((after.at, after.key))
}

/// Reports of one post, grouped (the report queue), with the post's words
/// the moderator decides on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportEntry {
    pub id: String,
    pub group_id: String,
    /// The group's name.
    pub group_name: String,
    pub target_type: PostKind,
    pub target_id: String,
    /// A thread's title; `""` for a reply.
    pub title: String,
    /// The post's first [`REPORT_EXCERPT_CHARS`] characters.
    pub excerpt: String,
    /// Its author's shown name.
    pub author_name: String,
    /// The latest report's reason.
    pub reason: String,
    /// How many of its open reports give each reason (`{"personal_data":
    /// 1, "spam": 2}`): one reporter's later "spam" never hides another's
    /// "personal_data" (helper-91). Reports from before reasons were names
    /// count under the words they gave (`""` for none).
    #[serde(deserialize_with = "reason_counts")]
    pub reasons: std::collections::BTreeMap<String, i64>,
    /// The first report's time, ms since the epoch.
    pub created_at: i64,
    /// How many reports the post has. The queue is ordered first by how
    /// many networks (an IPv4 /24 or IPv6 /48) they came from, so one
    /// client's reports under many member tokens (helper-92) count once;
    /// that count is not given: with the brand's export, which names
    /// signed-in reporters, it would tell that an anonymous reporter
    /// shares a signed-in one's network (helper-93).
    pub reports: i64,
}

/// [`ReportEntry::reasons`] from the API's object, or from the report
/// queue's column (`sql::REPORT_QUEUE`): the reasons joined by U+001F.
fn reason_counts<'de, D: serde::Deserializer<'de>>(d: D) -> Result<std::collections::BTreeMap<String, i64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either {
        Joined(Option<String>),
        Counts(std::collections::BTreeMap<String, i64>),
    }
    Ok(match Either::deserialize(d)? {
        Either::Counts(c) => c,
        Either::Joined(None) => std::collections::BTreeMap::new(),
        Either::Joined(Some(j)) => {
            let mut counts = std::collections::BTreeMap::new();
            for r in j.split('\u{1F}') {
                *counts.entry(r.to_owned()).or_insert(0) += 1;
            }
            counts
        }
    })
}

/// How much of a reported post's text the report queue shows, in characters.
pub const REPORT_EXCERPT_CHARS: u32 = 280;

/// How many posts a page of the report queue holds.
pub const REPORTS_PAGE: u32 = 100;

/// How long an open report keeps its network's hash (`reports.network`,
/// which orders the queue: `crate::sql::REPORT_QUEUE`): 30 days, while a moderator may still be to
/// read it (a decision clears it at once). The post's reports from one
/// network still count once after (`reports.network_group`).
pub const REPORT_NETWORK_KEEP_MS: i64 = 30 * 86_400_000;

/// `GET /v1/admin/brands/{brand}/reports`: a page of the report queue,
/// reported from the most networks first (`crate::sql::REPORT_QUEUE`),
/// then the most reported, then the longest waiting, at most
/// [`REPORTS_PAGE`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportList {
    pub reports: Vec<ReportEntry>,
    /// The next page's `cursor` ([`report_cursor`]), `null` on the last
    /// page. Every open report is reachable page by page: a client that
    /// reports many posts many times puts them first, never the others
    /// out of reach (helper-88: the queue stopped at 200).
    pub next_cursor: Option<String>,
}

/// The next page's cursor after a page of the report queue that began at
/// `offset` and held `shown` posts: the offset of the post after them, as
/// decimal digits. An offset, not the last post's place in the order,
/// which would carry how many networks it was reported from (helper-94).
pub fn report_cursor(offset: u32, shown: usize) -> String {
    (u64::from(offset) + shown as u64).to_string()
}

/// The largest offset [`parse_report_cursor`] takes: far past any queue a
/// moderator reads page by page.
pub const REPORT_OFFSET_MAX: u32 = 1_000_000;

/// Reads a [`report_cursor`]: how many posts of the queue come before the
/// page. A post reported again between two reads may move: a console
/// lists one it saw twice once (the order is by the reports' networks,
/// then their number).
///
/// # Errors
/// `bad_request` naming `cursor` when it is not one this API gave (the
/// four-part cursors of before are refused).
pub fn parse_report_cursor(raw: &str) -> Result<u32, ApiError> {
    let bad = || ApiError::field(ErrorCode::BadRequest, "cursor", "cursor is the next_cursor of the previous page");
    if raw.is_empty() || raw.len() > 7 || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    raw.parse().ok().filter(|n| *n <= REPORT_OFFSET_MAX).ok_or_else(bad)
}

/// A thread or reply moderated: its status (`visible`, `hidden`,
/// `deleted`) and pin, where the action set them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PostModerated {
    pub id: String,
    pub status: Option<PostStatus>,
    pub pinned: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_threads_photo_is_signed_for_its_author_while_it_waits_and_for_members_while_shown() {
        use crate::photo::SignedFor;
        assert_eq!(photo_grant(PostStatus::Pending, false, true), Some(SignedFor::Author));
        assert_eq!(photo_grant(PostStatus::Pending, true, true), Some(SignedFor::Author));
        assert_eq!(photo_grant(PostStatus::Pending, true, false), None, "another's post waiting");
        assert_eq!(photo_grant(PostStatus::Visible, true, false), Some(SignedFor::Members));
        assert_eq!(photo_grant(PostStatus::Visible, false, true), None, "public: its plain URL");
        for taken_down in [PostStatus::Hidden, PostStatus::Deleted] {
            assert_eq!(photo_grant(taken_down, true, true), None);
        }
    }

    #[test]
    fn reading_and_joining() {
        assert!(can_read(Visibility::Public, false));
        assert!(!can_read(Visibility::Private, false));
        assert!(can_read(Visibility::Private, true));
        assert!(can_join(Visibility::Public, false, false));
        assert!(!can_join(Visibility::Private, false, false));
        assert!(can_join(Visibility::Private, true, false));
        assert!(can_join(Visibility::Private, false, true));
    }

    #[test]
    fn the_group_offered_after_a_review_fits_its_tags_then_its_product() {
        let g = |id: &str, tag: Option<&str>, product: Option<&str>, visibility: Visibility, member: bool| GroupView {
            id: id.into(),
            name: id.into(),
            description: String::new(),
            visibility,
            product: product.map(Into::into),
            tag: tag.map(Into::into),
            members: 0,
            member,
            unread: 0,
        };
        let groups = [
            g("shoe", None, Some("sku-1"), Visibility::Public, false),
            g("secret", Some("vegan"), None, Visibility::Private, false),
            g("runners", Some("trail running"), None, Visibility::Public, false),
            g("vegans", Some("vegan"), None, Visibility::Public, false),
            g("in", Some("gym"), None, Visibility::Public, true),
        ];
        let tags = |t: &[&str]| t.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let pick = |p: Option<&str>, t: &[&str]| suggest(&groups, p, &tags(t)).map(|g| g.id.as_str());
        assert_eq!(pick(Some("sku-1"), &["vegan", "trail running"]), Some("vegans"), "the review's first tag, a public group");
        assert_eq!(pick(Some("sku-1"), &["gym"]), Some("shoe"), "not one they are in: the product's");
        assert_eq!(pick(None, &["gym", "yoga"]), None);
        assert_eq!(pick(Some("sku-2"), &[]), None);
    }

    #[test]
    fn a_member_is_named_by_customer_post_or_legacy_decision_never_by_anything_else() {
        let named = |k: &str| MemberRef { member_key: k.to_owned() }.validate().map(|t| format!("{t:?}"));
        assert_eq!(named("id:cust-1"), Ok(format!("{:?}", MemberTarget::Key("id:cust-1"))));
        assert_eq!(named("post:abc"), Ok(format!("{:?}", MemberTarget::AuthorOf("abc"))));
        assert_eq!(named("legacy:00aa11bb22cc33dd"), Ok(format!("{:?}", MemberTarget::Legacy("legacy:00aa11bb22cc33dd"))));
        for bad in ["", "post:", "id:", "legacy:", "token-only", "gone:abc", &format!("id:{}", "x".repeat(MEMBER_KEY_MAX))] {
            assert!(named(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_list_cursor_is_the_last_entry_and_nothing_else_passes() {
        let last = Restriction { member_key: "id:cust.1".into(), name: Some("Ana".into()), created_at: 1_700_000_000_123 };
        let cursor = crate::page::cursor(last.created_at, &last.member_key);
        assert_eq!(cursor, "1700000000123.id:cust.1");
        assert_eq!(parse_restriction_cursor(&cursor), Ok((1_700_000_000_123, "id:cust.1".to_owned())), "a dot in the name stays in it");
        assert_eq!(parse_restriction_cursor("5.post:abc"), Ok((5, "post:abc".to_owned())));
        for bad in ["", "5", "5.", "x.id:a", "5.m", "5.id:", "5.who:a", ".id:a", &format!("5.id:{}", "a".repeat(300))] {
            let err = parse_restriction_cursor(bad).expect_err(bad);
            assert_eq!((err.code, err.field.as_deref()), (ErrorCode::BadRequest, Some("cursor")), "{bad}");
        }
        assert_eq!(report_cursor(100, 100), "200");
        assert_eq!(parse_report_cursor(&report_cursor(0, 100)), Ok(100));
        assert_eq!(parse_report_cursor("0"), Ok(0));
        // The cursors of before (four and three parts), and what is no offset.
        for bad in ["", "-1", "+5", "1e3", "0x10", " 5", "5 ", "1000001", "99999999999", "2.3.1700000000123.t-9", "2.1700000000123.t-9", "x"] {
            let err = parse_report_cursor(bad).expect_err(bad);
            assert_eq!((err.code, err.field.as_deref()), (ErrorCode::BadRequest, Some("cursor")), "{bad}");
        }
    }

    #[test]
    fn invites() {
        assert_eq!(invite_problem(100, false, false, 5, 50), None);
        assert!(invite_problem(100, true, false, 0, 50).unwrap().contains("revoked"));
        assert!(invite_problem(100, false, false, 0, 100).unwrap().contains("expired"));
        assert!(invite_problem(100, false, true, 1, 50).unwrap().contains("used"));
        assert_eq!(invite_problem(100, false, true, 0, 50), None);
    }

    #[test]
    fn posts_are_validated() {
        let t = NewThread { title: " ".into(), body: "x".into(), photo: None };
        assert_eq!(t.validate().unwrap_err().field.as_deref(), Some("title"));
        let t = NewThread { title: "Hi".into(), body: "x".repeat(5001), photo: None };
        assert_eq!(t.validate().unwrap_err().field.as_deref(), Some("body"));
        let t = NewThread { title: "Hi".into(), body: "ok".into(), photo: Some("../x".into()) };
        assert_eq!(t.validate().unwrap_err().field.as_deref(), Some("photo"));
        assert!(NewReply { body: "".into() }.validate().is_err());
        assert!(React { kind: "love".into(), on: None }.validate().is_ok());
        assert!(React { kind: "<script>".into(), on: None }.validate().is_err());
        assert!(NewInvite { expires_in_hours: 0, single_use: false }.validate().is_err());
        let g = NewGroup { name: "Vegan cooks".into(), description: String::new(), visibility: Visibility::Private, moderation: GroupModeration::Pre, product: None, tag: Some(" Vegan Cooking ".into()) };
        assert_eq!(g.validate().unwrap().tag.as_deref(), Some("vegan cooking"));
        let long = NewGroup { tag: Some("x".repeat(41)), ..g.clone() };
        assert_eq!(long.validate().unwrap_err().field.as_deref(), Some("tag"));
        // A merge patch: a new tag, the rest kept; null clears the tag only.
        let p = g.merge_patch(&serde_json::json!({ "tag": "Trail Running", "description": "Routes" })).unwrap();
        assert_eq!((p.tag.as_deref(), p.description.as_str(), p.name.as_str(), p.visibility), (Some("trail running"), "Routes", "Vegan cooks", Visibility::Private));
        assert_eq!(p.validate().unwrap().tag.as_deref(), Some("trail running"));
        assert_eq!(g.merge_patch(&serde_json::json!({ "tag": null })).unwrap().tag, None);
        for (bad, field) in [(serde_json::json!({ "visibility": null }), "visibility"), (serde_json::json!({ "colour": "red" }), "colour"), (serde_json::json!({ "name": "" }), "name"), (serde_json::json!({ "visibility": "secret" }), "visibility")] {
            assert_eq!(g.merge_patch(&bad).unwrap_err().field.as_deref(), Some(field), "{bad}");
        }
        assert_eq!(g.merge_patch(&serde_json::json!([])).unwrap_err().code, ErrorCode::ValidationFailed);
    }
}
