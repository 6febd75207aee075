//! A testimonial's share card: the 1200x630 PNG that link previews show
//! (Open Graph `og:image`, X's `summary_large_image`) for its share page
//! `/t/{brand}/{id}`.
//!
//! The edge builds a [`Card`] from a published testimonial whose author
//! agreed to its reuse (the same check as the share page), and the card
//! renderer (`kindred-cards`, a second Worker the edge calls through a
//! service binding) draws it. The renderer is a separate Worker because
//! its fonts and text engine (about 1 MB gzip) do not fit in the edge's
//! own 1 MiB budget; it has no bindings and no route of its own, and draws
//! only what it is sent. This module is the contract between the two and
//! the one place the card's limits live.
//!
//! Size: 1200x630 (1.91:1) is what Facebook recommends for link previews
//! (<https://developers.facebook.com/docs/sharing/webmasters/images/>) and
//! fits X's `summary_large_image` (2:1, at least 300x157, under 5 MB:
//! <https://developer.x.com/en/docs/x-for-websites/cards/overview/summary-card-with-large-image>).

use serde::{Deserialize, Serialize};

/// Width of the card, pixels.
pub const WIDTH: u32 = 1200;
/// Height of the card, pixels.
pub const HEIGHT: u32 = 630;

/// Characters of the testimonial's text a card may carry (an excerpt cut
/// at a word, with `…`: `syndication::excerpt`).
pub const BODY_MAX: usize = 420;
/// Characters of a title.
pub const TITLE_MAX: usize = 120;
/// Characters of a name (the author's display name, the brand's name).
pub const NAME_MAX: usize = 80;
/// Labels under the name ("Verified buyer", "Received a free sample"), at
/// most this many (one per kind of badge: `widget::Badge`, so none is ever
/// dropped), each at most [`NAME_MAX`] characters.
pub const LABELS_MAX: usize = 5;

/// What a share card shows. JSON, `POST`ed by the edge to the renderer.
///
/// ```json
/// {"brand": "Acme Coffee", "accent": "#0b6e4f", "rating": 5,
///  "title": "Best beans", "body": "I tried…", "author": "Ana",
///  "labels": ["Verified buyer"], "rtl": false}
/// ```
///
/// Unknown fields are ignored and missing ones take their defaults, so the
/// two Workers can be deployed in either order when a field is added.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Card {
    /// The brand's display name, drawn in its accent colour.
    pub brand: String,
    /// The brand's accent, `#rrggbb` (the band across the top, the stars
    /// and the brand's name).
    pub accent: String,
    /// Stars, 1 to 5.
    pub rating: u8,
    /// The testimonial's title; may be empty.
    pub title: String,
    /// An excerpt of its text; may be empty.
    pub body: String,
    /// The author's display name.
    pub author: String,
    /// Words under the name, in the share page's language: a verified
    /// purchase, an incentive (FTC 16 CFR 255.5: a material connection is
    /// disclosed wherever the review appears), an imported review.
    pub labels: Vec<String>,
    /// Whether the page's language runs right to left: the name and the
    /// brand swap sides. Each paragraph's own direction still comes from
    /// its text (UAX #9), so a Persian text on an English page reads right.
    pub rtl: bool,
}

/// Why a [`Card`] cannot be drawn as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// The field at fault.
    pub field: &'static str,
    /// What is wrong with it.
    pub message: String,
}

impl Card {
    /// Builds a card from a testimonial's parts, cutting each to its limit
    /// (the text at a word, never inside a grapheme cluster).
    #[allow(clippy::too_many_arguments)]
    pub fn new(brand: &str, accent: &str, rating: u8, title: &str, body: &str, author: &str, labels: Vec<String>, rtl: bool) -> Card {
        let cut = |s: &str, max| crate::syndication::excerpt(s.trim(), max);
        Card {
            brand: cut(brand, NAME_MAX),
            accent: if parse_accent(accent).is_some() { accent.to_owned() } else { crate::widget::DEFAULT_ACCENT.to_owned() },
            rating: rating.clamp(1, 5),
            title: cut(title, TITLE_MAX),
            body: cut(body, BODY_MAX),
            author: cut(author, NAME_MAX),
            labels: labels.iter().take(LABELS_MAX).map(|l| cut(l, NAME_MAX)).collect(),
            rtl,
        }
    }

