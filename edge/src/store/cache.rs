//! KV: read copies of first-paint payloads (rebuildable from D1, so every KV
//! failure is logged and treated as a miss; each carries the brand's copy
//! version it was built at, so a change invalidates it without a KV delete),
//! and of referral codes, for redirects while D1 is unavailable.
//! Photos live in R2 (`store::media`).

use kindred_core::{BrandId, Origin, ProductId};
use serde::{Deserialize, Serialize};
use worker::{console_warn, kv::KvStore};

/// Bump when the cached shape changes, so old copies are ignored.
const VERSION: &str = "v7";

/// What travels beside a cached payload: enough to answer CORS, and the
/// brand's copy version it was built at (`brands.copy_version`): the copy is
/// used only while that is still the brand's version.
#[derive(Debug, Clone, Serialize, Deserialize)]
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

/// The key of a first page ordered for `context` (`kindred_core::context`),
/// beside its plain copy's: old with it (same copy version), and listed
/// with it for an erasure ([`with_context_keys`]).
pub fn context_key(plain: &str, context: &kindred_core::context::Context) -> String {
    format!("{plain}~{}", context.key())
}

/// `plain` keys and the keys of their ordered copies in KV (a listing by
/// prefix, at most a page of 1000 per plain key: a product has at most
/// 117 orders, `kindred_core::context`). A listing that fails is logged;
/// those copies expire within their TTL.
pub async fn with_context_keys(kv: &KvStore, plain: Vec<String>) -> Vec<String> {
    let mut all = plain.clone();
    for key in plain {
        match kv.list().prefix(format!("{key}~")).execute().await {
            Ok(list) => all.extend(list.keys.into_iter().map(|k| k.name)),
            Err(e) => console_warn!("KV list {key}~ failed (its ordered copies expire within the TTL): {e}"),
        }
    }
    all
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

/// KV copy of a referral code for redirects while D1 is unavailable: the
/// code's brand and where it lands (`BrandConfig::referral_landing`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeCopy {
    pub brand: String,
    pub landing_url: Option<String>,
}

/// The KV key of a referral code's copy.
pub fn code_key(code: &str) -> String {
    format!("ref:v2:{code}")
}

/// Writes the code's copy; a failure is logged (the redirect still works
/// while D1 does).
pub async fn put_code_copy(kv: &KvStore, code: &str, copy: &CodeCopy) {
    let Ok(json) = serde_json::to_string(copy) else { return };
    match kv.put(&code_key(code), json) {
        Ok(b) => {
            if let Err(e) = b.execute().await {
                console_warn!("KV put for code {code} failed: {e}");
            }
        }
        Err(e) => console_warn!("KV put for code {code} failed: {e}"),
    }
}

/// The code's copy, if KV has it.
pub async fn get_code_copy(kv: &KvStore, code: &str) -> Option<CodeCopy> {
    kv.get(&code_key(code)).json::<CodeCopy>().await.ok().flatten()
}

/// Deletes KV keys at once (each a subrequest); failures are logged (a
/// first-paint copy is never served once its brand's copy version moved,
/// and expires within `WIDGET_CACHE_TTL`).
pub async fn delete_keys(kv: &KvStore, keys: &[String]) {
    let all = keys.iter().map(|k| async move {
        if let Err(e) = kv.delete(k).await {
            console_warn!("KV delete {k} failed (it expires within the TTL): {e}");
        }
    });
    futures_util::future::join_all(all).await;
}
