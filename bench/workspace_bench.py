"""The translator workspace's part of ``make bench``: saves, the entry list, and its cost to visitors.

On a copy of the project whose Russian catalog is replaced by one of
``size["messages"]`` messages (2,000 in the full run), with the site as one
process on the server CPU:

- a save (PUT of one entry, recompile of the locale included), one after
  another on different entries: p50 / p95;
- the whole entry list (``state=all``): after a save by the same process
  (updated entry by entry), unchanged (cached), and after a change made
  elsewhere (the whole catalog re-read and re-checked, as another worker
  process sees a save): p50 / p95;
- the public site's requests/s (wrk, ``/ru/``) idle and while a
  translator saves once a second, in interleaved rounds: the ratio;
- the help endpoint (translation memory, glossary, suggestions) with an
  imported memory of ``size["memory"]`` units (50,000 in the full run):
  p50 / p95;
- a save again, with review on for the language (unreviewed text kept
  fuzzy, a pending row per save): p50 / p95, and the server's CPU time
  per save (its GET and PUT), which a busy machine distorts less.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from xml.sax.saxutils import escape

import polib

from common import ROOT, free_port, start, wrk  # bench/common.py

PASSWORD = "bench password, long enough"


def run(tmp: Path, size: dict) -> dict:
    tmp.mkdir(parents=True, exist_ok=True)
    for folder in ("locale", "templates", "static"):
        shutil.copytree(ROOT / folder, tmp / folder)
    po_path = tmp / "locale" / "ru" / "LC_MESSAGES" / "messages.po"
    _generate_catalog(po_path, size["messages"])
    venv_bin = Path(sys.executable).parent
    subprocess.run([str(venv_bin / "website-catalog"), "compile", str(po_path)], capture_output=True, check=False)
    data = tmp / "var"
    admin = [str(venv_bin / "website-admin"), f"--data-dir={data}"]
    subprocess.run([*admin, "user", "add", "bench", "--languages", "ru", "--password-stdin"],
                   input=PASSWORD + "\n", text=True, capture_output=True, check=True)
    units = size.get("memory", 50_000 if size["messages"] >= 2000 else 2_000)
    tmx = tmp / "memory.tmx"
    _generate_memory(tmx, units)
    subprocess.run([*admin, "memory", "import", str(tmx), f"--locale-dir={tmp / 'locale'}"],
                   capture_output=True, check=True)
    port = free_port()
    site = start([sys.executable, "-m", "website", f"--port={port}", f"--root={tmp}", f"--data_dir={data}",
                  "--logging=warning"], port)
    try:
        base = f"http://127.0.0.1:{port}"
        client = _Client(base)
        client.login()
        ids = [e["id"] for e in client.get("/translate/ru/entries")["entries"] if len(e["source"]) == 1]
        saves, lists_after, lists_cached, lists_rebuilt = [], [], [], []
        rounds = 10 if size["runs"] == 1 else 60
        for n in range(rounds):
            id_ = ids[n % len(ids)]
            entry = client.get(f"/translate/ru/entries/{id_}")
            started = time.perf_counter()
            status = client.put(f"/translate/ru/entries/{id_}",
                                {"translation": [f"Правка {n}"], "fuzzy": False, "revision": entry["revision"]})
            saves.append((time.perf_counter() - started) * 1000)
            assert status == 200, status
            started = time.perf_counter()
            client.get("/translate/ru/entries?state=all")
            lists_after.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            client.get("/translate/ru/entries?state=all")
            lists_cached.append((time.perf_counter() - started) * 1000)
            # As another worker process sees a change: the file is not the
            # one it listed last, so it re-reads and re-checks all of it.
            os.utime(po_path)
            started = time.perf_counter()
            client.get("/translate/ru/entries?state=all")
            lists_rebuilt.append((time.perf_counter() - started) * 1000)
        helps = []
        for n in range(rounds):
            id_ = ids[(n * 13) % len(ids)]
            started = time.perf_counter()
            client.get(f"/translate/ru/entries/{id_}/help")
            helps.append((time.perf_counter() - started) * 1000)
        subprocess.run([*admin, "language", "set", "ru", "--unreviewed", "hide"], capture_output=True, check=True)
        reviewed_saves = []
        cpu_before = _cpu_seconds(site.pid)
        for n in range(rounds):
            id_ = ids[(n * 17 + 5) % len(ids)]
            entry = client.get(f"/translate/ru/entries/{id_}")
            started = time.perf_counter()
            status = client.put(f"/translate/ru/entries/{id_}",
                                {"translation": [f"На проверку {n}"], "fuzzy": False, "revision": entry["revision"]})
            reviewed_saves.append((time.perf_counter() - started) * 1000)
            assert status == 200, status
        review_cpu_ms = (_cpu_seconds(site.pid) - cpu_before) * 1000 / rounds
        subprocess.run([*admin, "language", "set", "ru", "--unreviewed", "publish"], capture_output=True, check=True)
        idle, busy = [], []
        for _ in range(size["runs"]):
            idle.append(wrk(base + "/ru/", "ru", seconds=size["seconds"]))
            stop = threading.Event()
            saver = threading.Thread(target=_save_every_second, args=(client, ids, stop))
            saver.start()
            try:
                busy.append(wrk(base + "/ru/", "ru", seconds=size["seconds"]))
            finally:
                stop.set()
                saver.join()
    finally:
        site.terminate()
        site.wait(timeout=15)
    ratios = [b["rps"] / i["rps"] for i, b in zip(idle, busy)]
    return {
        "messages": size["messages"],
        "save_ms": _percentiles(saves),
        "memory_units": units,
        "help_ms": _percentiles(helps),
        "save_review_ms": _percentiles(reviewed_saves),
        "save_review_server_cpu_ms": review_cpu_ms,
        "list_after_change_ms": _percentiles(lists_after),
        "list_cached_ms": _percentiles(lists_cached),
        "list_rebuilt_ms": _percentiles(lists_rebuilt),
        "rps_idle": statistics.median(r["rps"] for r in idle),
        "rps_saving": statistics.median(r["rps"] for r in busy),
        "rps_ratio": {"median": statistics.median(ratios), "min": min(ratios), "max": max(ratios)},
        "non_2xx": sum(r["non_2xx"] for r in idle + busy),
    }


def markdown(result: dict) -> list[str]:
    def row(name, p):
        return f"| {name} | {p['p50']:.0f} | {p['p95']:.0f} | {p['n']} |"

    return ["", "## Translator workspace", "",
            f"Russian catalog of {result['messages']} messages, site in one process.", "",
            "| operation | p50 ms | p95 ms | n |", "| --- | --- | --- | --- |",
            row("save (compare-and-swap, write, history, recompile)", result["save_ms"]),
            row("entry list after a save by this process", result["list_after_change_ms"]),
            row("entry list after a change elsewhere (whole catalog re-read and re-checked)",
                result["list_rebuilt_ms"]),
            row("entry list, unchanged catalog", result["list_cached_ms"]),
            row(f"help (memory of {result['memory_units']:,} units, glossary, suggestions)", result["help_ms"]),
            row("save with review on (kept fuzzy until approved)", result["save_review_ms"]),
            f"| save with review on: the server's CPU time per save (GET and PUT), mean | "
            f"{result['save_review_server_cpu_ms']:.0f} | | {result['save_review_ms']['n']} |",
            "", f"Site `/` in Russian: {result['rps_idle']:.0f} requests/s idle, "
                f"{result['rps_saving']:.0f} while saving once a second "
                f"(ratio {result['rps_ratio']['median']:.2f}, {result['rps_ratio']['min']:.2f}–"
                f"{result['rps_ratio']['max']:.2f}); non-2xx: {result['non_2xx']}."]


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (``/proc/<pid>/stat``)."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _save_every_second(client, ids, stop) -> None:
    n = 0
    while not stop.is_set():
        id_ = ids[(n * 7) % len(ids)]
        entry = client.get(f"/translate/ru/entries/{id_}")
        client.put(f"/translate/ru/entries/{id_}",
                   {"translation": [f"Фон {n}"], "fuzzy": False, "revision": entry["revision"]})
        n += 1
        stop.wait(1.0)


def _percentiles(values: list[float]) -> dict:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return {"p50": statistics.median(ordered), "p95": p95, "n": len(ordered)}


def _generate_catalog(path: Path, messages: int) -> None:
    """Replace a Russian catalog by ``messages`` translated messages (one plural in ten)."""
    original = polib.pofile(str(path))
    po = polib.POFile(wrapwidth=76)
    po.metadata = dict(original.metadata)
    for n in range(messages):
        if n % 10 == 0:
            po.append(polib.POEntry(
                msgid=f"Generated message number {n} %(count)s", msgid_plural=f"Generated messages {n} %(count)s",
                msgstr_plural={0: f"Сообщение {n} %(count)s", 1: f"Сообщения {n} %(count)s",
                               2: f"Сообщений {n} %(count)s"},
                flags=["python-format"], occurrences=[("templates/generated.html", str(n))]))
        else:
            po.append(polib.POEntry(msgid=f"Generated message number {n} with a few more words",
                                    msgstr=f"Сгенерированное сообщение {n}",
                                    occurrences=[("templates/generated.html", str(n))]))
    for entry in original:  # the site's own strings stay, so its pages are still Russian
        po.append(entry)
    po.save(str(path))


def _generate_memory(path: Path, units: int) -> None:
    """A TMX file of ``units`` English-Russian pairs, some close to the generated catalog's sources."""
    with open(path, "w", encoding="utf-8") as fp:
        fp.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="en"/><body>\n')
        for n in range(units):
            source = (f"Generated message number {n} with a few words more" if n % 25 == 0
                      else f"Imported sentence {n} about languages, scripts and plural rules")
            fp.write(f'<tu><tuv xml:lang="en"><seg>{escape(source)}</seg></tuv>'
                     f'<tuv xml:lang="ru"><seg>Импортированное предложение {n}</seg></tuv></tu>\n')
        fp.write("</body></tmx>\n")


