"""The public translation dashboard and the catalogs it offers for download."""

from __future__ import annotations

import datetime as dt

import tornado.web

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
        for status in _statuses(self.catalogs):
            verdict = status.verdict
            tag = tags.from_gettext_id(status.gettext_id)
            revised = _parse_revision(verdict.stats.revision) if verdict and verdict.stats else None
            rows.append((tag, status, revised - now if revised else None))
        self.render("translations.html", rows=rows, min_percent=self.settings["min_percent"])


class CatalogDownloadHandler(BaseHandler):
    """``/translations/<tag>.po``: the catalog as a translator's download."""

    def get(self, raw_tag: str) -> None:
        gettext_id = tags.to_gettext_id(raw_tag)
        status = self.catalogs.statuses.get(gettext_id) if gettext_id else None
        if status is None or not status.po_path:
            raise tornado.web.HTTPError(404)
        try:
            with open(status.po_path, "rb") as fp:
                body = fp.read()
        except OSError:
            raise tornado.web.HTTPError(404) from None
        self.set_header("Content-Type", PO_CONTENT_TYPE)
        filename = f"messages-{tags.normalize(raw_tag)}.po"
        self.set_header("Content-Disposition", f'attachment; filename="{filename}"')
        self.set_header("Cache-Control", "no-cache")
        self.finish(body)


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
