//! What `GET /v1/widget/{brand}?product=..` returns: everything the widget
//! needs for its first paint in one response.

use serde::{Deserialize, Serialize};

/// The first-paint payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WidgetPayload {
    pub brand: BrandPublic,
    /// Present when the widget sits on a product page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<ProductPublic>,
    pub aggregate: Aggregate,
    /// The first page of approved testimonials, featured first, then newest.
    pub testimonials: Vec<TestimonialView>,
    /// Opaque cursor for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
    /// The interest tags used in approved testimonials, most used first
    /// (the widget's filter chips).
    #[serde(default)]
    pub tags: Vec<String>,
    /// What the scope's published reviews mention most, critical phrases
    /// included (`crate::aspects`); empty until the cron job has built it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aspects: Vec<crate::aspects::Aspect>,
    /// Languages the scope's published testimonials are written in
    /// (primary subtags, at most `crate::context::LANGUAGES_MAX`,
    /// alphabetical): the languages a first page may be ordered for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    /// The visitor's context this first page is ordered for (`crate::context`);
    /// absent on the plain first page. Its `next_cursor` then goes on with
    /// the default order from its start, and the widget leaves out what
    /// it already shows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<crate::context::Context>,
    /// The ambassadors' board (`crate::referral::board`: at most
    /// [`crate::referral::BOARD_SHOWN`] entries, display names only, most
    /// referred purchases first) when the brand's referral programme shows
    /// one and anyone has referred a purchase; empty otherwise. In the first
    /// view's markup (hidden until the widget opens), so opening it loads
    /// and moves nothing. A referred purchase that can change it moves the
    /// brand's copy version (migration 0032).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ambassadors: Vec<crate::referral::LeaderboardEntry>,
    /// The first view as HTML, in the UI locale asked for with `?locale=`
    /// (absent without it): rendered on the edge by the widget's own
    /// components, shown by the loader before the wasm arrives. Shopper
    /// text is escaped; no scripts, no event attributes. Its links and
    /// photos are relative to the edge's base URL (`reviews/acme/how?locale=en`,
    /// `v1/photos/{id}`): the loader resolves them against the URL it was
    /// loaded from, so a shop that serves the edge through a path of its
    /// own gets them there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub markup: Option<String>,
    /// When `markup` was rendered, unix ms (the edge's clock): its relative
    /// dates ("3 weeks ago") are as of then. The loader keeps one while
    /// [`crate::time::relative_unit`] gives the same count and unit at the
    /// shopper's now, and only otherwise writes it again with the browser's
    /// `Intl` (whose locale data takes a cold page tens of milliseconds to
    /// load). Present exactly when `markup` is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub markup_at: Option<i64>,
    /// The widget build `markup` was rendered for (`kindred_core::assets`:
    /// the deployed build, 12 hex; absent when the edge has no build
    /// manifest). A loader of another build (cached from before a deploy)
    /// styles and replays by its own build's rules, which may not fit this
    /// markup: it goes live with its own build's files instead, and shows
    /// the markup, read-only, only if those fail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub markup_build: Option<String>,
}

impl WidgetPayload {
    /// Whether this first paint may be kept as a copy (KV, isolate memory).
    /// A product page Kindred knows nothing about (no product row, no
    /// approved testimonial) is answered but never copied: otherwise any
    /// client could write a copy per invented `?product=` value, and evict
    /// real products' copies.
    pub fn worth_copying(&self, product_asked: bool) -> bool {
        !product_asked || self.product.is_some() || !self.testimonials.is_empty()
    }
}

/// A brand as shoppers may see it (no keys, no settings).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BrandPublic {
    pub id: String,
    pub name: String,
    /// Accent colour for buttons and stars, `#rrggbb`.
    pub accent: String,
    /// Short referral pitch, e.g. "Give 15%, get $10".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incentive: Option<String>,
    /// What a shopper gets for writing a review, if the brand gives
    /// anything (shown with the form; every testimonial written under it is
    /// labelled incentivised). The same whatever the rating
    /// (`crate::incentive`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_incentive: Option<String>,
    /// Present when the brand runs a referral program.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referral: Option<ReferralPublic>,
    /// Whether the brand has community groups.
    #[serde(default)]
    pub community: bool,
}

