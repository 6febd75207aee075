//! The widget's components. Everything a shopper submitted is rendered as
//! text nodes, never as HTML.

use kindred_core::time::relative;
use kindred_core::widget::{Aggregate, TestimonialView, WidgetPayload};
use leptos::prelude::*;

/// The whole widget for one product (or one brand).
#[component]
pub fn App(
    /// First-paint data from `GET /v1/widget/{brand}`.
    payload: WidgetPayload,
) -> impl IntoView {
    let WidgetPayload { brand, product, aggregate, testimonials, .. } = payload;
    let accent = kindred_core::widget::is_hex_color(&brand.accent)
        .then(|| format!("--kr-accent:{}", brand.accent));
    let subject = product.map_or_else(|| brand.name.clone(), |p| p.name);
    let now = js_sys::Date::now() as i64;
    let list = if testimonials.is_empty() {
        view! { <p class="kr-empty">"No reviews yet. Be the first to share yours."</p> }.into_any()
    } else {
        view! {
            <ul class="kr-list">
                {testimonials.into_iter().map(|t| view! { <TestimonialCard t now /> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section class="kr" style=accent aria-label=format!("Customer reviews of {subject}")>
            <header class="kr-head">
                <h2 class="kr-title">"What customers say"</h2>
                <Summary aggregate />
            </header>
            {list}
            <footer class="kr-foot">{brand.incentive.map(|i| view! { <p class="kr-incentive">{i}</p> })}</footer>
        </section>
    }
}

/// Average rating and count.
#[component]
pub fn Summary(
    /// Rating summary over approved testimonials.
    aggregate: Aggregate,
) -> impl IntoView {
    let count = aggregate.count;
    let label = if count == 1 { "1 review".to_owned() } else { format!("{count} reviews") };
    view! {
        <div class="kr-summary">
            <Stars rating=aggregate.average />
            <span class="kr-average">{format!("{:.1}", aggregate.average)}</span>
            <span class="kr-count">{label}</span>
        </div>
    }
}

/// Five stars, filled to `rating` (rounded to the nearest half is not needed
/// for a glance; screen readers get the exact value).
#[component]
pub fn Stars(
    /// 0.0 to 5.0.
    rating: f32,
) -> impl IntoView {
    let full = rating.round().clamp(0.0, 5.0) as usize;
    let glyphs: String = "★".repeat(full) + &"☆".repeat(5 - full);
    view! {
        <span class="kr-stars" role="img" aria-label=format!("{rating:.1} out of 5 stars")>
            {glyphs}
        </span>
    }
}

/// One testimonial.
#[component]
pub fn TestimonialCard(
    /// The approved testimonial.
    t: TestimonialView,
    /// Now, unix ms, for relative dates.
    now: i64,
) -> impl IntoView {
    let when = relative(now, t.created_at);
    view! {
        <li class="kr-card" data-id=t.id.clone()>
            <div class="kr-card-head">
                <Stars rating=f32::from(t.rating) />
                <strong class="kr-card-title">{t.title}</strong>
            </div>
            <p class="kr-body">{t.body}</p>
            <div class="kr-meta">
                <span class="kr-author">{t.author_name}</span>
                {t.verified_buyer.then(|| view! { <span class="kr-badge kr-verified">"Verified buyer"</span> })}
                {t.ambassador.then(|| view! { <span class="kr-badge kr-ambassador">"Ambassador"</span> })}
                <span class="kr-date">{when}</span>
            </div>
            {(!t.tags.is_empty())
                .then(|| {
                    view! {
                        <ul class="kr-tags" aria-label="Interests">
                            {t.tags.into_iter().map(|tag| view! { <li class="kr-tag">{tag}</li> }).collect_view()}
                        </ul>
                    }
                })}
        </li>
    }
}
