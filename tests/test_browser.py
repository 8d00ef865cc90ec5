"""The site in a real browser: Debian's Chromium, driven by Playwright.

Behaviour is tested on catalogs built for the tests (catalog_builder), so
it holds whichever catalogs ship; how the shipped translations lay out
(no horizontal overflow) is tested on whatever ships, and each run saves a
screenshot of / and /languages/ar per shipped locale under build/screenshots/,
for a person to look at.
"""

from __future__ import annotations

import os
import shutil
import time

import pytest
from playwright.sync_api import expect, sync_playwright

from website import directory
from website.i18n import tags
from website.i18n.formatting import Formatter

from catalog_builder import site_catalogs, site_root
from conftest import ROOT, shipped_catalogs
from harness import Server
from search_table import SEARCHES

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Root in a container, and no network beyond loopback: the flags Chromium
# needs to start quietly here.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = ROOT / "build" / "screenshots"
CATALOGS = site_catalogs()
LOCALES = list(CATALOGS.tags)
# Whatever ships today, each catalog served whatever its progress.
SHIPPED = list(shipped_catalogs().tags)
PAGES = ["/", "/languages", "/languages/ar", "/about", "/translations"]


def _serve(root):
    server = Server("--pseudo_locales", "--min_translated=0", root=root)
    yield f"http://127.0.0.1:{server.port}"
    server.stop()


@pytest.fixture(scope="module")
def site():
    """The site on the tests' own catalogs (SITE_LOCALES) and the pseudo-locales."""
    yield from _serve(site_root())


@pytest.fixture(scope="module")
def shipped_site():
    """The site on the checkout's catalogs, as `make compile` built them."""
    yield from _serve(ROOT)


@pytest.fixture(scope="module")
def playwright():
    if not os.path.exists(CHROMIUM):
        pytest.fail("Chromium is not installed: run 'make system-deps' (make test does)")
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright):
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


# The page's own fetches, recorded so that a test can wait for their answers
# (the scripts start them all before "load"); "networkidle" would wait a
# further 500 ms of silence on every page.
TRACK_FETCHES = """
window.__fetched = [];
const fetchOriginal = window.fetch;
window.fetch = function (input) {
  window.__fetched.push(new URL(typeof input === "string" ? input : input.url, location.href).href);
  return fetchOriginal.apply(this, arguments);
};
"""
FETCHES_ANSWERED = ("() => document.readyState === 'complete' && "
                    "window.__fetched.every(url => performance.getEntriesByName(url).length > 0)")


class Requests:
    """The requests a page makes, by Playwright's events: which are still open."""

    def __init__(self, page):
        self.open, self.ended = set(), set()
        page.on("request", lambda request: self.open.add(request))
        page.on("requestfinished", self._end)
        page.on("requestfailed", self._end)

    def _end(self, request) -> None:
        self.open.discard(request)
        self.ended.add(request.url)


ICON = "() => { const link = document.querySelector('link[rel~=icon]'); return link && link.href; }"


def settled(page, requests: Requests | None = None, timeout: float = 10.0) -> None:
    """Wait until the page has loaded and every fetch its scripts made has its whole answer.

    With ``requests`` (cleared before the navigation), also until no request
    is open and the icon, which Chromium asks for after "load", has come.
    Polled with evaluate: wait_for_function evaluates its predicate as a
    string inside the page, which the site's CSP (no unsafe-eval) refuses.
    """
    icon = page.evaluate(ICON) if requests is not None else None

    def done() -> bool:
        if not page.evaluate(FETCHES_ANSWERED):
            return False
        return requests is None or (not requests.open and (icon is None or icon in requests.ended))

    poll_page(page, done, timeout, f"{page.url}: requests still unanswered")


def poll_page(page, predicate, timeout: float = 10.0, message: str = "condition not met"):
    """harness.poll_until for a page: Playwright delivers the page's events while it waits."""
    deadline = time.monotonic() + timeout
    while not (result := predicate()):
        assert time.monotonic() < deadline, f"{message} within {timeout} s"
        page.wait_for_timeout(20)
    return result


def lang_of(page) -> str:
    return page.locator("html").get_attribute("lang")


