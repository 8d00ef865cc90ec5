"""How long each kind of response may be kept, and by whom: the one place.

Every response the site sends falls into one of these kinds; handlers name
their kind (:attr:`BaseHandler.cache_kind`) and never write ``Cache-Control``
themselves.

========================  ================================================  =======================
kind                      responses                                         Cache-Control
========================  ================================================  =======================
``page``                  prefixed pages (``/fr/languages``), URL-keyed     :data:`PAGE`
                          JSON (``/languages.json?lang=fr``)
``unshared``              a prefixed page at a URL a client can vary at     :data:`UNSHARED`
                          will: a free-text search, or a query with
                          arguments the page does not read
``negotiated``            anything chosen from the cookie or                :data:`NEGOTIATED`
                          ``Accept-Language``: ``/`` → ``/fr/`` redirects
``personal``              unprefixed endpoints (default), signed-in pages   :data:`PERSONAL`
``moved``                 ``/FR/`` → ``/fr/`` (301: can never change)       :data:`MOVED`
``mapped``                ``/iw/`` → ``/he/`` (302: depends on what is      :data:`MAPPED`
                          offered)
error (4xx)               any kind                                          :data:`ERROR`
error (5xx)               any kind                                          :data:`SERVER_ERROR`
``static``                hashed static files, browser catalogs             :data:`IMMUTABLE`
``revalidate``            static files under no hash or a wrong one         :data:`REVALIDATE`
========================  ================================================  =======================

Why ``private`` on redirects and errors: their URLs are whatever a client
makes up (``/FR/<anything>``, ``/en/<anything>``), so a shared cache keyed by
them could be filled by one client; browsers may still keep them a while.

>>> cache_control("page", 200)
'public, max-age=60, s-maxage=600'
>>> cache_control("page", 404)
'private, max-age=60'
>>> cache_control("negotiated", 302)
'private, no-store'
"""

from __future__ import annotations

import collections
import hashlib
import time
from collections.abc import Callable, Hashable

from website.config import PAGE_S_MAXAGE

__all__ = [
    "PAGE",
    "UNSHARED",
    "NEGOTIATED",
    "PERSONAL",
    "MOVED",
    "MAPPED",
    "ERROR",
    "SERVER_ERROR",
    "IMMUTABLE",
    "REVALIDATE",
    "PAGE_MAX_AGE",
    "cache_control",
    "etag",
    "BoundedCache",
]

ONE_YEAR = 365 * 24 * 3600
# Browsers recheck a page after a minute; a proxy (nginx, a CDN) keeps it
# PAGE_S_MAXAGE (ten minutes, the --page_s_maxage default declared in
# website.config), so a catalog change reaches visitors within ten minutes at
# most through a proxy, at once without one.
PAGE_MAX_AGE = 60

PAGE = f"public, max-age={PAGE_MAX_AGE}, s-maxage={PAGE_S_MAXAGE}"
# Browsers may keep it; shared caches may not (s-maxage=0): the URL is
# whatever a client types (/fr/languages?q=..., /fr/about?anything), so it
# must not key a shared cache. Proxies store canonical URLs only.
UNSHARED = f"public, max-age={PAGE_MAX_AGE}, s-maxage=0"
NEGOTIATED = "private, no-store"
PERSONAL = "private, no-store"
MOVED = "private, max-age=86400"
MAPPED = "private, max-age=60"
ERROR = "private, max-age=60"
SERVER_ERROR = "no-store"
IMMUTABLE = f"public, max-age={ONE_YEAR}, immutable"
REVALIDATE = "no-cache"

_BY_KIND = {
    "page": PAGE,
    "unshared": UNSHARED,
    "negotiated": NEGOTIATED,
    "personal": PERSONAL,
    "moved": MOVED,
    "mapped": MAPPED,
    "static": IMMUTABLE,
    "revalidate": REVALIDATE,
}


