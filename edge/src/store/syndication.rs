//! Reusable testimonials in D1 for feeds and share pages
//! (`kindred_core::syndication`): published, with their authors' consent,
//! read through the partial indexes of migration `0019_syndication.sql`.

use super::testimonials::FeedRow;
use super::{prepared, stmt, Metered};
use crate::errors::{EdgeError, EdgeResult};
use kindred_core::brand::BrandConfig;
use kindred_core::syndication::{Entry, Filter, Order, Product};
use kindred_core::BrandId;
use serde::Deserialize;
use worker::{D1Database, D1Result};

/// What a syndication row has beyond the widget's (`sql::SYNDICATION_EXTRA`).
#[derive(Deserialize)]
struct Extra {
    listed_at: Option<i64>,
    product_id: Option<String>,
    product_name: Option<String>,
    product_url: Option<String>,
    solicited: i64,
}

fn entries(result: &D1Result, config: &BrandConfig) -> EdgeResult<Vec<Entry>> {
    let rows = result.results::<FeedRow>().map_err(|e| EdgeError::store("syndication rows", e))?;
    let extras = result.results::<Extra>().map_err(|e| EdgeError::store("syndication rows", e))?;
    Ok(rows
        .into_iter()
        .zip(extras)
        .map(|(row, x)| Entry {
            listed_at: x.listed_at.unwrap_or(row.created_at),
            t: row.into_view(),
            product: x.product_id.map(|id| Product {
                url: config.product_page(&id, x.product_url.as_deref()),
                name: x.product_name,
                id,
            }),
            solicited: x.solicited != 0,
        })
        .collect())
}

/// The reusable testimonials `f` asks for, in `order`, and one more if
/// there are more; product pages by `config` (`BrandConfig::product_page`).
///
/// # Errors
/// `unavailable` when D1 fails.
pub async fn reusable(db: &D1Database, brand: &BrandId, f: &Filter, order: Order, config: &BrandConfig) -> EdgeResult<Vec<Entry>> {
    let result = prepared(db, &kindred_core::sql::syndication(brand.as_str(), f, order))?
        .all_rows()
        .await
        .map_err(|e| EdgeError::store("syndication query", e))?;
    entries(&result, config)
}

/// Testimonial `id` for its share page, if it is `brand`'s, published and
/// reusable.
///
/// # Errors
/// `unavailable` when D1 fails.
pub async fn shared(db: &D1Database, brand: &BrandId, id: &str, config: &BrandConfig) -> EdgeResult<Option<Entry>> {
    let result = stmt(db, kindred_core::sql::shared_testimonial(), &[brand.as_str().into(), id.into()])?
        .all_rows()
        .await
        .map_err(|e| EdgeError::store("shared testimonial", e))?;
    Ok(entries(&result, config)?.into_iter().next())
}
