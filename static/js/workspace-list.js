/* The translator workspace's entry list (/translate/<tag>): one button per
 * entry with its source, context and translation, its state as a class
 * (is-fuzzy, is-untranslated...), the open one marked aria-current; the
 * count of entries shown, and the progress bar. workspace.js keeps the
 * entries and hands them here; a click on a button calls back to open it.
 *
 * Same rules as the editor: translations are untrusted text, only ever put
 * in the page with textContent; no inline script or style. */
var workspaceList = (function () {
  "use strict";
  var element = entryEditor.element;
  var STATES = ["is-fuzzy", "is-untranslated", "is-unreviewed", "is-translated", "is-approved"];

  /* options: $ (element by id), numbers (Intl.NumberFormat), targetLang and
   * targetDir (the catalog's language and direction), open(id) (a button was clicked). */
  function create(options) {
    var $ = options.$;

    function showProgress(progress) {
      var done = progress.total ? progress.translated / progress.total : 0;
      $("progress-bar").value = done;
      $("progress-text").textContent = i18n.format(
        i18n.ngettext("%(translated)s of %(count)s string translated", "%(translated)s of %(count)s strings translated",
                      progress.total),
        { translated: options.numbers.format(progress.translated), count: options.numbers.format(progress.total) });
    }

    function markState(button, entry) {
      STATES.forEach(function (name) { button.classList.remove(name); });
      if (entry.fuzzy) { button.classList.add("is-fuzzy"); }
      if (entry.state) { button.classList.add("is-" + entry.state); }
    }

    /* The first non-empty form in the catalog's language, or "(untranslated)" in the page's. */
    function showTranslation(node, entry) {
      node.replaceChildren();
      if (entry.translation.some(Boolean)) {
        entryEditor.withPlaceholders(node, entry.translation.filter(Boolean)[0]);
        node.lang = options.targetLang;
        node.dir = options.targetDir;
      } else {
        node.removeAttribute("lang");
        node.removeAttribute("dir");
        node.textContent = i18n.gettext("(untranslated)");
      }
    }

    /* currentId: the open entry's, marked aria-current (or none). */
    function show(entries, currentId) {
      var list = $("entries");
      list.replaceChildren();
      $("entry-count").textContent = i18n.format(
        i18n.ngettext("%(count)s entry", "%(count)s entries", entries.length),
        { count: options.numbers.format(entries.length) });
      entries.forEach(function (entry) {
        var item = element("li");
        var button = element("button", null, "entry-button");
        button.type = "button";
        button.dataset.id = entry.id;
        var source = element("span", entry.source[0], "entry-source");
        source.lang = "en";
        source.dir = "ltr";
        var translation = element("span", null, "entry-translation");
        showTranslation(translation, entry);
        button.append(source);
        if (entry.context) {
          // Two entries with one source differ only here (the fraction entry and its sibling).
          var context = element("span", entry.context, "entry-context");
          context.lang = "en";
          context.dir = "ltr";
          button.append(context);
        }
        button.append(translation);
        markState(button, entry);
        if (entry.id === currentId) { button.setAttribute("aria-current", "true"); }
        button.addEventListener("click", function () { options.open(entry.id); });
        item.appendChild(button);
        list.appendChild(item);
      });
    }

    /* An entry changed (saved, reviewed, taken from a conflict): its button shows it. */
    function update(entry) {
      var button = document.querySelector('.entry-button[data-id="' + CSS.escape(entry.id) + '"]');
      if (!button) { return; }
      markState(button, entry);
      showTranslation(button.querySelector(".entry-translation"), entry);
    }

    function markCurrent(id) {
      Array.prototype.forEach.call(document.querySelectorAll(".entry-button"), function (button) {
        if (button.dataset.id === id) { button.setAttribute("aria-current", "true"); }
        else { button.removeAttribute("aria-current"); }
      });
    }

    return { show: show, update: update, markCurrent: markCurrent, showProgress: showProgress };
  }

  return { create: create };
})();
