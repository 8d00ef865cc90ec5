"""Locale data beyond Babel: which library answers which question, and ICU's part.

The site uses two copies of CLDR. This module is where the split is decided;
everything else asks the library named here.

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
>>> default_calendar("fa"), default_calendar("th"), default_calendar("en")
('persian', 'buddhist', 'gregorian')
>>> format_date(dt.date(2026, 11, 21), "fa", "arabext")
'۳۰ آبان ۱۴۰۵'
"""

from __future__ import annotations

import ctypes
import ctypes.util
import datetime as dt
import functools
import logging
import re
from collections.abc import Callable, Iterable
from typing import TypeVar

import icu
from babel.core import get_cldr_version, get_global

__all__ = [
    "BABEL_CLDR_VERSION",
    "ICU_VERSION",
    "ICU_CLDR_VERSION",
    "sort_key",
    "collate",
    "SearchFolding",
    "search_folding",
    "default_calendar",
    "preferred_calendars",
    "own_calendars",
    "format_date",
    "format_datetime_utc",
    "calendar_name",
    "numbering_digits",
    "numbering_name",
    "exemplar_characters",
]

log = logging.getLogger(__name__)

T = TypeVar("T")

BABEL_CLDR_VERSION = get_cldr_version()
ICU_VERSION = icu.ICU_VERSION

# Collators and formatters are kept per locale; these bounds are above the
# number of locales the site serves plus the languages whose pages are
# visited at once, and below anything a crawler could grow without limit.
_PER_LOCALE = 128


# -- ICU's C API, for the two things PyICU does not wrap ------------------------

@functools.lru_cache(maxsize=None)
def _icu_c() -> tuple | None:
    """ICU's own C functions, from the same libicu PyICU was built against.

    PyICU wraps neither ``ucal_getKeywordValuesForLocale`` (CLDR's
    calendarPreferenceData: the calendars a territory uses) nor
    ``ulocdata_getCLDRVersion``; both are stable C API. Debian's ICU suffixes
    its symbols with the major version, which is PyICU's ICU_VERSION. When
    the library cannot be found (another ICU build), callers fall back to
    what PyICU alone can say.
    """
    major = ICU_VERSION.split(".")[0]
    try:
        i18n = _load_library("icui18n", major)
        common = _load_library("icuuc", major)
        keywords = getattr(i18n, f"ucal_getKeywordValuesForLocale_{major}")
        next_ = getattr(common, f"uenum_next_{major}")
        close = getattr(common, f"uenum_close_{major}")
        cldr = getattr(i18n, f"ulocdata_getCLDRVersion_{major}")
    except (OSError, AttributeError) as error:
        log.warning("ICU's C API is not reachable (%s): calendar preferences limited", error)
        return None
    keywords.restype = ctypes.c_void_p
    keywords.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int8, ctypes.POINTER(ctypes.c_int)]
    next_.restype = ctypes.c_char_p
    next_.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int32), ctypes.POINTER(ctypes.c_int)]
    close.restype = None
    close.argtypes = [ctypes.c_void_p]
    cldr.restype = None
    cldr.argtypes = [ctypes.c_uint8 * 4, ctypes.POINTER(ctypes.c_int)]
    return keywords, next_, close, cldr


def _load_library(name: str, major: str) -> ctypes.CDLL:
    # The exact version PyICU uses first; find_library may pick another.
    try:
        return ctypes.CDLL(f"lib{name}.so.{major}")
    except OSError:
        return ctypes.CDLL(ctypes.util.find_library(name) or f"lib{name}.so")


def _icu_cldr_version() -> str:
    c_api = _icu_c()
    if c_api is None:
        return "unknown"
    version, status = (ctypes.c_uint8 * 4)(), ctypes.c_int(0)
    c_api[3](version, ctypes.byref(status))
    return ".".join(str(part) for part in version[:2]).removesuffix(".0")