class _Client:
    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def _form_token(self) -> str:
        # The token is bound to the session: read from a page, as a browser does.
        page = self.opener.open(self.base + "/account/login").read().decode()
        return re.search(r'name="_xsrf" value="([^"]+)"', page)[1]

    def _xsrf(self) -> str:
        return self.token

    def login(self) -> None:
        body = urllib.parse.urlencode({"_xsrf": self._form_token(), "username": "bench",
                                       "password": PASSWORD}).encode()
        self.opener.open(self.base + "/account/login", body).read()
        self.token = self._form_token()

    def get(self, path: str):
        with self.opener.open(self.base + path, timeout=30) as response:
            return json.loads(response.read())

    def put(self, path: str, data) -> int:
        request = urllib.request.Request(self.base + path, data=json.dumps(data).encode(), method="PUT",
                                         headers={"X-XSRFToken": self._xsrf(), "Content-Type": "application/json"})
        try:
            with self.opener.open(request, timeout=30) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


if __name__ == "__main__":
    # Alone, briefly: python bench/workspace_bench.py [messages]
    size = dict(runs=2, seconds=3, messages=int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
    with tempfile.TemporaryDirectory() as tmp:
        result = run(Path(tmp), size)
    print("\n".join(markdown(result)))
    print(json.dumps(result, indent=2))
