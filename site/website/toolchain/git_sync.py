"""Syncing a checkout's catalogs with a remote: commit, fetch, integrate, compile, push.

The cycle (:func:`sync`), Pontoon's and Weblate's without their traps:

1. the caller's pending edits are committed first (:func:`commit_files`:
   one commit per batch, authored by its translator, committed by the site,
   through a temporary index, touching only the files it names);
2. ``git fetch`` the branch;
3. upstream's commits are integrated with ``git merge``, with the catalogs'
   merge driver (:mod:`website.toolchain.po_merge`, entry by entry: ours,
   the workspace's, wins a translation both sides changed) named on the
   command line, so it holds in a clone without ``make git-setup``; the
   entries both sides changed are returned for the caller to record; a save
   that landed after step 1 in a file upstream changed is set aside for the
   merge and merged again on top of its result;
4. when upstream's ``messages.pot`` changed, the catalogs are merged with it
   (``website-catalog update``'s code) and that is committed;
5. what changed is compiled; then ``git push``, which on rejection fetches
   and integrates again, a bounded number of times. Never ``--force``.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import sys
import tempfile

from website.files import write_atomically
from website.toolchain import catalog_setup, compiling, po_merge, po_writer
from website.toolchain.git_catalogs import GitError, git, write_revision

__all__ = ["Batch", "SyncReport", "commit_files", "sync", "SITE_NAME", "summary_line"]

log = logging.getLogger(__name__)

SITE_NAME = "Languages of the World site"
PUSH_ATTEMPTS = 3


@dataclasses.dataclass
class Batch:
    """One commit to make: who wrote it, what it says, the files' new contents by path."""

    author: tuple[str, str]  # (name, email)
    message: str
    files: dict[str, bytes]


@dataclasses.dataclass
class SyncReport:
    commits_pushed: int = 0
    from_upstream: int = 0
    kept: list[tuple[str, po_merge.Conflict]] = dataclasses.field(default_factory=list)  # (po path, conflict)
    lost: int = 0
    revision: str | None = None
    error: str = ""

    def summary(self) -> str:
        return summary_line(self)


def summary_line(report: SyncReport) -> str:
    """``sync: C commits pushed, U entries from upstream, K kept from the workspace, 0 lost``."""
    return (f"sync: {report.commits_pushed} commits pushed, {report.from_upstream} entries from upstream, "
            f"{len(report.kept)} kept from the workspace, {report.lost} lost")


def _identity(kind: str, name: str, email: str) -> dict:
    return {f"GIT_{kind}_NAME": name, f"GIT_{kind}_EMAIL": email}


def _out(top, *args, **kwargs) -> str:
    return git(top, *args, **kwargs).stdout.decode("utf-8").strip()


def commit_files(top: str, batches: list[Batch], committer: tuple[str, str]) -> list[str]:
    """Commit each batch on HEAD (only its files), in order; return the new commits.

    A temporary index: whatever else the checkout has staged stays out, and
    HEAD moves by compare-and-swap (``update-ref NEW OLD``).
    """
    made = []
    for batch in batches:
        head = _out(top, "rev-parse", "HEAD")
        with tempfile.TemporaryDirectory() as folder:
            env = {"GIT_INDEX_FILE": os.path.join(folder, "index")}
            git(top, "read-tree", head, env=env)
            for path, data in batch.files.items():
                blob = _out(top, "hash-object", "-w", "--stdin", input=data)
                rel = os.path.relpath(path, top).replace(os.sep, "/")
                git(top, "update-index", "--add", "--cacheinfo", f"100644,{blob},{rel}", env=env)
            tree = _out(top, "write-tree", env=env)
        if tree == _out(top, "rev-parse", f"{head}^{{tree}}"):
            continue  # nothing to commit: the files are as HEAD has them
        env = {**_identity("AUTHOR", *batch.author), **_identity("COMMITTER", *committer)}
        commit = _out(top, "commit-tree", tree, "-p", head, "-m", batch.message, env=env)
        git(top, "update-ref", "-m", "catalog commit", "HEAD", commit, head)
        made.append(commit)
    if made:
        # The real index follows HEAD for these files (the work tree already holds them).
        paths = sorted({os.path.relpath(p, top) for b in batches for p in b.files})
        git(top, "reset", "-q", "HEAD", "--", *paths)
    return made


def _driver() -> str:
    # The running interpreter's own CLI: the driver works in any clone, venv on PATH or not.
    return f"{sys.executable} -m website.toolchain.cli merge-po %O %A %B %P"


