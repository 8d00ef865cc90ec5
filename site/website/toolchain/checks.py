"""Checks of translation catalogs (``.po``), each rule a small function.

A catalog check takes the parsed catalog and yields ``(line, message)`` for
each problem; an entry check takes one entry. Adding a rule is adding a
function to :data:`CATALOG_CHECKS` or :data:`ENTRY_CHECKS`, with the severity
it reports at. :func:`check_file` runs them all and never raises: a file that
cannot be parsed is itself a problem. A message a translator may read in
the workspace is a :class:`~website.i18n.deferred.Message`: the English
``str`` the CLI prints, which the HTTP layer shows in the reader's language.

>>> [str(p) for p in check_file("/nonexistent/xx/LC_MESSAGES/messages.po")]
['/nonexistent/xx/LC_MESSAGES/messages.po:1: xx: unreadable: no such file']
"""

from __future__ import annotations

import codecs
import collections
import dataclasses
import functools
import os
import re
from collections.abc import Callable, Iterator

import polib

from website.i18n import markers, placeholders, plural_forms, tags
from website.i18n.deferred import N_, Message
from website.toolchain.po_syntax import parse_text, syntax_errors

#: The first line ``website-catalog merge-po`` writes into a catalog it could not merge.
UNRESOLVED_MARK = "# merge-po: unresolved:"

__all__ = [
    "Problem",
    "check_file",
    "inspect_file",
    "check_entry",
    "locale_of_path",
    "CATALOG_CHECKS",
    "ENTRY_CHECKS",
    "ERROR",
    "WARNING",
]

ERROR = "error"
WARNING = "warning"


@dataclasses.dataclass(frozen=True)
class Problem:
    """One finding, printed as ``path:line: locale: check-name: message``."""

    path: str
    line: int
    locale: str
    check: str
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.locale}: {self.check}: {self.message}"


@dataclasses.dataclass
class _Catalog:
    """What the rules see: the parsed file, its locale, its plural count (entry checks: the last two)."""

    path: str
    gettext_id: str
    po: polib.POFile | None
    text: str
    nplurals: int | None = None

    def header_line(self, field: str) -> int:
        match = re.search(rf'^"{re.escape(field)}:', self.text, re.MULTILINE)
        return self.text.count("\n", 0, match.start()) + 1 if match else 1


def plural_forms_header(catalog: _Catalog) -> Iterator[tuple[int, str]]:
    """The Plural-Forms header exists, parses, and agrees with CLDR."""
    line = catalog.header_line("Plural-Forms")
    header = catalog.po.metadata.get("Plural-Forms")
    if not header:
        yield line, "no Plural-Forms header; expected " + repr(plural_forms.plural_forms(catalog.gettext_id))
        return
    try:
        catalog.nplurals, _ = plural_forms.parse_header(header)
        mismatches = plural_forms.header_mismatches(header, catalog.gettext_id, limit=3)
    except ValueError as error:
        yield line, str(error)
        return
    if mismatches:
        expected = plural_forms.plural_forms(catalog.gettext_id)
        yield line, f"disagrees with CLDR ({'; '.join(mismatches)}); expected {expected!r}"


def plural_form_count(catalog: _Catalog, entry: polib.POEntry) -> Iterator[tuple[int, str]]:
    """A plural entry has exactly nplurals forms, all of them filled or none."""
    if not entry.msgid_plural or catalog.nplurals is None:
        return
    forms = entry.msgstr_plural
    if sorted(forms) != list(range(catalog.nplurals)):
        yield entry.linenum, Message(
            N_("%(count)s plural forms (%(forms)s) but the header says nplurals=%(nplurals)s"),
            count=len(forms), forms=f"msgstr[{', '.join(map(str, sorted(forms)))}]", nplurals=catalog.nplurals)
    elif any(forms.values()) and not all(forms.values()):
        empty = [str(index) for index, text in sorted(forms.items()) if not text]
        yield entry.linenum, Message(N_("%(forms)s empty while other forms are translated"),
                                     forms=f"msgstr[{', '.join(empty)}]")


