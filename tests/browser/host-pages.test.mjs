// Any storefront: the widget keeps its look, direction and place on pages
// shaped like real shops (hostile theme CSS, RTL, Trusted Types, the tag in
// <head> with a late target, client-side navigation, pages that extend
// built-ins and wrap fetch), and nothing it does reaches the page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { useBrowser, open as openIn, waitState, createBrand, publish, testimonial, widgetPage, focusBelow } from "./lib.mjs";

const shared = useBrowser(before, after);
const open = (path) => openIn(shared.browser, path);

/** Computed styles of the widget's own pieces, and where it sits. */
function looks(page, i = 0) {
  return page.evaluate((i) => {
    const host = document.querySelectorAll("kindred-widget")[i];
    const root = host.shadowRoot;
    const cs = (sel) => {
      const el = root.querySelector(sel);
      if (!el) return null;
      const s = getComputedStyle(el);
      return { fontSize: s.fontSize, fontFamily: s.fontFamily, color: s.color, letterSpacing: s.letterSpacing, textTransform: s.textTransform, direction: s.direction, background: s.backgroundColor };
    };
    const hs = getComputedStyle(host);
    return {
      tag: host.localName,
      inHead: !!host.closest("head"),
      lang: host.getAttribute("lang"),
      dir: host.getAttribute("dir"),
      host: { margin: hs.marginTop, padding: hs.paddingTop, border: hs.borderTopWidth, display: hs.display },
      title: cs(".kr-title"),
      body: cs(".kr-body"),
      card: cs(".kr-card"),
    };
  }, i);
}

/** schema.org Product nodes (ours and the page's) by sku. */
function products(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('script[type="application/ld+json"]')].map((s) => JSON.parse(s.textContent)).filter((d) => d["@type"] === "Product").map((d) => d.sku),
  );
}

function ownStyle(l) {
  assert.equal(l.tag, "kindred-widget");
  assert.equal(l.title.fontSize, "20px", "title size");
  assert.doesNotMatch(l.title.fontFamily, /^serif$/);
  assert.equal(l.title.color, "rgb(31, 35, 40)", "title colour");
  assert.equal(l.body.fontSize, "15px", "body size");
  assert.equal(l.body.color, "rgb(31, 35, 40)", "body colour");
  assert.equal(l.body.letterSpacing, "normal");
  assert.equal(l.body.textTransform, "none");
}

test("a hostile theme's !important rules change nothing in the widget; its custom properties theme it", async () => {
  const { page, context, errors } = await open("/__test/hostile-css.html");
  await waitState(page, "ready");
  const l = await looks(page);
  ownStyle(l);
  assert.deepEqual(l.host, { margin: "0px", padding: "0px", border: "0px", display: "block" });
  assert.equal(l.card.background, "rgb(250, 245, 230)", "--kindred-card-bg themes the cards");
  // A theme that shows scripts' text (what `* { all: unset }` does to
  // them): the widget's JSON-LD stays hidden.
  const ld = await page.evaluate(() => {
    const css = document.createElement("style");
    css.textContent = "head, script { display: block !important; }";
    document.head.append(css);
    return [...document.querySelectorAll("script[data-kindred-jsonld]")].map((s) => [getComputedStyle(s).display, s.getBoundingClientRect().height]);
  });
  assert.deepEqual(ld, [["none", 0]]);
  assert.deepEqual(errors, []);
  await context.close();
});

