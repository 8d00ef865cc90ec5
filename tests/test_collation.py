"""ICU's part: orders per locale, search at primary strength, calendars, numbering, characters.

These call the functions directly, so they hold whichever locales are shipped
(Swedish is not, and is tested all the same).
"""

from __future__ import annotations

import datetime as dt
import time

import unicodedata

import pytest

from website import directory
from website.i18n import calendars, latin_folding, locale_data, tags
from website.i18n.formatting import Formatter

from search_table import SEARCHES

NOV_21 = dt.date(2026, 11, 21)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        # pinyin: a, de, fa, ying, zhong
        ("zh_Hans", ["阿拉伯语", "德语", "法语", "英语", "中文"]),
        # kana in gojūon order, then kanji
        ("ja", ["アラビア語", "ドイツ語", "フランス語", "英語", "中国語"]),
        # German: umlauts sort with their base letter
        ("de", ["Apfel", "Äpfel", "Bär", "Ofen", "Öl", "Zucker"]),
        # Swedish: å ä ö are letters after z
        ("sv", ["apa", "zebra", "ål", "äpple", "öl"]),
        # Spanish: ñ after n
        ("es", ["nata", "nube", "ñandú", "oso"]),
        # Polish: ł after l, ś after s
        ("pl", ["kot", "lody", "łódź", "mama", "sok", "śliwka", "tata"]),
    ],
)
def test_known_orders(locale, expected):
    shuffled = list(reversed(expected))
    assert locale_data.collate(locale, shuffled) == expected


def test_the_same_words_sort_differently_by_locale():
    words = ["öl", "ol", "zebra"]
    assert locale_data.collate("de", words) == ["ol", "öl", "zebra"]
    assert locale_data.collate("sv", words) == ["ol", "zebra", "öl"]


def test_chinese_directory_is_in_pinyin_order():
    names = [entry.name for entry in directory.entries("zh_Hans") if entry.named]
    assert names[0].startswith("阿")  # a
    # the code-point order put 上索布语, 下索布语, 世界语 first
    assert names.index("阿拉伯语") < names.index("德语") < names.index("法语") < names.index("中文")
    assert names.index("上索布语") > names.index("法语")
    # every neighbour pair is in ICU's order
    key = locale_data.sort_key("zh_Hans")
    assert all(key(a) <= key(b) for a, b in zip(names, names[1:]))


def test_swedish_directory_ends_with_its_own_letters():
    named = [entry.name for entry in directory.entries("sv") if entry.named]
    key = locale_data.sort_key("sv")
    assert all(key(a) <= key(b) for a, b in zip(named, named[1:]))
    # languages CLDR cannot name in Swedish go last, under their endonym
    listing = directory.entries("sv")
    assert [entry.named for entry in listing] == sorted((entry.named for entry in listing), reverse=True)


def test_sort_keys_are_built_once_per_locale():
    assert directory.entries("pl") is directory.entries("pl")
    assert locale_data.sort_key("pl").__self__ is locale_data.sort_key("pl").__self__


@pytest.mark.parametrize(("locale", "query", "found", "not_found"), SEARCHES)
def test_search_table_on_the_server(locale, query, found, not_found):
    result = {entry.tag for entry in directory.search(directory.entries(tags.to_gettext_id(locale)), query)}
    assert found <= result, (locale, query, result)
    assert not (not_found & result), (locale, query, result)


def test_search_folding_is_primary_strength():
    fold = locale_data.search_folding("fr").fold
    assert fold("Ｆrançais") == fold("FRANCAIS") == fold("fran\u0063\u0327ais")
    assert fold("\u05e2\u05b4\u05d1\u05b0\u05e8\u05b4\u05d9\u05ea") == fold("עברית")
    assert fold("\u0301\u0301") == ""
    # outside the corpus, distinct letters stay distinct
    assert fold("q") != fold("k")


@pytest.mark.parametrize(
    "query",
    [
        "\ud800",  # an unpaired surrogate (what a broken client could put in a str)
        "a" + "\u0301" * 5000,  # a flood of combining marks
        "é" * 100_000,  # 100 KB of text
        "fr中文ру" * 20_000,  # mixed scripts
    ],
)
def test_bad_queries_cost_bounded_work(query):
    listing = directory.entries("en")
    start = time.perf_counter()
    result = directory.search(listing, query)
    # the same result as for the query cut to MAX_QUERY_LENGTH: nothing beyond it is looked at
    assert result == directory.search(listing, query[: directory.MAX_QUERY_LENGTH])
    assert time.perf_counter() - start < 5  # a guard against a hang, not a speed target


def test_fa_dates_are_persian_with_persian_digits():
    fmt = Formatter("fa")
    assert fmt.calendar == "persian"
    assert fmt.date(NOV_21) == "۳۰ آبان ۱۴۰۵"
    assert "۱۴۰۵" in fmt.date(NOV_21, format="full") and "آبان" in fmt.date(NOV_21, format="full")
    assert "۱۴۰۵" in fmt.datetime(dt.datetime(2026, 11, 21, 14, 5))
    # 30 Aban 1405, also in English
    assert calendars.format_date(NOV_21, "en", "latn", calendar="persian") == "Aban 30, 1405 AP"


def test_locales_with_a_gregorian_default_keep_babels_dates():
    assert Formatter("en").date(NOV_21) == "November 21, 2026"
    assert Formatter("th").date(NOV_21) == "21 พฤศจิกายน 2569"  # Buddhist era


