"""The directory of languages and the page of each language."""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
from decimal import Decimal
from urllib.parse import urlencode

import tornado.escape
import tornado.web

from website import directory
from website.i18n import latin_folding, locale_data, tags
from website.i18n.catalogs import SiteLocale
from website.i18n.formatting import Formatter
from website.i18n.translation import pgettext_noop
from website.handlers.base import BaseHandler
from website.handlers.localized import PageHandler

__all__ = ["LanguagesHandler", "LanguagesJsonHandler", "LanguageHandler", "PAGE_SIZE"]

PAGE_SIZE = 50
# Main characters shown on a language page: an alphabet fits whole; Chinese
# and Japanese list thousands, of which the page shows the first.
MAX_CHARACTERS = 120


class LanguagesHandler(PageHandler):
    """``/<tag>/languages``: every language CLDR knows, searchable, in pages."""

    def normalized_query(self) -> tuple:
        # q cleaned and cut; page a number within range (1 is no page at all).
        query = self.query_text("q", max_length=directory.MAX_QUERY_LENGTH)
        found = self._found(query)
        pages = max(1, math.ceil(len(found) / PAGE_SIZE))
        page = min(max(_to_int(self.query_text("page"), 1), 1), pages)
        return tuple((name, value) for name, value in (("q", query), ("page", page)) if value and value != 1)

    def cacheable(self) -> bool:
        # Search results are rendered each time: their key would be the
        # visitor's free text. The pages of the full list are a bounded set.
        return not dict(self._normalized).get("q")

    def _url_with(self, **arguments) -> str:
        query = _encode(**arguments)
        return self.page_url("languages") + ("?" + query if query else "")

    def _found(self, query: str):
        # Asked twice per request (the query's page range, then the page).
        if getattr(self, "_found_for", (None,))[0] != query:
            entries = directory.entries(self.site_locale.info.gettext_id)
            self._found_for = (query, directory.search(entries, query) if query else entries)
        return self._found_for[1]

    @functools.cached_property
    def _language_pages(self) -> str:
        return self.page_url("language", "")

    def _language_url(self, tag: str) -> str:
        """``page_url("language", tag)``, for the fifty rows of a page.

        Reversing the route is most of a row's cost on a search page (which
        is rendered each time): it is reversed once, and each tag escaped as
        Tornado's reversal escapes an argument.
        """
        return self._language_pages + tornado.escape.url_escape(tag, plus=False)

    def language_row(self, entry: directory.LanguageEntry) -> str:
        """``entry``'s row of the table, rendered once per locale and language.

        A search page is rendered each time (its key would be free text),
        and its fifty rows were most of it; a row depends only on the
        response's locale and the language, so it is kept in the
        application's fragment cache (bounded in bytes, emptied by a
        catalog reload) under those two, never under the query.
        """
        render = lambda: self.render_string("_language_row.html", entry=entry,  # noqa: E731
                                            language_url=self._language_url).decode()
        return self.kept_fragment(("language-row", self.choice.tag, entry.tag), render)

    def get(self) -> None:
        arguments = dict(self._normalized)
        query, page = arguments.get("q", ""), arguments.get("page", 1)
        if query:
            self.set_cache_kind("unshared")
        found = self._found(query)
        start = (page - 1) * PAGE_SIZE
        self.render(
            "languages.html",
            query=query,
            found=found[start : start + PAGE_SIZE],
            total=len(found),
            page=page,
            pages=max(1, math.ceil(len(found) / PAGE_SIZE)),
            page_size=PAGE_SIZE,
            language_row=self.language_row,
            # page 1 is no page at all: the canonical URL of the first page
            pagination_url=lambda n: self._url_with(q=query, page=n if n > 1 else None),
        )


