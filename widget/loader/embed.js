/*! Kindred embed loader (MIT OR Apache-2.0)
 *
 * <script src="https://EDGE/embed.js" data-brand="acme" data-product="sku-42" async></script>
 *
 * Plain JS, no dependencies, never throws into the host page. For each tag it
 * inserts a host element that reserves space, attaches a shadow root (styles
 * stay inside), shows a skeleton, fetches the widget's first-paint data while
 * the shared wasm runtime loads, then mounts. On any failure the slot
 * collapses and one console warning is logged.
 *
 * `cargo xtask build` fills in the asset names and the CSS below.
 */
(function () {
  "use strict";
  var GLUE = "__KINDRED_GLUE__";
  var WASM = "__KINDRED_WASM__";
  var CSS = __KINDRED_CSS__;
  var RESERVE = "420px";
  // Shared by every tag on the page; a symbol keeps it out of the host's names.
  var KEY = Symbol.for("kindred.runtime");

  var script = document.currentScript;
  if (!script || !script.src) return;

  try {
    boot(script);
  } catch (e) {
    warn(script.getAttribute("data-brand"), e);
  }

  function warn(brand, err) {
    try {
      console.warn("[kindred] widget for brand '" + brand + "' could not load: " + (err && err.message ? err.message : err));
    } catch (_) {}
  }

  function runtime(base) {
    var shared = window[KEY];
    if (!shared) {
      shared = import(base + "assets/" + GLUE).then(function (glue) {
        return glue.default({ module_or_path: base + "assets/" + WASM }).then(function () {
          return glue;
        });
      });
      // Defined once, not enumerable, not writable: host code cannot clobber it.
      Object.defineProperty(window, KEY, { value: shared });
    }
    return shared;
  }

  function sheet(root) {
    if (root.adoptedStyleSheets !== undefined && typeof CSSStyleSheet === "function") {
      try {
        var s = new CSSStyleSheet();
        s.replaceSync(CSS);
        root.adoptedStyleSheets = [s];
        return;
      } catch (_) {}
    }
    var style = document.createElement("style");
    style.textContent = CSS;
    root.appendChild(style);
  }

  function boot(script) {
    var brand = script.getAttribute("data-brand") || "";
    var product = script.getAttribute("data-product") || "";
    var base = new URL("./", script.src).href;

    var host = document.createElement("div");
    host.className = "kindred-widget";
    host.setAttribute("data-kindred-brand", brand);
    host.style.display = "block";
    host.style.minHeight = RESERVE;
    var target = script.getAttribute("data-target");
    var container = target ? document.querySelector(target) : null;
    if (container) container.appendChild(host);
    else script.parentNode.insertBefore(host, script.nextSibling);

    var root = host.attachShadow({ mode: "open" });
    sheet(root);
    var skeleton = document.createElement("div");
    skeleton.className = "kr-skeleton";
    skeleton.setAttribute("aria-busy", "true");
    skeleton.setAttribute("aria-label", "Loading reviews");
    skeleton.innerHTML = '<div class="kr-sk-title"></div><div class="kr-sk-card"></div><div class="kr-sk-card"></div>';
    root.appendChild(skeleton);

    var url = base + "v1/widget/" + encodeURIComponent(brand) + (product ? "?product=" + encodeURIComponent(product) : "");
    // Started now, in parallel with the wasm download and compile.
    var data = fetch(url, { credentials: "omit", mode: "cors" }).then(function (r) {
      if (!r.ok) throw new Error("edge answered " + r.status);
      return r.text();
    });

    Promise.all([runtime(base), data])
      .then(function (ready) {
        var mountPoint = document.createElement("div");
        ready[0].mount(mountPoint, ready[1]);
        root.replaceChild(mountPoint, skeleton);
        host.setAttribute("data-kindred-state", "ready");
      })
      .catch(function (err) {
        host.style.display = "none";
        host.setAttribute("data-kindred-state", "failed");
        warn(brand, err);
      });
  }
})();
