// The whole referral loop in a real shared.browser, across two shoppers:
// sign up, share, a friend clicks and gets a coupon, the brand reports the
// purchase, the referrer sees the reward.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { EDGE, SITE, useBrowser, inWidget, open, waitState, widgetPage, createBrand, testimonial, focusedIn } from "./lib.mjs";

const shared = useBrowser(before, after);


test("refer a friend: link, click, coupon, purchase, reward", async () => {
  const brand = await createBrand("loop");
  // The landing page reserves the widget's first view, as the README says.
  const landing = `${SITE}${widgetPage({ brand: brand.id, product: "sku-loop", reserve: "1" })}`;
  const cfg = await brand.configure({ referral: { landing_url: landing, referee_offer: "15% off your first order", leaderboard: true } });
  assert.equal(cfg.status, 200, JSON.stringify(cfg.json));
  const up = await fetch(`${EDGE}/v1/admin/brands/${brand.id}/coupons`, {
    method: "POST",
    headers: { authorization: `Bearer ${brand.key}`, "content-type": "application/json" },
    body: JSON.stringify({ kind: "referee", codes: ["FRIEND15-A"] }),
  });
  assert.equal(up.status, 201);
  await fetch(`${EDGE}/v1/admin/brands/${brand.id}/coupons`, {
    method: "POST",
    headers: { authorization: `Bearer ${brand.key}`, "content-type": "application/json" },
    body: JSON.stringify({ kind: "reward", codes: ["THANKS10-A"] }),
  });

  // The referrer joins from a product page, where she reviewed it before.
  const referrer = await open(shared.browser, widgetPage({ brand: brand.id, product: "sku-loop" }));
  await referrer.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: SITE });
  await waitState(referrer.page, "ready");
  const anaToken = "a11ce0000000000000000000000000ad";
  await referrer.page.evaluate((t) => localStorage.setItem("kindred.member", JSON.stringify(t)), anaToken);
  const review = await brand.submitAs(testimonial("Ana L.", 5, { product: "sku-loop", email: "ana.lima@example.com", title: "Grippy and light", body: "I ran the whole ridge in them: grippy on wet rock, light, and dry by lunch." }), anaToken);
  assert.equal(review.status, 201, JSON.stringify(review.json));
  assert.equal((await brand.approve(review.json.id)).status, 200);
  await inWidget(referrer.page, "button.kr-ref-open").click();
  await inWidget(referrer.page, "#kr-ref-name").fill("Ana Lima");
  await inWidget(referrer.page, "#kr-ref-email").fill("ana.lima@example.com");
  await inWidget(referrer.page, "button.kr-ref-submit").click();
  const urlInput = inWidget(referrer.page, "#kr-ref-url");
  await urlInput.waitFor();
  // The link takes the focus the join button had (helper-89).
  await focusedIn(referrer.page, "#kr-ref-url");
  const shareUrl = await urlInput.inputValue();
  assert.match(shareUrl, new RegExp(`^${EDGE}/r/[A-Z0-9]{8}$`));
  const code = shareUrl.split("/").pop();
  await inWidget(referrer.page, "button.kr-ref-copy").click();
  await inWidget(referrer.page, "button.kr-ref-copy:has-text('Copied')").waitFor();
  assert.equal(await referrer.page.evaluate(() => navigator.clipboard.readText()), shareUrl);
  const wa = await inWidget(referrer.page, "a.kr-ref-wa").getAttribute("href");
  assert.ok(wa.startsWith("https://wa.me/?text=") && decodeURIComponent(wa).includes(shareUrl));
  assert.ok((await inWidget(referrer.page, "a.kr-ref-email").getAttribute("href")).startsWith("mailto:?subject="));
  // A note for friends, in her words and script (cross-origin PATCH, preflight
  // and all): it waits for the brand, and opens the message she shares.
  const words = "اینها را امتحان کن!\nروی سنگ خیس هم جا نمی‌زنند 🥾";
  const noteField = inWidget(referrer.page, "#kr-ref-note");
  await noteField.fill("🥾".repeat(281));
  assert.equal(await inWidget(referrer.page, "#kr-ref-note-count").textContent(), "281 / 280", "characters, not UTF-16 units");
  await inWidget(referrer.page, "button.kr-ref-save").click();
  await inWidget(referrer.page, ".kr-ref-note .kr-err:has-text('up to 280 characters')").waitFor();
  assert.equal(await noteField.getAttribute("aria-invalid"), "true");
  await noteField.fill(words);
  assert.equal(await noteField.getAttribute("aria-invalid"), "false", "typing clears the mark");
  await inWidget(referrer.page, "button.kr-ref-save").click();
  await inWidget(referrer.page, "#kr-ref-note-state:has-text('once the brand approves it')").waitFor();
  assert.equal(await inWidget(referrer.page, ".kr-ref-note .kr-err").textContent(), "");
  assert.ok(decodeURIComponent(await inWidget(referrer.page, "a.kr-ref-wa").getAttribute("href")).startsWith(`https://wa.me/?text=${words}\n\n`));
  const queue = await (await fetch(`${EDGE}/v1/admin/brands/${brand.id}/referrers/notes`, { headers: { authorization: `Bearer ${brand.key}` } })).json();
  assert.equal(queue.notes[0].note, words);
  const ok = await fetch(`${EDGE}/v1/admin/brands/${brand.id}/referrers/${code}/note/approve?seen=${queue.notes[0].written_at}`, { method: "POST", headers: { authorization: `Bearer ${brand.key}` } });
  assert.equal(ok.status, 200);

  // A friend, in another browser profile, follows the link.
  const friendContext = await shared.browser.newContext();
  // Layout shifts on the landing: the offer arrives after the first paint.
  await friendContext.addInitScript(() => {
    window.__cls = 0;
    new PerformanceObserver((l) => { for (const e of l.getEntries()) if (!e.hadRecentInput) window.__cls += e.value; }).observe({ type: "layout-shift", buffered: true });
  });
  const friend = await open(shared.browser, "/", { context: friendContext });
  await friend.page.goto(shareUrl);
  assert.ok(friend.page.url().startsWith(landing), friend.page.url());
  assert.ok(friend.page.url().includes(`kindred_ref=${code}`));
  // The friend's offer is theirs without a touch: the widget goes live by itself.
  await waitState(friend.page, "ready", 0, { untouched: true });
  const banner = inWidget(friend.page, ".kr-friend");
  await banner.waitFor();
  assert.match(await banner.textContent(), /Ana gave you 15% off your first order/);
  // Above the offer, in Ana's own words: the note she wrote for friends
  // (rather than her review), her name; no email.
  const voice = inWidget(friend.page, ".kr-friend .kr-friend-voice");
  assert.equal(await voice.locator(".kr-friend-note").innerText(), words, "whole, with her line break");
  assert.equal(await voice.locator(".kr-friend-note").getAttribute("dir"), "auto");
  assert.equal(await voice.locator(".kr-card-title").count(), 0);
  assert.equal(await voice.locator(".kr-author").textContent(), "Ana");
  assert.match(await inWidget(friend.page, ".kr-friend .kr-friend-disclosure").textContent(), /Ana gets a reward if you order/);
  assert.ok(!(await banner.textContent()).includes("@"), "never an email");
  assert.equal(await inWidget(friend.page, ".kr-friend-code").textContent(), "FRIEND15-A");
  // The offer's files came in one download (its pack, asked for with the
  // live widget): no part's file on its own.
  const wasm = friend.requests.filter((u) => /\.wasm$/.test(u));
  assert.equal(wasm.filter((u) => /part_offer\.wasm$/.test(u)).length, 1, `the offer's pack, once: ${wasm}`);
  assert.deepEqual(wasm.filter((u) => /(split_\w+|chunk_\d+)\.wasm$/.test(u)), [], "no part's file asked for on its own");
  await friend.page.waitForTimeout(500);
  assert.equal(await friend.page.evaluate(() => window.__cls), 0, "the offer moved the page or the cards");
  // The attribution is kept: a later visit without the parameter still shows it.
  await friend.page.goto(`${SITE}${widgetPage({ brand: brand.id })}`);
  await waitState(friend.page, "ready");
  assert.equal(await inWidget(friend.page, ".kr-friend-code").textContent(), "FRIEND15-A");

  // The brand's server reports the purchase.
  const conv = await fetch(`${EDGE}/v1/admin/brands/${brand.id}/conversions`, {
    method: "POST",
    headers: { authorization: `Bearer ${brand.key}`, "content-type": "application/json" },
    body: JSON.stringify({ order_id: "order-loop-1", referee_email: "friend@example.com", code, amount_minor: 8900, currency: "USD" }),
  });
  assert.equal(conv.status, 201);
  assert.equal((await conv.json()).reward.coupon_code, "THANKS10-A");

  // The referrer comes back and sees it all. Clicks are counted in batches
  // from a queue (a second or two later): come back until the click lands.
  for (let i = 0; i < 20; i++) {
    await referrer.page.reload();
    await waitState(referrer.page, "ready");
    // A returning referrer's panel loads by itself once the widget is open
    // (any input opens it; in the fixed first view it would not fit).
    await referrer.page.waitForTimeout(500);
    assert.equal(await inWidget(referrer.page, ".kr-ref-mine").count(), 0, "the panel grew inside the first view");
    await inWidget(referrer.page, ".kr-title").click();
    await inWidget(referrer.page, ".kr-ref-reward").waitFor();
    if ((await inWidget(referrer.page, ".kr-ref-clicks").textContent()) === "1") break;
    await referrer.page.waitForTimeout(500);
  }
  assert.equal(await inWidget(referrer.page, ".kr-ref-clicks").textContent(), "1");
  // A returning referrer who taps "Get your link" while the panel loads by
  // itself (held here) gets their link, the focus on it, never the sign-up
  // form (helper-99: the form came, a phone's keyboard up for its name,
  // then it went, and the focus with it).
  {
    let release;
    const held = new Promise((r) => { release = r; });
    const panel = /(part|split)_referral\.wasm/;
    await referrer.page.route(panel, async (route) => { await held; await route.continue(); });
    await referrer.page.reload();
    await waitState(referrer.page, "ready");
    await inWidget(referrer.page, ".kr-title").click();
    await inWidget(referrer.page, "button.kr-ref-open[aria-busy='true']").click();
    release();
    await inWidget(referrer.page, ".kr-ref-mine").waitFor();
    await focusedIn(referrer.page, "#kr-ref-url");
    assert.equal(await inWidget(referrer.page, ".kr-ref-form").count(), 0);
    await referrer.page.unroute(panel);
  }
  assert.equal(await inWidget(referrer.page, ".kr-ref-friends").textContent(), "1");
  assert.equal(await inWidget(referrer.page, ".kr-ref-purchases").textContent(), "1");
  assert.match(await inWidget(referrer.page, ".kr-ref-reward").textContent(), /THANKS10-A/);
  // The board is part of the open widget, from the first paint's data: the
  // approved purchase moved the brand's copy version (migration 0032), so
  // the copy made before it is not served.
  assert.match(await inWidget(referrer.page, ".kr-board").textContent(), /Ana L\. 1 friend/);
  // A shopper who opens the first paint before the wasm (held back here)
  // sees the board at once: nothing is asked for to show it, and the live
  // widget, mounted over it, shows the same.
  let release;
  const gate = new Promise((r) => { release = r; });
  const reader = await open(shared.browser, widgetPage({ brand: brand.id, product: "sku-loop" }), {
    route: (p) => p.route("**/assets/**/kindred_bg.wasm", async (r) => { await gate; await r.continue(); }),
  });
  await inWidget(reader.page, ".kr-title").waitFor();
  assert.equal(await inWidget(reader.page, ".kr-board").isVisible(), false, "the board waits for the widget to open");
  await inWidget(reader.page, ".kr-title").click();
  await inWidget(reader.page, ".kr-first-paint .kr-board").waitFor({ state: "visible", timeout: 5000 });
  assert.match(await inWidget(reader.page, ".kr-board").textContent(), /Ana L\. 1 friend/);
  const boardBox = () => inWidget(reader.page, ".kr-board").boundingBox();
  const before = await boardBox();
  release();
  await waitState(reader.page, "ready");
  assert.match(await inWidget(reader.page, ".kr-board").textContent(), /Ana L\. 1 friend/);
  assert.deepEqual(await boardBox(), before, "the live widget moved the board");
  assert.deepEqual(reader.requests.filter((u) => /\/ambassadors|_board\.wasm$/.test(u)), [], "nothing asked for to show the board");
  assert.deepEqual(reader.errors, []);
  await reader.context.close();
  // The referrer's own link does not give them the friend's offer.
  await referrer.page.goto(shareUrl);
  await waitState(referrer.page, "ready");
  await referrer.page.waitForTimeout(300);
  assert.equal(await inWidget(referrer.page, ".kr-friend").count(), 0);
  assert.deepEqual(referrer.errors, []);
  assert.deepEqual(friend.errors, []);
  await referrer.context.close();
  await friend.context.close();
});

