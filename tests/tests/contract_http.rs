#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The edge against its one route table (`kindred_core::api::ROUTES`): the
//! served OpenAPI document is exactly the table, every route is dispatched,
//! `405` names the methods, and the authorization matrix generated from the
//! table: every admin, operator and shopper-only route, with every wrong
//! credential, is refused with the right code, leaks nothing and changes
//! nothing. A route added to the table is in this matrix without a line here.

use kindred_core::api::{allow_header, methods_at, Caller, Input, Method, Op, Route, ROUTES};
use kindred_core::auth::{sign_identity, IdentityClaims};
use kindred_tests::{d1_execute, env, get, request, site_origin, testimonial, Resp, TestBrand};
use serde_json::{json, Value};
use std::collections::HashMap;

/// The route's path with its parameters filled from `values` (a fixed-value
/// parameter takes its first value unless `values` names one).
fn concrete(r: &Route, values: &HashMap<&str, String>) -> String {
    r.path
        .split('/')
        .map(|seg| match seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(p) => {
                let (name, fixed) = p.split_once(':').map_or((p, None), |(n, v)| (n, v.split('|').next()));
                values.get(name).cloned().or(fixed.map(str::to_owned)).unwrap_or_else(|| "x1".to_owned())
            }
            None => seg.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// A body the route would accept, so a refusal is about the caller, never
/// the body.
fn body_for(r: &Route) -> Option<Value> {
    Some(match r.input {
        Input::None => return None,
        Input::Image => return Some(json!(null)),
        Input::MergePatch(_) => json!({ "name": "Hijacked" }),
        Input::Json(name) => match name {
            "NewTestimonial" => testimonial("Mallory", 1, None),
            "ReferrerSignup" => json!({ "name": "Mallory M", "email": "mallory@example.com" }),
            "Claim" => json!({ "code": "NOPE1234" }),
            "LinkRequest" => json!({ "email": "mallory@example.com" }),
            "LinkTransfer" => json!({ "token": format!("{}.{}", "0".repeat(24), "0".repeat(32)) }),
            "Join" => json!({ "display_name": "Mallory" }),
            "NewThread" => json!({ "title": "Hijack", "body": "A thread that must never appear." }),
            "NewReply" => json!({ "body": "A reply that must never appear." }),
            "NewInvite" => json!({ "expires_in_hours": 24 }),
            "React" => json!({ "kind": "like" }),
            "Report" => json!({ "reason": "spam" }),
            "Rejection" => json!({ "reason": "spam" }),
            "BulkDecision" => json!({ "action": "approve", "items": [{ "id": "x1" }] }),
            "EventBatch" => json!({ "events": [{ "kind": "widget_view" }] }),
            "ImportChunk" => json!({ "source": "yotpo", "records": [{ "review_score": 5, "review_content": "A review that must never appear.", "display_name": "Mallory" }] }),
            "NewBrandReply" => json!({ "body": "A reply that must never appear." }),
            "ReuseConsent" => json!({ "reuse": true }),
            "TestimonialEdit" => json!({ "body": "An edit that must never appear anywhere." }),
            "NewOrder" => json!({ "order_id": "m-1", "email": "mallory@example.com", "products": ["sku-1"] }),
            "NewBrand" => json!({ "id": "mallory-brand", "name": "Mallory", "allowed_origins": ["https://evil.example"] }),
            "PurchaseReport" => json!({ "order_id": "m-1", "code": "NOPE1234", "amount_minor": 100, "currency": "EUR" }),
            "CouponUpload" => json!({ "kind": "reward", "codes": ["MALLORY1"] }),
            "NewGroup" => json!({ "name": "Mallory's", "description": "Hijacked", "visibility": "public" }),
            "MemberRef" => json!({ "member_key": "m:mallory-member-000001" }),
            other => panic!("no sample body for {other}: add one"),
        },
    })
}

fn call(r: &Route, path: &str, headers: &[(&str, &str)]) -> Resp {
    let body = body_for(r).map(|b| b.to_string().into_bytes());
    let mut h = headers.to_vec();
    if body.is_some() {
        h.push(("content-type", if matches!(r.input, Input::MergePatch(_)) { "application/merge-patch+json" } else { "application/json" }));
    }
    request(r.method.as_str(), path, &h, body.as_deref())
}

/// A refusal: the status and code, and a body that is the error envelope
/// and nothing else, naming none of `secrets`.
fn assert_refused(resp: &Resp, status: u16, code: &str, what: &str, secrets: &[&str]) {
    assert_eq!(resp.status, status, "{what}: {}", resp.text());
    let v = resp.json();
    assert_eq!(v["error"]["code"], code, "{what}: {v}");
    assert_eq!(v.as_object().map(|o| o.len()), Some(1), "{what}: only the error: {v}");
    let text = resp.text();
    for s in secrets {
        assert!(!text.contains(s), "{what}: the body names {s:?}: {text}");
    }
}

fn identity(brand: &str, sub: &str, secret: &str) -> String {
    identity_at(brand, sub, secret, 600)
}

/// An identity token expiring `ttl` seconds from now (negative: expired).
fn identity_at(brand: &str, sub: &str, secret: &str, ttl: i64) -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let claims = IdentityClaims { brand: brand.to_owned(), sub: sub.into(), exp: now + ttl, name: None, email: None };
    sign_identity(&claims, secret.as_bytes()).unwrap()
}

#[test]
fn the_served_document_is_the_route_table() {
    let r = get("/v1/openapi.json");
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap_or_default().starts_with("application/json"));
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    let doc = r.json();
    assert_eq!(doc["openapi"], "3.1.0");
    let mut in_doc = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            in_doc.push((method.to_ascii_uppercase(), path.clone(), op["operationId"].as_str().unwrap().to_owned()));
        }
    }
    let mut in_table: Vec<(String, String, String)> = ROUTES.iter().map(|r| (r.method.as_str().to_owned(), r.openapi_path(), r.op.id())).collect();
    in_doc.sort();
    in_table.sort();
    assert_eq!(in_doc, in_table, "the served document and the route table differ");
    // Every schema a route names is there.
    for r in ROUTES {
        for name in [match r.input {
            Input::Json(n) => Some(n),
            _ => None,
        }]
        .into_iter()
        .flatten()
        {
            assert!(doc["components"]["schemas"].get(name).is_some(), "{name}");
        }
    }
}

