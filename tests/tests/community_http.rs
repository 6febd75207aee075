#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Micro-communities over HTTP: groups, threads, replies, reactions, invites,
//! moderation, blocks, notifications, and the privacy of private groups on
//! every route.

use kindred_core::auth::{sign_identity, IdentityClaims};
use kindred_core::referral::sign_webhook;
use kindred_tests::{d1_execute, get, receiver, request, Resp, TestBrand};
use serde_json::{json, Value};

struct Shopper {
    member: String,
    identity: Option<String>,
}

impl Shopper {
    fn new(n: &str) -> Self {
        Shopper { member: format!("shopper-{n:0>20}"), identity: None }
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Resp {
        let mut h: Vec<(&str, &str)> = vec![("x-kindred-member", &self.member), ("content-type", "application/json")];
        if let Some(i) = &self.identity {
            h.push(("x-kindred-identity", i));
        }
        let bytes = body.map(|b| b.to_string().into_bytes());
        request(method, path, &h, bytes.as_deref())
    }

    /// [`Shopper::call`] from the address `ip` (as Cloudflare names it).
    fn call_from(&self, ip: &str, method: &str, path: &str, body: Option<Value>) -> Resp {
        let bytes = body.map(|b| b.to_string().into_bytes());
        request(method, path, &[("x-kindred-member", &self.member), ("content-type", "application/json"), ("cf-connecting-ip", ip)], bytes.as_deref())
    }
}

fn setup(prefix: &str) -> TestBrand {
    let b = TestBrand::create(prefix);
    b.configure(json!({"rate_limits": {"per_client": 10000, "per_brand": 100000}}));
    b
}

fn group(b: &TestBrand, name: &str, visibility: &str, moderation: &str) -> String {
    let r = b.admin("POST", &format!("/v1/admin/brands/{}/groups", b.id), Some(&json!({"name": name, "description": "People who like this", "visibility": visibility, "moderation": moderation})));
    assert_eq!(r.status, 201, "{}", r.text());
    r.json()["id"].as_str().unwrap().to_owned()
}

fn join(b: &TestBrand, s: &Shopper, g: &str, name: &str, invite: Option<&str>) -> Resp {
    s.call("POST", &format!("/v1/brands/{}/groups/{g}/join", b.id), Some(json!({"display_name": name, "invite": invite})))
}

fn post_thread(b: &TestBrand, s: &Shopper, g: &str, title: &str) -> Resp {
    s.call("POST", &format!("/v1/brands/{}/groups/{g}/threads", b.id), Some(json!({"title": title, "body": format!("{title}: what do you all think?")})))
}

fn invite(b: &TestBrand, g: &str, single_use: bool) -> String {
    let r = b.admin("POST", &format!("/v1/admin/brands/{}/groups/{g}/invites", b.id), Some(&json!({"expires_in_hours": 24, "single_use": single_use})));
    assert_eq!(r.status, 201, "{}", r.text());
    r.json()["token"].as_str().unwrap().to_owned()
}

#[test]
fn members_start_threads_reply_react_and_see_unread_counts() {
    let b = setup("com-flow");
    let g = group(&b, "Vegan cooks", "public", "post");
    let (ana, bo) = (Shopper::new("ana"), Shopper::new("bo"));
    assert_eq!(join(&b, &ana, &g, "Ana", None).json()["member"], true);
    assert_eq!(join(&b, &bo, &g, "Bo", None).status, 200);
    let t = post_thread(&b, &ana, &g, "Best tofu press?");
    assert_eq!(t.status, 201, "{}", t.text());
    let tid = t.json()["id"].as_str().unwrap().to_owned();
    let r = bo.call("POST", &format!("/v1/brands/{}/threads/{tid}/replies", b.id), Some(json!({"body": "The steel one, no contest."})));
    assert_eq!(r.status, 201, "{}", r.text());
    let rid = r.json()["id"].as_str().unwrap().to_owned();

    let unread = ana.call("GET", &format!("/v1/brands/{}/community/unread", b.id), None).json();
    assert_eq!(unread["unread"][&g], 1, "Bo's reply is new to Ana");
    let thread = ana.call("GET", &format!("/v1/brands/{}/threads/{tid}", b.id), None).json();
    assert_eq!(thread["thread"]["reply_count"], 1);
    assert_eq!(thread["replies"][0]["author_name"], "Bo");
    assert_eq!(thread["replies"][0]["body"], "The steel one, no contest.");
    // Whose post is whose, for the shopper asking alone: the widget offers
    // no Report on one's own, which the edge refuses (helper-92).
    assert_eq!((&thread["thread"]["mine"], &thread["replies"][0]["mine"]), (&json!(true), &json!(false)));
    assert_eq!(r.json()["mine"], true, "the reply as sent is its author's");
    let for_bo = bo.call("GET", &format!("/v1/brands/{}/threads/{tid}", b.id), None).json();
    assert_eq!((&for_bo["thread"]["mine"], &for_bo["replies"][0]["mine"]), (&json!(false), &json!(true)));
    let for_nobody = Shopper::new("passer-by").call("GET", &format!("/v1/brands/{}/threads/{tid}", b.id), None).json();
    assert_eq!((&for_nobody["thread"]["mine"], &for_nobody["replies"][0]["mine"]), (&json!(false), &json!(false)));
    assert_eq!(ana.call("GET", &format!("/v1/brands/{}/groups/{g}/threads", b.id), None).json()["threads"][0]["mine"], true);
    for (who, kind, id) in [(&ana, "threads", &tid), (&bo, "replies", &rid)] {
        who.call("POST", &format!("/v1/brands/{}/{kind}/{id}/report", b.id), Some(json!({"reason": "spam"}))).assert_error(403, "forbidden");
    }
    let queue = b.admin("GET", &format!("/v1/admin/brands/{}/reports", b.id), None).json();
    assert_eq!(queue["reports"], json!([]), "an author's report of their own post is not filed");
    ana.call("GET", &format!("/v1/brands/{}/groups/{g}/threads", b.id), None);
    assert_eq!(ana.call("GET", &format!("/v1/brands/{}/community/unread", b.id), None).json()["unread"][&g], 0, "seen");

    let react = |s: &Shopper, kind: &str| s.call("POST", &format!("/v1/brands/{}/replies/{rid}/reactions", b.id), Some(json!({"kind": kind})));
    assert_eq!(react(&ana, "love").json()["reactions"], json!([["love", 1]]));
    assert_eq!(react(&bo, "love").json()["reactions"], json!([["love", 2]]));
    assert_eq!(react(&ana, "love").json()["on"], false, "a second tap takes it back");
    react(&ana, "<script>").assert_error(422, "validation_failed");
    // Each shopper's own reactions come with the thread (a reload, another
    // tab knew nothing of them: helper-95), nobody else's.
    assert_eq!(ana.call("POST", &format!("/v1/brands/{}/threads/{tid}/reactions", b.id), Some(json!({"kind": "celebrate"}))).status, 200);
    react(&ana, "like");
    let reacted = |s: &Shopper| s.call("GET", &format!("/v1/brands/{}/threads/{tid}", b.id), None).json()["reacted"].clone();
    let mut want = vec![json!([rid, "like"]), json!([tid, "celebrate"])];
    want.sort_by_key(|v| v[0].as_str().unwrap_or_default().to_owned());
    assert_eq!(reacted(&ana), json!(want), "by post id");
    assert_eq!(reacted(&bo), json!([[rid, "love"]]));
    assert_eq!(reacted(&Shopper::new("passer-by")), json!([]));
    assert_eq!(get(&format!("/v1/brands/{}/threads/{tid}", b.id)).json()["reacted"], json!([]), "no member token, no reactions of one's own");
    // Signed in on the same browser: the reaction turned on as a guest
    // shows pressed, and a tap takes it off (helper-97: it added another
    // under the identity's key, and stayed pressed).
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let token = sign_identity(&IdentityClaims { brand: b.id.clone(), sub: "cust-bo".into(), exp: now + 600, name: None, email: None }, b.identity_secret.as_bytes()).unwrap();
    let bo_signed = Shopper { member: bo.member.clone(), identity: Some(token) };
    assert_eq!(reacted(&bo_signed), json!([[rid, "love"]]));
    let off = react(&bo_signed, "love").json();
    assert_eq!((&off["on"], &off["reactions"]), (&json!(false), &json!([["like", 1]])), "taken back, not a second one (Ana's like stays)");
    assert_eq!(reacted(&bo_signed), json!([]));
    assert_eq!(reacted(&bo), json!([]), "the guest's key holds it no more either");
    assert_eq!(react(&bo_signed, "love").json()["on"], true);
    assert_eq!(reacted(&bo_signed), json!([[rid, "love"]]));
    // Six taps at once are six toggles: three turn it on, three off, and
    // it ends as it began (helper-100: each read, then wrote; they ended on).
    let taps: Vec<_> = (0..6)
        .map(|_| {
            let (member, path) = (ana.member.clone(), format!("/v1/brands/{}/replies/{rid}/reactions", b.id));
            std::thread::spawn(move || {
                let r = Shopper { member, identity: None }.call("POST", &path, Some(json!({"kind": "helpful"})));
                assert_eq!(r.status, 200, "{}", r.text());
                r.json()["on"].as_bool().unwrap()
            })
        })
        .collect();
    let on = taps.into_iter().map(|t| t.join().unwrap()).filter(|on| *on).count();
    assert_eq!(on, 3, "as many taps turned it on as off");
    assert!(!reacted(&ana).as_array().unwrap().contains(&json!([rid, "helpful"])), "it ends off, as it began");
    // Public groups can be read by anyone, but only members post.
    let stranger = Shopper::new("stranger");
    assert_eq!(stranger.call("GET", &format!("/v1/brands/{}/threads/{tid}", b.id), None).status, 200);
    stranger.call("POST", &format!("/v1/brands/{}/threads/{tid}/replies", b.id), Some(json!({"body": "hi"}))).assert_error(403, "forbidden");
    assert!(!get(&format!("/v1/brands/{}/groups/{g}/threads", b.id)).text().contains('@'));
}

#[test]
fn private_group_content_never_reaches_a_non_member_by_any_route() {
    let b = setup("com-private");
    let g = group(&b, "Founders circle", "private", "post");
    let insider = Shopper::new("insider");
    assert_eq!(join(&b, &insider, &g, "Ina", Some(&invite(&b, &g, false))).status, 200);
    let t = post_thread(&b, &insider, &g, "SECRET-TITLE launch plans");
    let tid = t.json()["id"].as_str().unwrap().to_owned();
    let r = insider.call("POST", &format!("/v1/brands/{}/threads/{tid}/replies", b.id), Some(json!({"body": "SECRET-REPLY details"})));
    let rid = r.json()["id"].as_str().unwrap().to_owned();

    let outsider = Shopper::new("outsider");
    let brand = &b.id;
    let probes: Vec<(&str, String, Option<Value>)> = vec![
        ("GET", format!("/v1/brands/{brand}/groups/{g}/threads"), None),
        ("GET", format!("/v1/brands/{brand}/threads/{tid}"), None),
        ("POST", format!("/v1/brands/{brand}/groups/{g}/threads"), Some(json!({"title": "t", "body": "b"}))),
        ("POST", format!("/v1/brands/{brand}/threads/{tid}/replies"), Some(json!({"body": "b"}))),
        ("POST", format!("/v1/brands/{brand}/threads/{tid}/reactions"), Some(json!({"kind": "like"}))),
        ("POST", format!("/v1/brands/{brand}/replies/{rid}/reactions"), Some(json!({"kind": "like"}))),
        ("POST", format!("/v1/brands/{brand}/threads/{tid}/report"), Some(json!({"reason": "spam"}))),
        ("POST", format!("/v1/brands/{brand}/replies/{rid}/report"), Some(json!({"reason": "spam"}))),
        ("POST", format!("/v1/brands/{brand}/threads/{tid}/pin"), None),
        ("POST", format!("/v1/brands/{brand}/groups/{g}/invites"), Some(json!({"expires_in_hours": 1}))),
        ("POST", format!("/v1/brands/{brand}/groups/{g}/join"), Some(json!({"display_name": "Eve"}))),
    ];
    for (method, path, body) in &probes {
        for who in [Some(&outsider), None] {
            let r = match who {
                Some(s) => s.call(method, path, body.clone()),
                None => request(method, path, &[("content-type", "application/json")], body.as_ref().map(|b| b.to_string().into_bytes()).as_deref()),
            };
            assert!((400..500).contains(&r.status), "{method} {path} -> {} {}", r.status, r.text());
            let text = r.text();
            assert!(!text.contains("SECRET"), "{method} {path} leaked: {text}");
        }
    }
    let listing = outsider.call("GET", &format!("/v1/brands/{brand}/groups"), None);
    assert!(!listing.text().contains("Founders circle"), "private groups are listed to members only");
    assert!(insider.call("GET", &format!("/v1/brands/{brand}/groups"), None).text().contains("Founders circle"));
    // Another brand's key cannot read it through the admin API either.
    let other = setup("com-private-other");
    other.admin("GET", &format!("/v1/admin/brands/{brand}/groups"), None).assert_error(403, "forbidden");
    // A verified customer (brand-signed identity) may join without an invite.
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let token = sign_identity(&IdentityClaims { brand: brand.clone(), sub: "cust-7".into(), exp: now + 600, name: None, email: None }, b.identity_secret.as_bytes()).unwrap();
    let verified = Shopper { member: format!("shopper-{:0>20}", "verified"), identity: Some(token) };
    assert_eq!(join(&b, &verified, &g, "Vic", None).status, 200);
    assert!(verified.call("GET", &format!("/v1/brands/{brand}/threads/{tid}", ), None).text().contains("SECRET-REPLY"));
}

#[test]
fn invites_that_are_revoked_used_or_for_elsewhere_are_refused() {
    let b = setup("com-invite");
    let g = group(&b, "Trail crew", "private", "post");
    let g2 = group(&b, "Other crew", "private", "post");
    let once = invite(&b, &g, true);
    assert_eq!(join(&b, &Shopper::new("first"), &g, "First", Some(&once)).status, 200);
    join(&b, &Shopper::new("second"), &g, "Second", Some(&once)).assert_error(403, "forbidden");
    let revoked = invite(&b, &g, false);
    assert_eq!(b.admin("DELETE", &format!("/v1/admin/brands/{}/invites/{revoked}", b.id), None).status, 204);
    let r = join(&b, &Shopper::new("third"), &g, "Third", Some(&revoked));
    r.assert_error(403, "forbidden");
    assert!(r.json()["error"]["message"].as_str().unwrap().contains("revoked"));
    join(&b, &Shopper::new("fourth"), &g, "Fourth", Some(&invite(&b, &g2, false))).assert_error(403, "forbidden");
    join(&b, &Shopper::new("fifth"), &g, "Fifth", Some("inv_nope")).assert_error(403, "forbidden");
    let other = setup("com-invite-other");
    let og = group(&other, "Theirs", "private", "post");
    join(&b, &Shopper::new("sixth"), &g, "Sixth", Some(&invite(&other, &og, false))).assert_error(403, "forbidden");
    b.admin("POST", &format!("/v1/admin/brands/{}/groups/{g}/invites", b.id), Some(&json!({"expires_in_hours": 0}))).assert_error(422, "validation_failed");
    // Ambassadors and leads invite too; ordinary members cannot.
    let member = Shopper::new("first");
    member.call("POST", &format!("/v1/brands/{}/groups/{g}/invites", b.id), Some(json!({"expires_in_hours": 2}))).assert_error(403, "forbidden");
    let lead = b.admin("POST", &format!("/v1/admin/brands/{}/groups/{g}/leads", b.id), Some(&json!({"member_key": format!("m:{}", member.member)})));
    assert_eq!(lead.status, 200, "{}", lead.text());
    let made = member.call("POST", &format!("/v1/brands/{}/groups/{g}/invites", b.id), Some(json!({"expires_in_hours": 2, "single_use": true})));
    assert_eq!(made.status, 201);
    assert_eq!(join(&b, &Shopper::new("seventh"), &g, "Seventh", made.json()["token"].as_str()).status, 200);
}

#[test]
fn bad_posts_are_refused_and_nothing_half_written_stays() {
    let b = setup("com-bad");
    let g = group(&b, "Runners", "public", "post");
    let s = Shopper::new("runner");
    join(&b, &s, &g, "Run", None);
    let threads = format!("/v1/brands/{}/groups/{g}/threads", b.id);
    s.call("POST", &threads, Some(json!({"title": " ", "body": "x"}))).assert_error(422, "validation_failed");
    s.call("POST", &threads, Some(json!({"title": "t", "body": ""}))).assert_error(422, "validation_failed");
    s.call("POST", &threads, Some(json!({"title": "t", "body": "b".repeat(5001)}))).assert_error(422, "validation_failed");
    s.call("POST", &threads, Some(json!({"title": "t", "body": "b".repeat(17_000)}))).assert_error(413, "payload_too_large");
    s.call("POST", &threads, Some(json!({"title": "t"}))).assert_field("body");
    join(&b, &s, &g, "", None).assert_error(422, "validation_failed");
    join(&b, &s, "no-such-group", "Run", None).assert_error(404, "not_found");
    request("GET", &threads, &[("x-kindred-member", "short")], None).assert_error(400, "bad_request");
    assert_eq!(get(&threads).json()["threads"].as_array().unwrap().len(), 0);

    // Replies to a deleted thread.
    let tid = post_thread(&b, &s, &g, "Soon gone").json()["id"].as_str().unwrap().to_owned();
    assert_eq!(b.admin("POST", &format!("/v1/admin/brands/{}/threads/{tid}/delete", b.id), None).status, 200);
    s.call("POST", &format!("/v1/brands/{}/threads/{tid}/replies", b.id), Some(json!({"body": "late"}))).assert_error(409, "conflict");
    get(&format!("/v1/brands/{}/threads/{tid}", b.id)).assert_error(404, "not_found");

    // A spam burst hits the brand's per-client limit.
    b.configure(json!({"rate_limits": {"per_client": 3, "per_brand": 1000}}));
    let statuses: Vec<u16> = (0..5).map(|i| post_thread(&b, &s, &g, &format!("Spam {i}")).status).collect();
    assert!(statuses.contains(&429), "{statuses:?}");
    let r = post_thread(&b, &s, &g, "More spam");
    r.assert_error(429, "rate_limited");
    assert!(r.header("retry-after").is_some());
}

#[test]
fn brands_moderate_pre_and_post_and_block_members() {
    let b = setup("com-mod");
    let g = group(&b, "Careful crowd", "public", "pre");
    let (author, reader) = (Shopper::new("author"), Shopper::new("reader"));
    join(&b, &author, &g, "Auth", None);
    join(&b, &reader, &g, "Read", None);
    let t = post_thread(&b, &author, &g, "Waiting for approval");
    assert_eq!(t.json()["status"], "pending");
    let tid = t.json()["id"].as_str().unwrap().to_owned();
    let list = |s: &Shopper| s.call("GET", &format!("/v1/brands/{}/groups/{g}/threads", b.id), None).json()["threads"].as_array().unwrap().len();
    assert_eq!(list(&author), 1, "the author sees their pending post");
    assert_eq!(list(&reader), 0);
    let pending = b.admin("GET", &format!("/v1/admin/brands/{}/groups/{g}/pending", b.id), None);
    assert!(!pending.text().contains(&author.member), "the queue never shows a shopper's member token: {}", pending.text());
    let pending = pending.json();
    assert_eq!(pending["pending"][0]["id"], tid.as_str());
    assert_eq!(pending["pending"][0]["author_key"], format!("post:{tid}"), "the brand names an author by their post");
    b.admin("POST", &format!("/v1/admin/brands/{}/threads/{tid}/approve", b.id), None);
    assert_eq!(list(&reader), 1);

    // Post-moderation: a report reaches the queue; hiding removes it.
    let g2 = group(&b, "Open crowd", "public", "post");
    join(&b, &author, &g2, "Auth", None);
    join(&b, &reader, &g2, "Read", None);
    let bad = post_thread(&b, &author, &g2, "Buy cheap pills").json()["id"].as_str().unwrap().to_owned();
    let rep = reader.call("POST", &format!("/v1/brands/{}/threads/{bad}/report", b.id), Some(json!({"reason": "spam"})));
    assert_eq!(rep.status, 202);
    let queue = b.admin("GET", &format!("/v1/admin/brands/{}/reports", b.id), None).json();
    assert_eq!(queue["reports"][0]["target_id"], bad.as_str());
    b.admin("POST", &format!("/v1/admin/brands/{}/threads/{bad}/hide", b.id), None);
    assert!(b.admin("GET", &format!("/v1/admin/brands/{}/reports", b.id), None).json()["reports"].as_array().unwrap().is_empty());
    assert_eq!(reader.call("GET", &format!("/v1/brands/{}/groups/{g2}/threads", b.id), None).json()["threads"].as_array().unwrap().len(), 0);

    // Blocked members cannot post anywhere in the brand.
    let blocked = b.admin("POST", &format!("/v1/admin/brands/{}/blocks", b.id), Some(&json!({"member_key": format!("post:{bad}")})));
    assert_eq!(blocked.status, 200, "{}", blocked.text());
    post_thread(&b, &author, &g2, "Again").assert_error(403, "forbidden");
    // Nor report: a blocked member's reports went on filling the queue
    // (helper-92).
    let first_of_reader = post_thread(&b, &reader, &g2, "A fair question").json()["id"].as_str().unwrap().to_owned();
    author.call("POST", &format!("/v1/brands/{}/threads/{first_of_reader}/report", b.id), Some(json!({"reason": "offensive"}))).assert_error(403, "forbidden");
    for bad_key in ["nope", "post:", "m:", "id:"] {
        b.admin("POST", &format!("/v1/admin/brands/{}/blocks", b.id), Some(&json!({"member_key": bad_key}))).assert_error(422, "validation_failed");
    }
    b.admin("POST", &format!("/v1/admin/brands/{}/blocks", b.id), Some(&json!({"member_key": "post:no-such-post"}))).assert_error(404, "not_found");
    // Leads pin; pinned threads lead the list.
    let first = post_thread(&b, &reader, &g2, "First").json()["id"].as_str().unwrap().to_owned();
    post_thread(&b, &reader, &g2, "Second");
    reader.call("POST", &format!("/v1/brands/{}/threads/{first}/pin", b.id), None).assert_error(403, "forbidden");
    assert_eq!(b.admin("POST", &format!("/v1/admin/brands/{}/groups/{g2}/leads", b.id), Some(&json!({"member_key": format!("post:{first}")}))).status, 200);
    assert_eq!(reader.call("POST", &format!("/v1/brands/{}/threads/{first}/pin", b.id), None).status, 200);
    let threads = reader.call("GET", &format!("/v1/brands/{}/groups/{g2}/threads", b.id), None).json();
    assert_eq!(threads["threads"][0]["id"], first.as_str());
    assert_eq!(threads["threads"][0]["pinned"], true);
}

#[test]
fn new_threads_and_replies_are_announced_by_signed_webhooks() {
    let b = setup("com-hook");
    let (url, rx) = receiver(vec![200, 200]);
    b.configure(json!({"community_webhook_url": url}));
    let secret = b.admin("GET", &format!("/v1/admin/brands/{}", b.id), None).json()["webhook_secret"].as_str().unwrap().to_owned();
    let g = group(&b, "Notified", "public", "post");
    let s = Shopper::new("notify");
    join(&b, &s, &g, "Nia", None);
    let tid = post_thread(&b, &s, &g, "Hello group").json()["id"].as_str().unwrap().to_owned();
    let (h1, body1) = rx.recv_timeout(std::time::Duration::from_secs(10)).expect("thread webhook");
    s.call("POST", &format!("/v1/brands/{}/threads/{tid}/replies", b.id), Some(json!({"body": "Replying"})));
    let (_, body2) = rx.recv_timeout(std::time::Duration::from_secs(10)).expect("reply webhook");
    let sig = h1.iter().find(|(k, _)| k == "kindred-signature").unwrap().1.clone();
    let t: i64 = sig.split(',').next().unwrap().trim_start_matches("t=").parse().unwrap();
    assert_eq!(sig, sign_webhook(secret.as_bytes(), t, &body1));
    let v1: Value = serde_json::from_str(&body1).unwrap();
    let v2: Value = serde_json::from_str(&body2).unwrap();
    assert_eq!(v1["event"], "community.thread");
    assert_eq!(v1["thread"]["title"], "Hello group");
    assert_eq!(v2["event"], "community.reply");
    assert!(!body1.contains(&s.member), "member tokens stay private");
}

#[test]
fn the_brand_replies_under_a_thread_in_public_keeps_every_version_and_tells_the_author() {
    let b = setup("com-brandreply");
    let (url, rx) = receiver(vec![200, 200, 200]);
    b.configure(json!({"community_webhook_url": url}));
    let g = group(&b, "Trail runners", "private", "post");
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let token = sign_identity(&IdentityClaims { brand: b.id.clone(), sub: "cust-42".into(), exp: now + 600, name: None, email: None }, b.identity_secret.as_bytes()).unwrap();
    let author = Shopper { member: format!("shopper-{:0>20}", "threadauthor"), identity: Some(token) };
    assert_eq!(join(&b, &author, &g, "Rana", None).status, 200, "a verified identity joins a private group");
    let tid = post_thread(&b, &author, &g, "Do the soles wear fast?").json()["id"].as_str().unwrap().to_owned();
    rx.recv_timeout(std::time::Duration::from_secs(10)).expect("the thread's own webhook");
    let path = format!("/v1/admin/brands/{}/threads/{tid}/reply", b.id);

    // Bad input is refused and nothing is written.
    b.admin("POST", &path, Some(&json!({"body": "  "}))).assert_error(422, "validation_failed");
    b.admin("POST", &path, Some(&json!({"body": "x", "pinned": true}))).assert_field("pinned");
    b.admin("POST", &format!("/v1/admin/brands/{}/threads/nope/reply", b.id), Some(&json!({"body": "Hi"}))).assert_error(404, "not_found");
    assert!(b.admin("GET", &path, None).json()["history"].as_array().unwrap().is_empty());

    // Another brand's key reaches nothing of this one.
    let other = setup("com-brandreply-x");
    other.admin("POST", &path, Some(&json!({"body": "Not yours"}))).assert_error(403, "forbidden");
    other.admin("GET", &format!("/v1/admin/brands/{}/groups/{g}/threads", b.id), None).assert_error(403, "forbidden");

    // The reply, then an edit: shown under the thread, marked as the brand's.
    let r = b.admin("POST", &path, Some(&json!({"body": "They last about 800 km; we replace them free before that."})));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["brand_reply"]["body"], "They last about 800 km; we replace them free before that.");
    assert!(r.json()["brand_reply"].get("edited_at").is_none());
    let (_, hook) = rx.recv_timeout(std::time::Duration::from_secs(10)).expect("thread.replied webhook");
    let hook: Value = serde_json::from_str(&hook).unwrap();
    assert_eq!(hook["event"], "thread.replied");
    assert_eq!(hook["thread"]["id"], tid.as_str());
    assert_eq!(hook["author_identity"], "cust-42", "the brand can reach a signed-in author");
    assert!(!hook.to_string().contains(&author.member), "member tokens never leave Kindred");
    let r = b.admin("POST", &path, Some(&json!({"body": "They last about 900 km; we replace them free before that."})));
    assert!(r.json()["brand_reply"]["edited_at"].as_i64().is_some(), "{}", r.text());
    let page = author.call("GET", &format!("/v1/brands/{}/threads/{tid}", b.id), None).json();
    assert_eq!(page["thread"]["brand_reply"]["body"], "They last about 900 km; we replace them free before that.", "{page}");
    let list = b.admin("GET", &format!("/v1/admin/brands/{}/groups/{g}/threads", b.id), None);
    assert_eq!(list.status, 200, "{}", list.text());
    assert_eq!(list.json()["threads"][0]["brand_reply"]["body"], "They last about 900 km; we replace them free before that.");
    // Members of the private group only: an outsider still reads nothing.
    let outsider = Shopper::new("outsider-reply");
    assert!(!outsider.call("GET", &format!("/v1/brands/{}/threads/{tid}", b.id), None).text().contains("900 km"));