test("review, then referral: right after writing, the shopper gets a link without retyping, and a friend reads that review", async () => {
  const brand = await createBrand("next");
  const cfg = await brand.configure({ referral: { landing_url: `${SITE}${widgetPage({ brand: brand.id, product: "sku-next", reserve: "1" })}`, referee_offer: "10% off" } });
  assert.equal(cfg.status, 200, JSON.stringify(cfg.json));
  // Two groups: one about the review's interest, one about another.
  const adminGroups = `${EDGE}/v1/admin/brands/${brand.id}/groups`;
  const makeGroup = async (name, tag) => {
    const r = await fetch(adminGroups, { method: "POST", headers: { authorization: `Bearer ${brand.key}`, "content-type": "application/json" }, body: JSON.stringify({ name, tag, visibility: "public" }) });
    const text = await r.text();
    assert.equal(r.status, 201, text);
    return JSON.parse(text).id;
  };
  await makeGroup("City walkers", "city");
  const hikers = await makeGroup("Ultralight hikers", "ultralight hiking");
  const writer = await open(shared.browser, widgetPage({ brand: brand.id, product: "sku-next" }));
  await waitState(writer.page, "ready");
  await inWidget(writer.page, "button.kr-write-open").click();
  await inWidget(writer.page, "#kr-name").fill("Rosa Márquez");
  await inWidget(writer.page, "#kr-email").fill("rosa@example.com");
  await inWidget(writer.page, "label[for=kr-star-5]").click();
  await inWidget(writer.page, "#kr-body").fill("Warm, light and it packs into its own pocket.");
  await inWidget(writer.page, "#kr-tags").fill("Ultralight Hiking");
  await inWidget(writer.page, "button.kr-submit").click();
  await inWidget(writer.page, ".kr-thanks:has-text('appear after a quick check')").waitFor();
  // One step: the name and email just typed make the link (the group's
  // step, also a .kr-next, may arrive first).
  const next = inWidget(writer.page, ".kr-next:not(.kr-next-group)");
  assert.match(await next.locator(".kr-next-pitch").textContent(), /10% off/);
  await next.locator("button.kr-next-refer").click();
  const url = await inWidget(writer.page, "#kr-next-url").inputValue();
  assert.match(url, new RegExp(`^${EDGE}/r/[A-Z0-9]{8}$`));
  // Then the group that fits the review (its tag), joined in one click
  // under the name just typed.
  const group = inWidget(writer.page, ".kr-next-group");
  assert.match(await group.locator(".kr-next-pitch").textContent(), /Ultralight hikers/);
  // Every region of the widget has a name of its own (helper-89: after a
  // review "Refer a friend" and "Community" were each two regions).
  const regions = await writer.page.evaluate(() => {
    const root = document.querySelector(".kindred-widget").shadowRoot;
    return [...root.querySelectorAll("section")].map((s) => s.getAttribute("aria-label") ?? root.getElementById(s.getAttribute("aria-labelledby"))?.textContent ?? "");
  });
  assert.ok(regions.length >= 4 && regions.every(Boolean), JSON.stringify(regions));
  assert.equal(new Set(regions).size, regions.length, JSON.stringify(regions));
  await group.locator("button.kr-next-join").click();
  await group.locator(".kr-thanks:has-text('You joined')").waitFor();
  const groups = await (await fetch(adminGroups, { headers: { authorization: `Bearer ${brand.key}` } })).json();
  assert.equal(groups.groups.find((g) => g.id === hikers).members, 1);
  const referrers = await (await fetch(`${EDGE}/v1/admin/brands/${brand.id}/referrers`, { headers: { authorization: `Bearer ${brand.key}` } })).json();
  const rosa = referrers.referrers.find((r) => r.code === url.split("/").pop());
  assert.equal(rosa.name, "Rosa Márquez");
  assert.equal(rosa.email, "rosa@example.com");
  // The brand publishes the review, and ten newer ones after it; a friend
  // who follows the link reads it above the offer, and Rosa's interest
  // (her review's tag) first in the list.
  const pending = await brand.list("pending");
  const rosaReview = pending[0].id;
  assert.equal((await brand.approve(rosaReview)).status, 200);
  for (let i = 0; i < 10; i++) {
    const r = await brand.submit(testimonial(`Newer ${i}`, 4, { product: "sku-next", tags: ["city"] }));
    assert.equal(r.status, 201, JSON.stringify(r.json));
    assert.equal((await brand.approve(r.json.id)).status, 200);
  }
  const friend = await open(shared.browser, "/");
  const firstPaint = friend.page.waitForResponse((r) => r.url().includes(`/v1/widget/${brand.id}?`));
  await friend.page.goto(url);
  const asked = new URL((await firstPaint).url());
  assert.equal(asked.searchParams.get("ref"), url.split("/").pop(), "the first paint carries the code");
  await waitState(friend.page, "ready");
  const voice = inWidget(friend.page, ".kr-friend .kr-friend-voice");
  await voice.waitFor();
  assert.match(await voice.locator(".kr-friend-words").textContent(), /packs into its own pocket/);
  assert.match(await inWidget(friend.page, ".kr-friend-title").textContent(), /Rosa gave you 10% off/);
  const firstCard = () => inWidget(friend.page, ".kr-list > .kr-card").first().getAttribute("data-id");
  assert.equal(await firstCard(), rosaReview, "Rosa's micro-community first, though ten are newer");
  const sort = inWidget(friend.page, ".kr-filters select").last();
  assert.equal(await sort.inputValue(), "context");
  assert.match(await sort.locator("option[value=context]").textContent(), /ultralight hiking first/);
  // The friend switches to newest, and back.
  await sort.selectOption("newest");
  await friend.page.waitForFunction(
    (id) => document.querySelector("kindred-widget").shadowRoot.querySelector(".kr-list > .kr-card")?.getAttribute("data-id") !== id,
    rosaReview,
  );
  assert.match(await inWidget(friend.page, ".kr-list > .kr-card .kr-body").first().textContent(), /Newer 9/);
  await sort.selectOption("context");
  assert.equal(await firstCard(), rosaReview);
  // Nothing of it was stored: no cookie on either side.
  assert.deepEqual(await friend.context.cookies(), []);
  assert.deepEqual(writer.errors, []);
  assert.deepEqual(friend.errors, []);
  await writer.context.close();
  await friend.context.close();
});

