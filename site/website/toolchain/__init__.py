"""The catalog toolchain: what developers and translators run on catalogs.

Extraction from templates, the catalog checks, statistics, the verdict of
each catalog (written next to its ``.mo`` by ``make compile``), compiling
(:func:`website.toolchain.compiling.compile_catalogs`, which returns
outcomes and prints nothing), pseudo-locale generation, the one writer
of ``.po`` files (:mod:`website.toolchain.po_writer`), their three-way
merge (:mod:`website.toolchain.po_merge`, git's merge driver), git
(:mod:`~website.toolchain.git_catalogs`: ``pull``;
:mod:`~website.toolchain.git_sync`: the sync cycle), and the
``website-catalog`` command that ``make`` calls
(:mod:`website.toolchain.cli`, a thin layer that prints).

It sits above the runtime: it imports only website.i18n, website.files and
website.library_internals from the package, and the runtime never imports
it. The web server loads it only through the translator workspace (the
checks of each save, recompiling the saved catalog, its git commits and sync); nothing else in the
package imports website.toolchain.cli.
"""