    // Taken down: gone from the thread, every version kept.
    assert_eq!(b.admin("DELETE", &path, None).status, 204);
    let page = author.call("GET", &format!("/v1/brands/{}/threads/{tid}", b.id), None).json();
    assert!(page["thread"].get("brand_reply").is_none(), "{page}");
    let h = b.admin("GET", &path, None).json();
    let actions: Vec<&str> = h["history"].as_array().unwrap().iter().map(|v| v["action"].as_str().unwrap()).collect();
    assert_eq!(actions, vec!["created", "edited", "deleted"]);
    assert_eq!(h["history"][1]["body"], "They last about 900 km; we replace them free before that.");
    assert!(h.get("reply").is_none());

    // A thread nobody is shown takes none either.
    assert_eq!(b.admin("POST", &format!("/v1/admin/brands/{}/threads/{tid}/hide", b.id), None).status, 200);
    b.admin("POST", &path, Some(&json!({"body": "Hidden"}))).assert_error(409, "conflict");
    // A deleted thread takes no reply.
    assert_eq!(b.admin("POST", &format!("/v1/admin/brands/{}/threads/{tid}/delete", b.id), None).status, 200);
    b.admin("POST", &path, Some(&json!({"body": "Too late"}))).assert_error(404, "not_found");
}

