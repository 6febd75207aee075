//! The widget's components. Everything a shopper submitted is rendered as
//! text nodes, never as HTML.

use crate::api::{self, Abort, Config};
use crate::i18n::{use_i18n, Arg, I18n};
use crate::lazy::{self, deferred};
use crate::referral;
use crate::{community, member};
use kindred_core::aspects::Aspect;
use kindred_core::reply::BrandReply;
use kindred_core::testimonial::{Cursor, FeedQuery, Sort, PAGE_DEFAULT};
use kindred_core::widget::{Aggregate, TestimonialView, WidgetPayload};
use kindred_core::{ErrorCode, ProductId};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The whole widget for one product (or one brand).
#[component]
pub fn App(
    /// First-paint data from `GET /v1/widget/{brand}`.
    payload: WidgetPayload,
    /// Which edge, brand and product this widget talks to.
    config: Config,
    /// Render in steps, for the loader: the widget without its cards, then
    /// (a task later) the cards, then (another task later) `ready` is called
    /// and the loader puts the finished widget on screen. Each step stays
    /// short, so the host page never sees one long task from the widget.
    #[prop(optional_no_strip)]
    ready: Option<js_sys::Function>,
    /// The UI's words and formats (see `crate::i18n`).
    #[prop(optional)]
    i18n: I18n,
) -> impl IntoView {
    provide_context(i18n);
    let i = i18n;
    let WidgetPayload { brand, product, aggregate, testimonials, next_cursor, tags, aspects, context, ambassadors, .. } = payload;
    provide_context(BrandName(brand.name.clone()));
    // A CSS property (the CSSOM), not a style attribute: a page whose CSP
    // refuses inline styles blocks the attribute (the loader's first paint
    // sets it the same way).
    let accent = kindred_core::widget::is_hex_color(&brand.accent).then(|| brand.accent.clone());
    let subject = product.map_or_else(|| brand.name.clone(), |p| p.name);
    let product_id = config.product.as_deref().and_then(|p| ProductId::parse(p).ok());
    let cfg = StoredValue::new(config);

    // A first page in the visitor's context's order (`kindred_core::context`):
    // the sort menu names it, and choosing it again brings it back.
    let personal_page = StoredValue::new(context.is_some().then(|| (testimonials.clone(), next_cursor.clone())));
    let personal_label = context.map(|c| match c.tag {
        Some(t) => i.f("sort-context-tag", &[("tag", Arg::Text(&t))]),
        None => i.t("sort-context-lang"),
    });
    let personal = RwSignal::new(personal_label.is_some());
    let (first, later) = if ready.is_some() { (Vec::new(), testimonials) } else { (testimonials, Vec::new()) };
    let items = RwSignal::new(first);
    if let Some(ready) = ready {
        gloo::timers::callback::Timeout::new(0, move || {
            items.set(later);
            gloo::timers::callback::Timeout::new(0, move || {
                let _ = ready.call0(&wasm_bindgen::JsValue::NULL);
            })
            .forget();
        })
        .forget();
    }
    let next = RwSignal::new(next_cursor);
    let tag = RwSignal::new(None::<String>);
    let rating = RwSignal::new(None::<u8>);
    let sort = RwSignal::new(Sort::Newest);
    let loading = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    // Only the newest request may write its answer; older ones are cancelled.
    let generation = StoredValue::new(0u32);
    let in_flight = StoredValue::new_local(None::<Abort>);
    let product_id = StoredValue::new(product_id);

    let load = move |append: bool| {
        if !append {
            personal.set(false);
        }
        let cursor = if append { next.get_untracked().and_then(|c| Cursor::decode(&c).ok()) } else { None };
        let mut q = FeedQuery {
            product: product_id.get_value(),
            tag: tag.get_untracked(),
            rating: rating.get_untracked(),
            sort: sort.get_untracked(),
            cursor,
            limit: PAGE_DEFAULT,
        };
        let gen = generation.get_value().wrapping_add(1);
        generation.set_value(gen);
        let abort = Abort::new();
        in_flight.update_value(|slot| {
            if let Some(old) = slot.replace(abort.clone()) {
                old.cancel();
            }
        });
        loading.set(true);
        error.set(None);
        spawn_local(async move {
            // A page of testimonials already shown (after a first page in a
            // context's order, the feed starts over) adds nothing: the next
            // one is read, a few at most.
            for _ in 0..3 {
                let result = api::feed(&cfg.get_value(), &q, &abort).await;
                if generation.get_value() != gen {
                    return;
                }
                match result {
                    Ok(page) => {
                        let mut added = 0;
                        if append {
                            items.update(|v| {
                                let new: Vec<TestimonialView> = page.testimonials.into_iter().filter(|t| !v.iter().any(|x| x.id == t.id)).collect();
                                added = new.len();
                                v.extend(new);
                            });
                        } else {
                            items.set(page.testimonials);
                        }
                        let again = append && added == 0 && page.next_cursor.is_some();
                        q.cursor = page.next_cursor.as_deref().and_then(|c| Cursor::decode(c).ok());
                        next.set(page.next_cursor);
                        if again {
                            continue;
                        }
                    }
                    Err(e) => error.set(Some(api::error_text(i, &e))),
                }
                break;
            }
            loading.set(false);
        });
    };

    let filtered = move || tag.get().is_some() || rating.get().is_some();
    // The first view: a fixed height (the loader's `--kr-first-view`, the
    // space the page reserves), the cards clipped under "Show all N
    // reviews". A click or key inside the widget opens it to its full
    // height; CLS does not count a shift that follows the shopper's input.
    // A shopper who came through an emailed referral link came for their
    // panel, in the footer: the widget opens at once.
    let linked = brand.referral.is_some() && crate::link_token().is_some();
    let expanded = RwSignal::new(linked);
    let expand = move || {
        if !expanded.get_untracked() {
            expanded.set(true);
        }
    };
    let review_count = aggregate.count;
    let now = js_sys::Date::now() as i64;
    let known_tags = StoredValue::new(tags.clone());
    let review_incentive = StoredValue::new(brand.review_incentive.clone());

    let has_groups = brand.community;
    let program = brand.referral.clone();
    let referral_after_review = StoredValue::new(program.clone());
    let brand_name = brand.name.clone();
    let incentive = brand.incentive.clone();
    kview! {
        <section class="kr" class:kr-first=move || !expanded.get() part="root" style:--kr-brand-accent=accent aria-label=i.f("widget-label", &[("subject", Arg::Text(&subject))])
            on:click=move |_| expand() on:keydown=move |ev| {
                // Not a key on "Show all": opening would remove the button
                // before Enter's or Space's click reaches it, and the focus
                // would drop to the page; its click opens the widget and
                // moves the focus (`focus_feed`).
                if !on_show_all(&ev) {
                    expand();
                }
            }
            on:focusin=move |ev| {
                // Keyboard focus on a clipped card (tabbing in from the page:
                // :focus-visible) opens the widget and keeps the card in
                // sight. A pointer's focus waits for its click: nothing moves
                // between a press and its release.
                if !expanded.get_untracked() {
                    if let Some(el) = clipped_target(&ev) {
                        expand();
                        request_animation_frame(move || {
                            let below = web_sys::window()
                                .and_then(|w| w.inner_height().ok())
                                .and_then(|h| h.as_f64())
                                .is_some_and(|h| el.get_bounding_client_rect().bottom() > h);
                            if below {
                                el.scroll_into_view_with_bool(false);
                            }
                        });
                    }
                }
            }>
            {program.is_some().then(|| referral::arrival_code(&cfg.with_value(|c| c.brand.clone()))).flatten().map(|code| {
                deferred(Signal::stored(true), |_, _, _| ().into_any(), move |_| lazy::friend_offer(cfg, code.clone()), ("", ""))
            })}
            <header class="kr-head" part="header">
                <h2 class="kr-title" part="title">{i.t("title")}</h2>
                <Summary aggregate />
                // The brand's notice (kindred_core::disclosure), a page on the
                // edge in the shopper's language: no bytes in the widget.
                <a class="kr-how" part="how" target="_blank" rel="noopener"
                    href=cfg.with_value(|c| c.url(&format!("reviews/{}/how?locale={}", c.brand, i.locale())))>
                    {i.t("how-reviews-work")}
                </a>
            </header>
            <Aspects aspects />
            {
                let teaser = move |open: Callback<bool>, busy: Signal<bool>, failed: Signal<bool>| kview! {
                    <div class="kr-write">
                        <button type="button" class="kr-write-open" part="button" aria-expanded="false" aria-controls="kr-form"
                            aria-busy=crate::aria(busy) on:click=move |_| open.run(true)>
                            {i.t("write-review")}
                        </button>
                        {lazy::load_error(failed)}
                    </div>
                }.into_any();
                let form = move |_| lazy::testimonial_form(cfg, items, known_tags, review_incentive, referral_after_review, has_groups);
                // A review link's shopper came to write: the form loads at
                // once, and a failure to load is said (it was silent).
                if crate::review_token().is_some() { lazy::deferred_asked(teaser, form) } else { deferred(Signal::stored(false), teaser, form, ("", "")) }
            }
            <div class="kr-filters" role="group" aria-label=i.t("filters-label")>
                {(!tags.is_empty()).then(|| kview! {
                    <div class="kr-chips">
                        {tags.into_iter().map(|t| {
                            let value = t.clone();
                            let pressed = {
                                let t = t.clone();
                                crate::aria(Signal::derive(move || tag.get().as_deref() == Some(t.as_str())))
                            };
                            kview! {
                                <button type="button" class="kr-chip" aria-pressed=pressed
                                    on:click=move |_| {
                                        let now_on = tag.get_untracked().as_deref() == Some(value.as_str());
                                        tag.set((!now_on).then(|| value.clone()));
                                        load(false);
                                    }>{t}</button>
                            }
                        }).collect_view()}
                    </div>
                })}
                <label class="kr-select">{i.t("filter-rating")}
                    <select prop:value=move || rating.get().map(|r| r.to_string()).unwrap_or_default() on:change=move |ev| {
                        rating.set(event_target_value(&ev).parse().ok());
                        load(false);
                    }>
                        <option value="">{i.t("rating-all")}</option>
                        {(1..=5u8).rev().map(|n| kview! { <option value=n.to_string()>{i.n("rating-stars", f64::from(n))}</option> }).collect_view()}
                    </select>
                </label>
                <label class="kr-select">{i.t("sort")}
                    <select prop:value=move || if personal.get() { "context" } else { sort.get().as_str() } on:change=move |ev| {
                        let value = event_target_value(&ev);
                        match personal_page.get_value() {
                            // Back to the first page in the visitor's context's order, unfiltered.
                            Some((mut page, cursor)) if value == "context" => {
                                // The shopper's own reviews sent since stay on top.
                                let own: Vec<TestimonialView> = items
                                    .get_untracked()
                                    .into_iter()
                                    .filter(|t| member::is_own(&t.id) && !page.iter().any(|p| p.id == t.id))
                                    .collect();
                                page.splice(0..0, own);
                                generation.update_value(|g| *g = g.wrapping_add(1));
                                tag.set(None);
                                rating.set(None);
                                sort.set(Sort::Newest);
                                items.set(page);
                                next.set(cursor);
                                loading.set(false);
                                personal.set(true);
                            }
                            _ => {
                                sort.set(Sort::parse(&value).unwrap_or_default());
                                load(false);
                            }
                        }
                    }>
                        {personal_label.map(|l| kview! { <option value="context">{l}</option> })}
                        <option value="newest">{i.t("sort-newest")}</option>
                        <option value="highest">{i.t("sort-highest")}</option>
                        <option value="helpful">{i.t("sort-helpful")}</option>
                    </select>
                </label>
            </div>
            <p class="kr-status" role="status" aria-live="polite">
                {move || error.get().map(|e| i.f("error-load", &[("reason", Arg::Text(&e))]))}
            </p>
            <div class="kr-feed">
            <Show when=move || !items.with(Vec::is_empty) fallback=move || kview! {
                <p class="kr-empty">{move || i.t(if filtered() { "empty-filtered" } else { "empty" })}</p>
            }>
                <ul class="kr-list" aria-busy=crate::aria(loading.into())>
                    <For each=move || items.get() key=|t| t.id.clone() children=move |t| kview! { <TestimonialCard t now cfg /> } />
                </ul>
            </Show>
            </div>
            <Show when=move || !expanded.get() && review_count != 0>
                // One label shows (widget.css, from the loader's measure).
                <button type="button" class="kr-show-all" part="button" on:click=focus_feed>
                    <span class="kr-show-count">{i.n("show-all", f64::from(review_count))}</span>
                    <span class="kr-show-more">{i.t("show-more")}</span>
                </button>
            </Show>
            // Rendered closed too (widget.css hides it in the first view): the
            // first paint has it, so a first paint the loader opens shows it
            // and the live widget, opened over it, moves nothing.
            <Show when=move || next.get().is_some()>
                <button type="button" class="kr-more" part="button" disabled=move || loading.get() on:click=move |_| load(true)>
                    {move || i.t(if loading.get() { "loading" } else { "load-more" })}
                </button>
            </Show>
            // The footer gives up its room in the first view before the
            // feed gives up any (widget.css): on a phone the first view
            // shows reviews; the community, the referral teaser and "Your
            // data" come with "Show all".
            <footer class="kr-foot">
                {brand.community.then(|| {
                    // Members who joined a group see their unread badge; an invite link opens it.
                    let invited = community::invite_from_url().is_some();
                    // Same size closed as its teaser: it may load in the first view.
                    let auto = invited || member::in_community();
                    deferred(Signal::stored(auto), move |open, busy, failed| kview! {
                        <section class="kr-community" aria-label=i.t("community-label")>
                            <button type="button" class="kr-community-open" aria-expanded="false"
                                aria-busy=crate::aria(busy) on:click=move |_| open.run(true)>
                                {i.t("community")}
                            </button>
                            {lazy::load_error(failed)}
                        </section>
                    }.into_any(), move |opened| lazy::community(cfg, opened), (".kr-foot", ".kr-community-open"))
                })}
                {match program {
                    Some(p) => {
                        let pitch = incentive.unwrap_or_else(|| i.f("referral-pitch", &[("offer", Arg::Text(&p.referee_offer))]));
                        let board = p.leaderboard;
                        let teaser_pitch = pitch.clone();
                        kview! {
                            {deferred(Signal::derive(move || linked || (expanded.get() && member::is_referrer())), move |open, busy, failed| kview! {
                                <section class="kr-referral" aria-label=i.t("referral-label")>
                                    <h3 class="kr-ref-title">{teaser_pitch.clone()}</h3>
                                    <div class="kr-ref-join">
                                        <button type="button" class="kr-ref-open" aria-busy=crate::aria(busy)
                                            on:click=move |_| open.run(true)>{i.t("referral-open")}</button>
                                        {lazy::load_error(failed)}
                                    </div>
                                </section>
                            }.into_any(), move |opened| lazy::referral_panel(cfg, brand_name.clone(), pitch.clone(), p.clone(), opened),
                                (".kr-foot", ".kr-referral :is(input, button)"))}
                            // Shown once the widget is open (widget.css hides it in
                            // the first view): from the first paint's data, so
                            // opening it loads and moves nothing.
                            {board.then(move || kview! { <referral::Leaderboard entries=ambassadors /> })}
                        }.into_any()
                    }
                    None => incentive.map(|i| kview! { <p class="kr-incentive">{i}</p> }).into_any(),
                }}
                // What the brand holds for this shopper: read, download, erase.
                {deferred(Signal::stored(false), move |open, busy, failed| kview! {
                    <div class="kr-data-teaser">
                        <button type="button" class="kr-data-open" aria-busy=crate::aria(busy)
                            on:click=move |_| open.run(true)>{i.t("data-title")}</button>
                        {lazy::load_error(failed)}
                    </div>
                }.into_any(), move |_| lazy::your_data(cfg, items), (".kr-foot", ".kr-data-title"))}
            </footer>
        </section>
    }
}

