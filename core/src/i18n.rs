//! The widget's message catalogue: which locales ship, their direction, and
//! (with the `catalogue` feature, at build time) the compiler from Fluent
//! files (`widget/i18n/<locale>.ftl`) to the compact JSON the loader and the
//! widget read.
//!
//! Why Fluent only at build time: the Fluent runtime (`fluent-bundle`, with
//! its parser, plural rules and language identifiers) measured 58.6 KB
//! brotli as wasm on its own (release, `wasm-opt -Oz`), and the catalogue
//! may add at most 4 KB to a first visit. Translators still write Fluent
//! (its syntax, comments and tooling), `fluent-syntax` parses and checks it
//! here, and the browser's own `Intl` does the locale-aware parts
//! (`Intl.PluralRules` picks a plural variant; numbers, dates and relative
//! times are `Intl` formats) in the shipped code.
//!
//! The subset the compiler accepts, so the runtime stays a few lines: a
//! message is text with `{ $variable }` placeables, or one select on a
//! variable whose variants are such text (`[one]`, `[other]`, CLDR plural
//! categories, or exact numbers like `[0]`; a `*` default is required).
//! Compiled, a message is a JSON string with `{variable}` markers, or an
//! object `{"$": "count", "one": "…", "other": "…", "*": "other"}`.

/// The UI locales that ship (BCP 47 language tags). `en` is the source: every
/// other catalogue has exactly its messages. The loader picks one from
/// `data-locale`, else the page's `<html lang>`, else the browser's
/// languages, as [`locale`] does; anything else is `en`.
pub const LOCALES: &[&str] = &["en", "de", "fr", "es", "pt", "ar", "he", "fa"];

/// The shipped locale for a language tag, `None` if none ships: the tag's
/// language as CLDR canonicalizes it ([`crate::context::canonical`]:
/// `pt-BR` is `pt`, `iw` is `he`, Dari's `prs` and Iranian Persian's `pes`
/// are `fa`), among [`LOCALES`]. The loader reads a tag the same way with
/// the browser's `Intl.getCanonicalLocales` (widget/loader/embed.js
/// `localeFor`), so the edge and the page agree on a page's UI language.
/// Egyptian Arabic's `arz` is none: CLDR keeps it a language of its own.
pub fn locale(tag: &str) -> Option<&'static str> {
    let lang = crate::context::canonical(tag)?;
    LOCALES.iter().copied().find(|l| *l == lang)
}

/// `"rtl"` or `"ltr"`: the direction of text in `locale`'s language, by
/// its primary subtag ([`crate::context::is_rtl`]: `syr` is right to
/// left). `locale` is a shipped locale or a language as Kindred stores it
/// (`crate::context::language`'s spelling), so another code of a language
/// (`iw`) is not looked up here: the widget's main module does not carry
/// the alias tables for it.
pub fn direction(locale: &str) -> &'static str {
    let lang = locale.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
    if crate::context::is_rtl(&lang) {
        "rtl"
    } else {
        "ltr"
    }
}

#[cfg(feature = "catalogue")]
pub use compile::{compile, Compiled};

