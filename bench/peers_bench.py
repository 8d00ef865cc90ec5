"""The peers' page for ``make bench``: the same Russian page from four stacks, and the project's ratios.

The page of ``../shared/peers`` (or the copy in ``bench/peers``) is served
by Tornado alone, Flask-Babel and Django (each from the peers' own
virtualenv, exactly ``bench/peers.lock``) and by the project's own machinery
(``bench/peers_app.py``), one process or worker each, measured in
interleaved rounds: what the project's i18n costs per request (issue 11).
``bench/peers_profile.py`` looks at the same page in one process, CPU only.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from common import PEERS, PYTHON, ROOT, free_port, ratio, start, summary, wrk  # bench/common.py

__all__ = ["run"]

PEERS_VENV = Path(os.environ.get("PEERS_VENV", ROOT / "build" / "peers-venv"))
# Django, Flask, Flask-Babel, gunicorn, Tornado, Babel, polib: the versions
# `make lock` wrote from bench/peers-requirements.in, installed with hashes.
PEERS_LOCK = ROOT / "bench" / "peers.lock"


def run(size, copy: Path) -> dict:
    """The peers' Russian page from each stack, in interleaved rounds; ratios per round."""
    shutil.copytree(PEERS, copy)  # the catalogs are written next to the apps
    for folder, _, files in os.walk(copy):  # ../shared is read-only
        for name in (folder, *(os.path.join(folder, f) for f in files)):
            os.chmod(name, os.stat(name).st_mode | 0o200)
    venv = _peers_venv()
    subprocess.run([str(venv / "python"), "content.py"], cwd=copy, check=True, capture_output=True)
    ports = {name: free_port() for name in ("tornado_alone", "flask_babel", "django", "project")}
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
            servers[name] = start(command, ports[name], cwd=cwd)
        runs: dict[str, list] = {name: [] for name in servers}
        for _ in range(size["runs"]):  # interleaved rounds
            for name in servers:
                runs[name].append(wrk(f"http://127.0.0.1:{ports[name]}/", "ru", seconds=size["seconds"]))
    finally:
        for process in servers.values():
            process.terminate()
            process.wait(timeout=15)
    result = {name: summary(results) for name, results in runs.items()}
    result["ratios"] = {
        "project_over_tornado": ratio(runs["project"], runs["tornado_alone"]),
        "project_over_django": ratio(runs["project"], runs["django"]),
        "project_over_flask_babel": ratio(runs["project"], runs["flask_babel"]),
    }
    return result


def _peers_venv() -> Path:
    """The peers' own virtualenv, exactly bench/peers.lock; made again when the lock changes."""
    bin_dir = PEERS_VENV / "bin"
    stamp = PEERS_VENV / ".lock-installed"
    lock = PEERS_LOCK.read_bytes()
    if not stamp.exists() or stamp.read_bytes() != lock:
        subprocess.run([PYTHON, "-m", "venv", "--clear", str(PEERS_VENV)], check=True)
        subprocess.run([str(bin_dir / "pip"), "install", "--quiet", "--require-hashes", "--no-deps",
                        "-r", str(PEERS_LOCK)], check=True)
        stamp.write_bytes(lock)
    return bin_dir
