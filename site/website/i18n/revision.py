"""Which git commit the catalogs on disk come from: the ``.catalog-revision`` file.

``website-catalog pull`` and the workspace's sync write it
(:func:`website.toolchain.git_catalogs.write_revision`) after they bring
``locale/`` to a commit and compile it; ``GET /healthz`` reads it, so an
operator can see that every host serves the same revision.

>>> import tempfile
>>> folder = tempfile.mkdtemp()
>>> read_revision(folder) is None
True
>>> _ = open(os.path.join(folder, REVISION_FILE), "w").write("0123abcd" * 5)
>>> read_revision(folder)
'0123abcd0123abcd0123abcd0123abcd0123abcd'
"""

from __future__ import annotations

import os
import re

__all__ = ["REVISION_FILE", "read_revision"]

REVISION_FILE = ".catalog-revision"
_COMMIT_RE = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


def read_revision(locale_dir: str | os.PathLike) -> str | None:
    """The commit ``locale_dir`` was last brought to, or None when unknown."""
    try:
        with open(os.path.join(locale_dir, REVISION_FILE), encoding="ascii") as fp:
            value = fp.read().strip()
    except (OSError, UnicodeDecodeError):
        return None
    return value if _COMMIT_RE.fullmatch(value) else None
