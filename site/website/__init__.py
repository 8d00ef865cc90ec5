"""A multilingual website about the world's languages, on Tornado and Babel.

The package is laid out by concern:

- :mod:`website.tags`: BCP 47 tags and gettext ids, the one mapping between them;
- :mod:`website.negotiation`: choosing a language, as pure functions;
- :mod:`website.catalogs`: loading compiled catalogs into servable locales;
- :mod:`website.plural_forms`: CLDR-correct Plural-Forms headers;
- :mod:`website.formatting`: Babel's number and date formatting for templates;
- :mod:`website.languages`: the directory of languages, from CLDR;
- :mod:`website.markup`: HTML around translated text;
- :mod:`website.extract`: the Babel extractor for Tornado templates;
- :mod:`website.catalog_tool`: the ``website-catalog`` command behind ``make init``;
- :mod:`website.handlers`: the request handlers;
- :mod:`website.app`, :mod:`website.config`, :mod:`website.__main__`: wiring.
"""

__version__ = "0.1.0"