def content_type_header(catalog: _Catalog) -> Iterator[tuple[int, str]]:
    """The catalog declares UTF-8, the only encoding the site compiles."""
    content_type = catalog.po.metadata.get("Content-Type", "")
    match = re.search(r"charset=([\w.-]+)", content_type)
    if not match:
        yield catalog.header_line("Content-Type"), Message(N_("no charset in the Content-Type header"))
        return
    charset = match[1]
    try:
        known = codecs.lookup(charset).name
    except LookupError:
        yield catalog.header_line("Content-Type"), Message(N_("unknown encoding %(charset)s"),
                                                           charset=repr(charset))
        return
    if known != "utf-8":
        yield catalog.header_line("Content-Type"), Message(N_("charset %(charset)s: catalogs must be UTF-8"),
                                                           charset=charset)


def merge_unresolved(catalog: _Catalog) -> Iterator[tuple[int, str]]:
    """A merge that needed a person (``website-catalog merge-po`` marked the file)."""
    if catalog.text.startswith(UNRESOLVED_MARK):
        reason = catalog.text.split("\n", 1)[0][len(UNRESOLVED_MARK):].strip()
        yield 1, f"a git merge could not decide: {reason}; fix the catalog and remove this line"


def obsolete_entries(catalog: _Catalog) -> Iterator[tuple[int, str]]:
    """Obsolete (#~) entries: translations kept for a string the site dropped."""
    for entry in catalog.po.obsolete_entries():
        yield entry.linenum, f"obsolete entry {_short(entry.msgid)}"


def _translations(entry: polib.POEntry) -> list[tuple[int | None, str]]:
    """(plural index or None, text) for every non-empty translation of an entry."""
    if entry.msgid_plural:
        return [(index, text) for index, text in sorted(entry.msgstr_plural.items()) if text]
    return [(None, entry.msgstr)] if entry.msgstr else []


def _source_for(entry: polib.POEntry, index: int | None) -> str:
    return entry.msgid if index in (None, 0) and not entry.msgid_plural else (
        entry.msgid_plural if index else entry.msgid
    )


def _form(index: int | None) -> str:
    return "msgstr" if index is None else f"msgstr[{index}]"


# {name} / {0} / {} (str.format); printf placeholders are website.i18n.placeholders'.
_BRACE_RE = re.compile(r"(?<!\{)\{(?P<name>[A-Za-z_]\w*|\d*)(?:[!:][^{}]*)?\}(?!\})")


# Shared, never mutated: most text has no placeholder or markup, and a
# hundred catalogs of two thousand entries make this the hot path of checking.
_NONE: collections.Counter = collections.Counter()


def _placeholders(text: str) -> tuple[collections.Counter, placeholders.PlaceholderError | None]:
    """The placeholders of ``text`` as the rule compares them, and why its ``%`` ones do not parse.

    Each counts as written: ``%(count)s`` is not ``%(count)d`` nor
    ``%(count).1s`` (a precision cuts a markup value's tags apart), and
    ``%5.2f`` is not ``%f``.
    """
    if "%" not in text and "{" not in text:
        return _NONE, None
    found = collections.Counter()
    error = None
    if "%" in text:
        try:
            specs = placeholders.parse(text)
        except placeholders.PlaceholderError as problem:
            specs, error = [], problem
        for spec in specs:
            if spec.conversion != "%":
                found[spec.text] += 1
    for match in _BRACE_RE.finditer(text):
        found["{" + match["name"] + "}"] += 1
    return found, error


_LENGTH_RE = re.compile(r"[hlL][diouxXeEfFgGcrsa]\Z")


