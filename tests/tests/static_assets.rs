#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The edge serves the widget itself: loader, JS glue and wasm, with the right
//! content types and caching (content-hashed files immutable, loader brief).

use kindred_tests::get;

/// The content-hashed folder the loader refers to: `"<12 hex>/kindred.js"`.
fn asset_dir(loader: &str) -> String {
    loader
        .split('"')
        .find_map(|s| s.strip_suffix("/kindred.js").filter(|h| h.len() == 12 && h.bytes().all(|b| b.is_ascii_hexdigit())))
        .unwrap_or_else(|| panic!("no <hash>/kindred.js in embed.js"))
        .to_owned()
}

fn assert_immutable_wasm(path: &str) {
    let w = get(path);
    assert_eq!(w.status, 200, "{path}");
    assert_eq!(w.header("content-type"), Some("application/wasm"), "{path}");
    assert!(w.header("cache-control").unwrap_or_default().contains("max-age=31536000"), "{path}");
    assert_eq!(w.header("access-control-allow-origin"), Some("*"), "{path}");
    assert_eq!(&w.body[..4], b"\0asm", "{path} is not a wasm module");
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
    let dir = asset_dir(&loader);
    for js in ["kindred.js", "__wasm_split.js"] {
        let r = get(&format!("/assets/{dir}/{js}"));
        assert_eq!(r.status, 200, "{js}");
        assert!(r.header("content-type").unwrap_or_default().contains("javascript"), "{js}");
        assert!(r.header("cache-control").unwrap_or_default().contains("immutable"), "{js}");
        assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    }
    assert_immutable_wasm(&format!("/assets/{dir}/kindred_bg.wasm"));

    // Every chunk the chunk loader may fetch is there, served the same way.
    let split = get(&format!("/assets/{dir}/__wasm_split.js")).text();
    let chunks: Vec<&str> = split.split('"').filter_map(|s| s.strip_prefix("./")).filter(|s| s.ends_with(".wasm")).collect();
    for name in ["split_form.wasm", "split_referral.wasm", "split_community.wasm", "split_offer.wasm", "split_data.wasm", "split_board.wasm"] {
        assert!(chunks.contains(&name), "{name} not in the chunk loader: {chunks:?}");
    }
    for c in chunks {
        assert_immutable_wasm(&format!("/assets/{dir}/{c}"));
    }
}

#[test]
fn a_missing_asset_is_a_json_404() {
    get("/assets/000000000000/kindred_bg.wasm").assert_error(404, "route_not_found");
}
