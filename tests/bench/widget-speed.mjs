// Widget speed in headless Chromium, cold cache, on localhost: N runs of a
// demo product page with the widget and N without it (embed.js answered with
// an empty script), interleaved. Prints one JSON object on stdout.
//   node tests/bench/widget-speed.mjs SITE_URL PATH RUNS [ISSO_PATH [ISSO_COMMENTS]]
// With ISSO_PATH (the peer's page, tests/bench/isso/product.html as the
// bench's site serves it), each round also loads that page once, in the same
// browser with the same context options and a cold cache, and the output
// gains an `isso` array; ISSO_COMMENTS is how many comments its thread holds
// (20). PATH "-" runs the peer alone (to check it without the widget built).
// With KINDRED_ONE_REQUEST=1, each round also loads PATH?kindred=one-request
// (the same page, its tag the one that brings the first paint with the
// loader: xtask/src/site.rs `with_one_request_tag`), and the output gains a
// `one_request` array shaped as `with_widget`.
import { chromium } from "playwright-core";

const [site, path, runsArg, issoPath, issoCommentsArg] = process.argv.slice(2);
const runs = Number(runsArg || 15);
const issoComments = Number(issoCommentsArg || 20);
const ours = path !== "-";
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

// A new context has an empty HTTP cache: every run is a first visit.
async function coldContext() {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  await context.addInitScript((SIGNAL) => {
    const perf = { cls: 0, longtasks: [], longtaskStarts: [] };
    Object.defineProperty(window, "__benchPerf", { value: perf });
    new PerformanceObserver((l) => { for (const e of l.getEntries()) if (!e.hadRecentInput) perf.cls += e.value; }).observe({ type: "layout-shift", buffered: true });
    new PerformanceObserver((l) => { for (const e of l.getEntries()) { perf.longtasks.push(e.duration); perf.longtaskStarts.push(e.startTime); } }).observe({ type: "longtask", buffered: true });
    // Each of the loader's marks is told to the bench as a console line
    // (`signal`), so waiting for one evaluates nothing in the page.
    new PerformanceObserver((l) => { for (const e of l.getEntries()) if (e.name.startsWith("kindred:")) console.debug(SIGNAL + e.name); }).observe({ type: "mark" });
  }, SIGNAL);
  return context;
}

// What the page tells the bench (console lines from the init scripts).
// Waiting with Playwright's `waitForFunction` would inject its utility script
// into the page while it loads: a 15 ms task that landed between the first
// paint's data and its paint (after the load event, as the data is on its
// way), charged to whichever page was still painting, ours or Isso's.
const SIGNAL = "__kindred_bench:";
/** Resolves when the page logs `SIGNAL + what`; call it before the
 * navigation, so a signal sent before the load event is not missed. */
function signal(page, what) {
  return page.waitForEvent("console", { predicate: (m) => m.text() === SIGNAL + what, timeout: 30000 });
}

// Bytes received (headers and encoded body) for every request to another
// origin than the site's, by resource type, from the browser's network
// events: resource timing reports 0 for cross-origin responses sent without
// Timing-Allow-Origin (neither our edge nor Isso sends it).
function thirdPartyBytes(page) {
  const sizes = [];
  page.on("requestfinished", (req) => {
    if (new URL(req.url()).origin === new URL(site).origin || req.url().startsWith("data:")) return;
    sizes.push(req.sizes().then((s) => ({ url: req.url(), type: req.resourceType(), bytes: s.responseHeadersSize + s.responseBodySize })).catch(() => null));
  });
  // `before`: only the URLs in this list (e.g. what was asked for before a mark).
  return async (before) => {
    const all = (await Promise.all(sizes)).filter(Boolean).filter((s) => !before || before.includes(s.url));
    const of = (types) => all.filter((s) => !types || types.includes(s.type)).reduce((n, s) => n + s.bytes, 0);
    return { total: of(null), js: of(["script"]), css: of(["stylesheet"]), api: of(["xhr", "fetch"]), requests: all.length, wasm: all.filter((s) => /\.wasm$/.test(s.url)).length };
  };
}

