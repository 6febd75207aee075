// The loader paints the testimonials from the first-paint JSON before the
// wasm arrives; the wasm then mounts the live widget over it. The two must
// be the same markup, so the swap moves nothing and reads the same. The
// wasm is fetched on demand: on the shopper's first touch of the widget, or,
// for a shopper it has something for, at idle once the widget nears the
// viewport; what the shopper clicked or chose on the first paint meanwhile
// is replayed on the live widget.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { EDGE, SITE, useBrowser, open as openIn, waitState, widgetPage, createBrand, publish, testimonial, PNG_1X1, inWidget, cardCount, focusBelow } from "./lib.mjs";

const shared = useBrowser(before, after);
const SITE_ORIGIN = new URL(SITE).origin;

/** Tag, attributes (sorted) and text of the widget's section; comments and
 * blank text left out. */
function snapshot(page) {
  return page.evaluate(() => {
    const root = document.querySelector(".kindred-widget").shadowRoot;
    const section = root.querySelector("section.kr");
    const walk = (n) => {
      if (n.nodeType === Node.TEXT_NODE) return n.data.trim() ? JSON.stringify(n.data) : "";
      if (n.nodeType !== Node.ELEMENT_NODE) return "";
      // Classes as a set: their order in the attribute means nothing.
      const value = (a) => (a.name === "class" ? a.value.split(/\s+/).sort().join(" ") : a.value);
      const attrs = [...n.attributes].map((a) => `${a.name}=${JSON.stringify(value(a))}`).sort().join(" ");
      return `<${n.localName} ${attrs}>${[...n.childNodes].map(walk).join("")}</${n.localName}>`;
    };
    const first = root.querySelector(".kr-card");
    const box = first ? first.getBoundingClientRect() : null;
    return {
      markup: walk(section),
      // In page coordinates: the test scrolls to the widget in between.
      firstCard: box && [box.x + scrollX, box.y + scrollY, box.width, box.height],
      height: document.querySelector(".kindred-widget").getBoundingClientRect().height,
      inert: !!section.closest("[inert]"),
    };
  });
}

async function compare(path, { voted, shopOrigin } = {}) {
  let release;
  const gate = new Promise((r) => (release = r));
  const existing = await shared.browser.newContext();
  // A shopper who already found one of these helpful (the widget remembers it).
  if (voted) await existing.addInitScript((id) => localStorage.setItem("kindred.voted", JSON.stringify([id])), voted);
  const { page, context, errors, warnings, requests } = await openIn(shared.browser, path, {
    context: existing,
    route: async (p) => {
      await p.route("**/assets/**/kindred_bg.wasm", async (r) => { await gate; await r.continue(); });
    },
  });
  await page.waitForFunction(() => document.querySelector(".kindred-widget")?.shadowRoot?.querySelector(".kr-first-paint section.kr"));
  const early = await snapshot(page);
  assert.equal(early.inert, false, "the first paint takes the shopper's clicks (replayed once live)");
  await page.waitForFunction(() => performance.getEntriesByName("kindred:painted").length === 1);
  assert.equal(await page.evaluate(() => performance.getEntriesByName("kindred:interactive").length), 0);
  release();
  await waitState(page, "ready");
  await page.waitForFunction(() => performance.getEntriesByName("kindred:interactive").length === 1);
  const live = await snapshot(page);
  assert.equal(live.inert, false);
  assert.equal(early.markup, live.markup, "first paint and live widget differ");
  assert.deepEqual(early.firstCard, live.firstCard, "the first card moved");
  assert.equal(early.height, live.height, "the widget changed height");
  assert.deepEqual(errors, []);
  if (shopOrigin) {
    // Served through the shop's own origin: the first paint was taken (no
    // warning that its markup was refused) and nothing went elsewhere.
    assert.deepEqual(warnings.filter((w) => w.includes("[kindred]")), []);
    assert.deepEqual(requests.filter((u) => !u.startsWith(SITE_ORIGIN + "/") && !u.startsWith("data:")), []);
  }
  await context.close();
  return live.markup;
}

test("the first paint is the live widget's markup: product page with referral program, ambassadors' board, community, tags and badges", async () => {
  const markup = await compare("/products/trail-runner-2.html");
  for (const part of ["kr-referral", "kr-board", "kr-community-open", "kr-chip", "kr-verified", "kr-ambassador", "kr-write-open"]) {
    assert.ok(markup.includes(part), `the page exercises ${part}`);
  }
});

test("the first paint is the live widget's markup: photos, featured, a vote already cast, more pages, and an empty brand", async () => {
  const brand = await createBrand("fp");
  assert.equal((await brand.configure({ accent: "#aa3300", incentive_copy: "Share yours, get 10% off" })).status, 200);
  const photo = await (await fetch(`${EDGE}/v1/brands/${brand.id}/photos`, { method: "POST", headers: { "content-type": "image/png" }, body: PNG_1X1 })).json();
  const ids = [];
  for (let i = 0; i < 11; i++) ids.push(await publish(brand, testimonial(`Shopper ${i}`, 1 + (i % 5))));
  // The newest, so it is on the first page.
  const zoe = await publish(brand, testimonial("Zoë <b>", 4, { tags: ["vegan cooking"], photos: [photo.id], title: "" }));
  const feature = await fetch(`${EDGE}/v1/admin/brands/${brand.id}/testimonials/${ids[10]}/feature`, { method: "POST", headers: { authorization: `Bearer ${brand.key}` } });
  assert.equal(feature.status, 200);
  const markup = await compare(widgetPage({ brand: brand.id }), { voted: zoe });
  for (const part of ["kr-photo", "kr-featured", "kr-show-all", "kr-incentive", "--kr-brand-accent: #aa3300", "Zoë <b>", "Helpful ✓"]) {
    assert.ok(markup.includes(part), `the page exercises ${part}`);
  }

  // In Arabic: the edge's words and Intl (workerd) and the browser's agree.
  const arabic = await compare(widgetPage({ brand: brand.id, locale: "ar" }), { voted: zoe });
  assert.ok(arabic.includes("ماذا يقول عملاؤنا"), "rendered in Arabic");

  const empty = await createBrand("fp-empty");
  assert.ok((await compare(widgetPage({ brand: empty.id }))).includes("kr-empty"));
});

