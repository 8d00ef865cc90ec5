"""Locale-aware formatting for templates: thin wrappers over Babel, and ICU for calendars.

Which library does what is decided in :mod:`website.i18n.locale_data`:
Babel formats numbers and Gregorian dates; ICU formats dates where the
locale's CLDR default calendar is another one (fa: Persian, th: Buddhist),
and gives the digits of numbering systems.

The base handler binds one :class:`Formatter` to the request's locale and
exposes it to templates as ``fmt``, so a template writes
``{{ fmt.decimal(n) }}`` and never ``str(n)`` or ``strftime``.

>>> fmt = Formatter("fr")
>>> fmt.decimal(1234567.5)
'1\\u202f234\\u202f567,5'
>>> fmt.list(["français", "russe", "arabe"])
'français, russe et arabe'
>>> Formatter("fa").decimal(1234.5)
'۱٬۲۳۴٫۵'
>>> Formatter("fa").date(dt.date(2026, 11, 21))
'۳۰ آبان ۱۴۰۵'
>>> Formatter("ar").decimal(1234.5), Formatter("ar_EG").decimal(1234.5)
('1,234.5', '١٬٢٣٤٫٥')
"""

from __future__ import annotations

import copy
import functools
import datetime as dt
from decimal import Decimal
from collections.abc import Sequence

import babel
from babel import dates, lists, numbers

from website.i18n import calendars, deferred, locale_data, pseudo

__all__ = ["Formatter", "PseudoFormatter"]


class Formatter:
    """Formatting helpers bound to one locale (a :class:`babel.Locale` or id)."""

    def __init__(self, locale: babel.Locale | str):
        self.locale = locale if isinstance(locale, babel.Locale) else babel.Locale.parse(locale)
        self._locale_id = str(self.locale)  # Babel rebuilds it on every str()
        # CLDR's default numbering system, as Babel's CLDR has it: Persian
        # digits for fa, Bengali for bn, and Latin for ar since CLDR 46
        # (Arabic-Indic for ar_EG, ar_SA...). No house style overrides it.
        # Babel applies the system's symbols (٬ ٫) but writes ASCII digits,
        # so the digits are mapped after formatting, with ICU's table.
        system = self.locale.default_numbering_system
        digits = locale_data.numbering_digits(system)
        self.numbering_system = system if digits else "latn"
        # None for Latin digits: the page's numbers then need no mapping.
        self._digits = str.maketrans("0123456789", digits) if digits and digits != "0123456789" else None
        # Babel has only the Gregorian calendar; ICU writes the others.
        self.calendar = calendars.default_calendar(self._locale_id)

    def _native(self, text: str) -> str:
        return text if self._digits is None else text.translate(self._digits)

    def decimal(self, number, format: str | None = None) -> str:
        """A number with the locale's grouping and decimal signs: 1 234,5.

        A :class:`~decimal.Decimal` keeps the fraction digits it shows:
        CLDR's "1.0" is not "1" (its plural category differs), so
        ``Decimal("1.0")`` prints as 1,0 where Babel alone would print 1.
        """
        if format is None and isinstance(number, Decimal) and number.as_tuple().exponent < 0:
            digits = -number.as_tuple().exponent
            format = copy.copy(self.locale.decimal_formats[None])
            format.frac_prec = (digits, max(digits, format.frac_prec[1]))
        return self._native(
            numbers.format_decimal(
                number, format=format, locale=self.locale, numbering_system=self.numbering_system
            )
        )

    def size(self, count: int) -> str:
        """A number of bytes as people read it: ``5 MB``, ``640,5 кБ`` (binary multiples)."""
        return self._native(deferred.human_size(count, self.locale, self.numbering_system))

    def percent(self, number, format: str | None = None) -> str:
        """A ratio as a percentage: 0.256 -> 26 %."""
        return self._native(
            numbers.format_percent(
                number, format=format, locale=self.locale, numbering_system=self.numbering_system
            )
        )

    def currency(self, amount, currency: str) -> str:
        """An amount in an ISO 4217 currency: 1 234,50 €."""
        return self._native(
            numbers.format_currency(
                amount, currency, locale=self.locale, numbering_system=self.numbering_system
            )
        )

    def compact(self, number, fraction_digits: int = 1) -> str:
        """A short approximate number: 1,2 M."""
        return self._native(
            numbers.format_compact_decimal(
                number,
                fraction_digits=fraction_digits,
                locale=self.locale,
                numbering_system=self.numbering_system,
            )
        )

    def date(self, value: dt.date, format: str = "long") -> str:
        """A date in the locale's default calendar and pattern ("full", "long", "medium", "short")."""
        if self.calendar != "gregorian":
            return calendars.format_date(value, self._locale_id, self.numbering_system, style=format)
        return self._native(dates.format_date(value, format=format, locale=self.locale))

    def date_in(self, value: dt.date, calendar: str, format: str = "long") -> str:
        """A date in the given calendar (ICU's name: "hebrew", "islamic-umalqura")."""
        return calendars.format_date(value, self._locale_id, self.numbering_system, calendar, format)

    def calendar_name(self, calendar: str) -> str:
        """The name of a calendar in this locale."""
        return calendars.calendar_name(calendar, self._locale_id)

    def numbering_name(self, system: str) -> str:
        """The name of a numbering system in this locale."""
        return locale_data.numbering_name(system, self._locale_id)

    def sorted(self, items, key=None) -> list:
        """``items`` in this locale's collation (by ``key(item)`` if given)."""
        return locale_data.collate(self._locale_id, items, key)

    def datetime(self, value: dt.datetime) -> str:
        """A moment in UTC, labelled as such (the site does not know the visitor's zone).

        CLDR's "long" pattern is the shortest that carries the zone label
        (UTC, TU, ...); naive values are taken to be UTC already.
        """
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        if self.calendar != "gregorian":
            return calendars.format_datetime_utc(value, self._locale_id, self.numbering_system)
        return self._native(
            dates.format_datetime(value, "long", tzinfo=dt.timezone.utc, locale=self.locale)
        )

    def relative(self, delta: dt.timedelta, granularity: str = "second") -> str:
        """A signed duration as the locale says it: "3 days ago", "in 2 hours"."""
        return self._native(
            dates.format_timedelta(
                delta, granularity=granularity, add_direction=True, locale=self.locale
            )
        )

    def list(self, items: Sequence[str], style: str = "standard") -> str:
        """Items joined the locale's way: "A, B and C"."""
        return _format_list(tuple(items), style, self._locale_id)

    def language(self, tag: str) -> str:
        """The name of a language (BCP 47 tag) in this locale; the tag if unknown."""
        return _display_name(tag, self._locale_id)

    def language_in_itself(self, tag: str) -> str:
        """A language's name for itself (its endonym); the tag if unknown."""
        return _display_name(tag, tag.replace("-", "_"))

    def script(self, code: str) -> str:
        """The name of a script (ISO 15924 code) in this locale; the code if unknown."""
        return self.locale.scripts.get(code, code)

    def currency_name(self, code: str) -> str:
        """The name of a currency (ISO 4217 code) in this locale; the code if unknown."""
        return self.locale.currencies.get(code, code)

    def territory(self, code: str) -> str:
        """The name of a territory (ISO 3166 code) in this locale; the code if unknown."""
        return self.locale.territories.get(code, code)


