"""Choosing a language: Accept-Language parsing and tag matching, as tables."""

from __future__ import annotations

import pytest

from website.i18n.negotiation import best_match, negotiate, parse_accept_language

AVAILABLE = ("en", "fr", "ru", "ar", "de", "pt-BR", "zh-Hans", "he")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("fr", (("fr", 1.0),)),
        ("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5",
         (("fr-CH", 1.0), ("fr", 0.9), ("en", 0.8), ("de", 0.7))),
        # order by q, ties keep header order
        ("en;q=0.5, ru, de;q=0.5", (("ru", 1.0), ("en", 0.5), ("de", 0.5))),
        # q=0 means "not this one"
        ("en;q=0, ru", (("ru", 1.0),)),
        ("en;q=0.000", ()),
        # malformed q: the entry is skipped
        ("de;q=abc, ru;q=0.5", (("ru", 0.5),)),
        ("de;q=1.5", ()),
        ("de;q=inf", ()),
        ("de;q=nan", ()),
        ("de;q=-1", ()),
        ("de;q=0.1234", ()),
        ("de;q=", ()),
        ("de;q=٠.٥", ()),
        # q is found wherever it stands among the parameters
        ("de;level=1;q=0.3, ru;q=0.2", (("de", 0.3), ("ru", 0.2))),
        ("de; Q=0.3", (("de", 0.3),)),
        # "*" is no preference
        ("*", ()),
        ("*, fr;q=0.5", (("fr", 0.5),)),
        # case and separators are normalized
        ("PT_br", (("pt-BR", 1.0),)),
        ("zh-hant-tw", (("zh-Hant-TW", 1.0),)),
        # garbage
        ("", ()),
        (None, ()),
        (";;;", ()),
        (",,,", ()),
        ("../../etc", ()),
        ("en\x00ru", ()),
        ("<script>alert(1)</script>", ()),
        ("x" * 8192, ()),
        ("ru;q=0.5," * 1000, (("ru", 0.5),) * 32),
    ],
)
def test_parse_accept_language(header, expected):
    assert parse_accept_language(header) == expected


def test_parse_accept_language_cuts_long_headers_before_parsing():
    header = "de;q=0.1, " + " " * 600 + "ru"
    assert parse_accept_language(header) == (("de", 0.1),)


@pytest.mark.parametrize(
    ("preference", "expected"),
    [
        ("fr", "fr"),
        ("FR", "fr"),
        ("fr-FR", "fr"),
        ("fr_CA", "fr"),
        ("de-AT", "de"),
        ("de-CH", "de"),
        ("en-US", "en"),
        ("en-GB", "en"),
        # a bare language or another region finds the shipped regional variant
        ("pt", "pt-BR"),
        ("pt-PT", "pt-BR"),
        ("pt-br", "pt-BR"),
        ("pt_BR", "pt-BR"),
        # script subtags count
        ("zh", "zh-Hans"),
        ("zh-CN", "zh-Hans"),
        ("zh-SG", "zh-Hans"),
        ("zh-Hans", "zh-Hans"),
        ("zh-Hans-CN", "zh-Hans"),
        ("zh-TW", None),
        ("zh-HK", None),
        ("zh-MO", None),
        ("zh-Hant", None),
        ("zh-Hant-TW", None),
        # deprecated codes
        ("iw", "he"),
        ("iw-IL", "he"),
        ("he-IL", "he"),
        # not offered, or not a tag
        ("es", None),
        ("sr-Latn", None),
        ("", None),
        ("*", None),
        ("../../etc", None),
        ("ru\n", "ru"),
        ("r\x00u", None),
        ("x" * 100, None),
        ("ru-" + "a" * 70, None),
    ],
)
def test_best_match(preference, expected):
    assert best_match(preference, AVAILABLE) == expected


def test_best_match_prefers_same_region_then_no_region():
    assert best_match("de-CH", ("de", "de-CH", "de-AT")) == "de-CH"
    assert best_match("de-LU", ("de-AT", "de", "de-CH")) == "de"
    assert best_match("pt", ("pt-PT", "pt-BR")) == "pt-BR"  # likely region of pt


@pytest.mark.parametrize(
    ("preferences", "expected"),
    [
        # Traditional Chinese moves on to the next preference, never to zh-Hans
        (["zh-TW", "en"], "en"),
        (["zh-TW", "zh-CN"], "zh-Hans"),
        (["xx", "garbage!", "ru"], "ru"),
        (["es", "it"], None),
        ([], None),
    ],
)
def test_negotiate_first_satisfiable_preference_wins(preferences, expected):
    assert negotiate(preferences, AVAILABLE) == expected