test("the one-request tag (GET /v1/embed/{brand}, brand, product and locale in its URL): the first testimonial is painted after that one request, with the markup the two-request tag paints, and the live widget takes over as usual; a tag that names no locale asks as the static loader does; a page the brand does not allow is told why, and asks nothing", async () => {
  const brand = await createBrand("fp-one");
  const photo = await (await fetch(`${EDGE}/v1/brands/${brand.id}/photos`, { method: "POST", headers: { "content-type": "image/png" }, body: PNG_1X1 })).json();
  await publish(brand, testimonial("Dara", 5, { photos: [photo.id], product: "sku-1" }));
  await publish(brand, testimonial("Layla ليلى", 4, { product: "sku-1" }));
  const page = (extra) => widgetPage({ brand: brand.id, product: "sku-1", locale: "ar", ...extra });
  // Before the first paint: that one request to the edge, nothing else.
  const edgeBefore = async (path) => {
    const { page: p, context, errors, warnings } = await openIn(shared.browser, path);
    await p.waitForFunction(() => performance.getEntriesByName("kindred:painted").length === 1);
    const painted = await p.evaluate(() => performance.getEntriesByName("kindred:painted")[0].startTime);
    const before = await p.evaluate((t) => performance.getEntriesByType("resource").filter((e) => e.startTime < t).map((e) => e.name), painted);
    const cards = await p.evaluate(() => document.querySelector(".kindred-widget").shadowRoot.querySelectorAll(".kr-card").length);
    const title = await p.evaluate(() => document.querySelector(".kindred-widget").shadowRoot.querySelector(".kr-title")?.textContent);
    await context.close();
    return { paths: before.filter((u) => !u.startsWith(SITE_ORIGIN)).map((u) => new URL(u).pathname.replace(/^\/v1\/widget\/.*/, "/v1/widget")).sort(), cards, title, errors, warnings };
  };
  const one = await edgeBefore(page({ "one-request": 1 }));
  assert.deepEqual(one.paths, [`/v1/embed/${brand.id}`], "the loader and its data in one response");
  assert.equal(one.cards, 2);
  assert.deepEqual(one.errors, []);
  assert.deepEqual(one.warnings.filter((w) => w.includes("[kindred]")), []);
  // A locale in another code of a shipped language (Hebrew's deprecated
  // iw, Dari's prs, German's ISO 639-2 ger), or in one CLDR keeps apart
  // (Egyptian Arabic's arz: English): the edge (kindred_core::i18n::locale)
  // reads it as the loader does with the browser's Intl, so its first
  // paint is taken.
  for (const [locale, title] of [["iw-IL", "מה הלקוחות אומרים"], ["prs-AF", "مشتریان چه می\u200cگویند"], ["ger", "Das sagen unsere Kunden"], ["arz", "What customers say"]]) {
    const other = await edgeBefore(page({ "one-request": 1, locale }));
    assert.deepEqual(other.paths, [`/v1/embed/${brand.id}`], locale);
    assert.deepEqual([other.cards, other.title], [2, title], locale);
  }
  // The same markup as the two-request tag, first paint and live widget alike.
  const markup = await compare(page({ "one-request": 1 }));
  assert.equal(markup, await compare(page({})));
  assert.ok(markup.includes("ماذا يقول عملاؤنا") && markup.includes(`v1/photos/${photo.id}`), "in Arabic, with its photo");
  // Through the shop's own origin (a same-origin script: the browser names
  // no origin, so the loader comes alone and asks), the edge's base is the
  // proxied path and the first paint the same.
  const proxied = await compare(page({ "one-request": 1, kindred: "first-party" }), { shopOrigin: true });
  assert.ok(proxied.includes(`${SITE_ORIGIN}/__edge/v1/photos/${photo.id}`), proxied);
  // The loader asks as /embed.js does: no locale in the tag's URL (it reads
  // <html lang>), or a page with context tags (the order is the page's).
  for (const extra of [{ locale: "" }, { "context-tags": "vegan" }]) {
    const asks = await edgeBefore(widgetPage({ brand: brand.id, product: "sku-1", locale: "ar", "one-request": 1, ...extra }));
    assert.deepEqual(asks.paths, [`/v1/embed/${brand.id}`, "/v1/widget"], JSON.stringify(extra));
    assert.equal(asks.cards, 2);
  }
  // A page the brand does not allow gets the loader told so: one warning
  // that says what to change, nothing asked (no CORS error in the page's
  // console), nothing painted.
  const other = await createBrand("fp-one-other");
  assert.equal((await other.configure({ allowed_origins: ["https://shop.example"] })).status, 200);
  const refused = await openIn(shared.browser, widgetPage({ brand: other.id, locale: "en", "one-request": 1 }));
  await refused.page.waitForFunction(() => ["failed"].includes(document.querySelector(".kindred-widget")?.getAttribute("data-kindred-state")), null, { timeout: 15000 });
  const said = refused.warnings.filter((w) => w.includes("[kindred]"));
  assert.equal(said.length, 1, refused.warnings.join("\n"));
  assert.match(said[0], new RegExp(`origin, ${SITE_ORIGIN.replace(/[.]/g, "\\.")}, is not among the brand's allowed origins`));
  assert.deepEqual(refused.requests.filter((u) => u.includes("/v1/widget/")), [], "nothing asked");
  assert.deepEqual(refused.consoleErrors, [], "no CORS error");
  await refused.context.close();
});

test("a shop that serves the widget from its own origin (a path of its site passed on to the edge, as a proxy or CDN does) gets the same first paint, its links and photos on that path, and nothing asked of the edge's own origin", async () => {
  // The test site's /__edge/ passes requests on to the edge; `kindred=first-party`
  // serves the page with its tag's src there (xtask/src/site.rs EDGE_PREFIX).
  const brand = await createBrand("fp-shop-origin");
  const photo = await (await fetch(`${EDGE}/v1/brands/${brand.id}/photos`, { method: "POST", headers: { "content-type": "image/png" }, body: PNG_1X1 })).json();
  await publish(brand, testimonial("Dara", 5, { photos: [photo.id] }));
  const proxied = `${SITE_ORIGIN}/__edge/`;
  const markup = await compare(widgetPage({ brand: brand.id, kindred: "first-party" }), { shopOrigin: true });
  assert.ok(markup.includes(`src=${JSON.stringify(`${proxied}v1/photos/${photo.id}`)}`), markup);
  assert.ok(markup.includes(`href=${JSON.stringify(`${proxied}reviews/${brand.id}/how?locale=en`)}`), markup);
  assert.ok(!markup.includes(EDGE), "no URL of the edge's own origin");
  // The demo's product page, with its referral program, community and tags.
  assert.ok((await compare("/products/trail-runner-2.html?kindred=first-party", { shopOrigin: true })).includes(`${proxied}reviews/`));
});

test("the first paint keeps the edge's relative dates while they read the same, and writes the others with the browser's Intl", async () => {
  // The demo's cards are days old. `moved`: as if the edge had written the
  // markup a day ago ("yesterday", not "2 days ago").
  for (const moved of [false, true]) {
    const context = await shared.browser.newContext();
    // Counts the relative-date formatters the page makes (a cold page takes
    // tens of milliseconds to load their locale data).
    await context.addInitScript(() => {
      const Real = Intl.RelativeTimeFormat;
      window.__formatters = 0;
      Intl.RelativeTimeFormat = function (...args) {
        window.__formatters++;
        return new Real(...args);
      };
    });
    let sent = null;
    const { page, errors } = await openIn(shared.browser, "/products/trail-runner-2.html", {
      context,
      route: (p) => p.route("**/v1/widget/**", async (r) => {
        const response = await r.fetch();
        const body = await response.json();
        sent = { at: body.markup_at };
        // The first card's date as the edge wrote it, marked.
        body.markup = body.markup.replace(/(<time[^>]*>)[^<]*/, "$1EDGE");
        if (moved) body.markup_at -= 24 * 3600 * 1000;
        const headers = { ...response.headers() };
        delete headers["content-length"];
        delete headers["content-encoding"];
        await r.fulfill({ status: response.status(), headers, json: body });
      }),
    });
    await page.waitForFunction(() => performance.getEntriesByName("kindred:painted").length === 1);
    assert.equal(typeof sent?.at, "number", "the edge says when it wrote the markup");
    const first = await page.evaluate(() => {
      const host = document.querySelector(".kindred-widget");
      const time = host.shadowRoot.querySelector("time.kr-date");
      const days = Math.floor((Date.now() - Date.parse(time.getAttribute("datetime"))) / 86400000);
      return {
        text: time.textContent,
        want: new Intl.RelativeTimeFormat("en", { numeric: "auto" }).format(-days, "day"),
        formatters: window.__formatters,
        live: host.getAttribute("data-kindred-state"),
      };
    });
    assert.equal(first.live, null, "still the first paint");
    if (moved) {
      assert.equal(first.text, first.want, "a date that moved on is written again, in the browser's words");
      // One by the loader (the test's own made one more, above).
      assert.equal(first.formatters, 2, "one formatter, made when first needed");
    } else {
      assert.equal(first.text, "EDGE", "the edge's words are kept");
      assert.equal(first.formatters, 1, "no formatter made for the first paint (the one is the test's own, above)");
    }
    assert.deepEqual(errors, []);
    await context.close();
  }
});

