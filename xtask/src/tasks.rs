//! The two commands the README leads with: `demo` and `test`.

use crate::edge::{self, Edge};
use crate::seed::Secrets;
use crate::tools::{self, Tools};
use crate::util::{err, free_port, free_ports, root, run, state_dir, target_dir, Result, Step};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

pub const DEMO_EDGE_PORT: u16 = 8787;
pub const DEMO_SITE_PORT: u16 = 8080;

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Fresh or existing local state: migrations applied, demo data seeded with
/// `origins` allowed for `acme`.
pub fn prepare_state(tools: &Tools, state: &Path, origins: &[String]) -> Result<Secrets> {
    let step = Step::start(format!("Applying D1 migrations and seeding demo data ({})", state.display()));
    std::fs::create_dir_all(state)?;
    let secrets = Secrets::load_or_create(state)?;
    edge::migrate(tools, state)?;
    let sql_file = state.join("seed.sql");
    std::fs::write(&sql_file, crate::seed::sql(origins, &secrets, now_ms()))?;
    edge::execute_sql(tools, state, &sql_file)?;
    step.done();
    Ok(secrets)
}

/// Waits for Ctrl-C (or SIGTERM).
fn wait_for_interrupt() -> Result<()> {
    let (tx, rx) = mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = tx.send(());
    })
    .map_err(|e| crate::Error(format!("cannot install the Ctrl-C handler: {e}")))?;
    let _ = rx.recv();
    Ok(())
}

pub fn demo(reset: bool) -> Result<()> {
    let tools = tools::setup(false)?;
    crate::build::all(&tools)?;
    for port in [DEMO_EDGE_PORT, DEMO_SITE_PORT] {
        if crate::util::port_in_use(port) {
            return err(format!("port {port} is in use; stop whatever listens there (an earlier demo?) and retry"));
        }
    }
    let state = state_dir().join("demo");
    if reset && state.exists() {
        std::fs::remove_dir_all(&state)?;
    }
    let origins = vec![format!("http://127.0.0.1:{DEMO_SITE_PORT}"), format!("http://localhost:{DEMO_SITE_PORT}")];
    let secrets = prepare_state(&tools, &state, &origins)?;

    let step = Step::start("Starting the edge (wrangler dev --local) and the demo site");
    let log = state_dir().join("logs").join("demo-edge.log");
    let mut edge = Edge::start(&tools, DEMO_EDGE_PORT, free_port()?, &state, &secrets.operator_key, &log)?;
    crate::site::serve(DEMO_SITE_PORT, vec![("/", root().join("demo-site"))], edge.url())?;
    step.done();
    cron_ticker(edge.url());

    let site = format!("http://127.0.0.1:{DEMO_SITE_PORT}");
    println!("\nKindred is running.\n");
    println!("  Demo storefront   {site}/");
    for (_, name, path) in crate::seed::PRODUCTS {
        println!("    {name:<24}{site}{path}");
    }
    println!("  Edge (API)        {}/v1/widget/acme?product=trail-runner-2", edge.url());
    println!("  Embed script      {}/embed.js", edge.url());
    println!("  Brand console     {}/console/  (brand acme, admin key below)", edge.url());
    println!("  Hosted wall       {}/wall/acme", edge.url());
    println!("  Share page, card  {0}/t/acme/t-acme-01  {0}/t/acme/t-acme-01/card.png", edge.url());
    println!("  Edge log          {}", edge.log.display());
    println!("  Local D1/KV state {}  (cargo xtask demo --reset starts over)", state.display());
    println!("\n  acme admin key    {}", secrets.acme_admin_key);
    println!("  operator key      {}", secrets.operator_key);
    println!("  e.g. curl -H 'Authorization: Bearer {}' {}/v1/admin/brands/acme/testimonials?status=pending", secrets.acme_admin_key, edge.url());
    println!("\nPress Ctrl-C to stop.");
    wait_for_interrupt()?;
    println!("\nStopping the edge and the demo site...");
    edge.stop();
    println!("Stopped.");
    Ok(())
}

