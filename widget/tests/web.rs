#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Component tests in headless Chromium: mount into a fresh element, let the
//! view settle, assert on the DOM.

use kindred_core::aspects::Aspect;
use kindred_core::widget::{Aggregate, BrandPublic, ProductPublic, TestimonialView, WidgetPayload};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

fn fresh_target() -> HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let el = document.create_element("div").unwrap().dyn_into::<HtmlElement>().unwrap();
    document.body().unwrap().append_child(&el).unwrap();
    el
}

/// Lets the view settle: a macrotask, so work the widget deferred past its
/// first paint (form, community, referral panels) has mounted too.
async fn tick() {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(p).await.unwrap();
}

fn testimonial(id: &str, name: &str, rating: u8, body: &str) -> TestimonialView {
    TestimonialView {
        id: id.into(),
        author_name: name.into(),
        rating,
        title: format!("Title {id}"),
        body: body.into(),
        tags: vec!["trail running".into()],
        verified_buyer: id == "a",
        ambassador: false,
        featured: false,
        helpful_count: 0,
        photos: vec![],
        incentivised: id == "b",
        verified_purchase: false,
        reply: None,
        edited_at: None,
        imported: id == "b",
        lang: None,
        created_at: js_sys::Date::now() as i64 - 3 * 86_400_000,
    }
}

fn payload(testimonials: Vec<TestimonialView>) -> WidgetPayload {
    WidgetPayload {
        brand: BrandPublic {
            id: "acme".into(),
            name: "Acme".into(),
            accent: "#123456".into(),
            incentive: Some("Give 15%, get $10".into()),
            review_incentive: None,
            referral: None,
            community: false,
        },
        product: Some(ProductPublic { id: "sku-1".into(), name: "Trail Runner".into(), url: None }),
        aggregate: Aggregate::from_histogram([0, 0, 0, 1, 1]),
        testimonials,
        next_cursor: None,
        tags: vec!["trail running".into(), "vegan cooking".into()],
        languages: vec![],
        context: None,
        ambassadors: vec![],
        aspects: vec![
            Aspect { phrase: "true to size".into(), reviews: 5, critical: 0 },
            Aspect { phrase: "runs small".into(), reviews: 3, critical: 2 },
        ],
        markup: None,
        markup_at: None,
        markup_build: None,
    }
}

