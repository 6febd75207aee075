//! KV: read copies of first-paint payloads (rebuildable from D1, so every KV
//! failure is logged and treated as a miss; each carries the brand's copy
//! version it was built at, so a change invalidates it without a KV delete).
//! Photos live in R2 (`store::media`).

use kindred_core::{BrandId, Origin, ProductId};
use serde::{Deserialize, Serialize};
use worker::{console_warn, kv::KvStore};

/// Bump when the cached shape changes, so old copies are ignored.
const VERSION: &str = "v4";

/// What travels beside a cached payload: enough to answer CORS, and the
/// brand's copy version it was built at (`brands.copy_version`): the copy is
/// used only while that is still the brand's version.
#[derive(Debug, Serialize, Deserialize)]
pub struct WidgetMeta {
    pub origins: Vec<Origin>,
    pub version: i64,
}

/// The start of every key of a brand's payload copies (KV and isolate).
pub fn brand_prefix(brand: &BrandId) -> String {
    format!("widget:{VERSION}:{brand}:")
}

pub fn widget_key(brand: &BrandId, product: Option<&ProductId>) -> String {
    // Ids are validated to exclude ':', so keys cannot collide.
    match product {
        Some(p) => format!("{}p:{p}", brand_prefix(brand)),
        None => format!("{}all", brand_prefix(brand)),
    }
}

/// The cached payload (JSON text) and the brand's origins, if present.
pub async fn get_widget(kv: &KvStore, key: &str) -> Option<(String, WidgetMeta)> {
    match kv.get(key).text_with_metadata::<WidgetMeta>().await {
        Ok((Some(text), Some(meta))) => Some((text, meta)),
        Ok(_) => None,
        Err(e) => {
            console_warn!("KV get {key} failed, falling back to D1: {e}");
            None
        }
    }
}

pub async fn put_widget(kv: &KvStore, key: &str, json: &str, meta: &WidgetMeta, ttl_seconds: u64) {
    let result = match kv.put(key, json) {
        Ok(builder) => match builder.metadata(meta) {
            Ok(b) => b.expiration_ttl(ttl_seconds.max(60)).execute().await,
            Err(e) => Err(e),
        },
        Err(e) => Err(e),
    };
    if let Err(e) = result {
        console_warn!("KV put {key} failed (the next request rebuilds it): {e}");
    }
}
