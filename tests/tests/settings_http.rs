#![allow(clippy::unwrap_used, clippy::expect_used)]
//! What brands send stays right: every settings PATCH is a JSON Merge Patch
//! (RFC 7396) that changes only what it names, concurrent patches all land,
//! bad patches change nothing, and every copy (first paint in KV and isolate
//! memory, the referral redirect) follows the change at once.

use kindred_tests::{get, get_with, post_json, receiver, request, site_origin, Resp, TestBrand};
use serde_json::{json, Value};
use std::time::Duration;

fn settings(b: &TestBrand) -> Resp {
    b.admin("GET", &format!("/v1/admin/brands/{}", b.id), None)
}

fn patch(b: &TestBrand, body: &Value) -> Resp {
    b.admin("PATCH", &format!("/v1/admin/brands/{}", b.id), Some(body))
}

/// A brand with every setting away from its default.
fn configured(prefix: &str) -> TestBrand {
    let b = TestBrand::create(prefix);
    b.configure(json!({
        "incentive_copy": "Give 15%, get $10",
        "referral": {
            "landing_url": "https://shop.example/welcome",
            "reward": "both",
            "webhook_url": "https://hooks.example/rewards",
            "referee_offer": "10% off your first order",
            "window_days": 45,
        },
        "community_webhook_url": "https://hooks.example/community",
    }));
    b
}

fn code_of(b: &TestBrand, member: &str) -> String {
    let r = post_json(&format!("/v1/brands/{}/referrers", b.id), &[("x-kindred-member", member)], &json!({"name": "Ana Lima", "email": format!("{member}@example.com")}));
    assert_eq!(r.status, 201, "{}", r.text());
    r.json()["code"].as_str().unwrap().to_owned()
}

fn lands(code: &str) -> String {
    let r = get(&format!("/r/{code}"));
    assert_eq!(r.status, 302, "{}", r.text());
    r.header("location").unwrap().to_owned()
}

#[test]
fn a_patch_of_one_setting_keeps_every_other() {
    let b = configured("set-merge");
    let before = settings(&b).json();
    // The issue's example: turning the leaderboard on reset the whole program.
    let r = patch(&b, &json!({"referral": {"leaderboard": true}}));
    assert_eq!(r.status, 200, "{}", r.text());
    let mut expected = before.clone();
    expected["referral"]["leaderboard"] = json!(true);
    assert_eq!(r.json(), expected);
    assert_eq!(settings(&b).json(), expected, "stored as answered");
    let code = code_of(&b, "member-merge-000000001");
    assert!(lands(&code).starts_with("https://shop.example/welcome?kindred_ref="));

    // Every top-level setting, one at a time: the rest stays.
    for (field, value) in [
        ("name", json!("Acme Outdoor")),
        ("accent", json!("#aa3300")),
        ("incentive_copy", json!("Give 20%")),
        ("allowed_origins", json!([site_origin(), "https://b.example"])),
        ("moderation", json!({"mode": "auto_approve_min_rating", "min_rating": 4})),
        ("rate_limits", json!({"per_client": 7, "per_brand": 700})),
        ("community_webhook_url", json!("https://hooks.example/other")),
    ] {
        let before = settings(&b).json();
        let r = patch(&b, &json!({ field: value }));
        assert_eq!(r.status, 200, "{field}: {}", r.text());
        let mut expected = before;
        expected[field] = value;
        assert_eq!(settings(&b).json(), expected, "{field}");
    }
}

