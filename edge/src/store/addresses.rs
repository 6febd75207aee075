//! Addresses stored before a change of the rules that read them
//! (`kindred_core::email::RULES`), read again by today's rules by the cron
//! job: a page per table per run, resuming where the last run stopped
//! (migration 0051's `maintenance`), once per version of the rules. A row
//! whose new form is the same as stored is not written; one whose new form
//! another referrer of its brand holds is left (two links for one person,
//! made before the rules saw it: a person merges them), and counted.

use super::{int, stmt, Metered};
use crate::errors::{EdgeError, EdgeResult};
use kindred_core::email::{reread, RULES};
use kindred_core::sql;
use serde::Deserialize;
use worker::D1Database;

/// Rows read per table per run: the cron runs every minute, so a table of
/// a million rows is read in under a day and a half, at most 1,500 rows
/// read a minute (D1 bills rows read).
pub const PAGE: u32 = 500;

/// Rows rewritten per table per run at most: each is a D1 query, and an
/// invocation may make 1,000 (Cloudflare's D1 limits, Workers Paid; 50 on
/// the free plan, which the rest of the cron job shares). The run stops
/// its page at the row that filled it; the next resumes there.
pub const WRITES: usize = 25;

#[derive(Deserialize)]
struct State {
    task: String,
    version: i64,
    cursor: String,
    done: i64,
}

#[derive(Deserialize)]
struct Row {
    id: String,
    stored: String,
    canonical: Option<String>,
}

/// What one run did: rows read, rows rewritten, and rows left because
/// another referrer of the brand holds their new form.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Reread {
    pub read: usize,
    pub rewritten: usize,
    pub left: usize,
}

/// Reads the next page of each table's stored addresses by today's rules
/// and writes those that read differently (`sql::REREAD_ADDRESSES`), with
/// where each table stands, in one batch per table.
///
/// # Errors
/// `unavailable` when D1 fails (the next run resumes from the last page written).
pub async fn reread_stored(db: &D1Database) -> EdgeResult<Reread> {
    let mut did = Reread::default();
    // Where every table stands, in one read (three rows at most).
    let [a, b, c] = sql::REREAD_ADDRESSES.map(|(task, _, _)| task);
    let states: Vec<State> = stmt(db, sql::MAINTENANCE, &[a.into(), b.into(), c.into()])?
        .all_rows()
        .await
        .and_then(|r| r.results())
        .map_err(|e| EdgeError::store("maintenance", e))?;
    for (task, select, update) in sql::REREAD_ADDRESSES {
        let cursor = match states.iter().find(|s| s.task == task) {
            Some(s) if s.version == RULES && s.done == 1 => continue,
            Some(s) if s.version == RULES => s.cursor.clone(),
            _ => String::new(),
        };
        let rows: Vec<Row> = stmt(db, select, &[cursor.as_str().into(), PAGE.into()])?
            .all_rows()
            .await
            .and_then(|r| r.results())
            .map_err(|e| EdgeError::store("stored addresses", e))?;
        let mut writes = Vec::new();
        // A conversion keeps only the canonical form (its update writes that alone).
        let canonical_only = task.ends_with("conversions");
        // The last row this run dealt with: the next resumes after it.
        let mut last = cursor;
        let mut seen = 0;
        for row in &rows {
            if writes.len() == WRITES {
                break;
            }
            seen += 1;
            last.clone_from(&row.id);
            let Some((address, canonical)) = reread(&row.stored) else { continue };
            if row.canonical.as_deref() != Some(canonical.as_str()) || (!canonical_only && address != row.stored) {
                writes.push(stmt(db, update, &[row.id.as_str().into(), address.into(), canonical.into(), row.stored.as_str().into()])?);
            }
        }
        did.read += seen;
        let n = writes.len();
        let finished = seen == rows.len() && rows.len() < PAGE as usize;
        writes.push(stmt(db, sql::MAINTENANCE_SET, &[task.into(), int(RULES), last.into(), i32::from(finished).into()])?);
        let results = super::batch(db, writes).await.map_err(|e| EdgeError::store("stored addresses", e))?;
        let wrote = results.iter().take(n).filter(|r| r.meta().ok().flatten().and_then(|m| m.changes).unwrap_or(0) > 0).count();
        did.rewritten += wrote;
        if task.ends_with("referrers") {
            did.left += n - wrote;
        }
    }
    Ok(did)
}
