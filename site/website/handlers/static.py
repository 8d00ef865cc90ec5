"""Static files: cached for a year only under their current content hash.

Tornado's :class:`~tornado.web.StaticFileHandler` sends a ten-year lifetime
for any request with a ``v`` argument, even a wrong one (``?v=bogus``), and
no ``immutable``. Here the long lifetime needs ``v`` to equal the file's hash
as ``static_url()`` writes it; anything else must revalidate.
"""

from __future__ import annotations

import tornado.web

__all__ = ["VersionedStaticFileHandler", "JsCatalogHandler", "IMMUTABLE", "REVALIDATE"]

ONE_YEAR = 365 * 24 * 3600
IMMUTABLE = f"public, max-age={ONE_YEAR}, immutable"
REVALIDATE = "no-cache"


class VersionedStaticFileHandler(tornado.web.StaticFileHandler):
    def _is_current_version(self) -> bool:
        requested = self.get_query_argument("v", None)
        return requested is not None and requested == self.get_version(self.settings, self.path)

    def get_cache_time(self, path, modified, mime_type) -> int:
        return ONE_YEAR if self._is_current_version() else 0

    def set_extra_headers(self, path) -> None:
        self.set_header("Cache-Control", IMMUTABLE if self._is_current_version() else REVALIDATE)


class JsCatalogHandler(tornado.web.RequestHandler):
    """``/i18n/messages.<hash>.json``: a browser catalog, named by its content hash.

    The name changes whenever the content does, so it is cached for a year.
    """

    def get(self, name: str) -> None:
        catalog = self.settings["catalogs"].js_catalog(name)
        if catalog is None:
            raise tornado.web.HTTPError(404)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Cache-Control", IMMUTABLE)
        self.finish(catalog.body)
