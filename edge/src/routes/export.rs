//! `GET /v1/admin/brands/{brand}/export/{dataset}`: the brand's data as
//! JSON Lines or CSV, a page at a time (`kindred_core::export`).

use super::Ctx;
use crate::auth;
use crate::errors::{EdgeError, EdgeResult};
use crate::http::set_header;
use crate::request::query;
use crate::store::{int, stmt, Metered};
use kindred_core::export::{rows_within_budget, write, Dataset, Format, Page};
use kindred_core::{BrandId, ErrorCode};
use worker::{Request, Response, ResponseBuilder};

/// One page of `dataset`: `limit` rows, or fewer when they pass
/// `export::PAGE_BYTES`. Headers: `Kindred-Next-Cursor` and a `Link` with
/// `rel="next"` (RFC 8288) while there are more rows; CSV carries its byte
/// order mark and header row on the first page only, so the pages put
/// together are one file.
pub async fn page(req: &Request, cx: &Ctx, brand: &str, dataset: &str) -> EdgeResult<Response> {
    let dataset = Dataset::parse(dataset).ok_or_else(|| EdgeError::api(ErrorCode::RouteNotFound, "no such dataset to export"))?;
    let brand_id = BrandId::parse(brand)?;
    let db = cx.db()?;
    auth::brand_admin(req, &db, &brand_id).await?;
    let pairs = query(req)?;
    let page = Page::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
    let mut rows = stmt(&db, dataset.page_sql(), &[brand_id.as_str().into(), int(page.after), int(i64::from(page.limit) + 1)])?
        .all_rows()
        .await
        .map_err(|e| EdgeError::store("export page", e))?
        .results::<serde_json::Map<String, serde_json::Value>>()
        .map_err(|e| EdgeError::store("export rows", e))?;
    let fit = rows_within_budget(&rows).min(page.limit as usize);
    let more = rows.len() > fit;
    rows.truncate(fit);
    let body = write(dataset, page.format, &rows, page.after == 0).map_err(|e| EdgeError::internal("export", e))?;
    let mut resp = ResponseBuilder::new().with_status(200).fixed(body.into_bytes());
    set_header(&mut resp, "content-type", page.format.content_type());
    set_header(&mut resp, "cache-control", "no-store");
    set_header(&mut resp, "x-content-type-options", "nosniff");
    set_header(
        &mut resp,
        "content-disposition",
        &format!("attachment; filename=\"{}-{}.{}\"", brand_id, dataset.as_str(), page.format.extension()),
    );
    let last = rows.last().and_then(|r| r.get("_row")).and_then(serde_json::Value::as_i64);
    if let (true, Some(next)) = (more, last) {
        set_header(&mut resp, "kindred-next-cursor", &next.to_string());
        let format = match page.format {
            Format::JsonLines => "jsonl",
            Format::Csv => "csv",
        };
        set_header(
            &mut resp,
            "link",
            &format!("</v1/admin/brands/{brand_id}/export/{}?format={format}&limit={}&cursor={next}>; rel=\"next\"", dataset.as_str(), page.limit),
        );
    }
    Ok(resp)
}
