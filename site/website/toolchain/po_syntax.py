r"""The syntax of a ``.po`` file, line by line: what polib and Babel accept silently.

>>> list(syntax_errors('msgid "a"\nmsgstr "b'))
[(2, 'not valid .po syntax: \'msgstr "b\'')]
>>> list(syntax_errors('msgid "a"\nmsgstr "line\u2028separator"\n'))
[]
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator

import polib

from website.i18n.deferred import N_, Message

__all__ = ["syntax_errors", "parse_text"]

# What str.splitlines() breaks a line at besides "\n" and "\r": polib
# splits a catalog given as text that way (and silently drops what follows
# in the string), while it reads a file line by line at "\n" only.
_SPLITLINES_ONLY_RE = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def parse_text(text: str, **options) -> polib.POFile:
    """``polib.pofile`` of a catalog's text, with its lines split at ``"\n"`` only.

    A translation holding U+2028 (or U+2029, U+0085...) keeps it, so that
    the checks see it and say why it is refused, instead of reading a
    silently shortened string.
    """
    if not _SPLITLINES_ONLY_RE.search(text):
        return polib.pofile(text, **options)
    # polib reads a path through a file object, which splits at newlines only.
    fd, path = tempfile.mkstemp(suffix=".po")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fp:
            fp.write(text)
        return polib.pofile(path, **{**options, "encoding": "utf-8"})
    finally:
        os.unlink(path)


# One line of a .po: a keyword with a quoted string, or a quoted
# continuation; obsolete entries repeat these after "#~".
_LINE_RE = re.compile(
    r"""\s*(?:\#~\s*)?(?:
        (?P<keyword>msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+"(?:[^"\\]|\\.)*"
        | "(?:[^"\\]|\\.)*"
    )\s*""",
    re.VERBOSE,
)
# Which keyword may follow which, within one entry.
_NEXT = {
    None: {"msgctxt", "msgid"},
    "msgctxt": {"msgid"},
    "msgid": {"msgid_plural", "msgstr"},
    "msgid_plural": {"msgstr[]"},
    "msgstr": {"msgctxt", "msgid"},
    "msgstr[]": {"msgstr[]", "msgctxt", "msgid"},
}


def syntax_errors(text: str) -> Iterator[tuple[int, str]]:
    """The first line that is not valid .po syntax or structure, if any.

    Written here because both polib and Babel accept an unterminated string
    (``msgstr "abc``) and silently drop its last character, and checking the
    order of keywords here (a msgid with no msgstr...) spares a second, strict
    parse of every catalog with Babel.
    """
    previous = None  # the last keyword, in the simplified names of _NEXT
    started = 0  # line of the msgid in progress
    continuable = False
    # Split on "\n" only: splitlines() also breaks at U+2028 and other
    # separators a translation may hold, and would report a broken string.
    for number, line in enumerate(text.split("\n"), 1):
        stripped = line.strip()
        if not stripped or (stripped.startswith("#") and not stripped.startswith("#~")):
            continuable = False
            continue
        if stripped.startswith("#~") and stripped[2:].strip() == "":
            continue
        match = _LINE_RE.fullmatch(line)
        if not match:
            yield number, Message(N_("not valid .po syntax: %(line)s"), line=repr(stripped[:60]))
            return
        keyword = match["keyword"]
        if keyword is None:
            if not continuable:
                yield number, Message(N_("a quoted string that follows no msgid, msgstr or msgctxt"))
                return
            continue
        keyword = "msgstr[]" if keyword.startswith("msgstr[") else keyword
        if keyword not in _NEXT[previous]:
            if keyword in ("msgctxt", "msgid") and previous in ("msgid", "msgid_plural"):
                yield started, Message(N_("missing msgstr for this msgid"))
            elif previous:
                yield number, Message(N_("%(keyword)s cannot follow %(previous)s"),
                                      keyword=keyword.replace("[]", "[N]"), previous=previous)
            else:
                yield number, Message(N_("%(keyword)s cannot follow nothing"), keyword=keyword.replace("[]", "[N]"))
            return
        if keyword == "msgid":
            started = number
        previous = keyword
        continuable = True
    if previous in ("msgctxt", "msgid", "msgid_plural"):
        yield started, Message(N_("missing msgstr for this msgid (the file ends)"))
