"""The README's "How it is built" tree names the files that exist, and every module.

A newcomer reads the architecture from that tree: a module missing from it,
or a name in it that no longer exists, misleads them.
"""

from __future__ import annotations

import re

from conftest import ROOT

README = ROOT / "README.md"


def _tree_paths() -> set[str]:
    """Paths the tree names, built from its indentation (``js/x.js`` under ``static/``...)."""
    text = README.read_text(encoding="utf-8")
    block = text.split("## How it is built", 1)[1].split("```", 2)[1]
    paths: set[str] = set()
    parents: list[tuple[int, str]] = []
    for line in block.splitlines():
        match = re.match(r"( *)([^\s,]+(?:, [^\s,]+)*)(?:\s|$)", line)
        if not match or not match.group(2) or line.startswith(" " * 20):
            continue  # a continued description
        indent, names = len(match.group(1)), match.group(2)
        while parents and parents[-1][0] >= indent:
            parents.pop()
        base = "".join(name for _, name in parents)
        for name in names.split(", "):
            paths.add(base + name)
        if names.endswith("/"):
            parents.append((indent, names))
    return paths


def test_every_module_of_the_package_is_in_the_tree():
    named = _tree_paths()
    modules = {str(path.relative_to(ROOT)) for path in (ROOT / "site" / "website").rglob("*.py")
               if path.name != "__init__.py"}
    assert sorted(modules - named) == []


def test_every_file_the_tree_names_exists():
    missing = [path for path in _tree_paths()
               if "<" not in path and "*" not in path and not (ROOT / path).exists()]
    assert missing == []
