"""The catalog store on its own: ids, revisions, the written bytes, the cache, the lock."""

from __future__ import annotations

import multiprocessing
import os
import shutil

import polib
import pytest

from website.workspace import file_lock, po_store
from website.workspace.service import Workspace

from conftest import LOCALE_DIR


@pytest.fixture
def workspace(tmp_path):
    shutil.copytree(LOCALE_DIR, tmp_path / "locale")
    opened = Workspace.open(tmp_path / "var", tmp_path / "locale")
    opened.store.compile = lambda paths: 0  # these tests are about the .po
    return opened


def test_ids_are_stable_url_safe_and_tell_contexts_apart():
    ids = {po_store.entry_id(None, "Home"), po_store.entry_id("navigation", "Home"),
           po_store.entry_id("", "Home"), po_store.entry_id(None, "Home ")}
    assert len(ids) == 4
    assert all(len(i) == 22 and set(i) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
               for i in ids)
    assert po_store.entry_id(None, "Home") == "OnhpU4izi1zO769nlrATeA"  # never changes between versions


def test_the_revision_covers_every_form_and_the_fuzzy_flag():
    base = {"translation": ["a", "b"], "fuzzy": False}
    assert po_store.revision(base) == po_store.revision(dict(base))
    assert po_store.revision(base) != po_store.revision({"translation": ["a", "c"], "fuzzy": False})
    assert po_store.revision(base) != po_store.revision({"translation": ["a", "b"], "fuzzy": True})
    assert po_store.revision(base) != po_store.revision({"translation": ["ab", ""], "fuzzy": False})


def test_a_save_changes_only_the_entry_lines_and_the_revision_date(workspace):
    for gettext_id in workspace.store.locales():
        path = workspace.store.po_path(gettext_id)
        entries, _ = workspace.store.listing(gettext_id)
        for entry in entries[:25]:
            before = open(path, encoding="utf-8").read()
            new = [t + " ✓" for t in entry["translation"]]
            result = workspace.store.save(gettext_id, entry["id"], new, not entry["fuzzy"], entry["revision"],
                                          account="t")
            assert result.status == "saved", (gettext_id, entry["source"], result.problems)
            after = open(path, encoding="utf-8").read()
            old_lines, new_lines = before.splitlines(), after.splitlines()
            # Only the entry's translation, its flags and the revision date; a
            # translation may wrap over another number of lines than before.
            changed = [line for line in new_lines if line not in old_lines]
            removed = [line for line in old_lines if line not in new_lines]
            assert all(line.startswith(('"PO-Revision-Date', "msgstr", '"', "#,"))
                       for line in changed + removed), (changed, removed)
            assert po_store.value_of(
                next(e for e in polib.pofile(after) if po_store.entry_id(e.msgctxt, e.msgid) == entry["id"]),
                len(new))["translation"] == new


def test_a_file_in_another_format_is_rewritten_whole_and_stays_valid(workspace):
    path = workspace.store.po_path("fr")
    polib.pofile(path).save(path)  # polib's own wrapping: the entry blocks no longer match Babel's
    # Any singular entry whose source has no placeholder or markup takes "Autre format".
    entry = next(e for e in workspace.store.listing("fr")[0]
                 if len(e["source"]) == 1 and not any(c in e["source"][0] for c in "%{<"))
    result = workspace.store.save("fr", entry["id"], ["Autre format"], False, entry["revision"], account="t")
    assert result.status == "saved"
    saved = polib.pofile(path)
    assert next(e for e in saved if po_store.entry_id(e.msgctxt, e.msgid) == entry["id"]).msgstr == "Autre format"
    assert len(saved) == len(workspace.store.listing("fr")[0])


def test_the_parse_is_reused_only_while_the_file_is_the_same(workspace):
    path = workspace.store.po_path("de")
    entry = workspace.store.listing("de")[0][3]
    first = workspace.store.save("de", entry["id"], ["Eins"], False, entry["revision"], account="t")
    # another writer changes the same entry in place, same size, maybe within one clock tick
    text = open(path, encoding="utf-8").read()
    with open(path, "r+", encoding="utf-8") as fp:
        fp.write(text.replace('msgstr "Eins"', 'msgstr "Zwei"', 1))
    stale = workspace.store.save("de", entry["id"], ["Drei"], False, first.entry["revision"], account="t")
    assert stale.status == "conflict"
    assert stale.entry["translation"] == ["Zwei"]


def test_write_atomically_replaces_the_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "messages.po"
    target.write_text("old")
    os.chmod(target, 0o640)
    po_store.write_atomically(str(target), b"new")
    assert target.read_bytes() == b"new"
    assert oct(target.stat().st_mode & 0o777) == "0o640"
    assert os.listdir(tmp_path) == ["messages.po"]


def _hold_lock(path, ready, release):
    with file_lock.locked(path):
        ready.set()
        release.wait(10)


def test_the_lock_excludes_other_processes(tmp_path):
    lock = str(tmp_path / "messages.po.lock")
    context = multiprocessing.get_context("spawn")
    ready, release = context.Event(), context.Event()
    holder = context.Process(target=_hold_lock, args=(lock, ready, release))
    holder.start()
    try:
        assert ready.wait(20)
        import fcntl
        fd = os.open(lock, os.O_RDWR)
        with pytest.raises(BlockingIOError):
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        release.set()
        holder.join(10)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free once the holder is done
        os.close(fd)
    finally:
        release.set()
        holder.join(10)


@pytest.mark.parametrize(("gettext_id", "forms", "status"), [
    # Russian "one" is also 21, 31, 101...: it must keep the number
    ("ru", ["один предмет", "%(count)s предмета", "%(count)s предметов"], "invalid"),
    # Hebrew "two" is 2 alone: it may spell it out
    ("he", ["פריט אחד", "שני פריטים", "%(count)s פריטים"], "saved"),
])
def test_only_a_form_for_a_single_number_may_spell_it_out(workspace, gettext_id, forms, status):
    entry = next(e for e in workspace.store.listing(gettext_id)[0] if e["source"] == ["%(count)s item", "%(count)s items"])
    result = workspace.store.save(gettext_id, entry["id"], forms, False, entry["revision"], account="t")
    assert result.status == status
    if status == "invalid":
        assert [p["message"] for p in result.problems if p["severity"] == "error"] == ["msgstr[0] lacks %(count)s"]
