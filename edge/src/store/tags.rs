//! Interest tags stored before a change of the rules that read them
//! (`kindred_core::testimonial::TAG_RULES`), read again by today's rules
//! by the cron job, as `super::addresses` does for addresses: a page per
//! table per run, resuming where the last run stopped, once per version of
//! the rules. Without it a tag chip stored as "ｆｉｔ" would filter by "fit",
//! which no testimonial had. Brands whose first paints show a rewritten
//! row get a new copy version in the same batch.

use super::addresses::{resume, states, PAGE, WRITES};
use super::{int, stmt, Metered};
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
        let rows: Vec<Row> = stmt(db, table.select, &[cursor.as_str().into(), PAGE.into()])?
            .all_rows()
            .await
            .and_then(|r| r.results())
            .map_err(|e| EdgeError::store("stored tags", e))?;
        let (mut writes, mut brands) = (Vec::new(), Vec::<&str>::new());
        let mut last = cursor;
        let mut seen = 0;
        for row in &rows {
            if writes.len() == WRITES {
                break;
            }
            seen += 1;
            last.clone_from(&row.id);
            let Some(tags) = reread_tags(&row.stored) else { continue };
            writes.push(stmt(db, table.update, &[row.id.as_str().into(), tags.into(), row.stored.as_str().into()])?);
            if row.shown == 1 && !brands.contains(&row.brand.as_str()) {
                brands.push(&row.brand);
            }
        }
        read += seen;
        let n = writes.len();
        for brand in brands {
            writes.push(super::brands::copy_version_bump(db, brand)?);
        }
        let finished = seen == rows.len() && rows.len() < PAGE as usize;
        writes.push(stmt(db, sql::MAINTENANCE_SET, &[table.task.into(), int(TAG_RULES), last.into(), i32::from(finished).into()])?);
        let results = super::batch(db, writes).await.map_err(|e| EdgeError::store("stored tags", e))?;
        rewritten += results.iter().take(n).filter(|r| super::changed(r) > 0).count();
    }
    Ok((read, rewritten))
}