#[test]
fn a_private_groups_photos_open_only_from_the_url_its_members_were_given() {
    let b = setup("com-photos");
    let upload = |s: &Shopper| {
        let r = request("POST", &format!("/v1/brands/{}/photos", b.id), &[("x-kindred-member", &s.member), ("content-type", "application/octet-stream")], Some(&kindred_tests::png(40, 30)));
        assert_eq!(r.status, 201, "{}", r.text());
        r.json()["id"].as_str().unwrap().to_owned()
    };
    let thread_with = |s: &Shopper, g: &str, photo: &str| {
        let r = s.call("POST", &format!("/v1/brands/{}/groups/{g}/threads", b.id), Some(json!({"title": "My trail", "body": "Where I ran today", "photo": photo})));
        assert_eq!(r.status, 201, "{}", r.text());
        r.json()
    };

    // A private group: the member who posts and another who reads.
    let private = group(&b, "Founders circle", "private", "post");
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let member = |n: &str| {
        let token = sign_identity(&IdentityClaims { brand: b.id.clone(), sub: format!("cust-{n}"), exp: now + 600, name: None, email: None }, b.identity_secret.as_bytes()).unwrap();
        let s = Shopper { member: format!("shopper-{n:0>20}"), identity: Some(token) };
        assert_eq!(join(&b, &s, &private, n, None).status, 200);
        s
    };
    let (poster, reader) = (member("photoposter"), member("photoreader"));
    let photo = upload(&poster);
    let posted = thread_with(&poster, &private, &photo);
    let given = posted["photo"]["url"].as_str().unwrap().to_owned();
    assert!(given.starts_with(&format!("/v1/photos/{photo}?expires=")) && given.contains("&sig="), "{given}");

    // Every member is given a URL that opens it, kept by the browser only.
    let listed = reader.call("GET", &format!("/v1/brands/{}/groups/{private}/threads", b.id), None).json();
    assert_eq!(listed["threads"][0]["photo"]["url"], given.as_str(), "one URL all hour: the browser's cache serves it again");
    let tid = posted["id"].as_str().unwrap();
    assert_eq!(reader.call("GET", &format!("/v1/brands/{}/threads/{tid}", b.id), None).json()["thread"]["photo"]["url"], given.as_str());
    let shown = get(&given);
    assert_eq!(shown.status, 200, "{}", shown.text());
    assert_eq!(shown.header("content-type"), Some("image/png"));
    let cache = shown.header("cache-control").unwrap_or_default().to_owned();
    let age: i64 = cache.strip_prefix("private, max-age=").and_then(|a| a.parse().ok()).unwrap_or(-1);
    assert!((1..=300).contains(&age), "{cache}");

    // Its id alone, or a URL changed in any part, opens nothing.
    get(&format!("/v1/photos/{photo}")).assert_error(404, "not_found");
    let (path, q) = given.split_once('?').unwrap();
    let (expires, sig) = q.split_once("&sig=").unwrap();
    let expires: i64 = expires.trim_start_matches("expires=").parse().unwrap();
    let flipped = format!("{}{}", if sig.starts_with('0') { "1" } else { "0" }, &sig[1..]);
    for bad in [
        format!("{path}?expires={expires}&sig={flipped}"),
        format!("{path}?expires={}&sig={sig}", expires + 3600),
        format!("{path}?expires={}&sig={sig}", expires - 3600),
        format!("{path}?sig={sig}"),
        format!("{path}?expires={expires}"),
        format!("{path}?expires=soon&sig={sig}"),
        format!("{path}?expires=0{expires}&sig={sig}"),
        format!("{path}?expires=%2B{expires}&sig={sig}"),
        format!("{path}?expires={expires}&sig={}", sig.to_uppercase()),
    ] {
        get(&bad).assert_error(404, "not_found");
    }
    let other = upload(&poster);
    thread_with(&poster, &private, &other);
    get(&format!("/v1/photos/{other}?{q}")).assert_error(404, "not_found");

    // The brand's key opens it (the console), never cached.
    let admin = b.admin("GET", &format!("/v1/photos/{photo}"), None);
    assert_eq!(admin.status, 200);
    assert_eq!(admin.header("cache-control"), Some("private, no-store"));

    // A thread taken down closes its photo at once, signed URL or not.
    assert_eq!(b.admin("POST", &format!("/v1/admin/brands/{}/threads/{tid}/hide", b.id), None).status, 200);
    get(&given).assert_error(404, "not_found");

    // A public group's photos keep their plain URL, for any cache.
    let open = group(&b, "Trail runners", "public", "post");
    let walker = Shopper::new("photowalker");
    assert_eq!(join(&b, &walker, &open, "Walker", None).status, 200);
    let open_photo = upload(&walker);
    let posted = thread_with(&walker, &open, &open_photo);
    assert_eq!(posted["photo"]["url"], format!("/v1/photos/{open_photo}"));
    let shown = get(&format!("/v1/photos/{open_photo}"));
    assert_eq!(shown.status, 200);
    assert_eq!(shown.header("cache-control"), Some("public, max-age=300"));

    // A post waiting for moderation: its author sees its photo (by a URL
    // given to them), the id alone opens nothing, and once approved it is
    // public like any other.
    let held = group(&b, "Careful circle", "public", "pre");
    let waiter = Shopper::new("photowaiter");
    assert_eq!(join(&b, &waiter, &held, "Wai", None).status, 200);
    let held_photo = upload(&waiter);
    let posted = thread_with(&waiter, &held, &held_photo);
    assert_eq!(posted["status"], "pending", "{posted}");
    let own = posted["photo"]["url"].as_str().unwrap().to_owned();
    assert!(own.starts_with(&format!("/v1/photos/{held_photo}?expires=")), "{own}");
    assert_eq!(get(&own).status, 200, "the author sees their own photo");
    let listed = waiter.call("GET", &format!("/v1/brands/{}/groups/{held}/threads", b.id), None).json();
    assert_eq!(listed["threads"][0]["photo"]["url"], own.as_str(), "{listed}");
    get(&format!("/v1/photos/{held_photo}")).assert_error(404, "not_found");
    let held_id = posted["id"].as_str().unwrap();
    assert_eq!(b.admin("POST", &format!("/v1/admin/brands/{}/threads/{held_id}/approve", b.id), None).status, 200);
    assert_eq!(get(&format!("/v1/photos/{held_photo}")).status, 200);
    // A moderator's takedown closes it to its author's URL too.
    assert_eq!(b.admin("POST", &format!("/v1/admin/brands/{}/threads/{held_id}/hide", b.id), None).status, 200);
    get(&own).assert_error(404, "not_found");
    get(&format!("/v1/photos/{held_photo}")).assert_error(404, "not_found");
    let data = waiter.call("GET", &format!("/v1/brands/{}/me/data", b.id), None).json();
    assert_eq!(data["threads"][0]["photo"]["url"], format!("/v1/photos/{held_photo}"), "no fresh URL for a photo taken down: {data}");
}

