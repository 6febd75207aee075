//! Reviews a brand brings from another platform: the exports of Judge.me,
//! Yotpo, Okendo and Stamped, and Kindred's own (`export/testimonials`).
//!
//! `POST /v1/admin/brands/{brand}/imports` takes a chunk of at most
//! [`CHUNK_MAX`] records of one file, each an object keyed by the file's
//! column names (a CSV's header row; a JSON export's keys), as
//! [`ImportChunk`]. The console reads CSV, JSON and JSON Lines files in the
//! browser and sends them chunk by chunk, so a 10,000-row file is 50 short
//! requests, each one D1 transaction: no request comes near the Workers
//! CPU limit, and an import that stops (a closed tab, a lost connection)
//! goes on from the chunk where it stopped.
//!
//! **Idempotent.** Every imported testimonial keeps its source and its id
//! there (`import_source`, `import_source_id`; unique per brand): sending
//! the same rows again changes nothing and answers them as `already`. A
//! file without an id column gets one from what the review says (product,
//! email, date, text: [`fallback_source_id`]), which is as stable.
//!
//! **Never verified.** Whatever the source says, an imported testimonial is
//! neither "verified buyer" nor "verified purchase": Kindred did not see
//! the purchase. It is labelled with its source for the brand (console,
//! exports) and has no consent to reuse (feeds and share pages leave it
//! out: `crate::consent`).
//!
//! **Photos by URL** go through the same pipeline as uploads (fetched by
//! the edge, at most [`crate::photo::MAX_BYTES`], metadata stripped by
//! [`crate::photo::clean`], stored in R2), in the background: the chunk is
//! answered at once and the photos follow, a few at a time (a queue). A
//! photo that cannot be fetched is reported, and the testimonial stays.
//! URLs follow the webhook rule (`crate::webhook::check_target`): public
//! `https` only.
//!
//! **Columns** are matched without regard to case, spaces, `_` or `-`
//! (`Review Score`, `review_score` and `reviewScore` are one name); the
//! first of [`Source::columns`]'s names a file has is used, and
//! `ImportChunk::columns` names another. The names are those of each
//! platform's review export as documented by the platform in 2025-2026;
//! the README's "Importing reviews" section lists them.

use crate::error::{ApiError, ErrorCode};
use crate::testimonial::{self, Status};
use crate::text;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Records per request, most: one D1 batch of a few statements each way.
pub const CHUNK_MAX: usize = 200;
/// Largest accepted request body, bytes (200 records of long reviews).
pub const BODY_BYTES_MAX: usize = 4 * 1024 * 1024;
/// Characters of a photo URL, most.
pub const URL_MAX: usize = 2048;
/// Times a photo fetch is tried (30 s, 2 min and 8 min apart, or as the
/// host's `Retry-After` says) before it is reported as failed.
pub const PHOTO_ATTEMPTS: i64 = 3;

/// A platform whose export Kindred reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Source {
    #[serde(rename = "kindred")]
    Kindred,
    #[serde(rename = "judge.me")]
    JudgeMe,
    #[serde(rename = "yotpo")]
    Yotpo,
    #[serde(rename = "okendo")]
    Okendo,
    #[serde(rename = "stamped")]
    Stamped,
}

/// What a column of an export means to Kindred.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The review's id at the source (idempotency).
    Id,
    Product,
    Rating,
    Title,
    Body,
    Name,
    Email,
    /// When the review was written.
    Date,
    /// Photo URLs: a JSON list, or separated by commas, spaces or `|`.
    Photos,
    /// Interest tags (Kindred's own exports).
    Tags,
    /// Published, pending or rejected at the source.
    Status,
    /// The brand's public reply.
    Reply,
    ReplyDate,
}

impl Field {
    pub const ALL: [Field; 13] = [
        Self::Id,
        Self::Product,
        Self::Rating,
        Self::Title,
        Self::Body,
        Self::Name,
        Self::Email,
        Self::Date,
        Self::Photos,
        Self::Tags,
        Self::Status,
        Self::Reply,
        Self::ReplyDate,
    ];

    /// Its name in `ImportChunk::columns` and in row errors.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::Product => "product",
            Self::Rating => "rating",
            Self::Title => "title",
            Self::Body => "body",
            Self::Name => "name",
            Self::Email => "email",
            Self::Date => "date",
            Self::Photos => "photos",
            Self::Tags => "tags",
            Self::Status => "status",
            Self::Reply => "reply",
            Self::ReplyDate => "reply_date",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == s)
    }

    /// Its name for a brand choosing a file's columns (the console, English).
    pub fn label(self) -> &'static str {
        match self {
            Self::Id => "Review id",
            Self::Product => "Product",
            Self::Rating => "Rating (1 to 5)",
            Self::Title => "Title",
            Self::Body => "Text",
            Self::Name => "Reviewer's name",
            Self::Email => "Reviewer's email",
            Self::Date => "Date written",
            Self::Photos => "Photo URLs",
            Self::Tags => "Tags",
            Self::Status => "State (published, pending, rejected)",
            Self::Reply => "The brand's reply",
            Self::ReplyDate => "Reply date",
        }
    }

    /// Whether a record without it is refused ([`Reader::read`]): a rating,
    /// a name and a text, for which a title stands in ([`Field::stand_in`]).
    pub fn needed(self) -> bool {
        matches!(self, Self::Rating | Self::Name | Self::Body)
    }

    /// The field that may take its place in a record: a title-only review's
    /// title is its text.
    pub fn stand_in(self) -> Option<Field> {
        (self == Self::Body).then_some(Self::Title)
    }
}

impl Source {
    pub const ALL: [Source; 5] = [Self::JudgeMe, Self::Yotpo, Self::Okendo, Self::Stamped, Self::Kindred];

    /// As stored (`testimonials.import_source`) and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Kindred => "kindred",
            Self::JudgeMe => "judge.me",
            Self::Yotpo => "yotpo",
            Self::Okendo => "okendo",
            Self::Stamped => "stamped",
        }
    }

    /// As people write it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Kindred => "Kindred",
            Self::JudgeMe => "Judge.me",
            Self::Yotpo => "Yotpo",
            Self::Okendo => "Okendo",
            Self::Stamped => "Stamped",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// The column names that mean `field` in this platform's export, the
    /// preferred first (compared by [`column_key`]).
    pub fn columns(self, field: Field) -> &'static [&'static str] {
        use Field as F;
        match (self, field) {
            // Judge.me: Reviews > Export (CSV).
            (Self::JudgeMe, F::Id) => &["id", "review_id"],
            (Self::JudgeMe, F::Product) => &["product_handle", "product_id"],
            (Self::JudgeMe, F::Rating) => &["rating"],
            (Self::JudgeMe, F::Title) => &["title"],
            (Self::JudgeMe, F::Body) => &["body"],
            (Self::JudgeMe, F::Name) => &["reviewer_name"],
            (Self::JudgeMe, F::Email) => &["reviewer_email"],
            (Self::JudgeMe, F::Date) => &["review_date", "created_at"],
            (Self::JudgeMe, F::Photos) => &["picture_urls", "pictures"],
            (Self::JudgeMe, F::Status) => &["curated", "published"],
            (Self::JudgeMe, F::Reply) => &["reply"],
            (Self::JudgeMe, F::ReplyDate) => &["reply_date"],
            // Yotpo: Reviews > Export reviews (CSV).
            (Self::Yotpo, F::Id) => &["review_id", "id"],
            (Self::Yotpo, F::Product) => &["product_id", "sku", "product_sku"],
            (Self::Yotpo, F::Rating) => &["review_score", "score", "rating"],
            (Self::Yotpo, F::Title) => &["review_title", "title"],
            (Self::Yotpo, F::Body) => &["review_content", "content"],
            (Self::Yotpo, F::Name) => &["display_name", "reviewer_display_name", "user_name"],
            (Self::Yotpo, F::Email) => &["email", "user_email", "reviewer_email"],
            (Self::Yotpo, F::Date) => &["date", "review_creation_date", "created_at"],
            (Self::Yotpo, F::Photos) => &["published_image_urls", "published_image_url", "image_urls"],
            (Self::Yotpo, F::Status) => &["review_status", "status", "published"],
            (Self::Yotpo, F::Reply) => &["comment_content", "public_comment"],
            (Self::Yotpo, F::ReplyDate) => &["comment_created_at", "comment_date"],
            // Okendo: Reviews > Export (CSV).
            (Self::Okendo, F::Id) => &["reviewId", "review_id", "id"],
            (Self::Okendo, F::Product) => &["productId", "product_handle", "product_id"],
            (Self::Okendo, F::Rating) => &["rating"],
            (Self::Okendo, F::Title) => &["title"],
            (Self::Okendo, F::Body) => &["body"],
            (Self::Okendo, F::Name) => &["reviewerName", "reviewer_display_name", "name"],
            (Self::Okendo, F::Email) => &["reviewerEmail", "email"],
            (Self::Okendo, F::Date) => &["dateCreated", "date_created", "date"],
            (Self::Okendo, F::Photos) => &["imageUrls", "media", "images"],
            (Self::Okendo, F::Status) => &["status"],
            (Self::Okendo, F::Reply) => &["reply", "replyBody"],
            (Self::Okendo, F::ReplyDate) => &["replyDate", "dateReplied"],
            // Stamped: Reviews > Export (CSV).
            (Self::Stamped, F::Id) => &["reviewId", "review_id", "id"],
            (Self::Stamped, F::Product) => &["productId", "product_handle", "product_id"],
            (Self::Stamped, F::Rating) => &["rating", "reviewRating"],
            (Self::Stamped, F::Title) => &["title", "reviewTitle"],
            (Self::Stamped, F::Body) => &["body", "reviewMessage"],
            (Self::Stamped, F::Name) => &["author", "reviewerName", "name"],
            (Self::Stamped, F::Email) => &["email", "authorEmail"],
            (Self::Stamped, F::Date) => &["dateCreated", "date", "reviewDate", "created_at"],
            (Self::Stamped, F::Photos) => &["photos", "imageUrls", "images"],
            (Self::Stamped, F::Status) => &["published", "reviewState", "status"],
            (Self::Stamped, F::Reply) => &["reply", "replyComment"],
            (Self::Stamped, F::ReplyDate) => &["replyDate", "dateReplied"],
            // Kindred: `export/testimonials` (JSON Lines or CSV).
            (Self::Kindred, F::Id) => &["id"],
            (Self::Kindred, F::Product) => &["product_id"],
            (Self::Kindred, F::Rating) => &["rating"],
            (Self::Kindred, F::Title) => &["title"],
            (Self::Kindred, F::Body) => &["body"],
            (Self::Kindred, F::Name) => &["author_name"],
            (Self::Kindred, F::Email) => &["author_email"],
            (Self::Kindred, F::Date) => &["created_at"],
            (Self::Kindred, F::Photos) => &["photo_urls", "photos"],
            (Self::Kindred, F::Tags) => &["tags"],
            (Self::Kindred, F::Status) => &["status"],
            (Self::Kindred, F::Reply) => &["reply_body"],
            (Self::Kindred, F::ReplyDate) => &["reply_at"],
            (_, F::Tags) => &["tags"],
        }
    }
}

