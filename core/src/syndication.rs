//! Syndication: what the community wrote, read outside the widget.
//!
//! Feed readers, the brand's email tool, social schedulers and Google
//! Merchant Center fetch these from the edge
//! (`GET /v1/brands/{brand}/feeds/{format}`, and one share page per
//! testimonial at `/t/{brand}/{id}`). Everything here carries only
//! testimonials that are published **and** whose authors agreed to their
//! reuse (`crate::consent`): the brand's own product pages show every
//! published testimonial through the widget, but a feed leaves the brand's
//! site (ads, social posts, emails), which is what the shopper was asked
//! about. A withdrawn consent takes the item out of the next fetch.
//!
//! Formats, each from its specification:
//! - [JSON Feed 1.1](https://www.jsonfeed.org/version/1.1/): [`json_feed`];
//!   Kindred's own fields go in the `_kindred` extension object, as the
//!   spec reserves `_`-prefixed keys for extensions.
//! - Atom ([RFC 4287](https://www.rfc-editor.org/rfc/rfc4287)): [`atom`].
//! - Google's product reviews feed, schema 2.4
//!   (<https://developers.google.com/product-review-feeds/schema>):
//!   [`merchant`]. Google needs a product page for each review, so only
//!   reviews of a product Kindred can link to are in it
//!   (`BrandConfig::product_page`). Google treats every fetch as the full
//!   feed (reviews missing from it are deleted), so it takes no filter but
//!   `product`, and holds up to [`MERCHANT_MAX`] reviews; a brand with more
//!   registers one feed per product.
//! - An email snippet (HTML, tables and inline styles, as email clients
//!   need): rendered by the edge with the widget's words.
//!
//! Order: feeds list testimonials by when they became reusable
//! (`listed_at`: approved and consented, whichever came last), so one
//! approved after a hold, or consented later, still reaches subscribers as
//! a new item.
//!
//! Bounds (D1 bills rows read): a request reads, through a partial index
//! (migrations `0019_syndication.sql`, `0020_listed_at.sql`), the newest
//! `limit` reusable testimonials of its scope when it filters nothing, else
//! at most [`WALK`] of them, and filters those; a brand with more sees its
//! filters applied to its newest [`WALK`].

use crate::error::{ApiError, ErrorCode};
use crate::ids::ProductId;
use crate::photo::PhotoView;
use crate::widget::TestimonialView;
use serde::Serialize;

/// Reusable testimonials a request reads at most, newest first, before
/// its filters.
pub const WALK: u32 = 2000;
/// Items in a JSON Feed or Atom document: default and most.
pub const ITEMS_DEFAULT: u32 = 20;
pub const ITEMS_MAX: u32 = 50;
/// Testimonials in an email snippet: default and most.
pub const EMAIL_DEFAULT: u32 = 3;
pub const EMAIL_MAX: u32 = 10;
/// Reviews in one Merchant Center feed (Google re-fetches the whole file on
/// its schedule and deletes what a fetch lacks; above this, one feed per
/// product).
pub const MERCHANT_MAX: u32 = 5000;

/// The feed formats, as the path names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JSON Feed 1.1 (`application/feed+json`).
    Json,
    /// Atom 1.0 (`application/atom+xml`).
    Atom,
    /// Google's product reviews feed 2.3 (`application/xml`).
    Merchant,
    /// An HTML snippet for emails (`text/html`).
    Email,
}

impl Format {
    /// `json`, `atom`, `merchant` or `email`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "json" => Some(Self::Json),
            "atom" => Some(Self::Atom),
            "merchant" => Some(Self::Merchant),
            "email" => Some(Self::Email),
            _ => None,
        }
    }

    /// As the path names it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Atom => "atom",
            Self::Merchant => "merchant",
            Self::Email => "email",
        }
    }

    /// The `Content-Type` it is served with.
    pub const fn content_type(self) -> &'static str {
        match self {
            Self::Json => "application/feed+json; charset=utf-8",
            Self::Atom => "application/atom+xml; charset=utf-8",
            Self::Merchant => "application/xml; charset=utf-8",
            Self::Email => "text/html; charset=utf-8",
        }
    }

    /// Which reusable testimonials come first: the email shows the best
    /// (most stars, then most helpful, then newest); feeds the newest.
    pub const fn order(self) -> Order {
        match self {
            Self::Email => Order::Top,
            _ => Order::Newest,
        }
    }
}

