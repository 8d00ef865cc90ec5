"""The page cache's hits, answered before any handler exists.

Rendered pages are kept in the application's ``page_cache`` (a
:class:`~website.handlers.caching.BoundedCache`) under the key that decides
the page: (locale, origin, route, decoded path arguments, normalised query).
Only a handler can compute that key (its :meth:`normalized_query` reads the
query its own way), so a hit through a handler still costs building one.

:class:`PageURLs` removes that cost for the URLs visitors actually follow.
When a page is answered 200 at its canonical URL (the prefix as served, the
path as ``page_url`` writes it, the query exactly the normalised one),
:meth:`PageURLs.transform`, the first of the application's output
transforms, records the response's headers as the handler set them (before
compression and the security headers) under (origin, path, query), with the
page's cache key. ``Site.find_handler`` then answers the same URL with
:meth:`PageURLs.answer`: a delegate that takes the body and ``ETag`` from
the page cache, sets ``Date`` and ``Content-Length`` as Tornado does, answers
304 to a matching ``If-None-Match`` and runs the other transforms (gzip, the
security headers), as ``RequestHandler.finish`` would. Same bytes, no
handler.

Never answered here: a request :meth:`PageHook.applies
<website.handlers.page_hook.PageHook.applies>` to (a signed-in translator),
methods other than GET and HEAD, and any URL not recorded (every other
spelling of a page goes to its handler, which may still hit by key). The
records belong to the catalogs in service, like the pages: a reload empties
both.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Hashable

import tornado.web
from tornado.httputil import (
    HTTPHeaders,
    HTTPMessageDelegate,
    HTTPServerRequest,
    ResponseStartLine,
    format_timestamp,
    responses,
)

from website import security
from website.handlers.caching import BoundedCache

__all__ = ["PageURLs", "url_key", "etag_matches"]

#: Headers a hit writes itself; the rest are replayed as recorded.
_FRESH = ("Date", "Etag", "Content-Length")
# What RequestHandler.finish removes from a 304 (RFC 7232 section 4.1).
_NOT_IN_304 = ("Content-Encoding", "Content-Language", "Content-Type", "Content-Length")
_ETAGS = re.compile(rb'\*|(?:W/)?"[^"]*"')


def url_key(origin: str, request: HTTPServerRequest) -> tuple[str, str, str]:
    """What a recorded URL is found by: the origin its links use, the raw path and query."""
    return origin, request.path, request.query


def etag_matches(request: HTTPServerRequest, etag: str) -> bool:
    """Whether ``If-None-Match`` names ``etag``, as ``RequestHandler.check_etag_header`` decides.

    >>> from tornado.httputil import RequestStartLine
    >>> request = HTTPServerRequest(start_line=RequestStartLine("GET", "/", "HTTP/1.1"),
    ...     headers=HTTPHeaders({"Host": "localhost", "If-None-Match": 'W/"a", "b"'}))
    >>> etag_matches(request, '"a"'), etag_matches(request, '"c"')
    (True, False)
    """
    sent = request.headers.get("If-None-Match")
    if not sent:
        return False
    tags = _ETAGS.findall(sent.encode("latin-1", "replace"))
    if not tags:
        return False
    if tags[0] == b"*":
        return True
    mine = etag.encode("ascii", "replace")
    return any((t[2:] if t.startswith(b"W/") else t) == mine for t in tags)


class _Recorded:
    """A page response's headers as its handler set them, and the page cache key of its body."""

    __slots__ = ("page_key", "headers", "_cost")

    def __init__(self, page_key: Hashable, headers: dict[str, str]):
        self.page_key = page_key
        self.headers = headers
        self._cost = sum(len(k) + len(v) for k, v in headers.items())

    def __len__(self) -> int:  # what BoundedCache charges
        return self._cost


