"""Serve the site: ``python -m website [--port=8888] [--debug] ...``.

``python -m website --help`` lists every option.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import signal
import subprocess

import tornado.httpserver
import tornado.ioloop
import tornado.netutil
import tornado.process
from tornado.options import options, parse_command_line

from website import config, directory
from website.app import make_app
from website.i18n.catalogs import CatalogSource
from website.i18n.reloader import CatalogReloader
from website.workspace.catalog_sync import CatalogSync
from website.workspace.service import Workspace

log = logging.getLogger("website")


def main(argv: list[str] | None = None) -> None:
    parse_command_line(argv)
    pseudo_locales = options.debug if options.pseudo_locales is None else options.pseudo_locales
    locale_dir = os.path.join(options.root, "locale")
    pseudo_dir = os.path.join(options.root, "build", "pseudo") if pseudo_locales else None

    source = CatalogSource(
        locale_dir,
        default=options.default_locale,
        min_percent=options.min_translated,
        pseudo_dir=pseudo_dir,
    )
    # From the .mo files and their verdicts only: no .po is parsed here.
    catalogs, results = source.load_all()
    log.info("serving %d locales: %s", len(catalogs), ", ".join(catalogs.tags))
    # What every locale's directory shares, built once before the workers
    # fork; each locale's own list is built when a visitor first asks for it.
    directory.warm()
    app = make_app(
        catalogs,
        root=options.root,
        debug=options.debug,
        cookie_secret=config.cookie_secret(),
        origin=options.origin,
        min_percent=options.min_translated,
        translation_contact=options.translation_contact,
        page_cache_bytes=int(options.page_cache_mb * 1024 * 1024),
        page_s_maxage=options.page_s_maxage,
        # Migrations run here, once, before the workers fork.
        workspace=(workspace := Workspace.open(options.data_dir, locale_dir)),
        in_context_editing=config.translator_mode(),
    )
    # What was built so far lives as long as the process: frozen out of the
    # collector's sight, full collections no longer walk CLDR's data and the
    # directory, and the workers forked below keep sharing those memory
    # pages instead of copying them (gc.freeze, Python's gc documentation).
    gc.collect()
    gc.freeze()
    port = options.port
    workers = options.processes if not options.debug else 1
    if options.port_per_process:
        # Each worker binds its own port after the fork: port, port+1, ...
        task_id = _fork(workers) if workers != 1 else 0
        sockets = tornado.netutil.bind_sockets(port + (task_id or 0), options.address)
        port += task_id or 0
    else:
        sockets = tornado.netutil.bind_sockets(port, options.address)
        if workers != 1:
            _fork(workers)
    log.info("listening on http://%s:%d/ (pid %d)", options.address, port, os.getpid())
    # Cached pages and fragments were rendered with the replaced catalogs:
    # dropped at each swap, or they would keep those catalogs alive.
    reloader = CatalogReloader(app, source, results, on_swap=lambda _catalogs: app.forget_rendered())
    syncer = CatalogSync(workspace, origin=options.origin, remote=options.catalog_sync,
                         branch=options.catalog_branch or None, push_branch=options.sync_push_branch or None,
                         commit_interval=options.commit_interval)
    asyncio.run(_serve(app, sockets, reloader, syncer if syncer.is_git() else None))
    # A late duplicate SIGTERM must not turn this clean exit into a death by
    # signal: Python resets its own handlers to the default while finalizing,
    # but leaves SIG_IGN alone.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def _fork(workers: int) -> int:
    """Fork the workers (Tornado restarts any that crash); return this one's id.

    Tornado's supervising parent does not pass SIGTERM on, so it is
    forwarded here: a process manager stopping the parent stops every
    worker gracefully.
    """
    parent = os.getpid()
    signal.signal(signal.SIGTERM, lambda *_: _signal_children(parent, signal.SIGTERM))
    task_id = tornado.process.fork_processes(workers)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the worker installs its own below
    return task_id


def _signal_children(parent: int, signum: int) -> None:
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fp:
                ppid = int(fp.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if ppid == parent:
            os.kill(int(entry), signum)


def _start_git(syncer: CatalogSync) -> list:
    """The workspace's commits every --commit_interval and, with --catalog_sync, the sync."""
    workspace = syncer.workspace

    async def commit():
        try:
            await workspace.run_catalog(syncer.commit_pending, options.commit_interval)
        except Exception as error:  # noqa: BLE001 - logged; saves go on, the next run retries
            log.warning("committing the catalogs failed: %s", error)

    def run_sync():
        # A process of its own (website-catalog sync): its parsing and merging
        # never compete with requests for this process's interpreter.
        result = subprocess.run(syncer.sync_command(), capture_output=True, text=True, timeout=600)
        lines = (result.stdout + result.stderr).strip().split("\n")
        if result.returncode == 0:
            log.info("%s", lines[-1])
        else:
            # One line per failed sync: saves go on, the next sync catches up.
            log.warning("catalog sync with %s failed: %s", syncer.remote, lines[-1][:300])

    async def sync():
        try:
            await workspace.run_catalog(run_sync)
        except Exception as error:  # noqa: BLE001
            log.warning("catalog sync with %s failed: %s", syncer.remote, error)

    callbacks = [tornado.ioloop.PeriodicCallback(commit, options.commit_interval * 1000, jitter=0.1)]
    if options.catalog_sync:
        callbacks.append(tornado.ioloop.PeriodicCallback(sync, options.sync_interval * 1000, jitter=0.1))
    for callback in callbacks:
        callback.start()
    return callbacks


async def _serve(app, sockets, reloader, syncer=None) -> None:
    server = tornado.httpserver.HTTPServer(
        app,
        xheaders=options.xheaders,
        idle_connection_timeout=options.idle_connection_timeout,
        body_timeout=options.body_timeout,
        max_header_size=options.max_header_size,
        max_body_size=options.max_body_size,
    )
    server.add_sockets(sockets)
    # Each process (after the fork) watches the catalogs itself.
    reloader.start()
    git_callbacks = _start_git(syncer) if syncer is not None else []
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()

    def request_stop(*_):
        # Installed with signal.signal rather than loop.add_signal_handler so
        # that it outlives the loop: a second SIGTERM (from a process manager
        # and the forwarding parent) after shutdown must not kill the worker,
        # which Tornado's parent would then restart.
        if not loop.is_closed():
            loop.call_soon_threadsafe(stopping.set)

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, request_stop)
    await stopping.wait()
    # Graceful shutdown: stop accepting, let requests in flight finish
    # (bounded), then close idle keep-alive connections and exit 0.
    log.info("shutting down: %d request(s) in flight", app.in_flight)
    server.stop()
    reloader.stop()
    for callback in git_callbacks:
        callback.stop()
    deadline = loop.time() + options.shutdown_timeout
    while app.in_flight > 0 and loop.time() < deadline:
        await asyncio.sleep(0.05)
    if app.in_flight > 0:
        log.warning("%d request(s) still in flight after %.0f s; exiting", app.in_flight,
                    options.shutdown_timeout)
    try:
        await asyncio.wait_for(server.close_all_connections(), timeout=1.0)
    except asyncio.TimeoutError:
        pass
    log.info("stopped")


if __name__ == "__main__":
    main()
