"""Translator mode: pages marked for in-place editing, and live updates.

A signed-in translator turns the mode on for one language they may edit
with the form ``POST /translate/mode`` (``on=1`` or ``on=0``, ``tag``,
``_xsrf``, ``next``). The choice is a signed, ``HttpOnly`` cookie
(``translator``, holding the catalog id); it counts only together with a
valid ``session`` cookie whose account may still edit that language, so
signing out, a disabled account or a withdrawn right ends it.

Requests without a ``session`` cookie (every visitor) never reach any of
this: :func:`find_state` returns None after one cookie lookup, and the page
is rendered, cached and sent exactly as without the feature.

``/translate/<tag>/live`` is a WebSocket for open pages in translator mode:
it accepts only a signed-in session whose account may edit ``<tag>`` and a
request whose ``Origin`` (when sent) is the site's own, and it sends only
``{"id": entry id, "translation": [...], "fuzzy": bool}``. An open socket's
session is checked again every :data:`RECHECK_SECONDS`; signing out closes it.

How a save reaches every worker process: each process that has at least one
live socket open polls the workspace's SQLite ``history`` table for rows
newer than the last it saw (:class:`Feed`, four times a second). The history
row is written by whichever worker took the save, in the same transaction
as nothing else, before the recompile; it already names the entry and its
new value, so no catalog needs diffing, and SQLite in WAL mode serves the
indexed range read without blocking the writer. The catalog reloader's swap
would come later (after the recompile and a stable poll) and would say only
"this locale changed". With no socket open nothing polls.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging

import tornado.web
import tornado.websocket
from tornado.web import url

from website import security
from website.handlers.page_hook import PageHook
from website.i18n import in_context, tags
from website.workspace.accounts import User
from website.workspace.service import Workspace

__all__ = ["routes", "find_state", "state_of", "browser_ids", "TranslatorState", "TranslatorModeHook",
           "MODE_COOKIE", "Feed"]

log = logging.getLogger(__name__)

MODE_COOKIE = "translator"
SESSION_COOKIE = "session"  # website.workspace.handlers.SESSION_COOKIE (imported there from here would loop)
POLL_SECONDS = 0.25
#: How often an open socket's session is checked again: signing out, a
#: disabled account or a withdrawn language closes it within this time.
RECHECK_SECONDS = 5.0


@dataclasses.dataclass(frozen=True)
class TranslatorState:
    """What a signed-in request knows about translator mode."""

    user: User
    #: The catalog id the mode is on for, or None.
    mode: str | None
    #: The catalog id of the page's language.
    page: str | None

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

    The session is read on the workspace's threads (it may write: the idle
    timer, an expired session), never on the IOLoop. Only requests carrying
    a session cookie get here (never a visitor's).
    """
    workspace: Workspace | None = handler.settings.get("workspace")
    if workspace is None or not handler.settings.get("translator_mode", True):
        return None
    token = handler.get_cookie(SESSION_COOKIE)
    if not token:
        return None
    user = await workspace.run(workspace.accounts.session_user, token)
    return state_of(handler, user, page_tag)


def state_of(handler: tornado.web.RequestHandler, user: User | None, page_tag: str | None) -> TranslatorState | None:
    """The translator state for an already known signed-in ``user`` (None: a visitor)."""
    if user is None or not handler.settings.get("translator_mode", True):
        return None
    raw = handler.get_signed_cookie(MODE_COOKIE, max_age_days=7)
    mode = raw.decode("ascii", "replace") if raw else None
    return TranslatorState(user, mode, tags.to_gettext_id(page_tag) if page_tag else None)


def browser_ids(workspace: Workspace, gettext_id: str) -> dict[str, str]:
    """The entry id of each message of ``static/js``, keyed as the browser catalog keys them.

    ``msgid``, or ``context + "\\x04" + msgid``: what ``static/js/translator.js``
    needs to mark the strings scripts write into the page.
    """
    try:
        entries, _index = workspace.store.listing(gettext_id)
    except (KeyError, OSError, ValueError):
        return {}
    return {
        (f"{e['context']}\x04{e['source'][0]}" if e["context"] else e["source"][0]): e["id"]
        for e in entries if any(ref.startswith("static/js/") for ref in e["references"])
    }


PANEL_TEMPLATE = "_translator.html"


@dataclasses.dataclass
class _PageState:
    """One signed-in translator's page request: who, and in mode what the render translated."""

    translator: TranslatorState
    marks: in_context.Marks | None
    templates: list[str] = dataclasses.field(default_factory=list)


