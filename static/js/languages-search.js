/* /languages: filter the directory as the visitor types, with the pluralized
 * count updated in the page's language. The server-side search (the form)
 * keeps working without JavaScript; this only makes it immediate.
 *
 * Matching is the server's (website.directory.search), in two ways.
 *
 * At primary strength (website.i18n.locale_data.SearchFolding), done with
 * the browser's ICU: Intl.Collator at sensitivity "base" in the page's
 * locale sorts every character of the directory, characters it finds equal
 * form a class, each character is replaced by its class's first member
 * (characters equal to "" — marks, points — vanish), and a plain substring
 * test does the rest. So "francais" finds français, "ＦＲ" finds fr, Hebrew
 * points and Arabic harakat are ignored, and Swedish ä stays apart from a.
 *
 * Folded to Latin ASCII (website.i18n.latin_folding): the server sends each
 * language's keys ("latin") and the table a query is folded with, character
 * by character, so "lacinski" finds łaciński and "strasse" Straße without
 * an ICU transliterator here. Results are ranked as on the server: a name
 * equal to the query, other primary matches, a folded key equal to the
 * folded query, other folded matches, each in the directory's order. */
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  var input = document.getElementById("q");
  var table = document.querySelector("table.directory");
  var status = document.querySelector(".count");
  if (!form || !input || !status || !form.dataset.directory) { return; }

  var html = document.documentElement;
  var numbers = new Intl.NumberFormat(html.lang, { numberingSystem: html.dataset.numbering || "latn" });
  var pageSize = Number(form.dataset.pageSize) || 50;
  var MAX_QUERY_LENGTH = Number(input.getAttribute("maxlength")) || 100;
  var entries = null;
  var fold = null;
  var latinTable = null;

  function searchFolding(texts, collator) {
    var seen = new Set();
    texts.forEach(function (text) {
      for (var c of text.normalize("NFC")) { seen.add(c); }
    });
    var chars = Array.from(seen).sort(collator.compare);
    var classes = new Map();
    var representatives = [];
    chars.forEach(function (c) {
      var last = representatives[representatives.length - 1];
      if (collator.compare(c, "") === 0) { classes.set(c, ""); return; }
      if (last === undefined || collator.compare(last, c) !== 0) { representatives.push(c); last = c; }
      classes.set(c, last);
    });

    function classOf(c) {
      // A character the directory does not contain (typed by the visitor):
      // the class it is equal to, by binary search; else it stands for itself.
      if (collator.compare(c, "") === 0) { return ""; }
      var low = 0, high = representatives.length - 1;
      while (low <= high) {
        var middle = (low + high) >> 1;
        var order = collator.compare(c, representatives[middle]);
        if (order === 0) { return representatives[middle]; }
        if (order < 0) { high = middle - 1; } else { low = middle + 1; }
      }
      return "\uFDD0" + c + "\uFDD1";
    }

    return function (text) {
      var out = "";
      for (var c of text.normalize("NFC")) {
        var folded = classes.get(c);
        out += folded === undefined ? classOf(c) : folded;
      }
      return out;
    };
  }

  function simpleLatin(c) {
    // A character the table lacks, as the server's latin_folding._simple:
    // decomposed, without marks, lowercase; ASCII letters and digits kept,
    // letters and digits of other scripts kept (they match no key), the
    // rest dropped.
    var out = "";
    for (var ch of c.normalize("NFD").replace(/\p{Mn}/gu, "").toLowerCase()) {
      if (/[a-z0-9]/.test(ch) || (ch > "\u007f" && /[\p{L}\p{N}]/u.test(ch))) { out += ch; }
    }
    return out;
  }

  function latinKey(text) {
    var out = "";
    for (var c of text.normalize("NFC")) {
      out += Object.prototype.hasOwnProperty.call(latinTable, c) ? latinTable[c] : simpleLatin(c);
    }
    return out;
  }

  function cleanQuery(text) {
    // As the server's query_text: no control, format or surrogate
    // characters, trimmed, at most MAX_QUERY_LENGTH characters.
    var kept = text.replace(/[\p{Cc}\p{Cf}\p{Cs}]/gu, "").trim();
    return Array.from(kept).slice(0, MAX_QUERY_LENGTH).join("").trim();
  }

  function cell(text, attributes) {
    var td = document.createElement("td");
    var inner = td;
    if (attributes.tag) {
      inner = document.createElement(attributes.tag);
      td.appendChild(inner);
    }
    Object.keys(attributes.attrs || {}).forEach(function (name) { inner.setAttribute(name, attributes.attrs[name]); });
    inner.textContent = text;
    return td;
  }

  function find(query) {
    var text = cleanQuery(query);
    var needle = fold(text);
    if (!needle) { return entries; }
    var latin = latinKey(text);
    var ranked = [];
    entries.forEach(function (entry) {
      var rank;
      if (entry.search.indexOf(needle) !== -1) {
        rank = entry.search.split("\n").indexOf(needle) !== -1 ? 0 : 1;
      } else if (latin && entry.latin.indexOf(latin) !== -1) {
        rank = entry.latin.split("\n").indexOf(latin) !== -1 ? 2 : 3;
      } else {
        return;
      }
      ranked.push({ rank: rank, entry: entry });
    });
    // Array.prototype.sort is stable: the directory's order within a rank.
    ranked.sort(function (a, b) { return a.rank - b.rank; });
    return ranked.map(function (item) { return item.entry; });
  }

  function render(query) {
    var found = find(query);
    status.textContent = i18n.format(
      i18n.ngettext("%(count)s language found", "%(count)s languages found", found.length),
      { count: numbers.format(found.length) }
    );
    if (!table) { return; }
    var body = document.createElement("tbody");
    found.slice(0, pageSize).forEach(function (entry) {
      var row = document.createElement("tr");
      var link = { href: entry.url };
      if (!entry.named) { link.lang = entry.tag; }  // the name is the endonym
      row.appendChild(cell(entry.name, { tag: "a", attrs: link }));
      row.appendChild(cell(entry.endonym, { tag: "bdi", attrs: { lang: entry.tag, dir: entry.dir } }));
      row.appendChild(cell(entry.tag, { tag: "code", attrs: { dir: "ltr" } }));
      body.appendChild(row);
    });
    table.replaceChild(body, table.tBodies[0]);
    var pagination = document.querySelector(".pagination");
    if (pagination) { pagination.hidden = found.length <= pageSize && fold(cleanQuery(query)) !== ""; }
  }

  Promise.all([
    i18n.ready(),
    fetch(form.dataset.directory).then(function (response) { return response.json(); })
  ]).then(function (results) {
    entries = results[1].languages;
    latinTable = results[1].latin_folding;
    var fields = function (entry) { return [entry.name, entry.endonym, entry.english, entry.tag]; };
    var texts = [];
    entries.forEach(function (entry) { texts.push.apply(texts, fields(entry)); });
    fold = searchFolding(texts, new Intl.Collator(html.lang, { sensitivity: "base" }));
    entries.forEach(function (entry) { entry.search = fields(entry).map(fold).join("\n"); });
    input.addEventListener("input", function () { render(input.value); });
    if (input.value) { render(input.value); }
    form.dataset.ready = "true";
  }).catch(function (error) {
    // The form still works: the visitor submits it and the server searches.
    console.warn("live search unavailable:", error.message);
  });
})();
