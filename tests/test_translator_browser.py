"""Translator mode in a real browser (Debian's Chromium through Playwright), two workers (issue 12).

Translator A (worker 1) and translator B (worker 2, its own port) open
``/ru/languages`` in translator mode. A edits the pluralized result count in
place: a wrong placeholder first (the error shows inside the inline editor),
then a right one. B's open page shows the new text without a reload within a
second; a visitor sees it after reloading. The markers of an ``aria-label``
and of ``<title>`` open their own entries, and the page's panel lists the
strings that are not visible. All under the site's Content-Security-Policy.
"""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from test_translator_mode import Worker, wait_for
from test_workspace_browser import browser, strict_context  # noqa: F401 (fixture)
from harness import free_port, poll_until
from workspace_helpers import PASSWORD, Client, Site, admin, copy_project, entries

COUNT_MSGID = "%(count)s language found"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("translator-browser")
    copy_project(root)
    for name in ("anna", "boris"):
        assert admin(root / "var", "user", "add", name, "--languages", "ru", "--password-stdin").returncode == 0
    running = Site(root, root / "var", "--processes=2", "--port_per_process", port=free_port(2))
    wait_for(f"http://127.0.0.1:{running.port + 1}/account/login")
    yield running
    running.stop()


def in_translator_mode(context, site, name: str):
    page = context.new_page()
    page.goto(site.url("/account/login?next=/ru/languages"))
    page.fill("#username", name)
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_url(site.url("/ru/languages"))
    page.locator("#translator-bar button[type=submit]").click()  # "Translate this page in place"
    page.wait_for_url(site.url("/ru/languages"))
    expect(page.locator("html")).to_have_attribute("data-translator-live", "open")
    return page


def test_edit_the_result_count_in_place_and_see_it_live_in_another_worker(browser, site):  # noqa: F811
    worker2 = Worker(site, site.port + 1)
    api = Client(site)
    assert api.login("anna").status == 303
    count = next(e for e in entries(api, "ru") if e["source"][0] == COUNT_MSGID)

    context_a, problems_a = strict_context(browser, locale="ru-RU")
    context_b, problems_b = strict_context(browser, locale="ru-RU")
    page_a = in_translator_mode(context_a, site, "anna")
    page_b = in_translator_mode(context_b, worker2, "boris")
    shown = page_b.locator("p.count").inner_text()
    number = re.search(r"[\d\s\u00a0\u202f]+", shown).group(0).strip()

    # Hover outlines, click opens the editor for that entry, beside it.
    marked = page_a.locator("p.count span[data-tid]")
    assert marked.get_attribute("data-tid") == count["id"]
    marked.click()
    editor = page_a.locator(".tm-editor")
    expect(editor).to_have_attribute("data-entry", count["id"])
    fields = editor.locator("textarea")
    expect(fields).to_have_count(3)
    labels = editor.locator(".tm-form-label").all_inner_texts()
    # Category names (in the page's language) and example numbers.
    assert re.match(r"\S+: 1, 21", labels[0]) and re.match(r"\S+: 2, 3, 4", labels[1]), labels
    assert COUNT_MSGID in editor.locator(".tm-facts").inner_text()

    # A wrong placeholder: flagged as typed, refused at save, shown inline.
    wrong = [t.replace("%(count)s", "%(n)s") for t in count["translation"]]
    for index, text in enumerate(wrong):
        fields.nth(index).fill(text)
    expect(editor.locator(".tm-problems .problem-error").first).to_be_visible()  # the hint as typed
    expect(editor.locator(".tm-problems .muted")).to_have_count(1)
    editor.locator(".tm-save").click()
    expect(editor.locator(".tm-problems .muted")).to_have_count(0)  # now the server's answer (422)
    expect(editor.locator(".tm-problems")).to_contain_text("%(count)s")
    expect(page_b.locator("p.count")).to_have_text(shown)

    # The right one: saved; B's page shows it within a second, without reloading.
    right = [t + " (правка)" for t in count["translation"]]
    for index, text in enumerate(right):
        fields.nth(index).fill(text)
    editor.locator(".tm-save").click()
    expect(editor.locator(".tm-status")).to_have_text(re.compile(".+"))
    expect(editor.locator(".tm-problems .problem-error")).to_have_count(0)
    saved_at = time.monotonic()
    expect(page_b.locator("p.count")).to_contain_text("(правка)", timeout=1000)
    assert time.monotonic() - saved_at < 1.0
    assert number in page_b.locator("p.count").inner_text()  # the count kept, the form chosen as before
    assert page_b.evaluate("performance.getEntriesByType('navigation').length") == 1  # no reload

    # A visitor sees it after reloading (once the workers' catalogs reloaded).
    visitor_context, problems_v = strict_context(browser, locale="ru-RU")
    visitor = visitor_context.new_page()
    def seen() -> bool:
        visitor.goto(site.url("/ru/languages"))
        return "(правка)" in visitor.locator("p.count").inner_text()

    poll_until(seen, 10, interval=0.2, message="the visitor never saw the change")
    assert "data-tid" not in visitor.content() and visitor.locator("#translator-bar").count() == 0
    # (While the catalogs reloaded, a page rendered just before the swap may
    # have named the browser catalog that the swap replaced: judge a fresh load.)
    problems_v.clear()
    visitor.reload()
    expect(visitor.locator("form.search")).to_have_attribute("data-ready", "true")
    assert problems_a == problems_b == problems_v == []
    for context in (context_a, context_b, visitor_context):
        context.close()


