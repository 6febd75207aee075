//! Addresses stored before a change of the rules that read them
//! (`kindred_core::email::RULES`), read again by today's rules by the cron
//! job: a page per table per run, resuming where the last run stopped
//! (migration 0051's `maintenance`), once per version of the rules. A row
//! whose new form is the same as stored is not written; one whose new form
//! another referrer of its brand holds is left (two links for one person,
//! made before the rules saw it: a person merges them), and counted.

use super::{int, stmt, Metered};
use worker::D1PreparedStatement;
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

/// A page of rows after `cursor` (`select`: `?1` the cursor, `?2` [`PAGE`]).
///
/// # Errors
/// `unavailable` when D1 fails (`what` names the rows).
pub(super) async fn page<R: serde::de::DeserializeOwned>(db: &D1Database, select: &str, cursor: &str, what: &'static str) -> EdgeResult<Vec<R>> {
    stmt(db, select, &[cursor.into(), PAGE.into()])?.all_rows().await.and_then(|r| r.results()).map_err(|e| EdgeError::store(what, e))
}

/// What a run does with a page: the updates of the rows that read
/// differently (each with its row's index), where the task stands after
/// it, and the rows it dealt with.
pub(super) struct Walked {
    pub writes: Vec<D1PreparedStatement>,
    pub rows: Vec<usize>,
    /// The last row dealt with: the next run resumes after it.
    pub last: String,
    pub seen: usize,
    /// The table is read to its end.
    pub finished: bool,
}

/// Walks a page from `cursor`: `rewrite` gives each row's update (or
/// `None`: it reads the same), up to [`WRITES`] updates, where the run
/// stops (the next resumes at the row after the last one dealt with).
///
/// # Errors
/// What `rewrite` fails with.
pub(super) fn walk<R>(rows: &[R], cursor: String, id: impl Fn(&R) -> &str, mut rewrite: impl FnMut(&R) -> EdgeResult<Option<D1PreparedStatement>>) -> EdgeResult<Walked> {
    let mut w = Walked { writes: Vec::new(), rows: Vec::new(), last: cursor, seen: 0, finished: false };
    for (i, row) in rows.iter().enumerate() {
        if w.writes.len() == WRITES {
            break;
        }
        w.seen += 1;
        w.last = id(row).to_owned();
        if let Some(update) = rewrite(row)? {
            w.writes.push(update);
            w.rows.push(i);
        }
    }
    w.finished = w.seen == rows.len() && rows.len() < PAGE as usize;
    Ok(w)
}

/// The statement that records where `task` stands after `walked`, under rules `version`.
///
/// # Errors
/// `internal` when the statement cannot be bound.
pub(super) fn stands(db: &D1Database, task: &str, version: i64, walked: &Walked) -> EdgeResult<D1PreparedStatement> {
    stmt(db, sql::MAINTENANCE_SET, &[task.into(), int(version), walked.last.as_str().into(), i32::from(walked.finished).into()])
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
        let rows: Vec<Row> = page(db, column.select, &cursor, "stored addresses").await?;
        let mut walked = walk(&rows, cursor, |r| r.id.as_str(), |row| {
            let Some((address, canonical)) = reread(&row.stored) else { return Ok(None) };
            let differs = row.canonical.as_deref() != Some(canonical.as_str()) || (!column.canonical_only && address != row.stored);
            differs.then(|| stmt(db, column.update, &[row.id.as_str().into(), address.into(), canonical.into(), row.stored.as_str().into()])).transpose()
        })?;
        did.read += walked.seen;
        let n = walked.writes.len();
        let ids: Vec<&str> = walked.rows.iter().map(|&i| rows[i].id.as_str()).collect();
        let mut writes = std::mem::take(&mut walked.writes);
        writes.push(stands(db, column.task, RULES, &walked)?);
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
