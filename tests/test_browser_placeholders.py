"""The browser's placeholder parser and the editor's hint, in Chromium, against the server.

``static/js/placeholders.js`` runs the shared table (``tests/placeholder_cases.json``)
and must find what ``website.i18n.placeholders`` finds, with the same error
messages. The editor's hint (``static/js/editor.js``) must refuse exactly
what a save refuses (422), with the server's messages, and accept what it
accepts: a Russian "one" form without its number is refused by both (one
also stands for 21, 101...), a Hebrew "two" form without it is accepted by
both (it stands for 2 alone).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from website.i18n import placeholders

from conftest import ROOT
from test_placeholders import CASES
from test_workspace_browser import browser, sign_in, strict_context  # noqa: F401 (fixture)
from workspace_helpers import Site, admin, copy_project, xsrf_token

SCRIPT = (ROOT / "static" / "js" / "placeholders.js").read_text(encoding="utf-8")
PLURAL_MSGID = "%(count)s language found"
SINGULAR_MSGID = "Translate into %(language)s"


def python_outcome(text: str):
    try:
        return {"specs": [spec.as_dict() for spec in placeholders.parse(text)]}
    except placeholders.PlaceholderError as error:
        return {"error": error.code, "at": error.at, "message": str(error)}


def test_the_table_in_chromium(browser):  # noqa: F811
    page = browser.new_page()
    page.route("http://placeholders.test/**", lambda route: route.fulfill(
        body="<!DOCTYPE html><script src='/placeholders.js'></script>" if route.request.url.endswith("/")
        else SCRIPT, content_type="text/html" if route.request.url.endswith("/") else "text/javascript"))
    page.goto("http://placeholders.test/")
    texts = [case["text"] for case in CASES] + ["😀%(x)s", "😀 %z", "%(😀)s %"]
    got = page.evaluate("""texts => texts.map(text => {
        try { return {specs: placeholders.parse(text)}; }
        catch (e) { return {error: e.code, at: e.at, message: e.message}; }
    })""", texts)
    for text, outcome in zip(texts, got):
        assert outcome == python_outcome(text), text
    # format and valuesIn: as Python's % and translator_marks' reading backwards.
    assert page.evaluate("placeholders.format('%(n)s of %(m)s: 5%%, %(n)d', {n: 'x', m: '<y>'})") == \
        "x of <y>: 5%, %(n)d"
    assert page.evaluate("placeholders.valuesIn('%(a)s and %(b)s, %(a)s%%', '1 and 2, 1%')") == {"a": "1", "b": "2"}
    assert page.evaluate("placeholders.valuesIn('%(a)d', '1')") is None
    page.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("hint-browser")
    copy_project(root)
    assert admin(root / "var", "user", "add", "maria", "--languages", "ru,he", "--password-stdin").returncode == 0
    running = Site(root, root / "var")
    yield running
    running.stop()


def _entry(context, site, tag: str, msgid: str) -> dict:
    listed = context.request.get(site.url(f"/translate/{tag}/entries?state=all")).json()["entries"]
    return next(e for e in listed if e["source"][0] == msgid)


def _save(context, site, tag: str, entry: dict, values: list[str], headers=None):
    token = xsrf_token(context, site)
    answer = context.request.put(site.url(f"/translate/{tag}/entries/{entry['id']}"),
                                 headers={"X-XSRFToken": token, **(headers or {})},
                                 data={"translation": values, "fuzzy": False, "revision": entry["revision"]})
    problems = answer.json()["problems"]
    return answer.status, [(p["check"], p["message"]) for p in problems if p["severity"] == "error"]


def _cases(entry: dict, tag: str) -> list[list[str]]:
    forms = entry["translation"]
    first = forms[0]
    replaced = lambda text: [text] + forms[1:]  # noqa: E731
    cases = [
        replaced(first + " %"), replaced(first + " %z"), replaced(first + " %s"),
        replaced(first.replace("%(count)s", "%(count).1ls").replace("%(language)s", "%(language).1ls")),
        replaced(first + " %(other)s"), replaced(first + " <b onclick=x>"), replaced(first + "\n"),
        replaced(first + " \ufff9"), replaced(first + " (1)"),
    ]
    if len(forms) > 1:
        cases.append([first] + [""] * (len(forms) - 1))
        for index, form in enumerate(entry["forms"]):
            if form["category"] in ("one", "two"):  # spelled out: refused in ru, accepted in he
                cases.append([text if i != index else "שתי שפות" if tag == "he" else "один язык"
                              for i, text in enumerate(forms)])
    return cases


@pytest.mark.parametrize(("tag", "msgid"), [("ru", PLURAL_MSGID), ("he", PLURAL_MSGID), ("ru", SINGULAR_MSGID)])
def test_the_hint_refuses_what_the_save_refuses(browser, site, tag, msgid):  # noqa: F811
    context, problems = strict_context(browser)
    page = context.new_page()
    sign_in(page, site, f"/translate/{tag}")
    refused = accepted = 0
    for values in _cases(_entry(context, site, tag, msgid), tag):
        entry = _entry(context, site, tag, msgid)  # the current revision: an accepted case saves
        hinted = page.evaluate("([entry, values]) => entryEditor.problemsOf(entry, values)"
                               ".map(p => [p.check, p.message])", [entry, values])
        status, server = _save(context, site, tag, entry, values)
        assert [tuple(p) for p in hinted] == server, values
        assert status == (422 if server else 200), values
        refused, accepted = refused + (status == 422), accepted + (status == 200)
    assert refused >= 8 and accepted >= 1
    if tag == "he":
        assert accepted >= 3  # the two and one forms, each for one number, may spell it out
    context.close()
    assert problems == []


@pytest.mark.parametrize("locale", ["ru-RU", "he-IL"])
def test_the_hint_speaks_the_pages_language_as_the_server_does(browser, site, locale):  # noqa: F811
    """In the page's language (here catalog_builder's made-up one), the hint's messages are the save's,
    technical parts isolated as the server isolates them in a right-to-left page."""
    context, problems = strict_context(browser, locale=locale)
    page = context.new_page()
    sign_in(page, site, "/translate/ru")
    language = locale.split("-")[0]
    assert page.evaluate("document.documentElement.lang") == language
    headers = {"Accept-Language": locale}
    seen = 0
    for values in _cases(_entry(context, site, "ru", PLURAL_MSGID), "ru"):
        entry = _entry(context, site, "ru", PLURAL_MSGID)
        hinted = page.evaluate("""([entry, values]) => entryEditor.problemsOf(entry, values, {
            gettext: i18n.gettext, numbers: new Intl.NumberFormat(document.documentElement.lang)
        }).map(p => [p.check, p.message])""", [entry, values])
        status, server = _save(context, site, "ru", entry, values, headers)
        assert [tuple(p) for p in hinted] == server, values
        assert all(message.startswith(f"⟦{language}⟧") or message.startswith(f"\u2068") for _c, message in server)
        assert all(("\u2068" in message) == (language == "he") for _c, message in server)
        seen += len(server)
    assert seen >= 8
    context.close()
    assert problems == []


def test_a_russian_one_form_without_its_number_is_refused_as_typed(browser, site):  # noqa: F811
    context, problems = strict_context(browser, locale="en-US")
    page = context.new_page()
    sign_in(page, site)
    page.fill("#search", "language found")
    page.locator(".entry-button", has_text=PLURAL_MSGID).first.click()
    fields = page.locator("#forms textarea")
    expect(fields).to_have_count(3)
    fields.nth(0).fill("один язык")
    expect(page.locator("#problems .problem-error")).to_have_text(
        "Error: Placeholders must match the source msgstr[0] lacks %(count)s")
    expect(page.locator("#problems .muted")).to_have_count(1)  # the hint, before any save
    fields.nth(0).press("Control+Enter")
    expect(page.locator("#save-status")).to_have_text("Not saved: fix the errors below.")
    expect(page.locator("#problems .muted")).to_have_count(0)  # now the server's answer
    expect(page.locator("#problems .problem-error")).to_have_text(
        "Error: Placeholders must match the source msgstr[0] lacks %(count)s")
    context.close()
    assert problems == []



def test_one_example_means_one_number_in_every_locale():
    """The hint's rule for a form that may spell its number out, from the API's examples.

    The server asks plural_forms.single_number; the browser sees the form's
    examples (the workspace's: 0..1000 and two millions, six at most) and
    takes one example for one number. The two agree for every locale Babel knows.
    """
    from babel.localedata import locale_identifiers

    from website.i18n import plural_forms

    compared = 0
    for gettext_id in locale_identifiers():
        try:
            categories = plural_forms.integer_categories(gettext_id)
        except (ValueError, LookupError):
            continue
        examples = plural_forms.category_examples(gettext_id, (*range(0, 1001), 1_000_000, 2_000_000))
        for category in categories:
            assert (len(examples.get(category, ())) == 1) == plural_forms.single_number(gettext_id, category), (
                gettext_id, category)
            compared += 1
    assert compared > 1000
