#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The admin API's authorization matrix and brand configuration.

use kindred_tests::{env, get, get_with, post_json, request, site_origin, testimonial, TestBrand};
use serde_json::json;

/// Every admin route of `brand`, with a body where it needs one.
fn admin_routes(brand: &str, testimonial: &str) -> Vec<(&'static str, String, Option<serde_json::Value>)> {
    vec![
        ("GET", format!("/v1/admin/brands/{brand}"), None),
        ("PATCH", format!("/v1/admin/brands/{brand}"), Some(json!({"name": "Hijacked"}))),
        ("GET", format!("/v1/admin/brands/{brand}/testimonials?status=pending"), None),
        ("GET", format!("/v1/admin/brands/{brand}/moderation/ledger"), None),
        ("POST", format!("/v1/admin/brands/{brand}/testimonials/{testimonial}/approve"), None),
        ("POST", format!("/v1/admin/brands/{brand}/testimonials/{testimonial}/reject"), Some(json!({"reason": "spam"}))),
        ("POST", format!("/v1/admin/brands/{brand}/testimonials/{testimonial}/feature"), None),
        ("POST", format!("/v1/admin/brands/{brand}/testimonials/{testimonial}/unfeature"), None),
        ("DELETE", format!("/v1/admin/brands/{brand}/testimonials/{testimonial}"), None),
    ]
}

fn call(method: &str, path: &str, auth: Option<&str>, body: Option<&serde_json::Value>) -> kindred_tests::Resp {
    let mut headers: Vec<(&str, &str)> = vec![("content-type", "application/json")];
    if let Some(a) = auth {
        headers.push(("authorization", a));
    }
    let bytes = body.map(|b| b.to_string().into_bytes());
    request(method, path, &headers, bytes.as_deref())
}

#[test]
fn a_brands_key_opens_nothing_of_another_brand() {
    let a = TestBrand::create("auth-a");
    let b = TestBrand::create("auth-b");
    let b_item = b.submit(&testimonial("Bea", 5, None)).json()["id"].as_str().unwrap().to_owned();
    for (method, path, body) in admin_routes(&b.id, &b_item) {
        let r = call(method, &path, Some(&a.bearer()), body.as_ref());
        r.assert_error(403, "forbidden");
        let r = call(method, &path, None, body.as_ref());
        r.assert_error(401, "unauthorized");
        let r = call(method, &path, Some("Bearer kr_sk_nope"), body.as_ref());
        r.assert_error(401, "unauthorized");
        let forged = format!("Bearer kr_sk_{}_{}", b.id, "0".repeat(64));
        let r = call(method, &path, Some(&forged), body.as_ref());
        r.assert_error(401, "unauthorized");
        let r = call(method, &path, Some(&b.key), body.as_ref());
        r.assert_error(401, "unauthorized"); // missing "Bearer "
    }
    // B's testimonial through A's own routes: not found, untouched.
    for (method, path, body) in admin_routes(&a.id, &b_item).into_iter().skip(4) {
        let r = call(method, &path, Some(&a.bearer()), body.as_ref());
        r.assert_error(404, "not_found");
    }
    assert_eq!(b.list("pending").len(), 1);
    assert_eq!(b.admin("GET", &format!("/v1/admin/brands/{}", b.id), None).json()["name"], format!("Test {}", b.id));
    // Keys of an unknown brand: still no hint whether it exists.
    call("GET", "/v1/admin/brands/ghost-brand", Some(&a.bearer()), None).assert_error(403, "forbidden");
}

#[test]
fn only_the_operator_creates_brands_and_secrets_are_shown_once() {
    let body = json!({"id": "op-test-brand", "name": "Op Test", "allowed_origins": ["https://shop.example"]});
    post_json("/v1/admin/brands", &[], &body).assert_error(401, "unauthorized");
    post_json("/v1/admin/brands", &[("authorization", "Bearer wrong-operator-key")], &body).assert_error(401, "unauthorized");
    let op = format!("Bearer {}", env("KINDRED_OPERATOR_KEY"));
    let created = post_json("/v1/admin/brands", &[("authorization", &op)], &body);
    assert_eq!(created.status, 201, "{}", created.text());
    let key = created.json()["admin_key"].as_str().unwrap().to_owned();
    assert!(key.starts_with("kr_sk_op-test-brand_"));
    post_json("/v1/admin/brands", &[("authorization", &op)], &body).assert_error(409, "conflict");
    let cfg = call("GET", "/v1/admin/brands/op-test-brand", Some(&format!("Bearer {key}")), None);
    assert_eq!(cfg.status, 200);
    assert!(!cfg.text().contains(&key), "the key is shown again");
    assert!(!cfg.text().contains("identity_secret"));
    for bad in [json!({"id": "Bad Id", "name": "x"}), json!({"id": "okid", "name": ""}), json!({"id": "okid2", "name": "x", "allowed_origins": ["nope"]})] {
        let r = post_json("/v1/admin/brands", &[("authorization", &op)], &bad);
        r.assert_error(422, "validation_failed");
    }
}

#[test]
fn brand_settings_change_what_shoppers_see_and_bad_settings_change_nothing() {
    let b = TestBrand::create("cfg");
    assert_eq!(b.widget(None)["brand"]["name"], format!("Test {}", b.id));
    b.configure(json!({"name": "Renamed Co", "incentive_copy": "Give 10%, get $5", "accent": "#AA3300"}));
    let w = b.widget(None);
    assert_eq!(w["brand"]["name"], "Renamed Co");
    assert_eq!(w["brand"]["incentive"], "Give 10%, get $5");
    assert_eq!(w["brand"]["accent"], "#aa3300");

    let path = format!("/v1/admin/brands/{}", b.id);
    for bad in [
        json!({"accent": "red"}),
        json!({"allowed_origins": ["javascript:alert(1)"]}),
        json!({"name": "ok", "moderation": {"mode": "auto_approve_min_rating", "min_rating": 0}}),
    ] {
        b.admin("PATCH", &path, Some(&bad)).assert_error(422, "validation_failed");
    }
    // An unknown setting is valid JSON naming a field the brand does not have.
    let unknown = b.admin("PATCH", &path, Some(&json!({"owner": "me"})));
    unknown.assert_error(422, "validation_failed");
    assert_eq!(unknown.json()["error"]["field"], "owner");
    assert_eq!(b.widget(None)["brand"]["name"], "Renamed Co", "a refused update changed something");

    // Origins decide CORS from the next request on.
    let origin = site_origin();
    let allowed = get_with(&format!("/v1/widget/{}", b.id), &[("origin", &origin)]);
    assert_eq!(allowed.header("access-control-allow-origin"), Some(origin.as_str()));
    b.configure(json!({"allowed_origins": ["https://only-this.example"]}));
    let now = get_with(&format!("/v1/widget/{}", b.id), &[("origin", &origin)]);
    assert_eq!(now.header("access-control-allow-origin"), None);
    assert_eq!(get(&format!("/v1/admin/brands/{}", b.id)).status, 401);
}
