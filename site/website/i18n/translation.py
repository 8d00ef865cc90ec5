"""Tornado's translate functions, with CLDR's plural choice for non-integers.

gettext's Plural-Forms formula only knows integers (``1.5`` is truncated or
refused), but CLDR gives fractions their own rules: French says "1,5 élément"
(the "one" form), Russian "1,5 элемента". :class:`CldrLocale` keeps Tornado's
``translate`` / ``pgettext`` interface and routes a non-integer count through
CLDR: it finds the count's category and asks gettext with an integer of the
same category.

Some languages use, for fractions, a form that no integer takes: in Russian,
Ukrainian and Polish CLDR puts 1.5 in "other", a category with no integer, and
the right words are the genitive singular ("1,5 элемента", "1,5 elementu").
For those, the catalog holds one more entry: the plural msgid under the
context ``"fraction"``, which translators fill with that form. Code that may
show a fractional count declares it with
``pgettext_noop("fraction", "%(count)s items")`` so that it is extracted.

>>> import gettext
>>> CldrLocale("fr", gettext.NullTranslations()).integer_for(1.5)  # "one", like 0
0
>>> CldrLocale("ru", gettext.NullTranslations()).integer_for(1.5) is None  # "fraction"
True
"""

from __future__ import annotations

import decimal
import functools
import gettext
import logging
import numbers
import threading

import babel
import tornado.locale

from website import library_internals
from website.i18n import placeholders, plural_forms, tags

__all__ = ["CldrLocale", "FRACTION_CONTEXT", "Translated", "formats_like", "pgettext_noop"]

FRACTION_CONTEXT = "fraction"
_log = logging.getLogger("website.i18n")


class Translated(str):
    """A translation that formats like ``str``, or as its source when it cannot.

    The catalog checks refuse a translation Python's ``%`` cannot format
    with the source's values, but a ``.mo`` made by hand or by an older
    release never went through them: for that call the visitor sees the
    source text, formatted, and the log names the entry once, instead of a
    page that answers 500 to everyone.

    >>> Translated("Page %(page)s sur %(oops)s", "Page %(page)s of %(pages)s", "fr") % dict(page=1, pages=2)
    'Page 1 of 2'
    """

    __slots__ = ("source", "locale_code")

    def __new__(cls, text: str, source: str, locale_code: str) -> "Translated":
        translated = super().__new__(cls, text)
        translated.source, translated.locale_code = source, locale_code
        return translated

    def __mod__(self, values):
        try:
            return str.__mod__(self, values)
        except (KeyError, ValueError, TypeError, IndexError, OverflowError) as error:
            failed(self.locale_code, self.source, str(self), error)
            return self.source % values


_failed: set = set()
_failed_lock = threading.Lock()


def failed(locale_code: str, source: str, translation: str, error: Exception) -> None:
    """Log, once per process and entry, that a translation could not be formatted."""
    key = (locale_code, source, translation)
    with _failed_lock:
        if key in _failed:
            return
        _failed.add(key)
    _log.error("%s: the translation of %r cannot be formatted (%s: %s); showing the source instead: %r",
               locale_code, source, type(error).__name__, error, translation)


def formats_like(translation: str, *sources: str) -> bool:
    """Whether ``translation`` formats with whatever values its source formats with.

    True when each of its placeholders is one of the sources' (a plural's
    singular and plural), written the same way, and positional ones are a
    source's, in its order: the catalog checks require no less, so a
    compiled catalog passes. A hand-made ``.mo`` may not.

    >>> formats_like("%(count)s éléments", "%(count)s item", "%(count)s items")
    True
    >>> formats_like("%(count)d", "%(count)s"), formats_like("%(page)s sur %(pages)s", "Page %(page)s")
    (False, False)
    """
    if "%" not in translation or translation in sources:
        return True
    try:
        found = [spec.text for spec in placeholders.parse(translation) if spec.conversion != "%"]
        wanted = [[spec for spec in placeholders.parse(source) if spec.conversion != "%"] for source in sources]
    except placeholders.PlaceholderError:
        return False
    if any(text[1:2] != "(" for text in found):
        return any(found == [spec.text for spec in specs] for specs in wanted)
    return set(found) <= {spec.text for specs in wanted for spec in specs}


def pgettext_noop(context: str, message: str) -> str:
    """Mark a message for extraction without translating it (as Django's)."""
    return message


def _source_form(message: str, plural_message: str, count) -> str:
    """The source text for ``count``, chosen by English's CLDR rule ("1.0 items")."""
    if isinstance(count, bool) or not isinstance(count, (numbers.Number, decimal.Decimal)):
        raise TypeError(f"plural count must be a number, not {type(count).__name__}")
    return message if _SOURCE_RULE(abs(decimal.Decimal(str(count)))) == "one" else plural_message


_SOURCE_RULE = babel.Locale("en").plural_form


