"""The home and about pages."""

from __future__ import annotations

from website.i18n import negotiation, pseudo
from website.handlers.base import BaseHandler

__all__ = ["HomeHandler", "AboutHandler"]


class HomeHandler(BaseHandler):
    """What the site is, and how it chose the language the visitor reads."""

    def get(self) -> None:
        # The page shows the visitor's Accept-Language, so it varies with it
        # even when the cookie chose the locale.
        self.add_vary("Accept-Language")
        preferences = negotiation.parse_accept_language(self.request.headers.get("Accept-Language"))
        # The pseudo-locales (--debug) are a developer's tool, not languages of the site.
        languages = [info for info in self.catalogs.infos if not pseudo.is_pseudo(info.gettext_id)]
        self.render("home.html", preferences=preferences, languages=languages)


class AboutHandler(BaseHandler):
    def get(self) -> None:
        self.render("about.html")
