//! Analytics (`kindred_core::analytics`) against the real edge: counters D1
//! keeps by trigger whichever route writes, beacons through the
//! `kindred-events` queue, the range and product filter, and nothing
//! written on the first-paint path.

use kindred_tests::*;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

fn analytics(b: &TestBrand, query: &str) -> Value {
    let r = b.admin("GET", &format!("/v1/admin/brands/{}/analytics{query}", b.id), None);
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
}

/// The series `key` of chart `chart`: its total over the range.
fn total(a: &Value, chart: &str, key: &str) -> i64 {
    a["charts"].as_array().and_then(|c| c.iter().find(|c| c["id"] == chart)).and_then(|c| c["series"].as_array()).and_then(|s| s.iter().find(|s| s["key"] == key)).map_or(0, |s| s["total"].as_i64().unwrap_or(0))
}

fn member(n: &str) -> String {
    format!("member-{n:0>20}")
}

fn beacon(b: &TestBrand, origin: &str, body: &str) -> Resp {
    request("POST", &format!("/v1/brands/{}/events", b.id), &[("origin", origin), ("content-type", "text/plain;charset=UTF-8")], Some(body.as_bytes()))
}

/// Waits (at most 30 s) until `check` holds for the brand's analytics.
fn eventually(b: &TestBrand, query: &str, check: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let a = analytics(b, query);
        if check(&a) {
            return a;
        }
        assert!(Instant::now() < deadline, "analytics never got there: {a}");
        std::thread::sleep(Duration::from_millis(500));
    }
}

