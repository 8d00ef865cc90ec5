"""The JSON API of suggestions, review and translation help.

Same conventions as :mod:`website.workspace.handlers`: the session (401),
the catalog (404), the account's role in that language (403: *suggest* to
read and propose, *translate* to accept or reject a suggestion, *review* to
approve), the XSRF token for writes, ``private, no-store``.

Routes: :func:`routes`.
"""

from __future__ import annotations

import tornado.web
from tornado.web import url

from website.workspace.base_handler import WorkspaceHandler, parse_json
from website.workspace.entries import InvalidInput
from website.workspace.review import SuggestionError
from website.workspace.service import Workspace

__all__ = ["routes"]

_ENTRY = r"/translate/([^/]+)/entries/([A-Za-z0-9_-]+)"


def routes(workspace: Workspace) -> list:
    """The URL specs of this module, for :func:`website.workspace.handlers.routes`."""
    options = dict(workspace=workspace)
    return [
        url(_ENTRY + r"/help", HelpHandler, options, name="translate_help"),
        url(_ENTRY + r"/suggestions", SuggestionsHandler, options, name="translate_suggestions"),
        url(_ENTRY + r"/suggestions/([0-9]{1,18})/(accept|reject)", DecisionHandler, options,
            name="translate_suggestion_decision"),
        url(_ENTRY + r"/review", ReviewHandler, options, name="translate_review"),
        url(r"/translate/([^/]+)/suggestions", MySuggestionsHandler, options, name="translate_my_suggestions"),
    ]


class _JsonHandler(WorkspaceHandler):
    api = True

    def json_body(self, example: str) -> dict:
        try:
            # The same size and depth limits as every workspace body (issue 21).
            body = parse_json(self.request.body or b"{}")
        except ValueError as error:
            raise tornado.web.HTTPError(400, str(error)) from None
        if not isinstance(body, dict):
            raise tornado.web.HTTPError(400, f"expected {example}")
        return body

    def write_result(self, result) -> None:
        """A save's outcome as :class:`~website.workspace.handlers.EntryHandler` answers it."""
        if result.status == "conflict":
            self.write_json({"current": result.entry}, 409)
        elif result.status == "invalid":
            self.write_json({"problems": result.problems}, 422)
        else:
            self.write_json({**result.entry, "saved": result.status == "saved", "compiled": result.compiled})


class HelpHandler(_JsonHandler):
    """``GET .../entries/<id>/help``: memory, other languages, glossary, open suggestions."""

    async def get(self, raw_tag: str, id_: str) -> None:
        user, gettext_id = self.require_language(raw_tag, "suggest")
        entry = await self.entry_or_404(gettext_id, id_)
        help_ = await self.workspace.run(self.workspace.help_for, gettext_id, entry, user)
        self.write_json(help_)


class SuggestionsHandler(_JsonHandler):
    """``GET``/``POST .../entries/<id>/suggestions``: the open suggestions; propose one (201)."""

    async def get(self, raw_tag: str, id_: str) -> None:
        _user, gettext_id = self.require_language(raw_tag, "suggest")
        await self.entry_or_404(gettext_id, id_)
        rows = await self.workspace.run(self.workspace.review.suggestions, gettext_id, id_)
        self.write_json({"suggestions": rows})

    async def post(self, raw_tag: str, id_: str) -> None:
        user, gettext_id = self.require_language(raw_tag, "suggest")
        body = self.json_body('{"translation": [...]}')
        try:
            created = await self.workspace.run_catalog(
                self.workspace.review.suggest, gettext_id, id_, body.get("translation"), author=user.name)
        except KeyError:
            raise tornado.web.HTTPError(404, "no such entry") from None
        except InvalidInput as error:
            self.write_json({"problems": error.problems}, 422)
            return
        await self.workspace.run(self.workspace.accounts.audit, "suggestion", user.name, self.address,
                                 f"{gettext_id} {id_} #{created['id']}")
        self.write_json(created, 201)


class DecisionHandler(_JsonHandler):
    """``POST .../suggestions/<sid>/accept`` (``{"revision"}`` optional) and ``.../reject`` (``{"reason"}``)."""

    async def post(self, raw_tag: str, id_: str, sid: str, decision: str) -> None:
        user, gettext_id = self.require_language(raw_tag, "translate")
        body = self.json_body('{"revision": "..."} or {"reason": "..."}')
        review = self.workspace.review
        try:
            if decision == "accept":
                base = body.get("revision")
                if base is not None and not isinstance(base, str):
                    raise tornado.web.HTTPError(400, "'revision' must be a string")
                result = await self.workspace.run_catalog(review.accept, gettext_id, id_, int(sid),
                                                          account=user.name, base_revision=base)
            else:
                reason = body.get("reason", "")
                if not isinstance(reason, str):
                    raise tornado.web.HTTPError(400, "'reason' must be a string")
                await self.workspace.run(review.reject, gettext_id, id_, int(sid), reason.strip(),
                                         account=user.name)
                result = None
        except SuggestionError:
            raise tornado.web.HTTPError(404, "no such open suggestion") from None
        except KeyError:
            raise tornado.web.HTTPError(404, "no such entry") from None
        except InvalidInput as error:
            self.write_json({"problems": error.problems}, 422)
            return
        await self.workspace.run(self.workspace.accounts.audit, f"suggestion {decision}ed", user.name,
                                 self.address, f"{gettext_id} {id_} #{sid}")
        if result is None:
            self.write_json({"id": int(sid), "state": "rejected"})
        else:
            self.write_result(result)


class ReviewHandler(_JsonHandler):
    """``POST .../entries/<id>/review`` (``{"approve": true, "revision": "..."}``): approve or send back."""

    async def post(self, raw_tag: str, id_: str) -> None:
        user, gettext_id = self.require_language(raw_tag, "review")
        body = self.json_body('{"approve": true, "revision": "..."}')
        if not isinstance(body.get("approve"), bool) or not isinstance(body.get("revision"), str):
            raise tornado.web.HTTPError(400, 'expected {"approve": true, "revision": "..."}')
        try:
            result = await self.workspace.run_catalog(self.workspace.review.decide, gettext_id, id_,
                                                      body["approve"], body["revision"], account=user.name)
        except KeyError:
            raise tornado.web.HTTPError(404, "no such entry") from None
        except InvalidInput as error:
            self.write_json({"problems": error.problems}, 422)
            return
        if result.status == "saved":
            await self.workspace.run(self.workspace.accounts.audit,
                                     "approved" if body["approve"] else "sent back", user.name, self.address,
                                     f"{gettext_id} {id_}")
        self.write_result(result)


class MySuggestionsHandler(_JsonHandler):
    """``GET /translate/<tag>/suggestions``: the signed-in account's suggestions and their fate."""

    async def get(self, raw_tag: str) -> None:
        user, gettext_id = self.require_language(raw_tag, "suggest")
        rows = await self.workspace.run(self.workspace.review.suggestions_by, gettext_id, user.name)
        self.write_json({"suggestions": rows})
