"""Each role walked in a real browser, keyboard only: suggest, accept, use the memory, approve (issue 19).

In Russian and Arabic, at 1280 and 360 pixels: a suggester proposes a
translation, a translator accepts it and fills another entry from the
translation memory, a reviewer approves. axe-core (tests/vendor/axe-core)
finds no serious or critical violation in the workspace, and a crawl of the
workspace in Russian finds no English text that the Russian catalog
translates. The site runs on a temporary copy of the project, under the
site's Content-Security-Policy.
"""

from __future__ import annotations

import contextlib
import json

import polib
import pytest
from playwright.sync_api import expect

from test_workspace_browser import browser, strict_context  # noqa: F401 (browser: a fixture)
from workspace_helpers import PASSWORD, Site, admin, copy_project

from conftest import ROOT

pytestmark = pytest.mark.browser

AXE = (ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
SIZES = {"wide": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 740}}
# Plain entries of the template (no placeholders, no markup), two per walk.
WALKS = [(tag, size) for tag in ("ru", "ar") for size in SIZES]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("workspace-roles")
    copy_project(root)
    data = root / "var"
    for name, arguments in {"sasha": ["--suggest-only", "ru,ar"], "tanya": ["--languages", "ru,ar"],
                            "rita": ["--review", "ru,ar"]}.items():
        assert admin(data, "user", "add", name, *arguments, "--password-stdin").returncode == 0
    template = polib.pofile(str(root / "locale" / "ru" / "LC_MESSAGES" / "messages.po"))
    plain = [e.msgid for e in template if not e.msgid_plural and not e.msgctxt and len(e.msgid.split()) >= 3
             and not any(c in e.msgid for c in "%{<\n") and "fuzzy" not in e.flags]
    # The memory: a unit close to each walk's second entry, for both languages.
    units = []
    for n, (tag, _size) in enumerate(WALKS):
        units.append(f'<tu><tuv xml:lang="en"><seg>{_xml(plain[2 * n + 1])}.</seg></tuv>'
                     f'<tuv xml:lang="{tag}"><seg>Memory {tag} {n}</seg></tuv></tu>')
    tmx = root / "memory.tmx"
    tmx.write_text('<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header srclang="en"/><body>'
                   + "".join(units) + "</body></tmx>", encoding="utf-8")
    imported = admin(data, "memory", "import", str(tmx), f"--locale-dir={root / 'locale'}", password=None)
    assert imported.returncode == 0, imported.stderr
    running = Site(root, data)
    running.plain = plain
    yield running
    running.stop()


def visible_texts(page, skip: str) -> list[str]:
    """Every text node, aria-label, placeholder and title of the page, but those inside ``skip`` (a selector)."""
    return page.evaluate("""(skip) => {
        const found = [];
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) {
            const node = walker.currentNode;
            if (node.parentElement.closest(skip)) { continue; }
            const text = node.textContent.trim();
            if (text) { found.push(text); }
        }
        for (const el of document.querySelectorAll("[aria-label], [placeholder], [title]")) {
            for (const a of ["aria-label", "placeholder", "title"]) {
                if (el.getAttribute(a)) { found.push(el.getAttribute(a)); }
            }
        }
        return found;
    }""", skip)


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;")


def catalog(site, tag):
    """msgid -> msgstr of the site's catalog of ``tag`` (what the page's language shows)."""
    po = polib.pofile(str(site.po(tag)))
    return {(e.msgctxt, e.msgid): e.msgstr for e in po if e.msgstr and not e.obsolete}


def t(site, tag, msgid, context=None):
    return catalog(site, tag)[(context, msgid)]


