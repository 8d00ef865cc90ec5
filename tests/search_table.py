"""One table of searches, run on the server (test_collation) and in Chromium (test_browser).

Each case: the display locale (BCP 47), the query typed, tags it must find,
tags it must not find. Both sides must also find exactly the same tags.
"""

from __future__ import annotations

SEARCHES = [
    # case and accents, at the page's collation
    ("fr", "francais", {"fr"}, set()),
    ("fr", "FRANÇAIS", {"fr"}, set()),
    ("de", "franzosisch", {"fr"}, set()),
    ("ru", "ФРАНЦУЗСКИЙ", {"fr"}, set()),
    ("uk", "УКРАЇН", {"uk"}, set()),
    # width: full-width Latin, half-width katakana
    ("en", "ＦＲ", {"fr"}, set()),
    ("de", "ＤＥＵＴＳＣＨ", {"de"}, set()),
    ("ja", "ﾌﾗﾝｽ", {"fr"}, set()),
    # Hebrew points and Arabic harakat are ignored; Persian and Arabic yeh are one letter in fa
    ("he", "עִבְרִית", {"he"}, set()),
    ("ar", "العَرَبِيَّة", {"ar"}, set()),
    ("fa", "فارسي", {"fa"}, set()),
    # a letter of the page's alphabet is not an accent (ñ in Spanish, ł in Polish, å in
    # Swedish) for the order, but people type without it: the Latin-ASCII fold finds it
    ("en", "espanol", {"es"}, set()),
    ("es", "español", {"es"}, set()),
    ("es", "espanol", {"es"}, set()),
    ("pl", "łaciński", {"la"}, set()),
    ("pl", "lacinski", {"la"}, set()),
    ("sv", "lågtyska", {"nds"}, set()),
    ("sv", "lagtyska", {"nds"}, set()),
    # expansions, both ways: ß ~ ss, æ ~ ae
    ("de", "altpreussisch", {"prg"}, set()),
    ("de", "belaruß", {"be"}, set()),
    ("da", "graesk", {"el"}, set()),
    ("da", "færøsk", {"fo"}, set()),
    ("fr", "ﬁnnois", {"fi"}, set()),
    # other scripts by their romanization: ICU's, BGN/PCGN's, the customary one
    ("en", "russkij", {"ru"}, set()),
    ("fr", "russkiy", {"ru"}, set()),
    ("ru", "russkiy", {"ru"}, set()),
    ("ja", "nihongo", {"ja"}, set()),
    ("en", "nihongo", {"ja"}, set()),
    ("ja", "furansu", {"fr"}, set()),
    ("zh-Hans", "zhongwen", {"zh"}, set()),
    ("zh-Hans", "fayu", {"fr"}, set()),
    ("ar", "arabiyya", {"ar"}, set()),
    ("he", "ivrit", {"he"}, set()),
    ("en", "farsi", {"fa"}, set()),
    ("pl", "ellinika", {"el"}, set()),
    # names in Chinese, codes, English names on any page
    ("zh-Hans", "法语", {"fr"}, set()),
    ("ru", "ukrain", {"uk"}, set()),
    ("ja", "PT", {"pt"}, set()),
    # mixed scripts find nothing, and nothing breaks
    ("en", "fr中文ру", set(), {"fr", "zh", "ru"}),
    # the fold forgives accents, not other letters
    ("pl", "lacinsky", set(), {"la"}),
    ("de", "strase", set(), {"prg"}),
]
