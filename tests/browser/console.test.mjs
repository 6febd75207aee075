// The brand console (served by the edge at /console/): sign in with the
// admin key, moderate, and see the change on the widget's next request.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { EDGE, useBrowser, createBrand, openConsole, publish, testimonial, PNG_1X1, open as openShop, waitState, widgetPage, inWidget } from "./lib.mjs";

const shared = useBrowser(before, after);

test("a brand signs in, approves a testimonial and the widget shows it", async () => {
  const brand = await createBrand("console");
  const sub = await brand.submit(testimonial("Olga", 5, { body: `Great shoes <img src=x onerror="window.__xss=1">` }));
  assert.equal(sub.status, 201);
  const context = await shared.browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  await page.goto(`${EDGE}/console/`);

  await page.fill("#brand", brand.id);
  await page.fill("#key", "kr_sk_wrong");
  await page.click("#signin button[type=submit]");
  await page.locator("#signin-error:has-text('admin key')").waitFor();

  await page.fill("#key", brand.key);
  await page.click("#signin button[type=submit]");
  const row = page.locator(`#testimonials li[data-id="${sub.json.id}"]`);
  await row.waitFor();
  assert.match(await row.textContent(), /olga@example\.com/);
  assert.match(await row.textContent(), /<img src=x onerror/);
  assert.equal(await page.locator("#testimonials img").count(), 0, "submitted markup became an element");
  await row.locator("button:has-text('Approve')").click();
  await page.locator("#status:has-text('Approve: done')").waitFor();

  const w = await (await fetch(`${EDGE}/v1/widget/${brand.id}`)).json();
  assert.equal(w.testimonials[0].id, sub.json.id);
  assert.equal(await page.evaluate(() => window.__xss), undefined);

  // A pending testimonial's photo: private to shoppers, shown to the moderator.
  const up = await fetch(`${EDGE}/v1/brands/${brand.id}/photos`, { method: "POST", body: PNG_1X1 });
  assert.equal(up.status, 201);
  const photo = await up.json();
  assert.equal((await fetch(`${EDGE}${photo.url}`)).status, 404, "private before approval");
  const withPhoto = await brand.submit(testimonial("Pam", 4, { photos: [photo.id] }));
  assert.equal(withPhoto.status, 201);
  await page.selectOption("#status-filter", "pending");
  const pending = page.locator(`#testimonials li[data-id="${withPhoto.json.id}"] .thumbs img`);
  await pending.waitFor();
  await page.waitForFunction((id) => {
    const img = document.querySelector(`#testimonials li[data-id="${id}"] .thumbs img`);
    return img && img.complete && img.naturalWidth === 1;
  }, withPhoto.json.id);

  // Settings round-trip through the JSON editor.
  await page.click("[data-tab=settings]");
  await page.waitForFunction(() => document.getElementById("settings").value.includes('"name"'));
  const cfg = JSON.parse(await page.inputValue("#settings"));
  cfg.name = "Renamed in the console";
  await page.fill("#settings", JSON.stringify(cfg));
  await page.click("#save-settings");
  await page.locator("#status:has-text('Settings saved')").waitFor();
  const w2 = await (await fetch(`${EDGE}/v1/widget/${brand.id}`)).json();
  assert.equal(w2.brand.name, "Renamed in the console");
  // Removing a member in the editor resets it (a null in the merge patch);
  // what the editor did not touch stays.
  await brand.configure({ incentive_copy: "Give 10%" });
  await page.click("[data-tab=moderation]");
  await page.click("[data-tab=settings]");
  await page.waitForFunction(() => document.getElementById("settings").value.includes("Give 10%"));
  const edited = JSON.parse(await page.inputValue("#settings"));
  delete edited.incentive_copy;
  await page.fill("#settings", JSON.stringify(edited));
  await page.click("#save-settings");
  await page.locator("#status:has-text('Settings saved')").waitFor();
  const cfg2 = (await (await fetch(`${EDGE}/v1/admin/brands/${brand.id}`, { headers: { authorization: `Bearer ${brand.key}` } })).json());
  assert.equal(cfg2.incentive_copy, null);
  assert.equal(cfg2.name, "Renamed in the console");
  // Settings changed elsewhere since the editor loaded them: refused (412), not overwritten.
  await brand.configure({ name: "Changed elsewhere" });
  const stale = JSON.parse(await page.inputValue("#settings"));
  stale.accent = "#112233";
  await page.fill("#settings", JSON.stringify(stale));
  await page.click("#save-settings");
  await page.locator("#status:has-text('Not saved')").waitFor();
  const cfg3 = (await (await fetch(`${EDGE}/v1/admin/brands/${brand.id}`, { headers: { authorization: `Bearer ${brand.key}` } })).json());
  assert.equal(cfg3.name, "Changed elsewhere");
  assert.notEqual(cfg3.accent, "#112233");
  const headers = (await page.goto(`${EDGE}/console/`)).headers();
  assert.match(headers["content-security-policy"] || "", /frame-ancestors 'none'/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a moderator replies in public under a testimonial and a community thread, edits and takes it down", async () => {
  const brand = await createBrand("console-reply");
  const tid = await publish(brand, testimonial("Rui", 2, { body: "The laces fray after a month of runs." }));
  const auth = { authorization: `Bearer ${brand.key}`, "content-type": "application/json" };
  const group = await (await fetch(`${EDGE}/v1/admin/brands/${brand.id}/groups`, { method: "POST", headers: auth, body: JSON.stringify({ name: "Road runners", description: "Miles and shoes", visibility: "public", moderation: "post" }) })).json();
  const member = { "x-kindred-member": "shopper-00000000consolereply", "content-type": "application/json" };
  assert.equal((await fetch(`${EDGE}/v1/brands/${brand.id}/groups/${group.id}/join`, { method: "POST", headers: member, body: JSON.stringify({ display_name: "Rui" }) })).status, 200);
  const thread = await (await fetch(`${EDGE}/v1/brands/${brand.id}/groups/${group.id}/threads`, { method: "POST", headers: member, body: JSON.stringify({ title: "Lace length?", body: "Which laces fit the Trail Runner?" }) })).json();

  const { context, page, errors } = await openConsole(shared.browser, brand);
  await page.locator("#testimonials").waitFor();
  await page.selectOption("#status-filter", "approved");
  const row = page.locator(`#testimonials li[data-id="${tid}"]`);
  await row.waitFor();
  await row.getByLabel("Public reply as the brand under this testimonial").fill("Sorry, Rui! New laces are on their way.");
  await row.locator("button", { hasText: /^Reply$/ }).click();
  await page.locator("#status:has-text('Reply: done')").waitFor();
  await page.locator(`#testimonials li[data-id="${tid}"] .reply`).waitFor();
  const w = await (await fetch(`${EDGE}/v1/widget/${brand.id}`)).json();
  assert.equal(w.testimonials[0].reply.body, "Sorry, Rui! New laces are on their way.");

  await page.click("[data-tab=community]");
  await page.locator(`#groups li[data-id="${group.id}"] button:has-text('Threads')`).click();
  const trow = page.locator(`#threads li[data-id="${thread.id}"]`);
  await trow.waitFor();
  await trow.getByLabel("Public reply as the brand under this thread").fill("The 120 cm laces fit.");
  await trow.locator("button", { hasText: /^Reply$/ }).click();
  await page.locator(`#threads li[data-id="${thread.id}"] .reply:has-text('120 cm')`).waitFor();
  // Edited, then taken down; the shopper's view follows each step.
  const shown = async () => (await (await fetch(`${EDGE}/v1/brands/${brand.id}/threads/${thread.id}`, { headers: member })).json()).thread.brand_reply;
  await page.locator(`#threads li[data-id="${thread.id}"]`).getByLabel("Public reply as the brand under this thread").fill("The 130 cm laces fit best.");
  await page.locator(`#threads li[data-id="${thread.id}"] button:has-text('Save reply')`).click();
  await page.locator(`#threads li[data-id="${thread.id}"] .reply:has-text('130 cm')`).waitFor();
  assert.equal((await shown()).body, "The 130 cm laces fit best.");
  assert.ok((await shown()).edited_at);
  page.once("dialog", (d) => d.accept());
  await page.locator(`#threads li[data-id="${thread.id}"] button:has-text('Delete reply')`).click();
  await page.waitForFunction((id) => !document.querySelector(`#threads li[data-id="${id}"] .reply`), thread.id);
  assert.equal(await shown(), undefined);
  const history = await (await fetch(`${EDGE}/v1/admin/brands/${brand.id}/threads/${thread.id}/reply`, { headers: auth })).json();
  assert.deepEqual(history.history.map((v) => v.action), ["created", "edited", "deleted"]);

  // Hidden by a slip: it waits under Hidden, and is shown again from there.
  const visible = async () => (await (await fetch(`${EDGE}/v1/brands/${brand.id}/groups/${group.id}/threads`)).json()).threads.map((t) => t.id);
  await page.locator(`#hidden-posts li:has-text('Nothing is hidden in Road runners.')`).waitFor();
  await page.locator(`#threads li[data-id="${thread.id}"]`).getByRole("button", { name: "Hide: Rui" }).click();
  await page.locator("#status:has-text('listed under Hidden in Road runners')").waitFor();
  const hiddenRow = page.locator(`#hidden-posts li[data-id="${thread.id}"]`);
  await hiddenRow.waitFor();
  // The focus follows the thread to its row there, not the page's start.
  assert.deepEqual(await page.evaluate(() => [document.activeElement?.closest("ul")?.id, document.activeElement?.textContent]), ["hidden-posts", "Show again"]);
  assert.match(await hiddenRow.textContent(), /Lace length\?: Which laces fit the Trail Runner\?thread · Rui/);
  assert.equal(await page.locator(`#threads li[data-id="${thread.id}"]`).count(), 0);
  assert.deepEqual(await visible(), []);
  await hiddenRow.getByRole("button", { name: "Show again: Rui" }).click();
  await page.locator("#status:has-text('The thread by Rui is shown again.')").waitFor();
  await page.locator(`#threads li[data-id="${thread.id}"]`).waitFor();
  await page.locator(`#hidden-posts li:has-text('Nothing is hidden in Road runners.')`).waitFor();
  assert.deepEqual(await visible(), [thread.id]);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a moderator deep in 'Load more' features and replies to a review and stays where they were", async () => {
  const brand = await createBrand("console-place");
  for (let i = 0; i < 55; i++) await publish(brand, testimonial(`Placed ${i}`, 4));
  const { context, page, errors } = await openConsole(shared.browser, brand);
  await page.selectOption("#status-filter", "approved");
  await page.waitForFunction(() => document.querySelectorAll("#testimonials li[data-id]").length === 50);
  await page.click("#more");
  await page.waitForFunction(() => document.querySelectorAll("#testimonials li[data-id]").length === 55);
  const deep = page.locator("#testimonials li[data-id]").nth(52);
  const id = await deep.getAttribute("data-id");
  await deep.locator("button", { hasText: /^Feature$/ }).click();
  await page.locator("#status:has-text('Feature: done')").waitFor();
  const row = page.locator(`#testimonials li[data-id="${id}"]`);
  await row.locator("button", { hasText: /^Unfeature$/ }).waitFor();
  assert.equal(await page.locator("#testimonials li[data-id]").count(), 55, "no reload of the first page");
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Unfeature", "the focus stays on the row");
  await row.getByLabel("Public reply as the brand under this testimonial").fill("Thanks for the kind words!");
  await row.locator("button", { hasText: /^Reply$/ }).click();
  await row.locator(".reply:has-text('Thanks for the kind words!')").waitFor();
  assert.equal(await page.locator("#testimonials li[data-id]").count(), 55);
  assert.deepEqual(errors, []);
  await context.close();
});

test("the console exports a dataset as one CSV file (following every page)", async () => {
  const brand = await createBrand("console-export");
  for (const name of ["Nora", "Omar", "Pia"]) await publish(brand, testimonial(name, 5, { body: `${name}, "quoted", =1+1 and more words` }));
  const { context, page, errors } = await openConsole(shared.browser, brand);
  await page.click("[data-tab=settings]");
  await page.selectOption("#export-dataset", "testimonials");
  await page.selectOption("#export-format", "csv");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-form button[type=submit]")]);
  assert.equal(download.suggestedFilename(), `${brand.id}-testimonials.csv`);
  const text = readFileSync(await download.path(), "utf8");
  const lines = text.trimEnd().split("\r\n"); // (trim() would take the byte order mark too)
  assert.equal(lines[0].split(",")[0], '\uFEFF"id"', "a byte order mark, then quoted fields");
  assert.equal(lines.length, 4, "one header and three rows");
  assert.ok(text.includes('"Nora, ""quoted"", =1+1 and more words"'), text);
  await page.locator("#status:has-text('Exported testimonials')").waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("a moderator approves several at once and decides by keyboard alone", async () => {
  const brand = await createBrand("console-bulk");
  const ids = [];
  for (const name of ["Quin", "Rosa", "Sven", "Tara"]) ids.push((await brand.submit(testimonial(name, 4))).json.id);
  const { context, page, errors } = await openConsole(shared.browser, brand);
  for (const id of ids) await page.locator(`#testimonials li[data-id="${id}"] .pick`).waitFor();
  // Two ticked, one request.
  await page.check(`#testimonials li[data-id="${ids[0]}"] .pick`);
  await page.check(`#testimonials li[data-id="${ids[1]}"] .pick`);
  await page.click("#bulk-approve");
  await page.locator("#status:has-text('Approved 2.')").waitFor();
  assert.equal(await page.locator(`#testimonials li[data-id="${ids[0]}"]`).count(), 0, "gone from the pending list");
  // Every checkbox is a box a thumb can hit (helper-89: 13 px).
  for (const sel of ["#pick-all", "#keys-on", `#testimonials li[data-id="${ids[2]}"] .pick`]) {
    const box = await page.locator(sel).boundingBox();
    assert.ok(box && box.width >= 20 && box.height >= 20, `${sel}: ${JSON.stringify(box)}`);
  }
  // Keyboard, once turned on (single-key shortcuts are off by default):
  // j to the first, r to reject it for the chosen reason, a on the next.
  await page.check("#keys-on");
  await page.selectOption("#bulk-reason", "off_topic");
  await page.locator("body").click({ position: { x: 5, y: 5 } });
  const order = await page.evaluate(() => [...document.querySelectorAll("#testimonials li[data-id]")].map((li) => li.dataset.id));
  assert.equal(order.length, 2);
  await page.keyboard.press("j");
  const focused = () => page.evaluate(() => document.activeElement?.closest("li[data-id]")?.dataset.id);
  assert.equal(await focused(), order[0], "j goes to the first");
  await page.keyboard.press("r");
  await page.locator("#status:has-text('Rejected 1.')").waitFor();
  await page.waitForFunction((id) => !document.querySelector(`#testimonials li[data-id="${id}"]`), order[0]);
  assert.equal(await focused(), order[1], "focus moves on to the next");
  await page.keyboard.press("a");
  await page.locator("#status:has-text('Approved 1.')").waitFor();
  const list = await brand.list("rejected");
  assert.equal(list.find((t) => t.id === order[0])?.reject_reason, "off_topic");
  assert.equal((await brand.list("approved")).length, 3);
  // Typing in a field is never a shortcut; with shortcuts off, keys are keys.
  const fifth = (await brand.submit(testimonial("Uma", 4))).json.id;
  await page.selectOption("#status-filter", "approved");
  await page.selectOption("#status-filter", "pending");
  await page.locator(`#testimonials li[data-id="${fifth}"] .pick`).waitFor();
  await page.locator("#bulk-note").pressSequentially("a note with j and x and a and r");
  await page.locator(`#testimonials li[data-id="${fifth}"]`).focus();
  await page.uncheck("#keys-on");
  await page.locator(`#testimonials li[data-id="${fifth}"]`).focus();
  await page.keyboard.press("a");
  await page.waitForTimeout(300);
  assert.equal((await brand.list("pending")).length, 1, "nothing decided by typing or with shortcuts off");
  // The approved view has nothing to tick.
  await page.selectOption("#status-filter", "approved");
  await page.waitForFunction(() => document.getElementById("bulk").hidden);
  assert.equal(await page.locator("#bulk").isVisible(), false);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a moderator filters and searches the queue (Persian included) and loads past the first 50", async () => {
  const brand = await createBrand("console-filter");
  const special = (await brand.submit(testimonial("Bahar", 2, { body: "کفش‌ها سبک و راحت هستند ولی سایز کوچک است.", tags: ["runner"] }))).json.id;
  for (let i = 0; i < 52; i += 13) {
    await Promise.all(Array.from({ length: 13 }, (_, k) => brand.submit(testimonial(`Filler ${String.fromCharCode(65 + ((i + k) % 26))}`, 4))));
  }
  const { context, page, errors } = await openConsole(shared.browser, brand);
  const shown = () => page.locator("#testimonials li[data-id]").count();
  await page.locator("#testimonials li[data-id]").first().waitFor();
  assert.equal(await shown(), 50, "the first page");
  assert.equal(await page.isVisible("#more"), true);
  await page.click("#more");
  await page.waitForFunction(() => document.querySelectorAll("#testimonials li[data-id]").length === 53);
  assert.equal(await page.isVisible("#more"), false, "nothing further");
  // A decision past the first 50 keeps the list where it is.
  const deep = page.locator("#testimonials li[data-id]").nth(50);
  const deepId = await deep.getAttribute("data-id");
  await deep.locator(".pick").check();
  await page.click("#bulk-approve");
  await page.locator("#status:has-text('Approved 1.')").waitFor();
  assert.equal(await shown(), 52, "no reset to the first page");
  assert.equal(await page.locator(`#testimonials li[data-id="${deepId}"]`).count(), 0);
  // So does a row's own Approve, and its Reject (with a reason): the rows
  // shown stay the same elements (a reload would draw new ones).
  await page.evaluate(() => (document.querySelector("#testimonials li[data-id]").__kept = true));
  // (Rows past the first 50 that are not the Persian one searched for below.)
  const deepRow = async () => {
    const ids = await page.$$eval("#testimonials li[data-id]", (lis) => lis.map((li) => li.dataset.id));
    const id = ids.slice(49).find((i) => i !== special);
    return page.locator(`#testimonials li[data-id="${id}"]`);
  };
  const rowDeep = await deepRow();
  const rowDeepId = await rowDeep.getAttribute("data-id");
  await rowDeep.locator("button:has-text('Approve')").click();
  await page.locator("#status:has-text('Approve: done')").waitFor();
  await page.waitForFunction(() => document.querySelectorAll("#testimonials li[data-id]").length === 51);
  assert.equal(await page.locator(`#testimonials li[data-id="${rowDeepId}"]`).count(), 0);
  const toReject = await deepRow();
  // No reason chosen: one click records nothing (never "spam" by default).
  await toReject.locator("button:has-text('Reject')").click();
  await page.locator("#status:has-text('Reject: choose a reason first')").waitFor();
  assert.equal(await page.locator("#testimonials li[data-id]").count(), 51);
  await toReject.locator("select.reason").selectOption("duplicate");
  await toReject.locator("button:has-text('Reject')").click();
  await page.waitForFunction(() => document.querySelectorAll("#testimonials li[data-id]").length === 50);
  assert.equal(await page.evaluate(() => document.querySelector("#testimonials li[data-id]").__kept), true, "the same list, not a reloaded first page");
  // Search in Persian; then by stars and tag; each a fresh first page.
  await page.fill("#f-q", "سبک");
  await page.click("#queue-filter button[type=submit]");
  await page.waitForFunction(() => document.querySelectorAll("#testimonials li[data-id]").length === 1);
  assert.equal(await page.locator("#testimonials li[data-id]").getAttribute("data-id"), special);
  await page.fill("#f-q", "");
  await page.selectOption("#f-rating", "2");
  await page.fill("#f-tag", "runner");
  await page.click("#queue-filter button[type=submit]");
  await page.waitForFunction(() => document.querySelectorAll("#testimonials li[data-id]").length === 1);
  await page.selectOption("#f-rating", "5");
  await page.click("#queue-filter button[type=submit]");
  await page.locator("#testimonials li:has-text('None of the pending testimonials looked through match.')").waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

/** axe-core on the whole console page: the violations, as readable lines. */
async function axeViolations(page) {
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.addScriptTag({ path: createRequire(import.meta.url).resolve("axe-core/axe.min.js") });
  return page.evaluate(async () => (await window.axe.run(document)).violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`));
}

test("every console tab passes axe and fits the screen, at 1280, 768 and 360 px", async () => {
  const brand = await createBrand("console-a11y");
  await brand.configure({ referral: { landing_url: "https://shop.example/welcome", referee_offer: "15% off" } });
  const photo = await (await fetch(`${EDGE}/v1/brands/${brand.id}/photos`, { method: "POST", headers: { "content-type": "application/octet-stream" }, body: PNG_1X1 })).json();
  await brand.submit(testimonial("Pending Pat", 3, { photos: [photo.id] }));
  await publish(brand, testimonial("Approved Alex", 5));
  for (const viewport of [{ width: 1280, height: 800 }, { width: 768, height: 1024 }, { width: 360, height: 740 }]) {
    // axe's script needs the console's CSP (script-src 'self') bypassed.
    const context = await shared.browser.newContext({ bypassCSP: true, viewport });
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e));
    await page.goto(`${EDGE}/console/`);
    assert.deepEqual(await axeViolations(page), [], `sign-in at ${viewport.width} px`);
    await page.fill("#brand", brand.id);
    await page.fill("#key", brand.key);
    await page.click("#signin button[type=submit]");
    await page.locator("#testimonials li[data-id] .pick").first().waitFor();
    assert.ok(await page.locator("#signin").isHidden(), `signed in, the sign-in form goes, at ${viewport.width} px`);
    for (const tab of ["moderation", "referrals", "community", "analytics", "settings"]) {
      await page.click(`[data-tab=${tab}]`);
      await page.waitForLoadState("networkidle");
      await page.locator(`#tab-${tab}:not([hidden])`).waitFor();
      assert.deepEqual(await axeViolations(page), [], `${tab} at ${viewport.width} px`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${tab} at ${viewport.width} px scrolls sideways by ${overflow} px`);
    }
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test("in the console a brand uploads coupons, sees its referrers, settles a community report and makes an invite link", async () => {
  const brand = await createBrand("console-flows");
  await brand.configure({ referral: { landing_url: "https://shop.example/welcome", referee_offer: "15% off" } });
  const as = (member) => ({ "x-kindred-member": member, "content-type": "application/json" });
  const send = (path, headers, body) => fetch(`${EDGE}${path}`, { method: "POST", headers, body: JSON.stringify(body) });
  assert.equal((await send(`/v1/brands/${brand.id}/referrers`, as("console-flows-member-0001"), { name: "Ana Referrer", email: "ana.ref@example.com" })).status, 201);
  // Two notes to friends: one to publish (two lines), one spam.
  const writeNote = async (member, note) => {
    const r = await fetch(`${EDGE}/v1/brands/${brand.id}/referrers/me`, { method: "PATCH", headers: as(member), body: JSON.stringify({ note }) });
    assert.equal(r.status, 200);
    return (await r.json()).code;
  };
  const anaCode = await writeNote("console-flows-member-0001", "These shoes got me up the ridge.\nTry them!");
  assert.equal((await send(`/v1/brands/${brand.id}/referrers`, as("console-flows-member-0009"), { name: "Spammer", email: "spam@example.com" })).status, 201);
  const spamCode = await writeNote("console-flows-member-0009", "Cheaper at boots-outlet.example");
  const group = await (await send(`/v1/admin/brands/${brand.id}/groups`, { authorization: `Bearer ${brand.key}`, "content-type": "application/json" }, { name: "Trail crew", description: "Runners", visibility: "public", moderation: "post" })).json();
  for (const [m, name] of [["console-flows-member-0002", "Bo"], ["console-flows-member-0003", "Cy"]]) {
    assert.equal((await send(`/v1/brands/${brand.id}/groups/${group.id}/join`, as(m), { display_name: name })).status, 200);
  }
  const thread = await (await send(`/v1/brands/${brand.id}/groups/${group.id}/threads`, as("console-flows-member-0002"), { title: "Cheap watches here", body: "Buy now at a site nobody trusts." })).json();
  assert.equal((await send(`/v1/brands/${brand.id}/threads/${thread.id}/report`, as("console-flows-member-0003"), { reason: "personal_data" })).status, 202);
  // Later reports never hide an earlier reason (helper-91), and a reason
  // is a name: words that mimic the console's are refused.
  for (const m of ["console-flows-member-0004", "console-flows-member-0005"]) {
    assert.equal((await send(`/v1/brands/${brand.id}/threads/${thread.id}/report`, as(m), { reason: "spam" })).status, 202);
  }
  assert.equal((await send(`/v1/brands/${brand.id}/threads/${thread.id}/report`, as("console-flows-member-0006"), { reason: "Spam · checked by Kindred: keep" })).status, 422);

  const { context, page, errors } = await openConsole(shared.browser, brand);
  await page.locator("#testimonials li").first().waitFor();
  await page.click("[data-tab=referrals]");
  await page.locator("#referrers li:has-text('Ana Referrer')").waitFor();
  // The notes wait here: Ana's is approved, the spam rejected for a reason.
  assert.equal(await page.locator("#notes-count").textContent(), " (2)");
  const anaNote = page.locator(`#notes li[data-id="${anaCode}"]`);
  assert.equal(await anaNote.locator(".note-text").innerText(), "These shoes got me up the ridge.\nTry them!");
  await anaNote.locator("button:has-text('Approve')").click();
  await anaNote.waitFor({ state: "detached" });
  const spam = page.locator(`#notes li[data-id="${spamCode}"]`);
  await spam.locator("select.reason").selectOption("spam");
  await spam.locator("button:has-text('Reject')").click();
  await page.locator("#notes li:has-text('No notes waiting.')").waitFor();
  assert.equal(await page.locator("#notes-count").textContent(), "");
  const decided = async (status) => (await (await fetch(`${EDGE}/v1/admin/brands/${brand.id}/referrers/notes?status=${status}`, { headers: { authorization: `Bearer ${brand.key}` } })).json()).notes.map((n) => [n.code, n.reject_reason || null]);
  assert.deepEqual(await decided("approved"), [[anaCode, null]]);
  assert.deepEqual(await decided("rejected"), [[spamCode, "spam"]]);
  // One code per line: a space inside a line is not a second code.
  await page.fill("#coupon-codes", "SUMMER 10\nWELCOME-0");
  await page.click("#coupon-form button[type=submit]");
  await page.locator("#status:has-text(\"'SUMMER 10' is not a coupon code\")").waitFor();
  await page.fill("#coupon-codes", " WELCOME-1 \r\nWELCOME-2\n\n");
  await page.click("#coupon-form button[type=submit]");
  await page.locator("#status:has-text('2 coupon(s) added.')").waitFor();
  await page.locator("#pools li:has-text('2 available')").waitFor();

  await page.click("[data-tab=community]");
  const report = page.locator(`#reports li[data-id="${thread.id}"]`);
  await report.waitFor();
  // The moderator reads what was reported, by whom and where.
  const said = await report.textContent();
  assert.ok(said.includes("Cheap watches here") && said.includes("Buy now at a site nobody trusts.") && said.includes(group.name), said);
  // Each reason with its count, in the moderator's own words.
  assert.ok(said.includes("3 report(s): Spam 2, Personal data 1") && !said.includes("checked by Kindred"), said);
  // The spammer goes from the group by their post (the console never sees
  // a member token), after a confirm, and cannot come back.
  page.once("dialog", (d) => d.accept());
  await report.locator("button:has-text('Remove author from group')").click();
  await page.locator("#status:has-text('is out of the group')").waitFor();
  assert.equal((await send(`/v1/brands/${brand.id}/groups/${group.id}/join`, as("console-flows-member-0002"), { display_name: "Bo" })).status, 403, "the author cannot come back");
  await report.locator("button:has-text('Hide')").click();
  await page.locator("#reports li:has-text('No open reports.')").waitFor();
  const listed = await (await fetch(`${EDGE}/v1/brands/${brand.id}/groups/${group.id}/threads`)).text();
  assert.ok(!listed.includes(thread.id), "hidden from shoppers");
  await page.locator(`#groups li[data-id="${group.id}"] button:has-text('New invite link')`).click();
  await page.locator("#status:has-text('Invite token (7 days)')").waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("a pre-moderated group's posts wait in the console: one approved, another's author taken out of the group and readmitted, a block made and lifted, never by a token", async () => {
  const brand = await createBrand("console-pending");
  const auth = { authorization: `Bearer ${brand.key}`, "content-type": "application/json" };
  const group = await (await fetch(`${EDGE}/v1/admin/brands/${brand.id}/groups`, { method: "POST", headers: auth, body: JSON.stringify({ name: "Quiet room", description: "Checked first", visibility: "public", moderation: "pre" }) })).json();
  const as = (m) => ({ "x-kindred-member": m, "content-type": "application/json" });
  const post = async (m, name, title) => {
    assert.equal((await fetch(`${EDGE}/v1/brands/${brand.id}/groups/${group.id}/join`, { method: "POST", headers: as(m), body: JSON.stringify({ display_name: name }) })).status, 200);
    return (await (await fetch(`${EDGE}/v1/brands/${brand.id}/groups/${group.id}/threads`, { method: "POST", headers: as(m), body: JSON.stringify({ title, body: `${title}, in a few words.` }) })).json()).id;
  };
  const good = await post("console-pending-member-0001", "Gus", "Hill repeats");
  const bad = await post("console-pending-member-0002", "Spam", "Cheap pills");

  const { context, page, errors } = await openConsole(shared.browser, brand);
  await page.click("[data-tab=community]");
  await page.locator(`#groups li[data-id="${group.id}"] button:has-text('Threads')`).click();
  await page.locator(`#pending-posts li[data-id="${bad}"]`).waitFor();
  assert.equal(await page.locator("#pending-posts li[data-id]").count(), 2);
  assert.ok(!(await page.locator("#tab-community").textContent()).includes("console-pending-member"), "no member token on the page");
  await page.locator(`#pending-posts li[data-id="${good}"] button:has-text('Approve')`).click();
  await page.locator(`#pending-posts li[data-id="${good}"]`).waitFor({ state: "detached" });
  const listed = await (await fetch(`${EDGE}/v1/brands/${brand.id}/groups/${group.id}/threads`)).json();
  assert.deepEqual(listed.threads.map((t) => t.id), [good]);
  page.once("dialog", (d) => d.accept());
  await page.locator(`#pending-posts li[data-id="${bad}"] button:has-text('Remove author from group')`).click();
  await page.locator("#status:has-text('Spam is out of Quiet room')").waitFor();
  assert.equal((await fetch(`${EDGE}/v1/brands/${brand.id}/groups/${group.id}/join`, { method: "POST", headers: as("console-pending-member-0002"), body: JSON.stringify({ display_name: "Spam" }) })).status, 403);
  await page.locator(`#pending-posts li[data-id="${bad}"] button:has-text('Delete')`).click();
  await page.locator("#pending-posts li:has-text('No posts waiting.')").waitFor();

  // Who was taken out is listed by the post it was done from (the post
  // deleted since), and readmitted from the list.
  const removed = page.locator(`#removals li[data-id="post:${bad}"]`);
  await removed.waitFor();
  assert.match(await removed.textContent(), /Spam · named by their post/);
  // Asked first, and named for a screen reader (a list of people).
  page.once("dialog", (d) => d.accept());
  await removed.getByRole("button", { name: "Readmit: Spam" }).click();
  await page.locator("#status:has-text('Spam may join Quiet room again')").waitFor();
  await page.locator("#removals li:has-text('Nobody was taken out of Quiet room.')").waitFor();
  assert.equal((await fetch(`${EDGE}/v1/brands/${brand.id}/groups/${group.id}/join`, { method: "POST", headers: as("console-pending-member-0002"), body: JSON.stringify({ display_name: "Spam" }) })).status, 200);

  // A block from a thread's row, listed under Blocked members, and lifted there.
  page.once("dialog", (d) => d.accept());
  await page.locator(`#threads li[data-id="${good}"] button:has-text('Block author')`).click();
  await page.locator("#status:has-text('Gus is blocked')").waitFor();
  const blocked = page.locator(`#blocks li[data-id="post:${good}"]`);
  await blocked.waitFor();
  assert.match(await blocked.textContent(), /^Gus · named by their post/);
  const again = { method: "POST", headers: as("console-pending-member-0001"), body: JSON.stringify({ title: "Again", body: "Again, in a few words." }) };
  assert.equal((await fetch(`${EDGE}/v1/brands/${brand.id}/groups/${group.id}/threads`, again)).status, 403, "a blocked member may not post");
  page.once("dialog", (d) => d.dismiss());
  await blocked.getByRole("button", { name: "Unblock: Gus" }).click();
  await page.locator("#status:has-text('Nothing changed.')").waitFor();
  assert.equal(await blocked.count(), 1, "cancelled: still blocked");
  page.once("dialog", (d) => d.accept());
  await blocked.getByRole("button", { name: "Unblock: Gus" }).click();
  await page.locator("#blocks li:has-text('Nobody is blocked.')").waitFor();
  assert.equal((await fetch(`${EDGE}/v1/brands/${brand.id}/groups/${group.id}/threads`, again)).status, 201);
  assert.ok(!(await page.locator("#tab-community").textContent()).includes("console-pending-member"), "no member token on the page");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a brand imports a Judge.me CSV in chunks with progress, sees bad rows named, imports it again without duplicates and goes on after a stop", async () => {
  const brand = await createBrand("console-import");
  const header = "title,body,rating,review_date,source,curated,reviewer_name,reviewer_email,product_id,product_handle,reply,reply_date,picture_urls,ip_address";
  const rows = [];
  for (let i = 0; i < 450; i++) {
    const body = i === 7 ? "کفش عالی بود 👟 واقعاً" : `Review ${i}, ""quoted""\nand a second line`;
    const rating = i === 300 ? "" : String(1 + (i % 5));
    rows.push(`Title ${i},"${body}",${rating},2024-03-01 10:00:00 UTC,web,ok,Shopper ${i},s${i}@example.com,88,trail-shoe,,,,203.0.113.9`);
  }
  const file = { name: "judgeme-reviews.csv", mimeType: "text/csv", buffer: Buffer.from(`\uFEFF${header}\r\n${rows.join("\r\n")}\r\n`) };
  const { context, page, errors } = await openConsole(shared.browser, brand);
  await page.locator("#import-form").waitFor();
  await page.selectOption("#import-source", "judge.me");
  await page.setInputFiles("#import-file", file);
  await page.click("#import-go");
  await page.locator("#import-result:has-text('Import done')").waitFor({ timeout: 60000 });
  const result = await page.textContent("#import-result");
  assert.match(result, /449 new reviews, 0 were already here, 1 not imported/, result);
  assert.equal(await page.evaluate(() => document.getElementById("import-progress").value), 450);
  // The spreadsheet's own row: the header is row 1.
  assert.match(await page.textContent("#import-failed"), /Row 302: not imported: rating: no rating/);
  const api = async (path) => (await fetch(`${EDGE}/v1/admin/brands/${brand.id}${path}`, { headers: { authorization: `Bearer ${brand.key}` } })).json();
  const persian = (await api("/testimonials?status=approved&q=%DA%A9%D9%81%D8%B4")).testimonials;
  assert.equal(persian.length, 1);
  assert.equal(persian[0].body, "کفش عالی بود 👟 واقعاً");
  assert.equal(persian[0].imported_from, "judge.me");
  assert.equal(persian[0].verified_buyer, false);
  assert.equal((await api("/imports")).imported["judge.me"], 449);
  // The queue shows where each came from.
  await page.selectOption("#status-filter", "approved");
  await page.locator("#testimonials li:has-text('imported from Judge.me')").first().waitFor();

  // The same file again: nothing new.
  await page.setInputFiles("#import-file", file);
  await page.click("#import-go");
  await page.locator("#import-result:has-text('0 new reviews, 449 were already here')").waitFor({ timeout: 60000 });

  // A stop after the first chunk: choosing the file again goes on from review 201.
  await page.setInputFiles("#import-file", file);
  await page.evaluate((b) => {
    const f = document.getElementById("import-file").files[0];
    localStorage.setItem(`kindred.import.${b}.judge.me.${f.name}.${f.size}.${f.lastModified}`, "200");
  }, brand.id);
  await page.click("#import-go");
  await page.locator("#import-result:has-text('0 new reviews, 249 were already here')").waitFor({ timeout: 60000 });
  assert.equal((await api("/imports")).imported["judge.me"], 449);

  // The wrong file after all: undone from the console (asked first, 100 a
  // request), and the right one imports again.
  // Thought again first: nothing changes, and the keyboard's place stays.
  page.once("dialog", (d) => d.dismiss());
  await page.focus("#import-undo");
  await page.keyboard.press("Enter");
  await page.locator("#import-result:has-text('Nothing changed.')").waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), "import-undo");
  assert.equal((await api("/imports")).imported["judge.me"], 449);
  let asked = "";
  page.once("dialog", (d) => { asked = d.message(); d.accept(); });
  await page.keyboard.press("Enter");
  await page.locator("#import-result:has-text('Import from Judge.me undone: 449 reviews deleted')").waitFor({ timeout: 60000 });
  assert.match(asked, /Delete all 449 reviews imported from Judge\.me/);
  assert.equal(await page.evaluate(() => document.activeElement.id), "import-undo", "the focus stays on the button");
  assert.equal((await api("/imports")).imported["judge.me"], undefined);
  assert.equal((await api("/testimonials?status=approved")).testimonials.length, 0);
  await page.click("#import-undo");
  await page.locator("#import-result:has-text('Nothing imported from Judge.me to undo')").waitFor();
  await page.setInputFiles("#import-file", file);
  await page.click("#import-go");
  await page.locator("#import-result:has-text('449 new reviews, 0 were already here')").waitFor({ timeout: 60000 });
  assert.deepEqual(errors, []);
  await context.close();
});

// The brand's testimonials export, as CSV, every page.
async function exportCsv(brand) {
  let csv = "";
  for (let cursor = ""; ; ) {
    const r = await fetch(`${EDGE}/v1/admin/brands/${brand.id}/export/testimonials?format=csv${cursor ? `&cursor=${cursor}` : ""}`, { headers: { authorization: `Bearer ${brand.key}` } });
    csv += await r.text();
    cursor = r.headers.get("kindred-next-cursor") || "";
    if (!cursor) break;
  }
  return csv;
}

test("a brand imports two partners' exports, both called export.csv, and undoes one of them alone", async () => {
  const [p1, p2] = [await createBrand("console-partner-one"), await createBrand("console-partner-two")];
  await publish(p1, testimonial("Ada", 5, { body: "Partner one's shoppers like it." }));
  await publish(p1, testimonial("Ben", 4, { body: "Partner one, a second review." }));
  await publish(p2, testimonial("زهرا", 5, { email: "zahra@example.com", body: "کفش عالی بود، از فروشگاه دوم." }));
  const to = await createBrand("console-partners-to");
  const { context, page, errors } = await openConsole(shared.browser, to);
  await page.locator("#import-form").waitFor();
  await page.locator("#import-files li:has-text('No file imported by name yet')").waitFor();
  await page.selectOption("#import-source", "kindred");
  const files = [];
  for (const [p, n] of [[p2, 1], [p1, 2]]) {
    files.push({ name: "export.csv", mimeType: "text/csv", buffer: Buffer.from(await exportCsv(p)) });
    await page.setInputFiles("#import-file", files.at(-1));
    await page.click("#import-go");
    await page.locator(`#import-result:has-text('Import done: ${n} new')`).waitFor({ timeout: 60000 });
  }
  // Listed apart by the start of their SHA-256, each with its count.
  const rows = page.locator("#import-files li");
  await page.waitForFunction(() => document.querySelectorAll("#import-files li").length === 2);
  const names = await rows.locator("div:first-child").allTextContents();
  assert.ok(names.every((n) => /^export\.csv · [0-9a-f]{8}$/.test(n)) && names[0] !== names[1], names.join(" | "));
  const first = rows.filter({ hasText: "2 reviews from a Kindred export" });
  await first.waitFor();
  const name = await first.locator("div:first-child").textContent();
  // Imported last, listed first.
  assert.equal(names[0], name);
  // An import of that file that had stopped after its first review (its
  // mark kept, to go on from there).
  await page.evaluate((b) => {
    const f = document.getElementById("import-file").files[0];
    localStorage.setItem(`kindred.import.${b}.kindred.${f.name}.${f.size}.${f.lastModified}`, "1");
  }, to.id);
  const undoFile = page.getByRole("button", { name: `Undo this file…: ${name}` });
  // Thought again: nothing changes, and the focus stays on that file's button.
  page.once("dialog", (d) => d.dismiss());
  await undoFile.focus();
  await page.keyboard.press("Enter");
  await page.locator("#import-result:has-text('Nothing changed.')").waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.dataset.file), name);
  let asked = "";
  page.once("dialog", (d) => { asked = d.message(); d.accept(); });
  await page.keyboard.press("Enter");
  await page.locator(`#import-result:has-text('undone: 2 reviews deleted')`).waitFor({ timeout: 60000 });
  assert.match(asked, /the 2 reviews the file “export\.csv · [0-9a-f]{8}” brought in first/, asked);
  await page.waitForFunction(() => document.querySelectorAll("#import-files li").length === 1);
  assert.match(await rows.first().textContent(), /1 review from a Kindred export/);
  // The file's button went with it: the focus is on the list's heading
  // (not the source's undo, which acts on the source chosen above).
  assert.equal(await page.evaluate(() => document.activeElement.id), "import-files-title");
  const left = (await (await fetch(`${EDGE}/v1/admin/brands/${to.id}/testimonials?status=approved`, { headers: { authorization: `Bearer ${to.key}` } })).json()).testimonials;
  assert.deepEqual(left.map((t) => t.author_name), ["زهرا"]);
  // The file again: from its first review (going on from the mark would
  // have skipped the review undone).
  await page.click("#import-go");
  await page.locator("#import-result:has-text('Import done: 2 new reviews, 0 were already here')").waitFor({ timeout: 60000 });
  assert.deepEqual(errors, []);
  await context.close();
});

test("a brand moves to another Kindred edge: its CSV export imports as it was, formulas and all", async () => {
  const from = await createBrand("console-move-from");
  await publish(from, testimonial("Nora", 5, { body: "=SUM(A1) is how I rate it, seriously", tags: ["vegan"] }));
  await publish(from, testimonial("Omid", 4, { body: "خیلی راحت است و سبک 🏃" }));
  const csv = await exportCsv(from);
  const to = await createBrand("console-move-to");
  const { context, page, errors } = await openConsole(shared.browser, to);
  await page.locator("#import-form").waitFor();
  await page.selectOption("#import-source", "kindred");
  await page.setInputFiles("#import-file", { name: `${from.id}-testimonials.csv`, mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.click("#import-go");
  await page.locator("#import-result:has-text('2 new reviews')").waitFor({ timeout: 60000 });
  const moved = (await (await fetch(`${EDGE}/v1/admin/brands/${to.id}/testimonials?status=approved`, { headers: { authorization: `Bearer ${to.key}` } })).json()).testimonials;
  const nora = moved.find((t) => t.author_name === "Nora");
  assert.equal(nora.body, "=SUM(A1) is how I rate it, seriously", "the export's leading ' is Kindred's, stripped once");
  assert.deepEqual(nora.tags, ["vegan"]);
  assert.equal(nora.imported_from, "kindred");
  assert.equal(moved.find((t) => t.author_name === "Omid").body, "خیلی راحت است و سبک 🏃");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a brand imports a spreadsheet of its own: the console shows where each part of a review is, waits for the columns a review needs, and reads the ones chosen", async () => {
  const brand = await createBrand("console-columns");
  const { context, page, errors } = await openConsole(shared.browser, brand);
  await page.locator("#import-form").waitFor();
  await page.selectOption("#import-source", "judge.me");
  const sheet = [
    "Sterne,Kommentar,Kunde,Produkt,تاريخ,Reviewer Email",
    '5,"Bequem und leicht, =super",Jonas,trail-runner,2024-03-01,jonas@example.com',
    "4,مريح جداً 🏃,ليلى,trail-runner,2024-04-02,layla@example.com",
  ].join("\r\n");
  await page.setInputFiles("#import-file", { name: "mein-shop.csv", mimeType: "text/csv", buffer: Buffer.from(sheet) });
  await page.locator("#import-columns:not([hidden])").waitFor();
  const field = (f) => page.locator(`#import-columns-list select[data-field="${f}"]`);
  // Found by Judge.me's own name, whatever its case and spaces.
  assert.equal(await field("email").locator("option").first().textContent(), "Usual: Reviewer Email");
  assert.equal(await field("rating").getAttribute("aria-invalid"), "true");
  assert.match(await page.textContent("#import-column-rating"), /needed/);
  // A title stands in for a text: the text is needed while neither has a column.
  assert.equal(await field("body").getAttribute("aria-invalid"), "true");
  await page.click("#import-go");
  await page.locator("#import-result:has-text('Nothing imported')").waitFor();
  assert.match(await page.textContent("#import-result"), /Rating \(1 to 5\) and Text and Reviewer's name/);
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.field), "rating");
  const api = async (path) => (await fetch(`${EDGE}/v1/admin/brands/${brand.id}${path}`, { headers: { authorization: `Bearer ${brand.key}` } })).json();
  assert.equal((await api("/imports")).imported["judge.me"] ?? 0, 0, "nothing sent");
  for (const [f, col] of [["rating", "Sterne"], ["body", "Kommentar"], ["name", "Kunde"], ["product", "Produkt"], ["date", "تاريخ"]]) await field(f).selectOption(col);
  assert.equal(await field("rating").getAttribute("aria-invalid"), "false");
  assert.equal(await page.textContent("#import-column-rating"), "e.g. 5");
  assert.equal(await page.textContent("#import-column-date"), "e.g. 2024-03-01");
  await page.click("#import-go");
  await page.locator("#import-result:has-text('Import done: 2 new reviews')").waitFor({ timeout: 60000 });
  const all = [...(await api("/testimonials?status=approved")).testimonials, ...(await api("/testimonials?status=pending")).testimonials];
  const jonas = all.find((t) => t.author_name === "Jonas");
  const layla = all.find((t) => t.author_name === "ليلى");
  assert.deepEqual([jonas.rating, jonas.body, jonas.product, jonas.author_email], [5, "Bequem und leicht, =super", "trail-runner", "jonas@example.com"]);
  assert.equal(new Date(jonas.created_at).toISOString().slice(0, 10), "2024-03-01");
  assert.deepEqual([layla.rating, layla.body], [4, "مريح جداً 🏃"]);
  assert.equal(new Date(layla.created_at).toISOString().slice(0, 10), "2024-04-02");
  // The file has no review ids: read through another column, every review
  // would come in again as new (helper-110). Asked first; dismissed, nothing sent.
  await field("title").selectOption("Kunde");
  let asked = "";
  page.once("dialog", (d) => { asked = d.message(); d.dismiss(); });
  await page.click("#import-go");
  await page.locator("#import-result:has-text('Nothing imported.')").waitFor();
  assert.match(asked, /no review ids/);
  assert.equal((await api("/imports")).imported["judge.me"], 2);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a shopper sees the widget and opens its form; the brand's Analytics tab charts it, as a table too, and downloads it as CSV", async () => {
  const brand = await createBrand("console-analytics");
  await publish(brand, testimonial("Ana", 5, { product: "sku-a" }));
  const shop = await openShop(shared.browser, widgetPage({ brand: brand.id, product: "sku-a" }));
  await waitState(shop.page, "ready");
  await inWidget(shop.page, ".kr-write-open").click();
  await inWidget(shop.page, "#kr-form").waitFor();
  assert.deepEqual(shop.errors, []);
  await shop.context.close();

  const { context, page, errors } = await openConsole(shared.browser, brand);
  await page.click("[data-tab=analytics]");
  await page.locator("#charts figure[data-chart=testimonial_funnel]").waitFor();
  // Browser events go through a queue (batched every few seconds).
  const deadline = Date.now() + 30000;
  for (;;) {
    const totals = await page.textContent("#charts figure[data-chart=testimonial_funnel] .totals");
    if (/Widget seen: 1 · Form opened: 1 · Submitted: 1 · Approved: 1/.test(totals)) break;
    assert.ok(Date.now() < deadline, `the funnel never showed the visit: ${totals}`);
    await new Promise((r) => setTimeout(r, 1000));
    await page.click("#analytics-form button[type=submit]");
  }
  assert.equal(await page.locator("#charts figure").count(), 5);
  assert.equal(await page.locator("#charts figure canvas[role=img]").count(), 5);
  assert.ok(await page.evaluate(() => !!window.Chart && document.querySelector("#charts figure[data-chart=testimonial_funnel] canvas").width > 0), "drawn");
  // The same numbers as a table: 30 days, today last.
  const rows = page.locator("#charts figure[data-chart=ratings] tbody tr");
  assert.equal(await rows.count(), 30);
  assert.match(await rows.last().textContent(), /1\s*0\s*0\s*0\s*0$/);
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#charts figure[data-chart=testimonial_funnel] button:has-text('Download CSV')")]);
  assert.match(download.suggestedFilename(), new RegExp(`^${brand.id}-testimonial_funnel-\\d{4}-\\d\\d-\\d\\d-\\d{4}-\\d\\d-\\d\\d\\.csv$`));
  const lines = readFileSync(await download.path(), "utf8").trimEnd().split("\r\n");
  assert.equal(lines[0], "\uFEFFday,Widget seen,Form opened,Submitted,Approved");
  assert.equal(lines.length, 31);
  assert.match(lines[30], /^\d{4}-\d\d-\d\d,1,1,1,1$/);
  // One product, and a range.
  await page.fill("#a-product", "sku-b");
  await page.click("#analytics-form button[type=submit]");
  await page.locator("#charts figure[data-chart=testimonial_funnel] .totals:has-text('Widget seen: 0')").waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("a held referral conversion is approved in the console: the referrer is rewarded, the hold leaves the list, and analytics count the purchase", async () => {
  const brand = await createBrand("console-held");
  await brand.configure({ referral: { landing_url: "https://shop.example/welcome", referee_offer: "15% off", velocity: { max_conversions_per_code_per_day: 1, max_claims_per_ip_per_hour: 100 } } });
  const admin = (method, path, body) => fetch(`${EDGE}/v1/admin/brands/${brand.id}${path}`, { method, headers: { authorization: `Bearer ${brand.key}`, "content-type": "application/json" }, body: body && JSON.stringify(body) });
  assert.equal((await admin("POST", "/coupons", { kind: "reward", codes: ["THANKS-1", "THANKS-2"] })).status, 201);
  const join = await fetch(`${EDGE}/v1/brands/${brand.id}/referrers`, { method: "POST", headers: { "x-kindred-member": "member-00000000000000000ana", "content-type": "application/json" }, body: JSON.stringify({ name: "Ana", email: "ana@example.com" }) });
  const { code } = await join.json();
  const buy = async (order, email) => (await admin("POST", "/conversions", { order_id: order, referee_email: email, amount_minor: 4200, currency: "EUR", code })).json();
  assert.equal((await buy("o-1", "f1@example.com")).status, "approved");
  const held = await buy("o-2", "f2@example.com");
  assert.equal(held.status, "held", JSON.stringify(held));

  const { context, page, errors } = await openConsole(shared.browser, brand);
  await page.click("[data-tab=referrals]");
  const row = page.locator(`#held li[data-id="${held.id}"]`);
  await row.waitFor();
  assert.match(await row.textContent(), new RegExp(`Order o-2 via ${code}`));
  await row.locator("button:has-text('Approve')").click();
  await page.locator("#status:has-text('Approve: done')").waitFor();
  await page.locator("#held li:has-text('Nothing held for review.')").waitFor();
  const after = await (await admin("GET", "/conversions")).json();
  const o2 = after.conversions.find((c) => c.order_id === "o-2");
  assert.equal(o2.status, "approved");
  // The referrer's reward for it, and the referred revenue in analytics.
  const me = await (await fetch(`${EDGE}/v1/brands/${brand.id}/referrers/me`, { headers: { "x-kindred-member": "member-00000000000000000ana" } })).json();
  assert.equal(me.stats.rewards.length, 2, JSON.stringify(me.stats));
  await page.click("[data-tab=analytics]");
  await page.locator("#charts figure[data-chart=referral_funnel] .totals:has-text('Purchased: 2')").waitFor();
  await page.locator("#charts figure[data-chart=revenue] .totals:has-text('EUR: 8,400')").waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("a brand replaces its admin key and webhook secret in the console: it keeps working, and the old key is refused", async () => {
  const brand = await createBrand("console-secrets");
  const settings = (key) => fetch(`${EDGE}/v1/admin/brands/${brand.id}`, { headers: { authorization: `Bearer ${key}` } });
  const { context, page, errors } = await openConsole(shared.browser, brand);
  await page.click("[data-tab=settings]");
  await page.waitForFunction(() => document.getElementById("settings").value.includes("accent"));
  const before = (await (await settings(brand.key)).json()).webhook_secret;
  page.once("dialog", (d) => d.accept());
  await page.click("[data-secret=admin_key]");
  await page.locator("#status:has-text('Replace the admin key: done.')").waitFor();
  const fresh = (await page.textContent("#secret-value")).match(/kr_sk_\S+/)?.[0];
  assert.ok(fresh, await page.textContent("#secret-value"));
  assert.equal((await settings(brand.key)).status, 401, "the old key is refused at once");
  assert.equal((await settings(fresh)).status, 200);
  // The console goes on with the new key: the next call works. An edit
  // typed into the settings before it stays.
  const edited = JSON.parse(await page.inputValue("#settings"));
  edited.name = "Secrets Renamed";
  await page.fill("#settings", JSON.stringify(edited, null, 2));
  page.once("dialog", (d) => d.accept());
  await page.click("[data-secret=webhook_secret]");
  await page.locator("#status:has-text('Replace the webhook secret: done.')").waitFor();
  const whsec = (await page.textContent("#secret-value")).match(/whsec_[0-9a-f]+/)?.[0];
  assert.ok(whsec && whsec !== before);
  assert.equal((await (await settings(fresh)).json()).webhook_secret, whsec);
  // The settings' ETag was read again (it moved with the secret): the
  // save goes through rather than being refused as stale.
  assert.match(await page.inputValue("#settings"), /Secrets Renamed/);
  await page.click("#save-settings");
  await page.locator("#status:has-text('Settings saved.')").waitFor();
  assert.equal((await (await settings(fresh)).json()).name, "Secrets Renamed");
  // On a schedule: the old identity secret works a day more, listed with
  // its time, until the brand stops it (every integration moved).
  await page.locator("#secret-overlaps li:has-text('No replaced secret works')").waitFor();
  await page.selectOption("#secret-overlap", "24");
  page.once("dialog", (d) => d.accept());
  await page.click("[data-secret=identity_secret]");
  await page.locator("#secret-overlaps li:has-text('The old identity secret works until')").waitFor();
  const secrets = async () => (await fetch(`${EDGE}/v1/admin/brands/${brand.id}/secrets`, { headers: { authorization: `Bearer ${fresh}` } })).json();
  assert.ok((await secrets()).identity_secret.previous_until > Date.now() + 23 * 3600e3);
  page.once("dialog", (d) => d.accept());
  await page.click("#secret-overlaps button:has-text('Stop the old identity secret now')");
  await page.locator("#status:has-text('The old identity secret stopped.')").waitFor();
  await page.locator("#secret-overlaps li:has-text('No replaced secret works')").waitFor();
  assert.equal((await secrets()).identity_secret.previous_until, null);
  assert.deepEqual(errors, []);
  await context.close();
});

test("the console refuses a file that is UTF-8 but for a stray byte, and reads one file's dates one way across its chunks", async () => {
  const brand = await createBrand("console-import-care");
  const { context, page, errors } = await openConsole(shared.browser, brand);
  await page.locator("#import-form").waitFor();
  await page.selectOption("#import-source", "judge.me");
  const header = "title,body,rating,review_date,reviewer_name,reviewer_email";
  // Persian and French text, and one byte 0x92 (a Windows quote) pasted in.
  const good = Buffer.from(`${header}\r\nCafé,مریم خیلی راضی است,5,2024-03-01,Maryam,m@example.com\r\nZoë,"Good`, "utf8");
  const mixed = Buffer.concat([good, Buffer.from([0x92]), Buffer.from(`s",4,2024-03-02,Zoë,z@example.com\r\n`, "utf8")]);
  await page.setInputFiles("#import-file", { name: "mixed.csv", mimeType: "text/csv", buffer: mixed });
  await page.click("#import-go");
  await page.locator("#import-result:has-text('Import stopped')").waitFor();
  assert.match(await page.textContent("#import-result"), /UTF-8 except for some bytes \(the first on line 3\)/);
  const api = async (path) => (await fetch(`${EDGE}/v1/admin/brands/${brand.id}${path}`, { headers: { authorization: `Bearer ${brand.key}` } })).json();
  assert.equal((await api("/testimonials?status=approved")).testimonials.length, 0, "nothing published misread");
  // Excel's "CSV" on Windows: Windows-1252, whose "é »" (E9 A0 BB) happens
  // to look like one UTF-8 sequence. Read as Windows-1252, and said so.
  const latin = Buffer.from(`${header}\r\nSuper,J'ai adoré\u00a0» et « le reste »,5,2024-03-01,Élodie,e@example.com\r\n`, "latin1");
  await page.setInputFiles("#import-file", { name: "excel.csv", mimeType: "text/csv", buffer: latin });
  await page.click("#import-go");
  await page.locator("#import-result:has-text('Import done: 1 new reviews')").waitFor();
  assert.match(await page.textContent("#import-result"), /read as Windows-1252/);
  const [elodie] = (await api("/testimonials?status=approved")).testimonials;
  assert.match(elodie.body, /^J'ai adoré\s» et « le reste »$/);
  assert.equal(elodie.author_name, "Élodie");
  // 250 rows, day first: the only telling date (13/03/2024) is in the second chunk.
  const rows = [];
  for (let i = 0; i < 250; i++) rows.push(`T${i},Review number ${i},5,${i === 240 ? "13/03/2024" : "01/03/2024"},Shopper ${i},s${i}@example.com`);
  await page.setInputFiles("#import-file", { name: "day-first.csv", mimeType: "text/csv", buffer: Buffer.from(`${header}\r\n${rows.join("\r\n")}\r\n`) });
  await page.click("#import-go");
  await page.locator("#import-result:has-text('Import done: 250 new reviews')").waitFor({ timeout: 60000 });
  const first = (await api("/testimonials?status=approved&q=Review%20number%200")).testimonials.find((t) => t.body === "Review number 0");
  assert.equal(new Date(first.created_at).toISOString().slice(0, 10), "2024-03-01", "1 March, as the whole file writes it");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a brand makes a proxy key in the console, shown once; the one it replaces works for a day, a deleted one is refused", async () => {
  const brand = await createBrand("console-proxy");
  // A shopper's read through the brand's proxy, with `key`.
  const viaProxy = (key) => fetch(`${EDGE}/v1/brands/${brand.id}/testimonials`, { headers: { "x-kindred-proxy-key": key, "x-kindred-client-ip": "203.0.113.40" } });
  const { context, page, errors } = await openConsole(shared.browser, brand);
  await page.click("[data-tab=settings]");
  await page.locator("#proxy-state:has-text('This brand has no proxy key.')").waitFor();
  assert.ok(await page.locator("#delete-proxy-key").isDisabled(), "nothing to delete");
  const make = async () => {
    page.once("dialog", (d) => d.accept());
    await page.click("#new-proxy-key");
    await page.locator("#status:has-text('New proxy key made.')").waitFor();
    const shown = await page.locator("#proxy-key").textContent();
    const key = shown.match(/kr_px_[0-9a-f]{64}/)?.[0];
    assert.ok(key, shown);
    await page.evaluate(() => { document.getElementById("status").textContent = ""; });
    return key;
  };
  const first = await make();
  await page.locator("#proxy-state:has-text('A proxy key is set')").waitFor();
  assert.equal((await viaProxy(first)).status, 200);
  // Cancelled: no new key (the first still the only one, still shown).
  page.once("dialog", (d) => d.dismiss());
  await page.click("#new-proxy-key");
  await page.waitForTimeout(300);
  assert.match(await page.locator("#proxy-key").textContent(), new RegExp(first));
  const state = await (await fetch(`${EDGE}/v1/admin/brands/${brand.id}/proxy-key`, { headers: { authorization: `Bearer ${brand.key}` } })).json();
  assert.equal(state.previous_until, null, "a cancelled confirmation made a key");
  const second = await make();
  assert.notEqual(second, first);
  await page.locator("#proxy-state:has-text('The key it replaced still works until')").waitFor();
  assert.equal((await viaProxy(first)).status, 200, "the replaced key, within its day");
  assert.equal((await viaProxy(second)).status, 200);
  page.once("dialog", (d) => d.accept());
  await page.click("#delete-proxy-key");
  await page.locator("#status:has-text('Proxy key deleted.')").waitFor();
  await page.locator("#proxy-state:has-text('This brand has no proxy key.')").waitFor();
  assert.equal(await page.locator("#proxy-key").textContent(), "", "a deleted key stays on screen");
  assert.equal((await viaProxy(second)).status, 403, "the deleted key still works");
  assert.equal((await viaProxy(first)).status, 403, "the key it replaced still works after the delete");
  assert.deepEqual(errors, []);
  await context.close();
});