/// The order a request reads in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    Newest,
    Top,
}

/// What a feed request asks for, validated (`min_rating` 1-5, `photos`,
/// `tag`, `product`, `limit`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    pub product: Option<ProductId>,
    /// A normalised interest tag (`crate::testimonial::normalize_tags`).
    pub tag: Option<String>,
    /// Only testimonials with at least this many stars (1: all).
    pub min_rating: u8,
    /// Only testimonials with photos.
    pub photos: bool,
    /// Items in the answer.
    pub limit: u32,
}

impl Filter {
    /// From the query string's pairs for `format`; unknown keys are
    /// ignored (feed readers add their own), bad values refused.
    ///
    /// # Errors
    /// `bad_request` naming the parameter: a malformed product id or tag,
    /// `min_rating` outside 1-5, `photos` other than `true`/`false`,
    /// `limit` outside 1 to the format's most ([`ITEMS_MAX`],
    /// [`EMAIL_MAX`]); on the Merchant Center feed, any filter but
    /// `product` (Google deletes reviews a fetch lacks, and reviews may not
    /// be picked by rating).
    pub fn from_pairs<'a>(format: Format, pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Self, ApiError> {
        let bad = |field: &str, msg: String| ApiError::field(ErrorCode::BadRequest, field, msg);
        let (default, max) = match format {
            Format::Json | Format::Atom => (ITEMS_DEFAULT, ITEMS_MAX),
            Format::Email => (EMAIL_DEFAULT, EMAIL_MAX),
            Format::Merchant => (MERCHANT_MAX, MERCHANT_MAX),
        };
        let mut f = Filter { product: None, tag: None, min_rating: 1, photos: false, limit: default };
        for (k, v) in pairs {
            match k {
                "product" if !v.is_empty() => f.product = Some(ProductId::parse(v)?),
                "tag" if !v.is_empty() => {
                    let tags = crate::testimonial::normalize_tags(&[v.to_owned()]).map_err(|e| bad("tag", e.message))?;
                    f.tag = Some(tags.into_iter().next().ok_or_else(|| bad("tag", "tag is an interest tag, not blank".into()))?);
                }
                "min_rating" if !v.is_empty() => {
                    f.min_rating = v.parse::<u8>().ok().filter(|r| (1..=5).contains(r)).ok_or_else(|| bad("min_rating", "min_rating is 1 to 5".into()))?;
                }
                "photos" => {
                    f.photos = match v {
                        "true" | "1" => true,
                        "false" | "0" | "" => false,
                        _ => return Err(bad("photos", "photos is true or false".into())),
                    }
                }
                "limit" if !v.is_empty() && format != Format::Merchant => {
                    f.limit = v.parse::<u32>().ok().filter(|n| (1..=max).contains(n)).ok_or_else(|| bad("limit", format!("limit is 1 to {max}")))?;
                }
                _ => {}
            }
        }
        if format == Format::Merchant {
            for (set, name) in [(f.tag.is_some(), "tag"), (f.min_rating > 1, "min_rating"), (f.photos, "photos")] {
                if set {
                    return Err(bad(name, format!("the Merchant Center feed is every review (Google deletes what a fetch lacks): {name} cannot filter it; product can")));
                }
            }
        }
        Ok(f)
    }

    /// Whether it filters the scope's testimonials (otherwise a request
    /// reads only the `limit` newest).
    pub fn filters(&self) -> bool {
        self.tag.is_some() || self.min_rating > 1 || self.photos
    }

    /// The query string that asks for this filter again (a feed's own
    /// URL), parameters in a fixed order; empty for the defaults of `format`.
    pub fn query(&self, format: Format) -> String {
        let mut parts = Vec::new();
        if let Some(p) = &self.product {
            parts.push(format!("product={}", url_component(p.as_str())));
        }
        if let Some(t) = &self.tag {
            parts.push(format!("tag={}", url_component(t)));
        }
        if self.min_rating > 1 {
            parts.push(format!("min_rating={}", self.min_rating));
        }
        if self.photos {
            parts.push("photos=true".into());
        }
        let default = match format {
            Format::Json | Format::Atom => ITEMS_DEFAULT,
            Format::Email => EMAIL_DEFAULT,
            Format::Merchant => MERCHANT_MAX,
        };
        if self.limit != default && format != Format::Merchant {
            parts.push(format!("limit={}", self.limit));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }
}

