//! The shopper's anonymous member token: random, kept in this site's
//! localStorage, sent with votes and submissions so "once per shopper" holds
//! without accounts. Votes already cast are remembered too.

use gloo::storage::{LocalStorage, Storage};

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
    match LocalStorage::get::<String>(TOKEN_KEY) {
        Ok(t) if t.len() == 32 => t,
        _ => {
            let t = random_hex();
            let _ = LocalStorage::set(TOKEN_KEY, &t);
            t
        }
    }
}

/// A fresh key for one submission (retries reuse it).
pub fn idempotency_key() -> String {
    random_hex()
}

pub fn has_voted(id: &str) -> bool {
    LocalStorage::get::<Vec<String>>(VOTES_KEY).map(|v| v.iter().any(|x| x == id)).unwrap_or(false)
}

pub fn remember_vote(id: &str) {
    let mut v = LocalStorage::get::<Vec<String>>(VOTES_KEY).unwrap_or_default();
    if !v.iter().any(|x| x == id) {
        v.push(id.to_owned());
        // Bounded: the oldest votes are forgotten (the server still knows).
        if v.len() > 200 {
            v.remove(0);
        }
        let _ = LocalStorage::set(VOTES_KEY, &v);
    }
}

const COMMUNITY_KEY: &str = "kindred.community";

/// Whether this shopper joined a group here (only then is polling worth it).
pub fn in_community() -> bool {
    LocalStorage::get::<bool>(COMMUNITY_KEY).unwrap_or(false)
}

pub fn remember_community() {
    let _ = LocalStorage::set(COMMUNITY_KEY, true);
}

const REFERRER_KEY: &str = "kindred.referrer";

/// Whether this shopper has a referral link here (then their panel loads at once).
pub fn is_referrer() -> bool {
    LocalStorage::get::<bool>(REFERRER_KEY).unwrap_or(false)
}

pub fn remember_referrer() {
    let _ = LocalStorage::set(REFERRER_KEY, true);
}