/// A column name as compared: its letters and digits, lowercase, in any
/// script (`Review Score`, `review_score` and `reviewScore` are all
/// `reviewscore`; `امتیاز` stays itself).
pub fn column_key(name: &str) -> String {
    name.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Columns one record may have, most (a real export has a few dozen).
pub const COLUMNS_MAX: usize = 200;

/// `POST /v1/admin/brands/{brand}/imports`: one chunk of one file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ImportChunk {
    /// `judge.me`, `yotpo`, `okendo`, `stamped` or `kindred`.
    pub source: String,
    /// The first record's row in the file (1 for the first after a CSV's
    /// header), so errors name rows as the brand's spreadsheet does.
    #[serde(default = "one", deserialize_with = "crate::error::whole")]
    pub first_row: u32,
    /// Another column for a field than the platform's usual one, keyed by
    /// field (`{"product": "product_id"}`): `id`, `product`, `rating`,
    /// `title`, `body`, `name`, `email`, `date`, `photos`, `tags`,
    /// `status`, `reply`, `reply_date`.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub columns: Map<String, Value>,
    /// Where relative photo URLs point (a Kindred export's `/v1/photos/..`
    /// are relative to the old edge): `https://old-edge.example`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo_base: Option<String>,
    /// At most [`CHUNK_MAX`] records, each keyed by column name; values
    /// are text, numbers, booleans or (photos, tags) lists.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub records: Vec<Map<String, Value>>,
    /// How the file writes dates like `03/01/2024`: `month_first` or
    /// `day_first`. The console decides it once for the whole file (so no
    /// two chunks read one file two ways); without it, the chunk's own
    /// dates decide ([`DateOrder::of`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_order: Option<DateOrder>,
    /// The file the chunk comes from, as the brand knows it (one line, up
    /// to [`FILE_MAX`] characters; blank: none): the import's status counts
    /// each file's testimonials, and an undo can take one file's alone
    /// (`DELETE .../imports/{source}?file=`), such as one partner's export
    /// among several. Every chunk of a file sends the same; a testimonial
    /// belongs to the file that first brought it in (one that a later file
    /// carries too is `already` there). The console sends the file's name
    /// and the 32-bit FNV-1a hash of its bytes in hex (`reviews.csv · 3fa2c1d9`),
    /// so two partners' `export.csv` are two files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// `csv` when the records are a CSV file's rows (text cells keyed by
    /// its header), as the console sends them: a Kindred CSV export's cells
    /// that a spreadsheet would run as formulas carry one leading `'`
    /// (`export::csv_cell`), taken off here so the review comes in as
    /// written (without it the `'` stays, and a copy no longer matches its
    /// first home). Other sources' cells are read as they are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<ChunkFormat>,
}

/// What an import chunk's records were read from ([`ImportChunk::format`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ChunkFormat {
    /// A CSV file's rows.
    Csv,
    /// JSON or JSON Lines records (as without `format`).
    Json,
}

/// The most characters of an import's [`ImportChunk::file`].
pub const FILE_MAX: usize = 200;

/// The most files [`ImportStatus::files`] lists (`sql::FILE_COUNTS`).
pub const FILES_LISTED: usize = 200;

fn one() -> u32 {
    1
}

/// Which number comes first in a date written with slashes (`03/01/2024`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    /// `03/01/2024` is March 1 (the US platforms' exports).
    #[default]
    MonthFirst,
    /// `03/01/2024` is 3 January (most of the world).
    DayFirst,
}

impl DateOrder {
    /// The order that `dates` (a file's or a chunk's date cells) are written
    /// in, one for all of them: day first when one date's first number
    /// cannot be a month (`13/03/2024`), month first when one's second cannot
    /// be (`03/13/2024`), `Ok(None)` when none says (every number 12 or
    /// less). Dates not written with slashes say nothing.
    ///
    /// # Errors
    /// `validation_failed` on `date_order` when the dates say both.
    pub fn of<'a>(dates: impl IntoIterator<Item = &'a str>) -> Result<Option<Self>, ApiError> {
        let (mut day, mut month) = (None::<&str>, None::<&str>);
        for d in dates {
            let Some((a, b)) = slash_date(d) else {
                continue;
            };
            if a > 12 && b <= 12 {
                day.get_or_insert(d);
            } else if b > 12 && a <= 12 {
                month.get_or_insert(d);
            }
        }
        match (day, month) {
            (Some(d), Some(m)) => Err(ApiError::field(
                ErrorCode::ValidationFailed,
                "date_order",
                format!("the dates are written both day first ({d:?}) and month first ({m:?}): fix the file, or say which with date_order"),
            )),
            (Some(_), None) => Ok(Some(Self::DayFirst)),
            (None, Some(_)) => Ok(Some(Self::MonthFirst)),
            (None, None) => Ok(None),
        }
    }
}

/// The first two numbers of a date written `d/m/yyyy` or `m/d/yyyy` (one or
/// two digits, then two, then a year of four; a time may follow after a
/// space), else `None`: `2024/03/01`, `13/3/24` and text that starts with a
/// date say nothing about the order. The console reads cells the same way.
fn slash_date(s: &str) -> Option<(u32, u32)> {
    let s = s.trim();
    let (date, time) = s.split_once(' ').unwrap_or((s, ""));
    if !time.trim_start().chars().all(|c| c.is_ascii_digit() || matches!(c, ':' | '.' | ' ' | 'A' | 'P' | 'M' | 'a' | 'p' | 'm')) {
        return None;
    }
    let mut parts = date.split('/');
    let (a, b, y) = (parts.next()?, parts.next()?, parts.next()?);
    let short = |p: &str| (1..=2).contains(&p.len()) && p.bytes().all(|c| c.is_ascii_digit());
    if parts.next().is_some() || !short(a) || !short(b) || y.len() != 4 || !y.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some((a.parse().ok()?, b.parse().ok()?))
}

/// The earliest date an imported review may have, unix ms (1995-01-01:
/// before it there were no online reviews to export). A date before it is
/// a misread (`3/1/24` read as the year 24), refused rather than stored.
pub const IMPORT_DATE_MIN_MS: i64 = 788_918_400_000;

/// A record that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RowError {
    /// Its row in the file (`first_row` + its place in the chunk).
    pub row: u32,
    /// Its id at the source, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_id: Option<String>,
    /// The field at fault (`rating`, `body`, ...).
    pub field: String,
    pub message: String,
}

/// What a Kindred record that names a review of this edge as its first
/// home (`sql::FIRST_HOMES`) becomes, given whether it carries that
/// review (`same`: its author's name, or none left after an erasure, and
/// its rating, title and words as they are or as they were before an edit
/// by its author; a copy exported before the edit is still a copy).
///
/// A record that names it with other words (helper-106: a partner's file
/// could claim a brand's public review id with words of its own, and hold
/// that review's place in every brand that imported it, the genuine copy
/// kept out as `already`) does not take its place: one that came through
/// the exporting brand (`kindred_via_id`) is imported as that brand's own
/// review, keyed by its id there, and said so (a warning: an honest copy
/// whose text was stored under older rules is not lost, only not merged);
/// one that poses as the review itself (its `id`) is refused. A first home
/// on another edge cannot be checked here and is taken as said.
///
/// A record that names a review whose author had it anonymised on this
/// edge (`erased`: no author name left, `privacy::ErasurePolicy::Anonymise`)
/// comes without the author's name, email and photos, as the review itself
/// now is: a partner's copy made before the erasure does not bring them
/// back here. (The erasure took the review's earlier versions too, so a
/// copy of one is no longer known as that review: it comes in as the
/// exporting brand's own, without its author all the same.)
///
/// # Errors
/// The record's `id`, for its `row`, when it poses as the review.
pub fn first_home(r: &mut Imported, same: bool, erased: bool, row: u32) -> Result<Option<RowError>, RowError> {
    if erased {
        r.display_name.clear();
        r.email.clear();
        r.photo_urls.clear();
    }
    if same {
        return Ok(None);
    }
    let message = |what: &str| format!("names review {} of this edge as where it was first written, but its author, rating, title or words are not that review's, nor an earlier version's{what}", r.source_id);
    match r.kindred_via_id.take() {
        Some(via) => {
            let warning = RowError { row, source_id: Some(via.clone()), field: "import_source_id".into(), message: message(": imported as the exporting brand's own review, not as that one") };
            r.source_id = via;
            Ok(Some(warning))
        }
        None => Err(RowError { row, source_id: Some(r.source_id.clone()), field: "id".into(), message: message("") }),
    }
}

/// What one chunk did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportResult {
    /// Records in the chunk.
    pub received: u32,
    /// New testimonials.
    pub imported: u32,
    /// Records imported before (same source id): left as they are.
    pub already: u32,
    /// Records not imported, each with its reason.
    pub failed: Vec<RowError>,
    /// Records imported without a part that broke a rule (a photo URL, an
    /// email, photos past the third), each with what was left out; and
    /// Kindred records imported as the exporting brand's own review, not as
    /// the review of this edge they named as their first home
    /// ([`first_home`], field `import_source_id`).
    #[serde(default)]
    pub warnings: Vec<RowError>,
    /// Photos the new testimonials will get, fetched in the background.
    pub photos_queued: u32,
}

