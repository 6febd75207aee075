#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The first view's markup (`GET /v1/widget/{brand}?locale=..`): rendered on
//! the edge by the widget's own Leptos components, in the shopper's
//! language, with shopper text as text. The loader builds it into the page
//! from an allowlist (widget/loader/embed.js, `build`); these tests hold the
//! edge to the same allowlist, whatever a shopper typed.

use kindred_tests::{get, TestBrand};

/// The loader's allowlist (embed.js `TAGS` and `ATTRS`): anything else makes
/// it refuse the markup.
const TAGS: &[&str] = &["section", "header", "footer", "div", "h2", "h3", "p", "span", "strong", "ul", "li", "button", "label", "select", "option", "img", "time", "a"];

fn allowed_attribute(name: &str) -> bool {
    matches!(
        name,
        "class" | "part" | "role" | "dir" | "type" | "value" | "disabled" | "selected" | "width" | "height" | "loading" | "decoding" | "alt" | "datetime" | "data-id" | "src" | "style" | "href" | "target" | "rel"
    ) || name.strip_prefix("aria-").is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_lowercase()))
}

fn markup(brand: &TestBrand, query: &str) -> Option<String> {
    let r = get(&format!("/v1/widget/{}?{query}", brand.id));
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["markup"].as_str().map(str::to_owned)
}

/// Every start tag of `html`: (name, attribute names), walking it as the
/// loader's tokenizer does (comments skipped, quoted values opaque).
fn start_tags(html: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        if let Some(after) = rest.strip_prefix("!--") {
            rest = after.find("-->").map_or("", |e| &after[e + 3..]);
            continue;
        }
        if rest.starts_with('!') || rest.starts_with('/') {
            continue;
        }
        let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        rest = &rest[name.len()..];
        let mut attrs = Vec::new();
        loop {
            rest = rest.trim_start();
            if rest.starts_with('>') || rest.starts_with("/>") || rest.is_empty() {
                break;
            }
            let attr: String = rest.chars().take_while(|c| !matches!(c, '=' | ' ' | '>' | '/')).collect();
            rest = &rest[attr.len()..];
            if let Some(v) = rest.strip_prefix("=\"") {
                let end = v.find('"').expect("a closing quote");
                rest = &v[end + 1..];
            }
            attrs.push(attr);
        }
        out.push((name, attrs));
    }
    out
}

#[test]
fn the_first_view_is_rendered_in_the_shoppers_language() {
    let brand = TestBrand::create("markup-i18n");
    let id = brand.submit(&kindred_tests::testimonial("Samira", 5, None)).json()["id"].as_str().unwrap().to_owned();
    assert_eq!(brand.approve(&id).status, 200);

    assert!(markup(&brand, "locale=en").unwrap().contains("What customers say"));
    assert!(markup(&brand, "locale=de").unwrap().contains("Das sagen unsere Kunden"));
    assert!(markup(&brand, "locale=ar").unwrap().contains("ماذا يقول عملاؤنا"));
    assert!(markup(&brand, "locale=he").unwrap().contains("מה הלקוחות אומרים"));
    // A region or script subtag picks the language, as the loader does.
    assert!(markup(&brand, "locale=pt-BR").unwrap().contains("O que os clientes dizem"));
    // A language Kindred does not ship (or nonsense) is English, never an error.
    for other in ["xx", "", "%3Cscript%3E", "zh-Hant-TW"] {
        assert!(markup(&brand, &format!("locale={other}")).unwrap().contains("What customers say"), "locale={other}");
    }
    // Without `locale`, the data alone (API clients, older loaders).
    assert_eq!(markup(&brand, ""), None);
    let plain = get(&format!("/v1/widget/{}", brand.id)).json();
    assert_eq!(plain["testimonials"][0]["author_name"], "Samira");
}

#[test]
fn what_a_shopper_typed_is_text_in_the_markup_never_markup() {
    let brand = TestBrand::create("markup-xss");
    let hostile = [
        ("\"><svg onload=alert(1)>", "<script>alert(1)</script> <img src=x onerror=alert(1)> &amp; &#60;b&#62;"),
        ("سارا 🌿", "کفش عالی بود، سایز کمی کوچک است. <style>*{display:none}</style>"),
        ("Zoë </section><section onclick=x>", "' onmouseover='alert(1)' \" data-x=\"<!-- --> <!> ]]>"),
    ];
    for (name, body) in hostile {
        let mut t = kindred_tests::testimonial("Placeholder", 4, Some("shoe-1"));
        t["display_name"] = name.into();
        t["body"] = body.into();
        t["title"] = format!("{name} {body}").chars().take(100).collect::<String>().into();
        t["tags"] = serde_json::json!(["<b>bold</b>", "قهوه"]);
        let r = brand.submit(&t);
        assert_eq!(r.status, 201, "{}", r.text());
        assert_eq!(brand.approve(r.json()["id"].as_str().unwrap()).status, 200);
    }
    for locale in ["en", "ar"] {
        let html = markup(&brand, &format!("product=shoe-1&locale={locale}")).unwrap();
        let tags = start_tags(&html);
        assert!(tags.len() > 20, "a whole view: {html}");
        for (name, attrs) in &tags {
            assert!(TAGS.contains(&name.as_str()), "<{name}> is not on the loader's allowlist: {html}");
            for a in attrs {
                assert!(allowed_attribute(a), "{a} on <{name}> is not on the loader's allowlist");
            }
        }
        assert_eq!(tags.iter().filter(|(n, _)| n == "section").count(), 1, "one section (no part of a name opened another)");
        // The words are all there, as text.
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{html}");
        assert!(html.contains("کفش عالی بود"));
        assert!(html.contains("سارا 🌿"));
        assert!(html.contains("&lt;b&gt;bold&lt;/b&gt;"));
        assert!(!html.contains("<script") && !html.contains("<svg") && !html.contains("<style"));
    }
}

