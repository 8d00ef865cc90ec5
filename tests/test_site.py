"""The site over HTTP: locale choice, headers, switcher, pages, bad input."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
import tornado.web
from tornado.testing import AsyncHTTPTestCase

from website.app import make_app
from website.handlers import caching
from website.i18n.catalogs import load_catalogs
from website.handlers.static import IMMUTABLE

from conftest import LOCALE_DIR, shipped_catalogs

CATALOGS = shipped_catalogs()


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


# Tests below take their languages from what is offered, not from a fixed list.
DEFAULT = CATALOGS.default
OTHER = next(tag for tag in CATALOGS.tags if tag != DEFAULT)
RTL = next((info.tag for info in CATALOGS.infos if info.rtl), None)


def regional_alias(tag: str) -> str | None:
    """A tag that is not offered but maps to ``tag`` by BCP 47 matching (fr -> fr-FR)."""
    from website.i18n import negotiation, tags

    language, _script, region = tags.maximize(tag)
    for candidate in (f"{language}-{region}", f"{language}_{region}".lower()):
        if candidate not in CATALOGS.tags and negotiation.negotiate([candidate], CATALOGS.tags) == tag:
            return candidate
    return None


class NegotiationTest(SiteTestCase):
    """Unprefixed page URLs negotiate and redirect; nothing else does."""

    def assert_negotiated_redirect(self, response, location):
        assert response.code == 302, response.code
        assert response.headers["Location"] == location
        assert {"Accept-Language", "Cookie"} <= vary(response)
        assert response.headers["Cache-Control"] == "private, no-store"

    def test_redirect_table(self):
        header = f"{OTHER};q=0.9, {DEFAULT};q=0.5"
        table = [
            # (path, headers, location)
            ("/", {}, f"/{DEFAULT}/"),
            ("/", {"Accept-Language": header}, f"/{OTHER}/"),
            ("/about", {"Accept-Language": header}, f"/{OTHER}/about"),
            ("/languages?q=x&page=2", {"Accept-Language": header}, f"/{OTHER}/languages?q=x&page=2"),
            ("/languages/ru", {"Cookie": f"lang={OTHER}", "Accept-Language": DEFAULT},
             f"/{OTHER}/languages/ru"),
            ("/translations", {"Accept-Language": "tlh, *"}, f"/{DEFAULT}/translations"),
            ("/?lang=" + OTHER, {"Accept-Language": DEFAULT}, f"/{OTHER}/"),
            ("/about?a=1&lang=" + OTHER + "&b=2", {}, f"/{OTHER}/about?a=1&b=2"),
        ]
        for path, headers, location in table:
            with self.subTest(path=path, headers=headers):
                self.assert_negotiated_redirect(self.get(path, headers), location)

    def test_head_redirects_too(self):
        response = self.fetch("/about", method="HEAD", follow_redirects=False)
        assert response.code == 302 and response.headers["Location"] == f"/{DEFAULT}/about"

    def test_old_lang_links_remember_the_choice(self):
        response = self.get(f"/about?lang={OTHER}", {"Accept-Language": DEFAULT, "Cookie": f"lang={DEFAULT}"})
        self.assert_negotiated_redirect(response, f"/{OTHER}/about")
        cookie = response.headers["Set-Cookie"]
        assert cookie.startswith(f"lang={OTHER};")
        for attribute in ("Path=/", "SameSite=Lax", "expires="):
            assert attribute.lower() in cookie.lower()
        assert "secure" not in cookie.lower()  # plain http
        # static/js/switcher.js must be able to overwrite it
        assert "httponly" not in cookie.lower()

    def test_query_tag_is_normalized_before_the_cookie(self):
        response = self.get(f"/about?lang={OTHER.upper().replace('-', '_')}")
        assert response.headers["Set-Cookie"].startswith(f"lang={OTHER};")

    def test_unsupported_lang_falls_through_and_sets_no_cookie(self):
        response = self.get("/about?lang=tlh", {"Accept-Language": OTHER})
        self.assert_negotiated_redirect(response, f"/{OTHER}/about")
        assert "Set-Cookie" not in response.headers

    def test_traditional_chinese_moves_on_to_the_next_preference(self):
        response = self.get("/about", {"Accept-Language": f"zh-TW, {OTHER};q=0.5"})
        if "zh-Hant" not in CATALOGS.tags:
            assert response.headers["Location"] == f"/{OTHER}/about"

    def test_secure_cookie_behind_https_proxy(self):
        app = make_app(CATALOGS)
        self.http_server.stop()
        # xheaders: the scheme comes from X-Forwarded-Proto
        server = tornado.httpserver.HTTPServer(app, xheaders=True)
        sock, port = tornado.testing.bind_unused_port()
        server.add_sockets([sock])
        try:
            response = self.fetch(
                f"http://127.0.0.1:{port}/about?lang={OTHER}",
                headers={"X-Forwarded-Proto": "https"}, follow_redirects=False,
            )
            assert "secure" in response.headers["Set-Cookie"].lower()
        finally:
            server.stop()

    def test_unprefixed_endpoints_are_served_where_they_are(self):
        for path in ("/sitemap.xml", "/robots.txt", f"/languages.json?lang={OTHER}", "/preferences.json",
                     "/translations/" + OTHER + ".po"):
            with self.subTest(path=path):
                response = self.get(path, {"Accept-Language": OTHER})
                assert response.code == 200, response.code
        response = self.get("/no/such/page", {"Accept-Language": OTHER})
        assert response.code == 404 and response.headers["Content-Language"] == OTHER
        assert response.headers["Cache-Control"] == "private, max-age=60"


class PrefixTest(SiteTestCase):
    """On a prefixed URL the path alone decides the language."""

    def test_every_page_in_every_locale_ignores_cookie_and_header(self):
        for tag in CATALOGS.tags:
            for path in ("/", "/languages", "/languages/ru", "/about", "/translations"):
                response, html = self.text(f"/{tag}{path}", {"Accept-Language": DEFAULT if tag != DEFAULT else OTHER,
                                                             "Cookie": f"lang={OTHER}"})
                assert response.code == 200, (tag, path)
                assert f'<html lang="{tag}"' in html
                assert response.headers["Content-Language"] == tag
                assert not {"Accept-Language", "Cookie"} & vary(response), (tag, path)
                assert "Set-Cookie" not in response.headers
                assert response.headers["Cache-Control"] == "public, max-age=60, s-maxage=600"
                assert response.headers["Etag"].startswith('"')

    def test_fix_up_table(self):
        table = [(OTHER.upper() if OTHER.upper() != OTHER else OTHER.lower(), OTHER, 301)]
        # a regional tag that is not offered maps to its language (fr-FR -> fr)
        aliases = [(regional_alias(tag), tag) for tag in CATALOGS.tags if regional_alias(tag)]
        table.append((*aliases[0], 302))
        if "he" in CATALOGS.tags:
            table.append(("iw", "he", 302))
        if "pt-BR" in CATALOGS.tags:
            table += [("pt_br", "pt-BR", 302), ("PT-br", "pt-BR", 301)]
        for raw, tag, status in table:
            for rest, query in (("/", ""), ("/about", "?x=1&y=%C3%A9")):
                with self.subTest(raw=raw, rest=rest):
                    response = self.get(f"/{raw}{rest}{query}", {"Accept-Language": DEFAULT})
                    assert response.code == status
                    assert response.headers["Location"] == f"/{tag}{rest}{query}"
                    assert "Set-Cookie" not in response.headers
                    assert not {"Accept-Language", "Cookie"} & vary(response)
                    assert response.headers["Cache-Control"].startswith("private, max-age=")
        response = self.get(f"/{OTHER}")
        assert response.code == 301 and response.headers["Location"] == f"/{OTHER}/"

    def test_unknown_prefix_is_a_negotiated_404(self):
        response, html = self.text("/tlh/about", {"Accept-Language": OTHER})
        assert response.code == 404 and f'<html lang="{OTHER}"' in html
        assert {"Accept-Language", "Cookie"} <= vary(response)

    def test_unknown_page_under_a_valid_prefix_is_a_404_in_that_language(self):
        translated = CATALOGS.get(OTHER).translator.translate("Page not found")
        for path in (f"/{OTHER}/no/such/page", f"/{OTHER}/languages/tlh", f"/{OTHER}/abou"):
            with self.subTest(path=path):
                response, html = self.text(path, {"Accept-Language": DEFAULT})
                assert response.code == 404
                assert response.headers["Content-Language"] == OTHER
                assert f'<html lang="{OTHER}"' in html and translated in html
                assert not {"Accept-Language", "Cookie"} & vary(response)
                assert response.headers["Cache-Control"] == "private, max-age=60"

    def test_lang_in_the_query_of_a_prefixed_page_changes_nothing(self):
        response, html = self.text(f"/{OTHER}/about?lang={DEFAULT}")
        assert response.code == 200 and f'<html lang="{OTHER}"' in html
        assert "Set-Cookie" not in response.headers

    def test_only_canonical_urls_are_for_shared_caches(self):
        table = [
            (f"/{OTHER}/about", caching.PAGE),
            (f"/{OTHER}/about?utm_source=x", caching.UNSHARED),
            (f"/{OTHER}/about?", caching.PAGE),
            (f"/{OTHER}/languages?page=2", caching.PAGE),
            (f"/{OTHER}/languages?page=1", caching.UNSHARED),
            (f"/{OTHER}/languages?page=02", caching.UNSHARED),
            (f"/{OTHER}/languages?page=2&x=", caching.UNSHARED),
            (f"/{OTHER}/languages?q=an", caching.UNSHARED),
        ]
        for path, expected in table:
            with self.subTest(path=path):
                response = self.get(path)
                assert response.code == 200
                assert response.headers["Cache-Control"] == expected
        _, html = self.text(f"/{OTHER}/languages?page=2")
        (previous,) = _Elements(html).find("a", rel="prev")
        assert previous["href"] == f"/{OTHER}/languages"

    def test_etag_and_304(self):
        first = self.get(f"/{OTHER}/about")
        again = self.get(f"/{OTHER}/about", {"If-None-Match": first.headers["Etag"]})
        assert again.code == 304 and again.body == b""
        other = self.get(f"/{OTHER}/about", {"If-None-Match": '"something-else"'})
        assert other.code == 200 and other.body == first.body


class SwitcherTest(SiteTestCase):
    def links(self, html):
        return {a["hreflang"]: a for a in _Elements(html).find("a") if "hreflang" in a}

    def test_switcher_links_to_the_same_page_under_each_prefix(self):
        response, html = self.text(f"/{OTHER}/languages?q=ru&page=1&utm=x")
        links = self.links(html)
        assert set(links) == set(CATALOGS.tags)
        for tag, link in links.items():
            assert link["lang"] == tag
            # only the arguments the page reads, normalised (page 1 is no page)
            assert link["href"] == f"/{tag}/languages?q=ru"
        assert links[OTHER].get("aria-current") == "true"
        assert "aria-current" not in links[DEFAULT]
        if RTL:
            assert links[RTL]["dir"] == "rtl"
        for info in CATALOGS.infos:
            assert f">{info.endonym}</a>" in html

    def test_switcher_on_a_language_page(self):
        _, html = self.text(f"/{OTHER}/languages/ru")
        assert self.links(html)[DEFAULT]["href"] == f"/{DEFAULT}/languages/ru"

    def test_canonical_and_hreflang_are_absolute_reciprocal_with_x_default(self):
        base = f"http://127.0.0.1:{self.get_http_port()}"
        pages = {}
        for tag in CATALOGS.tags:
            _, html = self.text(f"/{tag}/languages/ru?page=3")
            page = _Elements(html)
            (canonical,) = page.find("link", rel="canonical")
            assert canonical["href"] == f"{base}/{tag}/languages/ru"
            pages[tag] = {a["hreflang"]: a["href"] for a in page.find("link", rel="alternate")}
        for tag, alternates in pages.items():
            assert alternates.pop("x-default") == f"{base}/languages/ru"
            assert alternates == {t: f"{base}/{t}/languages/ru" for t in CATALOGS.tags}
        # reciprocal: every page lists every other one, which lists it back
        assert all(pages[a][b] and pages[b][a] for a in pages for b in pages)

    def test_error_pages_link_home_and_never_echo_the_path(self):
        for path in ("//evil.example/x", "/\\evil.example/x", f"/{OTHER}/" + "z" * 1900):
            with self.subTest(path=path[:30]):
                response, html = self.text(path)
                assert response.code == 404
                links = self.links(html)
                assert links and all(l["href"] == f"/{t}/" for t, l in links.items())
                assert "evil.example" not in html and "zzzz" not in html
                assert not _Elements(html).find("link", rel="alternate")
                assert not _Elements(html).find("link", rel="canonical")

    def test_origin_setting_decides_absolute_urls(self):
        app = make_app(CATALOGS, origin="https://languages.example.org")
        self.http_server.stop()
        server = tornado.httpserver.HTTPServer(app)
        sock, port = tornado.testing.bind_unused_port()
        server.add_sockets([sock])
        try:
            html = self.fetch(f"http://127.0.0.1:{port}/{OTHER}/about").body.decode()
            (canonical,) = _Elements(html).find("link", rel="canonical")
            assert canonical["href"] == f"https://languages.example.org/{OTHER}/about"
        finally:
            server.stop()


class PagesTest(SiteTestCase):
    @pytest.fixture(autouse=True)
    def _shipped(self):
        assert {"fr", "ru", "ar"} <= set(CATALOGS.tags)

    def test_home_leaves_the_personal_part_to_the_browser(self):
        _, by_default = self.text(f"/{DEFAULT}/")
        _, by_header = self.text(f"/{DEFAULT}/", {"Accept-Language": "sw;q=0.9, en-GB;q=0.8"})
        assert by_default == by_header  # one page for everyone
        assert 'class="browser-preferences" aria-labelledby="browser" hidden' in by_default
        assert "/static/js/home." in by_default

    def test_preferences_json(self):
        response = self.get("/preferences.json?lang=en", {"Accept-Language": "sw;q=0.9, en-GB;q=0.8"})
        data = json.loads(response.body)
        assert response.headers["Cache-Control"] == "private, no-store"
        assert {"Accept-Language", "Cookie"} <= vary(response)
        assert [(p["tag"], p["name"]) for p in data["preferences"]] == [
            ("sw", "Swahili"), ("en-GB", "English (United Kingdom)")]
        assert data["preferences"][0]["weight"] == "weight 90%"
        assert (data["chosen"], data["source"]) == ("en", "header")
        assert data["reason"] == "Your browser asked for it in its language preferences."
        data = json.loads(self.get("/preferences.json?lang=en", {"Cookie": f"lang={OTHER}"}).body)
        assert (data["chosen"], data["source"], data["preferences"]) == (OTHER, "cookie", [])

    def test_home_pluralizes_the_number_of_languages(self):
        _, html = self.text("/en/")
        assert f"available in {len(CATALOGS)} languages" in html

    def test_directory_counts_and_searches(self):
        _, html = self.text("/en/languages?q=ukrain")
        assert "1 language found" in html
        assert 'href="/en/languages/uk"' in html
        _, html = self.text("/en/languages?q=an")
        count = int(re.search(r"(\d+) languages found", html)[1])
        assert count > 1

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
        (form,) = _Elements(html).find("form")
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

    def test_head(self):
        response = self.fetch("/en/about", method="HEAD")
        assert response.code == 200 and response.body == b""

    def test_gzip(self):
        response = self.fetch("/en/languages", headers={"Accept-Encoding": "gzip"}, decompress_response=False)
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
        _, html = self.text("/ru/languages?q=ukrain")
        translator = CATALOGS.get("ru").translator
        assert translator.translate(*self.MESSAGE, 1) % {"count": "1"} in html


class StaticTest(SiteTestCase):
    def static_url(self, html: str, name: str) -> str:
        stem, ext = name.rsplit(".", 1)
        return re.search(rf'(?:href|src)="(/static/{stem}\.[0-9a-f]{{20}}\.{ext})"', html)[1]

    def test_pages_reference_static_files_by_hash_in_the_path(self):
        _, html = self.text("/en/")
        for name in ("css/site.css", "img/favicon.svg", "js/i18n.js", "js/switcher.js", "js/home.js"):
            assert self.static_url(html, name)
        assert "?v=" not in html

    def test_current_hash_is_immutable_for_a_year(self):
        _, html = self.text("/en/")
        url = self.static_url(html, "css/site.css")
        response = self.get(url)
        assert response.code == 200
        assert response.headers["Cache-Control"] == IMMUTABLE == "public, max-age=31536000, immutable"
        assert response.body == (LOCALE_DIR.parent / "static" / "css" / "site.css").read_bytes()

    @pytest.mark.filterwarnings("ignore")
    def test_no_wrong_or_old_hash_is_immutable(self):
        for url in ("/static/css/site.css", "/static/css/site.0123456789abcdef0123.css",
                    "/static/css/site.css?v=bogus", "/static/css/site.css?v="):
            response = self.get(url)
            assert response.code == 200
            assert response.headers["Cache-Control"] == "no-cache", url
            assert "Expires" not in response.headers
        assert self.get("/static/css/nothing.0123456789abcdef0123.css").code == 404

    def test_hashed_copies_for_a_proxy(self, ):
        import tempfile
        from website.handlers.static import write_hashed_copies

        _, html = self.text("/en/")
        url = self.static_url(html, "css/site.css")
        with tempfile.TemporaryDirectory() as out:
            written = write_hashed_copies(LOCALE_DIR.parent / "static", out)
            assert url.removeprefix("/static/") in written
            copied = (LOCALE_DIR.parent / "static" / "css" / "site.css").read_bytes()
            assert open(out + url.removeprefix("/static"), "rb").read() == copied

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
            assert response.code == 302 and response.headers["Location"].startswith("/")
            response = self.get("/no-such", {"Accept-Language": value})
            self.assert_safe(response)

    def test_control_characters_in_a_header_are_refused_by_http_itself(self):
        # RFC 9110 forbids control characters in field values; Tornado's
        # HTTP/1 parser answers 400 before any handler runs (so do proxies).
        response = self.get("/en/", {"Accept-Language": "en\x01\x7f"})
        assert response.code == 400
        assert b"Traceback" not in response.body

    def test_garbage_lang_query(self):
        for value in self.GARBAGE + ["%ff%fe", "%00"]:
            value = value[:1900]  # longer URLs are refused with 414 (SecurityTest)
            response = self.get("/about?lang=" + quote(value, safe="%"))
            assert response.code == 302, value
            assert response.headers["Location"] == f"/{DEFAULT}/about"
            assert "Set-Cookie" not in response.headers, value

    def test_garbage_cookie(self):
        for value in ["<script>alert(1)</script>", "../../etc", "x" * 4000, "\"ru", "zh-TW", "%72%75"]:
            response = self.get("/about", {"Cookie": "lang=" + value})
            assert response.code == 302
            assert response.headers["Location"] == f"/{DEFAULT}/about"

    def test_garbage_language_tag(self):
        for value in ["<script>alert(1)<%2Fscript>", "x" * 300, "%ff", "..%2F..%2Fetc", "ru-", "%3Cb%3E"]:
            response = self.get("/en/languages/" + value)
            self.assert_safe(response)
            assert response.code == 404

    def test_garbage_search_is_escaped_and_counted(self):
        for value in ["<script>alert(1)</script>", "%ff%fe", "x" * 800, "%00%01", "\"><img src=x>"]:
            response = self.get("/en/languages?q=" + quote(value, safe="%") + "&page=" + quote(value, safe="%"))
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
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["Content-Language"] == "ru"
        assert "secret detail" not in body and "Traceback" not in body
        assert CATALOGS.get("ru").translator.translate("Something went wrong") in body


class PageCacheTest(SiteTestCase):
    """The in-process page cache: bounded, keyed by what decides the page, emptied by a reload."""

    def get_app(self):
        self.app = make_app(CATALOGS, cookie_secret="test")
        return self.app

    def test_an_unknown_page_is_never_the_cached_home_page(self):
        assert self.get(f"/{OTHER}/").code == 200
        for path in ("nothing-here", "about/x", "languagesX"):
            assert self.get(f"/{OTHER}/{path}").code == 404, path
        assert len(self.app.page_cache) == 1

    def test_second_request_is_served_from_the_cache(self):
        first = self.get(f"/{OTHER}/about")
        assert len(self.app.page_cache) == 1
        # Same key whatever the query the page does not read.
        second = self.get(f"/{OTHER}/about?utm_source=x&lang={DEFAULT}")
        assert second.body == first.body and second.headers["Etag"] == first.headers["Etag"]
        assert len(self.app.page_cache) == 1
        assert self.get(f"/{OTHER}/about", {"If-None-Match": first.headers["Etag"]}).code == 304

    def test_a_hit_has_the_same_headers_as_the_render(self):
        names = ("Cache-Control", "Content-Language", "Content-Type", "Etag", "Vary")
        miss = self.get(f"/{OTHER}/languages/ru", {"Accept-Language": DEFAULT})
        hit = self.get(f"/{OTHER}/languages/ru", {"Accept-Language": OTHER, "Cookie": f"lang={DEFAULT}"})
        assert [miss.headers.get(n) for n in names] == [hit.headers.get(n) for n in names]
        assert "Set-Cookie" not in hit.headers and miss.body == hit.body

    def test_a_hit_does_not_render(self):
        self.get(f"/{OTHER}/about")
        key = next(iter(self.app.page_cache._items))
        expires, cost, (body, tag) = self.app.page_cache._items[key]
        marked = body.replace(b"</footer>", b"<!-- from the cache --></footer>")
        self.app.page_cache._items[key] = (expires, cost, (marked, tag))
        assert b"from the cache" in self.get(f"/{OTHER}/about").body

    def test_nothing_is_kept_for_errors_redirects_searches_or_unknown_paths(self):
        for path in (f"/{OTHER}/nothing", f"/{OTHER}/languages/tlh", f"/{OTHER.upper()}/about",
                     f"/{OTHER}/languages?q=an", "/about", "/x" * 100):
            self.get(path)
        assert len(self.app.page_cache) == 0
        assert len(self.app.fragments) <= len(CATALOGS.tags) * 2  # error pages: per locale only

    def test_pages_of_the_list_are_one_key_each(self):
        for query in ("", "?page=1", "?page=01", "?page=1&x=2"):
            self.get(f"/{OTHER}/languages{query}")
        assert len(self.app.page_cache) == 1
        self.get(f"/{OTHER}/languages?page=2")
        self.get(f"/{OTHER}/languages?page=99999")  # clamped to the last page
        self.get(f"/{OTHER}/languages?page=99998")
        assert len(self.app.page_cache) == 3

    def test_a_catalog_reload_empties_it(self):
        self.get(f"/{OTHER}/about")
        assert len(self.app.page_cache) == 1
        self.app.settings["catalogs"] = load_catalogs(str(LOCALE_DIR))
        try:
            self.get(f"/{OTHER}/languages")
            assert len(self.app.page_cache) == 1  # the old page is gone, the new one kept
        finally:
            self.app.settings["catalogs"] = CATALOGS

    def test_bounded_in_bytes(self):
        from website.handlers.caching import BoundedCache

        self.app.page_cache = BoundedCache(max_bytes=200_000)
        for tag in CATALOGS.tags:
            for path in ("/", "/about", "/languages", "/languages/ru", "/languages/fr", "/translations"):
                self.get(f"/{tag}{path}")
        assert 0 < self.app.page_cache.size <= 200_000
        assert len(self.app.page_cache) < len(CATALOGS.tags) * 6

    def test_entries_expire(self):
        now = [0.0]
        self.app.page_cache.clock = lambda: now[0]
        self.get(f"/{OTHER}/about")
        now[0] += self.app.page_cache.ttl + 1
        assert self.app.page_cache.get(CATALOGS, CATALOGS, next(iter(self.app.page_cache._items))) is None

    def test_off(self):
        app = make_app(CATALOGS, page_cache_bytes=0)
        assert app.page_cache.max_bytes == 0


class SitemapTest(SiteTestCase):
    NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}

    def get_app(self):
        self.app = make_app(CATALOGS, cookie_secret="test", origin="https://languages.example.org")
        return self.app

    def parse(self, url):
        import xml.etree.ElementTree as ET

        path = url.removeprefix("https://languages.example.org")
        response = self.get(path)
        assert response.code == 200, path
        assert response.headers["Content-Type"].startswith("application/xml")
        return ET.fromstring(response.body)

    def urls(self):
        index = self.parse("/sitemap.xml")
        assert index.tag == "{%s}sitemapindex" % self.NS["s"]
        found = {}
        for loc in index.findall("s:sitemap/s:loc", self.NS):
            for entry in self.parse(loc.text).findall("s:url", self.NS):
                links = {l.get("hreflang"): l.get("href") for l in entry.findall("x:link", self.NS)}
                found[entry.find("s:loc", self.NS).text] = links
        return found

    def test_every_page_in_every_locale_with_alternates(self):
        from website import directory

        found = self.urls()
        origin = "https://languages.example.org"
        languages = [e.tag for e in directory.entries("en") if directory.details(e.tag)]
        assert len(found) == len(CATALOGS.tags) * (4 + len(languages))
        for tag in CATALOGS.tags:
            for path in ("/", "/languages", "/about", "/translations", "/languages/ru", f"/languages/{languages[-1]}"):
                links = found[f"{origin}/{tag}{path}"]
                assert links == {**{t: f"{origin}/{t}{path}" for t in CATALOGS.tags}, "x-default": origin + path}
        # what the sitemap lists is what the pages say
        _, html = self.text(f"/{OTHER}/languages/ru")
        alternates = {a["hreflang"]: a["href"] for a in _Elements(html).find("link", rel="alternate")}
        assert alternates == found[f"{origin}/{OTHER}/languages/ru"]

    def test_large_sitemaps_are_split(self):
        self.app.settings["sitemap_max_urls"] = 100
        found = self.urls()
        assert len(found) == len(CATALOGS.tags) * (4 + len(found) // len(CATALOGS.tags) - 4)
        index = self.parse("/sitemap.xml")
        assert len(index) > len(CATALOGS.tags)
        assert self.get(f"/sitemaps/{OTHER}-99999.xml").code == 404
        assert self.get("/sitemaps/tlh-1.xml").code == 404

    def test_robots_names_the_sitemap(self):
        response = self.get("/robots.txt")
        assert response.code == 200
        assert "Sitemap: https://languages.example.org/sitemap.xml" in response.body.decode().splitlines()


def test_only_prefixed_handlers_can_be_pages():
    from website.app import Page
    from website.handlers.languages import LanguagesJsonHandler

    with pytest.raises(TypeError):
        Page("json", r"/languages\.json", LanguagesJsonHandler)
