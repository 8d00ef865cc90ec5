"""Done when (issue 18): git is the catalogs' truth, with real git and real servers on loopback.

A bare upstream; a writer host (a checkout, the workspace, --catalog_sync);
a read-only host (a checkout, website-catalog pull); developer clones with
make git-setup. Every step waits on a condition (poll_until), never a sleep.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.request

import pytest

from website.toolchain import po_writer

from catalog_builder import build
from conftest import ROOT
from git_repos import run_git as git, upstream_and_clone
from harness import Server, poll_until
from test_pipeline import make
from workspace_helpers import Client, Site, admin, find

RU = "locale/ru/LC_MESSAGES/messages.po"
SYNC = 2  # --sync_interval, seconds
COMMIT = 4  # --commit_interval: maria's two saves fall in one window


def out(cwd, *args) -> str:
    return git(cwd, *args).stdout.strip()


def add_string(project, html: str, name: str = "about.html") -> None:
    template = project / "templates" / name
    head, _, tail = template.read_text().rpartition("{% end %}")
    template.write_text(head + html + "\n{% end %}" + tail)


def health(port) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
        return json.loads(response.read())["catalogs"]


@pytest.fixture
def world(tmp_path, venv_bin):
    upstream, seed = upstream_and_clone(tmp_path, "seed")
    shutil.copytree(ROOT, seed, dirs_exist_ok=True, ignore=shutil.ignore_patterns(
        ".venv", ".git", "build", "var", "__pycache__", "*.mo", "*.verdict.json", ".pytest_cache", "*.lock",
        "tests", "bench", ".catalog-revision"))
    for name in ("requirements.lock", "requirements-build.lock"):
        shutil.copy(ROOT / name, seed / name)
    shutil.rmtree(seed / "locale")
    build(seed / "locale", ["ru", "fr"])
    assert make(seed, venv_bin, "update").returncode == 0
    git(seed, "add", "-A")
    git(seed, "commit", "-qm", "the project")
    git(seed, "push", "-q", "origin", "HEAD:main")
    hosts = {}
    for name in ("writer", "reader", "developer", "developer2"):
        clone = tmp_path / name
        git(tmp_path, "clone", "-q", str(upstream), str(clone))
        result = make(clone, venv_bin, "git-setup" if name.startswith("developer") else "compile")
        assert result.returncode == 0, result.stderr
        hosts[name] = clone
    data = tmp_path / "var"
    added = admin(data, "user", "add", "maria", "--languages", "ru", "--email", "maria@example.org",
                  "--password-stdin")
    assert added.returncode == 0, added.stderr
    writer = Site(hosts["writer"], data, "--catalog_sync=origin", f"--sync_interval={SYNC}",
                  f"--commit_interval={COMMIT}", "--origin=https://languages.example.org")
    reader = Server(f"--data_dir={tmp_path / 'var-reader'}", root=hosts["reader"])
    try:
        yield upstream, hosts, writer, reader
    finally:
        writer.stop()
        reader.stop()


def test_git_is_the_catalogs_truth(world, venv_bin):
    upstream, hosts, writer, reader = world
    developer = hosts["developer"]
    maria = Client(writer)
    assert maria.login("maria").status == 303
    listing = maria.get_json("/translate/ru/entries?state=all").json()["entries"]
    chosen = {e["source"][0]: e for e in listing if e["context"] is None and len(e["source"]) == 1}
    saved = {"How the language is chosen": "Как выбирают язык", "Where the data comes from": "Откуда данные"}
    for msgid, text in saved.items():
        entry = chosen[msgid]
        response = maria.put_json(f"/translate/ru/entries/{entry['id']}",
                                  {"translation": [text], "fuzzy": False, "revision": entry["revision"]})
        assert response.status == 200, response.text

    # 1. One commit by maria, touching only the ru catalog, upstream within the interval + 10 s.
    def maria_commit():
        log = out(upstream, "log", "--format=%H %ae", "main").split("\n")
        return next((line.split()[0] for line in log if line.endswith(" maria@example.org")), None)
    commit = poll_until(maria_commit, COMMIT + SYNC + 10, interval=0.2, message="maria's commit never reached upstream")
    assert out(upstream, "show", "--name-only", "--format=", commit) == RU
    assert len([line for line in out(upstream, "log", "--format=%ae", "main").split("\n")
                if line == "maria@example.org"]) == 1

    # 2. The developer adds a plural sentence, updates, commits and pushes.
    add_string(developer, '<p>{{ _("%(count)s new thing", "%(count)s new things", 3) % {"count": 3} }}</p>')
    assert make(developer, venv_bin, "extract", "update", "compile").returncode == 0
    git(developer, "commit", "-qam", "a plural sentence")
    git(developer, "pull", "-q", "--no-rebase", "origin", "main")
    git(developer, "push", "-q", "origin", "HEAD:main")

    def new_entry_listed():
        entries = maria.get_json("/translate/ru/entries?state=all").json()["entries"]
        return next((e for e in entries if e["source"][0] == "%(count)s new thing"), None)
    entry = poll_until(new_entry_listed, SYNC + 15, interval=0.3, message="the new entry never reached the writer")
    assert entry["translation"] == ["", "", ""]
    for msgid, text in saved.items():
        assert find(maria, "ru", chosen[msgid]["id"])["translation"] == [text]
    for host in hosts.values():
        for po in host.glob("locale/*/LC_MESSAGES/messages.po"):
            text = po.read_text(encoding="utf-8")
            assert "<<<<<<<" not in text and ">>>>>>>" not in text

    # 3. Another string, updated without pulling first; git pull merges (and, in a second clone, rebases).
    # (The second clone edits another template: two edits at one place of one template
    # would be a conflict in the source itself.)
    for clone, mode, name in ((developer, "--no-rebase", "about.html"), (hosts["developer2"], "--rebase", "home.html")):
        add_string(clone, f'<p>{{{{ _("Yet another sentence {mode}") }}}}</p>', name)
        assert make(clone, venv_bin, "extract", "update").returncode == 0
        git(clone, "commit", "-qam", f"one more string ({mode})")
        pulled = git(clone, "pull", "-q", mode, "origin", "main", check=False)
        assert pulled.returncode == 0, pulled.stdout + pulled.stderr
        assert out(clone, "status", "--porcelain") == ""
        check = make(clone, venv_bin, "check")
        assert check.returncode == 0, check.stdout + check.stderr
        catalog = po_writer.read_catalog(clone / RU)
        for msgid, text in saved.items():
            assert catalog.get(msgid).string == text
        git(clone, "push", "-q", "origin", "HEAD:main", check=False)

    # 4. The read-only host pulls: its pages show the translators' text; both hosts, one revision.
    poll_until(lambda: health(writer.port)["revision"] == out(upstream, "rev-parse", "main"), SYNC + 15,
               interval=0.3, message="the writer never caught up with upstream")
    pulled = subprocess.run([str(venv_bin / "website-catalog"), "pull"], cwd=hosts["reader"],
                            capture_output=True, text=True)
    assert pulled.returncode == 0, pulled.stderr

    def shows_translation():
        with urllib.request.urlopen(reader.url("/ru/about"), timeout=5) as response:
            return "Как выбирают язык" in response.read().decode("utf-8")
    poll_until(shows_translation, 5, interval=0.1, message="the read-only host never showed the translation")
    assert health(reader.port)["revision"] == health(writer.port)["revision"]

    # 5. The upstream unreachable during a save: the save succeeds, one line logged, then it arrives.
    moved = upstream.with_name("away.git")
    upstream.rename(moved)
    entry = find(maria, "ru", chosen["How the language is chosen"]["id"])
    response = maria.put_json(f"/translate/ru/entries/{entry['id']}",
                              {"translation": ["Как выбирается язык"], "fuzzy": False, "revision": entry["revision"]})
    assert response.status == 200, response.text
    poll_until(lambda: "catalog sync with origin failed" in writer.server.output(), SYNC + 10, interval=0.2)
    failures = [line for line in writer.server.output().split("\n") if "catalog sync with origin failed" in line]
    assert len(failures) <= 3 and all(len(line) < 400 for line in failures)
    moved.rename(upstream)
    poll_until(lambda: "Как выбирается язык" in out(upstream, "show", f"main:{RU}"), COMMIT + SYNC + 10, interval=0.3,
               message="the edit never arrived upstream")