/// Photos being fetched for imports, and the latest that could not be.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportStatus {
    /// Imported testimonials, per source imported (`{"judge.me": 9500}`;
    /// a Kindred export's reviews count under `kindred`, whatever platform
    /// they first came from).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub imported: Map<String, Value>,
    /// Imported testimonials per file named on import
    /// ([`ImportChunk::file`]), the file imported last first, at most
    /// [`FILES_LISTED`]; those imported without a file name count under
    /// `imported` only.
    pub files: Vec<ImportedFile>,
    /// More files than [`FILES_LISTED`] hold testimonials (the oldest are
    /// left out of `files`; their source's undo takes them).
    pub files_more: bool,
    /// Photos still to fetch.
    pub photos_pending: u32,
    /// Photos that could not be fetched (the latest 50).
    pub photos_failed: Vec<PhotoFailure>,
}

/// A file's imported testimonials ([`ImportStatus::files`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportedFile {
    /// The source it was imported as (`kindred`, `judge.me`, ...).
    pub source: String,
    /// Its name as sent ([`ImportChunk::file`]).
    pub file: String,
    /// Its testimonials here now, whatever their state.
    pub testimonials: u32,
}

/// The answer to undoing an import (`DELETE .../imports/{source}`): how
/// many of the source's testimonials this call deleted (at most
/// [`UNDO_PAGE`]), and whether none is left.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportUndone {
    pub deleted: u32,
    /// `false`: more are left; call again.
    pub done: bool,
}

/// Testimonials one call of an import's undo deletes: their photos, votes
/// and reply history go in the same two batches, and each row's triggers
/// (feed, aspects, ledger) run in its statement.
pub const UNDO_PAGE: u32 = 100;

/// The tombstone a testimonial written through Kindred leaves in its
/// brand when the brand deletes it (its author's erasure leaves
/// [`erasure_tombstone`], and erasures before migration 0060 this): a keyed hash of the brand and its id (`limits::client_hash` under
/// the deployment's client secret), `c_` and 32 hex digits. Never the id
/// itself: an erasure leaves nothing of the shopper in D1 (GDPR Art. 17;
/// only its `shopper.erased` notice names the ids, to the brand, until
/// delivered: Art. 19), and the id names the copies partner brands hold. A record whose first
/// home is that id is not imported into that brand again
/// (`sql::not_own!`; stored by `sql::BURY`). Rotating the client secret
/// forgets these tombstones (a copy could come back through a partner).
///
/// ```
/// let t = kindred_core::import::tombstone(b"a deployment secret", "acme", "t-1");
/// assert!(t.starts_with("c_") && !t.contains("t-1"));
/// assert_ne!(t, kindred_core::import::tombstone(b"a deployment secret", "other", "t-1"));
/// ```
pub fn tombstone(secret: &[u8], brand: &str, id: &str) -> String {
    crate::limits::client_hash(secret, &format!("testimonial tombstone:{brand}:{id}"))
}

/// The tombstone a testimonial written through Kindred leaves on the whole
/// edge when it is deleted, by its author's erasure (the brand's `delete`
/// policy) or by its brand (so an import cannot tell the two apart), or
/// that the review a deleted copy copied leaves when its author asked
/// (`?erasure=true`): a keyed hash of its id alone (`limits::client_hash`, `c_` and
/// 32 hex digits; ids are unique on the edge), so no brand of this edge
/// imports a partner's copy of it made before the erasure, whoever
/// exported it (`sql::not_own!`; stored by `sql::BURY_ERASED`, migration
/// 0060). The author asked for the review to go, not one brand's copy of
/// it (GDPR Art. 17); a review the brand deletes itself leaves
/// [`tombstone`], its own imports' business. Never the id, as
/// [`tombstone`]; rotating the client secret forgets these too.
///
/// ```
/// let t = kindred_core::import::erasure_tombstone(b"a deployment secret", "t-1");
/// assert!(t.starts_with("c_") && !t.contains("t-1"));
/// assert_ne!(t, kindred_core::import::tombstone(b"a deployment secret", "acme", "t-1"));
/// ```
pub fn erasure_tombstone(secret: &[u8], id: &str) -> String {
    crate::limits::client_hash(secret, &format!("erased testimonial:{id}"))
}

/// `GET .../imports/photos`: the photos part of [`ImportStatus`], read
/// without its counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportPhotos {
    /// Photos still to fetch.
    pub pending: u32,
    /// Photos that could not be fetched (the latest 50).
    pub failed: Vec<PhotoFailure>,
}

/// A photo URL that could not be fetched or was not an accepted image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhotoFailure {
    pub testimonial_id: String,
    pub url: String,
    pub error: String,
}

/// One record, read and checked: what is stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// Where it was first written: the chunk's source, or, for a Kindred
    /// export of reviews imported there, the platform they came from (so
    /// importing the original file again on the new edge changes nothing).
    pub source: Source,
    pub source_id: String,
    /// For a record of a Kindred export that came into that brand through
    /// another Kindred export (`import_source` `kindred`): its id in the
    /// brand whose export this is. `source_id` is then the id of its first
    /// home, the brand it was written in, however many brands it went
    /// through (each export names it as `import_source_id`), so brand A's
    /// review that comes back to A through B, or to C through A and B in
    /// either order, is one review (`sql::not_own!`). This one matches rows
    /// imported before that rule, stored under the exporting brand's id.
    pub kindred_via_id: Option<String>,
    pub product: Option<String>,
    pub rating: u8,
    pub title: String,
    pub body: String,
    pub display_name: String,
    /// Empty when the export has none.
    pub email: String,
    /// Unix ms.
    pub created_at: i64,
    pub photo_urls: Vec<String>,
    pub tags: Vec<String>,
    pub status: Status,
    pub reply: Option<(String, i64)>,
}

/// A chunk's settings, checked once.
#[derive(Debug, Clone)]
pub struct Reader {
    pub source: Source,
    pub first_row: u32,
    /// The chunk's file ([`ImportChunk::file`], normalised), if named.
    pub file: Option<String>,
    overrides: Vec<(Field, String)>,
    photo_base: Option<url::Url>,
    policy: crate::webhook::TargetPolicy,
    /// How this chunk's slash dates read (the chunk's `date_order`, else
    /// what its dates say, else month first).
    date_order: DateOrder,
    /// A Kindred CSV export's cells: their formula guard comes off
    /// ([`ImportChunk::format`]).
    unguard: bool,
}

impl ImportChunk {
    /// Checks the chunk's own settings (not its records); photo URLs will
    /// be held to `policy` (plain `http` to loopback only where the edge
    /// allows it for webhooks: local runs).
    ///
    /// # Errors
    /// `validation_failed` naming `source`, `columns`, `photo_base`, `file`
    /// (more than [`FILE_MAX`] characters) or `records` (empty, or more
    /// than [`CHUNK_MAX`]).
    pub fn reader(&self, policy: crate::webhook::TargetPolicy) -> Result<Reader, ApiError> {
        let bad = |field: &str, m: String| ApiError::field(ErrorCode::ValidationFailed, field, m);
        let source = Source::parse(&self.source)
            .ok_or_else(|| bad("source", "source is judge.me, yotpo, okendo, stamped or kindred".into()))?;
        if self.records.is_empty() {
            return Err(bad("records", "no records to import".into()));
        }
        if self.records.len() > CHUNK_MAX {
            return Err(bad("records", format!("at most {CHUNK_MAX} records a request: send the file in chunks (the console does)")));
        }
        let mut overrides = Vec::new();
        for (k, v) in &self.columns {
            let field = Field::parse(k).ok_or_else(|| bad("columns", format!("{k:?} is not a field Kindred imports")))?;
            let col = v.as_str().filter(|s| !s.trim().is_empty()).ok_or_else(|| bad("columns", format!("columns.{k} names a column")))?;
            overrides.push((field, column_key(col)));
        }
        let photo_base = match self.photo_base.as_deref() {
            None | Some("") => None,
            Some(b) => Some(url::Url::parse(b).map_err(|e| bad("photo_base", format!("photo_base is not a URL ({e})")))?),
        };
        let file = match self.file.as_deref() {
            Some(f) if !crate::text::is_blank(f) => Some(crate::text::field(f, "file", 1, FILE_MAX, false)?),
            _ => None,
        };
        let unguard = source == Source::Kindred && self.format == Some(ChunkFormat::Csv);
        let mut reader = Reader { source, first_row: self.first_row.max(1), file, overrides, photo_base, policy, date_order: DateOrder::default(), unguard };
        reader.date_order = match self.date_order {
            Some(order) => order,
            None => {
                let keyed: Vec<Keyed<'_>> = self.records.iter().map(|r| r.iter().map(|(k, v)| (column_key(k), v)).collect()).collect();
                let dates: Vec<String> = keyed.iter().flat_map(|r| [reader.text(r, Field::Date), reader.text(r, Field::ReplyDate)]).flatten().collect();
                DateOrder::of(dates.iter().map(String::as_str))?.unwrap_or_default()
            }
        };
        Ok(reader)
    }
}

