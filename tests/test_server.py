"""The server as deployed: worker processes, ports, graceful shutdown on SIGTERM."""

from __future__ import annotations

import signal
import socket
import urllib.request

import pytest

from catalog_builder import site_root
from harness import Server, poll_until


def refuses_connections(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return True
    return False


def test_sigterm_finishes_the_request_in_flight_then_exits_0():
    server = Server("--logging=info", root=site_root())
    port, process = server.port, server.process
    try:
        # A request whose body is still arriving is in flight at SIGTERM.
        client = socket.create_connection(("127.0.0.1", port))
        client.sendall(b"GET /fr/about HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\n")
        # A request answered after those headers were sent: the server has read them.
        urllib.request.urlopen(server.url("/en/about"), timeout=5).read()
        process.send_signal(signal.SIGTERM)
        # No new connections once shutting down...
        poll_until(lambda: refuses_connections(port), message="still accepting connections after SIGTERM")
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
        server.stop()
    log = server.output()
    assert "shutting down: 1 request(s) in flight" in log and "stopped" in log


def test_workers_on_consecutive_ports_stop_together():
    server = Server("--processes=2", "--port_per_process", "--logging=info", root=site_root(), span=2)
    port, process = server.port, server.process
    try:
        for p in (port, port + 1):
            with urllib.request.urlopen(f"http://127.0.0.1:{p}/ru/about") as response:
                assert response.headers["Content-Language"] == "ru"
        process.send_signal(signal.SIGTERM)  # to the supervising parent
        assert process.wait(timeout=15) == 0
        for p in (port, port + 1):
            with pytest.raises(OSError):
                socket.create_connection(("127.0.0.1", p), timeout=1).close()
    finally:
        server.stop()
