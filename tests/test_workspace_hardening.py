"""The workspace under attack, through the real server: each finding of issue 21's probe, replayed.

Throttling raced from two processes, a forged upload base, nested JSON,
sessions without end, and (below) XSRF, origins and request bodies.
"""

from __future__ import annotations

import concurrent.futures
import json
import re

import polib
import pytest

from website.workspace.accounts import Accounts, MAX_FAILURES_PER_ACCOUNT, MAX_SESSIONS_PER_ACCOUNT
from website.workspace.db import FILENAME, Database
from website.workspace.po_store import entry_id

from workspace_helpers import Client, Site, admin, copy_project, singular_entries


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("workspace-hardening")
    copy_project(root)
    data = root / "var"
    for name in ("maria", "pierre", "many"):
        assert admin(data, "user", "add", name, "--languages", "ru,fr", "--password-stdin").returncode == 0
    running = Site(root, data)
    yield running
    running.stop()


def signed_in(site, name="maria") -> Client:
    client = Client(site)
    assert client.login(name).status == 303
    return client


def audit(data_dir) -> list[dict]:
    return Accounts(Database(data_dir / FILENAME)).audit_log(limit=10_000)


# -- throttling -------------------------------------------------------------------------------

def test_thirty_simultaneous_sign_ins_on_two_processes_check_five_passwords(tmp_path):
    copy_project(tmp_path)
    data = tmp_path / "var"
    assert admin(data, "user", "add", "target", "--languages", "fr", "--password-stdin").returncode == 0
    site = Site(tmp_path, data, "--processes=2")
    try:
        clients = [Client(site) for _ in range(30)]
        for client in clients:
            client.xsrf()  # the form's token first, so that the 30 posts start together
        with concurrent.futures.ThreadPoolExecutor(30) as pool:
            statuses = list(pool.map(lambda c: c.login("target", "wrong password").status, clients))
    finally:
        site.stop()
    log = [row for row in audit(data) if row["account"] == "target"]
    checked = sum(row["action"] == "sign-in failed" for row in log)
    throttled = sum(row["action"] == "sign-in throttled" for row in log)
    assert checked == MAX_FAILURES_PER_ACCOUNT and throttled == 30 - checked
    assert sorted(statuses) == [401] * checked + [429] * throttled


# -- uploads ----------------------------------------------------------------------------------

def _stamped(client, tag, base=None, change=None):
    catalog = polib.pofile(client.request("GET", f"/translate/{tag}/download").text)
    if base is not None:
        catalog.metadata["X-Workspace-Base"] = base
    for item in catalog:
        if change and entry_id(item.msgctxt, item.msgid) == change[0]:
            item.msgstr = change[1]
    return str(catalog).encode("utf-8")


@pytest.mark.parametrize("base", ["999999", "12345678901234", "-1", "abc", "1e3"])
def test_a_forged_upload_base_is_refused_and_newer_work_stays(site, base):
    client = signed_in(site)
    entry = singular_entries(client, "ru")[3]
    put = client.put_json(f"/translate/ru/entries/{entry['id']}",
                          {"translation": ["Новее на сайте"], "fuzzy": False, "revision": entry["revision"]})
    assert put.status == 200, put.text
    before = site.po("ru").read_bytes()
    response = client.upload("/translate/ru/upload", "ru.po",
                             _stamped(client, "ru", base=base, change=(entry["id"], "Старый файл")))
    assert response.status == 422, response.text
    assert "X-Workspace-Base" in response.json()["error"]
    assert site.po("ru").read_bytes() == before


def test_an_issued_base_still_merges(site):
    client = signed_in(site)
    entry = singular_entries(client, "ru")[4]
    response = client.upload("/translate/ru/upload", "ru.po", _stamped(client, "ru", change=(entry["id"], "Из файла")))
    assert response.status == 200, response.text
    assert [e["id"] for e in response.json()["applied"]] == [entry["id"]]


# -- JSON bodies ------------------------------------------------------------------------------

@pytest.mark.parametrize("raw", [b"[" * 100_000 + b"]" * 100_000, b'{"a":' * 5000 + b"1" + b"}" * 5000,
                                 b'{"translation": [[[[[[[[["x"]]]]]]]]], "revision": "r"}', b"\xff\xfe",
                                 b'{"translation": ["x"], "revision": "r"'])
def test_a_nested_or_broken_json_body_is_400(site, raw):
    client = signed_in(site)
    entry = singular_entries(client, "ru")[5]
    response = client.put_json(f"/translate/ru/entries/{entry['id']}", None, raw=raw[:60_000])
    assert response.status == 400, response.text
    assert "error" in response.json()


# -- sessions ---------------------------------------------------------------------------------

def test_at_most_twenty_live_sessions_per_account_the_oldest_ends(site):
    clients = [signed_in(site, "many") for _ in range(MAX_SESSIONS_PER_ACCOUNT + 1)]
    assert clients[0].get_json("/translate/ru/entries").status == 401
    assert all(c.get_json("/translate/ru/entries").status == 200 for c in clients[1:])
    Client(site).login("many")
    assert clients[1].get_json("/translate/ru/entries").status == 401
    assert clients[2].get_json("/translate/ru/entries").status == 200


# -- XSRF and origins -------------------------------------------------------------------------

