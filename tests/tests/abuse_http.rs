#![allow(clippy::unwrap_used, clippy::expect_used)]
//! One client can never hurt another: per-client limits that a flood cannot
//! turn against other shoppers, shoppers behind a brand's own proxy counted
//! apart, D1's 100-parameter limit held by
//! construction (a thread of 250 replies), identity that fails closed, the
//! frame fallback bound to the brand's origins, one coupon per friend,
//! bodies capped while they stream, and no copy per invented product.
//!
//! Clients are told apart by `CF-Connecting-IP`, which `wrangler dev` passes
//! through from the request; in production Cloudflare sets it and overwrites
//! whatever the client sent, so these tests stand for distinct addresses.
//! Behind a brand's own proxy, by the `X-Kindred-Client-IP` it vouches for
//! with the brand's proxy key.

use kindred_core::auth::{sign_identity, IdentityClaims};
use kindred_tests::{address_of, edge, get, post_json, request, site_origin, testimonial, Resp, TestBrand};
use serde_json::{json, Value};
use std::time::Duration;

fn member(n: &str) -> String {
    format!("member-{n:0>20}")
}

/// A shopper in a browser: a member token and an address.
fn from(ip: &str, m: &str) -> Vec<(String, String)> {
    vec![("cf-connecting-ip".into(), ip.into()), ("x-kindred-member".into(), m.into()), ("content-type".into(), "application/json".into())]
}

fn call(method: &str, path: &str, headers: &[(String, String)], body: Option<&Value>) -> Resp {
    let h: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let bytes = body.map(|b| b.to_string().into_bytes());
    request(method, path, &h, bytes.as_deref())
}

/// An approved testimonial, submitted from an address of its own (so the
/// set-up spends no test client's budget).
fn approved_testimonial(b: &TestBrand) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let ip = address_of(&format!("author-{}", N.fetch_add(1, Ordering::SeqCst)));
    let r = post_json(&format!("/v1/brands/{}/testimonials", b.id), &[("cf-connecting-ip", &ip)], &testimonial("Vera Vote", 5, None));
    assert_eq!(r.status, 201, "{}", r.text());
    let id = r.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(b.approve(&id).status, 200);
    id
}

#[test]
fn a_flooding_address_never_refuses_another_and_refusals_spend_nothing() {
    let b = TestBrand::create("abuse-flood");
    // A low brand ceiling too: it must never refuse a client within its own limit.
    b.configure(json!({"rate_limits": {"per_client": 3, "per_brand": 5}}));
    let t = approved_testimonial(&b);
    let vote = format!("/v1/brands/{}/testimonials/{t}/helpful", b.id);

    // The abuser: ten times its address budget (3 x 4 with member tokens),
    // rotating member tokens, in a thread, while another shopper votes.
    let flood = {
        let vote = vote.clone();
        std::thread::spawn(move || {
            let mut statuses = Vec::new();
            for i in 0..120 {
                let r = call("POST", &vote, &from("203.0.113.66", &member(&format!("bot{i}"))), None);
                if r.status == 429 {
                    assert!(r.header("retry-after").is_some_and(|v| v.parse::<u64>().is_ok()), "Retry-After on 429");
                }
                statuses.push(r.status);
            }
            statuses
        })
    };
    // Meanwhile: other shoppers, each from their own address, all served.
    let mut others = Vec::new();
    for i in 0..6 {
        let r = call("POST", &vote, &from(&address_of(&format!("shopper{i}")), &member(&format!("shopper{i}"))), None);
        others.push((r.status, r.text()));
        std::thread::sleep(Duration::from_millis(50));
    }
    let statuses = flood.join().unwrap();
    let accepted = statuses.iter().filter(|s| **s == 200).count();
    assert!(accepted <= 12, "the flooding address got {accepted} votes in, over its budget: {statuses:?}");
    assert!(statuses.iter().all(|s| *s == 200 || *s == 429), "{statuses:?}");
    for (status, text) in &others {
        assert_eq!(*status, 200, "another address was refused during the flood: {text}");
    }
    // After the flood, a new shopper still has its whole own budget: the
    // refused requests counted nowhere, and the brand ceiling refuses no one.
    let late = address_of("late-shopper");
    for i in 0..3 {
        let t = approved_testimonial(&b);
        let r = call("POST", &format!("/v1/brands/{}/testimonials/{t}/helpful", b.id), &from(&late, &member("late")), None);
        assert_eq!(r.status, 200, "vote {i}: {}", r.text());
    }
    let t = approved_testimonial(&b);
    call("POST", &format!("/v1/brands/{}/testimonials/{t}/helpful", b.id), &from(&late, &member("late")), None).assert_error(429, "rate_limited");
}

