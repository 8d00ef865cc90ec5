"""write_atomically: the one way a file is replaced (website.files)."""

from __future__ import annotations

import os
import pathlib
import stat
import subprocess
import sys

import pytest

from website.files import remove_stale_temporaries, temporaries_of, write_atomically, write_atomically_together


def test_a_new_file_gets_the_umask_mode(tmp_path):
    old = os.umask(0o027)
    try:
        write_atomically(tmp_path / "new.mo", b"data")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.mo").stat().st_mode) == 0o640
    assert os.listdir(tmp_path) == ["new.mo"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "messages.po"
    target.write_bytes(b"old")
    with pytest.raises(TypeError):
        write_atomically(target, "not bytes")
    assert target.read_bytes() == b"old"
    assert temporaries_of(target) == []


def test_files_written_together_replace_each_and_keep_their_modes(tmp_path):
    mo, verdict = tmp_path / "messages.mo", tmp_path / "messages.verdict.json"
    mo.write_bytes(b"old mo")
    os.chmod(mo, 0o640)
    write_atomically_together({mo: b"new mo", verdict: b"{}"})
    assert (mo.read_bytes(), verdict.read_bytes()) == (b"new mo", b"{}")
    assert stat.S_IMODE(mo.stat().st_mode) == 0o640
    assert sorted(os.listdir(tmp_path)) == ["messages.mo", "messages.verdict.json"]


def test_files_written_together_that_fail_leave_every_old_file_and_no_temporary(tmp_path):
    mo = tmp_path / "messages.mo"
    mo.write_bytes(b"old mo")
    with pytest.raises(TypeError):
        write_atomically_together({mo: b"new mo", tmp_path / "messages.verdict.json": "not bytes"})
    with pytest.raises(FileNotFoundError):
        write_atomically_together({mo: b"new mo", tmp_path / "no such folder" / "x": b"x"})
    assert mo.read_bytes() == b"old mo"
    assert os.listdir(tmp_path) == ["messages.mo"]


def _dead_pid() -> int:
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)
    return int(finished.stdout)


def test_temporaries_of_finds_that_files_leftovers_only(tmp_path):
    target = tmp_path / "messages.po"
    leftover = tmp_path / f".messages.po.{_dead_pid()}-0123abcd.tmp"
    leftover.write_bytes(b"partial")
    (tmp_path / ".messages.pot.1-0123abcd.tmp").write_bytes(b"another file's")
    assert temporaries_of(target) == [str(leftover)]


def test_a_write_removes_a_dead_writers_temporary_and_never_a_live_ones(tmp_path):
    target = tmp_path / "messages.mo"
    dead = tmp_path / f".messages.mo.{_dead_pid()}-0123abcd.tmp"
    live = tmp_path / f".messages.mo.{os.getpid()}-0123abcd.tmp"  # another thread's, in progress
    dead.write_bytes(b"partial")
    live.write_bytes(b"partial")
    remove_stale_temporaries(target)
    assert temporaries_of(target) == [str(live)]
    dead.write_bytes(b"partial")
    write_atomically(target, b"whole")
    assert target.read_bytes() == b"whole" and temporaries_of(target) == [str(live)]


def test_every_replaced_file_of_the_package_goes_through_it():
    # The compiled catalogs, verdicts and pseudo-locales are read by running
    # servers while they are written: no other way of writing them remains.
    package = pathlib.Path(__file__).resolve().parents[1] / "site" / "website"
    offenders = [str(path) for path in package.rglob("*.py")
                 if path.name != "files.py" and ("os.replace(" in path.read_text() or "fsync" in path.read_text())]
    # handlers/static.py copies a static file under its hashed name (slice B's file).
    assert offenders in ([], [str(package / "handlers" / "static.py")])
