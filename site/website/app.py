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

from website import security
from website.inflight import InFlight
from website.toolchain.activation import DEFAULT_MIN_PERCENT
from website.i18n.catalogs import Catalogs
from website.config import ROOT
from website.handlers.base import NotFoundHandler
from website.handlers.languages import LanguageHandler, LanguagesHandler, LanguagesJsonHandler
from website.handlers.pages import AboutHandler, HomeHandler
from website.handlers.static import JsCatalogHandler, VersionedStaticFileHandler
from website.handlers.translations import CatalogDownloadHandler, TranslationsHandler

__all__ = ["make_app", "Site", "FragmentCache"]


class FragmentCache:
    """A bounded least-recently-used cache of rendered HTML fragments."""

    def __init__(self, size: int = 4096):
        self.size = size
        self._items: collections.OrderedDict = collections.OrderedDict()

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
    """The application: security headers and refusals (:mod:`website.security`)
    in one place, and the requests in flight counted for graceful shutdown
    (:mod:`website.inflight`).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fragments = FragmentCache()
        self.requests = InFlight()
        self.add_transform(security.headers_transform(self.settings))

    @property
    def in_flight(self) -> int:
        return self.requests.count

    def find_handler(self, request, **kwargs):
        refusal = security.screen(request, self.settings.get("origin", ""))
        if refusal:
            delegate = self.refuse(request, *refusal)
        else:
            delegate = super().find_handler(request, **kwargs)
        return self.requests.track(request, delegate)

    def get_handler_delegate(self, request, target_class, target_kwargs=None, path_args=None,
                             path_kwargs=None):
        allowed = security.allowed_methods(target_class)
        if allowed and request.method not in allowed:
            return self.refuse(request, 405, "The method is not allowed here.", allowed)
        return super().get_handler_delegate(request, target_class, target_kwargs, path_args,
                                            path_kwargs)

    def refuse(self, request, status: int, reason: str, allow: tuple[str, ...] = ()):
        return super().get_handler_delegate(
            request, security.RefusalHandler, dict(status=status, reason=reason, allow=allow))

    def log_request(self, handler) -> None:
        self.requests.release(handler.request)
        super().log_request(handler)


def make_app(
    catalogs: Catalogs,
    *,
    root: str | os.PathLike = ROOT,
    debug: bool = False,
    cookie_secret: str | None = None,
    origin: str = "",
    min_percent: float = DEFAULT_MIN_PERCENT,
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
        url(r"/translations/([^/]+)\.po", CatalogDownloadHandler, name="catalog"),
        url(r"/i18n/([^/]+)", JsCatalogHandler, name="js_catalog"),
    ]
    return Site(
        routes,
        catalogs=catalogs,
        origin=security.normalize_origin(origin),
        locale_dir=str(root / "locale"),
        min_percent=min_percent,
        template_path=str(root / "templates"),
        static_path=str(root / "static"),
        static_handler_class=VersionedStaticFileHandler,
        default_handler_class=NotFoundHandler,
        compress_response=True,
        xsrf_cookies=True,
        cookie_secret=cookie_secret,
        debug=debug,
    )