#[test]
fn every_route_is_dispatched_and_wrong_methods_are_named() {
    let b = TestBrand::create("routes");
    let values: HashMap<&str, String> = [("brand", b.id.clone())].into_iter().collect();
    for r in ROUTES {
        if r.op == Op::CreateBrand {
            continue;
        }
        let path = concrete(r, &values);
        let resp = call(r, &path, &[]);
        assert!(resp.status < 500, "{} {path}: {}", r.method.as_str(), resp.text());
        if resp.status == 404 || resp.status == 405 {
            let code = resp.json()["error"]["code"].clone();
            assert!(code != "route_not_found" && code != "method_not_allowed", "{} {path} is not dispatched: {code}", r.method.as_str());
        }
        // Every other method at this path: 405 with exactly the routed ones.
        let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let routed = methods_at(&segments);
        for m in [Method::Get, Method::Post, Method::Patch, Method::Delete] {
            if routed.contains(&m) {
                continue;
            }
            let resp = request(m.as_str(), &path, &[], None);
            assert_eq!(resp.status, 405, "{} {path}", m.as_str());
            assert_eq!(resp.header("allow"), Some(allow_header(&routed).as_str()), "{} {path}", m.as_str());
            resp.assert_error(405, "method_not_allowed");
        }
        // Methods no route takes are never read as GET: the worker answers
        // 405 to those the runtime passes on (QUERY among them); the
        // runtime itself answers 501 to methods it does not know.
        for m in ["PUT", "QUERY"] {
            let resp = request(m, &path, &[], None);
            assert_eq!(resp.status, 405, "{m} {path}: {}", resp.text());
            assert_eq!(resp.header("allow"), Some(allow_header(&routed).as_str()), "{m} {path}");
        }
        let resp = request("FOO", &path, &[], None);
        assert!(matches!(resp.status, 405 | 501), "FOO {path}: {} {}", resp.status, resp.text());
        // A cross-origin route's preflight allows exactly the routed methods.
        if r.cors {
            let origin = site_origin();
            let pre = request("OPTIONS", &path, &[("origin", &origin), ("access-control-request-method", r.method.as_str())], None);
            assert_eq!(pre.status, 204, "OPTIONS {path}: {}", pre.text());
            assert_eq!(pre.header("access-control-allow-methods"), Some(allow_header(&routed).as_str()), "{path}");
        }
    }
    // Admin paths have no preflight: the console is same-origin.
    let pre = request("OPTIONS", &format!("/v1/admin/brands/{}", b.id), &[("origin", &site_origin())], None);
    assert_eq!(pre.status, 405, "{}", pre.text());
}

