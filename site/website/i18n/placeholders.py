"""Printf-style placeholders, parsed exactly as Python's ``%`` operator reads them.

The one grammar of the project (the browser's copy is ``static/js/placeholders.js``,
both tested against ``tests/placeholder_cases.json``)::

    %%                                   a percent sign, nothing else between
    % [(key)] [flags] [width] [.precision] [length] conversion
      key        any text, parentheses nested and balanced: %(a(b))s is "a(b)"
      flags      any of  # 0 - space +  (ASCII only)
      width      ASCII digits, or * (taken from the values)
      precision  . then ASCII digits, or *, or nothing (precision 0)
      length     one of h l L, which Python accepts and ignores
      conversion one of d i o u x X e E f F g G c r s a

Two rules are stricter than Python, on purpose: a string may not mix named
and positional placeholders (with a mapping, Python formats the mapping
itself into each positional one), and a named placeholder may not take a
``*`` (it would need a positional value, and fails with any mapping).
Babel's ``PYTHON_FORMAT`` (``babel.messages.catalog``) finds fewer: one flag
at most, no ``a`` conversion, keys of word characters only; it also takes
``%5%`` for a spec, which Python 3.11 refuses.

>>> [(s.name, s.precision, s.length, s.conversion) for s in parse("%(language).1ls of %(n)d%%")]
[('language', '1', 'l', 's'), ('n', None, None, 'd'), (None, None, None, '%')]
>>> parse("Page %(page)s of %(pages)s %")
Traceback (most recent call last):
  ...
website.i18n.placeholders.PlaceholderError: incomplete placeholder at index 27: a lone % (write %% for a percent sign)
"""

from __future__ import annotations

import dataclasses
import sys

from website.i18n.deferred import N_, Message

__all__ = ["Spec", "PlaceholderError", "parse", "spans", "remove", "CONVERSIONS", "FLAGS", "LENGTHS"]

CONVERSIONS = "diouxXeEfFgGcrsa"
FLAGS = "#0- +"
LENGTHS = "hlL"
_DIGITS = "0123456789"  # not str.isdigit: Python reads only ASCII digits here
# Python's own bound on a width or precision (a C Py_ssize_t).
_LIMIT = sys.maxsize


@dataclasses.dataclass(frozen=True)
class Spec:
    """One placeholder: its parts as written, and where it is in the string."""

    text: str
    start: int
    name: str | None = None
    flags: str = ""
    width: str | None = None  # digits or "*"
    precision: str | None = None  # digits, "*", or "" for a bare "."
    length: str | None = None
    conversion: str = "%"  # "%" only for "%%"

    @property
    def span(self) -> tuple[int, int]:
        return self.start, self.start + len(self.text)

    @property
    def values(self) -> int:
        """How many positional values it takes (each ``*`` one more)."""
        if self.conversion == "%":
            return 0
        stars = (self.width == "*") + (self.precision == "*")
        return stars + (self.name is None)

    def as_dict(self) -> dict:
        """The fields the shared table of cases (and the browser's parser) spell out."""
        return {"text": self.text, "span": list(self.span), "name": self.name, "flags": self.flags,
                "width": self.width, "precision": self.precision, "length": self.length,
                "conversion": self.conversion}


class PlaceholderError(ValueError):
    """A string that is not a format string: ``code`` names the rule, ``at`` the ``%``."""

    def __init__(self, code: str, at: int, what: str, why: str) -> None:
        #: The same text, kept for translation (:mod:`website.i18n.deferred`).
        self.message = Message(N_("%(what)s at index %(at)s: %(why)s"), what=what, at=at, why=why)
        super().__init__(str(self.message))
        self.code = code
        self.at = at


def parse(text: str) -> list[Spec]:
    """Every placeholder of ``text``, in order, ``%%`` included.

    Raises :class:`PlaceholderError` where Python's ``%`` would fail whatever
    the values (and where a string mixes named and positional placeholders).
    """
    specs = list(_scan(text))
    _check_kinds(specs)
    return specs


def _scan(text: str):
    position = text.find("%")
    while position != -1:
        spec = _spec(text, position)
        yield spec
        position = text.find("%", spec.span[1])


