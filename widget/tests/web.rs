#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Component tests in headless Chromium: mount into a fresh element, let the
//! view settle, assert on the DOM.

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

async fn tick() {
    let p = js_sys::Promise::resolve(&wasm_bindgen::JsValue::NULL);
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
        },
        product: Some(ProductPublic { id: "sku-1".into(), name: "Trail Runner".into(), url: None }),
        aggregate: Aggregate::from_histogram([0, 0, 0, 1, 1]),
        testimonials,
        next_cursor: None,
    }
}

fn count(el: &HtmlElement, selector: &str) -> u32 {
    el.query_selector_all(selector).unwrap().length()
}

#[wasm_bindgen_test]
async fn renders_summary_cards_badges_and_tags() {
    let el = fresh_target();
    let p = payload(vec![testimonial("a", "Ana", 5, "Great grip"), testimonial("b", "Ben", 4, "Comfy")]);
    kindred_widget::mount_payload(el.clone(), p);
    tick().await;
    assert_eq!(count(&el, ".kr-card"), 2);
    assert_eq!(count(&el, ".kr-verified"), 1, "only Ana is a verified buyer");
    assert_eq!(count(&el, ".kr-tag"), 2);
    let text = el.text_content().unwrap();
    for want in ["4.5", "2 reviews", "Great grip", "Ana", "Verified buyer", "3 days ago", "Give 15%, get $10"] {
        assert!(text.contains(want), "missing {want:?} in {text:?}");
    }
    let stars = el.query_selector(".kr-summary .kr-stars").unwrap().unwrap();
    assert_eq!(stars.get_attribute("aria-label").as_deref(), Some("4.5 out of 5 stars"));
    let section = el.query_selector("section.kr").unwrap().unwrap();
    assert_eq!(section.get_attribute("style").as_deref(), Some("--kr-accent:#123456"));
    assert_eq!(section.get_attribute("aria-label").as_deref(), Some("Customer reviews of Trail Runner"));
}

#[wasm_bindgen_test]
async fn empty_state_invites_the_first_review() {
    let el = fresh_target();
    let mut p = payload(vec![]);
    p.aggregate = Aggregate::default();
    kindred_widget::mount_payload(el.clone(), p);
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
    kindred_widget::mount_payload(el.clone(), payload(vec![t]));
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
    kindred_widget::mount_payload(el.clone(), p);
    tick().await;
    let section = el.query_selector("section.kr").unwrap().unwrap();
    assert_eq!(section.get_attribute("style"), None);
}

#[wasm_bindgen_test]
fn mount_refuses_a_payload_of_the_wrong_shape() {
    let el = fresh_target();
    assert!(kindred_widget::mount(el.clone(), "{}").is_err());
    assert!(kindred_widget::mount(el.clone(), "not json").is_err());
    assert_eq!(el.child_element_count(), 0, "nothing mounted on error");
}