/// "Show all" goes away as the widget opens: focus moves to the first
/// card's first control that takes it, so a keyboard user is not dropped
/// to the page (else to "Load more", else to the section).
/// Labelled "Show more" (widget.css: the cards all showed, the footer did
/// not), it moves to the footer's first control: what the shopper asked to see.
fn focus_feed(ev: leptos::ev::MouseEvent) {
    use wasm_bindgen::JsCast;
    let Some(button) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).and_then(|e| e.closest(".kr-show-all").ok().flatten()) else {
        return;
    };
    let Some(section) = button.closest("section.kr").ok().flatten() else {
        return;
    };
    let more = button.query_selector(".kr-show-more").ok().flatten().and_then(|m| m.dyn_into::<web_sys::HtmlElement>().ok()).is_some_and(|m| m.offset_width() > 0);
    // Not a disabled one (a helpful vote already cast): focus would not move.
    let target = if more { ".kr-foot button:not(:disabled)" } else { ".kr-feed button:not(:disabled)" };
    request_animation_frame(move || {
        // Else "Load more", else the section itself (by script only), as the
        // loader does on the first paint (embed.js `recorder`).
        let first = section.query_selector(target).ok().flatten().or_else(|| section.query_selector(".kr-more").ok().flatten());
        if let Some(b) = first.and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = b.focus();
        } else if let Ok(s) = section.dyn_into::<web_sys::HtmlElement>() {
            s.set_tab_index(-1);
            let _ = s.focus();
        }
    });
}