#[test]
fn ipv6_clients_are_one_client_per_64() {
    let b = TestBrand::create("abuse-v6");
    b.configure(json!({"rate_limits": {"per_client": 1, "per_brand": 1000}}));
    let t = approved_testimonial(&b);
    let vote = format!("/v1/brands/{}/testimonials/{t}/helpful", b.id);
    // Four addresses of one /64 share one address budget (1 x 4).
    for (i, ip) in ["2001:db8:7:1::a", "2001:db8:7:1::b", "2001:db8:7:1:1::c", "2001:db8:7:1:ffff::d"].iter().enumerate() {
        let r = call("POST", &vote, &from(ip, &member(&format!("v6-{i}"))), None);
        assert_eq!(r.status, 200, "{ip}: {}", r.text());
    }
    call("POST", &vote, &from("2001:db8:7:1::e", &member("v6-5")), None).assert_error(429, "rate_limited");
    // The next /64 is another client.
    let r = call("POST", &vote, &from("2001:db8:7:2::a", &member("v6-6")), None);
    assert_eq!(r.status, 200, "{}", r.text());
}

#[test]
fn concurrent_writes_from_one_client_never_pass_its_limit() {
    // The check and the count are one D1 statement: 40 votes sent at once
    // from one address, rotating member tokens, get exactly the address's
    // budget (3 x 4), never more.
    let b = TestBrand::create("abuse-race");
    b.configure(json!({"rate_limits": {"per_client": 3, "per_brand": 100000}}));
    let ts: Vec<String> = (0..2).map(|_| approved_testimonial(&b)).collect();
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(40));
    let handles: Vec<_> = (0..40)
        .map(|i| {
            let (barrier, path) = (barrier.clone(), format!("/v1/brands/{}/testimonials/{}/helpful", b.id, ts[i % 2]));
            std::thread::spawn(move || {
                barrier.wait();
                call("POST", &path, &from("203.0.113.77", &member(&format!("race{i}"))), None).status
            })
        })
        .collect();
    let statuses: Vec<u16> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 12, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == 200 || *s == 429), "{statuses:?}");
}

#[test]
fn a_wide_ipv6_block_buys_a_bounded_budget() {
    // One /64's budget is 1 x 4 (member tokens); its /56 gets 4 times that
    // and its /48 16 times: a client with a /56 cannot multiply its budget
    // by its 256 /64s.
    let b = TestBrand::create("abuse-v6-wide");
    b.configure(json!({"rate_limits": {"per_client": 1, "per_brand": 100000}}));
    let ts: Vec<String> = (0..3).map(|_| approved_testimonial(&b)).collect();
    let vote = |t: &str, ip: &str, m: &str| call("POST", &format!("/v1/brands/{}/testimonials/{t}/helpful", b.id), &from(ip, &member(m)), None);
    let mut accepted = 0;
    for i in 0..24 {
        // A fresh /64 of the /56 2001:db8:9:100::/56 each time.
        let r = vote(&ts[i % 3], &format!("2001:db8:9:1{i:02x}::1"), &format!("wide{i}"));
        assert!(r.status == 200 || r.status == 429, "{}", r.text());
        accepted += usize::from(r.status == 200);
    }
    assert_eq!(accepted, 16, "a /56 holds 4 x 4 writes an hour");
    // Another /56 of the same /48 has its own.
    assert_eq!(vote(&ts[0], "2001:db8:9:200::1", "wide-next").status, 200);
}

/// A shopper reaching the edge through a proxy of the brand's own (the
/// README's "From your shop's own origin"): the proxy's address, the
/// brand's proxy key and the shopper's address.
fn via_proxy(proxy: &str, key: &str, shopper: Option<&str>, m: &str) -> Vec<(String, String)> {
    let mut h = from(proxy, m);
    h.push(("x-kindred-proxy-key".into(), key.into()));
    if let Some(ip) = shopper {
        h.push(("x-kindred-client-ip".into(), ip.into()));
    }
    h
}

/// A new proxy key for `b`, through the admin API.
fn new_proxy_key(b: &TestBrand) -> String {
    let r = b.admin("POST", &format!("/v1/admin/brands/{}/proxy-key", b.id), None);
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let key = r.json()["proxy_key"].as_str().unwrap().to_owned();
    assert!(key.starts_with("kr_px_") && key.len() == 70, "{key}");
    key
}

