"""Accounts, sessions, sign-in throttling and the audit log, in the workspace database.

Who may do what in which language is :mod:`~website.workspace.roles`; this
module stores the accounts with their roles and hands them out as its
:class:`~website.workspace.roles.User`.

>>> import tempfile, os
>>> from website.workspace.db import Database
>>> db = Database(os.path.join(tempfile.mkdtemp(), "w.sqlite3")); _ = db.migrate()
>>> accounts = Accounts(db, hash_cost=2**10)
>>> accounts.add_user("maria", "a long password", ["ru", "pt-BR"]).languages
('ru', 'pt_BR')
>>> user, outcome = accounts.authenticate("maria", "a long password", "127.0.0.1")
>>> outcome, user.may_edit("ru"), user.may_edit("fr")
('ok', True, False)
>>> token = accounts.create_session(user)
>>> accounts.session_user(token).name
'maria'

Sessions are random tokens (256 bits); the database keeps only their SHA-256,
so a copy of the database does not let anyone sign in. A session ends after
:data:`SESSION_IDLE_SECONDS` without a request, after
:data:`SESSION_MAX_SECONDS` in any case, at sign-out, when its account's
password changes or the account is disabled, and when the account signs in
a :data:`MAX_SESSIONS_PER_ACCOUNT` + 1st time (the oldest ends).

Failed sign-ins are rows in the database, so the limits hold across worker
processes and restarts (each attempt is counted, atomically, before its
password is checked): :data:`MAX_FAILURES_PER_ACCOUNT` failures for one
account name (whether or not it exists) or :data:`MAX_FAILURES_PER_ADDRESS`
from one address within :data:`THROTTLE_WINDOW_SECONDS` refuse further
attempts until the oldest failure leaves the window.
"""

from __future__ import annotations

import functools
import getpass
import hashlib
import re
import secrets
import time

from website.workspace import passwords
from website.workspace.db import Database
from website.workspace.roles import AccountError, User, parse_roles, roles_text

__all__ = [
    "Accounts",
    "cli_actor",
    "SESSION_IDLE_SECONDS",
    "SESSION_MAX_SECONDS",
    "THROTTLE_WINDOW_SECONDS",
    "MAX_FAILURES_PER_ACCOUNT",
    "MAX_FAILURES_PER_ADDRESS",
    "MAX_SESSIONS_PER_ACCOUNT",
]

SESSION_IDLE_SECONDS = 2 * 3600
SESSION_MAX_SECONDS = 7 * 24 * 3600
_TOUCH_SECONDS = 60  # last_seen is rewritten at most this often
THROTTLE_WINDOW_SECONDS = 15 * 60
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20
#: Live sessions one account may have; a new sign-in ends the oldest beyond it.
MAX_SESSIONS_PER_ACCOUNT = 20
MIN_PASSWORD_LENGTH = 10
_LOCAL = "local"  # the audit log's address for changes made with website-admin on the server
_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