def test_arabic_follows_cldrs_default_numbering_everywhere_on_the_page():
    # Babel's CLDR (46+) has Latin digits for ar and Arabic-Indic for ar_EG, ICU 72 (CLDR 42)
    # Arabic-Indic for both: the site follows Babel's, and tells ICU.
    ar, eg = Formatter("ar"), Formatter("ar_EG")
    assert ar.numbering_system == "latn" and eg.numbering_system == "arab"
    assert ar.decimal(1234) == "1,234" and eg.decimal(1234) == "١٬٢٣٤"
    assert ar.date_in(NOV_21, "islamic-umalqura").startswith("11 ")
    assert "١١" in eg.date_in(NOV_21, "islamic-umalqura")
    assert eg.date(NOV_21) == "٢١ نوفمبر ٢٠٢٦"


@pytest.mark.parametrize(
    ("tag", "calendars"),
    [
        ("fa", ("persian", "gregorian")),
        ("he", ("gregorian", "hebrew")),
        ("ja", ("gregorian", "japanese")),
        ("th", ("buddhist", "gregorian")),
        ("en", ("gregorian",)),
    ],
)
def test_language_calendars(tag, calendars):
    assert directory.details(tag).calendars == calendars


def test_arabic_calendars_include_the_islamic_ones_its_territories_prefer():
    calendars = directory.details("ar").calendars
    assert calendars[0] == "gregorian"
    assert {"islamic", "islamic-umalqura"} <= set(calendars)
    assert "hebrew" not in calendars


def test_numbering_systems_and_characters():
    ar, fa, sv = directory.details("ar"), directory.details("fa"), directory.details("sv")
    assert (ar.numbering, ar.native_numbering) == ("latn", "arab")
    assert fa.numbering == "arabext"
    assert locale_data.numbering_digits("arab") == "٠١٢٣٤٥٦٧٨٩"
    assert sv.characters[-3:] == ("å", "ä", "ö")
    assert "ł" in directory.details("pl").characters
    zh = directory.details("zh-Hans").characters
    assert zh[0] == "阿" and len(zh) > 1000


def test_names_of_calendars_and_digits():
    assert calendars.calendar_name("hebrew", "fr") == "calendrier hébraïque"
    assert locale_data.numbering_name("arabext", "en") == "Extended Arabic-Indic Digits"


def test_cldr_versions_are_known():
    assert int(locale_data.BABEL_CLDR_VERSION.split(".")[0]) >= 42
    # ICU n carries CLDR n - 30 (ICU 72: CLDR 42, ICU 77: CLDR 47): read through ICU's C API
    assert int(locale_data.ICU_CLDR_VERSION.split(".")[0]) == int(locale_data.ICU_VERSION.split(".")[0]) - 30
    assert f"CLDR {locale_data.ICU_CLDR_VERSION}" in locale_data.__doc__


def test_every_language_page_calendar_writes_a_real_date():
    # ICU 72 has no Ethiopic or Coptic era names in most locales ("ERA1"): never shown.
    problems = []
    for entry in directory.entries("en"):
        details = directory.details(entry.tag)
        sample = Formatter(details.locale)
        for calendar in details.calendars:
            text = sample.date_in(NOV_21, calendar, "full")
            # (Hebrew dates count in letters: י״א בכסלו תשפ״ז)
            if "ERA" in text or len(text) < 8:
                problems.append((entry.tag, calendar, text))
    assert problems == []
    assert "ኅዳር" in Formatter("am").date_in(NOV_21, "ethiopic", "full")


def _queries(listing) -> list[str]:
    """Queries people type: pieces of the directory's own names, with and without accents."""
    names = [text for entry in listing[::23] for text in (entry.name, entry.endonym)]
    pieces = [name[start:start + length] for name in names for start, length in ((0, 3), (1, 5), (0, 40))]
    stripped = ["".join(c for c in unicodedata.normalize("NFD", p) if not unicodedata.combining(c)) for p in pieces]
    return [q for q in dict.fromkeys(pieces + stripped + ["ss", "ae", "lacinski", "a"]) if q.strip()]


@pytest.mark.parametrize("locale", ["pl", "de", "es", "ja", "ar", "he"])
def test_folded_matches_add_to_primary_ones_and_rank_after_them(locale):
    listing = directory.entries(locale)
    order = {entry.tag: position for position, entry in enumerate(listing)}
    for query in _queries(listing):
        found = directory.search(listing, query)
        needle = listing.folding.fold(query.strip())
        primary = [entry for entry in listing if needle in entry.search_text]
        # every match the collator finds is still found, first, in the directory's order
        # (after the names equal to the query)
        head = found[:len(primary)]
        assert {e.tag for e in head} == {e.tag for e in primary}, (locale, query)
        exact = [e for e in head if needle in e.search_text.split("\n")]
        assert list(head[:len(exact)]) == exact, (locale, query)
        rest = head[len(exact):]
        assert [order[e.tag] for e in rest] == sorted(order[e.tag] for e in rest), (locale, query)
        # what follows matches only folded to Latin ASCII, and is never a duplicate
        latin = latin_folding.query_key(query.strip())
        assert all(latin and latin in e.latin_text for e in found[len(primary):]), (locale, query)
        assert len({e.tag for e in found}) == len(found)


def test_latin_keys_are_ascii_letters_and_digits():
    for entry in directory.entries("ru"):
        assert all(key and key.isascii() and key.isalnum() and key == key.lower()
                   for key in entry.latin_text.split("\n")), entry.tag


def test_the_query_table_folds_what_people_type():
    table = latin_folding.query_table()
    # letters of their own, not accented letters, need the table
    assert {table[c] for c in "ßæœøłđþ"} == {"ss", "ae", "oe", "o", "l", "d", "th"}
    assert "é" not in table and latin_folding.query_key("É") == "e"
    # a letter no table entry romanizes stays itself, so it matches no key
    assert latin_folding.query_key("中") == "中" and latin_folding.query_key("¿Qué?") == "que"
