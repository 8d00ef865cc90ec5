"""Shared fixtures (the project's paths, its compiled catalogs) and each test's tier.

Most tests build the catalogs they need (tests/catalog_builder.py). The few
about the shipped catalogs assert behaviour given them, never that they are
complete or how many there are: catalogs change every day, and a language at
15% is compiled and tested like any other. So they load every catalog
without errors, whatever its share translated (``min_percent=0``).
"""

from __future__ import annotations

import os
import pathlib

import pytest
from hypothesis import HealthCheck, settings

from website.i18n.catalogs import load_catalogs

ROOT = pathlib.Path(__file__).resolve().parents[1]
LOCALE_DIR = ROOT / "locale"
# Property tests: `make test` runs a bounded, derandomized profile (the same
# examples on every machine, no example database); `make fuzz` many more.
settings.register_profile("ci", max_examples=300, derandomize=True, database=None, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=50_000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# Every catalog that compiles is served in tests, complete or not.
ANY_SHARE = 0.0


def shipped_catalogs():
    """The shipped catalogs as `make compile` built them, each served whatever its progress."""
    return load_catalogs(str(LOCALE_DIR), min_percent=ANY_SHARE)


@pytest.fixture(scope="session")
def catalogs():
    """The shipped catalogs; fails when `make compile` was not run."""
    loaded = shipped_catalogs()
    missing = sorted(key for key, status in loaded.statuses.items() if not status.served)
    if missing:
        notes = "; ".join(f"{key}: {loaded.statuses[key].note}" for key in missing)
        pytest.fail(f"catalogs not served: {notes} (make test runs 'make compile')")
    return loaded


@pytest.fixture(scope="session")
def venv_bin():
    """Where the project's own pybabel and console scripts are."""
    return pathlib.Path(os.environ.get("VIRTUAL_ENV", ROOT / ".venv")) / "bin"


# Every test belongs to exactly one tier, chosen here by file (and, where a
# file mixes kinds, by test): `make test-fast` runs the unit tier alone.
#   unit         in-process only: functions, AsyncHTTPTestCase, temporary files;
#                no server process, subprocess, browser or database file
#   integration  real processes: the server, make/pybabel, nginx, SQLite files
#   browser      Debian's Chromium through Playwright
# A file missing here fails at collection instead of joining a tier silently.
TIERS = {
    "catalog_builder.py": "unit",  # the doctests of the shared modules
    "harness.py": "unit",
    "git_repos.py": "unit",
    "test_bench_smoke.py": "integration",
    "test_browser.py": "browser",
    "test_browser_csp.py": "browser",
    "test_catalogs.py": "unit",
    "test_checks.py": "unit",
    "test_collation.py": "unit",
    "test_collation_pages.py": "unit",
    "test_escaping.py": "unit",
    "test_extract.py": "unit",
    "test_fallback.py": "unit",
    "test_gate_property.py": "unit",
    "test_formatting.py": "unit",
    "test_handlers_base.py": "unit",
    "test_handlers_caching.py": "unit",
    "test_handlers_languages.py": "unit",
    "test_handlers_locale_chain.py": "unit",
    "test_handlers_localized.py": "unit",
    "test_handlers_pages.py": "unit",
    "test_handlers_sitemap.py": "unit",
    "test_handlers_static.py": "unit",
    "test_handlers_translations.py": "unit",
    "test_translator_marks.py": "unit",
    "test_js_catalog.py": "unit",
    "test_languages_complete.py": "unit",
    "test_library_internals.py": "unit",
    "test_limits.py": "integration",
    "test_live_reload.py": "integration",
    "test_living_catalogs.py": "integration",
    "test_lock.py": "unit",
    "test_memory.py": "integration",
    "test_negotiation.py": "unit",
    "test_nginx.py": "integration",
    "test_pipeline.py": "integration",
    "test_po_writers.py": "integration",
    "test_plural_forms.py": "unit",
    "test_pseudo.py": "unit",
    "test_reloader.py": "unit",
    "test_runtime_fallback.py": "integration",
    "test_security.py": "unit",
    "test_server.py": "integration",
    "test_tags.py": "unit",
    "test_translation.py": "unit",
    "test_translator_browser.py": "browser",
    "test_translator_walk_browser.py": "browser",
    "test_translator_mode.py": "integration",
    "test_workspace_accounts.py": "integration",
    "test_workspace_api.py": "integration",
    "test_workspace_browser.py": "browser",
    "test_workspace_concurrency.py": "integration",
    "test_workspace_gate.py": "integration",
    "test_workspace_hardening.py": "integration",
    "test_workspace_po_store.py": "integration",  # a workspace: its SQLite file
    "test_deferred.py": "unit",
    "test_workspace_upload.py": "integration",  # a workspace: its SQLite file
    "test_layers.py": "unit",
    "test_readme_tree.py": "unit",
    "test_placeholders.py": "unit",
    "test_browser_placeholders.py": "browser",
    "test_page_cache_hits.py": "unit",
    "test_nginx_config.py": "unit",  # reads the config file only
    "test_compiling.py": "integration",  # runs the CLI
    "test_files.py": "integration",  # a child process's pid
    "test_translator_mode_hook.py": "integration",  # a workspace: its SQLite file
    "test_po_writer.py": "unit",
    "test_po_merge.py": "unit",
    "test_git_catalogs.py": "integration",  # git, the CLI
    "test_catalog_sync.py": "integration",  # git, a workspace
    "test_catalogs_in_git.py": "integration",  # git, servers, make
}
# Tests whose tier is not their file's.
TEST_TIERS = {
    "test_checks.py::test_worker_processes_give_the_same_report": "integration",  # a process pool
    "test_fallback.py::test_browser_shows_the_source_with_the_source_rule": "browser",
    "test_pipeline.py::test_every_catalog_has_every_template_message": "unit",  # reads files only
    "test_handlers_translations.py::test_init_and_update_write_the_contact": "integration",  # make
    "test_workspace_po_store.py::test_ids_are_stable_url_safe_and_tell_contexts_apart": "unit",
    "test_workspace_po_store.py::test_the_revision_covers_every_form_and_the_fuzzy_flag": "unit",
    "test_workspace_po_store.py::test_write_atomically_replaces_the_file_and_leaves_no_temporary": "unit",
}
TEST_TIERS["test_po_writer.py::test_one_new_string_changes_only_its_entry_and_the_pot_date"] = "integration"  # make, git
TEST_TIERS["test_po_merge.py::test_git_pull_merges_an_update_with_the_translators_work[--no-rebase]"] = "integration"
TEST_TIERS["test_po_merge.py::test_git_pull_merges_an_update_with_the_translators_work[--rebase]"] = "integration"
TEST_TIERS["test_git_catalogs.py::HealthTest::test_health_names_the_catalogs_served"] = "unit"
TIER_NAMES = ("unit", "integration", "browser")


def pytest_collection_modifyitems(config, items):
    """Give each test its tier, or fail naming the tests with none or two.

    A tier marked on the test itself (``pytestmark`` or a decorator) wins;
    otherwise TEST_TIERS, then TIERS, decide; the package's doctests are unit.
    """
    package = ROOT / "site"
    problems = []
    for item in items:
        path = pathlib.Path(str(item.path))
        own = {m.name for m in item.iter_markers() if m.name in TIER_NAMES}
        if len(own) > 1:
            problems.append(f"{item.nodeid}: two tiers ({', '.join(sorted(own))})")
            continue
        if own:
            continue
        if path.is_relative_to(package):
            tier = "unit"
        else:
            test = item.nodeid.split("::", 1)[-1].split("[")[0]
            tier = TEST_TIERS.get(f"{path.name}::{test}") or TIERS.get(path.name)
        if tier is None:
            problems.append(f"{item.nodeid}: no tier: add {path.name} to TIERS in tests/conftest.py")
        else:
            item.add_marker(getattr(pytest.mark, tier))
    if problems:
        raise pytest.UsageError("tests without exactly one tier:\n  " + "\n  ".join(problems))
