"""Building HTML around translated text without trusting the translation.

A sentence such as "You are reading this page in %(language)s." needs the
language name inside a ``<bdi>`` so that a right-to-left name in a
left-to-right sentence (or the reverse) keeps its punctuation in place. The
sentence itself is a translation: it is escaped like any other text, and only
the values, built here, carry markup.

>>> interpolate("Read in %(language)s & more", language=bdi("עברית", lang="he"))
'Read in <bdi lang="he">עברית</bdi> &amp; more'
"""

from __future__ import annotations

from tornado.escape import xhtml_escape

from website.i18n import placeholders, translation

__all__ = ["Markup", "bdi", "code", "link", "interpolate"]


class Markup(str):
    """A string of HTML that is already safe (built by this module)."""


def bdi(text: str, lang: str | None = None) -> Markup:
    """``text`` escaped and isolated from the surrounding direction."""
    attribute = f' lang="{xhtml_escape(lang)}"' if lang else ""
    return Markup(f"<bdi{attribute}>{xhtml_escape(text)}</bdi>")


def code(text: str) -> Markup:
    """``text`` as left-to-right ``<code>`` (a file name, a command).

    >>> code("messages.pot")
    '<code dir="ltr">messages.pot</code>'
    """
    return Markup(f'<code dir="ltr">{xhtml_escape(text)}</code>')


def link(href: str, content: str, download: bool = False) -> Markup:
    """An ``<a>`` to ``href``; ``content`` is escaped unless it is :class:`Markup`.

    >>> link("mailto:a@example.org", "a@example.org")
    '<a href="mailto:a@example.org">a@example.org</a>'
    """
    inner = content if isinstance(content, Markup) else xhtml_escape(content)
    return Markup(f'<a href="{xhtml_escape(href)}"{" download" if download else ""}>{inner}</a>')


def interpolate(message: str, **values: str) -> Markup:
    """Substitute the ``%(name)s`` placeholders of ``message``, escaping all but :class:`Markup`.

    The message's text and each plain value are escaped; a :class:`Markup`
    value goes in whole, so only under a bare ``%(name)s`` (a precision
    would cut its tags apart). A message that cannot be formatted that way
    (placeholders that do not match the values: the catalog checks report
    such translations) falls back to its source when it is a translation,
    else to the escaped message without substitution, rather than failing
    the page.

    >>> interpolate("%(language).4s!", language=bdi("x"))
    '%(language).4s!'
    >>> interpolate("%(name).2s & %(count)03d%%", name="<b>", count=7)
    '&lt;b &amp; 007%'
    """
    try:
        return Markup("".join(_pieces(message, values)))
    except (KeyError, ValueError, TypeError, OverflowError) as error:
        # A translation (website.i18n.translation.Translated) knows its
        # source: shown instead, formatted, as the % operator does.
        source = getattr(message, "source", None)
        if source is not None:
            translation.failed(message.locale_code, source, str(message), error)
            return interpolate(source, **values)
        return Markup(xhtml_escape(message))


def _pieces(message: str, values: dict):
    position = 0
    for spec in placeholders.parse(message):
        yield xhtml_escape(message[position:spec.start])
        position = spec.span[1]
        if spec.conversion == "%":
            yield "%"
        elif spec.name is None:
            raise TypeError(f"{spec.text}: interpolate takes named values only")
        elif isinstance(values[spec.name], Markup):
            if spec.conversion != "s" or spec.precision is not None:
                raise ValueError(f"{spec.text} would change markup")
            yield values[spec.name]
        else:
            # The spec without its key ("%(n)05d" -> "%05d"), on the raw value.
            yield xhtml_escape(("%" + spec.text[len(spec.name) + 3:]) % (values[spec.name],))
    yield xhtml_escape(message[position:])