def spans(text: str) -> list[tuple[int, int]]:
    """Where the placeholders of ``text`` are, up to the first that does not parse; never raises.

    For tools that keep placeholders out of their way (word counts, pseudo
    translations) in any text, format string or not.

    >>> spans("%(n)s of %(total)s, 5%%"), spans("%(n)s of 100%"), spans("%(n)s %s")
    ([(0, 5), (9, 18), (21, 23)], [(0, 5)], [(0, 5), (6, 8)])
    """
    found = []
    try:
        for spec in _scan(text):
            found.append(spec.span)
    except PlaceholderError:
        pass
    return found


def remove(text: str, replacement: str = "") -> str:
    """``text`` with each placeholder replaced (the words a translator reads).

    >>> remove("%(count)s languages, 5%%"), remove("a%(b)sc", " ")
    (' languages, 5', 'a c')
    """
    for start, end in reversed(spans(text)):
        text = text[:start] + replacement + text[end:]
    return text


def _spec(text: str, start: int) -> Spec:
    end = len(text)
    at = start + 1
    if at < end and text[at] == "%":
        return Spec("%%", start)
    name = None
    if at < end and text[at] == "(":
        depth, at = 1, at + 1
        key_start = at
        while at < end and depth:
            depth += {"(": 1, ")": -1}.get(text[at], 0)
            at += 1
        if depth:
            raise PlaceholderError("incomplete-key", start, Message(N_("incomplete placeholder")),
                                   Message(N_("no ) closes its name")))
        name = text[key_start:at - 1]
    flags_start = at
    while at < end and text[at] in FLAGS:
        at += 1
    flags = text[flags_start:at]
    width, at = _number(text, at, start, "width")
    precision = None
    if at < end and text[at] == ".":
        precision, at = _number(text, at + 1, start, "precision")
        precision = precision or ""
    length = None
    if at < end and text[at] in LENGTHS:
        length, at = text[at], at + 1
    if at >= end:
        raise PlaceholderError("incomplete", start, Message(N_("incomplete placeholder")),
                               Message(N_("a lone %(percent)s (write %(escaped)s for a percent sign)"),
                                       percent="%", escaped="%%"))
    conversion = text[at]
    if conversion not in CONVERSIONS:
        raise PlaceholderError(
            "unsupported", start, Message(N_("unsupported conversion")),
            Message(N_("'%(character)s' (%(code)s) is not one of %(conversions)s "
                       "(write %(escaped)s for a percent sign)"),
                    character=conversion, code=f"U+{ord(conversion):04X}", conversions=CONVERSIONS,
                    escaped="%%"))
    return Spec(text[start:at + 1], start, name, flags, width, precision, length, conversion)


_TOO_BIG = {"width": Message(N_("width too big")), "precision": Message(N_("precision too big"))}


def _number(text: str, at: int, start: int, what: str) -> tuple[str | None, int]:
    """A width or precision at ``at``: ``*``, ASCII digits, or None."""
    if at < len(text) and text[at] == "*":
        return "*", at + 1
    begin = at
    value = 0
    while at < len(text) and text[at] in _DIGITS:
        digit = ord(text[at]) - 48
        if value > (_LIMIT - digit) // 10:
            raise PlaceholderError("too-big", start, _TOO_BIG[what], Message(N_("Python refuses it")))
        value = value * 10 + digit
        at += 1
    return (text[begin:at] or None), at


def _check_kinds(specs: list[Spec]) -> None:
    named = positional = None
    for spec in specs:
        if spec.conversion == "%":
            continue
        if spec.name is not None and "*" in (spec.width, spec.precision):
            raise PlaceholderError("named-star", spec.start,
                                   Message(N_("* in a named placeholder")),
                                   Message(N_("%(placeholder)s would need a positional value"),
                                           placeholder=spec.text))
        if spec.name is not None:
            named = named or spec
        else:
            positional = positional or spec
        if named and positional:
            later = max(named, positional, key=lambda s: s.start)
            raise PlaceholderError("mixed", later.start,
                                   Message(N_("named and positional placeholders mixed")),
                                   Message(N_("%(named)s and %(positional)s"), named=named.text,
                                           positional=positional.text))
