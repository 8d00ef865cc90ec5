"""Run the shipped nginx config (deploy/nginx/website.conf) on loopback.

Used by ``make bench`` (the page through the nginx cache) and by
``tests/test_nginx.py``: the config is the deployed one with its ports,
paths and certificate moved under a temporary folder.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def site_conf(tmp: Path, ports: list[int], http_port: int, https_port: int, build: Path) -> str:
    """The shipped site config, its ports, paths and certificate moved under ``tmp``."""
    site = (ROOT / "deploy" / "nginx" / "website.conf").read_text()
    site = site.replace("127.0.0.1:8001", f"127.0.0.1:{ports[0]}").replace("127.0.0.1:8002", f"127.0.0.1:{ports[-1]}")
    site = re.sub(r"listen 80( default_server)?;", rf"listen 127.0.0.1:{http_port}\1;", site)
    site = re.sub(r"listen 443 ssl( default_server)?;", rf"listen 127.0.0.1:{https_port} ssl\1;", site)
    site = re.sub(r"ssl_certificate\s+\S+;", f"ssl_certificate {tmp / 'cert.pem'};", site)
    site = re.sub(r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {tmp / 'key.pem'};", site)
    site = site.replace("server_name languages.example.org;", "server_name languages.example.org localhost;")
    site = site.replace("/var/cache/nginx/website", str(tmp / "cache"))
    site = site.replace("/var/log/nginx/website.access.log", str(tmp / "access.log"))
    site = site.replace("root /srv/website/build;", f"root {build};")
    assert "/srv/" not in site and "/var/" not in site
    return site


def write_config(tmp: Path, ports: list[int], http_port: int, https_port: int, build: Path) -> Path:
    """A self-signed certificate, the site config and a main nginx.conf under ``tmp``."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-keyout", str(tmp / "key.pem"), "-out", str(tmp / "cert.pem")],
        check=True, capture_output=True,
    )
    (tmp / "site.conf").write_text(site_conf(tmp, ports, http_port, https_port, build))
    (tmp / "nginx.conf").write_text(f"""
daemon off;
# the temporary folders are private to their owner, the cache lives there
user {pwd.getpwuid(os.getuid()).pw_name};
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    access_log {tmp}/default-access.log;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/site.conf;
}}
""")
    return tmp / "nginx.conf"


def command(tmp: Path) -> list[str]:
    return [NGINX, "-p", str(tmp), "-c", str(tmp / "nginx.conf")]
