// The widget inside an iframe on the edge's own origin, for host pages whose
// Content-Security-Policy blocks WebAssembly. Reads its options from the
// query string and tells the parent page its height.
"use strict";
(function () {
  var q = new URLSearchParams(location.search);
  var s = document.createElement("script");
  s.src = new URL("embed.js", location.href).href;
  s.async = true;
  ["brand", "product", "identity", "seo"].forEach(function (k) {
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
