//! The first-paint payload, read from D1 in one batch (one round trip).

use super::brands::{Brand, BrandRow, BRAND_COLUMNS};
use super::testimonials::{feed_page, feed_statement, FeedRow};
use kindred_core::context::{Asked, Context, LANGUAGES_MAX};
use kindred_core::widget::TestimonialView;
use super::{stmt, Metered};
use crate::errors::{EdgeError, EdgeResult};
use kindred_core::aspects::AspectSummary;
use kindred_core::referral::{board, BOARD_SHOWN};
use kindred_core::sql;
use kindred_core::testimonial::{FeedQuery, PAGE_DEFAULT};
use kindred_core::widget::{Aggregate, ProductPublic, WidgetPayload};
use kindred_core::{BrandId, ProductId};
use serde::Deserialize;
use wasm_bindgen::JsValue;
use worker::D1Database;

/// Filter chips shown in the widget.
const TAGS_SHOWN: i64 = 12;

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

#[derive(Deserialize)]
struct TagCount {
    tag: String,
}

/// Loads everything for first paint. `None` when the brand does not exist.
/// An unknown product is not an error: a brand may embed the widget on a
/// product nobody has reviewed yet, which shows the empty state.
pub async fn load(db: &D1Database, brand: &BrandId, product: Option<&ProductId>) -> EdgeResult<Option<(Brand, WidgetPayload)>> {
    let b = JsValue::from_str(brand.as_str());
    let p = product.map_or(JsValue::NULL, |p| JsValue::from_str(p.as_str()));
    let query = FeedQuery { product: product.cloned(), limit: PAGE_DEFAULT, ..Default::default() };
    // The scope of the counters: the product, or '' for the whole brand.
    let scope = product.map_or(JsValue::from_str(""), |p| JsValue::from_str(p.as_str()));
    let statements = vec![
        stmt(db, format!("SELECT {BRAND_COLUMNS} FROM brands WHERE id = ?1"), std::slice::from_ref(&b))?,
        stmt(db, "SELECT id, name, url FROM products WHERE brand_id = ?1 AND id = ?2", &[b.clone(), p])?,
        stmt(db, sql::RATING_COUNTS, &[b.clone(), scope.clone()])?,
        stmt(db, sql::TOP_TAGS, &[b.clone(), scope.clone(), super::int(TAGS_SHOWN)])?,
        feed_statement(db, brand, &query)?,
        stmt(db, sql::HAS_GROUPS, std::slice::from_ref(&b))?,
        stmt(db, sql::ASPECTS, &[b.clone(), scope.clone()])?,
        stmt(db, sql::languages(product.is_some()), &[b.clone(), scope, super::int(LANGUAGES_MAX as i64)])?,
        // Nothing unless the brand shows its board (the statement checks).
        stmt(db, sql::LEADERBOARD, &[b, super::int(BOARD_SHOWN as i64)])?,
    ];
    let results = super::batch(db, statements).await.map_err(|e| EdgeError::store("widget batch", e))?;
    let [brand_res, product_res, agg_res, tags_res, feed_res, groups_res, aspects_res, languages_res, board_res] = results.as_slice() else {
        return Err(EdgeError::internal("widget batch", "D1 returned a short batch"));
    };
    let rows = |what: &'static str, e| EdgeError::store(what, e);

    let Some(brand_row) = brand_res.results::<BrandRow>().map_err(|e| rows("brand row", e))?.into_iter().next() else {
        return Ok(None);
    };
    let product_row = product_res.results::<ProductRow>().map_err(|e| rows("product row", e))?.into_iter().next();

    let mut histogram = [0u32; 5];
    for rc in agg_res.results::<RatingCount>().map_err(|e| rows("rating counts", e))? {
        if let Some(slot) = usize::try_from(rc.rating - 1).ok().and_then(|i| histogram.get_mut(i)) {
            *slot = u32::try_from(rc.n).unwrap_or(u32::MAX);
        }
    }
    let tags = tags_res.results::<TagCount>().map_err(|e| rows("tags", e))?.into_iter().map(|t| t.tag).collect();
    let page = feed_page(feed_res.results::<FeedRow>().map_err(|e| rows("feed rows", e))?, &query);

    #[derive(Deserialize)]
    struct Count {
        n: i64,
    }
    let has_groups = groups_res.results::<Count>().map_err(|e| rows("groups", e))?.first().is_some_and(|c| c.n > 0);
    #[derive(Deserialize)]
    struct Aspects {
        summary: String,
    }
    // A summary that does not parse (written by another version) shows
    // nothing rather than failing the first paint; the next rebuild fixes it.
    let aspects = aspects_res
        .results::<Aspects>()
        .map_err(|e| rows("aspects", e))?
        .into_iter()
        .next()
        .and_then(|a| serde_json::from_str::<AspectSummary>(&a.summary).ok())
        .map(|s| s.aspects)
        .unwrap_or_default();
    #[derive(Deserialize)]
    struct Language {
        lang: String,
    }
    let languages = languages_res.results::<Language>().map_err(|e| rows("languages", e))?.into_iter().map(|l| l.lang).take(LANGUAGES_MAX).collect();
    let brand = Brand::from(brand_row);
    let program = &brand.config.referral;
    let ambassadors = if program.shows_board() {
        let rows = board_res.results::<super::referrals::LeaderRow>().map_err(|e| rows("leaderboard", e))?;
        board(rows.into_iter().map(super::referrals::LeaderRow::entry), &program.tiers)
    } else {
        Vec::new()
    };
    let mut public = brand.public();
    public.community = has_groups;
    let payload = WidgetPayload {
        brand: public,
        product: product_row.map(|r| ProductPublic { id: r.id, name: r.name, url: r.url }),
        aggregate: Aggregate::from_histogram(histogram),
        testimonials: page.testimonials,
        next_cursor: page.next_cursor,
        tags,
        aspects,
        languages,
        context: None,
        ambassadors,
        markup: None,
        markup_at: None,
        markup_build: None,
    };
    Ok(Some((brand, payload)))
}

