// Reviews shoppers can trust, from the shopper's side and the moderator's:
// a declared incentive is told before writing and labelled on the card;
// "How reviews work" opens the brand's notice (built from its live
// settings) in the shopper's language; a moderator rejects only for a
// reason, and the per-star ledger shows it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { EDGE, useBrowser, open, openConsole, waitState, widgetPage, createBrand, publish, testimonial, inWidget, PNG_1X1 } from "./lib.mjs";

const shared = useBrowser(before, after);

test("an incentive is told before writing and labelled on the card; 'How reviews work' opens the notice in Arabic", async () => {
  const brand = await createBrand("trust");
  const set = await brand.configure({
    review_incentive: { kind: "coupon", description: "10% off your next order" },
    moderation: { mode: "auto_approve_min_rating", min_rating: 4 },
    max_hold_days: 5,
  });
  assert.equal(set.status, 200, JSON.stringify(set.json));
  const ines = await publish(brand, testimonial("Ines", 2));
  const replied = await fetch(`${EDGE}/v1/admin/brands/${brand.id}/testimonials/${ines}/reply`, {
    method: "POST",
    headers: { authorization: `Bearer ${brand.key}`, "content-type": "application/json" },
    body: JSON.stringify({ body: "شكرًا إينيس! Thanks for the honest review." }),
  });
  assert.equal(replied.status, 200);
  const { page, context, errors } = await open(shared.browser, widgetPage({ brand: brand.id, locale: "ar" }));
  // On the first paint already (the edge's markup), then live.
  await inWidget(page, ".kr-card .kr-incentivised").waitFor();
  assert.equal((await inWidget(page, ".kr-card .kr-incentivised").textContent()).trim(), "بحافز");
  await waitState(page, "ready");
  assert.equal(await inWidget(page, ".kr-card .kr-incentivised").count(), 1);
  // The brand's public reply, under the card, in the shopper's language.
  const from = await inWidget(page, ".kr-card .kr-brand-reply-from").textContent();
  assert.ok(from.includes("رد من") && from.includes(`Brand ${brand.id}`), from);
  assert.equal(await inWidget(page, ".kr-card .kr-brand-reply-body").textContent(), "شكرًا إينيس! Thanks for the honest review.");
  await inWidget(page, "button.kr-write-open").click();
  const offer = inWidget(page, "form#kr-form .kr-review-incentive");
  await offer.waitFor();
  assert.match(await offer.textContent(), /10% off your next order/);
  assert.match(await offer.textContent(), /أيًّا كان تقييمك/, "whatever the rating, in the shopper's language");

  const link = inWidget(page, "a.kr-how");
  assert.equal(await link.getAttribute("href"), `${EDGE}/reviews/${brand.id}/how?locale=ar`);
  const [notice] = await Promise.all([context.waitForEvent("page"), link.click()]);
  await notice.waitForLoadState();
  assert.equal(await notice.getAttribute("html", "dir"), "rtl");
  const body = await notice.textContent("body");
  assert.match(body, /10% off your next order/);
  assert.match(body, /بحافز/, "names the label the cards carry");
  assert.match(body, /لا تُرفض المراجعات إلا لهذه الأسباب/);
  assert.equal(await page.locator(".kindred-widget").getAttribute("data-kindred-state"), "ready", "the widget stayed as it was");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a moderator rejects for a reason from the list, never without one, and the ledger counts it per star", async () => {
  const brand = await createBrand("ledger");
  const low = await brand.submit(testimonial("Lou", 1));
  const other = await brand.submit(testimonial("Oto", 3));
  const { context, page, errors } = await openConsole(shared.browser, brand);
  const row = page.locator(`#testimonials li[data-id="${low.json.id}"]`);
  await row.waitFor();
  assert.match(await row.textContent(), /published on .* unless rejected/, "the hold's end is shown");
  await page.locator("#ledger tbody tr").first().waitFor();

  // "Other" needs a note: refused, nothing changes.
  await row.locator("select.reason").selectOption("other");
  await row.locator("button:has-text('Reject')").click();
  await page.locator("#status:has-text('note')").waitFor();
  assert.equal((await brand.list("pending")).length, 2);

  const again = page.locator(`#testimonials li[data-id="${low.json.id}"]`);
  await again.locator("select.reason").selectOption("personal_data");
  await again.locator("button:has-text('Reject')").click();
  await page.locator("#status:has-text('Reject: done')").waitFor();
  const rejected = await brand.list("rejected");
  assert.equal(rejected.length, 1);
  assert.equal(rejected[0].reject_reason, "personal_data");
  // The ledger: 1 star rejected for personal data, 3 stars pending.
  const oneStar = page.locator("#ledger tbody tr", { hasText: "1 ★" });
  await oneStar.locator("td", { hasText: "personal data 1" }).waitFor();
  const threeStars = (await page.locator("#ledger tbody tr", { hasText: "3 ★" }).locator("td").allTextContents()).map((s) => s.trim());
  assert.deepEqual(threeStars, ["3 ★", "0", "0", "0", "1", "0"]);
  assert.ok(other.json.id);
  await page.selectOption("#status-filter", "rejected");
  await page.locator(`#testimonials li[data-id="${low.json.id}"]:has-text('rejected: personal_data')`).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("a customer who follows an order's review link finds the form open, and their review says 'Verified purchase'", async () => {
  const brand = await createBrand("purchase");
  await brand.configure({ moderation: { mode: "auto_approve_verified" } });
  const made = await fetch(`${EDGE}/v1/admin/brands/${brand.id}/orders`, {
    method: "POST",
    headers: { authorization: `Bearer ${brand.key}`, "content-type": "application/json" },
    body: JSON.stringify({ order_id: "W-1", email: "wen@example.com", products: ["sku-1"] }),
  });
  assert.equal(made.status, 201);
  const token = (await made.json()).links[0].token;
  // The form's part cannot load on the shopper's link: said beside the
  // button, untouched (it was silent: the shopper came to write and found
  // a button), and a tap tries again.
  const at = widgetPage({ brand: brand.id, product: "sku-1", kindred_review: token });
  let refuse = true;
  const failing = await open(shared.browser, at, {
    route: (p) => p.route(/\/assets\/.*\/(split|part)_form\.wasm$/, (r) => (refuse ? r.abort("connectionrefused") : r.continue())),
  });
  const problem = inWidget(failing.page, ".kr-load-err");
  await problem.waitFor();
  assert.match(await problem.textContent(), /Could not load/);
  refuse = false;
  await inWidget(failing.page, "button.kr-write-open").click();
  await inWidget(failing.page, "#kr-name").waitFor();
  assert.equal(await inWidget(failing.page, ".kr-load-err").count(), 0);
  await failing.context.close();
  // The widget sits far down the page: the link still brings the live
  // widget at once (no wait for a touch or for idle).
  const { page, context, errors } = await open(shared.browser, widgetPage({ brand: brand.id, product: "sku-1", below: "3000", kindred_review: token }));
  const form = inWidget(page, "form#kr-form");
  await form.waitFor({ state: "attached" });
  await inWidget(page, "#kr-name").fill("Wen");
  await inWidget(page, "#kr-email").fill("wen@example.com");
  await inWidget(page, "label[for=kr-star-2]").click();
  await inWidget(page, "#kr-body").fill("Runs a size small, otherwise fine for daily walks.");
  await inWidget(page, "button.kr-submit").click();
  // Verified purchase: published at once under "auto-approve verified", with its badge.
  const badge = inWidget(page, ".kr-card .kr-purchase");
  await badge.waitFor();
  assert.equal((await badge.textContent()).trim(), "Verified purchase");
  const shown = (await (await fetch(`${EDGE}/v1/widget/${brand.id}?product=sku-1`)).json()).testimonials;
  assert.equal(shown.length, 1);
  assert.equal(shown[0].verified_purchase, true);
  assert.equal(shown[0].rating, 2, "whatever the rating");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a shopper edits their own review from its card: new rating and words, marked edited; nobody else gets the button", async () => {
  const brand = await createBrand("edits");
  await brand.configure({ moderation: { mode: "auto_approve_min_rating", min_rating: 1 } });
  const { page, context, errors } = await open(shared.browser, widgetPage({ brand: brand.id, product: "sku-1" }));
  await waitState(page, "ready");
  await inWidget(page, "button.kr-write-open").click();
  await inWidget(page, "#kr-name").fill("Edie");
  await inWidget(page, "#kr-email").fill("edie@example.com");
  await inWidget(page, "label[for=kr-star-5]").click();
  await inWidget(page, "#kr-body").fill("Perfect fit from the first run, no blisters at all.");
  await inWidget(page, "#kr-photos").setInputFiles({ name: "fit.png", mimeType: "image/png", buffer: PNG_1X1 });
  await inWidget(page, "label[for=kr-reuse]").click();
  await inWidget(page, "button.kr-submit").click();
  await inWidget(page, ".kr-card .kr-edit-open").waitFor();
  // Published at once, its card shows the photo at once, before any reload.
  await page.waitForFunction(() => {
    const i = document.querySelector(".kindred-widget").shadowRoot.querySelector(".kr-card img.kr-photo");
    return i && i.complete && i.naturalWidth === 1;
  }, null, { timeout: 10000 });
  assert.ok((await brand.list("approved"))[0].reuse_consent_at > 0, "consent given on the form");

  // Back later: the card still knows it is theirs.
  await page.reload();
  await waitState(page, "ready");
  await inWidget(page, ".kr-card .kr-edit-open").click();
  const form = inWidget(page, ".kr-card form.kr-edit-form");
  await form.waitFor();
  // Withdrawing the consent is one untick on their own card, saved at once.
  const consent = form.locator(".kr-consent input[type=checkbox]");
  assert.equal(await consent.isChecked(), true);
  await consent.uncheck();
  await inWidget(page, ".kr-card .kr-thanks:has-text('Your choice is saved')").waitFor();
  assert.equal((await brand.list("approved"))[0].reuse_consent_at, undefined, "withdrawn");
  await form.locator("select").selectOption("2");
  await form.locator("textarea").fill("After 300 km the sole split. Fit was perfect though.");
  await form.locator("button.kr-submit").click();
  // Changed words wait for a person again (whatever the rating), and the form says so.
  await inWidget(page, ".kr-card .kr-thanks:has-text('after a quick check')").waitFor();
  assert.equal((await inWidget(page, ".kr-card .kr-body").textContent()).trim(), "After 300 km the sole split. Fit was perfect though.");
  assert.equal(await inWidget(page, ".kr-card .kr-edited").count(), 1);
  assert.match(await inWidget(page, ".kr-card .kr-stars").first().getAttribute("aria-label"), /2/);
  const held = (await brand.list("pending"))[0];
  assert.equal(held.rating, 2);
  assert.equal(held.body, "After 300 km the sole split. Fit was perfect though.");
  assert.equal((await brand.approve(held.id)).status, 200);
  const shown = (await (await fetch(`${EDGE}/v1/widget/${brand.id}?product=sku-1`)).json()).testimonials[0];
  assert.equal(shown.rating, 2);
  assert.ok(shown.edited_at > 0);
  assert.deepEqual(errors, []);
  await context.close();

  // Another shopper: the same card, no edit button.
  const other = await open(shared.browser, widgetPage({ brand: brand.id, product: "sku-1" }));
  await waitState(other.page, "ready");
  await inWidget(other.page, ".kr-card").first().waitFor();
  assert.equal(await inWidget(other.page, ".kr-edit-open").count(), 0);
  await other.context.close();
});

test("'Reviews mention' shows what critical reviews repeat, in the shopper's script, on a phone, from the first paint", async () => {
  const brand = await createBrand("aspects");
  // Arabic reviews: praise outnumbers criticism, the criticism recurs.
  for (let n = 0; n < 6; n++) await publish(brand, testimonial(`Fan${n}`, 5, { title: "خامة ممتازة", body: "توصيل سريع وتغليف أنيق، خامة ممتازة فعلا." }));
  await publish(brand, testimonial("Critic", 2, { title: "المقاس صغير", body: "المقاس صغير جدا، اطلبوا مقاسا أكبر." }));
  await publish(brand, testimonial("Critique", 3, { title: "جميل لكن", body: "للأسف المقاس صغير." }));
  let aspects = [];
  for (let i = 0; i < 8 && !aspects.some((a) => a.phrase === "المقاس صغير"); i++) {
    assert.ok((await fetch(`${EDGE}/__scheduled?cron=*+*+*+*+*`)).status < 400);
    await new Promise((r) => setTimeout(r, 1200));
    aspects = (await (await fetch(`${EDGE}/v1/widget/${brand.id}`)).json()).aspects || [];
  }
  const small = aspects.find((a) => a.phrase === "المقاس صغير");
  assert.deepEqual(small, { phrase: "المقاس صغير", reviews: 2, critical: 2 }, JSON.stringify(aspects));

  const { page, context, errors } = await open(shared.browser, widgetPage({ brand: brand.id, locale: "ar" }), { viewport: { width: 360, height: 740 } });
  // On the edge's first paint already, then live.
  const chip = inWidget(page, ".kr-aspect:has-text('المقاس صغير')");
  await chip.waitFor();
  await waitState(page, "ready");
  const text = await chip.textContent();
  // The star range in the same digits as the counts: the locale's, as
  // this browser's Intl writes them (not typed into the catalogue).
  const [one, three] = await page.evaluate(() => [1, 3].map((n) => new Intl.NumberFormat("ar").format(n)));
  assert.ok(text.includes(`اثنتان منها بتقييم ${one}–${three} نجوم`), text);
  assert.equal(await inWidget(page, ".kr-aspects-title").textContent(), "تذكر المراجعات");
  // Nothing spills out of the widget on a narrow phone.
  const spill = await page.evaluate(() => {
    const root = document.querySelector(".kindred-widget").shadowRoot.querySelector(".kr-aspects");
    return root.scrollWidth - root.clientWidth;
  });
  assert.ok(spill <= 0, `aspects overflow by ${spill}px`);
  assert.deepEqual(errors, []);
  await context.close();
});
