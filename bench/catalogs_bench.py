"""Catalogs and the tools on them, for ``make bench``: negotiation, collation, loading, check, extract.

Each measurement runs in a fresh process (``python -c``), so that no cache
of this one and no earlier measurement's memory counts: locale negotiation
alone on a realistic ``Accept-Language``, warm and with every cache cleared;
the directory of every shipped locale from cold (issue 13); loading the
shipped catalogs and a generated tree's (:func:`generate_tree`: 100 locales
of 2,000 messages in the full run), time and memory; and ``make check`` and
``make extract`` on both trees, wall clock.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

from common import PYTHON, ROOT, bin_path  # bench/common.py

__all__ = ["negotiation", "collation", "load_catalogs", "generate_tree", "tools"]

REALISTIC_HEADER = "ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7"


def negotiation() -> dict:
    """Microseconds per request to choose the locale of a realistic header, warm and cold."""
    code = f"""
import functools, timeit, json
from tornado.httputil import HTTPHeaders, HTTPServerRequest
from website.i18n.catalogs import load_catalogs
from website.handlers import locale_chain
from website.i18n import negotiation, tags
catalogs = load_catalogs({str(ROOT / 'locale')!r})
requests = [HTTPServerRequest(method="GET", uri="/", headers=HTTPHeaders({{"Accept-Language": h}}))
            for h in [{REALISTIC_HEADER!r}] * 1]
request = requests[0]
choose = lambda: locale_chain.choose(request, catalogs.tags, catalogs.default)
n = 20000
warm = min(timeit.repeat(choose, number=n, repeat=5)) / n * 1e6
def cold():
    for f in (negotiation.best_match, tags.parse, tags.maximize):
        f.cache_clear()
    choose()
cold_us = min(timeit.repeat(cold, number=200, repeat=5)) / 200 * 1e6
print(json.dumps({{"warm_us": warm, "cold_us": cold_us}}))
"""
    result = json.loads(subprocess.run([PYTHON, "-c", code], capture_output=True, text=True, check=True).stdout)
    result["header"] = REALISTIC_HEADER
    return result


def collation() -> dict:
    """Issue 13: building the directory of every shipped locale, from cold.

    ``seconds`` is what start-up spends per process (CLDR names from Babel,
    ICU sort keys and search folding); ``icu_seconds`` is ICU's part alone
    (collators, keys and folding tables, built again on fresh collators).
    """
    code = f"""
import json, time
from website.i18n.catalogs import load_catalogs
from website import directory
from website.i18n import locale_data
catalogs = load_catalogs({str(ROOT / 'locale')!r})
ids = [catalogs.get(tag).info.gettext_id for tag in catalogs.tags]
start = time.perf_counter()
listings = [directory.entries(i) for i in ids]
seconds = time.perf_counter() - start
locale_data._collator.cache_clear()
start = time.perf_counter()
for i, listing in zip(ids, listings):
    key = locale_data.sort_key(listing.locale_id)
    keys = [key(e.name) for e in listing]
    locale_data.SearchFolding(listing.locale_id, [t for e in listing for t in (e.name, e.endonym, e.english_name, e.tag)])
icu_seconds = time.perf_counter() - start
print(json.dumps({{"locales": len(ids), "entries": sum(map(len, listings)), "seconds": seconds,
                   "icu_seconds": icu_seconds}}))
"""
    return json.loads(subprocess.run([PYTHON, "-c", code], capture_output=True, text=True, check=True).stdout)


def load_catalogs(locale_dir: Path) -> dict:
    """Loading the catalogs of ``locale_dir`` in a fresh process: locales, seconds, memory."""
    code = f"""
import json, re, time
def rss_mb():
    return int(re.search(r"VmRSS:\\s+(\\d+) kB", open("/proc/self/status").read())[1]) / 1024
import website.i18n.catalogs
before = rss_mb()
start = time.perf_counter()
catalogs = website.i18n.catalogs.load_catalogs({str(locale_dir)!r})
elapsed = time.perf_counter() - start
after = rss_mb()
print(json.dumps({{"locales": len(catalogs), "seconds": elapsed, "memory_mb": after - before,
                   "process_rss_mb": after}}))
