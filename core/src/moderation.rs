//! Fair moderation: how long a testimonial may wait for a person, the only
//! reasons it may be rejected for, and the per-star ledger that shows a brand
//! (and anyone it shares the numbers with) that ratings do not decide what is
//! published.
//!
//! The rules come from:
//! - the FTC's Rule on the Use of Consumer Reviews and Testimonials,
//!   16 CFR part 465 (2024), § 465.7 (review suppression): a business may
//!   not suppress reviews based upon their ratings or negative sentiment;
//!   withholding is allowed on criteria applied equally to all reviews
//!   whatever their sentiment (the rule names, among others, trade secrets
//!   or confidential information; defamatory, harassing, abusive, obscene,
//!   vulgar or sexually explicit content; clearly false or misleading
//!   content; reviews unrelated to the business's products or services).
//!   Spam, personal data and duplicates are Kindred's reasons in the same
//!   spirit: about the content, never the rating;
//! - Okendo's published practice of releasing reviews held by a star or
//!   sentiment rule after 14 days, which is the default hold here.
//!
//! So: in every moderation mode a held testimonial is **published when its
//! hold ends** ([`MaxHold`], default 14 days, at most 30) unless a person
//! rejected it for one of the [`RejectReason`]s, none of which looks at the
//! rating. The edge's cron job runs every minute ([`SWEEP_PERIOD_MS`]) and
//! publishes every testimonial whose hold has ended ([`Clock::sweep`]).

use crate::error::{ApiError, ErrorCode};
use crate::testimonial::{ModerationMode, Status};
use serde::{Deserialize, Serialize};

/// One day, ms.
pub const DAY_MS: i64 = 86_400_000;
/// The default maximum hold, days (Okendo's 14-day release).
pub const MAX_HOLD_DAYS_DEFAULT: u8 = 14;
/// The longest maximum hold a brand may set, days.
pub const MAX_HOLD_DAYS_MAX: u8 = 30;
/// How often the edge's cron job publishes testimonials whose hold ended
/// (`crons = ["* * * * *"]` in `edge/wrangler.toml`), ms. A hold ends at
/// most this much later than [`MaxHold::ends_at`] says, plus the cron
/// trigger's own delay.
pub const SWEEP_PERIOD_MS: i64 = 60_000;
/// How many overdue testimonials one cron run publishes (the rest go in the
/// next run, a minute later): one bounded `UPDATE` per run.
pub const SWEEP_BATCH: u32 = 200;
/// Longest note with a rejection, characters.
pub const NOTE_MAX: usize = 500;

/// A brand's maximum hold, in whole days, `1..=30`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "crate::error::Whole<u8>", into = "u8")]
pub struct MaxHold(u8);

impl Default for MaxHold {
    fn default() -> Self {
        Self(MAX_HOLD_DAYS_DEFAULT)
    }
}

impl TryFrom<u8> for MaxHold {
    type Error = String;
    fn try_from(days: u8) -> Result<Self, String> {
        if (1..=MAX_HOLD_DAYS_MAX).contains(&days) {
            Ok(Self(days))
        } else {
            Err(format!("max_hold_days is 1 to {MAX_HOLD_DAYS_MAX} (days)"))
        }
    }
}

impl TryFrom<crate::error::Whole<u8>> for MaxHold {
    type Error = String;
    fn try_from(days: crate::error::Whole<u8>) -> Result<Self, String> {
        Self::try_from(days.0)
    }
}

impl From<MaxHold> for u8 {
    fn from(h: MaxHold) -> u8 {
        h.0
    }
}

impl MaxHold {
    /// From the stored column; anything out of range reads as the nearest
    /// allowed value (never "hold forever").
    pub fn from_column(days: i64) -> Self {
        Self(days.clamp(1, i64::from(MAX_HOLD_DAYS_MAX)) as u8)
    }

    pub fn days(self) -> u8 {
        self.0
    }

    /// The hold, ms.
    pub fn ms(self) -> i64 {
        i64::from(self.0) * DAY_MS
    }

    /// When a testimonial submitted at `submitted_at` (unix ms) is published
    /// if nobody has decided by then (unix ms).
    pub fn ends_at(self, submitted_at: i64) -> i64 {
        submitted_at.saturating_add(self.ms())
    }
}

