"""What every page carries: the switcher, canonical and hreflang links, the error pages."""

from __future__ import annotations

import tornado.httpserver
import tornado.testing
from tornado.testing import AsyncHTTPTestCase

from website.app import make_app

from site_case import CATALOGS, DEFAULT, OTHER, RTL, Elements, SiteTestCase


class SwitcherTest(SiteTestCase):
    def links(self, html):
        return {a["hreflang"]: a for a in Elements(html).find("a") if "hreflang" in a}

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
            page = Elements(html)
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
                assert not Elements(html).find("link", rel="alternate")
                assert not Elements(html).find("link", rel="canonical")

    def test_origin_setting_decides_absolute_urls(self):
        app = make_app(CATALOGS, origin="https://languages.example.org")
        self.http_server.stop()
        server = tornado.httpserver.HTTPServer(app)
        sock, port = tornado.testing.bind_unused_port()
        server.add_sockets([sock])
        try:
            html = self.fetch(f"http://127.0.0.1:{port}/{OTHER}/about").body.decode()
            (canonical,) = Elements(html).find("link", rel="canonical")
            assert canonical["href"] == f"https://languages.example.org/{OTHER}/about"
        finally:
            server.stop()


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
