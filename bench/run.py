"""``make bench``: how fast the site is, measured the same way every time.

The site (one process, debug off) runs pinned to CPU 0; wrk, from Debian,
drives it from CPU 1. Pages are the prefixed ones (/ru/), served from the
page cache, with the page cache off (a second process), and through the
shipped nginx config (pinned with the site). Every page figure is the median of several runs, with
min and max, and all pages are measured in interleaved rounds so that the
ratios hold on a noisy machine. Also measured: locale negotiation alone,
catalog loading (shipped, and 100 generated locales of 2,000 messages),
``make check`` and ``make extract`` on both trees, 5,000 idle keep-alive
connections held open during load, and for living catalogs: start-up to the
first answer (shipped vs generated catalogs), the longest request while one
and then every generated catalog reloads, and the server's resident memory;
and the same page in Tornado alone, Flask-Babel, Django and the project's own
machinery (``../shared/peers``, served by ``bench/peers_app.py``).

Writes ``build/bench/report.json`` and ``build/bench/report.md``. This file
only runs the parts in order and writes the report, so that each part can
be read and changed on its own: ``pages_bench.py`` (pages, idle
connections), ``peers_bench.py`` (the peers' page), ``catalogs_bench.py``
(negotiation, collation, catalog loading, check and extract),
``living_bench.py`` (living catalogs), ``workspace_bench.py``,
``git_bench.py``, and ``reporting.py`` (the targets, the markdown). Each
part imports ``bench/common.py`` and no other part; ``reporting.py`` alone
imports parts, for their markdown and page paths, and no part imports it.
``--smoke`` is the few-seconds version ``make test`` runs to keep this
script working; it asserts nothing about speed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from pathlib import Path

import catalogs_bench  # bench/catalogs_bench.py
import git_bench  # bench/git_bench.py
import living_bench  # bench/living_bench.py
import pages_bench  # bench/pages_bench.py
import peers_bench  # bench/peers_bench.py
import reporting  # bench/reporting.py
import workspace_bench  # bench/workspace_bench.py
from common import ROOT  # bench/common.py

__all__ = ["main"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--smoke", action="store_true", help="a few seconds, for make test")
    parser.add_argument("--out", default=str(ROOT / "build" / "bench"))
    args = parser.parse_args(argv)
    size = dict(runs=1, seconds=1, idle=200, locales=5, messages=200) if args.smoke else dict(
        runs=5, seconds=5, idle=5000, locales=100, messages=2000)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    report = {"smoke": args.smoke, "size": size, "machine": _machine()}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        report["pages"], report["idle"] = pages_bench.run(size)
        report["peers"] = peers_bench.run(size, tmp / "peers")
        report["negotiation"] = catalogs_bench.negotiation()
        report["collation"] = catalogs_bench.collation()
        generated = catalogs_bench.generate_tree(tmp / "generated", size["locales"], size["messages"])
        report["catalogs"] = {
            "shipped": catalogs_bench.load_catalogs(ROOT / "locale"),
            "generated": catalogs_bench.load_catalogs(generated / "locale"),
        }
        report["living"] = living_bench.run(tmp, generated, size)
        report["tools"] = catalogs_bench.tools(tmp, generated)
        report["workspace"] = workspace_bench.run(tmp / "workspace", size)
        report["git"] = git_bench.run(tmp / "git", size)
    report["targets"] = reporting.targets(report)
    (out / "report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    (out / "report.md").write_text(reporting.markdown(report))
    print((out / "report.md").read_text())
    return 0


def _machine() -> str:
    """The CPUs the figures were measured on, for the report's first line."""
    model = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
    return f"{os.cpu_count()} CPUs, {model[1].strip() if model else 'unknown CPU'}"


if __name__ == "__main__":
    sys.exit(main())
