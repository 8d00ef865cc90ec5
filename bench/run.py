"""``make bench``: how fast the site is, measured the same way every time.

The site (one process, debug off) runs pinned to CPU 0; wrk, from Debian,
drives it from CPU 1. Every page figure is the median of several runs, with
min and max, and all pages are measured in interleaved rounds so that the
ratios hold on a noisy machine. Also measured: locale negotiation alone,
catalog loading (shipped, and 100 generated locales of 2,000 messages),
``make check`` and ``make extract`` on both trees, and 5,000 idle keep-alive
connections held open during load; and the same page in Tornado alone,
Flask-Babel, Django and the project's own machinery (``../shared/peers``,
served by ``bench/peers_app.py``).

Writes ``build/bench/report.json`` and ``build/bench/report.md``.
``--smoke`` is the few-seconds version ``make test`` runs to keep this
script working; it asserts nothing about speed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
SERVER_CPU, LOAD_CPU = "0", "1"
REALISTIC_HEADER = "ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7"
# The directory's search and a language page (issue 13 watches both), in one
# place: when pages move under /<lang>/, only these change.
LANGUAGES_SEARCH_PATH = "/languages?q=a"
LANGUAGE_PAGE_PATH = "/languages/ru"

TARGETS = {
    "translated_over_source": (">=", 0.95, "translated / over source / requests/s"),
    "ru_over_ceiling": (">=", 0.5, "/ in ru over hello-world requests/s"),
    "negotiation_us": ("<", 20.0, "negotiation, µs per request"),
    "generated_load_s": ("<", 1.5, "100 × 2,000-message catalogs: load time, s"),
    "generated_load_mb": ("<", 150.0, "100 × 2,000-message catalogs: memory, MB"),
    "generated_check_s": ("<", 10.0, "make check on them, s"),
    "idle_p99_ms": ("<", 200.0, "p99 with 5,000 idle connections, ms"),
    # The peers' page (issue 11): what the project's i18n machinery costs.
    "peers_over_tornado": (">=", 0.95, "peers' page: project / Tornado alone, requests/s"),
    "peers_over_django": (">=", 3.0, "peers' page: project / Django, requests/s"),
    "peers_over_flask_babel": (">=", 3.0, "peers' page: project / Flask-Babel, requests/s"),
    # Issue 13: no slower than before ICU collation and calendars (0.17, 0.14).
    "languages_search_over_ceiling": (">=", 0.17, "directory search over hello-world requests/s"),
    "language_page_over_ceiling": (">=", 0.14, "language page over hello-world requests/s"),
    "sort_keys_s": ("<", 1.0, "directory of every shipped locale (names, sort keys, search), s"),
}
# The same page in Tornado alone, Flask-Babel and Django: ../shared/peers,
# or the copy kept in bench/peers where the checkout has no ../shared.
_SHARED_PEERS = ROOT.parent / "shared" / "peers"
PEERS = Path(os.environ.get("PEERS_DIR") or (_SHARED_PEERS if _SHARED_PEERS.is_dir() else ROOT / "bench" / "peers"))
PEERS_VENV = Path(os.environ.get("PEERS_VENV", ROOT / "build" / "peers-venv"))
PEERS_PACKAGES = ["django", "flask", "flask-babel", "gunicorn", "tornado", "babel", "polib"]


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
        report["pages"], report["idle"] = _pages(size)
        report["peers"] = _peers(size, tmp / "peers")
        report["negotiation"] = _negotiation()
        report["collation"] = _collation()
        generated = _generate_tree(tmp / "generated", size["locales"], size["messages"])
        report["catalogs"] = {
            "shipped": _load_catalogs(ROOT / "locale"),
            "generated": _load_catalogs(generated / "locale"),
        }
        report["tools"] = {
            "check_shipped_s": _wall([_bin("website-catalog"), "check", f"--locale-dir={ROOT / 'locale'}"]),
            "check_generated_s": _wall([_bin("website-catalog"), "check", f"--locale-dir={generated / 'locale'}"]),
            "extract_shipped_s": _wall(_make(ROOT, "extract", pot=tmp / "shipped.pot")),
            "extract_generated_s": _wall(_make(generated, "extract", pot=generated / "locale" / "messages.pot")),
        }
    report["targets"] = _targets(report)
    (out / "report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    (out / "report.md").write_text(_markdown(report))
    print((out / "report.md").read_text())
    return 0


# -- pages ------------------------------------------------------------------

def _pages(size) -> tuple[dict, dict]:
    site_port, hello_port = _free_port(), _free_port()
    site = _start([PYTHON, "-m", "website", f"--port={site_port}", f"--root={ROOT}", "--logging=warning"],
                  site_port)
    hello = _start([PYTHON, str(ROOT / "bench" / "hello.py"), str(hello_port)], hello_port)
    try:
        base = f"http://127.0.0.1:{site_port}"
        css = re.search(r'href="(/static/css/site\.css\?v=[0-9a-f]+)"', _get(base + "/"))[1]
        scenarios = {
            "home_en": (base + "/", "en"),
            "home_ru": (base + "/", "ru"),
            "home_ar": (base + "/", "ar"),
            "languages_search": (base + LANGUAGES_SEARCH_PATH, "en"),
            "language_ru": (base + LANGUAGE_PAGE_PATH, "en"),
            "static_versioned": (base + css, "en"),
            "hello_world": (f"http://127.0.0.1:{hello_port}/", "en"),
        }
        runs: dict[str, list] = {name: [] for name in scenarios}
        for _ in range(size["runs"]):  # interleaved rounds
            for name, (url, lang) in scenarios.items():
                runs[name].append(_wrk(url, lang, size["seconds"]))
        pages = {name: _summary(results) for name, results in runs.items()}
        pages["ratios"] = {
            "translated_over_source": _ratio(runs["home_ru"], runs["home_en"]),
            "translated_ar_over_source": _ratio(runs["home_ar"], runs["home_en"]),
            "ru_over_ceiling": _ratio(runs["home_ru"], runs["hello_world"]),
            "home_over_ceiling": _ratio(runs["home_en"], runs["hello_world"]),
            "languages_search_over_ceiling": _ratio(runs["languages_search"], runs["hello_world"]),
            "language_page_over_ceiling": _ratio(runs["language_ru"], runs["hello_world"]),
        }
        idle = _idle(site, site_port, base + "/", size)
    finally:
        for process in (site, hello):
            process.terminate()
            process.wait(timeout=15)
    return pages, idle


def _idle(site, port: int, url: str, size) -> dict:
    holder = subprocess.Popen(
        ["taskset", "-c", LOAD_CPU, PYTHON, str(ROOT / "bench" / "idle.py"), str(port), str(size["idle"]), "300"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, preexec_fn=_more_files,
    )
    try:
        opened = int(holder.stdout.readline().split()[1])
        results = [_wrk(url, "ru", size["seconds"]) for _ in range(max(1, size["runs"] // 2))]
        rss = _rss_mb(site.pid)
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    summary = _summary(results)
    return {"connections_open": opened, "server_rss_mb": rss, **summary}


def _wrk(url: str, lang: str, seconds: int) -> dict:
    output = subprocess.run(
        ["taskset", "-c", LOAD_CPU, "wrk", "-t1", "-c32", f"-d{seconds}s", "--latency",
         "-H", f"Accept-Language: {lang}", url],
        capture_output=True, text=True, check=True,
    ).stdout
    latency = {p: _ms(v, unit) for p, v, unit in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]),
        "p50_ms": latency.get("50"),
        "p99_ms": latency.get("99"),
        "non_2xx": int(errors[1]) if errors else 0,
    }


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def _summary(results: list[dict]) -> dict:
    summary = {}
    for key in ("rps", "p50_ms", "p99_ms"):
        values = [r[key] for r in results if r.get(key) is not None]
        if values:
            summary[key] = {"median": statistics.median(values), "min": min(values), "max": max(values)}
    summary["non_2xx"] = sum(r["non_2xx"] for r in results)
    return summary


def _ratio(numerator: list[dict], denominator: list[dict]) -> dict:
    # Ratio per round (same moment, same noise), then median/min/max.
    values = [a["rps"] / b["rps"] for a, b in zip(numerator, denominator)]
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


# -- the peers' page ----------------------------------------------------------

def _peers(size, copy: Path) -> dict:
    """The peers' Russian page from each stack, in interleaved rounds; ratios per round."""
    shutil.copytree(PEERS, copy)  # the catalogs are written next to the apps
    for folder, _, files in os.walk(copy):  # ../shared is read-only
        for name in (folder, *(os.path.join(folder, f) for f in files)):
            os.chmod(name, os.stat(name).st_mode | 0o200)
    venv = _peers_venv()
    subprocess.run([str(venv / "python"), "content.py"], cwd=copy, check=True, capture_output=True)
    ports = {name: _free_port() for name in ("tornado_alone", "flask_babel", "django", "project")}
    gunicorn = [str(venv / "gunicorn"), "-w", "1", "--log-level", "warning"]
    commands = {
        "tornado_alone": ([str(venv / "python"), "tornado_app/app.py", str(ports["tornado_alone"])], copy),
        "flask_babel": ([*gunicorn, "-b", f"127.0.0.1:{ports['flask_babel']}", "app:app"], copy / "flask_app"),
        "django": ([*gunicorn, "-b", f"127.0.0.1:{ports['django']}", "app:application"], copy / "django_app"),
        "project": ([PYTHON, str(ROOT / "bench" / "peers_app.py"), str(copy), str(ports["project"])], ROOT),
    }
    servers = {}
    try:
        for name, (command, cwd) in commands.items():
            servers[name] = _start(command, ports[name], cwd=cwd)
        runs: dict[str, list] = {name: [] for name in servers}
        for _ in range(size["runs"]):  # interleaved rounds
            for name in servers:
                runs[name].append(_wrk(f"http://127.0.0.1:{ports[name]}/", "ru", size["seconds"]))
    finally:
        for process in servers.values():
            process.terminate()
            process.wait(timeout=15)
    result = {name: _summary(results) for name, results in runs.items()}
    result["ratios"] = {
        "project_over_tornado": _ratio(runs["project"], runs["tornado_alone"]),
        "project_over_django": _ratio(runs["project"], runs["django"]),
        "project_over_flask_babel": _ratio(runs["project"], runs["flask_babel"]),
    }
    return result