fn config() -> kindred_widget::Config {
    // Nothing listens here: tests that reach the network see it fail.
    kindred_widget::json::parse(r#"{"edge":"http://127.0.0.1:9/","brand":"acme","product":"sku-1"}"#).unwrap()
}

/// A catalogue compiled from widget/i18n/<locale>.ftl, as xtask's build
/// compiles it for the loader.
fn i18n(locale: &str) -> kindred_widget::i18n::I18n {
    let en = kindred_core::i18n::compile("en", include_str!("../i18n/en.ftl"), None).unwrap();
    let c = match locale {
        "ar" => kindred_core::i18n::compile("ar", include_str!("../i18n/ar.ftl"), Some(&en)).unwrap(),
        _ => en,
    };
    kindred_widget::i18n::I18n::register(&js_sys::JSON::parse(&c.json.to_string()).unwrap())
}

fn mount(el: &HtmlElement, p: WidgetPayload) {
    kindred_widget::mount_payload(el.clone(), p, config(), i18n("en"));
}

fn count(el: &HtmlElement, selector: &str) -> u32 {
    el.query_selector_all(selector).unwrap().length()
}

#[wasm_bindgen_test]
async fn renders_summary_cards_badges_and_tags() {
    let el = fresh_target();
    let p = payload(vec![testimonial("a", "Ana", 5, "Great grip"), testimonial("b", "Ben", 4, "Comfy")]);
    mount(&el, p);
    tick().await;
    assert_eq!(count(&el, ".kr-card"), 2);
    assert_eq!(count(&el, ".kr-verified"), 1, "only Ana is a verified buyer");
    assert_eq!(count(&el, ".kr-incentivised"), 1, "only Ben wrote under an incentive");
    assert_eq!(count(&el, ".kr-imported"), 1, "only Ben's was imported from another platform");
    assert_eq!(count(&el, ".kr-tag"), 2);
    let text = el.text_content().unwrap();
    for want in ["4.5", "2 reviews", "Great grip", "Ana", "Verified buyer", "Incentivised", "Imported", "3 days ago", "Give 15%, get $10", "Reviews mention"] {
        assert!(text.contains(want), "missing {want:?} in {text:?}");
    }
    let stars = el.query_selector(".kr-summary .kr-stars").unwrap().unwrap();
    assert_eq!(stars.get_attribute("aria-label").as_deref(), Some("4.5 out of 5 stars"));
    // What reviews mention, the critical count beside the phrase.
    let aspects: Vec<String> = (0..2).map(|n| el.query_selector_all(".kr-aspect").unwrap().get(n).unwrap().text_content().unwrap()).collect();
    assert_eq!(aspects, vec!["true to size, 5 reviews".to_owned(), "runs small, 3 reviews, 2 with 1–3 stars".into()]);
    let section = el.query_selector("section.kr").unwrap().unwrap();
    // Set through the CSSOM (a CSP's style-src may refuse a style
    // attribute), which serializes it so.
    assert_eq!(section.get_attribute("style").as_deref(), Some("--kr-brand-accent: #123456;"));
    assert_eq!(section.get_attribute("aria-label").as_deref(), Some("Customer reviews of Trail Runner"));
}

#[wasm_bindgen_test]
async fn arabic_ui_from_the_catalogue_with_intl_numbers_dates_and_plurals() {
    let el = fresh_target();
    kindred_widget::mount_payload(el.clone(), payload(vec![testimonial("a", "Ana", 5, "Great grip"), testimonial("b", "Ben", 4, "Fine")]), config(), i18n("ar"));
    tick().await;
    let text = el.text_content().unwrap();
    // Two reviews: Arabic's dual form, chosen by Intl.PluralRules.
    for want in ["ماذا يقول عملاؤنا", "مراجعتان", "اكتب مراجعة", "مشترٍ موثّق"] {
        assert!(text.contains(want), "missing {want:?} in {text:?}");
    }
    // Three days ago, in words from Intl.RelativeTimeFormat, on a <time>.
    let date = el.query_selector(".kr-date").unwrap().unwrap();
    assert_eq!(date.tag_name().to_lowercase(), "time");
    assert!(date.get_attribute("datetime").unwrap().ends_with('Z'));
    let when = date.text_content().unwrap();
    assert!(when.contains("أيام") || when.contains("٣") || when.contains('3'), "{when}");
    let stars = el.query_selector(".kr-summary .kr-stars").unwrap().unwrap();
    assert!(stars.get_attribute("aria-label").unwrap().contains("من 5 نجوم"));
}

#[wasm_bindgen_test]
fn unread_counts_the_edge_caps_read_as_99_plus_in_the_locales_digits() {
    let cap = kindred_core::sql::UNREAD_CAP as f64;
    let en = i18n("en");
    assert_eq!(en.capped("unread", 12.0, cap), "12 new");
    assert_eq!(en.capped("unread", 99.0, cap), "99 new");
    assert_eq!(en.capped("unread", cap, cap), "99+ new");
    let ar = i18n("ar").capped("unread", cap, cap);
    assert!(ar.contains(&format!("{}+", i18n("ar").number(99.0))) && ar.contains("جديد"), "{ar}");
}

#[wasm_bindgen_test]
async fn empty_state_invites_the_first_review() {
    let el = fresh_target();
    let mut p = payload(vec![]);
    p.aggregate = Aggregate::default();
    mount(&el, p);
    tick().await;
    assert_eq!(count(&el, ".kr-card"), 0);
    assert!(el.text_content().unwrap().contains("No reviews yet"));
    assert!(el.text_content().unwrap().contains("0 reviews"));
}

#[wasm_bindgen_test]
async fn submitted_markup_is_shown_as_text() {
    let el = fresh_target();
    let evil = "<img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=1</script>";
    let mut t = testimonial("x", "<b>Mallory</b>", 1, evil);
    t.tags = vec!["<i>tag</i>".into()];
    mount(&el, payload(vec![t]));
    tick().await;
    assert_eq!(count(&el, "img"), 0);
    assert_eq!(count(&el, "script"), 0);
    assert_eq!(count(&el, "b"), 0);
    assert_eq!(count(&el, "i"), 0);
    let body = el.query_selector(".kr-body").unwrap().unwrap();
    assert_eq!(body.text_content().unwrap(), evil);
    let pwned = js_sys::Reflect::get(&web_sys::window().unwrap(), &"__pwned".into()).unwrap();
    assert!(pwned.is_undefined());
}

#[wasm_bindgen_test]
async fn a_bad_accent_never_reaches_the_style_attribute() {
    let el = fresh_target();
    let mut p = payload(vec![]);
    p.brand.accent = "red;background:url(https://evil.example/x)".into();
    mount(&el, p);
    tick().await;
    let section = el.query_selector("section.kr").unwrap().unwrap();
    assert_eq!(section.get_attribute("style"), None);
}

#[wasm_bindgen_test]
fn mount_refuses_a_payload_of_the_wrong_shape() {
    let el = fresh_target();
    let cfg = r#"{"edge":"http://127.0.0.1:9/","brand":"acme"}"#;
    assert!(kindred_widget::mount(el.clone(), "{}", cfg, None).is_err());
    assert!(kindred_widget::mount(el.clone(), "not json", cfg, None).is_err());
    let good = serde_json::to_string(&payload(vec![])).unwrap();
    assert!(kindred_widget::mount(el.clone(), &good, "{}", None).is_err(), "config without edge");
    assert_eq!(el.child_element_count(), 0, "nothing mounted on error");
}

/// The main module reads JSON without serde (json.rs): it must read exactly
/// what serde writes for core's types, and what serde would accept.
#[wasm_bindgen_test]
fn the_serde_free_reader_agrees_with_serde() {
    use kindred_core::photo::PhotoView;
    use kindred_core::referral::LeaderboardEntry;
    use kindred_core::widget::{FeedPage, ReferralPublic};
    use kindred_core::{ApiError, ErrorBody, ErrorCode};
    use kindred_widget::json::parse;

    let mut full = payload(vec![testimonial("a", "Ana", 5, "Great"), testimonial("b", "Bo", 4, "Fine")]);
    full.brand.referral = Some(ReferralPublic { referee_offer: "15% off".into(), window_days: 30, leaderboard: true, links_by_email: false });
    full.ambassadors = vec![kindred_core::referral::LeaderboardEntry { name: "Ana L.".into(), referrals: 3, tier: Some("Gold".into()) }];
    full.brand.community = true;
    full.product.as_mut().unwrap().url = Some("https://shop.example/p".into());
    full.next_cursor = Some("abc".into());
    full.aggregate = kindred_core::widget::Aggregate::from_histogram([1, 0, 2, 0, 7]);
    let t = &mut full.testimonials[0];
    (t.ambassador, t.featured, t.helpful_count) = (true, true, 12);
    t.photos = vec![PhotoView { id: "p1".into(), url: "/v1/photos/p1".into(), width: 640, height: 480 }];
    let text = serde_json::to_string(&full).unwrap();
    assert_eq!(parse::<WidgetPayload>(&text).unwrap(), full);

    // Fields serde fills in by default may be absent.
    let sparse = r##"{"brand":{"id":"b","name":"B","accent":"#000000"},"aggregate":{"count":0,"average":0,"histogram":[0,0,0,0,0]},
        "testimonials":[{"id":"t","author_name":"A","rating":3,"title":"","body":"x","created_at":1700000000000}]}"##;
    assert_eq!(parse::<WidgetPayload>(sparse).unwrap(), serde_json::from_str::<WidgetPayload>(sparse).unwrap());

    let page = FeedPage { testimonials: full.testimonials.clone(), next_cursor: None };
    assert_eq!(parse::<FeedPage>(&serde_json::to_string(&page).unwrap()).unwrap(), page);
    let board = vec![LeaderboardEntry { name: "Ana".into(), referrals: 3, tier: Some("Gold".into()) }, LeaderboardEntry { name: "Bo".into(), referrals: 1, tier: None }];
    assert_eq!(parse::<Vec<LeaderboardEntry>>(&serde_json::to_string(&board).unwrap()).unwrap(), board);
    for code in ErrorCode::ALL {
        let body = ErrorBody { error: ApiError { code, message: "m".into(), field: Some("email".into()) } };
        assert_eq!(parse::<ErrorBody>(&serde_json::to_string(&body).unwrap()).unwrap(), body);
    }

    // Refusals name the field, as serde's do.
    let bad = text.replacen("\"rating\":5", "\"rating\":\"5\"", 1);
    assert!(parse::<WidgetPayload>(&bad).unwrap_err().contains("rating"));
    let missing = text.replacen("\"author_name\"", "\"writer\"", 1);
    assert!(parse::<WidgetPayload>(&missing).unwrap_err().contains("author_name"));
    assert!(parse::<WidgetPayload>(&text.replacen("\"rating\":5", "\"rating\":500", 1)).is_err(), "out of range");
    assert!(parse::<WidgetPayload>("[]").is_err());
}

