//! Testimonials: what a shopper submits, the rules it must pass, how a brand's
//! moderation mode decides its first status, and how the public feed is
//! filtered, sorted and paged.

use crate::error::{ApiError, ErrorCode};
use crate::ids::ProductId;
use crate::text;
use serde::{Deserialize, Serialize};

pub const NAME_MAX: usize = 60;
pub const TITLE_MAX: usize = 120;
pub const BODY_MIN: usize = 10;
pub const BODY_MAX: usize = 5000;
pub const TAGS_MAX: usize = 5;
pub const TAG_MAX: usize = 40;
/// Largest accepted JSON body for a submission.
pub const BODY_BYTES_MAX: usize = 32 * 1024;

/// `POST /v1/brands/{brand}/testimonials`, as the widget sends it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewTestimonial {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    pub display_name: String,
    pub email: String,
    /// 1 to 5 stars (any whole JSON number is read; the rule refuses the rest).
    #[serde(deserialize_with = "crate::error::whole")]
    pub rating: u8,
    #[serde(default)]
    pub title: String,
    pub body: String,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Ids returned by the photo upload route.
    #[serde(default)]
    pub photos: Vec<String>,
    /// Honeypot: hidden from people, filled in by bots. Must stay empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    /// A brand-signed identity token, for "verified buyer".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<String>,
    /// The token of a purchase-linked review link (`?kindred_review=` on the
    /// page), for "verified purchase": single-use, for its product only
    /// (`crate::review_request`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_token: Option<String>,
    /// The author agrees that the brand may feature it in its ads, social
    /// posts and emails (`crate::consent`); absent is no (and a no is not
    /// sent, so an older edge still takes the form's submissions).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reuse_consent: bool,
    /// The language of the page it was written on (a BCP 47 tag; the
    /// loader's `data-locale`, else `<html lang>`, else the browser's):
    /// stored as its primary subtag when the text's direction agrees
    /// (`crate::context::written_in`), else dropped. Never an error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

/// A submission that passed every rule, normalised for storage.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidTestimonial {
    pub product: Option<ProductId>,
    pub display_name: String,
    pub email: String,
    pub rating: u8,
    pub title: String,
    pub body: String,
    pub tags: Vec<String>,
    pub photos: Vec<String>,
    pub reuse_consent: bool,
    /// Written in (a primary language subtag), when known.
    pub lang: Option<String>,
}

/// The commas a list of tags typed by hand may be split at, in any script:
/// the characters Unicode names COMMA that separate list items (General
/// Category Po): ASCII, Arabic (U+060C, what Arabic and Persian keyboards
/// type for ","), ideographic and fullwidth (Chinese, Japanese), their small
/// and halfwidth forms, Armenian, NKo, Ethiopic, Vai and the reversed comma;
/// and the semicolons people list with (ASCII, Arabic U+061B) and the
/// Arabic thousands separator U+066C, which a Persian keyboard gives for a
/// comma-like key.
pub const TAG_SEPARATORS: [char; 15] = [
    ',', '\u{060C}', '\u{3001}', '\u{FF0C}', '\u{FE50}', '\u{FE51}', '\u{FF64}', '\u{055D}', '\u{07F8}', '\u{1363}', '\u{A60D}', '\u{2E41}', ';', '\u{061B}', '\u{066C}',
];

/// A list of tags as a shopper or a file writes it ("trail running، vegan"),
/// split at [`TAG_SEPARATORS`]; pieces untrimmed and possibly empty, as
/// [`normalize_tags`] takes them. The one splitter for the review form, the
/// page's `data-context-tags` and imports.
pub fn split_tags(raw: &str) -> impl Iterator<Item = &str> {
    raw.split(TAG_SEPARATORS)
}

/// Interest tags: trimmed, in NFKC (with the `unicode` feature: the edge),
/// lowercased, without invisible characters but what makes another word
/// (`text::is_default_ignorable`, `text::without_idle_joiners`),
/// deduplicated, each 1..=40 characters. [`normalize_tags_in`] without a
/// language.
///
/// # Errors
/// `validation_failed` on `tags`: a tag over [`TAG_MAX`] characters, more
/// than [`TAGS_MAX`] tags.
pub fn normalize_tags(raw: &[String]) -> Result<Vec<String>, ApiError> {
    normalize_tags_in(raw, None)
}

