"""The server's own limits, on raw sockets: timeouts, header size, in-flight count, clean log.

The server runs as deployed (``python -m website``) with short timeouts, so
each case takes a second or two.
"""

from __future__ import annotations

import signal
import socket
import time
import urllib.error
import urllib.request

import pytest

from harness import Server


@pytest.fixture(scope="module")
def server():
    """A server with one-second timeouts; yields (port, process)."""
    server = Server("--idle_connection_timeout=1", "--body_timeout=1", "--max_header_size=8192",
                    "--shutdown_timeout=10", "--logging=info")
    yield server.port, server.process
    server.kill()


def closed_after(port: int, data: bytes, limit: float = 6.0) -> tuple[float, bytes]:
    """Send ``data``, then wait for the server to close: (seconds it took, what it sent)."""
    sock = socket.create_connection(("127.0.0.1", port))
    sock.settimeout(limit)
    start_time = time.monotonic()
    if data:
        sock.sendall(data)
    received = b""
    try:
        while chunk := sock.recv(65536):
            received += chunk
    except socket.timeout:
        sock.close()
        return float("inf"), received
    except ConnectionResetError:
        pass
    sock.close()
    return time.monotonic() - start_time, received


def test_idle_and_half_sent_connections_are_closed(server):
    port, _ = server
    table = [
        # (what the client sends and then keeps silent, status sent before closing)
        (b"", b""),                                                         # nothing at all
        (b"GET /about HTTP/1.1\r\nHost: loc", b""),                         # half the headers
        (b"POST /about HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n\r\nabc", b""),  # half a body
        (b"GET /about HTTP/1.1\r\nHost: localhost\r\n\r\n", b"HTTP/1.1 "),  # then idle keep-alive
    ]
    for data, status in table:
        elapsed, received = closed_after(port, data)
        assert 0.5 < elapsed < 4, (data, elapsed)
        assert received.startswith(status), (data, received[:80])


def test_without_the_options_connections_stay_open():
    # The control: Tornado's defaults keep an idle connection for an hour.
    server = Server("--idle_connection_timeout=3600")
    try:
        elapsed, _ = closed_after(server.port, b"GET /about HTTP/1.1\r\nHost: loc", limit=2.5)
        assert elapsed == float("inf")
    finally:
        server.kill()


def test_headers_over_the_limit_are_refused(server):
    port, _ = server
    small = b"GET /about HTTP/1.1\r\nHost: localhost\r\nX-Pad: " + b"a" * 4000 + b"\r\nConnection: close\r\n\r\n"
    big = b"GET /about HTTP/1.1\r\nHost: localhost\r\nX-Pad: " + b"a" * 10000 + b"\r\n\r\n"
    _, received = closed_after(port, small)
    assert received.startswith((b"HTTP/1.1 200", b"HTTP/1.1 302"))  # the page, or its language's
    elapsed, received = closed_after(port, big)
    assert elapsed < 2 and received == b""


def test_bad_paths_leave_no_traceback_in_the_log():
    server = Server("--logging=info")
    port, process = server.port, server.process
    try:
        for path in ("/static/css/site.css%00", "/static/%2e%2e/pyproject.toml", "/languages/%ff",
                     "/static/css/site.css%zz", "/" + "a" * 5000):
            with pytest.raises(urllib.error.HTTPError) as error:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5)
            assert error.value.code in (400, 404, 414), path
    finally:
        server.stop()
    log = server.output()
    assert "Traceback" not in log and "[E " not in log and " 500 " not in log, log[-2000:]


def test_parser_refusals_do_not_delay_a_graceful_stop():
    server = Server("--shutdown_timeout=10", "--logging=info")
    port, process = server.port, server.process
    try:
        for data in (
            b"POST /about HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
            b"POST /about HTTP/1.1\r\nHost: localhost\r\nContent-Length: x\r\n\r\n",
        ):
            _, received = closed_after(port, data)
            assert received.startswith(b"HTTP/1.1 400"), received[:80]
        urllib.request.urlopen(f"http://127.0.0.1:{port}/about", timeout=5).read()
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
        assert time.monotonic() - started < 3  # not the 10 s shutdown timeout
    finally:
        server.stop()
    log = server.output()
    assert "shutting down: 0 request(s) in flight" in log, log[-2000:]
