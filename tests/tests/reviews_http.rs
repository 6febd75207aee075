#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Purchase-linked review requests against the real edge: the brand's
//! server reports an order and gets one signed, single-use link per
//! product; a review through a link is a "Verified purchase" (and nothing
//! else makes one); the links can go out by webhook N days later; the
//! customer's opt-out is honoured.

use kindred_tests::{d1_execute, get, receiver, request, testimonial, TestBrand};
use serde_json::{json, Value};
use std::time::Duration;

fn order(b: &TestBrand, body: &Value) -> kindred_tests::Resp {
    b.admin("POST", &format!("/v1/admin/brands/{}/orders", b.id), Some(body))
}

fn token_for(links: &Value, product: &str) -> String {
    links.as_array().unwrap().iter().find(|l| l["product"] == product).unwrap()["token"].as_str().unwrap().to_owned()
}

fn review_with(b: &TestBrand, name: &str, product: &str, token: &str) -> kindred_tests::Resp {
    review_at(&b.id, name, product, token)
}

/// A review through `token` from a page of `product` ("" for none).
fn review_at(brand: &str, name: &str, product: &str, token: &str) -> kindred_tests::Resp {
    let mut t = testimonial(name, 2, Some(product).filter(|p| !p.is_empty()));
    t["review_token"] = json!(token);
    kindred_tests::post_json(&format!("/v1/brands/{brand}/testimonials"), &[], &t)
}

