//! The brand's public replies (`kindred_core::reply`) under testimonials
//! and community threads: the reply shown lives on the subject's row
//! (`reply_body`, `reply_at`, `reply_edited_at`, read with it), every
//! version in the subject's log table.

use super::{int, opt, stmt, Metered};
use crate::errors::{EdgeError, EdgeResult};
use kindred_core::reply::{BrandReply, ReplyAction, ReplyHistory, ReplySubject, ReplyVersion};
use kindred_core::BrandId;
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::D1Database;

/// The reply columns as a reply.
pub fn reply(body: Option<String>, at: Option<i64>, edited_at: Option<i64>) -> Option<BrandReply> {
    Some(BrandReply { body: body?, created_at: at?, edited_at })
}

/// Sets (`Some`) or takes down (`None`) the brand's reply under one of its
/// testimonials or threads and logs the version, in one batch; moves the
/// brand's copy version when a published testimonial's reply changes. Returns what happened
/// (`None`: there was nothing to take down).
pub async fn set_reply(db: &D1Database, subject: ReplySubject, brand: &BrandId, id: &str, body: Option<&str>, had_reply: bool, now: i64) -> EdgeResult<Option<ReplyAction>> {
    let action = match (body, had_reply) {
        (Some(_), false) => ReplyAction::Created,
        (Some(_), true) => ReplyAction::Edited,
        (None, true) => ReplyAction::Deleted,
        (None, false) => return Ok(None),
    };
    let (b, t): (JsValue, JsValue) = (brand.as_str().into(), id.into());
    let (table, (log, key)) = (subject.table(), subject.log());
    let update = match body {
        Some(text) => stmt(db, format!("UPDATE {table} SET reply_body = ?3, reply_at = COALESCE(reply_at, ?4), \
             reply_edited_at = CASE WHEN reply_at IS NULL THEN NULL ELSE ?4 END WHERE brand_id = ?1 AND id = ?2"), &[b.clone(), t.clone(), text.into(), int(now)])?,
        None => stmt(db, format!("UPDATE {table} SET reply_body = NULL, reply_at = NULL, reply_edited_at = NULL WHERE brand_id = ?1 AND id = ?2"), &[b.clone(), t.clone()])?,
    };
    let mut statements = vec![
        update,
        stmt(db, format!("INSERT INTO {log} (brand_id, {key}, action, body, at) VALUES (?1, ?2, ?3, ?4, ?5)"), &[b.clone(), t.clone(), action.as_str().into(), opt(body), int(now)])?,
    ];
    // A published testimonial's reply is in the widget's first-paint copies.
    if subject == ReplySubject::Testimonial {
        statements.push(stmt(db, "UPDATE brands SET copy_version = copy_version + 1 WHERE id = ?1 AND EXISTS (SELECT 1 FROM testimonials WHERE brand_id = ?1 AND id = ?2 AND status = 'approved')", &[b, t])?);
    }
    super::batch(db, statements).await.map_err(|e| EdgeError::store("set reply", e))?;
    Ok(Some(action))
}

/// The reply shown and its versions, oldest first (the newest 200).
pub async fn reply_history(db: &D1Database, subject: ReplySubject, brand: &BrandId, shown: Option<BrandReply>, id: &str) -> EdgeResult<ReplyHistory> {
    #[derive(Deserialize)]
    struct Row {
        action: String,
        body: Option<String>,
        at: i64,
    }
    let (log, key) = subject.log();
    let rows: Vec<Row> = stmt(db, format!("SELECT action, body, at FROM (SELECT id, action, body, at FROM {log} WHERE {key} = ?2 AND brand_id = ?1 ORDER BY id DESC LIMIT 200) ORDER BY id"), &[brand.as_str().into(), id.into()])?
        .all_rows()
        .await
        .map_err(|e| EdgeError::store("reply history", e))?
        .results()
        .map_err(|e| EdgeError::store("reply history rows", e))?;
    let history = rows.into_iter().filter_map(|r| Some(ReplyVersion { action: ReplyAction::parse(&r.action)?, body: r.body, at: r.at })).collect();
    Ok(ReplyHistory { reply: shown, history })
}
