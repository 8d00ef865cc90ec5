"""Translator mode: pages marked for in-place editing, and live updates.

A signed-in translator turns the mode on for one language they may edit
with the form ``POST /translate/mode`` (``on=1`` or ``on=0``, ``tag``,
``_xsrf``, ``next``). The choice is a signed, ``HttpOnly`` cookie
(``translator``, holding the catalog id); it counts only together with a
valid ``session`` cookie whose account may still edit that language, so
signing out, a disabled account or a withdrawn right ends it.

It plugs into page rendering as the application's page hook
(:class:`TranslatorModeHook`, a :class:`website.handlers.page_hook.PageHook`),
so the page handlers know nothing of it. Requests without a ``session``
cookie (every visitor) never reach any of this: :meth:`TranslatorModeHook.applies`
says no after one cookie lookup, and the page is rendered, cached and sent
exactly as without the feature. The cookies themselves are read by
:mod:`website.workspace.sessions`.

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
import json
import logging

import tornado.web
import tornado.websocket
from tornado.httputil import HTTPServerRequest
from tornado.web import url

from website import security
from website.handlers.page_hook import PageHook
from website.i18n import tags, translator_marks
from website.workspace import sessions
from website.workspace.base_handler import WorkspaceHandler
from website.workspace.service import Workspace
from website.workspace.sessions import MODE_COOKIE, TranslatorState, safe_next

__all__ = ["routes", "browser_ids", "TranslatorModeHook", "Feed"]

log = logging.getLogger(__name__)

POLL_SECONDS = 0.25
#: How often an open socket's session is checked again: signing out, a
#: disabled account or a withdrawn language closes it within this time.
RECHECK_SECONDS = 5.0
#: The panel's own template: shown on the page, not one the page's strings come from.
PANEL_TEMPLATE = "_translator.html"


class TranslatorModeHook(PageHook):
    """Translator mode in page rendering: a signed-in translator's pages, marked when the mode is on.

    The state of a request is its :class:`~website.workspace.sessions.TranslatorState`.
    """

    def __init__(self, workspace: Workspace):
        self.workspace = workspace

    def applies(self, request: HTTPServerRequest) -> bool:
        if "Cookie" not in request.headers:
            return False  # a visitor without cookies: no parsing at all
        morsel = request.cookies.get(sessions.SESSION_COOKIE)
        return morsel is not None and bool(morsel.value)

    async def prepare(self, handler, tag: str) -> TranslatorState | None:
        state = await sessions.find_state(handler, tag)
        if state is not None and state.active:
            state.marks = translator_marks.Marks()
        return state

    def rewrites(self, state: TranslatorState | None) -> bool:
        return state is not None and state.marks is not None

    def locale_for(self, state: TranslatorState | None, locale):
        if state is None or state.marks is None:
            return locale
        return translator_marks.MarkingLocale(locale, state.marks)

    def template_rendered(self, state: TranslatorState | None, name: str) -> None:
        if state is not None and state.marks is not None and name != PANEL_TEMPLATE:
            state.templates.append(name)

    def finish_page(self, handler, state: TranslatorState | None, body: str) -> str:
        """The page with its markers turned into HTML, and the data the editor's script reads."""
        if state is None or state.marks is None:
            return body
        marks = state.marks
        tag = handler.choice.tag
        page, panel = translator_marks.apply(body, marks)
        data = {
            "tag": tag,
            "api": handler.reverse_url("translate_entries", tag),
            "live": handler.reverse_url("translator_live", tag),
            "strings": translator_marks.describe(marks),
            "panel": panel,
            "title": marks.title,
            # base.html is reached through {% extends %}, not render_string.
            "templates": sorted({"base.html", *state.templates}),
            # What the page's scripts translate (static/js), so that they are marked too.
            "js": browser_ids(self.workspace, state.mode),
        }
        catalog = handler.site_locale.js_catalog
        data["plural"] = json.loads(catalog.body).get("plural") if catalog else None
        # In a JSON data block (never executed, so CSP allows it): "<" escaped.
        element = ('<script type="application/json" id="translator-data">'
                   + json.dumps(data, ensure_ascii=False).replace("<", "\\u003c") + "</script>")
        at = page.rfind("</body>")
        return page[:at] + element + page[at:] if at >= 0 else page + element

    def panel(self, handler, state: TranslatorState | None) -> str:
        """Translator mode's switch (and, in mode, the editor's script) for a signed-in translator."""
        if state is None:
            return ""
        return handler.render_string(PANEL_TEMPLATE, translator=state).decode("utf-8")


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


def routes(workspace: Workspace) -> list:
    """The URL specs; they must come before the workspace's ``/translate/<tag>``."""
    return [
        url(r"/translate/mode", ModeHandler, dict(workspace=workspace), name="translator_mode"),
        # One feed per application, so per process.
        url(r"/translate/([^/]+)/live", LiveHandler, dict(workspace=workspace, feed=Feed(workspace)),
            name="translator_live"),
    ]


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
        token = sessions.session_token(self)
        user = await sessions.signed_in_user(self, self.workspace)
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