test("an Arabic referrer's message keeps its link whole, and a link that picked up a mark still works", async () => {
  const brand = await createBrand("refar");
  // A Latin name that ends in a full stop, an offer in both directions.
  const offer = "Free shipping + خصم 10%";
  const cfg = await brand.configure({ name: "Acme Co.", referral: { landing_url: `${SITE}/`, referee_offer: offer } });
  assert.equal(cfg.status, 200, JSON.stringify(cfg.json));
  const { page } = await open(shared.browser, widgetPage({ brand: brand.id, product: "sku-ar", locale: "ar" }), { viewport: { width: 360, height: 740 } });
  await waitState(page, "ready");
  const showAll = inWidget(page, "section.kr-first > button.kr-show-all");
  if (await showAll.isVisible()) await showAll.click();
  // By keyboard: the panel replaces the button, the focus goes into it.
  await inWidget(page, "button.kr-ref-open").focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelector(".kindred-widget").shadowRoot.activeElement?.id === "kr-ref-name");
  await inWidget(page, "#kr-ref-name").fill("سارا");
  await inWidget(page, "#kr-ref-email").fill("sara.ar@example.com");
  await inWidget(page, "button.kr-ref-submit").click();
  const shareUrl = await inWidget(page, "#kr-ref-url").inputValue();
  assert.match(shareUrl, /\/r\/[A-Z0-9]{8}$/);
  // The brand's name and offer are isolated (U+2068..U+2069) in the
  // right-to-left sentence; the link is not, so no mark rides into it.
  for (const sel of ["a.kr-ref-wa", "a.kr-ref-email", "a.kr-ref-x"]) {
    const href = await inWidget(page, sel).getAttribute("href");
    const text = decodeURIComponent(href.replace(/\+/g, " "));
    assert.ok(text.includes(shareUrl), `${sel}: ${text}`);
    assert.ok(!/[\u2066-\u2069\u200e\u200f]/.test(text.slice(text.indexOf(shareUrl) - 1, text.indexOf(shareUrl) + shareUrl.length + 1)), `${sel}: marks around the link: ${JSON.stringify(text)}`);
  }
  // The message leaves the page: no isolates, which some apps draw as
  // boxes (helper-89), and laid out as the isolated one the page would
  // show (helper-91: marks alone moved "Acme Co."'s full stop and
  // reordered the offer): both drawn right to left, pixel for pixel.
  for (const sel of ["a.kr-ref-wa", "a.kr-ref-email", "a.kr-ref-x"]) {
    const text = decodeURIComponent((await inWidget(page, sel).getAttribute("href")).replace(/\+/g, " "));
    assert.ok(!/[\u2066-\u2069]/.test(text), `${sel}: ${JSON.stringify(text)}`);
    assert.ok(text.includes("Acme Co.") && text.includes(offer), `${sel}: ${JSON.stringify(text)}`);
  }
  const sent = decodeURIComponent((await inWidget(page, "a.kr-ref-wa").getAttribute("href")).slice("https://wa.me/?text=".length));
  const isolated = sent.replace(/[\u202a-\u202c\u200e\u200f]/g, "").replace("Acme Co.", "\u2068Acme Co.\u2069").replace(offer, `\u2068${offer}\u2069`);
  assert.notEqual(sent.replace(/[\u202a-\u202c\u200e\u200f]/g, ""), sent, "marks were put in");
  const drawn = [];
  for (const t of [sent, isolated]) {
    await page.evaluate((t) => {
      let d = document.getElementById("bidi-probe");
      if (!d) {
        d = document.createElement("div");
        d.id = "bidi-probe";
        d.dir = "rtl";
        d.style.cssText = "position:fixed;top:0;left:0;width:340px;padding:4px;background:#fff;color:#000;font:16px sans-serif;white-space:pre-wrap;z-index:2147483647";
        document.body.append(d);
      }
      d.textContent = t;
    }, t);
    drawn.push(await page.locator("#bidi-probe").screenshot());
  }
  assert.ok(drawn[0].equals(drawn[1]), `the sent message is drawn as the isolated one: ${JSON.stringify(sent)}`);
  // A link a messaging app took with the isolate's closing mark, or with a
  // sentence's full stop, still lands.
  for (const tail of ["%E2%81%A9", ".", ")"]) {
    const r = await fetch(shareUrl + tail, { redirect: "manual" });
    assert.equal(r.status, 302, `${tail}: ${r.status}`);
  }
});

