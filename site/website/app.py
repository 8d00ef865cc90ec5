"""The Tornado application: routes and settings.

Visitor pages are listed once, in :data:`PAGES`; each becomes a prefixed
route (``/<tag>/languages``, served by its handler) and an unprefixed one
(``/languages``, a negotiating redirect). ``reverse_url(name)`` gives the
unprefixed path; handlers and templates use ``page_url(name)`` for the
prefixed one.

>>> from website.i18n.catalogs import load_catalogs
>>> app = make_app(load_catalogs("/nonexistent"))
>>> app.reverse_url("language", "ru")
'/languages/ru'
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Callable, Iterable
from pathlib import Path

import tornado.web
from tornado.log import access_log
from tornado.web import url

from website import directory, security
from website.inflight import InFlight
from website.i18n.catalogs import Catalogs
from website.i18n.verdicts import DEFAULT_MIN_PERCENT
from website.config import PAGE_CACHE_MB, ROOT
from website.handlers.base import NotFoundHandler
from website.handlers.caching import BoundedCache
from website.handlers.health import HealthHandler
from website.handlers.languages import LanguageHandler, LanguagesHandler, LanguagesJsonHandler
from website.handlers.localized import MissingPageHandler
from website.handlers.page_cache import PageURLs
from website.handlers.page_hook import NO_HOOK
from website.handlers.prefixes import PREFIX_PATTERN, NegotiatingRedirectHandler
from website.handlers.pages import AboutHandler, HomeHandler, PreferencesHandler
from website.handlers.sitemap import RobotsHandler, SitemapHandler, SitemapIndexHandler
from website.handlers.static import JsCatalogHandler, VersionedStaticFileHandler
from website.handlers.translations import (
    CatalogDownloadHandler,
    TemplateDownloadHandler,
    TranslationsHandler,
)
from website.workspace.handlers import routes as workspace_routes
from website.workspace import translator_mode

__all__ = ["make_app", "Site", "Page", "PAGES", "PAGE_CACHE_BYTES"]

# Per process (--page_cache_mb's default). A page is 10-40 kB: some thousands of pages.
PAGE_CACHE_BYTES = int(PAGE_CACHE_MB * 1024 * 1024)
FRAGMENT_CACHE_BYTES = 8 * 1024 * 1024
# The canonical URLs of those pages and their headers (~0.5 kB each).
PAGE_URLS_SHARE = 16


def _language_pages() -> list[tuple]:
    return [(entry.tag,) for entry in directory.entries("en") if directory.details(entry.tag)]


@dataclasses.dataclass(frozen=True)
class Page:
    """A visitor page: its route name, unprefixed pattern, handler, and instances."""

    name: str
    pattern: str
    handler: type
    #: The path arguments of every instance of the page, for the sitemap.
    instances: Callable[[], Iterable[tuple]] = lambda: [()]

    def __post_init__(self):
        if not self.handler.prefixed:
            raise TypeError(f"{self.handler.__name__} is not a PageHandler: it cannot be a prefixed page")


PAGES = (
    Page("home", r"/", HomeHandler),
    Page("languages", r"/languages", LanguagesHandler),
    Page("language", r"/languages/([^/]+)", LanguageHandler, _language_pages),
    Page("about", r"/about", AboutHandler),
    Page("translations", r"/translations", TranslationsHandler),
)


class Site(tornado.web.Application):
    """The application: security headers and refusals (:mod:`website.security`)
    in one place, the requests in flight counted for graceful shutdown
    (:mod:`website.inflight`), and the page and fragment caches
    (:class:`~website.handlers.caching.BoundedCache`).
    """

    def __init__(self, handlers=None, default_host=None, transforms=None, *,
                 page_cache_bytes: int = PAGE_CACHE_BYTES, **settings):
        if settings.get("debug"):
            # Templates reload on every request in debug mode: so must pages.
            page_cache_bytes = 0
        self.page_cache = BoundedCache(page_cache_bytes)
        self.fragments = BoundedCache(0 if settings.get("debug") else FRAGMENT_CACHE_BYTES)
        self.page_urls = PageURLs(self, page_cache_bytes // PAGE_URLS_SHARE)
        if transforms is None:
            compress = settings.get("compress_response") or settings.get("gzip")
            transforms = [tornado.web.GZipContentEncoding] if compress else []
        # Recording a page's headers must see them as its handler left them:
        # before compression and the security headers.
        transforms = [self.page_urls.transform, *transforms, security.headers_transform(settings)]
        super().__init__(handlers, default_host, transforms, **settings)
        # Tornado also serves /robots.txt from static_path by itself; the
        # site writes its own (it names the sitemap).
        self.wildcard_router.rules = [
            rule for rule in self.wildcard_router.rules
            if getattr(rule.matcher, "regex", None) is None
            or rule.matcher.regex.pattern != r"/(robots\.txt)$"
        ]
        self.requests = InFlight()

    @property
    def in_flight(self) -> int:
        return self.requests.count

    def forget_rendered(self) -> None:
        """Drop every cached page and fragment: the catalogs they were rendered with changed."""
        self.page_cache.clear()
        self.page_urls.clear()
        self.fragments.clear()

    def find_handler(self, request, **kwargs):
        refusal = security.screen(request, self.settings.get("origin", ""))
        if refusal:
            delegate = self.refuse(request, *refusal)
        else:
            delegate = None
            if not (self.settings.get("page_hook") or NO_HOOK).applies(request):
                delegate = self.page_urls.answer(request, self.settings.get("origin", ""))
            if delegate is None:
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
        """Tornado's access log line, with the URL cut and escaped (:func:`security.request_summary`).

        ``handler`` may also be a page cache hit's delegate: it has the
        ``request`` and ``get_status()`` read here.
        """
        self.requests.release(handler.request)
        status = handler.get_status()
        level = logging.INFO if status < 400 else logging.WARNING if status < 500 else logging.ERROR
        if access_log.isEnabledFor(level):  # the summary escapes the URL: only for a line written
            access_log.log(level, "%d %s %.2fms", status, security.request_summary(handler.request),
                           1000.0 * handler.request.request_time())


def make_app(
    catalogs: Catalogs,
    *,
    root: str | os.PathLike = ROOT,
    debug: bool = False,
    cookie_secret: str | None = None,
    origin: str = "",
    min_percent: float = DEFAULT_MIN_PERCENT,
    translation_contact: str = "",
    page_cache_bytes: int = PAGE_CACHE_BYTES,
    pages: Iterable[Page] = PAGES,
    page_s_maxage: int | None = None,
    workspace=None,
    in_context_editing: bool = True,
) -> Site:
    """Build the application serving ``catalogs`` from the files under ``root``.

    ``page_cache_bytes=0`` turns the in-process page cache off. ``workspace``
    (a :class:`website.workspace.service.Workspace`) adds the translator
    workspace: ``/account/...`` and ``/translate/...``; ``in_context_editing``
    its translator mode (``/translate/mode``, ``/translate/<tag>/live``,
    marked pages for signed-in translators; issue 12).
    """
    root = Path(root)
    pages = tuple(pages)
    # Unprefixed endpoints first: nothing here has a first segment a
    # language prefix could match (two or three letters, then - _ or /).
    routes = [
        url(r"/languages\.json", LanguagesJsonHandler, name="languages_json"),
        url(r"/translations/messages\.pot", TemplateDownloadHandler, name="template"),
        url(r"/preferences\.json", PreferencesHandler, name="preferences"),
        url(r"/translations/([^/]+)\.po", CatalogDownloadHandler, name="catalog"),
        url(r"/i18n/([^/]+)", JsCatalogHandler, name="js_catalog"),
        url(r"/sitemap\.xml", SitemapIndexHandler, name="sitemap_index"),
        url(r"/sitemaps/([^/]+)-([0-9]+)\.xml", SitemapHandler, name="sitemap"),
        url(r"/robots\.txt", RobotsHandler, name="robots"),
        url(r"/healthz", HealthHandler, name="healthz"),
    ]
    if workspace is not None:
        if in_context_editing:
            routes += translator_mode.routes(workspace)  # before /translate/<tag>
        routes += workspace_routes(workspace)
    for page in pages:
        routes.append(url(page.pattern, NegotiatingRedirectHandler, {"route": page.name}, name=page.name))
    # /fr -> /fr/ (the home page's own route needs the slash).
    routes.append(url(f"/({PREFIX_PATTERN})", HomeHandler, {"route": "home"}))
    for page in pages:
        routes.append(url(f"/({PREFIX_PATTERN})" + page.pattern, page.handler, {"route": page.name}))
    routes.append(url(f"/({PREFIX_PATTERN})/.*", MissingPageHandler, {"route": "home"}))
    return Site(
        routes,
        page_cache_bytes=page_cache_bytes,
        pages=pages,
        page_s_maxage=page_s_maxage,
        catalogs=catalogs,
        origin=security.normalize_origin(origin),
        locale_dir=str(root / "locale"),
        min_percent=min_percent,
        translation_contact=translation_contact,
        template_path=str(root / "templates"),
        static_path=str(root / "static"),
        static_handler_class=VersionedStaticFileHandler,
        default_handler_class=NotFoundHandler,
        compress_response=True,
        xsrf_cookies=True,
        translator_mode=in_context_editing,
        page_hook=translator_mode.TranslatorModeHook(workspace) if workspace is not None and in_context_editing else None,
        workspace=workspace,  # None without the translator workspace (e.g. in tests)
        cookie_secret=cookie_secret,
        debug=debug,
    )