class Accounts:
    """The account operations of the site and of ``website-admin``."""

    def __init__(self, db: Database, *, hash_cost: int = passwords.N, clock=time.time):
        self.db = db
        self.hash_cost = hash_cost
        self.clock = clock

    # -- accounts ----------------------------------------------------------

    def add_user(self, name: str, password: str, languages, is_admin: bool = False,
                 *, by: str | None = None, review=(), suggest_only=(), email: str | None = None) -> User:
        """Create an account. Raises :class:`AccountError` for a bad or taken name.

        ``languages`` it may translate in, ``review`` it may also approve in
        (added to ``languages``), ``suggest_only`` it may only suggest in;
        ``email`` the address its git commits are authored with.
        """
        if not _NAME_RE.fullmatch(name or ""):
            raise AccountError(f"{name!r} is not a valid user name (letters, digits, . _ -; at most 64)")
        ids, review_ids, suggest_ids = parse_roles(languages, review, suggest_only)
        _check_password(password)
        encoded = passwords.hash_password(password, n=self.hash_cost)

        def insert(c):
            if c.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone():
                raise AccountError(f"user {name!r} exists already")
            c.execute(
                "INSERT INTO users (name, password, languages, review, suggest_only, is_admin, created, email)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (name, encoded, ",".join(ids), ",".join(review_ids), ",".join(suggest_ids), int(is_admin),
                 self.clock(), email or None),
            )
            _audit(c, self.clock(), by, _LOCAL, "user added",
                   f"{name}: {roles_text(ids, review_ids, suggest_ids)} admin={'yes' if is_admin else 'no'}")

        self.db.write(insert)
        return self.get_user(name)

    def email(self, name: str) -> str | None:
        """The address an account's git commits are authored with, if it has one."""
        row = self.db.read(lambda c: c.execute("SELECT email FROM users WHERE name = ?", (name,)).fetchone())
        return row["email"] if row and row["email"] else None

    def set_password(self, name: str, password: str, *, by: str | None = None) -> None:
        """Change a password; every session of the account ends."""
        _check_password(password)
        encoded = passwords.hash_password(password, n=self.hash_cost)

        def update(c):
            user = _require(c, name)
            c.execute("UPDATE users SET password = ? WHERE id = ?", (encoded, user["id"]))
            c.execute("DELETE FROM sessions WHERE user_id = ?", (user["id"],))
            _audit(c, self.clock(), by, _LOCAL, "password changed", name)

        self.db.write(update)

    def set_disabled(self, name: str, disabled: bool = True, *, by: str | None = None) -> None:
        """Disable (or enable again) an account; disabling ends its sessions."""
        def update(c):
            user = _require(c, name)
            c.execute("UPDATE users SET disabled = ? WHERE id = ?", (int(disabled), user["id"]))
            c.execute("DELETE FROM sessions WHERE user_id = ?", (user["id"],))
            _audit(c, self.clock(), by, _LOCAL, "user disabled" if disabled else "user enabled", name)

        self.db.write(update)

    def set_permissions(self, name: str, languages, is_admin: bool, *, by: str | None = None,
                        review=(), suggest_only=()) -> None:
        """Replace the roles of an account in every language, and its admin flag."""
        ids, review_ids, suggest_ids = parse_roles(languages, review, suggest_only)

        def update(c):
            user = _require(c, name)
            c.execute("UPDATE users SET languages = ?, review = ?, suggest_only = ?, is_admin = ? WHERE id = ?",
                      (",".join(ids), ",".join(review_ids), ",".join(suggest_ids), int(is_admin), user["id"]))
            _audit(c, self.clock(), by, _LOCAL, "permissions changed",
                   f"{name}: {roles_text(ids, review_ids, suggest_ids)} admin={'yes' if is_admin else 'no'}")

        self.db.write(update)

    def get_user(self, name: str) -> User | None:
        row = self.db.read(lambda c: c.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone())
        return _user(row) if row else None

    def list_users(self) -> list[User]:
        rows = self.db.read(lambda c: c.execute("SELECT * FROM users ORDER BY name").fetchall())
        return [_user(row) for row in rows]

    # -- signing in ----------------------------------------------------------

    def authenticate(self, name: str, password: str, address: str) -> tuple[User | None, str]:
        """Check a sign-in; return ``(user, "ok")`` or ``(None, "invalid" | "throttled")``.

        Unknown names, wrong passwords and disabled accounts all answer
        ``"invalid"`` and cost the same scrypt, so neither the answer nor its
        timing says whether an account exists. Every outcome is audited.
        """
        now = self.clock()
        key = (name or "").casefold()[:128]
        if not self._reserve(key, name or "", address, now):
            return None, "throttled"
        row = self.db.read(lambda c: c.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone())
        encoded = row["password"] if row else _dummy_hash()
        good = passwords.verify_password(password or "", encoded)
        if not (good and row and not row["disabled"]):
            # The reserved attempt stays, as this failure.
            self.db.write(lambda c: _audit(c, now, name[:128], address, "sign-in failed",
                                           "disabled account" if row and good else ""))
            return None, "invalid"
        if passwords.must_update(encoded) and self.hash_cost == passwords.N:
            fresh = passwords.hash_password(password)
            self.db.write(lambda c: c.execute("UPDATE users SET password = ? WHERE id = ?", (fresh, row["id"])))

        def succeed(c):
            c.execute("DELETE FROM failures WHERE account = ?", (key,))
            _audit(c, now, row["name"], address, "signed in")
        self.db.write(succeed)
        return _user(row), "ok"

    def _reserve(self, key: str, name: str, address: str, now: float) -> bool:
        """Count this attempt as a failure before its password is checked; False when throttled.

        Counting and inserting are one immediate transaction, which SQLite
        serializes across every process: thirty simultaneous attempts get
        five password checks, not the five plus however many read the count
        before the first failure was written. A sign-in that succeeds
        removes the account's failures, its own reservation among them.
        """
        since = now - THROTTLE_WINDOW_SECONDS

        def reserve(c) -> bool:
            c.execute("DELETE FROM failures WHERE time <= ?", (since,))
            by_account = c.execute("SELECT count(*) FROM failures WHERE account = ? AND time > ?",
                                   (key, since)).fetchone()[0]
            by_address = c.execute("SELECT count(*) FROM failures WHERE address = ? AND time > ?",
                                   (address, since)).fetchone()[0]
            if by_account >= MAX_FAILURES_PER_ACCOUNT or by_address >= MAX_FAILURES_PER_ADDRESS:
                _audit(c, now, name[:128], address, "sign-in throttled")
                return False
            c.execute("INSERT INTO failures (time, account, address) VALUES (?, ?, ?)", (now, key, address))
            return True

        return self.db.write(reserve)

    # -- sessions ------------------------------------------------------------

    def create_session(self, user: User) -> str:
        """A new session for ``user``: the token for the cookie (stored only hashed)."""
        token = secrets.token_urlsafe(32)
        now = self.clock()

        def insert(c):
            c.execute("INSERT INTO sessions (token_hash, user_id, created, last_seen) VALUES (?, ?, ?, ?)",
                      (_token_hash(token), user.id, now, now))
            # The oldest sessions beyond the limit end (rowid breaks ties within one second).
            c.execute("DELETE FROM sessions WHERE user_id = ? AND rowid NOT IN (SELECT rowid FROM sessions "
                      "WHERE user_id = ? ORDER BY created DESC, rowid DESC LIMIT ?)",
                      (user.id, user.id, MAX_SESSIONS_PER_ACCOUNT))

        self.db.write(insert)
        return token

    def session_user(self, token: str | None) -> User | None:
        """The signed-in account of a session token, or None (expired, ended, disabled)."""
        if not token or len(token) > 100:
            return None
        now = self.clock()
        digest = _token_hash(token)
        row = self.db.read(lambda c: c.execute(
            "SELECT users.*, sessions.created AS session_created, sessions.last_seen "
            "FROM sessions JOIN users ON users.id = sessions.user_id WHERE token_hash = ?",
            (digest,)).fetchone())
        if row is None:
            return None
        if (row["disabled"] or now - row["last_seen"] > SESSION_IDLE_SECONDS
                or now - row["session_created"] > SESSION_MAX_SECONDS):
            self.db.write(lambda c: c.execute("DELETE FROM sessions WHERE token_hash = ?", (digest,)))
            return None
        if now - row["last_seen"] > _TOUCH_SECONDS:
            self.db.write(lambda c: c.execute(
                "UPDATE sessions SET last_seen = ? WHERE token_hash = ?", (now, digest)))
        return _user(row)

    def end_session(self, token: str | None) -> None:
        if token:
            self.db.write(lambda c: c.execute("DELETE FROM sessions WHERE token_hash = ?",
                                              (_token_hash(token),)))

    # -- audit -----------------------------------------------------------------

    def audit(self, action: str, account: str | None, address: str | None, detail: str = "") -> None:
        """Add a row to the audit log."""
        now = self.clock()
        self.db.write(lambda c: _audit(c, now, account, address, action, detail))

    def audit_log(self, limit: int = 100) -> list[dict]:
        rows = self.db.read(lambda c: c.execute(
            "SELECT * FROM audit ORDER BY id DESC LIMIT ?", (limit,)).fetchall())
        return [dict(row) for row in rows]


