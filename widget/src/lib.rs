//! kindred-widget: the shopper-facing Leptos app.
//!
//! `embed.js` (the loader) creates a shadow root, fetches the first-paint
//! payload while this wasm downloads, then calls [`mount`] once per widget on
//! the page; every widget shares this one wasm instance.

mod api;
mod community;
mod components;
mod form;
pub mod json;
mod lazy;
mod member;
mod referral;

pub use api::Config;
pub use components::App;
use kindred_core::widget::WidgetPayload;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

thread_local! {
    /// The brand-signed identity token for this page (from `data-identity`
    /// or `Kindred('identify', token)`), sent with submissions.
    static IDENTITY: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Sets the shopper's brand-signed identity token for every widget on the page.
#[wasm_bindgen]
pub fn identify(token: Option<String>) {
    IDENTITY.with(|i| *i.borrow_mut() = token.filter(|t| !t.is_empty()));
}

pub(crate) fn identity() -> Option<String> {
    IDENTITY.with(|i| i.borrow().clone())
}

/// Mounts one widget into `target` (an element inside the loader's shadow
/// root) from the first-paint JSON the loader fetched and the widget's
/// config (`{"edge": "https://edge/", "brand": "acme", "product": "sku"}`).
/// An error here makes the loader collapse the slot quietly; nothing is
/// thrown into the host page.
///
/// With `ready`, the first render is staged over a few short tasks (see
/// [`App`]'s `ready`) and `ready` is called when it is complete;
/// without, everything renders before this returns.
#[wasm_bindgen]
pub fn mount(target: web_sys::HtmlElement, payload_json: &str, config_json: &str, ready: Option<js_sys::Function>) -> Result<(), JsError> {
    let payload: WidgetPayload = json::parse(payload_json)
        .map_err(|e| JsError::new(&format!("kindred: unexpected widget payload: {e}")))?;
    let config: Config = json::parse(config_json)
        .map_err(|e| JsError::new(&format!("kindred: bad widget config: {e}")))?;
    leptos::mount::mount_to(target, move || leptos::prelude::view! { <App payload config ready /> }).forget();
    Ok(())
}

/// Mounts a widget from decoded data (used by tests too).
pub fn mount_payload(target: web_sys::HtmlElement, payload: WidgetPayload, config: Config) {
    leptos::mount::mount_to(target, move || leptos::prelude::view! { <App payload config /> }).forget();
}
