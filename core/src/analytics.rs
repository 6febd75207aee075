//! The brand's analytics: the testimonial funnel, ratings over time, the
//! referral funnel with referred revenue, and community activity, per UTC
//! day (`GET /v1/admin/brands/{brand}/analytics`).
//!
//! **Where the numbers come from.** D1 keeps counters per brand, day,
//! event and product (`daily_counts`, migration `0026_analytics.sql`):
//! triggers count what the edge writes (testimonials submitted and
//! approved, ratings, referrers joining, clicks, claims, approved referred
//! purchases and their revenue, rewards, members joining, threads, replies,
//! active members), whichever code path writes it. What only the browser
//! sees (the widget seen, the review form opened, a referral link shared)
//! the loader sends (a keepalive `fetch`, as a beacon) to
//! `POST /v1/brands/{brand}/events` ([`EventBatch`]), which puts it on the
//! `kindred-events` queue and answers at once; the consumer adds a queue
//! batch's counts in one D1 statement. Nothing is written on the
//! first-paint path, and a page view costs no D1 write of its own.
//!
//! **Why not Analytics Engine.** Workers Analytics Engine takes writes
//! through a binding but is read through its SQL HTTP API with an account
//! API token: not from a Worker's bindings, and not under `wrangler dev`, so
//! neither the console nor the tests could read it locally. Counters in D1
//! are one store that works the same locally, in tests and in production;
//! each queue batch is one write. At very high traffic (millions of views
//! a day) Analytics Engine's free writes would cost less: the beacon route
//! is the one place to change.
//!
//! **What a count means.** A view is a widget at least partly on screen
//! once per page load; browser events are not deduplicated per person
//! (Kindred keeps no identifier for that) and can be sent by anyone who
//! can send a request, so they are indicative; the server-side counts are
//! exact. Imported testimonials are the source's history and count nowhere.

use crate::error::{ApiError, ErrorCode};
use serde::{Deserialize, Serialize};

/// Events one beacon may carry, most (the loader sends one).
pub const EVENTS_MAX: usize = 3;
/// Days one request may cover, most (a year and a day).
pub const RANGE_MAX_DAYS: i64 = 366;
/// Days shown when no range is asked for.
pub const RANGE_DEFAULT_DAYS: i64 = 30;
/// Largest accepted beacon body, bytes.
pub const BODY_BYTES_MAX: usize = 4 * 1024;

/// What the browser may count: only what the edge cannot see itself.
pub const CLIENT_EVENTS: [&str; 3] = ["widget_view", "form_open", "link_shared"];
/// Counted per product too (`dim` = the product id), so the testimonial
/// funnel and ratings can be shown for one product.
pub const PER_PRODUCT: [&str; 9] = ["widget_view", "form_open", "submitted", "approved", "rating_1", "rating_2", "rating_3", "rating_4", "rating_5"];

/// `POST /v1/brands/{brand}/events`: what the widget saw (sent by the
/// loader as a string, so as `text/plain`, which needs no CORS preflight;
/// `application/json` works too).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EventBatch {
    /// At most [`EVENTS_MAX`].
    pub events: Vec<ClientEvent>,
}

/// One thing a browser saw.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ClientEvent {
    /// `widget_view`, `form_open` or `link_shared`.
    pub kind: String,
    /// The widget's product, if it shows one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
}

