"""The site over HTTP: locale choice, headers, switcher, pages, bad input."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
import tornado.web
from tornado.testing import AsyncHTTPTestCase

from website.app import make_app
from website.i18n.catalogs import load_catalogs
from website.handlers.static import IMMUTABLE

from conftest import LOCALE_DIR

CATALOGS = load_catalogs(str(LOCALE_DIR))


class _Elements(HTMLParser):
    """Start tags with their attributes, to assert on markup without regexes."""

    def __init__(self, html: str):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def find(self, tag: str, **attrs) -> list[dict]:
        return [
            a for t, a in self.elements
            if t == tag and all(a.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]


def vary(response) -> set[str]:
    return {v.strip() for v in ",".join(response.headers.get_list("Vary")).split(",") if v.strip()}


class SiteTestCase(AsyncHTTPTestCase):
    def get_app(self):
        return make_app(CATALOGS, cookie_secret="test")

    def get(self, path: str, headers: dict | None = None, **kwargs):
        return self.fetch(path, headers=headers or {}, follow_redirects=False, **kwargs)

    def text(self, path: str, headers: dict | None = None):
        response = self.get(path, headers)
        return response, response.body.decode("utf-8")


class NegotiationTest(SiteTestCase):
    def test_default_is_english_and_varies(self):
        response, html = self.text("/")
        assert response.code == 200
        assert response.headers["Content-Language"] == "en"
        assert '<html lang="en" dir="ltr"' in html
        assert {"Accept-Language", "Cookie"} <= vary(response)

    def test_accept_language(self):
        response, html = self.text("/about", {"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.8"})
        assert response.headers["Content-Language"] == "ru"
        assert '<html lang="ru" dir="ltr"' in html

    def test_accept_language_rtl_from_cldr(self):
        response, html = self.text("/about", {"Accept-Language": "ar-EG"})
        assert '<html lang="ar" dir="rtl"' in html

    def test_traditional_chinese_moves_on_to_the_next_preference(self):
        response = self.get("/about", {"Accept-Language": "zh-TW, fr;q=0.5"})
        assert response.headers["Content-Language"] == "fr"

    def test_query_switch_sets_cookie_and_wins(self):
        response = self.get("/about?lang=fr", {"Accept-Language": "ru", "Cookie": "lang=ar"})
        assert response.headers["Content-Language"] == "fr"
        cookie = response.headers["Set-Cookie"]
        assert cookie.startswith("lang=fr;")
        for attribute in ("Path=/", "HttpOnly", "SameSite=Lax", "expires="):
            assert attribute.lower() in cookie.lower()
        assert "secure" not in cookie.lower()  # plain http
        # the page depends only on the URL, not on the visitor's headers
        assert not {"Accept-Language", "Cookie"} & vary(response)

    def test_query_tag_is_normalized_before_the_cookie(self):
        response = self.get("/about?lang=FR_fr")
        assert response.headers["Set-Cookie"].startswith("lang=fr;")

    def test_cookie_wins_over_header(self):
        response = self.get("/about", {"Accept-Language": "ru", "Cookie": "lang=ar"})
        assert response.headers["Content-Language"] == "ar"
        assert "Set-Cookie" not in response.headers
        assert vary(response) == {"Cookie", "Accept-Encoding"}

    def test_unsupported_query_falls_through_and_sets_no_cookie(self):
        response = self.get("/about?lang=tlh", {"Accept-Language": "ru"})
        assert response.headers["Content-Language"] == "ru"
        assert "Set-Cookie" not in response.headers

    def test_secure_cookie_behind_https_proxy(self):
        app = make_app(CATALOGS)
        self.http_server.stop()
        # xheaders: the scheme comes from X-Forwarded-Proto
        server = tornado.httpserver.HTTPServer(app, xheaders=True)
        sock, port = tornado.testing.bind_unused_port()
        server.add_sockets([sock])
        try:
            response = self.fetch(
                f"http://127.0.0.1:{port}/about?lang=ru",
                headers={"X-Forwarded-Proto": "https"},
            )
            assert "secure" in response.headers["Set-Cookie"].lower()
        finally:
            server.stop()


class SwitcherTest(SiteTestCase):
    def test_switcher_lists_every_locale_by_endonym_and_keeps_path_and_query(self):
        response, html = self.text("/languages?q=ru&page=1", {"Accept-Language": "fr"})
        page = _Elements(html)
        links = {a["hreflang"]: a for a in page.find("a") if "hreflang" in a}
        assert set(links) == set(CATALOGS.tags)
        for tag, link in links.items():
            assert link["lang"] == tag
            assert link["href"] == f"/languages?q=ru&page=1&lang={tag}"
        assert links["fr"].get("aria-current") == "true"
        assert "aria-current" not in links["ru"]
        assert links["ar"]["dir"] == "rtl"
        for info in (CATALOGS.get(t).info for t in CATALOGS.tags):
            assert f">{info.endonym}</a>" in html

    def test_switch_replaces_an_existing_lang_argument(self):
        _, html = self.text("/about?lang=ru")
        links = {a["hreflang"]: a["href"] for a in _Elements(html).find("a") if "hreflang" in a}
        assert links["fr"] == "/about?lang=fr"

    def test_hreflang_alternates_are_absolute_with_x_default(self):
        _, html = self.text("/languages/ru")
        alternates = {a["hreflang"]: a["href"] for a in _Elements(html).find("link", rel="alternate")}
        base = f"http://127.0.0.1:{self.get_http_port()}/languages/ru"
        assert alternates.pop("x-default") == base
        assert alternates == {tag: f"{base}?lang={tag}" for tag in CATALOGS.tags}


class PagesTest(SiteTestCase):
    @pytest.fixture(autouse=True)
    def _shipped(self):
        assert {"fr", "ru", "ar"} <= set(CATALOGS.tags)

    def test_every_page_in_every_locale(self):
        for tag in CATALOGS.tags:
            for path in ("/", "/languages", "/languages/ru", "/about"):
                response, html = self.text(f"{path}?lang={tag}")
                assert response.code == 200, (tag, path)
                assert f'<html lang="{tag}"' in html

    def test_home_says_why_the_language_was_chosen(self):
        _, by_header = self.text("/", {"Accept-Language": "ru"})
        _, by_switch = self.text("/?lang=ru")
        assert by_header != by_switch
        _, english = self.text("/", {"Accept-Language": "sw;q=0.9, en-GB;q=0.8"})
        assert "Your browser asked for it" in english
        # the browser's list is named in the page's language
        assert "Swahili" in english and "English (United Kingdom)" in english

    def test_home_pluralizes_the_number_of_languages(self):
        _, html = self.text("/")
        assert f"available in {len(CATALOGS)} languages" in html

    def test_directory_counts_and_searches(self):
        _, html = self.text("/languages?q=ukrain")
        assert "1 language found" in html
        assert 'href="/languages/uk"' in html
        _, html = self.text("/languages?q=an")
        count = int(re.search(r"(\d+) languages found", html)[1])
        assert count > 1

    def test_directory_search_is_accent_and_case_insensitive(self):
        _, html = self.text("/languages?q=FRANCAIS&lang=fr")
        assert 'href="/languages/fr"' in html

    def test_directory_pages(self):
        _, first = self.text("/languages")
        _, second = self.text("/languages?page=2")
        assert first != second
        assert 'rel="next"' in first and 'rel="prev"' in second
        _, clamped = self.text("/languages?page=999999")
        assert 'rel="next"' not in clamped

    def test_language_page_in_the_visitors_language(self):
        _, html = self.text("/languages/ru?lang=fr")
        assert "<h1>russe</h1>" in html
        assert 'lang="ru"' in html and "русский" in html
        # Russian samples written the Russian way: 1 234 567,891 with no-break spaces
        assert "1\u00a0234\u00a0567,891" in html
        assert "RUB" in html or "₽" in html

    def test_language_tag_is_canonicalized_by_redirect(self):
        response = self.get("/languages/PT_br?lang=fr")
        assert response.code == 301
        assert response.headers["Location"] == "/languages/pt-BR?lang=fr"

    def test_unknown_language_is_a_localized_404(self):
        response, html = self.text("/languages/tlh?lang=fr")
        assert response.code == 404
        assert '<html lang="fr"' in html
        assert CATALOGS.get("fr").translator.translate("Page not found") in html
        assert CATALOGS.get("fr").translator.translate("Page not found") != "Page not found"

    def test_unknown_url_is_a_localized_404(self):
        response, html = self.text("/no/such/page", {"Accept-Language": "ar"})
        assert response.code == 404
        assert response.headers["Content-Language"] == "ar"
        assert '<html lang="ar" dir="rtl"' in html

    def test_head(self):
        response = self.fetch("/about", method="HEAD")
        assert response.code == 200 and response.body == b""

    def test_gzip(self):
        response = self.fetch("/languages", headers={"Accept-Encoding": "gzip"}, decompress_response=False)
        assert response.headers["Content-Encoding"] == "gzip"


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
        _, html = self.text("/languages?q=ukrain&lang=ru")
        translator = CATALOGS.get("ru").translator
        assert translator.translate(*self.MESSAGE, 1) % {"count": "1"} in html


class StaticTest(SiteTestCase):
    def static_url(self, html: str, name: str) -> str:
        return re.search(rf'href="(/static/{name}\?v=[0-9a-f]+)"', html)[1]

    def test_pages_reference_versioned_static_urls(self):
        _, html = self.text("/")
        for name in ("css/site.css", "img/favicon.svg"):
            assert self.static_url(html, name)

    def test_versioned_is_immutable_for_a_year(self):
        _, html = self.text("/")
        response = self.get(self.static_url(html, "css/site.css"))
        assert response.code == 200
        assert response.headers["Cache-Control"] == IMMUTABLE == "public, max-age=31536000, immutable"

    @pytest.mark.filterwarnings("ignore")
    def test_unversioned_or_wrong_version_must_revalidate(self):
        for url in ("/static/css/site.css", "/static/css/site.css?v=bogus", "/static/css/site.css?v="):
            response = self.get(url)
            assert response.code == 200
            assert response.headers["Cache-Control"] == "no-cache", url
            assert "Expires" not in response.headers

    def test_stylesheet_uses_logical_properties_only(self):
        css = (LOCALE_DIR.parent / "static" / "css" / "site.css").read_text()
        physical = re.findall(r"(?:margin|padding|border)-(?:left|right)\b|\b(?:left|right)\s*:|text-align:\s*(?:left|right)|float:\s*(?:left|right)", css)
        assert physical == []


class BadInputTest(SiteTestCase):
    GARBAGE = [
        "", "x" * 8192, ";;;", "q=abc", "en;q=abc", "\t\t", "../../etc", "ru\u00e9\u00ff",
        "<script>alert(1)</script>", "fr;q=1e999", "*;q=0", "zh-Hant;q=0.9",
    ]

    def assert_safe(self, response, html=None):
        assert response.code in (200, 404), response.code
        body = response.body.decode("utf-8")
        assert "<script>alert" not in body
        assert "Traceback" not in body

    def test_garbage_accept_language(self):
        for value in self.GARBAGE:
            response = self.get("/", {"Accept-Language": value})
            self.assert_safe(response)
            assert response.code == 200

    def test_control_characters_in_a_header_are_refused_by_http_itself(self):
        # RFC 9110 forbids control characters in field values; Tornado's
        # HTTP/1 parser answers 400 before any handler runs (so do proxies).
        response = self.get("/", {"Accept-Language": "en\x01\x7f"})
        assert response.code == 400
        assert b"Traceback" not in response.body

    def test_garbage_lang_query(self):
        for value in self.GARBAGE + ["%ff%fe", "%00"]:
            value = value[:1900]  # longer URLs are refused with 414 (SecurityTest)
            response = self.get("/about?lang=" + quote(value, safe="%"))
            self.assert_safe(response)
            assert response.code == 200
            assert "Set-Cookie" not in response.headers, value

    def test_garbage_cookie(self):
        for value in ["<script>alert(1)</script>", "../../etc", "x" * 4000, "\"ru", "zh-TW", "%72%75"]:
            response = self.get("/about", {"Cookie": "lang=" + value})
            self.assert_safe(response)
            assert response.code == 200
            assert response.headers["Content-Language"] == "en"

    def test_garbage_language_tag(self):
        for value in ["<script>alert(1)<%2Fscript>", "..%2F..%2Fetc", "x" * 300, "%ff", "ru-",
                      "%3Cb%3E"]:
            response = self.get("/languages/" + value)
            self.assert_safe(response)
            assert response.code == 404

    def test_garbage_search_is_escaped_and_counted(self):
        for value in ["<script>alert(1)</script>", "%ff%fe", "x" * 800, "%00%01", "\"><img src=x>"]:
            response = self.get("/languages?q=" + quote(value, safe="%") + "&page=" + quote(value, safe="%"))
            self.assert_safe(response)
            assert response.code == 200
            assert "<img src=x>" not in response.body.decode()


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
                response = self.get(f"/languages?q={value}&lang={lang}")
                assert response.code == 200, (name, lang, response.code)
                html = response.body.decode()
                assert 'class="count"' in html and 'name="q"' in html, (name, lang)
                # the query shown back is the cleaned, cut one
                value_attr = re.search(r'name="q" type="search" value="([^"]*)"', html)[1]
                assert len(value_attr) <= 100 * 8, name  # escaped, at most 100 characters

    def test_a_mark_flood_searches_like_its_first_characters(self):
        _, flooded = self.text("/languages?q=fr" + "%CC%81" * 300)
        _, plain = self.text("/languages?q=fr")
        count = re.compile(r'<p class="count"[^>]*>([^<]*)<')
        assert count.search(flooded)[1] == count.search(plain)[1]


class ErrorPageTest(AsyncHTTPTestCase):
    """A handler that fails: a localized 500 page, with no traceback."""

    def get_app(self):
        from website.handlers.base import BaseHandler

        class Boom(BaseHandler):
            def get(self):
                raise RuntimeError("secret detail")

        app = make_app(CATALOGS)
        app.add_handlers(r".*", [(r"/boom", Boom)])
        return app

    def test_500_is_localized_and_hides_the_traceback(self):
        response = self.fetch("/boom", headers={"Accept-Language": "ru"})
        body = response.body.decode()
        assert response.code == 500
        assert response.headers["Content-Language"] == "ru"
        assert "secret detail" not in body and "Traceback" not in body
        assert CATALOGS.get("ru").translator.translate("Something went wrong") in body
