"""The i18n runtime: everything that serves a request in the visitor's language.

Tags and negotiation choose a locale; catalogs, translation and plural forms
find its strings; formatting, markup and the browser catalogs present them;
the reloader swaps in new catalogs while the site runs. Nothing here parses a
``.po`` file or runs a check itself: that is :mod:`website.toolchain`'s work,
whose verdict the runtime reads.
"""