def python_format(catalog: _Catalog, entry: polib.POEntry) -> Iterator[tuple[int, str]]:
    """Each translation has the placeholders of its source, no more, no fewer.

    A translation with a placeholder its source lacks fails at run time
    (KeyError), one with fewer shows the wrong sentence, and one that
    Python's ``%`` cannot read (a lone ``%``, ``%z``, named and positional
    mixed: :mod:`website.i18n.placeholders`) fails whatever the values.
    The single exception to "no fewer": plural forms of CLDR's zero, one and two may spell the number out
    ("لغتان", "שתי שפות") and so drop a placeholder.
    """
    sources = entry.msgid + (entry.msgid_plural or "")
    if "%" not in sources and "{" not in sources and "python-format" not in entry.flags:
        return
    (singular, singular_error), (plural, plural_error) = _placeholders(entry.msgid), _placeholders(
        entry.msgid_plural or "")
    source = singular | plural
    # A source that is no printf format ("100%") is shown as it is, never
    # formatted: only then may its translation hold a % that does not parse.
    formatted = "python-format" in entry.flags or (
        "%" in sources and not singular_error and not plural_error)
    categories = plural_forms.integer_categories(catalog.gettext_id) if entry.msgid_plural else ()
    for index, text in _translations(entry):
        found, error = _placeholders(text)
        if error and formatted:
            yield entry.linenum, Message(N_("%(form)s: %(problem)s"), form=_form(index), problem=error.message)
            continue
        # Python ignores h, l and L; a translation has no use for them, and
        # they hide a precision ("%(language).1ls" reads as "...1l" + "s").
        lengthy = sorted(key for key in found if key in source and _LENGTH_RE.search(key))
        if lengthy and formatted:
            yield entry.linenum, Message(
                N_("%(form)s: length modifier (h, l or L) in %(placeholders)s: write the placeholder without it"),
                form=_form(index), placeholders=", ".join(lengthy))
        extra = sorted(set(found) - set(source))
        if extra:
            yield entry.linenum, Message(N_("%(form)s has %(placeholders)s, which the source does not"),
                                         form=_form(index), placeholders=", ".join(extra))
        missing = sorted(set(source) - set(found))
        # Only a form that stands for one number can spell it out: Russian
        # "one" is also 21 and 101, so "один предмет" would be wrong there.
        spelled_out = index is not None and index < len(categories) and categories[index] in (
            "zero", "one", "two"
        ) and plural_forms.single_number(catalog.gettext_id, categories[index])
        if missing and not spelled_out:
            yield entry.linenum, Message(N_("%(form)s lacks %(placeholders)s"), form=_form(index),
                                         placeholders=", ".join(missing))


_TAG_RE = re.compile(r"<\s*(/?)\s*([A-Za-z][\w:-]*)([^>]*)>")
_ATTRIBUTE_RE = re.compile(r"([A-Za-z_:][\w:.-]*)\s*(?:=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+))?")


def _markup(text: str) -> collections.Counter:
    if "<" not in text:
        return _NONE
    found = collections.Counter()
    for closing, name, attributes in _TAG_RE.findall(text):
        found[f"<{closing}{name.lower()}>"] += 1
        for attribute, value in _ATTRIBUTE_RE.findall(attributes):
            found[f"{name.lower()}@{attribute.lower()}={value}"] += 1
    return found


def markup(catalog: _Catalog, entry: polib.POEntry) -> Iterator[tuple[int, str]]:
    """A translation adds no HTML tag or attribute that its source lacks.

    Shown raw (``{% raw %}``), a translated ``<img onerror=...>`` runs script
    in every visitor's browser.
    """
    translations = _translations(entry)
    if not any("<" in text for _index, text in translations):
        return
    source = _markup(entry.msgid) | _markup(entry.msgid_plural or "")
    for index, text in translations:
        added = sorted((_markup(text) - source).keys())
        if added:
            yield entry.linenum, Message(N_("%(form)s adds markup not in the source: %(markup)s"),
                                         form=_form(index), markup=", ".join(added))


