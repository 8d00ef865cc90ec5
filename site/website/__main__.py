"""Serve the site: ``python -m website [--port=8888] [--debug] ...``.

``python -m website --help`` lists every option.
"""

from __future__ import annotations

import asyncio
import logging
import os

import tornado.httpserver
import tornado.netutil
import tornado.process
from tornado.options import options, parse_command_line

from website import config, languages
from website.app import make_app
from website.catalogs import load_catalogs
from website.reloader import CatalogReloader

log = logging.getLogger("website")


def main(argv: list[str] | None = None) -> None:
    parse_command_line(argv)
    pseudo_locales = options.debug if options.pseudo_locales is None else options.pseudo_locales
    locale_dir = os.path.join(options.root, "locale")
    pseudo_dir = os.path.join(options.root, "build", "pseudo") if pseudo_locales else None

    def load():
        return load_catalogs(
            locale_dir,
            default=options.default_locale,
            min_percent=options.min_translated,
            pseudo_dir=pseudo_dir,
        )

    catalogs = load()
    log.info("serving %d locales: %s", len(catalogs), ", ".join(catalogs.tags))
    # Built once here rather than on the first visitor's request.
    for tag in catalogs.tags:
        languages.directory(catalogs.get(tag).info.gettext_id)
    app = make_app(
        catalogs,
        root=options.root,
        debug=options.debug,
        cookie_secret=config.cookie_secret(),
        origin=options.origin,
        min_percent=options.min_translated,
    )
    sockets = tornado.netutil.bind_sockets(options.port, options.address)
    if options.processes != 1 and not options.debug:
        tornado.process.fork_processes(options.processes)
    log.info("listening on http://%s:%d/", options.address, options.port)
    asyncio.run(_serve(app, sockets, CatalogReloader(app, load, [locale_dir, pseudo_dir])))


async def _serve(app, sockets, reloader) -> None:
    server = tornado.httpserver.HTTPServer(app, xheaders=options.xheaders)
    server.add_sockets(sockets)
    # Each process (after the fork) watches the catalogs itself.
    reloader.start()
    await asyncio.Event().wait()


if __name__ == "__main__":
    main()