#[test]
fn null_clears_and_bad_patches_name_the_field_and_change_nothing() {
    let b = configured("set-bad");
    let before = settings(&b).json();
    for (body, field) in [
        (json!({"referral": {"window_days": 0}}), "referral.window_days"),
        (json!({"referral": {"window_days": "thirty"}}), "referral.window_days"),
        (json!({"accent": "red"}), "accent"),
        (json!({"name": null}), "name"),
        (json!({"colour": "red"}), "colour"),
        (json!({"id": "other"}), "id"),
        (json!({"referral": {"webhook_url": "ftp://x.example/"}}), "referral.webhook_url"),
        (json!({"allowed_origins": ["https://ok.example", "not an origin"]}), "allowed_origins"),
    ] {
        let r = patch(&b, &body);
        r.assert_error(422, "validation_failed");
        let named = r.json()["error"]["field"].as_str().unwrap_or_default().to_owned();
        assert!(named.starts_with(field), "{body}: field {named:?}");
        assert_eq!(settings(&b).json(), before, "{body} changed something");
    }
    patch(&b, &json!([{"op": "add"}])).assert_field("");
    // RFC 7396's media type is accepted too; null removes (resets) a member.
    let auth = b.bearer();
    let r = request(
        "PATCH",
        &format!("/v1/admin/brands/{}", b.id),
        &[("authorization", &auth), ("content-type", "application/merge-patch+json")],
        Some(json!({"incentive_copy": null}).to_string().as_bytes()),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["incentive_copy"], Value::Null);
    assert_eq!(r.json()["referral"], before["referral"]);
}

#[test]
fn concurrent_patches_of_different_settings_all_land() {
    let b = configured("set-race");
    let b = std::sync::Arc::new(b);
    let fields: Vec<(&str, Value)> = vec![
        ("name", json!("Raced Name")),
        ("accent", json!("#123456")),
        ("incentive_copy", json!("Raced copy")),
        ("rate_limits", json!({"per_client": 9, "per_brand": 900})),
        ("community_webhook_url", json!("https://hooks.example/raced")),
        ("referral", json!({"leaderboard": true})),
        ("referral", json!({"window_days": 60})),
        ("referral", json!({"hold_hours": 12})),
    ];
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(fields.len()));
    let handles: Vec<_> = fields
        .iter()
        .cloned()
        .map(|(field, value)| {
            let (b, barrier) = (b.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                patch(&b, &json!({ field: value })).status
            })
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), 200);
    }
    let now = settings(&b).json();
    assert_eq!(now["name"], "Raced Name");
    assert_eq!(now["accent"], "#123456");
    assert_eq!(now["incentive_copy"], "Raced copy");
    assert_eq!(now["rate_limits"]["per_client"], 9);
    assert_eq!(now["community_webhook_url"], "https://hooks.example/raced");
    assert_eq!(now["referral"]["leaderboard"], true);
    assert_eq!(now["referral"]["window_days"], 60);
    assert_eq!(now["referral"]["hold_hours"], 12);
    assert_eq!(now["referral"]["landing_url"], "https://shop.example/welcome", "untouched by all eight");
}

#[test]
fn if_match_refuses_a_patch_over_newer_settings() {
    let b = configured("set-etag");
    let first = settings(&b);
    let tag = first.header("etag").expect("GET gives an ETag").to_owned();
    let auth = b.bearer();
    let path = format!("/v1/admin/brands/{}", b.id);
    let send = |tag: &str, body: Value| {
        request("PATCH", &path, &[("authorization", &auth), ("content-type", "application/json"), ("if-match", tag)], Some(body.to_string().as_bytes()))
    };
    let r = send(&tag, json!({"name": "First"}));
    assert_eq!(r.status, 200, "{}", r.text());
    let newer = r.header("etag").unwrap().to_owned();
    assert_ne!(newer, tag);
    send(&tag, json!({"name": "Second"})).assert_error(412, "precondition_failed");
    assert_eq!(settings(&b).json()["name"], "First");
    // A patch that changes nothing keeps the ETag (helper-75: `{}` moved
    // it, so a console's next save was refused for nothing).
    for same in [json!({}), json!({"name": "First"}), json!({"referral": {}})] {
        let r = send(&newer, same.clone());
        assert_eq!((r.status, r.header("etag")), (200, Some(newer.as_str())), "{same}: {}", r.text());
    }
    assert_eq!(settings(&b).header("etag"), Some(newer.as_str()));
    assert_eq!(send(&newer, json!({"name": "Second"})).status, 200);
}

