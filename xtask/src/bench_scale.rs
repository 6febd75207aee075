//! Rows read at scale (issue "Cost that does not grow with the data"): seeds
//! a local D1 at 1x, 10x and 100x a base data set and measures every public
//! route at each size: the rows D1 read per request (the edge's
//! `Server-Timing: d1-read`, from D1's own `meta.rows_read`), and p50/p99
//! latency from the client. At 100x: 1,000,000 testimonials across 1,000
//! brands, one product with 200,000; a group with 100,000 members; a
//! referrer with 100,000 clicks.
//!
//! Data goes straight into D1 with `wrangler d1 execute --local` (recursive
//! `INSERT ... SELECT`, so the triggers of `0009_bounded_reads.sql` build the
//! feed's index and counters as they would for real writes). Requests go one
//! at a time (the meter sums per isolate).

use crate::edge::Edge;
use crate::tools::Tools;
use crate::util::{err, free_ports, note, target_dir, Step};
use crate::Result;
use serde_json::{json, Value};
use std::path::Path;
use std::time::Instant;

/// The base data set (1x); the bench measures it at 1x, 10x and 100x.
struct Base {
    brands: u64,
    testimonials: u64,
    big_product: u64,
    members: u64,
    threads: u64,
    replies: u64,
    clicks: u64,
    claims: u64,
}

const BASE: Base = Base { brands: 10, testimonials: 10_000, big_product: 2_000, members: 1_000, threads: 100, replies: 200, clicks: 1_000, claims: 100 };

/// The tags seeded testimonials carry (one each, in turn).
const TAGS: [&str; 6] = ["vegan", "runner", "gamer", "parent", "traveller", "gift"];

const BRAND: &str = "scale-0";
const PRODUCT: &str = "sku-big";
const GROUP: &str = "g-big";
const THREAD: &str = "th-hot";
const CODE: &str = "SCALEREF";
const MEMBER: &str = "0123456789abcdef0123456789abcdef";