/// The visitor's candidate tags (`kindred_core::context`'s order): the
/// tags of the referrer's own published testimonial (the words their
/// friend is shown, `store::referrals::referrer_voice`) when the code is the
/// brand's; the group's tag for its invite; then the page's. D1 is read only
/// for a code or a group.
///
/// # Errors
/// `unavailable` when D1 fails.
pub async fn context_tags(db: &D1Database, brand: &BrandId, asked: &Asked, now: i64) -> EdgeResult<Vec<String>> {
    let mut tags = Vec::new();
    if let Some(code) = &asked.referral {
        if let Some(r) = super::referrals::referrer_by_code(db, code).await?.filter(|r| r.brand_id == brand.as_str()) {
            if let Some(voice) = super::referrals::referrer_voice(db, brand.as_str(), &r).await? {
                tags.extend(voice.tags);
            }
        }
    }
    if let Some((group, invite)) = &asked.group {
        #[derive(Deserialize)]
        struct Tag {
            tag: String,
        }
        let row: Option<Tag> = stmt(db, sql::GROUP_CONTEXT_TAG, &[brand.as_str().into(), group.as_str().into(), invite.as_str().into(), super::int(now)])?
            .first_row()
            .await
            .map_err(|e| EdgeError::store("group context tag", e))?;
        tags.extend(row.map(|r| r.tag));
    }
    tags.extend(asked.tags.iter().cloned());
    Ok(tags)
}

/// The first page of `plain` (the scope's first-paint payload) ordered
/// for `context`: the scope's testimonials with its tag and in its
/// language, a page of each read in one batch (`kindred_core::sql::feed`
/// with the tag, `kindred_core::sql::in_language`), merged with the plain
/// page by `kindred_core::context::first_page`. `plain` itself (no
/// `context`) when that order is the plain page's.
///
/// # Errors
/// `unavailable` when D1 fails.
pub async fn in_context(db: &D1Database, brand: &BrandId, product: Option<&ProductId>, plain: WidgetPayload, context: Context) -> EdgeResult<WidgetPayload> {
    let b = JsValue::from_str(brand.as_str());
    let scope = product.map_or(JsValue::from_str(""), |p| JsValue::from_str(p.as_str()));
    let mut statements = Vec::new();
    let tagged_query = context.tag.as_ref().map(|t| FeedQuery { product: product.cloned(), tag: Some(t.clone()), limit: PAGE_DEFAULT, ..Default::default() });
    if let Some(q) = &tagged_query {
        statements.push(feed_statement(db, brand, q)?);
    }
    if let Some(lang) = &context.lang {
        statements.push(stmt(db, sql::in_language(product.is_some()), &[b, scope, lang.as_str().into(), super::int(i64::from(PAGE_DEFAULT))])?);
    }
    let results = super::batch(db, statements).await.map_err(|e| EdgeError::store("context batch", e))?;
    let mut results = results.iter();
    let mut views = |what: &'static str| -> EdgeResult<Vec<TestimonialView>> {
        Ok(match results.next() {
            Some(r) => r.results::<FeedRow>().map_err(|e| EdgeError::store(what, e))?.into_iter().map(FeedRow::into_view).collect(),
            None => Vec::new(),
        })
    };
    let tagged = if tagged_query.is_some() { views("tagged rows")? } else { Vec::new() };
    let in_language = if context.lang.is_some() { views("language rows")? } else { Vec::new() };
    match kindred_core::context::reorder(&context, tagged, in_language, &plain.testimonials, plain.next_cursor.as_deref(), PAGE_DEFAULT as usize) {
        Some((testimonials, next_cursor)) => Ok(WidgetPayload { testimonials, next_cursor, context: Some(context), markup: None, markup_at: None, markup_build: None, ..plain }),
        None => Ok(plain),
    }
}
