"""How complete a catalog is: the numbers behind activation, ``make stats``
and the ``/translations`` dashboard.

>>> stats = CatalogStats("xx", translated=19, fuzzy=1, untranslated=0, obsolete=2)
>>> (stats.total, stats.percent)
(20, 95.0)
"""

from __future__ import annotations

import functools
import os
import re

import polib

from website.i18n import placeholders
from website.i18n.verdicts import CatalogStats

__all__ = ["CatalogStats", "catalog_stats", "count_entries", "template_entries", "count_words"]

_WORD_RE = re.compile(r"\{\w*\}|[^\W\d_]+(?:['’-][^\W\d_]+)*")


@functools.lru_cache(maxsize=65536)  # the same source texts, counted for every catalog
def count_words(text: str) -> int:
    """Words of source text, as translators count them (placeholders excluded).

    >>> count_words("%(count)s languages found on the world’s map")
    6
    """
    text = placeholders.remove(text or "", " ")
    return sum(1 for match in _WORD_RE.finditer(text) if match[0][0] != "{")


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


_KEYS: dict[int, tuple[tuple, set]] = {}


def _keys(template: tuple) -> set:
    # The same template is counted against every catalog: its keys once.
    cached = _KEYS.get(id(template))
    if cached is None or cached[0] is not template:
        _KEYS.clear()
        cached = _KEYS[id(template)] = (template, {_key(entry) for entry in template})
    return cached[1]


def template_entries(path: str) -> tuple[polib.POEntry, ...]:
    """The live entries of ``messages.pot``. Raises ``OSError`` / ``ValueError``."""
    return _template_entries(path, os.stat(path).st_mtime_ns)


def catalog_stats(po_path: str, locale: str, template_path: str | None = None) -> CatalogStats:
    """Count the entries of a ``.po``, against ``messages.pot`` when given.

    Raises ``OSError`` / ``ValueError`` for an unreadable or unparsable file.
    """
    template = template_entries(template_path) if template_path else None
    return count_entries(polib.pofile(po_path), locale, template)


def count_entries(po: polib.POFile, locale: str, template=None) -> CatalogStats:
    """Count the entries of a parsed ``.po``, against the template's entries when given.

    With a template, a message the catalog lacks (``make update`` not run)
    counts as untranslated, and one the template no longer has does not count.
    """
    live = [entry for entry in po if not entry.obsolete]
    obsolete = [entry for entry in po if entry.obsolete]
    missing: list[polib.POEntry] = []
    if template is not None:
        wanted = _keys(template)
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