def _blob_text(top: str, commit: str, rel: str) -> str | None:
    result = git(top, "show", f"{commit}:{rel}", check=False)
    return result.stdout.decode("utf-8") if result.returncode == 0 else None


def _changed_files(top: str, old: str, new: str, prefix: str) -> list[str]:
    names = _out(top, "diff", "--name-only", "-z", old, new, "--", prefix).split("\0")
    return [n for n in names if n]


def integrate(top: str, prefix: str, upstream: str, committer: tuple[str, str],
              report: SyncReport) -> list[str]:
    """Bring ``upstream`` into HEAD; return the paths (absolute) under ``prefix`` that changed."""
    head = _out(top, "rev-parse", "HEAD")
    if git(top, "merge-base", "--is-ancestor", upstream, head, check=False).returncode == 0:
        return []
    base = _out(top, "merge-base", head, upstream)
    ours = set(_changed_files(top, base, head, prefix))
    # Only what upstream changed reaches the working tree: a file only we
    # changed is left as it is, neither parsed nor locked here.
    theirs = _changed_files(top, base, upstream, prefix)
    for rel in theirs:
        if not rel.endswith(".po"):
            continue
        head_text, upstream_text = _blob_text(top, head, rel), _blob_text(top, upstream, rel) or ""
        if rel in ours:
            merged = po_merge.merge(_blob_text(top, base, rel), head_text or "", upstream_text)
            report.kept += [(os.path.join(top, rel), c) for c in merged.conflicts]
            result = merged.catalog if merged.catalog is not None else po_writer.parse(merged.text)
        else:
            # Changed upstream only: git takes upstream's file as it is, and so does the count.
            result = po_writer.parse(upstream_text)
        report.from_upstream += _from_upstream(head_text, result)
    po_paths = [os.path.join(top, rel) for rel in theirs if rel.endswith(".po")]
    _ensure_attributes(top)
    env = {**_identity("AUTHOR", *committer), **_identity("COMMITTER", *committer)}
    with _all_locked(po_paths):
        # A save may have landed since the caller's commit: git would refuse
        # to merge over it. The file is set back to HEAD's for the merge and
        # the save merged again on top of the result, under the same locks.
        landed = _set_aside(top, po_paths)
        result = git(top, "-c", "merge.website-po.name=catalogs entry by entry",
                     "-c", f"merge.website-po.driver={_driver()}",
                     "merge", "--no-edit", "-q", "-m", f"Merge {prefix}/ from the repository", upstream,
                     env=env, check=False)
        if result.returncode != 0:
            git(top, "merge", "--abort", check=False)
            for path, (_committed, data) in landed.items():
                write_atomically(path, data)
            raise GitError("git merge: " + (result.stderr or result.stdout).decode("utf-8", "replace").strip())
        for path, (committed, data) in landed.items():
            with open(path, "rb") as fp:
                merged = fp.read()
            # base: what the merge started from; ours: the save; theirs: the merge's result.
            again = po_merge.merge(committed.decode("utf-8"), data.decode("utf-8"), merged.decode("utf-8"))
            report.kept += [(path, c) for c in again.conflicts]
            po_writer.write_text(path, again.text)
    pot = f"{prefix}/messages.pot"
    if pot in theirs:
        # Upstream changed the template: every catalog takes it (make update's code).
        everything = _catalogs(os.path.join(top, prefix))
        updated = catalog_setup.update_catalogs(everything, template=os.path.join(top, pot))
        if updated:
            commit_files(top, [Batch(committer, f"Catalogs merged with {pot}",
                                     {p: open(p, "rb").read() for p in updated})], committer)
        return sorted(set(po_paths) | set(everything))
    return [os.path.join(top, rel) for rel in theirs]


def _set_aside(top: str, paths: list[str]) -> dict[str, tuple[bytes, bytes]]:
    """Put back HEAD's version of each of ``paths`` git sees changed; return path -> (HEAD's, the file's).

    The caller holds the files' locks, and the saves it set aside are still
    the workspace's to commit (their history rows are after its mark).
    """
    if not paths:
        return {}
    rels = [os.path.relpath(p, top).replace(os.sep, "/") for p in paths]
    dirty = [n for n in _out(top, "diff", "--name-only", "-z", "HEAD", "--", *rels).split("\0") if n]
    landed = {}
    for rel in dirty:
        path = os.path.join(top, rel)
        shown = git(top, "cat-file", "--filters", f"HEAD:{rel}", check=False)
        if shown.returncode != 0 or not os.path.exists(path):
            continue  # new or removed here: git's own refusal says what to do
        with open(path, "rb") as fp:
            landed[path] = (shown.stdout, fp.read())
        write_atomically(path, shown.stdout)
    return landed