/// `wrangler dev` does not fire the worker's cron trigger (wrangler.toml's
/// `* * * * *`) by itself; the demo does, through `--test-scheduled`'s
/// `/__scheduled` route: at once (the seeded reviews' summaries, "What
/// reviews mention") and then every minute, as production would (held
/// reviews published, webhooks retried, photos pruned).
fn cron_ticker(edge: String) {
    std::thread::spawn(move || loop {
        if let Err(e) = ureq::get(&format!("{edge}/__scheduled?cron=*+*+*+*+*")).call() {
            eprintln!("demo cron tick failed: {e}");
        }
        std::thread::sleep(std::time::Duration::from_secs(60));
    });
}

/// One stage of the test run and whether it passed.
struct Outcome {
    name: &'static str,
    result: Result<()>,
}

/// The test stages, in the order they run.
pub const STAGES: &[&str] = &["core", "widget", "edge", "browser", "contract"];

/// Runs every stage, or only those named (`cargo xtask test browser`).
pub fn test(only: &[String]) -> Result<()> {
    if let Some(bad) = only.iter().find(|s| !STAGES.contains(&s.as_str())) {
        return err(format!("unknown test stage '{bad}'; stages are {}", STAGES.join(", ")));
    }
    let wants = |stage: &str| only.is_empty() || only.iter().any(|s| s == stage);
    let tools = tools::setup(true)?;
    crate::build::all(&tools)?;
    let mut outcomes = Vec::new();

    if wants("core") {
        let step = Step::start("Unit and property tests (core, the card renderer, xtask)");
        let result = run(tools.command("cargo").args(["test", "-p", "kindred-core", "-p", "kindred-cards", "-p", "xtask"]).current_dir(root()));
        step.done();
        outcomes.push(Outcome { name: "core + cards + xtask unit tests", result });
    }

    if wants("widget") {
        let step = Step::start("Widget component tests (wasm-bindgen-test in headless Chromium)");
        outcomes.push(Outcome { name: "widget tests in Chromium", result: widget_tests(&tools) });
        step.done();
    }
    if !wants("edge") && !wants("browser") && !wants("contract") {
        return summary(&outcomes);
    }

    // A fresh state folder and free ports: tests never see a developer's data.
    let run_dir = target_dir().join("kindred-test").join(format!("run-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(target_dir().join("kindred-test"));
    let state = run_dir.join("state");
    let [site_port, edge_port, inspector_port] = free_ports::<3>()?;
    let site_origin = format!("http://127.0.0.1:{site_port}");
    let secrets = prepare_state(&tools, &state, std::slice::from_ref(&site_origin))?;

    let step = Step::start("Starting a test edge and demo site on free ports");
    let edge = Edge::start(&tools, edge_port, inspector_port, &state, &secrets.operator_key, &run_dir.join("edge.log"))?;
    let mounts = vec![("/", root().join("demo-site")), ("/__test/", root().join("tests").join("browser").join("pages"))];
    crate::site::serve(site_port, mounts, edge.url())?;
    crate::util::note(format!("edge {} , site {site_origin}", edge.url()));
    step.done();

    let env: Vec<(&str, String)> = vec![
        ("KINDRED_EDGE_URL", edge.url()),
        ("KINDRED_SITE_URL", site_origin.clone()),
        ("KINDRED_STATE_DIR", state.display().to_string()),
        ("KINDRED_OPERATOR_KEY", secrets.operator_key.clone()),
        ("KINDRED_ACME_ADMIN_KEY", secrets.acme_admin_key.clone()),
        ("KINDRED_ACME_IDENTITY_SECRET", secrets.acme_identity_secret.clone()),
        ("KINDRED_NODE", tools.node.display().to_string()),
        ("KINDRED_WRANGLER", tools.wrangler.display().to_string()),
        ("CHROMIUM", tools.chromium.as_ref().map(|p| p.display().to_string()).unwrap_or_default()),
    ];

    if wants("edge") {
        let step = Step::start("Edge HTTP tests against wrangler dev --local (cargo test -p kindred-tests)");
        let mut c = tools.command("cargo");
        c.args(["test", "--no-fail-fast", "-p", "kindred-tests"]).current_dir(root()).envs(env.iter().map(|(k, v)| (k, v)));
        // While working on one part: KINDRED_EDGE_ONLY=syndication_http runs
        // that test file only (several: comma-separated).
        if let Ok(only) = std::env::var("KINDRED_EDGE_ONLY") {
            for t in only.split(',') {
                c.args(["--test", t.trim()]);
            }
        }
        outcomes.push(Outcome { name: "edge HTTP tests", result: run(&mut c) });
        step.done();
    }

    if wants("browser") {
        let step = Step::start("Browser end-to-end tests (node --test, playwright-core, Chromium)");
        let mut c = tools.command(&tools.node);
        c.args(["--test", "--test-concurrency=1"])
            .args(browser_test_files()?)
            .current_dir(root().join("tests"))
            .envs(env.iter().map(|(k, v)| (k, v)));
        outcomes.push(Outcome { name: "browser end-to-end tests", result: run(&mut c) });
        step.done();
    }
    // Last: the fuzzer's thousands of writes and settings changes go to a
    // brand of its own, but they fill the edge's tables and limits.
    if wants("contract") {
        let step = Step::start("Contract: Schemathesis against the edge's OpenAPI document (100 cases per operation)");
        let result = crate::fuzz::run(&edge.url(), &secrets.operator_key, 100, &run_dir.join("schemathesis")).map(|_| ());
        outcomes.push(Outcome { name: "API contract (Schemathesis)", result });
        step.done();
    }
    drop(edge);
    summary(&outcomes)
}

fn summary(outcomes: &[Outcome]) -> Result<()> {
    println!("\n==> Summary");
    let failed = outcomes.iter().filter(|o| o.result.is_err()).count();
    for o in outcomes {
        match &o.result {
            Ok(()) => println!("    ok    {}", o.name),
            Err(e) => println!("    FAIL  {}: {e}", o.name),
        }
    }
    println!("stages: {} passed, {failed} failed", outcomes.len() - failed);
    if failed > 0 {
        return err(format!("{failed} test stage(s) failed"));
    }
    Ok(())
}

fn browser_test_files() -> Result<Vec<PathBuf>> {
    let dir = root().join("tests").join("browser");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".test.mjs"))
        // While working on one part: KINDRED_BROWSER_ONLY=host-pages runs
        // the files whose names contain it (a comma list: any of them).
        .filter(|p| std::env::var("KINDRED_BROWSER_ONLY").map_or(true, |only| only.split(',').any(|o| p.to_string_lossy().contains(o))))
        .collect();
    files.sort();
    if files.is_empty() {
        return err(format!("no browser tests found in {}", dir.display()));
    }
    Ok(files)
}

