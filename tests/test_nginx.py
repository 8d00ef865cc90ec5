"""The shipped nginx config in front of two site processes, on loopback.

Runs Debian's real nginx (installed by `make system-deps`) with
deploy/nginx/website.conf, its ports, paths and certificate rewritten for a
temporary directory, and a self-signed certificate so the https path is real.
"""

from __future__ import annotations

import os
import re
import signal
import ssl
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from catalog_builder import SITE_LOCALES, build_root, site_catalogs
from conftest import ROOT
from harness import Server, free_port, poll_until
from test_live_reload import compile_catalogs, replace_translation
from website import security
from website.handlers.static import write_hashed_copies

sys.path.insert(0, str(ROOT / "bench"))
import nginx as nginx_conf  # noqa: E402  (bench/nginx.py: the shipped config, moved under tmp)

NGINX = nginx_conf.NGINX
SECRET = "test-secret-shared-by-both-workers"
# Two offered languages other than the source, from the catalogs built for the tests.
CATALOGS = site_catalogs()
A, B = [tag for tag in CATALOGS.tags if tag != CATALOGS.default][:2]


def request(url: str, headers: dict | None = None):
    context = ssl._create_unverified_context()  # our own self-signed certificate
    req = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(req, timeout=5, context=context) as response:
        return response.status, response.headers, response.read().decode("utf-8", "replace")


