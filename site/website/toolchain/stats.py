"""How complete a catalog is: the numbers behind activation, ``make stats``
and the ``/translations`` dashboard.

>>> stats = CatalogStats("xx", translated=19, fuzzy=1, untranslated=0, obsolete=2)
>>> (stats.total, stats.percent)
(20, 95.0)
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re

import polib

__all__ = ["CatalogStats", "catalog_stats", "count_words"]

_WORD_RE = re.compile(r"%\(\w+\)[sd]|\{\w*\}|[^\W\d_]+(?:['’-][^\W\d_]+)*")


def count_words(text: str) -> int:
    """Words of source text, as translators count them (placeholders excluded).

    >>> count_words("%(count)s languages found on the world’s map")
    6
    """
    return sum(1 for match in _WORD_RE.finditer(text or "") if match[0][0] not in "%{")


@dataclasses.dataclass(frozen=True)
class CatalogStats:
    """Entry and source-word counts of one catalog; obsolete ones are not in the total."""

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


def _key(entry: polib.POEntry) -> tuple:
    return entry.msgctxt, entry.msgid


def _words(entries) -> int:
    return sum(count_words(e.msgid) + count_words(e.msgid_plural) for e in entries)


def _is_translated(entry: polib.POEntry) -> bool:
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


@functools.lru_cache(maxsize=8)
def _template_entries(path: str, _mtime_ns: int) -> tuple[polib.POEntry, ...]:
    # One template serves every catalog: parsed once per change, not per locale.
    return tuple(entry for entry in polib.pofile(path) if not entry.obsolete)


def catalog_stats(po_path: str, locale: str, template_path: str | None = None) -> CatalogStats:
    """Count the entries of a ``.po``, against ``messages.pot`` when given.

    With a template, a message the catalog lacks (``make update`` not run)
    counts as untranslated, and one the template no longer has does not count.
    Raises ``OSError`` / ``ValueError`` for an unreadable or unparsable file.
    """
    po = polib.pofile(po_path)
    live = [entry for entry in po if not entry.obsolete]
    obsolete = [entry for entry in po if entry.obsolete]
    missing: list[polib.POEntry] = []
    if template_path:
        template = _template_entries(template_path, os.stat(template_path).st_mtime_ns)
        wanted = {_key(entry) for entry in template}
        live = [entry for entry in live if _key(entry) in wanted]
        present = {_key(entry) for entry in live}
        missing = [entry for entry in template if _key(entry) not in present]
    fuzzy = [entry for entry in live if "fuzzy" in entry.flags]
    translated = [entry for entry in live if "fuzzy" not in entry.flags and _is_translated(entry)]
    untranslated = [e for e in live if "fuzzy" not in e.flags and not _is_translated(e)] + missing
    return CatalogStats(
        locale=locale,
        translated=len(translated),
        fuzzy=len(fuzzy),
        untranslated=len(untranslated),
        obsolete=len(obsolete),
        translated_words=_words(translated),
        fuzzy_words=_words(fuzzy),
        untranslated_words=_words(untranslated),
        obsolete_words=_words(obsolete),
        revision=po.metadata.get("PO-Revision-Date", ""),
    )
