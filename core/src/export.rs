//! The brand takes its data and leaves: its testimonials (with their
//! earlier versions and every consent decision), referrers, friends'
//! claims, conversions, rewards, coupons, groups, memberships, threads,
//! replies, reactions, reports, and the purchases and review links of
//! review requests, as JSON Lines or CSV
//! (`GET /v1/admin/brands/{brand}/export/{dataset}`), a page at a time.
//!
//! What is the brand's goes out, including its customers' emails and its
//! own customer ids (`identity_sub`); what are shoppers' credentials or
//! Kindred's internals does not: member tokens (a bearer secret: whoever
//! holds one acts as that shopper), clients' keyed hashes, canonical
//! emails, internal sequence numbers. Settings are
//! `GET /v1/admin/brands/{brand}` already.
//!
//! Paging is by keyset on each table's rowid through an index on
//! `brand_id` (migrations `0022_export.sql`, `0023_export_more.sql`,
//! `0027_export_memberships.sql`): a
//! page reads its own rows and nothing else, whatever the brand's size;
//! rows added while a brand pages through come last. A page also stops
//! at [`PAGE_BYTES`] of output, so a brand's long texts never run the
//! worker out of memory.
//!
//! CSV follows RFC 4180 (the `csv` crate writes it), every field quoted
//! (a spreadsheet that splits on `;`, as European Excel does, still keeps
//! each field whole), with a UTF-8 byte order mark on the first page (Excel
//! on Windows reads Arabic and emoji right only with it). A cell that a
//! spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`,
//! tab, carriage return or NUL) gets a leading `'`, as OWASP's "CSV
//! Injection" advice says, since shoppers wrote much of this text; so does
//! a cell that starts with `'` itself, so one leading `'` is always
//! Kindred's to strip.

use crate::error::{ApiError, ErrorCode};

/// Rows per page: default and most.
pub const PAGE_DEFAULT: u32 = 1000;
pub const PAGE_MAX: u32 = 5000;
/// Output bytes after which a page ends early (its cursor is its last row).
pub const PAGE_BYTES: usize = 4 * 1024 * 1024;

/// What can be exported, as the path names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dataset {
    Testimonials,
    /// Earlier versions of edited testimonials.
    Edits,
    /// Every grant and withdrawal of consent to reuse.
    Consents,
    Referrers,
    /// Friends' claims of a referral offer.
    Claims,
    Conversions,
    Rewards,
    Coupons,
    Groups,
    /// Who is in which group (never their member token: a customer id
    /// when they joined signed in).
    Memberships,
    Threads,
    Replies,
    /// Members' reactions to threads and replies.
    Reactions,
    /// Members' reports of threads and replies, and whether settled.
    Reports,
    /// The purchases the brand reported for review links.
    ReviewOrders,
    /// The review links made from them, per product, and their use.
    ReviewRequests,
}

/// How a column is read from D1 and written out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Int,
    /// 0 or 1, written as `true`/`false`.
    Bool,
    /// JSON text in D1 (tags, photos): written as JSON in JSON Lines, as
    /// its text in CSV.
    Json,
}

/// One exported column: its name in the export, the SQL that reads it
/// (from the table aliased `x`), its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub sql: &'static str,
    pub kind: Kind,
}

const fn c(name: &'static str, kind: Kind) -> Column {
    Column { name, sql: name, kind }
}

const fn expr(name: &'static str, sql: &'static str, kind: Kind) -> Column {
    Column { name, sql, kind }
}

use Kind::{Bool, Int, Json, Text};

/// A post's author as the brand knows them: its customer id when the
/// author was signed in (`id:<sub>`), never the member token (`m:<token>`).
const AUTHOR_SUB: &str = "CASE WHEN x.author_key LIKE 'id:%' THEN substr(x.author_key, 4) END";

const TESTIMONIALS: &[Column] = &[
    c("id", Text),
    c("product_id", Text),
    c("author_name", Text),
    c("author_email", Text),
    c("identity_sub", Text),
    c("rating", Int),
    c("title", Text),
    c("body", Text),
    c("tags", Json),
    c("photos", Json),
    c("status", Text),
    c("published_via", Text),
    c("reject_reason", Text),
    c("reject_note", Text),
    c("verified_buyer", Bool),
    c("verified_purchase", Bool),
    c("incentivised", Bool),
    c("ambassador", Bool),
    c("featured", Bool),
    c("helpful_count", Int),
    c("reuse_consent_at", Int),
    c("reply_body", Text),
    c("reply_at", Int),
    c("created_at", Int),
    c("moderated_at", Int),
    c("edited_at", Int),
    // Where an imported one came from (`crate::import`): a Kindred import
    // of this export keeps it, so the original file changes nothing there.
    c("import_source", Text),
    c("import_source_id", Text),
    // The language it is written in (`crate::context::written_in`).
    c("lang", Text),
];

