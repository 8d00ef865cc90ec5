"""Collation, calendars and scripts on the pages, for whichever locales are served."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from html.parser import HTMLParser

from tornado.testing import AsyncHTTPTestCase

from website import directory
from website.app import make_app
from website.i18n import calendars, locale_data

from conftest import shipped_catalogs

CATALOGS = shipped_catalogs()


class _Texts(HTMLParser):
    """Text of the elements matching a (tag, class) path such as ("table", "directory") > "a"."""

    def __init__(self, html: str, container: tuple[str, str], inner: str):
        super().__init__()
        self.container, self.inner = container, inner
        self.depth = 0
        self.capturing = False
        self.texts: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.depth:
            self.depth += tag == self.container[0]
        elif tag == self.container[0] and self.container[1] in (attrs.get("class") or "").split():
            self.depth = 1
        if self.depth and tag == self.inner:
            self.capturing = True
            self.texts.append("")

    def handle_endtag(self, tag):
        if self.depth and tag == self.inner:
            self.capturing = False
        if self.depth and tag == self.container[0]:
            self.depth -= 1

    def handle_data(self, data):
        if self.capturing:
            self.texts[-1] += data


def in_order(locale_id: str, texts: list[str]) -> bool:
    key = locale_data.sort_key(locale_id)
    return all(key(a) <= key(b) for a, b in zip(texts, texts[1:]))


class CollatedPagesTest(AsyncHTTPTestCase):
    def get_app(self):
        return make_app(CATALOGS, cookie_secret="test")

    def html(self, path: str) -> str:
        response = self.fetch(path)
        assert response.code == 200, path
        return response.body.decode()

    def test_directory_in_each_served_locales_collation(self):
        for tag in CATALOGS.tags:
            locale_id = CATALOGS.get(tag).info.gettext_id
            names = _Texts(self.html(f"/languages?lang={tag}"), ("table", "directory"), "a").texts
            assert len(names) == 50, tag
            assert in_order(locale_id, names), (tag, names[:10])

    def test_directory_second_page_continues_the_order(self):
        for tag in CATALOGS.tags:
            locale_id = CATALOGS.get(tag).info.gettext_id
            first = _Texts(self.html(f"/languages?lang={tag}"), ("table", "directory"), "a").texts
            second = _Texts(self.html(f"/languages?lang={tag}&page=2"), ("table", "directory"), "a").texts
            assert in_order(locale_id, first[-1:] + second[:1]), tag

    def test_switcher_in_the_pages_collation(self):
        for tag in CATALOGS.tags:
            endonyms = _Texts(self.html(f"/about?lang={tag}"), ("nav", "switcher"), "a").texts
            assert sorted(endonyms) == sorted(info.endonym for info in CATALOGS.infos)
            assert in_order(CATALOGS.get(tag).info.gettext_id, endonyms), (tag, endonyms)

    def test_translations_dashboard_in_the_pages_collation(self):
        for tag in CATALOGS.tags:
            html = self.html(f"/translations?lang={tag}")
            names = [re.sub(r"\s+", " ", n).strip() for n in _Texts(html, ("table", "translations"), "th").texts]
            names = [n for n in names if n][5:]  # after the five column headers
            formatter = CATALOGS.get(tag).formatter
            shown = [n.split(" ")[0] for n in names]
            assert shown, tag
            expected = formatter.sorted(formatter.language(t) for t in _downloaded_tags(html))
            assert [e.split(" ")[0] for e in expected] == shown, tag

    def test_official_territories_in_the_pages_collation(self):
        for tag in CATALOGS.tags:
            formatter = CATALOGS.get(tag).formatter
            html = unescape(self.html(f"/languages/ar?lang={tag}"))
            locale_id = CATALOGS.get(tag).info.gettext_id
            names = locale_data.collate(locale_id, (formatter.territory(c) for c in directory.details("ar").official_in))
            assert formatter.list(names) in html, tag


def _downloaded_tags(html: str) -> list[str]:
    return re.findall(r'href="/translations/([^"/]+)\.po"', html)


class CalendarPagesTest(AsyncHTTPTestCase):
    def get_app(self):
        return make_app(CATALOGS, cookie_secret="test")

    def html(self, path: str) -> str:
        response = self.fetch(path)
        assert response.code == 200, path
        return response.body.decode()

    def today(self, locale_id, numbering, calendar):
        today = dt.datetime.now(dt.timezone.utc).date()
        return calendars.format_date(today, locale_id, numbering, calendar, "full")

    def test_persian_page_dates_in_the_persian_calendar_next_to_the_gregorian(self):
        html = self.html("/languages/fa?lang=en")
        assert self.today("fa", "arabext", "persian") in html
        assert self.today("fa", "arabext", "gregorian") in html
        assert "Persian Calendar" in html and "Extended Arabic-Indic Digits" in html
        assert "۰۱۲۳۴۵۶۷۸۹" in html

    def test_hebrew_japanese_thai_and_arabic_calendars(self):
        for tag, calendar, name in (("he", "hebrew", "Hebrew Calendar"), ("ja", "japanese", "Japanese Calendar"),
                                    ("th", "buddhist", "Buddhist Calendar"),
                                    ("ar", "islamic-umalqura", "Islamic Calendar (Umm al-Qura)")):
            html = self.html(f"/languages/{tag}?lang=en")
            assert name in html, tag
            assert self.today(tag, "latn", calendar) in html, tag

    def test_arabic_page_names_both_digit_systems(self):
        html = self.html("/languages/ar?lang=en")
        assert "Western Digits" in html and "Arabic-Indic Digits" in html and "٠١٢٣٤٥٦٧٨٩" in html

    def test_main_characters_in_the_languages_own_order(self):
        html = self.html("/languages/sv?lang=en")
        text = re.search(r'<p class="exemplars"[^>]*>([^<]*)</p>', html)[1]
        assert text.endswith("z å ä ö")
        html = self.html("/languages/zh-Hans?lang=en")
        text = re.search(r'<p class="exemplars"[^>]*>([^<]*)</p>', html)[1]
        assert text.startswith("阿 啊") and len(text.split()) == 120
        assert "more characters" in html


class EveryLanguagePageTest(AsyncHTTPTestCase):
    """Every CLDR language's page renders: its calendars, digits and characters come from ICU data."""

    def get_app(self):
        return make_app(CATALOGS, cookie_secret="test")

    def test_every_language_page(self):
        failed = []
        for entry in directory.entries("en"):
            response = self.fetch(f"/languages/{entry.tag}?lang=en")
            if response.code != 200 or b"ERA1" in response.body:
                failed.append((entry.tag, response.code))
        assert failed == []