/// Whether a value says nothing (`null`, blank text, an empty list): a
/// platform's next column name is tried instead.
fn blank(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

/// Minimal HTML some exports put in review text: line breaks and the five
/// XML entities; anything else stays as written (the widget shows text).
fn plain(s: &str) -> String {
    let mut out = s.to_owned();
    for br in ["<br>", "<br/>", "<br />", "<BR>", "<BR/>", "<BR />"] {
        out = out.replace(br, "\n");
    }
    out.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&apos;", "'").replace("&amp;", "&")
}

/// A value as text: strings trimmed, numbers and booleans written out,
/// `null` and empty as none.
fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A stable id for a review from what it says, when its export has none:
/// 32 hex characters of SHA-256 over product, email, the day it was
/// written (as read, so a spreadsheet that rewrites the date's format
/// changes nothing), name, rating, title and text, as normalised.
pub fn fallback_source_id(product: &str, email: &str, day: &str, name: &str, rating: u8, title: &str, body: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    let rating = rating.to_string();
    for part in [product, email, day, name, rating.as_str(), title, body] {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    h.finalize().iter().take(16).map(|b| format!("{b:02x}")).collect()
}

/// A date as exports write it, as unix ms: RFC 3339 (`2024-03-01T10:00:00Z`,
/// `+02:00`), `2024-03-01 10:00:00` (optionally ` UTC` or `+0200`),
/// `2024-03-01`, `20240301`, `03/01/2024` (in `order`: the file's one
/// order, [`DateOrder::of`]), `01.03.2024` (day first), or a unix time in
/// seconds or milliseconds (from 2001 on: a smaller number is not taken
/// for a date). Times without a zone are UTC. A date before
/// [`IMPORT_DATE_MIN_MS`] is none (`3/1/24`: a two-digit year).
pub fn parse_date(s: &str, order: DateOrder) -> Option<i64> {
    parse_any_date(s, order).filter(|ms| *ms >= IMPORT_DATE_MIN_MS)
}

fn parse_any_date(s: &str, order: DateOrder) -> Option<i64> {
    use chrono::{DateTime, NaiveDate, NaiveDateTime};
    let s = s.trim();
    if let Ok(n) = s.parse::<i64>() {
        if s.len() == 8 {
            return NaiveDate::parse_from_str(s, "%Y%m%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0)).map(|t| t.and_utc().timestamp_millis());
        }
        return match n {
            1_000_000_000..=99_999_999_999 => Some(n * 1000),
            100_000_000_000.. => Some(n),
            _ => None,
        };
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.timestamp_millis());
    }
    let naive = s.strip_suffix(" UTC").or_else(|| s.strip_suffix(" Z")).or_else(|| s.strip_suffix('Z')).unwrap_or(s);
    let slashes = match order {
        DateOrder::MonthFirst => "%m/%d/%Y",
        DateOrder::DayFirst => "%d/%m/%Y",
    };
    for f in ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M"] {
        if let Ok(d) = NaiveDateTime::parse_from_str(naive, f) {
            return Some(d.and_utc().timestamp_millis());
        }
    }
    for f in [format!("{slashes} %H:%M:%S"), format!("{slashes} %H:%M")] {
        if let Ok(d) = NaiveDateTime::parse_from_str(naive, &f) {
            return Some(d.and_utc().timestamp_millis());
        }
    }
    if let Ok(d) = DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S %z") {
        return Some(d.timestamp_millis());
    }
    for f in ["%Y-%m-%d", slashes, "%d.%m.%Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(naive, f) {
            return d.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp_millis());
        }
    }
    None
}

/// A source's moderation state as Kindred's: published (`ok`, `approved`,
/// `published`, `true`, `yes`, `1`, `active`) is approved; `spam`,
/// `rejected`, `archived`, `deleted`, `hidden` are rejected; anything else
/// (`pending`, `not-yet`, `false`, `unpublished`) waits for the brand's
/// moderators. A file without the column holds published reviews.
pub fn parse_status(s: Option<&str>) -> Status {
    let Some(s) = s else { return Status::Approved };
    match column_key(s).as_str() {
        "ok" | "approved" | "published" | "true" | "yes" | "1" | "active" | "visible" => Status::Approved,
        "spam" | "rejected" | "archived" | "deleted" | "hidden" | "trash" => Status::Rejected,
        _ => Status::Pending,
    }
}

/// Photo URLs: a JSON list (of URLs or of objects with `url`), or text
/// separated by commas, `|`, spaces or new lines.
fn photo_urls(v: &Value) -> Vec<String> {
    match v {
        Value::Array(items) => items
            .iter()
            .filter_map(|i| match i {
                Value::String(s) => Some(s.trim().to_owned()),
                Value::Object(o) => o.get("url").and_then(Value::as_str).map(|s| s.trim().to_owned()),
                _ => None,
            })
            .filter(|s| !s.is_empty())
            .collect(),
        Value::String(s) if s.trim_start().starts_with('[') => serde_json::from_str::<Value>(s).map(|v| photo_urls(&v)).unwrap_or_default(),
        // A comma inside a URL (`w_300,h_200`) is part of it: only a comma
        // that starts another URL separates.
        Value::String(s) => s
            .split(['|', ' ', '\n', '\r', '\t'])
            .flat_map(|t| {
                let mut parts = Vec::new();
                let mut rest = t;
                while let Some(i) = rest.match_indices(',').map(|(i, _)| i).find(|&i| rest[i + 1..].trim_start().starts_with("http") || rest[i + 1..].trim_start().starts_with('/')) {
                    parts.push(&rest[..i]);
                    rest = &rest[i + 1..];
                }
                parts.push(rest);
                parts
            })
            .map(|p| p.trim().trim_end_matches(',').trim())
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

fn tag_list(v: &Value) -> Vec<String> {
    match v {
        Value::Array(items) => items.iter().filter_map(|i| i.as_str().map(str::to_owned)).collect(),
        Value::String(s) if s.trim_start().starts_with('[') => serde_json::from_str::<Vec<String>>(s).unwrap_or_default(),
        Value::String(s) => crate::testimonial::split_tags(s).map(str::to_owned).collect(),
        _ => Vec::new(),
    }
}

/// A record's values by [`column_key`] (the first of equal keys that says
/// something).
type Keyed<'a> = Vec<(String, &'a Value)>;

impl Reader {
    /// The value of `field`: the column the chunk named, or the platform's
    /// first that the record has and that says something.
    fn get<'a>(&self, record: &Keyed<'a>, field: Field) -> Option<&'a Value> {
        let find = |w: &str| record.iter().find(|(k, v)| k == w && !blank(v)).map(|(_, v)| *v);
        match self.overrides.iter().find(|(f, _)| *f == field) {
            Some((_, col)) => find(col),
            None => self.source.columns(field).iter().find_map(|c| find(&column_key(c))),
        }
    }

    fn text(&self, record: &Keyed<'_>, field: Field) -> Option<String> {
        self.get(record, field).and_then(text_of)
    }

    /// Reads the `index`th record of the chunk, at `now` (unix ms).
    ///
    /// # Errors
    /// The first rule it breaks, with its row and field: a rating that is
    /// not a whole 1 to 5, no text, no name, an email or date that cannot
    /// be read, a date in the future, a product id Kindred cannot take,
    /// text over Kindred's limits (`crate::testimonial`), more than
    /// [`crate::photo::MAX_PER_TESTIMONIAL`] photos or a photo URL that is
    /// not public `https`.
    pub fn read(&self, index: usize, record: &Map<String, Value>, now: i64) -> Result<(Imported, Vec<RowError>), RowError> {
        let row = self.first_row.saturating_add(u32::try_from(index).unwrap_or(u32::MAX));
        if record.len() > COLUMNS_MAX {
            return Err(RowError { row, source_id: None, field: "record".into(), message: format!("more than {COLUMNS_MAX} columns") });
        }
        let cells: Map<String, Value>;
        let record = if self.unguard {
            cells = record.iter().map(|(k, v)| (k.clone(), v.as_str().map_or_else(|| v.clone(), |s| Value::String(crate::export::csv_cell(s).to_owned())))).collect();
            &cells
        } else {
            record
        };
        let keyed: Keyed<'_> = record.iter().map(|(k, v)| (column_key(k), v)).collect();
        let record = &keyed;
        let given_id = self.text(record, Field::Id);
        let mut warnings = Vec::new();
        let fail = |field: &str, message: String| RowError { row, source_id: given_id.clone(), field: field.to_owned(), message };
        let from = |e: ApiError, field: &str| fail(e.field.as_deref().unwrap_or(field), e.message);

        let product = match self.text(record, Field::Product) {
            None => None,
            Some(p) => Some(crate::ids::ProductId::parse(&p).map_err(|e| from(e, "product"))?.as_str().to_owned()),
        };
        let rating_text = self.text(record, Field::Rating).ok_or_else(|| fail("rating", "no rating".into()))?;
        let rating = rating_text
            .replace(',', ".")
            .parse::<f64>()
            .ok()
            .filter(|r| r.fract() == 0.0 && (1.0..=5.0).contains(r))
            .map(|r| r as u8)
            .ok_or_else(|| fail("rating", format!("rating {rating_text:?} is not a whole number of stars from 1 to 5")))?;
        // Kindred's own export is plain text already: `&lt;3` there is what its author typed.
        let plain = |s: String| if self.source == Source::Kindred { s } else { plain(&s) };
        let mut title = plain(self.text(record, Field::Title).unwrap_or_default());
        let mut body = plain(self.text(record, Field::Body).unwrap_or_default());
        if body.is_empty() {
            // A title-only review: its title is its text.
            body = std::mem::take(&mut title);
        }
        let title = text::field(&title, "title", 0, testimonial::TITLE_MAX, false).map_err(|e| from(e, "title"))?;
        let body = text::field(&body, "body", 1, testimonial::BODY_MAX, true).map_err(|e| from(e, "body"))?;
        let name = self.text(record, Field::Name).ok_or_else(|| fail("name", "no reviewer name".into()))?;
        let display_name = text::person_name(&plain(name), "name", testimonial::NAME_MAX).map_err(|e| from(e, "name"))?;
        let email = match self.text(record, Field::Email) {
            None => String::new(),
            Some(raw) => crate::email::parse(&raw).unwrap_or_else(|_| {
                warnings.push(fail("email", format!("{raw:?} is not an email address: imported without one")));
                String::new()
            }),
        };
        let date_text = self.text(record, Field::Date);
        let created_at = match &date_text {
            None => {
                warnings.push(fail("date", "no date: dated the day of the import".into()));
                now
            }
            Some(d) => parse_date(d, self.date_order).ok_or_else(|| fail("date", format!("date {d:?} is not a date Kindred reads (2024-03-01, 2024-03-01 10:00:00 UTC, RFC 3339, unix time; a year of four digits, from 1995)")))?,
        };
        if created_at > now + 86_400_000 {
            return Err(fail("date", "the date is in the future".into()));
        }
        // Photos: each URL that breaks the rule is left out (and said);
        // the review comes in with the first three that keep it.
        let mut urls = Vec::new();
        for u in self.get(record, Field::Photos).map(photo_urls).unwrap_or_default() {
            let absolute = match (&self.photo_base, u.starts_with('/')) {
                (Some(base), true) => match base.join(&u) {
                    Ok(a) => String::from(a),
                    Err(e) => {
                        warnings.push(fail("photos", format!("photo URL {u:?} left out: {e}")));
                        continue;
                    }
                },
                _ => u,
            };
            let checked = if absolute.chars().count() > URL_MAX {
                Err(format!("over {URL_MAX} characters"))
            } else {
                crate::webhook::check_target(&absolute, self.policy).map_err(|e| e.replace("webhook", "photo"))
            };
            if let Err(e) = checked {
                let shown: String = absolute.chars().take(120).collect();
                warnings.push(fail("photos", format!("photo URL {shown:?} left out: {e}")));
                continue;
            }
            if !urls.contains(&absolute) {
                urls.push(absolute);
            }
        }
        if urls.len() > crate::photo::MAX_PER_TESTIMONIAL {
            warnings.push(fail("photos", format!("{} photos: the first {} imported", urls.len(), crate::photo::MAX_PER_TESTIMONIAL)));
            urls.truncate(crate::photo::MAX_PER_TESTIMONIAL);
        }
        let tags = testimonial::normalize_tags(&self.get(record, Field::Tags).map(tag_list).unwrap_or_default()).map_err(|e| from(e, "tags"))?;
        let status = parse_status(self.text(record, Field::Status).as_deref());
        let reply = match self.text(record, Field::Reply) {
            None => None,
            Some(r) => {
                let r = text::field(&plain(r), "reply", 1, crate::reply::REPLY_MAX, true).map_err(|e| from(e, "reply"))?;
                let at = self.text(record, Field::ReplyDate).and_then(|d| parse_date(&d, self.date_order)).unwrap_or(created_at);
                Some((r, at))
            }
        };
        let day = if date_text.is_some() { chrono::DateTime::from_timestamp_millis(created_at).map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default() } else { String::new() };
        let source_id = match given_id {
            Some(id) if id.chars().count() <= 200 => id,
            Some(_) => return Err(fail("id", "an id is at most 200 characters".into())),
            None => fallback_source_id(product.as_deref().unwrap_or(""), &email, &day, &display_name, rating, &title, &body),
        };
        // A Kindred export of reviews imported there names their first home:
        // another platform and its id, or (one that came there through
        // another Kindred export) the id it was written under in the first
        // Kindred brand; its id in this export is kept beside (`kindred_via_id`).
        let (source, source_id, kindred_via_id) = match (self.source, keyed_text(record, "importsource").as_deref().and_then(Source::parse), keyed_text(record, "importsourceid")) {
            (Source::Kindred, Some(origin), Some(id)) if origin != Source::Kindred && id.chars().count() <= 200 => (origin, id, None),
            (Source::Kindred, Some(Source::Kindred), Some(id)) if id.chars().count() <= 200 => (Source::Kindred, id, Some(source_id)),
            _ => (self.source, source_id, None),
        };
        Ok((Imported { source, source_id, kindred_via_id, product, rating, title, body, display_name, email, created_at, photo_urls: urls, tags, status, reply }, warnings))
    }
}