/// Encodes a query value as `application/x-www-form-urlencoded` does
/// (WHATWG URL: alphanumerics and `*-._` pass, space is `+`).
fn url_component(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// A product a testimonial is about, as far as Kindred knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    pub id: String,
    /// Its name, if the brand gave one.
    pub name: Option<String>,
    /// Its page (`BrandConfig::product_page`).
    pub url: Option<String>,
}

/// One reusable testimonial with what feeds add to the widget's view.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub t: TestimonialView,
    /// When it became reusable (approved and consented, whichever came
    /// last), unix ms: its place and date in feeds.
    pub listed_at: i64,
    pub product: Option<Product>,
    /// Written through a review request after an order (Merchant Center's
    /// `post_fulfillment`); otherwise `unsolicited`.
    pub solicited: bool,
}

/// Who publishes a feed, and where things are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Channel {
    pub brand_id: String,
    pub brand_name: String,
    /// The edge's base URL, ending in `/` (`https://kindred.example/`).
    pub edge: String,
    /// The brand's site (its first allowed origin or referral landing page).
    pub home_page_url: Option<String>,
    /// This document's own URL, with its query.
    pub feed_url: String,
    /// What the feed holds, for its title: the product's name or id, `#tag`.
    pub subject: Option<String>,
}

impl Channel {
    /// The share page of testimonial `id` (its permanent public URL).
    pub fn share_url(&self, id: &str) -> String {
        format!("{}t/{}/{}", self.edge, self.brand_id, id)
    }

    /// The share card's absolute URL (`/t/{brand}/{id}/card.png`).
    pub fn card_url(&self, id: &str) -> String {
        format!("{}t/{}/{}/card.png", self.edge, self.brand_id, id)
    }

    /// A photo's absolute URL (`PhotoView::url` is a path on the edge).
    pub fn photo_url(&self, p: &PhotoView) -> String {
        format!("{}{}", self.edge, p.url.trim_start_matches('/'))
    }

    /// "Acme · Trail Runner 2": the brand and what the feed holds.
    pub fn title(&self) -> String {
        match &self.subject {
            Some(s) => format!("{} · {s}", self.brand_name),
            None => self.brand_name.clone(),
        }
    }
}

/// RFC 3339 in UTC with milliseconds (`2026-12-01T10:00:00.000Z`), the
/// form Atom (RFC 4287 §3.3), JSON Feed and `xs:dateTime` all accept.
pub fn rfc3339(unix_ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(unix_ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Five stars as glyphs for a whole rating (`crate::widget::star_glyphs`).
pub fn star_glyphs(rating: u8) -> String {
    crate::widget::star_glyphs(f32::from(rating))
}

/// `text` cut to at most `max` characters, at a word boundary when one is
/// past half of it, never inside a grapheme cluster (an emoji with its
/// skin tone, a flag, a letter with its marks), with `…` when cut.
pub fn excerpt(text: &str, max: usize) -> String {
    use unicode_segmentation::UnicodeSegmentation;
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut kept = 0;
    let mut end = 0;
    let mut last_space = None;
    for (at, g) in text.grapheme_indices(true) {
        let n = g.chars().count();
        if kept + n > max {
            break;
        }
        if g.chars().all(char::is_whitespace) && kept > max / 2 {
            last_space = Some(at);
        }
        kept += n;
        end = at + g.len();
    }
    let cut = last_space.unwrap_or(end);
    format!("{}…", text[..cut].trim_end())
}

/// An entry's title: its own, or its stars and author (Atom requires one).
fn entry_title(t: &TestimonialView) -> String {
    if t.title.trim().is_empty() {
        format!("{} {}", star_glyphs(t.rating), t.author_name)
    } else {
        t.title.clone()
    }
}

/// Text for XML (and HTML) character data and attribute values
/// ([`crate::text::escape_markup`]).
pub fn xml_text(s: &str) -> String {
    crate::text::escape_markup(s)
}

#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    home_page_url: Option<&'a str>,
    feed_url: &'a str,
    authors: [JsonAuthor<'a>; 1],
    items: Vec<JsonItem<'a>>,
}

#[derive(Serialize)]
struct JsonAuthor<'a> {
    name: &'a str,
}

#[derive(Serialize)]
struct JsonItem<'a> {
    id: String,
    url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    content_text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<String>,
    date_published: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    authors: [JsonAuthor<'a>; 1],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    tags: &'a [String],
    _kindred: JsonKindred<'a>,
}

/// Kindred's extension of a JSON Feed item (`_kindred`).
#[derive(Serialize)]
struct JsonKindred<'a> {
    /// 1 to 5.
    rating: u8,
    /// `purchase`, `verified`, `ambassador`, `incentivised`
    /// (`crate::widget::Badge`): an incentivised review must say so
    /// wherever it is shown.
    badges: Vec<&'static str>,
    /// When its author wrote it (`date_published` is when it became
    /// reusable).
    written: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    product: Option<JsonProduct<'a>>,
    photos: Vec<JsonPhoto>,
}