def test_aria_label_title_and_the_panel(browser, site):  # noqa: F811
    api = Client(site)
    assert api.login("anna").status == 303
    by_source = {(e["context"], e["source"][0]): e for e in entries(api, "ru")}
    main_menu = by_source[("navigation landmark", "Main")]
    site_name = by_source[(None, "Languages of the World")]
    hidden = by_source[(None, "Try a shorter search, or a language code such as “pt”.")]

    context, problems = strict_context(browser, locale="ru-RU")
    page = in_translator_mode(context, site, "anna")
    assert not re.search("[\ufff9-\ufffb]", page.title())

    # Marking changes no layout: header and main are where a visitor has them, the same size.
    visitor_context, _ = strict_context(browser, locale="ru-RU")
    visitor = visitor_context.new_page()
    visitor.goto(site.url("/ru/languages"))
    boxes = ("['header', 'main', 'p.count', 'nav.site-nav']"
             ".map(s => JSON.stringify(document.querySelector(s).getBoundingClientRect()))")
    assert page.evaluate(boxes) == visitor.evaluate(boxes)
    assert page.title() == visitor.title()
    visitor_context.close()

    # The navigation's aria-label: keyboard focus and Enter open its entry.
    nav = page.locator("nav.site-nav")
    assert nav.get_attribute("aria-label") == main_menu["translation"][0]
    nav.focus()
    page.keyboard.press("Enter")
    editor = page.locator(".tm-editor")
    expect(editor).to_have_attribute("data-entry", main_menu["id"])
    expect(editor.locator(".tm-facts")).to_contain_text("navigation landmark")
    page.keyboard.press("Escape")
    expect(editor).to_have_count(0)

    # The panel: <title>, attributes, other plural forms, strings of other page states.
    page.locator(".tm-panel-toggle").click()
    panel = page.locator("#translator-panel")
    title_item = panel.locator(".tm-panel-entry", has=page.locator("code", has_text="title"))
    expect(title_item.first).to_be_visible()
    expect(panel.locator(f'.tm-panel-entry[data-entry="{hidden["id"]}"]')).to_have_count(1)
    expect(panel.locator(f'.tm-panel-entry[data-entry="{main_menu["id"]}"]')).to_have_count(1)
    panel.locator(f'.tm-panel-entry[data-entry="{site_name["id"]}"]').first.click()
    expect(editor).to_have_attribute("data-entry", site_name["id"])
    expect(editor.locator("textarea")).to_have_value(site_name["translation"][0])
    # Saved from the panel: the <title> changes in place, still without any marker.
    renamed = site_name["translation"][0] + " (новое)"
    editor.locator("textarea").fill(renamed)
    editor.locator(".tm-save").click()
    page.wait_for_function("name => document.title.endsWith(name)", arg=renamed, timeout=3000)
    assert not re.search("[\ufff9-\ufffb\u2061-\u2064]", page.title())
    # The title's own entry (the page title) is listed with where = title.
    title_ids = {item.get_attribute("data-entry") for item in title_item.all()}
    assert site_name["id"] in title_ids
    page.keyboard.press("Escape")

    # A string a script writes (the live search's count, static/js) is marked too.
    count = by_source[(None, COUNT_MSGID)]
    expect(page.locator("form.search")).to_have_attribute("data-ready", "true")
    page.fill("#q", "zzzz")
    written = page.locator("p.count span[data-tid]")
    expect(written).to_have_attribute("data-tid", count["id"])
    assert not re.search("[\ufff9-\ufffb\u2061-\u2064]", page.locator("p.count").inner_text())
    written.click()
    expect(editor).to_have_attribute("data-entry", count["id"])
    page.keyboard.press("Escape")

    # A conflict (409) shows inside the editor, with the workspace's choices.
    skip = by_source[(None, "Skip to content")]
    page.locator("a.skip-link span[data-tid]").dispatch_event("click")
    expect(editor).to_have_attribute("data-entry", skip["id"])
    expect(editor.locator("textarea")).to_have_value(skip["translation"][0])
    theirs = skip["translation"][0] + " (их)"
    other = Client(site)
    assert other.login("boris").status == 303
    assert other.put_json(f"/translate/ru/entries/{skip['id']}", {
        "translation": [theirs], "fuzzy": False, "revision": skip["revision"]}).status == 200
    editor.locator("textarea").fill(skip["translation"][0] + " (мой)")
    editor.locator(".tm-save").click()
    expect(editor.locator(".tm-conflict")).to_contain_text(theirs)
    editor.locator(".tm-keep").click()
    expect(editor.locator(".tm-conflict")).to_be_empty()
    assert next(e for e in entries(other, "ru") if e["id"] == skip["id"])["translation"] == [
        skip["translation"][0] + " (мой)"]
    assert problems == []
    context.close()
