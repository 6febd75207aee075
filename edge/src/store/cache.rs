//! KV: read copies of first-paint payloads (rebuildable from D1, so every KV
//! failure is logged and treated as a miss) and photo blobs (the only thing
//! KV holds that D1 does not).

use crate::errors::{EdgeError, EdgeResult};
use kindred_core::{BrandId, Origin, ProductId};
use serde::{Deserialize, Serialize};
use worker::{console_warn, kv::KvStore};

/// Bump when the cached shape changes, so old copies are ignored.
const VERSION: &str = "v3";

/// What travels beside a cached payload: enough to answer CORS without D1.
#[derive(Debug, Serialize, Deserialize)]
pub struct WidgetMeta {
    pub origins: Vec<Origin>,
}

fn brand_prefix(brand: &BrandId) -> String {
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

/// Drops the brand-wide copy and the product's copy, so the next read
/// rebuilds them from D1.
pub async fn forget_widget(kv: &KvStore, brand: &BrandId, product: Option<&ProductId>) {
    let mut keys = vec![widget_key(brand, None)];
    if let Some(p) = product {
        keys.push(widget_key(brand, Some(p)));
    }
    for key in keys {
        if let Err(e) = kv.delete(&key).await {
            console_warn!("KV delete {key} failed: {e}");
        }
    }
}

/// Drops every copy of a brand's payloads (its name, colours or origins changed).
pub async fn forget_brand(kv: &KvStore, brand: &BrandId) {
    super::isolate::forget(&brand_prefix(brand));
    let mut cursor: Option<String> = None;
    loop {
        let mut list = kv.list().prefix(brand_prefix(brand)).limit(1000);
        if let Some(c) = cursor.take() {
            list = list.cursor(c);
        }
        match list.execute().await {
            Ok(page) => {
                for k in &page.keys {
                    if let Err(e) = kv.delete(&k.name).await {
                        console_warn!("KV delete {} failed: {e}", k.name);
                    }
                }
                if page.list_complete {
                    return;
                }
                cursor = page.cursor;
                if cursor.is_none() {
                    return;
                }
            }
            Err(e) => {
                console_warn!("KV list for brand {brand} failed: {e}");
                return;
            }
        }
    }
}

fn photo_key(id: &str) -> String {
    format!("photo:{id}")
}

pub async fn put_photo(kv: &KvStore, id: &str, bytes: &[u8], content_type: &str) -> EdgeResult<()> {
    kv.put_bytes(&photo_key(id), bytes)
        .map_err(|e| EdgeError::store("photo put", e))?
        .metadata(content_type)
        .map_err(|e| EdgeError::store("photo put", e))?
        .execute()
        .await
        .map_err(|e| EdgeError::store("photo put", e))
}

/// The photo's bytes and content type.
pub async fn get_photo(kv: &KvStore, id: &str) -> EdgeResult<Option<(Vec<u8>, String)>> {
    match kv.get(&photo_key(id)).bytes_with_metadata::<String>().await {
        Ok((Some(bytes), Some(ct))) => Ok(Some((bytes, ct))),
        Ok(_) => Ok(None),
        Err(e) => Err(EdgeError::store("photo get", e)),
    }
}

pub async fn delete_photo(kv: &KvStore, id: &str) {
    if let Err(e) = kv.delete(&photo_key(id)).await {
        console_warn!("KV delete photo {id} failed: {e}");
    }
}
