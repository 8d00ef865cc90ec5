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

__all__ = ["write_atomically", "temporaries_of", "remove_stale_temporaries"]


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
    temporary = os.path.join(directory, f".{os.path.basename(path)}.{os.getpid()}-{secrets.token_hex(6)}.tmp")
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
