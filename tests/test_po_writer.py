"""The one writer of .po files (website.toolchain.po_writer) and the minimal diffs it gives."""

from __future__ import annotations

import shutil
import subprocess

from website.i18n import plural_forms
from website.toolchain import catalog_setup, po_writer

from catalog_builder import build
from conftest import ROOT
from test_pipeline import make

RU_HEADER = ("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
             "(n%100<10 || n%100>=20) ? 1 : 2);")
# The same rule, spelled another way (as another tool might write it).
RU_RESPELLED = ("nplurals=3; plural=(n%10==1 && n%100!=11) ? 0 : ((n%10>=2 && n%10<=4 && "
                "(n%100<10 || n%100>=20)) ? 1 : 2);")

RAW = f'''# Russian translations for Test.
#
msgid ""
msgstr ""
"Project-Id-Version: Test 0.1\\n"
"Report-Msgid-Bugs-To: a@example.org\\n"
"POT-Creation-Date: 2026-01-01 00:00+0000\\n"
"PO-Revision-Date: 2026-01-02 00:00+0000\\n"
"Last-Translator: someone\\n"
"Language: ru\\n"
"Language-Team: Russian <a@example.org>\\n"
"Plural-Forms: {RU_RESPELLED}\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Generated-By: Babel 2.0.0\\n"

msgid "Hello"
msgstr "Привет"

msgid "%(count)s page"
msgid_plural "%(count)s pages"
msgstr[0] "%(count)s страница"
msgstr[1] "%(count)s страницы"
msgstr[2] "%(count)s страниц"

'''
# As the writer wraps it: the files in git are always in this form.
CATALOG = po_writer.serialize(po_writer.parse(RAW), RAW)


def test_an_unchanged_catalog_is_written_back_byte_for_byte():
    catalog = po_writer.parse(CATALOG)
    assert po_writer.serialize(catalog, CATALOG) == CATALOG


def test_fix_plurals_leaves_an_equivalent_header_and_generated_by_alone(tmp_path):
    path = tmp_path / "ru" / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True)
    path.write_text(CATALOG, encoding="utf-8")
    assert catalog_setup.fix_plurals(str(path)) is False
    assert path.read_text(encoding="utf-8") == CATALOG


def test_fix_plurals_replaces_a_wrong_header_and_nothing_else(tmp_path):
    path = tmp_path / "ru" / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True)
    wrong = po_writer.parse(CATALOG)
    wrong.mime_headers = [("Plural-Forms", "nplurals=2; plural=(n != 1);")]
    path.write_text(po_writer.serialize(wrong, CATALOG), encoding="utf-8")
    assert catalog_setup.fix_plurals(str(path)) is True
    text = path.read_text(encoding="utf-8")
    assert "Generated-By: Babel 2.0.0" in text
    fixed = po_writer.parse(text)
    assert fixed.plural_forms == plural_forms.plural_forms("ru")
    # The third form, lost to the wrong header, comes back empty; the rest is as it was.
    assert fixed.get("%(count)s page").string == ("%(count)s страница", "%(count)s страницы", "")
    assert fixed.get("Hello").string == "Привет"
    assert text.split("\n\n", 1)[1].replace('msgstr[2] ""', 'msgstr[2] "%(count)s страниц"') == \
        CATALOG.split("\n\n", 1)[1]


def test_the_contact_is_a_header_change_only(tmp_path):
    path = tmp_path / "ru" / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True)
    path.write_text(CATALOG, encoding="utf-8")
    assert catalog_setup.fix_plurals(str(path), contact="b@example.org") is True
    assert path.read_text(encoding="utf-8") == CATALOG.replace("a@example.org", "b@example.org")


def test_a_surplus_form_holding_a_translation_is_never_dropped(tmp_path):
    path = tmp_path / "ja" / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True)
    text = CATALOG.replace("Language: ru", "Language: ja").replace(RU_RESPELLED, RU_HEADER)
    path.write_text(text, encoding="utf-8")
    catalog_setup.fix_plurals(str(path))
    assert "%(count)s страниц" in path.read_text(encoding="utf-8")


def _git(cwd, *args):
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout


def test_one_new_string_changes_only_its_entry_and_the_pot_date(tmp_path, venv_bin):
    project = tmp_path / "project"
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(
        ".venv", ".git", "build", "__pycache__", "*.mo", "*.verdict.json", ".pytest_cache"))
    for folder in (project / "locale").iterdir():
        if folder.is_dir():
            shutil.rmtree(folder)
    build(project / "locale", ["ru", "pl", "uk", "ar", "ja", "fr"])
    for mo in project.glob("locale/*/LC_MESSAGES/*.mo"):
        mo.unlink()
    # The base: the template fresh against the sources, the catalogs as the
    # project writes them (the builder writes with polib).
    assert make(project, venv_bin, "extract", "update").returncode == 0
    _git(project, "init", "-q")
    _git(project, "add", "-A", "locale")
    _git(project, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "base")
    template = project / "templates" / "about.html"
    # At the end, so that no other string's reference moves.
    head, _, tail = template.read_text().rpartition("{% end %}")
    template.write_text(head + '<p>{{ _("One more sentence for the diff") }}</p>\n{% end %}' + tail)
    result = make(project, venv_bin, "extract", "update")
    assert result.returncode == 0, result.stderr
    for gettext_id in ("ru", "pl", "uk", "ar", "ja", "fr"):
        diff = _git(project, "diff", "-U0", "--", f"locale/{gettext_id}/LC_MESSAGES/messages.po")
        changed = [line for line in diff.split("\n")
                   if line[:1] in "+-" and not line.startswith(("+++", "---"))]
        assert [line for line in changed if line.startswith("-")] == [
            line for line in changed if line.startswith("-\"POT-Creation-Date")], diff
        # (POT-Creation-Date has minute resolution: within one minute it stays.)
        added = [line[1:] for line in changed if line.startswith("+")]
        assert "msgid \"One more sentence for the diff\"" in added, diff
        assert all(line.startswith(("#:", "msgid", "msgstr", '"POT-Creation-Date')) or line == ""
                   for line in added), diff
