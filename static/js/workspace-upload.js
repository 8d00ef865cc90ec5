/* The translator workspace's upload (/translate/<tag>): sends a .po, then
 * reports what was applied, unchanged, conflicting or rejected. A conflicting
 * entry shows the file's value beside the site's and links to the entry.
 * workspace.js creates it with what the report needs from the editor.
 *
 * Same rules as the editor: translations are untrusted text, only ever put
 * in the page with textContent; no inline script or style. */
var workspaceUpload = (function () {
  "use strict";
  var element = entryEditor.element;

  /* options: url (the upload endpoint), report (where the report goes), ui
   * (the entry editor, for check names), numbers (Intl.NumberFormat),
   * targetText(tag, text) (a translation's node), openById(id), reload(). */
  function create(options) {
    /* An upload's conflicting entry: the file's value beside the site's, each form on its line. */
    function conflictValues(item) {
      var values = element("div", null, "upload-conflict");
      [[item.uploaded, i18n.gettext("In your file")], [item.current, i18n.gettext("On the site now")]]
        .forEach(function (pair) {
          var column = element("div");
          column.appendChild(element("strong", pair[1]));
          var forms = element("ul");
          pair[0].translation.forEach(function (text) {
            forms.appendChild(text ? options.targetText("li", text) : element("li", i18n.gettext("(untranslated)")));
          });
          column.appendChild(forms);
          values.appendChild(column);
        });
      return values;
    }

    /* A link to an entry in this editor (?entry=<id>, so it also works in a new tab). */
    function entryLink(id) {
      var link = element("a", i18n.gettext("Open this entry in the editor"), "upload-entry-link");
      link.href = window.location.pathname + "?" + new URLSearchParams({ entry: id }).toString();
      link.addEventListener("click", function (event) {
        if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) { return; }
        event.preventDefault();
        options.openById(id);
      });
      return link;
    }

    function upload(event) {
      event.preventDefault();
      var form = event.target;
      var report = options.report;
      report.textContent = i18n.gettext("Uploading…");
      fetch(options.url, { method: "POST", body: new FormData(form), credentials: "same-origin",
                                   headers: { "Accept": "application/json" } })
        .then(function (response) { return response.json().then(function (data) { return [response.status, data]; }); })
        .then(function (answer) {
          report.replaceChildren();
          if (answer[0] !== 200) { report.textContent = answer[1].error || String(answer[0]); return; }
          var data = answer[1];
          [["applied", i18n.gettext("Applied")], ["unchanged", i18n.gettext("Unchanged")],
           ["conflicting", i18n.gettext("Changed on the site since your download: not overwritten")],
           ["rejected", i18n.gettext("Rejected")]].forEach(function (pair) {
            var items = data[pair[0]];
            report.appendChild(element("h3", i18n.format(i18n.gettext("%(label)s: %(count)s"),
                                                         { label: pair[1], count: options.numbers.format(items.length) })));
            if (pair[0] === "applied" || pair[0] === "unchanged") { return; }
            var list = element("ul");
            items.forEach(function (item) {
              var line = element("li");
              var source = element("span", item.source);
              source.lang = "en";
              source.dir = "ltr";
              line.appendChild(source);
              (item.problems || []).forEach(function (problem) {
                line.appendChild(document.createTextNode(" — " + options.ui.checkName(problem.check) + ": " + problem.message));
              });
              if (item.current && item.uploaded) { line.appendChild(conflictValues(item)); }
              var onSite = !(item.problems || []).some(function (p) { return p.check === "unknown-entry"; });
              if ((pair[0] === "conflicting" || pair[0] === "rejected") && onSite) { line.appendChild(entryLink(item.id)); }
              list.appendChild(line);
            });
            report.appendChild(list);
          });
          options.reload();
        });
    }

    return { submit: upload };
  }

  return { create: create };
})();
