//! A personal order without tracking (issue 15, part 3): the widget's first
//! page puts first what fits the visitor's context, as the page they are on
//! states it, never from a profile. No cookie and no storage is read or
//! written for it: each first-paint request carries its context
//! (`GET /v1/widget/{brand}?context=..&ref=..&group=..&invite=..&lang=..`,
//! [`Asked`]), and the shopper can switch to "newest" at any time.
//!
//! The context's tag is the first of these that the scope's testimonials
//! have (one of the scope's tag chips, [`crate::widget::WidgetPayload::tags`]):
//! 1. a friend arriving through a referral link (`?kindred_ref=`): the tags
//!    of the referrer's own published testimonial, the one shown as their
//!    words on the friend's offer ([`crate::sql::referrer_voice`]), in its order;
//! 2. a visitor arriving through a group invite (`?kindred_group=`): the
//!    group's tag, for a public group or a valid invite
//!    ([`crate::sql::GROUP_CONTEXT_TAG`]);
//! 3. the tags the page names (`data-context-tags="vegan, running"`, e.g. on
//!    a collection page), in the page's order.
//!
//! Beside it, the shopper's language (the page's language as the loader reads
//! it: `data-locale`, else `<html lang>`, else the browser's first) when the
//! scope has testimonials written in it and in at least one other language
//! ([`crate::widget::WidgetPayload::languages`]: a store whose reviews are
//! all in one language keeps its plain order). The first page then lists
//! testimonials with the tag first, then the brand's featured ones, then
//! those in the language, then the rest, each group newest first
//! ([`first_page`]). It is built from the newest page of each (the tag's, the
//! language's, the plain one), so an older review with both the tag and
//! the language may wait for a later page: the order is a preference for the
//! first page, not a filter.
//!
//! So a product has at most (tag chips + 1) × ([`LANGUAGES_MAX`] + 1) orders
//! per UI locale, 117 at most, each built from D1 once and cached like the
//! plain first page; a context nobody's testimonials have (an invented tag,
//! language, code or group) is the plain first page, from its copy.

use crate::testimonial::{Cursor, Sort};
use crate::widget::TestimonialView;
use serde::{Deserialize, Serialize};

/// Tags a page may name in `data-context-tags` (more are ignored).
pub const CONTEXT_TAGS_MAX: usize = 5;

/// Languages of a scope's testimonials known to the first paint (the first
/// in alphabetical order of their subtags; more are left out of the order).
pub const LANGUAGES_MAX: usize = 8;

/// What put a testimonial first: the context a first page was ordered for.
/// Absent from the payload when nothing in the visitor's context applies.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Context {
    /// Testimonials with this tag come first (one of the scope's chips).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// Then those written in this language (a primary language subtag,
    /// lowercase: `fa`, `de`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

impl Context {
    /// The context as a cache key's suffix (`t=<hash>&l=<lang>`): the tag
    /// as the first 16 bytes of its SHA-256 in hex, so any tag (40 emoji
    /// are 640 bytes percent-encoded) keeps the key short (Cloudflare KV
    /// keys are at most 512 bytes) and no tag can make two contexts share a
    /// key; the language is 2 or 3 letters.
    pub fn key(&self) -> String {
        use sha2::Digest;
        let mut k = String::new();
        if let Some(t) = &self.tag {
            k.push_str("t=");
            for b in &sha2::Sha256::digest(t.as_bytes())[..16] {
                k.push_str(&format!("{b:02x}"));
            }
        }
        if let Some(l) = &self.lang {
            if !k.is_empty() {
                k.push('&');
            }
            k.push_str("l=");
            k.push_str(l);
        }
        k
    }
}

/// A first-paint request's context, read from its query string: every part
/// optional, nothing in it is an error (a bad value counts as absent).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Asked {
    /// `context`: the page's tags, comma-separated, normalised as testimonial
    /// tags are, at most [`CONTEXT_TAGS_MAX`].
    pub tags: Vec<String>,
    /// `ref`: the referral code the visitor arrived with (a well-formed one,
    /// `crate::referral::ReferralCode`: anything else reads nothing).
    pub referral: Option<String>,
    /// `group` and `invite`: the group invite they arrived with.
    pub group: Option<(String, String)>,
    /// `lang`: the shopper's language, a primary subtag ([`language`]).
    pub lang: Option<String>,
}

