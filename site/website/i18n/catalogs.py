"""Compiled catalogs and the locales they make available.

The site serves exactly the locales whose compiled catalog loads, plus the
source language. Each comes with its metadata from CLDR (through Babel).

Why not ``tornado.locale.load_gettext_translations``: it keeps catalogs in
process-wide globals (``Locale._cache``, ``gettext._translations``) that can be
neither reloaded nor isolated between tests, it names locales by their raw
directory name, and it chains ``pt_BR`` to a ``pt`` catalog behind our back
(see the field notes). We build each :class:`tornado.locale.GettextLocale`
ourselves from a fresh :class:`gettext.GNUTranslations` (as a
:class:`~website.i18n.translation.CldrLocale`, which also gets fractions right).

>>> catalogs = load_catalogs("/nonexistent")
>>> catalogs.tags
('en',)
>>> catalogs.get("en").info.endonym
'English'
"""

from __future__ import annotations

import dataclasses
import functools
import gettext
import logging
import os
from collections.abc import Iterator

import babel
import tornado.locale

from website.toolchain import activation
from website.i18n import js_catalog, plural_forms, pseudo, tags
from website.i18n.formatting import Formatter, PseudoFormatter
from website.i18n.translation import CldrLocale

__all__ = [
    "LocaleInfo",
    "SiteLocale",
    "Catalogs",
    "load_catalogs",
    "locale_info",
    "DEFAULT_MIN_PERCENT",
]

log = logging.getLogger(__name__)

SOURCE_LANGUAGE = "en"
DOMAIN = "messages"
DEFAULT_MIN_PERCENT = activation.DEFAULT_MIN_PERCENT
_SOURCE_PLURALS = "nplurals=2; plural=(n != 1);"


@dataclasses.dataclass(frozen=True)
class LocaleInfo:
    """What the site knows about one locale, from CLDR."""

    tag: str  # BCP 47, as shown to visitors: "pt-BR"
    gettext_id: str  # catalog directory: "pt_BR"
    endonym: str  # the language's name for itself: "português (Brasil)"
    english_name: str  # "Portuguese (Brazil)"
    rtl: bool  # CLDR character order is right-to-left
    nplurals: int  # plural forms in its catalog
    babel: babel.Locale = dataclasses.field(compare=False, repr=False)

    @property
    def direction(self) -> str:
        """``"rtl"`` or ``"ltr"``, for HTML ``dir`` attributes."""
        return "rtl" if self.rtl else "ltr"


@dataclasses.dataclass(frozen=True)
class SiteLocale:
    """A servable locale: its metadata and the Tornado locale that translates."""

    info: LocaleInfo
    translator: tornado.locale.Locale
    js_catalog: js_catalog.JsCatalog | None = None

    @functools.cached_property
    def formatter(self) -> Formatter:
        """Babel formatting bound to this locale, built once."""
        if pseudo.is_pseudo(self.info.gettext_id):
            return PseudoFormatter(self.info.babel, self.info.gettext_id)
        return Formatter(self.info.babel)


def locale_info(tag: str, nplurals: int = 2) -> LocaleInfo:
    """Metadata for a BCP 47 tag. Raises ``ValueError`` if CLDR does not know it."""
    gettext_id = tags.to_gettext_id(tag)
    if gettext_id is None:
        raise ValueError(f"not a language tag: {tag!r}")
    if pseudo.is_pseudo(gettext_id):
        rtl, name = pseudo.PSEUDO_LOCALES[gettext_id]
        return LocaleInfo(
            tag=tags.normalize(tag),
            gettext_id=gettext_id,
            endonym=pseudo.transform(gettext_id, name),
            english_name=name,
            rtl=rtl,
            nplurals=nplurals,
            babel=babel.Locale.parse(pseudo.cldr_id(gettext_id)),
        )
    try:
        locale = babel.Locale.parse(gettext_id)
    except (ValueError, babel.UnknownLocaleError) as error:
        raise ValueError(f"CLDR has no locale {tag!r}: {error}") from None
    return LocaleInfo(
        tag=tags.normalize(tag),
        gettext_id=gettext_id,
        endonym=locale.get_display_name(locale) or tag,
        english_name=locale.get_display_name("en") or tag,
        rtl=locale.character_order == "right-to-left",
        nplurals=nplurals,
        babel=locale,
    )