const EDITS: &[Column] = &[c("id", Int), c("testimonial_id", Text), c("rating", Int), c("title", Text), c("body", Text), c("tags", Json), c("at", Int)];

const CONSENTS: &[Column] = &[c("id", Int), c("testimonial_id", Text), c("granted", Bool), c("via", Text), c("at", Int)];

const CLAIMS: &[Column] = &[c("id", Text), c("referrer_id", Text), c("coupon_code", Text), c("created_at", Int)];

const REFERRERS: &[Column] = &[
    c("id", Text),
    c("code", Text),
    c("name", Text),
    c("email", Text),
    c("identity_sub", Text),
    c("clicks", Int),
    c("friends", Int),
    c("purchases", Int),
    c("last_click_at", Int),
    c("created_at", Int),
    c("note", Text),
    c("note_status", Text),
    c("note_at", Int),
];

const CONVERSIONS: &[Column] = &[
    c("id", Text),
    c("order_id", Text),
    c("referrer_id", Text),
    c("amount_minor", Int),
    c("currency", Text),
    c("status", Text),
    c("reason", Text),
    c("hold_until", Int),
    c("created_at", Int),
    c("decided_at", Int),
];

const REWARDS: &[Column] = &[c("id", Text), c("referrer_id", Text), c("conversion_id", Text), c("coupon_code", Text), c("state", Text), c("created_at", Int)];

const COUPONS: &[Column] = &[c("code", Text), c("kind", Text), c("assigned_to", Text), c("assigned_at", Int), c("created_at", Int)];

const GROUPS: &[Column] = &[
    c("id", Text),
    c("name", Text),
    c("description", Text),
    c("visibility", Text),
    c("moderation", Text),
    c("product_id", Text),
    c("member_count", Int),
    c("created_at", Int),
    c("tag", Text),
];

const MEMBERSHIPS: &[Column] = &[
    c("group_id", Text),
    c("display_name", Text),
    expr("member_identity_sub", MEMBER_SUB, Text),
    c("role", Text),
    c("verified", Bool),
    c("joined_at", Int),
    c("last_seen_at", Int),
];

const MEMBER_SUB: &str = "CASE WHEN x.member_key LIKE 'id:%' THEN substr(x.member_key, 4) END";

const REACTIONS: &[Column] = &[c("target_id", Text), expr("member_identity_sub", MEMBER_SUB, Text), c("kind", Text), c("created_at", Int)];

const REPORTS: &[Column] = &[
    c("id", Text),
    c("group_id", Text),
    c("target_type", Text),
    c("target_id", Text),
    expr("reporter_identity_sub", "CASE WHEN x.reporter LIKE 'id:%' THEN substr(x.reporter, 4) END", Text),
    c("reason", Text),
    c("resolved", Bool),
    c("created_at", Int),
];

const REVIEW_ORDERS: &[Column] = &[c("order_id", Text), c("email", Text), c("customer", Text), c("ordered_at", Int), c("send_at", Int), c("created_at", Int)];

const REVIEW_REQUESTS: &[Column] = &[
    expr("order_id", "(SELECT o.order_id FROM review_orders o WHERE o.id = x.order_row)", Text),
    c("product_id", Text),
    c("expires_at", Int),
    c("used_at", Int),
    c("testimonial_id", Text),
];

const THREADS: &[Column] = &[
    c("id", Text),
    c("group_id", Text),
    c("author_name", Text),
    expr("author_identity_sub", AUTHOR_SUB, Text),
    c("title", Text),
    c("body", Text),
    c("status", Text),
    c("pinned", Bool),
    c("reply_count", Int),
    c("reply_body", Text),
    c("reply_at", Int),
    c("last_activity_at", Int),
    c("created_at", Int),
];

const REPLIES: &[Column] = &[
    c("id", Text),
    c("thread_id", Text),
    c("group_id", Text),
    c("author_name", Text),
    expr("author_identity_sub", AUTHOR_SUB, Text),
    c("body", Text),
    c("status", Text),
    c("created_at", Int),
];

