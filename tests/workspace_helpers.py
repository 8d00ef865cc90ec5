"""Shared by the workspace tests: a site on a temporary copy of the project, and a client.

The server is the real one (``python -m website``), started on a copy of
``locale/``, ``templates/`` and ``static/`` (``--root``) with its own data
directory, so no test ever edits the checkout's catalogs.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid

import catalog_builder
from conftest import ROOT
from harness import Server

PASSWORD = "correct horse battery"
BIN = os.path.dirname(sys.executable)


def copy_project(target) -> None:
    """A project root of the test's own: the checkout's templates and static files, built catalogs.

    The catalogs are catalog_builder's SITE_LOCALES with every entry
    translated, so the workspace tests hold whichever catalogs ship.
    """
    for folder in ("templates", "static"):
        shutil.copytree(ROOT / folder, target / folder, ignore=shutil.ignore_patterns("*.lock"))
    catalog_builder.build(target / "locale", catalog_builder.SITE_LOCALES)


def admin(data_dir, *arguments: str, password: str | None = PASSWORD) -> subprocess.CompletedProcess:
    """Run the real ``website-admin`` console script."""
    return subprocess.run(
        [os.path.join(BIN, "website-admin"), f"--data-dir={data_dir}", *arguments],
        input=(password + "\n") if password is not None else "", capture_output=True, text=True, timeout=60,
    )


class Site:
    """``python -m website`` on a temporary project root (tests/harness.py's Server)."""

    def __init__(self, root, data_dir, *arguments: str, port: int | None = None):
        self.root, self.data_dir = root, data_dir
        # port: free_port(2) for --port_per_process with two workers
        self.server = Server(f"--data_dir={data_dir}", "--logging=info", *arguments, root=root, port=port,
                             ready_path="/account/login", log=root / "server.log")
        self.port, self.process, self.log = self.server.port, self.server.process, self.server.log

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def po(self, gettext_id: str):
        return self.root / "locale" / gettext_id / "LC_MESSAGES" / "messages.po"

    def stop(self) -> None:
        self.server.stop()


class Response:
    def __init__(self, status: int, headers, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """A browser-like HTTP client: cookies, the XSRF token, no automatic redirects."""

    def __init__(self, site: Site):
        self.site = site
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())
        self._tokens: dict = {}

    def request(self, method: str, path: str, body: bytes | None = None, headers=None) -> Response:
        request = urllib.request.Request(self.site.url(path), data=body, method=method, headers=headers or {})
        try:
            with self.opener.open(request, timeout=30) as response:
                return Response(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            return Response(error.code, error.headers, error.read())

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)

    def xsrf(self) -> str:
        """The token a page of this session carries (it is bound to the session: read, not computed)."""
        session = self.cookie("session")
        if session not in self._tokens:
            page = self.request("GET", "/account/login")
            self._tokens[session] = re.search(r'name="_xsrf" value="([^"]+)"', page.text)[1]
        return self._tokens[session]

    def form(self, path: str, fields: dict, xsrf: bool = True) -> Response:
        if xsrf:
            fields = {"_xsrf": self.xsrf(), **fields}
        body = urllib.parse.urlencode(fields).encode()
        return self.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def login(self, name: str, password: str = PASSWORD, next_url: str = "") -> Response:
        return self.form("/account/login", {"username": name, "password": password, "next": next_url})

    def get_json(self, path: str) -> Response:
        return self.request("GET", path, headers={"Accept": "application/json"})

    def put_json(self, path: str, data, xsrf: bool = True, raw: bytes | None = None) -> Response:
        headers = {"Content-Type": "application/json"}
        if xsrf:
            headers["X-XSRFToken"] = self.xsrf()
        body = raw if raw is not None else json.dumps(data).encode()
        return self.request("PUT", path, body, headers)

    def post_json(self, path: str, data, xsrf: bool = True) -> Response:
        headers = {"Content-Type": "application/json"}
        if xsrf:
            headers["X-XSRFToken"] = self.xsrf()
        return self.request("POST", path, json.dumps(data).encode(), headers)

    def upload(self, path: str, filename: str, content: bytes, xsrf: bool = True, headers=None) -> Response:
        boundary = uuid.uuid4().hex
        parts = []
        if xsrf:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="_xsrf"\r\n\r\n{self.xsrf()}\r\n'.encode())
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                     f"Content-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request("POST", path, b"".join(parts),
                            {"Content-Type": f"multipart/form-data; boundary={boundary}", **(headers or {})})


def entries(client: Client, tag: str, state: str = "all", q: str = "") -> list[dict]:
    response = client.get_json(f"/translate/{tag}/entries?" + urllib.parse.urlencode({"state": state, "q": q}))
    assert response.status == 200, response.text
    return response.json()["entries"]


def find(client: Client, tag: str, id_: str) -> dict:
    return next(e for e in entries(client, tag) if e["id"] == id_)


def plural_entry(client: Client, tag: str) -> dict:
    """Some plural entry with a %(count)s placeholder (whatever the catalog holds today)."""
    return next(e for e in entries(client, tag) if len(e["source"]) == 2 and "%(count)s" in e["source"][0])


def singular_entries(client: Client, tag: str) -> list[dict]:
    return [e for e in entries(client, tag)
            if len(e["source"]) == 1 and not re.search(r"[%{<]", e["source"][0]) and "\n" not in e["source"][0]]


def xsrf_token(context, site) -> str:
    """The XSRF token of a browser context's session, as its pages carry it (bound to the session)."""
    page = context.request.get(site.url("/account/login")).text()
    return re.search(r'name="_xsrf" value="([^"]+)"', page)[1]
