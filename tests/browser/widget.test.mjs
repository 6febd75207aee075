// Browser end-to-end: real Chromium loads demo-site pages (one origin) that
// embed the widget from the real local edge (another origin).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { EDGE, SITE, useBrowser, open as openIn, waitState, inWidget } from "./lib.mjs";

const shared = useBrowser(before, after);

const open = (path, opts) => openIn(shared.browser, path, opts);

test("a product page shows the widget in a shadow root with the seeded data from the edge", async () => {
  const { page, context, errors, consoleErrors, warnings, requests } = await open("/products/trail-runner-2.html");
  await waitState(page, "ready");
  const info = await page.evaluate(() => {
    const host = document.querySelector(".kindred-widget");
    const root = host.shadowRoot;
    return {
      shadow: !!root,
      cards: root.querySelectorAll(".kr-card").length,
      text: root.textContent,
      lightDomCards: document.querySelectorAll(".kr-card").length,
      h2Transform: getComputedStyle(root.querySelector("h2")).textTransform,
      h2Color: getComputedStyle(root.querySelector("h2")).color,
    };
  });
  assert.equal(info.shadow, true);
  assert.equal(info.cards, 4, "the four approved Trail Runner 2 testimonials");
  assert.match(info.text, /Grippy on wet rock/);
  assert.match(info.text, /Ana R\./);
  assert.match(info.text, /Verified buyer/);
  assert.match(info.text, /4\.3/);
  assert.doesNotMatch(info.text, /Pending Pete/);
  assert.equal(info.lightDomCards, 0, "widget markup stays in the shadow root");
  assert.equal(info.h2Transform, "none", "the host's h2 { text-transform } leaked in");
  assert.notEqual(info.h2Color, "rgb(220, 20, 60)", "the host's h2 { color: crimson } leaked in");
  const dataRequest = requests.find((u) => u.includes("/v1/widget/acme"));
  assert.ok(dataRequest?.startsWith(EDGE), `data came from the edge origin: ${dataRequest}`);
  assert.notEqual(new URL(EDGE).origin, new URL(SITE).origin);
  assert.deepEqual(errors, []);
  await page.waitForTimeout(300);
  assert.deepEqual(consoleErrors, [], "a normal page view prints no console errors");
  assert.deepEqual(warnings.filter((w) => w.includes("kindred")), []);
  await context.close();
});

test("space is reserved and a skeleton shows while data loads", async () => {
  let release;
  const gate = new Promise((r) => (release = r));
  const { page, context } = await open("/products/plant-protein.html", {
    route: (p) => p.route("**/v1/widget/**", async (r) => { await gate; await r.continue(); }),
  });
  await page.waitForFunction(() => document.querySelector(".kindred-widget")?.shadowRoot?.querySelector(".kr-skeleton"));
  const reserved = await page.evaluate(() => document.querySelector(".kindred-widget").getBoundingClientRect().height);
  assert.ok(reserved >= 400, `reserved ${reserved}px`);
  release();
  await waitState(page, "ready");
  const after = await page.evaluate(() => ({
    skeleton: !!document.querySelector(".kindred-widget").shadowRoot.querySelector(".kr-skeleton"),
    cards: document.querySelector(".kindred-widget").shadowRoot.querySelectorAll(".kr-card").length,
  }));
  assert.equal(after.skeleton, false);
  assert.equal(after.cards, 2);
  await context.close();
});