def newlines(catalog: _Catalog, entry: polib.POEntry) -> Iterator[tuple[int, str]]:
    """Leading and trailing newlines match the source (they are layout)."""
    for index, text in _translations(entry):
        source = _source_for(entry, index)
        for message, check in ((N_("%(form)s: leading newline differs from the source"), str.startswith),
                               (N_("%(form)s: trailing newline differs from the source"), str.endswith)):
            if check(source, "\n") != check(text, "\n"):
                yield entry.linenum, Message(message, form=_form(index))


def whitespace(catalog: _Catalog, entry: polib.POEntry) -> Iterator[tuple[int, str]]:
    """Leading and trailing spaces match the source."""
    for index, text in _translations(entry):
        source = _source_for(entry, index)
        if (source[:1] == " ") != (text[:1] == " ") or (source[-1:] == " ") != (text[-1:] == " "):
            yield entry.linenum, Message(N_("%(form)s: leading or trailing space differs from the source"),
                                         form=_form(index))


def marker_characters(catalog: _Catalog, entry: polib.POEntry) -> Iterator[tuple[int, str]]:
    """No translation holds the in-context markers' characters (U+FFF9-U+FFFB).

    Translator mode wraps every translation on a page in them
    (:mod:`website.i18n.markers`); one inside a translation could break
    or forge a marker, and must never reach a visitor.
    """
    for index, text in _translations(entry):
        if markers.contains_marker(text):
            yield entry.linenum, Message(N_("%(form)s: contains a reserved character (U+FFF9 to U+FFFB)"),
                                         form=_form(index))


# Characters no translation needs and some readers split lines or strings at:
# C0 controls but tab and newline, DEL, C1 controls (U+0085 NEXT LINE among
# them), and the line and paragraph separators U+2028 / U+2029.
_BAD_CHARACTER_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
# Bidi embeddings, overrides and isolates: a translation may need one, but
# they reorder what a reader sees up to the end of the text (CVE-2021-42574).
# The marks (U+200E, U+200F, U+061C) only settle a neighbour's direction;
# right-to-left catalogs use them, and they stay silent.
_BIDI_RE = re.compile("[\u202a-\u202e\u2066-\u2069]")


def control_characters(catalog: _Catalog, entry: polib.POEntry) -> Iterator[tuple[int, str]]:
    """No translation holds a control character or a line/paragraph separator (tab and newline aside).

    ``str.splitlines()`` breaks a line at U+2028, U+2029, U+0085 and others,
    JavaScript string literals ended at U+2028 before ES2019, and GNU ``msgfmt``
    refuses some controls: each is a catalog one reader or another cannot read.
    """
    for index, text in _translations(entry):
        found = sorted(set(_BAD_CHARACTER_RE.findall(text)))
        if found:
            names = ", ".join(f"U+{ord(c):04X}" for c in found)
            yield entry.linenum, Message(N_("%(form)s: contains %(characters)s, a control character or line separator"),
                                         form=_form(index), characters=names)


def bidi_controls(catalog: _Catalog, entry: polib.POEntry) -> Iterator[tuple[int, str]]:
    """Bidi controls a source lacks: legitimate at times, but they reorder the text shown."""
    source = set(_BIDI_RE.findall(entry.msgid + (entry.msgid_plural or "")))
    for index, text in _translations(entry):
        found = sorted(set(_BIDI_RE.findall(text)) - source)
        if found:
            names = ", ".join(f"U+{ord(c):04X}" for c in found)
            yield entry.linenum, Message(N_("%(form)s: contains the bidi control %(characters)s; check it is meant"),
                                         form=_form(index), characters=names)


def fuzzy(catalog: _Catalog, entry: polib.POEntry) -> Iterator[tuple[int, str]]:
    """Fuzzy entries are not compiled: visitors see the source text."""
    if "fuzzy" in entry.flags:
        yield entry.linenum, Message(N_("%(source)s is fuzzy: check it, then remove the flag"),
                                     source=_short(entry.msgid))


def untranslated(catalog: _Catalog, entry: polib.POEntry) -> Iterator[tuple[int, str]]:
    """Untranslated entries: visitors see the source text."""
    if "fuzzy" not in entry.flags and not entry.translated():
        yield entry.linenum, Message(N_("%(source)s has no translation"), source=_short(entry.msgid))


