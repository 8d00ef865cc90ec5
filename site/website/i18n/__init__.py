"""The i18n runtime: everything that serves a request in the visitor's language.

Tags and negotiation choose a locale; catalogs, translation and plural forms
find its strings; formatting, markup and the browser catalogs present them;
the reloader swaps in changed catalogs while the site runs.

The runtime reads what ``make compile`` wrote: each locale's ``.mo`` and the
verdict beside it (:mod:`website.i18n.verdicts`: errors, counts, whether it
may be offered). It never parses a ``.po`` or ``messages.pot`` and never runs
a check, and it does not import :mod:`website.toolchain`, which writes those
files; so start-up and reloads stay fast however large the catalogs grow.
"""