#[test]
fn a_review_through_an_order_link_is_a_verified_purchase_once_and_for_its_product_only() {
    let b = TestBrand::create("orders");
    let first = json!({"order_id": "A-1001", "email": "Ana@Example.com", "products": ["sku-1", "sku-2", "sku-1"]});
    request("POST", &format!("/v1/admin/brands/{}/orders", b.id), &[("content-type", "application/json")], Some(first.to_string().as_bytes())).assert_error(401, "unauthorized");
    for (bad, field) in [
        (json!({"order_id": "", "email": "a@example.com", "products": ["sku-1"]}), "order_id"),
        (json!({"order_id": "A-2", "products": ["sku-1"]}), "email"),
        (json!({"order_id": "A-2", "email": "a@example.com", "products": []}), "products"),
        (json!({"order_id": "A-2", "email": "a@example.com", "products": ["no spaces"]}), "products"),
        (json!({"order_id": "A-2", "email": "a@example.com", "products": ["sku-1"], "send_after_days": 7}), "send_after_days"),
    ] {
        let r = order(&b, &bad);
        r.assert_error(422, "validation_failed");
        assert_eq!(r.json()["error"]["field"], field, "{}", r.text());
    }
    let made = order(&b, &first);
    assert_eq!(made.status, 201, "{}", made.text());
    let m = made.json();
    assert_eq!(m["opted_out"], false);
    assert_eq!(m["links"].as_array().unwrap().len(), 2, "a product bought twice is one link");
    let url = m["links"][0]["url"].as_str().unwrap();
    assert!(url.contains("?kindred_review="), "{url}");
    assert!(m["opt_out_url"].as_str().unwrap().contains(&format!("/reviews/{}/opt-out?token=", b.id)));
    let again = order(&b, &json!({"order_id": "A-1001", "email": "someone@else.example", "products": ["sku-9"]}));
    assert_eq!(again.status, 200, "the same order: the same links");
    assert_eq!(again.json()["links"], m["links"]);

    let t1 = token_for(&m["links"], "sku-1");
    let t2 = token_for(&m["links"], "sku-2");
    // Only with the order's email (a forwarded link, or a brand's own
    // order, makes no verified purchase of someone else's words).
    let r = review_with(&b, "Bob", "sku-1", &t1);
    r.assert_error(422, "validation_failed");
    assert_eq!(r.json()["error"]["field"], "email", "{}", r.text());
    let forged = format!("{}{}", &t1[..t1.len() - 1], if t1.ends_with('0') { '1' } else { '0' });
    review_with(&b, "Ana", "sku-1", &forged).assert_error(422, "validation_failed");
    let other = TestBrand::create("orders-other");
    review_with(&other, "Ana", "sku-1", &t1).assert_error(422, "validation_failed");

    // Two submissions through one link at once (from a page that shows
    // another product, and from one that shows none): one review, for the
    // link's product; the other is refused.
    let (bb, t1a, t1b) = (b.id.clone(), t1.clone(), t1.clone());
    let one = std::thread::spawn(move || review_at(&bb, "Ana", "sku-9", &t1a));
    let bb = b.id.clone();
    let two = std::thread::spawn(move || review_at(&bb, "Ana", "", &t1b));
    let (r1, r2) = (one.join().unwrap(), two.join().unwrap());
    let mut statuses = vec![r1.status, r2.status];
    statuses.sort_unstable();
    assert_eq!(statuses, vec![201, 409], "{} / {}", r1.text(), r2.text());
    let r = if r1.status == 201 { r1 } else { r2 };
    assert_eq!(r.json()["verified_purchase"], true);
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let used = review_with(&b, "Ana", "sku-1", &t1);
    used.assert_error(409, "conflict");
    assert_eq!(used.json()["error"]["field"], "review_token");
    assert_eq!(b.approve(&id).status, 200);
    let plain = b.submit(&testimonial("Pia", 5, Some("sku-1"))).json()["id"].as_str().unwrap().to_owned();
    assert_eq!(b.approve(&plain).status, 200);
    let w = b.widget(Some("sku-1"));
    let flag = |id: &str| w["testimonials"].as_array().unwrap().iter().find(|t| t["id"] == id).unwrap()["verified_purchase"].clone();
    assert_eq!(flag(&id), json!(true));
    assert_eq!(flag(&plain), json!(false));
    let page = get(&format!("/v1/widget/{}?product=sku-1&locale=en", b.id)).json();
    assert_eq!(page["markup"].as_str().unwrap().matches("Verified purchase").count(), 1);
    // The order's answer now says the link was used.
    let after = order(&b, &first).json();
    assert!(after["links"].as_array().unwrap().iter().any(|l| l["product"] == "sku-1" && l["used_at"].is_i64()), "{after}");

    // Nothing else makes a verified purchase: not the shopper's body, not a setting.
    let mut sneaky = testimonial("Sly", 5, Some("sku-2"));
    sneaky["verified_purchase"] = json!(true);
    b.submit(&sneaky).assert_field("verified_purchase");
    let r = b.admin("PATCH", &format!("/v1/admin/brands/{}", b.id), Some(&json!({"verified_purchase": true})));
    r.assert_error(422, "validation_failed");
    assert!(!t2.is_empty());

    // An order known by its customer id only: the customer signs in.
    let c = order(&b, &json!({"order_id": "C-1", "customer": "cust-9", "products": ["sku-3"]}));
    assert_eq!(c.status, 201, "{}", c.text());
    let tc = c.json()["links"][0]["token"].as_str().unwrap().to_owned();
    let r = review_with(&b, "Cy", "sku-3", &tc);
    r.assert_error(422, "validation_failed");
    assert_eq!(r.json()["error"]["field"], "identity");
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let identity = kindred_core::auth::sign_identity(
        &kindred_core::auth::IdentityClaims { brand: b.id.clone(), sub: "cust-9".into(), exp: now + 600, name: None, email: None },
        b.identity_secret.as_bytes(),
    )
    .unwrap();
    let mut t = testimonial("Cy", 3, Some("sku-3"));
    t["review_token"] = json!(tc);
    t["identity"] = json!(identity);
    let r = b.submit(&t);
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["verified_purchase"], true);
}

