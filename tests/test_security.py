"""The HTTP surface under attack: headers, Host, limits, bad paths, methods, in flight.

HTTP tables against the application (AsyncHTTPTestCase); the server's own
limits and timeouts (HTTPServer options, raw sockets, SIGTERM) are in
tests/test_limits.py.
"""

from __future__ import annotations

import json
import logging
import re

import pytest
import tornado.httpserver
import tornado.iostream
import tornado.testing
from tornado.testing import AsyncHTTPTestCase

from website import security
from website.app import make_app
from website.handlers.base import BaseHandler
from website.i18n.catalogs import load_catalogs

from conftest import LOCALE_DIR

CATALOGS = load_catalogs(str(LOCALE_DIR))

# The site-wide values, written out here (not imported) so that a change
# to website.security that drifts from them fails.
EXPECTED = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Server": "website",
}
HSTS = "max-age=63072000; includeSubDomains"


class Boom(BaseHandler):
    def get(self):
        raise RuntimeError("boom")


def build_app(**kwargs):
    app = make_app(CATALOGS, cookie_secret="test", **kwargs)
    app.add_handlers(r".*", [(r"/boom", Boom)])
    return app


class SecurityTestCase(AsyncHTTPTestCase):
    origin = ""

    def get_app(self):
        return build_app(origin=self.origin)

    def request(self, method: str, path: str, headers: dict | None = None, **kwargs):
        body = b"" if method in ("POST", "PUT", "PATCH") else None
        return self.fetch(path, method=method, headers=headers or {}, body=body,
                          follow_redirects=False, allow_nonstandard_methods=True, **kwargs)

    def raw(self, data: bytes) -> bytes:
        """Send ``data`` on a fresh connection and read until the server closes it."""

        async def exchange():
            stream = tornado.iostream.IOStream(__import__("socket").socket())
            await stream.connect(("127.0.0.1", self.get_http_port()))
            await stream.write(data)
            try:
                return await stream.read_until_close()
            except tornado.iostream.StreamClosedError:
                return b""

        return self.io_loop.run_sync(exchange, timeout=10)

    def page(self, path: str) -> str:
        """Where a visitor's page is served: ``path`` itself, or where it redirects
        (per-language URLs), so that these tests hold for either URL scheme."""
        response = self.fetch(path, follow_redirects=True)
        assert response.code == 200, (path, response.code)
        return response.effective_url.split(str(self.get_http_port()), 1)[1]

    def catalog_url(self) -> str:
        html = self.request("GET", self.page("/languages")).body.decode()
        return re.search(r'data-i18n-catalog="([^"]+)"', html)[1]

    def static_url(self) -> str:
        html = self.request("GET", self.page("/")).body.decode()
        return re.search(r'href="(/static/css/site[^"]*)"', html)[1]