#[test]
fn shoppers_behind_the_brands_own_proxy_are_counted_apart() {
    let b = TestBrand::create("abuse-proxy");
    // Per address, 1 x 4 with member tokens; each member token 1.
    b.configure(json!({"rate_limits": {"per_client": 1, "per_brand": 1000}}));
    let t = approved_testimonial(&b);
    let vote = format!("/v1/brands/{}/testimonials/{t}/helpful", b.id);
    let proxy = "192.0.2.80";
    // No key yet: one sent is refused, not ignored.
    assert_eq!(b.admin("GET", &format!("/v1/admin/brands/{}/proxy-key", b.id), None).json(), json!({"set": false, "made_at": null, "previous_until": null}));
    call("POST", &vote, &via_proxy(proxy, "kr_px_0000", Some("203.0.113.5"), &member("p0")), None).assert_error(403, "forbidden");
    let key = new_proxy_key(&b);

    // One abusive shopper through the proxy spends its own budget only.
    for i in 0..4 {
        let r = call("POST", &vote, &via_proxy(proxy, &key, Some("203.0.113.5"), &member(&format!("pa{i}"))), None);
        assert_eq!(r.status, 200, "vote {i}: {}", r.text());
    }
    call("POST", &vote, &via_proxy(proxy, &key, Some("203.0.113.5"), &member("pa4")), None).assert_error(429, "rate_limited");
    // Another shopper through the same proxy is served; an IPv6 one counts
    // by its /64, as if it had come straight (two addresses of one /64
    // share one budget).
    let r = call("POST", &vote, &via_proxy(proxy, &key, Some("203.0.113.6"), &member("pb")), None);
    assert_eq!(r.status, 200, "{}", r.text());
    for i in 0..4 {
        let ip = if i % 2 == 0 { "2001:db8:80::1" } else { "2001:db8:80::2" };
        let r = call("POST", &vote, &via_proxy(proxy, &key, Some(ip), &member(&format!("pv{i}"))), None);
        assert_eq!(r.status, 200, "{ip}: {}", r.text());
    }
    call("POST", &vote, &via_proxy(proxy, &key, Some("2001:db8:80::3"), &member("pv4")), None).assert_error(429, "rate_limited");
    // Nothing of that was counted on the proxy's own address: it still has
    // its whole budget, spent here without the key (every shopper one client).
    for i in 0..4 {
        let r = call("POST", &vote, &from(proxy, &member(&format!("pc{i}"))), None);
        assert_eq!(r.status, 200, "vote {i} without the key: {}", r.text());
    }
    call("POST", &vote, &from(proxy, &member("pc4")), None).assert_error(429, "rate_limited");
    // An address without the key is refused, not ignored (a proxy set up
    // without its key would pool its shoppers unseen), and counts nowhere.
    let mut spoofed = from(proxy, &member("pc5"));
    spoofed.push(("x-kindred-client-ip".into(), "203.0.113.99".into()));
    let r = call("POST", &vote, &spoofed, None);
    r.assert_error(400, "bad_request");
    assert_eq!(r.json()["error"]["field"], "x-kindred-proxy-key", "{}", r.text());
    call("POST", &vote, &from(proxy, &member("pc6")), None).assert_error(429, "rate_limited");

    // A key that is not the brand's is refused, on reads and writes; so is
    // the key without exactly one address beside it.
    let other = TestBrand::create("abuse-proxy-other");
    let others = new_proxy_key(&other);
    let reviews = format!("/v1/brands/{}/testimonials", b.id);
    let twice = format!("{key}, {key}");
    for bad in [others.as_str(), "kr_px_0000", &b.key, &b.identity_secret, &twice] {
        let r = call("POST", &vote, &via_proxy(proxy, bad, Some("203.0.113.7"), &member("pd")), None);
        r.assert_error(403, "forbidden");
        assert_eq!(r.json()["error"]["field"], "x-kindred-proxy-key", "{}", r.text());
        call("GET", &reviews, &via_proxy(proxy, bad, Some("203.0.113.7"), &member("pd")), None).assert_error(403, "forbidden");
    }
    for ip in [None, Some(" "), Some("203.0.113.7, 198.51.100.1"), Some("not an address"), Some("203.0.113.7:443")] {
        let r = call("POST", &vote, &via_proxy(proxy, &key, ip, &member("pe")), None);
        r.assert_error(400, "bad_request");
        assert_eq!(r.json()["error"]["field"], "x-kindred-client-ip", "{ip:?}: {}", r.text());
    }

    // A new key: the one it replaced is still taken for a day, while the
    // proxy moves to the new one, then refused; the state says so (never
    // the key). Deleting ends both at once. Only the brand's own admin key
    // may make, read or delete.
    let keys = format!("/v1/admin/brands/{}/proxy-key", b.id);
    let state = b.admin("GET", &keys, None).json();
    assert_eq!((state["set"].as_bool(), state["previous_until"].is_null()), (Some(true), true), "{state}");
    let made = b.admin("POST", &keys, None);
    assert_eq!(made.status, 201, "{}", made.text());
    let fresh = made.json()["proxy_key"].as_str().unwrap().to_owned();
    let until = made.json()["previous_until"].as_i64().expect("previous_until");
    let day = until - kindred_tests::now_ms();
    assert!((23 * 3600 * 1000..=24 * 3600 * 1000).contains(&day), "the old key is taken for {day} ms");
    let state = b.admin("GET", &keys, None).json();
    assert_eq!(state["previous_until"].as_i64(), Some(until), "{state}");
    assert!(!state.to_string().contains("kr_px_"), "the state shows a key: {state}");
    let read = |k: &str| call("GET", &reviews, &via_proxy(proxy, k, Some("203.0.113.8"), &member("pf")), None);
    assert_eq!(read(&key).status, 200, "the replaced key, within its day");
    assert_eq!(read(&fresh).status, 200);
    kindred_tests::d1_execute(&format!("UPDATE brands SET proxy_key_previous_until = 1 WHERE id = '{}'", b.id));
    read(&key).assert_error(403, "forbidden");
    assert_eq!(read(&fresh).status, 200);
    assert!(b.admin("GET", &keys, None).json()["previous_until"].is_null());
    let with = |k: &str| vec![("authorization".to_owned(), format!("Bearer {k}"))];
    for method in ["POST", "GET", "DELETE"] {
        call(method, &keys, &with(&other.key), None).assert_error(403, "forbidden");
        call(method, &keys, &[], None).assert_error(401, "unauthorized");
    }
    let newest = new_proxy_key(&b);
    assert_eq!(call("DELETE", &keys, &with(&b.key), None).status, 204);
    read(&newest).assert_error(403, "forbidden");
    read(&fresh).assert_error(403, "forbidden");
    assert_eq!(b.admin("GET", &keys, None).json(), json!({"set": false, "made_at": null, "previous_until": null}));
}

