//! "Your data" in the widget (`kindred_core::privacy` has the rules): what
//! the brand holds through Kindred for this browser's member token (and the
//! signed-in identity, when the page passed one), a download of all of it
//! as JSON (GDPR Art. 15 and 20), and erasure after a confirmation
//! (Art. 17). After an erasure this browser forgets its own records too
//! (token, own reviews, votes, consents, memberships), so nothing links the
//! next visit to the last.

use crate::api::{self, Config};
use crate::i18n::use_i18n;
use crate::member;
use kindred_core::widget::TestimonialView;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::de::IgnoredAny;
use serde::Deserialize;
use wasm_bindgen::{JsCast, JsValue};

/// How many of each thing is held (the answer read for its lengths only).
#[derive(Deserialize, Clone, Default)]
struct Counts {
    /// The brand's policy: `delete` or `anonymise` (what the question says).
    erasure: String,
    testimonials: Vec<IgnoredAny>,
    helpful_votes: Vec<IgnoredAny>,
    referrers: Vec<IgnoredAny>,
    claims: Vec<IgnoredAny>,
    memberships: Vec<IgnoredAny>,
    threads: Vec<IgnoredAny>,
    replies: Vec<IgnoredAny>,
    reactions: Vec<IgnoredAny>,
    reports: Vec<IgnoredAny>,
    invites: Vec<IgnoredAny>,
    orders: Vec<IgnoredAny>,
    /// The brand's decisions about them (a block, removals from groups),
    /// kept after an erasure (`kindred_core::privacy`, GDPR Art. 17(3)(e)).
    restrictions: Vec<IgnoredAny>,
}

impl Counts {
    /// `(message id, count)` of what is held, in the order shown.
    fn lines(&self) -> Vec<(&'static str, usize)> {
        [
            ("data-testimonials", self.testimonials.len()),
            ("data-votes", self.helpful_votes.len()),
            ("data-referral", self.referrers.len()),
            ("data-claims", self.claims.len()),
            ("data-groups", self.memberships.len()),
            ("data-invites", self.invites.len()),
            ("data-posts", self.threads.len() + self.replies.len()),
            ("data-reactions", self.reactions.len() + self.reports.len()),
            ("data-orders", self.orders.len()),
            // Kept by an erasure (the line says so); the erasure is still
            // offered with it alone: it drops what links their browsers to
            // them, which this view does not count.
            ("data-restrictions", self.restrictions.len()),
        ]
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .collect()
    }
}

