"""Loading compiled catalogs: good ones load, broken ones are dropped and logged."""

from __future__ import annotations

import logging
import shutil

import pytest

from website.i18n.catalogs import load_catalogs, locale_info

from catalog_builder import site_catalogs, site_locale_dir
from conftest import LOCALE_DIR

# Catalogs built for the tests (catalog_builder.SITE_LOCALES), whichever ship.
BUILT = site_locale_dir()


@pytest.fixture(scope="module")
def catalogs():
    return site_catalogs()


def test_catalogs_load_with_cldr_metadata(catalogs):
    assert catalogs.tags[0] == "en"
    assert set(catalogs.tags) >= {"en", "fr", "ru", "ar"}
    ar = catalogs.get("ar").info
    assert (ar.tag, ar.gettext_id, ar.endonym, ar.english_name) == ("ar", "ar", "العربية", "Arabic")
    assert ar.rtl and ar.direction == "rtl" and ar.nplurals == 6
    ru = catalogs.get("ru").info
    assert (ru.endonym, ru.rtl, ru.nplurals) == ("русский", False, 3)
    assert catalogs.get("fr").info.nplurals == 3


def test_locale_info_maps_tags_and_gettext_ids():
    info = locale_info("pt-BR")
    assert (info.tag, info.gettext_id, info.endonym) == ("pt-BR", "pt_BR", "português (Brasil)")
    assert locale_info("zh_hans").tag == "zh-Hans"
    with pytest.raises(ValueError):
        locale_info("xx")
    with pytest.raises(ValueError):
        locale_info("../etc")


def test_translations_come_from_the_catalog(catalogs):
    ru = catalogs.get("ru").translator
    assert ru.pgettext("navigation", "Home") != "Home"
    # an unknown message falls back to the source text
    assert ru.translate("no such message") == "no such message"


@pytest.fixture
def locale_copy(tmp_path):
    """A copy of the compiled catalogs that a test may break."""
    target = tmp_path / "locale"
    shutil.copytree(BUILT, target, ignore=shutil.ignore_patterns("*.po", "*.pot"))
    return target


def test_corrupt_mo_is_logged_and_dropped(locale_copy, caplog):
    broken = locale_copy / "ru" / "LC_MESSAGES" / "messages.mo"
    broken.write_bytes(b"\x00not a catalog at all")
    with caplog.at_level(logging.ERROR, logger="website.i18n.catalogs"):
        catalogs = load_catalogs(str(locale_copy))
    assert "ru" not in catalogs
    assert {"en", "fr", "ar"} <= set(catalogs.tags)
    assert str(broken) in caplog.text


def test_truncated_mo_is_dropped(locale_copy, caplog):
    path = locale_copy / "fr" / "LC_MESSAGES" / "messages.mo"
    path.write_bytes(path.read_bytes()[:40])
    catalogs = load_catalogs(str(locale_copy))
    assert "fr" not in catalogs and "ru" in catalogs
    assert str(path) in caplog.text


def test_missing_mo_is_logged_and_skipped(locale_copy, caplog):
    (locale_copy / "ar" / "LC_MESSAGES" / "messages.mo").unlink()
    catalogs = load_catalogs(str(locale_copy))
    assert "ar" not in catalogs and "fr" in catalogs
    assert "make compile" in caplog.text


def test_directory_that_is_no_locale_is_skipped(locale_copy, caplog):
    before = load_catalogs(str(locale_copy)).tags
    bogus = locale_copy / "not-a-locale!" / "LC_MESSAGES"
    bogus.mkdir(parents=True)
    for name in ("messages.mo", "messages.verdict.json"):
        shutil.copy(locale_copy / "fr" / "LC_MESSAGES" / name, bogus / name)
    catalogs = load_catalogs(str(locale_copy))
    assert catalogs.tags == before
    assert "not a gettext locale id" in caplog.text


def test_no_locale_directory_serves_the_source_language(tmp_path):
    catalogs = load_catalogs(str(tmp_path / "missing"))
    assert catalogs.tags == ("en",) and catalogs.default == "en"


def test_unknown_default_falls_back_to_source(caplog):
    catalogs = load_catalogs(str(BUILT), default="tlh")
    assert catalogs.default == "en"
    assert "default locale" in caplog.text


def test_configured_default_is_used(catalogs):
    assert load_catalogs(str(BUILT), default="fr-FR").default == "en"
    assert load_catalogs(str(BUILT), default="fr").default == "fr"


DATA = LOCALE_DIR.parent / "tests" / "data" / "catalogs"


