"""The marker codec of translator mode: invisible characters around a row number.

A marked string is ``START + digits + SEPARATOR + text + END``, where the
digits are the row's number in base four written with invisible operators.
:mod:`website.i18n.translator_marks` writes and reads them; the catalog checks use
:func:`contains_marker` to refuse a translation holding one, so no
translation can forge or break a marker. ``static/js/translator.js`` never
sees one: every marker is removed before a page is sent.

>>> wrapped = encode(5, "Bonjour")
>>> [(m.group(1) is not None and decode(m.group(1))) for m in MARKER_RE.finditer(wrapped)]
[5, False]
>>> strip(wrapped), contains_marker(wrapped), contains_marker("Bonjour")
('Bonjour', True, False)
"""

from __future__ import annotations

import re

__all__ = [
    "START", "SEPARATOR", "END", "DIGITS", "MARKER_CHARACTERS",
    "MARKER_RE", "OPENING_RE", "encode", "decode", "contains_marker", "strip",
]

START, SEPARATOR, END = "\ufff9", "\ufffa", "\ufffb"
MARKER_CHARACTERS = START + SEPARATOR + END
# The row number, in base four, in invisible operators (never in a translation either:
# they only ever appear between START and SEPARATOR).
DIGITS = "\u2061\u2062\u2063\u2064"
_DIGIT_VALUE = {c: i for i, c in enumerate(DIGITS)}
#: An opening marker (group 1: its digits) or a closing one (group 1: None).
MARKER_RE = re.compile(f"{START}([{DIGITS}]*){SEPARATOR}|{END}")
#: An opening marker only; group 1: its digits.
OPENING_RE = re.compile(f"{START}([{DIGITS}]*){SEPARATOR}")
_ANY_MARKER_RE = re.compile(f"[{MARKER_CHARACTERS}{DIGITS}]")


def _digits(number: int) -> str:
    digits = []
    while True:
        number, digit = divmod(number, 4)
        digits.append(DIGITS[digit])
        if not number:
            return "".join(reversed(digits))


def encode(number: int, text: str) -> str:
    """``text`` marked as row ``number``."""
    return f"{START}{_digits(number)}{SEPARATOR}{text}{END}"


def decode(digits: str) -> int:
    """The row number an opening marker's digits (``MARKER_RE`` group 1) stand for."""
    value = 0
    for c in digits:
        value = value * 4 + _DIGIT_VALUE[c]
    return value


def contains_marker(text: str) -> bool:
    """Whether ``text`` holds a character reserved for the markers."""
    return any(c in MARKER_CHARACTERS for c in text)


def strip(text: str) -> str:
    """``text`` without any marker or marker digit."""
    return _ANY_MARKER_RE.sub("", MARKER_RE.sub("", text))
