"""The i18n runtime: everything that serves a request in the visitor's language.

Tags and negotiation choose a locale; catalogs, translation and plural forms
find its strings; formatting, markup and the browser catalogs present them;
the reloader swaps in changed catalogs while the site runs.

The runtime reads what ``make compile`` wrote: each locale's ``.mo`` and the
verdict beside it (:mod:`website.i18n.verdicts`: errors, counts, whether it
may be offered). It never parses a ``.po`` or ``messages.pot`` and never runs
a check, so start-up and reloads stay fast however large the catalogs grow.

It is the lowest layer: it imports nothing of the package outside
website.i18n but website.library_internals, nor, through anything it
imports, website.toolchain or website.workspace (which write the files it
reads). Entry ids (:mod:`~website.i18n.entry_ids`) and the markers of
translator mode (:mod:`~website.i18n.markers`) live here because the
runtime needs them; the layers above import them from here, as they do
deferred messages (:mod:`~website.i18n.deferred`): check and upload findings
kept in English until the HTTP layer shows them in the reader's language.
"""
