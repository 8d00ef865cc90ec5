"""The catalog gate through the workspace, end to end: the probe's payloads never reach a visitor.

The real server on a copy of the project; every write path (the editor's
save, an upload) answers with the gate's reasons, and what it does write is
a file polib and GNU ``msgfmt -c`` read.
"""

from __future__ import annotations

import subprocess

import polib
import pytest

from website.workspace.po_store import entry_id

from workspace_helpers import Client, Site, admin, copy_project, entries

HOME = "You are reading this page in %(language)s."
PAGES = "Page %(page)s of %(pages)s"
# (source, translation) the probe got accepted, and the ones that broke a page or a catalog
PAYLOADS = [
    (HOME, "Vous lisez cette page en %(language).1lsmeta http-equiv=refresh content=0;url=//evil.example/>"),
    (HOME, "Vous lisez cette page en %(language).1s"),
    (HOME, "Vous lisez cette page en %(language)5s."),
    (HOME, "Vous lisez cette page en %(language)ls."),
    (PAGES, "Page %(page)s sur %(pages)s %"),
    (PAGES, "Page %(page)s sur %(pages)s %z"),
    (PAGES, "Page %(page)s sur %(oops)ls"),
    (HOME, "Vous lisez cette page en\u2028%(language)s."),
    (HOME, "Vous lisez cette page en\u2029%(language)s."),
    (HOME, "Vous lisez cette page en\u0085%(language)s."),
    (HOME, "Vous lisez cette page en\x1b%(language)s."),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("workspace-gate")
    copy_project(root)
    data = root / "var"
    assert admin(data, "user", "add", "pierre", "--languages", "fr", "--password-stdin").returncode == 0
    running = Site(root, data)
    yield running
    running.stop()


@pytest.fixture()
def client(site):
    client = Client(site)
    assert client.login("pierre").status == 303
    return client


def _entry(client, source):
    return next(e for e in entries(client, "fr") if e["source"] == [source])


def _well_formed(path) -> None:
    polib.pofile(str(path))
    result = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def _visitor_pages_are_clean(client) -> None:
    for path in ("/fr/", "/fr/languages"):
        page = client.request("GET", path)
        assert page.status == 200, (path, page.text[:300])
        assert "<meta http-equiv" not in page.text and "evil.example" not in page.text


@pytest.mark.parametrize(("source", "translation"), PAYLOADS)
def test_a_save_of_the_probes_payload_is_refused_with_its_reason(site, client, source, translation):
    entry = _entry(client, source)
    before = site.po("fr").read_bytes()
    response = client.put_json(f"/translate/fr/entries/{entry['id']}",
                               {"translation": [translation], "fuzzy": False, "revision": entry["revision"]})
    assert response.status == 422, response.text
    problems = response.json()["problems"]
    assert problems and all(p["severity"] == "error" for p in problems)
    assert {p["check"] for p in problems} <= {"python-format", "control-character"}
    assert site.po("fr").read_bytes() == before
    _visitor_pages_are_clean(client)


def test_an_upload_of_the_probes_payloads_applies_none_of_them(site, client):
    before = site.po("fr").read_bytes()
    download = client.request("GET", "/translate/fr/download")
    assert download.status == 200
    catalog = polib.pofile(download.text)
    targets = {entry_id(None, source): translation for source, translation in PAYLOADS[:7]}
    changed = 0
    for item in catalog:
        key = entry_id(item.msgctxt, item.msgid)
        if key in targets:
            item.msgstr = targets.pop(key)
            changed += 1
    assert changed == 2  # the last payload of each source
    response = client.upload("/translate/fr/upload", "fr.po", str(catalog).encode("utf-8"))
    assert response.status == 200, response.text
    report = response.json()
    assert report["applied"] == [] and len(report["rejected"]) == 2
    assert all(p["check"] == "python-format" for e in report["rejected"] for p in e["problems"])
    assert site.po("fr").read_bytes() == before
    _visitor_pages_are_clean(client)


def test_an_upload_with_a_line_separator_is_refused_or_written_readable(site, client):
    download = client.request("GET", "/translate/fr/download")
    catalog = polib.pofile(download.text)
    item = next(i for i in catalog if i.msgid == HOME)
    item.msgstr = "Vous lisez\u2028cette page en %(language)s."
    report = client.upload("/translate/fr/upload", "fr.po", str(catalog).encode("utf-8")).json()
    assert [e["id"] for e in report.get("rejected", ())] == [entry_id(None, HOME)], report
    assert report["rejected"][0]["problems"][0]["check"] == "control-character"
    _well_formed(site.po("fr"))


def test_what_the_editor_accepts_is_a_file_polib_and_msgfmt_read(site, client):
    entry = _entry(client, HOME)
    # a tab, a bidi mark and an override (a warning), quotes and backslashes: all legal, all readable
    text = "Vous\tlisez \u200e« cette » page \\ \"en\" \u202b%(language)s\u202c."
    response = client.put_json(f"/translate/fr/entries/{entry['id']}",
                               {"translation": [text], "fuzzy": False, "revision": entry["revision"]})
    assert response.status == 200, response.text
    assert any(p["check"] == "bidi-controls" and p["severity"] == "warning"
               for p in response.json().get("problems", []))
    _well_formed(site.po("fr"))
    assert next(e for e in polib.pofile(str(site.po("fr"))) if e.msgid == HOME).msgstr == text
    _visitor_pages_are_clean(client)
