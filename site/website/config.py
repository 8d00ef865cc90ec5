"""Command-line options and the application settings built from them.

Options are Tornado's (:mod:`tornado.options`), so ``python -m website
--help`` lists them and ``--port=9000`` works as in any Tornado app
(``--min-translated`` and ``--min_translated`` alike).

Each default is declared once, in the lowest module that needs it, and read
from there: the share a catalog needs to be offered is
:data:`website.i18n.verdicts.DEFAULT_MIN_PERCENT`; the page cache's size,
the proxies' ``s-maxage`` for pages and the workspace's data directory are
declared here (:data:`PAGE_CACHE_MB`, :data:`PAGE_S_MAXAGE`,
:data:`DATA_DIR`) for :mod:`website.app`, :mod:`website.handlers.caching`
and ``website-admin``.

Deprecated spellings, still accepted: ``--in_context_editing`` is
``--translator_mode``.
"""

from __future__ import annotations

import logging
import os
import secrets
import tomllib
from pathlib import Path

from tornado.options import define, options

from website.i18n.verdicts import DEFAULT_MIN_PERCENT

__all__ = [
    "ROOT", "DATA_DIR", "PAGE_CACHE_MB", "PAGE_S_MAXAGE", "options", "cookie_secret",
    "project_setting", "translator_mode", "COOKIE_SECRET_ENV",
]

# The checkout: site/website/config.py -> three levels up.
ROOT = Path(__file__).resolve().parents[2]
#: The translator workspace's data (accounts, history, audit log).
DATA_DIR = ROOT / "var"
#: The in-process page cache, per process, in MB.
PAGE_CACHE_MB = 64.0
#: Seconds a proxy may keep a page (``Cache-Control: s-maxage``).
PAGE_S_MAXAGE = 600
COOKIE_SECRET_ENV = "WEBSITE_COOKIE_SECRET"

log = logging.getLogger(__name__)

def project_setting(name: str, default: str = "") -> str:
    """A value of ``[tool.website]`` in the checkout's ``pyproject.toml``.

    >>> project_setting("translation-contact") != ""
    True
    """
    try:
        with open(ROOT / "pyproject.toml", "rb") as fp:
            return str(tomllib.load(fp).get("tool", {}).get("website", {}).get(name, default))
    except (OSError, tomllib.TOMLDecodeError):
        return default


define("port", default=8888, type=int, help="port to listen on")
define("address", default="127.0.0.1", help="address to listen on")
define("debug", default=False, type=bool, help="autoreload, tracebacks on error pages")
define("default_locale", default="en", help="BCP 47 tag served when nothing else matches")
define(
    "min_translated",
    default=DEFAULT_MIN_PERCENT,
    type=float,
    help="percent of a catalog that must be translated for its locale to be offered",
)
define(
    "processes",
    default=1,
    type=int,
    help="worker processes (0 = one per core); they share the port unless --port_per_process",
)
define(
    "port_per_process",
    default=False,
    type=bool,
    help="worker i listens on port+i, for a reverse proxy that balances over the ports",
)
define(
    "shutdown_timeout",
    default=10.0,
    type=float,
    help="seconds to let in-flight requests finish after SIGTERM",
)
define(
    "pseudo_locales",
    default=None,
    type=bool,
    help="offer the en-XA and ar-XB pseudo-locales (default: on with --debug)",
)
define("xheaders", default=False, type=bool, help="trust X-Real-IP / X-Forwarded-* (behind a proxy)")
define("origin", default="", help="public origin for absolute URLs, e.g. https://example.org")
define(
    "translation_contact",
    default=project_setting("translation-contact"),
    help="where translators send catalogs (email or https URL), shown on /translations",
)
define(
    "page_cache_mb",
    default=PAGE_CACHE_MB,
    type=float,
    help="in-process cache of rendered pages, per process, in MB (0 = off)",
)
define(
    "page_s_maxage",
    default=None,
    type=int,
    help=f"seconds a proxy may keep a page (Cache-Control s-maxage; default {PAGE_S_MAXAGE})",
)
# Connection limits (website.security has the per-request ones). nginx keeps
# idle upstream connections 60 s by default: the idle timeout is longer, so
# nginx never reuses a connection the worker is closing.
define("idle_connection_timeout", default=75.0, type=float,
       help="seconds an idle keep-alive connection, or one still sending its headers, is kept")
define("body_timeout", default=30.0, type=float, help="seconds allowed for receiving a request body")
define("max_header_size", default=32 * 1024, type=int, help="bytes of request line and headers at most")
# Above the translator workspace's own limits (5 MB uploads), so that it
# answers too-large bodies itself, with a clear 413.
define("max_body_size", default=16 * 1024 * 1024, type=int, help="bytes of request body at most")
define("translator_mode", default=True, type=bool,
       help="translator mode: signed-in translators edit pages in place (issue 12)")
define("in_context_editing", default=None, type=bool, help="deprecated: the old name of --translator-mode")
define("root", default=str(ROOT), help="folder holding locale/, templates/ and static/")
# Catalogs in git (issue 18): the workspace commits saves and syncs with a remote.
define("commit_interval", default=60.0, type=float,
       help="seconds between the workspace's git commits (one per translator at most)")
define("catalog_sync", default="",
       help="git remote (name or URL) the workspace syncs the catalogs with; empty: no sync")
define("catalog_branch", default="", help="branch to sync the catalogs with (default: the checked-out one)")
define("sync_interval", default=60.0, type=float, help="seconds between catalog syncs (--catalog_sync)")
define("sync_push_branch", default="",
       help="push the catalogs to this branch instead of --catalog_branch (pull-request workflow)")
define("data_dir", default=str(DATA_DIR),
       help="the translator workspace's data (accounts, history, audit log: workspace.sqlite3)")


def translator_mode() -> bool:
    """``--translator_mode``, or its deprecated spelling ``--in_context_editing`` when given."""
    if options.in_context_editing is not None:
        log.warning("--in_context_editing is deprecated: use --translator_mode")
        return options.in_context_editing
    return options.translator_mode


def cookie_secret() -> str:
    """The secret from the environment, or a random one with a loud warning."""
    secret = os.environ.get(COOKIE_SECRET_ENV)
    if secret:
        return secret
    log.warning(
        "*** %s is not set: using a random cookie secret. Signed cookies will not "
        "survive a restart or be shared between processes. Set it in production. ***",
        COOKIE_SECRET_ENV,
    )
    return secrets.token_hex(32)
