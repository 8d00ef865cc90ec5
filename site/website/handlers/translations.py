"""The public translation dashboard and the catalogs it offers for download."""

from __future__ import annotations

import datetime as dt

import tornado.web

from website.toolchain import activation
from website.i18n import tags
from website.handlers.base import BaseHandler

__all__ = ["TranslationsHandler", "CatalogDownloadHandler"]

# The MIME type registered for .po files (shared-mime-info, GNU gettext).
PO_CONTENT_TYPE = "text/x-gettext-translation; charset=utf-8"


class TranslationsHandler(BaseHandler):
    """``/translations``: per locale, how much is translated and whether it is offered."""

    def get(self) -> None:
        now = dt.datetime.now(dt.timezone.utc)
        rows = []
        for verdict in _assessments(self.settings):
            tag = tags.from_gettext_id(verdict.locale)
            revised = _parse_revision(verdict.stats.revision) if verdict.stats else None
            rows.append((tag, verdict, revised - now if revised else None))
        # By the language's name in the visitor's language, in its collation.
        fmt = self.site_locale.formatter
        self.render("translations.html", rows=fmt.sorted(rows, key=lambda row: fmt.language(row[0])))


class CatalogDownloadHandler(BaseHandler):
    """``/translations/<tag>.po``: the catalog as a translator's download."""

    def get(self, raw_tag: str) -> None:
        gettext_id = tags.to_gettext_id(raw_tag)
        verdict = next((a for a in _assessments(self.settings) if a.locale == gettext_id), None)
        if verdict is None:
            raise tornado.web.HTTPError(404)
        with open(verdict.po_path, "rb") as fp:
            body = fp.read()
        self.set_header("Content-Type", PO_CONTENT_TYPE)
        filename = f"messages-{tags.normalize(raw_tag)}.po"
        self.set_header("Content-Disposition", f'attachment; filename="{filename}"')
        self.set_header("Cache-Control", "no-cache")
        self.finish(body)


def _assessments(settings) -> list[activation.Assessment]:
    """The same verdicts as ``make stats``, cached per file change by activation."""
    return activation.assess_all(settings["locale_dir"], settings["min_percent"])


def _parse_revision(value: str) -> dt.datetime | None:
    """PO-Revision-Date ("2026-11-20 23:58+0000"), or None if unset or malformed."""
    try:
        return dt.datetime.strptime(value.strip(), "%Y-%m-%d %H:%M%z")
    except ValueError:
        return None