test("an RTL page in Arabic: the UI is Arabic, right to left; each review takes its own direction", async () => {
  const brand = await createBrand("rtl");
  await publish(brand, testimonial("Layla", 5, { product: "shoe-1", title: "رائع", body: "حذاء مريح جدا، أنصح به للجري اليومي." }));
  await publish(brand, testimonial("Sam", 4, { product: "shoe-1", body: "Comfortable from the first run." }));
  const { page, context, errors } = await open(`/__test/rtl.html?brand=${brand.id}&product=shoe-1`);
  await waitState(page, "ready");
  const l = await looks(page);
  assert.equal(l.lang, "ar");
  assert.equal(l.dir, "rtl");
  assert.equal(l.title.direction, "rtl", "the UI is laid out right to left");
  const ui = await page.evaluate(() => {
    const root = document.querySelector("kindred-widget").shadowRoot;
    return { title: root.querySelector(".kr-title").textContent, count: root.querySelector(".kr-count").textContent, write: root.querySelector(".kr-write-open").textContent };
  });
  assert.deepEqual(ui, { title: "ماذا يقول عملاؤنا", count: "مراجعتان", write: "اكتب مراجعة" });
  const dirs = await page.evaluate(() =>
    [...document.querySelector("kindred-widget").shadowRoot.querySelectorAll(".kr-body")].map((b) => [b.getAttribute("dir"), getComputedStyle(b).direction, b.textContent.slice(0, 4)]),
  );
  const arabic = dirs.find((d) => /[\u0600-\u06FF]/.test(d[2]));
  const english = dirs.find((d) => /^[A-Za-z]/.test(d[2]));
  // Its language's direction (the page said ar and the words are Arabic),
  // else its own (auto): never the UI's by inheritance.
  assert.ok(["auto", "rtl"].includes(arabic[0]) && arabic[1] === "rtl", `the Arabic review reads right to left: ${arabic}`);
  assert.ok(["auto", "ltr"].includes(english[0]) && english[1] === "ltr", `the English review reads left to right: ${english}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test("in an English widget, an Arabic review's title sits on its text's side, and an English one's on the other", async () => {
  const brand = await createBrand("mixed-dir");
  await publish(brand, testimonial("Layla", 5, { product: "shoe-1", title: "رائع جدا", body: "حذاء مريح جدا، أنصح به للجري اليومي على الطرق." }));
  await publish(brand, testimonial("Sam", 4, { product: "shoe-1", title: "Comfy", body: "Comfortable from the first run, and still after a month." }));
  // Written in a Persian widget: a title that starts with a brand's Latin
  // name still sits on its Persian text's side.
  await publish(brand, testimonial("Sara", 5, { product: "shoe-1", lang: "fa", title: "Nike Pegasus واقعاً عالی است", body: "کفش‌ها سبک و راحت هستند و برای دویدن هر روز عالی‌اند." }));
  const { page, context, errors } = await open(widgetPage({ brand: brand.id, product: "shoe-1", locale: "en" }));
  await waitState(page, "ready");
  const edges = await page.evaluate(() =>
    [...document.querySelector("kindred-widget").shadowRoot.querySelectorAll(".kr-card")].map((card) => {
      const text = (el) => {
        const r = document.createRange();
        r.selectNodeContents(el);
        const rects = [...r.getClientRects()];
        return { left: Math.min(...rects.map((x) => x.left)), right: Math.max(...rects.map((x) => x.right)) };
      };
      const title = text(card.querySelector(".kr-card-title"));
      const body = card.querySelector(".kr-body").getBoundingClientRect();
      return { title: card.querySelector(".kr-card-title").textContent, dir: getComputedStyle(card.querySelector(".kr-card-title")).direction, fromLeft: title.left - body.left, fromRight: body.right - title.right };
    }),
  );
  const arabic = edges.find((e) => e.title === "رائع جدا");
  const english = edges.find((e) => e.title === "Comfy");
  const persian = edges.find((e) => e.title.startsWith("Nike"));
  assert.equal(persian.dir, "rtl", "the review's language decides, not its first letter");
  assert.ok(Math.abs(persian.fromRight) < 2, `the Latin-first Persian title ends at the right, with its text: ${JSON.stringify(persian)}`);
  assert.equal(arabic.dir, "rtl");
  assert.ok(Math.abs(arabic.fromRight) < 2, `the Arabic title ends at the right, where its text does: ${JSON.stringify(arabic)}`);
  assert.ok(english.fromLeft > 60, `the English title follows the stars on the left: ${JSON.stringify(english)}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a page that enforces Trusted Types gets the whole widget", async () => {
  const context = await shared.browser.newContext();
  // Every violation the page reports, from its first script on.
  await context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(e.effectiveDirective || e.violatedDirective));
  });
  const { page, errors, consoleErrors, warnings } = await openIn(shared.browser, "/__test/trusted-types.html", { context });
  await waitState(page, "ready");
  ownStyle(await looks(page));
  assert.ok((await page.evaluate(() => document.querySelector("kindred-widget").shadowRoot.querySelectorAll(".kr-card").length)) > 0);
  assert.deepEqual(errors, []);
  assert.deepEqual(consoleErrors.filter((e) => /requires 'Trusted/i.test(e)), [], "a Trusted Types sink was used");
  // Only the refused policy name (trusted-types), never a sink (require-trusted-types-for).
  const violations = await page.evaluate(() => window.__violations);
  assert.deepEqual(violations.filter((d) => d === "require-trusted-types-for"), [], `violations: ${violations}`);
  // JSON-LD needs the policy "kindred", which this page does not allow: left out, said once.
  assert.equal(warnings.filter((w) => w.includes("trusted-types kindred")).length, 1, warnings.join("\n"));
  await context.close();
});