/// Why a person rejected a testimonial. None of these looks at the rating
/// or the sentiment (16 CFR 465.7(b)): a low rating is not a reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RejectReason {
    /// Advertising, links, bots, a review written for pay.
    Spam,
    /// Harassing, abusive, obscene, vulgar, sexually explicit or
    /// discriminatory content.
    Offensive,
    /// Someone's personal data (a phone number, an address, an order id).
    PersonalData,
    /// Not about the product or the service (e.g. about a carrier's delay
    /// alone, or another shop).
    OffTopic,
    /// The same text again from the same shopper.
    Duplicate,
    /// Anything else; needs a note saying what.
    Other,
}

impl RejectReason {
    /// Every reason, in the order the console lists them.
    pub const ALL: [RejectReason; 6] = [Self::Spam, Self::Offensive, Self::PersonalData, Self::OffTopic, Self::Duplicate, Self::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Spam => "spam",
            Self::Offensive => "offensive",
            Self::PersonalData => "personal_data",
            Self::OffTopic => "off_topic",
            Self::Duplicate => "duplicate",
            Self::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// `POST /v1/admin/brands/{brand}/testimonials/{id}/reject`: the reason,
/// and a note (required with `other`, at most 500 characters, shown only
/// to the brand).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Rejection {
    pub reason: RejectReason,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Rejection {
    /// The rejection with its note trimmed (an empty note is none).
    ///
    /// # Errors
    /// `validation_failed` on `note` when the reason is `other` and there
    /// is no note, or the note is longer than [`NOTE_MAX`] characters.
    pub fn validate(&self) -> Result<Rejection, ApiError> {
        let note = match &self.note {
            Some(n) => Some(crate::text::field(n, "note", 0, NOTE_MAX, true)?).filter(|n| !n.is_empty()),
            None => None,
        };
        if self.reason == RejectReason::Other && note.is_none() {
            return Err(ApiError::field(ErrorCode::ValidationFailed, "note", "a rejection for reason 'other' needs a note saying why"));
        }
        Ok(Rejection { reason: self.reason, note })
    }
}

/// Testimonials one bulk decision may name: each takes up to four D1 and
/// R2 calls (a rejection deletes photos), 200 for a full bulk, inside the
/// Workers Paid plan's 1,000 subrequests per request (the Free plan's 50
/// allow about ten at a time).
pub const BULK_MAX: usize = 50;

/// One testimonial in a bulk decision, with the version the moderator
/// read (`edited_at` as loaded, 0 for none; see `seen_edit`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BulkItem {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seen_edit: Option<i64>,
}

/// `POST /v1/admin/brands/{brand}/testimonials/bulk`: approve or reject
/// up to [`BULK_MAX`] testimonials at once; a rejection carries one reason
/// (and note) for all of them, from the same fixed list as one at a time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BulkDecision {
    /// `approve` or `reject`.
    pub action: BulkAction,
    pub items: Vec<BulkItem>,
    /// Required with `reject`, refused with `approve`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejection: Option<Rejection>,
}

/// What a bulk decision does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BulkAction {
    Approve,
    Reject,
}

impl BulkDecision {
    /// The items without repeats, and the checked rejection for `reject`.
    ///
    /// # Errors
    /// `validation_failed` on `items` (none, more than [`BULK_MAX`], a
    /// negative `seen_edit`) or `rejection` (missing for `reject`, given
    /// for `approve`, or invalid: see [`Rejection::validate`]).
    pub fn validate(&self) -> Result<(Vec<BulkItem>, Option<Rejection>), ApiError> {
        let bad = |field: &str, msg: String| ApiError::field(ErrorCode::ValidationFailed, field, msg);
        if self.items.is_empty() || self.items.len() > BULK_MAX {
            return Err(bad("items", format!("a bulk decision names 1 to {BULK_MAX} testimonials")));
        }
        let mut items: Vec<BulkItem> = Vec::new();
        for i in &self.items {
            if i.seen_edit.is_some_and(|s| s < 0) {
                return Err(bad("items", "seen_edit is the edited_at you saw (unix ms), or 0 if it had none".into()));
            }
            if !items.iter().any(|x| x.id == i.id) {
                items.push(i.clone());
            }
        }
        let rejection = match (self.action, &self.rejection) {
            (BulkAction::Reject, Some(r)) => Some(r.validate()?),
            (BulkAction::Reject, None) => return Err(bad("rejection", "a bulk rejection needs one reason for all: {\"reason\": ...}".into())),
            (BulkAction::Approve, Some(_)) => return Err(bad("rejection", "an approval has no rejection".into())),
            (BulkAction::Approve, None) => None,
        };
        Ok((items, rejection))
    }
}