fn d1(tools: &Tools, state: &Path, sql: &str) -> Result<()> {
    let out = tools
        .wrangler()
        .args(["d1", "execute", "kindred", "--local", "--yes", "--persist-to"])
        .arg(state)
        .args(["--command", sql])
        .output()?;
    if !out.status.success() {
        return err(format!("wrangler d1 execute failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    Ok(())
}

/// Grows the data from `from` times the base to `to` times.
fn seed(tools: &Tools, state: &Path, from: u64, to: u64) -> Result<()> {
    let range = |per: u64| (from * per + 1, to * per);
    let tags = TAGS.iter().map(|t| format!("'{t}'")).collect::<Vec<_>>().join(", ");
    let tag_of = format!("json_array(json_extract(json_array({tags}), '$[' || (i % {}) || ']'))", TAGS.len());
    let mut sql = Vec::new();
    if from == 0 {
        let brands = BASE.brands * 100;
        // Every brand the largest size uses, up front (a brand row is small).
        sql.push(format!(
            "INSERT OR IGNORE INTO brands (id, name, created_at, referral_config) WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < {last}) \
             SELECT 'scale-' || i, 'Scale ' || i, 1700000000000, '{{\"leaderboard\":true}}' FROM k",
            last = brands - 1
        ));
        // Submissions are published at once, so the bench's writes pay
        // for the feed's index and counters.
        sql.push(format!("UPDATE brands SET moderation_mode = 'auto_approve_min_rating', auto_approve_min_rating = 1 WHERE id = '{BRAND}'"));
        sql.push(format!(
            "INSERT INTO groups (id, brand_id, name, description, visibility, moderation, created_at) VALUES ('{GROUP}', '{BRAND}', 'Runners', '', 'public', 'post', 1700000000000)"
        ));
        sql.push(format!(
            "INSERT INTO referrers (id, brand_id, code, name, email, canonical_email, member_token, created_at) VALUES ('ref-scale', '{BRAND}', '{CODE}', 'Ana', 'ana@example.com', 'ana@example.com', '{MEMBER}', 1700000000000)"
        ));
        sql.push(format!(
            "INSERT INTO threads (id, group_id, brand_id, author_key, author_name, title, body, status, last_activity_at, created_at) VALUES ('{THREAD}', '{GROUP}', '{BRAND}', 'm:{MEMBER}', 'Ana', 'Hot thread', 'Everyone replies here.', 'visible', 1800000000000, 1700000000000)"
        ));
        sql.push(format!(
            "INSERT INTO group_members (group_id, member_key, display_name, joined_at, last_seen_at) VALUES ('{GROUP}', 'm:{MEMBER}', 'Ana', 1700000000000, 0)"
        ));
    }
    let (a, b) = range(BASE.big_product);
    sql.push(format!(
        "INSERT INTO testimonials (id, brand_id, product_id, author_name, rating, title, body, tags, status, created_at, helpful_count, author_email_canonical) \
         WITH RECURSIVE k(i) AS (SELECT {a} UNION ALL SELECT i + 1 FROM k WHERE i < {b}) \
         SELECT 'tb' || i, '{BRAND}', '{PRODUCT}', 'Shopper ' || i, 1 + i % 5, 'Title ' || i, \
         'A testimonial of ordinary length: what the shopper bought, how it fits, how it wears after a month, number ' || i || '.', \
         {tag_of}, 'approved', 1700000000000 + i * 1000, i % 13, 'shopper' || i || '@example.com' FROM k"
    ));
    // The rest across the other brands (of the current size), five products each.
    let (a, b) = range(BASE.testimonials - BASE.big_product);
    let others = to * BASE.brands - 1;
    sql.push(format!(
        "INSERT INTO testimonials (id, brand_id, product_id, author_name, rating, title, body, tags, status, created_at, helpful_count, author_email_canonical) \
         WITH RECURSIVE k(i) AS (SELECT {a} UNION ALL SELECT i + 1 FROM k WHERE i < {b}) \
         SELECT 'to' || i, 'scale-' || (1 + i % {others}), 'sku-' || (i % 5), 'Shopper ' || i, 1 + i % 5, '', \
         'Another brand''s testimonial, number ' || i || '.', {tag_of}, CASE WHEN i % 10 = 0 THEN 'pending' ELSE 'approved' END, \
         1700000000000 + i * 1000, 0, 'other' || i || '@example.com' FROM k"
    ));
    let (a, b) = range(BASE.members);
    sql.push(format!(
        "INSERT INTO group_members (group_id, member_key, display_name, joined_at, last_seen_at) \
         WITH RECURSIVE k(i) AS (SELECT {a} UNION ALL SELECT i + 1 FROM k WHERE i < {b}) SELECT '{GROUP}', 'm:member' || i, 'Member ' || i, 1700000000000, 1700000000000 FROM k"
    ));
    let (a, b) = range(BASE.threads);
    sql.push(format!(
        "INSERT INTO threads (id, group_id, brand_id, author_key, author_name, title, body, status, last_activity_at, created_at) \
         WITH RECURSIVE k(i) AS (SELECT {a} UNION ALL SELECT i + 1 FROM k WHERE i < {b}) \
         SELECT 'th' || i, '{GROUP}', '{BRAND}', 'm:member' || i, 'Member ' || i, 'Thread ' || i, 'What do you run in?', 'visible', 1700000000000 + i * 1000, 1700000000000 + i * 1000 FROM k"
    ));
    let (a, b) = range(BASE.replies);
    sql.push(format!(
        "INSERT INTO replies (id, thread_id, group_id, brand_id, author_key, author_name, body, status, created_at) \
         WITH RECURSIVE k(i) AS (SELECT {a} UNION ALL SELECT i + 1 FROM k WHERE i < {b}) \
         SELECT 'rp' || i, '{THREAD}', '{GROUP}', '{BRAND}', 'm:member' || i, 'Member ' || i, 'Me too, number ' || i, 'visible', 1700000000000 + i * 1000 FROM k"
    ));
    sql.push(format!(
        "INSERT INTO reactions (target_id, member_key, kind, created_at) \
         WITH RECURSIVE k(i) AS (SELECT {a} UNION ALL SELECT i + 1 FROM k WHERE i < {b}) SELECT '{THREAD}', 'm:member' || i, 'heart', 1700000000000 FROM k"
    ));
    let (a, b) = range(BASE.claims);
    sql.push(format!(
        "INSERT INTO referral_claims (id, brand_id, referrer_id, member_token, client, created_at) \
         WITH RECURSIVE k(i) AS (SELECT {a} UNION ALL SELECT i + 1 FROM k WHERE i < {b}) SELECT 'cl' || i, '{BRAND}', 'ref-scale', 'friend' || i, 'client' || i, 1700000000000 + i FROM k"
    ));
    sql.push(format!(
        "INSERT INTO conversions (id, brand_id, order_id, referrer_id, amount_minor, currency, status, created_at) \
         WITH RECURSIVE k(i) AS (SELECT {a} UNION ALL SELECT i + 1 FROM k WHERE i < {b}) SELECT 'cv' || i, '{BRAND}', 'order-' || i, 'ref-scale', 4200, 'EUR', 'approved', 1700000000000 + i FROM k"
    ));
    sql.push(format!("UPDATE referrers SET clicks = {}, last_click_at = 1700000000000 WHERE id = 'ref-scale'", to * BASE.clicks));
    sql.push(format!("UPDATE brands SET copy_version = copy_version + 1 WHERE id = '{BRAND}'"));
    // The bench's shopper has seen nothing (reading threads marks them
    // seen), so every size counts unread threads up to the cap.
    sql.push(format!("UPDATE group_members SET last_seen_at = 0 WHERE group_id = '{GROUP}' AND member_key = 'm:{MEMBER}'"));
    // One statement per call: a long batch would be one long transaction.
    for s in sql {
        d1(tools, state, &s)?;
    }
    Ok(())
}

/// The routes measured, with the request headers they need.
fn routes() -> Vec<(&'static str, String, Vec<(&'static str, &'static str)>)> {
    let member = vec![("X-Kindred-Member", MEMBER)];
    vec![
        ("GET /v1/widget (first paint from D1)", format!("/v1/widget/{BRAND}?product={PRODUCT}"), vec![]),
        ("GET testimonials (newest)", format!("/v1/brands/{BRAND}/testimonials?product={PRODUCT}"), vec![]),
        ("GET testimonials (highest)", format!("/v1/brands/{BRAND}/testimonials?product={PRODUCT}&sort=highest"), vec![]),
        ("GET testimonials (most helpful)", format!("/v1/brands/{BRAND}/testimonials?product={PRODUCT}&sort=helpful"), vec![]),
        ("GET testimonials (tag)", format!("/v1/brands/{BRAND}/testimonials?product={PRODUCT}&tag=vegan"), vec![]),
        ("GET testimonials (2 stars)", format!("/v1/brands/{BRAND}/testimonials?product={PRODUCT}&rating=2"), vec![]),
        ("GET testimonials (tag, 2 stars, most helpful)", format!("/v1/brands/{BRAND}/testimonials?product={PRODUCT}&tag=runner&rating=2&sort=helpful"), vec![]),
        ("GET testimonials (whole brand, tag)", format!("/v1/brands/{BRAND}/testimonials?tag=gamer"), vec![]),
        ("GET groups", format!("/v1/brands/{BRAND}/groups"), member.clone()),
        ("GET community/unread", format!("/v1/brands/{BRAND}/community/unread"), member.clone()),
        ("GET group threads", format!("/v1/brands/{BRAND}/groups/{GROUP}/threads"), member.clone()),
        ("GET thread (newest 50 replies)", format!("/v1/brands/{BRAND}/threads/{THREAD}"), member.clone()),
        ("GET referrers/me", format!("/v1/brands/{BRAND}/referrers/me"), member),
        ("GET ambassadors", format!("/v1/brands/{BRAND}/ambassadors"), vec![]),
        ("GET /r/{code} (referral redirect)", format!("/r/{CODE}"), vec![]),
    ]
}

/// Rows read and written, from the answer's `Server-Timing`.
fn d1_used(head: &str) -> Option<(u64, u64)> {
    let timing = head.lines().find_map(|l| l.split_once(':').filter(|(k, _)| k.trim().eq_ignore_ascii_case("server-timing")).map(|(_, v)| v.to_owned()))?;
    let metric = |name: &str| timing.split(',').find_map(|m| m.trim().strip_prefix(name).and_then(|n| n.trim().parse().ok()));
    Some((metric("d1-read;desc=")?, metric("d1-write;desc=").unwrap_or(0)))
}

/// The writes measured: each request from its own address and shopper, so
/// the per-client limits never refuse them; `size` keeps ids unique across
/// sizes.
fn writes(size: u64) -> Vec<(&'static str, Box<dyn Fn(usize) -> Call>)> {
    let ip = move |i: usize| format!("198.18.{}.{}", size, 1 + i % 250);
    vec![
        (
            "POST testimonial (published at once: feed index and counters)",
            Box::new(move |i| {
                let body = format!(
                    r#"{{"product":"{PRODUCT}","display_name":"Bench {i}","email":"bench{size}x{i}@example.com","rating":{},"body":"A testimonial written during the bench, number {i}.","tags":["vegan","gift"]}}"#,
                    1 + i % 5
                );
                ("POST", format!("/v1/brands/{BRAND}/testimonials"), Some(body), vec![("CF-Connecting-IP".into(), ip(i))])
            }),
        ),
        (
            "POST helpful vote (count and feed entries follow)",
            Box::new(move |i| {
                let member = format!("voter{size}x{i:0>10}");
                ("POST", format!("/v1/brands/{BRAND}/testimonials/tb{}/helpful", 1 + i), None, vec![("CF-Connecting-IP".into(), ip(i)), ("X-Kindred-Member".into(), member)])
            }),
        ),
        (
            "POST join group (member count follows)",
            Box::new(move |i| {
                let member = format!("joiner{size}x{i:0>10}");
                let body = format!(r#"{{"display_name":"Joiner {i}"}}"#);
                ("POST", format!("/v1/brands/{BRAND}/groups/{GROUP}/join"), Some(body), vec![("CF-Connecting-IP".into(), ip(i)), ("X-Kindred-Member".into(), member)])
            }),
        ),
    ]
}

fn percentile(v: &mut [f64], p: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i.min(v.len() - 1)]
}

/// One request of a measured series: method, path, body, extra headers.
type Call = (&'static str, String, Option<String>, Vec<(String, String)>);

/// One route at one size: `n` sequential requests, the `i`th made by `call(i)`.
fn measure(port: u16, n: usize, before_each: &dyn Fn(), call: &dyn Fn(usize) -> Call) -> Value {
    let mut reads = Vec::new();
    let mut writes = Vec::new();
    let mut ms = Vec::new();
    let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
    for i in 0..n {
        before_each();
        let (method, path, body, headers) = call(i);
        let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let t = Instant::now();
        let Some((status, head, _)) = crate::util::http_full(port, method, &path, body.as_deref(), &headers) else { continue };
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
        *statuses.entry(status).or_default() += 1;
        if let Some((r, w)) = d1_used(&head) {
            reads.push(r as f64);
            writes.push(w as f64);
        }
    }
    json!({
        "rows_read_p50": percentile(&mut reads.clone(), 0.5),
        "rows_read_p99": percentile(&mut reads, 0.99),
        "rows_written_p50": percentile(&mut writes, 0.5),
        "p50_ms": percentile(&mut ms.clone(), 0.5),
        "p99_ms": percentile(&mut ms, 0.99),
        "statuses": statuses,
    })
}

/// Runs the scale stage on its own edge and state; returns `results["scale"]`.
pub fn run(tools: &Tools, quick: bool) -> Result<Value> {
    let started = Instant::now();
    let dir = target_dir().join("kindred-bench-scale");
    let _ = std::fs::remove_dir_all(&dir);
    let state = dir.join("state");
    let [edge_port, inspector_port] = free_ports::<2>()?;
    let secrets = crate::tasks::prepare_state(tools, &state, &[])?;
    let edge = Edge::start(tools, edge_port, inspector_port, &state, &secrets.operator_key, &dir.join("edge.log"))?;
    let port = crate::bench::direct_port(&edge).unwrap_or(edge.port);
    let samples = if quick { 20 } else { 100 };
    let sizes: [u64; 3] = [1, 10, 100];
    let mut per_size = Vec::new();
    let mut previous = 0;
    for size in sizes {
        let step = Step::start(format!("Scale {size}x: seeding {} testimonials, {} members, {} clicks", size * BASE.testimonials, size * BASE.members, size * BASE.clicks));
        let t = Instant::now();
        seed(tools, &state, previous, size)?;
        previous = size;
        note(format!("seeded in {:.0} s", t.elapsed().as_secs_f64()));
        step.done();
        let step = Step::start(format!("Scale {size}x: {samples} requests per route"));
        let mut routes_at = Vec::new();
        for (name, path, headers) in routes() {
            // The first paint is cached (isolate, KV) until a change moves
            // the brand's copy version: move it before each request, so
            // each one is built from D1.
            let first_paint = name.contains("first paint");
            let bump = || {
                if first_paint {
                    let _ = d1(tools, &state, &format!("UPDATE brands SET copy_version = copy_version + 1 WHERE id = '{BRAND}'"));
                    std::thread::sleep(std::time::Duration::from_millis(1_100));
                }
            };
            // Warm the route (compiles its code paths, settles the
            // database after seeding), then measure.
            for _ in 0..20 {
                let _ = crate::util::http_full(port, "GET", &path, None, &headers);
            }
            let n = if first_paint { samples.min(10) } else { samples };
            let owned: Vec<(String, String)> = headers.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
            let m = measure(port, n, &bump, &|_| ("GET", path.clone(), None, owned.clone()));
            routes_at.push(json!({ "route": name, "path": path, "m": m }));
        }
        for (name, call) in writes(size) {
            let m = measure(port, samples.min(100), &|| {}, call.as_ref());
            routes_at.push(json!({ "route": name, "m": m }));
        }
        per_size.push(json!({ "size": size, "testimonials": size * BASE.testimonials, "product_testimonials": size * BASE.big_product, "members": size * BASE.members, "clicks": size * BASE.clicks, "routes": routes_at }));
        step.done();
    }
    drop(edge);
    let bytes = dir_size(&state);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(json!({ "sizes": per_size, "samples": samples, "state_bytes_at_100x": bytes, "meta": crate::bench::meta(started.elapsed().as_secs(), quick) }))
}

fn dir_size(p: &Path) -> u64 {
    std::fs::read_dir(p)
        .map(|rd| {
            rd.flatten()
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => dir_size(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}
