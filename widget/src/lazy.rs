//! What the first paint does not need, loaded when a shopper asks for it.
//!
//! The review form, the referral panel, the
//! community, a referred friend's offer and the shopper's data live in
//! separate wasm chunks (built with the `split` feature: xtask runs
//! wasm-split on the cargo output, then wasm-bindgen and wasm-opt on every
//! part). A shopper who only reads the first view downloads none of them.
//! Each chunk shares the main module's memory and reactive runtime, so its
//! views take signals and stored values from the app directly.
//!
//! Without the `split` feature (component tests, `cargo check`) the same
//! functions run in place and nothing is fetched.
//!
//! A chunk that fails to load (offline, a deploy replaced the files) is an
//! error shown next to the button that asked for it, never a panic: a panic
//! would abort the whole module and take every widget on the page with it.
//! A part nobody asked for by a button (a friend's offer) does
//! not show, as when its data cannot be read; the chunk loader's warning is
//! in the console.

// The split-point macro declares each chunk's loader as an `extern` import
// and its entry as an `extern "C"` export; that is the only unsafe code in
// the widget, and it is generated.
#![allow(unsafe_code)]

use crate::api::Config;
use kindred_core::widget::{ReferralPublic, TestimonialView};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// A chunk could not be fetched or instantiated.
#[derive(Debug)]
pub struct ChunkError;

#[cfg(all(feature = "split", not(feature = "server")))]
impl From<leptos::wasm_split::SplitLoaderError> for ChunkError {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ChunkError
    }
}

