#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Feeds and share pages over HTTP against the live edge: only published
//! testimonials whose authors agreed to their reuse ever leave, in any
//! format; Atom and the Merchant Center feed validate against their schemas
//! (Debian's `xmllint`), JSON Feed has its spec's shape; filters, order,
//! escaping of hostile text, languages and withdrawal.

use kindred_tests::{get, get_with, png, post_json, request, testimonial, Resp, TestBrand};
use serde_json::json;

const FORMATS: [&str; 4] = ["json", "atom", "merchant", "email"];

fn schema(name: &str) -> String {
    format!("{}/schemas/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// `xmllint --noout` with `args` on `xml`; panics with its report unless it validates.
fn xmllint(args: &[&str], xml: &str, what: &str) {
    let file = std::env::temp_dir().join(format!("kindred-{what}-{}.xml", std::process::id()));
    std::fs::write(&file, xml).unwrap();
    let out = std::process::Command::new("xmllint").arg("--noout").args(args).arg(&file).output().expect("xmllint (Debian's libxml2-utils; `cargo xtask test` installs it)");
    assert!(out.status.success(), "{what} does not validate:\n{}\n{xml}", String::from_utf8_lossy(&out.stderr));
}

struct Shop {
    b: TestBrand,
    member: &'static str,
}

impl Shop {
    /// Submits as this shop's member, with or without consent; approves
    /// unless `approve` is false. Returns the id.
    fn write(&self, mut body: serde_json::Value, consent: bool, approve: bool) -> String {
        if consent {
            body["reuse_consent"] = json!(true);
        }
        let r = post_json(&format!("/v1/brands/{}/testimonials", self.b.id), &[("x-kindred-member", self.member)], &body);
        assert_eq!(r.status, 201, "{}", r.text());
        let id = r.json()["id"].as_str().unwrap().to_owned();
        if approve {
            assert_eq!(self.b.approve(&id).status, 200);
        }
        id
    }

    fn feed(&self, format: &str, query: &str) -> Resp {
        get(&format!("/v1/brands/{}/feeds/{format}{query}", self.b.id))
    }
}

fn json_ids(r: &Resp) -> Vec<String> {
    r.json()["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().rsplit('/').next().unwrap().to_owned()).collect()
}

#[test]
fn only_consented_published_testimonials_leave_in_any_format_and_each_validates() {
    let b = TestBrand::create("syndication");
    b.configure(json!({ "review_page_url": "https://shop.example/products/{product}" }));
    let shop = Shop { b, member: "member-syndication-0000001" };
    let photo = request("POST", &format!("/v1/brands/{}/photos", shop.b.id), &[("content-type", "application/octet-stream")], Some(&png(40, 30))).json();

    // A: everything a feed must carry safely: markup, an ampersand, CDATA's
    // end, Arabic with an emoji, a photo, a tag.
    let mut a = testimonial("Ana <b>&amp;</b>", 5, Some("trail-runner-2"));
    a["email"] = json!("ana@example.com");
    a["title"] = json!("<script>alert(1)</script> & ]]> 😀");
    a["body"] = json!("رائع جدا 👟 — light & quick. <img src=x onerror=alert(1)> ]]> Works on wet rock too.");
    a["tags"] = json!(["vegan", "trail running"]);
    a["photos"] = json!([photo["id"]]);
    let a = shop.write(a, true, true);
    // B: same product, three stars, no title, no photo.
    let mut bee = testimonial("Bea", 3, Some("trail-runner-2"));
    bee["title"] = json!("");
    bee["body"] = json!("Fits true to size.\n\nThe laces came loose twice.");
    let bee = shop.write(bee, true, true);
    // F: about the brand as a whole (no product page for Google).
    let f = shop.write(testimonial("Fay", 4, None), true, true);
    // Never out: approved without consent, consented but pending,
    // consented then withdrawn by its author, consented then rejected.
    let mut c = testimonial("Cal", 5, Some("trail-runner-2"));
    c["body"] = json!("UNCONSENTED-C is happy for the widget only.");
    let c = shop.write(c, false, true);
    let mut d = testimonial("Dee", 5, Some("trail-runner-2"));
    d["body"] = json!("PENDING-D is still waiting for a moderator.");
    let d = shop.write(d, true, false);
    let mut e = testimonial("Eli", 5, Some("trail-runner-2"));
    e["body"] = json!("WITHDRAWN-E changed their mind about ads.");
    let e = shop.write(e, true, true);
    let mut r = testimonial("Rae", 5, Some("trail-runner-2"));
    r["body"] = json!("REJECTED-R was consented and then rejected.");
    let r = shop.write(r, true, false);
    assert_eq!(shop.b.reject(&r, "spam").status, 200);

    // Before the withdrawal, E is in.
    assert!(json_ids(&shop.feed("json", "")).contains(&e));
    let withdraw = post_json(&format!("/v1/brands/{}/testimonials/{e}/consent", shop.b.id), &[("x-kindred-member", shop.member)], &json!({"reuse": false}));
    assert_eq!(withdraw.status, 200, "{}", withdraw.text());

    let never = [(&c, "UNCONSENTED-C"), (&d, "PENDING-D"), (&e, "WITHDRAWN-E"), (&r, "REJECTED-R")];
    for format in FORMATS {
        // Google's feed is every review: it takes no filter but product.
        let queries: &[&str] = if format == "merchant" { &["", "?product=trail-runner-2"] } else { &["", "?product=trail-runner-2", "?min_rating=5", "?tag=trail%20running"] };
        for &query in queries {
            let resp = shop.feed(format, query);
            assert_eq!(resp.status, 200, "{format}{query}: {}", resp.text());
            let body = resp.text();
            for (id, marker) in never {
                assert!(!body.contains(marker) && !body.contains(id.as_str()), "{format}{query} carries {marker}:\n{body}");
            }
            assert_eq!(resp.header("cache-control"), Some("public, max-age=300"), "{format}");
            assert!(resp.header("content-type").unwrap().contains(match format {
                "json" => "application/feed+json",
                "atom" => "application/atom+xml",
                "merchant" => "application/xml",
                _ => "text/html",
            }));
        }
    }
    // Nor on a share page.
    for (id, _) in never {
        get(&format!("/t/{}/{id}", shop.b.id)).assert_error(404, "not_found");
    }

    // JSON Feed 1.1: the spec's fields, newest first, ours under `_kindred`.
    let jf = shop.feed("json", "").json();
    assert_eq!(jf["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(jf["title"], format!("Test {}", shop.b.id));
    assert!(jf["feed_url"].as_str().unwrap().ends_with(&format!("/v1/brands/{}/feeds/json", shop.b.id)));
    let items = jf["items"].as_array().unwrap();
    let got: Vec<&str> = items.iter().map(|i| i["id"].as_str().unwrap().rsplit('/').next().unwrap()).collect();
    assert_eq!(got, vec![f.as_str(), bee.as_str(), a.as_str()], "newest first");
    let ia = &items[2];
    assert_eq!(ia["url"], ia["id"]);
    assert!(ia["url"].as_str().unwrap().ends_with(&format!("/t/{}/{a}", shop.b.id)));
    assert_eq!(ia["content_text"], "رائع جدا 👟 — light & quick. <img src=x onerror=alert(1)> ]]> Works on wet rock too.");
    assert_eq!(ia["authors"][0]["name"], "Ana <b>&amp;</b>");
    assert!(ia["image"].as_str().unwrap().contains(photo["url"].as_str().unwrap().trim_start_matches('/')));
    assert!(ia["date_published"].as_str().unwrap().ends_with('Z') && ia["date_published"].as_str().unwrap().contains('T'));
    assert_eq!(ia["tags"], json!(["vegan", "trail running"]));
    assert_eq!(ia["_kindred"]["rating"], 5);
    assert_eq!(ia["_kindred"]["product"]["url"], "https://shop.example/products/trail-runner-2");
    assert!(items[1].get("title").is_none(), "an untitled testimonial gets no invented title");

    // Filters.
    let ids = |q: &str| json_ids(&shop.feed("json", q));
    assert_eq!(ids("?min_rating=4"), vec![f.clone(), a.clone()]);
    assert_eq!(ids("?photos=true"), vec![a.clone()]);
    assert_eq!(ids("?tag=Vegan"), vec![a.clone()]);
    assert_eq!(ids("?product=trail-runner-2"), vec![bee.clone(), a.clone()]);
    assert_eq!(ids("?limit=1"), vec![f.clone()]);
    assert_eq!(ids("?product=nothing-here"), Vec::<String>::new());
    for (q, field) in [("?min_rating=0", "min_rating"), ("?min_rating=6", "min_rating"), ("?photos=maybe", "photos"), ("?limit=51", "limit"), ("?limit=-1", "limit")] {
        let resp = shop.feed("json", q);
        resp.assert_error(400, "bad_request");
        assert_eq!(resp.json()["error"]["field"], field, "{q}");
    }
    shop.feed("json", "?product=bad%20id!").assert_error(400, "bad_request");
    shop.feed("json", "?tag=%20%20").assert_error(400, "bad_request");
    // Bytes that are not UTF-8 in a parameter: read as U+FFFD (a wall or
    // share page linked from elsewhere gets others' tracking parameters in
    // older encodings), never an error of the edge's own.
    for odd in ["?tag=%FF", "?utm_term=caf%E9"] {
        assert_eq!(shop.feed("atom", odd).status, 200, "{odd}");
    }
    for q in ["?min_rating=4", "?photos=true", "?tag=vegan"] {
        shop.feed("merchant", q).assert_error(400, "bad_request");
    }
    get(&format!("/v1/brands/{}/feeds/rss", shop.b.id)).assert_error(404, "route_not_found");
    get("/v1/brands/no-such-brand/feeds/json").assert_error(404, "brand_not_found");

    // Atom against RFC 4287's schema, plus its rule RELAX NG cannot say:
    // every entry has an author.
    let atom = shop.feed("atom", "").text();
    xmllint(&["--relaxng", &schema("atom.rng")], &atom, "atom");
    assert_eq!(atom.matches("<entry>").count(), 3);
    assert_eq!(atom.matches("<entry>").count(), atom.matches("<author><name>").count() - 1, "every entry has an author (and the feed its own)");
    assert!(atom.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; ]]&gt; 😀"), "{atom}");
    assert!(atom.contains("<title type=\"text\">★★★☆☆ Bea</title>"), "an untitled entry: its stars and author");
    let filtered = shop.feed("atom", "?tag=vegan&min_rating=4").text();
    xmllint(&["--relaxng", &schema("atom.rng")], &filtered, "atom-filtered");
    assert!(filtered.contains("feeds/atom?tag=vegan&amp;min_rating=4\"/>"), "its own URL, escaped: {filtered}");

    // Google's product reviews feed: only reviews with a product page (not F).
    let merchant = shop.feed("merchant", "").text();
    xmllint(&["--schema", &schema("google_product_reviews_2.4.xsd")], &merchant, "merchant");
    assert_eq!(merchant.matches("<review>").count(), 2, "{merchant}");
    assert!(!merchant.contains(&f));
    assert!(merchant.contains("<product_url>https://shop.example/products/trail-runner-2</product_url>"));
    assert!(merchant.contains("<review_url type=\"singleton\">"));
    assert!(merchant.contains("<reviewer_images><reviewer_image><url>"));
    assert!(merchant.contains("<is_verified_purchase>false</is_verified_purchase><is_incentivized_review>false</is_incentivized_review>"));
    assert!(merchant.contains("<skus><sku>trail-runner-2</sku></skus>"));
    // A template without {product} would give every product one page.
    let r = shop.b.admin("PATCH", &format!("/v1/admin/brands/{}", shop.b.id), Some(&json!({ "review_page_url": "https://shop.example/reviews" })));
    r.assert_error(422, "validation_failed");
    // A brand with no product pages at all still gets a valid (empty) feed.
    let bare = TestBrand::create("syndication-bare");
    let empty = get(&format!("/v1/brands/{}/feeds/merchant", bare.id)).text();
    xmllint(&["--schema", &schema("google_product_reviews_2.4.xsd")], &empty, "merchant-empty");
    xmllint(&["--relaxng", &schema("atom.rng")], &get(&format!("/v1/brands/{}/feeds/atom", bare.id)).text(), "atom-empty");

    // The email snippet: the best first, inline styles only, escaped.
    let email = shop.feed("email", "").text();
    assert!(email.starts_with("<table role=\"presentation\""), "{email}");
    assert!(!email.contains("<style") && !email.contains("<script") && !email.contains("<img src=x"), "{email}");
    let (first_a, first_f) = (email.find(&format!("/t/{}/{a}", shop.b.id)).unwrap(), email.find(&format!("/t/{}/{f}", shop.b.id)).unwrap());
    assert!(first_a < first_f, "five stars before four");
    assert_eq!(email.matches("<tr>").count(), 3);
    assert!(email.contains("Fits true to size.<br><br>The laces came loose twice."), "paragraphs kept where mail clients ignore CSS: {email}");
    let one = shop.feed("email", "?limit=1").text();
    assert_eq!(one.matches("<tr>").count(), 1);
    let arabic = shop.feed("email", "?locale=ar-EG").text();
    assert!(arabic.contains("dir=\"rtl\"") && arabic.contains("اقرأ المزيد"), "{arabic}");
    shop.feed("email", "?limit=11").assert_error(400, "bad_request");
}

#[test]
fn a_share_page_previews_the_testimonial_and_links_to_its_product() {
    let b = TestBrand::create("share");
    b.configure(json!({ "review_page_url": "https://shop.example/products/{product}" }));
    let shop = Shop { b, member: "member-share-00000000001" };
    let photo = request("POST", &format!("/v1/brands/{}/photos", shop.b.id), &[("content-type", "application/octet-stream")], Some(&png(60, 40))).json();
    let mut body = testimonial("Nasrin", 4, Some("trail-runner-2"));
    body["title"] = json!("\"Great\" <grip>");
    body["body"] = json!("کفش خیلی راحت است.\n\nSecond paragraph & more.");
    body["photos"] = json!([photo["id"]]);
    let id = shop.write(body, true, true);

    let page = get(&format!("/t/{}/{id}", shop.b.id));
    assert_eq!(page.status, 200, "{}", page.text());
    assert_eq!(page.header("content-type"), Some("text/html; charset=utf-8"));
    let csp = page.header("content-security-policy").unwrap();
    assert!(csp.contains("default-src 'none'") && !csp.contains("script-src"), "{csp}");
    let html = page.text();
    assert!(html.contains("<meta property=\"og:title\" content=\"★★★★☆ &quot;Great&quot; &lt;grip&gt;\">"), "{html}");
    assert!(html.contains("<meta property=\"og:type\" content=\"article\">"));
    assert!(html.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"));
    // The preview's image is the share card (the photo is on the page).
    let card_url = format!("/t/{}/{id}/card.png", shop.b.id);
    assert!(html.contains(&format!("<meta property=\"og:image\" content=\"{}{card_url}\">", kindred_tests::edge())), "og:image is the card: {html}");
    assert!(html.contains("<meta property=\"og:image:width\" content=\"1200\">") && html.contains("<meta property=\"og:image:height\" content=\"630\">"));
    assert!(html.contains(&format!("{}\"", photo["url"].as_str().unwrap())), "the photo is on the page");
    assert!(html.contains("<h1 dir=\"auto\">&quot;Great&quot; &lt;grip&gt;</h1>"));
    assert_eq!(html.matches("<p class=\"text\" dir=\"auto\">").count(), 2, "paragraphs kept");
    assert!(html.contains("href=\"https://shop.example/products/trail-runner-2\""));
    assert!(!html.contains("<script"), "no script on the page");
    assert!(!html.contains("@example.com"), "never an email");

    // In Hebrew: right to left, its words.
    let he = get(&format!("/t/{}/{id}?locale=he", shop.b.id)).text();
    assert!(he.contains("<html lang=\"he\" dir=\"rtl\">"), "{he}");
    assert!(he.contains(&format!("{card_url}?locale=he\"")), "the card in the page's language");
    // Crawlers fetch og:url for the preview: it keeps the language.
    assert!(he.contains(&format!("<meta property=\"og:url\" content=\"{}/t/{}/{id}?locale=he\">", kindred_tests::edge(), shop.b.id)), "{he}");
    // The card's text alternative says what the card says.
    assert!(html.contains("<meta property=\"og:image:alt\" content=\"") && html.contains("&quot;Great&quot; &lt;grip&gt; کفش خیلی راحت است."), "{html}");

    // Gone from the page as soon as its author withdraws.
    let r = post_json(&format!("/v1/brands/{}/testimonials/{id}/consent", shop.b.id), &[("x-kindred-member", shop.member)], &json!({"reuse": false}));
    assert_eq!(r.status, 200);
    get(&format!("/t/{}/{id}", shop.b.id)).assert_error(404, "not_found");
    get(&card_url).assert_error(404, "not_found");
    // Another brand's path never shows it.
    let other = TestBrand::create("share-other");
    get(&format!("/t/{}/{id}", other.id)).assert_error(404, "not_found");
}

/// The card as an RGB image, after checking it is a 1200x630 PNG.
fn card_image(r: &Resp) -> image::RgbImage {
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("image/png"));
    let img = image::load_from_memory_with_format(&r.body, image::ImageFormat::Png).expect("a PNG").to_rgb8();
    assert_eq!(img.dimensions(), (1200, 630));
    img
}

/// Pixels darker than mid-grey in rows `y0..y1` (text in ink).
fn inked(img: &image::RgbImage, y0: u32, y1: u32) -> usize {
    (y0..y1).flat_map(|y| (0..img.width()).map(move |x| (x, y))).filter(|&(x, y)| img.get_pixel(x, y).0.iter().all(|&c| c < 0x80)).count()
}

#[test]
fn a_share_card_is_a_1200x630_png_of_consented_words_in_any_script() {
    let b = TestBrand::create("card");
    b.configure(json!({ "accent": "#7a1f5c" }));
    let shop = Shop { b, member: "member-card-000000000001" };
    let mut fa = testimonial("سارا", 4, Some("trail-runner-2"));
    fa["title"] = json!("بهترین کفش");
    fa["body"] = json!("این کفش عالیه! 🫶🏽 واقعاً پیشنهاد می‌کنم. بسته‌بندی هم خیلی خوب بود.");
    let fa = shop.write(fa, true, true);

    let url = format!("/t/{}/{fa}/card.png", shop.b.id);
    let r = get(&url);
    let img = card_image(&r);
    assert_eq!(img.get_pixel(600, 4).0, [0x7a, 0x1f, 0x5c], "the band is the brand's accent");
    assert!(inked(&img, 160, 470) > 2000, "the Persian text is drawn");
    assert_eq!(r.header("cache-control"), Some("public, max-age=300"));
    let etag = r.header("etag").unwrap().to_owned();
    // Unchanged: 304 for a cache that has it; the same bytes again.
    let again = request("GET", &url, &[("if-none-match", &etag)], None);
    assert_eq!(again.status, 304);
    // RFC 9110's weak comparison and `*`; another card's tag is no match.
    assert_eq!(request("GET", &url, &[("if-none-match", &format!("\"x\", W/{etag}"))], None).status, 304);
    assert_eq!(request("GET", &url, &[("if-none-match", "*")], None).status, 304);
    assert_eq!(request("GET", &url, &[("if-none-match", "\"0000000000000000\"")], None).status, 200);
    assert_eq!(get(&url).body, r.body, "the same card");
    // A new accent is a new card.
    shop.b.configure(json!({ "accent": "#0b6e4f" }));
    let recoloured = get(&url);
    assert_ne!(recoloured.header("etag"), Some(etag.as_str()));
    assert_eq!(card_image(&recoloured).get_pixel(600, 4).0, [0x0b, 0x6e, 0x4f]);

    // Right to left on an Arabic page: the name goes to the right.
    let ltr = card_image(&get(&url));
    let rtl_png = get(&format!("{url}?locale=ar"));
    let rtl = card_image(&rtl_png);
    if let Ok(dir) = std::env::var("KINDRED_CARD_OUT") {
        std::fs::write(format!("{dir}/edge-card-ar.png"), &rtl_png.body).unwrap();
    }
    // The name is in ink (#1f2328); the brand's name in its accent is not counted.
    let ink_in = |img: &image::RgbImage, x0: u32, x1: u32| (x0..x1).flat_map(|x| (482..522).map(move |y| (x, y))).filter(|&(x, y)| img.get_pixel(x, y).0.iter().all(|&c| c < 0x40)).count();
    assert!(ink_in(&ltr, 72, 400) > 100 && ink_in(&ltr, 800, 1128) == 0, "name at the left");
    assert!(ink_in(&rtl, 800, 1128) > 100 && ink_in(&rtl, 72, 400) == 0, "name at the right");

    // Text the fonts cannot draw (CJK) is left out; the card still comes.
    let mut zh = testimonial("小明", 5, None);
    zh["body"] = json!("非常好的鞋子，穿起来很舒服。");
    let zh = shop.write(zh, true, true);
    card_image(&get(&format!("/t/{}/{zh}/card.png", shop.b.id)));

    // Withdrawn after the card was drawn and cached: gone at once, whatever
    // the cache holds or the client sends.
    let r = post_json(&format!("/v1/brands/{}/testimonials/{zh}/consent", shop.b.id), &[("x-kindred-member", shop.member)], &json!({"reuse": false}));
    assert_eq!(r.status, 200);
    let zh_url = format!("/t/{}/{zh}/card.png", shop.b.id);
    get(&zh_url).assert_error(404, "not_found");
    request("GET", &zh_url, &[("if-none-match", "*")], None).assert_error(404, "not_found");

    // Never a card of what may not leave: no consent, pending, another brand's path.
    let none = shop.write(testimonial("Noor", 5, None), false, true);
    get(&format!("/t/{}/{none}/card.png", shop.b.id)).assert_error(404, "not_found");
    let pending = shop.write(testimonial("Pia", 5, None), true, false);
    get(&format!("/t/{}/{pending}/card.png", shop.b.id)).assert_error(404, "not_found");
    let other = TestBrand::create("card-other");
    get(&format!("/t/{}/{fa}/card.png", other.id)).assert_error(404, "not_found");
}

#[test]
fn the_hosted_wall_shows_consented_testimonials_with_chips_and_its_feeds() {
    let b = TestBrand::create("wall");
    let shop = Shop { b, member: "member-wall-000000000001" };
    let mut vegan = testimonial("Vera", 5, Some("bowl"));
    vegan["tags"] = json!(["vegan", "<b>bold</b>"]);
    let vegan = shop.write(vegan, true, true);
    let plain = shop.write(testimonial("Paul", 4, Some("bowl")), true, true);
    let mut quiet = testimonial("Quinn", 5, Some("bowl"));
    quiet["body"] = json!("UNCONSENTED-Q stays on the product page.");
    let quiet = shop.write(quiet, false, true);

    let page = get(&format!("/wall/{}", shop.b.id));
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(page.header("content-security-policy").unwrap().starts_with("default-src 'none'"));
    let html = page.text();
    assert!(html.contains(&vegan) && html.contains(&plain), "both consented testimonials link to their share pages");
    assert!(!html.contains(&quiet) && !html.contains("UNCONSENTED-Q"));
    assert!(html.contains("&lt;b&gt;bold&lt;/b&gt;") && !html.contains("<b>bold"), "tags are escaped");
    assert!(html.contains("feeds/atom\""), "the Atom feed is announced: {html}");
    assert!(html.contains(" aria-current=\"page\">All</a>"));

    let tagged = get(&format!("/wall/{}?tag=vegan&product=bowl", shop.b.id)).text();
    assert!(tagged.contains(&vegan) && !tagged.contains(&format!("/t/{}/{plain}", shop.b.id)), "the tag filters");
    assert!(tagged.contains("?product=bowl&amp;tag=vegan\" aria-current=\"page\">vegan</a>"), "{tagged}");
    assert!(tagged.contains("?product=bowl\">All</a>"), "the other chips stay to go back: {tagged}");
    assert!(tagged.contains("feeds/atom?product=bowl&amp;tag=vegan\""), "the matching feed");
    let de = get(&format!("/wall/{}?locale=de", shop.b.id)).text();
    assert!(de.contains("<html lang=\"de\"") && de.contains("Was Kunden über"), "{de}");
    get(&format!("/wall/{}?min_rating=9", shop.b.id)).assert_error(400, "bad_request");
    get("/wall/no-such-brand").assert_error(404, "brand_not_found");
    let empty = TestBrand::create("wall-empty");
    assert!(get(&format!("/wall/{}", empty.id)).text().contains("No reviews to show here yet."));
}

#[test]
fn a_late_consent_or_approval_arrives_as_a_new_item_and_incentives_are_labelled_everywhere() {
    let b = TestBrand::create("late");
    b.configure(json!({ "review_page_url": "https://shop.example/p/{product}", "review_incentive": { "kind": "coupon", "description": "10% off your next order" } }));
    let shop = Shop { b, member: "member-late-000000000001" };
    // Written and approved first, without consent; consent comes later.
    let early = shop.write(testimonial("Early", 4, Some("sku-1")), false, true);
    let mut rest = Vec::new();
    for n in 0..3 {
        rest.push(shop.write(testimonial(&format!("Next {n}"), 5, Some("sku-1")), true, true));
    }
    assert!(!json_ids(&shop.feed("json", "")).contains(&early));
    let r = post_json(&format!("/v1/brands/{}/testimonials/{early}/consent", shop.b.id), &[("x-kindred-member", shop.member)], &json!({"reuse": true}));
    assert_eq!(r.status, 200, "{}", r.text());
    let ids = json_ids(&shop.feed("json", "?limit=1"));
    assert_eq!(ids, vec![early.clone()], "a subscriber's newest item is the one that just became reusable");
    let item = &shop.feed("json", "?limit=1").json()["items"][0];
    assert!(item["date_published"].as_str().unwrap() > item["_kindred"]["written"].as_str().unwrap(), "{item}");

    // Written under the incentive: every output says so.
    assert_eq!(item["_kindred"]["badges"], json!(["incentivised"]));
    let atom = shop.feed("atom", "").text();
    assert!(atom.contains("<category scheme=\"urn:kindred:badge\" term=\"incentivised\"/>"), "{atom}");
    xmllint(&["--relaxng", &schema("atom.rng")], &atom, "atom-badges");
    let merchant = shop.feed("merchant", "").text();
    assert!(merchant.contains("<is_incentivized_review>true</is_incentivized_review>"));
    xmllint(&["--schema", &schema("google_product_reviews_2.4.xsd")], &merchant, "merchant-incentive");
    assert!(shop.feed("email", "").text().contains("Incentivised"));
    assert!(get(&format!("/t/{}/{early}", shop.b.id)).text().contains("<span class=\"badge\">Incentivised</span>"));
    assert!(get(&format!("/wall/{}", shop.b.id)).text().matches("<span class=\"badge\">Incentivised</span>").count() >= 4);
    // An email's links open the page in the email's language.
    assert!(shop.feed("email", "?locale=de").text().contains(&format!("/t/{}/{}?locale=de", shop.b.id, rest[2])));
}

#[test]
fn one_client_drawing_card_after_card_is_held_to_its_guard_and_no_one_else_is() {
    let b = TestBrand::create("card-burst");
    let shop = Shop { b, member: "member-cardburst-000001" };
    let photo = request("POST", &format!("/v1/brands/{}/photos", shop.b.id), &[("content-type", "application/octet-stream")], Some(&png(60, 40))).json();
    let mut body = testimonial("Pia", 5, None);
    body["photos"] = json!([photo["id"]]);
    let with_photo = shop.write(body, true, true);
    // 34 more, published: imported in one request, then consented in D1
    // (imports never carry consent).
    let records: Vec<serde_json::Value> = (0..34)
        .map(|i| json!({ "title": format!("Card {i}"), "body": format!("Review number {i}, all good."), "rating": "5", "review_date": "2025-01-01", "reviewer_name": format!("R{i}"), "product_handle": "trail-shoe", "curated": "ok" }))
        .collect();
    let r = shop.b.admin("POST", &format!("/v1/admin/brands/{}/imports", shop.b.id), Some(&json!({ "source": "judge.me", "records": records })));
    assert_eq!(r.status, 200, "{}", r.text());
    kindred_tests::d1_execute(&format!("UPDATE testimonials SET reuse_consent_at = 1 WHERE brand_id = '{}' AND import_source IS NOT NULL", shop.b.id));
    let rows = kindred_tests::d1_json(&format!("SELECT id FROM testimonials WHERE brand_id = '{}' AND import_source IS NOT NULL", shop.b.id));
    let ids: Vec<String> = rows[0]["results"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(ids.len(), 34);

    // One address asks for card after card (two languages: 68 distinct
    // cards, more than two periods' worth of draws wherever the 10 s
    // windows fall) until the guard refuses it.
    let abuser = kindred_tests::address_of("card-abuser");
    let card = |id: &str, locale: &str| format!("/t/{}/{id}/card.png?locale={locale}", shop.b.id);
    let mut drawn = Vec::new();
    let mut refused = false;
    'outer: for locale in ["en", "de"] {
        for id in &ids {
            let r = get_with(&card(id, locale), &[("cf-connecting-ip", &abuser)]);
            match r.status {
                200 => drawn.push((id.clone(), locale)),
                429 => {
                    assert_eq!(r.json()["error"]["code"], "rate_limited");
                    refused = true;
                    break 'outer;
                }
                s => panic!("{s}: {}", r.text()),
            }
        }
    }
    assert!(refused && drawn.len() >= 30, "refused after {} draws", drawn.len());
    // Held: a card with a photo answers with the photo instead of a draw.
    let r = get_with(&card(&with_photo, "en"), &[("cf-connecting-ip", &abuser)]);
    assert_eq!(r.status, 302, "{}", r.text());
    assert!(r.header("location").unwrap().ends_with(photo["url"].as_str().unwrap()), "{:?}", r.header("location"));
    // A card already drawn comes from the cache, guard or not.
    let (id, locale) = &drawn[0];
    assert_eq!(get_with(&card(id, locale), &[("cf-connecting-ip", &abuser)]).status, 200);
    // Another client is not held by the first one's draws.
    let other = kindred_tests::address_of("card-neighbour");
    card_image(&get_with(&card(&with_photo, "en"), &[("cf-connecting-ip", &other)]));

    // An address the brand's own proxy names is held within this brand
    // only (`Public::scoped`): card after card drawn through the proxy in
    // the neighbour's name is refused in time, and the neighbour's own
    // budget, which spans brands, is untouched.
    let r = shop.b.admin("POST", &format!("/v1/admin/brands/{}/proxy-key", shop.b.id), None);
    assert_eq!(r.status, 201, "{}", r.text());
    let key = r.json()["proxy_key"].as_str().unwrap().to_owned();
    let proxied = [("cf-connecting-ip", "192.0.2.90"), ("x-kindred-proxy-key", key.as_str()), ("x-kindred-client-ip", other.as_str())];
    let (mut through, mut held) = (0, false);
    'fresh: for locale in ["fr", "es"] {
        for id in &ids {
            let r = get_with(&card(id, locale), &proxied);
            match r.status {
                200 => through += 1,
                429 => {
                    held = true;
                    break 'fresh;
                }
                s => panic!("{s}: {}", r.text()),
            }
        }
    }
    assert!(held && through >= 30, "through the proxy: refused after {through} draws");
    card_image(&get_with(&card(&ids[0], "pt"), &[("cf-connecting-ip", &other)]));
}