/// Whether a key went to the first view's "Show all" button.
fn on_show_all(ev: &leptos::ev::KeyboardEvent) -> bool {
    use wasm_bindgen::JsCast;
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|e| e.closest(".kr-show-all").ok().flatten())
        .is_some()
}

/// A focus event's target, if it came by keyboard (`:focus-visible`) into
/// what the first view clips: its feed or its footer (widget.css: the
/// footer gives up its room first). The loader applies the same rule to
/// open its first paint (widget/loader/embed.js `CLIPPED`): keep the two
/// alike.
fn clipped_target(ev: &leptos::ev::FocusEvent) -> Option<web_sys::Element> {
    use wasm_bindgen::JsCast;
    let el = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok())?;
    let keyboard = el.matches(":focus-visible").unwrap_or(false);
    (keyboard && el.closest(".kr-first > .kr-feed, .kr-first > .kr-foot").ok().flatten().is_some()).then_some(el)
}

/// The brand's name, for its replies under the cards.
#[derive(Clone, Default)]
pub(crate) struct BrandName(pub(crate) String);

/// The brand's public reply (`kindred_core::reply`), under a testimonial
/// or a community thread: one markup for both.
#[component]
pub fn BrandReplyNote(
    /// The reply shown.
    reply: BrandReply,
) -> impl IntoView {
    let i = use_i18n();
    let brand = use_context::<BrandName>().unwrap_or_default().0;
    kview! {
        <div class="kr-brand-reply" part="reply">
            <p class="kr-brand-reply-from">{i.f("reply-from", &[("brand", Arg::Text(&brand))])}</p>
            <p class="kr-brand-reply-body" dir="auto">{reply.body}</p>
        </div>
    }
}