/// A brand with content in a private group: the victim of the matrix.
struct Victim {
    brand: TestBrand,
    testimonial: String,
    group: String,
    thread: String,
    reply: String,
    member: String,
}

fn victim() -> Victim {
    let brand = TestBrand::create("victim");
    brand.configure(json!({"rate_limits": {"per_client": 10000, "per_brand": 100000}}));
    let t = brand.submit(&testimonial("Vera Secret", 5, None)).json()["id"].as_str().unwrap().to_owned();
    assert_eq!(brand.approve(&t).status, 200);
    let g = brand.admin(
        "POST",
        &format!("/v1/admin/brands/{}/groups", brand.id),
        Some(&json!({"name": "Inner circle", "description": "Private", "visibility": "private", "moderation": "post"})),
    );
    assert_eq!(g.status, 201, "{}", g.text());
    let group = g.json()["id"].as_str().unwrap().to_owned();
    let member = "victim-member-00000001".to_owned();
    let id = identity(&brand.id, "cust-vera", &brand.identity_secret);
    let h = [("x-kindred-member", member.as_str()), ("x-kindred-identity", id.as_str()), ("content-type", "application/json")];
    let j = request("POST", &format!("/v1/brands/{}/groups/{group}/join", brand.id), &h, Some(json!({"display_name": "Vera"}).to_string().as_bytes()));
    assert_eq!(j.status, 200, "{}", j.text());
    let th = request(
        "POST",
        &format!("/v1/brands/{}/groups/{group}/threads", brand.id),
        &h,
        Some(json!({"title": "Private plans", "body": "Vera's private thread body"}).to_string().as_bytes()),
    );
    assert_eq!(th.status, 201, "{}", th.text());
    let thread = th.json()["id"].as_str().unwrap().to_owned();
    let re = request("POST", &format!("/v1/brands/{}/threads/{thread}/replies", brand.id), &h, Some(json!({"body": "Vera's private reply"}).to_string().as_bytes()));
    assert_eq!(re.status, 201, "{}", re.text());
    let reply = re.json()["id"].as_str().unwrap().to_owned();
    Victim { brand, testimonial: t, group, thread, reply, member }
}

/// Path values for the victim's resources, by route.
fn values_for(v: &Victim, r: &Route) -> HashMap<&'static str, String> {
    let id = match r.op {
        Op::VoteHelpful | Op::ModerateTestimonial | Op::DeleteTestimonial => v.testimonial.clone(),
        Op::ReactToThread | Op::ReportThread | Op::ModerateThread | Op::SetThreadReply | Op::DeleteThreadReply | Op::GetThreadReply => v.thread.clone(),
        Op::ReactToReply | Op::ReportReply | Op::ModerateReply => v.reply.clone(),
        _ => "x1".to_owned(),
    };
    [("brand", v.brand.id.clone()), ("id", id), ("group", v.group.clone()), ("thread", v.thread.clone()), ("token", "inv_x1".to_owned())]
        .into_iter()
        .collect()
}

