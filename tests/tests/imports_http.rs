//! Imports (`POST /v1/admin/brands/{brand}/imports`, `kindred_core::import`)
//! against the real edge: each platform's export as its own columns,
//! idempotent re-imports, never verified, photos by URL through the upload
//! pipeline (a real phone JPEG with EXIF and GPS, served on loopback), bad
//! rows named without losing the good ones, and a 10,000-row file in chunks.

use kindred_core::photo::real;
use kindred_tests::*;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

fn import(b: &TestBrand, body: &Value) -> Resp {
    b.admin("POST", &format!("/v1/admin/brands/{}/imports", b.id), Some(body))
}

fn status(b: &TestBrand) -> Value {
    let r = b.admin("GET", &format!("/v1/admin/brands/{}/imports", b.id), None);
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
}

/// Waits (at most 60 s) until no photo of the brand's imports is pending.
fn photos_settled(b: &TestBrand) -> Value {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let s = status(b);
        if s["photos_pending"] == 0 {
            // The photos alone (the console's poll) say the same, without the counts.
            let photos = b.admin("GET", &format!("/v1/admin/brands/{}/imports/photos", b.id), None).json();
            assert_eq!((&photos["pending"], &photos["failed"]), (&s["photos_pending"], &s["photos_failed"]), "{photos}");
            assert!(photos.get("imported").is_none());
            return s;
        }
        assert!(Instant::now() < deadline, "import photos still pending after 60 s: {s}");
        std::thread::sleep(Duration::from_millis(300));
    }
}

fn find<'a>(list: &'a [Value], author: &str) -> &'a Value {
    list.iter().find(|t| t["author_name"] == author).unwrap_or_else(|| panic!("no testimonial by {author} in {list:?}"))
}

#[test]
fn a_judge_me_export_comes_in_once_with_its_photos_stripped_and_never_verified() {
    let b = TestBrand::create("import-jm");
    let phone = real::phone_jpeg(64, 48, 6);
    let server = file_server(vec![("/ana.jpg", 200, phone.clone()), ("/notes.txt", 200, b"not an image".to_vec())], 20);
    let rows = json!([
        { "title": "Love it", "body": "Ran a marathon in them ☕ عالی بود", "rating": "5", "review_date": "2024-03-01 10:00:00 UTC", "source": "web",
          "curated": "ok", "reviewer_name": "Ana", "reviewer_email": "ana@example.com", "product_id": "8812", "product_handle": "trail-shoe",
          "reply": "Thank you, Ana!", "reply_date": "2024-03-02 09:00:00 UTC", "picture_urls": format!("{server}/ana.jpg,{server}/gone.jpg"),
          "verified_buyer": "true", "ip_address": "203.0.113.9" },
        { "title": "", "body": "Still deciding, the sizing runs small.", "rating": 3, "review_date": "2024-04-10", "curated": "not-yet",
          "reviewer_name": "Reza", "reviewer_email": "reza@example.com", "product_handle": "trail-shoe", "picture_urls": format!("{server}/notes.txt") },
        { "body": "Six stars!", "rating": "6", "reviewer_name": "Mallory", "product_handle": "trail-shoe" },
        { "body": "Buy followers at spam.example", "rating": "1", "curated": "spam", "reviewer_name": "Bot", "review_date": "2024-05-01", "product_handle": "trail-shoe" },
    ]);
    let chunk = json!({ "source": "judge.me", "first_row": 2, "records": rows });
    let r = import(&b, &chunk);
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    assert_eq!((v["received"].as_u64(), v["imported"].as_u64(), v["already"].as_u64(), v["photos_queued"].as_u64()), (Some(4), Some(3), Some(0), Some(3)), "{v}");
    let failed = v["failed"].as_array().unwrap();
    assert_eq!(failed.len(), 1, "{v}");
    assert_eq!((failed[0]["row"].as_u64(), failed[0]["field"].as_str()), (Some(4), Some("rating")), "the row as the spreadsheet numbers it: {v}");

    // The same file again changes nothing.
    let again = import(&b, &chunk).json();
    assert_eq!((again["imported"].as_u64(), again["already"].as_u64(), again["photos_queued"].as_u64()), (Some(0), Some(3), Some(0)), "{again}");

    // Published at the source: published here, labelled, never verified.
    let approved = b.list("approved");
    assert_eq!(approved.len(), 1, "{approved:?}");
    let ana = find(&approved, "Ana");
    assert_eq!(ana["imported_from"], "judge.me");
    assert_eq!(ana["published_via"], "import");
    assert_eq!(ana["verified_buyer"], false);
    assert_eq!(ana["verified_purchase"], false);
    assert_eq!(ana["product"], "trail-shoe");
    assert_eq!(ana["created_at"], 1_709_287_200_000_i64);
    assert_eq!(ana["reply"]["body"], "Thank you, Ana!");
    assert!(ana.get("reuse_consent_at").is_none(), "no consent to reuse is imported: {ana}");
    assert_eq!(ana["body"], "Ran a marathon in them ☕ عالی بود");
    let pending = b.list("pending");
    assert_eq!(find(&pending, "Reza")["imported_from"], "judge.me");
    let rejected = b.list("rejected");
    assert_eq!(find(&rejected, "Bot")["reject_reason"], "other");
    // The moderators' filter finds them; "plain" does not.
    let q = b.admin("GET", &format!("/v1/admin/brands/{}/testimonials?status=approved&provenance=imported", b.id), None).json();
    assert_eq!(q["testimonials"].as_array().map(Vec::len), Some(1), "{q}");
    let q = b.admin("GET", &format!("/v1/admin/brands/{}/testimonials?status=approved&provenance=plain", b.id), None).json();
    assert_eq!(q["testimonials"].as_array().map(Vec::len), Some(0), "{q}");

    // Photos: the real one stored without its metadata; the others reported.
    let s = photos_settled(&b);
    assert_eq!(s["imported"]["judge.me"], 3, "{s}");
    let failures = s["photos_failed"].as_array().cloned().unwrap_or_default();
    assert_eq!(failures.len(), 2, "gone.jpg (404) and notes.txt (not an image): {s}");
    assert!(failures.iter().any(|f| f["url"].as_str().is_some_and(|u| u.ends_with("/gone.jpg")) && f["error"].as_str().is_some_and(|e| e.contains("404"))), "{s}");
    let ana = find(&b.list("approved"), "Ana").clone();
    let photos = ana["photos"].as_array().cloned().unwrap_or_default();
    assert_eq!(photos.len(), 1, "{ana}");
    assert_eq!((photos[0]["width"].as_u64(), photos[0]["height"].as_u64()), (Some(48), Some(64)), "orientation applied: {ana}");
    let served = get(photos[0]["url"].as_str().unwrap());
    assert_eq!(served.status, 200);
    for planted in real::PLANTED {
        assert!(!served.body.windows(planted.len()).any(|w| w == planted.as_bytes()), "{planted:?} survived the import");
    }
    // The shopper's widget shows the imported review with its photo.
    let w = b.widget(Some("trail-shoe"));
    let shown = w["testimonials"].as_array().unwrap();
    assert_eq!(shown.len(), 1, "{w}");
    assert_eq!(shown[0]["verified_buyer"], false);
    assert_eq!(shown[0]["imported"], true, "shoppers are told it was imported: {w}");
    assert_eq!(shown[0]["photos"].as_array().map(Vec::len), Some(1));
    // Nothing of it goes where consent is needed.
    let feed = get(&format!("/v1/brands/{}/feeds/json", b.id));
    assert!(!feed.text().contains("Ran a marathon"), "an imported review has no consent to reuse: {}", feed.text());
}

