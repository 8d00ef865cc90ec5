"""Compiling as a library: outcomes returned, nothing printed; the CLI prints them, the workspace logs them."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

import polib
import pytest

from website.i18n import plural_forms
from website.toolchain import compiling
from website.toolchain.cli import main
from website.workspace.recompile import recompile


def _catalog(root, gettext_id: str, msgstr: str) -> str:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=utf-8", "Language": gettext_id,
                   "Plural-Forms": plural_forms.plural_forms(gettext_id)}
    po.append(polib.POEntry(msgid="Hello, %(name)s", msgstr=msgstr, flags=["python-format"]))
    folder = root / gettext_id / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po.save(str(folder / "messages.po"))
    return str(folder / "messages.po")


@pytest.fixture
def catalogs(tmp_path):
    root = tmp_path / "locale"
    root.mkdir()
    template = polib.POFile()
    template.metadata = {"Content-Type": "text/plain; charset=utf-8"}
    template.append(polib.POEntry(msgid="Hello, %(name)s", flags=["python-format"]))
    template.save(str(root / "messages.pot"))
    good = _catalog(root, "fr", "Bonjour, %(name)s")
    broken = _catalog(root, "de", "Hallo, %(nom)s")  # a placeholder the source does not have
    return good, broken


def test_compile_catalogs_returns_an_outcome_per_catalog_and_prints_nothing(catalogs, capfd):
    good, broken = catalogs
    compilation = compiling.compile_catalogs([good, broken])
    assert capfd.readouterr() == ("", "")
    fr, de = compilation.outcomes
    assert (fr.locale, fr.po_path, fr.ok, fr.compiled) == ("fr", good, True, True)
    assert (de.locale, de.po_path, de.ok, de.compiled) == ("de", broken, False, False)
    assert not compilation.ok and compilation.template_problem == ""
    assert any("placeholder" in line or "nom" in line for line in de.errors)
    assert [is_error for is_error, _line in fr.messages()] == [False]
    assert all(is_error for is_error, _line in de.messages())
    again = compiling.compile_catalogs([good])
    assert again.outcomes[0].up_to_date and again.ok


def test_the_cli_prints_the_outcomes(catalogs, capsys):
    good, broken = catalogs
    assert main(["compile", good, broken]) == 1
    out, err = capsys.readouterr()
    assert f"{good}: fr: compiled" in out and broken not in out
    assert f"{broken}: not compiled" in err


def test_the_workspace_logs_the_outcomes_and_prints_nothing(catalogs, capfd, caplog):
    good, broken = catalogs
    with caplog.at_level(logging.INFO, logger="website.workspace.recompile"):
        assert recompile([good]) == 0
        assert recompile([broken]) == 1
    assert capfd.readouterr() == ("", "")
    levels = {(record.levelno, record.getMessage().split(":")[0]) for record in caplog.records}
    assert (logging.INFO, good) in levels and (logging.WARNING, broken) in levels


@pytest.mark.parametrize("option", ["--min-translated", "--min-percent"])
def test_min_translated_has_one_name_and_the_old_one_still_works(catalogs, option):
    good, _broken = catalogs
    done = subprocess.run([sys.executable, "-m", "website.toolchain.cli", "compile", "--force",
                           f"{option}=100", good], capture_output=True, text=True, check=True)
    assert "offered" in done.stdout
    deprecated = "--min-percent is deprecated: use --min-translated"
    assert (deprecated in done.stderr) == (option == "--min-percent")


def test_a_changed_template_is_seen_though_its_size_and_time_stay(catalogs):
    from website.toolchain import activation
    good, _broken = catalogs
    pot = activation.template_of(good)
    assert [e.msgid for e in activation.load_template(pot).entries] == ["Hello, %(name)s"]
    before = os.stat(pot)
    text = open(pot, encoding="utf-8").read()
    with open(pot, "r+", encoding="utf-8") as fp:  # in place: same inode, same size
        fp.write(text.replace('msgid "Hello, %(name)s"', 'msgid "Howdy, %(name)s"'))
    os.utime(pot, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(pot).st_mtime_ns == before.st_mtime_ns and os.stat(pot).st_size == before.st_size
    assert [e.msgid for e in activation.load_template(pot).entries] == ["Howdy, %(name)s"]
    outcome, = compiling.compile_catalogs([good], force=True).outcomes
    assert outcome.verdict.stats.untranslated == 1  # counted against the new template
