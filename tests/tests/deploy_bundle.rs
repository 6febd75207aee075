#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `wrangler deploy --dry-run` builds the deployable bundle offline: what a
//! developer runs before `wrangler deploy`.

use std::process::Command;

/// `wrangler deploy --dry-run` of the Worker in `dir` (edge or cards):
/// wrangler's report and the bundle's wasm.
fn dry_run(dir: &str) -> (String, Vec<u8>) {
    let node = kindred_tests::env("KINDRED_NODE");
    let wrangler = kindred_tests::env("KINDRED_WRANGLER");
    let out_dir = std::env::temp_dir().join(format!("kindred-dry-run-{dir}-{}", std::process::id()));
    let worker_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(dir);
    let node_dir = std::path::Path::new(&node).parent().expect("node's folder").to_path_buf();
    let path = std::env::join_paths(
        std::iter::once(node_dir).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
    )
    .expect("PATH");
    let out = Command::new(&node)
        .arg(&wrangler)
        .args(["deploy", "--dry-run", "--outdir"])
        .arg(&out_dir)
        .current_dir(&worker_dir)
        .env("PATH", path)
        .env("CLOUDFLARE_CF_FETCH_ENABLED", "false")
        .env("WRANGLER_SEND_METRICS", "false")
        .env("WRANGLER_HIDE_BANNER", "true")
        .output()
        .expect("run wrangler");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "wrangler deploy --dry-run failed:\n{stdout}\n{stderr}");
    let files: Vec<String> = std::fs::read_dir(&out_dir)
        .expect("outdir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(files.iter().any(|f| f == "index.js"), "no index.js in {files:?}");
    let wasm = files.iter().find(|f| f.ends_with(".wasm")).unwrap_or_else(|| panic!("no wasm in {files:?}"));
    let bytes = std::fs::read(out_dir.join(wasm)).expect("read wasm");
    assert_eq!(&bytes[..4], b"\0asm");
    let _ = std::fs::remove_dir_all(&out_dir);
    (stdout.into_owned(), bytes)
}

#[test]
fn wrangler_dry_run_bundles_the_worker_and_its_bindings() {
    let (report, _) = dry_run("edge");
    for binding in ["env.DB", "env.KV", "env.ASSETS", "env.CARDS"] {
        assert!(report.contains(binding), "dry run does not list {binding}:\n{report}");
    }
}

/// The share-card renderer bundles on its own, with no bindings, within
/// the Workers Free plan's 3 MB (gzip) size limit
/// (<https://developers.cloudflare.com/workers/platform/limits/#worker-size>).
#[test]
fn wrangler_dry_run_bundles_the_card_renderer_within_the_free_plan_limit() {
    let (report, wasm) = dry_run("cards");
    assert!(!report.contains("env.DB") && !report.contains("env.KV"), "the renderer has no bindings:\n{report}");
    let mut gz = Vec::new();
    {
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(&mut gz, flate2::Compression::best());
        enc.write_all(&wasm).unwrap();
        enc.finish().unwrap();
    }
    assert!(gz.len() < 3 * 1000 * 1000, "card renderer {} B gzip", gz.len());
}