def _put(client, entry, headers=None, path_suffix="", text="Через токен"):
    body = json.dumps({"translation": [text], "fuzzy": False, "revision": entry["revision"]}).encode()
    return client.request("PUT", f"/translate/ru/entries/{entry['id']}{path_suffix}", body,
                          {"Content-Type": "application/json", **(headers or {})})


def test_another_sessions_xsrf_pair_is_refused(site):
    mine, theirs = signed_in(site, "maria"), signed_in(site, "pierre")
    entry = singular_entries(mine, "ru")[6]
    stolen = theirs.xsrf()
    assert stolen != mine.xsrf()
    response = _put(mine, entry, {"X-XSRFToken": stolen, "Cookie": f"session={mine.cookie('session')}; "
                                                                    f"_xsrf={theirs.cookie('_xsrf') or ''}"})
    assert response.status == 403, response.text
    # and a token from before signing in (the double-submit cookie's) is no session's either
    before = Client(site)
    anonymous = before.xsrf()
    assert before.login("maria").status == 303
    assert _put(before, entry, {"X-XSRFToken": anonymous}).status == 403
    assert _put(before, entry, {"X-XSRFToken": before.xsrf()}).status == 200


def test_the_token_is_never_taken_from_the_query_string(site):
    client = signed_in(site)
    entry = singular_entries(client, "ru")[7]
    assert _put(client, entry, path_suffix=f"?_xsrf={client.xsrf()}").status == 403
    form = client.request("POST", f"/account/logout?_xsrf={client.xsrf()}", b"",
                          {"Content-Type": "application/x-www-form-urlencoded"})
    assert form.status == 403


@pytest.mark.parametrize(("headers", "status"), [
    ({"Origin": "http://evil.example"}, 403),
    ({"Origin": "null"}, 403),
    ({"Referer": "http://evil.example/translate/ru"}, 403),
    ({"Origin": "http://127.0.0.1:1"}, 403),  # another port is another origin
    ({"Origin": "SITE"}, 200),
    ({"Referer": "SITE/translate/ru"}, 200),
])
def test_every_write_checks_its_origin(site, headers, status):
    client = signed_in(site)
    entry = singular_entries(client, "ru")[8]
    origin = f"http://127.0.0.1:{site.port}"
    headers = {name: value.replace("SITE", origin) for name, value in headers.items()}
    response = _put(client, entry, {"X-XSRFToken": client.xsrf(), **headers}, text=f"Откуда {status}")
    assert response.status == status, response.text
    # a form too (sign-out)
    if status == 403:
        body = f"_xsrf={client.xsrf()}".encode()
        assert client.request("POST", "/account/logout", body, {
            "Content-Type": "application/x-www-form-urlencoded", **headers}).status == 403


def test_the_xsrf_cookie_is_same_site_strict_and_secure_over_https(tmp_path):
    copy_project(tmp_path)
    proxied = Site(tmp_path, tmp_path / "var", "--xheaders")
    try:
        for proto, secure in (("http", False), ("https", True)):
            page = Client(proxied).request("GET", "/account/login", headers={"X-Forwarded-Proto": proto})
            cookie = next(h for h in page.headers.get_all("Set-Cookie") if h.startswith("_xsrf="))
            assert "SameSite=Strict" in cookie and "HttpOnly" in cookie and "Path=/" in cookie
            assert ("Secure" in cookie) == secure
    finally:
        proxied.stop()


# -- request bodies ---------------------------------------------------------------------------

def _rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as fp:
        return int(re.search(r"^VmRSS:\s+(\d+) kB", fp.read(), re.M)[1])


def test_six_concurrent_15_mb_bodies_grow_the_worker_by_less_than_50_mb(site):
    import http.client

    client = signed_in(site)
    entry = singular_entries(client, "ru")[9]
    token = client.xsrf()
    cookie = f"session={client.cookie('session')}"
    body = b'{"translation": ["' + b"x" * (15 * 1000 * 1000) + b'"]}'
    path = f"/translate/ru/entries/{entry['id']}"
    before = _rss_kib(site.process.pid)
    peak = [before]

    def send(kind):
        connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=60)
        headers = {"Content-Type": "application/json", "X-XSRFToken": token, "Cookie": cookie}
        try:
            if kind == "chunked":
                chunks = (body[i:i + (1 << 20)] for i in range(0, len(body), 1 << 20))
                connection.request("PUT", path, chunks, headers, encode_chunked=True)
            else:
                connection.request("PUT", path, body, headers)
            response = connection.getresponse()
            return response.status, response.read()
        except (ConnectionError, http.client.HTTPException):
            return "closed", b""  # the chunked body cut off at the limit
        finally:
            connection.close()

    with concurrent.futures.ThreadPoolExecutor(7) as pool:
        futures = [pool.submit(send, kind) for kind in ["length"] * 6 + ["chunked"]]
        while not all(f.done() for f in futures):
            peak.append(_rss_kib(site.process.pid))
        results = [f.result() for f in futures]
    assert [status for status, _ in results[:6]] == [413] * 6
    # the limit as people read it (64 kB), not in raw bytes
    assert all(b"larger than 64 kB" in answer for _, answer in results[:6])
    assert results[6][0] in (400, "closed")
    assert max(peak) - before < 50 * 1024, (before, max(peak))
    assert client.get_json("/translate/ru/entries").status == 200  # and the worker still answers