/// What became of one testimonial in a bulk decision: its new status, or
/// the error it would have had alone (`not_found`, `conflict`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkOutcome {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<crate::testimonial::Status>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ApiError>,
}

/// The answer to a bulk decision: one outcome per distinct item, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkResult {
    pub results: Vec<BulkOutcome>,
}

/// How an approved testimonial came to be published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PublishedVia {
    /// The brand's moderation mode published it on submission.
    Auto,
    /// A person approved it.
    Moderator,
    /// Nobody decided within the brand's maximum hold: published by the clock.
    MaxHold,
    /// Published on the platform it was imported from (`crate::import`).
    Import,
}

impl PublishedVia {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Moderator => "moderator",
            Self::MaxHold => "max_hold",
            Self::Import => "import",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Auto, Self::Moderator, Self::MaxHold, Self::Import].into_iter().find(|v| v.as_str() == s)
    }
}

/// The moderation clock of one testimonial: a model of what the edge does,
/// used by the property tests and by the edge's docs. The edge stores
/// `status` and `created_at`, and its cron job applies [`Clock::sweep`] in
/// SQL (`store::testimonials::publish_overdue`, with [`DAY_MS`] bound).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    pub submitted_at: i64,
    pub status: Status,
    pub via: Option<PublishedVia>,
    pub reason: Option<RejectReason>,
}

impl Clock {
    /// A testimonial as submitted under `mode`.
    pub fn submit(mode: ModerationMode, rating: u8, verified: bool, now: i64) -> Self {
        let status = mode.initial_status(rating, verified);
        let via = (status == Status::Approved).then_some(PublishedVia::Auto);
        Self { submitted_at: now, status, via, reason: None }
    }

    /// Whether a cron run at `now` publishes it.
    pub fn overdue(&self, hold: MaxHold, now: i64) -> bool {
        self.status == Status::Pending && now >= hold.ends_at(self.submitted_at)
    }

    /// A cron run at `now`.
    pub fn sweep(&mut self, hold: MaxHold, now: i64) {
        if self.overdue(hold, now) {
            self.status = Status::Approved;
            self.via = Some(PublishedVia::MaxHold);
        }
    }

    /// A person approves.
    pub fn approve(&mut self) {
        self.status = Status::Approved;
        self.via = Some(PublishedVia::Moderator);
        self.reason = None;
    }

    /// A person rejects, for a reason.
    pub fn reject(&mut self, reason: RejectReason) {
        self.status = Status::Rejected;
        self.via = None;
        self.reason = Some(reason);
    }
}

/// One star rating's line in the ledger: how many testimonials with that
/// rating are published (and how), rejected (by reason), pending, or
/// were deleted by the brand.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StarLedger {
    /// 1 to 5.
    pub rating: u8,
    pub published: Published,
    /// Rejected, per reason (`unspecified`: rejected before reasons were
    /// required).
    pub rejected: Rejected,
    /// Waiting for a person or for the hold to end.
    pub pending: u64,
    /// Rejected testimonials since deleted through the admin API (only
    /// rejected ones can be); they stay counted under `rejected` too.
    pub deleted: u64,
}

/// Published testimonials of one rating, by how they were published.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Published {
    pub total: u64,
    pub auto: u64,
    pub moderator: u64,
    pub max_hold: u64,
    /// Published at the platform they were imported from.
    #[serde(default)]
    pub imported: u64,
}

/// Rejected testimonials of one rating, by reason.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rejected {
    pub total: u64,
    pub spam: u64,
    pub offensive: u64,
    pub personal_data: u64,
    pub off_topic: u64,
    pub duplicate: u64,
    pub other: u64,
    pub unspecified: u64,
}

