#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Fair moderation and declared incentives, against the real edge:
//! a held testimonial is published by the cron job when the brand's maximum
//! hold ends, whatever the mode and the rating; rejections need a reason
//! that is not the rating; the per-star ledger counts what happened (and
//! what was deleted); an incentive tied to the rating is refused, and every
//! testimonial written under a declared one is labelled wherever it shows.

use kindred_tests::{d1_execute, get, request, testimonial, TestBrand};
use serde_json::{json, Value};
use std::time::Duration;

const DAY_MS: i64 = 86_400_000;

fn submit(b: &TestBrand, name: &str, rating: u8) -> String {
    let r = b.submit(&testimonial(name, rating, Some("sku-1")));
    assert_eq!(r.status, 201, "{}", r.text());
    r.json()["id"].as_str().unwrap().to_owned()
}

fn admin_view(b: &TestBrand, id: &str) -> Value {
    ["pending", "approved", "rejected"]
        .iter()
        .flat_map(|s| b.list(s))
        .find(|t| t["id"] == id)
        .unwrap_or_else(|| panic!("{id} is in no list"))
}

fn backdate(ids: &[&str], by_ms: i64) {
    let list = ids.iter().map(|i| format!("'{i}'")).collect::<Vec<_>>().join(",");
    d1_execute(&format!("UPDATE testimonials SET created_at = created_at - {by_ms}, held_since = held_since - {by_ms} WHERE id IN ({list})"));
}

fn cron() {
    let r = get("/__scheduled?cron=*+*+*+*+*");
    assert!(r.status < 400, "cron trigger: {}", r.status);
    // Past another isolate's in-memory copy of the first paint.
    std::thread::sleep(Duration::from_millis(1200));
}

fn ledger(b: &TestBrand) -> Value {
    let r = b.admin("GET", &format!("/v1/admin/brands/{}/moderation/ledger", b.id), None);
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
}

