"""The translator workspace in a real browser (Debian's Chromium through Playwright).

A translator signs in, filters to untranslated entries, types a Russian
plural that loses its placeholder (refused, with the reason), fixes it, saves
with the keyboard, and a visitor in another browser context sees the new text
on the public page within 2 seconds. The site runs on a temporary copy of the
project, under the strict Content-Security-Policy every page must satisfy.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import time

import pytest
from babel.messages.pofile import read_po, write_po
from playwright.sync_api import Error as PlaywrightError, expect, sync_playwright

from harness import poll_until
from website import security

from test_browser import CHROMIUM, CHROMIUM_ARGS
from workspace_helpers import BIN, PASSWORD, Site, admin, copy_project, xsrf_token

# The public page showing Russian's "N items" (the one place to change when
# visitor URLs move under a language prefix).
PUBLIC_URL = "/ru/languages/ru"
PLURAL_MSGID = "%(count)s item"
CSP = security.CSP


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("workspace-browser")
    copy_project(root)
    po = root / "locale" / "ru" / "LC_MESSAGES" / "messages.po"
    catalog = read_po(io.StringIO(po.read_text(encoding="utf-8")))
    # Two untranslated entries for the translator to do, one after the other.
    catalog.get(PLURAL_MSGID).string = ("", "", "")
    catalog.get("Counting items").string = ""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=76)
    po.write_bytes(buffer.getvalue())
    subprocess.run([os.path.join(BIN, "website-catalog"), "compile", f"--locale-dir={root / 'locale'}"],
                   capture_output=True, check=False)
    assert admin(root / "var", "user", "add", "maria", "--languages", "ru", "--password-stdin").returncode == 0
    running = Site(root, root / "var")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail("Chromium is not installed: run 'make system-deps' (make test does)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def strict_context(browser, **options):
    """A browser context whose pages get the site's Content-Security-Policy, and a record of problems."""
    context = browser.new_context(**options)
    problems = []

    def add_csp(route):
        try:
            response = route.fetch(max_redirects=0)
            route.fulfill(response=response, headers={**response.headers, "content-security-policy": CSP})
        except PlaywrightError:
            pass  # the page or context went away while this request was in flight

    context.route("**/*", add_csp)
    context.on("console", lambda m: problems.append(m.text) if m.type == "error" and "401" not in m.text
               and "422" not in m.text and "409" not in m.text else None)
    context.on("weberror", lambda e: problems.append(str(e.error)))
    return context, problems


def sign_in(page, site, next_path="/translate/ru"):
    page.goto(site.url(next_path))
    page.wait_for_url(re.compile(r"/account/login\?next="))
    page.fill("#username", "maria")
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_url(site.url(next_path))


def test_translate_a_plural_with_the_keyboard_and_see_it_live(browser, site):
    context, problems = strict_context(browser, locale="en-US")
    page = context.new_page()
    sign_in(page, site)
    assert page.locator("html").get_attribute("lang") == "en"
    page.select_option("#state", "untranslated")
    entry = page.locator(".entry-button", has_text=PLURAL_MSGID).first
    expect(entry).to_be_visible()
    expect(page.locator(".entry-translation")).to_have_text(["(untranslated)", "(untranslated)"])
    entry.click()
    fields = page.locator("#forms textarea")
    expect(fields).to_have_count(3)
    labels = page.locator("#forms label").all_inner_texts()
    assert labels[0].startswith("one: 1, 21, 31") and labels[1].startswith("few: 2, 3, 4, 22")
    assert labels[2].startswith("many: 0, 5, 6")
    assert page.evaluate("document.activeElement.id") == "form-0"  # focus is in the first field
    assert fields.first.get_attribute("lang") == "ru"

    # Typing only: the many form loses %(count)s.
    page.keyboard.type("%(count)s штука")
    page.keyboard.press("Tab")
    page.keyboard.type("%(count)s штуки")
    page.keyboard.press("Tab")
    page.keyboard.type("много штук")
    expect(page.locator("#problems")).to_contain_text("Placeholders must match the source")  # the hint
    page.keyboard.press("Control+Enter")
    expect(page.locator("#save-status")).to_have_text("Not saved: fix the errors below.")
    expect(page.locator("#problems")).to_contain_text("msgstr[2] lacks %(count)s")
    visitor_context, _ = strict_context(browser, locale="ru-RU")
    visitor = visitor_context.new_page()
    visitor.goto(site.url(PUBLIC_URL))
    assert "5 штук" not in visitor.content()

    # Fix it and save with the keyboard: the next entry opens, focused.
    fields.nth(2).fill("%(count)s штук")
    fields.nth(2).focus()
    page.keyboard.press("Control+Enter")
    expect(page.locator("#source-singular")).to_have_text("Counting items")
    saved_at = time.monotonic()
    assert page.evaluate("document.activeElement.id") == "form-0"
    assert page.locator(".entry-button[aria-current]").inner_text() != ""

    # The visitor sees it within 2 s, without any restart.
    def shown() -> bool:
        visitor.goto(site.url(PUBLIC_URL))
        text = visitor.locator("main").inner_text()
        return "5 штук" in text and "22 штуки" in text and "21 штука" in text

    poll_until(shown, 2.0 - (time.monotonic() - saved_at), interval=0.1,
               message="the change did not reach the public page within 2 s")
    context.close()
    visitor_context.close()
    assert problems == []


