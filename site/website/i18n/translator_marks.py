"""Marking translated strings on a page so a translator can edit them in place.

In translator mode (:mod:`website.workspace.translator_mode`) a page is
rendered with a :class:`MarkingLocale`: every translation it returns is
wrapped in invisible markers (:mod:`website.i18n.markers`) around the number of a row in a
per-request :class:`Marks` table, which holds the entry's workspace id
(:func:`website.i18n.entry_ids.entry_id`, from context and msgid), the
plural form chosen and the raw translation. The markers survive ``%``
formatting and ``{{ }}`` escaping (they are neither ``%`` nor HTML
specials), so after rendering one pass, :func:`apply`, turns them into HTML:

- in text: ``<span data-tid="ID" data-tk="N">...</span>`` (an inline span
  with no style of its own: layout does not change);
- in an attribute value (``title``, ``aria-label``, ``alt``, ``placeholder``,
  ``value``...): stripped, and the element gets ``data-tid-attr="aria-label=ID"``;
- in ``<title>``, ``<option>``, ``<textarea>`` and anything in ``<head>``:
  stripped and listed for the page's panel.

Every marker character is removed; none reaches the output. The marker
characters are the Unicode interlinear annotation controls, meant for
in-process use only, and the catalog checks refuse a translation containing
one (:func:`website.toolchain.check_rules.marker_characters`), so a translation
can never forge or break a marker, nor bring one to a visitor.

>>> marks = Marks()
>>> text = marks.wrap("Bonjour", "id1") + " & " + marks.wrap("Salut", "id2")
>>> html, panel = apply(f"<p title='{marks.wrap('Hi', 'id3')}'>{text}</p>", marks)
>>> html
'<p title=\\'Hi\\' data-tid-attr="title=id3"><span data-tid="id1" data-tk="0">Bonjour</span> & <span data-tid="id2" data-tk="1">Salut</span></p>'
>>> panel
[{'id': 'id3', 'where': 'title', 'text': 'Hi'}]
>>> contains_marker("Bonjour"), contains_marker("Bon\\ufff9jour")
(False, True)
"""

from __future__ import annotations

import functools
import html as html_module
import re

from website.i18n import markers, placeholders
from website.i18n.entry_ids import entry_id
from website.i18n.markers import END, MARKER_CHARACTERS, MARKER_RE, OPENING_RE, START, contains_marker
from website.i18n.translation import FRACTION_CONTEXT

__all__ = ["MarkingLocale", "Marks", "apply", "describe", "contains_marker", "MARKER_CHARACTERS"]

_TOKEN_RE = re.compile(r"<!--.*?-->|<[A-Za-z/!][^>]*>|[^<]+|<", re.S)
_TAG_NAME_RE = re.compile(r"<\s*(/?)\s*([A-Za-z][\w:-]*)")
_ATTRIBUTE_RE = re.compile(r"([A-Za-z_:][\w:.-]*)\s*=\s*(\"[^\"]*\"|'[^']*')")
# Elements whose text cannot hold a <span>: their markers go to the panel.
_NO_SPAN = {"title", "option", "textarea", "script", "style"}


@functools.lru_cache(maxsize=4096)
def _id(context: str | None, message: str) -> str:
    return entry_id(context, message)