def cache_control(kind: str, status: int, s_maxage: int | None = None) -> str:
    """The ``Cache-Control`` value for a response of ``kind`` with ``status``.

    ``s_maxage`` replaces the proxies' lifetime of pages (the
    ``--page_s_maxage`` option).

    >>> cache_control("page", 200, s_maxage=3)
    'public, max-age=3, s-maxage=3'
    """
    if status >= 500:
        return SERVER_ERROR
    if status >= 400:
        return ERROR
    if kind == "page" and s_maxage is not None:
        return f"public, max-age={min(PAGE_MAX_AGE, s_maxage)}, s-maxage={s_maxage}"
    return _BY_KIND[kind]


def etag(body: bytes) -> str:
    """A strong validator for ``body``, as Tornado's own ``compute_etag`` makes it.

    >>> etag(b"hello")
    '"aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d"'
    """
    return '"' + hashlib.sha1(body).hexdigest() + '"'


class BoundedCache:
    """A least-recently-used cache bounded in bytes, emptied when the catalogs change.

    Values are ``bytes`` or ``str`` (their length counts) or ``(bytes, ...)``
    tuples (the first item counts). Each entry is also charged
    :data:`ENTRY_OVERHEAD` bytes for its key and bookkeeping, so many tiny
    entries cannot outgrow the bound. Entries expire after ``ttl`` seconds
    (pages show the date, and /translations how long ago a catalog changed).

    Keys must come from a bounded set (a locale, a route, validated
    arguments, a normalised query): the byte bound protects memory, but keys
    made of raw client input would still let one client evict everyone else.

    The cache belongs to one :class:`~website.i18n.catalogs.Catalogs` object at
    a time: the first access with a different current object (the reloader
    swapped ``settings["catalogs"]``) empties it. A request that started
    before the swap can neither read nor fill it.

    >>> cache = BoundedCache(max_bytes=10_000)
    >>> catalogs = object()
    >>> cache.get(catalogs, catalogs, "k") is None
    True
    >>> cache.put(catalogs, catalogs, "k", b"x" * 10)
    >>> cache.get(catalogs, catalogs, "k")
    b'xxxxxxxxxx'
    >>> cache.get(object(), object(), "k") is None  # after a reload
    True
    >>> len(cache)
    0
    """

    ENTRY_OVERHEAD = 256

    def __init__(self, max_bytes: int, ttl: float = PAGE_MAX_AGE, clock: Callable[[], float] = time.monotonic):
        self.max_bytes = max_bytes
        self.ttl = ttl
        self.clock = clock
        self.size = 0
        self._generation: object = None
        self._items: collections.OrderedDict = collections.OrderedDict()

    def __len__(self) -> int:
        return len(self._items)

    def keys(self) -> list:
        """The keys held, least recently used first (for tests and inspection)."""
        return list(self._items)

    def clear(self) -> None:
        self._items.clear()
        self.size = 0

    def _usable(self, current: object, mine: object) -> bool:
        """Follow ``current`` catalogs; True if a request holding ``mine`` may use the cache."""
        if current is not self._generation:
            self.clear()
            self._generation = current
        return mine is current and self.max_bytes > 0

    def get(self, current: object, mine: object, key: Hashable):
        """The value for ``key``, or None."""
        if not self._usable(current, mine):
            return None
        item = self._items.get(key)
        if item is None:
            return None
        expires, _cost, value = item
        if expires < self.clock():
            self._remove(key)
            return None
        self._items.move_to_end(key)
        return value

    def put(self, current: object, mine: object, key: Hashable, value) -> None:
        """Keep ``value`` under ``key``, evicting the least recently used past the bound."""
        if not self._usable(current, mine):
            return
        cost = self.ENTRY_OVERHEAD + len(value[0] if isinstance(value, tuple) else value)
        if cost > self.max_bytes // 4:
            return  # one entry never takes more than a quarter of the cache
        self._remove(key)
        self._items[key] = (self.clock() + self.ttl, cost, value)
        self.size += cost
        while self.size > self.max_bytes:
            self._remove(next(iter(self._items)))

    def get_or_render(self, current: object, mine: object, key: Hashable, render: Callable):
        """The value for ``key``, calling ``render()`` (and keeping its result) on a miss."""
        value = self.get(current, mine, key)
        if value is None:
            value = render()
            self.put(current, mine, key, value)
        return value

    def _remove(self, key: Hashable) -> None:
        item = self._items.pop(key, None)
        if item is not None:
            self.size -= item[1]
