"""Catalog checks: each prepared broken catalog is caught, with file and line."""

from __future__ import annotations

import pathlib

import pytest

from website.checks import check_file

DATA = pathlib.Path(__file__).parent / "data" / "catalogs"
LOCALE_DIR = pathlib.Path(__file__).resolve().parents[1] / "locale"


def po(case: str) -> str:
    (path,) = (DATA / case).glob("*/LC_MESSAGES/messages.po")
    return str(path)


@pytest.mark.parametrize(
    ("case", "check", "line", "fragment"),
    [
        ("missing_plural_forms", "plural-forms", 1, "no Plural-Forms header"),
        ("malformed_plural_forms", "plural-forms", 6, "malformed plural expression"),
        ("plural_forms_not_cldr", "plural-forms", 6, "n=11: header picks form 5"),
        ("wrong_plural_count", "plural-count", 12, "2 plural forms"),
        ("syntax_error", "syntax", 7, "not valid .po syntax"),
    ],
)
def test_each_broken_catalog_is_reported(case, check, line, fragment):
    problems = check_file(po(case))
    assert [(p.check, p.line) for p in problems] == [(check, line)]
    assert fragment in problems[0].message
    assert str(problems[0]).startswith(f"{po(case)}:{line}: ")


def test_the_good_fixture_passes():
    assert check_file(po("good")) == []


@pytest.mark.parametrize("path", sorted(LOCALE_DIR.glob("*/LC_MESSAGES/messages.po")),
                         ids=lambda p: p.parent.parent.name)
def test_shipped_catalogs_pass(path):
    assert [str(p) for p in check_file(str(path))] == []


def test_unreadable_and_undecodable_files(tmp_path):
    missing = tmp_path / "ru" / "LC_MESSAGES" / "messages.po"
    assert [p.check for p in check_file(str(missing))] == ["unreadable"]
    missing.parent.mkdir(parents=True)
    missing.write_bytes(b'msgid ""\nmsgstr ""\n\nmsgid "a"\nmsgstr "\xff\xfe"\n')
    problems = check_file(str(missing))
    assert [(p.check, p.line) for p in problems] == [("encoding", 5)]


def test_truncated_file(tmp_path):
    path = tmp_path / "ru" / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True)
    text = pathlib.Path(po("good")).read_text()
    path.write_text(text[: text.index('msgstr[1]') + 12])
    assert [p.check for p in check_file(str(path))] == ["syntax"]