impl Dataset {
    pub const ALL: [Dataset; 16] = [
        Self::Testimonials,
        Self::Edits,
        Self::Consents,
        Self::Referrers,
        Self::Claims,
        Self::Conversions,
        Self::Rewards,
        Self::Coupons,
        Self::Groups,
        Self::Memberships,
        Self::Threads,
        Self::Replies,
        Self::Reactions,
        Self::Reports,
        Self::ReviewOrders,
        Self::ReviewRequests,
    ];

    /// From the path's segment.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.as_str() == s)
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Testimonials => "testimonials",
            Self::Edits => "edits",
            Self::Consents => "consents",
            Self::Referrers => "referrers",
            Self::Claims => "claims",
            Self::Conversions => "conversions",
            Self::Rewards => "rewards",
            Self::Coupons => "coupons",
            Self::Groups => "groups",
            Self::Memberships => "memberships",
            Self::Threads => "threads",
            Self::Replies => "replies",
            Self::Reactions => "reactions",
            Self::Reports => "reports",
            Self::ReviewOrders => "review_orders",
            Self::ReviewRequests => "review_requests",
        }
    }

    /// Its D1 table.
    pub const fn table(self) -> &'static str {
        match self {
            Self::Edits => "testimonial_edits",
            Self::Consents => "reuse_consent_log",
            Self::Claims => "referral_claims",
            Self::Memberships => "group_members",
            other => other.as_str(),
        }
    }

    /// Its columns, in the order they are written.
    pub const fn columns(self) -> &'static [Column] {
        match self {
            Self::Testimonials => TESTIMONIALS,
            Self::Edits => EDITS,
            Self::Consents => CONSENTS,
            Self::Referrers => REFERRERS,
            Self::Claims => CLAIMS,
            Self::Conversions => CONVERSIONS,
            Self::Rewards => REWARDS,
            Self::Coupons => COUPONS,
            Self::Groups => GROUPS,
            Self::Memberships => MEMBERSHIPS,
            Self::Threads => THREADS,
            Self::Replies => REPLIES,
            Self::Reactions => REACTIONS,
            Self::Reports => REPORTS,
            Self::ReviewOrders => REVIEW_ORDERS,
            Self::ReviewRequests => REVIEW_REQUESTS,
        }
    }

    /// One page: `?1` brand, `?2` the last rowid seen (0 at first), `?3`
    /// rows; `_row` first (the next cursor), then [`Dataset::columns`].
    pub fn page_sql(self) -> String {
        let cols: Vec<String> = self.columns().iter().map(|c| if c.sql == c.name { format!("x.{}", c.name) } else { format!("{} AS {}", c.sql, c.name) }).collect();
        format!(
            "SELECT x.rowid AS _row, {} FROM {table} AS x INDEXED BY {table}_export WHERE x.brand_id = ?1 AND x.rowid > ?2 ORDER BY x.rowid LIMIT ?3",
            cols.join(", "),
            table = self.table(),
        )
    }
}

/// The two file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JSON Lines (<https://jsonlines.org>): one object per row.
    JsonLines,
    /// RFC 4180 CSV with a header row.
    Csv,
}

impl Format {
    pub fn parse(s: &str) -> Result<Self, ApiError> {
        match s {
            "" | "jsonl" => Ok(Self::JsonLines),
            "csv" => Ok(Self::Csv),
            _ => Err(ApiError::field(ErrorCode::BadRequest, "format", "format is jsonl or csv")),
        }
    }

    pub const fn content_type(self) -> &'static str {
        match self {
            Self::JsonLines => "application/jsonl; charset=utf-8",
            Self::Csv => "text/csv; charset=utf-8; header=present",
        }
    }

    pub const fn extension(self) -> &'static str {
        match self {
            Self::JsonLines => "jsonl",
            Self::Csv => "csv",
        }
    }
}

/// A page request: where to start and how many rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub format: Format,
    /// The last rowid of the previous page (0: the start).
    pub after: i64,
    pub limit: u32,
}

impl Page {
    /// From the query string (`format`, `cursor`, `limit`).
    ///
    /// # Errors
    /// `bad_request` naming the parameter.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Self, ApiError> {
        let mut p = Page { format: Format::JsonLines, after: 0, limit: PAGE_DEFAULT };
        for (k, v) in pairs {
            match k {
                "format" => p.format = Format::parse(v)?,
                "cursor" if !v.is_empty() => {
                    p.after = v.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| ApiError::field(ErrorCode::BadRequest, "cursor", "cursor is the Kindred-Next-Cursor of the previous page"))?;
                }
                "limit" if !v.is_empty() => {
                    p.limit = v.parse::<u32>().ok().filter(|n| (1..=PAGE_MAX).contains(n)).ok_or_else(|| ApiError::field(ErrorCode::BadRequest, "limit", format!("limit is 1 to {PAGE_MAX}")))?;
                }
                _ => {}
            }
        }
        Ok(p)
    }
}