#[test]
fn members_leave_and_a_brand_takes_a_member_out_of_a_group_for_good() {
    let b = setup("com-leave");
    let brand = b.id.clone();
    let g = group(&b, "Inner circle", "private", "post");
    let link = invite(&b, &g, false);
    let (alice, bob) = (Shopper::new("alice"), Shopper::new("bob"));
    let joined = join(&b, &alice, &g, "Alice", Some(&link));
    assert_eq!((joined.status, joined.json()["member"].clone(), joined.json()["members"].clone()), (200, json!(true), json!(1)), "the answer counts the new member");
    assert_eq!(join(&b, &bob, &g, "Bob", Some(&link)).json()["members"], 2);
    let tid = post_thread(&b, &alice, &g, "SECRET plans").json()["id"].as_str().unwrap().to_owned();
    let threads = |s: &Shopper| s.call("GET", &format!("/v1/brands/{brand}/groups/{g}/threads"), None);

    // Bob leaves: he reads no more, the count drops, and the link takes him back.
    let left = bob.call("POST", &format!("/v1/brands/{brand}/groups/{g}/leave"), None);
    assert_eq!(left.status, 200, "{}", left.text());
    assert_eq!(left.json()["member"], false);
    assert_eq!(left.json()["members"], 1);
    threads(&bob).assert_error(403, "forbidden");
    // A private group left is described to members only, as by the list.
    let again = bob.call("POST", &format!("/v1/brands/{brand}/groups/{g}/leave"), None);
    again.assert_error(403, "forbidden");
    assert!(!again.text().contains("Inner circle"));
    assert_eq!(join(&b, &bob, &g, "Bob", Some(&link)).status, 200, "leaving is not a ban");
    request("POST", &format!("/v1/brands/{brand}/groups/{g}/leave"), &[], None).assert_error(400, "bad_request");

    // The brand takes Alice out by her post: she reads nothing and the same
    // invite does not bring her back; her post stays for the others.
    let removed = b.admin("POST", &format!("/v1/admin/brands/{brand}/groups/{g}/removals"), Some(&json!({"member_key": format!("post:{tid}")})));
    assert_eq!(removed.status, 200, "{}", removed.text());
    assert_eq!(removed.json(), json!({"member_key": format!("post:{tid}")}));
    assert!(!removed.text().contains(&alice.member));
    threads(&alice).assert_error(403, "forbidden");
    alice.call("GET", &format!("/v1/brands/{brand}/threads/{tid}"), None).assert_error(403, "forbidden");
    join(&b, &alice, &g, "Alice", Some(&link)).assert_error(403, "forbidden");
    join(&b, &alice, &g, "Alice", Some(&invite(&b, &g, true))).assert_error(403, "forbidden");
    assert!(threads(&bob).text().contains("SECRET plans"));
    assert!(!alice.call("GET", &format!("/v1/brands/{brand}/groups"), None).text().contains("Inner circle"));
    // Her data download says so (GDPR Art. 15), and names no key.
    let data = alice.call("GET", &format!("/v1/brands/{brand}/me/data"), None);
    assert_eq!(data.status, 200, "{}", data.text());
    assert_eq!(data.json()["restrictions"], json!([{"kind": "removed", "group": g, "group_name": "Inner circle", "at": data.json()["restrictions"][0]["at"]}]));
    assert!(!data.text().contains(&alice.member));

    // A verified customer, who needs no invite, is kept out by their id.
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let token = sign_identity(&IdentityClaims { brand: brand.clone(), sub: "cust-9".into(), exp: now + 600, name: None, email: None }, b.identity_secret.as_bytes()).unwrap();
    let carol = Shopper { member: format!("shopper-{:0>20}", "carol"), identity: Some(token) };
    assert_eq!(join(&b, &carol, &g, "Carol", None).status, 200);
    let r = b.admin("POST", &format!("/v1/admin/brands/{brand}/groups/{g}/removals"), Some(&json!({"member_key": "id:cust-9"})));
    assert_eq!(r.status, 200);
    join(&b, &carol, &g, "Carol", None).assert_error(403, "forbidden");

    // Joined signed out, posted signed in: the post names her customer id,
    // the membership her member token; taken out by the post, she is out
    // under both, and a readmission does not put her back.
    let dana_id = sign_identity(&IdentityClaims { brand: brand.clone(), sub: "cust-11".into(), exp: now + 600, name: None, email: None }, b.identity_secret.as_bytes()).unwrap();
    let dana_out = Shopper::new("dana");
    assert_eq!(join(&b, &dana_out, &g, "Dana", Some(&link)).status, 200);
    let dana = Shopper { member: dana_out.member.clone(), identity: Some(dana_id) };
    let posted = post_thread(&b, &dana, &g, "Signed in now").json();
    assert_eq!(posted["author_name"], "Dana", "the name she joined under, whichever key she joined with");
    let dt = posted["id"].as_str().unwrap().to_owned();
    assert_eq!(b.admin("GET", &format!("/v1/admin/brands/{brand}/groups/{g}/threads"), None).status, 200);
    assert_eq!(b.admin("POST", &format!("/v1/admin/brands/{brand}/groups/{g}/removals"), Some(&json!({"member_key": format!("post:{dt}")}))).status, 200);
    for who in [&dana_out, &dana] {
        threads(who).assert_error(403, "forbidden");
        assert!(!who.call("GET", &format!("/v1/brands/{brand}/groups"), None).text().contains("Inner circle"));
        assert!(!who.call("GET", &format!("/v1/brands/{brand}/community/unread"), None).text().contains(&g));
    }
    join(&b, &dana_out, &g, "Dana", Some(&link)).assert_error(403, "forbidden");
    assert_eq!(b.admin("POST", &format!("/v1/admin/brands/{brand}/groups/{g}/readmissions"), Some(&json!({"member_key": format!("post:{dt}")}))).json()["readmitted"], true);
    threads(&dana_out).assert_error(403, "forbidden");

    // Readmitted, Alice may join again with an invite (she is not put back).
    let r = b.admin("POST", &format!("/v1/admin/brands/{brand}/groups/{g}/readmissions"), Some(&json!({"member_key": format!("post:{tid}")})));
    assert_eq!(r.json(), json!({"member_key": format!("post:{tid}"), "readmitted": true}));
    threads(&alice).assert_error(403, "forbidden");
    assert_eq!(join(&b, &alice, &g, "Alice", Some(&link)).status, 200);
    assert!(threads(&alice).text().contains("SECRET plans"));
    let again = b.admin("POST", &format!("/v1/admin/brands/{brand}/groups/{g}/readmissions"), Some(&json!({"member_key": format!("post:{tid}")})));
    assert_eq!(again.json()["readmitted"], false);

    // A lead taken out: the invite links they made stop working.
    let bt0 = post_thread(&b, &bob, &g, "Lead here").json()["id"].as_str().unwrap().to_owned();
    assert_eq!(b.admin("POST", &format!("/v1/admin/brands/{brand}/groups/{g}/leads"), Some(&json!({"member_key": format!("post:{bt0}")}))).status, 200);
    let bobs = bob.call("POST", &format!("/v1/brands/{brand}/groups/{g}/invites"), Some(json!({"expires_in_hours": 24})));
    assert_eq!(bobs.status, 201, "{}", bobs.text());
    let bobs = bobs.json()["token"].as_str().unwrap().to_owned();
    assert_eq!(b.admin("POST", &format!("/v1/admin/brands/{brand}/groups/{g}/removals"), Some(&json!({"member_key": format!("post:{bt0}")}))).status, 200);
    join(&b, &Shopper::new("erin"), &g, "Erin", Some(&bobs)).assert_error(403, "forbidden");
    bob.call("POST", &format!("/v1/brands/{brand}/groups/{g}/invites"), Some(json!({"expires_in_hours": 24}))).assert_error(403, "forbidden");

    // Out of a public group: still reads, may not join again, so may not post.
    let open = group(&b, "Open table", "public", "post");
    assert_eq!(join(&b, &bob, &open, "Bob", None).status, 200);
    let bt = post_thread(&b, &bob, &open, "Hello all").json()["id"].as_str().unwrap().to_owned();
    assert_eq!(b.admin("POST", &format!("/v1/admin/brands/{brand}/groups/{open}/removals"), Some(&json!({"member_key": format!("post:{bt}")}))).status, 200);
    assert_eq!(threads_of(&b, &bob, &open).status, 200);
    post_thread(&b, &bob, &open, "Back again").assert_error(403, "forbidden");
    join(&b, &bob, &open, "Bob", None).assert_error(403, "forbidden");

    // A block through a post written signed in reaches the member token the
    // shopper joined with signed out.
    let fay_out = Shopper::new("fay");
    assert_eq!(join(&b, &fay_out, &open, "Fay", None).status, 200);
    let fay_id = sign_identity(&IdentityClaims { brand: brand.clone(), sub: "cust-12".into(), exp: now + 600, name: None, email: None }, b.identity_secret.as_bytes()).unwrap();
    let fay = Shopper { member: fay_out.member.clone(), identity: Some(fay_id) };
    let ft = post_thread(&b, &fay, &open, "Hi all").json()["id"].as_str().unwrap().to_owned();
    assert_eq!(b.admin("POST", &format!("/v1/admin/brands/{brand}/blocks"), Some(&json!({"member_key": format!("post:{ft}")}))).status, 200);
    post_thread(&b, &fay_out, &open, "Signed out now").assert_error(403, "forbidden");
    fay_out.call("POST", &format!("/v1/brands/{brand}/threads/{bt}/reactions"), Some(json!({"kind": "like"}))).assert_error(403, "forbidden");

    let id_of = |sub: &str| sign_identity(&IdentityClaims { brand: brand.clone(), sub: sub.into(), exp: now + 600, name: None, email: None }, b.identity_secret.as_bytes()).unwrap();
    // A customer removed by a post from their phone (signed in) is out
    // whichever browser they use: the phone, seen signed in once more, is
    // barred signed out too.
    let ivy_laptop = Shopper { member: format!("shopper-{:0>20}", "ivy-laptop"), identity: Some(id_of("cust-13")) };
    let ivy_phone = Shopper { member: format!("shopper-{:0>20}", "ivy-phone"), identity: Some(id_of("cust-13")) };
    assert_eq!(join(&b, &ivy_laptop, &g, "Ivy", None).status, 200);
    let it = post_thread(&b, &ivy_phone, &g, "From my phone").json()["id"].as_str().unwrap().to_owned();
    assert_eq!(b.admin("POST", &format!("/v1/admin/brands/{brand}/groups/{g}/removals"), Some(&json!({"member_key": format!("post:{it}")}))).status, 200);
    threads(&ivy_phone).assert_error(403, "forbidden");
    join(&b, &Shopper::new("ivy-phone"), &g, "Ivy", Some(&link)).assert_error(403, "forbidden");

    // One family laptop, two customers: taking one out leaves the other in,
    // signed in on the same browser; the laptop signed out is kept out.
    let family = format!("shopper-{:0>20}", "family-laptop");
    let (ana, bo) = (Shopper { member: family.clone(), identity: Some(id_of("cust-21")) }, Shopper { member: family.clone(), identity: Some(id_of("cust-22")) });
    assert_eq!(join(&b, &ana, &g, "Ana", Some(&link)).status, 200);
    assert_eq!(join(&b, &bo, &g, "Bo", Some(&link)).status, 200);
    assert_eq!(b.admin("POST", &format!("/v1/admin/brands/{brand}/groups/{g}/removals"), Some(&json!({"member_key": "id:cust-21"}))).status, 200);
    threads(&ana).assert_error(403, "forbidden");
    assert_eq!(threads(&bo).status, 200, "the other customer on the same browser stays in");
    join(&b, &Shopper { member: family.clone(), identity: None }, &g, "Anon", Some(&link)).assert_error(403, "forbidden");
    assert_eq!(threads(&bo).status, 200);
    // Naming another customer tells the brand nothing about the removal.
    let r = b.admin("POST", &format!("/v1/admin/brands/{brand}/groups/{g}/readmissions"), Some(&json!({"member_key": "id:cust-22"})));
    assert_eq!(r.json()["readmitted"], false);

    // Removed by id before ever signing in on the browser they joined with:
    // seen there signed in, that browser's membership goes, and a
    // readmission does not bring it back.
    let jon_out = Shopper::new("jon");
    assert_eq!(join(&b, &jon_out, &g, "Jon", Some(&link)).status, 200);
    let r = b.admin("POST", &format!("/v1/admin/brands/{brand}/groups/{g}/removals"), Some(&json!({"member_key": "id:cust-31"})));
    assert_eq!(r.status, 200);
    let jon = Shopper { member: jon_out.member.clone(), identity: Some(id_of("cust-31")) };
    threads(&jon).assert_error(403, "forbidden");
    threads(&jon_out).assert_error(403, "forbidden");
    assert_eq!(b.admin("POST", &format!("/v1/admin/brands/{brand}/groups/{g}/readmissions"), Some(&json!({"member_key": "id:cust-31"}))).json()["readmitted"], true);
    threads(&jon_out).assert_error(403, "forbidden");

    // Two removals reach one browser: its customer's, and later its own (a
    // post it wrote signed out). Each readmission lifts only its own, so
    // the browser stays out until both are lifted.
    let kim_out = Shopper::new("kim");
    assert_eq!(join(&b, &kim_out, &open, "Kim", None).status, 200);
    let kt = post_thread(&b, &kim_out, &open, "Signed out post").json()["id"].as_str().unwrap().to_owned();
    let kim = Shopper { member: kim_out.member.clone(), identity: Some(id_of("cust-41")) };
    assert_eq!(post_thread(&b, &kim, &open, "Signed in post").status, 201);
    let remove = |key: String| b.admin("POST", &format!("/v1/admin/brands/{brand}/groups/{open}/removals"), Some(&json!({"member_key": key})));
    let readmit = |key: String| b.admin("POST", &format!("/v1/admin/brands/{brand}/groups/{open}/readmissions"), Some(&json!({"member_key": key}))).json()["readmitted"].clone();
    assert_eq!(remove("id:cust-41".into()).status, 200);
    assert_eq!(remove(format!("post:{kt}")).status, 200);
    assert_eq!(readmit("id:cust-41".into()), true);
    join(&b, &kim_out, &open, "Kim", None).assert_error(403, "forbidden");
    assert_eq!(readmit(format!("post:{kt}")), true, "the browser's own removal is lifted by its own post");
    assert_eq!(join(&b, &kim_out, &open, "Kim", None).status, 200);
    assert_eq!(readmit(format!("post:{kt}")), false);

    // A post whose author erased their data (the brand anonymises) names nobody.
    b.configure(json!({"privacy": {"erasure": "anonymise"}}));
    let gil = Shopper::new("gil");
    assert_eq!(join(&b, &gil, &open, "Gil", None).status, 200);
    let gt = post_thread(&b, &gil, &open, "Soon gone").json()["id"].as_str().unwrap().to_owned();
    assert_eq!(gil.call("DELETE", &format!("/v1/brands/{brand}/me/data"), None).status, 200);
    b.admin("POST", &format!("/v1/admin/brands/{brand}/groups/{open}/removals"), Some(&json!({"member_key": format!("post:{gt}")}))).assert_error(409, "conflict");

    // Another brand's post, an unknown group, a bad key, another brand's key.
    let other = setup("com-leave-other");
    let og = group(&other, "Elsewhere", "public", "post");
    let stranger = Shopper::new("stranger");
    join(&other, &stranger, &og, "Stan", None);
    let ot = post_thread(&other, &stranger, &og, "Theirs").json()["id"].as_str().unwrap().to_owned();
    b.admin("POST", &format!("/v1/admin/brands/{brand}/groups/{g}/removals"), Some(&json!({"member_key": format!("post:{ot}")}))).assert_error(404, "not_found");
    b.admin("POST", &format!("/v1/admin/brands/{brand}/groups/nope/removals"), Some(&json!({"member_key": "id:x"}))).assert_error(404, "not_found");
    b.admin("POST", &format!("/v1/admin/brands/{brand}/groups/{g}/removals"), Some(&json!({"member_key": "token-only"}))).assert_error(422, "validation_failed");
    other.admin("POST", &format!("/v1/admin/brands/{brand}/groups/{g}/removals"), Some(&json!({"member_key": "id:x"}))).assert_error(403, "forbidden");
}

