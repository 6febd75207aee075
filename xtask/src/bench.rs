//! `cargo xtask bench`: the project's instruments. Sizes of what a shopper
//! downloads, the widget's speed in headless Chromium (beside a peer, Isso,
//! loaded in the same browser in the same run), the edge's throughput
//! and latency (each as a ratio to a constant route measured in the same
//! run, against the worker itself and through the wrangler dev proxy), and
//! integrity under concurrent writes. Writes BENCHMARKS.md and benchmarks.json.
//! Nothing here fails on a timing: numbers are reported, targets compared.

use crate::edge::Edge;
use crate::tools;
use crate::util::{err, free_ports, note, output, root, run, target_dir, tools_dir, Result, Step};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::io::Write;
use std::time::Instant;

pub const TWIGGY_VERSION: &str = "0.8.0";

fn gzip(bytes: &[u8]) -> usize {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let _ = e.write_all(bytes);
    e.finish().map(|v| v.len()).unwrap_or(0)
}

fn brotli(bytes: &[u8]) -> usize {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 11, ..Default::default() };
    let mut input = bytes;
    match brotli::BrotliCompress(&mut input, &mut out, &params) {
        Ok(_) => out.len(),
        Err(_) => 0,
    }
}

fn sizes(name: &str, bytes: &[u8]) -> Value {
    json!({ "file": name, "raw": bytes.len(), "gzip": gzip(bytes), "brotli": brotli(bytes) })
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

fn spread(v: &[f64]) -> (f64, f64) {
    let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (lo, hi)
}

fn ensure_twiggy() -> Result<PathBuf> {
    tools::ensure_cargo_tool("twiggy", "twiggy", TWIGGY_VERSION, &["--locked"], "about 1 min")?;
    Ok(tools_dir().join("cargo").join("bin").join("twiggy"))
}

fn ensure_wrk() -> Result<PathBuf> {
    let p = PathBuf::from("/usr/bin/wrk");
    if p.exists() {
        return Ok(p);
    }
    let step = Step::start("Installing Debian's wrk (HTTP load generator)");
    let is_root = output(Command::new("id").arg("-u")).map(|s| s.trim() == "0").unwrap_or(false);
    let mut c = if is_root { Command::new("apt-get") } else { let mut c = Command::new("sudo"); c.arg("apt-get"); c };
    run(c.args(["install", "-y", "-qq", "wrk"]).env("DEBIAN_FRONTEND", "noninteractive"))?;
    step.done();
    Ok(p)
}

/// `twiggy top --format json` of the main module (before wasm-opt, with
/// its names section) summed by crate: `[{crate, bytes}]`, largest first,
/// the names section itself left out (wasm-opt drops it). An item's crate
/// is the first path segment in its name (`<alloc::vec::Vec<T> as
/// core::clone::Clone>::clone` is `alloc`, `<T as tachys::view::Render>`
/// is `tachys`; rustc's `[hash]` disambiguators skipped); data segments,
/// imports and the function table are `(data)`, `(imports)` and `(other)`.
/// A generic function counts where it is defined (Leptos' view types are
/// `tachys` even where our components instantiate them).
pub(crate) fn wasm_by_crate(twiggy_json: &str) -> Value {
    let items: Vec<Value> = serde_json::from_str(twiggy_json).unwrap_or_default();
    let mut by: std::collections::BTreeMap<String, u64> = std::collections::BTreeMap::new();
    for item in &items {
        let name = item["name"].as_str().unwrap_or("");
        let bytes = item["shallow_size"].as_u64().unwrap_or(0);
        if name.contains("\"function names\"") {
            continue;
        }
        let krate = if name.starts_with("data segment") || name.starts_with("data[") {
            "(data)".to_owned()
        } else if name.starts_with("import ") {
            "(imports)".to_owned()
        } else {
            crate_of(name).unwrap_or("(other)").to_owned()
        };
        *by.entry(krate).or_default() += bytes;
    }
    let mut rows: Vec<(String, u64)> = by.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Value::Array(rows.into_iter().map(|(k, b)| json!({ "crate": k, "bytes": b })).collect())
}

/// The first identifier in `name` followed by `::` (after an optional
/// `[hash]` disambiguator).
fn crate_of(name: &str) -> Option<&str> {
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let bytes = name.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !(bytes[i].is_ascii_alphabetic() || bytes[i] == b'_') || (i > 0 && ident(bytes[i - 1])) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && ident(bytes[i]) {
            i += 1;
        }
        let mut rest = name.get(i..)?;
        if rest.starts_with('[') {
            rest = rest.find(']').and_then(|k| rest.get(k + 1..))?;
        }
        if rest.starts_with("::") {
            return name.get(start..i);
        }
    }
    None
}

#[cfg(test)]
mod by_crate_tests {
    #[test]
    fn items_count_for_the_crate_that_defines_them() {
        let items = serde_json::json!([
            { "name": "\"function names\" subsection", "shallow_size": 500 },
            { "name": "<dlmalloc[e2c8aa1b]::dlmalloc::Dlmalloc<A>>::malloc::h1", "shallow_size": 7 },
            { "name": "<T as tachys::view::any_view::IntoAny>::into_any::h2", "shallow_size": 5 },
            { "name": "<(A,B,C) as tachys::html::attribute::Attribute>::build::h3", "shallow_size": 4 },
            { "name": "<&T as core::fmt::Debug>::fmt::h4", "shallow_size": 3 },
            { "name": "reactive_graph::owner::arena::Arena::try_with::h5", "shallow_size": 9 },
            { "name": "data segment \".rodata\"", "shallow_size": 2 },
            { "name": "import ./kindred_bg.js::__wbg_x", "shallow_size": 1 },
            { "name": "elem[0]", "shallow_size": 6 },
        ]);
        let rows = super::wasm_by_crate(&items.to_string());
        let got: Vec<(String, u64)> = rows.as_array().unwrap().iter().map(|r| (r["crate"].as_str().unwrap().to_owned(), r["bytes"].as_u64().unwrap())).collect();
        let want = [("reactive_graph", 9), ("tachys", 9), ("dlmalloc", 7), ("(other)", 6), ("core", 3), ("(data)", 2), ("(imports)", 1)];
        let want: Vec<(String, u64)> = want.iter().map(|(k, b)| ((*k).to_owned(), *b)).collect();
        assert_eq!(got, want);
    }
}

