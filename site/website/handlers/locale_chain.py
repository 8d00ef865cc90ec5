"""Where a request's language preferences come from, in order.

Each source is a small named object that reads one place of the request and
returns candidate tags; :func:`choose` asks them in order and the first one
whose candidates match an available locale wins. A URL-path source
(``/fr/...``) would be one more class in :data:`DEFAULT_CHAIN`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from tornado.httputil import HTTPServerRequest

from website.i18n import negotiation

__all__ = [
    "Choice",
    "QuerySource",
    "CookieSource",
    "HeaderSource",
    "DEFAULT_CHAIN",
    "choose",
    "vary_headers",
    "COOKIE_NAME",
    "QUERY_ARGUMENT",
]

QUERY_ARGUMENT = "lang"
COOKIE_NAME = "lang"


@dataclasses.dataclass(frozen=True)
class Choice:
    """The locale chosen for a request and what chose it."""

    tag: str
    source: str  # the name of the source, or "default"
    consulted: tuple[str, ...]  # names of the sources read, for Vary


class QuerySource:
    """``?lang=<tag>``: an explicit switch by the visitor."""

    name = "query"
    vary = None  # part of the URL, so caches key on it already

    def candidates(self, request: HTTPServerRequest) -> Sequence[str]:
        values = request.query_arguments.get(QUERY_ARGUMENT, [])
        return [_decode(value) for value in values[:1]]


class CookieSource:
    """The ``lang`` cookie, set by an earlier switch."""

    name = "cookie"
    vary = "Cookie"

    def candidates(self, request: HTTPServerRequest) -> Sequence[str]:
        # Tornado already drops a Cookie header it cannot parse.
        morsel = request.cookies.get(COOKIE_NAME)
        return [morsel.value] if morsel is not None else []


class HeaderSource:
    """The browser's ``Accept-Language``, best q-value first."""

    name = "header"
    vary = "Accept-Language"

    def candidates(self, request: HTTPServerRequest) -> Sequence[str]:
        header = request.headers.get("Accept-Language")
        return [tag for tag, _q in negotiation.parse_accept_language(header)]


DEFAULT_CHAIN = (QuerySource(), CookieSource(), HeaderSource())


def choose(
    request: HTTPServerRequest,
    available: Sequence[str],
    default: str,
    chain: Sequence = DEFAULT_CHAIN,
) -> Choice:
    """Ask each source in ``chain`` in turn; the first match wins."""
    consulted = []
    for source in chain:
        consulted.append(source.name)
        tag = negotiation.negotiate(source.candidates(request), available)
        if tag is not None:
            return Choice(tag, source.name, tuple(consulted))
    return Choice(default, "default", tuple(consulted))


def vary_headers(choice: Choice, chain: Sequence = DEFAULT_CHAIN) -> list[str]:
    """The request headers the choice depended on."""
    return [s.vary for s in chain if s.name in choice.consulted and s.vary]


def _decode(value: bytes) -> str:
    return value.decode("utf-8", errors="replace")
