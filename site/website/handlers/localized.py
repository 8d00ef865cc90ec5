"""Prefixed pages: the handler every visitor page derives from.

A page lives at ``/<tag>/...`` (:mod:`website.handlers.prefixes` fixes up
other prefixes and redirects unprefixed URLs here). It is the same for
everyone, so it is kept in the application's page cache and answered from
there, before any handler exists when the URL is canonical
(:mod:`website.handlers.page_cache`). The application's page hook
(:mod:`website.handlers.page_hook`) may make one request's page personal
instead; this module calls it and knows nothing else of it.

The names of :mod:`website.handlers.prefixes` are also importable from here.
"""

from __future__ import annotations

import functools
from urllib.parse import parse_qsl, urlencode

import tornado.escape
import tornado.web

from website.handlers import caching, locale_chain
from website.handlers.base import BaseHandler
from website.handlers.page_cache import url_key
from website.handlers.prefixes import (
    COOKIE_MAX_AGE_DAYS,
    PREFIX_PATTERN,
    NegotiatingRedirectHandler,
    fix_up,
    query_without_lang,
    resolve_prefix,
)

__all__ = [
    "PageHandler",
    "MissingPageHandler",
    # Re-exported from website.handlers.prefixes, where they live.
    "PREFIX_PATTERN",
    "NegotiatingRedirectHandler",
    "resolve_prefix",
    "query_without_lang",
    "COOKIE_MAX_AGE_DAYS",
]