/// How many of `rows` fit in a page of [`PAGE_BYTES`] (at least one): an
/// estimate from each row's JSON size, which bounds what either format
/// writes for it closely.
pub fn rows_within_budget(rows: &[serde_json::Map<String, serde_json::Value>]) -> usize {
    let mut used = 0;
    for (i, row) in rows.iter().enumerate() {
        used += serde_json::to_string(row).map_or(0, |s| s.len());
        if used > PAGE_BYTES && i > 0 {
            return i;
        }
    }
    rows.len()
}

/// A value as read from D1 for one column.
fn cell(kind: Kind, v: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match (kind, v) {
        (_, Value::Null) => Value::Null,
        (Kind::Bool, v) => Value::Bool(v.as_i64().is_some_and(|n| n != 0) || v.as_bool() == Some(true)),
        (Kind::Json, Value::String(s)) => serde_json::from_str(s).unwrap_or_else(|_| Value::String(s.clone())),
        (_, v) => v.clone(),
    }
}

/// A CSV cell's text: strings as they are, guarded against formulas;
/// numbers and booleans as JSON writes them; JSON as its text; null empty.
fn csv_text(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Null => String::new(),
        Value::String(s) => {
            if s.starts_with(['=', '+', '-', '@', '\t', '\r', '\0', '\'']) {
                format!("'{s}")
            } else {
                s.clone()
            }
        }
        other => other.to_string(),
    }
}

/// A Kindred CSV export's cell as it was before [`csv_text`] guarded it:
/// one leading `'` taken off (the export adds one to every text cell that
/// starts with a formula's sign or with `'` itself, so one is always
/// Kindred's); any other cell as it is. Imports read a Kindred CSV's
/// cells through it (`import::ImportChunk::format`).
///
/// ```
/// use kindred_core::export::csv_cell;
/// assert_eq!(csv_cell("'=SUM(A1)"), "=SUM(A1)");
/// assert_eq!(csv_cell("''quoted'"), "'quoted'");
/// assert_eq!(csv_cell("plain"), "plain");
/// ```
pub fn csv_cell(cell: &str) -> &str {
    cell.strip_prefix('\'').unwrap_or(cell)
}