impl Asked {
    /// Reads the context's parameters from a query string's pairs.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut asked = Self::default();
        let mut group = None;
        let mut invite = None;
        let mut context = None;
        let token = |v: &str| (!v.is_empty() && v.len() <= 128 && v.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.~".contains(&b))).then(|| v.to_owned());
        for (k, v) in pairs {
            match k {
                "context" => context = Some(v),
                "ref" => asked.referral = crate::referral::ReferralCode::parse(v).ok().map(|c| c.as_str().to_owned()),
                "group" => group = token(v),
                "invite" => invite = token(v),
                "lang" => asked.lang = language(v),
                _ => {}
            }
        }
        // In the page's language, as a review written there keeps its tags
        // (a Persian page's "كتاب" typed on an Arabic keyboard is "کتاب",
        // helper-90), whichever order the parameters came in.
        asked.tags = context.map(|v| tags(v, asked.lang.as_deref())).unwrap_or_default();
        asked.group = group.zip(invite.or_else(|| Some(String::new())));
        asked
    }

    /// Whether anything beyond the language is asked (a tag may apply).
    pub fn wants_tag(&self) -> bool {
        !self.tags.is_empty() || self.referral.is_some() || self.group.is_some()
    }
}

/// The tags of `data-context-tags`: split at commas of any script
/// (`crate::testimonial::split_tags`), each normalised as a
/// testimonial's tag in the page's language `lang` (trimmed, lowercased,
/// Persian letters on a Persian page; `crate::testimonial::normalize_tags_in`),
/// empty and over-long ones dropped, repeats once, at most [`CONTEXT_TAGS_MAX`].
pub fn tags(raw: &str, lang: Option<&str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in crate::testimonial::split_tags(raw).take(CONTEXT_TAGS_MAX * 4) {
        if let Ok(mut t) = crate::testimonial::normalize_tags_in(&[part.to_owned()], lang) {
            if let Some(t) = t.pop() {
                if !out.contains(&t) {
                    out.push(t);
                }
            }
        }
        if out.len() == CONTEXT_TAGS_MAX {
            break;
        }
    }
    out
}

/// The primary language subtag of a BCP 47 language tag (RFC 5646 §2.2.1),
/// lowercase, in one spelling per language: `pt-BR` → `pt`, `fa_IR` → `fa`;
/// another code of a language is its canonical one ([`canonical`]: `iw` →
/// `he`, Dari's `prs` → `fa`), and the spoken Arabics are Arabic
/// ([`VARIETIES`]). `None` for anything else: a code this cannot tell
/// apart from noise is no language.
pub fn language(tag: &str) -> Option<String> {
    let lower = primary(tag)?;
    match VARIETIES.iter().find(|(variety, _)| *variety == lower) {
        Some((_, macrolanguage)) => known(macrolanguage),
        None => canonical(tag),
    }
}

/// The primary language subtag of `tag` as CLDR canonicalizes it (UTS #35
/// §3.2.1, its `languageAlias` data, which the browser's
/// `Intl.getCanonicalLocales` applies): [`ALIASES`]; two letters (ISO
/// 639-1), or three for the right-to-left languages without a two-letter
/// code (`ckb`, `syr`, `nqo`) and a few others ([`THREE`]). Scripts are not
/// kept (`zh-Hant` is `zh`). The widget's UI language is read this way
/// (`crate::i18n::locale`, as the loader reads it in the browser).
pub fn canonical(tag: &str) -> Option<String> {
    let lower = primary(tag)?;
    let current = ALIASES.iter().find(|(alias, _)| *alias == lower).map_or(lower.as_str(), |(_, current)| current);
    known(current)
}

/// A tag's primary subtag, lowercase, if it is letters only.
fn primary(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?;
    primary.bytes().all(|b| b.is_ascii_alphabetic()).then(|| primary.to_ascii_lowercase())
}

/// `code` if it is a language this reads: two letters, or three among
/// [`RTL`] and [`THREE`].
fn known(code: &str) -> Option<String> {
    let ok = code.len() == 2 || code.len() == 3 && (RTL.contains(&code) || THREE.contains(&code));
    ok.then(|| code.to_owned())
}

/// Three-letter codes (ISO 639-3) of languages with many readers and no
/// two-letter code: Filipino, Cantonese, Hawaiian, Cebuano, Swiss German,
/// Asturian, Hakka, Min Nan, Kabyle.
const THREE: &[&str] = &["fil", "yue", "haw", "ceb", "gsw", "ast", "hak", "nan", "kab"];