def _peers_venv() -> Path:
    """The peers' own virtualenv (Django, Flask, Flask-Babel, gunicorn from PyPI), made once."""
    bin_dir = PEERS_VENV / "bin"
    if not (bin_dir / "gunicorn").exists():
        subprocess.run([PYTHON, "-m", "venv", str(PEERS_VENV)], check=True)
        subprocess.run([str(bin_dir / "pip"), "install", "--quiet", *PEERS_PACKAGES], check=True)
    return bin_dir


# -- negotiation, catalogs, tools ---------------------------------------------

def _negotiation() -> dict:
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


def _collation() -> dict:
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


def _load_catalogs(locale_dir: Path) -> dict:
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


def _generate_tree(root: Path, locales: int, messages: int) -> Path:
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
    for start in range(0, messages, per_file):
        lines = []
        for msgid, plural in ids[start:start + per_file]:
            if plural:
                lines.append(f'<p>{{{{ _("{msgid} %(count)s", "{plural} %(count)s", n) % dict(count=n) }}}}</p>')
            else:
                lines.append(f'<p>{{{{ _("{msgid}") }}}}</p>')
        (root / "templates" / f"page{start // per_file}.html").write_text("\n".join(lines) + "\n")
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
        po.save_as_mofile(str(folder / "messages.mo"))
    return root


