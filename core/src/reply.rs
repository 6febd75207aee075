//! The brand's public reply under a testimonial (Judge.me, Okendo and
//! Yotpo all let a shop answer a review in public) or under a community
//! thread: one reply per subject, shown under it wherever it is shown,
//! marked as the brand's, with every version kept (created, edited,
//! deleted) for the brand's record. The author hears of it by webhook
//! (`review.replied` to `review_webhook_url`, `thread.replied` to
//! `community_webhook_url`).

use crate::error::ApiError;
use serde::{Deserialize, Serialize};

/// Longest reply, characters.
pub const REPLY_MAX: usize = 2000;

/// `POST /v1/admin/brands/{brand}/testimonials/{id}/reply`: sets the
/// reply (a new one, or an edit of the one shown).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewBrandReply {
    /// 1 to 2000 characters; line breaks kept.
    pub body: String,
}

impl NewBrandReply {
    /// The reply's text, normalised.
    ///
    /// # Errors
    /// `validation_failed` on `body` when empty or longer than [`REPLY_MAX`].
    pub fn validate(&self) -> Result<String, ApiError> {
        crate::text::field(&self.body, "body", 1, REPLY_MAX, true)
    }
}

/// The reply as shoppers and the brand see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BrandReply {
    pub body: String,
    /// First written, unix ms.
    pub created_at: i64,
    /// Last changed, unix ms (absent if never edited).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited_at: Option<i64>,
}

/// What a brand reply sits under ([`ReplySubject::table`] holds the reply
/// shown in `reply_body`, `reply_at`, `reply_edited_at`;
/// [`ReplySubject::log`] every version).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplySubject {
    Testimonial,
    Thread,
}

impl ReplySubject {
    /// The subject's table.
    pub const fn table(self) -> &'static str {
        match self {
            Self::Testimonial => "testimonials",
            Self::Thread => "threads",
        }
    }

    /// The version log's table and its column naming the subject.
    pub const fn log(self) -> (&'static str, &'static str) {
        match self {
            Self::Testimonial => ("testimonial_reply_log", "testimonial_id"),
            Self::Thread => ("thread_reply_log", "thread_id"),
        }
    }

    /// The webhook event that tells the subject's author.
    pub const fn event(self) -> &'static str {
        match self {
            Self::Testimonial => "review.replied",
            Self::Thread => "thread.replied",
        }
    }

    /// The brand may reply only to what is shown: a reply to a pending,
    /// rejected or hidden subject would be read by nobody, and its author
    /// would be told (`Self::event`) of something they cannot see.
    ///
    /// # Errors
    /// `conflict` when `shown` is false, saying to approve it first.
    pub fn require_shown(self, shown: bool) -> Result<(), ApiError> {
        if shown {
            return Ok(());
        }
        let what = match self {
            Self::Testimonial => "this review is not published (pending or rejected): approve it before replying",
            Self::Thread => "this thread is not shown (pending or hidden): approve it before replying",
        };
        Err(ApiError::new(crate::error::ErrorCode::Conflict, what))
    }
}

/// What happened to a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReplyAction {
    Created,
    Edited,
    Deleted,
}

impl ReplyAction {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Edited => "edited",
            Self::Deleted => "deleted",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Created, Self::Edited, Self::Deleted].into_iter().find(|a| a.as_str() == s)
    }
}

/// One version in a reply's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReplyVersion {
    pub action: ReplyAction,
    /// The text as it became (absent for `deleted`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Unix ms.
    pub at: i64,
}

/// `GET /v1/admin/brands/{brand}/testimonials/{id}/reply`: the reply shown
/// (if any) and every version, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReplyHistory {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<BrandReply>,
    pub history: Vec<ReplyVersion>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_are_one_to_two_thousand_characters() {
        assert_eq!(NewBrandReply { body: "  Thanks, Ana!\nWe fixed the sizing chart. ".into() }.validate().unwrap(), "Thanks, Ana!\nWe fixed the sizing chart.");
        assert!(NewBrandReply { body: " ".into() }.validate().is_err());
        assert!(NewBrandReply { body: "x".repeat(REPLY_MAX + 1) }.validate().is_err());
        assert!(serde_json::from_str::<NewBrandReply>(r#"{"body":"x","rating":5}"#).is_err());
        for a in [ReplyAction::Created, ReplyAction::Edited, ReplyAction::Deleted] {
            assert_eq!(ReplyAction::parse(a.as_str()), Some(a));
        }
    }
}
