// Lighthouse (npm, pinned in tests/package.json), performance category only,
// its default mobile emulation and simulated throttling, in Debian's
// Chromium: RUNS runs of URL with the widget and RUNS without it,
// interleaved. Without it is the same page without the tag (URL with
// `kindred=off`, which the demo site's server answers with the loader's
// <script> left out; why not block embed.js instead: xtask/src/site.rs
// `without_kindred`). VARIANTS (comma-separated) adds RUNS runs of each:
// `floor`, the page whose tag loads a script that does nothing from another
// origin (`kindred=floor`, xtask/src/site.rs `with_floor_script`: what any
// third-party tag adds); `first-party`, the page with the widget served
// from the shop's own origin, passed on to the edge (`kindred=first-party`,
// xtask/src/site.rs `EDGE_PREFIX`); `one-request`, the page whose tag
// brings the first paint with the loader (`kindred=one-request`,
// xtask/src/site.rs `with_one_request_tag`).
// Prints one JSON object on stdout:
//   { runs, with_widget: [{fcp, lcp, tbt, cls, si, score}], without_widget: [...],
//     floor_script: [...], first_party: [...] (each with its variant),
//     median: { with_widget: {...}, without_widget: {...}, added: {...},
//               floor_script, floor_added, first_party, first_party_added },
//     off_origin: [URLs the page asked for beyond 127.0.0.1 / localhost], seconds }
// Times in ms, CLS unitless, score 0-100. `added` = median with minus median
// without; `<variant>_added` = the variant's median minus median without.
//   node tests/bench/lighthouse.mjs URL RUNS [VARIANTS]
// Chromium: env CHROMIUM, else /usr/bin/chromium. Nothing leaves 127.0.0.1:
// Chromium's background services are off (the flags below and
// chrome-launcher's defaults), no host name resolves (--host-resolver-rules),
// Lighthouse's error reporting is off (the node API's default), there is no
// full-page screenshot, and the audits that could fetch anything (source
// maps, robots.txt, manifests) are outside the performance category or
// skipped. Checked with strace: no DNS query and no packet to any address
// but loopback (Chromium's IPv6 reachability check connects a UDP socket to
// a public address, which sends nothing).
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [url, runsArg, variantsArg] = process.argv.slice(2);
// Each variant: its query, its key in the output, and the script it loads.
const VARIANTS = {
  floor: { query: "kindred=floor", key: "floor_script", script: /\/__kindred-floor\.js$/ },
  "first-party": { query: "kindred=first-party", key: "first_party", script: /^http:\/\/127\.0\.0\.1:\d+\/__edge\/embed\.js$/ },
  "one-request": { query: "kindred=one-request", key: "one_request", script: /\/v1\/embed\/[^/?]+\?/ },
};
const variants = (variantsArg || "").split(",").filter(Boolean);
for (const v of variants) if (!VARIANTS[v]) throw new Error(`unknown variant ${v}: ${Object.keys(VARIANTS).join(", ")}`);
if (!url) {
  console.error("usage: node tests/bench/lighthouse.mjs URL [RUNS] [floor,first-party]");
  process.exit(2);
}
const runs = Math.max(1, Number(runsArg || 3));
const version = JSON.parse(readFileSync(createRequire(import.meta.url).resolve("lighthouse/package.json"), "utf8")).version;
const started = Date.now();

const userDataDir = mkdtempSync(join(tmpdir(), "kindred-lighthouse-"));
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM || "/usr/bin/chromium",
  userDataDir,
  logLevel: "silent",
  chromeFlags: [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    // Chromium still looks up accounts.google.com and clients2.google.com
    // (network time) at start with every flag above: no name resolves, so
    // nothing is asked of a DNS server. The pages are on 127.0.0.1.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
  ],
});

// chrome-launcher starts Chromium in its own process group: a timeout's
// signal to ours would leave it running.
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    try {
      chrome.kill();
    } finally {
      rmSync(userDataDir, { recursive: true, force: true });
      process.exit(1);
    }
  });
}

