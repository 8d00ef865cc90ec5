"""A catalog the checks never saw (a .mo made by hand, or by an older release) never breaks a page.

The ``.mo`` here is GNU ``msgfmt``'s, compiled straight from a ``.po`` whose
translations the gate refuses; the real server serves it (its verdict is the
valid catalog's). Each page shows the source for the entry that cannot be
formatted, answers 200, and the log names the entry once.
"""

from __future__ import annotations

import re
import subprocess
import urllib.request

import polib
import pytest

import catalog_builder
from harness import Server

HOME = "You are reading this page in %(language)s."
PAGES = "Page %(page)s of %(pages)s"
BROKEN = {
    HOME: "Vous lisez cette page en %(language).1lsmeta http-equiv=refresh content=0;url=//evil.example/>",
    PAGES: "Page %(page)s sur %(oops)ls %",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = catalog_builder.build_root(tmp_path_factory.mktemp("fallback-root"), ["fr"])
    folder = root / "locale" / "fr" / "LC_MESSAGES"
    bad = polib.pofile(str(folder / "messages.po"))
    for entry in bad:
        if entry.msgid in BROKEN:
            entry.msgstr = BROKEN[entry.msgid]
    bad_po = folder.parent.parent / "hand-made.po"  # outside LC_MESSAGES: the site never reads it
    bad.save(str(bad_po))
    # msgfmt without -c: it writes what it is given, as a hand-made catalog would be
    subprocess.run(["msgfmt", "-o", str(folder / "messages.mo"), str(bad_po)], check=True)
    with Server("--logging=info", root=root, ready_path="/en/about") as running:
        yield running


def _get(server, path):
    try:
        with urllib.request.urlopen(server.url(path), timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_the_page_shows_the_source_and_adds_no_markup(server):
    for _ in range(3):
        status, page = _get(server, "/fr/")
        assert status == 200
        assert "<meta http-equiv" not in page and "evil.example" not in page
        assert re.search(r'You are reading this page in <bdi lang="fr">[^<]+</bdi>\.', page)
    assert server.output().count(repr(HOME)) == 1  # once per entry, not per request


def test_a_broken_format_string_is_the_source_not_a_500(server):
    status, page = _get(server, "/fr/languages")
    assert status == 200
    assert re.search(r"Page 1 of \d+", page)
    status, page = _get(server, "/fr/languages?page=2")
    assert status == 200 and re.search(r"Page 2 of \d+", page)
    assert server.output().count(repr(PAGES)) == 1


def test_no_request_failed(server):
    for path in ("/fr/", "/fr/languages", "/fr/about", "/fr/translations", "/languages.json?lang=fr"):
        assert _get(server, path)[0] == 200, path
    assert "Traceback" not in server.output() and not re.search(r"\] 5\d\d ", server.output())
