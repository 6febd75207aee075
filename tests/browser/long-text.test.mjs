// What shoppers write stays in its place, whatever its shape: a 60-letter
// name, a 40-letter tag, a word of thousands of letters, a title with marks
// stacked on its letters, a thread titled with one long word. None widens a
// card, the widget or the page, draws over its neighbours, or pushes the
// moderator's buttons off screen.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { EDGE, useBrowser, open, waitState, inWidget, widgetPage, createBrand, publish, testimonial, openConsole } from "./lib.mjs";

const shared = useBrowser(before, after);

// Marks above a letter, ten on each of six letters: the edge keeps
// kindred_core::text::MAX_COMBINING_MARKS of them, still a tall stack.
const STACKED = "Zalgo " + "a\u0301\u0300\u0302\u0303\u0304\u0306\u0307\u0308\u030a\u030b".repeat(6);

/** How many pixels of the screenshot `png` are not the page's green. */
async function notGreen(context, png) {
  const blank = await context.newPage();
  const n = await blank.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement("canvas");
    [c.width, c.height] = [img.width, img.height];
    const g = c.getContext("2d");
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    let off = 0;
    for (let i = 0; i < d.length; i += 4) if (!(d[i] < 40 && d[i + 1] > 215 && d[i + 2] < 40)) off++;
    return off;
  }, png.toString("base64"));
  await blank.close();
  return n;
}

/** What sticks out: cards and panels wider than the widget, text wider than
 * the card or panel that holds it (cards clip what overflows them, so the
 * text's own extent is measured), the page scrolling sideways. */
function overflow(page) {
  return page.evaluate(() => {
    const host = document.querySelector(".kindred-widget");
    const box = host.getBoundingClientRect();
    const out = [];
    for (const el of host.shadowRoot.querySelectorAll(".kr-card, .kr-community-body")) {
      const r = el.getBoundingClientRect();
      if (!r.width) continue;
      if (r.right > box.right + 1 || r.left < box.left - 1) out.push(`${el.className} ${Math.round(r.left)}..${Math.round(r.right)} in ${Math.round(box.left)}..${Math.round(box.right)}`);
      const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let t = walk.nextNode(); t; t = walk.nextNode()) {
        if (!t.data.trim()) continue;
        const range = document.createRange();
        range.selectNodeContents(t);
        const tr = range.getBoundingClientRect();
        if (tr.width && (tr.right > r.right + 1 || tr.left < r.left - 1)) out.push(`text "${t.data.slice(0, 12)}" ${Math.round(tr.left)}..${Math.round(tr.right)} in ${el.className} ${Math.round(r.left)}..${Math.round(r.right)}`);
      }
    }
    if (document.documentElement.scrollWidth > innerWidth) out.push(`page ${document.documentElement.scrollWidth} wide in ${innerWidth}`);
    return out;
  });
}

