"""Compiled catalogs and the locales they make available.

The site serves the source language and each locale whose compiled catalog
(``.mo``) loads and whose verdict (``messages.verdict.json``, written next to
it by ``make compile``) says it may be offered: no catalog errors, and at
least ``min_percent`` translated. Nothing here parses a ``.po`` or
``messages.pot``: start-up and reloads read the two compiled files only. Each
locale comes with its metadata from CLDR (through Babel).

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
import time
from collections.abc import Iterator

import babel
import tornado.locale

from website import library_internals
from website.i18n import js_catalog, plural_forms, pseudo, tags, verdicts
from website.i18n.verdicts import DEFAULT_MIN_PERCENT
from website.i18n.formatting import Formatter, PseudoFormatter
from website.i18n.translation import CldrLocale

__all__ = [
    "LocaleInfo",
    "SiteLocale",
    "Catalogs",
    "load_catalogs",
    "locale_info",
    "cldr_names",
    "CatalogSource",
    "LocaleStatus",
    "DEFAULT_MIN_PERCENT",
]

log = logging.getLogger(__name__)

SOURCE_LANGUAGE = "en"
DOMAIN = "messages"
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


def locale_info(tag: str, nplurals: int = 2, names: dict | None = None) -> LocaleInfo:
    """Metadata for a BCP 47 tag. Raises ``ValueError`` if CLDR does not know it.

    ``names`` (``endonym``, ``english_name``, ``rtl``), as ``make compile``
    records them in a verdict, spare loading the locale's CLDR data now; it
    is loaded when the locale first formats something.
    """
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
    if names and {"endonym", "english_name", "rtl"} <= set(names):
        endonym, english, rtl = names["endonym"], names["english_name"], bool(names["rtl"])
    else:
        endonym, english, rtl = cldr_names(locale)
    return LocaleInfo(
        tag=tags.normalize(tag),
        gettext_id=gettext_id,
        endonym=endonym or tag,
        english_name=english or tag,
        rtl=rtl,
        nplurals=nplurals,
        babel=locale,
    )


def cldr_names(locale: babel.Locale) -> tuple[str, str, bool]:
    """(endonym, English name, right-to-left) of a CLDR locale."""
    return (
        locale.get_display_name(locale) or str(locale),
        locale.get_display_name("en") or str(locale),
        locale.character_order == "right-to-left",
    )


@dataclasses.dataclass(frozen=True)
class LocaleStatus:
    """What the server made of one catalog folder: its verdict and whether it serves it."""

    gettext_id: str
    verdict: verdicts.Verdict | None  # None: not compiled yet, or unreadable
    served: bool
    note: str = ""  # why not served, or what is odd ("not compiled yet")
    po_path: str = ""


class Catalogs:
    """The set of locales the site serves, in a stable order (source first).

    ``statuses`` holds, per catalog folder, what the server made of it: the
    ``/translations`` dashboard shows exactly that.
    """

    def __init__(self, locales: list[SiteLocale], default: str,
                 statuses: dict[str, LocaleStatus] | None = None):
        self._by_tag = {locale.info.tag: locale for locale in locales}
        self._js_by_name = {l.js_catalog.name: l.js_catalog for l in locales if l.js_catalog}
        self.default = default
        self.tags = tuple(self._by_tag)
        self.infos = tuple(locale.info for locale in self._by_tag.values())
        self.statuses = dict(statuses or {})
        # When this set went into service (each reload builds a new one): /healthz shows it.
        self.loaded_at = time.time()

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


@dataclasses.dataclass(frozen=True)
class Loaded:
    """The result of loading one catalog folder: a locale to serve, or why not."""

    status: LocaleStatus
    locale: SiteLocale | None = None
    problem: str = ""  # one log line, when something went wrong
    signature: tuple | None = None  # the folder's files as they were just before loading


class CatalogSource:
    """Where the catalogs are, and how one is judged and loaded.

    The reloader asks it for a cheap :meth:`signature` of each folder and
    reloads only the folders whose signature changed (:meth:`load`), then
    :meth:`assemble` puts the new set together.
    """

    def __init__(self, locale_dir: str, default: str = SOURCE_LANGUAGE, domain: str = DOMAIN,
                 min_percent: float = DEFAULT_MIN_PERCENT, pseudo_dir: str | None = None):
        self.locale_dir = locale_dir
        self.default = default
        self.domain = domain
        self.min_percent = min_percent
        self.pseudo_dir = pseudo_dir
        # msgids are the same in every catalog: one string object for all of them.
        self._shared: dict[str, str] = {}

    def folders(self) -> dict[str, str]:
        """gettext id -> its LC_MESSAGES folder, for the catalogs and pseudo-locales."""
        found = {}
        for name in sorted(_catalog_dirs(self.locale_dir)):
            found[name] = os.path.join(self.locale_dir, name, "LC_MESSAGES")
        for gettext_id in pseudo.PSEUDO_LOCALES if self.pseudo_dir else ():
            found[gettext_id] = os.path.join(self.pseudo_dir, gettext_id, "LC_MESSAGES")
        return found

    def signature(self, folder: str) -> tuple:
        """What changes when a folder's catalog changes: the .mo, verdict and .po."""
        entries = []
        for suffix in (".mo", ".verdict.json", ".po"):
            try:
                stat = os.stat(os.path.join(folder, self.domain + suffix))
            except OSError:
                entries.append(None)
            else:
                entries.append((stat.st_mtime_ns, stat.st_size, stat.st_ino))
        return tuple(entries)

    def load(self, gettext_id: str, folder: str) -> Loaded:
        """Judge and load one catalog folder from its verdict and ``.mo``."""
        base = os.path.join(folder, self.domain)
        po_path = base + ".po"
        tag = tags.from_gettext_id(gettext_id)
        if tag is None or tags.to_gettext_id(tag) != gettext_id:
            note = f"directory name {gettext_id!r} is not a gettext locale id"
            return Loaded(LocaleStatus(gettext_id, None, False, note, po_path),
                          problem=f"{folder}: {note}; skipped")
        verdict_file = base + ".verdict.json"
        try:
            verdict = verdicts.read(verdict_file)
        except FileNotFoundError:
            note = "not compiled yet: run 'make compile'"
            return Loaded(LocaleStatus(gettext_id, None, False, note, po_path),
                          problem=f"{po_path}: {note}; locale {tag} is not served")
        except (OSError, ValueError) as error:
            note = f"unreadable verdict ({error}): run 'make compile'"
            return Loaded(LocaleStatus(gettext_id, None, False, note, po_path),
                          problem=f"{verdict_file}: {note}; locale {tag} is not served")
        stale = ""
        if verdicts.is_stale(verdict_file, po_path):
            stale = "changed since the last 'make compile' (not compiled yet)"
        if not verdict.offered(self.min_percent):
            note = verdict.reason(self.min_percent)
            return Loaded(LocaleStatus(gettext_id, verdict, False, note, po_path),
                          problem=f"{po_path}: {note}; locale {tag} is not served"
                          + (f" ({stale})" if stale else ""))
        if not os.path.exists(base + ".mo"):
            note = "no compiled catalog: run 'make compile'"
            return Loaded(LocaleStatus(gettext_id, verdict, False, note, po_path),
                          problem=f"{base}.mo: {note}; locale {tag} is not served")
        try:
            site_locale = self._load_mo(gettext_id, tag, base + ".mo", verdict)
        except Exception as error:  # noqa: BLE001 - any broken file must only drop its locale
            note = f"cannot load catalog ({error})"
            return Loaded(LocaleStatus(gettext_id, verdict, False, note, po_path),
                          problem=f"{base}.mo: {note}; locale {tag} is not served")
        note = f"{stale}; serving the last compiled catalog" if stale else ""
        return Loaded(LocaleStatus(gettext_id, verdict, True, note, po_path), site_locale,
                      problem=f"{po_path}: {note}" if stale else "")

    def _load_mo(self, gettext_id: str, tag: str, path: str, verdict: verdicts.Verdict) -> SiteLocale:
        # A hundred catalogs of the same messages share their msgids, and
        # the next full garbage collection after a reload does not walk
        # them all (50 ms for 100 x 2,000) while every request waits.
        with open(path, "rb") as fp:
            translations = library_internals.read_mo(fp, self._shared)
        header = translations.info().get("plural-forms", "")
        nplurals, _ = plural_forms.parse_header(header)
        info = locale_info(tag, nplurals=nplurals, names=verdict.names)
        browser_catalog = js_catalog.build(translations, header, verdict.js_messages)
        translator = CldrLocale(tag, translations, pseudo.cldr_id(gettext_id))
        return SiteLocale(info, translator, browser_catalog)

    def source_locale(self) -> SiteLocale:
        return SiteLocale(
            locale_info(SOURCE_LANGUAGE),
            CldrLocale(SOURCE_LANGUAGE, gettext.NullTranslations()),
            js_catalog.build(gettext.NullTranslations(), _SOURCE_PLURALS, ()),
        )

    def assemble(self, results: dict[str, Loaded], source: SiteLocale | None = None) -> Catalogs:
        """The :class:`Catalogs` of ``results`` (by gettext id), source language first."""
        loaded = [source or self.source_locale()]
        real = sorted(k for k in results if not pseudo.is_pseudo(k))
        fake = [k for k in pseudo.PSEUDO_LOCALES if k in results]
        for gettext_id in [*real, *fake]:
            locale = results[gettext_id].locale
            if locale is not None and locale.info.tag != SOURCE_LANGUAGE:
                loaded.append(locale)
        tag = tags.normalize(self.default)
        if tag not in {locale.info.tag for locale in loaded}:
            log.warning("default locale %r has no catalog; using %r", self.default, SOURCE_LANGUAGE)
            tag = SOURCE_LANGUAGE
        statuses = {k: r.status for k, r in results.items() if not pseudo.is_pseudo(k)}
        return Catalogs(loaded, default=tag, statuses=statuses)

    def load_all(self) -> tuple[Catalogs, dict[str, Loaded]]:
        """Every catalog, each problem logged in one line; also the per-folder results."""
        results = {}
        for gettext_id, folder in self.folders().items():
            signature = self.signature(folder)
            result = dataclasses.replace(self.load(gettext_id, folder), signature=signature)
            results[gettext_id] = result
            if result.problem:
                (log.warning if result.locale is not None else log.error)("%s", result.problem)
        blamed = {r.status.verdict.template_problem for r in results.values()
                  if r.status.verdict and r.status.verdict.template_problem}
        for problem in sorted(blamed):  # once, not once per catalog
            log.error("%s", problem)
        return self.assemble(results), results


def load_catalogs(
    locale_dir: str,
    default: str = SOURCE_LANGUAGE,
    domain: str = DOMAIN,
    min_percent: float = DEFAULT_MIN_PERCENT,
    pseudo_dir: str | None = None,
) -> Catalogs:
    """Load every ``<id>/LC_MESSAGES/<domain>.mo`` under ``locale_dir`` that may be offered.

    A locale is served when its verdict (written by ``make compile``) has no
    errors and at least ``min_percent`` translated, and its ``.mo`` loads.
    Anything else is logged in one line with its path and reason, and that
    locale is skipped; the others still load. The source language is always
    available. With ``pseudo_dir``, the pseudo-locales generated there
    (``website-catalog pseudo``) are added.
    """
    source = CatalogSource(locale_dir, default, domain, min_percent, pseudo_dir)
    return source.load_all()[0]


def _catalog_dirs(locale_dir: str) -> list[str]:
    try:
        names = os.listdir(locale_dir)
    except OSError:
        log.warning("no locale directory at %s; serving %s only", locale_dir, SOURCE_LANGUAGE)
        return []
    return [name for name in names if os.path.isdir(os.path.join(locale_dir, name, "LC_MESSAGES"))]
