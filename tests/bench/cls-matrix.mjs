// CLS per page of the host-page matrix (tests/browser/matrix.mjs) and per
// viewport, for `cargo xtask bench`. Prints JSON:
// [{ page, viewport: "360x740", reserves, cls, shifts }]
import { launch } from "../browser/lib.mjs";
import { MATRIX, VIEWPORTS, visit } from "../browser/matrix.mjs";

const browser = await launch();
const rows = [];
try {
  for (const entry of MATRIX) {
    for (const viewport of VIEWPORTS) {
      try {
        const { context, seen } = await visit(browser, entry, viewport);
        rows.push({ page: entry.name, viewport: `${viewport.width}x${viewport.height}`, reserves: entry.reserves, cls: seen.cls, shifts: seen.shifts.length });
        await context.close();
      } catch (e) {
        rows.push({ page: entry.name, viewport: `${viewport.width}x${viewport.height}`, reserves: entry.reserves, cls: null, error: String(e).slice(0, 200) });
      }
    }
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(rows));
