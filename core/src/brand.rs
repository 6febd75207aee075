//! Brand settings as the admin API reads and writes them.

use crate::error::{ApiError, ErrorCode};
use crate::ids::BrandId;
use crate::origin::Origin;
use crate::testimonial::ModerationMode;
use crate::text;
use crate::webhook::{check_target, TargetPolicy};
use serde::{Deserialize, Serialize};

pub const NAME_MAX: usize = 80;
pub const INCENTIVE_MAX: usize = 120;
pub const ORIGINS_MAX: usize = 20;

/// Write limits for public routes, per clock hour (fixed windows).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RateLimits {
    /// Testimonials, photos and votes from one client (IP) for this brand.
    #[serde(deserialize_with = "crate::error::whole")]
    pub per_client: u32,
    /// All public writes to this brand.
    #[serde(deserialize_with = "crate::error::whole")]
    pub per_brand: u32,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self { per_client: 20, per_brand: 2000 }
    }
}

/// A brand's full configuration (admin only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BrandConfig {
    pub id: String,
    pub name: String,
    pub accent: String,
    #[serde(default)]
    pub incentive_copy: Option<String>,
    pub allowed_origins: Vec<Origin>,
    pub moderation: ModerationMode,
    /// Days a held testimonial waits for a person before it is published
    /// anyway, in every moderation mode (1 to 30, default 14; see
    /// `crate::moderation`).
    #[serde(default)]
    pub max_hold_days: crate::moderation::MaxHold,
    /// The brand's incentive for writing a review, if any (`null`: none).
    /// Testimonials submitted while it is set are labelled "Incentivised".
    #[serde(default)]
    pub review_incentive: Option<crate::incentive::ReviewIncentive>,
    pub rate_limits: RateLimits,
    #[serde(default)]
    pub referral: crate::referral::ReferralConfig,
    /// Verifies Kindred's webhooks (`Kindred-Signature`).
    #[serde(default)]
    pub webhook_secret: Option<String>,
    /// Where new community threads and replies are announced (signed like rewards).
    #[serde(default)]
    pub community_webhook_url: Option<String>,
    /// Shoppers' own data: where erasures are announced and what they do
    /// to a shopper's words (`crate::privacy`).
    #[serde(default)]
    pub privacy: crate::privacy::PrivacyConfig,
    /// Where review requests go `send_after_days` after an order
    /// (`review.requested`, with the links and the opt-out link), signed
    /// like rewards.
    #[serde(default)]
    pub review_webhook_url: Option<String>,
    /// Where purchase-linked review links land when Kindred knows no page
    /// of the product: an `https` URL where `{product}` is replaced by the
    /// product id (e.g. `https://shop.example/products/{product}`). Without
    /// it, the referral landing page.
    #[serde(default)]
    pub review_page_url: Option<String>,
}

/// `POST /v1/admin/brands` (operator key): a new brand.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewBrand {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub allowed_origins: Vec<String>,
}

/// The answer to creating a brand: the secrets are shown this once.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BrandCreated {
    pub brand: BrandConfig,
    /// The admin API key (`Authorization: Bearer ...`). Stored hashed; lost if not saved.
    pub admin_key: String,
    /// HMAC secret for signing identity tokens on the brand's server.
    pub identity_secret: String,
}

/// One of a brand's secrets, as `POST .../secrets/{secret}` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BrandSecret {
    /// `kr_sk_<brand>_<64 hex>`: the admin API's bearer key (stored hashed).
    AdminKey,
    /// The HMAC key the brand's server signs identity tokens with
    /// (`crate::auth::verify_identity`).
    IdentitySecret,
    /// `whsec_<48 hex>`: the key webhooks are signed with
    /// (`Kindred-Signature`, `crate::referral::sign_webhook`).
    WebhookSecret,
}

impl BrandSecret {
    /// The path segment's value (`admin_key`, ...); `None` for anything else.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "admin_key" => Some(Self::AdminKey),
            "identity_secret" => Some(Self::IdentitySecret),
            "webhook_secret" => Some(Self::WebhookSecret),
            _ => None,
        }
    }
}

/// The longest a replaced secret may keep working beside the new one: 168
/// hours (7 days, the longest Stripe lets a rolled API key live on), for
/// every integration to move to the new one.
pub const SECRET_OVERLAP_MAX_HOURS: u32 = 168;

/// How long the secret a replacement replaces keeps working:
/// `?keep_previous_hours=N` (0 to [`SECRET_OVERLAP_MAX_HOURS`]; none or 0:
/// it stops at once, as for a secret that leaked), in ms.
///
/// # Errors
/// `bad_request` naming `keep_previous_hours` for anything else.
///
/// ```
/// use kindred_core::brand::overlap_ms;
/// assert_eq!(overlap_ms(None).unwrap(), 0);
/// assert_eq!(overlap_ms(Some("24")).unwrap(), 86_400_000);
/// assert!(overlap_ms(Some("169")).is_err() && overlap_ms(Some("-1")).is_err() && overlap_ms(Some("1.5")).is_err());
/// ```
pub fn overlap_ms(raw: Option<&str>) -> Result<i64, ApiError> {
    let Some(raw) = raw else { return Ok(0) };
    match raw.parse::<u32>() {
        Ok(h) if h <= SECRET_OVERLAP_MAX_HOURS => Ok(i64::from(h) * 60 * 60 * 1000),
        _ => Err(ApiError::field(
            ErrorCode::BadRequest,
            "keep_previous_hours",
            format!("keep_previous_hours is a whole number of hours from 0 to {SECRET_OVERLAP_MAX_HOURS}"),
        )),
    }
}

