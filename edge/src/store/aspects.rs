//! "What reviews mention" (`kindred_core::aspects`): the cron job rebuilds
//! the summaries of scopes whose published reviews changed
//! (`review_aspects_due`, kept by triggers, migration 0015); the first paint
//! reads the stored summary by key.
//!
//! Rebuilt by the cron job rather than on each approval: a summary reads up
//! to `READ_CAP` reviews, too much for a moderator's click or a shopper's
//! submission, and a minute's delay is invisible beside moderation's.

use super::{batch, int, stmt, Metered};
use crate::errors::{EdgeError, EdgeResult};
use kindred_core::aspects::{AspectSummary, Extractor, READ_CAP, TEXT_MAX};
use kindred_core::sql;
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::D1Database;

/// Scopes rebuilt per cron run at most.
pub const SCOPES_PER_RUN: i64 = 10;
/// No new rebuild starts after this much of a cron run, ms: the worst case
/// (`READ_CAP` reviews of `TEXT_MAX` characters) takes about 0.7 s of CPU
/// natively, so the run stays far inside the Workers paid plan's 30 s of
/// CPU for a cron trigger (Cloudflare, Workers limits), with the other jobs.
pub const RUN_BUDGET_MS: i64 = 5_000;

#[derive(Deserialize)]
struct Due {
    brand_id: String,
    scope: String,
    gen: f64,
}

#[derive(Deserialize)]
struct Review {
    rating: i64,
    title: String,
    body: String,
}

/// Rebuilds due summaries, up to [`SCOPES_PER_RUN`] or [`RUN_BUDGET_MS`];
/// returns the brands whose shown summary changed (their copy version has
/// moved, in the same batch as the write). A scope that failed goes last
/// next time; one that changed again while it was read stays due.
///
/// # Errors
/// `unavailable` when the list of due scopes cannot be read.
pub async fn refresh_due(db: &D1Database, started: i64) -> EdgeResult<Vec<String>> {
    let due: Vec<Due> = stmt(db, sql::ASPECTS_DUE, &[int(SCOPES_PER_RUN)])?
        .all_rows()
        .await
        .map_err(|e| EdgeError::store("aspects due", e))?
        .results()
        .map_err(|e| EdgeError::store("aspects due rows", e))?;
    let mut changed = Vec::new();
    for d in due {
        if super::now_ms() - started > RUN_BUDGET_MS {
            break;
        }
        match rebuild(db, &d).await {
            Ok(true) => changed.push(d.brand_id),
            Ok(false) => {}
            Err(e) => {
                worker::console_warn!("rebuilding the review summary of {}/{} failed: {}", d.brand_id, d.scope, e.into_api_error());
                let failed = stmt(db, "UPDATE review_aspects_due SET attempts = attempts + 1 WHERE brand_id = ?1 AND scope = ?2", &[d.brand_id.as_str().into(), d.scope.as_str().into()]);
                if let Ok(s) = failed {
                    let _ = s.run_metered().await;
                }
            }
        }
    }
    Ok(changed)
}

/// One scope: read, extract, and write if no change came meanwhile.
/// Returns whether the summary shown changed.
async fn rebuild(db: &D1Database, d: &Due) -> EdgeResult<bool> {
    let (b, s): (JsValue, JsValue) = (d.brand_id.as_str().into(), d.scope.as_str().into());
    let (cap, text) = (int(i64::from(READ_CAP)), int(TEXT_MAX as i64));
    let reviews = if d.scope.is_empty() {
        stmt(db, sql::ASPECTS_BRAND_REVIEWS, &[b.clone(), cap, text])?
    } else {
        stmt(db, sql::ASPECTS_PRODUCT_REVIEWS, &[b.clone(), cap, text, s.clone()])?
    };
    let reads = batch(db, vec![reviews, stmt(db, sql::ASPECTS, &[b.clone(), s.clone()])?]).await.map_err(|e| EdgeError::store("aspects read", e))?;
    let [reviews, old] = reads.as_slice() else {
        return Err(EdgeError::internal("aspects read", "D1 returned a short batch"));
    };
    let mut x = Extractor::default();
    for r in reviews.results::<Review>().map_err(|e| EdgeError::store("aspects reviews", e))? {
        x.add(u8::try_from(r.rating).unwrap_or(0), &r.title, &r.body);
    }
    let summary = x.summary();
    #[derive(Deserialize)]
    struct Old {
        summary: String,
    }
    let old: Option<AspectSummary> = old
        .results::<Old>()
        .map_err(|e| EdgeError::store("aspects old", e))?
        .into_iter()
        .next()
        .and_then(|o| serde_json::from_str(&o.summary).ok());
    let shown_changed = old.as_ref().map(|o| &o.aspects) != Some(&summary.aspects);
    let json = serde_json::to_string(&summary).map_err(|e| EdgeError::internal("aspects json", e))?;
    // Each write holds only while the scope is still due at the generation
    // read: a change meanwhile (a new generation) leaves it due, and a run
    // that overlapped and finished first leaves nothing to overwrite.
    let gen = JsValue::from_f64(d.gen);
    const STILL_DUE: &str = "EXISTS (SELECT 1 FROM review_aspects_due WHERE brand_id = ?1 AND scope = ?2 AND gen = ?3)";
    let mut writes = vec![stmt(db, format!("INSERT INTO review_aspects (brand_id, scope, summary, built_at) SELECT ?1, ?2, ?4, ?5 WHERE {STILL_DUE} \
         ON CONFLICT (brand_id, scope) DO UPDATE SET summary = excluded.summary, built_at = excluded.built_at"),
         &[b.clone(), s.clone(), gen.clone(), json.into(), int(super::now_ms())])?];
    if shown_changed {
        writes.push(stmt(db, format!("UPDATE brands SET copy_version = copy_version + 1 WHERE id = ?1 AND {STILL_DUE}"), &[b.clone(), s.clone(), gen.clone()])?);
    }
    writes.push(stmt(db, "DELETE FROM review_aspects_due WHERE brand_id = ?1 AND scope = ?2 AND gen = ?3", &[b, s, gen])?);
    batch(db, writes).await.map_err(|e| EdgeError::store("aspects write", e))?;
    Ok(shown_changed)
}