class HeadersTest(SecurityTestCase):
    """Every kind of response the application gives carries every header."""

    def responses(self):
        css = self.static_url()
        etag = self.request("GET", css).headers["Etag"]
        return [
            # (what, method, path, headers, expected status or statuses)
            ("page", "GET", self.page("/"), {}, 200),
            ("switch", "GET", "/about?lang=fr", {}, (200, 302)),  # a redirect on per-language URLs
            ("head", "HEAD", self.page("/about"), {}, 200),
            ("localized 404", "GET", "/no/such/page", {}, 404),
            ("redirect", "GET", "/languages/PT_br", {}, (301, 302)),
            ("500", "GET", "/boom", {}, 500),
            ("static", "GET", css, {}, 200),
            ("static 304", "GET", css, {"If-None-Match": etag}, 304),
            ("static 404", "GET", "/static/css/nothing.css", {}, 404),
            ("json", "GET", "/languages.json", {}, 200),
            ("browser catalog", "GET", self.catalog_url(), {}, 200),
            ("catalog download", "GET", "/translations/fr.po", {}, 200),
            ("405", "POST", self.page("/about"), {}, 405),
            ("414", "GET", "/languages?q=" + "a" * 3000, {}, 414),
            ("bad path", "GET", "/static/css/site.css%00", {}, 404),
            ("malformed path", "GET", "/static/css/site.css%zz", {}, 400),
            ("bad host", "GET", "/", {"Host": "evil.example"}, 400),
        ]

    @pytest.mark.filterwarnings("ignore")
    def test_every_response_carries_the_security_headers(self):
        for what, method, path, headers, status in self.responses():
            response = self.request(method, path, headers)
            assert response.code in (status if isinstance(status, tuple) else (status,)), (what, response.code)
            for name, value in EXPECTED.items():
                assert response.headers.get(name) == value, (what, name, response.headers.get(name))
            assert "Strict-Transport-Security" not in response.headers, what  # plain http
            assert "Tornado" not in str(response.headers), what

    def test_a_handler_may_tighten_its_own_policy(self):
        class Strict(BaseHandler):
            def get(self):
                self.set_header("Content-Security-Policy", "default-src 'none'")
                self.finish("ok")

        self._app.add_handlers(r".*", [(r"/strict", Strict)])
        response = self.request("GET", "/strict")
        assert response.headers["Content-Security-Policy"] == "default-src 'none'"
        assert response.headers["X-Frame-Options"] == "DENY"

    def test_settings_change_the_values_in_one_place(self):
        transform = security.headers_transform(
            {"security_headers": {"X-Frame-Options": None, "Referrer-Policy": "no-referrer"},
             "hsts": "", "server_header": "x"})
        request = tornado.httputil.HTTPServerRequest(
            start_line=tornado.httputil.RequestStartLine("GET", "/", "HTTP/1.0"))
        request.protocol = "https"
        _, headers, _ = transform(request).transform_first_chunk(200, tornado.httputil.HTTPHeaders(),
                                                                 b"", True)
        assert "X-Frame-Options" not in headers and "Strict-Transport-Security" not in headers
        assert headers["Referrer-Policy"] == "no-referrer" and headers["Server"] == "x"


class HstsTest(AsyncHTTPTestCase):
    """HSTS only over https, which behind the proxy (--xheaders) is X-Forwarded-Proto."""

    def get_app(self):
        return build_app()

    def get_httpserver_options(self):
        return {"xheaders": True}

    @pytest.mark.filterwarnings("ignore")
    def test_hsts_table(self):
        table = [
            # (path, X-Forwarded-Proto, HSTS expected)
            ("/", "https", True),
            ("/about", "https", True),
            ("/no/such/page", "https", True),
            ("/static/img/favicon.svg", "https", True),
            ("/languages?q=" + "a" * 3000, "https", True),
            ("/", "http", False),
            ("/about", None, False),
        ]
        for path, proto, expected in table:
            headers = {"X-Forwarded-Proto": proto} if proto else {}
            response = self.fetch(path, headers=headers, follow_redirects=False)
            assert response.headers.get("Strict-Transport-Security") == (HSTS if expected else None), (
                path, proto)

    def test_forwarded_proto_is_ignored_without_xheaders(self):
        app = build_app()
        server = tornado.httpserver.HTTPServer(app)  # no xheaders
        sock, port = tornado.testing.bind_unused_port()
        server.add_sockets([sock])
        try:
            response = self.fetch(f"http://127.0.0.1:{port}/", headers={"X-Forwarded-Proto": "https"})
            assert "Strict-Transport-Security" not in response.headers
        finally:
            server.stop()


