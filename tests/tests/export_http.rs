#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The brand's export over HTTP: every dataset, page after page by cursor
//! until none is left, as JSON Lines and as CSV that a CSV reader parses
//! back to what was written (hostile text included, formulas defused), with
//! no shopper's member token, no other brand's row, and a plan that reads a
//! page's rows only.

use kindred_tests::{d1_json, post_json, request, testimonial, Resp, TestBrand};
use serde_json::json;

const MEMBER: &str = "member-export-secret-0001";

fn export(b: &TestBrand, dataset: &str, query: &str) -> Resp {
    b.admin("GET", &format!("/v1/admin/brands/{}/export/{dataset}{query}", b.id), None)
}

/// Every page of `dataset` in `format`, following the cursor; the bodies.
fn all_pages(b: &TestBrand, dataset: &str, format: &str, limit: u32) -> Vec<String> {
    let mut pages = Vec::new();
    let mut query = format!("?format={format}&limit={limit}");
    loop {
        let r = export(b, dataset, &query);
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.header("cache-control"), Some("no-store"));
        assert!(r.header("content-disposition").unwrap().starts_with("attachment; filename="));
        pages.push(r.text());
        match r.header("kindred-next-cursor") {
            Some(next) => {
                let link = r.header("link").unwrap();
                assert!(link.contains(&format!("cursor={next}>; rel=\"next\"")), "{link}");
                query = format!("?format={format}&limit={limit}&cursor={next}");
            }
            None => break,
        }
        assert!(pages.len() < 20, "the cursor must end");
    }
    pages
}

