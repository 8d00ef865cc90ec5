"""The catalogs and git: running ``git``, and ``website-catalog pull``.

Git is driven as a program (the ``git`` CLI through :mod:`subprocess`): its
own merge, fetch and push semantics, its credentials and configuration,
nothing re-implemented. Nothing here ever forces anything.

:func:`pull` is what a read-only web host runs (every minute, from
``deploy/systemd/website-catalog-pull.timer``): fetch the branch, bring
``locale/`` (and nothing else) to its version, file by file through the
catalog writer (locked, atomic), compile what changed, and record the
commit (:mod:`website.i18n.revision`). The running servers' reloaders swap
the new catalogs in within about a second; HEAD and the rest of the tree
are never touched.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess

from website.files import write_atomically
from website.i18n.revision import REVISION_FILE, read_revision
from website.toolchain import compiling, po_writer

__all__ = ["GitError", "git", "toplevel", "current_branch", "pull", "Pulled", "bring_to", "write_revision"]


class GitError(RuntimeError):
    """A git command failed; the message is git's own last line."""


def git(cwd: str | os.PathLike, *args: str, input: bytes | None = None,
        env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
    """Run ``git args`` in ``cwd``; :class:`GitError` when it fails (with ``check``)."""
    result = subprocess.run(["git", *args], cwd=cwd, input=input, capture_output=True,
                            env={**os.environ, "GIT_TERMINAL_PROMPT": "0", **(env or {})})
    if check and result.returncode != 0:
        message = (result.stderr or result.stdout).decode("utf-8", "replace").strip().split("\n")
        raise GitError(f"git {args[0]}: {message[-1] if message else 'failed'}")
    return result


def _out(cwd, *args: str) -> str:
    return git(cwd, *args).stdout.decode("utf-8").strip()


def toplevel(path: str | os.PathLike) -> str:
    """The top of the git working tree holding ``path``."""
    return _out(path, "rev-parse", "--show-toplevel")


def current_branch(path: str | os.PathLike) -> str:
    """The checked-out branch's name; :class:`GitError` on a detached HEAD."""
    return _out(path, "symbolic-ref", "--short", "HEAD")


@dataclasses.dataclass
class Pulled:
    revision: str
    changed: list[str]  # paths under locale/ written or removed
    compiled_ok: bool = True


def pull(locale_dir: str | os.PathLike, *, remote: str = "origin", branch: str | None = None,
         compile: bool = True) -> Pulled:
    """Bring ``locale_dir`` to the version of ``remote``'s ``branch``; compile what changed."""
    locale_dir = os.path.abspath(locale_dir)
    top = toplevel(locale_dir)
    prefix = os.path.relpath(locale_dir, top).replace(os.sep, "/")
    branch = branch or current_branch(top)
    git(top, "fetch", "--quiet", remote, f"refs/heads/{branch}")
    commit = _out(top, "rev-parse", "FETCH_HEAD^{commit}")
    previous = read_revision(locale_dir) or _out(top, "rev-parse", "HEAD")
    changed = bring_to(top, prefix, commit, previous)
    ok = True
    if compile:
        pos = [p for p in changed if p.endswith(".po") and os.path.exists(p)]
        if any(p.endswith(".pot") for p in changed):
            pos = _all_catalogs(locale_dir)  # every verdict counts against the template
        if pos:
            ok = compiling.compile_catalogs(pos).ok
    write_revision(locale_dir, commit)
    return Pulled(commit, changed, ok)


def bring_to(top: str, prefix: str, commit: str, previous: str | None) -> list[str]:
    """Make the files under ``prefix`` those of ``commit``; return the absolute paths changed.

    Files that ``previous`` had there and ``commit`` has not are removed.
    """
    wanted = _tree(top, commit, prefix)
    had = _tree(top, previous, prefix) if previous else {}
    changed = []
    for name, blob in wanted.items():
        path = os.path.join(top, name)
        data = git(top, "cat-file", "blob", blob).stdout
        if _read(path) == data:
            continue
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if path.endswith(".po"):
            with po_writer.locked(path):
                write_atomically(path, data)
        else:
            write_atomically(path, data)
        changed.append(path)
    for name in had.keys() - wanted.keys():
        path = os.path.join(top, name)
        if os.path.exists(path):
            os.remove(path)
            changed.append(path)
    return changed


def write_revision(locale_dir: str | os.PathLike, commit: str) -> None:
    """Record that ``locale_dir`` now holds ``commit``'s catalogs (for ``/healthz``)."""
    write_atomically(os.path.join(locale_dir, REVISION_FILE), (commit + "\n").encode("ascii"))


def _tree(top: str, commit: str, prefix: str) -> dict[str, str]:
    """path -> blob id of every file under ``prefix`` in ``commit``."""
    result = git(top, "ls-tree", "-r", "-z", "--full-tree", commit, "--", prefix, check=False)
    if result.returncode != 0:
        return {}
    files = {}
    for record in result.stdout.decode("utf-8").split("\0"):
        if record:
            meta, _, name = record.partition("\t")
            files[name] = meta.split()[2]
    return files


def _read(path: str) -> bytes | None:
    try:
        with open(path, "rb") as fp:
            return fp.read()
    except FileNotFoundError:
        return None


def _all_catalogs(locale_dir: str) -> list[str]:
    from_dirs = []
    for name in sorted(os.listdir(locale_dir)):
        path = os.path.join(locale_dir, name, "LC_MESSAGES", "messages.po")
        if os.path.isfile(path):
            from_dirs.append(path)
    return from_dirs
