"""Reading and changing catalog entries: the ``.po`` file stays the truth.

Every change is a compare-and-swap on one entry (Weblate's ``contentsum``):

1. take the catalog's lock (:func:`website.toolchain.po_writer.locked`, the
   one every writer of a ``.po`` takes);
2. re-read the ``.po`` (its parse is kept between saves, and reused only
   while the file holds exactly the text it was made from);
3. compare the entry's revision (:func:`website.workspace.entries.revision`)
   with the one the translator started from; a different one is a conflict,
   unless the stored value already is what they send (saving twice in a row,
   or a retry, never conflicts with itself);
4. run the entry checks (errors refuse the save; the markup check is what
   keeps a translator's ``<script>`` off the site);
5. splice the changed blocks into the text (:mod:`website.workspace.po_text`)
   and write the file with :func:`website.toolchain.po_writer.write_text`
   (atomically, :func:`website.files.write_atomically`), so
   ``kill -9`` at any moment leaves the old file or the new one;
6. append the history, in the same transaction as what belongs with it
   (:attr:`Edit.also`: review's rows), then recompile that locale
   (:func:`website.workspace.recompile.recompile`) from the parse just
   written, the entry checks' unchanged findings remembered; every
   worker's reloader serves the new ``.mo`` within about a second.

A developer editing the file on disk is just another writer: the revision
the workspace compares is always the file's, and a value that differs from
the last one the workspace wrote is recorded as a ``file`` change.

Entry ids are :func:`website.i18n.entry_ids.entry_id`; values, revisions
and validation :mod:`website.workspace.entries`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator

import polib

from website.files import write_atomically
from website.i18n import plural_forms, tags
from website.i18n.entry_ids import entry_id
from website.toolchain import checks, po_writer
from website.toolchain.po_syntax import parse_text
from website.workspace import po_text
from website.workspace.entries import (
    STATE_CHECKS, STATES, InvalidInput, form_labels, problems_of, revision, validate, value_of,
)
from website.workspace.history import Change, History
from website.workspace.recompile import recompile

__all__ = [
    "CatalogStore",
    "Edit",
    "SaveResult",
    "DOMAIN",
    # Re-exported for the store's callers; owned by the modules named above.
    "InvalidInput",
    "entry_id",
    "revision",
    "value_of",
    "write_atomically",
    "STATES",
    "STATE_CHECKS",
]

DOMAIN = "messages"


@dataclasses.dataclass
class SaveResult:
    status: str  # "saved", "unchanged", "conflict", "invalid"
    entry: dict | None = None
    problems: list[dict] = dataclasses.field(default_factory=list)
    compiled: bool = True


class Edit:
    """One locked, freshly read catalog, changed in memory; written when the block ends."""

    def __init__(self, path: str, gettext_id: str, po: polib.POFile):
        self.path = path
        self.gettext_id = gettext_id
        self.po = po
        self.changes: list[Change] = []
        # Writes to the database that belong with this edit's history rows
        # (one transaction): each is called with the connection.
        self.also: list[Callable[[sqlite3.Connection], object]] = []
        self.compiled = True
        try:
            self.nplurals: int | None = plural_forms.parse_header(po.metadata.get("Plural-Forms", ""))[0]
        except ValueError:
            self.nplurals = None
        self._index = {entry_id(e.msgctxt, e.msgid): e for e in po if not e.obsolete}

    def entry(self, id_: str) -> polib.POEntry | None:
        return self._index.get(id_)

    def entries(self) -> dict[str, polib.POEntry]:
        return self._index

    def value(self, entry: polib.POEntry) -> dict:
        return value_of(entry, self.nplurals or 0)

    def validate(self, entry: polib.POEntry, translation, fuzzy) -> dict:
        """The value to store, or :class:`InvalidInput` for the wrong shape or characters."""
        return validate(entry, self.nplurals, translation, fuzzy)

    def apply(self, id_: str, value: dict) -> None:
        """Set an entry's value in memory and note the change."""
        entry = self._index[id_]
        before = self.value(entry)
        if entry.msgid_plural:
            entry.msgstr_plural = dict(enumerate(value["translation"]))
        else:
            entry.msgstr = value["translation"][0]
        if value["fuzzy"] and "fuzzy" not in entry.flags:
            entry.flags.append("fuzzy")
        elif not value["fuzzy"]:
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
            # Poedit's habit too: the old source of a reviewed entry is noise.
            entry.previous_msgctxt = entry.previous_msgid = entry.previous_msgid_plural = None
        self.changes.append(Change(id_, entry.msgctxt, entry.msgid, before, value))

    def problems(self, entry: polib.POEntry) -> list[dict]:
        return problems_of(self.po, entry, self.gettext_id, self.path, self.nplurals)

    def trial_problems(self, entry: polib.POEntry, value: dict) -> list[dict]:
        """The checks' findings on ``entry`` if it took ``value``; the entry is not touched."""
        # Checked on a copy: a refused value never touches the entry.
        trial = polib.POEntry(msgid=entry.msgid, msgid_plural=entry.msgid_plural,
                              msgctxt=entry.msgctxt, flags=list(entry.flags), linenum=entry.linenum)
        if entry.msgid_plural:
            trial.msgstr_plural = dict(enumerate(value["translation"]))
        else:
            trial.msgstr = value["translation"][0]
        return self.problems(trial)

    def changed(self) -> list[po_text.Changed]:
        """Each changed entry with its value before and after, for :mod:`~website.workspace.po_text`."""
        return [(self._index[c.entry_id], c.before, c.after) for c in self.changes]