/// A photo field in the widget's words. The browser's own file control
/// says "Choose Files" and "No file chosen" in the browser's language (an
/// English phone's words in an Arabic widget: helper-94); here that input
/// stays, transparent over the whole field (its keyboard, screen-reader
/// and drag-and-drop behaviour, its `id` for the field's `<label for>`),
/// and its face says, in the widget's language, what to do and what was
/// chosen: a file's name, or how many.
///
/// `input` is the caller's, to read the files from. A script that empties
/// the input (`value = ""`) must dispatch `change` for the face to follow.
#[component]
pub(crate) fn PhotoField(
    /// The input's id.
    id: &'static str,
    /// Several photos at once (the review form) or one (a thread).
    multiple: bool,
    /// The input element.
    input: NodeRef<leptos::html::Input>,
    /// `aria-invalid`, when the caller checks the field.
    #[prop(optional)]
    invalid: Option<Signal<bool>>,
    /// `aria-describedby`: the field's error line.
    #[prop(optional)]
    described_by: Option<&'static str>,
) -> impl IntoView {
    let i = use_i18n();
    let names = RwSignal::new(Vec::<String>::new());
    let read = move |_| {
        let files = input.get_untracked().and_then(|el| el.files());
        names.set(files.map(|l| (0..l.length()).filter_map(|n| l.get(n)).map(|f| f.name()).collect()).unwrap_or_default());
    };
    kview! {
        <div class="kr-file">
            <input id=id type="file" accept=kindred_core::photo::ACCEPT multiple=multiple node_ref=input on:change=read
                aria-invalid=move || invalid.map(|v| if v.get() { "true" } else { "false" }) aria-describedby=described_by />
            <span class="kr-file-button" aria-hidden="true">{i.t(if multiple { "photo-choose-several" } else { "photo-choose" })}</span>
            <span class="kr-file-names" aria-hidden="true">{move || names.with(|n| match n.as_slice() {
                [] => i.t("photo-none"),
                [one] => one.clone(),
                many => i.n("photo-count", many.len() as f64),
            })}</span>
            // A phone's picker cannot empty the field (helper-109: a photo
            // refused, or no longer wanted, stayed on every try). `change`
            // bubbles, as the browser's own, for whoever keeps the choice.
            {move || names.with(|n| !n.is_empty()).then(|| kview! {
                <button type="button" class="kr-file-remove" on:click=move |_| {
                    let Some(el) = input.get_untracked() else { return };
                    el.set_value("");
                    let init = web_sys::EventInit::new();
                    init.set_bubbles(true);
                    if let Ok(e) = web_sys::Event::new_with_event_init_dict("change", &init) {
                        let _ = el.dispatch_event(&e);
                    }
                    let _ = el.focus();
                }>{i.t(if multiple { "photo-remove-several" } else { "photo-remove" })}</button>
            })}
        </div>
    }
}

