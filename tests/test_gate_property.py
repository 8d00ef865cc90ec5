"""The catalog gate's invariant over generated translations, against the real check and renderer.

For every translation the entry checks accept, rendering it as the pages do
(:func:`website.i18n.markup.interpolate`, markup values) yields no element,
attribute or entity that the source's rendering lacks. Translations are
built from format specs (every flag, width, precision, length modifier and
conversion Python knows, and a few it does not), markup fragments and
control characters. ``make test`` runs a bounded, derandomized profile
(tests/conftest.py); ``make fuzz`` runs many more examples.
"""

from __future__ import annotations

import collections
import html.parser

import polib
import pytest
from hypothesis import given, note, strategies as st

from website.i18n import placeholders
from website.i18n.markup import Markup, bdi, code, interpolate, link
from website.toolchain.checks import ERROR, check_entry

# Sources as the templates write them, each with markup values for some names.
SOURCES = {
    "You are reading this page in %(language)s.": {"language": bdi("français", lang="fr")},
    "Send your work to %(contact)s.": {"contact": link("mailto:t@example.org", "t@example.org")},
    "Download %(file)s and open it.": {"file": link("/translations/messages.pot", code("messages.pot"))},
    "Page %(page)s of %(pages)s": {"page": "3", "pages": "<12>"},
    "%(count)s of %(language)s & 100%%": {"count": "7", "language": bdi("עברית", lang="he")},
}
NAMES = sorted({name for values in SOURCES.values() for name in values} | {"oops", "a(b)", ""})

_spec = st.builds(
    lambda name, flags, width, precision, length, conversion: (
        "%" + (f"({name})" if name is not None else "") + flags + width + precision + length + conversion),
    st.one_of(st.none(), st.sampled_from(NAMES)),
    st.text(alphabet=placeholders.FLAGS, max_size=3),
    st.sampled_from(["", "1", "5", "*", "01"]),
    st.sampled_from(["", ".", ".0", ".1", ".4", ".*"]),
    st.sampled_from(["", "h", "l", "L"]),
    st.sampled_from(list(placeholders.CONVERSIONS) + ["%", "z", "m", "", "<"]),
)
_markup = st.sampled_from([
    "<", ">", "&", '"', "'", "<b>", "</bdi>", "<bdi>", "<a href=//evil.example/>", "&lt;", "&#60;", "&#x3c;",
    "<meta http-equiv=refresh content=0;url=//evil.example/>", "meta http-equiv=refresh content=0>",
    "<img src=x onerror=alert(1)>", "<!--", "-->", "<![CDATA[", "<script>", "=", "/", "&amp;",
])
_characters = st.sampled_from(["\u2028", "\u2029", "\u0085", "\x00", "\x0b", "\r", "\n", "\t", "\u202e",
                               "\u200e", "\ufff9", "é", " ", "x"])
_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=4)


def translations(source: str):
    """Generated translations, some close to the source (its own placeholders kept)."""
    own = [spec.text for spec in placeholders.parse(source) if spec.conversion != "%"]
    piece = st.one_of(_spec, _markup, _characters, _text, st.sampled_from(own), st.just("%%"))
    return st.lists(piece, max_size=8).map("".join) | st.permutations(own).flatmap(
        lambda kept: st.lists(piece, max_size=4).map(lambda extra: "".join(kept) + "".join(extra)))


class _Structure(html.parser.HTMLParser):
    """Elements with their attributes, entities and character references, and anything else HTML reads."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.found = collections.Counter()

    def handle_starttag(self, tag, attrs):
        self.found[("element", tag, tuple(sorted(attrs)))] += 1

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self.found[("end", tag)] += 1

    def handle_entityref(self, name):
        self.found[("entity", name)] += 1

    def handle_charref(self, name):
        self.found[("entity", "#" + name)] += 1

    def handle_comment(self, data):
        self.found[("comment",)] += 1

    def handle_decl(self, decl):
        self.found[("declaration",)] += 1

    def unknown_decl(self, data):
        self.found[("declaration",)] += 1

    def handle_pi(self, data):
        self.found[("processing instruction",)] += 1


def structure(rendered: str) -> set:
    parser = _Structure()
    parser.feed(rendered)
    parser.close()
    return set(parser.found)


# What escaping the translation's own text writes: never markup of its own.
ESCAPES = {("entity", "amp"), ("entity", "lt"), ("entity", "gt"), ("entity", "quot"), ("entity", "#x27"),
           ("entity", "#39")}


def errors(source: str, translation: str) -> list[str]:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=utf-8",
                   "Plural-Forms": "nplurals=2; plural=(n > 1);"}
    entry = polib.POEntry(msgid=source, msgstr=translation, flags=["python-format"])
    po.append(entry)
    return [p.message for p in check_entry(po, entry, "fr") if p.severity == ERROR]


@pytest.mark.parametrize("source", sorted(SOURCES))
@given(data=st.data())
def test_an_accepted_translation_adds_no_markup_to_the_page(source, data):
    translation = data.draw(translations(source), label="translation")
    found = errors(source, translation)
    note(f"errors: {found}")
    if not translation or found:  # empty: untranslated, the source is shown
        return
    values = SOURCES[source]
    rendered = interpolate(translation, **values)
    added = structure(rendered) - structure(interpolate(source, **values)) - ESCAPES
    assert not added, rendered
    # and it was formatted, not shown as a fallback: every markup value is in it, whole
    for value in values.values():
        if isinstance(value, Markup):
            assert value in rendered


@pytest.mark.parametrize(("source", "translation"), [
    ("You are reading this page in %(language)s.",
     "Vous lisez en %(language).1lsmeta http-equiv=refresh content=0;url=//evil.example/>"),
    ("You are reading this page in %(language)s.", "Vous lisez en %(language).1s"),
    ("You are reading this page in %(language)s.", "Vous lisez en %(language)ls"),
    ("You are reading this page in %(language)s.", "Vous lisez en %(language)r"),
    ("You are reading this page in %(language)s.", "<meta http-equiv=refresh content=0> %(language)s"),
    ("You are reading this page in %(language)s.", "Vous lisez en %(language)s\u2028"),
    ("Page %(page)s of %(pages)s", "Page %(page)s sur %(pages)s %"),
    ("Page %(page)s of %(pages)s", "Page %(page)s sur %(pages)s %z"),
    ("Page %(page)s of %(pages)s", "Page %(page)s sur %(oops)ls"),
])
def test_the_probes_payloads_are_refused(source, translation):
    assert errors(source, translation)
