//! The API held to its published contract: Schemathesis (PyPI, pinned in
//! `tests/contract/requirements.txt`, installed into `.tools/schemathesis`)
//! against a live `wrangler dev` edge, reading the edge's own
//! `GET /v1/openapi.json`.
//!
//! Every operation is run through Schemathesis' phases: the document's
//! examples, coverage (boundary and invalid values, unexpected methods),
//! fuzzing (`cases` generated requests per operation at most, valid and
//! invalid) and stateful sequences along the document's links (create, then
//! read or act on what was created). Only these checks are applied, on every
//! response: `not_a_server_error`, `status_code_conformance`,
//! `content_type_conformance`, `response_schema_conformance`.
//!
//! Each request comes from its own client address (`tests/contract/hooks.py`),
//! so the write limits do not turn the run into a test of `429` alone.
//! The run targets a brand made for it (`fuzz-<pid>`), with its admin key for
//! admin operations, the operator key for brand creation and a member token
//! for shopper operations, each applied only where the document's security
//! names it. The seed is fixed and Hypothesis' example database is off, so a
//! run is repeatable. Per-operation totals are read from the NDJSON event
//! stream and printed.

use crate::util::{err, root, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The Schemathesis version, pinned with its dependencies in
/// `tests/contract/requirements.txt`.
pub const SCHEMATHESIS: &str = "4.32.5";

/// How many documented operations must answer at least one success in a
/// run (44 to 45 of 51 do; those that cannot are listed in the README).
pub const MIN_OPERATIONS_REACHED: usize = 40;

/// The four checks the contract is held to.
pub const CHECKS: &str = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance";

/// Installs the pinned Schemathesis into `.tools/schemathesis` (a Python
/// venv) unless it is there; returns its executable.
pub fn ensure_schemathesis() -> Result<PathBuf> {
    // Schemathesis 4.32 and its Hypothesis need Python 3.11 or newer.
    crate::tools::ensure_venv(
        "schemathesis",
        "schemathesis",
        &root().join("tests").join("contract").join("requirements.txt"),
        &format!("Schemathesis {SCHEMATHESIS}"),
        "the contract tests (Schemathesis)",
        &[],
    )
}

/// A brand made for the run, with its admin key.
fn create_brand(edge: &str, operator_key: &str, id: &str) -> Result<String> {
    let body = serde_json::json!({ "id": id, "name": "Contract run", "allowed_origins": ["https://shop.example"] });
    let resp = ureq::post(&format!("{edge}/v1/admin/brands"))
        .set("authorization", &format!("Bearer {operator_key}"))
        .send_json(body)
        .map_err(|e| crate::Error(format!("creating the contract run's brand: {e}")))?;
    let v: serde_json::Value = resp.into_json().map_err(|e| crate::Error(format!("brand answer: {e}")))?;
    let Some(key) = v["admin_key"].as_str() else {
        return err(format!("no admin key in {v}"));
    };
    // The brand's own limits at their ceiling: the run is many clients
    // (tests/contract/hooks.py), not one flooding.
    ureq::request("PATCH", &format!("{edge}/v1/admin/brands/{id}"))
        .set("authorization", &format!("Bearer {key}"))
        .send_json(serde_json::json!({ "rate_limits": { "per_client": 100_000, "per_brand": 1_000_000 } }))
        .map_err(|e| crate::Error(format!("raising the contract brand's limits: {e}")))?;
    Ok(key.to_owned())
}

/// The member token the run's shopper operations carry.
const MEMBER: &str = "contract-shopper-0000000001";

/// What the run's brand holds before it starts, so shopper operations reach
/// their handlers instead of answering 404 to random ids: a public group
/// the run's shopper leads, a thread and a reply in it, an approved
/// testimonial, and a referral program with the leaderboard on.
struct Seed {
    group: String,
    thread: String,
    reply: String,
    testimonial: String,
}

fn call(method: &str, url: &str, headers: &[(&str, &str)], body: serde_json::Value) -> Result<serde_json::Value> {
    let mut req = ureq::request(method, url);
    for (k, v) in headers {
        req = req.set(k, v);
    }
    let resp = req.send_json(body).map_err(|e| crate::Error(format!("seeding the contract run: {method} {url}: {e}")))?;
    resp.into_json().map_err(|e| crate::Error(format!("seeding the contract run: {method} {url}: {e}")))
}

fn id_of(v: &serde_json::Value) -> Result<String> {
    v["id"].as_str().map(str::to_owned).ok_or_else(|| crate::Error(format!("seeding the contract run: no id in {v}")))
}

fn seed(edge: &str, brand: &str, admin_key: &str) -> Result<Seed> {
    let admin = format!("Bearer {admin_key}");
    let a = [("authorization", admin.as_str())];
    let m = [("x-kindred-member", MEMBER)];
    let b = format!("{edge}/v1/brands/{brand}");
    let ab = format!("{edge}/v1/admin/brands/{brand}");
    call("PATCH", &ab, &a, serde_json::json!({ "referral": { "landing_url": "https://shop.example/", "leaderboard": true } }))?;
    let group = id_of(&call("POST", &format!("{ab}/groups"), &a, serde_json::json!({ "name": "Contract runners", "description": "Seeded", "visibility": "public" }))?)?;
    call("POST", &format!("{b}/groups/{group}/join"), &m, serde_json::json!({ "display_name": "Contract" }))?;
    call("POST", &format!("{ab}/groups/{group}/leads"), &a, serde_json::json!({ "member_key": format!("m:{MEMBER}") }))?;
    let thread = id_of(&call("POST", &format!("{b}/groups/{group}/threads"), &m, serde_json::json!({ "title": "Seeded thread", "body": "A thread the run acts on." }))?)?;
    let reply = id_of(&call("POST", &format!("{b}/threads/{thread}/replies"), &m, serde_json::json!({ "body": "A reply the run acts on." }))?)?;
    let t = serde_json::json!({ "display_name": "Seed", "email": "seed@example.com", "rating": 5, "title": "Seeded", "body": "A testimonial the run votes on." });
    let testimonial = id_of(&call("POST", &format!("{b}/testimonials"), &[], t)?)?;
    call("POST", &format!("{ab}/testimonials/{testimonial}/approve"), &a, serde_json::json!({}))?;
    call("POST", &format!("{b}/referrers"), &m, serde_json::json!({ "name": "Seed Referrer", "email": "seed.referrer@example.com" }))?;
    Ok(Seed { group, thread, reply, testimonial })
}

/// Pins the seeded ids for the shopper operations (admin moderation keeps
/// generated ids, so it cannot delete what the rest of the run acts on).
fn seeded_operations(s: &Seed) -> String {
    use kindred_core::api::Op;
    let pins: [(Op, &str, &str); 15] = [
        (Op::JoinGroup, "group", &s.group),
        (Op::ListThreads, "group", &s.group),
        (Op::StartThread, "group", &s.group),
        (Op::InviteToGroup, "group", &s.group),
        (Op::GetThread, "thread", &s.thread),
        (Op::ReplyToThread, "thread", &s.thread),
        (Op::PinThread, "thread", &s.thread),
        (Op::UnpinThread, "thread", &s.thread),
        (Op::ReactToThread, "id", &s.thread),
        (Op::ReportThread, "id", &s.thread),
        (Op::ReactToReply, "id", &s.reply),
        (Op::ReportReply, "id", &s.reply),
        (Op::VoteHelpful, "id", &s.testimonial),
        (Op::ListPendingPosts, "group", &s.group),
        (Op::ListHiddenPosts, "group", &s.group),
    ];
    pins.iter()
        .map(|(op, name, value)| format!("\n[[operations]]\ninclude-operation-id = \"{}\"\nparameters = {{ \"path.{name}\" = \"{value}\" }}\n", op.id()))
        .collect()
}

/// What one run did, per operation (`"POST /v1/brands/{brand}/testimonials"`).
#[derive(Debug, Default)]
pub struct Totals {
    pub per_operation: BTreeMap<String, u64>,
    pub per_phase: BTreeMap<String, u64>,
    /// Answers with a 2xx or 3xx status, per operation.
    pub successes: BTreeMap<String, u64>,
}

impl Totals {
    pub fn total(&self) -> u64 {
        self.per_operation.values().sum()
    }
}

/// Counts the cases in Schemathesis' NDJSON event stream (each
/// `ScenarioFinished` event lists the cases its scenario sent).
pub fn totals(ndjson: &Path) -> Result<Totals> {
    let mut t = Totals::default();
    for line in std::fs::read_to_string(ndjson)?.lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else { continue };
        let Some(ev) = v.get("ScenarioFinished") else { continue };
        let phase = ev["phase"].as_str().unwrap_or("?").to_owned();
        let interactions = &ev["recorder"]["interactions"];
        for (id, case) in ev["recorder"]["cases"].as_object().into_iter().flatten() {
            let value = &case["value"];
            let op = format!("{} {}", value["method"].as_str().unwrap_or("?"), value["path"].as_str().unwrap_or("?"));
            let status = interactions[id]["response"]["status_code"].as_u64().unwrap_or(0);
            if (200..400).contains(&status) {
                *t.successes.entry(op.clone()).or_default() += 1;
            }
            *t.per_operation.entry(op).or_default() += 1;
            *t.per_phase.entry(phase.clone()).or_default() += 1;
        }
    }
    Ok(t)
}

