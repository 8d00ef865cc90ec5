"""The directory of languages and the page of each language."""

from __future__ import annotations

import datetime as dt
import math
from urllib.parse import urlencode

import tornado.web

from website import languages, tags
from website.formatting import Formatter
from website.handlers.base import BaseHandler

__all__ = ["LanguagesHandler", "LanguageHandler", "PAGE_SIZE"]

PAGE_SIZE = 50


class LanguagesHandler(BaseHandler):
    """``/languages``: every language CLDR knows, searchable, in pages."""

    def get(self) -> None:
        query = self.query_text("q", max_length=languages.MAX_QUERY_LENGTH)
        entries = languages.directory(self.site_locale.info.gettext_id)
        found = languages.search(entries, query)
        pages = max(1, math.ceil(len(found) / PAGE_SIZE))
        page = min(max(_to_int(self.query_text("page"), 1), 1), pages)
        start = (page - 1) * PAGE_SIZE
        self.render(
            "languages.html",
            query=query,
            found=found[start : start + PAGE_SIZE],
            total=len(found),
            page=page,
            pages=pages,
            page_url=lambda n: self.reverse_url("languages") + "?" + _encode(q=query, page=n),
        )


class LanguageHandler(BaseHandler):
    """``/languages/<tag>``: one language, described in the visitor's language."""

    def get(self, raw_tag: str) -> None:
        canonical = tags.normalize(raw_tag)
        details = languages.details(canonical) if canonical else None
        if details is None:
            raise tornado.web.HTTPError(404)
        if canonical != raw_tag:
            # One URL per language: /languages/PT_br -> /languages/pt-BR.
            query = self.request.query
            target = self.reverse_url("language", canonical) + ("?" + query if query else "")
            self.redirect(target, permanent=True)
            return
        today = dt.datetime.now(dt.timezone.utc).date()
        self.render(
            "language.html",
            language=details,
            sample=Formatter(details.locale),
            today=today,
        )


def _to_int(text: str, default: int) -> int:
    return int(text) if text.isascii() and text.isdigit() and len(text) < 7 else default


def _encode(**arguments) -> str:
    return urlencode({name: value for name, value in arguments.items() if value})