class PageHandler(BaseHandler):
    """A visitor page under a language prefix: cacheable, the same for everyone.

    Routes give the first path group to the prefix (see ``app.py``); the
    handler's ``get`` receives the rest. Subclasses list the query arguments
    they read in :meth:`normalized_query`; everything else in the query is
    ignored, so ``/fr/about?x=1`` is the same page as ``/fr/about``.

    Complete pages are kept in the application's page cache, keyed by
    (locale, origin, route, path arguments as decoded, normalised query)
    and emptied by a catalog reload: a hit writes the stored bytes with
    their ``ETag`` (304 on ``If-None-Match``) without rendering.
    """

    prefixed = True
    cache_kind = "page"

    def initialize(self, route: str) -> None:
        self.route = route

    @functools.cached_property
    def prefix(self) -> str:
        """The language segment of the path as sent (``FR`` in ``/FR/about``)."""
        return self.request.path.split("/", 2)[1]

    @functools.cached_property
    def resolved(self) -> tuple[str | None, int]:
        return resolve_prefix(self.prefix, self.catalogs.tags)

    @functools.cached_property
    def choice(self) -> locale_chain.Choice:
        tag, _status = self.resolved
        if tag is not None:
            return locale_chain.Choice(tag, "path", ())
        # No page in a language we do not serve: the 404 is in the visitor's.
        return super().choice

    def prepare(self):
        tag, status = self.resolved
        if status == 404:
            self.set_cache_kind("personal")
            raise tornado.web.HTTPError(404)
        self.path_args = self.path_args[1:]
        if status != 200 or self.request.path == "/" + self.prefix:
            target, kind, permanent = fix_up(self.request.path, self.request.query, self.prefix, tag, status)
            self.set_cache_kind(kind)
            self.redirect(target, permanent=permanent)
            return None
        if not self._canonical_query():
            # Same page as the canonical URL, but no shared cache may key on
            # this one: a client could make up any number of them.
            self.set_cache_kind("unshared")
        if self.page_hook.applies(self.request):
            # Tornado awaits what prepare() returns: the hook may look up a
            # session off the IOLoop.
            return self._prepare_with_hook(tag)
        self._prepare_from_cache()
        return None

    async def _prepare_with_hook(self, tag: str) -> None:
        """A page the hook may make personal: private, never from or into a cache."""
        self.page_state = await self.page_hook.prepare(self, tag)
        if self.page_state is None:
            self._prepare_from_cache()
            return
        self.set_cache_kind("personal")
        if self.page_hook.rewrites(self.page_state):
            self._body = []

    def _prepare_from_cache(self) -> None:
        key = self._page_key()
        if key is not None:
            cached = self.application.page_cache.get(self.settings["catalogs"], self.catalogs, key)
            if cached is not None:
                self._send_page(*cached)
                return
        self._page_cache_key = key
        if key is not None:
            self._body = []

    _page_cache_key = None
    #: What the page wrote, held back while it is to be rewritten or cached
    #: as a whole (:meth:`finish` sends it); None: written as Tornado writes.
    _body: list[bytes] | None = None

    def get_user_locale(self):
        locale = super().get_user_locale()
        return locale if self.page_state is None else self.page_hook.locale_for(self.page_state, locale)

    def render_string(self, template_name: str, **kwargs) -> bytes:
        if self.page_state is not None:
            self.page_hook.template_rendered(self.page_state, template_name)
        return super().render_string(template_name, **kwargs)

    def normalized_query(self) -> tuple:
        """The query arguments this page reads, cleaned, as (name, value) pairs.

        The default: the page reads none, so the query never matters.
        """
        return ()

    def cacheable(self) -> bool:
        """Whether this response may be kept in the page cache.

        Only pages whose key comes from a bounded set: a free-text search
        is rendered each time (and kept by no shared cache).
        """
        return True

    @functools.cached_property
    def _normalized(self) -> tuple:
        return self.normalized_query()

    def _canonical_query(self) -> bool:
        """Whether the query is exactly the normalised one (order and values)."""
        if not self.request.query:
            return not self._normalized
        sent = parse_qsl(self.request.query, keep_blank_values=True, errors="replace")
        return sent == [(name, str(value)) for name, value in self._normalized]

    def _canonical_url(self) -> bool:
        """Whether the request is this page's URL exactly as the site writes it."""
        return (self.cache_kind == "page" and self.request.query == urlencode(self._normalized)
                and self.request.path == self.page_url(self.route, *self.path_args))

    def _page_key(self) -> tuple | None:
        if self.request.method not in ("GET", "HEAD") or not self.cacheable():
            return None
        # The origin too: canonical and alternate links are absolute.
        return (self.choice.tag, self._origin, self.route, *self.path_args, self._normalized)

    def fragment_key(self) -> tuple | None:
        if self.get_status() >= 400:
            return super().fragment_key()
        if not self.cacheable():
            return None
        return (self.route, *self.path_args, self._normalized)

    def write(self, chunk) -> None:
        if self._body is not None and isinstance(chunk, (bytes, str)):
            self._body.append(tornado.escape.utf8(chunk))
        else:
            super().write(chunk)

    def clear(self) -> None:
        super().clear()
        if self._body is not None:  # an error page replaces what was written
            self._body = []

    def finish(self, chunk=None):
        if self.page_state is not None:
            # A personal page's error page too: never kept, even privately.
            self.set_header("Cache-Control", caching.PERSONAL)
        if self._body is None:
            return super().finish(chunk)
        if chunk is not None:
            self.write(chunk)
        body, self._body = b"".join(self._body), None
        if self.page_state is not None and self.page_hook.rewrites(self.page_state):
            page = self.page_hook.finish_page(self, self.page_state, body.decode("utf-8"))
            body = page.encode("utf-8")
        if self._page_cache_key is not None and self.get_status() == 200:
            tag = caching.etag(body)
            self.application.page_cache.put(
                self.settings["catalogs"], self.catalogs, self._page_cache_key, (body, tag))
            key, self._page_cache_key = self._page_cache_key, None
            return self._send_page(body, tag, key)
        return super().finish(body)

    def _send_page(self, body: bytes, tag: str, key: tuple | None = None):
        self.set_header("Etag", tag)
        if self.check_etag_header():
            self.set_status(304)
            return super().finish()
        if self._canonical_url():
            # Later requests for this URL are answered before routing, with
            # the headers this response is about to get.
            key = key or self._page_key()
            self.application.page_urls.expect(self.request, url_key(self._origin, self.request), key, self.catalogs)
        return super().finish(body)

    # -- URLs -----------------------------------------------------------------

    @functools.cached_property
    def _query_string(self) -> str:
        normalized = self._normalized
        return "?" + urlencode(normalized) if normalized else ""

    @functools.cached_property
    def _unprefixed(self) -> str:
        # The switcher and the alternates ask for this page in every locale:
        # a search page is rendered each time, so the route is reversed once,
        # not once per locale. Read only after prepare() took the prefix off
        # path_args.
        return self.reverse_url(self.route, *self.path_args) + self._query_string

    def url_for_locale(self, tag: str) -> str:
        """This page in ``tag``: the switcher's link."""
        if self.get_status() >= 400:
            return super().url_for_locale(tag)
        return "/" + tag + self._unprefixed

    def canonical_url(self) -> str | None:
        if self.get_status() >= 400:
            return None
        return self._origin + self.url_for_locale(self.choice.tag)

    def alternates(self) -> list[tuple[str, str]]:
        """This page in every offered locale, and ``x-default``: the negotiating URL."""
        if self.get_status() >= 400:
            return []
        links = [(tag, self._origin + self.url_for_locale(tag)) for tag in self.catalogs.tags]
        links.append(("x-default", self._origin + self._unprefixed))
        return links


class MissingPageHandler(PageHandler):
    """Any other path under a language prefix: the 404 page in that language."""

    def cacheable(self) -> bool:
        # It shares the home page's route (for its links), so a key would be
        # the home page's: every unknown path would get the cached home page.
        # Unknown paths are unbounded input anyway, never a cache key.
        return False

    def get(self, *args) -> None:
        raise tornado.web.HTTPError(404)
