"""Shared fixtures: the project's paths and its compiled catalogs."""

from __future__ import annotations

import os
import pathlib

import pytest

from website.i18n.catalogs import load_catalogs

ROOT = pathlib.Path(__file__).resolve().parents[1]
LOCALE_DIR = ROOT / "locale"
SHIPPED = ("en", "ar", "de", "es", "fa", "fr", "he", "ja", "pl", "pt-BR", "ru", "uk", "zh-Hans")


@pytest.fixture(scope="session")
def catalogs():
    """The shipped catalogs, as `make compile` built them."""
    loaded = load_catalogs(str(LOCALE_DIR))
    missing = [tag for tag in SHIPPED if tag not in loaded]
    if missing:
        pytest.fail(f"catalogs not loaded: {missing}; run 'make compile' (make test does)")
    return loaded


@pytest.fixture(scope="session")
def venv_bin():
    """Where the project's own pybabel and console scripts are."""
    return pathlib.Path(os.environ.get("VIRTUAL_ENV", ROOT / ".venv")) / "bin"