class Catalogs:
    """The set of locales the site serves, in a stable order (source first)."""

    def __init__(self, locales: list[SiteLocale], default: str):
        self._by_tag = {locale.info.tag: locale for locale in locales}
        self._js_by_name = {l.js_catalog.name: l.js_catalog for l in locales if l.js_catalog}
        self.default = default
        self.tags = tuple(self._by_tag)
        self.infos = tuple(locale.info for locale in self._by_tag.values())

    def js_catalog(self, name: str) -> js_catalog.JsCatalog | None:
        """The browser catalog called ``name`` (``messages.<hash>.json``), if any."""
        return self._js_by_name.get(name)

    def get(self, tag: str) -> SiteLocale:
        """The locale for an available tag (as returned by negotiation)."""
        return self._by_tag[tag]

    def __contains__(self, tag: object) -> bool:
        return tag in self._by_tag

    def __iter__(self) -> Iterator[SiteLocale]:
        return iter(self._by_tag.values())

    def __len__(self) -> int:
        return len(self._by_tag)


def load_catalogs(
    locale_dir: str,
    default: str = SOURCE_LANGUAGE,
    domain: str = DOMAIN,
    min_percent: float = DEFAULT_MIN_PERCENT,
    pseudo_dir: str | None = None,
) -> Catalogs:
    """Load every ``<id>/LC_MESSAGES/<domain>.mo`` under ``locale_dir``.

    A locale is served only when its catalog is fit for visitors: its ``.po``
    passes the catalog checks and is at least ``min_percent`` translated
    (against ``<domain>.pot`` when present), and its ``.mo`` loads. Anything
    else is logged with its path and that locale is skipped; the others still
    load. The source language is always available. With ``pseudo_dir``, the
    pseudo-locales generated there (``website-catalog pseudo``) are added.
    """
    template = os.path.join(locale_dir, domain + ".pot")
    js_messages = js_catalog.js_messages(template)
    source = SiteLocale(
        locale_info(SOURCE_LANGUAGE),
        CldrLocale(SOURCE_LANGUAGE, gettext.NullTranslations()),
        js_catalog.build(gettext.NullTranslations(), _SOURCE_PLURALS, ()),
    )
    loaded = [source]
    for entry in sorted(_catalog_dirs(locale_dir)):
        base = os.path.join(locale_dir, entry, "LC_MESSAGES", domain)
        if not os.path.exists(base + ".mo"):
            log.warning("no compiled catalog at %s.mo: run 'make compile'; skipping %s", base, entry)
            continue
        if os.path.exists(base + ".po") and not _fit_for_visitors(
            base + ".po", entry, template if os.path.exists(template) else None, min_percent
        ):
            continue
        site_locale = _load_one(entry, base + ".mo", js_messages)
        if site_locale is not None and site_locale.info.tag != SOURCE_LANGUAGE:
            loaded.append(site_locale)
    for gettext_id in pseudo.PSEUDO_LOCALES if pseudo_dir else ():
        path = os.path.join(pseudo_dir, gettext_id, "LC_MESSAGES", domain + ".mo")
        if not os.path.exists(path):
            log.warning("no pseudo-locale catalog at %s: run 'make compile'", path)
            continue
        site_locale = _load_one(gettext_id, path, js_messages)
        if site_locale is not None:
            loaded.append(site_locale)
    tag = tags.normalize(default)
    if tag not in {locale.info.tag for locale in loaded}:
        log.warning("default locale %r has no catalog; using %r", default, SOURCE_LANGUAGE)
        tag = SOURCE_LANGUAGE
    return Catalogs(loaded, default=tag)


def _fit_for_visitors(po_path: str, gettext_id: str, template: str | None, min_percent: float) -> bool:
    verdict = activation.assess(po_path, gettext_id, template, min_percent)
    for problem in verdict.errors:
        log.error("%s", problem)
    if not verdict.offered:
        log.warning("%s: %s; locale %s is not served", po_path, verdict.reason, gettext_id)
    return verdict.offered


def _catalog_dirs(locale_dir: str) -> list[str]:
    try:
        names = os.listdir(locale_dir)
    except OSError:
        log.warning("no locale directory at %s; serving %s only", locale_dir, SOURCE_LANGUAGE)
        return []
    return [name for name in names if os.path.isdir(os.path.join(locale_dir, name, "LC_MESSAGES"))]


def _load_one(gettext_id: str, path: str, js_messages=()) -> SiteLocale | None:
    tag = tags.from_gettext_id(gettext_id)
    if tag is None or tags.to_gettext_id(tag) != gettext_id:
        log.error("%s: directory name %r is not a gettext locale id; skipped", path, gettext_id)
        return None
    try:
        with open(path, "rb") as fp:
            translations = gettext.GNUTranslations(fp)
        header = translations.info().get("plural-forms", "")
        nplurals, _ = plural_forms.parse_header(header)
        info = locale_info(tag, nplurals=nplurals)
        browser_catalog = js_catalog.build(translations, header, js_messages)
    except Exception as error:  # noqa: BLE001 - any broken file must only drop its locale
        log.error("%s: cannot load catalog (%s); locale %s is not served", path, error, tag)
        return None
    translator = CldrLocale(tag, translations, pseudo.cldr_id(gettext_id))
    return SiteLocale(info, translator, browser_catalog)
