#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The edge serves the widget itself: loader, JS glue and wasm, with the right
//! content types and caching (content-hashed files immutable, loader brief).

use kindred_tests::get;

/// The content-hashed names the loader refers to: `"kindred-<hex>.js"` and `.wasm`.
fn asset_names(loader: &str) -> (String, String) {
    let names: Vec<&str> = loader
        .split('"')
        .filter(|s| s.strip_prefix("kindred-").is_some_and(|rest| rest.split('.').next().is_some_and(|h| h.len() == 12 && h.bytes().all(|b| b.is_ascii_hexdigit()))))
        .collect();
    let find = |ext: &str| {
        names.iter().find(|n| n.ends_with(ext)).unwrap_or_else(|| panic!("no kindred-<hash>{ext} in embed.js")).to_string()
    };
    (find(".js"), find(".wasm"))
}

#[test]
fn loader_is_short_lived_javascript_readable_cross_origin() {
    let r = get("/embed.js");
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap_or_default().contains("javascript"), "{:?}", r.header("content-type"));
    let cc = r.header("cache-control").unwrap_or_default();
    assert!(cc.contains("max-age=300") && !cc.contains("immutable"), "{cc}");
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    let text = r.text();
    assert!(!text.contains("__KINDRED_"), "placeholders left in the loader");
}

#[test]
fn hashed_assets_are_immutable_with_correct_types() {
    let loader = get("/embed.js").text();
    let (glue, wasm) = asset_names(&loader);
    let js = get(&format!("/assets/{glue}"));
    assert_eq!(js.status, 200, "{glue}");
    assert!(js.header("content-type").unwrap_or_default().contains("javascript"));
    assert!(js.header("cache-control").unwrap_or_default().contains("immutable"));
    assert_eq!(js.header("access-control-allow-origin"), Some("*"));

    let w = get(&format!("/assets/{wasm}"));
    assert_eq!(w.status, 200, "{wasm}");
    assert_eq!(w.header("content-type"), Some("application/wasm"));
    assert!(w.header("cache-control").unwrap_or_default().contains("max-age=31536000"));
    assert_eq!(&w.body[..4], b"\0asm", "not a wasm module");
}

#[test]
fn a_missing_asset_is_a_json_404() {
    get("/assets/kindred-000000000000.wasm").assert_error(404, "route_not_found");
}