#[test]
fn a_brand_exports_everything_page_by_page_as_json_lines_and_csv() {
    let b = TestBrand::create("export");
    b.configure(json!({"rate_limits": {"per_client": 10000, "per_brand": 100000}}));
    let hostile = [
        ("Ana", "=HYPERLINK(\"http://evil.example\",\"click\")"),
        ("Bea, \"the\" reviewer", "line one\nline two, with \"quotes\""),
        ("ليلى", "رائع جدا 👟 +1"),
        ("Dan", "-2 stars would be fair"),
        ("Eve", "@mention and plain text"),
    ];
    let mut ids = Vec::new();
    for (name, body) in hostile {
        let mut t = testimonial("Writer", 4, Some("sku-x"));
        t["display_name"] = json!(name);
        t["email"] = json!("writer@example.com");
        t["body"] = json!(format!("{body} (long enough to be a review)"));
        let r = post_json(&format!("/v1/brands/{}/testimonials", b.id), &[("x-kindred-member", MEMBER)], &t);
        assert_eq!(r.status, 201, "{}", r.text());
        ids.push(r.json()["id"].as_str().unwrap().to_owned());
    }
    assert_eq!(b.approve(&ids[0]).status, 200);
    // Another brand's testimonial never shows.
    let other = TestBrand::create("export-other");
    let theirs = other.submit(&testimonial("Other", 5, None)).json()["id"].as_str().unwrap().to_owned();
    // A referrer and a community thread by the same member token.
    let r = post_json(&format!("/v1/brands/{}/referrers", b.id), &[("x-kindred-member", MEMBER)], &json!({"name": "Ana", "email": "ana.export@example.com"}));
    assert!(r.status < 300, "{}", r.text());
    let g = b.admin("POST", &format!("/v1/admin/brands/{}/groups", b.id), Some(&json!({"name": "Runners", "description": "Trail talk", "visibility": "public", "moderation": "post"})));
    assert_eq!(g.status, 201, "{}", g.text());
    let g = g.json()["id"].as_str().unwrap().to_owned();
    let member = |method: &str, path: &str, body: serde_json::Value| request(method, path, &[("x-kindred-member", MEMBER), ("content-type", "application/json")], Some(body.to_string().as_bytes()));
    assert!(member("POST", &format!("/v1/brands/{}/groups/{g}/join", b.id), json!({"display_name": "Ana"})).status < 300);
    let th = member("POST", &format!("/v1/brands/{}/groups/{g}/threads", b.id), json!({"title": "Best trails?", "body": "Where do you run, =SUM(A1)?"}));
    assert!(th.status < 300, "{}", th.text());
    // A reaction, a report by another member, and a purchase sent for review.
    let tid = th.json()["id"].as_str().unwrap().to_owned();
    assert!(member("POST", &format!("/v1/brands/{}/threads/{tid}/reactions", b.id), json!({"kind": "like"})).status < 300);
    let second = |method: &str, path: &str, body: serde_json::Value| request(method, path, &[("x-kindred-member", "member-export-secret-0002"), ("content-type", "application/json")], Some(body.to_string().as_bytes()));
    assert!(second("POST", &format!("/v1/brands/{}/groups/{g}/join", b.id), json!({"display_name": "Bo"})).status < 300);
    let rep = second("POST", &format!("/v1/brands/{}/threads/{tid}/report", b.id), json!({"reason": "off_topic"}));
    assert!(rep.status < 300, "{}", rep.text());
    let order = b.admin("POST", &format!("/v1/admin/brands/{}/orders", b.id), Some(&json!({"order_id": "order-77", "email": "buyer@example.com", "products": ["sku-1"]})));
    assert!(order.status < 300, "{}", order.text());

    // JSON Lines, two rows a page: every testimonial exactly once, in order.
    let pages = all_pages(&b, "testimonials", "jsonl", 2);
    assert_eq!(pages.len(), 3);
    let rows: Vec<serde_json::Value> = pages.iter().flat_map(|p| p.lines().map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()).collect::<Vec<_>>()).collect();
    assert_eq!(rows.iter().map(|r| r["id"].as_str().unwrap().to_owned()).collect::<Vec<_>>(), ids);
    assert_eq!(rows[0]["status"], "approved");
    assert_eq!(rows[1]["author_name"], "Bea, \"the\" reviewer");
    assert_eq!(rows[0]["author_email"], "writer@example.com", "the brand's customers' emails are the brand's");
    assert_eq!(rows[0]["tags"], json!(["trail running"]), "JSON columns as JSON");
    assert_eq!(rows[0]["verified_buyer"], json!(false));
    let everything: String = kindred_core::export::Dataset::ALL
        .iter()
        .map(|d| d.as_str())
        .flat_map(|d| all_pages(&b, d, "jsonl", 1000))
        .collect();
    assert!(!everything.contains(MEMBER) && !everything.contains("member-export"), "a member token is a shopper's secret");
    assert!(!everything.contains(&theirs) && !everything.contains("Other really likes"), "another brand's row");
    assert!(everything.contains("ana.export@example.com") && everything.contains("Best trails?") && everything.contains("Runners"));
    assert!(all_pages(&b, "reactions", "jsonl", 1000).concat().contains(&format!("\"target_id\":\"{tid}\"")), "reactions");
    assert!(all_pages(&b, "reports", "jsonl", 1000).concat().contains("off_topic"), "reports");
    assert!(all_pages(&b, "review_orders", "jsonl", 1000).concat().contains("buyer@example.com"), "purchases sent for review");
    assert!(all_pages(&b, "review_requests", "jsonl", 1000).concat().contains("\"order_id\":\"order-77\""), "review links");
    let memberships = all_pages(&b, "memberships", "jsonl", 1000).concat();
    assert!(memberships.contains(&g) && memberships.contains("\"display_name\":\"Ana\""), "who is in which group: {memberships}");
    let consents = all_pages(&b, "consents", "jsonl", 1000).concat();
    assert_eq!(consents, "", "nobody consented here");

    // CSV, pages put together: one header, every row, read back exactly;
    // what a spreadsheet would run is defused.
    let csv_text: String = all_pages(&b, "testimonials", "csv", 2).concat();
    assert!(csv_text.starts_with("\u{FEFF}\"id\",") && csv_text.matches('\u{FEFF}').count() == 1, "one byte order mark, for Excel");
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 5, "{csv_text}");
    assert_eq!(&records[1][col("author_name")], "Bea, \"the\" reviewer");
    assert!(records[1][col("body")].starts_with("line one\nline two, with \"quotes\""));
    assert!(records[0][col("body")].starts_with("'=HYPERLINK("), "{}", &records[0][col("body")]);
    assert!(records[3][col("body")].starts_with("'-2 stars"));
    assert!(records[4][col("body")].starts_with("'@mention"));
    assert_eq!(&records[2][col("author_name")], "ليلى");
    let threads = all_pages(&b, "threads", "csv", 1000).concat();
    assert!(threads.contains("'=SUM") || threads.contains("Where do you run, =SUM(A1)?"), "only a cell's start is a formula: {threads}");

    // Bad requests are refused with the parameter named.
    for (q, field) in [("?format=xml", "format"), ("?cursor=abc", "cursor"), ("?cursor=0", "cursor"), ("?limit=0", "limit"), ("?limit=5001", "limit")] {
        let r = export(&b, "testimonials", q);
        r.assert_error(400, "bad_request");
        assert_eq!(r.json()["error"]["field"], field, "{q}");
    }
    export(&b, "secrets", "").assert_error(404, "route_not_found");
    // An empty dataset: a CSV header alone, no next page.
    let empty = export(&TestBrand::create("export-empty"), "coupons", "?format=csv");
    assert_eq!(empty.status, 200);
    assert_eq!(empty.text(), "\u{FEFF}\"code\",\"kind\",\"assigned_to\",\"assigned_at\",\"created_at\"\r\n");
    assert!(empty.header("kindred-next-cursor").is_none());
}

#[test]
fn every_export_page_reads_through_its_brand_index() {
    for d in kindred_core::export::Dataset::ALL {
        let sql = d.page_sql().replace("?1", "'x'").replace("?2", "0").replace("?3", "10");
        let plan = d1_json(&format!("EXPLAIN QUERY PLAN {sql}"));
        let details: Vec<String> = plan[0]["results"].as_array().unwrap().iter().map(|r| r["detail"].as_str().unwrap().to_owned()).collect();
        assert!(details.iter().any(|x| x.contains(&format!("USING INDEX {}_export (brand_id=? AND rowid>?)", d.table()))), "{}: {details:?}", d.as_str());
        assert!(!details.iter().any(|x| x.contains("TEMP B-TREE") || x.starts_with("SCAN")), "{}: {details:?}", d.as_str());
    }
}