/// What the widget needs to show the referral program.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReferralPublic {
    /// What a friend gets, e.g. "15% off your first order".
    pub referee_offer: String,
    /// Days a friend's offer holds.
    pub window_days: u32,
    /// Show the ambassador leaderboard.
    pub leaderboard: bool,
    /// The brand emails a referral link to its address on request (it
    /// has a `referral.webhook_url` for `referral.link_requested`): the
    /// widget offers "Email me my link" when an address is taken.
    #[serde(default)]
    pub links_by_email: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductPublic {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// Rating summary over approved testimonials.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Aggregate {
    pub count: u32,
    /// Mean rating rounded to one decimal; 0 when `count` is 0.
    pub average: f32,
    /// Counts of 1..=5 star ratings, index 0 is one star.
    pub histogram: [u32; 5],
}

impl Aggregate {
    /// Builds the summary from per-star counts (index 0 = one star).
    pub fn from_histogram(histogram: [u32; 5]) -> Self {
        let count: u32 = histogram.iter().sum();
        let total: u64 = histogram
            .iter()
            .enumerate()
            .map(|(i, n)| (i as u64 + 1) * u64::from(*n))
            .sum();
        let average = if count == 0 {
            0.0
        } else {
            ((total as f64 / f64::from(count)) * 10.0).round() as f32 / 10.0
        };
        Self { count, average, histogram }
    }
}

/// An approved testimonial as shoppers see it. Never carries the author's email.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TestimonialView {
    pub id: String,
    pub author_name: String,
    /// 1..=5.
    pub rating: u8,
    pub title: String,
    pub body: String,
    /// Interest tags, the micro-communities the author belongs to.
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub verified_buyer: bool,
    #[serde(default)]
    pub ambassador: bool,
    #[serde(default)]
    pub featured: bool,
    #[serde(default)]
    pub helpful_count: u32,
    #[serde(default)]
    pub photos: Vec<crate::photo::PhotoView>,
    /// Written while the brand declared an incentive for reviews (a coupon
    /// or points, whatever the rating): labelled "Incentivised" on the card
    /// (`crate::incentive`).
    #[serde(default)]
    pub incentivised: bool,
    /// Written through a purchase-linked review link the brand sent after
    /// an order (`crate::review_request`); no admin route can set it.
    #[serde(default)]
    pub verified_purchase: bool,
    /// When its author last edited it, unix ms (the card says "edited").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited_at: Option<i64>,
    /// The brand's public reply, if it answered (`crate::reply`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<crate::reply::BrandReply>,
    /// First written on another platform and brought in by the brand
    /// (`crate::import`): labelled "Imported" on the card, so shoppers know
    /// Kindred did not collect it (a review moved from another Kindred edge
    /// was collected by Kindred: not labelled).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub imported: bool,
    /// The language it is written in, a primary subtag (`fa`), when known
    /// (`crate::context::written_in`): the card's `lang` attribute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// Unix time in milliseconds.
    pub created_at: i64,
}

/// A mark on a testimonial's card, wherever it is shown (the widget, the
/// share page, the wall, the email snippet, the feeds): how its author was
/// checked, and what the reader must be told (FTC 16 CFR 465.2 and the EU's
/// Omnibus Directive: incentivised reviews are labelled).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Badge {
    /// Written through a purchase-linked review link.
    Purchase,
    /// Signed in to the brand's shop (and not a verified purchase: one
    /// badge says how the author was checked).
    Verified,
    Ambassador,
    Incentivised,
    /// Brought from another platform (`crate::import`).
    Imported,
}

