"""The shipped nginx config in front of two site processes, on loopback.

Runs Debian's real nginx (installed by `make system-deps`) with
deploy/nginx/website.conf, its ports, paths and certificate rewritten for a
temporary directory, and a self-signed certificate so the https path is real.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import ssl
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import ROOT
from test_server import free_port, wait_until_up

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SECRET = "test-secret-shared-by-both-workers"


def request(url: str, headers: dict | None = None):
    context = ssl._create_unverified_context()  # our own self-signed certificate
    req = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(req, timeout=5, context=context) as response:
        return response.status, response.headers, response.read().decode("utf-8", "replace")


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    if not os.path.exists(NGINX):
        pytest.fail("nginx is not installed: run 'make system-deps' (make test does)")
    tmp = tmp_path_factory.mktemp("nginx")
    ports = [free_port(), free_port()]
    http_port, https_port = free_port(), free_port()
    env = {**os.environ, "WEBSITE_COOKIE_SECRET": SECRET}
    workers = []
    for index, port in enumerate(ports):
        log = open(tmp / f"site{index}.log", "w+")
        workers.append((subprocess.Popen(
            [sys.executable, "-m", "website", f"--port={port}", "--xheaders", f"--root={ROOT}",
             "--logging=info"],
            stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True,
        ), log))
    for (process, _), port in zip(workers, ports):
        wait_until_up(port, process)

    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-keyout", str(tmp / "key.pem"), "-out", str(tmp / "cert.pem")],
        check=True, capture_output=True,
    )
    site = (ROOT / "deploy" / "nginx" / "website.conf").read_text()
    site = site.replace("127.0.0.1:8001", f"127.0.0.1:{ports[0]}").replace("127.0.0.1:8002", f"127.0.0.1:{ports[1]}")
    site = re.sub(r"listen 80;", f"listen 127.0.0.1:{http_port};", site)
    site = re.sub(r"listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;", site)
    site = re.sub(r"ssl_certificate\s+\S+;", f"ssl_certificate {tmp / 'cert.pem'};", site)
    site = re.sub(r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {tmp / 'key.pem'};", site)
    site = site.replace("alias /srv/website/static/;", f"alias {ROOT / 'static'}/;")
    (tmp / "site.conf").write_text(site)
    (tmp / "nginx.conf").write_text(f"""
daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/site.conf;
}}
""")
    nginx = subprocess.Popen([NGINX, "-p", str(tmp), "-c", str(tmp / "nginx.conf")],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 10
    while True:
        try:
            request(f"http://127.0.0.1:{http_port}/about")
            break
        except OSError:
            if nginx.poll() is not None or time.monotonic() > deadline:
                pytest.fail("nginx did not start:\n" + nginx.stdout.read() + (tmp / "error.log").read_text())
            time.sleep(0.1)
    yield {"http": f"http://127.0.0.1:{http_port}", "https": f"https://127.0.0.1:{https_port}",
           "workers": workers}
    nginx.terminate()
    nginx.wait(timeout=10)
    for process, log in workers:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=15)
        log.close()


def test_negotiation_through_the_proxy(proxy):
    status, headers, body = request(proxy["http"] + "/about", {"Accept-Language": "uk, ru;q=0.8"})
    assert status == 200 and headers["Content-Language"] == "uk"
    assert '<html lang="uk"' in body
    assert "Accept-Language" in ",".join(headers.get_all("Vary"))


def test_switch_cookie_is_secure_only_behind_https(proxy):
    _, plain, _ = request(proxy["http"] + "/about?lang=fr")
    _, secure, body = request(proxy["https"] + "/about?lang=fr")
    assert plain["Set-Cookie"].startswith("lang=fr;") and "secure" not in plain["Set-Cookie"].lower()
    assert secure["Set-Cookie"].startswith("lang=fr;") and "secure" in secure["Set-Cookie"].lower()
    # absolute URLs follow the visitor's scheme and host, not the upstream's
    assert f'href="{proxy["https"]}/about?lang=fr"' in body


def test_static_files_served_by_nginx_with_the_same_caching(proxy):
    _, _, body = request(proxy["http"] + "/")
    versioned = re.search(r'href="(/static/css/site\.css\?v=[0-9a-f]+)"', body)[1]
    status, headers, _ = request(proxy["http"] + versioned)
    assert status == 200 and headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert headers["Content-Type"].startswith("text/css")
    _, headers, _ = request(proxy["http"] + "/static/css/site.css")
    assert headers["Cache-Control"] == "no-cache"
    for _, log in proxy["workers"]:
        log.seek(0)
        assert "/static/css/site.css" not in log.read()  # nginx answered, not the site


def test_killing_one_worker_loses_no_request(proxy):
    process, _ = proxy["workers"][0]
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    statuses = [request(proxy["http"] + f"/languages?page={n % 5 + 1}")[0] for n in range(40)]
    assert statuses == [200] * 40