class TranslatorModeHook(PageHook):
    """Translator mode on the site's pages (``settings["page_hook"]``, installed by ``app.py``).

    A request with a session cookie is looked up; a signed-in translator's
    page is personal, shows the mode's switch, and in mode is rendered with
    a :class:`~website.i18n.in_context.MarkingLocale` and rewritten by
    :func:`~website.i18n.in_context.apply` with the data the editor reads.
    """

    def __init__(self, workspace: Workspace):
        self.workspace = workspace

    def applies(self, request) -> bool:
        if "Cookie" not in request.headers:
            return False  # a visitor without cookies: no parsing at all
        morsel = request.cookies.get(SESSION_COOKIE)
        return morsel is not None and bool(morsel.value)

    async def prepare(self, handler, tag: str) -> _PageState | None:
        translator = await find_state(handler, tag)
        if translator is None:
            return None
        return _PageState(translator, in_context.Marks() if translator.active else None)

    def rewrites(self, state: _PageState) -> bool:
        return state.marks is not None

    def locale_for(self, state: _PageState, locale):
        return locale if state.marks is None else in_context.MarkingLocale(locale, state.marks)

    def template_rendered(self, state: _PageState, name: str) -> None:
        if state.marks is not None and name != PANEL_TEMPLATE:
            state.templates.append(name)

    def finish_page(self, handler, state: _PageState, body: str) -> str:
        """The page with its markers turned into HTML, and the data the editor's script reads."""
        page, panel = in_context.apply(body, state.marks)
        tag = handler.choice.tag
        data = {
            "tag": tag,
            "api": handler.reverse_url("translate_entries", tag),
            "live": handler.reverse_url("translator_live", tag),
            "strings": in_context.describe(state.marks),
            "panel": panel,
            "title": state.marks.title,
            # base.html is reached through {% extends %}, not render_string.
            "templates": sorted({"base.html", *state.templates}),
        }
        # What the page's scripts translate (static/js), so that they are marked too.
        data["js"] = browser_ids(self.workspace, state.translator.mode)
        catalog = handler.site_locale.js_catalog
        data["plural"] = json.loads(catalog.body).get("plural") if catalog else None
        # In a JSON data block (never executed, so CSP allows it): "<" escaped.
        element = ('<script type="application/json" id="translator-data">'
                   + json.dumps(data, ensure_ascii=False).replace("<", "\\u003c") + "</script>")
        at = page.rfind("</body>")
        return page[:at] + element + page[at:] if at >= 0 else page + element

    def panel(self, handler, state) -> str:
        """The mode's switch (and in mode its editor's assets); ``state`` may be a bare
        :class:`TranslatorState` (the workspace's own pages)."""
        translator = state.translator if isinstance(state, _PageState) else state
        return handler.render_string(PANEL_TEMPLATE, translator=translator).decode("utf-8")


def routes(workspace: Workspace) -> list:
    """The URL specs; they must come before the workspace's ``/translate/<tag>``."""
    return [
        url(r"/translate/mode", ModeHandler, dict(workspace=workspace), name="translator_mode"),
        # One feed per application, so per process.
        url(r"/translate/([^/]+)/live", LiveHandler, dict(workspace=workspace, feed=Feed(workspace)),
            name="translator_live"),
    ]


# Imported late: handlers imports the base handler, which imports this module's users.
from website.workspace.handlers import WorkspaceHandler, safe_next  # noqa: E402


class ModeHandler(WorkspaceHandler):
    """``POST /translate/mode``: turn translator mode on (for a language) or off."""

    async def post(self) -> None:
        user = self.require_user()
        on = self.get_body_argument("on", "0")
        next_url = safe_next(self.get_body_argument("next", ""))
        if on not in ("0", "1"):
            raise tornado.web.HTTPError(400, "on must be 1 or 0")
        if on == "0":
            self.clear_cookie(MODE_COOKIE, path="/")
        else:
            raw_tag = self.get_body_argument("tag", "")[:40]
            gettext_id = tags.to_gettext_id(raw_tag) if raw_tag else None
            if gettext_id is None or self.workspace.store.po_path(gettext_id) is None:
                raise tornado.web.HTTPError(404, "no catalog for %r", raw_tag)
            if not user.may_edit(gettext_id):
                raise tornado.web.HTTPError(403, f"{user.name} may not edit {tags.from_gettext_id(gettext_id)}")
            self.set_signed_cookie(MODE_COOKIE, gettext_id, expires_days=None, path="/", httponly=True,
                                   samesite="Lax", secure=self.request.protocol == "https")
        self.redirect(next_url, status=303)