/// Average rating and count.
#[component]
pub fn Summary(
    /// Rating summary over approved testimonials.
    aggregate: Aggregate,
) -> impl IntoView {
    let i = use_i18n();
    kview! {
        <div class="kr-summary">
            <Stars rating=aggregate.average />
            <span class="kr-average">{i.rating(aggregate.average)}</span>
            <span class="kr-count">{i.n("review-count", f64::from(aggregate.count))}</span>
        </div>
    }
}

/// What reviews mention most (`kindred_core::aspects`): each phrase with
/// its review count and how many of those reviews are critical. Nothing
/// when the summary is empty.
#[component]
pub fn Aspects(
    /// At most `kindred_core::aspects::SHOWN`, most used first.
    aspects: Vec<Aspect>,
) -> impl IntoView {
    let i = use_i18n();
    (!aspects.is_empty()).then(|| kview! {
        <div class="kr-aspects" part="aspects">
            <h3 class="kr-aspects-title">{i.t("aspects-title")}</h3>
            <ul class="kr-aspect-list">
                {aspects.into_iter().map(|a| kview! {
                    <li class="kr-aspect">
                        // The shopper's words, in whatever script they wrote.
                        <span class="kr-aspect-phrase" dir="auto">{a.phrase}</span>
                        // Pauses for screen readers; the chip's gaps show them.
                        <span class="kr-sr">", "</span>
                        <span class="kr-aspect-count">{i.n("review-count", f64::from(a.reviews))}</span>
                        {(a.critical > 0).then(|| kview! {
                            <span class="kr-sr">", "</span>
                            <span class="kr-aspect-critical">{i.f("aspect-critical", &[
                                ("count", Arg::Number(f64::from(a.critical))),
                                // In the locale's digits, as the count (not typed into the catalogue).
                                ("lowest", Arg::Number(1.0)),
                                ("highest", Arg::Number(f64::from(kindred_core::aspects::CRITICAL_MAX_RATING))),
                            ])}</span>
                        })}
                    </li>
                }).collect_view()}
            </ul>
        </div>
    })
}

