"""Writing a catalog's ``.mo``: the translations visitors will see, and nothing else.

Why not ``pybabel compile``: it writes every *untranslated plural* entry into
the ``.mo`` with the English singular as form 0 and the English plural as the
other forms (Babel's ``write_mo`` keeps any plural message, since a tuple of
empty strings is truthy: Babel issue 697, still open in 2.18). gettext then
returns them as if translated and picks among them with the target language's
rule: Japanese showed "5 page", Russian "21 page", Arabic "1 pages". GNU
``msgfmt`` leaves such entries out, so the caller's fallback (the source text
with the source language's rule) applies. Here the catalog is read with Babel,
every entry that is not fully translated, or is fuzzy, is dropped, and Babel's
own ``write_mo`` writes the rest; the ``.mo`` then holds exactly what
``msgfmt`` would.

>>> from babel.messages.catalog import Catalog
>>> catalog = Catalog(locale="ja")
>>> _ = catalog.add(("%(n)s page", "%(n)s pages"), ("",))
>>> _ = catalog.add("Home", "ホーム")
>>> _ = catalog.add("Later", "Plus tard", flags=["fuzzy"])
>>> [m.id for m in servable(catalog) if m.id]
['Home']
"""

from __future__ import annotations

import io
import os

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

__all__ = ["servable", "write_mo_file"]


def _translated(message) -> bool:
    if isinstance(message.string, (list, tuple)):
        return bool(message.string) and all(message.string)
    return bool(message.string)


def servable(catalog: Catalog) -> Catalog:
    """``catalog`` without its fuzzy and untranslated entries (the header stays)."""
    for message in list(catalog):
        if message.id and (message.fuzzy or not _translated(message)):
            catalog.delete(message.id, context=message.context)
    return catalog


def write_mo_file(po_path: str, mo_path: str) -> None:
    """Compile the ``.po`` at ``po_path`` to ``mo_path``, translated entries only.

    Written beside the target, then renamed over it: a running server polling
    for changes never reads a half-written catalog. Raises ``OSError`` or
    Babel's errors for an unreadable file (callers check catalogs first).
    """
    with open(po_path, "rb") as fp:
        catalog = read_po(fp)
    # The header entry may carry "#, fuzzy" (a fresh `pybabel init` does);
    # it is metadata, never a translation, and must be written.
    buffer = io.BytesIO()
    write_mo(buffer, servable(catalog))
    partial = f"{mo_path}.{os.getpid()}.partial"
    try:
        with open(partial, "wb") as fp:
            fp.write(buffer.getvalue())
        os.replace(partial, mo_path)
    finally:
        if os.path.exists(partial):
            os.remove(partial)
