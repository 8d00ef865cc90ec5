"""Guards for :mod:`website.library_internals`: each private use, against the installed release.

Each test fails with a message that names the use when a release of gettext,
Tornado or Babel changes what the site relies on (``make test-latest`` runs
them against the newest releases).
"""

from __future__ import annotations

import gc
import gettext
import io
import re
from pathlib import Path

import pytest
from babel.messages import catalog as babel_catalog
from babel.messages import mofile

from website import library_internals

SITE = Path(__file__).resolve().parent.parent / "site"


def _mo(messages: dict) -> bytes:
    catalog = babel_catalog.Catalog(locale="ru")
    for msgid, text in messages.items():
        catalog.add(msgid, text)
    buffer = io.BytesIO()
    mofile.write_mo(buffer, catalog)
    return buffer.getvalue()


def test_read_mo_reads_every_message_and_shares_msgids():
    data = _mo({"Hello": "Привет", ("%(n)s page", "%(n)s pages"): ("%(n)s страница", "%(n)s страницы", "%(n)s страниц")})
    shared: dict = {}
    first = library_internals.read_mo(io.BytesIO(data), shared)
    second = library_internals.read_mo(io.BytesIO(data), shared)
    assert first.gettext("Hello") == "Привет"
    assert first.ngettext("%(n)s page", "%(n)s pages", 5) == "%(n)s страниц"
    table, other = library_internals.messages(first), library_internals.messages(second)
    assert table["Hello"] == "Привет" and table[("%(n)s page", 1)] == "%(n)s страницы"
    # One string object per msgid across both catalogs.
    key = next(k for k in table if k == "Hello")
    assert next(k for k in other if k == "Hello") is key


def test_read_mo_keeps_the_table_out_of_the_garbage_collectors_sight():
    translations = library_internals.read_mo(io.BytesIO(_mo({"a": "b", ("c", "d"): ("e", "f", "g")})))
    (table,) = gc.get_referents(library_internals.messages(translations))
    assert not gc.is_tracked(table)


def test_messages_is_read_only_and_empty_for_the_source():
    assert dict(library_internals.messages(gettext.NullTranslations())) == {}
    translations = library_internals.read_mo(io.BytesIO(_mo({"a": "b"})))
    with pytest.raises(TypeError):
        library_internals.messages(translations)["a"] = "changed"


def test_a_changed_gettext_is_named():
    class Changed(gettext.NullTranslations):
        pass  # a translations class that keeps no _catalog: what a new gettext might be

    with pytest.raises(library_internals.LibraryChanged, match=r"messages: gettext\.GNUTranslations\._catalog"):
        library_internals.messages(Changed())


@pytest.mark.parametrize(("expression", "numbers", "forms"), [
    ("n != 1", (0, 1, 2), (1, 0, 1)),
    ("n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2", (1, 2, 5, 11, 21, 22), (0, 1, 2, 2, 0, 1)),
])
def test_plural_function_compiles_as_gettext_does(expression, numbers, forms):
    function = library_internals.plural_function(expression)
    assert tuple(function(n) for n in numbers) == forms


@pytest.mark.parametrize("expression", ["import os", "n;1", "(n==1", "__import__('os')"])
def test_plural_function_refuses_what_gettext_refuses(expression):
    with pytest.raises((ValueError, SyntaxError)):
        library_internals.plural_function(expression)


def test_template_code_finds_every_kind_of_code_with_its_line():
    text = """{% extends "base.html" %}
{% block body %}
<p>{{ _("One") }}</p>
{% raw _("Two") %}
{% set x = _("Three") %}
{% if x %}a{% elif _("Four") %}b{% end %}
{% for y in [_("Five")] %}{% end %}
{% module Template("t.html", label=_("Six")) %}
{% apply translate %}Seven{% end %}
{% end %}
"""
    found = list(library_internals.template_code("t.html", text))
    by_text = {code: line for line, code in found}
    for word, line in [("One", 3), ("Two", 4), ("Three", 5), ("Four", 6), ("Five", 7), ("Six", 8)]:
        assert any(f'_("{word}")' in code and by_text[code] == line for code in by_text), word
    assert any(code.startswith('Template("t.html"') for code in by_text)  # no _tt_modules. prefix
    assert ("translate" in by_text) and by_text["translate"] == 9


def test_template_code_reports_syntax_errors_with_the_line():
    import tornado.template

    with pytest.raises(tornado.template.ParseError, match="t.html:2"):
        list(library_internals.template_code("t.html", "ok\n{% if x %}never closed"))


def test_no_private_use_outside_the_isolating_module():
    # The names the lock issue listed, and any private attribute of a
    # library module; our own objects' _names are ours.
    listed = re.compile(r"_OneMessage|localedata\._cache|\._catalog\b|_write_buffer|\._finished\b"
                        r"|\._status_code\b|\._headers\b|\._reason\b|\._request_summary\b")
    library = re.compile(r"\b(gettext|babel|localedata|tornado\.\w+|tornado_template|polib|icu)\._[a-z]\w*")
    offenders = []
    for path in (SITE / "website").rglob("*.py"):
        if path.name == "library_internals.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
            code = line.split("#", 1)[0]
            if "``" in code:  # docstrings may name them, saying why not
                continue
            if listed.search(code) or library.search(code):
                offenders.append(f"{path.relative_to(SITE)}:{number}: {line.strip()}")
    assert offenders == []
