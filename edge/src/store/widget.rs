//! The first-paint payload, read from D1 in one batch (one round trip).

use super::brands::{Brand, BrandRow, BRAND_COLUMNS};
use crate::errors::{EdgeError, EdgeResult};
use kindred_core::widget::{Aggregate, ProductPublic, TestimonialView, WidgetPayload};
use kindred_core::{BrandId, ProductId};
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::{console_warn, D1Database};

/// Testimonials in the first page.
pub const FIRST_PAGE: i64 = 10;

#[derive(Deserialize)]
struct ProductRow {
    id: String,
    name: String,
    url: Option<String>,
}

#[derive(Deserialize)]
struct RatingCount {
    rating: i64,
    n: i64,
}

/// A testimonial row as the public feed selects it (never the email).
#[derive(Deserialize)]
pub struct FeedRow {
    pub id: String,
    pub author_name: String,
    pub rating: i64,
    pub title: String,
    pub body: String,
    pub tags: String,
    pub verified_buyer: i64,
    pub ambassador: i64,
    pub featured: i64,
    pub helpful_count: i64,
    pub created_at: i64,
}

pub const FEED_COLUMNS: &str = "id, author_name, rating, title, body, tags, verified_buyer, \
     ambassador, featured, helpful_count, created_at";

impl FeedRow {
    pub fn into_view(self) -> TestimonialView {
        let tags = serde_json::from_str(&self.tags).unwrap_or_else(|e| {
            console_warn!("testimonial {}: tags are not a JSON list: {e}", self.id);
            Vec::new()
        });
        TestimonialView {
            rating: u8::try_from(self.rating.clamp(1, 5)).unwrap_or(5),
            helpful_count: u32::try_from(self.helpful_count.max(0)).unwrap_or(u32::MAX),
            id: self.id,
            author_name: self.author_name,
            title: self.title,
            body: self.body,
            tags,
            verified_buyer: self.verified_buyer != 0,
            ambassador: self.ambassador != 0,
            featured: self.featured != 0,
            created_at: self.created_at,
        }
    }
}

/// The cursor after a row: resume strictly older than it.
pub fn cursor_after(row: &TestimonialView) -> String {
    format!("{}.{}", row.created_at, row.id)
}

/// Loads everything for first paint. `None` when the brand does not exist.
/// An unknown product is not an error: a brand may embed the widget on a
/// product nobody has reviewed yet, which shows the empty state.
pub async fn load(
    db: &D1Database,
    brand: &BrandId,
    product: Option<&ProductId>,
) -> EdgeResult<Option<(Brand, WidgetPayload)>> {
    let bind_err = |e| EdgeError::internal("bind widget query", e);
    let b = JsValue::from_str(brand.as_str());
    let p = product.map_or(JsValue::NULL, |p| JsValue::from_str(p.as_str()));
    // `?2 IS NULL OR product_id = ?2`: brand-wide when no product is given.
    let statements = vec![
        db.prepare(format!("SELECT {BRAND_COLUMNS} FROM brands WHERE id = ?1"))
            .bind(&[b.clone()])
            .map_err(bind_err)?,
        db.prepare("SELECT id, name, url FROM products WHERE brand_id = ?1 AND id = ?2")
            .bind(&[b.clone(), p.clone()])
            .map_err(bind_err)?,
        db.prepare(
            "SELECT rating, COUNT(*) AS n FROM testimonials \
             WHERE brand_id = ?1 AND status = 'approved' AND (?2 IS NULL OR product_id = ?2) \
             GROUP BY rating",
        )
        .bind(&[b.clone(), p.clone()])
        .map_err(bind_err)?,
        db.prepare(format!(
            "SELECT {FEED_COLUMNS} FROM testimonials \
             WHERE brand_id = ?1 AND status = 'approved' AND (?2 IS NULL OR product_id = ?2) \
             ORDER BY created_at DESC, id DESC LIMIT ?3"
        ))
        .bind(&[b, p, super::int(FIRST_PAGE + 1)])
        .map_err(bind_err)?,
    ];
    let results = db.batch(statements).await.map_err(|e| EdgeError::store("widget batch", e))?;
    let [brand_res, product_res, agg_res, feed_res] = results.as_slice() else {
        return Err(EdgeError::internal("widget batch", "D1 returned a short batch"));
    };
    let rows = |what: &'static str, e| EdgeError::store(what, e);

    let Some(brand_row) = brand_res.results::<BrandRow>().map_err(|e| rows("brand row", e))?.into_iter().next()
    else {
        return Ok(None);
    };
    let product_row = product_res.results::<ProductRow>().map_err(|e| rows("product row", e))?.into_iter().next();

    let mut histogram = [0u32; 5];
    for rc in agg_res.results::<RatingCount>().map_err(|e| rows("rating counts", e))? {
        if let Some(slot) = usize::try_from(rc.rating - 1).ok().and_then(|i| histogram.get_mut(i)) {
            *slot = u32::try_from(rc.n).unwrap_or(u32::MAX);
        }
    }

    let mut testimonials: Vec<TestimonialView> = feed_res
        .results::<FeedRow>()
        .map_err(|e| rows("feed rows", e))?
        .into_iter()
        .map(FeedRow::into_view)
        .collect();
    let next_cursor = if testimonials.len() as i64 > FIRST_PAGE {
        testimonials.truncate(FIRST_PAGE as usize);
        testimonials.last().map(cursor_after)
    } else {
        None
    };

    let brand = Brand::from(brand_row);
    let payload = WidgetPayload {
        brand: brand.public.clone(),
        product: product_row.map(|r| ProductPublic { id: r.id, name: r.name, url: r.url }),
        aggregate: Aggregate::from_histogram(histogram),
        testimonials,
        next_cursor,
    };
    Ok(Some((brand, payload)))
}
