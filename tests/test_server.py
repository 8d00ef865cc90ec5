"""The server as deployed: worker processes, ports, graceful shutdown on SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import ROOT


def free_port(span: int = 1) -> int:
    """A port with ``span`` free ports from it (best effort)."""
    for _ in range(50):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if all(_free(port + i) for i in range(1, span)):
            return port
    raise RuntimeError("no free port range")


def _free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def start(*arguments: str, port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "website", f"--port={port}", f"--root={ROOT}", "--logging=info",
         *arguments],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    wait_until_up(port, process)
    return process


def wait_until_up(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/about", timeout=2).read()
            return
        except OSError:
            if process.poll() is not None:
                pytest.fail("server exited:\n" + process.stdout.read())
            time.sleep(0.1)
    pytest.fail("server did not start")


def test_sigterm_finishes_the_request_in_flight_then_exits_0():
    port = free_port()
    process = start(port=port)
    try:
        # A request whose body is still arriving is in flight at SIGTERM.
        client = socket.create_connection(("127.0.0.1", port))
        client.sendall(b"GET /fr/about HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\n")
        time.sleep(0.3)
        process.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        # No new connections once shutting down...
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        # ...but the one in flight completes.
        client.sendall(b"hello")
        client.settimeout(5)
        response = b""
        while b"</html>" not in response:
            chunk = client.recv(65536)
            if not chunk:
                break
            response += chunk
        client.close()
        assert response.startswith(b"HTTP/1.1 200 OK")
        assert b'<html lang="fr"' in response
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    log = process.stdout.read()
    assert "shutting down: 1 request(s) in flight" in log and "stopped" in log


def test_workers_on_consecutive_ports_stop_together():
    port = free_port(span=2)
    process = start("--processes=2", "--port_per_process", port=port)
    try:
        wait_until_up(port + 1, process)
        for p in (port, port + 1):
            with urllib.request.urlopen(f"http://127.0.0.1:{p}/ru/about") as response:
                assert response.headers["Content-Language"] == "ru"
        process.send_signal(signal.SIGTERM)  # to the supervising parent
        assert process.wait(timeout=15) == 0
        for p in (port, port + 1):
            with pytest.raises(OSError):
                socket.create_connection(("127.0.0.1", p), timeout=1).close()
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