/// `GET /v1/admin/brands/{brand}/moderation/ledger`: the per-star ledger,
/// 1 to 5 stars in order, with the settings that produced it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ModerationLedger {
    pub moderation: ModerationMode,
    pub max_hold_days: MaxHold,
    pub stars: Vec<StarLedger>,
}

impl ModerationLedger {
    /// Builds the ledger from counter rows `(rating, status, cause, n)` as
    /// the edge keeps them (`moderation_ledger`): `status` is `pending`,
    /// `approved`, `rejected` or `deleted`; `cause` is how an approved one
    /// was published, or a rejected one's reason. Rows with a rating out of
    /// 1..=5, an unknown status or a negative count are ignored.
    pub fn from_counts(moderation: ModerationMode, max_hold_days: MaxHold, rows: impl IntoIterator<Item = (i64, String, String, i64)>) -> Self {
        let mut stars: Vec<StarLedger> = (1..=5).map(|rating| StarLedger { rating, ..Default::default() }).collect();
        for (rating, status, cause, n) in rows {
            let (Some(line), Ok(n)) = (usize::try_from(rating - 1).ok().and_then(|i| stars.get_mut(i)), u64::try_from(n)) else { continue };
            match status.as_str() {
                "pending" => line.pending += n,
                "deleted" => line.deleted += n,
                "approved" => {
                    let p = &mut line.published;
                    p.total += n;
                    match PublishedVia::parse(&cause) {
                        Some(PublishedVia::Auto) => p.auto += n,
                        Some(PublishedVia::MaxHold) => p.max_hold += n,
                        Some(PublishedVia::Import) => p.imported += n,
                        _ => p.moderator += n,
                    }
                }
                "rejected" => {
                    let r = &mut line.rejected;
                    r.total += n;
                    match RejectReason::parse(&cause) {
                        Some(RejectReason::Spam) => r.spam += n,
                        Some(RejectReason::Offensive) => r.offensive += n,
                        Some(RejectReason::PersonalData) => r.personal_data += n,
                        Some(RejectReason::OffTopic) => r.off_topic += n,
                        Some(RejectReason::Duplicate) => r.duplicate += n,
                        Some(RejectReason::Other) => r.other += n,
                        None => r.unspecified += n,
                    }
                }
                _ => {}
            }
        }
        Self { moderation, max_hold_days, stars }
    }
}

/// How many testimonials (of one status, from the cursor on, newest
/// first) a filtered moderation page looks through: a filter or a search
/// that matches rarely answers what it found in these, with a cursor to
/// look further, instead of reading the brand's whole history at once.
pub const QUEUE_WALK: u32 = 2_000;

/// Search text, at most this many characters.
pub const QUEUE_SEARCH_MAX: usize = 100;

/// How a testimonial came to be, as moderators filter by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provenance {
    /// Written through a purchase-linked review link ("Verified purchase").
    ReviewLink,
    /// Written signed in, the brand vouching ("Verified buyer").
    VerifiedBuyer,
    /// Written while the brand declared an incentive.
    Incentivised,
    /// Brought from another platform (`crate::import`).
    Imported,
    /// None of the above: written in the widget by anyone.
    Plain,
}

impl Provenance {
    pub const ALL: &'static [&'static str] = &["review_link", "verified_buyer", "incentivised", "imported", "plain"];

    pub fn parse(v: &str) -> Option<Self> {
        Some(match v {
            "review_link" => Self::ReviewLink,
            "verified_buyer" => Self::VerifiedBuyer,
            "incentivised" => Self::Incentivised,
            "imported" => Self::Imported,
            "plain" => Self::Plain,
            _ => return None,
        })
    }

    const fn condition(self) -> &'static str {
        match self {
            Self::ReviewLink => "t.verified_purchase = 1",
            Self::VerifiedBuyer => "t.verified_buyer = 1",
            Self::Incentivised => "t.incentivised = 1",
            Self::Imported => "t.import_source IS NOT NULL",
            Self::Plain => "t.verified_purchase = 0 AND t.verified_buyer = 0 AND t.incentivised = 0 AND t.import_source IS NULL",
        }
    }
}

/// A bound value of a filter's SQL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bound {
    Text(String),
    Int(i64),
}

