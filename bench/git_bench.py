"""The catalogs-in-git part of ``make bench`` (issue 18): a sync, and saves while it runs.

A bare upstream and a writer checkout holding 12 locales of
``size["messages"]`` messages each (2,000 in the full run), with the
translator workspace in-process:

- one sync (:meth:`website.workspace.catalog_sync.CatalogSync.sync`) with
  one changed entry on each side (a save in ru, a developer's commit in de):
  commit, fetch, merge, recompile, push; seconds;
- a save's latency (compare-and-swap, write, recompile) while syncs run
  back to back as the server runs them (``website-catalog sync``, its own
  process): p50 / p95, ms; and, less at the mercy of a busy machine, the
  CPU time of the saving thread and of each sync (its process and git's).
"""

from __future__ import annotations

import datetime as dt
import resource
import statistics
import subprocess
import threading
import time
from pathlib import Path

from babel.messages.catalog import Catalog

from website.i18n import plural_forms
from website.toolchain import compiling, po_writer
from website.workspace.catalog_sync import CatalogSync
from website.workspace.service import Workspace

LOCALES = ("ar", "de", "es", "fa", "fr", "he", "ja", "pl", "pt_BR", "ru", "uk", "zh_Hans")
PASSWORD = "bench password, long enough"


def _git(cwd, *args) -> str:
    return subprocess.run(["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.org", *args],
                          cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()


def _catalog(gettext_id: str | None, messages: int) -> str:
    catalog = Catalog(locale=gettext_id, project="Bench", version="1",
                      creation_date=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
    if gettext_id:
        catalog.mime_headers = [("Plural-Forms", plural_forms.plural_forms(gettext_id))]
    for n in range(messages):
        text = "" if gettext_id is None else f"[{gettext_id}] message {n}"
        catalog.add(f"Generated message number {n} with a few more words", text,
                    locations=[("templates/generated.html", n + 1)])
    return po_writer.serialize(catalog)


def run(tmp: Path, size: dict) -> dict:
    messages = size["messages"]
    upstream, seed, writer = tmp / "upstream.git", tmp / "seed", tmp / "writer"
    tmp.mkdir(parents=True, exist_ok=True)
    _git(tmp, "init", "-q", "--bare", "-b", "main", str(upstream))
    _git(tmp, "clone", "-q", str(upstream), str(seed))
    (seed / "locale").mkdir()
    (seed / "locale" / "messages.pot").write_text(_catalog(None, messages), encoding="utf-8")
    for gettext_id in LOCALES:
        folder = seed / "locale" / gettext_id / "LC_MESSAGES"
        folder.mkdir(parents=True)
        (folder / "messages.po").write_text(_catalog(gettext_id, messages), encoding="utf-8")
    (seed / ".gitignore").write_text("*.mo\n*.verdict.json\n*.po.lock\n.catalog-revision\n")
    _git(seed, "add", "-A")
    _git(seed, "commit", "-qm", "catalogs")
    _git(seed, "push", "-q", "origin", "HEAD:main")
    _git(tmp, "clone", "-q", str(upstream), str(writer))
    compiling.compile_catalogs(sorted(str(p) for p in writer.glob("locale/*/LC_MESSAGES/messages.po")))
    workspace = Workspace.open(tmp / "var", writer / "locale")
    workspace.accounts.add_user("bench", PASSWORD, "ru", email="bench@example.org")
    syncer = CatalogSync(workspace, origin="https://bench.example.org", remote="origin")
    entries = [e for e in workspace.store.listing("ru")[0]]

    cpu = []

    def save(index: int) -> float:
        entry = workspace.store.get("ru", entries[index]["id"])
        started, thread_started = time.perf_counter(), time.thread_time()
        result = workspace.store.save("ru", entry["id"], [f"saved {index} {time.time()}"], False,
                                      entry["revision"], account="bench")
        elapsed = (time.perf_counter() - started) * 1000
        cpu.append((time.thread_time() - thread_started) * 1000)
        assert result.status == "saved", result.status
        return elapsed

    def upstream_change(n: int) -> None:
        path = seed / "locale" / "de" / "LC_MESSAGES" / "messages.po"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(f'"[de] message {n}"', f'"[de] message {n}, reviewed"', 1), encoding="utf-8")
        _git(seed, "commit", "-qam", f"de: one entry ({n})")
        _git(seed, "pull", "-q", "--no-rebase", "origin", "main")
        _git(seed, "push", "-q", "origin", "HEAD:main")

    syncer.sync()  # the first sync records where the workspace starts
    upstream_change(1)
    save(0)
    started = time.perf_counter()
    report = syncer.sync()
    sync_s = time.perf_counter() - started
    if report.error:
        raise RuntimeError(f"bench sync failed: {report.error}")

    stop = threading.Event()
    syncs, sync_cpu = [], []

    def children_cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    def keep_syncing():
        # As the server runs it: website-catalog sync, a process of its own.
        while not stop.is_set():
            began, began_cpu = time.perf_counter(), children_cpu()
            subprocess.run(syncer.sync_command(), capture_output=True, check=False)
            syncs.append(time.perf_counter() - began)
            sync_cpu.append(children_cpu() - began_cpu)

    thread = threading.Thread(target=keep_syncing, daemon=True)
    thread.start()
    latencies = []
    del cpu[:]  # only the saves while syncs run
    try:
        for n in range(1, min(len(entries), 200 if messages >= 1000 else 40)):
            latencies.append(save(n))
    finally:
        stop.set()
        thread.join(60)
    ordered = sorted(latencies)
    return {
        "save_while_syncing_cpu_ms": _percentiles(cpu),
        "sync_cpu_s": _percentiles(sync_cpu) if sync_cpu else None,
        "locales": len(LOCALES),
        "messages": messages,
        "sync_one_change_s": sync_s,
        "summary": report.summary(),
        "save_while_syncing_ms": {"p50": statistics.median(ordered),
                                  "p95": ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))],
                                  "n": len(ordered)},
        "syncs_meanwhile": len(syncs),
    }


def _percentiles(values: list[float]) -> dict:
    ordered = sorted(values)
    return {"p50": statistics.median(ordered), "p95": ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))],
            "n": len(ordered)}


def markdown(result: dict) -> list[str]:
    saves = result["save_while_syncing_ms"]
    cpu, sync_cpu = result.get("save_while_syncing_cpu_ms"), result.get("sync_cpu_s")
    return [
        "## Catalogs in git",
        "",
        f"{result['locales']} locales × {result['messages']} messages: a sync with one change on each side "
        f"{result['sync_one_change_s']:.2f} s ({result['summary']}); a save while syncs run "
        f"p50 {saves['p50']:.1f} ms, p95 {saves['p95']:.1f} ms ({saves['n']} saves, "
        f"{result['syncs_meanwhile']} syncs meanwhile).",
        "",
        *([f"CPU time, less at the mercy of a busy machine: a save's (its thread) p50 {cpu['p50']:.1f} ms, "
           f"p95 {cpu['p95']:.1f} ms; a sync's (its process and git's) p50 {sync_cpu['p50']:.2f} s.", ""]
          if cpu and sync_cpu else []),
    ]