fn shown(b: &TestBrand) -> Vec<String> {
    b.widget(Some("sku-1"))["testimonials"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn held_testimonials_are_published_when_the_maximum_hold_ends_whatever_the_rating() {
    let b = TestBrand::create("hold");
    // The mode the FTC acted against: only 4 and 5 stars go live by themselves.
    b.configure(json!({"moderation": {"mode": "auto_approve_min_rating", "min_rating": 4}, "max_hold_days": 3}));
    let one = submit(&b, "Una", 1);
    let two = submit(&b, "Dos", 2);
    let five = submit(&b, "Cinco", 5);
    let spam = submit(&b, "Spammy", 1);
    let fresh = submit(&b, "Fresh", 1);

    let held = admin_view(&b, &one);
    assert_eq!(held["status"], "pending");
    assert_eq!(held["hold_ends_at"].as_i64().unwrap(), held["created_at"].as_i64().unwrap() + 3 * DAY_MS, "{held}");
    assert_eq!(admin_view(&b, &five)["published_via"], "auto");

    // A rejection needs a reason, and the rating is not one.
    let path = format!("/v1/admin/brands/{}/testimonials/{spam}/reject", b.id);
    let bare = request("POST", &path, &[("authorization", &b.bearer())], None);
    bare.assert_error(422, "validation_failed");
    assert_eq!(bare.json()["error"]["field"], "reason", "{}", bare.text());
    b.admin("POST", &path, Some(&json!({"reason": "low_rating"}))).assert_field("reason");
    b.admin("POST", &path, Some(&json!({"reason": "spam", "rating": 1}))).assert_field("rating");
    let other = b.admin("POST", &path, Some(&json!({"reason": "other"})));
    other.assert_error(422, "validation_failed");
    assert_eq!(other.json()["error"]["field"], "note");
    let r = b.admin("POST", &path, Some(&json!({"reason": "spam", "note": "links to a pill shop"})));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["reject_reason"], "spam");
    assert_eq!(r.json()["reject_note"], "links to a pill shop");

    // One, spam: past the hold; two: a minute short of it.
    backdate(&[&one, &spam], 3 * DAY_MS + 60_000);
    backdate(&[&two], 3 * DAY_MS - 60_000);
    cron();
    let published = admin_view(&b, &one);
    assert_eq!(published["status"], "approved", "{published}");
    assert_eq!(published["published_via"], "max_hold");
    assert_eq!(admin_view(&b, &two)["status"], "pending", "a minute short of the hold");
    assert_eq!(admin_view(&b, &spam)["status"], "rejected", "a rejection for a reason stands");
    assert_eq!(admin_view(&b, &fresh)["status"], "pending");
    let ids = shown(&b);
    assert!(ids.contains(&one) && ids.contains(&five), "{ids:?}");
    assert!(!ids.contains(&two) && !ids.contains(&spam), "{ids:?}");

    let l = ledger(&b);
    assert_eq!(l["max_hold_days"], 3);
    assert_eq!(l["moderation"]["mode"], "auto_approve_min_rating");
    let star = |n: usize| l["stars"][n - 1].clone();
    assert_eq!(star(1)["rating"], 1);
    assert_eq!(star(1)["published"], json!({"total": 1, "auto": 0, "moderator": 0, "max_hold": 1, "imported": 0}));
    assert_eq!(star(1)["rejected"]["total"], 1);
    assert_eq!(star(1)["rejected"]["spam"], 1);
    assert_eq!(star(1)["pending"], 1);
    assert_eq!(star(2)["pending"], 1);
    assert_eq!(star(5)["published"]["auto"], 1);

    // Only a rejected testimonial is deleted, and it stays in the ledger.
    b.admin("DELETE", &format!("/v1/admin/brands/{}/testimonials/{five}", b.id), None).assert_error(409, "conflict");
    b.admin("DELETE", &format!("/v1/admin/brands/{}/testimonials/{fresh}", b.id), None).assert_error(409, "conflict");
    assert_eq!(b.reject(&five, "duplicate").status, 200);
    assert_eq!(b.admin("DELETE", &format!("/v1/admin/brands/{}/testimonials/{five}", b.id), None).status, 204);
    let l = ledger(&b);
    assert_eq!(l["stars"][4]["published"]["total"], 0);
    assert_eq!(l["stars"][4]["rejected"]["duplicate"], 1, "still counted as rejected, for its reason");
    assert_eq!(l["stars"][4]["deleted"], 1);

    // A shorter hold applies to what is already waiting.
    b.configure(json!({"max_hold_days": 2}));
    cron();
    assert_eq!(admin_view(&b, &two)["published_via"], "max_hold");
    // A moderator's approval after a rejection clears the reason.
    let r = b.approve(&spam);
    assert_eq!(r.json()["published_via"], "moderator");
    assert!(r.json().get("reject_reason").is_none(), "{}", r.text());
    let l = ledger(&b);
    assert_eq!(l["stars"][0]["rejected"]["total"], 0);
    assert_eq!(l["stars"][0]["published"]["moderator"], 1);

    // Holds are 1 to 30 days.
    for bad in [json!(0), json!(31), json!("forever")] {
        let r = b.admin("PATCH", &format!("/v1/admin/brands/{}", b.id), Some(&json!({"max_hold_days": bad})));
        r.assert_error(422, "validation_failed");
    }
}

#[test]
fn an_incentive_is_declared_never_tied_to_the_rating_and_labelled() {
    let b = TestBrand::create("incentive");
    let settings = format!("/v1/admin/brands/{}", b.id);
    for (bad, field) in [
        (json!({"kind": "coupon", "description": "10% off", "min_rating": 4}), "review_incentive.min_rating"),
        (json!({"kind": "coupon", "description": "10% off for 5-star reviews"}), "review_incentive.description"),
        (json!({"kind": "coupon", "description": "A gift for positive reviews"}), "review_incentive.description"),
    ] {
        let r = b.admin("PATCH", &settings, Some(&json!({"review_incentive": bad})));
        r.assert_error(422, "validation_failed");
        assert_eq!(r.json()["error"]["field"], field, "{}", r.text());
        assert!(r.text().contains("465.4"), "{}", r.text());
    }
    let before = submit(&b, "Before", 2);
    b.configure(json!({"review_incentive": {"kind": "coupon", "description": "10% off your next order"}}));
    assert_eq!(b.widget(None)["brand"]["review_incentive"], "10% off your next order");
    let r = b.submit(&testimonial("Ines", 2, Some("sku-1")));
    assert_eq!(r.json()["incentivised"], true, "{}", r.text());
    let under = r.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(b.approve(&under).status, 200);
    assert_eq!(b.approve(&before).status, 200);
    b.configure(json!({"review_incentive": null}));
    assert!(b.widget(None)["brand"].get("review_incentive").is_none());
    let after = submit(&b, "After", 2);
    assert_eq!(b.approve(&after).status, 200);

    let w = b.widget(Some("sku-1"));
    let flag = |id: &str| w["testimonials"].as_array().unwrap().iter().find(|t| t["id"] == id).map(|t| t["incentivised"].clone());
    assert_eq!(flag(&under), Some(json!(true)), "labelled for good, even after the incentive ended");
    assert_eq!(flag(&before), Some(json!(false)));
    assert_eq!(flag(&after), Some(json!(false)));
    assert_eq!(admin_view(&b, &under)["incentivised"], true);
    // The first paint's markup carries the label, in the shopper's language.
    for (locale, label) in [("en", "Incentivised"), ("de", "Mit Prämie"), ("ar", "بحافز")] {
        let page = get(&format!("/v1/widget/{}?product=sku-1&locale={locale}", b.id)).json();
        let markup = page["markup"].as_str().unwrap();
        assert_eq!(markup.matches("kr-incentivised").count(), 1, "{locale}: {markup}");
        assert!(markup.contains(label), "{locale}");
    }
    // The feed's further pages carry it too.
    let page = get(&format!("/v1/brands/{}/testimonials?product=sku-1&limit=1&sort=newest", b.id)).json();
    assert!(page["testimonials"][0].get("incentivised").is_some(), "{page}");
}

#[test]
fn how_reviews_work_is_computed_from_the_live_settings_in_every_locale() {
    let b = TestBrand::create("disclose");
    let facts = || {
        let r = get(&format!("/v1/brands/{}/disclosure", b.id));
        assert_eq!(r.status, 200, "{}", r.text());
        r.json()
    };
    let d = facts();
    assert_eq!(d["published_at_once"], "none");
    assert_eq!(d["max_hold_days"], 14);
    assert_eq!(d["reject_reasons"], json!(["spam", "offensive", "personal_data", "off_topic", "duplicate", "other"]));
    assert_eq!(d["default_sort"], "newest");
    assert_eq!(d["personal_order"], kindred_core::disclosure::PERSONAL_ORDER_RULE);
    assert!(d.get("incentive").is_none());

    b.configure(json!({
        "moderation": {"mode": "auto_approve_min_rating", "min_rating": 4},
        "max_hold_days": 7,
        "review_incentive": {"kind": "coupon", "description": "<b>10%</b> off & more"},
    }));
    let d = facts();
    assert_eq!(d["published_at_once"], "from_rating");
    assert_eq!(d["min_rating"], 4);
    assert_eq!(d["max_hold_days"], 7);
    assert_eq!(d["incentive"], "<b>10%</b> off & more");

    let page = |locale: &str| {
        let r = get(&format!("/reviews/{}/how?locale={locale}", b.id));
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
        assert!(r.header("content-security-policy").is_some_and(|c| c.contains("default-src 'none'")), "{:?}", r.header("content-security-policy"));
        r.text()
    };
    let en = page("en-GB");
    assert!(en.contains(r#"<html lang="en" dir="ltr">"#), "{en}");
    assert!(en.contains("with 4 stars or more are published at once"), "{en}");
    assert!(en.contains("after 7 days at the latest"), "{en}");
    assert!(en.contains("&lt;b&gt;10%&lt;/b&gt; off &amp; more"), "the offer is text: {en}");
    assert!(!en.contains("<b>"), "{en}");
    assert!(en.contains("with no tracking") && en.contains("Choose “Newest” to see the usual order"), "the personal order is told: {en}");
    let de = page("de");
    assert!(de.contains("spätestens nach 7 Tagen"), "{de}");
    assert!(de.contains("4 oder mehr Sternen"), "{de}");
    // The reasons are one list in the page's language (Intl.ListFormat),
    // not joined with an English comma.
    assert!(en.contains("duplicates, and another reason a moderator writes down"), "{en}");
    let ar = page("ar");
    assert!(ar.contains(r#"<html lang="ar" dir="rtl">"#));
    assert!(ar.contains(" وسبب آخر يدوّنه المشرف") && !ar.contains("مكررة, "), "{ar}");
    assert!(ar.contains("بحافز"), "the label the cards carry is named: {ar}");
    assert!(page("xx").contains(r#"lang="en""#), "an unknown language is English");

    // Settings change: so does the page, at once.
    b.configure(json!({"moderation": {"mode": "all_pending"}, "max_hold_days": 1, "review_incentive": null}));
    let en = page("en");
    assert!(en.contains("reads every review before it is published"), "{en}");
    assert!(en.contains("after 1 day at the latest"), "{en}");
    assert!(en.contains("gives nothing in return for reviews"), "{en}");

    // The widget links to it, in the shopper's language.
    let w = get(&format!("/v1/widget/{}?locale=he", b.id)).json();
    let markup = w["markup"].as_str().unwrap();
    assert!(markup.contains(&format!("reviews/{}/how?locale=he", b.id)), "{markup}");
    assert!(markup.contains("איך עובדות הביקורות"), "{markup}");
    get("/reviews/no-such-brand/how").assert_error(404, "brand_not_found");
}

#[test]
fn a_brand_replies_in_public_edits_and_takes_it_down_with_history_and_the_reviewer_hears_of_it() {
    let b = TestBrand::create("reply");
    let (url, hooks) = kindred_tests::receiver(vec![200, 200, 200]);
    b.configure(json!({"review_webhook_url": url}));
    let id = submit(&b, "Rae", 2);
    let path = format!("/v1/admin/brands/{}/testimonials/{id}/reply", b.id);
    b.admin("POST", &path, Some(&json!({"body": " "}))).assert_error(422, "validation_failed");
    b.admin("POST", &path, Some(&json!({"body": "x", "rating": 5}))).assert_field("rating");
    // Not published: nobody would read the reply, and Rae would be told of
    // something she cannot see (as for community threads).
    let r = b.admin("POST", &path, Some(&json!({"body": "Too soon"})));
    r.assert_error(409, "conflict");
    assert!(r.text().contains("approve it before replying"), "{}", r.text());
    assert!(shown(&b).is_empty());
    assert_eq!(b.approve(&id).status, 200);
    let r = b.admin("POST", &path, Some(&json!({"body": "Sorry about the sizing, Rae. <b>We</b> updated the chart."})));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["reply"]["body"], "Sorry about the sizing, Rae. <b>We</b> updated the chart.");
    assert!(r.json()["reply"].get("edited_at").is_none());
    assert_eq!(r.json()["rating"], 2, "a reply never touches the review");
    let (_, sent) = hooks.recv_timeout(Duration::from_secs(10)).expect("the reviewer is told");
    let sent: Value = serde_json::from_str(&sent).unwrap();
    assert_eq!(sent["event"], "review.replied");
    assert_eq!(sent["email"], "rae@example.com");
    assert_eq!(sent["testimonial_id"], id.as_str());

    let w = b.widget(Some("sku-1"));
    assert_eq!(w["testimonials"][0]["reply"]["body"], "Sorry about the sizing, Rae. <b>We</b> updated the chart.");
    let markup = get(&format!("/v1/widget/{}?product=sku-1&locale=en", b.id)).json()["markup"].as_str().unwrap().to_owned();
    assert!(markup.contains(&format!("Response from Test {}", b.id)), "{markup}");
    assert!(markup.contains("&lt;b&gt;We&lt;/b&gt;"), "the reply is text: {markup}");

    let r = b.admin("POST", &path, Some(&json!({"body": "Sorry, Rae: the chart now says to size up."})));
    assert!(r.json()["reply"]["edited_at"].is_i64(), "{}", r.text());
    assert_eq!(b.widget(Some("sku-1"))["testimonials"][0]["reply"]["body"], "Sorry, Rae: the chart now says to size up.", "the copy follows at once");
    assert_eq!(b.admin("DELETE", &path, None).status, 204);
    assert!(b.widget(Some("sku-1"))["testimonials"][0].get("reply").is_none());
    let h = b.admin("GET", &path, None).json();
    let actions: Vec<&str> = h["history"].as_array().unwrap().iter().map(|v| v["action"].as_str().unwrap()).collect();
    assert_eq!(actions, vec!["created", "edited", "deleted"]);
    assert_eq!(h["history"][1]["body"], "Sorry, Rae: the chart now says to size up.");
    assert!(h.get("reply").is_none());

    let other = TestBrand::create("reply-other");
    other.admin("POST", &path, Some(&json!({"body": "Not mine"}))).assert_error(403, "forbidden");
    b.admin("POST", &format!("/v1/admin/brands/{}/testimonials/nope/reply", b.id), Some(&json!({"body": "x"}))).assert_error(404, "not_found");
}

#[test]
fn only_its_author_edits_a_review_changed_words_go_back_through_moderation_and_the_card_says_edited() {
    let b = TestBrand::create("edit");
    b.configure(json!({"moderation": {"mode": "auto_approve_min_rating", "min_rating": 4}}));
    let me = "member-editor-0000000001";
    let r = kindred_tests::post_json(&format!("/v1/brands/{}/testimonials", b.id), &[("x-kindred-member", me)], &testimonial("Eda", 5, Some("sku-1")));
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["status"], "approved");
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let path = format!("/v1/brands/{}/testimonials/{id}", b.id);
    let edit = |member: Option<&str>, body: Value| {
        let mut h: Vec<(&str, &str)> = vec![("content-type", "application/json")];
        if let Some(m) = member {
            h.push(("x-kindred-member", m));
        }
        request("PATCH", &path, &h, Some(body.to_string().as_bytes()))
    };
    edit(None, json!({"rating": 1})).assert_error(403, "forbidden");
    edit(Some("member-someone-else-0001"), json!({"rating": 1})).assert_error(403, "forbidden");
    // Not the brand either: its key is no author.
    request("PATCH", &path, &[("content-type", "application/json"), ("authorization", &b.bearer())], Some(json!({"rating": 1}).to_string().as_bytes())).assert_error(403, "forbidden");
    edit(Some(me), json!({"status": "approved"})).assert_field("status");
    edit(Some(me), json!({"rating": 5})).assert_error(422, "validation_failed");

    // The rating alone: lowered to 1 star, still published (no suppression by rating).
    let r = edit(Some(me), json!({"rating": 1}));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["status"], "approved");
    let w = b.widget(Some("sku-1"));
    assert_eq!(w["testimonials"][0]["rating"], 1);
    assert!(w["testimonials"][0]["edited_at"].is_i64());
    assert_eq!(w["aggregate"]["histogram"], json!([1, 0, 0, 0, 0]), "the facets follow the new rating");
    let markup = get(&format!("/v1/widget/{}?product=sku-1&locale=fr", b.id)).json()["markup"].as_str().unwrap().to_owned();
    assert!(markup.contains("kr-edited") && markup.contains("modifié"), "{markup}");
    assert_eq!(ledger(&b)["stars"][0]["published"]["total"], 1);

    // Changed words: through the mode again (1 star waits here), with a new hold.
    let r = edit(Some(me), json!({"body": "Update: the sole came apart after 200 km."}));
    assert_eq!(r.json()["status"], "pending", "{}", r.text());
    assert!(shown(&b).is_empty());
    let held = admin_view(&b, &id);
    assert_eq!(held["body"], "Update: the sole came apart after 200 km.");
    assert_eq!(held["hold_ends_at"].as_i64().unwrap(), r.json()["edited_at"].as_i64().unwrap() + 14 * DAY_MS);
    // A moderator decides on the version they read: words edited after the
    // console loaded them are not approved (nor rejected) unseen.
    let read = held["edited_at"].as_i64().unwrap();
    let r = edit(Some(me), json!({"body": "Update: buy pills at example.com, the sole is fine."}));
    assert_eq!(r.status, 200, "{}", r.text());
    let approve = |seen: &str| b.admin("POST", &format!("/v1/admin/brands/{}/testimonials/{id}/approve?seen_edit={seen}", b.id), None);
    approve(&read.to_string()).assert_error(409, "conflict");
    approve("0").assert_error(409, "conflict");
    approve("yesterday").assert_error(400, "bad_request");
    let reject = b.admin("POST", &format!("/v1/admin/brands/{}/testimonials/{id}/reject?seen_edit={read}", b.id), Some(&json!({"reason": "spam"})));
    reject.assert_error(409, "conflict");
    assert_eq!(admin_view(&b, &id)["status"], "pending", "nothing was decided");
    let now_read = admin_view(&b, &id)["edited_at"].as_i64().unwrap();
    assert_eq!(b.admin("POST", &format!("/v1/admin/brands/{}/testimonials/{id}/reject?seen_edit={now_read}", b.id), Some(&json!({"reason": "spam"}))).status, 200);
    assert_eq!(b.approve(&id).status, 200, "without seen_edit, as before");
    // Rejected: no more edits.
    assert_eq!(b.reject(&id, "off_topic").status, 200);
    edit(Some(me), json!({"body": "Trying to get back in after a rejection."})).assert_error(409, "conflict");
}

/// Submits and approves one review with these words.
fn published(b: &TestBrand, name: &str, rating: u8, title: &str, body: &str) -> String {
    let mut t = testimonial(name, rating, Some("sku-1"));
    t["title"] = json!(title);
    t["body"] = json!(body);
    let r = b.submit(&t);
    assert_eq!(r.status, 201, "{}", r.text());
    let id = r.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(b.approve(&id).status, 200);
    id
}

/// The product's "what reviews mention", once the cron job has rebuilt it
/// (other tests' brands share the job's per-run budget: a few runs at most).
fn aspects_until(b: &TestBrand, done: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..8 {
        cron();
        let a = b.widget(Some("sku-1"))["aspects"].clone();
        if done(&a) {
            return a;
        }
    }
    panic!("aspects never settled: {}", b.widget(Some("sku-1")));
}

#[test]
fn what_reviews_mention_counts_every_rating_and_always_shows_the_critical_phrases() {
    let b = TestBrand::create("aspects");
    b.configure(json!({"rate_limits": {"per_client": 100}}));
    // Praise outnumbers criticism twenty to two, in many phrases.
    let praise = "Soft fabric, quick delivery, fair price, nice stitching, warm lining, deep pockets.";
    for n in 0..20 {
        published(&b, &format!("Fan {n}"), 5, "Great colour", praise);
    }
    let one = published(&b, "Critic", 2, "Runs small", "The zip broke after a week.");
    published(&b, "Critique", 1, "Sadly it runs small", "And the zip broke too!");
    published(&b, "Middle", 4, "Runs small", "Order a size up; lovely otherwise.");
    let pending = b.submit(&{
        let mut t = testimonial("Waiting", 1, Some("sku-1"));
        t["body"] = json!("Zip broke, zip broke, terrible stitching.");
        t
    });
    assert_eq!(pending.status, 201);

    let a = aspects_until(&b, |a| a.as_array().is_some_and(|l| !l.is_empty()));
    let list = a.as_array().unwrap();
    assert_eq!(list.len(), 6, "{a}");
    let find = |p: &str| list.iter().find(|x| x["phrase"] == p).cloned();
    // Counted over every published review whatever its rating; the pending
    // one not at all.
    assert_eq!(find("runs small"), Some(json!({"phrase": "runs small", "reviews": 3, "critical": 2})), "{a}");
    assert_eq!(find("zip broke"), Some(json!({"phrase": "zip broke", "reviews": 2, "critical": 2})), "{a}");
    assert_eq!(find("deep pockets").map(|x| x["reviews"].clone()), Some(json!(20)), "{a}");

    // The first paint's markup shows them, in the shopper's language.
    for (locale, heading, critical) in [("en", "Reviews mention", "2 with 1–3 stars"), ("de", "In Bewertungen erwähnt", "2 mit 1–3 Sternen")] {
        let page = get(&format!("/v1/widget/{}?product=sku-1&locale={locale}", b.id)).json();
        let markup = page["markup"].as_str().unwrap();
        assert!(markup.contains(heading) && markup.contains("runs small") && markup.contains(critical), "{locale}: {markup}");
    }

    // A review that goes away takes its words with it.
    assert_eq!(b.reject(&one, "duplicate").status, 200);
    let a = aspects_until(&b, |a| a.as_array().is_some_and(|l| l.iter().any(|x| x["phrase"] == "runs small" && x["reviews"] == 2)));
    let list = a.as_array().unwrap();
    assert!(!list.iter().any(|x| x["phrase"] == "zip broke"), "one review left saying it: {a}");
    // The whole brand's summary (no product) is kept too.
    let brand_wide = b.widget(None)["aspects"].clone();
    assert!(brand_wide.as_array().is_some_and(|l| l.iter().any(|x| x["phrase"] == "runs small")), "{brand_wide}");
}

#[test]
fn a_moderator_decides_many_at_once_each_as_it_would_be_alone() {
    let b = TestBrand::create("bulk");
    let ids: Vec<String> = (0..5).map(|n| submit(&b, &format!("Bulk {n}"), (n % 5 + 1) as u8)).collect();
    let bulk = |body: Value| b.admin("POST", &format!("/v1/admin/brands/{}/testimonials/bulk", b.id), Some(&body));
    // One edited by its author after the moderator read it.
    let me = "member-bulk-edit-000001";
    let r = kindred_tests::post_json(&format!("/v1/brands/{}/testimonials", b.id), &[("x-kindred-member", me)], &testimonial("Edited", 3, Some("sku-1")));
    let edited = r.json()["id"].as_str().unwrap().to_owned();
    let r = request("PATCH", &format!("/v1/brands/{}/testimonials/{edited}", b.id), &[("content-type", "application/json"), ("x-kindred-member", me)], Some(json!({"body": "Changed after the moderator looked, with a link."}).to_string().as_bytes()));
    assert_eq!(r.status, 200, "{}", r.text());
    // Another brand's testimonial is no one's to decide here.
    let other = TestBrand::create("bulk-other");
    let theirs = submit(&other, "Theirs", 5);

    let r = bulk(json!({
        "action": "approve",
        "items": [{"id": ids[0]}, {"id": ids[1], "seen_edit": 0}, {"id": ids[0]}, {"id": edited, "seen_edit": 0}, {"id": theirs}, {"id": "nope"}],
    }));
    assert_eq!(r.status, 200, "{}", r.text());
    let results = r.json()["results"].as_array().unwrap().clone();
    assert_eq!(results.len(), 5, "repeats decided once: {results:?}");
    assert_eq!(results[0], json!({"id": ids[0], "status": "approved"}));
    assert_eq!(results[1]["status"], "approved");
    assert_eq!(results[2]["error"]["code"], "conflict", "edited since it was read");
    assert_eq!(results[3]["error"]["code"], "not_found", "another brand's");
    assert_eq!(results[4]["error"]["code"], "not_found");
    assert_eq!(admin_view(&other, &theirs)["status"], "pending");
    assert_eq!(admin_view(&b, &edited)["status"], "pending");
    assert_eq!(shown(&b).len(), 2, "the widget shows them on its next request");

    // A bulk rejection: one reason for all, from the fixed list; photos go.
    let r = bulk(json!({"action": "reject", "items": [{"id": ids[2]}, {"id": ids[3]}], "rejection": {"reason": "spam"}}));
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.json()["results"].as_array().unwrap().iter().all(|o| o["status"] == "rejected"));
    assert_eq!(admin_view(&b, &ids[2])["reject_reason"], "spam");
    // A second rejection never rewrites the first one's reason.
    let r = bulk(json!({"action": "reject", "items": [{"id": ids[2]}], "rejection": {"reason": "offensive"}}));
    assert_eq!(r.json()["results"][0]["error"]["code"], "conflict", "{}", r.text());
    assert_eq!(admin_view(&b, &ids[2])["reject_reason"], "spam");
    assert_eq!(ledger(&b)["stars"].as_array().unwrap().iter().map(|s| s["rejected"]["total"].as_i64().unwrap()).sum::<i64>(), 2);

    // Refused whole, nothing decided.
    for (body, field) in [
        (json!({"action": "reject", "items": [{"id": ids[4]}]}), "rejection"),
        (json!({"action": "reject", "items": [{"id": ids[4]}], "rejection": {"reason": "other"}}), "note"),
        (json!({"action": "reject", "items": [{"id": ids[4]}], "rejection": {"reason": "too_negative"}}), ""),
        (json!({"action": "approve", "items": [{"id": ids[4]}], "rejection": {"reason": "spam"}}), "rejection"),
        (json!({"action": "approve", "items": []}), "items"),
        (json!({"action": "approve", "items": (0..101).map(|n| json!({"id": format!("t{n}")})).collect::<Vec<_>>()}), "items"),
        (json!({"action": "approve", "items": [{"id": ids[4], "seen_edit": -1}]}), "items"),
        // An object sent as a list is not read by position, at any depth.
        (json!({"action": "approve", "items": [[ids[4]]]}), "items[0]"),
        (json!({"action": "reject", "items": [{"id": ids[4]}], "rejection": ["spam"]}), "rejection"),
    ] {
        let r = bulk(body.clone());
        assert!(r.status == 422 || r.status == 400, "{body}: {} {}", r.status, r.text());
        if !field.is_empty() {
            assert_eq!(r.json()["error"]["field"], field, "{body}");
        }
    }
    assert_eq!(admin_view(&b, &ids[4])["status"], "pending", "nothing was decided");
}

/// The queue's ids for a query string (after `status=pending&`).
fn queue_ids(b: &TestBrand, query: &str) -> (Vec<String>, Option<String>) {
    let r = b.admin("GET", &format!("/v1/admin/brands/{}/testimonials?status=pending&{query}", b.id), None);
    assert_eq!(r.status, 200, "{query}: {}", r.text());
    let v = r.json();
    let ids = v["testimonials"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap().to_owned()).collect();
    (ids, v["next_cursor"].as_str().map(str::to_owned))
}

#[test]
fn moderators_filter_by_product_stars_tag_photos_and_provenance_search_any_script_and_page_past_a_rare_match() {
    use kindred_core::auth::{sign_identity, IdentityClaims};
    let b = TestBrand::create("queue-filters");
    b.configure(json!({"moderation": {"mode": "all_pending"}, "rate_limits": {"per_client": 10000, "per_brand": 100000}}));
    let photo = request("POST", &format!("/v1/brands/{}/photos", b.id), &[("content-type", "application/octet-stream")], Some(&kindred_tests::png(20, 20))).json()["id"].as_str().unwrap().to_owned();
    let mut a = testimonial("Ana Crisp", 5, Some("sku-a"));
    a["body"] = json!("Crispy and light, my favourite café snack for long runs.");
    a["tags"] = json!(["vegan"]);
    a["photos"] = json!([photo]);
    let mut bo = testimonial("Bahar", 2, Some("sku-b"));
    bo["body"] = json!("زیبا ولی برای من کمی کوچک بود، سایز را بزرگ‌تر بگیرید.");
    bo["email"] = json!("bahar.q@example.com");
    bo["tags"] = json!(["runner"]);
    let now = i64::try_from(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()).unwrap();
    let mut c = testimonial("Cyd Signed", 2, None);
    c["body"] = json!("Too small for me, sadly; the fabric is lovely though.");
    c["identity"] = json!(sign_identity(&IdentityClaims { brand: b.id.clone(), sub: "cust-9".into(), exp: now + 600, name: None, email: None }, b.identity_secret.as_bytes()).unwrap());
    let ids: Vec<String> = [a, bo, c]
        .iter()
        .map(|t| {
            let r = b.submit(t);
            assert_eq!(r.status, 201, "{}", r.text());
            r.json()["id"].as_str().unwrap().to_owned()
        })
        .collect();
    let (a, bo, c) = (ids[0].as_str(), ids[1].as_str(), ids[2].as_str());
    let set = |v: &[&str]| {
        let mut v: Vec<String> = v.iter().map(|s| (*s).to_owned()).collect();
        v.sort();
        v
    };
    let found = |q: &str| {
        let mut v = queue_ids(&b, q).0;
        v.sort();
        v
    };
    assert_eq!(found("rating=2"), set(&[bo, c]));
    assert_eq!(found("product=sku-a"), set(&[a]));
    assert_eq!(found("tag=vegan"), set(&[a]));
    assert_eq!(found("photos=with"), set(&[a]));
    assert_eq!(found("photos=without"), set(&[bo, c]));
    assert_eq!(found("provenance=verified_buyer"), set(&[c]));
    assert_eq!(found("provenance=plain"), set(&[a, bo]));
    assert_eq!(found("q=CRISPY"), set(&[a]), "Latin letters fold");
    assert_eq!(found(&format!("q={}", "%DA%A9%D9%88%DA%86%DA%A9")), set(&[bo]), "Persian text is found as written");
    assert_eq!(found("q=bahar.q%40example"), set(&[bo]), "by email");
    assert_eq!(found("rating=2&photos=without&q=small"), set(&[c]), "filters combine");
    assert_eq!(found("q=nothing-like-this"), Vec::<String>::new());
    assert_eq!(found("q=cafe%CC%81"), set(&[a]), "NFD input (as a Mac pastes it) finds NFC text");
    assert_eq!(found("tag=%20Vegan%20"), set(&[a]), "tags are matched as stored: trimmed, lowercase");
    for hidden in ["veg%C2%ADan", "v%E2%80%8Began", "%E2%80%8Fvegan", "vegan%E3%85%A4"] {
        assert_eq!(found(&format!("tag={hidden}")), set(&[a]), "read as a tag is stored, invisible characters dropped (helper-81): {hidden}");
    }
    assert_eq!(found("q=%5B"), Vec::<String>::new(), "the tags' JSON is not searched as text");
    b.admin("GET", &format!("/v1/admin/brands/{}/testimonials?cursor=123.", b.id), None).assert_error(400, "bad_request");
    for (q, field) in [("rating=9", "rating"), ("photos=maybe", "photos"), ("provenance=magic", "provenance"), (&*format!("q={}", "x".repeat(101)), "q")] {
        let r = b.admin("GET", &format!("/v1/admin/brands/{}/testimonials?{q}", b.id), None);
        r.assert_error(400, "bad_request");
        assert_eq!(r.json()["error"]["field"], field, "{q}");
    }

    // Pages follow the filter.
    let (first, cursor) = queue_ids(&b, "rating=2&limit=1");
    assert_eq!(first.len(), 1);
    let (second, end) = queue_ids(&b, &format!("rating=2&limit=1&cursor={}", cursor.expect("a second page")));
    assert_eq!(set(&[first[0].as_str(), second[0].as_str()]), set(&[bo, c]));
    assert!(end.is_none(), "two matches, two pages");

    // A rare match behind more than QUEUE_WALK newer testimonials: the first
    // page looks through 2,000, finds nothing and says where to go on; the
    // next finds it. Nobody's request reads the brand's whole history.
    let later = now * 1000 + 60_000;
    d1_execute(&format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2100) \
         INSERT INTO testimonials (id, brand_id, author_name, rating, title, body, tags, status, created_at) \
         SELECT 'filler-{brand}-' || i, '{brand}', 'Filler', 3, 'Filler', 'ordinary words', '[]', 'pending', {later} + i FROM n",
        brand = b.id
    ));
    let (none, go_on) = queue_ids(&b, "q=crispy");
    assert!(none.is_empty(), "{none:?}");
    let (hit, done) = queue_ids(&b, &format!("q=crispy&cursor={}", go_on.expect("a cursor to search further back")));
    assert_eq!(hit, vec![a.to_owned()]);
    assert!(done.is_none());
    // Unfiltered pages are unchanged: 50 a page, newest first.
    let (page, more) = queue_ids(&b, "limit=50");
    assert_eq!(page.len(), 50);
    assert!(page[0].starts_with("filler-") && more.is_some());
}
