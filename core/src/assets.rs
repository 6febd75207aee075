//! The widget's files outlive a deploy.
//!
//! The loader (`/embed.js`, cached 300 s) names its live widget's files by a
//! hash of the build (`/assets/<build>/kindred.js`, `.../kindred_bg.wasm`,
//! the parts' packs and chunks, `.../i18n/<locale>.json`) and fetches them
//! on the shopper's first touch, which can come long after the page loaded.
//! A deploy replaces the Worker's static assets with the new build's
//! (Cloudflare, "Version skew and static assets":
//! <https://developers.cloudflare.com/workers/versions-and-deployments/version-skew/>),
//! so a page loaded before it would ask for files that are gone, and its
//! shopper could no longer write a review or open the referral panel until
//! they reload.
//!
//! So the edge keeps each build's files in R2 (the `ASSET_ARCHIVE` bucket)
//! and answers requests for a build the static assets no longer hold from
//! there (static assets are matched first: the current build never reaches
//! the Worker). The Worker archives its own build in its cron job, reading
//! the files through its `ASSETS` binding as listed by the build's manifest
//! ([`MANIFEST_PATH`], written by `cargo xtask build`), and refreshes the
//! build's marker daily while it is current; a build whose marker is older
//! than [`KEEP_MS`] (so superseded that long ago) is deleted.
//!
//! This module holds the rules (names, keys, types, ages); `edge/src/store/
//! archive.rs` does the I/O.

use serde::Deserialize;

/// Where the build's manifest is served among the static assets (mutable:
/// `Cache-Control: no-cache`).
pub const MANIFEST_PATH: &str = "/kindred-build.json";

/// The API's OpenAPI document among the static assets (written by xtask's
/// build; `GET /v1/openapi.json` serves it).
pub const OPENAPI_PATH: &str = "/openapi.json";

/// Where the edge's message catalogue for `locale` is among the static
/// assets: `/i18n/{locale}.json`, one compiled catalogue (the shape of
/// `i18n::compile`'s JSON) per locale of `i18n::LOCALES`, holding the
/// widget's messages (`widget/i18n`) and those of the pages only the edge
/// renders (`edge/i18n`: "How reviews work"). Written by `cargo xtask
/// build`; the Worker reads each once per isolate through its `ASSETS`
/// binding. Inside the Worker they weighed about 30 KB of its 1 MiB (gzip).
/// Public, as every static asset: they are the words of public pages.
pub fn catalogue_path(locale: &str) -> String {
    format!("/i18n/{locale}.json")
}

/// The loader (`/embed.js`, a static asset) as its build leaves it.
pub const LOADER_PATH: &str = "/embed.js";

/// Where the loader takes the first paint's answer when the edge serves it
/// with one (`GET /v1/embed/{brand}`): this quoted name, exactly once in
/// the minified loader (xtask's build checks), is replaced by
/// `{"query": <the first-paint query answered>, "text": <the answer>}`.
pub const LOADER_FIRST_PAINT_SLOT: &str = "\"__KINDRED_FIRST_PAINT__\"";

/// The manifest of the deployed build: its hash and its files, paths
/// relative to `/assets/<build>/` (`"kindred.js"`, `"i18n/en.json"`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Manifest {
    pub build: String,
    pub files: Vec<String>,
}

impl Manifest {
    /// Whether every name in it is one [`object_key`] accepts (a manifest
    /// is ours, but a bad one must not write outside its build's prefix).
    pub fn is_valid(&self) -> bool {
        is_build(&self.build) && !self.files.is_empty() && self.files.iter().all(|f| is_path(f))
    }
}

/// How long a superseded build's files stay, ms: 7 days after its marker
/// was last refreshed (daily while it was the deployed build). A page open
/// longer than that reloads before the live widget comes.
pub const KEEP_MS: i64 = 7 * 24 * 3600 * 1000;

/// How often the deployed build's marker is rewritten, ms (one R2 write a
/// day; the cron job checks it every minute with one read).
pub const REFRESH_MS: i64 = 24 * 3600 * 1000;

/// The R2 key prefix of every archived build.
pub const PREFIX: &str = "assets/";

/// A build's name: 12 lowercase hex digits (`cargo xtask build`'s
/// `short_hash`).
pub fn is_build(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A file name inside a build: 1 to 64 of `A-Z a-z 0-9 _ . -`, not starting
/// with a dot (so no `..`, no hidden names, no separators).
pub fn is_file_name(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && !s.starts_with('.') && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b == b'-')
}

