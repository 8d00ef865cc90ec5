"""The base of every workspace handler: the session, permissions, no-store caching.

Every entry point checks, in this order: the session (401, or the sign-in
page for pages), the catalog (404), the account's right to that language
(403). JSON endpoints (``api = True``) answer errors in JSON.
"""

from __future__ import annotations

import json
import urllib.parse

import babel
import tornado.web

from website import security
from website.handlers.base import BaseHandler
from website.i18n import tags
from website.workspace import sessions
from website.workspace.accounts import User
from website.workspace.service import Workspace

__all__ = ["WorkspaceHandler", "MAX_JSON_BYTES", "NO_STORE"]

MAX_JSON_BYTES = 64 * 1024
NO_STORE = "private, no-store"
_VERBS = {"suggest": "suggest", "translate": "save translations", "review": "review translations"}


class WorkspaceHandler(BaseHandler):
    """Session, permissions and no-store caching for every workspace URL."""

    #: JSON endpoints answer errors in JSON and 401 rather than redirecting.
    api = False
    #: Issue 11's caching policy: personal responses are ``private, no-store``.
    cache_kind = "personal"
    max_body = MAX_JSON_BYTES

    def initialize(self, workspace: Workspace) -> None:
        self.workspace = workspace

    def set_default_headers(self) -> None:
        super().set_default_headers()
        self.set_header("Cache-Control", NO_STORE)

    async def prepare(self) -> None:
        super().prepare()
        if len(self.request.body or b"") > self.max_body:
            raise tornado.web.HTTPError(413, f"the request body is larger than {self.max_body} bytes")
        self.current_user = await sessions.signed_in_user(self, self.workspace)

    @property
    def address(self) -> str:
        return self.request.remote_ip or ""

    def require_user(self) -> User:
        user = self.current_user
        if user is None:
            if self.api or self.request.method not in ("GET", "HEAD"):
                raise tornado.web.HTTPError(401, "not signed in")
            self.redirect(self.reverse_url("login") + "?" + urllib.parse.urlencode({"next": self.request.uri}),
                          status=303)
            raise tornado.web.Finish()
        return user

    async def entry_or_404(self, gettext_id: str, id_: str) -> dict:
        """The entry ``id_`` of a catalog, as the API shows it; 404 when it has none."""
        entry = await self.workspace.run(self.workspace.store.get, gettext_id, id_)
        if entry is None:
            raise tornado.web.HTTPError(404, "no such entry")
        return entry

    def require_language(self, raw_tag: str, action: str = "translate") -> tuple[User, str]:
        """The signed-in user and the gettext id of a catalog whose role allows ``action``.

        ``action`` is one of :data:`~website.workspace.accounts.ROLES`:
        reading and suggesting need ``"suggest"``, saving ``"translate"``,
        approving ``"review"``.
        """
        user = self.require_user()
        gettext_id = tags.to_gettext_id(raw_tag)
        if gettext_id is None or self.workspace.store.po_path(gettext_id) is None:
            # Passed as an argument: Tornado's log line %-formats the message.
            raise tornado.web.HTTPError(404, "no catalog for %r", raw_tag[:100])
        if not user.may(action, gettext_id):
            tag = tags.from_gettext_id(gettext_id)
            if user.role(gettext_id) is None:
                raise tornado.web.HTTPError(403, f"{user.name} may not edit {tag}")
            raise tornado.web.HTTPError(403, f"{user.name} may not {_VERBS[action]} in {tag}")
        return user, gettext_id

    def write_json(self, data, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(data, ensure_ascii=False))

    def write_error(self, status_code: int, **kwargs) -> None:
        if not self.api:
            return super().write_error(status_code, **kwargs)
        error = kwargs.get("exc_info", (None, None))[1]
        message = None
        if isinstance(error, tornado.web.HTTPError) and status_code < 500:
            message = error.log_message and (error.log_message % error.args if error.args else error.log_message)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps({"error": message or security.status_phrase(status_code)}, ensure_ascii=False))

    def get_template_namespace(self) -> dict:
        namespace = super().get_template_namespace()
        namespace.update(user=self.current_user, target_language=self.target_language)
        return namespace

    def target_language(self, gettext_id: str) -> dict:
        """Name, tag and direction of a catalog's language, for the editor page."""
        locale = babel.Locale.parse(gettext_id)
        tag = tags.from_gettext_id(gettext_id)
        return {
            "tag": tag,
            "name": self.site_locale.formatter.language(tag),
            "endonym": locale.get_display_name(locale) or tag,
            "direction": "rtl" if locale.character_order == "right-to-left" else "ltr",
        }
