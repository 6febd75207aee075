#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Cost that does not grow with the data: every statement a shopper's request
//! runs is held to its plan against the migrated local D1, the rows D1 reads
//! for a request (its `Server-Timing`) stay the same when a product's data
//! grows, and the cron job repairs counters that drifted.

use kindred_core::sql::shopper_reads;
use kindred_tests::{d1_execute, d1_json, get, post_json, testimonial, Resp, TestBrand};

/// A full pass that is not over a stored table: a constant row, a
/// subquery's own (limited) rows, or `json_each` over a bound parameter.
fn bounded_scan(detail: &str) -> bool {
    let what = detail.trim_start_matches("SCAN ");
    what.starts_with("CONSTANT ROW") || what.starts_with("(subquery") || what.contains("VIRTUAL TABLE") || what.starts_with("json_each")
}

/// Walks of a whole index that stop at their `LIMIT` (the index gives the
/// order asked for), with the reason the limit is small.
const BOUNDED_INDEX_WALKS: &[(&str, &str)] = &[
    // The cron job's next scopes to rebuild, in `attempts` order: ten rows.
    ("aspects due", "SCOPES_PER_RUN rows"),
];

/// Sorts over a bounded set, with the reason they are bounded.
const BOUNDED_SORTS: &[(&str, &str)] = &[
    // Each OR branch reads through its own index and finds at most one
    // claim (this member's on this code) and the client's claims in the
    // attribution window (one welcome offer per client and brand).
    ("existing claim", "the two branches' rows"),
    // The brand's codes equal but for case to the one reported (one, or
    // two uploaded before codes were one whatever their case).
    ("claim by coupon", "one code's spellings"),
    // Each arm (by member token and email, by identity) reads one row
    // through its partial index, in the order asked; the sort merges two.
    ("referrer voice", "two rows"),
    // Each arm (visible threads, the viewer's pending ones) reads at most a
    // page through its index; the sort merges at most two pages.
    ("threads", "two pages"),
    // The same for a thread's replies (visible, and the viewer's pending).
    ("replies", "two pages"),
    // A group's moderation queues: each arm (threads, replies) reads at
    // most a page through its partial index; the sort merges two pages.
    ("pending posts", "two pages"),
    ("hidden posts", "two pages"),
    // Syndication filters and orders what its co-routine read through the
    // partial index, newest first: at most `syndication::WALK` rows.
    // A brand's (or a group's) moderation decisions, grouped by the key
    // each named and put newest first: as many as its moderators made,
    // never the shoppers' rows.
    ("blocks", "the brand's blocks"),
    // One shopper's decisions (found by their keys), grouped per decision.
    ("privacy blocks", "the rows of one shopper's blocks"),
    ("privacy removals", "the rows of one shopper's removals"),
    ("removals", "the group's removals"),
    // One row per imported file of the brand, put newest first.
    ("import file counts", "one row per file"),
    ("syndication brand newest", "WALK rows"),
    ("syndication brand top", "WALK rows"),
    ("syndication product newest", "WALK rows"),
    ("syndication product top", "WALK rows"),
];

/// "Your data" statements that read one brand's rows by `brand_id` alone
/// (every other one reads the shopper's rows by their keys), with the
/// reason the set is small.
const BRAND_WIDE: &[(&str, &str)] = &[
    // The brand's delivery log, kept 30 days (`webhook::DELIVERY_LOG_KEEP_MS`).
    ("privacy deliveries", "30 days of the brand's webhook deliveries"),
    // Stored answers of submissions, kept a day (`IDEMPOTENCY_KEEP_MS`).
    ("privacy answers", "a day of the brand's submissions"),
];

/// Statements that find a referrer's own reviews (`referrers_own!` and its
/// arms): through the reviews' author indexes, never by walking every
/// approved testimonial of the brand (as they did with the rule as one
/// `OR`: a plan that `SEARCH`es passes the checks above).
const BY_AUTHOR: &[&str] = &["author testimonials", "judge ambassador", "mark ambassador of review", "mark ambassadors", "leaderboard"];

