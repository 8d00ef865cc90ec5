"""A multilingual website about the world's languages, on Tornado and Babel.

The package is laid out by who runs the code:

- :mod:`website.i18n`: the i18n runtime that serves requests (tags,
  negotiation, catalogs, translation, plural forms, formatting, markup,
  browser catalogs, live reload);
- :mod:`website.toolchain`: what developers and translators run on catalogs
  (extraction, checks, statistics, activation verdicts, pseudo-locales, the
  ``website-catalog`` command);
- the site itself: :mod:`website.directory` (the directory of languages, from
  CLDR), :mod:`website.handlers` (the pages), and the wiring in
  :mod:`website.app`, :mod:`website.config` and :mod:`website.__main__`.
"""

__version__ = "0.1.0"
