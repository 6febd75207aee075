//! Brands: their public face, their settings and their secrets' hashes.

use super::Metered;
use super::{int, opt, stmt};
use crate::errors::{EdgeError, EdgeResult};
use kindred_core::brand::{BrandConfig, Previous, ProxyKeys, RateLimits, PROXY_KEY_OVERLAP_MS};
use kindred_core::testimonial::ModerationMode;
use kindred_core::widget::BrandPublic;
use kindred_core::{BrandId, Origin};
use serde::Deserialize;
use worker::{console_warn, D1Database};

/// The columns every brand lookup selects, in `BrandRow`'s order.
pub const BRAND_COLUMNS: &str = "id, name, accent, incentive_copy, allowed_origins, moderation_mode, \
     auto_approve_min_rating, rate_limit_per_client, rate_limit_per_brand, secret_key_hash, identity_secret, link_secret, \
     referral_config, webhook_secret, community_webhook_url, settings_version, copy_version, max_hold_days, review_incentive, review_webhook_url, review_page_url, privacy_config, \
     proxy_key_hash, proxy_key_at, proxy_key_previous_hash, proxy_key_previous_until, \
     secret_key_previous_hash, secret_key_previous_until, identity_secret_previous, identity_secret_previous_until, \
     webhook_secret_previous, webhook_secret_previous_until";

#[derive(Debug, Deserialize)]
pub struct BrandRow {
    pub id: String,
    pub name: String,
    pub accent: String,
    pub incentive_copy: Option<String>,
    pub allowed_origins: String,
    pub moderation_mode: String,
    pub auto_approve_min_rating: Option<i64>,
    pub rate_limit_per_client: i64,
    pub rate_limit_per_brand: i64,
    pub secret_key_hash: Option<String>,
    pub identity_secret: Option<String>,
    pub link_secret: Option<String>,
    pub referral_config: String,
    pub webhook_secret: Option<String>,
    pub community_webhook_url: Option<String>,
    pub settings_version: i64,
    pub copy_version: i64,
    pub max_hold_days: i64,
    pub review_incentive: Option<String>,
    pub review_webhook_url: Option<String>,
    pub review_page_url: Option<String>,
    pub privacy_config: String,
    pub proxy_key_hash: Option<String>,
    pub proxy_key_at: Option<i64>,
    pub proxy_key_previous_hash: Option<String>,
    pub proxy_key_previous_until: Option<i64>,
    pub secret_key_previous_hash: Option<String>,
    pub secret_key_previous_until: Option<i64>,
    pub identity_secret_previous: Option<String>,
    pub identity_secret_previous_until: Option<i64>,
    pub webhook_secret_previous: Option<String>,
    pub webhook_secret_previous_until: Option<i64>,
}

/// A brand as the edge needs it.
#[derive(Debug, Clone)]
pub struct Brand {
    pub config: BrandConfig,
    pub secret_key_hash: Option<String>,
    pub identity_secret: Option<String>,
    /// What review and opt-out links are signed with (never shown; see
    /// migration 0043); `None` for a brand made before it, whose links are
    /// signed with `identity_secret`.
    pub link_secret: Option<String>,
    /// The brand's proxy keys' hashes (`kindred_core::auth::proxy_key`).
    pub proxy_keys: ProxyKeys,
    /// The admin key's hash, the identity secret and the webhook secret
    /// each replaced last, while they may still work beside the new ones
    /// (migration 0045; `Previous::live`).
    pub previous_admin_key_hash: Previous,
    pub previous_identity_secret: Previous,
    pub previous_webhook_secret: Previous,
    /// Moves with every settings change (the admin API's ETag).
    pub settings_version: i64,
    /// Moves with every change a first-paint copy shows.
    pub copy_version: i64,
}

impl Brand {
    pub fn public(&self) -> BrandPublic {
        BrandPublic {
            id: self.config.id.clone(),
            name: self.config.name.clone(),
            accent: self.config.accent.clone(),
            incentive: self.config.incentive_copy.clone(),
            review_incentive: self.config.review_incentive.as_ref().map(|i| i.description.clone()),
            referral: self.config.referral.landing_url.as_ref().map(|_| kindred_core::widget::ReferralPublic {
                referee_offer: self.config.referral.referee_offer.clone(),
                window_days: self.config.referral.window_days,
                leaderboard: self.config.referral.leaderboard,
                links_by_email: self.config.referral.webhook_url.is_some(),
            }),
            community: false,
        }
    }
}

