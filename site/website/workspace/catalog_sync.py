"""The workspace and git: translators' saves committed as theirs, and synced with a remote.

On a checkout that is a git working tree, :meth:`CatalogSync.commit_pending`
commits the saves (history rows of origin ``editor`` or ``upload``) not yet
committed: one commit per translator, authored by them (the account's
``--email``, else ``NAME@<the origin's host>``), committed by the site, its
message naming the language and the entries, touching only catalog files.
A translator's accepted suggestion is in their commit, its author credited
with a ``Co-authored-by: NAME <address>`` trailer (the same address rule: an
author without a valid ``--email``, or whose account is gone, is
``NAME@<the origin's host>``, so the trailer is always well formed).
When several translators changed one file, each commit holds only its
author's entries (applied to the file as the previous commit left it); the
last one is the file on disk. The server calls it every
``--commit_interval`` seconds, so a translator gets at most one commit per
interval.

:meth:`CatalogSync.sync` (``--catalog_sync=REMOTE`` every
``--sync_interval``, or ``website-catalog sync``) runs
:func:`website.toolchain.git_sync.sync` with those commits first; each entry
whose translation both sides changed keeps the workspace's value, and the
repository's is recorded in the entry's history (origin ``repository``, as
the row's ``before``: one revert away). A failure is logged as one line;
saves go on, and the next sync catches up.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import re
import sys
import time
import urllib.parse

from website.i18n.entry_ids import entry_id
from website.toolchain import git_sync, po_writer
from website.toolchain.checks import locale_of_path
from website.toolchain.git_catalogs import GitError, current_branch, git, toplevel
from website.workspace.history import Change

__all__ = ["CatalogSync", "origin_host"]

log = logging.getLogger(__name__)

_MARK = "committed_row"
_ADDRESS_RE = re.compile(r"[^\s<>@,]+@[^\s<>@,]+")


def origin_host(origin: str) -> str:
    """The host of ``--origin`` (``localhost`` without one): the default authors' mail domain."""
    return urllib.parse.urlsplit(origin).hostname or "localhost" if origin else "localhost"


