//! A reviewer edits their own testimonial (Judge.me and Trustpilot let
//! reviewers update a review; the FTC's 16 CFR 465 forbids a business from
//! changing what a reviewer said). Only its author can: the member token or
//! brand-signed identity it was written with. The rating can change only
//! this way, never through an admin route. Every edit keeps the previous
//! version; the card says "edited".
//!
//! What an edit does to moderation ([`Outcome::status_after`]), never by
//! the rating (16 CFR 465.7): changed words (title, body, tags) wait for a
//! person again, with a new hold, in every mode except "auto-approve
//! verified" for a verified author (which does not look at the rating
//! either); a changed rating alone keeps the status. Whether an edit is
//! published never depends on the stars it gives.
//!
//! Limits: the brand holds the identity secret and its pages can read the
//! member token, so "only its author" is as strong as the brand's honesty
//! with those; every previous version is kept (`testimonial_edits`) so an
//! edit can be audited.

use crate::error::{ApiError, ErrorCode};
use crate::testimonial::{normalize_tags_in, ModerationMode, Status, BODY_MAX, BODY_MIN, TITLE_MAX};
use serde::{Deserialize, Serialize};

/// `PATCH /v1/brands/{brand}/testimonials/{id}`: what changes (members
/// left out stay as they are).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TestimonialEdit {
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::error::whole_opt")]
    pub rating: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// The brand-signed identity token, for a testimonial written signed in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<String>,
}

/// The editable part of a testimonial.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Editable {
    pub rating: u8,
    pub title: String,
    pub body: String,
    pub tags: Vec<String>,
    /// Written in (`crate::context::written_in`), when known: the tags'
    /// letters (`crate::testimonial::normalize_tags_in`).
    pub lang: Option<String>,
}

/// The answer to an edit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Edited {
    pub id: String,
    /// Where it stands now: changed words may wait for moderation again.
    pub status: Status,
    /// Unix ms.
    pub edited_at: i64,
}

/// An edit applied: the new version and what it changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub after: Editable,
    pub words_changed: bool,
    pub rating_changed: bool,
}

impl TestimonialEdit {
    /// The new version of `current`, checked by the submission's rules.
    ///
    /// # Errors
    /// `validation_failed` naming the field (as a submission would), or on
    /// `body` when the edit changes nothing.
    pub fn apply(&self, current: &Editable) -> Result<Outcome, ApiError> {
        let rating = match self.rating {
            Some(r) if !(1..=5).contains(&r) => return Err(ApiError::field(ErrorCode::ValidationFailed, "rating", "Rating must be 1 to 5 stars")),
            Some(r) => r,
            None => current.rating,
        };
        let title = match &self.title {
            Some(t) => crate::text::field(t, "title", 0, TITLE_MAX, false)?,
            None => current.title.clone(),
        };
        let body = match &self.body {
            Some(b) => crate::text::field(b, "body", BODY_MIN, BODY_MAX, true)?,
            None => current.body.clone(),
        };
        let tags = match &self.tags {
            Some(t) => normalize_tags_in(t, current.lang.as_deref())?,
            None => current.tags.clone(),
        };
        let after = Editable { rating, title, body, tags, lang: current.lang.clone() };
        let words_changed = after.title != current.title || after.body != current.body || after.tags != current.tags;
        let rating_changed = after.rating != current.rating;
        if !words_changed && !rating_changed {
            return Err(ApiError::field(ErrorCode::ValidationFailed, "body", "the edit changes nothing"));
        }
        Ok(Outcome { after, words_changed, rating_changed })
    }
}