def _locale_dir_with(tmp_path, case: str, gettext_id: str, extra_template_ids=()):
    """A locale dir holding one fixture catalog and a template for it, compiled by `make compile`'s code."""
    from babel.messages.pofile import read_po, write_po

    from website.toolchain.cli import compile_catalogs

    target = tmp_path / "locale" / gettext_id / "LC_MESSAGES"
    target.mkdir(parents=True)
    source = DATA / case / gettext_id / "LC_MESSAGES" / "messages.po"
    shutil.copy(source, target / "messages.po")
    with open(source, "rb") as fp:
        catalog = read_po(fp)
    for message in extra_template_ids:
        catalog.add(message)
    with open(tmp_path / "locale" / "messages.pot", "wb") as fp:
        write_po(fp, catalog)
    compile_catalogs([str(target / "messages.po")])
    return tmp_path / "locale"


def test_complete_catalog_is_served(tmp_path):
    assert "ru" in load_catalogs(str(_locale_dir_with(tmp_path, "good", "ru")))


def test_catalog_below_the_threshold_is_not_offered(tmp_path, caplog):
    # two of three template messages translated: 66.7%
    locale_dir = _locale_dir_with(tmp_path, "good", "ru", extra_template_ids=["New message"])
    catalogs = load_catalogs(str(locale_dir))
    assert catalogs.tags == ("en",)
    assert "66.7% translated, below the 95% needed" in caplog.text
    assert "ru" in load_catalogs(str(locale_dir), min_percent=60)


@pytest.mark.parametrize(
    ("case", "gettext_id", "where"),
    [
        ("missing_plural_forms", "ru", "line 1: plural-forms:"),
        ("plural_forms_not_cldr", "ar", "line 6: plural-forms:"),
        ("wrong_plural_count", "ru", "line 12: plural-count:"),
    ],
)
def test_catalog_with_errors_is_not_loaded(tmp_path, caplog, case, gettext_id, where):
    catalogs = load_catalogs(str(_locale_dir_with(tmp_path, case, gettext_id)))
    assert gettext_id not in catalogs and "en" in catalogs
    (line,) = [l for l in caplog.text.splitlines() if "messages.po: " in l]
    assert "catalog error(s)" in line and where in line and f"locale {gettext_id} is not served" in line


def test_no_po_is_parsed_at_load(tmp_path, monkeypatch):
    # The server reads the .mo and the verdict only: make compile's work.
    import polib

    locale_dir = _locale_dir_with(tmp_path, "good", "ru")
    monkeypatch.setattr(polib, "pofile", lambda *a, **k: pytest.fail("a .po was parsed"))
    assert "ru" in load_catalogs(str(locale_dir))


def test_a_verdict_older_than_its_po_means_not_compiled_yet(tmp_path, caplog):
    import os

    locale_dir = _locale_dir_with(tmp_path, "good", "ru")
    po = locale_dir / "ru" / "LC_MESSAGES" / "messages.po"
    later = os.stat(po).st_mtime_ns + 10**9
    os.utime(po, ns=(later, later))
    catalogs = load_catalogs(str(locale_dir))
    assert "ru" in catalogs  # the last compiled catalog stays in service
    assert "not compiled yet" in caplog.text and "serving the last compiled catalog" in caplog.text
    assert "not compiled yet" in catalogs.statuses["ru"].note


def test_a_folder_never_compiled_is_named_plainly(tmp_path, caplog):
    folder = tmp_path / "locale" / "it" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    shutil.copy(DATA / "good" / "ru" / "LC_MESSAGES" / "messages.po", folder / "messages.po")
    catalogs = load_catalogs(str(tmp_path / "locale"))
    assert catalogs.tags == ("en",)
    assert "not compiled yet: run 'make compile'; locale it is not served" in caplog.text


def test_a_broken_template_is_blamed_once(tmp_path, capsys, caplog):
    from website.toolchain.cli import compile_catalogs

    locale_dir = tmp_path / "locale"
    paths = []
    for gettext_id in ("ru", "uk"):
        folder = locale_dir / gettext_id / "LC_MESSAGES"
        folder.mkdir(parents=True)
        text = (DATA / "good" / "ru" / "LC_MESSAGES" / "messages.po").read_text()
        (folder / "messages.po").write_text(text)
        paths.append(str(folder / "messages.po"))
    (locale_dir / "messages.pot").write_text('msgid "unterminated\n')
    assert compile_catalogs(paths) == 0  # the catalogs themselves are fine
    err = capsys.readouterr().err
    assert err.count("messages.pot") == 1 and "make extract" in err
    load_catalogs(str(locale_dir))
    assert caplog.text.count("messages.pot: cannot be read") == 1


def test_catalog_messages_are_out_of_the_garbage_collectors_sight(catalogs):
    # A full GC pass would otherwise walk every message of every catalog
    # after each reload, while requests wait (see CatalogSource._load_mo).
    import gc

    for site_locale in catalogs:
        # The translator reads a read-only view; the view's referent is the table.
        (table,) = gc.get_referents(site_locale.translator._messages)
        if table:
            assert not gc.is_tracked(table), site_locale.info.tag
            assert any(isinstance(key, tuple) for key in table)  # plural entries too
