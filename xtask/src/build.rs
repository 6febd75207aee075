//! Builds: the widget (cargo -> wasm-split -> wasm-bindgen -> wasm-opt -Oz ->
//! content-hashed files in edge/public/assets, plus embed.js) and the edge
//! (worker-build).

use crate::tools::Tools;
use crate::util::{err, note, root, run, target_dir, Result, Step};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Features the wasm that wasm-bindgen 0.2.130 emits may use; wasm-opt must
/// accept them (the same set worker-build passes).
const WASM_FEATURES: &[&str] = &[
    "--enable-mutable-globals",
    "--enable-sign-ext",
    "--enable-nontrapping-float-to-int",
    "--enable-bulk-memory",
    "--enable-multivalue",
    "--enable-reference-types",
    "--enable-exception-handling",
];

/// Caching rules for Workers static assets (wrangler dev applies them too).
const HEADERS_FILE: &str = "\
/embed.js
  Cache-Control: public, max-age=300
  Access-Control-Allow-Origin: *
  X-Content-Type-Options: nosniff
/assets/*
  Cache-Control: public, max-age=31536000, immutable
  Access-Control-Allow-Origin: *
  X-Content-Type-Options: nosniff
/frame.js
  Cache-Control: public, max-age=300
  X-Content-Type-Options: nosniff
/kindred-build.json
  Cache-Control: no-cache
/openapi.json
  Cache-Control: public, max-age=300
  Access-Control-Allow-Origin: *
  X-Content-Type-Options: nosniff
/i18n/*
  Cache-Control: public, max-age=300
  X-Content-Type-Options: nosniff
/console/*
  Cache-Control: no-cache
  Content-Security-Policy: default-src 'self'; img-src 'self' data: blob:; frame-ancestors 'none'
  X-Frame-Options: DENY
  X-Content-Type-Options: nosniff
  Referrer-Policy: no-referrer
";

pub fn short_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().take(6).map(|b| format!("{b:02x}")).collect()
}

pub fn all(tools: &Tools) -> Result<()> {
    widget(tools)?;
    edge(tools)
}

/// What the widget build produced, for reports and benchmarks.
#[derive(Debug, Clone)]
pub struct WidgetFiles {
    pub loader: PathBuf,
    /// wasm-bindgen's JS for the main module.
    pub glue: PathBuf,
    /// The main module: everything the first paint needs.
    pub wasm: PathBuf,
    /// wasm-split's loader for the chunks (small JS).
    pub chunk_loader: PathBuf,
    /// Chunks fetched only when a shopper opens the form, the referral
    /// panel or the community.
    pub chunks: Vec<PathBuf>,
    /// The main module before wasm-opt, with its function names (for twiggy).
    pub named_wasm: PathBuf,
    /// Each part's files in one download (`part_<part>.wasm`, see `pack`).
    pub packs: Vec<PathBuf>,
}

pub fn public_dir() -> PathBuf {
    root().join("edge").join("public")
}

/// cargo (with the `split` feature) -> wasm-split (main module + chunks) ->
/// wasm-bindgen on the main module -> wasm-opt -Oz on every part.
pub fn widget(tools: &Tools) -> Result<WidgetFiles> {
    let step = Step::start("Building the widget (release wasm, wasm-split, wasm-bindgen, wasm-opt -Oz)");
    let mut cargo = tools.command("cargo");
    cargo
        .args(["build", "--release", "--target", "wasm32-unknown-unknown", "-p", "kindred-widget", "--features", "split"])
        .current_dir(root());
    run(&mut cargo)?;

    let raw = target_dir().join("wasm32-unknown-unknown").join("release").join("kindred_widget.wasm");
    let out = out_dir();
    let stage = out.join("split");
    let opt = out.join("opt");
    // Named after this file's own text: a change to the passes (the chunk
    // loader's patches below) must not be skipped as "unchanged".
    let stamp = out.join(format!("opt-{}.stamp", short_hash(include_str!("build.rs").as_bytes())));
    // Cargo rewrites the wasm only when it recompiled: otherwise the split,
    // wasm-bindgen and wasm-opt passes have nothing new to do.
    if newer(&stamp, std::slice::from_ref(&raw)) && opt.join("kindred.js").exists() {
        note("widget wasm unchanged; wasm-split, wasm-bindgen and wasm-opt skipped");
    } else {
        for d in [&stage, &opt] {
            if d.exists() {
                std::fs::remove_dir_all(d)?;
            }
            std::fs::create_dir_all(d)?;
        }
        run(tools.command(&tools.wasm_split).arg(&raw).arg(&stage).args(["--out-name", "kindred"]))?;
        // The main module's lld exports stay: the chunks import them.
        run(tools
            .command(&tools.wasm_bindgen)
            .arg(stage.join("kindred.wasm"))
            .args(["--target", "web", "--out-name", "kindred", "--no-typescript", "--keep-lld-exports", "--out-dir"])
            .arg(&stage))?;
        for entry in std::fs::read_dir(&stage)? {
            let path = entry?.path();
            let name = file_name(&path);
            if name == "kindred.wasm" {
                continue; // wasm-split's main output, consumed by wasm-bindgen
            }
            if name.ends_with(".wasm") {
                // The main module is on every first visit: optimise it until
                // wasm-opt finds nothing more (about 1% smaller than one pass).
                let passes: &[&str] = if name == "kindred_bg.wasm" { &["-Oz", "--converge"] } else { &["-Oz"] };
                run(tools.command(&tools.wasm_opt).arg(&path).args(passes).args(WASM_FEATURES).arg("-o").arg(opt.join(&name)))?;
            } else if name.ends_with(".js") {
                if name == "__wasm_split.js" {
                    // A chunk that fails to load is reported the way the rest
                    // of the widget reports trouble: one `[kindred]` warning,
                    // not an error in the host page's console (the widget
                    // shows it too).
                    let js = std::fs::read_to_string(&path)?;
                    let quiet = js.replace("console.error(e);", "console.warn(\"[kindred] could not load part of the widget:\", e);");
                    if quiet == js {
                        return err("wasm-split's chunk loader changed: no console.error(e) to turn into a warning");
                    }
                    std::fs::write(&path, takes_ahead(&quiet)?)?;
                }
                minify(tools, &path, &opt.join(&name), &["--format=esm"])?;
            }
        }
        // One stamp: an older build.rs's must not vouch for these files.
        for entry in std::fs::read_dir(&out)? {
            let name = file_name(&entry?.path());
            if name.starts_with("opt") && name.ends_with(".stamp") {
                std::fs::remove_file(out.join(name))?;
            }
        }
        std::fs::write(&stamp, b"")?;
    }

    let files = write_public(tools, &opt, stage.join("kindred_bg.wasm"))?;
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    note(format!(
        "embed.js {} B, glue {} B, main wasm {} B (before wasm-opt {} B); {} chunks loaded on demand, {} B",
        size(&files.loader),
        size(&files.glue),
        size(&files.wasm),
        size(&files.named_wasm),
        files.chunks.len(),
        files.chunks.iter().map(|c| size(c)).sum::<u64>()
    ));
    step.done();
    Ok(files)
}

fn out_dir() -> PathBuf {
    target_dir().join("kindred").join("widget")
}

/// esbuild (pinned with wrangler) minifies a JS file: comments and
/// whitespace go, names shorten; the code is the same.
fn minify(tools: &Tools, src: &Path, dst: &Path, args: &[&str]) -> Result<()> {
    let mut out = std::ffi::OsString::from("--outfile=");
    out.push(dst);
    run(tools.command(&tools.esbuild).arg(src).args(["--minify", "--log-level=error"]).arg(out).args(args))
}

/// terser (pinned in edge/package.json) minifies the loader: its output
/// is about 260 bytes smaller gzipped than esbuild's (14,172 against
/// 14,427 B when it came), and the loader must fit in TCP's first window with the room a
/// change needs (tests/browser/first-paint.test.mjs). Safe transforms
/// only (no `unsafe` options), ES2019 (`catch {}` without a binding is the
/// newest syntax it writes), the licence comment kept.
fn minify_loader(tools: &Tools, src: &Path, dst: &Path) -> Result<()> {
    run(tools
        .command(&tools.terser)
        .arg(src)
        .args(["--ecma", "2019", "--compress", "passes=2", "--mangle", "--comments", "/^!/", "--output"])
        .arg(dst))
}

pub fn file_name(p: &Path) -> String {
    p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Writes the widget's files into edge/public/assets/<hash>/ (one content
/// hash over all of them: the chunk loader and the glue import each other
/// by relative name), embed.js pointing there, and _headers.
fn write_public(tools: &Tools, built: &Path, named_wasm: PathBuf) -> Result<WidgetFiles> {
    let public = public_dir();
    let assets = public.join("assets");
    if assets.exists() {
        std::fs::remove_dir_all(&assets)?;
    }
    let mut names: Vec<String> = std::fs::read_dir(built)?.flatten().map(|e| file_name(&e.path())).collect();
    names.sort();
    let mut all = Vec::new();
    for n in &names {
        all.extend_from_slice(n.as_bytes());
        all.extend_from_slice(&std::fs::read(built.join(n))?);
    }
    // The live widget's CSS rides in its glue (see `LIVE_CSS_EXPORT`).
    let live_css = serde_json::to_string(&minified_css(tools, "live.css")?).map_err(|e| crate::Error(e.to_string()))?;
    all.extend_from_slice(live_css.as_bytes());
    let catalogues = catalogues()?;
    for (locale, json) in &catalogues {
        all.extend_from_slice(locale.as_bytes());
        all.extend_from_slice(json.as_bytes());
    }
    // The packs are made from the files above; their format's name is in
    // the hash, so a new format is a new (immutable) URL.
    all.extend_from_slice(PACK_FORMAT.as_bytes());
    // The loader and its CSS too: the build is what the edge names its
    // markup for (`markup_build`), and a loader takes markup of its own
    // build only; a loader cached from before a deploy that changed how
    // markup is read (its allowlist, its URLs) must see another build.
    let loader_dir = root().join("widget").join("loader");
    all.extend_from_slice(&std::fs::read(loader_dir.join("embed.js"))?);
    all.extend_from_slice(&std::fs::read(loader_dir.join("widget.css"))?);
    let hash = short_hash(&all);
    let dir = assets.join(&hash);
    std::fs::create_dir_all(dir.join("i18n"))?;
    for n in &names {
        std::fs::copy(built.join(n), dir.join(n))?;
    }
    {
        let glue = dir.join("kindred.js");
        let mut js = std::fs::read_to_string(&glue)?;
        js.push_str(&format!("\nexport const {LIVE_CSS_EXPORT}={live_css};\n"));
        std::fs::write(&glue, js)?;
    }
    for (locale, json) in &catalogues {
        std::fs::write(dir.join("i18n").join(format!("{locale}.json")), json)?;
    }
    // Each part's files in one download (see `pack`), beside the files.
    let parts = part_chunks(&std::fs::read_to_string(out_dir().join("split").join("__wasm_split.js"))?)?;
    let mut packs = Vec::new();
    for (part, chunks) in &parts {
        let mut files = vec![(format!("split_{part}.wasm"), std::fs::read(built.join(format!("split_{part}.wasm")))?)];
        for n in chunks {
            files.push((format!("chunk_{n}.wasm"), std::fs::read(built.join(format!("chunk_{n}.wasm")))?));
        }
        let path = dir.join(format!("part_{part}.wasm"));
        std::fs::write(&path, pack(&files))?;
        packs.push(path);
    }
    // The build's manifest: the Worker's cron job keeps these files in R2
    // for pages loaded before the next deploy (kindred_core::assets).
    {
        let mut files: Vec<String> = Vec::new();
        for e in std::fs::read_dir(&dir)?.flatten() {
            let name = file_name(&e.path());
            if e.path().is_dir() {
                for f in std::fs::read_dir(e.path())?.flatten() {
                    files.push(format!("{name}/{}", file_name(&f.path())));
                }
            } else {
                files.push(name);
            }
        }
        files.sort();
        let manifest = serde_json::json!({ "build": hash, "files": files });
        let ok: kindred_core::assets::Manifest = serde_json::from_value(manifest.clone()).map_err(|e| crate::Error(e.to_string()))?;
        if !ok.is_valid() {
            return err(format!("the build's file names do not fit kindred_core::assets (no archive for them): {:?}", ok.files));
        }
        std::fs::write(public.join(kindred_core::assets::MANIFEST_PATH.trim_start_matches('/')), manifest.to_string())?;
    }
    let en = catalogues.iter().find(|(l, _)| l == "en").map(|(_, j)| loader_messages(j)).transpose()?.unwrap_or_default();
    let others: serde_json::Map<String, serde_json::Value> = catalogues
        .iter()
        .filter(|(l, _)| l != "en")
        .map(|(l, _)| (l.clone(), kindred_core::i18n::direction(l).into()))
        .collect();

    let template = std::fs::read_to_string(loader_dir.join("embed.js"))?;
    if !template.contains(&format!("glue.{LIVE_CSS_EXPORT}")) {
        return err(format!("widget/loader/embed.js no longer adds the glue's {LIVE_CSS_EXPORT} (live.css) to the shadow root"));
    }
    let css_literal = serde_json::to_string(&minified_css(tools, "widget.css")?).map_err(|e| crate::Error(e.to_string()))?;
    let loader = template
        .replace("__KINDRED_GLUE__", &format!("{hash}/kindred.js"))
        .replace("__KINDRED_WASM__", &format!("{hash}/kindred_bg.wasm"))
        .replace("__KINDRED_SPLIT__", &format!("{hash}/__wasm_split.js"))
        .replace("__KINDRED_CSS__", &css_literal)
        .replace("__KINDRED_I18N__", &format!("{hash}/i18n/"))
        .replace("__KINDRED_LOCALES__", &serde_json::to_string(&others).map_err(|e| crate::Error(e.to_string()))?)
        .replace("__KINDRED_EN__", &en)
        .replace("__KINDRED_PARTS__", &serde_json::to_string(&parts).map_err(|e| crate::Error(e.to_string()))?)
        .replace("__KINDRED_IDS__", &id_rules().to_string());
    let full = out_dir().join("embed.full.js");
    std::fs::write(&full, loader)?;
    minify_loader(tools, &full, &public.join("embed.js"))?;
    // The edge writes the first paint into the loader there (`GET /v1/embed/{brand}`).
    let slot = kindred_core::assets::LOADER_FIRST_PAINT_SLOT;
    if std::fs::read_to_string(public.join("embed.js"))?.matches(slot).count() != 1 {
        return err(format!("the minified embed.js must hold {slot} exactly once (widget/loader/embed.js FIRST)"));
    }
    std::fs::write(public.join("_headers"), HEADERS_FILE)?;
    // The iframe fallback for hosts whose CSP blocks WebAssembly: the worker
    // serves the page itself (/frame/{brand}, with the brand's
    // frame-ancestors); only its script is a static asset.
    let _ = std::fs::remove_file(public.join("frame.html"));
    std::fs::copy(root().join("edge").join("frame").join("frame.js"), public.join("frame.js"))?;
    // The brand console: plain files, same origin as the admin API.
    let console = public.join("console");
    std::fs::create_dir_all(&console)?;
    for f in ["index.html", "console.js", "console.css"] {
        std::fs::copy(root().join("edge").join("console").join(f), console.join(f))?;
    }
    // The import's fields and each platform's usual columns, from core: the
    // console shows a file's columns by them, so they have one home.
    std::fs::write(console.join("import-columns.json"), import_columns().to_string())?;
    // Papa Parse (npm, pinned in edge/package.json) reads CSV files for
    // imports; the console is not shipped to shoppers, so its 19 KB are
    // the brand's only.
    {
        let modules = root().join("edge").join("node_modules");
        // Chart.js (npm, pinned) draws the analytics charts (208 KB, the
        // brand's console only).
        for (from, to) in [(modules.join("papaparse").join("papaparse.min.js"), "papaparse.min.js"), (modules.join("chart.js").join("dist").join("chart.umd.min.js"), "chart.umd.min.js")] {
            std::fs::copy(&from, console.join(to)).map_err(|e| crate::Error(format!("{}: {e} (npm ci in edge/)", from.display())))?;
        }
    }
    let chunks = names
        .iter()
        .filter(|n| n.ends_with(".wasm") && n.as_str() != "kindred_bg.wasm")
        .map(|n| dir.join(n))
        .collect();
    Ok(WidgetFiles {
        loader: public.join("embed.js"),
        glue: dir.join("kindred.js"),
        wasm: dir.join("kindred_bg.wasm"),
        chunk_loader: dir.join("__wasm_split.js"),
        chunks,
        named_wasm,
        packs,
    })
}

/// The widget's message catalogues, `(locale, JSON)` for every locale in
/// `kindred_core::i18n::LOCALES`, compiled from widget/i18n/<locale>.ftl
/// (en first: each translation is checked against it). The loader carries
/// en inline; the others are files fetched when a page needs them.
pub fn catalogues() -> Result<Vec<(String, String)>> {
    use kindred_core::i18n::{compile, LOCALES};
    let dir = root().join("widget").join("i18n");
    let read = |l: &str| std::fs::read_to_string(dir.join(format!("{l}.ftl"))).map_err(|e| crate::Error(format!("widget/i18n/{l}.ftl: {e}")));
    let en = compile("en", &read("en")?, None).map_err(crate::Error)?;
    let mut out = Vec::new();
    for l in LOCALES {
        let c = if *l == "en" { en.clone() } else { compile(l, &read(l)?, Some(&en)).map_err(crate::Error)? };
        out.push(((*l).to_owned(), c.json.to_string()));
    }
    Ok(out)
}

/// The messages the loader itself says (`msg(cat, "id")` in
/// widget/loader/embed.js): the first paint's "Helpful ✓" and the frame's
/// title. Only these ship inside embed.js, in English; every catalogue,
/// English too, is fetched with the wasm (`assets/<hash>/i18n/`), so a new
/// widget message costs the first paint nothing.
pub const LOADER_MESSAGES: &[&str] = &["helpful-done", "frame-title"];

/// The compiled English catalogue cut to [`LOADER_MESSAGES`].
fn loader_messages(en: &str) -> Result<String> {
    let mut cat: serde_json::Value = serde_json::from_str(en).map_err(|e| crate::Error(e.to_string()))?;
    let all = cat["messages"].as_object().cloned().unwrap_or_default();
    let mut kept = serde_json::Map::new();
    for id in LOADER_MESSAGES {
        let m = all.get(*id).ok_or_else(|| crate::Error(format!("the loader's message {id} is not in en.ftl")))?;
        kept.insert((*id).to_owned(), m.clone());
    }
    cat["messages"] = serde_json::Value::Object(kept);
    serde_json::to_string(&cat).map_err(|e| crate::Error(e.to_string()))
}

/// The name under which the wasm's glue (`assets/<hash>/kindred.js`)
/// exports the live widget's CSS (widget/loader/live.css, minified, a
/// string): what only the live widget renders is styled by it, so its
/// bytes come with the wasm, on demand, not in embed.js before the first
/// paint. embed.js adds it to each widget's shadow root before mounting.
pub const LIVE_CSS_EXPORT: &str = "__kindred_css";

/// The edge's id rules for the loader's `IDS`: `{"brand": [pattern, rule],
/// "product": [pattern, rule]}` (kindred_core::ids).
fn id_rules() -> serde_json::Value {
    use kindred_core::ids::{BrandId, ProductId};
    serde_json::json!({ "brand": [BrandId::pattern(), BrandId::RULE], "product": [ProductId::pattern(), ProductId::RULE] })
}

/// One of the widget's style sheets in widget/loader/ (`file`: widget.css,
/// the first paint's, inlined in embed.js; live.css, the live widget's,
/// in the glue) minified by esbuild (pinned with wrangler): comments and
/// whitespace go, the rules stay. Its target (Chrome and Edge 120,
/// Firefox 78, Safari 15.4) decides which vendor prefixes it adds and which
/// newer syntax it writes out longhand: the sheets keep to syntax those
/// browsers' elders read too (no `inset`, `:is()` only where dropping the
/// rule is harmless), and get no prefix today, as the target reads
/// `mask-image` unprefixed. Chromium before 120 and Safari before 15.4
/// show the first view's last card cut without its fade (the cards are
/// clipped under "Show all" either way); the 90 bytes of
/// `-webkit-mask-image` pay for the 44px touch targets in the loader's
/// first window (widget.css).
/// Errors: esbuild missing, or refusing or warning of anything in the file
/// (a warning is a rule a browser would drop).
pub fn minified_css(tools: &Tools, file: &str) -> Result<String> {
    let src = root().join("widget").join("loader").join(file);
    let out = tools
        .command(&tools.esbuild)
        .arg(&src)
        .args(["--minify", "--log-level=warning", "--target=chrome120,edge120,firefox78,safari15.4"])
        .output()?;
    let warned = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() || !warned.trim().is_empty() {
        return Err(crate::Error(format!("esbuild on {}: {warned}", src.display())));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim_end().to_owned())
}

/// Whether `output` exists and is newer than every file under `inputs`.
fn newer(output: &Path, inputs: &[PathBuf]) -> bool {
    fn latest(p: &Path) -> Option<std::time::SystemTime> {
        let meta = std::fs::metadata(p).ok()?;
        if meta.is_dir() {
            std::fs::read_dir(p).ok()?.flatten().filter_map(|e| latest(&e.path())).max()
        } else {
            meta.modified().ok()
        }
    }
    let Some(out) = std::fs::metadata(output).ok().and_then(|m| m.modified().ok()) else {
        return false;
    };
    inputs.iter().all(|i| latest(i).is_some_and(|t| t < out))
}

/// Builds both Workers: the edge and the share-card renderer it calls
/// through a service binding.
pub fn edge(tools: &Tools) -> Result<()> {
    openapi()?;
    edge_catalogues()?;
    // The edge renders the first paint with the widget's own components.
    worker(tools, "edge", &["edge/src", "edge/Cargo.toml", "widget/src", "widget/Cargo.toml"])?;
    worker(tools, "cards", &["cards/src", "cards/Cargo.toml", "cards/fonts"])
}

/// The API's OpenAPI document (`kindred_core::openapi::document_json`, from
/// core's route table and types) as a static asset of the edge,
/// `public/openapi.json` (`_headers`: public, five minutes, any origin),
/// which `GET /v1/openapi.json` serves through the `ASSETS` binding (a
/// route of the Worker's, so other methods there get its 405). Inside the
/// Worker it weighed 40 KB of its 1 MiB (gzip) limit.
fn openapi() -> Result<()> {
    let dir = public_dir();
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(kindred_core::assets::OPENAPI_PATH.trim_start_matches('/'));
    let doc = kindred_core::openapi::document_json();
    if std::fs::read_to_string(&path).ok().as_deref() != Some(doc.as_str()) {
        std::fs::write(&path, doc)?;
    }
    Ok(())
}

/// The edge's message catalogues as static assets
/// (`kindred_core::assets::catalogue_path`: `public/i18n/<locale>.json`),
/// each file rewritten only when its text changes. The Worker reads them
/// through its `ASSETS` binding, once per isolate, so a changed word costs
/// no Worker build and the catalogues none of its 1 MiB.
fn edge_catalogues() -> Result<()> {
    for (locale, json) in page_catalogues()? {
        let path = public_dir().join(kindred_core::assets::catalogue_path(&locale).trim_start_matches('/'));
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        if std::fs::read_to_string(&path).ok().as_deref() != Some(json.as_str()) {
            std::fs::write(&path, json)?;
        }
    }
    Ok(())
}

/// The catalogues the edge renders with, `(locale, JSON)` for every locale
/// in `kindred_core::i18n::LOCALES`: the widget's messages ([`catalogues`],
/// the first view is the widget's own components) and those of the pages
/// only the edge renders (`edge/i18n/<locale>.ftl`, "How reviews work",
/// each checked against its English as the widget's are), in one catalogue
/// per locale.
///
/// # Errors
/// A file missing or not compiling, or a message named in both sets.
pub fn page_catalogues() -> Result<Vec<(String, String)>> {
    use kindred_core::i18n::compile;
    let dir = root().join("edge").join("i18n");
    let read = |l: &str| std::fs::read_to_string(dir.join(format!("{l}.ftl"))).map_err(|e| crate::Error(format!("edge/i18n/{l}.ftl: {e}")));
    let en_pages = compile("en", &read("en")?, None).map_err(crate::Error)?;
    let mut out = Vec::new();
    for (l, widget) in catalogues()? {
        let pages = if l == "en" { en_pages.clone() } else { compile(&l, &read(&l)?, Some(&en_pages)).map_err(crate::Error)? };
        let mut c: serde_json::Value = serde_json::from_str(&widget).map_err(|e| crate::Error(e.to_string()))?;
        let (Some(messages), Some(extra)) = (c.get_mut("messages").and_then(|m| m.as_object_mut()), pages.json.get("messages").and_then(|m| m.as_object())) else {
            return err(format!("{l}: a compiled catalogue has no messages"));
        };
        for (k, v) in extra {
            if messages.insert(k.clone(), v.clone()).is_some() {
                return err(format!("{l}: message '{k}' is in both widget/i18n and edge/i18n"));
            }
        }
        out.push((l, c.to_string()));
    }
    Ok(out)
}

/// `worker-build --release` in `dir` (skipped when its output is newer than
/// `own` sources, core and the workspace's manifests), then the names
/// section stripped.
fn worker(tools: &Tools, dir: &str, own: &[&str]) -> Result<()> {
    let built = root().join(dir).join("build").join("index_bg.wasm");
    let sources: Vec<PathBuf> = own
        .iter()
        .chain(["core/src", "core/Cargo.toml", "Cargo.toml", "Cargo.lock", ".cargo/config.toml"].iter())
        .map(|p| root().join(p))
        .collect();
    if newer(&built, &sources) && root().join(dir).join("build").join("index.js").exists() {
        note(format!("{dir} worker unchanged since its last build; worker-build skipped"));
        return Ok(());
    }
    let step = Step::start(format!("Building the {dir} worker (worker-build --release)"));
    let mut cmd = tools.command(&tools.worker_build);
    cmd.arg("--release")
        .current_dir(root().join(dir))
        .env("WASM_BINDGEN_BIN", &tools.wasm_bindgen)
        .env("WASM_OPT_BIN", &tools.wasm_opt)
        .env("ESBUILD_BIN", &tools.esbuild);
    run(&mut cmd)?;
    let wasm = built;
    // worker-build's wasm-opt keeps the names section (`--debuginfo`), for
    // readable stack traces. In the edge it is 616 KB raw, 118 KB gzip: 11%
    // of the 1 MiB (gzip) Kindred holds its Worker to (BENCHMARKS.md; the
    // platform takes 3 MB on the Free plan and 10 MB on Paid, compressed:
    // https://developers.cloudflare.com/workers/platform/limits/#worker-size,
    // but every byte is compiled at each cold start, within its 1 s limit).
    // Errors carry codes and request paths do not panic, so the release
    // bundle drops it; KINDRED_EDGE_NAMES=1 keeps it for a debugging session.
    // Without the names, wasm-opt's `-O` run again finds about 4 KB gzip
    // more (with them it finds nothing: `-O -O` in worker-build, or `-Os`,
    // measured the same), the same speed-minded passes.
    if std::env::var_os("KINDRED_EDGE_NAMES").is_none() {
        run(tools.command(&tools.wasm_opt).arg(&wasm).args(["--strip-debug", "--strip-producers", "-O"]).args(WASM_FEATURES).arg("-o").arg(&wasm))?;
    }
    note(format!("{dir} wasm {} B", std::fs::metadata(&wasm).map(|m| m.len()).unwrap_or(0)));
    step.done();
    Ok(())
}

/// What wasm-split's loader fetches goes through `__kindred_take`: a
/// download embed.js started (and compiled) ahead of need for that URL
/// (its `fetchAhead`, handed over once by `__kindred_ahead(map)`) is used,
/// once; anything else, or a download that failed, is fetched as before.
/// Each URL is marked taken either way, so embed.js never asks again for a
/// chunk already loaded. `__kindred_instantiate` takes a compiled module or
/// a response. Errors if the loader no longer fetches and instantiates its
/// `.wasm` files the way this expects.
fn takes_ahead(js: &str) -> Result<String> {
    const FETCH: &str = "fetch(new URL(\"./";
    const INSTANTIATE: &str = "WebAssembly.instantiateStreaming(src, imports)";
    let fetches = js.matches(FETCH).count();
    if fetches == 0 || fetches != js.matches(".wasm\", import.meta.url)").count() || fetches != js.matches(INSTANTIATE).count() {
        return err("wasm-split's chunk loader changed: its .wasm files are not fetched as `fetch(new URL(\"./<file>.wasm\", import.meta.url))` and instantiated as `WebAssembly.instantiateStreaming(src, imports)`");
    }
    let mut out = js.replace(FETCH, "__kindred_take(new URL(\"./").replace(INSTANTIATE, "__kindred_instantiate(src, imports)");
    out.push_str(
        "\n// Kindred (xtask/src/build.rs): downloads embed.js started (and compiled) ahead of need.\n\
         let __kindred_got = Object.create(null);\n\
         export function __kindred_ahead(map) { __kindred_got = map; }\n\
         function __kindred_take(url) {\n    const got = __kindred_got[url.href];\n    __kindred_got[url.href] = null;\n    \
         const ready = (x) => x instanceof WebAssembly.Module || (x && x.ok);\n    \
         return got ? got.then((x) => (ready(x) ? x : fetch(url)), () => fetch(url)) : fetch(url);\n}\n\
         async function __kindred_instantiate(src, imports) {\n    const got = await src;\n    \
         if (got instanceof WebAssembly.Module) return { module: got, instance: await WebAssembly.instantiate(got, imports) };\n    \
         return WebAssembly.instantiateStreaming(got, imports);\n}\n",
    );
    Ok(out)
}

/// The packs' format (`pack`), for the assets' hash.
const PACK_FORMAT: &str = "kindred-pack-1: custom sections named after the files";

/// Files in one WebAssembly binary: the 8-byte header and, per file, a
/// custom section (id 0) named after it holding its bytes (WebAssembly
/// Core Specification 5.5.3, custom sections: a module of nothing else is
/// valid, and served as `application/wasm` it is compressed on the way like
/// any wasm file). embed.js's `unpack` reads it back. One request for a
/// part's 10 to 16 files: on `wrangler dev` each request costs the local
/// proxy about as much as a 10 KB download.
fn pack(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    fn leb(out: &mut Vec<u8>, mut n: usize) {
        loop {
            let byte = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                out.push(byte);
                return;
            }
            out.push(byte | 0x80);
        }
    }
    let mut out = b"\0asm\x01\0\0\0".to_vec();
    for (name, bytes) in files {
        let mut section = Vec::new();
        leb(&mut section, name.len());
        section.extend_from_slice(name.as_bytes());
        section.extend_from_slice(bytes);
        out.push(0);
        leb(&mut out, section.len());
        out.extend_from_slice(&section);
    }
    out
}

/// Each on-demand part's shared chunks, `{"form": [7, 8, ...], ...}`
/// (chunk `n` is `chunk_<n>.wasm`), read from wasm-split's loader:
/// `export const __wasm_split_load_<part> = ...makeLoad(..., [__chunk_7,
/// __chunk_8, ...])`, the chunks loaded before the part's own
/// `split_<part>.wasm`. Errors if a part or a chunk file is not found.
fn part_chunks(js: &str) -> Result<std::collections::BTreeMap<String, Vec<u32>>> {
    const LOAD: &str = "export const __wasm_split_load_";
    let mut parts = std::collections::BTreeMap::new();
    for (at, _) in js.match_indices(LOAD) {
        let rest = &js[at + LOAD.len()..];
        let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        let deps = rest.find(", [").and_then(|from| rest[from + 3..].find(']').map(|to| &rest[from + 3..from + 3 + to]));
        let (Some(deps), false) = (deps, name.is_empty()) else {
            return err("wasm-split's chunk loader changed: a part's chunk list is not `makeLoad(..., [__chunk_<n>, ...])`");
        };
        if !js.contains(&format!("\"./split_{name}.wasm\"")) {
            return err(format!("wasm-split's chunk loader changed: part {name} has no split_{name}.wasm"));
        }
        let mut chunks = Vec::new();
        for d in deps.split(',').map(str::trim).filter(|d| !d.is_empty()) {
            let n: u32 = d.strip_prefix("__chunk_").and_then(|n| n.parse().ok()).ok_or_else(|| crate::Error(format!("wasm-split's chunk loader changed: {d} in part {name}")))?;
            if !js.contains(&format!("\"./chunk_{n}.wasm\"")) {
                return err(format!("wasm-split's chunk loader changed: part {name} needs {d}, no chunk_{n}.wasm"));
            }
            chunks.push(n);
        }
        parts.insert(name, chunks);
    }
    if parts.is_empty() {
        return err("wasm-split's chunk loader changed: no `export const __wasm_split_load_<part>`");
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// wasm-split's loader as it writes it (two chunks, two parts).
    const SPLIT_JS: &str = r#"/* form, referral */
