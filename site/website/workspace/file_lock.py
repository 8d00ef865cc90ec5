"""One writer per catalog at a time, across threads and processes.

An exclusive ``fcntl.flock`` on ``messages.po.lock`` beside the catalog: it
holds across threads and processes because each holder opens its own file
description. (What a writer killed under the lock leaves behind,
:func:`website.files.write_atomically` removes at the next write.)
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator

__all__ = ["locked"]


@contextlib.contextmanager
def locked(path: str) -> Iterator[None]:
    """Hold an exclusive lock on the file ``path`` (created if needed) for the block."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock
