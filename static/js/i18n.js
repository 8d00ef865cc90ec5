/* Client-side translation: gettext, ngettext, pgettext over the page's JSON
 * catalog. The server builds one catalog per locale from its compiled .mo
 * (only the messages used in static/js), names it by content hash and serves
 * it with immutable caching; the page names it in
 * <html data-i18n-catalog="...">. Plural choice evaluates the catalog's own
 * Plural-Forms expression, the same one gettext uses on the server. Without a
 * catalog, or for a message it lacks, the source text is returned. */
(function () {
  "use strict";
  var CONTEXT_SEPARATOR = "\u0004";
  var messages = {};
  var plural = null;

  /* The catalog's Plural-Forms expression, a C expression of n, compiled to a
   * function by a small parser rather than `new Function`: the site's
   * Content-Security-Policy allows no eval. Grammar, loosest first:
   * ?: , ||, &&, == !=, < <= > >=, + -, * / %, unary ! -, ( ), n, integers.
   * Anything else is refused (null): the source language's rule then applies. */
  var BINARY = [["||"], ["&&"], ["==", "!="], ["<", "<=", ">", ">="], ["+", "-"], ["*", "/", "%"]];
  var APPLY = {
    "||": function (a, b) { return a || b ? 1 : 0; }, "&&": function (a, b) { return a && b ? 1 : 0; },
    "==": function (a, b) { return a === b ? 1 : 0; }, "!=": function (a, b) { return a !== b ? 1 : 0; },
    "<": function (a, b) { return a < b ? 1 : 0; }, "<=": function (a, b) { return a <= b ? 1 : 0; },
    ">": function (a, b) { return a > b ? 1 : 0; }, ">=": function (a, b) { return a >= b ? 1 : 0; },
    "+": function (a, b) { return a + b; }, "-": function (a, b) { return a - b; },
    "*": function (a, b) { return a * b; },
    "/": function (a, b) { return b === 0 ? 0 : Math.trunc(a / b); },
    "%": function (a, b) { return b === 0 ? 0 : a % b; }
  };

  function compilePlural(expression) {
    var tokens = String(expression).match(/\s*(\d+|n|\|\||&&|[=!<>]=|[-+*\/%<>!?:()])/g);
    if (!tokens || tokens.join("").replace(/\s+/g, "") !== String(expression).replace(/\s+/g, "")) {
      return null;
    }
    tokens = tokens.map(function (t) { return t.trim(); });
    var at = 0;
    function peek() { return tokens[at]; }
    function take(expected) {
      if (expected !== undefined && tokens[at] !== expected) { throw new Error("plural: " + expected); }
      return tokens[at++];
    }
    function ternary() {
      var test = binary(0);
      if (peek() !== "?") { return test; }
      take("?");
      var yes = ternary();
      take(":");
      var no = ternary();
      return function (n) { return test(n) ? yes(n) : no(n); };
    }
    function binary(level) {
      if (level === BINARY.length) { return unary(); }
      var left = binary(level + 1);
      while (BINARY[level].indexOf(peek()) >= 0) {
        left = (function (l, op, r) { return function (n) { return op(l(n), r(n)); }; })(
          left, APPLY[take()], binary(level + 1));
      }
      return left;
    }
    function unary() {
      var token = take();
      if (token === "!") { var a = unary(); return function (n) { return a(n) ? 0 : 1; }; }
      if (token === "-") { var b = unary(); return function (n) { return -b(n); }; }
      if (token === "(") { var inner = ternary(); take(")"); return inner; }
      if (token === "n") { return function (n) { return n; }; }
      if (/^\d+$/.test(token || "")) { var value = parseInt(token, 10); return function () { return value; }; }
      throw new Error("plural: unexpected " + token);
    }
    try {
      var rule = ternary();
      if (at !== tokens.length) { return null; }
      return function (n) { return +rule(Math.floor(Math.abs(n))); };
    } catch (error) {
      return null;
    }
  }

  function single(key, fallback) {
    var text = messages[key];
    return typeof text === "string" && text !== "" ? text : fallback;
  }

  /* One request per catalog, however many of the page's scripts ask for it. */
  var loading = {};

  var i18n = {
    load: function (url) {
      if (!url) { return Promise.resolve(i18n); }
      if (!loading[url]) {
        loading[url] = fetch(url).then(function (response) {
          if (!response.ok) { throw new Error("catalog " + url + ": HTTP " + response.status); }
          return response.json();
        }).then(function (catalog) {
          messages = catalog.messages || {};
          plural = catalog.plural ? compilePlural(catalog.plural) : null;
          return i18n;
        });
        loading[url].catch(function () { delete loading[url]; });
      }
      return loading[url];
    },
    /* The page's own catalog (<html data-i18n-catalog>): every script that
     * translates waits for this, whichever page it runs on. */
    ready: function () { return i18n.load(document.documentElement.dataset.i18nCatalog); },
    compilePlural: compilePlural,
    gettext: function (msgid) { return single(msgid, msgid); },
    pgettext: function (context, msgid) { return single(context + CONTEXT_SEPARATOR + msgid, msgid); },
    ngettext: function (singular, pluralText, n) {
      var forms = messages[singular];
      if (plural && Array.isArray(forms) && forms[plural(n)]) { return forms[plural(n)]; }
      return n === 1 ? singular : pluralText;  // the source language's rule
    },
    /* Fill "%(name)s" placeholders, as Python's % operator does server-side
     * (static/js/placeholders.js, loaded before this script, reads them). */
    format: function (text, values) { return window.placeholders.format(text, values); }
  };
  window.i18n = i18n;
})();
