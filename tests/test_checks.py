"""Catalog checks: each prepared broken catalog is caught, with file and line."""

from __future__ import annotations

import json
import pathlib
import shutil

import polib
import pytest

from website.i18n import plural_forms
from website.toolchain import check_rules
from website.toolchain.checks import check_entry, check_file, locale_of_path

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
        ("truncated", "syntax", 11, "missing msgstr"),
        ("duplicate_msgid", "duplicate", 11, "'Hello' appears twice"),
        ("unknown_encoding", "encoding", 5, "unknown encoding 'klingon-8'"),
        ("placeholder_missing", "python-format", 9, "msgstr[2] lacks %(count)s"),
        ("newline_mismatch", "newline", 8, "trailing newline differs"),
        ("marker_characters", "marker-characters", 8, "reserved character"),
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
def test_shipped_catalogs_have_no_errors(path):
    # Warnings (fuzzy, untranslated...) are translators' work in progress:
    # the one rule is that no catalog has an error.
    assert [str(p) for p in check_file(str(path)) if p.severity == "error"] == []


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


def test_placeholder_added_and_renamed():
    problems = check_file(po("placeholder_added"))
    assert [(p.check, p.line) for p in problems] == [("python-format", 9)] * 2
    assert {p.message for p in problems} == {
        "msgstr has %(lang)s, which the source does not",
        "msgstr lacks %(language)s",
    }


def test_markup_a_translation_adds_is_an_error():
    problems = check_file(po("markup_added"))
    assert [(p.check, p.line) for p in problems] == [("markup", 8), ("markup", 11)]
    assert "img@onerror=alert(1)" in problems[0].message
    assert 'a@onclick="steal()"' in problems[1].message


def test_plural_forms_that_spell_the_number_may_drop_it(tmp_path):
    # Arabic "لغتان" (two languages) needs no number; "many" must keep it.
    path = tmp_path / "ar" / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True)
    from website.i18n.plural_forms import plural_forms

    forms = ["لا لغات", "لغة واحدة", "لغتان", "%(count)s لغات", "لغة", "%(count)s لغة"]
    path.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n'
        f'"Plural-Forms: {plural_forms("ar")}\\n"\n\n'
        '#, python-format\nmsgid "%(count)s language"\nmsgid_plural "%(count)s languages"\n'
        + "".join(f'msgstr[{i}] "{text}"\n' for i, text in enumerate(forms)),
        encoding="utf-8",
    )
    problems = check_file(str(path))
    assert [p.message for p in problems] == ["msgstr[4] lacks %(count)s"]


def _one_entry(tmp_path, msgid: str, msgstr: str, flags: str = "#, python-format\n") -> str:
    path = tmp_path / "fr" / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n'
        '"Plural-Forms: nplurals=3; plural=(n == 0 || n == 1) ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;\\n"\n\n'
        f'{flags}msgid "{msgid}"\nmsgstr "{msgstr}"\n',
        encoding="utf-8",
    )
    return str(path)


@pytest.mark.parametrize(("msgstr", "fragment"), [
    ("Page %(page)s sur %(pages)s %", "incomplete placeholder at index 28: a lone %"),
    ("Page %(page)s sur %(pages)s %z", "unsupported conversion at index 28: 'z'"),
    ("Page %(page)s sur %s", "named and positional placeholders mixed"),
    ("Page %(page)s sur %(pages", "no ) closes its name"),
])
def test_a_translation_python_cannot_format_is_an_error(tmp_path, msgstr, fragment):
    problems = check_file(_one_entry(tmp_path, "Page %(page)s of %(pages)s", msgstr))
    assert [(p.check, p.severity) for p in problems] == [("python-format", "error")]
    assert problems[0].message.startswith("msgstr: ") and fragment in problems[0].message


