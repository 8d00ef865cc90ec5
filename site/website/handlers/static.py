"""Static files under their content hash, in the path: ``/static/css/site.<hash>.css``.

``static_url("css/site.css")`` writes the file's current hash into its name,
so the URL changes whenever the content does and the file can be cached
for a year, ``immutable``. With the hash in the path rather than Tornado's
``?v=`` (which Tornado answers with a ten-year lifetime whatever ``v`` says),
a proxy can serve the same names straight from disk: :func:`write_hashed_copies`
puts a copy of each file under its hashed name (``make static``), so a
name nginx finds on disk is by construction the content it names.

Here, a hashed name is served ``immutable`` only when the hash is the file's
current one; an old or wrong hash gets the current content with
``no-cache``, and a plain name too.

>>> hashed_name("css/site.css", "0123456789abcdef0123456789")
'css/site.0123456789abcdef0123.css'
>>> split_hashed_name("css/site.0123456789abcdef0123.css")
('css/site.css', '0123456789abcdef0123')
>>> split_hashed_name("css/site.css")
('css/site.css', None)
"""

from __future__ import annotations

import os
import re
import shutil
import sys

import tornado.web

from website.handlers import caching

__all__ = [
    "VersionedStaticFileHandler",
    "JsCatalogHandler",
    "IMMUTABLE",
    "REVALIDATE",
    "hashed_name",
    "split_hashed_name",
    "write_hashed_copies",
]

IMMUTABLE = caching.IMMUTABLE
REVALIDATE = caching.REVALIDATE
# 20 hex digits (80 bits of SHA-512): no accidental collision between two
# versions of one file, and short URLs.
HASH_LENGTH = 20
_HASHED = re.compile(r"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{%d})(?P<ext>\.[A-Za-z0-9]+)$" % HASH_LENGTH)


def hashed_name(path: str, version: str) -> str:
    """``path`` with ``version`` (cut to HASH_LENGTH) before its extension."""
    stem, ext = os.path.splitext(path)
    return f"{stem}.{version[:HASH_LENGTH]}{ext}"


def split_hashed_name(path: str) -> tuple[str, str | None]:
    """(plain name, hash) of a requested name; hash None if it carries none."""
    match = _HASHED.match(path)
    if match is None:
        return path, None
    return match["stem"] + match["ext"], match["hash"]


class VersionedStaticFileHandler(tornado.web.StaticFileHandler):
    requested_hash: str | None = None

    @classmethod
    def make_static_url(cls, settings, path: str, include_version: bool = True) -> str:
        prefix = settings.get("static_url_prefix", "/static/")
        version = cls.get_version(settings, path) if include_version else None
        return prefix + (hashed_name(path, version) if version else path)

    def parse_url_path(self, url_path: str) -> str:
        path, self.requested_hash = split_hashed_name(url_path)
        return super().parse_url_path(path)

    def _is_current_version(self) -> bool:
        # Called once the file is known to exist (set_headers), so the
        # version cache is only ever filled with real files.
        if self.requested_hash is None:
            return False
        current = self.get_version(self.settings, self.path)
        return current is not None and current[:HASH_LENGTH] == self.requested_hash

    def get_cache_time(self, path, modified, mime_type) -> int:
        return caching.ONE_YEAR if self._is_current_version() else 0

    def set_extra_headers(self, path) -> None:
        kind = "static" if self._is_current_version() else "revalidate"
        self.set_header("Cache-Control", caching.cache_control(kind, 200))


def write_hashed_copies(static_dir: str | os.PathLike, out_dir: str | os.PathLike) -> list[str]:
    """Copy every file of ``static_dir`` to ``out_dir`` under its hashed name.

    Returns the names written. Earlier copies stay: pages cached before a
    deploy still name them, and each is still exactly its own content.
    """
    written = []
    for folder, _dirs, files in os.walk(static_dir):
        for name in files:
            source = os.path.join(folder, name)
            relative = os.path.relpath(source, static_dir).replace(os.sep, "/")
            version = tornado.web.StaticFileHandler.get_content_version(source)
            target = os.path.join(out_dir, hashed_name(relative, version))
            if not os.path.exists(target):
                os.makedirs(os.path.dirname(target), exist_ok=True)
                shutil.copyfile(source, target + ".partial")
                os.replace(target + ".partial", target)
            written.append(hashed_name(relative, version))
    return sorted(written)


class JsCatalogHandler(tornado.web.RequestHandler):
    """``/i18n/messages.<hash>.json``: a browser catalog, named by its content hash.

    The name changes whenever the content does, so it is cached for a year.
    """

    def get(self, name: str) -> None:
        catalog = self.settings["catalogs"].js_catalog(name)
        if catalog is None:
            raise tornado.web.HTTPError(404)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Cache-Control", IMMUTABLE)
        self.finish(catalog.body)


if __name__ == "__main__":
    # python -m website.handlers.static STATIC_DIR OUT_DIR (make static)
    for written in write_hashed_copies(sys.argv[1], sys.argv[2]):
        print(written)
