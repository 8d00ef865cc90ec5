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
