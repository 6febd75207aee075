//! A brand's declared incentive for reviews (a coupon or points for writing
//! one), and why it can never depend on the rating.
//!
//! - FTC, 16 CFR 465.4: a business may not give compensation or other
//!   incentives "conditioned, expressly or implicitly, on the writing of
//!   consumer reviews expressing a particular sentiment, whether positive or
//!   negative". So an incentive here has no rating member, and its wording
//!   may not name stars or a sentiment.
//! - UK Digital Markets, Competition and Consumers Act 2024, Schedule 20
//!   (banned practices): concealed incentivised reviews. Every testimonial
//!   submitted while an incentive is declared is stored `incentivised` and
//!   labelled "Incentivised" wherever it is shown; the form tells the shopper
//!   the incentive before they write.

use crate::error::{ApiError, ErrorCode};
use serde::{Deserialize, Serialize};

/// Longest description, characters.
pub const DESCRIPTION_MAX: usize = 120;

/// What the shopper gets for a review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum IncentiveKind {
    Coupon,
    Points,
}

/// `review_incentive` in the brand's settings: declared once, given for any
/// review whatever its rating or words. `null` (the default) means none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReviewIncentive {
    pub kind: IncentiveKind,
    /// What the shopper gets, shown above the form, e.g. "10% off your next
    /// order". 1 to 120 characters; may not mention stars, ratings or
    /// positive/negative reviews.
    pub description: String,
}

/// Members that would make an incentive depend on the rating: named so the
/// refusal says why instead of "unknown field".
pub const RATING_MEMBERS: [&str; 6] = ["min_rating", "max_rating", "rating", "ratings", "stars", "sentiment"];

impl ReviewIncentive {
    /// The incentive, its description trimmed.
    ///
    /// # Errors
    /// `validation_failed` on `review_incentive.description` when it is empty,
    /// too long, or conditions the incentive on a rating or sentiment
    /// (16 CFR 465.4).
    pub fn validate(&self) -> Result<ReviewIncentive, ApiError> {
        let field = "review_incentive.description";
        let description = crate::text::field(&self.description, field, 1, DESCRIPTION_MAX, false)?;
        if mentions_rating(&description) {
            return Err(ApiError::field(ErrorCode::ValidationFailed, field, rating_refusal()));
        }
        Ok(ReviewIncentive { kind: self.kind, description })
    }
}

/// The refusal for any incentive that depends on the rating.
pub fn rating_refusal() -> String {
    "an incentive is given for any review, whatever its rating or sentiment (FTC 16 CFR 465.4): it cannot name stars, ratings or positive reviews".to_owned()
}

/// Whether a patch's `review_incentive` object has a member that would tie
/// it to the rating (see [`RATING_MEMBERS`]).
pub fn patch_names_rating(patch: &serde_json::Value) -> Option<&'static str> {
    let obj = patch.get("review_incentive")?.as_object()?;
    RATING_MEMBERS.into_iter().find(|m| obj.contains_key(*m))
}

/// Whether a description conditions the incentive on a rating: a star sign,
/// a number of stars, or "positive"/"good"/"5-star" reviews. English and
/// the symbols only; the structural rule (no rating member) holds in every
/// language.
pub fn mentions_rating(s: &str) -> bool {
    let lower = s.to_lowercase();
    if lower.contains('★') || lower.contains('⭐') {
        return true;
    }
    let words: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    words.iter().enumerate().any(|(i, w)| {
        matches!(*w, "star" | "stars" | "rating" | "ratings" | "rated" | "positive" | "favourable" | "favorable")
            || (w.ends_with("star") && w[..w.len() - 4].chars().all(|c| c.is_ascii_digit()) && w.len() > 4)
            || (*w == "good" && words.get(i + 1).is_some_and(|n| n.starts_with("review")))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inc(d: &str) -> ReviewIncentive {
        ReviewIncentive { kind: IncentiveKind::Coupon, description: d.into() }
    }

    #[test]
    fn plain_incentives_pass() {
        assert_eq!(inc("  10% off your next order ").validate().unwrap().description, "10% off your next order");
        assert!(inc("200 points for any review").validate().is_ok());
        assert!(inc("Gutschein über 5 € für jede Bewertung").validate().is_ok());
    }

    #[test]
    fn rating_conditions_are_refused() {
        for d in ["10% off for a 5-star review", "10% off for 5 stars", "★★★★★ reviews get 10%", "Coupon for positive reviews", "a coupon for good reviews", "5star = coupon", "depends on your rating"] {
            let e = inc(d).validate().unwrap_err();
            assert_eq!(e.field.as_deref(), Some("review_incentive.description"), "{d}");
        }
        assert!(inc("").validate().is_err());
        assert!(inc(&"x".repeat(DESCRIPTION_MAX + 1)).validate().is_err());
    }

    #[test]
    fn rating_members_are_named() {
        let p = serde_json::json!({"review_incentive": {"kind": "coupon", "description": "10%", "min_rating": 4}});
        assert_eq!(patch_names_rating(&p), Some("min_rating"));
        assert_eq!(patch_names_rating(&serde_json::json!({"review_incentive": null})), None);
        assert!(serde_json::from_value::<ReviewIncentive>(serde_json::json!({"kind": "coupon", "description": "x", "stars": 5})).is_err());
    }
}
