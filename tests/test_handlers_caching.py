"""The in-process page cache: bounded, keyed by what decides the page, emptied by a reload."""

from __future__ import annotations

from website import directory
from website.app import make_app
from website.i18n import tags
from website.i18n.catalogs import load_catalogs

from catalog_builder import site_locale_dir
from site_case import CATALOGS, DEFAULT, OTHER, SiteTestCase


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
        # Error pages' fragments per locale only, and the directory's rows
        # per (locale, language): never a key from the query.
        rows = [key for key in self.app.fragments.keys() if key[0] == "language-row"]
        assert len(self.app.fragments) - len(rows) <= len(CATALOGS.tags) * 2
        languages = {entry.tag for entry in directory.entries(tags.to_gettext_id(OTHER))}
        assert rows and all(len(key) == 3 and key[1] == OTHER and key[2] in languages for key in rows)

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
        self.app.settings["catalogs"] = load_catalogs(str(site_locale_dir()))
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
