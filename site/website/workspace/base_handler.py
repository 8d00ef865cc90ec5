"""The base of every workspace handler: the session, permissions, no-store caching.

Every entry point checks, in this order: the session (401, or the sign-in
page for pages), the catalog (404), the account's right to that language
(403). JSON endpoints (``api = True``) answer errors in JSON.
"""

from __future__ import annotations

import functools
import inspect
import json
import urllib.parse

import babel
import tornado.httputil
import tornado.web

from website import security
from website.handlers import xsrf
from website.handlers.base import BaseHandler
from website.i18n import deferred, tags
from website.i18n.deferred import N_, Message, Size
from website.workspace import sessions
from website.workspace.roles import User
from website.workspace.service import Workspace

__all__ = ["WorkspaceHandler", "MessageError", "MAX_JSON_BYTES", "MAX_JSON_DEPTH", "NO_STORE", "parse_json"]

MAX_JSON_BYTES = 64 * 1024
#: Nesting the JSON API accepts: its bodies are two levels deep.
MAX_JSON_DEPTH = 8
NO_STORE = "private, no-store"
_VERBS = {"suggest": "suggest", "translate": "save translations", "review": "review translations"}


def parse_json(body: bytes, *, max_bytes: int = MAX_JSON_BYTES, max_depth: int = MAX_JSON_DEPTH):
    """The JSON value of ``body``, or ``ValueError`` if it is too big, too deep or not JSON.

    The depth is measured before parsing: ``json.loads`` recurses once per
    level, and ten thousand ``[`` would end in a RecursionError (a 500).

    >>> parse_json(b'{"a": [1, "[[["]}')
    {'a': [1, '[[[']}
    >>> parse_json(b"[" * 9 + b"]" * 9)
    Traceback (most recent call last):
      ...
    ValueError: the JSON is nested deeper than 8 levels
    """
    if len(body) > max_bytes:
        raise ValueError(f"the JSON is larger than {max_bytes} bytes")
    depth = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > max_depth:
                raise ValueError(f"the JSON is nested deeper than {max_depth} levels")
        elif byte in (0x5D, 0x7D):
            depth -= 1
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ValueError("the body is not valid JSON") from None


_WRITES = ("post", "put", "patch", "delete")


class MessageError(tornado.web.HTTPError):
    """An HTTP error answered with a :class:`~website.i18n.deferred.Message`, in the reader's language."""

    def __init__(self, status_code: int, message: Message):
        # Passed as an argument: Tornado's log line %-formats the message.
        super().__init__(status_code, "%s", message)
        self.message = message


def _after_the_body(method):
    """``method`` run once the body is in: parsed as Tornado would, then its XSRF token checked."""
    @functools.wraps(method)
    async def write(self, *args, **kwargs):
        if self._refused:
            raise MessageError(413, self.too_large())
        self._take_body()
        xsrf.check(self)
        result = method(self, *args, **kwargs)
        if inspect.isawaitable(result):
            await result
    return write


@tornado.web.stream_request_body
class WorkspaceHandler(BaseHandler):
    """Session, permissions and no-store caching for every workspace URL.

    Bodies are streamed (``stream_request_body``) so that the route's own
    limit, :attr:`max_body`, holds before anything is kept: a body announced
    larger is discarded as it arrives and answered 413, and one sent
    without a length is cut off at the limit. Tornado would otherwise read up to ``--max_body_size`` (16 MiB)
    into memory for any URL. The write methods of every subclass
    (``post``, ``put``...) run once the body is in, after the XSRF check
    (:mod:`website.handlers.xsrf`), which Tornado's own call, made before
    the body, cannot do.
    """

    #: JSON endpoints answer errors in JSON and 401 rather than redirecting.
    api = False
    #: Issue 11's caching policy: personal responses are ``private, no-store``.
    cache_kind = "personal"
    max_body = MAX_JSON_BYTES

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        for name in _WRITES:
            method = cls.__dict__.get(name)
            if method is not None:
                setattr(cls, name, _after_the_body(method))

    def initialize(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._chunks: list[bytes] = []
        self._refused = False

    def set_default_headers(self) -> None:
        super().set_default_headers()
        self.set_header("Cache-Control", NO_STORE)

    def check_xsrf_cookie(self) -> None:
        pass  # checked by each write once its body is in (_after_the_body)

    async def prepare(self) -> None:
        super().prepare()
        length = self.request.headers.get("Content-Length", "0").strip()
        if not length.isdigit():
            raise tornado.web.HTTPError(400, "the Content-Length is not a number")
        if int(length) > self.max_body:
            # Discarded as it arrives (data_received), then answered: a 413
            # sent before would close the connection under a client still
            # sending, which then sees a reset instead of the answer.
            self._refused = True
        else:
            # A body without a length (chunked) is cut off at the limit.
            self.request.connection.set_max_body_size(self.max_body)
        self.current_user = await sessions.signed_in_user(self, self.workspace)

    def data_received(self, chunk: bytes) -> None:
        if not self._refused:
            self._chunks.append(chunk)

    def _take_body(self) -> None:
        """The streamed body as ``request.body``, its form fields and files parsed (Tornado's own parser)."""
        request = self.request
        request.body = b"".join(self._chunks)
        self._chunks = []
        tornado.httputil.parse_body_arguments(request.headers.get("Content-Type", ""), request.body,
                                              request.body_arguments, request.files, request.headers)
        for name, values in request.body_arguments.items():
            request.arguments.setdefault(name, []).extend(values)

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

        ``action`` is one of :data:`~website.workspace.roles.ROLES`:
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

    def too_large(self) -> Message:
        """What a body over :attr:`max_body` is answered (413)."""
        return Message(N_("the request is larger than %(size)s"), size=Size(self.max_body))

    def localized(self, data):
        """``data`` with each check or upload message (:mod:`website.i18n.deferred`) in the request's language."""
        current = self.site_locale
        translate, formatter, rtl = self.locale.translate, current.formatter, current.info.rtl
        return deferred.localize(data, lambda message: deferred.render(message, translate, formatter, rtl=rtl))

    def write_json(self, data, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(self.localized(data), ensure_ascii=False))

    def write_error(self, status_code: int, **kwargs) -> None:
        if not self.api:
            return super().write_error(status_code, **kwargs)
        error = kwargs.get("exc_info", (None, None))[1]
        message = None
        if isinstance(error, MessageError):
            message = error.message
        elif isinstance(error, tornado.web.HTTPError) and status_code < 500:
            message = error.log_message and (error.log_message % error.args if error.args else error.log_message)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(self.localized({"error": message or security.status_phrase(status_code)}),
                               ensure_ascii=False))

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
