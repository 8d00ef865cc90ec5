"""The shipped nginx config repeats the site's security headers: it must say exactly what the site says.

nginx adds them to what it answers itself (static files, 414, 502); the
values live in ``website.security`` (:data:`~website.security.CSP`,
``DEFAULT_HEADERS``, ``HSTS``). This reads ``deploy/nginx/website.conf``'s
``map`` blocks and every ``add_header`` naming them, without running nginx
(``tests/test_nginx.py`` does that).
"""

from __future__ import annotations

import re

import pytest

from website import security

from conftest import ROOT

CONF = (ROOT / "deploy" / "nginx" / "website.conf").read_text(encoding="utf-8")
# map $upstream_http_<name> $<variable> { "" "<value>"; default ""; }
MAP = re.compile(r'map \$upstream_http_(\w+) \$(\w+) \{\s*""\s+"([^"]*)";\s*default\s+"";\s*\}')
HSTS_MAP = re.compile(r'map "\$scheme:\$upstream_http_strict_transport_security" \$(\w+) \{\s*"https:"\s+"([^"]*)";')
ADD_HEADER = re.compile(r"add_header ([\w-]+) \$(\w+) always;")


def maps() -> dict[str, tuple[str, str]]:
    """Header name -> (nginx variable, value) of every security header map."""
    found = {}
    for upstream, variable, value in MAP.findall(CONF):
        name = "-".join(part.capitalize() for part in upstream.split("_"))
        found[name] = (variable, value)
    return found


def test_the_config_has_a_map_for_every_header():
    assert {name.lower() for name in maps()} == {name.lower() for name in security.DEFAULT_HEADERS}


@pytest.mark.parametrize("name", sorted(security.DEFAULT_HEADERS))
def test_each_value_is_the_sites(name):
    by_lower = {key.lower(): value for key, value in maps().items()}
    _variable, value = by_lower[name.lower()]
    assert value == security.DEFAULT_HEADERS[name], (
        f"deploy/nginx/website.conf's {name} differs from website.security: copy it from there")


def test_the_csp_is_the_one_in_website_security():
    by_lower = {key.lower(): value for key, value in maps().items()}
    assert by_lower["content-security-policy"][1] == security.CSP


def test_hsts_is_the_sites():
    variable, value = HSTS_MAP.search(CONF).groups()
    assert value == security.HSTS
    assert f"add_header Strict-Transport-Security ${variable} always;" in CONF


def test_every_location_adding_headers_adds_them_all():
    # nginx drops the server's add_header lines in a location that has its own.
    variables = {variable: name for name, (variable, _value) in maps().items()}
    blocks = [block for block in re.split(r"\n\s*location ", CONF) if ADD_HEADER.search(block)]
    assert blocks
    for block in blocks:
        added = {variable for _name, variable in ADD_HEADER.findall(block.split("\n    location ")[0])}
        assert set(variables) <= added, block[:80]