/// Statements that must read through one index (a plan that `SEARCH`es
/// another, then filters, passes the checks above): one file's undo and
/// the files' counts read only the rows imported with a file name.
const THROUGH: &[(&str, &str)] = &[("import undo next of file", "testimonials_by_import_file"), ("import file counts", "testimonials_by_import_file")];

/// Statements that find testimonials by a list of ids: a search by the
/// brand alone reads every testimonial it has (helper-79: a deletion of 5
/// read 4,587 rows in a brand of 1,405).
const BY_IDS: &[&str] = &["delete testimonials votes", "delete testimonials replies", "delete testimonials", "drop photos", "drop photos list", "import unmark"];

#[test]
fn every_shopper_statement_reads_through_an_index() {
    let statements = shopper_reads();
    // Unbound `?N` cannot be planned; a literal in its place keeps the plan's
    // shape (an equality or range on the same column).
    let numbered = regex_lite_replace(&statements.iter().map(|(_, s)| format!("EXPLAIN QUERY PLAN {s}")).collect::<Vec<_>>().join("; "));
    let answer = d1_json(&numbered);
    let results = answer.as_array().expect("one result per statement");
    assert_eq!(results.len(), statements.len(), "{answer}");
    let mut failures = Vec::new();
    for ((name, sql), result) in statements.iter().zip(results) {
        let details: Vec<String> = result["results"].as_array().unwrap().iter().map(|r| r["detail"].as_str().unwrap_or_default().to_owned()).collect();
        // A co-routine (a FROM subquery with its own LIMIT) is planned on
        // its own lines; a pass over what it yields is bounded by it.
        let coroutines: Vec<&str> = details.iter().filter_map(|d| d.strip_prefix("CO-ROUTINE ")).collect();
        if let Some((_, index)) = THROUGH.iter().find(|(n, _)| n == name) {
            if !details.iter().any(|d| d.contains(&format!("INDEX {index} "))) {
                failures.push(format!("{name}: not through {index}\n    plan: {details:?}\n    sql: {sql}"));
            }
        }
        for d in &details {
            // Only for the statements whose co-routines are known to carry
            // their own LIMIT (syndication's walk; the languages' recursive
            // walk, one index seek per step, `LIMIT ?3 + 1` steps).
            let of_coroutine = (name.starts_with("syndication ") || name.starts_with("languages "))
                && d.strip_prefix("SCAN ").is_some_and(|what| coroutines.contains(&what));
            let walk = d.contains(" USING INDEX ") && BOUNDED_INDEX_WALKS.iter().any(|(n, _)| n == name);
            let scan = d.starts_with("SCAN ") && !bounded_scan(d) && !walk && !of_coroutine;
            let sort = d.contains("USE TEMP B-TREE") && !BOUNDED_SORTS.iter().any(|(n, _)| n == name);
            // One shopper's data is found by their keys, never by walking
            // the brand's rows.
            let brand_wide = name.starts_with("privacy ") && d.ends_with("(brand_id=?)") && !BRAND_WIDE.iter().any(|(n, _)| n == name);
            let author_walk = BY_AUTHOR.contains(name) && d.starts_with("SEARCH ") && (d.ends_with("(brand_id=? AND status=?)") || d.ends_with("(brand_id=?)"));
            let by_brand = BY_IDS.contains(name) && d.starts_with("SEARCH ") && d.contains("(brand_id=?");
            if scan || sort || brand_wide || author_walk || by_brand {
                failures.push(format!("{name}: {d}\n    plan: {details:?}\n    sql: {sql}"));
            }
        }
    }
    assert!(failures.is_empty(), "statements that read more than their page:\n{}", failures.join("\n"));
}

/// `?12` → `1`.
fn regex_lite_replace(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '?' && chars.peek().is_some_and(char::is_ascii_digit) {
            while chars.peek().is_some_and(char::is_ascii_digit) {
                chars.next();
            }
            out.push('1');
        } else {
            out.push(c);
        }
    }
    out
}

/// Rows D1 read for one answer, from its `Server-Timing: d1-read;desc=N`.
fn read_by(r: &Resp, what: &str) -> u64 {
    let timing = r.header("server-timing").unwrap_or_else(|| panic!("{what}: no Server-Timing (is D1_METER on?)")).to_owned();
    timing
        .split(',')
        .find_map(|m| m.trim().strip_prefix("d1-read;desc="))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("{what}: no d1-read in {timing}"))
}

