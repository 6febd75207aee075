#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Testimonials over HTTP against the live edge: submit, moderate, see,
//! filter, page, vote, photos, identity, and every way a client can get it
//! wrong. Each test makes its own brand.

use kindred_core::auth::{sign_identity, IdentityClaims};
use kindred_tests::{d1_execute, get, get_with, png, post_json, request, site_origin, testimonial, TestBrand};
use serde_json::json;

fn ids(v: &serde_json::Value) -> Vec<String> {
    v["testimonials"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn a_submission_waits_for_approval_then_shows_at_once() {
    let b = TestBrand::create("flow");
    assert_eq!(b.widget(Some("sku-1"))["aggregate"]["count"], 0);
    let r = b.submit(&testimonial("Ana Lima", 5, Some("sku-1")));
    assert_eq!(r.status, 201, "{}", r.text());
    let id = r.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(r.json()["status"], "pending");

    // Pending: invisible to shoppers, visible (with email) to moderators.
    assert!(ids(&b.widget(Some("sku-1"))).is_empty());
    let pending = b.list("pending");
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0]["author_email"], "ana.lima@example.com");

    let approved = b.approve(&id);
    assert_eq!(approved.status, 200, "{}", approved.text());
    assert_eq!(approved.json()["status"], "approved");
    // The KV copy was rebuilt with the moderation: the very next read shows it.
    for product in [Some("sku-1"), None] {
        let w = b.widget(product);
        assert_eq!(ids(&w), vec![id.clone()], "{product:?}");
        assert_eq!(w["aggregate"]["count"], 1);
        assert!(!w.to_string().contains('@'), "email leaked: {w}");
    }
    let again = get(&format!("/v1/widget/{}?product=sku-1", b.id));
    assert!(matches!(again.header("x-kindred-cache"), Some("hit" | "isolate" | "revalidated")), "{:?}", again.header("x-kindred-cache"));

    let rejected = b.reject(&id, "spam");
    assert_eq!(rejected.status, 200);
    assert!(ids(&b.widget(Some("sku-1"))).is_empty(), "rejected still shown");
}

#[test]
fn a_name_stored_before_the_address_rule_is_shown_without_its_address() {
    let b = TestBrand::create("oldname");
    let r = b.submit(&testimonial("Ana Lima", 5, Some("sku-1")));
    assert_eq!(r.status, 201, "{}", r.text());
    let id = r.json()["id"].as_str().unwrap().to_owned();
    // A row written before `text::person_name` refused addresses.
    d1_execute(&format!("UPDATE testimonials SET author_name = 'Ana ana.lima@example.com Lima' WHERE id = '{id}'"));
    assert_eq!(b.approve(&id).status, 200);
    let w = b.widget(Some("sku-1"));
    assert_eq!(w["testimonials"][0]["author_name"], "Ana Lima", "{w}");
    assert!(!w.to_string().contains("ana.lima@"), "address shown: {w}");
    // The brand's moderators see what was stored.
    let all = b.list("approved");
    assert_eq!(all[0]["author_name"], "Ana ana.lima@example.com Lima");
}

#[test]
fn every_bad_submission_is_a_clear_4xx_and_nothing_is_stored() {
    let b = TestBrand::create("bad");
    let path = format!("/v1/brands/{}/testimonials", b.id);
    let field_cases: Vec<(serde_json::Value, &str)> = vec![
        (json!({"display_name": ""}), "display_name"),
        (json!({"display_name": "x".repeat(61)}), "display_name"),
        // The card shows the name as typed: never an email address.
        (json!({"display_name": "Val <val@example.com>"}), "display_name"),
        // Stuck to the name, or typed on a full-width keyboard.
        (json!({"display_name": "Val<val@example.com>"}), "display_name"),
        (json!({"display_name": "val＠example．com"}), "display_name"),
        (json!({"email": "not-an-email"}), "email"),
        (json!({"rating": 0}), "rating"),
        (json!({"rating": 6}), "rating"),
        (json!({"title": "t".repeat(121)}), "title"),
        (json!({"body": "too short"}), "body"),
        (json!({"body": "b".repeat(5001)}), "body"),
        (json!({"tags": ["a", "b", "c", "d", "e", "f"]}), "tags"),
        (json!({"photos": ["0123456789abcdef0123456789abcdef"]}), "photos"),
        (json!({"product": "no spaces allowed"}), "product"),
    ];
    for (patch, field) in field_cases {
        let mut body = testimonial("Val", 4, None);
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        let r = post_json(&path, &[], &body);
        // Every member of the body is refused alike: 422 naming it.
        assert_eq!(r.status, 422, "{field}: {}", r.text());
        assert_eq!(r.json()["error"]["field"], field, "{}", r.text());
    }
    // Wrong types, missing fields, unknown fields: 422 naming the field.
    for (raw, field) in [
        (r#"{"display_name":"A","email":"a@b.co","rating":"five","body":"0123456789"}"#, "rating"),
        (r#"{"display_name":"A","email":"a@b.co","rating":5.5,"body":"0123456789"}"#, "rating"),
        (r#"{"display_name":"A","email":"a@b.co","rating":-1,"body":"0123456789"}"#, "rating"),
        (r#"{"display_name":"A","email":"a@b.co","body":"0123456789"}"#, "rating"),
        (r#"{"display_name":"A","email":"a@b.co","rating":5,"body":"0123456789","status":"approved"}"#, "status"),
        (r#"[]"#, ""),
        // Never read by position (helper-77: this was stored).
        (r#"[null,"ArrayAnn","arr@example.com",5,"","Posted as a positional array body."]"#, ""),
        (r#"{"display_name":"A","email":"a@b.co","rating":5,"body":"0123456789","display_name":"B"}"#, "display_name"),
    ] {
        request("POST", &path, &[("content-type", "application/json")], Some(raw.as_bytes())).assert_field(field);
    }
    // A whole number outside the rule, however it is written, is refused
    // in the rule's words, never the type's (helper-88: 4.5 and 1e300 said
    // "a whole number from 0 to 255"); beyond the type, naming no range,
    // never stored as the nearest (helper-92).
    for (raw, words) in [("6.0", "1 to 5"), ("0", "1 to 5"), ("6", "1 to 5"), ("1e300", "a smaller whole number"), ("300", "a smaller whole number"), ("-1", "0 or more")] {
        let body = format!(r#"{{"display_name":"A","email":"a@b.co","rating":{raw},"body":"0123456789"}}"#);
        let r = request("POST", &path, &[("content-type", "application/json")], Some(body.as_bytes()));
        r.assert_field("rating");
        let said = r.json()["error"]["message"].as_str().unwrap_or_default().to_owned();
        assert!(said.contains(words) && !said.contains("255"), "{raw}: {said}");
    }
    let r = request("POST", &path, &[("content-type", "application/json")], Some(br#"{"display_name":"A","email":"a@b.co","rating":4.5,"body":"0123456789"}"#));
    r.assert_field("rating");
    assert!(r.json()["error"]["message"].as_str().unwrap_or_default().ends_with("expected a whole number"), "{}", r.text());
    // Not JSON at all: 400; a stray byte too, inside a string or not.
    for raw in [&br#"{"display_name":"A","#[..], b"", br#"{"rating":5} {"#, b"{\"display_name\":\"A\xff\",\"email\":\"a@b.co\",\"rating\":5,\"body\":\"0123456789\"}"] {
        request("POST", &path, &[("content-type", "application/json")], Some(raw)).assert_error(400, "invalid_json");
    }
    request("POST", &path, &[("content-type", "text/plain")], Some(b"hello")).assert_error(415, "unsupported_media_type");
    // The media type, not a prefix of it; parameters are fine.
    request("POST", &path, &[("content-type", "application/jsonx")], Some(testimonial("A", 5, None).to_string().as_bytes())).assert_error(415, "unsupported_media_type");
    request("POST", &path, &[], Some(testimonial("A", 5, None).to_string().as_bytes())).assert_error(415, "unsupported_media_type");
    let mut huge = testimonial("Big", 5, None);
    huge["body"] = json!("x".repeat(40_000));
    post_json(&path, &[], &huge).assert_error(413, "payload_too_large");
    post_json("/v1/brands/no-such-brand/testimonials", &[], &testimonial("A", 5, None)).assert_error(404, "brand_not_found");
    post_json(&path, &[("x-kindred-member", "bad token!")], &testimonial("A", 5, None)).assert_error(400, "bad_request");

    for status in ["pending", "approved", "rejected"] {
        assert!(b.list(status).is_empty(), "something was stored as {status}");
    }
    // JSON's 4.0 is the whole number four (JSON Schema 2020-12 counts it
    // an integer too).
    let mut four = testimonial("Quatro", 4, None);
    four["rating"] = json!(4.0);
    let r = post_json(&path, &[], &four);
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(b.list("pending")[0]["rating"], 4);
}

#[test]
fn a_browser_origin_the_brand_does_not_allow_cannot_write() {
    let b = TestBrand::create("origin");
    let path = format!("/v1/brands/{}/testimonials", b.id);
    post_json(&path, &[("origin", "https://evil.example")], &testimonial("Eve", 1, None)).assert_error(403, "origin_not_allowed");
    let ok = post_json(&path, &[("origin", &site_origin())], &testimonial("Ola", 5, None));
    assert_eq!(ok.status, 201);
    assert_eq!(ok.header("access-control-allow-origin"), Some(site_origin().as_str()));
    assert_eq!(b.list("pending").len(), 1);
}

#[test]
fn the_honeypot_answers_like_success_and_stores_nothing() {
    let b = TestBrand::create("bot");
    let mut body = testimonial("Bot", 5, None);
    body["website"] = json!("http://cheap-pills.example");
    let r = b.submit(&body);
    assert_eq!(r.status, 201);
    assert_eq!(r.json()["status"], "pending");
    assert!(b.list("pending").is_empty());
}

#[test]
fn retries_with_the_same_idempotency_key_store_one_testimonial() {
    let b = TestBrand::create("idem");
    let path = format!("/v1/brands/{}/testimonials", b.id);
    let body = testimonial("Ida", 4, None);
    let first = post_json(&path, &[("idempotency-key", "order-7-review")], &body);
    let second = post_json(&path, &[("idempotency-key", "order-7-review")], &body);
    assert_eq!(first.status, 201);
    assert_eq!(second.status, 201);
    assert_eq!(second.header("idempotent-replay"), Some("true"));
    assert_eq!(first.json()["id"], second.json()["id"]);
    assert_eq!(b.list("pending").len(), 1);
    let bad_key = "k".repeat(101);
    post_json(&path, &[("idempotency-key", &bad_key)], &body).assert_error(400, "bad_request");
    // The same key from another shopper is theirs, not a replay of the first.
    let other = testimonial("Bea Other", 4, None);
    let theirs = post_json(&path, &[("idempotency-key", "order-7-review"), ("x-kindred-member", "another-shopper-0001")], &other);
    assert_eq!(theirs.status, 201, "{}", theirs.text());
    assert_eq!(theirs.header("idempotent-replay"), None);
    assert_ne!(theirs.json()["id"], first.json()["id"]);
    let from_elsewhere = post_json(&path, &[("idempotency-key", "order-7-review"), ("cf-connecting-ip", "198.51.100.77")], &other);
    assert_eq!(from_elsewhere.header("idempotent-replay"), None, "{}", from_elsewhere.text());
    assert_eq!(b.list("pending").len(), 3);
    // The same shopper's key sent again with another review: refused, not
    // answered with the first review's result (which stored nothing), so
    // the client knows the second review was not taken.
    let another = testimonial("Ida", 1, None);
    let reused = post_json(&path, &[("idempotency-key", "order-7-review")], &another);
    reused.assert_error(422, "validation_failed");
    assert_eq!(reused.json()["error"]["field"], "idempotency-key", "{}", reused.text());
    assert_eq!(b.list("pending").len(), 3);
    // A key stored before requests were fingerprinted still replays.
    d1_execute(&format!("UPDATE idempotency_keys SET request = NULL WHERE brand_id = '{}'", b.id));
    let old = post_json(&path, &[("idempotency-key", "order-7-review")], &another);
    assert_eq!((old.status, old.header("idempotent-replay")), (201, Some("true")), "{}", old.text());
}

#[test]
fn writes_past_the_brands_limit_get_429_with_retry_after() {
    let b = TestBrand::create("limit");
    b.configure(json!({"rate_limits": {"per_client": 3, "per_brand": 100}}));
    for i in 0..3 {
        assert_eq!(b.submit(&testimonial(&format!("User {i}"), 5, None)).status, 201);
    }
    let r = b.submit(&testimonial("One Too Many", 5, None));
    r.assert_error(429, "rate_limited");
    let retry: u64 = r.header("retry-after").expect("Retry-After").parse().unwrap();
    assert!((1..=3600).contains(&retry), "{retry}");
    assert_eq!(b.list("pending").len(), 3, "the refused write was stored");
}

fn token(b: &TestBrand, brand: &str, exp_in: i64, secret: &str) -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let claims = IdentityClaims { brand: brand.into(), sub: "cust-42".into(), exp: now + exp_in, name: None, email: None };
    let _ = b;
    sign_identity(&claims, secret.as_bytes()).unwrap()
}

#[test]
fn brand_signed_identity_marks_verified_buyers_and_bad_tokens_are_refused() {
    let b = TestBrand::create("ident");
    let other = TestBrand::create("ident-other");
    let with_token = |t: String| {
        let mut body = testimonial("Vera", 5, None);
        body["identity"] = json!(t);
        b.submit(&body)
    };
    let ok = with_token(token(&b, &b.id, 600, &b.identity_secret));
    assert_eq!(ok.status, 201, "{}", ok.text());
    assert_eq!(ok.json()["verified_buyer"], true);

    with_token(token(&b, &b.id, 600, "not-the-secret")).assert_error(401, "identity_invalid");
    with_token(token(&b, &b.id, -10, &b.identity_secret)).assert_error(401, "identity_expired");
    with_token(token(&b, &other.id, 600, &b.identity_secret)).assert_error(403, "forbidden");
    with_token(token(&b, &other.id, 600, &other.identity_secret)).assert_error(401, "identity_invalid");
    with_token("garbage".into()).assert_error(401, "identity_invalid");

    let pending = b.list("pending");
    assert_eq!(pending.len(), 1, "refused submissions were stored");
    assert_eq!(pending[0]["verified_buyer"], true);
    b.approve(pending[0]["id"].as_str().unwrap());
    assert_eq!(b.widget(None)["testimonials"][0]["verified_buyer"], true);
}

#[test]
fn moderation_modes_decide_the_first_status() {
    let b = TestBrand::create("mode");
    b.configure(json!({"moderation": {"mode": "auto_approve_min_rating", "min_rating": 4}}));
    assert_eq!(b.submit(&testimonial("Happy", 5, None)).json()["status"], "approved");
    assert_eq!(b.submit(&testimonial("Meh", 3, None)).json()["status"], "pending");
    assert_eq!(b.widget(None)["aggregate"]["count"], 1, "auto-approved shows at once");

    b.configure(json!({"moderation": {"mode": "auto_approve_verified"}}));
    assert_eq!(b.submit(&testimonial("Anon", 5, None)).json()["status"], "pending");
    let mut verified = testimonial("Known", 2, None);
    verified["identity"] = json!(token(&b, &b.id, 600, &b.identity_secret));
    assert_eq!(b.submit(&verified).json()["status"], "approved");
}

#[test]
fn photos_are_checked_by_their_bytes_bounded_and_private_until_approved() {
    let b = TestBrand::create("photo");
    let upload = |bytes: &[u8], ct: &str| request("POST", &format!("/v1/brands/{}/photos", b.id), &[("content-type", ct)], Some(bytes));
    let r = upload(&png(3, 2), "application/octet-stream");
    assert_eq!(r.status, 201, "{}", r.text());
    let photo = r.json();
    assert_eq!((photo["width"].as_u64(), photo["height"].as_u64()), (Some(3), Some(2)));
    let url = photo["url"].as_str().unwrap().to_owned();
    // Not attached to anything approved: shoppers get 404, the brand's
    // moderators see it (never cached), another brand's key does not.
    get(&url).assert_error(404, "not_found");
    let auth = b.bearer();
    let moderator = get_with(&url, &[("authorization", &auth)]);
    assert_eq!(moderator.status, 200);
    assert_eq!(moderator.header("content-type"), Some("image/png"));
    assert_eq!(moderator.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(moderator.header("cache-control"), Some("private, no-store"));
    let other = TestBrand::create("photo-other");
    get_with(&url, &[("authorization", &other.bearer())]).assert_error(404, "not_found");

    upload(b"<svg onload=alert(1)>", "image/png").assert_error(415, "unsupported_media_type");
    upload(b"GIF89a\x01\x00\x01\x00", "image/gif").assert_error(415, "unsupported_media_type");
    let mut big = png(10, 10);
    big.resize(5 * 1024 * 1024 + 1, 0);
    upload(&big, "image/png").assert_error(413, "payload_too_large");
    // The issue's 1x60000 PNG: bounded by side, aspect and pixel count.
    let strip = upload(&png(1, 60000), "image/png");
    strip.assert_error(422, "validation_failed");
    assert_eq!(strip.json()["error"]["field"], "photo");
    get("/v1/photos/0123456789abcdef0123456789abcdef").assert_error(404, "not_found");
    get("/v1/photos/..%2F..%2Fsecret").assert_error(404, "not_found");

    let mut body = testimonial("Pia", 5, Some("sku-9"));
    body["photos"] = json!([photo["id"]]);
    let sub = b.submit(&body);
    assert_eq!(sub.status, 201, "{}", sub.text());
    get(&url).assert_error(404, "not_found");
    b.approve(sub.json()["id"].as_str().unwrap());
    let public = get(&url);
    assert_eq!(public.status, 200, "public once its testimonial is approved");
    assert_eq!(public.header("cache-control"), Some("public, max-age=300"));
    let shown = &b.widget(Some("sku-9"))["testimonials"][0]["photos"][0];
    assert_eq!(shown["url"], url.as_str());
    assert_eq!(shown["width"], 3);
    // A photo is used once, and only by its own brand.
    b.submit(&body).assert_error(422, "validation_failed");
    let mut theirs = testimonial("Thief", 5, None);
    theirs["photos"] = json!([photo["id"]]);
    other.submit(&theirs).assert_error(422, "validation_failed");
}

#[test]
fn real_photos_lose_every_piece_of_metadata_before_anyone_sees_them() {
    use kindred_core::photo::real;
    let b = TestBrand::create("photo-exif");
    let auth = b.bearer();
    let upload = |bytes: &[u8]| request("POST", &format!("/v1/brands/{}/photos", b.id), &[("content-type", "application/octet-stream")], Some(bytes));
    let planted = |bytes: &[u8]| {
        let text = String::from_utf8_lossy(bytes).into_owned();
        real::PLANTED.iter().filter(|w| text.contains(*w)).count()
    };
    // A phone photo held sideways (EXIF orientation 6) with GPS, camera,
    // XMP and a comment; a PNG with text and eXIf; a WebP with EXIF and XMP.
    for (file, shown) in [
        (real::phone_jpeg(64, 48, 6), (48, 64)),
        (real::png_with_metadata(40, 30), (40, 30)),
        (real::webp_with_metadata(40, 30), (40, 30)),
    ] {
        assert!(planted(&file) > 0, "the sample carries metadata");
        let r = upload(&file);
        assert_eq!(r.status, 201, "{}", r.text());
        let v = r.json();
        assert_eq!((v["width"].as_u64().unwrap(), v["height"].as_u64().unwrap()), shown, "size as shown");
        let served = get_with(v["url"].as_str().unwrap(), &[("authorization", &auth)]);
        assert_eq!(served.status, 200);
        assert_eq!(planted(&served.body), 0, "metadata served: {:?}", real::PLANTED);
        if served.header("content-type") == Some("image/jpeg") {
            // Only the orientation is left, so the photo still shows upright.
            use img_parts::ImageEXIF;
            let exif = img_parts::jpeg::Jpeg::from_bytes(served.body.clone().into()).unwrap().exif().unwrap();
            let tags: Vec<exif::Tag> = exif::Reader::new().read_raw(exif.to_vec()).unwrap().fields().map(|f| f.tag).collect();
            assert_eq!(tags, vec![exif::Tag::Orientation]);
        }
        assert!(image::load_from_memory(&served.body).is_ok(), "the served file is still an image");
    }
}

#[test]
fn rejected_testimonials_and_forgotten_uploads_lose_their_photos() {
    let b = TestBrand::create("photo-gone");
    let auth = b.bearer();
    let upload = || request("POST", &format!("/v1/brands/{}/photos", b.id), &[], Some(&kindred_core::photo::real::phone_jpeg(20, 10, 1))).json();
    let photo = upload();
    let url = photo["url"].as_str().unwrap().to_owned();
    let mut body = testimonial("Rex Reject", 1, None);
    body["photos"] = json!([photo["id"]]);
    let id = b.submit(&body).json()["id"].as_str().unwrap().to_owned();
    assert_eq!(get_with(&url, &[("authorization", &auth)]).status, 200, "the moderator sees it while pending");
    let r = b.reject(&id, "personal_data");
    assert_eq!(r.status, 200, "{}", r.text());
    get_with(&url, &[("authorization", &auth)]).assert_error(404, "not_found");
    assert_eq!(b.list("rejected")[0]["photos"], json!([]), "the testimonial no longer lists it");

    // An upload never attached goes after 24 hours (the cron job); a fresh one stays.
    let old = upload();
    let fresh = upload();
    kindred_tests::d1_execute(&format!("UPDATE photos SET created_at = created_at - 25 * 3600000 WHERE id = '{}'", old["id"].as_str().unwrap()));
    let cron = get("/__scheduled?cron=*+*+*+*+*");
    assert!(cron.status < 400, "cron trigger: {}", cron.status);
    get_with(old["url"].as_str().unwrap(), &[("authorization", &auth)]).assert_error(404, "not_found");
    assert_eq!(get_with(fresh["url"].as_str().unwrap(), &[("authorization", &auth)]).status, 200);
}

#[test]
fn helpful_votes_count_once_per_shopper() {
    let b = TestBrand::create("vote");
    let id = b.submit(&testimonial("Hal", 5, None)).json()["id"].as_str().unwrap().to_owned();
    let path = format!("/v1/brands/{}/testimonials/{id}/helpful", b.id);
    let vote = |member: Option<&str>| match member {
        Some(m) => request("POST", &path, &[("x-kindred-member", m)], None),
        None => request("POST", &path, &[], None),
    };
    vote(Some("member-aaaaaaaaaaaaaaaa")).assert_error(404, "not_found");
    b.approve(&id);
    let first = vote(Some("member-aaaaaaaaaaaaaaaa"));
    assert_eq!(first.status, 200, "{}", first.text());
    assert_eq!(first.json()["helpful_count"], 1);
    vote(Some("member-aaaaaaaaaaaaaaaa")).assert_error(409, "already_voted");
    assert_eq!(vote(Some("member-bbbbbbbbbbbbbbbb")).json()["helpful_count"], 2);
    vote(None).assert_error(400, "bad_request");
    assert_eq!(b.widget(None)["testimonials"][0]["helpful_count"], 2);
}

#[test]
fn tags_stored_before_the_rules_changed_are_read_again_by_the_cron_job() {
    let b = TestBrand::create("tags-reread");
    // As the rules before TAG_RULES 2 stored them: fullwidth letters, a
    // joiner between Latin letters; before 3: "İstanbul" lowercased by
    // default ("i" and a dot above), a Persian review's tag typed on an
    // Arabic keyboard (kaf U+0643); a group's tag too.
    d1_execute(&format!(
        "INSERT INTO testimonials (id, brand_id, product_id, author_name, rating, title, body, tags, status, created_at) VALUES \
         ('{0}-t1', '{0}', 'sku-1', 'Old', 5, '', 'Stored long ago, tagged fullwidth.', json_array('ｆｉｔ', 'veg' || char(8205) || 'an', 'i' || char(775) || 'stanbul'), 'approved', 1), \
         ('{0}-t2', '{0}', 'sku-1', 'Old', 4, '', 'Stored long ago, tagged plainly.', json_array('fit'), 'approved', 2); \
         INSERT INTO testimonials (id, brand_id, product_id, author_name, rating, title, body, tags, status, created_at, lang) VALUES \
         ('{0}-t3', '{0}', 'sku-1', 'Old', 5, '', 'کتاب خوبی بود، ممنون از شما.', json_array('كتاب'), 'approved', 3, 'fa'); \
         INSERT INTO groups (id, brand_id, name, visibility, moderation, created_at, tag) VALUES ('{0}-g1', '{0}', 'Fit club', 'public', 'post', 1, 'ＦＩＴ'); \
         UPDATE brands SET copy_version = copy_version + 1 WHERE id = '{0}'",
        b.id
    ));
    let feed = |tag: &str| {
        let r = get(&format!("/v1/brands/{}/testimonials?tag={tag}", b.id));
        assert_eq!(r.status, 200, "{}", r.text());
        let mut ids = ids(&r.json());
        ids.sort();
        ids
    };
    let (t1, t2) = (format!("{}-t1", b.id), format!("{}-t2", b.id));
    assert_eq!(feed("fit"), vec![t2.clone()], "before: the row stored fullwidth is not found by its own chip");
    // A pass at today's rules is done (earlier runs of this suite, or a
    // cron run another test started): the task is put just before these
    // rows each time, so the next run reads them first.
    for _ in 0..20 {
        d1_execute(&format!(
            "INSERT OR REPLACE INTO maintenance (task, version, cursor, done) VALUES ('tags:testimonials', {0}, '{1}-t0', 0), ('tags:groups', {0}, '{1}-g0', 0)",
            kindred_core::testimonial::TAG_RULES,
            b.id
        ));
        assert_eq!(get("/__scheduled?cron=*+*+*+*+*").status, 200);
        if feed("fit").len() == 2 {
            break;
        }
    }
    assert_eq!(feed("fit"), vec![t1.clone(), t2], "one chip, one filter");
    assert_eq!(feed("vegan"), vec![t1.clone()]);
    assert_eq!(feed("%C4%B0stanbul"), vec![t1.clone()], "İstanbul");
    assert_eq!(feed("istanbul"), vec![t1]);
    assert_eq!(feed("%DA%A9%D8%AA%D8%A7%D8%A8"), vec![format!("{}-t3", b.id)], "کتاب, in Persian letters");
    let chips = b.widget(None)["tags"].clone();
    assert!(chips.as_array().is_some_and(|c| ["fit", "vegan", "istanbul", "کتاب"].iter().all(|t| c.contains(&json!(t))) && c.len() == 4), "the first paint's chips, rebuilt: {chips}");
    let group = kindred_tests::d1_json(&format!("SELECT tag FROM groups WHERE id = '{}-g1'", b.id));
    assert_eq!(group[0]["results"][0]["tag"], "fit", "{group}");
}

#[test]
fn the_feed_filters_sorts_and_pages() {
    // The seeded acme brand: 4 approved Trail Runner 2 testimonials.
    let page = |q: &str| {
        let r = get(&format!("/v1/brands/acme/testimonials?product=trail-runner-2&{q}"));
        assert_eq!(r.status, 200, "{q}: {}", r.text());
        r.json()
    };
    let first = page("limit=2");
    assert_eq!(ids(&first).len(), 2);
    let cursor = first["next_cursor"].as_str().expect("a next page").to_owned();
    let second = page(&format!("limit=2&cursor={cursor}"));
    assert_eq!(ids(&second).len(), 2);
    assert!(second["next_cursor"].is_null());
    let mut all = ids(&first);
    all.extend(ids(&second));
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 4, "pages overlap or skip");

    let five_stars = page("rating=5");
    assert!(five_stars["testimonials"].as_array().unwrap().iter().all(|t| t["rating"] == 5));
    assert_eq!(ids(&five_stars).len(), 2);
    let ultra = page("tag=Ultra");
    assert_eq!(ids(&ultra), vec!["t-acme-02"]);
    assert_eq!(ids(&page("tag=Ul%C2%ADtra%E2%80%8B")), vec!["t-acme-02"], "the filter drops what a tag drops");
    let highest = page("sort=highest");
    let ratings: Vec<u64> = highest["testimonials"].as_array().unwrap().iter().map(|t| t["rating"].as_u64().unwrap()).collect();
    assert!(ratings.windows(2).all(|w| w[0] >= w[1]), "{ratings:?}");
    assert!(ids(&page("tag=nobody-uses-this")).is_empty());

    for bad in ["rating=7", "sort=random", "limit=500", "cursor=garbage", &format!("sort=highest&cursor={cursor}")] {
        let r = get(&format!("/v1/brands/acme/testimonials?{bad}"));
        r.assert_error(400, "bad_request");
    }
    assert!(!get("/v1/brands/acme/testimonials").text().contains('@'), "emails in the feed");
}

#[test]
fn featured_testimonials_lead_and_deleted_ones_vanish_with_their_photos() {
    let b = TestBrand::create("feat");
    let photo = request("POST", &format!("/v1/brands/{}/photos", b.id), &[], Some(&png(4, 4))).json();
    let old = b.submit(&testimonial("Old", 5, None)).json()["id"].as_str().unwrap().to_owned();
    let mut with_photo = testimonial("New", 4, None);
    with_photo["photos"] = json!([photo["id"]]);
    let new = b.submit(&with_photo).json()["id"].as_str().unwrap().to_owned();
    let feature = |id: &str| b.admin("POST", &format!("/v1/admin/brands/{}/testimonials/{id}/feature", b.id), None);
    feature(&old).assert_error(409, "conflict");
    b.approve(&old);
    b.approve(&new);
    assert_eq!(ids(&b.widget(None)), vec![new.clone(), old.clone()], "newest first");
    assert_eq!(feature(&old).status, 200);
    assert_eq!(ids(&b.widget(None)), vec![old.clone(), new.clone()], "featured first");

    // Deleting is for rejected testimonials only (fair moderation).
    b.admin("DELETE", &format!("/v1/admin/brands/{}/testimonials/{new}", b.id), None).assert_error(409, "conflict");
    assert_eq!(b.reject(&new, "personal_data").status, 200);
    let del = b.admin("DELETE", &format!("/v1/admin/brands/{}/testimonials/{new}", b.id), None);
    assert_eq!(del.status, 204);
    assert_eq!(ids(&b.widget(None)), vec![old]);
    let auth = b.bearer();
    get_with(photo["url"].as_str().unwrap(), &[("authorization", &auth)]).assert_error(404, "not_found");
    b.admin("DELETE", &format!("/v1/admin/brands/{}/testimonials/{new}", b.id), None).assert_error(404, "not_found");
}

#[test]
fn text_keeps_its_joiners_and_loses_its_direction_overrides() {
    let b = TestBrand::create("text");
    let mut body = testimonial("Dev 👩\u{200D}💻", 5, None);
    body["title"] = json!("می\u{200C}خواهم 🏳\u{FE0F}\u{200D}🌈");
    body["body"] = json!("Great \u{202E}tcudorp\u{202C} for my family 👨\u{200D}👩\u{200D}👧 and क्\u{200D}ष.");
    let r = b.submit(&body);
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(b.approve(r.json()["id"].as_str().unwrap()).status, 200);
    let t = &b.widget(None)["testimonials"][0];
    assert!(t["author_name"].as_str().unwrap().starts_with("Dev 👩\u{200D}💻"), "{t}");
    assert_eq!(t["title"], "می\u{200C}خواهم 🏳\u{FE0F}\u{200D}🌈");
    assert_eq!(t["body"], "Great tcudorp for my family 👨\u{200D}👩\u{200D}👧 and क्\u{200D}ष.");
}

#[test]
fn photos_stored_in_kv_before_r2_are_stripped_and_moved_on_first_read() {
    use kindred_core::photo::real;
    let b = TestBrand::create("photo-legacy");
    let id = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
    let phone = real::phone_jpeg(64, 48, 6);
    kindred_tests::d1_execute(&format!(
        "INSERT INTO photos (id, brand_id, content_type, bytes, width, height, created_at) VALUES ('{id}', '{}', 'image/jpeg', {}, 64, 48, {})",
        b.id,
        phone.len(),
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis()
    ));
    kindred_tests::kv_put(&format!("photo:{id}"), &phone);
    let auth = b.bearer();
    for _ in 0..2 {
        let served = get_with(&format!("/v1/photos/{id}"), &[("authorization", &auth)]);
        assert_eq!(served.status, 200, "{}", served.text());
        let text = String::from_utf8_lossy(&served.body).into_owned();
        assert!(!real::PLANTED.iter().any(|w| text.contains(w)), "the old blob was served with its metadata");
        assert!(image::load_from_memory(&served.body).is_ok());
    }
}

#[test]
fn reuse_consent_is_asked_unticked_shown_to_the_brand_and_only_its_author_withdraws_it() {
    let b = TestBrand::create("consent");
    let me = "member-consent-0000000001";
    let mut t = testimonial("Cora", 5, Some("sku-1"));
    t["reuse_consent"] = json!(true);
    let r = post_json(&format!("/v1/brands/{}/testimonials", b.id), &[("x-kindred-member", me)], &t);
    assert_eq!(r.status, 201, "{}", r.text());
    let id = r.json()["id"].as_str().unwrap().to_owned();
    // Consent nobody could withdraw is not taken: it needs a member token
    // or an identity.
    let mut anonymous = testimonial("Eve", 4, Some("sku-1"));
    anonymous["reuse_consent"] = json!(true);
    let r = b.submit(&anonymous);
    r.assert_error(422, "validation_failed");
    assert_eq!(r.json()["error"]["field"], "reuse_consent");
    let quiet = b.submit(&testimonial("Dan", 4, Some("sku-1")));
    assert_eq!(quiet.status, 201);
    let quiet = quiet.json()["id"].as_str().unwrap().to_owned();
    let consent_at = |tid: &str| b.list("pending").into_iter().find(|x| x["id"] == tid).unwrap()["reuse_consent_at"].as_i64();
    assert!(consent_at(&id).is_some(), "asked and given");
    assert_eq!(consent_at(&quiet), None, "not asked is no");

    // Only its author: not another shopper, not the brand, not an anonymous caller.
    let path = format!("/v1/brands/{}/testimonials/{id}/consent", b.id);
    let send = |h: &[(&str, &str)], body: serde_json::Value| {
        let mut headers = vec![("content-type", "application/json")];
        headers.extend_from_slice(h);
        request("POST", &path, &headers, Some(body.to_string().as_bytes()))
    };
    send(&[("x-kindred-member", "member-someone-else-0001")], json!({"reuse": false})).assert_error(403, "forbidden");
    send(&[("authorization", &b.bearer())], json!({"reuse": false})).assert_error(403, "forbidden");
    send(&[], json!({"reuse": false})).assert_error(403, "forbidden");
    send(&[("x-kindred-member", me)], json!({"reuse": "no"})).assert_field("reuse");
    send(&[("x-kindred-member", me)], json!({"reuse": false, "brand_may": true})).assert_field("brand_may");
    assert!(consent_at(&id).is_some(), "nothing changed");

    let r = send(&[("x-kindred-member", me)], json!({"reuse": false}));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json(), json!({"id": id, "reuse": false}));
    assert_eq!(consent_at(&id), None, "withdrawn");
    let r = send(&[("x-kindred-member", me)], json!({"reuse": true}));
    assert_eq!(r.json()["reuse"], true);
    assert!(consent_at(&id).is_some());
    // The brand withdraws it for a shopper who asked by mail; it can never give it.
    let withdraw = format!("/v1/admin/brands/{}/testimonials/{id}/consent", b.id);
    let r = b.admin("DELETE", &withdraw, None);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(consent_at(&id), None);
    b.admin("DELETE", &format!("/v1/admin/brands/{}/testimonials/nope/consent", b.id), None).assert_error(404, "not_found");
    TestBrand::create("consent-x").admin("DELETE", &withdraw, None).assert_error(403, "forbidden");
    // Every grant and withdrawal is on record: how, and by which client (hashed).
    let log = kindred_tests::d1_json(&format!("SELECT granted, via, client FROM reuse_consent_log WHERE testimonial_id = '{id}' ORDER BY id"));
    let rows: Vec<(i64, String, bool)> = log[0]["results"].as_array().unwrap().iter().map(|r| (r["granted"].as_i64().unwrap(), r["via"].as_str().unwrap().to_owned(), r["client"].as_str().is_some_and(|c| c.starts_with("c_")))).collect();
    assert_eq!(rows, vec![(1, "form".into(), true), (0, "author".into(), true), (1, "author".into(), true), (0, "brand".into(), false)]);
}

#[test]
fn one_photo_sent_with_two_submissions_at_once_goes_with_one() {
    let b = TestBrand::create("photo-race");
    b.configure(json!({"rate_limits": {"per_client": 10000, "per_brand": 100000}}));
    for round in 0..6 {
        let photo = request("POST", &format!("/v1/brands/{}/photos", b.id), &[("content-type", "application/octet-stream")], Some(&png(20, 20))).json()["id"].as_str().unwrap().to_owned();
        let mut body = testimonial(&format!("Racer {round}"), 5, Some("sku-race"));
        body["photos"] = json!([photo]);
        // Both sent at once: each may pass the photo's check before either writes.
        let gate = std::sync::Barrier::new(2);
        let statuses: Vec<u16> = std::thread::scope(|s| {
            let sends: Vec<_> = (0..2).map(|_| s.spawn(|| {
                gate.wait();
                let r = b.submit(&body);
                assert!(matches!(r.status, 201 | 409 | 422), "{} {}", r.status, r.text());
                r.status
            })).collect();
            sends.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 1, "round {round}: {statuses:?}");
        let pending = b.admin("GET", &format!("/v1/admin/brands/{}/testimonials?status=pending&limit=50", b.id), None).json();
        let with_it = pending["testimonials"].as_array().unwrap().iter().filter(|t| t["photos"].to_string().contains(&photo)).count();
        assert_eq!(with_it, 1, "round {round}: one testimonial shows the photo");
    }
}
