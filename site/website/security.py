"""What every response carries and what no request gets past: the HTTP surface.

Three things, all decided here and applied by the application in one place
(:class:`website.app.Site`), the way Django's ``SecurityMiddleware`` does:

- the security headers of every response (pages, errors, redirects, static
  files, JSON), from the application settings, as an output transform;
- the origin of absolute URLs: ``--origin`` when it is set; otherwise only a
  loopback ``Host`` (``localhost``, ``127.0.0.0/8``, ``[::1]``, any port),
  and any other ``Host`` is refused with 400;
- requests refused before any handler runs (:func:`screen`): URLs longer
  than :data:`MAX_URL_BYTES` (414), malformed paths (400) and paths that
  can name nothing here (404; :func:`bad_path`), methods the handler does
  not implement (405 with ``Allow``).

>>> is_loopback_host("localhost:8888"), is_loopback_host("[::1]"), is_loopback_host("127.9.9.9")
(True, True, True)
>>> is_loopback_host("evil.example"), is_loopback_host("localhost.evil.example")
(False, False)
>>> bad_path("/static/css/site.css%00"), bad_path("/languages/pt-BR")
((404, 'NUL or control character'), None)
"""

from __future__ import annotations

import functools
import ipaddress
import json
import re
from urllib.parse import unquote_to_bytes, urlsplit

import tornado.web
from tornado.httputil import HTTPHeaders, HTTPServerRequest, responses

__all__ = [
    "CSP",
    "DEFAULT_HEADERS",
    "HSTS",
    "SERVER",
    "MAX_URL_BYTES",
    "headers_transform",
    "normalize_origin",
    "is_loopback_host",
    "public_origin",
    "screen",
    "bad_path",
    "allowed_methods",
    "RefusalHandler",
    "status_phrase",
    "request_summary",
]

#: The Content-Security-Policy: written here only. No inline script or style
#: anywhere: templates link files. Tests and the browser tests import it;
#: deploy/nginx/website.conf repeats it for what nginx answers itself, and
#: tests/test_nginx_config.py fails when the two differ.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# The site-wide values (nginx repeats them, checked as the CSP is).
DEFAULT_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# Only ever sent over https: over plain http a browser ignores it anyway, and
# a development server on localhost must not pin the browser to https.
HSTS = "max-age=63072000; includeSubDomains"
SERVER = "website"
# What browsers, CDNs and sitemaps handle everywhere; nginx enforces the same.
MAX_URL_BYTES = 2048


def headers_transform(settings: dict) -> type[tornado.web.OutputTransform]:
    """An output transform adding the security headers from ``settings``.

    ``settings["security_headers"]`` updates :data:`DEFAULT_HEADERS` (a value
    of None drops a header), ``settings["hsts"]`` replaces :data:`HSTS` ("" to
    turn it off) and ``settings["server_header"]`` replaces :data:`SERVER`.
    A header a handler set itself is kept: a page may tighten its policy.

    A transform rather than a ``set_default_headers`` in the base handler:
    every response of the application passes through it, including the
    static files, JSON and Tornado's own error responses.
    """
    headers = {**DEFAULT_HEADERS, **settings.get("security_headers", {})}
    # In HTTPHeaders' own spelling, so that the names compare with its keys.
    items = [(next(iter(HTTPHeaders({name: ""}))), value)
             for name, value in headers.items() if value is not None]
    hsts = settings.get("hsts", HSTS)
    server = settings.get("server_header", SERVER)

    class SecurityHeaders(tornado.web.OutputTransform):
        def __init__(self, request: HTTPServerRequest):
            self.https = request.protocol == "https"

        def transform_first_chunk(self, status_code, headers_out: HTTPHeaders, chunk, finishing):
            present = set(headers_out)  # one pass, rather than a lookup per name
            for name, value in items:
                if name not in present:
                    headers_out[name] = value
            if hsts and self.https:
                headers_out["Strict-Transport-Security"] = hsts
            headers_out["Server"] = server
            return status_code, headers_out, chunk

    return SecurityHeaders


def status_phrase(status: int) -> str:
    """The standard reason phrase of an HTTP status.

    >>> status_phrase(429)
    'Too Many Requests'
    """
    return responses.get(status, "Unknown")


def request_summary(request: HTTPServerRequest) -> str:
    """A request as the access log shows it: method, URL, client address.

    A URL may be 30 KB or carry terminal escapes: the log gets its first 200
    characters, printable.
    """
    uri = request.uri or ""
    shown = ascii(uri[:200])[1:-1] + ("..." if len(uri) > 200 else "")
    return f"{request.method} {shown} ({request.remote_ip})"


# -- origin and Host ------------------------------------------------------------

def normalize_origin(value: str) -> str:
    """``--origin`` as ``scheme://host[:port]``, or "" when unset.

    >>> normalize_origin("https://Languages.example.org/")
    'https://languages.example.org'
    >>> normalize_origin("languages.example.org")
    Traceback (most recent call last):
    ...
    ValueError: --origin must be http(s)://host[:port] with nothing after it, not 'languages.example.org'
    """
    if not value:
        return ""
    parts = urlsplit(value.strip())
    try:
        port = parts.port
    except ValueError:
        port = -1
    if (parts.scheme not in ("http", "https") or not parts.hostname or port == -1
            or parts.path not in ("", "/") or parts.query or parts.fragment
            or parts.username or parts.password):
        raise ValueError(f"--origin must be http(s)://host[:port] with nothing after it, not {value!r}")
    return f"{parts.scheme}://{parts.netloc.lower()}"


_HOST = re.compile(r"(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::([0-9]{1,5}))?")


