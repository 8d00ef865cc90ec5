"""Language tags: BCP 47 outside the application, gettext ids inside.

Visitors, URLs, cookies, ``hreflang`` and ``<html lang>`` use BCP 47 tags
(``pt-BR``, ``zh-Hans``); catalogs live under gettext ids (``pt_BR``,
``zh_Hans``) because that is what ``pybabel`` and ``gettext`` expect. This
module is the one place where the two meet.

>>> normalize("PT_br")
'pt-BR'
>>> normalize("iw")
'he'
>>> to_gettext_id("zh-Hans")
'zh_Hans'
>>> from_gettext_id("pt_BR")
'pt-BR'
>>> maximize("zh-TW")
('zh', 'Hant', 'TW')
"""

from __future__ import annotations

import functools
import re

from babel.core import get_global

__all__ = ["Tag", "normalize", "parse", "maximize", "to_gettext_id", "from_gettext_id"]

# Longer than any real tag we match on, short enough that garbage is cut early.
MAX_TAG_LENGTH = 64

# language (2-3 letters, or 5-8 for registered ones), optional script (4
# letters), optional region (2 letters or 3 digits), then variants and
# extensions, which we accept but do not use for matching.
_TAG_RE = re.compile(
    r"""
    (?P<language>[a-z]{2,3}|[a-z]{5,8})
    (?:[-_](?P<script>[a-z]{4}))?
    (?:[-_](?P<region>[a-z]{2}|[0-9]{3}))?
    (?P<rest>(?:[-_][a-z0-9]{1,8})*)
    """,
    re.VERBOSE | re.IGNORECASE,
)

Tag = tuple[str, str | None, str | None]
"""A parsed tag: (language, script or None, region or None)."""


@functools.lru_cache(maxsize=4096)
def parse(value: str) -> Tag | None:
    """Parse a BCP 47 tag (``-`` or ``_``, any case) into its parts.

    Deprecated language codes are replaced by CLDR's preferred ones
    (``iw`` becomes ``he``, ``in`` becomes ``id``). Returns ``None`` for
    anything that is not a well-formed tag.

    >>> parse("zh_hant_tw")
    ('zh', 'Hant', 'TW')
    >>> parse("../../etc") is None
    True
    """
    if not isinstance(value, str) or len(value) > MAX_TAG_LENGTH:
        return None
    match = _TAG_RE.fullmatch(value.strip())
    if match is None:
        return None
    language = match["language"].lower()
    script = match["script"].title() if match["script"] else None
    region = match["region"].upper() if match["region"] else None
    if language in ("und", "root"):
        return None
    alias = get_global("language_aliases").get(language)
    if alias:
        # An alias may carry a script or region of its own (sh -> sr_Latn);
        # the visitor's explicit subtags win over it.
        parts = alias.split("_")
        language = parts[0]
        for part in parts[1:]:
            if len(part) == 4 and script is None:
                script = part.title()
            elif len(part) in (2, 3) and region is None:
                region = part.upper()
    return language, script, region


def normalize(value: str) -> str | None:
    """Return the canonical BCP 47 form of ``value``, or ``None`` if invalid.

    Variants and extensions are dropped: the site never matches on them.
    """
    tag = parse(value)
    return None if tag is None else _join(tag, "-")


@functools.lru_cache(maxsize=4096)
def maximize(value: str) -> Tag | None:
    """Fill in the likely script and region of a tag (CLDR likely subtags).

    This is what lets ``zh-TW`` be told apart from ``zh-CN`` (Traditional
    versus Simplified script) and lets a bare ``pt`` find ``pt-BR``.
    Unknown languages keep the subtags they have.
    """
    tag = parse(value)
    if tag is None:
        return None
    language, script, region = tag
    likely = get_global("likely_subtags")
    keys = [
        f"{language}_{script}_{region}" if script and region else None,
        f"{language}_{region}" if region else None,
        f"{language}_{script}" if script else None,
        language,
    ]
    for key in keys:
        if key and key in likely:
            full_language, full_script, full_region = _split_likely(likely[key])
            return (
                language,
                script or full_script,
                region or full_region,
            )
    return tag


def to_gettext_id(value: str) -> str | None:
    """Catalog directory name for a tag: ``pt-BR`` -> ``pt_BR``."""
    tag = parse(value)
    return None if tag is None else _join(tag, "_")


def from_gettext_id(value: str) -> str | None:
    """BCP 47 tag for a catalog directory name: ``zh_Hans`` -> ``zh-Hans``."""
    return normalize(value)


def _join(tag: Tag, sep: str) -> str:
    return sep.join(part for part in tag if part)


def _split_likely(value: str) -> Tag:
    parts = value.split("_")
    language = parts[0]
    script = next((p for p in parts[1:] if len(p) == 4), None)
    region = next((p for p in parts[1:] if len(p) in (2, 3)), None)
    return language, script, region
