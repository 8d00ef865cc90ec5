"""Plural-Forms headers against CLDR, and the plural forms of the shipped catalogs."""

from __future__ import annotations

import pathlib

import polib
import pytest

from website.i18n import plural_forms

LOCALE_DIR = pathlib.Path(__file__).resolve().parents[1] / "locale"
SHIPPED_PO = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/messages.po"))


@pytest.mark.parametrize("gettext_id", sorted(plural_forms.PLURAL_FORMS))
def test_every_override_agrees_with_cldr(gettext_id):
    assert plural_forms.header_mismatches(plural_forms.plural_forms(gettext_id), gettext_id) == []


@pytest.mark.parametrize("path", SHIPPED_PO, ids=lambda p: p.parent.parent.name)
def test_shipped_catalog_header_agrees_with_cldr(path):
    catalog = polib.pofile(str(path))
    gettext_id = path.parent.parent.name
    header = catalog.metadata.get("Plural-Forms", "")
    assert plural_forms.header_mismatches(header, gettext_id) == []


@pytest.mark.parametrize("path", SHIPPED_PO, ids=lambda p: p.parent.parent.name)
def test_shipped_plural_entries_have_exactly_nplurals_forms(path):
    # Every form translated, or none yet (a new string waits for its translator).
    catalog = polib.pofile(str(path))
    nplurals, _ = plural_forms.parse_header(catalog.metadata["Plural-Forms"])
    for entry in catalog:
        if entry.msgid_plural and not entry.obsolete:
            assert sorted(entry.msgstr_plural) == list(range(nplurals)), entry.msgid
            filled = [bool(text) for text in entry.msgstr_plural.values()]
            assert all(filled) or not any(filled), f"some plural forms empty: {entry.msgid}"


@pytest.mark.parametrize("gettext_id", sorted(plural_forms.PLURAL_FORMS))
def test_every_override_agrees_with_cldr(gettext_id, record_property):
    # True for any Babel release: an override exists because Babel's table
    # disagreed with CLDR, and it must itself be right. A Babel that now
    # agrees (2.19 fixed ar, he, fa, fr, es, pt) makes the override redundant,
    # never wrong: it is recorded, and may be dropped, but nothing fails.
    from babel.messages.plurals import get_plural

    assert plural_forms.header_mismatches(plural_forms.PLURAL_FORMS[gettext_id], gettext_id) == []
    babel_plural = get_plural(gettext_id)
    babel_header = f"nplurals={babel_plural.num_plurals}; plural={babel_plural.plural_expr};"
    record_property("override_still_needed", plural_forms.header_mismatches(babel_header, gettext_id) != [])


@pytest.mark.parametrize(
    ("gettext_id", "numbers_and_forms"),
    [
        ("ar", {0: 0, 1: 1, 2: 2, 3: 3, 10: 3, 11: 4, 99: 4, 100: 5, 101: 5, 102: 5, 103: 3, 111: 4}),
        ("ru", {0: 2, 1: 0, 2: 1, 5: 2, 11: 2, 21: 0, 22: 1, 25: 2, 111: 2}),
        ("fr", {0: 0, 1: 0, 2: 2, 1000: 2, 1000000: 1}),
        ("he", {1: 0, 2: 1, 3: 2, 20: 2}),
        ("fa", {0: 0, 1: 0, 2: 1}),
    ],
)
def test_forms_for_known_numbers(gettext_id, numbers_and_forms):
    _, function = plural_forms.parse_header(plural_forms.plural_forms(gettext_id))
    assert {n: function(n) for n in numbers_and_forms} == numbers_and_forms


@pytest.mark.parametrize(
    "header",
    ["", "nplurals=2", "plural=(n != 1);", "nplurals=x; plural=(n != 1);",
     "nplurals=2; plural=(n != 1", "nplurals=2; plural=(import os);", "nplurals=0; plural=0;"],
)
def test_malformed_header_is_a_clear_error(header):
    with pytest.raises(ValueError):
        plural_forms.parse_header(header)


def test_a_wrong_header_is_described():
    problems = plural_forms.header_mismatches("nplurals=2; plural=(n != 1);", "ru")
    assert problems[0].startswith("nplurals=2, but CLDR has 3 integer categories")
