/* What the workspace's editor (static/js/workspace.js) and translator mode's
 * inline editor (static/js/translator.js) share: the JSON API's requests,
 * the names of checks and plural categories, the labels of plural forms,
 * the list of problems, and the hint as the translator types.
 *
 * The hint applies the entry checks that refuse a save, as the server does
 * (site/website/toolchain/checks.py), with the same messages: placeholders
 * read by static/js/placeholders.js, markup, plural forms all filled or
 * none, leading and trailing newlines, the markers' reserved characters.
 *
 * entryEditor.create(t) binds the texts to t's gettext and pgettext:
 * translator mode passes the catalog's functions as they were before it
 * wrapped them, so that its own interface is not marked. */
(function () {
  "use strict";

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }

  /* `text` into `node`, each printf placeholder isolated left to right and marked:
   * in a right-to-left line "%(count)s" would otherwise read "s(count)%". */
  function withPlaceholders(node, text) {
    var specs = [];
    if (text.indexOf("%") !== -1) {
      try { specs = window.placeholders.parse(text); } catch (problem) { specs = []; }
    }
    var chars = Array.from(text);
    var at = 0;
    specs.forEach(function (spec) {
      if (spec.conversion === "%") { return; }
      if (spec.span[0] > at) { node.appendChild(document.createTextNode(chars.slice(at, spec.span[0]).join(""))); }
      var mark = element("bdi", chars.slice(spec.span[0], spec.span[1]).join(""), "placeholder");
      mark.dir = "ltr";
      node.appendChild(mark);
      at = spec.span[1];
    });
    if (at < chars.length) { node.appendChild(document.createTextNode(chars.slice(at).join(""))); }
    return node;
  }

  /* A JSON request; `options.xsrf` goes with a body, `options.unauthorized` is called on 401. */
  function request(method, url, body, options) {
    var init = { method: method, credentials: "same-origin", headers: { "Accept": "application/json" } };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.headers["X-XSRFToken"] = options.xsrf;
      init.body = JSON.stringify(body);
    }
    return fetch(url, init).then(function (response) {
      if (response.status === 401 && options && options.unauthorized) {
        options.unauthorized();
        throw new Error("signed out");
      }
      return response.json().then(function (data) { return { status: response.status, data: data }; });
    });
  }

  /* -- the server's entry checks, as typed ----------------------------------- */

  var BRACE = /(?<!\{)\{([A-Za-z_][\p{L}\p{N}_]*|\p{Nd}*)(?:[!:][^{}]*)?\}(?!\})/gu;
  var TAG = /<\s*(\/?)\s*([A-Za-z][\p{L}\p{N}_:-]*)([^>]*)>/gu;
  var ATTRIBUTE = /([A-Za-z_:][\p{L}\p{N}_:.-]*)\s*(?:=\s*("[^"]*"|'[^']*'|[^\s>]+))?/gu;
  var MARKERS = /[\ufff9-\ufffb]/;
  var CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]/g;  // as checks._BAD_CHARACTER_RE

  function formName(index) { return index === null ? "msgstr" : "msgstr[" + index + "]"; }

  function unique(list) { return list.filter(function (item, at) { return list.indexOf(item) === at; }); }

  function minus(a, b) { return unique(a.filter(function (x) { return b.indexOf(x) === -1; })).sort(); }

  /* {keys, error}: every placeholder as written (as checks._placeholders). */
  function placeholderKeys(text) {
    var keys = [];
    var error = null;
    if (text.indexOf("%") !== -1) {
      try {
        window.placeholders.parse(text).forEach(function (spec) {
          if (spec.conversion !== "%") { keys.push(spec.text); }
        });
      } catch (problem) {
        if (!(problem instanceof window.placeholders.PlaceholderError)) { throw problem; }
        error = problem;
      }
    }
    text.replace(BRACE, function (whole, name) { keys.push("{" + name + "}"); return whole; });
    return { keys: keys, error: error };
  }

  /* Tags and attributes, counted (as checks._markup). */
  function markup(text) {
    var found = {};
    var add = function (key) { found[key] = (found[key] || 0) + 1; };
    text.replace(TAG, function (whole, closing, name, attributes) {
      add("<" + closing + name.toLowerCase() + ">");
      attributes.replace(ATTRIBUTE, function (all, attribute, value) {
        add(name.toLowerCase() + "@" + attribute.toLowerCase() + "=" + (value || ""));
        return all;
      });
      return whole;
    });
    return found;
  }

  /* A message as the server shows it (site/website/i18n/deferred.py's render): its text in
   * the page's language, numbers in its digits, technical parts isolated in a right-to-left page. */
  function speaker(t) {
    var gettext = t && t.gettext ? t.gettext : function (text) { return text; };
    var numbers = t && t.numbers ? t.numbers : new Intl.NumberFormat(document.documentElement.lang || "en");
    var rtl = document.documentElement.dir === "rtl";
    function say(text, values) {  // text: already translated (gettext), so extraction sees each one
      var shown = {};
      Object.keys(values || {}).forEach(function (name) {
        var value = values[name];
        if (typeof value === "number") { value = numbers.format(value); }
        else if (value && value.said !== undefined) { value = value.said; }
        else if (rtl) { value = "\u2068" + value + "\u2069"; }
        shown[name] = value;
      });
      return window.placeholders.format(text, shown);
    }
    say.gettext = gettext;
    say.error = function (error) {  // a PlaceholderError of static/js/placeholders.js
      return say(gettext("%(what)s at index %(at)s: %(why)s"), {
        what: { said: say(gettext(error.what[0]), error.what[1]) }, at: error.at,
        why: { said: say(gettext(error.why[0]), error.why[1]) } });
    };
    return say;
  }

  /* The texts of static/js/placeholders.js's errors, each in a gettext call so that `make
   * extract` puts them in the browser's catalog: they are translated when shown (say.error). */
  function placeholderErrorTexts(gettext) {
    return [gettext("incomplete placeholder"), gettext("no ) closes its name"),
            gettext("a lone %(percent)s (write %(escaped)s for a percent sign)"), gettext("unsupported conversion"),
            gettext("'%(character)s' (%(code)s) is not one of %(conversions)s (write %(escaped)s for a percent sign)"),
            gettext("width too big"), gettext("precision too big"), gettext("Python refuses it"),
            gettext("* in a named placeholder"), gettext("%(placeholder)s would need a positional value"),
            gettext("named and positional placeholders mixed"), gettext("%(named)s and %(positional)s")];
  }

  /* The error problems the server's checks find in `values` typed for `entry`, with its
   * messages: in the page's language when `t` ({gettext, numbers}) is given, else English. */
  function problemsOf(entry, values, t) {
    var say = speaker(t);
    var gettext = say.gettext;
    var plural = entry.source.length > 1;
    var forms = values.map(function (text, index) { return { index: plural ? index : null, text: text }; })
      .filter(function (form) { return form.text; });
    var problems = [];
    var add = function (check, message) { problems.push({ check: check, severity: "error", message: message }); };
    if (plural && forms.length && forms.length < values.length) {
      var empty = values.map(function (text, index) { return text ? null : String(index); })
        .filter(function (index) { return index !== null; });
      add("plural-count", say(gettext("%(forms)s empty while other forms are translated"),
                              { forms: "msgstr[" + empty.join(", ") + "]" }));
    }
    var sources = entry.source.join("");
    var flagged = (entry.flags || []).indexOf("python-format") !== -1;
    if (sources.indexOf("%") !== -1 || sources.indexOf("{") !== -1 || flagged) {
      var read = entry.source.map(placeholderKeys);
      var source = unique([].concat.apply([], read.map(function (r) { return r.keys; })));
      var formatted = flagged || (sources.indexOf("%") !== -1 && read.every(function (r) { return !r.error; }));
      forms.forEach(function (form) {
        var found = placeholderKeys(form.text);
        if (found.error && formatted) {
          add("python-format", say(gettext("%(form)s: %(problem)s"),
                                   { form: formName(form.index), problem: { said: say.error(found.error) } }));
          return;
        }
        // As the server: h, l and L are refused even where the source has them.
        var lengthy = unique(found.keys.filter(function (key) {
          return source.indexOf(key) !== -1 && /[hlL][diouxXeEfFgGcrsa]$/.test(key);
        })).sort();
        if (lengthy.length && formatted) {
          add("python-format", say(
            gettext("%(form)s: length modifier (h, l or L) in %(placeholders)s: write the placeholder without it"),
            { form: formName(form.index), placeholders: lengthy.join(", ") }));
        }
        var extra = minus(found.keys, source);
        if (extra.length) {
          add("python-format", say(gettext("%(form)s has %(placeholders)s, which the source does not"),
                                   { form: formName(form.index), placeholders: extra.join(", ") }));
        }
        var missing = minus(source, found.keys);
        // As the server: only a form that stands for one number may spell it out.
        var category = form.index === null ? {} : entry.forms[form.index] || {};
        var spelledOut = ["zero", "one", "two"].indexOf(category.category) !== -1 &&
          (category.examples || []).length === 1;
        if (missing.length && !spelledOut) {
          add("python-format", say(gettext("%(form)s lacks %(placeholders)s"),
                                   { form: formName(form.index), placeholders: missing.join(", ") }));
        }
      });
    }
    if (forms.some(function (form) { return form.text.indexOf("<") !== -1; })) {
      var allowed = {};
      entry.source.forEach(function (text) {
        var counted = markup(text);
        Object.keys(counted).forEach(function (key) { allowed[key] = Math.max(allowed[key] || 0, counted[key]); });
      });
      forms.forEach(function (form) {
        var counted = markup(form.text);
        var added = Object.keys(counted).filter(function (key) { return counted[key] > (allowed[key] || 0); }).sort();
        if (added.length) {
          add("markup", say(gettext("%(form)s adds markup not in the source: %(markup)s"),
                            { form: formName(form.index), markup: added.join(", ") }));
        }
      });
    }
    forms.forEach(function (form) {
      var source = form.index ? entry.source[1] : entry.source[0];
      [[gettext("%(form)s: leading newline differs from the source"), function (s) { return s.charAt(0) === "\n"; }],
       [gettext("%(form)s: trailing newline differs from the source"),
        function (s) { return s.charAt(s.length - 1) === "\n"; }]].forEach(function (pair) {
        if (pair[1](source) !== pair[1](form.text)) { add("newline", say(pair[0], { form: formName(form.index) })); }
      });
    });
    forms.forEach(function (form) {
      if (MARKERS.test(form.text)) {
        add("marker-characters", say(gettext("%(form)s: contains a reserved character (U+FFF9 to U+FFFB)"),
                                     { form: formName(form.index) }));
      }
    });
    forms.forEach(function (form) {
      var found = unique(form.text.match(CONTROLS) || []).map(function (c) { return c.codePointAt(0); })
        .sort(function (a, b) { return a - b; });
      if (found.length) {
        add("control-character", say(gettext("%(form)s: contains %(characters)s, a control character or line separator"), {
          form: formName(form.index),
          characters: found.map(function (code) { return "U+" + code.toString(16).toUpperCase().padStart(4, "0"); })
            .join(", ") }));
      }
    });
    return problems;
  }

  /* -- texts -------------------------------------------------------------------- */

  function create(t) {
    var numbers = t.numbers;

    function checkName(check) {
      var names = {
        "python-format": t.gettext("Placeholders must match the source"),
        "markup": t.gettext("Markup that the source does not have"),
        "plural-count": t.gettext("Every plural form must be filled"),
        "newline": t.gettext("Line breaks at the start or end must match the source"),
        "whitespace": t.gettext("Spaces at the start or end differ from the source"),
        "same-as-source": t.gettext("Identical to the source text"),
        "control-character": t.gettext("Invisible control character"),
        "bidi-controls": t.gettext("Text-direction control character"),
        "plural-forms": t.gettext("The catalog's plural header is broken"),
        "input": t.gettext("The value cannot be saved"),
        "unknown-entry": t.gettext("Not in the site's catalog")
      };
      return names[check] || check;
    }

    function categoryName(category) {
      var names = {
        zero: t.pgettext("plural category", "zero"),
        one: t.pgettext("plural category", "one"),
        two: t.pgettext("plural category", "two"),
        few: t.pgettext("plural category", "few"),
        many: t.pgettext("plural category", "many"),
        other: t.pgettext("plural category", "other")
      };
      return names[category] || category;
    }

    /* "one: 1, 21, 31…" for a plural form, "Translation" for a single one. */
    function formLabel(entry, index) {
      var form = entry.forms[index] || { category: null, examples: [] };
      if (entry.source.length > 1 && form.category) {
        var examples = form.examples.map(function (n) { return numbers.format(n); }).join(", ");
        return window.placeholders.format(t.gettext("%(category)s: %(examples)s…"),
                                          { category: categoryName(form.category), examples: examples });
      }
      if (entry.source.length > 1) {
        return window.placeholders.format(t.gettext("Form %(number)s"), { number: numbers.format(index) });
      }
      return t.gettext("Translation");
    }

    function showProblems(box, problems, isHint) {
      box.replaceChildren();
      var shown = problems.filter(function (p) { return p.check !== "untranslated" && p.check !== "fuzzy"; });
      if (!shown.length) { return; }
      var list = element("ul");
      shown.forEach(function (problem) {
        var item = element("li", null, problem.severity === "error" ? "problem-error" : "problem-warning");
        var label = problem.severity === "error" ? t.gettext("Error") : t.gettext("Warning");
        item.appendChild(element("strong", label + ": " + checkName(problem.check)));
        item.appendChild(document.createTextNode(" "));
        var detail = element("span", problem.message, "problem-detail");
        // The server's messages are in the page's language, their technical parts isolated.
        detail.dir = "auto";
        item.appendChild(detail);
        list.appendChild(item);
      });
      if (isHint) { box.appendChild(element("p", t.gettext("Checked as you type; the server checks again when you save."), "muted")); }
      box.appendChild(list);
    }

    /* The hint for what is typed: the problems a save would be refused for. */
    function hint(box, entry, values) { showProblems(box, problemsOf(entry, values, t), true); }

    return { checkName: checkName, categoryName: categoryName, formLabel: formLabel,
             showProblems: showProblems, hint: hint };
  }

  window.entryEditor = { create: create, element: element, request: request, problemsOf: problemsOf,
                         withPlaceholders: withPlaceholders };
}());
