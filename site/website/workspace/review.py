"""Suggestions and review: what lives in the database until it is publishable.

The ``.po`` file holds only what may be published; suggestions and
approvals are rows in the workspace database (Weblate's and Pontoon's rule).

An entry's review *state* is one of :data:`REVIEW_STATES`:

- ``untranslated``: some form is empty;
- ``fuzzy`` (needs work): gettext's fuzzy flag, so visitors see English;
- ``unreviewed``: saved in a language that keeps unreviewed text from
  visitors (:meth:`Review.publish_unreviewed` is false): the file has it as
  fuzzy, a ``pending`` row says it awaits a reviewer;
- ``translated``: published, not approved;
- ``approved``: published, and a reviewer approved exactly this text.

Approvals are keyed on (locale, context, msgid, translation), so any change
of the text, in the workspace or in the file, drops the entry back to
``translated``.

>>> import tempfile, os
>>> from website.workspace.db import Database
>>> db = Database(os.path.join(tempfile.mkdtemp(), "w.sqlite3")); _ = db.migrate()
>>> review = Review(db, store=None)
>>> review.publish_unreviewed("fr")
True
>>> review.set_publish_unreviewed("fr", False); review.publish_unreviewed("fr")
False
"""

from __future__ import annotations

import datetime as dt
import json
import time

from website.i18n.deferred import N_, Message
from website.toolchain import checks
from website.workspace.db import Database
from website.workspace.entries import InvalidInput, problem, revision
from website.workspace.po_store import SaveResult

__all__ = ["Review", "SuggestionError", "REVIEW_STATES", "state_of", "progress", "iso_time"]

REVIEW_STATES = ("untranslated", "fuzzy", "unreviewed", "translated", "approved")
MAX_OPEN_SUGGESTIONS = 20  # per entry: a flood of proposals helps nobody choose
MAX_REASON_LENGTH = 500


class SuggestionError(LookupError):
    """No open suggestion with that id on that entry."""


def _key(translation) -> str:
    return json.dumps(list(translation), ensure_ascii=False)


def iso_time(seconds: float) -> str:
    """A database time as the API shows it: ISO 8601, UTC, to the second."""
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).isoformat(timespec="seconds")


def state_of(entry: dict, reviews: dict[str, str]) -> str:
    """The review state of an API entry; ``reviews`` maps translation keys to row status."""
    status = reviews.get(_key(entry["translation"]))
    if entry["fuzzy"]:
        return "unreviewed" if status == "pending" else "fuzzy"
    if not all(entry["translation"]):
        return "untranslated"
    return "approved" if status == "approved" else "translated"


def progress(entries) -> dict:
    """How many entries are in each state; ``translated`` counts every published one."""
    counts = dict.fromkeys(REVIEW_STATES, 0)
    for entry in entries:
        counts[entry["state"]] += 1
    # "translated" keeps its meaning of toolchain.stats (published, i.e. not
    # fuzzy and filled), so the dashboard and the editor agree.
    return {"total": len(entries), **counts, "translated": counts["translated"] + counts["approved"]}