class LanguagesJsonHandler(BaseHandler):
    """``/languages.json?lang=<tag>``: the whole directory in that language, for live search.

    ``{"languages": [...], "latin_folding": {...}}``: each language with its
    names and its folded Latin keys (``latin``), and the table the browser
    folds a query with (:mod:`website.i18n.latin_folding`), so that it finds
    exactly what :func:`website.directory.search` finds.

    Unprefixed, as JSON endpoints are. With ``?lang`` naming a served locale
    the URL alone decides the content, so it is cached like a page;
    negotiated from the cookie or header it is private.
    """

    def get(self) -> None:
        tag = self.choice.tag
        if self.choice.source == "query":
            self.set_cache_kind("page")
        body = self.application.page_cache.get_or_render(
            self.settings["catalogs"], self.catalogs, ("languages.json", tag), lambda: self._render(tag))
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(body)

    def _render(self, tag: str) -> bytes:
        entries = directory.entries(self.site_locale.info.gettext_id)
        return json.dumps({
            "languages": [
                {
                    "tag": entry.tag,
                    "name": entry.name,
                    "named": entry.named,
                    "endonym": entry.endonym,
                    "english": entry.english_name,
                    "latin": entry.latin_text,
                    "dir": "rtl" if entry.rtl else "ltr",
                    "url": self.page_url("language", entry.tag, tag=tag),
                }
                for entry in entries
            ],
            "latin_folding": latin_folding.query_table(),
        }, ensure_ascii=False).encode()


class LanguageHandler(PageHandler):
    """``/<tag>/languages/<language>``: one language, described in the page's language."""

    def get(self, raw_tag: str) -> None:
        canonical = tags.normalize(raw_tag)
        details = directory.details(canonical) if canonical else None
        if details is None:
            raise tornado.web.HTTPError(404)
        if canonical != raw_tag:
            # One URL per language: /fr/languages/PT_br -> /fr/languages/pt-BR.
            self.set_cache_kind("moved")
            self.redirect(self.page_url("language", canonical), permanent=True)
            return
        fmt = self.site_locale.formatter
        systems = tuple(dict.fromkeys(filter(None, (details.numbering, details.native_numbering))))
        served = self.catalogs.get(details.tag) if details.tag in self.catalogs else None
        self.render(
            "language.html",
            language=details,
            sample=served.formatter if served else Formatter(details.locale),
            now=dt.datetime.now(dt.timezone.utc).replace(microsecond=0),
            official_in=fmt.sorted(fmt.territory(code) for code in details.official_in),
            # In the page's own language, through the page's locale: in translator
            # mode its samples are marked like every other string of the page.
            counting=_counting(served, details, self.locale if served is self.site_locale else None)
            if served else [],
            systems=systems,
            digits={system: locale_data.numbering_digits(system) for system in systems},
            max_characters=MAX_CHARACTERS,
        )


# The numbers whose "N items" the language page shows: every plural category
# of the shipped languages, the teens, and a fraction.
COUNTING_NUMBERS = (0, 1, 2, 3, 5, 11, 21, 22, 101, Decimal("1.5"))


def _counting(target: SiteLocale, details: directory.LanguageDetails, locale=None) -> list[tuple]:
    """(number, CLDR category, "N items" in the target language) rows.

    ``locale``: the one to translate with instead of ``target``'s own (the
    page's, when the page is in the target language).
    """
    _ = (locale or target.translator).translate
    rule = details.locale.plural_form
    rows = []
    for n in COUNTING_NUMBERS:
        # Translators: a sample sentence counting things, shown on each language's page.
        sentence = _("%(count)s item", "%(count)s items", n) % {"count": target.formatter.decimal(n)}
        rows.append((n, rule(n), sentence))
    return rows


# Fractional counts whose CLDR category no integer has (1.5 in Russian,
# Polish, Ukrainian) take this entry instead of a plural form: see
# website.i18n.translation. Declared here, where such counts are shown.
# Translators: the form used with a fraction such as 1.5 (Russian "1,5 элемента"). Where fractions take the ordinary plural, write the ordinary plural.
pgettext_noop("fraction", "%(count)s items")


def _to_int(text: str, default: int) -> int:
    return int(text) if text.isascii() and text.isdigit() and len(text) < 7 else default


def _encode(**arguments) -> str:
    return urlencode({name: value for name, value in arguments.items() if value})
