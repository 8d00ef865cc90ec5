"""Shared fixtures: the project's paths and its compiled catalogs.

Tests about the shipped locales assert behaviour given the catalogs, never
that they are complete or how many there are: catalogs change every day, and
a language at 15% is compiled and tested like any other. So they load every
catalog without errors, whatever its share translated (``min_percent=0``).
"""

from __future__ import annotations

import os
import pathlib

import pytest

from website.i18n.catalogs import load_catalogs

ROOT = pathlib.Path(__file__).resolve().parents[1]
LOCALE_DIR = ROOT / "locale"
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
