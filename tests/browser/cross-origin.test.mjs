// Every shopper route called the way the widget calls it: from a storefront
// page on another origin, by Chromium's own fetch (so the CORS preflight
// really happens), with an anonymous member token and again with a
// brand-signed identity. The class this guards: a header the API reads that
// the preflight does not allow ("Failed to fetch" for identified shoppers).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { EDGE, SITE, useBrowser, createBrand, publish, testimonial, PNG_1X1 } from "./lib.mjs";

const b = useBrowser(before, after);

function identity(brand, sub) {
  const claims = { brand: brand.id, sub, exp: Math.floor(Date.now() / 1000) + 600 };
  const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
  const sig = createHmac("sha256", Buffer.from(brand.identitySecret, "utf8")).update(payload).digest("base64url");
  return `${payload}.${sig}`;
}

async function admin(brand, method, path, body) {
  const r = await fetch(EDGE + path, {
    method,
    headers: { authorization: `Bearer ${brand.key}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, json: await r.json().catch(() => null) };
}

/** Runs the calls inside the storefront page; returns [label, status, body or error]. */
function callAll(page, calls) {
  return page.evaluate(async (calls) => {
    const out = [];
    for (const c of calls) {
      try {
        const r = await fetch(c.url, { method: c.method, headers: c.headers, body: c.body, mode: "cors", credentials: "omit" });
        const text = await r.text();
        out.push([c.label, r.status, text]);
      } catch (e) {
        out.push([c.label, 0, String(e)]);
      }
    }
    return out;
  }, calls);
}

test("every shopper route answers a cross-origin browser, with and without an identity", async () => {
  const brand = await createBrand("xorigin");
  await brand.configure({ referral: { landing_url: `${SITE}/`, referee_offer: "10% off", leaderboard: true } });
  const tid = await publish(brand, testimonial("Cross Origin", 5));
  const g = await admin(brand, "POST", `/v1/admin/brands/${brand.id}/groups`, { name: "Everyone", description: "All of us", visibility: "public", moderation: "post" });
  assert.equal(g.status, 201);
  const group = g.json.id;
  const ref = await fetch(`${EDGE}/v1/brands/${brand.id}/referrers`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-kindred-member": "referrer-member-000001" },
    body: JSON.stringify({ name: "Rae Referrer", email: "rae@example.com" }),
  });
  const code = (await ref.json()).code;
  // Another member's thread and reply, for the reports (one's own post is
  // not reported: 403).
  const theirs = { "content-type": "application/json", "x-kindred-member": "their-member-0000000001" };
  const post = (path, body) => fetch(`${EDGE}/v1/brands/${brand.id}${path}`, { method: "POST", headers: theirs, body: JSON.stringify(body) }).then((r) => r.json());
  await post(`/groups/${group}/join`, { display_name: "Theo" });
  const theirThread = (await post(`/groups/${group}/threads`, { title: "Theo's question", body: "Which size runs small?" })).id;
  const theirReply = (await post(`/threads/${theirThread}/replies`, { body: "The 42, I think" })).id;
  assert.ok(theirThread && theirReply);

  const ctx = await b.browser.newContext();
  const page = await ctx.newPage();
  await page.goto(`${SITE}/`);
  const pageOrigin = await page.evaluate(() => location.origin);
  assert.equal(pageOrigin, SITE);
  assert.notEqual(new URL(EDGE).origin, pageOrigin, "the edge is another origin");

  for (const who of ["anonymous", "identified"]) {
    const member = `${who}-member-0000000001`;
    const headers = { "x-kindred-member": member };
    if (who === "identified") headers["x-kindred-identity"] = identity(brand, `cust-${who}`);
    const json = { ...headers, "content-type": "application/json" };
    const base = `${EDGE}/v1/brands/${brand.id}`;
    const first = [
      { label: "widget", method: "GET", url: `${EDGE}/v1/widget/${brand.id}`, headers },
      { label: "feed", method: "GET", url: `${base}/testimonials?sort=newest`, headers },
      { label: "submit", method: "POST", url: `${base}/testimonials`, headers: { ...json, "idempotency-key": `k-${who}` }, body: JSON.stringify(testimonial(`Shopper ${who}`, 4)) },
      { label: "vote", method: "POST", url: `${base}/testimonials/${tid}/helpful`, headers },
      { label: "photo", method: "POST", url: `${base}/photos`, headers: { ...headers, "content-type": "image/png" }, body: "PNG" },
      { label: "signup", method: "POST", url: `${base}/referrers`, headers: json, body: JSON.stringify({ name: `Sam ${who}`, email: `sam.${who}@example.com` }) },
      { label: "me", method: "GET", url: `${base}/referrers/me`, headers },
      { label: "claim", method: "POST", url: `${base}/referrals/claim`, headers: json, body: JSON.stringify({ code }) },
      { label: "ambassadors", method: "GET", url: `${base}/ambassadors`, headers },
      { label: "groups", method: "GET", url: `${base}/groups`, headers },
      { label: "unread", method: "GET", url: `${base}/community/unread`, headers },
      { label: "join", method: "POST", url: `${base}/groups/${group}/join`, headers: json, body: JSON.stringify({ display_name: `Jo ${who}` }) },
      { label: "threads", method: "GET", url: `${base}/groups/${group}/threads`, headers },
      { label: "start thread", method: "POST", url: `${base}/groups/${group}/threads`, headers: json, body: JSON.stringify({ title: `Hello from ${who}`, body: "Cross-origin and fine" }) },
      { label: "member invite", method: "POST", url: `${base}/groups/${group}/invites`, headers: json, body: JSON.stringify({ expires_in_hours: 24, single_use: true }) },
    ];
    // The photo body is made real here (evaluate passes strings only).
    first[4].body = undefined;
    const results = await callAll(page, first);
    const photo = await page.evaluate(async ([url, headers, b64]) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      try {
        const r = await fetch(url, { method: "POST", headers, body: bytes });
        return [r.status, await r.text()];
      } catch (e) {
        return [0, String(e)];
      }
    }, [`${base}/photos`, { ...headers, "content-type": "image/png" }, PNG_1X1.toString("base64")]);
    results[4] = ["photo", ...photo];
    const thread = JSON.parse(results.find((r) => r[0] === "start thread")[2]).id;
    const second = await callAll(page, [
      { label: "thread", method: "GET", url: `${base}/threads/${thread}`, headers },
      { label: "reply", method: "POST", url: `${base}/threads/${thread}/replies`, headers: json, body: JSON.stringify({ body: "A reply" }) },
      { label: "react", method: "POST", url: `${base}/threads/${thread}/reactions`, headers: json, body: JSON.stringify({ kind: "love" }) },
      { label: "report", method: "POST", url: `${base}/threads/${theirThread}/report`, headers: json, body: JSON.stringify({ reason: "other" }) },
      { label: "report own", method: "POST", url: `${base}/threads/${thread}/report`, headers: json, body: JSON.stringify({ reason: "other" }) },
      { label: "pin", method: "POST", url: `${base}/threads/${thread}/pin`, headers },
    ]);
    const reply = JSON.parse(second.find((r) => r[0] === "reply")[2]).id;
    const third = await callAll(page, [
      { label: "react to reply", method: "POST", url: `${base}/replies/${reply}/reactions`, headers: json, body: JSON.stringify({ kind: "like" }) },
      { label: "report reply", method: "POST", url: `${base}/replies/${theirReply}/report`, headers: json, body: JSON.stringify({ reason: "spam" }) },
      { label: "report own reply", method: "POST", url: `${base}/replies/${reply}/report`, headers: json, body: JSON.stringify({ reason: "spam" }) },
    ]);
    // Non-leads may not pin or invite, nor anyone report their own post: a
    // readable refusal, not a CORS failure.
    const refused = { pin: 403, "member invite": 403, "report own": 403, "report own reply": 403 };
    for (const [label, status, body] of [...results, ...second, ...third]) {
      assert.notEqual(status, 0, `${who} ${label}: the browser refused the call: ${body}`);
      assert.doesNotThrow(() => JSON.parse(body), `${who} ${label}: unreadable body ${body}`);
      if (refused[label]) assert.equal(status, refused[label], `${who} ${label}: ${body}`);
      else assert.ok(status >= 200 && status < 300, `${who} ${label}: ${status} ${body}`);
    }
  }
  await ctx.close();
});
