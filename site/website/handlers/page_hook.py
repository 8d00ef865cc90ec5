"""What another part of the site may add to a page's rendering: one hook, off by default.

The application installs at most one hook (``settings["page_hook"]``, see
:func:`website.app.make_app`); without one, pages use :class:`PageHook`
itself, which changes nothing. The translator workspace installs its
translator mode this way (``website.workspace.translator_mode``), so
``website.handlers`` knows nothing of the workspace.

For each prefixed page request the handler asks, in this order:

1. :meth:`PageHook.applies` (every request, page cache hits before routing
   included: it must be cheap). False: the request is a visitor's, the page
   comes from or goes into the page cache, and nothing else is asked.
2. :meth:`PageHook.prepare`, awaited in ``prepare()``: the request's state,
   or None for a visitor after all. A state makes the page personal:
   ``private, no-store`` (its error page too), never from or into a cache.
3. While rendering: :meth:`PageHook.locale_for` (the locale the templates
   translate with) and :meth:`PageHook.template_rendered`; the base
   template shows :meth:`PageHook.panel`.
4. When :meth:`PageHook.rewrites` says so, the whole page is held back and
   :meth:`PageHook.finish_page` gets it before it is sent.

>>> hook = PageHook()
>>> hook.rewrites(None), hook.finish_page(None, None, "<p>x</p>")
(False, '<p>x</p>')
"""

from __future__ import annotations

from tornado.httputil import HTTPServerRequest

__all__ = ["PageHook", "NO_HOOK"]


class PageHook:
    """The hook's protocol; this implementation adds nothing to any page."""

    def applies(self, request: HTTPServerRequest) -> bool:
        """Whether :meth:`prepare` may find a state for ``request``.

        Called before any handler exists, on every page request: read
        headers or cookies only, never a database.
        """
        return False

    async def prepare(self, handler, tag: str):
        """The state of this request for a page in ``tag``, or None (a visitor's page)."""
        return None

    def rewrites(self, state) -> bool:
        """Whether :meth:`finish_page` must see the whole page before it is sent."""
        return False

    def locale_for(self, state, locale):
        """The locale the page's templates translate with (``locale``, or one wrapping it)."""
        return locale

    def template_rendered(self, state, name: str) -> None:
        """``render_string(name)`` ran for this page (``{% extends %}`` and includes do not count)."""

    def finish_page(self, handler, state, body: str) -> str:
        """The page to send, from the page as rendered."""
        return body

    def panel(self, handler, state) -> str:
        """HTML the base template shows after the footer, for any handler with a state."""
        return ""


#: What a page gets without a hook.
NO_HOOK = PageHook()
