#![allow(clippy::unwrap_used, clippy::expect_used)]
//! D1 read replication (`kindred_core::session`): each request runs in one
//! D1 session; the answer carries its bookmark in `x-kindred-bookmark`; a
//! client that sends it back starts its next session there (reads its own
//! writes on any replica). Anything else in that header is ignored, never
//! an error. Locally there is one copy of the database, so these tests hold
//! the contract (shape, CORS, ordering, refusal of bad values); that a
//! replica honours a bookmark is D1's.

use kindred_core::session::{is_bookmark, BOOKMARK_HEADER};
use kindred_tests::{address_of, get_with, post_json, request, site_origin, TestBrand};

fn bookmark_of(r: &kindred_tests::Resp) -> String {
    let b = r.header(BOOKMARK_HEADER).unwrap_or_else(|| panic!("no {BOOKMARK_HEADER} on {}: {:?}", r.status, r.headers)).to_owned();
    assert!(is_bookmark(&b), "{b:?}");
    b
}

#[test]
fn a_write_answers_a_bookmark_and_a_read_sent_with_it_sees_the_write() {
    let brand = TestBrand::create("session");
    brand.configure(serde_json::json!({ "moderation": { "mode": "auto_approve_min_rating", "min_rating": 1 } }));
    let origin = site_origin();
    let me = address_of("session-writer");
    let mut t = kindred_tests::testimonial("Bookmark Bea", 5, None);
    t["body"] = "Written, then read back through the bookmark.".into();
    let w = post_json(&format!("/v1/brands/{}/testimonials", brand.id), &[("origin", &origin), ("cf-connecting-ip", &me)], &t);
    assert_eq!(w.status, 201, "{}", w.text());
    let written = bookmark_of(&w);
    // The brand's page may read it (CORS exposes it).
    assert!(w.header("access-control-expose-headers").unwrap_or_default().contains(BOOKMARK_HEADER), "{:?}", w.headers);

    let r = get_with(&format!("/v1/brands/{}/testimonials?sort=newest", brand.id), &[("origin", &origin), (BOOKMARK_HEADER, &written)]);
    assert_eq!(r.status, 200, "{}", r.text());
    let after = bookmark_of(&r);
    assert!(after >= written, "a session started at a bookmark is at least as new: {after} < {written}");
    let list = r.json();
    let listed = list["testimonials"].as_array().unwrap().iter().any(|x| x["author_name"] == "Bookmark Bea");
    assert!(listed, "the writer reads their own write: {list}");
}

#[test]
fn a_bookmark_that_is_not_one_is_ignored_never_an_error() {
    let origin = site_origin();
    let plain = get_with("/v1/brands/acme/testimonials?sort=newest", &[("origin", &origin)]);
    assert_eq!(plain.status, 200);
    let long = "0".repeat(5000);
    for bad in ["first-primary", "first-unconstrained", "", "x", "'; DROP TABLE testimonials; --", "0000007b-zzzz", long.as_str()] {
        let r = request("GET", "/v1/brands/acme/testimonials?sort=newest", &[("origin", &origin), (BOOKMARK_HEADER, bad)], None);
        assert_eq!(r.status, 200, "{bad:?}: {}", r.text());
        assert_eq!(r.json()["testimonials"], plain.json()["testimonials"], "{bad:?}");
    }
    // A well-formed bookmark from the far future is D1's to refuse or wait
    // for; the edge must still answer, never a 5xx.
    let future = "ffffffff-ffffffff-ffffffff-ffffffffffffffffffffffffffffffff";
    let r = request("GET", "/v1/brands/acme/testimonials?sort=newest", &[("origin", &origin), (BOOKMARK_HEADER, future)], None);
    assert!(r.status < 500, "{}: {}", r.status, r.text());
}

#[test]
fn browsers_may_send_the_bookmark_from_a_brands_page() {
    let origin = site_origin();
    let r = request(
        "OPTIONS",
        "/v1/brands/acme/testimonials",
        &[("origin", &origin), ("access-control-request-method", "GET"), ("access-control-request-headers", BOOKMARK_HEADER)],
        None,
    );
    assert_eq!(r.status, 204, "{}", r.text());
    assert!(r.header("access-control-allow-headers").unwrap_or_default().contains(BOOKMARK_HEADER));
}
