"""The Tornado application: routes and settings.

>>> from website.i18n.catalogs import load_catalogs
>>> app = make_app(load_catalogs("/nonexistent"))
>>> app.reverse_url("language", "ru")
'/languages/ru'
"""

from __future__ import annotations

import collections
import os
from pathlib import Path

import tornado.web
from tornado.web import url

from website.i18n.catalogs import Catalogs
from website.i18n.verdicts import DEFAULT_MIN_PERCENT
from website.config import ROOT
from website.handlers.base import NotFoundHandler
from website.handlers.languages import LanguageHandler, LanguagesHandler, LanguagesJsonHandler
from website.handlers.pages import AboutHandler, HomeHandler
from website.handlers.static import JsCatalogHandler, VersionedStaticFileHandler
from website.handlers.translations import (
    CatalogDownloadHandler,
    TemplateDownloadHandler,
    TranslationsHandler,
)

__all__ = ["make_app", "Site", "FragmentCache"]


class FragmentCache:
    """A bounded least-recently-used cache of rendered HTML fragments."""

    def __init__(self, size: int = 4096):
        self.size = size
        self._items: collections.OrderedDict = collections.OrderedDict()

    def clear(self) -> None:
        """Forget every fragment (they hold the catalogs they were rendered with)."""
        self._items.clear()

    def get(self, key, render):
        """The fragment for ``key``, rendering it with ``render()`` on a miss."""
        try:
            self._items.move_to_end(key)
            return self._items[key]
        except KeyError:
            html = self._items[key] = render()
            if len(self._items) > self.size:
                self._items.popitem(last=False)
            return html


class Site(tornado.web.Application):
    """The application, counting requests in flight for graceful shutdown.

    A request counts from the moment its handler is chosen until it is
    logged, which Tornado does once per request when the response is done,
    errors included.
    """

    in_flight = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fragments = FragmentCache()

    def find_handler(self, request, **kwargs):
        self.in_flight += 1
        return super().find_handler(request, **kwargs)

    def log_request(self, handler) -> None:
        self.in_flight -= 1
        super().log_request(handler)


def make_app(
    catalogs: Catalogs,
    *,
    root: str | os.PathLike = ROOT,
    debug: bool = False,
    cookie_secret: str | None = None,
    origin: str = "",
    min_percent: float = DEFAULT_MIN_PERCENT,
    translation_contact: str = "",
) -> Site:
    """Build the application serving ``catalogs`` from the files under ``root``."""
    root = Path(root)
    routes = [
        url(r"/", HomeHandler, name="home"),
        url(r"/languages", LanguagesHandler, name="languages"),
        url(r"/languages\.json", LanguagesJsonHandler, name="languages_json"),
        url(r"/languages/([^/]+)", LanguageHandler, name="language"),
        url(r"/about", AboutHandler, name="about"),
        url(r"/translations", TranslationsHandler, name="translations"),
        url(r"/translations/messages\.pot", TemplateDownloadHandler, name="template"),
        url(r"/translations/([^/]+)\.po", CatalogDownloadHandler, name="catalog"),
        url(r"/i18n/([^/]+)", JsCatalogHandler, name="js_catalog"),
    ]
    return Site(
        routes,
        catalogs=catalogs,
        origin=origin,
        locale_dir=str(root / "locale"),
        min_percent=min_percent,
        translation_contact=translation_contact,
        template_path=str(root / "templates"),
        static_path=str(root / "static"),
        static_handler_class=VersionedStaticFileHandler,
        default_handler_class=NotFoundHandler,
        compress_response=True,
        xsrf_cookies=True,
        cookie_secret=cookie_secret,
        debug=debug,
    )
