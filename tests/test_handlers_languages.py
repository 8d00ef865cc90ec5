"""The directory and the language pages: counts, search, plurals, hostile queries."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest

from site_case import CATALOGS, OTHER, Elements, SiteTestCase, vary


class LanguagesTest(SiteTestCase):
    @pytest.fixture(autouse=True)
    def _shipped(self):
        assert {"fr", "ru", "ar"} <= set(CATALOGS.tags)

    def test_directory_counts_and_searches(self):
        _, html = self.text("/en/languages?q=ukrain")
        assert "1 language found" in html
        assert 'href="/en/languages/uk"' in html
        _, html = self.text("/en/languages?q=an")
        count = int(re.search(r"(\d+) languages found", html)[1])
        assert count > 1

    def test_rows_are_kept_per_locale_and_language_never_per_query(self):
        # A row is rendered once per (locale, language) and reused: in
        # another locale it must be that locale's row, and a search must
        # show exactly the row the full list shows.
        row = lambda html, tag: re.search(  # noqa: E731
            rf'<tr>\s*<td><a href="/[^/"]+/languages/{tag}".*?</tr>', html, re.S)[0]
        _, english = self.text("/en/languages?q=russ")
        _, french = self.text("/fr/languages?q=russ")
        assert 'href="/en/languages/ru"' in row(english, "ru") and ">Russian<" in row(english, "ru")
        assert 'href="/fr/languages/ru"' in row(french, "ru") and ">russe<" in row(french, "ru")
        _, again = self.text("/en/languages?q=RUSSIAN")
        assert row(again, "ru") == row(english, "ru")
        _, listed = self.text("/en/languages?page=%d" % self._page_of("/en/languages", "ru"))
        assert row(listed, "ru") == row(english, "ru")

    def _page_of(self, path: str, tag: str) -> int:
        page = 1
        while True:
            _, html = self.text(f"{path}?page={page}" if page > 1 else path)
            if f'href="{path}/{tag}"' in html:
                return page
            assert 'rel="next"' in html, f"{tag} is on no page of {path}"
            page += 1

    def test_directory_search_is_accent_and_case_insensitive(self):
        _, html = self.text("/fr/languages?q=FRANCAIS")
        assert 'href="/fr/languages/fr"' in html

    def test_search_is_kept_by_no_shared_cache(self):
        response = self.get("/fr/languages?q=an")
        assert response.headers["Cache-Control"] == "public, max-age=60, s-maxage=0"

    def test_directory_pages(self):
        _, first = self.text("/en/languages")
        _, second = self.text("/en/languages?page=2")
        assert first != second
        assert 'rel="next"' in first and 'rel="prev"' in second
        assert 'href="/en/languages?page=3"' in second
        _, clamped = self.text("/en/languages?page=999999")
        assert 'rel="next"' not in clamped

    def test_live_search_data_follows_the_prefix(self):
        _, html = self.text(f"/{OTHER}/languages")
        (form,) = Elements(html).find("form")
        assert form["action"] == f"/{OTHER}/languages"
        assert form["data-directory"] == f"/languages.json?lang={OTHER}"
        response = self.get(form["data-directory"])
        entries = json.loads(response.body)["languages"]
        assert entries[0]["url"] == f"/{OTHER}/languages/{entries[0]['tag']}"
        assert response.headers["Cache-Control"] == "public, max-age=60, s-maxage=600"
        assert not {"Accept-Language", "Cookie"} & vary(response)

    def test_language_page_in_the_pages_language(self):
        _, html = self.text("/fr/languages/ru")
        assert "<h1>russe</h1>" in html
        assert 'lang="ru"' in html and "русский" in html
        # Russian samples written the Russian way: 1 234 567,891 with no-break spaces
        assert "1\u00a0234\u00a0567,891" in html
        assert "RUB" in html or "₽" in html

    def test_language_tag_is_canonicalized_by_redirect(self):
        response = self.get("/fr/languages/PT_br?x=1")
        assert response.code == 301
        assert response.headers["Location"] == "/fr/languages/pt-BR"


class PluralTest(SiteTestCase):
    """The catalogs pick CLDR's form: checked through the translate function."""

    MESSAGE = ("%(count)s language found", "%(count)s languages found")

    def forms(self, tag):
        translator = CATALOGS.get(tag).translator
        return {n: translator.translate(*self.MESSAGE, n) % {"count": n} for n in range(0, 130)}

    def test_russian(self):
        forms = self.forms("ru")
        one, few, many = forms[1], forms[2], forms[5]
        assert len({one.replace("1", "N"), few.replace("2", "N"), many.replace("5", "N")}) == 3
        for n in (1, 21, 101, 121):
            assert forms[n] == one.replace("1", str(n), 1), n
        for n in (2, 3, 4, 22, 24, 102):
            assert forms[n] == few.replace("2", str(n), 1), n
        for n in (0, 5, 11, 12, 14, 19, 25, 111, 112):
            assert forms[n] == many.replace("5", str(n), 1), n

    def test_arabic_uses_six_distinct_forms(self):
        translator = CATALOGS.get("ar").translator
        catalog_forms = [translator.translate(*self.MESSAGE, n) for n in (0, 1, 2, 3, 11, 100)]
        assert len(set(catalog_forms)) == 6
        # and the same form for numbers of the same CLDR category
        assert translator.translate(*self.MESSAGE, 101) == catalog_forms[5]  # other
        assert translator.translate(*self.MESSAGE, 103) == catalog_forms[3]  # few
        assert translator.translate(*self.MESSAGE, 111) == catalog_forms[4]  # many

    def test_plural_on_the_page(self):
        _, html = self.text("/ru/languages?q=ukrain")
        translator = CATALOGS.get("ru").translator
        assert translator.translate(*self.MESSAGE, 1) % {"count": "1"} in html


class SearchInputTest(SiteTestCase):
    """Hostile search strings get the normal page (the count and the form), never a 500."""

    # URLs stay under 2,048 bytes: longer ones are refused with 414 before
    # any handler (tests/test_security.py); the search cuts a query to 100
    # characters anyway.
    CASES = {
        "unpaired surrogates (CESU-8)": "%ED%A0%80fr%ED%B0%80",
        "300 combining marks": "a" + "%CC%81" * 300,
        "marks alone": "%D6%B8" * 300,
        "mixed scripts": quote("fr中文русскийעבריתالعربية𝔣𝔯ＦＲ" * 6),
        "1.8 KB": quote("é" * 300),
    }

    def test_hostile_queries_get_the_normal_page(self):
        for name, value in self.CASES.items():
            for lang in ("en", "fa", "zh-Hans"):
                response = self.get(f"/{lang}/languages?q={value}")
                assert response.code == 200, (name, lang, response.code)
                html = response.body.decode()
                assert 'class="count"' in html and 'name="q"' in html, (name, lang)
                # the query shown back is the cleaned, cut one
                value_attr = re.search(r'name="q" type="search" value="([^"]*)"', html)[1]
                assert len(value_attr) <= 100 * 8, name  # escaped, at most 100 characters

    def test_a_mark_flood_searches_like_its_first_characters(self):
        _, flooded = self.text("/en/languages?q=fr" + "%CC%81" * 300)
        _, plain = self.text("/en/languages?q=fr")
        count = re.compile(r'<p class="count"[^>]*>([^<]*)<')
        assert count.search(flooded)[1] == count.search(plain)[1]
