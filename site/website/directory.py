"""The directory of languages CLDR knows, named in the visitor's language.

Names come from Babel's copy of CLDR; the order and the search from ICU's
collation of the display locale (see :mod:`website.i18n.locale_data` for
which library does what), and the search's looser second match from ICU's
transliterator (:mod:`website.i18n.latin_folding`). Lists, sort keys and
folded search text are built once per display locale and cached, since
they only change with an upgrade.

>>> ru = [e for e in entries("en") if e.tag == "ru"][0]
>>> (ru.name, ru.endonym)
('Russian', 'русский')
>>> [e.tag for e in search(entries("en"), "portu")]
['pt']
>>> [e.tag for e in search(entries("fr"), "FRANCAIS")]
['fr']
>>> [e.tag for e in search(entries("pl"), "lacinski")]  # łaciński, folded to Latin-ASCII
['la']
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import unicodedata
from collections.abc import Iterable
from decimal import Decimal

import babel
from babel.core import get_global
from babel import numbers

from website.i18n import calendars, cldr_names, latin_folding, locale_data, plural_forms, pseudo, tags

__all__ = ["LanguageEntry", "Listing", "LanguageDetails", "entries", "search", "details",
           "warm", "MAX_QUERY_LENGTH"]

MAX_QUERY_LENGTH = 100

# Numbers shown for each plural category: the first few integers CLDR puts in
# it (exact millions are French, Spanish and Portuguese "many"), then these
# decimals where the category has room left.
_EXAMPLE_INTEGERS = (*range(0, 1001), 1_000_000, 2_000_000)
_EXAMPLE_DECIMALS = tuple(Decimal(d) for d in ("0.5", "1.5", "2.5", "1.0"))
_EXAMPLES_PER_CATEGORY = 6


@dataclasses.dataclass(frozen=True)
class LanguageEntry:
    """One language of the directory, as shown in one display locale."""

    tag: str  # BCP 47
    name: str  # in the display locale, or the endonym when CLDR has no name there
    named: bool  # False when ``name`` is the endonym, text in the language itself
    endonym: str  # in the language itself
    english_name: str
    rtl: bool
    search_text: str  # the names and tag folded by the display locale's collator
    latin_text: str  # the names romanized and folded to a-z0-9 (latin_folding)
    sort_key: tuple  # (has no name in the display locale, CLDR collation key, tag)


class Listing(tuple):
    """The directory in one display locale: its entries in order, and how it searches.

    A tuple of :class:`LanguageEntry`, carrying the display locale's
    :class:`~website.i18n.locale_data.SearchFolding` (built from these very
    names) so that :func:`search` folds a query the way it folded them.
    """

    locale_id: str
    folding: locale_data.SearchFolding
    #: Folded field -> the entries that have it whole, in order: a name equal
    #: to the query ranks first, found without another pass over the list.
    whole_fields: dict[str, tuple[LanguageEntry, ...]]
    #: The same for the Latin-ASCII keys.
    whole_latin: dict[str, tuple[LanguageEntry, ...]]

    def __new__(cls, items: Iterable[LanguageEntry], locale_id: str, folding: locale_data.SearchFolding):
        listing = super().__new__(cls, items)
        listing.locale_id, listing.folding = locale_id, folding
        listing.whole_fields = _index(listing, "search_text")
        listing.whole_latin = _index(listing, "latin_text")
        return listing


def _index(entries: Iterable[LanguageEntry], text: str) -> dict[str, tuple[LanguageEntry, ...]]:
    found: dict[str, list[LanguageEntry]] = {}
    for entry in entries:
        for field in dict.fromkeys(getattr(entry, text).split(_FIELD_SEPARATOR)):
            found.setdefault(field, []).append(entry)
    return {field: tuple(having) for field, having in found.items()}


@dataclasses.dataclass(frozen=True)
class LanguageDetails:
    """What the language page shows of one language."""

    tag: str
    locale: babel.Locale
    script: str | None  # ISO 15924 code, likely script when not explicit
    territory: str | None  # likely territory, ISO 3166
    currency: str | None  # ISO 4217, of the likely territory
    official_in: tuple[str, ...]  # ISO 3166 codes where CLDR says it is official
    plural_examples: tuple[tuple[str, tuple[int | Decimal, ...]], ...]
    calendars: tuple[str, ...]  # ICU names: its default calendar first, then the Gregorian, then its own
    numbering: str  # CLDR's default numbering system ("latn", "arabext")
    native_numbering: str | None  # its native one, when CLDR names one
    characters: tuple[str, ...]  # CLDR's main exemplar characters, in its collation

    @property
    def rtl(self) -> bool:
        return self.locale.character_order == "right-to-left"


def fold(text: str) -> str:
    """Case- and accent-free form of ``text``, the same in every locale.

    Only for what has no locale: ordering and matching in a locale go
    through :mod:`website.i18n.locale_data` (ICU's collation).
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclasses.dataclass(frozen=True)
class _Language:
    """What every display locale's list shares about one language."""

    code: str
    tag: str
    endonym: str
    english_name: str
    rtl: bool


@functools.lru_cache(maxsize=None)
def _languages() -> tuple[_Language, ...]:
    """The part of the directory that is the same in every display locale, built once.

    Read in a child process (:mod:`website.i18n.cldr_names` says why); the
    locales the site serves are loaded here on use.
    """
    return tuple(_Language(tag=tags.normalize(names["code"]), **names) for names in cldr_names.read())


def warm() -> None:
    """Build the shared part of the directory now (before worker processes fork).

    Each display locale's own list is built on its first use: at start-up
    the site does not know which of its locales visitors will ask for.
    """
    _languages()


# Between the fields of an entry's search text: the query never contains
# it (control characters are dropped from queries), so a match never
# spans two names.
_FIELD_SEPARATOR = "\n"


@functools.lru_cache(maxsize=64)
def entries(display: str) -> Listing:
    """All languages, named in the ``display`` locale (a gettext id), in its collation.

    Languages CLDR has no name for in the display locale go last, under
    their endonym, rather than mixed in. The collation keys and the folded
    search text are computed here, once per display locale.
    """
    cldr_id = pseudo.cldr_id(display)
    display_locale = babel.Locale.parse(cldr_id)
    # What every display locale shares (endonyms, English names, direction)
    # comes from _languages(), built once.
    languages = {language.code: language for language in _languages()}
    named = []
    for code in languages:
        name = display_locale.languages.get(code)
        if name and pseudo.is_pseudo(display):
            name = pseudo.transform(display, name)
        named.append((code, name))
    # English names too: visitors often know a language's English name
    # whatever language they read the site in.
    fields = {
        code: tuple(unicodedata.normalize("NFC", field) for field in
                    (name or languages[code].endonym, languages[code].endonym,
                     languages[code].english_name, languages[code].tag))
        for code, name in named
    }
    folding = locale_data.SearchFolding(cldr_id, (f for texts in fields.values() for f in texts))
    key = locale_data.sort_key(cldr_id)
    shared_latin = _shared_latin_keys()
    items = [
        LanguageEntry(
            tag=languages[code].tag,
            name=name or languages[code].endonym,
            named=bool(name),
            endonym=languages[code].endonym,
            english_name=languages[code].english_name,
            rtl=languages[code].rtl,
            search_text=_FIELD_SEPARATOR.join(folding.fold(field) for field in fields[code]),
            latin_text=_FIELD_SEPARATOR.join(key for key in (display_key, *shared_latin[code]) if key),
            sort_key=(not name, key(name or languages[code].endonym), code),
        )
        for (code, name), display_key in zip(named, latin_folding.name_keys([f[0] for f in fields.values()]))
    ]
    items.sort(key=lambda entry: entry.sort_key)
    return Listing(items, cldr_id, folding)


@functools.lru_cache(maxsize=1)
def _shared_latin_keys() -> dict[str, tuple[str, ...]]:
    """Per language, the folded keys every display locale shares: endonym, English name, tag."""
    languages = _languages()
    english = latin_folding.name_keys([language.english_name for language in languages])
    endonyms = latin_folding.endonym_keys([(language.code, language.endonym) for language in languages])
    return {
        language.code: (*endonym_keys, english_key, language.tag.lower().replace("-", ""))
        for language, endonym_keys, english_key in zip(languages, endonyms, english)
    }


def search(entries: Listing, query: str) -> tuple[LanguageEntry, ...]:
    """Entries whose name, endonym, English name or tag matches ``query``, best first.

    A match is either at the display locale's primary collation strength
    (no case, accents, width or marks, but its own letters kept apart:
    Polish ``ł`` is not ``l``) or, looser, in both sides folded to Latin
    ASCII (:mod:`website.i18n.latin_folding`: "lacinski" finds "łaciński",
    "strasse" "Straße", "russkiy" "русский"). A name equal to the query
    comes first, then the other primary matches, then the folded ones (a
    folded name equal to the folded query first), each group in the
    directory's order. The browser's live search
    (``static/js/languages-search.js``) does the same with the same data.

    The work is bounded: the query is cut to MAX_QUERY_LENGTH characters before
    anything else, and each entry costs two substring tests.
    """
    text = unicodedata.normalize("NFC", query.strip()[:MAX_QUERY_LENGTH])[:MAX_QUERY_LENGTH]
    needle = entries.folding.fold(text)
    if not needle:
        return tuple(entries)
    # Plain substring tests in comprehensions, and the whole names from the
    # listing's index: this runs on every search request.
    primary = [entry for entry in entries if needle in entry.search_text]
    latin = latin_folding.query_key(text)
    folded = [entry for entry in entries if latin in entry.latin_text and needle not in entry.search_text] \
        if latin else []
    whole_latin = entries.whole_latin.get(latin, ())
    if whole_latin:  # those that are also primary matches are ranked already
        whole_latin = tuple(entry for entry in whole_latin if needle not in entry.search_text)
    return (*_whole_first(primary, entries.whole_fields.get(needle, ())), *_whole_first(folded, whole_latin))


def _whole_first(found: list[LanguageEntry], whole: tuple[LanguageEntry, ...]) -> list[LanguageEntry]:
    """``found`` with ``whole`` (some of them) first, each part in the directory's order."""
    if not whole:
        return found
    first = {entry.tag for entry in whole}
    return [*whole, *(entry for entry in found if entry.tag not in first)]


@functools.lru_cache(maxsize=1024)
def details(tag: str) -> LanguageDetails | None:
    """Details of a language or locale CLDR knows (``ru``, ``pt-BR``), else None."""
    gettext_id = tags.to_gettext_id(tag)
    if gettext_id is None:
        return None
    try:
        locale = babel.Locale.parse(gettext_id)
    except (ValueError, babel.UnknownLocaleError):
        return None
    if str(locale) != gettext_id:
        return None
    full = tags.maximize(tag) or (locale.language, None, None)
    territory = locale.territory or full[2]
    currencies = numbers.get_territory_currencies(territory, dt.date.today()) if territory else []
    return LanguageDetails(
        tag=tags.normalize(tag),
        locale=locale,
        script=locale.script or full[1],
        territory=territory,
        currency=currencies[0] if currencies else None,
        official_in=_official_territories(locale.language, locale.script),
        plural_examples=_plural_examples(gettext_id),
        calendars=_calendars(gettext_id, locale.language, locale.script or full[1], territory),
        numbering=locale.default_numbering_system,
        native_numbering=locale.other_numbering_systems.get("native"),
        characters=locale_data.exemplar_characters(gettext_id),
    )


def _calendars(gettext_id: str, language: str, script: str | None, territory: str | None) -> tuple[str, ...]:
    found = [calendars.default_calendar(gettext_id), "gregorian"]
    found += calendars.own_calendars(language, script, territory)
    return tuple(dict.fromkeys(found))


@functools.lru_cache(maxsize=None)
def _territories_by_official_language() -> dict[str, tuple[str, ...]]:
    """Language (or language_Script) -> territories where it is official.

    Only CLDR's "official" status counts: "de_facto_official" and
    "official_regional" are not what a visitor reads "official" as.
    """
    found: dict[str, list[str]] = {}
    for territory, spoken in get_global("territory_languages").items():
        for language, facts in spoken.items():
            if facts.get("official_status") == "official":
                found.setdefault(language, []).append(territory)
    return {language: tuple(sorted(codes)) for language, codes in found.items()}


def _official_territories(language: str, script: str | None) -> tuple[str, ...]:
    table = _territories_by_official_language()
    if script and f"{language}_{script}" in table:
        return table[f"{language}_{script}"]
    return table.get(language, ())


def _plural_examples(gettext_id: str) -> tuple[tuple[str, tuple[int | Decimal, ...]], ...]:
    sample = (*_EXAMPLE_INTEGERS, *_EXAMPLE_DECIMALS)
    return tuple(plural_forms.category_examples(gettext_id, sample, _EXAMPLES_PER_CATEGORY).items())