#[test]
fn brands_list_their_blocks_and_removals_and_lift_each_by_the_name_they_gave() {
    let b = setup("com-lift");
    let brand = b.id.clone();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let id_of = |sub: &str| sign_identity(&IdentityClaims { brand: brand.clone(), sub: sub.into(), exp: now + 600, name: None, email: None }, b.identity_secret.as_bytes()).unwrap();
    let open = group(&b, "Trail talk", "public", "post");
    let admin = |method: &str, path: &str, key: Option<String>| b.admin(method, &format!("/v1/admin/brands/{brand}{path}"), key.map(|k| json!({ "member_key": k })).as_ref());

    // Ann, signed out, blocked by her post; Cy blocked by his customer id,
    // which reaches the browser he joined with signed out.
    let ann = Shopper::new("ann-lift");
    assert_eq!(join(&b, &ann, &open, "Ann", None).status, 200);
    let at = post_thread(&b, &ann, &open, "Buy elsewhere").json()["id"].as_str().unwrap().to_owned();
    let cy_out = Shopper::new("cy-lift");
    assert_eq!(join(&b, &cy_out, &open, "Cy", None).status, 200);
    let cy = Shopper { member: cy_out.member.clone(), identity: Some(id_of("cust-51")) };
    assert_eq!(post_thread(&b, &cy, &open, "Signed in now").status, 201);
    assert_eq!(admin("POST", "/blocks", Some(format!("post:{at}"))).status, 200);
    assert_eq!(admin("POST", "/blocks", Some("id:cust-51".into())).status, 200);
    post_thread(&b, &cy_out, &open, "Signed out").assert_error(403, "forbidden");

    // The list: one entry per block, named as the brand named them, with
    // their names, newest first; never a member token.
    let list = admin("GET", "/blocks", None);
    assert_eq!(list.status, 200, "{}", list.text());
    let shown: Vec<(String, Value)> = list.json()["blocks"].as_array().unwrap().iter().map(|e| (e["member_key"].as_str().unwrap().to_owned(), e["name"].clone())).collect();
    assert_eq!(shown, vec![("id:cust-51".to_owned(), json!("Cy")), (format!("post:{at}"), json!("Ann"))]);
    assert!(!list.text().contains("shopper-"), "no member token in {}", list.text());

    // Two anonymous posts by one browser, blocked one by one: two entries
    // (the list does not say they share an author), each lifted by its own
    // post only; the browser stays blocked while either stands, and naming
    // a third post of theirs lifts nothing.
    let eve = Shopper::new("eve-lift");
    assert_eq!(join(&b, &eve, &open, "Eve", None).status, 200);
    let [e1, e2, e3] = ["One", "Two", "Three"].map(|t| post_thread(&b, &eve, &open, t).json()["id"].as_str().unwrap().to_owned());
    assert_eq!(admin("POST", "/blocks", Some(format!("post:{e1}"))).status, 200);
    assert_eq!(admin("POST", "/blocks", Some(format!("post:{e2}"))).status, 200);
    let keys: Vec<Value> = admin("GET", "/blocks", None).json()["blocks"].as_array().unwrap().iter().map(|e| e["member_key"].clone()).collect();
    assert_eq!(keys[..2], [json!(format!("post:{e2}")), json!(format!("post:{e1}"))]);
    assert_eq!(admin("POST", "/unblocks", Some(format!("post:{e3}"))).json()["unblocked"], false);
    assert_eq!(admin("POST", "/unblocks", Some(format!("post:{e1}"))).json()["unblocked"], true);
    post_thread(&b, &eve, &open, "Still blocked").assert_error(403, "forbidden");
    assert_eq!(admin("POST", "/unblocks", Some(format!("post:{e2}"))).json()["unblocked"], true);
    assert_eq!(post_thread(&b, &eve, &open, "Free again").status, 201);

    // Lifting Cy lifts the browser his block reached.
    assert_eq!(admin("POST", "/unblocks", Some("id:cust-51".into())).json()["unblocked"], true);
    assert_eq!(post_thread(&b, &cy_out, &open, "Back, signed out").status, 201);
    assert_eq!(post_thread(&b, &cy, &open, "Back, signed in").status, 201);
    assert_eq!(admin("POST", "/unblocks", Some("id:cust-51".into())).json()["unblocked"], false);

    // Ann erases her data (her post goes): her block stays, still listed
    // by the post it named, and is lifted by that name.
    assert_eq!(ann.call("DELETE", &format!("/v1/brands/{brand}/me/data"), None).status, 200);
    let list = admin("GET", "/blocks", None).json();
    assert_eq!(list["blocks"], json!([{"member_key": format!("post:{at}"), "name": null, "created_at": list["blocks"][0]["created_at"]}]));
    join(&b, &ann, &open, "Ann", None).assert_error(403, "forbidden");
    assert_eq!(admin("POST", "/unblocks", Some(format!("post:{at}"))).json()["unblocked"], true);
    assert_eq!(join(&b, &ann, &open, "Ann", None).status, 200);
    assert_eq!(admin("GET", "/blocks", None).json()["blocks"], json!([]));

    // Removals: listed per group, readmitted by what the list says. Two
    // anonymous posts by one browser, removed in turn: the answers do not
    // say whether the first already reached the second's author; two
    // entries, each lifted on its own.
    let dee = Shopper::new("dee-lift");
    assert_eq!(join(&b, &dee, &open, "Dee", None).status, 200);
    let dt = post_thread(&b, &dee, &open, "Off topic").json()["id"].as_str().unwrap().to_owned();
    let dt2 = post_thread(&b, &dee, &open, "Off topic again").json()["id"].as_str().unwrap().to_owned();
    let first = admin("POST", &format!("/groups/{open}/removals"), Some(format!("post:{dt}")));
    let second = admin("POST", &format!("/groups/{open}/removals"), Some(format!("post:{dt2}")));
    assert_eq!((first.status, second.json()), (200, json!({"member_key": format!("post:{dt2}")})), "the answer says nothing of earlier removals");
    let removals = admin("GET", &format!("/groups/{open}/removals"), None);
    assert_eq!(removals.status, 200, "{}", removals.text());
    let listed: Vec<Value> = removals.json()["removals"].as_array().unwrap().iter().map(|e| json!([e["member_key"], e["name"]])).collect();
    assert_eq!(listed, vec![json!([format!("post:{dt2}"), "Dee"]), json!([format!("post:{dt}"), "Dee"])]);
    assert_eq!(admin("POST", &format!("/groups/{open}/readmissions"), Some(format!("post:{dt}"))).json()["readmitted"], true);
    join(&b, &dee, &open, "Dee", None).assert_error(403, "forbidden");
    assert_eq!(admin("POST", &format!("/groups/{open}/readmissions"), Some(format!("post:{dt2}"))).json()["readmitted"], true);
    assert_eq!(admin("GET", &format!("/groups/{open}/removals"), None).json()["removals"], json!([]));
    assert_eq!(join(&b, &dee, &open, "Dee", None).status, 200);

    // A block from before decisions kept their names (migration 0036 names
    // it `legacy:<id>`): listed by that name, lifted by it, and the name
    // blocks nobody new.
    let old = Shopper::new("old-lift");
    assert_eq!(join(&b, &old, &open, "Old", None).status, 200);
    d1_execute(&format!("INSERT INTO member_blocks (brand_id, member_key, via, named, created_at) VALUES ('{brand}', 'm:{0}', 'm:{0}', 'legacy:00aa11bb22cc33dd', 1)", old.member));
    post_thread(&b, &old, &open, "Blocked long ago").assert_error(403, "forbidden");
    let list = admin("GET", "/blocks", None).json();
    assert_eq!(list["blocks"], json!([{"member_key": "legacy:00aa11bb22cc33dd", "name": "Old", "created_at": 1}]));
    admin("POST", "/blocks", Some("legacy:00aa11bb22cc33dd".into())).assert_error(422, "validation_failed");
    assert_eq!(admin("POST", "/unblocks", Some("legacy:00aa11bb22cc33dd".into())).json()["unblocked"], true);
    assert_eq!(post_thread(&b, &old, &open, "Free").status, 201);

    // Another brand's key, an unknown group, a bad key.
    let other = setup("com-lift-other");
    other.admin("GET", &format!("/v1/admin/brands/{brand}/blocks"), None).assert_error(403, "forbidden");
    admin("GET", "/groups/nope/removals", None).assert_error(404, "not_found");
    admin("POST", "/unblocks", Some("token-only".into())).assert_error(422, "validation_failed");
}