/// A file's path inside a build: a file name (`"kindred.js"`), or one in
/// the catalogues' folder (`"i18n/en.json"`). Nothing else.
pub fn is_path(path: &str) -> bool {
    match path.split_once('/') {
        None => is_file_name(path),
        Some(("i18n", name)) => is_file_name(name),
        Some(_) => false,
    }
}

/// The R2 key of a build's file (`assets/<build>/<path>`); `None` when the
/// build or path is not one of ours.
pub fn object_key(build: &str, path: &str) -> Option<String> {
    (is_build(build) && is_path(path)).then(|| format!("{PREFIX}{build}/{path}"))
}

/// The R2 key of a build's marker, written once all its files are archived
/// (and rewritten every [`REFRESH_MS`] while the build is deployed).
pub fn marker_key(build: &str) -> String {
    format!("{PREFIX}{build}/.archived")
}

/// The build named by an R2 key under [`PREFIX`], if any.
pub fn build_of(key: &str) -> Option<&str> {
    let build = key.strip_prefix(PREFIX)?.split('/').next()?;
    is_build(build).then_some(build)
}

/// The `Content-Type` a file is served with, by its extension; `None` for
/// a file the widget never has.
pub fn content_type(name: &str) -> Option<&'static str> {
    match name.rsplit_once('.')?.1 {
        "js" => Some("text/javascript; charset=utf-8"),
        "wasm" => Some("application/wasm"),
        "json" => Some("application/json"),
        _ => None,
    }
}

/// Whether the deployed build's marker, written at `marked_ms`, is due to
/// be rewritten at `now_ms`.
pub fn needs_refresh(marked_ms: i64, now_ms: i64) -> bool {
    now_ms.saturating_sub(marked_ms) >= REFRESH_MS
}

/// Whether an archived build other than the deployed one may be deleted:
/// its marker was last written more than [`KEEP_MS`] before `now_ms`, or it
/// has none (an archive cut short) and its oldest file is that old.
pub fn expired(marked_ms: i64, now_ms: i64) -> bool {
    now_ms.saturating_sub(marked_ms) > KEEP_MS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_and_paths_are_only_ours() {
        assert!(is_build("8943b4fe7bd9"));
        for bad in ["8943B4FE7BD9", "8943b4fe7bd", "8943b4fe7bd90", "../../etc/pa", "8943b4fe7bdg", ""] {
            assert!(!is_build(bad), "{bad}");
        }
        assert!(is_path("kindred_bg.wasm"));
        assert!(is_path("i18n/ar.json"));
        for bad in ["", ".archived", "..", "../x.js", "i18n/../x.js", "a/b.js", "i18n/", "i18n/.x", "x y.js", "i18n/a/b.json", "%2e%2e"] {
            assert!(!is_path(bad), "{bad}");
        }
        assert_eq!(object_key("8943b4fe7bd9", "i18n/en.json").as_deref(), Some("assets/8943b4fe7bd9/i18n/en.json"));
        assert_eq!(object_key("8943b4fe7bd9", ".archived"), None);
        assert_eq!(object_key("nothex000000", "kindred.js"), None);
        assert_eq!(build_of("assets/8943b4fe7bd9/chunk_7.wasm"), Some("8943b4fe7bd9"));
        assert_eq!(build_of(&marker_key("8943b4fe7bd9")), Some("8943b4fe7bd9"));
        assert_eq!(build_of("photos/abc"), None);
    }

    #[test]
    fn manifests_that_would_write_elsewhere_are_refused() {
        let ok = Manifest { build: "8943b4fe7bd9".into(), files: vec!["kindred.js".into(), "i18n/en.json".into()] };
        assert!(ok.is_valid());
        assert!(!Manifest { files: vec!["../../photos/x".into()], ..ok.clone() }.is_valid());
        assert!(!Manifest { files: vec![], ..ok.clone() }.is_valid());
        assert!(!Manifest { build: "x".into(), ..ok }.is_valid());
    }

    #[test]
    fn types_by_extension() {
        assert_eq!(content_type("kindred.js"), Some("text/javascript; charset=utf-8"));
        assert_eq!(content_type("part_form.wasm"), Some("application/wasm"));
        assert_eq!(content_type("en.json"), Some("application/json"));
        assert_eq!(content_type("x.html"), None);
        assert_eq!(content_type("wasm"), None);
    }

    #[test]
    fn a_superseded_build_goes_a_week_after_its_last_refresh() {
        let day = 24 * 3600 * 1000;
        assert!(!needs_refresh(0, day - 1));
        assert!(needs_refresh(0, day));
        assert!(!expired(0, 7 * day));
        assert!(expired(0, 7 * day + 1));
        // A clock that went back never deletes.
        assert!(!expired(10 * day, 0));
    }
}