#[derive(Clone)]
enum State {
    Loading,
    Failed(String),
    /// The answer's text (for the download), what is held, and whether an
    /// erasure keeps the words anonymised.
    Ready(std::rc::Rc<str>, Vec<(&'static str, usize)>, bool),
    Erased,
}

/// The panel: counts, "Download (JSON)", "Delete my data" with a confirmation.
#[component]
pub fn YourData(cfg: StoredValue<Config>, items: RwSignal<Vec<TestimonialView>>) -> impl IntoView {
    let i = use_i18n();
    let state = RwSignal::new_local(State::Loading);
    let confirming = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let question = NodeRef::<leptos::html::P>::new();
    let delete_button = NodeRef::<leptos::html::Button>::new();
    let done = NodeRef::<leptos::html::P>::new();

    spawn_local(async move {
        state.set(match api::my_data(&cfg.get_value(), &member::token()).await {
            Ok(text) => match serde_json::from_str::<Counts>(&text) {
                Ok(c) => State::Ready(text.into(), c.lines(), c.erasure == "anonymise"),
                Err(_) => State::Failed(i.t("error-generic")),
            },
            Err(e) => State::Failed(api::error_text(i, &e)),
        });
    });

    let erase = move |_| {
        busy.set(true);
        problem.set(None);
        let origin = crate::Focus::here();
        spawn_local(async move {
            match api::erase_my_data(&cfg.get_value(), &member::token()).await {
                Ok(()) => {
                    // Their cards leave this view now; the next load agrees.
                    items.update(|v| v.retain(|t| !member::is_own(&t.id)));
                    member::forget_all();
                    confirming.set(false);
                    state.set(State::Erased);
                    origin.later(done);
                }
                Err(e) => problem.set(Some(api::error_text(i, &e))),
            }
            busy.set(false);
        });
    };
    // The question takes the focus (not "Yes": a second Enter must not
    // erase), so a screen reader reads it; Cancel gives it back.
    let ask = move |_| {
        confirming.set(true);
        crate::focus_later(question);
    };
    let cancel = move |_| {
        confirming.set(false);
        crate::focus_later(delete_button);
    };

    kview! {
        <section class="kr-data" aria-label=i.t("data-title")>
            // Takes the focus when the part opens over its teaser's button.
            <h3 class="kr-data-title" tabindex="-1">{i.t("data-title")}</h3>
            {move || match state.get() {
                State::Loading => kview! { <p role="status">{i.t("loading")}</p> }.into_any(),
                State::Failed(m) => kview! { <p class="kr-err" role="alert">{m}</p> }.into_any(),
                State::Erased => kview! { <p role="status" class="kr-data-done" tabindex="-1" node_ref=done>{i.t("data-erased")}</p> }.into_any(),
                State::Ready(text, lines, anonymise) => {
                    let empty = lines.is_empty();
                    let brand = cfg.with_value(|c| c.brand.clone());
                    let download = move |_| {
                        if !save_json(&text, &format!("kindred-{brand}-your-data.json")) {
                            problem.set(Some(i.t("error-generic")));
                        }
                    };
                    kview! {
                        <p class="kr-data-intro">{i.t(if empty { "data-none" } else { "data-intro" })}</p>
                        {(!empty).then(|| kview! {
                            <ul class="kr-data-list">
                                {lines.into_iter().map(|(id, n)| kview! { <li>{i.n(id, n as f64)}</li> }).collect_view()}
                            </ul>
                        })}
                        <div class="kr-data-actions">
                            <button type="button" class="kr-data-download" on:click=download>{i.t("data-download")}</button>
                            {(!empty).then(|| kview! {
                                <button type="button" class="kr-data-delete" aria-expanded=crate::aria(confirming.into())
                                    node_ref=delete_button on:click=ask>{i.t("data-delete")}</button>
                            })}
                        </div>
                        <Show when=move || confirming.get()>
                            <div class="kr-data-confirm" role="group" aria-labelledby="kr-data-q">
                                <p id="kr-data-q" tabindex="-1" node_ref=question>{i.t(if anonymise { "data-confirm-anonymise" } else { "data-confirm" })}</p>
                                <button type="button" class="kr-data-yes" disabled=move || busy.get()
                                    aria-busy=crate::aria(busy.into()) on:click=erase>{i.t("data-confirm-yes")}</button>
                                <button type="button" class="kr-data-no" on:click=cancel>{i.t("cancel")}</button>
                            </div>
                        </Show>
                        <p class="kr-err" role="alert">{move || problem.get()}</p>
                    }.into_any()
                }
            }}
        </section>
    }
}

/// Offers `text` as a file download (a Blob URL clicked; revoked after);
/// `false` when the browser would not.
fn save_json(text: &str, name: &str) -> bool {
    let run = || -> Option<()> {
        let parts = js_sys::Array::of1(&JsValue::from_str(text));
        let opts = web_sys::BlobPropertyBag::new();
        opts.set_type("application/json");
        let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts).ok()?;
        let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
        let a: web_sys::HtmlAnchorElement = web_sys::window()?.document()?.create_element("a").ok()?.dyn_into().ok()?;
        a.set_href(&url);
        a.set_download(name);
        a.click();
        let revoke = url.clone();
        gloo::timers::callback::Timeout::new(10_000, move || {
            let _ = web_sys::Url::revoke_object_url(&revoke);
        })
        .forget();
        Some(())
    };
    run().is_some()
}