#[derive(Serialize)]
struct JsonProduct<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonPhoto {
    url: String,
    width: u32,
    height: u32,
}

/// The JSON Feed 1.1 document (serialised): `version`, `title`,
/// `home_page_url`, `feed_url`, `authors` (the brand), and one item per
/// entry with `id` (its share page URL, which is permanent), `url`,
/// `title` (when the author gave one), `content_text`, `image` (the first
/// photo), `date_published`, `date_modified` (when edited), `authors`,
/// `tags` and `_kindred` (`rating`, `badges`, `written`, `product`,
/// `photos`). `date_published` is when it became reusable.
pub fn json_feed(ch: &Channel, entries: &[Entry]) -> String {
    let items = entries
        .iter()
        .map(|e| {
            let t = &e.t;
            JsonItem {
                id: ch.share_url(&t.id),
                url: ch.share_url(&t.id),
                title: (!t.title.trim().is_empty()).then_some(t.title.as_str()),
                content_text: &t.body,
                image: t.photos.first().map(|p| ch.photo_url(p)),
                date_published: rfc3339(e.listed_at),
                date_modified: t.edited_at.map(rfc3339),
                authors: [JsonAuthor { name: &t.author_name }],
                tags: &t.tags,
                _kindred: JsonKindred {
                    rating: t.rating,
                    badges: t.badges().into_iter().map(crate::widget::Badge::as_str).collect(),
                    written: rfc3339(t.created_at),
                    product: e.product.as_ref().map(|p| JsonProduct { id: &p.id, name: p.name.as_deref(), url: p.url.as_deref() }),
                    photos: t.photos.iter().map(|p| JsonPhoto { url: ch.photo_url(p), width: p.width, height: p.height }).collect(),
                },
            }
        })
        .collect();
    let doc = JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title: ch.title(),
        home_page_url: ch.home_page_url.as_deref(),
        feed_url: &ch.feed_url,
        authors: [JsonAuthor { name: &ch.brand_name }],
        items,
    };
    serde_json::to_string(&doc).unwrap_or_else(|_| "{}".into())
}

/// The newest change among `entries` (published or edited), or `now` for
/// an empty feed (Atom's `updated` is required).
fn updated(entries: &[Entry], now_ms: i64) -> i64 {
    entries.iter().map(entry_updated).max().unwrap_or(now_ms)
}

/// When an entry last changed for a reader: listed, or edited since.
fn entry_updated(e: &Entry) -> i64 {
    e.t.edited_at.unwrap_or(e.listed_at).max(e.listed_at)
}

/// The Atom 1.0 document (RFC 4287): the feed's `id` and `self` link are
/// its own URL, `alternate` the brand's site, the brand its `author`;
/// each entry's `id` and `alternate` link are the share page, its `title`
/// the author's or stars and name, `published`, `updated`, the author's
/// display name, one `category` per tag, `enclosure` links to its photos
/// and the text as `content type="text"`.
pub fn atom(ch: &Channel, entries: &[Entry], now_ms: i64) -> String {
    let mut x = String::with_capacity(1024 + entries.len() * 1024);
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">");
    let feed_url = xml_text(&ch.feed_url);
    x.push_str(&format!("<id>{feed_url}</id><title type=\"text\">{}</title><updated>{}</updated>", xml_text(&ch.title()), rfc3339(updated(entries, now_ms))));
    x.push_str(&format!("<link rel=\"self\" type=\"application/atom+xml\" href=\"{feed_url}\"/>"));
    if let Some(home) = &ch.home_page_url {
        x.push_str(&format!("<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>", xml_text(home)));
    }
    x.push_str(&format!("<author><name>{}</name></author><generator>Kindred</generator>", xml_text(&ch.brand_name)));
    for e in entries {
        let t = &e.t;
        let share = xml_text(&ch.share_url(&t.id));
        x.push_str(&format!(
            "<entry><id>{share}</id><title type=\"text\">{}</title><published>{}</published><updated>{}</updated>\
             <author><name>{}</name></author><link rel=\"alternate\" type=\"text/html\" href=\"{share}\"/>",
            xml_text(&entry_title(t)),
            rfc3339(e.listed_at),
            rfc3339(entry_updated(e)),
            xml_text(&t.author_name),
        ));
        for p in &t.photos {
            x.push_str(&format!("<link rel=\"enclosure\" href=\"{}\"/>", xml_text(&ch.photo_url(p))));
        }
        for tag in &t.tags {
            x.push_str(&format!("<category term=\"{}\"/>", xml_text(tag)));
        }
        for b in t.badges() {
            x.push_str(&format!("<category scheme=\"{BADGE_SCHEME}\" term=\"{}\"/>", b.as_str()));
        }
        x.push_str(&format!("<content type=\"text\">{}</content></entry>", xml_text(&t.body)));
    }
    x.push_str("</feed>\n");
    x
}

