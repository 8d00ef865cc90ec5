"""The history of each entry: who changed it, when, from what, to what, and how.

>>> import tempfile, os
>>> from website.workspace.db import Database
>>> db = Database(os.path.join(tempfile.mkdtemp(), "w.sqlite3")); _ = db.migrate()
>>> history = History(db)
>>> value = {"translation": ["Bonjour"], "fuzzy": False}
>>> history.record("fr", [Change("id1", None, "Hello", {"translation": [""], "fuzzy": False}, value)],
...                account="maria", origin="editor")
>>> [(h["account"], h["origin"], h["after"]) for h in history.of_entry("fr", "id1")]
[('maria', 'editor', {'translation': ['Bonjour'], 'fuzzy': False})]
>>> history.last_value("fr", "id1") == value
True

``origin`` is ``editor`` (a save in the workspace), ``upload`` (a merged
``.po``) or ``file`` (a change someone made to the file on disk, noticed
when the workspace next writes that entry or shows its history; its time is
when it was noticed) or ``repository`` (the sync found a translation the
repository changed while the workspace changed it too: the workspace's
value stays, the row's ``before`` holds the repository's, one revert away). Reverting is a new save of an old
value, so the history only grows.
"""

from __future__ import annotations

import dataclasses
import json
import time

from website.workspace.db import Database

__all__ = ["History", "Change", "ORIGINS"]

ORIGINS = ("editor", "upload", "file", "repository")
_FEW = 20  # entries looked up one by one in last_values; more, and one scan of the locale is cheaper


@dataclasses.dataclass(frozen=True)
class Change:
    entry_id: str
    msgctxt: str | None
    msgid: str
    before: dict  # {"translation": [...], "fuzzy": bool}
    after: dict


class History:
    """Read and append history rows."""

    def __init__(self, db: Database, clock=time.time):
        self.db = db
        self.clock = clock

    def record(self, locale: str, changes: list[Change], *, account: str | None, origin: str,
               saved_by: str | None = None, also=()) -> None:
        """Append one row per change, in one transaction.

        ``account`` is credited with the change; ``saved_by`` is who saved it
        when that is someone else (a translator accepting ``account``'s suggestion).
        ``also`` (functions of the connection) write what belongs with the rows
        in the same transaction.
        """
        if origin not in ORIGINS:
            raise ValueError(f"unknown origin {origin!r}")
        if not changes and not also:
            return
        now = self.clock()
        saved_by = saved_by if saved_by != account else None
        rows = [(now, locale, ch.entry_id, ch.msgctxt, ch.msgid, account, origin,
                 _dump(ch.before), _dump(ch.after), saved_by) for ch in changes]

        def write(c):
            c.executemany(
                "INSERT INTO history (time, locale, entry_id, msgctxt, msgid, account, origin, before, after,"
                " saved_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            for function in also:
                function(c)

        self.db.write(write)

    def last_value(self, locale: str, entry_id: str) -> dict | None:
        """The value the workspace last wrote (or saw) for an entry, or None."""
        row = self.db.read(lambda c: c.execute(
            "SELECT after FROM history WHERE locale = ? AND entry_id = ? ORDER BY id DESC LIMIT 1",
            (locale, entry_id)).fetchone())
        return json.loads(row["after"]) if row else None

    def last_values(self, locale: str, entry_ids=None) -> dict[str, dict]:
        """:meth:`last_value` of every entry of a locale that has history (or of ``entry_ids``)."""
        if entry_ids is not None and len(entry_ids) <= _FEW:
            # A save asks for one entry: the index answers without reading the locale's whole history.
            return {id_: value for id_ in entry_ids if (value := self.last_value(locale, id_)) is not None}
        rows = self.db.read(lambda c: c.execute(
            "SELECT entry_id, after FROM history WHERE id IN "
            "(SELECT max(id) FROM history WHERE locale = ? GROUP BY entry_id)", (locale,)).fetchall())
        return {row["entry_id"]: json.loads(row["after"]) for row in rows}

    def changed_since(self, locale: str, base: int) -> set[str]:
        """Ids of the entries of ``locale`` with a history row after row ``base``."""
        rows = self.db.read(lambda c: c.execute(
            "SELECT DISTINCT entry_id FROM history WHERE locale = ? AND id > ?", (locale, base)).fetchall())
        return {row["entry_id"] for row in rows}

    def rows_after(self, row: int, origins=("editor", "upload")) -> list[dict]:
        """The rows after ``row`` with one of ``origins``, oldest first: what the site has not committed."""
        marks = ",".join("?" * len(origins))
        rows = self.db.read(lambda c: c.execute(
            f"SELECT id, time, locale, entry_id, msgctxt, msgid, account, saved_by FROM history WHERE id > ? "
            f"AND origin IN ({marks}) ORDER BY id", (row, *origins)).fetchall())
        return [dict(r) for r in rows]

    def issued(self, base: int) -> bool:
        """Whether ``base`` is one :meth:`latest_id` could have stamped: 0, or a row that exists."""
        return base == 0 or self.db.read(lambda c: c.execute(
            "SELECT 1 FROM history WHERE id = ?", (base,)).fetchone()) is not None

    def latest_id(self) -> int:
        """The id of the newest row (0 when empty): the base stamped on downloads."""
        return self.db.read(lambda c: c.execute("SELECT coalesce(max(id), 0) FROM history").fetchone()[0])

    def of_entry(self, locale: str, entry_id: str, limit: int = 200) -> list[dict]:
        """The rows of one entry, newest first."""
        rows = self.db.read(lambda c: c.execute(
            "SELECT * FROM history WHERE locale = ? AND entry_id = ? ORDER BY id DESC LIMIT ?",
            (locale, entry_id, limit)).fetchall())
        return [
            {"id": row["id"], "time": row["time"], "account": row["account"], "origin": row["origin"],
             "before": json.loads(row["before"]), "after": json.loads(row["after"])}
            for row in rows
        ]


def _dump(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False)
