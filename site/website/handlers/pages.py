"""The home and about pages, and the visitor's own preferences for the home page."""

from __future__ import annotations

import json

from website.i18n import negotiation, pseudo
from website.handlers import locale_chain
from website.handlers.base import BaseHandler
from website.handlers.localized import PageHandler

__all__ = ["HomeHandler", "AboutHandler", "PreferencesHandler"]


class HomeHandler(PageHandler):
    """What the site is, and which languages the visitor's browser asks for.

    The page is the same for everyone, so caches can keep it: the visitor's
    own part (their ``Accept-Language`` list, and why ``/`` chose what it
    chose) comes from :class:`PreferencesHandler` through
    ``static/js/home.js``. Without script that part is left out.
    """

    def get(self) -> None:
        # The pseudo-locales (--debug) are a developer's tool, not languages of the site.
        languages = [info for info in self.catalogs.infos if not pseudo.is_pseudo(info.gettext_id)]
        self.render("home.html", languages=languages)


class AboutHandler(PageHandler):
    def get(self) -> None:
        self.render("about.html")


class PreferencesHandler(BaseHandler):
    """``/preferences.json?lang=<page>``: this visitor's languages, as ``/`` sees them.

    ``preferences``: the ``Accept-Language`` entries, best first, named and
    weighted in the page's language; ``chosen``: where ``/`` would send this
    visitor, and ``reason``: why, as a sentence (``source``: ``cookie``,
    ``header`` or ``default``). Personal: ``private, no-store``.
    """

    def get(self) -> None:
        self.add_vary("Accept-Language")
        self.add_vary("Cookie")
        _ = self.locale.translate
        fmt = self.site_locale.formatter
        # What / would choose, ignoring ?lang (which only names the page's language).
        choice = locale_chain.choose(self.request, self.catalogs.tags, self.catalogs.default,
                                     chain=(locale_chain.CookieSource(), locale_chain.HeaderSource()))
        reasons = {
            "cookie": _("You chose it on an earlier visit; the site remembers your choice in a cookie."),
            "header": _("Your browser asked for it in its language preferences."),
            "default": _("Your browser did not ask for any language this site offers, so it is shown in the default language."),
        }
        preferences = negotiation.parse_accept_language(self.request.headers.get("Accept-Language"))
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps({
            "preferences": [
                {
                    "tag": tag,
                    "name": fmt.language(tag),
                    # Translators: %(weight)s is a percentage showing how strongly the browser prefers a language.
                    "weight": _("weight %(weight)s") % dict(weight=fmt.percent(q)),
                }
                for tag, q in preferences[:20]
            ],
            "chosen": choice.tag,
            "source": choice.source,
            "reason": reasons.get(choice.source, ""),
        }, ensure_ascii=False))
