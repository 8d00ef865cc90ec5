"""A Babel extraction method for Tornado templates.

Registered as the ``tornado`` entry point of ``babel.extractors`` and used from
``babel.cfg``::

    [tornado: templates/**.html]
    encoding = utf-8

It finds translate calls (whatever keywords ``pybabel extract -k`` gives) in
``{{ }}``, ``{% raw %}``, ``{% set %}``, ``{% module %}``, ``{% apply %}`` and
control blocks (``{% if %}``, ``{% for %}``, ``{% elif %}``...), with the line
each string is on, and carries a ``{# Translators: ... #}`` comment that ends on
the line of a message or the line before it into the catalog.

Why not Babel's ``python`` method on the template: it stops at the first
``{#``. There is no maintained Tornado extractor (``Tornado-Babel`` is
Python-2-era). So the structure comes from Tornado's own parser (private:
:func:`website.library_internals.template_code` holds that use, the tornado
range is bounded in ``pyproject.toml`` and ``tests/test_extract.py`` guards
it), and each snippet of Python inside goes through Babel's
``extract_python``, so keyword specs, plural and context handling are
exactly Babel's.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

from babel.messages.extract import extract_python

from website.library_internals import template_code

__all__ = ["extract_tornado"]

_COMMENT_RE = re.compile(r"\{#(?!!)(.*?)#\}", re.DOTALL)


def extract_tornado(fileobj, keywords, comment_tags, options) -> Iterator[tuple]:
    """Extract messages from a Tornado template (Babel's extractor signature).

    Yields ``(lineno, funcname, messages, comments)``. A template with a
    syntax error raises :class:`tornado.template.ParseError` naming the file
    and line, as ``pybabel extract`` should stop on it rather than silently
    drop its strings.
    """
    encoding = options.get("encoding", "utf-8")
    text = fileobj.read().decode(encoding)
    name = getattr(fileobj, "name", "<template>")
    snippets = list(template_code(name, text))
    lines = text.split("\n")
    comments = _translator_comments(text, comment_tags)
    for line, code in snippets:
        start = _first_line_of(code, line, lines)
        for lineno, funcname, messages, _python_comments in extract_python(
            io.BytesIO(code.encode("utf-8")), keywords, (), {"encoding": "utf-8"}
        ):
            absolute = start + lineno - 1
            yield absolute, funcname, messages, comments.pop_for(absolute)


def _first_line_of(code: str, line: int, lines: list[str]) -> int:
    """The line where ``code`` really starts.

    Tornado records the line of ``{{`` or ``{%``; the code may start on a
    later line (``{{\\n  _("x") }}``), and Babel counts lines from the code.
    """
    head = code.lstrip().split("\n", 1)[0].strip()
    for index in range(line - 1, len(lines)):
        if head in lines[index]:
            return index + 1
    return line


class _Comments:
    """Translator comments by the line they end on; each is used once."""

    def __init__(self, by_line: dict[int, list[str]]):
        self._by_line = by_line

    def pop_for(self, line: int) -> list[str]:
        found = []
        for candidate in (line - 1, line):
            found.extend(self._by_line.pop(candidate, []))
        return found


def _translator_comments(text: str, comment_tags) -> _Comments:
    # Tornado's parser discards {# #} comments, so they come from the raw text.
    by_line: dict[int, list[str]] = {}
    if not comment_tags:
        return _Comments(by_line)
    for match in _COMMENT_RE.finditer(text):
        body = " ".join(match[1].split())
        if any(body.startswith(tag) for tag in comment_tags):
            end_line = text.count("\n", 0, match.end()) + 1
            by_line.setdefault(end_line, []).append(body)
    return _Comments(by_line)
