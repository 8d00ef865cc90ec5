"""The printf placeholder parser against the shared table, Python's ``%`` itself, and Babel.

The table (``tests/placeholder_cases.json``) is also run against the
browser's parser (``tests/test_browser_placeholders.py``).
"""

from __future__ import annotations

import json
import os
import pathlib

import pytest
from babel.messages.catalog import PYTHON_FORMAT
from hypothesis import given, settings, strategies as st

from website.i18n import placeholders
from website.i18n.markup import bdi, interpolate
from website.i18n.placeholders import PlaceholderError

CASES = json.loads((pathlib.Path(__file__).parent / "placeholder_cases.json").read_text(encoding="utf-8"))["cases"]
FAILURES = (TypeError, ValueError, KeyError, OverflowError)


class AnyName(dict):
    """A mapping with every key: each value is 1, which every conversion formats (``%c`` too)."""

    def __missing__(self, key):
        return 1


def formats(text: str, values) -> bool:
    try:
        text % values
    except FAILURES:
        return False
    return True


def outcome(text: str):
    try:
        return [spec.as_dict() for spec in placeholders.parse(text)]
    except PlaceholderError as error:
        return {"error": error.code, "at": error.at}


def assert_agrees_with_python(text: str) -> None:
    """The parser accepts ``text`` iff ``text % values`` succeeds for values that fit what it found."""
    try:
        specs = placeholders.parse(text)
    except PlaceholderError as error:
        # Whatever tuple of values: Python refuses it too.
        assert not any(formats(text, (1,) * count) for count in range(text.count("%") + 2)), (text, error)
        if error.code != "mixed":  # with a mapping Python formats the mapping itself into %s
            assert not formats(text, AnyName()), (text, error)
        return
    if any(spec.name is not None for spec in specs):
        assert formats(text, AnyName()), text
    else:
        assert formats(text, (1,) * sum(spec.values for spec in specs)), text
    # And the spans tile the placeholders: what lies between them has no %.
    position = 0
    for spec in specs:
        assert "%" not in text[position:spec.start] and text[spec.start:spec.span[1]] == spec.text
        position = spec.span[1]
    assert "%" not in text[position:]


@pytest.mark.parametrize("case", CASES, ids=[repr(c["text"]) for c in CASES])
def test_the_table(case):
    expected = case["specs"] if "specs" in case else {"error": case["error"], "at": case["at"]}
    assert outcome(case["text"]) == expected
    assert_agrees_with_python(case["text"])


def test_the_table_covers_every_rule():
    codes = {case.get("error") for case in CASES}
    assert codes >= {None, "incomplete", "incomplete-key", "unsupported", "mixed", "named-star", "too-big"}
    conversions = {spec["conversion"] for case in CASES for spec in case.get("specs", [])}
    assert conversions == set(placeholders.CONVERSIONS) | {"%"}
    assert {spec["length"] for case in CASES for spec in case.get("specs", [])} >= set(placeholders.LENGTHS)


def test_errors_say_where_and_why():
    with pytest.raises(PlaceholderError, match=r"at index 28: a lone %"):
        placeholders.parse("Page %(page)s sur %(pages)s %")
    with pytest.raises(PlaceholderError, match=r"unsupported conversion at index 2: 'z'"):
        placeholders.parse("… %z")
    with pytest.raises(PlaceholderError, match=r"mixed at index 6: %\(a\)s and %s"):
        placeholders.parse("%(a)s %s")


def test_babel_finds_the_same_placeholders_where_its_grammar_reaches():
    """Babel's PYTHON_FORMAT, the reference: one flag at most, word keys, digits after ".", no %a.

    Where a string stays inside that grammar, Babel and this parser find the
    same placeholders; the differences are Babel's (it reads "%5%" as a
    placeholder, which Python 3.11 refuses).
    """
    compared = 0
    for case in CASES:
        specs = case.get("specs")
        if not specs or any(len(s["flags"]) > 1 or s["conversion"] == "a" or s["precision"] == ""
                            or (s["name"] is not None and not s["name"].isidentifier()) for s in specs):
            continue
        found = [(m.start(), m.end()) for m in PYTHON_FORMAT.finditer(case["text"])]
        assert found == [tuple(s["span"]) for s in specs], case["text"]
        compared += 1
    assert compared >= 20
    assert PYTHON_FORMAT.fullmatch("%5%") and outcome("%5%") == {"error": "unsupported", "at": 0}


# -- generated format strings -------------------------------------------------

# Spelled out, not taken from the module under test (Python's grammar, Lib/test/test_format.py).
_CONVERSIONS = list("diouxXeEfFgGcrsa")
_FLAGS = list("#0- +")
_PIECES = st.sampled_from(["%", "%%", "(", ")", "(a)", "(a(b))", "()", "#", "0", "-", " ", "+", "*", ".",
                           "5", "12", "h", "l", "L", "z", "q", "\u0661", "\u2028", "a", "x", "é"]
                          + _CONVERSIONS)


@st.composite
def _specs(draw):
    """A placeholder built from the grammar's parts, each part sometimes out of place."""
    name = draw(st.sampled_from(["", "(count)", "(a b)", "(x(y))", "("]))
    flags = "".join(draw(st.lists(st.sampled_from(_FLAGS), max_size=3)))
    width = draw(st.sampled_from(["", "", "*", "3", "17", "\u0663"]))
    precision = draw(st.sampled_from(["", "", ".", ".*", ".2", ".10"]))
    length = draw(st.sampled_from(["", "", "h", "l", "L", "hh"]))
    conversion = draw(st.sampled_from(_CONVERSIONS + ["%", "z", "", "k"]))
    return "%" + name + flags + width + precision + length + conversion


FORMAT_STRINGS = st.lists(st.one_of(_PIECES, _specs(), st.text(max_size=3)), max_size=8).map("".join)


@settings(max_examples=int(os.environ.get("PLACEHOLDER_EXAMPLES", "600")), derandomize=True, deadline=None,
          database=None)
@given(FORMAT_STRINGS)
def test_accepts_exactly_what_python_formats(text):
    assert_agrees_with_python(text)


_VALUES = {"count": "<b>&amp;", "": "<i>", "a": bdi("x"), "a b": bdi("x"), "x(y)": bdi("x"), "a(b)": "<"}


@settings(max_examples=int(os.environ.get("PLACEHOLDER_EXAMPLES", "600")), derandomize=True, deadline=None,
          database=None)
@given(st.lists(st.one_of(_PIECES, _specs(), st.sampled_from(["<", ">", "&", "<b>"])), max_size=8).map("".join))
def test_interpolate_adds_no_markup_but_its_markup_values(text):
    """Whatever the translation, the only tags in the result are the Markup values', whole."""
    result = interpolate(text, **_VALUES)
    assert "<" not in result.replace("<bdi>x</bdi>", "")
