"""Translator mode walked as a translator does (issue 19): Chromium, Russian and Arabic, 1280 and 360 pixels.

The editor popup never covers the panel (the list of the page's strings),
before or after a save; its close button is named in the page's language; a
string inside a link adds no Tab stop of its own (Enter on the link edits
it); the panel has one row per entry, none empty, and a saved attribute
string's row shows the new text; the language page's counting samples are
marked; the bar is styled with the mode off too. axe-core finds no serious
or critical violation in the bar, the panel and the popup, and a crawl of
translator mode in Russian (and Arabic) finds no English string that the
page's catalog translates. The site runs on a temporary copy of the project,
under the site's Content-Security-Policy.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from test_workspace_browser import browser, strict_context  # noqa: F401 (browser: a fixture)
from test_workspace_roles_browser import AXE, SIZES, catalog, visible_texts
from website.i18n.entry_ids import entry_id
from workspace_helpers import PASSWORD, Site, admin, copy_project

pytestmark = pytest.mark.browser

WALKS = [(tag, size) for tag in ("ru", "ar") for size in SIZES]
OVERLAP = """([a, b]) => {
    const x = document.querySelector(a), y = document.querySelector(b);
    if (!x || !y) { return null; }
    const p = x.getBoundingClientRect(), q = y.getBoundingClientRect();
    return p.left < q.right && q.left < p.right && p.top < q.bottom && q.top < p.bottom;
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("translator-walk")
    copy_project(root)
    assert admin(root / "var", "user", "add", "anna", "--languages", "ru,ar", "--password-stdin").returncode == 0
    running = Site(root, root / "var")
    yield running
    running.stop()


def signed_in(browser, site, tag: str, path: str, size: str = "wide"):  # noqa: F811
    """A new context signed in as a translator of ``tag``, on ``path`` with the mode still off."""
    context, problems = strict_context(browser, viewport=SIZES[size], locale=tag)
    page = context.new_page()
    page.goto(site.url(f"/account/login?next={path}"))
    page.fill("#username", "anna")
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_url(site.url(path))
    return context, problems, page


def in_mode(browser, site, tag: str, path: str, size: str = "wide"):  # noqa: F811
    context, problems, page = signed_in(browser, site, tag, path, size)
    page.locator("#translator-bar button[type=submit]").click()  # "Translate this page in place"
    page.wait_for_url(site.url(path))
    expect(page.locator(".tm-panel-toggle")).to_be_attached()
    expect(page.locator("html")).to_have_attribute("data-translator-live", "open")
    return context, problems, page


def open_panel(page) -> None:
    """The panel, with the rows that come from the API (the page's other strings) in."""
    page.locator(".tm-panel-toggle").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#translator-panel code.tm-where", has_text="…").first).to_be_attached()


def overlaps(page, a: str, b: str) -> bool:
    return page.evaluate(OVERLAP, [a, b])


def open_row(page, entry: str):
    """The editor of the panel's row for ``entry``, opened with the keyboard."""
    row = page.locator(f'#translator-panel .tm-panel-entry[data-entry="{entry}"]')
    expect(row).to_have_count(1)
    row.focus()
    page.keyboard.press("Enter")
    editor = page.locator(".tm-editor")
    expect(editor).to_have_attribute("data-entry", entry)
    expect(editor.locator("textarea")).to_be_focused()
    return row, editor


@pytest.mark.parametrize(("tag", "size"), WALKS)
def test_the_popup_never_covers_the_panel(browser, site, tag, size):
    words = catalog(site, tag)
    context, problems, page = in_mode(browser, site, tag, f"/{tag}/", size)
    open_panel(page)
    _row, editor = open_row(page, entry_id("navigation landmark", "Main"))
    assert overlaps(page, ".tm-editor", "#translator-panel") is False
    # Saved with the keyboard: the answer makes the popup taller, still beside the panel.
    editor.locator("textarea").fill(f"{words[('navigation landmark', 'Main')]} {size}")
    page.keyboard.press("Control+Enter")
    expect(editor.locator(".tm-status")).to_have_text(words[(None, "Saved. Visitors see it within seconds.")])
    assert overlaps(page, ".tm-editor", "#translator-panel") is False
    page.keyboard.press("Escape")
    # A string just above the panel (the footer's last link), opened on the page: not over it either.
    page.locator("footer .tm-marked").last.click()
    expect(editor.locator("textarea").first).to_be_visible()
    assert overlaps(page, ".tm-editor", "#translator-panel") is False
    assert problems == []
    context.close()


@pytest.mark.parametrize("tag", ["ru", "ar"])
def test_the_close_button_is_named_in_the_pages_language(browser, site, tag):
    words = catalog(site, tag)
    context, problems, page = in_mode(browser, site, tag, f"/{tag}/about", "phone")
    heading = page.locator("main h1 .tm-marked")
    heading.focus()
    page.keyboard.press("Enter")
    editor = page.locator(".tm-editor")
    expect(editor.locator("textarea")).to_be_focused()
    close = page.get_by_role("button", name=words[(None, "Close")], exact=True)
    expect(close).to_have_count(1)
    close.focus()
    page.keyboard.press("Enter")
    expect(editor).to_have_count(0)
    expect(heading).to_be_focused()
    assert problems == []
    context.close()


@pytest.mark.parametrize("tag", ["ru", "ar"])
def test_a_saved_attribute_strings_row_shows_the_new_text(browser, site, tag):
    words = catalog(site, tag)
    context, problems, page = in_mode(browser, site, tag, f"/{tag}/about")
    open_panel(page)
    switcher = entry_id(None, "Choose a language")
    row, editor = open_row(page, switcher)
    renamed = words[(None, "Choose a language")] + " (2)"
    editor.locator("textarea").fill(renamed)
    page.keyboard.press("Control+Enter")
    expect(page.locator("nav.switcher")).to_have_attribute("aria-label", renamed)  # in place
    expect(row).to_contain_text(renamed)  # and in its row
    page.keyboard.press("Escape")
    # Closed and opened again, the panel shows the saved text too.
    page.locator(".tm-panel-toggle").click()
    page.locator(".tm-panel-toggle").click()
    expect(page.locator(f'#translator-panel .tm-panel-entry[data-entry="{switcher}"]')).to_contain_text(renamed)
    assert problems == []
    context.close()


def test_a_string_in_a_link_adds_no_tab_stop_and_enter_on_the_link_edits_it(browser, site):
    context, problems, page = in_mode(browser, site, "ru", "/ru/")
    stops = []
    for _ in range(60):
        page.keyboard.press("Tab")
        stops.append(page.evaluate("""() => {
            const e = document.activeElement;
            const inside = e.parentElement && e.parentElement.closest("a[href], button, input, select, textarea, summary");
            return {tag: e.tagName, marked: e.classList.contains("tm-marked"), insideControl: !!inside,
                    text: e.textContent.trim().slice(0, 40)};
        }"""))
    assert [s for s in stops if s["insideControl"]] == []
    # A landmark marked only for its aria-label is no control: its string is in the panel.
    assert [s for s in stops if s["tag"] == "NAV"] == []
    assert any(s["tag"] == "SPAN" and s["marked"] for s in stops)  # a heading's string still takes focus
    home = page.locator("nav.site-nav a", has=page.locator("span[data-tid]")).first
    entry = home.locator("span[data-tid]").get_attribute("data-tid")
    home.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".tm-editor")).to_have_attribute("data-entry", entry)
    assert page.url == site.url("/ru/")  # the link did not navigate
    page.keyboard.press("Escape")
    expect(home).to_be_focused()
    assert problems == []
    context.close()


