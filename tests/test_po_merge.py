"""Merging catalogs entry by entry (website.toolchain.po_merge), and as git's merge driver."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from babel.messages.catalog import Catalog

from website.toolchain import checks, po_merge, po_writer

from conftest import ROOT
from git_repos import run_git as git, upstream_and_clone
from test_pipeline import make

RU = "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"


def catalog_text(entries, *, pot_date="2026-01-01 00:00", revision="2026-01-01 00:00", plural=RU,
                 obsolete=()) -> str:
    """A ru catalog in the one serialization: entries are (msgid, translation, locations)."""
    catalog = Catalog(locale="ru", project="Test", version="0.1",
                      creation_date=dt.datetime.fromisoformat(pot_date + "+00:00"),
                      revision_date=dt.datetime.fromisoformat(revision + "+00:00"))
    catalog.mime_headers = [("Plural-Forms", plural)]
    for msgid, translation, locations in entries:
        catalog.add(msgid, translation, locations=locations,
                    flags=("python-format",) if isinstance(msgid, tuple) else ())
    for msgid, translation in obsolete:
        catalog.add(msgid, translation)
        catalog.obsolete[msgid] = catalog.get(msgid)
        catalog.delete(msgid)
    return po_writer.serialize(catalog)


PAGES = ("%(count)s page", "%(count)s pages")
BASE = [("Hello", "Привет", [("a.html", 1)]), ("Bye", "", [("a.html", 2)]),
        (PAGES, ("", "", ""), [("a.html", 3)])]


def entries_of(text):
    catalog = po_writer.parse(text)
    return {po_merge.key_of(m)[1]: m for m in catalog if m.id}


def test_translations_from_one_side_and_the_template_from_the_other():
    base = catalog_text(BASE)
    translators = catalog_text([BASE[0], ("Bye", "Пока", [("a.html", 2)]), BASE[2]], revision="2026-01-05 10:00")
    developer = catalog_text([("Hello", "Привет", [("a.html", 10)]), ("Bye", "", [("a.html", 11)]),
                              BASE[2], ("New one", "", [("b.html", 1)])], pot_date="2026-01-06 00:00")
    for ours, theirs in ((translators, developer), (developer, translators)):
        merged = po_merge.merge(base, ours, theirs)
        assert merged.ok and merged.conflicts == []
        entries = entries_of(merged.text)
        assert entries["Bye"].string == "Пока"
        assert entries["Bye"].locations == [("a.html", 11)]
        assert entries["New one"].string == ""
        assert "POT-Creation-Date: 2026-01-06 00:00+0000" in merged.text
        assert "PO-Revision-Date: 2026-01-05 10:00+0000" in merged.text


def test_both_changed_keeps_ours_and_reports_theirs():
    base = catalog_text(BASE)
    ours = catalog_text([("Hello", "Здравствуйте", [("a.html", 1)]), *BASE[1:]])
    theirs = catalog_text([("Hello", "Привет!", [("a.html", 1)]), *BASE[1:]])
    merged = po_merge.merge(base, ours, theirs)
    assert merged.ok
    assert entries_of(merged.text)["Hello"].string == "Здравствуйте"
    assert [(c.msgid, c.kept["translation"], c.other["translation"]) for c in merged.conflicts] == [
        ("Hello", ["Здравствуйте"], ["Привет!"])]


def test_a_translation_of_a_removed_entry_is_kept_obsolete():
    base = catalog_text(BASE)
    translators = catalog_text([BASE[0], ("Bye", "Пока", [("a.html", 2)]), BASE[2]])
    developer = catalog_text([BASE[0], BASE[2]], pot_date="2026-01-06 00:00")
    merged = po_merge.merge(base, developer, translators)
    catalog = po_writer.parse(merged.text)
    assert catalog.get("Bye") is None
    assert [m.string for m in catalog.obsolete.values()] == ["Пока"]


def test_an_undecidable_merge_is_marked_for_make_check(tmp_path):
    base = catalog_text(BASE)
    ours = catalog_text(BASE, plural="nplurals=2; plural=(n != 1);")
    theirs = catalog_text(BASE, plural="nplurals=1; plural=0;")
    merged = po_merge.merge(base, ours, theirs)
    assert not merged.ok
    path = tmp_path / "ru" / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True)
    path.write_text(merged.text, encoding="utf-8")
    assert [p.check for p in checks.check_file(str(path)) if p.severity == checks.ERROR][:1] == ["merge"]


def test_a_side_that_does_not_parse_is_undecidable():
    merged = po_merge.merge(catalog_text(BASE), catalog_text(BASE), 'msgid "x\nmsgstr <<<<<<<\n')
    assert not merged.ok and merged.text.startswith(checks.UNRESOLVED_MARK)


# -- real git ------------------------------------------------------------------

PO = "locale/ru/LC_MESSAGES/messages.po"


@pytest.fixture
def repos(tmp_path, venv_bin):
    upstream, seed = upstream_and_clone(tmp_path, "seed")
    for name in ("Makefile", "pyproject.toml", "requirements.lock", "requirements-build.lock", ".gitattributes"):
        shutil.copy(ROOT / name, seed / name)
    (seed / PO).parent.mkdir(parents=True)
    (seed / PO).write_text(catalog_text(BASE), encoding="utf-8")
    git(seed, "add", "-A")
    git(seed, "commit", "-qm", "base")
    git(seed, "push", "-q", "origin", "HEAD:main")
    clones = {}
    for name in ("translators", "developer"):
        clone = tmp_path / name
        git(tmp_path, "clone", "-q", str(upstream), str(clone))
        result = make(clone, venv_bin, "git-setup")
        assert result.returncode == 0, result.stderr
        clones[name] = clone
    return clones


@pytest.mark.parametrize("mode", ["--no-rebase", "--rebase"])
def test_git_pull_merges_an_update_with_the_translators_work(repos, mode):
    translators, developer = repos["translators"], repos["developer"]
    (translators / PO).write_text(catalog_text(
        [BASE[0], ("Bye", "Пока", [("a.html", 2)]), (PAGES, ("%(count)s страница", "%(count)s страницы",
                                                            "%(count)s страниц"), [("a.html", 3)])],
        revision="2026-01-05 10:00"), encoding="utf-8")
    git(translators, "commit", "-qam", "ru: 2 entries")
    git(translators, "push", "-q", "origin", "HEAD:main")
    # The developer updated without pulling first.
    (developer / PO).write_text(catalog_text(
        [("Hello", "Привет", [("a.html", 10)]), ("Bye", "", [("a.html", 11)]), (PAGES, ("", "", ""), [("a.html", 12)]),
         ("New one", "", [("b.html", 1)])], pot_date="2026-01-06 00:00"), encoding="utf-8")
    git(developer, "commit", "-qam", "one new string")
    result = git(developer, "pull", "-q", mode, "origin", "main", check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    text = (developer / PO).read_text(encoding="utf-8")
    assert "<<<<<<<" not in text and ">>>>>>>" not in text
    entries = entries_of(text)
    assert entries["Bye"].string == "Пока"
    assert entries["%(count)s page"].string[2] == "%(count)s страниц"
    assert entries["New one"].string == ""
    assert entries["Hello"].locations == [("a.html", 10)]
    assert git(developer, "status", "--porcelain").stdout == ""
    assert checks.check_file(str(developer / PO)) == [] or all(
        p.severity != checks.ERROR for p in checks.check_file(str(developer / PO)))
