"""The Babel extractor for Tornado templates, through Babel's own extract()."""

from __future__ import annotations

import io
import pathlib

import pytest
import tornado
from babel.messages.extract import extract
from babel.messages.frontend import parse_keywords
from tornado.template import ParseError

from website.toolchain.extract import extract_tornado

DATA = pathlib.Path(__file__).parent / "data" / "templates"


def _keywords():
    # The same specs as the Makefile's `make extract`.
    return parse_keywords(["_:1,1t", "_:1,2,3t", "pgettext:1c,2,2t", "pgettext:1c,2,3,4t"])


def _extract(text: str):
    return list(
        extract(
            extract_tornado,
            io.BytesIO(text.encode("utf-8")),
            keywords=_keywords(),
            comment_tags=("Translators:",),
        )
    )


def test_every_construct():
    found = _extract((DATA / "every_construct.html").read_text("utf-8"))
    # (line, message, comments, context)
    assert [(m[0], m[1], m[2], m[3]) for m in found] == [
        (2, "Title in a block", [], None),
        (5, "Hello", ["Translators: greets the visitor."], None),
        (7, "Plain comment does not travel", [], None),
        (8, ("%(count)s apple", "%(count)s apples"), [], None),
        (9, "Raw <b>text</b>", [], None),
        (10, "Orange", [], "fruit"),
        (11, ("%(count)s orange", "%(count)s oranges"), [], "fruit"),
        (12, "In an if", [], None),
        (13, "In a for", [], None),
        (14, "In an elif", [], None),
        (16, "In a module", [], None),
        (17, "Inside apply", [], None),
        (19, "Starts on the next line", [], None),
        (25, "After a long comment", ["Translators: a comment over several lines."], None),
    ]


def test_comment_on_the_same_line():
    found = _extract('{# Translators: short #}{{ _("Yes") }}')
    assert found[0][1:3] == ("Yes", ["Translators: short"])


def test_comment_too_far_away_is_not_attached():
    found = _extract('{# Translators: lost #}\n\n{{ _("Far") }}')
    assert found[0][2] == []


def test_one_argument_and_three_argument_underscore_both_found():
    # The field-notes trap: `-k _:1,2` alone would drop the singular call.
    found = _extract('{{ _("one") }} {{ _("s", "p", n) }}')
    assert [m[1] for m in found] == ["one", ("s", "p")]


def test_syntax_error_names_file_and_line():
    fileobj = io.BytesIO(b'line\n{% if x %}\n{{ _("never closed") }}\n')
    fileobj.name = "broken.html"
    with pytest.raises(ParseError, match="broken.html"):
        list(extract_tornado(fileobj, _keywords(), (), {}))


def test_tornado_version_is_in_the_tested_range():
    # extract.py relies on tornado.template's private parser: pyproject.toml
    # pins the range this test runs against.
    major, minor = tornado.version_info[:2]
    assert (6, 4) <= (major, minor) < (6, 7)
