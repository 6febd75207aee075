//! The referral program in the widget: a referrer's personal link with
//! sharing and stats, a friend's offer banner, and the ambassadors' board.

use crate::api::{self, Config};
use crate::i18n::{use_i18n, Arg};
use crate::member;
use kindred_core::referral::{ClaimState, ClaimView, LeaderboardEntry, NoteView, ReferrerPatch, ReferrerView, RewardState, LINK_PARAM, REFERRER_NOTE_MAX};
use kindred_core::testimonial::Status;
use kindred_core::widget::ReferralPublic;
use kindred_core::ErrorCode;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::{JsCast, JsValue};

/// Calls `navigator[obj][method](arg)` if the browser has it; `None` if not.
fn call_navigator(obj: Option<&str>, method: &str, arg: &JsValue) -> Option<js_sys::Promise> {
    let window: JsValue = web_sys::window()?.into();
    let nav = js_sys::Reflect::get(&window, &"navigator".into()).ok()?;
    let target = match obj {
        Some(o) => js_sys::Reflect::get(&nav, &o.into()).ok().filter(|v| !v.is_undefined())?,
        None => nav,
    };
    let f: js_sys::Function = js_sys::Reflect::get(&target, &method.into()).ok()?.dyn_into().ok()?;
    f.call1(&target, arg).ok()?.dyn_into().ok()
}


/// Copies `text` to the clipboard; whether it worked.
pub(crate) async fn copy(text: &str) -> bool {
    match call_navigator(Some("clipboard"), "writeText", &JsValue::from_str(text)) {
        Some(p) => wasm_bindgen_futures::JsFuture::from(p).await.is_ok(),
        None => false,
    }
}

fn enc(s: &str) -> String {
    String::from(js_sys::encode_uri_component(s))
}

