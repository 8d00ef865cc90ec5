"""The catalog toolchain: what developers and translators run on catalogs.

Extraction from templates, the catalog checks, statistics, the activation
verdict (whether a locale may be offered), pseudo-locale generation and the
``website-catalog`` command that ``make`` calls. The server imports none of it
on the request path.
"""
