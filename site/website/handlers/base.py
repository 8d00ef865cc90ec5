"""The base handler: one locale per request, and what every response needs.

Every handler derives from :class:`BaseHandler`. It picks the locale through
:mod:`website.handlers.locale_chain` (``?lang``, cookie, ``Accept-Language``,
default) without redirecting, answers Tornado's ``get_user_locale`` with it,
sets ``Content-Language``, ``Vary`` and ``Cache-Control`` (from
:mod:`website.handlers.caching`), gives templates their helpers, and renders
errors as localized pages.

That is what unprefixed endpoints get (``/account/...``, ``/translate/...``,
JSON, the 404 of an unknown URL): their :attr:`BaseHandler.prefixed` is
False, they are served where they are, and they are ``private, no-store``
unless they name another :attr:`BaseHandler.cache_kind`. Visitor pages live
under a language prefix instead: see :mod:`website.handlers.localized`.
"""

from __future__ import annotations

import functools
import logging
import traceback
import unicodedata
from collections.abc import Callable
from urllib.parse import urlencode

import tornado.web

from website import escaping, security
from website.i18n import markup
from website.i18n.catalogs import Catalogs, SiteLocale
from website.handlers import caching, locale_chain, xsrf
from website.handlers.page_hook import NO_HOOK, PageHook

__all__ = ["BaseHandler", "NotFoundHandler"]

log = logging.getLogger(__name__)


