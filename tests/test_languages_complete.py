"""Every shipped language, page by page: no English left, plurals as CLDR says.

"No English left" allows exactly the strings that catalog has not translated
yet (untranslated or fuzzy): those must show the source text, the rest must
not. The expected plural sentences come from the .po files (polib) and
Babel's CLDR rules, independently of the site's own gettext and CldrLocale path.
"""

from __future__ import annotations

import re
from decimal import Decimal
from html.parser import HTMLParser

import polib
import pytest
from babel import Locale
from tornado.testing import AsyncHTTPTestCase

from website.i18n import placeholders, plural_forms
from website.app import make_app
from website.i18n.formatting import Formatter
from website.handlers.languages import COUNTING_NUMBERS

from conftest import LOCALE_DIR, shipped_catalogs

CATALOGS = shipped_catalogs()
TRANSLATED = [tag for tag in CATALOGS.tags if tag != "en"]
PAGES = ["/", "/languages", "/languages?q=an&page=2", "/languages/ru", "/languages/ar",
         "/languages/ja", "/about", "/no-such-page"]


class _VisibleText(HTMLParser):
    """Visible text of a page, skipping elements in another language."""

    def __init__(self, page_lang: str):
        super().__init__()
        self.page_lang = page_lang
        self.stack: list[bool] = []  # True where an element is in another language
        self.chunks: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("meta", "link", "input", "br", "img"):
            return
        lang = dict(attrs).get("lang")
        foreign = bool(self.stack and self.stack[-1]) or (lang is not None and lang != self.page_lang)
        self.stack.append(foreign or tag in ("code", "script", "style"))

    def handle_endtag(self, tag):
        if self.stack and tag not in ("meta", "link", "input", "br", "img"):
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            self.chunks.append(data)

    def text(self) -> str:
        return " ".join(" ".join(self.chunks).split())


def _pieces(entry) -> set[str]:
    pieces = set()
    for text in (entry.msgid, entry.msgid_plural):
        for piece in re.split(r"[“”\"\0]", placeholders.remove(text or "", "\0")):
            piece = piece.strip(" .,:;")
            if len(piece) >= 12 and " " in piece:
                pieces.add(piece)
    return pieces


def english_fragments(gettext_id: str | None = None) -> tuple[set[str], set[str]]:
    """Pieces of source text long enough that seeing one means it was not translated,
    and the pieces of the messages a locale's catalog has not translated yet.

    Those rightly show in English: they are left out of the first set, and
    removed from a page before it is searched (an untranslated sentence may
    contain a translated title, as "Languages of the World describes...").
    """
    fragments, pending = set(), set()
    for entry in polib.pofile(str(LOCALE_DIR / "messages.pot")):
        fragments |= _pieces(entry)
    if gettext_id:
        po = polib.pofile(str(LOCALE_DIR / gettext_id / "LC_MESSAGES" / "messages.po"))
        for entry in po:
            if not entry.obsolete and not entry.translated():
                pending |= _pieces(entry)
        template = {(e.msgctxt, e.msgid) for e in po if not e.obsolete}
        for entry in polib.pofile(str(LOCALE_DIR / "messages.pot")):
            if (entry.msgctxt, entry.msgid) not in template:
                pending |= _pieces(entry)
        fragments -= pending
    return fragments, pending


class NoEnglishLeftTest(AsyncHTTPTestCase):
    def get_app(self):
        return make_app(CATALOGS)

    def test_no_english_on_any_page(self):
        for tag in TRANSLATED:
            fragments, pending = english_fragments(CATALOGS.get(tag).info.gettext_id)
            for path in PAGES:
                separator = "&" if "?" in path else "?"
                html = self.fetch(f"{path}{separator}lang={tag}").body.decode()
                parser = _VisibleText(tag)
                parser.feed(html)
                text = parser.text()
                for piece in sorted(pending, key=len, reverse=True):
                    text = text.replace(piece, " ")
                left = sorted(f for f in fragments if f in text)
                assert left == [], f"{tag} {path}: English left: {left}"


def expected_sentence(gettext_id: str, number) -> str:
    """What "N items" must read, from the .po and CLDR alone."""
    po = polib.pofile(str(LOCALE_DIR / gettext_id / "LC_MESSAGES" / "messages.po"))
    entry = next(e for e in po if e.msgid == "%(count)s item" and not e.msgctxt)
    formatted = Formatter(gettext_id).decimal(number)
    if not entry.translated():  # the source text, by English's rule
        english = Locale.parse("en").plural_form(number) == "one"
        return (entry.msgid if english else entry.msgid_plural) % {"count": formatted}
    category = Locale.parse(gettext_id).plural_form(number)
    categories = plural_forms.integer_categories(gettext_id)
    if category in categories:
        text = entry.msgstr_plural[categories.index(category)]
    else:
        fraction = next(e for e in po if e.msgctxt == "fraction")
        text = fraction.msgstr if fraction.translated() else entry.msgstr_plural[categories.index(
            Locale.parse(gettext_id).plural_form(2))]
    return text % {"count": formatted}


class PluralSentencesTest(AsyncHTTPTestCase):
    def get_app(self):
        return make_app(CATALOGS)

    def test_counting_table_on_every_language_page(self):
        assert set(COUNTING_NUMBERS) >= {0, 1, 2, 3, 5, 11, 21, 22, 101, Decimal("1.5")}
        for tag in TRANSLATED:
            gettext_id = CATALOGS.get(tag).info.gettext_id
            html = self.fetch(f"/languages/{tag}?lang=en").body.decode()
            rows = re.findall(r'<td lang="[^"]+" dir="\w+">([^<]*)</td>', html.split('class="counting"')[1].split("</table>")[0])
            expected = [expected_sentence(gettext_id, n) for n in COUNTING_NUMBERS]
            assert [r.replace("&#39;", "'") for r in rows] == expected, tag

    @pytest.mark.filterwarnings("error")
    def test_distinct_forms_where_cldr_distinguishes(self):
        # Russian fractions share the "few" form (genitive singular); Polish
        # and Ukrainian fractions have a fourth form of their own. (Arabic's
        # six forms are checked on "N languages found" in test_handlers_languages.py: for
        # "N items" its zero, one and other forms are rightly the same.)
        table = {"ru": (1, 2, 5), "pl": (1, 2, 5, 1.5), "uk": (1, 2, 5, 1.5), "he": (1, 2, 3)}
        # The shipped ones among these: the shipped translations are what is checked.
        for tag, numbers in ((tag, numbers) for tag, numbers in table.items() if tag in CATALOGS):
            translator = CATALOGS.get(tag).translator
            forms = {translator.translate("%(count)s item", "%(count)s items", n) for n in numbers}
            assert len(forms) == len(numbers), tag
