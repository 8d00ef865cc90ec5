"""One URL per language: language prefixes, and the redirects that lead to them.

Every visitor page lives under its language's BCP 47 tag, as served:
``/en/``, ``/fr/languages``, ``/pt-BR/languages/ru``. On such a URL the path
alone decides the language: :class:`~website.handlers.localized.PageHandler`
never reads the cookie or ``Accept-Language``, never sets a cookie and sends
no ``Vary`` on them, so one response serves every visitor and any cache may
keep it.

The same page without a prefix (``/``, ``/languages``) is an entry point:
:class:`NegotiatingRedirectHandler` negotiates as the site always has
(``?lang``, then the ``lang`` cookie, then ``Accept-Language``, then the
default) and answers 302 to the prefixed URL, keeping the query. Old links
with ``?lang=xx`` remember the choice in the cookie and lose ``lang``.

A prefix that is not a served tag as written is fixed when it can be:

=====================  ==========================  =====
request                answer                      why
=====================  ==========================  =====
``/FR/about``          301 ``/fr/about``           case never changes meaning
``/pt_br/``, ``/iw/``  302 ``/pt-BR/``, ``/he/``   depends on the locales offered
``/de-AT/``, ``/pt/``  302 ``/de/``, ``/pt-BR/``   likewise
``/tlh/about``         404, negotiated language    nothing to offer
``/fr/no-such``        404 in French               the prefix is valid
=====================  ==========================  =====

Remembering a visitor's choice: the switcher links straight to the page in
each language (crawlable, the same for everyone) and prefixed pages never
set a cookie, because a ``Set-Cookie`` makes a response uncacheable for
nginx and CDNs, and a cookie that varied per visitor would split every
page. So the choice is written by the browser: ``static/js/switcher.js``
sets the ``lang`` cookie when a switcher link is clicked, and the next visit
to ``/`` finds it. Without script the visitor still reads the chosen
language everywhere (every internal link keeps the prefix); only a later
visit to the bare ``/`` falls back to ``Accept-Language``. The server sets
the cookie only on the negotiating redirect for an explicit ``?lang=``
(old links), a response no cache keeps. The cookie is therefore not
``HttpOnly``: it holds a language tag, nothing secret, and the script must
be able to overwrite it.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, quote, urlencode

from website.i18n import negotiation
from website.handlers import locale_chain
from website.handlers.base import BaseHandler

__all__ = [
    "PREFIX_PATTERN",
    "COOKIE_MAX_AGE_DAYS",
    "resolve_prefix",
    "query_without_lang",
    "fix_up",
    "NegotiatingRedirectHandler",
]

#: What a language prefix may look like in a route: a BCP 47 tag of letters
#: and digits (any case, ``-`` or ``_``). It cannot match ``static``,
#: ``i18n``, ``account`` or ``translate``; routes whose first segment has
#: two or three letters must come before the page routes.
PREFIX_PATTERN = r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8}){0,3}"

COOKIE_MAX_AGE_DAYS = 365
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
# A switcher link clicked on a page is remembered by static/js/switcher.js
# with the same name and lifetime.


def resolve_prefix(raw: str, offered) -> tuple[str | None, int]:
    """The served tag for a URL prefix, and the status that leads there.

    200: ``raw`` is a served tag as written. 301: it differs only in case.
    302: it maps to a served locale by BCP 47 matching. ``(None, 404)``:
    nothing matches.

    >>> offered = ("en", "fr", "pt-BR", "he")
    >>> resolve_prefix("fr", offered), resolve_prefix("FR", offered)
    (('fr', 200), ('fr', 301))
    >>> resolve_prefix("pt_br", offered), resolve_prefix("iw", offered)
    (('pt-BR', 302), ('he', 302))
    >>> resolve_prefix("tlh", offered)
    (None, 404)
    """
    if raw in offered:
        return raw, 200
    folded = raw.lower()
    for tag in offered:
        if tag.lower() == folded:
            return tag, 301
    tag = negotiation.negotiate([raw], offered)
    return (tag, 302) if tag is not None else (None, 404)


def query_without_lang(request) -> str:
    """The request's query without ``lang``, re-encoded, in its order."""
    pairs = parse_qsl(request.query, keep_blank_values=True, errors="replace")
    return urlencode([(k, v) for k, v in pairs if k != locale_chain.QUERY_ARGUMENT])

def fix_up(path: str, query: str, prefix: str, tag: str, status: int) -> tuple[str, str, bool]:
    """Where a page URL whose prefix is not served as written goes: (URL, cache kind, permanent).

    ``status`` is :func:`resolve_prefix`'s 200, 301 or 302 for ``prefix``.

    >>> fix_up("/FR/about", "b=1&a", "FR", "fr", 301)
    ('/fr/about?b=1&a=', 'moved', True)
    >>> fix_up("/iw", "", "iw", "he", 302)
    ('/he/', 'mapped', False)
    """
    if path == "/" + prefix:
        permanent = status in (200, 301)
        return f"/{tag}/", "moved" if permanent else "mapped", permanent
    # The rest of the path as sent (it may not be a page: /FR/nothing
    # -> /fr/nothing, then the French 404), re-quoted so that no byte
    # the HTTP parser let through can break the Location header.
    rest = quote(path[len(prefix) + 1 :], safe=_PATH_SAFE)
    query = "?" + urlencode(parse_qsl(query, keep_blank_values=True, errors="replace")) if query else ""
    return f"/{tag}{rest}{query}", "moved" if status == 301 else "mapped", status == 301


class NegotiatingRedirectHandler(BaseHandler):
    """An unprefixed page URL: 302 to it under the negotiated language's prefix.

    ``private, no-store`` and ``Vary: Cookie, Accept-Language``: it differs
    per visitor, so no shared cache may keep it. An explicit ``?lang=xx``
    (old links, the language switcher before per-language URLs) is
    remembered in the cookie and dropped from the query.
    """

    cache_kind = "negotiated"

    def initialize(self, route: str) -> None:
        self.route = route

    def get(self, *args) -> None:
        choice = self.choice
        # Whatever chose, the answer depends on both headers when they were
        # not reached: say so, so that no cache keeps one visitor's redirect.
        self.set_header("Vary", "Cookie, Accept-Language")
        if choice.source == "query":
            self.set_cookie(
                locale_chain.COOKIE_NAME,
                choice.tag,
                path="/",
                expires_days=COOKIE_MAX_AGE_DAYS,
                samesite="Lax",
                secure=self.request.protocol == "https",
            )
        query = query_without_lang(self.request)
        target = self.page_url(self.route, *args, tag=choice.tag) + ("?" + query if query else "")
        self.redirect(target)
