"""Page cache hits answered before any handler exists (website.handlers.page_cache).

Each test compares raw HTTP bytes, read from a real socket: a hit must be
the very response the handler sent (the ``Date`` line aside).
"""

from __future__ import annotations

import logging
import re

from tornado.tcpclient import TCPClient
from tornado.testing import AsyncHTTPTestCase, gen_test

from website.app import PAGES, Page, make_app
from website.handlers.page_hook import PageHook
from website.i18n.catalogs import load_catalogs

from conftest import LOCALE_DIR, shipped_catalogs

CATALOGS = shipped_catalogs()
DEFAULT = CATALOGS.default
OTHER = next(tag for tag in CATALOGS.tags if tag != DEFAULT)
DATE = re.compile(rb"\r\nDate: [^\r]*")


def counting(handler: type) -> type:
    """``handler`` with a count of its instances, kept on the class."""

    class Counting(handler):
        built = 0

        def __init__(self, *args, **kwargs):
            type(self).built += 1
            super().__init__(*args, **kwargs)

    Counting.__name__ = "Counting" + handler.__name__
    return Counting


class SessionCookieHook(PageHook):
    """Applies to requests with a ``session`` cookie, and finds no state: a stand-in for translator mode."""

    def __init__(self):
        self.prepared = 0

    def applies(self, request) -> bool:
        return "session=" in request.headers.get("Cookie", "")

    async def prepare(self, handler, tag):
        self.prepared += 1
        return None


