"""BCP 47 tags and gettext ids: the one mapping between them."""

from __future__ import annotations

import pytest

from website.i18n import tags


@pytest.mark.parametrize(
    ("value", "canonical", "gettext_id"),
    [
        ("en", "en", "en"),
        ("pt-BR", "pt-BR", "pt_BR"),
        ("pt_br", "pt-BR", "pt_BR"),
        ("ZH-hans", "zh-Hans", "zh_Hans"),
        ("zh-Hant-TW", "zh-Hant-TW", "zh_Hant_TW"),
        ("es-419", "es-419", "es_419"),
        ("iw", "he", "he"),
        ("in", "id", "id"),
        ("sh", "sr-Latn", "sr_Latn"),
        ("de-DE-1996", "de-DE", "de_DE"),
        ("", None, None),
        ("e", None, None),
        ("und", None, None),
        ("en--US", None, None),
        ("../../etc", None, None),
        ("en US", None, None),
        ("ру", None, None),
        ("x" * 100, None, None),
    ],
)
def test_normalize_and_gettext_id(value, canonical, gettext_id):
    assert tags.normalize(value) == canonical
    assert tags.to_gettext_id(value) == gettext_id


@pytest.mark.parametrize(
    ("value", "maximized"),
    [
        ("zh", ("zh", "Hans", "CN")),
        ("zh-TW", ("zh", "Hant", "TW")),
        ("zh-HK", ("zh", "Hant", "HK")),
        ("zh-SG", ("zh", "Hans", "SG")),
        ("pt", ("pt", "Latn", "BR")),
        ("sr", ("sr", "Cyrl", "RS")),
        ("sr-ME", ("sr", "Latn", "ME")),
        ("qq", ("qq", None, None)),
    ],
)
def test_maximize(value, maximized):
    assert tags.maximize(value) == maximized


def test_round_trip_between_tag_and_gettext_id():
    for tag in ("en", "fr", "pt-BR", "zh-Hans", "sr-Latn-RS"):
        assert tags.from_gettext_id(tags.to_gettext_id(tag)) == tag