class PageURLs:
    """Canonical page URLs and their recorded headers, for :meth:`answer` before routing.

    ``site`` is the application: its ``page_cache``, ``settings["catalogs"]``,
    ``transforms`` and ``log_request`` are read at each use (tests and the
    reloader replace some of them).
    """

    def __init__(self, site: tornado.web.Application, max_bytes: int,
                 clock: Callable[[], float] = time.monotonic):
        self.site = site
        self.records = BoundedCache(max_bytes, clock=clock)
        self._pending: dict[HTTPServerRequest, tuple] = {}
        self.transform = self._transform_class()

    def __len__(self) -> int:
        return len(self.records)

    def clear(self) -> None:
        self.records.clear()

    def expect(self, request: HTTPServerRequest, url: tuple, page_key: Hashable, catalogs: object) -> None:
        """Record the response about to be sent for ``request`` if it is a complete 200.

        ``catalogs``: those the page was rendered with; nothing is recorded
        if the reloader has replaced them since.
        """
        self._pending[request] = (url, page_key, catalogs)

    def answer(self, request: HTTPServerRequest, origin: str) -> HTTPMessageDelegate | None:
        """A delegate writing the cached page for ``request``, or None: route it.

        ``origin``: the ``origin`` setting (``security.public_origin``
        decides the origin of the request from it).
        """
        if request.method not in ("GET", "HEAD") or not len(self.records):
            return None
        catalogs = self.site.settings["catalogs"]
        key = url_key(security.public_origin(request, origin), request)
        recorded = self.records.get(catalogs, catalogs, key)
        if recorded is None:
            return None
        page = self.site.page_cache.get(catalogs, catalogs, recorded.page_key)
        if page is None:
            return None
        return _CachedPage(self.site, request, recorded.headers, *page)

    def _record(self, pending: tuple, headers: HTTPHeaders) -> None:
        url, page_key, mine = pending
        values = {}
        for name, value in headers.get_all():
            if name in values:
                return  # a repeated header (Set-Cookie...): not a page for everyone
            if name not in _FRESH:
                values[name] = value
        self.records.put(self.site.settings["catalogs"], mine, url, _Recorded(page_key, values))

    def _transform_class(self) -> type[tornado.web.OutputTransform]:
        urls = self

        class RecordPageHeaders(tornado.web.OutputTransform):
            """First of the transforms: sees the headers exactly as the handler left them."""

            def __init__(self, request: HTTPServerRequest):
                self.request = request

            def transform_first_chunk(self, status_code, headers, chunk, finishing):
                pending = urls._pending.pop(self.request, None) if urls._pending else None
                if pending is not None and status_code == 200 and finishing:
                    urls._record(pending, headers)
                return status_code, headers, chunk

        return RecordPageHeaders


class _CachedPage(HTTPMessageDelegate):
    """Writes a cached page as ``RequestHandler.finish`` would, once the request is read.

    It also stands in for the handler in ``log_request``: it has the
    ``request`` and ``get_status()`` the access log reads.
    """

    def __init__(self, site, request: HTTPServerRequest, headers: dict, body: bytes, etag: str):
        self.site = site
        self.request = request
        self.headers = headers
        self.body = body
        self.etag = etag
        self.status = 200

    def data_received(self, chunk):
        pass  # a GET's body: read, as a page handler ignores it

    def finish(self) -> None:
        request = self.request
        headers = HTTPHeaders(self.headers)
        headers["Date"] = format_timestamp(time.time())
        headers["Etag"] = self.etag
        chunk = self.body
        if etag_matches(request, self.etag):
            self.status, chunk = 304, b""
            for name in _NOT_IN_304:
                headers.pop(name, None)
        else:
            headers["Content-Length"] = str(len(chunk))
        status = self.status
        for transform in self.site.transforms:
            status, headers, chunk = transform(request).transform_first_chunk(status, headers, chunk, True)
        if request.method == "HEAD":
            chunk = b""
        self.status = status
        request.connection.write_headers(ResponseStartLine("", status, responses[status]), headers, chunk)
        request.connection.finish()
        self.site.log_request(self)

    def get_status(self) -> int:
        return self.status

    def on_connection_close(self) -> None:
        pass
