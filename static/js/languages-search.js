/* /languages: filter the directory as the visitor types, with the pluralized
 * count updated in the page's language. The server-side search (the form)
 * keeps working without JavaScript; this only makes it immediate. */
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
  var entries = null;

  function fold(text) {
    // Same folding as the server (website.languages.fold): no case, no accents.
    return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
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

  function render(query) {
    var needle = fold(query.trim());
    var found = entries.filter(function (entry) { return !needle || entry.search.indexOf(needle) !== -1; });
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
    if (pagination) { pagination.hidden = found.length <= pageSize && needle !== ""; }
  }

  Promise.all([
    i18n.load(html.dataset.i18nCatalog),
    fetch(form.dataset.directory).then(function (response) { return response.json(); })
  ]).then(function (results) {
    entries = results[1];
    input.addEventListener("input", function () { render(input.value); });
    if (input.value) { render(input.value); }
  }).catch(function (error) {
    // The form still works: the visitor submits it and the server searches.
    console.warn("live search unavailable:", error.message);
  });
})();
