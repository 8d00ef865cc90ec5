"""One catalog entry as the workspace sees it: its value, revision and checks.

An entry's *value* is ``{"translation": [one string per form], "fuzzy":
bool}``; its *revision* is a hash of that value, the token a save's
compare-and-swap compares (Weblate's ``contentsum``). :func:`validate`
refuses values of the wrong shape or with control characters before any
catalog check runs.

>>> revision({"translation": ["Bonjour"], "fuzzy": False})
'rG4ssW4OpWdOupwq'
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import unicodedata

import polib

from website.i18n import plural_forms
from website.i18n.deferred import N_, Message
from website.toolchain import checks

__all__ = [
    "InvalidInput",
    "revision",
    "value_of",
    "validate",
    "form_labels",
    "problems_of",
    "STATES",
    "STATE_CHECKS",
    "MAX_TRANSLATION_LENGTH",
    "problem",
]

# Filters of the entry list: the review states (website.workspace.review),
# entries with problems, and all.
STATES = ("untranslated", "fuzzy", "unreviewed", "problems", "translated", "approved", "all")
MAX_TRANSLATION_LENGTH = 10_000
# Entry checks that describe an entry's state rather than a mistake in it.
STATE_CHECKS = ("untranslated", "fuzzy")
_ALLOWED_CONTROLS = "\n\t"


class InvalidInput(ValueError):
    """A value that cannot be saved: the problems say why."""

    def __init__(self, problems: list[dict]):
        super().__init__("; ".join(p["message"] for p in problems))
        self.problems = problems


def revision(value: dict) -> str:
    """The revision of an entry's value: a hash of its translation(s) and fuzzy flag."""
    data = json.dumps([value["translation"], bool(value["fuzzy"])], ensure_ascii=False)
    return base64.urlsafe_b64encode(hashlib.sha256(data.encode("utf-8")).digest()[:12]).decode()


def value_of(entry: polib.POEntry, nplurals: int) -> dict:
    """``{"translation": [one string per form], "fuzzy": bool}`` of an entry."""
    if entry.msgid_plural:
        count = max(nplurals, len(entry.msgstr_plural))
        translation = [entry.msgstr_plural.get(i, "") for i in range(count)]
    else:
        translation = [entry.msgstr]
    return {"translation": translation, "fuzzy": "fuzzy" in entry.flags}


def validate(entry: polib.POEntry, nplurals: int | None, translation, fuzzy) -> dict:
    """The value to store, or :class:`InvalidInput` for the wrong shape or characters.

    ``nplurals`` is the catalog's (None: its Plural-Forms header is broken).
    """
    expected = (nplurals if entry.msgid_plural else 1)
    if expected is None:
        raise InvalidInput([problem("plural-forms", Message(N_("the catalog's Plural-Forms header is broken: "
                                                               "fix it with website-catalog fix-plurals")))])
    if not isinstance(fuzzy, bool):
        raise InvalidInput([problem("input", Message(N_("'fuzzy' must be true or false")))])
    if not isinstance(translation, list) or not all(isinstance(t, str) for t in translation):
        raise InvalidInput([problem("input", Message(N_("'translation' must be a list of strings")))])
    if len(translation) != expected:
        raise InvalidInput([problem("plural-count", Message(
            N_("wrong number of forms: %(sent)s sent, this entry has %(expected)s"),
            sent=len(translation), expected=expected))])
    for text in translation:
        if len(text) > MAX_TRANSLATION_LENGTH:
            raise InvalidInput([problem("input", Message(N_("a form is longer than %(count)s characters"),
                                                         count=MAX_TRANSLATION_LENGTH))])
        bad = [c for c in text if unicodedata.category(c) in ("Cc", "Cs") and c not in _ALLOWED_CONTROLS]
        if bad:
            raise InvalidInput([problem("control-character", Message(
                N_("control character %(character)s in the translation"), character=f"U+{ord(bad[0]):04X}"))])
    return {"translation": list(translation), "fuzzy": fuzzy}


def problems_of(po: polib.POFile, entry: polib.POEntry, gettext_id: str, path: str,
                nplurals: int | None) -> list[dict]:
    """The catalog checks' findings on one entry, as the JSON API shows them."""
    return [
        {"check": p.check, "severity": p.severity, "message": p.message}
        for p in checks.check_entry(po, entry, gettext_id, path, nplurals=nplurals)
    ]


@functools.lru_cache(maxsize=64)
def form_labels(gettext_id: str, nplurals: int) -> tuple[dict, ...]:
    """Per plural form: its CLDR category and the first integers that take it."""
    try:
        categories = plural_forms.integer_categories(gettext_id)
    except (ValueError, LookupError):
        categories = ()
    if len(categories) != nplurals:
        return tuple({"category": None, "examples": []} for _ in range(nplurals))
    examples = plural_forms.category_examples(gettext_id, (*range(0, 1001), 1_000_000, 2_000_000))
    return tuple({"category": c, "examples": list(examples.get(c, ()))} for c in categories)


def problem(check: str, message: str) -> dict:
    """An error found before the catalog checks, shaped like theirs."""
    return {"check": check, "severity": checks.ERROR, "message": message}
