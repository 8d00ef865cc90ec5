"""The rules of the catalog checks: one small function each, in two registries.

A catalog rule takes a :class:`CatalogView` and yields ``(line, message)``
for each problem; an entry rule also takes one entry. Adding a rule is
adding a function to :data:`CATALOG_CHECKS` or :data:`ENTRY_CHECKS`, with the
severity it reports at. :mod:`website.toolchain.checks` runs them. A message
a translator may read in the workspace is a
:class:`~website.i18n.deferred.Message`: the English ``str`` the CLI prints,
which the HTTP layer shows in the reader's language.
"""

from __future__ import annotations

import codecs
import collections
import dataclasses
import re
from collections.abc import Callable, Iterator

import polib

from website.i18n import markers, placeholders, plural_forms
from website.i18n.deferred import N_, Message

__all__ = [
    "CatalogView",
    "CATALOG_CHECKS",
    "ENTRY_CHECKS",
    "ERROR",
    "WARNING",
    "UNRESOLVED_MARK",
    "short",
]

#: The first line ``website-catalog merge-po`` writes into a catalog it could not merge.
UNRESOLVED_MARK = "# merge-po: unresolved:"

ERROR = "error"
WARNING = "warning"


@dataclasses.dataclass
class CatalogView:
    """What the rules see: the parsed file, its locale, its plural count (entry checks: the last two)."""

    path: str
    gettext_id: str
    po: polib.POFile | None
    text: str
    nplurals: int | None = None

    def header_line(self, field: str) -> int:
        match = re.search(rf'^"{re.escape(field)}:', self.text, re.MULTILINE)
        return self.text.count("\n", 0, match.start()) + 1 if match else 1


def plural_forms_header(catalog: CatalogView) -> Iterator[tuple[int, str]]:
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


def plural_form_count(catalog: CatalogView, entry: polib.POEntry) -> Iterator[tuple[int, str]]:
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


def content_type_header(catalog: CatalogView) -> Iterator[tuple[int, str]]:
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


def merge_unresolved(catalog: CatalogView) -> Iterator[tuple[int, str]]:
    """A merge that needed a person (``website-catalog merge-po`` marked the file)."""
    if catalog.text.startswith(UNRESOLVED_MARK):
        reason = catalog.text.split("\n", 1)[0][len(UNRESOLVED_MARK):].strip()
        yield 1, f"a git merge could not decide: {reason}; fix the catalog and remove this line"


def obsolete_entries(catalog: CatalogView) -> Iterator[tuple[int, str]]:
    """Obsolete (#~) entries: translations kept for a string the site dropped."""
    for entry in catalog.po.obsolete_entries():
        yield entry.linenum, f"obsolete entry {short(entry.msgid)}"


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


def python_format(catalog: CatalogView, entry: polib.POEntry) -> Iterator[tuple[int, str]]:
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


def markup(catalog: CatalogView, entry: polib.POEntry) -> Iterator[tuple[int, str]]:
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


def newlines(catalog: CatalogView, entry: polib.POEntry) -> Iterator[tuple[int, str]]:
    """Leading and trailing newlines match the source (they are layout)."""
    for index, text in _translations(entry):
        source = _source_for(entry, index)
        for message, check in ((N_("%(form)s: leading newline differs from the source"), str.startswith),
                               (N_("%(form)s: trailing newline differs from the source"), str.endswith)):
            if check(source, "\n") != check(text, "\n"):
                yield entry.linenum, Message(message, form=_form(index))


def whitespace(catalog: CatalogView, entry: polib.POEntry) -> Iterator[tuple[int, str]]:
    """Leading and trailing spaces match the source."""
    for index, text in _translations(entry):
        source = _source_for(entry, index)
        if (source[:1] == " ") != (text[:1] == " ") or (source[-1:] == " ") != (text[-1:] == " "):
            yield entry.linenum, Message(N_("%(form)s: leading or trailing space differs from the source"),
                                         form=_form(index))


def marker_characters(catalog: CatalogView, entry: polib.POEntry) -> Iterator[tuple[int, str]]:
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


def control_characters(catalog: CatalogView, entry: polib.POEntry) -> Iterator[tuple[int, str]]:
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


def bidi_controls(catalog: CatalogView, entry: polib.POEntry) -> Iterator[tuple[int, str]]:
    """Bidi controls a source lacks: legitimate at times, but they reorder the text shown."""
    source = set(_BIDI_RE.findall(entry.msgid + (entry.msgid_plural or "")))
    for index, text in _translations(entry):
        found = sorted(set(_BIDI_RE.findall(text)) - source)
        if found:
            names = ", ".join(f"U+{ord(c):04X}" for c in found)
            yield entry.linenum, Message(N_("%(form)s: contains the bidi control %(characters)s; check it is meant"),
                                         form=_form(index), characters=names)


def fuzzy(catalog: CatalogView, entry: polib.POEntry) -> Iterator[tuple[int, str]]:
    """Fuzzy entries are not compiled: visitors see the source text."""
    if "fuzzy" in entry.flags:
        yield entry.linenum, Message(N_("%(source)s is fuzzy: check it, then remove the flag"),
                                     source=short(entry.msgid))


def untranslated(catalog: CatalogView, entry: polib.POEntry) -> Iterator[tuple[int, str]]:
    """Untranslated entries: visitors see the source text."""
    if "fuzzy" not in entry.flags and not entry.translated():
        yield entry.linenum, Message(N_("%(source)s has no translation"), source=short(entry.msgid))


def same_as_source(catalog: CatalogView, entry: polib.POEntry) -> Iterator[tuple[int, str]]:
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


CatalogCheck = Callable[[CatalogView], Iterator[tuple[int, str]]]
EntryCheck = Callable[[CatalogView, polib.POEntry], Iterator[tuple[int, str]]]

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


def short(text: str, width: int = 50) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= width else text[: width - 1] + "…")
