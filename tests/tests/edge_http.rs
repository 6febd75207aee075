#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The edge over HTTP: a real workerd with local D1 and KV, seeded with the
//! demo data (xtask/src/seed.rs).

use kindred_core::widget::WidgetPayload;
use kindred_tests::{get, get_with, request, site_origin};

fn payload(path: &str) -> WidgetPayload {
    let r = get(path);
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.header("content-type").unwrap_or_default().starts_with("application/json"));
    serde_json::from_slice(&r.body).unwrap_or_else(|e| panic!("not a WidgetPayload ({e}): {}", r.text()))
}

#[test]
fn health_is_constant_json() {
    let r = get("/healthz");
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["ok"], true);
    assert_eq!(request("HEAD", "/healthz", &[], None).status, 200);
}

#[test]
fn brand_wide_widget_shows_only_approved_testimonials_of_that_brand() {
    let p = payload("/v1/widget/acme");
    assert_eq!(p.brand.id, "acme");
    assert_eq!(p.brand.name, "Acme Outdoors");
    assert_eq!(p.brand.incentive.as_deref(), Some("Give 15%, get $10"));
    assert!(p.product.is_none());
    // 8 approved acme testimonials: 5+4+5+3+5+4+5+5 = 36, mean 4.5.
    assert_eq!(p.aggregate.count, 8);
    assert_eq!(p.aggregate.average, 4.5);
    assert_eq!(p.aggregate.histogram, [0, 0, 1, 2, 5]);
    assert_eq!(p.testimonials.len(), 8);
    assert!(p.next_cursor.is_none());
    assert!(p.testimonials.iter().all(|t| t.author_name != "Pending Pete"), "pending shown");
    assert!(p.testimonials.iter().all(|t| t.author_name != "Gia"), "another brand's testimonial shown");
    // Newest first.
    assert!(p.testimonials.windows(2).all(|w| w[0].created_at >= w[1].created_at));
}

#[test]
fn product_widget_is_scoped_to_the_product() {
    let p = payload("/v1/widget/acme?product=trail-runner-2");
    let product = p.product.expect("known product is described");
    assert_eq!(product.name, "Trail Runner 2");
    assert_eq!(p.aggregate.count, 4);
    assert!((p.aggregate.average - 4.3).abs() < 1e-6, "{}", p.aggregate.average);
    let ana = p.testimonials.iter().find(|t| t.author_name == "Ana R.").expect("Ana's testimonial");
    assert!(ana.verified_buyer && ana.ambassador);
    assert_eq!(ana.tags, vec!["trail running".to_owned()]);
}

#[test]
fn unknown_product_is_an_empty_widget_not_an_error() {
    let p = payload("/v1/widget/acme?product=brand-new-sku");
    assert!(p.product.is_none());
    assert_eq!(p.aggregate.count, 0);
    assert!(p.testimonials.is_empty());
}

#[test]
fn public_responses_never_carry_emails() {
    for path in ["/v1/widget/acme", "/v1/widget/acme?product=trail-runner-2", "/v1/widget/globex"] {
        let body = get(path).text();
        assert!(!body.contains('@'), "{path} leaks an email: {body}");
        assert!(!body.contains("author_email"), "{path}");
    }
}

#[test]
fn unknown_brand_is_a_json_404() {
    get("/v1/widget/no-such-brand").assert_error(404, "brand_not_found");
    // Errors carry no brand data; the embedding page may read them.
    let r = get_with("/v1/widget/no-such-brand", &[("origin", "https://any-shop.example")]);
    r.assert_error(404, "brand_not_found");
    assert_eq!(r.header("access-control-allow-origin"), Some("https://any-shop.example"));
}

#[test]
fn malformed_ids_are_json_400s() {
    get("/v1/widget/Bad%20Brand").assert_error(400, "bad_request");
    get("/v1/widget/ACME").assert_error(400, "bad_request");
    get("/v1/widget/a").assert_error(400, "bad_request");
    let r = get("/v1/widget/acme?product=a%20b");
    r.assert_error(400, "bad_request");
    assert_eq!(r.json()["error"]["field"], "product");
    let long = "p".repeat(65);
    get(&format!("/v1/widget/acme?product={long}")).assert_error(400, "bad_request");
}

