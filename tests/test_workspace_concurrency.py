"""No edit is ever lost: many clients and processes, and writers killed mid-save.

Both tests work on a temporary copy of the project whose Russian catalog gets
200 extra entries, so that every save goes to one file and one lock.
"""

from __future__ import annotations

import gettext
import os
import random
import re
import signal
import subprocess
import sys
import threading

import polib

from website.toolchain import checks
from website.workspace.po_store import entry_id

from workspace_helpers import Client, Site, admin, copy_project

EXTRA = 200


def add_entries(po_path) -> list[str]:
    """Append EXTRA translated entries to a catalog; return their ids."""
    text = po_path.read_text(encoding="utf-8")
    extra = "".join(f'\nmsgid "Workspace test message {n}"\nmsgstr "old {n}"\n' for n in range(EXTRA))
    po_path.write_text(text.rstrip("\n") + "\n" + extra, encoding="utf-8")
    return [entry_id(None, f"Workspace test message {n}") for n in range(EXTRA)]


def test_200_saves_from_4_clients_on_2_processes_all_reach_the_file(tmp_path):
    copy_project(tmp_path)
    po = tmp_path / "locale" / "ru" / "LC_MESSAGES" / "messages.po"
    ids = add_entries(po)
    for number in range(4):
        assert admin(tmp_path / "var", "user", "add", f"t{number}", "--languages", "ru",
                     "--password-stdin").returncode == 0
    site = Site(tmp_path, tmp_path / "var", "--processes=2")
    failures = []

    def translator(number: int) -> None:
        client = Client(site)
        if client.login(f"t{number}").status != 303:
            failures.append(f"t{number} could not sign in")
            return
        for id_ in ids[number::4]:
            entry = client.get_json(f"/translate/ru/entries/{id_}").json()
            n = entry["source"][0].rsplit(" ", 1)[1]
            response = client.put_json(f"/translate/ru/entries/{id_}", {
                "translation": [f"new {n} by t{number}"], "fuzzy": False, "revision": entry["revision"]})
            if response.status != 200:
                failures.append((id_, response.status, response.text[:200]))

    try:
        threads = [threading.Thread(target=translator, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=600)
    finally:
        site.stop()
    assert failures == []
    final = {e.msgid: e.msgstr for e in polib.pofile(str(po))}
    for n in range(EXTRA):
        assert final[f"Workspace test message {n}"] == f"new {n} by t{n % 4}"
    assert [p for p in checks.check_file(str(po)) if p.severity == checks.ERROR] == []
    mo = gettext.GNUTranslations(open(po.with_suffix(".mo"), "rb"))
    assert mo.gettext("Workspace test message 7") == "new 7 by t3"


WRITER = r"""
import sys
from website.workspace.service import Workspace
workspace = Workspace.open(sys.argv[1], sys.argv[2])
store = workspace.store
ids = sys.argv[4:]
round_ = sys.argv[3]
print("ready", flush=True)
i = 0
while True:
    id_ = ids[i % len(ids)]
    entry = store.get("ru", id_)
    store.save("ru", id_, [f"new {round_}.{i}"], False, entry["revision"], account="writer")
    i += 1
"""


def test_a_writer_killed_at_random_moments_never_leaves_a_torn_catalog(tmp_path):
    copy_project(tmp_path)
    po = tmp_path / "locale" / "ru" / "LC_MESSAGES" / "messages.po"
    ids = add_entries(po)[:40]
    before = {e.msgid: e.msgstr for e in polib.pofile(str(po))}
    randomness = random.Random(1234)
    saved_rounds = 0
    for round_ in range(20):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(tmp_path / "var"), str(tmp_path / "locale"), str(round_), *ids],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        assert writer.stdout.readline().strip() == "ready", writer.stderr.read()
        threading.Event().wait(randomness.uniform(0.05, 1.0))
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait()
        text = po.read_text(encoding="utf-8")  # always whole, valid UTF-8
        catalog = polib.pofile(text)
        syntax = [p for p in checks.check_file(str(po)) if p.check in ("syntax", "encoding", "duplicate")]
        assert syntax == [], (round_, syntax)
        values = {e.msgid: e.msgstr for e in catalog}
        assert set(values) == set(before)
        for msgid, value in values.items():
            if msgid.startswith("Workspace test message"):
                assert value == before[msgid] or re.fullmatch(r"new \d+\.\d+", value), (msgid, value)
            else:
                assert value == before[msgid]
        saved_rounds += any(v.startswith(f"new {round_}.") for v in values.values())
        mo = po.with_suffix(".mo")
        if mo.exists():  # the compiled catalog is whole too (old or new)
            gettext.GNUTranslations(open(mo, "rb"))
    assert saved_rounds >= 10  # the kills did land while saves were going on
    # The next writer clears what killed ones left behind.
    from website.workspace.service import Workspace

    store = Workspace.open(tmp_path / "var", tmp_path / "locale").store
    entry = store.get("ru", ids[0])
    assert store.save("ru", ids[0], ["final"], False, entry["revision"], account="t").status == "saved"
    assert [name for name in os.listdir(po.parent) if name.endswith(".tmp")] == []