def same_as_source(catalog: _Catalog, entry: polib.POEntry) -> Iterator[tuple[int, str]]:
    """A sentence left identical to the English source is likely untranslated.

    Only in non-English catalogs, and only for text with at least two words:
    names ("CLDR", "Babel") legitimately stay the same.
    """
    if catalog.gettext_id.split("_")[0] == "en":
        return
    for index, text in _translations(entry):
        source = _source_for(entry, index)
        if text != source:
            continue
        words = re.findall(r"[^\W\d_]{2,}", _BRACE_RE.sub("", placeholders.remove(source)))
        if len(words) >= 2:
            yield entry.linenum, Message(N_("%(form)s is identical to the source"), form=_form(index))


CatalogCheck = Callable[[_Catalog], Iterator[tuple[int, str]]]
EntryCheck = Callable[[_Catalog, polib.POEntry], Iterator[tuple[int, str]]]

# (check name, function, severity), run in this order.
CATALOG_CHECKS: list[tuple[str, CatalogCheck, str]] = [
    ("plural-forms", plural_forms_header, ERROR),
    ("encoding", content_type_header, ERROR),
    ("obsolete", obsolete_entries, WARNING),
    ("merge", merge_unresolved, ERROR),
]
ENTRY_CHECKS: list[tuple[str, EntryCheck, str]] = [
    ("plural-count", plural_form_count, ERROR),
    ("python-format", python_format, ERROR),
    ("markup", markup, ERROR),
    ("newline", newlines, ERROR),
    ("marker-characters", marker_characters, ERROR),
    ("control-character", control_characters, ERROR),
    ("bidi-controls", bidi_controls, WARNING),
    ("whitespace", whitespace, WARNING),
    ("fuzzy", fuzzy, WARNING),
    ("untranslated", untranslated, WARNING),
    ("same-as-source", same_as_source, WARNING),
]


def _short(text: str, width: int = 50) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= width else text[: width - 1] + "…")


def check_file(path: str, gettext_id: str | None = None) -> list[Problem]:
    """Every problem in the ``.po`` at ``path``; its locale is taken from the path."""
    return inspect_file(path, gettext_id)[0]


def inspect_file(path: str, gettext_id: str | None = None, *,
                 known: tuple[str, polib.POFile] | None = None) -> tuple[list[Problem], polib.POFile | None]:
    """Every problem in the ``.po`` at ``path``, and the parsed catalog (None if unparsable).

    For callers that also count the catalog's entries: it is parsed once.
    ``known`` is a text and its parse the caller already holds (the
    workspace, which just wrote the file): used instead of parsing again
    when the file holds exactly that text, and only then. The parse must
    be polib's of that text, line numbers included.
    """
    gettext_id = gettext_id or locale_of_path(path)

    def problem(line, check, message, severity=ERROR):
        return Problem(path, line, gettext_id, check, message, severity)

    if tags.to_gettext_id(gettext_id) != gettext_id:
        return [problem(1, "locale", f"{gettext_id!r} is not a gettext locale id")], None
    try:
        with open(path, "rb") as fp:
            raw = fp.read()
    except FileNotFoundError:
        return [problem(1, "unreadable", "no such file")], None
    except OSError as error:
        return [problem(1, "unreadable", error.strerror or str(error))], None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        return [problem(line, "encoding", Message(N_("not valid UTF-8")))], None
    syntax = [problem(line, "syntax", message) for line, message in syntax_errors(text)]
    if syntax:
        return syntax, None
    if known is not None and known[0] == text:
        po = known[1]
    else:
        try:
            # Not polib's check_for_duplicates: it searches the whole catalog for
            # every entry it adds (quadratic; seconds for a 2,000-entry file).
            po = parse_text(text, encoding="utf-8")
        except (OSError, ValueError) as error:
            return [problem(_line_of(error), "syntax", str(error))], None
    duplicates = _duplicates(po)
    if duplicates:
        return [problem(line, "duplicate", message) for line, message in duplicates], None
    catalog = _Catalog(path, gettext_id, po, text)
    found = []
    for name, function, severity in CATALOG_CHECKS:
        found.extend(problem(line, name, message, severity) for line, message in function(catalog))
    for entry in po:
        if entry.obsolete:
            continue
        found.extend(problem(entry.linenum + offset, name, message, severity)
                     for offset, name, message, severity in _entry_findings(catalog, entry))
    return sorted(found, key=lambda p: p.line), po


