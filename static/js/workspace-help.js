/* The translator workspace's help beside an entry (/translate/<tag>): its
 * suggestions (to accept or reject), translation memory matches (to copy into
 * the form), the entry in the translator's other languages, and glossary
 * terms with a warning for a term the translation lacks. workspace.js
 * fetches GET .../help and hands the answer here.
 *
 * Same rules as the editor: translations are untrusted text, only ever put
 * in the page with textContent; no inline script or style. */
var workspaceHelp = (function () {
  "use strict";
  var element = entryEditor.element;
  var LISTS = [["suggestions", "suggestions-label"], ["memory", "memory-label"], ["other-languages", "others-label"],
               ["glossary", "glossary-label"]];

  /* options: $ (element by id), targetText(tag, text, lang), percent
   * (Intl.NumberFormat), lang (the page's), canDecide (may accept and
   * reject), use(translation) (copy a match into the form). */
  function create(options) {
    function clear() {
      LISTS.forEach(function (pair) { options.$(pair[0]).replaceChildren(); });
    }

    /* decisions: accept(suggestion), reject(suggestion, reason). */
    function show(data, decisions) {
      data.suggestions.forEach(function (suggestion) {
        var item = element("li");
        item.append(options.targetText("q", suggestion.translation.join(" | ")), document.createTextNode(" "),
                    element("span", i18n.format(i18n.gettext("%(who)s, %(when)s"), {
                      who: suggestion.author, when: new Date(suggestion.time).toLocaleString(options.lang) }), "muted"));
        if (options.canDecide) {
          var accept = element("button", i18n.gettext("Accept"));
          accept.type = "button";
          accept.addEventListener("click", function () { decisions.accept(suggestion); });
          var reason = element("input");
          reason.type = "text";
          reason.maxLength = 500;
          reason.dir = "auto";
          reason.setAttribute("aria-label", i18n.gettext("Why not (its author sees this)"));
          reason.placeholder = i18n.gettext("Why not (its author sees this)");
          var reject = element("button", i18n.gettext("Reject"));
          reject.type = "button";
          reject.addEventListener("click", function () { decisions.reject(suggestion, reason.value); });
          item.append(document.createTextNode(" "), accept, document.createTextNode(" "), reason,
                      document.createTextNode(" "), reject);
        }
        options.$("suggestions").appendChild(item);
      });
      data.memory.forEach(function (match) {
        var item = element("li");
        var source = element("span", match.source, "memory-source");
        source.lang = "en";
        source.dir = "ltr";
        var use = element("button", i18n.gettext("Use this"));
        use.type = "button";
        use.addEventListener("click", function () { options.use(match.translation); });
        item.append(element("span", options.percent.format(match.score / 100), "memory-score"),
                    document.createTextNode(" "), source, document.createTextNode(" → "),
                    options.targetText("q", match.translation.join(" | ")), document.createTextNode(" "), use);
        options.$("memory").appendChild(item);
      });
      data.other_languages.forEach(function (other) {
        var item = element("li");
        item.append(element("span", other.tag + ": "), options.targetText("q", other.translation.join(" | "), other.tag));
        options.$("other-languages").appendChild(item);
      });
      data.glossary.forEach(function (term) {
        var item = element("li", null, term.missing ? "problem-warning" : null);
        var source = element("span", term.term);
        source.lang = "en";
        item.append(source, document.createTextNode(" → "), options.targetText("span", term.translation));
        if (term.note) { item.append(document.createTextNode(" (" + term.note + ")")); }
        if (term.missing) {
          item.append(document.createTextNode(" "), element("strong", i18n.format(
            i18n.gettext("Warning: the translation lacks “%(term)s”."), { term: term.translation })));
        }
        options.$("glossary").appendChild(item);
      });
      LISTS.forEach(function (pair) {
        options.$(pair[0]).hidden = options.$(pair[1]).hidden = !options.$(pair[0]).children.length;
      });
    }

    return { clear: clear, show: show };
  }

  return { create: create };
})();
