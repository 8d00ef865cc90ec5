r"""The syntax of a ``.po`` file, line by line: what polib and Babel accept silently.

>>> list(syntax_errors('msgid "a"\nmsgstr "b'))
[(2, 'not valid .po syntax: \'msgstr "b\'')]
>>> list(syntax_errors('msgid "a"\nmsgstr "line\u2028separator"\n'))
[]
"""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = ["syntax_errors"]


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
            yield number, f"not valid .po syntax: {stripped[:60]!r}"
            return
        keyword = match["keyword"]
        if keyword is None:
            if not continuable:
                yield number, "a quoted string that follows no msgid, msgstr or msgctxt"
                return
            continue
        keyword = "msgstr[]" if keyword.startswith("msgstr[") else keyword
        if keyword not in _NEXT[previous]:
            if keyword in ("msgctxt", "msgid") and previous in ("msgid", "msgid_plural"):
                yield started, "missing msgstr for this msgid"
            else:
                yield number, f"{keyword.replace('[]', '[N]')} cannot follow {previous or 'nothing'}"
            return
        if keyword == "msgid":
            started = number
        previous = keyword
        continuable = True
    if previous in ("msgctxt", "msgid", "msgid_plural"):
        yield started, "missing msgstr for this msgid (the file ends)"