def _make(project: Path, target: str, pot: Path) -> list[str]:
    venv = Path(PYTHON).parent.parent
    return ["make", "--no-print-directory", "-C", str(project), f"VENV={venv}",
            f"--old-file={venv}/.installed", f"POT={pot}", target]


def _wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, check=False)
    return time.perf_counter() - start


# -- reporting --------------------------------------------------------------

def _targets(report: dict) -> dict:
    pages, generated = report["pages"], report["catalogs"]["generated"]
    measured = {
        "translated_over_source": pages["ratios"]["translated_over_source"]["median"],
        "ru_over_ceiling": pages["ratios"]["ru_over_ceiling"]["median"],
        "negotiation_us": report["negotiation"]["warm_us"],
        "generated_load_s": generated["seconds"],
        "generated_load_mb": generated["memory_mb"],
        "generated_check_s": report["tools"]["check_generated_s"],
        "idle_p99_ms": report["idle"]["p99_ms"]["median"],
        "peers_over_tornado": report["peers"]["ratios"]["project_over_tornado"]["median"],
        "peers_over_django": report["peers"]["ratios"]["project_over_django"]["median"],
        "peers_over_flask_babel": report["peers"]["ratios"]["project_over_flask_babel"]["median"],
        "languages_search_over_ceiling": pages["ratios"]["languages_search_over_ceiling"]["median"],
        "language_page_over_ceiling": pages["ratios"]["language_page_over_ceiling"]["median"],
        "sort_keys_s": report["collation"]["seconds"],
    }
    targets = {}
    for key, (op, goal, label) in TARGETS.items():
        value = measured[key]
        met = value >= goal if op == ">=" else value < goal
        gap = 0.0 if met else (goal - value if op == ">=" else value - goal)
        targets[key] = {"label": label, "target": f"{op} {goal}", "measured": value, "met": met, "gap": gap}
    return targets


