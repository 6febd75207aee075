#![allow(clippy::unwrap_used, clippy::expect_used)]
//! "Your data" over HTTP against the live edge: a shopper who reviewed
//! (with a photo, an edit and consent to reuse), voted, joined the referral
//! program, claimed a friend's offer, joined a group, posted, replied,
//! reacted and reported, and whose purchase the brand recorded, reads all
//! of it, then erases it; afterwards nothing of them is in D1 (every table
//! read back), in KV or in R2 (every stored value read back), the brand
//! heard `shopper.erased`, and other shoppers' data is intact. The brand's
//! `anonymise` policy keeps the words without their author. Every column
//! that looks like a shopper's has a declared fate (`kindred_core::privacy::HOLDERS`).

use kindred_core::auth::{sign_identity, IdentityClaims};
use kindred_tests::{d1_json, get, kv_keys, png, receiver, request, stored_blobs, testimonial, Resp, TestBrand};
use serde_json::{json, Value};
use std::time::Duration;

struct Shopper {
    member: String,
    identity: Option<String>,
}

impl Shopper {
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Resp {
        let ip = kindred_tests::address_of(&self.member);
        let mut h: Vec<(&str, &str)> = vec![("x-kindred-member", &self.member), ("content-type", "application/json"), ("cf-connecting-ip", &ip)];
        if let Some(i) = &self.identity {
            h.push(("x-kindred-identity", i));
        }
        let bytes = body.map(|b| b.to_string().into_bytes());
        request(method, path, &h, bytes.as_deref())
    }
}

fn identity(b: &TestBrand, sub: &str) -> String {
    let now = i64::try_from(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()).unwrap();
    sign_identity(&IdentityClaims { brand: b.id.clone(), sub: sub.into(), exp: now + 3600, name: None, email: None }, b.identity_secret.as_bytes()).unwrap()
}

fn brand(prefix: &str, erasure: &str, privacy_hook: &str, community_hook: &str) -> TestBrand {
    let b = TestBrand::create(prefix);
    b.configure(json!({
        "rate_limits": {"per_client": 10000, "per_brand": 100000},
        "referral": {"landing_url": "https://shop.example/welcome", "referee_offer": "15% off", "leaderboard": true},
        "community_webhook_url": community_hook,
        "privacy": {"webhook_url": privacy_hook, "erasure": erasure},
    }));
    b
}

/// Every row of every table, as wrangler prints it (one JSON text).
fn whole_database() -> String {
    let tables = d1_json("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' ORDER BY name");
    let names: Vec<String> = tables[0]["results"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap().to_owned()).collect();
    assert!(names.len() > 20, "tables: {names:?}");
    let sql = names.iter().map(|n| format!("SELECT '{n}' AS _table, * FROM \"{n}\"")).collect::<Vec<_>>().join("; ");
    d1_json(&sql).to_string()
}

/// Where `needle` is stored anywhere in KV or R2 (file paths).
fn in_blobs(needle: &[u8]) -> Vec<String> {
    stored_blobs()
        .into_iter()
        .filter(|(_, bytes)| bytes.windows(needle.len()).any(|w| w == needle))
        .map(|(p, _)| p.display().to_string())
        .collect()
}

