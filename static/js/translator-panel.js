/* Translator mode's panel: the page's strings with no visible place of their own.
 *
 * "Strings not visible on this page" (the bar's button) lists the <title>'s
 * pieces, attribute strings (aria-label, title, placeholder...), every form
 * of the plurals the page shows one form of, and the strings of the page's
 * templates and scripts this state of the page did not show. One row per
 * entry, never an empty one; a save changes its row's text at once, and the
 * panel opened again shows the saved text. Used by static/js/translator.js,
 * which opens the editor for a row. */
(function () {
  "use strict";
  var element = window.entryEditor.element;

  /* options: data (#translator-data), bar, gettext, request(method, url),
   * open(id, anchor), changed(panel or null) when it opens or closes. */
  function create(options) {
    var data = options.data;
    var panel = null;
    var saved = {};  // entry id -> its translation as last saved on this page

    /* What a row shows: the <title>'s own piece, one form, or every form of a plural. */
    function rowText(where, id, translation) {
      if (where === "title") {
        var pieces = (data.title || []).filter(function (piece) {
          return piece.tk !== null && data.strings[piece.tk] && data.strings[piece.tk].id === id;
        });
        if (pieces.length) { return pieces[0].text; }
      }
      if (!translation) { return ""; }
      var forms = translation.filter(function (text) { return text; });
      return where === "plural" ? forms.join(" / ") : forms[0] || "";
    }

    /* A second place of a listed entry adds no row; an entry with no text yet adds none. */
    function item(list, listed, id, where, text) {
      if (listed[id] || !text) { return; }
      listed[id] = true;
      var row = element("li");
      var button = element("button", null, "tm-panel-entry");
      button.type = "button";
      button.dataset.entry = id;
      button.dataset.where = where;
      var label = element("code", where, "tm-where");
      label.dir = "ltr";
      button.appendChild(label);
      button.appendChild(element("span", " " + text));
      button.addEventListener("click", function () { options.open(id, button); });
      row.appendChild(button);
      list.appendChild(row);
    }

    function toggle(button) {
      if (panel) {
        panel.remove();
        panel = null;
        button.setAttribute("aria-expanded", "false");
        options.changed(null);
        return;
      }
      button.setAttribute("aria-expanded", "true");
      panel = element("section", null, "tm-panel");
      panel.id = "translator-panel";
      panel.setAttribute("aria-label", options.gettext("Strings not visible on this page"));
      panel.appendChild(element("h2", options.gettext("Strings not visible on this page")));
      var list = element("ul");
      panel.appendChild(list);
      var listed = {};
      data.panel.forEach(function (entry) {
        var text = saved[entry.id] ? rowText(entry.where, entry.id, saved[entry.id])
          : rowText(entry.where, entry.id, null) || entry.text;
        item(list, listed, entry.id, entry.where, text);
      });
      var shown = {};
      var plurals = {};
      data.strings.forEach(function (row) {
        shown[row.id] = true;
        if (row.form !== null && row.form !== undefined && !listed[row.id]) { plurals[row.id] = true; }
      });
      options.bar.parentNode.insertBefore(panel, options.bar.nextSibling);
      options.changed(panel);
      /* The rest comes from the API: every form of the plurals shown, and the
       * strings of this page's templates and scripts that this state of the
       * page did not show (another branch, a message a script writes). */
      var sources = data.templates.map(function (name) { return "templates/" + name; });
      Array.prototype.forEach.call(document.querySelectorAll("script[src]"), function (script) {
        var match = /\/static\/(js\/[\w-]+)(?:\.[0-9a-f]+)?\.js$/.exec(script.getAttribute("src"));
        if (match) { sources.push("static/" + match[1] + ".js"); }
      });
      var opened = panel;
      options.request("GET", data.api + "?state=all").then(function (answer) {
        if (answer.status !== 200 || panel !== opened) { return; }
        answer.data.entries.forEach(function (entry) {
          var translation = saved[entry.id] || entry.translation;
          if (plurals[entry.id]) {
            item(list, listed, entry.id, "plural", rowText("plural", entry.id, translation) || entry.source.join(" / "));
            return;
          }
          if (shown[entry.id] || listed[entry.id]) { return; }
          var here = (entry.references || []).some(function (ref) {
            return sources.some(function (source) { return ref.split(":")[0] === source; });
          });
          if (here) { item(list, listed, entry.id, "…", rowText("…", entry.id, translation) || entry.source[0]); }
        });
      });
    }

    /* A saved change: its rows now, and the panel opened again later. */
    function update(id, translation) {
      saved[id] = translation;
      if (!panel) { return; }
      Array.prototype.forEach.call(panel.querySelectorAll(".tm-panel-entry"), function (button) {
        if (button.dataset.entry === id) {
          button.lastChild.textContent = " " + rowText(button.dataset.where, id, translation);
        }
      });
    }

    return { toggle: toggle, update: update };
  }

  window.translatorPanel = { create: create };
}());
