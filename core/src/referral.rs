//! The referral program's rules: codes, the canonical email used to spot
//! self-referrals, money, attribution windows, fraud decisions, ambassador
//! tiers and webhook signatures. The edge calls these; nothing here does I/O.

use crate::error::{ApiError, ErrorCode};
use serde::{Deserialize, Serialize};

/// Letters and digits that survive being read aloud or typed from a phone:
/// no 0/O, 1/I/L, U.
const ALPHABET: &[u8; 30] = b"ABCDEFGHJKMNPQRSTVWXYZ23456789";
pub const CODE_LEN: usize = 8;
/// A referrer's name as they type it.
pub const REFERRER_NAME_MAX: usize = 60;
/// The largest purchase amount, in minor units (a hundred million in major).
pub const AMOUNT_MINOR_MAX: i64 = 10_000_000_000;
/// A brand's order id, in characters.
pub const ORDER_ID_MAX: usize = 100;
/// Coupon codes per upload.
pub const COUPONS_PER_UPLOAD_MAX: usize = 1000;
/// The longest coupon code, characters.
pub const COUPON_CODE_MAX: usize = 64;

/// A referral code, e.g. `K7MQ2XHB`. Case-insensitive on input.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct ReferralCode(String);

impl ReferralCode {
    /// A code from random bytes (the edge passes CSPRNG output).
    pub fn from_random(bytes: &[u8; CODE_LEN]) -> Self {
        Self(bytes.iter().map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()])).collect())
    }

    /// Whether `raw` may be a stored code, as a list's cursor names it: 1
    /// to 16 upper-case ASCII letters and digits. Codes this API makes are
    /// [`CODE_LEN`] of its alphabet; older ones may use other letters (the
    /// demo's `MARCO7RN`: helper-103, a page ending on one gave a cursor
    /// the API refused).
    pub fn is_stored(raw: &str) -> bool {
        (1..=16).contains(&raw.len()) && raw.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    }

    pub fn parse(raw: &str) -> Result<Self, ApiError> {
        let up = raw.trim().to_ascii_uppercase();
        if up.len() == CODE_LEN && up.bytes().all(|b| ALPHABET.contains(&b)) {
            Ok(Self(up))
        } else {
            Err(ApiError::field(ErrorCode::BadRequest, "code", "a referral code is 8 letters and digits"))
        }
    }

    /// A code as it comes in a shared link's path (`/r/{code}`): escapes
    /// decoded, then whatever around it cannot be part of a code dropped.
    /// A link pasted into a message picks up its neighbours: a sentence's
    /// full stop or bracket, or the closing U+2069 of a right-to-left
    /// message's isolate, which link finders (Android's Linkify among
    /// them) take into the URL. `K7MQ2XHB.` and `K7MQ2XHB%E2%81%A9` are
    /// `K7MQ2XHB`; `K7MQ2XHBX` is still no code.
    ///
    /// # Errors
    /// As [`Self::parse`].
    pub fn from_link(raw: &str) -> Result<Self, ApiError> {
        let decoded: String = url::form_urlencoded::parse(raw.as_bytes()).map(|(k, _)| k.into_owned()).collect();
        Self::parse(decoded.trim_matches(|c: char| !c.is_ascii_alphanumeric()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ReferralCode {
    type Error = ApiError;
    fn try_from(s: String) -> Result<Self, ApiError> {
        Self::parse(&s)
    }
}

impl From<ReferralCode> for String {
    fn from(c: ReferralCode) -> String {
        c.0
    }
}

impl std::fmt::Display for ReferralCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Providers that ignore dots in the local part.
const DOTS_IGNORED: &[&str] = &["gmail.com", "googlemail.com"];
/// Providers that deliver `name+tag@` to `name@`.
const PLUS_TAGS: &[&str] = &[
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "icloud.com", "me.com",
    "fastmail.com", "protonmail.com", "proton.me", "pm.me",
];

/// The mailbox an address really reaches, for comparing people: lowercased,
/// and for providers that ignore them, without dots and `+tags`.
/// `Ana.R+shoes@GoogleMail.com` and `anar@gmail.com` are the same person.
/// What a keyboard adds is `crate::email::parse`'s to drop, for what
/// shoppers type; an identity token's `email` is compared as the brand
/// signed it (helper-81: reading it as a mail server does would let an
/// unverified shop account `victim\u{200B}@` take `victim@`'s link).
pub fn canonical_email(email: &str) -> String {
    let lower = email.trim().to_lowercase();
    let Some((local, domain)) = lower.rsplit_once('@') else {
        return lower;
    };
    let domain = if domain == "googlemail.com" { "gmail.com" } else { domain };
    let mut local = local.to_owned();
    if PLUS_TAGS.contains(&domain) {
        if let Some((base, _)) = local.split_once('+') {
            local = base.to_owned();
        }
    }
    if DOTS_IGNORED.contains(&domain) {
        local.retain(|c| c != '.');
    }
    format!("{local}@{domain}")
}

/// Who someone is, as far as the referral program can tell.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Party {
    pub canonical_email: Option<String>,
    pub member_token: Option<String>,
    pub identity_sub: Option<String>,
}

/// Why a referral or conversion is refused outright.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    SelfReferral,
    AlreadyCustomer,
    AlreadyReferred,
}

impl Refusal {
    pub fn message(self) -> &'static str {
        match self {
            Self::SelfReferral => "you cannot refer yourself",
            Self::AlreadyCustomer => "this customer has bought before, so the purchase is not a referral",
            Self::AlreadyReferred => "this customer was already referred",
        }
    }
}

/// Same email (canonically), same browser (member token) or same brand
/// identity: a self-referral.
pub fn is_self_referral(referrer: &Party, referee: &Party) -> bool {
    fn same(a: &Option<String>, b: &Option<String>) -> bool {
        matches!((a, b), (Some(x), Some(y)) if !x.is_empty() && x == y)
    }
    same(&referrer.canonical_email, &referee.canonical_email)
        || same(&referrer.member_token, &referee.member_token)
        || same(&referrer.identity_sub, &referee.identity_sub)
}

/// What the edge knows when a purchase is reported.
#[derive(Debug, Clone, Default)]
pub struct ConversionSignals {
    pub self_referral: bool,
    /// The referee had a purchase before this one (with or without a code).
    pub already_customer: bool,
    /// The referee converted through another referral already.
    pub already_referred: bool,
    /// Conversions on this code in the last 24 hours, this one included.
    pub code_conversions_24h: u32,
    /// Claims (friend sign-ups) on this code from one network (an IPv4 /24
    /// or IPv6 /48, [`crate::limits::network_key`]; a client gets one claim
    /// a brand, so many claims from one place take many addresses of one
    /// network) within an hour: when the report names the buyer's claim
    /// (their pool coupon), those from its network in the hour up to it, as
    /// counted when they claimed; else the code's busiest network in the
    /// last hour.
    pub claims_from_ip_1h: u32,
    /// The buyer's claim (named by their pool coupon) came from the address
    /// the referrer signed up from, in the day after
    /// ([`REFERRER_CLIENT_KEEP_MS`]): the referrer's own private window, or
    /// someone at their home or desk. Held, not refused: a household or a
    /// carrier's shared address is not proof.
    pub claimed_from_referrer_address: bool,
}

/// The brand's velocity limits: above them a conversion is held for review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Velocity {
    #[serde(deserialize_with = "crate::error::whole")]
    pub max_conversions_per_code_per_day: u32,
    #[serde(deserialize_with = "crate::error::whole")]
    pub max_claims_per_ip_per_hour: u32,
}