#[test]
fn each_platform_reads_its_own_columns_and_kindred_reads_its_export() {
    let b = TestBrand::create("import-all");
    let cases = [
        ("yotpo", json!({ "Review ID": "y-1", "Review Score": "4", "Review Title": "Nice", "Review Content": "Comfortable all day long.", "Display Name": "Yara", "Email": "yara@example.com", "Date": "2024-01-05", "Product ID": "sku-1", "Review Status": "Published" })),
        ("okendo", json!({ "reviewId": "o-1", "rating": 5, "title": "Great", "body": "Lovely fabric, true to size.", "reviewerName": "Olu", "reviewerEmail": "olu@example.com", "dateCreated": "2024-02-01T08:00:00.000Z", "status": "approved", "productId": "sku-1" })),
        ("stamped", json!({ "id": "s-1", "rating": "5.0", "title": "", "body": "Bought a second pair.", "author": "Sam", "email": "sam@example.com", "date": "03/15/2024", "published": "true", "productId": "sku-1" })),
        ("kindred", json!({ "id": "k-1", "product_id": "sku-1", "author_name": "Kai", "author_email": "kai@example.com", "rating": 5, "title": "From our old shop", "body": "Brought over from the old edge.", "tags": ["runner"], "status": "approved", "created_at": 1_700_000_000_000_i64 })),
    ];
    for (source, record) in &cases {
        let r = import(&b, &json!({ "source": source, "records": [record] }));
        assert_eq!(r.status, 200, "{source}: {}", r.text());
        assert_eq!(r.json()["imported"], 1, "{source}: {}", r.text());
    }
    let approved = b.list("approved");
    for (author, source) in [("Yara", "yotpo"), ("Olu", "okendo"), ("Sam", "stamped"), ("Kai", "kindred")] {
        assert_eq!(find(&approved, author)["imported_from"], source);
    }
    assert_eq!(find(&approved, "Kai")["tags"], json!(["runner"]));
    // The same review id from two platforms is two reviews.
    let r = import(&b, &json!({ "source": "okendo", "records": [{ "reviewId": "y-1", "rating": 2, "body": "Different review, same id elsewhere.", "reviewerName": "Other" }] }));
    assert_eq!(r.json()["imported"], 1, "{}", r.text());
    // A column named by the brand wins over the platform's usual one.
    let r = import(&b, &json!({ "source": "yotpo", "columns": { "product": "Variant SKU" }, "records": [{ "review_id": "y-2", "review_score": 5, "review_content": "Fits my wide feet.", "display_name": "Vic", "product_id": "parent", "Variant SKU": "sku-wide" }] }));
    assert_eq!(r.json()["imported"], 1, "{}", r.text());
    assert_eq!(find(&b.list("approved"), "Vic")["product"], "sku-wide");
}

#[test]
fn bad_chunks_are_refused_whole_with_the_field_named() {
    let b = TestBrand::create("import-bad");
    let one = json!({ "review_score": 5, "review_content": "Fine shoes.", "display_name": "A" });
    for (body, field) in [
        (json!({ "source": "trustpilot", "records": [one] }), "source"),
        (json!({ "source": "yotpo", "records": [] }), "records"),
        (json!({ "source": "yotpo", "records": vec![one.clone(); 201] }), "records"),
        (json!({ "source": "yotpo", "columns": { "stars": "x" }, "records": [one] }), "columns"),
    ] {
        let r = import(&b, &body);
        r.assert_error(422, "validation_failed");
        assert_eq!(r.json()["error"]["field"], field, "{}", r.text());
    }
    let r = request("POST", &format!("/v1/admin/brands/{}/imports", b.id), &[("authorization", &b.bearer()), ("content-type", "application/json")], Some(b"{\"source\": \"yotpo\", \"records\": [{"));
    assert_eq!(r.status, 400, "{}", r.text());
    // Photo URLs that are not public https never leave the edge: the review
    // comes in without them, and the answer says so.
    let r = import(&b, &json!({ "source": "yotpo", "records": [{ "review_score": 5, "review_content": "Fine shoes.", "display_name": "A", "published_image_urls": "file:///etc/passwd" }] })).json();
    assert_eq!((r["imported"].as_u64(), r["photos_queued"].as_u64()), (Some(1), Some(0)), "{r}");
    assert!(r["warnings"].as_array().is_some_and(|w| w.iter().any(|w| w["field"] == "photos")), "{r}");
    assert!(r["failed"].as_array().is_some_and(Vec::is_empty), "{r}");
}

#[test]
fn ten_thousand_rows_in_chunks_each_well_within_a_request() {
    let b = TestBrand::create("import-10k");
    let started = Instant::now();
    let mut slowest = Duration::ZERO;
    for chunk in 0..50 {
        let records: Vec<Value> = (0..200)
            .map(|i| {
                let n = chunk * 200 + i;
                json!({ "reviewId": format!("r-{n}"), "rating": 1 + n % 5, "title": format!("Review {n}"), "body": format!("Review number {n}: the soles held up."),
                        "reviewerName": format!("Shopper {n}"), "reviewerEmail": format!("s{n}@example.com"), "dateCreated": 1_700_000_000 + n * 60, "status": "approved", "productId": format!("p-{}", n % 40) })
            })
            .collect();
        let t = Instant::now();
        let r = import(&b, &json!({ "source": "okendo", "first_row": 1 + chunk * 200, "records": records }));
        slowest = slowest.max(t.elapsed());
        assert_eq!(r.status, 200, "chunk {chunk}: {}", r.text());
        assert_eq!(r.json()["imported"], 200, "chunk {chunk}: {}", r.text());
    }
    eprintln!("10,000 rows in 50 chunks: {:.1} s, slowest chunk {} ms", started.elapsed().as_secs_f64(), slowest.as_millis());
    assert_eq!(status(&b)["imported"]["okendo"], 10_000);
    // The widget pages them like any others.
    let w = b.widget(Some("p-7"));
    assert_eq!(w["testimonials"].as_array().map(Vec::len).map(|n| n > 0), Some(true), "{w}");
}