ICU_CLDR_VERSION = _icu_cldr_version()
# The docstring names the versions actually in use (there is none under -OO).
__doc__ = __doc__ and __doc__.format_map({"BABEL_CLDR_VERSION": BABEL_CLDR_VERSION, "ICU_VERSION": ICU_VERSION,
                              "ICU_CLDR_VERSION": ICU_CLDR_VERSION})


# -- collation ------------------------------------------------------------------

@functools.lru_cache(maxsize=_PER_LOCALE)
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


@functools.lru_cache(maxsize=_PER_LOCALE)
def search_folding(locale_id: str) -> SearchFolding:
    """A locale's :class:`SearchFolding` with no corpus, built once.

    The directory builds its own from its names (:mod:`website.directory`),
    so that their characters are looked up rather than computed.
    """
    return SearchFolding(locale_id)


# -- calendars ------------------------------------------------------------------

def _icu_locale(locale_id: str, numbering: str | None = None, calendar: str | None = None) -> icu.Locale:
    keywords = ";".join(f"{k}={v}" for k, v in (("calendar", calendar), ("numbers", numbering)) if v)
    return icu.Locale(locale_id + ("@" + keywords if keywords else ""))


@functools.lru_cache(maxsize=_PER_LOCALE)
def default_calendar(locale_id: str) -> str:
    """CLDR's default calendar for a locale (from its likely territory), ICU's name."""
    return icu.Calendar.createInstance(icu.Locale(locale_id)).getType()


@functools.lru_cache(maxsize=512)
def preferred_calendars(territory: str) -> tuple[str, ...]:
    """The calendars CLDR says a territory uses, most preferred first.

    >>> preferred_calendars("TH")
    ('buddhist', 'gregorian')
    """
    c_api = _icu_c()
    locale = f"und_{territory}"
    if c_api is None:
        return (default_calendar(locale),)
    keywords, next_, close, _ = c_api
    status = ctypes.c_int(0)
    values = keywords(b"calendar", locale.encode("ascii", "replace"), 1, ctypes.byref(status))
    if not values or status.value > 0:
        return ("gregorian",)
    found = []
    try:
        while (value := next_(values, None, ctypes.byref(status))) is not None:
            found.append(value.decode("ascii"))
    finally:
        close(values)
    return tuple(found) or ("gregorian",)


# A calendar is a language's own when the territories that language is the
# main language of agree on it often enough: a quarter of them, so that
# Arabic gets both Umm al-Qura (Saudi Arabia and the Gulf) and the Islamic
# calendar, while English does not get the Chinese calendar from Singapore
# and Christmas Island alone.
_SHARE_OF_TERRITORIES = 0.25


@functools.lru_cache(maxsize=1024)
def own_calendars(language: str, script: str | None = None, territory: str | None = None) -> tuple[str, ...]:
    """The calendars other than the Gregorian that belong to a language, from CLDR.

    CLDR's calendar preferences are per territory. A language's
    territories are those where it is official and the most spoken
    language (CLDR's territory info); each contributes the first
    non-Gregorian calendar it prefers, and a calendar counts when at least
    a quarter of them prefer it, most preferred first. A language that is
    nowhere the main official one takes its likely ``territory``'s.

    >>> own_calendars("fa", territory="IR"), own_calendars("he"), own_calendars("th")
    (('persian',), ('hebrew',), ('buddhist',))
    >>> own_calendars("en", territory="US"), own_calendars("ja", territory="JP")
    ((), ('japanese',))
    >>> own_calendars("ar", territory="EG")  # Egypt's Coptic calendar is one territory in 15
    ('islamic', 'islamic-umalqura')
    """
    names = {language, f"{language}_{script}"} if script else {language}
    territories = []
    for code, spoken in get_global("territory_languages").items():
        if not spoken:
            continue
        top = max(spoken.items(), key=lambda item: item[1].get("population_percent", 0))[0]
        if top in names and spoken[top].get("official_status") == "official":
            territories.append(code)
    counts: dict[str, int] = {}
    for code in territories:
        own = _first_non_gregorian(code)
        if own:
            counts[own] = counts.get(own, 0) + 1
    if not territories:
        own = _first_non_gregorian(territory) if territory else None
        return (own,) if own else ()
    return tuple(
        calendar for calendar, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        if count >= _SHARE_OF_TERRITORIES * len(territories)
    )