class CatalogSync:
    """Commits and syncs one workspace's catalogs; every method blocks (run it off the IOLoop)."""

    def __init__(self, workspace, *, origin: str = "", remote: str = "", branch: str | None = None,
                 push_branch: str | None = None, commit_interval: float = 0.0):
        self.workspace = workspace
        self.locale_dir = os.path.abspath(workspace.store.locale_dir)
        self.host = origin_host(origin)
        self.remote = remote
        self.branch = branch
        self.push_branch = push_branch or None
        self.commit_interval = commit_interval
        self.committer = (git_sync.SITE_NAME, f"site@{self.host}")
        self._failing = False

    # -- commits ---------------------------------------------------------------

    def is_git(self) -> bool:
        try:
            toplevel(self.locale_dir)
            return True
        except (GitError, OSError):
            return False

    def commit_pending(self, window: float = 0.0) -> list[str]:
        """Commit the saves not yet committed, one commit per translator; return the commits.

        With ``window`` (``--commit_interval``), only once the oldest pending
        save is that many seconds old: what a translator saves meanwhile joins
        the same commit, so each gets at most one commit per window.
        """
        history = self.workspace.history
        top = toplevel(self.locale_dir)
        paths = [self.workspace.store.po_path(i) for i in self.workspace.store.locales()]
        with po_writer.lock_file(os.path.join(self.workspace.data_dir, "catalog-commit.lock")):
            # The catalogs' locks only while the rows and the files' bytes are
            # read (the rows then name exactly the saves the bytes hold):
            # parsing, batching and git run after, and saves go on.
            with contextlib.ExitStack() as stack:
                for path in sorted(paths):
                    stack.enter_context(po_writer.locked(path))
                rows = history.rows_after(self._committed_row())
                if not rows or rows[0]["time"] > time.time() - window:
                    return []
                snapshot = {}
                for locale in dict.fromkeys(row["locale"] for row in rows):
                    path = self.workspace.store.po_path(locale)
                    if path is not None:
                        with open(path, "rb") as fp:
                            snapshot[locale] = (path, fp.read())
            batches = self._batches(top, rows, snapshot)
            made = git_sync.commit_files(top, batches, self.committer)
            self._set_committed_row(rows[-1]["id"])
        return made

    def sync_command(self) -> list[str]:
        """:meth:`sync` as a command line (``website-catalog sync``): the server runs it as a
        process of its own, so a sync's parsing and merging never hold up a request."""
        command = [sys.executable, "-m", "website.workspace.sync_cli", f"--remote={self.remote}",
                   f"--data-dir={self.workspace.data_dir}", f"--locale-dir={self.locale_dir}",
                   f"--origin=https://{self.host}", f"--commit-interval={self.commit_interval}"]
        if self.branch:
            command.append(f"--branch={self.branch}")
        if self.push_branch:
            command.append(f"--push-branch={self.push_branch}")
        return command

    def _batches(self, top: str, rows: list[dict], snapshot: dict[str, tuple[str, bytes]]) -> list[git_sync.Batch]:
        """One commit per author; ``snapshot``: locale -> (path, the bytes read with ``rows``)."""
        by_author: dict[str, dict[str, list[dict]]] = {}
        for row in rows:
            # The one who saved it commits; an accepted suggestion's author is a co-author.
            author = row["saved_by"] or row["account"] or "workspace"
            by_author.setdefault(author, {}).setdefault(row["locale"], []).append(row)
        last_author = {}
        for author, locales in by_author.items():
            for locale in locales:
                last_author[locale] = author
        texts: dict[str, str | None] = {}  # locale -> the file as the previous batch leaves it
        batches = []
        for author, locales in by_author.items():
            files = {}
            lines = []
            for locale, changes in locales.items():
                if locale not in snapshot:
                    continue
                path, current = snapshot[locale]
                if last_author[locale] == author:
                    files[path] = current
                else:
                    files[path] = self._apply(top, path, texts.get(locale), current, changes).encode("utf-8")
                texts[locale] = files[path].decode("utf-8")
                ids = list(dict.fromkeys(r["msgid"] for r in changes))
                lines.append(f"{locale}: {len(ids)} entr{'y' if len(ids) == 1 else 'ies'}")
                lines += [f"- {msgid[:72]}" for msgid in ids[:50]]
            if files:
                subject = ", ".join(line for line in lines if not line.startswith("- "))
                message = f"{subject} (workspace)\n\n" + "\n".join(lines) + "\n"
                co_authors = sorted({r["account"] for changes in locales.values() for r in changes
                                     if r["saved_by"] and r["account"] and r["account"] != author})
                if co_authors:
                    # Trailers: the message's last paragraph, one line each (git interpret-trailers).
                    message += "\n" + "".join(f"Co-authored-by: {name} <{self._email(name)}>\n"
                                               for name in co_authors)
                batches.append(git_sync.Batch((author, self._email(author)), message, files))
        return batches

    @staticmethod
    def _apply(top: str, path: str, previous: str | None, current: bytes, changes: list[dict]) -> str:
        """The file as the previous commit left it, with these entries as the file on disk has them."""
        if previous is None:
            rel = os.path.relpath(path, top)
            shown = git(top, "show", f"HEAD:{rel}", check=False)
            if shown.returncode != 0:
                return current.decode("utf-8")
            previous = shown.stdout.decode("utf-8")
        catalog = po_writer.parse(previous)
        now = po_writer.parse(current.decode("utf-8"))
        for row in changes:
            source = now.get(row["msgid"], context=row["msgctxt"])
            target = catalog.get(row["msgid"], context=row["msgctxt"])
            if source is not None and target is not None:
                target.string = source.string
                target.flags = set(source.flags)
        return po_writer.serialize(catalog, previous)

    def _email(self, author: str) -> str:
        address = self.workspace.accounts.email(author) or ""
        # Anything that could end the <...> of an ident or a trailer's line falls back.
        return address if _ADDRESS_RE.fullmatch(address) else f"{author}@{self.host}"

    def _committed_row(self) -> int:
        row = self.workspace.db.read(lambda c: c.execute(
            "SELECT value FROM git_state WHERE name = ?", (_MARK,)).fetchone())
        if row is None:
            # First run: what the history holds now is already in the files on disk.
            return 0
        return int(row["value"])

    def _set_committed_row(self, value: int) -> None:
        self.workspace.db.write(lambda c: c.execute(
            "INSERT INTO git_state (name, value) VALUES (?, ?) "
            "ON CONFLICT(name) DO UPDATE SET value = excluded.value", (_MARK, str(value))))

    # -- sync ------------------------------------------------------------------

    def sync(self) -> git_sync.SyncReport | None:
        """One sync; None when another process is syncing these catalogs right now."""
        with self._only_one() as mine:
            if not mine:
                return None
            branch = self.branch or current_branch(self.locale_dir)
            report = git_sync.sync(self.locale_dir, remote=self.remote, branch=branch,
                                   push_branch=self.push_branch, committer=self.committer,
                                   before_fetch=lambda: self.commit_pending(self.commit_interval))
        self._record(report)
        if report.error:
            log.warning("catalog sync with %s failed: %s", self.remote, report.error)
        else:
            log.info("%s", report.summary())
        return report

    def _record(self, report: git_sync.SyncReport) -> None:
        by_locale: dict[str, list[Change]] = {}
        for path, conflict in report.kept:
            locale = locale_of_path(path)
            by_locale.setdefault(locale, []).append(Change(
                entry_id(conflict.msgctxt, conflict.msgid), conflict.msgctxt, conflict.msgid,
                before=conflict.other, after=conflict.kept))
        for locale, changes in by_locale.items():
            self.workspace.history.record(locale, changes, account=None, origin="repository")

    @contextlib.contextmanager
    def _only_one(self):
        # Every worker process runs the timer; one sync at a time does the work.
        fd = os.open(os.path.join(self.workspace.data_dir, "catalog-sync.lock"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            yield True
        finally:
            os.close(fd)
