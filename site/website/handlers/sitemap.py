"""``/sitemap.xml`` and ``/robots.txt``: every page in every offered language.

The sitemap is an index of child sitemaps, one or more per locale
(``/sitemaps/fr-1.xml``): each child stays under the protocol's limits
(50,000 URLs, 50 MB) whatever the number of languages, and lists each page
with its ``xhtml:link`` alternates in every offered locale plus
``x-default``, the same links the pages carry. The pages come from the
route table (:class:`website.handlers.localized.Page`), language pages
included.
"""

from __future__ import annotations

import functools
import math
from xml.sax.saxutils import quoteattr

import tornado.web

from website.handlers import locale_chain
from website.handlers.base import BaseHandler

__all__ = ["SitemapIndexHandler", "SitemapHandler", "RobotsHandler", "MAX_URLS", "MAX_BYTES"]

# The sitemap protocol's limits per file (sitemaps.org).
MAX_URLS = 50_000
MAX_BYTES = 50 * 1024 * 1024
# Bytes per <xhtml:link>, generously: sizes a child below MAX_BYTES.
_LINK_BYTES = 240

_XML = '<?xml version="1.0" encoding="UTF-8"?>\n'


class _Unlocalized(BaseHandler):
    """A response in no language: nothing negotiated, no ``Vary``."""

    cache_kind = "page"

    @functools.cached_property
    def choice(self) -> locale_chain.Choice:
        return locale_chain.Choice(self.catalogs.default, "default", ())


class _SitemapBase(_Unlocalized):

    @property
    def pages(self) -> list[tuple[str, tuple]]:
        """(route name, path arguments) of every page, in the route table's order."""
        return [(page.name, args) for page in self.settings["pages"] for args in page.instances()]

    def urls_per_file(self) -> int:
        per_url = _LINK_BYTES * (len(self.catalogs.tags) + 2)
        limit = self.settings.get("sitemap_max_urls", MAX_URLS)
        return max(1, min(limit, MAX_BYTES // per_url))

    def files_per_locale(self) -> int:
        return max(1, math.ceil(len(self.pages) / self.urls_per_file()))

    def cached(self, key: tuple, render) -> bytes:
        return self.application.page_cache.get_or_render(
            self.settings["catalogs"], self.catalogs, (*key, self._origin), render)

    def write_xml(self, body: bytes) -> None:
        self.set_header("Content-Type", "application/xml; charset=utf-8")
        self.finish(body)


class SitemapIndexHandler(_SitemapBase):
    """``/sitemap.xml``: the index of the child sitemaps."""

    def get(self) -> None:
        self.write_xml(self.cached(("sitemap-index",), self._render))

    def _render(self) -> bytes:
        lines = [_XML, '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n']
        for tag in self.catalogs.tags:
            for number in range(1, self.files_per_locale() + 1):
                url = self._origin + self.reverse_url("sitemap", tag, number)
                lines.append(f"<sitemap><loc>{_text(url)}</loc></sitemap>\n")
        lines.append("</sitemapindex>\n")
        return "".join(lines).encode()


class SitemapHandler(_SitemapBase):
    """``/sitemaps/<tag>-<n>.xml``: the n-th part of one locale's pages."""

    def get(self, tag: str, number: str) -> None:
        n = int(number) if len(number) < 7 else 0
        if tag not in self.catalogs or not 1 <= n <= self.files_per_locale():
            raise tornado.web.HTTPError(404)
        self.write_xml(self.cached(("sitemap", tag, n), lambda: self._render(tag, n)))

    def _render(self, tag: str, number: int) -> bytes:
        size = self.urls_per_file()
        chosen = self.pages[(number - 1) * size : number * size]
        lines = [_XML, '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                       'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n']
        for name, args in chosen:
            path = self.reverse_url(name, *args)
            lines.append(f"<url><loc>{_text(self._origin + '/' + tag + path)}</loc>")
            for other in self.catalogs.tags:
                href = self._origin + "/" + other + path
                lines.append(f'<xhtml:link rel="alternate" hreflang="{other}" href={quoteattr(href)}/>')
            lines.append(f'<xhtml:link rel="alternate" hreflang="x-default" '
                         f'href={quoteattr(self._origin + path)}/></url>\n')
        lines.append("</urlset>\n")
        return "".join(lines).encode()


class RobotsHandler(_Unlocalized):
    """``/robots.txt``: everything may be crawled but the workspace; where the sitemap is."""

    def get(self) -> None:
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(
            "User-agent: *\n"
            "Disallow: /account/\n"
            "Disallow: /translate/\n"
            f"Sitemap: {self._origin}{self.reverse_url('sitemap_index')}\n"
        )


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