/// The referrer's panel: join, then share and watch the rewards come in.
#[component]
pub fn ReferralPanel(
    /// The widget's edge and brand.
    cfg: StoredValue<Config>,
    /// The brand's name, for the share message.
    brand_name: String,
    /// The brand's pitch ("Give 15%, get $10").
    pitch: String,
    /// The program's public settings.
    program: ReferralPublic,
    /// The shopper asked for a link (rather than a returning referrer's
    /// stats loading): read once, as the panel is built.
    start_open: Signal<bool>,
) -> impl IntoView {
    let mine = RwSignal::new(None::<ReferrerView>);
    let open = RwSignal::new(start_open.get_untracked());
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<(String, String)>);
    let busy = RwSignal::new(false);
    let copied = RwSignal::new(false);
    let panel = NodeRef::<leptos::html::Section>::new();
    // The typed address has a link someone holds, and "Email me my link"
    // was asked for (the brand emails it: `program.links_by_email`).
    let (taken, asked) = (RwSignal::new(false), RwSignal::new(false));
    let links_by_email = program.links_by_email;
    let i = use_i18n();

    // Arrived through the emailed link (`?kindred_link=`): the panel comes
    // into sight with one button that moves the link to this browser. Never
    // on its own: a mail scanner that runs the page would spend the token
    // and take the link (helper-82).
    let emailed = RwSignal::new(crate::link_token());
    // What became of it, said at the top of the panel.
    let notice = RwSignal::new(None::<String>);
    if emailed.get_untracked().is_some() {
        request_animation_frame(move || {
            if let Some(el) = panel.get_untracked() {
                el.scroll_into_view();
            }
        });
    }
    // Whether the edge has said if this browser holds a link. Until then a
    // browser that remembers holding one is told it is loading, not shown
    // the sign-up form (helper-99: a returning referrer who tapped while
    // the panel loaded got the form, the phone's keyboard up for its name,
    // then the form went and the focus with it).
    let known = RwSignal::new(false);
    let (name_input, email_input) = (NodeRef::<leptos::html::Input>::new(), NodeRef::<leptos::html::Input>::new());
    // Where the focus is as the panel comes (the tapped teaser's button,
    // gone with it): the link or the form takes it from there only, never
    // from a control the shopper went on to while the edge answered
    // (helper-101: their typing in the reply box went to the link).
    let origin = crate::Focus::here();
    spawn_local(async move {
        let found = api::my_referral(&cfg.get_value(), &member::token()).await;
        match found {
            Ok(Some(v)) => {
                member::remember_referrer();
                mine.set(Some(v));
                // Asked for by the shopper: the focus goes to their link.
                if open.get_untracked() {
                    origin.later_in(panel, "#kr-ref-url");
                }
            }
            // No link here any more (erased, or moved to another browser),
            // or no answer (offline, or none in time: `api::READ_DEADLINE_MS`):
            // "Loading" goes for the form, where the focus goes if they
            // asked for it. One who had a link is told it could not be
            // read (their form would say the address is taken).
            other => {
                let was = member::is_referrer();
                match &other {
                    Ok(None) => member::forget_referrer(),
                    Err(e) if was => notice.set(Some(api::error_text(i, e))),
                    _ => {}
                }
                if was && open.get_untracked() {
                    origin.later(name_input);
                }
            }
        }
        known.set(true);
    });
    // The button pressed goes once the link is there: the focus goes to
    // the link it brought (its label read with it), not to the page
    // (helper-83 for the emailed link, helper-89 for joining).
    let take = move |_| {
        let Some(token) = emailed.get_untracked() else { return };
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let origin = crate::Focus::here();
        spawn_local(async move {
            let moved = api::open_referral_link(&cfg.get_value(), &member::token(), &token).await;
            busy.set(false);
            let said = match moved {
                Ok(v) => {
                    member::remember_referrer();
                    mine.set(Some(v));
                    origin.later_in(panel, "#kr-ref-url");
                    None
                }
                // This browser has a link of its own (shown below).
                Err(e) if e.code == ErrorCode::Conflict && e.field.as_deref() == Some("token") => Some(i.t("error-referral-link-own")),
                // Used, expired or erased: asked for again from the form.
                Err(e) if e.field.as_deref() == Some("token") => {
                    open.set(true);
                    Some(i.t("error-referral-link"))
                }
                // Offline, busy: the button stays for another try.
                Err(e) => return notice.set(Some(api::error_text(i, &e))),
            };
            crate::spend_token(LINK_PARAM);
            emailed.set(None);
            notice.set(said);
        });
    };

    // A refused join names the problem at its field (`aria-invalid`, read
    // with it through `aria-describedby`) and moves focus there, as the
    // review form does; one of the whole form is announced (role=alert).
    let show = move |field: String, message: String, origin: crate::Focus| {
        let input = match field.as_str() {
            "name" => Some(name_input),
            "email" => Some(email_input),
            _ => None,
        };
        problem.set(Some((field, message)));
        if let Some(input) = input {
            origin.later(input);
        }
    };
    let invalid = move |field: &'static str| crate::aria(Signal::derive(move || problem.with(|p| p.as_ref().is_some_and(|(f, _)| f == field))));
    let join = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        problem.set(None);
        taken.set(false);
        asked.set(false);
        // The edge's rule (an email address is never a shown name), before sending.
        if let Err(e) = kindred_core::text::person_name(&name.get_untracked(), "name", kindred_core::referral::REFERRER_NAME_MAX) {
            let blank = kindred_core::text::is_blank(&name.get_untracked());
            show("name".into(), if blank { i.t("error-name-required") } else { api::error_text(i, &e) }, crate::Focus::here());
            return;
        }
        if let Err(e) = kindred_core::email::parse(&email.get_untracked()) {
            show("email".into(), api::error_text(i, &e), crate::Focus::here());
            return;
        }
        busy.set(true);
        let origin = crate::Focus::here();
        spawn_local(async move {
            match api::join_referrals(&cfg.get_value(), &member::token(), &name.get_untracked(), &email.get_untracked()).await {
                Ok(v) => {
                    member::remember_referrer();
                    mine.set(Some(v));
                    origin.later_in(panel, "#kr-ref-url");
                }
                Err(e) => {
                    taken.set(e.code == ErrorCode::Conflict && e.field.as_deref() == Some("email"));
                    show(e.field.clone().filter(|f| f == "name" || f == "email").unwrap_or_default(), api::error_text(i, &e), origin.clone());
                }
            }
            busy.set(false);
        });
    };
    // "Email me my link": answered alike for every address; the status
    // says what happens if it has one.
    let ask = move |_| {
        // Not disabled while it goes: the focus stays on the button.
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let origin = crate::Focus::here();
        spawn_local(async move {
            match api::request_referral_link(&cfg.get_value(), &member::token(), &email.get_untracked()).await {
                Ok(()) => asked.set(true),
                Err(e) => show(e.field.clone().filter(|f| f == "email").unwrap_or_default(), api::error_text(i, &e), origin),
            }
            busy.set(false);
        });
    };
    let err = move |f: &'static str| move || problem.get().filter(|(x, _)| x == f).map(|(_, m)| m);
    let offer = program.referee_offer.clone();

    kview! {
        <section class="kr-referral" aria-label=i.t("referral-label") node_ref=panel>
            <h3 class="kr-ref-title">{pitch}</h3>
            <p class="kr-err kr-ref-notice" role="alert">{move || notice.get()}</p>
            <Show when=move || emailed.with(Option::is_some)>
                <button type="button" class="kr-submit kr-ref-take" aria-busy=crate::aria(busy.into()) on:click=take>{i.t("referral-link-take")}</button>
            </Show>
            {move || match mine.get() {
                Some(v) => {
                    // Without isolates: the message leaves the page (`I18n::outgoing`).
                    let invite = i.outgoing(&i.f("share-text", &[("brand", Arg::Text(&brand_name)), ("offer", Arg::Text(&offer)), ("link", Arg::Url(&v.share_url))]));
                    // Their note opens the message they send themselves (their
                    // words, their channel: waiting for the brand is about the
                    // brand's pages), unless the brand rejected it. Not on X,
                    // whose 280 characters a note alone may fill.
                    let note = RwSignal::new(v.note.clone());
                    let invite = StoredValue::new(invite);
                    let message = move || match note.get() {
                        Some(n) if n.status != Status::Rejected => format!("{}\n\n{}", n.text, invite.get_value()),
                        _ => invite.get_value(),
                    };
                    let (link, code) = (v.share_url.clone(), v.code.clone());
                    let share = move |_| {
                        let data = js_sys::Object::new();
                        let _ = js_sys::Reflect::set(&data, &"text".into(), &JsValue::from_str(&message()));
                        let copied_link = link.clone();
                        match call_navigator(None, "share", &data) {
                            Some(p) => spawn_local(async move { let _ = wasm_bindgen_futures::JsFuture::from(p).await; }),
                            None => spawn_local(async move { copied.set(copy(&copied_link).await); }),
                        }
                    };
                    let copy_link = {
                        let l = v.share_url.clone();
                        move |_| {
                            let l = l.clone();
                            spawn_local(async move { copied.set(copy(&l).await); });
                        }
                    };
                    kview! {
                        <div class="kr-ref-mine">
                            <p>{i.t("your-code")} " " <strong class="kr-ref-code">{code}</strong>
                                {v.tier.clone().map(|t| kview! { <span class="kr-badge kr-ambassador">{t}</span> })}</p>
                            <div class="kr-ref-link">
                                <label for="kr-ref-url" class="kr-sr">{i.t("referral-link-label")}</label>
                                <input id="kr-ref-url" type="text" readonly dir="ltr" prop:value=v.share_url.clone() />
                                <button type="button" class="kr-ref-copy" on:click=copy_link>
                                    {move || i.t(if copied.get() { "copied" } else { "copy-link" })}
                                </button>
                            </div>
                            <div class="kr-ref-share">
                                <button type="button" class="kr-ref-native" on:click=share>{i.t("share")}</button>
                                <a class="kr-ref-email" href={
                                    let subject = enc(&i.outgoing(&i.f("share-subject", &[("brand", Arg::Text(&brand_name))])));
                                    move || format!("mailto:?subject={subject}&body={}", enc(&message()))
                                }>{i.t("share-email")}</a>
                                <a class="kr-ref-wa" target="_blank" rel="noopener noreferrer" href=move || format!("https://wa.me/?text={}", enc(&message()))>"WhatsApp"</a>
                                <a class="kr-ref-x" target="_blank" rel="noopener noreferrer" href=format!("https://x.com/intent/post?text={}", enc(&invite.get_value()))>"X"</a>
                            </div>
                            <ReferrerEditor cfg=cfg name=v.name.clone() note=note />
                            <dl class="kr-ref-stats">
                                <div><dt>{i.t("stat-clicks")}</dt><dd class="kr-ref-clicks">{i.number(v.stats.clicks as f64)}</dd></div>
                                <div><dt>{i.t("stat-friends")}</dt><dd class="kr-ref-friends">{i.number(v.stats.friends as f64)}</dd></div>
                                <div><dt>{i.t("stat-purchases")}</dt><dd class="kr-ref-purchases">{i.number(v.stats.purchases as f64)}</dd></div>
                            </dl>
                            {(!v.stats.rewards.is_empty()).then(|| kview! {
                                <ul class="kr-ref-rewards" aria-label=i.t("rewards-label")>
                                    {v.stats.rewards.iter().map(|r| kview! {
                                        <li class="kr-ref-reward">{match (&r.coupon_code, r.state) {
                                            (Some(c), _) => i.f("reward-code", &[("code", Arg::Text(c))]),
                                            (None, RewardState::Webhook) => i.t("reward-sent"),
                                            _ => i.t("reward-soon"),
                                        }}</li>
                                    }).collect_view()}
                                </ul>
                            })}
                        </div>
                    }.into_any()
                }
                // `is_referrer` first: a stranger's form is not drawn again when
                // the answer comes (their typing and focus would go).
                None if member::is_referrer() && !known.get() => kview! {
                    <p class="kr-hint kr-ref-loading" role="status">{i.t("loading")}</p>
                }.into_any(),
                None => kview! {
                    <div class="kr-ref-join">
                        <Show when=move || !open.get()>
                            // The button goes with the form's coming: the focus
                            // to its first field, not the page's body.
                            <button type="button" class="kr-ref-open" on:click=move |_| {
                                open.set(true);
                                crate::focus_later(name_input);
                            }>{i.t("referral-open")}</button>
                        </Show>
                        <Show when=move || open.get()>
                            <form class="kr-form kr-ref-form" novalidate on:submit=join aria-label=i.t("referral-open")>
                                <div class="kr-field">
                                    <label for="kr-ref-name">{i.t("form-name")}</label>
                                    <input id="kr-ref-name" type="text" autocomplete="name" dir="auto" bind:value=name node_ref=name_input aria-invalid=invalid("name") aria-describedby="kr-ref-err-name" />
                                    <p id="kr-ref-err-name" class="kr-err">{err("name")}</p>
                                </div>
                                <div class="kr-field">
                                    <label for="kr-ref-email">{i.t("form-email")} " " <span class="kr-hint">{i.t("form-private")}</span></label>
                                    <input id="kr-ref-email" type="email" autocomplete="email" dir="ltr" bind:value=email node_ref=email_input
                                        on:input=move |_| {
                                            taken.set(false);
                                            asked.set(false);
                                        } aria-invalid=invalid("email") aria-describedby="kr-ref-err-email" />
                                    <p id="kr-ref-err-email" class="kr-err">{err("email")}</p>
                                    {links_by_email.then(|| kview! {
                                        <Show when=move || taken.get()>
                                            <button type="button" class="kr-ref-recover" aria-busy=crate::aria(busy.into()) on:click=ask>{i.t("referral-email-link")}</button>
                                        </Show>
                                        <p class="kr-ref-sent" role="status">{move || asked.get().then(|| i.t("referral-link-sent"))}</p>
                                    })}
                                </div>
                                <p class="kr-err" role="alert">{err("")}</p>
                                <div class="kr-form-actions">
                                    <button type="submit" class="kr-submit kr-ref-submit" disabled=move || busy.get()>{i.t("referral-submit")}</button>
                                </div>
                            </form>
                        </Show>
                    </div>
                }.into_any(),
            }}
        </section>
    }
}

