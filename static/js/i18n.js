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

  function compilePlural(expression) {
    // The expression comes from our own catalog (checked by `make check`): a C
    // expression of n, which JavaScript evaluates the same way. Anything else
    // is refused rather than evaluated.
    if (!/^[n0-9\s()?:<>=!&|%]+$/.test(expression)) { return null; }
    var rule = new Function("n", "return +(" + expression + ");");
    return function (n) { return rule(Math.floor(Math.abs(n))); };
  }

  function single(key, fallback) {
    var text = messages[key];
    return typeof text === "string" && text !== "" ? text : fallback;
  }

  var i18n = {
    load: function (url) {
      if (!url) { return Promise.resolve(i18n); }
      return fetch(url).then(function (response) {
        if (!response.ok) { throw new Error("catalog " + url + ": HTTP " + response.status); }
        return response.json();
      }).then(function (catalog) {
        messages = catalog.messages || {};
        plural = catalog.plural ? compilePlural(catalog.plural) : null;
        return i18n;
      });
    },
    gettext: function (msgid) { return single(msgid, msgid); },
    pgettext: function (context, msgid) { return single(context + CONTEXT_SEPARATOR + msgid, msgid); },
    ngettext: function (singular, pluralText, n) {
      var forms = messages[singular];
      if (plural && Array.isArray(forms) && forms[plural(n)]) { return forms[plural(n)]; }
      return n === 1 ? singular : pluralText;  // the source language's rule
    },
    /* Fill "%(name)s" placeholders, as Python's % operator does server-side. */
    format: function (text, values) {
      return text.replace(/%\((\w+)\)s/g, function (match, name) {
        return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : match;
      });
    }
  };
  window.i18n = i18n;
})();
