/*! Kindred embed loader (MIT OR Apache-2.0) */
/*
 * <script src="https://EDGE/embed.js" data-brand="acme" data-product="sku-42" async></script>
 * or, the first paint in the same response (one request instead of two):
 * <script src="https://EDGE/v1/embed/acme?product=sku-42&locale=en" async crossorigin="anonymous"></script>
 *
 * Plain JS, no dependencies, never throws into the host page. For each tag it
 * inserts a host element that reserves space, attaches a shadow root (styles
 * stay inside), shows a skeleton, fetches the widget's first paint (its data
 * and its markup, rendered on the edge by the widget's own components) and
 * shows it. The live widget (the shared wasm runtime) is fetched on demand:
 * on the shopper's first touch of the widget, or, for a shopper it has
 * something for (a referral, an invite, a review link, a remembered
 * member), at idle once it nears the viewport; it mounts over the first
 * paint without a visible change. If the
 * data cannot load the slot collapses; if the wasm cannot, the testimonials
 * stay, read-only. Either way one console warning is logged.
 *
 * The second form is this file served by the edge's `GET /v1/embed/{brand}`
 * with the first paint's answer for the page's origin written into FIRST
 * (below): its brand, `product` and `locale` are options as data-brand,
 * data-product and data-locale are (an attribute wins over the URL).
 *
 * Options: data-product (omit for brand-wide), data-target (CSS selector to
 * render into; waited for until the page has loaded, never <head>),
 * data-mount="manual" (load only, for Kindred('mount') calls),
 * data-identity (a brand-signed identity token), data-seo="off" (no
 * schema.org JSON-LD), data-first-view (the height in px of the widget
 * before the shopper's first input, default 600: reserve it in the page's
 * template and nothing moves), data-locale (the UI's language; by default
 * the page's <html lang>, else the browser's; unknown ones are English),
 * data-layout ("list", the default; "wall": columns of cards; "carousel":
 * one row that scrolls sideways), data-context-tags (tags this page is
 * about, e.g. "vegan, running" on a collection page: testimonials with the
 * first one the product's reviews have come first; see
 * kindred_core::context. A friend's referral link and a group invite on
 * the page's URL, and the page's language, order the first page too;
 * nothing is stored for it). A host that defines the usual stub queue,
 *   window.Kindred = window.Kindred || function () { (Kindred.q = Kindred.q || []).push(arguments); };
 * can call, before or after the widget loads:
 *   Kindred('identify', token)
 *   Kindred('mount', { target: '#reviews' or an element, brand, product, productName, seo, identity, firstView, locale, layout, contextTags })
 *   Kindred('unmount', '#reviews' or an element)   (omit it: every widget;
 *     mounts still waiting for a target inside it are called off too: pass
 *     the selector if your router replaces that element with a new one)
 *   Kindred('refresh')                              (every widget fetches its data again)
 * A widget whose element leaves the page stops (timers, polls, observers)
 * and takes its JSON-LD with it. A page that owns a window.Kindred of its
 * own (not the stub) is left alone. No HTML string is ever assigned: pages
 * that enforce Trusted Types work; JSON-LD then needs the policy "kindred"
 * to be allowed (trusted-types kindred), else it is left out with a warning.
 *
 * `cargo xtask build` fills in the asset names, the CSS and the message
 * catalogues below, then minifies this file (esbuild).
 */
