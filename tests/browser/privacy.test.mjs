// "Your data" as a shopper uses it: on an Arabic phone, cross-origin, a
// shopper who wrote a review (with a photo) opens the panel from the
// widget's footer, sees what is held in their language, downloads it as a
// JSON file, and erases it after a confirmation: their card leaves the
// page, the browser forgets them, and the edge holds nothing for their
// token any more. Under the brand's `anonymise` policy the question says
// the words stay; cancelling changes nothing. axe-clean with the question open.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { EDGE, useBrowser, open, widgetPage, waitState, inWidget, createBrand, publish, testimonial, PNG_1X1 } from "./lib.mjs";

const b = useBrowser(before, after);
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

const memberOf = (page) => page.evaluate(() => JSON.parse(localStorage.getItem("kindred.member") || "null"));

async function heldFor(brand, member) {
  const r = await fetch(`${EDGE}/v1/brands/${brand.id}/me/data`, { headers: { "x-kindred-member": member } });
  assert.equal(r.status, 200);
  return r.json();
}

test("an Arabic shopper on a phone reads, downloads and erases what the brand holds about them", async () => {
  const brand = await createBrand("yourdata");
  await publish(brand, testimonial("Other Shopper", 4, { product: "sku-d" }));
  const { page, context, errors } = await open(b.browser, widgetPage({ brand: brand.id, product: "sku-d", locale: "ar" }), { viewport: { width: 360, height: 740 } });
  await waitState(page, "ready");

  // Her review, through the widget's own form, with a photo.
  await inWidget(page, "button.kr-write-open").click();
  await inWidget(page, "#kr-name").fill("زهرا");
  await inWidget(page, "#kr-email").fill("zahra.q@example.com");
  await inWidget(page, "label[for=kr-star-5]").click();
  await inWidget(page, "#kr-body").fill("کفش‌ها سبک و راحت هستند؛ بعد از یک ماه هنوز عالی 🥾");
  await inWidget(page, "#kr-photos").setInputFiles({ name: "IMG_0001.png", mimeType: "image/png", buffer: PNG_1X1 });
  await inWidget(page, "button.kr-submit").click();
  await inWidget(page, ".kr-thanks").waitFor();
  const [mine] = await brand.list("pending");
  assert.ok(mine, "her review reached the brand");
  await brand.approve(mine.id);
  const token = await memberOf(page);
  assert.ok(token, "the widget gave her a member token");

  await page.reload();
  await waitState(page, "ready");
  await inWidget(page, `li.kr-card[data-id="${mine.id}"]`).waitFor();

  // The panel, from the footer, in Arabic and right to left. On a phone
  // the first view gives the reviews its footer's room: she opens the
  // widget ("Show all") when the footer does not fit.
  const showAll = inWidget(page, "section.kr-first > button.kr-show-all");
  if (await showAll.isVisible()) await showAll.click();
  const opener = inWidget(page, "button.kr-data-open");
  assert.equal((await opener.textContent()).trim(), "بياناتك");
  // By keyboard: the focus goes from the button, which the panel
  // replaces, to the panel's heading, not to the top of the page.
  await opener.focus();
  await page.keyboard.press("Enter");
  await inWidget(page, ".kr-data-list li").first().waitFor();
  await page.waitForFunction(() => document.querySelector(".kindred-widget").shadowRoot.activeElement?.classList.contains("kr-data-title"));
  assert.deepEqual(await inWidget(page, ".kr-data-list li").allTextContents(), ["مراجعة واحدة"]);
  assert.equal(await inWidget(page, ".kr-data").evaluate((el) => getComputedStyle(el).direction), "rtl");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no sideways scroll on a phone: ${overflow}px`);

  // Download: a JSON file of everything, her words and photo in it, her email masked.
  const download = page.waitForEvent("download");
  await inWidget(page, "button.kr-data-download").click();
  const file = await download;
  assert.equal(file.suggestedFilename(), `kindred-${brand.id}-your-data.json`);
  const saved = JSON.parse(readFileSync(await file.path(), "utf8"));
  assert.equal(saved.testimonials.length, 1);
  assert.match(saved.testimonials[0].body, /سبک و راحت/);
  assert.equal(saved.testimonials[0].photos.length, 1);
  assert.equal(saved.testimonials[0].email, "z•••@example.com");
  assert.ok(!JSON.stringify(saved).includes(token), "the token is not repeated");

  // The question takes the focus (a second Enter erases nothing), says
  // what goes, and passes axe.
  await inWidget(page, "button.kr-data-delete").click();
  await page.waitForFunction(() => document.querySelector(".kindred-widget").shadowRoot.activeElement?.id === "kr-data-q");
  await page.keyboard.press("Enter");
  assert.equal(await inWidget(page, ".kr-data-done").count(), 0, "Enter on the question erases nothing");
  assert.match(await inWidget(page, "#kr-data-q").textContent(), /لا يمكن التراجع/);
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => (await window.axe.run(document.querySelector(".kindred-widget"))).violations.map((v) => `${v.id}: ${v.nodes.slice(0, 2).map((n) => n.target.join(" ")).join(", ")}`));
  assert.deepEqual(violations, []);

  // Erased: her card leaves, the browser forgets her, the edge holds nothing.
  const erased = page.waitForResponse((r) => r.request().method() === "DELETE" && r.url().endsWith("/me/data"));
  await inWidget(page, "button.kr-data-yes").click();
  assert.equal((await erased).status(), 200);
  await inWidget(page, ".kr-data-done").waitFor();
  await page.waitForFunction(() => document.querySelector(".kindred-widget").shadowRoot.activeElement?.classList.contains("kr-data-done"));
  assert.equal(await inWidget(page, `li.kr-card[data-id="${mine.id}"]`).count(), 0);
  assert.equal(await memberOf(page), null, "this browser no longer remembers her");
  const held = await heldFor(brand, token);
  assert.deepEqual([held.testimonials, held.referrers], [[], []]);
  assert.equal((await fetch(`${EDGE}${mine.photos[0].url}`, { headers: { authorization: `Bearer ${brand.key}` } })).status, 404, "her photo is gone");
  await page.reload();
  await waitState(page, "ready");
  assert.equal(await inWidget(page, `li.kr-card[data-id="${mine.id}"]`).count(), 0);
  assert.equal(await inWidget(page, "li.kr-card").count(), 1, "the other shopper's review stays");
  assert.deepEqual(errors, []);
  await context.close();
});

test("under the anonymise policy the question says the words stay, and cancelling keeps everything", async () => {
  const brand = await createBrand("yourdata-anon");
  await brand.configure({ privacy: { erasure: "anonymise" } });
  // The widget keeps a 32-hex token (member.rs); this one is hers.
  const member = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
  const r = await fetch(`${EDGE}/v1/brands/${brand.id}/testimonials`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-kindred-member": member },
    body: JSON.stringify(testimonial("Kept Words", 5, { product: "sku-k" })),
  });
  assert.equal(r.status, 201);
  const context = await b.browser.newContext();
  await context.addInitScript((m) => localStorage.setItem("kindred.member", JSON.stringify(m)), member);
  const { page, errors } = await open(b.browser, widgetPage({ brand: brand.id, product: "sku-k" }), { context });
  await waitState(page, "ready");
  await inWidget(page, "button.kr-data-open").click();
  await inWidget(page, "button.kr-data-delete").click();
  assert.match(await inWidget(page, "#kr-data-q").textContent(), /stay, without your name/);
  await inWidget(page, "button.kr-data-no").click();
  assert.equal(await inWidget(page, ".kr-data-confirm").count(), 0);
  await page.waitForFunction(() => document.querySelector(".kindred-widget").shadowRoot.activeElement?.classList.contains("kr-data-delete"));
  assert.equal((await heldFor(brand, member)).testimonials.length, 1, "cancel erased nothing");
  assert.equal(await memberOf(page), member);
  assert.deepEqual(errors, []);
  await context.close();
});

test("what the brand decided about a shopper is shown, and kept after they erase the rest", async () => {
  const brand = await createBrand("yourdata-kept");
  const member = "b1b2c3d4e5f60718293a4b5c6d7e8f91";
  const call = async (method, path, body, auth) => {
    const headers = { "content-type": "application/json", ...(auth ? { authorization: `Bearer ${auth}` } : { "x-kindred-member": member }) };
    const r = await fetch(`${EDGE}${path}`, { method, headers, body: body && JSON.stringify(body) });
    return { status: r.status, json: await r.json().catch(() => null) };
  };
  const g = await call("POST", `/v1/admin/brands/${brand.id}/groups`, { name: "Runners", description: "Trail runs", visibility: "public", moderation: "post" }, brand.key);
  assert.equal(g.status, 201);
  assert.equal((await call("POST", `/v1/brands/${brand.id}/groups/${g.json.id}/join`, { display_name: "Sam" })).status, 200);
  const t = await call("POST", `/v1/brands/${brand.id}/groups/${g.json.id}/threads`, { title: "Spam", body: "Buy my shoes elsewhere" });
  assert.equal(t.status, 201);
  assert.equal((await call("POST", `/v1/admin/brands/${brand.id}/blocks`, { member_key: `post:${t.json.id}` }, brand.key)).status, 200);

  const context = await b.browser.newContext();
  await context.addInitScript((m) => localStorage.setItem("kindred.member", JSON.stringify(m)), member);
  const lines = async () => {
    const { page, errors } = await open(b.browser, widgetPage({ brand: brand.id }), { context });
    await waitState(page, "ready");
    await inWidget(page, "button.kr-data-open").click();
    await inWidget(page, ".kr-data-list li").first().waitFor();
    const shown = await inWidget(page, ".kr-data-list li").allTextContents();
    const erasable = await inWidget(page, "button.kr-data-delete").count();
    assert.deepEqual(errors, []);
    await page.close();
    return { shown, erasable };
  };
  const before = await lines();
  assert.ok(before.shown.includes("1 decision by the shop about you (a block or a removal from a group), kept after deleting"), before.shown.join(" | "));
  assert.equal(before.erasable, 1);

  // Erased: the decision stays, and says so.
  assert.equal((await call("DELETE", `/v1/brands/${brand.id}/me/data`)).status, 200);
  const after = await lines();
  assert.deepEqual(after.shown, ["1 decision by the shop about you (a block or a removal from a group), kept after deleting"]);
  assert.equal(after.erasable, 1, "an erasure is still offered (it drops what links the browser to them)");
  await context.close();
});