async function once(withWidget, pagePath = path) {
  const context = await coldContext();
  const page = await context.newPage();
  const net = thirdPartyBytes(page);
  if (!withWidget) await page.route("**/embed.js", (r) => r.fulfill({ status: 200, contentType: "text/javascript", body: "" }));
  const painted = withWidget ? signal(page, "kindred:painted") : null;
  const interactive = withWidget ? signal(page, "kindred:interactive") : null;
  await page.goto(site + pagePath, { waitUntil: "load" });
  if (withWidget) {
    // A stranger's widget goes live on their first touch (embed.js
    // `demand`): the shopper's pointer over it once it is painted.
    await painted;
    await page.hover(".kindred-widget");
    await interactive;
  }
  await page.waitForTimeout(600); // late layout shifts and long tasks
  const r = await page.evaluate(() => {
    const at = (n) => performance.getEntriesByName("kindred:" + n)[0]?.startTime ?? null;
    const bytes = performance.getEntriesByType("resource").filter((e) => /embed\.js|\/assets\/|\/v1\/(widget|embed)\//.test(e.name)).reduce((s, e) => s + e.transferSize, 0);
    return {
      loaderStart: at("loader-start"),
      dataReady: at("data-ready"),
      wasmReady: at("wasm-ready"),
      painted: at("painted"),
      interactive: at("interactive"),
      cls: window.__benchPerf.cls,
      longtasks: window.__benchPerf.longtasks,
      longtaskStarts: window.__benchPerf.longtaskStarts,
      transfer: bytes,
    };
  });
  if (withWidget) {
    r.networkBytes = (await net()).total;
    // What the browser asked for before the first testimonial was painted
    // (bytes as served here: gzip over plain http), and how many of those
    // requests were wasm (the target: none).
    const early = await page.evaluate(() => {
      const t = performance.getEntriesByName("kindred:painted")[0]?.startTime ?? Infinity;
      return performance.getEntriesByType("resource").filter((e) => e.startTime < t).map((e) => e.name);
    });
    const b = await net(early);
    r.bytesBeforePaint = b.total;
    r.requestsBeforePaint = b.requests;
    r.wasmBeforePaint = b.wasm;
  }
  await context.close();
  return r;
}

// Full interactivity after a click: the shopper clicks "Write a review" on
// the first paint as soon as it is on screen (the live widget not yet
// asked for: a stranger's waits for their touch); measured from the click
// to the review form on screen with its first field focusable (main wasm,
// glue and the form's chunk included). The click is the element's own
// (`click()`): no pointer moves over the widget before it, so nothing
// starts early.
async function onceClick() {
  const context = await coldContext();
  const page = await context.newPage();
  const painted = signal(page, "kindred:painted");
  await page.goto(site + path, { waitUntil: "load" });
  await painted;
  // The click lands on the first paint (a stranger's widget does not go
  // live untouched; `wasLive` would say if it had).
  const { wasmAsked, wasLive } = await page.evaluate(() => {
    const host = document.querySelector(".kindred-widget");
    const wasmAsked = performance.getEntriesByType("resource").some((e) => /\.wasm$/.test(e.name));
    const wasLive = host.getAttribute("data-kindred-state") === "ready";
    window.__benchClick = performance.now();
    host.shadowRoot.querySelector(".kr-write-open").click();
    return { wasmAsked, wasLive };
  });
  await page.waitForFunction(() => {
    const root = document.querySelector(".kindred-widget").shadowRoot;
    const field = root.querySelector("form#kr-form input, form#kr-form textarea");
    if (!field || field.getBoundingClientRect().height === 0) return false;
    if (window.__benchReady == null) requestAnimationFrame(() => { window.__benchReady = window.__benchReady ?? performance.now(); });
    return window.__benchReady != null;
  }, null, { timeout: 30000, polling: "raf" });
  const ms = await page.evaluate(() => window.__benchReady - window.__benchClick);
  await context.close();
  return { clickToForm: ms, wasmAskedBeforeClick: wasmAsked, liveBeforeClick: wasLive };
}

// The peer: Isso's embed on the same product page. `seen[n-1]` is when the
// n-th comment was first on screen, taken as our loader takes
// `kindred:painted`: once the frame after the DOM holds it has laid it
// out, before that frame paints (ours in a ResizeObserver callback; here
// the animation frame forces the layout: the same work, the same moment).
// A comment is `.isso-comment` with its id (`isso-<n>`): the comment form
// holds an empty, hidden `.isso-comment` for its preview, inserted before
// any comment.
const ISSO_COMMENT = '#isso-thread .isso-comment[id^="isso-"]';
async function onceIsso() {
  const context = await coldContext();
  await context.addInitScript(([selector, want, SIGNAL]) => {
    const seen = [];
    Object.defineProperty(window, "__benchIsso", { value: { seen } });
    let count = 0;
    new MutationObserver(() => {
      const n = document.querySelectorAll(selector).length;
      if (n <= count) return;
      const from = count;
      count = n;
      requestAnimationFrame(() => {
        document.documentElement.getBoundingClientRect();
        const t = performance.now();
        for (let i = from; i < n; i++) if (seen[i] == null) seen[i] = t;
        if (from < want && n >= want) console.debug(SIGNAL + "isso:all");
      });
    }).observe(document, { childList: true, subtree: true });
  }, [ISSO_COMMENT, issoComments, SIGNAL]);
  const page = await context.newPage();
  const net = thirdPartyBytes(page);
  const all = signal(page, "isso:all");
  await page.goto(site + issoPath, { waitUntil: "load" });
  await all;
  await page.waitForTimeout(600); // late layout shifts and long tasks
  const r = await page.evaluate((selector) => {
    const comments = [...document.querySelectorAll(selector)];
    return {
      seen: window.__benchIsso.seen,
      comments: comments.length,
      // On screen with a box and the text seeded (not an empty shell).
      visible: comments.filter((c) => c.getBoundingClientRect().height > 0 && c.querySelector(".isso-text")?.textContent.trim()).length,
      cls: window.__benchPerf.cls,
      longtasks: window.__benchPerf.longtasks,
      longtaskStarts: window.__benchPerf.longtaskStarts,
    };
  }, ISSO_COMMENT);
  const n = await net();
  await context.close();
  const s = r.seen;
  return {
    firstComment: s[0] ?? null,
    allComments: s[issoComments - 1] ?? null,
    seen: s,
    comments: r.comments,
    visible: r.visible,
    cls: r.cls,
    longtasks: r.longtasks,
    longtaskStarts: r.longtaskStarts,
    transfer: n.total,
    transferJs: n.js,
    transferCss: n.css,
    transferApi: n.api,
    requests: n.requests,
  };
}

const oneRequest = process.env.KINDRED_ONE_REQUEST === "1" && ours;
const onePath = path + (path.includes("?") ? "&" : "?") + "kindred=one-request";
const withOne = [];
const withW = [];
const without = [];
const isso = [];
const clicks = [];
// A warm-up round (compiles the worker's first requests, Isso's templates),
// not recorded.
if (ours) {
  await once(true);
  await once(false);
  if (oneRequest) await once(true, onePath);
}
if (issoPath) await onceIsso();
// Interleaved: each round loads every page once, so all see the same
// machine state.
for (let i = 0; i < runs; i++) {
  if (ours) {
    withW.push(await once(true));
    without.push(await once(false));
    if (oneRequest) withOne.push(await once(true, onePath));
    // One failed click run is reported, not fatal to the others.
    clicks.push(await onceClick().catch((e) => ({ clickToForm: null, error: String(e).slice(0, 200) })));
  }
  if (issoPath) isso.push(await onceIsso());
}
await browser.close();
const out = { runs, with_widget: withW, without_widget: without, click_to_form: clicks };
if (oneRequest) out.one_request = withOne;
if (issoPath) out.isso = isso;
console.log(JSON.stringify(out));