test("long names, tags and words, and stacked marks stay inside their card and the widget", async () => {
  const brand = await createBrand("longtext");
  await publish(brand, testimonial("N".repeat(60), 5, { title: "Fine", body: `Word: ${"Y".repeat(2000)} end.`, tags: ["W".repeat(40)] }));
  const stacked = await publish(brand, testimonial("Zed", 4, { title: STACKED, body: "Stacked marks in the title above." }));
  await publish(brand, testimonial("Ana", 5, { title: "Short", body: "A plain review on top." }));
  const kept = (await brand.list("approved")).find((t) => t.id === stacked).title;
  assert.ok(/\u030a/.test(kept) && !/\u030b/.test(kept), "the edge kept 8 marks a letter, not 10: " + JSON.stringify(kept));

  // A phone: nothing wider than its column, in the first view and opened.
  const phone = await open(shared.browser, widgetPage({ brand: brand.id }), { viewport: { width: 360, height: 740 } });
  await waitState(phone.page, "ready");
  assert.deepEqual(await overflow(phone.page), [], "first view");
  await inWidget(phone.page, "button.kr-show-all").click();
  await inWidget(phone.page, "section.kr:not(.kr-first) .kr-card").first().waitFor();
  assert.deepEqual(await overflow(phone.page), [], "opened");
  assert.deepEqual(phone.errors, []);
  await phone.context.close();

  // A desktop: the marks stacked on the second card's title draw inside that
  // card, not over the gap above it (the page's green shows through there).
  const desk = await open(shared.browser, widgetPage({ brand: brand.id }), { viewport: { width: 1000, height: 900 } });
  await desk.page.addStyleTag({ content: "html, body { background: #00ff00 !important; }" });
  await waitState(desk.page, "ready");
  const gap = await desk.page.evaluate(() => {
    const cards = [...document.querySelector(".kindred-widget").shadowRoot.querySelectorAll(".kr-card")].map((c) => c.getBoundingClientRect());
    return { x: cards[1].left + 8, y: cards[0].bottom + 1, width: cards[1].width - 16, height: cards[1].top - cards[0].bottom - 2 };
  });
  assert.ok(gap.height >= 4, JSON.stringify(gap));
  assert.equal(await notGreen(desk.context, await desk.page.screenshot({ clip: gap })), 0, "nothing drawn between the cards");
  await desk.context.close();
});

test("a thread titled with one long word leaves the group's view its width", async () => {
  const brand = await createBrand("longthread");
  const g = await (await fetch(`${EDGE}/v1/admin/brands/${brand.id}/groups`, {
    method: "POST",
    headers: { authorization: `Bearer ${brand.key}`, "content-type": "application/json" },
    body: JSON.stringify({ name: "Trail runners", description: "Routes", visibility: "public" }),
  })).json();
  // As the widget makes them (member.rs `token`: 32 hex).
  const token = "10e9711e7ead0000000000000000cafe";
  const member = { "x-kindred-member": token, "content-type": "application/json" };
  const call = (path, body) => fetch(`${EDGE}/v1/brands/${brand.id}${path}`, { method: "POST", headers: member, body: JSON.stringify(body) });
  assert.equal((await call(`/groups/${g.id}/join`, { display_name: "M".repeat(40) })).status, 200);
  assert.equal((await call(`/groups/${g.id}/threads`, { title: "T".repeat(120), body: "B".repeat(800) })).status, 201);

  // The same shopper in the browser (the widget keeps its member token in localStorage).
  const remember = (page) => page.addInitScript((t) => localStorage.setItem("kindred.member", JSON.stringify(t)), token);
  const s = await open(shared.browser, widgetPage({ brand: brand.id }), { viewport: { width: 360, height: 740 }, route: remember });
  await waitState(s.page, "ready");
  await inWidget(s.page, "button.kr-community-open").click();
  await inWidget(s.page, `.kr-group[data-id="${g.id}"] button.kr-group-open`).click();
  await inWidget(s.page, ".kr-thread-open").click();
  await inWidget(s.page, ".kr-post").waitFor();
  assert.deepEqual(await overflow(s.page), []);
  assert.deepEqual(s.errors, []);
  await s.context.close();
});

test("a word of thousands of letters keeps the moderator's buttons on screen", async () => {
  const brand = await createBrand("longconsole");
  assert.equal((await brand.submit(testimonial("Ana", 2, { body: "Y".repeat(4000) }))).status, 201);
  const { page, context, errors } = await openConsole(shared.browser, brand);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.selectOption("#status-filter", "pending");
  const reject = page.locator("#testimonials li button:has-text('Reject')").first();
  await reject.waitFor();
  // The change of filter reloads the list, which may replace the button
  // between finding it and measuring it (boundingBox is then null): measure
  // again until a button is there to measure.
  let r = null;
  for (let i = 0; i < 50 && !r; i++) r = await reject.boundingBox() ?? (await page.waitForTimeout(100), null);
  assert.ok(r, "a Reject button is shown");
  assert.ok(r.x + r.width <= 1280, `Reject at x=${r.x}`);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), "the console does not scroll sideways");
  assert.deepEqual(errors, []);
  await context.close();
});
