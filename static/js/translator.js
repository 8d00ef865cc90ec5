/* Translator mode (issue 12): edit the page's strings in place.
 *
 * Loaded only on pages rendered for a signed-in translator in translator
 * mode (never for visitors). The server marked each translated string:
 * <span data-tid="ENTRY" data-tk="ROW"> around visible text,
 * data-tid-attr="aria-label=ENTRY ..." on elements whose attributes hold one,
 * and the JSON block #translator-data lists every row (entry id, plural form,
 * placeholder values) and the strings with no visible place (the panel).
 * Click, or focus and Enter, opens the workspace's editor for an entry beside
 * it: the same JSON API, checks, and compare-and-swap save as
 * static/js/workspace.js. Saved changes arrive over the WebSocket
 * /translate/<tag>/live and are put in place as text, never as HTML. */
(function () {
  "use strict";
  var dataNode = document.getElementById("translator-data");
  if (!dataNode) { return; }
  var data = JSON.parse(dataNode.textContent);
  var bar = document.getElementById("translator-bar");
  var xsrfInput = bar && bar.querySelector("input[name=_xsrf]");
  var xsrf = xsrfInput ? xsrfInput.value : "";
  var numbers = new Intl.NumberFormat(data.tag);
  var editor = null;
  var panel = null;
  var current = null;

  /* The browser catalog's functions as they were: this script's own interface is not marked. */
  var original = window.i18n ? {
    gettext: window.i18n.gettext, pgettext: window.i18n.pgettext, ngettext: window.i18n.ngettext
  } : null;
  function gettext(text) { return original ? original.gettext(text) : text; }
  function pgettext(context, text) { return original ? original.pgettext(context, text) : text; }

  /* The same names as in the workspace (static/js/workspace.js), so the same translations. */
  function checkName(check) {
    var names = {
      "python-format": gettext("Placeholders must match the source"),
      "markup": gettext("Markup that the source does not have"),
      "plural-count": gettext("Every plural form must be filled"),
      "newline": gettext("Line breaks at the start or end must match the source"),
      "whitespace": gettext("Spaces at the start or end differ from the source"),
      "same-as-source": gettext("Identical to the source text"),
      "control-character": gettext("Invisible control character"),
      "input": gettext("The value cannot be saved")
    };
    return names[check] || check;
  }

  function categoryName(category) {
    var names = {
      zero: pgettext("plural category", "zero"), one: pgettext("plural category", "one"),
      two: pgettext("plural category", "two"), few: pgettext("plural category", "few"),
      many: pgettext("plural category", "many"), other: pgettext("plural category", "other")
    };
    return names[category] || category;
  }

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }

  function request(method, url, body) {
    var options = { method: method, credentials: "same-origin", headers: { "Accept": "application/json" } };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.headers["X-XSRFToken"] = xsrf;
      options.body = JSON.stringify(body);
    }
    return fetch(url, options).then(function (response) {
      return response.json().then(function (answer) { return { status: response.status, data: answer }; });
    });
  }

  function entryUrl(id) { return data.api + "/" + encodeURIComponent(id); }

  /* Placeholders as the server's python-format check sees them (as in workspace.js). */
  function placeholders(text) {
    var found = {};
    (text.match(/%(\([^)]*\))?[-#0 +]*(\*|\d+)?(\.(\*|\d+))?[diouxXeEfFgGcrsa]|\{[A-Za-z_]\w*\}/g) || [])
      .forEach(function (p) { found[p] = true; });
    return Object.keys(found);
  }

  function typedProblems(entry, values) {
    var source = placeholders(entry.source.join(" "));
    var problems = [];
    values.forEach(function (text, index) {
      if (!text) { return; }
      var mine = placeholders(text);
      var category = (entry.forms[index] || {}).category;
      var spelledOut = entry.source.length > 1 && ["zero", "one", "two"].indexOf(category) !== -1;
      var missing = source.filter(function (p) { return mine.indexOf(p) === -1; });
      var extra = mine.filter(function (p) { return source.indexOf(p) === -1; });
      if ((missing.length && !spelledOut) || extra.length) {
        problems.push({ check: "python-format", severity: "error", message: missing.concat(extra).join(", ") });
      }
      if (/<[A-Za-z\/]/.test(text) && !/<[A-Za-z\/]/.test(entry.source.join(" "))) {
        problems.push({ check: "markup", severity: "error", message: "<…>" });
      }
    });
    return problems;
  }

  function showProblems(box, problems, isHint) {
    box.replaceChildren();
    var shown = problems.filter(function (p) { return p.check !== "untranslated" && p.check !== "fuzzy"; });
    if (!shown.length) { return; }
    var list = element("ul");
    shown.forEach(function (problem) {
      var item = element("li", null, problem.severity === "error" ? "problem-error" : "problem-warning");
      var label = problem.severity === "error" ? gettext("Error") : gettext("Warning");
      item.appendChild(element("strong", label + ": " + checkName(problem.check)));
      item.appendChild(document.createTextNode(" "));
      var detail = element("span", problem.message, "problem-detail");
      detail.dir = "ltr";
      item.appendChild(detail);
      list.appendChild(item);
    });
    if (isHint) { box.appendChild(element("p", gettext("Checked as you type; the server checks again when you save."), "muted")); }
    box.appendChild(list);
  }

  /* -- the editor ------------------------------------------------------------ */

  function close() {
    if (editor) { editor.remove(); editor = null; }
    if (current && current.anchor && current.anchor.focus) { current.anchor.focus(); }
    current = null;
  }

  function place(box, anchor) {
    var rect = anchor && anchor.getBoundingClientRect ? anchor.getBoundingClientRect() : null;
    var top = rect ? rect.bottom + window.scrollY + 6 : window.scrollY + 40;
    var left = rect ? Math.max(8, Math.min(rect.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - 440)) : 8;
    box.style.top = top + "px";
    box.style.left = left + "px";
  }

  function open(id, anchor) {
    close();
    current = { id: id, anchor: anchor, entry: null };
    editor = element("section", null, "tm-editor");
    editor.setAttribute("role", "dialog");
    editor.setAttribute("aria-label", gettext("Translation"));
    editor.dataset.entry = id;
    editor.appendChild(element("p", "…", "muted"));
    document.body.appendChild(editor);
    place(editor, anchor);
    request("GET", entryUrl(id)).then(function (answer) {
      if (!current || current.id !== id) { return; }
      if (answer.status !== 200) {
        editor.replaceChildren(element("p", answer.data.error || String(answer.status), "problem-error"));
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
      var form = entry.forms[index] || {};
      var label = element("label");
      var name = form.category ? categoryName(form.category) : gettext("Translation");
      if (form.examples && form.examples.length) {
        name += ": " + form.examples.map(function (n) { return numbers.format(n); }).join(", ") + "…";
      }
      label.appendChild(element("span", name, "tm-form-label"));
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
    var cancel = element("button", "×", "tm-cancel");
    cancel.type = "button";
    cancel.addEventListener("click", close);
    actions.appendChild(saveButton);
    actions.appendChild(cancel);
    actions.appendChild(element("span", "", "tm-status"));
    editor.appendChild(actions);
    showProblems(editor.querySelector(".tm-problems"), entry.problems || [], false);
    var first = editor.querySelector("textarea");
    if (first) { first.focus(); }
  }

  function values() {
    return Array.prototype.map.call(editor.querySelectorAll(".tm-forms textarea"), function (a) { return a.value; });
  }

  function hint() {
    if (!current || !current.entry) { return; }
    showProblems(editor.querySelector(".tm-problems"), typedProblems(current.entry, values()), true);
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
    }).catch(function () {
      status.textContent = gettext("Not saved: the server could not be reached. Try again.");
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
  }

  /* -- the page's strings ------------------------------------------------------ */

  function textFor(row, translation) {
    var text = translation[row.form === null || row.form === undefined ? 0 : row.form];
    if (!text || !row.args) { return null; }
    return text.replace(/%\((\w+)\)s|%%/g, function (whole, name) {
      if (!name) { return "%"; }
      return Object.prototype.hasOwnProperty.call(row.args, name) ? row.args[name] : whole;
    });
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

  /* -- the panel: strings with no visible place -------------------------------- */

  function panelItem(list, id, where, text) {
    var item = element("li");
    var button = element("button", null, "tm-panel-entry");
    button.type = "button";
    button.dataset.entry = id;
    var label = element("code", where, "tm-where");
    label.dir = "ltr";
    button.appendChild(label);
    button.appendChild(document.createTextNode(" " + text));
    button.addEventListener("click", function () { open(id, button); });
    item.appendChild(button);
    list.appendChild(item);
  }

  function togglePanel(button) {
    if (panel) { panel.remove(); panel = null; button.setAttribute("aria-expanded", "false"); return; }
    button.setAttribute("aria-expanded", "true");
    panel = element("section", null, "tm-panel");
    panel.id = "translator-panel";
    panel.setAttribute("aria-label", gettext("Strings not visible on this page"));
    panel.appendChild(element("h2", gettext("Strings not visible on this page")));
    var list = element("ul");
    panel.appendChild(list);
    var listed = {};
    data.panel.forEach(function (entry) {
      panelItem(list, entry.id, entry.where, entry.text);
      listed[entry.id] = true;
    });
    var shown = {};
    data.strings.forEach(function (row) {
      shown[row.id] = true;
      if (row.form !== null && row.form !== undefined && !listed[row.id]) {
        listed[row.id] = true;
        panelItem(list, row.id, "plural", "");
      }
    });
    bar.parentNode.insertBefore(panel, bar.nextSibling);
    /* Strings of this page's templates and scripts that this state of the
     * page did not show (another branch, a message a script writes). */
    var sources = data.templates.map(function (name) { return "templates/" + name; });
    Array.prototype.forEach.call(document.querySelectorAll("script[src]"), function (script) {
      var match = /\/static\/(js\/[\w-]+)(?:\.[0-9a-f]+)?\.js$/.exec(script.getAttribute("src"));
      if (match) { sources.push("static/" + match[1] + ".js"); }
    });
    request("GET", data.api + "?state=all").then(function (answer) {
      if (answer.status !== 200 || !panel) { return; }
      answer.data.entries.forEach(function (entry) {
        if (shown[entry.id] || listed[entry.id]) { return; }
        var here = (entry.references || []).some(function (ref) {
          return sources.some(function (source) { return ref.split(":")[0] === source; });
        });
        if (here) {
          listed[entry.id] = true;
          panelItem(list, entry.id, "…", entry.translation[0] || entry.source[0]);
        }
      });
    });
  }

  /* -- strings the page's scripts write (static/js) ----------------------------------
   * The same markers as the server's (website/i18n/in_context.py): the
   * catalog functions wrap what they return, and an observer turns marked
   * text the scripts put into the page into marked spans (or data-tid-attr). */
  var START = "\ufff9", SEPARATOR = "\ufffa", END = "\ufffb";
  var DIGITS = "\u2061\u2062\u2063\u2064";
  var MARKED = new RegExp(START + "([" + DIGITS + "]*)" + SEPARATOR + "([^" + START + END + "]*)" + END, "g");
  var STRAY = new RegExp("[" + START + SEPARATOR + END + DIGITS + "]", "g");
  var pluralOf = data.plural && window.i18n && window.i18n.compilePlural ? window.i18n.compilePlural(data.plural) : null;

  function encode(number) {
    var digits = "";
    do { digits = DIGITS.charAt(number % 4) + digits; number = Math.floor(number / 4); } while (number);
    return digits;
  }

  function decode(digits) {
    var value = 0;
    for (var i = 0; i < digits.length; i += 1) { value = value * 4 + DIGITS.indexOf(digits.charAt(i)); }
    return value;
  }

  /* Placeholder values that made `text` from `template` (as the server's _arguments). */
  function argumentsOf(template, text) {
    var names = [];
    var pattern = template.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/%\\\((\w+)\\\)s|%%/g, function (whole, name) {
      if (!name) { return "%"; }
      if (names.indexOf(name) !== -1) { return "[\\s\\S]*?"; }
      names.push(name);
      return "([\\s\\S]*?)";
    });
    var found = new RegExp("^" + pattern + "$").exec(text);
    if (!found) { return null; }
    var values = {};
    names.forEach(function (name, index) { values[name] = found[index + 1]; });
    return values;
  }

  function wrap(key, text, form) {
    var id = (data.js || {})[key];
    if (!id || typeof text !== "string") { return text; }
    data.strings.push({ id: id, form: form, args: null, template: text });
    return START + encode(data.strings.length - 1) + SEPARATOR + text + END;
  }

  if (original) {
    window.i18n.gettext = function (msgid) { return wrap(msgid, original.gettext(msgid), null); };
    window.i18n.pgettext = function (context, msgid) {
      return wrap(context + "\u0004" + msgid, original.pgettext(context, msgid), null);
    };
    window.i18n.ngettext = function (singular, pluralText, n) {
      return wrap(singular, original.ngettext(singular, pluralText, n), pluralOf ? pluralOf(n) : null);
    };
  }

  function markText(node) {
    var text = node.nodeValue;
    if (text.indexOf(START) === -1 && text.indexOf(END) === -1) { return; }
    var parent = node.parentNode;
    if (!parent || parent.nodeName === "SCRIPT" || parent.nodeName === "STYLE") { return; }
    if (["TITLE", "OPTION", "TEXTAREA"].indexOf(parent.nodeName) !== -1) {
      node.nodeValue = text.replace(STRAY, "");
      return;
    }
    var fragment = document.createDocumentFragment();
    var position = 0;
    var match;
    MARKED.lastIndex = 0;
    while ((match = MARKED.exec(text)) !== null) {
      if (match.index > position) { fragment.appendChild(document.createTextNode(text.slice(position, match.index).replace(STRAY, ""))); }
      var number = decode(match[1]);
      var row = data.strings[number];
      var span = element("span", match[2]);
      if (row) {
        span.dataset.tid = row.id;
        span.dataset.tk = String(number);
        span.className = "tm-marked";
        span.tabIndex = 0;
        if (row.template !== undefined) { row.args = argumentsOf(row.template, match[2]); }
      }
      fragment.appendChild(span);
      position = MARKED.lastIndex;
    }
    if (position < text.length) { fragment.appendChild(document.createTextNode(text.slice(position).replace(STRAY, ""))); }
    parent.replaceChild(fragment, node);
  }

  function markAttributes(node) {
    Array.prototype.slice.call(node.attributes || []).forEach(function (attribute) {
      var value = attribute.value;
      if (value.indexOf(START) === -1) { return; }
      var pairs = [];
      value.replace(MARKED, function (whole, digits) {
        var row = data.strings[decode(digits)];
        if (row) { pairs.push(attribute.name + "=" + row.id); }
        return whole;
      });
      node.setAttribute(attribute.name, value.replace(STRAY, ""));
      var before = node.dataset.tidAttr ? node.dataset.tidAttr.split(" ") : [];
      node.dataset.tidAttr = before.concat(pairs.filter(function (p) { return before.indexOf(p) === -1; })).join(" ");
      node.classList.add("tm-marked");
      if (node.tabIndex < 0) { node.tabIndex = 0; }
    });
  }

  function markTree(root) {
    if (root.nodeType === 3) { markText(root); return; }
    if (root.nodeType !== 1) { return; }
    markAttributes(root);
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    var found = [];
    while (walker.nextNode()) { found.push(walker.currentNode); }
    found.forEach(function (node) { if (node.nodeType === 3) { markText(node); } else { markAttributes(node); } });
  }

  new MutationObserver(function (records) {
    records.forEach(function (record) {
      if (record.type === "characterData") { markText(record.target); }
      else if (record.type === "attributes") { markAttributes(record.target); }
      else { Array.prototype.forEach.call(record.addedNodes, markTree); }
    });
  }).observe(document.documentElement, { subtree: true, childList: true, characterData: true, attributes: true });

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

  Array.prototype.forEach.call(document.querySelectorAll("[data-tid], [data-tid-attr]"), function (node) {
    if (inTools(node)) { return; }
    if (node.tabIndex < 0) { node.tabIndex = 0; }
    node.classList.add("tm-marked");
  });

  document.addEventListener("click", function (event) {
    if (inTools(event.target)) { return; }
    var node = target(event.target);
    if (!node) { return; }
    event.preventDefault();
    event.stopPropagation();
    open(idOf(node), node);
  }, true);

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && editor) { close(); return; }
    if (event.key !== "Enter" || inTools(event.target)) { return; }
    var node = target(event.target);
    if (!node || node !== event.target) { return; }
    event.preventDefault();
    event.stopPropagation();
    open(idOf(node), node);
  }, true);

  if (bar) {
    var toggle = element("button", gettext("Strings not visible on this page"), "tm-panel-toggle");
    toggle.type = "button";
    toggle.setAttribute("aria-expanded", "false");
    toggle.setAttribute("aria-controls", "translator-panel");
    toggle.addEventListener("click", function () { togglePanel(toggle); });
    bar.appendChild(toggle);
  }
  connect();
}());