class Marks:
    """The strings one response translated: (entry id, plural form, raw translation) per row."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, int | None, str]] = []
        #: Row number -> the placeholder values found in its visible text (see :func:`apply`).
        self.arguments: dict[int, dict] = {}
        #: The ``<title>`` in pieces (see :func:`_segments`), once :func:`apply` has run.
        self.title: list[dict] = []

    def wrap(self, text: str, id_: str, form: int | None = None) -> str:
        self.rows.append((id_, form, text))
        return markers.encode(len(self.rows) - 1, text)

    def row(self, number: int) -> tuple[str, int | None, str] | None:
        return self.rows[number] if 0 <= number < len(self.rows) else None


class MarkingLocale:
    """A locale whose ``translate`` and ``pgettext`` return marked translations.

    Everything else is the wrapped locale's (``code``, ``rtl``, formatting).
    """

    def __init__(self, locale, marks: Marks) -> None:
        self._locale = locale
        self.marks = marks

    def __getattr__(self, name):
        return getattr(self._locale, name)

    def _form(self, count) -> int | None:
        form_index = getattr(self._locale, "form_index", None)
        return form_index(count) if form_index is not None else None

    def _fraction(self, count) -> bool:
        """Whether ``count`` is shown by the "fraction" entry (Russian 1.5), not by a plural form."""
        integer_for = getattr(self._locale, "integer_for", None)
        try:
            return integer_for is not None and integer_for(count) is None
        except TypeError:
            return False

    def translate(self, message, plural_message=None, count=None):
        text = self._locale.translate(message, plural_message, count)
        if plural_message is not None and self._fraction(count):
            # The entry a translator fills for such counts (website.i18n.translation).
            return self.marks.wrap(text, _id(FRACTION_CONTEXT, plural_message), None)
        form = self._form(count) if plural_message is not None else None
        return self.marks.wrap(text, _id(None, message), form)

    def pgettext(self, context, message, plural_message=None, count=None):
        text = self._locale.pgettext(context, message, plural_message, count)
        if plural_message is not None and self._fraction(count):
            return self.marks.wrap(text, _id(FRACTION_CONTEXT, plural_message), None)
        form = self._form(count) if plural_message is not None else None
        return self.marks.wrap(text, _id(context, message), form)


def _arguments(template: str, text: str) -> dict | None:
    """The ``%(name)s`` values that made ``text`` from ``template``, or None.

    Only a template whose every placeholder is a bare ``%(name)s`` (or
    ``%%``) can be read backwards: a width, a precision or a number
    conversion leaves the value unknown. As ``argumentsOf`` in
    ``static/js/translator.js``.

    >>> _arguments("%(count)s languages found", "1 234 languages found")
    {'count': '1 234'}
    >>> _arguments("Page %(page)s of %(pages)s", "nothing like it") is None
    True
    >>> _arguments("%(count)d found", "3 found") is None
    True
    """
    try:
        specs = placeholders.parse(template)
    except placeholders.PlaceholderError:
        return None
    pattern, position, names = [], 0, []
    for spec in specs:
        pattern.append(re.escape(template[position:spec.start]))
        position = spec.span[1]
        if spec.conversion == "%":
            pattern.append("%")
        elif not _plain(spec):
            return None
        elif spec.name in names:
            pattern.append(f"(?:\\{names.index(spec.name) + 1})")
        else:
            names.append(spec.name)
            pattern.append("(.*?)")
    pattern.append(re.escape(template[position:]))
    found = re.fullmatch("".join(pattern), text, re.S)
    return dict(zip(names, found.groups())) if found else None


def _plain(spec: placeholders.Spec) -> bool:
    """A named ``s`` placeholder that shows its value as it is (a length modifier changes nothing)."""
    return (spec.name is not None and spec.conversion == "s" and not spec.flags
            and spec.width is None and spec.precision is None)


def apply(page: str, marks: Marks) -> tuple[str, list[dict]]:
    """Turn the markers of a rendered page into HTML; return it and the panel's items.

    Each panel item is ``{"id", "where", "text"}`` for a string with no
    visible place of its own (``where``: ``title``, ``head``, an attribute
    name, ``option``...). Rows of visible spans are described by
    :func:`describe`.
    """
    out: list[str] = []
    panel: list[dict] = []
    open_spans: list[int] = []  # the index in out of each open span's start tag
    raw_element: str | None = None  # inside <title>, <script>...: no spans
    in_head = False

    def row_of(digits: str):
        return marks.row(markers.decode(digits))

    strip = markers.strip

    for token in _TOKEN_RE.findall(page):
        if token.startswith("<") and len(token) > 1 and token[1] not in "!":
            name_match = _TAG_NAME_RE.match(token)
            closing, name = (name_match.group(1), name_match.group(2).lower()) if name_match else ("", "")
            if name == "head":
                in_head = not closing
            elif name == "body" and not closing:
                in_head = False
            if name in _NO_SPAN:
                raw_element = None if closing else name
            if START in token or END in token:
                attributes = []
                for attribute in _ATTRIBUTE_RE.finditer(token):
                    for digits in OPENING_RE.findall(attribute.group(2)):
                        row = row_of(digits)
                        if row:
                            attributes.append(f"{attribute.group(1).lower()}={row[0]}")
                            panel.append({"id": row[0], "where": attribute.group(1).lower(),
                                          "text": html_module.unescape(strip(attribute.group(2)[1:-1]))})
                token = strip(token)
                if attributes:
                    end = -2 if token.endswith("/>") else -1
                    token = f'{token[:end]} data-tid-attr="{" ".join(attributes)}"{token[end:]}'
            out.append(token)
            continue
        if START not in token and END not in token:
            out.append(token)
            continue
        if raw_element is not None or in_head or token.startswith("<!--"):
            where = raw_element or "head"
            for digits in OPENING_RE.findall(token):
                row = row_of(digits)
                if row:
                    panel.append({"id": row[0], "where": where, "text": ""})
            clean = strip(token)
            for item in panel:
                if item["where"] == where and not item["text"]:
                    item["text"] = html_module.unescape(clean).strip()
            if where == "title":
                marks.title = _segments(token, marks, strip)
            out.append(clean)
            continue
        position = 0
        for match in MARKER_RE.finditer(token):
            out.append(token[position:match.start()])
            position = match.end()
            if match.group(0) == END:
                if open_spans:
                    start = open_spans.pop()
                    inner = "".join(out[start + 1:])
                    number = int(out[start].rsplit('data-tk="', 1)[1].split('"', 1)[0])
                    _, _, template = marks.rows[number]
                    if "<" not in inner:
                        arguments = _arguments(template, html_module.unescape(inner))
                        if arguments is not None:
                            marks.arguments[number] = arguments
                    out.append("</span>")
                continue
            number = markers.decode(match.group(1))
            row = marks.row(number)
            if row is None:
                continue
            out.append(f'<span data-tid="{row[0]}" data-tk="{number}">')
            open_spans.append(len(out) - 1)
        out.append(token[position:])
    # A marker opened and never closed in text (it cannot happen with
    # well-formed templates): close it rather than leave the page broken.
    out.extend("</span>" for _ in open_spans)
    return "".join(out), panel


def _segments(text: str, marks: Marks, strip) -> list[dict]:
    """The ``<title>``'s text as pieces, each ``{"tk": row or None, "text": ...}``, for live updates.

    A marker nested in another one's placeholder stays part of the outer piece.
    """
    segments: list[dict] = []
    depth, number, inner, position = 0, None, "", 0
    for match in MARKER_RE.finditer(text):
        chunk = text[position:match.start()]
        position = match.end()
        if depth == 0:
            if chunk:
                segments.append({"tk": None, "text": html_module.unescape(strip(chunk))})
        else:
            inner += chunk
        if match.group(0) != END:
            if depth == 0:
                number, inner = markers.decode(match.group(1)), ""
            else:
                inner += match.group(0)
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0 and marks.row(number) is not None:
                value = html_module.unescape(strip(inner))
                arguments = _arguments(marks.rows[number][2], value)
                if arguments is not None:
                    marks.arguments[number] = arguments
                segments.append({"tk": number, "text": value})
            elif depth:
                inner += match.group(0)
    if text[position:]:
        segments.append({"tk": None, "text": html_module.unescape(strip(text[position:]))})
    return segments


def describe(marks: Marks) -> list[dict]:
    """Each row of ``marks`` for the page's script: id, plural form, arguments if known."""
    return [
        {"id": id_, "form": form, "args": marks.arguments.get(number)}
        for number, (id_, form, _template) in enumerate(marks.rows)
    ]

