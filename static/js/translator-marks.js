/* Translator mode: the strings the page's scripts (static/js) write, marked.
 *
 * The same markers as the server's (site/website/i18n/translator_marks.py): the
 * catalog functions of static/js/i18n.js wrap what they return, and an
 * observer turns marked text the scripts put into the page into marked
 * spans (or data-tid-attr), each a new row of the page's #translator-data.
 * Runs before static/js/translator.js, which takes the rows and the
 * catalog's own functions from window.translatorMarks. */
(function () {
  "use strict";
  var dataNode = document.getElementById("translator-data");
  if (!dataNode) { return; }
  var data = JSON.parse(dataNode.textContent);
  var original = window.i18n ? {
    gettext: window.i18n.gettext, pgettext: window.i18n.pgettext, ngettext: window.i18n.ngettext
  } : null;

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

  var CONTROLS = "a[href], button, input, select, textarea, summary, iframe, [contenteditable], [tabindex]";

  /* The focusable element a marked node sits in (a link, a button...), not counting other marks. */
  function controlAround(node) {
    for (var up = node.parentElement; up && up !== document.body; up = up.parentElement) {
      if (up.matches(CONTROLS) && !(up.classList.contains("tm-marked") && !up.matches("a[href], button, input, select, textarea, summary"))) {
        return up;
      }
    }
    return null;
  }

  /* Marked, and reachable with the keyboard: visible text by its own Tab
   * stop, or by the one of the link or button it sits in (static/js/translator.js
   * opens it with Enter there), never by a second one inside it. An element
   * marked only for an attribute (a <nav>'s aria-label) is no control: it
   * takes focus from a script but no Tab stop; the panel lists its strings. */
  function makeReachable(node) {
    node.classList.add("tm-marked");
    if (node.tabIndex >= 0 || controlAround(node)) { return; }
    node.tabIndex = node.dataset.tid ? 0 : -1;
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
      var span = document.createElement("span");
      span.textContent = match[2];
      if (row) {
        span.dataset.tid = row.id;
        span.dataset.tk = String(number);
        makeReachable(span);
        if (row.template !== undefined) { row.args = window.placeholders.valuesIn(row.template, match[2]); }
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
      makeReachable(node);
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

  window.translatorMarks = { data: data, original: original, makeReachable: makeReachable };
}());
