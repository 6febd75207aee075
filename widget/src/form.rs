//! "Write a review": the submission form. Checks the same rules as the edge
//! (core's `NewTestimonial::validate`) before sending, shows each problem next
//! to its field, uploads photos first, and retries safely (idempotency key).

use crate::api::{self, Config};
use crate::i18n::{use_i18n, Arg};
use crate::member;
use kindred_core::photo::{MAX_BYTES, MAX_PER_TESTIMONIAL};
use kindred_core::testimonial::{NewTestimonial, Status};
use kindred_core::widget::TestimonialView;
use kindred_core::ApiError;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[derive(Clone, PartialEq)]
enum Phase {
    Editing,
    Sending(String),
    Done(Status),
}

/// The form, behind a "Write a review" button.
#[component]
pub fn TestimonialForm(
    /// The widget's edge, brand and product.
    cfg: StoredValue<Config>,
    /// The shown testimonials: an auto-approved submission joins them at once.
    items: RwSignal<Vec<TestimonialView>>,
    /// Tags other customers used, offered as suggestions.
    known_tags: StoredValue<Vec<String>>,
    /// The brand's declared incentive for a review, told before writing.
    review_incentive: StoredValue<Option<String>>,
    /// The brand's referral program, offered once the review is sent.
    referral: StoredValue<Option<kindred_core::widget::ReferralPublic>>,
    /// Whether the brand has groups: the one that fits the review is
    /// offered once it is sent (`kindred_core::community::suggest`).
    community: bool,
) -> impl IntoView {
    // The form's code loads when the shopper asks for it: it starts open.
    let open = RwSignal::new(true);
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let rating = RwSignal::new(0u8);
    let title = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let tags = RwSignal::new(String::new());
    let website = RwSignal::new(String::new());
    let reuse = RwSignal::new(false);
    let files: NodeRef<html::Input> = NodeRef::new();
    let name_input: NodeRef<html::Input> = NodeRef::new();
    let phase = RwSignal::new(Phase::Editing);
    // (field, message) of the problem to show; field "" is the whole form.
    let problem = RwSignal::new(None::<(String, String)>);
    // Reused on retry so a flaky network never stores the review twice.
    let attempt_key = StoredValue::new(member::idempotency_key());
    // What was first sent under that key: the edge refuses the key with
    // other words (422), and answers these again.
    let first_sent = StoredValue::new(None::<NewTestimonial>);
    let i = use_i18n();

    // Read in place: a field's mark clones nothing, its line only its own message.
    let error_for = move |field: &'static str| {
        move || problem.with(|p| p.as_ref().filter(|(f, _)| f == field).map(|(_, m)| m.clone()))
    };
    let invalid = move |field: &'static str| crate::aria(Signal::derive(move || problem.with(|p| p.as_ref().is_some_and(|(f, _)| f == field))));
    let form_ref: NodeRef<html::Form> = NodeRef::new();
    // The form's box: what takes focus when its controls leave (`close`).
    let write: NodeRef<html::Div> = NodeRef::new();
    // The input of `field` (the first star for the rating) takes focus once
    // it is on screen; a problem of the whole form is announced (role=alert).
    let focus_field = move |field: &str, origin: crate::Focus| {
        let selector = match field {
            "" => return,
            "display_name" => "#kr-name".to_owned(),
            "rating" => "#kr-star-1".to_owned(),
            other => format!("#kr-{other}"),
        };
        origin.later_in(form_ref, selector);
    };
    // A refused submit names the problem next to its field (or above the
    // buttons) and moves focus there: screen readers read the field with its
    // error (aria-describedby).
    let show = move |e: ApiError, origin: crate::Focus| {
        let field = e.field.clone().unwrap_or_default();
        let field = if FIELDS.contains(&field.as_str()) { field } else { String::new() };
        problem.set(Some((field.clone(), api::error_text(i, &e))));
        focus_field(&field, origin);
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if matches!(phase.get_untracked(), Phase::Sending(_)) {
            return;
        }
        problem.set(None);
        let mut t = NewTestimonial {
            product: cfg.with_value(|c| c.product.clone()),
            display_name: name.get_untracked(),
            email: email.get_untracked(),
            rating: rating.get_untracked(),
            title: title.get_untracked(),
            body: body.get_untracked(),
            tags: kindred_core::testimonial::split_tags(&tags.get_untracked()).map(str::to_owned).collect(),
            photos: Vec::new(),
            website: Some(website.get_untracked()).filter(|w| !w.is_empty()),
            identity: crate::identity(),
            review_token: crate::review_token(),
            reuse_consent: reuse.get_untracked(),
            lang: cfg.with_value(|c| c.lang.clone()),
        };
        if let Err(e) = t.validate() {
            show(e, crate::Focus::here());
            return;
        }
        let chosen: Vec<web_sys::File> = files
            .get_untracked()
            .and_then(|i| i.files())
            .map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect())
            .unwrap_or_default();
        if chosen.len() > MAX_PER_TESTIMONIAL {
            problem.set(Some(("photos".into(), i.n("error-photos-count", MAX_PER_TESTIMONIAL as f64))));
            focus_field("photos", crate::Focus::here());
            return;
        }
        if let Some(f) = chosen.iter().find(|f| f.size() > MAX_BYTES as f64) {
            problem.set(Some(("photos".into(), i.f("error-photo-size", &[("name", Arg::Text(&f.name())), ("max", Arg::Number((MAX_BYTES / (1024 * 1024)) as f64))]))));
            focus_field("photos", crate::Focus::here());
            return;
        }
        let origin = crate::Focus::here();
        spawn_local(async move {
            let config = cfg.get_value();
            let i18n = i;
            // As uploaded: an auto-approved review's card shows them at once.
            let mut uploaded = Vec::new();
            for (i, f) in chosen.iter().enumerate() {
                phase.set(Phase::Sending(i18n.t(if i == 0 { "uploading" } else { "uploading-more" })));
                match api::upload_photo(&config, f).await {
                    Ok(p) => {
                        t.photos.push(p.id.clone());
                        uploaded.push(p);
                    }
                    Err(e) => {
                        phase.set(Phase::Editing);
                        problem.set(Some(("photos".into(), i18n.f("error-photo", &[("name", Arg::Text(&f.name())), ("reason", Arg::Text(&api::error_text(i18n, &e)))]))));
                        focus_field("photos", origin.clone());
                        return;
                    }
                }
            }
            phase.set(Phase::Sending(i18n.t("sending")));
            if first_sent.with_value(Option::is_none) {
                first_sent.set_value(Some(t.clone()));
            }
            let mut sent = api::submit(&config, &t, &member::token(), &attempt_key.get_value()).await;
            if sent.as_ref().is_err_and(|e| e.field.as_deref() == Some("idempotency-key")) {
                // An earlier attempt was stored though its answer never
                // came, and the shopper changed the words since: that review
                // is theirs already (one review, not two). Its answer comes
                // back; its card offers the edit.
                if let Some(first) = first_sent.get_value() {
                    sent = api::submit(&config, &first, &member::token(), &attempt_key.get_value()).await;
                    t = first;
                    uploaded.clear();
                }
            }
            match sent {
                Ok(done) => {
                    // Before its card is drawn: the card offers the edit
                    // (and the withdrawal of a consent given here).
                    member::remember_own(&done.id);
                    member::remember_consent(&done.id, t.reuse_consent);
                    if done.status == Status::Approved {
                        if let Ok(v) = t.validate() {
                            let shown = TestimonialView {
                                id: done.id.clone(),
                                author_name: v.display_name,
                                rating: v.rating,
                                title: v.title,
                                body: v.body,
                                tags: v.tags,
                                verified_buyer: done.verified_buyer,
                                ambassador: false,
                                featured: false,
                                helpful_count: 0,
                                photos: uploaded,
                                incentivised: done.incentivised,
                                verified_purchase: done.verified_purchase,
                                reply: None,
                                edited_at: None,
                                // The edge decides it (the text's direction is
                                // checked there): the next load says it.
                                lang: None,
                                imported: false,
                                created_at: js_sys::Date::now() as i64,
                            };
                            items.update(|list| list.insert(0, shown));
                        }
                    }
                    attempt_key.set_value(member::idempotency_key());
                    first_sent.set_value(None);
                    crate::spend_token(kindred_core::review_request::QUERY_PARAM);
                    phase.set(Phase::Done(done.status));
                    origin.later_in(write, ".kr-thanks");
                }
                Err(e) if e.field.as_deref() == Some("review_token") => {
                    // The link no longer works: say so; the next try posts
                    // the review without it (not a verified purchase).
                    crate::spend_token(kindred_core::review_request::QUERY_PARAM);
                    phase.set(Phase::Editing);
                    problem.set(Some((String::new(), i18n.t("error-review-link"))));
                }
                Err(e) if e.field.as_deref() == Some("email") && t.review_token.is_some() => {
                    phase.set(Phase::Editing);
                    problem.set(Some(("email".into(), i18n.t("error-order-email"))));
                    focus_field("email", origin.clone());
                }
                Err(e) => {
                    phase.set(Phase::Editing);
                    show(e, origin.clone());
                }
            }
        });
    };

    // Where focus goes when the control that had it leaves the page: the
    // thanks once the review is sent, "Write a review" after Cancel
    // (helper-89: both left it on the host page's body, the thanks above
    // the screen on a phone).
    let close = move || {
        open.set(false);
        crate::focus_later_in(write, ".kr-write-open");
    };

    // Keyboard and screen-reader users land in the form.
    crate::focus_later(name_input);

    kview! {
        <div class="kr-write" node_ref=write>
            <Show when=move || !open.get()>
                <button type="button" class="kr-write-open" aria-expanded="false" aria-controls="kr-form"
                    on:click=move |_| {
                        open.set(true);
                        phase.set(Phase::Editing);
                        crate::focus_later(name_input);
                    }>
                    {i.t("write-review")}
                </button>
            </Show>
            <Show when=move || open.get() && phase.get() != Phase::Done(Status::Pending) && phase.get() != Phase::Done(Status::Approved)>
                <form id="kr-form" class="kr-form" novalidate node_ref=form_ref on:submit=on_submit aria-label=i.t("write-review")>
                    {review_incentive.get_value().map(|offer| kview! {
                        <p class="kr-review-incentive" dir="auto">{i.f("form-incentive", &[("offer", Arg::Text(&offer))])}</p>
                    })}
                    <div class="kr-field">
                        <label for="kr-name">{i.t("form-name")}</label>
                        <input id="kr-name" name="display_name" type="text" autocomplete="name" maxlength="60" dir="auto" node_ref=name_input
                            bind:value=name aria-invalid=invalid("display_name") aria-describedby="kr-err-display_name" />
                        <p id="kr-err-display_name" class="kr-err">{error_for("display_name")}</p>
                    </div>
                    <div class="kr-field">
                        <label for="kr-email">{i.t("form-email")} " " <span class="kr-hint">{i.t("form-email-hint")}</span></label>
                        <input id="kr-email" name="email" type="email" autocomplete="email" maxlength="254" dir="ltr"
                            bind:value=email aria-invalid=invalid("email") aria-describedby="kr-err-email" />
                        <p id="kr-err-email" class="kr-err">{error_for("email")}</p>
                    </div>
                    <fieldset class="kr-field kr-rating" aria-invalid=invalid("rating") aria-describedby="kr-err-rating">
                        <legend>{i.t("form-rating")}</legend>
                        {(1..=5u8).map(|n| {
                            let id = format!("kr-star-{n}");
                            let label = i.n("rating-stars", f64::from(n));
                            let title = label.clone();
                            kview! {
                                <input type="radio" name="rating" id=id.clone() value=n.to_string()
                                    prop:checked=move || rating.get() == n on:change=move |_| rating.set(n) />
                                <label for=id title=title>
                                    <span aria-hidden="true">"★"</span>
                                    <span class="kr-sr">{label}</span>
                                </label>
                            }
                        }).collect_view()}
                        <p id="kr-err-rating" class="kr-err">{error_for("rating")}</p>
                    </fieldset>
                    <div class="kr-field">
                        <label for="kr-title">{i.t("form-title")} " " <span class="kr-hint">{i.t("form-optional")}</span></label>
                        <input id="kr-title" name="title" type="text" maxlength="120" dir="auto"
                            bind:value=title aria-invalid=invalid("title") aria-describedby="kr-err-title" />
                        <p id="kr-err-title" class="kr-err">{error_for("title")}</p>
                    </div>
                    <div class="kr-field">
                        <label for="kr-body">{i.t("form-body")}</label>
                        <textarea id="kr-body" name="body" rows="4" maxlength="5000" dir="auto"
                            bind:value=body aria-invalid=invalid("body") aria-describedby="kr-err-body"></textarea>
                        <p id="kr-err-body" class="kr-err">{error_for("body")}</p>
                    </div>
                    <div class="kr-field">
                        <label for="kr-tags">{i.t("form-tags")} " " <span class="kr-hint">{i.t("form-tags-hint")}</span></label>
                        <input id="kr-tags" name="tags" type="text" list="kr-tag-list" dir="auto"
                            bind:value=tags aria-invalid=invalid("tags") aria-describedby="kr-err-tags" />
                        <datalist id="kr-tag-list">
                            {known_tags.get_value().into_iter().map(|t| kview! { <option value=t /> }).collect_view()}
                        </datalist>
                        <p id="kr-err-tags" class="kr-err">{error_for("tags")}</p>
                    </div>
                    // Photos chosen again, or removed, leave the last choice's problem behind (helper-110).
                    <div class="kr-field" on:change=move |_| {
                        if problem.with_untracked(|p| p.as_ref().is_some_and(|(f, _)| f == "photos")) {
                            problem.set(None);
                        }
                    }>
                        <label for="kr-photos">{i.t("form-photos")} " " <span class="kr-hint">{i.f("form-photos-hint", &[("count", Arg::Number(MAX_PER_TESTIMONIAL as f64)), ("max", Arg::Number((MAX_BYTES / (1024 * 1024)) as f64))])}</span></label>
                        <crate::components::PhotoField id="kr-photos" multiple=true input=files described_by="kr-err-photos"
                            invalid=Signal::derive(move || problem.with(|p| p.as_ref().is_some_and(|(f, _)| f == "photos"))) />
                        <p id="kr-err-photos" class="kr-err">{error_for("photos")}</p>
                    </div>
                    // Consent to reuse beyond the brand's site: unticked until the
                    // shopper ticks it (kindred_core::consent).
                    <div class="kr-field kr-consent">
                        <label for="kr-reuse">
                            <input id="kr-reuse" name="reuse_consent" type="checkbox" bind:checked=reuse />
                            " " {i.f("form-consent", &[("brand", Arg::Text(&use_context::<crate::components::BrandName>().unwrap_or_default().0))])}
                        </label>
                    </div>
                    // People never see this field; bots fill it in.
                    <div class="kr-hp" aria-hidden="true">
                        <label for="kr-website">"Website"</label>
                        <input id="kr-website" name="website" type="text" tabindex="-1" autocomplete="off" bind:value=website />
                    </div>
                    <p class="kr-err kr-form-err" role="alert">{error_for("")}</p>
                    <div class="kr-form-actions">
                        <button type="submit" class="kr-submit" disabled=move || matches!(phase.get(), Phase::Sending(_))>
                            {move || match phase.get() { Phase::Sending(s) => s, _ => i.t("form-submit") }}
                        </button>
                        <button type="button" class="kr-cancel" on:click=move |_| close()>{i.t("cancel")}</button>
                    </div>
                </form>
            </Show>
            <p class="kr-thanks" role="status" aria-live="polite" tabindex="-1">
                {move || match phase.get() {
                    Phase::Done(Status::Approved) => Some(i.t("thanks-live")),
                    Phase::Done(_) => Some(i.t("thanks-pending")),
                    _ => None,
                }}
            </p>
            // The next steps' code (referral link, group) is in the referral
            // chunk, fetched once the review is sent: opening the form does
            // not wait for it.
            {(referral.with_value(Option::is_some) || community).then(|| crate::lazy::deferred(
                Signal::derive(move || matches!(phase.get(), Phase::Done(_))),
                |_, _, _| ().into_any(),
                move |_| {
                    // As the edge stored them (the page's language: Persian letters).
                    let lang = cfg.with_value(|c| c.lang.as_deref().and_then(kindred_core::context::language));
                    let tags = kindred_core::testimonial::normalize_tags_in(&kindred_core::testimonial::split_tags(&tags.get_untracked()).map(str::to_owned).collect::<Vec<_>>(), lang.as_deref()).unwrap_or_default();
                    crate::lazy::after_review(cfg, referral.get_value(), community, name.get_untracked(), email.get_untracked(), tags)
                },
                // Opened by the review's answer, not by a button.
                ("", ""),
            ))}
        </div>
    }
}

