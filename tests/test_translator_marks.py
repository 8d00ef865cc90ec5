"""Markers in a rendered page become HTML, and no marker character survives (website.i18n.translator_marks)."""

from __future__ import annotations

import gettext
import re

import pytest

from website.i18n import translator_marks
from website.i18n.translator_marks import Marks, MarkingLocale, apply
from website.i18n.translation import CldrLocale
from website.workspace.po_store import entry_id

ANY_MARKER = re.compile("[\ufff9-\ufffb\u2061-\u2064]")


def render(template: str, **strings: str) -> tuple[str, list[dict], Marks]:
    """``template`` with {name} replaced by marked strings whose entry id is the name."""
    marks = Marks()
    html = template.format(**{name: marks.wrap(text, name) for name, text in strings.items()})
    page, panel = apply(html, marks)
    assert not ANY_MARKER.search(page)
    return page, panel, marks


@pytest.mark.parametrize(("template", "strings", "expected"), [
    ("<p>{a}</p>", {"a": "Hi"}, '<p><span data-tid="a" data-tk="0">Hi</span></p>'),
    # Escaped text stays escaped.
    ("<p>{a}</p>", {"a": "a &amp; &lt;b&gt;"}, '<p><span data-tid="a" data-tk="0">a &amp; &lt;b&gt;</span></p>'),
    # Attributes: stripped, named on the element.
    ('<nav aria-label="{a}"><img alt="{b}"/></nav>', {"a": "Main", "b": "Logo"},
     '<nav aria-label="Main" data-tid-attr="aria-label=a"><img alt="Logo" data-tid-attr="alt=b"/></nav>'),
    ('<input placeholder="{a}" value="{b}">', {"a": "Find", "b": "Go"},
     '<input placeholder="Find" value="Go" data-tid-attr="placeholder=a value=b">'),
    # No span where a span cannot go.
    ("<select><option>{a}</option></select>", {"a": "One"}, "<select><option>One</option></select>"),
    ("<textarea>{a}</textarea>", {"a": "Text"}, "<textarea>Text</textarea>"),
])
def test_markers_become_html(template, strings, expected):
    page, _panel, _marks = render(template, **strings)
    assert page == expected


def test_title_and_head_go_to_the_panel():
    page, panel, marks = render('<html><head><title>{a} · {b}</title><meta name="description" content="{c}">'
                            "</head><body><p>{d}</p></body></html>", a="Languages", b="Site", c="About", d="Body")
    assert "<title>Languages · Site</title>" in page
    assert [(p["id"], p["where"]) for p in panel] == [("a", "title"), ("b", "title"), ("c", "content")]
    assert panel[0]["text"] == "Languages · Site"
    assert marks.title == [{"tk": 0, "text": "Languages"}, {"tk": None, "text": " · "}, {"tk": 1, "text": "Site"}]
    assert translator_marks.describe(marks)[0]["args"] == {}
    assert '<span data-tid="d"' in page


def test_nested_markers_nest_spans_and_placeholder_values_are_found():
    marks = Marks()
    inner = marks.wrap("Русский", "inner")
    outer = marks.wrap("Read in %(language)s", "outer") % {"language": inner}
    page, _ = apply(f"<p>{outer}</p>", marks)
    assert page == ('<p><span data-tid="outer" data-tk="1">Read in '
                    '<span data-tid="inner" data-tk="0">Русский</span></span></p>')
    count = marks.wrap("%(count)s языков", "count", form=2) % {"count": "1 234"}
    page, _ = apply(f"<p>{count}</p>", marks)
    assert translator_marks.describe(marks)[2] == {"id": "count", "form": 2, "args": {"count": "1 234"}}


def test_a_broken_marker_never_breaks_the_page():
    marks = Marks()
    text = marks.wrap("Hi", "a")
    page, _ = apply(f"<p>{text[:-1]}</p><p>x\ufffb</p>", marks)  # END lost, stray END
    assert not ANY_MARKER.search(page) and page.count("<span") == page.count("</span>")


def test_marking_locale_ids_are_the_workspace_ids():
    translations = gettext.NullTranslations()
    marks = Marks()
    locale = MarkingLocale(CldrLocale("ru", translations), marks)
    locale.translate("Hello")
    locale.pgettext("navigation", "Home")
    locale.translate("%(count)s item", "%(count)s items", 5)
    assert [row[0] for row in marks.rows] == [entry_id(None, "Hello"), entry_id("navigation", "Home"),
                                              entry_id(None, "%(count)s item")]
    assert locale.code == "ru"  # everything else is the wrapped locale's


def test_contains_marker():
    assert translator_marks.contains_marker("a\ufffab") and not translator_marks.contains_marker("Привет ‌ zwnj")