#[test]
fn unknown_routes_and_methods_are_json_errors() {
    get("/v1/nope").assert_error(404, "route_not_found");
    get("/definitely/not/here").assert_error(404, "route_not_found");
    get("/v1/widget").assert_error(404, "route_not_found");
    get("/v1/widget/acme/extra").assert_error(404, "route_not_found");
    request("POST", "/v1/widget/acme", &[("content-type", "application/json")], Some(b"{}"))
        .assert_error(405, "method_not_allowed");
    request("DELETE", "/healthz", &[], None).assert_error(405, "method_not_allowed");
}

#[test]
fn nothing_a_client_sends_causes_a_5xx() {
    let weird_paths = [
        "/v1/widget/%00",
        "/v1/widget/%E2%80%AE",
        "/v1/widget/acme?product=%00",
        "/v1/widget/acme?product=%F0%9F%98%80",
        "/v1/widget/acme?product=&product=x",
        "/v1/widget/acme?%zz",
        "/v1//widget//acme",
        "/v1/widget/..%2F..%2Fetc",
        "/%2e%2e/",
    ];
    for path in weird_paths {
        let r = get(path);
        assert!(r.status < 500, "{path} -> {} {}", r.status, r.text());
        if r.status >= 400 {
            assert!(r.json()["error"]["code"].is_string(), "{path}: {}", r.text());
        }
    }
    for method in ["PUT", "PATCH", "DELETE", "POST"] {
        let r = request(method, "/v1/widget/acme", &[("content-type", "text/plain")], Some(b"\xff\xfe garbage"));
        assert!(r.status < 500, "{method} -> {}", r.status);
    }
}

#[test]
fn cors_echoes_only_the_brands_own_origin() {
    let origin = site_origin();
    let r = get_with("/v1/widget/acme", &[("origin", &origin)]);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("access-control-allow-origin"), Some(origin.as_str()));
    // A loader fetched by a tag without `crossorigin` asks with credentials
    // (one connection with the loader's); the edge uses no cookie.
    assert_eq!(r.header("access-control-allow-credentials"), Some("true"));
    assert!(r.header("vary").unwrap_or_default().contains("Origin"));

    for stranger in ["https://evil.example", "https://globex.example", "null"] {
        let r = get_with("/v1/widget/acme", &[("origin", stranger)]);
        assert_eq!(r.status, 200);
        assert_eq!(r.header("access-control-allow-origin"), None, "{stranger} was allowed");
        assert_eq!(r.header("access-control-allow-credentials"), None, "{stranger} was allowed");
        assert!(r.header("vary").unwrap_or_default().contains("Origin"));
    }
    // globex allows its own origin, not acme's storefront.
    let r = get_with("/v1/widget/globex", &[("origin", &origin)]);
    assert_eq!(r.header("access-control-allow-origin"), None);
}

#[test]
fn preflight_is_answered_per_brand() {
    let origin = site_origin();
    let pre = |brand: &str, o: &str| {
        request(
            "OPTIONS",
            &format!("/v1/widget/{brand}"),
            &[("origin", o), ("access-control-request-method", "GET")],
            None,
        )
    };
    let r = pre("acme", &origin);
    assert_eq!(r.status, 204);
    assert_eq!(r.header("access-control-allow-origin"), Some(origin.as_str()));
    assert!(r.header("access-control-allow-methods").unwrap_or_default().contains("GET"));
    assert!(r.header("vary").unwrap_or_default().contains("Origin"));
    pre("acme", "https://evil.example").assert_error(403, "origin_not_allowed");
    pre("globex", &origin).assert_error(403, "origin_not_allowed");
    pre("no-such-brand", &origin).assert_error(404, "brand_not_found");
}

#[test]
fn second_read_is_served_from_the_kv_copy_with_the_same_cors() {
    let origin = site_origin();
    let path = "/v1/widget/acme?product=yoga-mat-pro";
    let first = get_with(path, &[("origin", &origin)]);
    assert_eq!(first.status, 200);
    // The copy is written after the first response (waitUntil); allow it a moment.
    let mut hit = None;
    for _ in 0..40 {
        let r = get_with(path, &[("origin", &origin)]);
        // A KV copy ("hit"), or this isolate's brief memory of one ("isolate").
        if matches!(r.header("x-kindred-cache"), Some("hit" | "isolate")) {
            hit = Some(r);
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let hit = hit.expect("a KV hit within 4 s");
    assert_eq!(hit.json(), first.json(), "cached payload differs from D1's");
    assert_eq!(hit.header("access-control-allow-origin"), Some(origin.as_str()));
    let evil = get_with(path, &[("origin", "https://evil.example")]);
    assert_eq!(evil.header("access-control-allow-origin"), None);
}