/** Opens the live widget's referral form and joins as نگار with `email`. */
async function joinAsNegar(shopper, email) {
  const showAll = inWidget(shopper.page, "section.kr-first > button.kr-show-all");
  if (await showAll.isVisible()) await showAll.click();
  await inWidget(shopper.page, "button.kr-ref-open").click();
  await inWidget(shopper.page, "#kr-ref-name").fill("نگار");
  await inWidget(shopper.page, "#kr-ref-email").fill(email);
  await inWidget(shopper.page, "button.kr-ref-submit").click();
}

test("an email that has a link already: the same shopper on her phone is told, in Persian, where to open it", async () => {
  const brand = await createBrand("reftaken");
  const cfg = await brand.configure({ referral: { landing_url: `${SITE}/`, referee_offer: "15% off your first order" } });
  assert.equal(cfg.status, 200, JSON.stringify(cfg.json));
  const join = async (locale, viewport, email) => {
    const shopper = await open(shared.browser, widgetPage({ brand: brand.id, product: "sku-fa", locale }), { viewport });
    await waitState(shopper.page, "ready");
    await joinAsNegar(shopper, email);
    return shopper;
  };
  const laptop = await join("fa", { width: 1280, height: 800 }, "negar1.fa@example.com");
  await inWidget(laptop.page, "#kr-ref-url").waitFor();
  // Another browser (her phone), whose Persian keyboard gives a
  // right-to-left mark and its own digits: the same address. No link shown
  // to whoever types it, and not the form's "changed in the meantime".
  const phone = await join("fa", { width: 360, height: 740 }, "\u200fnegar۱.fa@example.com");
  const said = inWidget(phone.page, "#kr-ref-err-email");
  await said.filter({ hasText: "از قبل پیوند معرفی دارد" }).waitFor();
  assert.match(await said.textContent(), /مرورگری که آن زمان/);
  assert.equal(await inWidget(phone.page, "#kr-ref-url").count(), 0);
  // Read where she is: the field is marked and takes the focus, its
  // error read with it (as the review form does).
  assert.equal(await inWidget(phone.page, "#kr-ref-email").getAttribute("aria-describedby"), "kr-ref-err-email");
  assert.equal(await inWidget(phone.page, "#kr-ref-email").getAttribute("aria-invalid"), "true");
  assert.equal(await inWidget(phone.page, "#kr-ref-name").getAttribute("aria-invalid"), "false");
  await phone.page.waitForFunction(() => document.querySelector(".kindred-widget").shadowRoot.activeElement?.id === "kr-ref-email");
  assert.deepEqual(phone.errors, []);
  await laptop.context.close();
  await phone.context.close();
});

