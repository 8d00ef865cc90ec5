"""HTML escaping for ``{{ }}`` in templates: Tornado's, without the round trip.

Tornado compiles ``{{ expr }}`` to ``_tt_utf8(xhtml_escape(_tt_utf8(expr)))``:
its :func:`tornado.escape.xhtml_escape` decodes the UTF-8 bytes it is given,
runs five replacements and the template encodes the result again, for every
expression of every page (a page has a hundred or more). Most values (a
translated sentence, a number) contain none of the five characters, so
:func:`xhtml_escape` here returns them untouched, in the type they came in,
and hands the others to Tornado's function. The base handler puts it in the
template namespace under Tornado's name, which is what ``{{ }}`` calls.

>>> xhtml_escape(b"Languages of the World")
b'Languages of the World'
>>> xhtml_escape(b'<a href="x">&</a>')
'&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;'
>>> xhtml_escape("l'arabe")
'l&#x27;arabe'
"""

from __future__ import annotations

import re

import tornado.escape

__all__ = ["xhtml_escape"]

# What html.escape(quote=True), and so Tornado, replaces: & < > " '
_SPECIAL_BYTES = re.compile(rb"[&<>\"']")
_SPECIAL_TEXT = re.compile(r"[&<>\"']")


def xhtml_escape(value: str | bytes) -> str | bytes:
    """``value`` escaped for HTML text and attributes, exactly as Tornado escapes it.

    Returned unchanged (``bytes`` stays ``bytes``) when there is nothing to
    escape; otherwise Tornado's result, a ``str``.
    """
    special = _SPECIAL_BYTES if isinstance(value, bytes) else _SPECIAL_TEXT
    if special.search(value) is None:
        return value
    return tornado.escape.xhtml_escape(value)