impl From<BrandRow> for Brand {
    fn from(row: BrandRow) -> Self {
        let limit = |n: i64| u32::try_from(n.max(1)).unwrap_or(u32::MAX);
        Brand {
            config: BrandConfig {
                allowed_origins: parse_origins(&row.id, &row.allowed_origins),
                moderation: ModerationMode::from_columns(&row.moderation_mode, row.auto_approve_min_rating),
                rate_limits: RateLimits { per_client: limit(row.rate_limit_per_client), per_brand: limit(row.rate_limit_per_brand) },
                referral: serde_json::from_str(&row.referral_config).unwrap_or_else(|e| {
                    console_warn!("brand {}: referral_config unreadable, using defaults: {e}", row.id);
                    Default::default()
                }),
                webhook_secret: row.webhook_secret,
                community_webhook_url: row.community_webhook_url,
                review_webhook_url: row.review_webhook_url,
                review_page_url: row.review_page_url,
                privacy: serde_json::from_str(&row.privacy_config).unwrap_or_else(|e| {
                    console_warn!("brand {}: privacy_config unreadable, using defaults: {e}", row.id);
                    Default::default()
                }),
                max_hold_days: kindred_core::moderation::MaxHold::from_column(row.max_hold_days),
                review_incentive: row.review_incentive.as_deref().and_then(|j| {
                    serde_json::from_str(j)
                        .map_err(|e| console_warn!("brand {}: review_incentive unreadable, treated as none: {e}", row.id))
                        .ok()
                }),
                id: row.id,
                name: row.name,
                accent: row.accent,
                incentive_copy: row.incentive_copy,
            },
            secret_key_hash: row.secret_key_hash,
            identity_secret: row.identity_secret,
            link_secret: row.link_secret,
            proxy_keys: ProxyKeys {
                hash: row.proxy_key_hash,
                made_at: row.proxy_key_at,
                previous: Previous { value: row.proxy_key_previous_hash, until: row.proxy_key_previous_until },
            },
            previous_admin_key_hash: Previous { value: row.secret_key_previous_hash, until: row.secret_key_previous_until },
            previous_identity_secret: Previous { value: row.identity_secret_previous, until: row.identity_secret_previous_until },
            previous_webhook_secret: Previous { value: row.webhook_secret_previous, until: row.webhook_secret_previous_until },
            settings_version: row.settings_version,
            copy_version: row.copy_version,
        }
    }
}

/// Origins are validated when a brand saves them; a bad stored entry is
/// skipped (and logged) rather than opening CORS or failing the request.
pub fn parse_origins(brand: &str, json: &str) -> Vec<Origin> {
    let raw: Vec<String> = serde_json::from_str(json).unwrap_or_else(|e| {
        console_warn!("brand {brand}: allowed_origins is not a JSON list: {e}");
        Vec::new()
    });
    raw.iter()
        .filter_map(|s| match Origin::parse(s) {
            Ok(o) => Some(o),
            Err(_) => {
                console_warn!("brand {brand}: ignoring invalid allowed origin {s:?}");
                None
            }
        })
        .collect()
}

pub async fn find(db: &D1Database, id: &BrandId) -> EdgeResult<Option<Brand>> {
    let row: Option<BrandRow> = stmt(db, format!("SELECT {BRAND_COLUMNS} FROM brands WHERE id = ?1"), &[id.as_str().into()])?
        .first_row()
        .await
        .map_err(|e| EdgeError::store("brand lookup", e))?;
    Ok(row.map(Brand::from))
}

/// The brand whose referral program issued `code` (`None`: no such code),
/// in one query.
pub async fn by_referral_code(db: &D1Database, code: &str) -> EdgeResult<Option<Brand>> {
    let row: Option<BrandRow> = stmt(db, "SELECT b.* FROM referrers r JOIN brands b ON b.id = r.brand_id WHERE r.code = ?1", &[code.into()])?
        .first_row()
        .await
        .map_err(|e| EdgeError::store("brand by code", e))?;
    Ok(row.map(Brand::from))
}

/// Like `find`, but a missing brand is a 404.
pub async fn require(db: &D1Database, id: &BrandId) -> EdgeResult<Brand> {
    find(db, id).await?.ok_or_else(|| not_found(id))
}

pub fn not_found(id: &BrandId) -> EdgeError {
    EdgeError::api(kindred_core::ErrorCode::BrandNotFound, format!("no brand '{id}'"))
}

fn origins_json(cfg: &BrandConfig) -> EdgeResult<String> {
    serde_json::to_string(&cfg.allowed_origins).map_err(|e| EdgeError::internal("encode origins", e))
}

