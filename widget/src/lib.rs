//! kindred-widget: the shopper-facing Leptos app.
//!
//! `embed.js` (the loader) creates a shadow root, fetches the first-paint
//! payload while this wasm downloads, then calls [`mount`] once per widget on
//! the page; every widget shares this one wasm instance.
//!
//! With the `server` feature (the edge's build) only the first view is
//! used ([`first_paint_html`]): the rest of the widget is compiled but
//! unreachable there, so its dead-code warnings are off in that build.
#![cfg_attr(feature = "server", allow(dead_code, unused_imports))]

/// `view!` with one global class, `k`, on every element. With a global
/// class Leptos never builds a static subtree from an HTML string (its
/// `InertElement` sets a `<template>`'s `innerHTML`), which a page that
/// enforces Trusted Types (`require-trusted-types-for 'script'`) refuses:
/// every element is created with `createElement`. The loader's first paint
/// adds the same class, so both render the same markup. Use it for every
/// view in the widget.
macro_rules! kview {
    ($($t:tt)*) => { ::leptos::prelude::view! { class = "k", $($t)* } };
}

/// Where the keyboard focus was when the shopper acted: the control they
/// pressed, inside a widget's shadow root (or the page's element, or
/// none). Taken when a handler starts ([`Focus::here`]), before any
/// request, and used once its answer is drawn ([`Focus::later`],
/// [`Focus::later_in`]).
#[derive(Clone, Debug, Default)]
pub(crate) struct Focus(Option<web_sys::Element>);

/// The element that has the keyboard focus, inside a shadow root if the
/// document's focus is a shadow host; `None` when it is nobody's (the
/// page's body, after the focused element left the document).
fn focused() -> Option<web_sys::Element> {
    let doc = web_sys::window()?.document()?;
    let active = doc.active_element()?;
    if doc.body().is_some_and(|b| active == *b.as_ref()) {
        return None;
    }
    Some(active.shadow_root().and_then(|r| r.active_element()).unwrap_or(active))
}

impl Focus {
    /// Where the focus is now.
    pub(crate) fn here() -> Self {
        Focus(focused())
    }

    /// Moves the focus, once the frame that draws it has run, to `node`'s
    /// element, through [`take_focus`]. For the moment the control that
    /// had the focus leaves with its screen (a sent form's button, a
    /// closed form's Cancel, "Join"), or a question or a refused field
    /// wants it: the focus would fall to the host page's body, and a
    /// keyboard or screen-reader shopper to the top of someone else's
    /// page (helper-83, helper-89). Nothing happens if the element is not
    /// drawn.
    pub(crate) fn later<E>(self, node: leptos::prelude::NodeRef<E>)
    where
        E: leptos::html::ElementType,
        E::Output: JsCast + Clone + 'static,
    {
        self.next_frame(node, None::<&str>, true);
    }

    /// [`Focus::later`] without scrolling the element into sight: for a
    /// list that grew above the control that had the focus, on a screen
    /// the shopper may have scrolled away from meanwhile (helper-95: the
    /// last page of earlier replies pulled a phone shopper 6,000 px back
    /// up the page).
    pub(crate) fn later_in_place<E>(self, node: leptos::prelude::NodeRef<E>)
    where
        E: leptos::html::ElementType,
        E::Output: JsCast + Clone + 'static,
    {
        self.next_frame(node, None::<&str>, false);
    }

    /// [`Focus::later`] to the first element `selector` finds inside
    /// `node` (a message takes focus with `tabindex="-1"`).
    pub(crate) fn later_in<E>(self, node: leptos::prelude::NodeRef<E>, selector: impl AsRef<str> + 'static)
    where
        E: leptos::html::ElementType,
        E::Output: JsCast + Clone + 'static,
    {
        self.next_frame(node, Some(selector), true);
    }

    fn next_frame<E, S>(self, node: leptos::prelude::NodeRef<E>, selector: Option<S>, scroll: bool)
    where
        E: leptos::html::ElementType,
        E::Output: JsCast + Clone + 'static,
        S: AsRef<str> + 'static,
    {
        use leptos::prelude::{request_animation_frame, GetUntracked};
        request_animation_frame(move || {
            let Some(el) = node.get_untracked() else { return };
            let el: &web_sys::Element = el.unchecked_ref();
            let target = match &selector {
                None => Some(el.clone()),
                Some(s) => el.query_selector(s.as_ref()).ok().flatten(),
            };
            if let Some(t) = target.and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
                take_focus(&t, &self, scroll);
            }
        });
    }
}