#[cfg(feature = "catalogue")]
mod compile {
    use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement, VariantKey};
    use serde_json::{Map, Value};
    use std::collections::{BTreeMap, BTreeSet};

    /// One locale's compiled catalogue: `{"locale", "dir", "messages"}` as
    /// JSON, and each message's variables (for checking translations).
    #[derive(Debug, Clone)]
    pub struct Compiled {
        pub json: Value,
        pub variables: BTreeMap<String, BTreeSet<String>>,
    }

    /// Compiles one Fluent file. `source` is `None` for the source locale
    /// (en); for a translation it is en's result, and every message id must
    /// match it, using only en's variables.
    ///
    /// Errors: a syntax error (with the text around it), a term or
    /// attribute (not used here), a select mixed with text, a nested
    /// select, a select without a default, a missing or extra message, an
    /// unknown variable; each names the locale and message.
    pub fn compile(locale: &str, ftl: &str, source: Option<&Compiled>) -> Result<Compiled, String> {
        let resource = fluent_syntax::parser::parse(ftl).map_err(|(_, errs)| {
            let e = &errs[0];
            let at = ftl.get(e.pos.start..e.pos.end.min(e.pos.start + 40)).unwrap_or("");
            format!("{locale}.ftl: {:?} near {at:?}", e.kind)
        })?;
        let mut messages = Map::new();
        let mut variables = BTreeMap::new();
        for entry in resource.body {
            match entry {
                Entry::Message(m) => {
                    let id = m.id.name.to_owned();
                    if !m.attributes.is_empty() {
                        return Err(format!("{locale}.ftl: {id}: attributes are not supported; use a message of its own"));
                    }
                    let pattern = m.value.ok_or_else(|| format!("{locale}.ftl: {id} has no value"))?;
                    let mut vars = BTreeSet::new();
                    let value = message(&pattern, &mut vars).map_err(|e| format!("{locale}.ftl: {id}: {e}"))?;
                    if messages.insert(id.clone(), value).is_some() {
                        return Err(format!("{locale}.ftl: {id} is defined twice"));
                    }
                    variables.insert(id, vars);
                }
                Entry::Term(t) => return Err(format!("{locale}.ftl: -{}: terms are not supported", t.id.name)),
                Entry::Junk { content } => return Err(format!("{locale}.ftl: cannot parse {content:?}")),
                _ => {}
            }
        }
        if let Some(en) = source {
            for (id, vars) in &variables {
                let Some(allowed) = en.variables.get(id) else {
                    return Err(format!("{locale}.ftl: {id} is not in en.ftl"));
                };
                if let Some(v) = vars.difference(allowed).next() {
                    return Err(format!("{locale}.ftl: {id} uses ${v}, which en.ftl's {id} does not have"));
                }
            }
            if let Some(id) = en.variables.keys().find(|id| !variables.contains_key(*id)) {
                return Err(format!("{locale}.ftl: {id} is missing (every message of en.ftl is needed)"));
            }
        }
        let mut json = Map::new();
        json.insert("locale".into(), Value::String(locale.to_owned()));
        json.insert("dir".into(), Value::String(super::direction(locale).to_owned()));
        json.insert("messages".into(), Value::Object(messages));
        Ok(Compiled { json: Value::Object(json), variables })
    }

    fn message(pattern: &Pattern<&str>, vars: &mut BTreeSet<String>) -> Result<Value, String> {
        let select = pattern.elements.iter().find_map(|e| match e {
            PatternElement::Placeable { expression: Expression::Select { selector, variants } } => Some((selector, variants)),
            _ => None,
        });
        let Some((selector, variants)) = select else {
            return text(pattern, vars).map(Value::String);
        };
        let only = pattern.elements.iter().all(|e| match e {
            PatternElement::TextElement { value } => value.trim().is_empty(),
            PatternElement::Placeable { expression: Expression::Select { .. } } => true,
            _ => false,
        });
        if !only {
            return Err("a select must be the whole message (repeat the text in each variant)".into());
        }
        let InlineExpression::VariableReference { id } = selector else {
            return Err("a select must be on a variable".into());
        };
        vars.insert(id.name.to_owned());
        let mut out = Map::new();
        out.insert("$".into(), Value::String(id.name.to_owned()));
        for v in variants {
            let key = match &v.key {
                VariantKey::Identifier { name } => (*name).to_owned(),
                VariantKey::NumberLiteral { value } => (*value).to_owned(),
            };
            if v.default {
                out.insert("*".into(), Value::String(key.clone()));
            }
            out.insert(key, Value::String(text(&v.value, vars)?));
        }
        if !out.contains_key("*") {
            return Err("a select needs a default variant (*[other])".into());
        }
        Ok(Value::Object(out))
    }

    fn text(pattern: &Pattern<&str>, vars: &mut BTreeSet<String>) -> Result<String, String> {
        let mut s = String::new();
        for e in &pattern.elements {
            match e {
                PatternElement::TextElement { value } => s.push_str(value),
                PatternElement::Placeable { expression: Expression::Inline(InlineExpression::VariableReference { id }) } => {
                    vars.insert(id.name.to_owned());
                    s.push('{');
                    s.push_str(id.name);
                    s.push('}');
                }
                PatternElement::Placeable { expression: Expression::Inline(InlineExpression::StringLiteral { value }) }
                    if !value.contains(['{', '}', '\\']) =>
                {
                    s.push_str(value)
                }
                _ => return Err("only { $variable } placeables are supported inside text".into()),
            }
        }
        Ok(s)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        const EN: &str = "title = What customers say\nreviews = { $count ->\n    [one] { $count } review\n   *[other] { $count } reviews\n}\nof = Reviews of { $name }\n";

        #[test]
        fn compiles_text_variables_and_plural_selects() {
            let en = compile("en", EN, None).unwrap();
            let m = &en.json["messages"];
            assert_eq!(m["title"], "What customers say");
            assert_eq!(m["of"], "Reviews of {name}");
            assert_eq!(m["reviews"]["$"], "count");
            assert_eq!(m["reviews"]["one"], "{count} review");
            assert_eq!(m["reviews"]["*"], "other");
            assert_eq!(en.json["dir"], "ltr");
        }

        #[test]
        fn translations_match_the_source() {
            let en = compile("en", EN, None).unwrap();
            let ar = "title = ماذا يقول العملاء\nreviews = { $count ->\n    [zero] لا مراجعات\n    [one] مراجعة واحدة\n    [two] مراجعتان\n   *[other] { $count } مراجعة\n}\nof = مراجعات { $name }\n";
            let c = compile("ar", ar, Some(&en)).unwrap();
            assert_eq!(c.json["dir"], "rtl");
            assert!(compile("de", "title = Was Kunden sagen\n", Some(&en)).unwrap_err().contains("missing"));
            let extra = format!("{ar}more = x\n");
            assert!(compile("ar", &extra, Some(&en)).unwrap_err().contains("not in en.ftl"));
            let bad_var = ar.replace("{ $name }", "{ $nom }");
            assert!(compile("ar", &bad_var, Some(&en)).unwrap_err().contains("$nom"));
        }

        #[test]
        fn refuses_what_the_runtime_cannot_do() {
            assert!(compile("en", "a = x { $n ->\n *[other] y\n}\n", None).unwrap_err().contains("whole message"));
            assert!(compile("en", "a = { $n ->\n [one] y\n}\n", None).is_err());
            assert!(compile("en", "-brand = Kindred\n", None).unwrap_err().contains("terms"));
            assert!(compile("en", "a = x\n    .label = y\n", None).unwrap_err().contains("attributes"));
            assert!(compile("en", "a = { b }\n", None).is_err());
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn direction_by_language() {
        assert_eq!(super::direction("ar"), "rtl");
        assert_eq!(super::direction("he-IL"), "rtl");
        assert_eq!(super::direction("fa_IR"), "rtl");
        assert_eq!(super::direction("en-US"), "ltr");
        assert_eq!(super::direction(""), "ltr");
        // Right-to-left languages without a shipped catalogue (a Syriac
        // testimonial is drawn right to left).
        assert_eq!(super::direction("syr"), "rtl");
        assert_eq!(super::direction("ckb-IQ"), "rtl");
        assert_eq!(super::direction("not a tag"), "ltr");
    }

    #[test]
    fn a_tag_reads_as_the_shipped_locale_of_its_language() {
        use super::locale;
        assert_eq!(locale("pt-BR"), Some("pt"));
        assert_eq!(locale("DE_at"), Some("de"));
        assert_eq!(locale("iw-IL"), Some("he"));
        assert_eq!(locale("prs-AF"), Some("fa"));
        assert_eq!(locale("pes"), Some("fa"));
        assert_eq!(locale("heb"), Some("he"));
        assert_eq!(locale("arz-EG"), None, "CLDR keeps Egyptian Arabic a language of its own");
        assert_eq!(locale("en"), Some("en"));
        assert_eq!(locale("ur"), None);
        assert_eq!(locale("pbt"), None, "Pashto ships no catalogue");
        assert_eq!(locale("x-klingon"), None);
        assert_eq!(locale(""), None);
        assert_eq!(locale("ger"), Some("de"));
    }

    /// Every two- and three-letter code: the edge reads as a shipped
    /// locale exactly the other codes the browser's Intl does (the
    /// fixture, which tests/browser/host-pages.test.mjs holds Chromium to;
    /// helper-93 found Dari's retired `drw` and `tnf` read apart).
    #[test]
    fn the_edge_reads_the_codes_the_browser_reads() {
        let fixture: serde_json::Value = serde_json::from_str(include_str!("../../tests/fixtures/locale-aliases.json")).unwrap();
        let want = fixture["aliases"].as_object().unwrap();
        let letters = || (b'a'..=b'z').map(char::from);
        let mut codes: Vec<String> = letters().flat_map(|a| letters().map(move |b| format!("{a}{b}"))).collect();
        codes.extend(codes.clone().iter().flat_map(|ab| letters().map(move |c| format!("{ab}{c}"))));
        let mut got = serde_json::Map::new();
        for c in &codes {
            if let Some(l) = super::locale(c).filter(|l| l != c) {
                got.insert(c.clone(), l.into());
            }
        }
        assert_eq!(&got, want);
        assert_eq!(super::locale("prs_AF"), Some("fa"), "an underscore, as Java's Locale writes it");
    }
}
