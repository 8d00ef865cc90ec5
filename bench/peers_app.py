"""The peers' page (../shared/peers) served by the project's own machinery.

``python bench/peers_app.py PEERS_DIR PORT`` serves PEERS_DIR's
``tornado_app/templates/page.html`` on 127.0.0.1:PORT with the project's
application (:func:`website.app.make_app`'s :class:`~website.app.Site`:
security headers, request screening, in-flight count), its catalog loading
(:func:`~website.i18n.catalogs.load_catalogs` on ``tornado_app/locale``), its
base handler (locale negotiation from ``Accept-Language``, ``Content-Language``
and ``Vary``, the template namespace) and its Babel formatter, so that
``PROJECT_APP='python bench/peers_app.py DIR 8814' ./run.sh`` compares what the
project's i18n costs per request against Tornado alone, Django and Flask-Babel.

The peers ship compiled catalogs only; they go through the project's own
pipeline (``.po``, the catalog checks, ``compile_catalogs``) into
``PEERS_DIR/project_app/locale`` first, as a translator's catalog would.

The page is served at ``/`` and negotiated, as the peers do; on the
project's own URL scheme that is the entry point, the one place a request
still reads ``Accept-Language``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import sys

import glob

import polib
import tornado.httpserver

from website.app import Site
from website.handlers.base import BaseHandler
from website.i18n.catalogs import load_catalogs
from website.toolchain.cli import compile_catalogs

TODAY = dt.date(2026, 11, 20)


class PeerPage(BaseHandler):
    """The page: 50 sentences, 6 plurals, a 13-link switcher, a number and a date."""

    def get(self) -> None:
        fmt = self.site_locale.formatter
        content = self.settings["content"]
        self.render("page.html", sentences=content.SENTENCES, plural=content.PLURAL,
                    counts=content.COUNTS, switcher=content.SWITCHER,
                    number=fmt.decimal(1234567.891), today=fmt.date(TODAY, "long"))


def make_peer_app(peers_dir: str) -> Site:
    sys.path.insert(0, peers_dir)
    import content  # the peers' shared definition of the page

    app_dir = os.path.join(peers_dir, "tornado_app")
    catalogs = load_catalogs(_project_locale(app_dir, os.path.join(peers_dir, "project_app", "locale")))
    assert "ru" in catalogs, "the peers' Russian catalog did not load"
    return Site([(r"/", PeerPage)], catalogs=catalogs, content=content, origin="",
                template_path=os.path.join(app_dir, "templates"))


def _project_locale(app_dir: str, locale_dir: str) -> str:
    """The peers' compiled catalogs as the project's sources, compiled the project's way."""
    sources = []
    for mo in glob.glob(os.path.join(app_dir, "locale", "*", "LC_MESSAGES", "messages.mo")):
        gettext_id = mo.split(os.sep)[-3]
        folder = os.path.join(locale_dir, gettext_id, "LC_MESSAGES")
        os.makedirs(folder, exist_ok=True)
        catalog = polib.mofile(mo)
        catalog.metadata.setdefault("Language", gettext_id)
        catalog.save_as_pofile(os.path.join(folder, "messages.po"))
        sources.append(os.path.join(folder, "messages.po"))
    if compile_catalogs(sources, force=True):
        raise SystemExit(f"the peers' catalogs do not pass the project's checks: {sources}")
    return locale_dir


async def main(peers_dir: str, port: int) -> None:
    server = tornado.httpserver.HTTPServer(make_peer_app(peers_dir))
    server.listen(port, "127.0.0.1")
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(os.path.abspath(sys.argv[1]), int(sys.argv[2])))