#[test]
fn referral_links_follow_the_landing_page_and_never_404() {
    let b = configured("set-landing");
    let code = code_of(&b, "member-landing-0000001");
    assert_eq!(lands(&code), format!("https://shop.example/welcome?kindred_ref={code}"));
    // Hit it again so the KV copy exists, then change the landing page.
    lands(&code);
    b.configure(json!({"referral": {"landing_url": "https://shop.example/new?src=ref"}}));
    assert_eq!(lands(&code), format!("https://shop.example/new?src=ref&kindred_ref={code}"));
    // Cleared: the brand's first allowed origin, never a 404.
    b.configure(json!({"referral": {"landing_url": null}}));
    assert_eq!(lands(&code), format!("{}/?kindred_ref={code}", site_origin()));
    // The program's other settings were not touched by either change.
    assert_eq!(settings(&b).json()["referral"]["reward"], "both");
}

fn first_paint(b: &TestBrand) -> Resp {
    let r = get_with(&format!("/v1/widget/{}", b.id), &[("origin", &site_origin())]);
    assert_eq!(r.status, 200, "{}", r.text());
    r
}

/// Waits out this isolate's memory copy (`ISOLATE_CACHE_MS`, 1 s), so the
/// next read comes from KV or D1: a change must show through KV too.
fn past_isolate_copy() {
    std::thread::sleep(Duration::from_millis(1200));
}

#[test]
fn the_first_paint_follows_every_setting_it_shows() {
    let b = configured("set-paint");
    let warm = || {
        first_paint(&b);
        past_isolate_copy();
        let r = first_paint(&b);
        // A copy, not D1: KV's, or this isolate's own answer revalidated.
        assert!(matches!(r.header("x-kindred-cache"), Some("hit" | "revalidated")), "a copy is in use before the change: {:?}", r.header("x-kindred-cache"));
    };
    type Shows = Box<dyn Fn(&Value, &Resp) -> bool>;
    let cases: Vec<(Value, Shows)> = vec![
        (json!({"name": "Renamed Co"}), Box::new(|p, _| p["brand"]["name"] == "Renamed Co")),
        (json!({"accent": "#224466"}), Box::new(|p, _| p["brand"]["accent"] == "#224466")),
        (json!({"incentive_copy": "Give 25%"}), Box::new(|p, _| p["brand"]["incentive"] == "Give 25%")),
        (json!({"incentive_copy": null}), Box::new(|p, _| p["brand"].get("incentive").is_none())),
        (json!({"referral": {"referee_offer": "20% off"}}), Box::new(|p, _| p["brand"]["referral"]["referee_offer"] == "20% off")),
        (json!({"referral": {"window_days": 9}}), Box::new(|p, _| p["brand"]["referral"]["window_days"] == 9)),
        (json!({"referral": {"leaderboard": true}}), Box::new(|p, _| p["brand"]["referral"]["leaderboard"] == true)),
        (json!({"referral": {"landing_url": null}}), Box::new(|p, _| p["brand"].get("referral").is_none())),
        // The origins travel with the copy: a removed origin loses CORS at once.
        (json!({"allowed_origins": ["https://elsewhere.example"]}), Box::new(|_, r| r.header("access-control-allow-origin").is_none())),
        (json!({"allowed_origins": [site_origin()]}), Box::new(|_, r| r.header("access-control-allow-origin") == Some(site_origin().as_str()))),
    ];
    for (change, shows) in cases {
        warm();
        b.configure(change.clone());
        past_isolate_copy();
        let r = first_paint(&b);
        assert!(!matches!(r.header("x-kindred-cache"), Some("hit" | "revalidated" | "isolate")), "{change}: an old copy was served ({:?})", r.header("x-kindred-cache"));
        assert!(shows(&r.json(), &r), "{change}: the first paint shows {}", r.text());
    }
}