def alternates(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', html))


class HostTest(SecurityTestCase):
    """Without --origin, absolute URLs come only from a loopback Host; others get 400."""

    def test_host_table(self):
        table = [
            ("localhost", 200),
            ("localhost:8888", 200),
            ("LocalHost:1", 200),
            ("127.0.0.1", 200),
            ("127.1.2.3:9000", 200),
            ("[::1]", 200),
            ("[::1]:8080", 200),
            ("evil.example", 400),
            ("evil.example:80", 400),
            ("localhost.evil.example", 400),
            ("127.0.0.1.evil.example", 400),
            ("evil.example#@localhost", 400),
            ("localhost:99999", 400),
            ("localhost:", 400),
            ("[::2]", 400),
            ("10.0.0.1", 400),
            ("0.0.0.0", 400),
            ("::1", 400),
            ("localhost, evil.example", 400),
            ("localhost" + "0" * 300, 400),
        ]
        page = self.page("/languages/ru")
        for host, status in table:
            response = self.request("GET", page, {"Host": host})
            assert response.code == status, (host, response.code)
            body = response.body.decode()
            if status == 200:
                links = alternates(body)
                assert links and all(h.startswith(f"http://{host.lower()}/") for h in links.values()), host
            else:
                assert len(response.body) < 200 and "evil" not in body, host
                # (Tornado's parser itself refuses some, such as two hosts, with an empty 400.)
                assert response.headers.get("Content-Type", "text/plain").startswith("text/plain")

    def test_public_origin_refuses_a_foreign_host_itself(self):
        # The second line of defence, for any code that builds absolute URLs.
        request = tornado.httputil.HTTPServerRequest(
            start_line=tornado.httputil.RequestStartLine("GET", "/", "HTTP/1.1"),
            headers=tornado.httputil.HTTPHeaders({"Host": "evil.example"}))
        with pytest.raises(tornado.web.HTTPError) as error:
            security.public_origin(request, "")
        assert error.value.status_code == 400
        assert security.public_origin(request, "https://example.org") == "https://example.org"


class OriginTest(SecurityTestCase):
    """With --origin, absolute URLs use it whatever the Host."""

    origin = "https://Languages.example.org/"

    def test_origin_table(self):
        page = self.page("/languages/ru")
        for host in ("evil.example", "localhost:8888", "languages.example.org"):
            response = self.request("GET", page, {"Host": host})
            assert response.code == 200, host
            links = alternates(response.body.decode())
            assert links and all(h.startswith("https://languages.example.org/") and "/languages/ru" in h
                                 for h in links.values()), host

    def test_a_malformed_origin_stops_the_start(self):
        for origin in ("languages.example.org", "ftp://example.org", "https://example.org/site",
                       "https://example.org?x", "https://user@example.org", "https://example.org:99999"):
            with pytest.raises(ValueError):
                make_app(CATALOGS, origin=origin)


class UrlLengthTest(SecurityTestCase):
    def test_length_table(self):
        limit = security.MAX_URL_BYTES
        assert limit == 2048
        search = self.page("/languages") + "?q="
        table = [
            # (URL, expected status; None: anything but 414 and errors)
            (search + "a" * (limit - len(search)), 200),
            (search + "a" * (limit - len(search) + 1), 414),
            ("/" + "a" * (limit - 1), None),
            ("/" + "a" * limit, 414),
            ("/static/css/site.css?v=" + "0" * 3000, 414),
            ("/" + "é" * 1100, 414),  # 2,200 bytes once encoded
            ("/languages?q=" + "x" * 40000, 414),
        ]
        for url, status in table:
            response = self.request("GET", url)
            if status is None:
                assert response.code in (301, 302, 404), (len(url), response.code)
            else:
                assert response.code == status, (len(url), response.code)
            if status == 414:
                assert len(response.body) < 200 and b"xxx" not in response.body


class BadPathTest(SecurityTestCase):
    """Paths no route or file can use: 400 or 404, never 500, nothing logged as an error."""

    # 400: malformed (website.security.bad_path); "404!": refused before
    # routing as naming nothing (the plain-text refusal); other statuses are
    # what the router or a handler makes of a usable path.
    TABLE = [
        ("/static/css/site.css%00", "404!"),
        ("/static/css/site.css%00.png", "404!"),
        ("/static/css/%0a", "404!"),
        ("/%00", "404!"),
        ("/about%7f", "404!"),
        ("/static/%2e%2e/pyproject.toml", "404!"),
        ("/static/css/..%2f..%2fpyproject.toml", "404!"),
        ("/static/css/..%5c..%5cpyproject.toml", "404!"),
        ("/static/./css/site.css", "404!"),
        ("/languages/%ff", "404!"),
        ("/languages/%E2%82", "404!"),
        ("/languages/%C0%AF", "404!"),  # overlong "/"
        ("/i18n/%00", "404!"),
        ("/translations/%00.po", "404!"),
        ("/languages/%zz", 400),
        ("/languages/%", 400),
        ("/languages/%f", 400),
        ("/static/css/site.css%ZZ", 400),
        ("/languages/%C3%A9", 404),  # valid UTF-8, unknown tag
        ("/static/css/nothing.css", 404),
        ("/static/", 403),  # a folder: StaticFileHandler says Forbidden
        ("/static/css", 403),
        ("/i18n/messages.0000.json", 404),
        ("/translations/xx.po", 404),
        ("/translations/..po", 404),
        ("//evil.example/x", 404),
        ("/languages/a%20b", 404),
    ]

    @pytest.fixture(autouse=True)
    def _caplog(self, caplog):
        self.caplog = caplog

    def test_bad_path_table(self):
        with self.caplog.at_level(logging.INFO):
            for path, status in self.TABLE:
                response = self.request("GET", path)
                if status == 400:
                    assert response.code == 400, (path, response.code)
                elif status == "404!":
                    assert response.code == 404 and response.body.startswith(b"404 Not Found: The path"), (
                        path, response.code, response.body[:80])
                else:  # what the router or a handler makes of it (per-language URLs redirect)
                    assert response.code in (status, 301, 302), (path, response.code)
                assert b"Traceback" not in response.body
        errors = [r for r in self.caplog.records if r.levelno >= logging.ERROR or r.exc_info]
        assert errors == [], [r.getMessage()[:200] for r in errors]

    def test_raw_bytes_and_raw_dot_segments(self):
        # What a client that does not encode sends; the HTTP client would clean it up.
        table = [
            (b"GET /static/../pyproject.toml HTTP/1.1", b"404"),
            (b"GET /static/css/../../README.md HTTP/1.1", b"404"),
            (b"GET /languages/\xff HTTP/1.1", b"400"),
            (b"GET /languages/\xc3\xa9 HTTP/1.1", b"400"),
            (b"GET http://evil.example/about HTTP/1.1", b"400"),  # absolute-form
            (b"OPTIONS * HTTP/1.1", b"400"),
            (b"GET /about HTTP/1.1", (b"200", b"302")),
        ]
        with self.caplog.at_level(logging.INFO):
            for line, status in table:
                response = self.raw(line + b"\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                assert response.split(b" ")[1] in (status if isinstance(status, tuple) else (status,)), (
                    line, response[:100])
        errors = [r for r in self.caplog.records if r.levelno >= logging.ERROR or r.exc_info]
        assert errors == []


class MethodTest(SecurityTestCase):
    """405 with Allow, and with the handler's real methods."""

    def test_method_table(self):
        css = self.static_url()
        table = [
            ("POST", self.page("/"), "GET, HEAD"),
            ("PUT", self.page("/languages"), "GET, HEAD"),
            ("DELETE", self.page("/languages/ru"), "GET, HEAD"),
            ("OPTIONS", self.page("/about"), "GET, HEAD"),
            ("PATCH", self.page("/translations"), "GET, HEAD"),
            ("POST", "/translations/fr.po", "GET, HEAD"),
            ("POST", "/languages.json", "GET, HEAD"),
            ("DELETE", css, "GET, HEAD"),
            ("POST", self.catalog_url(), "GET"),
            ("HEAD", self.catalog_url(), "GET"),
        ]
        for method, path, allow in table:
            response = self.request(method, path)
            assert response.code == 405, (method, path, response.code)
            assert response.headers["Allow"] == allow, (method, path)
            assert len(response.body) < 200

    def test_unknown_method_token(self):
        path = self.page("/about").encode()
        response = self.raw(b"BREW " + path + b" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        head = response.split(b"\r\n\r\n")[0]
        assert head.startswith(b"HTTP/1.1 405") and b"\r\nAllow: GET, HEAD" in head

    def test_allowed_methods_come_from_the_handler(self):
        from website.handlers.base import NotFoundHandler

        class Form(BaseHandler):
            def get(self):
                pass

            def post(self):
                pass

        assert security.allowed_methods(Form) == ("GET", "HEAD", "POST")
        assert security.allowed_methods(NotFoundHandler) == ()  # every method gets the 404


class InFlightTest(SecurityTestCase):
    """Requests the HTTP parser refuses, or that never finish arriving, are not counted."""

    def test_refused_and_abandoned_requests_are_released(self):
        app = self._app
        table = [
            b"POST /about HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
            b"POST /about HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\n\r\n",
            b"GET /about HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
            b"GET /static/css/site.css%00 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        ]
        for data in table:
            self.raw(data)
            assert app.in_flight == 0, data
        # A client that goes away in the middle of its body.
        async def abandon():
            stream = tornado.iostream.IOStream(__import__("socket").socket())
            await stream.connect(("127.0.0.1", self.get_http_port()))
            await stream.write(b"POST /about HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\nabc")
            counted = await settled(lambda: app.in_flight == 1)
            stream.close()
            await settled(lambda: app.in_flight == 0)
            return counted

        async def settled(condition, timeout=5.0):
            # The server reads and releases on later turns of the IOLoop: poll, with a deadline.
            deadline = self.io_loop.time() + timeout
            while not condition() and self.io_loop.time() < deadline:
                await tornado.gen.sleep(0.005)
            return app.in_flight

        assert self.io_loop.run_sync(abandon) == 1
        assert app.in_flight == 0


class _Inline(__import__("html.parser").parser.HTMLParser):
    """Inline script, inline style and event-handler attributes in a page."""

    def __init__(self, html: str):
        super().__init__()
        self.found: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "style" or (tag == "script" and not attrs.get("src")):
            self.found.append(f"<{tag}>")
        for name in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"<{tag} {name}=>")
        if any((v or "").strip().lower().startswith("javascript:") for v in attrs.values()):
            self.found.append(f"<{tag}> javascript: URL")


class NoInlineTest(SecurityTestCase):
    """What the policy forbids is absent from every page in every locale (Chromium checks it runs)."""

    def test_pages_have_no_inline_script_style_or_handlers(self):
        found = []
        for tag in CATALOGS.tags:
            for path in ("/", "/languages", "/languages?q=a", "/languages/ar", "/about", "/translations",
                         "/no/such/page"):
                html = self.fetch(f"{path}{'&' if '?' in path else '?'}lang={tag}").body.decode()
                found += [f"{tag} {path}: {item}" for item in _Inline(html).found]
        assert found == []

    def test_the_checker_finds_them(self):
        html = '<p style="x"><script>1</script><a onclick="x" href="javascript:x">'
        assert len(_Inline(html).found) == 4


class RefusalLogTest(SecurityTestCase):
    @pytest.fixture(autouse=True)
    def _caplog(self, caplog):
        self.caplog = caplog

    def test_a_refused_url_is_logged_short_and_printable(self):
        with self.caplog.at_level(logging.INFO, logger="tornado.access"):
            self.request("GET", "/" + "a" * 30000)
            self.raw(b"GET /x%00\xff HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        lines = [r.getMessage() for r in self.caplog.records if r.name == "tornado.access"]
        assert len(lines) == 2 and lines[0].startswith("414 GET /aaa") and lines[1].startswith("400 GET /x%00\\xff")
        assert all(len(line) < 300 and "\xff" not in line for line in lines), lines


class RefusalFormatTest(SecurityTestCase):
    def test_a_client_asking_for_json_gets_json(self):
        for path, status in (("/translate/%FF%00/entries", 404), ("/x%zz", 400), ("/" + "a" * 3000, 414)):
            response = self.request("GET", path, {"Accept": "application/json"})
            assert response.code == status
            assert response.headers["Content-Type"].startswith("application/json")
            assert json.loads(response.body)["error"]
            plain = self.request("GET", path)
            assert plain.headers["Content-Type"].startswith("text/plain") and plain.body.startswith(
                str(status).encode())
