"""Checks of translation catalogs (``.po``), each rule a small function.

A catalog check takes the parsed catalog and yields ``(line, message)`` for
each problem; an entry check takes one entry. Adding a rule is adding a
function to :data:`CATALOG_CHECKS` or :data:`ENTRY_CHECKS`, with the severity
it reports at. :func:`check_file` runs them all and never raises: a file that
cannot be parsed is itself a problem.

>>> [str(p) for p in check_file("/nonexistent/xx/LC_MESSAGES/messages.po")]
['/nonexistent/xx/LC_MESSAGES/messages.po:1: xx: unreadable: no such file']
"""

from __future__ import annotations

import dataclasses
import io
import os
import re
from collections.abc import Callable, Iterator

import polib
from babel.messages.pofile import PoFileError, read_po

from website import plural_forms, tags

__all__ = [
    "Problem",
    "check_file",
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
    """What the rules see: the parsed file, its locale, its plural count."""

    path: str
    gettext_id: str
    po: polib.POFile
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
        yield entry.linenum, (
            f"{len(forms)} plural forms (msgstr[{', '.join(map(str, sorted(forms)))}]) "
            f"but the header says nplurals={catalog.nplurals}"
        )
    elif any(forms.values()) and not all(forms.values()):
        empty = [str(index) for index, text in sorted(forms.items()) if not text]
        yield entry.linenum, f"msgstr[{', '.join(empty)}] empty while other forms are translated"


CatalogCheck = Callable[[_Catalog], Iterator[tuple[int, str]]]
EntryCheck = Callable[[_Catalog, polib.POEntry], Iterator[tuple[int, str]]]

# (check name, function, severity), run in this order.
CATALOG_CHECKS: list[tuple[str, CatalogCheck, str]] = [
    ("plural-forms", plural_forms_header, ERROR),
]
ENTRY_CHECKS: list[tuple[str, EntryCheck, str]] = [
    ("plural-count", plural_form_count, ERROR),
]


def check_file(path: str, gettext_id: str | None = None) -> list[Problem]:
    """Every problem in the ``.po`` at ``path``; its locale is taken from the path."""
    gettext_id = gettext_id or locale_of_path(path)

    def problem(line, check, message, severity=ERROR):
        return Problem(path, line, gettext_id, check, message, severity)

    if tags.to_gettext_id(gettext_id) != gettext_id:
        return [problem(1, "locale", f"{gettext_id!r} is not a gettext locale id")]
    try:
        with open(path, "rb") as fp:
            raw = fp.read()
    except FileNotFoundError:
        return [problem(1, "unreadable", "no such file")]
    except OSError as error:
        return [problem(1, "unreadable", error.strerror or str(error))]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        return [problem(line, "encoding", "not valid UTF-8")]
    syntax = [problem(line, "syntax", message) for line, message in _syntax_errors(text)]
    if syntax:
        return syntax
    try:
        po = polib.pofile(text, encoding="utf-8")
    except (OSError, ValueError) as error:
        return [problem(_line_of(error), "syntax", str(error))]
    catalog = _Catalog(path, gettext_id, po, text)
    found = []
    for name, function, severity in CATALOG_CHECKS:
        found.extend(problem(line, name, message, severity) for line, message in function(catalog))
    for entry in po:
        if entry.obsolete:
            continue
        for name, function, severity in ENTRY_CHECKS:
            found.extend(
                problem(line, name, message, severity) for line, message in function(catalog, entry)
            )
    return found


# One line of a .po: a comment, a keyword with a quoted string, or a quoted
# continuation; obsolete entries repeat these after "#~".
_LINE_RE = re.compile(
    r"""\s*(?:\#~\s*)?(?:
        (?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+"(?:[^"\\]|\\.)*"
        | "(?:[^"\\]|\\.)*"
    )\s*""",
    re.VERBOSE,
)


def _syntax_errors(text: str) -> Iterator[tuple[int, str]]:
    """Lines that are not valid .po syntax.

    Written here because both polib and Babel accept an unterminated string
    (``msgstr "abc``) and silently drop its last character; Babel's strict
    parse then finds structural errors (a msgid with no msgstr).
    """
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or (stripped.startswith("#") and not stripped.startswith("#~")):
            continue
        if stripped.startswith("#~") and stripped[2:].strip() == "":
            continue
        if not _LINE_RE.fullmatch(line):
            yield number, f"not valid .po syntax: {stripped[:60]!r}"
            return
    try:
        read_po(io.StringIO(text), abort_invalid=True)
    except PoFileError as error:
        yield getattr(error, "lineno", 1), str(error)


def locale_of_path(path: str) -> str:
    """The gettext id a catalog path is for: ``locale/pt_BR/LC_MESSAGES/x.po`` -> ``pt_BR``."""
    return os.path.basename(os.path.dirname(os.path.dirname(os.path.abspath(path))))


def _line_of(error: Exception) -> int:
    # polib reports "Syntax error in po file (line N)" in its messages.
    match = re.search(r"line (\d+)", str(error))
    return int(match[1]) if match else 1