#[test]
fn lists_of_decisions_page_past_their_first_page_without_losing_or_repeating_one() {
    let b = setup("com-pages");
    let brand = b.id.clone();
    let open = group(&b, "Many", "public", "post");
    let admin = |path: &str| b.admin("GET", &format!("/v1/admin/brands/{brand}{path}"), None);
    // More decisions than two pages hold, three to a millisecond (the
    // cursor's tie on time), as a brand with a spam wave has: written
    // directly, as a long history would have left them.
    d1_execute(&format!(
        "INSERT INTO member_blocks (brand_id, member_key, via, named, created_at) \
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 450) \
         SELECT '{brand}', 'id:c' || i, 'id:c' || i, 'id:c' || i, 1000 + i / 3 FROM n"
    ));
    d1_execute(&format!(
        "INSERT INTO group_removals (group_id, brand_id, member_key, via, named, created_at) \
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 201) \
         SELECT '{open}', '{brand}', 'id:r' || i, 'id:r' || i, 'id:r' || i, 5000 FROM n"
    ));
    for (path, key, total) in [("/blocks".to_owned(), "blocks", 450), (format!("/groups/{open}/removals"), "removals", 201)] {
        let (seen, pages) = all_pages(&b, &format!("/v1/admin/brands/{brand}{path}"), key, 200, ("created_at", "member_key"), |_| {});
        let mut expected = seen.clone();
        expected.sort_by(|a, b| b.cmp(a));
        expected.dedup();
        assert_eq!(seen.len(), total, "{path}: every decision once, in {pages} pages");
        assert_eq!(seen, expected, "{path}: newest first, then by name, no repeats");
        assert_eq!(pages, total.div_ceil(200), "{path}: full pages");
    }
    for bad in ["nonsense", "12", "12.token-only", "x.id:c1"] {
        admin(&format!("/blocks?cursor={bad}")).assert_error(400, "bad_request");
    }
    // A lift from a later page comes out of the list.
    assert_eq!(b.admin("POST", &format!("/v1/admin/brands/{brand}/unblocks"), Some(&json!({"member_key": "id:c1"}))).json()["unblocked"], true);
    let last = admin("/blocks?cursor=1001.id:c3").json();
    assert_eq!(last["blocks"], json!([{"member_key": "id:c2", "name": null, "created_at": 1000}]), "{last}");
}