def is_loopback_host(host: str) -> bool:
    """Whether a ``Host`` value names this machine: localhost, 127.0.0.0/8 or [::1]."""
    # No real host name is longer (DNS: 253, and a port): the cache below is
    # keyed by request input, so its keys are bounded too.
    return len(host) <= 270 and _is_loopback_host(host)


@functools.lru_cache(maxsize=64)  # a few distinct loopback hosts in practice
def _is_loopback_host(host: str) -> bool:
    match = _HOST.fullmatch(host.lower())
    if not match or (match[2] and int(match[2]) > 65535):
        return False
    name = match[1]
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name[1:-1] if name.startswith("[") else name).is_loopback
    except ValueError:
        return False


def public_origin(request: HTTPServerRequest, origin: str) -> str:
    """The origin absolute URLs start with: ``origin``, or a loopback request's own.

    :func:`screen` has already refused any other host when no origin is set;
    this refuses it again so no absolute URL can ever carry one.
    """
    if origin:
        return origin
    if not is_loopback_host(request.host):
        raise tornado.web.HTTPError(400, "unknown Host")
    return f"{request.protocol}://{request.host.lower()}"


# -- requests refused before routing ---------------------------------------------

_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_UNSAFE_TEXT = re.compile(r"[\x00-\x1f\x7f]")
_PRINTABLE_ASCII = re.compile(r"[\x21-\x7e]*")


def bad_path(path: str) -> tuple[int, str] | None:
    """Why no route or file can use ``path`` (the raw, still-encoded path): (status, reason), or None.

    400, the request is malformed: anything not starting with ``/``, bytes
    that are not printable ASCII, ``%`` not followed by two hex digits.
    404, well-formed but naming nothing this site could have: encoded bytes
    that are not UTF-8, control characters (NUL...) once decoded, ``.`` or
    ``..`` segments (as a route that does not match would answer).

    >>> [bad_path(p)[0] for p in ("/a%zz", "/a b", "http://x/", "/a%ff", "/a/%2e%2e/b")]
    [400, 400, 400, 404, 404]
    """
    if not path.startswith("/"):
        # absolute-form (http://host/x) or "*": this is not a proxy, and
        # Tornado would take the whole URL for the path.
        return 400, "not a path starting with /"
    if not _PRINTABLE_ASCII.fullmatch(path):
        return 400, "not printable ASCII"
    if "%" not in path and "/." not in path:
        return None  # the common case, checked with two scans
    if _BAD_ESCAPE.search(path):
        return 400, "invalid percent-encoding"
    try:
        text = unquote_to_bytes(path).decode("utf-8")
    except UnicodeDecodeError:
        return 404, "not UTF-8"
    if _UNSAFE_TEXT.search(text):
        return 404, "NUL or control character"
    if any(segment in (".", "..") for segment in re.split(r"[/\\]", text)):
        return 404, "dot segment"
    return None


def screen(request: HTTPServerRequest, origin: str) -> tuple[int, str] | None:
    """The (status, reason) to refuse ``request`` with before routing, or None."""
    if len(request.uri) > MAX_URL_BYTES:
        return 414, f"The URL is longer than {MAX_URL_BYTES} bytes."
    if not origin and not is_loopback_host(request.host):
        # Without --origin the Host would be the only source of absolute URLs.
        return 400, "This server does not answer for that Host."
    refusal = bad_path(request.path)
    if refusal:
        status, reason = refusal
        return status, f"The path cannot be used: {reason}."
    return None


@functools.cache
def allowed_methods(handler_class: type[tornado.web.RequestHandler]) -> tuple[str, ...]:
    """The methods ``handler_class`` implements, for 405 and its ``Allow`` header.

    HEAD counts only with GET (the base handler answers HEAD with GET).
    """
    base = tornado.web.RequestHandler
    methods = [m for m in handler_class.SUPPORTED_METHODS
               if getattr(handler_class, m.lower(), None) is not getattr(base, m.lower(), None)]
    if "GET" not in methods and "HEAD" in methods:
        methods.remove("HEAD")
    return tuple(methods)


class RefusalHandler(tornado.web.RequestHandler):
    """A refusal with a short body that repeats nothing of the request.

    Plain text, or ``{"error": ...}`` for a client that asks for JSON (the
    workspace's API). Not the localized error page: that page links to its
    own URL and carries absolute URLs, exactly what a refused request must
    not get to shape.
    """

    SUPPORTED_METHODS = ("GET", "HEAD", "POST", "DELETE", "PATCH", "PUT", "OPTIONS")

    def initialize(self, status: int, reason: str, allow: tuple[str, ...] = ()) -> None:
        self.status = status
        self.reason = reason
        self.allow = allow

    def _refuse(self, *args, **kwargs) -> None:
        self.set_status(self.status)
        self._answer(self.reason)

    get = head = post = delete = patch = put = options = _refuse

    def check_xsrf_cookie(self) -> None:
        pass  # nothing is written; the refusal must not become a 403

    def write_error(self, status_code: int, **kwargs) -> None:
        # A method token Tornado does not know at all (BREW) lands here.
        self._answer(None)

    def _answer(self, reason: str | None) -> None:
        self.set_header("Cache-Control", "no-store")
        if self.allow:
            self.set_header("Allow", ", ".join(self.allow))
        if "application/json" in self.request.headers.get("Accept", ""):
            self.set_header("Content-Type", "application/json; charset=utf-8")
            self.finish(json.dumps({"error": reason or status_phrase(self.get_status())}))
        else:
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish(f"{self.get_status()} {status_phrase(self.get_status())}"
                        + (f": {reason}" if reason else "") + "\n")