PAGE_LIFETIME = 3  # --page_s_maxage: how long nginx keeps a page in these tests


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    if not os.path.exists(NGINX):
        pytest.fail("nginx is not installed: run 'make system-deps' (make test does)")
    tmp = tmp_path_factory.mktemp("nginx")
    # The workers serve catalogs of their own, so that a test can change them.
    root = build_root(tmp / "site", SITE_LOCALES)
    write_hashed_copies(root / "static", tmp / "build" / "static")  # what `make static` does
    http_port, https_port = free_port(), free_port()
    env = {**os.environ, "WEBSITE_COOKIE_SECRET": SECRET}
    servers = [Server("--xheaders", f"--data_dir={tmp / 'var'}", "--logging=info",
                      f"--page_s_maxage={PAGE_LIFETIME}", root=root, env=env, log=tmp / f"site{index}.log")
               for index in range(2)]
    ports = [server.port for server in servers]
    workers = [(server.process, server.log) for server in servers]

    nginx_conf.write_config(tmp, ports, http_port, https_port, tmp / "build")
    nginx = subprocess.Popen(nginx_conf.command(tmp),
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    http = f"http://localhost:{http_port}"

    def answers() -> bool:
        if nginx.poll() is not None:
            raise AssertionError("nginx exited:\n" + nginx.stdout.read() + (tmp / "error.log").read_text())
        request(http + "/en/about")
        return True

    try:
        poll_until(answers, 10, interval=0.1, ignore=(OSError,), message="nginx did not answer")
    except AssertionError:
        nginx.kill()
        raise
    yield {"http": http, "https": f"https://localhost:{https_port}", "workers": workers,
           "port": http_port, "root": root, "log": tmp / "access.log", "tmp": tmp, "data_dir": tmp / "var"}
    nginx.terminate()
    nginx.wait(timeout=10)
    for server in servers:
        server.stop()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def raw(url: str, headers: dict | None = None):
    """Status, headers and body without following redirects or raising on errors."""
    opener = urllib.request.build_opener(
        NoRedirect, urllib.request.HTTPSHandler(context=ssl._create_unverified_context()))
    try:
        with opener.open(urllib.request.Request(url, headers=headers or {}), timeout=5) as response:
            return response.status, response.headers, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode("utf-8", "replace")


def cache_statuses(proxy, path: str, count: int) -> list[str]:
    """The cache=... field of the ``count`` access log lines for ``path``, in order.

    nginx writes a line after its response: this waits for all of them.
    """
    def lines():
        found = [line for line in proxy["log"].read_text().splitlines() if f'"GET {path} HTTP' in line]
        return found if len(found) >= count else None

    found = poll_until(lines, 5, message=f"{count} access log lines for {path}")
    return [re.search(r"cache=(\S+)", line)[1] for line in found]


# What the site sends (website.security owns them): nginx must send the same on its own answers.
SECURITY_HEADERS = security.DEFAULT_HEADERS


def test_negotiation_through_the_proxy_is_never_cached(proxy):
    for _ in range(3):
        status, headers, _ = raw(proxy["http"] + "/about", {"Accept-Language": f"{A};q=0.5, {B}"})
        assert status == 302 and headers["Location"].endswith(f"/{B}/about")
        assert headers["Cache-Control"] == "private, no-store"
    for _ in range(2):
        status, headers, _ = raw(proxy["http"] + "/about", {"Accept-Language": A})
        assert headers["Location"].endswith(f"/{A}/about")  # not the redirect cached for B
    assert set(cache_statuses(proxy, "/about", 5)) <= {"-"}  # never even looked up


def test_second_request_is_a_hit(proxy):
    path = f"/{A}/languages?page=2"
    first = raw(proxy["http"] + path)
    second = raw(proxy["http"] + path, {"Accept-Language": B, "Cookie": f"lang={B}"})
    assert first[0] == second[0] == 200
    assert first[2] == second[2] and f'<html lang="{A}"' in second[2]
    assert cache_statuses(proxy, path, 2) == ["MISS", "HIT"]


def test_one_entry_per_url_whatever_the_accept_encoding(proxy):
    path = f"/{B}/languages?page=3"
    for encoding in ("gzip", "gzip, deflate, br", "x-random-1", "identity"):
        raw(proxy["http"] + path, {"Accept-Encoding": encoding})
    assert cache_statuses(proxy, path, 4) == ["MISS", "HIT", "HIT", "HIT"]


def test_signed_in_requests_bypass_the_cache(proxy):
    path = f"/{B}/about"
    raw(proxy["http"] + path)
    raw(proxy["http"] + path)
    raw(proxy["http"] + path, {"Cookie": "session=someone"})
    assert cache_statuses(proxy, path, 3) == ["MISS", "HIT", "BYPASS"]


def test_errors_searches_and_made_up_queries_are_not_kept(proxy):
    for path in (f"/{B}/no-such-page", f"/{B}/languages?q=an", f"/{B}/about?utm_source=x"):
        raw(proxy["http"] + path)
        raw(proxy["http"] + path)
        assert "HIT" not in cache_statuses(proxy, path, 2), path


def test_a_catalog_reload_is_visible_after_the_cache_lifetime(proxy):
    path = f"/{A}/about"
    old = replace_translation(proxy["root"] / "locale" / CATALOGS.get(A).info.gettext_id / "LC_MESSAGES" / "messages.po",
                              "About this site", "À propos, nouvelle version")
    assert old in raw(proxy["http"] + path)[2]
    compile_catalogs(proxy["root"])
    # Both workers have the new catalogs now or within a second or two; the
    # proxy keeps the page it has until its lifetime ends, then refreshes it.
    asked = [1]

    def refreshed() -> bool:
        asked[0] += 1
        return "nouvelle version" in raw(proxy["http"] + path)[2]

    poll_until(refreshed, PAGE_LIFETIME + 8, interval=0.2, message="still the old page")
    statuses = cache_statuses(proxy, path, asked[0])
    assert statuses[0] == "MISS" and ("HIT" in statuses or "STALE" in statuses or "UPDATING" in statuses)


def test_unknown_hosts_are_dropped(proxy):
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", proxy["port"], timeout=5)
    connection.request("GET", "/en/about", headers={"Host": "evil.example"})
    with pytest.raises((http.client.RemoteDisconnected, ConnectionResetError)):
        connection.getresponse()
    connection.close()


def test_long_urls_get_414_with_the_security_headers(proxy):
    status, headers, _ = raw(proxy["http"] + "/en/about?q=" + "x" * 2100)
    assert status == 414
    for name, value in SECURITY_HEADERS.items():
        assert headers[name] == value, name
    assert raw(proxy["http"] + "/en/about?q=" + "x" * 1900)[0] == 200


def test_switch_cookie_is_secure_only_behind_https(proxy):
    _, plain, _ = raw(proxy["http"] + f"/about?lang={A}")
    _, secure, _ = raw(proxy["https"] + f"/about?lang={A}")
    assert plain["Set-Cookie"].startswith(f"lang={A};") and "secure" not in plain["Set-Cookie"].lower()
    assert secure["Set-Cookie"].startswith(f"lang={A};") and "secure" in secure["Set-Cookie"].lower()
    assert secure["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains"
    assert "Strict-Transport-Security" not in plain
    # absolute URLs follow the visitor's scheme and host, not the upstream's
    _, _, body = raw(proxy["https"] + f"/{A}/about")
    assert f'<link rel="canonical" href="{proxy["https"]}/{A}/about">' in body


def test_hashed_static_files_served_by_nginx_immutable(proxy):
    _, _, body = raw(proxy["http"] + "/en/")
    hashed = re.search(r'href="(/static/css/site\.[0-9a-f]{20}\.css)"', body)[1]
    status, headers, _ = raw(proxy["http"] + hashed)
    assert status == 200 and headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert headers["Content-Type"].startswith("text/css")
    for name, value in SECURITY_HEADERS.items():
        assert headers[name] == value, name
    # a wrong hash, a plain name, a ?v=: the site answers, and never immutable
    for url in ("/static/css/site.0123456789abcdef0123.css", "/static/css/site.css",
                "/static/css/site.css?v=bogus"):
        status, headers, _ = raw(proxy["http"] + url)
        assert status == 200 and headers["Cache-Control"] == "no-cache", url
    for _, log in proxy["workers"]:
        log.seek(0)
        assert hashed not in log.read()  # nginx answered, not the site


def test_websocket_upgrade_headers_reach_the_site(proxy):
    """The translator's live view (/translate/<tag>/live, issue 12) is a WebSocket."""
    import socket

    with socket.create_connection(("127.0.0.1", proxy["port"]), timeout=5) as client:
        client.sendall(b"GET /translate/fr/live HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                       b"Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                       b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
        answer = client.recv(65536)
    # Not signed in: the site's own refusal, reached through the upgrade location.
    assert answer.startswith(b"HTTP/1.1 401")


def test_translator_mode_and_its_websocket_through_the_proxy(proxy):
    """Issue 12 behind nginx: marked pages bypass the cache, the live socket is proxied."""
    import asyncio
    import json

    import tornado.httpclient
    import tornado.websocket

    from workspace_helpers import Client, admin

    assert admin(proxy["data_dir"], "user", "add", "carla", "--languages", A, "--password-stdin").returncode == 0

    class Through:
        def url(self, path):
            return proxy["http"] + path

    translator = Client(Through())
    assert translator.login("carla").status == 303
    assert translator.form("/translate/mode", {"on": "1", "tag": A, "next": f"/{A}/about"}).status == 303
    path = f"/{A}/about"
    visitor_first = raw(proxy["http"] + path)[2]
    marked = translator.request("GET", path)
    assert marked.status == 200 and marked.headers["Cache-Control"] == "private, no-store"
    assert "data-tid" in marked.text
    assert "data-tid" not in raw(proxy["http"] + path)[2] == visitor_first
    assert cache_statuses(proxy, path, 3).count("BYPASS") == 1

    entry = next(e for e in translator.get_json(f"/translate/{A}/entries?state=all").json()["entries"]
                 if len(e["source"]) == 1 and e["translation"][0] and "%" not in e["source"][0]
                 and "<" not in e["source"][0] and "\n" not in e["source"][0])
    session = f"session={translator.cookie('session')}"
    origin = proxy["http"]

    def connect(cookie, sent_origin):
        headers = {"Origin": sent_origin}
        if cookie:
            headers["Cookie"] = cookie
        url = f"ws://127.0.0.1:{proxy['port']}/translate/{A}/live"
        headers["Host"] = f"localhost:{proxy['port']}"
        return tornado.websocket.websocket_connect(tornado.httpclient.HTTPRequest(url, headers=headers))

    async def scenario():
        refused = []
        for cookie, sent_origin in ((None, origin), (session, "https://evil.example")):
            try:
                (await connect(cookie, sent_origin)).close()
                refused.append(101)
            except tornado.httpclient.HTTPClientError as error:
                refused.append(error.code)
        connection = await connect(session, origin)
        await asyncio.sleep(0.5)
        new = [entry["translation"][0] + " ·"]
        saved = await asyncio.to_thread(translator.put_json, f"/translate/{A}/entries/{entry['id']}",
                                        {"translation": new, "fuzzy": False, "revision": entry["revision"]})
        assert saved.status == 200, saved.text
        message = json.loads(await asyncio.wait_for(connection.read_message(), timeout=5))
        connection.close()
        return refused, message, new

    refused, message, new = asyncio.run(scenario())
    assert refused == [401, 403]
    assert message == {"id": entry["id"], "translation": new, "fuzzy": False}


def test_killing_one_worker_loses_no_request(proxy):
    process, _ = proxy["workers"][0]
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    statuses = [raw(proxy["http"] + f"/languages?page={n % 5 + 1}")[0] for n in range(40)]
    assert statuses == [302] * 40
    statuses = [raw(proxy["http"] + f"/en/languages?page={n % 5 + 1}&n={n}")[0] for n in range(40)]
    assert statuses == [200] * 40