class CldrLocale(tornado.locale.GettextLocale):
    """A :class:`tornado.locale.GettextLocale` that handles fractional counts."""

    def __init__(
        self, code: str, translations: gettext.NullTranslations, cldr_id: str | None = None
    ) -> None:
        """``cldr_id``: the CLDR locale whose plural rules apply (default: ``code``'s)."""
        # The catalog's messages: the one way to tell "untranslated" from
        # "translated identically". Set before Tornado's __init__, which
        # already translates (month names).
        self._messages = library_internals.messages(translations)
        # (translation, source) -> whether it formats like its source: worked
        # out once per entry, so that only a translation that may fail is
        # wrapped in Translated. Keys come from the catalog, never a request.
        self._formats: dict[tuple[str, str], bool] = {}
        super().__init__(code, translations)
        self._cldr_id = cldr_id or tags.to_gettext_id(code)
        self._plural_header = translations.info().get("plural-forms")

    def _checked(self, result: str, message: str, plural_message: str | None = None, count=None) -> str:
        """``result``, or a :class:`Translated` falling back to the source if it may not format."""
        if result is message or "%" not in result:
            return result
        key = (result, message, plural_message)
        ok = self._formats.get(key)
        if ok is None:
            sources = (message,) if plural_message is None else (message, plural_message)
            ok = self._formats[key] = formats_like(result, *sources)
        if ok:
            return result
        source = message if plural_message is None else _source_form(message, plural_message, count)
        return Translated(result, source, self.code)

    # Both only matter for fractional counts, and each costs a locale's CLDR
    # data or a sweep of ten thousand integers: worked out on first use, not
    # for a hundred locales at start-up.
    @functools.cached_property
    def _rule(self):
        return babel.Locale.parse(self._cldr_id).plural_form

    @functools.cached_property
    def _representative(self) -> dict[str, int]:
        """The smallest integer of each category, standing in for the category."""
        return plural_forms.integer_examples(self._cldr_id)

    @functools.cached_property
    def _plural(self):
        try:
            return plural_forms.parse_header(self._plural_header)[1] if self._plural_header else None
        except ValueError:
            return None

    def form_index(self, count) -> int | None:
        """Which of the catalog's plural forms (``msgstr[i]``) shows ``count``.

        None when the catalog has no plural rule or ``count`` is not a
        number. A fraction whose category no integer takes (Russian 1.5)
        counts as the form of 2, as :meth:`translate` shows it when its
        "fraction" entry is untranslated.

        >>> import gettext
        >>> CldrLocale("en", gettext.NullTranslations()).form_index(1) is None
        True
        """
        if self._plural is None:
            return None
        try:
            integer = self.integer_for(count)
        except TypeError:
            return None
        return self._plural(integer if integer is not None else 2)

    def translate(self, message, plural_message=None, count=None):
        # A page calls this for every string it shows: the common cases (a
        # singular, an int count) go straight to gettext.
        if plural_message is None:
            # The catalog's table first, and the fallback judged only for
            # text with a placeholder: a page has a hundred of these calls,
            # and two Python frames each were a tenth of the peers' page.
            result = self._messages.get(message)
            if result is None:
                result = self.gettext(message)
            if result is message or "%" not in result:
                return result
            return self._checked(result, message)
        if not self._has_plural(message):
            return _source_form(message, plural_message, count)
        if type(count) is int:
            return self._checked(self.ngettext(message, plural_message, count), message, plural_message, count)
        integer = self.integer_for(count)
        if integer is None:
            return self._checked(self._fraction_form(None, message, plural_message), message, plural_message, count)
        return self._checked(super().translate(message, plural_message, integer), message, plural_message, count)

    def pgettext(self, context, message, plural_message=None, count=None):
        if plural_message is None:
            return self._checked(super().pgettext(context, message), message)
        # Tornado falls back to the context-free entry when the context has none.
        keyed = f"{context}{tornado.locale.CONTEXT_SEPARATOR}{message}"
        if not (self._has_plural(keyed) or self._has_plural(message)):
            return _source_form(message, plural_message, count)
        integer = self.integer_for(count)
        if integer is None:
            return self._checked(self._fraction_form(context, message, plural_message), message, plural_message, count)
        return self._checked(super().pgettext(context, message, plural_message, integer),
                             message, plural_message, count)

    def _has_plural(self, key: str) -> bool:
        """Whether the catalog translates the plural entry ``key`` (msgctxt\\x04msgid).

        An untranslated or fuzzy entry is not in a ``.mo`` built by ``make
        compile`` (see :mod:`website.toolchain.compiling`); it must then read
        as the source does, with the source language's rule for *this*
        count, not with an integer standing in for another language's category.
        """
        return (key, 0) in self._messages

    def integer_for(self, count) -> int | None:
        """An integer that takes the same plural form as ``count``.

        ``None`` when CLDR's category for ``count`` has no integer (fractions
        in Russian): the caller then uses the "fraction" entry.
        """
        if isinstance(count, bool) or not isinstance(count, (numbers.Number, decimal.Decimal)):
            raise TypeError(f"plural count must be a number, not {type(count).__name__}")
        if isinstance(count, numbers.Integral):
            return int(count)
        value = decimal.Decimal(str(count))
        if value == value.to_integral_value() and value.as_tuple().exponent >= 0:
            return int(value)
        # 1.0 is not the integer 1 to CLDR (visible fraction digits), so it
        # goes through the rule like any other decimal.
        return self._representative.get(self._rule(abs(value)))

    def _fraction_form(self, context, message, plural_message) -> str:
        key = f"{FRACTION_CONTEXT}{tornado.locale.CONTEXT_SEPARATOR}{plural_message}"
        result = self.gettext(key)
        if tornado.locale.CONTEXT_SEPARATOR not in result:
            return result
        # Untranslated: the form of 2 is the nearest guess (it is the
        # genitive singular, so right, in Russian).
        if context is None:
            return super().translate(message, plural_message, 2)
        return super().pgettext(context, message, plural_message, 2)
