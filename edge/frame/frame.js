// The widget inside an iframe on the edge's own origin, for host pages whose
// Content-Security-Policy blocks WebAssembly. Reads its options from the
// query string and tells the parent page its height.
"use strict";
(function () {
  var q = new URLSearchParams(location.search);
  // The page that embeds this frame, as the browser reports it; the edge
  // accepts the frame's writes only for the brand's allowed origins (and
  // frame-ancestors keeps every other site from framing it at all).
  var embedder = "";
  if (window.parent !== window) {
    var ancestors = location.ancestorOrigins;
    if (ancestors && ancestors.length) embedder = ancestors[0];
    else if (document.referrer) {
      try { embedder = new URL(document.referrer).origin; } catch (e) { embedder = ""; }
    }
  }
  if (embedder) document.documentElement.setAttribute("data-kindred-embedder", embedder);
  var s = document.createElement("script");
  // Relative to this page (`frame/{brand}` under the edge's base): through a
  // path of the shop's own that passes requests on to the edge, it is there.
  s.src = new URL("../embed.js", location.href).href;
  s.async = true;
  ["brand", "product", "identity", "seo", "first-view", "locale", "layout", "context-tags"].forEach(function (k) {
    var v = q.get(k);
    if (v) s.setAttribute("data-" + k, v);
  });
  document.getElementById("slot").appendChild(s);
  var last = 0;
  function report() {
    var h = document.documentElement.scrollHeight;
    if (h !== last && window.parent !== window) {
      last = h;
      // The height is not a secret: any embedding page may know it.
      window.parent.postMessage({ kindredHeight: h }, "*");
    }
  }
  new ResizeObserver(report).observe(document.documentElement);
  window.addEventListener("load", report);
})();
