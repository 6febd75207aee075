//! The widget's first view as HTML, rendered on the edge by the widget's own
//! Leptos components (`kindred_widget::first_paint_html`): one source for the
//! markup the loader shows before the wasm and the live widget's.
//!
//! The UI's words come from compiled catalogues (the widget's
//! `widget/i18n/*.ftl` and the edge pages' `edge/i18n/*.ftl`, one per
//! locale) that `cargo xtask build` writes among the static assets
//! (`kindred_core::assets::catalogue_path`); this isolate reads each
//! through the `ASSETS` binding when it first needs it. Numbers and plurals
//! come from workerd's `Intl`, as in the browser.

use crate::errors::{EdgeError, EdgeResult};
use kindred_core::widget::WidgetPayload;
use kindred_core::{BrandId, ProductId};
use kindred_widget::i18n::I18n;
use std::cell::RefCell;
use worker::Env;

thread_local! {
    /// Each locale's catalogue, registered once per isolate.
    static REGISTERED: RefCell<Vec<(&'static str, I18n)>> = const { RefCell::new(Vec::new()) };
}

/// The locale Kindred renders for a `locale` query value: one it ships,
/// as the loader picks it (`kindred_core::i18n::locale`: `pt-BR` is `pt`,
/// `iw` is `he`, `prs` is `fa`); `None` for any other value.
pub fn locale(wanted: &str) -> Option<&'static str> {
    kindred_core::i18n::locale(wanted)
}

/// The handle of `locale`'s catalogue (the widget's messages and the edge's
/// pages'), read from the static assets and registered on first use in
/// this isolate.
///
/// # Errors
/// The `ASSETS` binding missing or failing (`internal`, `unavailable`),
/// or the deployment without the file or with one that is not a catalogue
/// (`unavailable`): a build's fault, never the request's.
pub async fn i18n(env: &Env, locale: &'static str) -> EdgeResult<I18n> {
    let registered = || REGISTERED.with(|r| r.borrow().iter().find(|(l, _)| *l == locale).map(|(_, h)| *h));
    if let Some(found) = registered() {
        return Ok(found);
    }
    const WHAT: &str = "message catalogue";
    let path = kindred_core::assets::catalogue_path(locale);
    let mut r = crate::store::archive::static_file(env, &path, WHAT).await?.ok_or_else(|| EdgeError::store(WHAT, format!("{path} is not among the static assets")))?;
    let text = r.text().await.map_err(|e| EdgeError::store(WHAT, e))?;
    let json = js_sys::JSON::parse(&text).map_err(|_| EdgeError::store(WHAT, format!("{path} is not JSON")))?;
    // Another request of this isolate may have read it meanwhile.
    if let Some(found) = registered() {
        return Ok(found);
    }
    let field = |name: &str| js_sys::Reflect::get(&json, &name.into()).unwrap_or(wasm_bindgen::JsValue::UNDEFINED);
    if field("locale").as_string().as_deref() != Some(locale) || !field("messages").is_object() {
        return Err(EdgeError::store(WHAT, format!("{path} is not {locale}'s catalogue")));
    }
    let handle = I18n::register(&json);
    REGISTERED.with(|r| r.borrow_mut().push((locale, handle)));
    Ok(handle)
}

/// The first view of `brand`'s widget (on `product`'s page, if given) for
/// `payload`, in `i18n`'s locale. Its links and photos are relative to the edge's
/// base URL (`reviews/acme/how?locale=en`, `v1/photos/{id}`): the loader
/// resolves them against the URL it was loaded from, the edge's own or a
/// path of the shop's that passes requests on to the edge (a proxy or CDN;
/// the edge cannot tell which, so an absolute URL of its own would be
/// refused there and cost that shop its first paint). One render then
/// serves every origin.
pub fn first_view(payload: WidgetPayload, brand: &BrandId, product: Option<&ProductId>, i18n: I18n) -> String {
    let config = kindred_widget::Config { edge: String::new(), brand: brand.to_string(), product: product.map(ToString::to_string), lang: None };
    kindred_widget::first_paint_html(payload, config, i18n)
}
