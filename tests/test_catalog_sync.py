"""The workspace's git commits and sync (website.workspace.catalog_sync) with real git repositories."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from babel.messages.catalog import Catalog

from website.toolchain import catalog_setup, checks, po_writer
from website.workspace.catalog_sync import CatalogSync
from website.workspace.service import Workspace

from catalog_builder import build
from conftest import ROOT
from git_repos import git, upstream_and_clone

RU = "locale/ru/LC_MESSAGES/messages.po"
PASSWORD = "correct horse battery"


@pytest.fixture
def setup(tmp_path):
    upstream, developer = upstream_and_clone(tmp_path, "developer")
    for name in (".gitignore", ".gitattributes"):
        shutil.copy(ROOT / name, developer / name)
    build(developer / "locale", ["ru", "fr"])
    paths = [str(developer / "locale" / i / "LC_MESSAGES" / "messages.po") for i in ("ru", "fr")]
    catalog_setup.update_catalogs(paths, template=str(developer / "locale" / "messages.pot"))
    git(developer, "add", "-A")
    git(developer, "commit", "-qm", "catalogs")
    git(developer, "push", "-q", "origin", "HEAD:main")
    writer = tmp_path / "writer"
    git(tmp_path, "clone", "-q", str(upstream), str(writer))
    workspace = Workspace.open(tmp_path / "var", writer / "locale")
    workspace.accounts.add_user("maria", PASSWORD, "ru", email="maria@example.org")
    workspace.accounts.add_user("ivan", PASSWORD, "ru")
    syncer = CatalogSync(workspace, origin="https://languages.example.org", remote="origin")
    return upstream, developer, writer, workspace, syncer


def save(workspace, msgid, text, account):
    entries, _ = workspace.store.listing("ru")
    entry = next(e for e in entries if e["source"][0] == msgid)
    result = workspace.store.save("ru", entry["id"], [text] * len(entry["translation"]), False,
                                  entry["revision"], account=account)
    assert result.status == "saved", result
    return entry


def test_saves_become_one_commit_per_translator_touching_only_their_catalog(setup):
    upstream, _developer, writer, workspace, syncer = setup
    save(workspace, "About this site", "О сайте", "maria")
    save(workspace, "How the language is chosen", "Как выбирается язык", "maria")
    save(workspace, "Where the data comes from", "Откуда данные", "ivan")
    made = syncer.commit_pending()
    assert len(made) == 2
    assert syncer.commit_pending() == []  # nothing left
    log = git(writer, "log", "--format=%an <%ae>|%cn|%s", "-2").split("\n")
    assert log[1].startswith("maria <maria@example.org>|Languages of the World site|ru: 2 entries")
    assert log[0].startswith("ivan <ivan@languages.example.org>|")
    for commit in made:
        assert git(writer, "show", "--name-only", "--format=", commit) == RU
    # maria's commit holds her entries only; ivan's the file as it is on disk.
    first = git(writer, "show", f"{made[0]}:{RU}")
    assert "О сайте" in first and "Откуда данные" not in first
    assert git(writer, "show", f"HEAD:{RU}") == (writer / RU).read_text(encoding="utf-8").rstrip("\n")
    assert git(writer, "status", "--porcelain") == ""
    report = syncer.sync()
    assert report.error == ""
    assert report.summary() == "sync: 2 commits pushed, 0 entries from upstream, 0 kept from the workspace, 0 lost"
    assert git(upstream, "rev-parse", "main") == git(writer, "rev-parse", "HEAD")


def test_an_accepted_suggestion_is_the_translators_commit_co_authored_by_its_author(setup):
    _upstream, _developer, writer, workspace, syncer = setup
    workspace.accounts.add_user("sasha", PASSWORD, (), suggest_only=("ru",), email="sasha@example.org")
    workspace.accounts.add_user("olga", PASSWORD, (), suggest_only=("ru",))  # no address
    entries, _ = workspace.store.listing("ru")
    offered = {}
    for author, msgid, text in (("sasha", "About this site", "О сайте (от Саши)"),
                                ("olga", "Where the data comes from", "Откуда данные (от Ольги)")):
        entry = next(e for e in entries if e["source"][0] == msgid)
        offered[author] = (entry, workspace.review.suggest("ru", entry["id"], [text], author=author))
    for author, (entry, offer) in offered.items():
        result = workspace.review.accept("ru", entry["id"], offer["id"], account="maria")
        assert result.status == "saved", result
        # the history credits the suggestion's author
        assert workspace.history.of_entry("ru", entry["id"])[0]["account"] == author
    save(workspace, "How the language is chosen", "Как выбирается язык", "maria")  # her own work joins it
    [commit] = syncer.commit_pending()
    assert git(writer, "log", "-1", "--format=%an <%ae>", commit) == "maria <maria@example.org>"
    # git's own trailer parser finds them: the message's last paragraph, well formed
    trailers = git(writer, "log", "-1", "--format=%(trailers:key=Co-authored-by)", commit).strip().split("\n")
    assert trailers == ["Co-authored-by: olga <olga@languages.example.org>",
                        "Co-authored-by: sasha <sasha@example.org>"]
    assert "О сайте (от Саши)" in git(writer, "show", f"{commit}:{RU}")
    # a translator's own save credits no one else
    save(workspace, "About this site", "О сайте", "maria")
    [plain] = syncer.commit_pending()
    assert git(writer, "log", "-1", "--format=%(trailers)", plain).strip() == ""


def _add_to_template(developer, msgid):
    pot_path = developer / "locale" / "messages.pot"
    pot = po_writer.read_catalog(pot_path)
    pot.add(msgid, locations=[("templates/new.html", 1)],
            flags=("python-format",) if isinstance(msgid, tuple) else ())
    pot.creation_date = dt.datetime.now(dt.timezone.utc)
    po_writer.write_catalog(pot_path, pot)


def test_a_developer_update_and_the_translators_work_both_arrive(setup):
    upstream, developer, writer, workspace, syncer = setup
    save(workspace, "About this site", "О сайте", "maria")
    save(workspace, "How the language is chosen", "Как выбирается язык", "maria")
    # The developer adds a plural sentence, updates, and changes one translation too.
    _add_to_template(developer, ("%(count)s new thing", "%(count)s new things"))
    paths = [str(developer / "locale" / i / "LC_MESSAGES" / "messages.po") for i in ("ru", "fr")]
    catalog_setup.update_catalogs(paths, template=str(developer / "locale" / "messages.pot"))
    ru = po_writer.read_catalog(developer / RU)
    ru.get("How the language is chosen").string = "Как выбирается язык!"
    po_writer.write_catalog(developer / RU, ru)
    git(developer, "commit", "-qam", "a new plural sentence")
    git(developer, "push", "-q", "origin", "HEAD:main")
    report = syncer.sync()
    assert report.error == ""
    assert report.commits_pushed == 2  # maria's, and the merge
    assert len(report.kept) == 1
    assert report.summary().endswith("1 kept from the workspace, 0 lost")
    text = (writer / RU).read_text(encoding="utf-8")
    assert "<<<<<<<" not in text and ">>>>>>>" not in text
    catalog = po_writer.parse(text)
    assert catalog.get("%(count)s new thing").string == ("", "", "")
    assert catalog.get("About this site").string == "О сайте"
    assert catalog.get("How the language is chosen").string == "Как выбирается язык"  # the workspace's, kept
    entries, _ = workspace.store.listing("ru")
    languages = next(e for e in entries if e["source"][0] == "How the language is chosen")
    history = workspace.history.of_entry("ru", languages["id"])
    assert history[0]["origin"] == "repository"
    assert history[0]["before"]["translation"] == ["Как выбирается язык!"]  # the repository's, one revert away
    assert any(e["source"][0] == "%(count)s new thing" and e["translation"] == ["", "", ""] for e in entries)
    assert git(upstream, "rev-parse", "main") == git(writer, "rev-parse", "HEAD")
    assert all(p.severity != checks.ERROR for p in checks.check_file(str(writer / RU)))


def test_a_template_change_alone_is_merged_into_the_catalogs(setup):
    _upstream, developer, writer, _workspace, syncer = setup
    _add_to_template(developer, "Only in the template")
    git(developer, "commit", "-qam", "template only")
    git(developer, "push", "-q", "origin", "HEAD:main")
    report = syncer.sync()
    assert report.error == ""
    for gettext_id in ("ru", "fr"):
        catalog = po_writer.read_catalog(writer / "locale" / gettext_id / "LC_MESSAGES" / "messages.po")
        assert catalog.get("Only in the template") is not None


def test_an_unreachable_remote_is_one_failure_and_the_next_sync_catches_up(setup, caplog):
    upstream, _developer, writer, workspace, syncer = setup
    moved = upstream.with_name("moved.git")
    upstream.rename(moved)
    save(workspace, "About this site", "О сайте", "maria")
    with caplog.at_level("WARNING", logger="website.workspace.catalog_sync"):
        report = syncer.sync()
    assert report.error
    assert len([r for r in caplog.records if r.name == "website.workspace.catalog_sync"]) == 1
    moved.rename(upstream)
    report = syncer.sync()
    assert report.error == "" and report.commits_pushed == 1
    assert "О сайте" in git(upstream, "show", f"main:{RU}")


def test_a_save_between_the_commit_and_the_merge_is_kept_and_the_sync_succeeds(setup):
    upstream, developer, writer, workspace, syncer = setup
    save(workspace, "About this site", "О сайте", "maria")
    # Upstream changes two entries of ru; a save landing after the sync's commit changes one of them.
    ru = po_writer.read_catalog(developer / RU)
    ru.get("Where the data comes from").string = "Откуда берутся данные"
    ru.get("How the language is chosen").string = "Как выбирается язык (репозиторий)"
    po_writer.write_catalog(developer / RU, ru)
    git(developer, "commit", "-qam", "two ru entries")
    git(developer, "push", "-q", "origin", "HEAD:main")
    commit_pending, landed = syncer.commit_pending, []

    def commit_then_a_save_lands(window=0.0):
        made = commit_pending(window)
        if not landed:  # the sync's first commit is made; a translator saves before its merge
            landed.append(save(workspace, "How the language is chosen", "Как выбирается язык", "ivan"))
        return made

    syncer.commit_pending = commit_then_a_save_lands
    report = syncer.sync()
    assert report.error == ""
    assert report.summary().endswith("1 kept from the workspace, 0 lost")
    catalog = po_writer.read_catalog(writer / RU)
    assert catalog.get("About this site").string == "О сайте"
    assert catalog.get("Where the data comes from").string == "Откуда берутся данные"  # upstream's
    assert catalog.get("How the language is chosen").string == "Как выбирается язык"  # the late save's
    history = workspace.history.of_entry("ru", landed[0]["id"])
    assert (history[0]["origin"], history[0]["before"]["translation"]) == (
        "repository", ["Как выбирается язык (репозиторий)"])
    assert all(p.severity != checks.ERROR for p in checks.check_file(str(writer / RU)))
    syncer.commit_pending = commit_pending
    report = syncer.sync()  # the next sync commits the late save, as any other
    assert report.error == "" and report.commits_pushed == 1
    pushed = po_writer.parse(git(upstream, "show", f"main:{RU}") + "\n")
    assert pushed.get("How the language is chosen").string == "Как выбирается язык"
    assert pushed.get("Where the data comes from").string == "Откуда берутся данные"
    assert git(writer, "status", "--porcelain") == ""