def test_length_modifiers_are_placeholders_of_their_own(tmp_path):
    # Python reads "%(language).1ls" as a placeholder (precision 1, l ignored):
    # not the source's "%(language)s".
    problems = check_file(_one_entry(tmp_path, "Read in %(language)s.", "Lu en %(language).1lsmeta"))
    assert [p.message for p in problems] == ["msgstr has %(language).1ls, which the source does not",
                                             "msgstr lacks %(language)s"]


def test_a_source_that_is_not_a_format_string_leaves_its_percent_signs_alone(tmp_path):
    assert check_file(_one_entry(tmp_path, "100%", "100 %", flags="")) == []


def test_warnings_do_not_fail_the_check():
    problems = check_file(po("warnings_only"))
    assert {p.severity for p in problems} == {"warning"}
    assert [(p.check, p.line) for p in problems] == [
        ("fuzzy", 8), ("untranslated", 12), ("whitespace", 15), ("same-as-source", 18), ("obsolete", 21)
    ]


def test_command_line_text_and_json(capsys):
    from website.toolchain.cli import main

    assert main(["check", po("warnings_only")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"{po('warnings_only')}: fr: 2 of 4 translated (50.0%); warnings: 1 fuzzy, 1 untranslated, "
        "1 whitespace, 1 same-as-source, 1 obsolete",
        "1 catalogs checked: 0 errors, 5 warnings",
    ]
    assert main(["check", "--all", po("warnings_only")]) == 0
    assert f"{po('warnings_only')}:8: fr: fuzzy: " in capsys.readouterr().out
    assert main(["check", "--json", po("newline_mismatch"), po("good")]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report == [{
        "path": po("newline_mismatch"), "line": 8, "locale": "fr", "check": "newline",
        "message": "msgstr: trailing newline differs from the source", "severity": "error",
    }]


def test_errors_come_first_then_one_summary_per_catalog(capsys):
    from website.toolchain.cli import main

    assert main(["check", po("warnings_only"), po("markup_added")]) == 1
    out = capsys.readouterr().out.splitlines()
    assert [line.split(": ")[2] for line in out[:2]] == ["markup", "markup"]
    assert out[2].startswith(f"{po('warnings_only')}: fr: 2 of 4 translated")
    assert out[3].startswith(f"{po('markup_added')}: fr: ") and "2 errors" in out[3]
    assert out[4] == "2 catalogs checked: 2 errors, 5 warnings"
    assert main(["check", "--errors-only", po("warnings_only"), po("markup_added")]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 3 and out[-1] == "2 catalogs checked: 2 errors, 5 warnings"


def test_every_tool_gives_the_same_count(tmp_path, capsys):
    from website.i18n import verdicts
    from website.toolchain.cli import main

    target = tmp_path / "fr" / "LC_MESSAGES" / "messages.po"
    target.parent.mkdir(parents=True)
    shutil.copy(po("warnings_only"), target)
    main(["check", str(target)])
    checked = capsys.readouterr().out
    main(["compile", "--locale-dir", str(tmp_path)])
    compiled = capsys.readouterr().out
    main(["stats", "--locale-dir", str(tmp_path)])
    stats = capsys.readouterr().out
    verdict = verdicts.read(str(target.with_suffix(".verdict.json")))
    assert "2 of 4 translated (50.0%)" in checked and "2 of 4 translated (50.0%)" in compiled
    assert " 50.0% " in stats and (verdict.stats.translated, verdict.stats.total) == (2, 4)


def test_compile_builds_the_good_and_refuses_the_broken(tmp_path, capsys):
    from website.toolchain.cli import main

    good = tmp_path / "ru" / "LC_MESSAGES" / "messages.po"
    broken = tmp_path / "fr" / "LC_MESSAGES" / "messages.po"
    for target, case in ((good, "good"), (broken, "markup_added")):
        target.parent.mkdir(parents=True)
        shutil.copy(po(case), target)
    assert main(["compile", "--locale-dir", str(tmp_path)]) == 1
    assert good.with_suffix(".mo").exists()
    assert not broken.with_suffix(".mo").exists()
    captured = capsys.readouterr()
    assert f"{broken}:8: fr: markup:" in captured.err and f"{broken}: not compiled: 2 error(s)" in captured.err
    assert ".partial" not in captured.out + captured.err
    from website.i18n import verdicts

    assert verdicts.read(str(good.with_suffix(".verdict.json"))).offered()
    refused = verdicts.read(str(broken.with_suffix(".verdict.json")))
    assert not refused.compiled and [e.check for e in refused.errors] == ["markup", "markup"]
    # Up to date: nothing rebuilt, and the errors still fail the command.
    mtime = good.with_suffix(".mo").stat().st_mtime_ns
    assert main(["compile", "--locale-dir", str(tmp_path)]) == 1
    assert good.with_suffix(".mo").stat().st_mtime_ns == mtime
    assert f"{broken}:8: fr: markup:" in capsys.readouterr().err


def test_stats_table(tmp_path, capsys):
    from website.toolchain.cli import main

    for case, gettext_id in (("good", "ru"), ("warnings_only", "fr")):
        target = tmp_path / gettext_id / "LC_MESSAGES" / "messages.po"
        target.parent.mkdir(parents=True)
        shutil.copy(DATA / case / gettext_id / "LC_MESSAGES" / "messages.po", target)
    assert main(["stats", "--locale-dir", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["locale", "status", "complete", "translated", "fuzzy", "untranslated", "obsolete"]
    # warnings_only: 2 translated of 4 (one fuzzy, one untranslated), one obsolete
    fr = lines[2].split("  ")
    assert [c.strip() for c in fr if c.strip()] == [
        "fr", "not offered", "50.0%", "2 (5 w)", "1 (2 w)", "1 (3 w)", "1 (3 w)"
    ]
    assert lines[3].split()[:3] == ["ru", "offered", "100.0%"]
    assert lines[-1] == "fr: 50.0% translated, below the 95% needed to offer it"


def test_worker_processes_give_the_same_report(monkeypatch):
    # make check uses both cores on large trees; the report must not change.
    import io

    from website.toolchain import activation
    from website.toolchain.cli import check_catalogs

    paths = [po(case) for case in ("warnings_only", "markup_added", "good", "newline_mismatch")]
    alone, pooled = io.StringIO(), io.StringIO()
    assert check_catalogs(paths, jobs=1, out=alone) == 1
    monkeypatch.setattr(activation, "POOL_THRESHOLD_BYTES", 0)
    assert activation.worth_a_pool(paths, 2)
    assert check_catalogs(paths, jobs=2, out=pooled) == 1
    assert pooled.getvalue() == alone.getvalue()


@pytest.mark.parametrize(("msgid", "msgstr", "messages"), [
    # each named placeholder exactly as the source writes it: no width, precision, flags, other conversion
    ("Read in %(language)s.", "Lu en %(language).1s.",
     ["msgstr has %(language).1s, which the source does not", "msgstr lacks %(language)s"]),
    ("Read in %(language)s.", "Lu en %(language)5s.",
     ["msgstr has %(language)5s, which the source does not", "msgstr lacks %(language)s"]),
    ("Read in %(language)s.", "Lu en %(language)-s.",
     ["msgstr has %(language)-s, which the source does not", "msgstr lacks %(language)s"]),
    ("%(count)s items", "%(count)d éléments",
     ["msgstr has %(count)d, which the source does not", "msgstr lacks %(count)s"]),
    ("%(count)s items", "%(count)r éléments",
     ["msgstr has %(count)r, which the source does not", "msgstr lacks %(count)s"]),
    ("Page %(page)s of %(pages)s", "Page %(page)s sur %(oops)s",
     ["msgstr has %(oops)s, which the source does not", "msgstr lacks %(pages)s"]),
    ("Page %(page)s of %(pages)s", "Page %(page)s sur %(oops)ls",
     ["msgstr has %(oops)ls, which the source does not", "msgstr lacks %(pages)s"]),
    # positional ones as written too: "%5s" is not "%s"
    ("%s of %d", "%5s sur %d", ["msgstr has %5s, which the source does not", "msgstr lacks %s"]),
    # a length modifier is refused even where the source has one
    ("%(n)ld items", "%(n)ld éléments",
     ["msgstr: length modifier (h, l or L) in %(n)ld: write the placeholder without it"]),
    # what the source has, the translation may keep
    ("%(share).1f%% done", "%(share).1f %% fait", []),
    ("Page %(page)s of %(pages)s", "%(pages)s pages, page %(page)s", []),
])
def test_each_placeholder_as_the_source_writes_it(tmp_path, msgid, msgstr, messages):
    problems = check_file(_one_entry(tmp_path, msgid, msgstr))
    assert [p.message for p in problems if p.severity == "error"] == messages


@pytest.mark.parametrize("character", ["\u2028", "\u2029", "\u0085", "\x00", "\x0b", "\x1b", "\x7f", "\r"])
def test_control_characters_and_line_separators_are_errors(character):
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=utf-8"}
    entry = polib.POEntry(msgid="Hello", msgstr=f"Bon{character}jour")
    po.append(entry)
    problems = check_entry(po, entry, "fr")
    assert [(p.check, p.severity, p.message) for p in problems] == [(
        "control-character", "error",
        f"msgstr: contains U+{ord(character):04X}, a control character or line separator")]


def test_bidi_embeddings_are_a_warning_and_marks_pass():
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=utf-8"}
    override = polib.POEntry(msgid="File %(name)s", msgstr="ملف \u202e%(name)s\u202c")
    mark = polib.POEntry(msgid="File %(name)s", msgstr="ملف \u200e%(name)s")
    tab = polib.POEntry(msgid="a\tb", msgstr="x\ty")
    po.extend([override, mark, tab])
    assert [(p.check, p.severity) for p in check_entry(po, override, "ar")] == [("bidi-controls", "warning")]
    assert check_entry(po, mark, "ar") == [] and check_entry(po, tab, "fr") == []


@pytest.mark.parametrize("character", ["\u2028", "\u2029", "\u0085", "\x0c"])
def test_a_file_holding_a_line_separator_is_read_whole_and_refused_with_the_reason(tmp_path, character):
    # polib splits text it is given with str.splitlines(): the translation
    # would be read cut short; the check must see the character and name it.
    problems = check_file(_one_entry(tmp_path, "Read in %(language)s.", f"Lu{character}en %(language)s."))
    assert [(p.check, p.line, p.message) for p in problems] == [
        ("control-character", 6, f"msgstr: contains U+{ord(character):04X}, a control character or line separator")]


def _unmemoized(path):
    """What the entry checks find in a catalog, each rule run on each entry as written."""
    po = polib.pofile(path)
    try:
        nplurals = plural_forms.parse_header(po.metadata.get("Plural-Forms", ""))[0]
    except ValueError:
        nplurals = None
    catalog = check_rules.CatalogView(path, locale_of_path(path), po, "", nplurals)
    return sorted((line, name, message, severity) for entry in po if not entry.obsolete
                  for name, function, severity in check_rules.ENTRY_CHECKS for line, message in function(catalog, entry))


@pytest.mark.parametrize("path", [po(case) for case in ("placeholder_missing", "newline_mismatch", "wrong_plural_count",
                                                        "marker_characters", "good")]
                         + [str(p) for p in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/messages.po"))[:3]])
def test_memoized_entry_findings_are_the_rules_own(path):
    # Twice: the second run answers from the memo, and must say the same, line for line.
    for _ in range(2):
        found = sorted((p.line, p.check, p.message, p.severity) for p in check_file(path)
                       if p.check not in ("plural-forms", "encoding", "obsolete", "merge"))
        assert found == _unmemoized(path)