/// Writes `rows` (D1's objects, `_row` and the dataset's columns) in
/// `format`; CSV with its byte order mark and header row when `header`.
///
/// # Errors
/// Only if the CSV writer fails on memory, which it does not.
pub fn write(dataset: Dataset, format: Format, rows: &[serde_json::Map<String, serde_json::Value>], header: bool) -> Result<String, String> {
    let cols = dataset.columns();
    match format {
        Format::JsonLines => {
            let mut out = String::new();
            for row in rows {
                let mut obj = serde_json::Map::new();
                for col in cols {
                    obj.insert(col.name.to_owned(), cell(col.kind, row.get(col.name).unwrap_or(&serde_json::Value::Null)));
                }
                out.push_str(&serde_json::Value::Object(obj).to_string());
                out.push('\n');
            }
            Ok(out)
        }
        Format::Csv => {
            let start = if header { "\u{FEFF}".as_bytes().to_vec() } else { Vec::new() };
            let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).quote_style(csv::QuoteStyle::Always).from_writer(start);
            if header {
                w.write_record(cols.iter().map(|c| c.name)).map_err(|e| e.to_string())?;
            }
            for row in rows {
                let record: Vec<String> = cols
                    .iter()
                    .map(|col| {
                        let v = cell(col.kind, row.get(col.name).unwrap_or(&serde_json::Value::Null));
                        match (col.kind, &v) {
                            (Kind::Json, serde_json::Value::Array(_) | serde_json::Value::Object(_)) => v.to_string(),
                            _ => csv_text(&v),
                        }
                    })
                    .collect();
                w.write_record(&record).map_err(|e| e.to_string())?;
            }
            let bytes = w.into_inner().map_err(|e| e.to_string())?;
            String::from_utf8(bytes).map_err(|e| e.to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row(v: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn no_dataset_exports_a_shopper_secret() {
        for d in Dataset::ALL {
            for col in d.columns() {
                for secret in ["member_token", "author_key", "client", "canonical", "seq", "secret"] {
                    assert!(!col.name.contains(secret) || col.name == "author_identity_sub", "{}.{}", d.as_str(), col.name);
                    assert!(col.sql == AUTHOR_SUB || !col.sql.contains(secret), "{}.{}", d.as_str(), col.sql);
                }
            }
            assert!(d.page_sql().contains(&format!("INDEXED BY {}_export", d.table())));
            assert_eq!(Dataset::parse(d.as_str()), Some(d));
        }
    }

    #[test]
    fn csv_is_rfc4180_and_formulas_do_not_run() {
        let rows = [row(json!({"_row": 1, "id": "t1", "author_name": "=HYPERLINK(\"http://x\",\"click\")", "body": "a, \"quoted\"\nline", "tags": "[\"vegan\",\"a,b\"]", "rating": 5, "verified_buyer": 1, "title": "-1", "product_id": null}))];
        let out = write(Dataset::Testimonials, Format::Csv, &rows, true).unwrap();
        let mut r = csv::Reader::from_reader(out.as_bytes());
        let headers = r.headers().unwrap().clone();
        assert_eq!(headers.iter().collect::<Vec<_>>(), Dataset::Testimonials.columns().iter().map(|c| c.name).collect::<Vec<_>>());
        let rec = r.records().next().unwrap().unwrap();
        let get = |name: &str| rec.get(headers.iter().position(|h| h == name).unwrap()).unwrap().to_owned();
        assert_eq!(get("author_name"), "'=HYPERLINK(\"http://x\",\"click\")");
        assert_eq!(get("body"), "a, \"quoted\"\nline");
        assert_eq!(get("tags"), "[\"vegan\",\"a,b\"]");
        assert_eq!(get("title"), "'-1");
        assert!(out.starts_with('\u{FEFF}'), "a byte order mark for Excel");
        // European Excel splits on ';': every field is quoted, so none splits.
        assert!(out.contains("\"a, \"\"quoted\"\"\nline\"") && out.contains("\"5\""), "{out}");
        assert_eq!((get("rating"), get("verified_buyer"), get("product_id")), ("5".into(), "true".into(), String::new()));
        assert!(out.contains("\r\n"));
    }

    #[test]
    fn a_leading_quote_is_always_kindreds_to_strip() {
        for (s, want) in [("'=1+1", "''=1+1"), ("\0x", "'\0x"), ("Great;=1+1", "Great;=1+1"), ("plain", "plain")] {
            assert_eq!(csv_text(&serde_json::Value::String(s.into())), want);
        }
    }

    #[test]
    fn a_page_of_long_rows_stops_at_its_byte_budget() {
        let long = "x".repeat(1024 * 1024);
        let rows: Vec<_> = (0..10).map(|i| row(json!({"_row": i, "body": long}))).collect();
        assert_eq!(rows_within_budget(&rows), 3, "a fourth row of just over 1 MiB would pass 4 MiB");
        assert_eq!(rows_within_budget(&rows[..1]), 1, "a row larger than the budget still goes, alone");
    }

    #[test]
    fn json_lines_are_one_typed_object_per_row() {
        let rows = [row(json!({"_row": 1, "id": "t1", "tags": "[\"vegan\"]", "verified_buyer": 0, "rating": 4})), row(json!({"_row": 2, "id": "t2", "tags": "[]", "verified_buyer": 1, "rating": 5}))];
        let out = write(Dataset::Testimonials, Format::JsonLines, &rows, true).unwrap();
        let lines: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["tags"], json!(["vegan"]));
        assert_eq!(lines[1]["verified_buyer"], json!(true));
        assert!(lines[0].get("_row").is_none());
    }

    #[test]
    fn pages_are_asked_for_plainly() {
        assert_eq!(Page::from_pairs([]).unwrap(), Page { format: Format::JsonLines, after: 0, limit: PAGE_DEFAULT });
        assert_eq!(Page::from_pairs([("format", "csv"), ("cursor", "42"), ("limit", "10")]).unwrap(), Page { format: Format::Csv, after: 42, limit: 10 });
        for (k, v) in [("format", "xml"), ("cursor", "-1"), ("cursor", "abc"), ("limit", "0"), ("limit", "5001")] {
            assert_eq!(Page::from_pairs([(k, v)]).unwrap_err().field.as_deref(), Some(k));
        }
    }
}
