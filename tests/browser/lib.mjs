// Shared helpers for the browser tests: a real Chromium, the live edge
// (KINDRED_EDGE_URL) and the demo site on another origin (KINDRED_SITE_URL),
// both started by `cargo xtask test`.
import { chromium } from "playwright-core";

export const EDGE = process.env.KINDRED_EDGE_URL;
export const SITE = process.env.KINDRED_SITE_URL;
if (!EDGE || !SITE) throw new Error("run through `cargo xtask test` (KINDRED_EDGE_URL / KINDRED_SITE_URL unset)");

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** A locator inside the (first) widget's shadow root. */
export const inWidget = (page, selector) => page.locator(`.kindred-widget >> ${selector}`);

/** One Chromium for a test file: `const b = useBrowser(before, after)`, then `b.browser`. */
export function useBrowser(before, after) {
  const holder = { browser: null };
  before(async () => {
    holder.browser = await launch();
  });
  after(async () => {
    await holder.browser?.close();
  });
  return holder;
}

/** Opens `path` on the demo site in a fresh context, recording console and page errors. */
export async function open(browser, path, { route, viewport, context: existing } = {}) {
  // `existing` lets a test give a shopper their own browser profile.
  const context = existing ?? (await browser.newContext(viewport ? { viewport } : {}));
  const page = await context.newPage();
  const warnings = [];
  const errors = [];
  const consoleErrors = [];
  const requests = [];
  page.on("console", (m) => {
    if (m.type() === "warning") warnings.push(m.text());
    if (m.type() === "error") consoleErrors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e));
  page.on("request", (r) => requests.push(r.url()));
  if (route) await route(page);
  await page.goto(SITE + path);
  return { page, context, warnings, errors, consoleErrors, requests };
}

/** Waits until the i-th widget's state is `want`. Waiting for "ready", it
 * scrolls to the widget and puts the pointer over it, as a shopper would:
 * the live widget loads on the shopper's first touch (or, for a shopper it
 * has something for, at idle near the viewport: embed.js `demand`; pass
 * `{ untouched: true }` to check that it does so without the pointer). */
export async function waitState(page, want, i = 0, { untouched = false } = {}) {
  await page.waitForFunction(
    ([i, want, untouched]) => {
      const host = document.querySelectorAll(".kindred-widget")[i];
      const state = host?.getAttribute("data-kindred-state");
      if (host && want === "ready" && !state) {
        host.scrollIntoView({ block: "nearest" });
        if (!untouched) host.shadowRoot?.firstElementChild?.dispatchEvent(new PointerEvent("pointerover", { bubbles: true, composed: true }));
      }
      return state === want;
    },
    [i, want, untouched],
    { timeout: 20000 },
  );
}

/** A page of the test site that embeds the widget with the given data-* options. */
export function widgetPage(opts) {
  return "/__test/widget.html?" + new URLSearchParams(opts).toString();
}

async function api(method, path, { auth, body, headers = {} } = {}) {
  const h = { ...headers };
  if (auth) h.authorization = `Bearer ${auth}`;
  if (body !== undefined) h["content-type"] = "application/json";
  const r = await fetch(EDGE + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : null };
}

let counter = 0;
/** A fresh brand (operator API) that allows the test site's origin. */
export async function createBrand(prefix) {
  const id = `${prefix}-${process.pid % 10000}-${counter++}`;
  const r = await api("POST", "/v1/admin/brands", {
    auth: process.env.KINDRED_OPERATOR_KEY,
    body: { id, name: `Brand ${id}`, allowed_origins: [SITE] },
  });
  if (r.status !== 201) throw new Error(`create brand: ${r.status} ${JSON.stringify(r.json)}`);
  const brand = { id, key: r.json.admin_key, identitySecret: r.json.identity_secret };
  brand.configure = (patch) => api("PATCH", `/v1/admin/brands/${id}`, { auth: brand.key, body: patch });
  brand.submit = (t) => api("POST", `/v1/brands/${id}/testimonials`, { body: t });
  brand.submitAs = (t, member) => api("POST", `/v1/brands/${id}/testimonials`, { body: t, headers: { "x-kindred-member": member } });
  brand.approve = (tid) => api("POST", `/v1/admin/brands/${id}/testimonials/${tid}/approve`, { auth: brand.key });
  brand.list = async (status) => (await api("GET", `/v1/admin/brands/${id}/testimonials?status=${status}&limit=50`, { auth: brand.key })).json.testimonials;
  brand.vote = (tid, member) => api("POST", `/v1/brands/${id}/testimonials/${tid}/helpful`, { headers: { "x-kindred-member": member } });
  await brand.configure({ rate_limits: { per_client: 10000, per_brand: 100000 } });
  return brand;
}

/** The brand console in a fresh browser context, signed in with the brand's admin key. */
export async function openConsole(browser, brand) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  await page.goto(`${EDGE}/console/`);
  await page.fill("#brand", brand.id);
  await page.fill("#key", brand.key);
  await page.click("#signin button[type=submit]");
  return { context, page, errors };
}

/** Submits and approves a testimonial; returns its id. */
export async function publish(brand, t) {
  const r = await brand.submit(t);
  if (r.status !== 201) throw new Error(`submit: ${r.status} ${JSON.stringify(r.json)}`);
  const a = await brand.approve(r.json.id);
  if (a.status !== 200) throw new Error(`approve: ${a.status}`);
  return r.json.id;
}

export function testimonial(name, rating, extra = {}) {
  return {
    display_name: name,
    email: `${name.toLowerCase().replace(/[^a-z]/g, "")}@example.com`,
    rating,
    title: `${name}'s take`,
    body: `${name} has used this for a month and has opinions.`,
    tags: [],
    ...extra,
  };
}

/** A real, decodable 1x1 PNG. */
export const PNG_1X1 = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

/** Text of the n-th widget's shadow root. */
export function widgetText(page, i = 0) {
  return page.evaluate((i) => document.querySelectorAll(".kindred-widget")[i].shadowRoot.textContent, i);
}

export function cardCount(page, i = 0) {
  return page.evaluate((i) => document.querySelectorAll(".kindred-widget")[i].shadowRoot.querySelectorAll(".kr-card").length, i);
}

/** Puts a link at the end of the page's `body > footer` (below the widget)
 * and focuses it: a Shift+Tab from there enters the widget from below, at
 * its last control. */
export async function focusBelow(page) {
  await page.evaluate(() => {
    const a = document.createElement("a");
    a.href = "#after";
    a.id = "after";
    a.textContent = "Below the reviews";
    document.querySelector("body > footer").append(a);
  });
  await page.locator("#after").focus();
}

/** Waits until the focus is on the element `selector` matches inside the
 * `i`th widget's shadow root: where the focus goes when the control that
 * had it leaves (a sent form's button, a closed form's Cancel), never the
 * host page's body. */
export async function focusedIn(page, selector, i = 0) {
  await page.waitForFunction(([s, n]) => {
    const root = document.querySelectorAll(".kindred-widget")[n]?.shadowRoot;
    return document.activeElement === root?.host && root.activeElement?.matches(s);
  }, [selector, i], { timeout: 10000 });
}
