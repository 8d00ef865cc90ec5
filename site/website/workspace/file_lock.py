"""One writer per catalog at a time, across threads and processes.

The lock is the catalog writer's (:func:`website.toolchain.po_writer.lock_file`):
the workspace, ``make update`` and the sync take the same one.
"""

from __future__ import annotations

from website.toolchain.po_writer import lock_file as locked

__all__ = ["locked"]