#[test]
fn photo_redirects_are_checked_and_deleted_reviews_stay_deleted() {
    let b = TestBrand::create("import-redirect");
    let phone = real::phone_jpeg(32, 24, 1);
    // One photo moved (a redirect, followed); one "moved" to a private
    // address over plain http (refused at the hop, never fetched).
    let server = file_server(vec![("/ok.jpg", 200, phone), ("/moved.jpg", 302, b"/ok.jpg".to_vec()), ("/inside.jpg", 302, b"http://10.0.0.1/secret.jpg".to_vec())], 20);
    let r = import(&b, &json!({ "source": "okendo", "records": [
        { "reviewId": "a", "rating": 5, "body": "With a photo.", "reviewerName": "Ana", "imageUrls": [format!("{server}/moved.jpg"), format!("{server}/inside.jpg")] },
        { "reviewId": "b", "rating": 1, "body": "Spam spam spam.", "reviewerName": "Bot", "status": "approved" },
    ] })).json();
    assert_eq!(r["imported"], 2, "{r}");
    let s = photos_settled(&b);
    assert_eq!(find(&b.list("approved"), "Ana")["photos"].as_array().map(Vec::len), Some(1));
    let failed = s["photos_failed"].as_array().cloned().unwrap_or_default();
    assert_eq!(failed.len(), 1, "{s}");
    assert!(failed[0]["url"].as_str().is_some_and(|u| u.ends_with("/inside.jpg")) && failed[0]["error"].as_str().is_some_and(|e| e.contains("https")), "{s}");
    // The brand rejects and deletes the spam; the same file again does not bring it back.
    let bot = find(&b.list("approved"), "Bot")["id"].as_str().unwrap().to_owned();
    assert_eq!(b.reject(&bot, "spam").status, 200);
    assert_eq!(b.admin("DELETE", &format!("/v1/admin/brands/{}/testimonials/{bot}", b.id), None).status, 204);
    let again = import(&b, &json!({ "source": "okendo", "records": [
        { "reviewId": "a", "rating": 5, "body": "With a photo.", "reviewerName": "Ana", "imageUrls": [format!("{server}/ok.jpg")] },
        { "reviewId": "b", "rating": 1, "body": "Spam spam spam.", "reviewerName": "Bot", "status": "approved" },
    ] })).json();
    assert_eq!((again["imported"].as_u64(), again["already"].as_u64(), again["photos_queued"].as_u64()), (Some(0), Some(2), Some(0)), "{again}");
    assert!(b.list("approved").iter().all(|t| t["author_name"] != "Bot"));
    // A Kindred export carries where imported reviews came from: importing it
    // on another edge and then the original file there changes nothing.
    let export = b.admin("GET", &format!("/v1/admin/brands/{}/export/testimonials?format=jsonl", b.id), None).text();
    let records: Vec<Value> = export.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    assert!(records.iter().any(|r| r["import_source"] == "okendo" && r["import_source_id"] == "a"), "{export}");
    let to = TestBrand::create("import-redirect-to");
    assert_eq!(import(&to, &json!({ "source": "kindred", "records": records })).json()["imported"], 1);
    let original = import(&to, &json!({ "source": "okendo", "records": [{ "reviewId": "a", "rating": 5, "body": "With a photo.", "reviewerName": "Ana" }] })).json();
    assert_eq!((original["imported"].as_u64(), original["already"].as_u64()), (Some(0), Some(1)), "{original}");
    // A brand's export imported back into it (a restore, a round trip)
    // changes nothing: a review written on its pages and one that came in
    // through a Kindred file are its own already (helper-100: each came in
    // again, a second copy in the feed and the average).
    let native = to.submit(&testimonial("Noa", 4, None)).json()["id"].as_str().unwrap().to_owned();
    assert_eq!(to.approve(&native).status, 200);
    let export = to.admin("GET", &format!("/v1/admin/brands/{}/export/testimonials?format=jsonl", to.id), None).text();
    let records: Vec<Value> = export.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    assert_eq!(records.len(), 2, "{export}");
    let back = import(&to, &json!({ "source": "kindred", "records": records })).json();
    assert_eq!((back["imported"].as_u64(), back["already"].as_u64(), back["photos_queued"].as_u64()), (Some(0), Some(2), Some(0)), "{back}");
    assert_eq!(to.list("approved").len(), 2);
    // Into another brand it comes in, as before.
    let other = TestBrand::create("import-redirect-other");
    assert_eq!(import(&other, &json!({ "source": "kindred", "records": records })).json()["imported"], 2);
    // And that brand's export imported back into the first changes nothing
    // (helper-101: the review written on the first brand's pages came in
    // again, named by the id it had in the second).
    let export = other.admin("GET", &format!("/v1/admin/brands/{}/export/testimonials?format=jsonl", other.id), None).text();
    let records: Vec<Value> = export.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    assert!(records.iter().any(|r| r["import_source"] == "kindred" && r["import_source_id"] == native.as_str()), "{export}");
    let back = import(&to, &json!({ "source": "kindred", "records": records })).json();
    assert_eq!((back["imported"].as_u64(), back["already"].as_u64()), (Some(0), Some(2)), "{back}");
    assert_eq!(to.list("approved").len(), 2);
    // A third brand that imported the first's export straight, then the
    // second's (the same reviews, through it), has each once.
    let third = TestBrand::create("import-redirect-third");
    let first = to.admin("GET", &format!("/v1/admin/brands/{}/export/testimonials?format=jsonl", to.id), None).text();
    let first: Vec<Value> = first.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    assert_eq!(import(&third, &json!({ "source": "kindred", "records": first })).json()["imported"], 2);
    let through = import(&third, &json!({ "source": "kindred", "records": records })).json();
    assert_eq!((through["imported"].as_u64(), through["already"].as_u64()), (Some(0), Some(2)), "{through}");
    // The other order: the second's export first, then the first's
    // (helper-103: the same reviews came in twice). Each record names the
    // brand it was written in, however many exports it went through.
    let fourth = TestBrand::create("import-redirect-fourth");
    assert_eq!(import(&fourth, &json!({ "source": "kindred", "records": records })).json()["imported"], 2);
    let straight = import(&fourth, &json!({ "source": "kindred", "records": first })).json();
    assert_eq!((straight["imported"].as_u64(), straight["already"].as_u64()), (Some(0), Some(2)), "{straight}");
    // Two hops and back: the first brand's review through the second and
    // the fourth is its own still.
    let export = fourth.admin("GET", &format!("/v1/admin/brands/{}/export/testimonials?format=jsonl", fourth.id), None).text();
    let two_hops: Vec<Value> = export.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    assert!(two_hops.iter().any(|r| r["import_source"] == "kindred" && r["import_source_id"] == native.as_str()), "{export}");
    let back = import(&to, &json!({ "source": "kindred", "records": two_hops })).json();
    assert_eq!((back["imported"].as_u64(), back["already"].as_u64()), (Some(0), Some(2)), "{back}");
    let fifth = TestBrand::create("import-redirect-fifth");
    assert_eq!(import(&fifth, &json!({ "source": "kindred", "records": records })).json()["imported"], 2);
    // The first brand deletes its own review: a partner's export that holds
    // a copy does not bring it back (helper-103: it came back published),
    // said as no longer available, as after an erasure (helper-110).
    assert_eq!(to.reject(&native, "off_topic").status, 200);
    assert_eq!(to.admin("DELETE", &format!("/v1/admin/brands/{}/testimonials/{native}", to.id), None).status, 204);
    let gone = |answer: &Value| {
        assert_eq!((answer["imported"].as_u64(), answer["already"].as_u64()), (Some(0), Some(1)), "{answer}");
        assert!(answer["failed"][0]["message"].as_str().is_some_and(|m| m.contains("no longer available where it was first written")), "{answer}");
    };
    for file in [&records, &two_hops] {
        gone(&import(&to, &json!({ "source": "kindred", "records": file })).json());
    }
    assert!(to.list("approved").iter().chain(to.list("pending").iter()).all(|t| t["author_name"] != "Noa"), "{:?}", to.list("approved"));
    // Nor into a brand that never had it (a brand's copy from before stays its own).
    let sixth = TestBrand::create("import-redirect-sixth");
    let there = import(&sixth, &json!({ "source": "kindred", "records": records })).json();
    assert_eq!((there["imported"].as_u64(), there["failed"].as_array().map(Vec::len)), (Some(1), Some(1)), "{there}");
    assert!(fifth.list("approved").iter().any(|t| t["author_name"] == "Noa"));
    // A copy stored as before a record named its first home (under the id it
    // had in the brand it came from), then deleted: the same file again
    // does not bring it back (helper-105).
    let via = records.iter().find(|r| r["import_source_id"] == native.as_str()).and_then(|r| r["id"].as_str()).unwrap().to_owned();
    // Migration 0058 gives such a copy its first home where the brand it
    // came through is in the same database (its SQL run again here).
    d1_execute(&format!("UPDATE testimonials SET import_source_id = '{via}' WHERE brand_id = '{}' AND import_source_id = '{native}'", fourth.id));
    let migration: Vec<&str> = include_str!("../../edge/migrations/0058_kindred_copies_first_home.sql").lines().filter(|l| !l.starts_with("--")).collect();
    d1_execute(&migration.join("\n"));
    let homes = d1_json(&format!("SELECT import_source_id AS sid FROM testimonials WHERE brand_id = '{}' AND import_source = 'kindred'", fourth.id)).to_string();
    assert!(homes.contains(&native) && !homes.contains(&via), "{homes}");
    d1_execute(&format!("UPDATE testimonials SET import_source_id = '{via}' WHERE brand_id = '{}' AND import_source_id = '{native}'", fifth.id));
    let copy = find(&fifth.list("approved"), "Noa")["id"].as_str().unwrap().to_owned();
    assert_eq!(fifth.reject(&copy, "off_topic").status, 200);
    assert_eq!(fifth.admin("DELETE", &format!("/v1/admin/brands/{}/testimonials/{copy}", fifth.id), None).status, 204);
    gone(&import(&fifth, &json!({ "source": "kindred", "records": records })).json());
}

