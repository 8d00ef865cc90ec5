"""The one writer of ``.po`` files: one lock per file, atomic writes, one serialization.

Every path that changes a catalog comes through here: the workspace's saves
and uploads, ``website-catalog update`` / ``init`` / ``fix-plurals`` (and so
``make update`` / ``make init``), the contact headers, the merge driver and
the sync. So two writers never interleave (:func:`locked`), a crash leaves
the old file or the new one (:func:`website.files.write_atomically`), and
every writer produces the same bytes for the same catalog:

- Babel's writer at :data:`WRAP_WIDTH` (pybabel's default width), which
  reads back and writes out the committed catalogs byte for byte;
- headers change only when their meaning does: ``Generated-By`` keeps the
  text it had (a newer Babel would otherwise touch every file), and a
  Plural-Forms header that already picks CLDR's form for every integer is
  left as it is spelled.

So one new string, after ``make extract && make update``, changes in each
``.po`` only that entry and ``POT-Creation-Date``.

>>> import tempfile, os
>>> from babel.messages.catalog import Catalog
>>> path = os.path.join(tempfile.mkdtemp(), "messages.po")
>>> catalog = Catalog(locale="fr"); _ = catalog.add("Hello", "Bonjour")
>>> write_catalog(path, catalog)
True
>>> write_catalog(path, read_catalog(path))  # the same catalog: nothing written
False
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import os
import re
from collections.abc import Callable, Iterator

from babel.messages import catalog as babel_catalog
from babel.messages import pofile as babel_pofile

from website.files import write_atomically
from website.i18n import plural_forms

__all__ = [
    "WRAP_WIDTH",
    "locked",
    "lock_file",
    "lock_path",
    "read_catalog",
    "parse",
    "serialize",
    "write_text",
    "write_catalog",
    "change_catalog",
    "equivalent_plural_forms",
]

WRAP_WIDTH = 76  # pybabel's, so a save or an update never rewraps the whole file

_GENERATED_BY_RE = re.compile(r'^"Generated-By: [^"\n]*\\n"$', re.MULTILINE)


def lock_path(path: str | os.PathLike) -> str:
    """The lock file beside a catalog: ``messages.po.lock``."""
    return os.fspath(path) + ".lock"


def locked(path: str | os.PathLike) -> contextlib.AbstractContextManager[None]:
    """Hold the catalog's exclusive lock (on :func:`lock_path`) for the block.

    Not re-entrant: a holder must not take it again.
    """
    return lock_file(lock_path(path))


@contextlib.contextmanager
def lock_file(path: str | os.PathLike) -> Iterator[None]:
    """Hold an exclusive ``flock`` on the file ``path`` (created if needed) for the block.

    It holds across threads and processes because each holder opens its own
    file description. (What a writer killed under the lock leaves behind,
    :func:`website.files.write_atomically` removes at the next write.)
    """
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def parse(text: str, locale: str | None = None) -> babel_catalog.Catalog:
    """A catalog's text as a Babel :class:`~babel.messages.catalog.Catalog`."""
    return babel_pofile.read_po(io.StringIO(text), locale=locale)


def read_catalog(path: str | os.PathLike, locale: str | None = None) -> babel_catalog.Catalog:
    """The catalog at ``path``, read with Babel's reader."""
    with open(path, encoding="utf-8") as fp:
        return parse(fp.read(), locale)


def serialize(catalog: babel_catalog.Catalog, previous: str | None = None, *,
              omit_header: bool = False) -> str:
    """The one text of ``catalog``; ``previous`` is the file's text it replaces, if any.

    Headers whose meaning is unchanged keep their text from ``previous``.
    """
    old = parse(previous) if previous else None
    if old is not None:
        old_header = old.plural_forms
        if old_header != catalog.plural_forms and equivalent_plural_forms(
                old_header, catalog.plural_forms, str(catalog.locale or old.locale or "")):
            catalog.mime_headers = [("Plural-Forms", old_header)]
    buffer = io.BytesIO()
    babel_pofile.write_po(buffer, catalog, width=WRAP_WIDTH, omit_header=omit_header)
    text = buffer.getvalue().decode("utf-8")
    if previous:
        kept = _GENERATED_BY_RE.search(previous)
        if kept:
            text = _GENERATED_BY_RE.sub(lambda _m: kept[0], text, count=1)
    return text


def equivalent_plural_forms(old: str, new: str, gettext_id: str) -> bool:
    """True when ``old`` picks the same form as ``new`` for every integer CLDR's rules are checked on."""
    if old == new:
        return True
    try:
        old_n, _ = plural_forms.parse_header(old)
        new_n, _ = plural_forms.parse_header(new)
    except ValueError:
        return False
    if old_n != new_n or not gettext_id:
        return False
    try:
        return not plural_forms.header_mismatches(old, gettext_id) and \
            not plural_forms.header_mismatches(new, gettext_id)
    except (ValueError, LookupError):
        return False


def write_text(path: str | os.PathLike, text: str) -> bool:
    """Write ``text`` atomically unless the file holds it already; True if written.

    The caller holds :func:`locked` (or the file is new and its own).
    """
    try:
        with open(path, encoding="utf-8") as fp:
            if fp.read() == text:
                return False
    except FileNotFoundError:
        pass
    write_atomically(path, text.encode("utf-8"))
    return True


def write_catalog(path: str | os.PathLike, catalog: babel_catalog.Catalog) -> bool:
    """Replace the catalog at ``path`` by ``catalog``, under its lock; True if the file changed."""
    with locked(path):
        return _write_locked(path, catalog)


def _write_locked(path, catalog) -> bool:
    try:
        with open(path, encoding="utf-8") as fp:
            previous = fp.read()
    except FileNotFoundError:
        previous = None
    return write_text(path, serialize(catalog, previous))


def change_catalog(path: str | os.PathLike, change: Callable[[babel_catalog.Catalog], object],
                   locale: str | None = None) -> bool:
    """Lock, read, let ``change`` alter the catalog in place, write; True if the file changed."""
    with locked(path):
        with open(path, encoding="utf-8") as fp:
            previous = fp.read()
        catalog = parse(previous, locale)
        change(catalog)
        return write_text(path, serialize(catalog, previous))
