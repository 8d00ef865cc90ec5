"""One writer per catalog at a time, across threads and processes.

An exclusive ``fcntl.flock`` on ``messages.po.lock`` beside the catalog: it
holds across threads and processes because each holder opens its own file
description. Under the lock, the temporaries a killed writer left behind
(:func:`website.files.write_atomically` names them) are removed.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator

from website.files import temporaries_of

__all__ = ["locked", "remove_stale_temporaries"]


@contextlib.contextmanager
def locked(path: str) -> Iterator[None]:
    """Hold an exclusive lock on the file ``path`` (created if needed) for the block."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def remove_stale_temporaries(path: str) -> None:
    """Remove the temporaries of interrupted writes of ``path``; call it holding its lock."""
    # Only the holder of the lock writes temporaries, so under the lock any
    # left over were a writer's that was killed between write and rename.
    for leftover in temporaries_of(path):
        with contextlib.suppress(OSError):
            os.remove(leftover)