/// The languages written in the Arabic script with the letters U+06A9
/// ARABIC LETTER KEHEH (ک) and U+06CC ARABIC LETTER FARSI YEH (ی) where
/// Arabic writes U+0643 kaf (ك) and U+064A yeh (ي) or U+0649 alef maksura
/// (ى): Persian, Urdu, Pashto and Central Kurdish (subtags of BCP 47).
pub const KEHEH_LANGUAGES: [&str; 4] = ["fa", "ur", "ps", "ckb"];

/// [`normalize_tags`] for a testimonial written in `lang` (a primary
/// language subtag: `crate::context::written_in`, else the page's): in [`KEHEH_LANGUAGES`],
/// Arabic kaf and yeh, which an Arabic keyboard (or a phone without a
/// Persian one) types, are the language's own, so "كتاب" and "کتاب" typed
/// on a Persian page are one chip. Arabic keeps its letters: its alef
/// maksura and yeh are two letters (على and علي are two words), which a
/// Persian keyboard's one yeh cannot tell apart.
///
/// # Errors
/// As [`normalize_tags`].
pub fn normalize_tags_in(raw: &[String], lang: Option<&str>) -> Result<Vec<String>, ApiError> {
    let keheh = lang.is_some_and(|l| KEHEH_LANGUAGES.contains(&l));
    let mut tags: Vec<String> = Vec::new();
    for t in raw {
        // Direction marks at a tag's ends (an RLM a phone adds after a
        // comma) are not part of it: "‏vegan" is "vegan".
        let bidi = |c: char| matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') || c.is_whitespace();
        // Nor are invisible characters inside it ("veg\u{AD}an",
        // "v\u{200B}egan" and "vegan\u{3164}" are "vegan": one chip, one
        // filter), but for those that make another word or picture: the
        // zero width non-joiner of Persian ("می‌خواهم"), the joiner and
        // variation selectors of emoji ("👩‍💻", "❤️"), the tag characters of
        // subdivision flags.
        let keeps = |c: char| matches!(c, '\u{200C}' | '\u{200D}' | '\u{FE00}'..='\u{FE0F}' | '\u{E0020}'..='\u{E007F}' | '\u{E0100}'..='\u{E01EF}');
        let visible: String = text::normalize(t, false).chars().filter(|c| keeps(*c) || !text::is_default_ignorable(*c)).collect();
        // A tag is a key: the compatibility forms are the plain letters
        // (NFKC: "ＦＩＴ" and "ﬁt" are "fit", Arabic presentation forms the
        // letters; helper-86). A few stand for many letters ("ﷺ" is 18):
        // where NFKC would make the tag too long, it stays as typed.
        #[cfg(feature = "unicode")]
        let visible = {
            let folded = text::normalized(&visible, true).into_owned();
            if folded.chars().count() <= TAG_MAX { folded } else { visible }
        };
        // The joiners only where they do so (`text::without_idle_joiners`).
        let mut t = text::without_idle_joiners(&visible).trim_matches(bidi).to_lowercase();
        // "İ" lowercases to "i" and a combining dot above (Unicode's
        // default, SpecialCasing.txt, kept so that it can be uppercased
        // again), which draws as "i": "İstanbul" is "istanbul", as Turkish
        // and Azerbaijani lowercase it (SpecialCasing's `tr` and `az`
        // rule), and a filter for "istanbul" finds it (helper-87).
        if t.contains("i\u{307}") {
            t = t.replace("i\u{307}", "i");
            // The dot may have stood between "i" and an accent ("i̇́" is "í").
            #[cfg(feature = "unicode")]
            {
                t = text::normalized(&t, false).into_owned();
            }
        }
        if keheh && t.contains(['\u{0643}', '\u{064A}', '\u{0649}']) {
            t = t.chars().map(|c| match c {
                '\u{0643}' => '\u{06A9}',
                '\u{064A}' | '\u{0649}' => '\u{06CC}',
                c => c,
            }).collect();
        }
        if t.is_empty() {
            continue;
        }
        if t.chars().count() > TAG_MAX {
            return Err(ApiError::field(ErrorCode::ValidationFailed, "tags", format!("a tag can be at most {TAG_MAX} characters")));
        }
        if !tags.contains(&t) {
            tags.push(t);
        }
    }
    if tags.len() > TAGS_MAX {
        return Err(ApiError::field(ErrorCode::ValidationFailed, "tags", format!("at most {TAGS_MAX} tags")));
    }
    Ok(tags)
}

