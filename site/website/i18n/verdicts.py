"""A catalog's verdict: what ``make compile`` found, stored next to its ``.mo``.

``make compile`` checks and counts each ``.po`` once and writes the result to
``<id>/LC_MESSAGES/messages.verdict.json`` beside the ``.mo``
(:mod:`website.toolchain.activation` writes it). The server, the reloader and
the ``/translations`` dashboard read only the ``.mo`` and this file: they never
parse a ``.po``, so start-up and reloads cost the same whatever the size of
the catalogs, and every tool shows the same counts.

>>> counts = CatalogStats("xx", translated=19, fuzzy=1, untranslated=0, obsolete=2)
>>> verdict = Verdict("xx", counts)
>>> verdict.offered(95.0), verdict.reason(95.0)
(True, '')
>>> verdict.offered(96.0), verdict.reason(96.0)
(False, '95.0% translated, below the 96% needed to offer it')
>>> loads(dumps(verdict)) == verdict
True
"""

from __future__ import annotations

import dataclasses
import json
import os

__all__ = [
    "CatalogStats",
    "Issue",
    "Verdict",
    "DEFAULT_MIN_PERCENT",
    "FORMAT",
    "verdict_path",
    "read",
    "dumps",
    "loads",
    "is_stale",
]

# A locale below this share of translated messages is not offered at all: a
# half-English page is worse than a page fully in the visitor's next choice.
DEFAULT_MIN_PERCENT = 95.0
# Bumped when the file's shape changes: an older file reads as "not compiled".
FORMAT = 1
# Warnings of one kind listed with their lines, at most (the count is exact).
MAX_WARNING_LINES = 20


@dataclasses.dataclass(frozen=True)
class CatalogStats:
    """Entry and source-word counts of one catalog; obsolete ones are not in the total.

    The one count of translated entries: checks, compile, stats and the
    dashboard all show this one.
    """

    locale: str
    translated: int
    fuzzy: int
    untranslated: int
    obsolete: int
    translated_words: int = 0
    fuzzy_words: int = 0
    untranslated_words: int = 0
    obsolete_words: int = 0
    revision: str = ""  # PO-Revision-Date header, as written

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def percent(self) -> float:
        """Share of entries translated and not fuzzy (100 for an empty catalog)."""
        return 100.0 * self.translated / self.total if self.total else 100.0

    def summary(self) -> str:
        """``"120 of 125 translated (96.0%)"``."""
        return f"{self.translated} of {self.total} translated ({self.percent:.1f}%)"


@dataclasses.dataclass(frozen=True)
class Issue:
    """One problem found in a catalog, at a line of its ``.po``."""

    line: int
    check: str
    message: str
    severity: str = "error"


@dataclasses.dataclass(frozen=True)
class Verdict:
    """Errors, counts and the inputs of the decision to offer a catalog."""

    locale: str  # gettext id
    stats: CatalogStats | None  # None when the .po cannot be read at all
    errors: tuple[Issue, ...] = ()
    # check name -> (how many, the first MAX_WARNING_LINES lines)
    warnings: dict = dataclasses.field(default_factory=dict)
    compiled: bool = True  # the .mo beside it was built from this .po
    js_messages: tuple = ()  # (context, msgid, plural) of static/js, from messages.pot
    template_problem: str = ""  # messages.pot could not be read: counts are the .po's own
    # The locale's CLDR names and direction (endonym, english_name, rtl), so
    # that start-up need not load a hundred locales' CLDR data to list them.
    names: dict = dataclasses.field(default_factory=dict)

    def offered(self, min_percent: float = DEFAULT_MIN_PERCENT) -> bool:
        return not self.errors and self.stats is not None and self.stats.percent >= min_percent

    def reason(self, min_percent: float = DEFAULT_MIN_PERCENT) -> str:
        """Why the locale is not offered (empty when it is)."""
        if self.errors:
            first = self.errors[0]
            return f"{len(self.errors)} catalog error(s), first: line {first.line}: {first.check}: {first.message}"
        if self.stats is None:
            return "the catalog cannot be read"
        if self.stats.percent < min_percent:
            return (
                f"{self.stats.percent:.1f}% translated, below the "
                f"{min_percent:.0f}% needed to offer it"
            )
        return ""

    def warning_summary(self) -> str:
        """``"3 fuzzy, 12 untranslated"``, or empty."""
        return ", ".join(f"{count} {check}" for check, (count, _lines) in self.warnings.items())


def verdict_path(catalog_path: str) -> str:
    """``.../messages.po`` or ``.../messages.mo`` -> ``.../messages.verdict.json``."""
    base, _extension = os.path.splitext(catalog_path)
    return base + ".verdict.json"


def dumps(verdict: Verdict) -> str:
    """The verdict as the JSON ``make compile`` writes."""
    data = dataclasses.asdict(verdict)
    data["format"] = FORMAT
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)


def loads(text: str) -> Verdict:
    """Parse a verdict. Raises ``ValueError`` for anything not written by this format."""
    data = json.loads(text)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError("not a verdict of this version: run 'make compile'")
    try:
        stats = data["stats"]
        return Verdict(
            locale=data["locale"],
            stats=CatalogStats(**stats) if stats is not None else None,
            errors=tuple(Issue(**issue) for issue in data["errors"]),
            warnings={check: (count, tuple(lines)) for check, (count, lines) in data["warnings"].items()},
            compiled=bool(data["compiled"]),
            js_messages=tuple(tuple(message) for message in data["js_messages"]),
            template_problem=data["template_problem"],
            names=dict(data.get("names") or {}),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"malformed verdict: {error}") from None


def read(path: str) -> Verdict:
    """The verdict at ``path``. Raises ``OSError`` or ``ValueError``."""
    with open(path, encoding="utf-8") as fp:
        return loads(fp.read())


def is_stale(verdict_file: str, po_path: str) -> bool:
    """True when the ``.po`` changed after its verdict was written ("not compiled yet")."""
    try:
        return os.stat(po_path).st_mtime_ns > os.stat(verdict_file).st_mtime_ns
    except FileNotFoundError:
        return False
