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
 * Options: data-product (omit for brand-wide), data-target (CSS selector to
 * render into), data-identity (a brand-signed identity token), data-seo="off"
 * (no schema.org JSON-LD). A host that defines the usual stub queue,
 *   window.Kindred = window.Kindred || function () { (Kindred.q = Kindred.q || []).push(arguments); };
 * can call Kindred('identify', token) before or after the widget loads.
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

  mark("loader-start");
  try {
    boot(script);
  } catch (e) {
    warn(script.getAttribute("data-brand"), e);
  }

  // Timeline marks for benchmarks and the host's own monitoring:
  // kindred:loader-start, kindred:wasm-ready, kindred:data-ready, kindred:painted.
  function mark(name) {
    try {
      performance.mark("kindred:" + name);
    } catch (_) {}
  }

  function warn(brand, err) {
    try {
      console.warn("[kindred] widget for brand '" + brand + "' could not load: " + (err && err.message ? err.message : err));
    } catch (_) {}
  }

  // The host's Kindred('identify', token) calls, queued or live.
  var identity = null;
  function command(name, arg, glue) {
    if (name === "identify") {
      identity = typeof arg === "string" && arg ? arg : null;
      if (glue) glue.identify(identity);
    }
  }
  function adoptQueue(glue) {
    var k = window.Kindred;
    if (typeof k !== "function") return;
    var q = Array.isArray(k.q) ? k.q : [];
    for (var i = 0; i < q.length; i++) command(q[i][0], q[i][1], glue);
    var live = function (name, arg) { command(name, arg, glue); };
    live.q = [];
    window.Kindred = live;
  }

  /** schema.org Product + AggregateRating + Review for search engines, on
   * product pages only (brand-level stars count as self-serving). */
  function jsonLd(payload, productId) {
    if (!payload.aggregate || !payload.aggregate.count) return;
    var name = (payload.product && payload.product.name) || script.getAttribute("data-product-name");
    if (!name) return;
    var data = {
      "@context": "https://schema.org",
      "@type": "Product",
      name: name,
      sku: productId,
      aggregateRating: { "@type": "AggregateRating", ratingValue: payload.aggregate.average, reviewCount: payload.aggregate.count, bestRating: 5, worstRating: 1 },
      review: (payload.testimonials || []).slice(0, 5).map(function (t) {
        return {
          "@type": "Review",
          author: { "@type": "Person", name: t.author_name },
          reviewRating: { "@type": "Rating", ratingValue: t.rating, bestRating: 5, worstRating: 1 },
          name: t.title || undefined,
          reviewBody: t.body,
          datePublished: new Date(t.created_at).toISOString().slice(0, 10),
        };
      }),
    };
    var tag = document.createElement("script");
    tag.type = "application/ld+json";
    tag.setAttribute("data-kindred-jsonld", productId);
    // JSON in a script element: escape '<' so text can never close the tag.
    tag.textContent = JSON.stringify(data).replace(/</g, "\\u003c");
    (document.head || document.documentElement).appendChild(tag);
  }

  function runtime(base) {
    var shared = window[KEY];
    if (!shared) {
      // The wasm downloads and compiles as it streams, starting now: in
      // parallel with the glue's download, so init only instantiates.
      var wasm = fetch(base + "assets/" + WASM, { credentials: "omit", mode: "cors" });
      var compiled = typeof WebAssembly.compileStreaming === "function"
        ? WebAssembly.compileStreaming(wasm)
        : wasm.then(function (r) { return r.arrayBuffer(); }).then(function (b) { return WebAssembly.compile(b); });
      // Settled by the chain below; this keeps an early failure from being
      // reported as unhandled before the glue arrives.
      compiled.catch(function () {});
      shared = Promise.all([import(base + "assets/" + GLUE), compiled]).then(function (parts) {
        var glue = parts[0];
        return glue.default({ module_or_path: parts[1] }).then(function () {
          mark("wasm-ready");
          adoptQueue(glue);
          if (identity) glue.identify(identity);
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
    var token = script.getAttribute("data-identity");
    if (token) identity = token;

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
    }).then(function (text) {
      mark("data-ready");
      return text;
    });

    Promise.all([runtime(base), data])
      .then(function (ready) {
        var glue = ready[0];
        if (token) glue.identify(token);
        var mountPoint = document.createElement("div");
        glue.mount(mountPoint, ready[1], JSON.stringify({ edge: base, brand: brand, product: product || null }));
        root.replaceChild(mountPoint, skeleton);
        host.setAttribute("data-kindred-state", "ready");
        requestAnimationFrame(function () {
          mark("painted");
        });
        if (product && script.getAttribute("data-seo") !== "off") {
          try {
            jsonLd(JSON.parse(ready[1]), product);
          } catch (_) {}
        }
      })
      .catch(function (err) {
        // A page whose Content-Security-Policy forbids WebAssembly (or our
        // origin) still gets the widget: in a frame served by the edge.
        if (blockedByPolicy(err) && !inFrame()) {
          frame(root, host, base, script);
          return;
        }
        host.style.display = "none";
        host.setAttribute("data-kindred-state", "failed");
        warn(brand, err);
      });
  }

  var policyViolation = false;
  try {
    document.addEventListener("securitypolicyviolation", function (e) {
      if (e.blockedURI === "wasm-eval" || e.blockedURI === "eval" || String(e.blockedURI).indexOf(new URL(script.src).origin) === 0) {
        policyViolation = true;
      }
    });
  } catch (_) {}

  function blockedByPolicy(err) {
    var m = String((err && err.message) || err);
    return policyViolation || /Content Security Policy|Refused to compile|unsafe-eval/i.test(m);
  }

  function inFrame() {
    return document.documentElement.hasAttribute("data-kindred-frame");
  }

  /** The iframe fallback: the edge's frame.html runs the widget on the edge's
   * origin and reports its height; we accept messages from that frame only. */
  function frame(root, host, base, script) {
    var params = new URLSearchParams();
    ["brand", "product", "identity", "seo"].forEach(function (k) {
      var v = script.getAttribute("data-" + k);
      if (v) params.set(k, v);
    });
    params.set("seo", "off"); // markup inside a frame would not help the host page
    var iframe = document.createElement("iframe");
    iframe.src = base + "frame.html?" + params.toString();
    iframe.title = "Customer reviews";
    iframe.setAttribute("loading", "lazy");
    iframe.style.cssText = "display:block;width:100%;border:0;height:" + RESERVE;
    var edgeOrigin = new URL(base).origin;
    window.addEventListener("message", function (e) {
      if (e.origin !== edgeOrigin || e.source !== iframe.contentWindow) return;
      var h = e.data && e.data.kindredHeight;
      if (typeof h === "number" && h > 0 && h < 20000) iframe.style.height = Math.ceil(h) + "px";
    });
    root.replaceChildren(iframe);
    host.setAttribute("data-kindred-state", "framed");
  }
})();