class PageCacheHitTest(AsyncHTTPTestCase):
    def get_app(self):
        self.pages = tuple(Page(p.name, p.pattern, counting(p.handler), p.instances) for p in PAGES)
        self.handlers = {p.name: p.handler for p in self.pages}
        self.app = make_app(CATALOGS, cookie_secret="test", pages=self.pages)
        self.hook = SessionCookieHook()
        self.app.settings["page_hook"] = self.hook
        return self.app

    def built(self, name: str = "about") -> int:
        return self.handlers[name].built

    async def raw(self, path: str, method: str = "GET", headers: dict | None = None) -> bytes:
        """The whole response to one request, as bytes from the socket."""
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.get_http_port()}", "Connection: close"]
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        stream = await TCPClient().connect("127.0.0.1", self.get_http_port())
        try:
            await stream.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
            return await stream.read_until_close()
        finally:
            stream.close()

    @staticmethod
    def without_date(response: bytes) -> bytes:
        assert len(DATE.findall(response)) == 1, response[:300]
        return DATE.sub(b"", response)

    @staticmethod
    def head(response: bytes) -> dict[str, str]:
        lines = response.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")[1:]
        return dict(line.split(": ", 1) for line in lines)

    @gen_test
    async def test_a_hit_is_the_miss_byte_for_byte_without_a_handler(self):
        for headers in ({}, {"Accept-Encoding": "gzip"}, {"Accept-Language": DEFAULT, "Cookie": f"lang={DEFAULT}"}):
            for path, name in ((f"/{OTHER}/about", "about"), (f"/{OTHER}/languages?page=2", "languages"),
                               (f"/{OTHER}/", "home")):
                self.app.forget_rendered()
                before = self.built(name)
                miss = await self.raw(path, headers=headers)
                assert self.built(name) == before + 1
                hit = await self.raw(path, headers=headers)
                again = await self.raw(path, headers=headers)
                assert self.built(name) == before + 1, (path, headers)  # no handler for either hit
                assert miss.startswith(b"HTTP/1.1 200 OK\r\n")
                assert self.without_date(hit) == self.without_date(miss), (path, headers)
                assert self.without_date(again) == self.without_date(miss), (path, headers)
        assert self.head(miss)["Content-Security-Policy"] and self.head(miss)["Etag"]

    @gen_test
    async def test_gzip_is_applied_per_request(self):
        path = f"/{OTHER}/about"
        plain_miss = await self.raw(path)
        gzip_hit = await self.raw(path, headers={"Accept-Encoding": "gzip"})
        plain_hit = await self.raw(path)
        assert self.built() == 1
        assert self.head(gzip_hit)["Content-Encoding"] == "gzip"
        assert "Content-Encoding" not in self.head(plain_hit)
        assert self.without_date(plain_hit) == self.without_date(plain_miss)

    @gen_test
    async def test_if_none_match_gets_the_handlers_304(self):
        path = f"/{OTHER}/about"
        miss = await self.raw(path)
        etag = self.head(miss)["Etag"]
        hit_304 = await self.raw(path, headers={"If-None-Match": etag})
        assert self.built() == 1
        assert hit_304.startswith(b"HTTP/1.1 304 Not Modified\r\n")
        assert hit_304.endswith(b"\r\n\r\n")  # no body
        # The handler's own 304 (the page cache off, so a handler answers): the same bytes.
        self.app.page_cache.max_bytes = 0
        rendered_304 = await self.raw(path, headers={"If-None-Match": f'W/"x", {etag}'})
        assert self.built() == 2
        assert self.without_date(hit_304) == self.without_date(rendered_304)
        headers = self.head(hit_304)
        assert "Content-Type" not in headers and "Content-Language" not in headers
        assert headers["Etag"] == etag and headers["Cache-Control"].startswith("public")

    @gen_test
    async def test_head_gets_the_headers_only(self):
        path = f"/{OTHER}/about"
        get = await self.raw(path)
        head_hit = await self.raw(path, method="HEAD")
        assert self.built() == 1
        assert self.without_date(head_hit) == self.without_date(get[: get.index(b"\r\n\r\n") + 4])
        head_miss_app = await self.raw(f"/{OTHER}/translations", method="HEAD")
        head_hit_app = await self.raw(f"/{OTHER}/translations", method="HEAD")
        assert self.built("translations") == 1
        assert self.without_date(head_hit_app) == self.without_date(head_miss_app)

    @gen_test
    async def test_hits_are_logged(self):
        path = f"/{OTHER}/about"
        await self.raw(path)
        with self.assertLogs("tornado.access", logging.INFO) as logs:
            await self.raw(path)
            await self.raw(path, headers={"If-None-Match": "*"})
        assert self.built() == 1
        assert [line.split()[0] for line in logs.output] == ["INFO:tornado.access:200", "INFO:tornado.access:304"]
        assert f"GET /{OTHER}/about (127.0.0.1)" in logs.output[0]
        assert self.app.in_flight == 0

    @gen_test
    async def test_other_spellings_and_methods_reach_the_handler(self):
        await self.raw(f"/{OTHER}/languages/ru")
        assert self.built("language") == 1
        for path in (f"/{OTHER}/languages/r%75", f"/{OTHER}/languages/ru?utm=1", f"/{OTHER}/languages/ru?"):
            response = await self.raw(path)
            assert response.startswith(b"HTTP/1.1 200"), path
        # ``?`` alone is the canonical query, the others are spelled differently.
        assert self.built("language") == 3
        response = await self.raw(f"/{OTHER}/languages/ru", method="POST", headers={"Content-Length": "0"})
        assert response.startswith(b"HTTP/1.1 405")
        assert self.built("language") == 3

    @gen_test
    async def test_the_hook_sees_its_requests_before_the_cache(self):
        path = f"/{OTHER}/about"
        visitor = await self.raw(path)
        signed_in = await self.raw(path, headers={"Cookie": "session=abc"})
        assert self.built() == 2 and self.hook.prepared == 1
        # No state: the visitor's page after all, from the cache by key.
        assert self.without_date(signed_in) == self.without_date(visitor)

    @gen_test
    async def test_a_catalog_reload_forgets_the_urls(self):
        path = f"/{OTHER}/about"
        await self.raw(path)
        await self.raw(path)
        assert self.built() == 1 and len(self.app.page_urls) == 1
        self.app.settings["catalogs"] = load_catalogs(str(LOCALE_DIR), min_percent=0.0)
        try:
            await self.raw(path)
            assert self.built() == 2
            await self.raw(path)
            assert self.built() == 2 and len(self.app.page_urls) == 1
        finally:
            self.app.settings["catalogs"] = CATALOGS

    @gen_test
    async def test_errors_redirects_and_searches_are_never_recorded(self):
        for path in (f"/{OTHER}/nothing", f"/{OTHER}/languages/tlh", f"/{OTHER.upper()}/about",
                     f"/{OTHER}/languages?q=an", "/about", f"/{OTHER}"):
            await self.raw(path)
            await self.raw(path)
        assert len(self.app.page_urls) == 0