def test_switching_keeps_the_page_and_survives_navigation_and_restart(playwright, site, tmp_path):
    other = next(tag for tag in LOCALES if tag != "en")
    profile = tmp_path / "profile"

    def launch():
        return playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS, locale="en-US")

    context = launch()
    page = context.new_page()
    page.goto(site + "/languages/ru")  # the old URL: negotiated, redirected
    assert page.url == site + "/en/languages/ru"
    assert lang_of(page) == "en"
    page.locator(f"nav.switcher a[hreflang={other}]").click()
    page.wait_for_url(f"{site}/{other}/languages/ru")
    assert lang_of(page) == other
    page.locator(".site-nav a").nth(1).click()  # "Languages", in the page's language
    page.wait_for_url(f"{site}/{other}/languages")
    assert lang_of(page) == other
    context.close()

    context = launch()  # the same profile: the cookie written on the click is still there
    page = context.new_page()
    page.goto(site + "/about")
    assert page.url == f"{site}/{other}/about"
    assert lang_of(page) == other
    page.goto(site + "/")
    assert page.url == f"{site}/{other}/"
    context.close()


def test_browser_language_first_then_an_explicit_switch_wins(browser, site):
    first, second = LOCALES[-1], LOCALES[-2]
    context = browser.new_context(locale=first)
    page = context.new_page()
    page.goto(site + "/")
    assert page.url == f"{site}/{first}/" and lang_of(page) == first
    page.locator(f"nav.switcher a[hreflang={second}]").click()
    page.wait_for_url(f"{site}/{second}/")
    page.goto(site + "/about")
    assert page.url == f"{site}/{second}/about" and lang_of(page) == second
    context.close()


def test_home_shows_the_browsers_own_languages(browser, site):
    tag = next(t for t in LOCALES if t != "en")
    locale = CATALOGS.get(tag)
    context = browser.new_context(locale=tag)
    page = context.new_page()
    page.goto(site + "/")
    section = page.locator("section.browser-preferences")
    expect(section).to_be_visible()
    expect(section.locator("ol.preferences li code").first).to_have_text(tag)
    reason = locale.translator.translate("Your browser asked for it in its language preferences.")
    expect(page.locator("p.why")).to_have_text(reason)
    # after a click on the switcher, the reason is the switch
    back = next(t for t in LOCALES if t not in (tag, "en"))
    page.locator(f"nav.switcher a[hreflang={back}]").click()
    page.wait_for_url(f"{site}/{back}/")
    switched = CATALOGS.get(back).translator.translate(
        "You chose it with the language switcher, and the site will remember your choice.")
    expect(page.locator("p.why")).to_have_text(switched)
    context.close()
    # without script, the personal part is simply not there
    context = browser.new_context(locale=tag, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/{tag}/")
    assert not page.locator("section.browser-preferences").is_visible()
    assert not page.locator("p.why").is_visible()
    context.close()


@pytest.mark.parametrize("tag", ["ar", "he", "fa", "ar-XB"])
def test_right_to_left_pages_are_mirrored(browser, site, tag):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    for current in ("en", tag):
        page.goto(f"{site}/{current}/about")
        items = page.locator(".site-nav li")
        first, last = items.first.bounding_box(), items.last.bounding_box()
        brand = page.locator(".brand").bounding_box()
        if current == "en":
            assert first["x"] < last["x"] and brand["x"] < 100
        else:
            assert page.locator("html").get_attribute("dir") == "rtl"
            # the navigation reads from the right edge
            assert first["x"] > last["x"]
            assert brand["x"] + brand["width"] > 1280 - 100
            heading = page.locator("main h1").bounding_box()
            assert heading["x"] + heading["width"] > 1280 / 2
    page.close()


@pytest.mark.parametrize("width", [360, 1280])
def test_no_horizontal_overflow(browser, shipped_site, width):
    page = browser.new_page(viewport={"width": width, "height": 800})
    overflowing = []
    for tag in SHIPPED + ["en-XA"]:
        for path in PAGES:
            page.goto(f"{shipped_site}/{tag}{path}")
            scroll, inner = page.evaluate(
                "[document.documentElement.scrollWidth, window.innerWidth]")
            if scroll > inner:
                overflowing.append(f"{tag} {path}: {scroll}px > {inner}px")
    page.close()
    assert overflowing == []


def test_switcher_works_with_the_keyboard_alone(browser, site):
    target = LOCALES[-1]
    page = browser.new_page()
    page.goto(site + "/en/about")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('hreflang')") == target:
            break
    else:
        pytest.fail(f"the {target} link of the switcher is not reachable with Tab")
    # focus is visible
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site}/{target}/about")
    assert lang_of(page) == target
    page.close()


