//! A very short-lived copy of first-paint payloads in this isolate's memory.
//!
//! Under load most first-paint requests repeat within a second; answering
//! them from memory saves the KV round trip. Safe because it is brief
//! (`ISOLATE_CACHE_MS`, default 1 s, 0 turns it off) and because every change
//! made through this isolate drops the entries it touched at once; another
//! isolate may show the old payload for at most that second, well inside
//! KV's own propagation delay.

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
    expires_at: f64,
}

thread_local! {
    static ENTRIES: RefCell<HashMap<String, Entry>> = RefCell::new(HashMap::new());
    /// The bytes of the answers in `ENTRIES`.
    static BYTES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

pub fn get(key: &str, now: f64) -> Option<Entry> {
    ENTRIES.with(|m| m.borrow().get(key).filter(|e| e.expires_at > now).cloned())
}

pub fn put(key: &str, json: Rc<str>, origins: Rc<[kindred_core::Origin]>, now: f64, ttl_ms: f64) {
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
        if let Some(old) = m.insert(key.to_owned(), Entry { json, origins, expires_at: now + ttl_ms }) {
            BYTES.set(BYTES.get().saturating_sub(old.json.len()));
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
