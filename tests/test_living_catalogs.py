"""The issue's "done when", in a temporary copy of the project with the real pybabel.

A developer adds a plural sentence to a template and a string in a handler,
runs make extract, update and compile: the catalog gates pass with nothing
translated, and every locale shows the right English until a translator
catches up. A translator starts Italian with ten entries: the gates pass too.
The gates are run as the project's own tests, in the copy.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import polib
import pytest
from babel import Locale
from tornado.testing import AsyncHTTPTestCase

from website.app import make_app
from website.i18n.catalogs import load_catalogs

from conftest import ROOT
from test_pipeline import make

SINGULAR, PLURAL = "This site has %(count)s page.", "This site has %(count)s pages."
HANDLER = "A sentence a handler adds."
COUNTS = (0, 1, 2, 3, 5, 11, 21, 22, 101)
# The project's own tests that hold the one rule, run in the copy.
GATES = [
    "tests/test_checks.py", "tests/test_plural_forms.py", "tests/test_languages_complete.py",
    "tests/test_pipeline.py::test_checked_in_template_is_up_to_date",
    "tests/test_pipeline.py::test_every_catalog_has_every_template_message",
]


@pytest.fixture
def project(tmp_path):
    """A copy of the checkout with its own catalogs, whichever ship.

    The gates run here are the project's tests about the shipped catalogs
    (no English left, CLDR plurals), so the copy keeps those, not
    catalog_builder's, whose made-up translations keep the English text.
    """
    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(
        ".venv", ".git", "build", "__pycache__", "*.mo", ".pytest_cache"))
    return copy


ITALIAN = {
    "About this site": "Informazioni su questo sito",
    "Skip to content": "Vai al contenuto",
    "Languages of the World": "Lingue del mondo",
    "Your language on this site": "La tua lingua su questo sito",
    "Browse the languages": "Sfoglia le lingue",
    "How the language is chosen": "Come viene scelta la lingua",
    "Where the data comes from": "Da dove provengono i dati",
    "Your browser's preferences": "Le preferenze del tuo browser",
    "Offered to visitors": "Offerta ai visitatori",
    "Start a new language": "Inizia una nuova lingua",
}


def english(n: int) -> str:
    return (SINGULAR if Locale("en").plural_form(n) == "one" else PLURAL) % {"count": n}


def add_strings(copy) -> None:
    template = copy / "templates" / "about.html"
    probe = ('{% for n in (' + ", ".join(map(str, COUNTS)) + ') %}<p class="probe">{{ _("'
             + SINGULAR + '", "' + PLURAL + '", n) % dict(count=n) }}</p>{% end %}\n')
    template.write_text(template.read_text().replace("{% end %}", probe + "{% end %}", 1))
    # Extracted from the copy's Python source (the running package is the
    # checkout's, so the page does not show it; the catalogs are checked).
    pages = copy / "site" / "website" / "handlers" / "pages.py"
    pages.write_text(pages.read_text().replace(
        'self.render("about.html")', f'_ = self.locale.translate\n        _({HANDLER!r})\n        self.render("about.html")'))


def run_gates(copy, venv_bin) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *GATES],
        cwd=copy, capture_output=True, text=True, timeout=600,
        env={**os.environ, "VIRTUAL_ENV": str(venv_bin.parent)},
    )


def crawl_about(copy) -> dict[str, list[str]]:
    """The probe sentences of /about in every locale the copy's catalogs serve."""
    catalogs = load_catalogs(str(copy / "locale"), min_percent=0)

    class Crawl(AsyncHTTPTestCase):
        def get_app(self):
            return make_app(catalogs, root=copy)

        def runTest(self):
            pass

    crawler = Crawl()
    crawler.setUp()
    try:
        found = {}
        for tag in catalogs.tags:
            html = crawler.fetch(f"/about?lang={tag}").body.decode()
            found[tag] = re.findall(r'<p class="probe">([^<]*)</p>', html)
        return found
    finally:
        crawler.tearDown()


@pytest.fixture
def routine(project, venv_bin):
    add_strings(project)
    result = make(project, venv_bin, "extract", "update", "compile")
    assert result.returncode == 0, result.stdout + result.stderr
    return project


def test_the_developer_routine_passes_with_nothing_translated(routine, venv_bin):
    for path in sorted((routine / "locale").glob("*/LC_MESSAGES/messages.po")):
        po = polib.pofile(str(path))
        for msgid in (SINGULAR, HANDLER):
            entry = po.find(msgid)
            assert entry is not None and not entry.translated() and "fuzzy" not in entry.flags, path
    assert make(routine, venv_bin, "check").returncode == 0
    gates = run_gates(routine, venv_bin)
    assert gates.returncode == 0, gates.stdout[-3000:]


def test_every_locale_shows_the_english_with_the_english_rule(routine):
    expected = [english(n) for n in COUNTS]
    pages = crawl_about(routine)
    assert len(pages) > 1
    for tag, sentences in pages.items():
        assert sentences == expected, tag
    catalogs = load_catalogs(str(routine / "locale"), min_percent=0)
    for site_locale in catalogs:
        assert site_locale.translator.translate(HANDLER) == HANDLER


def test_a_new_language_with_ten_entries_passes_the_gates(project, venv_bin):
    assert make(project, venv_bin, "init", "LANG=it").returncode == 0
    path = project / "locale" / "it" / "LC_MESSAGES" / "messages.po"
    po = polib.pofile(str(path))
    for msgid, translation in ITALIAN.items():  # as a PO editor would save them
        po.find(msgid).msgstr = translation
    po.save(str(path))
    result = make(project, venv_bin, "compile")
    assert result.returncode == 0, result.stderr
    assert "it: compiled, 10 of " in result.stdout and "not offered" in result.stdout
    assert make(project, venv_bin, "check").returncode == 0
    gates = run_gates(project, venv_bin)
    assert gates.returncode == 0, gates.stdout[-3000:]
    italian = load_catalogs(str(project / "locale"), min_percent=0).get("it").translator
    assert italian.translate("About this site") == "Informazioni su questo sito"
    assert "it" not in load_catalogs(str(project / "locale"))  # below 95%: not offered