class CatalogStore:
    """The catalogs under ``locale_dir``, listed from a cache and changed under a lock."""

    def __init__(self, locale_dir: str, history: History,
                 compile: Callable[[list[str]], int] | None = None):
        self.locale_dir = locale_dir
        self.history = history
        self.compile = compile or self._recompile
        self._listings: dict[str, tuple] = {}
        self._parsed: dict[str, tuple] = {}  # path -> (text, polib.POFile), for saves
        self._guard = threading.Lock()

    def po_path(self, gettext_id: str) -> str | None:
        """The catalog of a locale, or None when there is none."""
        if tags.to_gettext_id(gettext_id) != gettext_id:
            return None
        path = os.path.join(self.locale_dir, gettext_id, "LC_MESSAGES", DOMAIN + ".po")
        return path if os.path.isfile(path) else None

    def locales(self) -> list[str]:
        """Gettext ids of every catalog."""
        try:
            names = sorted(os.listdir(self.locale_dir))
        except OSError:
            return []
        return [n for n in names if self.po_path(n)]

    # -- reading ---------------------------------------------------------------

    def listing(self, gettext_id: str) -> tuple[tuple[dict, ...], dict[str, dict]]:
        """Every entry of a catalog as the API shows it, and an index by id.

        Built once per version of the file: its inode, size and mtime, and
        its text (reading a catalog costs far less than listing it, and a
        change that keeps the file's size and time is still seen).
        """
        path = self._require(gettext_id)
        version = _version(path)
        with self._guard:
            cached = self._listings.get(gettext_id)
        if cached and cached[0] == version:
            return cached[1], cached[2]
        edit = Edit(path, gettext_id, parse_text(version[1], wrapwidth=po_text.WRAP_WIDTH))
        entries = tuple(self.describe(edit, e) for e in edit.entries().values())
        by_id = {e["id"]: e for e in entries}
        with self._guard:
            self._listings[gettext_id] = (version, entries, by_id)
        return entries, by_id

    def get(self, gettext_id: str, id_: str) -> dict | None:
        return self.listing(gettext_id)[1].get(id_)

    def describe(self, edit: Edit, entry: polib.POEntry) -> dict:
        """An entry as the JSON API shows it."""
        value = edit.value(entry)
        if entry.msgid_plural:
            forms = list(form_labels(edit.gettext_id, len(value["translation"])))
        else:
            forms = [{"category": None, "examples": []}]
        return {
            "id": entry_id(entry.msgctxt, entry.msgid),
            "context": entry.msgctxt,
            "source": [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid],
            "translation": value["translation"],
            "forms": forms,
            "fuzzy": value["fuzzy"],
            "comments": [c for c in (entry.comment, entry.tcomment) if c],
            "references": [f"{path}:{line}" if line else path for path, line in entry.occurrences],
            "flags": [f for f in entry.flags if f != "fuzzy"],
            "problems": edit.problems(entry),
            "revision": revision(value),
        }

    # -- writing ---------------------------------------------------------------

    @contextlib.contextmanager
    def edit(self, gettext_id: str, *, account: str | None, origin: str,
             saved_by: str | None = None) -> Iterator[Edit]:
        """Lock, re-read, yield an :class:`Edit`; write, record and compile what it changed.

        The history credits ``account``; ``saved_by``, when another account saves for it.
        """
        path = self._require(gettext_id)
        with po_writer.locked(path):
            before = _version(path)
            text = before[1]
            po = self._parse(path, text)
            edit = Edit(path, gettext_id, po)
            try:
                yield edit
                if edit.changes:
                    now = dt.datetime.now(dt.timezone.utc)
                    stamp = now.strftime("%Y-%m-%d %H:%M+0000")
                    po.metadata["PO-Revision-Date"] = stamp
                    header = po.metadata.get("Plural-Forms", "")
                    changed = edit.changed()
                    spliced = po_text.splice_lines(text, changed, header, now)
                    new_text = spliced[0] if spliced else po_text.rewrite(text, changed, now)
                    po_writer.write_text(path, new_text)
                    if spliced and f'"PO-Revision-Date: {stamp}\\n"' in new_text:
                        _shift_lines(po, spliced[1])
                        self._parsed[path] = (new_text, po)
                    else:
                        # Rewritten by Babel's writer: the parse is no longer the text's.
                        self._parsed.pop(path, None)
                    self._update_listing(edit, before, (_signature(os.stat(path)), new_text))
                if edit.changes or edit.also:
                    self.history.record(gettext_id, edit.changes, account=account, origin=origin,
                                        saved_by=saved_by, also=edit.also)
                if edit.changes:
                    edit.compiled = self.compile([path]) == 0
            except BaseException:
                # The parsed catalog may hold changes that never reached the file.
                self._parsed.pop(path, None)
                raise

    def _recompile(self, paths: list[str]) -> int:
        # The parse of a file this process just wrote spares the compile
        # parsing it again; the compile uses it only if the file still holds
        # exactly that text.
        known = {path: self._parsed[path] for path in paths if path in self._parsed}
        return recompile(paths, known)

    def _parse(self, path: str, text: str) -> polib.POFile:
        """The parse of ``text``, the catalog's as just read under its lock.

        The file is always read again; only its parse is kept between saves,
        reused when the bytes are exactly those this process wrote or parsed
        last (comparing them costs far less than parsing them again).
        """
        cached = self._parsed.get(path)
        if cached and cached[0] == text:
            return cached[1]
        po = parse_text(text, wrapwidth=po_text.WRAP_WIDTH)
        self._parsed[path] = (text, po)
        return po

    def _update_listing(self, edit: Edit, before: tuple, after: tuple) -> None:
        # The cached listing of the file this edit started from is brought
        # up to date entry by entry, rather than rebuilt: re-checking every
        # entry of a 2,000-message catalog after each save costs more than
        # the save.
        with self._guard:
            cached = self._listings.get(edit.gettext_id)
            if not cached or cached[0] != before:
                return
            fresh = {change.entry_id: self.describe(edit, edit.entry(change.entry_id)) for change in edit.changes}
            entries = tuple(fresh.get(e["id"], e) for e in cached[1])
            self._listings[edit.gettext_id] = (after, entries, {e["id"]: e for e in entries})

    def note_file_changes(self, edit: Edit, ids) -> None:
        """Record as ``file`` changes the entries that differ from what the workspace last wrote."""
        last = self.history.last_values(edit.gettext_id, ids)
        changes = []
        for id_ in ids:
            before = last.get(id_)
            entry = edit.entry(id_)
            if before is not None and entry is not None and before != edit.value(entry):
                changes.append(Change(id_, entry.msgctxt, entry.msgid, before, edit.value(entry)))
        self.history.record(edit.gettext_id, changes, account=None, origin="file")

    def notice_file_changes(self, gettext_id: str, ids) -> None:
        """Record, under the lock, the ``file`` changes of these entries (before showing their history)."""
        with self.edit(gettext_id, account=None, origin="file") as edit:
            self.note_file_changes(edit, ids)

    def save(self, gettext_id: str, id_: str, translation, fuzzy, base_revision: str,
             *, account: str, saved_by: str | None = None,
             also: Callable[[sqlite3.Connection, polib.POEntry, dict], object] | None = None) -> SaveResult:
        """Compare-and-swap one entry. Raises KeyError for an unknown catalog or entry.

        ``also(connection, entry, value)`` runs in the transaction of the
        save's history rows when the entry ends up holding ``value`` (saved,
        or unchanged).
        """
        with self.edit(gettext_id, account=account, origin="editor", saved_by=saved_by) as edit:
            entry = edit.entry(id_)
            if entry is None:
                raise KeyError(id_)
            self.note_file_changes(edit, [id_])
            value = edit.validate(entry, translation, fuzzy)
            current = edit.value(entry)
            if also is not None:
                bookkeeping = lambda connection: also(connection, entry, value)  # noqa: E731
            if value == current:
                if also is not None:
                    edit.also.append(bookkeeping)
                return SaveResult("unchanged", self.describe(edit, entry))
            if base_revision != revision(current):
                return SaveResult("conflict", self.describe(edit, entry))
            problems = edit.trial_problems(entry, value)
            if any(p["severity"] == checks.ERROR for p in problems):
                return SaveResult("invalid", self.describe(edit, entry), problems=problems)
            edit.apply(id_, value)
            if also is not None:
                edit.also.append(bookkeeping)
        return SaveResult("saved", self.describe(edit, entry), problems=problems,
                          compiled=edit.compiled)

    def _require(self, gettext_id: str) -> str:
        path = self.po_path(gettext_id)
        if path is None:
            raise KeyError(gettext_id)
        return path


def _shift_lines(po: polib.POFile, shifts: list[tuple[int, int]]) -> None:
    """Move each entry below a spliced block by the lines the block gained."""
    shifts = [(line, delta) for line, delta in shifts if delta]
    if not shifts:
        return
    for entry in po:
        # Every shift is in the old text's lines: entry.linenum is read before any is added.
        entry.linenum += sum(delta for line, delta in shifts if entry.linenum > line)


def _version(path: str) -> tuple[tuple, str]:
    """One version of a file: its inode, size and mtime (a rename gives a new inode), and its text."""
    with open(path, "rb") as fp:
        signature = _signature(os.fstat(fp.fileno()))
        return signature, fp.read().decode("utf-8")


def _signature(stat: os.stat_result) -> tuple:
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)