test("a taken address: her phone asks for the link by email, in Persian, and the emailed link brings it there", async () => {
  const brand = await createBrand("reflink");
  // The brand emails what `referral.link_requested` carries; here its
  // endpoint is down, and the delivery log holds the email's link.
  const cfg = await brand.configure({ referral: { landing_url: `${SITE}/`, referee_offer: "15% off your first order", webhook_url: "http://127.0.0.1:9/hooks" } });
  assert.equal(cfg.status, 200, JSON.stringify(cfg.json));
  const page = widgetPage({ brand: brand.id, product: "sku-fa", locale: "fa" });
  // Someone else typed her address first.
  const other = await open(shared.browser, page, { viewport: { width: 1280, height: 800 } });
  await waitState(other.page, "ready");
  await joinAsNegar(other, "negar2.fa@example.com");
  const code = (await inWidget(other.page, ".kr-ref-code").textContent()).trim();
  const phone = await open(shared.browser, page, { viewport: { width: 360, height: 740 } });
  await waitState(phone.page, "ready");
  await joinAsNegar(phone, "\u200fnegar۲.fa@example.com");
  await inWidget(phone.page, "#kr-ref-err-email").filter({ hasText: "از قبل پیوند معرفی دارد" }).waitFor();
  const ask = inWidget(phone.page, "button.kr-ref-recover");
  assert.equal(await ask.textContent(), "پیوندم را ایمیل کن");
  const box = await ask.boundingBox();
  assert.ok(box.height >= 24 && box.x >= 0 && box.x + box.width <= 360, `a target on the phone's screen: ${JSON.stringify(box)}`);
  await ask.click();
  const sent = inWidget(phone.page, ".kr-ref-sent[role=status]");
  await sent.filter({ hasText: "در همین دستگاه باز کنید" }).waitFor();
  // The focus stays where she pressed (helper-82: it fell to the page).
  assert.ok(await phone.page.evaluate(() => document.querySelector(".kindred-widget").shadowRoot.activeElement?.classList.contains("kr-ref-recover")), "focus on the button");
  // The email's link, as the brand's mailer got it (the n-th).
  const emailed = async (n) => {
    for (let i = 0; i < 50; i++) {
      const log = await (await fetch(`${EDGE}/v1/admin/brands/${brand.id}/webhooks`, { headers: { authorization: `Bearer ${brand.key}` } })).json();
      const mails = log.deliveries.filter((d) => d.event === "referral.link_requested").map((d) => JSON.parse(d.payload)).sort((a, b) => a.created_at - b.created_at);
      if (mails.length >= n) return mails[n - 1];
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail(`no referral.link_requested delivery number ${n}`);
  };
  const link = await emailed(1);
  assert.equal(link.referrer.code, code);
  assert.equal(link.referrer.email, "negar2.fa@example.com");
  const token = new URL(link.link_url).searchParams.get("kindred_link");
  assert.match(token, /^[0-9a-f]{24}\.[0-9a-f]{32}$/);
  // Opened on her phone (the same browser): the widget opens and loads by
  // itself, the panel in sight with one button; the link moves only when
  // she taps it (a mail scanner that runs the page takes nothing).
  const opened = await open(shared.browser, `${page}&kindred_link=${token}`, { context: phone.context });
  await waitState(opened.page, "ready", 0, { untouched: true });
  const take = inWidget(opened.page, "button.kr-ref-take");
  await take.waitFor();
  assert.equal(await take.textContent(), "پیوند معرفی‌ام را به این دستگاه بیاور");
  await opened.page.waitForTimeout(300);
  assert.equal(opened.requests.filter((u) => u.includes("/referrers/me/link")).length, 0, "nothing moves untouched");
  await take.click();
  const url = inWidget(opened.page, "#kr-ref-url");
  await url.waitFor();
  assert.equal(await take.count(), 0, "the button goes once the link is here");
  // The focus goes to the link it brought, not to the page (helper-83).
  await opened.page.waitForFunction(() => document.querySelector(".kindred-widget").shadowRoot.activeElement?.id === "kr-ref-url");
  assert.match(await url.inputValue(), new RegExp(`/r/${code}$`));
  assert.ok(await url.isVisible() && (await opened.page.evaluate(() => {
    const r = document.querySelector(".kindred-widget").shadowRoot.querySelector(".kr-referral").getBoundingClientRect();
    return r.top < innerHeight && r.bottom > 0;
  })), "the panel is in sight");
  // The name friends read is whatever the first browser typed; she makes
  // it hers (checked as at joining: an address is refused, in Persian,
  // on the field), and the status says the name was saved.
  const shown = inWidget(opened.page, "#kr-ref-shown-name");
  assert.equal(await shown.inputValue(), "نگار");
  await shown.fill("negar2.fa@example.com");
  await inWidget(opened.page, "button.kr-ref-save").click();
  await opened.page.waitForFunction(() => document.querySelector(".kindred-widget").shadowRoot.querySelector("#kr-ref-shown-name").getAttribute("aria-invalid") === "true");
  // Said under the field, read with it, and the focus goes there (helper-84).
  assert.equal(await shown.getAttribute("aria-describedby"), "kr-ref-err-shown-name");
  assert.notEqual((await inWidget(opened.page, "#kr-ref-err-shown-name").textContent()).trim(), "");
  await opened.page.waitForFunction(() => document.querySelector(".kindred-widget").shadowRoot.activeElement?.id === "kr-ref-shown-name");
  await shown.fill("نگار رضایی");
  assert.equal(await shown.getAttribute("aria-invalid"), "false", "typing clears the mark");
  // Enter in the field saves, as in the join form (helper-87).
  await shown.press("Enter");
  await inWidget(opened.page, "#kr-ref-note-state").filter({ hasText: "نام ذخیره شد." }).waitFor();
  assert.equal((await inWidget(opened.page, "#kr-ref-err-shown-name").textContent()).trim(), "");
  // Saved again unchanged, the status still says what is true.
  await inWidget(opened.page, "button.kr-ref-save").click();
  await opened.page.waitForTimeout(300);
  await inWidget(opened.page, "#kr-ref-note-state").filter({ hasText: "نام ذخیره شد." }).waitFor();
  const mine = await (await fetch(`${EDGE}/v1/brands/${brand.id}/referrers/me`, { headers: { "x-kindred-member": await opened.page.evaluate(() => JSON.parse(localStorage.getItem("kindred.member"))) } })).json();
  assert.equal(mine.name, "نگار رضایی");
  assert.ok(mine.note == null, "an empty note stays none");
  // Reloaded, the link is still hers (and the used token is not sent again);
  // the browser that typed her address first no longer has it.
  const sentBefore = opened.requests.filter((u) => u.includes("/referrers/me/link")).length;
  await opened.page.reload();
  await waitState(opened.page, "ready");
  // Opened (a click anywhere in it), a referrer's panel loads by itself.
  await inWidget(opened.page, "h2.kr-title").click();
  await inWidget(opened.page, "#kr-ref-url").waitFor();
  assert.equal(opened.requests.filter((u) => u.includes("/referrers/me/link")).length, sentBefore, "the used token is not sent again");
  const asked = other.page.waitForResponse((r) => r.url().includes("/referrers/me") && r.request().method() === "GET");
  await other.page.reload();
  await waitState(other.page, "ready");
  await inWidget(other.page, "h2.kr-title").click();
  assert.equal(await (await asked).text(), "null", "not the other browser's any more");
  await inWidget(other.page, "button.kr-ref-open").waitFor();
  assert.equal(await inWidget(other.page, "#kr-ref-url").count(), 0);
  // The same link again (another tab of another browser): it no longer works, said in Persian.
  const late = await open(shared.browser, `${page}&kindred_link=${token}`, { viewport: { width: 360, height: 740 } });
  await waitState(late.page, "ready", 0, { untouched: true });
  await inWidget(late.page, "button.kr-ref-take").click();
  await inWidget(late.page, ".kr-referral [role=alert]").filter({ hasText: "این پیوند دیگر کار نمی‌کند" }).waitFor();
  await inWidget(late.page, "#kr-ref-email").waitFor();
  // A browser with a link of its own is told so, and keeps its own.
  await joinAsNegar(other, "negar3.fa@example.com");
  const own = (await inWidget(other.page, ".kr-ref-code").textContent()).trim();
  const again = await fetch(`${EDGE}/v1/brands/${brand.id}/referrers/link-requests`, { method: "POST", headers: { origin: SITE, "content-type": "application/json" }, body: JSON.stringify({ email: "negar2.fa@example.com" }) });
  assert.equal(again.status, 202);
  const second = new URL((await emailed(2)).link_url).searchParams.get("kindred_link");
  const mixed = await open(shared.browser, `${page}&kindred_link=${second}`, { context: other.context });
  await waitState(mixed.page, "ready", 0, { untouched: true });
  await inWidget(mixed.page, "button.kr-ref-take").click();
  await inWidget(mixed.page, ".kr-referral [role=alert]").filter({ hasText: "پیوند معرفی خودش را دارد" }).waitFor();
  assert.equal((await inWidget(mixed.page, ".kr-ref-code").textContent()).trim(), own);
  for (const s of [other, phone, opened, late, mixed]) assert.deepEqual(s.errors, []);
  for (const s of [other, phone, late]) await s.context.close();
});

test("a browser that remembers a referral link the edge no longer holds gets the form, its focus, and forgets the link", async () => {
  const brand = await createBrand("ref-stale");
  const cfg = await brand.configure({ referral: { landing_url: `${SITE}/`, referee_offer: "15% off" } });
  assert.equal(cfg.status, 200, JSON.stringify(cfg.json));
  const shopper = await open(shared.browser, widgetPage({ brand: brand.id }));
  // Its link erased, or moved to another browser, since it was last here.
  await shopper.page.evaluate(() => localStorage.setItem("kindred.referrer", "true"));
  await shopper.page.reload();
  await waitState(shopper.page, "ready");
  await inWidget(shopper.page, ".kr-title").click();
  await inWidget(shopper.page, "button.kr-ref-open").click();
  // "Loading" goes for the form (it stayed "Loading" nowhere, but the
  // focus fell to the page's body), and the browser forgets the link.
  await inWidget(shopper.page, "#kr-ref-name").waitFor();
  await focusedIn(shopper.page, "#kr-ref-name");
  assert.equal(await shopper.page.evaluate(() => localStorage.getItem("kindred.referrer")), null);
  await shopper.context.close();
});

test("a remembered referral link the edge does not answer for: the form in time, saying why, not 'Loading' for good", async () => {
  const brand = await createBrand("ref-stall");
  const cfg = await brand.configure({ referral: { landing_url: `${SITE}/`, referee_offer: "15% off" } });
  assert.equal(cfg.status, 200, JSON.stringify(cfg.json));
  const shopper = await open(shared.browser, widgetPage({ brand: brand.id }));
  await shopper.page.evaluate(() => localStorage.setItem("kindred.referrer", "true"));
  // The lookup never answers (a dropped mobile link, a captive portal:
  // helper-101); the page's clock is the test's to move on.
  await shopper.page.route(/\/referrers\/me(\?|$)/, () => {});
  // The panel's download held until the shopper has tapped for it.
  let release;
  const held = new Promise((r) => { release = r; });
  await shopper.page.route(/(part|split)_referral\.wasm/, async (route) => { await held; await route.continue(); });
  await shopper.page.clock.install();
  await shopper.page.reload();
  await waitState(shopper.page, "ready");
  await inWidget(shopper.page, ".kr-title").click();
  await inWidget(shopper.page, "button.kr-ref-open[aria-busy='true']").click();
  release();
  await inWidget(shopper.page, ".kr-ref-loading").waitFor();
  await shopper.page.clock.fastForward(21_000);
  await inWidget(shopper.page, "#kr-ref-name").waitFor();
  await focusedIn(shopper.page, "#kr-ref-name");
  assert.match(await inWidget(shopper.page, ".kr-ref-notice").textContent(), /reach the server/);
  assert.equal(await inWidget(shopper.page, ".kr-ref-loading").count(), 0);
  // Not told the link is gone: the browser still remembers it.
  assert.equal(await shopper.page.evaluate(() => localStorage.getItem("kindred.referrer")), "true");
  await shopper.context.close();
});