/// The Atom category scheme of a testimonial's badges
/// (`crate::widget::Badge::as_str`).
pub const BADGE_SCHEME: &str = "urn:kindred:badge";

/// Google's product reviews feed, schema 2.4: the brand as `publisher`,
/// Kindred as `aggregator`, and one `review` per entry that has a product
/// page: `review_id`, `reviewer/name`, `review_timestamp`, `title` (when
/// given), `content`, `review_url` (the share page, `singleton`),
/// `reviewer_images`, `ratings/overall` (1 to 5), `products/product`
/// (its id as `product_ids/skus/sku` and the brand as `brands/brand`,
/// `product_name` when known, `product_url`), `is_verified_purchase`,
/// `is_incentivized_review` and `collection_method`
/// (`post_fulfillment` for reviews written from a review request after an
/// order, else `unsolicited`). Entries without a product page are left out
/// (Google requires one).
pub fn merchant(ch: &Channel, entries: &[Entry]) -> String {
    let mut x = String::with_capacity(1024 + entries.len() * 1024);
    x.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns:vc=\"http://www.w3.org/2007/XMLSchema-versioning\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:noNamespaceSchemaLocation=\"http://www.google.com/shopping/reviews/schema/product/2.4/product_reviews.xsd\">\
         <version>2.4</version><aggregator><name>Kindred</name></aggregator>",
    );
    x.push_str(&format!("<publisher><name>{}</name></publisher>", xml_text(&ch.brand_name)));
    let reviewed: Vec<(&Entry, &Product, &str)> = entries
        .iter()
        .filter_map(|e| e.product.as_ref().and_then(|p| p.url.as_deref().map(|u| (e, p, u))))
        .collect();
    if !reviewed.is_empty() {
        x.push_str("<reviews>");
    }
    for (e, p, page) in reviewed {
        let t = &e.t;
        x.push_str(&format!(
            "<review><review_id>{}</review_id><reviewer><name>{}</name></reviewer>\
             <is_verified_purchase>{}</is_verified_purchase><is_incentivized_review>{}</is_incentivized_review>\
             <review_timestamp>{}</review_timestamp>",
            xml_text(&t.id),
            xml_text(&t.author_name),
            t.verified_purchase,
            t.incentivised,
            rfc3339(t.created_at),
        ));
        if !t.title.trim().is_empty() {
            x.push_str(&format!("<title>{}</title>", xml_text(&t.title)));
        }
        x.push_str(&format!(
            "<content>{}</content><review_url type=\"singleton\">{}</review_url>",
            xml_text(&t.body),
            xml_text(&ch.share_url(&t.id)),
        ));
        if !t.photos.is_empty() {
            x.push_str("<reviewer_images>");
            for ph in &t.photos {
                x.push_str(&format!("<reviewer_image><url>{}</url></reviewer_image>", xml_text(&ch.photo_url(ph))));
            }
            x.push_str("</reviewer_images>");
        }
        x.push_str(&format!(
            "<ratings><overall min=\"1\" max=\"5\">{}</overall></ratings><products><product>\
             <product_ids><skus><sku>{}</sku></skus><brands><brand>{}</brand></brands></product_ids>",
            t.rating,
            xml_text(&p.id),
            xml_text(&ch.brand_name),
        ));
        if let Some(name) = p.name.as_deref().filter(|n| !n.trim().is_empty()) {
            x.push_str(&format!("<product_name>{}</product_name>", xml_text(name)));
        }
        x.push_str(&format!(
            "<product_url>{}</product_url></product></products><collection_method>{}</collection_method></review>",
            xml_text(page),
            if e.solicited { "post_fulfillment" } else { "unsolicited" },
        ));
    }
    if x.ends_with("</review>") {
        x.push_str("</reviews>");
    }
    x.push_str("</feed>\n");
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, rating: u8, title: &str, body: &str) -> Entry {
        Entry {
            t: TestimonialView {
                id: id.into(),
                author_name: "Ana".into(),
                rating,
                title: title.into(),
                body: body.into(),
                tags: vec!["vegan".into()],
                verified_buyer: false,
                ambassador: false,
                featured: false,
                helpful_count: 0,
                photos: vec![PhotoView { id: "p1".into(), url: "/v1/photos/p1".into(), width: 800, height: 600 }],
                incentivised: false,
                verified_purchase: true,
                edited_at: None,
                reply: None,
                imported: false,
                lang: None,
                created_at: 1_764_583_200_000,
            },
            listed_at: 1_764_583_200_000,
            product: Some(Product { id: "trail-runner-2".into(), name: Some("Trail Runner 2".into()), url: Some("https://shop.example/p/trail-runner-2".into()) }),
            solicited: false,
        }
    }

    fn channel() -> Channel {
        Channel {
            brand_id: "acme".into(),
            brand_name: "Acme & Co".into(),
            edge: "https://edge.example/".into(),
            home_page_url: Some("https://shop.example/".into()),
            feed_url: "https://edge.example/v1/brands/acme/feeds/atom?tag=vegan&min_rating=4".into(),
            subject: None,
        }
    }

    #[test]
    fn filters_parse_and_round_trip() {
        let f = Filter::from_pairs(Format::Json, [("tag", "Vegan"), ("min_rating", "4"), ("photos", "true"), ("limit", "5"), ("utm_source", "x")]).unwrap();
        assert_eq!(f.tag.as_deref(), Some("vegan"));
        assert_eq!((f.min_rating, f.photos, f.limit), (4, true, 5));
        assert_eq!(f.query(Format::Json), "?tag=vegan&min_rating=4&photos=true&limit=5");
        let again = Filter::from_pairs(Format::Json, url::form_urlencoded::parse(&f.query(Format::Json).as_bytes()[1..]).collect::<Vec<_>>().iter().map(|(k, v)| (k.as_ref(), v.as_ref()))).unwrap();
        assert_eq!(again, f);
        assert_eq!(Filter::from_pairs(Format::Email, []).unwrap().limit, EMAIL_DEFAULT);
        assert_eq!(Filter::from_pairs(Format::Merchant, [("limit", "9999")]).unwrap().limit, MERCHANT_MAX, "the Merchant feed ignores limit");
        for (k, v, field) in [("min_rating", "0", "min_rating"), ("min_rating", "six", "min_rating"), ("photos", "yes", "photos"), ("limit", "51", "limit"), ("product", "bad id!", "product")] {
            let e = Filter::from_pairs(Format::Atom, [(k, v)]).unwrap_err();
            assert_eq!(e.code, ErrorCode::BadRequest, "{k}={v}");
            if k != "product" {
                assert_eq!(e.field.as_deref(), Some(field), "{k}={v}");
            }
        }
        assert!(Filter::from_pairs(Format::Email, [("limit", "11")]).is_err());
    }

    #[test]
    fn xml_text_escapes_markup_and_drops_what_xml_forbids() {
        assert_eq!(xml_text("a<b>&\"c'\u{0}\u{8}\t\n\u{FFFF}é😀"), "a&lt;b&gt;&amp;&quot;c&apos;\t\né😀");
    }

    #[test]
    fn dates_are_rfc3339_utc() {
        assert_eq!(rfc3339(1_764_583_200_000), "2025-12-01T10:00:00.000Z");
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000Z");
    }

    #[test]
    fn excerpts_cut_at_words_and_never_inside_a_grapheme() {
        assert_eq!(excerpt("short", 10), "short");
        let arabic = format!("{} {}", "ب".repeat(75), "a".repeat(300));
        assert_eq!(excerpt(&arabic, 280).chars().count(), 281, "a long word is cut, not dropped: {}", excerpt(&arabic, 280));
        let flags = "🇮🇷".repeat(10);
        let cut = excerpt(&flags, 5);
        assert_eq!(cut, "🇮🇷🇮🇷…", "a flag is two code points: whole flags only");
        assert_eq!(excerpt("one two three four five six", 14), "one two three…");
        assert_eq!(excerpt("👍🏽👍🏽👍🏽", 3), "👍🏽…");
    }

    #[test]
    fn the_merchant_feed_takes_no_filter_but_product() {
        for (k, v) in [("tag", "vegan"), ("min_rating", "4"), ("photos", "true")] {
            let e = Filter::from_pairs(Format::Merchant, [(k, v)]).unwrap_err();
            assert_eq!(e.field.as_deref(), Some(k));
        }
        assert!(Filter::from_pairs(Format::Merchant, [("product", "sku-1"), ("min_rating", "1"), ("photos", "false")]).is_ok());
        assert_eq!(Filter::from_pairs(Format::Json, [("tag", "  ")]).unwrap_err().field.as_deref(), Some("tag"));
    }

    #[test]
    fn json_feed_has_the_spec_fields_and_ours() {
        let ch = channel();
        let mut untitled = entry("t2", 4, "", "Fine.");
        untitled.t.edited_at = Some(1_764_583_300_000);
        let v: serde_json::Value = serde_json::from_str(&json_feed(&ch, &[entry("t1", 5, "Great", "Loved <it>"), untitled])).unwrap();
        assert_eq!(v["version"], "https://jsonfeed.org/version/1.1");
        assert_eq!(v["title"], "Acme & Co");
        assert_eq!(v["items"][0]["id"], "https://edge.example/t/acme/t1");
        assert_eq!(v["items"][0]["content_text"], "Loved <it>");
        assert_eq!(v["items"][0]["image"], "https://edge.example/v1/photos/p1");
        assert_eq!(v["items"][0]["_kindred"]["rating"], 5);
        assert_eq!(v["items"][0]["_kindred"]["badges"], serde_json::json!(["purchase"]));
        assert_eq!(v["items"][0]["_kindred"]["product"]["url"], "https://shop.example/p/trail-runner-2");
        assert!(v["items"][1].get("title").is_none(), "no invented title in JSON Feed");
        assert_eq!(v["items"][1]["date_modified"], "2025-12-01T10:01:40.000Z");
    }

    #[test]
    fn atom_and_merchant_escape_everything_they_carry() {
        let ch = channel();
        let hostile = entry("t1", 3, "<script>x</script>", "a & b ]]> \u{1} c");
        let a = atom(&ch, std::slice::from_ref(&hostile), 0);
        assert!(a.contains("<title type=\"text\">&lt;script&gt;x&lt;/script&gt;</title>"));
        assert!(a.contains("a &amp; b ]]&gt;  c"));
        assert!(a.contains("tag=vegan&amp;min_rating=4"));
        assert!(!a.contains('\u{1}'));
        let m = merchant(&ch, &[hostile]);
        assert!(m.contains("<overall min=\"1\" max=\"5\">3</overall>"));
        assert!(m.contains("<product_url>https://shop.example/p/trail-runner-2</product_url>"));
        assert!(m.contains("<collection_method>unsolicited</collection_method>"));
        assert!(m.contains("<is_verified_purchase>true</is_verified_purchase><is_incentivized_review>false</is_incentivized_review>"));
        assert!(m.contains("<skus><sku>trail-runner-2</sku></skus><brands><brand>Acme &amp; Co</brand></brands>"));
    }

    #[test]
    fn merchant_leaves_out_reviews_without_a_product_page() {
        let ch = channel();
        let mut brand_wide = entry("t1", 5, "", "About the brand");
        brand_wide.product = None;
        let mut no_page = entry("t2", 5, "", "No page");
        no_page.product.as_mut().unwrap().url = None;
        let m = merchant(&ch, &[brand_wide, no_page]);
        assert!(!m.contains("<review>") && !m.contains("<reviews>"), "{m}");
        let mut solicited = entry("t3", 5, "", "From the email");
        solicited.solicited = true;
        assert!(merchant(&ch, &[solicited]).contains("post_fulfillment"));
    }

    #[test]
    fn an_untitled_atom_entry_gets_stars_and_a_name() {
        let a = atom(&channel(), &[entry("t1", 4, " ", "ok")], 0);
        assert!(a.contains("<title type=\"text\">★★★★☆ Ana</title>"), "{a}");
    }
}
