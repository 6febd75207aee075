//! Storage: D1 (the truth), KV (read copies) and R2 (photos, earlier
//! builds' widget files). Routes never write SQL or KV keys themselves; they
//! call these functions.

pub mod addresses;
pub mod archive;
pub mod aspects;
pub mod brands;
pub mod cache;
pub mod community;
pub mod counters;
pub mod idempotency;
pub mod isolate;
pub mod media;
pub mod privacy;
pub mod ratelimit;
pub mod referrals;
pub mod replies;
pub mod reviews;
pub mod syndication;
pub mod tags;
pub mod testimonials;
pub mod widget;

use crate::errors::{EdgeError, EdgeResult};
use kindred_core::limits::{param_chunks, D1_MAX_BOUND_PARAMETERS};
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement, D1Result};

/// What D1 reports it did for this request (`meta.rows_read` and
/// `rows_written` of each statement; rows read is what D1 bills), summed in
/// this isolate between [`meter::reset`] and [`meter::take`].
///
/// Every D1 call goes through [`Metered`], so nothing escapes the sum; the
/// routes send it as `Server-Timing` when the `D1_METER` var is `on` (local
/// runs: the bench and tests read it). A sum per isolate is exact while
/// requests do not overlap in one isolate, which is how the bench and the
/// tests send them; production leaves it off.
pub mod meter {
    use std::cell::Cell;

    /// Rows read, rows written and statements run.
    #[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
    pub struct Meter {
        pub rows_read: u64,
        pub rows_written: u64,
        pub statements: u32,
    }

    thread_local! {
        static METER: Cell<Meter> = Cell::new(Meter::default());
    }

    pub fn reset() {
        METER.with(|m| m.set(Meter::default()));
    }

    /// The sum since the last reset.
    pub fn take() -> Meter {
        METER.with(|m| m.replace(Meter::default()))
    }

    pub(super) fn record(result: &worker::D1Result) {
        let meta = result.meta().ok().flatten();
        let read = meta.as_ref().and_then(|m| m.rows_read).unwrap_or(0) as u64;
        let written = meta.as_ref().and_then(|m| m.rows_written).unwrap_or(0) as u64;
        METER.with(|m| {
            let mut v = m.get();
            v.rows_read += read;
            v.rows_written += written;
            v.statements += 1;
            m.set(v);
        });
    }
}

/// The only way D1 statements are run (clippy's `disallowed-methods` refuses
/// the unmetered `all`, `first`, `run` and `batch` elsewhere): each result's
/// `meta` goes to [`meter`]. `first_row` runs the statement like D1's own
/// `first()` (which reads every row it selects and returns the first).
#[allow(async_fn_in_trait)]
pub trait Metered {
    async fn all_rows(self) -> worker::Result<D1Result>;
    async fn first_row<T: DeserializeOwned>(self) -> worker::Result<Option<T>>;
    async fn run_metered(self) -> worker::Result<D1Result>;
}

impl Metered for D1PreparedStatement {
    #[allow(clippy::disallowed_methods)]
    async fn all_rows(self) -> worker::Result<D1Result> {
        let r = self.all().await?;
        meter::record(&r);
        Ok(r)
    }

    async fn first_row<T: DeserializeOwned>(self) -> worker::Result<Option<T>> {
        Ok(self.all_rows().await?.results::<T>()?.into_iter().next())
    }

    #[allow(clippy::disallowed_methods)]
    async fn run_metered(self) -> worker::Result<D1Result> {
        let r = self.run().await?;
        meter::record(&r);
        Ok(r)
    }
}

/// `db.batch(statements)`, metered (one transaction, one round trip).
#[allow(clippy::disallowed_methods)]
pub async fn batch(db: &D1Database, statements: Vec<D1PreparedStatement>) -> worker::Result<Vec<D1Result>> {
    let results = db.batch(statements).await?;
    results.iter().for_each(meter::record);
    Ok(results)
}

/// How many rows a statement's result says it changed (0 when D1 says nothing).
pub fn changed(r: &D1Result) -> usize {
    r.meta().ok().flatten().and_then(|m| m.changes).unwrap_or(0)
}

/// Runs one write, metered: how many rows it changed (`what` names it in
/// an error).
pub async fn changes(stmt: D1PreparedStatement, what: &'static str) -> EdgeResult<usize> {
    Ok(changed(&stmt.run_metered().await.map_err(|e| EdgeError::store(what, e))?))
}

/// Whether a batch's first statement wrote a row (a conditional insert or
/// update that the rest of its batch goes with).
pub fn first_wrote(results: &[D1Result]) -> bool {
    results.first().is_some_and(|r| changed(r) > 0)
}

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

/// A statement from `kindred_core::sql` with its parameters bound.
///
/// # Errors
/// As [`stmt`].
pub fn prepared(db: &D1Database, s: &kindred_core::sql::Statement) -> EdgeResult<D1PreparedStatement> {
    use kindred_core::sql::Value;
    let params: Vec<JsValue> = s
        .params
        .iter()
        .map(|v| match v {
            Value::Text(t) => JsValue::from_str(t),
            Value::Int(n) => int(*n),
            Value::Null => JsValue::NULL,
        })
        .collect();
    stmt(db, s.sql.as_str(), &params)
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
    for result in batch(db, statements).await.map_err(|e| EdgeError::store(what, e))? {
        rows.extend(result.results::<T>().map_err(|e| EdgeError::store(what, e))?);
    }
    Ok(rows)
}

/// D1 takes numbers as f64 (an i64 would become a BigInt, which D1 refuses).
pub fn int(n: i64) -> JsValue {
    JsValue::from_f64(n as f64)
}

/// `ids` as one bound JSON array, for `IN (SELECT value FROM json_each(?N))`
/// (D1 binds at most 100 parameters to a statement).
pub fn id_list(ids: &[&str]) -> EdgeResult<JsValue> {
    Ok(serde_json::to_string(ids).map_err(|e| EdgeError::internal("id list", e))?.into())
}

/// Text, or SQL NULL.
pub fn opt(s: Option<&str>) -> JsValue {
    s.map_or(JsValue::NULL, JsValue::from_str)
}

/// Current time, unix milliseconds.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}
