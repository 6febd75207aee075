//! Storage: D1 (the truth) and KV (read copies). Routes never write SQL or KV
//! keys themselves; they call these functions.

pub mod brands;
pub mod cache;
pub mod community;
pub mod isolate;
pub mod media;
pub mod ratelimit;
pub mod referrals;
pub mod testimonials;
pub mod widget;

use crate::errors::{EdgeError, EdgeResult};
use kindred_core::limits::{param_chunks, D1_MAX_BOUND_PARAMETERS};
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

/// Whether a D1 failure is a UNIQUE constraint on `table`
/// (`kindred_core::error::is_unique_violation`).
pub fn is_unique_violation(err: &worker::Error, table: &str) -> bool {
    kindred_core::error::is_unique_violation(&err.to_string(), table)
}

/// Every D1 statement is made here: `sql` with `params` bound as `?1..?N`.
///
/// # Errors
/// `internal` when `params` has more than D1's 100 bound parameters per
/// statement (Cloudflare D1 limits; a list of client-chosen length goes
/// through [`all_in`] instead, which splits it), or when binding fails.
pub fn stmt(db: &D1Database, sql: impl Into<String>, params: &[JsValue]) -> EdgeResult<D1PreparedStatement> {
    if params.len() > D1_MAX_BOUND_PARAMETERS {
        return Err(EdgeError::internal("D1 statement", format!("{} bound parameters, over D1's {D1_MAX_BOUND_PARAMETERS}", params.len())));
    }
    db.prepare(sql).bind(params).map_err(|e| EdgeError::internal("bind D1 statement", e))
}

/// Rows for a list of any length: runs `sql(placeholders)` once per chunk of
/// `items`, in one batch, so no statement binds more than D1's limit.
/// `fixed` parameters are `?1..?k` in every statement; `placeholders` is the
/// chunk's `?k+1, ?k+2, ...`, for an `IN (...)` list.
///
/// # Errors
/// `unavailable` when D1 fails; `internal` when `fixed` leaves no room.
pub async fn all_in<T: DeserializeOwned>(
    db: &D1Database,
    fixed: &[JsValue],
    items: &[JsValue],
    sql: impl Fn(&str) -> String,
    what: &'static str,
) -> EdgeResult<Vec<T>> {
    let chunks = param_chunks(items.len(), 1, fixed.len()).ok_or_else(|| EdgeError::internal(what, "no room for the list"))?;
    if chunks.is_empty() {
        return Ok(Vec::new());
    }
    let mut statements = Vec::with_capacity(chunks.len());
    for range in chunks {
        let placeholders: Vec<String> = (0..range.len()).map(|i| format!("?{}", fixed.len() + i + 1)).collect();
        let mut params = fixed.to_vec();
        params.extend_from_slice(&items[range]);
        statements.push(stmt(db, sql(&placeholders.join(", ")), &params)?);
    }
    let mut rows = Vec::new();
    for result in db.batch(statements).await.map_err(|e| EdgeError::store(what, e))? {
        rows.extend(result.results::<T>().map_err(|e| EdgeError::store(what, e))?);
    }
    Ok(rows)
}

/// D1 takes numbers as f64 (an i64 would become a BigInt, which D1 refuses).
pub fn int(n: i64) -> JsValue {
    JsValue::from_f64(n as f64)
}


/// Text, or SQL NULL.
pub fn opt(s: Option<&str>) -> JsValue {
    s.map_or(JsValue::NULL, JsValue::from_str)
}

/// Current time, unix milliseconds.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}