/// Runs Schemathesis against `edge` with at most `cases` fuzzed requests per
/// operation; writes its reports under `out` and prints the totals.
///
/// # Errors
/// When a check fails on any response, or Schemathesis cannot run.
pub fn run(edge: &str, operator_key: &str, cases: u32, out: &Path) -> Result<Totals> {
    let exe = ensure_schemathesis()?;
    std::fs::create_dir_all(out)?;
    let brand = format!("fuzz-{}", std::process::id());
    let admin_key = create_brand(edge, operator_key, &brand)?;
    let seeded = seeded_operations(&seed(edge, &brand, &admin_key)?);
    // Stateful scenarios chain up to 6 calls along the links, each reaching
    // deep once the seed is there: a quarter of the cases keeps the stage
    // near its fuzzing phase's length.
    let scenarios = (cases / 4).max(10);
    let config = format!(
        r#"# Written by `cargo xtask test contract` / `cargo xtask fuzz`.
seed = 20261130
workers = 1
request-timeout = 20
[cache]
enabled = false
[generation]
max-examples = {cases}
database = "none"
[checks]
enabled = false
not_a_server_error.enabled = true
status_code_conformance.enabled = true
content_type_conformance.enabled = true
response_schema_conformance.enabled = true
[parameters]
"path.brand" = "{brand}"
[auth.openapi.adminKey]
bearer = "{admin_key}"
[auth.openapi.operatorKey]
bearer = "{operator_key}"
[auth.openapi.memberToken]
api_key = "{MEMBER}"
[phases.stateful]
max-steps = 6
[phases.stateful.generation]
max-examples = {scenarios}
{seeded}"#
    );
    let config_path = out.join("schemathesis.toml");
    std::fs::write(&config_path, config)?;
    let ndjson = out.join("events.ndjson");
    let junit = out.join("junit.xml");
    let mut c = Command::new(&exe);
    c.arg("--config-file")
        .arg(&config_path)
        .arg("run")
        .arg(format!("{edge}/v1/openapi.json"))
        .args(["--url", edge, "--wait-for-schema", "30", "--no-color", "--warnings", "off", "-c", CHECKS])
        .arg("--report-ndjson-path")
        .arg(&ndjson)
        .arg("--report-junit-path")
        .arg(&junit)
        // Hypothesis writes `.hypothesis/` into the working directory.
        .current_dir(out)
        .env("NO_COLOR", "1")
        .env("SCHEMATHESIS_HOOKS", "hooks")
        .env("PYTHONPATH", root().join("tests").join("contract"));
    let result = crate::util::run(&mut c);
    let t = totals(&ndjson).unwrap_or_default();
    // Documented operations, and the coverage phase's probes with methods
    // the API does not route (each answered 405).
    let documented: BTreeMap<String, u64> = kindred_core::api::ROUTES
        .iter()
        .map(|r| {
            let key = format!("{} {}", r.method.as_str(), r.openapi_path());
            let n = t.per_operation.get(&key).copied().unwrap_or(0);
            (key, n)
        })
        .collect();
    let probes = t.total() - documented.values().sum::<u64>();
    println!(
        "\n    Schemathesis {SCHEMATHESIS}: {} requests: {} over the {} documented operations, {probes} with methods no route takes",
        t.total(),
        documented.values().sum::<u64>(),
        documented.len()
    );
    for (phase, n) in &t.per_phase {
        println!("      phase {phase:<10} {n:>7}");
    }
    println!("      {:>6}  {:>9}  operation", "cases", "successes");
    for (op, n) in &documented {
        println!("      {n:>6}  {:>9}  {op}", t.successes.get(op).copied().unwrap_or(0));
    }
    let reached = documented.keys().filter(|op| t.successes.get(*op).copied().unwrap_or(0) > 0).count();
    println!("    {reached} of {} operations answered at least one success", documented.len());
    // A run that stops reaching handlers (every write 429, a seed gone
    // wrong) still passes every check; the floor makes it fail instead.
    if result.is_ok() && reached < MIN_OPERATIONS_REACHED {
        return err(format!(
            "only {reached} operations answered a success (at least {MIN_OPERATIONS_REACHED} should): the run no longer reaches the handlers"
        ));
    }
    println!("    reports: {} and {}", ndjson.display(), junit.display());
    result.map(|()| t)
}

/// `cargo xtask fuzz`: a fresh local edge, then the contract run with 1,000
/// cases per operation.
pub fn fuzz() -> Result<()> {
    let tools = crate::tools::setup(false)?;
    crate::build::all(&tools)?;
    let run_dir = crate::util::target_dir().join("kindred-fuzz").join(format!("run-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(crate::util::target_dir().join("kindred-fuzz"));
    let state = run_dir.join("state");
    let [edge_port, inspector_port] = crate::util::free_ports::<2>()?;
    let secrets = crate::tasks::prepare_state(&tools, &state, &[])?;
    let edge = crate::edge::Edge::start(&tools, edge_port, inspector_port, &state, &secrets.operator_key, &run_dir.join("edge.log"))?;
    let result = run(&edge.url(), &secrets.operator_key, 1000, &run_dir.join("schemathesis"));
    drop(edge);
    result.map(|_| ())
}