/// A shopper erases their data (the brand deletes their testimonials) after
/// a partner brand imported the brand's export: importing the partner's
/// export back does not bring their review back, with their name and email
/// (helper-103), and nothing of theirs (not even the review's id) is left
/// to do it with. Nor into a third brand of the edge that imports the
/// partner's export (session 54: the tombstone was the erasing brand's
/// alone), while a review a brand deletes itself stays out of that brand's
/// imports only (`photo_redirects_are_checked_and_deleted_reviews_stay_deleted`).
#[test]
fn an_erased_review_does_not_come_back_through_a_partners_export() {
    let b = TestBrand::create("import-erased");
    b.configure(json!({ "privacy": { "erasure": "delete" } }));
    let member = "m-erased-import-0123456789";
    let shopper = |method: &str, path: &str, body: Option<&Value>| {
        let bytes = body.map(|v| v.to_string().into_bytes());
        request(method, path, &[("x-kindred-member", member), ("content-type", "application/json")], bytes.as_deref())
    };
    let mine = shopper("POST", &format!("/v1/brands/{}/testimonials", b.id), Some(&testimonial("Shirin Rahimi", 5, None)));
    assert_eq!(mine.status, 201, "{}", mine.text());
    let id = mine.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(b.approve(&id).status, 200);
    let other = b.submit(&testimonial("Omid", 4, None)).json()["id"].as_str().unwrap().to_owned();
    assert_eq!(b.approve(&other).status, 200);
    let partner = TestBrand::create("import-erased-partner");
    let export = b.admin("GET", &format!("/v1/admin/brands/{}/export/testimonials?format=jsonl", b.id), None).text();
    let records: Vec<Value> = export.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    assert_eq!(import(&partner, &json!({ "source": "kindred", "records": records })).json()["imported"], 2);
    assert_eq!(shopper("DELETE", &format!("/v1/brands/{}/me/data", b.id), None).status, 200);
    assert!(b.list("approved").iter().all(|t| t["id"] != id.as_str()));
    let stored = d1_json("SELECT * FROM erasure_tombstones").to_string();
    assert!(!stored.contains(&id) && stored.contains("c_"), "{stored}");
    let export = partner.admin("GET", &format!("/v1/admin/brands/{}/export/testimonials?format=jsonl", partner.id), None).text();
    let records: Vec<Value> = export.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    assert!(records.iter().any(|r| r["author_name"] == "Shirin Rahimi"), "the partner's copy is the partner's (Art. 19 tells it)");
    // Said as not imported, without saying why (helper-109: "already here"
    // to a brand that never had it).
    let unavailable = |answer: &Value, n: usize| {
        let failed = answer["failed"].as_array().cloned().unwrap_or_default();
        assert_eq!(failed.len(), n, "{answer}");
        for f in &failed {
            let message = f["message"].as_str().unwrap_or_default();
            assert!(message.contains("no longer available where it was first written") && !message.contains("erase"), "{f}");
        }
    };
    let back = import(&b, &json!({ "source": "kindred", "records": records })).json();
    assert_eq!((back["imported"].as_u64(), back["already"].as_u64()), (Some(0), Some(1)), "{back}");
    unavailable(&back, 1);
    for status in ["approved", "pending", "rejected"] {
        assert!(b.list(status).iter().all(|t| t["author_name"] != "Shirin Rahimi"), "{status}");
    }
    // A third brand of the edge: Omid's review comes in, Shirin's does not.
    let third = TestBrand::create("import-erased-third");
    let there = import(&third, &json!({ "source": "kindred", "records": records })).json();
    assert_eq!((there["imported"].as_u64(), there["already"].as_u64()), (Some(1), Some(0)), "{there}");
    unavailable(&there, 1);
    for status in ["approved", "pending", "rejected"] {
        assert!(third.list(status).iter().all(|t| t["author_name"] != "Shirin Rahimi" && t["id"] != id.as_str()), "{status}");
    }
    let held = d1_json(&format!("SELECT COUNT(*) AS n FROM testimonials WHERE author_email LIKE '%shirin%' AND brand_id = '{}'", third.id)).to_string();
    assert!(held.contains("\"n\":0"), "{held}");
    // The brand's own review stays the one it was.
    assert_eq!(b.list("approved").iter().filter(|t| t["id"] == other.as_str()).count(), 1);
    // Omid asks the brand by email (no widget to erase from): rejected, then
    // deleted at his request, it holds in every brand as Shirin's does.
    let path = format!("/v1/admin/brands/{}/testimonials/{other}", b.id);
    let reject = |t: &TestBrand, id: &str| t.admin("POST", &format!("/v1/admin/brands/{}/testimonials/{id}/reject", t.id), Some(&json!({ "reason": "other", "note": "Its author asked us by email to erase it." })));
    assert_eq!(reject(&b, &other).status, 200);
    let bad = b.admin("DELETE", &format!("{path}?erasure=yes"), None);
    assert_eq!((bad.status, bad.json()["error"]["field"].as_str()), (400, Some("erasure")), "{}", bad.text());
    assert_eq!(b.admin("DELETE", &format!("{path}?erasure=true"), None).status, 204);
    let fourth = TestBrand::create("import-erased-fourth");
    let none = import(&fourth, &json!({ "source": "kindred", "records": records })).json();
    assert_eq!(none["imported"], 0, "{none}");
    unavailable(&none, 2);
}

