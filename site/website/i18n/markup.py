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
    """Escape ``message``, then substitute ``%(name)s`` placeholders.

    Values that are :class:`Markup` go in as they are; any other value is
    escaped. A translation whose placeholders do not match the values falls
    back to the escaped message without substitution rather than failing the
    page (the catalog checks report such translations).
    """
    safe = {
        name: value if isinstance(value, Markup) else xhtml_escape(str(value))
        for name, value in values.items()
    }
    escaped = xhtml_escape(message)
    try:
        return Markup(escaped % safe)
    except (KeyError, ValueError, TypeError):
        return Markup(escaped)
