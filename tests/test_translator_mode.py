"""Translator mode over HTTP and WebSocket, against the real server (issue 12).

Two sites on temporary copies of the project: one with the feature
(``--processes=2 --port_per_process``: two workers on two ports) and one
built without it (``--in_context_editing=false`` and a ``base.html`` without
its translator-mode line), to show that visitors get the same bytes.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import urllib.request

import pytest
import tornado.httpclient
import tornado.websocket

from harness import free_port, poll_until
from workspace_helpers import Client, Site, admin, copy_project, find, plural_entry

CLOCK_RE = re.compile(rb"\d{1,2}:\d{2}:\d{2}")
MARKER_RE = re.compile("[\ufff9\ufffa\ufffb\u2061-\u2064]")
TRANSLATOR_LINE = '{% raw page_panel() %}'  # base.html's one line for the page hook's panel
VISITOR_PAGES = [
    "/en/", "/ru/", "/ar/", "/fr/languages", "/ru/languages", "/ru/languages?page=2",
    "/pt-BR/languages/ru", "/ar/about", "/ru/translations", "/de/languages/fr", "/ja/about",
]


class Worker:
    """The second worker of a ``--port_per_process`` site: same files, next port."""

    def __init__(self, site: Site, port: int):
        self.root, self.data_dir, self.port = site.root, site.data_dir, port
        self.po = site.po

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def wait_for(url: str) -> None:
    poll_until(lambda: urllib.request.urlopen(url, timeout=2).read() is not None, 30, interval=0.1,
               ignore=(OSError,), message=f"{url} did not answer")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("translator-mode")
    copy_project(root)
    for name, languages in (("anna", "ru"), ("boris", "ru,fr")):
        assert admin(root / "var", "user", "add", name, "--languages", languages, "--password-stdin").returncode == 0
    running = Site(root, root / "var", "--processes=2", "--port_per_process", port=free_port(2))
    wait_for(f"http://127.0.0.1:{running.port + 1}/account/login")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def site_without(tmp_path_factory):
    """The same site built without the feature: no option, no line in base.html."""
    root = tmp_path_factory.mktemp("translator-mode-off")
    copy_project(root)
    base = root / "templates" / "base.html"
    text = base.read_text(encoding="utf-8")
    assert TRANSLATOR_LINE in text
    base.write_text(text.replace(TRANSLATOR_LINE, ""), encoding="utf-8")
    (root / "templates" / "_translator.html").unlink()
    running = Site(root, root / "var", "--in_context_editing=false")
    yield running
    running.stop()


def signed_in(site, name: str) -> Client:
    client = Client(site)
    assert client.login(name).status == 303
    return client


def mode(client: Client, on: str, tag: str = "ru", next_url: str = "/ru/languages"):
    return client.form("/translate/mode", {"on": on, "tag": tag, "next": next_url})


def test_visitor_pages_are_byte_identical_with_and_without_the_feature(site, site_without):
    with_feature, without = Client(site), Client(site_without)
    for path in VISITOR_PAGES:
        a, b = with_feature.request("GET", path), without.request("GET", path)
        assert a.status == b.status == 200, path
        # Absolute links name each server's own port; nothing else may differ.
        expected = b.body.replace(f"127.0.0.1:{site_without.port}".encode(), f"127.0.0.1:{site.port}".encode())
        # A language page shows the time it was rendered (to the second): the
        # two servers rendered it at two moments.
        assert CLOCK_RE.sub(b"hh:mm:ss", a.body) == CLOCK_RE.sub(b"hh:mm:ss", expected), path
        assert a.headers["Cache-Control"] == b.headers["Cache-Control"], path
        assert a.headers.get("Set-Cookie") is None and "translator" not in a.text, path
        assert not MARKER_RE.search(a.text), path


def test_a_mode_cookie_without_a_session_changes_nothing(site):
    translator = signed_in(site, "anna")
    assert mode(translator, "1").status == 303
    cookie = translator.cookie("translator")
    assert cookie
    visitor = Client(site)
    plain = visitor.request("GET", "/ru/languages").body
    forged = visitor.request("GET", "/ru/languages", headers={"Cookie": f"translator={cookie}"})
    assert forged.body == plain and "public" in forged.headers["Cache-Control"]


def test_signed_in_pages_are_private_and_show_the_switch(site):
    translator = signed_in(site, "anna")
    mode(translator, "0")
    page = translator.request("GET", "/ru/languages")
    assert page.status == 200
    assert page.headers["Cache-Control"] == "private, no-store"
    assert 'action="/translate/mode"' in page.text and 'name="on" value="1"' in page.text
    assert "data-tid" not in page.text and "js/translator." not in page.text
    # A page in a language anna may not edit: the switch says nothing about it.
    french = translator.request("GET", "/fr/languages")
    assert french.headers["Cache-Control"] == "private, no-store" and 'name="on" value="1"' not in french.text


def test_mode_marks_every_string_and_strips_every_marker(site):
    translator = signed_in(site, "anna")
    assert mode(translator, "1").status == 303
    page = translator.request("GET", "/ru/languages")
    html = page.text
    assert page.headers["Cache-Control"] == "private, no-store"
    assert not MARKER_RE.search(html)
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "data-tid" not in title and "<" not in title
    data = json.loads(re.search(r'<script type="application/json" id="translator-data">(.*?)</script>',
                                html, re.S).group(1))
    count = find(translator, "ru", data["strings"][0]["id"])  # ids are the workspace's
    assert count["id"] == data["strings"][0]["id"]
    wheres = {item["where"] for item in data["panel"]}
    assert {"title", "aria-label"} <= wheres
    nav_label = next(i for i in data["panel"] if i["where"] == "aria-label")
    assert f'aria-label="{nav_label["text"]}"' in html
    assert f'aria-label={nav_label["id"]}' in html  # data-tid-attr on that element
    # The pluralized result count: its form and its number, for live updates.
    entry = plural_entry(translator, "ru")
    rows = [r for r in data["strings"] if r["form"] is not None]
    assert rows and all(set(r["args"] or {}) <= {"count"} for r in rows)
    assert '<span data-tid="' in html and "/static/js/translator." in html
    # Escaping is intact: the search box's text comes back escaped, markers or not.
    search = translator.request("GET", "/ru/languages?q=%3Cb%3Ex")
    assert "<b>x" not in search.text and not MARKER_RE.search(search.text)
    assert entry["forms"]


def test_mode_only_for_a_language_the_account_may_edit(site):
    translator = signed_in(site, "anna")
    assert mode(translator, "1", tag="fr").status == 403
    assert mode(translator, "1", tag="xx-nowhere").status == 404
    assert mode(translator, "2").status == 400
    anonymous = Client(site)
    assert mode(anonymous, "1").status == 401
    # The form needs its XSRF token like every write.
    assert translator.form("/translate/mode", {"on": "1", "tag": "ru"}, xsrf=False).status == 403
    # Mode on for Russian marks Russian pages only.
    assert mode(translator, "1").status == 303
    assert "data-tid" not in translator.request("GET", "/en/languages").text
    assert mode(translator, "0").status == 303
    assert "data-tid" not in translator.request("GET", "/ru/languages").text


def _connect(site, path: str, cookie: str | None = None, origin: str | None = None):
    headers = {}
    if cookie:
        headers["Cookie"] = cookie
    if origin:
        headers["Origin"] = origin
    request = tornado.httpclient.HTTPRequest(f"ws://127.0.0.1:{site.port}{path}", headers=headers)
    return tornado.websocket.websocket_connect(request)


def _status(site, path, cookie=None, origin=None) -> int:
    async def attempt():
        try:
            connection = await _connect(site, path, cookie, origin)
        except tornado.httpclient.HTTPClientError as error:
            return error.code
        connection.close()
        return 101
    return asyncio.run(attempt())


def test_websocket_needs_a_session_the_right_origin_and_the_right_language(site):
    translator = signed_in(site, "anna")
    session = f"session={translator.cookie('session')}"
    own = f"http://127.0.0.1:{site.port}"
    assert _status(site, "/translate/ru/live") == 401
    assert _status(site, "/translate/ru/live", "session=forged") == 401
    assert _status(site, "/translate/ru/live", session, "https://evil.example") == 403
    assert _status(site, "/translate/fr/live", session, own) == 403
    assert _status(site, "/translate/ru/live", session, own) == 101


def test_a_save_in_one_worker_reaches_a_socket_on_the_other(site):
    anna = signed_in(site, "anna")
    other = Worker(site, site.port + 1)
    boris = signed_in(other, "boris")
    session = f"session={anna.cookie('session')}"
    entry = plural_entry(boris, "ru")
    new = [f"{t} ·" if t else t for t in entry["translation"]]

    async def scenario():
        connection = await _connect(site, "/translate/ru/live", session, f"http://127.0.0.1:{site.port}")
        await asyncio.sleep(0.5)  # the feed has started polling
        started = time.monotonic()
        saved = await asyncio.to_thread(boris.put_json, f"/translate/ru/entries/{entry['id']}",
                                        {"translation": new, "fuzzy": False, "revision": entry["revision"]})
        assert saved.status == 200, saved.text
        message = await asyncio.wait_for(connection.read_message(), timeout=5)
        elapsed = time.monotonic() - started
        connection.close()
        return json.loads(message), elapsed

    message, elapsed = asyncio.run(scenario())
    assert message == {"id": entry["id"], "translation": new, "fuzzy": False}
    assert elapsed < 1.0 + 1.0  # the save itself (with its recompile) plus at most a second


def test_a_visitor_after_a_translator_gets_the_plain_page(site):
    translator = signed_in(site, "anna")
    assert mode(translator, "1").status == 303
    for path in ("/ru/languages", "/ru/about"):
        assert "data-tid" in translator.request("GET", path).text
        visitor = Client(site).request("GET", path)
        assert "data-tid" not in visitor.text and not MARKER_RE.search(visitor.text)
        assert "translator" not in visitor.text and visitor.headers["Cache-Control"].startswith("public")


def test_a_translation_holding_a_marker_character_is_refused(site):
    translator = signed_in(site, "anna")
    entry = next(e for e in entries_of(translator) if len(e["source"]) == 1 and "%" not in e["source"][0])
    for character in "\ufff9\ufffa\ufffb":
        answer = translator.put_json(f"/translate/ru/entries/{entry['id']}",
                                     {"translation": [f"x{character}y"], "fuzzy": False,
                                      "revision": entry["revision"]})
        assert answer.status == 422, answer.text
        assert "marker-characters" in {p["check"] for p in answer.json()["problems"]}
    assert find(translator, "ru", entry["id"])["translation"] == entry["translation"]


def entries_of(client):
    from workspace_helpers import entries

    return entries(client, "ru")


def test_signing_out_closes_the_live_socket(site):
    translator = signed_in(site, "anna")
    session = f"session={translator.cookie('session')}"

    async def scenario():
        connection = await _connect(site, "/translate/ru/live", session, f"http://127.0.0.1:{site.port}")
        await asyncio.to_thread(translator.form, "/account/logout", {})
        started = time.monotonic()
        message = await asyncio.wait_for(connection.read_message(), timeout=15)
        return message, time.monotonic() - started, connection.close_code

    message, elapsed, code = asyncio.run(scenario())
    assert message is None and code == 4001  # closed by the server, not by a timeout
    assert elapsed < 10


def test_the_workspace_has_the_switch_leading_to_the_site(site):
    translator = signed_in(site, "anna")
    mode(translator, "0")
    editor = translator.request("GET", "/translate/ru")
    assert editor.status == 200 and 'action="/translate/mode"' in editor.text
    assert 'name="next" value="/ru/"' in editor.text and 'name="tag" value="ru"' in editor.text
    assert translator.form("/translate/mode", {"on": "1", "tag": "ru", "next": "/ru/"}).headers["Location"] == "/ru/"
    assert "data-tid" in translator.request("GET", "/ru/").text


def test_a_translators_error_page_is_marked_and_private(site):
    translator = signed_in(site, "anna")
    assert mode(translator, "1").status == 303
    missing = translator.request("GET", "/ru/languages/zzzz")
    assert missing.status == 404 and missing.headers["Cache-Control"] == "private, no-store"
    assert "data-tid" in missing.text and not MARKER_RE.search(missing.text)


def test_a_session_cookie_that_names_no_session_gets_the_visitor_page(site):
    visitor = Client(site)
    plain = visitor.request("GET", "/ru/about")
    stale = visitor.request("GET", "/ru/about", headers={"Cookie": "session=ended-or-forged"})
    assert stale.status == 200 and stale.body == plain.body
    assert stale.headers["Cache-Control"] == plain.headers["Cache-Control"] and "public" in plain.headers["Cache-Control"]


def test_the_language_pages_counting_samples_are_marked_in_its_own_language(site):
    """Issue 19: the "N items" samples of /ru/languages/ru are the page's strings, editable in place.

    Each integer's sample is a form of the plural entry; 1.5 is the "fraction"
    entry's. The samples of another language's page (/ru/languages/ar, in
    Arabic) are not the Russian catalog's and stay unmarked.
    """
    from website.i18n.entry_ids import entry_id

    translator = signed_in(site, "anna")
    assert mode(translator, "1", next_url="/ru/languages/ru").status == 303
    html = translator.request("GET", "/ru/languages/ru").text
    table = html.split('class="counting"')[1].split("</table>")[0]
    cells = re.findall(r'<td lang="ru" dir="ltr">(.*?)</td>', table, re.S)
    marked = [re.fullmatch(r'<span data-tid="([^"]+)" data-tk="\d+">[^<]+</span>', cell) for cell in cells]
    assert cells and all(marked), cells
    ids = [m.group(1) for m in marked]
    assert ids[:-1] == [entry_id(None, "%(count)s item")] * (len(ids) - 1)
    assert ids[-1] == entry_id("fraction", "%(count)s items")  # 1.5, the last sample
    other = translator.request("GET", "/ru/languages/ar").text
    samples = re.findall(r'<td lang="ar" dir="rtl">(.*?)</td>', other.split('class="counting"')[1].split("</table>")[0])
    assert samples and not any("data-tid" in sample for sample in samples)
