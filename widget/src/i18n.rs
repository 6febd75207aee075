//! The UI's words in the widget's locale: messages from the catalogue the
//! loader hands over (compiled from `widget/i18n/<locale>.ftl` by
//! `kindred_core::i18n::compile`; the format is described there), and
//! numbers, ratings and relative times from the browser's `Intl`.
//!
//! Every component reads its [`I18n`] from context ([`use_i18n`]); a handle
//! is `Copy`, so event handlers and tasks capture it.

use crate::json::get;
use js_sys::{Array, Intl, JsString, Object, Reflect};
use leptos::prelude::*;
use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};

struct Catalogue {
    locale: String,
    messages: JsValue,
    plural: Intl::PluralRules,
    number: js_sys::Function,
    decimal: js_sys::Function,
    relative: Intl::RelativeTimeFormat,
}

thread_local! {
    /// Every catalogue registered on this page (one per UI locale in use).
    static CATALOGUES: RefCell<Vec<Catalogue>> = const { RefCell::new(Vec::new()) };
}

/// A handle on one registered catalogue. The default handle (no catalogue)
/// answers message ids and plain numbers: what tests without a catalogue see.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct I18n(Option<usize>);

/// A message argument: text as is, or a number formatted for the locale
/// (and, for the selector of a plural message, its plural category).
#[derive(Clone, Copy)]
pub enum Arg<'a> {
    Text(&'a str),
    Number(f64),
    /// An address (a referral link): as is in every direction, never
    /// isolated, so it stays a link wherever the message is pasted (a
    /// messaging app takes an isolate's closing U+2069 into the URL).
    Url(&'a str),
}

fn options(pairs: &[(&str, JsValue)]) -> Object {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o
}


impl I18n {
    /// Registers a compiled catalogue (`{"locale", "dir", "messages"}`) and
    /// answers its handle; the same locale registered again replaces its
    /// messages. A value that is not a catalogue gives the default handle.
    pub fn register(catalogue: &JsValue) -> I18n {
        let Some(locale) = get(catalogue, "locale").as_string() else {
            return I18n(None);
        };
        let messages = get(catalogue, "messages");
        if !messages.is_object() {
            return I18n(None);
        }
        let locales = Array::of1(&JsValue::from_str(&locale));
        let fraction = |n: f64| [("minimumFractionDigits", JsValue::from_f64(n)), ("maximumFractionDigits", JsValue::from_f64(n))];
        let catalogue = Catalogue {
            plural: Intl::PluralRules::new(&locales, &Object::new()),
            number: Intl::NumberFormat::new(&locales, &Object::new()).format(),
            decimal: Intl::NumberFormat::new(&locales, &options(&fraction(1.0))).format(),
            relative: Intl::RelativeTimeFormat::new(&locales, &options(&[("numeric", JsValue::from_str("auto"))])),
            locale,
            messages,
        };
        CATALOGUES.with(|c| {
            let mut all = c.borrow_mut();
            if let Some(i) = all.iter().position(|x| x.locale == catalogue.locale) {
                all[i] = catalogue;
                I18n(Some(i))
            } else {
                all.push(catalogue);
                I18n(Some(all.len() - 1))
            }
        })
    }

    fn with<R>(self, f: impl FnOnce(&Catalogue) -> R) -> Option<R> {
        let i = self.0?;
        CATALOGUES.with(|c| c.borrow().get(i).map(f))
    }

    /// The catalogue's locale (`en`, `ar`, ...; `en` for the default handle).
    pub fn locale(self) -> String {
        self.with(|c| c.locale.clone()).unwrap_or_else(|| "en".to_owned())
    }

    /// The message `id` (no arguments).
    pub fn t(self, id: &str) -> String {
        self.f(id, &[])
    }

    /// The message `id` with one number argument named `count`.
    pub fn n(self, id: &str, count: f64) -> String {
        self.f(id, &[("count", Arg::Number(count))])
    }

    /// The message `id` with `count`, or from `cap` on with "99+" (one less
    /// than `cap`, in the locale's digits, and a plus) in the count's place
    /// and the message's default plural form: for counts the edge stops at.
    pub fn capped(self, id: &str, count: f64, cap: f64) -> String {
        if count >= cap {
            let many = format!("{}+", self.number(cap - 1.0));
            self.f(id, &[("count", Arg::Text(&many))])
        } else {
            self.n(id, count)
        }
    }

    /// The message `id` with `args`: a plural message picks its variant by
    /// the exact number, else by `Intl.PluralRules`' category, else its
    /// default; `{name}` markers take the arguments (numbers through
    /// `Intl.NumberFormat`). A missing message or argument shows its id.
    pub fn f(self, id: &str, args: &[(&str, Arg)]) -> String {
        self.with(|c| {
            let msg = get(&c.messages, id);
            let pattern = if let Some(s) = msg.as_string() {
                s
            } else if msg.is_object() {
                let var = get(&msg, "$").as_string().unwrap_or_default();
                let chosen = match args.iter().find(|(k, _)| *k == var) {
                    Some((_, Arg::Number(n))) => {
                        let exact = if n.fract() == 0.0 { get(&msg, &format!("{}", *n as i64)) } else { JsValue::UNDEFINED };
                        exact.as_string().or_else(|| get(&msg, &String::from(c.plural.select(*n))).as_string())
                    }
                    Some((_, Arg::Text(s) | Arg::Url(s))) => get(&msg, s).as_string(),
                    None => None,
                };
                chosen
                    .or_else(|| get(&msg, &get(&msg, "*").as_string().unwrap_or_default()).as_string())
                    .unwrap_or_else(|| id.to_owned())
            } else {
                return id.to_owned();
            };
            fill(&pattern, |name| {
                args.iter().find(|(k, _)| *k == name).map(|(_, a)| match a {
                    // In a right-to-left UI a text argument (a brand's
                    // offer, a name) is isolated (U+2068 ... U+2069), so
                    // Latin text and digits inside do not reorder the
                    // sentence around them ("تحصل على 10% off"). Fluent
                    // isolates in every locale; left-to-right UIs do not
                    // here yet (an RTL name in an English sentence).
                    Arg::Text(s) if kindred_core::i18n::direction(&c.locale) == "rtl" => format!("\u{2068}{s}\u{2069}"),
                    Arg::Text(s) | Arg::Url(s) => (*s).to_owned(),
                    Arg::Number(n) => call(&c.number, *n),
                })
            })
        })
        .unwrap_or_else(|| id.to_owned())
    }

    /// A message of [`I18n::f`] for leaving the page (a share sheet, an
    /// email, WhatsApp, X): each isolate (U+2068 FIRST STRONG ISOLATE ...
    /// U+2069, which right-to-left messages put around a brand's name or
    /// offer) becomes an embedding (U+202A LEFT-TO-RIGHT or U+202B
    /// RIGHT-TO-LEFT EMBEDDING, by the run's first letter: Hebrew, Arabic
    /// and Syriac letters are right-to-left, others and digits alone
    /// left-to-right; ... U+202C POP DIRECTIONAL FORMATTING) followed by the
    /// sentence's own mark (U+200F RLM or U+200E LRM). Some apps draw
    /// isolates (Unicode 6.3) as boxes (helper-89); embeddings and marks
    /// (Unicode 2.0 and 1.1) they draw as nothing. Inside, the run is laid
    /// out as its isolate was ("Acme Co." keeps its full stop, "Free
    /// shipping + خصم 10%" its order: helper-91 found marks alone lost
    /// both); the mark after keeps what follows in the sentence (UAX #9,
    /// X2-X5 and N1). A message without isolates is as it was.
    pub fn outgoing(self, text: &str) -> String {
        if !text.contains('\u{2068}') {
            return text.to_owned();
        }
        let sentence = if self.with(|c| kindred_core::i18n::direction(&c.locale)) == Some("rtl") { '\u{200F}' } else { '\u{200E}' };
        let mut out = String::with_capacity(text.len() + 8);
        let mut rest = text;
        while let Some(open) = rest.find('\u{2068}') {
            out.push_str(&rest[..open]);
            let inner = &rest[open + '\u{2068}'.len_utf8()..];
            let end = inner.find('\u{2069}').unwrap_or(inner.len());
            let run = &inner[..end];
            // The right-to-left blocks: Hebrew to Arabic Extended-A, their
            // presentation forms, and the supplementary ones (Cypriot to
            // the Arabic mathematical letters, Adlam and Mende Kikakui
            // among them: helper-92).
            let rtl = run.chars().find(|c| c.is_alphabetic()).is_some_and(|c| {
                matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}' | '\u{10800}'..='\u{10FFF}' | '\u{1E800}'..='\u{1EFFF}')
            });
            out.push(if rtl { '\u{202B}' } else { '\u{202A}' });
            out.push_str(run);
            out.push('\u{202C}');
            out.push(sentence);
            rest = inner.get(end + '\u{2069}'.len_utf8()..).unwrap_or("");
        }
        out.push_str(rest);
        out
    }

    /// A count or amount, e.g. "1,234" or "١٬٢٣٤".
    pub fn number(self, n: f64) -> String {
        self.with(|c| call(&c.number, n)).unwrap_or_else(|| whole(n))
    }

    /// A rating with one decimal ("4.3", "4,3"). The same f32 the edge sent
    /// is given to `Intl` as the loader's first paint gives it, so both
    /// print the same.
    pub fn rating(self, x: f32) -> String {
        let v = f64::from(x.clamp(0.0, 5.0));
        self.with(|c| call(&c.decimal, v)).unwrap_or_else(|| format!("{}.{}", (v * 10.0).round() as u32 / 10, (v * 10.0).round() as u32 % 10))
    }

    /// `items` as one list in the locale's words ("a, b, and c", "a و b"):
    /// `Intl.ListFormat`, a conjunction. Joined with ", " when the handle
    /// has no catalogue.
    pub fn list(self, items: &[String]) -> String {
        let all: Array = items.iter().map(|s| JsValue::from_str(s)).collect();
        self.with(|c| String::from(Intl::ListFormat::new(&Array::of1(&JsValue::from_str(&c.locale)), &Object::new()).format(&all)))
            .unwrap_or_else(|| items.join(", "))
    }

    /// "2 days ago", "gestern", "قبل ساعتين": the time from `then_ms` to
    /// `now_ms` (unix ms) in the largest whole unit
    /// ([`kindred_core::time::relative_unit`]), via `Intl.RelativeTimeFormat`.
    pub fn relative(self, now_ms: i64, then_ms: i64) -> String {
        let (n, unit) = kindred_core::time::relative_unit(now_ms, then_ms);
        self.with(|c| String::from(c.relative.format(-(n as f64), unit))).unwrap_or_else(|| format!("{n} {unit}"))
    }
}

