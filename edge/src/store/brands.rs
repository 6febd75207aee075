//! Brands: their public face and the settings the edge enforces.

use crate::errors::{EdgeError, EdgeResult};
use kindred_core::widget::BrandPublic;
use kindred_core::{BrandId, Origin};
use serde::Deserialize;
use worker::{console_warn, D1Database};

/// The columns every brand lookup selects, in `BrandRow`'s order.
pub const BRAND_COLUMNS: &str = "id, name, accent, incentive_copy, allowed_origins";

#[derive(Debug, Deserialize)]
pub struct BrandRow {
    pub id: String,
    pub name: String,
    pub accent: String,
    pub incentive_copy: Option<String>,
    pub allowed_origins: String,
}

/// A brand as the edge needs it for public routes.
#[derive(Debug, Clone)]
pub struct Brand {
    pub public: BrandPublic,
    pub allowed_origins: Vec<Origin>,
}

impl From<BrandRow> for Brand {
    fn from(row: BrandRow) -> Self {
        Brand {
            allowed_origins: parse_origins(&row.id, &row.allowed_origins),
            public: BrandPublic {
                id: row.id,
                name: row.name,
                accent: row.accent,
                incentive: row.incentive_copy,
            },
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
    let row: Option<BrandRow> = db
        .prepare(format!("SELECT {BRAND_COLUMNS} FROM brands WHERE id = ?1"))
        .bind(&[id.as_str().into()])
        .map_err(|e| EdgeError::internal("bind brand lookup", e))?
        .first(None)
        .await
        .map_err(|e| EdgeError::store("brand lookup", e))?;
    Ok(row.map(Brand::from))
}