impl Default for Velocity {
    fn default() -> Self {
        Self { max_conversions_per_code_per_day: 5, max_claims_per_ip_per_hour: 5 }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Approve,
    /// Suspicious: a person should look; approved automatically at the deadline.
    Hold(&'static str),
    Reject(Refusal),
}

/// The fraud rules, in order: refusals first, then velocity holds.
pub fn decide(s: &ConversionSignals, v: &Velocity) -> Decision {
    if s.self_referral {
        Decision::Reject(Refusal::SelfReferral)
    } else if s.already_customer {
        Decision::Reject(Refusal::AlreadyCustomer)
    } else if s.already_referred {
        Decision::Reject(Refusal::AlreadyReferred)
    } else if s.code_conversions_24h > v.max_conversions_per_code_per_day {
        Decision::Hold("unusually many conversions on this code today")
    } else if s.claims_from_ip_1h > v.max_claims_per_ip_per_hour {
        Decision::Hold("many sign-ups from one network")
    } else if s.claimed_from_referrer_address {
        Decision::Hold("the friend signed up from the referrer's address")
    } else {
        Decision::Approve
    }
}

/// The longest attribution window a brand may set, days.
pub const WINDOW_DAYS_MAX: u32 = 365;

/// How long a claim keeps its network's hash (`referral_claims.network`):
/// the one-network rule reads the last hour; a day, then it is cleared.
pub const CLAIM_NETWORK_KEEP_MS: i64 = 86_400_000;

/// How long a referrer's sign-up keeps its address's keyed hash
/// (`referrers.client`), ms: a day, the time in which a referrer opens
/// their own link in a private window to take the friend's offer; then the
/// cron job clears it.
pub const REFERRER_CLIENT_KEEP_MS: i64 = 86_400_000;

/// How long a claim keeps its client's keyed hash, ms: the longest
/// attribution window, the only time it is read (one welcome offer per
/// client within the window). The cron job erases it after that, so a
/// claim says nothing about where it came from once it can no longer count.
pub const CLAIM_CLIENT_KEEP_MS: i64 = WINDOW_DAYS_MAX as i64 * 86_400_000;

/// Whether a click at `clicked_at` still attributes a purchase at `now` (ms).
pub fn within_window(clicked_at: i64, now: i64, window_days: u32) -> bool {
    now >= clicked_at && now - clicked_at <= i64::from(window_days) * 86_400_000
}

/// ISO 4217 codes accepted for purchases.
pub const CURRENCIES: &[&str] = &[
    "AUD", "BRL", "CAD", "CHF", "CNY", "CZK", "DKK", "EUR", "GBP", "HKD", "HUF", "IDR", "ILS", "INR", "JPY",
    "KRW", "MXN", "MYR", "NOK", "NZD", "PHP", "PLN", "SEK", "SGD", "THB", "TRY", "TWD", "USD", "ZAR",
];

/// `POST /v1/admin/brands/{brand}/conversions`: the brand's server reports a purchase.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PurchaseReport {
    /// The brand's order id; reporting it again changes nothing.
    pub order_id: String,
    /// The buyer's email, if known.
    #[serde(default)]
    pub referee_email: Option<String>,
    /// The referral code captured at checkout, if any.
    #[serde(default)]
    pub code: Option<String>,
    /// In the currency's minor unit (cents).
    pub amount_minor: i64,
    pub currency: String,
    /// When this buyer arrived through the referral link (ms since the
    /// Unix epoch), as the shop noted it with the code it captured from
    /// `?kindred_ref=`: the attribution window is measured from this
    /// friend's own arrival ([`touch`]).
    #[serde(default)]
    pub referred_at: Option<i64>,
    /// The friend's welcome coupon used at checkout, if any: when it is the
    /// one their claim on this code gave them (a pool coupon is one
    /// friend's), the window is measured from that claim.
    #[serde(default)]
    pub coupon_code: Option<String>,
}

/// A purchase report that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidPurchase {
    pub order_id: String,
    pub referee_email: Option<String>,
    pub code: Option<ReferralCode>,
    pub amount_minor: i64,
    pub currency: String,
    pub referred_at: Option<i64>,
    pub coupon_code: Option<String>,
}

/// Whether the shopper (their member token, their brand identity) owns a
/// referral code made under `code_identity` and `code_member`: a code made
/// signed in is its customer's alone, whoever else uses that browser; one
/// made signed out is the browser's. The same rule reads codes by token in
/// SQL (`sql::REFERRER_BY_MEMBER`) and in the data download
/// (`privacy::sql`).
pub fn owns(code_identity: Option<&str>, code_member: Option<&str>, identity: Option<&str>, member: Option<&str>) -> bool {
    match code_identity {
        Some(sub) => identity == Some(sub),
        None => code_member.is_some() && code_member == member,
    }
}

/// When the buyer of a referred purchase was last touched by the referral,
/// the start of its attribution window: the later of their own touches,
/// their claim of the pool coupon they used (`claimed_at`, found by the
/// report's `coupon_code`) and their arrival as the shop noted it
/// (`referred_at`); for a report that says neither, the code's latest click
/// or claim by anyone (`code_touch`: all a code-level report allows; any
/// friend's click keeps it fresh). Never later than `now` (a shop's clock
/// ahead of ours). `None` (no touch known: the code was typed at checkout)
/// attributes the purchase.
pub fn touch(claimed_at: Option<i64>, referred_at: Option<i64>, code_touch: Option<i64>, now: i64) -> Option<i64> {
    claimed_at.max(referred_at).or(code_touch).map(|t| t.min(now))
}

impl PurchaseReport {
    pub fn validate(&self) -> Result<ValidPurchase, ApiError> {
        let bad = |f: &str, m: &str| ApiError::field(ErrorCode::ValidationFailed, f, m);
        let order_id = self.order_id.trim();
        if order_id.is_empty() || order_id.chars().count() > ORDER_ID_MAX || order_id.chars().any(char::is_control) {
            return Err(bad("order_id", "order_id is 1-100 characters"));
        }
        if self.amount_minor <= 0 || self.amount_minor > AMOUNT_MINOR_MAX {
            return Err(bad("amount_minor", "amount_minor is a positive amount in cents"));
        }
        if !CURRENCIES.contains(&self.currency.as_str()) {
            return Err(bad("currency", "currency is an ISO 4217 code such as USD or EUR"));
        }
        let referee_email = match self.referee_email.as_deref().filter(|e| !e.trim().is_empty()) {
            Some(e) => Some(crate::email::parse(e).map_err(|e| ApiError::field(ErrorCode::ValidationFailed, "referee_email", e.message))?),
            None => None,
        };
        let code = match self.code.as_deref().filter(|c| !c.trim().is_empty()) {
            Some(c) => Some(ReferralCode::parse(c).map_err(|e| ApiError::field(ErrorCode::ValidationFailed, "code", e.message))?),
            None => None,
        };
        if referee_email.is_none() && code.is_none() {
            return Err(bad("code", "send the referral code or the buyer's email"));
        }
        // Milliseconds since 2000 at least: seconds would read as 1970.
        if self.referred_at.is_some_and(|t| t < 946_684_800_000) {
            return Err(bad("referred_at", "referred_at is when the buyer arrived through the link, in milliseconds since the Unix epoch"));
        }
        let coupon_code = self.coupon_code.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned);
        if coupon_code.as_ref().is_some_and(|c| c.chars().count() > COUPON_CODE_MAX || c.chars().any(char::is_control)) {
            return Err(bad("coupon_code", "coupon_code is the code printed on the coupon, up to 64 characters"));
        }
        Ok(ValidPurchase {
            order_id: order_id.to_owned(),
            referee_email,
            code,
            amount_minor: self.amount_minor,
            currency: self.currency.clone(),
            referred_at: self.referred_at,
            coupon_code,
        })
    }
}

/// The most approved testimonials a tier may ask for: a referrer's
/// testimonials are counted up to this (`sql::AUTHOR_TESTIMONIALS_CAP`), so
/// the count reads a bounded number of rows.
pub const TIER_TESTIMONIALS_MAX: u32 = 100;

