"""The only places where the site relies on a library's private parts.

Everything else uses the libraries' public, documented API. Each use below
exists because no public way does the job (the reason is given, with the
upstream issue where there is one), and each is guarded:
``tests/test_library_internals.py`` exercises every function here against
the installed version, and a function raises :class:`LibraryChanged`, naming
itself and the private part, when a release no longer has what it relies
on, so that ``make test-latest`` says what broke instead of a page failing.

==============================================  =====================================================
private use                                     why
==============================================  =====================================================
``gettext.GNUTranslations._catalog``            gettext offers no way to list a catalog's messages.
(:func:`read_mo`, :func:`messages`)             The site needs them to tell an untranslated plural
                                                from one translated as the source reads, to build
                                                the browser catalogs, and to share one string per
                                                msgid across a hundred catalogs, kept out of the
                                                cyclic garbage collector's walks. The public
                                                readers cost more per 2,000 messages (polib's
                                                ``mofile`` 23 ms, Babel's ``read_mo`` 14 ms,
                                                ``GNUTranslations`` 4.8 ms), and start-up reads
                                                every catalog.
``gettext.c2py``                                undocumented, but what ``GNUTranslations`` itself
(:func:`plural_function`)                       compiles a ``Plural-Forms`` expression with: the
                                                checks evaluate exactly what the running site will.
``tornado.template._TemplateReader``,           Tornado has no public template syntax tree
``_parse`` and the node classes                 (``Template.code`` is generated Python, after
(:func:`template_code`)                         ``{% extends %}`` is resolved). The extractor
                                                (:mod:`website.toolchain.extract`) needs each
                                                expression with its line; ``pyproject.toml`` bounds
                                                the tornado range for it.
==============================================  =====================================================

Babel's locale cache (``babel.localedata._cache``) was trimmed by hand
before; :mod:`website.directory` now reads the locales it needs only once in
a short-lived process instead, through Babel's public API.
"""

from __future__ import annotations

import gc
import gettext
import types
from collections.abc import Callable, Iterator, Mapping
from typing import BinaryIO

from tornado import template as tornado_template

__all__ = ["LibraryChanged", "read_mo", "messages", "plural_function", "template_code"]


class LibraryChanged(RuntimeError):
    """A library no longer has the private part a function of this module relies on."""

    def __init__(self, function: str, part: str):
        super().__init__(
            f"website.library_internals.{function}: {part} is gone or changed in this release; "
            "see that module's docstring for what it was used for and find a new way")


_EMPTY: Mapping = types.MappingProxyType({})


def read_mo(fp: BinaryIO, shared: dict[str, str] | None = None) -> gettext.GNUTranslations:
    """Read a ``.mo`` file as :class:`gettext.GNUTranslations` does, sharing its msgids.

    ``shared`` maps each msgid already seen to its string object: catalogs of
    the same messages then hold one copy of each key. The table is rebuilt so
    that the cyclic garbage collector never tracks it (it holds only strings
    and tuples of a string and an int): otherwise the first full collection
    after a reload walks every message of every new catalog while requests wait.
    """
    translations = gettext.GNUTranslations(fp)
    table = _table(translations, "read_mo")
    if shared is None:
        shared = {}
    interned = {
        (shared.setdefault(key[0], key[0]), key[1]) if isinstance(key, tuple)
        else shared.setdefault(key, key): value
        for key, value in table.items()
    }
    # A young collection untracks the (msgid, form) tuples; a dict built from
    # untracked keys and strings is born untracked and stays so.
    gc.collect(0)
    translations._catalog = dict(interned.items())
    return translations


def messages(translations: gettext.NullTranslations) -> Mapping:
    """The messages of a catalog, read-only: ``msgid`` (``context\\x04msgid``) to text,
    ``(msgid, form)`` to each plural form. Empty for one that holds none (the source).
    """
    if type(translations) is gettext.NullTranslations:
        return _EMPTY
    return types.MappingProxyType(_table(translations, "messages"))


def _table(translations, function: str) -> dict:
    table = getattr(translations, "_catalog", None)
    if not isinstance(table, dict):
        raise LibraryChanged(function, "gettext.GNUTranslations._catalog")
    return table


def plural_function(expression: str) -> Callable[[int], int]:
    """The plural form chooser of a ``Plural-Forms`` expression, compiled as gettext does.

    Raises :class:`ValueError` for an expression gettext refuses.

    >>> plural_function("n != 1")(2)
    1
    """
    c2py = getattr(gettext, "c2py", None)
    if c2py is None:
        raise LibraryChanged("plural_function", "gettext.c2py")
    return c2py(expression)


def template_code(name: str, text: str) -> Iterator[tuple[int, str]]:
    """``(line, Python source)`` of every piece of code in a Tornado template.

    Expressions (``{{ }}``, ``{% raw %}``), statements (``{% set %}``),
    control blocks and their branches (``{% if %}``, ``{% elif %}``, ``{% for %}``),
    ``{% module %}`` (without Tornado's ``_tt_modules.`` prefix) and
    ``{% apply %}``'s function. Raises :class:`tornado.template.ParseError`
    naming the file and line for a template with a syntax error.

    >>> list(template_code("t.html", "<p>{{ _('Hi') }}</p>"))
    [(1, "_('Hi')")]
    """
    t = tornado_template
    try:
        reader = t._TemplateReader(name, text, "all")
        # _parse only needs somewhere to record {% autoescape %}.
        body = t._parse(reader, types.SimpleNamespace(autoescape=None))
        kinds = types.SimpleNamespace(
            module=t._Module, expression=t._Expression, apply=t._ApplyBlock,
            statement=(t._Statement, t._ControlBlock, t._IntermediateControlBlock))
    except AttributeError as error:
        raise LibraryChanged("template_code", f"tornado.template.{error.name}") from None
    yield from _snippets(body, kinds)


def _snippets(node, kinds) -> Iterator[tuple[int, str]]:
    if isinstance(node, kinds.module):
        yield node.line, node.expression.removeprefix("_tt_modules.")
    elif isinstance(node, kinds.expression):
        yield node.line, node.expression
    elif isinstance(node, kinds.statement):
        yield node.line, node.statement
    elif isinstance(node, kinds.apply):
        yield node.line, node.method
    for child in node.each_child():
        yield from _snippets(child, kinds)