/// A replaced secret as stored beside its replacement: the value (the
/// admin key's hash) and when it stops working (Unix ms); both `None`
/// once a replacement stopped it at once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Previous {
    pub value: Option<String>,
    pub until: Option<i64>,
}

impl Previous {
    /// The replaced value while it still works at `now` (Unix ms).
    ///
    /// ```
    /// use kindred_core::brand::Previous;
    /// let p = Previous { value: Some("old".into()), until: Some(1_000) };
    /// assert_eq!((p.live(999), p.live(1_000)), (Some("old"), None));
    /// assert_eq!(Previous::default().live(0), None);
    /// ```
    pub fn live(&self, now: i64) -> Option<&str> {
        match (&self.value, self.until) {
            (Some(v), Some(until)) if now < until => Some(v),
            _ => None,
        }
    }
}

/// `GET /v1/admin/brands/{brand}/secrets`: until when each secret's
/// replaced value still works beside the current one (Unix ms), never a
/// secret itself.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SecretsState {
    pub admin_key: SecretState,
    pub identity_secret: SecretState,
    pub webhook_secret: SecretState,
}

/// One secret in [`SecretsState`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SecretState {
    /// Until when the value it replaced still works (Unix ms); `null` when
    /// none does (it was replaced without `keep_previous_hours`, the time
    /// passed, or the overlap was ended: `DELETE .../secrets/{secret}/previous`).
    pub previous_until: Option<i64>,
}

impl SecretState {
    /// What the admin API shows of `previous` at `now` (Unix ms).
    pub fn of(previous: &Previous, now: i64) -> Self {
        Self { previous_until: previous.live(now).and(previous.until) }
    }
}

/// The answer to replacing one of a brand's secrets: the new one, shown
/// this once. The one it replaced works until `previous_until`, or stopped
/// when this was answered: then an admin key is refused (401), identity
/// tokens signed with the old identity secret are refused
/// (`identity_invalid`), and webhooks are signed with the new secret only
/// (deliveries still waiting included). While both work, identity tokens
/// signed with either are taken and each webhook carries a signature by
/// each (`Kindred-Signature: t=<ts>,v1=<new>,v1=<old>`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SecretRotated {
    pub secret: BrandSecret,
    /// The new value. Stored hashed for the admin key, so lost if not
    /// saved (replace it again).
    pub value: String,
    /// When the replaced one stops working (Unix ms); `null` when it
    /// stopped at once (`keep_previous_hours` 0 or not sent).
    pub previous_until: Option<i64>,
}

/// The answer to making a brand's proxy key (`kindred_core::auth::proxy_key`):
/// shown this once.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProxyKeyCreated {
    /// `kr_px_<64 hex>`: the proxy sends it as `X-Kindred-Proxy-Key`, with
    /// the shopper's address as `X-Kindred-Client-IP`. Stored hashed; lost
    /// if not saved (make another).
    pub proxy_key: String,
    /// Until when (Unix ms) the key this one replaced is still taken
    /// ([`PROXY_KEY_OVERLAP_MS`] from now), so the proxy can be moved to the
    /// new key without refusing shoppers; null if there was none.
    pub previous_until: Option<i64>,
}

/// Whether a brand has a proxy key, for the admin API and console (the key
/// itself is never shown again).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProxyKeyState {
    /// Whether the brand has a proxy key.
    pub set: bool,
    /// When it was made (Unix ms), if set.
    pub made_at: Option<i64>,
    /// Until when (Unix ms) the key it replaced is still taken, if it is.
    pub previous_until: Option<i64>,
}

/// How long a replaced proxy key is still taken after a new one is made:
/// 24 hours, for the brand to put the new key in its proxy's settings and
/// deploy them. Deleting the key ends both at once (a leaked key: delete,
/// then make a new one).
pub const PROXY_KEY_OVERLAP_MS: i64 = 24 * 60 * 60 * 1000;

/// Which of a brand's two keys was sent: the current one, or the one it
/// replaced while that still works. The one rule for the admin key
/// (`keep_previous_hours`) and the proxy key ([`PROXY_KEY_OVERLAP_MS`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyMatch {
    Current,
    Previous,
}

