"""Pseudo-locales: machine-made "translations" that show what was not translated.

``en-XA`` turns every message into accented, 35% longer text in brackets
(``⟦Ŝéåŕçĥ ļåñĝûåĝéš~~~⟧``): any plain text left on a page was never passed
through the translate functions, and layouts meet longer strings. ``ar-XB``
writes the same text right to left, so the page mirrors as for Arabic.
They are generated from ``messages.pot`` by ``make compile``
(:mod:`website.toolchain.pseudo_catalogs`), never edited by hand nor committed, and offered
only when the server runs with ``--pseudo_locales`` (on with ``--debug``).

>>> transform("en_XA", "Hello, %(name)s! <b>Bye</b>")
'⟦Ĥéļļö, %(name)s! <b>Ɓýé</b>~~~~⟧'
"""

from __future__ import annotations

import re

from website.i18n import placeholders

__all__ = ["PSEUDO_LOCALES", "is_pseudo", "cldr_id", "transform"]

# gettext id -> (right to left, name shown in the language switcher)
PSEUDO_LOCALES = {
    "en_XA": (False, "English (pseudo, accented)"),
    "ar_XB": (True, "English (pseudo, right to left)"),
}
OPEN, CLOSE = "⟦", "⟧"
# Plural-Forms of the source language: pseudo text is English underneath.
PLURAL_FORMS = "nplurals=2; plural=(n != 1);"

_ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "åƀçðéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅƁÇÐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
)
# What must survive untouched: placeholders (printf ones: website.i18n.placeholders), HTML tags and entities.
_PROTECTED = re.compile(r"\{\w*\}|<[^>]*>|&\w+;|&#\d+;")
_WORD = re.compile(r"[^\W\d_]+")
_RLO, _PDF = "\u202e", "\u202c"  # right-to-left override, pop directional formatting


def is_pseudo(gettext_id: str) -> bool:
    return gettext_id in PSEUDO_LOCALES


def cldr_id(gettext_id: str) -> str:
    """The CLDR locale whose data (plurals, formats, names) a locale uses."""
    return "en" if is_pseudo(gettext_id) else gettext_id


def transform(gettext_id: str, text: str) -> str:
    """The pseudo-translation of ``text`` for ``en_XA`` or ``ar_XB``."""
    if not text:
        return text
    rtl = PSEUDO_LOCALES[gettext_id][0]
    pieces = []
    position = 0
    kept = 0
    for start, end in _protected(text):
        pieces.append(_letters(text[position:start], rtl))
        pieces.append(text[start:end])
        position = end
        kept += end - start
    pieces.append(_letters(text[position:], rtl))
    body = "".join(pieces)
    # About 35% longer, as German or Finnish often are.
    padding = "~" * max(1, round((len(text) - kept) * 0.35))
    return f"{OPEN}{body}{padding}{CLOSE}"


def _protected(text: str) -> list[tuple[int, int]]:
    """The spans to keep as they are, in order; a tag's span wins over a % inside it."""
    found = []
    position = 0
    for start, end in sorted(placeholders.spans(text) + [m.span() for m in _PROTECTED.finditer(text)]):
        if start >= position:
            found.append((start, end))
            position = end
    return found


def _letters(text: str, rtl: bool) -> str:
    accented = text.translate(_ACCENTED)
    if rtl:
        accented = _WORD.sub(lambda m: f"{_RLO}{m[0]}{_PDF}", accented)
    return accented
