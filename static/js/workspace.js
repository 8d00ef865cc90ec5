/* The translator workspace's editor (/translate/<tag>): lists entries from the
 * JSON API, edits one at a time, saves with a compare-and-swap PUT.
 * The editor's parts shared with translator mode are static/js/editor.js;
 * the list's buttons and progress bar are static/js/workspace-list.js.
 *
 * Translations are untrusted text: they are only ever put in the page with
 * textContent or form values, never as HTML. No inline script or style: the
 * page works under the site's strict Content-Security-Policy.
 * Keyboard: Ctrl+Enter (Cmd+Enter) saves and opens the next entry. */
(function () {
  "use strict";
  var root = document.getElementById("workspace");
  if (!root) { return; }
  var html = document.documentElement;
  var numbers = new Intl.NumberFormat(html.lang, { numberingSystem: html.dataset.numbering || "latn" });
  var $ = function (id) { return document.getElementById(id); };
  var state = { entries: [], current: null, conflict: null, loads: 0 };
  var role = root.dataset.role || "translate";
  var percent = new Intl.NumberFormat(html.lang, { style: "percent", numberingSystem: html.dataset.numbering || "latn" });

  var ui = entryEditor.create({ gettext: i18n.gettext, pgettext: i18n.pgettext, numbers: numbers });
  var element = entryEditor.element;

  function request(method, url, body) {
    return entryEditor.request(method, url, body, { xsrf: root.dataset.xsrf, unauthorized: function () {
      window.location.assign("/account/login?next=" + encodeURIComponent(window.location.pathname));
    } });
  }

  function entryUrl(id) { return root.dataset.entries + "/" + encodeURIComponent(id); }

  /* -- the list ------------------------------------------------------------ */

  var entryList = workspaceList.create({ $: $, numbers: numbers, targetLang: root.dataset.targetLang,
                                         targetDir: root.dataset.targetDir, open: open });

  function load() {
    var query = new URLSearchParams({ state: $("state").value, q: $("search").value });
    var number = ++state.loads;
    return request("GET", root.dataset.entries + "?" + query.toString()).then(function (answer) {
      if (number !== state.loads) { return; }  // a newer filter was asked for meanwhile
      if (answer.status !== 200) { $("entry-count").textContent = answer.data.error || ""; return; }
      state.entries = answer.data.entries;
      entryList.showProgress(answer.data.progress);
      entryList.show(state.entries, state.current && state.current.id);
    });
  }

  /* -- one entry ----------------------------------------------------------- */

  function open(id) {
    var entry = state.entries.filter(function (e) { return e.id === id; })[0];
    if (!entry) { return; }
    state.current = entry;
    state.conflict = null;
    $("editor").hidden = false;
    $("source-singular").textContent = entry.source[0];
    $("source-plural").textContent = entry.source[1] || "";
    $("source-plural").hidden = entry.source.length < 2;
    $("context").textContent = entry.context || "";
    $("context").hidden = $("context-label").hidden = !entry.context;
    fillList($("comments"), entry.comments);
    $("comments-label").hidden = !entry.comments.length;
    fillList($("references"), entry.references);
    $("references-label").hidden = !entry.references.length;
    renderForms(entry);
    $("fuzzy").checked = entry.fuzzy;
    showProblems(entry.problems, false);
    $("conflict").hidden = true;
    $("save-status").textContent = "";
    $("history-box").open = false;
    $("fuzzy-field").hidden = role === "suggest";
    loadHelp(entry);
    entryList.markCurrent(id);
    var first = document.querySelector("#forms textarea");
    if (first) { first.focus(); }
  }

  function fillList(list, items) {
    list.replaceChildren();
    items.forEach(function (text) { list.appendChild(element("li", text)); });
  }

  function renderForms(entry) {
    var container = $("forms");
    container.replaceChildren();
    entry.translation.forEach(function (text, index) {
      var field = element("div", null, "form-field");
      var label = element("label", ui.formLabel(entry, index));
      label.htmlFor = "form-" + index;
      var area = element("textarea");
      area.id = "form-" + index;
      area.rows = 2;
      area.value = text;
      area.lang = root.dataset.targetLang;
      area.dir = root.dataset.targetDir;
      area.spellcheck = true;
      area.addEventListener("input", hint);
      field.append(label, area);
      container.appendChild(field);
    });
  }

  function values() {
    return Array.prototype.map.call(document.querySelectorAll("#forms textarea"), function (area) { return area.value; });
  }

  function hint() {
    if (state.current) { ui.hint($("problems"), state.current, values()); }
  }

  function showProblems(problems, isHint) { ui.showProblems($("problems"), problems, isHint); }

  function save(goNext, revision) {
    var entry = state.current;
    if (!entry) { return Promise.resolve(); }
    var body = { translation: values(), fuzzy: $("fuzzy").checked, revision: revision || entry.revision };
    $("save-status").textContent = i18n.gettext("Saving…");
    return request("PUT", entryUrl(entry.id), body).then(function (answer) {
      if (answer.status === 200) {
        replaceEntry(answer.data);
        $("conflict").hidden = true;
        showProblems(answer.data.problems, false);
        var message;
        if (!answer.data.saved) {
          message = i18n.gettext("No change.");
        } else if (answer.data.state === "unreviewed") {
          message = i18n.gettext("Saved. Visitors see it once a reviewer approves it.");
        } else if (answer.data.compiled) {
          message = i18n.gettext("Saved. Visitors see it within seconds.");
        } else {
          message = i18n.gettext("Saved, but the catalog has errors elsewhere, so visitors do not see the change yet.");
        }
        if (goNext) { openNext(entry.id); }
        // Set after moving on, so that Ctrl+Enter's save is confirmed too.
        $("save-status").textContent = message;
        refreshProgress();
      } else if (answer.status === 409) {
        showConflict(answer.data.current);
      } else if (answer.status === 422) {
        $("save-status").textContent = i18n.gettext("Not saved: fix the errors below.");
        showProblems(answer.data.problems, false);
        var first = document.querySelector("#forms textarea");
        if (first) { first.focus(); }
      } else {
        $("save-status").textContent = i18n.format(i18n.gettext("Not saved: %(reason)s"), { reason: answer.data.error || answer.status });
      }
    }).catch(function () {
      $("save-status").textContent = i18n.gettext("Not saved: the server could not be reached. Try again.");
    });
  }

  function replaceEntry(fresh) {
    state.entries = state.entries.map(function (e) { return e.id === fresh.id ? fresh : e; });
    state.current = fresh;
    entryList.update(fresh);
  }

  function refreshProgress() {
    request("GET", root.dataset.entries + "?state=all").then(function (answer) {
      if (answer.status === 200) { entryList.showProgress(answer.data.progress); }
    });
  }

  /* -- suggestions, review, help ------------------------------------------------ */

  function suggest() {
    var entry = state.current;
    if (!entry) { return Promise.resolve(); }
    $("save-status").textContent = i18n.gettext("Saving…");
    return request("POST", entryUrl(entry.id) + "/suggestions", { translation: values() }).then(function (answer) {
      if (answer.status === 201) {
        showProblems(answer.data.problems || [], false);
        $("save-status").textContent = i18n.gettext("Suggestion sent: a translator decides on it.");
        loadHelp(entry);
      } else if (answer.status === 422) {
        $("save-status").textContent = i18n.gettext("Not saved: fix the errors below.");
        showProblems(answer.data.problems, false);
      } else {
        $("save-status").textContent = i18n.format(i18n.gettext("Not saved: %(reason)s"), { reason: answer.data.error || answer.status });
      }
    });
  }

  function review(approve) {
    var entry = state.current;
    if (!entry) { return Promise.resolve(); }
    return request("POST", entryUrl(entry.id) + "/review", { approve: approve, revision: entry.revision }).then(function (answer) {
      if (answer.status === 200) {
        replaceEntry(answer.data);
        $("fuzzy").checked = answer.data.fuzzy;
        $("save-status").textContent = approve ? i18n.gettext("Approved.") : i18n.gettext("Marked as needing work.");
        refreshProgress();
      } else if (answer.status === 409) {
        showConflict(answer.data.current);
      } else if (answer.status === 422) {
        showProblems(answer.data.problems, false);
        $("save-status").textContent = i18n.gettext("Not saved: fix the errors below.");
      } else {
        $("save-status").textContent = i18n.format(i18n.gettext("Not saved: %(reason)s"), { reason: answer.data.error || answer.status });
      }
    });
  }

  function fill(translation) {
    var areas = document.querySelectorAll("#forms textarea");
    translation.forEach(function (text, index) { if (areas[index]) { areas[index].value = text; } });
    hint();
    if (areas[0]) { areas[0].focus(); }
  }

  function targetText(tag, text, lang, dir) {
    var node = entryEditor.withPlaceholders(element(tag), text);
    node.lang = lang || root.dataset.targetLang;
    node.dir = dir || (lang ? "auto" : root.dataset.targetDir);
    return node;
  }

  var help = workspaceHelp.create({ $: $, targetText: targetText, percent: percent, lang: html.lang,
                                    canDecide: role !== "suggest", use: function (t) { fill(t); } });

  function loadHelp(entry) {
    help.clear();
    request("GET", entryUrl(entry.id) + "/help").then(function (answer) {
      if (answer.status !== 200 || !state.current || state.current.id !== entry.id) { return; }
      help.show(answer.data, {
        accept: function (suggestion) { decide(entry, suggestion, "accept"); },
        reject: function (suggestion, reason) { decide(entry, suggestion, "reject", reason); },
      });
    });
  }

  function decide(entry, suggestion, decision, reason) {
    var body = decision === "accept" ? { revision: state.current.revision } : { reason: reason || "" };
    request("POST", entryUrl(entry.id) + "/suggestions/" + suggestion.id + "/" + decision, body).then(function (answer) {
      if (answer.status === 200 && decision === "accept") {
        replaceEntry(answer.data);
        open(entry.id);
        $("save-status").textContent = i18n.format(i18n.gettext("Accepted the suggestion of %(who)s."), { who: suggestion.author });
        refreshProgress();
      } else if (answer.status === 200) {
        $("save-status").textContent = i18n.gettext("Suggestion rejected.");
        loadHelp(entry);
      } else if (answer.status === 409) {
        showConflict(answer.data.current);
      } else if (answer.status === 422) {
        showProblems(answer.data.problems, false);
      } else {
        $("save-status").textContent = i18n.format(i18n.gettext("Not saved: %(reason)s"), { reason: answer.data.error || answer.status });
      }
    });
  }

  function openNext(id) {
    var ids = state.entries.map(function (e) { return e.id; });
    var next = ids[ids.indexOf(id) + 1];
    if (next) { open(next); } else { $("save-status").textContent = i18n.gettext("That was the last entry of the list."); }
  }

  function showConflict(current) {
    state.conflict = current;
    $("save-status").textContent = i18n.gettext("Not saved: someone else changed this entry.");
    var theirs = $("conflict-theirs");
    theirs.replaceChildren();
    current.translation.forEach(function (text) {
      theirs.appendChild(text ? targetText("li", text) : element("li", i18n.gettext("(untranslated)")));
    });
    var change = current.last_change;
    $("conflict-who").textContent = change ? i18n.format(i18n.gettext("Changed by %(who)s, %(when)s."), {
      who: change.account || i18n.gettext("someone"), when: new Date(change.time).toLocaleString(html.lang) }) : "";
    $("conflict").hidden = false;
    $("keep-mine").focus();
  }

  /* -- history and upload --------------------------------------------------- */

  function loadHistory() {
    var entry = state.current;
    if (!entry || !$("history-box").open) { return; }
    request("GET", entryUrl(entry.id) + "/history").then(function (answer) {
      var list = $("history");
      list.replaceChildren();
      var origins = { editor: i18n.gettext("in the editor"), upload: i18n.gettext("by an upload"), file: i18n.gettext("in the file on disk") };
      (answer.data.history || []).forEach(function (row) {
        var item = element("li");
        var when = new Date(row.time).toLocaleString(html.lang);
        item.appendChild(element("span", i18n.format(i18n.gettext("%(when)s, %(who)s, %(how)s"), {
          when: when, who: row.account || i18n.gettext("someone"), how: origins[row.origin] || row.origin })));
        var before = targetText("q", row.before.translation.join(" | ") || i18n.gettext("(untranslated)"));
        var after = targetText("q", row.after.translation.join(" | ") || i18n.gettext("(untranslated)"));
        item.append(document.createTextNode(" "), before, document.createTextNode(" → "), after);
        if (row.before.fuzzy !== row.after.fuzzy) {
          item.append(document.createTextNode(" "), element("span", row.after.fuzzy
            ? i18n.gettext("(marked as needing review)") : i18n.gettext("(review mark removed)"), "muted"));
        }
        [[row.before, i18n.gettext("Restore the earlier text")], [row.after, i18n.gettext("Restore this text")]]
          .forEach(function (pair) {
            if (role === "suggest") { return; }
            var restore = element("button", pair[1]);
            restore.type = "button";
            restore.addEventListener("click", function () {
              // Reverting is a new save of an old value, so the history only grows.
              fill(pair[0].translation);
              $("fuzzy").checked = pair[0].fuzzy;
              save(false);
            });
            item.append(document.createTextNode(" "), restore);
          });
        list.appendChild(item);
      });
      if (!list.children.length) { list.appendChild(element("li", i18n.gettext("No change made through the workspace yet."))); }
    });
  }

  /* Open an entry whatever the list's filter: the list is reset to every entry when it is not shown. */
  function openById(id) {
    var shown = state.entries.some(function (e) { return e.id === id; });
    var ready = Promise.resolve();
    if (!shown) {
      $("state").value = "all";
      $("search").value = "";
      ready = load();
    }
    return ready.then(function () {
      open(id);
      $("editor").scrollIntoView({ block: "nearest" });
    });
  }

  /* -- wiring ---------------------------------------------------------------- */

  function init() {
    var timer = null;
    $("state").addEventListener("change", load);
    $("search").addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(load, 200);
    });
    $("filters").addEventListener("submit", function (event) { event.preventDefault(); load(); });
    $("entry-form").addEventListener("submit", function (event) {
      event.preventDefault();
      if (role === "suggest") { suggest(); } else { save(false); }
    });
    if ($("save-next")) { $("save-next").addEventListener("click", function () { save(true); }); }
    if ($("approve")) {
      $("approve").addEventListener("click", function () { review(true); });
      $("send-back").addEventListener("click", function () { review(false); });
    }
    $("entry-form").addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        if (role === "suggest") { suggest(); } else { save(true); }
      }
    });
    $("keep-mine").addEventListener("click", function () {
      if (state.conflict) { save(false, state.conflict.revision); }
    });
    $("take-theirs").addEventListener("click", function () {
      if (!state.conflict) { return; }
      replaceEntry(state.conflict);
      open(state.conflict.id);
    });
    $("history-box").addEventListener("toggle", loadHistory);
    $("upload-form").addEventListener("submit", workspaceUpload.create({
      url: root.dataset.upload, report: $("upload-report"), ui: ui, numbers: numbers,
      targetText: targetText, openById: openById, reload: load,
    }).submit);
    var params = new URLSearchParams(window.location.search);
    if (params.get("state")) { $("state").value = params.get("state"); }
    load().then(function () { if (params.get("entry")) { openById(params.get("entry")); } });
  }

  i18n.ready().then(init, init);
})();