impl KeyMatch {
    /// `sent` against the current key's hash (`crate::auth::key_hash`) and
    /// the replaced key's (`previous`, while [`Previous::live`] at `now`,
    /// Unix ms); both compared, each in constant time. `None`: neither.
    ///
    /// ```
    /// use kindred_core::{auth::{key_hash, proxy_key}, brand::{KeyMatch, Previous}};
    /// let (old, new) = (proxy_key(&[1; 32]), proxy_key(&[2; 32]));
    /// let previous = Previous { value: Some(key_hash(&old)), until: Some(1_000) };
    /// let of = |sent: &str, now| KeyMatch::of(sent, Some(&key_hash(&new)), &previous, now);
    /// assert_eq!((of(&new, 5_000), of(&old, 999), of(&old, 1_000)), (Some(KeyMatch::Current), Some(KeyMatch::Previous), None));
    /// assert_eq!(KeyMatch::of(&new, None, &Previous::default(), 0), None);
    /// ```
    pub fn of(sent: &str, current: Option<&str>, previous: &Previous, now: i64) -> Option<Self> {
        let current = current.is_some_and(|h| crate::auth::key_matches(sent, h));
        let previous = previous.live(now).is_some_and(|h| crate::auth::key_matches(sent, h));
        match (current, previous) {
            (true, _) => Some(Self::Current),
            (false, true) => Some(Self::Previous),
            (false, false) => None,
        }
    }
}

/// A brand's proxy keys as stored: the hash (`crate::auth::key_hash`) of
/// the current key, when it was made, and the hash of the one it replaced
/// with when that stops ([`KeyMatch`] decides which is taken).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProxyKeys {
    pub hash: Option<String>,
    pub made_at: Option<i64>,
    pub previous: Previous,
}

impl ProxyKeys {
    /// Whether `sent` is the brand's proxy key at `now` (Unix ms): the
    /// current one, or the one it replaced before its time ([`KeyMatch`]);
    /// none for a brand without a key.
    pub fn accepts(&self, sent: &str, now: i64) -> bool {
        KeyMatch::of(sent.trim(), self.hash.as_deref(), &self.previous, now).is_some()
    }

    /// What the admin API shows of them at `now`.
    pub fn state(&self, now: i64) -> ProxyKeyState {
        ProxyKeyState {
            set: self.hash.is_some(),
            made_at: self.hash.as_ref().and(self.made_at),
            previous_until: SecretState::of(&self.previous, now).previous_until,
        }
    }
}

pub fn parse_origins(raw: &[String]) -> Result<Vec<Origin>, ApiError> {
    if raw.len() > ORIGINS_MAX {
        return Err(ApiError::field(ErrorCode::ValidationFailed, "allowed_origins", format!("at most {ORIGINS_MAX} origins")));
    }
    let mut out: Vec<Origin> = Vec::new();
    for r in raw {
        let o = Origin::parse(r).map_err(|e| ApiError::field(ErrorCode::ValidationFailed, "allowed_origins", e.message))?;
        if !out.contains(&o) {
            out.push(o);
        }
    }
    Ok(out)
}

impl NewBrand {
    pub fn validate(&self) -> Result<(BrandId, String, Vec<Origin>), ApiError> {
        let id = BrandId::parse(&self.id).map_err(|e| ApiError::field(ErrorCode::ValidationFailed, "id", e.message))?;
        let name = text::field(&self.name, "name", 1, NAME_MAX, false)?;
        Ok((id, name, parse_origins(&self.allowed_origins)?))
    }
}

/// Settings the brand cannot set through `PATCH` (the id is the path's; the
/// webhook secret is generated by Kindred and replaced through
/// `POST /v1/admin/brands/{brand}/secrets/webhook_secret`).
pub const READ_ONLY_SETTINGS: [&str; 2] = ["id", "webhook_secret"];

impl BrandConfig {
    /// `PATCH /v1/admin/brands/{brand}`: applies a JSON Merge Patch (RFC 7396,
    /// via the `json-patch` crate) to the settings as `GET` shows them, then
    /// checks the whole result. A member absent from the patch is left as it
    /// was, at any depth; `null` removes a member, which resets it to its
    /// default (`incentive_copy`, `referral.landing_url`, or the whole
    /// `referral` object) or is refused where there is none (`name`); arrays
    /// (`allowed_origins`, `referral.tiers`) are replaced whole, as RFC 7396
    /// says.
    ///
    /// # Errors
    /// `bad_request` when the patch is not a JSON object; `validation_failed`
    /// naming the field (dotted path, e.g. `referral.window_days`) for an
    /// unknown or read-only member, a value of the wrong type, or a value out
    /// of range. Nothing is applied unless everything is valid.
    pub fn merge_patch(&self, patch: &serde_json::Value, webhooks: TargetPolicy) -> Result<BrandConfig, ApiError> {
        let serde_json::Value::Object(members) = patch else {
            return Err(ApiError::field(ErrorCode::ValidationFailed, "", "a settings patch is a JSON object (RFC 7396 merge patch)"));
        };
        let mut doc = serde_json::to_value(self).map_err(|e| ApiError::new(ErrorCode::Internal, format!("settings: {e}")))?;
        for key in members.keys() {
            if READ_ONLY_SETTINGS.contains(&key.as_str()) {
                return Err(ApiError::field(ErrorCode::ValidationFailed, key, format!("{key} cannot be changed")));
            }
            if doc.get(key).is_none() {
                return Err(ApiError::field(ErrorCode::ValidationFailed, key, format!("unknown setting '{key}'")));
            }
        }
        // The referral pitch is free text shown beside the reviews: a new
        // one may not tie anything to the rating either (checked when it is
        // patched, so an old pitch never blocks other settings).
        if let Some(c) = patch.get("incentive_copy").and_then(|c| c.as_str()) {
            if crate::incentive::mentions_rating(c) {
                return Err(ApiError::field(ErrorCode::ValidationFailed, "incentive_copy", crate::incentive::rating_refusal()));
            }
        }
        // An incentive tied to the rating is refused with its reason, not as
        // an unknown member.
        if let Some(m) = crate::incentive::patch_names_rating(patch) {
            return Err(ApiError::field(ErrorCode::ValidationFailed, &format!("review_incentive.{m}"), crate::incentive::rating_refusal()));
        }
        json_patch::merge(&mut doc, patch);
        if let Some(sent) = patch.get("moderation") {
            moderation_patch(sent, doc.get("moderation"))?;
        }
        // A member removed with `null` that has no default is named by
        // `shape_error` (serde reports it at its parent).
        let merged: BrandConfig = serde_path_to_error::deserialize(doc).map_err(crate::error::shape_error)?;
        // An object sent as a list was read by position: refused where it is.
        if let Some(path) = serde_json::to_value(&merged).ok().and_then(|read| crate::error::positional(patch, &read)) {
            return Err(ApiError::field(ErrorCode::ValidationFailed, &path, format!("{path}: an object, not a list")));
        }
        merged.validated(webhooks)
    }

