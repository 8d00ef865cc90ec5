"""Request handlers: one module per part of the site.

:mod:`~website.handlers.base` holds what every page shares (locale choice,
headers, template helpers, error pages); :mod:`~website.handlers.locale_chain`
the ordered sources of a visitor's language; the other modules the pages.
"""