def _markdown(report: dict) -> str:
    lines = ["# Benchmark report", ""]
    if report["smoke"]:
        lines += ["**Smoke run**: sizes cut down to keep the script working; the numbers mean nothing.", ""]
    lines += [f"Machine: {report['machine']}. Site on CPU {SERVER_CPU}, wrk (1 thread, 32 connections) "
              f"on CPU {LOAD_CPU}; {report['size']['runs']} interleaved runs of {report['size']['seconds']} s; "
              "median (min–max).", "", "## Targets", "",
              "| target | goal | measured | met |", "| --- | --- | --- | --- |"]
    for target in report["targets"].values():
        verdict = "yes" if target["met"] else f"**no**, short by {target['gap']:.3g}"
        lines.append(f"| {target['label']} | {target['target']} | {target['measured']:.3g} | {verdict} |")
    lines += ["", "## Pages", "", "| page | requests/s | p50 ms | p99 ms | non-2xx |", "| --- | --- | --- | --- | --- |"]
    for name, page in report["pages"].items():
        if name == "ratios":
            continue
        cells = [_cell(page.get(k)) for k in ("rps", "p50_ms", "p99_ms")]
        lines.append(f"| {name} | {' | '.join(cells)} | {page['non_2xx']} |")
    lines += ["", "| ratio | value |", "| --- | --- |"]
    for name, ratio in report["pages"]["ratios"].items():
        lines.append(f"| {name} | {_cell(ratio)} |")
    peers = report["peers"]
    lines += ["", "## The peers' page", "",
              "The page of `../shared/peers` (50 sentences, 6 plurals, a 13-link switcher, a number, "
              "a date; Russian from `Accept-Language`), one process or worker each, interleaved runs.", "",
              "| stack | requests/s | p50 ms | p99 ms | non-2xx |", "| --- | --- | --- | --- | --- |"]
    for name, page in peers.items():
        if name != "ratios":
            cells = [_cell(page.get(k)) for k in ("rps", "p50_ms", "p99_ms")]
            lines.append(f"| {name} | {' | '.join(cells)} | {page['non_2xx']} |")
    lines += ["", "| ratio | value |", "| --- | --- |"]
    for name, ratio in peers["ratios"].items():
        lines.append(f"| {name} | {_cell(ratio)} |")
    idle = report["idle"]
    lines += ["", "## Idle connections", "",
              f"{idle['connections_open']} idle keep-alive connections open during load on `/` (ru): "
              f"{_cell(idle['rps'])} requests/s, p99 {_cell(idle['p99_ms'])} ms, server RSS {idle['server_rss_mb']:.0f} MB.",
              "", "## Negotiation", "",
              f"`{report['negotiation']['header']}`: {report['negotiation']['warm_us']:.2f} µs per request "
              f"(caches warm), {report['negotiation']['cold_us']:.1f} µs with every cache cleared.",
              "", "## Collation", "",
              f"The directory of {report['collation']['locales']} shipped locales "
              f"({report['collation']['entries']} entries): {report['collation']['seconds']:.3f} s from cold, "
              f"of which ICU's sort keys and search folding {report['collation']['icu_seconds']:.3f} s. "
              f"Pages: `{LANGUAGES_SEARCH_PATH}`, `{LANGUAGE_PAGE_PATH}`.",
              "", "## Catalogs and tools", "", "| tree | locales | load s | load MB | check s | extract s |",
              "| --- | --- | --- | --- | --- | --- |"]
    for tree in ("shipped", "generated"):
        c, t = report["catalogs"][tree], report["tools"]
        lines.append(f"| {tree} | {c['locales']} | {c['seconds']:.2f} | {c['memory_mb']:.0f} | "
                     f"{t[f'check_{tree}_s']:.2f} | {t[f'extract_{tree}_s']:.2f} |")
    return "\n".join(lines) + "\n"


def _cell(stats) -> str:
    if not stats:
        return "-"
    return f"{stats['median']:.3g} ({stats['min']:.3g}–{stats['max']:.3g})"


# -- processes --------------------------------------------------------------

def _more_files() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 20000), hard))


def _start(command: list[str], port: int, cwd: Path | None = None) -> subprocess.Popen:
    process = subprocess.Popen(["taskset", "-c", SERVER_CPU, *command], preexec_fn=_more_files,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            _get(f"http://127.0.0.1:{port}/")
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"{command} did not start")


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode()


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status)[1]) / 1024


def _bin(name: str) -> str:
    return str(Path(PYTHON).parent / name)


def _machine() -> str:
    model = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
    return f"{os.cpu_count()} CPUs, {model[1].strip() if model else 'unknown CPU'}"


if __name__ == "__main__":
    sys.exit(main())