"""
    return json.loads(subprocess.run([PYTHON, "-c", code], capture_output=True, text=True, check=True).stdout)


def generate_tree(root: Path, locales: int, messages: int) -> Path:
    """A project tree with ``locales`` complete catalogs of ``messages`` each, and templates."""
    import babel
    import polib
    from babel.localedata import locale_identifiers

    from website.i18n import plural_forms

    (root / "templates").mkdir(parents=True)
    for name in ("Makefile", "babel.cfg"):
        shutil.copy(ROOT / name, root / name)
    shutil.copytree(ROOT / "site", root / "site", ignore=shutil.ignore_patterns("__pycache__"))
    per_file = 100
    ids = [(f"Generated message number {n}", f"Generated messages number {n}" if n % 10 == 0 else None)
           for n in range(messages)]
    for first in range(0, messages, per_file):
        lines = []
        for msgid, plural in ids[first:first + per_file]:
            if plural:
                lines.append(f'<p>{{{{ _("{msgid} %(count)s", "{plural} %(count)s", n) % dict(count=n) }}}}</p>')
            else:
                lines.append(f'<p>{{{{ _("{msgid}") }}}}</p>')
        (root / "templates" / f"page{first // per_file}.html").write_text("\n".join(lines) + "\n")
    # Languages whose CLDR plural header is known (the project's table or Babel's agrees).
    chosen = []
    for code in sorted(i for i in locale_identifiers() if "_" not in i and i != "root"):
        try:
            header = plural_forms.plural_forms(code)
            if not plural_forms.header_mismatches(header, code, limit=1):
                chosen.append((code, header))
        except (ValueError, babel.UnknownLocaleError, KeyError):
            continue
        if len(chosen) == locales:
            break
    template = polib.POFile()
    template.metadata = {"Content-Type": "text/plain; charset=utf-8"}
    for msgid, plural in ids:
        if plural:
            template.append(polib.POEntry(msgid=msgid + " %(count)s", msgid_plural=plural + " %(count)s",
                                          msgstr_plural={0: "", 1: ""}, flags=["python-format"]))
        else:
            template.append(polib.POEntry(msgid=msgid, msgstr=""))
    (root / "locale").mkdir()
    template.save(str(root / "locale" / "messages.pot"))
    for code, header in chosen:
        nplurals, _ = plural_forms.parse_header(header)
        po = polib.POFile()
        po.metadata = {"Content-Type": "text/plain; charset=utf-8", "Language": code, "Plural-Forms": header}
        for msgid, plural in ids:
            if plural:
                po.append(polib.POEntry(
                    msgid=msgid + " %(count)s", msgid_plural=plural + " %(count)s", flags=["python-format"],
                    msgstr_plural={i: f"[{code}:{i}] {msgid} %(count)s" for i in range(nplurals)}))
            else:
                po.append(polib.POEntry(msgid=msgid, msgstr=f"[{code}] {msgid}"))
        folder = root / "locale" / code / "LC_MESSAGES"
        folder.mkdir(parents=True)
        po.save(str(folder / "messages.po"))
    # As `make compile` does: each .mo with its verdict, which the server reads.
    subprocess.run([bin_path("website-catalog"), "compile", f"--locale-dir={root / 'locale'}"],
                   capture_output=True, check=True)
    return root


def _make(project: Path, target: str, pot: Path) -> list[str]:
    """``make target`` in ``project`` with this virtualenv, which make must take as built."""
    venv = Path(PYTHON).parent.parent
    return ["make", "--no-print-directory", "-C", str(project), f"VENV={venv}",
            f"--old-file={venv}/.installed", f"POT={pot}", target]


def _wall(command: list[str]) -> float:
    began = time.perf_counter()
    subprocess.run(command, capture_output=True, check=False)
    return time.perf_counter() - began



def tools(tmp: Path, generated: Path) -> dict:
    """``make check`` and ``make extract`` on the shipped tree and on ``generated``, seconds each."""
    return {
        "check_shipped_s": _wall([bin_path("website-catalog"), "check", f"--locale-dir={ROOT / 'locale'}"]),
        "check_generated_s": _wall([bin_path("website-catalog"), "check", f"--locale-dir={generated / 'locale'}"]),
        "extract_shipped_s": _wall(_make(ROOT, "extract", pot=tmp / "shipped.pot")),
        "extract_generated_s": _wall(_make(generated, "extract", pot=generated / "locale" / "messages.pot")),
    }
