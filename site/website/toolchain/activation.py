"""Whether a catalog is fit to be offered to visitors, and why not.

One answer for the server (which locales to load), ``make stats`` and the
``/translations`` dashboard, so the three never disagree.

>>> import os
>>> [a.locale for a in assess_all(os.path.join(os.path.dirname(__file__), "no-such-dir"))]
[]
"""

from __future__ import annotations

import dataclasses
import functools
import glob
import os

from website.toolchain import checks
from website.toolchain.stats import CatalogStats, catalog_stats

__all__ = ["Assessment", "assess", "assess_all", "DEFAULT_MIN_PERCENT"]

# A locale below this share of translated messages is not offered at all: a
# half-English page is worse than a page fully in the visitor's next choice.
DEFAULT_MIN_PERCENT = 95.0


@dataclasses.dataclass(frozen=True)
class Assessment:
    """A catalog's numbers, its errors, and the verdict."""

    locale: str  # gettext id
    po_path: str
    stats: CatalogStats | None  # None when the file cannot be read at all
    errors: tuple[checks.Problem, ...]
    min_percent: float

    @property
    def offered(self) -> bool:
        return not self.errors and self.stats is not None and self.stats.percent >= self.min_percent

    @property
    def reason(self) -> str:
        """Why the locale is not offered (empty when it is)."""
        if self.errors:
            return f"{len(self.errors)} catalog error(s), first: {self.errors[0]}"
        if self.stats is not None and self.stats.percent < self.min_percent:
            return (
                f"{self.stats.percent:.1f}% translated, below the "
                f"{self.min_percent:.0f}% needed to offer it"
            )
        return ""


def assess(
    po_path: str, locale: str, template: str | None, min_percent: float = DEFAULT_MIN_PERCENT
) -> Assessment:
    """Check and count one catalog; repeated calls on unchanged files are free."""
    return _assess(po_path, locale, template, min_percent, _mtime(po_path), _mtime(template))


def _mtime(path: str | None) -> float:
    try:
        return os.stat(path).st_mtime_ns if path else 0
    except OSError:
        return -1


@functools.lru_cache(maxsize=256)
def _assess(po_path, locale, template, min_percent, _po_mtime, _template_mtime) -> Assessment:
    # The mtimes are part of the cache key only: an edited file is re-read.
    errors = tuple(p for p in checks.check_file(po_path, locale) if p.severity == checks.ERROR)
    try:
        stats = catalog_stats(po_path, locale, template)
    except (OSError, ValueError):
        stats = None  # the errors above already say why
    return Assessment(locale, po_path, stats, errors, min_percent)


def assess_all(
    locale_dir: str, min_percent: float = DEFAULT_MIN_PERCENT, domain: str = "messages"
) -> list[Assessment]:
    """Assess every ``<id>/LC_MESSAGES/<domain>.po`` under ``locale_dir``, by locale."""
    template = os.path.join(locale_dir, domain + ".pot")
    template = template if os.path.exists(template) else None
    paths = sorted(glob.glob(os.path.join(locale_dir, "*", "LC_MESSAGES", domain + ".po")))
    return [assess(path, checks.locale_of_path(path), template, min_percent) for path in paths]
