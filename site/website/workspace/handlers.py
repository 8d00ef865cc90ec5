"""The workspace over HTTP: sign-in, the editor page and its JSON API.

Every handler derives from :class:`~website.workspace.base_handler.WorkspaceHandler`
(a :class:`~website.handlers.base.BaseHandler`), so the interface language
is negotiated as on every page (no language prefix in these URLs), and every
response is ``Cache-Control: private, no-store``. Every entry point checks,
in this order: the session (401, or the sign-in page for pages), the catalog
(404), the account's right to that language (403).
Writes also need the session's XSRF token (:mod:`website.handlers.xsrf`:
the ``_xsrf`` form field, or the ``X-XSRFToken`` header for the JSON
``PUT``) and a same-site ``Origin``.

Routes: :func:`routes`.
"""

from __future__ import annotations


import tornado.web
from tornado.web import url

from website.i18n import tags
from website.workspace import review, review_handlers, sessions, upload
from website.workspace.base_handler import WorkspaceHandler, parse_json
from website.workspace.entries import STATE_CHECKS, STATES, InvalidInput
from website.workspace.service import Workspace
from website.workspace.sessions import safe_next

__all__ = ["routes"]


def routes(workspace: Workspace) -> list:
    """The workspace's URL specs, for the application."""
    options = dict(workspace=workspace)
    return [
        url(r"/account/login", LoginHandler, options, name="login"),
        url(r"/account/logout", LogoutHandler, options, name="logout"),
        url(r"/translate", IndexHandler, options, name="translate_index"),
        url(r"/translate/([^/]+)", EditorHandler, options, name="translate"),
        url(r"/translate/([^/]+)/entries", EntriesHandler, options, name="translate_entries"),
        url(r"/translate/([^/]+)/entries/([A-Za-z0-9_-]+)", EntryHandler, options, name="translate_entry"),
        url(r"/translate/([^/]+)/entries/([A-Za-z0-9_-]+)/history", HistoryHandler, options,
            name="translate_history"),
        *review_handlers.routes(workspace),
        url(r"/translate/([^/]+)/upload", UploadHandler, options, name="translate_upload"),
        url(r"/translate/([^/]+)/download", DownloadHandler, options, name="translate_download"),
    ]


class LoginHandler(WorkspaceHandler):
    """``/account/login``: the sign-in form; success is a 303 to a same-site ``next``."""

    def get(self) -> None:
        self.render("login.html", error=None, next_url=safe_next(self.get_query_argument("next", "")),
                    username="")

    async def post(self) -> None:
        _ = self.locale.translate
        username = self.get_body_argument("username", "").strip()[:128]
        password = self.get_body_argument("password", "")[:1024]
        next_url = safe_next(self.get_body_argument("next", ""))
        accounts = self.workspace.accounts
        user, outcome = await self.workspace.run(accounts.authenticate, username, password, self.address)
        if user is None:
            if outcome == "throttled":
                self.set_status(429)
                self.set_header("Retry-After", "900")
                error = _("Too many failed attempts. Wait a few minutes, then try again.")
            else:
                self.set_status(401)
                error = _("Wrong user name or password.")
            self.render("login.html", error=error, next_url=next_url, username=username)
            return
        token = await self.workspace.run(accounts.create_session, user)
        sessions.start_session(self, token)
        self.redirect(next_url, status=303)


class LogoutHandler(WorkspaceHandler):
    """``POST /account/logout``: end the session."""

    async def post(self) -> None:
        token = sessions.session_token(self)
        if token:
            await self.workspace.run(self.workspace.accounts.end_session, token)
        if self.current_user:
            await self.workspace.run(self.workspace.accounts.audit, "signed out", self.current_user.name,
                                     self.address)
        sessions.end_session(self)
        self.redirect(self.reverse_url("login"), status=303)


class IndexHandler(WorkspaceHandler):
    """``/translate``: the catalogs the signed-in account may edit."""

    def get(self) -> None:
        user = self.require_user()
        ids = [i for i in self.workspace.store.locales() if user.may("suggest", i)]
        self.render("translate_index.html", languages=[self.target_language(i) for i in ids])


class EditorHandler(WorkspaceHandler):
    """``/translate/<tag>``: the editor page (static/js/workspace.js does the work)."""

    def get(self, raw_tag: str) -> None:
        user, gettext_id = self.require_language(raw_tag, "suggest")
        # The switch for translator mode in this language (issue 12).
        self.page_state = sessions.state_of(self, self.current_user, tags.from_gettext_id(gettext_id))
        self.render("translate.html", language=self.target_language(gettext_id), role=user.role(gettext_id))


class EntriesHandler(WorkspaceHandler):
    """``GET /translate/<tag>/entries?state=...&q=...``: the entries, filtered, with progress."""

    api = True

    async def get(self, raw_tag: str) -> None:
        _user, gettext_id = self.require_language(raw_tag, "suggest")
        state = self.get_query_argument("state", "all")
        if state not in STATES:
            raise tornado.web.HTTPError(400, f"state must be one of {', '.join(STATES)}")
        query = self.query_text("q", max_length=200).casefold()
        entries, _index = await self.workspace.run(self.workspace.store.listing, gettext_id)
        entries = await self.workspace.run(self.workspace.review.annotate, gettext_id, entries)
        selected = [e for e in entries if _in_state(e, state) and (not query or _matches(e, query))]
        self.write_json({"entries": selected, "progress": review.progress(entries)})


