"""The catalog toolchain: what developers and translators run on catalogs.

Extraction from templates, the catalog checks, statistics, the verdict of
each catalog (written next to its ``.mo`` by ``make compile``), compiling,
pseudo-locale generation and the ``website-catalog`` command that ``make``
calls. The server imports none of it: it reads the files this writes.
"""