class PseudoFormatter(Formatter):
    """A pseudo-locale's formatter: CLDR text pseudo-translated too.

    Names, dates and lists come from CLDR, not from our catalogs, but they
    are text a visitor reads; wrapping them lets the pseudo-locale crawl tell
    them apart from text nobody passed through any translation. Plain
    numbers have no letters and stay as they are.
    """

    def __init__(self, locale: babel.Locale | str, pseudo_id: str):
        super().__init__(locale)
        self.pseudo_id = pseudo_id

    def _wrap(self, text: str) -> str:
        return pseudo.transform(self.pseudo_id, text)

    def currency(self, amount, currency: str) -> str:
        return self._wrap(super().currency(amount, currency))

    def compact(self, number, fraction_digits: int = 1) -> str:
        return self._wrap(super().compact(number, fraction_digits))

    def date(self, value: dt.date, format: str = "long") -> str:
        return self._wrap(super().date(value, format))

    def date_in(self, value: dt.date, calendar: str, format: str = "long") -> str:
        return self._wrap(super().date_in(value, calendar, format))

    def calendar_name(self, calendar: str) -> str:
        return self._wrap(super().calendar_name(calendar))

    def numbering_name(self, system: str) -> str:
        return self._wrap(super().numbering_name(system))

    def datetime(self, value: dt.datetime) -> str:
        return self._wrap(super().datetime(value))

    def relative(self, delta: dt.timedelta, granularity: str = "second") -> str:
        return self._wrap(super().relative(delta, granularity))

    def list(self, items: Sequence[str], style: str = "standard") -> str:
        return self._wrap(super().list(items, style))

    def language(self, tag: str) -> str:
        return self._wrap(super().language(tag))

    def script(self, code: str) -> str:
        return self._wrap(super().script(code))

    def currency_name(self, code: str) -> str:
        return self._wrap(super().currency_name(code))

    def territory(self, code: str) -> str:
        return self._wrap(super().territory(code))


@functools.lru_cache(maxsize=4096)
def _format_list(items: tuple[str, ...], style: str, locale: str) -> str:
    # The same lists (the site's languages, a language's territories) recur on every page.
    return lists.format_list(list(items), style=style, locale=locale)


@functools.lru_cache(maxsize=16384)
def _display_name(tag: str, display: str) -> str:
    # Every page names languages (switcher, preferences, lists): parsing two
    # Babel locales per name each time was a visible share of a page's cost.
    try:
        name = babel.Locale.parse(tag.replace("-", "_")).get_display_name(display)
    except (ValueError, babel.UnknownLocaleError):
        name = None
    return name or tag
