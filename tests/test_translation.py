"""Plural choice for integers and fractions, through CldrLocale and real catalogs."""

from __future__ import annotations

import gettext
import io
from decimal import Decimal

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from website.i18n import plural_forms
from website.i18n.translation import CldrLocale

SINGULAR, PLURAL = "%(count)s item", "%(count)s items"


def make_locale(gettext_id: str, forms: list[str], fraction: str | None = None) -> CldrLocale:
    """A locale over a real compiled catalog with one plural message."""
    catalog = Catalog(locale=gettext_id)
    nplurals, _ = plural_forms.parse_header(plural_forms.plural_forms(gettext_id))
    catalog._num_plurals = nplurals  # the project's CLDR header, not Babel's table
    catalog._plural_expr = plural_forms.plural_forms(gettext_id).split("plural=")[1].rstrip(";")
    catalog.add((SINGULAR, PLURAL), tuple(forms))
    if fraction:
        catalog.add(PLURAL, fraction, context="fraction")
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return CldrLocale(gettext_id.replace("_", "-"), gettext.GNUTranslations(buffer))


@pytest.fixture(scope="module")
def ru():
    return make_locale("ru", ["ONE", "FEW", "MANY"], fraction="FRACTION")


@pytest.mark.parametrize(
    ("count", "form"),
    [(0, "MANY"), (1, "ONE"), (2, "FEW"), (3, "FEW"), (5, "MANY"), (11, "MANY"), (21, "ONE"),
     (22, "FEW"), (101, "ONE"), (111, "MANY"), (Decimal("1.5"), "FRACTION"), (1.5, "FRACTION"),
     (Decimal("1.0"), "FRACTION"), (2.0, "FRACTION")],
)
def test_russian(ru, count, form):
    assert ru.translate(SINGULAR, PLURAL, count) == form


@pytest.mark.parametrize(
    ("count", "form"),
    [(0, "ONE"), (1, "ONE"), (2, "OTHER"), (1000000, "MANY"), (Decimal("1.5"), "ONE"), (2.5, "OTHER")],
)
def test_french_fractions_below_two_are_singular(count, form):
    fr = make_locale("fr", ["ONE", "MANY", "OTHER"])
    assert fr.translate(SINGULAR, PLURAL, count) == form


def test_arabic_fraction_takes_other():
    ar = make_locale("ar", ["ZERO", "ONE", "TWO", "FEW", "MANY", "OTHER"])
    got = {n: ar.translate(SINGULAR, PLURAL, n) for n in (0, 1, 2, 3, 11, 100, 101, Decimal("1.5"))}
    assert got == {0: "ZERO", 1: "ONE", 2: "TWO", 3: "FEW", 11: "MANY", 100: "OTHER", 101: "OTHER",
                   Decimal("1.5"): "OTHER"}


def test_untranslated_fraction_falls_back_to_a_plural_form():
    ru = make_locale("ru", ["ONE", "FEW", "MANY"])
    assert ru.translate(SINGULAR, PLURAL, 1.5) == "FEW"


def test_pgettext_with_counts():
    ru = make_locale("ru", ["ONE", "FEW", "MANY"])
    # no entry with this context: Tornado falls back to the context-free message
    assert ru.pgettext("ctx", SINGULAR, PLURAL, 21) == "ONE"


def test_count_must_be_a_number(ru):
    with pytest.raises(TypeError):
        ru.translate(SINGULAR, PLURAL, "3")
