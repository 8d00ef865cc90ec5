"""The home page, /preferences.json, HEAD and gzip."""

from __future__ import annotations

import json

import pytest

from site_case import CATALOGS, DEFAULT, OTHER, SiteTestCase, vary


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

    def test_head(self):
        response = self.fetch("/en/about", method="HEAD")
        assert response.code == 200 and response.body == b""

    def test_gzip(self):
        response = self.fetch("/en/languages", headers={"Accept-Encoding": "gzip"}, decompress_response=False)
        assert response.headers["Content-Encoding"] == "gzip"