def tab_to(page, selector: str, limit: int = 400) -> None:
    """Press Tab until the focused element matches ``selector``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def sign_in(page, site, name, tag):
    page.goto(site.url(f"/account/login?next=/translate/{tag}&lang={tag}"))
    tab_to(page, "#username")
    page.keyboard.type(name)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(site.url(f"/translate/{tag}"))


@contextlib.contextmanager
def signed_in(browser, site, name: str, tag: str, viewport: dict):  # noqa: F811 (browser: a fixture)
    """A page in a new strict context, ``name`` signed in to ``/translate/<tag>``; no browser problem by the end."""
    context, problems = strict_context(browser, viewport=viewport, locale=tag)
    try:
        page = context.new_page()
        sign_in(page, site, name, tag)
        yield page
    finally:
        context.close()
    assert problems == []


def open_entry(page, source: str) -> None:
    """Find an entry by typing its source in the search field, then open it with Enter."""
    tab_to(page, "#search")
    page.keyboard.type(source)
    # The list is filtered after a pause in typing: wait for it, or Tab reaches a button about to go.
    page.wait_for_function("""s => { const buttons = [...document.querySelectorAll(".entry-button")];
        return buttons.length > 0 && buttons.every(b => b.textContent.includes(s)); }""", arg=source)
    button = page.locator(".entry-button", has=page.locator(".entry-source", has_text=source)).first
    expect(button).to_be_visible()
    entry_id = button.get_attribute("data-id")
    tab_to(page, f'.entry-button[data-id="{entry_id}"]')
    page.keyboard.press("Enter")
    expect(page.locator("#source-singular")).to_have_text(source)
    assert page.evaluate("document.activeElement.id") == "form-0"


def no_serious_violations(page, where: str) -> None:
    page.evaluate(AXE)
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
               for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], f"{where}: {json.dumps(serious, ensure_ascii=False)}"


@pytest.mark.parametrize(("tag", "size"), WALKS)
def test_each_role_with_the_keyboard(browser, site, tag, size):
    n = WALKS.index((tag, size))
    first, second = site.plain[2 * n], site.plain[2 * n + 1]
    suggestion = f"Suggestion {tag} {n}"
    viewport = SIZES[size]

    # A suggester proposes.
    with signed_in(browser, site, "sasha", tag, viewport) as page:
        assert page.locator("html").get_attribute("lang") == tag
        assert page.locator("#save").count() == 0 and page.locator("#suggest").count() == 1
        open_entry(page, first)
        page.keyboard.press("Control+a")
        page.keyboard.type(suggestion)
        page.keyboard.press("Control+Enter")
        expect(page.locator("#save-status")).to_have_text(t(site, tag, "Suggestion sent: a translator decides on it."))
        expect(page.locator("#suggestions")).to_contain_text(suggestion)
        no_serious_violations(page, f"{tag} {size} suggester")

    # A translator accepts it, then fills the next entry from the memory.
    with signed_in(browser, site, "tanya", tag, viewport) as page:
        open_entry(page, first)
        expect(page.locator("#suggestions")).to_contain_text(suggestion)
        tab_to(page, "#suggestions button")
        page.keyboard.press("Enter")  # Accept
        expect(page.locator("#save-status")).to_have_text(
            t(site, tag, "Accepted the suggestion of %(who)s.").replace("%(who)s", "sasha"))
        expect(page.locator("#form-0")).to_have_value(suggestion)
        open_entry(page, second)
        memory = page.locator("#memory li", has_text=f"Memory {tag} {n}")
        expect(memory).to_be_visible()
        tab_to(page, "#memory li button")
        page.keyboard.press("Enter")  # Use this
        expect(page.locator("#form-0")).to_have_value(f"Memory {tag} {n}")
        assert page.evaluate("document.activeElement.id") == "form-0"
        page.keyboard.press("Control+Enter")
        # Confirmed although Ctrl+Enter moved on to the next entry.
        expect(page.locator("#save-status")).to_have_text(t(site, tag, "Saved. Visitors see it within seconds."))
        assert page.evaluate("document.activeElement.id") == "form-0"
        no_serious_violations(page, f"{tag} {size} translator")

    # A reviewer approves the accepted suggestion.
    with signed_in(browser, site, "rita", tag, viewport) as page:
        open_entry(page, first)
        tab_to(page, "#approve")
        page.keyboard.press("Enter")
        expect(page.locator("#save-status")).to_have_text(t(site, tag, "Approved."))
        expect(page.locator(f'.entry-button[aria-current].is-approved')).to_have_count(1)
        if size == "phone":
            scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert scroll <= inner
        no_serious_violations(page, f"{tag} {size} reviewer")


def test_placeholders_are_isolated_left_to_right_in_arabic(browser, site):
    with signed_in(browser, site, "tanya", "ar", SIZES["wide"]) as page:
        assert page.locator("html").get_attribute("dir") == "rtl"
        marked = page.locator('.entry-translation bdi.placeholder[dir="ltr"]', has_text="%(count)s").first
        expect(marked).to_be_visible()


def test_the_workspace_in_russian_shows_no_english_the_catalog_translates(browser, site):
    """Every text node of the workspace, with an entry open: none is an English msgid ru translates."""
    translated = {msgid for (_context, msgid), text in catalog(site, "ru").items() if text != msgid}
    with signed_in(browser, site, "rita", "ru", SIZES["wide"]) as page:
        open_entry(page, site.plain[-1])
        page.click("#history-box summary")
        texts = visible_texts(page, "#entries, #editor .entry-facts, #forms, #history q, #memory, #suggestions, #glossary")
        english = sorted({text for text in texts if text in translated})
        assert english == []