def check_entry(po: polib.POFile, entry: polib.POEntry, gettext_id: str, path: str = "",
                *, nplurals: int | None = None) -> list[Problem]:
    """The entry checks for one entry of a parsed catalog (the workspace's check at save).

    ``nplurals`` is the catalog's plural count, read from its Plural-Forms
    header when not given (pass it when checking many entries: compiling
    the header's expression is the slow part); a malformed header leaves the
    plural count unchecked (``check_file`` reports the header itself).
    """
    catalog = _Catalog(path, gettext_id, po, "", nplurals)
    if nplurals is None:
        try:
            catalog.nplurals, _ = plural_forms.parse_header(po.metadata.get("Plural-Forms", ""))
        except ValueError:
            pass
    return [
        Problem(path, entry.linenum or 1, gettext_id, name, message, severity)
        for _offset, name, message, severity in _entry_findings(catalog, entry)
    ]


def _entry_findings(catalog: _Catalog, entry: polib.POEntry) -> tuple[tuple[int, str, str, str], ...]:
    """``(line - entry.linenum, check, message, severity)`` of each entry check's finding."""
    return _findings(catalog.gettext_id, catalog.nplurals, entry.msgid, entry.msgid_plural, entry.msgstr,
                     tuple(sorted(entry.msgstr_plural.items())), tuple(entry.flags), entry.obsolete)


# Entry checks see only what _findings gives them (the entry's texts, flags
# and state, the catalog's locale and plural count), so each distinct entry
# is checked once per process: the workspace recompiles and re-lists a
# catalog after every save, and all but one of its thousands of entries are
# the same. A check that needs more of the catalog is a catalog check.
@functools.lru_cache(maxsize=32768)
def _findings(gettext_id: str, nplurals: int | None, msgid: str, msgid_plural: str, msgstr: str,
              msgstr_plural: tuple, flags: tuple, obsolete: bool) -> tuple[tuple[int, str, str, str], ...]:
    entry = polib.POEntry(msgid=msgid, msgid_plural=msgid_plural, msgstr=msgstr,
                          msgstr_plural=dict(msgstr_plural), flags=list(flags), obsolete=obsolete, linenum=0)
    catalog = _Catalog("", gettext_id, None, "", nplurals)
    return tuple((line, name, message, severity)
                 for name, function, severity in ENTRY_CHECKS
                 for line, message in function(catalog, entry))


def locale_of_path(path: str) -> str:
    """The gettext id a catalog path is for: ``locale/pt_BR/LC_MESSAGES/x.po`` -> ``pt_BR``."""
    return os.path.basename(os.path.dirname(os.path.dirname(os.path.abspath(path))))


def _duplicates(po: polib.POFile) -> list[tuple[int, str]]:
    seen: set = set()
    found = []
    for entry in po:
        key = (entry.obsolete, entry.msgctxt, entry.msgid)
        if key in seen:
            if entry.msgctxt:
                message = Message(N_("%(source)s in context %(context)s appears twice"),
                                  source=_short(entry.msgid), context=repr(entry.msgctxt))
            else:
                message = Message(N_("%(source)s appears twice"), source=_short(entry.msgid))
            found.append((entry.linenum, message))
        seen.add(key)
    return found


def _line_of(error: Exception) -> int:
    # polib reports "Syntax error in po file (line N)" in its messages.
    match = re.search(r"line (\d+)", str(error))
    return int(match[1]) if match else 1
