//! Consent to reuse (issue 15): whether a testimonial's author agreed that
//! the brand may feature it beyond its own site's pages, in its ads, social
//! posts and emails. Asked on the form (unticked by default: GDPR Art. 4(11)
//! and 7, consent is a clear affirmative act, as easy to withdraw as to
//! give), stored with when it was given, shown to the brand, and revocable
//! by the author alone (the member token or identity it was written with).
//! Every grant and withdrawal is logged (`reuse_consent_log`: how, and the
//! client's keyed hash), so the brand can show when it held consent
//! (Art. 7(1)). A shopper who asks the brand to withdraw is served by
//! the brand's withdraw-only admin route. Limit: the brand holds the
//! identity secret and its pages can read the member token, so a grant
//! "by its author" is as strong as the brand's honesty with those.

use serde::{Deserialize, Serialize};

/// `POST /v1/brands/{brand}/testimonials/{id}/consent`: the author grants
/// (`true`) or withdraws (`false`) consent to reuse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReuseConsent {
    pub reuse: bool,
    /// The brand-signed identity token, for a testimonial written signed in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<String>,
}

/// How a change of consent was made (`reuse_consent_log.via`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentVia {
    /// Ticked on the review form.
    Form,
    /// By its author afterwards (member token or identity).
    Author,
    /// Withdrawn by the brand on the author's behalf (the brand can
    /// withdraw, never grant).
    Brand,
}

impl ConsentVia {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Form => "form",
            Self::Author => "author",
            Self::Brand => "brand",
        }
    }
}

/// The answer: where consent stands now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsentState {
    pub id: String,
    pub reuse: bool,
    /// When it was given (absent when withdrawn or never given), unix ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given_at: Option<i64>,
}