#[test]
fn cheap_actions_and_refused_posts_never_hold_new_content() {
    // The brand's ceiling counts content only: a flood of votes from many
    // addresses past it leaves the next testimonial published as the
    // brand's moderation says; so do reviews and threads refused after
    // their bodies were read (an unknown photo, a review link that is not
    // valid: helper-88 held every genuine review with twelve of them).
    let b = TestBrand::create("abuse-surge");
    b.configure(json!({"rate_limits": {"per_client": 1000, "per_brand": 3}, "moderation": {"mode": "auto_approve_min_rating", "min_rating": 1}}));
    let t = approved_testimonial(&b);
    for i in 0..8 {
        let r = call("POST", &format!("/v1/brands/{}/testimonials/{t}/helpful", b.id), &from(&address_of(&format!("voter{i}")), &member(&format!("voter{i}"))), None);
        assert_eq!(r.status, 200, "{}", r.text());
    }
    for i in 0..6 {
        let mut refused = testimonial("Rex Refused", 5, None);
        if i % 2 == 0 {
            refused["photos"] = json!(["0123456789abcdef0123456789abcdef"]);
        } else {
            refused["review_token"] = json!(format!("{}.{}", "0".repeat(24), "0".repeat(32)));
        }
        let r = post_json(&format!("/v1/brands/{}/testimonials", b.id), &[("cf-connecting-ip", &address_of(&format!("refused{i}")))], &refused);
        assert!(r.status == 422 || r.status == 400 || r.status == 404 || r.status == 410, "{}: {}", r.status, r.text());
    }
    let g = group(&b);
    for i in 0..4 {
        let (ip, m) = (address_of(&format!("poster{i}")), member(&format!("poster{i}")));
        let joined = call("POST", &format!("/v1/brands/{}/groups/{g}/join", b.id), &from(&ip, &m), Some(&json!({"display_name": format!("Poster {i}")})));
        assert_eq!(joined.status, 200, "{}", joined.text());
        let r = call("POST", &format!("/v1/brands/{}/groups/{g}/threads", b.id), &from(&ip, &m), Some(&json!({"title": "Look", "body": "My photo", "photo": "0123456789abcdef0123456789abcdef"})));
        r.assert_error(422, "validation_failed");
    }
    let submit = |i: usize| {
        let r = post_json(&format!("/v1/brands/{}/testimonials", b.id), &[("cf-connecting-ip", &address_of(&format!("writer{i}")))], &testimonial(["Sam Surge", "Tia Surge", "Uma Surge"][i], 5, None));
        assert_eq!(r.status, 201, "{}", r.text());
        r.json()["status"].as_str().unwrap().to_owned()
    };
    // approved_testimonial used one content write: two more fit the ceiling of 3.
    assert_eq!(submit(0), "approved");
    assert_eq!(submit(1), "approved");
    // Past the ceiling, content is held for moderation, never refused.
    assert_eq!(submit(2), "pending");
}