// Audits with no bearing on the metrics or the score that could reach for
// something beyond the page's own requests, or only cost time.
const skipAudits = [
  "full-page-screenshot",
  "screenshot-thumbnails",
  "final-screenshot",
  "valid-source-maps",
  "bf-cache", // navigates away and back: a second load inside the run
];

// mode: true (the page as served), false (`kindred=off`), or a variant's name.
async function once(mode) {
  const withWidget = mode === true;
  const variant = VARIANTS[mode];
  const config = {
    extends: "lighthouse:default",
    settings: {
      onlyCategories: ["performance"],
      skipAudits,
      disableFullPageScreenshot: true,
    },
  };
  const target = withWidget ? url : url + (url.includes("?") ? "&" : "?") + (variant ? variant.query : "kindred=off");
  const result = await lighthouse(target, { port: chrome.port, output: "json", logLevel: "error" }, config);
  const lhr = result?.lhr;
  if (!lhr) throw new Error("Lighthouse returned no result");
  if (lhr.runtimeError) throw new Error(`Lighthouse: ${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
  const a = (id) => lhr.audits[id]?.numericValue ?? null;
  const score = lhr.categories.performance?.score;
  const requests = lhr.audits["network-requests"]?.details?.items ?? [];
  const loads = (re) => requests.some((r) => re.test(r.url));
  if (variant) {
    if (!loads(variant.script)) throw new Error(`the ${mode} page did not load its script`);
  } else if (withWidget !== loads(/\/embed\.js(\?|$)/)) throw new Error(`the page ${withWidget ? "with" : "without"} the widget ${withWidget ? "did not load" : "loaded"} embed.js`);
  const off = requests
    .map((r) => r.url)
    .filter((u) => {
      try {
        const p = new URL(u);
        return !["data:", "blob:", "about:"].includes(p.protocol) && !["127.0.0.1", "localhost", "[::1]"].includes(p.hostname);
      } catch {
        return false;
      }
    });
  return {
    row: {
      fcp: a("first-contentful-paint"),
      lcp: a("largest-contentful-paint"),
      tbt: a("total-blocking-time"),
      cls: a("cumulative-layout-shift"),
      si: a("speed-index"),
      score: score == null ? null : Math.round(score * 100),
      requests: requests.length,
      warnings: lhr.runWarnings ?? [],
    },
    off,
  };
}

const withW = [];
const without = [];
const byVariant = Object.fromEntries(variants.map((v) => [v, []]));
const offOrigin = new Set();
try {
  for (let i = 0; i < runs; i++) {
    for (const [mode, rows] of [[true, withW], [false, without], ...variants.map((v) => [v, byVariant[v]])]) {
      const { row, off } = await once(mode);
      rows.push(row);
      for (const u of off) offOrigin.add(u);
    }
  }
} finally {
  await chrome.kill();
  rmSync(userDataDir, { recursive: true, force: true });
}

function median(values) {
  const v = values.filter((x) => typeof x === "number" && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}
const keys = ["fcp", "lcp", "tbt", "cls", "si", "score"];
const medians = (rows) => Object.fromEntries(keys.map((k) => [k, median(rows.map((r) => r[k]))]));
const mw = medians(withW);
const mo = medians(without);
const minus = (a, b) => Object.fromEntries(keys.map((k) => [k, a[k] == null || b[k] == null ? null : a[k] - b[k]]));
const added = minus(mw, mo);
const med = { with_widget: mw, without_widget: mo, added };
for (const v of variants) {
  const key = VARIANTS[v].key;
  med[key] = medians(byVariant[v]);
  med[key + "_added"] = minus(med[key], mo);
}

console.log(JSON.stringify({
  lighthouse: version,
  url,
  runs,
  with_widget: withW,
  without_widget: without,
  ...Object.fromEntries(variants.map((v) => [VARIANTS[v].key, byVariant[v]])),
  median: med,
  off_origin: [...offOrigin],
  seconds: (Date.now() - started) / 1000,
}));
