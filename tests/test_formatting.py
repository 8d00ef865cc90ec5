"""Locale-aware formatting helpers: Babel's output, in each locale's CLDR default numbering system."""

from __future__ import annotations

import datetime as dt

import pytest

from website.i18n.formatting import Formatter

MOMENT = dt.datetime(2026, 11, 21, 14, 5, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize(
    ("locale", "decimal", "percent"),
    [
        ("en", "1,234,567.891", "26%"),
        ("fr", "1\u202f234\u202f567,891", "26\u00a0%"),
        ("de", "1.234.567,891", "26\u00a0%"),
        ("ru", "1\u00a0234\u00a0567,891", "26\u00a0%"),
        ("ar", "1,234,567.891", "26%"),
        ("fa", "۱٬۲۳۴٬۵۶۷٫۸۹۱", "۲۶%"),
    ],
)
def test_numbers(locale, decimal, percent):
    fmt = Formatter(locale)
    assert fmt.decimal(1234567.891) == decimal
    assert fmt.percent(0.256).replace("\u200e", "") == percent


def test_persian_dates_and_times_use_persian_digits():
    fmt = Formatter("fa")
    for text in (fmt.date(MOMENT.date()), fmt.datetime(MOMENT), fmt.relative(dt.timedelta(days=-3)),
                 fmt.currency(1234.5, "IRR"), fmt.compact(1234567)):
        assert not any(c in "0123456789" for c in text), text
        assert any(c in "۰۱۲۳۴۵۶۷۸۹" for c in text), text


@pytest.mark.parametrize(("locale", "digits"), [("bn", "০১২৩৪৫৬৭৮৯"), ("ar_EG", "٠١٢٣٤٥٦٧٨٩"), ("mr", "०१२३४५६७८९")])
def test_native_digits_where_cldr_makes_them_the_default(locale, digits):
    fmt = Formatter(locale)
    text = fmt.decimal(1234567890) + fmt.date(MOMENT.date())
    assert not any(c in "0123456789" for c in text), text
    assert set(digits) <= set(fmt.decimal(1234567890)), text


# ar: Latin digits are CLDR's default since CLDR 46 (Arabic-Indic is its native system).
@pytest.mark.parametrize("locale", ["en", "ar", "he", "ru", "ja"])
def test_other_locales_keep_latin_digits(locale):
    fmt = Formatter(locale)
    assert any(c in "0123456789" for c in fmt.date(MOMENT.date()) + fmt.decimal(42))
    assert not any(c in "۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩" for c in fmt.date(MOMENT.date()) + fmt.decimal(42))


def test_datetime_is_labelled_utc_and_naive_means_utc():
    fmt = Formatter("en")
    assert fmt.datetime(MOMENT) == "November 21, 2026, 2:05:00\u202fPM UTC"
    assert fmt.datetime(MOMENT.replace(tzinfo=None)) == fmt.datetime(MOMENT)
    assert Formatter("ru").datetime(MOMENT).endswith("UTC")


def test_relative_times():
    assert Formatter("en").relative(dt.timedelta(days=-3)) == "3 days ago"
    assert Formatter("en").relative(dt.timedelta(hours=2)) == "in 2 hours"
    assert Formatter("ru").relative(dt.timedelta(days=-3)) == "3 дня назад"


def test_lists_and_names():
    assert Formatter("en").list(["French", "German", "Russian"]) == "French, German, and Russian"
    assert Formatter("fr").list(["anglais", "russe"]) == "anglais et russe"
    assert Formatter("fr").language("pt-BR") == "portugais (Brésil)"
    assert Formatter("ru").territory("JP") == "Япония"
    assert Formatter("en").language("qqq") == "qqq"
    assert Formatter("en").territory("QQ") == "QQ"


def test_currency_and_compact():
    assert Formatter("fr").currency(1234.5, "EUR") == "1\u202f234,50\u00a0€"
    assert Formatter("en").compact(1234567) == "1.2M"


def test_decimals_keep_their_visible_fraction_digits():
    from decimal import Decimal

    assert Formatter("pl").decimal(Decimal("1.0")) == "1,0"
    assert Formatter("en").decimal(Decimal("2.50")) == "2.50"
    assert Formatter("en").decimal(Decimal("1234.5")) == "1,234.5"
    assert Formatter("fa").decimal(Decimal("1.5")) == "۱٫۵"
    assert Formatter("en").decimal(3) == "3"