/// A named tier reached by successful referrals and approved testimonials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Tier {
    pub name: String,
    #[serde(deserialize_with = "crate::error::whole")]
    pub referrals: u32,
    #[serde(deserialize_with = "crate::error::whole")]
    pub testimonials: u32,
}

pub fn default_tiers() -> Vec<Tier> {
    vec![
        Tier { name: "Ambassador".into(), referrals: 3, testimonials: 1 },
        Tier { name: "Champion".into(), referrals: 10, testimonials: 3 },
    ]
}

/// The highest tier whose thresholds are both met.
pub fn tier(tiers: &[Tier], referrals: u32, testimonials: u32) -> Option<&Tier> {
    tiers
        .iter()
        .filter(|t| referrals >= t.referrals && testimonials >= t.testimonials)
        .max_by_key(|t| (t.referrals, t.testimonials))
}

/// Webhook signature header value: `t=<unix s>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
/// Receivers recompute it and reject stale timestamps.
pub fn sign_webhook(secret: &[u8], timestamp: i64, body: &str) -> String {
    sign_webhook_with(&[secret], timestamp, body)
}

/// [`sign_webhook`] with one `v1` per secret, in order: while a replaced
/// webhook secret still works (`crate::brand::Previous`), each delivery is
/// signed with the new one and the old one, so a receiver that checks any
/// `v1` against the secret it holds keeps verifying while it moves to the
/// new one (Stripe's scheme for rolled endpoint secrets).
///
/// ```
/// use kindred_core::referral::{sign_webhook, sign_webhook_with};
/// let both = sign_webhook_with(&[b"new", b"old"], 7, "{}");
/// let new = sign_webhook(b"new", 7, "{}");
/// let old = sign_webhook(b"old", 7, "{}");
/// assert_eq!(both, format!("{new},{}", old.trim_start_matches("t=7,")));
/// ```
pub fn sign_webhook_with(secrets: &[&[u8]], timestamp: i64, body: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut header = format!("t={timestamp}");
    for secret in secrets {
        let sig = Hmac::<sha2::Sha256>::new_from_slice(secret)
            .map(|mut m| {
                m.update(format!("{timestamp}.{body}").as_bytes());
                crate::auth::hex(&m.finalize().into_bytes())
            })
            .unwrap_or_default();
        header.push_str(",v1=");
        header.push_str(&sig);
    }
    header
}

