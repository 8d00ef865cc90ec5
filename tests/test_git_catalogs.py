"""website-catalog pull (website.toolchain.git_catalogs) with real git, and GET /healthz."""

from __future__ import annotations

import json
import os
import subprocess

import pytest
from tornado.testing import AsyncHTTPTestCase

from website.app import make_app
from website.i18n.catalogs import load_catalogs
from website.i18n.revision import read_revision

from catalog_builder import build, site_root
from conftest import ROOT
from git_repos import git, upstream_and_clone

PO = "locale/ru/LC_MESSAGES/messages.po"


@pytest.fixture
def hosts(tmp_path):
    upstream, developer = upstream_and_clone(tmp_path, "developer")
    (developer / ".gitignore").write_text((ROOT / ".gitignore").read_text())
    build(developer / "locale", ["ru", "fr"])
    (developer / "README").write_text("one\n")
    git(developer, "add", "-A")
    git(developer, "commit", "-qm", "catalogs")
    git(developer, "push", "-q", "origin", "HEAD:main")
    reader = tmp_path / "reader"
    git(tmp_path, "clone", "-q", str(upstream), str(reader))
    return developer, reader


def pull(reader, venv_bin, *args):
    return subprocess.run([str(venv_bin / "website-catalog"), "pull", *args], cwd=reader,
                          capture_output=True, text=True)


def test_pull_brings_locale_only_and_compiles_it(hosts, venv_bin):
    developer, reader = hosts
    head = git(reader, "rev-parse", "HEAD")
    text = (developer / PO).read_text(encoding="utf-8")
    (developer / PO).write_text(text.replace("⟦ru⟧About this site", "О сайте"), encoding="utf-8")
    (developer / "README").write_text("two\n")
    os.remove(developer / "locale" / "fr" / "LC_MESSAGES" / "messages.po")
    git(developer, "commit", "-qam", "ru: one entry; fr gone; README")
    git(developer, "push", "-q", "origin", "HEAD:main")
    result = pull(reader, venv_bin)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("pull: locale at ")
    upstream_head = git(developer, "rev-parse", "HEAD")
    assert read_revision(reader / "locale") == upstream_head
    assert "О сайте" in (reader / PO).read_text(encoding="utf-8")
    assert not (reader / "locale" / "fr" / "LC_MESSAGES" / "messages.po").exists()
    assert (reader / "README").read_text() == "one\n"  # only locale/
    assert git(reader, "rev-parse", "HEAD") == head
    catalogs = load_catalogs(str(reader / "locale"), min_percent=0)
    assert catalogs.get("ru").translator.translate("About this site") == "О сайте"
    # Nothing new: nothing written.
    again = pull(reader, venv_bin, "--remote", "origin", "--branch", "main")
    assert again.returncode == 0 and ", 0 files changed" in again.stdout


def test_an_unreachable_remote_fails_with_one_line(hosts, venv_bin):
    _developer, reader = hosts
    result = pull(reader, venv_bin, "--remote", str(reader.parent / "nowhere.git"))
    assert result.returncode == 1
    assert len(result.stderr.strip().split("\n")) == 1 and "website-catalog pull:" in result.stderr


class HealthTest(AsyncHTTPTestCase):
    def get_app(self):
        self.root = site_root()
        return make_app(load_catalogs(str(self.root / "locale"), min_percent=0), root=self.root)

    def test_health_names_the_catalogs_served(self):
        response = self.fetch("/healthz")
        assert response.code == 200
        assert response.headers["Cache-Control"] == "private, no-store"
        catalogs = json.loads(response.body)["catalogs"]
        assert set(catalogs) == {"revision", "locales", "loaded_at"}
        assert catalogs["locales"] == len(self._app.settings["catalogs"])
        assert catalogs["revision"] == read_revision(self.root / "locale")
        assert catalogs["loaded_at"].endswith("Z")
