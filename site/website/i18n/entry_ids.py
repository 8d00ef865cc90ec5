"""Entry ids: the stable name of a catalog entry, from its gettext key.

One function, used wherever an entry is named: the workspace's store and
its JSON API, the history, and the markers of translator mode (which name
the entry a rendered string came from). It lives in the runtime because the
runtime's markers need it and the runtime imports nothing above it.

>>> entry_id(None, "Hello")
'GF-NsyJx_iX1Yab8k4suJg'
>>> entry_id("navigation", "Home") != entry_id(None, "Home")
True
"""

from __future__ import annotations

import base64
import functools
import hashlib

__all__ = ["entry_id"]


@functools.lru_cache(maxsize=65536)  # every save and listing names every entry of its catalog
def entry_id(msgctxt: str | None, msgid: str) -> str:
    """A stable, URL-safe id for an entry: base64url of a hash of its gettext key."""
    key = msgid if msgctxt is None else f"{msgctxt}\x04{msgid}"
    return base64.urlsafe_b64encode(hashlib.sha256(key.encode("utf-8")).digest()[:16]).decode().rstrip("=")