/// Seconds before retry `attempt` (1-based) of a failed webhook; `None`
/// once it is time to give up.
pub fn webhook_backoff(attempt: u32) -> Option<i64> {
    const DELAYS: [i64; 6] = [30, 120, 600, 3_600, 6 * 3_600, 24 * 3_600];
    DELAYS.get(attempt.saturating_sub(1) as usize).copied()
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_link_email_waits_then_sends_the_same_link_while_it_works() {
        let min = 60_000;
        let sent = |issued_at, emailed_at| Some(LastLink { id: "a", issued_at, emailed_at });
        assert_eq!(link_email(None, 0), LinkEmail::New);
        assert_eq!(link_email(sent(0, 0), 9 * min), LinkEmail::Wait);
        assert_eq!(link_email(sent(0, 0), 10 * min), LinkEmail::Again("a"), "asking again never ends a link that works");
        assert_eq!(link_email(sent(0, LINK_TTL_MS - 11 * min), LINK_TTL_MS - 1), LinkEmail::Again("a"));
        assert_eq!(link_email(sent(0, LINK_TTL_MS - 11 * min), LINK_TTL_MS), LinkEmail::New, "24 hours from its first email, however often sent again");
        assert_eq!(link_email(sent(0, LINK_TTL_MS - min), LINK_TTL_MS), LinkEmail::Wait);
    }
    use super::*;

    #[test]
    fn a_code_made_signed_in_is_its_customers_and_one_made_signed_out_the_browsers() {
        assert!(owns(Some("cust-a"), Some("m1"), Some("cust-a"), Some("m2")), "her sign-in, any browser");
        assert!(!owns(Some("cust-a"), Some("m1"), Some("cust-b"), Some("m1")), "another customer on her browser");
        assert!(!owns(Some("cust-a"), Some("m1"), None, Some("m1")), "signed out on her browser");
        assert!(owns(None, Some("m1"), Some("cust-b"), Some("m1")), "a signed-out code is the browser's");
        assert!(!owns(None, None, None, None));
    }

    #[test]
    fn the_window_runs_from_this_friends_own_touch_when_the_report_says_it() {
        assert_eq!(touch(Some(5), None, Some(9), 100), Some(5), "their claim of the coupon they used");
        assert_eq!(touch(None, Some(7), Some(9), 100), Some(7), "their arrival, as the shop noted it");
        assert_eq!(touch(Some(5), Some(7), Some(9), 100), Some(7), "they claimed, then came back through the link");
        assert_eq!(touch(Some(8), Some(7), Some(9), 100), Some(8));
        assert_eq!(touch(None, None, Some(9), 100), Some(9), "the code's latest touch, all a code-level report allows");
        assert_eq!(touch(None, Some(150), None, 100), Some(100), "a shop's clock ahead of ours");
        assert_eq!(touch(None, None, None, 100), None);
        let report = |extra: serde_json::Value| {
            let mut v = serde_json::json!({"order_id": "o-1", "code": "K7MQ2XHB", "amount_minor": 100, "currency": "USD"});
            for (k, x) in extra.as_object().unwrap() {
                v[k] = x.clone();
            }
            serde_json::from_value::<PurchaseReport>(v).unwrap().validate()
        };
        assert_eq!(report(serde_json::json!({"referred_at": 1_800_000_000_000i64, "coupon_code": " FRIEND-1 "})).map(|p| (p.referred_at, p.coupon_code)), Ok((Some(1_800_000_000_000), Some("FRIEND-1".to_owned()))));
        assert_eq!(report(serde_json::json!({"referred_at": 1_800_000_000})).unwrap_err().field.as_deref(), Some("referred_at"), "seconds, not ms");
        assert_eq!(report(serde_json::json!({"coupon_code": "x".repeat(65)})).unwrap_err().field.as_deref(), Some("coupon_code"));
        assert_eq!(report(serde_json::json!({"coupon_code": ""})).map(|p| p.coupon_code), Ok(None));
    }

    #[test]
    fn a_link_keeps_its_code_whatever_a_message_put_around_it() {
        let code = |raw: &str| ReferralCode::from_link(raw).map(|c| c.as_str().to_owned());
        for raw in ["K7MQ2XHB", "k7mq2xhb", "K7MQ2XHB.", "K7MQ2XHB)", "K7MQ2XHB%E2%81%A9", "%E2%81%A8K7MQ2XHB%E2%81%A9", "K7MQ2XHB%E2%80%8F", "K7MQ2XHB%2C"] {
            assert_eq!(code(raw), Ok("K7MQ2XHB".to_owned()), "{raw}");
        }
        for raw in ["K7MQ2XHBX", "K7MQ2XH", "", "%E2%81%A9", "K7MQ%2F2XHB"] {
            assert!(code(raw).is_err(), "{raw}");
        }
    }
    use proptest::prelude::*;

    #[test]
    fn the_board_shows_a_first_name_an_initial_and_the_tier_reached() {
        let tiers = [Tier { name: "Gold".into(), referrals: 5, testimonials: 2 }, Tier { name: "Silver".into(), referrals: 2, testimonials: 1 }];
        // (name, referrals, testimonials): a tier needs both of its thresholds.
        let rows = [
            ("Ana Lopez Diaz", 6, 2),
            ("Bo Berg", 6, 1),
            ("  ليلى   حسن ", 2, 1),
            ("Cy", 9, 0),
            ("Zoë", 1, 5),
            ("😀 Émile", 1, 0),
            ("", 1, 0),
            (" \t ", 1, 0),
            ("ana.lopez@example.com", 1, 0),
            ("Dee dee@example.com Smith", 1, 0),
            ("@ana_runs Lopez", 1, 0),
            ("Wolfeschlegelsteinhausenbergerdorff Jr", 1, 0),
            // Whole characters: three families are 21 code points, a flag two.
            ("👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦 🇮🇷Tehrani", 1, 0),
            // One character of 25 code points (marks stored before the cap).
            ("a\u{301}\u{302}\u{303}\u{304}\u{306}\u{307}\u{308}\u{30a}\u{30b}\u{30c}\u{30d}\u{30e}\u{30f}\u{310}\u{311}\u{312}\u{313}\u{314}\u{315}\u{316}\u{317}\u{318}\u{319}\u{31a} Ray", 1, 0),
        ];
        let board = board(rows.iter().map(|&(n, referrals, testimonials)| BoardRow { name: n.to_owned(), referrals, testimonials }), &tiers);
        let shown: Vec<(&str, u32, Option<&str>)> = board.iter().map(|e| (e.name.as_str(), e.referrals, e.tier.as_deref())).collect();
        assert_eq!(
            shown,
            [
                ("Ana L.", 6, Some("Gold")),
                ("Bo B.", 6, Some("Silver")),
                ("ليلى ح.", 2, Some("Silver")),
                ("Cy", 9, None),
                ("Zoë", 1, None),
                ("😀 É.", 1, None),
                ("Dee S.", 1, None),
                // A handle is a name its owner chose to show.
                ("@ana_runs L.", 1, None),
                ("Wolfeschlegelsteinha J.", 1, None),
                ("👨‍👩‍👧‍👦👨‍👩‍👧‍👦 🇮🇷.", 1, None),
                ("a\u{301}\u{302}\u{303}\u{304}\u{306}\u{307}\u{308}\u{30a}\u{30b}\u{30c}\u{30d}\u{30e}\u{30f}\u{310}\u{311}\u{312}\u{313}\u{314}\u{315}\u{316}\u{317}\u{318}\u{319}\u{31a} R.", 1, None),
            ]
        );
    }

    #[test]
    fn a_purchase_moves_the_copies_only_where_the_board_can_show_it() {
        // The trigger that keeps the first paint's board current looks as far
        // down the list as the board shows.
        let migration = include_str!("../../edge/migrations/0032_board_in_first_paint.sql");
        assert!(migration.contains(&format!("LIMIT {BOARD_SHOWN})) < {BOARD_SHOWN}")), "{migration}");
        // It counts the referrers the board lists (`crate::sql::LEADERBOARD`).
        assert!(crate::sql::LEADERBOARD.contains("r.name <> ''") && migration.contains("o.name <> ''"), "{migration}");
        // A new name (`PATCH .../referrers/me`) moves them by the same rule,
        // for a referrer the board lists (`r.purchases > 0`).
        let names = include_str!("../../edge/migrations/0050_board_names_move_copies.sql");
        assert!(names.contains(&format!("LIMIT {BOARD_SHOWN})) < {BOARD_SHOWN}")) && names.contains("o.name <> ''"), "{names}");
        assert!(crate::sql::LEADERBOARD.contains("r.purchases > 0") && names.contains("NEW.purchases > 0"), "{names}");
    }

    #[test]
    fn codes() {
        let c = ReferralCode::from_random(&[0, 1, 2, 3, 29, 30, 255, 100]);
        assert_eq!(c.as_str().len(), CODE_LEN);
        assert_eq!(ReferralCode::parse(&c.as_str().to_lowercase()).unwrap(), c);
        for bad in ["", "SHORT", "TOOLONGCODE1", "ABCD0EFG", "ABCDEFG!", "ABCDEFGI"] {
            assert!(ReferralCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn links_that_earned_something_are_emailed_from_a_bucket_of_their_own() {
        assert_eq!(link_email_bucket("acme", 0), "l:acme");
        assert_eq!(link_email_bucket("acme", 1), link_email_bucket("acme", 40));
        assert_ne!(link_email_bucket("acme", 1), link_email_bucket("acme", 0));
        assert_ne!(link_email_bucket("acme", 1), link_email_bucket("other", 1));
    }

    #[test]
    fn a_referrers_note_is_checked_text_and_waits_for_a_person() {
        use crate::testimonial::{ModerationMode as M, Status};
        use serde_json::json;
        let change = |v| ReferrerPatch::changes(&v).map(|c| c.note);
        assert_eq!(change(json!({})).unwrap(), None);
        assert_eq!(change(json!({"note": null})).unwrap(), Some(None));
        assert_eq!(change(json!({"note": "  \u{200b} "})).unwrap(), Some(None), "nothing that shows is no note");
        assert_eq!(change(json!({"note": " Trust me,\nthey last. "})).unwrap(), Some(Some("Trust me,\nthey last.".into())));
        // Characters, not bytes: 280 Persian letters or emoji fit, 281 do not.
        let fa = "ب".repeat(REFERRER_NOTE_MAX);
        assert_eq!(change(json!({"note": fa})).unwrap(), Some(Some(fa.clone())));
        assert_eq!(change(json!({"note": "🥾".repeat(REFERRER_NOTE_MAX + 1)})).unwrap_err().field.as_deref(), Some("note"));
        assert_eq!(change(json!({"note": 5})).unwrap_err().field.as_deref(), Some("note"));
        assert_eq!(change(json!({"nickname": "x"})).unwrap_err().field.as_deref(), Some("nickname"));
        assert_eq!(change(json!(["note"])).unwrap_err().code, ErrorCode::ValidationFailed);
        // The name: the join's rule (no address, not blank, 60 characters), never removed.
        let name = |v| ReferrerPatch::changes(&v).map(|c| c.name);
        assert_eq!(name(json!({"note": "hi"})).unwrap(), None);
        assert_eq!(name(json!({"name": " مریم  رضایی "})).unwrap().as_deref(), Some("مریم رضایی"));
        assert_eq!(name(json!({"name": "🥾".repeat(REFERRER_NAME_MAX)})).unwrap().map(|n| n.chars().count()), Some(REFERRER_NAME_MAX));
        for bad in [json!({"name": null}), json!({"name": " "}), json!({"name": "ana@example.com"}), json!({"name": 7}), json!({"name": "a".repeat(REFERRER_NAME_MAX + 1)})] {
            assert_eq!(name(bad.clone()).unwrap_err().field.as_deref(), Some("name"), "{bad}");
        }
        for mode in [M::AllPending, M::AutoApproveMinRating { min_rating: 1 }, M::AutoApproveVerified] {
            assert_eq!(note_initial_status(mode, false), Status::Pending, "{mode:?}");
        }
        assert_eq!(note_initial_status(M::AutoApproveMinRating { min_rating: 1 }, true), Status::Pending);
        assert_eq!(note_initial_status(M::AutoApproveVerified, true), Status::Approved);
        // A page of the note queue ends at `(written_at, code)`.
        let parse_note_cursor = |raw: &str| crate::page::parse(raw, ReferralCode::is_stored).map(|a| (a.at, a.key));
        let c = crate::page::cursor(1_700_000_000_000, "K7MQ2XHB");
        assert_eq!(parse_note_cursor(&c).unwrap(), (1_700_000_000_000, "K7MQ2XHB".to_owned()));
        assert_eq!(parse_note_cursor("5.MARCO7RN").unwrap(), (5, "MARCO7RN".to_owned()), "an older code's letters");
        for bad in ["", "12", "x.K7MQ2XHB", "12.nope", "12.K7MQ2XHB' OR 1"] {
            assert_eq!(parse_note_cursor(bad).unwrap_err().field.as_deref(), Some("cursor"), "{bad}");
        }
    }

    #[test]
    fn canonical_emails() {
        assert_eq!(canonical_email("Ana.R+shoes@GoogleMail.com"), "anar@gmail.com");
        assert_eq!(canonical_email("a.n.a@gmail.com"), "ana@gmail.com");
        assert_eq!(canonical_email("ana+x@outlook.com"), "ana@outlook.com");
        assert_eq!(canonical_email("a.na@outlook.com"), "a.na@outlook.com", "dots matter at outlook");
        assert_eq!(canonical_email("ana+x@example.com"), "ana+x@example.com", "unknown providers keep tags");
        assert_eq!(canonical_email("ANA@Example.COM"), "ana@example.com");
    }

    fn p(email: Option<&str>, member: Option<&str>, sub: Option<&str>) -> Party {
        Party { canonical_email: email.map(canonical_email), member_token: member.map(Into::into), identity_sub: sub.map(Into::into) }
    }

    #[test]
    fn self_referral() {
        let ana = p(Some("ana@gmail.com"), Some("m1"), Some("c1"));
        assert!(is_self_referral(&ana, &p(Some("a.na+2@gmail.com"), None, None)), "same mailbox");
        assert!(is_self_referral(&ana, &p(Some("x@y.io"), Some("m1"), None)), "same browser");
        assert!(is_self_referral(&ana, &p(None, None, Some("c1"))), "same customer");
        assert!(!is_self_referral(&ana, &p(Some("bo@gmail.com"), Some("m2"), Some("c2"))));
        assert!(!is_self_referral(&p(None, None, None), &p(None, None, None)), "nothing known is not a match");
        assert!(!is_self_referral(&p(None, Some(""), None), &p(None, Some(""), None)));
    }

    #[test]
    fn decisions_in_order() {
        let v = Velocity::default();
        let ok = ConversionSignals { code_conversions_24h: 1, ..Default::default() };
        assert_eq!(decide(&ok, &v), Decision::Approve);
        let mut s = ok.clone();
        s.code_conversions_24h = 6;
        assert!(matches!(decide(&s, &v), Decision::Hold(_)));
        s.already_referred = true;
        assert_eq!(decide(&s, &v), Decision::Reject(Refusal::AlreadyReferred));
        s.already_customer = true;
        assert_eq!(decide(&s, &v), Decision::Reject(Refusal::AlreadyCustomer));
        s.self_referral = true;
        assert_eq!(decide(&s, &v), Decision::Reject(Refusal::SelfReferral));
        let many_claims = ConversionSignals { claims_from_ip_1h: 6, ..Default::default() };
        assert!(matches!(decide(&many_claims, &v), Decision::Hold(_)));
        let at_home = ConversionSignals { claimed_from_referrer_address: true, ..ok.clone() };
        assert_eq!(decide(&at_home, &v), Decision::Hold("the friend signed up from the referrer's address"));
        assert_eq!(decide(&ConversionSignals { self_referral: true, ..at_home }, &v), Decision::Reject(Refusal::SelfReferral));
    }

    #[test]
    fn purchases() {
        let good = PurchaseReport { order_id: "o-1".into(), referee_email: Some("Bo@x.io".into()), code: None, amount_minor: 4999, currency: "USD".into(), referred_at: None, coupon_code: None };
        assert!(good.validate().is_ok());
        let field = |r: PurchaseReport| r.validate().unwrap_err().field.unwrap();
        assert_eq!(field(PurchaseReport { amount_minor: -5, ..good.clone() }), "amount_minor");
        assert_eq!(field(PurchaseReport { amount_minor: 0, ..good.clone() }), "amount_minor");
        assert_eq!(field(PurchaseReport { currency: "usd".into(), ..good.clone() }), "currency");
        assert_eq!(field(PurchaseReport { currency: "XXX".into(), ..good.clone() }), "currency");
        assert_eq!(field(PurchaseReport { order_id: " ".into(), ..good.clone() }), "order_id");
        assert_eq!(field(PurchaseReport { referee_email: Some("nope".into()), ..good.clone() }), "referee_email");
        assert_eq!(field(PurchaseReport { referee_email: None, code: Some("bad!".into()), ..good.clone() }), "code");
        assert_eq!(field(PurchaseReport { referee_email: None, code: None, ..good }), "code");
    }

    #[test]
    fn windows_tiers_and_backoff() {
        assert!(within_window(0, 30 * 86_400_000, 30));
        assert!(!within_window(0, 30 * 86_400_000 + 1, 30));
        assert!(!within_window(10, 5, 30), "clicks from the future");
        let tiers = default_tiers();
        assert_eq!(tier(&tiers, 2, 5), None);
        assert_eq!(tier(&tiers, 3, 1).map(|t| t.name.as_str()), Some("Ambassador"));
        assert_eq!(tier(&tiers, 12, 3).map(|t| t.name.as_str()), Some("Champion"));
        assert_eq!(tier(&tiers, 12, 0), None);
        assert_eq!(webhook_backoff(1), Some(30));
        assert_eq!(webhook_backoff(7), None);
    }

    #[test]
    fn referral_settings() {
        let ok = ReferralConfig { landing_url: Some("https://shop.example/welcome?x=1".into()), ..Default::default() };
        assert!(ok.validate().is_ok());
        for url in ["javascript:alert(1)", "http://", "https://", "ftp://x.io/", "https://a b.io/", "https://x.io/\"<script>"] {
            let c = ReferralConfig { landing_url: Some(url.into()), ..Default::default() };
            assert!(c.validate().is_err(), "{url}");
        }
        let hook = ReferralConfig { reward: RewardKind::Both, ..Default::default() };
        assert_eq!(hook.validate().unwrap_err().field.as_deref(), Some("referral.webhook_url"));
    }

    #[test]
    fn webhook_signatures_verify() {
        let h = sign_webhook(b"whsec", 1_700_000_000, r#"{"a":1}"#);
        assert!(h.starts_with("t=1700000000,v1="));
        assert_eq!(h, sign_webhook(b"whsec", 1_700_000_000, r#"{"a":1}"#));
        assert_ne!(h, sign_webhook(b"whsec", 1_700_000_000, r#"{"a":2}"#));
        assert_ne!(h, sign_webhook(b"other", 1_700_000_000, r#"{"a":1}"#));
    }

    proptest! {
        #[test]
        fn canonical_email_is_idempotent(local in "[a-zA-Z0-9.+]{1,20}", domain in "(gmail\\.com|outlook\\.com|example\\.org)") {
            let e = format!("{local}@{domain}");
            let once = canonical_email(&e);
            prop_assert_eq!(canonical_email(&once), once);
        }

        #[test]
        fn random_codes_always_parse(bytes in proptest::array::uniform8(any::<u8>())) {
            let c = ReferralCode::from_random(&bytes);
            prop_assert_eq!(ReferralCode::parse(c.as_str()).unwrap(), c);
        }
    }
}

/// How a referrer is rewarded when a friend buys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RewardKind {
    /// The next unused code from the brand's reward pool.
    #[default]
    Coupon,
    /// A signed webhook; the brand fulfils it.
    Webhook,
    Both,
}

/// A brand's referral program settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, default)]
pub struct ReferralConfig {
    /// Where `/r/{code}` sends friends (the code is added as `kindred_ref`).
    pub landing_url: Option<String>,
    /// What the friend gets, e.g. "15% off your first order".
    pub referee_offer: String,
    /// One code for every friend, when the brand has no pool.
    pub static_coupon: Option<String>,
    /// How long a click attributes a purchase, days.
    #[serde(deserialize_with = "crate::error::whole")]
    pub window_days: u32,
    pub reward: RewardKind,
    /// Where `reward.issued` (with `reward` `webhook` or `both`) and
    /// `referral.link_requested` ("Email me my link", [`LinkRequest`]) go;
    /// without one (or without `landing_url`), the widget does not offer
    /// the email.
    pub webhook_url: Option<String>,
    /// Held conversions are approved automatically after this long.
    #[serde(deserialize_with = "crate::error::whole")]
    pub hold_hours: u32,
    pub velocity: Velocity,
    pub tiers: Vec<Tier>,
    /// Show top ambassadors (display names only) in the widget.
    pub leaderboard: bool,
}

impl Default for ReferralConfig {
    fn default() -> Self {
        Self {
            landing_url: None,
            referee_offer: "15% off your first order".into(),
            static_coupon: None,
            window_days: 30,
            reward: RewardKind::Coupon,
            webhook_url: None,
            hold_hours: 72,
            velocity: Velocity::default(),
            tiers: default_tiers(),
            leaderboard: false,
        }
    }
}

/// A full http(s) URL with a valid host, safe to store and fetch.
pub fn is_http_url(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once("://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    matches!(scheme, "https" | "http")
        && s.len() <= 500
        && !s.chars().any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>')
        && crate::origin::Origin::parse(&format!("{scheme}://{host}")).is_ok()
}

impl ReferralConfig {
    /// Whether the widget shows the ambassadors' board: a referral programme
    /// (a landing URL) with its board turned on. Migration 0032's trigger
    /// reads the same two settings from `brands.referral_config`.
    pub fn shows_board(&self) -> bool {
        self.landing_url.is_some() && self.leaderboard
    }

    pub fn validate(mut self) -> Result<Self, ApiError> {
        let bad = |f: &str, m: &str| ApiError::field(ErrorCode::ValidationFailed, f, m);
        for (field, url) in [("referral.landing_url", &self.landing_url), ("referral.webhook_url", &self.webhook_url)] {
            if let Some(u) = url {
                if !is_http_url(u) {
                    return Err(bad(field, "use a full http(s) URL"));
                }
            }
        }
        self.referee_offer = crate::text::field(&self.referee_offer, "referral.referee_offer", 1, 80, false)?;
        if let Some(c) = &self.static_coupon {
            if c.is_empty() || c.len() > COUPON_CODE_MAX || !c.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
                return Err(bad("referral.static_coupon", "a coupon code is 1-64 letters, digits, '-' or '_'"));
            }
        }
        if !(1..=WINDOW_DAYS_MAX).contains(&self.window_days) {
            return Err(bad("referral.window_days", "window_days is 1 to 365"));
        }
        // 0: held conversions are approved at the next cron run.
        if self.hold_hours > 24 * 60 {
            return Err(bad("referral.hold_hours", "hold_hours is 0 to 1440"));
        }
        if self.reward != RewardKind::Coupon && self.webhook_url.is_none() {
            return Err(bad("referral.webhook_url", "webhook rewards need a webhook_url"));
        }
        if self.tiers.len() > 5 || self.tiers.iter().any(|t| t.name.trim().is_empty() || t.name.chars().count() > 40) {
            return Err(bad("referral.tiers", "up to 5 tiers, each with a name of 1-40 characters"));
        }
        if self.tiers.iter().any(|t| t.testimonials > TIER_TESTIMONIALS_MAX) {
            return Err(bad("referral.tiers", "a tier asks for at most 100 testimonials"));
        }
        Ok(self)
    }
}

/// Coupon codes a brand uploads: for friends (`referee`) or for referrers (`reward`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CouponKind {
    Referee,
    Reward,
}

impl CouponKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Referee => "referee",
            Self::Reward => "reward",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CouponUpload {
    pub kind: CouponKind,
    pub codes: Vec<String>,
}

/// Whether two coupon codes are one coupon: equal but for case. Shops
/// read discount codes without case (Shopify: "discount codes aren't case
/// sensitive"; WooCommerce lower-cases them, `wc_format_coupon_code`), so
/// `ref-0` and `REF-0` in two pools would hand one coupon to a friend and
/// to a referrer (helper-103). Codes are ASCII ([`CouponUpload::validate`]),
/// so ASCII case is all there is (SQLite's `NOCASE`, the statements'
/// collation).
///
/// ```
/// assert!(kindred_core::referral::same_coupon("Summer-AB12", "summer-ab12"));
/// assert!(!kindred_core::referral::same_coupon("summer-ab12", "summer-ab13"));
/// ```
pub fn same_coupon(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

impl CouponUpload {
    /// The upload's codes, trimmed, each once (the first spelling of codes
    /// equal but for case: [`same_coupon`]), in its order.
    ///
    /// # Errors
    /// `validation_failed` on `codes`: none, more than
    /// [`COUPONS_PER_UPLOAD_MAX`], or one that is not 1-64 letters, digits,
    /// `-` or `_`.
    pub fn validate(&self) -> Result<Vec<String>, ApiError> {
        if self.codes.is_empty() || self.codes.len() > COUPONS_PER_UPLOAD_MAX {
            return Err(ApiError::field(ErrorCode::ValidationFailed, "codes", format!("send 1 to {COUPONS_PER_UPLOAD_MAX} codes at a time")));
        }
        let mut out: Vec<String> = Vec::new();
        for c in &self.codes {
            let c = c.trim();
            if c.is_empty() || c.len() > COUPON_CODE_MAX || !c.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
                return Err(ApiError::field(ErrorCode::ValidationFailed, "codes", format!("'{}' is not a coupon code (1-64 letters, digits, '-' or '_')", c.chars().take(COUPON_CODE_MAX).collect::<String>())));
            }
            if !out.iter().any(|o| same_coupon(o, c)) {
                out.push(c.to_owned());
            }
        }
        Ok(out)
    }
}

/// `POST /v1/brands/{brand}/referrers`: a shopper joins the program.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReferrerSignup {
    pub name: String,
    pub email: String,
    #[serde(default)]
    pub identity: Option<String>,
    /// Honeypot, as on the testimonial form.
    #[serde(default)]
    pub website: Option<String>,
}

/// `POST /v1/brands/{brand}/referrers/link-requests`: "email me my link",
/// from a shopper whose address already has a referral link held by
/// another browser (their laptop; or someone who typed their address
/// first). The answer is 202 whatever the address (no oracle). The brand's
/// `referral.webhook_url` hears `referral.link_requested`, to email the
/// link to the address the referral link was made for, when that link is
/// held by a browser (one made signed in opens wherever its customer signs
/// in) and none was asked for in [`LINK_EVERY_MS`].
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LinkRequest {
    pub email: String,
}

/// `POST /v1/brands/{brand}/referrers/me/link`: the token of the link a
/// `referral.link_requested` webhook carried (`?kindred_link=` on the
/// brand's page), which puts that referral link on this browser.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LinkTransfer {
    pub token: String,
}

/// The query parameter of the link that brings a referral link to another
/// browser (`https://shop.example/?kindred_link=<token>`).
pub const LINK_PARAM: &str = "kindred_link";
/// What those tokens are signed for (`crate::review_request::token`'s
/// purpose: a review link's token opens no referral link).
pub const LINK_PURPOSE: &str = "referral-link";
/// How long such a link works after it was first emailed, ms (24 h, as
/// password-reset links commonly do), however often it is sent again.
pub const LINK_TTL_MS: i64 = 24 * 3_600_000;
/// The shortest time between two emails of one referrer's link, ms (10
/// min): typing an address again and again sends its owner one email.
pub const LINK_EVERY_MS: i64 = 10 * 60_000;

/// What a request for the email of a referral link does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkEmail<'a> {
    /// Nothing: one was sent less than [`LINK_EVERY_MS`] ago.
    Wait,
    /// The link last sent (this request id) again: it still works.
    Again(&'a str),
    /// A new link.
    New,
}

/// The last link emailed for a referrer: its request id, when it was
/// first emailed and when last (unix ms).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LastLink<'a> {
    pub id: &'a str,
    pub issued_at: i64,
    pub emailed_at: i64,
}

/// The rule for a request for the email of a referral link, by the last
/// one at `now`: nothing within [`LINK_EVERY_MS`] of its last email; while
/// it works ([`LINK_TTL_MS`] from its first email), the same link again, so
/// asking again (whoever asks: helper-82, an attacker every 10 minutes)
/// never ends the link its owner was sent, nor keeps it working longer
/// (helper-83); else a new one. A link opened or erased has no last one.
pub fn link_email(last: Option<LastLink<'_>>, now: i64) -> LinkEmail<'_> {
    match last {
        Some(l) if now - l.emailed_at < LINK_EVERY_MS => LinkEmail::Wait,
        Some(l) if now - l.issued_at < LINK_TTL_MS => LinkEmail::Again(l.id),
        _ => LinkEmail::New,
    }
}

/// The rate-limit bucket a referral link's email counts against in brand
/// `brand`'s hour (`rate_limits.per_brand` emails each): links with referred
/// purchases the brand approved (`purchases`, with rewards at stake) in
/// one, every other link in another. Anyone may make links with others'
/// addresses and ask for their emails, and so spend the hour's ceiling
/// (helper-83); they cannot spend the first bucket without purchases the
/// brand approved, so the owner of a link that earned something still gets
/// it that hour. Unix-ms-free: a key for `store::ratelimit`.
pub fn link_email_bucket(brand: &str, purchases: u32) -> String {
    if purchases > 0 { format!("lp:{brand}") } else { format!("l:{brand}") }
}

/// A reward as its referrer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RewardView {
    /// The coupon, once issued.
    pub coupon_code: Option<String>,
    pub state: RewardState,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReferrerStats {
    pub clicks: u32,
    /// Friends who opened their offer.
    pub friends: u32,
    pub purchases: u32,
    pub rewards: Vec<RewardView>,
}

/// What a referrer sees of their own referral.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReferrerView {
    pub name: String,
    pub code: String,
    /// `https://EDGE/r/CODE`.
    pub share_url: String,
    pub stats: ReferrerStats,
    /// The ambassador tier reached, if any.
    pub tier: Option<String>,
    /// Their personal note for friends and where it stands; absent without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<NoteView>,
}

/// `POST /v1/brands/{brand}/referrals/claim`: a friend opens the offer.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Claim {
    pub code: String,
}

/// What the friend sees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClaimView {
    pub referrer_name: String,
    pub offer: String,
    /// `None` when the pool ran dry (`state` says so).
    pub coupon_code: Option<String>,
    pub state: ClaimState,
    /// Unix ms until which the attribution holds.
    pub expires_at: i64,
    /// The referrer's own words, shown above the offer: their best published
    /// testimonial for this brand (most stars, then newest), its text cut to
    /// [`VOICE_EXCERPT`] characters, without photos or the brand's reply,
    /// with their first name (as `referrer_name`) and badges; never an
    /// email. Theirs by the rule of `crate::sql::referrer_voice`: written
    /// under the brand identity they joined with, or in the same browser
    /// with the same email and no identity. The widget says that the
    /// referrer is rewarded if the friend orders (FTC 16 CFR 255.5: a
    /// material connection is disclosed with the endorsement). Absent when
    /// they have published none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice: Option<crate::widget::TestimonialView>,
    /// The personal note the referrer wrote for friends, once the brand
    /// approved it ([`note_initial_status`]), whole (at most
    /// [`REFERRER_NOTE_MAX`] characters, line breaks kept). The widget shows
    /// it in place of `voice`'s title and text (the badges stay `voice`'s),
    /// under the same disclosure. Absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Characters of the referrer's testimonial a friend's offer shows.
pub const VOICE_EXCERPT: usize = 240;

/// Longest personal note a referrer writes for their friends, characters
/// (NFC, as [`crate::text::field`] counts them): a post's 280, a few lines
/// above the offer on a phone.
pub const REFERRER_NOTE_MAX: usize = 280;

/// `PATCH /v1/brands/{brand}/referrers/me`: the referrer's own changes, an
/// RFC 7396 merge patch of one member. `name`: the name friends read above
/// their offer (its first word) and the ambassadors' board shows
/// ([`crate::text::person_name`], at most [`REFERRER_NAME_MAX`] characters;
/// never removed, `null` refused), so a referral link recovered by email
/// from whoever typed its address first need not keep their choice; `note`:
/// the personal note friends who follow the link read above their offer
/// (at most [`REFERRER_NOTE_MAX`] characters, line breaks kept); `null` or
/// `""` removes it. A member left out stays as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReferrerPatch {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// What a [`ReferrerPatch`] changes, checked: `name` `None` leaves it;
/// `note` `None` leaves it, `Some(None)` removes it, `Some(Some(text))`
/// sets it (normalised, trimmed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReferrerChange {
    pub name: Option<String>,
    pub note: Option<Option<String>>,
}

impl ReferrerPatch {
    /// What the patch changes.
    ///
    /// # Errors
    /// `validation_failed` when the patch is not a JSON object, or naming
    /// the member: `name` not a string (or `null`), blank, too long or an
    /// email address ([`crate::text::person_name`]); `note` not a string or
    /// `null`, or too long; an unknown member.
    pub fn changes(patch: &serde_json::Value) -> Result<ReferrerChange, ApiError> {
        let serde_json::Value::Object(members) = patch else {
            return Err(ApiError::field(ErrorCode::ValidationFailed, "", "a referrer patch is a JSON object (RFC 7396 merge patch), e.g. {\"note\": \"...\"}"));
        };
        if let Some(k) = members.keys().find(|k| !matches!(k.as_str(), "name" | "note")) {
            return Err(ApiError::field(ErrorCode::ValidationFailed, k, format!("unknown member '{k}': a referrer may change their name and note")));
        }
        let name = match members.get("name") {
            None => None,
            Some(serde_json::Value::String(s)) => Some(crate::text::person_name(s, "name", REFERRER_NAME_MAX)?),
            Some(_) => return Err(ApiError::field(ErrorCode::ValidationFailed, "name", "a name is text; it cannot be removed")),
        };
        let note = match members.get("note") {
            None => None,
            Some(serde_json::Value::Null) => Some(None),
            Some(serde_json::Value::String(s)) => Some(Some(crate::text::field(s, "note", 0, REFERRER_NOTE_MAX, true)?).filter(|n| !crate::text::is_blank(n))),
            Some(_) => return Err(ApiError::field(ErrorCode::ValidationFailed, "note", "a note is text, or null to remove it")),
        };
        Ok(ReferrerChange { name, note })
    }
}

/// The status a referrer's note starts in, and returns to whenever its
/// words change. A note is an endorsement written by someone the brand
/// rewards, in the brand's widget: the brand answers for what it says
/// (FTC Guides Concerning the Use of Endorsements and Testimonials in
/// Advertising, 16 CFR 255.1(d)), so it waits for a person in every mode
/// but one: a brand that publishes verified buyers at once
/// ([`ModerationMode::AutoApproveVerified`]) publishes the note of a
/// referrer signed in with its identity (`verified`) at once too.
///
/// Unlike a testimonial, a held note is never published by the clock
/// (`crate::moderation::MaxHold`): the rule against suppressing reviews
/// (16 CFR 465.7) is about reviews of the product, and a note is the
/// referrer's message to friends, not a review; a brand may leave it unread.
///
/// [`ModerationMode::AutoApproveVerified`]: crate::testimonial::ModerationMode::AutoApproveVerified
pub fn note_initial_status(mode: crate::testimonial::ModerationMode, verified: bool) -> crate::testimonial::Status {
    use crate::testimonial::{ModerationMode, Status};
    if verified && mode == ModerationMode::AutoApproveVerified {
        Status::Approved
    } else {
        Status::Pending
    }
}

/// A referrer's personal note as they see it (`ReferrerView::note`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoteView {
    pub text: String,
    /// `approved`: friends see it; `pending`: waiting for the brand;
    /// `rejected`: not shown (they may write another).
    pub status: crate::testimonial::Status,
    /// When these words were written, unix ms.
    pub written_at: i64,
}

/// A referrer's note as the brand moderates it
/// (`GET /v1/admin/brands/{brand}/referrers/notes`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminNote {
    /// The referrer's code: names the note in the decision routes.
    pub code: String,
    pub name: String,
    pub email: String,
    pub note: String,
    pub status: crate::testimonial::Status,
    /// When these words were written, unix ms: send it back as `seen` with
    /// a decision, so a note rewritten since is not decided unread.
    pub written_at: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reject_reason: Option<crate::moderation::RejectReason>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reject_note: Option<String>,
}

/// Notes to moderate, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoteQueue {
    pub notes: Vec<AdminNote>,
    /// The next page's `cursor`, `null` on the last page.
    pub next_cursor: Option<String>,
}