/// The loader's mount renders in short steps and says when it is done.
#[wasm_bindgen_test]
async fn a_staged_mount_renders_in_steps_and_calls_back_when_done() {
    use std::{cell::Cell, rc::Rc};
    let el = fresh_target();
    let done = Rc::new(Cell::new(false));
    let flag = done.clone();
    let ready = wasm_bindgen::closure::Closure::once_into_js(move || flag.set(true));
    let json = serde_json::to_string(&payload(vec![testimonial("a", "Ana", 5, "Great"), testimonial("b", "Bo", 4, "Fine")])).unwrap();
    let cfg = r#"{"edge":"http://127.0.0.1:9/","brand":"acme","product":"sku-1"}"#;
    kindred_widget::mount(el.clone(), &json, cfg, Some(ready.unchecked_into())).unwrap();
    assert_eq!(count(&el, ".kr-summary"), 1, "the widget's frame renders at once");
    assert_eq!(count(&el, ".kr-card"), 0, "the cards come a task later");
    assert!(!done.get());
    for _ in 0..3 {
        tick().await;
    }
    assert_eq!(count(&el, ".kr-card"), 2);
    assert!(done.get(), "ready was called");
}

fn click(el: &HtmlElement, selector: &str) {
    el.query_selector(selector).unwrap().unwrap().dyn_into::<HtmlElement>().unwrap().click();
}

