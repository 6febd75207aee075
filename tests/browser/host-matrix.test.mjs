// Every page of the host-page matrix (matrix.mjs), at a phone's, a laptop's
// and a tall window's viewport: the widget is there in its own look, nothing
// reaches the page (errors, rejections, globals), one Product per product,
// and no layout shift on pages that reserve the first view's height. On a
// page that reserves nothing, the loader's insertion of its box is the only
// shift.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { useBrowser } from "./lib.mjs";
import { MATRIX, VIEWPORTS, visit } from "./matrix.mjs";

const shared = useBrowser(before, after);

for (const entry of MATRIX) {
  test(`host page: ${entry.name}`, async () => {
    for (const viewport of VIEWPORTS) {
      const at = `${entry.name} at ${viewport.width}x${viewport.height}`;
      const { context, errors, consoleErrors, seen } = await visit(shared.browser, entry, viewport);
      try {
        assert.deepEqual(errors.map(String), [], `uncaught errors on ${at}`);
        assert.deepEqual(seen.rejections, [], `unhandled rejections on ${at}`);
        assert.deepEqual(seen.added, [], `globals added on ${at}`);
        // No inline style for a page's CSP to refuse (style-src without 'unsafe-inline').
        assert.deepEqual(consoleErrors.filter((e) => /style/i.test(e)), [], `a style refused on ${at}`);
        // Nothing the widget does widens the page (a phone would scroll
        // sideways) or the column it was put in.
        assert.ok(seen.overflow <= Math.max(0, seen.overflowWithout), `the page scrolls sideways by ${seen.overflow}px (${seen.overflowWithout}px without the widget) on ${at}`);
        assert.deepEqual(seen.widgets.map((w) => Math.max(0, w.widens)), seen.widgets.map(() => 0), `a widget wider than its column on ${at}`);
        if (entry.reserves) {
          assert.equal(seen.cls, 0, `CLS on ${at}: ${JSON.stringify(seen.shifts)}`);
        } else {
          // The box's insertion, once, and nothing after it.
          assert.ok(seen.shifts.length <= 1, `more than the insertion shifted on ${at}: ${JSON.stringify(seen.shifts)}`);
        }
        // One Product per product, and ratings on it (or on the page's own).
        assert.deepEqual([...seen.products].sort(), [...new Set(entry.products)].sort(), `Product nodes on ${at}`);
        if (entry.state === "failed") {
          assert.ok(seen.widgets.every((w) => !w.visible), "a failed widget collapses");
          continue;
        }
        assert.equal(seen.rated, entry.name.startsWith("Trusted") || entry.state === "framed" ? 0 : entry.products.length, `rated nodes on ${at}`);
        if (entry.state === "framed") continue;
        for (const w of seen.widgets) {
          assert.ok(w.visible, `the widget is not visible on ${at}`);
          assert.equal(w.title.fontSize, "20px", `title size on ${at}`);
          assert.equal(w.title.color, "rgb(31, 35, 40)", `title colour on ${at}`);
          assert.equal(w.title.direction, entry.dir || "ltr", `UI direction on ${at}`);
          assert.equal(w.dir, entry.dir || "ltr");
          assert.equal(w.accent, "#0b7a75", `the brand's colour on ${at}`);
          assert.deepEqual(w.collapsed, [], `boxes 0 wide on ${at}`);
          if (w.body) {
            assert.equal(w.body.fontSize, "15px", `body size on ${at}`);
            // Its language's direction when known, else its own (auto);
            // never the UI's by inheritance.
            assert.ok(["auto", "ltr", "rtl"].includes(w.body.dir), `shopper text takes its own direction: ${w.body.dir}`);
          }
        }
      } finally {
        await context.close();
      }
    }
  });
}
