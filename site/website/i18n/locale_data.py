"""Locale data beyond Babel: which library answers which question, and ICU's part.

The site uses two copies of CLDR. This module is where the split is decided;
everything else asks the library named here. ICU's calendars are in
:mod:`website.i18n.calendars`, and the two ICU C functions PyICU does not
wrap in :mod:`website.i18n.icu_c`.

Babel (CLDR {BABEL_CLDR_VERSION}) answers:
  names of languages, territories, scripts and currencies; plural rules;
  number, percent, currency and compact formats, and *which* numbering system
  a locale writes numbers in; Gregorian dates and times; relative times; lists.

ICU (PyICU over Debian's ICU {ICU_VERSION}, CLDR {ICU_CLDR_VERSION}) answers
what Babel has no data or code for:
  collation (sort keys, and the primary-strength folding search uses);
  calendars (a locale's default calendar, the calendars preferred in a
  territory, dates in any calendar, calendar names); the digits and names of
  numbering systems; exemplar characters.

Where the two CLDR versions differ, the newer one (Babel's) decides what is
shown, and ICU is told explicitly:

- Numbering for ``ar``: CLDR 46 (ticket CLDR-17553) made Latin digits the
  default for region-less Arabic, keeping Arabic-Indic (``arab``) as its
  native system and as the default of ar_EG, ar_SA, ar_IQ...; ICU 72 still
  has ``arab``. The site follows Babel's CLDR (``latn`` for ``ar``), and
  every ICU formatter gets ``@numbers=<Babel's choice>``, so numbers and
  dates agree on a page (and with the browser, whose ``Intl.NumberFormat``
  is given the same system through ``<html data-numbering>``).
- Gregorian dates stay Babel's (CLDR 47 patterns); ICU formats a date only
  when the locale's default calendar is another one (fa: Persian, th:
  Buddhist) or when a page asks for a particular calendar.

>>> collate("sv", ["öl", "zebra", "apa", "ål", "äpple"])
['apa', 'zebra', 'ål', 'äpple', 'öl']
>>> search_folding("fr").fold("FRANÇAIS") == search_folding("fr").fold("francais")
True
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import TypeVar

import icu
from babel.core import get_cldr_version

from website.i18n import icu_c

__all__ = [
    "PER_LOCALE",
    "BABEL_CLDR_VERSION",
    "ICU_VERSION",
    "ICU_CLDR_VERSION",
    "sort_key",
    "collate",
    "SearchFolding",
    "search_folding",
    "numbering_digits",
    "numbering_name",
    "keyword_value_name",
    "exemplar_characters",
]

T = TypeVar("T")

BABEL_CLDR_VERSION = get_cldr_version()
ICU_VERSION = icu.ICU_VERSION
ICU_CLDR_VERSION = icu_c.cldr_version()
# The docstring names the versions actually in use (there is none under -OO).
__doc__ = __doc__ and __doc__.format_map({"BABEL_CLDR_VERSION": BABEL_CLDR_VERSION, "ICU_VERSION": ICU_VERSION,
                              "ICU_CLDR_VERSION": ICU_CLDR_VERSION})

# Collators and formatters are kept per locale; these bounds are above the
# number of locales the site serves plus the languages whose pages are
# visited at once, and below anything a crawler could grow without limit.
PER_LOCALE = 128


# -- collation ------------------------------------------------------------------

@functools.lru_cache(maxsize=PER_LOCALE)
def _collator(locale_id: str, strength: int) -> icu.Collator:
    collator = icu.Collator.createInstance(icu.Locale(locale_id))
    collator.setStrength(strength)
    return collator


def sort_key(locale_id: str) -> Callable[[str], bytes]:
    """The function giving CLDR collation keys of ``locale_id`` (a gettext/CLDR id).

    Keys are bytes that compare the way the locale's alphabet orders words:
    compute them once per string and keep them (the directory does).

    >>> key = sort_key("es")
    >>> sorted(["ñu", "nube", "oso"], key=key)
    ['nube', 'ñu', 'oso']
    """
    return _collator(locale_id, icu.Collator.TERTIARY).getSortKey


def collate(locale_id: str, items: Iterable[T], key: Callable[[T], str] | None = None) -> list[T]:
    """``items`` sorted in the locale's CLDR collation (by ``key(item)`` if given).

    >>> collate("pl", ["łoś", "lis", "mysz"])
    ['lis', 'łoś', 'mysz']
    """
    get_key = sort_key(locale_id)
    text = key or (lambda item: item)
    return sorted(items, key=lambda item: get_key(text(item)))


# -- search -----------------------------------------------------------------------

class SearchFolding:
    """Text folded so that substring search matches at the collator's primary strength.

    Each character is replaced by a representative of its class: the
    characters whose primary collation weights are equal in this locale
    (case, accents, width and, where the locale says so, nothing else:
    Swedish ``ä`` stays apart from ``a``, Spanish ``ñ`` from ``n``).
    Characters with no primary weight (combining marks, Hebrew points,
    Arabic harakat) disappear. Then an ordinary ``in`` finds the query.

    Why this rather than ``icu.StringSearch``: the folded text of every
    entry is computed once per locale, so a query costs one fold of at most
    MAX_QUERY_LENGTH characters and a substring test per entry, where
    StringSearch would be set up for every entry on every request; and the
    browser can do exactly the same with ``Intl.Collator`` (sensitivity
    "base", also ICU), which has no search of its own but can tell which
    characters are equal. The price, on both sides: an expansion matches
    only itself (``ß`` does not match ``ss``).

    >>> fold = search_folding("de").fold
    >>> fold("ＦＲ") == fold("fr"), fold("Äpfel") == fold("apfel"), fold("Größe") == fold("grosse")
    (True, True, False)
    >>> search_folding("sv").fold("ä") == search_folding("sv").fold("a")
    False
    """

    def __init__(self, locale_id: str, corpus: Iterable[str] = ()):
        self._key = _collator(locale_id, icu.Collator.PRIMARY).getSortKey
        self._ignorable = self._key("")
        self._by_key: dict[bytes, str] = {}
        self._chars: dict[str, str] = {}
        for text in corpus:
            for char in text:
                if char not in self._chars:
                    self._chars[char] = self._class_of(char, remember=True)

    def _class_of(self, char: str, remember: bool = False) -> str:
        key = self._key(char)
        if key == self._ignorable:
            return ""
        if remember:
            return self._by_key.setdefault(key, char)
        # Not in the corpus: equal to a corpus class if it has its weights,
        # else a stand-in made of the weights themselves (noncharacters
        # around them, which no text carries), so two such folds compare too.
        return self._by_key.get(key) or "\ufdd0" + key.hex() + "\ufdd1"

    def fold(self, text: str) -> str:
        """``text`` with every character replaced by its class representative."""
        chars = self._chars
        # Characters outside the corpus (a visitor's query) are looked up
        # without being remembered: the table stays bounded by the corpus.
        return "".join(chars[c] if c in chars else self._class_of(c) for c in text)


@functools.lru_cache(maxsize=PER_LOCALE)
def search_folding(locale_id: str) -> SearchFolding:
    """A locale's :class:`SearchFolding` with no corpus, built once.

    The directory builds its own from its names (:mod:`website.directory`),
    so that their characters are looked up rather than computed.
    """
    return SearchFolding(locale_id)


# -- numbering systems -------------------------------------------------------------

@functools.lru_cache(maxsize=256)
def numbering_digits(system: str) -> str | None:
    """The ten digits of a decimal numbering system; None if unknown or algorithmic.

    >>> numbering_digits("arabext")
    '۰۱۲۳۴۵۶۷۸۹'
    >>> numbering_digits("hebr") is None  # Hebrew numerals are letters, not digits
    True
    """
    try:
        system_ = icu.NumberingSystem.createInstanceByName(system)
    except icu.ICUError:
        return None
    digits = system_.getDescription()
    if system_.isAlgorithmic() or system_.getRadix() != 10 or len(digits) != 10:
        return None
    return str(digits)


def numbering_name(system: str, display_id: str) -> str:
    """The name of a numbering system in a locale.

    >>> numbering_name("arab", "en")
    'Arabic-Indic Digits'
    """
    return keyword_value_name("numbers", system, display_id)


@functools.lru_cache(maxsize=4096)
def keyword_value_name(keyword: str, value: str, display_id: str) -> str:
    """ICU's name, in a locale, of a locale keyword's value ("numbers", "arab"), or the value."""
    return icu.LocaleDisplayNames.createInstance(icu.Locale(display_id)).keyValueDisplayName(
        keyword, value) or value


# -- characters ---------------------------------------------------------------------

@functools.lru_cache(maxsize=1024)
def exemplar_characters(locale_id: str) -> tuple[str, ...]:
    """CLDR's main (standard) exemplar characters of a locale, in its own collation.

    >>> exemplar_characters("sv")[-4:]
    ('z', 'å', 'ä', 'ö')
    """
    try:
        characters = icu.LocaleData(locale_id).getExemplarSet(0, icu.ULocaleDataExemplarSetType.ES_STANDARD)
    except icu.ICUError:
        return ()
    return tuple(collate(locale_id, (str(c) for c in characters)))