/// An answer this isolate built is served again past its second (after one
/// D1 read, without KV or a render) only while the brand's copy version is
/// where it was: a change made elsewhere (another isolate; here straight
/// into D1, which no isolate hears of) shows in the first paint after that
/// second, data and markup, never an old render.
#[test]
fn a_render_is_reused_only_at_the_copy_version_it_was_built_at() {
    let b = configured("set-reuse");
    // As the loader asks (markup, the shopper's language: the facts path too).
    let path = format!("/v1/widget/{}?locale=en&lang=en", b.id);
    let paint = || {
        let r = get_with(&path, &[("origin", &site_origin())]);
        assert_eq!(r.status, 200, "{}", r.text());
        r
    };
    let built = paint();
    assert!(built.json()["markup"].as_str().is_some_and(|m| !m.is_empty()), "{}", built.text());
    for _ in 0..2 {
        past_isolate_copy();
        let again = paint();
        assert_eq!(again.header("x-kindred-cache"), Some("revalidated"), "an unchanged render is reused");
        assert_eq!(again.json(), built.json(), "the reused answer is the one built");
        assert_eq!(again.header("access-control-allow-origin"), Some(site_origin().as_str()));
    }
    kindred_tests::d1_execute(&format!("UPDATE brands SET name = 'Renamed Elsewhere', copy_version = copy_version + 1 WHERE id = '{}'", b.id));
    past_isolate_copy();
    let after = paint();
    assert!(!matches!(after.header("x-kindred-cache"), Some("hit" | "revalidated" | "isolate")), "an old copy was served ({:?})", after.header("x-kindred-cache"));
    let p = after.json();
    assert_eq!(p["brand"]["name"], "Renamed Elsewhere", "{p}");
    assert!(p["markup_at"].as_i64() > built.json()["markup_at"].as_i64(), "the markup was rendered again: {p}");
}

#[test]
fn moderation_shows_in_the_next_first_paint_through_kv() {
    let b = TestBrand::create("set-moderate");
    let submit = |name: &str| {
        let r = b.submit(&kindred_tests::testimonial(name, 5, None));
        assert_eq!(r.status, 201, "{}", r.text());
        r.json()["id"].as_str().unwrap().to_owned()
    };
    let first = submit("Ada First");
    assert_eq!(b.approve(&first).status, 200);
    first_paint(&b);
    past_isolate_copy();
    assert!(matches!(first_paint(&b).header("x-kindred-cache"), Some("hit" | "revalidated")));
    let second = submit("Bea Second");
    assert_eq!(b.approve(&second).status, 200);
    past_isolate_copy();
    let ids: Vec<String> = first_paint(&b).json()["testimonials"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap().to_owned()).collect();
    assert!(ids.contains(&second), "the approved testimonial is in the next first paint: {ids:?}");
    let r = b.reject(&first, "off_topic");
    assert_eq!(r.status, 200);
    past_isolate_copy();
    let ids: Vec<String> = first_paint(&b).json()["testimonials"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap().to_owned()).collect();
    assert!(!ids.contains(&first), "the rejected testimonial is gone from the next first paint: {ids:?}");
}

