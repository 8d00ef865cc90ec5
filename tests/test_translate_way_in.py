"""The way into the workspace from the public site, and /translations' honest percentages (issue 19)."""

from __future__ import annotations

import re

import polib
import pytest
from tornado.testing import AsyncHTTPTestCase

from website.app import make_app
from website.i18n.catalogs import load_catalogs
from website.workspace.service import Workspace

import catalog_builder
from conftest import LOCALE_DIR

pytestmark = pytest.mark.integration  # a workspace is an SQLite file

CONTACT = "translators@example.org"


@pytest.fixture(scope="module")
def almost_complete(tmp_path_factory):
    """ru with every entry translated but one."""
    template = polib.pofile(str(LOCALE_DIR / "messages.pot"))
    left_out = next(e.msgid for e in template if not e.msgid_plural and not e.msgctxt)
    root = catalog_builder.build(tmp_path_factory.mktemp("almost") / "locale", ["ru", "fr"],
                                 translations={left_out: ""})
    return load_catalogs(str(root), min_percent=0), len(template)


class WayInTest(AsyncHTTPTestCase):
    @pytest.fixture(autouse=True)
    def _setup(self, almost_complete, tmp_path):
        self.catalogs, self.total = almost_complete
        self.workspace = Workspace.open(tmp_path / "var", LOCALE_DIR)

    def get_app(self):
        return make_app(self.catalogs, translation_contact=CONTACT, min_percent=0, workspace=self.workspace)

    def test_the_footer_and_translations_lead_to_the_workspace_in_the_page_language(self):
        ru = self.catalogs.get("ru").translator
        link = ru.gettext("Translate this site")
        assert link != "Translate this site"
        for path in ("/ru/", "/ru/about", "/ru/languages"):
            html = self.fetch(path).body.decode()
            footer = html[html.index('<footer class="site-footer">'):]
            assert f'<a href="/translate">{link}</a>' in footer, path
        page = self.fetch("/ru/translations").body.decode()
        assert f'class="button" href="/translate">{link}</a>' in page
        assert f'<a href="mailto:{CONTACT}">{CONTACT}</a>' in page
        assert ru.gettext("Translate in your browser") in page

    def test_a_catalog_one_string_short_is_not_shown_as_complete(self):
        page = self.fetch("/en/translations").body.decode()
        row = page[page.index('class="endonym-small" lang="ru"'):]
        row = row[:row.index("</tr>")]
        shown = re.search(r"<strong>([^<]+)</strong>", row)[1]
        assert shown != "100%" and shown == f"{(self.total - 1) * 100 // self.total}%"
        assert "1 string untranslated" in row


class NoWorkspaceTest(AsyncHTTPTestCase):
    @pytest.fixture(autouse=True)
    def _setup(self, almost_complete):
        self.catalogs, _total = almost_complete

    def get_app(self):
        return make_app(self.catalogs, min_percent=0)

    def test_without_a_workspace_no_page_links_to_it(self):
        for path in ("/ru/", "/ru/translations"):
            assert 'href="/translate"' not in self.fetch(path).body.decode()
