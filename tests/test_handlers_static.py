"""Static files by hash in the path: immutable when current, no-cache otherwise."""

from __future__ import annotations

import re

import pytest

from website.handlers.static import IMMUTABLE

from conftest import ROOT
from site_case import SiteTestCase


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
        assert response.body == (ROOT / "static" / "css" / "site.css").read_bytes()

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
            written = write_hashed_copies(ROOT / "static", out)
            assert url.removeprefix("/static/") in written
            copied = (ROOT / "static" / "css" / "site.css").read_bytes()
            assert open(out + url.removeprefix("/static"), "rb").read() == copied

    def test_stylesheet_uses_logical_properties_only(self):
        css = (ROOT / "static" / "css" / "site.css").read_text()
        physical = re.findall(r"(?:margin|padding|border)-(?:left|right)\b|\b(?:left|right)\s*:|text-align:\s*(?:left|right)|float:\s*(?:left|right)", css)
        assert physical == []