@pytest.mark.parametrize("path", ["/ru/", "/ar/languages/ar"])
def test_the_panel_has_one_row_per_entry_and_none_empty(browser, site, path):
    tag = path.split("/")[1]
    words = catalog(site, tag)
    context, problems, page = in_mode(browser, site, tag, path)
    open_panel(page)
    rows = page.evaluate("""() => [...document.querySelectorAll("#translator-panel .tm-panel-entry")].map(
        b => ({id: b.dataset.entry, where: b.querySelector(".tm-where").textContent,
               text: b.textContent.slice(b.querySelector(".tm-where").textContent.length).trim()}))""")
    ids = [row["id"] for row in rows]
    assert sorted(ids) == sorted(set(ids))
    assert [row for row in rows if not row["text"]] == []
    # A piece of the <title> shows its own entry's text, not the whole title.
    site_name = next(row for row in rows if row["id"] == entry_id(None, "Languages of the World"))
    assert site_name["where"] == "title" and site_name["text"] == words[(None, "Languages of the World")]
    assert problems == []
    context.close()


def test_the_arabic_counting_samples_are_marked_and_open_with_every_form(browser, site):
    context, problems, page = in_mode(browser, site, "ar", "/ar/languages/ar")
    samples = page.locator('table.counting td[lang="ar"]')
    expect(samples).to_have_count(10)
    item = entry_id(None, "%(count)s item")
    assert page.locator(f'table.counting td[lang="ar"] span[data-tid="{item}"]').count() == 10
    samples.nth(2).locator("span[data-tid]").click()
    editor = page.locator(".tm-editor")
    expect(editor).to_have_attribute("data-entry", item)
    expect(editor.locator("textarea")).to_have_count(6)  # zero, one, two, few, many, other
    assert problems == []
    context.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_the_bar_is_styled_with_the_mode_off(browser, site, size):
    context, problems, page = signed_in(browser, site, "ru", "/ru/about", size)
    bar = page.locator("#translator-bar")
    expect(bar.locator("button[type=submit]")).to_be_visible()
    style = page.evaluate("""() => { const s = getComputedStyle(document.getElementById("translator-bar"));
        return {display: s.display, padding: s.paddingInlineStart, border: s.borderBlockStartStyle}; }""")
    assert style["display"] == "flex" and style["padding"] != "0px" and style["border"] == "solid", style
    assert problems == []
    context.close()