fn group(b: &TestBrand) -> String {
    let r = b.admin("POST", &format!("/v1/admin/brands/{}/groups", b.id), Some(&json!({"name": "Long talkers", "description": "A busy group", "visibility": "public", "moderation": "post"})));
    assert_eq!(r.status, 201, "{}", r.text());
    r.json()["id"].as_str().unwrap().to_owned()
}

#[test]
fn a_thread_with_250_replies_reads_completely_page_by_page() {
    // The class: any list whose length a client decides, bound one
    // parameter per item, passes D1's 100-parameter limit.
    let b = TestBrand::create("abuse-replies");
    b.configure(json!({"rate_limits": {"per_client": 100000, "per_brand": 1000000}}));
    let g = group(&b);
    let m = member("talker");
    let me = |ip: &str| from(ip, &m);
    assert_eq!(call("POST", &format!("/v1/brands/{}/groups/{g}/join", b.id), &me("198.51.100.9"), Some(&json!({"display_name": "Talker"}))).status, 200);
    let t = call("POST", &format!("/v1/brands/{}/groups/{g}/threads", b.id), &me("198.51.100.9"), Some(&json!({"title": "Long one", "body": "Reply as much as you like"})));
    let thread = t.json()["id"].as_str().unwrap().to_owned();
    let mut sent = Vec::new();
    for i in 0..250 {
        // Spread over addresses: the burst guard is per client.
        let ip = format!("198.51.{}.{}", 100 + i / 200, 1 + i % 200);
        let r = call("POST", &format!("/v1/brands/{}/threads/{thread}/replies", b.id), &me(&ip), Some(&json!({"body": format!("reply number {i}")})));
        assert_eq!(r.status, 201, "reply {i}: {}", r.text());
        sent.push(r.json()["id"].as_str().unwrap().to_owned());
    }
    // Reactions on replies of every page (the lookup binds one id per reply).
    for i in [0usize, 120, 249] {
        let r = call("POST", &format!("/v1/brands/{}/replies/{}/reactions", b.id, sent[i]), &me("198.51.100.9"), Some(&json!({"kind": "love"})));
        assert_eq!(r.status, 200, "{}", r.text());
    }
    let mut seen: Vec<String> = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &cursor {
            Some(c) => format!("/v1/brands/{}/threads/{thread}?before={c}", b.id),
            None => format!("/v1/brands/{}/threads/{thread}", b.id),
        };
        let r = call("GET", &path, &me("198.51.100.9"), None);
        assert_eq!(r.status, 200, "page {pages}: {}", r.text());
        let v = r.json();
        let page: Vec<Value> = v["replies"].as_array().unwrap().clone();
        assert!(page.len() <= 50, "a page holds at most 50 replies");
        for reply in &page {
            let id = reply["id"].as_str().unwrap();
            if [0usize, 120, 249].iter().any(|i| sent[*i] == id) {
                assert_eq!(reply["reactions"][0][1], 1, "reaction counts on every page: {reply}");
            }
        }
        // Pages go back in time; each is oldest-first.
        let mut ids: Vec<String> = page.iter().map(|r| r["id"].as_str().unwrap().to_owned()).collect();
        ids.extend(seen);
        seen = ids;
        pages += 1;
        cursor = v["earlier_cursor"].as_str().map(str::to_owned);
        if cursor.is_none() || pages > 10 {
            break;
        }
    }
    assert_eq!(pages, 5);
    assert_eq!(seen, sent, "every reply once, in order");
    call("GET", &format!("/v1/brands/{}/threads/{thread}?before=garbage", b.id), &me("198.51.100.9"), None).assert_error(400, "bad_request");
}

