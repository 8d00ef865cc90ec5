"""Living catalogs for ``make bench`` (issue 9): start-up, reloads nobody notices, memory.

On a tree of the project's templates and static files with the generated
catalogs (``catalogs_bench.generate_tree``): the time from launching the
server to its first answer, with the shipped catalogs and with the generated
ones; the longest request while wrk keeps requests in flight, steady, while
one catalog reloads and while every one does (a new ``.mo`` and verdict, as
``make compile`` writes them); and the server's resident memory.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import time
from pathlib import Path

from common import LOAD_CPU, PYTHON, ROOT, free_port, ms, rss_mb, start  # bench/common.py

__all__ = ["run"]


def run(tmp: Path, generated: Path, size) -> dict:
    """Start-up, reload latency and memory with the shipped and the generated catalogs.

    Start-up is from launching the server to its first answered request;
    both servers run the same templates and static files, only the catalogs
    differ. During reloads a client (wrk, on the other CPU) keeps requests
    in flight and the longest one is reported.
    """
    root = tmp / "living"
    root.mkdir()
    for folder in ("templates", "static"):
        (root / folder).symlink_to(ROOT / folder)
    (root / "locale").symlink_to(generated / "locale")
    result = {"startup_shipped_s": _startup(ROOT), "startup_generated_s": _startup(root)}
    port = free_port()
    site = start([PYTHON, "-m", "website", f"--port={port}", f"--root={root}", "--logging=warning",
                   "--min_translated=0"], port)
    try:
        # The home page lists every served locale: re-rendered after each swap.
        url = f"http://127.0.0.1:{port}/en/"
        catalogs = sorted((generated / "locale").glob("*/LC_MESSAGES/messages.mo"))
        seconds = max(2, size["seconds"])
        result["steady_max_ms"] = _max_latency(url, seconds, lambda: None)
        result["reload_one_max_ms"] = _max_latency(url, seconds, lambda: _touch(catalogs[:1]))
        result["reload_all_max_ms"] = _max_latency(url, seconds, lambda: _touch(catalogs))
        result["server_rss_mb"] = rss_mb(site.pid)
    finally:
        site.terminate()
        site.wait(timeout=15)
    return result


def _startup(root: Path) -> float:
    """Seconds from launching the server to its first answer (median of three)."""
    times = []
    for _ in range(3):
        port = free_port()
        began = time.perf_counter()
        process = start([PYTHON, "-m", "website", f"--port={port}", f"--root={root}",
                         "--logging=warning", "--min_translated=0"], port, poll=0.01)
        times.append(time.perf_counter() - began)
        process.terminate()
        process.wait(timeout=15)
    return statistics.median(times)


def _touch(mo_files: list[Path]) -> None:
    # What `make compile` does to a changed catalog: a new .mo, a new verdict.
    now = time.time_ns()
    for mo in mo_files:
        for path in (mo, mo.with_suffix(".verdict.json")):
            os.utime(path, ns=(now, now))


def _max_latency(url: str, seconds: int, change) -> float:
    """The longest request, in ms, of wrk's run during which ``change()`` happens."""
    load = subprocess.Popen(
        ["taskset", "-c", LOAD_CPU, "wrk", "-t1", "-c8", f"-d{seconds}s", "--latency",
         "-H", "Accept-Language: en", url],
        stdout=subprocess.PIPE, text=True,
    )
    time.sleep(0.5)
    change()
    output = load.communicate(timeout=seconds + 30)[0]
    match = re.search(r"^\s+Latency\s+\S+\s+\S+\s+([\d.]+)(us|ms|s)", output, re.M)
    return ms(match[1], match[2]) if match else float("nan")