impl Badge {
    /// The message id of its words (`widget/i18n`).
    pub const fn message(self) -> &'static str {
        match self {
            Self::Purchase => "badge-purchase",
            Self::Verified => "badge-verified",
            Self::Ambassador => "badge-ambassador",
            Self::Incentivised => "badge-incentivised",
            Self::Imported => "badge-imported",
        }
    }

    /// Its CSS classes in the widget.
    pub const fn class(self) -> &'static str {
        match self {
            Self::Purchase => "kr-badge kr-verified kr-purchase",
            Self::Verified => "kr-badge kr-verified",
            Self::Ambassador => "kr-badge kr-ambassador",
            Self::Incentivised => "kr-badge kr-incentivised",
            Self::Imported => "kr-badge kr-imported",
        }
    }

    /// A stable name for machine readers (Atom categories): `purchase`,
    /// `verified`, `ambassador`, `incentivised`, `imported`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Purchase => "purchase",
            Self::Verified => "verified",
            Self::Ambassador => "ambassador",
            Self::Incentivised => "incentivised",
            Self::Imported => "imported",
        }
    }
}

impl TestimonialView {
    /// Its badges, in the order cards show them.
    pub fn badges(&self) -> Vec<Badge> {
        let mut out = Vec::new();
        if self.verified_purchase {
            out.push(Badge::Purchase);
        } else if self.verified_buyer {
            out.push(Badge::Verified);
        }
        if self.ambassador {
            out.push(Badge::Ambassador);
        }
        if self.incentivised {
            out.push(Badge::Incentivised);
        }
        if self.imported {
            out.push(Badge::Imported);
        }
        out
    }
}

/// Five stars as glyphs for a rating rounded to whole stars: `★★★★☆` for 4
/// (0 to 5; outside, clamped).
pub fn star_glyphs(rating: f32) -> String {
    let full = rating.round().clamp(0.0, 5.0) as usize;
    "★".repeat(full) + &"☆".repeat(5 - full)
}

/// A further page of the public feed (`GET /v1/brands/{brand}/testimonials`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeedPage {
    pub testimonials: Vec<TestimonialView>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// The accent Kindred uses for a brand that has not set one (and wherever a
/// stored one is unusable).
pub const DEFAULT_ACCENT: &str = "#0b7a75";

/// Whether `s` is a `#rrggbb` colour, the only form the widget puts in a
/// style attribute.
pub fn is_hex_color(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s.bytes().skip(1).all(|b| b.is_ascii_hexdigit())
}

/// What the edge writes into the loader's first-paint slot
/// (`crate::assets::LOADER_FIRST_PAINT_SLOT`): the JavaScript object
/// `{"query": query, "text": text}`. JSON is JavaScript since ES2019;
/// before it, a line or paragraph separator (U+2028, U+2029) inside a
/// string literal was a syntax error, so both are written as escapes: no
/// text can keep an older engine from running the loader.
pub fn loader_slot(query: &str, text: &str) -> String {
    let slot = serde_json::json!({ "query": query, "text": text }).to_string();
    slot.replace('\u{2028}', "\\u2028").replace('\u{2029}', "\\u2029")
}

/// What the edge writes into the loader's first-paint slot for a page the
/// brand does not allow (its `Origin` not among `allowed_origins`):
/// `{"refused": origin}`. The loader then tells the page's developer, in
/// one console warning, what to change, instead of sending a request the
/// browser would refuse (a CORS error says nothing of why). `origin` is
/// a serialized origin (`crate::Origin`: ASCII, no line separators).
pub fn loader_refused_slot(origin: &str) -> String {
    serde_json::json!({ "refused": origin }).to_string()
}

