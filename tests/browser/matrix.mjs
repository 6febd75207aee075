// The host-page matrix: pages shaped like real storefronts, opened the way a
// shopper opens them, and what the widget must hold on each. Used by the
// browser suite (host-matrix.test.mjs) and by `cargo xtask bench`
// (tests/bench/cls-matrix.mjs), which reports CLS per page and viewport.
import { SITE, open, waitState } from "./lib.mjs";

/** Viewports of the CLS target: a phone, a laptop, a tall desktop window. */
export const VIEWPORTS = [
  { width: 360, height: 740 },
  { width: 1280, height: 720 },
  { width: 1000, height: 1400 },
];

/**
 * Each page: `path` on the test site; `reserves`: the page reserves the
 * documented first-view height (600px, or its data-first-view) where the
 * widget goes; `state`: what every widget ends in; `products`: the skus
 * whose Product JSON-LD the page should carry, once each; `dir`: the UI's
 * direction; `pageGlobals`: names the page's own scripts add to window;
 * `edgeDown`: the edge stops answering once the loader has arrived.
 */
export const MATRIX = [
  { name: "demo product page", path: "/products/trail-runner-2.html", reserves: true, products: ["trail-runner-2"] },
  { name: "hostile theme CSS", path: "/__test/hostile-css.html", reserves: true, products: ["trail-runner-2"] },
  { name: "RTL page (ar)", path: "/__test/rtl.html?brand=acme&product=trail-runner-2", reserves: true, products: ["trail-runner-2"], dir: "rtl", pageGlobals: ["p", "s"] },
  // JSON-LD needs the policy "kindred", which this page does not allow.
  { name: "Trusted Types CSP", path: "/__test/trusted-types.html", reserves: true, products: [] },
  { name: "strict CSP, no wasm (frame)", path: "/__test/csp.html", reserves: true, state: "framed", products: [] },
  { name: "tag in <head>, late target", path: "/__test/late-target.html", reserves: true, products: ["trail-runner-2"] },
  { name: "single-page shop", path: "/__test/spa.html?mode=command", reserves: true, products: ["trail-runner-2"], pageGlobals: ["p", "s", "show", "retag", "Kindred"] },
  { name: "two products and a brand widget", path: "/__test/two-widgets.html", reserves: true, widgets: 3, products: ["trail-runner-2", "yoga-mat-pro"] },
  // The page's own Product has an @id: ratings go onto it, no Product of ours.
  { name: "extended built-ins, own Kindred, fetch wrapper, <base>", path: "/__test/hostile-globals.html", reserves: true, products: ["trail-runner-2"], pageGlobals: ["globalsBefore", "fetchCalls", "realFetch", "Kindred"] },
  { name: "edge down", path: "/__test/widget.html?brand=acme&product=trail-runner-2&reserve=1", reserves: true, state: "failed", edgeDown: true, products: [], pageGlobals: ["p", "s"] },
  { name: "no space reserved", path: "/__test/widget.html?brand=acme&product=trail-runner-2", reserves: false, products: ["trail-runner-2"], pageGlobals: ["p", "s"] },
  // A theme's flex row and CSS grid: a widget must never widen its column.
  { name: "grid and flex theme layouts", path: "/__test/theme-layouts.html", reserves: true, widgets: 3, products: ["trail-runner-2", "yoga-mat-pro"] },
  // The tag that brings the first paint with the loader (GET /v1/embed/acme).
  { name: "one-request tag", path: "/__test/widget.html?brand=acme&product=trail-runner-2&locale=en&one-request=1&reserve=1", reserves: true, products: ["trail-runner-2"], pageGlobals: ["p", "s"] },
];

/** Before any page script: layout shifts (CLS as Chrome counts it: shifts
 * without recent input), unhandled rejections, and the window's names. */
function instrument() {
  window.__kindredProbe = { cls: 0, shifts: [], rejections: [], names: Object.getOwnPropertyNames(window) };
  const probe = window.__kindredProbe;
  addEventListener("unhandledrejection", (e) => probe.rejections.push(String(e.reason)));
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (e.hadRecentInput) continue;
      probe.cls += e.value;
      probe.shifts.push({ value: e.value, at: Math.round(e.startTime), sources: (e.sources || []).map((s) => (s.node ? s.node.nodeName + (s.node.className ? "." + s.node.className : "") : "?")) });
    }
  }).observe({ type: "layout-shift", buffered: true });
}

