"""Calendars, with ICU: Babel has only the Gregorian one.

A locale's default calendar (from its likely territory), the calendars a
territory prefers and those that belong to a language (CLDR's calendar
preferences), dates and moments written in any calendar, and calendar names.
Gregorian dates on the site's pages stay Babel's (see
:mod:`website.i18n.locale_data` for which library answers what); ICU formats
a date only when the locale's default calendar is another one (fa: Persian,
th: Buddhist) or a page asks for a particular calendar. ICU formatters are
given Babel's numbering system, so numbers and dates agree on a page.

>>> default_calendar("fa"), default_calendar("th"), default_calendar("en")
('persian', 'buddhist', 'gregorian')
>>> format_date(dt.date(2026, 11, 21), "fa", "arabext")
'۳۰ آبان ۱۴۰۵'
"""

from __future__ import annotations

import ctypes
import datetime as dt
import functools
import re

import icu
from babel.core import get_global

from website.i18n import icu_c
from website.i18n.locale_data import PER_LOCALE, keyword_value_name

__all__ = [
    "default_calendar",
    "preferred_calendars",
    "own_calendars",
    "format_date",
    "format_datetime_utc",
    "calendar_name",
]


def _icu_locale(locale_id: str, numbering: str | None = None, calendar: str | None = None) -> icu.Locale:
    keywords = ";".join(f"{k}={v}" for k, v in (("calendar", calendar), ("numbers", numbering)) if v)
    return icu.Locale(locale_id + ("@" + keywords if keywords else ""))


@functools.lru_cache(maxsize=PER_LOCALE)
def default_calendar(locale_id: str) -> str:
    """CLDR's default calendar for a locale (from its likely territory), ICU's name."""
    return icu.Calendar.createInstance(icu.Locale(locale_id)).getType()


@functools.lru_cache(maxsize=512)
def preferred_calendars(territory: str) -> tuple[str, ...]:
    """The calendars CLDR says a territory uses, most preferred first.

    >>> preferred_calendars("TH")
    ('buddhist', 'gregorian')
    """
    c_api = icu_c.functions()
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


@functools.lru_cache(maxsize=PER_LOCALE * 4)
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


@functools.lru_cache(maxsize=PER_LOCALE)
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


def calendar_name(calendar: str, display_id: str) -> str:
    """The name of a calendar (ICU's type, "islamic-umalqura") in a locale.

    >>> calendar_name("persian", "en")
    'Persian Calendar'
    """
    return keyword_value_name("calendar", calendar, display_id)
