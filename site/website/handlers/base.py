"""The base handler: one locale per request, and what every page needs.

Every page handler derives from :class:`BaseHandler`. It picks the locale
through :mod:`website.handlers.locale_chain`, answers Tornado's
``get_user_locale`` with it, sets ``Content-Language`` and ``Vary``, remembers
an explicit switch in the ``lang`` cookie, gives templates their helpers, and
renders errors as localized pages.
"""

from __future__ import annotations

import functools
import logging
import traceback
import unicodedata
from urllib.parse import urlencode

import tornado.web

from website import escaping, security
from website.i18n import markup
from website.i18n.catalogs import Catalogs, SiteLocale
from website.handlers import locale_chain

__all__ = ["BaseHandler", "NotFoundHandler"]

log = logging.getLogger(__name__)

COOKIE_MAX_AGE_DAYS = 365


class BaseHandler(tornado.web.RequestHandler):
    """Locale negotiation, common headers, template helpers and error pages."""

    @functools.cached_property
    def catalogs(self) -> Catalogs:
        """The catalogs in service when the request started, for all of it.

        The live reloader may swap ``settings["catalogs"]`` at any moment;
        holding one object per request means a page never mixes two.
        """
        return self.settings["catalogs"]

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
        vary = locale_chain.vary_headers(self.choice)
        if vary:
            self.set_header("Vary", ", ".join(vary))

    def add_vary(self, header: str) -> None:
        """Declare that this response also depends on a request header."""
        current = [v.strip() for v in self._headers.get("Vary", "").split(",") if v.strip()]
        if header not in current:
            self.set_header("Vary", ", ".join([*current, header]))

    def prepare(self) -> None:
        if self.choice.source == "query":
            self.set_cookie(
                locale_chain.COOKIE_NAME,
                self.choice.tag,
                path="/",
                expires_days=COOKIE_MAX_AGE_DAYS,
                samesite="Lax",
                httponly=True,
                secure=self.request.protocol == "https",
            )

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

    def url_for_locale(self, tag: str | None, absolute: bool = False) -> str:
        """This page's URL with ``lang`` set to ``tag`` (or removed if None)."""
        query = self._query_without_lang
        if tag is not None:
            query += ("&" if query else "") + urlencode({locale_chain.QUERY_ARGUMENT: tag})
        url = self.request.path + ("?" + query if query else "")
        return self._origin + url if absolute else url

    @functools.cached_property
    def _query_without_lang(self) -> str:
        # Encoded once per request: every page links to itself once per locale
        # (switcher and hreflang), so this runs for every link otherwise.
        return urlencode([
            (name, value.decode("utf-8", errors="replace"))
            for name, values in self.request.query_arguments.items()
            if name != locale_chain.QUERY_ARGUMENT
            for value in values
        ])

    @functools.cached_property
    def _origin(self) -> str:
        # Never an unvalidated Host: --origin, or a loopback host (website.security).
        return security.public_origin(self.request, self.settings.get("origin", ""))

    def cached_fragment(self, template: str) -> str:
        """Render ``template``, a fragment that depends only on the locale and URL, once.

        The switcher and the hreflang links are a link per locale on every
        page; rendering them was most of a page's cost. They are kept per
        (catalogs, locale, origin, path, query) in the application's bounded
        cache, so a live reload (new catalogs object) renders them afresh.
        """
        key = (template, self.catalogs, self.choice.tag, self._origin, self.request.path,
               self._query_without_lang)
        return self.application.fragments.get(key, lambda: self.render_string(template).decode())

    def get_template_namespace(self) -> dict:
        namespace = super().get_template_namespace()
        current = self.site_locale
        namespace.update(
            current=current.info,
            choice=self.choice,
            fmt=current.formatter,
            js_catalog=current.js_catalog,
            site_locales=self.catalogs.infos,
            url_for_locale=self.url_for_locale,
            bdi=markup.bdi,
            interpolate=markup.interpolate,
            cached_fragment=self.cached_fragment,
            xhtml_escape=escaping.xhtml_escape,  # what {{ }} calls: Tornado's, faster
        )
        return namespace

    def write_error(self, status_code: int, **kwargs) -> None:
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
        super().prepare()
        raise tornado.web.HTTPError(404)