class BaseHandler(tornado.web.RequestHandler):
    """Locale negotiation, common headers, template helpers and error pages."""

    #: Whether this handler's URLs carry a language prefix (``/fr/...``).
    #: False (here, and for every handler not derived from
    #: :class:`~website.handlers.localized.PageHandler`): the URL is served as
    #: it is, never redirected, in the language negotiated from ``?lang``,
    #: the cookie and ``Accept-Language``. Only prefixed handlers may be
    #: listed in ``app.PAGES``.
    prefixed = False

    #: How long the response may be kept, and by whom: a kind of
    #: :mod:`website.handlers.caching`. Change it with :meth:`set_cache_kind`.
    cache_kind = "personal"

    #: What the application's page hook found for this request
    #: (:mod:`website.handlers.page_hook`), or None: a visitor's response.
    page_state = None

    @property
    def xsrf_token(self) -> bytes:
        """This session's XSRF token (:mod:`website.handlers.xsrf`), not Tornado's double-submit one."""
        return xsrf.token(self)

    def check_xsrf_cookie(self) -> None:
        xsrf.check(self)

    @functools.cached_property
    def catalogs(self) -> Catalogs:
        """The catalogs in service when the request started, for all of it.

        The live reloader may swap ``settings["catalogs"]`` at any moment;
        holding one object per request means a page never mixes two.
        """
        return self.settings["catalogs"]

    @property
    def page_hook(self) -> PageHook:
        """The application's page hook (``settings["page_hook"]``), or one that does nothing."""
        return self.settings.get("page_hook") or NO_HOOK

    @functools.cached_property
    def choice(self) -> locale_chain.Choice:
        """The locale chosen for this request, and which source chose it."""
        return locale_chain.choose(self.request, self.catalogs.tags, self.catalogs.default)

    @property
    def site_locale(self) -> SiteLocale:
        return self.catalogs.get(self.choice.tag)

    def get_user_locale(self):
        return self.site_locale.translator

    def set_default_headers(self) -> None:
        # Called for every response, error pages included (send_error clears
        # the headers and calls this again).
        self.set_header("Content-Language", self.choice.tag)
        self._vary = locale_chain.vary_headers(self.choice)
        if self._vary:
            self.set_header("Vary", ", ".join(self._vary))
        # clear() calls this, then sets the status to 200.
        self.set_cache_kind(self.cache_kind, 200)

    def compute_etag(self) -> str | None:
        # A response no cache may store is never revalidated, so hashing its
        # body is work for nothing: a negotiated page (the peers' page) or a
        # personal one. Tornado's public hook for this: return None.
        if caching.cache_control(self.cache_kind, self.get_status()).endswith("no-store"):
            return None
        return super().compute_etag()

    def set_cache_kind(self, kind: str, status: int | None = None) -> None:
        """Declare what kind of response this is (see :mod:`website.handlers.caching`)."""
        self.cache_kind = kind
        status = self.get_status() if status is None else status
        value = caching.cache_control(kind, status, self.settings.get("page_s_maxage"))
        self.set_header("Cache-Control", value)

    def add_vary(self, header: str) -> None:
        """Declare that this response also depends on a request header."""
        if header not in self._vary:
            self._vary = [*self._vary, header]
            self.set_header("Vary", ", ".join(self._vary))

    def head(self, *args, **kwargs):
        # Tornado does not answer HEAD with GET's headers by itself; its
        # HTTP/1 connection drops the body of a HEAD response.
        return self.get(*args, **kwargs)

    def decode_argument(self, value: bytes, name: str | None = None) -> str:
        # Tornado answers 400 to invalid UTF-8 in a path or argument; a bad
        # byte in /languages/<tag> should get the normal (404) page instead.
        return value.decode("utf-8", errors="replace")

    def query_text(self, name: str, max_length: int = 100) -> str:
        """A query argument as clean text: never an error, whatever was sent.

        Tornado's ``get_query_argument`` answers 400 to invalid UTF-8; a
        visitor's typo or a bot's garbage should get the normal page instead.
        """
        values = self.request.query_arguments.get(name)
        if not values:
            return ""
        text = values[-1].decode("utf-8", errors="replace")[: max_length * 4]
        text = "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf", "Cs"))
        return text.strip()[:max_length]

    def url_for_locale(self, tag: str) -> str:
        """Where the switcher's link to ``tag`` goes.

        Here: this URL in that language (``?lang=``, which an unprefixed
        endpoint reads without a cookie), or that language's home page from
        an error page. The request's path or query is never copied into an
        error page: an attacker's URL must not become a link on the site
        (``//evil.example/x``) nor grow the page. Pages override this.
        """
        if self.get_status() >= 400:
            return f"/{tag}/"
        return self.request.path + "?" + urlencode({locale_chain.QUERY_ARGUMENT: tag})

    def alternates(self) -> list[tuple[str, str]]:
        """(hreflang, absolute URL) links to this page in each locale; none here."""
        return []

    def canonical_url(self) -> str | None:
        """This page's one absolute URL, for ``<link rel=canonical>``; None here."""
        return None

    def fragment_key(self) -> tuple | None:
        """What the switcher and alternates depend on besides the locale, or None.

        None means "do not keep them": for a page whose URL is not from a
        bounded set. Error pages link to each locale's home, the same for all.
        """
        return ("error",) if self.get_status() >= 400 else None

    def page_url(self, name: str, *args, tag: str | None = None) -> str:
        """The URL of the page route ``name`` in ``tag`` (default: this response's locale).

        On a French response ``page_url("language", "ru")`` is
        ``/fr/languages/ru``; ``reverse_url`` gives the unprefixed path.
        """
        return "/" + (tag or self.choice.tag) + self.reverse_url(name, *args)

    @functools.cached_property
    def _origin(self) -> str:
        # Never an unvalidated Host: --origin, or a loopback host (website.security).
        return security.public_origin(self.request, self.settings.get("origin", ""))

    def cached_fragment(self, template: str) -> str:
        """Render ``template``, a fragment that depends only on the locale and page, once.

        The switcher and the hreflang links are a link per locale on every
        page; rendering them was most of a page's cost. They are kept per
        (locale, origin, :meth:`fragment_key`) in the application's cache,
        bounded in bytes and emptied by a catalog reload; never per raw URL.
        """
        render = lambda: self.render_string(template).decode()  # noqa: E731
        key = self.fragment_key()
        if key is None:
            return render()
        return self.kept_fragment((template, self.choice.tag, self._origin, *key), render)

    def kept_fragment(self, key: tuple, render: Callable[[], str]) -> str:
        """``render()``, kept in the application's fragment cache under ``key``.

        ``key`` must be built from bounded values only (a locale, a route, a
        tag from the directory), never from the raw request. Rendered fresh
        when a page hook applies: it may mark or change the fragment.
        """
        if self.page_state is not None:
            return render()
        return self.application.fragments.get_or_render(
            self.settings["catalogs"], self.catalogs, key, render)

    def get_template_namespace(self) -> dict:
        namespace = super().get_template_namespace()
        current = self.site_locale
        namespace.update(
            current=current.info,
            choice=self.choice,
            fmt=current.formatter,
            js_catalog=current.js_catalog,
            site_locales=self.catalogs.infos,
            default_locale=self.catalogs.default,
            url_for_locale=self.url_for_locale,
            alternates=self.alternates,
            canonical_url=self.canonical_url,
            page_url=self.page_url,
            bdi=markup.bdi,
            interpolate=markup.interpolate,
            cached_fragment=self.cached_fragment,
            page_panel=self._page_panel,
            xhtml_escape=escaping.xhtml_escape,  # what {{ }} calls: Tornado's, faster
        )
        return namespace

    def _page_panel(self) -> str:
        return "" if self.page_state is None else self.page_hook.panel(self, self.page_state)

    def write_error(self, status_code: int, **kwargs) -> None:
        self.set_cache_kind(self.cache_kind, status_code)
        details = None
        if self.settings.get("serve_traceback") and "exc_info" in kwargs:
            details = "".join(traceback.format_exception(*kwargs["exc_info"]))
        try:
            self.render("error.html", status_code=status_code, details=details)
        except Exception:
            # The error page itself failed (a broken template or catalog):
            # fall back to Tornado's plain page rather than a blank response.
            log.exception("could not render the error page for %d", status_code)
            self.clear()
            self.set_status(status_code)
            super().write_error(status_code, **kwargs)


class NotFoundHandler(BaseHandler):
    """Every URL no route matches: the localized 404 page."""

    def prepare(self) -> None:
        raise tornado.web.HTTPError(404)