const isWasm = (u) => /\.wasm$/.test(u);

/** TCP's initial congestion window, bytes: 10 segments of 1460 (RFC 6928,
 * section 2), as Lighthouse's simulation models it. A response larger than
 * this needs one more round trip before its last byte arrives; for the
 * loader that round trip is on the first paint's path (a loader 260 B over
 * moved the bench's simulated LCP by about 150 ms). This guards the local
 * model, gzip over plain http: in production Cloudflare sends brotli
 * (about 1.5 KB smaller) over TLS, with its own headers and segment size. */
const INITIAL_WINDOW = 10 * 1460;

test("before the first testimonial is painted the browser asks only for the loader and the data; a stranger's widget fetches no wasm until they touch it, a known shopper's goes live once near the viewport", async (t) => {
  const brand = await createBrand("lazy");
  await publish(brand, testimonial("Noor", 5));
  // A stranger, the widget on screen.
  {
    // What the loader's response weighs on the wire: headers and encoded
    // body as this edge serves it (chunk framing included), from the
    // browser's network events (`route` is open's hook before navigation).
    const loader = [];
    const onFinished = (page) => page.on("requestfinished", (r) => { if (new URL(r.url()).pathname === "/embed.js") loader.push(r.sizes()); });
    const { page, context, requests, errors } = await openIn(shared.browser, widgetPage({ brand: brand.id }), { viewport: { width: 1000, height: 800 }, route: onFinished });
    await page.waitForFunction(() => performance.getEntriesByName("kindred:painted").length === 1);
    const painted = await page.evaluate(() => performance.getEntriesByName("kindred:painted")[0].startTime);
    const before = await page.evaluate((t) => performance.getEntriesByType("resource").filter((e) => e.startTime < t).map((e) => e.name), painted);
    assert.deepEqual(before.filter((u) => !u.startsWith(SITE_ORIGIN)).map((u) => new URL(u).pathname.replace(/^\/v1\/widget\/.*/, "/v1/widget")).sort(), ["/embed.js", "/v1/widget"]);
    assert.equal(loader.length, 1, "the loader, once");
    const sizes = await loader[0];
    assert.ok(sizes.responseBodySize > 1000, `the loader's body was measured: ${JSON.stringify(sizes)}`);
    const wire = sizes.responseHeadersSize + sizes.responseBodySize;
    assert.ok(wire <= INITIAL_WINDOW, `the loader (${wire} B on the wire: ${JSON.stringify(sizes)}) fits in TCP's first window of ${INITIAL_WINDOW} B`);
    // In the log, for whoever adds a byte next: what is left.
    t.diagnostic(`the loader: ${wire} B on the wire (${sizes.responseHeadersSize} of headers), ${INITIAL_WINDOW - wire} B left in TCP's first window`);
    // Idle for a good while, in full view: the first paint is all they asked for.
    await page.waitForTimeout(2500);
    assert.equal(requests.filter(isWasm).length, 0, `no wasm yet: ${requests.filter(isWasm)}`);
    assert.equal(await page.evaluate(() => document.querySelector(".kindred-widget").getAttribute("data-kindred-state")), null);
    // Their pointer over a card: the live widget loads and takes over.
    await page.locator(".kindred-widget >> .kr-card >> nth=0").hover();
    await page.waitForFunction(() => document.querySelector(".kindred-widget").getAttribute("data-kindred-state") === "ready", null, { timeout: 20000 });
    assert.equal(requests.filter(isWasm).length, 1, "the main module, once");
    assert.deepEqual(errors, []);
    await context.close();
  }
  // A shopper this site remembers (a review of theirs, which the live
  // widget lets them edit): the widget far down the page waits; scrolled
  // near, it goes live untouched.
  {
    const known = await shared.browser.newContext({ viewport: { width: 1000, height: 800 } });
    await known.addInitScript(() => localStorage.setItem("kindred.own", JSON.stringify(["t-unknown"])));
    const { page, context, requests, errors } = await openIn(shared.browser, widgetPage({ brand: brand.id, below: 6000 }), { context: known });
    await page.waitForFunction(() => performance.getEntriesByName("kindred:painted").length === 1);
    await page.waitForTimeout(2500);
    assert.equal(requests.filter(isWasm).length, 0, `6000 px down: no wasm yet: ${requests.filter(isWasm)}`);
    await page.evaluate(() => document.querySelector(".kindred-widget").scrollIntoView());
    await page.waitForFunction(() => document.querySelector(".kindred-widget").getAttribute("data-kindred-state") === "ready", null, { timeout: 20000 });
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test("the first paint's data and the view event go over the connection the browser opened for the loader: with the README's tag (crossorigin=anonymous, no credentials) and with a tag without it (one a page's script adds: credentialed)", async () => {
  for (const [path, tag] of [["/products/trail-runner-2.html", "anonymous"], [widgetPage({ brand: "acme", product: "trail-runner-2" }), null]]) {
    // The connection each request went over, from Chromium's network events.
    const seen = [];
    const { page, context, errors, warnings, requests } = await openIn(shared.browser, path, {
      route: async (p) => {
        const cdp = await p.context().newCDPSession(p);
        await cdp.send("Network.enable");
        cdp.on("Network.responseReceived", (e) => {
          const u = new URL(e.response.url);
          const kind = u.pathname.replace(/^\/v1\/widget\/.*/, "/v1/widget").replace(/^\/v1\/brands\/[^/]+\/events$/, "/events");
          if (u.origin === new URL(EDGE).origin) seen.push({ kind, id: e.response.connectionId, status: e.response.status });
        });
      },
    });
    await page.waitForFunction(() => performance.getEntriesByName("kindred:painted").length === 1);
    for (let i = 0; i < 50 && !seen.some((r) => r.kind === "/events"); i++) await page.waitForTimeout(100);
    const one = (kind) => seen.find((r) => r.kind === kind) ?? {};
    assert.equal(await page.evaluate(() => document.querySelector("script[src$='/embed.js']").crossOrigin), tag);
    assert.equal(one("/embed.js").status, 200, JSON.stringify(seen));
    assert.equal(one("/v1/widget").status, 200, JSON.stringify(seen));
    assert.equal(one("/events").status, 202, `the view counted: ${JSON.stringify(seen)}`);
    assert.equal(one("/v1/widget").id, one("/embed.js").id, `the data over the loader's connection: ${JSON.stringify(seen)}`);
    assert.equal(one("/events").id, one("/embed.js").id, `the view over the loader's connection: ${JSON.stringify(seen)}`);
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test("a tag without crossorigin behind a proxy that answers the API's CORS with '*' (or an edge older than the loader): the data is asked for again without credentials and the first paint comes, with no warning", async () => {
  let asked = 0;
  const { page, context, warnings, errors } = await openIn(shared.browser, widgetPage({ brand: "acme", product: "trail-runner-2" }), {
    route: (p) => p.route(/\/v1\/widget\/acme\?/, async (r) => {
      asked++;
      const res = await r.fetch();
      const headers = { ...res.headers(), "access-control-allow-origin": "*" };
      delete headers["access-control-allow-credentials"];
      await r.fulfill({ response: res, headers });
    }),
  });
  await page.waitForFunction(() => performance.getEntriesByName("kindred:painted").length === 1);
  assert.equal(await page.evaluate(() => document.querySelector("script[src$='/embed.js']").crossOrigin), null);
  assert.equal(asked, 2, "with credentials (refused by the browser), then without");
  assert.ok((await page.evaluate(() => document.querySelector(".kindred-widget").shadowRoot.querySelectorAll(".kr-card").length)) > 0);
  assert.deepEqual(warnings.filter((w) => w.includes("[kindred]")), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a shopper's hand on 'Write a review' starts the form's files (one pack) beside the main module's; the live widget takes them, each file asked for once", async () => {
  const brand = await createBrand("ahead");
  await publish(brand, testimonial("Sami", 4));
  let release;
  const gate = new Promise((r) => (release = r));
  const { page, context, requests, errors } = await openIn(shared.browser, widgetPage({ brand: brand.id }), {
    route: (p) => p.route("**/assets/**/kindred_bg.wasm", async (r) => { await gate; await r.continue(); }),
  });
  await page.waitForFunction(() => performance.getEntriesByName("kindred:painted").length === 1);
  await page.locator(".kindred-widget >> .kr-first-paint button.kr-write-open").hover();
  // The main module is held back: the form's files are asked for anyway,
  // in one request.
  await page.waitForFunction(() => performance.getEntriesByType("resource").some((e) => /part_form\.wasm$/.test(e.name)), null, { timeout: 10000 });
  assert.ok(requests.some((u) => /kindred_bg\.wasm$/.test(u)), "the main module was asked for too");
  await page.locator(".kindred-widget >> .kr-first-paint button.kr-write-open").click();
  release();
  await waitState(page, "ready");
  await inWidget(page, "form#kr-form").waitFor({ timeout: 10000 });
  const wasm = requests.filter(isWasm);
  assert.deepEqual(wasm.filter((u, i) => wasm.indexOf(u) !== i), [], "no file asked for twice");
  assert.deepEqual(wasm.filter((u) => /(split_form|chunk_\d+)\.wasm$/.test(u)), [], "the form's files came in the pack alone");
  // Hovering the live widget's opener again asks for nothing more.
  await inWidget(page, "button.kr-write-open").hover().catch(() => {});
  await page.waitForTimeout(300);
  assert.equal(requests.filter(isWasm).length, wasm.length);
  assert.deepEqual(errors, []);
  await context.close();
});

test("what a shopper does on the first paint before the live widget is there happens once it is: a click on 'Write a review' (tapped again while it loads), a vote (tapped twice), a sort chosen", async () => {
  const brand = await createBrand("replay");
  for (const [name, stars] of [["Ines", 2], ["Omar", 5], ["Lea", 3]]) await publish(brand, testimonial(name, stars));
  let release;
  const gate = new Promise((r) => (release = r));
  const { page, context, requests, errors } = await openIn(shared.browser, widgetPage({ brand: brand.id }), {
    route: (p) => p.route("**/assets/**/kindred_bg.wasm", async (r) => { await gate; await r.continue(); }),
  });
  await page.waitForFunction(() => performance.getEntriesByName("kindred:painted").length === 1);
  assert.equal(await page.evaluate(() => document.querySelector(".kindred-widget").getAttribute("data-kindred-state")), null, "still the first paint");
  const first = (sel) => page.locator(`.kindred-widget >> .kr-first-paint ${sel}`);
  await first("select >> nth=1").selectOption("highest");
  await first("button.kr-write-open").click();
  assert.equal(await first("button.kr-write-open").getAttribute("aria-busy"), "true", "the click is acknowledged while the widget loads");
  // Seen too, not only said: a phone shows no cursor.
  assert.ok(Number(await first("button.kr-write-open").evaluate((b) => getComputedStyle(b).opacity)) < 1, "a waiting control looks it");
  // Nothing seems to happen, so a shopper taps again: still one request
  // (a toggle's second click would have closed it again).
  await first("button.kr-write-open").click();
  const vote = first(".kr-card >> nth=0 >> button.kr-helpful");
  const voted = await first(".kr-card >> nth=0 >> .kr-author").textContent();
  await vote.click();
  await vote.click();
  assert.ok(requests.some(isWasm), "the click asked for the wasm");
  release();
  await waitState(page, "ready");
  // The form opened (its chunk loaded on the replayed click) ...
  await inWidget(page, "form#kr-form").waitFor({ timeout: 10000 });
  // ... the vote was cast once (on that card, wherever the sort puts it) ...
  await page.waitForFunction((who) => [...document.querySelector(".kindred-widget").shadowRoot.querySelectorAll(".kr-card")]
    .find((c) => c.querySelector(".kr-author")?.textContent === who)?.querySelector("button.kr-helpful").getAttribute("aria-pressed") === "true", voted, { timeout: 10000 });
  // ... and the feed is sorted as the shopper chose.
  await page.waitForFunction(() => {
    const root = document.querySelector(".kindred-widget").shadowRoot;
    const cards = [...root.querySelectorAll(".kr-card .kr-author")].map((e) => e.textContent);
    return cards.join(",") === "Omar,Lea,Ines";
  }, null, { timeout: 10000 });
  assert.equal(await inWidget(page, ".kr-filters select >> nth=1").inputValue(), "highest");
  assert.deepEqual(errors, []);
  await context.close();
});

test("when the live widget cannot load, the testimonials stay, read-only, with one warning", async () => {
  // A short first view, so its cards do not all fit and "Show all" is there.
  const { page, context, warnings, errors } = await openIn(shared.browser, widgetPage({ brand: "acme", product: "trail-runner-2", "first-view": "320" }), {
    route: (p) => p.route("**/assets/**/kindred_bg.wasm", (r) => r.fulfill({ status: 200, contentType: "application/wasm", body: "not wasm" })),
  });
  // The shopper's focus on a control of the first paint asks for the live
  // widget; the control is disabled when it fails, and the keyboard keeps
  // its place in the widget (the section), not dropped to the page.
  await page.waitForFunction(() => performance.getEntriesByName("kindred:painted").length === 1);
  await page.locator(".kindred-widget >> .kr-first-paint button.kr-write-open").focus();
  await waitState(page, "static");
  const focusOn = () => page.evaluate(() => {
    const root = document.querySelector(".kindred-widget").shadowRoot;
    return root.activeElement && root.activeElement === root.querySelector("section.kr") ? "section" : root.activeElement?.className ?? null;
  });
  assert.equal(await focusOn(), "section");
  assert.ok((await cardCount(page)) > 0, "the cards are still there");
  const state = () => page.evaluate(() => {
    const root = document.querySelector(".kindred-widget").shadowRoot;
    return {
      inert: !!root.querySelector("[inert]"),
      enabled: [...root.querySelectorAll("button, select")].filter((c) => !c.disabled).map((c) => c.className.replace(/\bk\b/, "").trim()),
      busy: root.querySelectorAll("[aria-busy=true]").length,
      first: !!root.querySelector(".kr-first"),
    };
  });
  const s = await state();
  assert.equal(s.inert, false, "still read by screen readers and find-in-page");
  assert.deepEqual(s.enabled, ["kr-show-all"], "nothing pretends to work, but the clipped view opens");
  assert.equal(s.busy, 0);
  const tree = await page.locator(".kindred-widget").ariaSnapshot();
  assert.match(tree, /Grippy on wet rock/, "the reviews are in the accessibility tree");
  // "Show all" opens the clipped first view, and the last card comes into it.
  await inWidget(page, "button.kr-show-all").click();
  assert.equal((await state()).first, false, "Show all opens the first view");
  assert.equal(await focusOn(), "section", "the button goes, the focus stays in the widget");
  assert.equal(await inWidget(page, "li.kr-card >> nth=3").isVisible(), true);
  assert.equal(warnings.filter((w) => w.includes("[kindred]")).length, 1, JSON.stringify(warnings));
  assert.deepEqual(errors, []);
  await context.close();
});

test("'Show all' is there only when the first view's cards do not fit, measured once laid out: again when the phone turns, live or not, and when a widget in a closed <details> is first shown; no ResizeObserver error reaches the page", async () => {
  const brand = await createBrand("fits");
  // About 250 characters each: four such cards side by side fit 800 px at
  // 1280 px wide with room to spare; one above the other at 360 px they
  // need well over 800.
  const body = "Light, grippy on wet rock and comfortable from the first run. ".repeat(4);
  for (const name of ["Ana", "Bo", "Cy", "Di"]) await publish(brand, testimonial(name, 5, { body }));
  const opts = { brand: brand.id, layout: "wall", "first-view": "800" };
  const wide = { width: 1280, height: 800 };
  const narrow = { width: 360, height: 800 };
  // The page's own error listener: a "ResizeObserver loop" error is an
  // ErrorEvent on window, which error monitors on the page report.
  const pageErrors = (p) => p.addInitScript(() => {
    window.__errors = [];
    addEventListener("error", (e) => window.__errors.push(e.message));
  });
  const view = (page) => page.evaluate(() => {
    const host = document.querySelector(".kindred-widget");
    const button = host.shadowRoot.querySelector(".kr-first .kr-show-all");
    return { fits: host.getAttribute("data-kindred-fits") === "", showAll: !!button && button.checkVisibility({ visibilityProperty: true }) };
  });
  const turn = async (page, viewport, fits) => {
    await page.setViewportSize(viewport);
    await page.waitForFunction((fits) => (document.querySelector(".kindred-widget").getAttribute("data-kindred-fits") === "") === fits, fits);
    assert.deepEqual(await view(page), { fits, showAll: !fits }, `at ${viewport.width} px`);
  };
  const painted = (page) => page.evaluate(() => performance.getEntriesByName("kindred:painted").length);

  const { page, context, errors } = await openIn(shared.browser, widgetPage(opts), { viewport: wide, route: pageErrors });
  await page.waitForFunction(() => performance.getEntriesByName("kindred:painted").length === 1);
  assert.deepEqual(await view(page), { fits: true, showAll: false }, "at 1280 px on the first paint");
  await turn(page, narrow, false);
  await turn(page, wide, true);
  // The live widget's first view is watched the same way.
  await waitState(page, "ready");
  assert.deepEqual(await view(page), { fits: true, showAll: false }, "at 1280 px, live");
  await turn(page, narrow, false);
  await turn(page, wide, true);
  assert.deepEqual(await page.evaluate(() => window.__errors), []);
  assert.deepEqual(errors, []);
  await context.close();

  // Not laid out in a closed <details> (Chromium skips its content's
  // layout): nothing is painted, nor measured, until the shopper opens it.
  const closed = await openIn(shared.browser, widgetPage({ ...opts, closed: "1" }), { viewport: wide, route: pageErrors });
  await closed.page.waitForFunction(() => document.querySelector(".kindred-widget")?.shadowRoot?.querySelector(".kr-first-paint section.kr"));
  await closed.page.waitForTimeout(300);
  assert.equal(await painted(closed.page), 0, "nothing is on screen yet");
  await closed.page.click("summary");
  await closed.page.waitForFunction(() => performance.getEntriesByName("kindred:painted").length === 1);
  assert.deepEqual(await view(closed.page), { fits: true, showAll: false }, "opened at 1280 px");
  assert.deepEqual(await closed.page.evaluate(() => window.__errors), []);
  assert.deepEqual(closed.errors, []);
  await closed.context.close();
});

/** The live widget's CSS (widget/loader/live.css) as the built glue exports
 * it (xtask build.rs `LIVE_CSS_EXPORT`). */
function liveCss() {
  const assets = new URL("../../edge/public/assets/", import.meta.url);
  const [hash] = readdirSync(assets);
  const glue = readFileSync(new URL(`${hash}/kindred.js`, assets), "utf8");
  const m = glue.match(/export const __kindred_css=("(?:[^"\\]|\\.)*");/);
  assert.ok(m, "the glue exports the live widget's CSS");
  return JSON.parse(m[1]);
}

test("the first paint is styled by the loader's CSS alone: no rule of the live widget's sheet matches it; that sheet is there before the live widget mounts, with or without constructable style sheets", async () => {
  const css = liveCss();
  // Selectors of `css` that match something in the widget now.
  const matched = (page) => page.evaluate((css) => {
    const root = document.querySelector(".kindred-widget").shadowRoot;
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    const hits = [];
    const walk = (rules) => {
      for (const r of rules) {
        if (r.selectorText !== undefined) {
          if (root.querySelector(r.selectorText)) hits.push(r.selectorText);
        } else if (r.cssRules) walk(r.cssRules);
      }
    };
    walk(sheet.cssRules);
    return { hits, rules: sheet.cssRules.length };
  }, css);
  const styled = (page, selector) => inWidget(page, selector).first().evaluate((el) => {
    const c = getComputedStyle(el);
    return { display: c.display, border: c.borderTopWidth, radius: c.borderTopLeftRadius };
  });
  for (const constructable of [true, false]) {
    let release;
    const gate = new Promise((r) => (release = r));
    const { page, context, errors } = await openIn(shared.browser, "/products/trail-runner-2.html", {
      route: async (p) => {
        // Safari before 16.4, Firefox before 101: the loader uses <style>.
        if (!constructable) await p.addInitScript(() => Object.defineProperty(ShadowRoot.prototype, "adoptedStyleSheets", { configurable: true, get: () => undefined }));
        await p.route("**/assets/**/kindred_bg.wasm", async (r) => { await gate; await r.continue(); });
      },
    });
    await page.waitForFunction(() => document.querySelector(".kindred-widget")?.shadowRoot?.querySelector(".kr-first-paint section.kr"));
    const sheets = () => page.evaluate(() => {
      const root = document.querySelector(".kindred-widget").shadowRoot;
      return { adopted: (root.adoptedStyleSheets || []).length, style: root.querySelectorAll("style").length, first: root.firstChild.nodeName };
    });
    const early = await matched(page);
    assert.ok(early.rules > 50, `the live sheet has its rules: ${early.rules}`);
    assert.deepEqual(early.hits, [], "live.css rules that match the first paint (move them to widget.css)");
    assert.deepEqual(await styled(page, ".kr-card"), { display: "list-item", border: "1px", radius: "10px" }, "the first paint's cards are styled");
    assert.deepEqual(await sheets(), constructable ? { adopted: 1, style: 0, first: "DIV" } : { adopted: 0, style: 1, first: "STYLE" });
    // A click on "Write a review" wakes the live widget; the form opens once it is.
    await inWidget(page, "button.kr-write-open").click();
    release();
    await waitState(page, "ready");
    await inWidget(page, ".kr-form").waitFor();
    assert.deepEqual(await styled(page, ".kr-form"), { display: "grid", border: "1px", radius: "10px" }, "the live widget's form is styled");
    assert.deepEqual(await styled(page, ".kr-card"), { display: "list-item", border: "1px", radius: "10px" });
    assert.deepEqual(await sheets(), constructable ? { adopted: 2, style: 0, first: "DIV" } : { adopted: 0, style: 1, first: "STYLE" });
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test("on a phone the first view shows reviews before its footer: the footer gives up its room first, its controls open the widget from the keyboard, and 'Show all' (or 'Show more', when the cards all show) shows it", async () => {
  const brand = await createBrand("foot");
  // A referral teaser makes the footer tall.
  await brand.configure({ referral: { landing_url: `${SITE}/`, referee_offer: "15% off your first order", leaderboard: true } });
  // Long reviews: the first view shows their first lines, so the first
  // review shows whole, above the feed's fade.
  const body = "Light, grippy on wet rock and comfortable from the first run. ".repeat(5);
  for (const name of ["Ana", "Bo", "Cy", "Di", "Ed", "Flo"]) await publish(brand, testimonial(name, 5, { body }));
  const view = (page) => page.evaluate(() => {
    const host = document.querySelector(".kindred-widget");
    const root = host.shadowRoot;
    const feed = root.querySelector(".kr-first > .kr-feed");
    const foot = root.querySelector(".kr-first > .kr-foot");
    const card = feed.querySelector(".kr-card").getBoundingClientRect();
    return {
      foot: foot.clientHeight,
      footHasContent: foot.scrollHeight > 40,
      // Above the fade, if any (widget.css: the feed's last 56px).
      firstCardWhole: card.bottom <= feed.getBoundingClientRect().bottom - (getComputedStyle(feed).maskImage !== "none" ? 56 : 0) + 1,
      fits: host.getAttribute("data-kindred-fits"),
      fade: getComputedStyle(feed).maskImage !== "none",
      showAll: root.querySelector(".kr-first > .kr-show-all").checkVisibility({ visibilityProperty: true }),
      label: root.querySelector(".kr-first > .kr-show-all").innerText.trim(),
    };
  });
  const phone = { width: 360, height: 740 };
  let release;
  const gate = new Promise((r) => (release = r));
  const { page, context, errors } = await openIn(shared.browser, widgetPage({ brand: brand.id }), {
    viewport: phone,
    route: (p) => p.route("**/assets/**/kindred_bg.wasm", async (r) => { await gate; await r.continue(); }),
  });
  await page.waitForFunction(() => performance.getEntriesByName("kindred:painted").length === 1);
  const want = { foot: 0, footHasContent: true, firstCardWhole: true, fits: null, fade: true, showAll: true, label: "Show all 6 reviews" };
  assert.deepEqual(await view(page), want, "the first paint");

  // Shift+Tab from the page below lands on the footer's last control,
  // clipped out of sight: the widget opens and shows it.
  await focusBelow(page);
  await page.keyboard.press("Shift+Tab");
  assert.equal(await page.evaluate(() => document.querySelector(".kindred-widget").getAttribute("data-kindred-state")), null, "not live yet");
  const focused = () => page.evaluate(() => {
    const root = document.querySelector(".kindred-widget").shadowRoot;
    const el = root.activeElement;
    const r = el && el.getBoundingClientRect();
    return el && {
      yourData: el.classList.contains("kr-data-open"),
      inFoot: !!el.closest(".kr-foot"),
      inSight: r.top >= 0 && r.bottom <= innerHeight + 1 && r.height > 0 && !!el.checkVisibility(),
      open: !root.querySelector("section.kr-first"),
      firstPaint: !!el.closest(".kr-first-paint"),
      showAll: [...root.querySelectorAll(".kr-show-all")].some((b) => b.checkVisibility()),
    };
  });
  // The first paint opens at once (the wasm still held back): the control
  // the keyboard reached is in sight, not clipped until the live widget comes.
  await page.waitForFunction(() => {
    const el = document.querySelector(".kindred-widget").shadowRoot.activeElement;
    return el && el.getBoundingClientRect().bottom <= innerHeight + 1;
  }, null, { timeout: 5000 }).catch(() => {});
  assert.deepEqual(await focused(), { yourData: true, inFoot: true, inSight: true, open: true, firstPaint: true, showAll: false }, "the first paint, opened by the keyboard's focus");
  const scrolled = await page.evaluate(() => scrollY);
  release();
  // The live widget comes open, takes the focus over, and moves nothing.
  await page.waitForFunction(() => {
    const host = document.querySelector(".kindred-widget");
    return host.getAttribute("data-kindred-state") === "ready" && performance.getEntriesByName("kindred:interactive").length === 1;
  });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  assert.deepEqual(await focused(), { yourData: true, inFoot: true, inSight: true, open: true, firstPaint: false, showAll: false }, "the live widget");
  assert.equal(await page.evaluate(() => document.querySelector(".kindred-widget").shadowRoot.querySelectorAll(".kr-show-all").length), 0, "the live widget's own state is open");
  assert.equal(await page.evaluate(() => scrollY), scrolled, "the swap scrolls nothing");
  assert.ok(await inWidget(page, "section.kr:not(.kr-first) .kr-ref-open").isVisible(), "the referral teaser shows once open");
  assert.deepEqual(errors, []);
  await context.close();

  // Live, the same first view; "Show all" opens it.
  const live = await openIn(shared.browser, widgetPage({ brand: brand.id }), { viewport: phone });
  await waitState(live.page, "ready");
  await live.page.waitForFunction(() => performance.getEntriesByName("kindred:interactive").length === 1);
  assert.deepEqual(await view(live.page), want, "the live widget");
  await inWidget(live.page, "button.kr-show-all").click();
  await inWidget(live.page, "section.kr:not(.kr-first) .kr-ref-open").waitFor();
  const foot = await inWidget(live.page, ".kr-foot").evaluate((el) => el.scrollHeight - el.clientHeight);
  assert.equal(foot, 0, "the open widget shows its whole footer");
  assert.deepEqual(live.errors, []);
  await live.context.close();

  // A phone's touch screen (a coarse pointer: every control 44 px): the
  // same first view, its first review whole.
  const touch = await openIn(shared.browser, widgetPage({ brand: brand.id }), { context: await shared.browser.newContext({ viewport: phone, hasTouch: true, isMobile: true }) });
  await touch.page.waitForFunction(() => performance.getEntriesByName("kindred:painted").length === 1);
  assert.ok(await touch.page.evaluate(() => matchMedia("(pointer: coarse)").matches));
  assert.deepEqual(await view(touch.page), want, "the first paint on a touch screen");
  assert.deepEqual(touch.errors, []);
  await touch.context.close();

  // Two reviews: they fit, the footer does not. No fade over whole cards;
  // "Show all" stays, the way to the footer.
  const few = await createBrand("foot-few");
  await few.configure({ referral: { landing_url: `${SITE}/`, referee_offer: "15% off your first order" } });
  for (const name of ["Ana", "Bo"]) await publish(few, testimonial(name, 5));
  const small = await openIn(shared.browser, widgetPage({ brand: few.id }), { viewport: phone });
  await small.page.waitForFunction(() => performance.getEntriesByName("kindred:painted").length === 1);
  const seen = await view(small.page);
  assert.ok(seen.foot < 100, `the footer gave up its room: ${seen.foot}px left`);
  assert.deepEqual({ ...seen, foot: 0 }, { foot: 0, footHasContent: true, firstCardWhole: true, fits: "cards", fade: false, showAll: true, label: "Show more" });
  // It opens the widget and takes the keyboard to what was hidden.
  await inWidget(small.page, "button.kr-show-all").click();
  await small.page.waitForFunction(() => !!document.querySelector(".kindred-widget").shadowRoot.activeElement?.closest("section.kr:not(.kr-first) .kr-foot"), null, { timeout: 10000 });
  assert.deepEqual(small.errors, []);
  await small.context.close();

  // One long review: its card fits, its text shows its first lines, so
  // "Show all" stays (without the fade over a whole card), the way to the
  // rest of it.
  const long = await createBrand("foot-long");
  await publish(long, testimonial("Ana", 5, { body }));
  const one = await openIn(shared.browser, widgetPage({ brand: long.id }), { viewport: phone });
  await one.page.waitForFunction(() => performance.getEntriesByName("kindred:painted").length === 1);
  const clamped = await view(one.page);
  assert.deepEqual({ fits: clamped.fits, showAll: clamped.showAll, label: clamped.label, whole: clamped.firstCardWhole }, { fits: "clamped", showAll: true, label: "Show the review", whole: true });
  assert.deepEqual(one.errors, []);
  await one.context.close();
});

test("'Show all' on the first paint, before the live widget is there, shows the first page's cards and 'Load more' at once and takes the keyboard to the first control that takes it; the live widget comes open with the focus where it is, and nothing moves without an input", async () => {
  const brand = await createBrand("show-early");
  const body = "Held up on a wet week of trail runs, and still light. ".repeat(3);
  // More than a page (10): "Load more" belongs to the open view.
  let last;
  for (let n = 0; n < 12; n++) last = await publish(brand, testimonial(`Runner ${n}`, 5, { body }));
  let release;
  const gate = new Promise((r) => (release = r));
  const { page, context, errors } = await openIn(shared.browser, widgetPage({ brand: brand.id }), {
    viewport: { width: 360, height: 740 },
    route: async (p) => {
      // The newest card's vote already cast: its "Helpful" is disabled.
      await p.addInitScript((id) => localStorage.setItem("kindred.voted", JSON.stringify([id])), last);
      // Layout shifts no input explains (CLS counts only those).
      await p.addInitScript(() => {
        window.__shifts = [];
        new PerformanceObserver((l) => { for (const e of l.getEntries()) if (!e.hadRecentInput) window.__shifts.push(e.value); }).observe({ type: "layout-shift", buffered: true });
      });
      await p.route("**/assets/**/kindred_bg.wasm", async (r) => { await gate; await r.continue(); });
    },
  });
  await page.waitForFunction(() => performance.getEntriesByName("kindred:painted").length === 1);
  const state = () => page.evaluate(() => {
    const host = document.querySelector(".kindred-widget");
    const root = host.shadowRoot;
    const feed = root.querySelector("section.kr .kr-feed");
    const el = root.activeElement;
    const seen = (sel) => [...root.querySelectorAll(sel)].some((b) => b.checkVisibility());
    return {
      live: host.getAttribute("data-kindred-state") === "ready",
      open: !root.querySelector("section.kr-first"),
      cards: [...feed.querySelectorAll(".kr-card")].filter((c) => c.getBoundingClientRect().bottom <= feed.getBoundingClientRect().bottom + 1).length,
      firstVoteDisabled: !!feed.querySelector(".kr-card .kr-helpful:disabled"),
      showAll: seen(".kr-show-all"),
      loadMore: seen(".kr-more"),
      focus: el ? (el.closest(".kr-card") && el === feed.querySelector(".kr-card button:not(:disabled)") ? "first enabled card control" : el.className) : null,
    };
  });
  assert.deepEqual(await state(), { live: false, open: false, cards: 1, firstVoteDisabled: true, showAll: true, loadMore: false, focus: null }, "the first view, clipped");
  // The keyboard's way: focus the button, Enter.
  await page.locator(".kindred-widget >> .kr-first-paint button.kr-show-all").focus();
  await page.keyboard.press("Enter");
  const opened = { live: false, open: true, cards: 10, firstVoteDisabled: true, showAll: false, loadMore: true, focus: "first enabled card control" };
  assert.deepEqual(await state(), opened, "opened on the first paint, the wasm still held back");
  await page.waitForTimeout(600); // past the input's grace for layout shifts
  // From here (this test page reserves no room: the widget's insertion
  // shifted the page), any shift would be the swap's.
  const scrolled = await page.evaluate(() => { window.__shifts.length = 0; return scrollY; });
  release();
  await page.waitForFunction(() => performance.getEntriesByName("kindred:interactive").length === 1);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  assert.deepEqual(await state(), { ...opened, live: true }, "the live widget");
  // The live widget's own state is open (it removed "Show all"), not only its class.
  assert.equal(await page.evaluate(() => document.querySelector(".kindred-widget").shadowRoot.querySelectorAll(".kr-show-all").length), 0);
  assert.equal(await page.evaluate(() => scrollY), scrolled);
  assert.deepEqual(await page.evaluate(() => window.__shifts), [], "layout shifts after the input's grace");
  // "Load more" works.
  await inWidget(page, "button.kr-more").click();
  await page.waitForFunction(() => document.querySelector(".kindred-widget").shadowRoot.querySelectorAll(".kr-card").length === 12, null, { timeout: 10000 });
  assert.deepEqual(errors, []);
  await context.close();
});

test("a page whose live runtime came from an older embed.js (no live CSS in its glue) still goes live, with one warning that says so", async () => {
  const { page, context, warnings, errors } = await openIn(shared.browser, "/products/trail-runner-2.html", {
    route: (p) => p.route(/\/assets\/[0-9a-f]+\/kindred\.js$/, async (r) => {
      const res = await r.fetch();
      const body = (await res.text()).replace(/\nexport const __kindred_css=.*;\s*$/s, "\n");
      assert.ok(!body.includes("__kindred_css"), "the test's glue has no live CSS");
      await r.fulfill({ response: res, body });
    }),
  });
  await waitState(page, "ready");
  const ours = warnings.filter((w) => w.includes("[kindred]"));
  assert.equal(ours.length, 1, JSON.stringify(warnings));
  assert.match(ours[0], /older embed\.js/);
  assert.equal(await page.evaluate(() => document.querySelector(".kindred-widget").shadowRoot.adoptedStyleSheets.length), 1, "widget.css only");
  assert.deepEqual(errors, []);
  await context.close();
});

test("'Show all' on the live widget by keyboard (Enter, Space) opens it and keeps the keyboard in it: on the first card's first control", async () => {
  for (const key of ["Enter", "Space"]) {
    const { page, context, errors } = await openIn(shared.browser, "/products/trail-runner-2.html");
    await waitState(page, "ready");
    await page.waitForFunction(() => performance.getEntriesByName("kindred:interactive").length === 1);
    await inWidget(page, "button.kr-show-all").focus();
    await page.keyboard.press(key);
    await page.waitForFunction(() => document.querySelector(".kindred-widget").shadowRoot.activeElement?.closest(".kr-card"), null, { timeout: 5000 }).catch(() => {});
    const seen = await page.evaluate(() => {
      const root = document.querySelector(".kindred-widget").shadowRoot;
      const el = root.activeElement;
      return { open: !root.querySelector("section.kr-first"), focus: el && el === root.querySelector(".kr-feed .kr-card button:not(:disabled)") ? "first card control" : el?.className ?? document.activeElement.localName };
    });
    assert.deepEqual(seen, { open: true, focus: "first card control" }, key);
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test("a held Enter activates one control: on 'Show all' it opens the view and moves the keyboard, and casts no vote on the control it lands on (first paint and live widget); in the review's text it still makes lines", async () => {
  const hold = async (page) => {
    await page.keyboard.down("Enter");
    // The browser's auto-repeat: more keydowns, `repeat` set.
    for (let n = 0; n < 4; n++) {
      await page.waitForTimeout(30);
      await page.keyboard.down("Enter");
    }
    await page.keyboard.up("Enter");
    await page.waitForTimeout(300);
  };
  for (const live of [false, true]) {
    const { page, context, errors } = await openIn(shared.browser, "/products/trail-runner-2.html", {
      viewport: { width: 360, height: 740 },
      // The first paint stays one: the main module never comes.
      route: live ? undefined : (p) => p.route("**/assets/**/kindred_bg.wasm", () => {}),
    });
    await page.waitForFunction(() => performance.getEntriesByName("kindred:painted").length === 1);
    if (live) {
      await inWidget(page, ".kr-title").hover();
      await page.waitForFunction(() => performance.getEntriesByName("kindred:interactive").length === 1);
    }
    await inWidget(page, "button.kr-show-all").focus();
    await hold(page);
    const seen = await page.evaluate(() => {
      const root = document.querySelector(".kindred-widget").shadowRoot;
      const el = root.activeElement;
      return {
        open: !root.querySelector("section.kr-first"),
        focus: el && el === root.querySelector(".kr-feed .kr-card button:not(:disabled)") ? "first card control" : el?.className ?? null,
        votes: localStorage.getItem("kindred.voted"),
        pressed: root.querySelectorAll(".kr-helpful[aria-pressed=true]").length,
        // The first paint's record of a click for the live widget to replay.
        busy: root.querySelectorAll(".kr-card [aria-busy=true]").length,
      };
    });
    assert.deepEqual(seen, { open: true, focus: "first card control", votes: null, pressed: 0, busy: 0 }, live ? "live widget" : "first paint");
    if (live) {
      await inWidget(page, "button.kr-write-open").click();
      const text = inWidget(page, "form#kr-form textarea");
      await text.focus();
      await hold(page);
      assert.ok((await text.inputValue()).split("\n").length >= 4, "a held Enter in the text area makes lines");
      // A held Enter on "Submit" of a review without its text: refused,
      // the focus goes to the text, and the repeats type nothing into it.
      await text.fill("");
      await inWidget(page, "#kr-name").fill("Ana");
      await inWidget(page, "#kr-email").fill("ana@example.com");
      await inWidget(page, "#kr-star-5").check({ force: true });
      await inWidget(page, "form#kr-form button[type=submit]").focus();
      await hold(page);
      await page.waitForFunction(() => document.querySelector(".kindred-widget").shadowRoot.activeElement?.id === "kr-body", null, { timeout: 5000 });
      assert.equal(await text.inputValue(), "", "no lines from the submit's held Enter");
    }
    assert.deepEqual(errors, []);
    await context.close();
  }
});

/** A first-paint answer as the edge gives a loader of another build
 * (cached from before a deploy): its markup names the build it was rendered
 * for (`markup_build`), not this loader's. */
const markupOfAnotherBuild = (p) => p.route(/\/v1\/widget\/[^/?]+\?/, async (r) => {
  const res = await r.fetch();
  const body = await res.json();
  assert.match(body.markup_build ?? "", /^[0-9a-f]{12}$/, "the edge names the markup's build");
  body.markup_build = "0123456789ab";
  await r.fulfill({ response: res, body: JSON.stringify(body) });
});

test("a loader cached from before a deploy does not show markup of another build: its own build's live widget renders the data at once, with no warning; if that cannot load, the markup is shown read-only", async () => {
  {
    const { page, context, warnings, errors } = await openIn(shared.browser, "/products/trail-runner-2.html", { route: markupOfAnotherBuild });
    await waitState(page, "ready");
    const seen = await page.evaluate(() => ({
      cards: document.querySelector(".kindred-widget").shadowRoot.querySelectorAll(".kr-card").length,
      painted: performance.getEntriesByName("kindred:painted").length,
    }));
    assert.ok(seen.cards > 0, JSON.stringify(seen));
    assert.equal(seen.painted, 1);
    assert.deepEqual(warnings.filter((w) => w.includes("[kindred]")), []);
    assert.deepEqual(errors, []);
    await context.close();
  }
  {
    // Its own build's files gone too (two deploys within a minute).
    const views = [];
    const { page, context, warnings, errors } = await openIn(shared.browser, "/products/trail-runner-2.html", {
      route: async (p) => {
        p.on("request", (r) => {
          if (/\/v1\/brands\/acme\/events$/.test(r.url()) && (r.postData() || "").includes("widget_view")) views.push(r.url());
        });
        await markupOfAnotherBuild(p);
        await p.route("**/assets/**/kindred_bg.wasm", (r) => r.fulfill({ status: 404, body: "" }));
      },
    });
    await waitState(page, "static");
    const seen = await page.evaluate(() => {
      const root = document.querySelector(".kindred-widget").shadowRoot;
      return { cards: root.querySelectorAll(".kr-card").length, enabled: root.querySelectorAll(".kr-card button:not(:disabled)").length };
    });
    assert.ok(seen.cards > 0, JSON.stringify(seen));
    assert.equal(seen.enabled, 0, "read-only");
    // The read-only markup is a view like any other: counted once.
    for (let i = 0; i < 50 && views.length === 0; i++) await page.waitForTimeout(100);
    assert.equal(views.length, 1, "one widget_view beacon");
    assert.equal(warnings.filter((w) => w.includes("[kindred]")).length, 1, JSON.stringify(warnings));
    assert.deepEqual(errors, []);
    await context.close();
  }
});