#[test]
fn every_funnel_counts_what_happened_whichever_route_wrote_it() {
    let b = TestBrand::create("analytics");
    b.configure(json!({
        "referral": { "landing_url": "https://shop.example/welcome", "referee_offer": "15% off" },
        "rate_limits": { "per_client": 10000, "per_brand": 100000 },
    }));
    // Testimonials: three submitted for sku-1, one for the brand; two approved (4 and 5 stars).
    let mut ids = Vec::new();
    for (name, stars, product) in [("Ana", 5, Some("sku-1")), ("Bea", 4, Some("sku-1")), ("Cai", 2, Some("sku-1")), ("Dov", 5, None)] {
        let r = b.submit(&testimonial(name, stars, product));
        assert_eq!(r.status, 201, "{}", r.text());
        ids.push(r.json()["id"].as_str().unwrap().to_owned());
    }
    assert_eq!(b.approve(&ids[0]).status, 200);
    assert_eq!(b.approve(&ids[1]).status, 200);
    assert_eq!(b.approve(&ids[1]).status, 200, "approving twice counts once");
    // Rejected and approved again: still one approval.
    assert_eq!(b.reject(&ids[1], "other").status, 422, "other needs a note");
    assert_eq!(b.admin("POST", &format!("/v1/admin/brands/{}/testimonials/{}/reject", b.id, ids[1]), Some(&json!({"reason": "other", "note": "checking"}))).status, 200);
    assert_eq!(b.approve(&ids[1]).status, 200);
    // Imports are the source's history: counted nowhere.
    let imp = b.admin("POST", &format!("/v1/admin/brands/{}/imports", b.id), Some(&json!({ "source": "okendo", "records": [{ "rating": 5, "body": "Old review.", "reviewerName": "Old", "productId": "sku-1" }] })));
    assert_eq!(imp.json()["imported"], 1, "{}", imp.text());

    // Referrals: a referrer joins, a friend clicks and claims, a referred purchase.
    let r = post_json(&format!("/v1/brands/{}/referrers", b.id), &[("x-kindred-member", &member("ana"))], &json!({"name": "Ana", "email": "ana@example.com"}));
    assert_eq!(r.status, 201, "{}", r.text());
    let code = r.json()["code"].as_str().unwrap().to_owned();
    assert_eq!(get(&format!("/r/{code}")).status, 302);
    let friend = member("friend");
    let claim = post_json(&format!("/v1/brands/{}/referrals/claim", b.id), &[("x-kindred-member", &friend), ("cf-connecting-ip", &address_of(&friend))], &json!({"code": code}));
    assert!(claim.status < 300, "{}", claim.text());
    let bought = b.admin("POST", &format!("/v1/admin/brands/{}/conversions", b.id), Some(&json!({"order_id": "o-1", "referee_email": "friend@example.com", "amount_minor": 5900, "currency": "EUR", "code": code})));
    assert_eq!(bought.json()["status"], "approved", "{}", bought.text());
    // A purchase with no referral is not referred revenue.
    b.admin("POST", &format!("/v1/admin/brands/{}/conversions", b.id), Some(&json!({"order_id": "o-2", "referee_email": "x@example.com", "amount_minor": 100, "currency": "EUR"})));

    // Community: two members, a thread and two replies from one of them.
    let g = b.admin("POST", &format!("/v1/admin/brands/{}/groups", b.id), Some(&json!({"name": "Runners", "description": "Trail people", "visibility": "public", "moderation": "post"}))).json()["id"].as_str().unwrap().to_owned();
    let call = |m: &str, path: String, body: Value| request("POST", &path, &[("x-kindred-member", m), ("content-type", "application/json")], Some(body.to_string().as_bytes()));
    let (ana, bo) = (member("c-ana"), member("c-bo"));
    assert!(call(&ana, format!("/v1/brands/{}/groups/{g}/join", b.id), json!({"display_name": "Ana"})).status < 300);
    assert!(call(&bo, format!("/v1/brands/{}/groups/{g}/join", b.id), json!({"display_name": "Bo"})).status < 300);
    let t = call(&ana, format!("/v1/brands/{}/groups/{g}/threads", b.id), json!({"title": "Long runs", "body": "What do you eat after 30 km?"}));
    let tid = t.json()["id"].as_str().unwrap().to_owned();
    for body in ["Dates and salt.", "And water, lots."] {
        assert!(call(&bo, format!("/v1/brands/{}/threads/{tid}/replies", b.id), json!({"body": body})).status < 300);
    }

    let a = eventually(&b, "", |a| total(a, "referral_funnel", "link_clicked") == 1);
    assert_eq!(a["days"].as_array().map(Vec::len), Some(30), "the last 30 days by default");
    for (chart, key, want) in [
        ("testimonial_funnel", "submitted", 4),
        ("testimonial_funnel", "approved", 2),
        ("ratings", "rating_5", 1),
        ("ratings", "rating_4", 1),
        ("ratings", "rating_2", 0),
        ("referral_funnel", "referrer_joined", 1),
        ("referral_funnel", "offer_claimed", 1),
        ("referral_funnel", "purchase", 1),
        ("revenue", "revenue_EUR", 5900),
        ("community", "member_joined", 2),
        ("community", "thread_started", 1),
        ("community", "reply_posted", 2),
        ("community", "active_members", 2),
    ] {
        assert_eq!(total(&a, chart, key), want, "{chart}/{key}: {a}");
    }
    // Today's value sits on today's day.
    let last = a["charts"][0]["series"][2]["values"].as_array().unwrap().last().cloned();
    assert_eq!(last, Some(json!(4)), "{a}");

    // One product's funnel; the referral charts stay the brand's.
    let p = analytics(&b, "?product=sku-1");
    assert_eq!((total(&p, "testimonial_funnel", "submitted"), total(&p, "testimonial_funnel", "approved")), (3, 2));
    assert_eq!(total(&p, "referral_funnel", "referrer_joined"), 1);

    // Ranges: explicit, bounded, and named when wrong.
    let r = analytics(&b, "?from=2026-01-01&to=2026-01-07");
    assert_eq!(r["days"].as_array().map(Vec::len), Some(7));
    assert_eq!(total(&r, "testimonial_funnel", "submitted"), 0);
    for (q, field) in [("?from=2020-01-01&to=2026-01-01", "from"), ("?from=2026-02-01&to=2026-01-01", "to"), ("?from=soon", "from"), ("?product=a%20b", "product")] {
        let r = b.admin("GET", &format!("/v1/admin/brands/{}/analytics{q}", b.id), None);
        r.assert_error(400, "bad_request");
        assert_eq!(r.json()["error"]["field"], field, "{q}");
    }
    // Another brand's key reads nothing.
    let other = TestBrand::create("analytics-other");
    let r = request("GET", &format!("/v1/admin/brands/{}/analytics", b.id), &[("authorization", &other.bearer())], None);
    assert_eq!(r.status, 403);
}