/// One entry of the public leaderboard: display names only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeaderboardEntry {
    /// First name and last initial ("Ana L."), whatever the referrer typed.
    pub name: String,
    /// Referred purchases approved.
    pub referrals: u32,
    /// The highest ambassador tier those referrals reach, if any.
    pub tier: Option<String>,
}

/// Entries the widget's board shows (the first page's footer, once open).
pub const BOARD_SHOWN: usize = 5;

/// One referrer as the leaderboard is made from them
/// (`crate::sql::LEADERBOARD`'s row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardRow {
    /// The name as the referrer typed it.
    pub name: String,
    /// Approved referred purchases.
    pub referrals: u32,
    /// Their approved testimonials (for the tier).
    pub testimonials: u32,
}

/// The longest first name the board shows, in characters.
pub const BOARD_NAME_MAX: usize = 20;

/// The public leaderboard from `rows`, most referred purchases first (as
/// `crate::sql::LEADERBOARD` orders them): each name cut to its first word
/// (at most [`BOARD_NAME_MAX`] characters) and the next word's initial
/// ("Ana Lopez Diaz" is "Ana L."), of [`crate::text::public_name`] (words
/// holding an email address left out: a name with one is refused since
/// [`crate::text::person_name`], but older rows may hold one), a referrer
/// with nothing left out of the board; and the tier each has reached by [`tier`] (both
/// thresholds met), the same the referrer's own stats and the ambassador
/// badge go by. The one rule for what the public sees of a referrer, for
/// `GET /v1/brands/{brand}/ambassadors` and the widget's board alike.
pub fn board(rows: impl IntoIterator<Item = BoardRow>, tiers: &[Tier]) -> Vec<LeaderboardEntry> {
    rows.into_iter()
        .filter_map(|r| {
            let shown = crate::text::public_name(&r.name);
            let mut words = shown.split_whitespace();
            // Whole characters only: never half an emoji family or a flag;
            // one character longer than the cap on its own (a letter with
            // marks stored before `text::MAX_COMBINING_MARKS`) shows whole.
            let word = words.next()?;
            let first = match crate::text::prefix_graphemes(word, BOARD_NAME_MAX) {
                "" => crate::text::first_grapheme(word).unwrap_or_default(),
                cut => cut,
            }
            .to_owned();
            let initial = words.next().and_then(crate::text::first_grapheme).map(|c| format!(" {c}.")).unwrap_or_default();
            let reached = tier(tiers, r.referrals, r.testimonials).map(|t| t.name.clone());
            Some(LeaderboardEntry { name: first + &initial, referrals: r.referrals, tier: reached })
        })
        .collect()
}

