#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `wrangler deploy --dry-run` builds the deployable bundle offline: what a
//! developer runs before `wrangler deploy`.

use std::process::Command;

#[test]
fn wrangler_dry_run_bundles_the_worker_and_its_bindings() {
    let node = kindred_tests::env("KINDRED_NODE");
    let wrangler = kindred_tests::env("KINDRED_WRANGLER");
    let out_dir = std::env::temp_dir().join(format!("kindred-dry-run-{}", std::process::id()));
    let edge_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../edge");
    let node_dir = std::path::Path::new(&node).parent().expect("node's folder").to_path_buf();
    let path = std::env::join_paths(
        std::iter::once(node_dir).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
    )
    .expect("PATH");
    let out = Command::new(&node)
        .arg(&wrangler)
        .args(["deploy", "--dry-run", "--outdir"])
        .arg(&out_dir)
        .current_dir(&edge_dir)
        .env("PATH", path)
        .env("CLOUDFLARE_CF_FETCH_ENABLED", "false")
        .env("WRANGLER_SEND_METRICS", "false")
        .env("WRANGLER_HIDE_BANNER", "true")
        .output()
        .expect("run wrangler");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "wrangler deploy --dry-run failed:\n{stdout}\n{stderr}");
    for binding in ["env.DB", "env.KV", "env.ASSETS"] {
        assert!(stdout.contains(binding), "dry run does not list {binding}:\n{stdout}");
    }
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
}