/// The worker's own port behind the wrangler dev proxy: a loopback port held
/// by a process of the edge's group that answers `/healthz` as our worker.
pub(crate) fn direct_port(edge: &Edge) -> Option<u16> {
    let ss = output(Command::new("ss").args(["-ltnpH"]))?;
    let pids = edge.pids();
    let mut ports: Vec<u16> = ss
        .lines()
        .filter(|l| pids.iter().any(|p| l.contains(&format!("pid={p},"))))
        .filter_map(|l| l.split_whitespace().nth(3)?.rsplit_once(':')?.1.parse().ok())
        .filter(|p| *p != edge.port)
        .collect();
    ports.sort_unstable();
    ports.dedup();
    ports.into_iter().find(|p| {
        crate::util::http_get(*p, "/healthz").is_some_and(|(s, b)| s == 200 && b.contains("kindred-edge"))
    })
}

/// One wrk run: requests/s, p50 and p99 latency (ms), non-2xx count.
fn wrk(wrk: &Path, url: &str, script: Option<&Path>, seconds: u32) -> Result<Value> {
    let mut c = Command::new(wrk);
    c.args(["-t2", "-c16", &format!("-d{seconds}s"), "--latency", "--timeout", "5s"]);
    if let Some(s) = script {
        c.arg("-s").arg(s);
    }
    c.arg(url);
    let out = c.output().map_err(|e| crate::Error(format!("wrk: {e}")))?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let find = |prefix: &str| text.lines().find_map(|l| l.trim().strip_prefix(prefix).map(|r| r.trim().to_owned()));
    let rps: f64 = find("Requests/sec:").and_then(|v| v.parse().ok()).unwrap_or(0.0);
    let ms = |v: Option<String>| {
        v.and_then(|s| {
            let s = s.trim();
            let (num, unit) = s.split_at(s.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(s.len()));
            let n: f64 = num.parse().ok()?;
            Some(match unit {
                "us" => n / 1000.0,
                "s" => n * 1000.0,
                _ => n,
            })
        })
    };
    let non2xx: u64 = find("Non-2xx or 3xx responses:").and_then(|v| v.parse().ok()).unwrap_or(0);
    let errors = find("Socket errors:").unwrap_or_default();
    Ok(json!({ "rps": rps, "p50_ms": ms(find("50%")), "p99_ms": ms(find("99%")), "non_2xx": non2xx, "socket_errors": errors }))
}

fn lua(dir: &Path, name: &str, body: &str) -> Result<PathBuf> {
    let p = dir.join(name);
    std::fs::write(&p, body)?;
    Ok(p)
}

/// Sends `n` testimonial submissions from 16 threads; returns (201s, 5xx, other).
fn concurrent_submissions(port: u16, brand: &str, n: usize) -> (usize, usize, usize) {
    let next = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counts = std::sync::Arc::new(std::sync::Mutex::new((0usize, 0usize, 0usize)));
    let threads: Vec<_> = (0..16)
        .map(|_| {
            let (next, counts, brand) = (next.clone(), counts.clone(), brand.to_owned());
            std::thread::spawn(move || loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                if i >= n {
                    return;
                }
                let body = format!(
                    r#"{{"display_name":"Load {i}","email":"load{i}@example.com","rating":4,"body":"Integrity check submission {i}."}}"#
                );
                // Each from its own address: this measures integrity, not the per-client limits.
                let ip = bench_address(i);
                let status = crate::util::http_with(port, "POST", &format!("/v1/brands/{brand}/testimonials"), Some(&body), &[("CF-Connecting-IP", &ip)])
                    .map(|(s, _)| s)
                    .unwrap_or(0);
                if let Ok(mut c) = counts.lock() {
                    match status {
                        201 => c.0 += 1,
                        500..=599 => c.1 += 1,
                        _ => c.2 += 1,
                    }
                }
            })
        })
        .collect();
    for t in threads {
        let _ = t.join();
    }
    counts.lock().map(|c| *c).unwrap_or((0, 0, n))
}

/// A documentation-range address (RFC 5737) for bench client `i`.
fn bench_address(i: usize) -> String {
    format!("198.51.{}.{}", 100 + (i / 250) % 100, 1 + i % 250)
}

