"""Pseudo-locales: generated from the template; crawling en-XA finds no hard-coded text."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from tornado.testing import AsyncHTTPTestCase

from website.i18n import pseudo
from website.toolchain import pseudo_catalogs
from website.app import make_app
from website.i18n.catalogs import load_catalogs

from conftest import LOCALE_DIR

PAGES = [
    "/", "/languages", "/languages?q=fr", "/languages?q=zzzz", "/languages?page=3", "/languages/ru",
    "/languages/ar", "/languages/pt-BR", "/languages/ja", "/about", "/translations",
    "/languages/no-such", "/no/such/page",
]
# Attributes a visitor reads or hears.
READ_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")


class _Unwrapped(HTMLParser):
    """Visible text and read attributes outside pseudo brackets, outside foreign-language elements.

    Text is joined across elements before brackets are matched: a sentence
    may hold an element (``<bdi>``) inside its brackets.
    """

    def __init__(self, page_lang: str):
        super().__init__()
        self.page_lang = page_lang
        self.stack: list[bool] = []
        self.found: list[str] = []
        self.text: list[str] = []

    def close(self):
        super().close()
        self._check("text", "".join(self.text))

    def _foreign(self) -> bool:
        return bool(self.stack) and self.stack[-1]

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        lang = attributes.get("lang")
        foreign = self._foreign() or (lang is not None and lang != self.page_lang) or tag in (
            "code", "script", "style", "pre"
        )
        if not foreign:
            for name in READ_ATTRIBUTES:
                if attributes.get(name):
                    self._check(f"{tag}[{name}]", attributes[name])
        if tag not in ("meta", "link", "input", "br", "img"):
            self.stack.append(foreign)

    def handle_endtag(self, tag):
        if tag not in ("meta", "link", "input", "br", "img") and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        # Foreign-language text counts as a neutral mark, not as letters.
        self.text.append("•" if self._foreign() else data)

    def _check(self, where: str, text: str):
        rest = text
        while True:
            stripped = re.sub(r"⟦[^⟦⟧]*⟧", "", rest)
            if stripped == rest:
                break
            rest = stripped
        for match in re.finditer(r"[^\W\d_]+", rest):
            context = " ".join(rest[max(0, match.start() - 30) : match.end() + 30].split())
            self.found.append(f"{where}: {match[0]!r} in {context!r}")


@pytest.fixture(scope="module")
def pseudo_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("pseudo")
    pseudo_catalogs.write_catalogs(str(LOCALE_DIR / "messages.pot"), str(out))
    return out


def test_transform_keeps_placeholders_markup_and_entities():
    text = pseudo.transform("en_XA", "%(count)s <a href=\"/x\">items</a> &amp; %s {name}")
    assert text.startswith("⟦") and text.endswith("⟧")
    for kept in ("%(count)s", '<a href="/x">', "</a>", "&amp;", "%s", "{name}"):
        assert kept in text
    assert "items" not in text and "îţéɱš" in text


def test_about_35_percent_longer():
    source = "The site is translated by people, not machines."
    assert 1.3 <= len(pseudo.transform("en_XA", source)) / len(source) <= 1.45


def test_rtl_pseudo_overrides_direction_per_word():
    assert pseudo.transform("ar_XB", "Hello world") == "⟦\u202eĤéļļö\u202c \u202eŵöŕļð\u202c~~~~⟧"


def test_generated_not_committed(pseudo_dir):
    # generated from the template, never in the locale folder
    assert not list(LOCALE_DIR.glob("*_X?"))
    assert sorted(p.name for p in pseudo_dir.iterdir()) == ["ar_XB", "en_XA"]


class PseudoCrawlTest(AsyncHTTPTestCase):
    @pytest.fixture(autouse=True)
    def _dirs(self, pseudo_dir):
        self.pseudo_dir = pseudo_dir

    def get_app(self):
        catalogs = load_catalogs(str(LOCALE_DIR), pseudo_dir=str(self.pseudo_dir), min_percent=0)
        return make_app(catalogs)

    def test_offered_only_when_enabled(self):
        assert "en-XA" not in load_catalogs(str(LOCALE_DIR))
        response = self.fetch("/about?lang=ar-XB")
        assert '<html lang="ar-XB" dir="rtl"' in response.body.decode()

    def test_home_does_not_count_pseudo_locales_as_languages(self):
        catalogs = self._app.settings["catalogs"]
        real = [tag for tag in catalogs.tags if tag not in ("en-XA", "ar-XB")]
        assert len(real) == len(catalogs) - 2
        html = self.fetch("/?lang=en").body.decode()
        assert f"available in {len(real)} languages" in html
        assert "English (pseudo" not in html.split("available in", 1)[1].split("</p>", 1)[0]

    def test_no_text_outside_pseudo_brackets(self):
        problems = []
        for path in PAGES:
            separator = "&" if "?" in path else "?"
            response = self.fetch(f"{path}{separator}lang=en-XA")
            assert response.code in (200, 404), path
            html = response.body.decode()
            assert '<html lang="en-XA"' in html, path
            parser = _Unwrapped("en-XA")
            parser.feed(html)
            parser.close()
            problems += [f"{path}: {found}" for found in parser.found]
        assert problems == []


@pytest.mark.parametrize(
    ("html", "clean"),
    [
        ('<p>⟦Ĥéļļö⟧</p>', True),
        ('<p>⟦Ýöû åŕé ŕéåðîñĝ <bdi lang="fr">français</bdi>.~~⟧</p>', True),
        ('<p>⟦Ĥéļļö⟧ Hard-coded</p>', False),
        ('<p>12 345 · 67 %</p>', True),
        ('<nav aria-label="Main">⟦x⟧</nav>', False),
        ('<code>en-US</code><span lang="ru">русский</span>', True),
    ],
)
def test_the_crawl_checker_itself(html, clean):
    parser = _Unwrapped("en-XA")
    parser.feed(html)
    parser.close()
    assert (parser.found == []) is clean
