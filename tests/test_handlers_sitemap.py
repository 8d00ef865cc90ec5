"""/sitemap.xml, its children and /robots.txt."""

from __future__ import annotations

from website.app import make_app

from site_case import CATALOGS, OTHER, Elements, SiteTestCase


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
        alternates = {a["hreflang"]: a["href"] for a in Elements(html).find("link", rel="alternate")}
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