/// The answer to a reported purchase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConversionView {
    pub id: String,
    pub order_id: String,
    pub status: ConversionStatus,
    /// Why it is held or refused (`many sign-ups from one network`, a
    /// [`Refusal`]), or how a held one was decided:
    /// `approved_by_brand`, `rejected_by_brand`,
    /// `auto_approved_after_deadline` (the decision's replaces the hold's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub referrer_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reward: Option<RewardView>,
    /// For held conversions: when they are approved if nobody acts (unix ms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hold_until: Option<i64>,
    /// When the purchase was reported (unix ms).
    pub created_at: i64,
}

/// Conversions a page of the list holds ([`ConversionList`]).
pub const CONVERSIONS_PAGE: u32 = 200;

/// Conversions (`GET /v1/admin/brands/{brand}/conversions`), newest
/// first, [`CONVERSIONS_PAGE`] a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConversionList {
    pub conversions: Vec<ConversionView>,
    /// The next page's `cursor` (`crate::page`), `null` on the last page.
    pub next_cursor: Option<String>,
}

/// One coupon pool's level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CouponPool {
    pub kind: CouponKind,
    /// Codes not given out yet.
    pub available: i64,
    /// Codes given out.
    pub assigned: i64,
}

/// The coupon pools' levels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CouponPools {
    pub pools: Vec<CouponPool>,
}

