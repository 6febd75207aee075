// Widget speed in headless Chromium, cold cache, on localhost: N runs of a
// demo product page with the widget and N without it (embed.js answered with
// an empty script), interleaved. Prints one JSON object on stdout.
//   node tests/bench/widget-speed.mjs SITE_URL PATH RUNS
import { chromium } from "playwright-core";

const [site, path, runsArg] = process.argv.slice(2);
const runs = Number(runsArg || 15);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

async function once(withWidget) {
  // A new context has an empty HTTP cache: every run is a first visit.
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  await context.addInitScript(() => {
    const perf = { cls: 0, longtasks: [], longtaskStarts: [] };
    Object.defineProperty(window, "__benchPerf", { value: perf });
    new PerformanceObserver((l) => { for (const e of l.getEntries()) if (!e.hadRecentInput) perf.cls += e.value; }).observe({ type: "layout-shift", buffered: true });
    new PerformanceObserver((l) => { for (const e of l.getEntries()) { perf.longtasks.push(e.duration); perf.longtaskStarts.push(e.startTime); } }).observe({ type: "longtask", buffered: true });
  });
  const page = await context.newPage();
  if (!withWidget) await page.route("**/embed.js", (r) => r.fulfill({ status: 200, contentType: "text/javascript", body: "" }));
  await page.goto(site + path, { waitUntil: "load" });
  if (withWidget) {
    await page.waitForFunction(() => performance.getEntriesByName("kindred:interactive").length > 0, null, { timeout: 30000 });
  }
  await page.waitForTimeout(600); // late layout shifts and long tasks
  const r = await page.evaluate(() => {
    const at = (n) => performance.getEntriesByName("kindred:" + n)[0]?.startTime ?? null;
    const bytes = performance.getEntriesByType("resource").filter((e) => /embed\.js|\/assets\/|\/v1\/widget\//.test(e.name)).reduce((s, e) => s + e.transferSize, 0);
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
  await context.close();
  return r;
}

const withW = [];
const without = [];
// A warm-up pair (compiles the worker's first requests), not recorded.
await once(true);
await once(false);
for (let i = 0; i < runs; i++) {
  withW.push(await once(true));
  without.push(await once(false));
}
await browser.close();
console.log(JSON.stringify({ runs, with_widget: withW, without_widget: without }));
