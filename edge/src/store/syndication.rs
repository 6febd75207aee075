//! Reusable testimonials in D1 for feeds and share pages
//! (`kindred_core::syndication`): published, with their authors' consent,
//! read through the partial indexes of migration `0019_syndication.sql`.

use super::testimonials::FeedRow;
use super::{prepared, stmt, Metered};
use crate::errors::{EdgeError, EdgeResult};
use kindred_core::syndication::{product_url, Entry, Filter, Order, Product};
use kindred_core::BrandId;
use serde::Deserialize;
use worker::{D1Database, D1Result};

/// What a syndication row has beyond the widget's (`sql::SYNDICATION_EXTRA`).
#[derive(Deserialize)]
struct Extra {
    product_id: Option<String>,
    product_name: Option<String>,
    product_url: Option<String>,
    solicited: i64,
}

fn entries(result: &D1Result, page_template: Option<&str>) -> EdgeResult<Vec<Entry>> {
    let rows = result.results::<FeedRow>().map_err(|e| EdgeError::store("syndication rows", e))?;
    let extras = result.results::<Extra>().map_err(|e| EdgeError::store("syndication rows", e))?;
    Ok(rows
        .into_iter()
        .zip(extras)
        .map(|(row, x)| Entry {
            t: row.into_view(),
            product: x.product_id.map(|id| Product {
                url: product_url(&id, x.product_url.as_deref(), page_template),
                name: x.product_name,
                id,
            }),
            solicited: x.solicited != 0,
        })
        .collect())
}

/// The reusable testimonials `f` asks for, in `order`; product pages from
/// the `products` table, else `page_template` (the brand's `review_page_url`).
///
/// # Errors
/// `unavailable` when D1 fails.
pub async fn reusable(db: &D1Database, brand: &BrandId, f: &Filter, order: Order, page_template: Option<&str>) -> EdgeResult<Vec<Entry>> {
    let result = prepared(db, &kindred_core::sql::syndication(brand.as_str(), f, order))?
        .all_rows()
        .await
        .map_err(|e| EdgeError::store("syndication query", e))?;
    entries(&result, page_template)
}

/// Testimonial `id` for its share page, if it is `brand`'s, published and
/// reusable.
///
/// # Errors
/// `unavailable` when D1 fails.
pub async fn shared(db: &D1Database, brand: &BrandId, id: &str, page_template: Option<&str>) -> EdgeResult<Option<Entry>> {
    let result = stmt(db, kindred_core::sql::SHARED_TESTIMONIAL, &[brand.as_str().into(), id.into()])?
        .all_rows()
        .await
        .map_err(|e| EdgeError::store("shared testimonial", e))?;
    Ok(entries(&result, page_template)?.into_iter().next())
}