#[test]
fn a_secret_replaced_on_a_schedule_works_beside_the_new_one_until_its_time() {
    use kindred_core::auth::{sign_identity, IdentityClaims};
    use kindred_core::referral::sign_webhook;
    let b = TestBrand::create("overlap");
    let path = |s: &str, q: &str| format!("/v1/admin/brands/{}/secrets/{s}{q}", b.id);
    let with = |key: &str, method: &str, p: &str| request(method, p, &[("authorization", &format!("Bearer {key}"))], None);
    let settings = format!("/v1/admin/brands/{}", b.id);
    let secrets = format!("{settings}/secrets");
    let expire = |column: &str| kindred_tests::d1_execute(&format!("UPDATE brands SET {column} = {} WHERE id = '{}'", kindred_tests::now_ms() - 1, b.id));

    // A refused hours value replaces nothing.
    for bad in ["169", "-1", "1.5", "a", ""] {
        let r = with(&b.key, "POST", &path("admin_key", &format!("?keep_previous_hours={bad}")));
        r.assert_error(400, "bad_request");
        assert!(r.text().contains("keep_previous_hours"), "{}", r.text());
    }
    assert_eq!(with(&b.key, "GET", &settings).status, 200, "the key refused nothing");

    // The admin key on a schedule: both work until `previous_until`.
    let before = kindred_tests::now_ms();
    let r = with(&b.key, "POST", &path("admin_key", "?keep_previous_hours=24"));
    assert_eq!(r.status, 201, "{}", r.text());
    let until = r.json()["previous_until"].as_i64().unwrap();
    assert!((before + 86_400_000..=kindred_tests::now_ms() + 86_400_000).contains(&until), "{until}");
    let key = r.json()["value"].as_str().unwrap().to_owned();
    assert_eq!(with(&key, "GET", &settings).status, 200);
    assert_eq!(with(&b.key, "GET", &settings).status, 200, "the old key works on");
    // ... for the brand's integrations, not to manage its secrets: a thief
    // holding it cannot mint a key of their own and lock the brand out
    // (helper-78), nor make a proxy key that outlives it.
    for (method, p) in [
        ("POST", path("admin_key", "")),
        ("POST", path("webhook_secret", "?keep_previous_hours=24")),
        ("POST", format!("{settings}/proxy-key")),
        ("DELETE", format!("{settings}/proxy-key")),
        ("DELETE", path("admin_key", "/previous")),
        // Nor delete reviews for good: a whole import (helper-80), or one
        // (helper-81: a bulk rejection then deletions did the same).
        ("DELETE", format!("{settings}/imports/okendo")),
        ("DELETE", format!("{settings}/testimonials/0123456789abcdef0123456789abcdef")),
        // Nor a community post (a deleted one cannot be approved again).
        ("POST", format!("{settings}/threads/0123456789abcdef0123456789abcdef/delete")),
        ("POST", format!("{settings}/replies/0123456789abcdef0123456789abcdef/delete")),
    ] {
        with(&b.key, method, &p).assert_error(403, "forbidden");
    }
    // Hiding, which can be taken back, stays open to it (no such post here).
    with(&b.key, "POST", &format!("{settings}/threads/0123456789abcdef0123456789abcdef/hide")).assert_error(404, "not_found");
    // Nor to read a secret or move where webhooks go: the settings come
    // without the webhook secret, and a patch is refused, changing nothing.
    let (old_view, new_view) = (with(&b.key, "GET", &settings).json(), with(&key, "GET", &settings).json());
    assert!(old_view["webhook_secret"].is_null() && new_view["webhook_secret"].as_str().is_some_and(|s| s.starts_with("whsec_")), "{old_view} / {new_view}");
    assert_eq!(old_view["name"], new_view["name"], "the rest as the current key reads it");
    let patch = request("PATCH", &settings, &[("authorization", &format!("Bearer {}", b.key)), ("content-type", "application/merge-patch+json")], Some(br#"{"review_webhook_url":"https://thief.example/hook"}"#.as_slice()));
    patch.assert_error(403, "forbidden");
    assert_eq!(with(&key, "GET", &settings).json(), new_view, "nothing changed");
    // Both keys see the overlap (never a secret).
    let state = with(&b.key, "GET", &secrets);
    assert_eq!(state.status, 200, "{}", state.text());
    assert_eq!(state.json(), json!({"admin_key": {"previous_until": until}, "identity_secret": {"previous_until": null}, "webhook_secret": {"previous_until": null}}));
    assert_eq!(with(&key, "GET", &settings).status, 200, "the new key is untouched");
    assert_eq!(with(&key, "POST", &format!("{settings}/proxy-key")).status, 201);
    expire("secret_key_previous_until");
    with(&b.key, "GET", &settings).assert_error(401, "unauthorized");
    assert_eq!(with(&key, "GET", &settings).status, 200);
    // Replaced again at once (it leaked): no earlier key works any more.
    let r = with(&key, "POST", &path("admin_key", "?keep_previous_hours=1"));
    let second = r.json()["value"].as_str().unwrap().to_owned();
    assert_eq!(with(&key, "GET", &settings).status, 200);
    let r = with(&second, "POST", &path("admin_key", "?keep_previous_hours=0"));
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["previous_until"], Value::Null);
    let third = r.json()["value"].as_str().unwrap().to_owned();
    with(&key, "GET", &settings).assert_error(401, "unauthorized");
    with(&second, "GET", &settings).assert_error(401, "unauthorized");
    assert_eq!(with(&third, "GET", &settings).status, 200);

    // The identity secret: tokens signed with either work until then; an
    // expired one signed with the old one says so.
    let now = kindred_tests::now_ms() / 1000;
    let token = |secret: &str, exp: i64| sign_identity(&IdentityClaims { brand: b.id.clone(), sub: "cust-1".into(), exp, name: None, email: None }, secret.as_bytes()).unwrap();
    let me = format!("/v1/brands/{}/me/data", b.id);
    let as_ = |t: &str| request("GET", &me, &[("x-kindred-identity", t)], None);
    let r = with(&third, "POST", &path("identity_secret", "?keep_previous_hours=168"));
    assert_eq!(r.status, 201, "{}", r.text());
    let identity = r.json()["value"].as_str().unwrap().to_owned();
    assert_eq!(as_(&token(&identity, now + 600)).status, 200);
    assert_eq!(as_(&token(&b.identity_secret, now + 600)).status, 200, "the old secret's tokens work on");
    as_(&token(&b.identity_secret, now - 600)).assert_error(401, "identity_expired");
    as_(&token("not-the-secret-of-anyone-at-all-0000", now + 600)).assert_error(401, "identity_invalid");
    let state = with(&third, "GET", &secrets).json();
    assert!(state["identity_secret"]["previous_until"].as_i64().is_some_and(|u| u > kindred_tests::now_ms() + 167 * 3_600_000), "{state}");
    assert_eq!(state["admin_key"]["previous_until"], Value::Null, "the admin key's overlap ended with its replacement: {state}");
    // Every integration moved: the brand ends the overlap early, without
    // replacing the secret again (and ending none again is fine).
    for _ in 0..2 {
        let r = with(&third, "DELETE", &path("identity_secret", "/previous"));
        assert_eq!(r.status, 204, "{}", r.text());
    }
    as_(&token(&b.identity_secret, now + 600)).assert_error(401, "identity_invalid");
    assert_eq!(as_(&token(&identity, now + 600)).status, 200, "the new secret is untouched");
    assert_eq!(with(&third, "GET", &secrets).json()["identity_secret"]["previous_until"], Value::Null);
    with(&third, "DELETE", &path("api_key", "/previous")).assert_error(404, "route_not_found");

    // The webhook secret: each delivery is signed with both while the old
    // one works, with the new one alone after.
    let (url, rx) = receiver(vec![200, 200]);
    let send = |method: &str, p: &str, headers: &[(&str, &str)], body: Value| request(method, p, headers, Some(body.to_string().as_bytes()));
    let admin = format!("Bearer {third}");
    let admin = [("authorization", admin.as_str()), ("content-type", "application/json")];
    let set = send("PATCH", &settings, &[admin[0], ("content-type", "application/merge-patch+json")], json!({"community_webhook_url": url}));
    assert_eq!(set.status, 200, "{}", set.text());
    let g = send("POST", &format!("{settings}/groups"), &admin, json!({"name": "Runners", "description": "Miles", "visibility": "public", "moderation": "post"}));
    assert_eq!(g.status, 201, "{}", g.text());
    let g = g.json()["id"].as_str().unwrap().to_owned();
    let member = [("x-kindred-member", "shopper-0000000000000overlap"), ("content-type", "application/json")];
    assert_eq!(send("POST", &format!("/v1/brands/{}/groups/{g}/join", b.id), &member, json!({"display_name": "Nia"})).status, 200);
    let old = with(&third, "GET", &settings).json()["webhook_secret"].as_str().unwrap().to_owned();
    let r = with(&third, "POST", &path("webhook_secret", "?keep_previous_hours=1"));
    let new = r.json()["value"].as_str().unwrap().to_owned();
    let post = |title: &str| {
        let r = send("POST", &format!("/v1/brands/{}/groups/{g}/threads", b.id), &member, json!({"title": title, "body": "Who is in?"}));
        assert_eq!(r.status, 201, "{}", r.text());
        let (headers, body) = rx.recv_timeout(Duration::from_secs(15)).expect("the thread's webhook");
        let sig = headers.iter().find(|(k, _)| k == "kindred-signature").unwrap().1.clone();
        let t: i64 = sig.split(',').next().unwrap().trim_start_matches("t=").parse().unwrap();
        (sig, t, body)
    };
    let (sig, t, body) = post("Sunday long run");
    let v1 = |secret: &str| sign_webhook(secret.as_bytes(), t, &body).trim_start_matches(&format!("t={t},")).to_owned();
    assert_eq!(sig, format!("t={t},{},{}", v1(&new), v1(&old)), "both signatures, the new one first");
    expire("webhook_secret_previous_until");
    let (sig, t, body) = post("Tuesday intervals");
    assert_eq!(sig, sign_webhook(new.as_bytes(), t, &body), "the new one alone");

    // The operator's reset (a key in the wrong hands) ends every key at
    // once, the old one a scheduled replacement kept too.
    let r = with(&third, "POST", &path("admin_key", "?keep_previous_hours=24"));
    let fourth = r.json()["value"].as_str().unwrap().to_owned();
    assert_eq!(with(&third, "GET", &settings).status, 200);
    let r = with(&kindred_tests::env("KINDRED_OPERATOR_KEY"), "POST", &format!("/v1/admin/brands/{}/admin-key", b.id));
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["previous_until"], Value::Null);
    let fresh = r.json()["value"].as_str().unwrap().to_owned();
    with(&third, "GET", &settings).assert_error(401, "unauthorized");
    with(&fourth, "GET", &settings).assert_error(401, "unauthorized");
    assert_eq!(with(&fresh, "GET", &settings).status, 200);
}