/// A counted event: (`dim`, event); `dim` is `""` for the brand as a whole.
pub type Count = (String, &'static str);

impl EventBatch {
    /// The counters to add one to: each event for the brand and, for
    /// per-product events with a product, for that product.
    ///
    /// # Errors
    /// `validation_failed` on `events` (none, or more than [`EVENTS_MAX`],
    /// or an unknown kind) or `product` (not a product id).
    pub fn counts(&self) -> Result<Vec<Count>, ApiError> {
        let bad = |field: &str, m: String| ApiError::field(ErrorCode::ValidationFailed, field, m);
        if self.events.is_empty() || self.events.len() > EVENTS_MAX {
            return Err(bad("events", format!("1 to {EVENTS_MAX} events")));
        }
        let mut out = Vec::new();
        for e in &self.events {
            let kind = CLIENT_EVENTS.into_iter().find(|k| *k == e.kind).ok_or_else(|| bad("events", format!("kind is one of {}", CLIENT_EVENTS.join(", "))))?;
            out.push((String::new(), kind));
            if let Some(p) = e.product.as_deref().filter(|p| !p.is_empty()) {
                let p = crate::ids::ProductId::in_body(p, "events")?;
                if PER_PRODUCT.contains(&kind) {
                    out.push((p.as_str().to_owned(), kind));
                }
            }
        }
        Ok(out)
    }
}

/// One line of a chart: a counter's value per day, in `days` order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Series {
    /// The counter (`submitted`, `revenue_EUR`, ...).
    pub key: String,
    pub label: String,
    pub values: Vec<i64>,
    /// The sum over the range; for active members (people, not events),
    /// the busiest day's.
    pub total: i64,
}

/// One chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Chart {
    /// `testimonial_funnel`, `ratings`, `referral_funnel`, `revenue`,
    /// `community`.
    pub id: String,
    pub title: String,
    /// What a value is (`count`, or `minor units` for revenue).
    pub unit: String,
    pub series: Vec<Series>,
}

/// `GET /v1/admin/brands/{brand}/analytics`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Analytics {
    /// First and last day, `YYYY-MM-DD` (UTC), both included.
    pub from: String,
    pub to: String,
    /// The product the testimonial funnel and ratings are for; absent:
    /// the whole brand (the other charts are always the whole brand).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    /// Every day of the range, in order.
    pub days: Vec<String>,
    pub charts: Vec<Chart>,
}

/// A chart's id, title and counters with their labels.
pub type ChartSpec = (&'static str, &'static str, &'static [(&'static str, &'static str)]);

/// The charts, their counters and labels (revenue's are one per currency
/// seen in the range).
pub const CHARTS: &[ChartSpec] = &[
    ("testimonial_funnel", "Testimonial funnel", &[("widget_view", "Widget seen"), ("form_open", "Form opened"), ("submitted", "Submitted"), ("approved", "Approved")]),
    ("ratings", "Approvals by stars", &[("rating_5", "5 stars"), ("rating_4", "4 stars"), ("rating_3", "3 stars"), ("rating_2", "2 stars"), ("rating_1", "1 star")]),
    (
        "referral_funnel",
        "Referral funnel",
        &[("referrer_joined", "Joined"), ("link_shared", "Shared"), ("link_clicked", "Clicked"), ("offer_claimed", "Claimed"), ("purchase", "Purchased"), ("reward", "Rewarded")],
    ),
    ("revenue", "Referred revenue", &[]),
    ("community", "Community", &[("member_joined", "New members"), ("thread_started", "Threads"), ("reply_posted", "Replies"), ("active_members", "Active members")]),
];

/// The range asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Range {
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    pub product: Option<String>,
}