class Feed:
    """One per process: new history rows, polled while anyone listens, sent to the sockets."""

    def __init__(self, workspace: Workspace):
        self.workspace = workspace
        self.sockets: dict[str, set] = {}  # catalog id -> open LiveHandlers
        self.last_id: int | None = None
        self._task: asyncio.Task | None = None

    def add(self, gettext_id: str, socket) -> None:
        self.sockets.setdefault(gettext_id, set()).add(socket)
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self._poll())

    def remove(self, gettext_id: str, socket) -> None:
        self.sockets.get(gettext_id, set()).discard(socket)

    def _listening(self) -> bool:
        return any(self.sockets.values())

    async def _poll(self) -> None:
        if self.last_id is None:
            self.last_id = await self.workspace.run(self.workspace.history.latest_id)
        checked = asyncio.get_running_loop().time()
        while self._listening():
            if asyncio.get_running_loop().time() - checked >= RECHECK_SECONDS:
                checked = asyncio.get_running_loop().time()
                await self._recheck()
            try:
                rows = await self.workspace.run(self._rows_after, self.last_id)
            except Exception:
                log.exception("reading the history for live updates failed")
                rows = []
            for row in rows:
                self.last_id = max(self.last_id, row["id"])
                self.send(row["locale"], row["entry_id"], json.loads(row["after"]))
            await asyncio.sleep(POLL_SECONDS)
        self.last_id = None  # started again from "now" by the next socket

    async def _recheck(self) -> None:
        """Close the sockets whose session ended or whose account may no longer edit their language."""
        for gettext_id, sockets in list(self.sockets.items()):
            for socket in list(sockets):
                try:
                    user = await self.workspace.run(self.workspace.accounts.session_user, socket.token)
                except Exception:
                    log.exception("checking a live socket's session failed")
                    continue
                if user is None or not user.may_edit(gettext_id):
                    self.remove(gettext_id, socket)
                    socket.close(4001, "session ended")

    def _rows_after(self, last: int) -> list:
        return self.workspace.db.read(lambda c: c.execute(
            "SELECT id, locale, entry_id, after FROM history WHERE id > ? ORDER BY id LIMIT 500",
            (last,)).fetchall())

    def send(self, gettext_id: str, entry_id: str, value: dict) -> None:
        message = json.dumps({"id": entry_id, "translation": value.get("translation", []),
                              "fuzzy": bool(value.get("fuzzy"))}, ensure_ascii=False)
        for socket in list(self.sockets.get(gettext_id, ())):
            try:
                socket.write_message(message)
            except tornado.websocket.WebSocketClosedError:
                self.remove(gettext_id, socket)


class LiveHandler(tornado.websocket.WebSocketHandler):
    """``/translate/<tag>/live``: the saved changes of one language, as they happen."""

    def initialize(self, workspace: Workspace, feed: Feed) -> None:
        self.workspace = workspace
        self.feed = feed
        self.gettext_id: str | None = None

    async def prepare(self) -> None:
        # Authentication and authorization before the upgrade: a refused
        # socket is a plain HTTP answer, never an open connection.
        origin = self.request.headers.get("Origin")
        if origin is not None and origin.rstrip("/").lower() != self._site_origin():
            raise tornado.web.HTTPError(403, "cross-origin WebSocket refused")
        token = self.get_cookie(SESSION_COOKIE)
        user = await self.workspace.run(self.workspace.accounts.session_user, token) if token else None
        if user is None:
            raise tornado.web.HTTPError(401, "not signed in")
        raw_tag = self.path_args[0] if self.path_args else ""
        gettext_id = tags.to_gettext_id(raw_tag[:40])
        if gettext_id is None or self.workspace.store.po_path(gettext_id) is None:
            raise tornado.web.HTTPError(404, "no such catalog")
        if not user.may_edit(gettext_id):
            raise tornado.web.HTTPError(403, "not a language this account may edit")
        self.gettext_id = gettext_id
        self.token = token

    def _site_origin(self) -> str:
        return security.public_origin(self.request, self.settings.get("origin", "")).lower()

    def check_origin(self, origin: str) -> bool:
        # Also called by Tornado unless the browser says same-origin; prepare()
        # has already compared any Origin with the site's.
        return origin.rstrip("/").lower() == self._site_origin()

    def open(self, *args) -> None:
        self.feed.add(self.gettext_id, self)

    def on_message(self, message) -> None:
        # Nothing is accepted from the page: saves go through the JSON API.
        pass

    def on_close(self) -> None:
        if self.gettext_id:
            self.feed.remove(self.gettext_id, self)
