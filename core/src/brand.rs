//! Brand settings as the admin API reads and writes them.

use crate::error::{ApiError, ErrorCode};
use crate::ids::BrandId;
use crate::origin::Origin;
use crate::testimonial::ModerationMode;
use crate::text;
use serde::{Deserialize, Serialize};

pub const NAME_MAX: usize = 80;
pub const INCENTIVE_MAX: usize = 120;
pub const ORIGINS_MAX: usize = 20;

/// Write limits for public routes, per rolling hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateLimits {
    /// Testimonials, photos and votes from one client (IP) for this brand.
    pub per_client: u32,
    /// All public writes to this brand.
    pub per_brand: u32,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self { per_client: 20, per_brand: 2000 }
    }
}

/// A brand's full configuration (admin only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BrandConfig {
    pub id: String,
    pub name: String,
    pub accent: String,
    #[serde(default)]
    pub incentive_copy: Option<String>,
    pub allowed_origins: Vec<Origin>,
    pub moderation: ModerationMode,
    pub rate_limits: RateLimits,
    #[serde(default)]
    pub referral: crate::referral::ReferralConfig,
    /// Verifies Kindred's webhooks (`Kindred-Signature`).
    #[serde(default)]
    pub webhook_secret: Option<String>,
    /// Where new community threads and replies are announced (signed like rewards).
    #[serde(default)]
    pub community_webhook_url: Option<String>,
}

/// `POST /v1/admin/brands` (operator key): a new brand.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NewBrand {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub allowed_origins: Vec<String>,
}

/// The answer to creating a brand: the secrets are shown this once.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BrandCreated {
    pub brand: BrandConfig,
    /// The admin API key (`Authorization: Bearer ...`). Stored hashed; lost if not saved.
    pub admin_key: String,
    /// HMAC secret for signing identity tokens on the brand's server.
    pub identity_secret: String,
}

/// `PATCH /v1/admin/brands/{brand}`: every field optional.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BrandUpdate {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub accent: Option<String>,
    /// `null` clears the copy.
    #[serde(default, with = "double_option")]
    pub incentive_copy: Option<Option<String>>,
    #[serde(default)]
    pub allowed_origins: Option<Vec<String>>,
    #[serde(default)]
    pub moderation: Option<ModerationMode>,
    #[serde(default)]
    pub rate_limits: Option<RateLimits>,
    /// Replaces the referral settings as a whole.
    #[serde(default)]
    pub referral: Option<crate::referral::ReferralConfig>,
    /// `null` turns community notifications off.
    #[serde(default, with = "double_option")]
    pub community_webhook_url: Option<Option<String>>,
}

mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
        Option::<String>::deserialize(d).map(Some)
    }
    pub fn serialize<S: Serializer>(v: &Option<Option<String>>, s: S) -> Result<S::Ok, S::Error> {
        v.serialize(s)
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

impl BrandUpdate {
    /// Applies the update to `cfg`, refusing the whole update on any bad field.
    pub fn apply(&self, mut cfg: BrandConfig) -> Result<BrandConfig, ApiError> {
        if let Some(n) = &self.name {
            cfg.name = text::field(n, "name", 1, NAME_MAX, false)?;
        }
        if let Some(a) = &self.accent {
            if !crate::widget::is_hex_color(a) {
                return Err(ApiError::field(ErrorCode::ValidationFailed, "accent", "accent is a colour like #0b7a75"));
            }
            cfg.accent = a.to_ascii_lowercase();
        }
        if let Some(copy) = &self.incentive_copy {
            cfg.incentive_copy = match copy {
                Some(c) => Some(text::field(c, "incentive_copy", 1, INCENTIVE_MAX, false)?),
                None => None,
            };
        }
        if let Some(o) = &self.allowed_origins {
            cfg.allowed_origins = parse_origins(o)?;
        }
        if let Some(m) = self.moderation {
            cfg.moderation = m.validate()?;
        }
        if let Some(l) = self.rate_limits {
            if l.per_client == 0 || l.per_brand == 0 || l.per_client > 100_000 || l.per_brand > 1_000_000 {
                return Err(ApiError::field(ErrorCode::ValidationFailed, "rate_limits", "limits are 1 to 100000 (client) and 1 to 1000000 (brand)"));
            }
            cfg.rate_limits = l;
        }
        if let Some(r) = &self.referral {
            cfg.referral = r.clone().validate()?;
        }
        if let Some(u) = &self.community_webhook_url {
            cfg.community_webhook_url = match u {
                Some(url) if crate::referral::is_http_url(url) => Some(url.clone()),
                Some(_) => return Err(ApiError::field(ErrorCode::ValidationFailed, "community_webhook_url", "use a full http(s) URL")),
                None => None,
            };
        }
        Ok(cfg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> BrandConfig {
        BrandConfig {
            id: "acme".into(),
            name: "Acme".into(),
            accent: "#000000".into(),
            incentive_copy: Some("Give 15%".into()),
            allowed_origins: vec![],
            moderation: ModerationMode::AllPending,
            rate_limits: RateLimits::default(),
            referral: Default::default(),
            webhook_secret: None,
            community_webhook_url: None,
        }
    }

    #[test]
    fn partial_updates() {
        let u: BrandUpdate = serde_json::from_str(
            r#"{"name":" Acme Co ","allowed_origins":["https://Shop.example/"],"moderation":{"mode":"auto_approve_min_rating","min_rating":4}}"#,
        )
        .unwrap();
        let c = u.apply(cfg()).unwrap();
        assert_eq!(c.name, "Acme Co");
        assert_eq!(c.allowed_origins[0].as_str(), "https://shop.example");
        assert_eq!(c.moderation, ModerationMode::AutoApproveMinRating { min_rating: 4 });
        assert_eq!(c.incentive_copy.as_deref(), Some("Give 15%"), "untouched");
        let clear: BrandUpdate = serde_json::from_str(r#"{"incentive_copy":null}"#).unwrap();
        assert_eq!(clear.apply(cfg()).unwrap().incentive_copy, None);
    }

    #[test]
    fn bad_updates_are_refused_whole() {
        for body in [
            r#"{"accent":"red"}"#,
            r#"{"allowed_origins":["not an origin"]}"#,
            r#"{"name":""}"#,
            r#"{"moderation":{"mode":"auto_approve_min_rating","min_rating":9}}"#,
            r#"{"rate_limits":{"per_client":0,"per_brand":5}}"#,
        ] {
            let u: BrandUpdate = serde_json::from_str(body).unwrap();
            assert!(u.apply(cfg()).is_err(), "{body}");
        }
        assert!(serde_json::from_str::<BrandUpdate>(r#"{"secret_key_hash":"x"}"#).is_err());
    }
}