def _first_non_gregorian(territory: str) -> str | None:
    return next((c for c in preferred_calendars(territory) if c != "gregorian"), None)


# "Etc/UTC" rather than GMT: its label is the one Babel's dates show (UTC).
_UTC = icu.TimeZone.createTimeZone("Etc/UTC")


@functools.lru_cache(maxsize=_PER_LOCALE * 4)
def _date_format(locale_id: str, numbering: str | None, calendar: str | None, style: str):
    styles = {"full": icu.DateFormat.kFull, "long": icu.DateFormat.kLong,
              "medium": icu.DateFormat.kMedium, "short": icu.DateFormat.kShort}
    locale = _icu_locale(locale_id, numbering, calendar)
    formatter = icu.DateFormat.createDateInstance(styles[style], locale)
    if "ERA" in formatter.format(0.0):
        # ICU 72's data has no era names for the Ethiopic and Coptic
        # calendars in most locales (it prints "ERA1"): the locale's
        # pattern without its era field.
        pattern = re.sub(r"[\s,]*G+", "", formatter.toPattern()).strip()
        formatter = icu.SimpleDateFormat(pattern, locale)
    formatter.setTimeZone(_UTC)
    return formatter


def format_date(value: dt.date, locale_id: str, numbering: str | None = None,
                calendar: str | None = None, style: str = "long") -> str:
    """A date written in ``calendar`` (default: the locale's own), with ICU.

    ``numbering`` names the digits (Babel's choice for the locale, see the
    module notes); ``None`` leaves ICU's default.

    >>> format_date(dt.date(2026, 11, 21), "en", "latn", calendar="persian")
    'Aban 30, 1405 AP'
    >>> format_date(dt.date(2026, 11, 21), "he", "latn", calendar="hebrew")
    'י״א בכסלו תשפ״ז'
    """
    moment = dt.datetime(value.year, value.month, value.day, 12, tzinfo=dt.timezone.utc)
    return _date_format(locale_id, numbering, calendar, style).format(moment.timestamp())


@functools.lru_cache(maxsize=_PER_LOCALE)
def _datetime_format(locale_id: str, numbering: str | None):
    locale = _icu_locale(locale_id, numbering)
    formatter = icu.DateFormat.createDateTimeInstance(icu.DateFormat.kLong, icu.DateFormat.kLong, locale)
    formatter.setTimeZone(_UTC)
    return formatter


def format_datetime_utc(value: dt.datetime, locale_id: str, numbering: str | None = None) -> str:
    """A moment in UTC in the locale's default calendar, CLDR's long pattern, with ICU.

    >>> format_datetime_utc(dt.datetime(2026, 11, 21, 14, 5, tzinfo=dt.timezone.utc), "fa", "arabext")
    '۳۰ آبان ۱۴۰۵ ساعت ۱۴:۰۵:۰۰ (UTC)'
    """
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return _datetime_format(locale_id, numbering).format(value.timestamp())


@functools.lru_cache(maxsize=4096)
def calendar_name(calendar: str, display_id: str) -> str:
    """The name of a calendar (ICU's type, "islamic-umalqura") in a locale.

    >>> calendar_name("persian", "en")
    'Persian Calendar'
    """
    return icu.LocaleDisplayNames.createInstance(icu.Locale(display_id)).keyValueDisplayName(
        "calendar", calendar) or calendar


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


@functools.lru_cache(maxsize=4096)
def numbering_name(system: str, display_id: str) -> str:
    """The name of a numbering system in a locale.

    >>> numbering_name("arab", "en")
    'Arabic-Indic Digits'
    """
    return icu.LocaleDisplayNames.createInstance(icu.Locale(display_id)).keyValueDisplayName(
        "numbers", system) or system


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

