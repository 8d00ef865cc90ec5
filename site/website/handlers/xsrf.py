"""The XSRF token, bound to the session, and the origin check of every write.

Tornado's own token is a double-submit cookie: any pair of ``_xsrf`` cookie
and token is accepted, another session's included, and it is also read from
the query string. Here:

- with a session cookie, the token is an HMAC of that session's token under
  the cookie secret: a per-session secret that only this session's pages
  carry, and that ends with the session;
- without one (the sign-in form), it is the ``_xsrf`` cookie's random value
  (``SameSite=Strict``, ``HttpOnly``, ``Secure`` over https), sent back in
  the form;
- it is read from the ``X-XSRFToken`` header or the ``_xsrf`` form field of
  the body, never from the URL;
- every write's ``Origin`` (or, without one, its ``Referer``) must be the
  site's own origin (``--origin``, or the loopback ``Host`` it was asked
  under): a request that carries neither (not a browser's) has the token alone.

>>> _origin_of("https://languages.example.org/translate/fr?x=1"), _origin_of("null")
('https://languages.example.org', 'null')
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import urllib.parse

import tornado.web

from website import security

__all__ = ["SESSION_COOKIE", "COOKIE", "token", "check"]

#: The workspace's session cookie (website.workspace.sessions sets it).
SESSION_COOKIE = "session"
COOKIE = "_xsrf"
_COOKIE_RE = re.compile(r"[A-Za-z0-9_-]{43}")


def token(handler: tornado.web.RequestHandler) -> bytes:
    """The token the request's forms and scripts send back (sets the cookie when needed)."""
    session = handler.get_cookie(SESSION_COOKIE)
    if session:
        return _bound(handler, session).encode("ascii")
    cached = getattr(handler, "_website_xsrf", None)
    if cached is None:
        cached = handler.get_cookie(COOKIE) or ""
        if not _COOKIE_RE.fullmatch(cached):
            cached = secrets.token_urlsafe(32)
            handler.set_cookie(COOKIE, cached, path="/", httponly=True, samesite="Strict",
                               secure=handler.request.protocol == "https")
        handler._website_xsrf = cached
    return cached.encode("ascii")


def check(handler: tornado.web.RequestHandler) -> None:
    """Refuse (403) a write whose origin is foreign or whose token is not this session's."""
    expected = security.public_origin(handler.request, handler.settings.get("origin", ""))
    sent = handler.request.headers.get("Origin") or _origin_of(handler.request.headers.get("Referer", ""))
    if sent and sent != expected:
        raise tornado.web.HTTPError(403, "this write comes from another origin")
    given = handler.request.headers.get("X-Xsrftoken") or handler.request.headers.get("X-Csrftoken")
    if not given:
        field = handler.request.body_arguments.get("_xsrf")
        given = field[0].decode("ascii", "replace") if field else ""
    if not given:
        raise tornado.web.HTTPError(403, "'_xsrf' argument missing from POST")
    session = handler.get_cookie(SESSION_COOKIE)
    if session:
        wanted = _bound(handler, session)
    else:
        wanted = handler.get_cookie(COOKIE) or ""
        if not _COOKIE_RE.fullmatch(wanted):
            raise tornado.web.HTTPError(403, "'_xsrf' cookie missing: reload the form")
    if not hmac.compare_digest(given.encode("utf-8", "replace"), wanted.encode("ascii")):
        raise tornado.web.HTTPError(403, "XSRF token does not match this session")


def _bound(handler: tornado.web.RequestHandler, session: str) -> str:
    handler.require_setting("cookie_secret", "the XSRF token")
    secret = handler.settings["cookie_secret"]
    key = secret.encode("utf-8") if isinstance(secret, str) else secret
    digest = hashlib.sha256(session.encode("utf-8", "replace")).digest()
    return hmac.new(key, b"xsrf\0" + digest, hashlib.sha256).hexdigest()


def _origin_of(url: str) -> str:
    """The ``scheme://host[:port]`` of a URL (a Referer), or the text itself when it has none."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}".lower()
    return url
