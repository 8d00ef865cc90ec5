"""Who is signed in, and in which mode: the workspace's cookies, read in one place.

- ``session`` (:data:`SESSION_COOKIE`): the token of an
  :class:`~website.workspace.accounts.Accounts` session, ``HttpOnly``,
  ``SameSite=Lax``; set at sign-in, cleared at sign-out;
- ``translator`` (:data:`MODE_COOKIE`): signed, ``HttpOnly``, the catalog id
  translator mode is on for. It counts only together with a valid session
  whose account may still edit that language (:class:`TranslatorState`).

Both the workspace's handlers and translator mode read them through this
module, so neither imports the other.

>>> safe_next("/translate/ru?state=fuzzy"), safe_next("//evil.example/"), safe_next("https://x/")
('/translate/ru?state=fuzzy', '/translate', '/translate')
"""

from __future__ import annotations

import dataclasses
import urllib.parse

import tornado.web

from website.handlers import xsrf
from website.i18n import tags, translator_marks
from website.workspace.roles import User

__all__ = [
    "SESSION_COOKIE",
    "MODE_COOKIE",
    "DEFAULT_NEXT",
    "session_token",
    "start_session",
    "end_session",
    "signed_in_user",
    "find_state",
    "state_of",
    "TranslatorState",
    "safe_next",
]

SESSION_COOKIE = xsrf.SESSION_COOKIE  # its XSRF token is bound to it
MODE_COOKIE = "translator"
DEFAULT_NEXT = "/translate"
#: The setting that turns translator mode off (``--translator_mode=false``).
MODE_SETTING = "translator_mode"


def session_token(handler: tornado.web.RequestHandler) -> str | None:
    """The session token the request carries, or None."""
    return handler.get_cookie(SESSION_COOKIE) or None


def start_session(handler: tornado.web.RequestHandler, token: str) -> None:
    """Send the session cookie for ``token``."""
    handler.set_cookie(SESSION_COOKIE, token, path="/", httponly=True, samesite="Lax",
                       secure=handler.request.protocol == "https")


def end_session(handler: tornado.web.RequestHandler) -> None:
    """Clear the session cookie."""
    handler.clear_cookie(SESSION_COOKIE, path="/")


async def signed_in_user(handler: tornado.web.RequestHandler, workspace) -> User | None:
    """The account of the request's session, or None; looked up on the workspace's threads.

    The lookup may write (the idle timer, an expired session), so it never
    runs on the IOLoop.
    """
    token = session_token(handler)
    return await workspace.run(workspace.accounts.session_user, token) if token else None


@dataclasses.dataclass
class TranslatorState:
    """What a signed-in request knows about translator mode.

    On a page rendered marked, :attr:`marks` collects what it translated and
    :attr:`templates` the templates it rendered.
    """

    user: User
    #: The catalog id the mode is on for, or None.
    mode: str | None
    #: The catalog id of the page's language.
    page: str | None
    marks: translator_marks.Marks | None = None
    templates: list[str] = dataclasses.field(default_factory=list)

    @property
    def active(self) -> bool:
        """Whether this page is rendered marked: the mode is on for its language."""
        return self.mode is not None and self.mode == self.page and self.user.may_edit(self.mode)

    @property
    def may_edit_page(self) -> bool:
        return self.page is not None and self.user.may_edit(self.page)

    @property
    def page_tag(self) -> str | None:
        return tags.from_gettext_id(self.page) if self.page else None


async def find_state(handler: tornado.web.RequestHandler, page_tag: str | None) -> TranslatorState | None:
    """The translator state of a request, or None for a visitor (no valid session).

    Only requests carrying a session cookie get past one cookie lookup.
    """
    workspace = handler.settings.get("workspace")
    if workspace is None or not handler.settings.get(MODE_SETTING, True):
        return None
    if not session_token(handler):
        return None
    user = await signed_in_user(handler, workspace)
    return state_of(handler, user, page_tag)


def state_of(handler: tornado.web.RequestHandler, user: User | None, page_tag: str | None) -> TranslatorState | None:
    """The translator state for an already known signed-in ``user`` (None: a visitor)."""
    if user is None or not handler.settings.get(MODE_SETTING, True):
        return None
    raw = handler.get_signed_cookie(MODE_COOKIE, max_age_days=7)
    mode = raw.decode("ascii", "replace") if raw else None
    return TranslatorState(user, mode, tags.to_gettext_id(page_tag) if page_tag else None)


def safe_next(value: str) -> str:
    """``value`` if it is a path on this site, else the workspace's front page."""
    if not value or len(value) > 2000 or not value.startswith("/") or value.startswith(("//", "/\\")):
        return DEFAULT_NEXT
    if any(ord(c) < 0x20 or c == "\\" for c in value):
        return DEFAULT_NEXT
    parts = urllib.parse.urlsplit(value)
    if parts.scheme or parts.netloc:
        return DEFAULT_NEXT
    return value
