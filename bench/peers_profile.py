"""Where the peers' page spends its time: Tornado alone against the project, in one process.

``python bench/peers_profile.py`` renders the page of ``../shared/peers`` (or
the copy in ``bench/peers``) through each application's own routing, handler
and template code, with a stand-in connection that discards the response, and
prints the CPU time per request of each, in interleaved rounds. With
``--profile`` it also prints cProfile's busiest functions for the project.
Network, HTTP parsing and the event loop are left out, so this isolates what
the project's base handler, catalogs, formatting and security layer cost.
It is what the changes to the per-request path were measured with; ``make
bench`` measures the same page over HTTP, against Django and Flask-Babel too.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import importlib.util
import logging
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import tornado.web
from tornado.concurrent import Future
from tornado.httputil import HTTPConnection, HTTPHeaders, HTTPServerRequest, RequestStartLine

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from peers_app import make_peer_app  # noqa: E402
from common import PEERS  # noqa: E402

LINE = RequestStartLine("GET", "/", "HTTP/1.1")


class _Discard(HTTPConnection):
    """A connection that accepts the response and throws it away."""

    def set_close_callback(self, callback) -> None:
        pass

    def write_headers(self, start_line, headers, chunk=None) -> Future:
        return self._done()

    def write(self, chunk) -> Future:
        return self._done()

    def finish(self) -> None:
        pass

    @staticmethod
    def _done() -> Future:
        future = Future()
        future.set_result(None)
        return future


async def _one(app: tornado.web.Application) -> None:
    headers = HTTPHeaders({"Host": "127.0.0.1", "Accept-Language": "ru", "User-Agent": "bench"})
    request = HTTPServerRequest(connection=_Discard(), start_line=LINE, headers=headers)
    delegate = app.find_handler(request)
    delegate = getattr(delegate, "delegate", delegate)  # the project counts it in flight
    request.body = b""
    handler = delegate.handler_class(app, request, **delegate.handler_kwargs)
    await handler._execute([transform(request) for transform in app.transforms])
    assert handler.get_status() == 200, handler.get_status()


async def _cpu_us(app, requests: int) -> float:
    start = time.process_time()
    for _ in range(requests):
        await _one(app)
    return (time.process_time() - start) / requests * 1e6


def _apps(copy: Path):
    subprocess.run([sys.executable, "content.py"], cwd=copy, check=True, capture_output=True)
    spec = importlib.util.spec_from_file_location("tornado_alone", copy / "tornado_app" / "app.py")
    alone = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(alone)
    tornado_alone = tornado.web.Application(
        [(r"/", alone.Page)], template_path=str(copy / "tornado_app" / "templates"))
    return tornado_alone, make_peer_app(str(copy))


async def _main(args) -> None:
    logging.getLogger("tornado.access").disabled = True
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "peers"
        shutil.copytree(PEERS, copy)
        os.chmod(copy, 0o755)
        for folder, _, _ in os.walk(copy):
            os.chmod(folder, 0o755)
        tornado_alone, project = _apps(copy)
        for app in (tornado_alone, project):
            for _ in range(200):  # warm caches and templates
                await _one(app)
        times = {"tornado alone": [], "project": []}
        for _ in range(args.rounds):
            times["tornado alone"].append(await _cpu_us(tornado_alone, args.requests))
            times["project"].append(await _cpu_us(project, args.requests))
        for name, values in times.items():
            print(f"{name:14s} {statistics.median(values):7.1f} µs/request "
                  f"(rounds: {', '.join(f'{v:.0f}' for v in values)})")
        ratio = statistics.median(times["tornado alone"]) / statistics.median(times["project"])
        print(f"project speed / Tornado alone: {ratio:.3f}")
        if args.profile:
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(args.requests):
                await _one(project)
            profile.disable()
            pstats.Stats(profile).sort_stats("tottime").print_stats(25)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=1000, help="per round and application")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--profile", action="store_true", help="also cProfile the project's requests")
    asyncio.run(_main(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
