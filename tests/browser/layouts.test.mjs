// Testimonials used beyond the product page's list: data-layout="wall" and
// "carousel" on a storefront (first paint and live widget, a wide screen and
// an Arabic phone), and the edge's hosted wall and share pages in a real
// browser (consented testimonials only, photos load under their CSP, no
// overflow on a phone, axe-clean).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { EDGE, SITE, useBrowser, open, widgetPage, waitState, createBrand, publish, testimonial, PNG_1X1 } from "./lib.mjs";

const b = useBrowser(before, after);
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** Where each card of the first widget sits: [{left, top, width}]. */
function cardBoxes(page) {
  return page.evaluate(() =>
    [...document.querySelector(".kindred-widget").shadowRoot.querySelectorAll(".kr-card")].map((c) => {
      const r = c.getBoundingClientRect();
      return { left: Math.round(r.left), top: Math.round(r.top), width: Math.round(r.width) };
    }),
  );
}

/** Every image on the page has loaded and decoded (the wall's are lazy:
 * each is scrolled into view first, as a reader would). */
async function photosLoaded(page, what) {
  const ok = await page.evaluate(async () => {
    for (const img of document.images) {
      img.scrollIntoView();
      await img.decode().catch(() => {});
    }
    return [...document.images].every((i) => i.complete && i.naturalWidth > 0);
  });
  assert.ok(ok, what);
}

async function brandWith(n, extra = {}) {
  const brand = await createBrand("layout");
  for (let i = 0; i < n; i++) {
    await publish(brand, testimonial(`Shopper ${String.fromCharCode(65 + i)}`, 5 - (i % 3), { product: "sku-l", ...extra }));
  }
  return brand;
}

test("data-layout=wall sets the cards in columns, in the first paint and the live widget", async () => {
  const brand = await brandWith(6);
  // The wasm waits until the first paint is measured: the live widget may
  // otherwise take over before a busy machine's check sees the first paint.
  let release;
  const gate = new Promise((r) => (release = r));
  const route = (p) => p.route("**/assets/**/kindred_bg.wasm", async (r) => { await gate; await r.continue(); });
  const { page, errors } = await open(b.browser, widgetPage({ brand: brand.id, product: "sku-l", layout: "wall", reserve: 1 }), { viewport: { width: 1280, height: 900 }, route });
  await page.waitForFunction(() => document.querySelector(".kindred-widget")?.shadowRoot?.querySelector(".kr-first-paint .kr-card"));
  const painted = await cardBoxes(page);
  const columns = new Set(painted.map((c) => c.left));
  assert.ok(columns.size >= 2, `cards in columns at 1280 px: ${JSON.stringify(painted)}`);
  assert.equal(await page.evaluate(() => document.querySelector(".kindred-widget").getAttribute("data-kindred-layout")), "wall");
  release();
  await waitState(page, "ready");
  const live = await cardBoxes(page);
  assert.ok(new Set(live.map((c) => c.left)).size >= 2, `the live widget keeps the columns: ${JSON.stringify(live)}`);
  assert.deepEqual(errors, []);
});