#[test]
fn a_moderator_finds_every_hidden_or_waiting_post_and_shows_it_again() {
    let b = setup("com-queues");
    let brand = b.id.clone();
    let g = group(&b, "Open crowd", "public", "post");
    let (author, reader) = (Shopper::new("qauthor"), Shopper::new("qreader"));
    join(&b, &author, &g, "Auth", None);
    join(&b, &reader, &g, "Read", None);
    let tid = post_thread(&b, &author, &g, "Hidden by a slip").json()["id"].as_str().unwrap().to_owned();
    let rid = reader.call("POST", &format!("/v1/brands/{brand}/threads/{tid}/replies"), Some(json!({"body": "A fair reply"}))).json()["id"].as_str().unwrap().to_owned();
    let shown = |s: &Shopper| s.call("GET", &format!("/v1/brands/{brand}/groups/{g}/threads"), None).json()["threads"].as_array().unwrap().len();
    let replies = || reader.call("GET", &format!("/v1/brands/{brand}/threads/{tid}"), None).json()["thread"]["reply_count"].clone();
    let hidden = |query: &str| b.admin("GET", &format!("/v1/admin/brands/{brand}/groups/{g}/hidden{query}"), None);
    assert_eq!(hidden("").json(), json!({"hidden": [], "next_cursor": null}));

    // A moderator hides the reply, then the thread (a misclick): both are
    // listed, hidden last first (the thread, written first), each author
    // named by the post.
    b.admin("POST", &format!("/v1/admin/brands/{brand}/replies/{rid}/hide"), None);
    assert_eq!(replies(), 0);
    b.admin("POST", &format!("/v1/admin/brands/{brand}/threads/{tid}/hide"), None);
    assert_eq!(shown(&reader), 0);
    let list = hidden("");
    assert_eq!(list.status, 200, "{}", list.text());
    assert!(!list.text().contains(&author.member) && !list.text().contains(&reader.member), "never a member token: {}", list.text());
    let list = list.json();
    let posts = list["hidden"].as_array().unwrap();
    assert_eq!(posts.len(), 2, "{list}");
    assert_eq!((posts[0]["kind"].as_str(), posts[0]["id"].as_str()), (Some("thread"), Some(tid.as_str())), "{list}");
    assert_eq!(posts[0]["body"], "Hidden by a slip: Hidden by a slip: what do you all think?");
    assert_eq!((posts[1]["kind"].as_str(), posts[1]["id"].as_str()), (Some("reply"), Some(rid.as_str())), "{list}");
    assert_eq!(posts[1]["author_key"], format!("post:{rid}"));
    assert_eq!(posts[1]["body"], "A fair reply");
    assert!(posts[0]["hidden_at"].as_i64().unwrap() >= posts[1]["hidden_at"].as_i64().unwrap(), "{list}");
    assert!(posts[1]["created_at"].as_i64().unwrap() >= posts[0]["created_at"].as_i64().unwrap(), "{list}");
    assert!(b.admin("GET", &format!("/v1/admin/brands/{brand}/groups/{g}/pending"), None).json()["pending"].as_array().unwrap().is_empty());

    // Shown again from the list: the thread for everyone, the reply
    // counted in it again; neither is listed any more.
    assert_eq!(b.admin("POST", &format!("/v1/admin/brands/{brand}/threads/{tid}/approve"), None).status, 200);
    assert_eq!(shown(&reader), 1);
    assert_eq!(hidden("").json()["hidden"].as_array().unwrap().len(), 1);
    assert_eq!(b.admin("POST", &format!("/v1/admin/brands/{brand}/replies/{rid}/approve"), None).status, 200);
    assert_eq!(replies(), 1);
    assert_eq!(hidden("").json()["hidden"], json!([]));

    // A hidden reply goes with its thread when the thread is deleted: out
    // of the queue, never shown again under it (helper-78).
    let other_reply = reader.call("POST", &format!("/v1/brands/{brand}/threads/{tid}/replies"), Some(json!({"body": "Another one"}))).json()["id"].as_str().unwrap().to_owned();
    b.admin("POST", &format!("/v1/admin/brands/{brand}/replies/{other_reply}/hide"), None);
    assert_eq!(hidden("").json()["hidden"].as_array().unwrap().len(), 1);
    assert_eq!(b.admin("POST", &format!("/v1/admin/brands/{brand}/threads/{tid}/delete"), None).status, 200);
    assert_eq!(hidden("").json()["hidden"], json!([]));
    b.admin("POST", &format!("/v1/admin/brands/{brand}/replies/{other_reply}/approve"), None).assert_error(404, "not_found");

    // Only the brand's own groups, only with its key.
    let other = setup("com-queues-other");
    other.admin("GET", &format!("/v1/admin/brands/{}/groups/{g}/hidden", other.id), None).assert_error(404, "not_found");
    let wrong = format!("Bearer {}", other.key);
    let r = request("GET", &format!("/v1/admin/brands/{brand}/groups/{g}/hidden"), &[("authorization", &wrong)], None);
    assert!(r.status == 401 || r.status == 403, "{} {}", r.status, r.text());
    b.admin("GET", &format!("/v1/admin/brands/{brand}/groups/no-such-group/pending"), None).assert_error(404, "not_found");
    for bad in ["nonsense", "12", "x.abc", "12.a%27b", "12."] {
        hidden(&format!("?cursor={bad}")).assert_error(400, "bad_request");
    }

    // A spam wave: more posts than two pages hold, several to a
    // millisecond (the cursor's tie on time), threads and replies, in this
    // group and another; each queue pages through its own group's posts,
    // every one once, in order.
    let g2 = group(&b, "Elsewhere", "public", "post");
    let live = post_thread(&b, &author, &g, "Spam magnet").json()["id"].as_str().unwrap().to_owned();
    d1_execute(&format!(
        "INSERT INTO threads (id, group_id, brand_id, author_key, author_name, title, body, status, last_activity_at, created_at, hidden_at) \
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 130) \
         SELECT 'qt' || i, CASE WHEN i % 10 = 0 THEN '{g2}' ELSE '{g}' END, '{brand}', 'm:spam' || i, 'Spam', 'T' || i, 'b', \
           CASE WHEN i % 2 = 0 THEN 'pending' ELSE 'hidden' END, 1000 + i / 4, 1000 + i / 4, CASE WHEN i % 2 = 1 THEN 9000 - i / 4 END FROM n"
    ));
    d1_execute(&format!(
        "INSERT INTO replies (id, thread_id, group_id, brand_id, author_key, author_name, body, status, created_at, hidden_at) \
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 70) \
         SELECT 'qr' || i, '{live}', '{g}', '{brand}', 'm:spam' || i, 'Spam', 'r', CASE WHEN i % 2 = 0 THEN 'pending' ELSE 'hidden' END, 1000 + i / 3, \
           CASE WHEN i % 2 = 1 THEN 9000 - i / 3 END FROM n"
    ));
    for (queue, key, time, newest_first) in [("pending", "pending", "created_at", false), ("hidden", "hidden", "hidden_at", true)] {
        let (seen, pages) = all_pages(&b, &format!("/v1/admin/brands/{brand}/groups/{g}/{queue}"), key, 50, (time, "id"), |page| {
            assert!(page[key].as_array().unwrap().iter().all(|p| p["author_key"].as_str().unwrap().starts_with("post:")), "{page}");
        });
        let mut expected = seen.clone();
        expected.sort();
        expected.dedup();
        if newest_first {
            expected.reverse();
        }
        // 130 threads, the odd ones hidden (65), the even ones pending,
        // one in ten of all (13, even) elsewhere: 52 pending here; 70
        // replies, 35 of each.
        let total = if queue == "pending" { 52 + 35 } else { 65 + 35 };
        assert_eq!(seen.len(), total, "{queue}: every post once, in {pages} pages");
        assert_eq!(seen, expected, "{queue}: in order, no repeats");
        assert_eq!(pages, total.div_ceil(50), "{queue}: full pages");
    }
}

/// Every entry of a paged admin list (`path`, entries under `key`),
/// following `next_cursor`: `(time, name)` by `time_of` and `name_of`, in
/// the order given, and how many pages it took. Asserts each page answers
/// 200 and holds at most `page_max`, and `check` on each page.
fn all_pages(b: &TestBrand, path: &str, key: &str, page_max: usize, (time_of, name_of): (&str, &str), check: impl Fn(&Value)) -> (Vec<(i64, String)>, usize) {
    let (mut seen, mut cursor, mut pages) = (Vec::<(i64, String)>::new(), None::<String>, 0);
    loop {
        let page = b.admin("GET", &match &cursor { Some(c) => format!("{path}?cursor={}", urlencoding(c)), None => path.to_owned() }, None);
        assert_eq!(page.status, 200, "{}", page.text());
        let page = page.json();
        let entries = page[key].as_array().unwrap();
        assert!(entries.len() <= page_max, "a page holds at most {page_max}");
        check(&page);
        seen.extend(entries.iter().map(|e| (e[time_of].as_i64().unwrap(), e[name_of].as_str().unwrap().to_owned())));
        pages += 1;
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return (seen, pages),
        }
        assert!(pages < 10, "the pages end");
    }
}

fn urlencoding(s: &str) -> String {
    s.bytes().map(|c| if c.is_ascii_alphanumeric() || b"-._~".contains(&c) { (c as char).to_string() } else { format!("%{c:02X}") }).collect()
}

