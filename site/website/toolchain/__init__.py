"""The catalog toolchain: what developers and translators run on catalogs.

Extraction from templates, the catalog checks, statistics, the verdict of
each catalog (written next to its ``.mo`` by ``make compile``), compiling
(:func:`website.toolchain.compiling.compile_catalogs`, which returns
outcomes and prints nothing), pseudo-locale generation, and the
``website-catalog`` command that ``make`` calls
(:mod:`website.toolchain.cli`, a thin layer that prints).

It sits above the runtime: it imports only website.i18n, website.files and
website.library_internals from the package, and the runtime never imports
it. The web server loads it only through the translator workspace (the
checks of each save, recompiling the saved catalog); nothing else in the
package imports website.toolchain.cli.
"""