impl Outcome {
    /// The status after the edit: changed words wait for a person (or, in
    /// "auto-approve verified", are published when the author is
    /// verified); a new rating alone keeps `before`. The rating never
    /// decides.
    pub fn status_after(&self, before: Status, mode: ModerationMode, verified: bool) -> Status {
        if !self.words_changed {
            return before;
        }
        match mode {
            ModerationMode::AutoApproveVerified if verified => Status::Approved,
            _ => Status::Pending,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn current() -> Editable {
        Editable { rating: 5, title: "Great".into(), body: "Loved them on the trail.".into(), tags: vec!["trail running".into()], lang: None }
    }

    #[test]
    fn edits_follow_the_submission_rules() {
        let e = TestimonialEdit { rating: Some(2), ..Default::default() }.apply(&current()).unwrap();
        assert!(e.rating_changed && !e.words_changed);
        let e = TestimonialEdit { body: Some("  Sole came apart after 200 km.  ".into()), ..Default::default() }.apply(&current()).unwrap();
        assert_eq!(e.after.body, "Sole came apart after 200 km.");
        assert!(e.words_changed && !e.rating_changed);
        for (edit, field) in [
            (TestimonialEdit { rating: Some(0), ..Default::default() }, "rating"),
            (TestimonialEdit { body: Some("short".into()), ..Default::default() }, "body"),
            (TestimonialEdit { title: Some("x".repeat(TITLE_MAX + 1)), ..Default::default() }, "title"),
            (TestimonialEdit { tags: Some(vec!["x".repeat(41)]), ..Default::default() }, "tags"),
            (TestimonialEdit { rating: Some(5), ..Default::default() }, "body"),
            (TestimonialEdit::default(), "body"),
        ] {
            assert_eq!(edit.apply(&current()).unwrap_err().field.as_deref(), Some(field), "{edit:?}");
        }
        let persian = Editable { lang: Some("fa".into()), ..current() };
        let e = TestimonialEdit { tags: Some(vec!["كتاب".into(), "کتاب".into()]), ..Default::default() }.apply(&persian).unwrap();
        assert_eq!(e.after.tags, ["کتاب"], "a Persian testimonial's tags in Persian letters, as a submission's");
        assert!(serde_json::from_str::<TestimonialEdit>(r#"{"verified_purchase":true}"#).is_err());
        assert!(serde_json::from_str::<TestimonialEdit>(r#"{"status":"approved"}"#).is_err());
    }

    proptest! {
        /// A new rating alone never moves a testimonial between published
        /// and unpublished, whatever the mode; changed words go through the
        /// mode again.
        #[test]
        fn a_rating_change_alone_keeps_the_status(
            from in 1u8..=5, to in 1u8..=5, min in 1u8..=5, verified: bool,
            before in prop_oneof![Just(Status::Pending), Just(Status::Approved), Just(Status::Rejected)],
        ) {
            prop_assume!(from != to);
            let mut c = current();
            c.rating = from;
            let mode = ModerationMode::AutoApproveMinRating { min_rating: min };
            let o = TestimonialEdit { rating: Some(to), ..Default::default() }.apply(&c).unwrap();
            prop_assert_eq!(o.status_after(before, mode, verified), before);
            let o = TestimonialEdit { body: Some("Changed my mind about these.".into()), ..Default::default() }.apply(&c).unwrap();
            prop_assert_eq!(o.status_after(before, mode, verified), Status::Pending);
        }

        /// Changed words: the outcome is the same whatever rating the edit gives.
        #[test]
        fn the_rating_never_decides_an_edit(to_a in 1u8..=5, to_b in 1u8..=5, verified: bool, min in 1u8..=5,
            before in prop_oneof![Just(Status::Pending), Just(Status::Approved)]) {
            for mode in [ModerationMode::AllPending, ModerationMode::AutoApproveVerified, ModerationMode::AutoApproveMinRating { min_rating: min }] {
                let edit = |r: u8| TestimonialEdit { rating: Some(r), body: Some("Changed my mind about these.".into()), ..Default::default() }.apply(&current()).unwrap();
                prop_assert_eq!(edit(to_a).status_after(before, mode, verified), edit(to_b).status_after(before, mode, verified));
            }
        }
    }
}
