"""Writing changed entries back into a catalog's text, touching nothing else.

A save replaces the changed entries' blocks in the file's text
(:func:`splice`): each block is what Babel's writer (the one ``make update``
uses) makes of the entry before and after the change, so every other byte
of the file stays as it was and a diff shows only the entries that changed.
When that is not safe, :func:`rewrite` writes the whole catalog in the one
serialization (:func:`website.toolchain.po_writer.serialize`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

import polib
from babel.messages import catalog as babel_catalog

from website.toolchain import po_writer
from website.toolchain.po_writer import WRAP_WIDTH

__all__ = ["splice", "splice_lines", "rewrite", "WRAP_WIDTH"]

_REVISION_RE = re.compile(r'^"PO-Revision-Date: [^"\n]*\\n"$', re.MULTILINE)

#: A changed entry: the polib entry (holding the new value), its value before and after.
Changed = tuple[polib.POEntry, dict, dict]


def splice(text: str, changed: Iterable[Changed], plural_forms_header: str, now: dt.datetime) -> str | None:
    """``text`` with the changed entries' blocks replaced, or None when that is not safe.

    Each old block must be found exactly once, at the start of a block.
    """
    spliced = splice_lines(text, changed, plural_forms_header, now)
    return spliced[0] if spliced is not None else None


def splice_lines(text: str, changed: Iterable[Changed], plural_forms_header: str,
                 now: dt.datetime) -> tuple[str, list[tuple[int, int]]] | None:
    """:func:`splice`, and for each changed entry ``(its line, lines its block gained)``.

    A parse of the old text is one of the new text once every entry below a
    changed one has moved by the lines its block gained (or lost).
    """
    shifts = []
    for entry, before, after in changed:
        if entry.previous_msgid or entry.previous_msgctxt or entry.previous_msgid_plural:
            return None  # "#|" lines are dropped by Babel's writer: let it rewrite everything
        old = _block(_message(entry, before), plural_forms_header)
        new = _block(_message(entry, after), plural_forms_header)
        # Blocks are separated by a blank line: anchoring on it means a block
        # without comments is never found inside another one (after its msgctxt).
        if text.count("\n\n" + old) != 1:
            return None
        text = text.replace("\n\n" + old, "\n\n" + new, 1)
        shifts.append((entry.linenum, new.count("\n") - old.count("\n")))
    stamp = f'"PO-Revision-Date: {now.strftime("%Y-%m-%d %H:%M+0000")}\\n"'
    return _REVISION_RE.sub(lambda _match: stamp, text, count=1), shifts


def rewrite(text: str, changed: Iterable[Changed], now: dt.datetime) -> str:
    """The whole catalog written again by the catalog writer, with the changes."""
    catalog = po_writer.parse(text)
    for entry, _before, value in changed:
        message = catalog.get(entry.msgid, context=entry.msgctxt)
        message.string = tuple(value["translation"]) if entry.msgid_plural else value["translation"][0]
        if value["fuzzy"]:
            message.flags.add("fuzzy")
        else:
            message.flags.discard("fuzzy")
            message.previous_id = []
    catalog.revision_date = now
    return po_writer.serialize(catalog, text)


def _message(entry: polib.POEntry, value: dict) -> babel_catalog.Message:
    """The Babel message of a polib entry holding ``value``, for Babel's writer."""
    flags = [f for f in entry.flags if f != "fuzzy"] + (["fuzzy"] if value["fuzzy"] else [])
    locations = [(path, int(line) if line.isdigit() else None) for path, line in entry.occurrences]
    return babel_catalog.Message(
        (entry.msgid, entry.msgid_plural) if entry.msgid_plural else entry.msgid,
        tuple(value["translation"]) if entry.msgid_plural else value["translation"][0],
        locations=locations, flags=flags,
        auto_comments=entry.comment.split("\n") if entry.comment else [],
        user_comments=entry.tcomment.split("\n") if entry.tcomment else [],
        context=entry.msgctxt,
    )


def _block(message: babel_catalog.Message, plural_forms_header: str) -> str:
    """The lines Babel's writer gives ``message`` in a catalog with that Plural-Forms header."""
    catalog = babel_catalog.Catalog()
    # The header decides how many msgstr[i] lines a plural entry gets.
    catalog.mime_headers = [("Plural-Forms", plural_forms_header)]
    catalog[message.id] = message
    return po_writer.serialize(catalog, omit_header=True)