/// One shopper's testimonial submissions, timed: (status, ms) each.
fn submissions(port: u16, brand: &str, ip: &str, member: &str, n: usize) -> Vec<(u16, f64)> {
    (0..n)
        .map(|i| {
            let body = format!(r#"{{"display_name":"Shopper {i}","email":"s{i}@example.com","rating":5,"body":"Fairness check submission {i}."}}"#);
            let started = std::time::Instant::now();
            let status = crate::util::http_with(port, "POST", &format!("/v1/brands/{brand}/testimonials"), Some(&body), &[("CF-Connecting-IP", ip), ("X-Kindred-Member", member)])
                .map_or(0, |(s, _)| s);
            (status, started.elapsed().as_secs_f64() * 1000.0)
        })
        .collect()
}

/// Eight shoppers, each from its own address and within its limit, submit
/// at once; with `abuser`, one more client sends ten times its limit at the
/// same time. Returns the shoppers' success rate and p50/p99 latency (ms),
/// and the abuser's accepted and refused counts.
fn fairness_round(port: u16, brand: &str, per_client: usize, abuser: bool) -> Value {
    let shoppers: Vec<_> = (0..8)
        .map(|k| {
            let brand = brand.to_owned();
            let ip = bench_address(1000 + k + if abuser { 100 } else { 0 });
            std::thread::spawn(move || submissions(port, &brand, &ip, &format!("fair-shopper-{k:012}-{abuser}"), per_client * 3 / 4))
        })
        .collect();
    let flood = abuser.then(|| {
        let brand = brand.to_owned();
        std::thread::spawn(move || submissions(port, &brand, "203.0.113.66", "abusive-client-000000", per_client * 10))
    });
    let results: Vec<(u16, f64)> = shoppers.into_iter().flat_map(|t| t.join().unwrap_or_default()).collect();
    let ok = results.iter().filter(|(s, _)| *s == 201).count();
    let mut ms: Vec<f64> = results.iter().map(|(_, t)| *t).collect();
    ms.sort_by(f64::total_cmp);
    let pct = |p: f64| ms.get(((ms.len() as f64 - 1.0) * p).round() as usize).copied().unwrap_or(0.0);
    let mut out = json!({
        "requests": results.len(),
        "success_rate": if results.is_empty() { 0.0 } else { ok as f64 / results.len() as f64 },
        "p50_ms": pct(0.5),
        "p99_ms": pct(0.99),
    });
    if let Some(f) = flood {
        let f = f.join().unwrap_or_default();
        out["abuser"] = json!({
            "sent": f.len(),
            "accepted": f.iter().filter(|(s, _)| *s == 201).count(),
            "refused_429": f.iter().filter(|(s, _)| *s == 429).count(),
        });
    }
    out
}

fn request(port: u16, method: &str, path: &str, body: Option<&str>, auth: &str) -> Option<(u16, String)> {
    crate::util::http(port, method, path, body, Some(auth))
}

/// Counts a brand's testimonials in `status` through the admin API.
fn count_testimonials(port: u16, brand: &str, key: &str, status: &str) -> usize {
    let mut total = 0;
    let mut cursor = String::new();
    loop {
        let path = format!("/v1/admin/brands/{brand}/testimonials?status={status}&limit=50&cursor={cursor}");
        let Some((200, body)) = request(port, "GET", &path, None, key) else {
            return total;
        };
        let v: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
        total += v["testimonials"].as_array().map_or(0, Vec::len);
        match v["next_cursor"].as_str() {
            Some(c) => cursor = c.to_owned(),
            None => return total,
        }
    }
}

/// What a wasm-split output file holds, from its name.
fn chunk_role(name: &str) -> &'static str {
    match name {
        "split_form.wasm" => "review form",
        "split_referral.wasm" => "referral panel",
        "split_community.wasm" => "community",
        "split_offer.wasm" => "friend's offer, for referred visitors",
        "split_data.wasm" => "your data (read, download, erase)",
        _ => "code shared by several of them",
    }
}

/// `cargo xtask bench --report`: BENCHMARKS.md again from benchmarks.json
/// (after a change to the report, without measuring again).
pub fn report_only() -> Result<()> {
    let text = std::fs::read_to_string(root().join("benchmarks.json"))?;
    let results: Value = serde_json::from_str(&text).map_err(|e| crate::Error(format!("benchmarks.json: {e}")))?;
    std::fs::write(root().join("BENCHMARKS.md"), crate::bench_report::markdown(&results))?;
    Ok(())
}

/// `cargo xtask bench --scale`: only the rows-read-at-scale stage; its
/// results replace `scale` in benchmarks.json, and BENCHMARKS.md is rewritten.
pub fn bench_scale_only(quick: bool) -> Result<()> {
    let started = Instant::now();
    let tools = tools::setup(false)?;
    crate::build::widget(&tools)?;
    crate::build::edge(&tools)?;
    let path = root().join("benchmarks.json");
    let mut results: Value = std::fs::read_to_string(&path).ok().and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_else(|| json!({}));
    results["scale"] = crate::bench_scale::run(&tools, quick)?;
    let json_text = serde_json::to_string_pretty(&results).map_err(|e| crate::Error(e.to_string()))?;
    std::fs::write(&path, json_text)?;
    std::fs::write(root().join("BENCHMARKS.md"), crate::bench_report::markdown(&results))?;
    println!("\nWrote the scale section of BENCHMARKS.md and benchmarks.json ({}).", crate::util::human(started.elapsed().as_secs()));
    Ok(())
}

