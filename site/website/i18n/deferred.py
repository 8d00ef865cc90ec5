"""Messages written in English and translated where they are shown: check findings, upload errors.

The toolchain and the workspace's core know no reader: a check or an
upload reports a :class:`Message`, a ``str`` holding the English text (what
the CLI prints, what logs and tests read) that also keeps its message id and
parameters, so the HTTP layer can show it in the request's language with
:func:`render`. Message ids are marked with :func:`N_` (``make extract``'s
``-k N_``); parameters keep technical text as it is (``msgstr[1]``,
``%(count)s``), numbers take the reader's digits and a :class:`Size` is
shown as a human size.

>>> message = Message(N_("line %(line)s: %(problem)s"), line=84, problem=Message(N_("not valid .po syntax")))
>>> message
'line 84: not valid .po syntax'
>>> message.template, sorted(message.params)
('line %(line)s: %(problem)s', ['line', 'problem'])
>>> str(Message(N_("the file is larger than %(size)s"), size=Size(5 * 1024 * 1024)))
'the file is larger than 5 MB'
"""

from __future__ import annotations

from collections.abc import Callable

from babel import units

__all__ = ["Message", "N_", "Size", "render", "localize", "human_size"]

#: First-strong isolate and its end: a technical parameter (``msgstr[1]``,
#: ``%(count)s``) keeps its own direction inside a right-to-left sentence.
_ISOLATE, _END = "\u2068", "\u2069"


def N_(message: str) -> str:
    """Mark ``message`` for extraction; it is translated where it is shown (gettext's ``N_``)."""
    return message


class Size(int):
    """A number of bytes, shown as a human size (5 MB, 640 kB) in the reader's language."""


def human_size(count: int, locale="en", numbering_system: str = "latn") -> str:
    """``count`` bytes in binary multiples with CLDR's unit names: ``5 MB``, ``640,5 кБ``."""
    for unit, scale in (("digital-megabyte", 1024 * 1024), ("digital-kilobyte", 1024)):
        if count >= scale:
            return units.format_unit(round(count / scale, 1), unit, length="short", format="#,##0.#",
                                     locale=locale, numbering_system=numbering_system)
    return units.format_unit(count, "digital-byte", length="short", locale=locale,
                             numbering_system=numbering_system)


def _english(value) -> object:
    if isinstance(value, Size):
        return human_size(value)
    return value


class Message(str):
    """English text (the ``str`` itself) with its message id and parameters."""

    template: str
    params: dict

    def __new__(cls, template: str, /, **params) -> "Message":
        self = super().__new__(cls, template % {k: _english(v) for k, v in params.items()})
        self.template = template
        self.params = params
        return self

    def __reduce__(self):
        return (_rebuild, (self.template, self.params))


def _rebuild(template: str, params: dict) -> Message:
    return Message(template, **params)


def render(message: Message, translate: Callable[[str], str], formatter, *, rtl: bool = False) -> str:
    """``message`` in a reader's language: ``translate`` is the locale's gettext, ``formatter`` its
    :class:`~website.i18n.formatting.Formatter` (numbers and sizes); a translation that cannot take
    the parameters falls back to the English text."""
    params = {}
    for name, value in message.params.items():
        if isinstance(value, Message):
            value = render(value, translate, formatter, rtl=rtl)
        elif isinstance(value, Size):
            value = formatter.size(int(value))
        elif isinstance(value, int) and not isinstance(value, bool):
            value = formatter.decimal(value)
        elif isinstance(value, str) and rtl:
            value = _ISOLATE + value + _END
        params[name] = value
    try:
        return translate(message.template) % params
    except (KeyError, ValueError, TypeError):
        return message.template % params


def localize(data, show: Callable[[Message], str]):
    """``data`` (JSON-ready lists and dicts) with every :class:`Message` in it shown by ``show``.

    Containers without a message are returned as they are, never copied
    (an editor's listing is thousands of entries, few with a message).
    """
    kind = type(data)
    if kind is Message:
        return show(data)
    if kind is not dict and kind is not list and kind is not tuple:
        return data
    changed = None
    for key, value in (data.items() if kind is dict else enumerate(data)):
        if type(value) in _CONTAINERS and value:
            new = localize(value, show)
            if new is not value:
                if changed is None:
                    changed = dict(data) if kind is dict else list(data)
                changed[key] = new
    return data if changed is None else changed


_CONTAINERS = frozenset((dict, list, tuple, Message))