def cli_actor() -> str:
    """How ``website-admin`` names who ran it in the audit log."""
    try:
        return "cli:" + getpass.getuser()
    except (KeyError, OSError):
        return "cli"


def _audit(c, now, account, address, action, detail="") -> None:
    c.execute("INSERT INTO audit (time, account, address, action, detail) VALUES (?, ?, ?, ?, ?)",
              (now, account, address, action, detail))


def _require(c, name: str):
    row = c.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise AccountError(f"no user {name!r}")
    return row


def _user(row) -> User:
    return User(
        id=row["id"],
        name=row["name"],
        languages=tuple(filter(None, row["languages"].split(","))),
        is_admin=bool(row["is_admin"]),
        disabled=bool(row["disabled"]),
        review=tuple(filter(None, row["review"].split(","))),
        suggest_only=tuple(filter(None, row["suggest_only"].split(","))),
    )


def _check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > passwords.MAX_PASSWORD_LENGTH:
        raise AccountError(f"the password must have at most {passwords.MAX_PASSWORD_LENGTH} characters")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


@functools.lru_cache(maxsize=1)
def _dummy_hash() -> str:
    # Checked against when the account does not exist, so that the answer
    # takes as long as for a real one.
    return passwords.hash_password(secrets.token_hex(16))
