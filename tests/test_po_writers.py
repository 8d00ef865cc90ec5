"""Every file the command line writes is one GNU ``msgfmt -c`` and polib read (the gate's characters rule).

The workspace's writes (editor, upload) are tested in test_workspace_gate.py.
"""

from __future__ import annotations

import shutil
import subprocess

import polib
import pytest

from conftest import LOCALE_DIR


def _msgfmt_checks(path) -> None:
    result = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    polib.pofile(str(path))


@pytest.mark.parametrize("tag", ["fr", "ar", "pt-BR", "zh-Hans"])
def test_init_and_fix_plurals_write_a_file_msgfmt_accepts(tmp_path, venv_bin, tag):
    template = tmp_path / "messages.pot"
    shutil.copy(LOCALE_DIR / "messages.pot", template)
    result = subprocess.run([venv_bin / "website-catalog", "init", tag, f"--locale-dir={tmp_path}",
                             f"--template={template}", "--contact=t@example.org"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    (path,) = tmp_path.glob("*/LC_MESSAGES/messages.po")
    _msgfmt_checks(path)
    assert subprocess.run([venv_bin / "website-catalog", "fix-plurals", str(path)]).returncode == 0
    _msgfmt_checks(path)


def test_the_pseudo_catalogs_are_files_msgfmt_accepts(tmp_path, venv_bin):
    result = subprocess.run([venv_bin / "website-catalog", "pseudo", f"--template={LOCALE_DIR / 'messages.pot'}",
                             f"--out={tmp_path}"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    written = sorted(tmp_path.glob("**/*.po"))
    assert written
    for path in written:
        _msgfmt_checks(path)


def test_the_shipped_catalogs_are_files_msgfmt_accepts():
    for path in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/messages.po")):
        _msgfmt_checks(path)
