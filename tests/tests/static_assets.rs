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
    // The build's placeholders are filled; the first-paint slot stays, once
    // (`GET /v1/embed/{brand}` fills it: kindred_core::assets).
    let slot = kindred_core::assets::LOADER_FIRST_PAINT_SLOT;
    assert_eq!(text.matches(slot).count(), 1, "the first-paint slot");
    assert!(!text.replace(slot, "").contains("__KINDRED_"), "placeholders left in the loader");
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
    for name in ["split_form.wasm", "split_referral.wasm", "split_community.wasm", "split_offer.wasm", "split_data.wasm"] {
        assert!(chunks.contains(&name), "{name} not in the chunk loader: {chunks:?}");
    }
    for c in chunks {
        assert_immutable_wasm(&format!("/assets/{dir}/{c}"));
    }
}

#[test]
fn a_missing_asset_is_a_json_404() {
    // A build neither deployed nor archived, a name no build has.
    get("/assets/000000000000/kindred_bg.wasm").assert_error(404, "not_found");
    get("/assets/000000000000/i18n/en.json").assert_error(404, "not_found");
    get("/assets/not-a-build/kindred.js").assert_error(404, "not_found");
    get("/assets/000000000000/..%2F..%2Fphotos%2Fx.js").assert_error(404, "not_found");
    get("/assets/000000000000/a/b/c.js").assert_error(404, "route_not_found");
}

/// The build's manifest (`kindred_core::assets::Manifest`), checked fresh
/// on every read.
fn manifest() -> (String, Vec<String>) {
    let r = get("/kindred-build.json");
    assert_eq!(r.status, 200);
    assert!(r.header("cache-control").unwrap_or_default().contains("no-cache"), "{:?}", r.header("cache-control"));
    let v: serde_json::Value = serde_json::from_slice(&r.body).expect("manifest JSON");
    let files = v["files"].as_array().expect("files").iter().map(|f| f.as_str().expect("a name").to_owned()).collect();
    (v["build"].as_str().expect("build").to_owned(), files)
}

#[test]
fn the_cron_job_archives_the_deployed_build_byte_for_byte_so_pages_loaded_before_the_next_deploy_keep_their_live_widget() {
    let dir = asset_dir(&get("/embed.js").text());
    let (build, files) = manifest();
    assert_eq!(build, dir, "the manifest names the build the loader refers to");
    for f in ["kindred.js", "kindred_bg.wasm", "__wasm_split.js", "part_form.wasm", "split_form.wasm", "i18n/en.json", "i18n/ar.json"] {
        assert!(files.iter().any(|x| x == f), "{f} not in the manifest: {files:?}");
    }
    assert!(get("/__scheduled?cron=*+*+*+*+*").status < 400);
    // The marker is written once every file is (store/archive.rs); a few of
    // each kind, and the last, are compared byte for byte (each read is a
    // wrangler run of about two seconds).
    assert!(kindred_tests::r2_get(&format!("kindred-assets/assets/{dir}/.archived")).is_some(), "the build's marker");
    let last = files.last().cloned().unwrap_or_default();
    for f in ["kindred.js", "kindred_bg.wasm", "__wasm_split.js", "part_form.wasm", "i18n/ar.json", last.as_str()] {
        let served = get(&format!("/assets/{dir}/{f}"));
        assert_eq!(served.status, 200, "{f}");
        let kept = kindred_tests::r2_get(&format!("kindred-assets/assets/{dir}/{f}")).unwrap_or_else(|| panic!("{f} was not archived"));
        assert!(kept == served.body, "{f}: the archived copy differs from the served file");
    }
}

#[test]
fn files_of_an_earlier_build_are_answered_from_the_archive_with_the_static_assets_headers() {
    // A build the static assets no longer hold, as a deploy leaves it.
    let old = "0123456789ab";
    let files: [(&str, &str, &[u8]); 4] = [
        ("kindred.js", "text/javascript", b"export function mount() {}\n"),
        ("kindred_bg.wasm", "application/wasm", b"\0asm\x01\0\0\0"),
        ("part_form.wasm", "application/wasm", b"\0asm\x01\0\0\0\0\x04\x01x"),
        ("i18n/ar.json", "application/json", "{\"widget-title\":\"آراء العملاء\"}".as_bytes()),
    ];
    for (path, kind, body) in files {
        kindred_tests::r2_put(&format!("kindred-assets/assets/{old}/{path}"), body, kind);
    }
    for (path, kind, body) in files {
        let r = get(&format!("/assets/{old}/{path}"));
        assert_eq!(r.status, 200, "{path}");
        assert!(r.header("content-type").unwrap_or_default().starts_with(kind), "{path}: {:?}", r.header("content-type"));
        assert_eq!(r.header("cache-control"), Some("public, max-age=31536000, immutable"), "{path}");
        assert_eq!(r.header("access-control-allow-origin"), Some("*"), "{path}");
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"), "{path}");
        assert_eq!(r.body, body, "{path}");
    }
    // What that build did not have, and its marker, are not served.
    get(&format!("/assets/{old}/chunk_99.wasm")).assert_error(404, "not_found");
    get(&format!("/assets/{old}/.archived")).assert_error(404, "not_found");
    get(&format!("/assets/{old}/i18n/xx.json")).assert_error(404, "not_found");
}
