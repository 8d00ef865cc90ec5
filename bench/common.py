"""What every part of ``make bench`` shares: pinned processes, wrk, ports.

``bench/run.py`` and every ``bench/*_bench.py`` import this; it imports none
of them. The site runs pinned to :data:`SERVER_CPU` and wrk to
:data:`LOAD_CPU`, so that the load generator never takes the server's core.

The tests start servers with ``tests/harness.py`` (no CPU pinning, no wrk);
this module is the benchmark's equivalent and stays separate because a
benchmark pins and a test must not.
"""

from __future__ import annotations

import os
import re
import resource
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

__all__ = ["ROOT", "PYTHON", "PEERS", "SERVER_CPU", "LOAD_CPU", "start", "wrk", "get", "free_port",
           "more_files", "ms", "rss_mb", "bin_path", "summary", "ratio"]

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
SERVER_CPU, LOAD_CPU = "0", "1"
# The same page in Tornado alone, Flask-Babel and Django: ../shared/peers,
# or the copy kept in bench/peers where the checkout has no ../shared.
_SHARED_PEERS = ROOT.parent / "shared" / "peers"
PEERS = Path(os.environ.get("PEERS_DIR") or (_SHARED_PEERS if _SHARED_PEERS.is_dir() else ROOT / "bench" / "peers"))


def more_files() -> None:
    """Raise the open-file limit (a preexec_fn): thousands of idle connections need it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 20000), hard))


def start(command: list[str], port: int, poll: float = 0.1, cwd: Path | None = None) -> subprocess.Popen:
    """Run ``command`` pinned to the server CPU, and return once ``port`` answers ``/``."""
    process = subprocess.Popen(["taskset", "-c", SERVER_CPU, *command], preexec_fn=more_files,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            get(f"http://127.0.0.1:{port}/")  # the site redirects to /en/, followed
            return process
        except OSError:
            time.sleep(poll)
    process.kill()
    raise RuntimeError(f"{command} did not start")


def wrk(url: str, lang: str, host: str | None = None, seconds: int = 5) -> dict:
    """One wrk run (1 thread, 32 connections) on the load CPU: requests/s, p50/p99 ms, non-2xx."""
    headers = ["-H", f"Host: {host}"] if host else []
    output = subprocess.run(
        ["taskset", "-c", LOAD_CPU, "wrk", "-t1", "-c32", f"-d{seconds}s", "--latency",
         "-H", f"Accept-Language: {lang}", *headers, url],
        capture_output=True, text=True, check=True,
    ).stdout
    latency = {p: ms(v, unit) for p, v, unit in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]),
        "p50_ms": latency.get("50"),
        "p99_ms": latency.get("99"),
        "non_2xx": int(errors[1]) if errors else 0,
    }


def ms(value: str, unit: str) -> float:
    """wrk's ``12.3us`` / ``4.5ms`` / ``1.2s`` in milliseconds."""
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status)[1]) / 1024


def bin_path(name: str) -> str:
    """A command of the running virtualenv (``website-catalog``...)."""
    return str(Path(PYTHON).parent / name)


def summary(results: list[dict]) -> dict:
    """Several wrk runs as median, min and max of each figure, and the non-2xx they all had."""
    summary = {}
    for key in ("rps", "p50_ms", "p99_ms"):
        values = [r[key] for r in results if r.get(key) is not None]
        if values:
            summary[key] = {"median": statistics.median(values), "min": min(values), "max": max(values)}
    summary["non_2xx"] = sum(r["non_2xx"] for r in results)
    return summary


def ratio(numerator: list[dict], denominator: list[dict]) -> dict:
    """Requests/s of one page over another's: per round (same moment, same noise), then median/min/max."""
    values = [a["rps"] / b["rps"] for a, b in zip(numerator, denominator)]
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}