test("data-layout=carousel is one row that scrolls sideways, on an Arabic phone, without widening the page", async () => {
  const brand = await brandWith(5);
  const { page, errors } = await open(b.browser, widgetPage({ brand: brand.id, product: "sku-l", layout: "carousel", locale: "ar", reserve: 1 }), {
    viewport: { width: 360, height: 740 },
  });
  await waitState(page, "ready");
  const boxes = await cardBoxes(page);
  assert.ok(boxes.length >= 5, `${boxes.length} cards`);
  assert.equal(new Set(boxes.map((c) => c.top)).size, 1, `one row: ${JSON.stringify(boxes)}`);
  assert.ok(boxes.every((c) => c.width <= 320 && c.width >= 200), `a card is most of a phone's width: ${JSON.stringify(boxes)}`);
  // Right to left: the first card starts at the right.
  assert.ok(boxes[0].left > boxes[1].left, `RTL order: ${JSON.stringify(boxes.slice(0, 2))}`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page does not scroll sideways (${overflow}px)`);
  // The row scrolls, by keyboard too.
  const list = page.locator(".kindred-widget >> .kr-list").first();
  const scroll = () => list.evaluate((l) => ({ left: l.scrollLeft, wide: l.scrollWidth > l.clientWidth }));
  assert.equal((await scroll()).wide, true, "the row is wider than the widget");
  await list.focus();
  await page.keyboard.press("ArrowLeft");
  await page.waitForFunction(() => document.querySelector(".kindred-widget").shadowRoot.querySelector(".kr-list").scrollLeft !== 0, null, { timeout: 5000 });
  assert.ok((await scroll()).left < 0, "in RTL, ArrowLeft moves on (scrollLeft goes negative)");
  assert.deepEqual(errors, []);
});

test("an unknown data-layout is the list, with one warning", async () => {
  const brand = await brandWith(2);
  const { page, warnings } = await open(b.browser, widgetPage({ brand: brand.id, product: "sku-l", layout: "masonry" }));
  await page.waitForFunction(() => document.querySelector(".kindred-widget")?.shadowRoot?.querySelector(".kr-card"));
  assert.equal(await page.evaluate(() => document.querySelector(".kindred-widget").hasAttribute("data-kindred-layout")), false);
  assert.equal(warnings.filter((w) => w.includes("data-layout")).length, 1, warnings.join("\n"));
});

test("the hosted wall and share pages show consented testimonials only, with their photos, on a phone", async () => {
  const brand = await createBrand("hosted");
  const member = "member-hosted-0000000001";
  const api = (path, body, headers = {}) =>
    fetch(`${EDGE}${path}`, { method: "POST", headers: { "content-type": "application/json", "x-kindred-member": member, ...headers }, body: JSON.stringify(body) }).then((r) => r.json());
  const photo = await fetch(`${EDGE}/v1/brands/${brand.id}/photos`, { method: "POST", headers: { "content-type": "application/octet-stream" }, body: PNG_1X1 }).then((r) => r.json());
  const write = async (t, consent) => {
    const r = await api(`/v1/brands/${brand.id}/testimonials`, { ...t, reuse_consent: consent || undefined });
    assert.ok(r.id, JSON.stringify(r));
    assert.equal((await brand.approve(r.id)).status, 200);
    return r.id;
  };
  const shared = await write(testimonial("Leila", 5, { body: "خیلی راحت است و برای دویدن در کوه عالی است. ".repeat(6) + "Averyveryveryveryveryverylongwordwithoutanyspacesatallthatcouldoverflowaphonescreen", tags: ["کوه", "trail"], photos: [photo.id] }), true);
  const quiet = await write(testimonial("Quentin", 5, { body: "NOT-FOR-ADS: only for the product page." }), false);

  const { page, errors, consoleErrors } = await open(b.browser, "/", { viewport: { width: 360, height: 740 } });
  await page.goto(`${EDGE}/wall/${brand.id}?locale=ar`);
  const text = await page.textContent("body");
  assert.ok(text.includes("Leila") && !text.includes("NOT-FOR-ADS") && !text.includes(quiet), "consented only");
  assert.equal(await page.getAttribute("html", "dir"), "rtl");
  assert.ok(await page.locator("nav .chips a", { hasText: "کوه" }).count(), "a chip per tag");
  await photosLoaded(page, "photos load under the page's CSP");
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), "nothing widens the page on a phone");
  assert.equal(await page.locator('link[rel=alternate][type="application/atom+xml"]').count(), 1, "its feed is announced");
  // axe in a context that lets its script run (the page's CSP allows none).
  const audit = await b.browser.newContext({ bypassCSP: true, viewport: { width: 360, height: 740 } });
  for (const path of [`/wall/${brand.id}?locale=ar`, `/t/${brand.id}/${shared}`]) {
    const p = await audit.newPage();
    await p.goto(`${EDGE}${path}`);
    await p.addScriptTag({ content: axeSource });
    const violations = await p.evaluate(async () => (await window.axe.run(document)).violations.map((v) => `${v.id}: ${v.nodes.slice(0, 2).map((n) => n.target.join(" ")).join(", ")}`));
    assert.deepEqual(violations, [], path);
  }
  await audit.close();

  await page.goto(`${EDGE}/t/${brand.id}/${shared}`);
  assert.equal(await page.getAttribute('meta[property="og:type"]', "content"), "article");
  await photosLoaded(page, "the share page's photo loads");
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), "a long word wraps");
  const gone = await page.goto(`${EDGE}/t/${brand.id}/${quiet}`);
  assert.equal(gone.status(), 404);
  assert.deepEqual(errors, []);
  assert.deepEqual(consoleErrors.filter((e) => !e.includes("404")), []);
});

test("a layout given to Kindred('mount') or passed through the frame fallback is kept", async () => {
  const brand = await brandWith(3);
  // The page defines the documented stub queue, so Kindred(...) is live.
  const stub = (p) => p.addInitScript("window.Kindred = window.Kindred || function () { (Kindred.q = Kindred.q || []).push(arguments); };");
  const { page, errors } = await open(b.browser, widgetPage({ brand: brand.id, product: "sku-l" }), { viewport: { width: 1280, height: 900 }, route: stub });
  await page.waitForFunction(() => document.querySelector(".kindred-widget")?.shadowRoot?.querySelector(".kr-card"));
  await page.evaluate(([id]) => window.Kindred("mount", { target: "#slot", brand: id, product: "sku-l", layout: "carousel" }), [brand.id]);
  await page.waitForFunction(() => document.querySelector(".kindred-widget")?.getAttribute("data-kindred-layout") === "carousel");
  assert.equal(await page.locator(".kindred-widget").count(), 1, "mounting replaced the widget");
  // A page whose CSP forbids WebAssembly gets the frame, with the layout.
  await page.goto(`${SITE}/__test/csp.html`);
  await page.locator(".kindred-widget >> iframe").waitFor({ timeout: 20000 });
  await page.evaluate(() => {
    document.querySelector("div").id = "framed";
    window.Kindred("mount", { target: "#framed", brand: "acme", product: "trail-runner-2", layout: "wall" });
  });
  await page.waitForFunction(() => document.querySelector(".kindred-widget")?.getAttribute("data-kindred-layout") === "wall");
  const frame = page.locator(".kindred-widget >> iframe");
  await frame.waitFor({ timeout: 20000 });
  assert.match(await frame.getAttribute("src"), /[?&]layout=wall(&|$)/);
  assert.deepEqual(errors, []);
});
