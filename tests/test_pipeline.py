"""The catalog workflow with the real pybabel: extract -> init/update -> compile -> load.

Runs the Makefile targets in a temporary copy of the project, so the checkout
is never touched, with the project's own virtualenv. The copy's catalogs are
built for the test (catalog_builder.SITE_LOCALES, every entry translated),
so the workflow is tested whichever catalogs ship.
"""

from __future__ import annotations

import shutil
import subprocess

import polib
import pytest

from website.i18n import plural_forms
from website.i18n.catalogs import load_catalogs

from catalog_builder import SITE_LOCALES, build
from conftest import ROOT


@pytest.fixture
def project(tmp_path, venv_bin):
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", ".git", "build", "__pycache__", "*.mo", ".pytest_cache"),
    )
    for folder in (copy / "locale").iterdir():
        if folder.is_dir():
            shutil.rmtree(folder)
    build(copy / "locale", SITE_LOCALES)
    return copy


def make(project, venv_bin, *targets: str) -> subprocess.CompletedProcess:
    venv = venv_bin.parent
    return subprocess.run(
        # --old-file: the copy's pyproject.toml is newer than the venv stamp,
        # and reinstalling would point the editable install at the copy.
        ["make", "--no-print-directory", f"VENV={venv}", f"--old-file={venv}/.installed", *targets],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )


def test_extract_update_compile_round_trip(project, venv_bin):
    # A new string in a template travels to every catalog and to the site.
    template = project / "templates" / "about.html"
    template.write_text(
        template.read_text().replace(
            "{% end %}", '<p>{{ _("A brand new sentence") }}</p>\n{% end %}', 1
        )
    )
    result = make(project, venv_bin, "extract", "update", "compile")
    assert result.returncode == 0, result.stderr
    pot = polib.pofile(str(project / "locale" / "messages.pot"))
    assert pot.find("A brand new sentence") is not None
    for gettext_id in ("fr", "ru", "ar"):
        po = polib.pofile(str(project / "locale" / gettext_id / "LC_MESSAGES" / "messages.po"))
        entry = po.find("A brand new sentence")
        assert entry is not None and entry.msgstr == ""
        # update kept the CLDR header and every existing translation
        assert plural_forms.header_mismatches(po.metadata["Plural-Forms"], gettext_id) == []
        assert po.percent_translated() > 95
    catalogs = load_catalogs(str(project / "locale"))
    assert {"en", "fr", "ru", "ar"} <= set(catalogs.tags)
    # untranslated: falls back to the source text, string by string
    assert catalogs.get("fr").translator.translate("A brand new sentence") == "A brand new sentence"
    assert catalogs.get("fr").translator.pgettext("navigation", "Home") != "Home"


def test_update_never_proposes_an_unrelated_translation(project, venv_bin):
    # pybabel's fuzzy matcher offered "Your language on this site" for this
    # sentence in every catalog; make update must leave it untranslated.
    template = project / "templates" / "home.html"
    template.write_text(template.read_text().replace(
        "{% end %}", '<p>{{ _("Every language counts.") }}</p>\n{% end %}', 1))
    result = make(project, venv_bin, "extract", "update")
    assert result.returncode == 0, result.stderr
    catalogs = sorted((project / "locale").glob("*/LC_MESSAGES/messages.po"))
    assert catalogs
    for path in catalogs:
        entry = polib.pofile(str(path)).find("Every language counts.")
        assert entry is not None, path
        assert (entry.msgstr, entry.flags) == ("", []), path


def test_extract_is_stable(project, venv_bin):
    pot = project / "locale" / "messages.pot"
    assert make(project, venv_bin, "extract").returncode == 0
    first = pot.read_text()
    assert make(project, venv_bin, "extract").returncode == 0
    strip = lambda text: [l for l in text.splitlines() if not l.startswith('"POT-Creation-Date')]
    assert strip(first) == strip(pot.read_text())


def test_checked_in_template_is_up_to_date(project, venv_bin):
    """The stale-catalog gate: a string in the sources that messages.pot lacks
    (or the reverse) means someone forgot `make extract`."""
    checked_in = polib.pofile(str(ROOT / "locale" / "messages.pot"))
    assert make(project, venv_bin, "extract").returncode == 0
    fresh = polib.pofile(str(project / "locale" / "messages.pot"))
    key = lambda e: (e.msgctxt, e.msgid, e.msgid_plural)
    missing = sorted({key(e) for e in fresh} - {key(e) for e in checked_in}, key=str)
    gone = sorted({key(e) for e in checked_in} - {key(e) for e in fresh}, key=str)
    assert (missing, gone) == ([], []), "locale/messages.pot is stale: run 'make extract' and 'make update'"


@pytest.mark.parametrize(
    "path", sorted((ROOT / "locale").glob("*/LC_MESSAGES/messages.po")), ids=lambda p: p.parent.parent.name
)
def test_every_catalog_has_every_template_message(path):
    """The other half of the gate: `make update` was run after `make extract`."""
    template = {(e.msgctxt, e.msgid) for e in polib.pofile(str(ROOT / "locale" / "messages.pot"))}
    catalog = {(e.msgctxt, e.msgid) for e in polib.pofile(str(path)) if not e.obsolete}
    assert sorted(template - catalog, key=str) == [], f"{path} is stale: run 'make update'"


def test_init_writes_the_cldr_plural_header(project, venv_bin):
    result = make(project, venv_bin, "init", "LANG=hy")
    assert result.returncode == 0, result.stderr
    po = polib.pofile(str(project / "locale" / "hy" / "LC_MESSAGES" / "messages.po"))
    # Babel's table says nplurals=1 for Armenian; CLDR has one (0, 1) and other.
    assert po.metadata["Plural-Forms"] == "nplurals=2; plural=(n > 1);"
    plural_entries = [e for e in po if e.msgid_plural]
    assert plural_entries and all(sorted(e.msgstr_plural) == [0, 1] for e in plural_entries)


def test_init_takes_a_bcp47_tag(project, venv_bin):
    assert make(project, venv_bin, "init", "LANG=pt-PT").returncode == 0
    po = project / "locale" / "pt_PT" / "LC_MESSAGES" / "messages.po"
    assert po.exists()
    assert plural_forms.header_mismatches(polib.pofile(str(po)).metadata["Plural-Forms"], "pt_PT") == []


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ((), "usage: make init LANG="),
        (("LANG=xx-garbage!",), "not a BCP 47 language tag"),
        (("LANG=tlh",), "CLDR has no locale"),
        (("LANG=fr",), "exists already"),
    ],
)
def test_init_bad_input_is_a_clear_error(project, venv_bin, arguments, message):
    result = make(project, venv_bin, "init", *arguments)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr
