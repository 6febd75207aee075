//! kindred-widget: the shopper-facing Leptos app.
//!
//! `embed.js` (the loader) creates a shadow root, fetches the first-paint
//! payload while this wasm downloads, then calls [`mount`] once per widget on
//! the page; every widget shares this one wasm instance.

mod components;

pub use components::App;
use kindred_core::widget::WidgetPayload;
use wasm_bindgen::prelude::*;

/// Mounts one widget into `target` (an element inside the loader's shadow
/// root) from the first-paint JSON the loader fetched. An error here makes the
/// loader collapse the slot quietly; nothing is thrown into the host page.
#[wasm_bindgen]
pub fn mount(target: web_sys::HtmlElement, payload_json: &str) -> Result<(), JsError> {
    let payload: WidgetPayload = serde_json::from_str(payload_json)
        .map_err(|e| JsError::new(&format!("kindred: unexpected widget payload: {e}")))?;
    mount_payload(target, payload);
    Ok(())
}

/// Mounts a widget from an already-decoded payload (used by tests too).
pub fn mount_payload(target: web_sys::HtmlElement, payload: WidgetPayload) {
    leptos::mount::mount_to(target, move || leptos::prelude::view! { <App payload /> }).forget();
}