#[test]
fn the_markups_links_and_photos_are_relative_to_the_edges_base() {
    use kindred_tests::request;
    let brand = TestBrand::create("markup-base");
    let photo = request("POST", &format!("/v1/brands/{}/photos", brand.id), &[("content-type", "application/octet-stream")], Some(&kindred_tests::png(40, 30))).json()["id"].as_str().unwrap().to_owned();
    let mut t = kindred_tests::testimonial("Dara", 5, None);
    t["photos"] = serde_json::json!([photo]);
    let id = brand.submit(&t).json()["id"].as_str().unwrap().to_owned();
    assert_eq!(brand.approve(&id).status, 200);
    let direct = markup(&brand, "locale=en").unwrap();
    assert!(direct.contains(&format!("src=\"v1/photos/{photo}\"")), "{direct}");
    assert!(direct.contains(&format!("href=\"reviews/{}/how?locale=en\"", brand.id)), "{direct}");
    // No URL of the edge's own: the loader resolves these against the base
    // it was served from (widget/loader/embed.js `build`), the edge's or a
    // shop's path passed on to it, which the edge cannot tell apart.
    assert!(!direct.contains("http:") && !direct.contains("https:") && !direct.contains("=\"/"), "{direct}");
}

#[test]
fn the_markup_follows_moderation_like_the_data() {
    let brand = TestBrand::create("markup-fresh");
    let first = brand.submit(&kindred_tests::testimonial("Early Bird", 5, None)).json()["id"].as_str().unwrap().to_owned();
    assert_eq!(brand.approve(&first).status, 200);
    let before = markup(&brand, "locale=fr").unwrap();
    assert!(before.contains("Early Bird"));
    let second = brand.submit(&kindred_tests::testimonial("Late Comer", 2, None)).json()["id"].as_str().unwrap().to_owned();
    assert!(!markup(&brand, "locale=fr").unwrap().contains("Late Comer"), "pending is never shown");
    assert_eq!(brand.approve(&second).status, 200);
    let after = markup(&brand, "locale=fr").unwrap();
    assert!(after.contains("Late Comer"), "the next view after approval shows it: {after}");
    // The same, read again (from the copies now), and in another locale.
    assert_eq!(markup(&brand, "locale=fr").unwrap(), after);
    assert!(markup(&brand, "locale=es").unwrap().contains("Late Comer"));
}

/// The deployed build, as its manifest names it (`kindred_core::assets`).
fn deployed_build() -> String {
    get("/kindred-build.json").json()["build"].as_str().expect("the build's manifest").to_owned()
}

#[test]
fn the_markup_names_the_build_it_was_rendered_for_so_a_loader_cached_from_before_a_deploy_can_tell() {
    let brand = TestBrand::create("markup-build");
    let id = brand.submit(&kindred_tests::testimonial("Leila", 5, None)).json()["id"].as_str().unwrap().to_owned();
    assert_eq!(brand.approve(&id).status, 200);
    let ours = deployed_build();
    // Built, then from the isolate's copy: the same build either way.
    for _ in 0..2 {
        let v = get(&format!("/v1/widget/{}?locale=en", brand.id)).json();
        assert!(v["markup"].as_str().unwrap().contains("Leila"));
        assert_eq!(v["markup_build"], ours.as_str());
    }
    // No markup, no build.
    let plain = get(&format!("/v1/widget/{}", brand.id)).json();
    assert!(plain.get("markup_build").is_none(), "{plain}");
}

/// The loader's first-paint slot (`kindred_core::assets::LOADER_FIRST_PAINT_SLOT`).
const SLOT: &str = "\"__KINDRED_FIRST_PAINT__\"";

