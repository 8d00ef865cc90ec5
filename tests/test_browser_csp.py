"""The Content-Security-Policy in a real browser: every page works under it, nothing is refused.

Debian's Chromium, driven by Playwright, as in tests/test_browser.py. A
violation shows as a ``securitypolicyviolation`` event (recorded by a script
Playwright injects, which the policy does not apply to) and as a console
message "Refused to ...".
"""

from __future__ import annotations

import json

import pytest

from website import library_internals

from catalog_builder import site_catalogs
from test_browser import TRACK_FETCHES, browser, playwright, poll_page, settled, site  # noqa: F401  (fixtures)

CATALOGS = site_catalogs()  # what the site fixture serves
LOCALES = [tag for tag in ("en", "ar", "ru", "zh-Hans", "fa") if tag in CATALOGS.tags]
PAGES = ["/", "/languages", "/languages?q=an", "/languages/ar", "/about", "/translations",
         "/no-such-page"]

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture()
def page(browser):  # noqa: F811
    context = browser.new_context()
    context.add_init_script(RECORD_VIOLATIONS)
    context.add_init_script(TRACK_FETCHES)
    page = context.new_page()
    page.refused = []
    page.on("console", lambda m: page.refused.append(m.text) if "Refused to" in m.text else None)
    yield page
    context.close()


def violations(page) -> list[str]:
    return page.evaluate("window.__violations") + page.refused


def url(site, path: str, tag: str) -> str:  # noqa: F811
    return f"{site}{path}{'&' if '?' in path else '?'}lang={tag}"


def test_every_page_in_several_locales_runs_under_the_policy(page, site):  # noqa: F811
    found = []
    for tag in LOCALES:
        for path in PAGES:
            response = page.goto(url(site, path, tag))
            assert "default-src 'self'" in response.headers["content-security-policy"]
            settled(page)
            # The site's own stylesheet and scripts did load and run under the policy.
            assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).display") != "inline"
            assert page.evaluate("typeof window.i18n") == "object"
            found += [f"{tag} {path}: {v}" for v in violations(page)]
    assert found == []


def test_live_search_and_browser_catalog_run_under_the_policy(page, site):  # noqa: F811
    page.goto(url(site, "/languages", "ru"))
    settled(page)
    page.locator("#q").fill("ukrain")
    page.locator("table.directory tbody tr").first.wait_for()
    assert page.locator("table.directory tbody tr").count() == 1
    assert violations(page) == []


def test_plural_rules_evaluate_without_eval(page, site):  # noqa: F811
    # The browser catalog's plural rule is compiled by i18n.js's own parser
    # (the policy forbids new Function): same forms as gettext for every
    # rule of the tests' catalogs.
    page.goto(url(site, "/about", "en"))
    rules = {}
    for tag in CATALOGS.tags:
        catalog = CATALOGS.get(tag).js_catalog
        if catalog is not None:
            rules[tag] = json.loads(catalog.body)["plural"]
    assert {"ru", "ar"} <= set(rules)
    computed = page.evaluate(
        """rules => Object.fromEntries(Object.entries(rules).map(([tag, rule]) => {
             const f = window.i18n.compilePlural(rule);
             return [tag, f ? Array.from({length: 1200}, (_, n) => f(n)).concat([f(1000000), f(2000000)]) : null];
           }))""", rules)
    for tag, rule in rules.items():
        expected = library_internals.plural_function(rule)
        assert computed[tag] == [expected(n) for n in [*range(1200), 1000000, 2000000]], tag
    refused = page.evaluate("['alert(1)', 'n;1', '(n==1', 'constructor'].map(window.i18n.compilePlural)")
    assert refused == [None, None, None, None]
    assert violations(page) == []


def test_the_detector_sees_a_violation(page, site):  # noqa: F811
    # The control: inline style and script are refused and recorded, so an
    # empty list above means none happened.
    page.goto(url(site, "/about", "en"))
    page.evaluate("""document.body.insertAdjacentHTML('beforeend', '<div style="color: red">x</div>');
                     const s = document.createElement('script'); s.textContent = 'window.ran = 1';
                     document.body.appendChild(s);""")

    def recorded():
        found = violations(page)
        return found if all(any(v.startswith(d) for v in found) for d in ("style-src", "script-src")) else None

    # Violations are reported as events, after the refusal: wait for both.
    found = poll_page(page, recorded, 5, "the violations were not recorded")
    assert page.evaluate("window.ran") is None
    assert any(v.startswith("style-src") for v in found) and any(v.startswith("script-src") for v in found), found
