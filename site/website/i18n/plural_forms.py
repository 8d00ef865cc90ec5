"""Plural-Forms headers that agree with CLDR.

gettext picks a plural form with the C expression in a catalog's
``Plural-Forms`` header; CLDR (through Babel) names the plural *category* of a
number. A header is right when, for every integer, the form it picks is the
index of CLDR's category in the order zero, one, two, few, many, other, with
categories that never occur for integers left out.

``pybabel init`` copies headers from Babel's hand-kept table
(:mod:`babel.messages.plurals`), which disagrees with CLDR for several
languages; :data:`PLURAL_FORMS` below overrides it, one line per deviation.

>>> plural_forms("ar")
'nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);'
>>> header_mismatches(plural_forms("ru"), "ru")
[]
"""

from __future__ import annotations

import functools
import re

from babel import Locale
from babel.messages.plurals import get_plural
from babel.plural import to_python

from website import library_internals

__all__ = [
    "PLURAL_FORMS",
    "CATEGORY_ORDER",
    "plural_forms",
    "integer_examples",
    "category_examples",
    "integer_categories",
    "single_number",
    "parse_header",
    "header_mismatches",
]

CATEGORY_ORDER = ("zero", "one", "two", "few", "many", "other")

# CLDR's "many" for French, Spanish and Portuguese is the million class
# ("1 000 000 de langues"): the first integer it covers is 1,000,000, so the
# sample of integers checked must reach that far.
_INTEGER_SAMPLE = (
    tuple(range(0, 10001))
    + tuple(k * 10**6 for k in range(1, 12))
    + (10**9, 10**12)
)

# Keyed by gettext id; a bare language covers its regional catalogs unless a
# regional entry exists. Each entry is a deviation from Babel's table.
PLURAL_FORMS: dict[str, str] = {
    # Babel gives the right six forms but sends n%100 in 0..2 (100, 101, 102)
    # to form 4 and 11..99 to form 5: CLDR's "many" and "other" swapped.
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : "
    "n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);",
    # Babel has two forms; CLDR has one, two, other (the dual).
    "he": "nplurals=3; plural=(n==1 ? 0 : n==2 ? 1 : 2);",
    # Babel has a single form; CLDR has one (0 and 1) and other.
    "fa": "nplurals=2; plural=(n > 1);",
    # Babel has two forms; CLDR adds "many" for exact millions.
    "fr": "nplurals=3; plural=(n==0 || n==1 ? 0 : n!=0 && n%1000000==0 ? 1 : 2);",
    "es": "nplurals=3; plural=(n==1 ? 0 : n!=0 && n%1000000==0 ? 1 : 2);",
    "it": "nplurals=3; plural=(n==1 ? 0 : n!=0 && n%1000000==0 ? 1 : 2);",
    "ca": "nplurals=3; plural=(n==1 ? 0 : n!=0 && n%1000000==0 ? 1 : 2);",
    "pt": "nplurals=3; plural=(n==0 || n==1 ? 0 : n!=0 && n%1000000==0 ? 1 : 2);",
    # European Portuguese: "one" is only 1 in CLDR, unlike Brazilian.
    "pt_PT": "nplurals=3; plural=(n==1 ? 0 : n!=0 && n%1000000==0 ? 1 : 2);",
    # Babel has a single form; CLDR distinguishes one (1) from other.
    "hu": "nplurals=2; plural=(n != 1);",
    "hy": "nplurals=2; plural=(n > 1);",
    "ka": "nplurals=2; plural=(n != 1);",
    "tr": "nplurals=2; plural=(n != 1);",
    # Babel treats 0 as plural; CLDR's "one" is 0 and 1.
    "bn": "nplurals=2; plural=(n > 1);",
    "hi": "nplurals=2; plural=(n > 1);",
    "pa": "nplurals=2; plural=(n > 1);",
    # Babel treats 0 as singular; CLDR's "one" is 1 only.
    "fur": "nplurals=2; plural=(n != 1);",
    # Babel puts "zero" last; CLDR orders zero, one, other.
    "lv": "nplurals=3; plural=(n%10==0 || n%100>=11 && n%100<=19 ? 0 : "
    "n%10==1 && n%100!=11 ? 1 : 2);",
    # Babel has five forms; CLDR has six (3 is "few", 6 is "many").
    "cy": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n==3 ? 3 : n==6 ? 4 : 5);",
}

_NPLURALS_RE = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?);?\s*$")


def plural_forms(gettext_id: str) -> str:
    """The Plural-Forms header value for a catalog, CLDR-correct where we know.

    Looks up the project's table (exact id, then the bare language), then
    falls back to Babel's table.
    """
    language = gettext_id.split("_")[0]
    for key in (gettext_id, language):
        if key in PLURAL_FORMS:
            return PLURAL_FORMS[key]
    plural = get_plural(gettext_id)
    return f"nplurals={plural.num_plurals}; plural={plural.plural_expr};"


def integer_examples(gettext_id: str) -> dict[str, int]:
    """The smallest integer of each CLDR category that integers take, in gettext order.

    >>> integer_examples("fr")
    {'one': 0, 'many': 1000000, 'other': 2}
    """
    return dict(_integer_examples(_rules_of(gettext_id)))