test("two tags on one page give two widgets sharing one wasm instance", async () => {
  const { page, context, requests, errors } = await open("/bundle.html");
  await waitState(page, "ready", 0);
  await waitState(page, "ready", 1);
  const texts = await page.evaluate(() =>
    [...document.querySelectorAll(".kindred-widget")].map((h) => h.shadowRoot.textContent),
  );
  assert.equal(texts.length, 2);
  assert.match(texts[0], /Grippy on wet rock/);
  assert.match(texts[1], /Blends smooth, no chalk/);
  assert.doesNotMatch(texts[1], /Grippy on wet rock/);
  assert.equal(requests.filter((u) => u.endsWith(".wasm")).length, 1, "one wasm (the main module, no chunk), fetched once");
  assert.equal(requests.filter((u) => /\/assets\/[0-9a-f]+\/kindred\.js$/.test(u)).length, 1, "glue fetched once");
  assert.equal(requests.filter((u) => u.includes("/v1/widget/")).length, 2, "one data request per widget");
  // Each style sheet parsed once for the page, adopted by both.
  const sheets = await page.evaluate(() => {
    const [a, b] = [...document.querySelectorAll(".kindred-widget")].map((h) => h.shadowRoot.adoptedStyleSheets);
    return { counts: [a.length, b.length], shared: a.every((s, i) => s === b[i]) };
  });
  assert.deepEqual(sheets, { counts: [2, 2], shared: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test("a first visit fetches no chunk; the form's chunk loads on click, and a chunk that fails to load can be retried", async () => {
  let fail = true;
  const { page, context, requests, errors, consoleErrors, warnings } = await open("/products/trail-runner-2.html", {
    // The form's module, alone or in its pack (a hand on the opener asks
    // for the pack ahead of the click).
    route: (p) => p.route(/\/assets\/.*\/(split|part)_form\.wasm$/, (r) => (fail ? r.abort("connectionrefused") : r.continue())),
  });
  await waitState(page, "ready");
  await page.waitForTimeout(300);
  const chunks = () => requests.filter((u) => /\/(split_[a-z]+|chunk_\d+)\.wasm$/.test(u));
  assert.deepEqual(chunks(), [], "reading reviews needs no chunk");

  await inWidget(page, "button.kr-write-open").click();
  const problem = inWidget(page, ".kr-load-err");
  await problem.waitFor();
  assert.match(await problem.textContent(), /Could not load/);
  assert.equal(await inWidget(page, ".kr-card").count(), 4, "the rest of the widget still works");
  assert.equal(await page.locator("button.buy").isVisible(), true, "the host page still works");
  assert.equal(warnings.filter((w) => w.includes("[kindred] could not load part of the widget")).length, 1, JSON.stringify(warnings));
  assert.deepEqual(consoleErrors.filter((e) => !/ERR_CONNECTION_REFUSED|Failed to load resource/.test(e)), [], "no errors of ours in the host's console");

  fail = false;
  await inWidget(page, "button.kr-write-open").click();
  await inWidget(page, "#kr-name").waitFor();
  await page.waitForFunction(() => document.querySelector(".kindred-widget").shadowRoot.activeElement?.id === "kr-name");
  assert.ok(chunks().some((u) => u.endsWith("/split_form.wasm")), "the form's chunk was fetched on demand");
  assert.ok(!chunks().some((u) => /split_(community|referral)/.test(u)), "and only the form's");
  assert.equal(await inWidget(page, ".kr-load-err").count(), 0, "the error went away");
  assert.deepEqual(errors, []);
  await context.close();
});

test("the brand-wide widget on the home page shows every approved testimonial", async () => {
  const { page, context } = await open("/");
  await waitState(page, "ready");
  const cards = await page.locator(".kr-card").count();
  assert.equal(cards, 8);
  await context.close();
});

for (const [name, route] of [
  ["answers 503", (p) => p.route("**/v1/widget/**", (r) => r.fulfill({ status: 503, contentType: "application/json", body: '{"error":{"code":"unavailable","message":"x"}}' }))],
  ["is unreachable", (p) => p.route("**/v1/widget/**", (r) => r.abort("connectionrefused"))],
]) {
  test(`when the edge ${name}, the slot collapses with one warning and nothing is thrown`, async () => {
    const { page, context, warnings, errors } = await open("/products/yoga-mat-pro.html", { route });
    await waitState(page, "failed");
    const display = await page.evaluate(() => getComputedStyle(document.querySelector(".kindred-widget")).display);
    assert.equal(display, "none");
    const height = await page.evaluate(() => document.querySelector(".kindred-widget").getBoundingClientRect().height);
    assert.equal(height, 0);
    const ours = warnings.filter((w) => w.includes("[kindred]"));
    assert.equal(ours.length, 1, `warnings: ${JSON.stringify(warnings)}`);
    assert.deepEqual(errors, []);
    assert.equal(await page.locator("button.buy").isVisible(), true, "the host page still works");
    await context.close();
  });
}

test("an unknown brand (a real 404 from the edge) collapses quietly", async () => {
  const { page, context, warnings, errors } = await open("/__test/unknown-brand.html");
  await waitState(page, "failed");
  assert.equal(warnings.filter((w) => w.includes("[kindred]")).length, 1);
  assert.match(warnings.find((w) => w.includes("[kindred]")), /404/);
  assert.deepEqual(errors, []);
  assert.equal(await page.evaluate(() => window.hostStillWorks), true);
  await context.close();
});

test("a brand that does not allow this origin cannot be read (CORS), and collapses", async () => {
  const { page, context, errors } = await open("/__test/other-brand.html");
  await waitState(page, "failed");
  assert.deepEqual(errors, []);
  await context.close();
});

test("the host page's globals and styles are untouched", async () => {
  const { page, context } = await open("/__test/globals.html");
  await waitState(page, "ready");
  const added = await page.evaluate(() => {
    const before = new Set(window.globalsBefore);
    return Object.getOwnPropertyNames(window).filter((n) => !before.has(n) && n !== "globalsBefore");
  });
  assert.deepEqual(added, [], "the widget added globals to the host page");
  const padding = await page.evaluate(() => getComputedStyle(document.querySelector(".kindred-widget").shadowRoot.querySelector(".kr")).paddingTop);
  assert.notEqual(padding, "13px", "host div rule leaked into the shadow root");
  await context.close();
});

test("another site cannot frame the brand's widget (frame-ancestors)", async () => {
  // The same test page on another origin of this machine, not on acme's list.
  const u = new URL(SITE);
  u.hostname = u.hostname === "localhost" ? "127.0.0.1" : "localhost";
  const context = await shared.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${u.origin}/__test/csp.html`);
  await waitState(page, "framed");
  const frame = page.frameLocator(".kindred-widget >> iframe");
  await page.waitForTimeout(3000);
  assert.equal(await frame.locator(".kindred-widget").count(), 0, "the edge's frame rendered inside a site the brand does not allow");
  await context.close();
});

test("a host whose CSP blocks WebAssembly gets the widget in a frame from the edge", async () => {
  // The view events the frame sends (it names the embedding page).
  const views = [];
  const { page, context, errors, warnings } = await open("/__test/csp.html", {
    route: (p) => p.on("response", (r) => {
      if (/\/v1\/brands\/acme\/events$/.test(r.url())) views.push(r.status());
    }),
  });
  await waitState(page, "framed");
  const frameEl = page.locator(".kindred-widget >> iframe");
  assert.ok((await frameEl.getAttribute("src")).startsWith(`${EDGE}/frame/acme?`));
  const frame = page.frameLocator(".kindred-widget >> iframe");
  // In the frame too the live widget loads on the shopper's first touch.
  await frame.locator(".kindred-widget >> .kr-card >> nth=0").hover();
  await frame.locator(".kindred-widget[data-kindred-state=ready]").waitFor();
  assert.equal(await frame.locator(".kr-card").count(), 4);
  // A write from the frame counts as the embedding page's (an allowed origin).
  const vote = frame.locator(".kindred-widget >> .kr-helpful").first();
  await vote.click();
  await frame.locator(".kindred-widget >> .kr-helpful[aria-pressed=true]").first().waitFor();
  assert.equal(await frame.locator(".kindred-widget >> .kr-vote-error").first().textContent(), "");
  // The frame reported its height and the host sized it to fit.
  await page.waitForFunction(() => {
    const f = document.querySelector(".kindred-widget").shadowRoot.querySelector("iframe");
    return parseInt(f.style.height, 10) > 500;
  });
  // The framed widget's view is counted as the embedding page's.
  for (let i = 0; i < 50 && views.length === 0; i++) await page.waitForTimeout(100);
  assert.deepEqual(views, [202], "one view event, accepted");
  assert.deepEqual(errors, []);
  assert.equal(warnings.filter((w) => w.includes("[kindred]")).length, 0);
  await context.close();
});