/// A language tag as the loader takes one from `data-locale` or its
/// URL's `locale` (BCP 47's shape, loosely:
/// `^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$`, widget/loader/embed.js
/// `checked`), at most 35 characters (the route's limit; RFC 5646 4.4.1
/// advises room for 35).
pub fn is_language_tag(s: &str) -> bool {
    if s.len() > 35 {
        return false;
    }
    let mut parts = s.split(['-', '_']);
    let first_ok = parts.next().is_some_and(|p| (2..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic()));
    first_ok && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The first-paint query (`GET /v1/widget/{brand}?...`) the loader makes
/// for a tag that names its `product` (if any) and its `locale`, on a page
/// with no context tags and no referral or invite on its URL, exactly as
/// its `URLSearchParams` writes it (WHATWG
/// application/x-www-form-urlencoded): `product`, then `locale` (`ui`: the
/// UI's language, the tag's narrowed to one Kindred ships, else `en`),
/// then `lang` (the page's: the tag's as given). widget/loader/embed.js
/// `request` is the other side: `GET /v1/embed/{brand}` writes its answer
/// into the loader for this query, and the loader uses it only if it
/// would ask this very string.
pub fn loader_query(product: Option<&crate::ProductId>, ui: &str, lang: &str) -> String {
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    if let Some(p) = product {
        q.append_pair("product", p.as_str());
    }
    q.append_pair("locale", ui).append_pair("lang", lang);
    q.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_loader_slot_is_javascript_for_any_text() {
        let text = "{\"body\":\"a\\u2028b \u{2028} \u{2029} </script> \\\" '\"}";
        let slot = loader_slot("locale=en&lang=en", text);
        assert!(!slot.contains('\u{2028}') && !slot.contains('\u{2029}'), "{slot}");
        // Read back as JSON (what it is, escapes included), it is what was given.
        let v: serde_json::Value = serde_json::from_str(&slot).unwrap();
        assert_eq!((v["query"].as_str(), v["text"].as_str()), (Some("locale=en&lang=en"), Some(text)));
    }

    #[test]
    fn the_loader_query_is_written_as_the_loader_writes_it() {
        let p = |s: &str| crate::ProductId::parse(s).unwrap();
        assert_eq!(loader_query(Some(&p("trail-runner-2")), "en", "en"), "product=trail-runner-2&locale=en&lang=en");
        assert_eq!(loader_query(None, "pt", "pt-BR"), "locale=pt&lang=pt-BR");
        assert_eq!(loader_query(Some(&p("a.b_C")), "en", "sv"), "product=a.b_C&locale=en&lang=sv");
        for ok in ["en", "pt-BR", "zh_Hant_TW", "ast"] {
            assert!(is_language_tag(ok), "{ok}");
        }
        let long = format!("en{}", "-abcdefgh".repeat(4));
        for bad in ["", "e", "english", "e n", "en-", "en-toolongpart", "1a", "en-€", &long] {
            assert!(!is_language_tag(bad), "{bad}");
        }
    }
    use proptest::prelude::*;

    #[test]
    fn aggregate_of_nothing_is_zero() {
        let a = Aggregate::from_histogram([0; 5]);
        assert_eq!(a.count, 0);
        assert_eq!(a.average, 0.0);
    }

    #[test]
    fn aggregate_rounds_to_one_decimal() {
        // (5*2 + 4*1) / 3 = 4.666..
        let a = Aggregate::from_histogram([0, 0, 0, 1, 2]);
        assert_eq!(a.count, 3);
        assert_eq!(a.average, 4.7);
    }

    #[test]
    fn payload_round_trips_and_omits_empty_optionals() {
        let p = WidgetPayload {
            brand: BrandPublic { id: "acme".into(), name: "Acme".into(), accent: "#0b7a75".into(), incentive: None, review_incentive: None, referral: None, community: false },
            product: None,
            aggregate: Aggregate::default(),
            testimonials: vec![],
            next_cursor: None,
            tags: vec![],
            aspects: vec![],
            languages: vec![],
            context: None,
            ambassadors: vec![],
            markup: None,
            markup_at: None,
            markup_build: None,
        };
        let json = serde_json::to_string(&p).unwrap();
        assert!(!json.contains("product"));
        assert!(!json.contains("ambassadors"));
        assert!(!json.contains("next_cursor"));
        assert_eq!(serde_json::from_str::<WidgetPayload>(&json).unwrap(), p);
    }

    #[test]
    fn hex_colors() {
        assert!(is_hex_color("#0b7a75"));
        for bad in ["0b7a75", "#0b7a7", "#0b7a75;", "red", "#zzzzzz", "#0b7a75\"};x:"] {
            assert!(!is_hex_color(bad), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn average_is_within_rating_range(h in proptest::array::uniform5(0u32..10_000)) {
            let a = Aggregate::from_histogram(h);
            if a.count > 0 {
                prop_assert!((1.0..=5.0).contains(&a.average));
            }
        }
    }
}
