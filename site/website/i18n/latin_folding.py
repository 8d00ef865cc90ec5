"""Search keys that forgive: names and queries folded to plain Latin letters.

The directory matches a query at the page's primary collation strength
first (:class:`website.i18n.locale_data.SearchFolding`), which keeps a
language's own letters apart: Polish ``ł`` is not ``l``, Spanish ``ñ`` is
not ``n``. That is right for sorting and wrong for searching: people type
without diacritics (phones, foreign keyboards), and every search engine
they use finds "lacinski" in "łaciński". So a second, looser match: both
sides folded to lowercase ASCII letters and digits.

* A **name** is folded whole with ICU's transliterator
  (``Any-Latin; Latin-ASCII``), so contextual rules apply and other scripts
  come out romanized: "русский" gives "russkij", "中文" "zhongwen" (pinyin),
  "Weißrussisch" "weissrussisch". A language's endonym also gets its
  BGN/PCGN romanization where ICU has one ("russkiy"), and the customary
  romanization of :data:`CUSTOMARY_ROMANIZATIONS`.
* A **query** is folded character by character with one table
  (:func:`query_table`: every character where ICU's fold differs from
  "decompose, drop the marks, lowercase"), then that simple rule. The
  browser receives the same table and applies the same rule, so the live
  search finds exactly what the server finds, without an ICU transliterator
  in JavaScript. Characters that fold to nothing Latin stay themselves,
  so a query in a script the table lacks finds no folded match (it still
  finds its primary matches).

Everything but ``a-z`` and ``0-9`` is dropped from both sides, so spaces,
hyphens and apostrophes never decide a match ("zhong wen" is "zhongwen").

>>> name_keys(["łaciński", "Weißrussisch", "中文"])
['lacinski', 'weissrussisch', 'zhongwen']
>>> query_key("Lacinski"), query_key("straße"), query_key("ﬁ")
('lacinski', 'strasse', 'fi')
>>> endonym_keys([("ru", "русский"), ("ja", "日本語")])
[('russkij', 'russkiy'), ('ribenyu', 'nihongo')]
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence

import icu

__all__ = ["name_keys", "endonym_keys", "query_key", "query_table",
           "CUSTOMARY_ROMANIZATIONS"]

_CHAIN = "Any-Latin; Latin-ASCII; Lower"

# ICU romanizes abjads letter by letter, without the vowels they do not
# write ("עברית" gives "'bryt"), and Japanese kanji by their Mandarin
# readings ("日本語" gives "ribenyu"). No CLDR or ICU data gives the
# romanization people actually type for these endonyms, so it is written
# here: only for languages whose script ICU cannot romanize usefully.
CUSTOMARY_ROMANIZATIONS = {
    "ar": ("arabiyya", "arabi"),
    "fa": ("farsi",),
    "he": ("ivrit",),
    "ja": ("nihongo",),
    "ps": ("pashto",),
    "ur": ("urdu",),
    "yi": ("yiddish", "yidish"),
}

# The characters a query is folded with by table, besides those of the
# directory itself: every Latin letter with a diacritic or of its own (ß, æ,
# ł, ø, đ, þ), Greek, Cyrillic, and full-width forms, which is what people
# type when they mean a Latin spelling.
_TABLE_RANGES = (
    (0x00A0, 0x024F),  # Latin-1 Supplement, Latin Extended-A and -B
    (0x0250, 0x02AF),  # IPA extensions
    (0x0370, 0x03FF),  # Greek
    (0x0400, 0x052F),  # Cyrillic and its supplement
    (0x1E00, 0x1EFF),  # Latin Extended Additional (Vietnamese)
    (0xFB00, 0xFB06),  # Latin ligatures (ﬁ)
    (0xFF01, 0xFF5E),  # full-width ASCII
)


@functools.lru_cache(maxsize=1)
def _transliterator() -> icu.Transliterator:
    return icu.Transliterator.createInstance(_CHAIN)


_NOT_KEY = re.compile(r"[^a-z0-9]+")


def _ascii_only(text: str) -> str:
    return _NOT_KEY.sub("", text.lower())


def _transliterate(text: str) -> str:
    return _transliterator().transliterate(text)


def name_keys(names: Sequence[str]) -> list[str]:
    """Each name romanized by ICU as a whole, lowercase ``a-z0-9`` only.

    One call for many names: ICU's ``Any-`` transliterator splits its input
    into runs of one script on every call, which costs ten times the
    transliteration itself for a short name, so the names go through it
    joined by newlines (no name has one; each line keeps its own context).
    """
    lines = "\n".join(unicodedata.normalize("NFC", name).replace("\n", " ") for name in names)
    keys = [_ascii_only(line) for line in _transliterate(lines).split("\n")]
    if len(keys) != len(names):  # a rule that ate a newline: one by one
        keys = [_ascii_only(_transliterate(unicodedata.normalize("NFC", name))) for name in names]
    return keys


@functools.lru_cache(maxsize=64)
def _bgn(language: str) -> icu.Transliterator | None:
    rule = f"{language}-{language}_Latn/BGN"
    if rule not in _bgn_rules():
        return None
    return icu.Transliterator.createInstance(f"{rule}; Latin-ASCII; Lower")


@functools.lru_cache(maxsize=1)
def _bgn_rules() -> frozenset[str]:
    return frozenset(icu.Transliterator.getAvailableIDs())


def endonym_keys(languages: Sequence[tuple[str, str]]) -> list[tuple[str, ...]]:
    """The keys of each (language code, endonym): ICU's, BGN/PCGN's, the customary ones."""
    found = []
    for (language, endonym), icu_key in zip(languages, name_keys([endonym for _, endonym in languages])):
        keys = [icu_key]
        bgn = _bgn(language)
        if bgn is not None:
            keys.append(_ascii_only(bgn.transliterate(unicodedata.normalize("NFC", endonym))))
        keys += CUSTOMARY_ROMANIZATIONS.get(language, ())
        found.append(tuple(dict.fromkeys(key for key in keys if key)))
    return found


def _simple(char: str) -> str:
    """The fold of a character the table lacks (the browser applies the same rule).

    Decomposed, without its marks, lowercase; ASCII letters and digits are
    kept and other ASCII dropped, like every character that is neither a
    letter nor a digit; a letter of a script the table lacks is kept as it
    is, so that it matches no key (keys are ASCII).
    """
    stripped = "".join(c for c in unicodedata.normalize("NFD", char) if unicodedata.category(c) != "Mn").lower()
    return "".join(c for c in stripped
                   if (c.isascii() and c.isalnum()) or (not c.isascii() and unicodedata.category(c)[0] in "LN"))


@functools.lru_cache(maxsize=1)
def query_table() -> dict[str, str]:
    """Characters whose fold is not :func:`_simple`'s, and their fold.

    The same for every display locale, built once (about 700 entries).
    """
    table = {}
    for first, last in _TABLE_RANGES:
        for code in range(first, last + 1):
            char = chr(code)
            if unicodedata.category(char) in ("Cn", "Co", "Cs", "Cc"):
                continue
            folded = _ascii_only(_transliterate(char))
            if folded != _simple(char):
                table[char] = folded
    return table


def query_key(query: str) -> str:
    """A visitor's query folded character by character (NFC first).

    Bounded work: the caller cuts the query to its maximum length, and no
    character of it is remembered.
    """
    if query.isascii():  # what people mostly type: no table, no decomposition
        return _ascii_only(query)
    table = query_table()
    return "".join(table[c] if c in table else _simple(c) for c in unicodedata.normalize("NFC", query))
