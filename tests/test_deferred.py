"""Deferred messages (website.i18n.deferred): English for the CLI, the reader's language over HTTP."""

from __future__ import annotations

import pickle

import pytest

import catalog_builder
from website.i18n.catalogs import load_catalogs
from website.i18n.deferred import N_, Message, Size, localize, render
from website.toolchain import checks


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = catalog_builder.build(tmp_path_factory.mktemp("deferred") / "locale", ["fa", "ru", "ar"])
    return load_catalogs(str(root), min_percent=0)


def _render(served, tag, message):
    site_locale = served.get(tag)
    return render(message, site_locale.translator.translate, site_locale.formatter, rtl=site_locale.info.rtl)


def test_a_message_is_its_english_text_and_keeps_what_translating_needs():
    message = Message(N_("line %(line)s: %(problem)s"), line=1234, problem=Message(N_("not valid UTF-8")))
    assert message == "line 1234: not valid UTF-8" and isinstance(message, str)
    assert pickle.loads(pickle.dumps(message)).params["line"] == 1234
    assert str(Message(N_("the file is larger than %(size)s"), size=Size(700_000))) == \
        "the file is larger than 683.6 kB"


@pytest.mark.parametrize(("tag", "expected"), [
    # Persian digits; the technical part isolated in a right-to-left sentence
    ("fa", "⟦fa⟧line ۱٬۲۳۴: ⟦fa⟧not valid .po syntax: \u2068'msgstr \"b'\u2069"),
    ("ru", "⟦ru⟧line 1\u00a0234: ⟦ru⟧not valid .po syntax: 'msgstr \"b'"),
])
def test_numbers_take_the_readers_digits(served, tag, expected):
    inner = Message(N_("not valid .po syntax: %(line)s"), line=repr('msgstr "b'))
    assert _render(served, tag, Message(N_("line %(line)s: %(problem)s"), line=1234, problem=inner)) == expected


def test_sizes_are_human_in_the_readers_language(served):
    message = Message(N_("the file is larger than %(size)s"), size=Size(5 * 1024 * 1024))
    assert _render(served, "ru", message) == "⟦ru⟧the file is larger than 5 МБ"
    assert _render(served, "fa", message) == "⟦fa⟧the file is larger than ۵ MB"


def test_check_findings_are_messages_and_the_cli_text_stays_english(tmp_path, served):
    path = tmp_path / "ru" / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True)
    path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
                    '"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && '
                    '(n%100<10 || n%100>=20) ? 1 : 2);\\n"\n\n'
                    '#, python-format\nmsgid "weight %(weight)s"\nmsgstr "вес"\n', encoding="utf-8")
    [problem] = [p for p in checks.check_file(str(path)) if p.check == "python-format"]
    assert str(problem).endswith(": ru: python-format: msgstr lacks %(weight)s")
    assert isinstance(problem.message, Message) and problem.message.template == "%(form)s lacks %(placeholders)s"
    assert _render(served, "ru", problem.message) == "⟦ru⟧msgstr lacks %(weight)s"


def test_localize_copies_only_what_holds_a_message():
    plain = {"id": "x", "problems": [], "source": ["a"]}
    data = {"entries": [plain, {"id": "y", "problems": [{"message": Message(N_("not valid UTF-8"))}]}]}
    shown = localize(data, lambda message: "shown")
    assert shown["entries"][0] is plain and shown["entries"][1]["problems"][0]["message"] == "shown"
    assert data["entries"][1]["problems"][0]["message"] == "not valid UTF-8"  # the cached original untouched
    assert localize(plain, lambda message: "shown") is plain