#[test]
fn links_go_out_by_webhook_days_later_and_an_opt_out_stops_everything() {
    let b = TestBrand::create("orders-hook");
    let (url, hooks) = receiver(vec![200, 200, 200]);
    b.configure(json!({"review_webhook_url": url}));
    let day = 86_400_000i64;
    let ordered_at = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64 - day;
    let r = order(&b, &json!({"order_id": "H-1", "email": "hana@example.com", "customer": "cust-h", "products": ["sku-1"], "ordered_at": ordered_at, "send_after_days": 3}));
    assert_eq!(r.status, 201, "{}", r.text());
    let m = r.json();
    assert_eq!(m["send_at"], ordered_at + 3 * day);
    let log = || b.admin("GET", &format!("/v1/admin/brands/{}/webhooks", b.id), None).json()["deliveries"].as_array().cloned().unwrap_or_default();
    let d = log().into_iter().find(|d| d["event"] == "review.requested").expect("scheduled");
    assert_eq!(d["status"], "pending");
    assert_eq!(d["next_attempt_at"], ordered_at + 3 * day);
    // Not before its day: the cron leaves it.
    assert!(get("/__scheduled?cron=*+*+*+*+*").status < 400);
    assert!(hooks.recv_timeout(Duration::from_secs(2)).is_err(), "sent before its day");
    // Its day comes.
    d1_execute(&format!("UPDATE webhook_deliveries SET next_attempt_at = next_attempt_at - {} WHERE id = '{}'", 3 * day, d["id"].as_str().unwrap()));
    assert!(get("/__scheduled?cron=*+*+*+*+*").status < 400);
    let (headers, body) = hooks.recv_timeout(Duration::from_secs(10)).expect("the review request arrives");
    assert!(headers.iter().any(|(k, _)| k == "kindred-signature"), "signed like every webhook");
    let sent: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(sent["event"], "review.requested");
    assert_eq!(sent["email"], "hana@example.com");
    assert_eq!(sent["links"][0]["token"], m["links"][0]["token"]);
    assert_eq!(sent["opt_out_url"], m["opt_out_url"]);

    // A second order, scheduled; then the customer opts out.
    let r = order(&b, &json!({"order_id": "H-2", "email": "HANA@example.com", "products": ["sku-2"], "send_after_days": 5}));
    assert_eq!(r.status, 201, "{}", r.text());
    let unused = r.json()["links"][0]["token"].as_str().unwrap().to_owned();
    let opt_out = m["opt_out_url"].as_str().unwrap();
    let path = &opt_out[opt_out.find("/reviews/").unwrap()..];
    let page = get(path);
    assert_eq!(page.status, 200);
    assert!(page.text().contains("<form method=\"post\">"), "{}", page.text());
    assert!(page.header("content-security-policy").is_some_and(|c| c.contains("form-action 'self'")));
    assert_eq!(order(&b, &json!({"order_id": "H-3", "email": "hana@example.com", "products": ["sku-3"]})).json()["opted_out"], false, "a GET (a mail scanner) changes nothing");
    let done = request("POST", path, &[], None);
    assert_eq!(done.status, 200, "{}", done.text());
    assert!(done.text().contains("will not ask you for reviews again"));
    let r = order(&b, &json!({"order_id": "H-4", "email": "hana@example.com", "products": ["sku-3"], "send_after_days": 1}));
    assert_eq!(r.status, 201);
    assert_eq!(r.json()["opted_out"], true);
    assert_eq!(r.json()["links"], json!([]));
    assert!(r.json().get("send_at").is_none());
    let h2 = log().into_iter().filter(|d| d["event"] == "review.requested").find(|d| d["payload"].as_str().unwrap().contains("H-2")).unwrap();
    assert_eq!(h2["status"], "failed", "{h2}");
    review_with(&b, "Hana", "sku-2", &unused).assert_error(422, "validation_failed");
    // Known by the customer id alone now: still opted out (stored under both).
    let r = order(&b, &json!({"order_id": "H-5", "customer": "cust-h", "products": ["sku-1"]}));
    assert_eq!(r.json()["opted_out"], true, "{}", r.text());
    // A bad opt-out token is refused, and says nothing.
    request("POST", &format!("/reviews/{}/opt-out?token=0123456789abcdef01234567.00000000000000000000000000000000", b.id), &[], None).assert_error(400, "bad_request");
}

#[test]
fn guessing_the_address_of_an_order_link_counts_against_the_guesser() {
    // A refused review link says whether the address is the order's: each
    // guess counts in the client's own limits, so a forwarded link cannot
    // be tried address by address (helper-90: 45 guesses in seconds, the
    // 46th a verified purchase under the buyer's address).
    let b = TestBrand::create("orders-guess");
    b.configure(json!({"rate_limits": {"per_client": 3, "per_brand": 100000}}));
    let m = order(&b, &json!({"order_id": "G-1", "email": "victim.name@example.com", "products": ["sku-1"]})).json();
    let t = token_for(&m["links"], "sku-1");
    for guess in ["Bob", "Cara", "Dev"] {
        let r = review_with(&b, guess, "sku-1", &t);
        r.assert_error(422, "validation_failed");
        assert_eq!(r.json()["error"]["field"], "email", "{}", r.text());
    }
    let r = review_with(&b, "Eve", "sku-1", &t);
    assert_eq!(r.status, 429, "the fourth guess within the hour: {}", r.text());
}