#[test]
fn the_authorization_matrix_from_the_route_table() {
    let v = victim();
    let other = TestBrand::create("intruder");
    let operator = format!("Bearer {}", env("KINDRED_OPERATOR_KEY"));
    let secrets = [v.brand.key.as_str(), v.brand.identity_secret.as_str(), "Vera", "vera.secret@example.com", "Private plans"];
    let (mut admin, mut member) = (0, 0);

    for r in ROUTES {
        let path = concrete(r, &values_for(&v, r));
        let what = |how: &str| format!("{} {path} with {how}", r.method.as_str());
        match r.caller {
            Caller::Admin => {
                admin += 1;
                let forged = format!("Bearer kr_sk_{}_{}", v.brand.id, "0".repeat(64));
                let intruder = other.bearer();
                let cases: [(&str, Option<&str>, u16, &str); 6] = [
                    ("no key", None, 401, "unauthorized"),
                    ("a malformed key", Some("Bearer kr_sk_nope"), 401, "unauthorized"),
                    ("a key without Bearer", Some(v.brand.key.as_str()), 401, "unauthorized"),
                    ("a forged key of the brand", Some(forged.as_str()), 401, "unauthorized"),
                    ("another brand's key", Some(intruder.as_str()), 403, "forbidden"),
                    ("the operator key", Some(operator.as_str()), 401, "unauthorized"),
                ];
                for (how, auth, status, code) in cases {
                    let h: Vec<(&str, &str)> = auth.map(|a| vec![("authorization", a)]).unwrap_or_default();
                    assert_refused(&call(r, &path, &h), status, code, &what(how), &secrets);
                }
            }
            Caller::Operator => {
                let brand_key = v.brand.bearer();
                for (how, auth) in [("no key", None), ("a malformed key", Some("Bearer nope")), ("a brand's admin key", Some(brand_key.as_str()))] {
                    let h: Vec<(&str, &str)> = auth.map(|a| vec![("authorization", a)]).unwrap_or_default();
                    assert_refused(&call(r, &path, &h), 401, "unauthorized", &what(how), &secrets);
                }
            }
            Caller::Member | Caller::MemberToken => {
                member += 1;
                // No token at all.
                assert_refused(&call(r, &path, &[]), 400, "bad_request", &what("no member token or identity"), &secrets);
                let stranger = "stranger-member-000001";
                // A forged identity, one signed for another brand, one
                // claiming this brand but signed with another's secret.
                let forged = "eyJicmFuZCI6InZpY3RpbSJ9.c2lnbmF0dXJl";
                let foreign = identity(&other.id, "cust-vera", &other.identity_secret);
                let claimed = identity(&v.brand.id, "cust-vera", &other.identity_secret);
                let elsewhere = identity(&other.id, "cust-vera", &v.brand.identity_secret);
                let expired = identity_at(&v.brand.id, "cust-vera", &v.brand.identity_secret, -60);
                for (how, token, status, code) in [
                    ("a forged identity", forged.to_owned(), 401, "identity_invalid"),
                    ("another brand's identity", foreign, 401, "identity_invalid"),
                    ("an identity signed with another brand's secret", claimed, 401, "identity_invalid"),
                    ("an identity for another brand signed with this brand's secret", elsewhere, 403, "forbidden"),
                    ("an expired identity", expired, 401, "identity_expired"),
                ] {
                    let h = [("x-kindred-member", stranger), ("x-kindred-identity", token.as_str())];
                    assert_refused(&call(r, &path, &h), status, code, &what(how), &secrets);
                }
                // A valid identity without the member token, where the
                // route counts per device.
                if r.caller == Caller::MemberToken {
                    let id = identity(&v.brand.id, "cust-vera", &v.brand.identity_secret);
                    assert_refused(&call(r, &path, &[("x-kindred-identity", id.as_str())]), 400, "bad_request", &what("an identity but no member token"), &secrets);
                }
                // Another shopper's own token: the victim's private group
                // stays closed to them.
                if r.area == kindred_core::api::Area::Community {
                    let resp = call(r, &path, &[("x-kindred-member", stranger)]);
                    if r.op == Op::CountUnread {
                        assert_eq!(resp.status, 200, "{}", resp.text());
                        assert!(!resp.text().contains(&v.group), "{}: {}", what("another member's token"), resp.text());
                    } else {
                        assert_refused(&resp, 403, "forbidden", &what("another member's token"), &secrets);
                    }
                }
            }
            Caller::Public => {}
        }
    }
    assert!(admin >= 20 && member >= 10, "the matrix covered {admin} admin and {member} shopper routes");

    // Another brand's valid key on its own paths, naming the victim's
    // resources: not found, nothing touched.
    for r in ROUTES.iter().filter(|r| r.caller == Caller::Admin) {
        let mut values = values_for(&v, r);
        if !r.params().iter().any(|(name, _)| matches!(*name, "id" | "group" | "thread")) {
            continue;
        }
        values.insert("brand", other.id.clone());
        let path = concrete(r, &values);
        let resp = call(r, &path, &[("authorization", other.bearer().as_str())]);
        assert!(matches!(resp.status, 404 | 422), "{} {path} with the intruder's own key: {}", r.method.as_str(), resp.text());
        assert!(!resp.text().contains("Vera"), "{}", resp.text());
    }

    // Public reads of a private group's content: closed to strangers.
    for r in ROUTES.iter().filter(|r| r.caller == Caller::Public && r.params().iter().any(|(n, _)| matches!(*n, "group" | "thread"))) {
        let path = concrete(r, &values_for(&v, r));
        for h in [vec![], vec![("x-kindred-member", "stranger-member-000002")]] {
            let resp = call(r, &path, &h);
            assert_refused(&resp, 403, "forbidden", &format!("{} {path} by a stranger", r.method.as_str()), &secrets);
        }
    }

    // The scheme is case-insensitive (RFC 9110): the brand's own key works.
    let lower = format!("bearer {}", v.brand.key);
    let own = request("GET", &format!("/v1/admin/brands/{}", v.brand.id), &[("authorization", lower.as_str())], None);
    assert_eq!(own.status, 200, "{}", own.text());

    // A brand without an identity secret verifies nothing: every identity is refused.
    let bare = TestBrand::create("no-secret");
    d1_execute(&format!("UPDATE brands SET identity_secret = NULL WHERE id = '{}'", bare.id));
    let token = identity(&bare.id, "cust-1", &bare.identity_secret);
    for r in ROUTES.iter().filter(|r| matches!(r.caller, Caller::Member | Caller::MemberToken)) {
        let path = concrete(r, &[("brand", bare.id.clone())].into_iter().collect());
        let h = [("x-kindred-member", "bare-member-000000001"), ("x-kindred-identity", token.as_str())];
        assert_refused(&call(r, &path, &h), 401, "identity_invalid", &format!("{} {path} on a brand without a secret", r.method.as_str()), &[&bare.identity_secret]);
    }

    // Nothing refused changed anything.
    assert_eq!(v.brand.list("approved").len(), 1, "the victim's testimonial is still approved");
    let cfg = v.brand.admin("GET", &format!("/v1/admin/brands/{}", v.brand.id), None).json();
    assert_eq!(cfg["name"], format!("Test {}", v.brand.id));
    let h = [("x-kindred-member", v.member.as_str())];
    let id = identity(&v.brand.id, "cust-vera", &v.brand.identity_secret);
    let h2 = [h[0], ("x-kindred-identity", id.as_str())];
    let page = request("GET", &format!("/v1/brands/{}/threads/{}", v.brand.id, v.thread), &h2, None);
    assert_eq!(page.status, 200, "{}", page.text());
    let page = page.json();
    assert_eq!(page["replies"].as_array().map(Vec::len), Some(1), "{page}");
    assert_eq!(page["thread"]["pinned"], false);
    assert_eq!(page["thread"]["status"], "visible");
    let threads = request("GET", &format!("/v1/brands/{}/groups/{}/threads", v.brand.id, v.group), &h2, None).json();
    assert_eq!(threads["threads"].as_array().map(Vec::len), Some(1), "{threads}");
    // No refused brand creation made the brand: the operator can still.
    let made = request(
        "POST",
        "/v1/admin/brands",
        &[("authorization", operator.as_str()), ("content-type", "application/json")],
        Some(json!({ "id": "mallory-brand", "name": "Mallory", "allowed_origins": ["https://evil.example"] }).to_string().as_bytes()),
    );
    assert_eq!(made.status, 201, "{}", made.text());
}
