"""Writing a file so that no reader and no crash ever sees part of it.

The one way this package replaces a file it others read while it runs: the
workspace's ``.po`` saves, the compiled ``.mo`` and verdicts (which every
worker's reloader polls), the pseudo-locale catalogs. It imports nothing of
the package, so every layer may use it.

A temporary is named ``.<name>.<pid>-<random>.tmp``; each write first
removes those of the same file whose process is gone (a writer killed
between write and rename), never a live writer's.

>>> import tempfile
>>> path = os.path.join(tempfile.mkdtemp(), "a.txt")
>>> write_atomically(path, b"one"); write_atomically(path, b"two")
>>> open(path, "rb").read()
b'two'
"""

from __future__ import annotations

import contextlib
import glob
import os
import secrets

__all__ = ["write_atomically", "write_atomically_together", "temporaries_of", "remove_stale_temporaries"]


def temporaries_of(path: str | os.PathLike) -> list[str]:
    """The temporaries :func:`write_atomically` left beside ``path`` (a crash's, or in progress)."""
    directory, name = os.path.split(os.path.abspath(path))
    return glob.glob(os.path.join(glob.escape(directory), glob.escape(f".{name}.") + "*.tmp"))


def remove_stale_temporaries(path: str | os.PathLike) -> None:
    """Remove the temporaries of ``path`` whose writing process no longer runs."""
    for temporary in temporaries_of(path):
        pid = temporary.rsplit(".", 2)[-2].partition("-")[0]
        if pid.isdigit() and not _running(int(pid)):
            with contextlib.suppress(OSError):
                os.remove(temporary)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def _temporary_of(path: str) -> str:
    directory, name = os.path.split(os.path.abspath(path))
    return os.path.join(directory, f".{name}.{os.getpid()}-{secrets.token_hex(6)}.tmp")


def write_atomically(path: str | os.PathLike, data: bytes) -> None:
    """Replace ``path`` by ``data``: after a crash at any moment, the old file or the new, never part.

    A temporary file beside it, ``fsync``, ``rename`` over the original,
    ``fsync`` of the directory (so the rename itself survives a power cut).
    The file keeps its permissions; a new one gets the umask's, as ``open``
    would give it.
    """
    path = os.fspath(path)
    remove_stale_temporaries(path)
    directory = os.path.dirname(os.path.abspath(path))
    temporary = _temporary_of(path)
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as fp:
            fp.write(data)
            fp.flush()
            os.fsync(fp.fileno())
        with contextlib.suppress(OSError):
            os.chmod(temporary, os.stat(path).st_mode & 0o777)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(temporary)
        raise
    directory_fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(directory_fd)
    finally:
        os.close(directory_fd)


def write_atomically_together(files: dict) -> None:
    """:func:`write_atomically` of several files (path -> data), flushed to disk in one go.

    Every file is written before the first ``fsync`` (the file system then
    commits them together) and each directory is synced once: a compiled
    catalog and its verdict cost one disk flush, not two. Each file is the
    old one or the new one after a crash, never part; they are renamed in
    the order given, so a reader may see the first new and the next still
    old, as with two calls.
    """
    pending = []  # [fd or None, temporary, path]
    try:
        for path, data in files.items():
            path = os.fspath(path)
            remove_stale_temporaries(path)
            temporary = _temporary_of(path)
            pending.append([os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), temporary, path])
            view = memoryview(data)
            while view:
                view = view[os.write(pending[-1][0], view):]
        for item in pending:
            os.fsync(item[0])
        for item in pending:
            os.close(item[0])
            item[0] = None
        while pending:
            _fd, temporary, path = pending[0]
            with contextlib.suppress(OSError):
                os.chmod(temporary, os.stat(path).st_mode & 0o777)
            os.replace(temporary, path)
            directory = os.path.dirname(os.path.abspath(path))
            pending.pop(0)
            if not any(os.path.dirname(os.path.abspath(p)) == directory for _f, _t, p in pending):
                directory_fd = os.open(directory, os.O_RDONLY)
                try:
                    os.fsync(directory_fd)
                finally:
                    os.close(directory_fd)
    except BaseException:
        for fd, temporary, _path in pending:
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)
            with contextlib.suppress(OSError):
                os.remove(temporary)
        raise