/// The form's fields by the name the edge and core give them.
const FIELDS: [&str; 7] = ["display_name", "email", "rating", "title", "body", "tags", "photos"];

/// "Edit your review", on the shopper's own card (`kindred_core::edit`):
/// the rating and the text, sent with the member token it was written
/// with. The card shows the new version at once; changed words may wait
/// for the brand's moderation again, and the form says so.
#[component]
pub fn EditForm(
    cfg: StoredValue<Config>,
    /// The testimonial's id.
    id: String,
    /// The card's rating and text: updated when the edge accepts the edit.
    rating: RwSignal<u8>,
    body: RwSignal<String>,
    /// Whether the card says "edited".
    edited: RwSignal<bool>,
) -> impl IntoView {
    let i = use_i18n();
    let open = RwSignal::new(true);
    let new_rating = RwSignal::new(rating.get_untracked());
    let new_body = RwSignal::new(body.get_untracked());
    let saved = RwSignal::new(String::new());
    let problem = RwSignal::new(String::new());
    let wrap: NodeRef<html::Div> = NodeRef::new();
    let busy = RwSignal::new(false);
    let reuse = RwSignal::new(member::has_consent(&id));
    let id = StoredValue::new(id);
    let field_id = move |name: &str| format!("kr-edit-{name}-{}", id.get_value());
    // Consent to reuse changes at once, on its own (kindred_core::consent):
    // withdrawing is one untick, as giving was one tick.
    let set_consent = move |given: bool| {
        problem.set(String::new());
        spawn_local(async move {
            match api::set_consent(&cfg.get_value(), &id.get_value(), &member::token(), given).await {
                Ok(state) => {
                    member::remember_consent(&id.get_value(), state.reuse);
                    reuse.set(state.reuse);
                    saved.set(i.t("consent-saved"));
                }
                Err(e) => {
                    reuse.set(!given);
                    problem.set(api::error_text(i, &e));
                }
            }
        });
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let change = kindred_core::edit::TestimonialEdit {
            rating: Some(new_rating.get_untracked()).filter(|r| *r != rating.get_untracked()),
            body: Some(new_body.get_untracked()).filter(|b| *b != body.get_untracked()),
            ..Default::default()
        };
        busy.set(true);
        problem.set(String::new());
        let origin = crate::Focus::here();
        spawn_local(async move {
            let config = cfg.get_value();
            match api::edit(&config, &id.get_value(), &member::token(), &change).await {
                Ok(done) => {
                    if let Some(r) = change.rating {
                        rating.set(r);
                    }
                    if let Some(b) = change.body {
                        body.set(b);
                    }
                    edited.set(true);
                    saved.set(i.t(if done.status == Status::Approved { "edit-saved" } else { "edit-pending" }));
                    open.set(false);
                    origin.later_in(wrap, ".kr-thanks");
                }
                Err(e) => problem.set(api::error_text(i, &e)),
            }
            busy.set(false);
        });
    };
    kview! {
        <div class="kr-edit" node_ref=wrap>
            <Show when=move || open.get() fallback=move || kview! {
                <button type="button" class="kr-edit-open" on:click=move |_| { saved.set(String::new()); open.set(true) }>{i.t("edit-review")}</button>
            }>
                <form class="kr-edit-form" novalidate on:submit=save aria-label=i.t("edit-review")>
                    <label for=field_id("rating")>{i.t("form-rating")}</label>
                    <select id=field_id("rating") on:change=move |ev| new_rating.set(event_target_value(&ev).parse().unwrap_or(5))>
                        {(1..=5u8).rev().map(|r| kview! {
                            <option value=r.to_string() selected=move || new_rating.get() == r>{i.n("rating-stars", f64::from(r))}</option>
                        }).collect_view()}
                    </select>
                    <label for=field_id("body")>{i.t("form-body")}</label>
                    <textarea id=field_id("body") rows="4" maxlength="5000" dir="auto" bind:value=new_body></textarea>
                    <div class="kr-field kr-consent">
                        <label for=field_id("reuse")>
                            <input id=field_id("reuse") type="checkbox" prop:checked=move || reuse.get()
                                on:change=move |ev| set_consent(event_target_checked(&ev)) />
                            " " {i.f("form-consent", &[("brand", Arg::Text(&use_context::<crate::components::BrandName>().unwrap_or_default().0))])}
                        </label>
                    </div>
                    <div class="kr-form-actions">
                        <button type="submit" class="kr-submit" disabled=move || busy.get()>{i.t("edit-save")}</button>
                        <button type="button" class="kr-cancel" on:click=move |_| { open.set(false); crate::focus_later_in(wrap, ".kr-edit-open") }>{i.t("cancel")}</button>
                    </div>
                </form>
            </Show>
            <p class="kr-thanks" role="status" tabindex="-1">{move || saved.get()}</p>
            <p class="kr-err" role="alert">{move || problem.get()}</p>
        </div>
    }
}