/// Other codes of a language, with its canonical one, as CLDR's
/// `languageAlias` data has them (supplementalMetadata.xml; what the
/// browser's `Intl.getCanonicalLocales` applies): every such code of a
/// shipped UI locale's language (tests/fixtures/locale-aliases.json, which
/// core's tests hold this to and the browser tests Chromium), and those of
/// the right-to-left languages. The deprecated ISO 639-1 codes
/// (`iw` → `he`, `in` → `id`, `ji` → `yi`, `jw` → `jv`, `mo` → `ro`), the
/// ISO 639-2/3 codes of the widget's languages and of right-to-left ones
/// that have an ISO 639-1 code (`deu`, `fre`, `ara`, `per`, `heb`, ...), and the individual languages CLDR
/// reads as their macrolanguage or another code: Standard Arabic `arb`,
/// Iranian Persian `pes`, Dari `prs` and its retired codes `drw`, `tnf`
/// (`fa`; helper-91: a Dari page had no language), Northern Pashto `pbu`,
/// Eastern Yiddish `ydd` (helper-92), Chaldean Neo-Aramaic `cld` (Syriac).
pub const ALIASES: &[(&str, &str)] = &[
    ("iw", "he"), ("in", "id"), ("ji", "yi"), ("jw", "jv"), ("mo", "ro"),
    ("eng", "en"), ("deu", "de"), ("ger", "de"), ("fra", "fr"), ("fre", "fr"), ("spa", "es"), ("por", "pt"),
    ("ara", "ar"), ("arb", "ar"), ("fas", "fa"), ("per", "fa"), ("pes", "fa"), ("prs", "fa"), ("urd", "ur"), ("pus", "ps"),
    ("drw", "fa"), ("tnf", "fa"), ("pbu", "ps"), ("snd", "sd"), ("uig", "ug"), ("div", "dv"), ("heb", "he"), ("yid", "yi"), ("ydd", "yi"),
    ("cld", "syr"),
];

/// Individual languages of a macrolanguage that CLDR keeps apart from it
/// (as languages of their own, or Jordanian `ajp` as Levantine `apc`),
/// read as the macrolanguage for what a text is written in
/// (IANA language subtag registry, `Macrolanguage`): the spoken Arabics a
/// phone may name (Egyptian `arz`, Moroccan `ary`, Levantine `apc` and
/// `ajp`, Gulf `afb`, Najdi `ars`, Mesopotamian `acm`, Algerian `arq`,
/// Tunisian `aeb`, Sudanese `apd`, Hijazi `acw`, Libyan `ayl`) are `ar`,
/// Southern and Central Pashto `pbt`, `pst` `ps` (helper-92). Not for the
/// UI's language ([`canonical`]): the browser would not read them so.
const VARIETIES: &[(&str, &str)] = &[
    ("arz", "ar"), ("ary", "ar"), ("apc", "ar"), ("ajp", "ar"), ("afb", "ar"), ("ars", "ar"),
    ("acm", "ar"), ("arq", "ar"), ("aeb", "ar"), ("apd", "ar"), ("acw", "ar"), ("ayl", "ar"), ("pbt", "ps"), ("pst", "ps"),
];

/// Languages written right to left (their scripts' Bidi_Class is R or AL):
/// Arabic, Persian, Urdu, Pashto, Sindhi, Sorani, Uyghur, Dhivehi, Hebrew,
/// Yiddish, Syriac, N'Ko.
const RTL: &[&str] = &["ar", "fa", "ur", "ps", "sd", "ckb", "ug", "dv", "he", "yi", "syr", "nqo"];

/// Whether `lang` (a primary subtag) is written right to left.
pub fn is_rtl(lang: &str) -> bool {
    RTL.contains(&lang)
}

/// The language a testimonial is stored as written in: `declared` (the
/// page's language the form sent, [`language`]) unless the text's strongly
/// directional letters say otherwise: a text whose letters are less than a
/// third in the language's direction (Bidi_Class L, or R and AL, UAX #9),
/// such as a Persian text under a left-to-right language, is stored with
/// no language (a Persian review sent from an
/// English page is not put first for English readers). Needs the Unicode
/// tables (feature `unicode`, the edge's): without them the declared
/// language is taken as it is.
pub fn written_in(declared: Option<&str>, text: &str) -> Option<String> {
    let lang = language(declared?)?;
    #[cfg(feature = "unicode")]
    {
        use icu_properties::props::BidiClass as B;
        let (mut ltr, mut rtl) = (0usize, 0usize);
        // Letters that show: the direction marks (LRM is class L, RLM R,
        // ALM AL) set no language (helper-86: 30 RLMs made English Persian).
        for c in text.chars().filter(|c| !crate::text::is_default_ignorable(*c)) {
            match crate::text::bidi_class(c) {
                B::L => ltr += 1,
                B::R | B::AL => rtl += 1,
                _ => {}
            }
        }
        // A third: an Arabic review naming an "iPhone" still counts as Arabic.
        let own = if is_rtl(&lang) { rtl } else { ltr };
        let fits = own * 3 >= ltr + rtl;
        if !fits {
            return None;
        }
    }
    #[cfg(not(feature = "unicode"))]
    let _ = text;
    Some(lang)
}