/** Opens one matrix page at one viewport, waits until every widget has
 * settled, and answers what it saw. The caller closes `context`. */
export async function visit(browser, entry, viewport) {
  const context = await browser.newContext({ viewport });
  await context.addInitScript(instrument);
  const route = entry.edgeDown
    ? (p) => p.route(/\/v1\/|\/assets\//, (r) => (new URL(r.request().url()).origin === SITE ? r.continue() : r.abort("connectionrefused")))
    : undefined;
  const opened = await open(browser, entry.path, { context, route });
  const { page } = opened;
  const want = entry.state || "ready";
  const widgets = entry.widgets || 1;
  // The shopper scrolls to each widget in turn and puts the pointer over it
  // (waitState): the live widget loads and goes live there without a shift.
  if (want === "ready") {
    for (let i = 0; i < widgets; i++) await waitState(page, "ready", i);
  }
  await page.waitForFunction(
    ([want, n]) => {
      const hosts = [...document.querySelectorAll(".kindred-widget")];
      return hosts.length === n && hosts.every((h) => h.getAttribute("data-kindred-state") === want);
    },
    [want, widgets],
    { timeout: 20000 },
  );
  // Photos, the lazily loaded parts, a framed
  // widget's height message: give them time to move things if they would.
  await page.waitForTimeout(1200);
  const seen = await page.evaluate((pageGlobals) => {
    const probe = window.__kindredProbe;
    const hosts = [...document.querySelectorAll(".kindred-widget")];
    const style = (root, sel) => {
      const el = root && root.querySelector(sel);
      if (!el) return null;
      const s = getComputedStyle(el);
      return { fontSize: s.fontSize, color: s.color, direction: s.direction, dir: el.getAttribute("dir") };
    };
    const ld = [...document.querySelectorAll('script[type="application/ld+json"]')].map((s) => JSON.parse(s.textContent));
    const before = new Set(probe.names);
    // How far the page scrolls sideways (0: not at all), with its widgets
    // and without them (hidden for the measure: some pages do by themselves).
    const sideways = () => document.documentElement.scrollWidth - window.innerWidth;
    const overflow = sideways();
    hosts.forEach((h) => (h.hidden = true));
    const overflowWithout = sideways();
    hosts.forEach((h) => (h.hidden = false));
    return {
      overflow,
      overflowWithout,
      cls: probe.cls,
      shifts: probe.shifts,
      rejections: probe.rejections,
      added: Object.getOwnPropertyNames(window).filter((n) => !before.has(n) && n !== "__kindredProbe" && !pageGlobals.includes(n)),
      products: ld.filter((d) => [].concat(d["@type"]).includes("Product")).map((d) => d.sku),
      rated: ld.filter((d) => d.aggregateRating).length,
      widgets: hosts.map((h) => ({
        lang: h.getAttribute("lang"),
        dir: h.getAttribute("dir"),
        visible: h.getBoundingClientRect().height > 0,
        // Boxes with inline-size containment (widget.css) that came out 0
        // wide in a box that is not: sized by their content, contained,
        // they show nothing. (A page may give the widget no room at all:
        // the hostile theme's margins leave it 0px at 360px.)
        collapsed: h.shadowRoot ? [...h.shadowRoot.querySelectorAll("*")].filter((el) => /size/.test(getComputedStyle(el).contain) && el.getClientRects().length && el.clientWidth === 0 && el.parentElement && el.parentElement.clientWidth > 0).map((el) => el.className) : [],
        // The brand's colour, set through the CSSOM (a CSP may refuse style attributes).
        accent: h.shadowRoot && h.shadowRoot.querySelector("section.kr") ? getComputedStyle(h.shadowRoot.querySelector("section.kr")).getPropertyValue("--kr-brand-accent").trim() : null,
        // Wider than the box it was put in (its parent's content box).
        widens: h.parentElement ? Math.round(h.getBoundingClientRect().width - h.parentElement.clientWidth + parseFloat(getComputedStyle(h.parentElement).paddingLeft) + parseFloat(getComputedStyle(h.parentElement).paddingRight)) : 0,
        title: style(h.shadowRoot, ".kr-title"),
        body: style(h.shadowRoot, ".kr-body"),
      })),
    };
  }, entry.pageGlobals || []);
  return { ...opened, seen };
}
