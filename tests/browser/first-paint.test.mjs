// The loader paints the testimonials from the first-paint JSON before the
// wasm arrives; the wasm then mounts the live widget over it. The two must
// be the same markup, so the swap moves nothing and reads the same.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { EDGE, useBrowser, open as openIn, waitState, widgetPage, createBrand, publish, testimonial, PNG_1X1 } from "./lib.mjs";

const shared = useBrowser(before, after);

/** Tag, attributes (sorted) and text of the widget's section; comments,
 * blank text and the asynchronously loaded ambassadors' board left out. */
function snapshot(page) {
  return page.evaluate(() => {
    const root = document.querySelector(".kindred-widget").shadowRoot;
    const section = root.querySelector("section.kr");
    const walk = (n) => {
      if (n.nodeType === Node.TEXT_NODE) return n.data.trim() ? JSON.stringify(n.data) : "";
      if (n.nodeType !== Node.ELEMENT_NODE || n.classList.contains("kr-board")) return "";
      // Classes as a set: their order in the attribute means nothing.
      const value = (a) => (a.name === "class" ? a.value.split(/\s+/).sort().join(" ") : a.value);
      const attrs = [...n.attributes].map((a) => `${a.name}=${JSON.stringify(value(a))}`).sort().join(" ");
      return `<${n.localName} ${attrs}>${[...n.childNodes].map(walk).join("")}</${n.localName}>`;
    };
    const first = root.querySelector(".kr-card");
    const box = first ? first.getBoundingClientRect() : null;
    return {
      markup: walk(section),
      firstCard: box && [box.x, box.y, box.width, box.height],
      height: document.querySelector(".kindred-widget").getBoundingClientRect().height,
      inert: !!section.closest("[inert]"),
    };
  });
}

async function compare(path, { voted } = {}) {
  let release;
  const gate = new Promise((r) => (release = r));
  const existing = await shared.browser.newContext();
  // A shopper who already found one of these helpful (the widget remembers it).
  if (voted) await existing.addInitScript((id) => localStorage.setItem("kindred.voted", JSON.stringify([id])), voted);
  const { page, context, errors } = await openIn(shared.browser, path, {
    context: existing,
    route: async (p) => {
      await p.route("**/assets/**/kindred_bg.wasm", async (r) => { await gate; await r.continue(); });
      // The board loads after mount; keep it out of the comparison's way.
      await p.route("**/ambassadors", (r) => r.fulfill({ status: 200, contentType: "application/json", body: "[]" }));
    },
  });
  await page.waitForFunction(() => document.querySelector(".kindred-widget")?.shadowRoot?.querySelector(".kr-first-paint section.kr"));
  const early = await snapshot(page);
  assert.equal(early.inert, true, "the first paint is inert until the widget is live");
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
  await context.close();
  return live.markup;
}

test("the first paint is the live widget's markup: product page with referral program, community, tags and badges", async () => {
  const markup = await compare("/products/trail-runner-2.html");
  for (const part of ["kr-referral", "kr-community-open", "kr-chip", "kr-verified", "kr-ambassador", "kr-write-open"]) {
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
  for (const part of ["kr-photo", "kr-featured", "kr-show-all", "kr-incentive", "--kr-brand-accent:#aa3300", "Zoë <b>", "Helpful ✓"]) {
    assert.ok(markup.includes(part), `the page exercises ${part}`);
  }

  const empty = await createBrand("fp-empty");
  assert.ok((await compare(widgetPage({ brand: empty.id }))).includes("kr-empty"));
});