/// Five stars filled to the nearest whole star; screen readers get the value.
#[component]
pub fn Stars(
    /// 0.0 to 5.0.
    rating: f32,
) -> impl IntoView {
    let glyphs = kindred_core::widget::star_glyphs(rating);
    let i = use_i18n();
    kview! {
        <span class="kr-stars" role="img" aria-label=i.f("stars-label", &[("rating", Arg::Text(&i.rating(rating)))])>
            {glyphs}
        </span>
    }
}

/// One testimonial, with its photos and a helpful button.
#[component]
pub fn TestimonialCard(
    /// The approved testimonial.
    t: TestimonialView,
    /// Now, unix ms, for relative dates.
    now: i64,
    /// The widget's edge and brand, for photo URLs and votes.
    cfg: StoredValue<Config>,
) -> impl IntoView {
    let i = use_i18n();
    let when = i.relative(now, t.created_at);
    let datetime = String::from(js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(t.created_at as f64)).to_iso_string());
    let id = StoredValue::new(t.id.clone());
    let shown_rating = RwSignal::new(t.rating);
    let shown_body = RwSignal::new(t.body.clone());
    let edited = RwSignal::new(t.edited_at.is_some());
    let count = RwSignal::new(t.helpful_count);
    let voted = RwSignal::new(member::has_voted(&t.id));
    let busy = RwSignal::new(false);
    let vote_error = RwSignal::new(None::<String>);
    let vote = move |_| {
        busy.set(true);
        // A try again after "Could not reach the server": the line goes
        // with the answer that replaces it.
        vote_error.set(None);
        spawn_local(async move {
            let id = id.get_value();
            match api::vote(&cfg.get_value(), &id, &member::token()).await {
                Ok(n) => {
                    count.set(n);
                    voted.set(true);
                    member::remember_vote(&id);
                }
                Err(e) if e.code == ErrorCode::AlreadyVoted => {
                    voted.set(true);
                    member::remember_vote(&id);
                }
                Err(e) => vote_error.set(Some(api::error_text(i, &e))),
            }
            busy.set(false);
        });
    };
    // An author who erased their data under the brand's `anonymise`
    // policy has no name (`kindred_core::privacy`).
    let author = if t.author_name.is_empty() { i.t("former-customer") } else { t.author_name.clone() };
    let photos = t.photos.clone();
    let badges = t.badges();
    // The review's direction, one for its title and its text, from the
    // language its words were found to be in (`kindred_core::context`): a
    // Persian review whose title starts with "Nike" still reads from the
    // right, as its text does. Unknown: each finds its own (`auto`).
    let dir = t.lang.as_deref().map_or("auto", kindred_core::i18n::direction);
    kview! {
        <li class="kr-card" part="card" data-id=t.id.clone()>
            <div class="kr-card-head">
                {move || kview! { <Stars rating=f32::from(shown_rating.get()) /> }}
                // The review's words in their language (screen readers'
                // voice, fonts); the widget's own words stay in the UI's.
                <strong class="kr-card-title" dir=dir lang=t.lang.clone()>{t.title}</strong>
                {t.featured.then(|| kview! { <span class="kr-badge kr-featured">{i.t("badge-featured")}</span> })}
            </div>
            <p class="kr-body" dir=dir lang=t.lang.clone()>{move || shown_body.get()}</p>
            {(!photos.is_empty()).then(|| kview! {
                <div class="kr-photos">
                    {photos.into_iter().map(|p| {
                        let src = cfg.with_value(|c| c.url(&p.url));
                        kview! {
                            <img class="kr-photo" src=src width=p.width height=p.height loading="lazy"
                                decoding="async" alt=i.f("photo-alt", &[("name", Arg::Text(&author))]) />
                        }
                    }).collect_view()}
                </div>
            })}
            <div class="kr-meta">
                <span class="kr-author" dir="auto">{author.clone()}</span>
                // One rule for every place a card is shown (core's `Badge`).
                {badges.into_iter().map(|b| kview! { <span class=b.class()>{i.t(b.message())}</span> }).collect_view()}
                <time class="kr-date" datetime=datetime>{when}</time>
                {move || edited.get().then(|| kview! { <span class="kr-edited">{i.t("edited")}</span> })}
            </div>
            {t.reply.map(|reply| kview! { <BrandReplyNote reply /> })}
            {(!t.tags.is_empty()).then(|| kview! {
                <ul class="kr-tags" aria-label=i.t("tags-label")>
                    {t.tags.into_iter().map(|tag| kview! { <li class="kr-tag" dir="auto">{tag}</li> }).collect_view()}
                </ul>
            })}
            <div class="kr-actions">
                <button type="button" class="kr-helpful" part="button" aria-pressed=crate::aria(voted.into())
                    disabled=move || voted.get() || busy.get() on:click=vote>
                    {move || i.t(if voted.get() { "helpful-done" } else { "helpful" })}
                    <span class="kr-helpful-count">{move || format!(" ({})", i.number(f64::from(count.get())))}</span>
                </button>
                <span class="kr-vote-error" role="status">{move || vote_error.get()}</span>
            </div>
            // The shopper's own review (written in this browser): editable.
            {member::is_own(&t.id).then(|| {
                let id = t.id.clone();
                deferred(Signal::stored(false), move |open, busy, failed| kview! {
                    <div class="kr-edit">
                        <button type="button" class="kr-edit-open" aria-busy=crate::aria(busy) on:click=move |_| open.run(true)>
                            {i.t("edit-review")}
                        </button>
                        {lazy::load_error(failed)}
                    </div>
                }.into_any(), move |_| lazy::edit_form(cfg, id.clone(), shown_rating, shown_body, edited), ("li", ".kr-edit-form input"))
            })}
        </li>
    }
}
