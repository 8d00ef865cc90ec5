/* Translator mode (issue 12): edit the page's strings in place.
 *
 * Loaded only on pages rendered for a signed-in translator in translator
 * mode (never for visitors). The server marked each translated string:
 * <span data-tid="ENTRY" data-tk="ROW"> around visible text,
 * data-tid-attr="aria-label=ENTRY ..." on elements whose attributes hold one,
 * and the JSON block #translator-data lists every row (entry id, plural form,
 * placeholder values) and the strings with no visible place (the panel).
 * Strings the page's scripts write are marked by static/js/translator-marks.js;
 * the panel is static/js/translator-panel.js.
 * Click, or focus and Enter, opens the workspace's editor for an entry beside
 * it: the same JSON API, checks, and compare-and-swap save as
 * static/js/workspace.js, with the parts of its editor in static/js/editor.js.
 * Saved changes arrive over the WebSocket /translate/<tag>/live and are put
 * in place as text, never as HTML. */
(function () {
  "use strict";
  var page = window.translatorMarks;  // static/js/translator-marks.js, run just before
  if (!page) { return; }
  var data = page.data;
  var bar = document.getElementById("translator-bar");
  var xsrfInput = bar && bar.querySelector("input[name=_xsrf]");
  var xsrf = xsrfInput ? xsrfInput.value : "";
  var numbers = new Intl.NumberFormat(data.tag);
  var editor = null;
  var panel = null;
  var current = null;

  /* The browser catalog's functions as they were: this script's own interface is not marked. */
  var original = page.original;
  function gettext(text) { return original ? original.gettext(text) : text; }
  function pgettext(context, text) { return original ? original.pgettext(context, text) : text; }

  /* The workspace's texts, requests and hint (static/js/editor.js), in the catalog's own words. */
  var ui = entryEditor.create({ gettext: gettext, pgettext: pgettext, numbers: numbers });
  var element = entryEditor.element;

  function request(method, url, body) { return entryEditor.request(method, url, body, { xsrf: xsrf }); }

  function entryUrl(id) { return data.api + "/" + encodeURIComponent(id); }

  function showProblems(box, problems, isHint) { ui.showProblems(box, problems, isHint); }

  /* -- the editor ------------------------------------------------------------ */

  function close() {
    if (editor) { editor.remove(); editor = null; }
    if (current && current.anchor && current.anchor.isConnected && current.anchor.focus) { current.anchor.focus(); }
    current = null;
  }

  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  /* The editor beside its string, never over the panel (the list of the
   * page's strings): below the string, else above it; opened from the panel,
   * or with no room beside the string, it goes into the page's flow right
   * after the panel, where it cannot cover anything. Called again whenever
   * the editor's or the panel's size changes (a save's answer, a problem). */
  function place() {
    if (!editor) { return; }
    var anchor = current && current.anchor;
    var panelBox = panel ? panel.getBoundingClientRect() : null;
    if (!editor.classList.contains("tm-editor-docked") && !(panel && anchor && panel.contains(anchor))) {
      var rect = anchor && anchor.isConnected ? anchor.getBoundingClientRect() : null;
      var size = editor.getBoundingClientRect();
      var width = document.documentElement.clientWidth;
      var start = rect ? (document.documentElement.dir === "rtl" ? rect.right - size.width : rect.left) : 8;
      var left = Math.max(8, Math.min(start, width - size.width - 8));
      var tops = rect ? [rect.bottom + 6, rect.top - 6 - size.height] : [40];
      for (var i = 0; i < tops.length; i += 1) {
        var box = { left: left, right: left + size.width, top: tops[i], bottom: tops[i] + size.height };
        if (tops[i] + window.scrollY >= 0 && !(panelBox && overlaps(box, panelBox))) {
          editor.style.top = (tops[i] + window.scrollY) + "px";
          editor.style.left = (left + window.scrollX) + "px";
          return;
        }
      }
    }
    if (!panel) { return; }
    editor.classList.add("tm-editor-docked");
    editor.style.top = editor.style.left = "";
    if (panel.nextSibling !== editor) {
      var focused = editor.contains(document.activeElement) ? document.activeElement : null;
      panel.parentNode.insertBefore(editor, panel.nextSibling);
      if (focused) { focused.focus(); }
    }
  }

  /* A size change is placed again on the next frame (never inside the observer's own delivery). */
  var resizing = window.ResizeObserver ? new ResizeObserver(function () { window.requestAnimationFrame(place); }) : null;
  window.addEventListener("resize", place);

  function open(id, anchor) {
    close();
    current = { id: id, anchor: anchor, entry: null };
    editor = element("section", null, "tm-editor");
    editor.setAttribute("role", "dialog");
    editor.setAttribute("aria-label", gettext("Translation"));
    editor.dataset.entry = id;
    editor.appendChild(element("p", "…", "muted"));
    document.body.appendChild(editor);
    place();
    if (resizing) { resizing.observe(editor); }
    request("GET", entryUrl(id)).then(function (answer) {
      if (!current || current.id !== id) { return; }
      if (answer.status !== 200) {
        editor.replaceChildren(element("p", answer.data.error || String(answer.status), "problem-error"));
        place();
        return;
      }
      render(answer.data);
    });
  }

  function render(entry) {
    current.entry = entry;
    editor.replaceChildren();
    var facts = element("dl", null, "tm-facts");
    function fact(label, value, dir) {
      if (!value) { return; }
      facts.appendChild(element("dt", label));
      var dd = element("dd", value);
      if (dir) { dd.dir = dir; dd.lang = "en"; }
      facts.appendChild(dd);
    }
    fact(pgettext("entry", "Source"), entry.source.join(" / "), "ltr");
    fact(pgettext("entry", "Context"), entry.context, "ltr");
    (entry.comments || []).forEach(function (comment) { fact(gettext("Notes for translators"), comment, "ltr"); });
    editor.appendChild(facts);
    var forms = element("div", null, "tm-forms");
    entry.translation.forEach(function (text, index) {
      var label = element("label");
      label.appendChild(element("span", ui.formLabel(entry, index), "tm-form-label"));
      var area = element("textarea");
      area.value = text;
      area.lang = data.tag;
      area.dir = "auto";
      area.rows = 2;
      area.dataset.form = String(index);
      area.addEventListener("input", hint);
      area.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); save(); }
        if (event.key === "Escape") { close(); }
      });
      label.appendChild(area);
      forms.appendChild(label);
    });
    editor.appendChild(forms);
    var fuzzyLabel = element("label", null, "tm-fuzzy");
    var fuzzy = element("input");
    fuzzy.type = "checkbox";
    fuzzy.checked = entry.fuzzy;
    fuzzy.className = "tm-fuzzy-box";
    fuzzyLabel.appendChild(fuzzy);
    fuzzyLabel.appendChild(document.createTextNode(" " + gettext("Needs review (visitors keep seeing the English text)")));
    editor.appendChild(fuzzyLabel);
    editor.appendChild(element("div", null, "tm-problems"));
    editor.appendChild(element("div", null, "tm-conflict"));
    var actions = element("div", null, "tm-actions");
    var saveButton = element("button", pgettext("verb", "Save"), "tm-save");
    saveButton.type = "button";
    saveButton.addEventListener("click", function () { save(); });
    var cancel = element("button", null, "tm-cancel");
    cancel.type = "button";
    /* "×" alone is read as "times" or nothing at all: the button says what it does. */
    var cross = element("span", "×");
    cross.setAttribute("aria-hidden", "true");
    cancel.appendChild(cross);
    cancel.setAttribute("aria-label", gettext("Close"));
    cancel.title = gettext("Close");
    cancel.addEventListener("click", close);
    actions.appendChild(saveButton);
    actions.appendChild(cancel);
    actions.appendChild(element("span", "", "tm-status"));
    editor.appendChild(actions);
    showProblems(editor.querySelector(".tm-problems"), entry.problems || [], false);
    place();
    var first = editor.querySelector("textarea");
    if (first) { first.focus(); }
  }

  function values() {
    return Array.prototype.map.call(editor.querySelectorAll(".tm-forms textarea"), function (a) { return a.value; });
  }

  function hint() {
    if (!current || !current.entry) { return; }
    ui.hint(editor.querySelector(".tm-problems"), current.entry, values());
    place();
  }

  function save(revision) {
    var entry = current.entry;
    var status = editor.querySelector(".tm-status");
    var body = { translation: values(), fuzzy: editor.querySelector(".tm-fuzzy-box").checked,
                 revision: revision || entry.revision };
    status.textContent = gettext("Saving…");
    return request("PUT", entryUrl(entry.id), body).then(function (answer) {
      status.textContent = "";
      var problems = editor.querySelector(".tm-problems");
      var conflict = editor.querySelector(".tm-conflict");
      conflict.replaceChildren();
      if (answer.status === 200) {
        current.entry = answer.data;
        showProblems(problems, answer.data.problems || [], false);
        status.textContent = gettext("Saved. Visitors see it within seconds.");
        update({ id: answer.data.id, translation: answer.data.translation, fuzzy: answer.data.fuzzy });
      } else if (answer.status === 422) {
        showProblems(problems, answer.data.problems || [], false);
      } else if (answer.status === 409) {
        showConflict(answer.data.current);
      } else {
        problems.replaceChildren(element("p", answer.data.error || String(answer.status), "problem-error"));
      }
      place();
    }).catch(function () {
      status.textContent = gettext("Not saved: the server could not be reached. Try again.");
      place();
    });
  }

  /* Someone saved this entry since it was opened: keep mine, or take theirs (as in the workspace). */
  function showConflict(theirs) {
    var box = editor.querySelector(".tm-conflict");
    box.appendChild(element("p", gettext("Someone else changed this entry while you were editing it. Their version:"), "problem-warning"));
    var list = element("ul");
    theirs.translation.forEach(function (text) {
      var item = element("li", text);
      item.lang = data.tag;
      item.dir = "auto";
      list.appendChild(item);
    });
    box.appendChild(list);
    var keep = element("button", gettext("Keep mine"), "tm-keep");
    keep.type = "button";
    keep.addEventListener("click", function () { save(theirs.revision); });
    var take = element("button", gettext("Take theirs"), "tm-take");
    take.type = "button";
    take.addEventListener("click", function () {
      current.entry = theirs;
      render(theirs);
    });
    box.appendChild(keep);
    box.appendChild(take);
    place();
  }

  /* -- the page's strings ------------------------------------------------------ */

  function textFor(row, translation) {
    var text = translation[row.form === null || row.form === undefined ? 0 : row.form];
    return text && row.args ? window.placeholders.format(text, row.args) : null;
  }

  /* A saved change: put the new text in every place of this entry, as text. */
  function update(change) {
    if (!change || typeof change.id !== "string" || !Array.isArray(change.translation)) { return; }
    if (change.fuzzy || change.translation.some(function (t) { return !t; })) { return; }
    Array.prototype.forEach.call(document.querySelectorAll("span[data-tid]"), function (span) {
      if (span.dataset.tid !== change.id || span.children.length) { return; }
      var text = textFor(data.strings[Number(span.dataset.tk)] || {}, change.translation);
      if (text !== null) { span.textContent = text; }
    });
    /* The <title>, rebuilt from its pieces (data.title, from the server). */
    var retitled = false;
    (data.title || []).forEach(function (piece) {
      var row = piece.tk === null ? null : data.strings[piece.tk];
      if (row && row.id === change.id) {
        var text = textFor(row, change.translation);
        if (text !== null) { piece.text = text; retitled = true; }
      }
    });
    if (retitled) { document.title = data.title.map(function (piece) { return piece.text; }).join(""); }
    Array.prototype.forEach.call(document.querySelectorAll("[data-tid-attr]"), function (node) {
      node.dataset.tidAttr.split(" ").forEach(function (pair) {
        var at = pair.indexOf("=");
        if (pair.slice(at + 1) === change.id && change.translation[0].indexOf("%") === -1) {
          node.setAttribute(pair.slice(0, at), change.translation[0]);
        }
      });
    });
    panels.update(change.id, change.translation);
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + data.live);
    socket.addEventListener("message", function (event) {
      try { update(JSON.parse(event.data)); } catch (error) { /* not ours: ignored */ }
    });
    socket.addEventListener("open", function () { document.documentElement.dataset.translatorLive = "open"; });
    socket.addEventListener("close", function () {
      document.documentElement.dataset.translatorLive = "closed";
      window.setTimeout(connect, 2000);
    });
  }

  /* -- the panel: strings with no visible place (static/js/translator-panel.js) -- */

  var panels = translatorPanel.create({
    data: data, bar: bar, gettext: gettext, request: request,
    open: open,
    /* The editor of a row goes with its panel; any other is placed again beside it. */
    changed: function (node) {
      panel = node;
      if (!panel && editor && current && current.anchor && !current.anchor.isConnected) { close(); }
      if (panel && resizing) { resizing.observe(panel); }
      place();
    }
  });

  /* -- marking up --------------------------------------------------------------- */

  function target(node) {
    while (node && node !== document.body) {
      if (node.nodeType === 1 && (node.dataset.tid || node.dataset.tidAttr)) { return node; }
      node = node.parentNode;
    }
    return null;
  }

  function idOf(node) {
    if (node.dataset.tid) { return node.dataset.tid; }
    var first = node.dataset.tidAttr.split(" ")[0];
    return first.slice(first.indexOf("=") + 1);
  }

  function inTools(node) {
    return (editor && editor.contains(node)) || (panel && panel.contains(node)) || (bar && bar.contains(node));
  }

  /* A string inside a link or a button is edited from that element (Enter
   * on it, or the click): a second Tab stop inside a control would repeat
   * it for every keyboard and screen reader user. Elsewhere the string
   * itself takes focus. */
  Array.prototype.forEach.call(document.querySelectorAll("[data-tid], [data-tid-attr]"), function (node) {
    if (inTools(node)) { return; }
    page.makeReachable(node);
  });

  document.addEventListener("click", function (event) {
    if (inTools(event.target)) { return; }
    var node = target(event.target);
    if (!node) { return; }
    event.preventDefault();
    event.stopPropagation();
    open(idOf(node), node);
  }, true);

  var CONTROLS = "a[href], button, input, select, textarea, summary";

  /* Enter on a focused string, or on a focused control holding one: its
   * visible text first; the control's attribute strings are in the panel. */
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && editor) { close(); return; }
    var focused = event.target;
    if (event.key !== "Enter" || inTools(focused) || focused.nodeType !== 1) { return; }
    var node = !focused.matches(CONTROLS) ? (target(focused) === focused ? focused : null)
      : focused.querySelector("[data-tid]") || (focused.dataset.tidAttr ? focused : null);
    if (!node) { return; }
    event.preventDefault();
    event.stopPropagation();
    open(idOf(node), event.target);
  }, true);

  /* The bar's own words wait for the page's catalog (static/js/i18n.js), whichever page this is. */
  function start() {
    if (bar) {
      var toggle = element("button", gettext("Strings not visible on this page"), "tm-panel-toggle");
      toggle.type = "button";
      toggle.setAttribute("aria-expanded", "false");
      toggle.setAttribute("aria-controls", "translator-panel");
      toggle.addEventListener("click", function () { panels.toggle(toggle); });
      bar.appendChild(toggle);
    }
    connect();
  }

  if (window.i18n && window.i18n.ready) { window.i18n.ready().then(start, start); } else { start(); }
}());
