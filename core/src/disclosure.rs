//! "How reviews work": the notice a shop must give on whether and how its
//! reviews are checked (EU Directive 2019/2161, the Omnibus Directive,
//! amending 2005/29/EC Annex I point 23b and Article 7(6)), built from the
//! brand's live settings.
//!
//! It cannot disagree with what the code does because it is computed by
//! running the code's own rules: which submissions are published at once is
//! found by asking `ModerationMode::initial_status` about every rating,
//! verified or not; the hold is the brand's `MaxHold`; the reasons are
//! `RejectReason::ALL`; the order is `Sort::default()`; the average is
//! `widget::Aggregate::from_histogram`'s rule.

use crate::brand::BrandConfig;
use crate::moderation::{MaxHold, RejectReason};
use crate::testimonial::{ModerationMode, Sort, Status};
use serde::{Deserialize, Serialize};

/// Which submissions go live without a person reading them first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "published_at_once", rename_all = "snake_case")]
pub enum AtOnce {
    /// None: a person reads every review first.
    None,
    /// Reviews rated `min_rating` stars or more.
    FromRating { min_rating: u8 },
    /// Reviews by verified buyers (signed in to the shop) and verified
    /// purchases (through an order's review link).
    VerifiedBuyers,
    /// Every review.
    All,
}

impl AtOnce {
    /// Found by asking `mode` about every rating, verified or not.
    ///
    /// # Errors
    /// A mode whose outcomes none of these describes (a new mode nobody
    /// described yet): the notice would lie, so there is none.
    pub fn of(mode: ModerationMode) -> Result<Self, String> {
        let live = |r: u8, v: bool| mode.initial_status(r, v) == Status::Approved;
        let all = |f: &dyn Fn(u8, bool) -> bool| (1..=5).all(|r| [false, true].into_iter().all(|v| f(r, v)));
        if all(&|r, v| !live(r, v)) {
            return Ok(Self::None);
        }
        if all(&live) {
            return Ok(Self::All);
        }
        if all(&|r, v| live(r, v) == v) {
            return Ok(Self::VerifiedBuyers);
        }
        if let Some(min_rating) = (1..=5).find(|r| live(*r, false)) {
            if all(&|r, v| live(r, v) == (r >= min_rating)) {
                return Ok(Self::FromRating { min_rating });
            }
        }
        Err(format!("no description for the moderation mode {mode:?}"))
    }
}

/// `GET /v1/brands/{brand}/disclosure`: the facts the notice states.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Disclosure {
    pub brand_name: String,
    #[serde(flatten)]
    pub at_once: AtOnce,
    /// Days after which a review nobody decided on is published.
    pub max_hold_days: MaxHold,
    /// The only reasons a review is rejected for.
    pub reject_reasons: Vec<RejectReason>,
    /// What the brand gives for any review, if anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incentive: Option<String>,
    /// The order reviews are shown in first (featured ones first).
    pub default_sort: Sort,
    /// How the first page may be ordered for the visitor's context
    /// ([`PERSONAL_ORDER_RULE`], `crate::context`).
    pub personal_order: String,
    /// How the average shown is computed.
    pub average: String,
}

/// The personal order's rule, as `crate::context::first_page` applies it:
/// the tag of the page, the referrer or the group invite first, then the
/// brand's featured reviews, then the shopper's language; no tracking.
pub const PERSONAL_ORDER_RULE: &str = "context_tag_then_featured_then_language";

/// The average's rule, as `widget::Aggregate::from_histogram` computes it.
pub const AVERAGE_RULE: &str = "mean_of_published_ratings_one_decimal";

impl Disclosure {
    /// The notice for `cfg`.
    ///
    /// # Errors
    /// See [`AtOnce::of`].
    pub fn from_config(cfg: &BrandConfig) -> Result<Self, String> {
        Ok(Self {
            brand_name: cfg.name.clone(),
            at_once: AtOnce::of(cfg.moderation)?,
            max_hold_days: cfg.max_hold_days,
            reject_reasons: RejectReason::ALL.to_vec(),
            incentive: cfg.review_incentive.as_ref().map(|i| i.description.clone()),
            default_sort: Sort::default(),
            personal_order: PERSONAL_ORDER_RULE.to_owned(),
            average: AVERAGE_RULE.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn mode() -> impl Strategy<Value = ModerationMode> {
        prop_oneof![
            Just(ModerationMode::AllPending),
            Just(ModerationMode::AutoApproveVerified),
            (1u8..=5).prop_map(|min_rating| ModerationMode::AutoApproveMinRating { min_rating }),
        ]
    }

    proptest! {
        /// Every mode has a description, and the description predicts what
        /// the moderation code does with every submission.
        #[test]
        fn the_notice_says_what_the_code_does(mode in mode(), rating in 1u8..=5, verified: bool) {
            let said = AtOnce::of(mode).unwrap();
            let predicted = match said {
                AtOnce::None => false,
                AtOnce::All => true,
                AtOnce::VerifiedBuyers => verified,
                AtOnce::FromRating { min_rating } => rating >= min_rating,
            };
            prop_assert_eq!(predicted, mode.initial_status(rating, verified) == Status::Approved);
        }
    }

    #[test]
    fn modes_read_as_expected() {
        assert_eq!(AtOnce::of(ModerationMode::AllPending), Ok(AtOnce::None));
        assert_eq!(AtOnce::of(ModerationMode::AutoApproveVerified), Ok(AtOnce::VerifiedBuyers));
        assert_eq!(AtOnce::of(ModerationMode::AutoApproveMinRating { min_rating: 4 }), Ok(AtOnce::FromRating { min_rating: 4 }));
        assert_eq!(AtOnce::of(ModerationMode::AutoApproveMinRating { min_rating: 1 }), Ok(AtOnce::All));
        let j = serde_json::to_value(AtOnce::FromRating { min_rating: 4 }).unwrap();
        assert_eq!(j, serde_json::json!({"published_at_once": "from_rating", "min_rating": 4}));
    }

    #[test]
    fn the_average_rule_is_the_aggregates() {
        // 1, 2 and 2 stars: mean 1.666.. shown as 1.7.
        assert_eq!(crate::widget::Aggregate::from_histogram([1, 2, 0, 0, 0]).average, 1.7);
        assert_eq!(AVERAGE_RULE, "mean_of_published_ratings_one_decimal");
    }
}