/// The context a first page is ordered for: the first of `candidates` (the
/// visitor's tags, in the order of the module's list) that is one of the
/// scope's tag `chips`, and `lang` when the scope has testimonials in it
/// and in another language. `None` when neither applies: the plain first
/// page.
pub fn choose<'a>(candidates: impl IntoIterator<Item = &'a str>, chips: &[String], lang: Option<&str>, languages: &[String]) -> Option<Context> {
    let tag = candidates.into_iter().find(|c| chips.iter().any(|t| t == c)).map(str::to_owned);
    let lang = lang.filter(|l| languages.len() > 1 && languages.iter().any(|x| x == l)).map(str::to_owned);
    (tag.is_some() || lang.is_some()).then_some(Context { tag, lang })
}

/// The first page in `context`'s order, at most `limit` long, from three
/// reads of the same scope in the feed's default order: testimonials with
/// the tag (`tagged`), in the language (`in_language`), and the plain first
/// page (`plain`). Each testimonial once; ranked by the tag, then the
/// brand's featured ones (the brand's pick stays above the language), then
/// the language, then newest. Answers the page and whether more
/// testimonials follow it.
pub fn first_page(
    context: &Context,
    tagged: Vec<TestimonialView>,
    in_language: Vec<TestimonialView>,
    plain: Vec<TestimonialView>,
    plain_has_more: bool,
    limit: usize,
) -> (Vec<TestimonialView>, bool) {
    let mut all: Vec<TestimonialView> = Vec::new();
    for t in tagged.into_iter().chain(in_language).chain(plain) {
        if !all.iter().any(|x| x.id == t.id) {
            all.push(t);
        }
    }
    let rank = |t: &TestimonialView| {
        let tag = context.tag.as_ref().is_some_and(|c| t.tags.contains(c));
        let lang = context.lang.is_some() && t.lang == context.lang;
        u8::from(tag) * 4 + u8::from(t.featured) * 2 + u8::from(lang)
    };
    all.sort_by(|a, b| rank(b).cmp(&rank(a)).then(b.created_at.cmp(&a.created_at)));
    let more = plain_has_more || all.len() > limit;
    all.truncate(limit);
    (all, more)
}

/// The plain first page (`plain`, followed by `plain_next`) in `context`'s
/// order ([`first_page`]) with the cursor after it; `None` when that order
/// is the plain page's (an order that changes nothing is not named). The
/// same testimonials in another order keep the plain page's cursor; a page
/// with others restarts the default order ([`next_cursor`]).
pub fn reorder(
    context: &Context,
    tagged: Vec<TestimonialView>,
    in_language: Vec<TestimonialView>,
    plain: &[TestimonialView],
    plain_next: Option<&str>,
    limit: usize,
) -> Option<(Vec<TestimonialView>, Option<String>)> {
    let (page, more) = first_page(context, tagged, in_language, plain.to_vec(), plain_next.is_some(), limit);
    if page.iter().map(|t| &t.id).eq(plain.iter().map(|t| &t.id)) {
        return None;
    }
    let same = page.len() == plain.len() && page.iter().all(|t| plain.iter().any(|p| p.id == t.id));
    let next = if same { plain_next.map(str::to_owned) } else { next_cursor(more) };
    Some((page, next))
}