/// Declares a function whose body goes into the named chunk.
macro_rules! chunk_fn {
    ($(#[$m:meta])* $chunk:ident fn $name:ident($($arg:ident: $ty:ty),* $(,)?) $body:block) => {
        $(#[$m])*
        #[cfg(all(feature = "split", not(feature = "server")))]
        #[leptos::wasm_split::wasm_split($chunk, fallible, wasm_split_path = ::leptos::wasm_split)]
        pub fn $name($($arg: $ty),*) -> Result<AnyView, ChunkError> $body

        $(#[$m])*
        #[cfg(not(any(feature = "split", feature = "server")))]
        pub async fn $name($($arg: $ty),*) -> Result<AnyView, ChunkError> $body

        // On the edge only the teasers render: the parts' code stays out of
        // the worker.
        $(#[$m])*
        #[cfg(feature = "server")]
        pub async fn $name($($arg: $ty),*) -> Result<AnyView, ChunkError> {
            let _ = ($($arg,)*);
            Err(ChunkError)
        }
    };
}

chunk_fn! {
    /// The review form, opened.
    form fn testimonial_form(
        cfg: StoredValue<Config>,
        items: RwSignal<Vec<TestimonialView>>,
        known_tags: StoredValue<Vec<String>>,
        review_incentive: StoredValue<Option<String>>,
        referral: StoredValue<Option<ReferralPublic>>,
        community: bool,
    ) {
        Ok(kview! { <crate::form::TestimonialForm cfg items known_tags review_incentive referral community /> }.into_any())
    }
}

chunk_fn! {
    /// The shopper's own review, editable (in the form's chunk).
    form fn edit_form(
        cfg: StoredValue<Config>,
        id: String,
        rating: RwSignal<u8>,
        body: RwSignal<String>,
        edited: RwSignal<bool>,
    ) {
        Ok(kview! { <crate::form::EditForm cfg id rating body edited /> }.into_any())
    }
}

chunk_fn! {
    /// The referrer's panel: join form, or link, sharing and stats.
    referral fn referral_panel(
        cfg: StoredValue<Config>,
        brand_name: String,
        pitch: String,
        program: ReferralPublic,
        start_open: Signal<bool>,
    ) {
        Ok(kview! { <crate::referral::ReferralPanel cfg brand_name pitch program start_open /> }.into_any())
    }
}

chunk_fn! {
    /// What is offered right after a review is sent: the referral link and
    /// the group that fits the review (in the referral chunk: the form's
    /// own chunk stays as small as it was).
    referral fn after_review(cfg: StoredValue<Config>, program: Option<ReferralPublic>, community: bool, name: String, email: String, tags: Vec<String>) {
        let group_name = name.clone();
        Ok(kview! {
            {program.map(|program| kview! { <crate::referral::ReferAfterReview cfg program name email /> })}
            {community.then(|| kview! { <crate::community::GroupAfterReview cfg name=group_name tags /> })}
        }.into_any())
    }
}

chunk_fn! {
    /// "Ana gave you 15% off": only for a friend who arrived through a link.
    offer fn friend_offer(cfg: StoredValue<Config>, code: String) {
        Ok(kview! { <crate::referral::FriendOffer cfg code /> }.into_any())
    }
}

chunk_fn! {
    /// Groups, threads and replies.
    community fn community(cfg: StoredValue<Config>, start_open: Signal<bool>) {
        Ok(kview! { <crate::community::Community cfg start_open /> }.into_any())
    }
}

chunk_fn! {
    /// "Your data": what is held for this shopper, its download and erasure.
    data fn your_data(cfg: StoredValue<Config>, items: RwSignal<Vec<TestimonialView>>) {
        Ok(kview! { <crate::privacy::YourData cfg items /> }.into_any())
    }
}

/// Where a deferred part of the widget is.
#[derive(Clone, Copy, PartialEq)]
enum Phase {
    Teaser,
    Loading,
    Failed,
    Ready,
}

type Teaser = Box<dyn Fn(Callback<bool>, Signal<bool>, Signal<bool>) -> AnyView + Send + Sync>;
type ChunkFuture = std::pin::Pin<Box<dyn std::future::Future<Output = Result<AnyView, ChunkError>>>>;
type Loader = Box<dyn Fn(Signal<bool>) -> ChunkFuture + Send + Sync>;

/// Shows `teaser` (plain markup from the main module, the same size as the
/// real thing's closed state) until `open` is called, then the chunk's view.
/// `teaser` gets the loader and whether a load is under way; `load` starts
/// the chunk's download (a second call while one runs does nothing) and
/// gets whether the shopper asked to open the part: a signal, read when the
/// chunk's view is built, so a tap on the teaser while the part loads by
/// itself (`auto`: a member's community, a returning referrer's panel)
/// opens it when it comes instead of being lost.
/// `focus` says what takes the focus when the shopper opened the part with
/// the teaser's button and that button, focused till then, goes with the
/// teaser (WCAG 2.4.3: a keyboard user is not dropped at the top of the
/// page): `(scope, target)`, the first `target` in the button's closest
/// `scope` (an ancestor both views share: the card, the footer); `("", "")`
/// for a part that moves the focus itself (the review form) or that no
/// button opens.
pub fn deferred<T, F, Fut>(auto: Signal<bool>, teaser: T, load: F, focus: (&'static str, &'static str)) -> AnyView
where
    T: Fn(Callback<bool>, Signal<bool>, Signal<bool>) -> AnyView + Send + Sync + 'static,
    F: Fn(Signal<bool>) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<AnyView, ChunkError>> + 'static,
{
    // Boxed here so the machinery below exists once in the wasm, not once
    // per call site.
    deferred_dyn(auto, false, Box::new(teaser), Box::new(move |opened| Box::pin(load(opened)) as ChunkFuture), focus)
}

/// [`deferred`] for a part the shopper came to the page for, by a link
/// (a review link's form): it loads at once, as asked by the shopper, so a
/// failure to load is said beside its button (a part that loads by itself
/// otherwise fails quietly: helper-99), where a tap tries again.
pub fn deferred_asked<T, F, Fut>(teaser: T, load: F) -> AnyView
where
    T: Fn(Callback<bool>, Signal<bool>, Signal<bool>) -> AnyView + Send + Sync + 'static,
    F: Fn(Signal<bool>) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<AnyView, ChunkError>> + 'static,
{
    deferred_dyn(Signal::stored(true), true, Box::new(teaser), Box::new(move |opened| Box::pin(load(opened)) as ChunkFuture), ("", ""))
}

/// The widget's shadow root and the element in it that has the focus, if
/// the focus is in a widget.
#[cfg(not(feature = "server"))]
fn focused() -> Option<(web_sys::ShadowRoot, web_sys::Element)> {
    let root = web_sys::window()?.document()?.active_element()?.shadow_root()?;
    let el = root.active_element()?;
    Some((root, el))
}

#[cfg_attr(feature = "server", allow(unused_variables))]
fn deferred_dyn(auto: Signal<bool>, asked_at_once: bool, teaser: Teaser, load: Loader, focus: (&'static str, &'static str)) -> AnyView {
    let phase = RwSignal::new(Phase::Teaser);
    let slot = StoredValue::new_local(None::<AnyView>);
    let load = StoredValue::new(load);
    // The chunk's view is built in a task started by a click, where no
    // reactive owner is current: run it under the widget's, so it finds the
    // widget's context (its I18n) and is cleaned up with it. Held weakly:
    // a strong owner stored in a value the owner itself holds is a cycle
    // that would keep the whole widget alive after it is unmounted (and, on
    // the edge, every rendered first view).
    let owner = StoredValue::new(Owner::current().map(|o| o.downgrade()));
    // The shopper asked to open it (by the teaser's button), and the button
    // they did it with (a click or a key focuses it): both may come while a
    // load started by `auto` runs.
    let asked = RwSignal::new(asked_at_once);
    let asked_signal: Signal<bool> = asked.into();
    #[cfg(not(feature = "server"))]
    let opener = StoredValue::new_local(None::<(web_sys::ShadowRoot, web_sys::Element)>);
    let start = move |opened: bool| {
        if opened {
            asked.set(true);
            #[cfg(not(feature = "server"))]
            opener.set_value(focused());
        }
        if matches!(phase.get_untracked(), Phase::Loading | Phase::Ready) {
            return;
        }
        phase.set(Phase::Loading);
        let run = move || {
            let chunk = load.with_value(|f| f(asked_signal));
            spawn_local(leptos::reactive::computed::ScopedFuture::new_untracked(async move {
                match chunk.await {
                    Ok(v) => {
                        slot.set_value(Some(v));
                        phase.set(Phase::Ready);
                        // Still on that button, which the swap removes: the
                        // focus goes to the part, unless it went elsewhere.
                        #[cfg(not(feature = "server"))]
                        if let Some((root, button)) = opener.try_get_value().flatten().filter(|(root, button)| root.active_element().as_ref() == Some(button)) {
                            let scope = button.closest(focus.0).ok().flatten();
                            request_animation_frame(move || {
                                if !button.is_connected() && root.active_element().is_none() {
                                    if let Some(el) = scope.and_then(|s| s.query_selector(focus.1).ok().flatten()) {
                                        let _ = wasm_bindgen::JsCast::unchecked_ref::<web_sys::HtmlElement>(&el).focus();
                                    }
                                }
                            });
                        }
                    }
                    Err(ChunkError) => phase.set(Phase::Failed),
                }
            }));
        };
        match owner.get_value().map(|w| w.upgrade()) {
            Some(Some(o)) => o.with(run),
            // The widget is gone: nothing to load into.
            Some(None) => {}
            None => run(),
        }
    };
    // Loads by itself once `auto` holds (e.g. a returning referrer's panel,
    // once the first view is open: it would not fit the fixed height). Not
    // on the edge: there nothing loads, only the teaser renders.
    #[cfg(not(feature = "server"))]
    Effect::new(move |_| {
        if auto.get() {
            start(false);
        }
    });
    let open = Callback::new(start);
    let busy = Signal::derive(move || phase.get() == Phase::Loading);
    // Said only to a shopper who asked for the part (helper-99: a part
    // that failed to load by itself alerted one who never touched it).
    let failed = Signal::derive(move || phase.get() == Phase::Failed && asked.get());
    // Only the switch to the chunk redraws: the teaser (and the focus on its
    // button) stays while the chunk loads.
    let ready = Memo::new(move |_| phase.get() == Phase::Ready);
    (move || {
        if ready.get() {
            slot.try_update_value(Option::take).flatten().unwrap_or_else(|| ().into_any())
        } else {
            teaser(open, busy, failed)
        }
    })
    .into_any()
}

/// How long after a part comes, opened by the tap that asked for it, a
/// pointer tap on the control that took its teaser's button's place is
/// the shopper's second tap at that button (ms): the usual double-click
/// interval (500 ms, Windows' default).
pub const DOUBLE_TAP_MS: f64 = 500.0;

/// When a part that the shopper's tap opened came ([`DOUBLE_TAP_MS`]): a
/// part that took a moment to load got a second, impatient tap, which
/// landed on the part's own toggle in the button's place and closed what
/// the first had opened (helper-99, the community).
#[derive(Clone, Copy)]
pub struct Arrival(Option<f64>);

impl Arrival {
    /// Now, if `asked` (the part opens on the shopper's tap); built with
    /// the part's view, as it comes.
    pub fn now(asked: bool) -> Self {
        Self(asked.then(js_sys::Date::now))
    }

    /// Whether `ev`, a click on the part's control in the teaser's
    /// button's place, is that second tap: from a pointer (a key's click
    /// has `detail` 0: a keyboard user reads where the focus went), within
    /// [`DOUBLE_TAP_MS`] of the part's coming.
    pub fn echoes(self, ev: &web_sys::MouseEvent) -> bool {
        self.0.is_some_and(|at| ev.detail() > 0 && js_sys::Date::now() - at < DOUBLE_TAP_MS)
    }
}

/// The line shown under a teaser whose chunk did not load.
pub fn load_error(failed: Signal<bool>) -> impl IntoView {
    let i = crate::i18n::use_i18n();
    move || failed.get().then(|| kview! { <p class="kr-err kr-load-err" role="alert">{i.t("error-part")}</p> })
}
