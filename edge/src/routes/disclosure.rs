//! "How reviews work" (`kindred_core::disclosure`): the facts as JSON for
//! brands' own pages and API clients, and as the page the widget links to,
//! in the shopper's language.
//!
//! The page is rendered here and nowhere else (the widget only links to it,
//! so no wasm or loader bytes carry it). Its words are `edge/i18n/*.ftl`,
//! compiled with the widget's into one catalogue per locale
//! (`crate::markup::i18n`); every value in it is escaped.

use super::public::{Access, Public};
use super::Ctx;
use crate::errors::{EdgeError, EdgeResult};
use crate::http::{escape_html, html_page};
use crate::request::query;
use kindred_core::disclosure::{AtOnce, Disclosure};
use kindred_core::ErrorCode;
use kindred_widget::i18n::{Arg, I18n};
use worker::{Request, Response};

fn facts(p: &Public) -> EdgeResult<Disclosure> {
    Disclosure::from_config(&p.brand.config).map_err(|e| EdgeError::api(ErrorCode::Internal, e))
}

/// `GET /v1/brands/{brand}/disclosure`
pub async fn json(req: &Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let p = Public::load(req, cx, brand, Access::Read).await?;
    Ok(p.json(200, &facts(&p)?))
}

/// `GET /reviews/{brand}/how?locale=`
pub async fn page(req: &Request, cx: &Ctx, brand: &str) -> EdgeResult<Response> {
    let p = Public::load(req, cx, brand, Access::Read).await?;
    let asked = query(req)?.into_iter().find(|(k, _)| k == "locale").map(|(_, v)| v).unwrap_or_default();
    let locale = crate::markup::locale(&asked).unwrap_or("en");
    let i18n = crate::markup::i18n(&cx.env, locale).await?;
    let html = render(&facts(&p)?, &p.brand.config.accent, i18n).map_err(|e| EdgeError::api(ErrorCode::Internal, e))?;
    // Settings change: check every time.
    Ok(html_page(html, "no-cache", ""))
}

/// The page for `d` in `i`'s locale; `accent` is a validated `#rrggbb`.
///
/// # Errors
/// A fact the notice has no words for (a new sort order or average rule).
pub fn render(d: &Disclosure, accent: &str, i: I18n) -> Result<String, String> {
    let locale = i.locale();
    let brand = Arg::Text(&d.brand_name);
    let b = [("brand", brand)];
    let at_once = match d.at_once {
        AtOnce::None => i.f("how-at-once-none", &b),
        AtOnce::All => i.t("how-at-once-all"),
        AtOnce::VerifiedBuyers => i.t("how-at-once-verified"),
        AtOnce::FromRating { min_rating } => i.f("how-at-once-rating", &[("min", Arg::Number(f64::from(min_rating)))]),
    };
    let reasons: Vec<String> = d.reject_reasons.iter().map(|r| i.t(&format!("how-reason-{}", r.as_str()))).collect();
    let incentive = match &d.incentive {
        Some(offer) => i.f("how-incentive", &[("brand", Arg::Text(&d.brand_name)), ("offer", Arg::Text(offer))]),
        None => i.f("how-incentive-none", &b),
    };
    // Exhaustive: a new sort order or average rule does not compile until
    // the notice says it.
    let sort = match d.default_sort {
        kindred_core::testimonial::Sort::Newest => i.f("how-sort", &b),
        kindred_core::testimonial::Sort::Highest | kindred_core::testimonial::Sort::Helpful => {
            return Err(format!("no notice for the default order {:?}", d.default_sort));
        }
    };
    let personal = match d.personal_order.as_str() {
        kindred_core::disclosure::PERSONAL_ORDER_RULE => i.t("how-personal-order"),
        other => return Err(format!("no notice for the personal order {other}")),
    };
    let average = match d.average.as_str() {
        kindred_core::disclosure::AVERAGE_RULE => i.t("how-average"),
        other => return Err(format!("no notice for the average rule {other}")),
    };
    let paragraphs = [
        i.f("how-who", &b),
        i.f("how-verified-purchase", &b),
        i.f("how-verified-buyer", &b),
        at_once,
        i.f("how-hold", &[("days", Arg::Number(f64::from(d.max_hold_days.days())))]),
        i.f("how-reasons", &[("reasons", Arg::Text(&i.list(&reasons)))]),
        incentive,
        sort,
        personal,
        average,
    ];
    let title = i.f("how-title", &b);
    let accent = if kindred_core::widget::is_hex_color(accent) { accent } else { kindred_core::widget::DEFAULT_ACCENT };
    let mut html = format!(
        "<!doctype html><html lang=\"{locale}\" dir=\"{dir}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{t}</title>\
         <style>body{{font:16px/1.6 system-ui,sans-serif;color:#1f2328;margin:0 auto;padding:24px 20px;max-width:680px}}\
         h1{{font-size:1.5rem;line-height:1.3;color:{accent}}}p{{margin:0 0 12px}}</style></head>\
         <body><main><h1>{t}</h1>",
        dir = kindred_core::i18n::direction(&locale),
        t = escape_html(&title),
    );
    for p in paragraphs {
        html.push_str("<p>");
        html.push_str(&escape_html(&p));
        html.push_str("</p>");
    }
    html.push_str("</main></body></html>");
    Ok(html)
}
