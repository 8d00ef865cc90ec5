"""The workspace's HTTP interface against the real server: sign-in, the JSON API, uploads.

Every test here runs on a temporary copy of the project (``--root``), never
on the checkout's catalogs.
"""

from __future__ import annotations

import re
import time

import polib
import pytest

from website.workspace import upload as upload_module
from website.workspace.po_store import entry_id

from workspace_helpers import PASSWORD, Client, Site, admin, copy_project, entries, find, plural_entry, \
    singular_entries


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("workspace-api")
    copy_project(root)
    data = root / "var"
    for arguments in (["maria", "--languages", "ru"], ["pierre", "--languages", "fr"], ["boss", "--admin"],
                      ["olga", "--languages", "ru"], ["ivan", "--languages", "ru"]):
        result = admin(data, "user", "add", *arguments, "--password-stdin")
        assert result.returncode == 0, result.stderr
    running = Site(root, data)
    yield running
    running.stop()


def signed_in(site, name="maria") -> Client:
    client = Client(site)
    response = client.login(name)
    assert response.status == 303, response.text
    return client


def put(client, tag, entry, translation, fuzzy=False, revision=None):
    return client.put_json(f"/translate/{tag}/entries/{entry['id']}",
                           {"translation": translation, "fuzzy": fuzzy,
                            "revision": entry["revision"] if revision is None else revision})


def po_entry(site, gettext_id, entry):
    """The entry as the file on disk has it."""
    return next(e for e in polib.pofile(str(site.po(gettext_id))) if entry_id(e.msgctxt, e.msgid) == entry["id"])


# -- signing in --------------------------------------------------------------------------