def test_a_translation_is_shown_as_text_never_as_markup(browser, site):
    context, problems = strict_context(browser)
    page = context.new_page()
    sign_in(page, site)
    page.fill("#search", "Skip to content")
    entry = page.locator(".entry-button", has_text="Skip to content").first
    entry.click()
    page.locator("#form-0").fill("1 < 2 & <b >жирный")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#problems")).to_contain_text("Markup that the source does not have")
    page.locator("#form-0").fill("Перейти к содержимому & <<3")
    page.click("#save")
    expect(page.locator("#save-status")).to_contain_text("Saved")
    shown = page.locator(".entry-button[aria-current] .entry-translation")
    expect(shown).to_have_text("Перейти к содержимому & <<3")
    assert page.locator(".entry-list b").count() == 0
    context.close()
    assert problems == []


@pytest.mark.parametrize("tag", ["ar", "he"])
def test_the_workspace_is_translated_and_mirrored_right_to_left(browser, site, tag):
    context, problems = strict_context(browser, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    sign_in(page, site)
    page.goto(site.url(f"/translate/ru?lang={tag}"))
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == tag
    expect(page.locator(".entry-button").first).to_be_visible()
    heading = page.locator("main h1").bounding_box()
    assert heading["x"] + heading["width"] > 1280 / 2  # starts at the right edge
    # the entry list (first column) is on the right, the editor on the left
    page.locator(".entry-button").first.click()
    entries_box = page.locator(".entry-list").bounding_box()
    editor_box = page.locator("#editor").bounding_box()
    assert entries_box["x"] > editor_box["x"]
    # what the translator types stays left to right: Russian
    assert page.locator("#form-0").get_attribute("dir") == "ltr"
    context.close()
    assert problems == []


@pytest.mark.parametrize("path", ["/account/login", "/translate/ru", "/translate"])
def test_usable_at_360_pixels(browser, site, path):
    context, problems = strict_context(browser, viewport={"width": 360, "height": 740})
    page = context.new_page()
    if path != "/account/login":
        sign_in(page, site)
    page.goto(site.url(path))
    if path == "/translate/ru":
        page.locator(".entry-button").first.click()
        expect(page.locator("#form-0")).to_be_visible()
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner
    context.close()
    assert problems == []


def test_a_conflict_offers_to_keep_mine_or_take_theirs(browser, site):
    context, problems = strict_context(browser)
    page = context.new_page()
    sign_in(page, site)
    page.fill("#search", "Page not found")
    page.locator(".entry-button", has_text="Page not found").first.click()
    # someone else saves the same entry meanwhile
    other = context.request
    entry_id = page.locator(".entry-button[aria-current]").get_attribute("data-id")
    current = other.get(site.url(f"/translate/ru/entries/{entry_id}")).json()
    token = xsrf_token(context, site)
    answer = other.put(site.url(f"/translate/ru/entries/{entry_id}"), headers={"X-XSRFToken": token},
                       data={"translation": ["Страница не найдена (их версия)"], "fuzzy": False,
                             "revision": current["revision"]})
    assert answer.status == 200
    page.locator("#form-0").fill("Страница не найдена (моя версия)")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#conflict")).to_be_visible()
    expect(page.locator("#conflict-theirs")).to_contain_text("(их версия)")
    expect(page.locator("#conflict-who")).to_contain_text("maria")  # who, and when (issue 19)
    assert page.evaluate("document.activeElement.id") == "keep-mine"
    page.keyboard.press("Enter")
    expect(page.locator("#save-status")).to_contain_text("Saved")
    saved = other.get(site.url(f"/translate/ru/entries/{entry_id}")).json()
    assert saved["translation"] == ["Страница не найдена (моя версия)"]
    # Reverting is a new save of an old value, from the history.
    page.click("#history-box summary")
    theirs = page.locator("#history li", has_text="(их версия)").first
    expect(theirs).to_be_visible()
    assert re.search(r"maria|someone", page.locator("#history li").first.inner_text())
    # The newest row reads "(их версия) → (моя версия)": one click restores the earlier text (issue 19).
    theirs.get_by_role("button", name="Restore the earlier text").click()
    assert page.locator("#form-0").input_value() == "Страница не найдена (их версия)"
    expect(page.locator("#save-status")).to_contain_text("Saved")
    reverted = other.get(site.url(f"/translate/ru/entries/{entry_id}")).json()
    assert reverted["translation"] == ["Страница не найдена (их версия)"]
    context.close()
    assert problems == []


def test_an_upload_conflict_shows_both_values_and_links_to_the_entry(browser, site):
    context, problems = strict_context(browser)
    page = context.new_page()
    sign_in(page, site)
    other = context.request
    download = other.get(site.url("/translate/ru/download")).text()
    entries = other.get(site.url("/translate/ru/entries?state=all")).json()["entries"]
    entry = next(e for e in entries if len(e["source"]) == 1 and e["translation"][0] and not e["context"]
                 and not re.search(r"[%{<\n]", e["source"][0]) and e["source"][0] != "Page not found")
    token = xsrf_token(context, site)
    # the site's entry changes after the download
    assert other.put(site.url(f"/translate/ru/entries/{entry['id']}"), headers={"X-XSRFToken": token},
                     data={"translation": ["На сайте теперь"], "fuzzy": False,
                           "revision": entry["revision"]}).status == 200
    catalog = read_po(io.StringIO(download))
    catalog.get(entry["source"][0], context=entry["context"]).string = "В моём файле"
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=76)
    page.set_input_files("#upload-file", files=[{"name": "ru.po", "mimeType": "text/x-gettext-translation",
                                                 "buffer": buffer.getvalue()}])
    page.locator("#upload-form button[type=submit]").click()
    conflict = page.locator("#upload-report .upload-conflict")
    expect(conflict).to_have_count(1)
    expect(conflict).to_contain_text("В моём файле")
    expect(conflict).to_contain_text("На сайте теперь")
    columns = conflict.locator(":scope > div")
    expect(columns).to_have_count(2)
    mine, theirs = columns.nth(0).bounding_box(), columns.nth(1).bounding_box()
    assert theirs["x"] > mine["x"] + mine["width"] - 1 and abs(theirs["y"] - mine["y"]) < 2  # side by side
    link = page.locator("#upload-report .upload-entry-link")
    expect(link).to_have_count(1)
    assert link.get_attribute("href").endswith(f"/translate/ru?entry={entry['id']}")
    link.focus()
    page.keyboard.press("Enter")
    expect(page.locator(f".entry-button[data-id='{entry['id']}']")).to_have_attribute("aria-current", "true")
    expect(page.locator("#form-0")).to_have_value("На сайте теперь")
    # the link also works on its own (a new tab)
    fresh = context.new_page()
    fresh.goto(site.url(link.get_attribute("href")))
    expect(fresh.locator("#form-0")).to_have_value("На сайте теперь")
    context.close()
    assert problems == []
