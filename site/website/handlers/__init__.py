"""Request handlers: one module per part of the site.

:mod:`~website.handlers.base` holds what every page shares (locale choice,
headers, template helpers, error pages); :mod:`~website.handlers.locale_chain`
the ordered sources of a visitor's language; :mod:`~website.handlers.prefixes`,
:mod:`~website.handlers.localized` and :mod:`~website.handlers.page_cache`
the prefixed pages, the redirects to them and their cache; the other modules
the pages.

Nothing here imports :mod:`website.workspace`: translator mode reaches page
rendering through :mod:`~website.handlers.page_hook`, installed by
:mod:`website.app`.
"""