    /// Where `/r/{code}` sends a friend: the referral program's `landing_url`,
    /// or, when the brand has none (never set, or cleared), the home page of
    /// its first allowed origin, so a code already shared never leads to a
    /// 404. `None` only for a brand with neither.
    pub fn referral_landing(&self) -> Option<String> {
        self.referral.landing_url.clone().or_else(|| self.allowed_origins.first().map(|o| format!("{}/", o.as_str())))
    }

    /// A product's page: `known` (the `products` table's URL) if it is an
    /// http(s) URL, else `review_page_url` with the product id
    /// (percent-encoded) in place of `{product}`; `None` when neither gives
    /// one (a template without `{product}` would give every product the
    /// same page, and is refused by [`BrandConfig::validated`]).
    pub fn product_page(&self, product: &str, known: Option<&str>) -> Option<String> {
        let encoded: String = url::form_urlencoded::byte_serialize(product.as_bytes()).collect();
        known
            .filter(|u| crate::referral::is_http_url(u))
            .map(str::to_owned)
            .or_else(|| {
                self.review_page_url
                    .as_deref()
                    .filter(|t| t.contains("{product}"))
                    .map(|t| t.replace("{product}", &encoded))
                    .filter(|u| crate::referral::is_http_url(u))
            })
    }

    /// Where a webhook `event` goes now: the setting that holds its
    /// endpoint (`referral.webhook_url` for `reward.issued` and
    /// `referral.link_requested`,
    /// `community_webhook_url` for `community.thread`, `community.reply`
    /// and `thread.replied`, `review_webhook_url` for `review.replied` and
    /// `review.requested`, `privacy.webhook_url` for `shopper.erased`).
    /// A delivery is sent where this says at each attempt, not where the
    /// endpoint was when the event happened: a brand that moves a broken
    /// endpoint gets its retries at the new one, and one that removes an
    /// endpoint (`Some(None)`: a leaked or retired URL) sends it nothing
    /// more. `None` for an event this version does not know (its stored
    /// URL stands).
    pub fn webhook_url_for(&self, event: &str) -> Option<Option<&str>> {
        let setting = match event {
            "reward.issued" | "referral.link_requested" => &self.referral.webhook_url,
            "community.thread" | "community.reply" | "thread.replied" => &self.community_webhook_url,
            "review.replied" | "review.requested" => &self.review_webhook_url,
            "shopper.erased" => &self.privacy.webhook_url,
            _ => return None,
        };
        Some(setting.as_deref())
    }

    /// Checks every setting and returns them normalised (names trimmed,
    /// origins canonical, colours lowercase). Webhook URLs must be targets
    /// Kindred may call (`crate::webhook::check_target` under `webhooks`).
    ///
    /// # Errors
    /// `validation_failed` naming the first bad field.
    pub fn validated(mut self, webhooks: TargetPolicy) -> Result<BrandConfig, ApiError> {
        self.name = text::field(&self.name, "name", 1, NAME_MAX, false)?;
        if !crate::widget::is_hex_color(&self.accent) {
            return Err(ApiError::field(ErrorCode::ValidationFailed, "accent", "accent is a colour like #0b7a75"));
        }
        self.accent = self.accent.to_ascii_lowercase();
        self.incentive_copy = match &self.incentive_copy {
            Some(c) => Some(text::field(c, "incentive_copy", 1, INCENTIVE_MAX, false)?),
            None => None,
        };
        let raw: Vec<String> = self.allowed_origins.iter().map(|o| o.as_str().to_owned()).collect();
        self.allowed_origins = parse_origins(&raw)?;
        self.moderation = self.moderation.validate()?;
        self.review_incentive = self.review_incentive.as_ref().map(|i| i.validate()).transpose()?;
        let l = self.rate_limits;
        if l.per_client == 0 || l.per_brand == 0 || l.per_client > 100_000 || l.per_brand > 1_000_000 {
            return Err(ApiError::field(ErrorCode::ValidationFailed, "rate_limits", "limits are 1 to 100000 (client) and 1 to 1000000 (brand)"));
        }
        self.referral = self.referral.validate()?;
        if let Some(u) = &self.review_page_url {
            if !u.contains("{product}") || !crate::referral::is_http_url(&u.replace("{product}", "p")) {
                return Err(ApiError::field(ErrorCode::ValidationFailed, "review_page_url", "review_page_url is an http(s) URL, with {product} where the product id goes"));
            }
        }

        for (field, url) in [
            ("referral.webhook_url", &self.referral.webhook_url),
            ("community_webhook_url", &self.community_webhook_url),
            ("review_webhook_url", &self.review_webhook_url),
            ("privacy.webhook_url", &self.privacy.webhook_url),
        ] {
            if let Some(url) = url {
                check_target(url, webhooks).map_err(|why| ApiError::field(ErrorCode::ValidationFailed, field, format!("{field}: {why}")))?;
            }
        }
        Ok(self)
    }
}

