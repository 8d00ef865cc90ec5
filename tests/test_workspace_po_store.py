"""The catalog store on its own: ids, revisions, the written bytes, the cache, the lock."""

from __future__ import annotations

import gettext
import multiprocessing
import os
import shutil
import sqlite3

import polib
import pytest

from website.i18n import verdicts
from website.toolchain import compiling
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


@pytest.fixture
def compiling_workspace(tmp_path):
    shutil.copytree(LOCALE_DIR, tmp_path / "locale")
    return Workspace.open(tmp_path / "var", tmp_path / "locale")  # saves recompile, as on the server


def _built(path):
    with open(path[: -len(".po")] + ".mo", "rb") as mo, open(verdicts.verdict_path(path), encoding="utf-8") as v:
        return mo.read(), v.read()


def _plain(store, gettext_id):
    """Entries without context, placeholders or markup, whose translation fits on one line."""
    return [e for e in store.listing(gettext_id)[0] if len(e["source"]) == 1 and e["context"] is None
            and not any(c in e["source"][0] for c in "%{<") and 0 < len(e["translation"][0]) < 40
            and e["translation"][0].strip() == e["translation"][0]]


def test_a_saves_compile_is_what_compiling_the_file_gives(compiling_workspace):
    # The compile after a save reuses the store's parse of the text it wrote:
    # its .mo and verdict (counts, problems and their line numbers) must be
    # exactly those of a compile that reads and parses the file.
    store = compiling_workspace.store
    path = store.po_path("ru")
    plain = _plain(store, "ru")
    early, late = plain[0], plain[-1]
    plural = next(e for e in store.listing("ru")[0] if len(e["source"]) == 2)
    long = ", ".join(["Длинный перевод"] * 12)  # wraps over several lines: every entry below moves
    steps = [(late, late["translation"], True),  # fuzzy: a warning whose line is recorded
             (early, [long], False), (early, ["Коротко"], False), (early, [long + " и ещё"], False),
             (plural, [t + "!" for t in plural["translation"]], False)]
    for entry, translation, fuzzy in steps:
        current = store.get("ru", entry["id"])
        result = store.save("ru", entry["id"], translation, fuzzy, current["revision"], account="t")
        assert result.status == "saved" and result.compiled, result.problems
        saved = _built(path)
        assert compiling.compile_catalogs([path], force=True).ok
        assert saved == _built(path), (entry["source"], translation)
    assert verdicts.loads(saved[1]).warnings["fuzzy"][0] == 1  # its line was compared above


def test_a_change_made_elsewhere_is_seen_though_size_and_time_stay(compiling_workspace):
    store = compiling_workspace.store
    path = store.po_path("ru")
    one, other = _plain(store, "ru")[:2]
    store.save("ru", one["id"], ["Первое"], False, one["revision"], account="t")
    store.listing("ru")  # listed, parsed, compiled: every cache holds this version
    old = other["translation"][0]
    new = ("Ж" if old[0] != "Ж" else "Щ") + old[1:]  # as many bytes
    before = os.stat(path)
    text = open(path, encoding="utf-8").read()
    assert text.count(f'msgstr "{old}"\n') == 1
    with open(path, "r+b") as fp:  # in place, another process's write within one clock tick
        fp.write(text.replace(f'msgstr "{old}"\n', f'msgstr "{new}"\n').encode("utf-8"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(path)
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == (before.st_ino, before.st_size, before.st_mtime_ns)
    assert store.get("ru", other["id"])["translation"] == [new]
    current = store.get("ru", one["id"])
    assert store.save("ru", one["id"], ["Второе"], False, current["revision"], account="t").status == "saved"
    with open(path[: -len(".po")] + ".mo", "rb") as fp:
        served = gettext.GNUTranslations(fp)
    assert (served.gettext(one["source"][0]), served.gettext(other["source"][0])) == ("Второе", new)
    stale = store.save("ru", other["id"], ["Третье"], False, other["revision"], account="t")
    assert stale.status == "conflict" and stale.entry["translation"] == [new]


def test_the_review_row_and_the_history_row_are_one_transaction(workspace):
    workspace.review.set_publish_unreviewed("ru", False)
    workspace.db.write(lambda c: c.execute(
        "CREATE TRIGGER refuse BEFORE INSERT ON reviews BEGIN SELECT RAISE(ABORT, 'refused'); END"))
    entry = _plain(workspace.store, "ru")[0]
    with pytest.raises(sqlite3.IntegrityError):
        workspace.review.save("ru", entry["id"], ["На проверку"], False, entry["revision"], account="t")
    assert workspace.history.of_entry("ru", entry["id"]) == []
    workspace.db.write(lambda c: c.execute("DROP TRIGGER refuse"))
    current = workspace.store.get("ru", entry["id"])
    result = workspace.review.save("ru", entry["id"], ["На проверку"], False, current["revision"], account="t")
    assert (result.status, result.entry["state"]) == ("unchanged", "unreviewed")

