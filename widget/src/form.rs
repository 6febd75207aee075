//! "Write a review": the submission form. Checks the same rules as the edge
//! (core's `NewTestimonial::validate`) before sending, shows each problem next
//! to its field, uploads photos first, and retries safely (idempotency key).

use crate::api::{self, Config};
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
    Sending(&'static str),
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
    let files: NodeRef<html::Input> = NodeRef::new();
    let name_input: NodeRef<html::Input> = NodeRef::new();
    let phase = RwSignal::new(Phase::Editing);
    // (field, message) of the problem to show; field "" is the whole form.
    let problem = RwSignal::new(None::<(String, String)>);
    // Reused on retry so a flaky network never stores the review twice.
    let attempt_key = StoredValue::new(member::idempotency_key());

    let error_for = move |field: &'static str| {
        move || problem.get().filter(|(f, _)| f == field).map(|(_, m)| m)
    };
    let invalid = move |field: &'static str| move || if problem.get().is_some_and(|(f, _)| f == field) { "true" } else { "false" };
    let show = move |e: ApiError| problem.set(Some((e.field.unwrap_or_default(), e.message)));

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
            tags: tags.get_untracked().split(',').map(str::to_owned).collect(),
            photos: Vec::new(),
            website: Some(website.get_untracked()).filter(|w| !w.is_empty()),
            identity: crate::identity(),
        };
        if let Err(e) = t.validate() {
            show(e);
            return;
        }
        let chosen: Vec<web_sys::File> = files
            .get_untracked()
            .and_then(|i| i.files())
            .map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect())
            .unwrap_or_default();
        if chosen.len() > MAX_PER_TESTIMONIAL {
            problem.set(Some(("photos".into(), format!("Choose at most {MAX_PER_TESTIMONIAL} photos"))));
            return;
        }
        if let Some(f) = chosen.iter().find(|f| f.size() > MAX_BYTES as f64) {
            problem.set(Some(("photos".into(), format!("{} is larger than 5 MB", f.name()))));
            return;
        }
        spawn_local(async move {
            let config = cfg.get_value();
            for (i, f) in chosen.iter().enumerate() {
                phase.set(Phase::Sending(if i == 0 { "Uploading photos..." } else { "Uploading more photos..." }));
                match api::upload_photo(&config, f).await {
                    Ok(p) => t.photos.push(p.id),
                    Err(e) => {
                        phase.set(Phase::Editing);
                        problem.set(Some(("photos".into(), format!("{}: {}", f.name(), e.message))));
                        return;
                    }
                }
            }
            phase.set(Phase::Sending("Sending your review..."));
            match api::submit(&config, &t, &member::token(), &attempt_key.get_value()).await {
                Ok(done) => {
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
                                photos: Vec::new(),
                                created_at: js_sys::Date::now() as i64,
                            };
                            items.update(|list| list.insert(0, shown));
                        }
                    }
                    attempt_key.set_value(member::idempotency_key());
                    phase.set(Phase::Done(done.status));
                }
                Err(e) => {
                    phase.set(Phase::Editing);
                    show(e);
                }
            }
        });
    };

    // Keyboard and screen-reader users land in the form.
    let focus_name = move || {
        request_animation_frame(move || {
            if let Some(i) = name_input.get_untracked() {
                let _ = i.focus();
            }
        })
    };
    focus_name();

    let star_labels = ["1 star", "2 stars", "3 stars", "4 stars", "5 stars"];
    kview! {
        <div class="kr-write">
            <Show when=move || !open.get()>
                <button type="button" class="kr-write-open" aria-expanded="false" aria-controls="kr-form"
                    on:click=move |_| {
                        open.set(true);
                        phase.set(Phase::Editing);
                        focus_name();
                    }>
                    "Write a review"
                </button>
            </Show>
            <Show when=move || open.get() && phase.get() != Phase::Done(Status::Pending) && phase.get() != Phase::Done(Status::Approved)>
                <form id="kr-form" class="kr-form" novalidate on:submit=on_submit aria-label="Write a review">
                    <div class="kr-field">
                        <label for="kr-name">"Your name"</label>
                        <input id="kr-name" name="display_name" type="text" autocomplete="name" maxlength="60" node_ref=name_input
                            bind:value=name aria-invalid=invalid("display_name") aria-describedby="kr-err-display_name" />
                        <p id="kr-err-display_name" class="kr-err">{error_for("display_name")}</p>
                    </div>
                    <div class="kr-field">
                        <label for="kr-email">"Email " <span class="kr-hint">"(private, never shown)"</span></label>
                        <input id="kr-email" name="email" type="email" autocomplete="email" maxlength="254"
                            bind:value=email aria-invalid=invalid("email") aria-describedby="kr-err-email" />
                        <p id="kr-err-email" class="kr-err">{error_for("email")}</p>
                    </div>
                    <fieldset class="kr-field kr-rating" aria-invalid=invalid("rating") aria-describedby="kr-err-rating">
                        <legend>"Your rating"</legend>
                        {(1..=5u8).map(|n| {
                            let id = format!("kr-star-{n}");
                            kview! {
                                <input type="radio" name="rating" id=id.clone() value=n.to_string()
                                    prop:checked=move || rating.get() == n on:change=move |_| rating.set(n) />
                                <label for=id title=star_labels[usize::from(n - 1)]>
                                    <span aria-hidden="true">"★"</span>
                                    <span class="kr-sr">{star_labels[usize::from(n - 1)]}</span>
                                </label>
                            }
                        }).collect_view()}
                        <p id="kr-err-rating" class="kr-err">{error_for("rating")}</p>
                    </fieldset>
                    <div class="kr-field">
                        <label for="kr-title">"Title " <span class="kr-hint">"(optional)"</span></label>
                        <input id="kr-title" name="title" type="text" maxlength="120"
                            bind:value=title aria-invalid=invalid("title") aria-describedby="kr-err-title" />
                        <p id="kr-err-title" class="kr-err">{error_for("title")}</p>
                    </div>
                    <div class="kr-field">
                        <label for="kr-body">"Your review"</label>
                        <textarea id="kr-body" name="body" rows="4" maxlength="5000"
                            bind:value=body aria-invalid=invalid("body") aria-describedby="kr-err-body"></textarea>
                        <p id="kr-err-body" class="kr-err">{error_for("body")}</p>
                    </div>
                    <div class="kr-field">
                        <label for="kr-tags">"Your interests " <span class="kr-hint">"(comma separated, e.g. trail running)"</span></label>
                        <input id="kr-tags" name="tags" type="text" list="kr-tag-list"
                            bind:value=tags aria-invalid=invalid("tags") aria-describedby="kr-err-tags" />
                        <datalist id="kr-tag-list">
                            {known_tags.get_value().into_iter().map(|t| kview! { <option value=t /> }).collect_view()}
                        </datalist>
                        <p id="kr-err-tags" class="kr-err">{error_for("tags")}</p>
                    </div>
                    <div class="kr-field">
                        <label for="kr-photos">"Photos " <span class="kr-hint">"(up to 3, JPEG, PNG or WebP, 5 MB each)"</span></label>
                        <input id="kr-photos" name="photos" type="file" accept="image/jpeg,image/png,image/webp" multiple
                            node_ref=files aria-invalid=invalid("photos") aria-describedby="kr-err-photos" />
                        <p id="kr-err-photos" class="kr-err">{error_for("photos")}</p>
                    </div>
                    // People never see this field; bots fill it in.
                    <div class="kr-hp" aria-hidden="true">
                        <label for="kr-website">"Website"</label>
                        <input id="kr-website" name="website" type="text" tabindex="-1" autocomplete="off" bind:value=website />
                    </div>
                    <p class="kr-err kr-form-err" role="alert">{error_for("")}</p>
                    <div class="kr-form-actions">
                        <button type="submit" class="kr-submit" disabled=move || matches!(phase.get(), Phase::Sending(_))>
                            {move || match phase.get() { Phase::Sending(s) => s, _ => "Submit review" }}
                        </button>
                        <button type="button" class="kr-cancel" on:click=move |_| open.set(false)>"Cancel"</button>
                    </div>
                </form>
            </Show>
            <p class="kr-thanks" role="status" aria-live="polite">
                {move || match phase.get() {
                    Phase::Done(Status::Approved) => Some("Thank you! Your review is live."),
                    Phase::Done(_) => Some("Thank you! Your review will appear after a quick check."),
                    _ => None,
                }}
            </p>
        </div>
    }
}
