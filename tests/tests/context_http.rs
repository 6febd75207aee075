#![allow(clippy::unwrap_used, clippy::expect_used)]
//! A personal order without tracking (`kindred_core::context`): the first
//! page puts first what the visitor's context names (the page's tags, a
//! referrer's, a group invite's, the shopper's language), from a bounded
//! set of cached orders per product; anything else is the plain page.

use kindred_tests::{d1_execute, get, kv_keys, post_json, testimonial, TestBrand};
use serde_json::{json, Value};

/// `n` approved testimonials on `product`, newer than anything submitted
/// later in the test would be (so the plain first page is all of them),
/// tagged "trail running", with no language.
fn seed(brand: &str, product: &str, n: u32) {
    let future = 4_000_000_000_000i64;
    d1_execute(&format!(
        "INSERT INTO testimonials (id, brand_id, product_id, author_name, rating, title, body, tags, status, created_at) \
         WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < {n}) \
         SELECT '{brand}-s' || i, '{brand}', '{product}', 'Seeded ' || i, 4, '', 'Seeded testimonial number ' || i, \
         json_array('trail running'), 'approved', {future} + i FROM k; \
         UPDATE brands SET copy_version = copy_version + 1 WHERE id = '{brand}'"
    ));
}

/// Submits and approves; answers the id.
fn publish(b: &TestBrand, mut t: Value) -> String {
    t["email"] = json!(format!("{}@example.com", t["display_name"].as_str().unwrap().to_lowercase().replace(' ', ".")));
    let r = b.submit(&t);
    assert_eq!(r.status, 201, "{}", r.text());
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let a = b.approve(&id);
    assert!(a.status < 300, "{}", a.text());
    id
}

fn first_paint(b: &TestBrand, query: &str) -> Value {
    let r = get(&format!("/v1/widget/{}?product=sku-ctx&{query}", b.id));
    assert_eq!(r.status, 200, "{query}: {}", r.text());
    r.json()
}

fn ids(v: &Value) -> Vec<String> {
    v["testimonials"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap().to_owned()).collect()
}

fn context_keys(brand: &str) -> usize {
    kv_keys().iter().filter(|k| k.contains(&format!(":{brand}:")) && k.contains('~')).count()
}

fn wait_isolate() {
    // The isolate may hold an answer for up to a second.
    std::thread::sleep(std::time::Duration::from_millis(1_200));
}