/// The version of the rules [`normalize_tags`] applies, for tags stored
/// under earlier ones (read again by the edge's cron job, as addresses are
/// by `crate::email::RULES`): 1, trimmed, lowercased, without invisible
/// characters (9043ec1); 2, in NFKC, and the joiners only where they show
/// (`crate::text::without_idle_joiners`); 3, "İ" and a dotted "i" are "i"
/// ("i̇stanbul", stored under 2, is "istanbul"), and a testimonial's tags
/// in its language's kaf and yeh ([`normalize_tags_in`]).
pub const TAG_RULES: i64 = 3;

/// A stored list of tags (a JSON array of strings), of a testimonial
/// written in `lang` (if known), read by today's [`normalize_tags_in`]:
/// the list to store where it reads differently, as JSON; `None` where it
/// reads the same, is not such a list, or no longer passes the rules (a
/// tag NFKC made longer than [`TAG_MAX`]: left as stored).
pub fn reread_tags(stored: &str, lang: Option<&str>) -> Option<String> {
    let tags: Vec<String> = serde_json::from_str(stored).ok()?;
    let now = normalize_tags_in(&tags, lang).ok()?;
    if now == tags {
        return None;
    }
    serde_json::to_string(&now).ok()
}

/// Whether a photo id has the shape the upload route hands out.
pub fn is_photo_id(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

impl NewTestimonial {
    /// What an `Idempotency-Key` is bound to: 32 hex characters of SHA-256
    /// over the submission's JSON without its identity token (a page may
    /// sign a fresh one for a retry; the key already names the shopper), its
    /// honeypot and its photo ids (a retry uploads its files again, as new
    /// photos). A key sent again with another submission is refused
    /// rather than answered with the first one's result, which would drop
    /// the second review silently (IETF draft-ietf-httpapi-idempotency-key-
    /// header, section 2.7: 422 for a key reused with another payload).
    pub fn fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        let bound = Self { identity: None, website: None, photos: Vec::new(), ..self.clone() };
        let json = serde_json::to_vec(&bound).unwrap_or_default();
        crate::auth::hex(&Sha256::digest(&json)[..16])
    }

    /// True when the honeypot was filled: answer as if accepted, store nothing.
    pub fn is_bot(&self) -> bool {
        self.website.as_deref().is_some_and(|w| !w.trim().is_empty())
    }

    /// Applies every rule; the first broken one is reported with its field.
    pub fn validate(&self) -> Result<ValidTestimonial, ApiError> {
        let product = match self.product.as_deref() {
            None | Some("") => None,
            Some(p) => Some(ProductId::in_body(p, "product")?),
        };
        let display_name = text::person_name(&self.display_name, "display_name", NAME_MAX)?;
        let email = crate::email::parse(&self.email)?;
        if !(1..=5).contains(&self.rating) {
            return Err(ApiError::field(ErrorCode::ValidationFailed, "rating", "Rating must be 1 to 5 stars"));
        }
        let title = text::field(&self.title, "title", 0, TITLE_MAX, false)?;
        let body = text::field(&self.body, "body", BODY_MIN, BODY_MAX, true)?;
        let lang = crate::context::written_in(self.lang.as_deref(), &format!("{title}\n{body}"));
        // The tags by the review's language, else the page's: tags typed on
        // a Persian page are one chip with its other tags, whatever the
        // review's letters (helper-90: an English review's "كتاب" was a
        // second chip there).
        let page = self.lang.as_deref().and_then(crate::context::language);
        let tags = normalize_tags_in(&self.tags, lang.as_deref().or(page.as_deref()))?;
        if self.photos.len() > crate::photo::MAX_PER_TESTIMONIAL {
            return Err(ApiError::field(
                ErrorCode::ValidationFailed,
                "photos",
                format!("at most {} photos", crate::photo::MAX_PER_TESTIMONIAL),
            ));
        }
        let mut photos = Vec::new();
        for p in &self.photos {
            if !is_photo_id(p) {
                return Err(ApiError::field(ErrorCode::ValidationFailed, "photos", "unknown photo id"));
            }
            if !photos.contains(p) {
                photos.push(p.clone());
            }
        }
        Ok(ValidTestimonial { product, display_name, email, rating: self.rating, title, body, tags, photos, reuse_consent: self.reuse_consent, lang })
    }
}