#[wasm_bindgen_test]
async fn the_form_explains_what_is_missing_next_to_the_field() {
    let el = fresh_target();
    mount(&el, payload(vec![]));
    tick().await;
    assert_eq!(count(&el, "form"), 0, "the form opens on request");
    click(&el, ".kr-write-open");
    tick().await;
    assert_eq!(count(&el, "form.kr-form"), 1);
    // Every input has a label.
    for id in ["kr-name", "kr-email", "kr-title", "kr-body", "kr-tags", "kr-photos"] {
        assert_eq!(count(&el, &format!("label[for={id}]")), 1, "{id} has no label");
    }
    click(&el, ".kr-submit");
    tick().await;
    let name = el.query_selector("#kr-name").unwrap().unwrap();
    assert_eq!(name.get_attribute("aria-invalid").as_deref(), Some("true"));
    let err = el.query_selector("#kr-err-display_name").unwrap().unwrap().text_content().unwrap();
    assert_eq!(err, "Enter your name (up to 60 characters).");
    // Focus moves to the first invalid field, which reads out its error.
    for _ in 0..20 {
        if web_sys::window().unwrap().document().unwrap().active_element().map(|a| a.id()).as_deref() == Some("kr-name") {
            break;
        }
        tick().await;
    }
    assert_eq!(web_sys::window().unwrap().document().unwrap().active_element().map(|a| a.id()).as_deref(), Some("kr-name"));
    assert_eq!(name.get_attribute("aria-describedby").as_deref(), Some("kr-err-display_name"));
    // The honeypot is out of sight and out of the tab order.
    let hp = el.query_selector("#kr-website").unwrap().unwrap();
    assert_eq!(hp.get_attribute("tabindex").as_deref(), Some("-1"));
}