def test_no_console_errors_or_failed_requests(browser, site):
    page = browser.new_page()
    page.add_init_script(TRACK_FETCHES)
    requests = Requests(page)
    problems = []
    # The 404 page is asked for on purpose; Chromium logs its status as an error.
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text} ({m.location['url']})")
            if m.type == "error" and "/no-such" not in m.location["url"] else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
    page.on("response", lambda r: problems.append(f"{r.status}: {r.url}")
            if r.status >= 400 and "/no-such" not in r.url else None)
    for tag in LOCALES + ["en-XA", "ar-XB"]:
        for path in PAGES + ["/languages?q=an", "/no-such-page"]:
            requests.ended.clear()
            page.goto(f"{site}/{tag}{path}")
            settled(page, requests)
    page.close()
    assert problems == []


@pytest.mark.parametrize("tag", ["ru", "ar", "fa", "ja"])
def test_search_updates_the_pluralized_count_as_you_type(browser, site, tag):
    locale = CATALOGS.get(tag)
    page = browser.new_page()
    page.goto(f"{site}/{tag}/languages")
    page.wait_for_load_state("networkidle")
    search = page.locator("#q")
    for query, expected_tags in (("ukrain", ["uk"]), ("zzzz", []), ("", None)):
        search.fill(query)
        rows = page.locator("table.directory tbody tr")
        count = len(expected_tags) if expected_tags is not None else None
        if count is not None:
            text = locale.translator.translate(
                "%(count)s language found", "%(count)s languages found", count
            ) % {"count": locale.formatter.decimal(count)}
            expect(page.locator(".count")).to_have_text(text)
            expect(rows).to_have_count(count)
            if count:
                assert rows.first.locator("code").inner_text() == expected_tags[0]
                # the live results link to pages under the same prefix
                assert rows.first.locator("a").get_attribute("href") == f"/{tag}/languages/{expected_tags[0]}"
        else:
            expect(rows).to_have_count(50)
    # no page load happened: this was the script, not the form
    assert page.url == f"{site}/{tag}/languages"
    page.close()


# The search table's cases whose page exists (the locale is among the tests'
# catalogs); the others are tested on the server only (test_collation).
SHIPPED_SEARCHES = [case for case in SEARCHES if case[0] in CATALOGS.tags]


def test_the_search_table_has_cases_for_the_browser():
    assert len({case[0] for case in SHIPPED_SEARCHES}) >= 3


@pytest.mark.parametrize(("locale", "query", "found", "not_found"), SHIPPED_SEARCHES)
def test_live_search_agrees_with_the_server(browser, site, locale, query, found, not_found):
    """Intl.Collator (Chromium's ICU) finds what the server's ICU finds, in the same order."""
    server = [e.tag for e in directory.search(directory.entries(tags.to_gettext_id(locale)), query)]
    assert found <= set(server) and not (not_found & set(server))
    page = browser.new_page()
    page.goto(f"{site}/languages?lang={locale}")
    page.wait_for_selector("form.search[data-ready]", state="attached")
    page.locator("#q").fill(query)
    codes = page.locator("table.directory tbody tr code")
    if server:
        expect(codes).to_have_text(server[:50])
    else:
        expect(codes).to_have_count(0)
    # the count in the page's digits (Intl.NumberFormat with the server's numbering system)
    target = CATALOGS.get(locale)
    expect(page.locator(".count")).to_have_text(target.translator.translate(
        "%(count)s language found", "%(count)s languages found", len(server)
    ) % {"count": target.formatter.decimal(len(server))})
    page.close()


def test_chromium_and_the_server_follow_the_same_cldr_numbering(browser, site):
    # Chromium's ICU is newer than Debian's: like Babel's CLDR 47 it has Latin
    # digits for ar (CLDR 46) and Arabic-Indic for ar-EG, where ICU 72 differs.
    page = browser.new_page()
    page.goto(f"{site}/about")
    for tag in LOCALES + ["ar-EG"]:
        ours = (CATALOGS.get(tag).formatter if tag in CATALOGS else Formatter(tags.to_gettext_id(tag))).numbering_system
        theirs = page.evaluate("tag => new Intl.NumberFormat(tag).resolvedOptions().numberingSystem", tag)
        assert theirs == ours, tag
    page.close()


def test_screenshots_for_people(browser, shipped_site):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    saved = []
    for tag in SHIPPED + ["en-XA", "ar-XB"]:
        for name, path in (("home", "/"), ("language-ar", "/languages/ar")):
            page.goto(f"{shipped_site}/{tag}{path}")
            target = SCREENSHOTS / f"{tag}-{name}.png"
            page.screenshot(path=str(target), full_page=True)
            saved.append(target)
    page.close()
    assert all(p.stat().st_size > 10_000 for p in saved)
