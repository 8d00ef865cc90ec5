"""Every language's name for itself, its English name and direction, from CLDR.

Each of these needs that language's whole CLDR data, which Babel keeps for
the life of the process once loaded: the three hundred languages read here
held 130 MB for a few strings each, and Babel's locale cache has no public
way to drop one (python-babel/babel PR 1264 would let an unmerged load skip
it). So :func:`read` runs this module as a short-lived child process
(``python -m website.i18n.cldr_names``), which loads them through Babel's
public API, prints the names as JSON and exits, taking the memory with it.
It imports nothing heavier than Babel, and runs without the cyclic garbage
collector (which would walk every locale's data again and again for a
process that lives one second).

>>> russian = [language for language in read() if language["code"] == "ru"][0]
>>> russian["endonym"], russian["english_name"], russian["rtl"]
('русский', 'Russian', False)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import babel
from babel.localedata import locale_identifiers

__all__ = ["read", "language_codes"]


def language_codes() -> list[str]:
    """CLDR's languages: the locale ids that are a bare language code."""
    return sorted(code for code in locale_identifiers() if "_" not in code and code != "root")


def read(processes: int = 2) -> list[dict]:
    """``{"code", "endonym", "english_name", "rtl"}`` of every CLDR language, in code order.

    Read by ``processes`` child processes at once, each taking every
    ``processes``-th language. Raises :class:`RuntimeError` with a child's
    error when one fails.
    """
    package_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    path = os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH", "")) if p)
    children = [
        subprocess.Popen([sys.executable, "-m", __name__, str(part), str(processes)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": path})
        for part in range(processes)
    ]
    names = []
    for child in children:
        out, err = child.communicate(timeout=300)
        if child.returncode != 0:
            raise RuntimeError("could not read CLDR's language names: "
                               + err.decode("utf-8", "replace").strip()[-2000:])
        names += json.loads(out)
    return sorted(names, key=lambda language: language["code"])


def _names(part: int, parts: int) -> list[dict]:
    names = []
    for code in language_codes()[part::parts]:
        locale = babel.Locale.parse(code)
        names.append({
            "code": code,
            "endonym": locale.get_display_name(locale) or code,
            "english_name": locale.get_display_name("en") or code,
            "rtl": locale.character_order == "right-to-left",
        })
    return names


if __name__ == "__main__":
    import gc

    gc.disable()
    json.dump(_names(int(sys.argv[1]), int(sys.argv[2])), sys.stdout, ensure_ascii=False)