fn token_signed_with(secret: &[u8], brand: &str) -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    sign_identity(&IdentityClaims { brand: brand.into(), sub: "cust-1".into(), exp: now + 600, name: None, email: None }, secret).unwrap()
}

#[test]
fn identity_tokens_are_verified_the_same_way_on_every_route() {
    let b = TestBrand::create("abuse-identity");
    b.configure(json!({"rate_limits": {"per_client": 10000, "per_brand": 100000}, "referral": {"landing_url": "https://shop.example/", "referee_offer": "10% off"}}));
    let g = group(&b);
    let forged = [token_signed_with(b"", &b.id), token_signed_with(b"guess", &b.id)];
    let good = token_signed_with(b.identity_secret.as_bytes(), &b.id);
    let other = TestBrand::create("abuse-identity-other");
    let foreign = token_signed_with(other.identity_secret.as_bytes(), &b.id);
    let routes: Vec<(&str, String, Option<Value>)> = vec![
        ("GET", format!("/v1/brands/{}/referrers/me", b.id), None),
        ("GET", format!("/v1/brands/{}/groups", b.id), None),
        ("GET", format!("/v1/brands/{}/community/unread", b.id), None),
        ("GET", format!("/v1/brands/{}/groups/{g}/threads", b.id), None),
        ("POST", format!("/v1/brands/{}/groups/{g}/join", b.id), Some(json!({"display_name": "Id"}))),
    ];
    for (method, path, body) in &routes {
        for bad in forged.iter().chain([&foreign]) {
            let mut h = from("198.51.100.20", &member("ident"));
            h.push(("x-kindred-identity".into(), bad.clone()));
            call(method, path, &h, body.as_ref()).assert_error(401, "identity_invalid");
        }
        let mut h = from("198.51.100.20", &member("ident"));
        h.push(("x-kindred-identity".into(), good.clone()));
        let r = call(method, path, &h, body.as_ref());
        assert!(r.status < 300, "{method} {path} with a good identity: {}", r.text());
    }
    // Body-carried identities (forms) follow the same rule.
    let mut t = testimonial("Ida Forged", 5, None);
    t["identity"] = json!(forged[0]);
    b.submit(&t).assert_error(401, "identity_invalid");
    post_json(&format!("/v1/brands/{}/referrers", b.id), &[("x-kindred-member", &member("ident2"))], &json!({"name": "Ida", "email": "ida@example.com", "identity": forged[0]}))
        .assert_error(401, "identity_invalid");
}

#[test]
fn preflights_allow_exactly_the_headers_the_api_reads() {
    let b = TestBrand::create("abuse-preflight");
    let origin = site_origin();
    for path in [format!("/v1/brands/{}/referrers/me", b.id), format!("/v1/brands/{}/groups", b.id), format!("/v1/widget/{}", b.id)] {
        let r = request(
            "OPTIONS",
            &path,
            &[("origin", &origin), ("access-control-request-method", "POST"), ("access-control-request-headers", "content-type,x-kindred-member,x-kindred-identity,idempotency-key,x-kindred-embedder")],
            None,
        );
        assert_eq!(r.status, 204, "{path}: {}", r.text());
        assert_eq!(r.header("access-control-allow-origin"), Some(origin.as_str()));
        let allowed = r.header("access-control-allow-headers").unwrap_or_default().to_ascii_lowercase();
        for h in ["content-type", "x-kindred-member", "x-kindred-identity", "idempotency-key", "x-kindred-embedder"] {
            assert!(allowed.split(',').any(|a| a.trim() == h), "{h} missing from {allowed}");
        }
    }
    // Another origin's preflight fails (not 2xx, no methods or headers allowed).
    let r = request("OPTIONS", &format!("/v1/brands/{}/groups", b.id), &[("origin", "https://evil.example"), ("access-control-request-method", "POST")], None);
    r.assert_error(403, "origin_not_allowed");
    assert!(r.header("access-control-allow-headers").is_none() && r.header("access-control-allow-methods").is_none());
}