/// Creates a brand with its link key (`link_secret`); `Ok(false)` if the
/// id is taken.
pub async fn create(db: &D1Database, cfg: &BrandConfig, key_hash: &str, identity_secret: &str, link_secret: &str, now: i64) -> EdgeResult<bool> {
    let result = stmt(db, "INSERT INTO brands (id, name, accent, allowed_origins, secret_key_hash, identity_secret, webhook_secret, created_at, link_secret) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?8, ?7, ?9) ON CONFLICT(id) DO NOTHING", &[
            cfg.id.as_str().into(),
            cfg.name.as_str().into(),
            cfg.accent.as_str().into(),
            origins_json(cfg)?.into(),
            key_hash.into(),
            identity_secret.into(),
            int(now),
            opt(cfg.webhook_secret.as_deref()),
            link_secret.into(),
        ])?
        .run_metered()
        .await
        .map_err(|e| EdgeError::store("create brand", e))?;
    let changes = super::changed(&result);
    Ok(changes > 0)
}

/// Makes `hash` the brand's proxy key as of `now` (Unix ms); the key it
/// replaces, if any, is taken until `now` + `PROXY_KEY_OVERLAP_MS` (one
/// statement: SQLite reads the old values on the right). Returns the keys
/// as stored, or `None` if there is no such brand.
pub async fn make_proxy_key(db: &D1Database, id: &BrandId, hash: &str, now: i64) -> EdgeResult<Option<ProxyKeys>> {
    // The brand row as every lookup reads it (`BrandRow`), after the change.
    let row: Option<BrandRow> = stmt(db, format!("UPDATE brands SET proxy_key_previous_hash = proxy_key_hash, \
         proxy_key_previous_until = CASE WHEN proxy_key_hash IS NULL THEN NULL ELSE ?3 END, proxy_key_hash = ?2, proxy_key_at = ?4 \
         WHERE id = ?1 RETURNING {BRAND_COLUMNS}"), &[
        id.as_str().into(),
        hash.into(),
        int(now.saturating_add(PROXY_KEY_OVERLAP_MS)),
        int(now),
    ])?
    .first_row()
    .await
    .map_err(|e| EdgeError::store("make proxy key", e))?;
    Ok(row.map(|r| Brand::from(r).proxy_keys))
}

/// Replaces one of the brand's secrets with `stored` (the admin key's
/// hash, the others as they are) at `now` (Unix ms). The old value works
/// on for `keep_ms` (`kindred_core::brand::overlap_ms`) as the previous
/// one, in place of any earlier previous one; with 0 it is gone with this
/// statement, and so is any earlier one. Either way a brand without a link
/// key keeps its old identity secret as one (its emailed links were
/// signed with it). A new webhook secret moves the settings' version (the
/// settings show it). `Ok(false)`: no such brand.
pub async fn replace_secret(db: &D1Database, id: &BrandId, which: kindred_core::brand::BrandSecret, stored: &str, keep_ms: i64, now: i64) -> EdgeResult<bool> {
    use kindred_core::brand::BrandSecret;
    // Every expression reads the row as it was: the replaced value becomes
    // the previous one (for `keep_ms`), or none is kept (0: it stops now,
    // and so does any earlier one still working).
    let sql = match which {
        BrandSecret::AdminKey => "UPDATE brands SET secret_key_previous_hash = CASE WHEN ?3 > 0 THEN secret_key_hash END, \
             secret_key_previous_until = CASE WHEN ?3 > 0 THEN ?4 + ?3 END, secret_key_hash = ?2 WHERE id = ?1",
        BrandSecret::IdentitySecret => "UPDATE brands SET link_secret = COALESCE(link_secret, identity_secret), \
             identity_secret_previous = CASE WHEN ?3 > 0 THEN identity_secret END, \
             identity_secret_previous_until = CASE WHEN ?3 > 0 THEN ?4 + ?3 END, identity_secret = ?2 WHERE id = ?1",
        BrandSecret::WebhookSecret => "UPDATE brands SET webhook_secret_previous = CASE WHEN ?3 > 0 THEN webhook_secret END, \
             webhook_secret_previous_until = CASE WHEN ?3 > 0 THEN ?4 + ?3 END, webhook_secret = ?2, \
             settings_version = settings_version + 1 WHERE id = ?1",
    };
    let result = stmt(db, sql, &[id.as_str().into(), stored.into(), int(keep_ms), int(now)])?.run_metered().await.map_err(|e| EdgeError::store("replace secret", e))?;
    Ok(super::changed(&result) > 0)
}

