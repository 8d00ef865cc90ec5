/* Printf placeholders as Python's % operator reads them: the browser's copy
 * of site/website/i18n/placeholders.py (its docstring has the grammar), both
 * tested against tests/placeholder_cases.json. Indexes count code points,
 * as Python's do, not UTF-16 units.
 *
 * placeholders.parse(text)    every placeholder ({text, span, name, flags,
 *                             width, precision, length, conversion}), %% too;
 *                             throws a PlaceholderError ({code, at, message})
 * placeholders.format(text, values)   fill %(name)s, %% -> %, as % would
 * placeholders.valuesIn(template, text)   the %(name)s values that made text */
(function () {
  "use strict";
  var CONVERSIONS = "diouxXeEfFgGcrsa";
  var FLAGS = "#0- +";
  var LENGTHS = "hlL";
  var DIGITS = "0123456789";  // not \d: Python reads only ASCII digits here
  // Python's bound on a width or precision is 2**63 - 1, beyond a double's
  // exact integers: digits are compared as text.
  var LIMIT = "9223372036854775807";

  /* `what` and `why` are [message id, values] (site/website/i18n/placeholders.py's, for the catalog). */
  function PlaceholderError(code, at, what, why) {
    this.name = "PlaceholderError";
    this.code = code;
    this.at = at;
    this.what = what;
    this.why = why;
    this.message = format(what[0], what[1]) + " at index " + at + ": " + format(why[0], why[1]);
  }

  var TOO_BIG = { width: "width too big", precision: "precision too big" };
  PlaceholderError.prototype = Object.create(Error.prototype);

  function has(set, c) { return c !== undefined && set.indexOf(c) !== -1; }

  function tooBig(digits) {
    var trimmed = digits.replace(/^0+/, "");
    return trimmed.length > LIMIT.length || (trimmed.length === LIMIT.length && trimmed > LIMIT);
  }

  function number(chars, at, start, what) {
    if (chars[at] === "*") { return { value: "*", at: at + 1 }; }
    var begin = at;
    while (has(DIGITS, chars[at])) { at += 1; }
    var digits = chars.slice(begin, at).join("");
    if (tooBig(digits)) { throw new PlaceholderError("too-big", start, [TOO_BIG[what], {}], ["Python refuses it", {}]); }
    return { value: digits || null, at: at };
  }

  function spec(chars, start) {
    var end = chars.length;
    var at = start + 1;
    if (chars[at] === "%") { return make(chars, start, at + 1, null, "", null, null, null, "%"); }
    var name = null;
    if (chars[at] === "(") {
      var depth = 1;
      at += 1;
      var keyStart = at;
      while (at < end && depth) {
        if (chars[at] === "(") { depth += 1; } else if (chars[at] === ")") { depth -= 1; }
        at += 1;
      }
      if (depth) {
        throw new PlaceholderError("incomplete-key", start, ["incomplete placeholder", {}], ["no ) closes its name", {}]);
      }
      name = chars.slice(keyStart, at - 1).join("");
    }
    var flagsStart = at;
    while (has(FLAGS, chars[at])) { at += 1; }
    var flags = chars.slice(flagsStart, at).join("");
    var width = number(chars, at, start, "width");
    at = width.at;
    var precision = null;
    if (chars[at] === ".") {
      var read = number(chars, at + 1, start, "precision");
      precision = read.value || "";
      at = read.at;
    }
    var length = null;
    if (has(LENGTHS, chars[at])) { length = chars[at]; at += 1; }
    if (at >= end) {
      throw new PlaceholderError("incomplete", start, ["incomplete placeholder", {}],
        ["a lone %(percent)s (write %(escaped)s for a percent sign)", { percent: "%", escaped: "%%" }]);
    }
    var conversion = chars[at];
    if (!has(CONVERSIONS, conversion)) {
      var code = conversion.codePointAt(0).toString(16).toUpperCase();
      throw new PlaceholderError("unsupported", start, ["unsupported conversion", {}],
        ["'%(character)s' (%(code)s) is not one of %(conversions)s (write %(escaped)s for a percent sign)",
         { character: conversion, code: "U+" + "0000".slice(code.length) + code, conversions: CONVERSIONS,
           escaped: "%%" }]);
    }
    return make(chars, start, at + 1, name, flags, width.value, precision, length, conversion);
  }

  function make(chars, start, end, name, flags, width, precision, length, conversion) {
    return { text: chars.slice(start, end).join(""), span: [start, end], name: name, flags: flags,
             width: width, precision: precision, length: length, conversion: conversion };
  }

  function checkKinds(specs) {
    var named = null, positional = null;
    specs.forEach(function (s) {
      if (s.conversion === "%") { return; }
      if (s.name !== null && (s.width === "*" || s.precision === "*")) {
        throw new PlaceholderError("named-star", s.span[0], ["* in a named placeholder", {}],
                                   ["%(placeholder)s would need a positional value", { placeholder: s.text }]);
      }
      if (s.name !== null) { named = named || s; } else { positional = positional || s; }
      if (named && positional) {
        var later = named.span[0] > positional.span[0] ? named : positional;
        throw new PlaceholderError("mixed", later.span[0], ["named and positional placeholders mixed", {}],
                                   ["%(named)s and %(positional)s", { named: named.text, positional: positional.text }]);
      }
    });
  }

  function parse(text) {
    var chars = Array.from(text);
    var specs = [];
    var at = chars.indexOf("%");
    while (at !== -1) {
      var found = spec(chars, at);
      specs.push(found);
      at = chars.indexOf("%", found.span[1]);
    }
    checkKinds(specs);
    return specs;
  }

  /* A named s placeholder that shows its value as it is (a length modifier changes nothing). */
  function plain(s) {
    return s.name !== null && s.conversion === "s" && !s.flags && s.width === null && s.precision === null;
  }

  /* text with values in its plain %(name)s placeholders and % for %%; any
   * other placeholder, or a text that does not parse, stays as written. */
  function format(text, values) {
    var specs;
    try { specs = parse(text); } catch (error) { return text; }
    var chars = Array.from(text);
    var out = [];
    var position = 0;
    specs.forEach(function (s) {
      out.push(chars.slice(position, s.span[0]).join(""));
      position = s.span[1];
      if (s.conversion === "%") { out.push("%"); }
      else if (plain(s) && Object.prototype.hasOwnProperty.call(values, s.name)) { out.push(String(values[s.name])); }
      else { out.push(s.text); }
    });
    out.push(chars.slice(position).join(""));
    return out.join("");
  }

  /* The values that made `text` from `template`, or null (as _arguments in
   * site/website/i18n/translator_marks.py): only plain placeholders read backwards. */
  function valuesIn(template, text) {
    var specs;
    try { specs = parse(template); } catch (error) { return null; }
    var chars = Array.from(template);
    var escape = function (part) { return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); };
    var pattern = [];
    var names = [];
    var position = 0;
    for (var i = 0; i < specs.length; i += 1) {
      var s = specs[i];
      pattern.push(escape(chars.slice(position, s.span[0]).join("")));
      position = s.span[1];
      if (s.conversion === "%") { pattern.push("%"); }
      else if (!plain(s)) { return null; }
      else if (names.indexOf(s.name) !== -1) { pattern.push("(?:\\" + (names.indexOf(s.name) + 1) + ")"); }
      else { names.push(s.name); pattern.push("([\\s\\S]*?)"); }
    }
    pattern.push(escape(chars.slice(position).join("")));
    var found = new RegExp("^" + pattern.join("") + "$").exec(text);
    if (!found) { return null; }
    var values = {};
    names.forEach(function (name, index) { values[name] = found[index + 1]; });
    return values;
  }

  window.placeholders = { parse: parse, format: format, valuesIn: valuesIn, PlaceholderError: PlaceholderError,
                          CONVERSIONS: CONVERSIONS };
}());
