"""How complete a catalog is: the numbers behind locale activation.

>>> stats = CatalogStats("xx", translated=19, fuzzy=1, untranslated=0, obsolete=2)
>>> (stats.total, stats.percent)
(20, 95.0)
"""

from __future__ import annotations

import dataclasses

import polib

__all__ = ["CatalogStats", "catalog_stats"]


@dataclasses.dataclass(frozen=True)
class CatalogStats:
    """Entry counts of one catalog; obsolete entries are not part of the total."""

    locale: str
    translated: int
    fuzzy: int
    untranslated: int
    obsolete: int

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def percent(self) -> float:
        """Share of entries translated and not fuzzy (100 for an empty catalog)."""
        return 100.0 * self.translated / self.total if self.total else 100.0


def _key(entry: polib.POEntry) -> tuple:
    return entry.msgctxt, entry.msgid


def _is_translated(entry: polib.POEntry) -> bool:
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def catalog_stats(po_path: str, locale: str, template_path: str | None = None) -> CatalogStats:
    """Count the entries of a ``.po``, against ``messages.pot`` when given.

    With a template, a message the catalog lacks (``make update`` not run)
    counts as untranslated, and one the template no longer has does not count.
    Raises ``OSError`` / ``ValueError`` for an unreadable or unparsable file.
    """
    po = polib.pofile(po_path)
    live = [entry for entry in po if not entry.obsolete]
    obsolete = len(po) - len(live)
    if template_path:
        wanted = {_key(entry) for entry in polib.pofile(template_path) if not entry.obsolete}
        live = [entry for entry in live if _key(entry) in wanted]
        missing = len(wanted - {_key(entry) for entry in live})
    else:
        missing = 0
    fuzzy = sum(1 for entry in live if "fuzzy" in entry.flags)
    translated = sum(1 for entry in live if "fuzzy" not in entry.flags and _is_translated(entry))
    return CatalogStats(
        locale=locale,
        translated=translated,
        fuzzy=fuzzy,
        untranslated=len(live) - translated - fuzzy + missing,
        obsolete=obsolete,
    )
