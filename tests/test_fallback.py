"""Untranslated and fuzzy plurals read as the source does, in every locale.

"1 page" / "5 pages" with English's rule until a translator writes the
language's forms, on the server and in the browser (static/js/i18n.js run in
Debian's Chromium), for languages of 1, 2, 3 and 6 plural forms. The
catalogs are built here, in a temporary folder, and compiled by the project's
own compile step: the shipped ones may be complete or not on any given day.
"""

from __future__ import annotations

import gettext
import json
from decimal import Decimal

import polib
import pytest
from babel import Locale

from website.i18n import plural_forms
from website.i18n.catalogs import load_catalogs
from website.toolchain.cli import compile_catalogs

from conftest import ROOT

LOCALES = ("ja", "zh_Hans", "de", "ru", "uk", "ar")  # 1, 1, 2, 3, 3 and 6 forms
COUNTS = (0, 1, 2, 3, 5, 11, 21, 22, 100, 101, 1000000)
UNTRANSLATED = ("%(count)s page", "%(count)s pages")
FUZZY = ("%(count)s file", "%(count)s files")
TRANSLATED = ("%(count)s language found", "%(count)s languages found")
JS_SOURCE = [("static/js/test.js", "1")]


def english(singular: str, plural: str, n) -> str:
    """The source text for n, by CLDR's English rule, computed independently."""
    return singular if Locale("en").plural_form(n) == "one" else plural


def _entry(msgid, msgid_plural, forms, flags=()):
    return polib.POEntry(msgid=msgid, msgid_plural=msgid_plural, msgstr_plural=forms,
                         flags=["python-format", *flags], occurrences=JS_SOURCE)


@pytest.fixture(scope="module")
def locale_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("fallback") / "locale"
    root.mkdir()
    template = polib.POFile()
    template.metadata = {"Content-Type": "text/plain; charset=utf-8"}
    for msgid, plural in (UNTRANSLATED, FUZZY, TRANSLATED):
        template.append(_entry(msgid, plural, {0: "", 1: ""}))
    template.save(str(root / "messages.pot"))
    paths = []
    for gettext_id in LOCALES:
        header = plural_forms.plural_forms(gettext_id)
        nplurals, _ = plural_forms.parse_header(header)
        po = polib.POFile()
        po.metadata = {"Content-Type": "text/plain; charset=utf-8", "Language": gettext_id,
                       "Plural-Forms": header}
        po.append(_entry(*UNTRANSLATED, {i: "" for i in range(nplurals)}))
        po.append(_entry(*FUZZY, {i: f"FUZZY{i} %(count)s" for i in range(nplurals)}, ["fuzzy"]))
        po.append(_entry(*TRANSLATED, {i: f"{gettext_id}:{i} %(count)s" for i in range(nplurals)}))
        folder = root / gettext_id / "LC_MESSAGES"
        folder.mkdir(parents=True)
        po.save(str(folder / "messages.po"))
        paths.append(str(folder / "messages.po"))
    assert compile_catalogs(paths) == 0
    return root


def expected_translation(gettext_id: str, n: int) -> str:
    _, rule = plural_forms.parse_header(plural_forms.plural_forms(gettext_id))
    return f"{gettext_id}:{rule(n)} %(count)s"


def test_the_compiled_catalog_leaves_untranslated_and_fuzzy_plurals_out(locale_dir):
    for gettext_id in LOCALES:
        with open(locale_dir / gettext_id / "LC_MESSAGES" / "messages.mo", "rb") as fp:
            keys = {key[0] for key in gettext.GNUTranslations(fp)._catalog if isinstance(key, tuple)}
        assert keys == {TRANSLATED[0]}, gettext_id


@pytest.mark.parametrize("gettext_id", LOCALES)
def test_server_shows_the_source_with_the_source_rule(locale_dir, gettext_id):
    catalogs = load_catalogs(str(locale_dir), min_percent=0)
    translator = next(l for l in catalogs if l.info.gettext_id == gettext_id).translator
    for n in (*COUNTS, Decimal("1.5"), Decimal("1.0"), 0.5):
        assert translator.translate(*UNTRANSLATED, n) == english(*UNTRANSLATED, n), (gettext_id, n)
        assert translator.translate(*FUZZY, n) == english(*FUZZY, n), (gettext_id, n)
        assert translator.pgettext("some context", *UNTRANSLATED, n) == english(*UNTRANSLATED, n)
    for n in COUNTS:
        assert translator.translate(*TRANSLATED, n) == expected_translation(gettext_id, n)


def test_browser_catalogs_leave_them_out(locale_dir):
    catalogs = load_catalogs(str(locale_dir), min_percent=0)
    for site_locale in catalogs:
        if site_locale.info.gettext_id in LOCALES:
            messages = json.loads(site_locale.js_catalog.body)["messages"]
            assert sorted(messages) == [TRANSLATED[0]]


def test_browser_shows_the_source_with_the_source_rule(locale_dir):
    from playwright.sync_api import sync_playwright

    from test_browser import CHROMIUM, CHROMIUM_ARGS

    catalogs = load_catalogs(str(locale_dir), min_percent=0)
    script = (ROOT / "static" / "js" / "i18n.js").read_text()
    bodies = {f"/i18n/{l.js_catalog.name}": l.js_catalog.body for l in catalogs}

    def serve(route):
        path = "/" + route.request.url.split("/", 3)[3]
        if path == "/":
            route.fulfill(body='<!DOCTYPE html><script src="/i18n.js"></script>', content_type="text/html")
        elif path == "/i18n.js":
            route.fulfill(body=script, content_type="text/javascript")
        elif path in bodies:
            route.fulfill(body=bodies[path], content_type="application/json")
        else:
            route.fulfill(status=404)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.route("http://catalogs.test/**", serve)
            page.goto("http://catalogs.test/")
            for site_locale in catalogs:
                gettext_id = site_locale.info.gettext_id
                if gettext_id not in LOCALES:
                    continue
                got = page.evaluate(
                    """async ([url, counts, untranslated, fuzzy, translated]) => {
                        await i18n.load(url);
                        return counts.map(n => [i18n.ngettext(untranslated[0], untranslated[1], n),
                                                i18n.ngettext(fuzzy[0], fuzzy[1], n),
                                                i18n.ngettext(translated[0], translated[1], n)]);
                    }""",
                    [f"/i18n/{site_locale.js_catalog.name}", list(COUNTS), UNTRANSLATED, FUZZY, TRANSLATED],
                )
                expected = [[english(*UNTRANSLATED, n), english(*FUZZY, n), expected_translation(gettext_id, n)]
                            for n in COUNTS]
                assert got == expected, gettext_id
        finally:
            browser.close()
