//! The widget's first view as HTML, rendered on the edge by the widget's own
//! Leptos components (`kindred_widget::first_paint_html`): one source for the
//! markup the loader shows before the wasm and the live widget's.
//!
//! The UI's words come from the same compiled catalogues the loader ships
//! (`widget/i18n/*.ftl`, compiled by `build.rs`); numbers and plurals from
//! workerd's `Intl`, as in the browser.

use kindred_core::widget::WidgetPayload;
use kindred_core::{BrandId, ProductId};
use kindred_widget::i18n::I18n;
use std::cell::RefCell;

mod generated {
    include!(concat!(env!("OUT_DIR"), "/catalogues.rs"));
}

thread_local! {
    /// Each locale's catalogue, registered once per isolate.
    static REGISTERED: RefCell<Vec<(&'static str, I18n)>> = const { RefCell::new(Vec::new()) };
}

/// The locale Kindred renders for a `locale` query value: one it ships
/// (`kindred_core::i18n::LOCALES`), matched by language subtag as the loader
/// picks it (`pt-BR` is `pt`); `None` for any other value.
pub fn locale(wanted: &str) -> Option<&'static str> {
    let lang = wanted.split(['-', '_']).next()?.to_ascii_lowercase();
    generated::CATALOGUES.iter().map(|(l, _)| *l).find(|l| *l == lang)
}

/// The handle of `locale`'s catalogue (the widget's messages and the edge's pages'),
/// registered on first use in this isolate.
pub fn i18n(locale: &'static str) -> I18n {
    if let Some(found) = REGISTERED.with(|r| r.borrow().iter().find(|(l, _)| *l == locale).map(|(_, h)| *h)) {
        return found;
    }
    let json = generated::CATALOGUES.iter().find(|(l, _)| *l == locale).map_or("null", |(_, j)| *j);
    let handle = I18n::register(&js_sys::JSON::parse(json).unwrap_or(wasm_bindgen::JsValue::NULL));
    REGISTERED.with(|r| r.borrow_mut().push((locale, handle)));
    handle
}

/// The first view of `brand`'s widget (on `product`'s page, if given) for
/// `payload`, in `locale`. Its links and photos are relative to the edge's
/// base URL (`reviews/acme/how?locale=en`, `v1/photos/{id}`): the loader
/// resolves them against the URL it was loaded from, the edge's own or a
/// path of the shop's that passes requests on to the edge (a proxy or CDN;
/// the edge cannot tell which, so an absolute URL of its own would be
/// refused there and cost that shop its first paint). One render then
/// serves every origin.
pub fn first_view(payload: WidgetPayload, brand: &BrandId, product: Option<&ProductId>, locale: &'static str) -> String {
    let config = kindred_widget::Config { edge: String::new(), brand: brand.to_string(), product: product.map(ToString::to_string), lang: None };
    kindred_widget::first_paint_html(payload, config, i18n(locale))
}