#[test]
fn beacons_count_views_forms_and_shares_through_the_queue_from_allowed_origins_only() {
    let b = TestBrand::create("analytics-beacon");
    let site = site_origin();
    // Per-product counters exist for products with approved testimonials.
    let t = b.submit(&testimonial("Ana", 5, Some("sku-9")));
    assert_eq!(b.approve(t.json()["id"].as_str().unwrap()).status, 200);
    for _ in 0..3 {
        let r = beacon(&b, &site, r#"{"events":[{"kind":"widget_view","product":"sku-9"}]}"#);
        assert_eq!(r.status, 202, "{}", r.text());
    }
    assert_eq!(beacon(&b, &site, r#"{"events":[{"kind":"form_open","product":"sku-9"},{"kind":"link_shared"}]}"#).status, 202);
    // Only what the browser alone sees; well-formed; from the brand's sites.
    beacon(&b, &site, r#"{"events":[{"kind":"submitted"}]}"#).assert_error(422, "validation_failed");
    let many = json!({ "events": vec![json!({"kind": "widget_view"}); 4] }).to_string();
    beacon(&b, &site, &many).assert_error(422, "validation_failed");
    beacon(&b, &site, "{not json").assert_error(400, "invalid_json");
    beacon(&b, &site, r#"{"events":[{"kind":"widget_view","product":"no spaces"}]}"#).assert_field("events");
    beacon(&b, &site, r#"{"events":[{"kind":"widget_view","count":2}]}"#).assert_field("events[0].count");
    assert_eq!(beacon(&b, "https://evil.example", r#"{"events":[{"kind":"widget_view"}]}"#).status, 403);
    // A script without an Origin is not a shopper's browser.
    let bare = request("POST", &format!("/v1/brands/{}/events", b.id), &[("content-type", "text/plain")], Some(br#"{"events":[{"kind":"widget_view"}]}"#));
    assert_eq!(bare.status, 403, "{}", bare.text());
    // Made-up products add no rows of their own (the brand's count still moves).
    assert_eq!(beacon(&b, &site, r#"{"events":[{"kind":"widget_view","product":"made-up-1"}]}"#).status, 202);

    let a = eventually(&b, "", |a| total(a, "testimonial_funnel", "widget_view") == 4 && total(a, "referral_funnel", "link_shared") == 1);
    assert_eq!(total(&analytics(&b, "?product=made-up-1"), "testimonial_funnel", "widget_view"), 0);
    let rows = d1_json(&format!("SELECT COUNT(*) AS n FROM daily_counts WHERE brand_id = '{}' AND dim = 'made-up-1'", b.id));
    assert_eq!(rows[0]["results"][0]["n"], 0, "{rows}");
    assert_eq!(total(&a, "testimonial_funnel", "form_open"), 1);
    let p = analytics(&b, "?product=sku-9");
    assert_eq!((total(&p, "testimonial_funnel", "widget_view"), total(&p, "testimonial_funnel", "form_open")), (3, 1));
    assert_eq!(total(&analytics(&b, "?product=sku-1"), "testimonial_funnel", "widget_view"), 0);
}

#[test]
fn the_first_paint_writes_nothing_to_d1() {
    let b = TestBrand::create("analytics-paint");
    let r = b.submit(&testimonial("Ana", 5, None));
    b.approve(r.json()["id"].as_str().unwrap());
    for _ in 0..3 {
        let r = get(&format!("/v1/widget/{}", b.id));
        assert_eq!(r.status, 200);
        let timing = r.header("server-timing").expect("Server-Timing (D1_METER is on in tests)").to_owned();
        assert!(timing.contains("d1-write;desc=0"), "the first paint wrote to D1: {timing}");
    }
}