(function () {
  "use strict";
  var GLUE = "__KINDRED_GLUE__";
  /** Whether a first-paint answer's markup was rendered for this loader's
   * build (`markup_build`, kindred_core::assets; absent: an edge without a
   * build manifest, taken as ours). */
  function ownBuild(payload) {
    return !payload.markup_build || payload.markup_build === GLUE.split("/")[0];
  }
  var WASM = "__KINDRED_WASM__";
  var SPLIT = "__KINDRED_SPLIT__";
  // Each on-demand part's shared chunks (`chunk_<n>.wasm` beside SPLIT),
  // read by the build from wasm-split's loader: with `split_<part>.wasm`
  // they are what opening the part fetches.
  var PARTS = __KINDRED_PARTS__;
  // The controls that open a part, on the first paint and the live widget
  // alike (widget/src/components.rs): a shopper's hand on one starts that
  // part's downloads at once, beside the main module's.
  var OPENERS = [[".kr-write-open, .kr-edit-open", "form"], [".kr-ref-open", "referral"], [".kr-community-open", "community"], [".kr-data-open", "data"]];
  var CSS = __KINDRED_CSS__;
  // What the first view clips (widget.css): its feed, first, then its
  // footer. Keyboard focus inside either opens the widget (components.rs
  // `clipped_target`: keep the two alike).
  var CLIPPED = ".kr-first>.kr-feed,.kr-first>.kr-foot";
  var EN = __KINDRED_EN__;
  // The other locales' catalogue files (under assets/), with their direction.
  var LOCALES = __KINDRED_LOCALES__;
  var I18N = "__KINDRED_I18N__";
  // The first view's height in px before any shopper input (widget.css):
  // the space a page reserves for the widget. `data-first-view` changes it.
  var FIRST_VIEW = 600, FIRST_VIEW_MIN = 320, FIRST_VIEW_MAX = 2000;
  // The first paint's answer, when the edge served this file with it
  // (`GET /v1/embed/{brand}`, edge/src/routes/embed.rs, which replaces the
  // quoted name with `{ "query": the first-paint query it answered,
  // "text": the answer }`, or with `{ "refused": the page's origin }` for a
  // page the brand does not allow). Used once, by the first widget that
  // would ask for that very query; any other asks as usual.
  var FIRST = "__KINDRED_FIRST_PAINT__";

  var script = document.currentScript;
  if (!script || !script.src) return;
  // Served as `GET /v1/embed/{brand}`: the edge's base is the path before
  // `v1/`, and the URL's brand, product and locale are options.
  var src = new URL(script.src), embed = /\/v1\/embed\/([^\/?#]+)\/?$/.exec(src.pathname);
  var embedded = embed && { brand: embed[1], product: src.searchParams.get("product"), locale: src.searchParams.get("locale") };
  var BASE = embed ? src.origin + src.pathname.slice(0, embed.index + 1) : new URL("./", src).href;
  // When this file ran: the first paint in it is used within a minute of
  // that (a widget mounted later, by command or once its target shows,
  // asks for a fresh one).
  var LOADED = Date.now();
  // The credentials mode of the request that fetched this loader, for the
  // requests on the first paint's path (its data, the view event): browsers
  // keep credentialed and uncredentialed requests on separate connections,
  // so matching it keeps them on the loader's connection (no second TCP
  // and TLS handshake before the first paint). The README's tag has
  // crossorigin="anonymous" (no credentials to another origin); a tag
  // without it, or one a page's script adds, is credentialed. The edge uses
  // no cookies either way (edge/src/cors.rs).
  var CREDENTIALS = script.crossOrigin === "anonymous" ? "same-origin" : "include";

  mark("loader-start");

  // Timeline marks for benchmarks and the host's own monitoring:
  // kindred:loader-start, kindred:data-ready, kindred:painted (first
  // testimonials laid out, before the frame that shows them paints; before
  // the wasm), kindred:wasm-ready, kindred:interactive (the live widget
  // mounted and laid out).
  function mark(name) {
    try {
      performance.mark("kindred:" + name);
    } catch (_) {}
  }

  function warn(brand, err) {
    try {
      var what = err && err.message ? err.message : err;
      console.warn(brand ? "[kindred] widget for brand '" + brand + "': " + what : "[kindred] " + what);
    } catch (_) {}
  }

  // What every loader copy on the page shares (several tags, re-inserted
  // tags, an old and a new loader): the widgets, the wasm runtime, the
  // shopper's identity token, the Trusted Types policy, the JSON-LD tags.
  // Kept under a symbol, so the page's own names are untouched; a value of
  // the page's own under that symbol is ignored.
  var PAGE = Symbol.for("kindred.page.v1");
  var local = null;
  function page() {
    var p = window[PAGE];
    if (p && Array.isArray(p.widgets)) return p;
    if (local) return local;
    local = { widgets: [], pending: [], runtime: null, glue: null, identity: null, tt: undefined, ld: {}, blocked: false };
    try {
      Object.defineProperty(window, PAGE, { value: local });
    } catch (_) {}
    watch(local);
    return local;
  }

  // The host's Kindred('identify', token) calls, queued or live.
  function identify(arg) {
    var pg = page();
    pg.identity = typeof arg === "string" && arg ? arg : null;
    if (pg.glue) pg.glue.identify(pg.identity);
  }

  // A Trusted Types policy for the one string that becomes script text
  // (JSON-LD, which never runs). Created once per page, only where the page
  // enforces Trusted Types; null when its CSP does not allow the name.
  function scriptText(text) {
    var pg = page();
    if (pg.tt === undefined) {
      pg.tt = null;
      try {
        if (window.trustedTypes && window.trustedTypes.createPolicy) {
          pg.tt = window.trustedTypes.createPolicy("kindred", { createScript: function (s) { return s; } });
        }
      } catch (_) {
        // The page restricts policy names: it enforces Trusted Types.
        pg.ttRefused = true;
      }
    }
    // Without its own default policy a plain string would be refused (and
    // reported as a violation): say so instead of trying.
    if (pg.ttRefused && !(window.trustedTypes && window.trustedTypes.defaultPolicy)) throw new Error("no Trusted Types policy");
    return pg.tt ? pg.tt.createScript(text) : text;
  }

  /** The page's own schema.org Product for this product (same sku or @id),
   * if it has one. */
  function pageProduct(productId) {
    var found = null;
    var tags = document.querySelectorAll('script[type="application/ld+json"]:not([data-kindred-jsonld])');
    for (var i = 0; i < tags.length && !found; i++) {
      try {
        var doc = JSON.parse(tags[i].textContent || "null");
        var nodes = [].concat(doc && doc["@graph"] ? doc["@graph"] : doc);
        for (var j = 0; j < nodes.length; j++) {
          var n = nodes[j];
          if (n && n.mainEntity) nodes.push(n.mainEntity);
          var types = [].concat(n && n["@type"]);
          var product = types.indexOf("Product") >= 0 || types.indexOf("ProductGroup") >= 0;
          if (product && (String(n.sku) === productId || (n["@id"] && String(n["@id"]).split("#").pop() === productId))) {
            found = n;
            break;
          }
        }
      } catch (_) {}
    }
    return found;
  }

  /** schema.org Product + AggregateRating + Review for search engines, on
   * product pages only (brand-level stars count as self-serving). Exactly
   * one node per product: a second widget for the same product replaces it;
   * if the page already describes the product with an @id, the ratings and
   * reviews are added to that node (same @id) instead of a second Product;
   * a page Product with the sku but no @id gets nothing (a second Product
   * would confuse search engines) and one warning. Returns the tag. */
  function jsonLd(payload, productId, productName) {
    if (!payload.aggregate || !payload.aggregate.count) return null;
    var own = pageProduct(productId);
    var name = (payload.product && payload.product.name) || productName;
    if (own && !own["@id"]) {
      warn(null, "the page's Product for '" + productId + "' has no @id: give it one and Kindred adds its ratings to it");
      return null;
    }
    if (own && own.aggregateRating) return null; // the page rates it already
    if (!own && !name) return null;
    var data = own
      ? { "@context": "https://schema.org", "@id": own["@id"] }
      : { "@context": "https://schema.org", "@type": "Product", name: name, sku: productId };
    data.aggregateRating = { "@type": "AggregateRating", ratingValue: payload.aggregate.average, reviewCount: payload.aggregate.count, bestRating: 5, worstRating: 1 };
    // Google requires a review's author: an anonymised one (its author
    // erased their data) is left out.
    data.review = (payload.testimonials || []).filter(function (t) { return t.author_name; }).slice(0, 5).map(function (t) {
      return {
        "@type": "Review",
        author: { "@type": "Person", name: t.author_name },
        reviewRating: { "@type": "Rating", ratingValue: t.rating, bestRating: 5, worstRating: 1 },
        name: t.title || undefined,
        reviewBody: t.body,
        datePublished: new Date(t.created_at).toISOString().slice(0, 10),
      };
    });
    var text;
    try {
      // JSON in a script element: escape '<' so text can never close the tag.
      // (A page's Array.prototype.toJSON, as Prototype.js adds, is bypassed.)
      var arrayToJson = Array.prototype.toJSON;
      if (arrayToJson) delete Array.prototype.toJSON;
      try {
        text = scriptText(JSON.stringify(data).replace(/</g, "\\u003c"));
      } finally {
        if (arrayToJson) Array.prototype.toJSON = arrayToJson;
      }
    } catch (_) {
      warn(null, "this page enforces Trusted Types: allow the policy 'kindred' (trusted-types kindred) for review rich results");
      return null;
    }
    // One tag per product, shared by its widgets (counted), newest data.
    var shared = page().ld[productId];
    if (shared && shared.tag.isConnected) {
      shared.count++;
      try {
        shared.tag.textContent = text;
      } catch (_) {}
      return productId;
    }
    var tag = document.createElement("script");
    tag.type = "application/ld+json";
    // Never shown, whatever the theme does to scripts (`* { all: unset }`
    // makes every <script> inline text): an inline !important beats the
    // page's rules, and CSSOM writes are not style attributes to a CSP.
    tag.style.setProperty("display", "none", "important");
    tag.setAttribute("data-kindred-jsonld", productId);
    try {
      tag.textContent = text;
    } catch (_) {
      return null;
    }
    (document.head || document.documentElement).appendChild(tag);
    page().ld[productId] = { tag: tag, count: 1 };
    return productId;
  }

  /** A widget's share of its product's JSON-LD ends; the last one removes it. */
  function dropJsonLd(productId) {
    var shared = page().ld[productId];
    if (!shared) return;
    shared.count--;
    if (shared.count <= 0) {
      shared.tag.remove();
      delete page().ld[productId];
    }
  }

  /* The UI's words: the message catalogues compiled from
   * widget/i18n/<locale>.ftl (format: core/src/i18n.rs). Inline: only the
   * few English words the loader says itself (EN, xtask's LOADER_MESSAGES);
   * a locale's file, English too, is fetched with the live widget (or, for
   * a shopper whose own votes are on the first page in another language,
   * with the data), once per page. The first paint's words, numbers and ratings come from the
   * edge's render (workerd's Intl); its relative dates from the browser's
   * Intl, as in the widget (widget/src/i18n.rs). */
  var own = function (o, k) { return Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined; };

  /** The UI locale: data-locale if given, else the page's <html lang>,
   * else the first of the browser's languages we have. By the tag's
   * language subtag as the browser's Intl canonicalizes it (CLDR's
   * aliases, UTS #35: `iw` is `he`, Dari's `prs` `fa`), among the shipped
   * locales; else en (silently). kindred_core::i18n::locale is the edge's
   * side; tests/fixtures/locale-aliases.json holds both to the same codes. */
  function localeFor(wanted) {
    var page = document.documentElement.getAttribute("lang");
    var tags = wanted ? [wanted] : page && page.trim() ? [page] : [].concat(navigator.languages || [], navigator.language || []);
    for (var i = 0; i < tags.length; i++) {
      var l = String(tags[i]).trim().split(/[-_]/)[0];
      try {
        l = Intl.getCanonicalLocales(l)[0].split("-")[0];
      } catch (_) {}
      l = l.toLowerCase();
      if (l === "en" || own(LOCALES, l)) return l;
    }
    return "en";
  }

  /** The catalogue for `locale`, fetched once per page (one retry): a
   * promise; English if it cannot load; rejected if English cannot either
   * (the live widget is never mounted with the loader's few words: the
   * testimonials stay read-only instead). */
  function catalogue(base, locale) {
    var pg = page();
    pg.catalogues = pg.catalogues || {};
    if (!own(pg.catalogues, locale)) {
      var get = function () {
        return fetch(base + "assets/" + I18N + locale + ".json", { credentials: "omit", mode: "cors" }).then(function (r) {
          if (!r.ok) throw new Error("catalogue " + r.status);
          return r.json();
        });
      };
      pg.catalogues[locale] = get().catch(get).catch(function (e) {
        delete pg.catalogues[locale];
        if (locale === "en") throw e;
        warn(null, "the '" + locale + "' messages did not load (" + (e && e.message) + "): English instead");
        return catalogue(base, "en");
      });
    }
    return pg.catalogues[locale];
  }

  // Intl formatters per locale and kind, each made once and only when
  // first used: a constructor loads the locale's data (the first paint
  // needs at most the relative dates', see `firstPaint`; a fresh Chromium
  // renderer spends 30 to 90 ms on its first Intl.NumberFormat).
  var formats = {};
  function fmt(locale, kind) {
    var f = own(formats, locale) || (formats[locale] = {});
    return own(f, kind) || (f[kind] = kind === "plural" ? new Intl.PluralRules(locale)
      : kind === "number" ? new Intl.NumberFormat(locale)
        : new Intl.RelativeTimeFormat(locale, { numeric: "auto" }));
  }

  /** Loads `locale`'s Intl data for the live widget's own formatters
   * (widget/src/i18n.rs `register`) while its files download, not in its
   * mount (see `formats`: the first number formatter is the costly one).
   * After the next paint, so the input that woke the widget is answered
   * first. */
  function warmIntl(locale) {
    requestAnimationFrame(function () {
      setTimeout(function () {
        try {
          fmt(locale, "number");
          fmt(locale, "plural");
          fmt(locale, "relative");
        } catch (_) {}
      }, 0);
    });
  }

  /** Message `id` of catalogue `cat` with `args` (see widget/src/i18n.rs:
   * a plural message picks the exact number, else Intl.PluralRules'
   * category, else its default; numbers are formatted for the locale). */
  function msg(cat, id, args) {
    args = args || {};
    var m = own(cat.messages, id);
    if (m && typeof m === "object") {
      var v = own(args, own(m, "$")), pick;
      if (typeof v === "number") pick = own(m, String(v)) !== undefined ? own(m, String(v)) : own(m, fmt(cat.locale, "plural").select(v));
      else if (typeof v === "string") pick = own(m, v);
      m = pick !== undefined ? pick : own(m, own(m, "*"));
    }
    if (typeof m !== "string") return id;
    return m.replace(/\{([\w-]+)\}/g, function (all, name) {
      var a = own(args, name);
      return a === undefined ? all : typeof a === "number" ? fmt(cat.locale, "number").format(a) : String(a);
    });
  }

  /** core::time::relative_unit: `[count, unit]` for a moment `d` ms ago. */
  function relativeUnit(d) {
    var M = 60000, H = 60 * M, D = 24 * H, units = [[365 * D, "year"], [30 * D, "month"], [D, "day"], [H, "hour"], [M, "minute"]];
    for (var i = 0; i < units.length; i++) if (d >= units[i][0]) return [Math.floor(d / units[i][0]), units[i][1]];
    return [0, "second"];
  }

  /** A `[count, unit]` from `relativeUnit`, as "3 days ago" in `locale`'s Intl. */
  function ago(locale, u) {
    return fmt(locale, "relative").format(-u[0], u[1]);
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

  /* The first view's markup, rendered on the edge by the widget's own
   * components (WidgetPayload.markup, kindred_widget::first_paint_html),
   * built into nodes with createElement and createTextNode: no HTML parser
   * sink (innerHTML, DOMParser), so a page that enforces Trusted Types needs
   * no policy for it. Only what the first view uses is accepted (elements,
   * attributes, a style that is the brand's accent, photo and link URLs on
   * our edge: relative to its base as the edge renders them, resolved
   * against the loader's own base, so a shop that serves us through a path
   * of its own gets them there; an absolute one under that base, from an
   * edge older than this loader);
   * anything else refuses the whole markup, and the live widget renders
   * the view instead. */
  var TAGS = /^(section|header|footer|div|h2|h3|h4|p|span|strong|ul|ol|li|button|label|select|option|img|time|a)$/;
  var ATTRS = /^(class|part|role|dir|lang|type|value|disabled|selected|width|height|loading|decoding|alt|datetime|data-id|aria-[a-z]+|src|style|href|target|rel)$/;
  var TOKEN = /<!--[\s\S]*?-->|<!>|<(\/?)([a-z][a-z0-9]*)((?:\s+[a-z][a-z0-9-]*(?:="[^"]*")?)*)\s*\/?>|[^<]+/g;
  var ATTR = /\s+([a-z][a-z0-9-]*)(?:="([^"]*)")?/g;
  var ENTITY = /&(?:#(\d+)|#x([0-9a-fA-F]+)|(amp|lt|gt|quot|apos));/g;
  // A path below the edge's base: no scheme, host, leading slash, escape
  // or other character a URL would read another way (dot segments are
  // caught by `under`).
  var BELOW = /^[a-z0-9][a-z0-9_\-.~\/?=&+]*$/i;

  /** `value` (an edge-rendered src or href) as a URL under `base`, or "":
   * a relative one resolved against `base`, an absolute one (an edge older
   * than this loader) taken as it is; either only if the browser reads it
   * as written (no dot segment moves it) and it stays under `base`. */
  function under(value, base) {
    var url = value.indexOf(base) === 0 ? value : BELOW.test(value) ? base + value : "";
    try {
      return url && new URL(url).href === url ? url : "";
    } catch (_) {
      return "";
    }
  }
  var NAMED = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

  function text(s) {
    return s.replace(ENTITY, function (all, dec, hex, name) {
      if (name) return NAMED[name];
      var n = dec ? parseInt(dec, 10) : parseInt(hex, 16);
      return n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : "\ufffd";
    });
  }

  function build(html, base) {
    var top = document.createDocumentFragment(), stack = [top], m, at = 0;
    TOKEN.lastIndex = 0;
    while (at < html.length) {
      m = TOKEN.exec(html);
      if (!m || m.index !== at) throw new Error("markup: unexpected text at " + at);
      at = TOKEN.lastIndex;
      var parent = stack[stack.length - 1];
      if (m[0].charAt(0) !== "<") {
        parent.appendChild(document.createTextNode(text(m[0])));
      } else if (m[2] && m[1]) {
        if (stack.length < 2 || parent.localName !== m[2]) throw new Error("markup: </" + m[2] + "> closes nothing");
        stack.pop();
      } else if (m[2]) {
        if (!TAGS.test(m[2])) throw new Error("markup: <" + m[2] + ">");
        var el = document.createElement(m[2]), a;
        ATTR.lastIndex = 0;
        while ((a = ATTR.exec(m[3]))) {
          var name = a[1], value = text(a[2] || "");
          if (name === "src" || name === "href") value = under(value, base);
          var ok = ATTRS.test(name) &&
            (name !== "src" || (m[2] === "img" && value.indexOf(base) === 0)) &&
            (name !== "href" || (m[2] === "a" && value.indexOf(base) === 0)) &&
            (name !== "target" || value === "_blank") &&
            (name !== "rel" || value === "noopener") &&
            (name !== "style" || /^--kr-brand-accent:#[0-9a-fA-F]{6};?$/.test(value));
          if (!ok) throw new Error("markup: " + name + " on <" + m[2] + ">");
          // Through the CSSOM, as the live widget sets it: a page whose CSP
          // refuses inline styles (style-src without 'unsafe-inline') blocks
          // a style attribute, not this.
          if (name === "style") el.style.setProperty("--kr-brand-accent", value.slice(value.indexOf(":") + 1).replace(/;$/, ""));
          else el.setAttribute(name, value);
        }
        parent.appendChild(el);
        if (m[2] !== "img") stack.push(el);
      }
      // Comments (Leptos' markers) carry nothing for the first paint.
    }
    if (stack.length !== 1 || top.childNodes.length !== 1 || top.firstChild.localName !== "section") throw new Error("markup: not one section");
    return top.firstChild;
  }

  /** The first paint: the edge's markup in its wrapper, with what only this
   * browser knows: relative dates for now and the shopper's own helpful
   * votes (the live widget shows both the same way). A date the edge wrote
   * (as of `markup_at`) that reads the same now (same count and unit) is
   * kept; another is written again in `locale` with the browser's Intl,
   * whose data a cold page takes tens of milliseconds to load (so most
   * first paints make no formatter). The trade-off: a kept date is in the
   * words of the edge's Intl (workerd's ICU), and the live widget's are the
   * browser's; a browser whose CLDR words differ for the same count and
   * unit sees them change when the live widget comes (the first-paint
   * browser test holds Chromium's and workerd's equal in English and
   * Arabic). */
  function firstPaint(p, base, cat, locale) {
    var section = build(String(p.markup || ""), base);
    var now = Date.now(), at = p.markup_at;
    // A finite number, or none (NaN - NaN and Infinity - Infinity are NaN).
    if (typeof at !== "number" || at - at !== 0) at = null;
    section.querySelectorAll("time[datetime]").forEach(function (t) {
      var then = Date.parse(t.getAttribute("datetime"));
      if (then !== then) return;
      var was = at === null ? null : relativeUnit(at - then), is = relativeUnit(now - then);
      if (was && was[0] === is[0] && was[1] === is[1]) return;
      // Without a working Intl (an old browser, a page's stub) the edge's
      // words stay.
      try {
        t.textContent = ago(locale, is);
      } catch (_) {}
    });
    var voted = votedIds();
    section.querySelectorAll(".kr-card[data-id]").forEach(function (c) {
      var b = voted.indexOf(c.getAttribute("data-id")) >= 0 && c.querySelector(".kr-helpful");
      if (!b) return;
      b.setAttribute("aria-pressed", "true");
      b.setAttribute("disabled", "");
      for (var n = b.firstChild; n; n = n.nextSibling) {
        if (n.nodeType === 3) {
          n.data = msg(cat, "helpful-done");
          break;
        }
      }
    });
    // Not inert: what the shopper clicks or chooses here is replayed on the
    // live widget (see `recorder`).
    var wrap = document.createElement("div");
    wrap.className = "kr-first-paint k";
    wrap.appendChild(section);
    return wrap;
  }

  function runtime(base) {
    var pg = page();
    var shared = pg.runtime;
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
        // The chunk loader takes what `ahead` already asked for.
        if (typeof parts[2].__kindred_ahead === "function") parts[2].__kindred_ahead(aheadOf(pg));
        return glue.default({ module_or_path: parts[1] }).then(function () {
          mark("wasm-ready");
          pg.glue = glue;
          if (pg.identity) glue.identify(pg.identity);
          return glue;
        });
      });
      pg.runtime = shared;
      // A failed load (offline for a moment) is tried again by the next mount.
      shared.catch(function () {
        if (pg.runtime === shared) pg.runtime = null;
      });
    }
    return shared;
  }

  /** The page's chunk downloads, `{ absolute URL: Promise<WebAssembly.Module
   * or Response> }`, shared with the chunk loader, which takes each one
   * once (its entry is then null, so it is never asked for again) or
   * fetches the file itself: no chunk is asked for twice. */
  function aheadOf(pg) {
    return pg.ahead || (pg.ahead = Object.create(null));
  }

  /** The files in a part's pack (`part_<part>.wasm`, xtask/src/build.rs
   * `pack`: the wasm header, then one custom section per file, named after
   * it), `{ file name: Uint8Array }`. Throws on anything else. */
  function unpack(buf) {
    var b = new Uint8Array(buf), at = 8, out = Object.create(null);
    var leb = function () {
      var n = 0, shift = 0, x;
      do {
        if (at >= b.length || shift > 28) throw new Error("pack: bad length");
        x = b[at++];
        n += (x & 127) * Math.pow(2, shift);
        shift += 7;
      } while (x & 128);
      return n;
    };
    if (b.length < 8 || b[0] !== 0 || b[1] !== 97 || b[2] !== 115 || b[3] !== 109 || b[4] !== 1 || b[5] || b[6] || b[7]) throw new Error("pack: not wasm");
    while (at < b.length) {
      if (b[at++] !== 0) throw new Error("pack: not a custom section");
      var size = leb(), end = at + size, len = leb();
      if (end > b.length || len > 64 || at + len > end) throw new Error("pack: bad section");
      out[String.fromCharCode.apply(null, b.subarray(at, at + len))] = b.subarray(at + len, end);
      at = end;
    }
    return out;
  }

  /** Starts the downloads of `part` (one of PARTS' keys: its own module and
   * its shared chunks) now, before the live widget asks for them: on a
   * first visit the click on "Write a review" then waits for the main
   * module and the form's files side by side, not one after the other.
   * The first part asked for comes in one request (its pack); a later one
   * asks only for the files no earlier part brought. Each file is compiled
   * off the main thread, a file of its own as it streams in, a pack's once
   * the whole pack is in: the chunk loader only instantiates. */
  function fetchAhead(base, part) {
    var chunks = PARTS[part], pg = page();
    // Not for a shopper who asked their browser to save data, nor where the
    // live widget cannot run.
    if (!chunks || typeof WebAssembly !== "object" || pg.blocked || !wasmAllowed() || (navigator.connection && navigator.connection.saveData)) return;
    var ahead = aheadOf(pg), dir = new URL(base + "assets/" + SPLIT, location.href);
    var files = ["split_" + part + ".wasm"].concat(chunks.map(function (n) { return "chunk_" + n + ".wasm"; }));
    var urls = files.map(function (f) { return new URL(f, dir).href; });
    var get = function (url) {
      // After the main module's own requests (the caller defers), and below
      // them in the browser's queue.
      return Promise.resolve().then(function () { return fetch(url, { credentials: "omit", mode: "cors", priority: "low" }); });
    };
    var one = function (url) {
      return get(url).then(function (r) {
        return typeof WebAssembly.compileStreaming === "function" ? WebAssembly.compileStreaming(r) : r;
      });
    };
    // A pack that failed once (an older deploy, a proxy in the way) is not
    // asked for again on this page; its files come one by one at once.
    var packed = !pg.noPack && typeof WebAssembly.compile === "function" && urls.every(function (u) { return !(u in ahead); }) &&
      get(new URL("part_" + part + ".wasm", dir).href).then(function (r) {
        if (!r || !r.ok) throw new Error("pack: " + (r && r.status));
        return r.arrayBuffer();
      }).then(unpack);
    if (packed) packed.catch(function () { pg.noPack = true; });
    urls.forEach(function (url, i) {
      if (url in ahead) return;
      var got = packed
        ? packed.then(function (all) {
          if (!own(all, files[i])) throw new Error("pack: no " + files[i]);
          return WebAssembly.compile(all[files[i]]);
        }).catch(function () { return one(url); })
        : one(url);
      ahead[url] = got;
      // A failed download is forgotten: the chunk loader fetches it itself.
      got.then(function (m) {
        if (!(m instanceof WebAssembly.Module) && !(m && m.ok)) throw new Error();
      }).catch(function () {
        if (ahead[url] === got) delete ahead[url];
      });
    });
  }

  /** `fetchAhead` a task later (after the requests the caller starts now,
   * such as the main module's), never throwing into the page. */
  function fetchAheadSoon(base, part) {
    setTimeout(function () {
      try {
        fetchAhead(base, part);
      } catch (_) {}
    }, 0);
  }

  /** Whether a referred friend's offer shows on this page, by the rule of
   * widget/src/referral.rs `arrival_code` (keep the two alike): the brand
   * runs a referral program, and the first `kindred_ref` on the URL is a
   * code, or, without one, this site remembers a code for this brand (the
   * attribution window). */
  function offerExpected(payload, brand) {
    if (!payload.brand || !payload.brand.referral) return false;
    var pairs = location.search.replace(/^\?/, "").split("&");
    for (var i = 0; i < pairs.length; i++) {
      if (pairs[i].indexOf("kindred_ref=") !== 0) continue;
      var code = "";
      try {
        code = decodeURIComponent(pairs[i].slice(12));
      } catch (_) {}
      if (code) return true;
      break;
    }
    try {
      var kept = JSON.parse(localStorage.getItem("kindred.referral") || "null");
      return !!kept && kept.brand === brand && typeof kept.code === "string" && kept.code !== "";
    } catch (_) {
      return false;
    }
  }

  /** `fn` for each event of `types` on `root`, capturing and passive;
   * returns the cleanup. */
  function capture(root, types, fn) {
    types.forEach(function (t) { root.addEventListener(t, fn, { capture: true, passive: true }); });
    return function () {
      types.forEach(function (t) { root.removeEventListener(t, fn, true); });
    };
  }

  /** Listens on `root` (first paint or live widget) for a shopper's hand on
   * a part's opener (INTENT, OPENERS) and starts that part's downloads.
   * Returns the cleanup. */
  function aheadOnIntent(root, base) {
    return capture(root, INTENT, function (ev) {
      var t = ev.target;
      if (!t || !t.closest) return;
      // The first part asked for gets its one-file pack.
      for (var i = 0; i < OPENERS.length; i++) {
        if (!t.closest(OPENERS[i][0])) continue;
        // The same touch wakes the live widget (`demand`): its main module
        // is asked for first.
        fetchAheadSoon(base, OPENERS[i][1]);
        break;
      }
    });
  }

  /** Adds `css` to the shadow root, after its sheets so far: widget.css
   * (CSS) as it is made, then the live widget's (the glue's
   * `__kindred_css`, xtask build.rs `LIVE_CSS_EXPORT`) before it mounts.
   * Without constructable sheets: one <style>, first in the root. A
   * constructed sheet is parsed once per page and adopted by every widget
   * on it (`page().sheets`, keyed by its text: two Kindred versions on one
   * page keep their own). */
  function sheet(root, css) {
    if (root.adoptedStyleSheets !== undefined && typeof CSSStyleSheet === "function") {
      try {
        var pg = page();
        var s = pg.sheets && pg.sheets.get(css);
        if (!s) {
          s = new CSSStyleSheet();
          s.replaceSync(css);
          (pg.sheets = pg.sheets || new Map()).set(css, s);
        }
        root.adoptedStyleSheets = root.adoptedStyleSheets.concat(s);
        return;
      } catch (_) {}
    }
    var style = root.firstChild;
    if (!style || style.nodeName !== "STYLE") style = root.insertBefore(document.createElement("style"), style);
    style.textContent += css;
  }

  function registry() {
    return page().widgets;
  }

  /** One observer for the page: a widget whose element leaves the page
   * stops, unless it comes back within a second (a framework that detaches
   * and re-attaches the same element, e.g. a kept-alive view). */
  function watch(pg) {
    try {
      new MutationObserver(function () {
        pg.widgets.forEach(function (w) {
          // Back in time: a later departure gets a second of its own.
          if (w.host.isConnected) {
            if (w.leaving) clearTimeout(w.leaving);
            w.leaving = null;
            return;
          }
          if (w.leaving) return;
          w.leaving = setTimeout(function () {
            w.leaving = null;
            if (!w.host.isConnected) w.stop();
          }, 1000);
        });
      }).observe(document, { childList: true, subtree: true });
    } catch (_) {}
    // A page whose policy forbids WebAssembly or our scripts: the frame
    // fallback (other violations, e.g. a blocked photo, change nothing).
    try {
      var origin = new URL(script.src).origin;
      document.addEventListener("securitypolicyviolation", function (e) {
        var d = String(e.effectiveDirective || e.violatedDirective || "");
        if (e.blockedURI === "wasm-eval" || e.blockedURI === "eval" || (/^(script-src|connect-src)/.test(d) && String(e.blockedURI).indexOf(origin) === 0)) {
          pg.blocked = true;
        }
      });
    } catch (_) {}
  }

  /** The edge's rules for ids (kindred_core::ids: `pattern`, `RULE`),
   * written in by `cargo xtask build`: an id the edge would refuse is
   * caught here, with a warning, rather than by a refused request. */
  var IDS = __KINDRED_IDS__;
  var BRAND_ID = new RegExp(IDS.brand[0]);
  var PRODUCT_ID = new RegExp(IDS.product[0]);

  /** How the cards are laid out (widget.css): one column, columns of
   * cards (a wall), or one row that scrolls sideways (a carousel). */
  var LAYOUTS = ["list", "wall", "carousel"];

  function options(script) {
    var get = function (k) {
      var v = script.getAttribute("data-" + k);
      return v === null && embedded && embedded[k] != null ? embedded[k] : v;
    };
    return { brand: get("brand"), product: get("product"), productName: get("product-name"), target: get("target"), identity: get("identity"), seo: get("seo"), firstView: get("first-view"), locale: get("locale"), layout: get("layout"), contextTags: get("context-tags") };
  }

  /** Checks the options; a malformed value is ignored with one warning
   * (a missing or malformed brand: nothing is rendered). */
  function checked(o) {
    var out = { brand: String(o.brand || "").trim(), product: null, productName: o.productName || null, identity: o.identity || null, seo: o.seo, firstView: FIRST_VIEW, locale: null, layout: "list", contextTags: o.contextTags ? String(o.contextTags).slice(0, 400) : "" };
    if (!BRAND_ID.test(out.brand)) {
      warn(out.brand, "data-brand must be the brand's id: " + IDS.brand[1]);
      return null;
    }
    if (o.product) {
      if (PRODUCT_ID.test(String(o.product))) out.product = String(o.product);
      else warn(out.brand, "ignoring data-product '" + o.product + "': " + IDS.product[1]);
    }
    if (o.seo && o.seo !== "off") warn(out.brand, "ignoring data-seo '" + o.seo + "' (only \"off\" is known)");
    if (o.locale) {
      // A language tag (BCP 47 shape); one we do not ship means English.
      if (/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$/.test(String(o.locale))) out.locale = String(o.locale);
      else warn(out.brand, "ignoring data-locale '" + o.locale + "': a language tag such as 'de' or 'pt-BR'");
    }
    if (o.layout) {
      if (LAYOUTS.indexOf(String(o.layout)) >= 0) out.layout = String(o.layout);
      else warn(out.brand, "ignoring data-layout '" + o.layout + "': " + LAYOUTS.join(", "));
    }
    if (o.firstView !== null && o.firstView !== undefined) {
      var px = /^\d{3,4}$/.test(String(o.firstView)) ? Number(o.firstView) : NaN;
      if (px >= FIRST_VIEW_MIN && px <= FIRST_VIEW_MAX) out.firstView = px;
      else warn(out.brand, "ignoring data-first-view '" + o.firstView + "': a height in px from " + FIRST_VIEW_MIN + " to " + FIRST_VIEW_MAX);
    }
    return out;
  }

  var TARGET_WAIT_MS = 10000;

  /** Calls `then(container, before)` once the widget's place exists: the
   * target (waited for until the page has loaded, then up to 10 s more),
   * or right after the tag. Never inside <head>: a tag there without a
   * target renders at the end of <body>, with one warning. */
  function place(script, selector, brand, then0) {
    var then = function (container, before) {
      try {
        then0(container, before);
      } catch (e) {
        warn(brand, e);
      }
    };
    var inHead = function (el) { return !!(el && el.closest && el.closest("head")); };
    if (typeof selector === "string") {
      try {
        document.querySelector(selector);
      } catch (_) {
        warn(brand, "data-target \"" + selector + "\" is not a valid CSS selector");
        return;
      }
    }
    if (!selector) {
      if (script.parentNode && !inHead(script)) return then(script.parentNode, script.nextSibling);
      return whenBody(function () {
        warn(brand, "the tag is in <head>: the widget goes at the end of <body> (add data-target=\"#your-element\" to choose where)");
        then(document.body, null);
      });
    }
    var find = function () {
      try {
        var el = typeof selector === "string" ? document.querySelector(selector) : selector;
        return el && el.isConnected && !inHead(el) ? el : null;
      } catch (_) {
        return null;
      }
    };
    var el = find();
    if (el) return then(el, null);
    var done = false, observer = null, timer = null;
    var finish = function (found) {
      if (done) return;
      done = true;
      if (observer) observer.disconnect();
      if (timer) clearTimeout(timer);
      if (found) then(found, null);
      else warn(brand, "data-target \"" + selector + "\" matched no element in <body>: check the selector, or put the tag after the element");
    };
    try {
      observer = new MutationObserver(function () {
        var f = find();
        if (f) finish(f);
      });
      observer.observe(document, { childList: true, subtree: true });
    } catch (_) {}
    whenLoaded(function () {
      var f = find();
      if (f) return finish(f);
      timer = setTimeout(function () { finish(find()); }, TARGET_WAIT_MS);
    });
  }

  function whenBody(fn) {
    if (document.body) fn();
    else document.addEventListener("DOMContentLoaded", fn, { once: true });
  }

  function whenLoaded(fn) {
    if (document.readyState === "complete") fn();
    else window.addEventListener("load", fn, { once: true });
  }

  function boot(script) {
    // A single-page storefront may load the loader once and mount widgets
    // by command only: <script src=".../embed.js" data-mount="manual" async>.
    if (script.getAttribute("data-mount") === "manual") return listen(BASE);
    var raw = options(script);
    var o = checked(raw);
    if (!o) return;
    o.base = BASE;
    if (o.identity) identify(o.identity);
    listen(o.base);
    place(script, raw.target, o.brand, function (container, before) {
      // A tag re-inserted for the same target replaces the widget there.
      if (raw.target) clearWithin(container);
      start(o, container, before);
    });
  }

  function clearWithin(container) {
    var r = registry();
    for (var i = r.length - 1; i >= 0; i--) if (container.contains(r[i].host)) r[i].remove();
  }

  /** The page's Kindred(...) calls: mount, unmount, refresh, identify. Only
   * a page that defined the stub queue gets a live function in its place;
   * a window.Kindred of the page's own is left alone. */
  var listening = false;
  function listen(base) {
    if (listening) return;
    listening = true;
    var k = window.Kindred;
    if (typeof k !== "function" || k.kindred) return;
    var q = Array.isArray(k.q) ? k.q : [];
    var live = function (name, arg) {
      try {
        pageCommand(name, arg, base);
      } catch (e) {
        warn(null, e);
      }
    };
    live.q = [];
    live.kindred = true;
    try {
      window.Kindred = live;
    } catch (_) {
      // A frozen or getter-only Kindred: the queued calls still run.
    }
    for (var i = 0; i < q.length; i++) live(q[i][0], q[i][1]);
  }

  function pageCommand(name, arg, base) {
    var r = registry();
    var within = function (w, t) {
      var el = typeof t === "string" ? document.querySelector(t) : t;
      return !t || (el && (el === w.host || el.contains(w.host)));
    };
    if (name === "identify") return identify(arg);
    if (name === "unmount") {
      for (var i = r.length - 1; i >= 0; i--) if (within(r[i], arg)) r[i].remove();
      // Mounts still waiting for their target are called off too: that
      // target, or (known once it appears) one inside what was unmounted.
      page().pending.forEach(function (m) {
        if (!arg || m.target === arg) m.cancelled = true;
        else if (m.unmounted) m.unmounted.push(arg);
      });
      return;
    }
    if (name === "refresh") {
      r.slice().forEach(function (w) { if (within(w, arg && arg.target)) w.refresh(); });
      return;
    }
    if (name === "mount") {
      var a = arg || {};
      if (!a.target) return warn(a.brand, "Kindred('mount', { target, brand, product }) needs a target");
      var o = checked({ brand: a.brand, product: a.product, productName: a.productName, identity: a.identity, seo: a.seo, firstView: a.firstView, locale: a.locale, layout: a.layout, contextTags: a.contextTags });
      if (!o) return;
      o.base = base;
      if (o.identity) identify(o.identity);
      var pending = page().pending, call = { target: a.target, cancelled: false, unmounted: [] };
      pending.push(call);
      place(document.currentScript || document.body, a.target, o.brand, function (container) {
        pending.splice(pending.indexOf(call), 1);
        var inside = call.unmounted.some(function (u) {
          try {
            return typeof u === "string" ? !!container.closest(u) : !!(u && u.contains && u.contains(container));
          } catch (_) {
            return false;
          }
        });
        if (call.cancelled || inside) return;
        // Mounting into a target replaces the widget already there.
        clearWithin(container);
        start(o, container, null);
      });
      return;
    }
    warn(null, "unknown command Kindred('" + name + "')");
  }

  /** One widget: its host element in `container` (before `before`), its
   * data, first paint, live mount and JSON-LD; `stop()` ends it all. */
  function start(o, container, before) {
    // Our element name, unless the page registered it for something else.
    var name = window.customElements && window.customElements.get("kindred-widget") ? "kindred-widget-" + Math.random().toString(36).slice(2, 8) : "kindred-widget";
    var host = document.createElement(name);
    host.className = "kindred-widget";
    host.setAttribute("data-kindred-brand", o.brand);
    if (o.product) host.setAttribute("data-kindred-product", o.product);
    // The UI's language and direction, whatever the page's.
    o.ui = localeFor(o.locale);
    var first = request(o);
    host.setAttribute("lang", o.ui);
    host.setAttribute("dir", own(LOCALES, o.ui) || "ltr");
    // Important: a page's `kindred-widget { --kr-first-view: ... !important }`
    // must not change the height the template reserved.
    host.style.setProperty("--kr-first-view", o.firstView + "px", "important");
    if (o.layout !== "list") host.setAttribute("data-kindred-layout", o.layout);
    container.insertBefore(host, before);

    var root = host.attachShadow({ mode: "open" });
    sheet(root, CSS);
    var w = { host: host, stopped: false, mountId: null, ld: null, cleanup: [] };
    w.stop = function () {
      if (w.stopped) return;
      w.stopped = true;
      var r = registry(), i = r.indexOf(w);
      if (i >= 0) r.splice(i, 1);
      if (w.ld) dropJsonLd(w.ld);
      w.cleanup.forEach(function (f) { f(); });
      var glue = page().glue;
      if (w.mountId !== null && glue && typeof glue.unmount === "function") glue.unmount(w.mountId);
    };
    w.remove = function () {
      w.stop();
      host.remove();
    };
    w.refresh = function () {
      var next = host.nextSibling, parent = host.parentNode;
      w.remove();
      if (parent) start(o, parent, next);
    };
    registry().push(w);
    w.cleanup.push(first.abort);
    w.cleanup.push(track(o, root, host, w));
    w.cleanup.push(aheadOnIntent(root, o.base));
    w.cleanup.push(heldKeys(root));
    render(o, root, host, w, first);
  }

  /** A held key activates one control, once: the browser repeats a held
   * Enter as keydowns with `repeat` set, and each one activates whatever
   * button or link then has focus. The widget moves focus itself ("Show
   * all" puts it on the first card's "Helpful"; a form's submit on its
   * status), so a held Enter would go on to vote, open or send. Cancelled
   * here, in the capture phase on the shadow root, for the first paint and
   * the live widget alike, and for a one-line field (a held Enter there
   * would submit its form again and again). A text area keeps the repeats
   * of an Enter pressed in it (a held Enter in a review's text is lines),
   * not those of one pressed elsewhere (a refused form's submit puts the
   * focus on its text). Returns the cleanup. */
  function heldKeys(root) {
    var pressedOn = null;
    var fn = function (ev) {
      if (ev.key !== "Enter") return;
      var t = ev.target;
      if (!ev.repeat) {
        pressedOn = t;
        return;
      }
      if (t === pressedOn && t && t.closest && t.closest("textarea, [contenteditable]:not([contenteditable=false])")) return;
      ev.preventDefault();
    };
    root.addEventListener("keydown", fn, true);
    return function () {
      root.removeEventListener("keydown", fn, true);
    };
  }

  // What only the browser sees, for the brand's analytics
  // (kindred_core::analytics): the widget on screen (once per load), the
  // review form opened and a referral link shared (the shopper's own
  // clicks: replayed ones are not counted twice). Sent as a keepalive POST
  // of text/plain at low priority (no identifier, no preflight, and it
  // outlives the page as a beacon does), with the loader's credentials
  // mode (CREDENTIALS), so over the loader's connection (sendBeacon is
  // always credentialed: with the README's tag it opened another). CORS mode,
  // so the edge sees the page's origin whatever its Referrer-Policy (a
  // no-cors POST under `no-referrer` says `Origin: null`). Inside the frame
  // fallback the request is the edge's own origin and names the embedding
  // page, as the live widget's writes do (edge: check_write_origin). A
  // browser whose fetch has no keepalive uses sendBeacon. The view only
  // once the widget is painted and the browser idle, so it never competes
  // with a first paint.
  var TRACK = [[".kr-write-open[aria-expanded=false]", "form_open"], [".kr-ref-mine .kr-ref-copy, .kr-ref-native, .kr-ref-share a", "link_shared"]];
  function track(o, root, host, w) {
    var send = function (kind) {
      // The page's policy keeps us from the edge (the frame fallback counts).
      if (page().blocked) return;
      try {
        var e = { kind: kind };
        if (o.product) e.product = o.product;
        var url = o.base + "v1/brands/" + encodeURIComponent(o.brand) + "/events", body = JSON.stringify({ events: [e] });
        if (typeof Request === "function" && "keepalive" in Request.prototype) {
          var init = { method: "POST", body: body, keepalive: true, credentials: CREDENTIALS, mode: "cors", priority: "low" };
          var embedder = document.documentElement.getAttribute("data-kindred-embedder");
          if (embedder) init.headers = { "x-kindred-embedder": embedder };
          fetch(url, init).catch(function () {});
        } else if (navigator.sendBeacon) {
          navigator.sendBeacon(url, body);
        }
      } catch (_) {}
    };
    var io = null, started = false, off = false;
    w.painted = function () {
      if (started || typeof IntersectionObserver !== "function") return;
      started = true;
      var later = window.requestIdleCallback || function (f) { return setTimeout(f, 1); };
      later(function () {
        if (w.stopped || off) return;
        try {
          io = new IntersectionObserver(function (entries) {
            if (!io || !entries.some(function (e) { return e.isIntersecting; })) return;
            io.disconnect();
            io = null;
            send("widget_view");
          });
          io.observe(host);
        } catch (_) {}
      }, { timeout: 2000 });
    };
    w.unwatch = function () {
      started = off = true;
      if (io) io.disconnect();
      io = null;
    };
    var click = function (ev) {
      if (!ev.isTrusted || !ev.target || !ev.target.closest) return;
      for (var i = 0; i < TRACK.length; i++) if (ev.target.closest(TRACK[i][0])) return send(TRACK[i][1]);
    };
    root.addEventListener("click", click, true);
    return function () {
      if (io) io.disconnect();
      root.removeEventListener("click", click, true);
    };
  }

  /** Whether the first view's cards fit in it, and its footer too:
   * `data-kindred-fits` on `host`, "cards" (no fade) or "" (no fade, no
   * "Show all": widget.css); "clamped" when they fit but a review's text
   * shows only its first lines (no fade, "Show all" stays). Measured by a ResizeObserver on the view's feed and footer
   * (CLIPPED), whose callback runs once the browser
   * has laid the markup out and before it paints that frame: the answer
   * never moves anything on screen, and the task that put the markup in
   * does not also pay for its layout (one long task becomes two shorter
   * ones: Total Blocking Time). Each is as tall as its content, up to the
   * room the view leaves it, so one changes size whenever the answer may
   * change: a turned phone, a web font or a photo that makes cards taller,
   * a widget first laid out later (a closed <details>, a hidden tab, a
   * theme's `content-visibility: auto`). The attribute changes no box
   * (widget.css hides "Show all" with `visibility`), so answering cannot
   * resize what is observed, under any theme: no "ResizeObserver loop"
   * error reaches the page. Watching stops once the first view is opened.
   * `then` runs once, at the first measurement of a feed that has a box
   * (layout done, paint next; not under `display: none`), or of a view
   * already opened. Returns the
   * function that stops watching. */
  function watchFits(root, host, then) {
    var first = true;
    var measure = function () {
      var parts = root.querySelectorAll(CLIPPED), feed = parts[0], all = true;
      if (!feed) {
        // Opened between `observe` and the first callback (a focus
        // replayed onto a clipped control): laid out all the same.
        if (first) {
          first = false;
          then();
        }
        return false;
      }
      var fit = function (el) { return el.scrollHeight <= el.clientHeight + 1; };
      for (var i = 0; i < parts.length; i++) all = all && fit(parts[i]);
      // A carousel is one row: its height says nothing of what is left to
      // see, so "Show all" stays. It stays too, without the fade, while a
      // review's text shows only its first lines (widget.css, on a phone).
      if (host.getAttribute("data-kindred-layout") !== "carousel" && feed.clientHeight > 0 && fit(feed)) host.setAttribute("data-kindred-fits", ![].every.call(root.querySelectorAll(".kr-first .kr-body"), fit) ? "clamped" : all ? "" : "cards");
      else host.removeAttribute("data-kindred-fits");
      // Laid out (a box, even one the view leaves no room): painted.
      if (first && feed.getClientRects().length) {
        first = false;
        then();
      }
      return true;
    };
    var parts = root.querySelectorAll(CLIPPED);
    var ro = null;
    try {
      if (parts.length) {
        ro = new ResizeObserver(function () {
          if (!measure() && ro) ro.disconnect();
        });
        for (var i = 0; i < parts.length; i++) ro.observe(parts[i]);
      }
    } catch (_) {
      ro = null;
    }
    if (!ro) {
      // No working ResizeObserver (or no first view): measure once, now,
      // which lays the page out in this task; `then` in the next frame.
      first = false;
      measure();
      requestAnimationFrame(then);
      return function () {};
    }
    return function () {
      ro.disconnect();
    };
  }

  function skeletonOf() {
    var skeleton = document.createElement("div");
    skeleton.className = "kr-skeleton";
    skeleton.setAttribute("aria-busy", "true");
    ["kr-sk-title", "kr-sk-card", "kr-sk-card"].forEach(function (c) {
      var d = document.createElement("div");
      d.className = c;
      skeleton.appendChild(d);
    });
    return skeleton;
  }

  // When the live widget (the wasm) loads: the first paint needs none of
  // it. A shopper's first touch of the widget (pointer over or down, a
  // key, focus, a click: assistive technology may send only the click)
  // starts it at once, and what they clicked or chose is replayed on the
  // live widget. A stranger's widget waits for that touch: their first
  // paint is the whole of what they see, and compiling and starting the
  // wasm unasked would take the main thread from the page for nothing
  // (Lighthouse counted it as Total Blocking Time). A shopper the widget
  // has something for without a click (a friend's referral, a group
  // invite or a review link on the URL; a reviewer, group member or
  // referred friend this site's storage remembers: see `expected`) gets it
  // as before: the live widget starts when the browser is next idle (at
  // most IDLE_MS later) once the widget is within NEAR of the viewport.
  // Once the runtime is on the page, every new widget goes live at once.
  var NEAR = "100% 0px", IDLE_MS = 2000;
  var INTENT = ["pointerover", "pointerdown", "touchstart", "keydown", "focusin", "click"];
  // What the live widget shows by itself, untouched (widget/src: lib.rs's
  // review token, referral.rs's arrival code, community.rs's invite;
  // member.rs's own reviews, which get "Edit", and group membership, whose
  // unread count is polled). A vote (which also makes a member token) and
  // a referral link (the panel opens with "Show all") need a touch anyway.
  var EXPECTED_PARAMS = /[?&]kindred_(ref|invite|review|link)=[^&]/;
  var EXPECTED_KEYS = ["kindred.own", "kindred.community", "kindred.referral"];

  /** Whether the live widget has something to show this shopper before
   * they touch it (see EXPECTED_PARAMS and EXPECTED_KEYS). Storage that
   * cannot be read counts as none. */
  function expected() {
    if (EXPECTED_PARAMS.test(location.search)) return true;
    try {
      for (var i = 0; i < EXPECTED_KEYS.length; i++) if (localStorage.getItem(EXPECTED_KEYS[i]) !== null) return true;
    } catch (_) {}
    return false;
  }

  /** Calls `go` once: on the shopper's first touch of `root`, or, for a
   * shopper the widget has something for (`expected`), at idle once
   * `host` is near the viewport. Returns the cleanup. */
  function demand(root, host, go) {
    var done = false, io = null, idle = null, unlisten = null;
    var stop = function () {
      unlisten();
      if (io) io.disconnect();
      if (idle !== null) (window.cancelIdleCallback || clearTimeout)(idle);
    };
    var fire = function () {
      if (done) return;
      done = true;
      stop();
      go();
    };
    unlisten = capture(root, INTENT, function () { fire(); });
    if (!expected()) return stop;
    var soon = function () {
      if (idle !== null || done) return;
      idle = window.requestIdleCallback ? window.requestIdleCallback(fire, { timeout: IDLE_MS }) : setTimeout(fire, 1);
    };
    if (typeof IntersectionObserver === "function") {
      try {
        io = new IntersectionObserver(function (entries) {
          if (entries.some(function (e) { return e.isIntersecting; })) soon();
        }, { rootMargin: NEAR });
        io.observe(host);
      } catch (_) {
        soon();
      }
    } else soon();
    return stop;
  }

  /** The element at `path` (element child indices) under `top`. */
  function at(top, path) {
    var el = top;
    for (var i = 0; el && i < path.length; i++) el = el.children[path[i]];
    return el || null;
  }

  /** `el`'s element child indices under `top`, or null if not inside it. */
  function pathOf(top, el) {
    var path = [];
    while (el && el !== top) {
      var parent = el.parentElement;
      if (!parent) return null;
      path.unshift(Array.prototype.indexOf.call(parent.children, el));
      el = parent;
    }
    return el === top ? path : null;
  }

  /** What the shopper does on the first paint before the live widget is
   * there: the controls they click and the choices they make, replayed on
   * the live widget's same elements (the two are the same markup: the
   * first-paint browser test holds them to it), and the focus carried
   * over. The first view opens here as it does in the live widget
   * (components.rs: a click in it; keyboard focus on what it clips, as
   * `clipped_target` tells it), so a shopper waiting for the wasm sees
   * what they reached for at once: the first page's cards after "Show
   * all", the control their Tab landed on. Not on a bare key press (the
   * live widget opens on one): Space on "Show all" would hide the button
   * between its keydown and the keyup that clicks it, and the click and
   * the focus move would be lost. Returns { whenReleased(fn),
   * ready(liveTop, focused), stop() }. */
  function recorder(top, host) {
    // One entry per element, in the order first touched: a click, or a
    // select's last value.
    var acts = [], pressing = false, released = [], opened = false;
    // Opens the first view: widget.css lets it grow and hides "Show all".
    // The input that did it makes the shift (CLS leaves it out), and the
    // live widget comes open (`ready`): nothing moves at the swap.
    var open = function () {
      if (opened) return;
      opened = true;
      top.classList.remove("kr-first");
    };
    var entry = function (path, kind) {
      var key = kind + ":" + path.join(".");
      for (var i = 0; i < acts.length; i++) if (acts[i].key === key) return acts[i];
      var a = { key: key, kind: kind, path: path, value: null };
      acts.push(a);
      return a;
    };
    var control = function (e) {
      var t = e.target && e.target.closest ? e.target.closest("button, select, a[href]") : null;
      return t && top.contains(t) ? t : null;
    };
    var onClick = function (e) {
      var t = control(e);
      var showAll = !opened && t && t.classList.contains("kr-show-all");
      open();
      if (showAll) {
        // As the live widget's (components.rs `focus_feed`): focus leaves
        // the button, which goes, for the first card's first control that
        // takes it (not a vote already cast), or the footer's when it read
        // "Show more"; else "Load more", else the section. Not replayed:
        // the live widget comes open, with the focus where it is then. At
        // once (the view is open now), so a swap cannot come between.
        e.preventDefault();
        var more = host.getAttribute("data-kindred-fits") === "cards";
        var b = top.querySelector(more ? ".kr-foot button:not(:disabled)" : ".kr-feed button:not(:disabled)") || top.querySelector(".kr-more");
        if (b) b.focus();
        else focusSection(top);
        return;
      }
      // Selects replay their value; links (to the edge's own pages, in a
      // new tab) work as they are and are not replayed.
      if (t && (t.localName === "select" || t.localName === "a")) return;
      // A click anywhere opens the first view in the live widget: replayed
      // on the same element, control or not.
      var path = pathOf(top, t || e.target);
      if (!path) return;
      // A control already waiting was asked once: nothing seems to happen
      // while the live widget loads, so a shopper taps again, and a
      // toggle's second click would undo the first ("Write a review"
      // closed again, a vote taken back). One click per control.
      if (t && t.getAttribute("aria-busy") === "true") {
        e.preventDefault();
        return;
      }
      entry(path, "click");
      if (!t) return;
      e.preventDefault();
      // Said while the live widget loads (screen readers; widget.css shows it).
      t.setAttribute("aria-busy", "true");
    };
    var onChange = function (e) {
      var t = control(e);
      if (t && t.localName === "select") entry(pathOf(top, t), "change").value = t.value;
    };
    // Keyboard focus (Tab, Shift+Tab from the page) on a card or footer
    // control the first view clips: opened, the control scrolled into sight
    // if the opening left it below the fold. A pointer's focus waits for
    // its click; focus a script moves is not :focus-visible (a browser
    // without that selector throws: no focus opens it there).
    var onFocus = function (e) {
      var t = e.target;
      if (opened || !t || !t.closest) return;
      try {
        if (!t.closest(CLIPPED) || !t.matches(":focus-visible")) return;
      } catch (_) {
        return;
      }
      open();
      requestAnimationFrame(function () {
        if (t.isConnected && t.getBoundingClientRect().bottom > window.innerHeight) t.scrollIntoView(false);
      });
    };
    var onDown = function () { pressing = true; };
    var onUp = function () {
      pressing = false;
      // The click follows the release in the same task: run what waited
      // for it after that.
      var fns = released.splice(0);
      if (fns.length) setTimeout(function () { fns.forEach(function (f) { f(); }); }, 0);
    };
    top.addEventListener("click", onClick);
    top.addEventListener("change", onChange);
    top.addEventListener("focusin", onFocus);
    top.addEventListener("pointerdown", onDown);
    window.addEventListener("pointerup", onUp, true);
    window.addEventListener("pointercancel", onUp, true);
    return {
      acts: acts,
      stop: function () {
        top.removeEventListener("click", onClick);
        top.removeEventListener("change", onChange);
        top.removeEventListener("focusin", onFocus);
        top.removeEventListener("pointerdown", onDown);
        window.removeEventListener("pointerup", onUp, true);
        window.removeEventListener("pointercancel", onUp, true);
      },
      /** Calls `fn` now, or once a pointer pressed on the first paint is
       * released (and its click recorded): the live widget never replaces
       * the element under a press. */
      whenReleased: function (fn) {
        if (pressing) released.push(fn);
        else fn();
      },
      /** Readies the replay onto `live` (the live widget's top element,
       * rendered off-screen) and returns it, to run once `live` is on
       * screen: each control clicked once (its later clicks were not
       * recorded: `onClick`), each select to its last
       * value; the focus where it was (`focused`, a path from `pathOf`).
       * The elements are found now, on the live widget as rendered (the
       * first paint's shape); then, if the first view was opened here, the
       * live one is opened too before it goes on screen: its class at once
       * (the swap changes no box), its own state by a click (the live
       * widget opens on any click in it). */
      ready: function (live, focused) {
        var f = focused && at(live, focused);
        var els = acts.map(function (a) { return a.path && at(live, a.path); });
        // The click reaches the live widget's own listener off-screen:
        // Leptos attaches it to the element (no event delegation, which
        // listens on the window: the `delegation` feature is off).
        if (opened && live) {
          live.classList.remove("kr-first");
          live.click();
        }
        return function () {
          // The section itself had it (`focusSection`): so does the live one.
          if (f === live) live.tabIndex = -1;
          if (f && f.focus) f.focus({ preventScroll: true });
          acts.forEach(function (a, i) {
            var el = els[i];
            if (!el) return;
            if (a.kind === "click") {
              el.click();
            } else if (el.value !== a.value) {
              el.value = a.value;
              el.dispatchEvent(new Event("change", { bubbles: true, composed: true }));
            }
          });
        };
      },
    };
  }

  /** The first paint, read-only for good: the live widget could not load.
   * Its controls are disabled (still read by screen readers), except "Show
   * all", which opens the clipped first view. */
  function readOnly(top) {
    // The keyboard keeps its place: a control about to be disabled that has
    // the focus hands it to the section.
    var active = top.getRootNode().activeElement;
    top.querySelectorAll("button, select").forEach(function (c) {
      c.setAttribute("aria-busy", "false");
      if (c.classList.contains("kr-show-all")) return;
      if (c === active) focusSection(top);
      c.disabled = true;
    });
    // More pages need the live widget: no "Load more" that never works.
    var more = top.querySelector(".kr-more");
    if (more) more.remove();
    var all = top.querySelector(".kr-show-all");
    if (all) {
      all.addEventListener("click", function () {
        top.classList.remove("kr-first");
        all.remove();
        focusSection(top);
      });
    }
  }

  /** Focus on the widget's section itself (focusable by script only:
   * tabindex -1), for a keyboard whose control went away or was disabled:
   * not dropped to the page's start. */
  function focusSection(top) {
    top.tabIndex = -1;
    top.focus({ preventScroll: true });
  }

  /** Whether this page lets WebAssembly compile (a CSP without
   * 'wasm-unsafe-eval' does not): an 8-byte empty module, once per page. */
  function wasmAllowed() {
    var pg = page();
    if (pg.wasmAllowed === undefined) {
      try {
        new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
        pg.wasmAllowed = true;
      } catch (e) {
        // No WebAssembly at all (e.g. a browser's lockdown mode) is not a
        // policy: the frame would not help; the first paint stays instead.
        pg.wasmAllowed = typeof WebAssembly === "undefined";
      }
    }
    return pg.wasmAllowed;
  }

  /** The shopper's language as the page states it: data-locale, else
   * <html lang>, else the browser's first (a BCP 47 tag, not narrowed to
   * the UI's locales: reviews are stored and ordered by it). */
  function pageLang(o) {
    return o.locale || document.documentElement.getAttribute("lang") || navigator.language || "";
  }

  /** Asks the edge for a widget's first paint (`GET /v1/widget/{brand}`):
   * the first thing a widget does, before its shadow root, styles and
   * skeleton, so the request is on its way while they are made. Returns
   * `{ lang, response, abort }` (the page's language as sent; the fetch's
   * promise; a function that cancels the request, for a widget stopped
   * before its answer came: a single-page shop that swaps products fast
   * does not download answers nobody will see). */
  function request(o) {
    // The visitor's context (kindred_core::context): the page's language
    // and tags, and a referral or group invite on its URL.
    var lang = pageLang(o);
    var asked = new URLSearchParams(), here = new URLSearchParams(location.search);
    if (o.product) asked.set("product", o.product);
    asked.set("locale", o.ui);
    [["lang", lang], ["context", o.contextTags], ["ref", here.get("kindred_ref")], ["group", here.get("kindred_group")], ["invite", here.get("kindred_invite")]].forEach(function (p) {
      if (p[1]) asked.set(p[0], String(p[1]).trim());
    });
    var url = o.base + "v1/widget/" + encodeURIComponent(o.brand) + "?" + asked;
    var inline = FIRST;
    if (inline.refused && embedded && embedded.brand === o.brand) {
      // The edge told this file that the brand does not allow this page:
      // said plainly, instead of a request the browser would refuse.
      var no = Promise.reject(new Error("this page's origin, " + inline.refused + ", is not among the brand's allowed origins (allowed_origins in its settings): nothing is shown"));
      no.catch(function () {});
      return { lang: lang, response: no, abort: function () {} };
    }
    if (inline.query === String(asked) && embedded && embedded.brand === o.brand) {
      FIRST = 0;
      // The answer came with this file: no request, if this file ran less
      // than a minute ago and the answer was rendered less than ten
      // minutes ago by this browser's clock (a service worker that keeps
      // scripts could hand out an old copy of this file; a clock that far
      // off only costs the request).
      var now = Date.now();
      if (now - LOADED < 6e4 && Math.abs(now - JSON.parse(inline.text).markup_at) < 6e5) return { lang: lang, response: Promise.resolve(new Response(inline.text)), abort: function () {} };
    }
    var init = { credentials: CREDENTIALS, mode: "cors" }, ctl = null;
    // An old browser has no AbortController; a page's own stand-in may
    // throw, or hand out a signal the browser's fetch refuses (checked with
    // a Request, which sends nothing): the request then simply runs to its
    // end.
    try {
      ctl = new AbortController();
      init.signal = ctl.signal;
      new Request(url, init);
    } catch (_) {
      ctl = null;
      delete init.signal;
    }
    var response = fetch(url, init);
    if (init.credentials === "include") {
      // Refused with credentials (a proxy of the shop's that answers CORS
      // with `*` or drops Access-Control-Allow-Credentials; an edge older
      // than this loader, in a rollback): asked again without them, once.
      // Only this GET: a POST refused this way was still received.
      response = response.catch(function (e) {
        if (e && e.name === "AbortError") throw e;
        init.credentials = "omit";
        return fetch(url, init);
      });
    }
    // Settled by `render`'s chain; kept from being reported unhandled if a
    // widget is stopped before it gets there.
    response.catch(function () {});
    return {
      lang: lang,
      response: response,
      abort: function () {
        try {
          if (ctl) ctl.abort();
        } catch (_) {}
      },
    };
  }

  function render(o, root, host, w, first) {
    var brand = o.brand, product = o.product || "", base = o.base;
    // What is on screen: the skeleton, then the first paint. The live
    // widget replaces it by reference (a polyfill of adoptedStyleSheets
    // keeps its <style> elements last in the root).
    var skeleton = skeletonOf(), onScreen = skeleton;
    root.appendChild(skeleton);

    // The first localStorage read of a page can take a while (the browser
    // loads the site's storage): do it in its own task while the data is on
    // its way, not when the first paint is due.
    setTimeout(votedIds, 0);

    var lang = first.lang;
    // `stale`: a first paint for another build, kept in case the live
    // widget cannot load ({ payload, cat }).
    var mounted = false, shown = null, stale = null;
    // The UI's messages: the live widget needs them; the first paint only
    // for the words of a shopper's own votes (inline in English).
    var words = null;
    var getWords = function () {
      return words || (words = catalogue(base, o.ui).then(function (cat) {
        w.cat = cat;
        return cat;
      }, function (e) {
        words = null;
        throw e;
      }));
    };
    var data = first.response.then(function (r) {
      if (!r.ok) throw new Error("edge answered " + r.status);
      return r.text();
    }).then(function (text) {
      mark("data-ready");
      var payload = JSON.parse(text);
      var voted = votedIds();
      var mine = (payload.testimonials || []).some(function (t) { return voted.indexOf(t.id) >= 0; });
      // Relative dates need only the locale (Intl); "Helpful ✓" needs the words.
      var few = Promise.resolve(mine ? EN : { locale: o.ui, messages: {} });
      return (mine && o.ui !== "en" ? getWords().catch(function () { return EN; }) : few).then(function (cat) {
        return [text, payload, cat];
      });
    }).then(function (got) {
      var text = got[0], payload = got[1];
      if (!mounted && !w.stopped && root.contains(skeleton) && !ownBuild(payload)) {
        // Markup for another build (a deploy came since this loader was
        // cached): its CSS and replay may not fit. The live widget, of this
        // loader's own build (kept by the edge for a week after a deploy),
        // renders the data; the markup is shown read-only only if that
        // fails (see the catch below).
        stale = { payload: payload, cat: got[2] };
        wake();
      } else if (!mounted && !w.stopped && root.contains(skeleton)) {
        try {
          var paint = firstPaint(payload, base, got[2], o.ui);
          root.replaceChild(paint, skeleton);
          onScreen = paint;
          shown = { top: paint.firstChild, log: recorder(paint.firstChild, host) };
          w.cleanup.push(shown.log.stop);
          // Marked once the cards are laid out, before the frame paints.
          shown.fits = watchFits(root, host, function () {
            mark("painted");
            if (w.painted) w.painted();
          });
          w.cleanup.push(shown.fits);
        } catch (e) {
          // The wasm renders it anyway; the skeleton stays until then.
          var pg = page();
          if (!pg.markupRefused) warn(brand, "the first paint's markup was refused (" + (e && e.message) + "): the live widget renders it");
          pg.markupRefused = true;
          wake();
        }
      }
      if (product && o.seo !== "off" && !w.stopped && !w.framed) {
        try {
          w.ld = jsonLd(payload, product, o.productName);
        } catch (_) {}
      }
      // Only now may the wasm be asked for: it never competes with the
      // first paint's data. A shopper who came through a review link came
      // to write, one through an emailed referral link for their link: the
      // live widget (with that part open) loads at once.
      var came = /[?&]kindred_(review|link)=/.exec(location.search);
      if (!w.stopped && !woken && came) {
        wake();
        fetchAheadSoon(base, came[1] == "link" ? "referral" : "form");
      }
      // A referred friend's offer opens by itself once the live widget is
      // there: its files (one pack) start beside the main module's.
      if (!w.stopped && offerExpected(payload, brand)) {
        wanted.then(function () {
          fetchAheadSoon(base, "offer");
        });
      }
      if (!w.stopped && !woken) w.cleanup.push(demand(root, host, wake));
      return text;
    });

    var wake, woken = false;
    var wanted = new Promise(function (resolve) {
      wake = function () {
        woken = true;
        resolve();
      };
    });
    // A page that forbids WebAssembly goes to the frame fallback (below)
    // without waiting; a runtime already on the page mounts at once.
    if (page().glue || !wasmAllowed()) wake();

    Promise.all([wanted.then(function () {
      if (!wasmAllowed()) throw new Error("Refused to compile WebAssembly: the page's Content Security Policy lacks 'wasm-unsafe-eval'");
      if (typeof WebAssembly === "object") warmIntl(o.ui);
      return Promise.all([runtime(base), getWords()]).then(function (r) { return r[0]; });
    }), data])
      // A task of its own for the first render: it does not add to the one
      // that instantiated the wasm (the browser can paint in between).
      .then(function (ready) {
        return new Promise(function (resolve) { setTimeout(function () { resolve(ready); }, 0); });
      })
      .then(function (ready) {
        if (w.stopped) return;
        var glue = ready[0];
        var mountPoint = document.createElement("div");
        mounted = true;
        if (glue.__kindred_css) sheet(root, glue.__kindred_css);
        else if (!page().oldGlue) {
          // The page's live runtime came from an older Kindred (two
          // versions of embed.js on one page), before its CSS rode in it.
          page().oldGlue = true;
          warn(brand, "an older embed.js on this page loaded the live widget, without its CSS: load one embed.js");
        }
        // The widget renders off-screen in a few short tasks, then calls
        // back; it goes on screen over the first paint (or the skeleton, if
        // the data came as the wasm was ready) with the same markup, and
        // what the shopper did on the first paint meanwhile is replayed.
        w.mountId = glue.mount(mountPoint, ready[1], JSON.stringify({ edge: base, brand: brand, product: product || null, lang: lang || null, i18n: w.cat }), function () {
          var swap = function () {
            try {
              if (w.stopped) return;
              var focused = null;
              if (shown) {
                shown.log.stop();
                var active = root.activeElement;
                focused = active && pathOf(shown.top, active);
              }
              if (shown) shown.fits();
              var replay = shown && shown.log.ready(mountPoint.firstElementChild, focused);
              root.replaceChild(mountPoint, onScreen);
              w.cleanup.push(watchFits(root, host, function () {
                if (!performance.getEntriesByName("kindred:painted").length) mark("painted");
                mark("interactive");
                if (w.painted) w.painted();
              }));
              host.setAttribute("data-kindred-state", "ready");
              if (replay) replay();
            } catch (e) {
              warn(brand, e);
            }
          };
          if (shown) shown.log.whenReleased(swap);
          else swap();
        });
      })
      .catch(function (err) {
        if (w.stopped) return;
        // A page whose Content-Security-Policy forbids WebAssembly (or our
        // origin) still gets the widget: in a frame served by the edge.
        if (blockedByPolicy(err) && !inFrame()) {
          // The frame shows the reviews, not this page: no ratings here.
          if (w.ld) dropJsonLd(w.ld);
          w.ld = null;
          w.framed = true;
          w.cleanup.push(frame(root, host, base, o, w));
          return;
        }
        if (!shown && stale && root.contains(skeleton)) {
          // Markup for another build is better than nothing: shown, read-only.
          try {
            var late = firstPaint(stale.payload, base, stale.cat, o.ui);
            root.replaceChild(late, skeleton);
            shown = { top: late.firstChild, log: recorder(late.firstChild, host) };
            w.cleanup.push(watchFits(root, host, function () {
              mark("painted");
              if (w.painted) w.painted();
            }));
          } catch (_) {
            shown = null;
          }
        }
        if (shown && root.contains(shown.top)) {
          // The testimonials are on screen and stay, read-only: the live
          // widget could not load (a broken or missing wasm, no
          // WebAssembly at all). Nothing pretends to work, everything is
          // still read (no inert: screen readers and find-in-page see it).
          shown.log.stop();
          readOnly(shown.top);
          host.setAttribute("data-kindred-state", "static");
          warn(brand, "the live widget did not load (" + ((err && err.message) || err) + "): showing the testimonials read-only");
          return;
        }
        host.setAttribute("data-kindred-state", "failed");
        warn(brand, err);
      });
  }

  function blockedByPolicy(err) {
    var m = String((err && err.message) || err);
    return page().blocked || page().wasmAllowed === false || /Content Security Policy|Refused to compile|unsafe-eval/i.test(m);
  }

  function inFrame() {
    return document.documentElement.hasAttribute("data-kindred-frame");
  }

  /** The iframe fallback: the edge's frame.html runs the widget on the edge's
   * origin and reports its height; we accept messages from that frame only. */
  function frame(root, host, base, o, w) {
    // The frame's own loader counts its views from here on.
    if (w.unwatch) w.unwatch();
    var params = new URLSearchParams();
    ["brand", "product", "identity"].forEach(function (k) {
      if (o[k]) params.set(k, o[k]);
    });
    params.set("first-view", String(o.firstView));
    // The page's own language (the frame's UI narrows it), and a referral
    // or group invite on the page's URL, as the widget would read them.
    // Without data-locale or <html lang>, the UI's locale: it walked all
    // the browser's languages (pageLang takes the first only).
    var pl = o.locale || document.documentElement.getAttribute("lang") || o.ui;
    params.set("locale", /^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$/.test(pl) ? pl : o.ui);
    var here = new URLSearchParams(location.search);
    ["kindred_ref", "kindred_group", "kindred_invite", "kindred_link"].forEach(function (k) {
      if (here.get(k)) params.set(k, here.get(k));
    });
    if (o.layout !== "list") params.set("layout", o.layout);
    if (o.contextTags) params.set("context-tags", o.contextTags);
    params.set("seo", "off"); // markup inside a frame would not help the host page
    var iframe = document.createElement("iframe");
    // Served by the edge per brand, with frame-ancestors = its allowed origins.
    iframe.src = base + "frame/" + encodeURIComponent(o.brand) + "?" + params.toString();
    iframe.title = msg(w.cat || EN, "frame-title");
    // The frame must learn which page embeds it (its writes count as that
    // origin's), even where this page's own policy sends no referrer.
    iframe.referrerPolicy = "origin";
    iframe.setAttribute("loading", "lazy");
    iframe.style.display = "block";
    iframe.style.width = "100%";
    iframe.style.border = "0";
    iframe.style.height = o.firstView + "px";
    var edgeOrigin = new URL(base).origin;
    var onMessage = function (e) {
      if (e.origin !== edgeOrigin || e.source !== iframe.contentWindow) return;
      var h = e.data && e.data.kindredHeight;
      if (typeof h === "number" && h > 0 && h < 20000) iframe.style.height = Math.ceil(h) + "px";
    };
    window.addEventListener("message", onMessage);
    root.replaceChildren(iframe);
    host.setAttribute("data-kindred-state", "framed");
    return function () { window.removeEventListener("message", onMessage); };
  }
  // Last, once every declaration above has its value.
  try {
    boot(script);
  } catch (e) {
    warn(script.getAttribute("data-brand"), e);
  }
})();