def test_sign_in_redirects_to_a_same_site_next_with_a_safe_cookie(site):
    client = Client(site)
    page = client.request("GET", "/account/login?next=/translate/ru")
    assert page.status == 200
    assert 'name="_xsrf"' in page.text and 'name="username"' in page.text and 'name="password"' in page.text
    assert page.headers["Cache-Control"] == "private, no-store"
    response = client.login("maria", next_url="/translate/ru")
    assert response.status == 303
    assert response.headers["Location"] == "/translate/ru"
    cookie = next(h for h in response.headers.get_all("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain http here; https gets Secure
    assert client.request("GET", "/translate/ru").status == 200


def test_behind_https_the_session_cookie_is_secure(tmp_path):
    copy_project(tmp_path)
    assert admin(tmp_path / "var", "user", "add", "maria", "--languages", "ru", "--password-stdin").returncode == 0
    proxied = Site(tmp_path, tmp_path / "var", "--xheaders")
    try:
        client = Client(proxied)
        https = {"X-Forwarded-Proto": "https", "X-Real-IP": "203.0.113.9"}
        page = client.request("GET", "/account/login", headers=https)
        token = re.search(r'name="_xsrf" value="([^"]+)"', page.text)[1]
        body = f"_xsrf={token}&username=maria&password={PASSWORD.replace(' ', '+')}".encode()
        response = client.request("POST", "/account/login", body,
                                  {**https, "Content-Type": "application/x-www-form-urlencoded",
                                   "Cookie": f"_xsrf={client.cookie('_xsrf')}"})
        assert response.status == 303
        cookie = next(h for h in response.headers.get_all("Set-Cookie") if h.startswith("session="))
        assert "Secure" in cookie and "HttpOnly" in cookie
    finally:
        proxied.stop()
    from website.workspace.accounts import Accounts
    from website.workspace.db import FILENAME, Database
    signed_in_row = next(row for row in Accounts(Database(tmp_path / "var" / FILENAME)).audit_log()
                         if row["action"] == "signed in")
    assert signed_in_row["address"] == "203.0.113.9"  # the visitor's, from the proxy


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"])
def test_next_must_stay_on_the_site(site, next_url):
    response = Client(site).login("maria", next_url=next_url)
    assert response.status == 303
    assert response.headers["Location"] == "/translate"


def test_wrong_password_and_unknown_account_get_the_same_answer(site):
    wrong = Client(site).login("maria", "not the password")
    unknown = Client(site).login("no-such-person", "not the password")
    assert wrong.status == unknown.status == 401
    message = re.search(r'role="alert"[^>]*>([^<]+)<', wrong.text)[1]
    assert message == re.search(r'role="alert"[^>]*>([^<]+)<', unknown.text)[1]
    assert "session" not in (Client(site).cookie("session") or "")


def test_sign_in_without_the_token_is_refused(site):
    client = Client(site)
    response = client.form("/account/login", {"username": "maria", "password": PASSWORD}, xsrf=False)
    assert response.status == 403
    assert client.cookie("session") is None


def test_pages_send_people_to_sign_in_and_the_api_answers_401(site):
    client = Client(site)
    page = client.request("GET", "/translate/ru")
    assert page.status == 303
    assert page.headers["Location"].startswith("/account/login?next=%2Ftranslate%2Fru")
    api = client.get_json("/translate/ru/entries")
    assert api.status == 401
    assert api.json() == {"error": "not signed in"}
    assert api.headers["Cache-Control"] == "private, no-store"
    entry_id = "lC-8PxWskqA78qQztGFJ0Q"
    assert client.put_json(f"/translate/ru/entries/{entry_id}", {"translation": ["x"], "revision": ""}).status == 401


def test_logout_ends_the_session_on_the_server(site):
    client = signed_in(site)
    token = client.cookie("session")
    assert client.form("/account/logout", {}).status == 303
    assert client.cookie("session") is None
    thief = Client(site)
    thief.jar.set_cookie(_cookie("session", token))
    assert thief.get_json("/translate/ru/entries").status == 401


def test_a_disabled_account_is_signed_out_everywhere(site):
    client = signed_in(site, "olga")
    assert client.get_json("/translate/ru/entries").status == 200
    assert admin(site.data_dir, "user", "disable", "olga", password=None).returncode == 0
    assert client.get_json("/translate/ru/entries").status == 401
    assert Client(site).login("olga").status == 401


def test_a_password_change_signs_the_account_out(site):
    client = signed_in(site, "ivan")
    assert admin(site.data_dir, "user", "passwd", "ivan", "--password-stdin",
                 password="another long password").returncode == 0
    assert client.get_json("/translate/ru/entries").status == 401
    assert Client(site).login("ivan", "another long password").status == 303


def test_six_wrong_passwords(tmp_path):
    copy_project(tmp_path)
    assert admin(tmp_path / "var", "user", "add", "maria", "--languages", "ru", "--password-stdin").returncode == 0
    own = Site(tmp_path, tmp_path / "var")
    try:
        client = Client(own)
        statuses = [client.login("maria", f"wrong password {n}").status for n in range(5)]
        assert statuses == [401] * 5
        sixth = client.login("maria", PASSWORD)  # even the right one, now
        assert sixth.status == 429
        assert sixth.headers["Retry-After"]
        assert client.cookie("session") is None
        unknown = [client.login("ghost", f"wrong {n}").status for n in range(6)]
        assert unknown == [401] * 5 + [429]  # the same whether or not the account exists
    finally:
        own.stop()
    from website.workspace.accounts import Accounts
    from website.workspace.db import FILENAME, Database
    log = Accounts(Database(tmp_path / "var" / FILENAME)).audit_log(limit=50)
    assert sum(row["action"] == "sign-in failed" for row in log) == 10
    assert sum(row["action"] == "sign-in throttled" for row in log) == 2
    assert all(row["address"] == "127.0.0.1" and row["time"] > 0 for row in log if "sign-in" in row["action"])


# -- permissions and tokens ----------------------------------------------------------------

def test_another_language_is_forbidden_everywhere(site):
    client = signed_in(site, "pierre")
    entry_id = entries(client, "fr")[0]["id"]
    assert client.request("GET", "/translate/ru").status == 403
    for path in ("/translate/ru/entries", f"/translate/ru/entries/{entry_id}",
                 f"/translate/ru/entries/{entry_id}/history", "/translate/ru/download"):
        assert client.get_json(path).status == 403, path
    before = site.po("ru").read_bytes()
    response = client.put_json(f"/translate/ru/entries/{entry_id}", {"translation": ["x"], "revision": "x"})
    assert response.status == 403
    assert "pierre may not edit ru" in response.json()["error"]
    assert client.upload("/translate/ru/upload", "ru.po", site.po("ru").read_bytes()).status == 403
    assert site.po("ru").read_bytes() == before


def test_an_admin_may_edit_every_language(site):
    client = signed_in(site, "boss")
    assert client.get_json("/translate/fr/entries").status == 200
    assert client.get_json("/translate/ru/entries").status == 200


def test_writes_without_the_xsrf_token_are_refused(site):
    client = signed_in(site)
    entry = singular_entries(client, "ru")[0]
    before = site.po("ru").read_bytes()
    response = client.put_json(f"/translate/ru/entries/{entry['id']}",
                               {"translation": ["Новый"], "fuzzy": False, "revision": entry["revision"]}, xsrf=False)
    assert response.status == 403
    assert "XSRF" in response.json()["error"] or "_xsrf" in response.json()["error"]
    assert client.upload("/translate/ru/upload", "ru.po", before, xsrf=False).status == 403
    assert client.form("/account/logout", {}, xsrf=False).status == 403
    assert site.po("ru").read_bytes() == before


# -- reading -------------------------------------------------------------------------------

def test_entries_carry_everything_the_editor_needs(site):
    client = signed_in(site)
    response = client.get_json("/translate/ru/entries")
    assert response.headers["Cache-Control"] == "private, no-store"
    data = response.json()
    assert data["progress"]["total"] == len(data["entries"]) > 50
    entry = plural_entry(client, "ru")
    assert set(entry) >= {"id", "context", "source", "translation", "forms", "fuzzy", "comments",
                          "references", "problems", "revision"}
    assert re.fullmatch(r"[A-Za-z0-9_-]{22}", entry["id"])
    assert [f["category"] for f in entry["forms"]] == ["one", "few", "many"]
    assert entry["forms"][1]["examples"][:3] == [2, 3, 4]
    assert len(entry["translation"]) == 3
    assert all(re.fullmatch(r"[^:]+:\d+", r) for r in entry["references"])
    assert client.get_json(f"/translate/ru/entries/{entry['id']}").json() == entry
    context = [e for e in data["entries"] if e["context"]]
    assert context and all(e["id"] != entry["id"] for e in context)


def test_filters_and_search(site):
    client = signed_in(site, "boss")
    everything = entries(client, "fr")
    target = everything[3]
    word = target["source"][0].split()[0]
    found = entries(client, "fr", q=word.upper())
    assert target["id"] in [e["id"] for e in found]
    assert all(word.casefold() in " ".join(e["source"] + e["translation"] + [e["context"] or ""]).casefold()
               for e in found)
    by_translation = entries(client, "fr", q=target["translation"][0][:8])
    assert target["id"] in [e["id"] for e in by_translation]
    put(client, "fr", target, [""] * len(target["translation"]))
    untranslated = entries(client, "fr", state="untranslated")
    assert target["id"] in [e["id"] for e in untranslated]
    assert all(not any(e["translation"]) for e in untranslated)
    assert target["id"] not in [e["id"] for e in entries(client, "fr", state="translated")]
    assert entries(client, "fr", q="zzzz-nothing-zzzz") == []


def test_the_listing_follows_the_file(site):
    client = signed_in(site, "boss")
    text = site.po("de").read_text(encoding="utf-8")
    entry = next(e for e in singular_entries(client, "de") if text.count(f'msgstr "{e["translation"][0]}"\n') == 1)
    site.po("de").write_text(text.replace(f'msgstr "{entry["translation"][0]}"\n', 'msgstr "Von Hand"\n'),
                             encoding="utf-8")
    assert find(client, "de", entry["id"])["translation"] == ["Von Hand"]


# -- saving ------------------------------------------------------------------------------------

def test_a_save_changes_only_that_entry_and_records_it(site):
    client = signed_in(site)
    entry = singular_entries(client, "ru")[1]
    before = site.po("ru").read_text(encoding="utf-8")
    response = put(client, "ru", entry, ["Перевод из редактора"])
    assert response.status == 200, response.text
    saved = response.json()
    assert saved["translation"] == ["Перевод из редактора"] and saved["saved"] and saved["compiled"]
    assert saved["revision"] != entry["revision"]
    assert po_entry(site, "ru", entry).msgstr == "Перевод из редактора"
    after = site.po("ru").read_text(encoding="utf-8")
    changed = [line for line in after.splitlines() if line not in before.splitlines()]
    assert all(line.startswith(('"PO-Revision-Date', "msgstr", '"')) for line in changed), changed
    assert len(changed) <= 3
    history = client.get_json(f"/translate/ru/entries/{entry['id']}/history").json()["history"]
    assert history[0]["account"] == "maria" and history[0]["origin"] == "editor"
    assert history[0]["before"]["translation"] == entry["translation"]
    assert history[0]["after"]["translation"] == ["Перевод из редактора"]
    # saving the same again, from the old revision: not a conflict with oneself
    again = put(client, "ru", entry, ["Перевод из редактора"])
    assert again.status == 200 and again.json()["saved"] is False


def test_saving_twice_in_a_row_never_conflicts_with_oneself(site):
    client = signed_in(site)
    entry = singular_entries(client, "ru")[2]
    first = put(client, "ru", entry, ["Первый вариант"])
    second = put(client, "ru", first.json(), ["Второй вариант"])
    assert (first.status, second.status) == (200, 200)
    assert po_entry(site, "ru", entry).msgstr == "Второй вариант"


def test_two_clients_on_one_entry_one_conflict_nothing_lost(site):
    first, second = signed_in(site), signed_in(site, "boss")
    entry = singular_entries(first, "ru")[3]
    a = put(first, "ru", entry, ["Версия Марии"])
    b = put(second, "ru", entry, ["Версия начальника"])
    assert a.status == 200
    assert b.status == 409
    assert b.json()["current"]["translation"] == ["Версия Марии"]
    assert po_entry(site, "ru", entry).msgstr == "Версия Марии"
    # the second one, having seen the other version, keeps theirs
    c = put(second, "ru", entry, ["Версия начальника"], revision=b.json()["current"]["revision"])
    assert c.status == 200
    history = second.get_json(f"/translate/ru/entries/{entry['id']}/history").json()["history"]
    assert [h["after"]["translation"][0] for h in history[:2]] == ["Версия начальника", "Версия Марии"]


def test_a_change_on_disk_is_another_writer(site):
    client = signed_in(site)
    entry = singular_entries(client, "ru")[4]
    put(client, "ru", entry, ["Из редактора"])
    stale = find(client, "ru", entry["id"])
    text = site.po("ru").read_text(encoding="utf-8")
    site.po("ru").write_text(text.replace('msgstr "Из редактора"', 'msgstr "Из файла"'), encoding="utf-8")
    response = put(client, "ru", stale, ["Снова из редактора"])
    assert response.status == 409
    assert response.json()["current"]["translation"] == ["Из файла"]
    assert po_entry(site, "ru", entry).msgstr == "Из файла"
    history = client.get_json(f"/translate/ru/entries/{entry['id']}/history").json()["history"]
    assert [(h["origin"], h["account"]) for h in history[:2]] == [("file", None), ("editor", "maria")]
    assert history[0]["after"]["translation"] == ["Из файла"]


def test_the_history_shows_a_change_made_in_the_file(site):
    client = signed_in(site)
    entry = singular_entries(client, "ru")[7]
    put(client, "ru", entry, ["Сначала в редакторе"])
    text = site.po("ru").read_text(encoding="utf-8")
    site.po("ru").write_text(text.replace('msgstr "Сначала в редакторе"', 'msgstr "Потом в файле"'), encoding="utf-8")
    path = f"/translate/ru/entries/{entry['id']}/history"
    history = client.get_json(path).json()["history"]
    assert [(h["origin"], h["after"]["translation"]) for h in history[:2]] == [
        ("file", ["Потом в файле"]), ("editor", ["Сначала в редакторе"])]
    assert client.get_json(path).json()["history"] == history  # noticed once, not at every look


def test_errors_block_the_save_with_the_reason_and_warnings_do_not(site):
    client = signed_in(site)
    entry = plural_entry(client, "ru")
    before = site.po("ru").read_bytes()
    lost = [entry["translation"][0], entry["translation"][1], "много предметов"]
    response = put(client, "ru", entry, lost)
    assert response.status == 422
    problems = response.json()["problems"]
    assert any(p["check"] == "python-format" and "msgstr[2] lacks %(count)s" in p["message"]
               and p["severity"] == "error" for p in problems)
    assert site.po("ru").read_bytes() == before
    # a warning (a trailing space the source lacks) is saved, and reported
    spaced = [entry["translation"][0], entry["translation"][1], entry["translation"][2] + " "]
    response = put(client, "ru", entry, spaced)
    assert response.status == 200
    assert any(p["check"] == "whitespace" and p["severity"] == "warning" for p in response.json()["problems"])
    put(client, "ru", response.json(), entry["translation"])


@pytest.mark.parametrize("evil", ['<img src=x onerror="alert(1)">', "<script>alert(1)</script>",
                                  '<a href="javascript:alert(1)">x</a>'])
def test_markup_a_translation_adds_is_refused(site, evil):
    client = signed_in(site)
    entry = singular_entries(client, "ru")[5]
    before = site.po("ru").read_bytes()
    response = put(client, "ru", entry, [evil])
    assert response.status == 422
    assert [p["check"] for p in response.json()["problems"]] == ["markup"]
    assert site.po("ru").read_bytes() == before


def test_needs_review_is_saved_as_fuzzy(site):
    client = signed_in(site)
    entry = singular_entries(client, "ru")[6]
    response = put(client, "ru", entry, ["Проверьте меня"], fuzzy=True)
    assert response.status == 200 and response.json()["fuzzy"] is True
    assert "fuzzy" in po_entry(site, "ru", entry).flags
    assert entry["id"] in [e["id"] for e in entries(client, "ru", state="fuzzy")]
    response = put(client, "ru", response.json(), ["Проверьте меня"], fuzzy=False)
    assert "fuzzy" not in po_entry(site, "ru", entry).flags


def test_a_catalog_broken_elsewhere_is_saved_but_never_compiled(site):
    client = signed_in(site, "boss")
    plain = singular_entries(client, "ja")
    broken, edited = plain[0], plain[1]
    mo = site.po("ja").with_suffix(".mo")
    compiled_before = mo.read_bytes()
    # a developer leaves an error in the file on disk (markup the source lacks)
    text = site.po("ja").read_text(encoding="utf-8")
    marker = f'msgstr "{broken["translation"][0]}"\n'
    assert text.count(marker) == 1
    site.po("ja").write_text(text.replace(marker, 'msgstr "<b>壊れた</b>"\n'), encoding="utf-8")
    response = put(client, "ja", find(client, "ja", edited["id"]), ["編集済み"])
    assert response.status == 200
    assert response.json()["saved"] is True and response.json()["compiled"] is False
    assert po_entry(site, "ja", edited).msgstr == "編集済み"
    assert mo.read_bytes() == compiled_before  # the site keeps its last good catalog
    problems = [p for p in find(client, "ja", broken["id"])["problems"] if p["severity"] == "error"]
    assert [p["check"] for p in problems] == ["markup"]
    assert broken["id"] in [e["id"] for e in entries(client, "ja", state="problems")]
    # fixing it in the editor compiles again
    fixed = put(client, "ja", find(client, "ja", broken["id"]), broken["translation"])
    assert fixed.status == 200 and fixed.json()["compiled"] is True
    assert mo.read_bytes() != compiled_before


# -- bad input ----------------------------------------------------------------------------------

def test_bad_input_gets_a_clear_4xx_and_changes_nothing(site):
    client = signed_in(site)
    entry = plural_entry(client, "ru")
    path = f"/translate/ru/entries/{entry['id']}"
    before = site.po("ru").read_bytes()
    xsrf = client.xsrf()
    cases = {
        "unknown tag": (client.get_json("/translate/xx-nowhere/entries"), 404),
        "garbage tag": (client.get_json("/translate/%FF%00/entries"), 404),
        "percent tag": (client.get_json("/translate/%25s%25d/entries"), 404),
        "unknown id": (client.get_json("/translate/ru/entries/AAAAAAAAAAAAAAAAAAAAAA"), 404),
        "unknown id, put": (client.put_json("/translate/ru/entries/AAAAAAAAAAAAAAAAAAAAAA",
                                            {"translation": ["x"], "fuzzy": False, "revision": "x"}), 404),
        "bad state": (client.get_json("/translate/ru/entries?state=everything"), 400),
        "malformed JSON": (client.put_json(path, None, raw=b'{"translation": ['), 400),
        "JSON not an object": (client.put_json(path, ["x"]), 400),
        "no revision": (client.put_json(path, {"translation": entry["translation"]}), 400),
        "wrong number of forms": (put(client, "ru", entry, ["%(count)s один", "%(count)s два"]), 422),
        "not strings": (put(client, "ru", entry, [1, 2, 3]), 422),
        "fuzzy not a bool": (put(client, "ru", entry, entry["translation"], fuzzy="yes"), 422),
        "control character": (put(client, "ru", entry, ["%(count)s\x00", "%(count)s", "%(count)s"]), 422),
        # 10 MB, under the server's own cap on bodies (10 MiB, issue 11's hardening)
        "10 MB body": (client.request("PUT", path, b'{"translation": ["' + b"x" * (10 * 1000 * 1000) + b'"]}',
                                      {"X-XSRFToken": xsrf, "Content-Type": "application/json"}), 413),
        "just over 64 KB": (client.request("PUT", path, b'{"translation": ["' + b"x" * 65536 + b'"]}',
                                          {"X-XSRFToken": xsrf, "Content-Type": "application/json"}), 413),
    }
    for name, (response, status) in cases.items():
        assert response.status == status, (name, response.status, response.text[:200])
        body = response.json()
        assert body.get("error") or body.get("problems"), name
    assert site.po("ru").read_bytes() == before
    assert cases["wrong number of forms"][0].json()["problems"][0]["check"] == "plural-count"
    assert cases["percent tag"][0].json()["error"] == "no catalog for '%s%d'"
    site.log.flush()
    log = (site.root / "server.log").read_text()
    assert "Traceback" not in log and "Logging error" not in log


def test_bad_uploads_get_a_clear_4xx_and_change_nothing(site):
    client = signed_in(site)
    before = site.po("ru").read_bytes()
    french = site.po("fr").read_bytes()
    cases = {
        "binary": (client.upload("/translate/ru/upload", "messages.mo",
                                 (site.po("ru").parent / "messages.mo").read_bytes()), 422, "binary"),
        "another language": (client.upload("/translate/ru/upload", "fr.po", french), 422, "'fr'"),
        "not a catalog": (client.upload("/translate/ru/upload", "x.po", b'msgid "a\nmsgstr'), 422, "line"),
        "not utf-8": (client.upload("/translate/ru/upload", "x.po", "é".encode("latin-1") * 10), 422, "UTF-8"),
        "no file": (client.form("/translate/ru/upload", {}), 400, "file"),
        "too big": (client.upload("/translate/ru/upload", "x.po", b"#" * (upload_module.MAX_UPLOAD_BYTES + 100_000)),
                    413, "larger"),
    }
    for name, (response, status, words) in cases.items():
        assert response.status == status, (name, response.text[:200])
        assert words in response.json()["error"], (name, response.json())
    assert site.po("ru").read_bytes() == before


# -- upload ------------------------------------------------------------------------------------

def test_upload_and_check_messages_speak_the_translators_language(site):
    """Line numbers in the reader's digits, sizes as people read them, every message translated."""
    from catalog_builder import translation

    client = signed_in(site)
    persian = {"Accept-Language": "fa"}
    broken = b'msgid ""\nmsgstr ""\n\nmsgid "a"\nmsgstr "b\n'
    response = client.upload("/translate/ru/upload", "x.po", broken, headers=persian)
    assert response.status == 422
    error = response.json()["error"]
    assert error.startswith(translation("fa", "line %(line)s: %(problem)s").split("%")[0]), error
    assert "۵" in error and "5" not in error  # line 5, in Persian digits
    assert translation("fa", "not valid .po syntax: %(line)s").split("%")[0] in error
    assert "\u2068" in error  # the technical part isolated in a right-to-left sentence
    english = client.upload("/translate/ru/upload", "x.po", broken).json()["error"]
    assert english == "line 5: not valid .po syntax: 'msgstr \"b'"  # the interface's default language
    too_big = client.upload("/translate/ru/upload", "x.po", b"#" * (upload_module.MAX_UPLOAD_BYTES + 100_000),
                            headers={"Accept-Language": "ru"})
    assert too_big.status == 413, too_big.headers
    assert too_big.json()["error"] == translation("ru", "the file is larger than %(size)s") % {"size": "5 МБ"}, \
        dict(too_big.headers)
    # an entry's check, in the upload's report and the editor's listing
    plural = plural_entry(client, "ru")
    catalog = polib.pofile(client.request("GET", "/translate/ru/download").text)
    for item in catalog:
        if entry_id(item.msgctxt, item.msgid) == plural["id"]:
            item.msgstr_plural = {0: "%(count)s один", 1: "%(count)s несколько", 2: "много"}
    report = client.upload("/translate/ru/upload", "ru.po", str(catalog).encode(), headers={"Accept-Language": "ru"})
    problem = report.json()["rejected"][0]["problems"][0]
    assert problem["message"] == translation("ru", "%(form)s lacks %(placeholders)s") % {
        "form": "msgstr[2]", "placeholders": "%(count)s"}
    response = client.request("GET", "/translate/ru/entries", headers={"Accept-Language": "uk"})
    assert all(p["message"].startswith("⟦uk⟧") for e in response.json()["entries"] for p in e["problems"]
               if p["check"] in ("fuzzy", "untranslated")) and response.headers["Content-Language"] == "uk"



def test_upload_with_one_conflict_one_check_failure_and_one_clean_change(site):
    client = signed_in(site, "boss")
    download = client.request("GET", "/translate/uk/download")
    assert download.status == 200
    assert download.headers["Cache-Control"] == "private, no-store"
    catalog = polib.pofile(download.text)
    assert catalog.metadata[upload_module.BASE_HEADER].isdigit()
    plain = singular_entries(client, "uk")
    clean, conflicting = plain[0], plain[1]
    plural = plural_entry(client, "uk")
    # meanwhile, someone changes `conflicting` on the site
    assert put(client, "uk", conflicting, ["Змінено на сайті"]).status == 200
    # the translator's file: three changes
    for item in catalog:
        if entry_id(item.msgctxt, item.msgid) == clean["id"]:
            item.msgstr = "Чиста зміна"
        elif entry_id(item.msgctxt, item.msgid) == conflicting["id"]:
            item.msgstr = "Зміна у файлі"
        elif entry_id(item.msgctxt, item.msgid) == plural["id"]:
            item.msgstr_plural = {0: "%(count)s один", 1: "%(count)s кілька", 2: "багато"}
    response = client.upload("/translate/uk/upload", "uk.po", str(catalog).encode("utf-8"))
    assert response.status == 200, response.text
    report = response.json()
    assert [e["id"] for e in report["applied"]] == [clean["id"]]
    assert [e["id"] for e in report["conflicting"]] == [conflicting["id"]]
    assert report["conflicting"][0]["current"]["translation"] == ["Змінено на сайті"]
    assert [e["id"] for e in report["rejected"]] == [plural["id"]]
    assert report["rejected"][0]["problems"][0]["check"] == "python-format"
    assert len(report["unchanged"]) == len(entries(client, "uk")) - 3
    assert po_entry(site, "uk", clean).msgstr == "Чиста зміна"
    assert po_entry(site, "uk", conflicting).msgstr == "Змінено на сайті"
    assert po_entry(site, "uk", plural).msgstr_plural == {
        i: t for i, t in enumerate(plural["translation"])}
    history = client.get_json(f"/translate/uk/entries/{clean['id']}/history").json()["history"]
    assert (history[0]["origin"], history[0]["account"]) == ("upload", "boss")


def test_an_upload_without_a_base_only_fills_untranslated_entries(site):
    client = signed_in(site, "boss")
    plain = singular_entries(client, "pl")
    empty, translated = plain[0], plain[1]
    assert put(client, "pl", empty, [""]).status == 200
    catalog = polib.pofile(site.po("pl").read_text(encoding="utf-8"))
    for item in catalog:
        if entry_id(item.msgctxt, item.msgid) == empty["id"]:
            item.msgstr = "Uzupełnione"
        elif entry_id(item.msgctxt, item.msgid) == translated["id"]:
            item.msgstr = "Nadpisane?"
    report = client.upload("/translate/pl/upload", "pl.po", str(catalog).encode()).json()
    assert [e["id"] for e in report["applied"]] == [empty["id"]]
    assert [e["id"] for e in report["conflicting"]] == [translated["id"]]
    assert po_entry(site, "pl", translated).msgstr == translated["translation"][0]


# -- the audit log -------------------------------------------------------------------------------

def test_the_audit_log_has_sign_ins_failures_edits_uploads_and_permission_changes(site):
    from website.workspace.accounts import Accounts
    from website.workspace.db import FILENAME, Database

    client = signed_in(site, "boss")
    Client(site).login("boss", "wrong password")
    assert admin(site.data_dir, "user", "languages", "pierre", "--languages", "fr,es", password=None).returncode == 0
    entry = singular_entries(client, "es")[0]
    put(client, "es", entry, ["Cambio auditado"])
    client.upload("/translate/es/upload", "es.po", site.po("es").read_bytes())
    log = Accounts(Database(site.data_dir / FILENAME)).audit_log(limit=500)
    actions = {row["action"] for row in log}
    assert {"signed in", "sign-in failed", "edit", "upload", "user added", "permissions changed"} <= actions
    edit = next(row for row in log if row["action"] == "edit")
    assert edit["account"] == "boss" and edit["address"] == "127.0.0.1" and edit["time"] > time.time() - 600
    assert entry["id"] in edit["detail"]


def _cookie(name, value):
    import http.cookiejar
    return http.cookiejar.Cookie(0, name, value, None, False, "127.0.0.1", False, False, "/", True, False,
                                 None, False, None, None, {})
