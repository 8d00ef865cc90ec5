"""The public translation dashboard and the catalogs it offers for download.

Everything shown comes from the verdicts ``make compile`` wrote next to each
``.mo`` (through :attr:`Catalogs.statuses`): the page never parses a ``.po``.
A translator without a checkout downloads ``messages.pot`` to start a
language, or a language's ``.po`` to continue it, sees each catalog's
problems with their line numbers, and learns where to send the work.
"""

from __future__ import annotations

import datetime as dt
import os

import tornado.web

from website.i18n import markup, tags
from website.i18n.translation import pgettext_noop
from website.handlers.base import BaseHandler
from website.handlers.localized import PageHandler

__all__ = ["TranslationsHandler", "CatalogDownloadHandler", "TemplateDownloadHandler",
           "CHECK_LABELS", "contact_link"]

# The MIME type registered for .po files (shared-mime-info, GNU gettext).
PO_CONTENT_TYPE = "text/x-gettext-translation; charset=utf-8"
POT_CONTENT_TYPE = "text/x-gettext-translation-template; charset=utf-8"

_CONTEXT = "catalog check"  # written out in each call below: extraction needs the literal
# What each catalog check is called for translators (website.toolchain.checks
# names them for developers). Checks about the file itself share one label.
CHECK_LABELS = {
    "plural-forms": pgettext_noop("catalog check", "Plural-Forms header"),
    "plural-count": pgettext_noop("catalog check", "Plural forms"),
    "python-format": pgettext_noop("catalog check", "Placeholders"),
    "markup": pgettext_noop("catalog check", "Markup"),
    "newline": pgettext_noop("catalog check", "Line breaks"),
    "whitespace": pgettext_noop("catalog check", "Spaces"),
    "fuzzy": pgettext_noop("catalog check", "Needs review"),
    "untranslated": pgettext_noop("catalog check", "Untranslated"),
    "same-as-source": pgettext_noop("catalog check", "Same as the source"),
    "obsolete": pgettext_noop("catalog check", "Obsolete"),
    "control-character": pgettext_noop("catalog check", "Control characters"),
    "bidi-controls": pgettext_noop("catalog check", "Text-direction controls"),
}
_FILE_LABEL = pgettext_noop("catalog check", "File format")  # syntax, encoding, duplicates...


class TranslationsHandler(PageHandler):
    """``/<tag>/translations``: per locale, how far it has come, its problems, whether it is offered."""

    def get(self) -> None:
        now = dt.datetime.now(dt.timezone.utc)
        rows = []
        for status in _statuses(self.catalogs):
            verdict = status.verdict
            tag = tags.from_gettext_id(status.gettext_id)
            revised = _parse_revision(verdict.stats.revision) if verdict and verdict.stats else None
            rows.append((tag, status, revised - now if revised else None))
        # By the language's name in the visitor's language, in its collation.
        fmt = self.site_locale.formatter
        rows = fmt.sorted(rows, key=lambda row: fmt.language(row[0]))
        locale = self.locale
        contact = contact_link(self.settings.get("translation_contact", ""))
        self.render(
            "translations.html",
            rows=rows,
            min_percent=self.settings["min_percent"],
            contact=markup.link(*contact) if contact else None,
            template_link=markup.link(self.reverse_url("template"), markup.code("messages.pot"),
                                      download=True),
            check_label=lambda check: locale.pgettext(_CONTEXT, CHECK_LABELS.get(check, _FILE_LABEL)),
        )


class CatalogDownloadHandler(BaseHandler):
    """``/translations/<tag>.po``: the catalog as a translator's download."""

    def get(self, raw_tag: str) -> None:
        gettext_id = tags.to_gettext_id(raw_tag)
        status = self.catalogs.statuses.get(gettext_id) if gettext_id else None
        if status is None or not status.po_path:
            raise tornado.web.HTTPError(404)
        _send_file(self, status.po_path, PO_CONTENT_TYPE, f"messages-{tags.normalize(raw_tag)}.po")


class TemplateDownloadHandler(BaseHandler):
    """``/translations/messages.pot``: every string of the site, to start a new language."""

    def get(self) -> None:
        path = os.path.join(self.settings["locale_dir"], "messages.pot")
        _send_file(self, path, POT_CONTENT_TYPE, "messages.pot")


def _send_file(handler: BaseHandler, path: str, content_type: str, filename: str) -> None:
    try:
        with open(path, "rb") as fp:
            body = fp.read()
    except OSError:
        raise tornado.web.HTTPError(404) from None
    handler.set_header("Content-Type", content_type)
    handler.set_header("Content-Disposition", f'attachment; filename="{filename}"')
    handler.set_cache_kind("revalidate")
    handler.finish(body)


def contact_link(contact: str) -> tuple[str, str] | None:
    """``(href, text)`` for the configured contact, or None when unset or unusable.

    >>> contact_link("translations@example.org")
    ('mailto:translations@example.org', 'translations@example.org')
    >>> contact_link("https://example.org/translate")
    ('https://example.org/translate', 'https://example.org/translate')
    >>> contact_link("javascript:alert(1)") is None
    True
    """
    contact = contact.strip()
    if contact.startswith("https://") and " " not in contact:
        return contact, contact
    local, at, domain = contact.partition("@")
    if at and local and "." in domain and not any(c in contact for c in " <>\"':/"):
        return f"mailto:{contact}", contact
    return None


def _statuses(catalogs):
    """What the server made of each catalog, from the verdicts ``make compile`` wrote."""
    return [catalogs.statuses[key] for key in sorted(catalogs.statuses)
            if tags.from_gettext_id(key) is not None]


def _parse_revision(value: str) -> dt.datetime | None:
    """PO-Revision-Date ("2026-11-20 23:58+0000"), or None if unset or malformed."""
    try:
        return dt.datetime.strptime(value.strip(), "%Y-%m-%d %H:%M%z")
    except ValueError:
        return None