/// Under `anonymise` an erasure leaves the review without its author; the
/// brand deleting that nameless review later does not let a partner's copy
/// from before bring the author's name back into another brand (helper-109).
#[test]
fn an_anonymised_review_deleted_later_stays_out_of_every_brand() {
    let a = TestBrand::create("import-anon");
    a.configure(json!({ "privacy": { "erasure": "anonymise" } }));
    let member = "m-anon-import-0123456789ab";
    let mine = request("POST", &format!("/v1/brands/{}/testimonials", a.id), &[("x-kindred-member", member), ("content-type", "application/json")], Some(testimonial("Dariush Karimi", 5, None).to_string().as_bytes()));
    assert_eq!(mine.status, 201, "{}", mine.text());
    let id = mine.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(a.approve(&id).status, 200);
    let partner = TestBrand::create("import-anon-partner");
    let export = a.admin("GET", &format!("/v1/admin/brands/{}/export/testimonials?format=jsonl", a.id), None).text();
    let records: Vec<Value> = export.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    assert_eq!(import(&partner, &json!({ "source": "kindred", "records": records })).json()["imported"], 1);
    assert_eq!(request("DELETE", &format!("/v1/brands/{}/me/data", a.id), &[("x-kindred-member", member)], None).status, 200);
    let rejected = a.admin("POST", &format!("/v1/admin/brands/{}/testimonials/{id}/reject", a.id), Some(&json!({ "reason": "other", "note": "A former customer's, anonymised." })));
    assert_eq!(rejected.status, 200, "{}", rejected.text());
    assert_eq!(a.admin("DELETE", &format!("/v1/admin/brands/{}/testimonials/{id}", a.id), None).status, 204);
    let export = partner.admin("GET", &format!("/v1/admin/brands/{}/export/testimonials?format=jsonl", partner.id), None).text();
    let records: Vec<Value> = export.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    let third = TestBrand::create("import-anon-third");
    let answer = import(&third, &json!({ "source": "kindred", "records": records })).json();
    assert_eq!((answer["imported"].as_u64(), answer["failed"].as_array().map(Vec::len)), (Some(0), Some(1)), "{answer}");
    for status in ["approved", "pending", "rejected"] {
        assert!(third.list(status).iter().all(|t| t["author_name"] != "Dariush Karimi"), "{status}");
    }
}

/// A partner's file that names a review of this edge as where its record
/// was first written, with a rating and words of its own (helper-106: the
/// ids are public in the widget's markup), does not take that review's
/// place: the record comes in as the partner's own (said), one posing as
/// the review itself is refused, and the genuine copy still comes in; a
/// copy exported before its author edited the review is still that
/// review, through a partner too; one whose first home is on another edge
/// is taken as said.
#[test]
fn a_file_cannot_take_the_place_of_a_review_of_this_edge() {
    let a = TestBrand::create("home-a");
    let member = "m-first-home-0123456789";
    let shopper = |method: &str, path: &str, body: &Value| request(method, path, &[("x-kindred-member", member), ("content-type", "application/json")], Some(body.to_string().as_bytes()));
    let mine = shopper("POST", &format!("/v1/brands/{}/testimonials", a.id), &testimonial("Shirin Rahimi", 5, None));
    assert_eq!(mine.status, 201, "{}", mine.text());
    let id = mine.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(a.approve(&id).status, 200);
    let export = |b: &TestBrand| -> Vec<Value> {
        let text = b.admin("GET", &format!("/v1/admin/brands/{}/export/testimonials?format=jsonl", b.id), None).text();
        text.lines().filter_map(|l| serde_json::from_str(l).ok()).collect()
    };
    let before_edit = export(&a);
    assert_eq!(before_edit.len(), 1);
    // Its author edits it afterwards (the old version kept as replaced).
    let r = shopper("PATCH", &format!("/v1/brands/{}/testimonials/{id}", a.id), &json!({ "rating": 4, "body": "Edited: still good after a month of runs." }));
    assert_eq!(r.status, 200, "{}", r.text());

    // The forgery, as a record of the partner's own, as the review itself
    // (its words but another name), and one from another edge.
    let b = TestBrand::create("home-b");
    let forged = json!({ "id": "p-1", "import_source": "kindred", "import_source_id": id, "author_name": "Not Shirin", "rating": 1, "body": "Words the author never wrote.", "status": "approved", "created_at": 1_700_000_000_000_i64 });
    let mut posing = before_edit[0].clone();
    posing["author_name"] = json!("Not Shirin");
    let elsewhere = json!({ "id": "p-2", "import_source": "kindred", "import_source_id": "0123456789abcdef0123456789abcdef", "author_name": "Kai", "rating": 5, "body": "First written on another edge.", "status": "approved", "created_at": 1_700_000_000_000_i64 });
    let r = import(&b, &json!({ "source": "kindred", "first_row": 2, "records": [forged, posing, elsewhere] }));
    assert_eq!(r.status, 200, "{}", r.text());
    let r = r.json();
    assert_eq!(r["imported"], 2, "the forged record as the partner's own, and the one from another edge: {r}");
    let said = |list: &Value| -> Vec<(u64, String)> { list.as_array().unwrap().iter().map(|f| (f["row"].as_u64().unwrap_or(0), f["field"].as_str().unwrap_or("").to_owned())).collect() };
    assert_eq!(said(&r["failed"]), [(3, "id".to_owned())], "{r}");
    assert_eq!(said(&r["warnings"]), [(2, "import_source_id".to_owned())], "{r}");
    assert!(r["warnings"][0]["message"].as_str().unwrap_or("").contains(&id), "{r}");
    // The genuine copy, exported before the edit and after: one review.
    let r = import(&b, &json!({ "source": "kindred", "records": before_edit })).json();
    assert_eq!((r["imported"].as_u64(), r["failed"].as_array().map(Vec::len), r["warnings"].as_array().map(Vec::len)), (Some(1), Some(0), Some(0)), "a copy from before the edit: {r}");
    let r = import(&b, &json!({ "source": "kindred", "records": export(&a) })).json();
    assert_eq!((r["imported"].as_u64(), r["already"].as_u64()), (Some(0), Some(1)), "{r}");
    let copies: Vec<Value> = b.list("approved").into_iter().filter(|t| t["author_name"] == "Shirin Rahimi").collect();
    assert_eq!(copies.len(), 1, "{copies:?}");
    // Through a partner (B's export into C): still that review, no warning.
    let c = TestBrand::create("home-c");
    let r = import(&c, &json!({ "source": "kindred", "records": export(&b) })).json();
    assert_eq!((r["imported"].as_u64(), r["failed"].as_array().map(Vec::len), r["warnings"].as_array().map(Vec::len)), (Some(3), Some(0), Some(0)), "{r}");
    assert_eq!(c.list("approved").iter().filter(|t| t["author_name"] == "Shirin Rahimi").count(), 1);
    // Its author has it anonymised in A: B's copy, made before, comes into
    // D without her name or email (as B's own: the erasure took the
    // version B's copy holds, so it is no longer known as that review).
    a.configure(json!({ "privacy": { "erasure": "anonymise" } }));
    assert_eq!(shopper("DELETE", &format!("/v1/brands/{}/me/data", a.id), &json!({})).status, 200);
    let d = TestBrand::create("home-d");
    let r = import(&d, &json!({ "source": "kindred", "records": export(&b) })).json();
    assert_eq!((r["imported"].as_u64(), r["failed"].as_array().map(Vec::len)), (Some(3), Some(0)), "{r}");
    let stored = d1_json(&format!("SELECT author_name, author_email FROM testimonials WHERE brand_id = '{}' AND body LIKE '%really likes%'", d.id));
    assert_eq!(stored[0]["results"], json!([{ "author_name": "", "author_email": null }]), "{stored}");
}

