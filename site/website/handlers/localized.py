"""One URL per language: prefixed pages, and the redirects that lead to them.

Every visitor page lives under its language's BCP 47 tag, as served:
``/en/``, ``/fr/languages``, ``/pt-BR/languages/ru``. On such a URL the path
alone decides the language: :class:`PageHandler` never reads the cookie or
``Accept-Language``, never sets a cookie and sends no ``Vary`` on them, so
one response serves every visitor and any cache may keep it.

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

import functools
from urllib.parse import parse_qsl, quote, urlencode

import tornado.escape
import tornado.web

from website.i18n import in_context, negotiation
from website.handlers import caching, locale_chain
from website.handlers.base import BaseHandler

__all__ = [
    "PREFIX_PATTERN",
    "PageHandler",
    "NegotiatingRedirectHandler",
    "MissingPageHandler",
    "resolve_prefix",
    "COOKIE_MAX_AGE_DAYS",
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


class PageHandler(BaseHandler):
    """A visitor page under a language prefix: cacheable, the same for everyone.

    Routes give the first path group to the prefix (see ``app.py``); the
    handler's ``get`` receives the rest. Subclasses list the query arguments
    they read in :meth:`normalized_query`; everything else in the query is
    ignored, so ``/fr/about?x=1`` is the same page as ``/fr/about``.

    Complete pages are kept in the application's page cache, keyed by
    (locale, route, path arguments as decoded, normalised query) and
    emptied by a catalog reload: a hit writes the stored bytes with their
    ``ETag`` (304 on ``If-None-Match``) without rendering.
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

    def prepare(self) -> None:
        tag, status = self.resolved
        if status == 404:
            self.set_cache_kind("personal")
            raise tornado.web.HTTPError(404)
        self.path_args = self.path_args[1:]
        if self.request.path == "/" + self.prefix:
            self.set_cache_kind("moved" if status in (200, 301) else "mapped")
            self.redirect(f"/{tag}/", permanent=status in (200, 301))
            return
        if status != 200:
            # The rest of the path as sent (it may not be a page: /FR/nothing
            # -> /fr/nothing, then the French 404), re-quoted so that no byte
            # the HTTP parser let through can break the Location header.
            rest = quote(self.request.path[len(self.prefix) + 1 :], safe=_PATH_SAFE)
            query = self.request.query
            query = "?" + urlencode(parse_qsl(query, keep_blank_values=True, errors="replace")) if query else ""
            self.set_cache_kind("moved" if status == 301 else "mapped")
            self.redirect(f"/{tag}{rest}{query}", permanent=status == 301)
            return
        if not self._canonical_query():
            # Same page as the canonical URL, but no shared cache may key on
            # this one: a client could make up any number of them.
            self.set_cache_kind("unshared")
        if self.request.cookies and self.get_cookie("session"):
            # Signed in, maybe (the workspace's session cookie): the session is
            # looked up off the IOLoop; Tornado awaits what prepare() returns.
            return self._prepare_signed_in(tag)
        self._prepare_from_cache()

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
    #: In translator mode for this page's language: what the render translated.
    _marks: in_context.Marks | None = None
    #: What the page wrote, held back while it is to be marked or cached as a
    #: whole (:meth:`finish` sends it); None: written as Tornado writes.
    _body: list[bytes] | None = None

    async def _prepare_signed_in(self, tag: str) -> None:
        """A signed-in translator's page: private, never from or into a cache; marked in mode.

        A request whose session cookie names no valid session is a visitor's.
        """
        from website.workspace import translator_mode  # the workspace imports this module's base

        self.translator = await translator_mode.find_state(self, tag)
        if self.translator is None:
            self._prepare_from_cache()
            return
        self.set_cache_kind("personal")
        if self.translator.active:
            self._marks = in_context.Marks()
            self._rendered_templates = []
            self._body = []

    def get_user_locale(self):
        locale = super().get_user_locale()
        return in_context.MarkingLocale(locale, self._marks) if self._marks is not None else locale

    def render_string(self, template_name: str, **kwargs) -> bytes:
        if self._marks is not None:
            self._rendered_templates.append(template_name)
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
        if self.translator is not None:
            # A signed-in translator's error page too: never kept, even privately.
            self.set_header("Cache-Control", caching.PERSONAL)
        if self._body is None:
            return super().finish(chunk)
        if chunk is not None:
            self.write(chunk)
        body, self._body = b"".join(self._body), None
        if self._marks is not None:
            body = self._marked_page(body)
        if self._page_cache_key is not None and self.get_status() == 200:
            tag = caching.etag(body)
            self.application.page_cache.put(
                self.settings["catalogs"], self.catalogs, self._page_cache_key, (body, tag))
            self._page_cache_key = None
            return self._send_page(body, tag)
        return super().finish(body)

    def _marked_page(self, body: bytes) -> bytes:
        """The page with its markers turned into HTML, and the data the editor's script reads."""
        import json

        page, panel = in_context.apply(body.decode("utf-8"), self._marks)
        data = {
            "tag": self.choice.tag,
            "api": self.reverse_url("translate_entries", self.choice.tag),
            "live": self.reverse_url("translator_live", self.choice.tag),
            "strings": in_context.describe(self._marks),
            "panel": panel,
            "title": self._marks.title,
            # base.html is reached through {% extends %}, not render_string.
            "templates": sorted({"base.html", *self._rendered_templates}),
        }
        # What the page's scripts translate (static/js), so that they are marked too.
        from website.workspace import translator_mode

        data["js"] = translator_mode.browser_ids(self.settings["workspace"], self.translator.mode)
        catalog = self.site_locale.js_catalog
        data["plural"] = json.loads(catalog.body).get("plural") if catalog else None
        # In a JSON data block (never executed, so CSP allows it): "<" escaped.
        element = ('<script type="application/json" id="translator-data">'
                   + json.dumps(data, ensure_ascii=False).replace("<", "\\u003c") + "</script>")
        at = page.rfind("</body>")
        page = page[:at] + element + page[at:] if at >= 0 else page + element
        return page.encode("utf-8")

    def _send_page(self, body: bytes, tag: str):
        self.set_header("Etag", tag)
        if self.check_etag_header():
            self.set_status(304)
            return super().finish()
        return super().finish(body)

    # -- URLs -----------------------------------------------------------------

    def _query_string(self) -> str:
        normalized = self._normalized
        return "?" + urlencode(normalized) if normalized else ""

    def url_for_locale(self, tag: str) -> str:
        """This page in ``tag``: the switcher's link."""
        if self.get_status() >= 400:
            return super().url_for_locale(tag)
        return self.page_url(self.route, *self.path_args, tag=tag) + self._query_string()

    def canonical_url(self) -> str | None:
        if self.get_status() >= 400:
            return None
        return self._origin + self.url_for_locale(self.choice.tag)

    def alternates(self) -> list[tuple[str, str]]:
        """This page in every offered locale, and ``x-default``: the negotiating URL."""
        if self.get_status() >= 400:
            return []
        links = [(tag, self._origin + self.url_for_locale(tag)) for tag in self.catalogs.tags]
        default = self.reverse_url(self.route, *self.path_args) + self._query_string()
        links.append(("x-default", self._origin + default))
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