    /// Checks the limits above (what the renderer accepts).
    ///
    /// # Errors
    /// The first field out of bounds.
    pub fn check(&self) -> Result<(), Invalid> {
        let too_long = |field: &'static str, s: &str, max: usize| {
            // `excerpt` may add its `…` past `max`.
            if s.chars().count() > max + 1 {
                Err(Invalid { field, message: format!("at most {max} characters") })
            } else {
                Ok(())
            }
        };
        too_long("brand", &self.brand, NAME_MAX)?;
        too_long("title", &self.title, TITLE_MAX)?;
        too_long("body", &self.body, BODY_MAX)?;
        too_long("author", &self.author, NAME_MAX)?;
        if self.labels.len() > LABELS_MAX {
            return Err(Invalid { field: "labels", message: format!("at most {LABELS_MAX}") });
        }
        for l in &self.labels {
            too_long("labels", l, NAME_MAX)?;
        }
        if !(1..=5).contains(&self.rating) {
            return Err(Invalid { field: "rating", message: "1 to 5".into() });
        }
        if parse_accent(&self.accent).is_none() {
            return Err(Invalid { field: "accent", message: "a colour as #rrggbb".into() });
        }
        Ok(())
    }

    /// The accent as red, green and blue.
    pub fn accent_rgb(&self) -> [u8; 3] {
        parse_accent(&self.accent).or_else(|| parse_accent(crate::widget::DEFAULT_ACCENT)).unwrap_or([0, 0, 0])
    }

    /// A short fingerprint of everything drawn, for `ETag` and cache keys:
    /// a changed text, name, label or accent makes a new card.
    pub fn version(&self) -> String {
        use sha2::{Digest, Sha256};
        let json = serde_json::to_vec(self).unwrap_or_default();
        let digest = Sha256::digest([RENDER_VERSION.as_bytes(), b"\n", &json].concat());
        digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
    }
}

/// Moves when the renderer's drawing changes, so cached cards are redrawn.
pub const RENDER_VERSION: &str = "card-2";

/// `#rrggbb` ([`crate::widget::is_hex_color`]) as red, green and blue.
pub fn parse_accent(s: &str) -> Option<[u8; 3]> {
    if !crate::widget::is_hex_color(s) {
        return None;
    }
    let hex = s.get(1..)?;
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_cuts_to_limits_and_checks() {
        let long = "كلمة ".repeat(200);
        let c = Card::new("Acme", "#123456", 9, &"t".repeat(500), &long, "Ana", (0..7).map(|i| format!("label {i}")).collect(), true);
        assert_eq!(c.rating, 5);
        assert!(c.body.ends_with('…') && c.body.chars().count() <= BODY_MAX + 1);
        assert_eq!(c.labels.len(), LABELS_MAX);
        assert_eq!(c.check(), Ok(()));
        assert_eq!(c.accent_rgb(), [0x12, 0x34, 0x56]);
        let bad = Card { accent: "red".into(), ..c.clone() };
        assert_eq!(bad.check().map_err(|e| e.field), Err("accent"));
        assert_eq!(Card::new("A", "javascript:", 3, "", "", "B", vec![], false).accent, crate::widget::DEFAULT_ACCENT);
        // An older or newer edge's card still reads.
        let extra: Card = serde_json::from_str(r##"{"brand":"A","accent":"#000000","rating":4,"author":"B","shadow":true}"##).expect("lenient");
        assert_eq!((extra.rating, extra.labels.len(), extra.check().is_ok()), (4, 0, true));
    }

    #[test]
    fn version_moves_with_what_is_drawn() {
        let c = Card::new("Acme", "#123456", 4, "", "Good", "Ana", vec![], false);
        assert_eq!(c.version(), c.clone().version());
        assert_ne!(c.version(), Card { body: "Good!".into(), ..c.clone() }.version());
        assert_eq!(c.version().len(), 16);
    }
}
