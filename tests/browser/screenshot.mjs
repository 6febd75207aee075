// Takes the README's screenshot of a running demo:
//   cargo xtask demo   (in another terminal), then
//   node tests/browser/screenshot.mjs http://127.0.0.1:8080/products/trail-runner-2.html docs/screenshot.png
import { chromium } from "playwright-core";

const [url, out] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const page = await browser.newPage({ viewport: { width: 1100, height: 1250 } });
await page.goto(url);
// The live widget loads on the shopper's first touch: the pointer over it.
await page.waitForFunction(() => performance.getEntriesByName("kindred:painted").length > 0, null, { timeout: 20000 });
await page.hover(".kindred-widget");
await page.waitForFunction(() => document.querySelector(".kindred-widget")?.getAttribute("data-kindred-state") === "ready", null, { timeout: 20000 });
await page.screenshot({ path: out, fullPage: false });
await browser.close();
