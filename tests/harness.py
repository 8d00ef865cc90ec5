"""Starting the real server for a test, and waiting for things without sleeping blind.

``Server`` runs ``python -m website`` (the process a deployment runs) on a
free port, returns once it answers, and stops it::

    with Server("--processes=2", root=copy) as server:
        urllib.request.urlopen(server.url("/en/about"))
    assert "stopped" in server.output()

``poll_until`` is the one way tests wait: for a condition, with a deadline,
never for a fixed time.
"""

from __future__ import annotations

import atexit
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from conftest import ROOT

__all__ = ["Server", "free_port", "poll_until"]


def poll_until(predicate, timeout: float = 10.0, *, interval: float = 0.05, ignore=(), message: str = ""):
    """Call ``predicate`` until it returns something true, and return that.

    Exceptions of the types in ``ignore`` count as "not yet". After
    ``timeout`` seconds the test fails with ``message`` (and the last such
    exception, if any).

    >>> poll_until(lambda: 42)
    42
    """
    deadline = time.monotonic() + timeout
    last = None
    while True:
        try:
            result = predicate()
        except ignore as error:
            result, last = None, error
        if result:
            return result
        if time.monotonic() > deadline:
            detail = f" (last: {last!r})" if last is not None else ""
            raise AssertionError(f"{message or 'condition not met'} within {timeout} s{detail}")
        time.sleep(interval)


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


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass


class Server:
    """``python -m website --port=<free port> --root=<root>`` with ``arguments``, answering.

    ``span`` ports are reserved and waited for (``--port_per_process``
    workers); ``ready_path`` is the URL asked until it answers 2xx.
    Output goes to ``log`` (a path; a temporary file by default), which
    :meth:`output` reads.
    """

    def __init__(self, *arguments: str, root=ROOT, port: int | None = None, span: int = 1,
                 ready_path: str = "/about", log=None, env: dict | None = None, timeout: float = 30):
        self.root = root
        self.port = port or free_port(span)
        self.ports = [self.port + i for i in range(span)]
        if log is None:
            handle, log = tempfile.mkstemp(prefix="server-", suffix=".log")
            os.close(handle)
            # Kept until the run ends: a test reads output() after stop().
            atexit.register(_remove, log)
        self.log_path = str(log)
        self.log = open(self.log_path, "w+", encoding="utf-8")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "website", f"--port={self.port}", f"--root={root}", *arguments],
            stdout=self.log, stderr=subprocess.STDOUT, env=env, start_new_session=True,
        )
        try:
            for port in self.ports:
                poll_until(lambda: self._answers(port, ready_path), timeout, interval=0.1, ignore=(OSError,),
                           message=f"the server on port {port} did not answer {ready_path}")
        except AssertionError as error:
            self.kill()
            raise AssertionError(f"{error}\n{self.output()}") from None

    def _answers(self, port: int, path: str) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"the server exited with {self.process.returncode}:\n{self.output()}")
        urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2).read()
        return True

    @property
    def pid(self) -> int:
        return self.process.pid

    def url(self, path: str, port: int | None = None) -> str:
        return f"http://127.0.0.1:{port or self.port}{path}"

    def output(self) -> str:
        """Everything the server has written so far."""
        with open(self.log_path, encoding="utf-8", errors="replace") as fp:
            return fp.read()

    def signal(self, signum: int = signal.SIGTERM) -> None:
        """Send ``signum`` to the server (its supervising parent with --processes)."""
        self.process.send_signal(signum)

    def stop(self, timeout: float = 15) -> int:
        """SIGTERM to the process group, wait, and return the exit status."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()
        return self.process.returncode

    def kill(self) -> None:
        """SIGKILL to the process group: for a server a test has given up on."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait(timeout=10)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