#[test]
fn a_brand_replaces_each_of_its_secrets_and_the_old_one_stops_working_at_once() {
    use kindred_core::auth::{sign_identity, IdentityClaims};
    let b = TestBrand::create("secrets");
    let other = TestBrand::create("secrets-other");
    let path = |s: &str| format!("/v1/admin/brands/{}/secrets/{s}", b.id);
    let with = |key: &str, method: &str, p: &str| request(method, p, &[("authorization", &format!("Bearer {key}"))], None);
    let settings_path = format!("/v1/admin/brands/{}", b.id);

    // The admin key: the new one works, the old one is refused from the answer on.
    let r = b.admin("POST", &path("admin_key"), None);
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.header("cache-control"), Some("no-store"));
    assert_eq!(r.json()["secret"], "admin_key");
    let key = r.json()["value"].as_str().unwrap().to_owned();
    assert!(key.starts_with(&format!("kr_sk_{}_", b.id)) && key != b.key, "{key}");
    assert_eq!(with(&key, "GET", &settings_path).status, 200);
    with(&b.key, "GET", &settings_path).assert_error(401, "unauthorized");
    with(&b.key, "POST", &path("admin_key")).assert_error(401, "unauthorized");
    // Another brand's key replaces nothing here; a path that names no secret is no route.
    with(&other.key, "POST", &path("identity_secret")).assert_error(403, "forbidden");
    with(&key, "POST", &path("proxy_key")).assert_error(404, "route_not_found");

    // The identity secret: tokens signed with the old one are refused.
    let now = kindred_tests::now_ms() / 1000;
    let token = |secret: &str| sign_identity(&IdentityClaims { brand: b.id.clone(), sub: "cust-1".into(), exp: now + 600, name: None, email: None }, secret.as_bytes()).unwrap();
    let me = format!("/v1/brands/{}/me/data", b.id);
    assert_eq!(request("GET", &me, &[("x-kindred-identity", &token(&b.identity_secret))], None).status, 200);
    // Links already emailed: one of a brand from before the link key (its
    // links signed with the identity secret), one of a brand with one.
    let opt_out = |brand: &str, key: &str, order: &str| {
        let body = serde_json::json!({"order_id": order, "email": "sam@example.com", "products": ["sku-1"]}).to_string();
        let r = request("POST", &format!("/v1/admin/brands/{brand}/orders"), &[("authorization", &format!("Bearer {key}")), ("content-type", "application/json")], Some(body.as_bytes()));
        assert_eq!(r.status, 201, "{}", r.text());
        let url = r.json()["opt_out_url"].as_str().unwrap().to_owned();
        url[url.find("/reviews/").unwrap()..].to_owned()
    };
    kindred_tests::d1_execute(&format!("UPDATE brands SET link_secret = NULL WHERE id = '{}'", b.id));
    let from_before = opt_out(&b.id, &key, "S-1");
    let with_link_key = opt_out(&other.id, &other.key, "S-2");
    assert_eq!(with(&other.key, "POST", &format!("/v1/admin/brands/{}/secrets/identity_secret", other.id)).status, 201);
    let r = with(&key, "POST", &path("identity_secret"));
    assert_eq!(r.status, 201, "{}", r.text());
    let identity = r.json()["value"].as_str().unwrap().to_owned();
    assert_ne!(identity, b.identity_secret);
    request("GET", &me, &[("x-kindred-identity", &token(&b.identity_secret))], None).assert_error(401, "identity_invalid");
    assert_eq!(request("GET", &me, &[("x-kindred-identity", &token(&identity))], None).status, 200);
    // ... and the links keep working (helper-76: replacing it ended them).
    for link in [&with_link_key, &from_before, &opt_out(&b.id, &key, "S-3")] {
        let page = request("GET", link, &[], None);
        assert_eq!(page.status, 200, "{link}: {}", page.text());
    }

    // The webhook secret: the settings show the new one, with a new ETag.
    let before = with(&key, "GET", &settings_path);
    let r = with(&key, "POST", &path("webhook_secret"));
    assert_eq!(r.status, 201, "{}", r.text());
    let whsec = r.json()["value"].as_str().unwrap().to_owned();
    assert!(whsec.starts_with("whsec_") && whsec != before.json()["webhook_secret"], "{whsec}");
    let after = with(&key, "GET", &settings_path);
    assert_eq!(after.json()["webhook_secret"], whsec.as_str());
    assert_ne!(after.header("etag"), before.header("etag"));

    // The operator gives a brand whose key is in the wrong hands a new one:
    // the key the thief held (the one above) stops working.
    let op = kindred_tests::env("KINDRED_OPERATOR_KEY");
    let reset = format!("/v1/admin/brands/{}/admin-key", b.id);
    with(&key, "POST", &reset).assert_error(401, "unauthorized");
    let r = with(&op, "POST", &reset);
    assert_eq!(r.status, 201, "{}", r.text());
    let fresh = r.json()["value"].as_str().unwrap().to_owned();
    with(&key, "GET", &settings_path).assert_error(401, "unauthorized");
    assert_eq!(with(&fresh, "GET", &settings_path).status, 200);
    with(&op, "POST", "/v1/admin/brands/no-such-brand/admin-key").assert_error(404, "brand_not_found");
}
