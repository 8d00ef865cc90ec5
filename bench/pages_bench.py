"""The site's pages under wrk, for ``make bench``: each page against the ceiling, and idle connections.

The site (one process, debug off) runs pinned to the server CPU; wrk
drives it from the load CPU (bench/common.py). Pages are the prefixed ones
(/ru/), served from the page cache, with the page cache off (a second
process), with translator mode switched off (issue 12), through the shipped
nginx config (pinned with the site), and a bare Tornado "hello world"
(``bench/hello.py``), the ceiling every ratio is taken against. All pages
are measured in interleaved rounds and each ratio is taken per round, so
that the ratios hold on a noisy machine. Then wrk runs again while
thousands of idle keep-alive connections (``bench/idle.py``) are held open.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from common import (LOAD_CPU, PYTHON, ROOT, SERVER_CPU, free_port, get, more_files, ratio, rss_mb, start,
                    summary, wrk)  # bench/common.py

__all__ = ["run", "LANGUAGES_SEARCH_PATH", "LANGUAGE_PAGE_PATH"]

# The directory's search and a language page (issue 13 watches both), in one
# place: when pages move under /<lang>/, only these change.
LANGUAGES_SEARCH_PATH = "/en/languages?q=a"
LANGUAGE_PAGE_PATH = "/en/languages/ru"


def run(size) -> tuple[dict, dict]:
    """The pages' figures and ratios, and the figures with idle connections open (``report["idle"]``)."""
    site_port, uncached_port, hello_port = free_port(), free_port(), free_port()
    off_port, off_uncached_port = free_port(), free_port()
    nginx_port, nginx_tls_port = free_port(), free_port()
    site_command = [PYTHON, "-m", "website", f"--root={ROOT}", "--logging=warning"]
    site = start([*site_command, f"--port={site_port}"], site_port)
    uncached = start([*site_command, f"--port={uncached_port}", "--page_cache_mb=0"], uncached_port)
    hello = start([PYTHON, str(ROOT / "bench" / "hello.py"), str(hello_port)], hello_port)
    # Issue 12: the same site with translator mode switched off.
    off = start([*site_command, f"--port={off_port}", "--in_context_editing=false"], off_port)
    off_uncached = start([*site_command, f"--port={off_uncached_port}", "--page_cache_mb=0",
                           "--in_context_editing=false"], off_uncached_port)
    proxy, proxy_tmp = _start_nginx(site_port, nginx_port, nginx_tls_port)
    try:
        base = f"http://127.0.0.1:{site_port}"
        css = re.search(r'href="(/static/css/site\.[0-9a-f]{20}\.css)"', get(base + "/en/"))[1]
        scenarios = {
            "home_en": (base + "/en/", "en"),
            "home_ru": (base + "/ru/", "ru"),
            "home_ar": (base + "/ar/", "ar"),
            "home_ru_uncached": (f"http://127.0.0.1:{uncached_port}/ru/", "ru"),
            "home_ru_mode_off": (f"http://127.0.0.1:{off_port}/ru/", "ru"),
            "home_ru_uncached_mode_off": (f"http://127.0.0.1:{off_uncached_port}/ru/", "ru"),
            "home_ru_nginx": (f"http://127.0.0.1:{nginx_port}/ru/", "ru", "localhost"),
            "languages_search": (base + LANGUAGES_SEARCH_PATH, "en"),
            "language_ru": (base + LANGUAGE_PAGE_PATH, "en"),
            "static_versioned": (base + css, "en"),
            "hello_world": (f"http://127.0.0.1:{hello_port}/", "en"),
        }
        for url, lang, *host in scenarios.values():
            # One request first: a locale's directory and search keys are
            # built on its first visit, which a one-second smoke run on a
            # busy machine may not outlast.
            request = urllib.request.Request(url, headers={"Accept-Language": lang, **(
                {"Host": host[0]} if host else {})})
            urllib.request.urlopen(request, timeout=60).read()
        runs: dict[str, list] = {name: [] for name in scenarios}
        for _ in range(size["runs"]):  # interleaved rounds
            for name, scenario in scenarios.items():
                runs[name].append(wrk(*scenario, seconds=size["seconds"]))
        pages = {name: summary(results) for name, results in runs.items()}
        pages["ratios"] = {
            "translated_over_source": ratio(runs["home_ru"], runs["home_en"]),
            "translated_ar_over_source": ratio(runs["home_ar"], runs["home_en"]),
            "ru_over_ceiling": ratio(runs["home_ru"], runs["hello_world"]),
            "home_over_ceiling": ratio(runs["home_en"], runs["hello_world"]),
            "ru_uncached_over_ceiling": ratio(runs["home_ru_uncached"], runs["hello_world"]),
            "nginx_over_uncached": ratio(runs["home_ru_nginx"], runs["home_ru_uncached"]),
            "with_over_without_mode": ratio(runs["home_ru"], runs["home_ru_mode_off"]),
            "with_over_without_mode_uncached": ratio(runs["home_ru_uncached"], runs["home_ru_uncached_mode_off"]),
            "languages_search_over_ceiling": ratio(runs["languages_search"], runs["hello_world"]),
            "language_page_over_ceiling": ratio(runs["language_ru"], runs["hello_world"]),
        }
        idle = _idle(site, site_port, base + "/ru/", size)
    finally:
        for process in (site, uncached, hello, proxy, off, off_uncached):
            process.terminate()
            process.wait(timeout=15)
        shutil.rmtree(proxy_tmp, ignore_errors=True)
    return pages, idle


def _start_nginx(site_port: int, port: int, tls_port: int) -> tuple[subprocess.Popen, Path]:
    """The shipped nginx config in front of the site, pinned with it (bench/nginx.py)."""
    sys.path.insert(0, str(ROOT / "bench"))
    import nginx

    from website.handlers.static import write_hashed_copies

    tmp = Path(tempfile.mkdtemp(prefix="bench-nginx-"))
    write_hashed_copies(ROOT / "static", tmp / "build" / "static")
    nginx.write_config(tmp, [site_port], port, tls_port, tmp / "build")
    process = subprocess.Popen(["taskset", "-c", SERVER_CPU, *nginx.command(tmp)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while True:
        try:
            request = urllib.request.Request(f"http://127.0.0.1:{port}/ru/", headers={"Host": "localhost"})
            urllib.request.urlopen(request, timeout=5).read()
            return process, tmp
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("nginx did not start: " + (tmp / "error.log").read_text())
            time.sleep(0.1)


def _idle(site, port: int, url: str, size) -> dict:
    """wrk on ``url`` while ``size["idle"]`` keep-alive connections stay open, and the site's memory then."""
    holder = subprocess.Popen(
        ["taskset", "-c", LOAD_CPU, PYTHON, str(ROOT / "bench" / "idle.py"), str(port), str(size["idle"]), "300"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, preexec_fn=more_files,
    )
    try:
        opened = int(holder.stdout.readline().split()[1])
        results = [wrk(url, "ru", seconds=size["seconds"]) for _ in range(max(1, size["runs"] // 2))]
        rss = rss_mb(site.pid)
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    return {"connections_open": opened, "server_rss_mb": rss, **summary(results)}