/// A brand undoes an import that went wrong (`DELETE .../imports/{source}`):
/// 100 a call until `done`, whatever each one's state, with photos (their
/// bytes too), votes and replies; the brand's own reviews and another
/// source's stay; the ledger counts each as deleted; and the file imports
/// again, but for the review deleted before the undo (its tombstone stays).
#[test]
fn an_import_undone_goes_a_page_at_a_time_and_the_file_imports_again() {
    let b = TestBrand::create("import-undo");
    let server = file_server(vec![("/p.jpg", 200, real::phone_jpeg(32, 24, 6))], 20);
    let own = b.submit(&testimonial("Noor", 5, Some("boot"))).json()["id"].as_str().unwrap().to_owned();
    assert_eq!(b.approve(&own).status, 200);
    let rows: Vec<Value> = (0..250)
        .map(|n| {
            let status = ["approved", "pending", "rejected"][n % 3];
            let mut r = json!({ "reviewId": format!("u-{n}"), "rating": 1 + n % 5, "body": format!("Imported review {n}, wrong shop."), "reviewerName": format!("Shopper {n}"), "status": status, "productId": "boot" });
            if n == 0 {
                r["imageUrls"] = json!([format!("{server}/p.jpg")]);
            }
            r
        })
        .collect();
    let file = |records: &[Value]| json!({ "source": "okendo", "records": records });
    for part in rows.chunks(200) {
        assert_eq!(import(&b, &file(part)).status, 200);
    }
    assert_eq!(import(&b, &json!({ "source": "yotpo", "records": [{ "review_id": "y-1", "review_score": 4, "review_content": "From the other platform.", "display_name": "Yara", "review_status": "Published", "product_id": "boot" }] })).json()["imported"], 1);
    let s = photos_settled(&b);
    assert_eq!((s["imported"]["okendo"].as_u64(), s["imported"]["yotpo"].as_u64()), (Some(250), Some(1)), "{s}");
    let imported = |sid: &str| -> Value { d1_json(&format!("SELECT id, photos FROM testimonials WHERE brand_id = '{}' AND import_source_id = '{sid}'", b.id))[0]["results"][0].clone() };
    let first = imported("u-0");
    let first_id = first["id"].as_str().unwrap().to_owned();
    let photos: Value = serde_json::from_str(first["photos"].as_str().unwrap()).unwrap();
    let photo = photos[0]["url"].as_str().expect("the imported photo").to_owned();
    assert_eq!(get(&photo).status, 200);
    let vote = request("POST", &format!("/v1/brands/{}/testimonials/{first_id}/helpful", b.id), &[("x-kindred-member", "member-undo-voter-0001")], None);
    assert_eq!(vote.status, 200, "{}", vote.text());
    let reply = b.admin("POST", &format!("/v1/admin/brands/{}/testimonials/{first_id}/reply", b.id), Some(&json!({"body": "Thanks!"})));
    assert_eq!(reply.status, 200, "{}", reply.text());
    // One deleted before the undo (rejected, then deleted): it stays deleted.
    let spam = imported("u-3")["id"].as_str().unwrap().to_owned();
    assert_eq!(b.reject(&spam, "spam").status, 200);
    assert_eq!(b.admin("DELETE", &format!("/v1/admin/brands/{}/testimonials/{spam}", b.id), None).status, 204);

    // Another brand's key, and a source that is none, are refused.
    let other = TestBrand::create("import-undo-other");
    let path = format!("/v1/admin/brands/{}/imports/okendo", b.id);
    request("DELETE", &path, &[("authorization", &format!("Bearer {}", other.key))], None).assert_error(403, "forbidden");
    b.admin("DELETE", &format!("/v1/admin/brands/{}/imports/facebook", b.id), None).assert_error(404, "route_not_found");
    // A source typed as its label is told the names (helper-80).
    let label = b.admin("DELETE", &format!("/v1/admin/brands/{}/imports/Judge.me", b.id), None);
    label.assert_error(404, "route_not_found");
    assert!(label.text().contains("no such source: it is one of judge.me, yotpo, okendo, stamped, kindred"), "{}", label.text());

    let mut calls = Vec::new();
    loop {
        let r = b.admin("DELETE", &path, None);
        assert_eq!(r.status, 200, "{}", r.text());
        let v = r.json();
        calls.push((v["deleted"].as_u64().unwrap(), v["done"].as_bool().unwrap()));
        if v["done"] == true || calls.len() > 5 {
            break;
        }
    }
    assert_eq!(calls, [(100, false), (100, false), (49, true)]);
    assert_eq!(b.admin("DELETE", &path, None).json(), json!({"deleted": 0, "done": true}), "undoing again is harmless");

    let s = status(&b);
    assert!(s["imported"].get("okendo").is_none(), "{s}");
    assert_eq!(s["imported"]["yotpo"], 1, "another source's stay: {s}");
    let left: Vec<String> = ["approved", "pending", "rejected"].iter().flat_map(|st| b.list(st)).filter_map(|t| t["author_name"].as_str().map(str::to_owned)).collect();
    assert_eq!(left.iter().filter(|n| n.starts_with("Shopper ")).count(), 0, "{left:?}");
    assert!(left.contains(&"Noor".to_owned()) && left.contains(&"Yara".to_owned()), "{left:?}");
    assert_eq!(get(&photo).status, 404, "the photo's bytes went too");
    let counts = d1_json(&format!(
        "SELECT (SELECT COUNT(*) FROM helpful_votes WHERE testimonial_id = '{first_id}') AS votes, (SELECT COUNT(*) FROM testimonial_reply_log WHERE testimonial_id = '{first_id}') AS replies, \
         (SELECT COUNT(*) FROM photos WHERE brand_id = '{0}') AS photos, (SELECT SUM(n) FROM moderation_ledger WHERE brand_id = '{0}' AND status = 'deleted') AS deleted",
        b.id
    ))[0]["results"][0]
        .clone();
    assert_eq!(counts, json!({"votes": 0, "replies": 0, "photos": 0, "deleted": 250}), "the ledger counts each deletion");
    let w = b.widget(Some("boot"));
    assert_eq!(w["testimonials"].as_array().map(Vec::len), Some(2), "the shopper's widget at once (Noor's and Yara's): {w}");

    // The file again: all but the one deleted before the undo (answered as
    // `already`, as a deleted review always is).
    let mut again = (0, 0);
    for part in rows.chunks(200) {
        let v = import(&b, &file(part)).json();
        again = (again.0 + v["imported"].as_u64().unwrap(), again.1 + v["already"].as_u64().unwrap());
    }
    assert_eq!(again, (249, 1));
    assert!(imported("u-3").is_null(), "deleted before the undo: its tombstone stays");

    // Undone again by four clients at once (a double click, two tabs):
    // each counts only what it deleted, and all of it goes.
    let counted: u64 = std::thread::scope(|s| {
        let calls: Vec<_> = (0..4)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = 0;
                    loop {
                        let r = b.admin("DELETE", &path, None);
                        assert_eq!(r.status, 200, "{}", r.text());
                        mine += r.json()["deleted"].as_u64().unwrap();
                        if r.json()["done"] == true {
                            return mine;
                        }
                    }
                })
            })
            .collect();
        calls.into_iter().map(|c| c.join().unwrap()).sum()
    });
    assert_eq!(counted, 249, "each deletion counted once");
    assert!(status(&b)["imported"].get("okendo").is_none());
}