fn widget_tests(tools: &Tools) -> Result<()> {
    let Some(driver) = &tools.chromedriver else {
        return err("chromedriver is missing");
    };
    let runner = tools.wasm_bindgen.with_file_name("wasm-bindgen-test-runner");
    let mut c = tools.command("cargo");
    c.args(["test", "-p", "kindred-widget", "--target", "wasm32-unknown-unknown"])
        .current_dir(root().join("widget"))
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", runner)
        .env("CHROMEDRIVER", driver)
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120");
    run(&mut c)
}

/// Rewrites the README's route table (between `<!-- routes:begin -->` and
/// `<!-- routes:end -->`) from `kindred_core::api::ROUTES`.
pub fn docs() -> Result<()> {
    let path = root().join("README.md");
    let readme = std::fs::read_to_string(&path)?;
    let (head, rest) = readme.split_once("<!-- routes:begin -->\n").ok_or_else(|| crate::Error("README.md has no <!-- routes:begin --> marker".into()))?;
    let (_, tail) = rest.split_once("<!-- routes:end -->").ok_or_else(|| crate::Error("README.md has no <!-- routes:end --> marker".into()))?;
    let table = kindred_core::api::readme_table();
    std::fs::write(&path, format!("{head}<!-- routes:begin -->\n{table}<!-- routes:end -->{tail}"))?;
    println!("README.md: {} routes", kindred_core::api::ROUTES.len());
    Ok(())
}
