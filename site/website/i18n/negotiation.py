"""Choosing a language: pure functions of preferences and available locales.

Nothing here touches a request or a catalog. The base handler collects the
visitor's preferences (query, cookie, ``Accept-Language``) and calls
:func:`negotiate`; tests call it directly with tables of cases.

>>> parse_accept_language("fr-CH, fr;q=0.9, en;q=0.8, *;q=0.5")
(('fr-CH', 1.0), ('fr', 0.9), ('en', 0.8))
>>> negotiate(["zh-TW", "pt-PT"], ["en", "pt-BR", "zh-Hans"])
'pt-BR'
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from website.i18n import tags

__all__ = ["parse_accept_language", "negotiate", "best_match"]

# Real headers are well under 200 characters; anything past this is cut
# before parsing so an 8 KB header costs no more than a normal one.
MAX_HEADER_LENGTH = 512
# No browser sends more; this bounds the work per request.
MAX_HEADER_ENTRIES = 32


def parse_accept_language(header: str | None) -> tuple[tuple[str, float], ...]:
    """Parse an ``Accept-Language`` header into ``(tag, q)`` pairs, best first.

    Entries with ``q=0`` (explicitly unwanted), a malformed or out-of-range
    ``q``, or a malformed tag are skipped; ``*`` means "no preference" and is
    dropped, so the site's default applies after the listed languages. Ties
    keep header order. Bad input gives ``()``, never an error.

    >>> parse_accept_language("de;q=abc, ru;q=0.5, en;q=0")
    (('ru', 0.5),)
    """
    if not header or not isinstance(header, str):
        return ()
    entries: list[tuple[str, float, int]] = []
    for index, item in enumerate(header[:MAX_HEADER_LENGTH].split(",")):
        if index >= MAX_HEADER_ENTRIES:
            break
        tag_part, _, params = item.partition(";")
        tag = tag_part.strip()
        if not tag or tag == "*":
            continue
        q = _parse_q(params)
        if q is None or q == 0:
            continue
        canonical = tags.normalize(tag)
        if canonical is None:
            continue
        entries.append((canonical, q, index))
    entries.sort(key=lambda entry: (-entry[1], entry[2]))
    return tuple((tag, q) for tag, q, _ in entries)


def _parse_q(params: str) -> float | None:
    """The q-value among ``params`` (1.0 when absent), or None if malformed.

    RFC 9110 allows 0 to 1 with at most three decimals; ``inf``, ``nan``,
    ``1e0`` and ``2`` are all rejected (``float()`` alone would take them).
    """
    q = 1.0
    if not params:
        return q  # "ru": most entries of most headers
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() != "q":
            continue
        value = value.strip()
        head, _, decimals = value.partition(".")
        if (
            head not in ("0", "1")
            or len(decimals) > 3
            or not (decimals.isdigit() or decimals == "")
            or not decimals.isascii()
        ):
            return None
        q = float(value)
        if q > 1:
            return None
    return q


def negotiate(preferences: Iterable[str], available: Iterable[str]) -> str | None:
    """Return the available tag that best serves the first satisfiable preference.

    Preferences are tried in order and the first one with any match wins, so a
    visitor who asks for ``zh-TW`` and then ``en`` gets English, not Simplified
    Chinese. Invalid preferences are skipped. ``None`` when nothing matches.
    """
    available = tuple(available)
    for preference in preferences:
        match = best_match(preference, available)
        if match is not None:
            return match
    return None


@functools.lru_cache(maxsize=8192)
def best_match(preference: str, available: tuple[str, ...]) -> str | None:
    """The available tag that serves one preference, or ``None``.

    Rules, in order:

    1. an exact match (any case, ``-`` or ``_``);
    2. same language and same script, after filling in likely subtags, so
       ``de-AT`` finds ``de`` and ``pt`` or ``pt-PT`` find ``pt-BR``, while
       ``zh-TW`` (Traditional) never finds ``zh-Hans`` (Simplified);
       among several, the same region wins, then the one without a region.
    """
    wanted = tags.normalize(preference) if isinstance(preference, str) else None
    if wanted is None:
        return None
    for tag in available:
        if tags.normalize(tag) == wanted:
            return tag
    full = tags.maximize(wanted)
    candidates = []
    for tag in available:
        offered = tags.maximize(tag)
        if offered is None or offered[:2] != full[:2]:
            continue
        own_region = tags.parse(tag)[2]
        rank = 0 if own_region == full[2] else 1 if own_region is None else 2
        candidates.append((rank, tag))
    if not candidates:
        return None
    return min(candidates, key=lambda candidate: candidate[0])[1]