class Review:
    """Suggestions, approvals and each language's publishing setting, over one catalog store."""

    def __init__(self, db: Database, store, clock=time.time):
        self.db = db
        self.store = store
        self.clock = clock

    # -- the per-language setting -------------------------------------------------

    def publish_unreviewed(self, gettext_id: str) -> bool:
        """Whether a translation reaches visitors before a reviewer approves it (the default)."""
        row = self.db.read(lambda c: c.execute(
            "SELECT publish_unreviewed FROM language_settings WHERE locale = ?", (gettext_id,)).fetchone())
        return True if row is None else bool(row[0])

    def set_publish_unreviewed(self, gettext_id: str, publish: bool) -> None:
        self.db.write(lambda c: c.execute(
            "INSERT INTO language_settings (locale, publish_unreviewed) VALUES (?, ?) "
            "ON CONFLICT (locale) DO UPDATE SET publish_unreviewed = excluded.publish_unreviewed",
            (gettext_id, int(publish))))

    # -- states ---------------------------------------------------------------------

    def reviews_of(self, gettext_id: str) -> dict[str, dict[str, str]]:
        """entry id -> {translation key: "approved" | "pending"} for a locale."""
        rows = self.db.read(lambda c: c.execute(
            "SELECT entry_id, translation, status FROM reviews WHERE locale = ?", (gettext_id,)).fetchall())
        result: dict[str, dict[str, str]] = {}
        for row in rows:
            result.setdefault(row["entry_id"], {})[row["translation"]] = row["status"]
        return result

    def annotate(self, gettext_id: str, entries) -> list[dict]:
        """Copies of API entries with their ``state`` (the listing's cache stays untouched)."""
        reviews = self.reviews_of(gettext_id)
        return [{**e, "state": state_of(e, reviews.get(e["id"], {}))} for e in entries]

    def annotate_one(self, gettext_id: str, entry: dict | None) -> dict | None:
        if entry is None:
            return None
        rows = self.db.read(lambda c: c.execute(
            "SELECT translation, status FROM reviews WHERE locale = ? AND entry_id = ?",
            (gettext_id, entry["id"])).fetchall())
        return {**entry, "state": state_of(entry, {r["translation"]: r["status"] for r in rows})}

    # -- saving -------------------------------------------------------------------------

    def save(self, gettext_id: str, id_: str, translation, fuzzy, base_revision: str, *, account: str,
             saved_by: str | None = None):
        """The store's compare-and-swap save, under the language's review setting.

        Where unreviewed text is kept from visitors, a finished translation
        is written as fuzzy and marked as awaiting review.
        """
        hold = self.holds(gettext_id, translation, fuzzy)

        def pending(connection, entry, value):
            # In the save's own transaction: no moment where the file holds
            # the text as fuzzy and nothing says it awaits a reviewer.
            self._mark_in(connection, gettext_id, id_, entry.msgctxt, entry.msgid, value["translation"],
                          "pending", account)

        result = self.store.save(gettext_id, id_, translation, True if hold else fuzzy, base_revision,
                                 account=account, saved_by=saved_by, also=pending if hold else None)
        result.entry = self.annotate_one(gettext_id, result.entry)
        return result

    def holds(self, gettext_id: str, translation, fuzzy, *, publish: bool | None = None) -> bool:
        """Whether a save (or an upload) of this value is kept from visitors until approved.

        A finished, non-fuzzy translation in a language that hides unreviewed
        text: it is written as fuzzy and marked pending
        (:meth:`mark_pending`), whoever saves it, a reviewer included (an
        approval is its own, explicit step). ``publish``: the language's
        setting, when the caller has read it already (an upload, once per file).
        """
        if not (fuzzy is False and isinstance(translation, list) and translation and all(translation)):
            return False
        return not (self.publish_unreviewed(gettext_id) if publish is None else publish)

    def mark_pending(self, gettext_id: str, id_: str, msgctxt, msgid: str, translation, account) -> None:
        """Record that this exact text of an entry awaits a reviewer (state ``unreviewed``)."""
        self._mark(gettext_id, id_, msgctxt, msgid, translation, "pending", account)

    def decide(self, gettext_id: str, id_: str, approve: bool, base_revision: str, *, account: str):
        """Approve the entry's current text, or send it back as needing work (fuzzy).

        A compare-and-swap like a save: ``base_revision`` must be the
        entry's current one, or the result is a ``conflict``.
        """
        with self.store.edit(gettext_id, account=account, origin="editor") as edit:
            entry = edit.entry(id_)
            if entry is None:
                raise KeyError(id_)
            self.store.note_file_changes(edit, [id_])
            current = edit.value(entry)
            if base_revision != revision(current):
                return SaveResult("conflict", self.annotate_one(gettext_id, self.store.describe(edit, entry)))
            if approve:
                if not all(current["translation"]):
                    raise InvalidInput([problem("untranslated",
                                                Message(N_("an untranslated entry cannot be approved")))])
                value = {"translation": current["translation"], "fuzzy": False}
                problems = edit.trial_problems(entry, value)
                if any(p["severity"] == checks.ERROR for p in problems):
                    return SaveResult("invalid", self.annotate_one(gettext_id, self.store.describe(edit, entry)),
                                      problems=problems)
                if current["fuzzy"]:
                    edit.apply(id_, value)
                # With the edit's history rows, in one transaction.
                edit.also.append(lambda c: self._mark_in(c, gettext_id, id_, entry.msgctxt, entry.msgid,
                                                         value["translation"], "approved", account))
            else:
                if not current["fuzzy"]:
                    edit.apply(id_, {"translation": current["translation"], "fuzzy": True})
                edit.also.append(lambda c: c.execute(
                    "DELETE FROM reviews WHERE locale = ? AND entry_id = ? AND translation = ?",
                    (gettext_id, id_, _key(current["translation"]))))
        status = "saved" if edit.changes or approve else "unchanged"
        return SaveResult(status, self.annotate_one(gettext_id, self.store.describe(edit, entry)),
                          compiled=edit.compiled)

    def _mark(self, gettext_id, id_, msgctxt, msgid, translation, status, account) -> None:
        self.db.write(lambda c: self._mark_in(c, gettext_id, id_, msgctxt, msgid, translation, status, account))

    def _mark_in(self, connection, gettext_id, id_, msgctxt, msgid, translation, status, account) -> None:
        connection.execute(
            "INSERT INTO reviews (locale, entry_id, msgctxt, msgid, translation, status, account, time)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (locale, entry_id, translation) DO UPDATE"
            " SET status = excluded.status, account = excluded.account, time = excluded.time",
            (gettext_id, id_, msgctxt, msgid, _key(translation), status, account, self.clock()))

    # -- suggestions ----------------------------------------------------------------------

    def suggest(self, gettext_id: str, id_: str, translation, *, author: str) -> dict:
        """Store a proposal; the catalog checks apply as to a save. Raises KeyError, InvalidInput."""
        with self.store.edit(gettext_id, account=author, origin="editor") as edit:
            entry = edit.entry(id_)
            if entry is None:
                raise KeyError(id_)
            value = edit.validate(entry, translation, False)
            if not all(value["translation"]):
                raise InvalidInput([problem("untranslated", Message(N_("a suggestion must fill every form")))])
            problems = edit.trial_problems(entry, value)
            errors = [p for p in problems if p["severity"] == checks.ERROR]
            if errors:
                raise InvalidInput(errors)
            base = revision(edit.value(entry))
        now = self.clock()

        def insert(c):
            open_count = c.execute("SELECT count(*) FROM suggestions WHERE locale = ? AND entry_id = ? "
                                   "AND state = 'open'", (gettext_id, id_)).fetchone()[0]
            if open_count >= MAX_OPEN_SUGGESTIONS:
                # A count-free sentence: no plural form to choose in a deferred message.
                raise InvalidInput([problem("input", Message(
                    N_("this entry has the most open suggestions it may have (%(count)s): decide on some first"),
                    count=open_count))])
            return c.execute(
                "INSERT INTO suggestions (time, locale, entry_id, msgctxt, msgid, translation, base_revision,"
                " author) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (now, gettext_id, id_, entry.msgctxt, entry.msgid, _key(value["translation"]), base, author),
            ).lastrowid

        sid = self.db.write(insert)
        return {"id": sid, "translation": value["translation"], "author": author, "time": iso_time(now),
                "problems": problems}

    def suggestions(self, gettext_id: str, id_: str) -> list[dict]:
        """The open suggestions of an entry, oldest first."""
        rows = self.db.read(lambda c: c.execute(
            "SELECT * FROM suggestions WHERE locale = ? AND entry_id = ? AND state = 'open' ORDER BY id",
            (gettext_id, id_)).fetchall())
        return [{"id": r["id"], "translation": json.loads(r["translation"]), "author": r["author"],
                 "time": iso_time(r["time"])} for r in rows]

    def suggestions_by(self, gettext_id: str, author: str, limit: int = 200) -> list[dict]:
        """An author's suggestions in a language, newest first, with what became of them."""
        rows = self.db.read(lambda c: c.execute(
            "SELECT * FROM suggestions WHERE locale = ? AND author = ? ORDER BY id DESC LIMIT ?",
            (gettext_id, author, limit)).fetchall())
        return [{"id": r["id"], "entry": r["entry_id"], "source": r["msgid"], "context": r["msgctxt"],
                 "translation": json.loads(r["translation"]), "time": iso_time(r["time"]),
                 "state": r["state"], "decided_by": r["decided_by"],
                 "decided_time": iso_time(r["decided_time"]) if r["decided_time"] else None,
                 "reason": r["reason"]} for r in rows]

    def _open(self, gettext_id: str, id_: str, sid: int):
        row = self.db.read(lambda c: c.execute(
            "SELECT * FROM suggestions WHERE id = ? AND locale = ? AND entry_id = ? AND state = 'open'",
            (sid, gettext_id, id_)).fetchone())
        if row is None:
            raise SuggestionError(sid)
        return row

    def accept(self, gettext_id: str, id_: str, sid: int, *, account: str, base_revision: str | None = None):
        """Save a suggestion (compare-and-swap, credited to its author, saved by ``account``); mark it accepted.

        The history row names both, so the commit is ``account``'s with the
        author as ``Co-authored-by`` (:mod:`website.workspace.catalog_sync`).

        ``base_revision`` defaults to the revision the author saw, so a text
        changed since then is a conflict rather than silently overwritten.
        """
        row = self._open(gettext_id, id_, sid)
        result = self.save(gettext_id, id_, json.loads(row["translation"]), False,
                           base_revision or row["base_revision"], account=row["author"], saved_by=account)
        if result.status in ("saved", "unchanged"):
            now = self.clock()
            self.db.write(lambda c: c.execute(
                "UPDATE suggestions SET state = 'accepted', decided_by = ?, decided_time = ? WHERE id = ?",
                (account, now, sid)))
        return result

    def reject(self, gettext_id: str, id_: str, sid: int, reason: str, *, account: str) -> None:
        """Close a suggestion with a reason its author sees."""
        self._open(gettext_id, id_, sid)
        now = self.clock()
        self.db.write(lambda c: c.execute(
            "UPDATE suggestions SET state = 'rejected', decided_by = ?, decided_time = ?, reason = ? "
            "WHERE id = ? AND state = 'open'", (account, now, reason[:MAX_REASON_LENGTH], sid)))
