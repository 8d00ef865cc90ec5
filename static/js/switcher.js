/* The language switcher: remember the visitor's choice for their next visit to /.
 *
 * Each switcher link goes straight to the same page in another language
 * (/fr/about): crawlable, and the same for every visitor. Prefixed pages are
 * cached by proxies, so the server never sets a cookie on them (a Set-Cookie
 * makes a response uncacheable); the browser writes it instead, here, when a
 * switcher link is followed. The name and lifetime are the ones the server
 * reads (website.handlers.locale_chain, COOKIE_MAX_AGE_DAYS). Without
 * script, every internal link keeps the chosen prefix anyway; only a later
 * visit to the bare / falls back to the browser's languages. */
(function () {
  "use strict";
  var ONE_YEAR = 365 * 24 * 3600;
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("nav.switcher a[hreflang]") : null;
    if (!link) { return; }
    var tag = link.getAttribute("hreflang");
    var secure = location.protocol === "https:" ? "; secure" : "";
    document.cookie = "lang=" + encodeURIComponent(tag) + "; path=/; max-age=" + ONE_YEAR +
      "; samesite=lax" + secure;
    try { sessionStorage.setItem("lang-switched", tag); } catch (error) { /* storage off */ }
  });
})();
