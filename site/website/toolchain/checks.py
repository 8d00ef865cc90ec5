"""Checks of translation catalogs (``.po``): reading a file and running the rules.

The rules, one small function each, are in :mod:`website.toolchain.check_rules`.
:func:`check_file` runs them all and never raises: a file that cannot be
read, decoded or parsed is itself a problem. Each entry's findings are
worked out once per process (they depend on the entry and the catalog's
locale and plural count only).

>>> [str(p) for p in check_file("/nonexistent/xx/LC_MESSAGES/messages.po")]
['/nonexistent/xx/LC_MESSAGES/messages.po:1: xx: unreadable: no such file']
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re

import polib

from website.i18n import plural_forms, tags
from website.i18n.deferred import N_, Message
from website.toolchain.check_rules import (CATALOG_CHECKS, ENTRY_CHECKS, ERROR, UNRESOLVED_MARK, WARNING,
                                          CatalogView, short)
from website.toolchain.po_syntax import parse_text, syntax_errors

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
    "UNRESOLVED_MARK",
]


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
    catalog = CatalogView(path, gettext_id, po, text)
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
    catalog = CatalogView(path, gettext_id, po, "", nplurals)
    if nplurals is None:
        try:
            catalog.nplurals, _ = plural_forms.parse_header(po.metadata.get("Plural-Forms", ""))
        except ValueError:
            pass
    return [
        Problem(path, entry.linenum or 1, gettext_id, name, message, severity)
        for _offset, name, message, severity in _entry_findings(catalog, entry)
    ]


def _entry_findings(catalog: CatalogView, entry: polib.POEntry) -> tuple[tuple[int, str, str, str], ...]:
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
    catalog = CatalogView("", gettext_id, None, "", nplurals)
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
                                  source=short(entry.msgid), context=repr(entry.msgctxt))
            else:
                message = Message(N_("%(source)s appears twice"), source=short(entry.msgid))
            found.append((entry.linenum, message))
        seen.add(key)
    return found


def _line_of(error: Exception) -> int:
    # polib reports "Syntax error in po file (line N)" in its messages.
    match = re.search(r"line (\d+)", str(error))
    return int(match[1]) if match else 1
