//! Interest tags stored before a change of the rules that read them
//! (`kindred_core::testimonial::TAG_RULES`), read again by today's rules
//! by the cron job, as `super::addresses` does for addresses: a page per
//! table per run, resuming where the last run stopped, once per version of
//! the rules. Without it a tag chip stored as "ｆｉｔ" would filter by "fit",
//! which no testimonial had. Brands whose first paints show a rewritten
//! row get a new copy version in the same batch.

use super::addresses::{page, resume, stands, states, walk};
use super::stmt;
use crate::errors::{EdgeError, EdgeResult};
use kindred_core::sql;
use kindred_core::testimonial::{reread_tags, TAG_RULES};
use serde::Deserialize;
use worker::D1Database;

#[derive(Deserialize)]
struct Row {
    id: String,
    brand: String,
    stored: String,
    shown: i64,
    lang: Option<String>,
}

/// Reads the next page of each table's stored tags by today's rules and
/// writes those that read differently (`sql::REREAD_TAGS`), with where
/// each table stands, in one batch per table: `(read, rewritten)`.
///
/// # Errors
/// `unavailable` when D1 fails (the next run resumes from the last page written).
pub async fn reread_stored(db: &D1Database) -> EdgeResult<(usize, usize)> {
    let (mut read, mut rewritten) = (0, 0);
    let states = states(db, "tags:").await?;
    for table in sql::REREAD_TAGS {
        let Some(cursor) = resume(&states, table.task, TAG_RULES) else { continue };
        let rows: Vec<Row> = page(db, table.select, &cursor, "stored tags").await?;
        let mut walked = walk(&rows, cursor, |r| r.id.as_str(), |row| {
            reread_tags(&row.stored, row.lang.as_deref()).map(|tags| stmt(db, table.update, &[row.id.as_str().into(), tags.into(), row.stored.as_str().into()])).transpose()
        })?;
        read += walked.seen;
        let n = walked.writes.len();
        let mut writes = std::mem::take(&mut walked.writes);
        // The brands whose first paints show a rewritten row: their copies go.
        let mut brands: Vec<&str> = walked.rows.iter().map(|&i| &rows[i]).filter(|r| r.shown == 1).map(|r| r.brand.as_str()).collect();
        brands.sort_unstable();
        brands.dedup();
        for brand in brands {
            writes.push(super::brands::copy_version_bump(db, brand)?);
        }
        writes.push(stands(db, table.task, TAG_RULES, &walked)?);
        let results = super::batch(db, writes).await.map_err(|e| EdgeError::store("stored tags", e))?;
        rewritten += results.iter().take(n).filter(|r| super::changed(r) > 0).count();
    }
    Ok((read, rewritten))
}