impl Range {
    /// From `from`, `to` (`YYYY-MM-DD`) and `product`; by default the last
    /// [`RANGE_DEFAULT_DAYS`] days to `today`.
    ///
    /// # Errors
    /// `bad_request` (400, as for every query parameter) naming `from`,
    /// `to` (not a date, `to` before `from`, more than [`RANGE_MAX_DAYS`])
    /// or `product`.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>, today: chrono::NaiveDate) -> Result<Self, ApiError> {
        let date = |field: &str, v: &str| {
            chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").map_err(|_| ApiError::field(ErrorCode::BadRequest, field, format!("{field} is a date like 2026-11-30")))
        };
        let (mut from, mut to, mut product) = (None, None, None);
        for (k, v) in pairs {
            match k {
                "from" => from = Some(date("from", v)?),
                "to" => to = Some(date("to", v)?),
                "product" if !v.is_empty() => product = Some(crate::ids::ProductId::parse(v)?.as_str().to_owned()),
                _ => {}
            }
        }
        let to = to.unwrap_or(today);
        let from = from.unwrap_or_else(|| to - chrono::Duration::days(RANGE_DEFAULT_DAYS - 1));
        if to < from {
            return Err(ApiError::field(ErrorCode::BadRequest, "to", "to is on or after from"));
        }
        if (to - from).num_days() + 1 > RANGE_MAX_DAYS {
            return Err(ApiError::field(ErrorCode::BadRequest, "from", format!("at most {RANGE_MAX_DAYS} days at a time")));
        }
        Ok(Self { from, to, product })
    }

    pub fn days(&self) -> Vec<String> {
        self.from.iter_days().take_while(|d| *d <= self.to).map(|d| d.format("%Y-%m-%d").to_string()).collect()
    }

    /// Builds the charts from counter rows `(day, dim, event, n)` read by
    /// [`SQL`]: per-product counters from the product's rows when there is
    /// a product, everything else from the brand's.
    pub fn build(&self, rows: &[(String, String, String, i64)]) -> Analytics {
        let days = self.days();
        let index = |d: &str| days.binary_search_by(|x| x.as_str().cmp(d)).ok();
        let wanted_dim = |event: &str| match (&self.product, PER_PRODUCT.contains(&event)) {
            (Some(p), true) => p.as_str(),
            _ => "",
        };
        let series = |key: &str, label: &str| {
            let mut values = vec![0; days.len()];
            for (day, dim, event, n) in rows {
                if event == key && dim == wanted_dim(key) {
                    if let Some(i) = index(day) {
                        values[i] += n;
                    }
                }
            }
            let total = if key == "active_members" { values.iter().copied().max().unwrap_or(0) } else { values.iter().sum() };
            Series { key: key.to_owned(), label: label.to_owned(), total, values }
        };
        let charts = CHARTS
            .iter()
            .map(|(id, title, lines)| {
                let (unit, series) = if *id == "revenue" {
                    let mut currencies: Vec<&str> = rows.iter().filter(|r| r.1.is_empty()).filter_map(|r| r.2.strip_prefix("revenue_")).collect();
                    currencies.sort_unstable();
                    currencies.dedup();
                    ("minor units", currencies.into_iter().map(|c| series(&format!("revenue_{c}"), c)).collect())
                } else {
                    ("count", lines.iter().map(|(k, l)| series(k, l)).collect())
                };
                Chart { id: (*id).to_owned(), title: (*title).to_owned(), unit: unit.to_owned(), series }
            })
            .collect();
        Analytics { from: self.from.format("%Y-%m-%d").to_string(), to: self.to.format("%Y-%m-%d").to_string(), product: self.product.clone(), days, charts }
    }
}

/// The counters of a range: `?1` brand, `?2` first day, `?3` last day,
/// `?4` the product (or `''`). Reads the brand's rows and the product's,
/// by the primary key: (days x events) rows, whatever the brand's size.
pub const SQL: &str = "SELECT day, dim, event, n FROM daily_counts WHERE brand_id = ?1 AND dim = '' AND day BETWEEN ?2 AND ?3 \
    UNION ALL SELECT day, dim, event, n FROM daily_counts WHERE brand_id = ?1 AND dim = ?4 AND ?4 != '' AND day BETWEEN ?2 AND ?3";

