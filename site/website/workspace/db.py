"""The workspace's SQLite database: one file, numbered migrations, one writer.

>>> import tempfile, os
>>> db = Database(os.path.join(tempfile.mkdtemp(), "workspace.sqlite3"))
>>> db.migrate()
4
>>> db.write(lambda c: c.execute("INSERT INTO audit (time, action) VALUES (0, 'test')").lastrowid)
1
>>> db.read(lambda c: c.execute("SELECT action FROM audit").fetchone()[0])
'test'

The file is in WAL mode, so readers never wait for the writer and several
worker processes can share it; every write is one ``BEGIN IMMEDIATE``
transaction, serialized inside a process by a lock and between processes by
SQLite itself (``busy_timeout``). Handlers run these on the workspace's
thread pool (:meth:`website.workspace.service.Workspace.run`), so a slow disk
never stalls the IOLoop (Datasette's pattern: reads from any thread, writes
one at a time).

Connections are opened lazily and per thread, so a :class:`Database` built in
the parent before ``fork`` shares nothing with its workers.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable
from typing import TypeVar

__all__ = ["Database", "MIGRATIONS", "FILENAME"]

FILENAME = "workspace.sqlite3"
T = TypeVar("T")

# Migration N brings the schema from version N-1 to N (PRAGMA user_version).
# Never edit a released migration: add the next one.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        password TEXT NOT NULL,          -- passwords.hash_password(): names its algorithm
        languages TEXT NOT NULL DEFAULT '',  -- gettext ids, comma-separated
        is_admin INTEGER NOT NULL DEFAULT 0,
        disabled INTEGER NOT NULL DEFAULT 0,
        created REAL NOT NULL
    );
    CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,     -- sha256 of the cookie value, never the value
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created REAL NOT NULL,
        last_seen REAL NOT NULL
    );
    CREATE INDEX sessions_user ON sessions(user_id);
    CREATE TABLE failures (
        id INTEGER PRIMARY KEY,
        time REAL NOT NULL,
        account TEXT NOT NULL,           -- as typed, folded: known or not
        address TEXT NOT NULL
    );
    CREATE INDEX failures_account ON failures(account, time);
    CREATE INDEX failures_address ON failures(address, time);
    CREATE TABLE history (
        id INTEGER PRIMARY KEY,
        time REAL NOT NULL,
        locale TEXT NOT NULL,            -- gettext id
        entry_id TEXT NOT NULL,
        msgctxt TEXT,
        msgid TEXT NOT NULL,
        account TEXT,                    -- NULL for a change found in the file
        origin TEXT NOT NULL CHECK (origin IN ('editor', 'upload', 'file')),
        before TEXT NOT NULL,            -- JSON {"translation": [...], "fuzzy": bool}
        after TEXT NOT NULL
    );
    CREATE INDEX history_entry ON history(locale, entry_id, id);
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        time REAL NOT NULL,
        account TEXT,
        address TEXT,
        action TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT ''
    );
    """,
    # 2 (issue 19): roles per language, suggestions, review.
    """
    ALTER TABLE users ADD COLUMN review TEXT NOT NULL DEFAULT '';        -- gettext ids it may approve
    ALTER TABLE users ADD COLUMN suggest_only TEXT NOT NULL DEFAULT '';  -- gettext ids it may only suggest in
    CREATE TABLE suggestions (
        id INTEGER PRIMARY KEY,
        time REAL NOT NULL,
        locale TEXT NOT NULL,
        entry_id TEXT NOT NULL,
        msgctxt TEXT,
        msgid TEXT NOT NULL,
        translation TEXT NOT NULL,       -- JSON list, one string per form
        base_revision TEXT NOT NULL,     -- the entry's revision the author saw
        author TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'accepted', 'rejected')),
        decided_by TEXT,
        decided_time REAL,
        reason TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX suggestions_entry ON suggestions(locale, entry_id, state);
    CREATE INDEX suggestions_author ON suggestions(author, state);
    CREATE TABLE reviews (
        locale TEXT NOT NULL,
        entry_id TEXT NOT NULL,          -- entry_ids.entry_id(msgctxt, msgid): the context and source
        msgctxt TEXT,
        msgid TEXT NOT NULL,
        translation TEXT NOT NULL,       -- JSON list: a changed translation matches no row
        status TEXT NOT NULL CHECK (status IN ('approved', 'pending')),
        account TEXT,
        time REAL NOT NULL,
        PRIMARY KEY (locale, entry_id, translation)
    );
    CREATE TABLE language_settings (
        locale TEXT PRIMARY KEY,
        publish_unreviewed INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE memory (
        id INTEGER PRIMARY KEY,
        locale TEXT NOT NULL,
        source TEXT NOT NULL,
        translation TEXT NOT NULL,
        origin TEXT NOT NULL,            -- the imported file's name
        UNIQUE (locale, source, translation)
    );
    CREATE TABLE glossary (
        locale TEXT NOT NULL,
        term TEXT NOT NULL COLLATE NOCASE,
        translation TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (locale, term)
    );
    """,
    # 3 (issue 18): the translator's address for git authorship; the sync's origin
    # "repository" (SQLite cannot alter a CHECK: the table is rebuilt); what
    # the site has committed to git.
    """
    ALTER TABLE users ADD COLUMN email TEXT;
    CREATE TABLE history_new (
        id INTEGER PRIMARY KEY,
        time REAL NOT NULL,
        locale TEXT NOT NULL,
        entry_id TEXT NOT NULL,
        msgctxt TEXT,
        msgid TEXT NOT NULL,
        account TEXT,
        origin TEXT NOT NULL CHECK (origin IN ('editor', 'upload', 'file', 'repository')),
        before TEXT NOT NULL,
        after TEXT NOT NULL
    );
    INSERT INTO history_new SELECT * FROM history;
    DROP TABLE history;
    ALTER TABLE history_new RENAME TO history;
    CREATE INDEX history_entry ON history(locale, entry_id, id);
    CREATE TABLE git_state (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    # 4 (issue 19): who saved a change credited to someone else (an accepted
    # suggestion: ``account`` is its author), for the commit's Co-authored-by.
    """
    ALTER TABLE history ADD COLUMN saved_by TEXT;
    """,
]


class Database:
    """One SQLite file; reads from any thread, writes one at a time."""

    def __init__(self, path: str | os.PathLike):
        self.path = os.fspath(path)
        self._local = threading.local()
        self._write_lock = threading.Lock()

    def connect(self) -> sqlite3.Connection:
        """A new connection in autocommit mode, WAL, foreign keys on."""
        connection = sqlite3.connect(self.path, timeout=10.0, isolation_level=None,
                                     check_same_thread=False)
        connection.row_factory = sqlite3.Row
        _use_wal(connection)
        # NORMAL is durable across process crashes in WAL mode; only a power
        # loss can drop the last transactions (never corrupt the file).
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute("PRAGMA foreign_keys=ON")
        return connection

    def migrate(self) -> int:
        """Apply the migrations the file lacks; return the schema version.

        Safe to run from several processes at once: each migration runs in an
        exclusive transaction that re-reads the version first.
        """
        os.makedirs(os.path.dirname(os.path.abspath(self.path)), exist_ok=True)
        connection = self.connect()
        try:
            for number, script in enumerate(MIGRATIONS, 1):
                connection.execute("BEGIN EXCLUSIVE")
                try:
                    version = connection.execute("PRAGMA user_version").fetchone()[0]
                    if version < number:
                        for statement in _statements(script):
                            connection.execute(statement)
                        connection.execute(f"PRAGMA user_version = {number:d}")
                    connection.execute("COMMIT")
                except BaseException:
                    connection.execute("ROLLBACK")
                    raise
            version = connection.execute("PRAGMA user_version").fetchone()[0]
        finally:
            connection.close()
        if version > len(MIGRATIONS):
            raise RuntimeError(
                f"{self.path} has schema version {version}, newer than this code knows "
                f"({len(MIGRATIONS)}): upgrade the site before using it"
            )
        return version

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None or getattr(self._local, "pid", None) != os.getpid():
            connection = self._local.connection = self.connect()
            self._local.pid = os.getpid()
        return connection

    def read(self, function: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``function(connection)`` on this thread's connection."""
        return function(self._connection())

    def write(self, function: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``function(connection)`` in one immediate transaction, one writer at a time."""
        with self._write_lock:
            connection = self._connection()
            connection.execute("BEGIN IMMEDIATE")
            try:
                result = function(connection)
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")
            return result

    def backup(self, target: str | os.PathLike) -> None:
        """Copy the database to ``target`` while it is in use (SQLite's online backup)."""
        destination = sqlite3.connect(os.fspath(target))
        try:
            with destination:
                self._connection().backup(destination)
        finally:
            destination.close()


def _use_wal(connection: sqlite3.Connection, timeout: float = 10.0) -> None:
    """Put the file in WAL mode (kept in the file: a no-op once it is).

    Switching a new file needs its exclusive lock, and when two connections
    both hold a shared lock and ask for it, SQLite answers "database is
    locked" at once instead of calling its busy handler (that wait could
    deadlock; see sqlite3_busy_handler). Several workers opening a new file
    do exactly that, so the switch is retried here, within ``timeout``.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _statements(script: str) -> list[str]:
    # executescript() would COMMIT the surrounding transaction; split instead.
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line.split("--", 1)[0].rstrip() + "\n" if "--" in line else line
        if sqlite3.complete_statement(current):
            if current.strip():
                statements.append(current.strip())
            current = ""
    return statements