fn keyed_text(record: &Keyed<'_>, key: &str) -> Option<String> {
    record.iter().find(|(k, v)| k == key && !blank(v)).and_then(|(_, v)| text_of(v))
}

/// The SQL of an import, bound by the edge (`routes::imports`).
pub mod sql {
    /// "Record `r` of a Kindred export is not brand `?1`'s own
    /// testimonial, nor one it had": `sid` is the id of the record's first
    /// home (`Imported::source_id`), `oid` its id in the exporting brand
    /// when it came there through another Kindred export, `gone` the keyed
    /// hash [`super::tombstone`] of `sid` under brand `?1`, `erased` its
    /// [`super::erasure_tombstone`].
    /// - a review written on the brand's pages, exported and imported back
    ///   (a restore, a round trip; helper-100: it came in again, a second
    ///   copy in the feed and the average), or through other brands (A to B
    ///   and B's export back into A, helper-101; any number of hops): its
    ///   own id is `sid` (the testimonials' primary key);
    /// - one the brand wrote and then deleted, or that its author erased
    ///   (helper-103: it came back published through a partner's export,
    ///   the author's email with it): its tombstone (migration 0056:
    ///   a keyed hash, so an erasure leaves nothing of the shopper);
    /// - one its author erased, written in any brand of this edge (a
    ///   third brand importing a partner's copy got it back with the
    ///   author's name and email): its erasure tombstone (migration 0060);
    /// - one imported before that rule under the exporting brand's id
    ///   (`oid`), or deleted since (its tombstone under that id; helper-105:
    ///   the same old file imported again brought it back).
    ///
    /// A copy the brand imported from another brand is found by the import
    /// key (`src`, `sid`) and its tombstone, as any import.
    macro_rules! not_own {
        () => {
            " AND NOT (json_extract(r.value, '$.src') = 'kindred' AND (EXISTS (SELECT 1 FROM testimonials o \
            WHERE o.id IN (json_extract(r.value, '$.sid'), json_extract(r.value, '$.oid')) AND o.brand_id = ?1) \
            OR EXISTS (SELECT 1 FROM testimonials o WHERE o.brand_id = ?1 AND o.import_source = 'kindred' \
            AND o.import_source_id = json_extract(r.value, '$.oid')) \
            OR EXISTS (SELECT 1 FROM import_tombstones d WHERE d.brand_id = ?1 AND d.import_source = 'kindred' \
            AND d.import_source_id = json_extract(r.value, '$.oid')) \
            OR EXISTS (SELECT 1 FROM testimonial_tombstones g WHERE g.brand_id = ?1 AND g.digest = json_extract(r.value, '$.gone')) \
            OR EXISTS (SELECT 1 FROM erasure_tombstones x WHERE x.digest = json_extract(r.value, '$.erased'))))"
        };
    }

    /// Of a chunk's Kindred records (`?1`: a JSON list of `{"n", "id",
    /// "name", "rating", "title", "body"}`, `id` the first home each
    /// names), those whose first home is a review of this edge, in any
    /// brand: `n`, and `same` (1 or 0) for [`super::first_home`]: its
    /// author's name (or none, erased), and its rating, title and words now
    /// or in a version its author replaced (`testimonial_edits`); `erased`
    /// (1 or 0): its author's name is gone (anonymised). Compared here, so
    /// no version leaves D1. By primary key and
    /// `testimonial_edits_by_testimonial`.
    pub const FIRST_HOMES: &str = "SELECT json_extract(r.value, '$.n') AS n, t.author_name = '' AS erased, \
        (t.author_name = json_extract(r.value, '$.name') OR t.author_name = '') AND ( \
        (t.rating = json_extract(r.value, '$.rating') AND t.title = json_extract(r.value, '$.title') AND t.body = json_extract(r.value, '$.body')) \
        OR EXISTS (SELECT 1 FROM testimonial_edits e WHERE e.testimonial_id = t.id AND e.rating = json_extract(r.value, '$.rating') \
        AND e.title = json_extract(r.value, '$.title') AND e.body = json_extract(r.value, '$.body'))) AS same \
        FROM json_each(?1) r JOIN testimonials t ON t.id = json_extract(r.value, '$.id')";

    /// Of a chunk's Kindred records (`?1`, as [`FIRST_HOMES`]'s, each with
    /// `erased`: its first home's [`super::erasure_tombstone`]), those whose
    /// first home its author had erased on this edge: `n`. Answered in
    /// `failed`, not as `already` (helper-109: a brand that never had the
    /// review was told it was "already here"). By primary key.
    pub const ERASED_HOMES: &str = "SELECT json_extract(r.value, '$.n') AS n FROM json_each(?1) r \
        WHERE EXISTS (SELECT 1 FROM erasure_tombstones x WHERE x.digest = json_extract(r.value, '$.erased'))";

    /// Leaves brand `?1`'s tombstones `?2` (a JSON list of
    /// [`super::tombstone`]s), in the batch that deletes those testimonials.
    pub const BURY: &str = "INSERT OR IGNORE INTO testimonial_tombstones (brand_id, digest) SELECT ?1, value FROM json_each(?2)";

    /// Leaves the edge's erasure tombstones `?1` (a JSON list of
    /// [`super::erasure_tombstone`]s), in the batch that erases those
    /// testimonials.
    pub const BURY_ERASED: &str = "INSERT OR IGNORE INTO erasure_tombstones (digest) SELECT value FROM json_each(?1)";

    /// Queues the photos of a chunk's new testimonials, before they are
    /// inserted (one transaction): `?1` brand, `?2` JSON list of `{"src",
    /// "sid", "oid", "gone", "erased", "tid", "urls"}`, `?3` now; a testimonial imported before, or
    /// deleted since (a tombstone), queues nothing.
    pub const QUEUE_PHOTOS: &str = concat!("INSERT INTO import_photos (brand_id, testimonial_id, url, position, state, attempts, created_at) \
        SELECT ?1, json_extract(r.value, '$.tid'), u.value, u.key, 'pending', 0, ?3 FROM json_each(?2) r, json_each(json_extract(r.value, '$.urls')) u \
        WHERE NOT EXISTS (SELECT 1 FROM testimonials t WHERE t.brand_id = ?1 AND t.import_source = json_extract(r.value, '$.src') AND t.import_source_id = json_extract(r.value, '$.sid')) \
        AND NOT EXISTS (SELECT 1 FROM import_tombstones d WHERE d.brand_id = ?1 AND d.import_source = json_extract(r.value, '$.src') AND d.import_source_id = json_extract(r.value, '$.sid'))", not_own!());