test("the tag in <head> waits for its late target and never renders in <head>", async () => {
  const { page, context, errors } = await open("/__test/late-target.html");
  await waitState(page, "ready");
  const where = await page.evaluate(() => {
    const host = document.querySelector("kindred-widget");
    return { parent: host.parentElement.id, inHead: !!host.closest("head"), count: document.querySelectorAll("kindred-widget").length };
  });
  assert.deepEqual(where, { parent: "reviews", inHead: false, count: 1 });
  assert.deepEqual(errors, []);
  await context.close();
});

for (const mode of ["tag", "command"]) {
  test(`a single-page shop that changes product (${mode}) shows one widget and one Product for the current product`, async () => {
    const { page, context, errors } = await open(`/__test/spa.html?mode=${mode}`);
    await waitState(page, "ready");
    assert.deepEqual(await products(page), ["trail-runner-2"]);
    await page.evaluate(() => window.show("yoga-mat-pro"));
    await page.waitForFunction(() => {
      const hosts = document.querySelectorAll("kindred-widget");
      return hosts.length === 1 && hosts[0].getAttribute("data-kindred-product") === "yoga-mat-pro" && hosts[0].getAttribute("data-kindred-state") === "ready";
    });
    await page.waitForFunction(() => document.querySelectorAll("script[data-kindred-jsonld]").length <= 1);
    const skus = await products(page);
    assert.ok(!skus.includes("trail-runner-2"), `the first product's JSON-LD stayed: ${skus}`);
    if (mode === "command") {
      await page.evaluate(() => window.Kindred("unmount", "#reviews"));
      await page.waitForFunction(() => document.querySelectorAll("kindred-widget").length === 0);
      assert.deepEqual(await products(page), []);
      // A mount still waiting for its target is called off by unmount.
      await page.evaluate(() => {
        window.Kindred("mount", { target: "#later", brand: "acme", product: "yoga-mat-pro" });
        window.Kindred("unmount", "#later");
        const later = document.createElement("div");
        later.id = "later";
        document.body.appendChild(later);
      });
      // So is one whose target appears inside what was unmounted (the
      // router tore the view down before the target came), as a page
      // element or a selector; one asked for after the unmount is not.
      await page.evaluate(() => {
        const app = document.createElement("div");
        app.id = "app";
        document.body.appendChild(app);
        window.Kindred("mount", { target: "#inner1", brand: "acme", product: "yoga-mat-pro" });
        window.Kindred("mount", { target: "#inner2", brand: "acme", product: "yoga-mat-pro" });
        window.Kindred("unmount", "#app");
        window.Kindred("unmount", app);
        window.Kindred("mount", { target: "#inner3", brand: "acme", product: "yoga-mat-pro" });
        for (const id of ["inner1", "inner2", "inner3"]) {
          const el = document.createElement("div");
          el.id = id;
          app.appendChild(el);
        }
      });
      await page.waitForFunction(() => document.querySelectorAll("kindred-widget").length === 1);
      await page.waitForTimeout(1500);
      assert.deepEqual(await page.evaluate(() => [...document.querySelectorAll("kindred-widget")].map((w) => w.parentElement.id)), ["inner3"], "unmounted mounts appeared");
    }
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test("a page that extends built-ins, owns window.Kindred, wraps fetch, has its own AbortController and sets <base>: the widget works and changes nothing", async () => {
  const { page, context, errors } = await open("/__test/hostile-globals.html");
  await waitState(page, "ready");
  ownStyle(await looks(page));
  const after = await page.evaluate(() => ({
    added: Object.getOwnPropertyNames(window).filter((n) => !new Set(window.globalsBefore).has(n) && n !== "globalsBefore"),
    kindred: JSON.stringify(window.Kindred),
    polluted: [...document.querySelector("kindred-widget").shadowRoot.querySelectorAll("[polluted]")].length,
    fetchCalls: window.fetchCalls,
  }));
  assert.deepEqual(after.added, [], "the widget added globals");
  assert.equal(after.kindred, JSON.stringify({ mine: true }), "the page's own window.Kindred was replaced");
  assert.equal(after.polluted, 0, "Object.prototype's keys became attributes");
  assert.doesNotMatch(await page.evaluate(() => document.querySelector("kindred-widget").shadowRoot.textContent), /PWN/, "Object.prototype's values became text");
  assert.ok(after.fetchCalls > 0, "the page's fetch wrapper sees the widget's requests (it is the page's fetch)");
  // The page describes the product already: ratings go onto its node by @id.
  await page.waitForFunction(() => document.querySelector("script[data-kindred-jsonld]"));
  assert.deepEqual(await products(page), ["trail-runner-2"], "one Product node");
  const ours = await page.evaluate(() => JSON.parse(document.querySelector("script[data-kindred-jsonld]").textContent));
  assert.equal(ours["@id"], "https://shop.example/p/trail-runner-2#product");
  assert.equal(ours["@type"], undefined);
  assert.ok(ours.aggregateRating.reviewCount > 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a shop that swaps only the tag for the same target, or detaches and re-attaches the widget, keeps one live widget", async () => {
  const { page, context, errors } = await open("/__test/spa.html?mode=retag");
  await waitState(page, "ready");
  await page.evaluate(() => window.retag("yoga-mat-pro"));
  await page.waitForFunction(() => {
    const hosts = document.querySelectorAll("kindred-widget");
    return hosts.length === 1 && hosts[0].getAttribute("data-kindred-product") === "yoga-mat-pro" && hosts[0].getAttribute("data-kindred-state") === "ready";
  });
  await page.waitForFunction(() => document.querySelectorAll("script[data-kindred-jsonld]").length === 1);
  assert.deepEqual(await products(page), ["yoga-mat-pro"]);
  // Detached and re-attached within a second (a kept-alive view): still live.
  await page.evaluate(async () => {
    const host = document.querySelector("kindred-widget");
    const parent = host.parentNode;
    host.remove();
    await new Promise((r) => setTimeout(r, 300));
    parent.appendChild(host);
  });
  await page.waitForTimeout(1500);
  const alive = await page.evaluate(() => document.querySelector("kindred-widget").shadowRoot.querySelectorAll(".kr-card").length);
  assert.ok(alive > 0, "the re-attached widget was emptied");
  // Away, back, away again and back, each within a second of the last
  // move (but 1.1 s after the first departure): still live.
  await page.evaluate(async () => {
    const host = document.querySelector("kindred-widget");
    const parent = host.parentNode;
    const wait = (ms) => new Promise((r) => setTimeout(r, ms));
    host.remove();
    await wait(300);
    parent.appendChild(host);
    await wait(300);
    host.remove();
    await wait(500);
    parent.appendChild(host);
  });
  await page.waitForTimeout(1500);
  const still = await page.evaluate(() => document.querySelector("kindred-widget").shadowRoot.querySelectorAll(".kr-card").length);
  assert.ok(still > 0, "a widget that left twice within a second was stopped though it came back");
  assert.deepEqual(await products(page), ["yoga-mat-pro"]);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a widget swapped out before its first paint came cancels its request, and the next one is unharmed", async () => {
  const failed = [];
  let held = 0;
  const { page, context, errors, warnings } = await openIn(shared.browser, "/__test/spa.html?mode=retag", {
    route: async (page) => {
      page.on("requestfailed", (r) => failed.push(r.url()));
      // What the widget hands the page's fetch: the request's signal.
      await page.addInitScript(() => {
        const f = window.fetch;
        window.__signals = [];
        window.fetch = function (input, init) {
          if (String(input).includes("/v1/widget/")) window.__signals.push({ url: String(input), signal: init && init.signal });
          return f.apply(this, arguments);
        };
      });
      // The first product's answer is slow: the shop moves on before it comes.
      await page.route(/\/v1\/widget\/acme\?product=trail-runner-2&/, async (route) => {
        held++;
        await new Promise((r) => setTimeout(r, 4000));
        await route.continue().catch(() => {});
      });
    },
  });
  await page.waitForFunction(() => window.__signals.length === 1);
  await page.evaluate(() => window.retag("yoga-mat-pro"));
  await waitState(page, "ready");
  assert.equal(await page.evaluate(() => document.querySelectorAll("kindred-widget").length), 1);
  const signals = await page.evaluate(() => window.__signals.map((s) => [new URL(s.url).searchParams.get("product"), s.signal instanceof AbortSignal && s.signal.aborted]));
  assert.deepEqual(signals, [["trail-runner-2", true], ["yoga-mat-pro", false]], "the swapped-out widget's request was cancelled, the new one's not");
  assert.equal(held, 1);
  assert.ok(failed.some((u) => u.includes("product=trail-runner-2")), `the cancelled request failed in the browser: ${failed.join(", ")}`);
  const cards = await page.evaluate(() => document.querySelector("kindred-widget").shadowRoot.querySelectorAll(".kr-card").length);
  assert.ok(cards > 0, "the new widget shows its cards");
  assert.deepEqual(warnings.filter((w) => w.includes("[kindred]")), [], "a cancelled request is no failure to report");
  assert.deepEqual(errors, []);
  await context.close();
});

test("data-locale chooses the UI's language, else the page's <html lang>, read as the browser's Intl canonicalizes it (CLDR's aliases: iw, Dari prs, ara); an unknown one is English, silently; a malformed one is ignored with one warning", async () => {
  const brand = await createBrand("locale");
  await publish(brand, testimonial("Jonas", 5, { product: "shoe-1" }));
  const cases = [
    { locale: "de-AT", lang: "de", title: "Das sagen unsere Kunden", count: "1 Bewertung", warnings: 0 },
    { locale: "he", lang: "he", title: "מה הלקוחות אומרים", count: "ביקורת אחת", warnings: 0, dir: "rtl" },
    { locale: "fa-IR", lang: "fa", title: "مشتریان چه می\u200cگویند", count: "۱ نظر", warnings: 0, dir: "rtl" },
    { locale: "iw-IL", lang: "he", title: "מה הלקוחות אומרים", count: "ביקורת אחת", warnings: 0, dir: "rtl" },
    { locale: "prs-AF", lang: "fa", title: "مشتریان چه می\u200cگویند", count: "۱ نظر", warnings: 0, dir: "rtl" },
    { "page-lang": "ara", lang: "ar", title: "ماذا يقول عملاؤنا", count: "مراجعة واحدة", warnings: 0, dir: "rtl" },
    // CLDR (the browser's Intl, and the edge) keeps Egyptian Arabic a
    // language of its own: no catalogue, so English.
    { "page-lang": "arz-EG", lang: "en", title: "What customers say", count: "1 review", warnings: 0 },
    { "page-lang": "pes", lang: "fa", title: "مشتریان چه می\u200cگویند", count: "۱ نظر", warnings: 0, dir: "rtl" },
    { locale: "xx", lang: "en", title: "What customers say", count: "1 review", warnings: 0 },
    { locale: "not a tag!", lang: "en", title: "What customers say", count: "1 review", warnings: 1 },
  ];
  for (const c of cases) {
    const asked = c.locale ? { locale: c.locale } : { "page-lang": c["page-lang"] };
    const { page, context, errors, warnings } = await open(widgetPage({ brand: brand.id, product: "shoe-1", ...asked }));
    await waitState(page, "ready");
    const got = await page.evaluate(() => {
      const host = document.querySelector("kindred-widget");
      const root = host.shadowRoot;
      return { lang: host.lang, dir: host.dir, title: root.querySelector(".kr-title").textContent, count: root.querySelector(".kr-count").textContent, time: root.querySelector("time.kr-date")?.getAttribute("datetime") };
    });
    assert.deepEqual({ lang: got.lang, dir: got.dir, title: got.title, count: got.count }, { lang: c.lang, dir: c.dir || "ltr", title: c.title, count: c.count }, JSON.stringify(asked));
    assert.match(got.time, /^\d{4}-\d\d-\d\dT/);
    assert.equal(warnings.filter((w) => w.includes("[kindred]")).length, c.warnings, `${JSON.stringify(asked)}: ${warnings.join("\n")}`);
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test("Chromium's Intl reads as a shipped locale exactly the codes the edge does (tests/fixtures/locale-aliases.json, which core's tests hold kindred_core::i18n::locale to): every two- and three-letter code, with a region and an underscore", async () => {
  const fixture = JSON.parse(readFileSync(new URL("../fixtures/locale-aliases.json", import.meta.url), "utf8")).aliases;
  const { page, context } = await open(widgetPage({ brand: "acme", locale: "en" }));
  // The loader's reading (widget/loader/embed.js localeFor) of each code.
  const read = await page.evaluate(() => {
    const shipped = ["en", "de", "fr", "es", "pt", "ar", "he", "fa"];
    const letters = "abcdefghijklmnopqrstuvwxyz";
    const out = {};
    for (const a of letters) for (const b of letters) for (const code of [a + b, ...[...letters].map((c) => a + b + c)]) {
      for (const tag of [code, `${code}-IR`, `${code}_IR`]) {
        let l = tag.trim().split(/[-_]/)[0];
        try { l = Intl.getCanonicalLocales(l)[0].split("-")[0]; } catch (_) {}
        l = l.toLowerCase();
        if (l !== code && shipped.includes(l)) out[tag] = l;
      }
    }
    return out;
  });
  const want = {};
  for (const [code, l] of Object.entries(fixture)) for (const tag of [code, `${code}-IR`, `${code}_IR`]) want[tag] = l;
  assert.deepEqual(read, want);
  await context.close();
});

test("a data-product the edge would refuse (kindred_core::ids) is left out with one warning: the widget shows the brand's reviews", async () => {
  const brand = await createBrand("badsku");
  await publish(brand, testimonial("Jonas", 5, { product: "shoe-1" }));
  // A character and a length the loader once took and the edge refuses.
  for (const product of ["sku~1", "p".repeat(65)]) {
    const { page, context, errors, warnings, requests } = await open(widgetPage({ brand: brand.id, product }));
    await waitState(page, "ready");
    const cards = await page.evaluate(() => document.querySelector("kindred-widget").shadowRoot.querySelectorAll(".kr-card").length);
    assert.equal(cards, 1, `${product}: the brand-wide widget`);
    const asked = requests.filter((u) => u.includes("/v1/widget/"));
    assert.ok(asked.length >= 1 && asked.every((u) => !u.includes("product=")), `${product}: asked brand-wide: ${asked.join(", ")}`);
    const ours = warnings.filter((w) => w.includes("[kindred]"));
    assert.equal(ours.length, 1, ours.join("\n"));
    assert.match(ours[0], /ignoring data-product .*a product id is 1-64 letters/);
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test("the first view is 600px until the shopper's input: Show all opens it, and so does tabbing onto a clipped card or back onto its footer", async () => {
  for (const how of ["click", "keyboard", "back"]) {
    const { page, context, errors } = await open("/products/trail-runner-2.html");
    await waitState(page, "ready");
    const height = () => page.evaluate(() => document.querySelector("kindred-widget").getBoundingClientRect().height);
    assert.equal(await height(), 600);
    if (how === "click") {
      await page.locator("kindred-widget >> button.kr-show-all").click();
    } else if (how === "back") {
      // Shift+Tab from the page below: the footer's last control (the
      // first view's footer gives up its room first: widget.css).
      await focusBelow(page);
      await page.keyboard.press("Shift+Tab");
    } else {
      // Tab from the page into the widget until a card's button has focus.
      await page.locator("button.buy").focus();
      for (let i = 0; i < 30; i++) {
        await page.keyboard.press("Tab");
        const inFeed = await page.evaluate(() => !!document.querySelector("kindred-widget").shadowRoot.activeElement?.closest(".kr-feed"));
        if (inFeed) break;
      }
    }
    await page.waitForFunction(() => !document.querySelector("kindred-widget").shadowRoot.querySelector("section.kr-first"));
    assert.ok((await height()) > 600, `${how}: the widget did not open`);
    assert.equal(await page.locator("kindred-widget >> button.kr-show-all").count(), 0);
    // Focus is not dropped to the page when "Show all" goes away; by
    // keyboard it stays where it was.
    const within = how === "back" ? ".kr-foot" : ".kr-feed";
    await page.waitForFunction((within) => !!document.querySelector("kindred-widget").shadowRoot.activeElement?.closest(within), within);
    if (how !== "click") {
      const box = await page.evaluate(() => {
        const r = document.querySelector("kindred-widget").shadowRoot.activeElement.getBoundingClientRect();
        return { top: r.top, bottom: r.bottom, vh: innerHeight };
      });
      assert.ok(box.top >= 0 && box.bottom <= box.vh + 1, `the focused card is out of sight: ${JSON.stringify(box)}`);
    }
    assert.deepEqual(errors, []);
    await context.close();
  }
});