/// A testimonial as the brand's moderators see it (includes the email).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminTestimonial {
    pub id: String,
    #[serde(default)]
    pub product: Option<String>,
    pub author_name: String,
    pub author_email: Option<String>,
    pub rating: u8,
    pub title: String,
    pub body: String,
    pub tags: Vec<String>,
    pub photos: Vec<crate::photo::PhotoView>,
    pub verified_buyer: bool,
    pub featured: bool,
    pub helpful_count: u32,
    pub status: Status,
    /// How it was published (approved only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_via: Option<crate::moderation::PublishedVia>,
    /// Why it was rejected (rejected only; absent for rejections made
    /// before reasons were required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reject_reason: Option<crate::moderation::RejectReason>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reject_note: Option<String>,
    /// Written under the brand's declared review incentive.
    #[serde(default)]
    pub incentivised: bool,
    /// Written through a purchase-linked review link (never set by an admin).
    #[serde(default)]
    pub verified_purchase: bool,
    /// The brand's public reply, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<crate::reply::BrandReply>,
    /// Its author agreed that the brand may feature it in ads, social posts
    /// and emails (`crate::consent`), since this time (unix ms); absent: no.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reuse_consent_at: Option<i64>,
    /// When its author last edited it, unix ms: what a moderator passes back
    /// as `seen_edit` with a decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited_at: Option<i64>,
    /// The platform it was imported from (`crate::import::Source`:
    /// `judge.me`, `yotpo`, `okendo`, `stamped`, `kindred`); absent when
    /// written through Kindred.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imported_from: Option<String>,
    /// The file it came in, when not `imported_from`'s platform: `kindred`
    /// for a Kindred export's review first written there. An import's undo
    /// (`DELETE .../imports/{source}`) goes by this source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imported_via: Option<String>,
    /// Unix ms.
    pub created_at: i64,
    /// When it is published if nobody decides first (pending only), unix ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hold_ends_at: Option<i64>,
}

/// The answer to a submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Submitted {
    pub id: String,
    pub status: Status,
    pub verified_buyer: bool,
    /// Written under the brand's declared review incentive.
    #[serde(default)]
    pub incentivised: bool,
    /// Written through a purchase-linked review link.
    #[serde(default)]
    pub verified_purchase: bool,
}

/// Where a testimonial stands in moderation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pending,
    Approved,
    Rejected,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Result<Self, ApiError> {
        match s {
            "pending" => Ok(Self::Pending),
            "approved" => Ok(Self::Approved),
            "rejected" => Ok(Self::Rejected),
            _ => Err(ApiError::field(ErrorCode::BadRequest, "status", "status is pending, approved or rejected")),
        }
    }
}

/// How a brand moderates new testimonials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum ModerationMode {
    /// Everything waits for a person.
    AllPending,
    /// Ratings at or above `min_rating` go live at once; the rest wait.
    AutoApproveMinRating {
        /// 1 to 5.
        #[serde(deserialize_with = "crate::error::whole")]
        min_rating: u8,
    },
    /// Verified buyers go live at once; anonymous submissions wait.
    AutoApproveVerified,
}

impl ModerationMode {
    /// The status a new testimonial starts in.
    pub fn initial_status(self, rating: u8, verified: bool) -> Status {
        let approve = match self {
            Self::AllPending => false,
            Self::AutoApproveMinRating { min_rating } => rating >= min_rating,
            Self::AutoApproveVerified => verified,
        };
        if approve {
            Status::Approved
        } else {
            Status::Pending
        }
    }

    /// From the stored columns (`moderation_mode`, `auto_approve_min_rating`).
    pub fn from_columns(mode: &str, min_rating: Option<i64>) -> Self {
        match (mode, min_rating) {
            ("auto_approve_min_rating", Some(n)) => Self::AutoApproveMinRating { min_rating: n.clamp(1, 5) as u8 },
            ("auto_approve_verified", _) => Self::AutoApproveVerified,
            _ => Self::AllPending,
        }
    }

    pub fn to_columns(self) -> (&'static str, Option<u8>) {
        match self {
            Self::AllPending => ("all_pending", None),
            Self::AutoApproveMinRating { min_rating } => ("auto_approve_min_rating", Some(min_rating)),
            Self::AutoApproveVerified => ("auto_approve_verified", None),
        }
    }

    pub fn validate(self) -> Result<Self, ApiError> {
        match self {
            Self::AutoApproveMinRating { min_rating } if !(1..=5).contains(&min_rating) => Err(ApiError::field(
                ErrorCode::ValidationFailed,
                "moderation.min_rating",
                "min_rating must be 1 to 5 stars",
            )),
            m => Ok(m),
        }
    }
}

/// Public feed order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    #[default]
    Newest,
    Highest,
    Helpful,
}