    /// Inserts testimonials from one JSON list (`?2`), skipping those
    /// imported before (the unique `(brand_id, import_source,
    /// import_source_id)`), those the brand deleted since (tombstones) and
    /// the brand's own (`not_own!`), and answers those inserted. `?1` brand, `?3` now (ms: `held_since`,
    /// and `moderated_at` of those decided at the source), `?4` the
    /// chunk's source (`import_via`, migration 0047: how they came, which
    /// an undo goes by), `?5` its file (`import_file`, migration 0059:
    /// [`super::ImportChunk::file`], or `NULL`).
    pub const INSERT: &str = concat!("INSERT OR IGNORE INTO testimonials (id, brand_id, product_id, author_name, author_email, author_email_canonical, \
        rating, title, body, tags, photos, status, created_at, moderated_at, held_since, published_via, reject_reason, reject_note, \
        reply_body, reply_at, import_source, import_source_id, import_via, import_file) \
        SELECT json_extract(r.value, '$.tid'), ?1, json_extract(r.value, '$.product'), json_extract(r.value, '$.name'), \
        NULLIF(json_extract(r.value, '$.email'), ''), NULLIF(json_extract(r.value, '$.canonical'), ''), json_extract(r.value, '$.rating'), \
        json_extract(r.value, '$.title'), json_extract(r.value, '$.body'), json_extract(r.value, '$.tags'), '[]', json_extract(r.value, '$.status'), \
        json_extract(r.value, '$.created_at'), CASE WHEN json_extract(r.value, '$.status') = 'pending' THEN NULL ELSE ?3 END, ?3, \
        CASE WHEN json_extract(r.value, '$.status') = 'approved' THEN 'import' END, \
        CASE WHEN json_extract(r.value, '$.status') = 'rejected' THEN 'other' END, \
        CASE WHEN json_extract(r.value, '$.status') = 'rejected' THEN json_extract(r.value, '$.note') END, \
        json_extract(r.value, '$.reply'), json_extract(r.value, '$.reply_at'), json_extract(r.value, '$.src'), json_extract(r.value, '$.sid'), ?4, ?5 \
        FROM json_each(?2) r WHERE NOT EXISTS (SELECT 1 FROM import_tombstones d WHERE d.brand_id = ?1 AND d.import_source = json_extract(r.value, '$.src') \
        AND d.import_source_id = json_extract(r.value, '$.sid'))", not_own!(), " RETURNING import_source, import_source_id");

    /// The next testimonials an undo of brand `?1`'s import through source
    /// `?2` (`import_via`: the file the brand imported, migration 0047)
    /// deletes, by `id`, [`super::UNDO_PAGE`] and one more (`?3`) to tell
    /// whether any is left. Read through `testimonials_by_import_via`, in
    /// its order.
    pub const UNDO_NEXT: &str = "SELECT id FROM testimonials \
        WHERE brand_id = ?1 AND import_via = ?2 ORDER BY import_source, import_source_id LIMIT ?3";

    /// [`UNDO_NEXT`] for one file's testimonials (`?4`: `import_file`,
    /// [`super::ImportChunk::file`]): read through
    /// `testimonials_by_import_file`, in its order.
    pub const UNDO_NEXT_OF_FILE: &str = "SELECT id FROM testimonials \
        WHERE brand_id = ?1 AND import_via = ?2 AND import_file = ?4 ORDER BY import_source, import_source_id LIMIT ?3";

    /// Before an undo deletes brand `?1`'s testimonials `?2` (a JSON list
    /// of ids), in the same batch: they stop being imported (no source), so
    /// their deletion leaves no tombstone (migration 0025's
    /// `import_photos_follow`) and the file imports again. One the brand
    /// deleted meanwhile is not there to change: its tombstone stays
    /// (helper-80: forgetting tombstones by the ids read before the batch
    /// forgot the one a racing deletion had just left).
    pub const UNMARK: &str = "UPDATE testimonials SET import_source = NULL, import_source_id = NULL, import_via = NULL, import_file = NULL \
        WHERE +brand_id = ?1 AND id IN (SELECT value FROM json_each(?2))";

    /// Imported testimonials of brand `?1` counted by how they came
    /// (`import_via`): `source`, `n`.
    pub const COUNTS: &str = "SELECT import_via AS source, COUNT(*) AS n FROM testimonials WHERE brand_id = ?1 AND import_via IS NOT NULL GROUP BY import_via";

    /// Imported testimonials of brand `?1` counted by source and file
    /// (`import_file`): `source`, `file`, `n`, the file imported last first
    /// (by its newest row), at most `?2` ([`super::FILES_LISTED`] and one
    /// more, to tell there are more). Read through
    /// `testimonials_by_import_file`; the sort is of one row per file.
    pub const FILE_COUNTS: &str = "SELECT import_via AS source, import_file AS file, COUNT(*) AS n FROM testimonials \
        WHERE brand_id = ?1 AND import_via IS NOT NULL AND import_file IS NOT NULL GROUP BY import_via, import_file ORDER BY MAX(rowid) DESC LIMIT ?2";

    /// Takes the brand's photo run for a minute (`?1` brand, `?2` now):
    /// answers a row when this caller holds it, so one chain of queue
    /// messages fetches a brand's photos at a time.
    pub const LEASE: &str = "INSERT INTO import_runs (brand_id, until) VALUES (?1, ?2 + 60000) \
        ON CONFLICT (brand_id) DO UPDATE SET until = excluded.until WHERE import_runs.until < ?2 RETURNING brand_id";

    /// Gives up photos whose fetch never finished, [`super::PHOTO_ATTEMPTS`]
    /// times over: `?1` brand, `?2` now, `?3` attempts.
    pub const GIVE_UP: &str = "UPDATE import_photos SET state = 'failed', error = 'the fetch never finished' \
        WHERE brand_id = ?1 AND state = 'fetching' AND claimed_at < ?2 - 120000 AND attempts >= ?3";

    /// Claims up to `?3` photos to fetch (pending and due, or claimed more
    /// than two minutes ago by a run that died), oldest first: `?1` now,
    /// `?2` the brand, `?4` the most attempts.
    pub const CLAIM_PHOTOS: &str = "UPDATE import_photos SET state = 'fetching', claimed_at = ?1, attempts = attempts + 1 \
        WHERE rowid IN (SELECT rowid FROM import_photos WHERE brand_id = ?2 AND ((state = 'pending' AND COALESCE(retry_at, 0) <= ?1) \
        OR (state = 'fetching' AND claimed_at < ?1 - 120000 AND attempts < ?4)) ORDER BY rowid LIMIT ?3) \
        RETURNING rowid AS n, testimonial_id, url, position, attempts";

    /// Attaches a fetched photo to its testimonial, if this run still holds
    /// the claim (`?5` rowid, `?6` claimed_at), the testimonial is not
    /// rejected and has fewer than [`crate::photo::MAX_PER_TESTIMONIAL`]
    /// photos: `?2` testimonial, `?3` brand, `?4` the photo's `PhotoView`
    /// JSON (`?1`, the photo id, is for [`ATTACH_ROW`]).
    pub const ATTACH: &str = "UPDATE testimonials SET photos = json_insert(photos, '$[#]', json(?4)) WHERE id = ?2 AND brand_id = ?3 \
        AND status != 'rejected' AND json_array_length(photos) < 3 AND EXISTS (SELECT 1 FROM import_photos WHERE rowid = ?5 AND claimed_at = ?6) \
        AND ?1 IS NOT NULL";

    /// The photo's own row follows (only if [`ATTACH`] took it; else the
    /// cron job deletes the unattached photo within a day).
    pub const ATTACH_ROW: &str = "UPDATE photos SET testimonial_id = ?2 WHERE id = ?1 AND brand_id = ?3 AND testimonial_id IS NULL \
        AND EXISTS (SELECT 1 FROM testimonials t, json_each(t.photos) p WHERE t.id = ?2 AND json_extract(p.value, '$.id') = ?1)";
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const NOW: i64 = 1_780_000_000_000;
    const TP: crate::webhook::TargetPolicy = crate::webhook::TargetPolicy { loopback_http: false };

    fn chunk(source: &str, records: Vec<Value>) -> ImportChunk {
        ImportChunk {
            source: source.into(),
            first_row: 1,
            records: records.into_iter().map(|r| r.as_object().cloned().unwrap_or_default()).collect(),
            ..Default::default()
        }
    }

    fn read_one(source: &str, record: Value) -> Result<Imported, RowError> {
        let c = chunk(source, vec![record]);
        c.reader(TP).map_err(|e| RowError { row: 0, source_id: None, field: "chunk".into(), message: e.message })?.read(0, &c.records[0], NOW).map(|(r, _)| r)
    }

    /// `Field::needed` says what `read` refuses a record without (the
    /// console holds an import back by it): each field's columns taken out
    /// of a whole record in turn.
    #[test]
    fn a_record_needs_what_field_needed_says() {
        let whole = json!({ "id": "r1", "product_handle": "p", "rating": "5", "title": "Good", "body": "Fits well.", "reviewer_name": "Ana",
            "reviewer_email": "ana@example.com", "review_date": "2024-03-01", "picture_urls": "", "curated": "ok", "reply": "Thanks", "reply_date": "2024-03-02" });
        for f in Field::ALL {
            let mut r = whole.clone();
            let cols: Vec<String> = Source::JudgeMe.columns(f).iter().map(|c| column_key(c)).collect();
            r.as_object_mut().unwrap().retain(|k, _| !cols.contains(&column_key(k)));
            let needed = f.needed() && f.stand_in().is_none();
            assert_eq!(read_one("judge.me", r.clone()).is_err(), needed, "{f:?}");
            if let Some(s) = f.stand_in() {
                let cols: Vec<String> = Source::JudgeMe.columns(s).iter().map(|c| column_key(c)).collect();
                r.as_object_mut().unwrap().retain(|k, _| !cols.contains(&column_key(k)));
                assert!(read_one("judge.me", r).is_err(), "{f:?} without {s:?}");
            }
            assert!(!f.label().is_empty());
        }
    }