/// Focuses `el` (in a widget's shadow root) if the focus is nobody's (the
/// control that had it left with its screen), or still where it was when
/// the shopper acted (`origin`) and that was in the same widget: never
/// from the host page, where the shopper may be typing while an answer
/// comes (helper-90: the thanks took the page's search box's keystrokes),
/// nor from another of the widget's controls they went on to (helper-92:
/// a reaction's answer took the reply box's typing, and each space
/// pressed the reaction again). Focusing scrolls it into sight, unless
/// `scroll` is false.
pub(crate) fn take_focus(el: &web_sys::HtmlElement, origin: &Focus, scroll: bool) {
    let now = focused();
    let same_root = |o: &web_sys::Element| o.get_root_node() == el.get_root_node();
    let ours = match (&now, &origin.0) {
        (None, _) => true,
        (Some(n), Some(o)) => n == o && same_root(o),
        (Some(_), None) => false,
    };
    if ours {
        if scroll {
            let _ = el.focus();
        } else {
            let options = web_sys::FocusOptions::new();
            options.set_prevent_scroll(true);
            let _ = el.focus_with_options(&options);
        }
    }
}

/// [`Focus::later`] from where the focus is now: for a handler that moves
/// it at once (a question that opens, a Cancel).
pub(crate) fn focus_later<E>(node: leptos::prelude::NodeRef<E>)
where
    E: leptos::html::ElementType,
    E::Output: JsCast + Clone + 'static,
{
    Focus::here().later(node);
}