/// An undo goes by the file the reviews came in (`import_via`, migration
/// 0047): a Kindred export's reviews first written on Okendo keep Okendo as
/// their source (so Okendo's own file adds none of them twice), yet undoing
/// the Kindred export takes them and undoing Okendo's import leaves them;
/// the counts say the same, and both files import again after.
#[test]
fn an_undo_goes_by_the_file_the_reviews_came_in() {
    let b = TestBrand::create("import-via");
    let export = |id: &str, origin: Option<(&str, &str)>| {
        let mut r = json!({ "id": id, "product_id": "boot", "author_name": format!("Kai {id}"), "rating": 5, "body": format!("Moved with the shop ({id})."), "status": "approved", "created_at": 1_700_000_000_000_i64 });
        if let Some((source, sid)) = origin {
            r["import_source"] = json!(source);
            r["import_source_id"] = json!(sid);
        }
        r
    };
    let kindred = json!({ "source": "kindred", "records": [export("k-1", None), export("k-2", Some(("okendo", "o-1"))), export("k-3", Some(("okendo", "o-2")))] });
    let okendo = json!({ "source": "okendo", "records": [
        { "reviewId": "o-1", "rating": 5, "body": "Moved with the shop (k-2).", "reviewerName": "Kai k-2", "status": "approved" },
        { "reviewId": "o-3", "rating": 4, "body": "Only on Okendo.", "reviewerName": "Olu", "status": "approved" },
    ] });
    assert_eq!(import(&b, &kindred).json()["imported"], 3);
    let r = import(&b, &okendo).json();
    assert_eq!((r["imported"].as_u64(), r["already"].as_u64()), (Some(1), Some(1)), "o-1 came with the export: {r}");
    let s = status(&b);
    assert_eq!((s["imported"]["kindred"].as_u64(), s["imported"]["okendo"].as_u64()), (Some(3), Some(1)), "{s}");
    let from = |source: &str| -> Vec<String> {
        let rows = d1_json(&format!("SELECT author_name FROM testimonials WHERE brand_id = '{}' AND import_source = '{source}' ORDER BY author_name", b.id));
        rows[0]["results"].as_array().unwrap().iter().map(|r| r["author_name"].as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(from("okendo"), ["Kai k-2", "Kai k-3", "Olu"], "the export's Okendo reviews keep Okendo as their source");
    // The moderator sees both: where each was first written, and the file
    // it came in when that is another (what the undo goes by).
    let listed = b.list("approved");
    let shown = |author: &str| (find(&listed, author)["imported_from"].clone(), find(&listed, author)["imported_via"].clone());
    assert_eq!(shown("Kai k-2"), (json!("okendo"), json!("kindred")));
    assert_eq!(shown("Olu"), (json!("okendo"), Value::Null));
    assert_eq!(shown("Kai k-1"), (json!("kindred"), Value::Null));

    let undo = |source: &str| b.admin("DELETE", &format!("/v1/admin/brands/{}/imports/{source}", b.id), None).json();
    assert_eq!(undo("okendo"), json!({"deleted": 1, "done": true}));
    assert_eq!(from("okendo"), ["Kai k-2", "Kai k-3"], "Okendo's undo leaves what came in the export");
    assert_eq!(undo("kindred"), json!({"deleted": 3, "done": true}));
    assert_eq!(from("okendo").len() + from("kindred").len(), 0);
    assert!(status(&b)["imported"].as_object().is_some_and(serde_json::Map::is_empty), "{}", status(&b));

    // Their tombstones went with them (by source and id: Okendo's for the
    // export's reviews): both files import again, whole.
    assert_eq!(import(&b, &kindred).json()["imported"], 3);
    let r = import(&b, &okendo).json();
    assert_eq!((r["imported"].as_u64(), r["already"].as_u64()), (Some(1), Some(1)), "{r}");
}

/// Two partners' exports, both called `export.csv` by their owners, named
/// apart by their console (`file`): the status counts each file, and one
/// file's undo takes its reviews alone, page by page, the other partner's
/// staying. A review both files carried belongs to the first; a file named
/// nowhere or blank deletes nothing; a name too long is refused whole.
#[test]
fn one_partners_file_is_undone_alone() {
    let b = TestBrand::create("import-file");
    let record = |id: &str, who: &str| json!({ "id": id, "product_id": "boot", "author_name": who, "rating": 5, "body": format!("From a partner ({id})."), "status": "approved", "created_at": 1_700_000_000_000_i64 });
    // The first partner's file: 130 reviews (two undo pages) and one both carry.
    let mut first: Vec<Value> = (0..130).map(|n| record(&format!("a-{n}"), "Ada")).collect();
    first.push(record("shared-1", "Sam"));
    let second = vec![record("shared-1", "Sam"), record("b-1", "زهرا"), record("b-2", "Bo")];
    let a_file = "export.csv · 3fa2c1d9";
    let b_file = "export.csv · 77e0b2aa";
    for chunk in first.chunks(100) {
        let r = import(&b, &json!({ "source": "kindred", "file": a_file, "records": chunk }));
        assert_eq!(r.status, 200, "{}", r.text());
    }
    // Named with spaces about it: the edge keeps one line, trimmed.
    let r = import(&b, &json!({ "source": "kindred", "file": format!("  {b_file}\n"), "records": second })).json();
    assert_eq!((r["imported"].as_u64(), r["already"].as_u64()), (Some(2), Some(1)), "the shared review came with the first file: {r}");
    // One without a name (an integration of before): counted by source only.
    assert_eq!(import(&b, &json!({ "source": "kindred", "records": [record("c-1", "Cy")] })).json()["imported"], 1);
    let s = status(&b);
    assert_eq!(s["imported"]["kindred"], 134, "{s}");
    assert_eq!(s["files"], json!([
        { "source": "kindred", "file": b_file, "testimonials": 2 },
        { "source": "kindred", "file": a_file, "testimonials": 131 },
    ]), "the file imported last first: {s}");

    let undo = |query: &str| b.admin("DELETE", &format!("/v1/admin/brands/{}/imports/kindred?{query}", b.id), None);
    let by_name = |f: &str| format!("file={}", urlencoding_min(f));
    // Refused, never read as the whole source.
    for bad in ["file=".to_owned(), "file=%20%20".to_owned(), by_name(&"x".repeat(201))] {
        let r = undo(&bad);
        assert_eq!((r.status, r.json()["error"]["field"].clone()), (422, json!("file")), "{bad}: {}", r.text());
    }
    assert_eq!(undo(&by_name("export.csv")).json(), json!({"deleted": 0, "done": true}), "a name no file has deletes nothing");
    assert_eq!(undo(&by_name(a_file)).json(), json!({"deleted": 100, "done": false}));
    assert_eq!(undo(&by_name(a_file)).json(), json!({"deleted": 31, "done": true}));
    let s = status(&b);
    assert_eq!(s["imported"]["kindred"], 3, "the second partner's two and the unnamed one stay: {s}");
    assert_eq!(s["files"], json!([{ "source": "kindred", "file": b_file, "testimonials": 2 }]), "{s}");
    let names: Vec<String> = b.list("approved").iter().map(|t| t["author_name"].as_str().unwrap_or_default().to_owned()).collect();
    assert!(names.contains(&"زهرا".to_owned()) && names.contains(&"Cy".to_owned()) && !names.contains(&"Sam".to_owned()) && !names.contains(&"Ada".to_owned()), "{names:?}");
    // The shared review went with the first file; the second file again brings it back, in its own name.
    let r = import(&b, &json!({ "source": "kindred", "file": b_file, "records": [record("shared-1", "Sam"), record("b-1", "زهرا"), record("b-2", "Bo")] })).json();
    assert_eq!((r["imported"].as_u64(), r["already"].as_u64()), (Some(1), Some(2)), "{r}");
    assert_eq!(status(&b)["files"], json!([{ "source": "kindred", "file": b_file, "testimonials": 3 }]));
    // A file name longer than any is refused with the chunk, nothing imported.
    let r = import(&b, &json!({ "source": "kindred", "file": "y".repeat(201), "records": [record("d-1", "Di")] }));
    assert_eq!((r.status, r.json()["error"]["field"].clone()), (422, json!("file")), "{}", r.text());
    assert_eq!(status(&b)["imported"]["kindred"], 4);
    // The whole source's undo still takes every file and the unnamed.
    assert_eq!(undo("").json(), json!({"deleted": 4, "done": true}));
    assert_eq!((status(&b)["files"].clone(), status(&b)["files_more"].clone()), (json!([]), json!(false)));
    // More files than are listed: the latest 200, and said so.
    let many: Vec<Value> = (0..210).map(|n| record(&format!("m-{n}"), "Mo")).collect();
    for chunk in many.chunks(100) {
        assert_eq!(import(&b, &json!({ "source": "kindred", "records": chunk })).status, 200);
    }
    d1_execute(&format!("UPDATE testimonials SET import_file = printf('f-%05d', rowid) WHERE brand_id = '{}'", b.id));
    let newest = d1_json(&format!("SELECT printf('f-%05d', MAX(rowid)) AS f FROM testimonials WHERE brand_id = '{}'", b.id))[0]["results"][0]["f"].clone();
    let s = status(&b);
    assert_eq!((s["files"].as_array().map(Vec::len), s["files_more"].clone()), (Some(200), json!(true)));
    assert_eq!(s["files"][0]["file"], newest, "the file imported last first");
}

/// `s` percent-encoded for a query value (its bytes outside `A-Za-z0-9-._~`).
fn urlencoding_min(s: &str) -> String {
    s.bytes().map(|c| if c.is_ascii_alphanumeric() || b"-._~".contains(&c) { (c as char).to_string() } else { format!("%{c:02X}") }).collect()
}

/// The brand deletes an imported review while an undo runs, in the order
/// that raced (helper-80, 1 round in 15): the undo read its page, the
/// brand's deletion left its tombstone, then the undo's batch ran. The
/// brand's deletion holds (the undo forgot tombstones by the ids it had
/// read, that one too, and the file brought the review back); the rest of
/// the page imports again.
#[test]
fn a_deletion_racing_an_undo_keeps_its_tombstone() {
    let b = TestBrand::create("import-undo-race");
    let file = json!({ "source": "okendo", "records": [
        { "reviewId": "r-1", "rating": 1, "body": "Spam, deleted by the brand.", "reviewerName": "Bot", "status": "approved" },
        { "reviewId": "r-2", "rating": 5, "body": "A real review, undone.", "reviewerName": "Ana", "status": "approved" },
    ] });
    assert_eq!(import(&b, &file).json()["imported"], 2);
    let id = |sid: &str| d1_json(&format!("SELECT id FROM testimonials WHERE brand_id = '{}' AND import_source_id = '{sid}'", b.id))[0]["results"][0]["id"].as_str().unwrap().to_owned();
    let (spam, real) = (id("r-1"), id("r-2"));
    // The undo reads its page: both.
    // The brand deletes the spam meanwhile.
    assert_eq!(b.reject(&spam, "spam").status, 200);
    assert_eq!(b.admin("DELETE", &format!("/v1/admin/brands/{}/testimonials/{spam}", b.id), None).status, 204);
    // The undo's batch, for the page it read (its statements as the edge binds them).
    let bind = |sql: &str| sql.replace("?1", &format!("'{}'", b.id)).replace("?2", &format!("'[\"{spam}\",\"{real}\"]'"));
    d1_execute(&format!("{}; {}", bind(kindred_core::import::sql::UNMARK), bind(kindred_core::sql::DELETE_TESTIMONIALS[2])));
    let tombstones = d1_json(&format!("SELECT import_source_id AS sid FROM import_tombstones WHERE brand_id = '{}'", b.id));
    assert_eq!(tombstones[0]["results"], json!([{"sid": "r-1"}]), "the brand's deletion keeps its tombstone; the undo leaves none");
    let again = import(&b, &file).json();
    assert_eq!((again["imported"].as_u64(), again["already"].as_u64()), (Some(1), Some(1)), "{again}");
    assert!(b.list("approved").iter().all(|t| t["author_name"] != "Bot"), "the deleted review stays deleted");
}