def page_texts(page) -> list[str]:
    """Every text node and label of the page, but the editor's facts (the English source, on purpose)."""
    return visible_texts(page, ".tm-facts dd, script, style")


@pytest.mark.parametrize("path", ["/ru/", "/ru/about", "/ru/languages", "/ru/languages/ru", "/ar/"])
def test_translator_mode_shows_no_english_the_catalog_translates(browser, site, path):
    """The bar, the panel and the popup (and the page) in the page's language, whatever page it is."""
    tag = path.split("/")[1]
    words = catalog(site, tag)
    translated = {msgid for (_context, msgid), text in words.items() if text != msgid}
    context, problems, page = in_mode(browser, site, tag, path)
    expect(page.locator(".tm-panel-toggle")).to_have_text(words[(None, "Strings not visible on this page")])
    open_panel(page)
    page.locator("main .tm-marked").first.click()
    editor = page.locator(".tm-editor")
    expect(editor.locator("textarea").first).to_be_visible()
    expect(editor.locator(".tm-save")).to_have_text(words[("verb", "Save")])
    english = sorted({text for text in page_texts(page) if text in translated})
    assert english == []
    assert problems == []
    context.close()


@pytest.mark.parametrize(("tag", "size"), WALKS)
def test_no_serious_axe_violation_in_the_bar_the_panel_and_the_popup(browser, site, tag, size):
    context, problems, page = in_mode(browser, site, tag, f"/{tag}/", size)
    open_panel(page)
    page.locator("#translator-panel .tm-panel-entry").first.click()
    expect(page.locator(".tm-editor textarea").first).to_be_visible()
    page.evaluate(AXE)
    result = page.evaluate("""() => axe.run({include: [["#translator-bar"], ["#translator-panel"], [".tm-editor"]]},
                                            {resultTypes: ["violations"]})""")
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
               for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], json.dumps(serious, ensure_ascii=False)
    assert problems == []
    context.close()