def category_examples(gettext_id: str, numbers=_INTEGER_SAMPLE, per_category: int = 6) -> dict[str, tuple]:
    """The first ``per_category`` numbers of ``numbers`` in each of CLDR's categories, in gettext order.

    Categories none of ``numbers`` takes are left out. Numbers may be
    decimals (:class:`decimal.Decimal`), as CLDR's rules read them.

    >>> category_examples("ru", per_category=3)
    {'one': (1, 21, 31), 'few': (2, 3, 4), 'many': (0, 5, 6)}
    """
    rule = _rule_function(_rules_of(gettext_id))
    found: dict[str, list] = {category: [] for category in CATEGORY_ORDER}
    for n in numbers:
        bucket = found[rule(n)]
        if len(bucket) < per_category:
            bucket.append(n)
    return {category: tuple(found[category]) for category in CATEGORY_ORDER if found[category]}


@functools.lru_cache(maxsize=512)
def _rules_of(gettext_id: str) -> tuple:
    """CLDR's plural rules of a locale, hashable: many languages share the same.

    Cached: Babel compiles the rules again on every ``plural_form.rules``,
    and the checks ask once per plural entry of a catalog.
    """
    return tuple(sorted(Locale.parse(gettext_id).plural_form.rules.items()))


@functools.lru_cache(maxsize=256)
def _rule_function(rules: tuple):
    # Babel compiles the rules to Python: far faster than PluralRule.__call__
    # over the ten thousand numbers checked below.
    return to_python(dict(rules))


@functools.lru_cache(maxsize=256)
def _sample_categories(rules: tuple) -> tuple[str, ...]:
    """CLDR's category of each number of the integer sample: computed once per rules."""
    rule = _rule_function(rules)
    return tuple(rule(n) for n in _INTEGER_SAMPLE)


@functools.lru_cache(maxsize=256)
def _integer_examples(rules: tuple) -> tuple[tuple[str, int], ...]:
    smallest: dict[str, int] = {}
    for n, category in zip(_INTEGER_SAMPLE, _sample_categories(rules)):
        smallest.setdefault(category, n)
    return tuple((c, smallest[c]) for c in CATEGORY_ORDER if c in smallest)


def integer_categories(gettext_id: str) -> tuple[str, ...]:
    """CLDR's plural categories that occur for integers, in gettext order.

    >>> integer_categories("ru")
    ('one', 'few', 'many')
    """
    return tuple(integer_examples(gettext_id))


def single_number(gettext_id: str, category: str) -> bool:
    """Whether exactly one integer (of 0..10000 and the millions) takes ``category``.

    >>> single_number("he", "two"), single_number("ru", "one"), single_number("fr", "one")
    (True, False, False)
    """
    return _single_numbers(_rules_of(gettext_id)).get(category, False)


@functools.lru_cache(maxsize=256)
def _single_numbers(rules: tuple) -> dict[str, bool]:
    rule = _rule_function(rules)
    counts: dict[str, int] = {}
    for n in _INTEGER_SAMPLE:
        category = rule(n)
        counts[category] = counts.get(category, 0) + 1
    return {category: count == 1 for category, count in counts.items()}


def parse_header(header: str) -> tuple[int, object]:
    """Parse a Plural-Forms value into ``(nplurals, plural_function)``.

    Raises :class:`ValueError` with a readable message when it is malformed.
    gettext's own compiler builds the function
    (:func:`website.library_internals.plural_function`), so what is checked
    here is exactly what the running site will evaluate.
    """
    match = _NPLURALS_RE.match(header or "")
    if not match:
        raise ValueError(f"malformed Plural-Forms header: {header!r}")
    nplurals = int(match[1])
    try:
        function = library_internals.plural_function(match[2])
    except (ValueError, SyntaxError, RecursionError) as error:
        raise ValueError(f"malformed plural expression {match[2]!r}: {error}") from None
    if nplurals < 1:
        raise ValueError("nplurals must be at least 1")
    return nplurals, function


def header_mismatches(
    header: str, gettext_id: str, numbers=_INTEGER_SAMPLE, limit: int = 5
) -> list[str]:
    """Describe where ``header`` disagrees with CLDR for ``gettext_id``.

    An empty list means the header is right for every integer in ``numbers``
    (by default 0..10000 and exact millions). Raises :class:`ValueError` for a
    malformed header. Cached per (header, CLDR rules): a hundred catalogs
    sharing a few plural systems cost a few checks.
    """
    return list(_header_mismatches(header, _rules_of(gettext_id), numbers, limit))


@functools.lru_cache(maxsize=1024)
def _header_mismatches(header: str, rules: tuple, numbers, limit: int) -> tuple[str, ...]:
    nplurals, function = parse_header(header)
    categories = tuple(category for category, _ in _integer_examples(rules))
    problems = []
    if nplurals != len(categories):
        problems.append(
            f"nplurals={nplurals}, but CLDR has {len(categories)} integer "
            f"categories ({', '.join(categories)})"
        )
    if numbers is _INTEGER_SAMPLE:  # the usual case: CLDR's answers are cached
        cldr = _sample_categories(rules)
    else:
        rule = _rule_function(rules)
        cldr = tuple(rule(n) for n in numbers)
    for n, category in zip(numbers, cldr):
        expected = categories.index(category)
        got = function(n)
        if got != expected:
            problems.append(
                f"n={n}: header picks form {got}, CLDR says {category!r} (form {expected})"
            )
            if len(problems) >= limit:
                break
    return tuple(problems)
