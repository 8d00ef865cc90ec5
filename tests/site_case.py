"""Shared by the handler tests: the site over HTTP, in-process, on catalogs built for the tests.

The catalogs are catalog_builder's SITE_LOCALES, every entry translated, so
no test depends on which catalogs ship or how complete they are.
"""

from __future__ import annotations

from html.parser import HTMLParser

from tornado.testing import AsyncHTTPTestCase

from website.app import make_app

from catalog_builder import site_catalogs

__all__ = ["CATALOGS", "DEFAULT", "OTHER", "RTL", "Elements", "SiteTestCase", "regional_alias", "vary"]

CATALOGS = site_catalogs()


class Elements(HTMLParser):
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


# Tests take their languages from what is offered, not from a fixed list.
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
