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

/// Rows read per table per run (D1 bills rows read): the cron runs every
/// minute, so a table of a million rows whose addresses rarely changed is
/// read in under a day and a half; where many changed, a run ends its page
/// at the [`WRITES`]-th rewrite, and the next reads on from there.
pub const PAGE: u32 = 500;

/// Rows rewritten per table per run at most: each is a D1 query, and an
/// invocation may make 1,000 (Cloudflare's D1 limits, Workers Paid), 250
/// here for five tables. The run stops its page at the row that filled it;
/// the next resumes there (so a page of 500 rows read may move the cursor
/// only 50 where every address changed: a backlog of a million such rows
/// takes two weeks of runs, a million of others a day and a half).
pub const WRITES: usize = 50;

/// Where one task of the cron job's reading again stands (migration
/// 0051's `maintenance`).
#[derive(Deserialize)]
pub(super) struct State {
    task: String,
    version: i64,
    cursor: String,
    done: i64,
}

/// Where each task named `prefix...` stands, in one read (a row per task
/// at most).
pub(super) async fn states(db: &D1Database, prefix: &str) -> EdgeResult<Vec<State>> {
    stmt(db, sql::MAINTENANCE, &[prefix.into()])?.all_rows().await.and_then(|r| r.results()).map_err(|e| EdgeError::store("maintenance", e))
}

/// The cursor task `task` resumes from under rules `version` (`''` from
/// the start), or `None` when it is done under them.
pub(super) fn resume(states: &[State], task: &str, version: i64) -> Option<String> {
    match states.iter().find(|s| s.task == task) {
        Some(s) if s.version == version && s.done == 1 => None,
        Some(s) if s.version == version => Some(s.cursor.clone()),
        _ => Some(String::new()),
    }
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
    // Where every table stands, in one read (a row per table at most).
    let states = states(db, "addresses:").await?;
    for column in sql::REREAD_ADDRESSES {
        let Some(cursor) = resume(&states, column.task, RULES) else { continue };
        let rows: Vec<Row> = stmt(db, column.select, &[cursor.as_str().into(), PAGE.into()])?
            .all_rows()
            .await
            .and_then(|r| r.results())
            .map_err(|e| EdgeError::store("stored addresses", e))?;
        let (mut writes, mut ids) = (Vec::new(), Vec::new());
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
            if row.canonical.as_deref() != Some(canonical.as_str()) || (!column.canonical_only && address != row.stored) {
                writes.push(stmt(db, column.update, &[row.id.as_str().into(), address.into(), canonical.into(), row.stored.as_str().into()])?);
                ids.push(row.id.as_str());
            }
        }
        did.read += seen;
        let n = writes.len();
        let finished = seen == rows.len() && rows.len() < PAGE as usize;
        writes.push(stmt(db, sql::MAINTENANCE_SET, &[column.task.into(), int(RULES), last.into(), i32::from(finished).into()])?);
        let results = super::batch(db, writes).await.map_err(|e| EdgeError::store("stored addresses", e))?;
        let unwritten: Vec<&str> = results.iter().zip(&ids).filter(|(r, _)| super::changed(r) == 0).map(|(_, id)| *id).collect();
        did.rewritten += n - unwritten.len();
        if column.task.ends_with("referrers") && !unwritten.is_empty() {
            // Ids only (no address): the operator finds the pair by the
            // canonical address the row would take.
            worker::console_warn!("referrers left as stored (another of the brand's referrers holds the address as read today, or it changed meanwhile): {}", unwritten.join(", "));
            did.left += unwritten.len();
        }
    }
    Ok(did)
}