/// [`Focus::later_in`] from where the focus is now.
pub(crate) fn focus_later_in<E>(node: leptos::prelude::NodeRef<E>, selector: impl AsRef<str> + 'static)
where
    E: leptos::html::ElementType,
    E::Output: JsCast + Clone + 'static,
{
    Focus::here().later_in(node, selector);
}

/// An ARIA state attribute (`aria-busy`, `aria-pressed`, `aria-expanded`,
/// `aria-invalid`) that follows `on`: always present, `"true"` or
/// `"false"` (WAI-ARIA 1.2 reads an absent `aria-pressed` or
/// `aria-expanded` as "not a toggle", not as off). Every reactive one in
/// the widget's views goes through here, so they cannot drift apart (a
/// `bool`'s `to_string` here, a hand-written `if` there).
pub(crate) fn aria(on: leptos::prelude::Signal<bool>) -> impl Fn() -> &'static str + Clone + Send + Sync + 'static {
    use leptos::prelude::Get;
    move || if on.get() { "true" } else { "false" }
}

mod api;
mod community;
mod components;
mod form;
pub mod i18n;
pub mod json;
mod lazy;
mod member;
mod privacy;
mod referral;

pub use api::Config;
pub use components::App;
use kindred_core::widget::WidgetPayload;
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::prelude::*;

thread_local! {
    /// The brand-signed identity token for this page (from `data-identity`
    /// or `Kindred('identify', token)`), sent with submissions.
    static IDENTITY: RefCell<Option<String>> = const { RefCell::new(None) };
    /// The widgets mounted on this page, by the id [`mount`] answered;
    /// dropping a handle unmounts its widget (its effects, timers and polls
    /// are cleaned up with it).
    static MOUNTED: RefCell<(u32, HashMap<u32, Box<dyn std::any::Any>>)> = RefCell::new((0, HashMap::new()));
}

/// Sets the shopper's brand-signed identity token for every widget on the page.
#[cfg_attr(not(feature = "server"), wasm_bindgen)]
pub fn identify(token: Option<String>) {
    IDENTITY.with(|i| *i.borrow_mut() = token.filter(|t| !t.is_empty()));
}

pub(crate) fn identity() -> Option<String> {
    IDENTITY.with(|i| i.borrow().clone())
}

/// A single-use token the shopper arrived with on the page's URL
/// (`param=` in its query): a purchase-linked review link's
/// (`kindred_review`, `kindred_core::review_request`: the form opens at
/// once and sends it, for "Verified purchase"), or an emailed referral
/// link's (`kindred_link`, `kindred_core::referral::LINK_PARAM`: the
/// referral panel opens with it). None once spent in this tab (used, or
/// refused: see [`spend_token`]), so a reload, or a second review from the
/// same URL, goes without it.
pub(crate) fn url_token(param: &str) -> Option<String> {
    let window = web_sys::window()?;
    let search = window.location().search().ok()?;
    let token = search
        .trim_start_matches('?')
        .split('&')
        .find_map(|kv| kv.strip_prefix(param)?.strip_prefix('='))
        .filter(|t| !t.is_empty() && t.len() <= 80 && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.'))?;
    let spent = window.session_storage().ok().flatten().and_then(|s| s.get_item(&spent_key(param)).ok().flatten());
    (spent.as_deref() != Some(token)).then(|| token.to_owned())
}

/// Where a spent token of `param` is remembered for the tab (sessionStorage).
fn spent_key(param: &str) -> String {
    format!("{param}.spent")
}

/// The token of `param` has done its work or was refused (used, expired,
/// opted out): later requests go without it.
pub(crate) fn spend_token(param: &str) {
    if let (Some(token), Some(storage)) = (url_token(param), web_sys::window().and_then(|w| w.session_storage().ok().flatten())) {
        let _ = storage.set_item(&spent_key(param), &token);
    }
}

/// The emailed referral link's token (`?kindred_link=`, [`url_token`]), if
/// it has a token's shape (anything else gets no button).
pub(crate) fn link_token() -> Option<String> {
    url_token(kindred_core::referral::LINK_PARAM).filter(|t| kindred_core::review_request::is_token(t))
}

/// The review link's token ([`url_token`]).
pub(crate) fn review_token() -> Option<String> {
    url_token(kindred_core::review_request::QUERY_PARAM)
}

/// Mounts one widget into `target` (an element inside the loader's shadow
/// root) from the first-paint JSON the loader fetched and the widget's
/// config (`{"edge": "https://edge/", "brand": "acme", "product": "sku",
/// "i18n": {"locale": "ar", "dir": "rtl", "messages": {…}}}`, the catalogue
/// as `kindred_core::i18n::compile` writes it), and answers its id for
/// [`unmount`]. An error here makes the loader
/// collapse the slot quietly; nothing is thrown into the host page.
///
/// With `ready`, the first render is staged over a few short tasks (see
/// [`App`]'s `ready`) and `ready` is called when it is complete;
/// without, everything renders before this returns.
#[cfg_attr(not(feature = "server"), wasm_bindgen)]
pub fn mount(target: web_sys::HtmlElement, payload_json: &str, config_json: &str, ready: Option<js_sys::Function>) -> Result<u32, JsError> {
    let payload: WidgetPayload = json::parse(payload_json)
        .map_err(|e| JsError::new(&format!("kindred: unexpected widget payload: {e}")))?;
    let raw = js_sys::JSON::parse(config_json).map_err(|_| JsError::new("kindred: bad widget config: not JSON"))?;
    let config: Config = json::FromJs::from_js(&raw).map_err(|e| JsError::new(&format!("kindred: bad widget config: {e}")))?;
    let i18n = i18n::I18n::register(&js_sys::Reflect::get(&raw, &"i18n".into()).unwrap_or(JsValue::UNDEFINED));
    let handle = leptos::mount::mount_to(target, move || leptos::prelude::view! { <App payload config ready i18n /> });
    Ok(MOUNTED.with(|m| {
        let (next, handles) = &mut *m.borrow_mut();
        *next += 1;
        handles.insert(*next, Box::new(handle));
        *next
    }))
}

/// Unmounts the widget [`mount`] answered `id` for: its reactive owner is
/// disposed (effects, `on_cleanup`: the community poll's interval), its
/// nodes removed. An unknown id does nothing.
#[cfg_attr(not(feature = "server"), wasm_bindgen)]
pub fn unmount(id: u32) {
    let handle = MOUNTED.with(|m| m.borrow_mut().1.remove(&id));
    drop(handle);
}

/// Mounts a widget from decoded data in the locale of `i18n` (used by tests
/// too).
pub fn mount_payload(target: web_sys::HtmlElement, payload: WidgetPayload, config: Config, i18n: i18n::I18n) {
    leptos::mount::mount_to(target, move || leptos::prelude::view! { <App payload config i18n /> }).forget();
}

/// The first view of a widget as HTML: [`App`] rendered by Leptos on the
/// edge (`kindred-edge`, feature `server`), the markup the loader shows
/// before the wasm arrives and that the live widget, mounted from the same
/// payload and the same components, replaces without a visible change.
///
/// What depends on the shopper's browser is rendered as for a first visit
/// (no helpful votes yet, no community membership, no referral arrival);
/// the loader marks the shopper's own votes, and writes again with the
/// browser's `Intl` each `<time datetime>` whose relative text no longer
/// reads the same as when this was rendered (`WidgetPayload::markup_at`;
/// an answer may be served from a cache). Text is escaped by Leptos; the loader
/// builds the DOM from an allowlist (tags, attributes) and refuses the rest.
pub fn first_paint_html(payload: WidgetPayload, config: Config, i18n: i18n::I18n) -> String {
    use leptos::prelude::*;
    // A component that spawns a task must not abort the worker: tasks go to
    // the worker's own event loop (the first view's components spawn none).
    #[cfg(feature = "server")]
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let owner = Owner::new();
    let html = owner.with(|| view! { <App payload config i18n /> }.to_html());
    // Disposes everything the render made (signals, stored values, the
    // first page's data): an isolate renders many of these.
    owner.cleanup();
    drop(owner);
    html
}