    /// A Kindred CSV export read back through CSV, as the console and an
    /// API client send it: the formula guard comes off with `format: csv`
    /// only (helper-108: through the API the `'` stayed).
    #[test]
    fn a_kindred_csv_export_comes_back_as_written() {
        let written = json!({ "_row": 1, "id": "t-a", "author_name": "'Ali' = Ali", "rating": 5, "title": "-10 °C and dry", "body": "=1+1 is two, +1 from me 🙂 و عالی", "status": "approved", "created_at": 1_700_000_000_000_i64 });
        let out = crate::export::write(crate::export::Dataset::Testimonials, crate::export::Format::Csv, &[written.as_object().cloned().unwrap_or_default()], true).unwrap();
        let mut csv = ::csv::Reader::from_reader(out.trim_start_matches('\u{FEFF}').as_bytes());
        let headers = csv.headers().unwrap().clone();
        let cells = csv.records().next().unwrap().unwrap();
        let record: Map<String, Value> = headers.iter().zip(cells.iter()).map(|(h, c)| (h.to_owned(), Value::String(c.to_owned()))).collect();
        assert_eq!(record["body"], "'=1+1 is two, +1 from me 🙂 و عالی", "guarded in the file");
        let read = |format| {
            let c = ImportChunk { format, ..chunk("kindred", vec![Value::Object(record.clone())]) };
            c.reader(TP).unwrap().read(0, &c.records[0], NOW).unwrap().0
        };
        let r = read(Some(ChunkFormat::Csv));
        assert_eq!((r.display_name.as_str(), r.title.as_str(), r.body.as_str()), ("'Ali' = Ali", "-10 °C and dry", "=1+1 is two, +1 from me 🙂 و عالی"));
        assert_eq!(read(None).body, "'=1+1 is two, +1 from me 🙂 و عالی", "JSON's text is as it is");
        // Another platform's CSV is read as it is.
        let other = ImportChunk { format: Some(ChunkFormat::Csv), ..chunk("judge.me", vec![json!({ "body": "'Tis great", "rating": "5", "reviewer_name": "Ana" })]) };
        assert_eq!(other.reader(TP).unwrap().read(0, &other.records[0], NOW).unwrap().0.body, "'Tis great");
    }

    #[test]
    fn judge_me_rows_read_with_their_own_column_names() {
        let r = read_one(
            "judge.me",
            json!({ "title": "Love it", "body": "Fits well, ran a marathon in them.", "rating": "5", "review_date": "2024-03-01 10:00:00 UTC",
                    "source": "web", "curated": "ok", "reviewer_name": "Ana", "reviewer_email": "ana@example.com", "product_id": "8812",
                    "product_handle": "trail-shoe", "reply": "Thank you!", "reply_date": "2024-03-02 09:00:00 UTC",
                    "picture_urls": "https://cdn.judge.me/a.jpg,https://cdn.judge.me/b.jpg", "verified_buyer": "true" }),
        )
        .unwrap();
        assert_eq!(r.product.as_deref(), Some("trail-shoe"));
        assert_eq!(r.rating, 5);
        assert_eq!(r.status, Status::Approved);
        assert_eq!(r.created_at, 1_709_287_200_000);
        assert_eq!(r.photo_urls.len(), 2);
        assert_eq!(r.reply.as_ref().map(|(t, _)| t.as_str()), Some("Thank you!"));
        // No id column: an id from what the review says, the same every time.
        assert_eq!(r.source_id.len(), 32);
        // ...and the same when a spreadsheet rewrote the date's format.
        assert_eq!(r.source_id, read_one("judge.me", json!({ "title": "Love it", "body": "Fits well, ran a marathon in them.", "rating": 5, "review_date": "3/1/2024 10:00", "reviewer_name": "Ana", "reviewer_email": "ana@example.com", "product_handle": "trail-shoe" })).unwrap().source_id);
        // Two short reviews that differ only by their author are two reviews.
        let a = read_one("judge.me", json!({ "body": "Love it!", "rating": 5, "reviewer_name": "Ana", "product_handle": "p" })).unwrap().source_id;
        let b = read_one("judge.me", json!({ "body": "Love it!", "rating": 5, "reviewer_name": "Bea", "product_handle": "p" })).unwrap().source_id;
        assert_ne!(a, b);
    }

    #[test]
    fn every_platform_reads_its_headers_in_any_case_or_spacing() {
        let yotpo = read_one("yotpo", json!({ "Review ID": "991", "Review Score": "4", "Review Title": "Nice", "Review Content": "Comfortable all day long.", "Display Name": "Reza", "Email": "reza@example.com", "Date": "2024-01-05", "Product ID": "sku-1", "Review Status": "Published" })).unwrap();
        assert_eq!((yotpo.source_id.as_str(), yotpo.rating, yotpo.status), ("991", 4, Status::Approved));
        let okendo = read_one("okendo", json!({ "reviewId": "ok-1", "rating": 3, "body": "Decent.", "reviewerName": "Mina", "dateCreated": "2024-02-01T08:00:00.000Z", "status": "pending", "imageUrls": ["https://okendo.example/x.png"] })).unwrap();
        assert_eq!((okendo.status, okendo.photo_urls.len()), (Status::Pending, 1));
        let stamped = read_one("stamped", json!({ "id": "s-9", "rating": "2.0", "title": "", "body": "Too small for me.", "author": "Lee", "date": "03/15/2024", "published": "false" })).unwrap();
        assert_eq!((stamped.rating, stamped.status), (2, Status::Pending));
        assert_eq!(stamped.created_at, 1_710_460_800_000);
        let kindred = read_one("kindred", json!({ "id": "t1", "product_id": "p1", "author_name": "Ana", "author_email": "ana@example.com", "rating": 5, "body": "Brought over from our old edge.", "tags": ["vegan", "Runner"], "status": "rejected", "created_at": 1_700_000_000_000_i64 })).unwrap();
        assert_eq!((kindred.tags.clone(), kindred.status, kindred.created_at), (vec!["vegan".to_owned(), "runner".to_owned()], Status::Rejected, 1_700_000_000_000));
    }

    #[test]
    fn bad_rows_name_their_row_and_field() {
        let c = chunk("yotpo", vec![
            json!({ "review_score": "6", "review_content": "x y z", "display_name": "A" }),
            json!({ "review_score": "4.5", "review_content": "x y z", "display_name": "A" }),
            json!({ "review_score": "4", "review_content": "", "display_name": "A" }),
            json!({ "review_score": "4", "review_content": "Fine", "display_name": "" }),
            json!({ "review_score": "4", "review_content": "Fine", "display_name": "A", "email": "not-an-email" }),
            json!({ "review_score": "4", "review_content": "Fine", "display_name": "A", "date": "yesterday" }),
            json!({ "review_score": "4", "review_content": "Fine", "display_name": "A", "date": "2099-01-01" }),
            json!({ "review_score": "4", "review_content": "Fine", "display_name": "A", "product_id": "a b" }),
            json!({ "review_score": "4", "review_content": "Fine", "display_name": "A", "published_image_urls": "http://10.0.0.1/x.jpg" }),
            json!({ "review_score": "4", "review_content": "Fine", "display_name": "A", "published_image_urls": "https://a.example/1.jpg https://a.example/2.jpg https://a.example/3.jpg https://a.example/4.jpg" }),
        ]);
        let mut c = c;
        c.first_row = 101;
        let r = c.reader(TP).unwrap();
        // Fatal: the row is not imported. A side part that breaks a rule
        // (an email, a photo URL, photos past the third) is left out, said,
        // and the review comes in.
        let outcome: Vec<(u32, String, bool)> = c
            .records
            .iter()
            .enumerate()
            .map(|(i, rec)| match r.read(i, rec, NOW) {
                // (Each also says it has no date: dated the day of the import.)
                Ok((_, w)) => w.iter().find(|w| w.field != "date").map_or((0, String::new(), true), |w| (w.row, w.field.clone(), true)),
                Err(e) => (e.row, e.field, false),
            })
            .collect();
        let want = [("rating", false), ("rating", false), ("body", false), ("name", false), ("email", true), ("date", false), ("date", false), ("product", false), ("photos", true), ("photos", true)];
        for (i, (row, field, imported)) in outcome.iter().enumerate() {
            assert_eq!(*row, 101 + i as u32, "row {i}");
            assert_eq!((field.as_str(), *imported), want[i], "row {i}");
        }
    }

    #[test]
    fn photo_urls_keep_their_commas_and_empty_cells_fall_through() {
        let r = read_one("judge.me", json!({ "rating": 5, "body": "Nice.", "reviewer_name": "Ana", "product_handle": "", "product_id": "8812",
            "picture_urls": "https://res.cloudinary.com/x/image/upload/w_300,h_200/a.jpg,https://cdn.example/b c.jpg" })).unwrap();
        assert_eq!(r.product.as_deref(), Some("8812"), "an empty preferred column falls through to the next");
        assert_eq!(r.photo_urls[0], "https://res.cloudinary.com/x/image/upload/w_300,h_200/a.jpg");
        // Headers in any script, HTML line breaks and entities as text, "4,0" stars.
        let c = chunk("yotpo", vec![json!({ "امتیاز": "4,0", "متن": "خوب بود<br>واقعاً &amp; سبک", "نام": "سارا" })]);
        let mut c = c;
        for (f, col) in [("rating", "امتیاز"), ("body", "متن"), ("name", "نام")] {
            c.columns.insert(f.into(), json!(col));
        }
        let (r, _) = c.reader(TP).unwrap().read(0, &c.records[0], NOW).unwrap();
        assert_eq!((r.rating, r.body.as_str(), r.display_name.as_str()), (4, "خوب بود\nواقعاً & سبک", "سارا"));
    }