fn rows_read(path: &str) -> u64 {
    let r = get(path);
    assert_eq!(r.status, 200, "{path}: {}", r.text());
    read_by(&r, path)
}

/// Adds `n` approved testimonials to a product straight into D1 (as an
/// import would), tagged and rated in turn; triggers keep the feed's index
/// and counters.
fn seed(brand: &str, product: &str, from: u32, n: u32) {
    d1_execute(&format!(
        "INSERT INTO testimonials (id, brand_id, product_id, author_name, rating, title, body, tags, status, created_at, helpful_count, lang) \
         WITH RECURSIVE k(i) AS (SELECT {from} UNION ALL SELECT i + 1 FROM k WHERE i < {last}) \
         SELECT '{brand}-s' || i, '{brand}', '{product}', 'Seeded ' || i, 1 + i % 5, '', 'Seeded testimonial number ' || i, \
         json_array(CASE i % 3 WHEN 0 THEN 'vegan' WHEN 1 THEN 'runner' ELSE 'gamer' END), 'approved', 1700000000000 + i, i % 7, \
         CASE i % 4 WHEN 0 THEN 'fa' WHEN 1 THEN NULL ELSE 'en' END FROM k; \
         UPDATE brands SET copy_version = copy_version + 1 WHERE id = '{brand}'",
        last = from + n - 1
    ));
    // The isolate may hold the first paint for up to a second.
    std::thread::sleep(std::time::Duration::from_millis(1_200));
}

/// The meter sums what one isolate did between a request's start and its
/// answer: these tests send their requests one at a time.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[test]
fn rows_read_per_request_stay_the_same_as_a_product_grows() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let b = TestBrand::create("cost");
    let paths = [
        format!("/v1/widget/{}?product=sku-big", b.id),
        format!("/v1/brands/{}/testimonials?product=sku-big", b.id),
        format!("/v1/brands/{}/testimonials?product=sku-big&sort=highest", b.id),
        format!("/v1/brands/{}/testimonials?product=sku-big&sort=helpful", b.id),
        format!("/v1/brands/{}/testimonials?product=sku-big&tag=vegan", b.id),
        format!("/v1/brands/{}/testimonials?product=sku-big&rating=2", b.id),
        format!("/v1/brands/{}/testimonials?product=sku-big&tag=runner&rating=2&sort=helpful", b.id),
        format!("/v1/brands/{}/testimonials?tag=gamer", b.id),
    ];
    // 400: every filter above has more than two pages (runner with 2
    // stars, one in 15, has 27).
    // Each path, and its second page (through the first page's cursor).
    // The first page ordered for a shopper's language and a page's tag
    // (`kindred_core::context`): its own copy, built from the plain one
    // and one batch (the tag's page, the language's page).
    let ordered = format!("/v1/widget/{}?product=sku-big&lang=fa&context=vegan", b.id);
    let measure = || -> Vec<u64> {
        let mut reads: Vec<u64> = paths.iter().map(|p| rows_read(p)).collect();
        for p in &paths[1..] {
            let cursor = get(p).json()["next_cursor"].as_str().map(str::to_owned).unwrap_or_else(|| panic!("{p}: no second page"));
            reads.push(rows_read(&format!("{p}&cursor={cursor}")));
        }
        let r = get(&ordered);
        assert_eq!(r.json()["context"], serde_json::json!({ "tag": "vegan", "lang": "fa" }), "{}", r.text());
        reads.push(read_by(&r, &ordered));
        reads
    };
    seed(&b.id, "sku-big", 1, 400);
    let small = measure();
    seed(&b.id, "sku-big", 401, 3_000);
    let large = measure();
    let paths: Vec<String> = paths.iter().cloned().chain(paths[1..].iter().map(|p| format!("{p} (page 2)"))).chain([ordered.clone()]).collect();
    for ((path, s), l) in paths.iter().zip(&small).zip(&large) {
        assert!(*s > 0, "{path}: D1 read nothing?");
        assert_eq!(s, l, "{path}: {s} rows read at 400 testimonials, {l} at 3,400");
        // A page is 10 (and one more to know there is a next): its index
        // entries and its rows, plus the brand, product, histogram (5),
        // tags (12) and group check on the first paint.
        assert!(*l <= 60, "{path}: {l} rows read for one page");
    }
    // The answers are right at that size too.
    let w = b.widget(Some("sku-big"));
    assert_eq!(w["aggregate"]["count"], 3_400, "{w}");
    assert_eq!(w["tags"].as_array().unwrap().len(), 3, "{w}");
    let page = get(&paths[5]).json();
    assert_eq!(page["testimonials"].as_array().unwrap().len(), 10);
    assert!(page["testimonials"].as_array().unwrap().iter().all(|t| t["rating"] == 2), "{page}");
}