#[wasm_bindgen_test]
async fn photos_keep_their_size_and_load_lazily_from_the_edge() {
    let el = fresh_target();
    let mut t = testimonial("p", "Pia", 5, "With photo");
    t.photos = vec![kindred_core::photo::PhotoView { id: "ab".repeat(16), url: format!("/v1/photos/{}", "ab".repeat(16)), width: 640, height: 480 }];
    mount(&el, payload(vec![t]));
    tick().await;
    let img = el.query_selector("img.kr-photo").unwrap().unwrap();
    assert_eq!(img.get_attribute("width").as_deref(), Some("640"));
    assert_eq!(img.get_attribute("height").as_deref(), Some("480"));
    assert_eq!(img.get_attribute("loading").as_deref(), Some("lazy"));
    assert_eq!(img.get_attribute("src").unwrap(), format!("http://127.0.0.1:9/v1/photos/{}", "ab".repeat(16)));
    assert_eq!(img.get_attribute("alt").as_deref(), Some("Photo from Pia"));
}

#[wasm_bindgen_test]
async fn tag_chips_come_from_the_payload_and_toggle() {
    let el = fresh_target();
    mount(&el, payload(vec![testimonial("a", "Ana", 5, "x")]));
    tick().await;
    assert_eq!(count(&el, ".kr-chip"), 2);
    let chip = el.query_selector(".kr-chip").unwrap().unwrap();
    assert_eq!(chip.get_attribute("aria-pressed").as_deref(), Some("false"));
    chip.clone().dyn_into::<HtmlElement>().unwrap().click();
    tick().await;
    assert_eq!(chip.get_attribute("aria-pressed").as_deref(), Some("true"));
}

#[wasm_bindgen_test]
fn a_name_cut_to_fit_ends_between_two_characters_as_a_reader_sees_them() {
    use kindred_widget::i18n::prefix_graphemes;
    // A family of four code points (woman, skin tone, ZWJ, curly hair):
    // six code points end inside the second one, which goes whole.
    let family = "\u{1F469}\u{1F3FD}\u{200D}\u{1F9B1}";
    assert_eq!(prefix_graphemes(&family.repeat(2), 6), family);
    assert_eq!(prefix_graphemes(&family.repeat(2), 8), family.repeat(2));
    // A flag is two code points; a letter keeps its marks.
    assert_eq!(prefix_graphemes("Ana\u{1F1F8}\u{1F1E6}", 4), "Ana");
    assert_eq!(prefix_graphemes("Ane\u{301}\u{301}x", 4), "An");
    assert_eq!(prefix_graphemes("لیلی", 3), "لیل");
    assert_eq!(prefix_graphemes("short", 40), "short");
    // One cluster longer than the limit: cut at the limit, never to nothing.
    let stacked = format!("a{}", "\u{301}".repeat(40));
    assert_eq!(prefix_graphemes(&stacked, 40).chars().count(), 40);
}