#[test]
fn the_pages_tags_the_referrers_and_a_group_invites_come_first_and_nothing_else_makes_an_order() {
    let b = TestBrand::create("ctx-tags");
    b.configure(json!({ "rate_limits": {"per_client": 10000, "per_brand": 100000}, "referral": { "landing_url": "https://shop.example/", "referee_offer": "15% off" } }));
    let mut vegan = testimonial("Vera Green", 5, Some("sku-ctx"));
    vegan["tags"] = json!(["Vegan", "trail running"]);
    let vegan = publish(&b, vegan);
    let mut gamer = testimonial("Gus Play", 4, Some("sku-ctx"));
    gamer["tags"] = json!(["gamer"]);
    let gamer = publish(&b, gamer);
    seed(&b.id, "sku-ctx", 12);
    wait_isolate();

    let plain = first_paint(&b, "locale=en");
    assert!(plain.get("context").is_none(), "{plain}");
    let plain_ids = ids(&plain);
    assert_eq!(plain_ids.len(), 10);
    assert!(!plain_ids.contains(&vegan) && !plain_ids.contains(&gamer), "both are older than the seeded page");
    let tags: Vec<&str> = plain["tags"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect();
    assert!(tags.contains(&"vegan") && tags.contains(&"gamer"), "{tags:?}");

    // An order that changes nothing is not named: every seeded review has
    // "trail running" and they lead the plain page already.
    assert!(first_paint(&b, "context=trail%20running").get("context").is_none());

    // The page names its tags: the first one the product's reviews have wins.
    let page = first_paint(&b, "locale=en&context=Cycling,%20VEGAN%20,gamer");
    assert_eq!(page["context"], json!({ "tag": "vegan" }));
    let got = ids(&page);
    assert_eq!(got[0], vegan, "{got:?}");
    assert_eq!(got.len(), 10);
    assert_eq!(got[1..], plain_ids[..9], "then the plain order");
    assert!(!got.contains(&gamer));
    // Its next page is the default order from its start (the widget leaves
    // out what it shows), and the markup says what comes first.
    let cursor = page["next_cursor"].as_str().unwrap();
    let next = get(&format!("/v1/brands/{}/testimonials?product=sku-ctx&cursor={cursor}", b.id));
    assert_eq!(next.status, 200, "{}", next.text());
    assert_eq!(ids(&next.json())[0], plain_ids[0]);
    let markup = page["markup"].as_str().unwrap();
    assert!(markup.contains(r#"<option value="context""#) && markup.contains("vegan first"), "{markup}");
    assert!(!plain["markup"].as_str().unwrap().contains(r#"value="context""#));

    // A friend's referral link: the tags of the referrer's own published words.
    let member = "member-0000000ctx-gus";
    let mut own = testimonial("Gus Play", 5, Some("sku-other"));
    own["tags"] = json!(["gamer"]);
    let r = post_json(&format!("/v1/brands/{}/testimonials", b.id), &[("x-kindred-member", member)], &{
        own["email"] = json!("gus@example.com");
        own
    });
    assert_eq!(r.status, 201, "{}", r.text());
    b.approve(r.json()["id"].as_str().unwrap());
    let join = post_json(&format!("/v1/brands/{}/referrers", b.id), &[("x-kindred-member", member)], &json!({"name": "Gus Play", "email": "gus@example.com"}));
    let code = join.json()["code"].as_str().unwrap().to_owned();
    wait_isolate();
    let friend = first_paint(&b, &format!("locale=en&ref={code}&context=vegan"));
    assert_eq!(friend["context"], json!({ "tag": "gamer" }), "the referrer's tag before the page's");
    assert_eq!(ids(&friend)[0], gamer);
    // Another brand's code orders nothing.
    let other = TestBrand::create("ctx-other");
    other.configure(json!({ "referral": { "landing_url": "https://shop.example/", "referee_offer": "5% off" } }));
    let other_code = post_json(&format!("/v1/brands/{}/referrers", other.id), &[("x-kindred-member", member)], &json!({"name": "Gus", "email": "gus@example.com"})).json()["code"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(first_paint(&b, &format!("ref={other_code}")).get("context").is_none());

    // A group invite: a public group's tag; a private group's only with a working invite.
    let group = |visibility: &str| {
        let r = b.admin("POST", &format!("/v1/admin/brands/{}/groups", b.id), Some(&json!({"name": format!("Vegan {visibility}"), "visibility": visibility, "tag": " Vegan "})));
        assert_eq!(r.status, 201, "{}", r.text());
        assert_eq!(r.json()["tag"], "vegan");
        r.json()["id"].as_str().unwrap().to_owned()
    };
    let public = group("public");
    let private = group("private");
    let invite = b.admin("POST", &format!("/v1/admin/brands/{}/groups/{private}/invites", b.id), Some(&json!({"expires_in_hours": 24})));
    assert_eq!(invite.status, 201, "{}", invite.text());
    let token = invite.json()["token"].as_str().unwrap().to_owned();
    wait_isolate();
    assert_eq!(first_paint(&b, &format!("group={public}"))["context"], json!({ "tag": "vegan" }));
    assert!(first_paint(&b, &format!("group={private}")).get("context").is_none(), "a guess at a private group learns nothing");
    assert!(first_paint(&b, &format!("group={private}&invite=not-the-token")).get("context").is_none());
    assert_eq!(first_paint(&b, &format!("group={private}&invite={token}"))["context"], json!({ "tag": "vegan" }));

    // A change it shows reaches the ordered copy too: a newer vegan review
    // now leads it.
    let mut newer = testimonial("Nia Leaf", 5, Some("sku-ctx"));
    newer["tags"] = json!(["vegan"]);
    let newer = publish(&b, newer);
    wait_isolate();
    let again = ids(&first_paint(&b, "locale=en&context=vegan"));
    assert_eq!(again[..2], [newer.clone(), vegan.clone()], "{again:?}");

    // Bounded: tags, codes, groups and languages the product's reviews do
    // not have are the plain page and leave no copy behind.
    let before = context_keys(&b.id);
    let plain_now = ids(&first_paint(&b, "locale=en"));
    for i in 0..15u8 {
        let v = first_paint(&b, &format!("context=invented-{i}&ref=NOPE{i}&group=g{i}&invite=t{i}&lang=x{}", (b'a' + i) as char));
        assert!(v.get("context").is_none(), "{v}");
        assert_eq!(ids(&v), plain_now);
    }
    assert_eq!(context_keys(&b.id), before, "no copy for a context nobody's reviews have");
    // Nor an entry in the isolate's memory: an invented context is answered
    // from the plain page's (keys are the order chosen, not what was asked).
    let warm = get(&format!("/v1/widget/{}?product=sku-ctx&locale=en&lang=en", b.id));
    assert_eq!(warm.status, 200);
    let invented = get(&format!("/v1/widget/{}?product=sku-ctx&locale=en&lang=en&context=never-{}", b.id, b.id));
    assert_eq!(invented.header("x-kindred-cache"), Some("isolate"), "{:?}", invented.header("x-kindred-cache"));
    // Malformed parts are ignored, never an error.
    let odd = get(&format!("/v1/widget/{}?product=sku-ctx&context=%00%ff,,,&ref=a%20b&lang=12345&group=<x>", b.id));
    assert_eq!(odd.status, 200, "{}", odd.text());
}

#[test]
fn reviews_in_the_shoppers_language_come_first_when_the_text_is_in_it() {
    let b = TestBrand::create("ctx-lang");
    b.configure(json!({ "rate_limits": {"per_client": 10000, "per_brand": 100000} }));
    let write = |name: &str, lang: &str, title: &str, body: &str| {
        let mut t = testimonial(name, 5, Some("sku-ctx"));
        t["lang"] = json!(lang);
        t["title"] = json!(title);
        t["body"] = json!(body);
        publish(&b, t)
    };
    let persian = write("Sara Ahmadi", "fa-IR", "عالی بود", "این کفش خیلی راحت است، برای کوه عالی 👟");
    let arabic_iphone = write("Omar Said", "ar", "ممتاز", "رائع جدا مع iPhone");
    // Sent from a German page, written in Persian: no language is claimed.
    let mismatch = write("Reza Karimi", "de", "خوب", "کیفیت خوب و ارسال سریع بود");
    let german = write("Jonas Weber", "de-AT", "Sehr gut", "Bequem und leicht, gerne wieder.");
    seed(&b.id, "sku-ctx", 12);
    wait_isolate();

    let plain = first_paint(&b, "locale=en");
    assert_eq!(plain["languages"], json!(["ar", "de", "fa"]), "{plain}");
    let by_id = |v: &Value, id: &str| v["testimonials"].as_array().unwrap().iter().find(|t| t["id"] == id).cloned();

    let fa = first_paint(&b, "locale=ar&lang=fa");
    assert_eq!(fa["context"], json!({ "lang": "fa" }));
    let got = ids(&fa);
    assert_eq!(got[0], persian, "{got:?}");
    assert!(!got[1..].contains(&mismatch) || by_id(&fa, &mismatch).unwrap().get("lang").is_none());
    assert_eq!(by_id(&fa, &persian).unwrap()["lang"], "fa");
    // The card says its language, for screen readers and fonts.
    assert!(fa["markup"].as_str().unwrap().contains(r#"lang="fa""#), "{}", fa["markup"]);

    let de = first_paint(&b, "locale=de&lang=de-CH");
    assert_eq!(ids(&de)[0], german);
    assert_eq!(first_paint(&b, "lang=ar")["testimonials"][0]["id"], arabic_iphone.as_str(), "a brand name in Latin letters keeps it Arabic");
    // With a tag too: the tag first, then the language.
    let mut tagged = testimonial("Lena Vogel", 4, Some("sku-ctx"));
    tagged["tags"] = json!(["vegan"]);
    let tagged = publish(&b, tagged);
    wait_isolate();
    let both = first_paint(&b, "lang=de&context=vegan");
    assert_eq!(both["context"], json!({ "tag": "vegan", "lang": "de" }));
    assert_eq!(ids(&both)[..2], [tagged, german]);
    // A Persian page's tag typed on an Arabic keyboard ("كتاب", Arabic
    // kaf) is the Persian tag its reviews keep ("کتاب", keheh): helper-90.
    let mut book = testimonial("Negar Rahimi", 4, Some("sku-ctx"));
    book["lang"] = json!("fa");
    book["title"] = json!("کتاب راهنما");
    book["body"] = json!("کتاب کوچک راهنمای کفش هم در جعبه بود");
    book["tags"] = json!(["كتاب"]);
    let book = publish(&b, book);
    wait_isolate();
    let fa_tag = first_paint(&b, "lang=fa&context=%D9%83%D8%AA%D8%A7%D8%A8");
    assert_eq!(fa_tag["context"], json!({ "tag": "کتاب", "lang": "fa" }), "{fa_tag}");
    assert_eq!(ids(&fa_tag)[..2], [book, persian]);
    // A language the product has no reviews in, or none at all: the plain page.
    assert!(first_paint(&b, "lang=tr").get("context").is_none());
    assert!(first_paint(&b, "lang=en").get("context").is_none());
}

#[test]
fn a_store_whose_reviews_are_in_one_language_keeps_its_order() {
    let b = TestBrand::create("ctx-one-lang");
    b.configure(json!({ "rate_limits": {"per_client": 10000, "per_brand": 100000} }));
    for name in ["Ada Lane", "Ben Moss"] {
        let mut t = testimonial(name, 5, Some("sku-ctx"));
        t["lang"] = json!("en-US");
        publish(&b, t);
    }
    // Older reviews with no language (imported, or from before languages).
    seed(&b.id, "sku-ctx", 3);
    wait_isolate();
    let v = first_paint(&b, "locale=en&lang=en");
    assert_eq!(v["languages"], json!(["en"]));
    assert!(v.get("context").is_none(), "English first on an English store would only reorder it: {v}");
}

#[test]
fn a_groups_tag_set_later_orders_the_first_page_of_visitors_it_invites() {
    let b = TestBrand::create("ctx-group-patch");
    b.configure(json!({ "rate_limits": {"per_client": 10000, "per_brand": 100000} }));
    let mut vegan = testimonial("Vera Green", 5, Some("sku-ctx"));
    vegan["tags"] = json!(["vegan"]);
    let vegan = publish(&b, vegan);
    seed(&b.id, "sku-ctx", 12);
    let r = b.admin("POST", &format!("/v1/admin/brands/{}/groups", b.id), Some(&json!({"name": "Plant cooks", "visibility": "public"})));
    assert_eq!(r.status, 201, "{}", r.text());
    let group = r.json()["id"].as_str().unwrap().to_owned();
    assert!(r.json().get("tag").is_none());
    wait_isolate();
    assert!(first_paint(&b, &format!("group={group}")).get("context").is_none(), "no tag yet");

    let path = format!("/v1/admin/brands/{}/groups/{group}", b.id);
    let r = b.admin("PATCH", &path, Some(&json!({ "tag": " Vegan ", "description": "Plant-based, every day." })));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!((r.json()["tag"].as_str(), r.json()["name"].as_str(), r.json()["visibility"].as_str()), (Some("vegan"), Some("Plant cooks"), Some("public")));
    let v = first_paint(&b, &format!("group={group}"));
    assert_eq!(v["context"], json!({ "tag": "vegan" }), "the change shows at once");
    assert_eq!(ids(&v)[0], vegan);

    // Refused, and nothing changed: a cleared visibility, an unknown member,
    // a bad tag, not an object; another brand's key; no such group.
    for (body, status, field) in [
        (json!({ "visibility": null }), 422, Some("visibility")),
        (json!({ "colour": "green" }), 422, Some("colour")),
        (json!({ "tag": "x".repeat(41) }), 422, Some("tag")),
        // A body's product id is a field like the others (it was 400).
        (json!({ "product": "not a product id!" }), 422, Some("product")),
        (json!(["tag"]), 422, Some("")),
    ] {
        let r = b.admin("PATCH", &path, Some(&body));
        assert_eq!(r.status, status, "{body}: {}", r.text());
        assert_eq!(r.json()["error"]["field"].as_str(), field, "{}", r.text());
    }
    let other = TestBrand::create("ctx-group-other");
    let r = kindred_tests::request("PATCH", &path, &[("authorization", &other.bearer()), ("content-type", "application/json")], Some(br#"{"tag":"gamer"}"#));
    assert!(matches!(r.status, 401 | 403), "{}", r.text());
    assert_eq!(b.admin("PATCH", &format!("/v1/admin/brands/{}/groups/nope", b.id), Some(&json!({ "tag": "gamer" }))).status, 404);
    let kept = b.admin("GET", &format!("/v1/admin/brands/{}/groups", b.id), None).json();
    assert_eq!(kept["groups"][0]["tag"], "vegan", "{kept}");
    assert_eq!(kept["groups"][0]["visibility"], "public");

    // Cleared: the plain order again.
    assert_eq!(b.admin("PATCH", &path, Some(&json!({ "tag": null }))).status, 200);
    assert!(first_paint(&b, &format!("group={group}")).get("context").is_none());
}

/// The isolate keeps a scope's facts (its tags and languages) to choose a
/// visitor's order without reading them, and an answer per order. An answer
/// is reused only beside facts from its own copy version: a change made in
/// D1 that this isolate never hears of (another isolate's write) and a
/// plain visit that renders the plain answer again at the new version must
/// not leave a Persian shopper the plain order that the old facts chose.
#[test]
fn an_order_chosen_from_facts_older_than_the_answer_is_never_reused() {
    let b = TestBrand::create("ctx-facts");
    b.configure(json!({ "rate_limits": {"per_client": 10000, "per_brand": 100000} }));
    seed(&b.id, "sku-ctx", 12);
    wait_isolate();
    let before = first_paint(&b, "locale=en&lang=fa");
    assert!(before.get("context").is_none(), "no Persian testimonial yet: {before}");

    // Older than the seeded ones: last in the plain order, first in Persian.
    d1_execute(&format!(
        "INSERT INTO testimonials (id, brand_id, product_id, author_name, rating, title, body, tags, status, created_at, lang) VALUES \
         ('{id}-fa', '{id}', 'sku-ctx', 'Sara Ahmadi', 5, 'عالی بود', 'این کفش خیلی راحت است 👟', '[]', 'approved', 1000, 'fa'), \
         ('{id}-de', '{id}', 'sku-ctx', 'Jonas Weber', 5, 'Sehr gut', 'Bequem und leicht.', '[]', 'approved', 999, 'de'); \
         UPDATE brands SET copy_version = copy_version + 1 WHERE id = '{id}'",
        id = b.id
    ));
    wait_isolate();
    // A plain visit: the plain answer is built again at the new version.
    let plain = first_paint(&b, "locale=en");
    assert_eq!(plain["languages"], json!(["de", "fa"]), "{plain}");
    let fa = first_paint(&b, "locale=en&lang=fa");
    assert_eq!(fa["context"], json!({ "lang": "fa" }), "{fa}");
    assert_eq!(ids(&fa)[0], format!("{}-fa", b.id));
}
