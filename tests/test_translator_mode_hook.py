"""TranslatorModeHook: translator mode through the page hook, against a real app and workspace.

A small handler written here renders a page the way a page handler uses
the hook (prepare, locale_for, template_rendered, finish_page, panel), in
an application made by ``make_app`` with a real workspace on a catalog
built in a temporary folder.
"""

from __future__ import annotations

import json
import pathlib
import re
import tempfile

import polib
import tornado.testing
import tornado.web

from website.app import make_app
from website.handlers.base import BaseHandler
from website.handlers.page_hook import PageHook
from website.i18n import plural_forms
from website.i18n.catalogs import load_catalogs
from website.i18n.entry_ids import entry_id
from website.toolchain.compiling import compile_catalogs
from website.workspace.service import Workspace
from website.workspace.sessions import MODE_COOKIE, SESSION_COOKIE
from website.workspace.translator_mode import TranslatorModeHook

ROOT = pathlib.Path(__file__).resolve().parents[1]
SECRET = "test secret"
MARKER_RE = re.compile("[\ufff9\ufffa\ufffb\u2061-\u2064]")


def build_locale(root: pathlib.Path) -> pathlib.Path:
    locale = root / "locale"
    (locale / "ru" / "LC_MESSAGES").mkdir(parents=True)
    template = polib.POFile()
    template.metadata = {"Content-Type": "text/plain; charset=utf-8"}
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=utf-8", "Language": "ru",
                   "Plural-Forms": plural_forms.plural_forms("ru")}
    for msgid, msgstr in (("About", "О сайте"), ("Languages", "Языки")):
        template.append(polib.POEntry(msgid=msgid, occurrences=[("static/js/x.js", "1")]))
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr, occurrences=[("static/js/x.js", "1")]))
    template.save(str(locale / "messages.pot"))
    po.save(str(locale / "ru" / "LC_MESSAGES" / "messages.po"))
    assert compile_catalogs([str(locale / "ru" / "LC_MESSAGES" / "messages.po")]).ok
    return locale


class HookedPage(BaseHandler):
    """A page rendered through the hook, as the page handlers do."""

    async def prepare(self) -> None:
        super().prepare()
        self.hook: PageHook = self.settings["page_hook"]
        self.state = await self.hook.prepare(self, "ru") if self.hook.applies(self.request) else None

    def get_user_locale(self):
        return self.hook.locale_for(self.state, super().get_user_locale())

    def get(self) -> None:
        _ = self.locale.translate
        self.hook.template_rendered(self.state, "hooked.html")
        body = (f"<html><head><title>{_('About')}</title></head>"
                f"<body><p title=\"{_('Languages')}\">{_('Languages')}</p>"
                f"{self.hook.panel(self, self.state)}</body></html>")
        if self.hook.rewrites(self.state):
            body = self.hook.finish_page(self, self.state, body)
        self.finish(body)


class TranslatorModeHookTest(tornado.testing.AsyncHTTPTestCase):
    def get_app(self):
        self.folder = pathlib.Path(tempfile.mkdtemp())
        locale = build_locale(self.folder)
        self.workspace = Workspace.open(self.folder / "var", locale)
        self.workspace.accounts.add_user("anna", "a long enough password", ["ru"])
        self.user = self.workspace.accounts.get_user("anna")
        app = make_app(load_catalogs(str(locale), min_percent=0), workspace=self.workspace,
                       cookie_secret=SECRET, root=ROOT)
        app.settings["page_hook"] = TranslatorModeHook(self.workspace)
        app.add_handlers(".*", [(r"/hooked", HookedPage)])
        return app

    def fetch_page(self, *, session: bool, mode: str | None):
        cookies = []
        if session:
            cookies.append(f"{SESSION_COOKIE}={self.workspace.accounts.create_session(self.user)}")
        if mode:
            signed = tornado.web.create_signed_value(SECRET, MODE_COOKIE, mode).decode()
            cookies.append(f"{MODE_COOKIE}={signed}")
        headers = {"Accept-Language": "ru"}
        if cookies:
            headers["Cookie"] = "; ".join(cookies)
        response = self.fetch("/hooked", headers=headers)
        assert response.code == 200, response.body
        return response.body.decode("utf-8")

    def test_a_visitor_gets_the_page_as_rendered(self):
        page = self.fetch_page(session=False, mode=None)
        assert page == ("<html><head><title>О сайте</title></head>"
                        "<body><p title=\"Языки\">Языки</p></body></html>")

    def test_a_translator_out_of_mode_gets_the_switch_and_no_markers(self):
        page = self.fetch_page(session=True, mode=None)
        assert 'id="translator-bar"' in page and "data-tid" not in page
        assert not MARKER_RE.search(page)

    def test_in_mode_every_string_is_marked_and_the_editor_gets_its_data(self):
        page = self.fetch_page(session=True, mode="ru")
        assert not MARKER_RE.search(page)
        languages = entry_id(None, "Languages")
        assert f'<span data-tid="{languages}"' in page and f'data-tid-attr="title={languages}"' in page
        data = json.loads(re.search(r'<script type="application/json" id="translator-data">(.*?)</script>',
                                    page).group(1))
        assert data["tag"] == "ru" and data["api"] == "/translate/ru/entries"
        assert data["live"] == "/translate/ru/live"
        assert data["templates"] == ["base.html", "hooked.html"]  # the panel's own is not one
        assert {item["id"] for item in data["panel"]} >= {entry_id(None, "About"), languages}
        assert data["js"] == {"About": entry_id(None, "About"), "Languages": languages}

    def test_mode_for_another_language_marks_nothing(self):
        page = self.fetch_page(session=True, mode="fr")
        assert "data-tid" not in page and not MARKER_RE.search(page)
