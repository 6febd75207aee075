//! First-paint answers kept in this isolate's memory: served without a
//! check for a second, then after one D1 read for at most a minute.
//!
//! Under load most first-paint requests repeat within a second; answering
//! them from memory saves the KV round trip. Safe because it is brief
//! (`ISOLATE_CACHE_MS`, default 1 s, 0 turns it off) and because every change
//! made through this isolate drops the entries it touched at once; another
//! isolate may show the old answer for at most that second, well inside
//! KV's own propagation delay.
//!
//! Past that second an entry is not thrown away: it remembers the brand's
//! copy version it was built at, and [`get`] hands it back (for at most
//! the caller's reuse bound) so that the route can serve it again after one
//! D1 read of the version instead of reading KV and rendering the markup
//! anew ([`renew`]). A change anywhere moves the version, so a renewed
//! entry holds what a rebuild would give (but for `markup_at` and the
//! relative dates written then, which the loader writes again).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// Entries kept at most; past that the map starts over (no eviction policy
/// needed at this lifetime).
const MAX_ENTRIES: usize = 512;

/// Bytes of answers kept at most (an answer with its first view's markup
/// can be tens of KB; a Worker isolate has 128 MB in all); past that the
/// map starts over too.
const MAX_BYTES: usize = 16 * 1024 * 1024;

#[derive(Clone)]
pub struct Entry {
    pub json: Rc<str>,
    pub origins: Rc<[kindred_core::Origin]>,
    /// The brand's copy version the answer was built at
    /// (`store::brands::copy_version`).
    pub version: i64,
    /// When it was built (ms since the Unix epoch); [`renew`] keeps it.
    built_at: f64,
    expires_at: f64,
}

impl Entry {
    /// Whether `now` (ms since the Unix epoch) is within its lifetime.
    pub fn is_fresh(&self, now: f64) -> bool {
        self.expires_at > now
    }
}

thread_local! {
    static ENTRIES: RefCell<HashMap<String, Entry>> = RefCell::new(HashMap::new());
    /// The bytes of the answers in `ENTRIES`.
    static BYTES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The entry under `key` if it was built less than `reuse_ms` before `now`
/// (ms since the Unix epoch): as it is while [`Entry::is_fresh`]; past its
/// lifetime, to be served again only after the brand's copy version is
/// read and found equal to [`Entry::version`] (then [`renew`]).
pub fn get(key: &str, now: f64, reuse_ms: f64) -> Option<Entry> {
    ENTRIES.with(|m| m.borrow().get(key).filter(|e| now - e.built_at < reuse_ms).cloned())
}

/// Keeps `json` (an answer built at copy `version`) under `key` for
/// `ttl_ms` from `now`; nothing with `ttl_ms` 0 or less.
pub fn put(key: &str, json: Rc<str>, origins: Rc<[kindred_core::Origin]>, version: i64, now: f64, ttl_ms: f64) {
    if ttl_ms <= 0.0 {
        return;
    }
    ENTRIES.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= MAX_ENTRIES || BYTES.get() + json.len() > MAX_BYTES {
            m.clear();
            BYTES.set(0);
        }
        BYTES.set(BYTES.get() + json.len());
        if let Some(old) = m.insert(key.to_owned(), Entry { json, origins, version, built_at: now, expires_at: now + ttl_ms }) {
            BYTES.set(BYTES.get().saturating_sub(old.json.len()));
        }
    });
}

/// Gives the entry under `key` a new lifetime of `ttl_ms` from `now`, if
/// it is still the one built at `version` (a change may have replaced or
/// dropped it while the version was read).
pub fn renew(key: &str, version: i64, now: f64, ttl_ms: f64) {
    ENTRIES.with(|m| {
        if let Some(e) = m.borrow_mut().get_mut(key).filter(|e| e.version == version) {
            e.expires_at = now + ttl_ms;
        }
    });
}

/// Drops every entry whose key starts with `prefix`.
pub fn forget(prefix: &str) {
    ENTRIES.with(|m| {
        m.borrow_mut().retain(|k, e| {
            let keep = !k.starts_with(prefix);
            if !keep {
                BYTES.set(BYTES.get().saturating_sub(e.json.len()));
            }
            keep
        });
    });
}