impl Sort {
    pub fn parse(s: &str) -> Result<Self, ApiError> {
        match s {
            "" | "newest" => Ok(Self::Newest),
            "highest" => Ok(Self::Highest),
            "helpful" => Ok(Self::Helpful),
            _ => Err(ApiError::field(ErrorCode::BadRequest, "sort", "sort is newest, highest or helpful")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Newest => "newest",
            Self::Highest => "highest",
            Self::Helpful => "helpful",
        }
    }
}

/// Where the previous page ended: the sort key of its last row. Opaque to
/// clients (`<sort>.<key>.<created_at>.<id>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub sort: Sort,
    /// Featured (newest), rating (highest) or helpful count (helpful).
    pub key: i64,
    pub created_at: i64,
    /// The last testimonial's place in the feed (`testimonials.seq`): the
    /// tie-breaker after `created_at`.
    pub seq: i64,
}

impl Cursor {
    /// A cursor before the first row of `sort`'s order (every key at its
    /// largest): the page after a first page in a context's order
    /// (`crate::context::next_cursor`) is the feed from its start.
    pub fn restart(sort: Sort) -> Self {
        Self { sort, key: i64::MAX, created_at: i64::MAX, seq: i64::MAX }
    }

    pub fn encode(&self) -> String {
        format!("{}.{}.{}.{}", self.sort.as_str(), self.key, self.created_at, self.seq)
    }

    pub fn decode(s: &str) -> Result<Self, ApiError> {
        let bad = || ApiError::field(ErrorCode::BadRequest, "cursor", "the cursor is not one this API handed out");
        let mut parts = s.splitn(4, '.');
        let sort = Sort::parse(parts.next().ok_or_else(bad)?).map_err(|_| bad())?;
        let key = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
        let created_at = parts.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
        let last = parts.next().ok_or_else(bad)?;
        let seq = match last.parse::<i64>() {
            Ok(seq) => seq,
            // A cursor handed out before the feed ordered ties by `seq`
            // ended in a testimonial id: go on from its (key, created_at),
            // so a shopper mid-scroll at the upgrade sees at most the
            // testimonials of that one millisecond again, never an error.
            Err(_) if !last.is_empty() && last.len() <= 64 && last.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') => i64::MAX,
            Err(_) => return Err(bad()),
        };
        Ok(Self { sort, key, created_at, seq })
    }
}

/// A validated public feed query.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FeedQuery {
    pub product: Option<ProductId>,
    pub tag: Option<String>,
    /// Only this many stars.
    pub rating: Option<u8>,
    pub sort: Sort,
    pub cursor: Option<Cursor>,
    pub limit: u32,
}

pub const PAGE_DEFAULT: u32 = 10;
pub const PAGE_MAX: u32 = 50;

impl FeedQuery {
    /// From query-string pairs; unknown keys are ignored, bad values refused.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Self, ApiError> {
        let mut q = FeedQuery { limit: PAGE_DEFAULT, ..Default::default() };
        let mut cursor = None;
        for (k, v) in pairs {
            match k {
                "product" if !v.is_empty() => q.product = Some(ProductId::parse(v)?),
                "tag" if !v.is_empty() => {
                    let tags = normalize_tags(&[v.to_owned()]).map_err(|e| ApiError::field(ErrorCode::BadRequest, "tag", e.message))?;
                    q.tag = tags.into_iter().next();
                }
                "rating" if !v.is_empty() => {
                    q.rating = Some(v.parse::<u8>().ok().filter(|r| (1..=5).contains(r)).ok_or_else(|| {
                        ApiError::field(ErrorCode::BadRequest, "rating", "rating is 1 to 5")
                    })?)
                }
                "sort" => q.sort = Sort::parse(v)?,
                "cursor" if !v.is_empty() => cursor = Some(Cursor::decode(v)?),
                "limit" if !v.is_empty() => {
                    q.limit = v.parse::<u32>().ok().filter(|n| (1..=PAGE_MAX).contains(n)).ok_or_else(|| {
                        ApiError::field(ErrorCode::BadRequest, "limit", format!("limit is 1 to {PAGE_MAX}"))
                    })?
                }
                _ => {}
            }
        }
        if let Some(c) = &cursor {
            if c.sort != q.sort {
                return Err(ApiError::field(ErrorCode::BadRequest, "cursor", "the cursor belongs to another sort order"));
            }
        }
        q.cursor = cursor;
        Ok(q)
    }
}

/// `POST /v1/brands/{brand}/testimonials/{id}/helpful`'s answer: the
/// testimonial's helpful count after this vote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HelpfulVote {
    pub id: String,
    pub helpful_count: u32,
}