    #[test]
    fn a_kindred_export_keeps_where_imported_reviews_first_came_from() {
        let (r, _) = {
            let c = chunk("kindred", vec![json!({ "id": "t1", "author_name": "Ana", "rating": 5, "body": "Moved twice.", "import_source": "judge.me", "import_source_id": "jm-7" })]);
            c.reader(TP).unwrap().read(0, &c.records[0], NOW).unwrap()
        };
        assert_eq!((r.source, r.source_id.as_str()), (Source::JudgeMe, "jm-7"));
        // One written in another Kindred brand names that first home,
        // however many exports it went through; its id here is kept beside.
        let c = chunk("kindred", vec![json!({ "id": "t-b", "author_name": "Ana", "rating": 5, "body": "Moved twice.", "import_source": "kindred", "import_source_id": "t-a" })]);
        let (r, _) = c.reader(TP).unwrap().read(0, &c.records[0], NOW).unwrap();
        assert_eq!((r.source, r.source_id.as_str(), r.kindred_via_id.as_deref()), (Source::Kindred, "t-a", Some("t-b")));
        // A brand's own review has its own id.
        let c = chunk("kindred", vec![json!({ "id": "t-a", "author_name": "Ana", "rating": 5, "body": "Written here." })]);
        let (r, _) = c.reader(TP).unwrap().read(0, &c.records[0], NOW).unwrap();
        assert_eq!((r.source, r.source_id.as_str(), r.kindred_via_id), (Source::Kindred, "t-a", None));
    }

    #[test]
    fn a_first_home_here_is_taken_only_by_the_review_it_names() {
        let read = |record: Value| {
            let c = chunk("kindred", vec![record]);
            c.reader(TP).unwrap().read(0, &c.records[0], NOW).unwrap().0
        };
        let copy = json!({ "id": "t-b", "author_name": "Ana", "rating": 5, "body": "Moved twice.", "import_source": "kindred", "import_source_id": "t-a" });
        // The same review: as it was read.
        let mut r = read(copy.clone());
        assert_eq!(first_home(&mut r, true, false, 2), Ok(None));
        assert_eq!((r.source_id.as_str(), r.kindred_via_id.as_deref()), ("t-a", Some("t-b")));
        // The review anonymised here since: the copy without its author.
        let mut r = read(json!({ "id": "t-b", "author_name": "Ana", "author_email": "ana@example.com", "rating": 5, "body": "Moved twice.", "photo_urls": ["https://cdn.example/a.jpg"], "import_source": "kindred", "import_source_id": "t-a" }));
        assert_eq!((r.email.as_str(), r.photo_urls.len()), ("ana@example.com", 1));
        assert_eq!(first_home(&mut r, true, true, 2), Ok(None));
        assert_eq!((r.display_name.as_str(), r.email.as_str(), r.photo_urls.len()), ("", "", 0));
        // Other words through a partner: that partner's own review, said.
        let mut r = read(copy);
        let w = first_home(&mut r, false, false, 7).unwrap().unwrap();
        assert_eq!((r.source_id.as_str(), r.kindred_via_id.as_deref()), ("t-b", None));
        assert_eq!((w.row, w.field.as_str(), w.source_id.as_deref()), (7, "import_source_id", Some("t-b")));
        assert!(w.message.contains("t-a"), "{}", w.message);
        // Posing as the review itself: refused.
        let mut r = read(json!({ "id": "t-a", "author_name": "Ana", "rating": 4, "body": "Not what Ana wrote." }));
        let e = first_home(&mut r, false, false, 3).unwrap_err();
        assert_eq!((e.field.as_str(), e.source_id.as_deref()), ("id", Some("t-a")));
    }

    #[test]
    fn text_is_normalised_as_submissions_are() {
        // NFD from a Mac's export, Persian and emoji: stored NFC, kept whole.
        let r = read_one("okendo", json!({ "rating": 5, "body": "Cafe\u{301} au lait ☕ عالی بود", "reviewerName": "  Sara  " })).unwrap();
        assert_eq!(r.body, "Café au lait ☕ عالی بود");
        assert_eq!(r.display_name, "Sara");
        // A title-only review keeps its words as its text.
        let t = read_one("okendo", json!({ "rating": 4, "title": "Great!", "reviewerName": "Sara" })).unwrap();
        assert_eq!((t.title.as_str(), t.body.as_str()), ("", "Great!"));
    }

    #[test]
    fn only_other_platforms_exports_are_read_as_html() {
        let record = json!({ "title": "I wrote &lt;3 here", "body": "Literal <br> tag, &amp; and &lt;b&gt; as typed.", "rating": 5, "author_name": "Ana &amp; Bo", "reviewer_name": "Ana &amp; Bo", "product_handle": "sku",
            "reply": "Thanks &amp; see you<br>soon", "reply_body": "Thanks &amp; see you<br>soon" });
        let read = |source: &str| {
            let c = chunk(source, vec![record.clone()]);
            let r = c.reader(TP).unwrap();
            let got = r.read(0, &c.records[0], NOW).map(|(r, _)| r).unwrap();
            (got.title, got.body, got.display_name, got.reply.map(|(t, _)| t).unwrap_or_default())
        };
        let as_typed = ("I wrote &lt;3 here".to_owned(), "Literal <br> tag, &amp; and &lt;b&gt; as typed.".to_owned(), "Ana &amp; Bo".to_owned(), "Thanks &amp; see you<br>soon".to_owned());
        assert_eq!(read("kindred"), as_typed, "Kindred's export is text");
        let decoded = ("I wrote <3 here".to_owned(), "Literal\ntag, & and <b> as typed.".to_owned(), "Ana & Bo".to_owned(), "Thanks & see you\nsoon".to_owned());
        assert_eq!(read("judge.me"), decoded, "Judge.me's carries HTML, in replies and names too");
    }

    #[test]
    fn chunk_settings_are_checked() {
        assert_eq!(chunk("trustpilot", vec![json!({})]).reader(TP).unwrap_err().field.as_deref(), Some("source"));
        assert_eq!(chunk("yotpo", vec![]).reader(TP).unwrap_err().field.as_deref(), Some("records"));
        assert_eq!(chunk("yotpo", vec![json!({}); CHUNK_MAX + 1]).reader(TP).unwrap_err().field.as_deref(), Some("records"));
        let mut c = chunk("kindred", vec![json!({ "rating": 5, "body": "Moved over.", "author_name": "Ana", "photos": "/v1/photos/abc" })]);
        c.columns.insert("product".into(), json!("sku"));
        c.photo_base = Some("https://old.example".into());
        let r = c.reader(TP).unwrap();
        assert_eq!(r.read(0, &c.records[0], NOW).map(|(r, _)| r).unwrap().photo_urls, vec!["https://old.example/v1/photos/abc".to_owned()]);
        c.columns.insert("stars".into(), json!("x"));
        assert_eq!(c.reader(TP).unwrap_err().field.as_deref(), Some("columns"));
    }

    #[test]
    fn dates_in_the_formats_exports_write() {
        for (s, ms) in [
            ("2024-03-01T10:00:00Z", 1_709_287_200_000),
            ("2024-03-01T12:00:00+02:00", 1_709_287_200_000),
            ("2024-03-01 10:00:00 UTC", 1_709_287_200_000),
            ("2024-03-01 10:00:00", 1_709_287_200_000),
            ("2024-03-01", 1_709_251_200_000),
            ("03/01/2024", 1_709_251_200_000),
            ("1709287200", 1_709_287_200_000),
            ("1709287200000", 1_709_287_200_000),
            ("20240301", 1_709_251_200_000),
            ("01.03.2024", 1_709_251_200_000),
            ("2024-03-01 12:00:00 +0200", 1_709_287_200_000),
        ] {
            assert_eq!(parse_date(s, DateOrder::MonthFirst), Some(ms), "{s}");
        }
        assert_eq!(parse_date("01/03/2024", DateOrder::DayFirst), Some(1_709_251_200_000));
        assert_eq!(parse_date("31/01/2024", DateOrder::DayFirst), Some(1_706_659_200_000));
        assert_eq!(parse_date("31/01/2024", DateOrder::MonthFirst), None, "no 31st month");
        assert_eq!(parse_date("soon", DateOrder::MonthFirst), None);
        // Small numbers are not dates (an Excel serial, a row number).
        assert_eq!(parse_date("45352", DateOrder::MonthFirst), None);
        // A two-digit year read as four digits is a misread, not the year 24.
        assert_eq!(parse_date("3/1/24", DateOrder::MonthFirst), None);
        assert_eq!(parse_date("1994-12-31", DateOrder::MonthFirst), None);
    }

    #[test]
    fn one_file_reads_its_slash_dates_one_way() {
        assert_eq!(DateOrder::of(["13/03/2024", "01/03/2024"]).unwrap(), Some(DateOrder::DayFirst));
        assert_eq!(DateOrder::of(["03/13/2024 10:00", "01/03/2024"]).unwrap(), Some(DateOrder::MonthFirst));
        assert_eq!(DateOrder::of(["01/03/2024", "2024-03-13"]).unwrap(), None);
        assert_eq!(DateOrder::of(["13/03/2024", "03/13/2024"]).unwrap_err().field.as_deref(), Some("date_order"));
        // Only whole slash dates with a four-digit year say anything.
        assert_eq!(DateOrder::of(["2024/03/13", "13/3/24", "13/03/2024 was great", "01/03/2024"]).unwrap(), None);
        assert_eq!(DateOrder::of(["13/03/2024 10:00:00 AM"]).unwrap(), Some(DateOrder::DayFirst));
        // In a chunk, the day-first date decides for the ambiguous one too.
        let record = |d: &str| json!({"body": "Fits well.", "rating": "5", "review_date": d, "reviewer_name": "Ana"}).as_object().cloned().unwrap_or_default();
        let chunk = ImportChunk { source: "judge.me".into(), records: vec![record("13/03/2024"), record("01/03/2024")], ..Default::default() };
        let reader = chunk.reader(TP).unwrap();
        let now = NOW;
        assert_eq!(reader.read(1, &chunk.records[1], now).unwrap().0.created_at, 1_709_251_200_000, "1 March, as the file writes it");
        let mixed = ImportChunk { records: vec![record("13/03/2024"), record("03/13/2024")], ..chunk.clone() };
        assert_eq!(mixed.reader(TP).unwrap_err().field.as_deref(), Some("date_order"));
        let told = ImportChunk { date_order: Some(DateOrder::MonthFirst), records: vec![record("01/03/2024")], ..chunk };
        assert_eq!(told.reader(TP).unwrap().read(0, &told.records[0], now).unwrap().0.created_at, 1_704_240_000_000);
    }
}