#[test]
fn the_frame_fallback_belongs_to_the_brands_origins() {
    let b = TestBrand::create("abuse-frame");
    b.configure(json!({"rate_limits": {"per_client": 10000, "per_brand": 100000}}));
    let r = get(&format!("/frame/{}", b.id));
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.header("content-type").unwrap_or_default().starts_with("text/html"));
    let csp = r.header("content-security-policy").unwrap_or_default().to_owned();
    assert_eq!(csp, format!("frame-ancestors {}", site_origin()));
    assert!(r.text().contains("/frame.js"));
    // No static copy without the policy.
    assert_eq!(get("/frame.html").status, 404);
    // A brand with no origins: nobody may frame it.
    let closed = TestBrand::create("abuse-frame-closed");
    closed.configure(json!({"allowed_origins": []}));
    assert_eq!(get(&format!("/frame/{}", closed.id)).header("content-security-policy"), Some("frame-ancestors 'none'"));
    get("/frame/no-such-brand-here").assert_error(404, "brand_not_found");

    // Writes from the frame are same-origin: they count as the embedding
    // page's, which must be allowed.
    let edge_origin = edge();
    let t = approved_testimonial(&b);
    let vote = format!("/v1/brands/{}/testimonials/{t}/helpful", b.id);
    let mut h = from("198.51.100.30", &member("framed1"));
    h.push(("origin".into(), edge_origin.clone()));
    call("POST", &vote, &h, None).assert_error(403, "origin_not_allowed");
    let mut evil = h.clone();
    evil.push(("x-kindred-embedder".into(), "https://evil.example".into()));
    call("POST", &vote, &evil, None).assert_error(403, "origin_not_allowed");
    let mut ok = from("198.51.100.30", &member("framed2"));
    ok.push(("origin".into(), edge_origin));
    ok.push(("x-kindred-embedder".into(), site_origin()));
    let r = call("POST", &vote, &ok, None);
    assert_eq!(r.status, 200, "{}", r.text());
}

#[test]
fn rotating_member_tokens_takes_at_most_one_coupon() {
    let b = TestBrand::create("abuse-coupons");
    b.configure(json!({"rate_limits": {"per_client": 10000, "per_brand": 100000}, "referral": {"landing_url": "https://shop.example/", "referee_offer": "10% off"}}));
    let codes: Vec<String> = (0..25).map(|i| format!("POOL-{i:02}")).collect();
    let r = b.admin("POST", &format!("/v1/admin/brands/{}/coupons", b.id), Some(&json!({"kind": "referee", "codes": codes})));
    assert_eq!(r.status, 201, "{}", r.text());
    let s = post_json(&format!("/v1/brands/{}/referrers", b.id), &[("x-kindred-member", &member("ref"))], &json!({"name": "Rita", "email": "rita@example.com"}));
    let code = s.json()["code"].as_str().unwrap().to_owned();
    let claim = |ip: &str, m: &str| call("POST", &format!("/v1/brands/{}/referrals/claim", b.id), &from(ip, m), Some(&json!({"code": code})));
    let mut got = std::collections::BTreeSet::new();
    for i in 0..20 {
        let r = claim("203.0.113.77", &member(&format!("rot{i}")));
        assert_eq!(r.status, 200, "{}", r.text());
        got.insert(r.json()["coupon_code"].as_str().unwrap_or_default().to_owned());
    }
    assert_eq!(got.len(), 1, "one client, one coupon: {got:?}");
    // Claiming another referrer's code from the same client takes nothing more.
    let s2 = post_json(&format!("/v1/brands/{}/referrers", b.id), &[("x-kindred-member", &member("ref2"))], &json!({"name": "Rob", "email": "rob@example.com"}));
    let code2 = s2.json()["code"].as_str().unwrap().to_owned();
    let again = call("POST", &format!("/v1/brands/{}/referrals/claim", b.id), &from("203.0.113.77", &member("rot-other-code")), Some(&json!({"code": code2})));
    assert_eq!(again.status, 200, "{}", again.text());
    assert!(got.contains(again.json()["coupon_code"].as_str().unwrap_or_default()), "{}", again.text());
    // A real friend elsewhere gets their own.
    let friend = claim(&address_of("real-friend"), &member("real-friend")).json();
    assert!(!got.contains(friend["coupon_code"].as_str().unwrap()), "{friend}");
    let pools = b.admin("GET", &format!("/v1/admin/brands/{}/coupons", b.id), None).json();
    let referee = pools["pools"].as_array().unwrap().iter().find(|p| p["kind"] == "referee").cloned().unwrap();
    assert_eq!(referee["available"], 23, "{pools}");
}