/// The longest start of `s` that is at most `max` code points (the edge's
/// count, e.g. `kindred_core::community::MEMBER_NAME_MAX`) and ends between
/// two user-perceived characters: a cut never leaves half of an emoji
/// family, a flag or a letter with its marks. The clusters are the
/// browser's (`Intl.Segmenter`, graphemes), so the widget carries no
/// Unicode tables (the edge uses `unicode-segmentation`:
/// `kindred_core::text::prefix_graphemes`); a browser without it cuts at
/// `max` code points, and so does a first cluster longer than `max` (the
/// cut is never empty).
pub fn prefix_graphemes(s: &str, max: usize) -> &str {
    let Some((at, _)) = s.char_indices().nth(max) else { return s };
    // Where the cut falls, in UTF-16 units (the Segmenter's index).
    let units: u32 = s[..at].chars().map(|c| c.len_utf16() as u32).sum();
    let start = cluster_start(s, units).filter(|&u| u > 0).unwrap_or(units);
    // Back to a byte index: the start of the cluster the cut fell in.
    let mut seen = 0u32;
    for (i, c) in s.char_indices() {
        if seen >= start {
            return &s[..i];
        }
        seen += c.len_utf16() as u32;
    }
    s
}

/// The UTF-16 index where the grapheme cluster holding `at` starts in `s`;
/// `None` without `Intl.Segmenter` (Firefox before 125) or past the end.
fn cluster_start(s: &str, at: u32) -> Option<u32> {
    let ctor = Reflect::get(&Reflect::get(&js_sys::global(), &"Intl".into()).ok()?, &"Segmenter".into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
    let options = Object::new();
    Reflect::set(&options, &"granularity".into(), &"grapheme".into()).ok()?;
    let segmenter: Intl::Segmenter = Reflect::construct(&ctor, &Array::of2(&JsValue::UNDEFINED, &options)).ok()?.unchecked_into();
    segmenter.segment(s).containing(at).map(|d| d.index())
}

/// `n` as a whole number, without Rust's float formatting (which would add
/// kilobytes to the main module; the numbers shown are counts anyway).
fn whole(n: f64) -> String {
    (n.round() as i64).to_string()
}

fn call(f: &js_sys::Function, n: f64) -> String {
    f.call1(&JsValue::NULL, &JsValue::from_f64(n))
        .ok()
        .and_then(|v| v.dyn_into::<JsString>().ok())
        .map(String::from)
        .unwrap_or_else(|| whole(n))
}

/// Replaces each `{name}` in `pattern` with `arg(name)` (kept as is when
/// there is none). By `split_once`, not byte slicing: no panic path (and its
/// formatting code) in the main module.
fn fill(pattern: &str, arg: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut rest = pattern;
    while let Some((text, after)) = rest.split_once('{') {
        out.push_str(text);
        match after.split_once('}') {
            Some((name, tail)) => {
                match arg(name) {
                    Some(v) => out.push_str(&v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = tail;
            }
            None => {
                out.push('{');
                rest = after;
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The widget's [`I18n`] (from [`crate::App`]'s context).
pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or_default()
}