const __chunk_7 = makeLoad(() => {
    const src = fetch(new URL("./chunk_7.wasm", import.meta.url));
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}
, []);
/* referral */
const __chunk_12 = makeLoad(() => {
    const src = fetch(new URL("./chunk_12.wasm", import.meta.url));
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}
, []);
export const __wasm_split_load_referral = wrapAsyncCb(makeLoad(() => {
    const src = fetch(new URL("./split_referral.wasm", import.meta.url));
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}
, [__chunk_7, __chunk_12]));
export const __wasm_split_load_form = wrapAsyncCb(makeLoad(() => {
    const src = fetch(new URL("./split_form.wasm", import.meta.url));
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}
, [__chunk_7]));
"#;

    #[test]
    fn each_part_lists_the_chunks_its_loader_waits_for() {
        assert_eq!(serde_json::to_string(&part_chunks(SPLIT_JS).unwrap()).unwrap(), r#"{"form":[7],"referral":[7,12]}"#);
        // A chunk the loader names but never fetches, or no parts at all, is
        // a changed wasm-split: the build stops rather than guess.
        assert!(part_chunks(&SPLIT_JS.replace("\"./chunk_12.wasm\"", "\"./c12.wasm\"")).is_err());
        assert!(part_chunks("const x = 1;").is_err());
    }

    #[test]
    fn a_pack_is_a_wasm_binary_of_custom_sections_one_per_file() {
        let big = vec![7u8; 200];
        let packed = pack(&[("split_form.wasm".into(), b"\0asm-a".to_vec()), ("chunk_7.wasm".into(), big.clone())]);
        assert_eq!(&packed[..8], b"\0asm\x01\0\0\0");
        // Read back as embed.js's `unpack` does.
        let (mut at, mut files) = (8, Vec::new());
        let leb = |at: &mut usize| {
            let (mut n, mut shift) = (0usize, 0);
            loop {
                let b = packed[*at];
                *at += 1;
                n |= ((b & 0x7f) as usize) << shift;
                shift += 7;
                if b & 0x80 == 0 {
                    return n;
                }
            }
        };
        while at < packed.len() {
            assert_eq!(packed[at], 0, "custom sections only");
            at += 1;
            let end = leb(&mut at);
            let end = at + end;
            let len = leb(&mut at);
            let name = String::from_utf8(packed[at..at + len].to_vec()).unwrap();
            files.push((name, packed[at + len..end].to_vec()));
            at = end;
        }
        assert_eq!(files, vec![("split_form.wasm".into(), b"\0asm-a".to_vec()), ("chunk_7.wasm".into(), big)]);
    }

    #[test]
    fn every_wasm_fetch_of_the_chunk_loader_can_take_a_download_started_ahead() {
        let js = takes_ahead(SPLIT_JS).unwrap();
        assert_eq!(js.matches("__kindred_take(new URL(\"./").count(), 4);
        assert_eq!(js.matches("=> (__kindred_instantiate(src, imports))").count(), 4);
        assert!(!js.contains("= fetch(new URL"), "no fetch left untouched");
        assert!(!js.contains("(WebAssembly.instantiateStreaming(src"), "no instantiation left untouched");
        assert!(js.contains("export function __kindred_ahead(map)"));
        assert!(takes_ahead("const src = fetch(url);").is_err());
    }

    #[test]
    fn every_catalogue_compiles_and_matches_en() {
        let all = catalogues().unwrap();
        assert_eq!(all.len(), kindred_core::i18n::LOCALES.len());
        assert!(all.iter().any(|(l, j)| l == "ar" && j.contains("\"dir\":\"rtl\"")));
    }

    #[test]
    fn the_edge_catalogues_hold_the_widget_and_the_pages() {
        let all = page_catalogues().unwrap();
        assert_eq!(all.iter().map(|(l, _)| l.as_str()).collect::<Vec<_>>(), kindred_core::i18n::LOCALES);
        for (l, j) in &all {
            let c: serde_json::Value = serde_json::from_str(j).unwrap();
            // One of the widget's, one of "How reviews work"'s.
            for id in ["write-review", "how-at-once-all"] {
                assert!(c["messages"].get(id).is_some(), "{l}: {id} missing");
            }
        }
    }

    #[test]
    fn the_loader_carries_every_message_it_says() {
        let loader = std::fs::read_to_string(root().join("widget").join("loader").join("embed.js")).unwrap();
        // Every call names its message as a literal (a variable id could
        // name one the loader does not carry).
        let mut said: Vec<&str> = Vec::new();
        for (before, call) in loader.split("msg(").zip(loader.split("msg(").skip(1)) {
            if before.ends_with("function ") {
                continue;
            }
            let id = call.split(')').next().and_then(|args| args.split(',').nth(1)).map(str::trim).unwrap_or_default();
            assert!(id.len() > 2 && id.starts_with('"') && id.ends_with('"'), "msg(...) without a literal id: msg({})", &call[..call.len().min(40)]);
            said.push(id.trim_matches('"'));
        }
        said.sort_unstable();
        said.dedup();
        let mut carried = LOADER_MESSAGES.to_vec();
        carried.sort_unstable();
        assert_eq!(said, carried, "messages embed.js says vs LOADER_MESSAGES");
        let en = catalogues().unwrap().into_iter().find(|(l, _)| l == "en").unwrap().1;
        let cut = loader_messages(&en).unwrap();
        assert!(cut.len() < 400 && cut.contains("\"locale\":\"en\""), "{cut}");
    }

    #[test]
    fn hash_is_stable_and_short() {
        assert_eq!(short_hash(b"kindred"), short_hash(b"kindred"));
        assert_ne!(short_hash(b"a"), short_hash(b"b"));
        assert_eq!(short_hash(b"x").len(), 12);
    }
}

/// `console/import-columns.json`: `{"fields": [{"field", "label", "needed",
/// "or"}], "sources": {source: {field: [usual column, ...]}}}`, from
/// `kindred_core::import::{Field, Source}` (the console's "Columns in this
/// file").
fn import_columns() -> serde_json::Value {
    use kindred_core::import::{Field, Source};
    let fields: Vec<serde_json::Value> = Field::ALL
        .iter()
        .map(|f| serde_json::json!({ "field": f.as_str(), "label": f.label(), "needed": f.needed(), "or": f.stand_in().map(Field::as_str) }))
        .collect();
    let sources: serde_json::Map<String, serde_json::Value> = Source::ALL
        .iter()
        .map(|s| (s.as_str().to_owned(), Field::ALL.iter().map(|f| (f.as_str().to_owned(), serde_json::json!(s.columns(*f)))).collect::<serde_json::Map<_, _>>().into()))
        .collect();
    serde_json::json!({ "fields": fields, "sources": sources })
}
