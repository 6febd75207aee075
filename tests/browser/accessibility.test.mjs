// axe-core (pinned in tests/package.json) on the whole widget with the
// review form, the referral panel and the community open, in English on an
// English page and in Arabic on a right-to-left page: no violations, of the
// WCAG 2.x A/AA rules or axe's best practices.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { useBrowser, open, waitState, inWidget } from "./lib.mjs";

const shared = useBrowser(before, after);
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** Opens every part a shopper can open, then runs axe on the widget. */
async function audit(path) {
  const { page, context, errors } = await open(shared.browser, path);
  await waitState(page, "ready");
  await inWidget(page, "button.kr-write-open").click();
  await inWidget(page, "form#kr-form").waitFor();
  await inWidget(page, "button.kr-ref-open").click();
  await inWidget(page, "form.kr-ref-form").waitFor();
  await inWidget(page, "button.kr-community-open").click();
  await inWidget(page, ".kr-community-body .kr-groups").waitFor();
  await inWidget(page, "button.kr-data-open").click();
  await inWidget(page, ".kr-data .kr-data-actions").waitFor();
  // A refused submit: errors shown, fields marked invalid.
  await inWidget(page, "form#kr-form button.kr-submit").click();
  await inWidget(page, "#kr-err-display_name:not(:empty)").waitFor();
  // What shoppers type takes its own direction (an English name in the
  // Arabic UI, Persian in the English one: Unicode's bidi algorithm, UAX
  // #9, reads the field's first strong letter); addresses and links are
  // left to right in either.
  const fields = await page.evaluate(() => [...document.querySelector("kindred-widget").shadowRoot.querySelectorAll("input, textarea")]
    .filter((f) => ["text", "email", "textarea"].includes(f.type) && f.tabIndex !== -1)
    .map((f) => `${f.id} ${f.getAttribute("dir")}`));
  assert.ok(fields.length >= 8, `the form's and the referral panel's fields: ${fields}`);
  const want = (f) => (/email|-url /.test(f + " ") ? "ltr" : "auto");
  assert.deepEqual(fields.filter((f) => f.split(" ")[1] !== want(f.split(" ")[0])), [], "each field's dir");
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document.querySelector("kindred-widget"));
    // It saw the widget's insides: every form control's label, every button's name.
    const checked = (id) => (r.passes.find((p) => p.id === id) || { nodes: [] }).nodes.length;
    if (checked("label") < 8 || checked("button-name") < 10) throw new Error(`axe did not reach the widget: ${checked("label")} labels, ${checked("button-name")} buttons`);
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" > ") + " " + n.failureSummary) }));
  });
  assert.deepEqual(errors, []);
  await context.close();
  return result;
}

test("axe: no violations in English (form, referral panel and community open)", async () => {
  const violations = await audit("/products/trail-runner-2.html");
  assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
});

test("axe: no violations in Arabic on a right-to-left page", async () => {
  const violations = await audit("/__test/rtl.html?brand=acme&product=trail-runner-2");
  assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
});