#[test]
fn the_cron_job_repairs_counters_that_drifted_and_says_so() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let b = TestBrand::create("drift");
    seed(&b.id, "sku-d", 1, 25);
    let before = b.widget(Some("sku-d"));
    assert_eq!(before["aggregate"]["count"], 25);
    // A hand edit (or a bug) breaks the counters and the feed's index.
    d1_execute(&format!(
        "UPDATE feed_facets SET n = n + 40 WHERE brand_id = '{id}' AND scope = 'sku-d' AND tag = '' AND stars IN (0, 5); \
         DELETE FROM feed_entries WHERE seq = (SELECT seq FROM testimonials WHERE id = '{id}-s3'); \
         UPDATE brands SET counters_checked_at = -1, copy_version = copy_version + 1 WHERE id = '{id}'",
        id = b.id
    ));
    std::thread::sleep(std::time::Duration::from_millis(1_200));
    let broken = b.widget(Some("sku-d"));
    assert_eq!(broken["aggregate"]["count"], 65, "the drift shows before the repair: {broken}");

    let cron = get("/__scheduled?cron=*+*+*+*+*");
    assert_eq!(cron.status, 200, "{}", cron.text());
    std::thread::sleep(std::time::Duration::from_millis(1_200));
    let repaired = b.widget(Some("sku-d"));
    assert_eq!(repaired["aggregate"], before["aggregate"], "{repaired}");
    // Testimonial 3 has 1 + 3 % 5 = 4 stars.
    let all = get(&format!("/v1/brands/{}/testimonials?product=sku-d&rating=4&limit=50", b.id)).json();
    let ids: Vec<&str> = all["testimonials"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&format!("{}-s3", b.id).as_str()), "the lost entry is back: {ids:?}");
    let drift = d1_json(&format!("SELECT counters_drift, counters_checked_at FROM brands WHERE id = '{}'", b.id));
    let row = &drift[0]["results"][0];
    assert!(row["counters_drift"].as_i64().unwrap() > 0, "the drift is reported: {row}");
    assert!(row["counters_checked_at"].as_i64().unwrap() > 0, "{row}");
}

#[test]
fn a_write_reads_the_same_rows_however_many_clients_wrote_this_hour() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let b = TestBrand::create("writes");
    let path = format!("/v1/brands/{}/testimonials", b.id);
    let from = |ip: &str, name: &str| -> u64 {
        let r = post_json(&path, &[("cf-connecting-ip", ip)], &testimonial(name, 5, Some("sku-w")));
        assert_eq!(r.status, 201, "{}", r.text());
        read_by(&r, "submission")
    };
    // Work a previous answer left running (`wait_until`) is done by now.
    let settle = || std::thread::sleep(std::time::Duration::from_millis(300));
    // The first write of the brand this hour creates its rows (its bucket,
    // the product); from the second on a write's reads are its own.
    from("198.51.100.9", "Cara Dias");
    settle();
    let before = from("198.51.100.1", "Ana Lima");
    // 150 other shoppers, each from its own address: 150 more rate-limit
    // buckets in this hour's window.
    for i in 0..150 {
        let r = post_json(&path, &[("cf-connecting-ip", &format!("198.51.101.{}", i + 1))], &testimonial(&format!("Shopper {i}"), 4, Some("sku-w")));
        assert_eq!(r.status, 201, "{}", r.text());
    }
    settle();
    let after = from("198.51.100.2", "Ben Costa");
    assert_eq!(before, after, "a submission read {before} rows, then {after} after 150 other clients wrote");
}