#[test]
fn the_one_request_tag_brings_the_first_paint_to_the_brands_pages_a_refusal_to_others_and_the_loader_alone_to_anything_else() {
    let brand = TestBrand::create("embed-one");
    let mut t = kindred_tests::testimonial("Yusuf Kaya", 5, Some("sku-7"));
    // A line separator, which a JavaScript engine before ES2019 refuses in a
    // string literal (stored as a line break; the script escapes any left).
    t["body"] = serde_json::json!("Light on the trail.\u{2028}Grippy on wet rock too.");
    let id = brand.submit(&t).json()["id"].as_str().unwrap().to_owned();
    assert_eq!(brand.approve(&id).status, 200);
    let loader = get("/embed.js");
    assert_eq!(loader.status, 200);
    let loader = loader.text();
    assert_eq!(loader.matches(SLOT).count(), 1, "the static loader keeps its slot empty");
    let site = kindred_tests::site_origin();
    let path = format!("/v1/embed/{}?product=sku-7&locale=de-CH", brand.id);

    // A page of the brand's: the answer to the query its loader will make.
    let r = kindred_tests::get_with(&path, &[("origin", &site)]);
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.header("content-type").is_some_and(|c| c.starts_with("text/javascript")), "{:?}", r.header("content-type"));
    assert_eq!(r.header("access-control-allow-origin"), Some(site.as_str()));
    assert!(r.header("vary").is_some_and(|v| v.contains("Origin")));
    assert_eq!(r.header("cache-control"), Some("no-cache"));
    let body = r.text();
    let start = body.find("{\"query\":").expect("the slot, filled");
    let mut values = serde_json::Deserializer::from_str(&body[start..]).into_iter::<serde_json::Value>();
    let slot = values.next().unwrap().unwrap();
    let end = start + values.byte_offset();
    // Everything else is the static loader, byte for byte.
    assert_eq!(format!("{}{SLOT}{}", &body[..start], &body[end..]), loader);
    // The loader asks `product`, `locale` (the UI's), `lang` (the page's),
    // as kindred_core::widget::loader_query writes them.
    assert_eq!(slot["query"], "product=sku-7&locale=de&lang=de-CH");
    let inline: serde_json::Value = serde_json::from_str(slot["text"].as_str().unwrap()).unwrap();
    let direct = kindred_tests::get_with(&format!("/v1/widget/{}?product=sku-7&locale=de&lang=de-CH", brand.id), &[("origin", &site)]).json();
    assert_eq!(inline["testimonials"][0]["author_name"], "Yusuf Kaya");
    assert_eq!(inline["testimonials"], direct["testimonials"]);
    assert_eq!(inline["markup_build"], direct["markup_build"]);
    assert!(inline["markup"].as_str().unwrap().contains("Das sagen unsere Kunden"), "the first view in the page's language");
    assert!(!body.contains('\u{2028}'), "written as \\u2028 in the script");

    // A page the brand does not allow: the loader, told so in its slot (it
    // warns and asks nothing); nothing of the brand's.
    let r = kindred_tests::get_with(&path, &[("origin", "https://elsewhere.example")]);
    assert_eq!(r.status, 200, "{}", r.text());
    let refused = r#"{"refused":"https://elsewhere.example"}"#;
    assert_eq!(r.text(), loader.replacen(SLOT, refused, 1));
    assert_eq!(r.header("access-control-allow-origin"), Some("https://elsewhere.example"));

    // Anything else: the loader as /embed.js serves it (it asks for its data
    // and reports what is wrong itself), never an error page.
    let ours = [("origin", site.as_str())];
    for (path, headers) in [
        (path.clone(), &[][..]),
        (format!("/v1/embed/{}?product=sku-7", brand.id), &ours[..]),
        (format!("/v1/embed/{}?product=sku-7&locale=d%20e", brand.id), &ours[..]),
        (format!("/v1/embed/{}?product=no%20spaces&locale=en", brand.id), &ours[..]),
        ("/v1/embed/no-such-brand?locale=en".to_owned(), &ours[..]),
        ("/v1/embed/Not%20A%20Brand?locale=en".to_owned(), &ours[..]),
        (format!("/v1/embed/{}?product=sku-7&locale={}", brand.id, format_args!("en{}", "-abcdefgh".repeat(4))), &ours[..]),
    ] {
        let r = kindred_tests::get_with(&path, headers);
        assert_eq!(r.status, 200, "{path} {headers:?}: {}", r.text());
        assert_eq!(r.text(), loader, "{path} {headers:?}");
        // The page's origin echoed with credentials (a use-credentials tag
        // runs too: the loader alone carries nothing of the brand's); no
        // page, `*`.
        match headers.first() {
            Some((_, page)) => {
                assert_eq!(r.header("access-control-allow-origin"), Some(*page), "{path} {headers:?}");
                assert_eq!(r.header("access-control-allow-credentials"), Some("true"), "{path} {headers:?}");
            }
            None => assert_eq!(r.header("access-control-allow-origin"), Some("*"), "{path}"),
        }
    }
}