#[test]
fn one_photo_sent_with_two_threads_at_once_goes_with_one() {
    let b = setup("com-photo-race");
    let g = group(&b, "Race day", "public", "post");
    let s = Shopper::new("racer");
    assert_eq!(join(&b, &s, &g, "Racer", None).status, 200);
    for round in 0..6 {
        let photo = request("POST", &format!("/v1/brands/{}/photos", b.id), &[("x-kindred-member", &s.member), ("content-type", "application/octet-stream")], Some(&kindred_tests::png(20, 20)));
        let photo = photo.json()["id"].as_str().unwrap().to_owned();
        // Both sent at once: each may pass the photo's check before either writes.
        let gate = std::sync::Barrier::new(2);
        let statuses: Vec<u16> = std::thread::scope(|scope| {
            let sends: Vec<_> = (0..2).map(|i| {
                let (gate, s, g, photo, b) = (&gate, &s, &g, &photo, &b);
                scope.spawn(move || {
                    gate.wait();
                    let r = s.call("POST", &format!("/v1/brands/{}/groups/{g}/threads", b.id), Some(json!({"title": format!("Round {round}.{i}"), "body": "My trail", "photo": photo})));
                    assert!(matches!(r.status, 201 | 409 | 422), "{} {}", r.status, r.text());
                    r.status
                })
            }).collect();
            sends.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 1, "round {round}: {statuses:?}");
        let listed = threads_of(&b, &s, &g).json();
        let with_it = listed["threads"].as_array().unwrap().iter().filter(|t| t["photo"].to_string().contains(&photo)).count();
        assert_eq!(with_it, 1, "round {round}: one thread shows the photo");
    }
}

fn threads_of(b: &TestBrand, s: &Shopper, g: &str) -> Resp {
    s.call("GET", &format!("/v1/brands/{}/groups/{g}/threads", b.id), None)
}

#[test]
fn every_open_report_is_reachable_page_by_page_with_what_was_reported() {
    // The class: a queue one client can fill so that others' entries fall
    // off its end (helper-88: 200 posts reported twice each hid every
    // post reported once, for good). 210 posts reported twice, as a
    // flood would (rows written directly: the route's limits are tested
    // elsewhere), then one genuine report of a real thread.
    let b = setup("com-reports");
    let g = group(&b, "Trail talk", "public", "post");
    d1_execute(&format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 210) \
         INSERT INTO reports (id, brand_id, group_id, target_type, target_id, reporter, reason, resolved, created_at) \
         SELECT 'fl-' || i || '-' || r, '{0}', '{g}', 'thread', 'flood-' || i, 'rep-' || r, 'spam', 0, 1000 + i FROM n, (SELECT 1 AS r UNION ALL SELECT 2)",
        b.id
    ));
    let (author, reader) = (Shopper::new("rep-author"), Shopper::new("rep-reader"));
    join(&b, &author, &g, "Dana", None);
    join(&b, &reader, &g, "Eli", None);
    let real = post_thread(&b, &author, &g, "Fake shoes sold here").json()["id"].as_str().unwrap().to_owned();
    let rep = reader.call("POST", &format!("/v1/brands/{}/threads/{real}/report", b.id), Some(json!({"reason": "spam"})));
    assert_eq!(rep.status, 202, "{}", rep.text());

    let (mut seen, mut cursor, mut pages) = (Vec::<Value>::new(), None::<String>, 0);
    loop {
        let path = match &cursor {
            Some(c) => format!("/v1/admin/brands/{}/reports?cursor={c}", b.id),
            None => format!("/v1/admin/brands/{}/reports", b.id),
        };
        let page = b.admin("GET", &path, None);
        assert_eq!(page.status, 200, "{}", page.text());
        let page = page.json();
        let entries = page["reports"].as_array().unwrap().clone();
        assert!(entries.len() <= 100, "a page holds at most 100");
        seen.extend(entries);
        pages += 1;
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
        assert!(pages < 10, "the pages end");
    }
    assert_eq!(pages, 3);
    let mut ids: Vec<&str> = seen.iter().map(|e| e["target_id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 211);
    let last = seen.last().unwrap().clone();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 211, "no post twice");
    let counts: Vec<i64> = seen.iter().map(|e| e["reports"].as_i64().unwrap()).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "most reported first (each from as many networks as reporters)");
    // The genuine report, last (reported once), with what was reported.
    assert_eq!(last["target_id"], real.as_str());
    assert_eq!(last["title"], "Fake shoes sold here");
    assert_eq!(last["excerpt"], "Fake shoes sold here: what do you all think?");
    assert_eq!((last["author_name"].as_str(), last["group_name"].as_str(), last["reports"].as_i64()), (Some("Dana"), Some("Trail talk"), Some(1)));
    assert_eq!((last["reason"].as_str(), &last["reasons"]), (Some("spam"), &json!({"spam": 1})));
    assert_eq!(seen[0]["reasons"], json!({"spam": 2}));
    b.admin("GET", &format!("/v1/admin/brands/{}/reports?cursor=nonsense", b.id), None).assert_error(400, "bad_request");
    // A reason is one of five names: free words (which a moderator would
    // read as the console's, helper-91), none, or another type are refused.
    for body in [json!({"reason": "Spam · checked by Kindred: keep"}), json!({"reason": ""}), json!({}), json!({"reason": "duplicate"}), json!({"reason": 3})] {
        let r = author.call("POST", &format!("/v1/brands/{}/threads/{real}/report", b.id), Some(body.clone()));
        r.assert_field("reason");
    }
}

#[test]
fn reports_from_one_network_count_once_and_come_after_those_from_many() {
    // The class: one client filing a report under each of many member
    // tokens (helper-92) made its post look reported by that many members,
    // first in the queue. Four tokens from one /24 report an honest
    // thread; two members from two networks report a real problem.
    let b = setup("com-networks");
    let g = group(&b, "Trail talk", "public", "post");
    let author = Shopper::new("net-author");
    join(&b, &author, &g, "Dana", None);
    let id = |r: Resp| r.json()["id"].as_str().unwrap().to_owned();
    let brigaded = id(post_thread(&b, &author, &g, "An honest review"));
    let real = id(post_thread(&b, &author, &g, "Fake shoes sold here"));
    let report = |n: &str, ip: &str, post: &str| {
        let s = Shopper::new(n);
        assert_eq!(join(&b, &s, &g, n, None).status, 200);
        let r = s.call_from(ip, "POST", &format!("/v1/brands/{}/threads/{post}/report", b.id), Some(json!({"reason": "spam"})));
        assert_eq!(r.status, 202, "{}", r.text());
    };
    for (i, ip) in ["198.51.100.7", "198.51.100.8", "198.51.100.9", "198.51.100.10"].iter().enumerate() {
        report(&format!("brigade-{i}"), ip, &brigaded);
    }
    report("net-eli", "203.0.113.5", &real);
    report("net-fay", "2001:db8:7::1", &real);
    let queue = b.admin("GET", &format!("/v1/admin/brands/{}/reports", b.id), None).json();
    let seen: Vec<(String, i64)> = queue["reports"].as_array().unwrap().iter().map(|e| (e["target_id"].as_str().unwrap().to_owned(), e["reports"].as_i64().unwrap())).collect();
    assert_eq!(seen, vec![(real.clone(), 2), (brigaded.clone(), 4)], "reported from two places first; four reports from one place count once");
    assert!(queue["reports"][0].get("networks").is_none(), "the count of networks is not given (helper-93): {queue}");
    // The cursor is an offset: it carries no post's count (helper-94 read
    // each post's networks back from cursors of its own making).
    let second = b.admin("GET", &format!("/v1/admin/brands/{}/reports?cursor=1", b.id), None).json();
    assert_eq!(second["reports"].as_array().unwrap().iter().map(|e| e["target_id"].as_str().unwrap()).collect::<Vec<_>>(), vec![brigaded.as_str()]);
    for bad in ["2.0.t", "2.2.0.a", "-1", "1e3", "99999999"] {
        b.admin("GET", &format!("/v1/admin/brands/{}/reports?cursor={bad}", b.id), None).assert_error(400, "bad_request");
    }
    // Once the cron forgets the networks' hashes (after 30 days), a post's
    // reports from one network still count once (helper-94: the flood rose
    // to the top).
    let forget = kindred_core::sql::FORGET_REPORT_NETWORKS.replace("?1", &i64::MAX.to_string());
    d1_execute(&forget);
    let hashes = kindred_tests::d1_json(&format!("SELECT COUNT(*) AS n FROM reports WHERE brand_id = '{}' AND network IS NOT NULL", b.id));
    assert_eq!(hashes[0]["results"][0]["n"], 0, "{hashes}");
    let later = b.admin("GET", &format!("/v1/admin/brands/{}/reports", b.id), None).json();
    let order: Vec<&str> = later["reports"].as_array().unwrap().iter().map(|e| e["target_id"].as_str().unwrap()).collect();
    assert_eq!(order, vec![real.as_str(), brigaded.as_str()]);
    // A report from the same network after the forgetting counts as a new
    // network: it cannot be matched (one report, not a flood).
    report("brigade-late", "198.51.100.11", &brigaded);
    // A decision resolves the reports and forgets where they came from.
    assert_eq!(b.admin("POST", &format!("/v1/admin/brands/{}/threads/{brigaded}/approve", b.id), None).status, 200);
    let kept = kindred_tests::d1_json(&format!("SELECT COUNT(*) AS n FROM reports WHERE target_id = '{brigaded}' AND network IS NOT NULL"));
    assert_eq!(kept[0]["results"][0]["n"], 0, "{kept}");
    let open = kindred_tests::d1_json(&format!("SELECT COUNT(*) AS n FROM reports WHERE target_id = '{real}' AND network_group IS NOT NULL"));
    assert_eq!(open[0]["results"][0]["n"], 2, "{open}");
}

/// A post or reaction sent again after its answer was lost (the widget
/// gives up on a request after its deadline, and the shopper taps again)
/// is not a second one (helper-104: a reply and a thread were posted
/// twice, a reaction's retry took it back). The `Idempotency-Key` names
/// the first post, for the same words only; a reaction asked for as a
/// state stays as asked, however often it is sent.
#[test]
fn a_post_or_reaction_sent_again_after_a_lost_answer_is_not_a_second_one() {
    let b = setup("retry-posts");
    let g = group(&b, "Trail runners", "public", "post");
    let (ana, bo) = (Shopper::new("ana-retry"), Shopper::new("bo-retry"));
    assert_eq!(join(&b, &ana, &g, "Ana", None).status, 200);
    assert_eq!(join(&b, &bo, &g, "Bo", None).status, 200);
    let keyed = |s: &Shopper, path: &str, key: &str, body: Value| {
        let bytes = body.to_string().into_bytes();
        request("POST", path, &[("x-kindred-member", &s.member), ("content-type", "application/json"), ("idempotency-key", key)], Some(&bytes))
    };
    let threads = format!("/v1/brands/{}/groups/{g}/threads", b.id);
    let first = keyed(&ana, &threads, "k-thread-1", json!({"title": "Mud?", "body": "Which shoe for mud?"}));
    assert_eq!(first.status, 201, "{}", first.text());
    let again = keyed(&ana, &threads, "k-thread-1", json!({"title": "Mud?", "body": "Which shoe for mud?"}));
    assert_eq!(again.status, 201, "{}", again.text());
    assert_eq!(again.header("idempotent-replay"), Some("true"));
    let tid = first.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(again.json()["id"], json!(tid));
    // Other words under the key: refused, nothing written.
    keyed(&ana, &threads, "k-thread-1", json!({"title": "Snow?", "body": "Which shoe for snow?"})).assert_error(422, "validation_failed");
    // Another shopper's same key is their own.
    assert_eq!(keyed(&bo, &threads, "k-thread-1", json!({"title": "Mud?", "body": "Which shoe for mud?"})).status, 201);
    let listed = ana.call("GET", &threads, None).json();
    assert_eq!(listed["threads"].as_array().map(Vec::len), Some(2), "{listed}");

    let replies = format!("/v1/brands/{}/threads/{tid}/replies", b.id);
    let r1 = keyed(&bo, &replies, "k-reply-1", json!({"body": "The Trail Runner 2"}));
    assert_eq!(r1.status, 201, "{}", r1.text());
    let r2 = keyed(&bo, &replies, "k-reply-1", json!({"body": "The Trail Runner 2"}));
    assert_eq!((r2.status, r2.json()["id"].clone()), (201, r1.json()["id"].clone()), "{}", r2.text());
    let page = bo.call("GET", &format!("/v1/brands/{}/threads/{tid}", b.id), None).json();
    assert_eq!(page["replies"].as_array().map(Vec::len), Some(1), "{page}");
    assert_eq!(page["thread"]["reply_count"], 1, "{page}");
    // A key that is not 1-100 visible ASCII characters: 400.
    keyed(&bo, &replies, &"k".repeat(101), json!({"body": "Too long a key"})).assert_error(400, "bad_request");

    // A reaction asked for as a state: on twice stays on, off twice off.
    let react = |on: bool| ana.call("POST", &format!("/v1/brands/{}/threads/{tid}/reactions", b.id), Some(json!({"kind": "love", "on": on}))).json();
    assert_eq!((react(true)["on"].clone(), react(true)["reactions"].clone()), (json!(true), json!([["love", 1]])));
    assert_eq!((react(false)["on"].clone(), react(false)["reactions"].clone()), (json!(false), json!([])));
}