/// A patch's `moderation` (`sent`) and the object it merged into
/// (`merged`), each mistake named where it is: serde reads an internally
/// tagged enum ([`ModerationMode`]) from a buffer that loses its members'
/// paths (helper-92: every mistake was named `moderation`) and ignores
/// members it does not know (helper-94: "min_ratting" and a misplaced
/// "max_hold_days" answered 200 and changed nothing). `sent` is an object
/// of `mode` and `min_rating`; the mode is one of three; `min_rating`, sent
/// for another mode, is a mistake to report, not a value to keep quietly;
/// `auto_approve_min_rating` needs it, a whole number of stars, 1 to 5
/// (4.0 is four, as [`crate::error::whole`] reads it), and any other number
/// is told that rule.
///
/// # Errors
/// `validation_failed` naming the member.
fn moderation_patch(sent: &serde_json::Value, merged: Option<&serde_json::Value>) -> Result<(), ApiError> {
    const MODES: &[&str] = &["all_pending", "auto_approve_min_rating", "auto_approve_verified"];
    let serde_json::Value::Object(sent) = sent else {
        return Err(ApiError::field(ErrorCode::ValidationFailed, "moderation", "moderation is an object such as {\"mode\": \"all_pending\"} (its members: mode, min_rating)"));
    };
    if let Some(k) = sent.keys().find(|k| !["mode", "min_rating"].contains(&k.as_str())) {
        return Err(ApiError::field(ErrorCode::ValidationFailed, &format!("moderation.{k}"), format!("unknown member '{k}' of moderation: its members are mode and min_rating")));
    }
    let Some(serde_json::Value::Object(m)) = merged else { return Ok(()) };
    let mode = m.get("mode").and_then(|v| v.as_str());
    if !mode.is_some_and(|v| MODES.contains(&v)) {
        return Err(ApiError::field(ErrorCode::ValidationFailed, "moderation.mode", "moderation.mode is all_pending, auto_approve_min_rating or auto_approve_verified"));
    }
    if mode != Some("auto_approve_min_rating") {
        if sent.get("min_rating").is_some_and(|r| !r.is_null()) {
            return Err(ApiError::field(ErrorCode::ValidationFailed, "moderation.min_rating", "min_rating applies to the auto_approve_min_rating mode only"));
        }
        return Ok(());
    }
    let field = "moderation.min_rating";
    let stars = || ApiError::field(ErrorCode::ValidationFailed, field, "min_rating must be 1 to 5 stars");
    let r = m.get("min_rating").filter(|r| !r.is_null()).ok_or_else(|| {
        ApiError::field(ErrorCode::ValidationFailed, field, "the auto_approve_min_rating mode needs min_rating, 1 to 5 stars")
    })?;
    // Any whole number out of 1 to 5 (-1, 256, 1e300) is told the rule in
    // stars, not the type's words (helper-93); a fraction or another type
    // is not a whole number.
    match r.as_f64() {
        Some(n) if n.fract() == 0.0 && (1.0..=5.0).contains(&n) => Ok(()),
        Some(n) if n.fract() == 0.0 => Err(stars()),
        _ => Err(ApiError::field(ErrorCode::ValidationFailed, field, "min_rating must be a whole number of stars, 1 to 5")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn cfg() -> BrandConfig {
        BrandConfig {
            id: "acme".into(),
            name: "Acme".into(),
            accent: "#000000".into(),
            incentive_copy: Some("Give 15%".into()),
            allowed_origins: vec![],
            moderation: ModerationMode::AllPending,
            max_hold_days: Default::default(),
            review_incentive: None,
            rate_limits: RateLimits::default(),
            referral: Default::default(),
            webhook_secret: None,
            community_webhook_url: None,
            privacy: crate::privacy::PrivacyConfig::default(),
            review_webhook_url: None,
            review_page_url: None,
        }
    }

    fn full() -> BrandConfig {
        let mut c = cfg();
        c.allowed_origins = parse_origins(&["https://shop.example".into(), "https://b.example".into()]).unwrap();
        c.moderation = ModerationMode::AutoApproveMinRating { min_rating: 4 };
        c.referral.landing_url = Some("https://shop.example/welcome".into());
        c.referral.webhook_url = Some("https://hooks.example/kindred".into());
        c.referral.reward = crate::referral::RewardKind::Both;
        c.referral.static_coupon = Some("WELCOME10".into());
        c.community_webhook_url = Some("https://hooks.example/community".into());
        c.webhook_secret = Some("whsec_x".into());
        c
    }

    fn patch(c: &BrandConfig, p: serde_json::Value) -> Result<BrandConfig, ApiError> {
        c.merge_patch(&p, TargetPolicy::default())
    }

    #[test]
    fn the_example_from_the_issue_keeps_the_rest_of_the_referral_program() {
        let c = patch(&full(), serde_json::json!({"referral": {"leaderboard": true}})).unwrap();
        assert!(c.referral.leaderboard);
        assert_eq!(c.referral.landing_url.as_deref(), Some("https://shop.example/welcome"));
        assert_eq!(c.referral.reward, crate::referral::RewardKind::Both);
        assert_eq!(c.referral.webhook_url.as_deref(), Some("https://hooks.example/kindred"));
        assert_eq!(c, BrandConfig { referral: crate::referral::ReferralConfig { leaderboard: true, ..full().referral }, ..full() });
    }

    #[test]
    fn each_webhook_event_goes_where_its_setting_says_now() {
        let mut c = full();
        assert_eq!(c.webhook_url_for("reward.issued"), Some(Some("https://hooks.example/kindred")));
        for e in ["community.thread", "community.reply", "thread.replied"] {
            assert_eq!(c.webhook_url_for(e), Some(Some("https://hooks.example/community")), "{e}");
        }
        for e in ["review.replied", "review.requested", "shopper.erased"] {
            assert_eq!(c.webhook_url_for(e), Some(None), "{e}: no endpoint set");
        }
        c.referral.webhook_url = None;
        assert_eq!(c.webhook_url_for("reward.issued"), Some(None), "removed: nothing more is sent");
        c.review_webhook_url = Some("https://hooks.example/reviews".into());
        assert_eq!(c.webhook_url_for("review.requested"), Some(Some("https://hooks.example/reviews")));
        assert_eq!(c.webhook_url_for("something.else"), None);
    }

    #[test]
    fn codes_land_on_the_first_allowed_origin_without_a_landing_url() {
        let mut c = full();
        assert_eq!(c.referral_landing().as_deref(), Some("https://shop.example/welcome"));
        c.referral.landing_url = None;
        assert_eq!(c.referral_landing().as_deref(), Some("https://shop.example/"));
        c.allowed_origins.clear();
        assert_eq!(c.referral_landing(), None);
    }

    #[test]
    fn null_resets_to_the_default_or_is_refused() {
        let c = patch(&full(), serde_json::json!({"incentive_copy": null, "referral": {"static_coupon": null}})).unwrap();
        assert_eq!(c.incentive_copy, None);
        assert_eq!(c.referral.static_coupon, None);
        assert_eq!(c.referral.landing_url, full().referral.landing_url);
        let e = patch(&full(), serde_json::json!({"name": null})).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("name"), "{e:?}");
        let c = patch(&full(), serde_json::json!({"moderation": {"mode": "all_pending"}})).unwrap();
        assert_eq!(c.moderation, ModerationMode::AllPending);
    }

    #[test]
    fn a_minimum_rating_out_of_range_is_told_in_stars() {
        for r in [serde_json::json!(0), serde_json::json!(-1), serde_json::json!(6), serde_json::json!(256), serde_json::json!(1e300)] {
            let e = patch(&full(), serde_json::json!({"moderation": {"mode": "auto_approve_min_rating", "min_rating": r}})).unwrap_err();
            assert_eq!((e.field.as_deref(), e.message.as_str()), (Some("moderation.min_rating"), "min_rating must be 1 to 5 stars"), "{r}");
        }
        for r in [serde_json::json!(4.5), serde_json::json!("4")] {
            let e = patch(&full(), serde_json::json!({"moderation": {"mode": "auto_approve_min_rating", "min_rating": r}})).unwrap_err();
            assert_eq!(e.field.as_deref(), Some("moderation.min_rating"), "{r}");
            assert!(e.message.contains("whole number of stars"), "{r}: {}", e.message);
        }
        let c = patch(&full(), serde_json::json!({"moderation": {"mode": "auto_approve_min_rating", "min_rating": 3.0}})).unwrap();
        assert_eq!(c.moderation, ModerationMode::AutoApproveMinRating { min_rating: 3 });
    }

    #[test]
    fn bad_patches_name_the_field_and_change_nothing() {
        for (body, field) in [
            (r#"{"accent":"red"}"#, "accent"),
            (r#"{"allowed_origins":["not an origin"]}"#, "allowed_origins[0]"),
            (r#"{"name":""}"#, "name"),
            (r#"{"moderation":{"min_rating":9}}"#, "moderation.min_rating"),
            (r#"{"moderation":{"min_rating":"four"}}"#, "moderation.min_rating"),
            (r#"{"moderation":{"min_rating":4.5}}"#, "moderation.min_rating"),
            (r#"{"moderation":{"min_rating":-1}}"#, "moderation.min_rating"),
            (r#"{"moderation":{"mode":"auto_approve_min_rating","min_rating":null}}"#, "moderation.min_rating"),
            (r#"{"moderation":{"mode":"auto_approve"}}"#, "moderation.mode"),
            (r#"{"moderation":{"mode":null}}"#, "moderation.mode"),
            (r#"{"moderation":{"min_ratting":2}}"#, "moderation.min_ratting"),
            (r#"{"moderation":{"Mode":"all_pending"}}"#, "moderation.Mode"),
            (r#"{"moderation":{"mode":"all_pending","max_hold_days":3}}"#, "moderation.max_hold_days"),
            (r#"{"moderation":null}"#, "moderation"),
            (r#"{"moderation":"all_pending"}"#, "moderation"),
            (r#"{"moderation":[]}"#, "moderation"),
            (r#"{"moderation":{"mode":"all_pending","min_rating":4}}"#, "moderation.min_rating"),
            (r#"{"rate_limits":{"per_clinet":5}}"#, "rate_limits"),
            (r#"{"referral":{"velocity":{"max":5}}}"#, "referral.velocity"),
            (r#"{"referral":{"tiers":[{"name":"Gold","referrals":1,"testimonials":0,"colour":"gold"}]}}"#, "referral.tiers"),
            (r#"{"rate_limits":{"per_client":0}}"#, "rate_limits"),
            (r#"{"rate_limits":{"per_client":"many"}}"#, "rate_limits.per_client"),
            (r#"{"referral":{"window_days":0}}"#, "referral.window_days"),
            (r#"{"referral":{"colour":"red"}}"#, "referral"),
            (r#"{"referral":{"webhook_url":null}}"#, "referral.webhook_url"),
            (r#"{"secret_key_hash":"x"}"#, "secret_key_hash"),
            (r#"{"id":"other"}"#, "id"),
            (r#"{"webhook_secret":"mine"}"#, "webhook_secret"),
            (r#"{"referral":{"webhook_url":"http://169.254.169.254/latest/meta-data/"}}"#, "referral.webhook_url"),
            (r#"{"community_webhook_url":"https://10.0.0.8/hook"}"#, "community_webhook_url"),
            (r#"{"review_webhook_url":"http://127.0.0.1/hook"}"#, "review_webhook_url"),
            (r#"{"max_hold_days":0}"#, "max_hold_days"),
            (r#"{"max_hold_days":31}"#, "max_hold_days"),
            (r#"{"max_hold_days":"forever"}"#, "max_hold_days"),
            (r#"{"review_incentive":{"kind":"coupon","description":"10% off","min_rating":4}}"#, "review_incentive.min_rating"),
            (r#"{"review_incentive":{"kind":"coupon","description":"10% off for 5-star reviews"}}"#, "review_incentive.description"),
            (r#"{"review_incentive":{"kind":"cash","description":"10% off"}}"#, "review_incentive"),
        ] {
            let e = patch(&full(), serde_json::from_str(body).unwrap()).unwrap_err();
            assert_eq!(e.code, ErrorCode::ValidationFailed, "{body}");
            assert!(e.field.as_deref().is_some_and(|f| f.starts_with(field)), "{body}: {e:?}");
        }
        assert_eq!(patch(&full(), serde_json::json!([1])).unwrap_err().code, ErrorCode::ValidationFailed);
        // Every whole-number setting: 14.0 is 14; beyond its rule, however
        // written, the rule's words, never the type's range (helper-91:
        // max_hold_days 1e300 said "from 0 to 255", window_days 30.0 was
        // refused).
        let c = patch(&full(), serde_json::json!({"max_hold_days": 14.0, "rate_limits": {"per_client": 4.0},
            "referral": {"window_days": 30.0, "hold_hours": 72.0, "velocity": {"max_claims_per_ip_per_hour": 5.0, "max_conversions_per_code_per_day": 9.0},
            "tiers": [{"name": "Gold", "referrals": 3.0, "testimonials": 1.0}]}})).unwrap();
        assert_eq!((u8::from(c.max_hold_days), c.rate_limits.per_client, c.referral.window_days, c.referral.hold_hours), (14, 4, 30, 72));
        assert_eq!((c.referral.velocity.max_claims_per_ip_per_hour, c.referral.tiers[0].referrals), (5, 3));
        for body in [r#"{"max_hold_days":1e300}"#, r#"{"max_hold_days":-3}"#, r#"{"rate_limits":{"per_client":1e300}}"#, r#"{"referral":{"window_days":1e300}}"#, r#"{"referral":{"hold_hours":1e300}}"#,
            // Never stored as the nearest value (helper-92: -1 hours was 0).
            r#"{"referral":{"hold_hours":-1}}"#, r#"{"referral":{"velocity":{"max_conversions_per_code_per_day":1e300,"max_claims_per_ip_per_hour":5}}}"#,
            r#"{"referral":{"tiers":[{"name":"Gold","referrals":-2,"testimonials":0}]}}"#] {
            let e = patch(&full(), serde_json::from_str(body).unwrap()).unwrap_err();
            assert!(!e.message.contains("255") && !e.message.contains("4294967295"), "{body}: {e:?}");
        }
        // A tier sent as a list is not read by position (helper-77).
        let e = patch(&full(), serde_json::json!({"referral": {"tiers": [["Gold", 1, 1]]}})).unwrap_err();
        assert_eq!((e.code, e.field.as_deref()), (ErrorCode::ValidationFailed, Some("referral.tiers[0]")), "{e:?}");
        // A tier's name is counted in characters, not bytes (helper-77).
        let persian = "سفیر".repeat(6);
        assert!(patch(&full(), serde_json::json!({"referral": {"tiers": [{"name": persian, "referrals": 1, "testimonials": 1}]}})).is_ok());
        assert!(patch(&full(), serde_json::json!({"referral": {"tiers": [{"name": "x".repeat(41), "referrals": 1, "testimonials": 1}]}})).is_err());
        assert_eq!(patch(&full(), serde_json::json!({})).unwrap(), full());
    }

    /// One valid value for each settings field, at its JSON path.
    fn field_values() -> impl Strategy<Value = (Vec<&'static str>, serde_json::Value)> {
        use serde_json::json;
        prop_oneof![
            "[A-Z][a-z]{1,20}( [A-Z][a-z]{1,10})?".prop_map(|n| (vec!["name"], json!(n))),
            "#[0-9a-f]{6}".prop_map(|a| (vec!["accent"], json!(a))),
            prop::option::of("[A-Z][a-z]{0,10}( [a-z]{1,10}){0,3}").prop_map(|c| (vec!["incentive_copy"], json!(c))),
            prop::collection::vec("[a-z]{1,10}", 0..4).prop_map(|hosts| {
                let mut seen = Vec::new();
                for h in hosts { let o = format!("https://{h}.example"); if !seen.contains(&o) { seen.push(o); } }
                (vec!["allowed_origins"], json!(seen))
            }),
            (1u8..=5).prop_map(|r| (vec!["moderation"], json!({"mode": "auto_approve_min_rating", "min_rating": r}))),
            (1u8..=30).prop_map(|d| (vec!["max_hold_days"], json!(d))),
            prop::option::of((prop::sample::select(vec!["10%", "a free gift", "200 points", "5 € voucher"]), prop::sample::select(vec!["coupon", "points"])))
                .prop_map(|i| (vec!["review_incentive"], json!(i.map(|(d, k)| json!({"kind": k, "description": format!("{d} off")}))))),
            (1u32..=100_000).prop_map(|n| (vec!["rate_limits", "per_client"], json!(n))),
            (1u32..=1_000_000).prop_map(|n| (vec!["rate_limits", "per_brand"], json!(n))),
            prop::option::of("[a-z]{1,10}").prop_map(|p| (vec!["referral", "landing_url"], json!(p.map(|p| format!("https://shop.example/{p}"))))),
            "[A-Z][a-z]{0,10}( [a-z]{1,10}){0,3}".prop_map(|o| (vec!["referral", "referee_offer"], json!(o))),
            prop::option::of("[A-Z0-9_-]{1,20}").prop_map(|c| (vec!["referral", "static_coupon"], json!(c))),
            (1u32..=365).prop_map(|d| (vec!["referral", "window_days"], json!(d))),
            prop::sample::select(vec!["coupon", "webhook", "both"]).prop_map(|k| (vec!["referral", "reward"], json!(k))),
            "[a-z]{1,10}".prop_map(|p| (vec!["referral", "webhook_url"], json!(format!("https://hooks.example/{p}")))),
            (0u32..=1440).prop_map(|h| (vec!["referral", "hold_hours"], json!(h))),
            (0u32..1000).prop_map(|n| (vec!["referral", "velocity", "max_conversions_per_code_per_day"], json!(n))),
            (0u32..1000).prop_map(|n| (vec!["referral", "velocity", "max_claims_per_ip_per_hour"], json!(n))),
            prop::collection::vec(("[A-Z][a-z]{1,10}", 0u32..50, 0u32..50), 0..5)
                .prop_map(|t| (vec!["referral", "tiers"], json!(t.into_iter().map(|(name, referrals, testimonials)| json!({"name": name, "referrals": referrals, "testimonials": testimonials})).collect::<Vec<_>>()))),
            any::<bool>().prop_map(|b| (vec!["referral", "leaderboard"], json!(b))),
            prop::option::of("[a-z]{1,10}").prop_map(|p| (vec!["community_webhook_url"], json!(p.map(|p| format!("https://hooks.example/{p}"))))),
        ]
    }

    proptest! {
        /// Patching one field, at any depth, leaves every other field as it was.
        #[test]
        fn a_patch_of_one_field_changes_that_field_alone((path, value) in field_values()) {
            let before = full();
            let mut body = value.clone();
            for key in path.iter().rev() {
                body = serde_json::json!({ *key: body });
            }
            let after = before.merge_patch(&body, TargetPolicy::default()).unwrap();
            let mut expected = serde_json::to_value(&before).unwrap();
            let slot = path.iter().fold(&mut expected, |v, k| &mut v[*k]);
            *slot = value;
            prop_assert_eq!(serde_json::to_value(&after).unwrap(), expected);
        }
    }
}
