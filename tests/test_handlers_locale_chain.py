"""Where an unprefixed request's language comes from: query, cookie, header; bad input."""

from __future__ import annotations

from urllib.parse import quote

import tornado.httpserver
import tornado.testing

from website.app import make_app

from site_case import CATALOGS, DEFAULT, OTHER, SiteTestCase, vary


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
