"""Live reload across two worker processes: new strings within 2 s, no restart,
no dropped request, and a broken catalog never replaces a good one."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from catalog_builder import build_root
from harness import Server, poll_until


def fetch(port: int, path: str) -> tuple[int, str, str]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
        return response.status, response.headers.get("Content-Language"), response.read().decode()


@pytest.fixture
def server(tmp_path):
    """The site from a root of its own (catalogs built for the test), as two forked worker processes."""
    running = Server("--processes=2", "--logging=info", root=build_root(tmp_path / "site", ["de", "fr"]))
    yield running
    running.stop(timeout=10)


def workers(pid: int) -> int:
    children = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fp:
                    fields = fp.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children += int(fields[1]) == pid
    return children


def replace_translation(po_path, msgid: str, new: str) -> str:
    text = po_path.read_text(encoding="utf-8")
    pattern = re.compile(rf'(msgid "{re.escape(msgid)}"\nmsgstr ")([^"]*)(")')
    old = pattern.search(text)[2]
    po_path.write_text(pattern.sub(lambda m: m[1] + new + m[3], text, count=1), encoding="utf-8")
    return old


def compile_catalogs(root) -> None:
    subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "website-catalog"), "compile",
         f"--locale-dir={root / 'locale'}"],
        check=False, capture_output=True,
    )


def test_new_strings_reach_both_processes_within_two_seconds(server):
    root, port, process = server.root, server.port, server.process
    assert workers(process.pid) == 2
    po = root / "locale" / "fr" / "LC_MESSAGES" / "messages.po"
    old = replace_translation(po, "About this site", "À propos, nouvelle version")
    assert old in fetch(port, "/fr/about")[2]

    failures = []
    stop = threading.Event()

    def hammer():
        while not stop.is_set():
            try:
                status, _, body = fetch(port, "/fr/about")
                if status != 200 or ("nouvelle version" not in body and old not in body):
                    failures.append(status)
            except OSError as error:
                failures.append(repr(error))

    threads = [threading.Thread(target=hammer) for _ in range(2)]
    for thread in threads:
        thread.start()
    try:
        compile_catalogs(root)
        compiled = time.monotonic()
        # Both workers must serve it: many requests in a row, all new.
        streak = 0
        while streak < 30:
            assert time.monotonic() - compiled < 2.0, "not reloaded within 2 seconds"
            body = fetch(port, "/fr/about")[2]
            streak = streak + 1 if "nouvelle version" in body else 0
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert failures == []  # no dropped request, no page mixing old and new


def test_a_broken_catalog_keeps_the_good_one_in_service(server):
    root, port = server.root, server.port
    mo = root / "locale" / "de" / "LC_MESSAGES" / "messages.mo"
    before = fetch(port, "/de/about")
    mo.write_bytes(b"\x00garbage, not a catalog")
    # Both workers say so once they have tried the broken file.
    poll_until(lambda: server.output().count("keeping the one in service") >= 2, 5,
               message="the broken catalog was not noticed")
    after = fetch(port, "/de/about")
    assert after[:2] == (200, "de")
    assert after[2] == before[2]
    assert "keeping the one in service" in server.output()