/// The cursor after a first page in a context's order: the default order
/// from its start ([`Cursor::restart`]); the widget leaves out what it
/// already shows.
pub fn next_cursor(more: bool) -> Option<String> {
    more.then(|| Cursor::restart(Sort::Newest).encode())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(id: &str, tags: &[&str], lang: Option<&str>, featured: bool, created_at: i64) -> TestimonialView {
        TestimonialView {
            id: id.into(),
            author_name: "A".into(),
            rating: 5,
            title: String::new(),
            body: "body text".into(),
            tags: tags.iter().map(|t| (*t).to_owned()).collect(),
            verified_buyer: false,
            ambassador: false,
            featured,
            helpful_count: 0,
            photos: vec![],
            incentivised: false,
            verified_purchase: false,
            edited_at: None,
            reply: None,
            imported: false,
            lang: lang.map(str::to_owned),
            created_at,
        }
    }

    #[test]
    fn languages_are_primary_subtags() {
        assert_eq!(language("pt-BR").as_deref(), Some("pt"));
        assert_eq!(language(" fa_IR ").as_deref(), Some("fa"));
        assert_eq!(language("CKB").as_deref(), Some("ckb"));
        assert_eq!(language("iw-IL").as_deref(), Some("he"), "the deprecated code some phones send");
        assert_eq!(language("fas").as_deref(), Some("fa"));
        assert_eq!(language("prs-AF").as_deref(), Some("fa"), "Dari");
        assert_eq!(language("pbt").as_deref(), Some("ps"));
        assert_eq!(language("arz-EG").as_deref(), Some("ar"), "Egyptian Arabic");
        assert_eq!(language("heb").as_deref(), Some("he"));
        assert!(is_rtl(&language("ara").unwrap()));
        assert_eq!(language("fil-PH").as_deref(), Some("fil"));
        for bad in ["", "x", "english", "und", "mul", "zxx", "qab", "aaa", "e1", "-de", "ar\u{0660}"] {
            assert_eq!(language(bad), None, "{bad}");
            assert_eq!(canonical(bad), None, "{bad}");
        }
        // The UI's reading (CLDR's aliases only): the spoken Arabics stay
        // languages of their own there.
        assert_eq!(canonical("iw-IL").as_deref(), Some("he"));
        assert_eq!(canonical("prs").as_deref(), Some("fa"));
        assert_eq!(canonical("deu").as_deref(), Some("de"));
        assert_eq!(canonical("arz-EG"), None);
        assert_eq!(canonical("pbt"), None);
        assert_eq!(language("deu").as_deref(), Some("de"));
    }

    #[test]
    fn declared_language_must_fit_the_text_direction() {
        assert_eq!(written_in(Some("fa"), "این کتاب عالی بود، ممنون").as_deref(), Some("fa"));
        assert_eq!(written_in(Some("en"), "این کتاب عالی بود، ممنون"), None);
        assert_eq!(written_in(Some("he"), "Great book, thanks"), None);
        assert_eq!(written_in(Some("ar"), "رائع 👍 iPhone"), Some("ar".into()));
        assert_eq!(written_in(Some("de"), "Sehr gut 👍 — ٥ نجوم"), Some("de".into()));
        assert_eq!(written_in(Some("de"), "😀😀😀"), Some("de".into()));
        // Direction marks are no letters (helper-86).
        assert_eq!(written_in(Some("fa"), &format!("Great book, thanks{}", "\u{200F}".repeat(30))), None);
        assert_eq!(written_in(Some("en"), &format!("عالی{}", "\u{200E}".repeat(30))), None);
        assert_eq!(written_in(None, "Sehr gut"), None);
        assert_eq!(written_in(Some("und"), "Sehr gut"), None);
    }

    #[test]
    fn context_tags_are_normalised_and_bounded() {
        assert_eq!(tags(" Vegan ,running,,vegan", None), vec!["vegan", "running"]);
        assert_eq!(tags("a,b,c,d,e,f,g", None).len(), CONTEXT_TAGS_MAX);
        assert!(tags(&"x".repeat(41), None).is_empty());
        assert!(tags("", None).is_empty());
        assert_eq!(tags("غذای گیاهی، دویدن", None), vec!["غذای گیاهی", "دویدن"], "an Arabic-script page's list");
    }

    #[test]
    fn asked_reads_its_parameters_and_ignores_bad_ones() {
        let a = Asked::from_pairs([("context", "Vegan"), ("ref", "ana2trek"), ("group", "g1"), ("invite", "tok"), ("lang", "fa-IR"), ("x", "y")]);
        assert_eq!(a.tags, vec!["vegan"]);
        assert_eq!(a.referral.as_deref(), Some("ANA2TREK"));
        assert_eq!(Asked::from_pairs([("ref", "ANA-7")]).referral, None, "not a code's shape: no D1 read");
        assert_eq!(a.group, Some(("g1".into(), "tok".into())));
        assert_eq!(a.lang.as_deref(), Some("fa"));
        // The page's tags in its language, the language sent before or after.
        for pairs in [[("context", "كتاب,علي"), ("lang", "fa")], [("lang", "fa-IR"), ("context", "كتاب,علي")]] {
            assert_eq!(Asked::from_pairs(pairs).tags, vec!["کتاب", "علی"]);
        }
        assert_eq!(Asked::from_pairs([("context", "كتاب,علي"), ("lang", "ar")]).tags, vec!["كتاب", "علي"]);
        let bad = Asked::from_pairs([("ref", "a b"), ("group", "<g>"), ("lang", "123"), ("context", ",,")]);
        assert_eq!(bad, Asked::default());
        assert!(!bad.wants_tag());
        assert_eq!(Asked::from_pairs([("group", "g1")]).group, Some(("g1".into(), String::new())));
    }

    #[test]
    fn an_order_that_changes_nothing_is_not_named_and_a_reshuffle_keeps_the_cursor() {
        let ctx = Context { tag: Some("vegan".into()), lang: None };
        let plain = vec![view("v", &["vegan"], None, false, 9), view("a", &[], None, false, 8)];
        assert_eq!(reorder(&ctx, vec![plain[0].clone()], vec![], &plain, Some("c1"), 10), None, "the tag's review leads already");
        let plain = vec![view("a", &[], None, false, 9), view("v", &["vegan"], None, false, 8)];
        let (page, next) = reorder(&ctx, vec![plain[1].clone()], vec![], &plain, Some("c1"), 10).unwrap();
        assert_eq!(page.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), ["v", "a"]);
        assert_eq!(next.as_deref(), Some("c1"), "the same reviews: the plain page's next page follows");
        let older = view("o", &["vegan"], None, false, 1);
        let (page, next) = reorder(&ctx, vec![older], vec![], &plain, Some("c1"), 2).unwrap();
        assert_eq!(page.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), ["v", "o"]);
        assert_eq!(next, next_cursor(true), "other reviews: the default order from its start");
    }

    #[test]
    fn keys_never_collide() {
        let a = Context { tag: Some("a&l=fa".into()), lang: None };
        let b = Context { tag: Some("a".into()), lang: Some("fa".into()) };
        assert_ne!(a.key(), b.key());
        assert_eq!(Context::default().key(), "");
    }

    #[test]
    fn the_first_candidate_the_scope_has_wins() {
        let chips = vec!["running".to_owned(), "vegan".to_owned()];
        let c = choose(["gaming", "vegan", "running"], &chips, Some("fa"), &["de".into()]).unwrap();
        assert_eq!(c, Context { tag: Some("vegan".into()), lang: None });
        let c = choose([], &chips, Some("de"), &["de".into(), "en".into()]).unwrap();
        assert_eq!(c, Context { tag: None, lang: Some("de".into()) });
        assert_eq!(choose(["gaming"], &chips, Some("fa"), &["de".into()]), None);
        assert_eq!(choose([], &chips, Some("de"), &["de".into()]), None, "reviews all in one language: the plain order");
    }

    #[test]
    fn tag_and_language_first_then_the_feed_order() {
        let ctx = Context { tag: Some("vegan".into()), lang: Some("fa".into()) };
        let plain = vec![
            view("f", &[], None, true, 1),
            view("n1", &[], None, false, 90),
            view("v-en", &["vegan"], Some("en"), false, 80),
            view("fa", &[], Some("fa"), false, 70),
        ];
        let tagged = vec![view("v-en", &["vegan"], Some("en"), false, 80), view("v-fa", &["vegan"], Some("fa"), false, 10)];
        let in_language = vec![view("fa", &[], Some("fa"), false, 70), view("v-fa", &["vegan"], Some("fa"), false, 10)];
        let (page, more) = first_page(&ctx, tagged, in_language, plain, false, 10);
        let ids: Vec<_> = page.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["v-fa", "v-en", "f", "fa", "n1"], "the tag, then the brand's featured pick, then the language");
        assert!(!more);
        let (page, more) = first_page(&ctx, vec![], vec![], vec![view("a", &[], None, false, 2), view("b", &[], None, false, 1)], false, 1);
        assert_eq!(page.len(), 1);
        assert!(more);
        assert_eq!(next_cursor(more).as_deref(), Some(Cursor::restart(Sort::Newest).encode().as_str()));
        assert_eq!(next_cursor(false), None);
    }
}