/// Ends the overlap of one of the brand's secrets: the value it replaced
/// stops working now (the current one stays). Ending none is fine.
pub async fn end_previous(db: &D1Database, id: &BrandId, which: kindred_core::brand::BrandSecret) -> EdgeResult<()> {
    use kindred_core::brand::BrandSecret;
    let sql = match which {
        BrandSecret::AdminKey => "UPDATE brands SET secret_key_previous_hash = NULL, secret_key_previous_until = NULL WHERE id = ?1",
        BrandSecret::IdentitySecret => "UPDATE brands SET identity_secret_previous = NULL, identity_secret_previous_until = NULL WHERE id = ?1",
        BrandSecret::WebhookSecret => "UPDATE brands SET webhook_secret_previous = NULL, webhook_secret_previous_until = NULL WHERE id = ?1",
    };
    stmt(db, sql, &[id.as_str().into()])?.run_metered().await.map_err(|e| EdgeError::store("end previous secret", e))?;
    Ok(())
}

/// Deletes the brand's proxy key and the one it replaced.
pub async fn delete_proxy_keys(db: &D1Database, id: &BrandId) -> EdgeResult<()> {
    stmt(db, "UPDATE brands SET proxy_key_hash = NULL, proxy_key_at = NULL, proxy_key_previous_hash = NULL, proxy_key_previous_until = NULL WHERE id = ?1", &[id.as_str().into()])?
        .run_metered()
        .await
        .map_err(|e| EdgeError::store("delete proxy key", e))?;
    Ok(())
}

/// Saves a brand's settings (not its secrets) if they are still at
/// `read_at` (their `settings_version` when read), and moves both versions
/// in the same statement. `Ok(false)` when another change came first: the
/// caller merges its patch again over the newer settings.
pub async fn update(db: &D1Database, cfg: &BrandConfig, read_at: i64) -> EdgeResult<bool> {
    let (mode, min_rating) = cfg.moderation.to_columns();
    let result = stmt(db, "UPDATE brands SET name = ?2, accent = ?3, incentive_copy = ?4, allowed_origins = ?5, moderation_mode = ?6, \
         auto_approve_min_rating = ?7, rate_limit_per_client = ?8, rate_limit_per_brand = ?9, referral_config = ?10, \
         webhook_secret = COALESCE(webhook_secret, ?11), community_webhook_url = ?12, \
         max_hold_days = ?14, review_incentive = ?15, review_webhook_url = ?16, review_page_url = ?17, privacy_config = ?18, \
         settings_version = settings_version + 1, copy_version = copy_version + 1 \
         WHERE id = ?1 AND settings_version = ?13", &[
        cfg.id.as_str().into(),
        cfg.name.as_str().into(),
        cfg.accent.as_str().into(),
        opt(cfg.incentive_copy.as_deref()),
        origins_json(cfg)?.into(),
        mode.into(),
        min_rating.map_or(wasm_bindgen::JsValue::NULL, |n| int(i64::from(n))),
        int(i64::from(cfg.rate_limits.per_client)),
        int(i64::from(cfg.rate_limits.per_brand)),
        serde_json::to_string(&cfg.referral).map_err(|e| EdgeError::internal("encode referral config", e))?.into(),
        opt(cfg.webhook_secret.as_deref()),
        opt(cfg.community_webhook_url.as_deref()),
        int(read_at),
        int(i64::from(cfg.max_hold_days.days())),
        opt(cfg.review_incentive.as_ref().map(serde_json::to_string).transpose().map_err(|e| EdgeError::internal("encode review incentive", e))?.as_deref()),
        opt(cfg.review_webhook_url.as_deref()),
        opt(cfg.review_page_url.as_deref()),
        serde_json::to_string(&cfg.privacy).map_err(|e| EdgeError::internal("encode privacy config", e))?.into(),
    ])?
    .run_metered()
    .await
    .map_err(|e| EdgeError::store("update brand", e))?;
    Ok(super::changed(&result) > 0)
}

/// The brand's copy version (`None`: no such brand): one row by primary key.
pub async fn copy_version(db: &D1Database, id: &BrandId) -> EdgeResult<Option<i64>> {
    #[derive(Deserialize)]
    struct Row {
        copy_version: i64,
    }
    let row: Option<Row> = stmt(db, "SELECT copy_version FROM brands WHERE id = ?1", &[id.as_str().into()])?
        .first_row()
        .await
        .map_err(|e| EdgeError::store("copy version", e))?;
    Ok(row.map(|r| r.copy_version))
}

/// The statement that moves the brand's copy version (every first-paint copy
/// built before is old), to run in the same batch as the change it follows.
pub fn copy_version_bump(db: &D1Database, id: &str) -> EdgeResult<worker::D1PreparedStatement> {
    stmt(db, "UPDATE brands SET copy_version = copy_version + 1 WHERE id = ?1", &[id.into()])
}

/// Moves the brand's copy version on its own (after a change made elsewhere).
pub async fn bump_copy_version(db: &D1Database, id: &BrandId) -> EdgeResult<()> {
    copy_version_bump(db, id.as_str())?.run_metered().await.map_err(|e| EdgeError::store("copy version", e))?;
    Ok(())
}
