"""The venv holds exactly what the locks pin, and the locks stay inside pyproject.toml's ranges.

``make venv`` installs ``requirements.lock`` and ``requirements-build.lock``
with their hashes; ``make lock`` writes them from the ranges. Under
``make test-latest`` (``WEBSITE_UNLOCKED=1``) the venv is made from the
ranges alone, so there the installed versions must satisfy the ranges instead.
"""

from __future__ import annotations

import importlib.metadata
import os
import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
LOCKS = (ROOT / "requirements.lock", ROOT / "requirements-build.lock")
UNLOCKED = os.environ.get("WEBSITE_UNLOCKED") == "1"
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)", re.MULTILINE)


def _pins(path: Path) -> dict[str, str]:
    return {canonicalize_name(name): version for name, version in _PIN.findall(path.read_text())}


def _locked() -> dict[str, str]:
    pins: dict[str, str] = {}
    for path in LOCKS:
        for name, version in _pins(path).items():
            assert pins.setdefault(name, version) == version, f"{name} is pinned twice, differently"
    return pins


def _ranges() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [Requirement(r) for r in (*project["dependencies"], *project["optional-dependencies"]["test"])]


def _installed() -> dict[str, str]:
    # What `pip freeze` lists: every distribution but pip itself and the project.
    found = {canonicalize_name(d.metadata["Name"]): d.version for d in importlib.metadata.distributions()}
    found.pop("pip", None)
    found.pop("website", None)
    return found


def test_every_lock_line_carries_hashes():
    for path in LOCKS:
        text = path.read_text()
        for match in _PIN.finditer(text):
            following = text[match.end():].split("\n", 2)
            assert "--hash=sha256:" in "\n".join(following[:2]), f"{path.name}: {match[0]} has no hash"


def test_the_lock_is_inside_the_ranges():
    pins = _pins(LOCKS[0])
    for requirement in _ranges():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is in pyproject.toml but not in requirements.lock: make lock"
        assert Version(pins[name]) in requirement.specifier, (
            f"requirements.lock pins {name}=={pins[name]}, outside pyproject.toml's {requirement}: make lock")


def test_the_venv_holds_what_it_should():
    installed = _installed()
    if not UNLOCKED:
        assert installed == _locked(), "the venv differs from the locks: make venv (or make lock)"
        return
    # make test-latest: the newest releases, each inside its range.
    for requirement in _ranges():
        name = canonicalize_name(requirement.name)
        assert Version(installed[name]) in requirement.specifier, f"{name} {installed[name]} not in {requirement}"