pub fn bench(quick: bool) -> Result<()> {
    let started = Instant::now();
    let tools = tools::setup(true)?;
    let twiggy = ensure_twiggy()?;
    let wrk_bin = ensure_wrk()?;
    let files = crate::build::widget(&tools)?;
    crate::build::edge(&tools)?;
    let seconds = if quick { 3 } else { 8 };
    let runs = if quick { 5 } else { 15 };
    let mut results = json!({});

    // 1. What a shopper downloads.
    let step = Step::start("Widget transfer sizes (raw, gzip, brotli)");
    let read = |p: &Path| std::fs::read(p).unwrap_or_default();
    let css = crate::build::minified_css(&tools, "widget.css")?;
    let live_css = crate::build::minified_css(&tools, "live.css")?;
    let entries = vec![
        sizes("embed.js (loader, CSS inlined)", &read(&files.loader)),
        sizes("JS glue", &read(&files.glue)),
        sizes("wasm (main module)", &read(&files.wasm)),
        // The glue imports it, and the loader fetches it alongside.
        sizes("chunk loader (JS, imported by the glue)", &read(&files.chunk_loader)),
        sizes("CSS (inside embed.js)", css.as_bytes()),
        sizes("CSS of the live widget (inside the JS glue)", live_css.as_bytes()),
    ];
    let total = |k: &str| entries[..4].iter().map(|e| e[k].as_u64().unwrap_or(0)).sum::<u64>();
    // Fetched only when a shopper opens the form, the referral panel or the
    // community (or returns as a referrer or group member, or arrives
    // through a referral link): not part of a plain first visit.
    let mut on_demand = Vec::new();
    for c in &files.chunks {
        let name = crate::build::file_name(c);
        on_demand.push(sizes(&format!("{name} ({})", chunk_role(&name)), &read(c)));
    }
    // The messages come with the live widget (English too: the loader
    // carries only its own few words); a page in English fetches this one.
    let all_catalogues = crate::build::catalogues()?;
    if let Some((_, en)) = all_catalogues.iter().find(|(l, _)| l == "en") {
        on_demand.push(sizes("i18n/en.json (messages, with the live widget)", en.as_bytes()));
    }
    let od_total = |k: &str| on_demand.iter().map(|e| e[k].as_u64().unwrap_or(0)).sum::<u64>();
    // The same files per part in one download: what the loader asks for
    // when a shopper reaches for the part's opener.
    let packs: Vec<Value> = files
        .packs
        .iter()
        .map(|p| {
            let name = crate::build::file_name(p);
            let role = chunk_role(&name.replacen("part_", "split_", 1));
            sizes(&format!("{name} ({role}: its module and shared chunks)"), &read(p))
        })
        .collect();
    results["transfer"] = json!({
        "files": entries, "total_raw": total("raw"), "total_gzip": total("gzip"), "total_brotli": total("brotli"),
        "on_demand": on_demand, "on_demand_brotli": od_total("brotli"), "on_demand_raw": od_total("raw"),
        "packs": packs,
    });
    // The message catalogues, each fetched with the live widget by pages in
    // its language.
    let catalogues: Vec<Value> = all_catalogues.iter().map(|(l, j)| sizes(&format!("messages ({l})"), j.as_bytes())).collect();
    results["catalogues"] = json!(catalogues);
    let edge_wasm = read(&root().join("edge").join("build").join("index_bg.wasm"));
    results["edge_bundle"] = sizes("edge worker wasm", &edge_wasm);
    let cards_wasm = read(&root().join("cards").join("build").join("index_bg.wasm"));
    results["cards_bundle"] = sizes("card renderer wasm", &cards_wasm);
    step.done();

    let step = Step::start("What takes the widget's wasm bytes (twiggy top, by crate)");
    let items = output(Command::new(&twiggy).args(["top", "-n", "1000000", "--format", "json"]).arg(&files.named_wasm)).unwrap_or_default();
    results["wasm_by_crate"] = wasm_by_crate(&items);
    step.done();

    // 2. A live edge and site, fresh state.
    let dir = target_dir().join("kindred-bench");
    let _ = std::fs::remove_dir_all(&dir);
    let state = dir.join("state");
    let [site_port, edge_port, inspector_port, isso_port] = free_ports::<4>()?;
    let site = format!("http://127.0.0.1:{site_port}");
    let secrets = crate::tasks::prepare_state(&tools, &state, std::slice::from_ref(&site))?;
    let edge = Edge::start(&tools, edge_port, inspector_port, &state, &secrets.operator_key, &dir.join("edge.log"))?;
    // The peer, Isso, on its own port (cross-origin, as the edge is), holding
    // the texts our widget shows on the bench page. Without it (no Python
    // 3.11, PyPI out of reach) the bench goes on and the report says why.
    let step = Step::start(format!("Peer: Isso {} on :{isso_port}, seeded with {} comments", crate::isso::ISSO, crate::isso::COMMENTS));
    let isso = crate::isso::start_isso(isso_port, &dir.join("isso"), &site);
    if let Err(e) = &isso {
        note(format!("the peer is left out of this run: {e}"));
    }
    step.done();
    let mounts = vec![
        ("/", root().join("demo-site")),
        ("/__test/", root().join("tests").join("browser").join("pages")),
        ("/__isso/", root().join("tests").join("bench").join("isso")),
        ("/__bench/", root().join("tests").join("bench").join("pages")),
    ];
    let mut subst = vec![("{{EDGE}}".to_owned(), edge.url())];
    if let Ok(i) = &isso {
        subst.push(("{{ISSO}}".to_owned(), i.url()));
    }
    crate::site::serve_with(site_port, mounts, subst)?;
    let direct = direct_port(&edge);
    note(format!("edge proxy :{} , worker direct :{}", edge.port, direct.map_or("not found".into(), |p| p.to_string())));
    // What the loader fetches for its first paint (the bench page's request,
    // English), sized as the loader is: with embed.js, all a first visit
    // needs before the first testimonial is painted.
    results["transfer"]["first_paint"] = first_paint_sizes(edge.port, &results["transfer"]);

    // 3. Widget speed in Chromium.
    let step = Step::start(format!(
        "Widget speed in headless Chromium ({runs} cold runs with and without the widget{})",
        if isso.is_ok() { ", and of the peer's page, interleaved" } else { "" }
    ));
    let mut speed_cmd = tools.command(&tools.node);
    speed_cmd
        .arg(root().join("tests").join("bench").join("widget-speed.mjs"))
        .args([site.as_str(), "/products/trail-runner-2.html", &runs.to_string()])
        .env("KINDRED_ONE_REQUEST", "1");
    if isso.is_ok() {
        speed_cmd.args([crate::isso::PAGE, &crate::isso::COMMENTS.to_string()]);
    }
    let out = speed_cmd
        .current_dir(root().join("tests"))
        .env("CHROMIUM", tools.chromium.clone().unwrap_or_default())
        .output()?;
    let speed: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        note(format!("widget speed run failed: {e}: {}", String::from_utf8_lossy(&out.stderr)));
        Value::Null
    });
    results["widget_speed"] = summarize_speed(&speed);
    results["peer"] = match &isso {
        Ok(_) => summarize_peer(&speed, &results),
        Err(e) => json!({ "name": "Isso", "version": crate::isso::ISSO, "error": e.to_string() }),
    };
    drop(isso);
    step.done();

    // 3b. Lighthouse, mobile simulation: the product page with and without
    // the widget (its photo the largest element, as on a shop's product
    // page), with the widget served from the shop's own origin (through the
    // site, as through a brand's proxy), and with a script that does nothing
    // from another origin in place of the tag (the floor: what any
    // third-party tag adds); then the same page without its photo (the
    // widget's cards the largest element). A failure is noted and the bench
    // goes on.
    let lh_runs = if quick { 1 } else { 3 };
    let step = Step::start(format!("Lighthouse, mobile simulation ({lh_runs} runs with and without the widget, interleaved, on two pages)"));
    results["lighthouse"] = lighthouse(&tools, &format!("{site}/products/trail-runner-2.html"), lh_runs, &["first-party", "one-request", "floor"]);
    results["lighthouse_text"] = lighthouse(&tools, &format!("{site}/__bench/product-text.html"), lh_runs, &[]);
    step.done();

    // 3c. Layout shift on the host-page matrix.
    let step = Step::start("CLS on the host-page matrix (3 viewports per page)");
    let out = tools
        .command(&tools.node)
        .arg(root().join("tests").join("bench").join("cls-matrix.mjs"))
        .current_dir(root().join("tests"))
        .env("KINDRED_EDGE_URL", edge.url())
        .env("KINDRED_SITE_URL", &site)
        .env("CHROMIUM", tools.chromium.clone().unwrap_or_default())
        .output()?;
    results["cls_matrix"] = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        note(format!("CLS matrix run failed: {e}: {}", String::from_utf8_lossy(&out.stderr)));
        Value::Null
    });
    step.done();

    // 3d. Share cards: each of the demo's consented testimonials drawn by
    // the renderer (a cold cache), then again from the data centre's cache.
    let step = Step::start("Share cards: drawn by the renderer, then from the cache");
    let consented = ["t-acme-01", "t-acme-02", "t-acme-04", "t-acme-06", "t-acme-08", "t-acme-09"];
    let timed = |path: &str| {
        let t = std::time::Instant::now();
        crate::util::http_get(edge.port, path).filter(|(status, _)| *status == 200).map(|_| t.elapsed().as_secs_f64() * 1000.0)
    };
    let mut drawn: Vec<f64> = consented.iter().filter_map(|id| timed(&format!("/t/acme/{id}/card.png"))).collect();
    let mut cached: Vec<f64> = consented.iter().filter_map(|id| timed(&format!("/t/acme/{id}/card.png"))).collect();
    results["share_card"] = json!({ "cards": consented.len(), "drawn_ok": drawn.len(), "cached_ok": cached.len(), "drawn_ms": median(&mut drawn), "cached_ms": median(&mut cached) });
    step.done();

    // 4. Throughput and latency.
    let step = Step::start(format!("Edge throughput (wrk, 2 threads, 16 connections, {seconds} s per route)"));
    let op = &secrets.operator_key;
    let brand = "bench-load";
    let created = request(edge.port, "POST", "/v1/admin/brands", Some(&format!(r#"{{"id":"{brand}","name":"Bench","allowed_origins":[]}}"#)), op);
    let key = created
        .and_then(|(_, b)| serde_json::from_str::<Value>(&b).ok())
        .and_then(|v| v["admin_key"].as_str().map(str::to_owned))
        .ok_or_else(|| crate::Error("could not create the bench brand".into()))?;
    let limits = r#"{"rate_limits":{"per_client":100000,"per_brand":1000000}}"#;
    let _ = request(edge.port, "PATCH", &format!("/v1/admin/brands/{brand}"), Some(limits), &key);
    // Each write from its own address (CF-Connecting-IP): the throughput of
    // storing testimonials, not of the per-client burst guard refusing them.
    let post_lua = lua(&dir, "post.lua", &format!(
        "wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\nlocal n = 0\nrequest = function()\n  n = n + 1\n  wrk.headers[\"CF-Connecting-IP\"] = string.format(\"198.51.%d.%d\", 100 + math.floor(n / 250) % 100, 1 + n % 250)\n  local body = string.format('{{\"display_name\":\"Bench %d\",\"email\":\"b%d@example.com\",\"rating\":5,\"body\":\"Benchmark testimonial %d.\"}}', n, n, n)\n  return wrk.format(nil, \"/v1/brands/{brand}/testimonials\", nil, body)\nend\n"
    ))?;
    let cold_lua = lua(&dir, "cold.lua", "math.randomseed(os.time())\nrequest = function()\n  return wrk.format(\"GET\", \"/v1/widget/acme?locale=en&product=cold-\" .. math.random(1, 1000000000))\nend\n")?;
    let mut targets = vec![("proxy", edge.port)];
    if let Some(p) = direct {
        targets.insert(0, ("direct", p));
    }
    let mut throughput = json!({});
    for (target, port) in targets {
        let base = format!("http://127.0.0.1:{port}");
        // Warm the routes (first requests compile code paths, fill KV).
        for _ in 0..20 {
            let _ = crate::util::http_get(port, "/v1/widget/acme?product=trail-runner-2&locale=en&lang=en");
            let _ = crate::util::http_get(port, "/v1/widget/acme?product=trail-runner-2&locale=en&lang=en&context=ultra");
            let _ = crate::util::http_get(port, "/r/ANA2TREK");
        }
        let baseline = wrk(&wrk_bin, &format!("{base}/healthz"), None, seconds)?;
        let base_rps = baseline["rps"].as_f64().unwrap_or(0.0);
        let mut routes = vec![json!({ "route": "GET /healthz (constant baseline)", "ratio": 1.0, "m": baseline })];
        for (name, url, script) in [
            // As the loader asks: data and the first view's markup (English),
            // with the shopper's language (every demo review is English:
            // the plain order).
            ("GET /v1/widget (first paint with markup, warm: isolate copy, else KV)", format!("{base}/v1/widget/acme?product=trail-runner-2&locale=en&lang=en"), None),
            // A page that names a tag (`data-context-tags`): the order for
            // it, its own copy (kindred_core::context).
            ("GET /v1/widget (first paint ordered for the page's tag, warm: isolate copy, else KV)", format!("{base}/v1/widget/acme?product=trail-runner-2&locale=en&lang=en&context=ultra"), None),
            ("GET /v1/widget (first paint, cold KV: D1)", format!("{base}/"), Some(cold_lua.as_path())),
            ("POST testimonial (D1 write)", format!("{base}/"), Some(post_lua.as_path())),
            ("GET /r/{code} (referral redirect: landing read from D1; click queued)", format!("{base}/r/ANA2TREK"), None),
        ] {
            let m = wrk(&wrk_bin, &url, script, seconds)?;
            let ratio = if base_rps > 0.0 { m["rps"].as_f64().unwrap_or(0.0) / base_rps } else { 0.0 };
            routes.push(json!({ "route": name, "ratio": ratio, "m": m }));
        }
        throughput[target] = json!(routes);
        note(format!("{target}: done"));
    }
    results["throughput"] = throughput;
    step.done();

    // 5. Integrity under load.
    let step = Step::start("Integrity: concurrent submissions");
    let n = if quick { 100 } else { 300 };
    let integrity_brand = "bench-integrity";
    let created = request(edge.port, "POST", "/v1/admin/brands", Some(&format!(r#"{{"id":"{integrity_brand}","name":"Integrity","allowed_origins":[]}}"#)), op);
    let ikey = created
        .and_then(|(_, b)| serde_json::from_str::<Value>(&b).ok())
        .and_then(|v| v["admin_key"].as_str().map(str::to_owned))
        .ok_or_else(|| crate::Error("could not create the integrity brand".into()))?;
    let _ = request(edge.port, "PATCH", &format!("/v1/admin/brands/{integrity_brand}"), Some(limits), &ikey);
    let (created_ok, server_errors, other) = concurrent_submissions(direct.unwrap_or(edge.port), integrity_brand, n);
    let stored = count_testimonials(edge.port, integrity_brand, &ikey, "pending");
    results["integrity"] = json!({ "sent": n, "created": created_ok, "server_errors": server_errors, "other": other, "stored_rows": stored });
    note(format!("sent {n}, 201 {created_ok}, 5xx {server_errors}, other {other}, rows {stored}"));
    step.done();

    // 6. One client can never hurt another: eight shoppers within their
    // limits, alone and then beside one client sending ten times its limit.
    let step = Step::start("Fairness: one abusive client at ten times its limit");
    let fair_brand = "bench-fairness";
    let per_client = 20;
    let created = request(edge.port, "POST", "/v1/admin/brands", Some(&format!(r#"{{"id":"{fair_brand}","name":"Fairness","allowed_origins":[]}}"#)), op);
    let fkey = created
        .and_then(|(_, b)| serde_json::from_str::<Value>(&b).ok())
        .and_then(|v| v["admin_key"].as_str().map(str::to_owned))
        .ok_or_else(|| crate::Error("could not create the fairness brand".into()))?;
    let fair_limits = format!(r#"{{"rate_limits":{{"per_client":{per_client},"per_brand":100}}}}"#);
    let _ = request(edge.port, "PATCH", &format!("/v1/admin/brands/{fair_brand}"), Some(&fair_limits), &fkey);
    let fport = direct.unwrap_or(edge.port);
    let alone = fairness_round(fport, fair_brand, per_client, false);
    let beside = fairness_round(fport, fair_brand, per_client, true);
    let p99_ratio = match (beside["p99_ms"].as_f64(), alone["p99_ms"].as_f64()) {
        (Some(b), Some(a)) if a > 0.0 => b / a,
        _ => 0.0,
    };
    note(format!(
        "shoppers alone: {:.0}% ok, p99 {:.1} ms; beside the abuser: {:.0}% ok, p99 {:.1} ms (x{p99_ratio:.2}); abuser {}",
        alone["success_rate"].as_f64().unwrap_or(0.0) * 100.0,
        alone["p99_ms"].as_f64().unwrap_or(0.0),
        beside["success_rate"].as_f64().unwrap_or(0.0) * 100.0,
        beside["p99_ms"].as_f64().unwrap_or(0.0),
        beside["abuser"]
    ));
    results["fairness"] = json!({ "per_client_limit": per_client, "brand_ceiling": 100, "alone": alone, "beside_abuser": beside, "p99_ratio": p99_ratio });
    step.done();
    drop(edge);

    // 7. Rows read at scale, on its own edge and state.
    results["scale"] = crate::bench_scale::run(&tools, quick)?;

    results["meta"] = meta(started.elapsed().as_secs(), quick);
    let json_text = serde_json::to_string_pretty(&results).map_err(|e| crate::Error(e.to_string()))?;
    std::fs::write(root().join("benchmarks.json"), json_text)?;
    std::fs::write(root().join("BENCHMARKS.md"), crate::bench_report::markdown(&results))?;
    println!("\nWrote BENCHMARKS.md and benchmarks.json ({}).", crate::util::human(started.elapsed().as_secs()));
    if results["fairness"]["beside_abuser"]["success_rate"] != json!(1.0) {
        return err("fairness check failed: a shopper within its limit was refused beside an abusive client (see BENCHMARKS.md)");
    }
    if results["integrity"]["stored_rows"] != json!(n) || server_errors > 0 {
        return err("integrity check failed: see BENCHMARKS.md");
    }
    Ok(())
}

/// The first-paint response the bench page's loader fetches, sized (its body
/// as the worker sends it, before any compression on the way), and with the
/// loader's sizes from `transfer`: what a first visit needs before the first
/// paint. `Null` if the edge did not answer it.
fn first_paint_sizes(port: u16, transfer: &Value) -> Value {
    let path = format!("/v1/widget/acme?product={}&locale=en", crate::isso::PRODUCT);
    let Some((200, head, body)) = crate::util::http_full(port, "GET", &path, None, &[]) else {
        note(format!("GET {path} did not answer 200: the first paint's bytes are the loader's only"));
        return Value::Null;
    };
    let chunked = head.lines().any(|l| {
        l.split_once(':').is_some_and(|(k, v)| k.trim().eq_ignore_ascii_case("transfer-encoding") && v.to_ascii_lowercase().contains("chunked"))
    });
    let body = if chunked { dechunk(body.as_bytes()) } else { body.into_bytes() };
    let response = sizes(&format!("first-paint response (GET {path})"), &body);
    let loader = transfer["files"].get(0).cloned().unwrap_or(Value::Null);
    let sum = |k: &str| match (loader[k].as_u64(), response[k].as_u64()) {
        (Some(a), Some(b)) => json!(a + b),
        _ => Value::Null,
    };
    json!({ "path": path, "response": response, "total_raw": sum("raw"), "total_gzip": sum("gzip"), "total_brotli": sum("brotli") })
}

/// The payload of a chunked HTTP/1.1 body (bytes: a chunk may end inside a
/// character).
fn dechunk(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(eol) = rest.windows(2).position(|w| w == b"\r\n") {
        let size = String::from_utf8_lossy(&rest[..eol]);
        let Ok(n) = usize::from_str_radix(size.split(';').next().unwrap_or("").trim(), 16) else { break };
        let Some(chunk) = rest.get(eol + 2..eol + 2 + n).filter(|_| n > 0) else { break };
        out.extend_from_slice(chunk);
        rest = &rest[eol + 2 + n..];
        rest = rest.strip_prefix(b"\r\n").unwrap_or(rest);
    }
    out
}

/// `tests/bench/lighthouse.mjs` against `url`, `runs` times with the widget
/// and `runs` times without it, and `runs` times each of `variants`
/// (`first-party`: the widget from the site's own origin; `floor`: a script
/// that does nothing from another origin in place of the tag); its JSON, or
/// `{ "error": ... }`.
fn lighthouse(tools: &tools::Tools, url: &str, runs: u32, variants: &[&str]) -> Value {
    let started = Instant::now();
    let out = tools
        .command("timeout")
        .args(["--kill-after=10", &format!("{}", 120 + 45 * (2 + variants.len() as u32) * runs)])
        .arg(&tools.node)
        .arg(root().join("tests").join("bench").join("lighthouse.mjs"))
        .args([url, &runs.to_string()])
        .args((!variants.is_empty()).then(|| variants.join(",")))
        .current_dir(root().join("tests"))
        .env("CHROMIUM", tools.chromium.clone().unwrap_or_default())
        .output();
    let failed = |why: String| {
        note(format!("Lighthouse left out of this run: {why}"));
        json!({ "error": why })
    };
    match out {
        Err(e) => failed(format!("could not start node: {e}")),
        Ok(o) => match serde_json::from_slice::<Value>(&o.stdout) {
            Ok(v) if o.status.success() && v.is_object() => {
                let m = &v["median"];
                let f = |x: &Value| x.as_f64().map_or("-".to_owned(), |n| format!("{n:.0}"));
                note(format!(
                    "{:.0} s; medians with / without: FCP {} / {} ms, LCP {} / {} ms, TBT {} / {} ms, score {} / {}{}",
                    started.elapsed().as_secs_f64(),
                    f(&m["with_widget"]["fcp"]),
                    f(&m["without_widget"]["fcp"]),
                    f(&m["with_widget"]["lcp"]),
                    f(&m["without_widget"]["lcp"]),
                    f(&m["with_widget"]["tbt"]),
                    f(&m["without_widget"]["tbt"]),
                    f(&m["with_widget"]["score"]),
                    f(&m["without_widget"]["score"]),
                    if variants.is_empty() { String::new() } else { format!("; LCP served from the site's own origin {} ms, a script that does nothing from another origin {} ms", f(&m["first_party"]["lcp"]), f(&m["floor_script"]["lcp"])) }
                ));
                v
            }
            _ => {
                let err = String::from_utf8_lossy(&o.stderr);
                let tail: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
                let tail = tail[tail.len().saturating_sub(3)..].join(" / ");
                failed(format!("lighthouse.mjs exited with {} after {:.0} s: {}", o.status, started.elapsed().as_secs_f64(), tail.chars().take(400).collect::<String>()))
            }
        },
    }
}

fn summarize_speed(speed: &Value) -> Value {
    let runs = |k: &str| speed[k].as_array().cloned().unwrap_or_default();
    let with = runs("with_widget");
    let without = runs("without_widget");
    let clicks = runs("click_to_form");
    let one = runs("one_request");
    let series = |rows: &[Value], f: &dyn Fn(&Value) -> Option<f64>| -> Value {
        let mut v: Vec<f64> = rows.iter().filter_map(f).collect();
        let (lo, hi) = spread(&v);
        json!({ "median": median(&mut v), "min": lo, "max": hi, "n": v.len() })
    };
    let mark = |k: &'static str| move |r: &Value| r[k].as_f64();
    let longest = |r: &Value| r["longtasks"].as_array().map(|a| a.iter().filter_map(Value::as_f64).fold(0.0, f64::max));
    let over50 = |r: &Value| r["longtasks"].as_array().map(|a| a.iter().filter_map(Value::as_f64).filter(|d| *d > 50.0).count() as f64);
    // Each long task of the runs with the widget, and what was going on.
    let mut attributed = Vec::new();
    for r in &with {
        let at = |k: &str| r[k].as_f64().unwrap_or(f64::INFINITY);
        let starts = r["longtaskStarts"].as_array().cloned().unwrap_or_default();
        for (d, s) in r["longtasks"].as_array().into_iter().flatten().zip(starts) {
            let (Some(d), Some(s)) = (d.as_f64(), s.as_f64()) else { continue };
            let phase = if s < at("loaderStart") {
                "before the loader ran (host page)"
            } else if s < at("painted") {
                "loader and first paint"
            } else if s < at("wasmReady") {
                "wasm instantiation"
            } else if s <= at("interactive") {
                "live widget's mount"
            } else {
                "after the widget was live"
            };
            attributed.push(json!({ "ms": d.round(), "phase": phase }));
        }
    }
    json!({
        "runs": with.len(),
        "long_tasks_with": attributed,
        "loader_start_ms": series(&with, &mark("loaderStart")),
        "data_ready_ms": series(&with, &mark("dataReady")),
        "wasm_ready_ms": series(&with, &mark("wasmReady")),
        "first_testimonial_ms": series(&with, &mark("painted")),
        "interactive_ms": series(&with, &mark("interactive")),
        "cls_with": series(&with, &mark("cls")),
        "cls_without": series(&without, &mark("cls")),
        "longest_task_with_ms": series(&with, &longest),
        "longest_task_without_ms": series(&without, &longest),
        "long_tasks_over_50ms_with": series(&with, &over50),
        "long_tasks_over_50ms_without": series(&without, &over50),
        "transfer_bytes": series(&with, &mark("transfer")),
        // Requests started before `kindred:painted`: bytes received (headers
        // and body, gzip over plain http as served here), count, and how
        // many of them were wasm (target: none).
        "bytes_before_paint": series(&with, &mark("bytesBeforePaint")),
        "requests_before_paint": series(&with, &mark("requestsBeforePaint")),
        "wasm_before_paint": series(&with, &mark("wasmBeforePaint")),
        // A click on "Write a review" on the first paint, to the form on
        // screen (main wasm, glue and the form's chunk included).
        "click_to_form_ms": series(&clicks, &mark("clickToForm")),
        "click_runs": clicks.len(),
        "click_wasm_asked_before": clicks.iter().filter(|r| r["wasmAskedBeforeClick"].as_bool() == Some(true)).count(),
        "click_live_before": clicks.iter().filter(|r| r["liveBeforeClick"].as_bool() == Some(true)).count(),
        // The same page with the tag that brings the first paint with the
        // loader (`GET /v1/embed/{brand}`, README "Embed it").
        "one_request": {
            "runs": one.len(),
            "loader_start_ms": series(&one, &mark("loaderStart")),
            "first_testimonial_ms": series(&one, &mark("painted")),
            "interactive_ms": series(&one, &mark("interactive")),
            "bytes_before_paint": series(&one, &mark("bytesBeforePaint")),
            "requests_before_paint": series(&one, &mark("requestsBeforePaint")),
            "wasm_before_paint": series(&one, &mark("wasmBeforePaint")),
            "cls": series(&one, &mark("cls")),
        },
    })
}

/// Median, min, max and count of `v`.
fn stats(mut v: Vec<f64>) -> Value {
    let (lo, hi) = spread(&v);
    json!({ "median": median(&mut v), "min": lo, "max": hi, "n": v.len() })
}

/// The peer (Isso) beside our widget, from the same Chromium run: its times
/// to the first comment, to as many comments as our first page has cards,
/// and to all of its comments; its code's size; bytes from its origin; host
/// page impact; and the ratios ours / Isso. `results` holds our
/// `widget_speed` and `transfer` already.
fn summarize_peer(speed: &Value, results: &Value) -> Value {
    let rows = speed["isso"].as_array().cloned().unwrap_or_default();
    let with = speed["with_widget"].as_array().cloned().unwrap_or_default();
    let col = |rows: &[Value], f: &dyn Fn(&Value) -> Option<f64>| stats(rows.iter().filter_map(f).collect());
    let key = |k: &'static str| move |r: &Value| r[k].as_f64();
    let our_cards = crate::seed::first_page(crate::isso::PRODUCT).len();
    let nth = |r: &Value| r["seen"].get(our_cards.checked_sub(1)?)?.as_f64();
    let longest = |r: &Value| r["longtasks"].as_array().map(|a| a.iter().filter_map(Value::as_f64).fold(0.0, f64::max));
    let over50 = |r: &Value| r["longtasks"].as_array().map(|a| a.iter().filter_map(Value::as_f64).filter(|d| *d > 50.0).count() as f64);
    let visible_min = rows.iter().filter_map(|r| r["visible"].as_u64()).min();
    let file = |rel: &str, label: &str| -> Value {
        crate::isso::package_file(rel).ok().and_then(|p| std::fs::read(p).ok()).map_or(Value::Null, |b| sizes(label, &b))
    };
    let js = file("js/embed.min.js", "Isso js/embed.min.js");
    let css = file("css/isso.css", "Isso css/isso.css (the embed adds it)");
    let code_brotli = js["brotli"].as_u64().unwrap_or(0) + css["brotli"].as_u64().unwrap_or(0);
    let first = col(&rows, &key("firstComment"));
    let same = col(&rows, &nth);
    let all = col(&rows, &key("allComments"));
    let ws = &results["widget_speed"];
    let our_first = ws["first_testimonial_ms"]["median"].as_f64().unwrap_or(f64::NAN);
    let our_first_one = ws["one_request"]["first_testimonial_ms"]["median"].as_f64().unwrap_or(f64::NAN);
    // The loader paints every card of the first page at once (one
    // replaceChild, then `kindred:painted` once the next frame has laid
    // them out): there is no separate "all cards" mark, and
    // `kindred:painted` is that moment.
    let our_all = our_first;
    let our_code = results["transfer"]["total_brotli"].as_u64().unwrap_or(0);
    let our_net = col(&with, &key("networkBytes"));
    let ratio = |ours: f64, theirs: &Value| {
        let t = theirs.as_f64().unwrap_or(f64::NAN);
        if t > 0.0 { ours / t } else { f64::NAN }
    };
    let isso_net = col(&rows, &key("transfer"));
    json!({
        "name": "Isso",
        "version": crate::isso::ISSO,
        "runs": rows.len(),
        "comments": crate::isso::COMMENTS,
        "our_cards": our_cards,
        "comments_visible_min": visible_min,
        "first_comment_ms": first,
        "same_count_ms": same,
        "all_comments_ms": all,
        "cls": col(&rows, &key("cls")),
        "longest_task_ms": col(&rows, &longest),
        "long_tasks_over_50ms": col(&rows, &over50),
        "network_bytes": isso_net,
        "network_js_bytes": col(&rows, &key("transferJs")),
        "network_css_bytes": col(&rows, &key("transferCss")),
        "network_api_bytes": col(&rows, &key("transferApi")),
        "code": { "js": js, "css": css, "total_brotli": code_brotli },
        "ours": {
            "first_testimonial_ms": our_first,
            "first_testimonial_one_request_ms": our_first_one,
            "all_cards_ms": our_all,
            "network_bytes": our_net,
            "code_brotli": our_code,
        },
        "ratios": {
            "first_visible": ratio(our_first, &first["median"]),
            "first_visible_one_request": ratio(our_first_one, &first["median"]),
            "all_first_page_visible_one_request": ratio(our_first_one, &all["median"]),
            "all_first_page_visible": ratio(our_all, &all["median"]),
            "same_count_visible": ratio(our_all, &same["median"]),
            "code_brotli": ratio(our_code as f64, &json!(code_brotli)),
            "network_bytes": ratio(our_net["median"].as_f64().unwrap_or(f64::NAN), &isso_net["median"]),
        },
    })
}

pub(crate) fn meta(seconds: u64, quick: bool) -> Value {
    let cmd = |c: &mut Command| output(c).map(|s| s.trim().to_owned()).unwrap_or_default();
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("model name")).and_then(|l| l.split_once(':')).map(|(_, v)| v.trim().to_owned()))
        .unwrap_or_default();
    json!({
        "date": cmd(Command::new("date").args(["-u", "+%Y-%m-%d %H:%M UTC"])),
        "commit": cmd(Command::new("git").args(["rev-parse", "--short", "HEAD"]).current_dir(root())),
        "cpu": cpu,
        "cores": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
        "rustc": cmd(Command::new("rustc").arg("--version")),
        "quick": quick,
        "seconds": seconds,
    })
}

#[cfg(test)]
mod tests {
    use super::dechunk;

    #[test]
    fn dechunk_joins_the_chunks() {
        assert_eq!(dechunk(b"5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n"), b"hello, world");
        // A chunk may end inside a character; a short body stops cleanly.
        assert_eq!(dechunk(b"1\r\n\xc3\r\n1\r\n\xa9\r\n0\r\n\r\n"), "é".as_bytes());
        assert_eq!(dechunk(b"ff\r\nshort"), b"");
    }
}
