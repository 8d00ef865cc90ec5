"""Roles, suggestions, review and translation help, against the real server and website-admin.

Every test here runs on a temporary copy of the project (``--root``), never
on the checkout's catalogs.
"""

from __future__ import annotations

import html
import urllib.request

import polib
import pytest

from website.workspace.po_store import entry_id

from harness import poll_until
from workspace_helpers import Client, Site, admin, copy_project, entries, find, plural_entry, singular_entries

pytestmark = pytest.mark.integration

ACCOUNTS = {
    "sasha": ["--suggest-only", "ru"],
    "tanya": ["--languages", "ru,uk"],
    "rita": ["--languages", "uk", "--review", "ru"],
    "pierre": ["--languages", "fr"],
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("workspace-review")
    copy_project(root)
    data = root / "var"
    for name, arguments in ACCOUNTS.items():
        result = admin(data, "user", "add", name, *arguments, "--password-stdin")
        assert result.returncode == 0, result.stderr
    running = Site(root, data)
    yield running
    running.stop()


def signed_in(site, name) -> Client:
    client = Client(site)
    assert client.login(name).status == 303
    return client


def po_entry(site, gettext_id, entry):
    return next(e for e in polib.pofile(str(site.po(gettext_id))) if entry_id(e.msgctxt, e.msgid) == entry["id"])


def base(entry) -> str:
    return f"/translate/ru/entries/{entry['id']}"


def suggest(client, entry, text, tag="ru"):
    return client.post_json(f"/translate/{tag}/entries/{entry['id']}/suggestions", {"translation": [text]})


# -- roles ----------------------------------------------------------------------------------

def test_the_cli_records_and_lists_each_role(site):
    listing = admin(site.data_dir, "user", "list", password=None)
    assert listing.returncode == 0, listing.stderr
    lines = dict(line.split("\t", 1) for line in listing.stdout.splitlines())
    assert lines["sasha"] == "active\tlanguages -, suggest only ru"
    assert lines["rita"] == "active\tlanguages uk,ru, review ru"
    both = admin(site.data_dir, "user", "add", "nobody", "--languages", "de", "--suggest-only", "de",
                 "--password-stdin")
    assert both.returncode == 1 and "both translate and only suggest" in both.stderr
    changed = admin(site.data_dir, "user", "languages", "pierre", "--languages", "fr", "--suggest-only", "de",
                    password=None)
    assert changed.returncode == 0 and changed.stdout.strip() == "pierre: languages fr, suggest only de"
    assert admin(site.data_dir, "user", "languages", "pierre", "--languages", "fr",
                 password=None).returncode == 0


# Each role x each action: 2xx or 403 (and a language without a role: 403 for all).
ACTIONS = ("read", "help", "suggest", "save", "accept", "reject", "review")
ALLOWED = {
    "sasha": {"read", "help", "suggest"},
    "tanya": {"read", "help", "suggest", "save", "accept", "reject"},
    "rita": set(ACTIONS),
    "pierre": set(),
}


@pytest.mark.parametrize("name", ALLOWED)
def test_each_role_may_do_exactly_its_actions(site, name):
    owner = signed_in(site, "rita")
    entry = singular_entries(owner, "ru")[10 + list(ALLOWED).index(name)]
    offers = [suggest(owner, entry, f"Предложение {n} для {name}").json()["id"] for n in range(2)]
    client = signed_in(site, name)
    entry = find(owner, "ru", entry["id"])
    calls = {
        "read": lambda: client.get_json(base(entry)),
        "help": lambda: client.get_json(base(entry) + "/help"),
        "suggest": lambda: suggest(client, entry, f"Моё предложение, {name}"),
        "save": lambda: client.put_json(base(entry), {"translation": [f"Сохранено: {name}"], "fuzzy": False,
                                                      "revision": entry["revision"]}),
        "accept": lambda: client.post_json(base(entry) + f"/suggestions/{offers[0]}/accept",
                                           {"revision": find(owner, "ru", entry["id"])["revision"]}),
        "reject": lambda: client.post_json(base(entry) + f"/suggestions/{offers[1]}/reject", {"reason": "no"}),
        "review": lambda: client.post_json(base(entry) + "/review",
                                           {"approve": True, "revision": find(owner, "ru", entry["id"])["revision"]}),
    }
    outcome = {}
    for action in ACTIONS:
        response = calls[action]()
        assert response.headers["Cache-Control"] == "private, no-store"
        outcome[action] = response.status
    expected = {a: (403 if a not in ALLOWED[name] else outcome[a]) for a in ACTIONS}
    assert outcome == expected, outcome
    assert all(200 <= outcome[a] < 300 for a in ALLOWED[name]), outcome
    if name == "sasha":
        assert client.request("GET", "/translate/ru").status == 200  # the editor page, to suggest from
        assert "sasha may not save translations in ru" in calls["save"]().json()["error"]


def test_suggestions_need_the_token(site):
    client = signed_in(site, "sasha")
    entry = singular_entries(client, "ru")[0]
    response = client.request("POST", base(entry) + "/suggestions", b'{"translation": ["x"]}',
                              {"Content-Type": "application/json"})
    assert response.status == 403


# -- suggestions ----------------------------------------------------------------------------

def test_a_suggestion_stays_out_of_the_file_until_accepted_and_is_credited_to_its_author(site):
    sasha, tanya = signed_in(site, "sasha"), signed_in(site, "tanya")
    entry = singular_entries(tanya, "ru")[1]
    before = site.po("ru").read_bytes()
    created = suggest(sasha, entry, "Предложенный перевод")
    assert created.status == 201, created.text
    offer = created.json()
    assert offer["author"] == "sasha" and offer["translation"] == ["Предложенный перевод"] and offer["time"]
    assert site.po("ru").read_bytes() == before  # the database only
    help_ = tanya.get_json(base(entry) + "/help").json()
    assert set(help_) == {"memory", "other_languages", "glossary", "suggestions"}
    assert [s["id"] for s in help_["suggestions"]] == [offer["id"]]
    assert set(help_["suggestions"][0]) == {"id", "translation", "author", "time"}
    accepted = tanya.post_json(base(entry) + f"/suggestions/{offer['id']}/accept", {})
    assert accepted.status == 200, accepted.text
    assert accepted.json()["translation"] == ["Предложенный перевод"] and accepted.json()["saved"]
    assert po_entry(site, "ru", entry).msgstr == "Предложенный перевод"
    history = tanya.get_json(base(entry) + "/history").json()["history"]
    assert history[0]["account"] == "sasha" and history[0]["after"]["translation"] == ["Предложенный перевод"]
    assert tanya.get_json(base(entry) + "/help").json()["suggestions"] == []
    mine = sasha.get_json("/translate/ru/suggestions").json()["suggestions"]
    assert mine[0]["id"] == offer["id"] and mine[0]["state"] == "accepted" and mine[0]["decided_by"] == "tanya"
    again = tanya.post_json(base(entry) + f"/suggestions/{offer['id']}/accept", {})
    assert again.status == 404


def test_a_rejected_suggestion_tells_its_author_why(site):
    sasha, tanya = signed_in(site, "sasha"), signed_in(site, "tanya")
    entry = singular_entries(tanya, "ru")[2]
    offer = suggest(sasha, entry, "Неудачный вариант").json()
    rejected = tanya.post_json(base(entry) + f"/suggestions/{offer['id']}/reject",
                               {"reason": "Слишком длинно для кнопки"})
    assert rejected.status == 200 and rejected.json() == {"id": offer["id"], "state": "rejected"}
    mine = next(s for s in sasha.get_json("/translate/ru/suggestions").json()["suggestions"]
                if s["id"] == offer["id"])
    assert mine["state"] == "rejected" and mine["reason"] == "Слишком длинно для кнопки"
    assert mine["decided_by"] == "tanya" and mine["decided_time"]
    assert po_entry(site, "ru", entry).msgstr == entry["translation"][0]


def test_accepting_a_suggestion_made_before_a_change_is_a_conflict(site):
    sasha, tanya = signed_in(site, "sasha"), signed_in(site, "tanya")
    entry = singular_entries(tanya, "ru")[3]
    offer = suggest(sasha, entry, "Старое предложение").json()
    saved = tanya.put_json(base(entry), {"translation": ["Тем временем"], "fuzzy": False,
                                         "revision": entry["revision"]})
    assert saved.status == 200
    conflict = tanya.post_json(base(entry) + f"/suggestions/{offer['id']}/accept", {})
    assert conflict.status == 409 and conflict.json()["current"]["translation"] == ["Тем временем"]
    # A save's conflict names who changed the entry, and when.
    stale = tanya.put_json(base(entry), {"translation": ["Поздно"], "fuzzy": False, "revision": entry["revision"]})
    assert stale.status == 409
    change = stale.json()["current"]["last_change"]
    assert change["account"] == "tanya" and change["origin"] == "editor" and change["time"].endswith("+00:00")
    # taken anyway, from the text the translator now sees
    taken = tanya.post_json(base(entry) + f"/suggestions/{offer['id']}/accept",
                            {"revision": conflict.json()["current"]["revision"]})
    assert taken.status == 200 and po_entry(site, "ru", entry).msgstr == "Старое предложение"


def test_a_suggestion_passes_the_same_checks_as_a_save(site):
    sasha = signed_in(site, "sasha")
    entry = plural_entry(sasha, "ru")
    broken = sasha.post_json(base(entry) + "/suggestions", {"translation": ["%(count)s", "много", "%(count)s"]})
    assert broken.status == 422
    assert any(p["severity"] == "error" for p in broken.json()["problems"])
    wrong_shape = sasha.post_json(base(entry) + "/suggestions", {"translation": ["один"]})
    assert wrong_shape.status == 422
    markup = suggest(sasha, singular_entries(sasha, "ru")[4], "<script>alert(1)</script>")
    assert markup.status == 422
    assert sasha.post_json(base(entry) + "/suggestions", {"translation": "x"}).status == 422
    assert sasha.post_json("/translate/ru/entries/nosuchentry00000000000/suggestions",
                           {"translation": ["x"]}).status == 404


# -- review -----------------------------------------------------------------------------------

def test_approval_is_kept_for_exactly_the_approved_text(site):
    rita, tanya = signed_in(site, "rita"), signed_in(site, "tanya")
    entry = singular_entries(rita, "ru")[5]
    assert find(rita, "ru", entry["id"])["state"] == "translated"
    progress = rita.get_json("/translate/ru/entries").json()["progress"]
    approved = rita.post_json(base(entry) + "/review", {"approve": True, "revision": entry["revision"]})
    assert approved.status == 200, approved.text
    assert approved.json()["state"] == "approved"
    after = rita.get_json("/translate/ru/entries").json()["progress"]
    assert after["approved"] == progress["approved"] + 1 and after["translated"] == progress["translated"]
    assert set(after) == {"total", "untranslated", "fuzzy", "unreviewed", "translated", "approved"}
    assert entry["id"] in [e["id"] for e in entries(rita, "ru", state="approved")]
    stale = rita.post_json(base(entry) + "/review", {"approve": True, "revision": "old"})
    assert stale.status == 409
    # a new text, from the editor or the file, is no longer approved
    current = find(rita, "ru", entry["id"])
    tanya.put_json(base(entry), {"translation": ["Другой текст"], "fuzzy": False, "revision": current["revision"]})
    assert find(rita, "ru", entry["id"])["state"] == "translated"
    text = site.po("ru").read_text(encoding="utf-8")
    site.po("ru").write_text(text.replace('msgstr "Другой текст"', f'msgstr "{entry["translation"][0]}"'),
                             encoding="utf-8")
    assert find(rita, "ru", entry["id"])["state"] == "approved"  # the approved text is back


def test_sending_back_marks_needs_work(site):
    rita = signed_in(site, "rita")
    entry = singular_entries(rita, "ru")[6]
    response = rita.post_json(base(entry) + "/review", {"approve": False, "revision": entry["revision"]})
    assert response.status == 200 and response.json()["state"] == "fuzzy"
    assert "fuzzy" in po_entry(site, "ru", entry).flags
    assert entry["id"] in [e["id"] for e in entries(rita, "ru", state="fuzzy")]
    assert rita.post_json(base(entry) + "/review", {"approve": "yes", "revision": "x"}).status == 400


def _page_entry(client, tag):
    """A plain entry shown on /<tag>/about."""
    return next(e for e in singular_entries(client, tag)
                if any(r.startswith("templates/about.html") for r in e["references"]) and len(e["source"][0]) > 12)


def _about(site, tag) -> str:
    with urllib.request.urlopen(site.url(f"/{tag}/about"), timeout=10) as response:
        return html.unescape(response.read().decode())


def test_where_the_language_says_so_visitors_see_only_approved_text(site):
    rita, tanya = signed_in(site, "rita"), signed_in(site, "tanya")
    setting = admin(site.data_dir, "language", "set", "ru", "--unreviewed", "hide", password=None)
    assert setting.returncode == 0, setting.stderr
    try:
        entry = _page_entry(tanya, "ru")
        assert entry["translation"][0] in _about(site, "ru")
        saved = tanya.put_json(base(entry), {"translation": ["Непроверенный текст"], "fuzzy": False,
                                             "revision": entry["revision"]})
        assert saved.status == 200 and saved.json()["state"] == "unreviewed"
        assert "fuzzy" in po_entry(site, "ru", entry).flags and po_entry(site, "ru", entry).msgstr == "Непроверенный текст"
        assert entry["id"] in [e["id"] for e in entries(rita, "ru", state="unreviewed")]
        assert rita.get_json("/translate/ru/entries").json()["progress"]["unreviewed"] >= 1
        # visitors get English, from the real server and the compiled catalog
        poll_until(lambda: entry["source"][0] in _about(site, "ru"), message="the English source")
        assert "Непроверенный текст" not in _about(site, "ru")
        approved = rita.post_json(base(entry) + "/review",
                                  {"approve": True, "revision": saved.json()["revision"]})
        assert approved.status == 200 and approved.json()["state"] == "approved"
        assert "fuzzy" not in po_entry(site, "ru", entry).flags
        poll_until(lambda: "Непроверенный текст" in _about(site, "ru"), message="the approved text")
    finally:
        assert admin(site.data_dir, "language", "set", "ru", "--unreviewed", "publish",
                     password=None).returncode == 0


def _with_translation(client, tag, changes: dict) -> bytes:
    """The workspace's download (stamped with its base) with some entries' msgstr changed."""
    catalog = polib.pofile(client.request("GET", f"/translate/{tag}/download").text)
    for item in catalog:
        if entry_id(item.msgctxt, item.msgid) in changes:
            item.msgstr = changes[entry_id(item.msgctxt, item.msgid)]
            item.flags = [f for f in item.flags if f != "fuzzy"]
    return str(catalog).encode("utf-8")


def test_an_upload_into_a_language_that_hides_unreviewed_text_publishes_nothing_unreviewed(site):
    rita, tanya, sasha = signed_in(site, "rita"), signed_in(site, "tanya"), signed_in(site, "sasha")
    assert admin(site.data_dir, "language", "set", "ru", "--unreviewed", "hide", password=None).returncode == 0
    try:
        page_entries = [e for e in singular_entries(tanya, "ru")
                        if any(r.startswith("templates/about.html") for r in e["references"])
                        and len(e["source"][0]) > 12]
        mine, reviewers = page_entries[1], page_entries[2]
        assert mine["translation"][0] in _about(site, "ru")
        # a suggest-only account may not upload (as it may not save)
        refused = sasha.upload("/translate/ru/upload", "ru.po", _with_translation(sasha, "ru", {mine["id"]: "x"}))
        assert refused.status == 403
        # a translator's upload, as a translator's save: kept fuzzy, awaiting review
        report = tanya.upload("/translate/ru/upload", "ru.po",
                              _with_translation(tanya, "ru", {mine["id"]: "Загружено без проверки"})).json()
        assert [e["id"] for e in report["applied"]] == [mine["id"]], report
        assert "fuzzy" in po_entry(site, "ru", mine).flags
        assert find(rita, "ru", mine["id"])["state"] == "unreviewed"
        # a reviewer's upload, as a reviewer's save: also kept until someone approves it
        report = rita.upload("/translate/ru/upload", "ru.po",
                             _with_translation(rita, "ru", {reviewers["id"]: "Загружено рецензентом"})).json()
        assert [e["id"] for e in report["applied"]] == [reviewers["id"]], report
        assert find(rita, "ru", reviewers["id"])["state"] == "unreviewed"
        # visitors get English, from the real server and the compiled catalog
        poll_until(lambda: mine["source"][0] in _about(site, "ru") and reviewers["source"][0] in _about(site, "ru"),
                   message="the English sources")
        page = _about(site, "ru")
        assert "Загружено без проверки" not in page and "Загружено рецензентом" not in page
        # the same file again, unfuzzied: still not published
        again = tanya.upload("/translate/ru/upload", "ru.po",
                             _with_translation(tanya, "ru", {mine["id"]: "Загружено без проверки"})).json()
        assert mine["id"] in [e["id"] for e in again["unchanged"]]
        assert "fuzzy" in po_entry(site, "ru", mine).flags
        current = find(rita, "ru", mine["id"])
        assert rita.post_json(base(mine) + "/review", {"approve": True, "revision": current["revision"]}).status == 200
        poll_until(lambda: "Загружено без проверки" in _about(site, "ru"), message="the approved text")
    finally:
        assert admin(site.data_dir, "language", "set", "ru", "--unreviewed", "publish",
                     password=None).returncode == 0


# -- memory, other languages, glossary ------------------------------------------------------------

def test_help_brings_memory_other_languages_and_the_glossary(site, tmp_path):
    tanya = signed_in(site, "tanya")
    entry = next(e for e in singular_entries(tanya, "ru") if len(e["source"][0].split()) >= 3)
    source = entry["source"][0]
    tmx = tmp_path / "legacy.tmx"
    tmx.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="en" datatype="plaintext"'
        ' segtype="sentence" adminlang="en" o-tmf="x" creationtool="t" creationtoolversion="1"/><body>'
        f'<tu><tuv xml:lang="en"><seg>{html.escape(source)}!</seg></tuv>'
        '<tuv xml:lang="ru-RU"><seg>Из памяти</seg></tuv><tuv xml:lang="de"><seg>Aus dem Speicher</seg></tuv></tu>'
        '<tu><tuv xml:lang="en"><seg>Something else entirely, unrelated</seg></tuv>'
        '<tuv xml:lang="ru"><seg>Другое</seg></tuv></tu></body></tmx>', encoding="utf-8")
    locale_dir = f"--locale-dir={site.root / 'locale'}"
    imported = admin(site.data_dir, "memory", "import", str(tmx), locale_dir, password=None)
    assert imported.returncode == 0, imported.stderr
    assert "ru: 2 new units" in imported.stdout and "de: 1 new units" in imported.stdout
    compendium = tmp_path / "compendium.po"
    compendium.write_text('msgid ""\nmsgstr ""\n"Language: ru\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                          f'msgid "{source}."\nmsgstr "Из компендия"\n', encoding="utf-8")
    assert admin(site.data_dir, "memory", "import", str(compendium), locale_dir, password=None).returncode == 0
    word = max(source.split(), key=len).strip(".,:;!?")
    glossary = tmp_path / "glossary.csv"
    glossary.write_text(f"term,translation,note\n{word},Термин,always this\n", encoding="utf-8")
    assert admin(site.data_dir, "glossary", "import", "ru", str(glossary), password=None).returncode == 0

    response = tanya.get_json(base(entry) + "/help")
    assert response.status == 200 and response.headers["Cache-Control"] == "private, no-store"
    data = response.json()
    by_translation = {m["translation"][0]: m for m in data["memory"]}
    assert {"Из памяти", "Из компендия"} <= set(by_translation), data["memory"]
    assert "Другое" not in by_translation
    assert len(data["memory"]) <= 5
    assert all(set(m) == {"source", "translation", "score", "origin"} and 75 <= m["score"] <= 100
               for m in data["memory"])
    assert by_translation["Из памяти"]["origin"] == "legacy.tmx"
    assert [m["score"] for m in data["memory"]] == sorted((m["score"] for m in data["memory"]), reverse=True)
    assert {"tag": "uk", "translation": find(tanya, "uk", entry["id"])["translation"]} in data["other_languages"]
    assert all(o["tag"] != "ru" for o in data["other_languages"])
    assert data["glossary"] == [{"term": word, "translation": "Термин", "note": "always this", "missing": True}]


def test_memory_import_refuses_what_it_cannot_read(site, tmp_path):
    bad = tmp_path / "bad.tmx"
    bad.write_text("<tmx><body><tu>", encoding="utf-8")
    result = admin(site.data_dir, "memory", "import", str(bad), password=None)
    assert result.returncode == 1 and "not valid XML" in result.stderr
    bomb = tmp_path / "bomb.tmx"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><tmx><body/></tmx>', encoding="utf-8")
    assert admin(site.data_dir, "memory", "import", str(bomb), password=None).returncode == 1
    csv_file = tmp_path / "g.csv"
    csv_file.write_text("only-a-term\n", encoding="utf-8")
    result = admin(site.data_dir, "glossary", "import", "ru", str(csv_file), password=None)
    assert result.returncode == 1 and "row 1" in result.stderr
    missing = admin(site.data_dir, "memory", "import", str(tmp_path / "none.tmx"), password=None)
    assert missing.returncode == 1
