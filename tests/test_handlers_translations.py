"""/translations for translators without a checkout: the template, every catalog,
each catalog's problems (localized labels, line numbers) and where to send work."""

from __future__ import annotations

import shutil

import polib
import pytest
from tornado.testing import AsyncHTTPTestCase

from website.app import make_app
from website.config import project_setting
from website.i18n.catalogs import load_catalogs
from website.toolchain.cli import compile_catalogs

from catalog_builder import site_catalogs
from conftest import LOCALE_DIR

DATA = LOCALE_DIR.parent / "tests" / "data" / "catalogs"
CONTACT = "translators@example.org"
CATALOGS = site_catalogs()
FR = CATALOGS.get("fr").translator


def fr_line(line: int) -> str:
    return FR.pgettext("catalog problem", "line %(line)s") % {"line": line}


@pytest.fixture(scope="module")
def problem_statuses(tmp_path_factory):
    """Statuses of two fixture catalogs: ru with an error, fr with warnings only."""
    locale_dir = tmp_path_factory.mktemp("dashboard") / "locale"
    paths = []
    for case, gettext_id in (("wrong_plural_count", "ru"), ("warnings_only", "fr")):
        target = locale_dir / gettext_id / "LC_MESSAGES" / "messages.po"
        target.parent.mkdir(parents=True)
        shutil.copy(DATA / case / gettext_id / "LC_MESSAGES" / "messages.po", target)
        paths.append(str(target))
    compile_catalogs(paths)
    return load_catalogs(str(locale_dir), min_percent=0).statuses


class TranslationsPageTest(AsyncHTTPTestCase):
    @pytest.fixture(autouse=True)
    def _statuses(self, problem_statuses):
        self.problem_statuses = problem_statuses

    def get_app(self):
        return make_app(site_catalogs(), translation_contact=CONTACT, min_percent=0)

    def test_offers_the_template_and_every_catalog(self):
        html = self.fetch("/translations").body.decode()
        assert 'href="/translations/messages.pot" download' in html
        response = self.fetch("/translations/messages.pot")
        assert response.code == 200
        assert response.headers["Content-Type"].startswith("text/x-gettext-translation-template")
        template = polib.pofile(response.body.decode())
        # make extract writes the project's configured contact into the template
        assert template.metadata["Report-Msgid-Bugs-To"] == project_setting("translation-contact")
        assert len(template) == len(polib.pofile(str(LOCALE_DIR / "messages.pot")))
        for status in CATALOGS.statuses.values():
            link = f'href="/translations/{status.gettext_id.replace("_", "-")}.po"'
            assert link in html, status.gettext_id

    def test_names_where_to_send_work(self):
        html = self.fetch("/translations?lang=fr").body.decode()
        assert f'<a href="mailto:{CONTACT}">{CONTACT}</a>' in html
        assert FR.translate("Send your work to %(contact)s.").split("%(contact)s")[0].strip() in html

    def test_lists_each_catalogs_problems_with_localized_labels_and_lines(self):
        catalogs = self.get_app().settings["catalogs"]
        catalogs.statuses = dict(self.problem_statuses)
        self._app.settings["catalogs"] = catalogs
        english = self.fetch("/translations?lang=en").body.decode()
        french = self.fetch("/translations?lang=fr").body.decode()
        # ru: the plural-count error at line 12, with the check's message
        assert "<strong>Plural forms</strong>, <span dir=\"ltr\">line 12</span>" in english
        assert f"<strong>{FR.pgettext('catalog check', 'Plural forms')}</strong>, <span dir=\"ltr\">{fr_line(12)}</span>" in french
        assert "Not offered: the catalog has errors" in english
        # fr: warnings with their lines (same-as-source at 18, whitespace at 15, obsolete at 21)
        assert f"<strong>{FR.pgettext('catalog check', 'Same as the source')}</strong> (1)" in french
        assert fr_line(18) in french and fr_line(15) in french and fr_line(21) in french

    def test_contact_is_never_a_script(self):
        from website.handlers.translations import contact_link

        assert contact_link("javascript:alert(1)@x.org") is None
        assert contact_link('a"onmouseover="x@example.org') is None
        assert contact_link("") is None


def test_init_and_update_write_the_contact(tmp_path, venv_bin):
    from test_pipeline import make, project as _project  # noqa: F401 - the same copy

    copy = tmp_path / "project"
    shutil.copytree(LOCALE_DIR.parent, copy, ignore=shutil.ignore_patterns(
        ".venv", ".git", "build", "__pycache__", "*.mo", "*.verdict.json", ".pytest_cache"))
    assert make(copy, venv_bin, "init", "LANG=it", f"CONTACT={CONTACT}").returncode == 0
    assert make(copy, venv_bin, "update", f"CONTACT={CONTACT}").returncode == 0
    for gettext_id, name in (("it", "Italian"), ("fr", "French")):
        po = polib.pofile(str(copy / "locale" / gettext_id / "LC_MESSAGES" / "messages.po"))
        assert po.metadata["Report-Msgid-Bugs-To"] == CONTACT
        assert po.metadata["Language-Team"] == f"{name} <{CONTACT}>"