/// What friends who follow the referrer's link read about them: the name
/// above their offer (its first word; the board shows it too), which a
/// link recovered by email may carry from whoever typed the address first,
/// and the personal note, shown once the brand approves it
/// (`ClaimView::note`) and put at the top of the message they share. One
/// Save for both: the edge changes what differs.
#[component]
fn ReferrerEditor(cfg: StoredValue<Config>, name: String, note: RwSignal<Option<NoteView>>) -> impl IntoView {
    let i = use_i18n();
    let saved_name = RwSignal::new(name.clone());
    let name = RwSignal::new(name);
    let text = RwSignal::new(note.get_untracked().map(|n| n.text).unwrap_or_default());
    // The field a problem is with ("name", "note", or "" for neither).
    let problem = RwSignal::new(None::<(&'static str, String)>);
    let busy = RwSignal::new(false);
    let removed = RwSignal::new(false);
    // What the last save changed.
    let (renamed, noted) = (RwSignal::new(false), RwSignal::new(false));
    let name_input = NodeRef::<leptos::html::Input>::new();
    let focus = |field: NodeRef<leptos::html::Input>| {
        if let Some(el) = field.get_untracked() {
            let _ = el.focus();
        }
    };
    // A form: Enter in the name field saves, as in the join form (helper-87).
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        // The edge's rules, checked here first (characters after
        // normalising: a textarea's maxlength counts UTF-16 units).
        let wanted = match ReferrerPatch::changes(&serde_json::json!({ "name": name.get_untracked(), "note": text.get_untracked() })) {
            Ok(w) => w,
            Err(e) if e.field.as_deref() == Some("name") => {
                let blank = kindred_core::text::is_blank(&name.get_untracked());
                problem.set(Some(("name", if blank { i.t("error-name-required") } else { api::error_text(i, &e) })));
                return focus(name_input);
            }
            Err(_) => return problem.set(Some(("note", i.f("error-note", &[("max", Arg::Number(REFERRER_NOTE_MAX as f64))])))),
        };
        let (new_name, new_note) = (wanted.name.unwrap_or_default(), wanted.note.flatten());
        busy.set(true);
        problem.set(None);
        spawn_local(async move {
            match api::edit_referrer(&cfg.get_value(), &member::token(), &new_name, new_note.as_deref()).await {
                Ok(v) => {
                    let new_name = v.name != saved_name.get_untracked();
                    let new_note = v.note.as_ref().map(|n| &n.text) != note.get_untracked().as_ref().map(|n| &n.text);
                    // Saved again unchanged: what the status said stays true.
                    if new_name || new_note {
                        renamed.set(new_name);
                        noted.set(new_note);
                    }
                    removed.set(v.note.is_none() && note.get_untracked().is_some());
                    name.set(v.name.clone());
                    saved_name.set(v.name);
                    note.set(v.note);
                }
                Err(e) => {
                    let field = match e.field.as_deref() {
                        Some("name") => "name",
                        Some("note") => "note",
                        _ => "",
                    };
                    // Erased or moved to another browser meanwhile: a reload shows where it is.
                    let said = if e.code == ErrorCode::NotFound { i.t("error-conflict") } else { api::error_text(i, &e) };
                    problem.set(Some((field, said)));
                    if field == "name" {
                        focus(name_input);
                    }
                }
            }
            busy.set(false);
        });
    };
    // Empty while saving, so the same words after a save are announced
    // again, and after a refusal (the problem says what happened).
    let state = move || {
        if busy.get() || problem.with(Option::is_some) {
            return None;
        }
        match note.get() {
            // A new name alone (the note's state was said before).
            _ if renamed.get() && !noted.get() => Some(i.t("referrer-name-saved")),
            Some(n) => Some(i.t(match n.status {
                Status::Pending => "note-pending",
                Status::Approved => "note-approved",
                Status::Rejected => "note-rejected",
            })),
            None => removed.get().then(|| i.t("note-removed")),
        }
    };
    let count = move || text.with(|t| t.trim().chars().count());
    let invalid = move |f: &'static str| crate::aria(Signal::derive(move || problem.with(|p| matches!(p, Some((x, _)) if *x == f))));
    // A problem with the name is said under it (read with the field); any other in the alert.
    let said = move |name: bool| move || problem.get().filter(|(f, _)| (*f == "name") == name).map(|(_, m)| m);
    let clear = move |f: &'static str| move |_| problem.update(|p| if let Some((x, _)) = p.as_mut().filter(|(x, _)| *x == f) { *x = "" });
    kview! {
        <form class="kr-ref-edit" novalidate on:submit=save>
        <div class="kr-field kr-ref-shown">
            <label for="kr-ref-shown-name">{i.t("referrer-name-label")}</label>
            <input id="kr-ref-shown-name" type="text" autocomplete="name" dir="auto" bind:value=name node_ref=name_input on:input=clear("name") aria-invalid=invalid("name") aria-describedby="kr-ref-err-shown-name" />
            <p id="kr-ref-err-shown-name" class="kr-err">{said(true)}</p>
        </div>
        <div class="kr-field kr-ref-note">
            <label for="kr-ref-note">{i.t("note-label")} " " <span class="kr-hint">{i.t("form-optional")}</span></label>
            <textarea id="kr-ref-note" rows="3" dir="auto" bind:value=text aria-describedby="kr-ref-note-count kr-ref-note-state"
                on:input=clear("note") aria-invalid=invalid("note")></textarea>
            <p id="kr-ref-note-count" class="kr-hint">{move || format!("{} / {}", i.number(count() as f64), i.number(REFERRER_NOTE_MAX as f64))}</p>
            <p id="kr-ref-note-state" class="kr-hint" role="status">{state}</p>
            <p class="kr-err" role="alert">{said(false)}</p>
            <div class="kr-form-actions">
                <button type="submit" class="kr-ref-save" aria-busy=crate::aria(busy.into()) disabled=move || busy.get()>
                    {i.t("referrer-save")}
                </button>
            </div>
        </div>
        </form>
    }
}

/// The ambassadors' board: display names and counts only, the first-paint
/// payload's (`WidgetPayload::ambassadors`, at most
/// `kindred_core::referral::BOARD_SHOWN`); nothing when there are none.
/// Rendered with the first view and hidden there (widget.css) until the
/// widget opens: opening it loads nothing and moves nothing after.
#[component]
pub fn Leaderboard(
    /// The board's entries, most referrals first.
    entries: Vec<LeaderboardEntry>,
) -> impl IntoView {
    let i = use_i18n();
    (!entries.is_empty()).then(|| kview! {
        <div class="kr-board">
            <h4>{i.t("board-title")}</h4>
            <ol>
                {entries.into_iter().map(|e| kview! {
                    <li><span class="kr-board-name" dir="auto">{e.name}</span>
                        <span class="kr-board-n">{format!(" {}", i.n("board-friends", e.referrals as f64))}</span>
                        {e.tier.map(|t| kview! { <span class="kr-badge kr-ambassador">{t}</span> })}
                    </li>
                }).collect_view()}
            </ol>
        </div>
    })
}

const ATTRIBUTION_KEY: &str = "kindred.referral";

/// The referral code a friend arrived with (`?kindred_ref=` on the landing
/// page), remembered in this site's storage (`{"brand", "code"}`) for the
/// attribution window. The loader fetches the offer's files ahead by the
/// same rule (embed.js `offerExpected`: keep the two alike).
pub(crate) fn arrival_code(brand: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    let from_url = search
        .trim_start_matches('?')
        .split('&')
        .find_map(|kv| kv.strip_prefix("kindred_ref="))
        .map(|c| String::from(js_sys::decode_uri_component(c).ok().unwrap_or_default()));
    if let Some(code) = from_url.filter(|c| !c.is_empty()) {
        member::set_record(ATTRIBUTION_KEY, &[("brand", brand), ("code", &code)]);
        return Some(code);
    }
    if member::record_field(ATTRIBUTION_KEY, "brand").as_deref() != Some(brand) {
        return None;
    }
    member::record_field(ATTRIBUTION_KEY, "code").filter(|c| !c.is_empty())
}

/// "Ana gave you 15% off": shown to a friend who arrived through a link.
#[component]
pub fn FriendOffer(
    /// The widget's edge and brand.
    cfg: StoredValue<Config>,
    /// The code the friend arrived with (see [`arrival_code`]).
    code: String,
) -> impl IntoView {
    let offer = RwSignal::new(None::<ClaimView>);
    let copied = RwSignal::new(false);
    let i = use_i18n();
    {
        spawn_local(async move {
            match api::claim(&cfg.get_value(), &member::token(), &code).await {
                // Past the window the offer is gone, and so is the code.
                Ok(v) if v.expires_at < js_sys::Date::now() as i64 => member::forget(ATTRIBUTION_KEY),
                Ok(v) => offer.set(Some(v)),
                Err(e) if matches!(e.code, ErrorCode::NotFound | ErrorCode::ValidationFailed | ErrorCode::BadRequest) => {
                    member::forget(ATTRIBUTION_KEY)
                }
                Err(_) => {}
            }
        });
    }
    move || {
        offer.get().map(|o| {
            let coupon = o.coupon_code.clone();
            kview! {
                <div class="kr-friend">
                    {(o.note.is_some() || o.voice.is_some()).then(|| {
                        // The note they wrote for friends, else their review;
                        // their badges either way (from the review).
                        let badges = o.voice.as_ref().map(|t| t.badges()).unwrap_or_default();
                        let rewarded = i.f("friend-voice-reward", &[("name", Arg::Text(&o.referrer_name))]);
                        let head = match (o.note.clone(), o.voice.clone()) {
                            (Some(n), _) => kview! { <p class="kr-friend-words kr-friend-note" dir="auto">{n}</p> }.into_any(),
                            (None, Some(t)) => kview! {
                                <div class="kr-card-head">
                                    <crate::components::Stars rating=f32::from(t.rating) />
                                    <strong class="kr-card-title" dir="auto">{t.title}</strong>
                                </div>
                                <p class="kr-friend-words" dir="auto">{t.body}</p>
                            }.into_any(),
                            (None, None) => ().into_any(),
                        };
                        kview! {
                            <div class="kr-friend-from">
                            <blockquote class="kr-friend-voice">
                                {head}
                                <p class="kr-meta">
                                    <span class="kr-author" dir="auto">{o.referrer_name.clone()}</span>
                                    {badges.into_iter().map(|b| kview! { <span class=b.class()>{i.t(b.message())}</span> }).collect_view()}
                                </p>
                            </blockquote>
                            // Kindred's words, not the referrer's: outside the quote.
                            <p class="kr-friend-disclosure">{rewarded}</p>
                            </div>
                        }
                    })}
                    // Announced on arrival: the offer line, not the quote above it.
                    <p class="kr-friend-title" role="status">{i.f("friend-offer", &[("name", Arg::Text(&o.referrer_name)), ("offer", Arg::Text(&o.offer))])}</p>
                    {match coupon {
                        Some(c) => {
                            let c2 = c.clone();
                            kview! {
                                <p>{i.t("friend-use-code")} " " <strong class="kr-friend-code">{c}</strong> " " {i.t("friend-at-checkout")} " "
                                    <button type="button" class="kr-ref-copy" on:click=move |_| {
                                        let c = c2.clone();
                                        spawn_local(async move { copied.set(copy(&c).await); });
                                    }>{move || i.t(if copied.get() { "copied" } else { "copy-code" })}</button>
                                </p>
                            }.into_any()
                        }
                        None if o.state == ClaimState::PoolExhausted => kview! {
                            <p class="kr-friend-wait">{i.t("friend-restocking")}</p>
                        }.into_any(),
                        None => kview! { <p>{i.t("friend-applied")}</p> }.into_any(),
                    }}
                </div>
            }
        })
    }
}

/// Review, then referral, in one step: right after a review is sent, the
/// shopper's referral link with the name and email they just typed
/// (nothing retyped). Once their review is published, friends who follow
/// the link read it above their offer (`ClaimView::voice`).
#[component]
pub fn ReferAfterReview(cfg: StoredValue<Config>, program: kindred_core::widget::ReferralPublic, name: String, email: String) -> impl IntoView {
    let i = use_i18n();
    let link = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let copied = RwSignal::new(false);
    let (name, email) = (StoredValue::new(name), StoredValue::new(email));
    let link_input: NodeRef<leptos::html::Input> = NodeRef::new();
    // The link takes the focus the button had (and is selected, to copy).
    let show = move |url: String| {
        link.set(Some(url));
        request_animation_frame(move || {
            if let Some(input) = link_input.get_untracked() {
                let _ = input.focus();
                input.select();
            }
        });
    };
    // A shopper who already refers friends (another device, a cleared
    // flag) sees their own link, not a second one.
    spawn_local(async move {
        if let Ok(Some(v)) = api::my_referral(&cfg.get_value(), &member::token()).await {
            member::remember_referrer();
            link.set(Some(v.share_url));
        }
    });
    let join = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        problem.set(None);
        spawn_local(async move {
            match api::join_referrals(&cfg.get_value(), &member::token(), &name.get_value(), &email.get_value()).await {
                Ok(v) => {
                    member::remember_referrer();
                    show(v.share_url);
                }
                Err(e) => problem.set(Some(api::error_text(i, &e))),
            }
            busy.set(false);
        });
    };
    kview! {
        // Named by its pitch, not "Refer a friend": the referral program's
        // own region has that name (helper-89: two regions, one name).
        <section class="kr-next" aria-labelledby="kr-next-referral-pitch">
            <p id="kr-next-referral-pitch" class="kr-next-pitch" dir="auto">{i.f("referral-pitch", &[("offer", Arg::Text(&program.referee_offer))])}</p>
            {move || match link.get() {
                None => kview! {
                    <button type="button" class="kr-next-refer" aria-busy=crate::aria(busy.into()) disabled=move || busy.get() on:click=join>
                        {i.t("referral-submit")}
                    </button>
                    <p class="kr-err" role="alert">{move || problem.get()}</p>
                }.into_any(),
                Some(url) => {
                    let to_copy = url.clone();
                    kview! {
                        <div class="kr-ref-link">
                            <label for="kr-next-url" class="kr-sr">{i.t("referral-link-label")}</label>
                            <input id="kr-next-url" type="text" readonly dir="ltr" prop:value=url node_ref=link_input />
                            <button type="button" class="kr-ref-copy" on:click=move |_| {
                                let u = to_copy.clone();
                                spawn_local(async move { copied.set(crate::referral::copy(&u).await); });
                            }>{move || i.t(if copied.get() { "copied" } else { "copy-link" })}</button>
                        </div>
                    }.into_any()
                }
            }}
        </section>
    }
}