/// Polls `check` for up to 10 s (workerd deletes KV and R2 blobs in the background).
fn eventually(what: &str, check: impl Fn() -> Option<String>) {
    let mut last = None;
    for _ in 0..20 {
        last = check();
        if last.is_none() {
            return;
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    panic!("{what}: {}", last.unwrap_or_default());
}

/// The shopper's whole footprint at `b`, made through the public API.
/// Returns (testimonial ids, photo id, referral code, thread id, reply id).
struct Footprint {
    testimonials: Vec<String>,
    photo: String,
    photo_bytes: Vec<u8>,
    code: String,
    thread: String,
    reply: String,
    others_thread: String,
    others_testimonial: String,
}

fn live_a_little(b: &TestBrand, z: &Shopper, bo: &Shopper, group: &str) -> Footprint {
    let base = format!("/v1/brands/{}", b.id);
    // Bo, another shopper: a review, a referral code and a thread of his own.
    let mut bo_review = testimonial("Bo Other", 5, Some("sku-q"));
    bo_review["body"] = json!("Bo thinks the OTHERMARK boots are great.");
    let r = bo.call("POST", &format!("{base}/testimonials"), Some(bo_review));
    assert_eq!(r.status, 201, "{}", r.text());
    let others_testimonial = r.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(b.approve(&others_testimonial).status, 200);
    let bo_code = bo.call("POST", &format!("{base}/referrers"), Some(json!({"name": "Bo Other", "email": "bo.other@example.com"}))).json()["code"].as_str().unwrap().to_owned();
    assert_eq!(bo.call("POST", &format!("{base}/groups/{group}/join"), Some(json!({"display_name": "Bo Other"}))).status, 200);
    let r = bo.call("POST", &format!("{base}/groups/{group}/threads"), Some(json!({"title": "Bo asks", "body": "OTHERMARK: which laces?"})));
    assert_eq!(r.status, 201, "{}", r.text());
    let others_thread = r.json()["id"].as_str().unwrap().to_owned();

    // Zephyrine: a photo, two reviews (one edited, one with consent), a vote.
    let photo = request("POST", &format!("{base}/photos"), &[("content-type", "application/octet-stream")], Some(&png(48, 32)));
    assert_eq!(photo.status, 201, "{}", photo.text());
    let photo = photo.json()["id"].as_str().unwrap().to_owned();
    let mut first = testimonial("Zephyrine Quillfeather", 4, Some("sku-q"));
    first["email"] = json!("zq.quill@example.com");
    first["body"] = json!("QUILLMARK: زیبا و سبک، I wear them daily 🥾");
    first["photos"] = json!([photo]);
    first["reuse_consent"] = json!(true);
    let r = z.call("POST", &format!("{base}/testimonials"), Some(first));
    assert_eq!(r.status, 201, "{}", r.text());
    let t1 = r.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(b.approve(&t1).status, 200);
    let edit = z.call("PATCH", &format!("{base}/testimonials/{t1}"), Some(json!({"rating": 5, "body": "QUILLMARK, edited: still my favourite pair after a month."})));
    assert_eq!(edit.status, 200, "{}", edit.text());
    assert_eq!(b.approve(&t1).status, 200, "the edit is approved again");
    let mut second = testimonial("Zephyrine Quillfeather", 2, None);
    second["email"] = json!("zq.quill@example.com");
    second["body"] = json!("QUILLMARK second thoughts about the sizing chart.");
    let r = z.call("POST", &format!("{base}/testimonials"), Some(second));
    assert_eq!(r.status, 201, "{}", r.text());
    let t2 = r.json()["id"].as_str().unwrap().to_owned();
    let photo_bytes = b.admin("GET", &format!("/v1/photos/{photo}"), None);
    assert_eq!(photo_bytes.status, 200);
    assert_eq!(z.call("POST", &format!("{base}/testimonials/{others_testimonial}/helpful"), None).status, 200);

    // Referrals: her own code (with a click), and Bo's offer claimed.
    let r = z.call("POST", &format!("{base}/referrers"), Some(json!({"name": "Zephyrine Quillfeather", "email": "zq.quill@example.com"})));
    assert_eq!(r.status, 201, "{}", r.text());
    let code = r.json()["code"].as_str().unwrap().to_owned();
    // Her note for friends (a JSON body is a merge patch too).
    let r = z.call("PATCH", &format!("{base}/referrers/me"), Some(json!({"note": "QUILLNOTE: come walk with us"})));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(get(&format!("/r/{code}")).status, 302);
    // Clicks are counted through a queue: wait for this one.
    for _ in 0..40 {
        if z.call("GET", &format!("{base}/referrers/me"), None).json()["clicks"] == 1 {
            break;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    let claim = z.call("POST", &format!("{base}/referrals/claim"), Some(json!({"code": bo_code})));
    assert_eq!(claim.status, 200, "{}", claim.text());

    // The group: joined, a thread Bo answers, a reply, a reaction, a report.
    assert_eq!(z.call("POST", &format!("{base}/groups/{group}/join"), Some(json!({"display_name": "Zephyrine Q"}))).status, 200);
    let r = z.call("POST", &format!("{base}/groups/{group}/threads"), Some(json!({"title": "QUILLTHREAD laces", "body": "QUILLMARK: anyone tried the waxed ones?"})));
    assert_eq!(r.status, 201, "{}", r.text());
    let thread = r.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(bo.call("POST", &format!("{base}/threads/{thread}/replies"), Some(json!({"body": "Bo replies: OTHERMARK yes"}))).status, 201);
    let r = z.call("POST", &format!("{base}/threads/{others_thread}/replies"), Some(json!({"body": "QUILLREPLY the flat ones"})));
    assert_eq!(r.status, 201, "{}", r.text());
    let reply = r.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(z.call("POST", &format!("{base}/threads/{others_thread}/reactions"), Some(json!({"kind": "love"}))).status, 200);
    assert_eq!(z.call("POST", &format!("{base}/threads/{others_thread}/report"), Some(json!({"reason": "off_topic"}))).status, 202);

    // The brand's purchase record for her (signed in: her customer id).
    let order = b.admin("POST", &format!("/v1/admin/brands/{}/orders", b.id), Some(&json!({"order_id": "QUILL-ORDER-1", "email": "zq.quill@example.com", "customer": "cust-quill-42", "products": ["sku-q"]})));
    assert_eq!(order.status, 201, "{}", order.text());

    // First paints copied into KV (they show her name).
    b.widget(None);
    b.widget(Some("sku-q"));
    Footprint { testimonials: vec![t1, t2], photo, photo_bytes: photo_bytes.body, code, thread, reply, others_thread, others_testimonial }
}

#[test]
fn a_shopper_reads_everything_then_erases_it_and_nothing_of_them_remains_anywhere() {
    let (privacy_hook, notices) = receiver(vec![200]);
    let (community_hook, _community) = receiver(vec![200; 10]);
    let b = brand("privacy", "delete", &privacy_hook, &community_hook);
    let g = b.admin("POST", &format!("/v1/admin/brands/{}/groups", b.id), Some(&json!({"name": "Trail crew", "description": "Runners", "visibility": "public", "moderation": "post"})));
    assert_eq!(g.status, 201, "{}", g.text());
    let group = g.json()["id"].as_str().unwrap().to_owned();
    let z = Shopper { member: "quill-member-0000000000001".into(), identity: Some(identity(&b, "cust-quill-42")) };
    let bo = Shopper { member: "other-member-0000000000002".into(), identity: None };
    let f = live_a_little(&b, &z, &bo, &group);
    let path = format!("/v1/brands/{}/me/data", b.id);

    // Nobody asks without a key; a stranger's token finds nothing of hers.
    request("GET", &path, &[], None).assert_error(400, "bad_request");
    request("DELETE", &path, &[], None).assert_error(400, "bad_request");
    let stranger = Shopper { member: "stranger-member-000000003".into(), identity: None };
    let nothing = stranger.call("GET", &path, None).json();
    assert_eq!(nothing["testimonials"], json!([]), "{nothing}");
    assert!(!nothing.to_string().contains("QUILL"));

    // Reading: everything, emails masked, the token never repeated.
    let r = z.call("GET", &path, None);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let data = r.json();
    let text = data.to_string();
    assert_eq!(data["identity"], "cust-quill-42");
    assert_eq!(data["testimonials"].as_array().unwrap().len(), 2, "{data}");
    let t1 = data["testimonials"].as_array().unwrap().iter().find(|t| t["id"] == f.testimonials[0].as_str()).unwrap();
    assert_eq!(t1["earlier_versions"].as_array().unwrap().len(), 1, "{t1}");
    assert!(t1["earlier_versions"][0]["body"].as_str().unwrap().contains("زیبا"), "{t1}");
    assert!(t1["consent_log"][0]["granted"].as_bool().unwrap(), "{t1}");
    assert_eq!(t1["photos"].as_array().unwrap().len(), 1);
    assert_eq!(t1["email"], "z\u{2022}\u{2022}\u{2022}@example.com");
    assert!(!text.contains("zq.quill@example.com") && !text.contains(&z.member), "no whole email, no token: {text}");
    assert_eq!(data["helpful_votes"][0]["testimonial_id"], f.others_testimonial.as_str());
    assert_eq!(data["referrers"][0]["code"], f.code.as_str());
    assert_eq!(data["referrers"][0]["clicks"], 1);
    assert_eq!(data["referrers"][0]["note"], "QUILLNOTE: come walk with us");
    assert_eq!(data["referrers"][0]["note_status"], "pending");
    assert_eq!(data["claims"].as_array().unwrap().len(), 1);
    assert_eq!(data["memberships"][0]["display_name"], "Zephyrine Q");
    assert_eq!(data["threads"][0]["id"], f.thread.as_str());
    assert_eq!(data["replies"][0]["id"], f.reply.as_str());
    assert_eq!(data["reactions"][0]["kind"], "love");
    assert_eq!(data["reports"].as_array().unwrap().len(), 1);
    assert_eq!(data["orders"][0]["order_id"], "QUILL-ORDER-1");

    // The stores hold her now (so the checks below can fail).
    let markers = ["Quillfeather", "zq.quill", "QUILLMARK", "QUILLTHREAD", "QUILLREPLY", "QUILLNOTE", "Zephyrine", "quill-member", "cust-quill-42", "QUILL-ORDER-1", f.photo.as_str(), f.code.as_str()];
    let before = whole_database();
    for m in markers {
        assert!(before.contains(m), "{m} should be in D1 before the erasure");
    }
    assert!(!in_blobs(b"Quillfeather").is_empty(), "her name is in a KV copy");
    assert!(!in_blobs(&f.photo_bytes).is_empty(), "her photo is in R2");
    assert!(kv_keys().iter().any(|k| k.ends_with(&f.code)), "her code has a KV copy");
    // And a first page ordered for a page's tag has a copy of its own.
    let tag = b.widget(Some("sku-q"))["tags"][0].as_str().expect("a tag chip").replace(' ', "%20");
    assert_eq!(get(&format!("/v1/widget/{}?product=sku-q&context={tag}", b.id)).status, 200);
    let ordered = |b: &TestBrand| kv_keys().into_iter().filter(|k| k.contains(&format!(":{}:p:sku-q~", b.id))).collect::<Vec<_>>();
    eventually("no ordered copy", || ordered(&b).is_empty().then(|| "none yet".to_owned()));

    // Erasing: one answer with what went.
    let r = z.call("DELETE", &path, None);
    assert_eq!(r.status, 200, "{}", r.text());
    let receipt = r.json();
    assert_eq!(receipt["policy"], "delete");
    for (k, n) in [("testimonials", 2), ("photos", 1), ("helpful_votes", 1), ("memberships", 1), ("threads", 1), ("replies", 1), ("reactions", 1), ("reports", 1), ("orders", 1)] {
        assert_eq!(receipt[k], n, "{k} in {receipt}");
    }
    assert_eq!(receipt["referrers"], 1);

    // The brand hears it, signed, naming ids and its own customer id only.
    let (headers, body) = notices.recv_timeout(Duration::from_secs(60)).expect("shopper.erased delivered");
    assert!(headers.iter().any(|(k, _)| k == "kindred-signature"), "{headers:?}");
    let notice: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(notice["event"], "shopper.erased");
    assert_eq!(notice["customer"], "cust-quill-42");
    assert_eq!(notice["referral_codes"], json!([f.code]));
    assert_eq!(notice["orders"], json!(["QUILL-ORDER-1"]));
    let mut listed: Vec<String> = notice["testimonials"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect();
    listed.sort();
    let mut ids = f.testimonials.clone();
    ids.sort();
    assert_eq!(listed, ids);
    assert!(!body.contains("Quillfeather") && !body.contains("zq.quill") && !body.contains(&z.member), "{body}");

    // Nothing of her in D1, once the notice's delivery has ended.
    eventually("D1 still holds her", || {
        let after = whole_database();
        let found: Vec<&str> = markers.iter().copied().chain(f.testimonials.iter().map(String::as_str)).chain([f.thread.as_str(), f.reply.as_str()]).filter(|m| after.contains(m)).collect();
        (!found.is_empty()).then(|| format!("{found:?}"))
    });
    // Nor in KV or R2.
    eventually("KV or R2 still holds her", || {
        let found: Vec<String> = ["Quillfeather", "QUILLMARK", "Zephyrine"].iter().flat_map(|m| in_blobs(m.as_bytes())).chain(in_blobs(&f.photo_bytes)).collect();
        (!found.is_empty()).then(|| format!("{found:?}"))
    });
    assert!(!kv_keys().iter().any(|k| k.contains(&f.code)), "her code's copy is gone");
    assert_eq!(ordered(&b), Vec::<String>::new(), "the ordered copy went with the plain one");

    // Everything that served her data says so.
    assert_eq!(get(&format!("/r/{}", f.code)).status, 404, "her code stopped working");
    assert_eq!(b.admin("GET", &format!("/v1/photos/{}", f.photo), None).status, 404);
    let widget = b.widget(Some("sku-q"));
    assert!(!widget.to_string().contains("Quillfeather"), "{widget}");
    assert_eq!(widget["testimonials"].as_array().unwrap().iter().find(|t| t["id"] == f.others_testimonial.as_str()).unwrap()["helpful_count"], 0, "her vote went");
    let empty = z.call("GET", &path, None).json();
    assert_eq!(empty["testimonials"], json!([]));
    assert_eq!(empty["referrers"], json!([]));
    let again = z.call("DELETE", &path, None).json();
    assert_eq!((again["testimonials"].clone(), again["referrers"].clone(), again["threads"].clone()), (json!(0), json!(0), json!(0)), "erasing again: zeros");

    // Bo's own things stay; his reply in her thread went with it.
    let bo_data = bo.call("GET", &path, None).json();
    assert_eq!(bo_data["testimonials"].as_array().unwrap().len(), 1);
    assert_eq!(bo_data["referrers"].as_array().unwrap().len(), 1);
    assert_eq!(bo_data["threads"][0]["id"], f.others_thread.as_str());
    assert_eq!(bo_data["replies"], json!([]), "his reply was in her thread: {bo_data}");
    let thread = bo.call("GET", &format!("/v1/brands/{}/threads/{}", b.id, f.others_thread), None);
    assert_eq!(thread.status, 200);
    assert!(!thread.text().contains("QUILLREPLY"));
    assert!(whole_database().contains("OTHERMARK"));
}

#[test]
fn anonymise_keeps_the_words_without_their_author_and_erasure_stays_within_one_brand() {
    let b = brand("privacy-anon", "anonymise", "https://hooks.example/privacy", "https://hooks.example/community");
    let other = TestBrand::create("privacy-elsewhere");
    let z = Shopper { member: "anon-member-00000000000001".into(), identity: None };
    let path = format!("/v1/brands/{}/me/data", b.id);

    // A review with a photo at this brand, and one at another brand with the same token.
    let photo = request("POST", &format!("/v1/brands/{}/photos", b.id), &[("content-type", "application/octet-stream")], Some(&png(40, 30))).json()["id"].as_str().unwrap().to_owned();
    let mut t = testimonial("Darya Anonymous", 5, Some("sku-a"));
    t["title"] = json!("ANONMARK walks");
    t["body"] = json!("ANONMARK: روان و راحت، great on long walks 👣");
    t["photos"] = json!([photo]);
    t["reuse_consent"] = json!(true);
    let id = z.call("POST", &format!("/v1/brands/{}/testimonials", b.id), Some(t.clone())).json()["id"].as_str().unwrap().to_owned();
    assert_eq!(b.approve(&id).status, 200);
    t["photos"] = json!([]);
    let r = z.call("POST", &format!("/v1/brands/{}/testimonials", other.id), Some(t));
    assert_eq!(r.status, 201, "{}", r.text());
    let elsewhere = r.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(other.approve(&elsewhere).status, 200);
    b.configure(json!({"review_page_url": "https://shop.example/p/{product}"}));
    assert_eq!(get(&format!("/t/{}/{id}", b.id)).status, 200, "consented: shared");

    let r = z.call("DELETE", &path, None);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["policy"], "anonymise");

    // The words stay, published, with no author and no photo.
    let shown = b.widget(Some("sku-a"));
    let card = shown["testimonials"].as_array().unwrap().iter().find(|c| c["id"] == id.as_str()).expect("the anonymised review stays").clone();
    assert!(card["body"].as_str().unwrap().contains("ANONMARK"));
    assert_eq!(card["author_name"], "");
    assert_eq!(card["photos"], json!([]));
    assert!(!shown.to_string().contains("Darya"));
    assert_eq!(b.admin("GET", &format!("/v1/photos/{photo}"), None).status, 404);
    // No longer anyone's: not theirs to read or edit, and no consent to reuse.
    assert_eq!(z.call("GET", &path, None).json()["testimonials"], json!([]));
    assert_eq!(z.call("PATCH", &format!("/v1/brands/{}/testimonials/{id}", b.id), Some(json!({"body": "ANONMARK changed back"}))).status, 403);
    assert_eq!(get(&format!("/t/{}/{id}", b.id)).status, 404, "an anonymous text leaves the brand's site no more");
    let row = d1_json(&format!("SELECT author_name, author_email, author_email_canonical, member_token, identity_sub, reuse_consent_at FROM testimonials WHERE id = '{id}'"));
    assert_eq!(row[0]["results"][0], json!({"author_name": "", "author_email": null, "author_email_canonical": null, "member_token": null, "identity_sub": null, "reuse_consent_at": null}));

    // The other brand's copy of the same shopper is that brand's business.
    let there = z.call("GET", &format!("/v1/brands/{}/me/data", other.id), None).json();
    assert_eq!(there["testimonials"][0]["id"], elsewhere.as_str());
}

#[test]
fn every_column_that_can_hold_a_shopper_has_a_declared_fate() {
    // D1 refuses pragma_table_info on its own `_cf_` tables.
    let cols = d1_json("SELECT m.name AS t, p.name AS c FROM sqlite_master m JOIN pragma_table_info(m.name) p \
        WHERE m.type = 'table' AND m.name NOT LIKE '\\_cf\\_%' ESCAPE '\\' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY m.name, p.cid");
    let rows = cols[0]["results"].as_array().unwrap();
    assert!(rows.len() > 100, "{cols}");
    let undeclared: Vec<String> = rows
        .iter()
        .map(|r| (r["t"].as_str().unwrap(), r["c"].as_str().unwrap()))
        .filter(|(t, c)| kindred_core::privacy::suspect(t, c) && kindred_core::privacy::fate(t, c).is_none())
        .map(|(t, c)| format!("{t}.{c}"))
        .collect();
    assert!(undeclared.is_empty(), "columns that may hold a shopper's data with no fate in kindred_core::privacy::HOLDERS: {undeclared:?}");
    // And every declared column exists (a renamed one would be a stale promise).
    for h in kindred_core::privacy::HOLDERS {
        assert!(rows.iter().any(|r| r["t"] == h.table && r["c"] == h.column), "{}.{} is declared but not in the schema", h.table, h.column);
    }
}

#[test]
fn your_data_is_refused_to_forged_identities_and_other_origins() {
    let b = brand("privacy-auth", "delete", "https://hooks.example/privacy", "https://hooks.example/community");
    let path = format!("/v1/brands/{}/me/data", b.id);
    request("GET", &path, &[("x-kindred-identity", "forged.token")], None).assert_error(401, "identity_invalid");
    request("DELETE", &path, &[("x-kindred-member", "short")], None).assert_error(400, "bad_request");
    let r = request("DELETE", &path, &[("x-kindred-member", "evil-member-00000000000001"), ("origin", "https://evil.example")], None);
    r.assert_error(403, "origin_not_allowed");
}

#[test]
fn a_shoppers_data_lists_their_thread_photos_and_each_opens_for_them() {
    let b = brand("priv-photos", "delete", "https://hooks.example/privacy", "https://hooks.example/community");
    let z = Shopper { member: format!("shopper-{:0>20}", "photo-data"), identity: Some(identity(&b, "cust-photo-data")) };
    let base = format!("/v1/brands/{}", b.id);
    let mut posted = Vec::new();
    for (name, visibility, moderation) in [("Open trail", "public", "post"), ("Founders", "private", "post"), ("Careful", "public", "pre")] {
        let g = b.admin("POST", &format!("/v1/admin/brands/{}/groups", b.id), Some(&json!({"name": name, "description": "People", "visibility": visibility, "moderation": moderation})));
        assert_eq!(g.status, 201, "{}", g.text());
        let g = g.json()["id"].as_str().unwrap().to_owned();
        assert_eq!(z.call("POST", &format!("{base}/groups/{g}/join"), Some(json!({"display_name": "Zed"}))).status, 200, "a verified shopper joins either");
        let up = request("POST", &format!("{base}/photos"), &[("x-kindred-member", &z.member), ("content-type", "application/octet-stream")], Some(&png(40, 30)));
        assert_eq!(up.status, 201, "{}", up.text());
        let photo = up.json()["id"].as_str().unwrap().to_owned();
        let r = z.call("POST", &format!("{base}/groups/{g}/threads"), Some(json!({"title": name, "body": "With a photo", "photo": photo})));
        assert_eq!(r.status, 201, "{}", r.text());
        posted.push((name, photo));
    }
    let data = z.call("GET", &format!("{base}/me/data"), None).json();
    let threads = data["threads"].as_array().unwrap();
    assert_eq!(threads.len(), 3, "{data}");
    for (name, photo) in &posted {
        let t = threads.iter().find(|t| t["title"] == *name).unwrap();
        assert_eq!(t["photo"]["id"], photo.as_str(), "{t}");
        assert_eq!(t["photo"]["width"], 40);
        let url = t["photo"]["url"].as_str().unwrap();
        if *name != "Open trail" {
            // A private group's, or a post waiting for moderation.
            assert_eq!(t["private"].as_bool().unwrap_or(false), *name == "Founders", "{t}");
            assert!(url.starts_with(&format!("/v1/photos/{photo}?expires=")), "{url}");
            get(&format!("/v1/photos/{photo}")).assert_error(404, "not_found");
        } else {
            assert!(t.get("private").is_none(), "{t}");
            assert_eq!(url, format!("/v1/photos/{photo}"));
        }
        assert_eq!(get(url).status, 200, "{url} opens for the shopper");
    }
}
