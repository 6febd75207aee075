/*! Kindred embed loader (MIT OR Apache-2.0) */
/*
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
 * `cargo xtask build` fills in the asset names and the CSS below, then
 * minifies this file (esbuild).
 */
(function () {
  "use strict";
  var GLUE = "__KINDRED_GLUE__";
  var WASM = "__KINDRED_WASM__";
  var SPLIT = "__KINDRED_SPLIT__";
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
  // kindred:loader-start, kindred:data-ready, kindred:painted (first
  // testimonials on screen, before the wasm), kindred:wasm-ready,
  // kindred:interactive (the live widget mounted).
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

  /* First paint without the wasm: the same markup the widget's components
   * render for this payload (widget/src/components.rs), built as plain DOM
   * as soon as the data arrives, inert until the wasm mounts over it. A
   * browser test holds the two to the same markup, so the swap moves
   * nothing. Shopper text only ever goes in as text nodes. */
  function h(tag, attrs, kids) {
    var e = document.createElement(tag);
    for (var k in attrs) if (attrs[k] !== null && attrs[k] !== undefined) e.setAttribute(k, attrs[k]);
    (kids || []).forEach(function (c) {
      if (c !== null && c !== undefined) e.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return e;
  }

  // core::time::relative
  function relative(now, then) {
    var ago = now - then, M = 60000, H = 60 * M, D = 24 * H, units = [[365 * D, "year"], [30 * D, "month"], [D, "day"], [H, "hour"], [M, "minute"]];
    for (var i = 0; i < units.length; i++) {
      if (ago >= units[i][0]) {
        var n = Math.floor(ago / units[i][0]);
        return n + " " + units[i][1] + (n === 1 ? "" : "s") + " ago";
      }
    }
    return "just now";
  }

  // components::one_decimal: the f32 the edge sent, in tenths.
  function oneDecimal(x) {
    var t = Math.round(Math.min(5, Math.max(0, Math.fround(x))) * 10);
    return Math.floor(t / 10) + "." + (t % 10);
  }

  function stars(rating) {
    var full = Math.min(5, Math.max(0, Math.round(rating)));
    return h("span", { class: "kr-stars", role: "img", "aria-label": oneDecimal(rating) + " out of 5 stars" }, ["\u2605".repeat(full) + "\u2606".repeat(5 - full)]);
  }

  // The ids this shopper found helpful (member.rs keeps them), read once.
  var votes = null;
  function votedIds() {
    if (votes) return votes;
    try {
      var v = JSON.parse(localStorage.getItem("kindred.voted") || "[]");
      votes = Array.isArray(v) ? v : [];
    } catch (_) {
      votes = [];
    }
    return votes;
  }

  function card(t, now, base, voted) {
    var done = voted.indexOf(t.id) >= 0;
    var author = t.author_name;
    return h("li", { class: "kr-card", "data-id": t.id }, [
      h("div", { class: "kr-card-head" }, [stars(t.rating), h("strong", { class: "kr-card-title" }, [t.title || ""]),
        t.featured ? h("span", { class: "kr-badge kr-featured" }, ["Featured"]) : null]),
      h("p", { class: "kr-body" }, [t.body]),
      t.photos && t.photos.length ? h("div", { class: "kr-photos" }, t.photos.map(function (p) {
        return h("img", { class: "kr-photo", src: base + String(p.url).replace(/^\/+/, ""), width: p.width, height: p.height, loading: "lazy", decoding: "async", alt: "Photo from " + author });
      })) : null,
      h("div", { class: "kr-meta" }, [h("span", { class: "kr-author" }, [author]),
        t.verified_buyer ? h("span", { class: "kr-badge kr-verified" }, ["Verified buyer"]) : null,
        t.ambassador ? h("span", { class: "kr-badge kr-ambassador" }, ["Ambassador"]) : null,
        h("span", { class: "kr-date" }, [relative(now, t.created_at)])]),
      t.tags && t.tags.length ? h("ul", { class: "kr-tags", "aria-label": "Interests" }, t.tags.map(function (g) { return h("li", { class: "kr-tag" }, [g]); })) : null,
      h("div", { class: "kr-actions" }, [
        h("button", { class: "kr-helpful", type: "button", "aria-pressed": String(done), disabled: done ? "" : null },
          [done ? "Helpful \u2713" : "Helpful", h("span", { class: "kr-helpful-count" }, [" (" + (t.helpful_count || 0) + ")"])]),
        h("span", { class: "kr-vote-error", role: "status" })]),
    ]);
  }

  function firstPaint(p, base) {
    var brand = p.brand || {}, agg = p.aggregate || { average: 0, count: 0 }, list = p.testimonials || [], tags = p.tags || [];
    var now = Date.now();
    var voted = list.length ? votedIds() : [];
    var option = function (v, label) { return h("option", { value: v }, [label]); };
    var accent = /^#[0-9a-fA-F]{6}$/.test(brand.accent || "") ? "--kr-accent:" + brand.accent : null;
    var program = brand.referral;
    var foot = program
      ? h("section", { class: "kr-referral", "aria-label": "Refer a friend" }, [
          h("h3", { class: "kr-ref-title" }, [brand.incentive || "Give friends " + program.referee_offer]),
          h("div", { class: "kr-ref-join" }, [h("button", { class: "kr-ref-open", type: "button", "aria-busy": "false" }, ["Get your referral link"])])])
      : brand.incentive ? h("p", { class: "kr-incentive" }, [brand.incentive]) : null;
    var section = h("section", { style: accent, class: "kr", "aria-label": "Customer reviews of " + (p.product ? p.product.name : brand.name) }, [
      h("header", { class: "kr-head" }, [h("h2", { class: "kr-title" }, ["What customers say"]),
        h("div", { class: "kr-summary" }, [stars(agg.average), h("span", { class: "kr-average" }, [oneDecimal(agg.average)]),
          h("span", { class: "kr-count" }, [agg.count === 1 ? "1 review" : agg.count + " reviews"])])]),
      h("div", { class: "kr-write" }, [h("button", { class: "kr-write-open", type: "button", "aria-expanded": "false", "aria-controls": "kr-form", "aria-busy": "false" }, ["Write a review"])]),
      h("div", { class: "kr-filters", role: "group", "aria-label": "Filter and sort reviews" }, [
        tags.length ? h("div", { class: "kr-chips" }, tags.map(function (g) { return h("button", { class: "kr-chip", type: "button", "aria-pressed": "false" }, [g]); })) : null,
        h("label", { class: "kr-select" }, ["Rating ", h("select", {}, [option("", "All ratings")].concat([5, 4, 3, 2, 1].map(function (n) { return option(String(n), n === 1 ? "1 star" : n + " stars"); })))]),
        h("label", { class: "kr-select" }, ["Sort ", h("select", {}, [option("newest", "Newest"), option("highest", "Highest rated"), option("helpful", "Most helpful")])])]),
      h("p", { class: "kr-status", role: "status", "aria-live": "polite" }),
      list.length
        ? h("ul", { class: "kr-list", "aria-busy": "false" }, list.map(function (t) { return card(t, now, base, voted); }))
        : h("p", { class: "kr-empty" }, ["No reviews yet. Be the first to share yours."]),
      p.next_cursor ? h("button", { class: "kr-more", type: "button" }, ["Load more reviews"]) : null,
      brand.community ? h("section", { class: "kr-community", "aria-label": "Community" }, [
        h("button", { class: "kr-community-open", type: "button", "aria-expanded": "false", "aria-busy": "false" }, ["Community groups"])]) : null,
      h("footer", { class: "kr-foot" }, [foot]),
    ]);
    var wrap = h("div", { class: "kr-first-paint", inert: "" }, [section]);
    return wrap;
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
      // The glue imports the chunk loader (and it the glue): ask for both
      // now so the two downloads overlap instead of following each other.
      shared = Promise.all([import(base + "assets/" + GLUE), compiled, import(base + "assets/" + SPLIT)]).then(function (parts) {
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

    // The first localStorage read of a page can take a while (the browser
    // loads the site's storage): do it in its own task while the data is on
    // its way, not when the first paint is due.
    setTimeout(votedIds, 0);

    var url = base + "v1/widget/" + encodeURIComponent(brand) + (product ? "?product=" + encodeURIComponent(product) : "");
    // Started now, in parallel with the wasm download and compile.
    var mounted = false;
    var data = fetch(url, { credentials: "omit", mode: "cors" }).then(function (r) {
      if (!r.ok) throw new Error("edge answered " + r.status);
      return r.text();
    }).then(function (text) {
      mark("data-ready");
      if (!mounted && root.contains(skeleton)) {
        try {
          root.replaceChild(firstPaint(JSON.parse(text), base), skeleton);
          requestAnimationFrame(function () {
            mark("painted");
          });
        } catch (_) {
          // The wasm renders it anyway; the skeleton stays until then.
        }
      }
      return text;
    });

    Promise.all([runtime(base), data])
      // A task of its own for the first render: it does not add to the one
      // that instantiated the wasm (the browser can paint in between).
      .then(function (ready) {
        return new Promise(function (resolve) { setTimeout(function () { resolve(ready); }, 0); });
      })
      .then(function (ready) {
        var glue = ready[0];
        if (token) glue.identify(token);
        var mountPoint = document.createElement("div");
        mounted = true;
        // The widget renders off-screen in a few short tasks, then calls
        // back; it goes on screen over the first paint (or the skeleton, if
        // the data came as the wasm was ready) with the same markup.
        glue.mount(mountPoint, ready[1], JSON.stringify({ edge: base, brand: brand, product: product || null }), function () {
          try {
            root.replaceChild(mountPoint, root.lastElementChild);
            host.setAttribute("data-kindred-state", "ready");
            requestAnimationFrame(function () {
              if (!performance.getEntriesByName("kindred:painted").length) mark("painted");
              mark("interactive");
            });
          } catch (e) {
            warn(brand, e);
          }
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
    // Served by the edge per brand, with frame-ancestors = its allowed origins.
    iframe.src = base + "frame/" + encodeURIComponent(script.getAttribute("data-brand") || "") + "?" + params.toString();
    iframe.title = "Customer reviews";
    // The frame must learn which page embeds it (its writes count as that
    // origin's), even where this page's own policy sends no referrer.
    iframe.referrerPolicy = "origin";
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