#[test]
fn bodies_without_content_length_are_capped_while_they_stream() {
    use std::io::{Read, Write};
    let b = TestBrand::create("abuse-chunked");
    // Twice the 32 KB cap, sent chunked (no Content-Length) over a raw
    // socket: the edge must refuse it once it passes the cap.
    let url = edge();
    let addr = url.trim_start_matches("http://").to_owned();
    let mut s = std::net::TcpStream::connect(&addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let head = format!(
        "POST /v1/brands/{}/testimonials HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        b.id
    );
    s.write_all(head.as_bytes()).unwrap();
    let chunk = vec![b'a'; 16 * 1024];
    let mut sent_all = true;
    for _ in 0..4 {
        let framed = [format!("{:x}\r\n", chunk.len()).into_bytes(), chunk.clone(), b"\r\n".to_vec()].concat();
        if s.write_all(&framed).is_err() {
            // The edge answered and closed before the rest: that is the point.
            sent_all = false;
            break;
        }
    }
    if sent_all {
        let _ = s.write_all(b"0\r\n\r\n");
    }
    let mut answer = Vec::new();
    let _ = s.read_to_end(&mut answer);
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 413"), "expected 413, got: {}", text.lines().next().unwrap_or("(nothing)"));
    assert!(text.contains("payload_too_large"), "{text}");
}

#[test]
fn invented_products_are_answered_but_never_copied() {
    let b = TestBrand::create("abuse-products");
    for i in 0..3 {
        let r = get(&format!("/v1/widget/{}?product=invented-{i}", b.id));
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.header("x-kindred-cache"), Some("uncached"));
        // Asked again: still nothing kept.
        assert_eq!(get(&format!("/v1/widget/{}?product=invented-{i}", b.id)).header("x-kindred-cache"), Some("uncached"));
    }
    // A product with an approved testimonial is copied as before.
    let id = b.submit(&testimonial("Known Product", 5, Some("known-1"))).json()["id"].as_str().unwrap().to_owned();
    assert_eq!(b.approve(&id).status, 200);
    let first = get(&format!("/v1/widget/{}?product=known-1", b.id));
    assert_ne!(first.header("x-kindred-cache"), Some("uncached"));
}

#[test]
fn no_client_address_is_stored_anywhere_only_keyed_hashes() {
    let b = TestBrand::create("noaddr");
    let (v4, v6) = ("203.0.113.177", "2001:db8:77:1::5");
    for (i, ip) in [v4, v6].into_iter().enumerate() {
        // A testimonial with an idempotency key (kept per client), then a
        // helpful vote (counted per client and per member token).
        let r = post_json(&format!("/v1/brands/{}/testimonials", b.id), &[("cf-connecting-ip", ip), ("idempotency-key", "retry-1")], &testimonial(&format!("Addr {i}"), 5, None));
        assert_eq!(r.status, 201, "{}", r.text());
        let id = r.json()["id"].as_str().unwrap().to_owned();
        assert_eq!(b.approve(&id).status, 200);
        let m = member(&format!("noaddr{i}"));
        let v = post_json(&format!("/v1/brands/{}/testimonials/{id}/helpful", b.id), &[("cf-connecting-ip", ip), ("x-kindred-member", &m)], &json!({}));
        assert!(v.status < 300, "{} {}", v.status, v.text());
    }
    // Every row of every table: neither address, nor the IPv6 prefixes it
    // is counted under, in any form.
    let tables = kindred_tests::d1_json("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name != 'd1_migrations'");
    let names: Vec<String> = tables[0]["results"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap().to_owned()).collect();
    assert!(names.len() > 20, "{names:?}");
    let dump = kindred_tests::d1_json(&names.iter().map(|n| format!("SELECT * FROM \"{n}\"")).collect::<Vec<_>>().join("; ")).to_string();
    // (The other tests' clients too: 198.51.x.y, 203.0.113.x, 2001:db8:...)
    for needle in [v4, "203.0.113", "198.51.", "2001:db8:", "2001:db8::"] {
        assert!(!dump.contains(needle), "{needle} is stored somewhere");
    }
    // The limits still count: under keyed hashes.
    let buckets = kindred_tests::d1_json(&format!("SELECT bucket FROM rate_limits WHERE bucket LIKE 'a:{}:c_%'", b.id));
    assert!(buckets[0]["results"].as_array().is_some_and(|r| r.len() >= 2), "{buckets}");
}
