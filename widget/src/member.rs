//! The shopper's anonymous member token: random, kept in this site's
//! localStorage, sent with votes and submissions so "once per shopper" holds
//! without accounts. Votes already cast are remembered too.

use wasm_bindgen::JsValue;

/// This site's localStorage, values kept as JSON text (JSON.parse and
/// JSON.stringify do the work, so no Rust JSON code ships for it). Storage
/// may be blocked (private mode, sandboxed frames): then nothing is kept.
mod store {
    use wasm_bindgen::JsValue;

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok()?
    }

    pub fn get(key: &str) -> Option<JsValue> {
        let text = storage()?.get_item(key).ok()??;
        js_sys::JSON::parse(&text).ok()
    }

    pub fn set(key: &str, value: &JsValue) {
        if let (Some(s), Some(text)) = (storage(), js_sys::JSON::stringify(value).ok().and_then(|t| t.as_string())) {
            let _ = s.set_item(key, &text);
        }
    }

    pub fn delete(key: &str) {
        if let Some(s) = storage() {
            let _ = s.remove_item(key);
        }
    }
}

pub use store::delete as forget;

/// A stored string.
pub fn get_string(key: &str) -> Option<String> {
    store::get(key)?.as_string()
}

fn get_flag(key: &str) -> bool {
    store::get(key).and_then(|v| v.as_bool()).unwrap_or(false)
}

/// A stored list of ids.
fn ids(key: &str) -> Vec<String> {
    store::get(key)
        .filter(js_sys::Array::is_array)
        .map(|v| js_sys::Array::from(&v).iter().filter_map(|x| x.as_string()).collect())
        .unwrap_or_default()
}

/// Adds (or with `present` false removes) `id` in a stored list of at most
/// `cap` ids, the oldest forgotten first (the edge still knows).
fn mark(key: &str, id: &str, present: bool, cap: usize) {
    let mut v = ids(key);
    let had = v.iter().any(|x| x == id);
    if present == had {
        return;
    }
    if present {
        v.push(id.to_owned());
        if v.len() > cap {
            v.remove(0);
        }
    } else {
        v.retain(|x| x != id);
    }
    store::set(key, &v.iter().map(|x| JsValue::from_str(x)).collect::<js_sys::Array>());
}

/// Stores a small record (string fields) as a JSON object.
pub fn set_record(key: &str, fields: &[(&str, &str)]) {
    store::set(key, &crate::json::object_of(fields));
}

/// One string field of a stored record.
pub fn record_field(key: &str, field: &str) -> Option<String> {
    let o = store::get(key).filter(JsValue::is_object)?;
    js_sys::Reflect::get(&o, &JsValue::from_str(field)).ok()?.as_string()
}

const TOKEN_KEY: &str = "kindred.member";
const VOTES_KEY: &str = "kindred.voted";

fn random_hex() -> String {
    let mut buf = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .and_then(|c| c.get_random_values_with_u8_array(&mut buf).ok())
        .is_some();
    if !filled {
        // No crypto (very old browser): still unique enough for a vote token.
        for (i, b) in buf.iter_mut().enumerate() {
            *b = (js_sys::Math::random() * 256.0) as u8 ^ i as u8;
        }
    }
    kindred_core::auth::hex(&buf)
}

/// This shopper's token, created on first use. Storage may be blocked
/// (private mode); then the token lives for this page view only.
pub fn token() -> String {
    match get_string(TOKEN_KEY) {
        Some(t) if t.len() == 32 => t,
        _ => {
            let t = random_hex();
            store::set(TOKEN_KEY, &JsValue::from_str(&t));
            t
        }
    }
}

/// A fresh key for one submission (retries reuse it).
pub fn idempotency_key() -> String {
    random_hex()
}

const OWN_KEY: &str = "kindred.own";

/// The testimonials this browser's shopper wrote (their ids), newest last:
/// their cards offer "Edit your review" (the edge checks the member token).
pub fn is_own(id: &str) -> bool {
    ids(OWN_KEY).iter().any(|x| x == id)
}

pub fn remember_own(id: &str) {
    mark(OWN_KEY, id, true, 50);
}

pub fn has_voted(id: &str) -> bool {
    ids(VOTES_KEY).iter().any(|x| x == id)
}

pub fn remember_vote(id: &str) {
    mark(VOTES_KEY, id, true, 200);
}

const CONSENT_KEY: &str = "kindred.consent";

/// Whether this shopper, from this browser, last gave consent to reuse
/// their review `id` (`kindred_core::consent`): the edit form's checkbox
/// starts from it.
pub fn has_consent(id: &str) -> bool {
    ids(CONSENT_KEY).iter().any(|x| x == id)
}

pub fn remember_consent(id: &str, given: bool) {
    mark(CONSENT_KEY, id, given, 50);
}

const COMMUNITY_KEY: &str = "kindred.community";

/// Whether this shopper joined a group here (only then is polling worth it).
pub fn in_community() -> bool {
    get_flag(COMMUNITY_KEY)
}

pub fn remember_community() {
    store::set(COMMUNITY_KEY, &JsValue::TRUE);
}

const REFERRER_KEY: &str = "kindred.referrer";

/// Whether this shopper has a referral link here (then their panel loads at once).
pub fn is_referrer() -> bool {
    get_flag(REFERRER_KEY)
}

pub fn remember_referrer() {
    store::set(REFERRER_KEY, &JsValue::TRUE);
}

/// The edge holds no link for this browser (erased, or moved to another):
/// its panel no longer loads at once, nor says "Loading" first.
pub fn forget_referrer() {
    store::delete(REFERRER_KEY);
}

/// Forgets everything this browser remembers of the shopper here (after
/// they erased their data): the member token, their own reviews, votes,
/// consents, memberships, referral link and a friend's arrival code. The
/// next visit starts as a stranger's.
pub fn forget_all() {
    for key in [TOKEN_KEY, VOTES_KEY, OWN_KEY, CONSENT_KEY, COMMUNITY_KEY, REFERRER_KEY, "kindred.referral"] {
        store::delete(key);
    }
}
