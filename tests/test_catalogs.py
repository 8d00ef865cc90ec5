"""Loading compiled catalogs: good ones load, broken ones are dropped and logged."""

from __future__ import annotations

import logging
import shutil

import pytest

from website.catalogs import load_catalogs, locale_info

from conftest import LOCALE_DIR


def test_shipped_catalogs_load_with_cldr_metadata(catalogs):
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
    shutil.copytree(LOCALE_DIR, target, ignore=shutil.ignore_patterns("*.po", "*.pot"))
    return target


def test_corrupt_mo_is_logged_and_dropped(locale_copy, caplog):
    broken = locale_copy / "ru" / "LC_MESSAGES" / "messages.mo"
    broken.write_bytes(b"\x00not a catalog at all")
    with caplog.at_level(logging.ERROR, logger="website.catalogs"):
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
    bogus = locale_copy / "not-a-locale!" / "LC_MESSAGES"
    bogus.mkdir(parents=True)
    shutil.copy(locale_copy / "fr" / "LC_MESSAGES" / "messages.mo", bogus / "messages.mo")
    catalogs = load_catalogs(str(locale_copy))
    assert "fr" in catalogs and len(catalogs) == len(load_catalogs(str(LOCALE_DIR)))
    assert "not a gettext locale id" in caplog.text


def test_no_locale_directory_serves_the_source_language(tmp_path):
    catalogs = load_catalogs(str(tmp_path / "missing"))
    assert catalogs.tags == ("en",) and catalogs.default == "en"


def test_unknown_default_falls_back_to_source(caplog):
    catalogs = load_catalogs(str(LOCALE_DIR), default="tlh")
    assert catalogs.default == "en"
    assert "default locale" in caplog.text


def test_configured_default_is_used(catalogs):
    assert load_catalogs(str(LOCALE_DIR), default="fr-FR").default == "en"
    assert load_catalogs(str(LOCALE_DIR), default="fr").default == "fr"