/// What narrows the moderation queue (`GET /v1/admin/brands/{brand}/testimonials`):
/// product, stars, tag, with or without photos, provenance, and a search
/// (`q`: a substring of the title, text, author's name, email or a tag;
/// ASCII letters fold case (SQLite's `lower`), other scripts match as
/// written: `MÜLLER` does not find "Müller", Persian with and without
/// ZWNJ differ).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueFilter {
    pub product: Option<String>,
    pub rating: Option<u8>,
    pub tag: Option<String>,
    pub photos: Option<bool>,
    pub provenance: Option<Provenance>,
    pub q: Option<String>,
}

impl QueueFilter {
    /// Reads one query parameter; `Ok(false)` when it is not a filter's.
    ///
    /// # Errors
    /// `bad_request` naming the parameter.
    pub fn read(&mut self, key: &str, value: &str) -> Result<bool, ApiError> {
        let bad = |m: &str| Err(ApiError::field(ErrorCode::BadRequest, key, m.to_owned()));
        let text = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
        match key {
            "product" => match crate::ProductId::parse(value.trim()) {
                Ok(p) => self.product = Some(p.as_str().to_owned()),
                Err(_) if value.trim().is_empty() => self.product = None,
                Err(_) => return bad("product is a product id"),
            },
            "rating" => match value.parse::<u8>() {
                Ok(n @ 1..=5) => self.rating = Some(n),
                _ if value.is_empty() => self.rating = None,
                _ => return bad("rating is 1 to 5"),
            },
            // As stored: `testimonial::normalize_tags`, the one rule
            // (helper-81: its own NFC and lowercase missed the invisible
            // characters a tag drops).
            "tag" => match crate::testimonial::normalize_tags(&[value.to_owned()]) {
                Ok(mut t) => self.tag = t.pop(),
                Err(_) => return bad("a tag is at most 40 characters"),
            },
            "photos" => match value {
                "with" => self.photos = Some(true),
                "without" => self.photos = Some(false),
                "" => self.photos = None,
                _ => return bad("photos is `with` or `without`"),
            },
            "provenance" => match Provenance::parse(value) {
                Some(p) => self.provenance = Some(p),
                None if value.is_empty() => self.provenance = None,
                None => return bad("provenance is review_link, verified_buyer, incentivised, imported or plain"),
            },
            // Normalised as submitted text is (NFC, spaces collapsed,
            // invisible controls dropped), so what a Mac pastes (NFD) or a
            // stray right-to-left mark still finds the stored words.
            "q" => {
                let q = crate::text::normalize(value, false);
                if q.chars().count() > QUEUE_SEARCH_MAX {
                    return bad("search text is at most 100 characters");
                }
                self.q = text(&q);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Whether any filter is set.
    pub fn is_set(&self) -> bool {
        *self != Self::default()
    }

    /// The filter as SQL over a testimonial aliased `t`, its bound values
    /// numbered from `?{first}`: `("", [])` when nothing is set.
    pub fn sql(&self, first: usize) -> (String, Vec<Bound>) {
        let mut conds = Vec::new();
        let mut values = Vec::new();
        let next = |v: Bound, values: &mut Vec<Bound>| {
            values.push(v);
            format!("?{}", first + values.len() - 1)
        };
        if let Some(p) = &self.product {
            conds.push(format!("t.product_id = {}", next(Bound::Text(p.clone()), &mut values)));
        }
        if let Some(r) = self.rating {
            conds.push(format!("t.rating = {}", next(Bound::Int(i64::from(r)), &mut values)));
        }
        if let Some(tag) = &self.tag {
            conds.push(format!(
                "EXISTS (SELECT 1 FROM json_each(CASE WHEN json_valid(t.tags) THEN t.tags ELSE '[]' END) j WHERE j.value = {})",
                next(Bound::Text(tag.clone()), &mut values)
            ));
        }
        match self.photos {
            Some(true) => conds.push("t.photos != '[]'".into()),
            Some(false) => conds.push("t.photos = '[]'".into()),
            None => {}
        }
        if let Some(p) = self.provenance {
            conds.push(p.condition().into());
        }
        if let Some(q) = &self.q {
            // Fields joined by U+001F (normalised text never holds it), so a
            // phrase never matches across two; tags one by one, as text.
            let n = next(Bound::Text(q.clone()), &mut values);
            conds.push(format!(
                "(instr(lower(COALESCE(t.title, '') || char(31) || t.body || char(31) || t.author_name || char(31) || COALESCE(t.author_email, '')), lower({n})) > 0 \
                 OR EXISTS (SELECT 1 FROM json_each(CASE WHEN json_valid(t.tags) THEN t.tags ELSE '[]' END) j WHERE instr(lower(j.value), lower({n})) > 0))"
            ));
        }
        (conds.join(" AND "), values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn holds_are_one_to_thirty_days() {
        assert_eq!(MaxHold::default().days(), 14);
        assert!(MaxHold::try_from(0).is_err());
        assert!(MaxHold::try_from(31).is_err());
        assert_eq!(MaxHold::try_from(30).map(MaxHold::days), Ok(30));
        assert_eq!(MaxHold::from_column(0).days(), 1);
        assert_eq!(MaxHold::from_column(900).days(), 30);
        assert!(serde_json::from_str::<MaxHold>("31").is_err());
        assert_eq!(MaxHold::try_from(14).map(|h| h.ends_at(0)), Ok(14 * DAY_MS));
    }

    #[test]
    fn reasons_round_trip_and_other_needs_a_note() {
        for r in RejectReason::ALL {
            assert_eq!(RejectReason::parse(r.as_str()), Some(r));
            assert_eq!(serde_json::to_value(r).unwrap(), serde_json::json!(r.as_str()));
        }
        assert_eq!(RejectReason::parse("low_rating"), None);
        assert!(serde_json::from_str::<Rejection>(r#"{"reason":"negative"}"#).is_err(), "no rating or sentiment reason exists");
        assert!(serde_json::from_str::<Rejection>(r#"{"reason":"spam","rating":1}"#).is_err());
        let other = Rejection { reason: RejectReason::Other, note: Some("  ".into()) };
        assert_eq!(other.validate().unwrap_err().field.as_deref(), Some("note"));
        let ok = Rejection { reason: RejectReason::Other, note: Some(" wrong shop ".into()) }.validate().unwrap();
        assert_eq!(ok.note.as_deref(), Some("wrong shop"));
        let long = Rejection { reason: RejectReason::Spam, note: Some("x".repeat(NOTE_MAX + 1)) };
        assert!(long.validate().is_err());
    }

    #[test]
    fn ledger_counts_by_star_status_and_cause() {
        let rows = vec![
            (1, "approved".to_owned(), "max_hold".to_owned(), 2),
            (1, "rejected".to_owned(), "spam".to_owned(), 1),
            (1, "rejected".to_owned(), String::new(), 4),
            (5, "approved".to_owned(), "auto".to_owned(), 7),
            (5, "pending".to_owned(), String::new(), 1),
            (3, "deleted".to_owned(), String::new(), 1),
            (9, "approved".to_owned(), "auto".to_owned(), 7),
            (2, "approved".to_owned(), "auto".to_owned(), -3),
        ];
        let l = ModerationLedger::from_counts(ModerationMode::AllPending, MaxHold::default(), rows);
        assert_eq!(l.stars.iter().map(|s| s.rating).collect::<Vec<_>>(), vec![1, 2, 3, 4, 5]);
        assert_eq!(l.stars[0].published, Published { total: 2, max_hold: 2, ..Default::default() });
        assert_eq!(l.stars[0].rejected, Rejected { total: 5, spam: 1, unspecified: 4, ..Default::default() });
        assert_eq!(l.stars[4].published.auto, 7);
        assert_eq!(l.stars[4].pending, 1);
        assert_eq!(l.stars[2].deleted, 1);
        assert_eq!(l.stars[1], StarLedger { rating: 2, ..Default::default() });
    }

    fn mode() -> impl Strategy<Value = ModerationMode> {
        prop_oneof![
            Just(ModerationMode::AllPending),
            Just(ModerationMode::AutoApproveVerified),
            (1u8..=5).prop_map(|min_rating| ModerationMode::AutoApproveMinRating { min_rating }),
        ]
    }

    #[derive(Debug, Clone)]
    enum Act {
        Approve,
        Reject(RejectReason),
        Nothing,
    }

    fn act() -> impl Strategy<Value = Act> {
        prop_oneof![
            3 => Just(Act::Nothing),
            1 => Just(Act::Approve),
            1 => proptest::sample::select(RejectReason::ALL.to_vec()).prop_map(Act::Reject),
        ]
    }

    proptest! {
        /// Whatever the mode, the rating and what (if anything) moderators
        /// do and when, a testimonial is never still pending once its hold
        /// plus one cron period has passed; and it is never rejected
        /// without a reason.
        #[test]
        fn never_held_past_the_maximum(
            mode in mode(),
            rating in 1u8..=5,
            verified: bool,
            days in 1u8..=MAX_HOLD_DAYS_MAX,
            submitted_at in 1_600_000_000_000i64..1_900_000_000_000,
            acts in proptest::collection::vec((0i64..40 * DAY_MS, act()), 0..4),
            first_tick in 0i64..SWEEP_PERIOD_MS,
        ) {
            let hold = MaxHold::try_from(days).unwrap();
            let mut clock = Clock::submit(mode, rating, verified, submitted_at);
            let mut acts = acts;
            acts.sort_by_key(|(at, _)| *at);
            let end = submitted_at + 40 * DAY_MS;
            let mut t = submitted_at + first_tick;
            let mut next_act = acts.into_iter().peekable();
            while t <= end {
                while let Some((at, a)) = next_act.next_if(|(at, _)| submitted_at + at <= t) {
                    let _ = at;
                    match a {
                        Act::Approve => clock.approve(),
                        Act::Reject(r) => clock.reject(r),
                        Act::Nothing => {}
                    }
                }
                clock.sweep(hold, t);
                if t >= hold.ends_at(submitted_at) + SWEEP_PERIOD_MS {
                    prop_assert_ne!(clock.status, Status::Pending, "held past {} days under {:?}, {} stars", days, mode, rating);
                }
                if clock.status == Status::Rejected {
                    prop_assert!(clock.reason.is_some());
                }
                if clock.status == Status::Approved {
                    prop_assert!(clock.via.is_some());
                }
                // Minute ticks near the deadline, hourly elsewhere (fast).
                let near = (t - hold.ends_at(submitted_at)).abs() < 2 * SWEEP_PERIOD_MS;
                t += if near { SWEEP_PERIOD_MS } else { SWEEP_PERIOD_MS * 60 };
            }
        }

        /// The rating never changes whether a held testimonial is
        /// published by the clock.
        #[test]
        fn the_clock_ignores_the_rating(mode in mode(), a in 1u8..=5, b in 1u8..=5, days in 1u8..=MAX_HOLD_DAYS_MAX, after in 0i64..DAY_MS) {
            let hold = MaxHold::try_from(days).unwrap();
            let mut x = Clock::submit(mode, a, false, 0);
            let mut y = Clock::submit(mode, b, false, 0);
            x.sweep(hold, hold.ends_at(0) + after);
            y.sweep(hold, hold.ends_at(0) + after);
            prop_assert_eq!(x.status, Status::Approved);
            prop_assert_eq!(y.status, Status::Approved);
        }
    }
}

#[cfg(test)]
mod queue_filter_tests {
    use super::*;

    #[test]
    fn filters_read_their_parameters_and_number_their_values() {
        let mut f = QueueFilter::default();
        for (k, v) in [("rating", "2"), ("tag", " Vegan "), ("photos", "with"), ("provenance", "review_link"), ("q", "Sole"), ("status", "pending")] {
            let _ = f.read(k, v);
        }
        assert!(f.is_set());
        let (sql, values) = f.sql(6);
        assert!(sql.contains("t.rating = ?6") && sql.contains("j.value = ?7") && sql.matches("lower(?8)").count() == 2, "{sql}");
        assert_eq!(values, vec![Bound::Int(2), Bound::Text("vegan".into()), Bound::Text("Sole".into())]);
        assert!(sql.contains("t.photos != '[]'") && sql.contains("t.verified_purchase = 1"));
        assert!(QueueFilter::default().read("rating", "6").is_err());
        assert!(QueueFilter::default().read("photos", "maybe").is_err());
        assert!(QueueFilter::default().read("q", &"x".repeat(101)).is_err());
        assert_eq!(QueueFilter::default().read("status", "x"), Ok(false));
        let mut empty = QueueFilter::default();
        assert_eq!(empty.read("q", "   "), Ok(true));
        assert!(!empty.is_set());
    }
}