/// A page of the moderation queue (`GET /v1/admin/brands/{brand}/testimonials`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Queue {
    pub testimonials: Vec<AdminTestimonial>,
    /// Pass as `cursor` for the next page; `null` on the last.
    pub next_cursor: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_typed_with_any_scripts_comma_are_separate_tags() {
        let split = |raw: &str| normalize_tags(&split_tags(raw).map(str::to_owned).collect::<Vec<_>>()).unwrap();
        // What an Arabic or Persian keyboard types for "," (U+060C), a
        // Japanese IME's 、 and a Chinese one's ，: each separates, as "," does.
        assert_eq!(split("الجري في المسارات، نباتي"), ["الجري في المسارات", "نباتي"]);
        assert_eq!(split("کوهنوردی،دویدن , Vegan"), ["کوهنوردی", "دویدن", "vegan"]);
        assert_eq!(split("ランニング、トレイル"), ["ランニング", "トレイル"]);
        assert_eq!(split("跑步，素食"), ["跑步", "素食"]);
        assert_eq!(split("a,,b"), ["a", "b"]);
        assert_eq!(split("کوهنوردی؛ دویدن; یوگا٬ شنا"), ["کوهنوردی", "دویدن", "یوگا", "شنا"]);
        assert_eq!(split("\u{200F}کوه، \u{200F}کوه"), ["کوه"], "a direction mark at the ends is not part of a tag");
        assert_eq!(split("veg\u{AD}an, v\u{200B}egan, vegan\u{2060}, \u{FEFF}vegan, ve\u{200E}gan, vegan\u{034F}, vegan\u{3164}, ve\u{FFA0}gan"), ["vegan"], "nor an invisible character inside one");
        assert_eq!(split("❤\u{FE0F}"), ["❤\u{FE0F}"], "an emoji's presentation is kept");
        assert_eq!(split("می\u{200C}خواهم، میخواهم, 👩\u{200D}💻"), ["می\u{200C}خواهم", "میخواهم", "👩\u{200D}💻"], "the joiners make other words");
        // ...where they do (UAX #31 section 2.3, UTS #51): between Latin
        // letters, at a tag's ends, after a letter that never joins, or
        // between an emoji and a letter, they change nothing a reader sees.
        assert_eq!(split("veg\u{200D}an, ve\u{200C}gan, \u{200D}vegan\u{200C}, vegan"), ["vegan"]);
        assert_eq!(split("کار\u{200C}بر, کاربر"), ["کاربر"], "ر never joins the letter after it (nor do ا, د, ذ, ز, ژ, و)");
        assert_eq!(split("ورزش\u{200C}کار, ورزشکار"), ["ورزش\u{200C}کار", "ورزشکار"], "ش would join ک: two spellings");
        assert_eq!(split("👍\u{200D}vegan"), ["👍vegan"]);
        assert_eq!(split("क्\u{200D}ष, क्\u{200C}ष, क्ष"), ["क्\u{200D}ष", "क्\u{200C}ष", "क्ष"], "after a virama: half forms, three spellings");
        assert_eq!(split("👩🏽\u{200D}💻, ❤\u{FE0F}\u{200D}🔥, 🏳\u{FE0F}\u{200D}🌈"), ["👩🏽\u{200D}💻", "❤\u{FE0F}\u{200D}🔥", "🏳\u{FE0F}\u{200D}🌈"], "emoji ZWJ sequences with their modifiers");
        assert_eq!(split("بی\u{0651}\u{200C}نظیر"), ["بی\u{0651}\u{200C}نظیر"], "a mark between does not end the joining context");
        assert_eq!(split("ＦＩＴ, ﬁt, fit, ｶﾞ, ガ"), ["fit", "ガ"], "compatibility forms are the plain ones (NFKC)");
        assert_eq!(split("ﷺﷺﷺ"), ["ﷺﷺﷺ"], "kept as typed where NFKC would pass 40 characters (helper-87)");
        assert_eq!(split("می\u{200C}\u{200C}خواهم"), ["می\u{200C}خواهم"], "a doubled joiner is one (helper-87)");
        assert_eq!(split("İstanbul, I\u{307}stanbul, istanbul, İZMİR"), ["istanbul", "izmir"], "a dotted capital I is i, as Turkish lowercases it");
        assert_eq!(split("i\u{307}\u{301}, í"), ["í"], "its dot between i and an accent is gone, composed again");
        assert_eq!(split("ıspanak, Ispanak"), ["ıspanak", "ispanak"], "a dotless ı stays (which I is meant needs the language)");
        // Stored under earlier rules: read again by these.
        assert_eq!(reread_tags(r#"["ｆｉｔ","veg\u200dan","vegan"]"#, None).as_deref(), Some(r#"["fit","vegan"]"#));
        assert_eq!(reread_tags(r#"["fit","ورزش\u200cکار"]"#, None), None, "the same by today's rules");
        assert_eq!(reread_tags("not json", None), None);
        assert_eq!(reread_tags(r#"["\u200d"]"#, None).as_deref(), Some("[]"));
        assert_eq!(reread_tags(r#"["i\u0307stanbul"]"#, None).as_deref(), Some(r#"["istanbul"]"#), "lowercased by rules 2");
        assert_eq!(reread_tags(r#"["كتاب","کتاب","ماهي"]"#, Some("fa")).as_deref(), Some(r#"["کتاب","ماهی"]"#), "typed on an Arabic keyboard, in Persian");
        assert_eq!(reread_tags(r#"["كتاب","کتاب"]"#, Some("ar")), None, "Arabic keeps its letters, and Persian's");
        assert_eq!(reread_tags(r#"["كتاب"]"#, None), None, "and so does a testimonial of no known language");
        // Not separators: the Arabic decimal separator and letters that look alike.
        assert_eq!(split("٣٫٥ ميل"), ["٣٫٥ ميل"]);
    }

    #[test]
    fn a_retry_has_its_submissions_fingerprint_and_another_review_does_not() {
        let first = NewTestimonial { display_name: "Ana".into(), email: "ana@example.com".into(), rating: 5, body: "Great boots".into(), identity: Some("tok-1".into()), ..Default::default() };
        let retry = NewTestimonial { identity: Some("tok-2".into()), ..first.clone() };
        assert_eq!(first.fingerprint(), retry.fingerprint(), "a fresh identity token is the same submission");
        assert_eq!(first.fingerprint().len(), 32);
        let other = NewTestimonial { rating: 1, body: "Tent leaks".into(), ..first.clone() };
        assert_ne!(first.fingerprint(), other.fingerprint());
        let uploaded_again = NewTestimonial { photos: vec!["p2".into()], ..first.clone() };
        assert_eq!(NewTestimonial { photos: vec!["p1".into()], ..first.clone() }.fingerprint(), uploaded_again.fingerprint(), "a retry's photos are new uploads");
    }
    use proptest::prelude::*;

    fn good() -> NewTestimonial {
        NewTestimonial {
            product: Some("sku-1".into()),
            display_name: "  Ana  ".into(),
            email: "Ana@Example.com".into(),
            rating: 5,
            title: "Great".into(),
            body: "Loved it on the trail.".into(),
            tags: vec!["Trail Running".into(), "trail running ".into(), "".into()],
            photos: vec![],
            website: None,
            identity: None,
            review_token: None,
            reuse_consent: false,
            lang: Some("en-GB".into()),
        }
    }

    #[test]
    fn validates_and_normalises() {
        let v = good().validate().unwrap();
        assert_eq!(v.lang.as_deref(), Some("en"));
        assert_eq!(v.display_name, "Ana");
        assert_eq!(v.email, "Ana@example.com");
        assert_eq!(v.tags, vec!["trail running"]);
        assert_eq!(v.product.unwrap().as_str(), "sku-1");
        // Written in Persian on an Arabic keyboard: one chip with the
        // Persian ones (with the `unicode` feature the letters must be
        // Persian's script for the page's language to stand).
        let persian = NewTestimonial { lang: Some("fa-IR".into()), title: "عالی".into(), body: "کفش خوبی بود، ممنون.".into(), tags: vec!["كتاب".into(), "ماهي".into(), "کتاب".into()], ..good() };
        let v = persian.validate().unwrap();
        assert_eq!((v.lang.as_deref(), v.tags), (Some("fa"), vec!["کتاب".to_owned(), "ماهی".to_owned()]));
        let arabic = NewTestimonial { lang: Some("ar".into()), title: "ممتاز".into(), body: "حذاء رائع، شكرا.".into(), tags: vec!["كتاب".into(), "على".into()], ..good() };
        assert_eq!(arabic.validate().unwrap().tags, ["كتاب", "على"]);
        // An English review on a Persian page: the tags by the page's language (helper-90).
        let english_on_persian = NewTestimonial { lang: Some("fa".into()), tags: vec!["كتاب".into()], ..good() };
        assert_eq!(english_on_persian.validate().unwrap().tags, ["کتاب"]);
    }

    #[test]
    fn each_rule_names_its_field() {
        type Mutation = Box<dyn Fn(&mut NewTestimonial)>;
        let cases: Vec<(Mutation, &str)> = vec![
            (Box::new(|t| t.display_name = " ".into()), "display_name"),
            (Box::new(|t| t.display_name = "x".repeat(61)), "display_name"),
            (Box::new(|t| t.email = "nope".into()), "email"),
            (Box::new(|t| t.rating = 0), "rating"),
            (Box::new(|t| t.rating = 6), "rating"),
            (Box::new(|t| t.title = "x".repeat(121)), "title"),
            (Box::new(|t| t.body = "short".into()), "body"),
            (Box::new(|t| t.body = "x".repeat(5001)), "body"),
            (Box::new(|t| t.tags = (0..6).map(|i| format!("t{i}")).collect()), "tags"),
            (Box::new(|t| t.tags = vec!["x".repeat(41)]), "tags"),
            (Box::new(|t| t.photos = vec!["a".repeat(32); 4]), "photos"),
            (Box::new(|t| t.photos = vec!["../../etc".into()]), "photos"),
            (Box::new(|t| t.product = Some("a b".into())), "product"),
        ];
        for (mutate, field) in cases {
            let mut t = good();
            mutate(&mut t);
            let e = t.validate().unwrap_err();
            assert_eq!(e.field.as_deref(), Some(field), "{e}");
        }
    }

    #[test]
    fn unknown_fields_are_refused() {
        let e = serde_json::from_str::<NewTestimonial>(
            r#"{"display_name":"a","email":"a@b.co","rating":5,"body":"0123456789","status":"approved"}"#,
        );
        assert!(e.is_err(), "a client must not set its own status");
    }

    #[test]
    fn honeypot() {
        let mut t = good();
        assert!(!t.is_bot());
        t.website = Some("http://spam.example".into());
        assert!(t.is_bot());
    }

    #[test]
    fn moderation_modes() {
        use ModerationMode::*;
        assert_eq!(AllPending.initial_status(5, true), Status::Pending);
        assert_eq!(AutoApproveMinRating { min_rating: 4 }.initial_status(4, false), Status::Approved);
        assert_eq!(AutoApproveMinRating { min_rating: 4 }.initial_status(3, true), Status::Pending);
        assert_eq!(AutoApproveVerified.initial_status(1, true), Status::Approved);
        assert_eq!(AutoApproveVerified.initial_status(5, false), Status::Pending);
        for m in [AllPending, AutoApproveMinRating { min_rating: 3 }, AutoApproveVerified] {
            let (mode, n) = m.to_columns();
            assert_eq!(ModerationMode::from_columns(mode, n.map(i64::from)), m);
        }
        assert!(AutoApproveMinRating { min_rating: 0 }.validate().is_err());
    }

    #[test]
    fn feed_query_parsing() {
        let q = FeedQuery::from_pairs([("tag", "Vegan Cooking"), ("rating", "5"), ("sort", "helpful"), ("limit", "5")]).unwrap();
        assert_eq!(q.tag.as_deref(), Some("vegan cooking"));
        assert_eq!(q.rating, Some(5));
        assert_eq!(q.sort, Sort::Helpful);
        assert_eq!(q.limit, 5);
        for bad in [("rating", "6"), ("rating", "x"), ("sort", "random"), ("limit", "0"), ("limit", "51"), ("cursor", "zzz")] {
            assert!(FeedQuery::from_pairs([bad]).is_err(), "{bad:?}");
        }
        let c = Cursor { sort: Sort::Newest, key: 0, created_at: 5, seq: 1 }.encode();
        assert!(FeedQuery::from_pairs([("sort", "highest"), ("cursor", c.as_str())]).is_err());
    }

    proptest! {
        #[test]
        fn cursors_round_trip(key in any::<i64>(), created in any::<i64>(), seq in any::<i64>()) {
            for sort in [Sort::Newest, Sort::Highest, Sort::Helpful] {
                let c = Cursor { sort, key, created_at: created, seq };
                prop_assert_eq!(Cursor::decode(&c.encode()).unwrap(), c);
            }
        }

        #[test]
        fn cursors_from_before_seq_still_page(key in 0i64..100, created in any::<i64>(), id in "[a-f0-9]{32}") {
            let old = format!("helpful.{key}.{created}.{id}");
            let c = Cursor::decode(&old).unwrap();
            prop_assert_eq!((c.sort, c.key, c.created_at, c.seq), (Sort::Helpful, key, created, i64::MAX));
        }

        #[test]
        fn garbage_cursors_are_refused_not_panics(s in "\\PC{0,80}") {
            let _ = Cursor::decode(&s);
        }
    }
}