/// Codes uploaded: how many were new, which were not, and the pools after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CouponsAdded {
    pub added: u32,
    /// Codes that were in this pool already (a file uploaded again).
    pub already: u32,
    /// Codes left out because the brand holds them in the other pool (a
    /// code is one coupon: a friend's welcome code is not also a reward):
    /// the upload went to the wrong pool, or the shop reuses codes
    /// (helper-100: the answer said how many were added, not which were
    /// not).
    pub in_other_pool: Vec<String>,
    pub pools: Vec<CouponPool>,
}

/// A referrer as the brand sees them (with their email).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReferrerSummary {
    pub code: String,
    pub name: String,
    pub email: String,
    pub clicks: i64,
    /// Friends who claimed the offer.
    pub friends: i64,
    /// Approved conversions.
    pub purchases: i64,
    /// ms since the epoch.
    pub created_at: i64,
}

/// Referrers a page of the list holds ([`ReferrerList`]).
pub const REFERRERS_PAGE: u32 = 500;

/// The brand's referrers, newest first, [`REFERRERS_PAGE`] a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReferrerList {
    pub referrers: Vec<ReferrerSummary>,
    /// The next page's `cursor` (`crate::page`), `null` on the last page.
    pub next_cursor: Option<String>,
}

/// Where a reported purchase stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConversionStatus {
    /// Counted for the referrer; its reward is issued.
    Approved,
    /// Waiting: a velocity rule held it; approved after the brand's
    /// `hold_hours` unless someone decides first.
    Held,
    /// Not a referral (no code, self-referral, already a customer, outside
    /// the attribution window...): `reason` says which.
    Rejected,
}

impl ConversionStatus {
    /// The stored and wire form.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Approved => "approved",
            Self::Held => "held",
            Self::Rejected => "rejected",
        }
    }

    /// From a query parameter.
    ///
    /// # Errors
    /// `bad_request` naming `status` for anything else.
    pub fn parse(s: &str) -> Result<Self, ApiError> {
        match s {
            "approved" => Ok(Self::Approved),
            "held" => Ok(Self::Held),
            "rejected" => Ok(Self::Rejected),
            _ => Err(ApiError::field(ErrorCode::BadRequest, "status", "status is approved, held or rejected")),
        }
    }
}

/// Where a referrer's reward stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RewardState {
    /// The coupon is issued (`coupon_code`).
    Issued,
    /// The reward pool ran dry; the brand was told, and the next uploaded
    /// code goes to this reward.
    PendingCoupon,
    /// Paid through the brand's webhook.
    Webhook,
}

impl RewardState {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Issued => "issued",
            Self::PendingCoupon => "pending_coupon",
            Self::Webhook => "webhook",
        }
    }
}

/// What a referred friend's claim got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ClaimState {
    /// A coupon (from the pool or the static code), or no pool to draw from.
    Ok,
    /// The pool of welcome coupons ran dry.
    PoolExhausted,
}
