"""Browser catalogs: the static/js messages, per locale, content-hashed and immutable."""

from __future__ import annotations

import json
import re

import polib

from tornado.testing import AsyncHTTPTestCase

from website.i18n import plural_forms
from website.app import make_app
from website.handlers.static import IMMUTABLE
from website.toolchain.activation import load_template

from catalog_builder import site_catalogs, site_locale_dir
from conftest import LOCALE_DIR

CATALOGS = site_catalogs()


def test_only_javascript_messages_are_shipped():
    messages = load_template(str(LOCALE_DIR / "messages.pot")).js_messages
    assert (None, "%(count)s language found", "%(count)s languages found") in messages
    assert all(msgid != "About this site" for _, msgid, _ in messages)


def test_catalog_carries_the_plural_forms_and_every_form():
    ru = CATALOGS.get("ru")
    body = json.loads(ru.js_catalog.body)
    header = polib.pofile(str(site_locale_dir() / "ru" / "LC_MESSAGES" / "messages.po")).metadata["Plural-Forms"]
    assert body["plural"] == header.split("plural=", 1)[1].strip().rstrip(";")
    forms = body["messages"]["%(count)s language found"]
    nplurals, _ = plural_forms.parse_header(header)
    assert len(forms) == nplurals == 3
    assert forms == [ru.translator.translate("%(count)s language found", "%(count)s languages found", n)
                     for n in (1, 2, 5)]


def test_names_change_with_content():
    names = {locale.js_catalog.name for locale in CATALOGS}
    assert len(names) == len(CATALOGS)
    assert all(re.fullmatch(r"messages\.[0-9a-f]{16}\.json", name) for name in names)


class JsCatalogHttpTest(AsyncHTTPTestCase):
    def get_app(self):
        return make_app(CATALOGS)

    def test_page_names_its_catalog_and_it_is_served_immutable(self):
        html = self.fetch("/ar/languages").body.decode()
        url = re.search(r'data-i18n-catalog="([^"]+)"', html)[1]
        assert url == f"/i18n/{CATALOGS.get('ar').js_catalog.name}"
        response = self.fetch(url)
        assert response.code == 200
        assert response.headers["Cache-Control"] == IMMUTABLE
        assert response.headers["Content-Type"].startswith("application/json")
        assert json.loads(response.body)["plural"].startswith("(n==0")

    def test_unknown_catalog_is_404(self):
        assert self.fetch("/i18n/messages.0000000000000000.json").code == 404
        assert self.fetch("/i18n/..%2F..%2Fetc%2Fpasswd").code == 404

    def test_directory_json_for_live_search(self):
        response = self.fetch("/languages.json?lang=fr")
        data = json.loads(response.body)
        entries = data["languages"]
        assert response.headers["Content-Language"] == "fr"
        russian = next(e for e in entries if e["tag"] == "ru")
        assert russian["name"] == "russe" and russian["endonym"] == "русский"
        assert russian["url"] == "/fr/languages/ru" and russian["named"] is True
        assert russian["english"] == "Russian"  # the browser folds and searches it too
        # the Latin-ASCII keys, and the table the browser folds a query with
        assert "russkiy" in russian["latin"].split("\n")
        assert data["latin_folding"]["ß"] == "ss" and data["latin_folding"]["ł"] == "l"