class EntryHandler(WorkspaceHandler):
    """``GET``/``PUT /translate/<tag>/entries/<id>``: one entry; a save is a compare-and-swap."""

    api = True

    async def get(self, raw_tag: str, id_: str) -> None:
        _user, gettext_id = self.require_language(raw_tag, "suggest")
        entry = await self.entry_or_404(gettext_id, id_)
        self.write_json(await self.workspace.run(self.workspace.review.annotate_one, gettext_id, entry))

    async def put(self, raw_tag: str, id_: str) -> None:
        user, gettext_id = self.require_language(raw_tag)
        try:
            body = parse_json(self.request.body or b"")
        except ValueError as error:
            raise tornado.web.HTTPError(400, str(error)) from None
        if not isinstance(body, dict) or not isinstance(body.get("revision"), str):
            raise tornado.web.HTTPError(
                400, 'expected {"translation": [...], "fuzzy": false, "revision": "..."}')
        try:
            result = await self.workspace.run_catalog(
                self.workspace.review.save, gettext_id, id_, body.get("translation"),
                body.get("fuzzy", False), body["revision"], account=user.name)
        except KeyError:
            raise tornado.web.HTTPError(404, "no such entry") from None
        except InvalidInput as error:
            self.write_json({"problems": error.problems}, 422)
            return
        if result.status == "conflict":
            # Who changed it and when, for the conflict box (a change in the file has no account).
            rows = await self.workspace.run(self.workspace.history.of_entry, gettext_id, id_, 1)
            last = {"account": rows[0]["account"], "origin": rows[0]["origin"],
                    "time": review.iso_time(rows[0]["time"])} if rows else None
            self.write_json({"current": {**result.entry, "last_change": last}}, 409)
        elif result.status == "invalid":
            self.write_json({"problems": result.problems}, 422)
        else:
            if result.status == "saved":
                await self.workspace.run(self.workspace.accounts.audit, "edit", user.name, self.address,
                                         f"{gettext_id} {id_}")
            self.write_json({**result.entry, "saved": result.status == "saved", "compiled": result.compiled})


class HistoryHandler(WorkspaceHandler):
    """``GET /translate/<tag>/entries/<id>/history``: who changed it, when, from what, to what."""

    api = True

    async def get(self, raw_tag: str, id_: str) -> None:
        _user, gettext_id = self.require_language(raw_tag, "suggest")
        entry = await self.entry_or_404(gettext_id, id_)
        # A change made to the file since the workspace last wrote this entry
        # is recorded first, so the history shows it (as "file").
        await self.workspace.run_catalog(self.workspace.store.notice_file_changes, gettext_id, [id_])
        rows = await self.workspace.run(self.workspace.history.of_entry, gettext_id, id_)
        for row in rows:
            row["time"] = review.iso_time(row["time"])
        self.write_json({"id": id_, "history": rows})


class UploadHandler(WorkspaceHandler):
    """``POST /translate/<tag>/upload`` (multipart ``file``): merge a ``.po``; answer the report."""

    api = True
    max_body = upload.MAX_UPLOAD_BYTES + 64 * 1024

    def too_large(self):
        return upload.too_large()

    async def post(self, raw_tag: str) -> None:
        user, gettext_id = self.require_language(raw_tag)
        files = self.request.files.get("file")
        if not files:
            raise tornado.web.HTTPError(400, "no file: send the .po as the multipart field 'file'")
        try:
            report = await self.workspace.run_catalog(upload.merge, self.workspace.store, gettext_id,
                                                      files[0]["body"], account=user.name,
                                                      review=self.workspace.review)
        except upload.UploadError as error:
            self.write_json({"error": error.message}, 422)
            return
        await self.workspace.run(
            self.workspace.accounts.audit, "upload", user.name, self.address,
            f"{gettext_id} {files[0]['filename'][:100]!r}: " + ", ".join(
                f"{len(report[k])} {k}" for k in ("applied", "unchanged", "conflicting", "rejected")))
        self.write_json(report)


class DownloadHandler(WorkspaceHandler):
    """``GET /translate/<tag>/download``: the catalog, stamped with its base for a later upload."""

    async def get(self, raw_tag: str) -> None:
        _user, gettext_id = self.require_language(raw_tag, "suggest")
        path = self.workspace.store.po_path(gettext_id)
        base = await self.workspace.run(self.workspace.history.latest_id)
        with open(path, encoding="utf-8") as fp:
            text = upload.stamp(fp.read(), base)
        self.set_header("Content-Type", "text/x-gettext-translation; charset=utf-8")
        self.set_header("Content-Disposition",
                        f'attachment; filename="messages-{tags.from_gettext_id(gettext_id)}.po"')
        self.finish(text.encode("utf-8"))


def _in_state(entry: dict, state: str) -> bool:
    if state == "all":
        return True
    if state == "problems":
        return any(p["check"] not in STATE_CHECKS for p in entry["problems"])
    if state == "translated":  # every published translation, approved or not
        return entry["state"] in ("translated", "approved")
    return entry["state"] == state


def _matches(entry: dict, query: str) -> bool:
    texts = [*entry["source"], *entry["translation"], entry["context"] or ""]
    return any(query in text.casefold() for text in texts)
