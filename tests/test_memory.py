"""Memory under hostile URLs: random 8 kB paths and queries must not grow a worker.

Issue 11's probe found each 8 kB random path kept ~0.31 MB for good (the
path copied into every link of a page and the fragments cached per path).
Here a real server process takes 3,000 such requests over keep-alive
connections, and its resident memory, read from /proc, may grow by less
than 50 MB.
"""

from __future__ import annotations

import http.client
import random
import re
import string

from catalog_builder import site_root
from harness import Server

REQUESTS = 3000
LIMIT_MB = 50
SIZE = 8 * 1024
ALPHABET = string.ascii_letters + string.digits + "-._~%/"


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as fp:
        return int(re.search(r"VmRSS:\s+(\d+) kB", fp.read())[1]) / 1024


def junk(rng: random.Random, size: int) -> str:
    text = "".join(rng.choice(ALPHABET) for _ in range(size))
    return re.sub(r"%(?![0-9A-Fa-f]{2})", "%25", text)


def hostile_urls(rng: random.Random, count: int):
    """URLs whose path or query is 8 kB of random text, of every kind the router knows."""
    shapes = [
        lambda j: "/" + j,                                   # no route: negotiated 404
        lambda j: "/en/" + j,                                # valid prefix: 404 in English
        lambda j: "/en/languages/" + j.replace("/", "x"),    # no such language
        lambda j: "/languages/" + j.replace("/", "x"),       # negotiated redirect
        lambda j: "/EN/" + j,                                # case fix-up redirect
        lambda j: "/en/about?" + j,                          # a page, any query
        lambda j: "/en/languages?q=" + j + "&page=" + j[:40],
        lambda j: "/en/languages?page=" + j,
        lambda j: "/about?lang=" + j,
        lambda j: "/static/" + j,
        lambda j: "/i18n/" + j.replace("/", "x"),
    ]
    for n in range(count):
        yield shapes[n % len(shapes)](junk(rng, SIZE))


def fetch_all(port: int, urls) -> dict[int, int]:
    statuses: dict[int, int] = {}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    for url in urls:
        try:
            connection.request("GET", url, headers={"Accept-Language": "fr, en;q=0.5"})
            response = connection.getresponse()
            response.read()
            statuses[response.status] = statuses.get(response.status, 0) + 1
            if response.will_close:
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        except (http.client.HTTPException, OSError):
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            statuses[0] = statuses.get(0, 0) + 1
    connection.close()
    return statuses


def test_random_8kb_paths_and_queries_do_not_grow_a_worker():
    server = Server("--logging=error", root=site_root())
    port, process = server.port, server.process
    try:
        # The site as visitors use it first: every page kind, so that
        # legitimate caches and lazily built data are in place.
        pages = ["/en/", "/en/languages", "/en/languages?page=2", "/en/languages/ru", "/en/about",
                 "/en/translations", "/fr/", "/fr/languages?q=an", "/sitemap.xml", "/robots.txt",
                 "/languages.json?lang=en", "/no-such"]
        fetch_all(port, pages * 3)
        fetch_all(port, hostile_urls(random.Random(1), 100))
        before = rss_mb(process.pid)
        statuses = fetch_all(port, hostile_urls(random.Random(2), REQUESTS))
        grown = rss_mb(process.pid) - before
        assert sum(statuses.values()) == REQUESTS
        assert 500 not in statuses and 0 not in statuses, statuses
        assert grown < LIMIT_MB, f"grew by {grown:.1f} MB over {REQUESTS} requests ({statuses})"
    finally:
        server.stop()