/// Adds a queue batch's counts in one statement: `?1` a JSON list of
/// `{"b": brand, "d": dim, "day": "YYYY-MM-DD", "e": event, "n": count}`.
/// A product's own counter only for a product the brand has approved
/// testimonials for (its feed facet): a beacon naming made-up products
/// adds nothing (the brand's own counter still counts it).
pub const ADD: &str = "INSERT INTO daily_counts (brand_id, dim, day, event, n) \
    SELECT json_extract(value, '$.b'), json_extract(value, '$.d'), json_extract(value, '$.day'), json_extract(value, '$.e'), json_extract(value, '$.n') \
    FROM json_each(?1) WHERE EXISTS (SELECT 1 FROM brands WHERE id = json_extract(value, '$.b')) \
    AND (json_extract(value, '$.d') = '' OR EXISTS (SELECT 1 FROM feed_facets f WHERE f.brand_id = json_extract(value, '$.b') AND f.scope = json_extract(value, '$.d') AND f.tag = '' AND f.stars = 0)) \
    ON CONFLICT (brand_id, dim, day, event) DO UPDATE SET n = n + excluded.n";

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> chrono::NaiveDate {
        chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn beacons_count_for_the_brand_and_per_product_only_what_the_browser_sees() {
        let b = EventBatch { events: vec![ClientEvent { kind: "widget_view".into(), product: Some("sku-1".into()) }, ClientEvent { kind: "link_shared".into(), product: Some("sku-1".into()) }] };
        assert_eq!(b.counts().unwrap(), vec![(String::new(), "widget_view"), ("sku-1".to_owned(), "widget_view"), (String::new(), "link_shared")]);
        for (kind, product) in [("submitted", None), ("widget_view", Some("a b"))] {
            let b = EventBatch { events: vec![ClientEvent { kind: kind.into(), product: product.map(str::to_owned) }] };
            assert!(b.counts().is_err(), "{kind}");
        }
        assert!(EventBatch { events: vec![] }.counts().is_err());
        assert!(EventBatch { events: vec![ClientEvent { kind: "widget_view".into(), product: None }; EVENTS_MAX + 1] }.counts().is_err());
        assert_eq!(EVENTS_MAX, 3);
    }

    #[test]
    fn ranges_default_to_thirty_days_and_are_bounded() {
        let r = Range::from_pairs([], day("2026-11-30")).unwrap();
        assert_eq!((r.from, r.days().len()), (day("2026-11-01"), 30));
        assert!(Range::from_pairs([("from", "2026-12-01"), ("to", "2026-11-01")], day("2026-11-30")).is_err());
        assert!(Range::from_pairs([("from", "2024-01-01"), ("to", "2026-11-01")], day("2026-11-30")).is_err());
        assert!(Range::from_pairs([("from", "yesterday")], day("2026-11-30")).is_err());
    }

    #[test]
    fn charts_fill_every_day_and_take_product_rows_only_where_counted_per_product() {
        let r = Range::from_pairs([("from", "2026-11-28"), ("to", "2026-11-30"), ("product", "sku-1")], day("2026-11-30")).unwrap();
        let row = |d: &str, dim: &str, e: &str, n: i64| (d.to_owned(), dim.to_owned(), e.to_owned(), n);
        let a = r.build(&[
            row("2026-11-28", "", "submitted", 9),
            row("2026-11-28", "sku-1", "submitted", 2),
            row("2026-11-30", "sku-1", "submitted", 1),
            row("2026-11-29", "", "referrer_joined", 4),
            row("2026-11-29", "", "revenue_EUR", 12_900),
            row("2026-11-30", "", "revenue_JPY", 5_000),
        ]);
        assert_eq!(a.days, ["2026-11-28", "2026-11-29", "2026-11-30"]);
        let chart = |id: &str| a.charts.iter().find(|c| c.id == id).unwrap();
        let submitted = &chart("testimonial_funnel").series[2];
        assert_eq!((submitted.values.clone(), submitted.total), (vec![2, 0, 1], 3));
        assert_eq!(chart("referral_funnel").series[0].values, vec![0, 4, 0]);
        let revenue = chart("revenue");
        assert_eq!(revenue.series.iter().map(|s| s.label.as_str()).collect::<Vec<_>>(), ["EUR", "JPY"]);
        assert_eq!(revenue.unit, "minor units");
    }
}