def _from_upstream(ours: str | None, merged) -> int:
    """How many entries the merge changed in ours (translations or sources): upstream's."""
    if ours is None:
        return len([m for m in merged if m.id])
    before = {po_merge.key_of(m): (po_merge.translation_of(m), tuple(m.locations))
              for m in po_writer.parse(ours) if m.id}
    after = {po_merge.key_of(m): (po_merge.translation_of(m), tuple(m.locations)) for m in merged if m.id}
    return sum(1 for k, v in after.items() if before.get(k) != v) + sum(1 for k in before if k not in after)


class _all_locked:
    """Every catalog's lock, in path order (no two syncs or saves deadlock)."""

    def __init__(self, paths):
        self._locks = [po_writer.locked(p) for p in sorted(set(paths))]

    def __enter__(self):
        for lock in self._locks:
            lock.__enter__()

    def __exit__(self, *exc):
        for lock in reversed(self._locks):
            lock.__exit__(*exc)


def _ensure_attributes(top: str) -> None:
    # A clone whose .gitattributes lacks the line still merges catalogs entry by entry.
    info = os.path.join(_out(top, "rev-parse", "--git-common-dir"), "info")
    path = os.path.join(top, info) if not os.path.isabs(info) else info
    os.makedirs(path, exist_ok=True)
    attributes = os.path.join(path, "attributes")
    line = "*.po merge=website-po\n*.pot merge=website-po\n"
    try:
        with open(attributes, encoding="utf-8") as fp:
            if line in fp.read():
                return
    except FileNotFoundError:
        pass
    with open(attributes, "a", encoding="utf-8") as fp:
        fp.write(line)


def _catalogs(locale_dir: str) -> list[str]:
    return [os.path.join(locale_dir, n, "LC_MESSAGES", "messages.po") for n in sorted(os.listdir(locale_dir))
            if os.path.isfile(os.path.join(locale_dir, n, "LC_MESSAGES", "messages.po"))]


def sync(locale_dir: str, *, remote: str, branch: str, push_branch: str | None = None,
         committer: tuple[str, str], before_fetch=None) -> SyncReport:
    """Fetch, integrate, compile and push ``locale_dir``'s checkout; see the module's docstring.

    ``before_fetch()`` (the workspace's pending commits) runs first, each attempt.
    Failures are in ``report.error``, never raised.
    """
    report = SyncReport()
    locale_dir = os.path.abspath(locale_dir)
    try:
        top = _out(locale_dir, "rev-parse", "--show-toplevel")
        prefix = os.path.relpath(locale_dir, top).replace(os.sep, "/")
        target = push_branch or branch
        for attempt in range(PUSH_ATTEMPTS):
            if before_fetch is not None:
                before_fetch()
            git(top, "fetch", "-q", remote, f"refs/heads/{branch}")
            upstream = _out(top, "rev-parse", "FETCH_HEAD^{commit}")
            changed = integrate(top, prefix, upstream, committer, report)
            pos = [p for p in changed if p.endswith(".po") and os.path.exists(p)]
            if pos:
                compiling.compile_catalogs(pos)
            head = _out(top, "rev-parse", "HEAD")
            remote_target = upstream
            if target != branch:
                fetched = git(top, "fetch", "-q", remote, f"refs/heads/{target}", check=False)
                if fetched.returncode == 0:
                    remote_target = _out(top, "rev-parse", "FETCH_HEAD^{commit}")
            count = int(_out(top, "rev-list", "--count", f"{remote_target}..{head}"))
            if count == 0:
                report.revision = head
                break
            pushed = git(top, "push", "-q", remote, f"HEAD:refs/heads/{target}", check=False)
            if pushed.returncode == 0:
                report.commits_pushed += count
                report.revision = head
                break
            message = pushed.stderr.decode("utf-8", "replace")
            if "rejected" not in message and "fetch first" not in message and "non-fast-forward" not in message:
                raise GitError("git push: " + message.strip().split("\n")[-1])
            log.info("push to %s rejected (attempt %d): integrating again", remote, attempt + 1)
        else:
            raise GitError(f"git push: still rejected after {PUSH_ATTEMPTS} attempts")
        if report.revision:
            write_revision(locale_dir, report.revision)
    except (GitError, OSError) as error:
        report.error = str(error)
    return report
